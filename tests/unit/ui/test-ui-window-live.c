/* Live runs and compare mode in the real window (Xvfb in CI), without a VM:
 * a baseline overlays the tracks and fills the compare pane; a run archive the
 * test writes record by record is followed live (tracks grow, phase bands
 * appear, the status bar counts samples) and stopped; the New Run dialog turns
 * its choices into `schedlab-cli run` arguments. One case runs a real VM, only
 * when SL_TEST_VM_SCREENSHOT names a PNG to write (manual use). */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include "sl-application.h"
#include "sl-archive.h"
#include "sl-compare-pane.h"
#include "sl-new-run-dialog.h"
#include "sl-window.h"
#include "sl-test-run.h"

typedef struct {
  SlApplication *app;
  SlWindow      *win;
  char          *dir;
} Fixture;

static void
spin_until (gboolean (*done) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
}

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
}

static gboolean
loaded (gpointer data)
{
  return !sl_window_is_loading (SL_WINDOW (data));
}

static void
save_window_png (SlWindow *win, const char *path)
{
  GtkWidget *w = GTK_WIDGET (win);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) r = gsk_cairo_renderer_new ();
  g_autoptr(GdkTexture) tex = NULL;
  g_autoptr(GError) error = NULL;
  int ww = 0, wh = 0;

  /* A live window relayouts a few times a second; a snapshot taken while an
   * allocation is pending is empty, so try again after the next frame. */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GdkPaintable) p = gtk_widget_paintable_new (w);
      GtkSnapshot *snap = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (w);
      ww = gtk_widget_get_width (w);
      wh = gtk_widget_get_height (w);
      gdk_paintable_snapshot (p, GDK_SNAPSHOT (snap), ww, wh);
      node = gtk_snapshot_free_to_node (snap);
      if (node == NULL)
        spin_ms (20);
    }
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (r, NULL, &error));
  tex = gsk_renderer_render_texture (r, node, &GRAPHENE_RECT_INIT (0, 0, ww, wh));
  gdk_texture_save_to_png (tex, path);
  g_test_message ("window picture: %s", path);
  gsk_renderer_unrealize (r);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sl-ui-live-XXXXXX", NULL);
  f->app = sl_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  f->win = sl_window_new (GTK_APPLICATION (f->app));
  gtk_window_set_default_size (GTK_WINDOW (f->win), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->win));
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->win));
  g_object_unref (f->app);
  remove_tree (f->dir);
  g_free (f->dir);
}

/* The test run again, every time doubled and busy raised by 20. */
static SlRun *
slow_run_new (void)
{
  SlRun *run = sl_test_run_new ();

  for (guint i = 0; i < run->stimulus->len; i++)
    g_array_index (run->stimulus, SlStimulusEvent, i).elapsed_ms *= 2;
  for (guint i = 0; i < run->samples->len; i++)
    {
      SlSample *s = g_ptr_array_index (run->samples, i);
      s->elapsed_ms.v *= 2;
      s->boundary_offset_ms.v *= 2;
      if (s->stats)
        {
          JsonObject *o = json_node_get_object (s->stats);
          json_object_set_double_member (o, "busy", json_object_get_double_member (o, "busy") + 20);
        }
    }
  return run;
}

static gboolean
has_baseline (gpointer data)
{
  SlSession *s = sl_window_get_session (SL_WINDOW (data));
  return s && sl_session_get_baseline (s) != NULL;
}

