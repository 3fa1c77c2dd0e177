/* sl-run.h: the in-memory model of one run (what a .slrun archive holds).
 *
 * A run is a header, the scenario's stimulus (phase) events, the periodic and
 * on-demand samples, the host monitor's samples and summary, the scheduler's
 * exit, and whether the archive was complete. Samples are plain structs in a
 * GPtrArray: no GObject per sample. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "sl-types.h"
#include "sl-report.h"

G_BEGIN_DECLS

typedef struct {
  guint numa_nodes, llcs, cores_per_llc, threads_per_core;
} SlTopology;

guint    sl_topology_n_cpus (const SlTopology *t);
char    *sl_topology_to_string (const SlTopology *t);          /* "1n2l4c1t" */
gboolean sl_topology_parse (const char *text, SlTopology *out, GError **error); /* "1,2,4,1" or "1n2l4c1t" */

typedef struct {
  char      *kernel_version;      /* uname -r style, NULL = unknown */
  char      *kernel_source;       /* "debian:<pkg>=<ver>" or a path */
  gboolean   kernel_has_sched_ext;
  SlTopology topology;
  guint      memory_mb;           /* 0 = unknown */
  char      *accel;               /* "tcg", "kvm", NULL = unknown */
  char      *scheduler;           /* NULL = the kernel's built-in scheduler */
  GStrv      scheduler_args;      /* NULL-terminated, may be NULL */
  char      *scenario;            /* scenario name */
  char      *scenario_text;       /* its full text, for reruns; may be NULL */
  guint      snapshots;           /* periodic N; 0 = none */
  guint      interval_ms;         /* 0 = not used */
  guint64    duration_ms;         /* workload duration */
  char      *tool_version;
  char      *created;             /* ISO 8601 */
  gboolean   synthetic;           /* TRUE for generated data that never ran on a kernel */
} SlRunHeader;

/* ktstr's StimulusEvent (§6.1). step_index holds the encoded PHASE of the step
 * (BASELINE = 0, Step[k] = k + 1), like SlSample.step_index, so all of core
 * speaks phases; BASELINE runs from 0 to the first StepStart. A StepStart is
 * an event with a step index that is neither a StepEnd nor terminal. */
typedef struct {
  guint64  elapsed_ms;
  gboolean has_step_index;
  guint16  step_index;
  gboolean is_step_end;
  gboolean is_terminal;
  SlOptU64 total_iterations;
} SlStimulusEvent;

typedef enum {
  SL_MISSING_STATS_NONE,                /* stats present */
  SL_MISSING_STATS_NO_SCHEDULER_BINARY,
  SL_MISSING_STATS_NO_SCHEDULER,        /* reason */
  SL_MISSING_STATS_DURING_FREEZE,
  SL_MISSING_STATS_CANCELLED,
  SL_MISSING_STATS_SCHEDULER_ERROR,     /* errno_value, args_json */
  SL_MISSING_STATS_MISSING_RESP,        /* args_json */
  SL_MISSING_STATS_REQUEST_TOO_LARGE,   /* size, max */
  SL_MISSING_STATS_RESPONSE_TOO_LARGE,  /* size, max */
  SL_MISSING_STATS_MUTEX_POISONED,
} SlMissingStatsKind;

typedef struct {
  SlMissingStatsKind kind;
  char   *reason;
  gint64  errno_value;
  char   *args_json;
  guint64 size, max;
} SlMissingStats;

/* ktstr's variant name ("NoSchedulerBinary", ...) and a human sentence. */
const char *sl_missing_stats_kind_name (SlMissingStatsKind kind);
char       *sl_missing_stats_to_string (const SlMissingStats *m);

/* Host CPU time of one vCPU thread at the freeze (/proc/<pid>/task/<tid>/schedstat). */
typedef struct {
  guint32 cpu;
  gint32  tid;
  guint64 run_ns;
  guint64 wait_ns;
  guint64 slices;
} SlVcpuTime;

typedef struct {
  char          *tag;                 /* "periodic_000", or an on-demand name */
  SlOptU64       elapsed_ms;          /* absent = not measured (never 0) */
  SlOptU64       boundary_offset_ms;
  gboolean       has_step_index;      /* absent ≠ BASELINE */
  guint16        step_index;
  SlReport      *report;              /* never NULL */
  JsonNode      *stats;               /* the scx_stats "resp" object; NULL when missing */
  SlMissingStats missing_stats;       /* kind NONE iff stats != NULL */
  GArray        *vcpu_times;          /* SlVcpuTime; may be empty */
  SlOptU64       freeze_us;           /* stop → cont duration */
} SlSample;

SlSample *sl_sample_new (const char *tag);
void      sl_sample_free (SlSample *s);
/* TRUE when the tag is "periodic_" followed by exactly 3 ASCII digits. */
gboolean  sl_tag_is_strict_periodic (const char *tag);

#define SL_SCX_EVENT_COUNT 13
/* The 13 SCX_EV_* names of EventCounterSample, in ktstr's order. */
extern const char *const sl_scx_event_names[SL_SCX_EVENT_COUNT];

typedef struct {
  guint32  cpu;
  guint64  nr_running;
  guint64  scx_nr_running;
  guint64  local_dsq_depth;
  guint64  rq_clock;
  guint64  scx_flags;
  gboolean has_event_counters;
  gint64   event_counters[SL_SCX_EVENT_COUNT];
  gboolean has_schedstat;
  guint64  run_delay, pcount, yld_count, sched_count, sched_goidle, ttwu_count, ttwu_local;
  SlOptU64 vcpu_cpu_time_ns;
} SlCpuSnapshot;

