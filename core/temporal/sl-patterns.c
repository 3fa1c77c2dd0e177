/* sl-patterns.c: the temporal patterns of §5, rule for rule.
 *
 * Each pattern is one O(n) pass (steady_within and converges_to make two) and
 * allocates only the messages it records. */
#include "sl-patterns.h"

#include <math.h>

#include "sl-pattern-private.h"
#include "sl-phase.h"
#include "sl-phase-aggregate.h"

static inline const SlSlot *
slot_at (const SlSeriesField *f, guint i)
{
  return &g_array_index (f->slots, SlSlot, i);
}

static inline double
slot_f64 (const SlSlot *s)
{
  return sl_scalar_to_f64 (s->value);
}

/* "<label> (" — the caller appends the pattern text and "): ". */
static GString *
msg_new (const SlSeriesField *f)
{
  GString *m = g_string_new (f->label);

  g_string_append (m, " (");
  return m;
}

/* Records an outcome about slots [first, last] of f (-1 = none), stamping the
 * phase of the last slot named and the times of both ends. */
static void
record (SlVerdict *v, SlOutcomeKind kind, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  g_autofree char *phase = NULL;
  SlOptU64 t0 = SL_OPT_U64_NONE, t1 = SL_OPT_U64_NONE;

  if (first >= 0)
    t0 = slot_at (f, (guint) first)->elapsed_ms;
  if (last < 0)
    last = first;
  if (last >= 0)
    {
      t1 = slot_at (f, (guint) last)->elapsed_ms;
      phase = sl_pattern_slot_phase (slot_at (f, (guint) last));
    }
  sl_verdict_add_message (v, kind, SL_DETAIL_TEMPORAL, phase, first, last, t0, t1,
                          g_string_free (msg, FALSE));
}

static void
fail (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  record (v, SL_OUTCOME_FAIL, f, first, last, msg);
}

static void
inconclusive (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  record (v, SL_OUTCOME_INCONCLUSIVE, f, first, last, msg);
}

static void
note (SlVerdict *v, gint slot, GString *msg)
{
  sl_verdict_note_message (v, NULL, slot, g_string_free (msg, FALSE));
}

/* One Fail "<label> (<pattern>): caller error: <what>", nothing evaluated. */
static void G_GNUC_PRINTF (4, 5)
caller_error (SlVerdict *v, const SlSeriesField *f, const char *pattern, const char *format, ...)
{
  GString *m = msg_new (f);
  va_list ap;

  g_string_append_printf (m, "%s): caller error: ", pattern);
  va_start (ap, format);
  g_string_append_vprintf (m, format, ap);
  va_end (ap);
  fail (v, f, -1, -1, m);
}

/* The field's type must be one the pattern accepts: a caller error otherwise. */
static gboolean
type_ok (const SlSeriesField *f, SlPatternId id, SlVerdict *v)
{
  const SlPatternInfo *info = sl_pattern_info (id);
  g_autoptr(GString) want = NULL;

  if (sl_pattern_accepts_type (info, f->type))
    return TRUE;
  want = g_string_new (NULL);
  for (int t = SL_SCALAR_U64; t <= SL_SCALAR_BOOL; t++)
    if (sl_pattern_accepts_type (info, (SlScalarType) t))
      g_string_append_printf (want, "%s%s", want->len ? ", " : "", sl_scalar_type_name (t));
  caller_error (v, f, info->name, "field type %s is not accepted (accepts %s)",
                sl_scalar_type_name (f->type), want->str);
  return FALSE;
}

/* A NaN parameter would make every comparison false and the pattern pass
 * without checking anything, so it is refused like lo > hi. */
static gboolean
params_are_numbers (const SlSeriesField *f, const char *pattern, SlVerdict *v,
                    const char *n1, double p1, const char *n2, double p2, const char *n3, double p3)
{
  const char *names[] = { n1, n2, n3 };
  double vals[] = { p1, p2, p3 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i] != NULL && isnan (vals[i]))
      {
        caller_error (v, f, pattern, "%s is NaN", names[i]);
        return FALSE;
      }
  return TRUE;
}

