/* Unit tests: the .slspec format (strict errors, round trip) and assertion evaluation. */
#include "query-fixture.h"
#include "sl-spec.h"
#include "sl-phase.h"

static const char *const good_spec =
  "# comment lines are fine\n"
  "[spec]\n"
  "version=1\n"
  "description=dispatch sanity\n"
  "\n"
  "[assert dispatch-never-regresses]\n"
  "field=bpf sl_vtime.bss/nr_dispatched\n"
  "pattern=nondecreasing\n"
  "phases=Step[0],Step[1]\n"
  "\n"
  "[assert rate]\n"
  "description=about 1 per ms\n"
  "field=bpf nr_dispatched\n"
  "pattern=rate_within\n"
  "lo=0\n"
  "hi=2.5\n"
  "\n"
  "[assert big-floor]\n"
  "field=bpf nr_dispatched\n"
  "type=u64\n"
  "pattern=each.at_least\n"
  "bound=18446744073709551615\n"
  "\n"
  "[assert across]\n"
  "field=stats busy\n"
  "pattern=ratio_across_phases.at_most\n"
  "earlier=BASELINE\n"
  "later=Step[1]\n"
  "ceiling=1.5\n"
  "\n"
  "[assert ratio]\n"
  "field=bpf nr_dispatched\n"
  "pattern=ratio_within\n"
  "other=bpf sl_vtime.bss/nr_enqueued\n"
  "lo=0.5\n"
  "hi=1\n";

static void
test_parse_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = sl_spec_parse (good_spec, -1, "good.slspec", &error);
  const SlAssertion *a;

  g_assert_no_error (error);
  g_assert_cmpuint (spec->assertions->len, ==, 5);
  g_assert_cmpstr (spec->description, ==, "dispatch sanity");
  a = sl_spec_find (spec, "dispatch-never-regresses");
  g_assert_nonnull (a);
  g_assert_cmpstr (a->selector->text, ==, "bpf sl_vtime.bss/nr_dispatched");
  g_assert_cmpint (a->type, ==, SL_SCALAR_U64);
  g_assert_false (a->type_given);
  g_assert_cmpuint (a->phases->len, ==, 2);
  g_assert_cmpuint (g_array_index (a->phases, guint16, 1), ==, sl_phase_step (1));
  a = sl_spec_find (spec, "rate");
  g_assert_cmpint (a->type, ==, SL_SCALAR_F64);     /* the pattern's default */
  g_assert_cmpfloat (a->num[SL_PARAM_HI].f, ==, 2.5);
  g_assert_cmpstr (a->description, ==, "about 1 per ms");
  a = sl_spec_find (spec, "big-floor");
  g_assert_cmpint (a->num[SL_PARAM_BOUND].type, ==, SL_SCALAR_U64);
  g_assert_cmpuint (a->num[SL_PARAM_BOUND].u, ==, G_MAXUINT64);
  a = sl_spec_find (spec, "across");
  g_assert_cmpuint (a->phase[SL_PARAM_EARLIER], ==, SL_PHASE_BASELINE);
  g_assert_cmpuint (a->phase[SL_PARAM_LATER], ==, sl_phase_step (1));
  a = sl_spec_find (spec, "ratio");
  g_assert_cmpstr (a->other->text, ==, "bpf sl_vtime.bss/nr_enqueued");
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = sl_spec_parse (good_spec, -1, "good.slspec", &error);
  g_autofree char *text1 = NULL, *text2 = NULL;
  g_autoptr(SlSpec) again = NULL;

  g_assert_no_error (error);
  text1 = sl_spec_to_data (spec, NULL);
  again = sl_spec_parse (text1, -1, "round-trip", &error);
  g_assert_no_error (error);
  text2 = sl_spec_to_data (again, NULL);
  g_assert_cmpstr (text1, ==, text2);
  g_assert_nonnull (strstr (text1, "[assert big-floor]\nfield=bpf nr_dispatched\ntype=u64\n"
                                   "pattern=each.at_least\nbound=18446744073709551615\n"));
  g_assert_nonnull (strstr (text1, "phases=Step[0],Step[1]\n"));
}

