/* Unit tests: per-phase partition, values, counter deltas and MetricKind
 * reductions; absent is never 0. */
#include "temporal-fixture.h"
#include "sl-phase.h"
#include "sl-phase-aggregate.h"

#define STEP(k) sl_phase_step (k)

/* Phases out of order, errors, and unphased (fixture) samples. */
static SlSeriesField *
mixed_field (void)
{
  SlSeriesField *f = sl_series_field_new ("c", SL_SCALAR_U64);

  fx_okp (f, 100, STEP (1), fx_u64 (40));      /* 0 */
  fx_ok (f, 150, fx_u64 (999));                /* 1: no phase */
  fx_okp (f, 200, SL_PHASE_BASELINE, fx_u64 (10)); /* 2 */
  fx_errp (f, 300, STEP (1), "gap");           /* 3 */
  fx_okp (f, 400, STEP (1), fx_u64 (70));      /* 4 */
  fx_okp (f, 500, SL_PHASE_BASELINE, fx_u64 (12)); /* 5 */
  fx_errp (f, 600, STEP (4), "only errors");   /* 6 */
  fx_okp (f, 700, STEP (1), fx_u64 (90));      /* 7 */
  fx_errp (f, 800, STEP (1), "trailing");      /* 8 */
  return f;
}

static void
test_by_phase (void)
{
  g_autoptr(SlSeriesField) f = mixed_field ();
  g_autoptr(SlPhasePartition) p = sl_series_field_by_phase (f);
  const guint *s;
  guint n;

  g_assert_cmpuint (p->spans->len, ==, 3);
  g_assert_cmpuint (g_array_index (p->spans, SlPhaseSpan, 0).phase, ==, SL_PHASE_BASELINE);
  g_assert_cmpuint (g_array_index (p->spans, SlPhaseSpan, 1).phase, ==, STEP (1));
  g_assert_cmpuint (g_array_index (p->spans, SlPhaseSpan, 2).phase, ==, STEP (4));

  s = sl_phase_partition_slots (p, SL_PHASE_BASELINE, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (s[0], ==, 2);
  g_assert_cmpuint (s[1], ==, 5);
  s = sl_phase_partition_slots (p, STEP (1), &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (s[0], ==, 0);
  g_assert_cmpuint (s[1], ==, 3);
  g_assert_cmpuint (s[4], ==, 8);
  s = sl_phase_partition_slots (p, STEP (2), &n);
  g_assert_null (s);
  g_assert_cmpuint (n, ==, 0);

  /* Unphased samples live in their own bucket, never in BASELINE. */
  g_assert_cmpuint (p->none->len, ==, 1);
  g_assert_cmpuint (g_array_index (p->none, guint, 0), ==, 1);
}

static void
test_by_phase_empty (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("c", SL_SCALAR_F64);
  g_autoptr(SlPhasePartition) p = sl_series_field_by_phase (f);

  g_assert_cmpuint (p->spans->len, ==, 0);
  g_assert_cmpuint (p->slots->len, ==, 0);
  g_assert_cmpuint (p->none->len, ==, 0);
}

static void
test_value_at_phase (void)
{
  g_autoptr(SlSeriesField) f = mixed_field ();
  SlScalar v;
  gint slot = -7;

  g_assert_true (sl_series_field_value_at_phase (f, STEP (1), &v, &slot));
  g_assert_cmpuint (v.u, ==, 90);     /* the trailing error is skipped */
  g_assert_cmpint (slot, ==, 7);
  g_assert_true (sl_series_field_value_at_phase (f, SL_PHASE_BASELINE, &v, NULL));
  g_assert_cmpuint (v.u, ==, 12);
  g_assert_false (sl_series_field_value_at_phase (f, STEP (4), &v, &slot));
  g_assert_false (sl_series_field_value_at_phase (f, STEP (9), &v, &slot));
}

static void
test_first_last_per_phase (void)
{
  g_autoptr(SlSeriesField) f = mixed_field ();
  g_autoptr(SlPhaseMap) first = sl_series_field_first_per_phase (f);
  g_autoptr(SlPhaseMap) last = sl_series_field_last_per_phase (f);

  /* STEP(4) has only errors: absent from both. */
  g_assert_cmpuint (sl_phase_map_len (first), ==, 2);
  g_assert_cmpuint (sl_phase_map_len (last), ==, 2);
  g_assert_null (sl_phase_map_find (first, STEP (4)));
  g_assert_cmpuint (sl_phase_map_find (first, SL_PHASE_BASELINE)->value.u, ==, 10);
  g_assert_cmpint (sl_phase_map_find (first, SL_PHASE_BASELINE)->slot, ==, 2);
  g_assert_cmpuint (sl_phase_map_find (first, STEP (1))->value.u, ==, 40);
  g_assert_cmpuint (sl_phase_map_find (last, SL_PHASE_BASELINE)->value.u, ==, 12);
  g_assert_cmpuint (sl_phase_map_find (last, STEP (1))->value.u, ==, 90);
  g_assert_cmpint (sl_phase_map_find (last, STEP (1))->slot, ==, 7);
  /* Iteration is in phase order. */
  g_assert_cmpuint (sl_phase_map_entry (last, 0)->phase, ==, SL_PHASE_BASELINE);
  g_assert_cmpuint (sl_phase_map_entry (last, 1)->phase, ==, STEP (1));
}

static void
test_counter_delta (void)
{
  g_autoptr(SlSeriesField) f = mixed_field ();
  g_autoptr(SlVerdict) notes = sl_verdict_new ();
  g_autoptr(SlPhaseMap) d = NULL;

  fx_okp (f, 900, STEP (2), fx_u64 (5));       /* single sample → 0, present */
  fx_okp (f, 1000, STEP (3), fx_u64 (50));
  fx_okp (f, 1100, STEP (3), fx_u64 (20));     /* regression → 0 + note */
  d = sl_series_field_counter_delta_per_phase (f, notes);

  g_assert_cmpuint (sl_phase_map_len (d), ==, 4);
  g_assert_cmpuint (sl_phase_map_find (d, SL_PHASE_BASELINE)->value.u, ==, 2);
  g_assert_cmpuint (sl_phase_map_find (d, STEP (1))->value.u, ==, 50);
  g_assert_cmpint (sl_phase_map_find (d, STEP (1))->value.type, ==, SL_SCALAR_U64);
  g_assert_nonnull (sl_phase_map_find (d, STEP (2)));
  g_assert_cmpuint (sl_phase_map_find (d, STEP (2))->value.u, ==, 0);
  g_assert_cmpuint (sl_phase_map_find (d, STEP (3))->value.u, ==, 0);
  g_assert_null (sl_phase_map_find (d, STEP (4)));

  g_assert_cmpuint (sl_verdict_n_notes (notes), ==, 1);
  g_assert_cmpstr (fx_note (notes, 0), ==,
                   "c (counter_delta_per_phase): phase Step[3] counter regressed (first 50, last 20); "
                   "reporting zero progress for this phase");
  g_assert_cmpstr (sl_verdict_get_note (notes, 0)->phase, ==, "Step[3]");
  g_assert_cmpuint (sl_verdict_n_outcomes (notes), ==, 0);   /* a note, never a failure */

  /* Without a verdict it still works. */
  {
    g_autoptr(SlPhaseMap) d2 = sl_series_field_counter_delta_per_phase (f, NULL);

    g_assert_cmpuint (sl_phase_map_len (d2), ==, 4);
  }
}

static void
test_counter_delta_exact_types (void)
{
  g_autoptr(SlSeriesField) u = sl_series_field_new ("u", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) i = sl_series_field_new ("i", SL_SCALAR_I64);
  g_autoptr(SlSeriesField) f = sl_series_field_new ("f", SL_SCALAR_F64);
  g_autoptr(SlVerdict) notes = sl_verdict_new ();
  g_autoptr(SlPhaseMap) du = NULL, di = NULL, df = NULL;

  /* 2^53 + 1 − 2^53 is 1 exactly (0 if it went through doubles). */
  fx_okp (u, 100, 0, fx_u64 (9007199254740992ull));
  fx_okp (u, 200, 0, fx_u64 (9007199254740993ull));
  du = sl_series_field_counter_delta_per_phase (u, NULL);
  g_assert_cmpuint (sl_phase_map_find (du, 0)->value.u, ==, 1);

  /* An i64 difference past G_MAXINT64 saturates. */
  fx_okp (i, 100, 0, fx_i64 (G_MININT64));
  fx_okp (i, 200, 0, fx_i64 (G_MAXINT64));
  di = sl_series_field_counter_delta_per_phase (i, NULL);
  g_assert_cmpint (sl_phase_map_find (di, 0)->value.i, ==, G_MAXINT64);

  /* A NaN end cannot be ordered: reported as no progress, with a note. */
  fx_okp (f, 100, 0, fx_f64 (1.5));
  fx_okp (f, 200, 0, fx_f64 (NAN));
  fx_okp (f, 300, 1, fx_f64 (1.5));
  fx_okp (f, 400, 1, fx_f64 (4.0));
  df = sl_series_field_counter_delta_per_phase (f, notes);
  g_assert_cmpfloat (sl_phase_map_find (df, 0)->value.f, ==, 0.0);
  g_assert_cmpfloat (sl_phase_map_find (df, 1)->value.f, ==, 2.5);
  g_assert_cmpuint (sl_verdict_n_notes (notes), ==, 1);
  fx_assert_contains (fx_note (notes, 0), "(first 1.5, last NaN)");
}

static SlSeriesField *
gauge_field (void)
{
  SlSeriesField *f = sl_series_field_new ("g", SL_SCALAR_F64);

  fx_okp (f, 100, 0, fx_f64 (4));
  fx_okp (f, 200, 0, fx_f64 (NAN));     /* dropped by every reduction */
  fx_okp (f, 300, 0, fx_f64 (10));
  fx_errp (f, 350, 0, "gap");
  fx_okp (f, 400, 0, fx_f64 (7));
  fx_okp (f, 500, 0, fx_f64 (INFINITY));
  fx_okp (f, 600, 1, fx_f64 (0));       /* a real 0: present */
  fx_okp (f, 700, 2, fx_f64 (NAN));     /* nothing finite: absent */
  fx_errp (f, 800, 3, "only errors");   /* absent */
  fx_ok (f, 900, fx_f64 (1000));        /* unphased: excluded */
  return f;
}

static double
phase_value (const SlPhaseMap *m, guint16 phase)
{
  double d = -12345;

  g_assert_true (sl_phase_map_get_f64 (m, phase, &d));
  return d;
}

static void
test_aggregate_kinds (void)
{
  g_autoptr(SlSeriesField) f = gauge_field ();
  static const struct { SlMetricKind kind; double phase0; } cases[] = {
    { SL_METRIC_GAUGE_AVG, 7.0 },
    { SL_METRIC_GAUGE_LAST, 7.0 },
    { SL_METRIC_GAUGE_MAX, 10.0 },
    { SL_METRIC_PEAK, 10.0 },
    { SL_METRIC_TIMESTAMP, 7.0 },
    { SL_METRIC_DELTA_SUM, 21.0 },
    { SL_METRIC_COUNTER, 3.0 },     /* last − first of the finite: 7 − 4 */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SlPhaseMap) m = sl_series_field_aggregate_by_phase (f, cases[c].kind, NULL);

      g_test_message ("kind %s", sl_metric_kind_name (cases[c].kind));
      g_assert_cmpfloat (phase_value (m, 0), ==, cases[c].phase0);
      g_assert_null (sl_phase_map_find (m, 2));
      g_assert_null (sl_phase_map_find (m, 3));
      if (cases[c].kind == SL_METRIC_COUNTER)
        /* One finite sample in Step[0]: a counter delta needs two. */
        g_assert_null (sl_phase_map_find (m, 1));
      else
        g_assert_cmpfloat (phase_value (m, 1), ==, 0.0);
      g_assert_cmpuint (sl_phase_map_len (m), ==, cases[c].kind == SL_METRIC_COUNTER ? 1 : 2);
    }
}

static void
test_aggregate_derived_absent (void)
{
  g_autoptr(SlSeriesField) f = gauge_field ();
  static const SlMetricKind derived[] = {
    SL_METRIC_RATE, SL_METRIC_DISTRIBUTION, SL_METRIC_WORST_LOWEST,
    SL_METRIC_WAKE_LATENCY_TAIL_RATIO, SL_METRIC_PER_PHASE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (derived); i++)
    {
      g_autoptr(SlPhaseMap) m = sl_series_field_aggregate_by_phase (f, derived[i], NULL);

      g_assert_true (sl_metric_kind_is_derived (derived[i]));
      g_assert_cmpuint (sl_phase_map_len (m), ==, 0);
    }
  g_assert_false (sl_metric_kind_is_derived (SL_METRIC_DELTA_SUM));
}

static void
test_aggregate_counter_regression (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("n", SL_SCALAR_U64);
  g_autoptr(SlVerdict) notes = sl_verdict_new ();
  g_autoptr(SlPhaseMap) m = NULL;

  fx_okp (f, 100, 1, fx_u64 (100));
  fx_okp (f, 200, 1, fx_u64 (40));
  m = sl_series_field_aggregate_by_phase (f, SL_METRIC_COUNTER, notes);
  g_assert_cmpfloat (phase_value (m, 1), ==, 0.0);
  g_assert_cmpuint (sl_verdict_n_notes (notes), ==, 1);
  g_assert_cmpstr (fx_note (notes, 0), ==,
                   "n (aggregate_by_phase): phase Step[0] counter regressed (first 100, last 40); "
                   "reporting zero progress for this phase");
}

static void
test_sum_by_phase (void)
{
  g_autoptr(SlSeriesField) f = gauge_field ();
  g_autoptr(SlPhaseMap) m = sl_series_field_sum_by_phase (f);

  g_assert_cmpuint (sl_phase_map_len (m), ==, 2);
  g_assert_cmpfloat (phase_value (m, 0), ==, 21.0);
  g_assert_cmpfloat (phase_value (m, 1), ==, 0.0);
  g_assert_cmpint (sl_phase_map_find (m, 0)->value.type, ==, SL_SCALAR_F64);
}

static void
test_aggregate_flat (void)
{
  const double xs[] = { 1, NAN, 3, -INFINITY, 8 };
  const double nans[] = { NAN, INFINITY };
  double out = -1;
  gboolean regressed = TRUE;

  g_assert_true (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_COUNTER, &out));
  g_assert_cmpfloat (out, ==, 12);    /* flat Counter = sum */
  g_assert_true (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_GAUGE_AVG, &out));
  g_assert_cmpfloat (out, ==, 4);
  g_assert_true (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_DISTRIBUTION, &out));
  g_assert_cmpfloat (out, ==, 4);
  g_assert_true (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_GAUGE_LAST, &out));
  g_assert_cmpfloat (out, ==, 8);
  g_assert_false (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_RATE, &out));
  g_assert_false (sl_aggregate_samples (xs, G_N_ELEMENTS (xs), SL_METRIC_PER_PHASE, &out));
  /* Empty and all-non-finite inputs are absent, never 0. */
  out = -1;
  g_assert_false (sl_aggregate_samples (NULL, 0, SL_METRIC_DELTA_SUM, &out));
  g_assert_false (sl_aggregate_samples (nans, G_N_ELEMENTS (nans), SL_METRIC_GAUGE_MAX, &out));
  g_assert_cmpfloat (out, ==, -1);

  g_assert_true (sl_aggregate_samples_for_phase (xs, G_N_ELEMENTS (xs), SL_METRIC_COUNTER, &out, &regressed));
  g_assert_cmpfloat (out, ==, 7);
  g_assert_false (regressed);
  g_assert_false (sl_aggregate_samples_for_phase (xs, 1, SL_METRIC_COUNTER, &out, NULL));
  g_assert_false (sl_aggregate_samples_for_phase (xs, G_N_ELEMENTS (xs), SL_METRIC_DISTRIBUTION, &out, NULL));
}

