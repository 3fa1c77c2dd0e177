/* sl-ticks.c: nice ticks, y-range policies, axis labels. */
#include "sl-ticks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double
sl_ticks_nice_step (double min_step)
{
  double mag, norm;

  if (!(min_step > 0) || !isfinite (min_step))
    return 1.0;
  mag = pow (10.0, floor (log10 (min_step)));
  norm = min_step / mag;
  /* A small epsilon keeps 2.0000000001 (from division) on 2, not 5. */
  if (norm <= 1.0 + 1e-9)
    return mag;
  if (norm <= 2.0 + 1e-9)
    return 2 * mag;
  if (norm <= 5.0 + 1e-9)
    return 5 * mag;
  return 10 * mag;
}

guint
sl_ticks_compute (double lo, double hi, double min_spacing, double *out, guint max_ticks, double *step)
{
  double s, first;
  guint n = 0;

  g_return_val_if_fail (max_ticks == 0 || out != NULL, 0);

  if (!isfinite (lo) || !isfinite (hi) || !(hi > lo) || max_ticks == 0)
    return 0;
  s = sl_ticks_nice_step (MAX (min_spacing, (hi - lo) / max_ticks));
  /* Never more than max_ticks, whatever min_spacing says. */
  while ((hi - lo) / s > max_ticks)
    s = sl_ticks_nice_step (s * 1.5);
  if (step)
    *step = s;
  first = ceil (lo / s - 1e-9) * s;
  for (double v = first; v <= hi + s * 1e-9 && n < max_ticks; v = first + s * n)
    out[n++] = fabs (v) < s * 1e-9 ? 0.0 : v;
  return n;
}

const char *
sl_yrange_policy_name (SlYRangePolicy policy)
{
  switch (policy)
    {
    case SL_YRANGE_AUTO:      return "auto";
    case SL_YRANGE_WHOLE_RUN: return "whole-run";
    case SL_YRANGE_FIXED:     return "fixed";
    default:                  return "auto";
    }
}

gboolean
sl_yrange_policy_parse (const char *name, SlYRangePolicy *out)
{
  static const SlYRangePolicy all[] = { SL_YRANGE_AUTO, SL_YRANGE_WHOLE_RUN, SL_YRANGE_FIXED };

  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (g_str_equal (name, sl_yrange_policy_name (all[i])))
      {
        *out = all[i];
        return TRUE;
      }
  return FALSE;
}

void
sl_yrange_resolve (const SlPlotSeries *s, SlYRangePolicy policy,
                   double t0, double t1, double fixed_lo, double fixed_hi,
                   double *lo, double *hi)
{
  double a = NAN, b = NAN;

  g_return_if_fail (lo != NULL && hi != NULL);

  if (policy == SL_YRANGE_FIXED && isfinite (fixed_lo) && isfinite (fixed_hi) && fixed_lo != fixed_hi)
    {
      *lo = MIN (fixed_lo, fixed_hi);
      *hi = MAX (fixed_lo, fixed_hi);
      return;
    }
  if (s != NULL)
    {
      if (policy == SL_YRANGE_AUTO)
        {
          if (!sl_plot_series_range (s, t0, t1, &a, &b))
            a = b = NAN;
        }
      else
        {
          a = s->v_min;
          b = s->v_max;
        }
    }
  sl_yrange_pad (a, b, lo, hi);
}

void
sl_yrange_pad (double a, double b, double *lo, double *hi)
{
  double pad;

  g_return_if_fail (lo != NULL && hi != NULL);
  if (isnan (a) || isnan (b))
    {
      *lo = 0;
      *hi = 1;
      return;
    }
  if (a == b)
    {
      /* A flat line sits in the middle of the track rather than on its edge. */
      pad = fabs (a) > 0 ? fabs (a) * 0.1 : 1.0;
      *lo = a - pad;
      *hi = b + pad;
      return;
    }
  pad = (b - a) * 0.05;
  *lo = a - pad;
  *hi = b + pad;
  /* Counts are never negative: do not pad a zero minimum below the axis. */
  if (a >= 0 && *lo < 0)
    *lo = 0;
}

static char *
format_trimmed (double v, int decimals)
{
  char *s = g_strdup_printf ("%.*f", MAX (decimals, 0), v);

  if (decimals > 0 && strchr (s, '.') != NULL)
    {
      char *end = s + strlen (s) - 1;

      while (*end == '0')
        *end-- = '\0';
      if (*end == '.')
        *end = '\0';
    }
  if (g_str_equal (s, "-0"))
    {
      g_free (s);
      s = g_strdup ("0");
    }
  return s;
}

static int
decimals_for (double step, double unit)
{
  double rel;

  if (!(step > 0))
    return 3;
  rel = step / unit;
  if (rel >= 1)
    return 0;
  return MIN ((int) ceil (-log10 (rel) - 1e-9), 9);
}

char *
sl_format_time_ms (double ms, double step_ms)
{
  g_autofree char *num = NULL;
  double a = fabs (ms);

  if (!isfinite (ms))
    return g_strdup ("?");
  if (a >= 120000 && (step_ms == 0 || step_ms >= 1000))
    {
      gint64 total_s = (gint64) llround (ms / 1000.0);
      gint64 m = total_s / 60, sec = llabs (total_s % 60);

      return sec ? g_strdup_printf ("%" G_GINT64_FORMAT " min %" G_GINT64_FORMAT " s", m, sec)
                 : g_strdup_printf ("%" G_GINT64_FORMAT " min", m);
    }
  if (a >= 1000 || (step_ms >= 1000))
    {
      num = format_trimmed (ms / 1000.0, step_ms > 0 ? decimals_for (step_ms, 1000) : 3);
      return g_strdup_printf ("%s s", num);
    }
  num = format_trimmed (ms, step_ms > 0 ? decimals_for (step_ms, 1) : 3);
  return g_strdup_printf ("%s ms", num);
}

char *
sl_format_value (double v, double step)
{
  static const struct { double scale; const char *suffix; } si[] = {
    { 1e12, "T" }, { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" },
  };
  double a = fabs (v), ref = step > 0 ? MAX (step, a) : a;

  if (isnan (v))
    return g_strdup ("NaN");
  if (isinf (v))
    return g_strdup (v > 0 ? "∞" : "−∞");
  for (guint i = 0; i < G_N_ELEMENTS (si); i++)
    if (ref >= si[i].scale)
      {
        g_autofree char *num = format_trimmed (v / si[i].scale,
                                               step > 0 ? decimals_for (step, si[i].scale) : 3);
        return g_strdup_printf ("%s%s", num, si[i].suffix);
      }
  if (step == 0 && a == floor (a) && a < 1e15)
    return g_strdup_printf ("%.0f", v);
  return format_trimmed (v, step > 0 ? decimals_for (step, 1) : (a >= 100 ? 1 : a >= 1 ? 3 : 6));
}
