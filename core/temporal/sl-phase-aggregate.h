/* sl-phase-aggregate.h: per-phase views and reductions of a SeriesField (§4, §6).
 *
 * A phase is the stamped step index of each sample (BASELINE = 0, Step[k] =
 * k + 1). Samples without a phase live in a separate "none" bucket and are
 * left out of every per-phase reduction. Per-phase results are SlPhaseMaps:
 * small arrays sorted by phase in which a phase with no value is simply not
 * present — never a synthesized 0. */
#pragma once

#include <glib.h>
#include "sl-types.h"
#include "sl-series-field.h"
#include "sl-verdict.h"

G_BEGIN_DECLS

/* --- SlPhaseMap --- */

typedef struct {
  guint16  phase;
  SlScalar value;
  gint     slot;        /* the source slot in the field, -1 for a reduction of several */
} SlPhaseEntry;

typedef struct {
  GArray *entries;      /* SlPhaseEntry, sorted by phase, one per phase */
} SlPhaseMap;

SlPhaseMap         *sl_phase_map_new (void);
void                sl_phase_map_free (SlPhaseMap *m);
guint               sl_phase_map_len (const SlPhaseMap *m);
const SlPhaseEntry *sl_phase_map_entry (const SlPhaseMap *m, guint i);     /* i-th in phase order */
const SlPhaseEntry *sl_phase_map_find (const SlPhaseMap *m, guint16 phase); /* NULL if absent */
gboolean            sl_phase_map_get_f64 (const SlPhaseMap *m, guint16 phase, double *out);
/* Inserts or replaces the value of `phase`. */
void                sl_phase_map_set (SlPhaseMap *m, guint16 phase, SlScalar value, gint slot);

/* Phase-intersection fold (ktstr's zip_per_phase): for each phase present in
 * both maps, func decides the result; returning FALSE leaves the phase out. */
typedef gboolean (*SlPhaseZipFunc) (guint16 phase, SlScalar a, SlScalar b, SlScalar *out,
                                    gpointer user_data);
SlPhaseMap *sl_phase_map_zip (const SlPhaseMap *a, const SlPhaseMap *b,
                              SlPhaseZipFunc func, gpointer user_data);
/* a / (a + b) per shared phase as f64 (ktstr's frac_pair); u64 sums saturate;
 * phases whose total is 0 are left out. */
SlPhaseMap *sl_phase_map_frac_pair (const SlPhaseMap *a, const SlPhaseMap *b);
/* a / b per shared phase as f64; phases with b == 0 or a non-finite quotient
 * are left out. */
SlPhaseMap *sl_phase_map_ratio (const SlPhaseMap *a, const SlPhaseMap *b);
/* ktstr's PhaseMapExt::ratio_across_phases(...).at_most(ceiling). */
void        sl_phase_map_ratio_across_phases_at_most (const SlPhaseMap *m, const char *label,
                                                      guint16 earlier, guint16 later,
                                                      double ceiling, SlVerdict *v);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlPhaseMap, sl_phase_map_free)

/* --- partition --- */

typedef struct {
  guint16 phase;
  guint   offset;       /* into SlPhasePartition.slots */
  guint   count;
} SlPhaseSpan;

typedef struct {
  GArray *spans;        /* SlPhaseSpan sorted by phase */
  GArray *slots;        /* guint slot indexes, grouped by span, sample order within a span */
  GArray *none;         /* guint slot indexes of samples without a phase */
} SlPhasePartition;

/* ktstr's by_phase(): the phased samples grouped by phase, plus the none bucket. */
SlPhasePartition *sl_series_field_by_phase (const SlSeriesField *f);
void              sl_phase_partition_free (SlPhasePartition *p);
/* The slot indexes of `phase` (NULL and *n = 0 when it has none). */
const guint      *sl_phase_partition_slots (const SlPhasePartition *p, guint16 phase, guint *n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlPhasePartition, sl_phase_partition_free)

/* --- per-phase values --- */

/* The last Ok value of `phase` (errors skipped); FALSE if it has none. */
gboolean    sl_series_field_value_at_phase (const SlSeriesField *f, guint16 phase,
                                            SlScalar *out, gint *slot);
SlPhaseMap *sl_series_field_first_per_phase (const SlSeriesField *f);
SlPhaseMap *sl_series_field_last_per_phase (const SlSeriesField *f);
/* last − first per phase, in the field's type (bool counts as u64 0/1). A
 * single-sample phase gives 0. A regression (last < first, or a NaN) gives 0
 * and, when `notes` is given, a Note naming the phase and both values. */
SlPhaseMap *sl_series_field_counter_delta_per_phase (const SlSeriesField *f, SlVerdict *notes);

/* --- MetricKind reductions (§6.2) --- */

typedef enum {
  SL_METRIC_COUNTER,
  SL_METRIC_GAUGE_AVG,
  SL_METRIC_GAUGE_LAST,
  SL_METRIC_GAUGE_MAX,
  SL_METRIC_PEAK,
  SL_METRIC_TIMESTAMP,
  SL_METRIC_DELTA_SUM,
  SL_METRIC_RATE,                     /* derived */
  SL_METRIC_DISTRIBUTION,             /* derived */
  SL_METRIC_WORST_LOWEST,             /* derived */
  SL_METRIC_WAKE_LATENCY_TAIL_RATIO,  /* derived */
  SL_METRIC_PER_PHASE,                /* derived */
} SlMetricKind;

/* "Counter", "Gauge(Avg)", "Gauge(Last)", "Gauge(Max)", "Peak", "Timestamp",
 * "DeltaSum", "Rate", "Distribution", "WorstLowest", "WakeLatencyTailRatio",
 * "PerPhase". */
const char *sl_metric_kind_name (SlMetricKind kind);
gboolean    sl_metric_kind_parse (const char *name, SlMetricKind *out);
gboolean    sl_metric_kind_is_derived (SlMetricKind kind);

/* Flat reduction (ktstr's aggregate_samples). Non-finite samples are dropped
 * first; FALSE (absent) when nothing is left or the kind is never reduced. */
gboolean sl_aggregate_samples (const double *values, gsize n, SlMetricKind kind, double *out);
/* Per-phase reduction: Counter = last − first of the finite samples (< 2 →
 * absent; negative → 0 with *regressed set); derived kinds → absent; the
 * other kinds as sl_aggregate_samples. `regressed` may be NULL. */
gboolean sl_aggregate_samples_for_phase (const double *values, gsize n, SlMetricKind kind,
                                         double *out, gboolean *regressed);
/* Combining two buckets of the same phase (ktstr's MergeKind): Counter and
 * DeltaSum sum, Peak and Gauge(Max) max, Gauge(Avg) a mean weighted by
 * max(count, 1), Gauge(Last) and Timestamp the later end_ms (a tie keeps a);
 * derived kinds need recomputing from their parts: FALSE. */
gboolean sl_metric_merge (SlMetricKind kind, double a, guint a_count, double a_end_ms,
                          double b, guint b_count, double b_end_ms, double *out);

/* aggregate_samples_for_phase over the Ok values of each phase, as f64. A
 * Counter regression adds a Note to `notes` when given. */
SlPhaseMap *sl_series_field_aggregate_by_phase (const SlSeriesField *f, SlMetricKind kind,
                                                SlVerdict *notes);
/* DeltaSum per phase: the sum of the finite Ok values. */
SlPhaseMap *sl_series_field_sum_by_phase (const SlSeriesField *f);

G_END_DECLS
