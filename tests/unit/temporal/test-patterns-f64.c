/* Unit tests: rate_within, steady_within, converges_to, ratio_within and
 * ratio_across_phases. */
#include "temporal-fixture.h"
#include "sl-patterns.h"
#include "sl-phase.h"

/* --- rate_within --- */

static void
test_rate_pass_inclusive_bounds (void)
{
  /* Rates 0.5/ms and 2/ms: exactly at lo and at hi. */
  g_autoptr(SlSeriesField) f = FX_F64 ("ticks", 0.0, 50.0, 250.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_rate_within (f, 0.5, 2.0, v);
  fx_assert_counts (v, 0, 0, 0);
}

static void
test_rate_out_of_band_message (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("ticks", 1.0, 4.0, 5.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  const SlOutcome *o;

  sl_pattern_rate_within (f, 0.005, 0.02, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "ticks (rate_within [0.005, 0.02]): rate 0.0300/ms between samples "
                   "periodic_000 (+100ms, value 1) and periodic_001 (+200ms, value 4)");
  o = sl_verdict_outcome (v, 0);
  fx_assert_range (v, 0, 0, 1);
  g_assert_cmpuint (o->t_first_ms.v, ==, 100);
  g_assert_cmpuint (o->t_last_ms.v, ==, 200);
}

static void
test_rate_negative_rates (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("q", 100.0, 90.0, 80.0);
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();
  g_autoptr(SlVerdict) v2 = sl_verdict_new ();

  sl_pattern_rate_within (f, -0.1, 0.0, v1);   /* -0.1/ms, at lo */
  fx_assert_counts (v1, 0, 0, 0);
  sl_pattern_rate_within (f, 0.0, 1.0, v2);
  fx_assert_counts (v2, 2, 0, 0);
  fx_assert_contains (fx_msg (v2, 0), "rate -0.1000/ms");
}

static void
test_rate_caller_error (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("ticks", 1.0, 1000.0, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) vn = sl_verdict_new ();

  /* lo > hi: one Fail, and the (violating) samples are not evaluated. */
  sl_pattern_rate_within (f, 2.0, 1.0, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "ticks (rate_within): caller error: lo=2 > hi=1");
  fx_assert_range (v, 0, -1, -1);

  sl_pattern_rate_within (f, NAN, 1.0, vn);
  fx_assert_counts (vn, 1, 0, 0);
  g_assert_cmpstr (fx_msg (vn, 0), ==, "ticks (rate_within): caller error: lo is NaN");
}

static void
test_rate_too_few (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("ticks", 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_rate_within (f, 0, 1, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==, "ticks (rate_within): only 1 samples — pattern vacuously holds");
}

static void
test_rate_gaps (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("ticks", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* 0 → (error) → 1000 would be a rate of 5/ms if bridged. */
  fx_ok (f, 100, fx_f64 (0));
  fx_err (f, 200, "boom");
  fx_ok (f, 300, fx_f64 (1000));
  fx_err (f, 400, "bang");
  fx_err (f, 500, "pow");
  sl_pattern_rate_within (f, 0, 0.001, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "ticks (rate_within): 4 consecutive-pair gap(s) skipped due to a projection error "
                   "or an unmeasured elapsed timestamp on at least one endpoint: "
                   "periodic_001(+200ms): boom, periodic_001(+200ms): boom, periodic_003(+400ms): bang, "
                   "periodic_003(+400ms): bang | periodic_004(+500ms): pow");
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
}

static void
test_rate_unmeasured_elapsed (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("ticks", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* A 0-coerced elapsed would give rates (9-2)/400 outside the band. */
  fx_ok (f, 100, fx_f64 (1));
  fx_ok (f, NO_MS, fx_f64 (2));
  fx_ok (f, 400, fx_f64 (9));
  sl_pattern_rate_within (f, 0, 0.001, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "ticks (rate_within): 2 consecutive-pair gap(s) skipped due to a projection error "
                   "or an unmeasured elapsed timestamp on at least one endpoint: "
                   "periodic_000(+100ms)..periodic_001(?): elapsed not measured, "
                   "periodic_001(?)..periodic_002(+400ms): elapsed not measured");
}

static void
test_rate_zero_dt_inconclusive (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("ticks", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_f64 (1));
  fx_ok (f, 100, fx_f64 (5));    /* same instant */
  fx_ok (f, 50, fx_f64 (6));     /* time going backwards saturates to 0 */
  sl_pattern_rate_within (f, 0, 100, v);
  fx_assert_counts (v, 0, 2, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "ticks (rate_within): zero-time delta between sample periodic_000 (+100ms) and "
                   "periodic_001 (+100ms) — denominator is INSTRUMENT-derived; rate is neither pass nor fail");
  fx_assert_range (v, 0, 0, 1);
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_INCONCLUSIVE);
  g_assert_cmpint (sl_verdict_exit_code (v), ==, 2);
}

static void
test_rate_non_finite (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("ticks", 1.0, NAN, 2.0, INFINITY, INFINITY);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_rate_within (f, -1e9, 1e9, v);
  /* NaN on both of its pairs, inf - 2 is inf, inf - inf is NaN. */
  fx_assert_counts (v, 4, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "ticks (rate_within [-1000000000, 1000000000]): non-finite rate between samples "
                   "periodic_000 (+100ms, value 1) and periodic_001 (+200ms, value NaN) "
                   "— endpoint is NaN or produced inf in the delta");
  fx_assert_contains (fx_msg (v, 3), "periodic_003 (+400ms, value inf) and periodic_004 (+500ms, value inf)");
}

static void
test_rate_u64_field (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("n", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 0, fx_u64 (0));      /* a measured 0 is a real time */
  fx_ok (f, 1000, fx_u64 (5000));
  sl_pattern_rate_within (f, 0, 4, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "n (rate_within [0, 4]): rate 5.0000/ms between samples periodic_000 (+0ms, value 0) "
                   "and periodic_001 (+1000ms, value 5000)");
}

/* --- steady_within --- */

static void
test_steady_warmup_pass (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 100.0, 50.0, 10.0, 10.0, 10.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_steady_within (f, 250, 0.01, v);
  fx_assert_counts (v, 0, 0, 0);
}

static void
test_steady_outlier_message (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 10.0, 10.0, 40.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_steady_within (f, 0, 0.10, v);
  /* mean 20 (outliers included), band [18, 22]: all three are outside. */
  fx_assert_counts (v, 3, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "util (steady_within mean 20.0000 ±10.0%): sample periodic_000 (+100ms): "
                   "value 10 outside [18.0000, 22.0000]");
  g_assert_cmpstr (fx_msg (v, 2), ==,
                   "util (steady_within mean 20.0000 ±10.0%): sample periodic_002 (+300ms): "
                   "value 40 outside [18.0000, 22.0000]");
  fx_assert_range (v, 2, 2, 2);
}

static void
test_steady_inclusive_band (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 5.0, 15.0, 10.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_steady_within (f, 0, 0.5, v);   /* band [5, 15] exactly */
  fx_assert_counts (v, 0, 0, 0);
}

static void
test_steady_negative_tolerance (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 1.0, 100.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_steady_within (f, 0, -0.1, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "util (steady_within): caller error: tolerance -0.1 negative");
}

static void
test_steady_zero_mean (void)
{
  g_autoptr(SlSeriesField) zeros = FX_F64 ("z", 0.0, 0.0, 0.0);
  g_autoptr(SlSeriesField) pm = FX_F64 ("z", 1.0, -1.0);
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();
  g_autoptr(SlVerdict) v2 = sl_verdict_new ();

  sl_pattern_steady_within (zeros, 0, 0.1, v1);
  fx_assert_counts (v1, 0, 0, 0);
  /* Mean 0 makes the band [0, 0]: anything else is outside. */
  sl_pattern_steady_within (pm, 0, 0.5, v2);
  fx_assert_counts (v2, 2, 0, 0);
  g_assert_cmpstr (fx_msg (v2, 0), ==,
                   "z (steady_within mean 0.0000 ±50.0%): sample periodic_000 (+100ms): value 1 outside [0.0000, 0.0000]");
}

static void
test_steady_negative_mean (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("lag", -10.0, -10.5, -9.5);
  g_autoptr(SlSeriesField) g = FX_F64 ("lag", -10.0, -10.0, -13.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  /* mean -10: the band [-11, -9] after swapping the ends. */
  sl_pattern_steady_within (f, 0, 0.1, v);
  fx_assert_counts (v, 0, 0, 0);
  sl_pattern_steady_within (g, 0, 0.1, w);
  fx_assert_counts (w, 1, 0, 0);
  g_assert_cmpstr (fx_msg (w, 0), ==,
                   "lag (steady_within mean -11.0000 ±10.0%): sample periodic_002 (+300ms): "
                   "value -13 outside [-12.1000, -9.9000]");
}

static void
test_steady_non_finite_skipped (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 10.0, NAN, 100.0, INFINITY);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* The NaN must not poison the mean into a silent pass. */
  sl_pattern_steady_within (f, 0, 0.10, v);
  fx_assert_counts (v, 2, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "util (steady_within): skipped 2 sample(s) with a projection error or an unmeasured "
                   "elapsed timestamp: periodic_001(+200ms): non-finite value NaN, "
                   "periodic_003(+400ms): non-finite value inf");
  fx_assert_contains (fx_msg (v, 0), "mean 55.0000");
}

static void
test_steady_skips_and_warmup (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("util", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_err (f, 100, "warmup error is ignored");
  fx_ok (f, 200, fx_f64 (1000));           /* warmup value ignored */
  fx_ok (f, NO_MS, fx_f64 (9999));         /* cannot be placed: skipped */
  fx_ok (f, 500, fx_f64 (10));             /* exactly at warmup: post-warmup */
  fx_err (f, 600, "gone");
  fx_ok (f, 700, fx_f64 (10));
  sl_pattern_steady_within (f, 500, 0.05, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "util (steady_within): skipped 2 sample(s) with a projection error or an unmeasured "
                   "elapsed timestamp: periodic_002(?): elapsed not measured (cannot place vs warmup), "
                   "periodic_004(+600ms): gone");
}

static void
test_steady_vacuous (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("util", 1.0, 2.0);
  g_autoptr(SlSeriesField) g = sl_series_field_new ("util", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  sl_pattern_steady_within (f, 1000, 0.1, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==, "util (steady_within): no samples beyond warmup_ms=1000 — pattern vacuously holds");

  /* Post-warmup samples that all errored: only the skip note. */
  fx_err (g, 100, "a");
  fx_err (g, 200, "b");
  sl_pattern_steady_within (g, 0, 0.1, w);
  fx_assert_counts (w, 0, 0, 1);
  fx_assert_contains (fx_note (w, 0), "skipped 2 sample(s)");
}

/* --- converges_to --- */

static void
test_converges_witness (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("load", 10.0, 5.0, 1.0, 1.5, 0.5);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* 1.5 and 0.5 sit exactly on the band edges. */
  sl_pattern_converges_to (f, 1.0, 0.5, 500, v);
  fx_assert_counts (v, 0, 0, 0);
}

static void
test_converges_no_witness_message (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("load", 10.0, 1.0, 1.0, 10.0, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_converges_to (f, 1.0, 0.5, 1000, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "load (converges_to 1 ±0.5, deadline_ms=1000): no 3-consecutive-in-band witness "
                   "before deadline (5 samples evaluated)");
  fx_assert_range (v, 0, 0, 4);
}

static void
test_converges_insufficient (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("load", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (f, 100, fx_f64 (1));
  fx_err (f, 200, "gone");
  fx_ok (f, 300, fx_f64 (1));
  fx_ok (f, 5000, fx_f64 (1));   /* past the deadline: not counted */
  sl_pattern_converges_to (f, 1.0, 0.5, 1000, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "load (converges_to 1 ±0.5, deadline_ms=1000): insufficient samples for converges_to "
                   "(need ≥3, have 2); errored sample(s): periodic_001(+200ms): gone");
  g_assert_true (sl_verdict_passed (v));
}

static void
test_converges_interrupted_by_error (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("load", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_err (f, 50, "before any run: not listed");
  fx_ok (f, 100, fx_f64 (1));
  fx_ok (f, 200, fx_f64 (1));
  fx_err (f, 300, "boom");
  fx_ok (f, 400, fx_f64 (1));
  fx_ok (f, 500, fx_f64 (1));
  sl_pattern_converges_to (f, 1.0, 0.0, 1000, v);   /* tolerance 0: exactly the target is in band */
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "load (converges_to 1 ±0, deadline_ms=1000): no 3-consecutive-in-band witness before "
                   "deadline (6 samples evaluated); in-progress runs interrupted by errored sample(s): "
                   "periodic_003(+300ms): boom");
}

static void
test_converges_out_of_window_resets (void)
{
  g_autoptr(SlSeriesField) a = sl_series_field_new ("load", SL_SCALAR_F64);
  g_autoptr(SlSeriesField) b = sl_series_field_new ("load", SL_SCALAR_F64);
  g_autoptr(SlVerdict) va = sl_verdict_new ();
  g_autoptr(SlVerdict) vb = sl_verdict_new ();

  /* An unmeasured elapsed breaks the run: 1,1,(?),1 has no witness. */
  fx_ok (a, 100, fx_f64 (1));
  fx_ok (a, 200, fx_f64 (1));
  fx_ok (a, NO_MS, fx_f64 (1));
  fx_ok (a, 300, fx_f64 (1));
  sl_pattern_converges_to (a, 1.0, 0.1, 1000, va);
  fx_assert_counts (va, 1, 0, 0);

  /* A sample past the deadline resets the run, but the scan goes on: a
   * later in-window run still counts. */
  fx_ok (b, 100, fx_f64 (1));
  fx_ok (b, 200, fx_f64 (1));
  fx_ok (b, 5000, fx_f64 (1));
  fx_ok (b, 300, fx_f64 (1));
  fx_ok (b, 400, fx_f64 (1));
  fx_ok (b, 1000, fx_f64 (1));   /* exactly at the deadline: in window */
  sl_pattern_converges_to (b, 1.0, 0.1, 1000, vb);
  fx_assert_counts (vb, 0, 0, 0);
}

static void
test_converges_after_deadline (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("load", 9.0, 9.0, 9.0, 1.0, 1.0, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* Converges at +400..+600ms, but the deadline is +500ms. */
  sl_pattern_converges_to (f, 1.0, 0.1, 500, v);
  fx_assert_counts (v, 1, 0, 0);
  fx_assert_range (v, 0, 0, 4);
  g_assert_cmpuint (sl_verdict_outcome (v, 0)->t_last_ms.v, ==, 500);
}

static void
test_converges_nan_resets (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("load", 1.0, 1.0, NAN, 1.0, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_converges_to (f, 1.0, 0.1, 1000, v);
  fx_assert_counts (v, 1, 0, 0);
}

static void
test_converges_caller_error (void)
{
  g_autoptr(SlSeriesField) f = FX_F64 ("load", 1.0, 1.0, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_converges_to (f, 1.0, -0.5, 1000, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "load (converges_to): caller error: tolerance -0.5 negative");
}

/* --- ratio_within --- */

static void
test_ratio_pass_and_bounds (void)
{
  g_autoptr(SlSeriesField) l = FX_F64 ("lhs", 10.0, 25.0, 30.0);
  g_autoptr(SlSeriesField) r = FX_F64 ("rhs", 5.0, 10.0, 15.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  /* ratios 2, 2.5, 2: at lo and at hi. */
  sl_pattern_ratio_within (l, r, 2.0, 2.5, v);
  fx_assert_counts (v, 0, 0, 0);
  sl_pattern_ratio_within (l, r, 2.0, 2.4, w);
  fx_assert_counts (w, 1, 0, 0);
  g_assert_cmpstr (fx_msg (w, 0), ==,
                   "lhs (ratio_within rhs [2, 2.4]): ratio 2.5000 at sample periodic_001 (+200ms) — lhs=25 rhs=10");
  fx_assert_range (w, 0, 1, 1);
}

static void
test_ratio_caller_errors (void)
{
  g_autoptr(SlSeriesField) l = FX_F64 ("lhs", 10.0);
  g_autoptr(SlSeriesField) r = FX_F64 ("rhs", 5.0, 10.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  sl_pattern_ratio_within (l, r, 1.5, 2.5, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==, "lhs (ratio_within rhs): caller error: length mismatch (this 1, other 2)");
  sl_pattern_ratio_within (l, r, 3, 2, w);
  fx_assert_counts (w, 1, 0, 0);
  g_assert_cmpstr (fx_msg (w, 0), ==, "lhs (ratio_within): caller error: lo=3 > hi=2");
}

static void
test_ratio_zero_rhs_inconclusive (void)
{
  g_autoptr(SlSeriesField) l = FX_F64 ("lhs", 10.0, 0.0);
  g_autoptr(SlSeriesField) r = FX_F64 ("rhs", 0.0, 5.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_within (l, r, 1.5, 2.5, v);
  fx_assert_counts (v, 1, 1, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "lhs (ratio_within): rhs == 0 at sample periodic_000 (+100ms) — denominator is "
                   "INSTRUMENT-derived; ratio is neither pass nor fail");
  g_assert_cmpint (sl_verdict_outcome (v, 0)->kind, ==, SL_OUTCOME_INCONCLUSIVE);
}

static void
test_ratio_non_finite (void)
{
  g_autoptr(SlSeriesField) l = FX_F64 ("lhs", NAN, 5.0, INFINITY);
  g_autoptr(SlSeriesField) r = FX_F64 ("rhs", 5.0, NAN, 1.0);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_within (l, r, -1e9, 1e9, v);
  fx_assert_counts (v, 3, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "lhs (ratio_within rhs [-1000000000, 1000000000]): non-finite ratio at sample "
                   "periodic_000 (+100ms) — lhs=NaN rhs=5");
  fx_assert_contains (fx_msg (v, 1), "lhs=5 rhs=NaN");
  fx_assert_contains (fx_msg (v, 2), "lhs=inf rhs=1");
}

static void
test_ratio_gaps (void)
{
  g_autoptr(SlSeriesField) l = sl_series_field_new ("lhs", SL_SCALAR_F64);
  g_autoptr(SlSeriesField) r = sl_series_field_new ("rhs", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_ok (l, 100, fx_f64 (10));
  fx_err (l, 200, "lx");
  fx_ok (l, 300, fx_f64 (20));
  fx_err (l, 400, "ly");
  fx_ok (r, 100, fx_u64 (5));
  fx_ok (r, 200, fx_u64 (7));
  fx_err (r, NO_MS, "rx");
  fx_err (r, 401, "ry");
  sl_pattern_ratio_within (l, r, 1.5, 2.5, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "lhs (ratio_within): 3 pair(s) skipped due to projection errors on lhs or rhs: "
                   "lhs periodic_001(+200ms): lx, rhs periodic_002(?): rx, "
                   "lhs periodic_003(+400ms): ly | rhs periodic_003(+401ms): ry");
}

/* --- ratio_across_phases --- */

static SlSeriesField *
phased_counter (void)
{
  SlSeriesField *f = sl_series_field_new ("dispatched", SL_SCALAR_U64);

  fx_okp (f, 100, SL_PHASE_BASELINE, fx_u64 (50));
  fx_okp (f, 200, SL_PHASE_BASELINE, fx_u64 (100));
  fx_errp (f, 250, SL_PHASE_BASELINE, "placeholder");   /* the last Ok wins */
  fx_okp (f, 300, sl_phase_step (0), fx_u64 (80));
  fx_okp (f, 400, sl_phase_step (0), fx_u64 (85));
  fx_errp (f, 500, sl_phase_step (1), "placeholder");
  fx_okp (f, 600, sl_phase_step (2), fx_u64 (0));
  fx_okp (f, 700, sl_phase_step (3), fx_u64 (7));
  return f;
}

static void
test_cross_phase_pass_note (void)
{
  g_autoptr(SlSeriesField) f = phased_counter ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_across_phases_at_most (f, SL_PHASE_BASELINE, sl_phase_step (0), 0.85, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "[dispatched] ratio_across_phases(BASELINE→Step[0]) = 85/100 = 0.8500 (ceiling 0.8500)");
}

static void
test_cross_phase_exceeds (void)
{
  g_autoptr(SlSeriesField) f = phased_counter ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_across_phases_at_most (f, SL_PHASE_BASELINE, sl_phase_step (0), 0.8, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "dispatched: ratio_across_phases(BASELINE→Step[0]) = 85/100 = 0.8500 exceeds ceiling 0.8000");
  /* The outcome points at the two samples whose values were compared. */
  fx_assert_range (v, 0, 1, 4);
  g_assert_cmpuint (sl_verdict_outcome (v, 0)->t_first_ms.v, ==, 200);
  g_assert_cmpuint (sl_verdict_outcome (v, 0)->t_last_ms.v, ==, 400);
}

static void
test_cross_phase_missing_phase (void)
{
  g_autoptr(SlSeriesField) f = phased_counter ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* Step[1] only has an error; Step[9] has nothing. */
  sl_pattern_ratio_across_phases_at_most (f, SL_PHASE_BASELINE, sl_phase_step (1), 1.0, v);
  sl_pattern_ratio_across_phases_at_most (f, sl_phase_step (9), SL_PHASE_BASELINE, 1.0, v);
  fx_assert_counts (v, 0, 2, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "dispatched: ratio_across_phases(BASELINE→Step[1]) inconclusive: needs both phases — "
                   "earlier=100, later=<no-samples>");
  g_assert_cmpstr (fx_msg (v, 1), ==,
                   "dispatched: ratio_across_phases(Step[9]→BASELINE) inconclusive: needs both phases — "
                   "earlier=<no-samples>, later=100");
  g_assert_cmpint (sl_verdict_exit_code (v), ==, 2);
}

static void
test_cross_phase_zero_baseline (void)
{
  g_autoptr(SlSeriesField) f = phased_counter ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_across_phases_at_most (f, sl_phase_step (2), sl_phase_step (3), 1.0, v);
  fx_assert_counts (v, 0, 1, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "dispatched: ratio_across_phases(Step[2]→Step[3]) inconclusive: earlier value is 0 "
                   "(no baseline to ratio against)");
}

static void
test_cross_phase_non_finite (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("x", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  SlScalar e = fx_f64 (2), l = fx_f64 (NAN);
  SlPhaseOperand eo = { &e, -1, SL_OPT_U64_NONE }, lo = { &l, -1, SL_OPT_U64_NONE };

  fx_okp (f, 100, 0, fx_f64 (NAN));
  fx_okp (f, 200, 1, fx_f64 (1));
  sl_pattern_ratio_across_phases_at_most (f, 0, 1, 10, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "x: ratio_across_phases(BASELINE→Step[0]) = 1/NaN = NaN is non-finite (corrupt endpoint) "
                   "— cannot evaluate ceiling 10.0000");

  /* Without a label there is no prefix. */
  sl_cross_phase_ratio_at_most ("", 0, 1, eo, lo, 1, v);
  g_assert_cmpstr (fx_msg (v, 1), ==,
                   "ratio_across_phases(BASELINE→Step[0]) = NaN/2 = NaN is non-finite (corrupt endpoint) "
                   "— cannot evaluate ceiling 1.0000");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temporal/rate-within/inclusive-bounds", test_rate_pass_inclusive_bounds);
  g_test_add_func ("/temporal/rate-within/out-of-band-message", test_rate_out_of_band_message);
  g_test_add_func ("/temporal/rate-within/negative-rates", test_rate_negative_rates);
  g_test_add_func ("/temporal/rate-within/caller-error", test_rate_caller_error);
  g_test_add_func ("/temporal/rate-within/too-few", test_rate_too_few);
  g_test_add_func ("/temporal/rate-within/gaps", test_rate_gaps);
  g_test_add_func ("/temporal/rate-within/unmeasured-elapsed", test_rate_unmeasured_elapsed);
  g_test_add_func ("/temporal/rate-within/zero-dt-inconclusive", test_rate_zero_dt_inconclusive);
  g_test_add_func ("/temporal/rate-within/non-finite", test_rate_non_finite);
  g_test_add_func ("/temporal/rate-within/u64-field", test_rate_u64_field);
  g_test_add_func ("/temporal/steady-within/warmup-pass", test_steady_warmup_pass);
  g_test_add_func ("/temporal/steady-within/outlier-message", test_steady_outlier_message);
  g_test_add_func ("/temporal/steady-within/inclusive-band", test_steady_inclusive_band);
  g_test_add_func ("/temporal/steady-within/negative-tolerance", test_steady_negative_tolerance);
  g_test_add_func ("/temporal/steady-within/zero-mean", test_steady_zero_mean);
  g_test_add_func ("/temporal/steady-within/negative-mean", test_steady_negative_mean);
  g_test_add_func ("/temporal/steady-within/non-finite-skipped", test_steady_non_finite_skipped);
  g_test_add_func ("/temporal/steady-within/skips-and-warmup", test_steady_skips_and_warmup);
  g_test_add_func ("/temporal/steady-within/vacuous", test_steady_vacuous);
  g_test_add_func ("/temporal/converges-to/witness", test_converges_witness);
  g_test_add_func ("/temporal/converges-to/no-witness-message", test_converges_no_witness_message);
  g_test_add_func ("/temporal/converges-to/insufficient", test_converges_insufficient);
  g_test_add_func ("/temporal/converges-to/interrupted-by-error", test_converges_interrupted_by_error);
  g_test_add_func ("/temporal/converges-to/out-of-window-resets", test_converges_out_of_window_resets);
  g_test_add_func ("/temporal/converges-to/after-deadline", test_converges_after_deadline);
  g_test_add_func ("/temporal/converges-to/nan-resets", test_converges_nan_resets);
  g_test_add_func ("/temporal/converges-to/caller-error", test_converges_caller_error);
  g_test_add_func ("/temporal/ratio-within/pass-and-bounds", test_ratio_pass_and_bounds);
  g_test_add_func ("/temporal/ratio-within/caller-errors", test_ratio_caller_errors);
  g_test_add_func ("/temporal/ratio-within/zero-rhs-inconclusive", test_ratio_zero_rhs_inconclusive);
  g_test_add_func ("/temporal/ratio-within/non-finite", test_ratio_non_finite);
  g_test_add_func ("/temporal/ratio-within/gaps", test_ratio_gaps);
  g_test_add_func ("/temporal/cross-phase/pass-note", test_cross_phase_pass_note);
  g_test_add_func ("/temporal/cross-phase/exceeds", test_cross_phase_exceeds);
  g_test_add_func ("/temporal/cross-phase/missing-phase", test_cross_phase_missing_phase);
  g_test_add_func ("/temporal/cross-phase/zero-baseline", test_cross_phase_zero_baseline);
  g_test_add_func ("/temporal/cross-phase/non-finite", test_cross_phase_non_finite);
  return g_test_run ();
}
