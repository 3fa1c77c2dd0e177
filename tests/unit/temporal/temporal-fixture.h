/* Builders and assertions shared by the temporal unit tests. */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

#include "sl-series-field.h"
#include "sl-verdict.h"

#define NO_MS (-1)   /* elapsed not measured */

static inline SlOptU64
fx_ms (gint64 ms)
{
  return ms < 0 ? SL_OPT_U64_NONE : sl_opt_u64 ((guint64) ms);
}

static inline char *
fx_tag (SlSeriesField *f)
{
  return g_strdup_printf ("periodic_%03u", sl_series_field_len (f));
}

static inline SlScalar
fx_u64 (guint64 v)
{
  SlScalar s = { .type = SL_SCALAR_U64 };
  s.u = v;
  return s;
}

static inline SlScalar
fx_i64 (gint64 v)
{
  SlScalar s = { .type = SL_SCALAR_I64 };
  s.i = v;
  return s;
}

static inline SlScalar
fx_f64 (double v)
{
  SlScalar s = { .type = SL_SCALAR_F64 };
  s.f = v;
  return s;
}

static inline SlScalar
fx_bool (gboolean v)
{
  SlScalar s = { .type = SL_SCALAR_BOOL };
  s.b = v;
  return s;
}

/* Appends an Ok sample tagged periodic_<index>, without a phase. */
static inline void
fx_ok (SlSeriesField *f, gint64 ms, SlScalar v)
{
  g_autofree char *tag = fx_tag (f);

  sl_series_field_push_ok (f, tag, fx_ms (ms), FALSE, 0, sl_series_field_len (f), v);
}

static inline void
fx_okp (SlSeriesField *f, gint64 ms, guint16 phase, SlScalar v)
{
  g_autofree char *tag = fx_tag (f);

  sl_series_field_push_ok (f, tag, fx_ms (ms), TRUE, phase, sl_series_field_len (f), v);
}

static inline void
fx_err (SlSeriesField *f, gint64 ms, const char *text)
{
  g_autofree char *tag = fx_tag (f);

  sl_series_field_push_err (f, tag, fx_ms (ms), FALSE, 0, sl_series_field_len (f),
                            SL_FIELD_ERROR_VAR_NOT_FOUND, text);
}

static inline void
fx_errp (SlSeriesField *f, gint64 ms, guint16 phase, const char *text)
{
  g_autofree char *tag = fx_tag (f);

  sl_series_field_push_err (f, tag, fx_ms (ms), TRUE, phase, sl_series_field_len (f),
                            SL_FIELD_ERROR_PLACEHOLDER_SAMPLE, text);
}

/* A field of f64 values at +100ms, +200ms, … */
static inline SlSeriesField *
fx_f64_series (const char *label, const double *vals, guint n)
{
  SlSeriesField *f = sl_series_field_new (label, SL_SCALAR_F64);

  for (guint i = 0; i < n; i++)
    fx_ok (f, 100 * (gint64) (i + 1), fx_f64 (vals[i]));
  return f;
}

#define FX_F64(label, ...) \
  fx_f64_series (label, (const double[]) { __VA_ARGS__ }, \
                 sizeof ((const double[]) { __VA_ARGS__ }) / sizeof (double))

static inline void
fx_assert_counts (const SlVerdict *v, guint fails, guint inconclusives, guint notes)
{
  g_assert_cmpuint (sl_verdict_count (v, SL_OUTCOME_FAIL), ==, fails);
  g_assert_cmpuint (sl_verdict_count (v, SL_OUTCOME_INCONCLUSIVE), ==, inconclusives);
  g_assert_cmpuint (sl_verdict_n_notes (v), ==, notes);
}

static inline const char *
fx_msg (const SlVerdict *v, guint i)
{
  g_assert_cmpuint (i, <, sl_verdict_n_outcomes (v));
  return sl_verdict_outcome (v, i)->message;
}

static inline const char *
fx_note (const SlVerdict *v, guint i)
{
  g_assert_cmpuint (i, <, sl_verdict_n_notes (v));
  return sl_verdict_get_note (v, i)->message;
}

static inline void
fx_assert_range (const SlVerdict *v, guint i, gint first, gint last)
{
  const SlOutcome *o = sl_verdict_outcome (v, i);

  g_assert_cmpint (o->first_slot, ==, first);
  g_assert_cmpint (o->last_slot, ==, last);
}

#define fx_assert_contains(hay, needle) \
  G_STMT_START { \
    if (strstr ((hay), (needle)) == NULL) \
      g_error ("expected \"%s\" to contain \"%s\"", (hay), (needle)); \
  } G_STMT_END
