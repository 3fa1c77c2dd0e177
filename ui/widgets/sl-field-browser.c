/* sl-field-browser.c: GtkTreeListModel over filtered per-group stores. */
#include "sl-field-browser.h"

#include <adwaita.h>
#include <string.h>

/* --- the tree node ------------------------------------------------------ */

#define SL_TYPE_FIELD_NODE (sl_field_node_get_type ())
G_DECLARE_FINAL_TYPE (SlFieldNode, sl_field_node, SL, FIELD_NODE, GObject)

struct _SlFieldNode
{
  GObject     parent_instance;
  char       *title;
  char       *subtitle;
  char       *selector;   /* a single field */
  char       *family;     /* a per-CPU family key */
  GStrv       members;    /* its selectors */
  char       *haystack;   /* casefolded text searched */
  GListStore *children;   /* NULL for leaves */
};

G_DEFINE_FINAL_TYPE (SlFieldNode, sl_field_node, G_TYPE_OBJECT)

static void
sl_field_node_finalize (GObject *o)
{
  SlFieldNode *n = SL_FIELD_NODE (o);

  g_free (n->title);
  g_free (n->subtitle);
  g_free (n->selector);
  g_free (n->family);
  g_strfreev (n->members);
  g_free (n->haystack);
  g_clear_object (&n->children);
  G_OBJECT_CLASS (sl_field_node_parent_class)->finalize (o);
}

static void sl_field_node_class_init (SlFieldNodeClass *k) { G_OBJECT_CLASS (k)->finalize = sl_field_node_finalize; }
static void sl_field_node_init (SlFieldNode *n) { }

static SlFieldNode *
node_new (const char *title, const char *subtitle, gboolean group)
{
  SlFieldNode *n = g_object_new (SL_TYPE_FIELD_NODE, NULL);
  g_autofree char *text = g_strconcat (title, " ", subtitle ? subtitle : "", NULL);

  n->title = g_strdup (title);
  n->subtitle = g_strdup (subtitle);
  n->haystack = g_utf8_casefold (text, -1);
  if (group)
    n->children = g_list_store_new (SL_TYPE_FIELD_NODE);
  return n;
}

/* --- the widget ---------------------------------------------------------- */

struct _SlFieldBrowser
{
  GtkWidget         parent_instance;
  GtkWidget        *box;
  GtkWidget        *search;
  GtkWidget        *stack;
  GtkWidget        *list;
  GListStore       *roots;
  GtkCustomFilter  *filter;
  char             *needle;      /* casefolded search text, NULL = all */
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (SlFieldBrowser, sl_field_browser, GTK_TYPE_WIDGET)

enum { FIELD_ACTIVATED, FAMILY_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
node_matches (SlFieldNode *n, const char *needle)
{
  guint count;

  if (needle == NULL)
    return TRUE;
  if (n->children == NULL)
    return strstr (n->haystack, needle) != NULL;
  count = g_list_model_get_n_items (G_LIST_MODEL (n->children));
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(SlFieldNode) c = g_list_model_get_item (G_LIST_MODEL (n->children), i);
      if (node_matches (c, needle))
        return TRUE;
    }
  return FALSE;
}

static gboolean
filter_func (gpointer item, gpointer user_data)
{
  SlFieldBrowser *self = user_data;
  return node_matches (SL_FIELD_NODE (item), self->needle);
}

static GListModel *
create_children (gpointer item, gpointer user_data)
{
  SlFieldBrowser *self = user_data;
  SlFieldNode *n = SL_FIELD_NODE (item);

  if (n->children == NULL)
    return NULL;
  return G_LIST_MODEL (gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (n->children)),
                                                  GTK_FILTER (g_object_ref (self->filter))));
}

static void
rebuild_model (SlFieldBrowser *self)
{
  GtkFilterListModel *top = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->roots)),
                                                       GTK_FILTER (g_object_ref (self->filter)));
  GtkTreeListModel *tree = gtk_tree_list_model_new (G_LIST_MODEL (top), FALSE, self->needle != NULL,
                                                    create_children, self, NULL);

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  g_object_unref (tree);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    g_list_model_get_n_items (G_LIST_MODEL (tree)) ? "list" : "empty");
}

static const char *
axis_title (SlAxis axis)
{
  switch (axis)
    {
    case SL_AXIS_BPF:     return "BPF maps and globals";
    case SL_AXIS_STATS:   return "Scheduler stats";
    case SL_AXIS_HOST:    return "Host CPU time";
    case SL_AXIS_MONITOR: return "Runqueue monitor";
    default:              return "Fields";
    }
}

