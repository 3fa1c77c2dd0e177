/* archive-test-util.c: a run with every record type, and run comparison. */
#include "archive-test-util.h"

#include <string.h>

static SlReport *
make_report (guint64 dispatched)
{
  SlReport *r = sl_report_new ();
  SlMap *bss = sl_map_new ("sl_vtime.bss", SL_BPF_MAP_ARRAY, 24, 1);
  SlMap *pc = sl_map_new ("cpu_ctx", SL_BPF_MAP_PERCPU_ARRAY, 8, 1);
  SlValue *v = sl_value_new_struct (".bss");
  SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);
  SlPerCpuTime t = { 0 };

  sl_value_struct_add (v, "nr_dispatched", sl_value_new_uint (64, dispatched));
  sl_value_struct_add (v, "min_lag", sl_value_new_int (64, G_MININT64));
  sl_value_struct_add (v, "max_counter", sl_value_new_uint (64, G_MAXUINT64));
  bss->value = v;
  bss->map_kva = G_GUINT64_CONSTANT (0xffff888003a4c000);
  g_ptr_array_add (r->maps, bss);

  e->key = 0;
  e->n_cpus = 2;
  e->per_cpu = g_new0 (SlValue *, 2);
  e->per_cpu[0] = sl_value_new_uint (64, 7);
  e->per_cpu[1] = NULL;   /* CPU unmapped */
  g_ptr_array_add (pc->percpu_entries, e);
  g_ptr_array_add (r->maps, pc);

  t.cpu = 1;
  t.cpustat_user_ns = G_MAXUINT64;
  t.softirqs[7] = 42;
  t.iowait_sleeptime_ns = sl_opt_u64 (0);
  g_array_append_val (r->per_cpu_time, t);
  r->active_obj_name = g_strdup ("sl_vtime");
  return r;
}

static SlSample *
make_sample (const char *tag, SlReport *report)
{
  SlSample *s = sl_sample_new (tag);

  sl_report_free (s->report);
  s->report = report;
  s->missing_stats.kind = SL_MISSING_STATS_NONE;   /* each test sets stats or a reason */
  return s;
}

