/* Unit tests: SeriesField storage and Verdict folding / exit codes. */
#include <glib.h>
#include <math.h>

#include "sl-series-field.h"
#include "sl-verdict.h"

static SlScalar
u64v (guint64 v)
{
  SlScalar s = { .type = SL_SCALAR_U64 };
  s.u = v;
  return s;
}

static void
test_field_push_and_slots (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("dispatched", SL_SCALAR_U64);
  const SlSlot *s;

  sl_series_field_push_ok (f, "periodic_000", sl_opt_u64 (0), TRUE, 0, 7, u64v (5));
  sl_series_field_push_err (f, "periodic_001", SL_OPT_U64_NONE, FALSE, 0, 8,
                            SL_FIELD_ERROR_VAR_NOT_FOUND, "no var x");
  g_assert_cmpuint (sl_series_field_len (f), ==, 2);
  g_assert_cmpstr (sl_series_field_label (f), ==, "dispatched");

  s = sl_series_field_slot (f, 0);
  g_assert_true (s->ok);
  g_assert_cmpstr (s->tag, ==, "periodic_000");
  /* Measured 0 is a real elapsed time, distinct from "not measured". */
  g_assert_true (s->elapsed_ms.set);
  g_assert_cmpuint (s->elapsed_ms.v, ==, 0);
  g_assert_true (s->has_phase);
  g_assert_cmpuint (s->sample_index, ==, 7);
  g_assert_cmpuint (s->value.u, ==, 5);

  s = sl_series_field_slot (f, 1);
  g_assert_false (s->ok);
  g_assert_false (s->elapsed_ms.set);
  g_assert_false (s->has_phase);
  g_assert_cmpint (s->error, ==, SL_FIELD_ERROR_VAR_NOT_FOUND);
  g_assert_cmpstr (s->error_text, ==, "no var x");
}

static void
test_field_err_without_text (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("x", SL_SCALAR_F64);

  sl_series_field_push_err (f, "a", SL_OPT_U64_NONE, FALSE, 0, 0,
                            SL_FIELD_ERROR_PLACEHOLDER_SAMPLE, NULL);
  g_assert_cmpstr (sl_series_field_slot (f, 0)->error_text, ==, "PlaceholderSample");
}

static void
test_field_push_wrong_type_rejected (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SlSeriesField) f = sl_series_field_new ("x", SL_SCALAR_F64);

      sl_series_field_push_ok (f, "a", SL_OPT_U64_NONE, FALSE, 0, 0, u64v (1));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*value.type == f->type*");
}

static void
test_field_filter_phases (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("x", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) only1 = NULL;
  g_autoptr(SlSeriesField) all = NULL;
  const guint16 want[] = { 1, 3 };

  sl_series_field_push_ok (f, "a", sl_opt_u64 (10), TRUE, 0, 0, u64v (1));
  sl_series_field_push_ok (f, "b", sl_opt_u64 (20), TRUE, 1, 1, u64v (2));
  sl_series_field_push_err (f, "c", sl_opt_u64 (30), TRUE, 3, 2, SL_FIELD_ERROR_MISSING_STATS, "gone");
  sl_series_field_push_ok (f, "d", sl_opt_u64 (40), FALSE, 0, 3, u64v (4));

  only1 = sl_series_field_filter_phases (f, want, G_N_ELEMENTS (want));
  g_assert_cmpuint (sl_series_field_len (only1), ==, 2);
  g_assert_cmpstr (sl_series_field_slot (only1, 0)->tag, ==, "b");
  g_assert_cmpstr (sl_series_field_slot (only1, 1)->tag, ==, "c");
  g_assert_cmpstr (sl_series_field_slot (only1, 1)->error_text, ==, "gone");
  g_assert_cmpuint (sl_series_field_slot (only1, 1)->sample_index, ==, 2);

  all = sl_series_field_filter_phases (f, NULL, 0);
  g_assert_cmpuint (sl_series_field_len (all), ==, 4);
  g_assert_false (sl_series_field_slot (all, 3)->has_phase);
}

