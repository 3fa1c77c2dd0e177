/* sl-patterns.h: ktstr's temporal patterns over a SeriesField (§5).
 *
 * Every pattern appends to a Verdict and never aborts on a per-sample error:
 * Fail and Inconclusive outcomes (detail kind Temporal) carry the slot range
 * and time range they are about; coverage gaps become Notes. Messages start
 * with "<label> (<pattern …>): " and render timestamps as "+<ms>ms", or "?"
 * when a sample's elapsed time was not measured.
 *
 * Ordered patterns compare u64/i64 exactly (even above 2^53) and f64 with IEEE
 * partial ordering (NaN compares false). The f64 patterns (rate_within,
 * steady_within, converges_to, ratio_within, ratio_across_phases) convert
 * integer values to double. A field of a type a pattern does not accept, and a
 * NaN parameter that would otherwise make a pattern pass vacuously, are caller
 * errors: one Fail, and nothing is evaluated. */
#pragma once

#include <glib.h>
#include "sl-types.h"
#include "sl-series-field.h"
#include "sl-verdict.h"

G_BEGIN_DECLS

void sl_pattern_nondecreasing       (const SlSeriesField *f, SlVerdict *v);
void sl_pattern_strictly_increasing (const SlSeriesField *f, SlVerdict *v);
/* Rate in value units per millisecond, inclusive [lo, hi]. */
void sl_pattern_rate_within   (const SlSeriesField *f, double lo, double hi, SlVerdict *v);
/* tolerance is relative (0.10 = ±10 % of the post-warmup mean). */
void sl_pattern_steady_within (const SlSeriesField *f, double warmup_ms, double tolerance, SlVerdict *v);
/* tolerance is absolute; needs 3 consecutive in-band samples at or before deadline_ms. */
void sl_pattern_converges_to  (const SlSeriesField *f, double target, double tolerance,
                               double deadline_ms, SlVerdict *v);
void sl_pattern_always_true   (const SlSeriesField *f, SlVerdict *v);
/* f[i] / other[i] within inclusive [lo, hi]. */
void sl_pattern_ratio_within  (const SlSeriesField *f, const SlSeriesField *other,
                               double lo, double hi, SlVerdict *v);
/* Per-sample checks; errors are failures. Bounds may be of any numeric type:
 * they are compared exactly with the values. */
void sl_pattern_each_at_least (const SlSeriesField *f, SlScalar bound, SlVerdict *v);
void sl_pattern_each_at_most  (const SlSeriesField *f, SlScalar bound, SlVerdict *v);
void sl_pattern_each_between  (const SlSeriesField *f, SlScalar lo, SlScalar hi, SlVerdict *v);
/* value_at_phase(later) / value_at_phase(earlier) <= ceiling (§5.9). */
void sl_pattern_ratio_across_phases_at_most (const SlSeriesField *f, guint16 earlier, guint16 later,
                                             double ceiling, SlVerdict *v);

/* The comparator behind ratio_across_phases, on values already reduced per
 * phase (NULL = that phase has no value). The slots and times, when known,
 * are recorded on the outcome. An empty label gives messages without prefix. */
typedef struct {
  const SlScalar *value;       /* NULL = missing */
  gint            slot;        /* -1 = unknown */
  SlOptU64        elapsed_ms;
} SlPhaseOperand;

void sl_cross_phase_ratio_at_most (const char *label, guint16 earlier, guint16 later,
                                   SlPhaseOperand e, SlPhaseOperand l,
                                   double ceiling, SlVerdict *v);

/* Exact comparison of two scalars of any types (integers exactly, f64 against
 * integers without rounding). FALSE when incomparable (a NaN, or bool against
 * a number); otherwise *out is <0, 0 or >0. */
gboolean sl_scalar_compare (SlScalar a, SlScalar b, int *out);
/* How values appear in messages: integers exactly; f64 like ktstr's Display
 * (shortest round-trip digits, no exponent, "NaN", "inf"). */
char    *sl_pattern_format_value (SlScalar s);

/* --- the table of patterns, for UIs and parsers --- */