/* "cpu3" / "vcpu12" → TRUE. */
static gboolean
is_cpu_group (const char *g)
{
  if (g_str_has_prefix (g, "vcpu"))
    g += 4;
  else if (g_str_has_prefix (g, "cpu"))
    g += 3;
  else
    return FALSE;
  if (!g_ascii_isdigit (*g))
    return FALSE;
  while (g_ascii_isdigit (*g))
    g++;
  return *g == '\0';
}

/* The selector with its CPU number replaced by '*', or NULL when it has none. */
static char *
family_key (const SlFieldInfo *f, const char *group)
{
  GString *s;
  const char *at;

  if (is_cpu_group (group))
    {
      const char *p = strstr (f->selector, group);
      if (p == NULL)
        return NULL;
      s = g_string_new_len (f->selector, p - f->selector);
      g_string_append (s, g_str_has_prefix (group, "vcpu") ? "vcpu*" : "cpu*");
      g_string_append (s, p + strlen (group));
      return g_string_free (s, FALSE);
    }
  at = strchr (f->selector, '@');
  if (at && g_ascii_isdigit (at[1]))
    {
      const char *end = at + 1;
      while (g_ascii_isdigit (*end))
        end++;
      s = g_string_new_len (f->selector, at + 1 - f->selector);
      g_string_append_c (s, '*');
      g_string_append (s, end);
      return g_string_free (s, FALSE);
    }
  return NULL;
}

void
sl_field_browser_set_catalog (SlFieldBrowser *self, const SlFieldCatalog *catalog)
{
  g_return_if_fail (SL_IS_FIELD_BROWSER (self));

  g_list_store_remove_all (self->roots);
  if (catalog == NULL)
    {
      rebuild_model (self);
      return;
    }
  for (guint axis = 0; axis < SL_AXIS_COUNT; axis++)
    {
      g_autoptr(SlFieldNode) root = node_new (axis_title (axis), sl_axis_name (axis), TRUE);
      g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GPtrArray) family_order = g_ptr_array_new ();
      guint n_fields = 0;

      for (guint i = 0; i < catalog->fields->len; i++)
        {
          const SlFieldInfo *f = g_ptr_array_index (catalog->fields, i);
          const char *group = f->group ? strchr (f->group, '/') : NULL;
          SlFieldNode *gnode;
          g_autoptr(SlFieldNode) leaf = NULL;
          g_autofree char *fam = NULL;
          g_autofree char *sub = NULL;
          const char *title = f->path;

          if (f->axis != axis)
            continue;
          group = group ? group + 1 : sl_axis_name (axis);
          n_fields++;
          gnode = g_hash_table_lookup (groups, group);
          if (gnode == NULL)
            {
              gnode = node_new (group, f->group, TRUE);
              g_list_store_append (root->children, gnode);
              g_hash_table_insert (groups, gnode->title, gnode);
              g_object_unref (gnode);   /* the store holds it */
            }
          /* The leaf's title is its path inside the group. */
          if (g_str_has_prefix (title, group) && (title[strlen (group)] == '/' || title[strlen (group)] == '.'))
            title += strlen (group) + 1;
          sub = g_strdup_printf ("%s%s%s", sl_scalar_type_name (f->type), f->unit ? " · " : "", f->unit ? f->unit : "");
          leaf = node_new (title, f->selector, FALSE);
          g_free (leaf->subtitle);
          leaf->subtitle = g_steal_pointer (&sub);
          leaf->selector = g_strdup (f->selector);
          g_list_store_append (gnode->children, leaf);

          fam = family_key (f, group);
          if (fam)
            {
              GPtrArray *members = g_hash_table_lookup (families, fam);
              if (members == NULL)
                {
                  members = g_ptr_array_new_with_free_func (g_free);
                  g_hash_table_insert (families, g_strdup (fam), members);
                  g_ptr_array_add (family_order, g_strdup (fam));
                }
              g_ptr_array_add (members, g_strdup (f->selector));
            }
        }
      if (n_fields == 0)
        continue;

      /* Per-CPU families first: one row adds the field for every CPU. */
      {
        g_autoptr(SlFieldNode) all = node_new ("All CPUs", "per-CPU families", TRUE);
        for (guint k = 0; k < family_order->len; k++)
          {
            char *fam = g_ptr_array_index (family_order, k);
            GPtrArray *members = g_hash_table_lookup (families, fam);

            if (members->len >= 2)
              {
                const char *space = strchr (fam, ' ');
                g_autofree char *sub = g_strdup_printf ("%u CPUs · %s", members->len, fam);
                g_autoptr(SlFieldNode) leaf = node_new (space ? space + 1 : fam, sub, FALSE);

                leaf->family = g_strdup (fam);
                g_ptr_array_add (members, NULL);
                leaf->members = g_strdupv ((char **) members->pdata);
                g_ptr_array_remove_index (members, members->len - 1);
                g_list_store_append (all->children, leaf);
              }
            g_free (fam);
          }
        if (g_list_model_get_n_items (G_LIST_MODEL (all->children)) > 0)
          g_list_store_insert (root->children, 0, all);
      }
      g_free (root->subtitle);
      root->subtitle = g_strdup_printf ("%u field%s", n_fields, n_fields == 1 ? "" : "s");
      g_list_store_append (self->roots, root);
    }
  rebuild_model (self);
}

