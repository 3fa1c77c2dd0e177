/* sl-window.c: the workbench window and its actions. */
#include "sl-window.h"
#include "sl-window-private.h"

#include <math.h>
#include <string.h>

#include "sl-application.h"
#include "sl-export.h"
#include "sl-loader.h"
#include "sl-session-file.h"
#include "sl-track-panel.h"
#include "sl-compare-pane.h"
#include "sl-live-run.h"
#include "sl-ticks.h"


G_DEFINE_FINAL_TYPE (SlWindow, sl_window, ADW_TYPE_APPLICATION_WINDOW)

void
sl_window_toast (SlWindow *self, const char *text)
{
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toasts), adw_toast_new (text));
}


enum {
  PROP_0,
  PROP_INCLUDE_FAILING,
  PROP_SHOW_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sl_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_INCLUDE_FAILING:
      g_value_set_boolean (value, self->include_failing);
      break;
    case PROP_SHOW_FIELDS:
      /* Queried by the property action before the template exists. */
      g_value_set_boolean (value, self->field_browser == NULL || gtk_widget_get_visible (self->field_browser));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_INCLUDE_FAILING:
      if (self->include_failing != g_value_get_boolean (value))
        {
          self->include_failing = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SHOW_FIELDS:
      if (self->field_browser && gtk_widget_get_visible (self->field_browser) != g_value_get_boolean (value))
        {
          gtk_widget_set_visible (self->field_browser, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void update_actions (SlWindow *self);

void
sl_window_update_actions (SlWindow *self)
{
  update_actions (self);
}

static void
update_actions (SlWindow *self)
{
  gboolean have = self->session != NULL;
  guint n_authored = have ? sl_session_get_authored (self->session)->len : 0;
  double a, b;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-spec", n_authored > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-test", n_authored > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-image", have && sl_session_get_n_tracks (self->session) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-session", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-fit", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-selection", have && sl_session_get_selection (self->session, &a, &b));
  /* Sysprof's floating bar: what can be done with a selection, where it is. */
  if (have && sl_session_get_selection (self->session, &a, &b))
    {
      g_autofree char *from = sl_format_time_ms (a, 0);
      g_autofree char *len = sl_format_time_ms (b - a, 0);
      g_autofree char *text = b - a < 0.5 ? g_strdup_printf ("At %s", from)
                                          : g_strdup_printf ("%s from %s", len, from);
      gtk_label_set_text (GTK_LABEL (self->selection_label), text);
      gtk_widget_set_visible (self->selection_bar, TRUE);
    }
  else
    gtk_widget_set_visible (self->selection_bar, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-fields", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.find-field", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-baseline", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-baseline", have && sl_session_get_baseline (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-run", sl_window_is_running (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-log", self->live != NULL);
  gtk_widget_set_visible (self->zoom_box, have);
  gtk_widget_set_visible (self->export_button, have);
}

static void
on_tracks_changed (SlWindow *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->timeline_stack),
                                    sl_session_get_n_tracks (self->session) ? "timeline" : "empty");
  update_actions (self);
}

/* --- recent runs ------------------------------------------------------- */

static void
on_recent_activated (SlWindow *self, AdwActionRow *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  sl_window_open (self, file);
}

static void
fill_recent (SlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (self->recent_list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->recent_list), child);
  if (app && SL_IS_APPLICATION (app))
    recent = sl_application_dup_recent (SL_APPLICATION (app));
  for (guint i = 0; recent && recent[i]; i++)
    {
      GtkWidget *row;
      g_autofree char *base_raw = g_path_get_basename (recent[i]);
      g_autofree char *dir_raw = g_path_get_dirname (recent[i]);
      g_autofree char *base = g_markup_escape_text (base_raw, -1);
      g_autofree char *dir = g_markup_escape_text (dir_raw, -1);

      if (!g_file_test (recent[i], G_FILE_TEST_EXISTS))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (recent[i]), g_free);
      g_signal_connect_swapped (row, "activated", G_CALLBACK (on_recent_activated), self);
      gtk_list_box_append (GTK_LIST_BOX (self->recent_list), row);
      shown++;
    }
  gtk_widget_set_visible (self->recent_group, shown > 0);
}