static void
test_metric_kind_names (void)
{
  SlMetricKind k;

  g_assert_cmpstr (sl_metric_kind_name (SL_METRIC_GAUGE_AVG), ==, "Gauge(Avg)");
  g_assert_cmpstr (sl_metric_kind_name (SL_METRIC_DELTA_SUM), ==, "DeltaSum");
  for (int i = SL_METRIC_COUNTER; i <= SL_METRIC_PER_PHASE; i++)
    {
      g_assert_true (sl_metric_kind_parse (sl_metric_kind_name (i), &k));
      g_assert_cmpint (k, ==, i);
    }
  g_assert_false (sl_metric_kind_parse ("Gauge", &k));
}

static void
test_metric_merge (void)
{
  double out;

  g_assert_true (sl_metric_merge (SL_METRIC_COUNTER, 3, 1, 10, 4, 1, 20, &out));
  g_assert_cmpfloat (out, ==, 7);
  g_assert_true (sl_metric_merge (SL_METRIC_PEAK, 3, 1, 10, 4, 1, 5, &out));
  g_assert_cmpfloat (out, ==, 4);
  /* Weighted by max(count, 1): (2·1 + 8·3) / 4. */
  g_assert_true (sl_metric_merge (SL_METRIC_GAUGE_AVG, 2, 0, 0, 8, 3, 0, &out));
  g_assert_cmpfloat (out, ==, 6.5);
  g_assert_true (sl_metric_merge (SL_METRIC_GAUGE_LAST, 1, 1, 10, 2, 1, 20, &out));
  g_assert_cmpfloat (out, ==, 2);
  g_assert_true (sl_metric_merge (SL_METRIC_TIMESTAMP, 1, 1, 20, 2, 1, 20, &out));
  g_assert_cmpfloat (out, ==, 1);   /* a tie keeps the left */
  g_assert_false (sl_metric_merge (SL_METRIC_RATE, 1, 1, 1, 2, 1, 2, &out));
}

