/* sl-archive-decode.c: one archive line → the run model.
 *
 * The one record parser of the archive: the file reader, the in-memory reader
 * and the live tail all come through sl_archive_decode_line. Input is
 * untrusted: types are checked key by key, counts are bounded, and every
 * error names the record number, its byte offset and the key. Unknown keys
 * and unknown record types are ignored (forward compatibility within a
 * format version). */
#include "sl-archive-private.h"
#include "sl-archive-fields.h"

#include <string.h>

static gboolean
decode_header (SlArchiveCtx *c, JsonObject *o, SlRunHeader *h)
{
  g_autofree char *format = NULL;
  JsonObject *kernel, *topo, *scenario, *capture, *tool;
  JsonNode *sched;
  guint64 version = 0, v = 0;

  /* Format and version first: a newer version may have changed the rest. */
  if (!sl_archive_get_string (c, o, "header", "format", TRUE, &format))
    return FALSE;
  if (strcmp (format, SL_ARCHIVE_FORMAT) != 0)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "header.format is \"%s\", not \"" SL_ARCHIVE_FORMAT "\"", format);
  if (!sl_archive_req_u64 (c, o, "header", "version", &version))
    return FALSE;
  if (version > SL_ARCHIVE_VERSION)
    return sl_archive_fail (c, SL_ERROR_VERSION,
                 "archive format version %" G_GUINT64_FORMAT " is newer than this build reads (version %d); "
                 "open it with a newer Schedlab", version, SL_ARCHIVE_VERSION);
  if (version == 0)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "header.version 0 does not exist");

  if (!sl_archive_get_object (c, o, "header", "kernel", TRUE, &kernel)
      || !sl_archive_get_string (c, kernel, "header.kernel", "version", FALSE, &h->kernel_version)
      || !sl_archive_get_string (c, kernel, "header.kernel", "source", FALSE, &h->kernel_source)
      || !sl_archive_req_bool (c, kernel, "header.kernel", "sched_ext", &h->kernel_has_sched_ext))
    return FALSE;

  if (!sl_archive_get_object (c, o, "header", "topology", TRUE, &topo))
    return FALSE;
  {
    guint32 t[4];
    static const char *const keys[4] = { "numa_nodes", "llcs", "cores_per_llc", "threads_per_core" };

    for (guint i = 0; i < 4; i++)
      if (!sl_archive_req_u32 (c, topo, "header.topology", keys[i], &t[i]))
        return FALSE;
    h->topology = (SlTopology) { t[0], t[1], t[2], t[3] };
  }

  {
    gboolean present;

    if (!sl_archive_get_u64 (c, o, "header", "memory_mb", FALSE, G_MAXUINT32, &present, &v))
      return FALSE;
    h->memory_mb = present ? (guint) v : 0;
  }
  if (!sl_archive_get_string (c, o, "header", "accel", FALSE, &h->accel))
    return FALSE;

  sched = sl_archive_member (o, "scheduler");
  if (sched == NULL)
    return sl_archive_missing (c, "header", "scheduler");
  if (JSON_NODE_HOLDS_OBJECT (sched))
    {
      JsonObject *so = json_node_get_object (sched);
      JsonArray *args;
      guint n;

      if (!sl_archive_get_string (c, so, "header.scheduler", "name", TRUE, &h->scheduler)
          || !sl_archive_get_array (c, so, "header.scheduler", "args", TRUE, 65536, &args))
        return FALSE;
      n = json_array_get_length (args);
      h->scheduler_args = g_new0 (char *, n + 1);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *a = json_array_get_element (args, i);

          if (!JSON_NODE_HOLDS_VALUE (a) || json_node_get_value_type (a) != G_TYPE_STRING)
            return sl_archive_fail (c, SL_ERROR_CORRUPT, "header.scheduler.args[%u]: expected a string, found %s",
                         i, sl_archive_node_kind (a));
          h->scheduler_args[i] = g_strdup (json_node_get_string (a));
        }
    }
  else if (!JSON_NODE_HOLDS_NULL (sched))
    return sl_archive_fail (c, SL_ERROR_CORRUPT,
                            "header.scheduler: expected an object or null, found %s", sl_archive_node_kind (sched));

  if (!sl_archive_get_object (c, o, "header", "scenario", TRUE, &scenario)
      || !sl_archive_get_string (c, scenario, "header.scenario", "name", FALSE, &h->scenario)
      || !sl_archive_get_string (c, scenario, "header.scenario", "text", FALSE, &h->scenario_text))
    return FALSE;

  if (!sl_archive_get_object (c, o, "header", "capture", TRUE, &capture))
    return FALSE;
  {
    gboolean present;
    guint32 snaps;

    if (!sl_archive_req_u32 (c, capture, "header.capture", "snapshots", &snaps)
        || !sl_archive_get_u64 (c, capture, "header.capture", "interval_ms", FALSE, G_MAXUINT32, &present, &v))
      return FALSE;
    h->snapshots = snaps;
    h->interval_ms = present ? (guint) v : 0;
    if (!sl_archive_req_u64 (c, capture, "header.capture", "duration_ms", &h->duration_ms))
      return FALSE;
  }

  if (!sl_archive_get_object (c, o, "header", "tool", TRUE, &tool)
      || !sl_archive_get_string (c, tool, "header.tool", "version", FALSE, &h->tool_version)
      || !sl_archive_get_string (c, o, "header", "created", TRUE, &h->created)
      || !sl_archive_req_bool (c, o, "header", "synthetic", &h->synthetic))
    return FALSE;
  return TRUE;
}

