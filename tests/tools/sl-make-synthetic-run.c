/* sl-make-synthetic-run: writes a LABELLED SYNTHETIC run archive.
 *
 * No kernel ran: every number here is generated (deterministically, from a
 * fixed seed) to look like a two-cgroup workload under a vtime scheduler, so
 * the app and the tests have a run with every record type before real
 * captured runs exist. The header says synthetic = true.
 *
 * Usage: sl-make-synthetic-run OUTPUT.slrun */
#include "sl-archive.h"
#include "sl-phase.h"

#include <stdio.h>
#include <string.h>

#define N_CPUS          2
#define N_SAMPLES       20
#define DURATION_MS     12000
#define STEP0_START_MS  3000
#define STEP1_START_MS  7000
#define MONITOR_EVERY_MS 250
#define PLACEHOLDER_AT  7      /* a rendezvous timeout */
#define FROZEN_STATS_AT 13     /* stats refused during a freeze */

typedef struct {
  GRand  *rand;
  /* cumulative guest state, advanced as time passes */
  guint64 nr_enqueued, nr_dispatched, nr_local, nr_shared, vtime_now;
  guint64 cpu_dispatched[N_CPUS], cpu_idle_hits[N_CPUS];
  guint64 cg_runtime[2];
  guint64 user_ns[N_CPUS], system_ns[N_CPUS], idle_ns[N_CPUS], softirq_timer[N_CPUS], irqs[N_CPUS];
  guint64 vcpu_run_ns[N_CPUS], vcpu_wait_ns[N_CPUS], vcpu_slices[N_CPUS];
  guint64 iterations[2];
  guint64 last_ms;
} Sim;

static const char *const cgroup_names[2] = { "workers", "background" };
static const guint64 cgroup_ids[2] = { 4242, 4243 };

static guint16
phase_at (guint64 ms)
{
  if (ms < STEP0_START_MS)
    return SL_PHASE_BASELINE;
  return ms < STEP1_START_MS ? sl_phase_step (0) : sl_phase_step (1);
}

/* How busy the two cgroups are in each phase (tasks per cgroup). */
static void
load_of (guint16 phase, guint *workers, guint *background)
{
  *workers = phase == SL_PHASE_BASELINE ? 0 : phase == sl_phase_step (0) ? 2 : 4;
  *background = 1;
}

static guint64
jitter (Sim *sim, guint64 base, guint pct)
{
  gint32 spread = (gint32) MAX (1, base * pct / 100);

  return base + (guint64) g_rand_int_range (sim->rand, 0, spread + 1);
}

static void
advance (Sim *sim, guint64 to_ms)
{
  while (sim->last_ms < to_ms)
    {
      guint64 step = MIN (10, to_ms - sim->last_ms);
      guint16 phase = phase_at (sim->last_ms);
      guint w, b;

      load_of (phase, &w, &b);
      for (guint cpu = 0; cpu < N_CPUS; cpu++)
        {
          guint tasks = cpu == 0 ? (w + b + 1) / 2 : (w + b) / 2;
          guint64 busy_ns = tasks > 0 ? step * 1000000 : step * 50000;
          guint64 d = tasks > 0 ? jitter (sim, 3 * tasks * step / 10 + 1, 20) : (guint64) g_rand_int_range (sim->rand, 0, 2);

          sim->cpu_dispatched[cpu] += d;
          sim->nr_dispatched += d;
          sim->nr_enqueued += d + (guint64) g_rand_int_range (sim->rand, 0, 2);
          if (tasks == 0)
            sim->cpu_idle_hits[cpu] += jitter (sim, step / 2, 30);
          sim->user_ns[cpu] += busy_ns * 9 / 10;
          sim->system_ns[cpu] += busy_ns / 10;
          sim->idle_ns[cpu] += step * 1000000 - busy_ns;
          sim->softirq_timer[cpu] += step / 4;
          sim->irqs[cpu] += jitter (sim, step, 10);
          sim->vcpu_run_ns[cpu] += jitter (sim, busy_ns + step * 20000, 5);
          sim->vcpu_wait_ns[cpu] += jitter (sim, step * 30000, 50);
          sim->vcpu_slices[cpu] += jitter (sim, step / 2 + 1, 20);
        }
      sim->nr_local = sim->nr_dispatched * 7 / 10;
      sim->nr_shared = sim->nr_dispatched - sim->nr_local;
      sim->vtime_now += step * 1000000 / MAX (1, w + b);
      sim->cg_runtime[0] += (guint64) w * step * 1000000 * 9 / 10;
      sim->cg_runtime[1] += (guint64) b * step * 1000000 * (w > 0 ? 3 : 9) / 10;
      sim->iterations[0] += w * step * 3;
      sim->iterations[1] += b * step * (w > 0 ? 1 : 3);
      sim->last_ms += step;
    }
}

