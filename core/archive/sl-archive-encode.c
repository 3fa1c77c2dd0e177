/* sl-archive-encode.c: one record of the run model → one JSON object.
 *
 * Every optional value that is absent is omitted, never written as 0, so
 * "not measured" survives a round trip. Integers go through SlJsonWriter so
 * u64 counters above G_MAXINT64 are written exactly. */
#include "sl-archive-private.h"

#include <string.h>

/* ktstr's ScxEventDeltas keys, in the order of sl_scx_event_names. */
const char *const sl_archive_summary_event_keys[SL_SCX_EVENT_COUNT] = {
  "total_fallback",
  "total_dispatch_offline",
  "total_dispatch_keep_last",
  "total_enq_skip_exiting",
  "total_enq_skip_migration_disabled",
  "total_reenq_immed",
  "total_reenq_local_repeat",
  "total_refill_slice_dfl",
  "total_bypass_duration",
  "total_bypass_dispatch",
  "total_bypass_activate",
  "total_insert_not_owned",
  "total_sub_bypass_dispatch",
};

char *
sl_archive_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static void
begin_record (SlJsonWriter *w, const char *type)
{
  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "record");
  sl_json_writer_string (w, type);
}

static void
key_u64 (SlJsonWriter *w, const char *key, guint64 v)
{
  sl_json_writer_key (w, key);
  sl_json_writer_u64 (w, v);
}

static void
key_i64 (SlJsonWriter *w, const char *key, gint64 v)
{
  sl_json_writer_key (w, key);
  sl_json_writer_i64 (w, v);
}

static void
key_f64 (SlJsonWriter *w, const char *key, double v)
{
  sl_json_writer_key (w, key);
  sl_json_writer_f64 (w, v);
}

static void
key_bool (SlJsonWriter *w, const char *key, gboolean v)
{
  sl_json_writer_key (w, key);
  sl_json_writer_bool (w, v);
}

static void
key_opt_u64 (SlJsonWriter *w, const char *key, SlOptU64 v)
{
  if (v.set)
    key_u64 (w, key, v.v);
}

/* Strings that may be unknown: omitted when NULL. */
static void
key_opt_string (SlJsonWriter *w, const char *key, const char *s)
{
  if (s == NULL)
    return;
  sl_json_writer_key (w, key);
  sl_json_writer_string (w, s);
}

void
sl_archive_encode_header (SlJsonWriter *w, const SlRunHeader *h)
{
  g_autofree char *now = NULL;

  begin_record (w, "header");
  sl_json_writer_key (w, "format");
  sl_json_writer_string (w, SL_ARCHIVE_FORMAT);
  key_u64 (w, "version", SL_ARCHIVE_VERSION);

  sl_json_writer_key (w, "kernel");
  sl_json_writer_begin_object (w);
  key_opt_string (w, "version", h->kernel_version);
  key_opt_string (w, "source", h->kernel_source);
  key_bool (w, "sched_ext", h->kernel_has_sched_ext);
  sl_json_writer_end_object (w);

  sl_json_writer_key (w, "topology");
  sl_json_writer_begin_object (w);
  key_u64 (w, "numa_nodes", h->topology.numa_nodes);
  key_u64 (w, "llcs", h->topology.llcs);
  key_u64 (w, "cores_per_llc", h->topology.cores_per_llc);
  key_u64 (w, "threads_per_core", h->topology.threads_per_core);
  sl_json_writer_end_object (w);

  if (h->memory_mb != 0)
    key_u64 (w, "memory_mb", h->memory_mb);
  key_opt_string (w, "accel", h->accel);

  sl_json_writer_key (w, "scheduler");
  if (h->scheduler == NULL)
    sl_json_writer_null (w);
  else
    {
      sl_json_writer_begin_object (w);
      sl_json_writer_key (w, "name");
      sl_json_writer_string (w, h->scheduler);
      sl_json_writer_key (w, "args");
      sl_json_writer_begin_array (w);
      for (guint i = 0; h->scheduler_args != NULL && h->scheduler_args[i] != NULL; i++)
        sl_json_writer_string (w, h->scheduler_args[i]);
      sl_json_writer_end_array (w);
      sl_json_writer_end_object (w);
    }

  sl_json_writer_key (w, "scenario");
  sl_json_writer_begin_object (w);
  key_opt_string (w, "name", h->scenario);
  key_opt_string (w, "text", h->scenario_text);
  sl_json_writer_end_object (w);

  sl_json_writer_key (w, "capture");
  sl_json_writer_begin_object (w);
  key_u64 (w, "snapshots", h->snapshots);
  if (h->interval_ms != 0)
    key_u64 (w, "interval_ms", h->interval_ms);
  key_u64 (w, "duration_ms", h->duration_ms);
  sl_json_writer_end_object (w);

  sl_json_writer_key (w, "tool");
  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "name");
  sl_json_writer_string (w, "schedlab");
  sl_json_writer_key (w, "version");
  sl_json_writer_string (w, h->tool_version != NULL ? h->tool_version : SL_VERSION);
  sl_json_writer_end_object (w);

  if (h->created == NULL)
    now = sl_archive_now_iso8601 ();
  sl_json_writer_key (w, "created");
  sl_json_writer_string (w, h->created != NULL ? h->created : now);
  key_bool (w, "synthetic", h->synthetic);
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_stimulus (SlJsonWriter *w, const SlStimulusEvent *ev)
{
  begin_record (w, "stimulus");
  key_u64 (w, "elapsed_ms", ev->elapsed_ms);
  if (ev->has_step_index)
    key_u64 (w, "step_index", ev->step_index);
  key_bool (w, "is_step_end", ev->is_step_end);
  key_bool (w, "is_terminal", ev->is_terminal);
  key_opt_u64 (w, "total_iterations", ev->total_iterations);
  sl_json_writer_end_object (w);
}

