/* sl-prefill.c: suggestions that make a new assertion pass on the data at hand. */
#include "sl-prefill.h"

#include <math.h>
#include <string.h>
#include "sl-phase.h"

static gboolean
in_scope (const SlSlot *s, const guint16 *phases, guint n)
{
  if (n == 0)
    return TRUE;
  if (!s->has_phase)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (phases[i] == s->phase)
      return TRUE;
  return FALSE;
}

static gboolean
slot_f64 (const SlSlot *s, double *out)
{
  if (!s->ok)
    return FALSE;
  switch (s->value.type)
    {
    case SL_SCALAR_U64:  *out = (double) s->value.u; break;
    case SL_SCALAR_I64:  *out = (double) s->value.i; break;
    case SL_SCALAR_F64:  *out = s->value.f; break;
    case SL_SCALAR_BOOL: *out = s->value.b; break;
    default: return FALSE;
    }
  return isfinite (*out);
}

char *
sl_prefill_format (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return g_strdup ("0");
  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup_printf ("%.0f", v);
  /* Three significant digits, printed without exponent when reasonable. */
  g_ascii_formatd (buf, sizeof buf, fabs (v) >= 1e-4 && fabs (v) < 1e15 ? "%.3g" : "%.6g", v);
  if (strchr (buf, 'e') && fabs (v) >= 1e-4)
    return g_strdup_printf ("%.*f", 3, v);
  return g_strdup (buf);
}

/* Rounds away from the data: down for lower bounds, up for upper ones, at 2
 * significant digits, so the suggestion still holds. */
static double
round_out (double v, gboolean up)
{
  double mag, r;

  if (v == 0 || !isfinite (v))
    return v;
  mag = pow (10, floor (log10 (fabs (v))) - 1);
  r = (up ? ceil (v / mag) : floor (v / mag)) * mag;
  return r;
}

static void
set (SlPrefill *out, SlPatternParamId id, double v)
{
  g_free (out->text[id]);
  out->text[id] = sl_prefill_format (v);
}

