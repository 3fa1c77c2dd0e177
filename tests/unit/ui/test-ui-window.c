/* The workbench under a real display (Xvfb in CI): open a run archive, add a
 * track from the field browser, author assertions in the editor, export a
 * spec, and check the exported spec with the core evaluator. Skips cleanly
 * when there is no display. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include "sl-application.h"
#include "sl-archive.h"
#include "sl-window.h"
#include "sl-test-run.h"

typedef struct {
  SlApplication *app;
  SlWindow      *win;
  char          *dir;
  char          *archive;
} Fixture;

static void
spin_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
}

static gboolean
loaded (gpointer data)
{
  return !sl_window_is_loading (SL_WINDOW (data));
}

/* The sample archive when it exists, otherwise the synthetic test run. */
static char *
archive_path (const char *dir)
{
  const char *root = g_getenv ("SL_SOURCE_ROOT");
  g_autofree char *sample = root ? g_build_filename (root, "data", "samples", "synthetic-two-cgroups.slrun", NULL) : NULL;
  g_autoptr(SlRun) run = NULL;
  char *path;

  if (sample && g_file_test (sample, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&sample);
  run = sl_test_run_new ();
  path = g_build_filename (dir, "synthetic.slrun", NULL);
  g_assert_true (sl_archive_save (run, path, NULL));
  return path;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sl-ui-window-XXXXXX", NULL);
  f->archive = archive_path (f->dir);
  f->app = sl_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  f->win = sl_window_new (GTK_APPLICATION (f->app));
  gtk_window_present (GTK_WINDOW (f->win));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *session = g_strconcat (f->archive, ".session.json", NULL);

  gtk_window_destroy (GTK_WINDOW (f->win));
  g_object_unref (f->app);
  /* Only what this test wrote: the run it saved and the session beside it. */
  if (g_str_has_prefix (f->archive, f->dir))
    {
      g_remove (session);
      g_remove (f->archive);
    }
  g_rmdir (f->dir);
  g_free (f->archive);
  g_free (f->dir);
}

static void
open_archive (Fixture *f)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->archive);

  sl_window_open (f->win, file);
  g_assert_true (sl_window_is_loading (f->win));
  spin_until (loaded, f->win, 30000);
  g_assert_false (sl_window_is_loading (f->win));
  g_assert_nonnull (sl_window_get_session (f->win));
}

/* A field with a few valid numeric samples: the track the test works on. */
static const char *
pick_field (SlSession *s)
{
  const SlFieldCatalog *cat = sl_session_get_catalog (s);

  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *fi = g_ptr_array_index (cat->fields, i);
      g_autoptr(SlTrack) t = NULL;
      guint ok = 0;

      if (fi->type == SL_SCALAR_BOOL)
        continue;
      t = sl_track_new (sl_session_get_run (s), fi->selector, fi->type, fi->unit, NULL);
      for (guint k = 0; t->plot && k < t->plot->n; k++)
        ok += t->plot->ok[k];
      if (ok >= 5)
        return fi->selector;
    }
  return NULL;
}

/* Selects the time range of a phase in which every sample of the track has
 * a value, so the editor scopes to it (strict patterns fail on errors). */
static gboolean
select_clean_phase (SlSession *s, SlTrack *t)
{
  guint n;
  const SlRenderPhase *phases = sl_session_get_phases (s, &n);

  for (guint i = 0; i < n; i++)
    {
      guint ok = 0, bad = 0;
      double eps = (phases[i].end_ms - phases[i].start_ms) * 0.05;

      for (guint k = 0; k < sl_series_field_len (t->field); k++)
        {
          const SlSlot *slot = sl_series_field_slot (t->field, k);
          if (!slot->has_phase || slot->phase != phases[i].phase)
            continue;
          if (slot->ok)
            ok++;
          else
            bad++;
        }
      if (ok >= 3 && bad == 0)
        {
          sl_session_set_selection (s, phases[i].start_ms + eps, phases[i].end_ms - eps);
          return TRUE;
        }
    }
  return FALSE;
}

static guint
count_ink (GdkTexture *texture)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guchar *buf = g_malloc ((gsize) w * h * 4);
  guint distinct = 0;
  guint32 first;

  gdk_texture_download (texture, buf, (gsize) w * 4);
  first = *(guint32 *) buf;
  for (int i = 0; i < w * h; i += 7)
    distinct += ((guint32 *) buf)[i] != first;
  return distinct;
}

