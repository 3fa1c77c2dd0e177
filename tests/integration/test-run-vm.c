/* Integration test: boots the default kernel under TCG with 2 vCPUs, runs a
 * two-step scenario (~6 s) with periodic captures, and checks the archive. */
#include "sl-archive.h"
#include "sl-kernel.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#define N_SNAPSHOTS 6

static const char *scenario_text =
  "scenario it-two-steps\n"
  "add-cgroup spin cpuset=0-1\n"
  "add-cgroup ping\n"
  "spawn spin CpuSpin count=1\n"
  "step first\n"
  "  spawn ping YieldHeavy count=1\n"
  "  hold 3s\n"
  "step second\n"
  "  set-cpuset spin 0\n"
  "  spawn ping PipeIo count=1\n"
  "  hold 3s\n";

static void
note (const char *line, gpointer data)
{
  g_test_message ("%s", line);
}

static void
test_two_steps (void)
{
  g_autoptr(GError) error = NULL;
  SlKernelOptions kopts = { 0 };
  g_autoptr(SlKernel) k = sl_kernel_resolve ("default", &kopts, NULL, NULL, NULL, &error);
  if (k == NULL)
    g_error ("no kernel to boot: %s. CI fetches it first with `schedlab-cli kernel fetch`; "
             "offline machines need a cached kernel (or SCHEDLAB_KERNEL=/path/to/vmlinux).", error->message);

  g_autoptr(SlScenario) sc = sl_scenario_parse (scenario_text, "integration", &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_dir_make_tmp ("sl-it-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *out = g_build_filename (dir, "run.slrun", NULL);

  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux,
    .kernel_version = k->version,
    .kernel_has_sched_ext = k->has_sched_ext,
    .kernel_hz = k->hz,
    .topology = { 1, 1, 2, 1 },
    .memory_mb = 512,
    .accel = SL_ACCEL_TCG,
    .scenario = sc,
    .snapshots = N_SNAPSHOTS,
    .timeout_s = 300,
    .output = out,
    .notice = note,
  };
  g_autoptr(SlRunner) runner = sl_runner_new (&cfg);
  g_assert_true (sl_runner_run (runner, &error));
  g_assert_no_error (error);
  g_test_message ("end reason: %s; guest boot %" G_GUINT64_FORMAT " ms, host→agent %" G_GUINT64_FORMAT " ms",
                  sl_runner_get_end_reason (runner), sl_runner_get_guest_boot_ms (runner),
                  sl_runner_get_host_boot_ms (runner));
  g_assert_cmpstr (sl_runner_get_end_reason (runner), ==, "finished");

  /* No QEMU left behind: this process has no children any more. */
  g_assert_cmpint (waitpid (-1, NULL, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);

  g_autoptr(SlRun) run = sl_archive_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run->complete);
  g_assert_cmpstr (run->end_reason, ==, "finished");
  g_assert_cmpstr (run->header.scenario, ==, "it-two-steps");

  /* Phases in order: StepStart 1, StepEnd 1, StepStart 2, StepEnd 2, terminal. */
  guint64 start_iters[3] = { 0 }, end_iters[3] = { 0 };
  gboolean seen_start[3] = { FALSE }, seen_end[3] = { FALSE };
  guint16 last_start = 0;
  gboolean terminal = FALSE;
  for (guint i = 0; i < run->stimulus->len; i++)
    {
      const SlStimulusEvent *ev = &g_array_index (run->stimulus, SlStimulusEvent, i);
      g_assert_false (terminal);
      if (ev->is_terminal)
        {
          terminal = TRUE;
          continue;
        }
      g_assert_true (ev->has_step_index);
      g_assert_cmpuint (ev->step_index, >=, 1);
      g_assert_cmpuint (ev->step_index, <=, 2);
      g_assert_true (ev->total_iterations.set);
      if (ev->is_step_end)
        {
          g_assert_cmpuint (ev->step_index, ==, last_start);
          seen_end[ev->step_index] = TRUE;
          end_iters[ev->step_index] = ev->total_iterations.v;
        }
      else
        {
          g_assert_cmpuint (ev->step_index, ==, last_start + 1);
          last_start = ev->step_index;
          seen_start[ev->step_index] = TRUE;
          start_iters[ev->step_index] = ev->total_iterations.v;
        }
    }
  g_assert_true (terminal);
  for (guint s = 1; s <= 2; s++)
    {
      g_assert_true (seen_start[s] && seen_end[s]);
      /* Workers made progress in every step. */
      g_assert_cmpuint (end_iters[s], >, start_iters[s]);
    }

  /* Periodic samples: at least N-1, strictly increasing elapsed_ms,
   * nondecreasing host time of every vCPU. */
  guint periodic = 0;
  guint64 last_elapsed = 0;
  GArray *prev_times = NULL;
  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = run->samples->pdata[i];
      if (!sl_tag_is_strict_periodic (s->tag))
        continue;
      g_assert_true (s->elapsed_ms.set);
      if (periodic > 0)
        g_assert_cmpuint (s->elapsed_ms.v, >, last_elapsed);
      last_elapsed = s->elapsed_ms.v;
      periodic++;
      g_assert_nonnull (s->report);
      g_assert_cmpstr (s->report->schema, ==, "single");
      g_assert_false (s->report->is_placeholder);
      g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NO_SCHEDULER_BINARY);
      g_assert_true (s->freeze_us.set);
      g_assert_true (s->has_step_index);
      g_assert_nonnull (s->vcpu_times);
      g_assert_cmpuint (s->vcpu_times->len, ==, 2);
      if (prev_times != NULL)
        for (guint c = 0; c < 2; c++)
          g_assert_cmpuint (g_array_index (s->vcpu_times, SlVcpuTime, c).run_ns, >=,
                            g_array_index (prev_times, SlVcpuTime, c).run_ns);
      prev_times = s->vcpu_times;
    }
  g_test_message ("%u periodic samples", periodic);
  g_assert_cmpuint (periodic, >=, N_SNAPSHOTS - 1);

  /* Per-cgroup results arrived. */
  g_assert_cmpuint (run->cgroups->len, ==, 2);
  for (guint i = 0; i < run->cgroups->len; i++)
    {
      const SlCgroupResult *c = run->cgroups->pdata[i];
      g_assert_cmpuint (c->iterations, >, 0);
    }
  g_unlink (out);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/integration/two-steps-tcg", test_two_steps);
  return g_test_run ();
}