/* --- loading ------------------------------------------------------------ */

static void
save_session_quietly (SlWindow *self)
{
  g_autofree char *path = NULL;

  if (self->session == NULL || sl_session_get_n_tracks (self->session) == 0)
    return;
  path = sl_session_file_save (self->session, NULL);
}

void
sl_window_set_session (SlWindow *self, SlSession *session)
{
  g_autofree char *title = NULL;

  save_session_quietly (self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  sl_field_browser_set_catalog (SL_FIELD_BROWSER (self->field_browser),
                                session ? sl_session_get_catalog (session) : NULL);
  sl_timeline_set_session (SL_TIMELINE (self->timeline), session);
  sl_verdict_table_set_session (SL_VERDICT_TABLE (self->verdict_table), session);
  sl_track_panel_set_session (SL_TRACK_PANEL (self->track_panel), session);
  sl_assertion_editor_set_session (SL_ASSERTION_EDITOR (self->assertion_editor), session);
  sl_window_compare_session_changed (self);
  if (session)
    {
      g_autofree char *base = g_path_get_basename (sl_session_get_path (session));
      g_signal_connect_swapped (session, "tracks-changed", G_CALLBACK (on_tracks_changed), self);
      g_signal_connect_swapped (session, "assertions-changed", G_CALLBACK (update_actions), self);
      g_signal_connect_swapped (session, "selection-changed", G_CALLBACK (update_actions), self);
      title = sl_session_dup_title (session);
      adw_window_title_set_title (ADW_WINDOW_TITLE (self->window_title), title);
      adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), base);
      gtk_window_set_title (GTK_WINDOW (self), title);
      on_tracks_changed (self);
    }
  update_actions (self);
}

static void
on_progress (double fraction, gpointer user_data)
{
  SlWindow *self = user_data;
  g_autofree char *text = g_strdup_printf ("%.0f %%", fraction * 100);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), fraction);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress), text);
}

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(SlRun) run = sl_loader_load_finish (result, &warning, &error);
  g_autoptr(SlSession) session = NULL;
  g_autofree char *path = g_steal_pointer (&self->loading_path);
  g_autoptr(GError) restore_error = NULL;
  GtkApplication *app;

  g_clear_object (&self->loading);
  g_clear_pointer (&self->message, g_free);
  if (run == NULL)
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->session ? "workbench" : "greeter");
      if (!cancelled)
        {
          g_autofree char *base = g_path_get_basename (path);
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), "Could Not Open Run", NULL);

          self->message = g_strdup_printf ("“%s” is not a readable run archive: %s", base, error->message);
          adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), self->message);
          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", "_Close");
          gtk_window_present (GTK_WINDOW (dialog));
        }
      update_actions (self);
      return;
    }

  session = sl_session_new (run, path);
  sl_window_set_session (self, session);
  if (!sl_session_file_restore (session, &restore_error))
    {
      if (restore_error)
        sl_window_toast (self, "The saved session of this run could not be restored");
      sl_session_add_default_tracks (session, 4);
    }
  on_tracks_changed (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "workbench");

  self->message = g_steal_pointer (&warning);
  if (self->message == NULL && run->header.synthetic)
    self->message = g_strdup ("This run is synthetic: its data was generated, not captured from a kernel.");
  gtk_label_set_text (GTK_LABEL (self->warning_label), self->message ? self->message : "");
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->warning_bar),
                                 run->complete ? GTK_MESSAGE_INFO : GTK_MESSAGE_WARNING);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->warning_bar), self->message != NULL);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if (app && SL_IS_APPLICATION (app))
    sl_application_add_recent (SL_APPLICATION (app), path);
}

