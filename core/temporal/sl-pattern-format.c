/* sl-pattern-format.c: exact scalar comparison, ktstr-style rendering of
 * numbers and samples, and the helpers patterns use to record outcomes. */
#include "sl-pattern-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sl-phase.h"

/* Compares an integer held as (negative, magnitude) with a double, exactly:
 * converting a u64 above 2^53 to double would round and could turn a real
 * difference into equality. */
static int
cmp_int_double (gboolean neg, guint64 mag, double d)
{
  double t;

  if (!neg)
    {
      if (d < 0)
        return 1;
      if (d >= 18446744073709551616.0)   /* 2^64 */
        return -1;
      t = floor (d);
      if (mag != (guint64) t)
        return mag < (guint64) t ? -1 : 1;
      return d > t ? -1 : 0;
    }
  /* value = -mag, mag in (0, 2^63] */
  if (d >= 0)
    return -1;
  if (d < -9223372036854775808.0)        /* below -2^63 */
    return 1;
  t = ceil (d);                           /* -t is an integer in [0, 2^63] */
  if (mag != (guint64) -t)
    return mag > (guint64) -t ? -1 : 1;
  return d < t ? 1 : 0;
}

static void
int_parts (SlScalar s, gboolean *neg, guint64 *mag)
{
  if (s.type == SL_SCALAR_U64)
    {
      *neg = FALSE;
      *mag = s.u;
    }
  else if (s.i < 0)
    {
      *neg = TRUE;
      *mag = (guint64) (-(s.i + 1)) + 1;
    }
  else
    {
      *neg = FALSE;
      *mag = (guint64) s.i;
    }
}

gboolean
sl_scalar_compare (SlScalar a, SlScalar b, int *out)
{
  gboolean an, bn;
  guint64 am, bm;

  g_return_val_if_fail (out != NULL, FALSE);

  if (a.type == SL_SCALAR_BOOL || b.type == SL_SCALAR_BOOL)
    {
      if (a.type != b.type)
        return FALSE;
      *out = (a.b ? 1 : 0) - (b.b ? 1 : 0);
      return TRUE;
    }
  if (a.type == SL_SCALAR_F64 && b.type == SL_SCALAR_F64)
    {
      if (isnan (a.f) || isnan (b.f))
        return FALSE;
      *out = a.f < b.f ? -1 : a.f > b.f ? 1 : 0;
      return TRUE;
    }
  if (a.type == SL_SCALAR_F64 || b.type == SL_SCALAR_F64)
    {
      gboolean flip = a.type == SL_SCALAR_F64;
      SlScalar i = flip ? b : a;
      double d = flip ? a.f : b.f;

      if (isnan (d))
        return FALSE;
      int_parts (i, &an, &am);
      *out = cmp_int_double (an, am, d) * (flip ? -1 : 1);
      return TRUE;
    }
  int_parts (a, &an, &am);
  int_parts (b, &bn, &bm);
  if (an != bn)
    *out = an ? -1 : 1;
  else if (am == bm)
    *out = 0;
  else
    *out = ((am < bm) != an) ? -1 : 1;
  return TRUE;
}

