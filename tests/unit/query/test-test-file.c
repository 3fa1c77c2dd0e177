/* Unit tests: the .sltest format (doc/test-format.md): the spec part through
 * the spec parser, the strict [run] group, the writer and the round trip. */
#include <string.h>
#include <glib/gstdio.h>

#include "sl-test-file.h"
#include "sl-spec.h"

#define SPEC_PART                              \
  "[spec]\n"                                   \
  "version=1\n"                                \
  "description=healthy sl_vtime\n"             \
  "\n"                                         \
  "[assert dispatch]\n"                        \
  "field=bpf sl_vtime.bss/nr_dispatched\n"     \
  "pattern=nondecreasing\n"                    \
  "phases=Step[0],Step[1]\n"

#define RUN_PART                               \
  "[run]\n"                                    \
  "kernel=debian:linux-image-cloud-amd64=7.0.0-1\n" \
  "topology=1n1l2c1t\n"                        \
  "memory_mb=1024\n"                           \
  "scheduler=scx_simple\n"                     \
  "scheduler_args=--slice-us;5000;\n"          \
  "scenario=two-cgroups\n"                     \
  "duration_ms=5000\n"                         \
  "snapshots=50\n"                             \
  "interval_ms=100\n"

static const char *const good = SPEC_PART "\n" RUN_PART;

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = sl_test_file_parse (good, -1, "x/healthy.sltest", &error);
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpuint (t->spec->assertions->len, ==, 1);
  g_assert_cmpstr (t->spec->description, ==, "healthy sl_vtime");
  g_assert_cmpstr (t->run.kernel, ==, "debian:linux-image-cloud-amd64=7.0.0-1");
  g_assert_cmpuint (t->run.topology.numa_nodes, ==, 1);
  g_assert_cmpuint (t->run.topology.cores_per_llc, ==, 2);
  g_assert_cmpuint (t->run.memory_mb, ==, 1024);
  g_assert_cmpstr (t->run.scheduler, ==, "scx_simple");
  g_assert_cmpuint (g_strv_length (t->run.scheduler_args), ==, 2);
  g_assert_cmpstr (t->run.scheduler_args[0], ==, "--slice-us");
  g_assert_cmpstr (t->run.scheduler_args[1], ==, "5000");
  g_assert_cmpstr (t->run.scenario, ==, "two-cgroups");
  g_assert_cmpuint (t->run.duration_ms, ==, 5000);
  g_assert_cmpuint (t->run.snapshots, ==, 50);
  g_assert_cmpuint (t->run.interval_ms, ==, 100);
  name = sl_test_file_dup_name (t);
  g_assert_cmpstr (name, ==, "healthy");
}

/* The spec part of a test file is byte-identical to the .slspec, and the
 * whole file is the writer's canonical output. */
static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = sl_test_file_parse (good, -1, "t.sltest", &error);
  g_autofree char *spec = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SlTestFile) back = NULL;
  g_autofree char *again = NULL;
  gsize len;

  g_assert_no_error (error);
  text = sl_test_file_to_data (t, &len);
  g_assert_cmpuint (len, ==, strlen (text));
  g_assert_cmpstr (text, ==, good);
  spec = sl_spec_to_data (t->spec, NULL);
  g_assert_true (g_str_has_prefix (text, spec));
  g_assert_true (g_str_has_prefix (text + strlen (spec), "\n[run]\n"));
  back = sl_test_file_parse (text, -1, "t.sltest", &error);
  g_assert_no_error (error);
  again = sl_test_file_to_data (back, NULL);
  g_assert_cmpstr (again, ==, text);
}

/* Values that need escapes survive a round trip: semicolons and spaces in
 * arguments, an empty argument list, no optional keys. */
