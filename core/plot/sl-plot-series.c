/* sl-plot-series.c: packing a SeriesField into sorted arrays for drawing. */
#include "sl-plot-series.h"

#include <math.h>
#include <string.h>

const char *
sl_counter_mode_name (SlCounterMode mode)
{
  switch (mode)
    {
    case SL_COUNTER_VALUE: return "value";
    case SL_COUNTER_DELTA: return "delta";
    case SL_COUNTER_RATE:  return "rate";
    default:               return "value";
    }
}

gboolean
sl_counter_mode_parse (const char *name, SlCounterMode *out)
{
  static const SlCounterMode modes[] = { SL_COUNTER_VALUE, SL_COUNTER_DELTA, SL_COUNTER_RATE };

  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (name, sl_counter_mode_name (modes[i])))
      {
        *out = modes[i];
        return TRUE;
      }
  return FALSE;
}

static SlPlotSeries *
plot_series_alloc (guint n)
{
  SlPlotSeries *s = g_new0 (SlPlotSeries, 1);

  s->ref_count = 1;
  s->n = n;
  s->t = g_new0 (double, MAX (n, 1));
  s->v = g_new0 (double, MAX (n, 1));
  s->ok = g_new0 (guint8, MAX (n, 1));
  s->slot = g_new0 (guint, MAX (n, 1));
  return s;
}

static double
scalar_as_double (const SlScalar *s)
{
  switch (s->type)
    {
    case SL_SCALAR_U64:  return (double) s->u;
    case SL_SCALAR_I64:  return (double) s->i;
    case SL_SCALAR_F64:  return s->f;
    case SL_SCALAR_BOOL: return s->b ? 1.0 : 0.0;
    default:             return NAN;
    }
}

/* Exact delta for 64-bit integers: converting each side to double first would
 * lose the low bits of large counters (rq_clock is ~1e12 and beyond). */
static double
scalar_delta (const SlScalar *later, const SlScalar *earlier)
{
  if (later->type == SL_SCALAR_U64 && earlier->type == SL_SCALAR_U64)
    return later->u >= earlier->u ? (double) (later->u - earlier->u)
                                   : -(double) (earlier->u - later->u);
  if (later->type == SL_SCALAR_I64 && earlier->type == SL_SCALAR_I64)
    {
      gint64 d;
      if (!__builtin_sub_overflow (later->i, earlier->i, &d))
        return (double) d;
    }
  return scalar_as_double (later) - scalar_as_double (earlier);
}

typedef struct {
  double t;
  guint  slot;
} TimeIndex;

static int
time_index_cmp (gconstpointer a, gconstpointer b)
{
  const TimeIndex *x = a, *y = b;

  if (x->t < y->t)
    return -1;
  if (x->t > y->t)
    return 1;
  /* Stable: equal times keep slot order. */
  return x->slot < y->slot ? -1 : (x->slot > y->slot);
}

static void
plot_series_finish (SlPlotSeries *s)
{
  s->v_min = NAN;
  s->v_max = NAN;
  s->t_min = s->n ? s->t[0] : NAN;
  s->t_max = s->n ? s->t[s->n - 1] : NAN;
  for (guint i = 0; i < s->n; i++)
    {
      if (!s->ok[i] || !isfinite (s->v[i]))
        continue;
      if (isnan (s->v_min) || s->v[i] < s->v_min)
        s->v_min = s->v[i];
      if (isnan (s->v_max) || s->v[i] > s->v_max)
        s->v_max = s->v[i];
    }
}

SlPlotSeries *
sl_plot_series_new_from_field (const SlSeriesField *field, SlCounterMode mode)
{
  g_autofree TimeIndex *order = NULL;
  SlPlotSeries *s;
  guint len, n = 0;
  gboolean sorted = TRUE;

  g_return_val_if_fail (field != NULL, NULL);

  len = field->slots ? field->slots->len : 0;
  order = g_new0 (TimeIndex, MAX (len, 1));
  for (guint i = 0; i < len; i++)
    {
      const SlSlot *slot = &g_array_index (field->slots, SlSlot, i);

      if (!slot->elapsed_ms.set)
        continue;
      order[n].t = (double) slot->elapsed_ms.v;
      order[n].slot = i;
      if (n > 0 && order[n].t < order[n - 1].t)
        sorted = FALSE;
      n++;
    }
  if (!sorted)
    qsort (order, n, sizeof (TimeIndex), time_index_cmp);

  s = plot_series_alloc (n);
  s->n_unplaced = len - n;
  for (guint k = 0; k < n; k++)
    {
      const SlSlot *slot = &g_array_index (field->slots, SlSlot, order[k].slot);

      s->t[k] = order[k].t;
      s->slot[k] = order[k].slot;
      if (mode == SL_COUNTER_VALUE)
        {
          s->ok[k] = slot->ok;
          s->v[k] = slot->ok ? scalar_as_double (&slot->value) : NAN;
          continue;
        }

      /* Delta and rate need the previous point in time, and both must be values. */
      s->ok[k] = FALSE;
      s->v[k] = NAN;
      if (k == 0 || !slot->ok)
        continue;
      {
        const SlSlot *prev = &g_array_index (field->slots, SlSlot, order[k - 1].slot);
        double d, dt;

        if (!prev->ok)
          continue;
        d = scalar_delta (&slot->value, &prev->value);
        if (mode == SL_COUNTER_DELTA)
          {
            s->v[k] = d;
            s->ok[k] = TRUE;
            continue;
          }
        dt = order[k].t - order[k - 1].t;
        if (dt <= 0)
          continue;
        s->v[k] = d / (dt / 1000.0);
        s->ok[k] = TRUE;
      }
    }
  plot_series_finish (s);
  return s;
}

