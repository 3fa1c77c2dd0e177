/* Tests of the built schedlab-cli `test` (argument errors, invalid test
 * files, kernels that cannot be resolved: everything decided before a VM
 * boots) and `compare` (on two archives written here with the archive
 * writer). */
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sl-archive.h"
#include "sl-test-cli.h"

static char *tmp_dir;

static char *
write_file (const char *name, const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

#define SPEC_PART                          \
  "[spec]\nversion=1\n\n"                  \
  "[assert grows]\n"                       \
  "field=stats nr_dispatched\n"            \
  "pattern=nondecreasing\n\n"

#define RUN_GROUP(scenario, snapshots)                                        \
  "[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\n"   \
  "scenario=" scenario "\nduration_ms=2000\nsnapshots=" snapshots "\n"

static void
test_usage_errors (void)
{
  g_autofree char *valid = write_file ("valid.sltest", SPEC_PART RUN_GROUP ("steady", "4"));
  static const char *const bad_shards[] = { "0/2", "3/2", "1", "a/b", "1/0", "/" };

  {
    g_auto(CliResult) r = run_cli ("test");
    g_assert_cmpint (r.status, ==, 64);
    assert_contains (r.err, "expected at least one FILE.sltest");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_shards); i++)
    {
      g_auto(CliResult) r = run_cli ("test", "--shard", bad_shards[i], valid);
      g_assert_cmpint (r.status, ==, 64);
      assert_contains (r.err, "--shard");
    }
  {
    g_auto(CliResult) r = run_cli ("test", "--jobs", "0", valid);
    g_assert_cmpint (r.status, ==, 64);
    assert_contains (r.err, "--jobs");
  }
  {
    g_auto(CliResult) r = run_cli ("test", "--accel", "warp", valid);
    g_assert_cmpint (r.status, ==, 64);
    assert_contains (r.err, "--accel");
  }
  {
    g_auto(CliResult) r = run_cli ("test", "--no-such-option", valid);
    g_assert_cmpint (r.status, ==, 64);
  }
}

/* Invalid files exit 65 before any VM, naming the file, group and key, in
 * every output format; sharding picks every n-th file. */
static void
test_invalid_files (void)
{
  g_autofree char *unknown_key = write_file ("unknown-key.sltest",
                                             SPEC_PART RUN_GROUP ("steady", "4") "colour=red\n");
  g_autofree char *no_run = write_file ("no-run.sltest", SPEC_PART);
  g_autofree char *bad_scenario = write_file ("bad-scenario.sltest", SPEC_PART RUN_GROUP ("no-such-scenario", "4"));
  g_autofree char *junit = g_build_filename (tmp_dir, "report.xml", NULL);
  g_autofree char *xml = NULL;

  {
    g_auto(CliResult) r = run_cli ("test", unknown_key);
    g_assert_cmpint (r.status, ==, 65);
    assert_contains (r.out, "INVALID");
    assert_contains (r.out, "unknown-key.sltest: [run], key 'colour': unknown key");
    assert_contains (r.out, "1 invalid");
  }
  {
    g_auto(CliResult) r = run_cli ("test", "--tap", "--junit", junit, no_run, bad_scenario);
    g_assert_cmpint (r.status, ==, 65);
    assert_contains (r.out, "TAP version 13\n1..2\n");
    assert_contains (r.out, "not ok 1 - no-run");
    assert_contains (r.out, "missing group [run]");
    assert_contains (r.out, "not ok 2 - bad-scenario");
    assert_contains (r.out, "key 'scenario'");
    g_assert_true (g_file_get_contents (junit, &xml, NULL, NULL));
    assert_contains (xml, "<testsuite name=\"no-run\"");
    assert_contains (xml, "<error message=");
    g_assert_true (g_str_has_prefix (xml, "<?xml"));
    g_unlink (junit);
  }
  /* Shard 2/2 of three files is the second file only. */
  {
    g_auto(CliResult) r = run_cli ("test", "--tap", "--shard", "2/2", unknown_key, no_run, bad_scenario);
    g_assert_cmpint (r.status, ==, 65);
    assert_contains (r.out, "1..1\n");
    assert_contains (r.out, "no-run");
    g_assert_null (strstr (r.out, "unknown-key"));
    g_assert_null (strstr (r.out, "bad-scenario"));
  }
  /* Too many snapshots for the workload is the file's fault too. */
  {
    g_autofree char *crowded = write_file ("crowded.sltest", SPEC_PART RUN_GROUP ("steady", "100000"));
    g_auto(CliResult) r = run_cli ("test", crowded);
    g_assert_cmpint (r.status, ==, 65);
    assert_contains (r.out, "key 'snapshots'");
  }
}

