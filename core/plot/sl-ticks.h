/* sl-ticks.h: axis arithmetic for plots: "nice" tick steps (1/2/5 × 10^n),
 * y-range policies, and compact labels for times and values. GUI-free. */
#pragma once

#include <glib.h>
#include "sl-plot-series.h"

G_BEGIN_DECLS

/* The smallest 1/2/5 × 10^n step that is >= `min_step` (> 0). */
double sl_ticks_nice_step (double min_step);

/* Ticks at multiples of a nice step inside [lo, hi], such that neighbouring
 * ticks are at least `min_spacing` apart in data units. Writes at most
 * `max_ticks` values into `out`, returns how many, and the step in `step`. */
guint  sl_ticks_compute (double lo, double hi, double min_spacing,
                         double *out, guint max_ticks, double *step);

typedef enum {
  SL_YRANGE_AUTO,      /* min/max of what is visible */
  SL_YRANGE_WHOLE_RUN, /* min/max of the whole run */
  SL_YRANGE_FIXED,     /* the user's bounds */
} SlYRangePolicy;

const char *sl_yrange_policy_name  (SlYRangePolicy policy);   /* "auto", "whole-run", "fixed" */
gboolean    sl_yrange_policy_parse (const char *name, SlYRangePolicy *out);

/* Resolves the y range of a track. For FIXED, fixed_lo/fixed_hi are used (swapped
 * when reversed). Otherwise the data range (visible [t0, t1) or the whole series)
 * is padded by 5 %, a flat range is widened around its value, and an empty one
 * becomes [0, 1]. lo < hi always holds on return. */
void sl_yrange_resolve (const SlPlotSeries *s, SlYRangePolicy policy,
                        double t0, double t1, double fixed_lo, double fixed_hi,
                        double *lo, double *hi);

/* The padding rule of sl_yrange_resolve applied to a data range [a, b]
 * (NaN = no data): 5 % air, flat ranges widened, no dip below 0 for
 * non-negative data, [0, 1] when empty. */
void sl_yrange_pad (double a, double b, double *lo, double *hi);

/* "250 ms", "1.5 s", "2 min 5 s", with precision that suits `step_ms` (the tick
 * step, or 0 for a readout). */
char *sl_format_time_ms (double ms, double step_ms);
/* Values with SI suffixes (k, M, G, T) and enough digits for `step` (0 = readout). */
char *sl_format_value (double v, double step);

G_END_DECLS