static void
test_field_to_f64 (void)
{
  g_autoptr(SlSeriesField) f = sl_series_field_new ("x", SL_SCALAR_I64);
  g_autoptr(SlSeriesField) d = NULL;
  SlScalar v = { .type = SL_SCALAR_I64 };

  v.i = -3;
  sl_series_field_push_ok (f, "a", sl_opt_u64 (1), FALSE, 0, 0, v);
  sl_series_field_push_err (f, "b", sl_opt_u64 (2), FALSE, 0, 1, SL_FIELD_ERROR_TYPE_MISMATCH, "bad");
  d = sl_series_field_to_f64 (f);
  g_assert_cmpint (d->type, ==, SL_SCALAR_F64);
  g_assert_cmpuint (sl_series_field_len (d), ==, 2);
  g_assert_cmpfloat (sl_series_field_slot (d, 0)->value.f, ==, -3.0);
  g_assert_cmpint (sl_series_field_slot (d, 0)->value.type, ==, SL_SCALAR_F64);
  g_assert_false (sl_series_field_slot (d, 1)->ok);
  g_assert_cmpstr (sl_series_field_slot (d, 1)->error_text, ==, "bad");
}

static void
test_format_elapsed (void)
{
  g_autofree char *a = sl_format_elapsed (sl_opt_u64 (1200));
  g_autofree char *z = sl_format_elapsed (sl_opt_u64 (0));
  g_autofree char *n = sl_format_elapsed (SL_OPT_U64_NONE);

  g_assert_cmpstr (a, ==, "+1200ms");
  g_assert_cmpstr (z, ==, "+0ms");
  g_assert_cmpstr (n, ==, "?");
}

static void
test_error_kind_names (void)
{
  SlFieldErrorKind k;

  g_assert_cmpstr (sl_field_error_kind_name (SL_FIELD_ERROR_MAP_NOT_FOUND), ==, "MapNotFound");
  g_assert_cmpstr (sl_field_error_kind_name (SL_FIELD_ERROR_PLACEHOLDER_SAMPLE), ==, "PlaceholderSample");
  g_assert_cmpstr (sl_field_error_kind_name (SL_FIELD_ERROR_WALKER_DRIFTED_WITHIN_PHASE), ==, "WalkerDriftedWithinPhase");
  g_assert_cmpstr (sl_field_error_kind_name (SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE), ==, "MapRenderIncomplete");
  g_assert_cmpstr (sl_field_error_kind_name ((SlFieldErrorKind) 999), ==, "Unknown");
  /* Every name parses back to its kind. */
  for (int i = SL_FIELD_ERROR_NONE; i <= SL_FIELD_ERROR_SCHEDULER_GONE; i++)
    {
      g_assert_true (sl_field_error_kind_parse (sl_field_error_kind_name (i), &k));
      g_assert_cmpint (k, ==, i);
    }
  g_assert_false (sl_field_error_kind_parse ("NotAVariant", &k));
  g_assert_true (sl_field_error_is_gap (SL_FIELD_ERROR_PLACEHOLDER_SAMPLE));
  g_assert_true (sl_field_error_is_gap (SL_FIELD_ERROR_MISSING_STATS));
  g_assert_false (sl_field_error_is_gap (SL_FIELD_ERROR_VAR_NOT_FOUND));
}

/* --- verdict --- */

static void
add_kind (SlVerdict *v, SlOutcomeKind k, const char *msg)
{
  sl_verdict_add (v, k, SL_DETAIL_TEMPORAL, NULL, -1, -1, SL_OPT_U64_NONE, SL_OPT_U64_NONE, "%s", msg);
}

static void
test_verdict_empty_is_pass (void)
{
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
  g_assert_true (sl_verdict_passed (v));
  g_assert_cmpint (sl_verdict_exit_code (v), ==, 0);
  g_assert_cmpint (sl_verdict_headline_index (v), ==, -1);
}