static void
test_round_trip_gui_built (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = sl_spec_new ();
  g_autoptr(SlFieldSelector) sel = sl_field_selector_parse ("stats layers.w.util", &error);
  SlAssertion *a = sl_assertion_new ("util-steady", sel, "steady_within", &error);
  g_autofree char *text = NULL;
  g_autoptr(SlSpec) back = NULL;
  const guint16 phases[] = { 2 };

  g_assert_no_error (error);
  sl_assertion_set_f64 (a, SL_PARAM_WARMUP_MS, 500);
  sl_assertion_set_f64 (a, SL_PARAM_TOLERANCE, 0.1);
  sl_assertion_set_phases (a, phases, 1);
  sl_assertion_set_description (a, " leading space\nand a newline\\");
  g_assert_true (sl_spec_add (spec, a, &error));
  spec->description = g_strdup ("made in the GUI");
  text = sl_spec_to_data (spec, NULL);
  back = sl_spec_parse (text, -1, NULL, &error);
  g_assert_no_error (error);
  a = g_ptr_array_index (back->assertions, 0);
  g_assert_cmpfloat (a->num[SL_PARAM_TOLERANCE].f, ==, 0.1);
  g_assert_cmpstr (a->description, ==, " leading space\nand a newline\\");
  g_assert_cmpuint (g_array_index (a->phases, guint16, 0), ==, 2);
}

typedef struct {
  const char *body;        /* after "[spec]\nversion=1\n" unless it starts with '!' */
  const char *needles[3];  /* all must appear in the message */
} BadCase;

static void
test_parse_errors (void)
{
  const BadCase cases[] = {
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\nbogus=1\n", { "assertion 'a'", "key 'bogus'", "unknown key" } },
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\nlo=1\n", { "assertion 'a'", "key 'lo'", "takes no parameter" } },
    { "[assert a]\nfield=bpf x\npattern=rate_within\nlo=1\n", { "assertion 'a'", "key 'hi'", "needs parameter" } },
    { "[assert a]\nfield=bpf x\npattern=rate_within\nlo=1\nhi=abc\n", { "assertion 'a'", "key 'hi'", "'abc' is not a finite number" } },
    { "[assert a]\nfield=bpf x\npattern=rate_within\nlo=nan\nhi=1\n", { "assertion 'a'", "key 'lo'", NULL } },
    { "[assert a]\nfield=bpf x..y\npattern=nondecreasing\n", { "assertion 'a'", "key 'field'", "empty component" } },
    { "[assert a]\nfield=nope x\npattern=nondecreasing\n", { "assertion 'a'", "key 'field'", "unknown axis" } },
    { "[assert a]\nfield=bpf x\npattern=sometimes\n", { "assertion 'a'", "key 'pattern'", "unknown pattern 'sometimes'" } },
    { "[assert a]\nfield=bpf x\n", { "assertion 'a'", "key 'pattern'", "missing" } },
    { "[assert a]\npattern=nondecreasing\n", { "assertion 'a'", "key 'field'", "missing" } },
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\nphases=Step[0],Stp[1]\n", { "assertion 'a'", "key 'phases'", "'Stp[1]'" } },
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\nphases=3\n", { "assertion 'a'", "key 'phases'", NULL } },
    { "[assert a]\nfield=bpf x\npattern=ratio_across_phases.at_most\nearlier=BASELINE\nlater=Step[x]\nceiling=1\n",
      { "assertion 'a'", "key 'later'", "not a phase label" } },
    { "[assert a]\nfield=bpf x\npattern=ratio_across_phases.at_most\nearlier=BASELINE\nlater=Step[0]\nceiling=1\nphases=Step[0]\n",
      { "assertion 'a'", "key 'phases'", NULL } },
    { "[assert a]\nfield=bpf x\npattern=always_true\ntype=u64\n", { "assertion 'a'", "key 'type'", "does not accept u64" } },
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\ntype=u32\n", { "assertion 'a'", "key 'type'", "unknown type 'u32'" } },
    { "[assert a]\nfield=bpf x\npattern=ratio_within\nother=bpf\nlo=0\nhi=1\n", { "assertion 'a'", "key 'other'", NULL } },
    { "[assert a]\nfield=bpf x\npattern=nondecreasing\n[assert a]\nfield=bpf y\npattern=nondecreasing\n", { "[assert a]", "appears twice", NULL } },
    { "[assert a]\nfield=bpf x\nfield=bpf y\npattern=nondecreasing\n", { "[assert a]", "key 'field' appears twice", NULL } },
    { "[assert a b]\nfield=bpf x\npattern=nondecreasing\n", { "assertion name 'a b'", NULL, NULL } },
    { "[check a]\nfield=bpf x\npattern=nondecreasing\n", { "[check a]", "unknown group", NULL } },
    { "!version=1\n", { "spec", NULL, NULL } },
    { "![spec]\nversion=2\n", { "[spec]", "key 'version'", "newer" } },
    { "![spec]\n", { "[spec]", "key 'version'", "missing" } },
    { "![spec]\nversion=1\nauthor=me\n", { "[spec]", "key 'author'", NULL } },
    { "!", { "missing group [spec]", NULL, NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = cases[i].body[0] == '!' ? g_strdup (cases[i].body + 1)
                                                       : g_strconcat ("[spec]\nversion=1\n", cases[i].body, NULL);
      g_autoptr(SlSpec) spec = sl_spec_parse (text, -1, "t.slspec", &error);

      if (spec != NULL)
        g_error ("case %u parsed:\n%s", i, text);
      g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
      g_assert_true (g_str_has_prefix (error->message, "t.slspec: "));
      for (guint k = 0; k < 3 && cases[i].needles[k]; k++)
        if (strstr (error->message, cases[i].needles[k]) == NULL)
          g_error ("case %u: '%s' lacks '%s'", i, error->message, cases[i].needles[k]);
    }
}

static void
test_binary_input (void)
{
  g_autoptr(GError) error = NULL;
  const char data[] = "[spec]\nversion=1\0\n";
  g_autoptr(SlSpec) spec = sl_spec_parse (data, sizeof data - 1, "bin", &error);

  g_assert_null (spec);
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
}

/* A counter with one regression in Step[1]; stats "busy" per phase. */
static SlRun *
eval_run (void)
{
  SlRun *run = fx_run ();
  const guint64 vals[] = { 10, 50, 120, 200, 300, 455, 310, 320 };

  for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      g_autofree char *stats = g_strdup_printf ("{\"busy\": %u}", i < 4 ? 10 : 12);
      SlSample *s = fx_sample (run, tag, 200 * (gint64) i, i < 4 ? 1 : 2);

      fx_bss (s, "sl_vtime.bss", 1, "nr_dispatched", vals[i], "nr_enqueued", vals[i] * 2, NULL);
      fx_stats (s, stats);
    }
  return run;
}

static SlVerdict *
evaluate (SlRun *run, const char *assertion_group, SlSeriesField **field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat ("[spec]\nversion=1\n", assertion_group, NULL);
  g_autoptr(SlSpec) spec = sl_spec_parse (text, -1, "eval", &error);
  SlVerdict *v;

  g_assert_no_error (error);
  v = sl_assertion_evaluate (g_ptr_array_index (spec->assertions, 0), run, field, &error);
  g_assert_no_error (error);
  return v;
}

static void
test_evaluate_regression_message (void)
{
  g_autoptr(SlRun) run = eval_run ();
  g_autoptr(SlSeriesField) field = NULL;
  g_autoptr(SlVerdict) v = evaluate (run, "[assert d]\nfield=bpf sl_vtime.bss/nr_dispatched\npattern=nondecreasing\n", &field);
  const SlOutcome *o;

  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_FAIL);
  g_assert_cmpuint (v->outcomes->len, ==, 1);
  o = &g_array_index (v->outcomes, SlOutcome, 0);
  g_assert_cmpstr (o->message, ==,
                   "nr_dispatched (nondecreasing): regression at sample periodic_006 (+1200ms): "
                   "value 310 after prior value 455 at sample periodic_005 (+1000ms)");
  g_assert_cmpuint (sl_series_field_len (field), ==, 8);
}

