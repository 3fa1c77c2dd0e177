/* Live runs without a VM: the test writes an archive incrementally with
 * SlArchiveWriter (as the runner does) while an SlLiveRun follows it, and a
 * session kept current with sl_session_refresh shows tracks that grow and
 * phase bands that appear as steps start; then Stop. Plus the CLI's progress
 * lines and the plain-words explanation of failures. */
#include <glib/gstdio.h>
#include "sl-archive.h"
#include "sl-live-run.h"
#include "sl-session.h"
#include "sl-test-run.h"

typedef struct {
  SlArchiveWriter *w;
  SlRun   *source;        /* what is written, record by record */
  guint    next_sample;
  guint    next_stim;
  SlLiveRun *live;
  SlSession *session;
  GArray  *points;        /* guint: the track's point count after each update */
  GArray  *phases;        /* guint: phase bands after each update */
  guint    updates;
  gboolean stopped;
} Feeder;

/* Writes the next few records, stimulus events in time order with samples. */
static gboolean
feed (gpointer data)
{
  Feeder *f = data;
  g_autoptr(GError) error = NULL;

  for (guint k = 0; k < 4 && f->next_sample < f->source->samples->len; k++)
    {
      const SlSample *s = g_ptr_array_index (f->source->samples, f->next_sample);
      while (f->next_stim < f->source->stimulus->len
             && g_array_index (f->source->stimulus, SlStimulusEvent, f->next_stim).elapsed_ms <= s->elapsed_ms.v)
        g_assert_true (sl_archive_writer_add_stimulus (f->w, &g_array_index (f->source->stimulus, SlStimulusEvent,
                                                                             f->next_stim++), &error));
      g_assert_true (sl_archive_writer_add_sample (f->w, s, &error));
      f->next_sample++;
    }
  return f->next_sample < f->source->samples->len ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
on_updated (SlLiveRun *live, guint new_samples, Feeder *f)
{
  SlRun *run = sl_live_run_get_run (live);
  guint n_phases = 0;

  if (run == NULL)
    return;
  if (f->session == NULL)
    {
      f->session = sl_session_new (run, sl_live_run_get_path (live));
      sl_session_add_track (f->session, "stats nr_dispatched");
    }
  else
    sl_session_refresh (f->session);
  if (sl_session_get_n_tracks (f->session) == 0)
    return;
  {
    SlTrack *t = sl_session_get_track (f->session, 0);
    guint n = t->plot ? t->plot->n : 0;
    g_array_append_val (f->points, n);
  }
  sl_session_get_phases (f->session, &n_phases);
  g_array_append_val (f->phases, n_phases);
  f->updates++;
}

static void
test_live_follow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-live-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "live.slrun", NULL);
  g_autoptr(SlRun) source = sl_test_run_new ();
  g_autoptr(SlRun) reread = NULL;
  Feeder f = { 0 };
  guint feeder_id, last_points = 0;
  gint64 deadline;

  f.source = source;
  f.points = g_array_new (FALSE, FALSE, sizeof (guint));
  f.phases = g_array_new (FALSE, FALSE, sizeof (guint));
  /* Following starts before the file exists, as when the VM is still booting. */
  f.live = sl_live_run_new_follow (path, 20);
  g_signal_connect (f.live, "updated", G_CALLBACK (on_updated), &f);
  g_assert_cmpint (sl_live_run_get_state (f.live), ==, SL_LIVE_WAITING);
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (sl_live_run_get_run (f.live));

  f.w = sl_archive_writer_create_full (path, &source->header, SL_ARCHIVE_WRITER_NO_SYNC, &error);
  g_assert_no_error (error);
  feeder_id = g_timeout_add (15, feed, &f);

  /* Until about 30 of the 50 samples are in, then Stop. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (f.next_sample < 30 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (feeder_id);
  g_assert_cmpint (sl_live_run_get_state (f.live), ==, SL_LIVE_RUNNING);
  /* The writer stops like the runner does on an interrupt. */
  g_assert_true (sl_archive_writer_finish (f.w, "interrupted", &error));
  g_clear_pointer (&f.w, sl_archive_writer_free);
  sl_live_run_stop (f.live);
  g_assert_cmpint (sl_live_run_get_state (f.live), ==, SL_LIVE_FINISHED);
  g_assert_null (sl_live_run_get_problem (f.live));

  /* Tracks grew over several updates, never shrank, and phase bands appeared
   * as the steps started (BASELINE first, then Step[0] at 1 s, Step[1] at 3 s). */
  g_assert_cmpuint (f.updates, >=, 3);
  for (guint i = 0; i < f.points->len; i++)
    {
      guint n = g_array_index (f.points, guint, i);
      g_assert_cmpuint (n, >=, last_points);
      last_points = n;
    }
  g_assert_cmpuint (g_array_index (f.points, guint, 0), <, last_points);
  g_assert_cmpuint (last_points, ==, f.next_sample);
  g_assert_cmpuint (g_array_index (f.phases, guint, 0), <, g_array_index (f.phases, guint, f.phases->len - 1));
  g_assert_cmpuint (g_array_index (f.phases, guint, f.phases->len - 1), ==, 3);
  g_assert_cmpuint (sl_live_run_get_n_samples (f.live), ==, f.next_sample);
  g_assert_cmpstr (sl_live_run_get_phase_label (f.live), ==, "Step[1]");

  /* The footer says what happened; the file reads back whole. */
  g_assert_cmpstr (sl_live_run_get_run (f.live)->end_reason, ==, "interrupted");
  reread = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reread->complete);
  g_assert_cmpuint (reread->samples->len, ==, f.next_sample);

  g_clear_object (&f.session);
  g_clear_object (&f.live);
  g_array_unref (f.points);
  g_array_unref (f.phases);
  g_unlink (path);
  g_rmdir (dir);
}

