/* Unit tests: nondecreasing, strictly_increasing, always_true, each.*, exact
 * comparison, value formatting and the pattern table. */
#include "temporal-fixture.h"
#include "sl-patterns.h"

#define TWO53 9007199254740992ull   /* 2^53: above it doubles skip integers */

/* The §5.10 example: 455 at periodic_005 (+1000ms), then 310 at periodic_006. */
static SlSeriesField *
dispatched_with_regression (void)
{
  SlSeriesField *f = sl_series_field_new ("dispatched", SL_SCALAR_U64);
  const guint64 vals[] = { 10, 50, 120, 200, 300, 455, 310, 320 };

  for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
    fx_ok (f, 200 * (gint64) i, fx_u64 (vals[i]));
  return f;
}

static void
test_nondecreasing_passes (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_u64 (1));
  fx_ok (f, 200, fx_u64 (1));   /* equal is fine for nondecreasing */
  fx_ok (f, 300, fx_u64 (2));
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 0, 0, 0);
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
}

static void
test_nondecreasing_regression_message (void)
{
  g_autoptr(SlSeriesField) f = dispatched_with_regression ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  const SlOutcome *o;

  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "dispatched (nondecreasing): regression at sample periodic_006 (+1200ms): "
                   "value 310 after prior value 455 at sample periodic_005 (+1000ms)");
  o = sl_verdict_outcome (v, 0);
  g_assert_cmpint (o->kind, ==, SL_OUTCOME_FAIL);
  g_assert_cmpint (o->detail, ==, SL_DETAIL_TEMPORAL);
  fx_assert_range (v, 0, 5, 6);
  g_assert_cmpuint (o->t_first_ms.v, ==, 1000);
  g_assert_cmpuint (o->t_last_ms.v, ==, 1200);
  g_assert_cmpint (sl_verdict_exit_code (v), ==, 1);
}

static void
test_nondecreasing_skip_note_message (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("dispatched", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  for (guint i = 0; i < 6; i++)
    if (i == 3)
      fx_err (f, 200 * i, "snapshot has no global variable 'dispatchd' in any *.bss/*.data/*.rodata "
              "map (available globals: [\"dispatched\", \"stalled\"])");
    else
      fx_ok (f, 200 * i, fx_u64 (i * 10));
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "dispatched (nondecreasing): skipped 1 sample(s) with projection errors: "
                   "periodic_003(+600ms): snapshot has no global variable 'dispatchd' in any "
                   "*.bss/*.data/*.rodata map (available globals: [\"dispatched\", \"stalled\"])");
  /* A note about one sample points at it. */
  g_assert_cmpint (sl_verdict_get_note (v, 0)->slot, ==, 3);
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
}

static void
test_nondecreasing_gap_not_bridged (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* 50 → (error) → 3 would be a regression if the gap were bridged. */
  fx_ok (f, 100, fx_u64 (50));
  fx_err (f, 200, "boom");
  fx_ok (f, 300, fx_u64 (3));
  fx_ok (f, 400, fx_u64 (4));
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (nondecreasing): skipped 1 sample(s) with projection errors: periodic_001(+200ms): boom");
}

static void
test_nondecreasing_errors_start_and_end (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_err (f, 100, "first");
  fx_ok (f, 200, fx_u64 (1));
  fx_ok (f, 300, fx_u64 (0));   /* a real regression between the errors */
  fx_err (f, NO_MS, "last");
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 1, 0, 1);
  fx_assert_range (v, 0, 1, 2);
  /* Both ends are listed once each; the unmeasured one renders as "?". */
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (nondecreasing): skipped 2 sample(s) with projection errors: "
                   "periodic_000(+100ms): first, periodic_003(?): last");
  g_assert_cmpint (sl_verdict_get_note (v, 0)->slot, ==, -1);
}

static void
test_nondecreasing_all_errors (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_err (f, 100, "a");
  fx_err (f, 200, "b");
  fx_err (f, 300, "c");
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 0, 0, 1);
  fx_assert_contains (fx_note (v, 0), "skipped 3 sample(s)");
}

