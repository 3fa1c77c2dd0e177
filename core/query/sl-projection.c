/* sl-projection.c: building a SeriesField from a run: the per-sample loop shared
 * by the capture axes (bpf, stats, host), the SchedulerGone rule, the host axis,
 * and the monitor axis (a series over the monitor's own samples). */
#include "sl-projection-private.h"

#include <math.h>
#include <string.h>

/* ---- scalar conversions for the typed axes ------------------------------ */

static gboolean
from_u64 (guint64 v, SlScalarType type, const char *requested, SlScalar *out, SlProjError *err)
{
  out->type = type;
  switch (type)
    {
    case SL_SCALAR_U64: out->u = v; return TRUE;
    case SL_SCALAR_F64: out->f = (double) v; return TRUE;
    case SL_SCALAR_BOOL: out->b = v != 0; return TRUE;
    case SL_SCALAR_I64:
      if (v <= (guint64) G_MAXINT64)
        {
          out->i = (gint64) v;
          return TRUE;
        }
      break;
    }
  sl_proj_error_set (err, SL_FIELD_ERROR_TYPE_MISMATCH, "field '%s': expected %s, found u64 %" G_GUINT64_FORMAT,
                     requested, sl_scalar_type_name (type), v);
  return FALSE;
}

static gboolean
from_i64 (gint64 v, SlScalarType type, const char *requested, SlScalar *out, SlProjError *err)
{
  out->type = type;
  switch (type)
    {
    case SL_SCALAR_I64: out->i = v; return TRUE;
    case SL_SCALAR_F64: out->f = (double) v; return TRUE;
    case SL_SCALAR_BOOL: out->b = v != 0; return TRUE;
    case SL_SCALAR_U64:
      if (v >= 0)
        {
          out->u = (guint64) v;
          return TRUE;
        }
      break;
    }
  sl_proj_error_set (err, SL_FIELD_ERROR_TYPE_MISMATCH, "field '%s': expected %s, found i64 %" G_GINT64_FORMAT,
                     requested, sl_scalar_type_name (type), v);
  return FALSE;
}