/* --- phase maps --- */

static gboolean
diff_fn (guint16 phase, SlScalar a, SlScalar b, SlScalar *out, gpointer user_data)
{
  if (phase == 5)
    return FALSE;
  *out = fx_i64 ((gint64) a.u - (gint64) b.u);
  return TRUE;
}

static void
test_phase_map_ops (void)
{
  g_autoptr(SlPhaseMap) a = sl_phase_map_new ();
  g_autoptr(SlPhaseMap) b = sl_phase_map_new ();
  g_autoptr(SlPhaseMap) z = NULL, fr = NULL, r = NULL;
  double d;

  sl_phase_map_set (a, 3, fx_u64 (30), -1);
  sl_phase_map_set (a, 1, fx_u64 (10), -1);
  sl_phase_map_set (a, 5, fx_u64 (50), -1);
  sl_phase_map_set (a, 2, fx_u64 (0), -1);
  sl_phase_map_set (a, 1, fx_u64 (11), 4);   /* replaces */
  g_assert_cmpuint (sl_phase_map_len (a), ==, 4);
  for (guint i = 1; i < sl_phase_map_len (a); i++)
    g_assert_cmpuint (sl_phase_map_entry (a, i - 1)->phase, <, sl_phase_map_entry (a, i)->phase);
  g_assert_cmpuint (sl_phase_map_find (a, 1)->value.u, ==, 11);
  g_assert_cmpint (sl_phase_map_find (a, 1)->slot, ==, 4);
  g_assert_false (sl_phase_map_get_f64 (a, 4, &d));

  sl_phase_map_set (b, 2, fx_u64 (0), -1);
  sl_phase_map_set (b, 3, fx_u64 (G_MAXUINT64), -1);
  sl_phase_map_set (b, 5, fx_u64 (50), -1);
  sl_phase_map_set (b, 7, fx_u64 (70), -1);

  /* Intersection only; the function may drop a phase. */
  z = sl_phase_map_zip (a, b, diff_fn, NULL);
  g_assert_cmpuint (sl_phase_map_len (z), ==, 2);
  g_assert_cmpint (sl_phase_map_find (z, 2)->value.i, ==, 0);
  g_assert_nonnull (sl_phase_map_find (z, 3));
  g_assert_null (sl_phase_map_find (z, 5));

  /* frac_pair: 0/(0+0) is dropped, the u64 sum saturates. */
  fr = sl_phase_map_frac_pair (a, b);
  g_assert_cmpuint (sl_phase_map_len (fr), ==, 2);
  g_assert_null (sl_phase_map_find (fr, 2));
  g_assert_cmpfloat (phase_value (fr, 5), ==, 0.5);
  g_assert_cmpfloat (phase_value (fr, 3), ==, 30.0 / 18446744073709551615.0);

  /* ratio: a zero denominator is dropped, not 0 or inf. */
  r = sl_phase_map_ratio (a, b);
  g_assert_null (sl_phase_map_find (r, 2));
  g_assert_cmpfloat (phase_value (r, 5), ==, 1.0);
}