static void
test_nondecreasing_too_few (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v0 = sl_verdict_new ();
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();

  sl_pattern_nondecreasing (f, v0);
  fx_assert_counts (v0, 0, 0, 1);
  g_assert_cmpstr (fx_note (v0, 0), ==,
                   "c (nondecreasing): only 0 samples — pattern vacuously holds; "
                   "ensure num_snapshots >= 2 for meaningful coverage");
  fx_ok (f, 100, fx_u64 (1));
  sl_pattern_strictly_increasing (f, v1);
  fx_assert_counts (v1, 0, 0, 1);
  g_assert_cmpstr (fx_note (v1, 0), ==,
                   "c (strictly_increasing): only 1 samples — pattern vacuously holds; "
                   "ensure num_snapshots >= 2 for meaningful coverage");
  g_assert_true (sl_verdict_passed (v1));
}

static void
test_nondecreasing_nan_and_inf (void)
{
  g_autoptr(SlSeriesField) a = FX_F64 ("x", 1.0, NAN);
  g_autoptr(SlSeriesField) b = FX_F64 ("x", NAN, 1.0);
  g_autoptr(SlSeriesField) c = FX_F64 ("x", -INFINITY, 1.0, INFINITY, INFINITY);
  g_autoptr(SlSeriesField) d = FX_F64 ("x", INFINITY, 1.0);
  g_autoptr(SlVerdict) va = sl_verdict_new ();
  g_autoptr(SlVerdict) vb = sl_verdict_new ();
  g_autoptr(SlVerdict) vc = sl_verdict_new ();
  g_autoptr(SlVerdict) vd = sl_verdict_new ();

  /* NaN compares false either way: reported as a regression. */
  sl_pattern_nondecreasing (a, va);
  fx_assert_counts (va, 1, 0, 0);
  g_assert_cmpstr (fx_msg (va, 0), ==,
                   "x (nondecreasing): regression at sample periodic_001 (+200ms): "
                   "value NaN after prior value 1 at sample periodic_000 (+100ms)");
  sl_pattern_nondecreasing (b, vb);
  fx_assert_counts (vb, 1, 0, 0);
  sl_pattern_nondecreasing (c, vc);
  fx_assert_counts (vc, 0, 0, 0);
  sl_pattern_nondecreasing (d, vd);
  fx_assert_counts (vd, 1, 0, 0);
  fx_assert_contains (fx_msg (vd, 0), "value 1 after prior value inf");
}

static void
test_nondecreasing_u64_above_2_53 (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("big", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* As doubles both are 2^53 and would compare equal. */
  fx_ok (f, 100, fx_u64 (TWO53 + 1));
  fx_ok (f, 200, fx_u64 (TWO53));
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "big (nondecreasing): regression at sample periodic_001 (+200ms): "
                   "value 9007199254740992 after prior value 9007199254740993 at sample periodic_000 (+100ms)");
}

static void
test_strictly_increasing (void)
{
  g_autoptr(SlSeriesField) up = sl_series_field_new ("big", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) flat = sl_series_field_new ("t", SL_SCALAR_I64);
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();
  g_autoptr(SlVerdict) v2 = sl_verdict_new ();

  fx_ok (up, 100, fx_u64 (TWO53));
  fx_ok (up, 200, fx_u64 (TWO53 + 1));   /* a real step, invisible in f64 */
  fx_ok (up, 300, fx_u64 (G_MAXUINT64));
  sl_pattern_strictly_increasing (up, v1);
  fx_assert_counts (v1, 0, 0, 0);

  fx_ok (flat, 100, fx_i64 (-5));
  fx_ok (flat, 200, fx_i64 (-5));
  fx_ok (flat, 300, fx_i64 (-4));
  sl_pattern_strictly_increasing (flat, v2);
  fx_assert_counts (v2, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v2, 0), ==,
                   "t (strictly_increasing): regression at sample periodic_001 (+200ms): "
                   "value -5 after prior value -5 at sample periodic_000 (+100ms)");
}

static void
test_monotonic_phase_stamped (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_okp (f, 100, 1, fx_u64 (9));
  fx_okp (f, 200, 2, fx_u64 (8));
  sl_pattern_nondecreasing (f, v);
  g_assert_cmpstr (sl_verdict_outcome (v, 0)->phase, ==, "Step[1]");
}

