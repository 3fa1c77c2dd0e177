/* sl-monitor-summary.c: MonitorSummary and thresholds (ktstr-semantics §8.3). */
#include "sl-monitor-summary.h"

#include <string.h>

/* Indices into sl_scx_event_names. */
enum { EV_FALLBACK = 0, EV_KEEP_LAST = 2 };

guint64
sl_monitor_preemption_threshold_ns (guint hz)
{
  return 10 * (G_GUINT64_CONSTANT (1000000000) / (hz ? hz : 250));
}

gboolean
sl_monitor_sample_is_valid (const SlMonitorSample *s)
{
  if (s == NULL || s->cpus == NULL || s->cpus->len == 0)
    return FALSE;
  for (guint i = 0; i < s->cpus->len; i++)
    if (g_array_index (s->cpus, SlCpuSnapshot, i).local_dsq_depth > SL_DSQ_PLAUSIBILITY_CEILING)
      return FALSE;
  return TRUE;
}

static const SlCpuSnapshot *
cpu_in (const SlMonitorSample *s, guint32 cpu, guint hint)
{
  if (hint < s->cpus->len && g_array_index (s->cpus, SlCpuSnapshot, hint).cpu == cpu)
    return &g_array_index (s->cpus, SlCpuSnapshot, hint);
  for (guint i = 0; i < s->cpus->len; i++)
    if (g_array_index (s->cpus, SlCpuSnapshot, i).cpu == cpu)
      return &g_array_index (s->cpus, SlCpuSnapshot, i);
  return NULL;
}

guint
sl_monitor_stuck_cpus (const SlMonitorSample *prev, const SlMonitorSample *cur, guint64 threshold_ns, GArray *stuck)
{
  guint n = 0;
  for (guint i = 0; i < cur->cpus->len; i++)
    {
      const SlCpuSnapshot *b = &g_array_index (cur->cpus, SlCpuSnapshot, i);
      const SlCpuSnapshot *a = cpu_in (prev, b->cpu, i);
      if (a == NULL || b->rq_clock > a->rq_clock)
        continue;
      if (a->nr_running == 0 && b->nr_running == 0)   /* (a) idle: NOHZ stops the tick */
        continue;
      if (a->vcpu_cpu_time_ns.set && b->vcpu_cpu_time_ns.set
          && b->vcpu_cpu_time_ns.v - MIN (a->vcpu_cpu_time_ns.v, b->vcpu_cpu_time_ns.v) <= threshold_ns)
        continue;                                      /* (b) the vCPU got no host time */
      n++;
      if (stuck != NULL)
        g_array_append_val (stuck, b->cpu);
    }
  return n;
}

static gboolean
has_events (const SlMonitorSample *s)
{
  for (guint i = 0; i < s->cpus->len; i++)
    if (g_array_index (s->cpus, SlCpuSnapshot, i).has_event_counters)
      return TRUE;
  return FALSE;
}

static gboolean
has_schedstat (const SlMonitorSample *s)
{
  for (guint i = 0; i < s->cpus->len; i++)
    if (g_array_index (s->cpus, SlCpuSnapshot, i).has_schedstat)
      return TRUE;
  return FALSE;
}

/* CPU-summed counter, saturating. */
static gint64
event_sum (const SlMonitorSample *s, guint ev)
{
  gint64 sum = 0;
  for (guint i = 0; i < s->cpus->len; i++)
    {
      const SlCpuSnapshot *c = &g_array_index (s->cpus, SlCpuSnapshot, i);
      if (!c->has_event_counters)
        continue;
      gint64 v = c->event_counters[ev];
      if (v > 0 && sum > G_MAXINT64 - v)
        sum = G_MAXINT64;
      else if (v < 0 && sum < G_MININT64 - v)
        sum = G_MININT64;
      else
        sum += v;
    }
  return sum;
}

static gint64
clamp_delta (gint64 last, gint64 first)
{
  if (last <= first)
    return 0;
  guint64 d = (guint64) last - (guint64) first;
  return d > G_MAXINT64 ? G_MAXINT64 : (gint64) d;
}

static double
imbalance (const SlMonitorSample *s)
{
  guint64 mx = 0, mn = G_MAXUINT64;
  for (guint i = 0; i < s->cpus->len; i++)
    {
      guint64 v = g_array_index (s->cpus, SlCpuSnapshot, i).nr_running;
      mx = MAX (mx, v);
      mn = MIN (mn, v);
    }
  return (double) mx / (double) MAX (mn, 1);
}

static guint64
schedstat_sum (const SlMonitorSample *s, gsize field_offset)
{
  guint64 sum = 0;
  for (guint i = 0; i < s->cpus->len; i++)
    {
      const SlCpuSnapshot *c = &g_array_index (s->cpus, SlCpuSnapshot, i);
      if (c->has_schedstat)
        sum += G_STRUCT_MEMBER (guint64, c, field_offset);
    }
  return sum;
}

