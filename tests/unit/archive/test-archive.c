/* test-archive.c: the .slrun writer and reader: round trips, truncation at
 * every byte, corruption, versions and bounds. */
#include "archive-test-util.h"
#include "sl-phase.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("sl-archive-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static SlRun *
load_text (const char *text, GError **error)
{
  g_autoptr(GBytes) b = g_bytes_new (text, strlen (text));

  return sl_archive_load_from_bytes (b, error);
}

static SlSample *
sample_at (SlRun *run, guint i)
{
  g_assert_cmpuint (i, <, run->samples->len);
  return g_ptr_array_index (run->samples, i);
}

/* ---- round trips ---- */

static void
test_roundtrip_full (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_full_run ();
  g_autofree char *path = g_build_filename (f->dir, "full.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  SlSample *s;
  const SlMap *bss;
  guint64 u = 0;
  gint64 i = 0;

  g_assert_true (sl_archive_save (run, path, &error));
  g_assert_no_error (error);
  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);
  archive_test_assert_runs_equal (run, back);
  g_assert_true (back->complete);
  g_assert_null (back->incomplete_reason);

  /* Spot checks that do not rely on the writer to compare. */
  g_assert_cmpstr (back->header.scenario, ==, "two-cgroups ✓");
  g_assert_cmpstr (back->header.scheduler_args[2], ==, "ünï");
  g_assert_null (back->header.scheduler_args[3]);
  g_assert_true (back->header.synthetic);
  g_assert_cmpuint (back->header.memory_mb, ==, 1024);
  g_assert_cmpuint (back->header.interval_ms, ==, 0);
  g_assert_cmpuint (back->samples->len, ==, run->samples->len);

  s = sample_at (back, 0);
  g_assert_cmpstr (s->tag, ==, "périodique_✓ 日本");
  g_assert_false (s->elapsed_ms.set);
  g_assert_false (s->boundary_offset_ms.set);
  g_assert_false (s->has_step_index);
  g_assert_false (s->freeze_us.set);
  g_assert_nonnull (s->stats);
  g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NONE);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (s->stats), "neg"), ==, -3);

  s = sample_at (back, 1);
  g_assert_true (s->elapsed_ms.set);
  g_assert_cmpuint (s->elapsed_ms.v, ==, 0);
  g_assert_true (s->boundary_offset_ms.set);
  g_assert_true (s->has_step_index);
  g_assert_cmpuint (s->step_index, ==, SL_PHASE_BASELINE);
  g_assert_cmpuint (s->vcpu_times->len, ==, 2);
  g_assert_cmpuint (g_array_index (s->vcpu_times, SlVcpuTime, 0).run_ns, ==, G_MAXUINT64);
  g_assert_cmpint (g_array_index (s->vcpu_times, SlVcpuTime, 1).tid, ==, G_MININT32);
  bss = sl_report_find_map (s->report, "sl_vtime.bss");
  g_assert_nonnull (bss);
  g_assert_true (sl_value_as_u64 (sl_value_member (bss->value, "nr_dispatched"), &u));
  g_assert_cmpuint (u, ==, G_MAXUINT64);
  g_assert_true (sl_value_as_i64 (sl_value_member (bss->value, "min_lag"), &i));
  g_assert_cmpint (i, ==, G_MININT64);

  /* Every missing-stats kind survives with its fields. */
  for (guint k = 0; k < 9; k++)
    {
      SlSample *o = sample_at (run, 2 + k);

      s = sample_at (back, 2 + k);
      g_assert_null (s->stats);
      g_assert_cmpint (s->missing_stats.kind, ==, o->missing_stats.kind);
      g_assert_cmpstr (s->missing_stats.reason, ==, o->missing_stats.reason);
      g_assert_cmpint (s->missing_stats.errno_value, ==, o->missing_stats.errno_value);
      g_assert_cmpstr (s->missing_stats.args_json, ==, o->missing_stats.args_json);
      g_assert_cmpuint (s->missing_stats.size, ==, o->missing_stats.size);
      g_assert_cmpuint (s->missing_stats.max, ==, o->missing_stats.max);
      g_assert_cmpuint (s->elapsed_ms.v, ==, G_MAXUINT64 - k);
      g_assert_cmpuint (s->step_index, ==, G_MAXUINT16);
    }
  g_assert_cmpint (sample_at (back, 6)->missing_stats.errno_value, ==, G_MININT64);

  s = sample_at (back, 11);
  g_assert_true (s->report->is_placeholder);

  g_assert_cmpuint (back->stimulus->len, ==, 4);
  g_assert_false (g_array_index (back->stimulus, SlStimulusEvent, 3).has_step_index);
  g_assert_cmpuint (g_array_index (back->stimulus, SlStimulusEvent, 2).total_iterations.v, ==, G_MAXUINT64);
  g_assert_true (g_array_index (back->stimulus, SlStimulusEvent, 3).total_iterations.set);
  g_assert_false (g_array_index (back->stimulus, SlStimulusEvent, 0).total_iterations.set);

  g_assert_cmpuint (back->monitor_samples->len, ==, 3);
  {
    SlMonitorSample *m0 = g_ptr_array_index (back->monitor_samples, 0);
    SlMonitorSample *m2 = g_ptr_array_index (back->monitor_samples, 2);
    SlCpuSnapshot *c0 = &g_array_index (m0->cpus, SlCpuSnapshot, 0);
    SlCpuSnapshot *c1 = &g_array_index (m0->cpus, SlCpuSnapshot, 1);

    g_assert_true (c0->has_event_counters);
    g_assert_cmpint (c0->event_counters[0], ==, G_MININT64);
    g_assert_false (c1->has_event_counters);
    g_assert_false (c0->has_schedstat);
    g_assert_false (c0->vcpu_cpu_time_ns.set);
    g_assert_cmpuint (g_array_index (m2->cpus, SlCpuSnapshot, 1).rq_clock, ==, G_MAXUINT64);
    g_assert_false (m0->workload_ms.set);
    g_assert_true (((SlMonitorSample *) g_ptr_array_index (back->monitor_samples, 1))->workload_ms.set);
    g_assert_cmpuint (((SlMonitorSample *) g_ptr_array_index (back->monitor_samples, 1))->workload_ms.v, ==, 0);
    g_assert_cmpuint (m2->workload_ms.v, ==, G_MAXUINT64);
    g_assert_cmpuint (sl_monitor_sample_time_ms (m0), ==, 0);
    g_assert_cmpuint (sl_monitor_sample_time_ms (m2), ==, G_MAXUINT64);
    g_assert_true (g_array_index (m2->cpus, SlCpuSnapshot, 1).vcpu_cpu_time_ns.set);
  }
  g_assert_nonnull (back->monitor_summary);
  g_assert_true (back->monitor_summary->has_event_deltas);
  g_assert_false (back->monitor_summary->has_schedstat_deltas);
  g_assert_cmpint (back->monitor_summary->max_fallback_burst, ==, G_MININT64);
  g_assert_cmpfloat (back->monitor_summary->avg_imbalance_ratio, ==, 1.0 / 3.0);
  g_assert_cmpfloat (back->monitor_summary->avg_nr_running, ==, 1e-300);

  g_assert_cmpuint (back->exits->len, ==, 2);
  g_assert_cmpstr (((SlSchedExit *) g_ptr_array_index (back->exits, 0))->message, ==,
                   "sl_vtime: task \"w0\"[42] stuck for 30.0s\n");
  g_assert_null (((SlSchedExit *) g_ptr_array_index (back->exits, 1))->kind_name);
  g_assert_false (((SlSchedExit *) g_ptr_array_index (back->exits, 1))->elapsed_ms.set);
  g_assert_cmpstr (((SlCgroupResult *) g_ptr_array_index (back->cgroups, 0))->name, ==, "wörkers-日本");
  g_assert_false (((SlCgroupResult *) g_ptr_array_index (back->cgroups, 1))->cpu_time_ns.set);
  g_assert_cmpstr (g_ptr_array_index (back->log, 1), ==, "line with \\ backslash, \"quotes\", \x01 control and ✓");
  g_assert_cmpstr (back->end_reason, ==, "finished");
}

