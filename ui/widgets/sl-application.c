/* sl-application.c: application lifecycle, app actions, recent runs. */
#include "sl-application.h"

#include "sl-window.h"

#define MAX_RECENT 10

struct _SlApplication
{
  AdwApplication parent_instance;
  GSettings     *settings;
  GPtrArray     *recent;   /* char*, used when there is no schema */
};

G_DEFINE_FINAL_TYPE (SlApplication, sl_application, ADW_TYPE_APPLICATION)

static void
sl_application_activate (GApplication *app)
{
  GtkWindow *win = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (win == NULL)
    win = GTK_WINDOW (sl_window_new (GTK_APPLICATION (app)));
  gtk_window_present (win);
}

static void
sl_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      SlWindow *win = NULL;
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));

      /* Reuse a window that shows nothing yet. */
      if (active && SL_IS_WINDOW (active) && sl_window_get_session (SL_WINDOW (active)) == NULL
          && !sl_window_is_loading (SL_WINDOW (active)))
        win = SL_WINDOW (active);
      else
        win = sl_window_new (GTK_APPLICATION (app));
      sl_window_open (win, files[i]);
      gtk_window_present (GTK_WINDOW (win));
    }
}

static void
quit_action (GSimpleAction *a, GVariant *p, gpointer app)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Closing each window saves its session. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

static void
new_window_action (GSimpleAction *a, GVariant *p, gpointer app)
{
  gtk_window_present (GTK_WINDOW (sl_window_new (GTK_APPLICATION (app))));
}

static void
about_action (GSimpleAction *a, GVariant *p, gpointer app)
{
  static const char *developers[] = { "The Schedlab authors", NULL };
  GtkWidget *about = adw_about_window_new ();

  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), "Schedlab");
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), SL_APPLICATION_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), SL_VERSION);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 "A workbench for testing Linux process schedulers, above all sched_ext: "
                                 "explore runs per phase, author temporal assertions, export them as tests.");
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_2_0);
  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (about));
}

static void
sl_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "quit", quit_action, NULL, NULL, NULL, { 0 } },
    { "new-window", new_window_action, NULL, NULL, NULL, { 0 } },
    { "about", about_action, NULL, NULL, NULL, { 0 } },
  };
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.new-run", { "<Control>r", NULL } },
    { "win.open-baseline", { "<Control><Shift>o", NULL } },
    { "win.save-session", { "<Control>s", NULL } },
    { "win.export-spec", { "<Control>e", NULL } },
    { "win.export-test", { "<Control><Shift>e", NULL } },
    { "win.export-image", { "<Control><Shift>s", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
    { "win.zoom-out", { "<Control>minus", NULL } },
    { "win.zoom-fit", { "<Control>0", NULL } },
    { "win.show-fields", { "F9", NULL } },
    { "win.find-field", { "<Control>f", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (sl_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
sl_application_finalize (GObject *object)
{
  SlApplication *self = SL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_ptr_array_unref (self->recent);
  G_OBJECT_CLASS (sl_application_parent_class)->finalize (object);
}

static void
sl_application_class_init (SlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sl_application_finalize;
  app_class->activate = sl_application_activate;
  app_class->open = sl_application_open;
  app_class->startup = sl_application_startup;
}

static void
sl_application_init (SlApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, SL_APPLICATION_ID, TRUE) : NULL;

  self->recent = g_ptr_array_new_with_free_func (g_free);
  if (schema)
    self->settings = g_settings_new (SL_APPLICATION_ID);
}

SlApplication *
sl_application_new (GApplicationFlags extra_flags)
{
  return g_object_new (SL_TYPE_APPLICATION,
                       "application-id", SL_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | extra_flags,
                       "resource-base-path", "/org/schedlab/Schedlab",
                       NULL);
}

GSettings *
sl_application_get_settings (SlApplication *self)
{
  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);
  return self->settings;
}

GStrv
sl_application_dup_recent (SlApplication *self)
{
  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);
  if (self->settings)
    return g_settings_get_strv (self->settings, "recent-runs");
  {
    GStrvBuilder *b = g_strv_builder_new ();
    GStrv out;
    for (guint i = 0; i < self->recent->len; i++)
      g_strv_builder_add (b, g_ptr_array_index (self->recent, i));
    out = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return out;
  }
}

void
sl_application_add_recent (SlApplication *self, const char *path)
{
  g_auto(GStrv) old = NULL;
  GStrvBuilder *b;
  g_auto(GStrv) list = NULL;
  guint n = 1;

  g_return_if_fail (SL_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  old = sl_application_dup_recent (self);
  b = g_strv_builder_new ();
  g_strv_builder_add (b, path);
  for (guint i = 0; old[i] && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (b, old[i]);
        n++;
      }
  list = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (self->settings)
    g_settings_set_strv (self->settings, "recent-runs", (const char *const *) list);
  else
    {
      g_ptr_array_set_size (self->recent, 0);
      for (guint i = 0; list[i]; i++)
        g_ptr_array_add (self->recent, g_strdup (list[i]));
    }
}