void
sl_monitor_summarize (SlMonitorSample *const *samples, guint n, guint64 threshold_ns, SlMonitorSummary *out)
{
  g_return_if_fail (out != NULL && (samples != NULL || n == 0));
  memset (out, 0, sizeof *out);
  out->total_samples = n;
  out->max_imbalance_ratio = 1.0;
  guint valid = 0;
  guint64 cpu_readings = 0;
  double sum_imb = 0, sum_nr = 0, sum_dsq = 0;
  const SlMonitorSample *prev = NULL;
  const SlMonitorSample *ev_first = NULL, *ev_last = NULL, *ev_prev = NULL;
  const SlMonitorSample *ss_first = NULL, *ss_last = NULL;
  for (guint k = 0; k < n; k++)
    {
      const SlMonitorSample *s = samples[k];
      if (!sl_monitor_sample_is_valid (s))
        continue;
      valid++;
      double r = imbalance (s);
      out->max_imbalance_ratio = MAX (out->max_imbalance_ratio, r);
      sum_imb += r;
      for (guint i = 0; i < s->cpus->len; i++)
        {
          const SlCpuSnapshot *c = &g_array_index (s->cpus, SlCpuSnapshot, i);
          out->max_local_dsq_depth = MAX (out->max_local_dsq_depth, c->local_dsq_depth);
          sum_nr += (double) c->nr_running;
          sum_dsq += (double) c->local_dsq_depth;
          cpu_readings++;
        }
      if (prev != NULL)
        out->stuck_count += sl_monitor_stuck_cpus (prev, s, threshold_ns, NULL);
      prev = s;
      if (has_events (s))
        {
          if (ev_first == NULL)
            ev_first = s;
          if (ev_prev != NULL)
            out->max_fallback_burst = MAX (out->max_fallback_burst,
                                           clamp_delta (event_sum (s, EV_FALLBACK), event_sum (ev_prev, EV_FALLBACK)));
          ev_prev = ev_last = s;
        }
      if (has_schedstat (s))
        {
          if (ss_first == NULL)
            ss_first = s;
          ss_last = s;
        }
    }
  if (valid > 0)
    out->avg_imbalance_ratio = sum_imb / valid;
  if (cpu_readings > 0)
    {
      out->avg_nr_running = sum_nr / (double) cpu_readings;
      out->avg_local_dsq_depth = sum_dsq / (double) cpu_readings;
    }
  if (ev_first != NULL)
    {
      out->has_event_deltas = TRUE;
      for (guint e = 0; e < SL_SCX_EVENT_COUNT; e++)
        out->event_totals[e] = clamp_delta (event_sum (ev_last, e), event_sum (ev_first, e));
      double secs = ev_last->elapsed_ms > ev_first->elapsed_ms
                    ? (double) (ev_last->elapsed_ms - ev_first->elapsed_ms) / 1000.0 : 0.0;
      out->fallback_rate = secs > 0 ? (double) out->event_totals[EV_FALLBACK] / secs : 0.0;
      out->keep_last_rate = secs > 0 ? (double) out->event_totals[EV_KEEP_LAST] / secs : 0.0;
    }
  if (ss_first != NULL)
    {
      out->has_schedstat_deltas = TRUE;
#define SS_DELTA(f) (schedstat_sum (ss_last, G_STRUCT_OFFSET (SlCpuSnapshot, f)) \
                     - MIN (schedstat_sum (ss_first, G_STRUCT_OFFSET (SlCpuSnapshot, f)), \
                            schedstat_sum (ss_last, G_STRUCT_OFFSET (SlCpuSnapshot, f))))
      out->total_run_delay = SS_DELTA (run_delay);
      out->total_pcount = SS_DELTA (pcount);
      out->total_sched_count = SS_DELTA (sched_count);
      out->total_yld_count = SS_DELTA (yld_count);
      out->total_sched_goidle = SS_DELTA (sched_goidle);
      out->total_ttwu_count = SS_DELTA (ttwu_count);
      out->total_ttwu_local = SS_DELTA (ttwu_local);
#undef SS_DELTA
      double secs = ss_last->elapsed_ms > ss_first->elapsed_ms
                    ? (double) (ss_last->elapsed_ms - ss_first->elapsed_ms) / 1000.0 : 0.0;
      out->run_delay_rate = secs > 0 ? (double) out->total_run_delay / secs : 0.0;
      out->sched_count_rate = secs > 0 ? (double) out->total_sched_count / secs : 0.0;
    }
}

