/* The monitor and host-axis readers on a synthetic guest, and MonitorSummary /
 * thresholds (core/monitor) on hand-built sample series. */
#include "introspect-fixture.h"
#include "sl-monitor-read.h"
#include "sl-monitor-summary.h"

#include <string.h>

static void
test_read_cpus (void)
{
  g_autoptr(Fx) fx = fx_new (FALSE, 0x1600000, 0x800000, 2);
  guint64 rq = 0, kcs = 0, ks = 0;
  fx_lookup (fx, "runqueues", &rq);
  fx_lookup (fx, "kernel_cpustat", &kcs);
  fx_lookup (fx, "kstat", &ks);
  rq += fx->slide;
  kcs += fx->slide;
  ks += fx->slide;
  for (guint c = 0; c < 2; c++)
    {
      guint64 r = fx_percpu_addr (fx, rq, c);
      fx_write_field (fx, r, "rq", "nr_running", 3 + c);
      fx_write_field (fx, r, "rq", "clock", 1000000 + c);
      fx_write_field (fx, r, "rq", "scx.nr_running", 2 + c);
      fx_write_field (fx, r, "rq", "scx.local_dsq.nr", 7 + c);
      fx_write_field (fx, r, "rq", "scx.flags", 0x21);
      fx_write_field (fx, r, "rq", "rq_sched_info.run_delay", 555 + c);
      fx_write_field (fx, r, "rq", "rq_sched_info.pcount", 66);
      fx_write_field (fx, r, "rq", "yld_count", 1);
      fx_write_field (fx, r, "rq", "sched_count", 2);
      fx_write_field (fx, r, "rq", "sched_goidle", 3);
      fx_write_field (fx, r, "rq", "ttwu_count", 4);
      fx_write_field (fx, r, "rq", "ttwu_local", 5);
      guint64 cs = fx_percpu_addr (fx, kcs, c) + fx_off (fx, "kernel_cpustat", "cpustat");
      for (guint i = 0; i < 10; i++)
        fx_write_u64 (fx, cs + 8 * i, 1000 * (c + 1) + i);
      guint64 st = fx_percpu_addr (fx, ks, c);
      fx_write_field (fx, st, "kernel_stat", "irqs_sum", 99 + c);
      for (guint i = 0; i < 10; i++)
        fx_write_u32 (fx, st + fx_off (fx, "kernel_stat", "softirqs") + 4 * i, 10 * i + c);
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 1 << 20, 0);
  g_autoptr(GPtrArray) unavailable = g_ptr_array_new_with_free_func (g_free);

  /* No scheduler: no event counters. */
  SlMonitorSample m = { .cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot)) };
  GArray *vt = g_array_new (FALSE, FALSE, sizeof (SlVcpuTime));
  SlVcpuTime t1 = { .cpu = 1, .tid = 5, .run_ns = 777 };
  g_array_append_val (vt, t1);
  g_assert_true (sl_monitor_read_cpus (gk, &kr, vt, &m, unavailable, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (m.cpus->len, ==, 2);
  SlCpuSnapshot *c1 = &g_array_index (m.cpus, SlCpuSnapshot, 1);
  g_assert_cmpuint (c1->cpu, ==, 1);
  g_assert_cmpuint (c1->nr_running, ==, 4);
  g_assert_cmpuint (c1->rq_clock, ==, 1000001);
  g_assert_cmpuint (c1->scx_nr_running, ==, 3);
  g_assert_cmpuint (c1->local_dsq_depth, ==, 8);
  g_assert_cmpuint (c1->scx_flags, ==, 0x21);
  g_assert_true (c1->has_schedstat);
  g_assert_cmpuint (c1->run_delay, ==, 556);
  g_assert_cmpuint (c1->pcount, ==, 66);
  g_assert_cmpuint (c1->ttwu_local, ==, 5);
  g_assert_false (c1->has_event_counters);
  g_assert_true (c1->vcpu_cpu_time_ns.set && c1->vcpu_cpu_time_ns.v == 777);
  g_assert_false (g_array_index (m.cpus, SlCpuSnapshot, 0).vcpu_cpu_time_ns.set);

  /* Attach a scheduler with per-CPU event counters (6.18+ layout). */
  guint64 sch = fx_kmalloc (fx, 176);
  guint64 pcpu = fx_percpu_alloc (fx, 128);
  fx_write_field (fx, sch, "scx_sched", "pcpu", pcpu);
  guint64 root = 0;
  fx_lookup (fx, "scx_root", &root);
  fx_write_u64 (fx, root + fx->slide, sch);
  for (guint c = 0; c < 2; c++)
    {
      guint64 es = fx_percpu_addr (fx, pcpu, c);
      fx_write_field (fx, es, "scx_sched_pcpu", "event_stats.SCX_EV_SELECT_CPU_FALLBACK", 10 + c);
      fx_write_field (fx, es, "scx_sched_pcpu", "event_stats.SCX_EV_REENQ_REPEAT", 40 + c);
      fx_write_field (fx, es, "scx_sched_pcpu", "event_stats.SCX_EV_INSERT_NOT_OWNED", 50 + c);
    }
  g_array_set_size (m.cpus, 0);
  g_assert_true (sl_monitor_read_cpus (gk, &kr, NULL, &m, unavailable, &error));
  c1 = &g_array_index (m.cpus, SlCpuSnapshot, 1);
  g_assert_true (c1->has_event_counters);
  g_assert_cmpint (c1->event_counters[0], ==, 11);    /* select_cpu_fallback */
  g_assert_cmpint (c1->event_counters[6], ==, 41);    /* reenq_local_repeat ← SCX_EV_REENQ_REPEAT */
  g_assert_cmpint (c1->event_counters[11], ==, 51);   /* insert_not_owned */
  g_assert_cmpint (c1->event_counters[12], ==, 0);    /* not in this kernel */

  GArray *times = g_array_new (FALSE, FALSE, sizeof (SlPerCpuTime));
  g_assert_true (sl_host_read_per_cpu_time (gk, &kr, times, unavailable, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (times->len, ==, 2);
  SlPerCpuTime *pt = &g_array_index (times, SlPerCpuTime, 1);
  g_assert_cmpuint (pt->cpu, ==, 1);
  g_assert_cmpuint (pt->cpustat_user_ns, ==, 2000);
  g_assert_cmpuint (pt->cpustat_idle_ns, ==, 2005);
  g_assert_cmpuint (pt->cpustat_steal_ns, ==, 2007);
  g_assert_cmpuint (pt->irqs_sum, ==, 100);
  g_assert_cmpuint (pt->softirqs[9], ==, 91);
  g_assert_false (pt->iowait_sleeptime_ns.set);   /* the fixture has no tick_cpu_sched */

  /* A runqueue address outside guest RAM fails the CPU with a clear error. */
  guint64 pco = 0;
  fx_lookup (fx, "__per_cpu_offset", &pco);
  g_autoptr(SlGuestKernel) gk2 = fx_kernel (fx, &error);
  gk2->per_cpu_offset[1] = G_GUINT64_CONSTANT (0x0000100000000000);
  g_array_set_size (m.cpus, 0);
  g_assert_false (sl_monitor_read_cpus (gk2, &kr, NULL, &m, unavailable, &error));
  g_assert_nonnull (strstr (error->message, "CPU 1"));
  g_array_unref (times);
  g_array_unref (vt);
  g_array_unref (m.cpus);
}

static void
test_event_layout_6_16 (void)
{
  /* scx_sched.event_stats_cpu points straight at a per-CPU struct scx_event_stats. */
  g_autoptr(Fx) fx = fx_new_full (FALSE, 0x1000000, 0, 2, TRUE);
  guint64 sch = fx_kmalloc (fx, 176);
  guint64 stats = fx_percpu_alloc (fx, 128);
  fx_write_field (fx, sch, "scx_sched", "event_stats_cpu", stats);
  guint64 root = 0;
  fx_lookup (fx, "scx_root", &root);
  fx_write_u64 (fx, root, sch);
  for (guint c = 0; c < 2; c++)
    fx_write_field (fx, fx_percpu_addr (fx, stats, c), "scx_event_stats", "SCX_EV_DISPATCH_KEEP_LAST", 30 + c);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 1 << 20, 0);
  SlMonitorSample m = { .cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot)) };
  g_assert_true (sl_monitor_read_cpus (gk, &kr, NULL, &m, NULL, &error));
  g_assert_no_error (error);
  for (guint c = 0; c < 2; c++)
    {
      const SlCpuSnapshot *cs = &g_array_index (m.cpus, SlCpuSnapshot, c);
      g_assert_true (cs->has_event_counters);
      g_assert_cmpint (cs->event_counters[2], ==, 30 + c);   /* dispatch_keep_last */
      g_assert_cmpint (cs->event_counters[0], ==, 0);
    }
  g_array_unref (m.cpus);
}