SlRun *
archive_test_full_run (void)
{
  SlRun *run = sl_run_new ();
  SlRunHeader *h = &run->header;
  static const char *const args[] = { "--slice-us", "20000", "ünï", NULL };
  SlMissingStats missing[] = {
    { SL_MISSING_STATS_NO_SCHEDULER_BINARY },
    { SL_MISSING_STATS_NO_SCHEDULER, .reason = (char *) "connect: No such file or directory" },
    { SL_MISSING_STATS_DURING_FREEZE },
    { SL_MISSING_STATS_CANCELLED },
    { SL_MISSING_STATS_SCHEDULER_ERROR, .errno_value = G_MININT64, .args_json = (char *) "{\"resp\":null,\"n\":[1,2]}" },
    { SL_MISSING_STATS_MISSING_RESP, .args_json = (char *) "{\"other\":\"x\"}" },
    { SL_MISSING_STATS_REQUEST_TOO_LARGE, .size = 262145, .max = 262144 },
    { SL_MISSING_STATS_RESPONSE_TOO_LARGE, .size = G_MAXUINT64, .max = 262144 },
    { SL_MISSING_STATS_MUTEX_POISONED },
  };
  SlSample *s;

  h->kernel_version = g_strdup ("7.0.0-1-cloud-amd64");
  h->kernel_source = g_strdup ("debian:linux-image-cloud-amd64=7.0.1-1");
  h->kernel_has_sched_ext = TRUE;
  h->topology = (SlTopology) { 1, 2, 2, 1 };
  h->memory_mb = 1024;
  h->accel = g_strdup ("tcg");
  h->scheduler = g_strdup ("sl_vtime");
  h->scheduler_args = g_strdupv ((char **) args);
  h->scenario = g_strdup ("two-cgroups ✓");
  h->scenario_text = g_strdup ("step 0: spin\nstep 1: \"quoted\"\ttab");
  h->snapshots = 10;
  h->interval_ms = 0;
  h->duration_ms = 10000;
  h->tool_version = g_strdup ("0.1.0");
  h->created = g_strdup ("2026-11-27T12:00:00Z");
  h->synthetic = TRUE;

  {
    SlStimulusEvent ev0 = { .elapsed_ms = 0, .has_step_index = TRUE, .step_index = 0 };
    SlStimulusEvent ev1 = { .elapsed_ms = 1000, .has_step_index = TRUE, .step_index = 1 };
    SlStimulusEvent ev2 = { .elapsed_ms = 5000, .has_step_index = TRUE, .step_index = 1,
                            .is_step_end = TRUE, .total_iterations = sl_opt_u64 (G_MAXUINT64) };
    SlStimulusEvent ev3 = { .elapsed_ms = 9000, .is_terminal = TRUE, .total_iterations = sl_opt_u64 (0) };

    g_array_append_val (run->stimulus, ev0);
    g_array_append_val (run->stimulus, ev1);
    g_array_append_val (run->stimulus, ev2);
    g_array_append_val (run->stimulus, ev3);
  }

  /* Sample with everything absent but stats present. */
  s = make_sample ("périodique_✓ 日本", make_report (1));
  s->stats = json_from_string ("{\"nr_dispatched\":5,\"cgroups\":{\"workers\":{\"util\":0.5}},\"neg\":-3,\"big\":9223372036854775807}", NULL);
  g_assert_nonnull (s->stats);
  g_ptr_array_add (run->samples, s);

  /* Sample with zeros present (zero is not absent). */
  s = make_sample ("periodic_000", make_report (G_MAXUINT64));
  s->elapsed_ms = sl_opt_u64 (0);
  s->boundary_offset_ms = sl_opt_u64 (0);
  s->has_step_index = TRUE;
  s->step_index = 0;
  s->freeze_us = sl_opt_u64 (0);
  s->stats = json_from_string ("{}", NULL);
  {
    SlVcpuTime vt[2] = { { 0, 1234, G_MAXUINT64, 0, 1 }, { 1, G_MININT32, 5, 6, G_MAXUINT64 } };

    g_array_append_vals (s->vcpu_times, vt, 2);
  }
  g_ptr_array_add (run->samples, s);

  /* Every missing-stats kind, with maximal offsets. */
  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i + 1);

      s = make_sample (tag, make_report (i));
      s->elapsed_ms = sl_opt_u64 (G_MAXUINT64 - i);
      s->boundary_offset_ms = sl_opt_u64 (1000 * i);
      s->has_step_index = TRUE;
      s->step_index = G_MAXUINT16;
      s->missing_stats.kind = missing[i].kind;
      s->missing_stats.reason = g_strdup (missing[i].reason);
      s->missing_stats.errno_value = missing[i].errno_value;
      s->missing_stats.args_json = g_strdup (missing[i].args_json);
      s->missing_stats.size = missing[i].size;
      s->missing_stats.max = missing[i].max;
      g_ptr_array_add (run->samples, s);
    }

  /* A placeholder (rendezvous timeout). */
  s = make_sample ("periodic_010", sl_report_new_placeholder ("vCPU rendezvous timed out"));
  s->elapsed_ms = sl_opt_u64 (7000);
  s->missing_stats.kind = SL_MISSING_STATS_DURING_FREEZE;
  g_ptr_array_add (run->samples, s);

  for (guint i = 0; i < 3; i++)
    {
      SlMonitorSample *m = g_new0 (SlMonitorSample, 1);

      m->elapsed_ms = 100 * i;
      /* The first sample has only the VM-start clock; the others also the
       * samples' clock, 0 included (absent ≠ 0). */
      if (i > 0)
        m->workload_ms = sl_opt_u64 (i == 1 ? 0 : G_MAXUINT64);
      m->cpus = g_array_new (FALSE, TRUE, sizeof (SlCpuSnapshot));
      for (guint cpu = 0; cpu < 2; cpu++)
        {
          SlCpuSnapshot c = { 0 };

          c.cpu = cpu;
          c.nr_running = i + cpu;
          c.scx_nr_running = i;
          c.local_dsq_depth = 0;
          c.rq_clock = i == 2 ? G_MAXUINT64 : 1000000 * i;
          c.scx_flags = 0x1;
          if (cpu == 0)
            {
              c.has_event_counters = TRUE;
              for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
                c.event_counters[k] = k == 0 ? G_MININT64 : (gint64) (k * i);
            }
          if (i > 0)
            {
              c.has_schedstat = TRUE;
              c.run_delay = 10 * i;
              c.ttwu_local = G_MAXUINT64;
              c.vcpu_cpu_time_ns = sl_opt_u64 (0);
            }
          g_array_append_val (m->cpus, c);
        }
      g_ptr_array_add (run->monitor_samples, m);
    }

  run->monitor_summary = g_new0 (SlMonitorSummary, 1);
  run->monitor_summary->total_samples = 3;
  run->monitor_summary->max_imbalance_ratio = 2.5;
  run->monitor_summary->max_local_dsq_depth = 0;
  run->monitor_summary->stuck_count = 1;
  run->monitor_summary->avg_imbalance_ratio = 1.0 / 3.0;
  run->monitor_summary->avg_nr_running = 1e-300;
  run->monitor_summary->avg_local_dsq_depth = 0.0;
  run->monitor_summary->has_event_deltas = TRUE;
  for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
    run->monitor_summary->event_totals[k] = (gint64) k * 1000;
  run->monitor_summary->max_fallback_burst = G_MININT64;
  run->monitor_summary->fallback_rate = 12.75;
  run->monitor_summary->keep_last_rate = 0.0;
  /* schedstat deltas absent: not zero-filled */

  {
    SlSchedExit *e = g_new0 (SlSchedExit, 1);

    e->exit_kind = 1026;
    e->kind_name = g_strdup ("SCX_EXIT_ERROR_STALL");
    e->reason = g_strdup ("runnable task stall");
    e->message = g_strdup ("sl_vtime: task \"w0\"[42] stuck for 30.0s\n");
    e->elapsed_ms = sl_opt_u64 (0);
    e->after_tag = g_strdup ("periodic_009");
    g_ptr_array_add (run->exits, e);
    e = g_new0 (SlSchedExit, 1);
    e->exit_kind = 64;
    g_ptr_array_add (run->exits, e);
  }
  {
    SlCgroupResult *c = g_new0 (SlCgroupResult, 1);

    c->name = g_strdup ("wörkers-日本");
    c->iterations = G_MAXUINT64;
    c->workers = 4;
    c->cpu_time_ns = sl_opt_u64 (0);
    g_ptr_array_add (run->cgroups, c);
    c = g_new0 (SlCgroupResult, 1);
    c->name = g_strdup ("idle");
    g_ptr_array_add (run->cgroups, c);
  }
  g_ptr_array_add (run->log, g_strdup ("guest: sched_ext: BPF scheduler \"sl_vtime\" enabled"));
  g_ptr_array_add (run->log, g_strdup ("line with \\ backslash, \"quotes\", \x01 control and ✓"));

  run->complete = TRUE;
  g_clear_pointer (&run->incomplete_reason, g_free);
  run->end_reason = g_strdup ("finished");
  return run;
}