static gboolean
from_f64 (double v, SlScalarType type, const char *requested, SlScalar *out, SlProjError *err)
{
  out->type = type;
  switch (type)
    {
    case SL_SCALAR_F64: out->f = v; return TRUE;
    case SL_SCALAR_BOOL: out->b = v != 0.0; return TRUE;
    case SL_SCALAR_U64:
      if (isfinite (v) && v >= 0 && v == floor (v) && v < 18446744073709551616.0)
        {
          out->u = (guint64) v;
          return TRUE;
        }
      break;
    case SL_SCALAR_I64:
      if (isfinite (v) && v == floor (v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0)
        {
          out->i = (gint64) v;
          return TRUE;
        }
      break;
    }
  sl_proj_error_set (err, SL_FIELD_ERROR_TYPE_MISMATCH, "field '%s': expected %s, found f64 %g",
                     requested, sl_scalar_type_name (type), v);
  return FALSE;
}

/* ---- SchedulerGone ------------------------------------------------------- */

guint
sl_run_first_gone_sample (const SlRun *run, const SlSchedExit **exit_out)
{
  guint first = G_MAXUINT;
  const SlSchedExit *which = NULL;

  g_return_val_if_fail (run != NULL, G_MAXUINT);
  for (guint e = 0; run->exits && e < run->exits->len; e++)
    {
      const SlSchedExit *x = g_ptr_array_index (run->exits, e);
      guint from = G_MAXUINT;
      gboolean located = FALSE;

      /* after_tag is the last sample captured while the scheduler still ran. */
      if (x->after_tag != NULL)
        for (guint i = run->samples->len; i-- > 0;)
          {
            const SlSample *s = g_ptr_array_index (run->samples, i);

            if (g_strcmp0 (s->tag, x->after_tag) == 0)
              {
                from = i + 1;
                located = TRUE;
                break;
              }
          }
      if (!located && x->elapsed_ms.set)
        {
          for (guint i = 0; i < run->samples->len; i++)
            {
              const SlSample *s = g_ptr_array_index (run->samples, i);

              if (s->elapsed_ms.set && s->elapsed_ms.v > x->elapsed_ms.v)
                {
                  from = i;
                  break;
                }
            }
          located = TRUE;
        }
      if (!located && x->after_tag == NULL)
        from = 0;   /* the exit came before any sample */
      if (from < first)
        {
          first = from;
          which = x;
        }
    }
  if (exit_out)
    *exit_out = which;
  return first;
}

static char *
describe_exit (const SlSchedExit *x)
{
  g_autofree char *when = x ? sl_format_elapsed (x->elapsed_ms) : NULL;

  if (x == NULL)
    return g_strdup ("the scheduler exited");
  return g_strdup_printf ("the scheduler exited (%s%s%s at %s)",
                          x->kind_name ? x->kind_name : "exit",
                          x->reason ? ": " : "", x->reason ? x->reason : "", when);
}

/* ---- host axis ------------------------------------------------------------ */

static gboolean
project_host_sample (const SlSample *s, const SlFieldSelector *sel, SlScalarType type,
                     SlScalar *out, SlProjError *err)
{
  const char *leaf = sel->leaf;

  if (sel->host_source == SL_HOST_VCPU)
    {
      g_autoptr(GString) avail = g_string_new (NULL);

      for (guint i = 0; s->vcpu_times && i < s->vcpu_times->len; i++)
        {
          const SlVcpuTime *t = &g_array_index (s->vcpu_times, SlVcpuTime, i);

          if (t->cpu == sel->cpu)
            {
              guint64 v = strcmp (leaf, "run_ns") == 0 ? t->run_ns
                        : strcmp (leaf, "wait_ns") == 0 ? t->wait_ns : t->slices;
              return from_u64 (v, type, sel->path, out, err);
            }
          if (i < SL_PROJECTION_MAX_LISTED)
            g_string_append_printf (avail, "%s%u", avail->len ? ", " : "", t->cpu);
        }
      sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                         "sample %s has no host time for vCPU %u (vCPUs measured: [%s])",
                         s->tag, sel->cpu, avail->str);
      return FALSE;
    }

  {
    const SlPerCpuTime *t = NULL;
    g_autoptr(GString) avail = g_string_new (NULL);
    gint k;

    for (guint i = 0; s->report->per_cpu_time && i < s->report->per_cpu_time->len; i++)
      {
        const SlPerCpuTime *c = &g_array_index (s->report->per_cpu_time, SlPerCpuTime, i);

        if (c->cpu == sel->cpu)
          {
            t = c;   /* first match wins (ktstr) */
            break;
          }
        if (i < SL_PROJECTION_MAX_LISTED)
          g_string_append_printf (avail, "%s%u", avail->len ? ", " : "", c->cpu);
      }
    if (t == NULL)
      {
        sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                           "sample %s has no per-CPU time for cpu %u (cpus captured: [%s])",
                           s->tag, sel->cpu, avail->str);
        return FALSE;
      }
    if (g_str_has_prefix (leaf, "softirqs."))
      {
        k = sl_name_table_find (sl_softirq_names, G_N_ELEMENTS (sl_softirq_names), leaf + 9);
        return from_u64 (t->softirqs[k], type, sel->path, out, err);
      }
    k = sl_name_table_find (sl_host_cpu_fields, SL_HOST_CPU_FIELD_COUNT, leaf);
    {
      const guint64 values[] = {
        t->cpustat_user_ns, t->cpustat_nice_ns, t->cpustat_system_ns, t->cpustat_softirq_ns,
        t->cpustat_irq_ns, t->cpustat_idle_ns, t->cpustat_iowait_ns, t->cpustat_steal_ns,
        t->irqs_sum, t->iowait_sleeptime_ns.v,
      };

      if (k == 9 && !t->iowait_sleeptime_ns.set)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                             "sample %s: iowait_sleeptime_ns of cpu %u was not measured (NO_HZ kernels only)",
                             s->tag, sel->cpu);
          return FALSE;
        }
      return from_u64 (values[k], type, sel->path, out, err);
    }
  }
}