/* Appends ", " between list entries. */
static void
list_sep (GString *list)
{
  if (list->len > 0)
    g_string_append (list, ", ");
}

static void
append_err_entry (GString *list, const SlSlot *s)
{
  sl_pattern_append_tag_at (list, s);
  g_string_append (list, ": ");
  g_string_append (list, s->error_text);
}

/* --- 5.1 nondecreasing / strictly_increasing --- */

static void
monotonicity (const SlSeriesField *f, SlVerdict *v, gboolean strict)
{
  const char *pat = strict ? "strictly_increasing" : "nondecreasing";
  guint n = f->slots->len;
  g_autoptr(GString) skipped = NULL;
  guint n_skipped = 0;
  gint last_skipped = -1;

  if (!type_ok (f, strict ? SL_PATTERN_STRICTLY_INCREASING : SL_PATTERN_NONDECREASING, v))
    return;
  if (n < 2)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "%s): only %u samples — pattern vacuously holds; "
                              "ensure num_snapshots >= 2 for meaningful coverage", pat, n);
      note (v, n == 1 ? 0 : -1, m);
      return;
    }
  skipped = g_string_new (NULL);
  for (guint i = 0; i + 1 < n; i++)
    {
      const SlSlot *l = slot_at (f, i), *r = slot_at (f, i + 1);
      int c;
      gboolean ok;

      if (!l->ok)
        {
          list_sep (skipped);
          append_err_entry (skipped, l);
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
          GString *m = msg_new (f);

          g_string_append_printf (m, "%s): regression at ", pat);
          sl_pattern_append_sample (m, r);
          g_string_append (m, ": value ");
          sl_pattern_append_value (m, r->value);
          g_string_append (m, " after prior value ");
          sl_pattern_append_value (m, l->value);
          g_string_append (m, " at ");
          sl_pattern_append_sample (m, l);
          fail (v, f, (gint) i, (gint) i + 1, m);
        }
    }
  if (!slot_at (f, n - 1)->ok)
    {
      list_sep (skipped);
      append_err_entry (skipped, slot_at (f, n - 1));
      n_skipped++;
      last_skipped = (gint) n - 1;
    }
  if (n_skipped > 0)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "%s): skipped %u sample(s) with projection errors: %s",
                              pat, n_skipped, skipped->str);
      note (v, n_skipped == 1 ? last_skipped : -1, m);
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