/* ---- stimulus ---- */

static gboolean
decode_stimulus (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  SlStimulusEvent ev = { 0 };

  if (run->stimulus->len >= SL_ARCHIVE_MAX_STIMULUS)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d stimulus events", SL_ARCHIVE_MAX_STIMULUS);
  if (!sl_archive_req_u64 (c, o, "stimulus", "elapsed_ms", &ev.elapsed_ms)
      || !sl_archive_opt_u16 (c, o, "stimulus", "step_index", &ev.has_step_index, &ev.step_index)
      || !sl_archive_req_bool (c, o, "stimulus", "is_step_end", &ev.is_step_end)
      || !sl_archive_req_bool (c, o, "stimulus", "is_terminal", &ev.is_terminal)
      || !sl_archive_opt_u64 (c, o, "stimulus", "total_iterations", &ev.total_iterations))
    return FALSE;
  g_array_append_val (run->stimulus, ev);
  return TRUE;
}

/* ---- sample ---- */

/* args of SchedulerError / MissingResp: any JSON, kept as compact text. */
static char *
node_to_text (JsonNode *n)
{
  g_autoptr(SlJsonWriter) w = NULL;

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  w = sl_json_writer_new ();
  sl_json_writer_node (w, n);
  return sl_json_writer_steal (w, NULL);
}

