/* sl-verdict-table.c: a GtkColumnView of assertions with one column per phase. */
#include "sl-verdict-table.h"

#include <adwaita.h>

/* One row object per authored assertion: just its index. */
#define SL_TYPE_VERDICT_ROW (sl_verdict_row_get_type ())
G_DECLARE_FINAL_TYPE (SlVerdictRow, sl_verdict_row, SL, VERDICT_ROW, GObject)

struct _SlVerdictRow
{
  GObject parent_instance;
  guint   index;
};

G_DEFINE_FINAL_TYPE (SlVerdictRow, sl_verdict_row, G_TYPE_OBJECT)
static void sl_verdict_row_class_init (SlVerdictRowClass *k) { }
static void sl_verdict_row_init (SlVerdictRow *r) { }

struct _SlVerdictTable
{
  GtkWidget   parent_instance;
  GtkWidget  *stack;
  GtkWidget  *view;
  GListStore *rows;
  SlSession  *session;
};

G_DEFINE_FINAL_TYPE (SlVerdictTable, sl_verdict_table, GTK_TYPE_WIDGET)

/* Column ids kept on the factory: -3 name, -2 field, -1 overall, ≥ 0 phase. */
#define COLUMN_KEY "sl-column"

static void
outcome_look (const SlVerdict *v, const char **icon, const char **text, const char **css)
{
  if (v == NULL)
    {
      *icon = NULL;
      *text = "—";
      *css = "dim-label";
      return;
    }
  switch (sl_verdict_result (v))
    {
    case SL_OUTCOME_FAIL:
      *icon = "dialog-error-symbolic";
      *text = "Fail";
      *css = "error";
      break;
    case SL_OUTCOME_INCONCLUSIVE:
      *icon = "dialog-question-symbolic";
      *text = "Inconclusive";
      *css = "warning";
      break;
    case SL_OUTCOME_SKIP:
      *icon = NULL;
      *text = "Skip";
      *css = "dim-label";
      break;
    case SL_OUTCOME_PASS:
    default:
      *icon = "emblem-ok-symbolic";
      *text = "Pass";
      *css = "success";
      break;
    }
}

static void
setup_cell (GtkSignalListItemFactory *f, GtkListItem *item, gpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *image = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_cell (GtkSignalListItemFactory *f, GtkListItem *item, SlVerdictTable *self)
{
  static const char *const classes[] = { "error", "warning", "success", "dim-label", "heading" };
  gint column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (f), COLUMN_KEY));
  SlVerdictRow *row = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_next_sibling (image);
  GPtrArray *authored = sl_session_get_authored (self->session);
  SlAuthored *au;
  const char *icon = NULL, *text = "", *css = NULL;
  g_autofree char *owned = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_set_tooltip_text (box, NULL);
  if (row->index >= authored->len)
    return;
  au = g_ptr_array_index (authored, row->index);
  if (column == -3)
    {
      owned = g_strdup_printf ("%s", au->assertion->name);
      text = owned;
      css = "heading";
      gtk_widget_set_tooltip_text (box, au->assertion->pattern ? au->assertion->pattern->description : NULL);
    }
  else if (column == -2)
    {
      owned = g_strdup_printf ("%s · %s", au->assertion->selector->text,
                               au->assertion->pattern ? au->assertion->pattern->name : "?");
      text = owned;
      css = "dim-label";
    }
  else if (column == -1)
    {
      outcome_look (au->verdict, &icon, &text, &css);
      if (au->verdict == NULL)
        {
          text = "Invalid";
          css = "warning";
          gtk_widget_set_tooltip_text (box, au->error);
        }
      else if (au->verdict->outcomes->len)
        {
          const SlOutcome *o = &g_array_index (au->verdict->outcomes, SlOutcome, 0);
          gtk_widget_set_tooltip_text (box, o->message);
        }
    }
  else if ((guint) column < au->phase_verdicts->len)
    {
      const SlVerdict *pv = g_ptr_array_index (au->phase_verdicts, column);
      outcome_look (pv, &icon, &text, &css);
      if (pv && pv->outcomes->len)
        gtk_widget_set_tooltip_text (box, g_array_index (pv->outcomes, SlOutcome, 0).message);
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  gtk_widget_set_visible (image, icon != NULL);
  if (css)
    {
      gtk_widget_add_css_class (label, css);
      if (icon)
        gtk_widget_add_css_class (image, css);
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

typedef struct {
  SlSession *session;
  guint      index;
} RemoveLater;

static gboolean
remove_later (gpointer data)
{
  RemoveLater *r = data;

  if (r->index < sl_session_get_authored (r->session)->len)
    sl_session_remove_authored (r->session, r->index);
  g_object_unref (r->session);
  g_free (r);
  return G_SOURCE_REMOVE;
}

static void
on_remove_clicked (GtkButton *button, SlVerdictTable *self)
{
  SlVerdictRow *row = g_object_get_data (G_OBJECT (button), "row");
  RemoveLater *r;

  if (row == NULL || self->session == NULL)
    return;
  /* Not from inside the row's own click: removing rebuilds the rows. */
  r = g_new0 (RemoveLater, 1);
  r->session = g_object_ref (self->session);
  r->index = row->index;
  g_idle_add (remove_later, r);
}

static void
setup_remove (GtkSignalListItemFactory *f, GtkListItem *item, SlVerdictTable *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, "Remove Assertion");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove assertion", -1);
  g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked), self);
  gtk_list_item_set_child (item, button);
}