static char *
hex_le (guint64 v, guint bytes)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < bytes; i++)
    g_string_append_printf (s, i == 0 ? "%02x" : " %02x", (guint) ((v >> (8 * i)) & 0xff));
  return g_string_free (s, FALSE);
}

static SlReport *
make_report (Sim *sim, guint16 phase)
{
  SlReport *r = sl_report_new ();
  SlMap *bss = sl_map_new ("sl_vtime.bss", SL_BPF_MAP_ARRAY, 52, 1);
  SlMap *cpu_ctx = sl_map_new ("cpu_ctx", SL_BPF_MAP_PERCPU_ARRAY, 16, 1);
  SlMap *cg = sl_map_new ("cgrp_runtime", SL_BPF_MAP_HASH, 16, 64);
  SlValue *v = sl_value_new_struct (".bss");
  SlPercpuEntry *pe = g_new0 (SlPercpuEntry, 1);
  guint w, b;
  static const guint64 kvas[3] = {
    G_GUINT64_CONSTANT (0xffff888003a4c000), G_GUINT64_CONSTANT (0xffff888003a4d000),
    G_GUINT64_CONSTANT (0xffff888003a4e000),
  };

  load_of (phase, &w, &b);
  sl_value_struct_add (v, "nr_enqueued", sl_value_new_uint (64, sim->nr_enqueued));
  sl_value_struct_add (v, "nr_dispatched", sl_value_new_uint (64, sim->nr_dispatched));
  sl_value_struct_add (v, "nr_local", sl_value_new_uint (64, sim->nr_local));
  sl_value_struct_add (v, "nr_shared", sl_value_new_uint (64, sim->nr_shared));
  sl_value_struct_add (v, "weight_sum", sl_value_new_uint (64, 100 * (guint64) (w + b)));
  sl_value_struct_add (v, "vtime_now", sl_value_new_uint (64, sim->vtime_now));
  sl_value_struct_add (v, "nr_cgroups", sl_value_new_uint (32, 2));
  bss->value = v;
  bss->map_kva = kvas[0];
  g_ptr_array_add (r->maps, bss);

  pe->key = 0;
  pe->n_cpus = N_CPUS;
  pe->per_cpu = g_new0 (SlValue *, N_CPUS);
  for (guint cpu = 0; cpu < N_CPUS; cpu++)
    {
      SlValue *c = sl_value_new_struct ("cpu_ctx");

      sl_value_struct_add (c, "dispatched", sl_value_new_uint (64, sim->cpu_dispatched[cpu]));
      sl_value_struct_add (c, "idle_hits", sl_value_new_uint (64, sim->cpu_idle_hits[cpu]));
      pe->per_cpu[cpu] = c;
    }
  cpu_ctx->map_kva = kvas[1];
  g_ptr_array_add (cpu_ctx->percpu_entries, pe);
  g_ptr_array_add (r->maps, cpu_ctx);

  cg->map_kva = kvas[2];
  for (guint i = 0; i < 2; i++)
    {
      SlMapEntry *e = g_new0 (SlMapEntry, 1);
      SlValue *val = sl_value_new_struct ("cgrp_stat");
      g_autofree char *runtime_hex = hex_le (sim->cg_runtime[i], 8);

      e->key = sl_value_new_uint (64, cgroup_ids[i]);
      e->key_hex = hex_le (cgroup_ids[i], 8);
      sl_value_struct_add (val, "runtime_ns", sl_value_new_uint (64, sim->cg_runtime[i]));
      sl_value_struct_add (val, "weight", sl_value_new_uint (32, i == 0 ? 200 : 100));
      e->value = val;
      e->value_hex = g_strconcat (runtime_hex, " ", i == 0 ? "c8" : "64", " 00 00 00 00 00 00 00", NULL);
      g_ptr_array_add (cg->entries, e);
    }
  g_ptr_array_add (r->maps, cg);

  r->active_obj_name = g_strdup ("sl_vtime");
  for (guint i = 0; i < 3; i++)
    g_array_append_val (r->active_map_kvas, kvas[i]);

  for (guint cpu = 0; cpu < N_CPUS; cpu++)
    {
      SlPerCpuTime t = { 0 };

      t.cpu = cpu;
      t.cpustat_user_ns = sim->user_ns[cpu];
      t.cpustat_system_ns = sim->system_ns[cpu];
      t.cpustat_idle_ns = sim->idle_ns[cpu];
      t.cpustat_softirq_ns = sim->softirq_timer[cpu] * 2000;
      t.softirqs[1] = sim->softirq_timer[cpu];          /* TIMER */
      t.softirqs[7] = sim->softirq_timer[cpu] / 3;      /* SCHED */
      t.softirqs[9] = sim->softirq_timer[cpu] / 2;      /* RCU */
      t.irqs_sum = sim->irqs[cpu];
      g_array_append_val (r->per_cpu_time, t);
    }
  return r;
}