gboolean
sl_archive_decode_missing_stats (JsonNode *node, SlMissingStats *out, const char *where, GError **error)
{
  SlArchiveCtx ctx = { where, error }, *c = &ctx;
  const char *name = NULL;
  JsonObject *fields = NULL;
  SlMissingStatsKind kind = SL_MISSING_STATS_NONE;
  const char *path = "sample.stats_missing";

  memset (out, 0, sizeof *out);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    name = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) == 1)
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (o);
      JsonNode *inner;

      name = names->data;
      inner = json_object_get_member (o, name);
      if (!JSON_NODE_HOLDS_OBJECT (inner))
        return sl_archive_fail (c, SL_ERROR_CORRUPT,
                                "%s.%s: expected an object, found %s", path, name, sl_archive_node_kind (inner));
      fields = json_node_get_object (inner);
    }
  else
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "%s: expected a variant name or a one-key object, found %s",
                 path, sl_archive_node_kind (node));

  for (int k = SL_MISSING_STATS_NO_SCHEDULER_BINARY; k <= SL_MISSING_STATS_MUTEX_POISONED; k++)
    if (strcmp (name, sl_missing_stats_kind_name ((SlMissingStatsKind) k)) == 0)
      kind = (SlMissingStatsKind) k;

  if (kind == SL_MISSING_STATS_NONE)
    {
      /* A reason a newer ktstr added: keep it readable as ktstr's catch-all. */
      out->kind = SL_MISSING_STATS_NO_SCHEDULER;
      out->reason = g_strdup_printf ("unrecognised missing-stats reason \"%s\"", name);
      return TRUE;
    }

  out->kind = kind;
  switch (kind)
    {
    case SL_MISSING_STATS_NO_SCHEDULER:
    case SL_MISSING_STATS_SCHEDULER_ERROR:
    case SL_MISSING_STATS_MISSING_RESP:
    case SL_MISSING_STATS_REQUEST_TOO_LARGE:
    case SL_MISSING_STATS_RESPONSE_TOO_LARGE:
      if (fields == NULL)
        return sl_archive_fail (c, SL_ERROR_CORRUPT, "%s: %s needs its fields ({\"%s\":{...}})", path, name, name);
      break;
    default:
      return TRUE;   /* unit variants; fields, if any, are ignored */
    }

  {
    g_autofree char *sub = g_strdup_printf ("%s.%s", path, name);

    switch (kind)
      {
      case SL_MISSING_STATS_NO_SCHEDULER:
        return sl_archive_get_string (c, fields, sub, "reason", TRUE, &out->reason);
      case SL_MISSING_STATS_SCHEDULER_ERROR:
        if (!sl_archive_req_i64 (c, fields, sub, "errno", &out->errno_value))
          return FALSE;
        out->args_json = node_to_text (sl_archive_member (fields, "args"));
        return TRUE;
      case SL_MISSING_STATS_MISSING_RESP:
        out->args_json = node_to_text (sl_archive_member (fields, "args"));
        return TRUE;
      default:
        return sl_archive_req_u64 (c, fields, sub, "size", &out->size)
               && sl_archive_req_u64 (c, fields, sub, "max", &out->max);
      }
  }
}

static gboolean
decode_vcpu_times (SlArchiveCtx *c, JsonArray *a, GArray *out)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *path = g_strdup_printf ("sample.vcpu_times[%u]", i);
      SlVcpuTime t = { 0 };
      JsonObject *o;
      gint64 tid = 0;

      if (!sl_archive_array_object (c, a, i, "sample.vcpu_times", &o)
          || !sl_archive_req_u32 (c, o, path, "cpu", &t.cpu)
          || !sl_archive_req_i64 (c, o, path, "tid", &tid)
          || !sl_archive_req_u64 (c, o, path, "run_ns", &t.run_ns)
          || !sl_archive_req_u64 (c, o, path, "wait_ns", &t.wait_ns)
          || !sl_archive_req_u64 (c, o, path, "slices", &t.slices))
        return FALSE;
      if (tid < G_MININT32 || tid > G_MAXINT32)
        return sl_archive_fail (c, SL_ERROR_CORRUPT, "%s.tid: %" G_GINT64_FORMAT " is out of range", path, tid);
      t.tid = (gint32) tid;
      g_array_append_val (out, t);
    }
  return TRUE;
}