static void
test_roundtrip_nan (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SlRun) back = NULL;
  g_autoptr(GError) error = NULL;

  run->monitor_summary = g_new0 (SlMonitorSummary, 1);
  run->monitor_summary->avg_nr_running = NAN;
  bytes = sl_archive_save_to_bytes (run);
  back = sl_archive_load_from_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_true (isnan (back->monitor_summary->avg_nr_running));
}

/* The streaming writer: a run that is not finished reads as incomplete. */
static void
test_writer_streaming (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) ref = archive_test_full_run ();
  g_autofree char *path = g_build_filename (f->dir, "live.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  SlArchiveWriter *w;

  w = sl_archive_writer_create (path, &ref->header, &error);
  g_assert_no_error (error);
  g_assert_true (sl_archive_writer_add_stimulus (w, &g_array_index (ref->stimulus, SlStimulusEvent, 0), &error));
  g_assert_true (sl_archive_writer_add_sample (w, g_ptr_array_index (ref->samples, 0), &error));
  g_assert_true (sl_archive_writer_add_monitor_sample (w, g_ptr_array_index (ref->monitor_samples, 0), &error));
  g_assert_true (sl_archive_writer_add_sample (w, g_ptr_array_index (ref->samples, 1), &error));
  g_assert_cmpuint (sl_archive_writer_get_n_samples (w), ==, 2);

  /* Read while the writer is still open: everything so far, no footer. */
  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->samples->len, ==, 2);
  g_assert_cmpuint (back->monitor_samples->len, ==, 1);
  g_assert_false (back->complete);
  g_assert_nonnull (strstr (back->incomplete_reason, "no footer"));
  g_clear_pointer (&back, sl_run_unref);

  g_assert_true (sl_archive_writer_set_monitor_summary (w, ref->monitor_summary, &error));
  g_assert_true (sl_archive_writer_add_sched_exit (w, g_ptr_array_index (ref->exits, 0), &error));
  g_assert_true (sl_archive_writer_add_cgroup (w, g_ptr_array_index (ref->cgroups, 0), &error));
  g_assert_true (sl_archive_writer_add_log (w, "done", &error));
  g_assert_true (sl_archive_writer_finish (w, "wall-clock limit", &error));
  g_assert_no_error (error);
  g_assert_false (sl_archive_writer_add_log (w, "late", &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);
  g_clear_error (&error);
  sl_archive_writer_free (w);

  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (back->complete);
  g_assert_cmpstr (back->end_reason, ==, "wall-clock limit");
  g_assert_cmpuint (back->samples->len, ==, 2);
  g_assert_cmpuint (back->exits->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (back->log, 0), ==, "done");
}

