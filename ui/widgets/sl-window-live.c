/* sl-window-live.c: live runs in the window. "New Run…" gathers choices and
 * spawns `schedlab-cli run` (see sl-live-run.h for why a subprocess rather
 * than a runner thread in this process); the archive it writes is tailed and
 * the workbench shows the run as it grows: tracks extend, phase bands appear
 * as steps start, a status bar tells the phase, samples and time. Stop keeps
 * what was captured; failures are told in plain words with the log at hand. */
#include "sl-window.h"
#include "sl-window-private.h"

#include "sl-application.h"
#include "sl-live-run.h"
#include "sl-new-run-dialog.h"

static void
set_live_status (SlWindow *self, const char *status, const char *detail)
{
  gtk_label_set_text (GTK_LABEL (self->live_status), status);
  gtk_label_set_text (GTK_LABEL (self->live_detail), detail ? detail : "");
}

static void
update_status (SlWindow *self)
{
  SlLiveRun *live = self->live;
  SlLiveState state;
  g_autofree char *status = NULL, *detail = NULL;
  const char *phase;
  guint n, target;

  if (live == NULL)
    return;
  state = sl_live_run_get_state (live);
  phase = sl_live_run_get_phase_label (live);
  n = sl_live_run_get_n_samples (live);
  target = sl_live_run_get_samples_target (live);
  if (state == SL_LIVE_WAITING)
    status = g_strdup_printf ("Starting · %s", sl_live_run_get_status (live) ? sl_live_run_get_status (live) : "booting");
  else if (state == SL_LIVE_RUNNING)
    status = phase ? g_strdup_printf ("Running · %s", phase) : g_strdup ("Running");
  else if (state == SL_LIVE_STOPPING)
    status = g_strdup ("Stopping…");
  else if (state == SL_LIVE_FAILED)
    status = g_strdup ("Run Failed");
  else
    {
      SlRun *run = sl_live_run_get_run (live);
      gboolean interrupted = run && g_strcmp0 (run->end_reason, "interrupted") == 0;
      status = g_strdup (interrupted ? "Stopped" : "Finished");
    }
  if (state == SL_LIVE_FAILED && sl_live_run_get_problem (live))
    detail = g_strdup (sl_live_run_get_problem (live));
  else
    detail = g_strdup_printf ("%u%s%.0u sample%s · %.1f s of workload · %.0f s since start", n,
                              target ? " of " : "", target, (target ? target : n) == 1 ? "" : "s",
                              sl_live_run_get_elapsed_s (live), sl_live_run_get_wall_s (live));
  set_live_status (self, status, detail);
}

static gboolean
on_clock (gpointer user_data)
{
  update_status (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_live_updated (SlWindow *self, guint new_samples, SlLiveRun *live)
{
  SlRun *run = sl_live_run_get_run (live);

  update_status (self);
  if (run == NULL)
    return;
  if (self->live_session == NULL || sl_session_get_run (self->live_session) != run)
    {
      g_autofree char *title = NULL;

      g_clear_object (&self->live_session);
      self->live_session = sl_session_new (run, sl_live_run_get_path (live));
      sl_window_set_session (self, self->live_session);
      /* Whatever the previous run's bar said does not apply. */
      g_clear_pointer (&self->message, g_free);
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->warning_bar), FALSE);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "workbench");
      self->live_n_fields = sl_session_get_catalog (self->live_session)->fields->len;
    }
  else if (self->session == self->live_session)
    {
      sl_session_refresh (self->live_session);
      /* New fields (the first stats, the first BPF maps): a fresh browser. */
      if (sl_session_get_catalog (self->live_session)->fields->len != self->live_n_fields)
        {
          self->live_n_fields = sl_session_get_catalog (self->live_session)->fields->len;
          sl_field_browser_set_catalog (SL_FIELD_BROWSER (self->field_browser),
                                        sl_session_get_catalog (self->live_session));
        }
    }
  if (self->session == self->live_session && sl_session_get_n_tracks (self->live_session) == 0)
    sl_session_add_default_tracks (self->live_session, 4);
}

static void
append_log_line (SlWindow *self, const char *line)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  if (self->log_view == NULL)
    return;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->log_view));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, line, -1);
  gtk_text_buffer_insert (buffer, &end, "\n", 1);
}

static void
on_log_line (SlWindow *self, const char *line)
{
  append_log_line (self, line);
}

static void
on_log_destroyed (SlWindow *self)
{
  self->log_view = NULL;
}

static void
show_log (SlWindow *self)
{
  GtkWidget *win, *box, *header, *scroller, *view;
  GPtrArray *log;

  if (self->live == NULL)
    return;
  if (self->log_view)
    {
      gtk_window_present (GTK_WINDOW (gtk_widget_get_root (self->log_view)));
      return;
    }
  win = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (win), "Run Log");
  gtk_window_set_transient_for (GTK_WINDOW (win), GTK_WINDOW (self));
  gtk_window_set_default_size (GTK_WINDOW (win), 760, 520);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Run Log", sl_live_run_get_path (self->live)));
  gtk_box_append (GTK_BOX (box), header);
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (win), box);
  self->log_view = view;
  log = sl_live_run_get_log (self->live);
  for (guint i = 0; i < log->len; i++)
    append_log_line (self, g_ptr_array_index (log, i));
  g_signal_connect_swapped (view, "destroy", G_CALLBACK (on_log_destroyed), self);
  gtk_window_present (GTK_WINDOW (win));
}

static void
on_failure_response (AdwMessageDialog *dialog, const char *response, SlWindow *self)
{
  if (g_str_equal (response, "log"))
    show_log (self);
}