static void
test_monotonic_rejects_bool (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("alive", SL_SCALAR_BOOL);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_bool (TRUE));
  fx_ok (f, 200, fx_bool (FALSE));
  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "alive (nondecreasing): caller error: field type bool is not accepted (accepts u64, i64, f64)");
  fx_assert_range (v, 0, -1, -1);
}

/* --- always_true --- */

static void
test_always_true (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("alive", SL_SCALAR_BOOL);
  g_autoptr(SlSeriesField) empty = sl_series_field_new ("alive", SL_SCALAR_BOOL);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) ve = sl_verdict_new ();

  fx_ok (f, 100, fx_bool (TRUE));
  fx_ok (f, 200, fx_bool (FALSE));
  fx_err (f, NO_MS, "placeholder: rendezvous timed out");
  fx_ok (f, 400, fx_bool (TRUE));
  sl_pattern_always_true (f, v);
  fx_assert_counts (v, 2, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "alive (always_true): sample periodic_001 (+200ms): value false");
  g_assert_cmpstr (fx_msg (v, 1), ==,
                   "alive (always_true): sample periodic_002 (?): projection error: placeholder: rendezvous timed out");
  fx_assert_range (v, 0, 1, 1);
  fx_assert_range (v, 1, 2, 2);

  /* An empty series passes silently: no outcome, no note. */
  sl_pattern_always_true (empty, ve);
  fx_assert_counts (ve, 0, 0, 0);
  g_assert_cmpuint (sl_verdict_n_outcomes (ve), ==, 0);
}

static void
test_always_true_rejects_numbers (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("n", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_u64 (1));
  sl_pattern_always_true (f, v);
  fx_assert_counts (v, 1, 0, 0);
  fx_assert_contains (fx_msg (v, 0), "n (always_true): caller error: field type u64 is not accepted (accepts bool)");
}

/* --- each --- */

static void
test_each_at_least (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("q", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_u64 (3));    /* exactly at the floor: passes */
  fx_ok (f, 200, fx_u64 (2));
  fx_err (f, 300, "gone");
  fx_ok (f, 400, fx_u64 (1));
  sl_pattern_each_at_least (f, fx_u64 (3), v);
  fx_assert_counts (v, 3, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "q (each.at_least 3): sample periodic_001 (+200ms): value 2");
  g_assert_cmpstr (fx_msg (v, 1), ==, "q (each.at_least 3): sample periodic_002 (+300ms): projection error: gone");
  g_assert_cmpstr (fx_msg (v, 2), ==, "q (each.at_least 3): sample periodic_003 (+400ms): value 1");
  fx_assert_range (v, 2, 3, 3);
}

static void
test_each_at_most_nan_and_inf (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 50.0, NAN, 100.0, INFINITY, -INFINITY);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_each_at_most (f, fx_f64 (100.0), v);
  fx_assert_counts (v, 2, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "util (each.at_most 100): sample periodic_001 (+200ms): value NaN is incomparable (NaN)");
  g_assert_cmpstr (fx_msg (v, 1), ==, "util (each.at_most 100): sample periodic_003 (+400ms): value inf");
}

static void
test_each_exact_above_2_53 (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("big", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();
  g_autoptr(SlVerdict) v2 = sl_verdict_new ();
  g_autoptr(SlVerdict) v3 = sl_verdict_new ();

  fx_ok (f, 100, fx_u64 (TWO53 + 1));
  sl_pattern_each_at_most (f, fx_u64 (TWO53), v1);
  fx_assert_counts (v1, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v1, 0), ==,
                   "big (each.at_most 9007199254740992): sample periodic_000 (+100ms): value 9007199254740993");
  /* A bound given as a double is compared exactly too. */
  sl_pattern_each_at_most (f, fx_f64 (9007199254740992.0), v2);
  fx_assert_counts (v2, 1, 0, 0);
  sl_pattern_each_at_least (f, fx_f64 (9007199254740992.0), v3);
  fx_assert_counts (v3, 0, 0, 0);
}