typedef struct {
  guint64  elapsed_ms;         /* since VM start (ktstr's monitor clock) */
  SlOptU64 workload_ms;        /* the samples' clock (workload time since the scenario
                                  anchor, frozen time excluded), when the runner knew it;
                                  plots and phase assignment use it in preference */
  GArray  *cpus;               /* SlCpuSnapshot */
} SlMonitorSample;

/* The time to plot a monitor sample at, on the samples' clock when known. */
guint64 sl_monitor_sample_time_ms (const SlMonitorSample *m);

void sl_monitor_sample_free (SlMonitorSample *m);

/* ktstr's MonitorSummary (§8.3). Optional parts are absent, never zero-filled. */
typedef struct {
  guint64  total_samples;
  double   max_imbalance_ratio;
  guint64  max_local_dsq_depth;
  guint64  stuck_count;
  double   avg_imbalance_ratio;
  double   avg_nr_running;
  double   avg_local_dsq_depth;
  gboolean has_event_deltas;
  gint64   event_totals[SL_SCX_EVENT_COUNT];  /* last − first, clamped ≥ 0, ktstr's names */
  gint64   max_fallback_burst;
  double   fallback_rate;                     /* per second */
  double   keep_last_rate;                    /* per second */
  gboolean has_schedstat_deltas;
  guint64  total_run_delay, total_pcount, total_sched_count, total_yld_count,
           total_sched_goidle, total_ttwu_count, total_ttwu_local;
  double   run_delay_rate, sched_count_rate;
} SlMonitorSummary;

/* The scheduler's exit, as sched_ext reported it. */
typedef struct {
  guint32  exit_kind;      /* SCX_EXIT_*: 1024 ERROR, 1025 ERROR_BPF, 1026 ERROR_STALL, 64.. unreg */
  char    *kind_name;      /* "SCX_EXIT_ERROR_STALL", NULL = unknown */
  char    *reason;
  char    *message;
  SlOptU64 elapsed_ms;
  char    *after_tag;      /* the last sample captured before the exit; NULL = before any */
} SlSchedExit;

typedef struct {
  char    *name;
  guint64  iterations;
  guint64  workers;
  SlOptU64 cpu_time_ns;
} SlCgroupResult;

typedef struct _SlRun SlRun;

struct _SlRun {
  gint             ref_count;
  SlRunHeader      header;
  GArray          *stimulus;          /* SlStimulusEvent, in arrival order */
  GPtrArray       *samples;           /* SlSample* */
  GPtrArray       *monitor_samples;   /* SlMonitorSample* */
  SlMonitorSummary *monitor_summary;  /* NULL = no monitor */
  GPtrArray       *exits;             /* SlSchedExit* */
  GPtrArray       *cgroups;           /* SlCgroupResult* (per-cgroup results at the end) */
  GPtrArray       *log;               /* char*: guest/VM log lines worth keeping */
  gboolean         complete;          /* the archive had its footer */
  char            *incomplete_reason; /* why not, for the user; NULL when complete */
  char            *end_reason;        /* footer's reason: "finished", "interrupted", "wall-clock limit", ... */
};

SlRun   *sl_run_new (void);
SlRun   *sl_run_ref (SlRun *run);
void     sl_run_unref (SlRun *run);
void     sl_run_header_clear (SlRunHeader *h);
void     sl_run_header_copy (SlRunHeader *dst, const SlRunHeader *src);
void     sl_sched_exit_free (SlSchedExit *e);

/* The scheduler a run names: the bundled loader "sl-sched" given (or, in
 * older archives, recorded) by path with "--scheduler NAME" first reads as
 * NAME with the remaining arguments, since the loader's path only means
 * something on the machine that ran it; anything else reads as given.
 * NULL scheduler → *out_label NULL; *out_args is never NULL. */
void     sl_scheduler_label (const char *scheduler, const char *const *args,
                             char **out_label, GStrv *out_args);
void     sl_cgroup_result_free (SlCgroupResult *c);

/* The phase of a sample: its stamped step index (FALSE when absent). */
gboolean sl_sample_phase (const SlSample *s, guint16 *phase);
/* Phases that occur in the run (stamped and stimulus), sorted, unique. */
GArray  *sl_run_phases (const SlRun *run);
/* [start, end] of a phase in elapsed ms: from the stimulus StepStart/StepEnd events
 * when present, else from the min/max boundary offset (or elapsed) of its samples.
 * With stimulus, a phase starts at its first StepStart (BASELINE at 0) and ends at
 * its StepEnd, else at the next StepStart of another phase or the terminal event,
 * else (last, open phase) at its last sample. FALSE when the phase has no time at all. */
gboolean sl_run_phase_range (const SlRun *run, guint16 phase, guint64 *start_ms, guint64 *end_ms);
/* ktstr's by_stimulus_phase key of a sample (§6.1): the phase of the latest
 * StepStart at or before its boundary_offset_ms (BASELINE when none); without
 * an offset, its stamped step index, else BASELINE. */
guint16  sl_run_stimulus_phase_of (const SlRun *run, const SlSample *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlRun, sl_run_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSample, sl_sample_free)

G_END_DECLS
