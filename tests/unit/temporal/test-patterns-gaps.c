/* Unit tests: projection errors at the start, in the middle and at the end of
 * a series, for every pattern — gap-tolerant patterns note them and never
 * compare across them, strict ones fail on each. */
#include "temporal-fixture.h"
#include "sl-patterns.h"

/* 7 samples; errors at slots 0, 3 and 6; the Ok values are 10, 20, 30, 40
 * at +200, +300, +500, +600ms. Across the middle gap the values jump back,
 * so bridging it would be visible as a regression or an out-of-band rate. */
static SlSeriesField *
gappy (const char *label)
{
  SlSeriesField *f = sl_series_field_new (label, SL_SCALAR_F64);

  fx_err (f, 100, "e-start");
  fx_ok (f, 200, fx_f64 (10));
  fx_ok (f, 300, fx_f64 (20));
  fx_err (f, 400, "e-mid");
  fx_ok (f, 500, fx_f64 (11));
  fx_ok (f, 600, fx_f64 (21));
  fx_err (f, 700, "e-end");
  return f;
}

static void
test_gaps_monotonic (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  sl_pattern_nondecreasing (f, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (nondecreasing): skipped 3 sample(s) with projection errors: "
                   "periodic_000(+100ms): e-start, periodic_003(+400ms): e-mid, periodic_006(+700ms): e-end");
  sl_pattern_strictly_increasing (f, w);
  fx_assert_counts (w, 0, 0, 1);
}

static void
test_gaps_rate (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  /* In-segment rates are 0.1/ms; 20 → 11 across the gap would be negative. */
  sl_pattern_rate_within (f, 0.1, 0.1, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (rate_within): 4 consecutive-pair gap(s) skipped due to a projection error or an "
                   "unmeasured elapsed timestamp on at least one endpoint: periodic_000(+100ms): e-start, "
                   "periodic_003(+400ms): e-mid, periodic_003(+400ms): e-mid, periodic_006(+700ms): e-end");
}

static void
test_gaps_steady (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_steady_within (f, 0, 0.5, v);   /* mean 15.5, band [7.75, 23.25] */
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (steady_within): skipped 3 sample(s) with a projection error or an unmeasured "
                   "elapsed timestamp: periodic_000(+100ms): e-start, periodic_003(+400ms): e-mid, "
                   "periodic_006(+700ms): e-end");
}

static void
test_gaps_ratio (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlSeriesField) g = gappy ("d");
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_pattern_ratio_within (f, g, 1, 1, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "c (ratio_within): 3 pair(s) skipped due to projection errors on lhs or rhs: "
                   "lhs periodic_000(+100ms): e-start | rhs periodic_000(+100ms): e-start, "
                   "lhs periodic_003(+400ms): e-mid | rhs periodic_003(+400ms): e-mid, "
                   "lhs periodic_006(+700ms): e-end | rhs periodic_006(+700ms): e-end");
}

static void
test_gaps_converges (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autoptr(SlVerdict) w = sl_verdict_new ();

  /* Every Ok value is in band, but no three are consecutive: each run of
   * two is cut by an error. The start error precedes any run: not listed. */
  sl_pattern_converges_to (f, 20, 10, 1000, v);
  fx_assert_counts (v, 1, 0, 0);
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "c (converges_to 20 ±10, deadline_ms=1000): no 3-consecutive-in-band witness before "
                   "deadline (7 samples evaluated); in-progress runs interrupted by errored sample(s): "
                   "periodic_003(+400ms): e-mid, periodic_006(+700ms): e-end");
  fx_assert_range (v, 0, 0, 6);

  /* With the deadline before the second segment only 2 Ok samples remain. */
  sl_pattern_converges_to (f, 20, 10, 400, w);
  fx_assert_counts (w, 0, 0, 1);
  g_assert_cmpstr (fx_note (w, 0), ==,
                   "c (converges_to 20 ±10, deadline_ms=400): insufficient samples for converges_to "
                   "(need ≥3, have 2); errored sample(s): periodic_000(+100ms): e-start, periodic_003(+400ms): e-mid");
}