static void
append_band (GString *m, double lo, double hi)
{
  g_string_append (m, "[");
  sl_pattern_append_f64 (m, lo);
  g_string_append (m, ", ");
  sl_pattern_append_f64 (m, hi);
  g_string_append (m, "]");
}

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

  if (!params_are_numbers (f, "rate_within", v, "lo", lo, "hi", hi, NULL, 0))
    return;
  if (lo > hi)
    {
      GString *m = msg_new (f);

      g_string_append (m, "rate_within): caller error: lo=");
      sl_pattern_append_f64 (m, lo);
      g_string_append (m, " > hi=");
      sl_pattern_append_f64 (m, hi);
      fail (v, f, -1, -1, m);
      return;
    }
  if (!type_ok (f, SL_PATTERN_RATE_WITHIN, v))
    return;
  n = f->slots->len;
  if (n < 2)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "rate_within): only %u samples — pattern vacuously holds", n);
      note (v, n == 1 ? 0 : -1, m);
      return;
    }
  gaps = g_string_new (NULL);
  for (guint i = 0; i + 1 < n; i++)
    {
      const SlSlot *l = slot_at (f, i), *r = slot_at (f, i + 1);
      double lv, rv, dt, rate;

      if (!l->ok || !r->ok)
        {
          list_sep (gaps);
          if (!l->ok)
            append_err_entry (gaps, l);
          if (!l->ok && !r->ok)
            g_string_append (gaps, " | ");
          if (!r->ok)
            append_err_entry (gaps, r);
          n_gaps++;
          continue;
        }
      if (!l->elapsed_ms.set || !r->elapsed_ms.set)
        {
          list_sep (gaps);
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
          GString *m = msg_new (f);

          g_string_append (m, "rate_within): zero-time delta between ");
          sl_pattern_append_sample (m, l);
          g_string_append_printf (m, " and %s (", r->tag);
          sl_pattern_append_elapsed (m, r->elapsed_ms);
          g_string_append (m, ") — denominator is INSTRUMENT-derived; rate is neither pass nor fail");
          inconclusive (v, f, (gint) i, (gint) i + 1, m);
          continue;
        }
      lv = slot_f64 (l);
      rv = slot_f64 (r);
      rate = (rv - lv) / dt;
      if (!isfinite (rate))
        {
          GString *m = msg_new (f);

          g_string_append (m, "rate_within ");
          append_band (m, lo, hi);
          g_string_append (m, "): non-finite rate between ");
          append_pair_values (m, l, lv, r, rv);
          g_string_append (m, " — endpoint is NaN or produced inf in the delta");
          fail (v, f, (gint) i, (gint) i + 1, m);
        }
      else if (rate < lo || rate > hi)
        {
          GString *m = msg_new (f);

          g_string_append (m, "rate_within ");
          append_band (m, lo, hi);
          g_string_append (m, "): rate ");
          sl_pattern_append_fixed (m, rate, 4);
          g_string_append (m, "/ms between ");
          append_pair_values (m, l, lv, r, rv);
          fail (v, f, (gint) i, (gint) i + 1, m);
        }
    }
  if (n_gaps > 0)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "rate_within): %u consecutive-pair gap(s) skipped due to a "
                              "projection error or an unmeasured elapsed timestamp on at "
                              "least one endpoint: %s", n_gaps, gaps->str);
      note (v, -1, m);
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
  if (!s->ok || !isfinite (slot_f64 (s)))
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

  if (!params_are_numbers (f, "steady_within", v, "warmup_ms", warmup_ms, "tolerance", tolerance, NULL, 0))
    return;
  if (tolerance < 0)
    {
      GString *m = msg_new (f);

      g_string_append (m, "steady_within): caller error: tolerance ");
      sl_pattern_append_f64 (m, tolerance);
      g_string_append (m, " negative");
      fail (v, f, -1, -1, m);
      return;
    }
  if (!type_ok (f, SL_PATTERN_STEADY_WITHIN, v))
    return;

  n = f->slots->len;
  skipped = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = slot_at (f, i);
      gboolean post;

      switch (steady_classify (s, warmup_ms, &post))
        {
        case STEADY_IGNORED:
          break;
        case STEADY_ACTIVE:
          sum += slot_f64 (s);
          n_active++;
          break;
        case STEADY_SKIPPED:
          list_sep (skipped);
          sl_pattern_append_tag_at (skipped, s);
          if (!s->elapsed_ms.set)
            g_string_append (skipped, ": elapsed not measured (cannot place vs warmup)");
          else if (!s->ok)
            g_string_append_printf (skipped, ": %s", s->error_text);
          else
            {
              g_string_append (skipped, ": non-finite value ");
              sl_pattern_append_f64 (skipped, slot_f64 (s));
            }
          n_skipped++;
          last_skipped = (gint) i;
          break;
        }
      any_post_warmup |= post;
    }
  if (n_skipped > 0)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "steady_within): skipped %u sample(s) with a projection error "
                              "or an unmeasured elapsed timestamp: %s", n_skipped, skipped->str);
      note (v, n_skipped == 1 ? last_skipped : -1, m);
    }
  if (n_active == 0)
    {
      /* When post-warmup samples existed but were all skipped, the skip note
       * already says why; only a warmup that absorbed everything is noted. */
      if (!any_post_warmup)
        {
          GString *m = msg_new (f);

          g_string_append (m, "steady_within): no samples beyond warmup_ms=");
          sl_pattern_append_f64 (m, warmup_ms);
          g_string_append (m, " — pattern vacuously holds");
          note (v, -1, m);
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
      const SlSlot *s = slot_at (f, i);
      gboolean post;
      double x;

      if (steady_classify (s, warmup_ms, &post) != STEADY_ACTIVE)
        continue;
      x = slot_f64 (s);
      if (x < lo || x > hi)
        {
          GString *m = msg_new (f);

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
          fail (v, f, (gint) i, (gint) i, m);
        }
    }
}