static void
test_verdict_fold_precedence (void)
{
  static const SlOutcomeKind order[] = { SL_OUTCOME_SKIP, SL_OUTCOME_PASS, SL_OUTCOME_INCONCLUSIVE, SL_OUTCOME_FAIL };

  /* Fail > Inconclusive > Pass > Skip, both operand orders. */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    for (guint j = 0; j < G_N_ELEMENTS (order); j++)
      {
        SlOutcomeKind want = order[MAX (i, j)];

        g_assert_cmpint (sl_outcome_fold (order[i], order[j]), ==, want);
      }
}

static void
test_verdict_fold_tie_keeps_left (void)
{
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  add_kind (v, SL_OUTCOME_SKIP, "skip first");
  add_kind (v, SL_OUTCOME_INCONCLUSIVE, "inconclusive first");
  add_kind (v, SL_OUTCOME_INCONCLUSIVE, "inconclusive second");
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_INCONCLUSIVE);
  g_assert_cmpstr (sl_verdict_outcome (v, sl_verdict_headline_index (v))->message, ==, "inconclusive first");

  add_kind (v, SL_OUTCOME_FAIL, "fail first");
  add_kind (v, SL_OUTCOME_FAIL, "fail second");
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_FAIL);
  g_assert_cmpint (sl_verdict_headline_index (v), ==, 3);
  g_assert_cmpuint (sl_verdict_count (v, SL_OUTCOME_FAIL), ==, 2);
}

static void
test_verdict_skip_only (void)
{
  g_autoptr(SlVerdict) v = sl_verdict_new ();

  sl_verdict_skip (v, "no scheduler");
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_SKIP);
  g_assert_true (sl_verdict_passed (v));
  g_assert_cmpint (sl_verdict_exit_code (v), ==, 0);
  g_assert_cmpint (sl_verdict_outcome (v, 0)->detail, ==, SL_DETAIL_SKIP);

  /* A Pass outranks Skip. */
  add_kind (v, SL_OUTCOME_PASS, "ok");
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
}

static void
test_verdict_exit_codes (void)
{
  g_assert_cmpint (sl_outcome_exit_code (SL_OUTCOME_PASS), ==, 0);
  g_assert_cmpint (sl_outcome_exit_code (SL_OUTCOME_SKIP), ==, 0);
  g_assert_cmpint (sl_outcome_exit_code (SL_OUTCOME_FAIL), ==, 1);
  g_assert_cmpint (sl_outcome_exit_code (SL_OUTCOME_INCONCLUSIVE), ==, 2);

  {
    g_autoptr(SlVerdict) v = sl_verdict_new ();

    add_kind (v, SL_OUTCOME_INCONCLUSIVE, "i");
    g_assert_cmpint (sl_verdict_exit_code (v), ==, 2);
    g_assert_false (sl_verdict_passed (v));
    add_kind (v, SL_OUTCOME_FAIL, "f");
    g_assert_cmpint (sl_verdict_exit_code (v), ==, 1);
  }
}

static void
test_verdict_names (void)
{
  g_assert_cmpstr (sl_outcome_kind_name (SL_OUTCOME_PASS), ==, "Pass");
  g_assert_cmpstr (sl_outcome_kind_name (SL_OUTCOME_SKIP), ==, "Skip");
  g_assert_cmpstr (sl_outcome_kind_name (SL_OUTCOME_INCONCLUSIVE), ==, "Inconclusive");
  g_assert_cmpstr (sl_outcome_kind_name (SL_OUTCOME_FAIL), ==, "Fail");
  g_assert_cmpstr (sl_detail_kind_name (SL_DETAIL_TEMPORAL), ==, "Temporal");
  g_assert_cmpstr (sl_detail_kind_name (SL_DETAIL_SCHEDULER_CRASHED), ==, "SchedulerCrashed");
}