static void
on_live_state (SlWindow *self, SlLiveRun *live)
{
  SlLiveState state = sl_live_run_get_state (live);
  gboolean done = state == SL_LIVE_FINISHED || state == SL_LIVE_FAILED;

  update_status (self);
  gtk_spinner_set_spinning (GTK_SPINNER (self->live_spinner), !done);
  gtk_widget_set_visible (self->live_spinner, !done);
  gtk_widget_set_visible (self->live_icon, done);
  gtk_widget_set_visible (self->live_stop, !done);
  if (state == SL_LIVE_FAILED)
    gtk_widget_add_css_class (self->live_bar, "failed");
  if (done)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      SlRun *run = sl_live_run_get_run (live);

      g_clear_handle_id (&self->live_clock, g_source_remove);
      gtk_image_set_from_icon_name (GTK_IMAGE (self->live_icon),
                                    state == SL_LIVE_FAILED ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
      /* The finished archive stays open and joins the recent runs. */
      if (run != NULL && app && SL_IS_APPLICATION (app))
        sl_application_add_recent (SL_APPLICATION (app), sl_live_run_get_path (live));
      if (self->session == self->live_session && self->live_session)
        sl_session_refresh (self->live_session);
      if (state == SL_LIVE_FAILED)
        {
          GtkWidget *d = adw_message_dialog_new (GTK_WINDOW (self), "The Run Failed", sl_live_run_get_problem (live));
          adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (d), "log", "Show _Log", "close", "_Close", NULL);
          adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (d), "close");
          g_signal_connect_object (d, "response", G_CALLBACK (on_failure_response), self, 0);
          gtk_window_present (GTK_WINDOW (d));
          if (self->session == NULL)
            gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "greeter");
        }
    }
  sl_window_update_actions (self);
}

static void
attach_live (SlWindow *self, SlLiveRun *live)
{
  sl_window_live_dispose (self);
  self->live = live;
  g_signal_connect_object (live, "updated", G_CALLBACK (on_live_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (live, "state-changed", G_CALLBACK (on_live_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (live, "log-line", G_CALLBACK (on_log_line), self, G_CONNECT_SWAPPED);
  gtk_widget_remove_css_class (self->live_bar, "failed");
  gtk_widget_set_visible (self->live_bar, TRUE);
  self->live_clock = g_timeout_add_seconds (1, on_clock, self);
  on_live_state (self, live);
  /* Until the header arrives there is nothing to plot: the status bar over
   * the previous run, or the loading page. */
  if (self->session == NULL)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->loading_page), "Starting the Run…");
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->loading_page), "media-record-symbolic");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->loading_page),
                                       "Fetching the kernel and booting the virtual machine");
      gtk_widget_set_visible (self->progress, FALSE);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
    }
}

gboolean
sl_window_start_run (SlWindow *self, const char *const *args, const char *output, GError **error)
{
  g_autofree char *cli = sl_new_run_find_cli ();
  SlLiveRun *live;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (output != NULL, FALSE);
  if (cli == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "schedlab-cli was not found (set SCHEDLAB_CLI)");
      return FALSE;
    }
  live = sl_live_run_spawn (cli, args, output, error);
  if (live == NULL)
    return FALSE;
  attach_live (self, live);
  return TRUE;
}

void
sl_window_follow_run (SlWindow *self, const char *path)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (path != NULL);
  attach_live (self, sl_live_run_new_follow (path, 200));
}

void
sl_window_stop_run (SlWindow *self)
{
  g_return_if_fail (SL_IS_WINDOW (self));
  if (self->live)
    sl_live_run_stop (self->live);
}

gboolean
sl_window_is_running (SlWindow *self)
{
  SlLiveState s;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  if (self->live == NULL)
    return FALSE;
  s = sl_live_run_get_state (self->live);
  return s == SL_LIVE_WAITING || s == SL_LIVE_RUNNING || s == SL_LIVE_STOPPING;
}

const char *
sl_window_get_live_status (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->live_status));
}

const char *
sl_window_get_live_detail (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->live_detail));
}

static void
on_start (SlWindow *self, GStrv args, const char *output)
{
  g_autoptr(GError) error = NULL;

  if (!sl_window_start_run (self, (const char *const *) args, output, &error))
    {
      GtkWidget *d = adw_message_dialog_new (GTK_WINDOW (self), "Could Not Start the Run", error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (d), "close", "_Close");
      gtk_window_present (GTK_WINDOW (d));
    }
}

static void
live_action (GtkWidget *widget, const char *name, GVariant *param)
{
  SlWindow *self = SL_WINDOW (widget);

  if (g_str_equal (name, "win.stop-run"))
    sl_window_stop_run (self);
  else if (g_str_equal (name, "win.show-log"))
    show_log (self);
  else if (g_str_equal (name, "win.new-run"))
    {
      GtkWidget *dialog;

      if (sl_window_is_running (self))
        {
          sl_window_toast (self, "A run is in progress: stop it first");
          return;
        }
      dialog = sl_new_run_dialog_new (GTK_WINDOW (self));
      g_signal_connect_object (dialog, "start", G_CALLBACK (on_start), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

void
sl_window_live_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.new-run", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "win.stop-run", NULL, live_action);
  gtk_widget_class_install_action (widget_class, "win.show-log", NULL, live_action);
}

void
sl_window_live_dispose (SlWindow *self)
{
  g_clear_handle_id (&self->live_clock, g_source_remove);
  if (self->live)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  g_clear_object (&self->live_session);
}
