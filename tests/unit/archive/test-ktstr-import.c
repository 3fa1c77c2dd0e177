/* test-ktstr-import.c: ktstr failure-dump documents become runs. */
#include "archive-test-util.h"
#include "sl-ktstr-import.h"

#include <string.h>

static char *
fixture_path (const char *name)
{
  return g_build_filename (g_getenv ("SL_SOURCE_ROOT"), "tests", "unit", "archive", "fixtures", name, NULL);
}

static void
test_single (void)
{
  g_autofree char *path = fixture_path ("scx_vtime-stall.failure-dump.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_ktstr_import_file (path, &error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SlRun) back = NULL;
  SlSample *s;
  const SlMap *bss, *pc, *hash, *ro;
  guint64 u = 0;
  gint64 i = 0;

  g_assert_no_error (error);
  g_assert_nonnull (run);
  g_assert_cmpuint (run->samples->len, ==, 1);
  g_assert_true (run->complete);
  g_assert_false (run->header.synthetic);
  g_assert_cmpstr (run->header.scheduler, ==, "scx_vtime");
  s = g_ptr_array_index (run->samples, 0);
  g_assert_cmpstr (s->tag, ==, "scx_vtime-stall");
  g_assert_false (s->elapsed_ms.set);
  g_assert_false (s->boundary_offset_ms.set);
  g_assert_false (s->has_step_index);
  g_assert_null (s->stats);
  g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NO_SCHEDULER_BINARY);
  g_assert_false (s->report->is_placeholder);
  g_assert_cmpuint (s->report->maps->len, ==, 4);

  bss = sl_report_find_map (s->report, "scx_vtime.bss");
  g_assert_nonnull (bss);
  g_assert_true (sl_map_is_global_section (bss));
  g_assert_true (sl_value_as_u64 (sl_value_member (bss->value, "nr_enqueued"), &u));
  g_assert_cmpuint (u, ==, G_MAXUINT64);
  g_assert_true (sl_value_as_i64 (sl_value_member (bss->value, "min_lag"), &i));
  g_assert_cmpint (i, ==, G_MININT64);
  g_assert_cmpstr (sl_value_as_str (sl_value_member (bss->value, "stall_kind")), ==, "SCX_EXIT_ERROR_STALL");
  pc = sl_report_find_map (s->report, "cpu_ctx");
  g_assert_cmpuint (pc->percpu_entries->len, ==, 1);
  g_assert_null (((SlPercpuEntry *) g_ptr_array_index (pc->percpu_entries, 0))->per_cpu[1]);
  hash = sl_report_find_map (s->report, "task_ctx_stor");
  g_assert_cmpuint (hash->entries->len, ==, 1);
  ro = sl_report_find_map (s->report, "scx_vtime.rodata");
  g_assert_nonnull (ro->error);
  g_assert_cmpuint (s->report->per_cpu_time->len, ==, 2);
  g_assert_true (g_array_index (s->report->per_cpu_time, SlPerCpuTime, 1).iowait_sleeptime_ns.set);
  g_assert_false (g_array_index (s->report->per_cpu_time, SlPerCpuTime, 0).iowait_sleeptime_ns.set);

  /* The imported run archives and reads back unchanged, unmodelled keys included. */
  bytes = sl_archive_save_to_bytes (run);
  g_assert_nonnull (strstr (g_bytes_get_data (bytes, NULL), "\"dsq_states\""));
  back = sl_archive_load_from_bytes (bytes, &error);
  g_assert_no_error (error);
  archive_test_assert_runs_equal (run, back);
}