static void
test_each_between (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("d", SL_SCALAR_I64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) bad = sl_verdict_new ();

  fx_ok (f, 100, fx_i64 (-2));   /* at lo */
  fx_ok (f, 200, fx_i64 (5));    /* at hi */
  fx_ok (f, 300, fx_i64 (6));
  fx_ok (f, 400, fx_i64 (-3));
  sl_pattern_each_between (f, fx_i64 (-2), fx_i64 (5), v);
  fx_assert_counts (v, 2, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "d (each.between [-2, 5]): sample periodic_002 (+300ms): value 6");
  g_assert_cmpstr (fx_msg (v, 1), ==, "d (each.between [-2, 5]): sample periodic_003 (+400ms): value -3");

  /* lo > hi: one caller error, no sample evaluated. */
  sl_pattern_each_between (f, fx_i64 (5), fx_i64 (-2), bad);
  fx_assert_counts (bad, 1, 0, 0);
  g_assert_cmpstr (fx_msg (bad, 0), ==, "d (each.between): caller error: lo=5 > hi=-2");
}

static void
test_each_between_nan (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("x", 1.0, NAN);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_each_between (f, fx_f64 (0.5), fx_f64 (1.5), v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "x (each.between [0.5, 1.5]): sample periodic_001 (+200ms): value NaN is incomparable (NaN)");
}

/* --- comparison and formatting --- */

static void
test_scalar_compare (void)
{
  int c;

  g_assert_true (sl_scalar_compare (fx_u64 (TWO53 + 1), fx_u64 (TWO53), &c) && c > 0);
  g_assert_true (sl_scalar_compare (fx_u64 (G_MAXUINT64), fx_i64 (-1), &c) && c > 0);
  g_assert_true (sl_scalar_compare (fx_i64 (G_MININT64), fx_u64 (0), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_i64 (-3), fx_i64 (-2), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_u64 (TWO53 + 1), fx_f64 (9007199254740992.0), &c) && c > 0);
  g_assert_true (sl_scalar_compare (fx_f64 (9007199254740992.0), fx_u64 (TWO53 + 1), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_u64 (3), fx_f64 (3.5), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_u64 (3), fx_f64 (3.0), &c) && c == 0);
  g_assert_true (sl_scalar_compare (fx_i64 (-3), fx_f64 (-3.5), &c) && c > 0);
  g_assert_true (sl_scalar_compare (fx_i64 (-4), fx_f64 (-3.5), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_i64 (G_MININT64), fx_f64 (-9223372036854775808.0), &c) && c == 0);
  g_assert_true (sl_scalar_compare (fx_u64 (G_MAXUINT64), fx_f64 (INFINITY), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_u64 (G_MAXUINT64), fx_f64 (18446744073709551616.0), &c) && c < 0);
  g_assert_true (sl_scalar_compare (fx_i64 (G_MININT64), fx_f64 (-INFINITY), &c) && c > 0);
  g_assert_false (sl_scalar_compare (fx_f64 (NAN), fx_f64 (1), &c));
  g_assert_false (sl_scalar_compare (fx_u64 (1), fx_f64 (NAN), &c));
  g_assert_false (sl_scalar_compare (fx_bool (TRUE), fx_u64 (1), &c));
  g_assert_true (sl_scalar_compare (fx_bool (TRUE), fx_bool (FALSE), &c) && c > 0);
}

static void
check_fmt (double d, const char *want)
{
  g_autofree char *s = sl_pattern_format_value (fx_f64 (d));

  g_assert_cmpstr (s, ==, want);
}

static void
test_format_value (void)
{
  check_fmt (1.0, "1");
  check_fmt (0.1, "0.1");
  check_fmt (-2.5, "-2.5");
  check_fmt (455.0, "455");
  check_fmt (1e20, "100000000000000000000");
  check_fmt (1.5e-7, "0.00000015");
  check_fmt (0.0, "0");
  check_fmt (-0.0, "-0");
  check_fmt (NAN, "NaN");
  check_fmt (INFINITY, "inf");
  check_fmt (-INFINITY, "-inf");
  check_fmt (0.30000000000000004, "0.30000000000000004");
  {
    g_autofree char *u = sl_pattern_format_value (fx_u64 (G_MAXUINT64));
    g_autofree char *i = sl_pattern_format_value (fx_i64 (G_MININT64));

    g_assert_cmpstr (u, ==, "18446744073709551615");
    g_assert_cmpstr (i, ==, "-9223372036854775808");
  }
}