/* --- 5.4 converges_to --- */

static GString *
converges_prefix (const SlSeriesField *f, double target, double tolerance, double deadline_ms)
{
  GString *m = msg_new (f);

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

  if (!params_are_numbers (f, "converges_to", v, "target", target, "tolerance", tolerance,
                           "deadline_ms", deadline_ms))
    return;
  if (tolerance < 0)
    {
      GString *m = msg_new (f);

      g_string_append (m, "converges_to): caller error: tolerance ");
      sl_pattern_append_f64 (m, tolerance);
      g_string_append (m, " negative");
      fail (v, f, -1, -1, m);
      return;
    }
  if (!type_ok (f, SL_PATTERN_CONVERGES_TO, v))
    return;

  n = f->slots->len;
  errors = g_string_new (NULL);
  /* Pre-check: enough evidence inside the window to look for a witness? */
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = slot_at (f, i);

      if (!in_window (s, deadline_ms))
        continue;
      if (first_in < 0)
        first_in = (gint) i;
      last_in = (gint) i;
      if (s->ok)
        n_ok++;
      else
        {
          list_sep (errors);
          append_err_entry (errors, s);
        }
    }
  if (n_ok < 3)
    {
      GString *m = converges_prefix (f, target, tolerance, deadline_ms);

      g_string_append_printf (m, "insufficient samples for converges_to (need ≥3, have %u)", n_ok);
      if (errors->len > 0)
        g_string_append_printf (m, "; errored sample(s): %s", errors->str);
      note (v, -1, m);
      return;
    }

  lo = target - tolerance;
  hi = target + tolerance;
  g_string_truncate (errors, 0);
  for (guint i = 0; i < n && !witness; i++)
    {
      const SlSlot *s = slot_at (f, i);

      /* Out of the window (or not placeable in it): the run restarts. */
      if (!in_window (s, deadline_ms))
        {
          run = 0;
          continue;
        }
      if (s->ok)
        {
          double x = slot_f64 (s);

          if (x >= lo && x <= hi)
            witness = ++run >= 3;
          else
            run = 0;
        }
      else
        {
          if (run > 0)
            {
              list_sep (errors);
              append_err_entry (errors, s);
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
      fail (v, f, first_in, last_in, m);
    }
}

/* --- 5.5 always_true --- */

void
sl_pattern_always_true (const SlSeriesField *f, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);

  if (!type_ok (f, SL_PATTERN_ALWAYS_TRUE, v))
    return;
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = slot_at (f, i);
      GString *m;

      if (s->ok && s->value.b)
        continue;
      m = msg_new (f);
      g_string_append (m, "always_true): ");
      sl_pattern_append_sample (m, s);
      if (s->ok)
        g_string_append (m, ": value false");
      else
        g_string_append_printf (m, ": projection error: %s", s->error_text);
      fail (v, f, (gint) i, (gint) i, m);
    }
}

/* --- 5.6 ratio_within --- */