static void
test_evaluate_phase_scope (void)
{
  g_autoptr(SlRun) run = eval_run ();
  g_autoptr(SlSeriesField) field = NULL;
  /* Step[0] is phase 1: samples 0..3, where the counter only grows. */
  g_autoptr(SlVerdict) v = evaluate (run, "[assert d]\nfield=bpf nr_dispatched\npattern=strictly_increasing\n"
                                          "phases=Step[0]\n", &field);

  g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
  g_assert_cmpuint (sl_series_field_len (field), ==, 4);
}

static void
test_evaluate_cross_phase_and_ratio (void)
{
  g_autoptr(SlRun) run = eval_run ();
  g_autoptr(SlVerdict) pass = evaluate (run, "[assert c]\nfield=stats busy\npattern=ratio_across_phases.at_most\n"
                                             "earlier=Step[0]\nlater=Step[1]\nceiling=1.25\n", NULL);
  g_autoptr(SlVerdict) fail = evaluate (run, "[assert c]\nfield=stats busy\npattern=ratio_across_phases.at_most\n"
                                             "earlier=Step[0]\nlater=Step[1]\nceiling=1.1\n", NULL);
  g_autoptr(SlVerdict) ratio = evaluate (run, "[assert r]\nfield=bpf nr_dispatched\npattern=ratio_within\n"
                                              "other=bpf nr_enqueued\nlo=0.5\nhi=0.5\n", NULL);
  g_autoptr(SlVerdict) missing = evaluate (run, "[assert m]\nfield=bpf nr_dispatchd\npattern=each.at_least\nbound=0\n", NULL);

  g_assert_cmpint (sl_verdict_result (pass), ==, SL_OUTCOME_PASS);
  g_assert_cmpint (sl_verdict_result (fail), ==, SL_OUTCOME_FAIL);
  g_assert_cmpint (sl_verdict_result (ratio), ==, SL_OUTCOME_PASS);
  /* each.* is strict: a projection error is a failure naming the problem. */
  g_assert_cmpint (sl_verdict_result (missing), ==, SL_OUTCOME_FAIL);
  g_assert_nonnull (strstr (g_array_index (missing->outcomes, SlOutcome, 0).message,
                            "no global variable 'nr_dispatchd'"));
}

