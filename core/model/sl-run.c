/* sl-run.c: the in-memory run model: lifetime, topology text, samples,
 * missing-stats reasons, and the phase arithmetic of ktstr §6.1.
 *
 * Phases: every step index in the model (sample stamps and stimulus events)
 * is an encoded Phase value, BASELINE = 0 and Step[k] = k + 1. */
#include "sl-run.h"
#include "sl-phase.h"

#include <string.h>

/* QEMU cannot start more vCPUs than this anyway; it also bounds per-CPU data. */
#define SL_TOPOLOGY_MAX_CPUS 4096

/* ---- topology ---------------------------------------------------------- */

guint
sl_topology_n_cpus (const SlTopology *t)
{
  guint64 n;

  g_return_val_if_fail (t != NULL, 0);
  n = (guint64) t->numa_nodes * t->llcs * t->cores_per_llc * t->threads_per_core;
  return n > G_MAXUINT ? G_MAXUINT : (guint) n;
}

char *
sl_topology_to_string (const SlTopology *t)
{
  g_return_val_if_fail (t != NULL, NULL);
  return g_strdup_printf ("%un%ul%uc%ut", t->numa_nodes, t->llcs, t->cores_per_llc, t->threads_per_core);
}

static gboolean
parse_count (const char *text, gsize len, guint *out)
{
  guint64 v = 0;

  if (len == 0 || len > 5)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      v = v * 10 + (guint64) (text[i] - '0');
    }
  if (v == 0)
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

gboolean
sl_topology_parse (const char *text, SlTopology *out, GError **error)
{
  static const char letters[4] = { 'n', 'l', 'c', 't' };
  guint vals[4];
  const char *p;
  guint64 n;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (text == NULL)
    text = "";
  p = text;
  /* "1,2,4,1": numa nodes, LLCs, cores per LLC, threads per core. */
  if (strchr (text, ',') != NULL)
    {
      for (guint i = 0; i < 4; i++)
        {
          const char *end = strchr (p, ',');
          gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

          if ((i < 3) != (end != NULL) || !parse_count (p, len, &vals[i]))
            goto bad;
          p += len + (end != NULL ? 1 : 0);
        }
    }
  else
    {
      /* "1n2l4c1t" */
      for (guint i = 0; i < 4; i++)
        {
          const char *end = strchr (p, letters[i]);

          if (end == NULL || !parse_count (p, (gsize) (end - p), &vals[i]))
            goto bad;
          p = end + 1;
        }
      if (*p != '\0')
        goto bad;
    }
  n = (guint64) vals[0] * vals[1] * vals[2] * vals[3];
  if (n > SL_TOPOLOGY_MAX_CPUS)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "topology \"%s\" has %" G_GUINT64_FORMAT " CPUs (at most %u allowed)",
                   text, n, SL_TOPOLOGY_MAX_CPUS);
      return FALSE;
    }
  out->numa_nodes = vals[0];
  out->llcs = vals[1];
  out->cores_per_llc = vals[2];
  out->threads_per_core = vals[3];
  return TRUE;

bad:
  g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
               "invalid topology \"%s\": expected \"NUMA,LLCS,CORES,THREADS\" (e.g. \"1,2,4,1\") "
               "or \"<n>n<l>l<c>c<t>t\" (e.g. \"1n2l4c1t\"), every count at least 1", text);
  return FALSE;
}

/* ---- header, exits, cgroups -------------------------------------------- */

void
sl_run_header_clear (SlRunHeader *h)
{
  g_return_if_fail (h != NULL);
  g_free (h->kernel_version);
  g_free (h->kernel_source);
  g_free (h->accel);
  g_free (h->scheduler);
  g_strfreev (h->scheduler_args);
  g_free (h->scenario);
  g_free (h->scenario_text);
  g_free (h->tool_version);
  g_free (h->created);
  memset (h, 0, sizeof *h);
}

void
sl_run_header_copy (SlRunHeader *dst, const SlRunHeader *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  if (dst == src)
    return;
  *dst = *src;
  dst->kernel_version = g_strdup (src->kernel_version);
  dst->kernel_source = g_strdup (src->kernel_source);
  dst->accel = g_strdup (src->accel);
  dst->scheduler = g_strdup (src->scheduler);
  dst->scheduler_args = g_strdupv (src->scheduler_args);
  dst->scenario = g_strdup (src->scenario);
  dst->scenario_text = g_strdup (src->scenario_text);
  dst->tool_version = g_strdup (src->tool_version);
  dst->created = g_strdup (src->created);
}

void
sl_sched_exit_free (SlSchedExit *e)
{
  if (e == NULL)
    return;
  g_free (e->kind_name);
  g_free (e->reason);
  g_free (e->message);
  g_free (e->after_tag);
  g_free (e);
}

