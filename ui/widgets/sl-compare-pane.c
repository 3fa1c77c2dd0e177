/* sl-compare-pane.c: the compare table under the timeline. */
#include "sl-compare-pane.h"

#include <math.h>
#include "sl-phase.h"
#include "sl-ticks.h"
#include <adwaita.h>

struct _SlComparePane
{
  GtkWidget  parent_instance;

  GtkWidget *scroller;
  GtkWidget *stack;      /* "table" or "empty" */
  GtkWidget *grid;
  SlSession *session;
  GArray    *columns;    /* guint16 phase per table column */
  GPtrArray *cells;      /* char*: row-major text, n_rows × n_columns */
  guint      n_rows;
};

G_DEFINE_FINAL_TYPE (SlComparePane, sl_compare_pane, GTK_TYPE_WIDGET)

static GtkWidget *
cell_label (const char *text, const char *css, float xalign)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static const char *
kind_text (SlMetricKind k)
{
  return k == SL_METRIC_COUNTER ? "increase per phase" : "mean per phase";
}

static void
clear_grid (SlComparePane *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->grid)))
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_array_set_size (self->columns, 0);
  g_ptr_array_set_size (self->cells, 0);
  self->n_rows = 0;
}

static void
add_column (SlComparePane *self, guint16 phase)
{
  for (guint i = 0; i < self->columns->len; i++)
    if (g_array_index (self->columns, guint16, i) == phase)
      return;
  g_array_append_val (self->columns, phase);
}

static gint
cmp_u16 (gconstpointer a, gconstpointer b)
{
  return (gint) *(const guint16 *) a - (gint) *(const guint16 *) b;
}

static GtkWidget *
delta_cell (const SlCompareRow *r, char **text_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *a = r && r->has_a ? sl_format_value (r->a, 0) : g_strdup ("—");
  g_autofree char *b = r && r->has_b ? sl_format_value (r->b, 0) : g_strdup ("—");
  g_autofree char *d = NULL, *main_text = NULL, *sub = NULL;
  GtkWidget *l;

  if (r && r->has_delta && r->delta == 0)
    main_text = g_strdup ("no change");
  else if (r && r->has_delta)
    {
      /* Typographic minus signs, as in the rest of the workbench. */
      d = sl_format_value (fabs (r->delta), 0);
      main_text = r->has_rel ? g_strdup_printf ("%s%s (%s%.1f %%)", r->delta < 0 ? "−" : "+", d,
                                                r->rel_pct < 0 ? "−" : "+", fabs (r->rel_pct))
                             : g_strdup_printf ("%s%s", r->delta < 0 ? "−" : "+", d);
    }
  else
    main_text = g_strdup (r ? "not in both runs" : "—");
  sub = g_strdup_printf ("%s → %s", a, b);
  /* A change of 10 % or more stands out; its sign alone says nothing about
   * better or worse (more dispatches can be either), so no colour. */
  l = cell_label (main_text, r && r->has_delta ? (r->has_rel && fabs (r->rel_pct) >= 10 ? "sl-delta-big" : NULL)
                                               : "dim-label", 1);
  gtk_widget_add_css_class (l, "numeric");
  gtk_box_append (GTK_BOX (box), l);
  l = cell_label (sub, "dim-label", 1);
  gtk_widget_add_css_class (l, "caption");
  gtk_widget_add_css_class (l, "numeric");
  gtk_box_append (GTK_BOX (box), l);
  *text_out = g_strdup_printf ("%s (%s)", main_text, sub);
  return box;
}