static gboolean
decode_sample (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  g_autoptr(SlSample) s = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *report_where = NULL;
  JsonNode *report, *stats, *missing_node;
  JsonArray *vcpus;
  SlReport *r;

  if (run->samples->len >= SL_ARCHIVE_MAX_SAMPLES)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d samples", SL_ARCHIVE_MAX_SAMPLES);
  if (!sl_archive_get_string (c, o, "sample", "tag", TRUE, &tag))
    return FALSE;
  s = sl_sample_new (tag);
  if (!sl_archive_opt_u64 (c, o, "sample", "elapsed_ms", &s->elapsed_ms)
      || !sl_archive_opt_u64 (c, o, "sample", "boundary_offset_ms", &s->boundary_offset_ms)
      || !sl_archive_opt_u16 (c, o, "sample", "step_index", &s->has_step_index, &s->step_index)
      || !sl_archive_opt_u64 (c, o, "sample", "freeze_us", &s->freeze_us))
    return FALSE;

  report = sl_archive_member (o, "report");
  if (report == NULL)
    return sl_archive_missing (c, "sample", "report");
  report_where = g_strdup_printf ("%s: sample.report", c->where);
  r = sl_report_from_json (report, report_where, c->error);
  if (r == NULL)
    return FALSE;
  sl_report_free (s->report);
  s->report = r;

  stats = sl_archive_member (o, "stats");
  missing_node = sl_archive_member (o, "stats_missing");
  if ((stats == NULL) == (missing_node == NULL))
    return sl_archive_fail (c, SL_ERROR_CORRUPT,
                            "sample: exactly one of \"stats\" and \"stats_missing\" must be present");
  if (stats != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (stats))
        return sl_archive_fail (c, SL_ERROR_CORRUPT,
                                "sample.stats: expected an object, found %s", sl_archive_node_kind (stats));
      s->stats = json_node_copy (stats);
      s->missing_stats.kind = SL_MISSING_STATS_NONE;
    }
  /* A fresh sample's reason holds no strings, so it can be overwritten. */
  else if (!sl_archive_decode_missing_stats (missing_node, &s->missing_stats, c->where, c->error))
    return FALSE;

  if (!sl_archive_get_array (c, o, "sample", "vcpu_times", FALSE, SL_ARCHIVE_MAX_CPUS, &vcpus))
    return FALSE;
  if (s->vcpu_times == NULL)
    s->vcpu_times = g_array_new (FALSE, FALSE, sizeof (SlVcpuTime));
  if (vcpus != NULL && !decode_vcpu_times (c, vcpus, s->vcpu_times))
    return FALSE;

  g_ptr_array_add (run->samples, g_steal_pointer (&s));
  return TRUE;
}

/* ---- monitor ---- */

static gboolean
decode_cpu_snapshot (SlArchiveCtx *c, JsonObject *o, const char *path, SlCpuSnapshot *cpu)
{
  JsonObject *ev, *ss;

  if (!sl_archive_req_u32 (c, o, path, "cpu", &cpu->cpu)
      || !sl_archive_req_u64 (c, o, path, "nr_running", &cpu->nr_running)
      || !sl_archive_req_u64 (c, o, path, "scx_nr_running", &cpu->scx_nr_running)
      || !sl_archive_req_u64 (c, o, path, "local_dsq_depth", &cpu->local_dsq_depth)
      || !sl_archive_req_u64 (c, o, path, "rq_clock", &cpu->rq_clock)
      || !sl_archive_req_u64 (c, o, path, "scx_flags", &cpu->scx_flags)
      || !sl_archive_opt_u64 (c, o, path, "vcpu_cpu_time_ns", &cpu->vcpu_cpu_time_ns)
      || !sl_archive_get_object (c, o, path, "event_counters", FALSE, &ev)
      || !sl_archive_get_object (c, o, path, "schedstat", FALSE, &ss))
    return FALSE;

  if (ev != NULL)
    {
      g_autofree char *sub = g_strdup_printf ("%s.event_counters", path);

      cpu->has_event_counters = TRUE;
      for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
        if (!sl_archive_req_i64 (c, ev, sub, sl_scx_event_names[k], &cpu->event_counters[k]))
          return FALSE;
    }
  if (ss != NULL)
    {
      g_autofree char *sub = g_strdup_printf ("%s.schedstat", path);

      cpu->has_schedstat = TRUE;
      if (!sl_archive_req_u64 (c, ss, sub, "run_delay", &cpu->run_delay)
          || !sl_archive_req_u64 (c, ss, sub, "pcount", &cpu->pcount)
          || !sl_archive_req_u64 (c, ss, sub, "yld_count", &cpu->yld_count)
          || !sl_archive_req_u64 (c, ss, sub, "sched_count", &cpu->sched_count)
          || !sl_archive_req_u64 (c, ss, sub, "sched_goidle", &cpu->sched_goidle)
          || !sl_archive_req_u64 (c, ss, sub, "ttwu_count", &cpu->ttwu_count)
          || !sl_archive_req_u64 (c, ss, sub, "ttwu_local", &cpu->ttwu_local))
        return FALSE;
    }
  return TRUE;
}

