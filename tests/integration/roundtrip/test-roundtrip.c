/* Integration test: THE ROUND TRIP, on real VMs under TCG.
 *
 *  1. `schedlab-cli run` captures a short sl_vtime run on two-cgroups;
 *  2. assertions are authored against that archive the way the workbench
 *     does (selector + pattern + parameters, evaluated on the run; only the
 *     passing ones are exported) and written with core's test-file writer
 *     and the run's own config; the same assertions go into a second file
 *     whose scheduler runs with --bug=stall;
 *  3. `schedlab-cli test --jobs 2` reruns both on fresh VMs (in parallel, so
 *     the wall time is about two boots): the healthy file passes, the
 *     stall file fails, the overall exit status is 1, and both runs are kept.
 *
 * Needs the default kernel in the cache (CI: `schedlab-cli kernel fetch`). */
#include "sl-archive.h"
#include "sl-spec.h"
#include "sl-test-file.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  const char *name;
  const char *field;
  const char *pattern;
  const char *params[4];      /* key, value, key, value */
} Authored;

/* What a developer would author for a healthy scheduler. */
static const Authored authored[] = {
  { "dispatch-nondecreasing", "bpf sl_vtime.bss/nr_dispatched", "nondecreasing", { NULL } },
  { "dispatching", "bpf sl_vtime.bss/nr_dispatched", "each.at_least", { "bound", "1", NULL } },
  { "nothing-parked", "bpf sl_vtime.bss/nr_parked", "each.at_most", { "bound", "0", NULL } },
  { "stats-dispatch-nondecreasing", "stats nr_dispatched", "nondecreasing", { NULL } },
  { "vcpu0-host-time", "host vcpu0.run_ns", "nondecreasing", { NULL } },
  { "vcpu1-host-time", "host vcpu1.run_ns", "nondecreasing", { NULL } },
};

typedef struct {
  int   status;
  char *out;
} Cli;

static Cli
run_cli (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *joined = NULL;
  Cli r = { 0 };

  g_ptr_array_add (argv, g_build_filename (g_getenv ("SL_BUILD_ROOT"), "app", "schedlab-cli", NULL));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  joined = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("$ %s", joined);
  /* Progress lines go to the test log through the inherited stderr. */
  proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r.out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r.status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d\n%s", r.status, r.out);
  return r;
}

/* Authors the assertions on `run` and keeps the passing ones, as the
 * workbench's export does by default. */
static SlSpec *
author (SlRun *run)
{
  g_autoptr(SlSpec) spec = sl_spec_new ();

  spec->description = g_strdup_printf ("Authored on %s · %s (kernel %s)", run->header.scenario,
                                       "sl_vtime", run->header.kernel_version);
  for (guint i = 0; i < G_N_ELEMENTS (authored); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (authored[i].field, &error);
      g_autoptr(SlAssertion) a = NULL;
      g_autoptr(SlVerdict) v = NULL;

      g_assert_no_error (error);
      a = sl_assertion_new (authored[i].name, sel, authored[i].pattern, &error);
      g_assert_no_error (error);
      for (guint p = 0; authored[i].params[p]; p += 2)
        {
          g_assert_true (sl_assertion_set_param_text (a, authored[i].params[p], authored[i].params[p + 1], &error));
          g_assert_no_error (error);
        }
      g_assert_true (sl_assertion_validate (a, &error));
      v = sl_assertion_evaluate (a, run, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("authored %s on the source run: %s", authored[i].name,
                      sl_outcome_kind_name (sl_verdict_result (v)));
      /* Every one of them holds for a healthy sl_vtime: a failure here is a
       * scheduler or capture regression, not a test to export. */
      g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
      g_assert_true (sl_spec_add (spec, g_steal_pointer (&a), &error));
    }
  return g_steal_pointer (&spec);
}

static void
write_test (const SlSpec *spec, const SlRunHeader *h, const char *extra_arg, const char *path)
{
  g_autoptr(SlTestFile) t = sl_test_file_new ();
  g_autoptr(SlTestFile) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *spec_text = sl_spec_to_data (spec, NULL);

  sl_spec_free (t->spec);
  t->spec = sl_spec_parse (spec_text, -1, "authored", &error);
  g_assert_no_error (error);
  sl_test_run_config_clear (&t->run);
  sl_test_run_config_from_header (&t->run, h);
  /* The bundled loader's path became the scheduler's name. */
  g_assert_cmpstr (t->run.scheduler, ==, "sl_vtime");
  if (extra_arg)
    {
      guint n = g_strv_length (t->run.scheduler_args);
      t->run.scheduler_args = g_renew (char *, t->run.scheduler_args, n + 2);
      t->run.scheduler_args[n] = g_strdup (extra_arg);
      t->run.scheduler_args[n + 1] = NULL;
    }
  g_assert_true (sl_test_file_save (t, path, &error));
  g_assert_no_error (error);
  back = sl_test_file_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->spec->assertions->len, ==, G_N_ELEMENTS (authored));
}