/* A kernel that cannot be resolved: the VM cannot run (70), no archive. */
static void
test_vm_cannot_run (void)
{
  g_autofree char *valid = write_file ("valid.sltest", SPEC_PART RUN_GROUP ("steady", "4"));
  g_autofree char *keep = g_build_filename (tmp_dir, "keep", NULL);
  g_auto(CliResult) r = run_cli ("test", "--offline", "--keep-dir", keep, "--kernel", "/nonexistent/vmlinux", valid);

  g_assert_cmpint (r.status, ==, 70);
  assert_contains (r.out, "ERROR");
  assert_contains (r.out, "kernel '/nonexistent/vmlinux'");
  assert_contains (r.out, "1 could not run");
  g_assert_false (g_file_test (keep, G_FILE_TEST_EXISTS));
}

/* --jobs runs each file in a child process; results come back in file order. */
static void
test_jobs (void)
{
  g_autofree char *a = write_file ("a.sltest", SPEC_PART RUN_GROUP ("steady", "4") "colour=red\n");
  g_autofree char *b = write_file ("b.sltest", SPEC_PART RUN_GROUP ("steady", "4"));
  g_auto(CliResult) r = run_cli ("test", "--tap", "--jobs", "2", "--offline", "--kernel", "/nonexistent/vmlinux", a, b);
  const char *first, *second;

  /* Invalid (65) outranks could-not-run (70). */
  g_assert_cmpint (r.status, ==, 65);
  first = strstr (r.out, "not ok 1 - a");
  second = strstr (r.out, "not ok 2 - b");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  assert_contains (r.out, "key 'colour'");
  assert_contains (r.out, "result: ERROR");
  assert_contains (r.out, "kernel '/nonexistent/vmlinux'");
}

/* ---- compare ---------------------------------------------------------------- */

/* A run whose stats nr_dispatched grows by `step` per sample over two phases
 * (Step[1] only when `both_phases`), and whose busy gauge is `busy`. */
static char *
write_run (const char *name, guint64 step, double busy, gboolean both_phases)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  g_autoptr(GError) error = NULL;
  SlRunHeader h = { 0 };
  SlArchiveWriter *w;

  h.scheduler = (char *) "sl_test";
  h.scenario = (char *) "generated";
  h.topology = (SlTopology) { 1, 1, 2, 1 };
  h.snapshots = 4;
  h.duration_ms = 400;
  h.synthetic = TRUE;
  w = sl_archive_writer_create (path, &h, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < (both_phases ? 4u : 2u); i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      g_autoptr(SlSample) s = sl_sample_new (tag);
      g_autoptr(JsonParser) p = json_parser_new ();
      g_autofree char *json = NULL;
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      s->elapsed_ms = sl_opt_u64 (100 * (i + 1));
      s->has_step_index = TRUE;
      s->step_index = i < 2 ? 1 : 2;
      json = g_strdup_printf ("{\"nr_dispatched\":%" G_GUINT64_FORMAT ",\"busy\":%s}", step * (i + 1),
                              g_ascii_dtostr (buf, sizeof buf, busy));
      g_assert_true (json_parser_load_from_data (p, json, -1, NULL));
      s->stats = json_node_copy (json_parser_get_root (p));
      s->missing_stats.kind = SL_MISSING_STATS_NONE;
      g_assert_true (sl_archive_writer_add_sample (w, s, &error));
      g_assert_no_error (error);
    }
  g_assert_true (sl_archive_writer_finish (w, "finished", &error));
  g_assert_no_error (error);
  sl_archive_writer_free (w);
  return g_steal_pointer (&path);
}

