/* sl-prefill.h: parameter suggestions for a pattern, computed from the data
 * the assertion will be evaluated on (observed rate range, post-warmup mean,
 * observed bounds, …), so a freshly picked pattern passes on this run and the
 * user tightens it from there. GUI-free. */
#pragma once

#include <glib.h>
#include "sl-patterns.h"
#include "sl-series-field.h"

G_BEGIN_DECLS

typedef struct {
  char *text[SL_PARAM_COUNT];   /* spec text per parameter id; NULL = no suggestion */
} SlPrefill;

/* `field` is the projected field (any type); `phases` the scope (n == 0 = all);
 * `other` (may be NULL) the field for ratio_within; `all_phases` the run's
 * phases in order (for ratio_across_phases). */
void sl_prefill_compute (SlPrefill *out, const SlPatternInfo *pattern, const SlSeriesField *field,
                         const guint16 *phases, guint n_phases, const SlSeriesField *other,
                         const guint16 *all_phases, guint n_all_phases);
void sl_prefill_clear   (SlPrefill *p);

/* A short decimal for a suggestion: 3 significant digits, no exponent for
 * ordinary magnitudes. */
char *sl_prefill_format (double v);

G_END_DECLS