static void
test_roundtrip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-it-roundtrip-XXXXXX", &error);
  g_autofree char *source = g_build_filename (dir, "source.slrun", NULL);
  g_autofree char *healthy = g_build_filename (dir, "healthy.sltest", NULL);
  g_autofree char *stall = g_build_filename (dir, "stall.sltest", NULL);
  g_autofree char *keep = g_build_filename (dir, "runs", NULL);
  g_autofree char *junit = g_build_filename (dir, "report.xml", NULL);
  g_autofree char *xml = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autoptr(SlSpec) spec = NULL;
  g_autoptr(GDir) kept = NULL;
  guint n_kept = 0;

  g_assert_no_error (error);
  {
    const char *const args[] = { "run", "--scheduler", SL_SCHED_LOADER, "--scenario", "two-cgroups",
                                 "--duration", "6s", "--snapshots", "8", "--memory", "512", "--accel", "tcg",
                                 "--tcg-single-thread", "-o", source, "--", "--scheduler", "sl_vtime", NULL };
    Cli r = run_cli (args);
    g_assert_cmpint (r.status, ==, 0);
    g_free (r.out);
  }
  run = sl_archive_load (source, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run->complete);
  g_assert_cmpuint (run->samples->len, ==, 8);

  spec = author (run);
  write_test (spec, &run->header, NULL, healthy);
  write_test (spec, &run->header, "--bug=stall", stall);

  {
    const char *const args[] = { "test", "--tap", "--jobs", "2", "--accel", "tcg", "--keep-dir", keep,
                                 "--junit", junit, healthy, stall, NULL };
    Cli r = run_cli (args);

    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.out, "\nok 1 - healthy\n"));
    g_assert_nonnull (strstr (r.out, "\nnot ok 2 - stall\n"));
    /* The fault is caught by the parked task (and the ejection). */
    g_assert_nonnull (strstr (r.out, "name: \"nothing-parked\"\n      result: Fail"));
    g_free (r.out);
  }
  g_assert_true (g_file_get_contents (junit, &xml, NULL, NULL));
  g_assert_nonnull (strstr (xml, "name=\"healthy\" file=\"" ));
  g_assert_nonnull (strstr (xml, "failures=\"0\""));
  g_assert_nonnull (strstr (xml, "<failure message="));

  /* Both runs are kept for post-mortem, named after their tests. */
  kept = g_dir_open (keep, 0, &error);
  g_assert_no_error (error);
  for (const char *name; (name = g_dir_read_name (kept)) != NULL;)
    {
      g_autofree char *path = g_build_filename (keep, name, NULL);
      g_autoptr(SlRun) k = NULL;

      g_assert_true (g_str_has_suffix (name, ".slrun"));
      g_assert_true (g_str_has_prefix (name, "healthy-") || g_str_has_prefix (name, "stall-"));
      k = sl_archive_load (path, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (k->header.scenario, ==, "two-cgroups");
      n_kept++;
      g_unlink (path);
    }
  g_assert_cmpuint (n_kept, ==, 2);
  g_rmdir (keep);
  g_unlink (source);
  g_unlink (healthy);
  g_unlink (stall);
  g_unlink (junit);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/integration/roundtrip/healthy-passes-stall-fails", test_roundtrip);
  return g_test_run ();
}
