/* Tests of the built schedlab-cli (check, info, fields, import): exit codes and
 * output formats, on the bundled synthetic run and on generated archives. */
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sl-archive.h"
#include "sl-test-cli.h"

static char *
source_path (const char *rel)
{
  return g_build_filename (g_getenv ("SL_SOURCE_ROOT"), rel, NULL);
}

static char *
write_temp (const char *name, const char *text)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-cli-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* A small generated run: a counter over two phases, no monitor. */
static char *
generated_run (gboolean complete)
{
  g_autoptr(SlRun) run = sl_run_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-cli-XXXXXX", NULL);
  char *path = g_build_filename (dir, "generated.slrun", NULL);
  gsize len;
  const char *data;

  run->header.scheduler = g_strdup ("sl_test");
  run->header.scenario = g_strdup ("generated");
  run->header.topology = (SlTopology) { 1, 1, 2, 1 };
  run->header.synthetic = TRUE;
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      SlSample *s = sl_sample_new (tag);
      SlMap *m = sl_map_new ("t.bss", SL_BPF_MAP_ARRAY, 8, 1);

      s->elapsed_ms = sl_opt_u64 (100 * (i + 1));
      s->has_step_index = TRUE;
      s->step_index = i < 2 ? 1 : 2;
      m->value = sl_value_new_struct (".bss");
      sl_value_struct_add (m->value, "counter", sl_value_new_uint (64, 10 * (i + 1)));
      g_ptr_array_add (s->report->maps, m);
      s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
      g_ptr_array_add (run->samples, s);
    }
  run->complete = TRUE;
  bytes = sl_archive_save_to_bytes (run);
  data = g_bytes_get_data (bytes, &len);
  if (!complete)
    {
      /* Drop the footer line: the archive reads as incomplete. */
      const char *last = g_strrstr_len (data, (gssize) len - 1, "\n");
      len = (gsize) (last - data) + 1;
    }
  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_check_pass (void)
{
  g_autofree char *spec = source_path ("data/specs/synthetic-pass.slspec");
  g_autofree char *run = source_path ("data/samples/synthetic-two-cgroups.slrun");
  CliResult r = run_cli ("check", spec, run, NULL);

  if (r.status != 0)
    g_error ("exit %d\n%s\n%s", r.status, r.out, r.err);
  assert_contains (r.out, "PASS         dispatch-never-regresses  (bpf sl_vtime.bss/nr_dispatched: nondecreasing)");
  assert_contains (r.out, "passed, 0 failed, 0 inconclusive");
  g_assert_null (strstr (r.out, "FAIL"));
  cli_result_clear (&r);
}

static void
test_check_fail (void)
{
  g_autofree char *spec = source_path ("data/specs/synthetic-fail.slspec");
  g_autofree char *run = source_path ("data/samples/synthetic-two-cgroups.slrun");
  CliResult r = run_cli ("check", spec, run, NULL);

  g_assert_cmpint (r.status, ==, 1);
  assert_contains (r.out, "FAIL         cgroup-count-must-grow");
  assert_contains (r.out, "nr_cgroups (strictly_increasing): regression at sample periodic_001 (+");
  assert_contains (r.out, "value 2 after prior value 2 at sample periodic_000");
  assert_contains (r.out, "projection error");
  assert_contains (r.out, "0 passed, 5 failed, 0 inconclusive");
  cli_result_clear (&r);
}

static void
test_check_inconclusive_and_tap (void)
{
  g_autofree char *run = generated_run (TRUE);
  g_autofree char *spec = write_temp ("i.slspec",
                                      "[spec]\nversion=1\n"
                                      "[assert grows]\nfield=bpf counter\npattern=strictly_increasing\n"
                                      "[assert no-baseline]\nfield=bpf counter\npattern=ratio_across_phases.at_most\n"
                                      "earlier=BASELINE\nlater=Step[0]\nceiling=2\n");
  CliResult r = run_cli ("check", spec, run, NULL);

  g_assert_cmpint (r.status, ==, 2);
  assert_contains (r.out, "INCONCLUSIVE no-baseline");
  assert_contains (r.out, "1 passed, 0 failed, 1 inconclusive");
  cli_result_clear (&r);

  r = run_cli ("check", "--tap", spec, run, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_true (g_str_has_prefix (r.out, "TAP version 13\n1..2\nok 1 - grows: bpf counter strictly_increasing\n"));
  assert_contains (r.out, "not ok 2 - no-baseline: bpf counter ratio_across_phases.at_most earlier=BASELINE "
                          "later=Step[0] ceiling=2 # TODO inconclusive\n  ---\n  result: Inconclusive\n");
  cli_result_clear (&r);
}

static void
test_check_json (void)
{
  g_autofree char *spec = source_path ("data/specs/synthetic-fail.slspec");
  g_autofree char *run = source_path ("data/samples/synthetic-two-cgroups.slrun");
  CliResult r = run_cli ("check", "--json", spec, run, NULL);
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *first;
  JsonArray *assertions;

  g_assert_cmpint (r.status, ==, 1);
  json_parser_load_from_data (p, r.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (p));
  g_assert_cmpstr (json_object_get_string_member (root, "result"), ==, "Fail");
  g_assert_cmpint (json_object_get_int_member (root, "exit_code"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "failed"), ==, 5);
  assertions = json_object_get_array_member (root, "assertions");
  g_assert_cmpuint (json_array_get_length (assertions), ==, 5);
  first = json_array_get_object_element (assertions, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "cgroup-count-must-grow");
  g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, "bpf sl_vtime.bss/nr_cgroups");
  g_assert_cmpstr (json_object_get_string_member (first, "result"), ==, "Fail");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "outcomes")), >, 0);
  cli_result_clear (&r);
}