SlPlotSeries *
sl_plot_series_new_from_arrays (const double *t, const double *v, guint n)
{
  g_autofree TimeIndex *order = NULL;
  SlPlotSeries *s;
  gboolean sorted = TRUE;

  g_return_val_if_fail (n == 0 || (t != NULL && v != NULL), NULL);

  order = g_new0 (TimeIndex, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      order[i].t = t[i];
      order[i].slot = i;
      if (i > 0 && t[i] < t[i - 1])
        sorted = FALSE;
    }
  if (!sorted)
    qsort (order, n, sizeof (TimeIndex), time_index_cmp);

  s = plot_series_alloc (n);
  for (guint k = 0; k < n; k++)
    {
      s->t[k] = order[k].t;
      s->slot[k] = order[k].slot;
      s->v[k] = v[order[k].slot];
      s->ok[k] = !isnan (s->v[k]);
    }
  plot_series_finish (s);
  return s;
}

SlPlotSeries *
sl_plot_series_ref (SlPlotSeries *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  g_atomic_int_inc (&s->ref_count);
  return s;
}

void
sl_plot_series_unref (SlPlotSeries *s)
{
  if (s == NULL || !g_atomic_int_dec_and_test (&s->ref_count))
    return;
  g_free (s->t);
  g_free (s->v);
  g_free (s->ok);
  g_free (s->slot);
  g_free (s);
}

guint
sl_plot_series_lower_bound (const SlPlotSeries *s, double time)
{
  guint lo = 0, hi;

  g_return_val_if_fail (s != NULL, 0);

  hi = s->n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (s->t[mid] < time)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gint
sl_plot_series_nearest (const SlPlotSeries *s, double time)
{
  guint i;

  g_return_val_if_fail (s != NULL, -1);

  if (s->n == 0)
    return -1;
  i = sl_plot_series_lower_bound (s, time);
  if (i == s->n)
    return (gint) s->n - 1;
  if (i > 0 && time - s->t[i - 1] <= s->t[i] - time)
    return (gint) i - 1;
  return (gint) i;
}

gboolean
sl_plot_series_range (const SlPlotSeries *s, double t0, double t1, double *v_min, double *v_max)
{
  double lo = INFINITY, hi = -INFINITY;
  gboolean any = FALSE;

  g_return_val_if_fail (s != NULL, FALSE);

  for (guint i = sl_plot_series_lower_bound (s, t0); i < s->n && s->t[i] < t1; i++)
    {
      if (!s->ok[i] || !isfinite (s->v[i]))
        continue;
      lo = MIN (lo, s->v[i]);
      hi = MAX (hi, s->v[i]);
      any = TRUE;
    }
  if (any)
    {
      if (v_min)
        *v_min = lo;
      if (v_max)
        *v_max = hi;
    }
  return any;
}

gboolean
sl_plot_series_mean (const SlPlotSeries *s, double t0, double t1, double *mean)
{
  double sum = 0;
  guint count = 0;

  g_return_val_if_fail (s != NULL, FALSE);

  for (guint i = sl_plot_series_lower_bound (s, t0); i < s->n && s->t[i] < t1; i++)
    {
      if (!s->ok[i] || !isfinite (s->v[i]))
        continue;
      sum += s->v[i];
      count++;
    }
  if (count == 0)
    return FALSE;
  if (mean)
    *mean = sum / count;
  return TRUE;
}

gboolean
sl_plot_series_stats (const SlPlotSeries *s, double t0, double t1,
                      double *v_min, double *v_max, double *mean)
{
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  guint count = 0;

  g_return_val_if_fail (s != NULL, FALSE);

  for (guint i = sl_plot_series_lower_bound (s, t0); i < s->n && s->t[i] < t1; i++)
    {
      if (!s->ok[i] || !isfinite (s->v[i]))
        continue;
      lo = MIN (lo, s->v[i]);
      hi = MAX (hi, s->v[i]);
      sum += s->v[i];
      count++;
    }
  if (count == 0)
    return FALSE;
  if (v_min)
    *v_min = lo;
  if (v_max)
    *v_max = hi;
  if (mean)
    *mean = sum / count;
  return TRUE;
}