SlRun *
archive_test_small_run (void)
{
  SlRun *run = sl_run_new ();
  SlSample *s;
  SlStimulusEvent ev = { .elapsed_ms = 5, .has_step_index = TRUE, .step_index = 1 };

  run->header.topology = (SlTopology) { 1, 1, 2, 1 };
  run->header.scenario = g_strdup ("tiny");
  run->header.created = g_strdup ("2026-11-27T12:00:00Z");
  run->header.tool_version = g_strdup ("0.1.0");
  g_array_append_val (run->stimulus, ev);
  s = make_sample ("a", sl_report_new ());
  s->elapsed_ms = sl_opt_u64 (10);
  s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
  g_ptr_array_add (run->samples, s);
  s = make_sample ("b", sl_report_new ());
  s->stats = json_from_string ("{\"x\":1}", NULL);
  g_ptr_array_add (run->samples, s);
  g_ptr_array_add (run->log, g_strdup ("bye"));
  run->complete = TRUE;
  g_clear_pointer (&run->incomplete_reason, g_free);
  run->end_reason = g_strdup ("finished");
  return run;
}

void
archive_test_assert_runs_equal (SlRun *a, SlRun *b)
{
  g_autoptr(GBytes) ba = sl_archive_save_to_bytes (a);
  g_autoptr(GBytes) bb = sl_archive_save_to_bytes (b);

  g_assert_nonnull (ba);
  g_assert_nonnull (bb);
  /* The serialization covers every archived value; compare it as text so a
   * failure shows where the runs differ. */
  g_assert_cmpstr (g_bytes_get_data (ba, NULL) != NULL ? (const char *) g_bytes_get_data (ba, NULL) : "", ==,
                   g_bytes_get_data (bb, NULL) != NULL ? (const char *) g_bytes_get_data (bb, NULL) : "");
  g_assert_cmpint (a->complete, ==, b->complete);
  g_assert_cmpstr (a->end_reason, ==, b->end_reason);
}

GBytes *
archive_test_read_source_file (const char *relative)
{
  const char *root = g_getenv ("SL_SOURCE_ROOT");
  g_autofree char *path = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_assert_nonnull (root);
  path = g_build_filename (root, relative, NULL);
  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}
