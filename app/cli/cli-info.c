/* cli-info.c: `schedlab-cli info RUN`: what a run archive holds. */
#include "sl-cli.h"

#include <stdio.h>

#include "sl-archive.h"
#include "sl-phase.h"
#include "sl-series-field.h"

static const char *
or_unknown (const char *s)
{
  return s && *s ? s : "(unknown)";
}

static void
print_header (const SlRunHeader *h)
{
  g_autofree char *topo = sl_topology_to_string (&h->topology);
  g_autofree char *args = h->scheduler_args ? g_strjoinv (" ", h->scheduler_args) : NULL;

  printf ("Kernel:     %s%s%s\n", or_unknown (h->kernel_version),
          h->kernel_source ? "  from " : "", h->kernel_source ? h->kernel_source : "");
  printf ("            sched_ext %s\n", h->kernel_has_sched_ext ? "available" : "not available");
  printf ("Topology:   %s (%u CPUs)", topo, sl_topology_n_cpus (&h->topology));
  if (h->memory_mb)
    printf (", %u MiB", h->memory_mb);
  printf ("\n");
  printf ("Scheduler:  %s%s%s\n", h->scheduler ? h->scheduler : "(kernel built-in)",
          args && *args ? " " : "", args && *args ? args : "");
  printf ("Scenario:   %s\n", or_unknown (h->scenario));
  printf ("Capture:    ");
  if (h->snapshots)
    printf ("%u periodic snapshots", h->snapshots);
  else if (h->interval_ms)
    printf ("a capture every %u ms", h->interval_ms);
  else
    printf ("no periodic snapshots");
  if (h->duration_ms)
    printf (", workload %" G_GUINT64_FORMAT " ms", h->duration_ms);
  printf ("\n");
  printf ("Accel:      %s\n", or_unknown (h->accel));
  printf ("Tool:       schedlab %s%s%s\n", or_unknown (h->tool_version),
          h->created ? ", created " : "", h->created ? h->created : "");
  if (h->synthetic)
    printf ("Synthetic:  yes (generated data; never ran on a kernel)\n");
}

static void
print_phases (SlRun *run)
{
  g_autoptr(GArray) phases = sl_run_phases (run);

  printf ("\nPhases:     %u\n", phases->len);
  for (guint i = 0; i < phases->len; i++)
    {
      guint16 p = g_array_index (phases, guint16, i);
      g_autofree char *label = sl_phase_label (p);
      guint64 start, end;
      guint n = 0;

      for (guint k = 0; k < run->samples->len; k++)
        {
          guint16 sp;

          if (sl_sample_phase (g_ptr_array_index (run->samples, k), &sp) && sp == p)
            n++;
        }
      if (sl_run_phase_range (run, p, &start, &end))
        printf ("  %-10s +%" G_GUINT64_FORMAT "ms .. +%" G_GUINT64_FORMAT "ms  %u samples\n", label, start, end, n);
      else
        printf ("  %-10s (no time range)  %u samples\n", label, n);
    }
}