/* --- table --- */

static void
test_table (void)
{
  static const char *const names[] = {
    "nondecreasing", "strictly_increasing", "rate_within", "steady_within", "converges_to",
    "always_true", "ratio_within", "each.at_least", "each.at_most", "each.between",
    "ratio_across_phases.at_most",
  };
  guint n;
  const SlPatternInfo *all = sl_pattern_all (&n);
  const SlPatternInfo *p;

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (all[i].name, ==, names[i]);
      g_assert_cmpint (all[i].id, ==, (SlPatternId) i);
      g_assert_true (sl_pattern_lookup (names[i]) == &all[i]);
      g_assert_true (sl_pattern_info (all[i].id) == &all[i]);
      g_assert_nonnull (all[i].description);
      g_assert_nonnull (all[i].on_error);
      g_assert_cmpuint (all[i].n_params, <=, SL_PATTERN_MAX_PARAMS);
      for (guint k = 0; k < all[i].n_params; k++)
        {
          g_assert_nonnull (all[i].params[k].description);
          g_assert_true (sl_pattern_find_param (&all[i], all[i].params[k].name) == &all[i].params[k]);
        }
    }
  g_assert_null (sl_pattern_lookup ("monotone"));
  g_assert_null (sl_pattern_lookup (NULL));

  p = sl_pattern_lookup ("converges_to");
  g_assert_cmpuint (p->n_params, ==, 3);
  g_assert_cmpstr (p->params[0].name, ==, "target");
  g_assert_cmpstr (p->params[1].name, ==, "tolerance");
  g_assert_cmpstr (p->params[2].name, ==, "deadline_ms");
  p = sl_pattern_lookup ("ratio_within");
  g_assert_cmpstr (p->params[0].name, ==, "other");
  g_assert_cmpint (p->params[0].kind, ==, SL_PARAM_KIND_FIELD);
  p = sl_pattern_lookup ("ratio_across_phases.at_most");
  g_assert_cmpint (sl_pattern_find_param (p, "earlier")->kind, ==, SL_PARAM_KIND_PHASE);
  g_assert_cmpint (sl_pattern_find_param (p, "ceiling")->kind, ==, SL_PARAM_KIND_F64);
  g_assert_null (sl_pattern_find_param (p, "lo"));
  g_assert_cmpint (sl_pattern_find_param (sl_pattern_lookup ("each.at_least"), "bound")->kind, ==, SL_PARAM_KIND_SCALAR);

  g_assert_true (sl_pattern_accepts_type (sl_pattern_lookup ("always_true"), SL_SCALAR_BOOL));
  g_assert_false (sl_pattern_accepts_type (sl_pattern_lookup ("always_true"), SL_SCALAR_F64));
  g_assert_true (sl_pattern_accepts_type (sl_pattern_lookup ("rate_within"), SL_SCALAR_U64));
  g_assert_false (sl_pattern_accepts_type (sl_pattern_lookup ("rate_within"), SL_SCALAR_BOOL));
}