/* ---- capture axes ----------------------------------------------------------- */

static void
project_samples (SlRun *run, const SlFieldSelector *sel, SlScalarType type, SlSeriesField *field)
{
  const SlSchedExit *gone_exit = NULL;
  guint gone_from = sl_run_first_gone_sample (run, &gone_exit);

  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = g_ptr_array_index (run->samples, i);
      SlProjError err = { SL_FIELD_ERROR_NONE, NULL };
      SlScalar value = { .type = type };
      gboolean has_phase;
      guint16 phase = 0;
      gboolean ok = FALSE;
      const char *tag = s->tag ? s->tag : "?";

      has_phase = sl_sample_phase (s, &phase);
      if (sel->axis != SL_AXIS_STATS && s->report != NULL && s->report->is_placeholder)
        sl_proj_error_set (&err, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE,
                           "sample %s is a placeholder (the capture did not land): %s", tag,
                           s->report->scx_walker_unavailable ? s->report->scx_walker_unavailable
                                                              : "placeholder report");
      else if (sel->axis != SL_AXIS_HOST && i >= gone_from)
        {
          g_autofree char *why = describe_exit (gone_exit);

          sl_proj_error_set (&err, SL_FIELD_ERROR_SCHEDULER_GONE,
                             "sample %s was taken after %s; its scheduler state is stale", tag, why);
        }
      else if (sel->axis == SL_AXIS_STATS && s->stats == NULL)
        {
          g_autofree char *why = sl_missing_stats_to_string (&s->missing_stats);

          sl_proj_error_set (&err, SL_FIELD_ERROR_MISSING_STATS, "sample %s has no scx_stats: %s", tag, why);
        }
      else if (s->report == NULL && sel->axis != SL_AXIS_STATS)
        sl_proj_error_set (&err, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE, "sample %s has no capture report", tag);
      else
        switch (sel->axis)
          {
          case SL_AXIS_BPF: ok = sl_project_bpf_sample (s, sel, type, &value, &err); break;
          case SL_AXIS_STATS: ok = sl_project_stats_sample (s, sel, type, &value, &err); break;
          case SL_AXIS_HOST: ok = project_host_sample (s, sel, type, &value, &err); break;
          case SL_AXIS_MONITOR: g_assert_not_reached ();
          }

      if (ok)
        sl_series_field_push_ok (field, tag, s->elapsed_ms, has_phase, phase, i, value);
      else
        sl_series_field_push_err (field, tag, s->elapsed_ms, has_phase, phase, i, err.kind,
                                  err.text ? err.text : "projection failed");
      g_free (err.text);
    }
}

/* ---- monitor axis -------------------------------------------------------------- */

static gboolean
run_has_step_starts (const SlRun *run)
{
  for (guint i = 0; run->stimulus && i < run->stimulus->len; i++)
    {
      const SlStimulusEvent *e = &g_array_index (run->stimulus, SlStimulusEvent, i);

      if (e->has_step_index && !e->is_step_end && !e->is_terminal)
        return TRUE;
    }
  return FALSE;
}