static void
test_baseline (Fixture *f, gconstpointer data)
{
  g_autofree char *cur_path = g_build_filename (f->dir, "current.slrun", NULL);
  g_autofree char *base_path = g_build_filename (f->dir, "slower.slrun", NULL);
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "ui-window-baseline.png", NULL);
  g_autoptr(SlRun) cur = sl_test_run_new ();
  g_autoptr(SlRun) base = slow_run_new ();
  g_autoptr(GFile) cur_file = g_file_new_for_path (cur_path);
  g_autoptr(GFile) base_file = g_file_new_for_path (base_path);
  SlComparePane *pane;
  SlSession *session;
  gint busy;
  guint n_cells_with_delta = 0;

  g_assert_true (sl_archive_save (cur, cur_path, NULL));
  g_assert_true (sl_archive_save (base, base_path, NULL));
  sl_window_open (f->win, cur_file);
  spin_until (loaded, f->win, 30000);
  session = sl_window_get_session (f->win);
  g_assert_nonnull (session);
  busy = (gint) sl_session_add_track (session, "stats busy");
  sl_session_add_track (session, "stats nr_dispatched");
  g_assert_null (sl_window_get_baseline_legend (f->win));

  sl_window_open_baseline (f->win, base_file);
  spin_until (has_baseline, f->win, 30000);
  g_assert_true (has_baseline (f->win));
  spin_ms (300);

  /* The legend names the baseline file; the overlay is on the track. */
  g_assert_nonnull (sl_window_get_baseline_legend (f->win));
  g_assert_nonnull (strstr (sl_window_get_baseline_legend (f->win), "baseline: slower.slrun"));
  g_assert_nonnull (sl_session_get_track (session, busy)->baseline_plot);

  /* The compare pane: every track × BASELINE, Step[0], Step[1]. */
  pane = SL_COMPARE_PANE (sl_window_get_compare_pane (f->win));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (pane)));
  g_assert_cmpuint (sl_compare_pane_get_n_rows (pane), ==, sl_session_get_n_tracks (session));
  g_assert_cmpuint (sl_compare_pane_get_n_columns (pane), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *cell = sl_compare_pane_dup_cell (pane, (guint) busy, c);
      g_assert_nonnull (cell);
      /* busy is 20 lower in this run than in the baseline in every phase. */
      g_assert_nonnull (strstr (cell, "−20"));
      g_assert_nonnull (strstr (cell, "→"));
      n_cells_with_delta++;
    }
  g_assert_cmpuint (n_cells_with_delta, ==, 3);
  g_assert_null (sl_compare_pane_dup_cell (pane, 99, 0));
  save_window_png (f->win, png);

  /* Clear Baseline takes it all away again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.clear-baseline", NULL));
  spin_ms (100);
  g_assert_null (sl_session_get_baseline (session));
  g_assert_null (sl_window_get_baseline_legend (f->win));
  g_assert_null (sl_session_get_track (session, busy)->baseline_plot);
  g_assert_cmpuint (sl_compare_pane_get_n_columns (pane), ==, 0);
}

/* --- following a run written by the test ------------------------------- */

typedef struct {
  SlArchiveWriter *w;
  SlRun *source;
  guint  next_sample, next_stim;
} Writer;

static void
write_some (Writer *wr, guint n)
{
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < n && wr->next_sample < wr->source->samples->len; k++)
    {
      const SlSample *s = g_ptr_array_index (wr->source->samples, wr->next_sample++);
      while (wr->next_stim < wr->source->stimulus->len
             && g_array_index (wr->source->stimulus, SlStimulusEvent, wr->next_stim).elapsed_ms <= s->elapsed_ms.v)
        g_assert_true (sl_archive_writer_add_stimulus (wr->w, &g_array_index (wr->source->stimulus, SlStimulusEvent,
                                                                              wr->next_stim++), &error));
      g_assert_true (sl_archive_writer_add_sample (wr->w, s, &error));
    }
}

static gboolean
has_session (gpointer data)
{
  return sl_window_get_session (SL_WINDOW (data)) != NULL;
}

typedef struct {
  SlWindow *win;
  guint     points;
} WaitPoints;

static gboolean
track_has_points (gpointer data)
{
  WaitPoints *wp = data;
  SlSession *s = sl_window_get_session (wp->win);
  gint i = s ? sl_session_find_track (s, "stats nr_dispatched") : -1;
  SlTrack *t = i >= 0 ? sl_session_get_track (s, (guint) i) : NULL;

  return t && t->plot && t->plot->n >= wp->points;
}

static gboolean
not_running (gpointer data)
{
  return !sl_window_is_running (SL_WINDOW (data));
}