static void
test_phase_map_cross_phase (void)
{
  g_autoptr(SlPhaseMap) m = sl_phase_map_new ();
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_phase_map_set (m, SL_PHASE_BASELINE, fx_f64 (0.5), -1);
  sl_phase_map_set (m, STEP (0), fx_f64 (0.25), -1);
  sl_phase_map_ratio_across_phases_at_most (m, "cross-LLC share", SL_PHASE_BASELINE, STEP (0), 0.6, v);
  sl_phase_map_ratio_across_phases_at_most (m, "cross-LLC share", SL_PHASE_BASELINE, STEP (0), 0.4, v);
  sl_phase_map_ratio_across_phases_at_most (m, "", STEP (0), STEP (1), 0.4, v);
  fx_assert_counts (v, 1, 1, 1);
  g_assert_cmpstr (fx_note (v, 0), ==,
                   "[cross-LLC share] ratio_across_phases(BASELINE→Step[0]) = 0.25/0.5 = 0.5000 (ceiling 0.6000)");
  g_assert_cmpstr (fx_msg (v, 0), ==,
                   "cross-LLC share: ratio_across_phases(BASELINE→Step[0]) = 0.25/0.5 = 0.5000 exceeds ceiling 0.4000");
  g_assert_cmpstr (fx_msg (v, 1), ==,
                   "ratio_across_phases(Step[0]→Step[1]) inconclusive: needs both phases — earlier=0.25, later=<no-samples>");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temporal/phase/by-phase", test_by_phase);
  g_test_add_func ("/temporal/phase/by-phase-empty", test_by_phase_empty);
  g_test_add_func ("/temporal/phase/value-at-phase", test_value_at_phase);
  g_test_add_func ("/temporal/phase/first-last", test_first_last_per_phase);
  g_test_add_func ("/temporal/phase/counter-delta", test_counter_delta);
  g_test_add_func ("/temporal/phase/counter-delta-exact-types", test_counter_delta_exact_types);
  g_test_add_func ("/temporal/phase/aggregate-kinds", test_aggregate_kinds);
  g_test_add_func ("/temporal/phase/aggregate-derived-absent", test_aggregate_derived_absent);
  g_test_add_func ("/temporal/phase/aggregate-counter-regression", test_aggregate_counter_regression);
  g_test_add_func ("/temporal/phase/sum-by-phase", test_sum_by_phase);
  g_test_add_func ("/temporal/phase/aggregate-flat", test_aggregate_flat);
  g_test_add_func ("/temporal/phase/metric-kind-names", test_metric_kind_names);
  g_test_add_func ("/temporal/phase/metric-merge", test_metric_merge);
  g_test_add_func ("/temporal/phase/map-ops", test_phase_map_ops);
  g_test_add_func ("/temporal/phase/map-cross-phase", test_phase_map_cross_phase);
  return g_test_run ();
}