static void
on_search_changed (GtkSearchEntry *entry, SlFieldBrowser *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  g_clear_pointer (&self->needle, g_free);
  if (text && *text)
    self->needle = g_utf8_casefold (text, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  rebuild_model (self);
}

void
sl_field_browser_set_search (SlFieldBrowser *self, const char *text)
{
  g_return_if_fail (SL_IS_FIELD_BROWSER (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search), text ? text : "");
  /* The entry debounces; apply now so callers see the result at once. */
  on_search_changed (GTK_SEARCH_ENTRY (self->search), self);
}

void
sl_field_browser_focus_search (SlFieldBrowser *self)
{
  g_return_if_fail (SL_IS_FIELD_BROWSER (self));
  gtk_widget_grab_focus (self->search);
}

guint
sl_field_browser_get_n_visible (SlFieldBrowser *self)
{
  g_return_val_if_fail (SL_IS_FIELD_BROWSER (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->selection));
}

static void
on_activate (GtkListView *list, guint position, SlFieldBrowser *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  SlFieldNode *n;

  if (row == NULL)
    return;
  n = SL_FIELD_NODE (gtk_tree_list_row_get_item (row));
  if (n->children)
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
  else if (n->family)
    g_signal_emit (self, signals[FAMILY_ACTIVATED], 0, n->family, n->members);
  else if (n->selector)
    g_signal_emit (self, signals[FIELD_ACTIVATED], 0, n->selector);
  g_object_unref (n);
}

static void
setup_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *sub = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_add_css_class (sub, "caption");
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);
}

static void
bind_row (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *sub = gtk_widget_get_next_sibling (title);
  g_autoptr(SlFieldNode) n = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (title), n->title);
  gtk_label_set_text (GTK_LABEL (sub), n->subtitle ? n->subtitle : "");
  gtk_widget_set_visible (sub, n->subtitle != NULL);
  if (n->children)
    gtk_widget_add_css_class (title, "heading");
  else
    gtk_widget_remove_css_class (title, "heading");
  gtk_widget_set_tooltip_text (expander, n->selector ? n->selector : n->family);
}

static void
sl_field_browser_dispose (GObject *object)
{
  SlFieldBrowser *self = SL_FIELD_BROWSER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->roots);
  g_clear_object (&self->filter);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->needle, g_free);
  G_OBJECT_CLASS (sl_field_browser_parent_class)->dispose (object);
}

static void
sl_field_browser_class_init (SlFieldBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_field_browser_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "slfieldbrowser");

  signals[FIELD_ACTIVATED] = g_signal_new ("field-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FAMILY_ACTIVATED] = g_signal_new ("family-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
}

static void
sl_field_browser_init (SlFieldBrowser *self)
{
  GtkListItemFactory *factory;
  GtkWidget *scrolled, *empty;

  self->roots = g_list_store_new (SL_TYPE_FIELD_NODE);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->search = gtk_search_entry_new ();
  g_object_set (self->search, "placeholder-text", "Search fields", NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL, "Search fields", -1);
  gtk_widget_set_margin_start (self->search, 8);
  gtk_widget_set_margin_end (self->search, 8);
  gtk_widget_set_margin_top (self->search, 8);
  gtk_widget_set_margin_bottom (self->search, 8);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  gtk_box_append (GTK_BOX (self->box), self->search);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory);
  gtk_list_view_set_single_click_activate (GTK_LIST_VIEW (self->list), FALSE);
  gtk_widget_add_css_class (self->list, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL, "Fields", -1);
  g_signal_connect (self->list, "activate", G_CALLBACK (on_activate), self);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->list);

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "edit-find-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), "No Fields Found");
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), "Try another part of a map, member or stats key");
  gtk_widget_add_css_class (empty, "compact");

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "list");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_box_append (GTK_BOX (self->box), self->stack);
  rebuild_model (self);
}

GtkWidget *
sl_field_browser_new (void)
{
  return g_object_new (SL_TYPE_FIELD_BROWSER, NULL);
}