void
sl_pattern_ratio_within (const SlSeriesField *f, const SlSeriesField *other,
                         double lo, double hi, SlVerdict *v)
{
  guint n;
  g_autoptr(GString) gaps = NULL;
  guint n_gaps = 0;

  g_return_if_fail (f != NULL && other != NULL && v != NULL);

  if (!params_are_numbers (f, "ratio_within", v, "lo", lo, "hi", hi, NULL, 0))
    return;
  if (lo > hi)
    {
      GString *m = msg_new (f);

      g_string_append (m, "ratio_within): caller error: lo=");
      sl_pattern_append_f64 (m, lo);
      g_string_append (m, " > hi=");
      sl_pattern_append_f64 (m, hi);
      fail (v, f, -1, -1, m);
      return;
    }
  if (!type_ok (f, SL_PATTERN_RATIO_WITHIN, v))
    return;
  if (!sl_pattern_accepts_type (sl_pattern_info (SL_PATTERN_RATIO_WITHIN), other->type))
    {
      caller_error (v, f, "ratio_within", "other field %s has type %s, not a number",
                    other->label, sl_scalar_type_name (other->type));
      return;
    }
  n = f->slots->len;
  if (n != other->slots->len)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "ratio_within %s): caller error: length mismatch (this %u, other %u)",
                              other->label, n, other->slots->len);
      fail (v, f, -1, -1, m);
      return;
    }
  gaps = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *l = slot_at (f, i), *r = slot_at (other, i);
      double lv, rv, ratio;

      if (!l->ok || !r->ok)
        {
          /* Each side names its own sample: the two fields may come from
           * different rows at the same index. */
          list_sep (gaps);
          if (!l->ok)
            {
              g_string_append (gaps, "lhs ");
              append_err_entry (gaps, l);
            }
          if (!l->ok && !r->ok)
            g_string_append (gaps, " | ");
          if (!r->ok)
            {
              g_string_append (gaps, "rhs ");
              append_err_entry (gaps, r);
            }
          n_gaps++;
          continue;
        }
      lv = slot_f64 (l);
      rv = slot_f64 (r);
      if (rv == 0.0)
        {
          GString *m = msg_new (f);

          g_string_append (m, "ratio_within): rhs == 0 at ");
          sl_pattern_append_sample (m, l);
          g_string_append (m, " — denominator is INSTRUMENT-derived; ratio is neither pass nor fail");
          inconclusive (v, f, (gint) i, (gint) i, m);
          continue;
        }
      ratio = lv / rv;
      if (!isfinite (ratio) || ratio < lo || ratio > hi)
        {
          GString *m = msg_new (f);

          g_string_append_printf (m, "ratio_within %s ", other->label);
          append_band (m, lo, hi);
          if (!isfinite (ratio))
            g_string_append (m, "): non-finite ratio at ");
          else
            {
              g_string_append (m, "): ratio ");
              sl_pattern_append_fixed (m, ratio, 4);
              g_string_append (m, " at ");
            }
          sl_pattern_append_sample (m, l);
          g_string_append (m, " — lhs=");
          sl_pattern_append_f64 (m, lv);
          g_string_append (m, " rhs=");
          sl_pattern_append_f64 (m, rv);
          fail (v, f, (gint) i, (gint) i, m);
        }
    }
  if (n_gaps > 0)
    {
      GString *m = msg_new (f);

      g_string_append_printf (m, "ratio_within): %u pair(s) skipped due to projection errors on "
                              "lhs or rhs: %s", n_gaps, gaps->str);
      note (v, -1, m);
    }
}

/* --- 5.8 each --- */

typedef enum { EACH_AT_LEAST, EACH_AT_MOST, EACH_BETWEEN } EachKind;

static void
each_prefix (GString *m, EachKind kind, SlScalar lo, SlScalar hi)
{
  switch (kind)
    {
    case EACH_AT_LEAST:
      g_string_append (m, "each.at_least ");
      sl_pattern_append_value (m, lo);
      break;
    case EACH_AT_MOST:
      g_string_append (m, "each.at_most ");
      sl_pattern_append_value (m, hi);
      break;
    case EACH_BETWEEN:
      g_string_append (m, "each.between [");
      sl_pattern_append_value (m, lo);
      g_string_append (m, ", ");
      sl_pattern_append_value (m, hi);
      g_string_append (m, "]");
      break;
    }
  g_string_append (m, "): ");
}