/* args of SchedulerError / MissingResp are JSON text in the model; they are
 * embedded as JSON (re-emitted compactly, so the record stays on one line). */
static void
write_args (SlJsonWriter *w, const char *args_json)
{
  g_autoptr(JsonParser) parser = NULL;

  sl_json_writer_key (w, "args");
  if (args_json == NULL)
    {
      sl_json_writer_null (w);
      return;
    }
  parser = json_parser_new_immutable ();
  if (sl_archive_check_json_depth (args_json, strlen (args_json), 64)
      && json_parser_load_from_data (parser, args_json, -1, NULL)
      && json_parser_get_root (parser) != NULL)
    sl_json_writer_node (w, json_parser_get_root (parser));
  else
    sl_json_writer_string (w, args_json);   /* not JSON: keep the text */
}

/* ktstr's MissingStatsReason, serde externally tagged: unit variants are a
 * bare string, struct variants {"Variant":{fields}}. */
static void
write_missing_stats (SlJsonWriter *w, const SlMissingStats *m)
{
  const char *name = sl_missing_stats_kind_name (m->kind);

  switch (m->kind)
    {
    case SL_MISSING_STATS_NONE:
    case SL_MISSING_STATS_NO_SCHEDULER_BINARY:
    case SL_MISSING_STATS_DURING_FREEZE:
    case SL_MISSING_STATS_CANCELLED:
    case SL_MISSING_STATS_MUTEX_POISONED:
      sl_json_writer_string (w, name);
      return;
    case SL_MISSING_STATS_NO_SCHEDULER:
    case SL_MISSING_STATS_SCHEDULER_ERROR:
    case SL_MISSING_STATS_MISSING_RESP:
    case SL_MISSING_STATS_REQUEST_TOO_LARGE:
    case SL_MISSING_STATS_RESPONSE_TOO_LARGE:
      break;
    }

  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, name);
  sl_json_writer_begin_object (w);
  switch (m->kind)
    {
    case SL_MISSING_STATS_NO_SCHEDULER:
      sl_json_writer_key (w, "reason");
      sl_json_writer_string (w, m->reason != NULL ? m->reason : "");
      break;
    case SL_MISSING_STATS_SCHEDULER_ERROR:
      key_i64 (w, "errno", m->errno_value);
      write_args (w, m->args_json);
      break;
    case SL_MISSING_STATS_MISSING_RESP:
      write_args (w, m->args_json);
      break;
    case SL_MISSING_STATS_REQUEST_TOO_LARGE:
    case SL_MISSING_STATS_RESPONSE_TOO_LARGE:
      key_u64 (w, "size", m->size);
      key_u64 (w, "max", m->max);
      break;
    default:
      break;
    }
  sl_json_writer_end_object (w);
  sl_json_writer_end_object (w);
}