static void
test_dual (void)
{
  g_autofree char *path = fixture_path ("scx_vtime-repro.failure-dump.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_ktstr_import_file (path, &error);
  SlSample *early, *late;
  guint64 a = 0, b = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (run->samples->len, ==, 2);
  early = g_ptr_array_index (run->samples, 0);
  late = g_ptr_array_index (run->samples, 1);
  g_assert_cmpstr (early->tag, ==, "early");
  g_assert_cmpstr (late->tag, ==, "late");
  g_assert_true (sl_value_as_u64 (sl_value_member (sl_report_find_map (early->report, "scx_vtime.bss")->value,
                                                   "nr_dispatched"), &a));
  g_assert_true (sl_value_as_u64 (sl_value_member (sl_report_find_map (late->report, "scx_vtime.bss")->value,
                                                   "nr_dispatched"), &b));
  g_assert_cmpuint (a, ==, 60000);
  g_assert_cmpuint (b, ==, 60007);
  g_assert_cmpint (late->missing_stats.kind, ==, SL_MISSING_STATS_NO_SCHEDULER_BINARY);
}

static void
test_dual_without_early (void)
{
  const char *doc = "{\"schema\":\"dual\",\"late\":{\"schema\":\"single\",\"maps\":[]},"
                    "\"early_skipped_reason\":\"watchdog fired before half-time\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_ktstr_import_bytes (doc, strlen (doc), NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (run->samples->len, ==, 1);
  g_assert_cmpstr (((SlSample *) g_ptr_array_index (run->samples, 0))->tag, ==, "late");
  g_assert_nonnull (strstr (g_ptr_array_index (run->log, 1), "watchdog fired before half-time"));
}

static void
test_degraded_refused (void)
{
  g_autofree char *path = fixture_path ("scx_vtime-timeout.failure-dump.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_ktstr_import_file (path, &error);

  g_assert_null (run);
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "degraded"));
  g_assert_nonnull (strstr (error->message, "vcpu 1 did not park"));
}

static void
test_bad_documents (void)
{
  static const struct { const char *doc; SlError code; const char *needle; } cases[] = {
    { "", SL_ERROR_CORRUPT, "JSON object" },
    { "{\"schema\":", SL_ERROR_CORRUPT, "not a JSON document" },
    { "[1]", SL_ERROR_CORRUPT, "JSON object" },
    { "{\"maps\":[]}", SL_ERROR_CORRUPT, "schema" },
    { "{\"schema\":\"triple\"}", SL_ERROR_CORRUPT, "triple" },
    { "{\"schema\":\"dual\"}", SL_ERROR_CORRUPT, "late" },
    { "{\"schema\":\"single\",\"maps\":[{\"name\":3}]}", SL_ERROR_CORRUPT, "x.json" },
  };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlRun) run = sl_ktstr_import_bytes (cases[k].doc, strlen (cases[k].doc), "dir/x.json", &error);

      g_assert_null (run);
      g_assert_error (error, SL_ERROR, (gint) cases[k].code);
      if (strstr (error->message, cases[k].needle) == NULL)
        g_error ("case %u: \"%s\" lacks \"%s\"", k, error->message, cases[k].needle);
    }
}

static void
test_tag_for (void)
{
  static const char *const cases[][2] = {
    { "/tmp/my_test.failure-dump.json", "my_test" },
    { "dump.json", "dump" },
    { "plain", "plain" },
    { ".json", "imported" },
    { "/", "imported" },
  };
  g_autofree char *none = sl_ktstr_import_tag_for (NULL);

  g_assert_cmpstr (none, ==, "imported");
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *tag = sl_ktstr_import_tag_for (cases[k][0]);

      g_assert_cmpstr (tag, ==, cases[k][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/archive/ktstr-import/single", test_single);
  g_test_add_func ("/archive/ktstr-import/dual", test_dual);
  g_test_add_func ("/archive/ktstr-import/dual-without-early", test_dual_without_early);
  g_test_add_func ("/archive/ktstr-import/degraded-refused", test_degraded_refused);
  g_test_add_func ("/archive/ktstr-import/bad-documents", test_bad_documents);
  g_test_add_func ("/archive/ktstr-import/tag-for", test_tag_for);
  return g_test_run ();
}
