/* sl-patterns.c: the series patterns of §5.1-5.4, rule for rule:
 * nondecreasing, strictly_increasing, rate_within, steady_within and
 * converges_to.
 *
 * Each pattern is one O(n) pass (steady_within and converges_to make two) and
 * allocates only the messages it records. */
#include "sl-patterns.h"

#include <math.h>

#include "sl-pattern-private.h"

/* --- 5.1 nondecreasing / strictly_increasing --- */

static void
monotonicity (const SlSeriesField *f, SlVerdict *v, gboolean strict)
{
  const char *pat = strict ? "strictly_increasing" : "nondecreasing";
  guint n = f->slots->len;
  g_autoptr(GString) skipped = NULL;
  guint n_skipped = 0;
  gint last_skipped = -1;

  if (!sl_pattern_type_ok (f, strict ? SL_PATTERN_STRICTLY_INCREASING : SL_PATTERN_NONDECREASING, v))
    return;
  if (n < 2)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "%s): only %u samples — pattern vacuously holds; "
                              "ensure num_snapshots >= 2 for meaningful coverage", pat, n);
      sl_pattern_note (v, n == 1 ? 0 : -1, m);
      return;
    }
  skipped = g_string_new (NULL);
  for (guint i = 0; i + 1 < n; i++)
    {
      const SlSlot *l = sl_pattern_slot_at (f, i), *r = sl_pattern_slot_at (f, i + 1);
      int c;
      gboolean ok;

      if (!l->ok)
        {
          sl_pattern_list_sep (skipped);
          sl_pattern_append_err_entry (skipped, l);
          n_skipped++;
          last_skipped = (gint) i;
          continue;
        }
      /* An errored right side is listed when it becomes the left side; the
       * values around a gap are never compared with each other. */
      if (!r->ok)
        continue;
      ok = sl_scalar_compare (r->value, l->value, &c) && (strict ? c > 0 : c >= 0);
      if (!ok)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append_printf (m, "%s): regression at ", pat);
          sl_pattern_append_sample (m, r);
          g_string_append (m, ": value ");
          sl_pattern_append_value (m, r->value);
          g_string_append (m, " after prior value ");
          sl_pattern_append_value (m, l->value);
          g_string_append (m, " at ");
          sl_pattern_append_sample (m, l);
          sl_pattern_fail (v, f, (gint) i, (gint) i + 1, m);
        }
    }
  if (!sl_pattern_slot_at (f, n - 1)->ok)
    {
      sl_pattern_list_sep (skipped);
      sl_pattern_append_err_entry (skipped, sl_pattern_slot_at (f, n - 1));
      n_skipped++;
      last_skipped = (gint) n - 1;
    }
  if (n_skipped > 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "%s): skipped %u sample(s) with projection errors: %s",
                              pat, n_skipped, skipped->str);
      sl_pattern_note (v, n_skipped == 1 ? last_skipped : -1, m);
    }
}

void
sl_pattern_nondecreasing (const SlSeriesField *f, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);
  monotonicity (f, v, FALSE);
}

void
sl_pattern_strictly_increasing (const SlSeriesField *f, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);
  monotonicity (f, v, TRUE);
}

/* --- 5.2 rate_within --- */

/* "samples A (+ms, value x) and B (+ms, value y)" */
static void
append_pair_values (GString *m, const SlSlot *l, double lv, const SlSlot *r, double rv)
{
  g_string_append_printf (m, "samples %s (", l->tag);
  sl_pattern_append_elapsed (m, l->elapsed_ms);
  g_string_append (m, ", value ");
  sl_pattern_append_f64 (m, lv);
  g_string_append_printf (m, ") and %s (", r->tag);
  sl_pattern_append_elapsed (m, r->elapsed_ms);
  g_string_append (m, ", value ");
  sl_pattern_append_f64 (m, rv);
  g_string_append (m, ")");
}