static JsonNode *
make_stats (Sim *sim, guint16 phase)
{
  g_autoptr(JsonBuilder) jb = json_builder_new ();
  guint w, b;
  double wu, bu;

  load_of (phase, &w, &b);
  wu = w == 0 ? 0.0 : MIN (1.0, w / 2.0) * (0.85 + g_rand_double_range (sim->rand, 0, 0.1));
  bu = w == 0 ? 0.9 + g_rand_double_range (sim->rand, 0, 0.05) : 0.3 + g_rand_double_range (sim->rand, 0, 0.05);
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "nr_dispatched");
  json_builder_add_int_value (jb, (gint64) sim->nr_dispatched);
  json_builder_set_member_name (jb, "nr_enqueued");
  json_builder_add_int_value (jb, (gint64) sim->nr_enqueued);
  json_builder_set_member_name (jb, "busy");
  json_builder_add_double_value (jb, (wu + bu) / 2 * 100.0);
  json_builder_set_member_name (jb, "cgroups");
  json_builder_begin_object (jb);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_set_member_name (jb, cgroup_names[i]);
      json_builder_begin_object (jb);
      json_builder_set_member_name (jb, "util");
      json_builder_add_double_value (jb, i == 0 ? wu : bu);
      json_builder_set_member_name (jb, "nr_tasks");
      json_builder_add_int_value (jb, i == 0 ? w : b);
      json_builder_set_member_name (jb, "runtime_ns");
      json_builder_add_int_value (jb, (gint64) sim->cg_runtime[i]);
      json_builder_end_object (jb);
    }
  json_builder_end_object (jb);
  json_builder_end_object (jb);
  return json_builder_get_root (jb);
}

