/* sl-field-selector.h: the textual field selector "<axis> <path>".
 *
 * A selector names one scalar column of a run along one of ktstr's four axes
 * (bpf, stats, host, monitor). The grammar is documented in doc/spec-format.md;
 * in short:
 *
 *   bpf GLOBAL[.member...]                  a global of a .bss/.data/.rodata section map
 *   bpf MAP[INDEX][@CPU]/member.path        an exact map name (names may contain dots)
 *   stats a.b.c                             a dotted path into the scx_stats object
 *   host cpuN.<PerCpuTimeStats field>       host view of guest CPU time counters
 *   host vcpuN.run_ns|wait_ns|slices        host time of the vCPU thread
 *   monitor cpuN.<field>                    per monitor sample
 *   monitor summary.<field> | events.<name> | rates.<name>   one-slot run totals
 *
 * Parsing only checks syntax; whether the field exists is decided per sample by
 * the projection (sl-projection.h). */
#pragma once

#include <glib.h>
#include "sl-types.h"

G_BEGIN_DECLS

typedef enum {
  SL_AXIS_BPF,
  SL_AXIS_STATS,
  SL_AXIS_HOST,
  SL_AXIS_MONITOR,
} SlAxis;

#define SL_AXIS_COUNT 4

const char *sl_axis_name  (SlAxis axis);                 /* "bpf", "stats", "host", "monitor" */
gboolean    sl_axis_parse (const char *name, SlAxis *out);

typedef enum {
  SL_BPF_TARGET_GLOBAL,   /* GLOBAL[.member...] */
  SL_BPF_TARGET_MAP,      /* MAP[INDEX][@CPU]/member.path */
} SlBpfTarget;

typedef enum {
  SL_CPU_PICK_NONE,       /* no @: fine for plain maps, PerCpuNotNarrowed for per-CPU maps */
  SL_CPU_PICK_ONE,        /* @N */
  SL_CPU_PICK_SUM,        /* @cpu_sum: saturating, null slots skipped */
  SL_CPU_PICK_MAX,        /* @cpu_max */
  SL_CPU_PICK_MIN,        /* @cpu_min */
} SlCpuPick;

typedef enum {
  SL_HOST_CPU,            /* cpuN.<field> from the report's per_cpu_time */
  SL_HOST_VCPU,           /* vcpuN.<field> from the sample's vcpu_times */
} SlHostSource;

typedef enum {
  SL_MONITOR_CPU,         /* cpuN.<field>: one slot per monitor sample */
  SL_MONITOR_SUMMARY,     /* summary.<MonitorSummary field> */
  SL_MONITOR_EVENTS,      /* events.<total_pairs name> */
  SL_MONITOR_RATES,       /* rates.<rates_pairs name> */
} SlMonitorSource;

/* Limits on untrusted selector text (selectors come from spec files). */
#define SL_FIELD_SELECTOR_MAX_LEN   1024
#define SL_FIELD_SELECTOR_MAX_DEPTH 32

typedef struct {
  SlAxis      axis;
  char       *text;          /* canonical "<axis> <path>" */
  char       *path;          /* the path part */

  /* bpf */
  SlBpfTarget bpf_target;
  char       *name;          /* global variable or map name */
  guint       index;         /* map entry index (0 when not written) */
  SlCpuPick   cpu_pick;
  guint       cpu;           /* SL_CPU_PICK_ONE; also host/monitor cpuN */

  /* bpf member path / stats JSON path: NULL-terminated, possibly empty (never NULL) */
  GStrv       components;

  /* host / monitor */
  SlHostSource    host_source;
  SlMonitorSource monitor_source;
  char           *leaf;      /* "cpustat_user_ns", "softirqs.TIMER", "event.select_cpu_fallback", ... */
} SlFieldSelector;

/* Parses "<axis> <path>". Syntax errors → SL_ERROR_FIELD naming the selector and
 * the offending part. */
SlFieldSelector *sl_field_selector_parse (const char *text, GError **error);
/* Builds from an axis and a path ("sl_vtime.bss/nr_dispatched"). */
SlFieldSelector *sl_field_selector_new (SlAxis axis, const char *path, GError **error);
SlFieldSelector *sl_field_selector_copy (const SlFieldSelector *sel);
void             sl_field_selector_free (SlFieldSelector *sel);
gboolean         sl_field_selector_equal (const SlFieldSelector *a, const SlFieldSelector *b);

/* A short label for messages, like ktstr's field labels: the last member name
 * ("nr_dispatched" for "bpf sl_vtime.bss/nr_dispatched"). */
char            *sl_field_selector_label (const SlFieldSelector *sel);

/* The scalar type a selector naturally projects to when the caller has no
 * preference, or FALSE when only the data can tell (bpf, stats). */
gboolean         sl_field_selector_natural_type (const SlFieldSelector *sel, SlScalarType *out);

/* Tables shared with the projection and the catalog. */
#define SL_HOST_CPU_FIELD_COUNT 10
extern const char *const sl_host_cpu_fields[SL_HOST_CPU_FIELD_COUNT];
extern const char *const sl_softirq_names[10];
#define SL_HOST_VCPU_FIELD_COUNT 3
extern const char *const sl_host_vcpu_fields[SL_HOST_VCPU_FIELD_COUNT];
#define SL_MONITOR_CPU_FIELD_COUNT 6
extern const char *const sl_monitor_cpu_fields[SL_MONITOR_CPU_FIELD_COUNT];
#define SL_MONITOR_SCHEDSTAT_COUNT 7
extern const char *const sl_monitor_schedstat_names[SL_MONITOR_SCHEDSTAT_COUNT];
#define SL_MONITOR_SUMMARY_FIELD_COUNT 16
extern const char *const sl_monitor_summary_fields[SL_MONITOR_SUMMARY_FIELD_COUNT];
#define SL_MONITOR_EVENT_PAIR_COUNT 14
extern const char *const sl_monitor_event_pairs[SL_MONITOR_EVENT_PAIR_COUNT];
#define SL_MONITOR_RATE_COUNT 2
extern const char *const sl_monitor_rates[SL_MONITOR_RATE_COUNT];

/* Index of name in a NULL-free table of n names, or -1. */
gint sl_name_table_find (const char *const *table, guint n, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlFieldSelector, sl_field_selector_free)

G_END_DECLS