static void
test_gaps_strict_patterns (void)
{
  g_autoptr(SlSeriesField) f = gappy ("c");
  g_autoptr(SlSeriesField) b = sl_series_field_new ("b", SL_SCALAR_BOOL);
  g_autoptr(SlVerdict) v1 = sl_verdict_new ();
  g_autoptr(SlVerdict) v2 = sl_verdict_new ();
  g_autoptr(SlVerdict) v3 = sl_verdict_new ();
  g_autoptr(SlVerdict) v4 = sl_verdict_new ();

  /* Each error is its own Fail, pointing at its own slot. */
  sl_pattern_each_at_least (f, fx_f64 (0), v1);
  fx_assert_counts (v1, 3, 0, 0);
  fx_assert_range (v1, 0, 0, 0);
  fx_assert_range (v1, 1, 3, 3);
  fx_assert_range (v1, 2, 6, 6);
  g_assert_cmpstr (fx_msg (v1, 2), ==, "c (each.at_least 0): sample periodic_006 (+700ms): projection error: e-end");
  sl_pattern_each_at_most (f, fx_f64 (100), v2);
  fx_assert_counts (v2, 3, 0, 0);
  sl_pattern_each_between (f, fx_f64 (0), fx_f64 (100), v3);
  fx_assert_counts (v3, 3, 0, 0);
  g_assert_cmpstr (fx_msg (v3, 1), ==,
                   "c (each.between [0, 100]): sample periodic_003 (+400ms): projection error: e-mid");

  fx_err (b, 100, "e-start");
  fx_ok (b, 200, fx_bool (TRUE));
  fx_err (b, 300, "e-mid");
  fx_ok (b, 400, fx_bool (TRUE));
  fx_err (b, 500, "e-end");
  sl_pattern_always_true (b, v4);
  fx_assert_counts (v4, 3, 0, 0);
}

static void
test_gaps_cross_phase_uses_last_ok (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_U64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_errp (f, 100, 0, "e-start");
  fx_okp (f, 200, 0, fx_u64 (10));
  fx_errp (f, 300, 0, "e-end of baseline");
  fx_okp (f, 400, 1, fx_u64 (5));
  fx_errp (f, 500, 1, "e-end");
  sl_pattern_ratio_across_phases_at_most (f, 0, 1, 0.5, v);
  fx_assert_counts (v, 0, 0, 1);
  g_assert_cmpstr (fx_note (v, 0), ==, "[c] ratio_across_phases(BASELINE→Step[0]) = 5/10 = 0.5000 (ceiling 0.5000)");
}

static void
test_only_errors (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_F64);
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  fx_err (f, 100, "a");
  fx_err (f, 200, "b");
  sl_pattern_rate_within (f, 0, 1, v);
  sl_pattern_ratio_within (f, f, 0, 1, v);
  sl_pattern_converges_to (f, 0, 1, 1000, v);
  /* Coverage gaps are notes: nothing fails on data that is simply missing. */
  fx_assert_counts (v, 0, 0, 3);
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temporal/gaps/monotonic", test_gaps_monotonic);
  g_test_add_func ("/temporal/gaps/rate-within", test_gaps_rate);
  g_test_add_func ("/temporal/gaps/steady-within", test_gaps_steady);
  g_test_add_func ("/temporal/gaps/ratio-within", test_gaps_ratio);
  g_test_add_func ("/temporal/gaps/converges-to", test_gaps_converges);
  g_test_add_func ("/temporal/gaps/strict-patterns", test_gaps_strict_patterns);
  g_test_add_func ("/temporal/gaps/cross-phase-last-ok", test_gaps_cross_phase_uses_last_ok);
  g_test_add_func ("/temporal/gaps/only-errors", test_only_errors);
  return g_test_run ();
}