static void
test_assertion_constructors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlFieldSelector) sel = sl_field_selector_parse ("bpf x", &error);
  g_autoptr(SlAssertion) a = NULL;
  g_autoptr(SlAssertion) copy = NULL;
  SlAssertion *bad;
  g_autofree char *text = NULL;

  bad = sl_assertion_new ("has space", sel, "nondecreasing", &error);
  g_assert_null (bad);
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  g_clear_error (&error);
  bad = sl_assertion_new ("ok", sel, "no_such_pattern", &error);
  g_assert_null (bad);
  g_assert_nonnull (strstr (error->message, "unknown pattern 'no_such_pattern'"));
  g_clear_error (&error);

  a = sl_assertion_new ("floor", sel, "each.between", &error);
  g_assert_no_error (error);
  g_assert_false (sl_assertion_validate (a, &error));
  g_assert_nonnull (strstr (error->message, "key 'lo'"));
  g_clear_error (&error);
  g_assert_true (sl_assertion_set_param_text (a, "lo", "-5", &error));
  g_assert_true (sl_assertion_set_param_text (a, "hi", " 9007199254740993 ", &error));
  g_assert_true (sl_assertion_validate (a, &error));
  g_assert_cmpint (a->num[SL_PARAM_LO].type, ==, SL_SCALAR_I64);
  g_assert_cmpuint (a->num[SL_PARAM_HI].u, ==, 9007199254740993ull);
  /* Beyond 64 bits an integer is a real number, and it writes back as one. */
  g_assert_true (sl_assertion_set_param_text (a, "hi", "+444444444444444444444444444", &error));
  g_assert_cmpint (a->num[SL_PARAM_HI].type, ==, SL_SCALAR_F64);
  g_clear_pointer (&text, g_free);
  text = sl_assertion_param_text (a, SL_PARAM_HI);
  g_assert_true (sl_assertion_set_param_text (a, "hi", text, &error));
  g_assert_cmpint (a->num[SL_PARAM_HI].type, ==, SL_SCALAR_F64);
  g_assert_cmpfloat (a->num[SL_PARAM_HI].f, ==, 444444444444444444444444444.0);
  /* -0.0 writes as "0", which reads back as an equal integer (found by fuzz-spec). */
  g_assert_true (sl_assertion_set_param_text (a, "hi", "-0000.", &error));
  g_clear_pointer (&text, g_free);
  text = sl_assertion_param_text (a, SL_PARAM_HI);
  g_assert_cmpstr (text, ==, "0");
  g_assert_true (sl_assertion_set_param_text (a, "hi", " 9007199254740993 ", &error));
  g_assert_false (sl_assertion_set_type (a, SL_SCALAR_BOOL, &error));
  g_clear_error (&error);
  copy = sl_assertion_copy (a);
  g_clear_pointer (&text, g_free);
  text = sl_assertion_param_text (copy, SL_PARAM_HI);
  g_assert_cmpstr (text, ==, "9007199254740993");
  g_assert_null (sl_assertion_param_text (copy, SL_PARAM_BOUND));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/query/spec/parse", test_parse_good);
  g_test_add_func ("/query/spec/round-trip", test_round_trip);
  g_test_add_func ("/query/spec/round-trip-gui", test_round_trip_gui_built);
  g_test_add_func ("/query/spec/errors", test_parse_errors);
  g_test_add_func ("/query/spec/binary", test_binary_input);
  g_test_add_func ("/query/spec/assertion-constructors", test_assertion_constructors);
  g_test_add_func ("/query/eval/regression-message", test_evaluate_regression_message);
  g_test_add_func ("/query/eval/phase-scope", test_evaluate_phase_scope);
  g_test_add_func ("/query/eval/cross-phase-and-ratio", test_evaluate_cross_phase_and_ratio);
  return g_test_run ();
}