void
sl_monitor_thresholds_default (SlMonitorThresholds *t)
{
  t->max_imbalance_ratio = 4.0;
  t->max_local_dsq_depth = 50;
  t->fail_on_stall = TRUE;
  t->sustained_samples = 5;
  t->max_fallback_rate = 200.0;
  t->max_keep_last_rate = 100.0;
  t->enforce = FALSE;
}

typedef struct {
  const char *what;
  guint       run;        /* current consecutive violating samples */
  gboolean    reported;
} Streak;

static void
streak_step (Streak *st, gboolean violated, guint need, guint64 elapsed_ms, const char *detail, GPtrArray *violations,
             gboolean *failed)
{
  if (!violated)
    {
      st->run = 0;
      return;
    }
  st->run++;
  if (st->run >= MAX (need, 1u) && !st->reported)
    {
      st->reported = TRUE;
      *failed = TRUE;
      if (violations != NULL)
        g_ptr_array_add (violations, g_strdup_printf ("%s for %u consecutive samples (until %" G_GUINT64_FORMAT
                                                      " ms): %s", st->what, st->run, elapsed_ms, detail));
    }
}

SlMonitorOutcome
sl_monitor_check (SlMonitorSample *const *samples, guint n, guint64 threshold_ns, const SlMonitorThresholds *t,
                  GPtrArray *violations)
{
  g_return_val_if_fail (t != NULL && (samples != NULL || n == 0), SL_MONITOR_INCONCLUSIVE);
  Streak imb = { "imbalance ratio above limit", 0, FALSE };
  Streak dsq = { "local DSQ depth above limit", 0, FALSE };
  Streak stall = { "CPU rq_clock stalled", 0, FALSE };
  Streak fb = { "select_cpu fallback rate above limit", 0, FALSE };
  Streak kl = { "dispatch keep_last rate above limit", 0, FALSE };
  gboolean failed = FALSE;
  guint valid = 0;
  const SlMonitorSample *prev = NULL;
  for (guint k = 0; k < n; k++)
    {
      const SlMonitorSample *s = samples[k];
      if (!sl_monitor_sample_is_valid (s))
        continue;
      valid++;
      g_autofree char *d1 = NULL, *d2 = NULL, *d3 = NULL, *d4 = NULL, *d5 = NULL;
      double r = imbalance (s);
      d1 = g_strdup_printf ("%.3g > %.3g", r, t->max_imbalance_ratio);
      streak_step (&imb, r > t->max_imbalance_ratio, t->sustained_samples, s->elapsed_ms, d1, violations, &failed);
      guint64 depth = 0;
      for (guint i = 0; i < s->cpus->len; i++)
        depth = MAX (depth, g_array_index (s->cpus, SlCpuSnapshot, i).local_dsq_depth);
      d2 = g_strdup_printf ("%" G_GUINT64_FORMAT " > %" G_GUINT64_FORMAT, depth, t->max_local_dsq_depth);
      streak_step (&dsq, depth > t->max_local_dsq_depth, t->sustained_samples, s->elapsed_ms, d2, violations, &failed);
      if (prev != NULL)
        {
          g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (guint32));
          guint stuck = sl_monitor_stuck_cpus (prev, s, threshold_ns, cpus);
          d3 = g_strdup_printf ("%u CPU(s), first CPU %u", stuck, stuck ? g_array_index (cpus, guint32, 0) : 0);
          if (t->fail_on_stall)
            streak_step (&stall, stuck > 0, t->sustained_samples, s->elapsed_ms, d3, violations, &failed);
          if (has_events (prev) && has_events (s) && s->elapsed_ms > prev->elapsed_ms)
            {
              double secs = (double) (s->elapsed_ms - prev->elapsed_ms) / 1000.0;
              double fr = (double) clamp_delta (event_sum (s, EV_FALLBACK), event_sum (prev, EV_FALLBACK)) / secs;
              double kr = (double) clamp_delta (event_sum (s, EV_KEEP_LAST), event_sum (prev, EV_KEEP_LAST)) / secs;
              d4 = g_strdup_printf ("%.1f/s > %.1f/s", fr, t->max_fallback_rate);
              d5 = g_strdup_printf ("%.1f/s > %.1f/s", kr, t->max_keep_last_rate);
              streak_step (&fb, fr > t->max_fallback_rate, t->sustained_samples, s->elapsed_ms, d4, violations, &failed);
              streak_step (&kl, kr > t->max_keep_last_rate, t->sustained_samples, s->elapsed_ms, d5, violations, &failed);
            }
        }
      prev = s;
    }
  if (valid == 0)
    return SL_MONITOR_INCONCLUSIVE;
  return failed && t->enforce ? SL_MONITOR_FAIL : SL_MONITOR_PASS;
}