static void
test_writer_unfinished (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) ref = archive_test_small_run ();
  g_autofree char *path = g_build_filename (f->dir, "crash.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  SlArchiveWriter *w;

  w = sl_archive_writer_create (path, &ref->header, &error);
  g_assert_no_error (error);
  g_assert_true (sl_archive_writer_add_sample (w, g_ptr_array_index (ref->samples, 0), &error));
  sl_archive_writer_free (w);   /* no finish: like a crash */
  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (back->complete);
  g_assert_cmpuint (back->samples->len, ==, 1);
}

static void
test_writer_exclusive (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) ref = archive_test_small_run ();
  g_autofree char *path = g_build_filename (f->dir, "x.slrun", NULL);
  g_autoptr(GError) error = NULL;
  SlArchiveWriter *w;

  w = sl_archive_writer_create_full (path, &ref->header, SL_ARCHIVE_WRITER_EXCLUSIVE, &error);
  g_assert_no_error (error);
  sl_archive_writer_free (w);
  w = sl_archive_writer_create_full (path, &ref->header, SL_ARCHIVE_WRITER_EXCLUSIVE, &error);
  g_assert_null (w);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
}

static void
test_writer_invalid_sample (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) ref = archive_test_small_run ();
  g_autofree char *path = g_build_filename (f->dir, "bad.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSample) s = sl_sample_new ("neither");
  g_autoptr(SlRun) back = NULL;
  SlArchiveWriter *w;

  s->missing_stats.kind = SL_MISSING_STATS_NONE;
  w = sl_archive_writer_create (path, &ref->header, &error);
  g_assert_no_error (error);
  /* Neither stats nor a missing reason: refused, and nothing is written. */
  g_assert_false (sl_archive_writer_add_sample (w, s, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (sl_archive_writer_finish (w, NULL, &error));
  sl_archive_writer_free (w);
  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (back->complete);
  g_assert_cmpuint (back->samples->len, ==, 0);
}

/* A write that fails half-way (the file size limit here, a full disk in
 * life) is rolled back: the archive never holds a partial record followed
 * by more records, and the writer can go on when space returns. */
static void
test_writer_rollback (Fixture *f, gconstpointer data)
{
  /* The child gets its own fixture; both name the file after the parent. */
  g_autofree char *name = g_strdup_printf ("sl-archive-rollback-%d.slrun",
                                           g_test_subprocess () ? (int) getppid () : (int) getpid ());
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  if (g_test_subprocess ())
    {
      g_autoptr(SlRun) ref = archive_test_small_run ();
      g_autoptr(GError) error = NULL;
      g_autofree char *big = g_strnfill (4096, 'x');
      struct rlimit lim = { 2048, 2048 };
      SlArchiveWriter *w;

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &lim), ==, 0);
      w = sl_archive_writer_create (path, &ref->header, &error);
      g_assert_no_error (error);
      g_assert_true (sl_archive_writer_add_log (w, "before", &error));
      g_assert_false (sl_archive_writer_add_log (w, big, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR);
      g_clear_error (&error);
      g_assert_true (sl_archive_writer_add_log (w, "after", &error));
      g_assert_no_error (error);
      g_assert_true (sl_archive_writer_finish (w, NULL, &error));
      g_assert_no_error (error);
      sl_archive_writer_free (w);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SlRun) back = sl_archive_load (path, NULL, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (back->complete);
    g_assert_cmpuint (back->log->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (back->log, 0), ==, "before");
    g_assert_cmpstr (g_ptr_array_index (back->log, 1), ==, "after");
  }
  g_unlink (path);
}

static void
test_writer_no_space (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) ref = archive_test_small_run ();
  g_autoptr(GError) error = NULL;
  SlArchiveWriter *w;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  w = sl_archive_writer_create ("/dev/full", &ref->header, &error);
  g_assert_null (w);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
}