void
sl_cgroup_result_free (SlCgroupResult *c)
{
  if (c == NULL)
    return;
  g_free (c->name);
  g_free (c);
}

/* ---- run lifetime ------------------------------------------------------ */

SlRun *
sl_run_new (void)
{
  SlRun *run = g_new0 (SlRun, 1);

  run->ref_count = 1;
  run->stimulus = g_array_new (FALSE, FALSE, sizeof (SlStimulusEvent));
  run->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_sample_free);
  run->monitor_samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  run->exits = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_sched_exit_free);
  run->cgroups = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_cgroup_result_free);
  run->log = g_ptr_array_new_with_free_func (g_free);
  return run;
}

SlRun *
sl_run_ref (SlRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_atomic_int_inc (&run->ref_count);
  return run;
}

void
sl_run_unref (SlRun *run)
{
  if (run == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&run->ref_count))
    return;
  sl_run_header_clear (&run->header);
  g_array_unref (run->stimulus);
  g_ptr_array_unref (run->samples);
  g_ptr_array_unref (run->monitor_samples);
  g_free (run->monitor_summary);
  g_ptr_array_unref (run->exits);
  g_ptr_array_unref (run->cgroups);
  g_ptr_array_unref (run->log);
  g_free (run->incomplete_reason);
  g_free (run->end_reason);
  g_free (run);
}

/* ---- samples ----------------------------------------------------------- */

SlSample *
sl_sample_new (const char *tag)
{
  SlSample *s = g_new0 (SlSample, 1);

  s->tag = g_strdup (tag != NULL ? tag : "");
  s->report = sl_report_new ();
  /* ktstr: a sample whose stats slot was never filled reads as NoSchedulerBinary. */
  s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
  s->vcpu_times = g_array_new (FALSE, FALSE, sizeof (SlVcpuTime));
  return s;
}

void
sl_sample_free (SlSample *s)
{
  if (s == NULL)
    return;
  g_free (s->tag);
  sl_report_free (s->report);
  if (s->stats != NULL)
    json_node_unref (s->stats);
  g_free (s->missing_stats.reason);
  g_free (s->missing_stats.args_json);
  if (s->vcpu_times != NULL)
    g_array_unref (s->vcpu_times);
  g_free (s);
}

gboolean
sl_tag_is_strict_periodic (const char *tag)
{
  if (tag == NULL || !g_str_has_prefix (tag, "periodic_"))
    return FALSE;
  tag += strlen ("periodic_");
  return g_ascii_isdigit (tag[0]) && g_ascii_isdigit (tag[1]) && g_ascii_isdigit (tag[2])
         && tag[3] == '\0';
}

const char *const sl_scx_event_names[SL_SCX_EVENT_COUNT] = {
  "select_cpu_fallback",
  "dispatch_local_dsq_offline",
  "dispatch_keep_last",
  "enq_skip_exiting",
  "enq_skip_migration_disabled",
  "reenq_immed",
  "reenq_local_repeat",
  "refill_slice_dfl",
  "bypass_duration",
  "bypass_dispatch",
  "bypass_activate",
  "insert_not_owned",
  "sub_bypass_dispatch",
};

void
sl_monitor_sample_free (SlMonitorSample *m)
{
  if (m == NULL)
    return;
  if (m->cpus != NULL)
    g_array_unref (m->cpus);
  g_free (m);
}

void
sl_scheduler_label (const char *scheduler, const char *const *args, char **out_label, GStrv *out_args)
{
  g_autofree char *base = scheduler ? g_path_get_basename (scheduler) : NULL;

  g_return_if_fail (out_label != NULL && out_args != NULL);
  if (base != NULL && strcmp (base, "sl-sched") == 0 && args != NULL
      && args[0] != NULL && strcmp (args[0], "--scheduler") == 0 && args[1] != NULL && args[1][0] != '\0')
    {
      *out_label = g_strdup (args[1]);
      *out_args = g_strdupv ((char **) args + 2);
      return;
    }
  *out_label = g_strdup (scheduler);
  *out_args = args ? g_strdupv ((char **) args) : g_new0 (char *, 1);
}

guint64
sl_monitor_sample_time_ms (const SlMonitorSample *m)
{
  g_return_val_if_fail (m != NULL, 0);
  return m->workload_ms.set ? m->workload_ms.v : m->elapsed_ms;
}

/* ---- missing stats ----------------------------------------------------- */