/* A footer written by the writer ends following by itself. */
static void
test_live_footer_ends (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-live-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "done.slrun", NULL);
  g_autoptr(SlRun) source = sl_test_run_new ();
  g_autoptr(SlLiveRun) live = NULL;
  SlArchiveWriter *w = sl_archive_writer_create_full (path, &source->header, SL_ARCHIVE_WRITER_NO_SYNC, &error);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  for (guint i = 0; i < 5; i++)
    g_assert_true (sl_archive_writer_add_sample (w, g_ptr_array_index (source->samples, i), &error));
  g_assert_true (sl_archive_writer_finish (w, NULL, &error));
  sl_archive_writer_free (w);
  live = sl_live_run_new_follow (path, 10);
  while (sl_live_run_get_state (live) != SL_LIVE_FINISHED && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sl_live_run_get_state (live), ==, SL_LIVE_FINISHED);
  g_assert_cmpuint (sl_live_run_get_run (live)->samples->len, ==, 5);
  g_assert_true (sl_live_run_get_run (live)->complete);
  g_unlink (path);
  g_rmdir (dir);
}

/* A file that is not an archive fails with a sentence, not a crash. */
static void
test_live_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-live-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "junk.slrun", NULL);
  g_autoptr(SlLiveRun) live = NULL;

  g_assert_true (g_file_set_contents (path, "{\"record\": 12}\nnot json\n", -1, &error));
  live = sl_live_run_new_follow (path, 10);
  sl_live_run_poll (live);
  g_assert_cmpint (sl_live_run_get_state (live), ==, SL_LIVE_FAILED);
  g_assert_nonnull (sl_live_run_get_problem (live));
  g_assert_true (strstr (sl_live_run_get_problem (live), "archive") != NULL);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_progress_lines (void)
{
  g_autofree char *status = NULL, *phase = NULL;
  guint n = 0, target = 0;
  double e = 0;

  g_assert_true (sl_live_run_parse_progress ("running: phase Step[0], samples 3/20, elapsed 1.5 s",
                                             &status, &phase, &n, &target, &e));
  g_assert_cmpstr (status, ==, "running");
  g_assert_cmpstr (phase, ==, "Step[0]");
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (target, ==, 20);
  g_assert_cmpfloat_with_epsilon (e, 1.5, 1e-9);
  g_assert_false (sl_live_run_parse_progress ("kernel: downloading linux-image", NULL, NULL, NULL, NULL, NULL));
  g_assert_false (sl_live_run_parse_progress ("running: phase Step[0], samples 3/20, elapsed x s", NULL, NULL, NULL, NULL, NULL));
  g_assert_false (sl_live_run_parse_progress ("", NULL, NULL, NULL, NULL, NULL));
}

static void
test_explain (void)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SlRun) run = sl_test_run_new ();
  SlSchedExit *e = g_new0 (SlSchedExit, 1);
  char *s;

  /* A normal end needs no explanation. */
  run->end_reason = g_strdup ("finished");
  g_assert_null (sl_live_run_explain (log, TRUE, 0, run));
  g_free (run->end_reason);
  run->end_reason = g_strdup ("interrupted");
  g_assert_null (sl_live_run_explain (log, TRUE, 2, run));

  g_free (run->end_reason);
  run->end_reason = g_strdup ("guest panic");
  s = sl_live_run_explain (log, TRUE, 1, run);
  g_assert_true (strstr (s, "panicked") != NULL);
  g_free (s);

  e->exit_kind = 1026;
  e->reason = g_strdup ("runnable task stall");
  e->message = g_strdup ("init[105] failed to run for 4.404s");
  g_ptr_array_add (run->exits, e);
  s = sl_live_run_explain (log, TRUE, 1, run);
  g_assert_true (strstr (s, "ejected the scheduler") != NULL);
  g_assert_true (strstr (s, "runnable task stall") != NULL);
  g_free (s);

  g_ptr_array_add (log, g_strdup ("schedlab-cli run: kernel: no cached kernel and the download failed"));
  s = sl_live_run_explain (log, TRUE, 70, NULL);
  g_assert_true (strstr (s, "No kernel could be found") != NULL);
  g_assert_true (strstr (s, "download failed") != NULL);
  g_free (s);
}

/* Spawning a missing program is an error, not a crash. */
static void
test_spawn_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLiveRun) live = sl_live_run_spawn ("/nonexistent/schedlab-cli", NULL, "/tmp/x.slrun", &error);

  g_assert_null (live);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui-live/follow", test_live_follow);
  g_test_add_func ("/ui-live/footer-ends", test_live_footer_ends);
  g_test_add_func ("/ui-live/garbage", test_live_garbage);
  g_test_add_func ("/ui-live/progress-lines", test_progress_lines);
  g_test_add_func ("/ui-live/explain", test_explain);
  g_test_add_func ("/ui-live/spawn-missing", test_spawn_missing);
  return g_test_run ();
}