static void
test_compare (void)
{
  g_autofree char *a = write_run ("a.slrun", 10, 40.0, TRUE);
  g_autofree char *b = write_run ("b.slrun", 15, 50.0, FALSE);

  /* Default fields: the top-level stats both runs have. */
  {
    g_auto(CliResult) r = run_cli ("compare", a, b);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "delta %");
    assert_contains (r.out, "stats nr_dispatched");
    assert_contains (r.out, "counter");
    assert_contains (r.out, "stats busy");
    assert_contains (r.out, "gauge");
    /* Step[0]: A 20-10 = 10, B 30-15 = 15: +5, +50.0%. */
    assert_contains (r.out, "+50.0%");
    /* busy 40 → 50: +25.0%. */
    assert_contains (r.out, "+25.0%");
  }
  {
    g_auto(CliResult) r = run_cli ("compare", a, b, "--field", "stats nr_dispatched", "--json");
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *root;
    JsonArray *fields, *phases;
    JsonObject *s0, *s1;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (json_parser_load_from_data (p, r.out, -1, NULL));
    root = json_node_get_object (json_parser_get_root (p));
    fields = json_object_get_array_member (root, "fields");
    g_assert_cmpuint (json_array_get_length (fields), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, 0), "kind"), ==, "Counter");
    phases = json_object_get_array_member (json_array_get_object_element (fields, 0), "phases");
    g_assert_cmpuint (json_array_get_length (phases), ==, 2);
    s0 = json_array_get_object_element (phases, 0);
    g_assert_cmpstr (json_object_get_string_member (s0, "phase"), ==, "Step[0]");
    g_assert_cmpfloat (json_object_get_double_member (s0, "a"), ==, 10);
    g_assert_cmpfloat (json_object_get_double_member (s0, "b"), ==, 15);
    g_assert_cmpfloat (json_object_get_double_member (s0, "delta"), ==, 5);
    g_assert_cmpfloat (json_object_get_double_member (s0, "delta_pct"), ==, 50);
    /* Step[1] is only in A: B and the deltas are null, not 0. */
    s1 = json_array_get_object_element (phases, 1);
    g_assert_cmpstr (json_object_get_string_member (s1, "phase"), ==, "Step[1]");
    g_assert_cmpfloat (json_object_get_double_member (s1, "a"), ==, 10);
    g_assert_true (json_object_get_null_member (s1, "b"));
    g_assert_true (json_object_get_null_member (s1, "delta"));
    g_assert_true (json_object_get_null_member (s1, "delta_pct"));
  }
  {
    g_auto(CliResult) r = run_cli ("compare", a, b, "--field", "not a selector");
    g_assert_cmpint (r.status, ==, 64);
    assert_contains (r.err, "--field");
  }
  {
    g_auto(CliResult) r = run_cli ("compare", a);
    g_assert_cmpint (r.status, ==, 64);
  }
  {
    g_auto(CliResult) r = run_cli ("compare", a, "/nonexistent.slrun");
    g_assert_cmpint (r.status, ==, 66);
    assert_contains (r.err, "/nonexistent.slrun");
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("sl-cli-test-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/cli/test/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/test/invalid-files", test_invalid_files);
  g_test_add_func ("/cli/test/vm-cannot-run", test_vm_cannot_run);
  g_test_add_func ("/cli/test/jobs", test_jobs);
  g_test_add_func ("/cli/compare", test_compare);
  status = g_test_run ();
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmp_dir);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                              G_FILE_QUERY_INFO_NONE, NULL, NULL);
    GFileInfo *info;

    while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)) != NULL)
      {
        g_autofree char *p = g_build_filename (tmp_dir, g_file_info_get_name (info), NULL);
        g_unlink (p);
        g_object_unref (info);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