typedef enum {
  SL_PATTERN_NONDECREASING,
  SL_PATTERN_STRICTLY_INCREASING,
  SL_PATTERN_RATE_WITHIN,
  SL_PATTERN_STEADY_WITHIN,
  SL_PATTERN_CONVERGES_TO,
  SL_PATTERN_ALWAYS_TRUE,
  SL_PATTERN_RATIO_WITHIN,
  SL_PATTERN_EACH_AT_LEAST,
  SL_PATTERN_EACH_AT_MOST,
  SL_PATTERN_EACH_BETWEEN,
  SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST,
} SlPatternId;

typedef enum {
  SL_PARAM_LO,
  SL_PARAM_HI,
  SL_PARAM_WARMUP_MS,
  SL_PARAM_TOLERANCE,
  SL_PARAM_TARGET,
  SL_PARAM_DEADLINE_MS,
  SL_PARAM_OTHER,
  SL_PARAM_BOUND,
  SL_PARAM_EARLIER,
  SL_PARAM_LATER,
  SL_PARAM_CEILING,
  SL_PARAM_COUNT
} SlPatternParamId;

typedef enum {
  SL_PARAM_KIND_F64,      /* a real number */
  SL_PARAM_KIND_SCALAR,   /* a number compared exactly with the field's values */
  SL_PARAM_KIND_FIELD,    /* another field projected from the same samples */
  SL_PARAM_KIND_PHASE,    /* a phase: "BASELINE" or "Step[k]" */
} SlPatternParamKind;

typedef struct {
  SlPatternParamId   id;
  const char        *name;          /* spec keyword: "lo", "warmup_ms", … */
  SlPatternParamKind kind;
  const char        *description;
} SlPatternParam;

#define SL_PATTERN_MAX_PARAMS 3
#define SL_SCALAR_TYPE_BIT(t) (1u << (t))

typedef struct {
  SlPatternId     id;
  const char     *name;             /* spec keyword: "rate_within", "each.at_least", … */
  const char     *description;      /* one line */
  const char     *on_error;         /* one line: what a per-sample error does */
  guint           n_params;
  SlPatternParam  params[SL_PATTERN_MAX_PARAMS];
  guint           accepted_types;   /* SL_SCALAR_TYPE_BIT of each accepted SlScalarType */
} SlPatternInfo;

const SlPatternInfo *sl_pattern_all (guint *n);
const SlPatternInfo *sl_pattern_lookup (const char *name);   /* NULL if unknown */
const SlPatternInfo *sl_pattern_info (SlPatternId id);
gboolean             sl_pattern_accepts_type (const SlPatternInfo *info, SlScalarType type);
const SlPatternParam *sl_pattern_find_param (const SlPatternInfo *info, const char *name);

/* Arguments for running a pattern from the table. */
typedef struct {
  guint                set;                  /* bit (1 << SlPatternParamId) per given parameter */
  SlScalar             num[SL_PARAM_COUNT];  /* F64 and SCALAR parameters */
  const SlSeriesField *other;                /* SL_PARAM_OTHER */
  guint16              phase[SL_PARAM_COUNT];/* SL_PARAM_EARLIER / SL_PARAM_LATER */
} SlPatternArgs;

void sl_pattern_args_init       (SlPatternArgs *a);
void sl_pattern_args_set_f64    (SlPatternArgs *a, SlPatternParamId id, double value);
void sl_pattern_args_set_scalar (SlPatternArgs *a, SlPatternParamId id, SlScalar value);
void sl_pattern_args_set_field  (SlPatternArgs *a, const SlSeriesField *other);
void sl_pattern_args_set_phase  (SlPatternArgs *a, SlPatternParamId id, guint16 phase);

/* Runs `info` on `f`. A missing parameter, or a field type the pattern does
 * not accept, is an SL_ERROR_SPEC error naming it, and nothing is recorded. */
gboolean sl_pattern_run (const SlPatternInfo *info, const SlSeriesField *f,
                         const SlPatternArgs *args, SlVerdict *v, GError **error);

G_END_DECLS