/* ---- truncation ---- */

static guint
count_lines_with (const char *text, gsize len, const char *needle)
{
  guint n = 0;
  const char *line = text;

  for (const char *p = text; p < text + len; p++)
    if (*p == '\n')
      {
        g_autofree char *l = g_strndup (line, p - line);

        if (strstr (l, needle) != NULL)
          n++;
        line = p + 1;
      }
  return n;
}

static void
test_truncated_every_offset (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  const char *first_nl = memchr (text, '\n', len);
  gsize header_end = (gsize) (first_nl - text) + 1;

  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(GBytes) prefix = g_bytes_new (text, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlRun) back = sl_archive_load_from_bytes (prefix, &error);

      if (cut < header_end)
        {
          /* Only a cut header is an error. */
          g_assert_null (back);
          g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
          continue;
        }
      g_assert_no_error (error);
      g_assert_nonnull (back);
      g_assert_cmpuint (back->samples->len, ==, count_lines_with (text, cut, "\"record\":\"sample\""));
      g_assert_cmpuint (back->log->len, ==, count_lines_with (text, cut, "\"record\":\"log\""));
      if (cut == len)
        {
          g_assert_true (back->complete);
          archive_test_assert_runs_equal (run, back);
        }
      else
        {
          g_assert_false (back->complete);
          g_assert_nonnull (back->incomplete_reason);
          if (text[cut - 1] != '\n')
            {
              g_autofree char *where = g_strdup_printf ("at byte %" G_GSIZE_FORMAT,
                                                        (gsize) (g_strrstr_len (text, cut, "\n") - text) + 1);

              g_assert_nonnull (strstr (back->incomplete_reason, "truncated"));
              g_assert_nonnull (strstr (back->incomplete_reason, where));
            }
          else
            g_assert_nonnull (strstr (back->incomplete_reason, "no footer"));
        }
    }
}

static void
test_truncated_file (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_full_run ();
  g_autofree char *path = g_build_filename (f->dir, "cut.slrun", NULL);
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  /* Cut in the middle of the last sample record. */
  const char *last_sample = g_strrstr (text, "{\"record\":\"sample\"");
  gsize cut = (gsize) (last_sample - text) + 40;

  g_assert_true (g_file_set_contents (path, text, (gssize) cut, NULL));
  back = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->samples->len, ==, run->samples->len - 1);
  g_assert_false (back->complete);
  g_assert_nonnull (strstr (back->incomplete_reason, "truncated: record"));
}

/* ---- corruption ---- */

static char *
replace_line (const char *text, guint line_index, const char *replacement, gsize *offset_out)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize offset = 0;

  for (guint i = 0; i < line_index; i++)
    offset += strlen (lines[i]) + 1;
  *offset_out = offset;
  g_free (lines[line_index]);
  lines[line_index] = g_strdup (replacement);
  return g_strjoinv ("\n", lines);
}

static void
expect_corrupt (const char *text, SlError code, const char *needle1, const char *needle2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = load_text (text, &error);

  g_assert_null (back);
  g_assert_error (error, SL_ERROR, (gint) code);
  if (needle1 != NULL && strstr (error->message, needle1) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, needle1);
  if (needle2 != NULL && strstr (error->message, needle2) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, needle2);
}

