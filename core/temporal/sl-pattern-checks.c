/* sl-pattern-checks.c: the per-sample and cross-field checks of §5.5-5.9:
 * always_true, ratio_within, each.*, and ratio_across_phases. */
#include "sl-patterns.h"

#include <math.h>

#include "sl-pattern-private.h"
#include "sl-phase.h"
#include "sl-phase-aggregate.h"

/* --- 5.5 always_true --- */

void
sl_pattern_always_true (const SlSeriesField *f, SlVerdict *v)
{
  g_return_if_fail (f != NULL && v != NULL);

  if (!sl_pattern_type_ok (f, SL_PATTERN_ALWAYS_TRUE, v))
    return;
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);
      GString *m;

      if (s->ok && s->value.b)
        continue;
      m = sl_pattern_msg_new (f);
      g_string_append (m, "always_true): ");
      sl_pattern_append_sample (m, s);
      if (s->ok)
        g_string_append (m, ": value false");
      else
        g_string_append_printf (m, ": projection error: %s", s->error_text);
      sl_pattern_fail (v, f, (gint) i, (gint) i, m);
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

  if (!sl_pattern_params_are_numbers (f, "ratio_within", v, "lo", lo, "hi", hi, NULL, 0))
    return;
  if (!sl_pattern_band_is_ordered (f, "ratio_within", v, lo, hi))
    return;
  if (!sl_pattern_type_ok (f, SL_PATTERN_RATIO_WITHIN, v))
    return;
  if (!sl_pattern_accepts_type (sl_pattern_info (SL_PATTERN_RATIO_WITHIN), other->type))
    {
      sl_pattern_caller_error (v, f, "ratio_within", "other field %s has type %s, not a number",
                    other->label, sl_scalar_type_name (other->type));
      return;
    }
  n = f->slots->len;
  if (n != other->slots->len)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "ratio_within %s): caller error: length mismatch (this %u, other %u)",
                              other->label, n, other->slots->len);
      sl_pattern_fail (v, f, -1, -1, m);
      return;
    }
  gaps = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *l = sl_pattern_slot_at (f, i), *r = sl_pattern_slot_at (other, i);
      double lv, rv, ratio;

      if (!l->ok || !r->ok)
        {
          /* Each side names its own sample: the two fields may come from
           * different rows at the same index. */
          sl_pattern_list_sep (gaps);
          if (!l->ok)
            {
              g_string_append (gaps, "lhs ");
              sl_pattern_append_err_entry (gaps, l);
            }
          if (!l->ok && !r->ok)
            g_string_append (gaps, " | ");
          if (!r->ok)
            {
              g_string_append (gaps, "rhs ");
              sl_pattern_append_err_entry (gaps, r);
            }
          n_gaps++;
          continue;
        }
      lv = sl_pattern_slot_f64 (l);
      rv = sl_pattern_slot_f64 (r);
      if (rv == 0.0)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append (m, "ratio_within): rhs == 0 at ");
          sl_pattern_append_sample (m, l);
          g_string_append (m, " — denominator is INSTRUMENT-derived; ratio is neither pass nor fail");
          sl_pattern_inconclusive (v, f, (gint) i, (gint) i, m);
          continue;
        }
      ratio = lv / rv;
      if (!isfinite (ratio) || ratio < lo || ratio > hi)
        {
          GString *m = sl_pattern_msg_new (f);

          g_string_append_printf (m, "ratio_within %s ", other->label);
          sl_pattern_append_band (m, lo, hi);
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
          sl_pattern_fail (v, f, (gint) i, (gint) i, m);
        }
    }
  if (n_gaps > 0)
    {
      GString *m = sl_pattern_msg_new (f);

      g_string_append_printf (m, "ratio_within): %u pair(s) skipped due to projection errors on "
                              "lhs or rhs: %s", n_gaps, gaps->str);
      sl_pattern_note (v, -1, m);
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

  if (!sl_pattern_type_ok (f, ids[kind], v))
    return;
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = sl_pattern_slot_at (f, i);
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
      m = sl_pattern_msg_new (f);
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
      sl_pattern_fail (v, f, (gint) i, (gint) i, m);
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
      GString *m = sl_pattern_msg_new (f);

      g_string_append (m, "each.between): caller error: lo=");
      sl_pattern_append_value (m, lo);
      g_string_append (m, " > hi=");
      sl_pattern_append_value (m, hi);
      sl_pattern_fail (v, f, -1, -1, m);
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

  if (!sl_pattern_type_ok (f, SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST, v))
    return;
  if (sl_series_field_value_at_phase (f, earlier, &ev, &e.slot))
    {
      e.value = &ev;
      e.elapsed_ms = sl_pattern_slot_at (f, (guint) e.slot)->elapsed_ms;
    }
  if (sl_series_field_value_at_phase (f, later, &lv, &l.slot))
    {
      l.value = &lv;
      l.elapsed_ms = sl_pattern_slot_at (f, (guint) l.slot)->elapsed_ms;
    }
  sl_cross_phase_ratio_at_most (f->label, earlier, later, e, l, ceiling, v);
}
