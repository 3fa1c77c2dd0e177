/* sl-compare.h: A/B comparison of two runs, per phase.
 *
 * For each field, both runs are projected and reduced per phase by the field's
 * kind (ktstr-semantics §6.2): a counter by its per-phase delta (last − first,
 * sl_series_field_counter_delta_per_phase), a gauge by its per-phase mean.
 * Phases are aligned by label (BASELINE, Step[k]); a phase missing from one
 * run stays absent on that side (never 0), and so do the deltas. */
#pragma once

#include <glib.h>
#include "sl-run.h"
#include "sl-field-selector.h"
#include "sl-field-catalog.h"
#include "sl-phase-aggregate.h"

G_BEGIN_DECLS

/* Default cap of sl_compare_default_fields. */
#define SL_COMPARE_DEFAULT_MAX_FIELDS 24

typedef struct {
  guint16  phase;
  gboolean has_a, has_b;
  double   a, b;
  gboolean has_delta;      /* both sides present */
  double   delta;          /* b − a */
  gboolean has_rel;        /* both present and a ≠ 0 */
  double   rel_pct;        /* (b − a) / |a| × 100 */
} SlCompareRow;

typedef struct {
  char         *selector;  /* canonical selector text */
  SlScalarType  type;      /* the type both runs were projected with */
  SlMetricKind  kind;      /* SL_METRIC_COUNTER or SL_METRIC_GAUGE_AVG */
  char         *error_a;   /* A has no value for the field at all: the projection's
                            * error, or its first errored sample's; NULL = fine */
  char         *error_b;
  GArray       *rows;      /* SlCompareRow, by phase, union of both runs' phases */
  GPtrArray    *notes;     /* char*: counter regressions etc., prefixed "A: " / "B: " */
} SlCompareField;

void            sl_compare_field_free (SlCompareField *f);

/* The kind a field is compared by: a gauge for f64/bool values and for the
 * monitor's instantaneous per-CPU readings (nr_running, depth, clock, flags),
 * a counter for cumulative integer fields (counts and times by their name,
 * host vCPU times, monitor event and schedstat counters), else a gauge. */
SlMetricKind    sl_compare_guess_kind (const SlFieldSelector *sel, SlScalarType type);

/* Compares one field. `type` is the projection type (the catalog's);
 * `kind` must be SL_METRIC_COUNTER or SL_METRIC_GAUGE_AVG. GError only when
 * the selector does not parse. */
SlCompareField *sl_compare_field (SlRun *a, SlRun *b, const char *selector, SlScalarType type,
                                  SlMetricKind kind, GError **error);

/* A sensible default set: the BPF globals (also as "obj.bss/name" and
 * "obj.data/name") and the top-level scx_stats members that both catalogs have, in A's catalog order, at most max_fields
 * (0 = SL_COMPARE_DEFAULT_MAX_FIELDS). char* selectors. */
GPtrArray      *sl_compare_default_fields (const SlFieldCatalog *a, const SlFieldCatalog *b, guint max_fields);

/* Compares every selector (NULL or empty = the default set), each projected
 * with its catalog type (A's, else B's, else u64) and compared by its guessed
 * kind. SlCompareField*, in order; GError when a selector does not parse. */
GPtrArray      *sl_compare_runs (SlRun *a, SlRun *b, const char *const *selectors, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlCompareField, sl_compare_field_free)

G_END_DECLS