void
sl_window_open (SlWindow *self, GFile *file)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      sl_window_toast (self, "Only local files can be opened");
      return;
    }
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  g_free (self->loading_path);
  self->loading_path = g_strdup (path);
  base = g_path_get_basename (path);
  {
    g_autofree char *escaped = g_markup_escape_text (base, -1);
    adw_status_page_set_description (ADW_STATUS_PAGE (self->loading_page), escaped);
  }
  adw_status_page_set_title (ADW_STATUS_PAGE (self->loading_page), "Loading Run…");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->loading_page), "folder-open-symbolic");
  gtk_widget_set_visible (self->progress, TRUE);
  on_progress (0, self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  sl_loader_load_async (path, self->loading, on_progress, self, on_loaded, g_object_ref (self));
}

gboolean
sl_window_is_loading (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  return self->loading != NULL;
}

/* --- other actions ------------------------------------------------------- */

static void
simple_action (GtkWidget *w, const char *name, GVariant *p)
{
  SlWindow *self = SL_WINDOW (w);

  if (g_str_equal (name, "win.cancel-load"))
    {
      if (self->loading)
        g_cancellable_cancel (self->loading);
      else if (sl_window_is_running (self))
        sl_window_stop_run (self);   /* the loading page of a starting run */
      return;
    }
  if (self->session == NULL)
    return;
  if (g_str_equal (name, "win.zoom-in"))
    sl_session_zoom (self->session, 0.8, NAN);
  else if (g_str_equal (name, "win.zoom-out"))
    sl_session_zoom (self->session, 1.25, NAN);
  else if (g_str_equal (name, "win.zoom-fit"))
    sl_session_fit_all (self->session);
  else if (g_str_equal (name, "win.zoom-selection"))
    sl_session_zoom_to_selection (self->session);
  else if (g_str_equal (name, "win.clear-selection"))
    sl_session_clear_selection (self->session);
  else if (g_str_equal (name, "win.find-field"))
    {
      g_object_set (self, "show-fields", TRUE, NULL);
      sl_field_browser_focus_search (SL_FIELD_BROWSER (self->field_browser));
    }
  else if (g_str_equal (name, "win.save-session"))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = sl_session_file_save (self->session, &error);
      sl_window_toast (self, path ? "Session saved" : error->message);
    }
}

static void
on_field_activated (SlWindow *self, const char *selector)
{
  guint i = sl_session_add_track (self->session, selector);
  sl_timeline_scroll_to_track (SL_TIMELINE (self->timeline), i);
}

static void
on_family_activated (SlWindow *self, const char *family, GStrv members)
{
  guint i = sl_session_add_track_group (self->session, family, (const char *const *) members);
  sl_timeline_scroll_to_track (SL_TIMELINE (self->timeline), i);
  if (i < sl_session_get_n_tracks (self->session))
    sl_session_select_track (self->session, (gint) i);
}

static gboolean
on_drop (GtkDropTarget *target, const GValue *value, double x, double y, SlWindow *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      if (files)
        {
          sl_window_open (self, files->data);
          return TRUE;
        }
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      sl_window_open (self, g_value_get_object (value));
      return TRUE;
    }
  return FALSE;
}

static gboolean
on_close_request (SlWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettings *settings = app && SL_IS_APPLICATION (app) ? sl_application_get_settings (SL_APPLICATION (app)) : NULL;

  save_session_quietly (self);
  if (settings)
    {
      int w, h;
      gtk_window_get_default_size (GTK_WINDOW (self), &w, &h);
      g_settings_set_int (settings, "window-width", w);
      g_settings_set_int (settings, "window-height", h);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
      g_settings_set_boolean (settings, "show-fields", gtk_widget_get_visible (self->field_browser));
    }
  if (self->loading)
    g_cancellable_cancel (self->loading);
  return FALSE;
}

static void
on_warning_response (GtkInfoBar *bar, int response)
{
  gtk_info_bar_set_revealed (bar, FALSE);
}