void
sl_pattern_append_f64 (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[32];
  const char *mant, *e;
  int exp10, nd = 0;

  if (isnan (v))
    {
      g_string_append (s, "NaN");
      return;
    }
  if (isinf (v))
    {
      g_string_append (s, v > 0 ? "inf" : "-inf");
      return;
    }
  if (signbit (v))
    {
      g_string_append_c (s, '-');
      v = -v;
    }
  if (v == 0)
    {
      g_string_append_c (s, '0');
      return;
    }
  /* Shortest scientific form that reads back to v, then written out in
   * positional notation, like Rust's Display for f64. */
  for (int prec = 0; prec <= 17; prec++)
    {
      char fmt[8];

      g_snprintf (fmt, sizeof fmt, "%%.%de", prec);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  mant = buf;
  e = strchr (buf, 'e');
  if (e == NULL)
    {
      g_string_append (s, buf);
      return;
    }
  for (const char *p = mant; p < e && nd < (int) sizeof digits - 1; p++)
    if (g_ascii_isdigit (*p))
      digits[nd++] = *p;
  while (nd > 1 && digits[nd - 1] == '0')
    nd--;
  digits[nd] = '\0';
  exp10 = atoi (e + 1);
  if (exp10 >= 0)
    {
      if (nd <= exp10 + 1)
        {
          g_string_append (s, digits);
          for (int i = nd; i < exp10 + 1; i++)
            g_string_append_c (s, '0');
        }
      else
        {
          g_string_append_len (s, digits, exp10 + 1);
          g_string_append_c (s, '.');
          g_string_append (s, digits + exp10 + 1);
        }
    }
  else
    {
      g_string_append (s, "0.");
      for (int i = 0; i < -exp10 - 1; i++)
        g_string_append_c (s, '0');
      g_string_append (s, digits);
    }
}

void
sl_pattern_append_fixed (GString *s, double v, int precision)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 320];
  char fmt[8];

  if (!isfinite (v))
    {
      sl_pattern_append_f64 (s, v);
      return;
    }
  g_snprintf (fmt, sizeof fmt, "%%.%df", CLAMP (precision, 0, 17));
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  g_string_append (s, buf);
}

void
sl_pattern_append_value (GString *s, SlScalar v)
{
  switch (v.type)
    {
    case SL_SCALAR_U64:
      g_string_append_printf (s, "%" G_GUINT64_FORMAT, v.u);
      break;
    case SL_SCALAR_I64:
      g_string_append_printf (s, "%" G_GINT64_FORMAT, v.i);
      break;
    case SL_SCALAR_BOOL:
      g_string_append (s, v.b ? "true" : "false");
      break;
    case SL_SCALAR_F64:
      sl_pattern_append_f64 (s, v.f);
      break;
    }
}

char *
sl_pattern_format_value (SlScalar v)
{
  GString *s = g_string_new (NULL);

  sl_pattern_append_value (s, v);
  return g_string_free (s, FALSE);
}

void
sl_pattern_append_elapsed (GString *s, SlOptU64 elapsed_ms)
{
  if (elapsed_ms.set)
    g_string_append_printf (s, "+%" G_GUINT64_FORMAT "ms", elapsed_ms.v);
  else
    g_string_append_c (s, '?');
}

void
sl_pattern_append_tag_at (GString *s, const SlSlot *slot)
{
  g_string_append (s, slot->tag);
  g_string_append_c (s, '(');
  sl_pattern_append_elapsed (s, slot->elapsed_ms);
  g_string_append_c (s, ')');
}

void
sl_pattern_append_sample (GString *s, const SlSlot *slot)
{
  g_string_append (s, "sample ");
  g_string_append (s, slot->tag);
  g_string_append (s, " (");
  sl_pattern_append_elapsed (s, slot->elapsed_ms);
  g_string_append_c (s, ')');
}

char *
sl_pattern_slot_phase (const SlSlot *slot)
{
  return slot->has_phase ? sl_phase_label (slot->phase) : NULL;
}

/* --- recording --- */

/* "<label> (" — the caller appends the pattern text and "): ". */
GString *
sl_pattern_msg_new (const SlSeriesField *f)
{
  GString *m = g_string_new (f->label);

  g_string_append (m, " (");
  return m;
}

/* Records an outcome about slots [first, last] of f (-1 = none), stamping the
 * phase of the last slot named and the times of both ends. */
void
sl_pattern_record (SlVerdict *v, SlOutcomeKind kind, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  g_autofree char *phase = NULL;
  SlOptU64 t0 = SL_OPT_U64_NONE, t1 = SL_OPT_U64_NONE;

  if (first >= 0)
    t0 = sl_pattern_slot_at (f, (guint) first)->elapsed_ms;
  if (last < 0)
    last = first;
  if (last >= 0)
    {
      t1 = sl_pattern_slot_at (f, (guint) last)->elapsed_ms;
      phase = sl_pattern_slot_phase (sl_pattern_slot_at (f, (guint) last));
    }
  sl_verdict_add_message (v, kind, SL_DETAIL_TEMPORAL, phase, first, last, t0, t1,
                          g_string_free (msg, FALSE));
}