static void
print_samples (SlRun *run)
{
  guint placeholders = 0, missing_stats = 0, unphased = 0, untimed = 0;
  const SlSample *first = NULL, *last = NULL;

  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = g_ptr_array_index (run->samples, i);
      guint16 p;

      if (s->report && s->report->is_placeholder)
        placeholders++;
      if (s->stats == NULL)
        missing_stats++;
      if (!sl_sample_phase (s, &p))
        unphased++;
      if (!s->elapsed_ms.set)
        untimed++;
      if (first == NULL)
        first = s;
      last = s;
    }
  printf ("\nSamples:    %u", run->samples->len);
  if (first)
    {
      g_autofree char *t0 = sl_format_elapsed (first->elapsed_ms);
      g_autofree char *t1 = sl_format_elapsed (last->elapsed_ms);
      printf (" (%s %s .. %s %s)", first->tag, t0, last->tag, t1);
    }
  printf ("\n");
  printf ("  placeholders:          %u\n", placeholders);
  printf ("  missing scx_stats:     %u\n", missing_stats);
  if (unphased)
    printf ("  without a phase:       %u\n", unphased);
  if (untimed)
    printf ("  elapsed not measured:  %u\n", untimed);
  printf ("Monitor:    %u samples", run->monitor_samples->len);
  if (run->monitor_samples->len > 0)
    {
      const SlMonitorSample *m0 = g_ptr_array_index (run->monitor_samples, 0);
      const SlMonitorSample *m1 = g_ptr_array_index (run->monitor_samples, run->monitor_samples->len - 1);
      /* On the samples' clock when the run recorded it, else since VM start. */
      printf (" (+%" G_GUINT64_FORMAT "ms .. +%" G_GUINT64_FORMAT "ms%s)",
              sl_monitor_sample_time_ms (m0), sl_monitor_sample_time_ms (m1),
              m0->workload_ms.set ? "" : " since VM start");
    }
  printf ("%s\n", run->monitor_summary ? ", summary present" : ", no summary");
}

static void
print_exits (SlRun *run)
{
  printf ("\nScheduler exits: %u\n", run->exits->len);
  for (guint i = 0; i < run->exits->len; i++)
    {
      const SlSchedExit *x = g_ptr_array_index (run->exits, i);
      g_autofree char *when = sl_format_elapsed (x->elapsed_ms);

      printf ("  %s (%u) at %s after sample %s", x->kind_name ? x->kind_name : "exit", x->exit_kind, when,
              x->after_tag ? x->after_tag : "(none: before the first sample)");
      if (x->reason)
        printf (": %s", x->reason);
      printf ("\n");
      if (x->message)
        printf ("    %s\n", x->message);
    }
  if (run->cgroups->len > 0)
    {
      printf ("\nCgroups:\n");
      for (guint i = 0; i < run->cgroups->len; i++)
        {
          const SlCgroupResult *c = g_ptr_array_index (run->cgroups, i);

          printf ("  %-16s %" G_GUINT64_FORMAT " iterations, %" G_GUINT64_FORMAT " workers",
                  c->name, c->iterations, c->workers);
          if (c->cpu_time_ns.set)
            printf (", cpu time %" G_GUINT64_FORMAT " ns", c->cpu_time_ns.v);
          printf ("\n");
        }
    }
}

int
sl_cli_info (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = NULL;

  if (!sl_cli_parse (&argc, &argv, "RUN",
                     "Describe the run archive RUN (.slrun).",
                     "Prints the header (kernel, topology, scheduler and its arguments,\n"
                     "scenario, capture settings, accelerator, tool version, whether the data\n"
                     "is synthetic), the phases with their time ranges, the samples (with\n"
                     "placeholders and missing scx_stats), the monitor samples, the scheduler's\n"
                     "exits and whether the archive is complete.\n\n"
                     "Exit status: 0 success, 64 bad command line, 66 run missing or unreadable.",
                     NULL))
    return SL_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("schedlab-cli info: expected one RUN (see --help)\n");
      return SL_EXIT_USAGE;
    }
  run = sl_archive_load (argv[1], NULL, NULL, NULL, &error);
  if (run == NULL)
    {
      g_printerr ("schedlab-cli info: cannot read run '%s': %s\n", argv[1], error->message);
      return SL_EXIT_BAD_INPUT;
    }

  printf ("Run:        %s\n", argv[1]);
  print_header (&run->header);
  print_phases (run);
  print_samples (run);
  print_exits (run);
  if (run->complete)
    printf ("\nComplete:   yes (%s)\n", run->end_reason ? run->end_reason : "finished");
  else
    printf ("\nComplete:   no (%s)\n", run->incomplete_reason ? run->incomplete_reason : "no footer");
  return SL_EXIT_PASS;
}