static SlMonitorSample *
make_monitor (Sim *sim, guint64 ms)
{
  SlMonitorSample *m = g_new0 (SlMonitorSample, 1);
  guint w, b;

  load_of (phase_at (ms), &w, &b);
  m->elapsed_ms = ms + 1500;   /* monitor time counts from VM start (boot took 1.5 s) */
  m->cpus = g_array_new (FALSE, TRUE, sizeof (SlCpuSnapshot));
  for (guint cpu = 0; cpu < N_CPUS; cpu++)
    {
      SlCpuSnapshot c = { 0 };
      guint tasks = cpu == 0 ? (w + b + 1) / 2 : (w + b) / 2;

      c.cpu = cpu;
      c.nr_running = tasks;
      c.scx_nr_running = tasks;
      c.local_dsq_depth = tasks > 1 ? (guint64) g_rand_int_range (sim->rand, 0, (gint32) tasks) : 0;
      c.rq_clock = (ms + 1500) * 1000000 + (guint64) g_rand_int_range (sim->rand, 0, 4000000);
      c.scx_flags = 0x1;
      c.has_event_counters = TRUE;
      c.event_counters[0] = (gint64) (sim->cpu_dispatched[cpu] / 200);     /* select_cpu_fallback */
      c.event_counters[2] = (gint64) (sim->cpu_dispatched[cpu] / 40);      /* dispatch_keep_last */
      c.event_counters[7] = (gint64) (sim->cpu_dispatched[cpu] / 10);      /* refill_slice_dfl */
      c.has_schedstat = TRUE;
      c.run_delay = sim->vcpu_wait_ns[cpu] / 3;
      c.pcount = sim->vcpu_slices[cpu];
      c.sched_count = sim->cpu_dispatched[cpu] + sim->cpu_idle_hits[cpu];
      c.sched_goidle = sim->cpu_idle_hits[cpu];
      c.ttwu_count = sim->cpu_dispatched[cpu] / 2;
      c.ttwu_local = sim->cpu_dispatched[cpu] / 3;
      c.vcpu_cpu_time_ns = sl_opt_u64 (sim->vcpu_run_ns[cpu]);
      g_array_append_val (m->cpus, c);
    }
  return m;
}

/* ktstr's MonitorSummary over the monitor samples (§8.3). */
static SlMonitorSummary
summarize (GPtrArray *mons)
{
  SlMonitorSummary s = { 0 };
  double sum_ratio = 0, sum_nr = 0, sum_depth = 0;
  guint n_readings = 0;
  SlMonitorSample *first = g_ptr_array_index (mons, 0);
  SlMonitorSample *last = g_ptr_array_index (mons, mons->len - 1);
  double secs = (double) (last->elapsed_ms - first->elapsed_ms) / 1000.0;
  gint64 prev_fallback = -1;

  s.total_samples = mons->len;
  s.max_imbalance_ratio = 1.0;
  for (guint i = 0; i < mons->len; i++)
    {
      SlMonitorSample *m = g_ptr_array_index (mons, i);
      guint64 lo = G_MAXUINT64, hi = 0;
      gint64 fallback = 0;
      double ratio;

      for (guint c = 0; c < m->cpus->len; c++)
        {
          SlCpuSnapshot *cs = &g_array_index (m->cpus, SlCpuSnapshot, c);

          lo = MIN (lo, cs->nr_running);
          hi = MAX (hi, cs->nr_running);
          s.max_local_dsq_depth = MAX (s.max_local_dsq_depth, cs->local_dsq_depth);
          sum_nr += (double) cs->nr_running;
          sum_depth += (double) cs->local_dsq_depth;
          fallback += cs->event_counters[0];
          n_readings++;
        }
      ratio = (double) hi / (double) MAX (1, lo);
      s.max_imbalance_ratio = MAX (s.max_imbalance_ratio, ratio);
      sum_ratio += ratio;
      if (prev_fallback >= 0)
        s.max_fallback_burst = MAX (s.max_fallback_burst, fallback - prev_fallback);
      prev_fallback = fallback;
    }
  s.avg_imbalance_ratio = sum_ratio / mons->len;
  s.avg_nr_running = sum_nr / n_readings;
  s.avg_local_dsq_depth = sum_depth / n_readings;

  s.has_event_deltas = TRUE;
  s.has_schedstat_deltas = TRUE;
  for (guint c = 0; c < first->cpus->len; c++)
    {
      SlCpuSnapshot *a = &g_array_index (first->cpus, SlCpuSnapshot, c);
      SlCpuSnapshot *z = &g_array_index (last->cpus, SlCpuSnapshot, c);

      for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
        s.event_totals[k] += MAX (0, z->event_counters[k] - a->event_counters[k]);
      s.total_run_delay += z->run_delay - a->run_delay;
      s.total_pcount += z->pcount - a->pcount;
      s.total_sched_count += z->sched_count - a->sched_count;
      s.total_yld_count += z->yld_count - a->yld_count;
      s.total_sched_goidle += z->sched_goidle - a->sched_goidle;
      s.total_ttwu_count += z->ttwu_count - a->ttwu_count;
      s.total_ttwu_local += z->ttwu_local - a->ttwu_local;
    }
  s.fallback_rate = (double) s.event_totals[0] / secs;
  s.keep_last_rate = (double) s.event_totals[2] / secs;
  s.run_delay_rate = (double) s.total_run_delay / secs;
  s.sched_count_rate = (double) s.total_sched_count / secs;
  return s;
}