static void
test_escapes_and_defaults (void)
{
  static const char *const args[] = { "--name= a;b ", "", "x\\y", NULL };
  g_autoptr(SlTestFile) t = sl_test_file_new ();
  g_autoptr(SlTestFile) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *run = NULL;

  g_free (t->run.scheduler);
  t->run.scheduler = g_strdup ("/opt/my sched");
  g_strfreev (t->run.scheduler_args);
  t->run.scheduler_args = g_strdupv ((char **) args);
  t->run.duration_ms = 6000;
  t->run.snapshots = 8;
  text = sl_test_file_to_data (t, NULL);
  g_assert_null (strstr (text, "memory_mb"));
  g_assert_null (strstr (text, "interval_ms"));
  back = sl_test_file_parse (text, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->run.scheduler, ==, "/opt/my sched");
  g_assert_cmpuint (g_strv_length (back->run.scheduler_args), ==, 3);
  for (guint i = 0; args[i]; i++)
    g_assert_cmpstr (back->run.scheduler_args[i], ==, args[i]);
  g_assert_cmpuint (back->run.memory_mb, ==, 0);
  g_assert_cmpuint (back->run.interval_ms, ==, 0);

  /* GKeyFile reads the same list. */
  {
    g_autoptr(GKeyFile) kf = g_key_file_new ();
    g_auto(GStrv) list = NULL;

    g_assert_true (g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL));
    list = g_key_file_get_string_list (kf, "run", "scheduler_args", NULL, NULL);
    g_assert_nonnull (list);
    g_assert_cmpuint (g_strv_length (list), ==, 3);
    for (guint i = 0; args[i]; i++)
      g_assert_cmpstr (list[i], ==, args[i]);
  }

  /* An empty list. */
  g_strfreev (t->run.scheduler_args);
  t->run.scheduler_args = g_new0 (char *, 1);
  run = sl_test_run_config_to_data (&t->run);
  g_assert_nonnull (strstr (run, "\nscheduler_args=\n"));
}

static void
expect_error (const char *run_part, const char *needle)
{
  g_autofree char *text = g_strconcat (SPEC_PART, "\n", run_part, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = sl_test_file_parse (text, -1, "bad.sltest", &error);

  if (t != NULL)
    g_error ("accepted:\n%s", run_part);
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  g_assert_true (g_str_has_prefix (error->message, "bad.sltest: "));
  if (strstr (error->message, needle) == NULL)
    g_error ("message '%s' lacks '%s'", error->message, needle);
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) none = NULL;

  /* A spec without [run] is not a test. */
  none = sl_test_file_parse (SPEC_PART, -1, "bad.sltest", &error);
  g_assert_null (none);
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  g_assert_nonnull (strstr (error->message, "bad.sltest: missing group [run]"));
  g_clear_error (&error);

  /* Errors in the spec part still come from the spec parser. */
  none = sl_test_file_parse ("[spec]\nversion=1\n[assert a]\nfield=stats x\npattern=nope\n\n" RUN_PART,
                             -1, "bad.sltest", &error);
  g_assert_null (none);
  g_assert_nonnull (strstr (error->message, "assertion 'a'"));
  g_clear_error (&error);

  expect_error (RUN_PART "colour=red\n", "[run], key 'colour': unknown key");
  expect_error (RUN_PART "[run]\nkernel=default\n", "group [run] appears twice");
  expect_error (RUN_PART "kernel=default\n", "key 'kernel' appears twice");
  expect_error ("[run]\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'kernel': missing");
  expect_error ("[run]\nkernel=default\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'topology': missing");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'scheduler_args': missing");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nsnapshots=0\n",
                "[run], key 'duration_ms': missing");
  expect_error ("[run]\nkernel=\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'kernel': empty");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'scenario': empty");
  expect_error ("[run]\nkernel=default\ntopology=lots\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'topology'");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=-x;\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'scheduler_args': arguments given without a scheduler");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=s\nscheduler_args=a\\q;\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'scheduler_args': item 1: invalid escape");
  expect_error ("[run]\nkernel=de\\fault\ntopology=1n1l2c1t\nscheduler=s\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\n",
                "[run], key 'kernel': invalid escape");
  /* Numbers: unsigned decimal only, bounded. */
  static const char *const bad_numbers[] = { "-5", "+5", "1e3", "0x10", " 5x", "5.0", "", "99999999999999999999999" };
  for (guint i = 0; i < G_N_ELEMENTS (bad_numbers); i++)
    {
      g_autofree char *run = g_strdup_printf ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\n"
                                              "scenario=steady\nduration_ms=%s\nsnapshots=0\n", bad_numbers[i]);
      expect_error (run, "[run], key 'duration_ms'");
    }
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\nmemory_mb=1\n",
                "[run], key 'memory_mb': '1' is not a number from 64");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=0\ninterval_ms=0\n",
                "[run], key 'interval_ms'");
  expect_error ("[run]\nkernel=default\ntopology=1n1l2c1t\nscheduler=\nscheduler_args=\nscenario=steady\nduration_ms=1\nsnapshots=100001\n",
                "[run], key 'snapshots'");
}

/* A run of the bundled loader becomes scheduler=NAME; other schedulers keep
 * their path and arguments. */