void
sl_prefill_compute (SlPrefill *out, const SlPatternInfo *pattern, const SlSeriesField *field,
                    const guint16 *phases, guint n_phases, const SlSeriesField *other,
                    const guint16 *all_phases, guint n_all_phases)
{
  double vmin = INFINITY, vmax = -INFINITY, tmin = INFINITY, tmax = -INFINITY;
  double rmin = INFINITY, rmax = -INFINITY;
  double prev_v = NAN, prev_t = NAN;
  guint n = 0, len;

  g_return_if_fail (out != NULL && pattern != NULL);

  memset (out, 0, sizeof *out);
  len = field ? sl_series_field_len (field) : 0;
  for (guint i = 0; i < len; i++)
    {
      const SlSlot *s = sl_series_field_slot (field, i);
      double v;

      if (!in_scope (s, phases, n_phases))
        continue;
      if (s->elapsed_ms.set)
        {
          tmin = MIN (tmin, (double) s->elapsed_ms.v);
          tmax = MAX (tmax, (double) s->elapsed_ms.v);
        }
      if (!slot_f64 (s, &v))
        {
          prev_v = NAN;   /* patterns do not bridge gaps */
          continue;
        }
      vmin = MIN (vmin, v);
      vmax = MAX (vmax, v);
      n++;
      if (s->elapsed_ms.set && !isnan (prev_v) && (double) s->elapsed_ms.v > prev_t)
        {
          double r = (v - prev_v) / ((double) s->elapsed_ms.v - prev_t);
          rmin = MIN (rmin, r);
          rmax = MAX (rmax, r);
        }
      prev_v = v;
      prev_t = s->elapsed_ms.set ? (double) s->elapsed_ms.v : NAN;
    }

  switch (pattern->id)
    {
    case SL_PATTERN_RATE_WITHIN:
      if (isfinite (rmin))
        {
          double pad = MAX ((rmax - rmin) * 0.1, fabs (rmax) * 0.05);
          set (out, SL_PARAM_LO, round_out (rmin - pad, FALSE));
          set (out, SL_PARAM_HI, round_out (rmax + pad, TRUE));
        }
      else
        {
          set (out, SL_PARAM_LO, 0);
          set (out, SL_PARAM_HI, 1);
        }
      break;

    case SL_PATTERN_STEADY_WITHIN:
    case SL_PATTERN_CONVERGES_TO:
      {
        /* Warm-up: the first fifth of the scope. The band is what the
         * post-warmup samples actually span, plus a margin. */
        double warmup = isfinite (tmin) ? tmin + (tmax - tmin) * 0.2 : 0;
        double sum = 0, dev = 0, mean;
        guint k = 0;

        for (guint pass = 0; pass < 2; pass++)
          for (guint i = 0; i < len; i++)
            {
              const SlSlot *s = sl_series_field_slot (field, i);
              double v;
              if (!in_scope (s, phases, n_phases) || !s->elapsed_ms.set
                  || (double) s->elapsed_ms.v < warmup || !slot_f64 (s, &v))
                continue;
              if (pass == 0)
                {
                  sum += v;
                  k++;
                }
              else
                dev = MAX (dev, fabs (v - sum / k));
            }
        mean = k ? sum / k : 0;
        if (pattern->id == SL_PATTERN_STEADY_WITHIN)
          {
            set (out, SL_PARAM_WARMUP_MS, floor (warmup));
            set (out, SL_PARAM_TOLERANCE, mean != 0 ? MAX (0.01, round_out (dev / fabs (mean) * 1.1, TRUE)) : 0.1);
          }
        else
          {
            set (out, SL_PARAM_TARGET, mean);
            set (out, SL_PARAM_TOLERANCE, round_out (MAX (dev * 1.1, fabs (mean) * 0.01 + 1e-9), TRUE));
            set (out, SL_PARAM_DEADLINE_MS, isfinite (tmax) ? tmax : 0);
          }
      }
      break;

    case SL_PATTERN_EACH_AT_LEAST:
      set (out, SL_PARAM_BOUND, n ? floor (vmin) : 0);
      break;
    case SL_PATTERN_EACH_AT_MOST:
      set (out, SL_PARAM_BOUND, n ? ceil (vmax) : 0);
      break;
    case SL_PATTERN_EACH_BETWEEN:
      set (out, SL_PARAM_LO, n ? floor (vmin) : 0);
      set (out, SL_PARAM_HI, n ? ceil (vmax) : 0);
      break;

    case SL_PATTERN_RATIO_WITHIN:
      {
        double qmin = INFINITY, qmax = -INFINITY;
        guint olen = other ? sl_series_field_len (other) : 0;

        for (guint i = 0; i < MIN (len, olen); i++)
          {
            const SlSlot *a = sl_series_field_slot (field, i), *b = sl_series_field_slot (other, i);
            double x, y;
            if (!in_scope (a, phases, n_phases) || !slot_f64 (a, &x) || !slot_f64 (b, &y) || y == 0)
              continue;
            qmin = MIN (qmin, x / y);
            qmax = MAX (qmax, x / y);
          }
        set (out, SL_PARAM_LO, isfinite (qmin) ? round_out (qmin * (qmin > 0 ? 0.9 : 1.1), FALSE) : 0);
        set (out, SL_PARAM_HI, isfinite (qmax) ? round_out (qmax * (qmax > 0 ? 1.1 : 0.9), TRUE) : 1);
      }
      break;

    case SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST:
      if (n_all_phases >= 1)
        {
          guint16 e = all_phases[0], l = all_phases[n_all_phases - 1];
          double ve = NAN, vl = NAN;

          /* value_at_phase: the last Ok value of each phase. */
          for (guint i = 0; i < len; i++)
            {
              const SlSlot *s = sl_series_field_slot (field, i);
              double v;
              if (!s->has_phase || !slot_f64 (s, &v))
                continue;
              if (s->phase == e)
                ve = v;
              if (s->phase == l)
                vl = v;
            }
          g_free (out->text[SL_PARAM_EARLIER]);
          out->text[SL_PARAM_EARLIER] = sl_phase_label (e);
          g_free (out->text[SL_PARAM_LATER]);
          out->text[SL_PARAM_LATER] = sl_phase_label (l);
          set (out, SL_PARAM_CEILING, isfinite (ve) && isfinite (vl) && ve != 0
                                      ? round_out (MAX (vl / ve * 1.2, 0.01), TRUE) : 2);
        }
      break;

    case SL_PATTERN_NONDECREASING:
    case SL_PATTERN_STRICTLY_INCREASING:
    case SL_PATTERN_ALWAYS_TRUE:
    default:
      break;
    }
}

void
sl_prefill_clear (SlPrefill *p)
{
  for (guint i = 0; i < SL_PARAM_COUNT; i++)
    g_clear_pointer (&p->text[i], g_free);
}
