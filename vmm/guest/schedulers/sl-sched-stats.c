/* sl-sched-stats.c: see sl-sched-stats.h.
 *
 * The meta document follows scx_stats' serde shape: a map from struct name to
 * {"name","desc","top"?,"fields":{field:{"datum"|"array"|"dict":kind,"desc"}}},
 * where a kind is "u64", "i64", "float", "string" or {"struct":"<name>"}.
 */
#include "sl-sched-stats.h"

#include <stdio.h>
#include <string.h>

static const SlgCounterInfo counter_table[] = {
  { "nr_enqueued", "ops.enqueue calls" },
  { "nr_dispatched", "tasks handed to a CPU (nr_local + nr_shared)" },
  { "nr_local", "direct inserts into an idle CPU's local queue from select_cpu" },
  { "nr_shared", "tasks moved from a custom queue to a CPU's local queue" },
  { "nr_idle_hits", "select_cpu found an idle CPU" },
  { "nr_dispatch_calls", "ops.dispatch calls" },
  { "nr_parked", "enqueues diverted by a fault mode to a never or rarely consumed queue" },
  { "nr_cgrp_full", "per-cgroup updates dropped because the cgroup table was full" },
  { "nr_vtime_clamped", "wakeups whose virtual time was raised to the floor" },
  { "vtime_now", "virtual time of the most recently started task" },
  { NULL, NULL },
};

const SlgCounterInfo *
slg_stats_counter_table (void)
{
  return counter_table;
}

static void
begin_response (SlgJson *j, int errnum)
{
  slg_json_begin_object (j);
  slg_json_kv_i64 (j, "errno", errnum);
  slg_json_key (j, "args");
  slg_json_begin_object (j);
  slg_json_key (j, "resp");
}

static void
end_response (SlgJson *j)
{
  slg_json_end_object (j);
  slg_json_end_object (j);
}

void
slg_stats_write_error (SlgJson *j, int errnum, const char *message)
{
  begin_response (j, errnum);
  slg_json_string (j, message);
  end_response (j);
}

void
slg_stats_write_stats (SlgJson *j, const SlgSchedSnapshot *s)
{
  begin_response (j, 0);
  slg_json_begin_object (j);
  slg_json_kv_string (j, "scheduler", s->scheduler ? s->scheduler : "");
  slg_json_kv_string (j, "bug", s->bug ? s->bug : "none");
  slg_json_kv_u64 (j, "uptime_ms", s->uptime_ms);
  for (unsigned i = 0; i < s->n_counters && i < SLG_MAX_COUNTERS; i++)
    slg_json_kv_u64 (j, s->counters[i].name, s->counters[i].value);

  slg_json_key (j, "per_cpu");
  slg_json_begin_array (j);
  for (unsigned c = 0; s->cpus && c < s->n_cpus && c < SLG_MAX_CPUS; c++)
    {
      const SlgCpuStat *cs = &s->cpus[c];
      slg_json_begin_object (j);
      slg_json_kv_u64 (j, "cpu", c);
      slg_json_kv_u64 (j, "nr_dispatched", cs->nr_dispatched);
      slg_json_kv_u64 (j, "nr_local", cs->nr_local);
      slg_json_kv_u64 (j, "nr_shared", cs->nr_shared);
      slg_json_kv_u64 (j, "nr_running", cs->nr_running);
      slg_json_kv_u64 (j, "runtime_ns", cs->runtime_ns);
      slg_json_end_object (j);
    }
  slg_json_end_array (j);

  if (s->has_cgroups)
    {
      slg_json_key (j, "cgroups");
      slg_json_begin_object (j);
      for (unsigned g = 0; s->cgroups && g < s->n_cgroups && g < SLG_MAX_CGROUPS; g++)
        {
          const SlgCgroupStat *cg = &s->cgroups[g];
          char idkey[32];

          /* Keyed by path; a cgroup removed since it ran keeps its id. */
          if (cg->path[0])
            slg_json_key (j, cg->path);
          else
            {
              snprintf (idkey, sizeof idkey, "#%llu", (unsigned long long) cg->cgid);
              slg_json_key (j, idkey);
            }
          slg_json_begin_object (j);
          slg_json_kv_u64 (j, "cgid", cg->cgid);
          slg_json_kv_u64 (j, "runtime_ns", cg->runtime_ns);
          slg_json_kv_u64 (j, "nr_runs", cg->nr_runs);
          slg_json_end_object (j);
        }
      slg_json_end_object (j);
    }
  slg_json_end_object (j);
  end_response (j);
}