static void
test_run_from_table (void)
{
  g_autoptr(SlSeriesField) f = dispatched_with_regression ();
  g_autoptr(SlSeriesField) b = sl_series_field_new ("alive", SL_SCALAR_BOOL);
  g_autoptr(SlVerdict) direct = sl_verdict_new ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(GError) error = NULL;
  SlPatternArgs args;

  sl_pattern_args_init (&args);
  g_assert_true (sl_pattern_run (sl_pattern_lookup ("nondecreasing"), f, &args, v, &error));
  g_assert_no_error (error);
  sl_pattern_nondecreasing (f, direct);
  g_assert_cmpuint (sl_verdict_n_outcomes (v), ==, 1);
  g_assert_cmpstr (fx_msg (v, 0), ==, fx_msg (direct, 0));

  /* A missing parameter is a spec error that names it; nothing is recorded. */
  sl_pattern_args_set_f64 (&args, SL_PARAM_LO, 0);
  g_assert_false (sl_pattern_run (sl_pattern_lookup ("rate_within"), f, &args, v, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  fx_assert_contains (error->message, "missing parameter 'hi'");
  g_clear_error (&error);
  g_assert_cmpuint (sl_verdict_n_outcomes (v), ==, 1);

  sl_pattern_args_set_f64 (&args, SL_PARAM_HI, 1);
  g_assert_true (sl_pattern_run (sl_pattern_lookup ("rate_within"), f, &args, v, &error));
  g_assert_cmpuint (sl_verdict_n_outcomes (v), ==, 2);   /* the negative rate */
  fx_assert_contains (fx_msg (v, 1), "dispatched (rate_within [0, 1]): rate -0.7250/ms");

  /* A field type the pattern does not take. */
  fx_ok (b, 100, fx_bool (TRUE));
  g_assert_false (sl_pattern_run (sl_pattern_lookup ("nondecreasing"), b, &args, v, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  g_clear_error (&error);

  /* each.at_most with a u64 bound, by table. */
  sl_pattern_args_init (&args);
  sl_pattern_args_set_scalar (&args, SL_PARAM_BOUND, fx_u64 (400));
  g_assert_true (sl_pattern_run (sl_pattern_lookup ("each.at_most"), f, &args, v, &error));
  g_assert_cmpuint (sl_verdict_n_outcomes (v), ==, 3);
  g_assert_cmpstr (fx_msg (v, 2), ==, "dispatched (each.at_most 400): sample periodic_005 (+1000ms): value 455");

  /* A boolean where a number is needed. */
  sl_pattern_args_set_scalar (&args, SL_PARAM_BOUND, fx_bool (TRUE));
  g_assert_false (sl_pattern_run (sl_pattern_lookup ("each.at_most"), f, &args, v, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temporal/nondecreasing/passes", test_nondecreasing_passes);
  g_test_add_func ("/temporal/nondecreasing/regression-message", test_nondecreasing_regression_message);
  g_test_add_func ("/temporal/nondecreasing/skip-note-message", test_nondecreasing_skip_note_message);
  g_test_add_func ("/temporal/nondecreasing/gap-not-bridged", test_nondecreasing_gap_not_bridged);
  g_test_add_func ("/temporal/nondecreasing/errors-start-and-end", test_nondecreasing_errors_start_and_end);
  g_test_add_func ("/temporal/nondecreasing/all-errors", test_nondecreasing_all_errors);
  g_test_add_func ("/temporal/nondecreasing/too-few", test_nondecreasing_too_few);
  g_test_add_func ("/temporal/nondecreasing/nan-and-inf", test_nondecreasing_nan_and_inf);
  g_test_add_func ("/temporal/nondecreasing/u64-above-2^53", test_nondecreasing_u64_above_2_53);
  g_test_add_func ("/temporal/nondecreasing/phase-stamped", test_monotonic_phase_stamped);
  g_test_add_func ("/temporal/nondecreasing/rejects-bool", test_monotonic_rejects_bool);
  g_test_add_func ("/temporal/strictly-increasing/exact", test_strictly_increasing);
  g_test_add_func ("/temporal/always-true/failures", test_always_true);
  g_test_add_func ("/temporal/always-true/rejects-numbers", test_always_true_rejects_numbers);
  g_test_add_func ("/temporal/each/at-least", test_each_at_least);
  g_test_add_func ("/temporal/each/at-most-nan-inf", test_each_at_most_nan_and_inf);
  g_test_add_func ("/temporal/each/exact-above-2^53", test_each_exact_above_2_53);
  g_test_add_func ("/temporal/each/between", test_each_between);
  g_test_add_func ("/temporal/each/between-nan", test_each_between_nan);
  g_test_add_func ("/temporal/compare/exact", test_scalar_compare);
  g_test_add_func ("/temporal/format/value", test_format_value);
  g_test_add_func ("/temporal/table/entries", test_table);
  g_test_add_func ("/temporal/table/run", test_run_from_table);
  return g_test_run ();
}