static gboolean
project_monitor_cpu (const SlMonitorSample *m, const char *tag, const SlFieldSelector *sel, SlScalarType type,
                     SlScalar *out, SlProjError *err)
{
  const SlCpuSnapshot *c = NULL;
  const char *leaf = sel->leaf;
  gint k;

  for (guint i = 0; m->cpus && i < m->cpus->len; i++)
    if (g_array_index (m->cpus, SlCpuSnapshot, i).cpu == sel->cpu)
      {
        c = &g_array_index (m->cpus, SlCpuSnapshot, i);
        break;
      }
  if (c == NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                         "monitor sample %s has no reading for cpu %u (%u CPUs read)", tag, sel->cpu,
                         m->cpus ? m->cpus->len : 0);
      return FALSE;
    }
  if (g_str_has_prefix (leaf, "event."))
    {
      if (!c->has_event_counters)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                             "monitor sample %s: cpu %u has no SCX event counters (no scheduler attached, "
                             "or the kernel does not expose them)", tag, sel->cpu);
          return FALSE;
        }
      k = sl_name_table_find ((const char *const *) sl_scx_event_names, SL_SCX_EVENT_COUNT, leaf + 6);
      return from_i64 (c->event_counters[k], type, sel->path, out, err);
    }
  if (g_str_has_prefix (leaf, "schedstat."))
    {
      if (!c->has_schedstat)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                             "monitor sample %s: cpu %u has no schedstat (kernel without CONFIG_SCHEDSTATS)",
                             tag, sel->cpu);
          return FALSE;
        }
      k = sl_name_table_find (sl_monitor_schedstat_names, SL_MONITOR_SCHEDSTAT_COUNT, leaf + 10);
      {
        const guint64 v[] = { c->run_delay, c->pcount, c->yld_count, c->sched_count,
                              c->sched_goidle, c->ttwu_count, c->ttwu_local };
        return from_u64 (v[k], type, sel->path, out, err);
      }
    }
  k = sl_name_table_find (sl_monitor_cpu_fields, SL_MONITOR_CPU_FIELD_COUNT, leaf);
  if (k == 5 && !c->vcpu_cpu_time_ns.set)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                         "monitor sample %s: vcpu_cpu_time_ns of cpu %u was not measured", tag, sel->cpu);
      return FALSE;
    }
  {
    const guint64 v[] = { c->nr_running, c->scx_nr_running, c->local_dsq_depth, c->rq_clock,
                          c->scx_flags, c->vcpu_cpu_time_ns.v };
    return from_u64 (v[k], type, sel->path, out, err);
  }
}

static gboolean
project_monitor_total (const SlRun *run, const SlFieldSelector *sel, SlScalarType type,
                       SlScalar *out, SlProjError *err)
{
  const SlMonitorSummary *m = run->monitor_summary;
  const char *leaf = sel->leaf;
  gint k;

  if (m == NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                         "run has no monitor summary (the host monitor did not run)");
      return FALSE;
    }
  switch (sel->monitor_source)
    {
    case SL_MONITOR_SUMMARY:
      k = sl_name_table_find (sl_monitor_summary_fields, SL_MONITOR_SUMMARY_FIELD_COUNT, leaf);
      if (k >= 7 && !m->has_schedstat_deltas)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                             "monitor summary has no schedstat deltas (kernel without CONFIG_SCHEDSTATS): "
                             "%s is not measured", leaf);
          return FALSE;
        }
      switch (k)
        {
        case 0: return from_u64 (m->total_samples, type, sel->path, out, err);
        case 1: return from_f64 (m->max_imbalance_ratio, type, sel->path, out, err);
        case 2: return from_u64 (m->max_local_dsq_depth, type, sel->path, out, err);
        case 3: return from_u64 (m->stuck_count, type, sel->path, out, err);
        case 4: return from_f64 (m->avg_imbalance_ratio, type, sel->path, out, err);
        case 5: return from_f64 (m->avg_nr_running, type, sel->path, out, err);
        case 6: return from_f64 (m->avg_local_dsq_depth, type, sel->path, out, err);
        case 7: return from_u64 (m->total_run_delay, type, sel->path, out, err);
        case 8: return from_f64 (m->run_delay_rate, type, sel->path, out, err);
        case 9: return from_u64 (m->total_pcount, type, sel->path, out, err);
        case 10: return from_u64 (m->total_sched_count, type, sel->path, out, err);
        case 11: return from_f64 (m->sched_count_rate, type, sel->path, out, err);
        case 12: return from_u64 (m->total_yld_count, type, sel->path, out, err);
        case 13: return from_u64 (m->total_sched_goidle, type, sel->path, out, err);
        case 14: return from_u64 (m->total_ttwu_count, type, sel->path, out, err);
        default: return from_u64 (m->total_ttwu_local, type, sel->path, out, err);
        }
    case SL_MONITOR_EVENTS:
    case SL_MONITOR_RATES:
      /* Absent deltas are "not measured", never zero (ktstr's scx_events() → None). */
      if (!m->has_event_deltas)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                             "monitor summary has no SCX event deltas (no monitor sample carried event "
                             "counters): %s is not measured", sel->path);
          return FALSE;
        }
      if (sel->monitor_source == SL_MONITOR_RATES)
        return from_f64 (strcmp (leaf, "select_cpu_fallback_rate") == 0 ? m->fallback_rate : m->keep_last_rate,
                         type, sel->path, out, err);
      k = sl_name_table_find (sl_monitor_event_pairs, SL_MONITOR_EVENT_PAIR_COUNT, leaf);
      if (k == 1)
        return from_i64 (m->max_fallback_burst, type, sel->path, out, err);
      return from_i64 (m->event_totals[k == 0 ? 0 : k - 1], type, sel->path, out, err);
    case SL_MONITOR_CPU:
      break;
    }
  g_assert_not_reached ();
  return FALSE;
}

