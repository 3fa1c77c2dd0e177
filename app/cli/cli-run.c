/* cli-run.c: `schedlab-cli run`: boot a kernel in QEMU, run a scenario (and a
 * scheduler), capture periodic samples into a run archive. */
#include "sl-cli.h"
#include "cli-vm-config.h"

#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sl-boundaries.h"
#include "sl-introspector.h"
#include "sl-kernel.h"
#include "sl-runner.h"
#include "sl-scenario.h"
#include "sl-phase.h"
#include "sl-types.h"

typedef struct {
  gboolean  tty;
  gboolean  verbose;
  gboolean  line_open;     /* a progress line is on screen */
  guint     last_samples;
  guint16   last_phase;
  char     *last_status;
  SlRunner *runner;
} CliRun;

static gboolean
parse_duration_ms (const char *text, guint64 *out)
{
  char *end = NULL;
  double v = g_ascii_strtod (text, &end);
  if (end == text || !(v > 0))
    return FALSE;
  double mult = 1000;
  if (g_str_equal (end, "ms"))
    mult = 1;
  else if (g_str_equal (end, "m"))
    mult = 60000;
  else if (*end != '\0' && !g_str_equal (end, "s"))
    return FALSE;
  double ms = v * mult;
  if (ms < 1 || ms > 24.0 * 3600 * 1000)
    return FALSE;
  *out = (guint64) (ms + 0.5);
  return TRUE;
}

static void
clear_line (CliRun *c)
{
  if (c->tty && c->line_open)
    {
      fputs ("\r\033[K", stderr);
      c->line_open = FALSE;
    }
}

static void
on_console (const char *line, gpointer user_data)
{
  CliRun *c = user_data;
  if (!c->verbose)
    return;
  clear_line (c);
  fprintf (stderr, "| %s\n", line);
}

static void
on_notice (const char *line, gpointer user_data)
{
  CliRun *c = user_data;
  clear_line (c);
  fprintf (stderr, "%s\n", line);
}

static void
on_progress (const SlRunnerProgress *p, gpointer user_data)
{
  CliRun *c = user_data;
  g_autofree char *phase = sl_phase_label (p->phase);
  if (c->tty)
    {
      fprintf (stderr, "\r\033[K%-9s phase %s (%u steps)  samples %u/%u  elapsed %.1f s  [VM %.0f s]",
               p->status, phase, p->n_steps, p->samples, p->samples_target, p->elapsed_ms / 1000.0,
               p->wall_ms / 1000.0);
      fflush (stderr);
      c->line_open = TRUE;
      return;
    }
  /* Plain output: one line whenever something other than the clock changed. */
  if (p->samples == c->last_samples && p->phase == c->last_phase && g_strcmp0 (p->status, c->last_status) == 0)
    return;
  c->last_samples = p->samples;
  c->last_phase = p->phase;
  g_free (c->last_status);
  c->last_status = g_strdup (p->status);
  fprintf (stderr, "%s: phase %s, samples %u/%u, elapsed %.1f s\n", p->status, phase, p->samples,
           p->samples_target, p->elapsed_ms / 1000.0);
}

static gboolean
on_signal (gpointer user_data)
{
  CliRun *c = user_data;
  if (c->runner)
    sl_runner_interrupt (c->runner);
  return G_SOURCE_CONTINUE;
}

static void
kernel_progress (SlKernelStage stage, const char *message, gpointer user_data)
{
  fprintf (stderr, "kernel: %s\n", message);
}