static void
test_from_header (void)
{
  static const char *const loader_args[] = { "--scheduler", "sl_vtime", "--bug=stall", NULL };
  static const char *const other_args[] = { "--slice-us", "5000", NULL };
  SlRunHeader h = { 0 };
  SlTestRunConfig run = { 0 };
  g_autofree char *text = NULL;

  h.kernel_source = (char *) "debian:linux-binary-7.3.4+deb13-cloud-amd64";
  h.topology = (SlTopology) { 1, 1, 2, 1 };
  h.memory_mb = 512;
  h.scheduler = (char *) "/build/vmm/guest/schedulers/sl-sched";
  h.scheduler_args = (GStrv) loader_args;
  h.scenario = (char *) "two-cgroups";
  h.duration_ms = 6000;
  h.snapshots = 8;
  sl_test_run_config_from_header (&run, &h);
  g_assert_cmpstr (run.kernel, ==, "debian:linux-binary-7.3.4+deb13-cloud-amd64");
  g_assert_cmpstr (run.scheduler, ==, "sl_vtime");
  g_assert_cmpuint (g_strv_length (run.scheduler_args), ==, 1);
  g_assert_cmpstr (run.scheduler_args[0], ==, "--bug=stall");
  text = sl_test_run_config_to_data (&run);
  g_assert_cmpstr (text, ==,
                   "[run]\nkernel=debian:linux-binary-7.3.4+deb13-cloud-amd64\ntopology=1n1l2c1t\nmemory_mb=512\n"
                   "scheduler=sl_vtime\nscheduler_args=--bug=stall;\nscenario=two-cgroups\nduration_ms=6000\n"
                   "snapshots=8\n");
  sl_test_run_config_clear (&run);

  h.scheduler = (char *) "/usr/bin/scx_simple";
  h.scheduler_args = (GStrv) other_args;
  h.kernel_source = NULL;
  h.kernel_version = NULL;
  sl_test_run_config_from_header (&run, &h);
  g_assert_cmpstr (run.kernel, ==, "default");
  g_assert_cmpstr (run.scheduler, ==, "/usr/bin/scx_simple");
  g_assert_cmpuint (g_strv_length (run.scheduler_args), ==, 2);
  sl_test_run_config_clear (&run);

  /* The kernel's built-in scheduler. */
  h.scheduler = NULL;
  h.scheduler_args = NULL;
  sl_test_run_config_from_header (&run, &h);
  g_assert_cmpstr (run.scheduler, ==, "");
  g_assert_nonnull (run.scheduler_args);
  g_assert_null (run.scheduler_args[0]);
  sl_test_run_config_clear (&run);
}

static void
test_save_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = sl_test_file_parse (good, -1, NULL, &error);
  g_autofree char *dir = g_dir_make_tmp ("sl-test-file-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "rt.sltest", NULL);
  g_autoptr(SlTestFile) back = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_assert_true (sl_test_file_save (t, path, &error));
  g_assert_no_error (error);
  back = sl_test_file_load (path, &error);
  g_assert_no_error (error);
  name = sl_test_file_dup_name (back);
  g_assert_cmpstr (name, ==, "rt");
  g_assert_cmpstr (back->run.scenario, ==, "two-cgroups");
  g_unlink (path);
  g_rmdir (dir);

  g_assert_null (sl_test_file_load ("/nonexistent/x.sltest", &error));
  g_assert_nonnull (error);
}

/* The example test files shipped in data/tests/ parse. */
static void
test_bundled_files (void)
{
  const char *root = g_getenv ("SL_SOURCE_ROOT");
  static const char *const files[] = { "sl_vtime-healthy.sltest", "sl_vtime-stall.sltest" };

  if (root == NULL)
    {
      g_test_skip ("SL_SOURCE_ROOT not set");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (root, "data", "tests", files[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlTestFile) t = sl_test_file_load (path, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (t->run.scheduler, ==, "sl_vtime");
      g_assert_cmpuint (t->spec->assertions->len, >=, 3);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/query/test-file/parse", test_parse);
  g_test_add_func ("/query/test-file/round-trip", test_round_trip);
  g_test_add_func ("/query/test-file/escapes-and-defaults", test_escapes_and_defaults);
  g_test_add_func ("/query/test-file/errors", test_errors);
  g_test_add_func ("/query/test-file/from-header", test_from_header);
  g_test_add_func ("/query/test-file/save-load", test_save_load);
  g_test_add_func ("/query/test-file/bundled", test_bundled_files);
  return g_test_run ();
}