static gboolean
decode_monitor (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  SlMonitorSample *m;
  JsonArray *cpus;
  guint64 elapsed = 0;
  SlOptU64 workload = SL_OPT_U64_NONE;

  if (run->monitor_samples->len >= SL_ARCHIVE_MAX_MONITOR_SAMPLES)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d monitor samples", SL_ARCHIVE_MAX_MONITOR_SAMPLES);
  if (!sl_archive_req_u64 (c, o, "monitor", "elapsed_ms", &elapsed)
      || !sl_archive_opt_u64 (c, o, "monitor", "workload_ms", &workload)
      || !sl_archive_get_array (c, o, "monitor", "cpus", TRUE, SL_ARCHIVE_MAX_CPUS, &cpus))
    return FALSE;

  m = g_new0 (SlMonitorSample, 1);
  m->elapsed_ms = elapsed;
  m->workload_ms = workload;
  m->cpus = g_array_sized_new (FALSE, TRUE, sizeof (SlCpuSnapshot), json_array_get_length (cpus));
  for (guint i = 0; i < json_array_get_length (cpus); i++)
    {
      g_autofree char *path = g_strdup_printf ("monitor.cpus[%u]", i);
      SlCpuSnapshot cpu = { 0 };
      JsonObject *co;

      if (!sl_archive_array_object (c, cpus, i, "monitor.cpus", &co)
          || !decode_cpu_snapshot (c, co, path, &cpu))
        {
          sl_monitor_sample_free (m);
          return FALSE;
        }
      g_array_append_val (m->cpus, cpu);
    }
  g_ptr_array_add (run->monitor_samples, m);
  return TRUE;
}

static gboolean
decode_monitor_summary (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  g_autofree SlMonitorSummary *sum = g_new0 (SlMonitorSummary, 1);
  const char *p = "monitor_summary";
  JsonObject *ev, *ss;

  if (!sl_archive_req_u64 (c, o, p, "total_samples", &sum->total_samples)
      || !sl_archive_req_f64 (c, o, p, "max_imbalance_ratio", &sum->max_imbalance_ratio)
      || !sl_archive_req_u64 (c, o, p, "max_local_dsq_depth", &sum->max_local_dsq_depth)
      || !sl_archive_req_u64 (c, o, p, "stuck_count", &sum->stuck_count)
      || !sl_archive_req_f64 (c, o, p, "avg_imbalance_ratio", &sum->avg_imbalance_ratio)
      || !sl_archive_req_f64 (c, o, p, "avg_nr_running", &sum->avg_nr_running)
      || !sl_archive_req_f64 (c, o, p, "avg_local_dsq_depth", &sum->avg_local_dsq_depth)
      || !sl_archive_get_object (c, o, p, "event_deltas", FALSE, &ev)
      || !sl_archive_get_object (c, o, p, "schedstat_deltas", FALSE, &ss))
    return FALSE;
  if (ev != NULL)
    {
      const char *q = "monitor_summary.event_deltas";

      sum->has_event_deltas = TRUE;
      for (guint k = 0; k < SL_SCX_EVENT_COUNT; k++)
        if (!sl_archive_req_i64 (c, ev, q, sl_archive_summary_event_keys[k], &sum->event_totals[k]))
          return FALSE;
      if (!sl_archive_req_i64 (c, ev, q, "max_fallback_burst", &sum->max_fallback_burst)
          || !sl_archive_req_f64 (c, ev, q, "fallback_rate", &sum->fallback_rate)
          || !sl_archive_req_f64 (c, ev, q, "keep_last_rate", &sum->keep_last_rate))
        return FALSE;
    }
  if (ss != NULL)
    {
      const char *q = "monitor_summary.schedstat_deltas";

      sum->has_schedstat_deltas = TRUE;
      if (!sl_archive_req_u64 (c, ss, q, "total_run_delay", &sum->total_run_delay)
          || !sl_archive_req_f64 (c, ss, q, "run_delay_rate", &sum->run_delay_rate)
          || !sl_archive_req_u64 (c, ss, q, "total_pcount", &sum->total_pcount)
          || !sl_archive_req_u64 (c, ss, q, "total_sched_count", &sum->total_sched_count)
          || !sl_archive_req_f64 (c, ss, q, "sched_count_rate", &sum->sched_count_rate)
          || !sl_archive_req_u64 (c, ss, q, "total_yld_count", &sum->total_yld_count)
          || !sl_archive_req_u64 (c, ss, q, "total_sched_goidle", &sum->total_sched_goidle)
          || !sl_archive_req_u64 (c, ss, q, "total_ttwu_count", &sum->total_ttwu_count)
          || !sl_archive_req_u64 (c, ss, q, "total_ttwu_local", &sum->total_ttwu_local))
        return FALSE;
    }
  /* The last summary wins (a runner may refresh it). */
  g_free (run->monitor_summary);
  run->monitor_summary = g_steal_pointer (&sum);
  return TRUE;
}