static void
test_open_author_export (Fixture *f, gconstpointer data)
{
  SlSession *s;
  SlFieldBrowser *browser;
  SlAssertionEditor *editor;
  const char *selector;
  g_autofree char *spec_path = g_build_filename (f->dir, "exported.slspec", NULL);
  g_autofree char *png_path = g_build_filename (f->dir, "view.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = NULL;
  g_autoptr(SlRun) run = NULL;
  guint n_all, n_pass = 0;

  open_archive (f);
  s = sl_window_get_session (f->win);
  browser = sl_window_get_field_browser (f->win);
  editor = sl_window_get_assertion_editor (f->win);

  /* The browser lists the axes; searching narrows it and expands groups. */
  n_all = sl_field_browser_get_n_visible (browser);
  g_assert_cmpuint (n_all, >, 0);
  selector = pick_field (s);
  g_assert_nonnull (selector);
  sl_field_browser_set_search (browser, strrchr (selector, '.') ? strrchr (selector, '.') + 1 : selector + 6);
  g_assert_cmpuint (sl_field_browser_get_n_visible (browser), >, 0);
  sl_field_browser_set_search (browser, "no-field-is-called-like-this");
  g_assert_cmpuint (sl_field_browser_get_n_visible (browser), ==, 0);
  sl_field_browser_set_search (browser, NULL);
  g_assert_cmpuint (sl_field_browser_get_n_visible (browser), ==, n_all);

  /* A run opened without a saved session starts with a few tracks. */
  g_assert_cmpuint (sl_session_get_n_tracks (s), >, 0);
  while (sl_session_get_n_tracks (s) > 0)
    sl_session_remove_track (s, 0);

  /* Activating a field (what a double-click does) adds its track. */
  g_signal_emit_by_name (browser, "field-activated", selector);
  g_assert_cmpuint (sl_session_get_n_tracks (s), ==, 1);
  g_assert_cmpint (sl_session_get_selected_track (s), ==, 0);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->win));

  /* Selecting a time range scopes the editor to its phases. */
  g_assert_true (select_clean_phase (s, sl_session_get_track (s, 0)));

  /* A pattern prefilled from the data passes; committing authors it. */
  g_assert_true (sl_assertion_editor_set_pattern (editor, "each.between"));
  g_assert_nonnull (sl_session_get_draft_verdict (s));
  g_assert_cmpint (sl_verdict_result (sl_session_get_draft_verdict (s)), ==, SL_OUTCOME_PASS);
  g_assert_true (sl_assertion_editor_commit (editor));

  /* Typing a bound below the data turns the live verdict to Fail. */
  g_assert_true (sl_assertion_editor_set_pattern (editor, "each.at_most"));
  g_assert_cmpint (sl_verdict_result (sl_session_get_draft_verdict (s)), ==, SL_OUTCOME_PASS);
  g_assert_true (sl_assertion_editor_set_param (editor, "bound", "-1"));
  g_assert_cmpint (sl_verdict_result (sl_session_get_draft_verdict (s)), ==, SL_OUTCOME_FAIL);
  g_assert_true (sl_session_get_track (s, 0)->has_verdict);
  g_assert_true (sl_assertion_editor_commit (editor));
  /* A parameter that is not a number makes the draft invalid, not a crash. */
  g_assert_true (sl_assertion_editor_set_param (editor, "bound", "twelve"));
  g_assert_null (sl_session_get_draft_verdict (s));
  g_assert_false (sl_assertion_editor_commit (editor));

  g_assert_cmpuint (sl_session_get_authored (s)->len, ==, 2);
  for (guint i = 0; i < sl_session_get_authored (s)->len; i++)
    n_pass += sl_verdict_passed (((SlAuthored *) g_ptr_array_index (sl_session_get_authored (s), i))->verdict);
  g_assert_cmpuint (n_pass, ==, 1);

  /* The verdict table's failure row zooms to the failure. */
  g_assert_true (sl_verdict_table_activate (sl_window_get_verdict_table (f->win), 1, -1));
  g_assert_true (sl_session_get_selection (s, NULL, NULL));

  /* Export only the passing assertions and check them with the core. */
  g_assert_true (sl_window_export_spec_to (f->win, spec_path, FALSE, &error));
  g_assert_no_error (error);
  spec = sl_spec_load (spec_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spec->assertions->len, ==, n_pass);
  run = sl_archive_load (f->archive, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < spec->assertions->len; i++)
    {
      g_autoptr(SlVerdict) v = sl_assertion_evaluate (g_ptr_array_index (spec->assertions, i), run, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (sl_verdict_passed (v));
    }

  /* The window really draws: render it and look for ink; export the view.
   * Let the page transition finish first. */
  {
    gint64 end = g_get_monotonic_time () + 600 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (5000), TRUE);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (f->win));
  {
    GtkWidget *w = GTK_WIDGET (f->win);
    g_autoptr(GdkPaintable) p = gtk_widget_paintable_new (w);
    GtkSnapshot *snap = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) node = NULL;
    g_autoptr(GskRenderer) r = gsk_cairo_renderer_new ();
    g_autoptr(GdkTexture) tex = NULL;
    g_autofree char *out = g_test_build_filename (G_TEST_BUILT, "ui-window.png", NULL);
    int ww = gtk_widget_get_width (w), wh = gtk_widget_get_height (w);

    gdk_paintable_snapshot (p, GDK_SNAPSHOT (snap), ww, wh);
    node = gtk_snapshot_free_to_node (snap);
    g_assert_nonnull (node);
    g_assert_true (gsk_renderer_realize (r, NULL, &error));
    tex = gsk_renderer_render_texture (r, node, &GRAPHENE_RECT_INIT (0, 0, ww, wh));
    g_assert_cmpuint (count_ink (tex), >, 1000);
    gdk_texture_save_to_png (tex, out);
    g_test_message ("window picture: %s", out);
    gsk_renderer_unrealize (r);
  }
  g_assert_true (sl_window_export_image_to (f->win, png_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (png_path, G_FILE_TEST_EXISTS));
  g_remove (png_path);
  g_remove (spec_path);
}

static void
test_bad_file (Fixture *f, gconstpointer data)
{
  g_autofree char *junk = g_build_filename (f->dir, "junk.slrun", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (junk);

  g_assert_true (g_file_set_contents (junk, "{\"not\": \"an archive\"}\n", -1, NULL));
  sl_window_open (f->win, file);
  spin_until (loaded, f->win, 30000);
  /* No session, a message naming the file, and the window stays usable. */
  g_assert_null (sl_window_get_session (f->win));
  g_assert_nonnull (sl_window_get_message (f->win));
  g_assert_nonnull (strstr (sl_window_get_message (f->win), "junk.slrun"));
  g_remove (junk);
  open_archive (f);
}

int
main (int argc, char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/ui-window/open-author-export", Fixture, NULL, fixture_setup, test_open_author_export, fixture_teardown);
  g_test_add ("/ui-window/bad-file", Fixture, NULL, fixture_setup, test_bad_file, fixture_teardown);
  return g_test_run ();
}