/* ---- summary ---- */

static SlMonitorSample *
sample (guint64 ms, guint n, const guint64 *nr, const guint64 *clock, const guint64 *dsq)
{
  SlMonitorSample *s = g_new0 (SlMonitorSample, 1);
  s->elapsed_ms = ms;
  s->cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot));
  for (guint i = 0; i < n; i++)
    {
      SlCpuSnapshot c = { 0 };
      c.cpu = i;
      c.nr_running = nr[i];
      c.rq_clock = clock[i];
      c.local_dsq_depth = dsq[i];
      g_array_append_val (s->cpus, c);
    }
  return s;
}

static void
test_summary (void)
{
  g_autoptr(GPtrArray) ss = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  /* CPU1 idle in samples 0 and 1 with a frozen clock: exempt. CPU0 stuck between 2 and 3. */
  g_ptr_array_add (ss, sample (0, 2, (guint64[]) { 2, 0 }, (guint64[]) { 100, 500 }, (guint64[]) { 1, 0 }));
  g_ptr_array_add (ss, sample (1000, 2, (guint64[]) { 4, 0 }, (guint64[]) { 200, 500 }, (guint64[]) { 3, 0 }));
  g_ptr_array_add (ss, sample (2000, 2, (guint64[]) { 1, 1 }, (guint64[]) { 300, 600 }, (guint64[]) { 0, 2 }));
  /* Uninitialized (DSQ depth above the ceiling): counted, skipped. */
  g_ptr_array_add (ss, sample (2500, 2, (guint64[]) { 9, 9 }, (guint64[]) { 1, 1 }, (guint64[]) { 20000, 0 }));
  g_ptr_array_add (ss, sample (3000, 2, (guint64[]) { 1, 3 }, (guint64[]) { 300, 700 }, (guint64[]) { 0, 0 }));
  /* Event counters on the last three valid samples (CPU-summed fallback 10, 30, 31). */
  gint64 fb[5][2] = { { 0, 0 }, { 0, 0 }, { 4, 6 }, { 0, 0 }, { 20, 11 } };
  for (guint k = 0; k < 5; k++)
    for (guint c = 0; c < 2; c++)
      {
        SlCpuSnapshot *cs = &g_array_index (((SlMonitorSample *) ss->pdata[k])->cpus, SlCpuSnapshot, c);
        if (k >= 2)
          {
            cs->has_event_counters = TRUE;
            cs->event_counters[0] = fb[k][c];
            cs->event_counters[2] = k == 4 ? 50 : 0;   /* keep_last */
            cs->has_schedstat = TRUE;
            cs->run_delay = k * 1000;
            cs->sched_count = k;
          }
      }
  SlMonitorSummary s;
  guint64 thr = sl_monitor_preemption_threshold_ns (250);
  g_assert_cmpuint (thr, ==, 40000000);
  sl_monitor_summarize ((SlMonitorSample **) ss->pdata, ss->len, thr, &s);
  g_assert_cmpuint (s.total_samples, ==, 5);
  /* Ratios: 2/1, 4/1, 1/1, 3/1. */
  g_assert_cmpfloat (s.max_imbalance_ratio, ==, 4.0);
  g_assert_cmpfloat (s.avg_imbalance_ratio, ==, (2.0 + 4.0 + 1.0 + 3.0) / 4);
  g_assert_cmpuint (s.max_local_dsq_depth, ==, 3);
  g_assert_cmpfloat (s.avg_nr_running, ==, (2 + 0 + 4 + 0 + 1 + 1 + 1 + 3) / 8.0);
  g_assert_cmpfloat (s.avg_local_dsq_depth, ==, (1 + 0 + 3 + 0 + 0 + 2 + 0 + 0) / 8.0);
  g_assert_cmpuint (s.stuck_count, ==, 1);
  g_assert_true (s.has_event_deltas);
  g_assert_cmpint (s.event_totals[0], ==, 21);           /* 31 - 10 */
  g_assert_cmpint (s.max_fallback_burst, ==, 21);
  g_assert_cmpfloat (s.fallback_rate, ==, 21.0);         /* over 1 s (2000 → 3000) */
  g_assert_cmpint (s.event_totals[2], ==, 100);
  g_assert_cmpfloat (s.keep_last_rate, ==, 100.0);
  g_assert_true (s.has_schedstat_deltas);
  g_assert_cmpuint (s.total_run_delay, ==, 2 * 4000 - 2 * 2000);
  g_assert_cmpfloat (s.run_delay_rate, ==, 4000.0);

  /* Exemption (b): the vCPU got no host time beyond the threshold. */
  SlMonitorSample *a = ss->pdata[2], *b = ss->pdata[4];
  g_array_index (a->cpus, SlCpuSnapshot, 0).vcpu_cpu_time_ns = sl_opt_u64 (1000);
  g_array_index (b->cpus, SlCpuSnapshot, 0).vcpu_cpu_time_ns = sl_opt_u64 (1000 + thr);
  g_assert_cmpuint (sl_monitor_stuck_cpus (a, b, thr, NULL), ==, 0);
  g_array_index (b->cpus, SlCpuSnapshot, 0).vcpu_cpu_time_ns = sl_opt_u64 (1001 + thr);
  g_autoptr(GArray) stuck = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_assert_cmpuint (sl_monitor_stuck_cpus (a, b, thr, stuck), ==, 1);
  g_assert_cmpuint (g_array_index (stuck, guint32, 0), ==, 0);

  /* Empty input. */
  SlMonitorSummary e;
  sl_monitor_summarize (NULL, 0, thr, &e);
  g_assert_cmpuint (e.total_samples, ==, 0);
  g_assert_cmpfloat (e.max_imbalance_ratio, ==, 1.0);
  g_assert_false (e.has_event_deltas);
}