void
sl_pattern_fail (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  sl_pattern_record (v, SL_OUTCOME_FAIL, f, first, last, msg);
}

void
sl_pattern_inconclusive (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg)
{
  sl_pattern_record (v, SL_OUTCOME_INCONCLUSIVE, f, first, last, msg);
}

void
sl_pattern_note (SlVerdict *v, gint slot, GString *msg)
{
  sl_verdict_note_message (v, NULL, slot, g_string_free (msg, FALSE));
}

/* One Fail "<label> (<pattern>): caller error: <what>", nothing evaluated. */
void
sl_pattern_caller_error (SlVerdict *v, const SlSeriesField *f, const char *pattern, const char *format, ...)
{
  GString *m = sl_pattern_msg_new (f);
  va_list ap;

  g_string_append_printf (m, "%s): caller error: ", pattern);
  va_start (ap, format);
  g_string_append_vprintf (m, format, ap);
  va_end (ap);
  sl_pattern_fail (v, f, -1, -1, m);
}

/* The field's type must be one the pattern accepts: a caller error otherwise. */
gboolean
sl_pattern_type_ok (const SlSeriesField *f, SlPatternId id, SlVerdict *v)
{
  const SlPatternInfo *info = sl_pattern_info (id);
  g_autoptr(GString) want = NULL;

  if (sl_pattern_accepts_type (info, f->type))
    return TRUE;
  want = g_string_new (NULL);
  for (int t = SL_SCALAR_U64; t <= SL_SCALAR_BOOL; t++)
    if (sl_pattern_accepts_type (info, (SlScalarType) t))
      g_string_append_printf (want, "%s%s", want->len ? ", " : "", sl_scalar_type_name (t));
  sl_pattern_caller_error (v, f, info->name, "field type %s is not accepted (accepts %s)",
                sl_scalar_type_name (f->type), want->str);
  return FALSE;
}

/* A NaN parameter would make every comparison false and the pattern pass
 * without checking anything, so it is refused like lo > hi. */
gboolean
sl_pattern_params_are_numbers (const SlSeriesField *f, const char *pattern, SlVerdict *v,
                    const char *n1, double p1, const char *n2, double p2, const char *n3, double p3)
{
  const char *names[] = { n1, n2, n3 };
  double vals[] = { p1, p2, p3 };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (names[i] != NULL && isnan (vals[i]))
      {
        sl_pattern_caller_error (v, f, pattern, "%s is NaN", names[i]);
        return FALSE;
      }
  return TRUE;
}

gboolean
sl_pattern_band_is_ordered (const SlSeriesField *f, const char *pattern, SlVerdict *v,
                            double lo, double hi)
{
  GString *m;

  /* Written as lo > hi (not lo <= hi) so a NaN bound is left to the NaN check. */
  if (!(lo > hi))
    return TRUE;
  m = sl_pattern_msg_new (f);
  g_string_append_printf (m, "%s): caller error: lo=", pattern);
  sl_pattern_append_f64 (m, lo);
  g_string_append (m, " > hi=");
  sl_pattern_append_f64 (m, hi);
  sl_pattern_fail (v, f, -1, -1, m);
  return FALSE;
}

/* Appends ", " between list entries. */
void
sl_pattern_list_sep (GString *list)
{
  if (list->len > 0)
    g_string_append (list, ", ");
}

void
sl_pattern_append_err_entry (GString *list, const SlSlot *s)
{
  sl_pattern_append_tag_at (list, s);
  g_string_append (list, ": ");
  g_string_append (list, s->error_text);
}

void
sl_pattern_append_band (GString *m, double lo, double hi)
{
  g_string_append (m, "[");
  sl_pattern_append_f64 (m, lo);
  g_string_append (m, ", ");
  sl_pattern_append_f64 (m, hi);
  g_string_append (m, "]");
}