static void
sl_window_dispose (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  sl_window_live_dispose (self);
  sl_window_compare_dispose (self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_WINDOW);
  G_OBJECT_CLASS (sl_window_parent_class)->dispose (object);
}

static void
sl_window_finalize (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  g_free (self->loading_path);
  g_free (self->message);
  G_OBJECT_CLASS (sl_window_parent_class)->finalize (object);
}

static void
sl_window_class_init (SlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *const simple[] = {
    "win.cancel-load", "win.zoom-in", "win.zoom-out", "win.zoom-fit", "win.zoom-selection",
    "win.find-field", "win.save-session", "win.clear-selection",
  };

  object_class->dispose = sl_window_dispose;
  object_class->finalize = sl_window_finalize;
  object_class->get_property = sl_window_get_property;
  object_class->set_property = sl_window_set_property;

  properties[PROP_INCLUDE_FAILING] =
    g_param_spec_boolean ("include-failing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_FIELDS] =
    g_param_spec_boolean ("show-fields", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SL_TYPE_FIELD_BROWSER);
  g_type_ensure (SL_TYPE_TIMELINE);
  g_type_ensure (SL_TYPE_VERDICT_TABLE);
  g_type_ensure (SL_TYPE_TRACK_PANEL);
  g_type_ensure (SL_TYPE_ASSERTION_EDITOR);
  g_type_ensure (SL_TYPE_COMPARE_PANE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/schedlab/Schedlab/sl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, progress);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, warning_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, field_browser);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, timeline_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, verdict_table);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, track_panel);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, assertion_editor);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, zoom_box);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, selection_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_spinner);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_icon);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_status);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_detail);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, live_stop);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, baseline_bar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, baseline_label);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, bottom_switcher);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, compare_pane);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, sl_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.export-spec", NULL, sl_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.export-test", NULL, sl_window_export_action);
  gtk_widget_class_install_action (widget_class, "win.export-image", NULL, sl_window_export_action);
  for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
    gtk_widget_class_install_action (widget_class, simple[i], NULL, simple_action);
  gtk_widget_class_install_property_action (widget_class, "win.include-failing", "include-failing");
  gtk_widget_class_install_property_action (widget_class, "win.show-fields", "show-fields");
  sl_window_live_class_init (widget_class);
  sl_window_compare_class_init (widget_class);
}

static void
sl_window_init (SlWindow *self)
{
  GtkDropTarget *drop;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->warning_bar, "response", G_CALLBACK (on_warning_response), NULL);
  g_signal_connect_swapped (self->field_browser, "field-activated", G_CALLBACK (on_field_activated), self);
  g_signal_connect_swapped (self->field_browser, "family-activated", G_CALLBACK (on_family_activated), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_actions (self);
}

SlWindow *
sl_window_new (GtkApplication *app)
{
  SlWindow *self = g_object_new (SL_TYPE_WINDOW, "application", app, NULL);
  GSettings *settings = app && SL_IS_APPLICATION (app) ? sl_application_get_settings (SL_APPLICATION (app)) : NULL;

  if (settings)
    {
      gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_object_set (self, "show-fields", g_settings_get_boolean (settings, "show-fields"), NULL);
    }
  fill_recent (self);
  return self;
}

SlSession *
sl_window_get_session (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return self->session;
}

const char *
sl_window_get_message (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return self->message;
}

SlFieldBrowser *
sl_window_get_field_browser (SlWindow *self)
{
  return SL_FIELD_BROWSER (self->field_browser);
}

SlAssertionEditor *
sl_window_get_assertion_editor (SlWindow *self)
{
  return SL_ASSERTION_EDITOR (self->assertion_editor);
}

SlTimeline *
sl_window_get_timeline (SlWindow *self)
{
  return SL_TIMELINE (self->timeline);
}

SlVerdictTable *
sl_window_get_verdict_table (SlWindow *self)
{
  return SL_VERDICT_TABLE (self->verdict_table);
}