static void
test_check_exit_codes (void)
{
  g_autofree char *run = generated_run (TRUE);
  g_autofree char *incomplete = generated_run (FALSE);
  g_autofree char *good = write_temp ("g.slspec", "[spec]\nversion=1\n[assert g]\nfield=bpf counter\npattern=nondecreasing\n");
  g_autofree char *bad = write_temp ("b.slspec", "[spec]\nversion=1\n[assert broken]\nfield=bpf counter\n"
                                                  "pattern=rate_within\nlo=1\nhi=x\n");
  g_autofree char *garbage = write_temp ("garbage.slrun", "this is not an archive\n");
  CliResult r;

  r = run_cli ("check", NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);
  r = run_cli ("check", "--tap", "--json", good, run, NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);
  r = run_cli ("check", "--bogus", good, run, NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);

  r = run_cli ("check", bad, run, NULL);
  g_assert_cmpint (r.status, ==, 65);
  assert_contains (r.err, "assertion 'broken', key 'hi'");
  cli_result_clear (&r);
  r = run_cli ("check", "/nonexistent/x.slspec", run, NULL);
  g_assert_cmpint (r.status, ==, 65);
  cli_result_clear (&r);

  r = run_cli ("check", good, "/nonexistent/run.slrun", NULL);
  g_assert_cmpint (r.status, ==, 66);
  assert_contains (r.err, "cannot read run");
  cli_result_clear (&r);
  r = run_cli ("check", good, garbage, NULL);
  g_assert_cmpint (r.status, ==, 66);
  cli_result_clear (&r);

  /* An incomplete run is still checked, with a warning. */
  r = run_cli ("check", good, incomplete, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "warning: run");
  assert_contains (r.err, "incomplete");
  assert_contains (r.out, "1 passed, 0 failed, 0 inconclusive");
  cli_result_clear (&r);

  r = run_cli ("check", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "SPEC RUN");
  assert_contains (r.out, "--tap");
  cli_result_clear (&r);
}

static void
test_info (void)
{
  g_autofree char *run = source_path ("data/samples/synthetic-two-cgroups.slrun");
  g_autofree char *incomplete = generated_run (FALSE);
  CliResult r = run_cli ("info", run, NULL);

  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Scheduler:  sl_vtime --slice-us 5000");
  assert_contains (r.out, "Topology:   1n1l2c1t (2 CPUs)");
  assert_contains (r.out, "Synthetic:  yes");
  assert_contains (r.out, "Phases:     3");
  assert_contains (r.out, "Step[1]");
  assert_contains (r.out, "Samples:    20");
  assert_contains (r.out, "placeholders:          1");
  assert_contains (r.out, "missing scx_stats:     1");
  assert_contains (r.out, "SCX_EXIT_UNREG");
  assert_contains (r.out, "Complete:   yes");
  cli_result_clear (&r);

  r = run_cli ("info", incomplete, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "Complete:   no (");
  cli_result_clear (&r);

  r = run_cli ("info", "/nonexistent.slrun", NULL);
  g_assert_cmpint (r.status, ==, 66);
  cli_result_clear (&r);
  r = run_cli ("info", NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);
}

static void
test_fields (void)
{
  g_autofree char *run = source_path ("data/samples/synthetic-two-cgroups.slrun");
  CliResult r = run_cli ("fields", run, NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "bpf sl_vtime.bss/nr_dispatched u64 count\n");
  assert_contains (r.out, "bpf cpu_ctx@cpu_sum/dispatched u64 count\n");
  assert_contains (r.out, "bpf cgrp_runtime[1]/runtime_ns u64 ns\n");
  assert_contains (r.out, "stats cgroups.workers.util f64\n");
  assert_contains (r.out, "host cpu1.softirqs.TIMER u64 count\n");
  assert_contains (r.out, "monitor cpu0.nr_running u64 count\n");
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  for (guint i = 0; lines[i]; i++)
    g_assert_true (g_str_has_prefix (lines[i], "bpf ") || g_str_has_prefix (lines[i], "stats ")
                   || g_str_has_prefix (lines[i], "host ") || g_str_has_prefix (lines[i], "monitor "));
  cli_result_clear (&r);

  r = run_cli ("fields", "--axis", "stats", "--filter", "WORKERS", run, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (g_strstrip (r.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  for (guint i = 0; lines[i]; i++)
    g_assert_true (g_str_has_prefix (lines[i], "stats cgroups.workers."));
  cli_result_clear (&r);

  r = run_cli ("fields", "--axis", "cpu", run, NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);
}

static void
test_import (void)
{
  g_autofree char *dump = source_path ("tests/unit/archive/fixtures/scx_vtime-stall.failure-dump.json");
  g_autofree char *dir = g_dir_make_tmp ("sl-cli-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "stall.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = NULL;
  CliResult r = run_cli ("import", dump, "-o", out, NULL);

  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.out, "imported into");
  run = sl_archive_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run->samples->len, >=, 1);
  cli_result_clear (&r);

  r = run_cli ("import", dump, NULL);
  g_assert_cmpint (r.status, ==, 64);
  cli_result_clear (&r);
  r = run_cli ("import", "/nonexistent.json", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 66);
  cli_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/check/pass", test_check_pass);
  g_test_add_func ("/cli/check/fail", test_check_fail);
  g_test_add_func ("/cli/check/inconclusive-and-tap", test_check_inconclusive_and_tap);
  g_test_add_func ("/cli/check/json", test_check_json);
  g_test_add_func ("/cli/check/exit-codes", test_check_exit_codes);
  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/fields", test_fields);
  g_test_add_func ("/cli/import", test_import);
  return g_test_run ();
}