static void
test_verdict_ranges_and_notes (void)
{
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  g_autofree char *disp = NULL;
  const SlOutcome *o;

  /* Ends given in reverse are stored in order, with their times. */
  sl_verdict_add (v, SL_OUTCOME_FAIL, SL_DETAIL_TEMPORAL, "Step[0]", 6, 5,
                  sl_opt_u64 (1200), sl_opt_u64 (1000), "x %d", 1);
  o = sl_verdict_outcome (v, 0);
  g_assert_cmpint (o->first_slot, ==, 5);
  g_assert_cmpint (o->last_slot, ==, 6);
  g_assert_cmpuint (o->t_first_ms.v, ==, 1000);
  g_assert_cmpuint (o->t_last_ms.v, ==, 1200);
  g_assert_cmpstr (o->phase, ==, "Step[0]");
  g_assert_cmpstr (o->message, ==, "x 1");
  disp = sl_outcome_display_with_kind (o);
  g_assert_cmpstr (disp, ==, "[Temporal] x 1");

  /* A single slot is a range of one. */
  sl_verdict_add (v, SL_OUTCOME_INCONCLUSIVE, SL_DETAIL_TEMPORAL, NULL, 3, -1,
                  sl_opt_u64 (7), SL_OPT_U64_NONE, "y");
  o = sl_verdict_outcome (v, 1);
  g_assert_cmpint (o->first_slot, ==, 3);
  g_assert_cmpint (o->last_slot, ==, 3);
  g_assert_cmpuint (o->t_last_ms.v, ==, 7);

  sl_verdict_note (v, NULL, -1, "note %s", "a");
  g_assert_cmpuint (sl_verdict_n_notes (v), ==, 1);
  g_assert_cmpstr (sl_verdict_get_note (v, 0)->message, ==, "note a");
  g_assert_cmpint (sl_verdict_get_note (v, 0)->slot, ==, -1);
  /* Notes never change the result. */
  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_FAIL);
}

static void
test_verdict_merge (void)
{
  g_autoptr(SlVerdict) a = sl_verdict_new ();
  g_autoptr(SlVerdict) b = sl_verdict_new ();

  add_kind (a, SL_OUTCOME_INCONCLUSIVE, "a1");
  sl_verdict_note (a, NULL, -1, "na");
  add_kind (b, SL_OUTCOME_FAIL, "b1");
  sl_verdict_note (b, "BASELINE", 2, "nb");
  sl_verdict_merge (a, b);
  g_clear_pointer (&b, sl_verdict_unref);   /* the copies must outlive the source */

  g_assert_cmpuint (sl_verdict_n_outcomes (a), ==, 2);
  g_assert_cmpstr (sl_verdict_outcome (a, 1)->message, ==, "b1");
  g_assert_cmpuint (sl_verdict_n_notes (a), ==, 2);
  g_assert_cmpstr (sl_verdict_get_note (a, 1)->phase, ==, "BASELINE");
  g_assert_cmpint (sl_verdict_get_note (a, 1)->slot, ==, 2);
  g_assert_cmpint (sl_verdict_result (a), ==, SL_OUTCOME_FAIL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/temporal/field/push-and-slots", test_field_push_and_slots);
  g_test_add_func ("/temporal/field/err-without-text", test_field_err_without_text);
  g_test_add_func ("/temporal/field/push-wrong-type-rejected", test_field_push_wrong_type_rejected);
  g_test_add_func ("/temporal/field/filter-phases", test_field_filter_phases);
  g_test_add_func ("/temporal/field/to-f64", test_field_to_f64);
  g_test_add_func ("/temporal/field/format-elapsed", test_format_elapsed);
  g_test_add_func ("/temporal/field/error-kind-names", test_error_kind_names);
  g_test_add_func ("/temporal/verdict/empty-is-pass", test_verdict_empty_is_pass);
  g_test_add_func ("/temporal/verdict/fold-precedence", test_verdict_fold_precedence);
  g_test_add_func ("/temporal/verdict/fold-tie-keeps-left", test_verdict_fold_tie_keeps_left);
  g_test_add_func ("/temporal/verdict/skip-only", test_verdict_skip_only);
  g_test_add_func ("/temporal/verdict/exit-codes", test_verdict_exit_codes);
  g_test_add_func ("/temporal/verdict/names", test_verdict_names);
  g_test_add_func ("/temporal/verdict/ranges-and-notes", test_verdict_ranges_and_notes);
  g_test_add_func ("/temporal/verdict/merge", test_verdict_merge);
  return g_test_run ();
}