static void
test_follow (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "live.slrun", NULL);
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "ui-window-live.png", NULL);
  g_autoptr(SlRun) source = sl_test_run_new ();
  g_autoptr(GError) error = NULL;
  Writer wr = { NULL, source, 0, 0 };
  WaitPoints wp = { f->win, 0 };
  SlSession *session;
  guint n_phases = 0;
  g_auto(GStrv) recent = NULL;

  sl_window_follow_run (f->win, path);
  g_assert_true (sl_window_is_running (f->win));
  g_assert_nonnull (strstr (sl_window_get_live_status (f->win), "Starting"));

  /* BASELINE only: 8 samples (0.05 … 0.75 s). */
  wr.w = sl_archive_writer_create_full (path, &source->header, SL_ARCHIVE_WRITER_NO_SYNC, &error);
  g_assert_no_error (error);
  write_some (&wr, 8);
  spin_until (has_session, f->win, 10000);
  session = sl_window_get_session (f->win);
  g_assert_nonnull (session);
  sl_session_add_track (session, "stats nr_dispatched");
  wp.points = 8;
  spin_until (track_has_points, &wp, 10000);
  g_assert_true (track_has_points (&wp));
  sl_session_get_phases (session, &n_phases);
  g_assert_cmpuint (n_phases, ==, 1);
  g_assert_nonnull (strstr (sl_window_get_live_status (f->win), "Running"));
  g_assert_nonnull (strstr (sl_window_get_live_detail (f->win), "8 of 50 samples"));

  /* Into Step[1]: the track grows and two more phase bands appear. */
  write_some (&wr, 26);
  wp.points = 34;
  spin_until (track_has_points, &wp, 10000);
  g_assert_true (track_has_points (&wp));
  g_assert_true (sl_window_get_session (f->win) == session);
  sl_session_get_phases (session, &n_phases);
  g_assert_cmpuint (n_phases, ==, 3);
  g_assert_nonnull (strstr (sl_window_get_live_status (f->win), "Step[1]"));
  spin_ms (400);
  save_window_png (f->win, png);

  /* Stop: the writer ends as the runner does when interrupted. */
  g_assert_true (sl_archive_writer_finish (wr.w, "interrupted", &error));
  g_clear_pointer (&wr.w, sl_archive_writer_free);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->win), "win.stop-run", NULL));
  spin_until (not_running, f->win, 10000);
  g_assert_false (sl_window_is_running (f->win));
  g_assert_cmpstr (sl_window_get_live_status (f->win), ==, "Stopped");
  g_assert_true (sl_session_get_run (session)->complete);
  g_assert_cmpuint (sl_session_get_run (session)->samples->len, ==, 34);
  /* The archive stays open and is a recent run now. */
  g_assert_true (sl_window_get_session (f->win) == session);
  recent = sl_application_dup_recent (f->app);
  g_assert_true (g_strv_contains ((const char *const *) recent, path));
}

/* --- the New Run dialog -------------------------------------------------- */