const char *
sl_missing_stats_kind_name (SlMissingStatsKind kind)
{
  switch (kind)
    {
    case SL_MISSING_STATS_NONE: return "None";
    case SL_MISSING_STATS_NO_SCHEDULER_BINARY: return "NoSchedulerBinary";
    case SL_MISSING_STATS_NO_SCHEDULER: return "NoScheduler";
    case SL_MISSING_STATS_DURING_FREEZE: return "DuringFreeze";
    case SL_MISSING_STATS_CANCELLED: return "Cancelled";
    case SL_MISSING_STATS_SCHEDULER_ERROR: return "SchedulerError";
    case SL_MISSING_STATS_MISSING_RESP: return "MissingResp";
    case SL_MISSING_STATS_REQUEST_TOO_LARGE: return "RequestTooLarge";
    case SL_MISSING_STATS_RESPONSE_TOO_LARGE: return "ResponseTooLarge";
    case SL_MISSING_STATS_MUTEX_POISONED: return "MutexPoisoned";
    }
  return "Unknown";
}

char *
sl_missing_stats_to_string (const SlMissingStats *m)
{
  g_return_val_if_fail (m != NULL, NULL);
  switch (m->kind)
    {
    case SL_MISSING_STATS_NONE:
      return g_strdup ("stats present");
    case SL_MISSING_STATS_NO_SCHEDULER_BINARY:
      return g_strdup ("no scheduler stats client (the run has no scheduler binary)");
    case SL_MISSING_STATS_NO_SCHEDULER:
      return g_strdup_printf ("scheduler stats unreachable: %s", m->reason != NULL ? m->reason : "unknown reason");
    case SL_MISSING_STATS_DURING_FREEZE:
      return g_strdup ("stats request overlapped a VM freeze");
    case SL_MISSING_STATS_CANCELLED:
      return g_strdup ("stats request cancelled (watchdog or shutdown)");
    case SL_MISSING_STATS_SCHEDULER_ERROR:
      return g_strdup_printf ("scheduler answered the stats request with errno %" G_GINT64_FORMAT " (args %s)",
                              m->errno_value, m->args_json != NULL ? m->args_json : "null");
    case SL_MISSING_STATS_MISSING_RESP:
      return g_strdup_printf ("scheduler reply had no \"resp\" (args %s)",
                              m->args_json != NULL ? m->args_json : "null");
    case SL_MISSING_STATS_REQUEST_TOO_LARGE:
      return g_strdup_printf ("stats request too large: %" G_GUINT64_FORMAT " bytes (max %" G_GUINT64_FORMAT ")",
                              m->size, m->max);
    case SL_MISSING_STATS_RESPONSE_TOO_LARGE:
      return g_strdup_printf ("stats response too large: %" G_GUINT64_FORMAT " bytes (max %" G_GUINT64_FORMAT ")",
                              m->size, m->max);
    case SL_MISSING_STATS_MUTEX_POISONED:
      return g_strdup ("stats client lock poisoned");
    }
  return g_strdup ("unknown missing-stats reason");
}

/* ---- phases ------------------------------------------------------------ */

gboolean
sl_sample_phase (const SlSample *s, guint16 *phase)
{
  g_return_val_if_fail (s != NULL, FALSE);
  if (!s->has_step_index)
    return FALSE;
  if (phase != NULL)
    *phase = s->step_index;
  return TRUE;
}

static gboolean
is_step_start (const SlStimulusEvent *ev)
{
  return ev->has_step_index && !ev->is_step_end && !ev->is_terminal;
}

static gboolean
run_has_step_starts (const SlRun *run)
{
  for (guint i = 0; i < run->stimulus->len; i++)
    if (is_step_start (&g_array_index (run->stimulus, SlStimulusEvent, i)))
      return TRUE;
  return FALSE;
}

/* The time a sample describes: its scheduled boundary offset, else elapsed. */
static gboolean
sample_time (const SlSample *s, guint64 *ms)
{
  if (s->boundary_offset_ms.set)
    *ms = s->boundary_offset_ms.v;
  else if (s->elapsed_ms.set)
    *ms = s->elapsed_ms.v;
  else
    return FALSE;
  return TRUE;
}

guint16
sl_run_stimulus_phase_of (const SlRun *run, const SlSample *s)
{
  gboolean found = FALSE;
  guint64 best_ms = 0;
  guint16 best = SL_PHASE_BASELINE;

  g_return_val_if_fail (run != NULL && s != NULL, SL_PHASE_BASELINE);
  if (!s->boundary_offset_ms.set)
    return s->has_step_index ? s->step_index : SL_PHASE_BASELINE;
  /* Latest step start at or before the offset; ties go to the later event. */
  for (guint i = 0; i < run->stimulus->len; i++)
    {
      const SlStimulusEvent *ev = &g_array_index (run->stimulus, SlStimulusEvent, i);

      if (!is_step_start (ev) || ev->elapsed_ms > s->boundary_offset_ms.v)
        continue;
      if (!found || ev->elapsed_ms >= best_ms)
        {
          found = TRUE;
          best_ms = ev->elapsed_ms;
          best = ev->step_index;
        }
    }
  return best;
}