static void
field (SlgJson *j, const char *name, const char *datum, const char *desc)
{
  slg_json_key (j, name);
  slg_json_begin_object (j);
  slg_json_kv_string (j, "datum", datum);
  slg_json_kv_string (j, "desc", desc);
  slg_json_end_object (j);
}

static void
struct_field (SlgJson *j, const char *name, const char *container,
              const char *struct_name, const char *desc)
{
  slg_json_key (j, name);
  slg_json_begin_object (j);
  slg_json_key (j, container);
  if (strcmp (container, "dict") == 0)
    {
      slg_json_begin_object (j);
      slg_json_kv_string (j, "key", "string");
      slg_json_key (j, "datum");
    }
  slg_json_begin_object (j);
  slg_json_kv_string (j, "struct", struct_name);
  slg_json_end_object (j);
  if (strcmp (container, "dict") == 0)
    slg_json_end_object (j);
  slg_json_kv_string (j, "desc", desc);
  slg_json_end_object (j);
}

static void
begin_struct (SlgJson *j, const char *name, const char *desc, bool top)
{
  slg_json_key (j, name);
  slg_json_begin_object (j);
  slg_json_kv_string (j, "name", name);
  slg_json_kv_string (j, "desc", desc);
  if (top)
    slg_json_kv_string (j, "top", "true");
  slg_json_key (j, "fields");
  slg_json_begin_object (j);
}

static void
end_struct (SlgJson *j)
{
  slg_json_end_object (j);
  slg_json_end_object (j);
}

void
slg_stats_write_meta (SlgJson *j, const char *const *counters, bool has_cgroups)
{
  begin_response (j, 0);
  slg_json_begin_object (j);

  begin_struct (j, "sl_sched_stats", "scheduler-wide counters of a bundled Schedlab scheduler", true);
  field (j, "scheduler", "string", "sched_ext ops name");
  field (j, "bug", "string", "fault mode the loader was started with");
  field (j, "uptime_ms", "u64", "milliseconds since the scheduler was attached");
  for (unsigned i = 0; counters && counters[i] && i < SLG_MAX_COUNTERS; i++)
    {
      const char *desc = "";
      for (const SlgCounterInfo *c = counter_table; c->name; c++)
        if (strcmp (c->name, counters[i]) == 0)
          desc = c->desc;
      field (j, counters[i], "u64", desc);
    }
  struct_field (j, "per_cpu", "array", "sl_cpu_stats", "per-CPU counters, indexed by CPU");
  if (has_cgroups)
    struct_field (j, "cgroups", "dict", "sl_cgroup_stats",
                  "runtime per cgroup, keyed by cgroup path (\"#<id>\" once removed)");
  end_struct (j);

  begin_struct (j, "sl_cpu_stats", "counters kept by one CPU", false);
  field (j, "cpu", "u64", "CPU number");
  field (j, "nr_dispatched", "u64", "tasks this CPU received (nr_local + nr_shared)");
  field (j, "nr_local", "u64", "direct local-queue inserts decided on this CPU");
  field (j, "nr_shared", "u64", "tasks this CPU pulled from a custom queue");
  field (j, "nr_running", "u64", "tasks started on this CPU");
  field (j, "runtime_ns", "u64", "run time of the tasks that stopped on this CPU");
  end_struct (j);

  if (has_cgroups)
    {
      begin_struct (j, "sl_cgroup_stats", "accounting of one cgroup", false);
      field (j, "cgid", "u64", "cgroup id (inode number of its cgroup2 directory)");
      field (j, "runtime_ns", "u64", "run time of the cgroup's tasks");
      field (j, "nr_runs", "u64", "times one of the cgroup's tasks stopped running");
      end_struct (j);
    }

  slg_json_end_object (j);
  end_response (j);
}