gboolean
sl_archive_encode_sample (SlJsonWriter *w, const SlSample *s, GError **error)
{
  if (s->tag == NULL || s->report == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "sample %s has no %s", s->tag != NULL ? s->tag : "(untagged)",
                   s->tag == NULL ? "tag" : "report");
      return FALSE;
    }
  if ((s->stats != NULL) == (s->missing_stats.kind != SL_MISSING_STATS_NONE))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "sample %s must have either stats or a missing-stats reason", s->tag);
      return FALSE;
    }
  if (s->stats != NULL && !JSON_NODE_HOLDS_OBJECT (s->stats))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "sample %s: stats must be a JSON object", s->tag);
      return FALSE;
    }

  begin_record (w, "sample");
  sl_json_writer_key (w, "tag");
  sl_json_writer_string (w, s->tag);
  key_opt_u64 (w, "elapsed_ms", s->elapsed_ms);
  key_opt_u64 (w, "boundary_offset_ms", s->boundary_offset_ms);
  if (s->has_step_index)
    key_u64 (w, "step_index", s->step_index);
  key_opt_u64 (w, "freeze_us", s->freeze_us);

  sl_json_writer_key (w, "report");
  sl_report_write_json (s->report, w);

  if (s->stats != NULL)
    {
      sl_json_writer_key (w, "stats");
      sl_json_writer_node (w, s->stats);
    }
  else
    {
      sl_json_writer_key (w, "stats_missing");
      write_missing_stats (w, &s->missing_stats);
    }

  if (s->vcpu_times != NULL && s->vcpu_times->len > 0)
    {
      sl_json_writer_key (w, "vcpu_times");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < s->vcpu_times->len; i++)
        {
          const SlVcpuTime *t = &g_array_index (s->vcpu_times, SlVcpuTime, i);

          sl_json_writer_begin_object (w);
          key_u64 (w, "cpu", t->cpu);
          key_i64 (w, "tid", t->tid);
          key_u64 (w, "run_ns", t->run_ns);
          key_u64 (w, "wait_ns", t->wait_ns);
          key_u64 (w, "slices", t->slices);
          sl_json_writer_end_object (w);
        }
      sl_json_writer_end_array (w);
    }
  sl_json_writer_end_object (w);
  return TRUE;
}