/* The phase a sample is grouped under when no stimulus window exists for
 * it: by stimulus when the run has step starts, else by its stamp. */
static guint16
grouping_phase (const SlRun *run, gboolean has_starts, const SlSample *s)
{
  if (has_starts)
    return sl_run_stimulus_phase_of (run, s);
  return s->has_step_index ? s->step_index : SL_PHASE_BASELINE;
}

GArray *
sl_run_phases (const SlRun *run)
{
  /* One bit per possible phase: sorted and unique for free. */
  g_autofree guint32 *seen = g_new0 (guint32, (G_MAXUINT16 + 1) / 32);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint16));
  gboolean has_starts;

  g_return_val_if_fail (run != NULL, out);
  has_starts = run_has_step_starts (run);
#define MARK(p) (seen[(p) / 32] |= 1u << ((p) % 32))
  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = g_ptr_array_index (run->samples, i);

      if (s->has_step_index)
        MARK (s->step_index);
      if (has_starts)
        MARK (sl_run_stimulus_phase_of (run, s));
    }
  for (guint i = 0; i < run->stimulus->len; i++)
    {
      const SlStimulusEvent *ev = &g_array_index (run->stimulus, SlStimulusEvent, i);

      if (ev->has_step_index && !ev->is_terminal)
        MARK (ev->step_index);
    }
#undef MARK
  for (guint w = 0; w < (G_MAXUINT16 + 1) / 32; w++)
    for (guint b = 0; seen[w] != 0 && b < 32; b++)
      if (seen[w] & (1u << b))
        {
          guint16 p = (guint16) (w * 32 + b);

          g_array_append_val (out, p);
        }
  return out;
}

/* Range from the stimulus timeline: a phase starts at its first StepStart
 * (BASELINE at 0 when it has none) and ends at its StepEnd, else at the next
 * event that starts another phase or ends the scenario. */
static gboolean
stimulus_range (const SlRun *run, guint16 phase, guint64 *start_ms, gboolean *has_end, guint64 *end_ms)
{
  GArray *st = run->stimulus;
  gboolean found = FALSE;
  guint start_idx = 0;

  for (guint i = 0; i < st->len; i++)
    {
      const SlStimulusEvent *ev = &g_array_index (st, SlStimulusEvent, i);

      if (is_step_start (ev) && ev->step_index == phase)
        {
          found = TRUE;
          start_idx = i + 1;
          *start_ms = ev->elapsed_ms;
          break;
        }
    }
  if (!found)
    {
      if (phase != SL_PHASE_BASELINE)
        return FALSE;
      /* BASELINE runs from 0 to the first step start. */
      *start_ms = 0;
      start_idx = 0;
    }
  *has_end = FALSE;
  for (guint i = start_idx; i < st->len; i++)
    {
      const SlStimulusEvent *ev = &g_array_index (st, SlStimulusEvent, i);

      if (ev->elapsed_ms < *start_ms)
        continue;
      if ((ev->is_step_end && ev->has_step_index && ev->step_index == phase)
          || ev->is_terminal || (is_step_start (ev) && ev->step_index != phase))
        {
          *has_end = TRUE;
          *end_ms = ev->elapsed_ms;
          break;
        }
    }
  if (!found && (!*has_end || *end_ms == 0))
    return FALSE;   /* no BASELINE window before a step that starts at 0 */
  return TRUE;
}

gboolean
sl_run_phase_range (const SlRun *run, guint16 phase, guint64 *start_ms, guint64 *end_ms)
{
  gboolean has_starts, any = FALSE, stim = FALSE, has_end = FALSE;
  guint64 lo = G_MAXUINT64, hi = 0, s_start = 0, s_end = 0;

  g_return_val_if_fail (run != NULL, FALSE);
  has_starts = run_has_step_starts (run);
  if (has_starts)
    stim = stimulus_range (run, phase, &s_start, &has_end, &s_end);

  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = g_ptr_array_index (run->samples, i);
      guint64 ms;

      if (grouping_phase (run, has_starts, s) != phase || !sample_time (s, &ms))
        continue;
      any = TRUE;
      lo = MIN (lo, ms);
      hi = MAX (hi, ms);
    }

  if (stim)
    {
      /* An open-ended last phase lasts until its last sample. */
      if (!has_end)
        s_end = any ? MAX (s_start, hi) : s_start;
      if (start_ms != NULL)
        *start_ms = s_start;
      if (end_ms != NULL)
        *end_ms = s_end;
      return TRUE;
    }
  if (!any)
    return FALSE;
  if (start_ms != NULL)
    *start_ms = lo;
  if (end_ms != NULL)
    *end_ms = hi;
  return TRUE;
}