void
sl_pattern_rate_within (const SlSeriesField *f, double lo, double hi, SlVerdict *v)
{
  guint n;
  g_autoptr(GString) gaps = NULL;
  guint n_gaps = 0;

  g_return_if_fail (f != NULL && v != NULL);

  if (!sl_pattern_params_are_numbers (f, "rate_within", v, "lo", lo, "hi", hi, NULL, 0))
    return;
  if (!sl_pattern_band_is_ordered (f, "rate_within", v, lo, hi))
    return;
  if (!sl_pattern_type_ok (f, SL_PATTERN_RATE_WITHIN, v))
    return;
  n = f->slots->len;
  if (n < 2)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "rate_within): only %u samples — pattern vacuously holds", n);
      sl_pattern_note (v, n == 1 ? 0 : -1, m);
      return;
    }
  gaps = g_string_new (NULL);
  for (guint i = 0; i + 1 < n; i++)
    {
      const SlSlot *l = sl_pattern_slot_at (f, i), *r = sl_pattern_slot_at (f, i + 1);
      double lv, rv, dt, rate;

      if (!l->ok || !r->ok)
        {
          sl_pattern_list_sep (gaps);
          if (!l->ok)
            sl_pattern_append_err_entry (gaps, l);
          if (!l->ok && !r->ok)
            g_string_append (gaps, " | ");
          if (!r->ok)
            sl_pattern_append_err_entry (gaps, r);
          n_gaps++;
          continue;
        }
      if (!l->elapsed_ms.set || !r->elapsed_ms.set)
        {
          sl_pattern_list_sep (gaps);
          sl_pattern_append_tag_at (gaps, l);
          g_string_append (gaps, "..");
          sl_pattern_append_tag_at (gaps, r);
          g_string_append (gaps, ": elapsed not measured");
          n_gaps++;
          continue;
        }
      dt = r->elapsed_ms.v > l->elapsed_ms.v ? (double) (r->elapsed_ms.v - l->elapsed_ms.v) : 0.0;
      if (dt <= 0)
        {
          /* The denominator comes from the instrument, not the scheduler. */
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "rate_within): zero-time delta between ");
          sl_pattern_append_sample (m, l);
          g_string_append_printf (m, " and %s (", r->tag);
          sl_pattern_append_elapsed (m, r->elapsed_ms);
          g_string_append (m, ") — denominator is INSTRUMENT-derived; rate is neither pass nor fail");
          sl_pattern_inconclusive (v, f, (gint) i, (gint) i + 1, m);
          continue;
        }
      lv = sl_pattern_slot_f64 (l);
      rv = sl_pattern_slot_f64 (r);
      rate = (rv - lv) / dt;
      if (!isfinite (rate))
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "rate_within ");
          sl_pattern_append_band (m, lo, hi);
          g_string_append (m, "): non-finite rate between ");
          append_pair_values (m, l, lv, r, rv);
          g_string_append (m, " — endpoint is NaN or produced inf in the delta");
          sl_pattern_fail (v, f, (gint) i, (gint) i + 1, m);
        }
      else if (rate < lo || rate > hi)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "rate_within ");
          sl_pattern_append_band (m, lo, hi);
          g_string_append (m, "): rate ");
          sl_pattern_append_fixed (m, rate, 4);
          g_string_append (m, "/ms between ");
          append_pair_values (m, l, lv, r, rv);
          sl_pattern_fail (v, f, (gint) i, (gint) i + 1, m);
        }
    }
  if (n_gaps > 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "rate_within): %u consecutive-pair gap(s) skipped due to a "
                              "projection error or an unmeasured elapsed timestamp on at "
                              "least one endpoint: %s", n_gaps, gaps->str);
      sl_pattern_note (v, -1, m);
    }
}

/* --- 5.3 steady_within --- */

typedef enum {
  STEADY_IGNORED,      /* inside warmup: no note */
  STEADY_ACTIVE,
  STEADY_SKIPPED,
} SteadyClass;