/* ---- end-of-run records ---- */

static gboolean
decode_sched_exit (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  SlSchedExit *e;

  if (run->exits->len >= SL_ARCHIVE_MAX_EXITS)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d scheduler exits", SL_ARCHIVE_MAX_EXITS);
  e = g_new0 (SlSchedExit, 1);
  if (!sl_archive_req_u32 (c, o, "sched_exit", "exit_kind", &e->exit_kind)
      || !sl_archive_get_string (c, o, "sched_exit", "kind_name", FALSE, &e->kind_name)
      || !sl_archive_get_string (c, o, "sched_exit", "reason", FALSE, &e->reason)
      || !sl_archive_get_string (c, o, "sched_exit", "message", FALSE, &e->message)
      || !sl_archive_opt_u64 (c, o, "sched_exit", "elapsed_ms", &e->elapsed_ms)
      || !sl_archive_get_string (c, o, "sched_exit", "after_tag", FALSE, &e->after_tag))
    {
      sl_sched_exit_free (e);
      return FALSE;
    }
  g_ptr_array_add (run->exits, e);
  return TRUE;
}

static gboolean
decode_cgroup (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  SlCgroupResult *cg;

  if (run->cgroups->len >= SL_ARCHIVE_MAX_CGROUPS)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d cgroup results", SL_ARCHIVE_MAX_CGROUPS);
  cg = g_new0 (SlCgroupResult, 1);
  if (!sl_archive_get_string (c, o, "cgroup", "name", TRUE, &cg->name)
      || !sl_archive_req_u64 (c, o, "cgroup", "iterations", &cg->iterations)
      || !sl_archive_req_u64 (c, o, "cgroup", "workers", &cg->workers)
      || !sl_archive_opt_u64 (c, o, "cgroup", "cpu_time_ns", &cg->cpu_time_ns))
    {
      sl_cgroup_result_free (cg);
      return FALSE;
    }
  g_ptr_array_add (run->cgroups, cg);
  return TRUE;
}

static gboolean
decode_log (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  char *line = NULL;

  if (run->log->len >= SL_ARCHIVE_MAX_LOG_LINES)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "more than %d log lines", SL_ARCHIVE_MAX_LOG_LINES);
  if (!sl_archive_get_string (c, o, "log", "line", TRUE, &line))
    return FALSE;
  g_ptr_array_add (run->log, line);
  return TRUE;
}