static void
test_new_run_dialog (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *loader = sl_new_run_find_sched_loader ();
  g_autofree char *target = g_build_filename (f->dir, "mine.slrun", NULL);
  GtkWidget *dialog = sl_new_run_dialog_new (GTK_WINDOW (f->win));
  g_auto(GStrv) args = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *def = NULL;

  gtk_window_present (GTK_WINDOW (dialog));
  /* The default archive goes under $XDG_DATA_HOME/schedlab/runs. */
  args = sl_new_run_dialog_build_args (SL_NEW_RUN_DIALOG (dialog), &def, &error);
  if (loader != NULL)
    {
      g_autofree char *runs = g_build_filename (g_get_user_data_dir (), "schedlab", "runs", NULL);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (def, runs));
      g_assert_true (g_str_has_suffix (def, ".slrun"));
    }
  g_clear_pointer (&args, g_strfreev);
  g_clear_error (&error);

  sl_new_run_dialog_select (SL_NEW_RUN_DIALOG (dialog), "sl_vtime", "stall", "steady");
  sl_new_run_dialog_set_output (SL_NEW_RUN_DIALOG (dialog), target);
  args = sl_new_run_dialog_build_args (SL_NEW_RUN_DIALOG (dialog), &out, &error);
  if (loader == NULL)
    {
      /* Without the loader the dialog says what is missing. */
      g_assert_null (args);
      g_assert_nonnull (strstr (error->message, "sl-sched"));
    }
  else
    {
      g_assert_no_error (error);
      joined = g_strjoinv (" ", args);
      g_test_message ("args: %s", joined);
      g_assert_cmpstr (out, ==, target);
      g_assert_nonnull (strstr (joined, "--kernel default"));
      g_assert_nonnull (strstr (joined, "--topology 1,1,2,1"));
      g_assert_nonnull (strstr (joined, "--scenario steady"));
      g_assert_nonnull (strstr (joined, "--duration 10s"));
      /* The scheduler's own arguments come after "--". */
      g_assert_nonnull (strstr (joined, " -- --scheduler sl_vtime --bug=stall"));
    }
  g_clear_pointer (&args, g_strfreev);
  g_clear_error (&error);

  /* The kernel's own scheduler: no "--" at all. */
  sl_new_run_dialog_select (SL_NEW_RUN_DIALOG (dialog), "", NULL, "fork-storm");
  args = sl_new_run_dialog_build_args (SL_NEW_RUN_DIALOG (dialog), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_strv_contains ((const char *const *) args, "--"));
  g_assert_false (g_strv_contains ((const char *const *) args, "--scheduler"));
  g_assert_true (g_strv_contains ((const char *const *) args, "fork-storm"));
  g_clear_pointer (&args, g_strfreev);

  /* "Other binary" without a file is refused with a sentence. */
  sl_new_run_dialog_select (SL_NEW_RUN_DIALOG (dialog), "other", NULL, NULL);
  args = sl_new_run_dialog_build_args (SL_NEW_RUN_DIALOG (dialog), NULL, &error);
  g_assert_null (args);
  g_assert_nonnull (strstr (error->message, "scheduler binary"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* --- a real VM (manual) ---------------------------------------------------- */

typedef struct {
  SlWindow *win;
  guint     samples;
  guint     phases;
} WaitLive;

static gboolean
live_progressed (gpointer data)
{
  WaitLive *wl = data;
  SlSession *s = sl_window_get_session (wl->win);
  guint n = 0;

  if (!sl_window_is_running (wl->win))
    return TRUE;
  if (s == NULL || sl_session_get_run (s)->samples->len < wl->samples)
    return FALSE;
  sl_session_get_phases (s, &n);
  return n >= wl->phases;
}

static void
test_real_vm (Fixture *f, gconstpointer data)
{
  const char *png = g_getenv ("SL_TEST_VM_SCREENSHOT");
  g_autofree char *out = g_build_filename (f->dir, "vm.slrun", NULL);
  g_autofree char *loader = sl_new_run_find_sched_loader ();
  g_autoptr(GError) error = NULL;
  WaitLive wl = { f->win, 14, 2 };   /* two-cgroups: Step[0] and Step[1] */

  if (png == NULL || loader == NULL)
    {
      g_test_skip ("set SL_TEST_VM_SCREENSHOT=out.png to boot a VM (needs the default kernel and sl-sched)");
      return;
    }
  {
    const char *args[] = { "--kernel", "default", "--topology", "1,1,2,1", "--scenario", "two-cgroups",
                           "--duration", "16s", "--snapshots", "40", "--scheduler", loader,
                           "--", "--scheduler", "sl_vtime", NULL };
    g_assert_true (sl_window_start_run (f->win, args, out, &error));
  }
  g_assert_no_error (error);
  spin_until (live_progressed, &wl, 300000);
  g_test_message ("status: %s — %s", sl_window_get_live_status (f->win), sl_window_get_live_detail (f->win));
  g_assert_true (sl_window_is_running (f->win));
  spin_ms (1500);
  save_window_png (f->win, png);
  sl_window_stop_run (f->win);
  spin_until (not_running, f->win, 120000);
  g_test_message ("status: %s — %s", sl_window_get_live_status (f->win), sl_window_get_live_detail (f->win));
  g_assert_cmpstr (sl_window_get_live_status (f->win), ==, "Stopped");
  g_assert_cmpstr (sl_session_get_run (sl_window_get_session (f->win))->end_reason, ==, "interrupted");
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
  g_test_add ("/ui-window-live/baseline", Fixture, NULL, fixture_setup, test_baseline, fixture_teardown);
  g_test_add ("/ui-window-live/follow", Fixture, NULL, fixture_setup, test_follow, fixture_teardown);
  g_test_add ("/ui-window-live/new-run-dialog", Fixture, NULL, fixture_setup, test_new_run_dialog, fixture_teardown);
  g_test_add ("/ui-window-live/real-vm", Fixture, NULL, fixture_setup, test_real_vm, fixture_teardown);
  return g_test_run ();
}