static void
project_monitor (SlRun *run, const SlFieldSelector *sel, SlScalarType type, SlSeriesField *field)
{
  gboolean phased = run_has_step_starts (run);
  guint n = run->monitor_samples ? run->monitor_samples->len : 0;

  if (sel->monitor_source != SL_MONITOR_CPU)
    {
      SlProjError err = { SL_FIELD_ERROR_NONE, NULL };
      SlScalar value = { .type = type };
      SlOptU64 elapsed = SL_OPT_U64_NONE;

      if (n > 0)
        elapsed = sl_opt_u64 (sl_monitor_sample_time_ms (g_ptr_array_index (run->monitor_samples, n - 1)));
      if (project_monitor_total (run, sel, type, &value, &err))
        sl_series_field_push_ok (field, "monitor_summary", elapsed, FALSE, 0, 0, value);
      else
        sl_series_field_push_err (field, "monitor_summary", elapsed, FALSE, 0, 0, err.kind, err.text);
      g_free (err.text);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const SlMonitorSample *m = g_ptr_array_index (run->monitor_samples, i);
      SlProjError err = { SL_FIELD_ERROR_NONE, NULL };
      SlScalar value = { .type = type };
      char tag[32];
      guint16 phase = 0;

      g_snprintf (tag, sizeof tag, "monitor_%04u", i);
      /* A monitor sample stamped with the samples' clock lands in the step whose
       * stimulus window holds it. One with only the VM-start clock cannot be
       * placed (boot time separates the clocks), so it gets no phase. */
      gboolean has_phase = phased && m->workload_ms.set;
      SlOptU64 at = sl_opt_u64 (sl_monitor_sample_time_ms (m));
      if (has_phase)
        {
          SlSample probe = { 0 };

          probe.boundary_offset_ms = m->workload_ms;
          probe.elapsed_ms = m->workload_ms;
          phase = sl_run_stimulus_phase_of (run, &probe);
        }
      if (project_monitor_cpu (m, tag, sel, type, &value, &err))
        sl_series_field_push_ok (field, tag, at, has_phase, phase, i, value);
      else
        sl_series_field_push_err (field, tag, at, has_phase, phase, i, err.kind, err.text);
      g_free (err.text);
    }
}

SlSeriesField *
sl_project (SlRun *run, const SlFieldSelector *sel, SlScalarType type, GError **error)
{
  g_autofree char *label = NULL;
  SlSeriesField *field;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (sel != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((guint) type > SL_SCALAR_BOOL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FIELD, "field selector '%s': unknown scalar type %d",
                   sel->text, (int) type);
      return NULL;
    }
  label = sl_field_selector_label (sel);
  field = sl_series_field_new (label, type);
  if (sel->axis == SL_AXIS_MONITOR)
    project_monitor (run, sel, type, field);
  else if (run->samples != NULL)
    project_samples (run, sel, type, field);
  return field;
}

SlSeriesField *
sl_project_text (SlRun *run, const char *selector, SlScalarType type, GError **error)
{
  g_autoptr(SlFieldSelector) sel = NULL;

  g_return_val_if_fail (run != NULL && selector != NULL, NULL);
  sel = sl_field_selector_parse (selector, error);
  if (sel == NULL)
    return NULL;
  return sl_project (run, sel, type, error);
}