static gboolean
decode_footer (SlArchiveCtx *c, JsonObject *o, SlRun *run)
{
  g_autofree char *end_reason = NULL;
  guint64 n = 0;

  if (!sl_archive_req_u64 (c, o, "footer", "samples", &n)
      || !sl_archive_get_string (c, o, "footer", "end_reason", TRUE, &end_reason))
    return FALSE;
  if (n != run->samples->len)
    return sl_archive_fail (c, SL_ERROR_CORRUPT,
                            "footer counts %" G_GUINT64_FORMAT " samples but the archive holds %u",
                 n, run->samples->len);
  g_free (run->end_reason);
  run->end_reason = g_steal_pointer (&end_reason);
  return TRUE;
}

/* ---- lines ---- */

gboolean
sl_archive_decode_line (SlArchiveDecodeState *st, SlRun *run,
                        const char *line, gsize len,
                        guint64 record_no, guint64 offset,
                        GError **error)
{
  g_autofree char *where = g_strdup_printf ("record %" G_GUINT64_FORMAT " (byte %" G_GUINT64_FORMAT ")",
                                            record_no, offset);
  SlArchiveCtx ctx = { where, error }, *c = &ctx;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  const char *type;
  JsonNode *root, *type_node;
  JsonObject *o;
  gboolean ok;

  if (len > SL_ARCHIVE_MAX_RECORD_BYTES)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE,
                            "record of %" G_GSIZE_FORMAT " bytes exceeds the %" G_GSIZE_FORMAT "-byte limit",
                 len, SL_ARCHIVE_MAX_RECORD_BYTES);
  if (len == 0)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "empty line");
  if (memchr (line, '\0', len) != NULL || !g_utf8_validate (line, (gssize) len, NULL))
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "not valid UTF-8 text%s",
                 st->seen_header ? "" : " (is this a Schedlab run archive?)");
  if (!sl_archive_check_json_depth (line, len, SL_ARCHIVE_MAX_JSON_DEPTH))
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "JSON nested deeper than %d levels", SL_ARCHIVE_MAX_JSON_DEPTH);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, (gssize) len, &local))
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "not a JSON record: %s%s", local->message,
                 st->seen_header ? "" : " (is this a Schedlab run archive?)");
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "expected a JSON object, found %s", sl_archive_node_kind (root));
  o = json_node_get_object (root);
  type_node = sl_archive_member (o, "record");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node)
      || json_node_get_value_type (type_node) != G_TYPE_STRING)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "\"record\" must be a string naming the record type");
  type = json_node_get_string (type_node);

  if (!st->seen_header)
    {
      if (strcmp (type, "header") != 0)
        return sl_archive_fail (c, SL_ERROR_CORRUPT, "the first record must be the header, found \"%s\"", type);
      sl_run_header_clear (&run->header);
      if (!decode_header (c, o, &run->header))
        {
          sl_run_header_clear (&run->header);
          return FALSE;
        }
      st->seen_header = TRUE;
      st->records++;
      return TRUE;
    }
  if (st->seen_footer)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "\"%s\" record after the footer", type);

  if (strcmp (type, "header") == 0)
    return sl_archive_fail (c, SL_ERROR_CORRUPT, "a second header");
  else if (strcmp (type, "stimulus") == 0)
    ok = decode_stimulus (c, o, run);
  else if (strcmp (type, "sample") == 0)
    ok = decode_sample (c, o, run);
  else if (strcmp (type, "monitor") == 0)
    ok = decode_monitor (c, o, run);
  else if (strcmp (type, "monitor_summary") == 0)
    ok = decode_monitor_summary (c, o, run);
  else if (strcmp (type, "sched_exit") == 0)
    ok = decode_sched_exit (c, o, run);
  else if (strcmp (type, "cgroup") == 0)
    ok = decode_cgroup (c, o, run);
  else if (strcmp (type, "log") == 0)
    ok = decode_log (c, o, run);
  else if (strcmp (type, "footer") == 0)
    {
      ok = decode_footer (c, o, run);
      st->seen_footer = ok;
    }
  else
    ok = TRUE;   /* a record type from a newer writer of the same version */

  if (ok)
    st->records++;
  return ok;
}