static void
test_thresholds (void)
{
  g_autoptr(GPtrArray) ss = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  /* Imbalance 5 in samples 1-3 (3 in a row), then 5 again once. */
  guint64 imb[] = { 1, 5, 5, 5, 1, 5 };
  for (guint k = 0; k < G_N_ELEMENTS (imb); k++)
    g_ptr_array_add (ss, sample (k * 100, 2, (guint64[]) { imb[k], 1 }, (guint64[]) { k + 1, k + 1 },
                                 (guint64[]) { 0, 0 }));
  SlMonitorThresholds t;
  sl_monitor_thresholds_default (&t);
  t.enforce = TRUE;
  t.sustained_samples = 3;
  g_autoptr(GPtrArray) v = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpint (sl_monitor_check ((SlMonitorSample **) ss->pdata, ss->len, 40000000, &t, v), ==, SL_MONITOR_FAIL);
  g_assert_cmpuint (v->len, ==, 1);
  g_assert_nonnull (strstr (v->pdata[0], "imbalance"));
  g_assert_nonnull (strstr (v->pdata[0], "3 consecutive"));
  t.sustained_samples = 4;
  g_ptr_array_set_size (v, 0);
  g_assert_cmpint (sl_monitor_check ((SlMonitorSample **) ss->pdata, ss->len, 40000000, &t, v), ==, SL_MONITOR_PASS);
  g_assert_cmpuint (v->len, ==, 0);
  /* Report only: listed, but not a failure. */
  t.sustained_samples = 2;
  t.enforce = FALSE;
  g_assert_cmpint (sl_monitor_check ((SlMonitorSample **) ss->pdata, ss->len, 40000000, &t, v), ==, SL_MONITOR_PASS);
  g_assert_cmpuint (v->len, ==, 1);
  /* No valid samples: inconclusive whatever enforce says. */
  t.enforce = TRUE;
  g_assert_cmpint (sl_monitor_check (NULL, 0, 40000000, &t, NULL), ==, SL_MONITOR_INCONCLUSIVE);
  /* A stalled busy CPU for 2 pairs. */
  g_autoptr(GPtrArray) st = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  for (guint k = 0; k < 4; k++)
    g_ptr_array_add (st, sample (k * 100, 2, (guint64[]) { 1, 1 }, (guint64[]) { k < 1 ? 5 : 9, k + 1 },
                                 (guint64[]) { 0, 0 }));
  g_ptr_array_set_size (v, 0);
  t.sustained_samples = 2;
  g_assert_cmpint (sl_monitor_check ((SlMonitorSample **) st->pdata, st->len, 40000000, &t, v), ==, SL_MONITOR_FAIL);
  g_assert_nonnull (strstr (v->pdata[0], "stalled"));
  t.fail_on_stall = FALSE;
  g_assert_cmpint (sl_monitor_check ((SlMonitorSample **) st->pdata, st->len, 40000000, &t, NULL), ==, SL_MONITOR_PASS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/monitor/read-cpus", test_read_cpus);
  g_test_add_func ("/introspect/monitor/event-layout-6.16", test_event_layout_6_16);
  g_test_add_func ("/introspect/monitor/summary", test_summary);
  g_test_add_func ("/introspect/monitor/thresholds", test_thresholds);
  return g_test_run ();
}
