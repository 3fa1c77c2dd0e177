/* sl-decimate.h: per-pixel-bucket decimation for drawing (KernelShark's bins,
 * Perfetto's min/max/last mipmaps).
 *
 * The visible time range [t0, t1) is split into N equal buckets (one per pixel
 * column). Each bucket keeps min, max, first and last of the valid points that
 * fall in it, so a renderer draws at most one vertical stroke plus two
 * connecting segments per column whatever the number of points: the picture
 * is identical to the full polyline at that resolution. Gaps (projection
 * errors) are preserved: a bucket records when a gap separates its first valid
 * point from the previous one, and the renderer never bridges it.
 *
 * The work is O(log n + points in range) and allocates nothing: the caller
 * owns the bucket array and can reuse it every frame. */
#pragma once

#include <glib.h>
#include "sl-plot-series.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_ok;          /* valid points in the bucket */
  guint    n_gap;         /* invalid points (errors) in the bucket */
  gboolean break_before;  /* a gap lies between the previous valid point and `first` */
  double   min, max;      /* of the valid values (undefined when n_ok == 0) */
  double   first, last;
  guint    first_index;   /* point indexes of first/last valid point */
  guint    last_index;
} SlBucket;

typedef struct {
  /* The nearest points outside [t0, t1), so lines run to the edges. */
  gboolean has_lead_in;
  double   lead_in_t, lead_in_v;
  gboolean has_lead_out;
  double   lead_out_t, lead_out_v;
  gboolean lead_out_break;   /* a gap lies between the last valid point in range and lead-out */
  guint    n_points;         /* points visited in [t0, t1) */
} SlDecimateEdges;

/* Decimates the sorted arrays `t`/`v` (`ok` may be NULL: NaN values are then
 * gaps) over [t0, t1) into `n_buckets`. `edges` may be NULL. Returns the number
 * of non-empty buckets. t0 >= t1 or n_buckets == 0 leaves every bucket empty. */
guint sl_decimate_arrays (const double *t, const double *v, const guint8 *ok, guint n,
                          double t0, double t1,
                          SlBucket *buckets, guint n_buckets, SlDecimateEdges *edges);

guint sl_decimate (const SlPlotSeries *s, double t0, double t1,
                   SlBucket *buckets, guint n_buckets, SlDecimateEdges *edges);

G_END_DECLS
