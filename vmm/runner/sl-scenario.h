/* sl-scenario.h: scenario files (doc/scenario-format.md): cgroups with cpusets,
 * workers, and steps of ops with hold durations. Parsed and validated on the
 * host; the guest receives a compact, fully resolved form. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SL_SCENARIO_OP_ADD_CGROUP,
  SL_SCENARIO_OP_REMOVE_CGROUP,
  SL_SCENARIO_OP_SET_CPUSET,
  SL_SCENARIO_OP_CLEAR_CPUSET,
  SL_SCENARIO_OP_SPAWN,
  SL_SCENARIO_OP_STOP,
  SL_SCENARIO_OP_AFFINITY,
  SL_SCENARIO_OP_HOLD,
} SlScenarioOpKind;

typedef struct {
  SlScenarioOpKind kind;
  guint     line;
  char     *cgroup;
  char     *cpus;          /* cpu list; NULL = none (add-cgroup) / all (affinity) */
  int       work;          /* SlWorkType; -1 = every type (stop) */
  guint     count;
  int       nice_value;
  guint64   hold_ms;       /* absolute hold */
  guint     hold_permille; /* or a share of the run duration, in ‰ (0 = absolute) */
} SlScenarioOp;

typedef struct {
  char      *name;
  guint      line;
  GPtrArray *ops;          /* SlScenarioOp* */
} SlScenarioStep;

typedef struct {
  char      *name;
  char      *description;
  char      *source;        /* file name for messages */
  char      *text;          /* the original text */
  guint64    duration_ms;   /* "duration" line; 0 = not given */
  GPtrArray *setup;         /* SlScenarioOp*: ops before the first step */
  GPtrArray *steps;         /* SlScenarioStep* */
} SlScenario;

typedef enum {
  SL_WORK_CPU_SPIN,
  SL_WORK_YIELD_HEAVY,
  SL_WORK_MIXED,
  SL_WORK_IO_SYNC,
  SL_WORK_BURSTY,
  SL_WORK_PIPE_IO,
  SL_WORK_FUTEX_PING_PONG,
  SL_WORK_FORK_EXIT,
  SL_WORK_NICE_SWEEP,
  SL_WORK_AFFINITY_CHURN,
  SL_WORK_COUNT,
} SlWorkType;

const char *sl_work_type_name (SlWorkType t);             /* "CpuSpin", ... */
gboolean    sl_work_type_parse (const char *name, SlWorkType *out);   /* case-insensitive */

/* Parses `text`; errors (SL_ERROR_SPEC) read "<source>:<line>: <field>: <problem>". */
SlScenario *sl_scenario_parse (const char *text, const char *source, GError **error);
SlScenario *sl_scenario_load_file (const char *path, GError **error);
/* A built-in scenario by name ("steady", "two-cgroups", "cpuset-shuffle", "fork-storm"). */
SlScenario *sl_scenario_load_builtin (const char *name, GError **error);
const char *const *sl_scenario_builtin_names (void);
/* A built-in name, or else a path. */
SlScenario *sl_scenario_load (const char *name_or_path, GError **error);

/* Total workload time with percentages resolved against `duration_ms`
 * (0 = the file's duration, else 10 s). */
guint64     sl_scenario_total_ms (const SlScenario *sc, guint64 duration_ms);
/* Checks every cpu list against the guest's CPU count, then writes the compact
 * form the guest agent runs (holds resolved to milliseconds). */
char       *sl_scenario_compile (const SlScenario *sc, guint64 duration_ms, guint n_cpus, GError **error);
void        sl_scenario_free (SlScenario *sc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlScenario, sl_scenario_free)

G_END_DECLS
