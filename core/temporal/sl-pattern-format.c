/* sl-pattern-format.c: exact scalar comparison and ktstr-style rendering of
 * numbers and samples in pattern messages. */
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