static gboolean
add_stimulus (SlArchiveWriter *w, guint64 ms, gboolean has_step, guint16 step, gboolean end,
              gboolean terminal, SlOptU64 iterations, GError **error)
{
  SlStimulusEvent ev = { ms, has_step, step, end, terminal, iterations };

  return sl_archive_writer_add_stimulus (w, &ev, error);
}

static gboolean
write_run (const char *path, GError **error)
{
  g_autoptr(SlArchiveWriter) w = NULL;
  g_autoptr(GPtrArray) mons = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  SlRunHeader h = { 0 };
  Sim sim = { 0 };
  static const char *const args[] = { "--slice-us", "5000", NULL };
  guint64 next_monitor = 0;

  h.kernel_version = (char *) "synthetic";
  h.kernel_source = (char *) "synthetic: generated by sl-make-synthetic-run, no kernel ran";
  h.kernel_has_sched_ext = TRUE;
  h.topology = (SlTopology) { 1, 1, 2, 1 };
  h.memory_mb = 512;
  h.scheduler = (char *) "sl_vtime";
  h.scheduler_args = (GStrv) args;
  h.scenario = (char *) "two-cgroups";
  h.scenario_text = (char *) "# synthetic: workers and background cgroups\n"
                             "cgroup workers weight=200\ncgroup background weight=100\n"
                             "baseline 3s: background 1 spinner\n"
                             "step 4s: workers 2 spinners\n"
                             "step 5s: workers 4 spinners\n";
  h.snapshots = N_SAMPLES;
  h.duration_ms = DURATION_MS;
  h.created = (char *) "2026-11-27T00:00:00Z";
  h.synthetic = TRUE;

  sim.rand = g_rand_new_with_seed (0x5c4ed1ab);
  w = sl_archive_writer_create_full (path, &h, SL_ARCHIVE_WRITER_NO_SYNC, error);
  if (w == NULL)
    goto fail;
  if (!sl_archive_writer_add_log (w, "SYNTHETIC RUN: generated data, no kernel or scheduler ran", error)
      || !add_stimulus (w, 0, TRUE, SL_PHASE_BASELINE, FALSE, FALSE, SL_OPT_U64_NONE, error))
    goto fail;

  for (guint i = 0; i < N_SAMPLES; i++)
    {
      /* ktstr's periodic boundaries over a 10 %..90 % window (§1.1). */
      guint64 pre = DURATION_MS / 10, win = DURATION_MS - 2 * pre;
      guint64 boundary = pre + win * (i + 1) / (N_SAMPLES + 1);
      guint64 elapsed = boundary + (guint64) g_rand_int_range (sim.rand, 1, 5);
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      g_autoptr(SlSample) s = sl_sample_new (tag);
      guint16 phase = phase_at (boundary);

      /* Everything that happened before this boundary, in time order. */
      while (next_monitor <= boundary)
        {
          advance (&sim, next_monitor);
          if (next_monitor == STEP0_START_MS || next_monitor == STEP1_START_MS)
            {
              gboolean second = next_monitor == STEP1_START_MS;
              /* total_iterations is cumulative; ktstr derives per-step rates
               * from StepStart → StepEnd differences. */
              SlOptU64 iters = sl_opt_u64 (sim.iterations[0]);

              if (second && !add_stimulus (w, next_monitor, TRUE, sl_phase_step (0), TRUE, FALSE, iters, error))
                goto fail;
              if (!add_stimulus (w, next_monitor, TRUE, sl_phase_step (second ? 1 : 0), FALSE, FALSE, iters, error))
                goto fail;
            }
          g_ptr_array_add (mons, make_monitor (&sim, next_monitor));
          if (!sl_archive_writer_add_monitor_sample (w, g_ptr_array_index (mons, mons->len - 1), error))
            goto fail;
          next_monitor += MONITOR_EVERY_MS;
        }
      advance (&sim, boundary);

      s->elapsed_ms = sl_opt_u64 (elapsed);
      s->boundary_offset_ms = sl_opt_u64 (boundary);
      s->has_step_index = TRUE;
      s->step_index = phase;
      s->freeze_us = sl_opt_u64 (800 + (guint64) g_rand_int_range (sim.rand, 0, 700));
      sl_report_free (s->report);
      if (i == PLACEHOLDER_AT)
        {
          s->report = sl_report_new_placeholder ("vCPU rendezvous timed out before parked acknowledgement "
                                                 "(synthetic: simulated)");
          s->freeze_us = sl_opt_u64 (30000000);
        }
      else
        s->report = make_report (&sim, phase);
      if (i == FROZEN_STATS_AT)
        s->missing_stats.kind = SL_MISSING_STATS_DURING_FREEZE;
      else
        {
          s->stats = make_stats (&sim, phase);
          s->missing_stats.kind = SL_MISSING_STATS_NONE;
        }
      for (guint cpu = 0; cpu < N_CPUS && i != PLACEHOLDER_AT; cpu++)
        {
          SlVcpuTime t = { cpu, (gint32) (5001 + cpu), sim.vcpu_run_ns[cpu], sim.vcpu_wait_ns[cpu], sim.vcpu_slices[cpu] };

          g_array_append_val (s->vcpu_times, t);
        }
      if (!sl_archive_writer_add_sample (w, s, error))
        goto fail;
    }

  while (next_monitor <= DURATION_MS)
    {
      advance (&sim, next_monitor);
      g_ptr_array_add (mons, make_monitor (&sim, next_monitor));
      if (!sl_archive_writer_add_monitor_sample (w, g_ptr_array_index (mons, mons->len - 1), error))
        goto fail;
      next_monitor += MONITOR_EVERY_MS;
    }

  {
    SlMonitorSummary sum = summarize (mons);
    SlSchedExit e = { 64, (char *) "SCX_EXIT_UNREG", (char *) "unregistered from user space",
                      NULL, sl_opt_u64 (DURATION_MS + 40), (char *) "periodic_019" };

    if (!add_stimulus (w, DURATION_MS, TRUE, sl_phase_step (1), TRUE, FALSE,
                       sl_opt_u64 (sim.iterations[0]), error)
        || !add_stimulus (w, DURATION_MS, FALSE, 0, FALSE, TRUE, sl_opt_u64 (sim.iterations[0]), error)
        || !sl_archive_writer_set_monitor_summary (w, &sum, error)
        || !sl_archive_writer_add_sched_exit (w, &e, error))
      goto fail;
  }
  for (guint i = 0; i < 2; i++)
    {
      SlCgroupResult c = { (char *) cgroup_names[i], sim.iterations[i], i == 0 ? 4 : 1,
                           sl_opt_u64 (sim.cg_runtime[i]) };

      if (!sl_archive_writer_add_cgroup (w, &c, error))
        goto fail;
    }
  if (!sl_archive_writer_add_log (w, "guest: sched_ext: BPF scheduler \"sl_vtime\" disabled (unregistered from user space)", error)
      || !sl_archive_writer_finish (w, "finished", error))
    goto fail;
  g_rand_free (sim.rand);
  return TRUE;

fail:
  g_rand_free (sim.rand);
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s OUTPUT.slrun\n", argv[0]);
      return 2;
    }
  if (!write_run (argv[1], &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return 1;
    }
  return 0;
}