static void
each_check (const SlSeriesField *f, EachKind kind, SlScalar lo, SlScalar hi, SlVerdict *v)
{
  static const SlPatternId ids[] = { SL_PATTERN_EACH_AT_LEAST, SL_PATTERN_EACH_AT_MOST, SL_PATTERN_EACH_BETWEEN };

  if (!type_ok (f, ids[kind], v))
    return;
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = slot_at (f, i);
      gboolean comparable = TRUE, violated = FALSE;
      GString *m;
      int c;

      if (s->ok)
        {
          if (kind != EACH_AT_MOST)
            {
              comparable = sl_scalar_compare (s->value, lo, &c);
              violated = comparable && c < 0;
            }
          if (kind != EACH_AT_LEAST && comparable)
            {
              comparable = sl_scalar_compare (s->value, hi, &c);
              violated |= comparable && c > 0;
            }
          if (comparable && !violated)
            continue;
        }
      m = msg_new (f);
      each_prefix (m, kind, lo, hi);
      sl_pattern_append_sample (m, s);
      if (!s->ok)
        g_string_append_printf (m, ": projection error: %s", s->error_text);
      else
        {
          g_string_append (m, ": value ");
          sl_pattern_append_value (m, s->value);
          if (!comparable)
            g_string_append (m, " is incomparable (NaN)");
        }
      fail (v, f, (gint) i, (gint) i, m);
    }
}

void
sl_pattern_each_at_least (const SlSeriesField *f, SlScalar bound, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);
  each_check (f, EACH_AT_LEAST, bound, bound, v);
}

void
sl_pattern_each_at_most (const SlSeriesField *f, SlScalar bound, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);
  each_check (f, EACH_AT_MOST, bound, bound, v);
}

void
sl_pattern_each_between (const SlSeriesField *f, SlScalar lo, SlScalar hi, SlVerdict *v)
{
  int c;

  g_return_if_fail (f != NULL && v != NULL);

  if (sl_scalar_compare (lo, hi, &c) && c > 0)
    {
      GString *m = msg_new (f);

      g_string_append (m, "each.between): caller error: lo=");
      sl_pattern_append_value (m, lo);
      g_string_append (m, " > hi=");
      sl_pattern_append_value (m, hi);
      fail (v, f, -1, -1, m);
      return;
    }
  each_check (f, EACH_BETWEEN, lo, hi, v);
}

/* --- 5.9 ratio_across_phases --- */

