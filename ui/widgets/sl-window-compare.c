/* sl-window-compare.c: compare mode in the window: "Open Baseline…" loads a
 * second run that every track overlays (dashed, phase-aligned), the legend
 * bar names it, and the compare pane shows per-phase deltas. */
#include "sl-window.h"
#include "sl-window-private.h"

#include "sl-compare-pane.h"
#include "sl-loader.h"

static void
update_baseline_ui (SlWindow *self)
{
  SlSession *s = self->session;
  gboolean have = s != NULL && sl_session_get_baseline (s) != NULL;

  gtk_widget_set_visible (self->baseline_bar, have);
  gtk_widget_set_visible (self->bottom_switcher, have);
  if (have)
    {
      g_autofree char *base = g_path_get_basename (sl_session_get_baseline_path (s) ? sl_session_get_baseline_path (s) : "baseline");
      g_autofree char *esc = g_markup_escape_text (base, -1);
      /* The legend: a dashed stroke like the one on the tracks. */
      g_autofree char *markup = g_strdup_printf ("<span alpha=\"60%%\" weight=\"bold\">╌╌╌</span>  baseline: <b>%s</b>"
                                                 "  <span alpha=\"55%%\">aligned by phase · deltas are this run − baseline</span>",
                                                 esc);
      gtk_label_set_markup (GTK_LABEL (self->baseline_label), markup);
      gtk_stack_set_visible_child_name (GTK_STACK (self->bottom_stack), "compare");
    }
  else
    gtk_stack_set_visible_child_name (GTK_STACK (self->bottom_stack), "verdicts");
  sl_window_update_actions (self);
}

void
sl_window_compare_session_changed (SlWindow *self)
{
  sl_compare_pane_set_session (SL_COMPARE_PANE (self->compare_pane), self->session);
  if (self->session)
    g_signal_connect_swapped (self->session, "baseline-changed", G_CALLBACK (update_baseline_ui), self);
  update_baseline_ui (self);
}

typedef struct {
  SlWindow     *window;
  GCancellable *cancellable;
  char         *path;
} BaselineLoad;

static void
baseline_load_free (BaselineLoad *load)
{
  g_object_unref (load->window);
  g_object_unref (load->cancellable);
  g_free (load->path);
  g_free (load);
}

static void
on_baseline_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BaselineLoad *load = user_data;
  SlWindow *self = load->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(SlRun) run = sl_loader_load_finish (result, &warning, &error);

  if (self->baseline_loading == load->cancellable)
    g_clear_object (&self->baseline_loading);
  if (run == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GtkWidget *d = adw_message_dialog_new (GTK_WINDOW (self), "Could Not Open Baseline", error->message);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (d), "close", "_Close");
          gtk_window_present (GTK_WINDOW (d));
        }
    }
  else if (self->session && !g_cancellable_is_cancelled (load->cancellable))
    {
      sl_session_set_baseline (self->session, run, load->path);
      if (warning)
        sl_window_toast (self, warning);
    }
  baseline_load_free (load);
}

void
sl_window_open_baseline (SlWindow *self, GFile *file)
{
  g_autofree char *path = NULL;
  BaselineLoad *load;

  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  path = g_file_get_path (file);
  if (path == NULL || self->session == NULL)
    return;
  if (self->baseline_loading)
    g_cancellable_cancel (self->baseline_loading);
  g_clear_object (&self->baseline_loading);
  self->baseline_loading = g_cancellable_new ();
  load = g_new0 (BaselineLoad, 1);
  load->window = g_object_ref (self);
  load->cancellable = g_object_ref (self->baseline_loading);
  load->path = g_steal_pointer (&path);
  sl_loader_load_async (load->path, self->baseline_loading, NULL, NULL, on_baseline_loaded, load);
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, SlWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file)
        sl_window_open_baseline (self, file);
    }
  g_clear_object (&self->dialog);
}

static void
compare_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (g_str_equal (name, "win.clear-baseline"))
    {
      if (self->session)
        sl_session_set_baseline (self->session, NULL, NULL);
      return;
    }
  {
    GtkFileChooserNative *native = gtk_file_chooser_native_new ("Open a Baseline Run", GTK_WINDOW (self),
                                                                GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
    g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

    gtk_file_filter_set_name (filter, "Run archives");
    gtk_file_filter_add_pattern (filter, "*.slrun");
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
    g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), self);
    g_clear_object (&self->dialog);
    self->dialog = GTK_NATIVE_DIALOG (native);
    gtk_native_dialog_set_modal (self->dialog, TRUE);
    gtk_native_dialog_show (self->dialog);
  }
}

void
sl_window_compare_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-baseline", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.clear-baseline", NULL, compare_action);
}

void
sl_window_compare_dispose (SlWindow *self)
{
  if (self->baseline_loading)
    g_cancellable_cancel (self->baseline_loading);
  g_clear_object (&self->baseline_loading);
}

GtkWidget *
sl_window_get_compare_pane (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return self->compare_pane;
}

const char *
sl_window_get_baseline_legend (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return gtk_widget_get_visible (self->baseline_bar) ? gtk_label_get_text (GTK_LABEL (self->baseline_label)) : NULL;
}