static void
rebuild (SlComparePane *self)
{
  guint n;

  clear_grid (self);
  if (self->session == NULL || sl_session_get_baseline (self->session) == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  sl_session_sync_baseline (self->session);
  n = sl_session_get_n_tracks (self->session);
  for (guint i = 0; i < n; i++)
    {
      SlTrack *t = sl_session_get_track (self->session, i);
      for (guint k = 0; t->compare && k < t->compare->rows->len; k++)
        add_column (self, g_array_index (t->compare->rows, SlCompareRow, k).phase);
    }
  g_array_sort (self->columns, cmp_u16);

  gtk_grid_attach (GTK_GRID (self->grid), cell_label ("Track", "sl-compare-header", 0), 0, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (self->grid), cell_label ("Compared by", "sl-compare-header", 0), 1, 0, 1, 1);
  for (guint c = 0; c < self->columns->len; c++)
    {
      g_autofree char *label = sl_phase_label (g_array_index (self->columns, guint16, c));
      gtk_grid_attach (GTK_GRID (self->grid), cell_label (label, "sl-compare-header", 1), 2 + c, 0, 1, 1);
    }
  for (guint i = 0; i < n; i++)
    {
      SlTrack *t = sl_session_get_track (self->session, i);
      GtkWidget *title = cell_label (t->label, NULL, 0);

      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 28);
      gtk_widget_set_tooltip_text (title, t->selector);
      gtk_grid_attach (GTK_GRID (self->grid), title, 0, 1 + i, 1, 1);
      if (t->compare == NULL)
        {
          GtkWidget *err = cell_label (t->compare_error ? t->compare_error : "cannot be compared", "dim-label", 0);
          gtk_label_set_wrap (GTK_LABEL (err), TRUE);
          gtk_grid_attach (GTK_GRID (self->grid), err, 1, 1 + i, 1 + MAX (self->columns->len, 1), 1);
          for (guint c = 0; c < self->columns->len; c++)
            g_ptr_array_add (self->cells, g_strdup (""));
          continue;
        }
      gtk_grid_attach (GTK_GRID (self->grid), cell_label (kind_text (t->compare->kind), "dim-label", 0), 1, 1 + i, 1, 1);
      for (guint c = 0; c < self->columns->len; c++)
        {
          guint16 phase = g_array_index (self->columns, guint16, c);
          const SlCompareRow *row = NULL;
          char *text = NULL;

          for (guint k = 0; k < t->compare->rows->len; k++)
            if (g_array_index (t->compare->rows, SlCompareRow, k).phase == phase)
              row = &g_array_index (t->compare->rows, SlCompareRow, k);
          gtk_grid_attach (GTK_GRID (self->grid), delta_cell (row, &text), 2 + c, 1 + i, 1, 1);
          g_ptr_array_add (self->cells, text);
        }
    }
  self->n_rows = n;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n ? "table" : "empty");
}

void
sl_compare_pane_set_session (SlComparePane *self, SlSession *session)
{
  g_return_if_fail (SL_IS_COMPARE_PANE (self));

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_swapped (session, "tracks-changed", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (session, "baseline-changed", G_CALLBACK (rebuild), self);
    }
  rebuild (self);
}

char *
sl_compare_pane_dup_cell (SlComparePane *self, guint row, guint column)
{
  g_return_val_if_fail (SL_IS_COMPARE_PANE (self), NULL);
  if (row >= self->n_rows || column >= self->columns->len)
    return NULL;
  return g_strdup (g_ptr_array_index (self->cells, row * self->columns->len + column));
}

guint
sl_compare_pane_get_n_rows (SlComparePane *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_PANE (self), 0);
  return self->n_rows;
}

guint
sl_compare_pane_get_n_columns (SlComparePane *self)
{
  g_return_val_if_fail (SL_IS_COMPARE_PANE (self), 0);
  return self->columns->len;
}

static void
sl_compare_pane_dispose (GObject *object)
{
  SlComparePane *self = SL_COMPARE_PANE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  G_OBJECT_CLASS (sl_compare_pane_parent_class)->dispose (object);
}

static void
sl_compare_pane_finalize (GObject *object)
{
  SlComparePane *self = SL_COMPARE_PANE (object);

  g_array_unref (self->columns);
  g_ptr_array_unref (self->cells);
  G_OBJECT_CLASS (sl_compare_pane_parent_class)->finalize (object);
}

static void
sl_compare_pane_class_init (SlComparePaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_compare_pane_dispose;
  object_class->finalize = sl_compare_pane_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_compare_pane_init (SlComparePane *self)
{
  GtkWidget *empty;

  self->columns = g_array_new (FALSE, FALSE, sizeof (guint16));
  self->cells = g_ptr_array_new_with_free_func (g_free);
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "view-dual-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), "No Baseline");
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), "Open a baseline run to compare each track phase by phase");
  gtk_widget_add_css_class (empty, "compact");
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 8);
  gtk_widget_set_margin_start (self->grid, 12);
  gtk_widget_set_margin_end (self->grid, 12);
  gtk_widget_set_margin_top (self->grid, 8);
  gtk_widget_set_margin_bottom (self->grid, 12);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->grid);
  gtk_stack_add_named (GTK_STACK (self->stack), self->scroller, "table");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  "Per-phase comparison with the baseline run", -1);
}

GtkWidget *
sl_compare_pane_new (void)
{
  return g_object_new (SL_TYPE_COMPARE_PANE, NULL);
}