static void
test_corrupt_line (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  gsize offset = 0;
  g_autofree char *bad = replace_line (text, 2, "{\"record\":\"sample\",\"tag\":", &offset);
  g_autofree char *where = g_strdup_printf ("record 3 (byte %" G_GSIZE_FORMAT ")", offset);
  g_autofree char *bad2 = replace_line (text, 2, "{\"record\":\"sample\",\"tag\":\"a\",\"elapsed_ms\":\"10\",\"report\":{\"schema\":\"single\",\"maps\":[]},\"stats\":{}}", &offset);
  g_autofree char *bad3 = replace_line (text, 2, "[1,2,3]", &offset);
  g_autofree char *bad4 = replace_line (text, 2, "{\"record\":\"sample\",\"tag\":\"a\",\"report\":{\"schema\":\"single\",\"maps\":[]},\"stats\":{},\"stats_missing\":\"Cancelled\"}", &offset);
  g_autofree char *bad5 = replace_line (text, 2, "{\"record\":\"monitor\",\"elapsed_ms\":1,\"cpus\":[{\"cpu\":4294967296}]}", &offset);
  g_autofree char *bad6 = replace_line (text, 2, "{\"record\":\"sample\",\"tag\":\"a\",\"report\":{\"schema\":\"dual\"},\"stats\":{}}", &offset);
  g_autofree char *bad7 = replace_line (text, 2, "", &offset);

  expect_corrupt (bad, SL_ERROR_CORRUPT, where, "not a JSON record");
  expect_corrupt (bad2, SL_ERROR_CORRUPT, where, "sample.elapsed_ms");
  expect_corrupt (bad3, SL_ERROR_CORRUPT, where, "expected a JSON object");
  expect_corrupt (bad4, SL_ERROR_CORRUPT, where, "exactly one of");
  expect_corrupt (bad5, SL_ERROR_CORRUPT, where, "monitor.cpus[0].cpu");
  expect_corrupt (bad6, SL_ERROR_CORRUPT, where, "sample.report");
  expect_corrupt (bad7, SL_ERROR_CORRUPT, where, "empty line");
}

static void
test_corrupt_structure (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *header = g_strndup (text, strchr (text, '\n') - text + 1);
  g_autofree char *no_header = g_strdup (strchr (text, '\n') + 1);
  g_autofree char *two_headers = g_strconcat (header, text, NULL);
  g_autofree char *after_footer = g_strconcat (text, "{\"record\":\"log\",\"line\":\"x\"}\n", NULL);
  gsize offset;
  g_autofree char *bad_count = replace_line (text, 5, "{\"record\":\"footer\",\"samples\":3,\"end_reason\":\"finished\"}", &offset);
  g_autofree char *bad_utf8 = g_strdup (text);

  expect_corrupt (no_header, SL_ERROR_CORRUPT, "record 1 (byte 0)", "must be the header");
  expect_corrupt (two_headers, SL_ERROR_CORRUPT, "record 2", "second header");
  expect_corrupt (after_footer, SL_ERROR_CORRUPT, "record 7", "after the footer");
  expect_corrupt (bad_count, SL_ERROR_CORRUPT, "record 6", "footer counts 3 samples");
  expect_corrupt ("", SL_ERROR_CORRUPT, "no header", NULL);
  expect_corrupt ("\x89PNG\r\n\x1a\n", SL_ERROR_CORRUPT, "record 1 (byte 0)", "run archive");
  expect_corrupt ("{\"record\":\"header\",\"format\":\"other\",\"version\":1}\n", SL_ERROR_CORRUPT, "header.format", NULL);
  expect_corrupt ("{\"record\":\"header\",\"format\":\"schedlab-run\",\"version\":1}\n", SL_ERROR_CORRUPT,
                  "header", "\"kernel\" is missing");
  /* A byte that is not UTF-8 inside a log record. */
  *strstr (bad_utf8, "bye") = (char) 0xff;
  expect_corrupt (bad_utf8, SL_ERROR_CORRUPT, "record 5", "UTF-8");
}

static void
test_future_version (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *v2 = NULL;
  char *p = strstr (text, "\"version\":1");

  g_assert_nonnull (p);
  p[10] = '2';
  /* A version 2 header may have changed everything else: it is refused
   * before the rest is looked at. */
  v2 = g_strdup ("{\"record\":\"header\",\"format\":\"schedlab-run\",\"version\":2,\"whatever\":[]}\n");
  expect_corrupt (text, SL_ERROR_VERSION, "version 2", "newer");
  expect_corrupt (v2, SL_ERROR_VERSION, "record 1 (byte 0)", NULL);
  expect_corrupt ("{\"record\":\"header\",\"format\":\"schedlab-run\",\"version\":0}\n", SL_ERROR_CORRUPT, "version 0", NULL);
}