void
sl_cross_phase_ratio_at_most (const char *label, guint16 earlier, guint16 later,
                              SlPhaseOperand e, SlPhaseOperand l,
                              double ceiling, SlVerdict *v)
{
  g_autofree char *el = sl_phase_label (earlier);
  g_autofree char *ll = sl_phase_label (later);
  g_autofree char *es = e.value != NULL ? sl_pattern_format_value (*e.value) : g_strdup ("<no-samples>");
  g_autofree char *ls = l.value != NULL ? sl_pattern_format_value (*l.value) : g_strdup ("<no-samples>");
  gboolean has_label = label != NULL && *label != '\0';
  gint first = e.slot >= 0 ? e.slot : l.slot;
  gint last = l.slot >= 0 ? l.slot : e.slot;
  SlOptU64 t0 = e.slot >= 0 ? e.elapsed_ms : l.elapsed_ms;
  SlOptU64 t1 = l.slot >= 0 ? l.elapsed_ms : e.elapsed_ms;
  GString *m;
  double ef, lf, ratio;

  g_return_if_fail (v != NULL);

  m = g_string_new (NULL);
  if (has_label)
    g_string_append_printf (m, "%s: ", label);
  if (isnan (ceiling))
    {
      g_string_append_printf (m, "ratio_across_phases(%s→%s): caller error: ceiling is NaN", el, ll);
      sl_verdict_add_message (v, SL_OUTCOME_FAIL, SL_DETAIL_TEMPORAL, NULL, -1, -1,
                              SL_OPT_U64_NONE, SL_OPT_U64_NONE, g_string_free (m, FALSE));
      return;
    }
  if (e.value == NULL || l.value == NULL)
    {
      g_string_append_printf (m, "ratio_across_phases(%s→%s) inconclusive: needs both phases — "
                              "earlier=%s, later=%s", el, ll, es, ls);
      sl_verdict_add_message (v, SL_OUTCOME_INCONCLUSIVE, SL_DETAIL_TEMPORAL, NULL, first, last,
                              t0, t1, g_string_free (m, FALSE));
      return;
    }
  ef = sl_scalar_to_f64 (*e.value);
  lf = sl_scalar_to_f64 (*l.value);
  if (ef == 0.0)
    {
      g_string_append_printf (m, "ratio_across_phases(%s→%s) inconclusive: earlier value is 0 "
                              "(no baseline to ratio against)", el, ll);
      sl_verdict_add_message (v, SL_OUTCOME_INCONCLUSIVE, SL_DETAIL_TEMPORAL, NULL, first, last,
                              t0, t1, g_string_free (m, FALSE));
      return;
    }
  ratio = lf / ef;
  if (!isfinite (ratio))
    {
      g_string_append_printf (m, "ratio_across_phases(%s→%s) = %s/%s = ", el, ll, ls, es);
      sl_pattern_append_f64 (m, ratio);
      g_string_append (m, " is non-finite (corrupt endpoint) — cannot evaluate ceiling ");
      sl_pattern_append_fixed (m, ceiling, 4);
      sl_verdict_add_message (v, SL_OUTCOME_FAIL, SL_DETAIL_TEMPORAL, NULL, first, last,
                              t0, t1, g_string_free (m, FALSE));
    }
  else if (ratio > ceiling)
    {
      g_string_append_printf (m, "ratio_across_phases(%s→%s) = %s/%s = ", el, ll, ls, es);
      sl_pattern_append_fixed (m, ratio, 4);
      g_string_append (m, " exceeds ceiling ");
      sl_pattern_append_fixed (m, ceiling, 4);
      sl_verdict_add_message (v, SL_OUTCOME_FAIL, SL_DETAIL_TEMPORAL, NULL, first, last,
                              t0, t1, g_string_free (m, FALSE));
    }
  else
    {
      /* A pass still shows its margin. Notes use "[label] " like ktstr. */
      g_string_truncate (m, 0);
      if (has_label)
        g_string_append_printf (m, "[%s] ", label);
      g_string_append_printf (m, "ratio_across_phases(%s→%s) = %s/%s = ", el, ll, ls, es);
      sl_pattern_append_fixed (m, ratio, 4);
      g_string_append (m, " (ceiling ");
      sl_pattern_append_fixed (m, ceiling, 4);
      g_string_append (m, ")");
      sl_verdict_note_message (v, NULL, -1, g_string_free (m, FALSE));
    }
}

void
sl_pattern_ratio_across_phases_at_most (const SlSeriesField *f, guint16 earlier, guint16 later,
                                        double ceiling, SlVerdict *v)
{
  SlScalar ev, lv;
  SlPhaseOperand e = { NULL, -1, SL_OPT_U64_NONE }, l = { NULL, -1, SL_OPT_U64_NONE };

  g_return_if_fail (f != NULL && v != NULL);

  if (!type_ok (f, SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST, v))
    return;
  if (sl_series_field_value_at_phase (f, earlier, &ev, &e.slot))
    {
      e.value = &ev;
      e.elapsed_ms = slot_at (f, (guint) e.slot)->elapsed_ms;
    }
  if (sl_series_field_value_at_phase (f, later, &lv, &l.slot))
    {
      l.value = &lv;
      l.elapsed_ms = slot_at (f, (guint) l.slot)->elapsed_ms;
    }
  sl_cross_phase_ratio_at_most (f->label, earlier, later, e, l, ceiling, v);
}