void
sl_archive_encode_monitor (SlJsonWriter *w, const SlMonitorSample *m)
{
  begin_record (w, "monitor");
  key_u64 (w, "elapsed_ms", m->elapsed_ms);
  key_opt_u64 (w, "workload_ms", m->workload_ms);
  sl_json_writer_key (w, "cpus");
  sl_json_writer_begin_array (w);
  for (guint i = 0; m->cpus != NULL && i < m->cpus->len; i++)
    {
      const SlCpuSnapshot *c = &g_array_index (m->cpus, SlCpuSnapshot, i);

      sl_json_writer_begin_object (w);
      key_u64 (w, "cpu", c->cpu);
      key_u64 (w, "nr_running", c->nr_running);
      key_u64 (w, "scx_nr_running", c->scx_nr_running);
      key_u64 (w, "local_dsq_depth", c->local_dsq_depth);
      key_u64 (w, "rq_clock", c->rq_clock);
      key_u64 (w, "scx_flags", c->scx_flags);
      if (c->has_event_counters)
        {
          sl_json_writer_key (w, "event_counters");
          sl_json_writer_begin_object (w);
          for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
            key_i64 (w, sl_scx_event_names[k], c->event_counters[k]);
          sl_json_writer_end_object (w);
        }
      if (c->has_schedstat)
        {
          sl_json_writer_key (w, "schedstat");
          sl_json_writer_begin_object (w);
          key_u64 (w, "run_delay", c->run_delay);
          key_u64 (w, "pcount", c->pcount);
          key_u64 (w, "yld_count", c->yld_count);
          key_u64 (w, "sched_count", c->sched_count);
          key_u64 (w, "sched_goidle", c->sched_goidle);
          key_u64 (w, "ttwu_count", c->ttwu_count);
          key_u64 (w, "ttwu_local", c->ttwu_local);
          sl_json_writer_end_object (w);
        }
      key_opt_u64 (w, "vcpu_cpu_time_ns", c->vcpu_cpu_time_ns);
      sl_json_writer_end_object (w);
    }
  sl_json_writer_end_array (w);
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_monitor_summary (SlJsonWriter *w, const SlMonitorSummary *sum)
{
  begin_record (w, "monitor_summary");
  key_u64 (w, "total_samples", sum->total_samples);
  key_f64 (w, "max_imbalance_ratio", sum->max_imbalance_ratio);
  key_u64 (w, "max_local_dsq_depth", sum->max_local_dsq_depth);
  key_u64 (w, "stuck_count", sum->stuck_count);
  key_f64 (w, "avg_imbalance_ratio", sum->avg_imbalance_ratio);
  key_f64 (w, "avg_nr_running", sum->avg_nr_running);
  key_f64 (w, "avg_local_dsq_depth", sum->avg_local_dsq_depth);
  if (sum->has_event_deltas)
    {
      sl_json_writer_key (w, "event_deltas");
      sl_json_writer_begin_object (w);
      for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
        key_i64 (w, sl_archive_summary_event_keys[k], sum->event_totals[k]);
      key_i64 (w, "max_fallback_burst", sum->max_fallback_burst);
      key_f64 (w, "fallback_rate", sum->fallback_rate);
      key_f64 (w, "keep_last_rate", sum->keep_last_rate);
      sl_json_writer_end_object (w);
    }
  if (sum->has_schedstat_deltas)
    {
      sl_json_writer_key (w, "schedstat_deltas");
      sl_json_writer_begin_object (w);
      key_u64 (w, "total_run_delay", sum->total_run_delay);
      key_f64 (w, "run_delay_rate", sum->run_delay_rate);
      key_u64 (w, "total_pcount", sum->total_pcount);
      key_u64 (w, "total_sched_count", sum->total_sched_count);
      key_f64 (w, "sched_count_rate", sum->sched_count_rate);
      key_u64 (w, "total_yld_count", sum->total_yld_count);
      key_u64 (w, "total_sched_goidle", sum->total_sched_goidle);
      key_u64 (w, "total_ttwu_count", sum->total_ttwu_count);
      key_u64 (w, "total_ttwu_local", sum->total_ttwu_local);
      sl_json_writer_end_object (w);
    }
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_sched_exit (SlJsonWriter *w, const SlSchedExit *e)
{
  begin_record (w, "sched_exit");
  key_u64 (w, "exit_kind", e->exit_kind);
  key_opt_string (w, "kind_name", e->kind_name);
  key_opt_string (w, "reason", e->reason);
  key_opt_string (w, "message", e->message);
  key_opt_u64 (w, "elapsed_ms", e->elapsed_ms);
  key_opt_string (w, "after_tag", e->after_tag);
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_cgroup (SlJsonWriter *w, const SlCgroupResult *c)
{
  begin_record (w, "cgroup");
  sl_json_writer_key (w, "name");
  sl_json_writer_string (w, c->name != NULL ? c->name : "");
  key_u64 (w, "iterations", c->iterations);
  key_u64 (w, "workers", c->workers);
  key_opt_u64 (w, "cpu_time_ns", c->cpu_time_ns);
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_log (SlJsonWriter *w, const char *line)
{
  begin_record (w, "log");
  sl_json_writer_key (w, "line");
  sl_json_writer_string (w, line != NULL ? line : "");
  sl_json_writer_end_object (w);
}

void
sl_archive_encode_footer (SlJsonWriter *w, guint64 n_samples, const char *end_reason)
{
  begin_record (w, "footer");
  key_u64 (w, "samples", n_samples);
  sl_json_writer_key (w, "end_reason");
  sl_json_writer_string (w, end_reason != NULL ? end_reason : "finished");
  sl_json_writer_end_object (w);
}