static void
bind_remove (GtkSignalListItemFactory *f, GtkListItem *item, SlVerdictTable *self)
{
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "row", gtk_list_item_get_item (item));
}

static void
add_remove_column (SlVerdictTable *self)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_signal_connect (f, "setup", G_CALLBACK (setup_remove), self);
  g_signal_connect (f, "bind", G_CALLBACK (bind_remove), self);
  col = gtk_column_view_column_new (NULL, f);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->view), col);
  g_object_unref (col);
}

static void
add_column (SlVerdictTable *self, const char *title, gint id, gboolean expand)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;

  g_object_set_data (G_OBJECT (f), COLUMN_KEY, GINT_TO_POINTER (id));
  g_signal_connect (f, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (f, "bind", G_CALLBACK (bind_cell), self);
  col = gtk_column_view_column_new (title, f);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->view), col);
  g_object_unref (col);
}

static void
rebuild_columns (SlVerdictTable *self)
{
  GListModel *cols = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->view));
  const SlRenderPhase *phases;
  guint n;

  while (g_list_model_get_n_items (cols) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (cols, 0);
      gtk_column_view_remove_column (GTK_COLUMN_VIEW (self->view), c);
    }
  if (self->session == NULL)
    return;
  add_column (self, "Assertion", -3, FALSE);
  add_column (self, "Field · Pattern", -2, TRUE);
  add_column (self, "Verdict", -1, FALSE);
  phases = sl_session_get_phases (self->session, &n);
  for (guint i = 0; i < n; i++)
    add_column (self, phases[i].label, (gint) i, FALSE);
  add_remove_column (self);
}

static void
refresh_rows (SlVerdictTable *self)
{
  guint n = self->session ? sl_session_get_authored (self->session)->len : 0;

  g_list_store_remove_all (self->rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlVerdictRow) r = g_object_new (SL_TYPE_VERDICT_ROW, NULL);
      r->index = i;
      g_list_store_append (self->rows, r);
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n ? "table" : "empty");
}

gboolean
sl_verdict_table_activate (SlVerdictTable *self, guint row, gint phase_index)
{
  g_return_val_if_fail (SL_IS_VERDICT_TABLE (self), FALSE);
  if (self->session == NULL || row >= sl_session_get_authored (self->session)->len)
    return FALSE;
  return sl_session_reveal_failure (self->session, row, phase_index);
}

static void
on_activate (GtkColumnView *view, guint position, SlVerdictTable *self)
{
  sl_verdict_table_activate (self, position, -1);
}

void
sl_verdict_table_set_session (SlVerdictTable *self, SlSession *session)
{
  g_return_if_fail (SL_IS_VERDICT_TABLE (self));

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    g_signal_connect_swapped (session, "assertions-changed", G_CALLBACK (refresh_rows), self);
  rebuild_columns (self);
  refresh_rows (self);
}

static void
sl_verdict_table_dispose (GObject *object)
{
  SlVerdictTable *self = SL_VERDICT_TABLE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (sl_verdict_table_parent_class)->dispose (object);
}

static void
sl_verdict_table_class_init (SlVerdictTableClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_verdict_table_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sl_verdict_table_init (SlVerdictTable *self)
{
  GtkWidget *scrolled, *empty;
  GtkNoSelection *sel;

  self->rows = g_list_store_new (SL_TYPE_VERDICT_ROW);
  sel = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  self->view = gtk_column_view_new (GTK_SELECTION_MODEL (sel));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (self->view), TRUE);
  gtk_column_view_set_single_click_activate (GTK_COLUMN_VIEW (self->view), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Verdicts of the authored assertions per phase", -1);
  g_signal_connect (self->view, "activate", G_CALLBACK (on_activate), self);
  gtk_widget_add_css_class (self->view, "data-table");

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), self->view);

  /* A full status page is too tall for this pane: a compact one. */
  empty = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (empty, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (empty, 24);
  gtk_widget_set_margin_end (empty, 24);
  {
    GtkWidget *icon = gtk_image_new_from_icon_name ("checkbox-checked-symbolic");
    GtkWidget *title = gtk_label_new ("No Assertions Yet");
    GtkWidget *desc = gtk_label_new ("Select a track, pick a pattern in the assertion panel, then choose Add to Spec. "
                                     "Verdicts per phase appear here.");
    gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
    gtk_widget_add_css_class (icon, "dim-label");
    gtk_widget_add_css_class (title, "heading");
    gtk_widget_add_css_class (desc, "dim-label");
    gtk_label_set_wrap (GTK_LABEL (desc), TRUE);
    gtk_label_set_justify (GTK_LABEL (desc), GTK_JUSTIFY_CENTER);
    gtk_box_append (GTK_BOX (empty), icon);
    gtk_box_append (GTK_BOX (empty), title);
    gtk_box_append (GTK_BOX (empty), desc);
  }

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (self->stack), scrolled, "table");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
}

GtkWidget *
sl_verdict_table_new (void)
{
  return g_object_new (SL_TYPE_VERDICT_TABLE, NULL);
}