static SteadyClass
steady_classify (const SlSlot *s, double warmup_ms, gboolean *post_warmup)
{
  *post_warmup = FALSE;
  if (!s->elapsed_ms.set)
    return STEADY_SKIPPED;
  if ((double) s->elapsed_ms.v < warmup_ms)
    return STEADY_IGNORED;
  *post_warmup = TRUE;
  if (!s->ok || !isfinite (sl_pattern_slot_f64 (s)))
    return STEADY_SKIPPED;
  return STEADY_ACTIVE;
}

void
sl_pattern_steady_within (const SlSeriesField *f, double warmup_ms, double tolerance, SlVerdict *v)
{
  guint n, n_active = 0, n_skipped = 0;
  gint last_skipped = -1;
  gboolean any_post_warmup = FALSE;
  g_autoptr(GString) skipped = NULL;
  double sum = 0, mean, lo, hi;

  g_return_if_fail (f != NULL && v != NULL);

  if (!sl_pattern_params_are_numbers (f, "steady_within", v, "warmup_ms", warmup_ms, "tolerance", tolerance, NULL, 0))
    return;
  if (tolerance < 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append (m, "steady_within): caller error: tolerance ");
      sl_pattern_append_f64 (m, tolerance);
      g_string_append (m, " negative");
      sl_pattern_fail (v, f, -1, -1, m);
      return;
    }
  if (!sl_pattern_type_ok (f, SL_PATTERN_STEADY_WITHIN, v))
    return;

  n = f->slots->len;
  skipped = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);
      gboolean post;

      switch (steady_classify (s, warmup_ms, &post))
        {
        case STEADY_IGNORED:
          break;
        case STEADY_ACTIVE:
          sum += sl_pattern_slot_f64 (s);
          n_active++;
          break;
        case STEADY_SKIPPED:
          sl_pattern_list_sep (skipped);
          sl_pattern_append_tag_at (skipped, s);
          if (!s->elapsed_ms.set)
            g_string_append (skipped, ": elapsed not measured (cannot place vs warmup)");
          else if (!s->ok)
            g_string_append_printf (skipped, ": %s", s->error_text);
          else
            {
              g_string_append (skipped, ": non-finite value ");
              sl_pattern_append_f64 (skipped, sl_pattern_slot_f64 (s));
            }
          n_skipped++;
          last_skipped = (gint) i;
          break;
        }
      any_post_warmup |= post;
    }
  if (n_skipped > 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "steady_within): skipped %u sample(s) with a projection error "
                              "or an unmeasured elapsed timestamp: %s", n_skipped, skipped->str);
      sl_pattern_note (v, n_skipped == 1 ? last_skipped : -1, m);
    }
  if (n_active == 0)
    {
      /* When post-warmup samples existed but were all skipped, the skip note
       * already says why; only a warmup that absorbed everything is noted. */
      if (!any_post_warmup)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "steady_within): no samples beyond warmup_ms=");
          sl_pattern_append_f64 (m, warmup_ms);
          g_string_append (m, " — pattern vacuously holds");
          sl_pattern_note (v, -1, m);
        }
      return;
    }

  mean = sum / (double) n_active;
  lo = mean * (1.0 - tolerance);
  hi = mean * (1.0 + tolerance);
  if (lo > hi)
    {
      /* A negative mean flips the band. */
      double t = lo;

      lo = hi;
      hi = t;
    }
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);
      gboolean post;
      double x;

      if (steady_classify (s, warmup_ms, &post) != STEADY_ACTIVE)
        continue;
      x = sl_pattern_slot_f64 (s);
      if (x < lo || x > hi)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "steady_within mean ");
          sl_pattern_append_fixed (m, mean, 4);
          g_string_append (m, " ±");
          sl_pattern_append_fixed (m, tolerance * 100.0, 1);
          g_string_append (m, "%): ");
          sl_pattern_append_sample (m, s);
          g_string_append (m, ": value ");
          sl_pattern_append_f64 (m, x);
          g_string_append (m, " outside [");
          sl_pattern_append_fixed (m, lo, 4);
          g_string_append (m, ", ");
          sl_pattern_append_fixed (m, hi, 4);
          g_string_append (m, "]");
          sl_pattern_fail (v, f, (gint) i, (gint) i, m);
        }
    }
}

