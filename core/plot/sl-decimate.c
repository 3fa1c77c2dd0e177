/* sl-decimate.c: min/max/first/last per pixel bucket, gaps kept. */
#include "sl-decimate.h"

#include <math.h>
#include <string.h>

static inline gboolean
point_ok (const double *v, const guint8 *ok, guint i)
{
  return ok ? (ok[i] && !isnan (v[i])) : !isnan (v[i]);
}

static guint
lower_bound (const double *t, guint n, double time)
{
  guint lo = 0, hi = n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (t[mid] < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

guint
sl_decimate_arrays (const double *t, const double *v, const guint8 *ok, guint n,
                    double t0, double t1,
                    SlBucket *buckets, guint n_buckets, SlDecimateEdges *edges)
{
  SlDecimateEdges local;
  gboolean pending_break;
  guint first, i, filled = 0;
  double scale;

  g_return_val_if_fail (n == 0 || (t != NULL && v != NULL), 0);
  g_return_val_if_fail (n_buckets == 0 || buckets != NULL, 0);

  if (edges == NULL)
    edges = &local;
  memset (edges, 0, sizeof *edges);
  if (n_buckets > 0)
    memset (buckets, 0, sizeof (SlBucket) * n_buckets);
  if (n_buckets == 0 || !(t1 > t0) || n == 0)
    return 0;

  first = lower_bound (t, n, t0);

  /* The point just before the range decides whether the line enters from the left. */
  pending_break = TRUE;
  if (first > 0 && point_ok (v, ok, first - 1))
    {
      edges->has_lead_in = TRUE;
      edges->lead_in_t = t[first - 1];
      edges->lead_in_v = v[first - 1];
      pending_break = FALSE;
    }

  scale = n_buckets / (t1 - t0);
  for (i = first; i < n && t[i] < t1; i++)
    {
      guint b = (guint) ((t[i] - t0) * scale);
      SlBucket *bucket;

      if (b >= n_buckets)     /* rounding at the right edge */
        b = n_buckets - 1;
      bucket = &buckets[b];
      edges->n_points++;

      if (!point_ok (v, ok, i))
        {
          bucket->n_gap++;
          pending_break = TRUE;
          continue;
        }
      if (bucket->n_ok == 0)
        {
          bucket->break_before = pending_break;
          bucket->min = bucket->max = bucket->first = v[i];
          bucket->first_index = i;
          filled++;
        }
      /* A gap inside one pixel column is not shown: at this zoom the column
       * is one stroke either way, and the gap's samples are counted in n_gap
       * so the renderer can still mark the column. */
      bucket->min = MIN (bucket->min, v[i]);
      bucket->max = MAX (bucket->max, v[i]);
      bucket->last = v[i];
      bucket->last_index = i;
      bucket->n_ok++;
      pending_break = FALSE;
    }

  if (i < n && point_ok (v, ok, i))
    {
      edges->has_lead_out = TRUE;
      edges->lead_out_t = t[i];
      edges->lead_out_v = v[i];
      edges->lead_out_break = pending_break;
    }
  return filled;
}

guint
sl_decimate (const SlPlotSeries *s, double t0, double t1,
             SlBucket *buckets, guint n_buckets, SlDecimateEdges *edges)
{
  g_return_val_if_fail (s != NULL, 0);

  return sl_decimate_arrays (s->t, s->v, s->ok, s->n, t0, t1, buckets, n_buckets, edges);
}
