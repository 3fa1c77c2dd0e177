/* sl-monitor-read.c: per-CPU runqueue, sched_ext and cputime reads. */
#include "sl-monitor-read.h"
#include "sl-types.h"

#include <string.h>

static void
note (GPtrArray *unavailable, const GError *e)
{
  if (unavailable == NULL || e == NULL)
    return;
  for (guint i = 0; i < unavailable->len; i++)
    if (strcmp (unavailable->pdata[i], e->message) == 0)
      return;
  g_ptr_array_add (unavailable, g_strdup (e->message));
}

/* A runqueue field; a member missing from this kernel leaves *out = 0 and notes why.
 * FALSE only on a read failure (a bad address), which fails the whole CPU. */
static gboolean
rq_field (const SlGuestKernel *gk, SlKread *kr, guint64 rq, const char *path, guint64 *out,
          GPtrArray *unavailable, gboolean *missing, GError **error)
{
  g_autoptr(GError) local = NULL;
  *out = 0;
  if (sl_guest_read_field (gk, kr, rq, "rq", path, out, &local))
    return TRUE;
  if (g_error_matches (local, SL_ERROR, SL_ERROR_NOT_FOUND))
    {
      note (unavailable, local);
      if (missing)
        *missing = TRUE;
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

/* Kernel counter names for ktstr's 13 event names (sl_scx_event_names order). */
static const char *const ev_kernel[SL_SCX_EVENT_COUNT][2] = {
  { "SCX_EV_SELECT_CPU_FALLBACK", NULL },
  { "SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE", NULL },
  { "SCX_EV_DISPATCH_KEEP_LAST", NULL },
  { "SCX_EV_ENQ_SKIP_EXITING", NULL },
  { "SCX_EV_ENQ_SKIP_MIGRATION_DISABLED", NULL },
  { "SCX_EV_REENQ_IMMED", NULL },
  { "SCX_EV_REENQ_LOCAL_REPEAT", "SCX_EV_REENQ_REPEAT" },
  { "SCX_EV_REFILL_SLICE_DFL", NULL },
  { "SCX_EV_BYPASS_DURATION", NULL },
  { "SCX_EV_BYPASS_DISPATCH", NULL },
  { "SCX_EV_BYPASS_ACTIVATE", NULL },
  { "SCX_EV_INSERT_NOT_OWNED", NULL },
  { "SCX_EV_SUB_BYPASS_DISPATCH", NULL },
};

/* Where this kernel keeps per-CPU event counters: the __percpu pointer to
 * the containing struct and the offset of struct scx_event_stats inside it.
 * 6.18+ (and 6.17.7+): scx_sched.pcpu → scx_sched_pcpu.event_stats;
 * 6.16–6.17: scx_sched.event_stats_cpu → scx_event_stats. */
static gboolean
event_layout (const SlGuestKernel *gk, SlKread *kr, guint64 sch, guint64 *pcpu, guint32 *stats_off, GError **error)
{
  SlKfield f;
  if (sl_ktypes_member (gk->types, "scx_sched", "pcpu", &f, NULL)
      && sl_ktypes_member (gk->types, "scx_sched_pcpu", "event_stats", &f, NULL))
    {
      *stats_off = f.offset;
      return sl_guest_read_field (gk, kr, sch, "scx_sched", "pcpu", pcpu, error);
    }
  if (sl_ktypes_member (gk->types, "scx_sched", "event_stats_cpu", &f, NULL))
    {
      *stats_off = 0;
      return sl_guest_read_field (gk, kr, sch, "scx_sched", "event_stats_cpu", pcpu, error);
    }
  g_set_error_literal (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                       "unavailable: sched_ext event counters (no scx_sched.pcpu or scx_sched.event_stats_cpu)");
  return FALSE;
}

static gboolean
read_events (const SlGuestKernel *gk, SlKread *kr, guint64 pcpu, guint32 stats_off, guint cpu, gint64 *out,
             GError **error)
{
  guint64 base;
  if (!sl_guest_kernel_percpu (gk, pcpu, cpu, &base, error))
    return FALSE;
  base += stats_off;
  for (guint i = 0; i < SL_SCX_EVENT_COUNT; i++)
    {
      SlKfield f;
      out[i] = 0;
      if (!sl_ktypes_member (gk->types, "scx_event_stats", ev_kernel[i][0], &f, NULL)
          && (ev_kernel[i][1] == NULL || !sl_ktypes_member (gk->types, "scx_event_stats", ev_kernel[i][1], &f, NULL)))
        continue;
      if (f.size != 8)
        continue;
      if (!sl_kread (kr, base + f.offset, &out[i], 8, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sl_monitor_read_cpus (const SlGuestKernel *gk, SlKread *kr, const GArray *vcpu_times, SlMonitorSample *out,
                      GPtrArray *unavailable, GError **error)
{
  g_return_val_if_fail (gk != NULL && kr != NULL && out != NULL && out->cpus != NULL, FALSE);
  guint64 rq_sym;
  if (!sl_guest_kernel_symbol (gk, "runqueues", &rq_sym, error))
    return FALSE;

  /* Event counters need the attached scheduler. */
  guint64 pcpu = 0;
  guint32 stats_off = 0;
  guint64 root_sym, sch = 0;
  if (sl_guest_kernel_symbol (gk, "scx_root", &root_sym, NULL))
    {
      g_autoptr(GError) e = NULL;
      if (!sl_kread_u64 (kr, root_sym, &sch, &e))
        sch = 0;
      if (sch != 0 && !event_layout (gk, kr, sch, &pcpu, &stats_off, &e))
        {
          note (unavailable, e);
          pcpu = 0;
        }
    }

  static const char *const schedstat_paths[] = {
    "rq_sched_info.run_delay", "rq_sched_info.pcount", "yld_count", "sched_count",
    "sched_goidle", "ttwu_count", "ttwu_local",
  };
  for (guint cpu = 0; cpu < gk->n_cpus; cpu++)
    {
      SlCpuSnapshot c = { 0 };
      c.cpu = cpu;
      guint64 rq;
      if (!sl_guest_kernel_percpu (gk, rq_sym, cpu, &rq, error))
        return FALSE;
      if (!rq_field (gk, kr, rq, "nr_running", &c.nr_running, unavailable, NULL, error)
          || !rq_field (gk, kr, rq, "clock", &c.rq_clock, unavailable, NULL, error)
          || !rq_field (gk, kr, rq, "scx.nr_running", &c.scx_nr_running, unavailable, NULL, error)
          || !rq_field (gk, kr, rq, "scx.local_dsq.nr", &c.local_dsq_depth, unavailable, NULL, error)
          || !rq_field (gk, kr, rq, "scx.flags", &c.scx_flags, unavailable, NULL, error))
        {
          g_prefix_error (error, "CPU %u runqueue: ", cpu);
          return FALSE;
        }
      gboolean missing = FALSE;
      guint64 *dst[] = { &c.run_delay, &c.pcount, &c.yld_count, &c.sched_count, &c.sched_goidle,
                         &c.ttwu_count, &c.ttwu_local };
      for (guint i = 0; i < G_N_ELEMENTS (schedstat_paths); i++)
        if (!rq_field (gk, kr, rq, schedstat_paths[i], dst[i], unavailable, &missing, error))
          return FALSE;
      c.has_schedstat = !missing;
      if (pcpu != 0)
        {
          g_autoptr(GError) e = NULL;
          c.has_event_counters = read_events (gk, kr, pcpu, stats_off, cpu, c.event_counters, &e);
          if (!c.has_event_counters)
            {
              memset (c.event_counters, 0, sizeof c.event_counters);
              note (unavailable, e);
            }
        }
      c.vcpu_cpu_time_ns = SL_OPT_U64_NONE;
      for (guint i = 0; vcpu_times != NULL && i < vcpu_times->len; i++)
        {
          const SlVcpuTime *vt = &g_array_index (vcpu_times, SlVcpuTime, i);
          if (vt->cpu == cpu)
            c.vcpu_cpu_time_ns = sl_opt_u64 (vt->run_ns);
        }
      g_array_append_val (out->cpus, c);
    }
  return TRUE;
}

gboolean
sl_host_read_per_cpu_time (const SlGuestKernel *gk, SlKread *kr, GArray *out, GPtrArray *unavailable, GError **error)
{
  g_return_val_if_fail (gk != NULL && kr != NULL && out != NULL, FALSE);
  guint64 kcs, ks;
  SlKfield cpustat, irqs_sum, softirqs, iowait;
  if (!sl_guest_kernel_symbol (gk, "kernel_cpustat", &kcs, error)
      || !sl_guest_kernel_symbol (gk, "kstat", &ks, error)
      || !sl_ktypes_member (gk->types, "kernel_cpustat", "cpustat", &cpustat, error)
      || !sl_ktypes_member (gk->types, "kernel_stat", "irqs_sum", &irqs_sum, error)
      || !sl_ktypes_member (gk->types, "kernel_stat", "softirqs", &softirqs, error))
    return FALSE;
  static const char *const idx_names[] = {
    "CPUTIME_USER", "CPUTIME_NICE", "CPUTIME_SYSTEM", "CPUTIME_SOFTIRQ",
    "CPUTIME_IRQ", "CPUTIME_IDLE", "CPUTIME_IOWAIT", "CPUTIME_STEAL",
  };
  gint64 idx[G_N_ELEMENTS (idx_names)];
  for (guint i = 0; i < G_N_ELEMENTS (idx_names); i++)
    if (!sl_ktypes_enum_value (gk->types, idx_names[i], &idx[i], error) || idx[i] < 0
        || (guint64) (idx[i] + 1) * 8 > cpustat.size)
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unavailable: %s outside kernel_cpustat.cpustat", idx_names[i]);
        return FALSE;
      }
  guint soft_elem = softirqs.size / SL_NR_SOFTIRQS;
  if (soft_elem != 4 && soft_elem != 8)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unavailable: kernel_stat.softirqs is %u bytes", softirqs.size);
      return FALSE;
    }
  guint64 tick_sym = 0;
  gboolean have_iowait = sl_guest_kernel_symbol (gk, "tick_cpu_sched", &tick_sym, NULL);
  g_autoptr(GError) iow_err = NULL;
  if (have_iowait && !sl_ktypes_member (gk->types, "tick_sched", "iowait_sleeptime", &iowait, &iow_err))
    {
      note (unavailable, iow_err);
      have_iowait = FALSE;
    }
  for (guint cpu = 0; cpu < gk->n_cpus; cpu++)
    {
      SlPerCpuTime t = { 0 };
      t.cpu = cpu;
      guint64 a, b;
      guint64 stat[16] = { 0 };
      guint8 soft[SL_NR_SOFTIRQS * 8];
      if (!sl_guest_kernel_percpu (gk, kcs, cpu, &a, error)
          || !sl_guest_kernel_percpu (gk, ks, cpu, &b, error)
          || !sl_kread (kr, a + cpustat.offset, stat, MIN (cpustat.size, sizeof stat), error)
          || !sl_kread_u64 (kr, b + irqs_sum.offset, &t.irqs_sum, error)
          || !sl_kread (kr, b + softirqs.offset, soft, soft_elem * SL_NR_SOFTIRQS, error))
        {
          g_prefix_error (error, "CPU %u cputime: ", cpu);
          return FALSE;
        }
      guint64 *dst[] = { &t.cpustat_user_ns, &t.cpustat_nice_ns, &t.cpustat_system_ns, &t.cpustat_softirq_ns,
                         &t.cpustat_irq_ns, &t.cpustat_idle_ns, &t.cpustat_iowait_ns, &t.cpustat_steal_ns };
      for (guint i = 0; i < G_N_ELEMENTS (dst); i++)
        *dst[i] = idx[i] < 16 ? stat[idx[i]] : 0;
      for (guint i = 0; i < SL_NR_SOFTIRQS; i++)
        {
          guint64 v = 0;
          memcpy (&v, soft + i * soft_elem, soft_elem);
          t.softirqs[i] = v;
        }
      t.iowait_sleeptime_ns = SL_OPT_U64_NONE;
      if (have_iowait)
        {
          guint64 ts, v;
          if (sl_guest_kernel_percpu (gk, tick_sym, cpu, &ts, NULL)
              && sl_kread_u64 (kr, ts + iowait.offset, &v, NULL))
            t.iowait_sleeptime_ns = sl_opt_u64 (v);
        }
      g_array_append_val (out, t);
    }
  return TRUE;
}