int
sl_cli_run (int argc, char **argv)
{
  /* Everything after "--" belongs to the scheduler. */
  g_autoptr(GStrvBuilder) sched_args_b = g_strv_builder_new ();
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--"))
      {
        for (int j = i + 1; j < argc; j++)
          g_strv_builder_add (sched_args_b, argv[j]);
        argc = i;
        break;
      }
  g_auto(GStrv) sched_args = g_strv_builder_end (sched_args_b);

  g_autofree char *kernel = NULL, *topology = NULL, *scenario = NULL, *duration = NULL, *output = NULL;
  g_autofree char *scheduler = NULL, *accel = NULL, *agent = NULL, *stats_socket = NULL;
  int snapshots = -1, interval = 0, memory = 1024, timeout = 0;
  gboolean verbose = FALSE, single = FALSE, offline = FALSE, no_introspect = FALSE;
  GOptionEntry entries[] = {
    { "kernel", 'k', 0, G_OPTION_ARG_STRING, &kernel, "Kernel: \"default\", a Debian release, or a bzImage/vmlinux path (default: default)", "SPEC" },
    { "topology", 't', 0, G_OPTION_ARG_STRING, &topology, "NUMA nodes, LLCs, cores per LLC, threads per core (default 1,1,2,1)", "N,L,C,T" },
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario, "Built-in scenario (steady, two-cgroups, cpuset-shuffle, fork-storm) or a .scn file (default steady)", "NAME|FILE" },
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &duration, "Workload duration that scenario percentages refer to (e.g. 10s, 500ms)", "TIME" },
    { "snapshots", 'n', 0, G_OPTION_ARG_INT, &snapshots, "Periodic captures over the workload window, 10% margins (default 10 unless --interval)", "N" },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, "Capture every MS milliseconds of workload time instead of --snapshots", "MS" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Run archive to write (required)", "FILE.slrun" },
    { "stats-socket", 0, 0, G_OPTION_ARG_FILENAME, &stats_socket, "The scheduler's scx_stats socket inside the guest (default: discovered under /run/scx/*/stats)", "PATH" },
    { "scheduler", 0, 0, G_OPTION_ARG_FILENAME, &scheduler, "Scheduler to run in the guest: a bundled one (sl_fifo, sl_vtime) or a binary; its arguments follow --", "NAME|PATH" },
    { "memory", 'm', 0, G_OPTION_ARG_INT, &memory, "Guest memory in MiB (default 1024)", "MIB" },
    { "accel", 0, 0, G_OPTION_ARG_STRING, &accel, "auto, kvm or tcg (default auto: KVM only where it can run a stock kernel)", "ACCEL" },
    { "tcg-single-thread", 0, 0, G_OPTION_ARG_NONE, &single, "Single-threaded TCG (slower, avoids MTTCG races while a scheduler attaches)", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Hard wall-clock limit in seconds (default workload + 300)", "S" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, "Never download a kernel; use the cache only", NULL },
    { "no-introspect", 0, 0, G_OPTION_ARG_NONE, &no_introspect, "Do not read guest memory (BPF maps, per-CPU times, monitor) at captures", NULL },
    { "agent", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &agent, "Guest agent binary", "PATH" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Stream the guest console", NULL },
    { NULL },
  };
  if (!sl_cli_parse (&argc, &argv, "[-- SCHEDULER-ARGS…]", "Boot a kernel, run a scenario, capture periodic samples",
                     "Example:\n  schedlab-cli run --kernel default --topology 1,1,2,1 --scenario steady \\\n"
                     "      --duration 10s --snapshots 20 -o run.slrun\n\n"
                     "Ctrl-C stops the VM and keeps every sample captured so far (end reason \"interrupted\").",
                     entries))
    return SL_EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr ("schedlab-cli run: unexpected argument '%s' (scheduler arguments go after --)\n", argv[1]);
      return SL_EXIT_USAGE;
    }
  if (output == NULL)
    {
      g_printerr ("schedlab-cli run: -o FILE.slrun is required\n");
      return SL_EXIT_USAGE;
    }
  if (sched_args[0] != NULL && scheduler == NULL)
    {
      g_printerr ("schedlab-cli run: arguments after -- need --scheduler\n");
      return SL_EXIT_USAGE;
    }
  g_autoptr(GError) error = NULL;
  SlTopology topo = { 1, 1, 2, 1 };
  if (topology != NULL && !sl_topology_parse (topology, &topo, &error))
    {
      g_printerr ("schedlab-cli run: --topology: %s\n", error->message);
      return SL_EXIT_USAGE;
    }
  guint64 duration_ms = 0;
  if (duration != NULL && !parse_duration_ms (duration, &duration_ms))
    {
      g_printerr ("schedlab-cli run: --duration: expected a time like 10s or 500ms, got '%s'\n", duration);
      return SL_EXIT_USAGE;
    }
  SlAccel acc = SL_ACCEL_AUTO;
  if (accel != NULL && !sl_accel_parse (accel, &acc, &error))
    {
      g_printerr ("schedlab-cli run: --accel: %s\n", error->message);
      return SL_EXIT_USAGE;
    }
  if (memory < 128 || interval < 0 || timeout < 0 || snapshots < -1 || (snapshots > 0 && interval > 0))
    {
      g_printerr ("schedlab-cli run: invalid --memory/--interval/--timeout/--snapshots (use either --snapshots or --interval)\n");
      return SL_EXIT_USAGE;
    }
  if (snapshots < 0)
    snapshots = interval > 0 ? 0 : 10;
  /* Bundled names become the bundled loader with "--scheduler NAME" first. */
  g_autofree char *sched_path = NULL, *sched_label = NULL;
  g_auto(GStrv) sched_argv = NULL, sched_label_args = NULL;
  if (scheduler != NULL
      && !sl_cli_resolve_scheduler (scheduler, (const char *const *) sched_args, &sched_path, &sched_argv, &error))
    {
      g_printerr ("schedlab-cli run: --scheduler: %s\n", error->message);
      return SL_EXIT_USAGE;
    }
  if (sched_path != NULL)
    sl_scheduler_label (scheduler, (const char *const *) sched_args, &sched_label, &sched_label_args);

  g_autoptr(SlScenario) sc = sl_scenario_load (scenario ? scenario : "steady", &error);
  if (sc == NULL)
    {
      g_printerr ("schedlab-cli run: %s\n", error->message);
      return SL_EXIT_BAD_SPEC;
    }

  guint64 workload_ms = sl_scenario_total_ms (sc, duration_ms);
  if (!sl_periodic_validate (workload_ms, (guint) snapshots, &error))
    {
      g_printerr ("schedlab-cli run: %s\n", error->message);
      return SL_EXIT_USAGE;
    }
  if (interval > 0 && (guint64) interval >= workload_ms)
    {
      g_printerr ("schedlab-cli run: --interval %d ms leaves no capture inside a %" G_GUINT64_FORMAT " ms workload\n",
                  interval, workload_ms);
      return SL_EXIT_USAGE;
    }

  SlKernelOptions kopts = { .offline = offline };
  g_autoptr(SlKernel) k = sl_kernel_resolve (kernel ? kernel : "default", &kopts, kernel_progress, NULL, NULL, &error);
  if (k == NULL)
    {
      g_printerr ("schedlab-cli run: kernel: %s\n", error->message);
      return SL_EXIT_SOFTWARE;
    }
  if (scheduler != NULL && !k->has_sched_ext)
    g_printerr ("warning: kernel %s does not report sched_ext support\n", k->version);

  CliRun c = { .tty = isatty (STDERR_FILENO), .verbose = verbose, .last_samples = G_MAXUINT };
  g_autofree char *source = sl_cli_kernel_source (k);
  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux,
    .kernel_version = k->version,
    .kernel_source = source,
    .kernel_has_sched_ext = k->has_sched_ext,
    .kernel_hz = k->hz,
    .agent_path = agent,
    .topology = topo,
    .memory_mb = (guint) memory,
    .accel = acc,
    .tcg_single_thread = single,
    .scheduler = sched_path,
    .scheduler_args = (const char *const *) (sched_argv ? sched_argv : sched_args),
    .scheduler_label = sched_label,
    .scheduler_label_args = (const char *const *) sched_label_args,
    .stats_socket = stats_socket,
    .scenario = sc,
    .duration_ms = duration_ms,
    .snapshots = (guint) snapshots,
    .interval_ms = (guint) interval,
    .timeout_s = (guint) timeout,
    .output = output,
    .console = on_console,
    .notice = on_notice,
    .progress = on_progress,
    .user_data = &c,
  };
  g_autoptr(SlIntrospector) in = NULL;
  if (!no_introspect)
    {
      g_autoptr(GError) ierr = NULL;
      in = sl_introspector_new_for_vmlinux (k->vmlinux, &ierr);
      if (in == NULL)
        g_printerr ("warning: no guest-memory capture: %s\n", ierr->message);
      else
        /* Guest-memory capture (BPF maps, per-CPU times, monitor) at every boundary. */
        sl_cli_use_introspector (&cfg, in);
    }
  g_autoptr(SlRunner) runner = sl_runner_new (&cfg);
  c.runner = runner;
  guint sigint = g_unix_signal_add (SIGINT, on_signal, &c);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &c);
  gboolean ok = sl_runner_run (runner, &error);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  clear_line (&c);
  g_free (c.last_status);
  if (!ok)
    {
      g_printerr ("schedlab-cli run: %s\n", error->message);
      return error->domain == SL_ERROR && error->code == SL_ERROR_SPEC ? SL_EXIT_BAD_SPEC : SL_EXIT_SOFTWARE;
    }
  const char *reason = sl_runner_get_end_reason (runner);
  fprintf (stderr, "%s: %u samples, end reason \"%s\"\n", output, sl_runner_get_n_samples (runner), reason);
  if (g_strcmp0 (reason, "finished") == 0)
    return SL_EXIT_PASS;
  if (g_strcmp0 (reason, "interrupted") == 0 || g_strcmp0 (reason, "wall-clock limit") == 0)
    return SL_EXIT_INCONCLUSIVE;
  return SL_EXIT_SOFTWARE;
}