static void
test_forward_compatible (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  /* Unknown keys in every record and an unknown record type are ignored. */
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_string_append_len (s, lines[i], (gssize) strlen (lines[i]) - 1);
      g_string_append (s, ",\"zz_future\":{\"a\":[1,{\"b\":null}]}}\n");
      if (i == 1)
        g_string_append (s, "{\"record\":\"gpu_sample\",\"value\":3}\n");
    }
  back = load_text (s->str, &error);
  g_assert_no_error (error);
  archive_test_assert_runs_equal (run, back);
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autoptr(GString) s = g_string_new_len (g_bytes_get_data (bytes, NULL), 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  const char *text = g_bytes_get_data (bytes, NULL);
  gsize header_len = strchr (text, '\n') - text + 1;

  /* A log record one byte over the limit. */
  g_string_append_len (s, text, (gssize) header_len);
  g_string_append (s, "{\"record\":\"log\",\"line\":\"");
  while (s->len < header_len + SL_ARCHIVE_MAX_RECORD_BYTES - 1)
    g_string_append_c (s, 'x');
  g_string_append (s, "\"}\n");
  back = load_text (s->str, &error);
  g_assert_null (back);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "record 2"));
  g_clear_error (&error);

  /* Deep nesting is refused before json-glib's recursive parser sees it. */
  g_string_truncate (s, header_len);
  g_string_append (s, "{\"record\":\"log\",\"line\":\"x\",\"deep\":");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (s, '[');
  g_string_append (s, "\n");
  back = load_text (s->str, &error);
  g_assert_null (back);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "nested"));
}

static void
progress_cb (guint64 done, guint64 total, gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, last[0]);
  last[0] = done;
  last[1] = total;
  last[2]++;
}

static void
test_load_progress_and_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_full_run ();
  g_autofree char *path = g_build_filename (f->dir, "p.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) back = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  guint64 state[3] = { 0, 0, 0 };
  GStatBuf st;

  g_assert_true (sl_archive_save (run, path, &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  back = sl_archive_load (path, NULL, progress_cb, state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state[0], ==, (guint64) st.st_size);
  g_assert_cmpuint (state[1], ==, (guint64) st.st_size);
  g_assert_cmpuint (state[2], >=, 1);
  g_clear_pointer (&back, sl_run_unref);

  g_cancellable_cancel (cancel);
  back = sl_archive_load (path, cancel, NULL, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  back = sl_archive_load ("/nonexistent/dir/x.slrun", NULL, NULL, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_save_is_atomic (Fixture *f, gconstpointer data)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autofree char *path = g_build_filename (f->dir, "a.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  guint n = 0;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (sl_archive_save (run, path, &error));
  g_assert_no_error (error);
  /* No temporary file is left behind. */
  d = g_dir_open (f->dir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 1);

  run->complete = FALSE;
  g_assert_false (sl_archive_save (run, "/nonexistent/dir/a.slrun", &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/archive/roundtrip/full", test_roundtrip_full);
  ADD ("/archive/roundtrip/nan", test_roundtrip_nan);
  ADD ("/archive/writer/streaming", test_writer_streaming);
  ADD ("/archive/writer/unfinished", test_writer_unfinished);
  ADD ("/archive/writer/exclusive", test_writer_exclusive);
  ADD ("/archive/writer/invalid-sample", test_writer_invalid_sample);
  ADD ("/archive/writer/save-atomic", test_save_is_atomic);
  ADD ("/archive/writer/rollback", test_writer_rollback);
  ADD ("/archive/writer/no-space", test_writer_no_space);
  ADD ("/archive/truncated/every-offset", test_truncated_every_offset);
  ADD ("/archive/truncated/file", test_truncated_file);
  ADD ("/archive/corrupt/line", test_corrupt_line);
  ADD ("/archive/corrupt/structure", test_corrupt_structure);
  ADD ("/archive/version/future", test_future_version);
  ADD ("/archive/forward-compatible", test_forward_compatible);
  ADD ("/archive/too-large", test_too_large);
  ADD ("/archive/load/progress-cancel", test_load_progress_and_cancel);
#undef ADD
  return g_test_run ();
}
