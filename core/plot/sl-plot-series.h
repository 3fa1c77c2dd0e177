/* sl-plot-series.h: a SeriesField packed for drawing.
 *
 * Plotting needs the slots as time-sorted parallel arrays of doubles (time in
 * elapsed milliseconds, value), a validity flag per point and the index of the
 * slot each point came from (so a hover or a verdict can be mapped back).
 * Cumulative counters can be shown as the raw value, the delta between
 * consecutive samples, or a rate per second (Perfetto's yMode). */
#pragma once

#include <glib.h>
#include "sl-series-field.h"

G_BEGIN_DECLS

typedef enum {
  SL_COUNTER_VALUE,
  SL_COUNTER_DELTA,
  SL_COUNTER_RATE,     /* delta per second of elapsed time */
} SlCounterMode;

const char *sl_counter_mode_name  (SlCounterMode mode);             /* "value", "delta", "rate" */
gboolean    sl_counter_mode_parse (const char *name, SlCounterMode *out);

typedef struct {
  gint     ref_count;
  guint    n;              /* points with a measured elapsed time */
  guint    n_unplaced;     /* slots dropped because their elapsed was not measured */
  double  *t;              /* elapsed ms, ascending */
  double  *v;              /* value (meaningless when !ok) */
  guint8  *ok;             /* 1 = value, 0 = gap (projection error or no predecessor) */
  guint   *slot;           /* slot index in the source field */
  double   v_min, v_max;   /* over the ok finite values; NaN when none */
  double   t_min, t_max;   /* over all points; NaN when n == 0 */
} SlPlotSeries;

/* Packs `field` (any scalar type; bools become 0/1) with the counter `mode`.
 * For DELTA and RATE a point is a gap when it or its predecessor in time is
 * not ok, or when the time delta is not positive (rate). */
SlPlotSeries *sl_plot_series_new_from_field (const SlSeriesField *field, SlCounterMode mode);
/* From parallel arrays (t need not be sorted; NaN values become gaps). */
SlPlotSeries *sl_plot_series_new_from_arrays (const double *t, const double *v, guint n);
SlPlotSeries *sl_plot_series_ref   (SlPlotSeries *s);
void          sl_plot_series_unref (SlPlotSeries *s);

/* Index of the first point with t >= time (n when none). O(log n). */
guint         sl_plot_series_lower_bound (const SlPlotSeries *s, double time);
/* Index of the point nearest to `time` (any validity), or -1 when empty. */
gint          sl_plot_series_nearest (const SlPlotSeries *s, double time);
/* Min/max of ok finite values with t in [t0, t1). FALSE when there are none. */
gboolean      sl_plot_series_range (const SlPlotSeries *s, double t0, double t1,
                                    double *v_min, double *v_max);
/* Mean of ok finite values with t in [t0, t1). FALSE when there are none. */
gboolean      sl_plot_series_mean (const SlPlotSeries *s, double t0, double t1, double *mean);

/* Min, max and mean of ok finite values in [t0, t1) in one pass. */
gboolean      sl_plot_series_stats (const SlPlotSeries *s, double t0, double t1,
                                    double *v_min, double *v_max, double *mean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlPlotSeries, sl_plot_series_unref)

G_END_DECLS
