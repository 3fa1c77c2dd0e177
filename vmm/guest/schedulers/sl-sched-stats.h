/* sl-sched-stats.h: the scx_stats documents a bundled scheduler serves.
 *
 * A snapshot is filled from the scheduler's live BPF state by the loader;
 * these functions only turn it into JSON (so they are testable on the host
 * without BPF). Response framing is done here too, so every line on the
 * socket has the same shape: {"errno":N,"args":{"resp":...}}.
 */
#ifndef SL_SCHED_STATS_H
#define SL_SCHED_STATS_H

#include "sl-guest-json.h"

#define SLG_MAX_COUNTERS 24
#define SLG_MAX_CPUS 512
#define SLG_MAX_CGROUPS 1024
#define SLG_CGROUP_PATH_MAX 512

typedef struct
{
  const char *name;   /* a name from slg_stats_counter_table() */
  uint64_t value;
} SlgCounter;

typedef struct
{
  uint64_t nr_dispatched;
  uint64_t nr_local;
  uint64_t nr_shared;
  uint64_t nr_running;
  uint64_t runtime_ns;
} SlgCpuStat;

typedef struct
{
  uint64_t cgid;
  char path[SLG_CGROUP_PATH_MAX];  /* "" when the id no longer names a cgroup */
  uint64_t runtime_ns;
  uint64_t nr_runs;
} SlgCgroupStat;

typedef struct
{
  const char *scheduler;     /* ops name */
  const char *bug;           /* fault mode as given on the command line, "none" */
  uint64_t uptime_ms;        /* since attach */
  SlgCounter counters[SLG_MAX_COUNTERS];
  unsigned n_counters;
  SlgCpuStat *cpus;          /* n_cpus entries, or NULL */
  unsigned n_cpus;
  SlgCgroupStat *cgroups;    /* n_cgroups entries, or NULL; */
  unsigned n_cgroups;
  bool has_cgroups;          /* the scheduler keeps per-cgroup accounting */
} SlgSchedSnapshot;

typedef struct
{
  const char *name;
  const char *desc;
} SlgCounterInfo;

/* The .bss counters the loader knows how to report, NULL-terminated. */
const SlgCounterInfo *slg_stats_counter_table (void);

/* {"errno":0,"args":{"resp":<stats>}} */
void slg_stats_write_stats (SlgJson *j, const SlgSchedSnapshot *s);
/* {"errno":0,"args":{"resp":<meta map>}}; counters lists the .bss counter
 * names present in this scheduler (NULL-terminated). */
void slg_stats_write_meta (SlgJson *j, const char *const *counters, bool has_cgroups);
/* {"errno":errno,"args":{"resp":"<message>"}} */
void slg_stats_write_error (SlgJson *j, int errnum, const char *message);

#endif /* SL_SCHED_STATS_H */