/* --- 5.4 converges_to --- */

static GString *
converges_prefix (const SlSeriesField *f, double target, double tolerance, double deadline_ms)
{
  GString *m = sl_pattern_msg_new (f);

  g_string_append (m, "converges_to ");
  sl_pattern_append_f64 (m, target);
  g_string_append (m, " ±");
  sl_pattern_append_f64 (m, tolerance);
  g_string_append (m, ", deadline_ms=");
  sl_pattern_append_f64 (m, deadline_ms);
  g_string_append (m, "): ");
  return m;
}

static inline gboolean
in_window (const SlSlot *s, double deadline_ms)
{
  return s->elapsed_ms.set && (double) s->elapsed_ms.v <= deadline_ms;
}

void
sl_pattern_converges_to (const SlSeriesField *f, double target, double tolerance,
                         double deadline_ms, SlVerdict *v)
{
  guint n, n_ok = 0, run = 0;
  gint first_in = -1, last_in = -1;
  gboolean witness = FALSE;
  g_autoptr(GString) errors = NULL;
  double lo, hi;

  g_return_if_fail (f != NULL && v != NULL);

  if (!sl_pattern_params_are_numbers (f, "converges_to", v, "target", target, "tolerance", tolerance,
                           "deadline_ms", deadline_ms))
    return;
  if (tolerance < 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append (m, "converges_to): caller error: tolerance ");
      sl_pattern_append_f64 (m, tolerance);
      g_string_append (m, " negative");
      sl_pattern_fail (v, f, -1, -1, m);
      return;
    }
  if (!sl_pattern_type_ok (f, SL_PATTERN_CONVERGES_TO, v))
    return;

  n = f->slots->len;
  errors = g_string_new (NULL);
  /* Pre-check: enough evidence inside the window to look for a witness? */
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);

      if (!in_window (s, deadline_ms))
        continue;
      if (first_in < 0)
        first_in = (gint) i;
      last_in = (gint) i;
      if (s->ok)
        n_ok++;
      else
        {
          sl_pattern_list_sep (errors);
          sl_pattern_append_err_entry (errors, s);
        }
    }
  if (n_ok < 3)
    {
      GString *m = converges_prefix (f, target, tolerance, deadline_ms);

      g_string_append_printf (m, "insufficient samples for converges_to (need ≥3, have %u)", n_ok);
      if (errors->len > 0)
        g_string_append_printf (m, "; errored sample(s): %s", errors->str);
      sl_pattern_note (v, -1, m);
      return;
    }

  lo = target - tolerance;
  hi = target + tolerance;
  g_string_truncate (errors, 0);
  for (guint i = 0; i < n && !witness; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);

      /* Out of the window (or not placeable in it): the run restarts. */
      if (!in_window (s, deadline_ms))
        {
          run = 0;
          continue;
        }
      if (s->ok)
        {
          double x = sl_pattern_slot_f64 (s);

          if (x >= lo && x <= hi)
            witness = ++run >= 3;
          else
            run = 0;
        }
      else
        {
          if (run > 0)
            {
              sl_pattern_list_sep (errors);
              sl_pattern_append_err_entry (errors, s);
            }
          run = 0;
        }
    }
  if (!witness)
    {
      GString *m = converges_prefix (f, target, tolerance, deadline_ms);

      g_string_append_printf (m, "no 3-consecutive-in-band witness before deadline (%u samples evaluated)", n);
      if (errors->len > 0)
        g_string_append_printf (m, "; in-progress runs interrupted by errored sample(s): %s", errors->str);
      sl_pattern_fail (v, f, first_in, last_in, m);
    }
}
