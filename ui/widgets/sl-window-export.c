/* sl-window-export.c: the window's file dialogs: opening runs, exporting
 * the assertions as a spec or a test file, and the view as an image. */
#include "sl-window.h"
#include "sl-window-private.h"

#include <string.h>
#include "sl-export.h"

/* --- dialogs ------------------------------------------------------------ */

typedef void (*DialogDone) (SlWindow *self, const char *path);

static void
on_dialog_response (GtkNativeDialog *dialog, int response, SlWindow *self)
{
  DialogDone done = (DialogDone) g_object_get_data (G_OBJECT (dialog), "done");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        done (self, path);
    }
  g_clear_object (&self->dialog);
}

static void
run_dialog (SlWindow *self, const char *title, GtkFileChooserAction action, const char *accept,
            const char *suggested, const char *filter_name, const char *const *patterns, DialogDone done)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, "_Cancel");
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; patterns[i]; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  if (suggested)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  if (self->session && action == GTK_FILE_CHOOSER_ACTION_SAVE)
    {
      g_autofree char *dir = g_path_get_dirname (sl_session_get_path (self->session));
      g_autoptr(GFile) folder = g_file_new_for_path (dir);
      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
    }
  g_object_set_data (G_OBJECT (dialog), "done", (gpointer) done);
  g_signal_connect (dialog, "response", G_CALLBACK (on_dialog_response), self);
  g_set_object (&self->dialog, GTK_NATIVE_DIALOG (dialog));
  g_object_unref (dialog);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static char *
suggested_name (SlWindow *self, const char *ext)
{
  g_autofree char *base = g_path_get_basename (sl_session_get_path (self->session));
  char *dot = strrchr (base, '.');

  if (dot)
    *dot = '\0';
  return g_strconcat (base, ext, NULL);
}

static void
open_done (SlWindow *self, const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  sl_window_open (self, file);
}

void
sl_window_open_action (GtkWidget *w, const char *name, GVariant *p)
{
  static const char *const patterns[] = { "*.slrun", NULL };
  run_dialog (SL_WINDOW (w), "Open Run", GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", NULL,
              "Run archives", patterns, open_done);
}

static void
export_spec_done (SlWindow *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!sl_export_spec (self->session, path, self->include_failing, &n, &error))
    sl_window_toast (self, error->message);
  else
    {
      g_autofree char *msg = g_strdup_printf ("Exported %u assertion%s", n, n == 1 ? "" : "s");
      sl_window_toast (self, msg);
    }
}

static void
export_test_done (SlWindow *self, const char *path)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!sl_export_test (self->session, path, self->include_failing, &n, &error))
    sl_window_toast (self, error->message);
  else
    {
      g_autofree char *msg = g_strdup_printf ("Exported a test with %u assertion%s", n, n == 1 ? "" : "s");
      sl_window_toast (self, msg);
    }
}

static void
export_image_done (SlWindow *self, const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!sl_window_export_image_to (self, path, &error))
    sl_window_toast (self, error->message);
  else
    sl_window_toast (self, "Exported the view");
}

void
sl_window_export_action (GtkWidget *w, const char *name, GVariant *p)
{
  SlWindow *self = SL_WINDOW (w);
  static const char *const spec[] = { "*.slspec", NULL };
  static const char *const test[] = { "*.sltest", NULL };
  static const char *const image[] = { "*.png", "*.svg", "*.pdf", NULL };
  g_autofree char *suggested = NULL;

  if (self->session == NULL)
    return;
  if (g_str_equal (name, "win.export-spec"))
    {
      suggested = suggested_name (self, ".slspec");
      run_dialog (self, "Export Spec", GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", suggested,
                  "Assertion specs", spec, export_spec_done);
    }
  else if (g_str_equal (name, "win.export-test"))
    {
      suggested = suggested_name (self, ".sltest");
      run_dialog (self, "Export Test File", GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", suggested,
                  "Test files", test, export_test_done);
    }
  else
    {
      suggested = suggested_name (self, ".png");
      run_dialog (self, "Export View", GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", suggested,
                  "Images (PNG, SVG, PDF)", image, export_image_done);
    }
}

gboolean
sl_window_export_spec_to (SlWindow *self, const char *path, gboolean include_failing, GError **error)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  if (self->session == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "no run is open");
      return FALSE;
    }
  return sl_export_spec (self->session, path, include_failing, NULL, error);
}

gboolean
sl_window_export_image_to (SlWindow *self, const char *path, GError **error)
{
  SlImageFormat format;
  SlRenderStyle style;
  double t0, t1;
  int width;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  if (self->session == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "no run is open");
      return FALSE;
    }
  if (!sl_image_format_from_path (path, &format))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "Choose a file name ending in .png, .svg or .pdf");
      return FALSE;
    }
  /* Exports are for documents: always the light style. */
  sl_render_style_init (&style, FALSE);
  sl_session_get_view (self->session, &t0, &t1);
  width = gtk_widget_get_width (self->timeline);
  return sl_export_image (self->session, &style, path, format, width > 400 ? width : 1200, t0, t1, error);
}

