/* Unit tests: per-phase A/B comparison (sl-compare.h). */
#include "query-fixture.h"
#include "sl-compare.h"
#include "sl-phase.h"

/* Stats samples: {phase, nr_dispatched, busy}. */
typedef struct {
  gint    phase;
  guint64 dispatched;
  double  busy;
} Point;

static SlRun *
make_run (const Point *points, guint n)
{
  SlRun *run = fx_run ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      g_autofree char *json = NULL;
      char busy[G_ASCII_DTOSTR_BUF_SIZE];
      SlSample *s = fx_sample (run, tag, 100 * (i + 1), points[i].phase);

      g_ascii_dtostr (busy, sizeof busy, points[i].busy);
      json = g_strdup_printf ("{\"nr_dispatched\":%" G_GUINT64_FORMAT ",\"busy\":%s,\"per_cpu\":[{\"n\":1}]}",
                              points[i].dispatched, busy);
      fx_stats (s, json);
      fx_bss (s, "sl_vtime.bss", 0x1000, "nr_dispatched", points[i].dispatched, "weight_sum", (guint64) 7, NULL);
    }
  return run;
}

static const SlCompareRow *
row_for (const SlCompareField *f, guint16 phase)
{
  for (guint i = 0; i < f->rows->len; i++)
    if (g_array_index (f->rows, SlCompareRow, i).phase == phase)
      return &g_array_index (f->rows, SlCompareRow, i);
  return NULL;
}

static void
test_counter_and_gauge (void)
{
  /* A: BASELINE 10→30 (delta 20), Step[0] 30→130 (delta 100), Step[1] 130→140.
   * B: BASELINE 0→40 (delta 40), Step[0] 40→90 (delta 50), no Step[1]. */
  static const Point pa[] = { { 0, 10, 1.0 }, { 0, 30, 3.0 }, { 1, 30, 50 }, { 1, 130, 70 }, { 2, 130, 10 }, { 2, 140, 20 } };
  static const Point pb[] = { { 0, 0, 2.0 }, { 0, 40, 2.0 }, { 1, 40, 80 }, { 1, 90, 80 } };
  g_autoptr(SlRun) a = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(SlRun) b = make_run (pb, G_N_ELEMENTS (pb));
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCompareField) c = sl_compare_field (a, b, "stats nr_dispatched", SL_SCALAR_U64, SL_METRIC_COUNTER, &error);
  g_autoptr(SlCompareField) g = NULL;
  const SlCompareRow *r;

  g_assert_no_error (error);
  g_assert_cmpstr (c->selector, ==, "stats nr_dispatched");
  g_assert_null (c->error_a);
  g_assert_null (c->error_b);
  g_assert_cmpuint (c->rows->len, ==, 3);
  r = row_for (c, 0);
  g_assert_true (r->has_a && r->has_b && r->has_delta && r->has_rel);
  g_assert_cmpfloat (r->a, ==, 20);
  g_assert_cmpfloat (r->b, ==, 40);
  g_assert_cmpfloat (r->delta, ==, 20);
  g_assert_cmpfloat (r->rel_pct, ==, 100);
  r = row_for (c, sl_phase_step (0));
  g_assert_cmpfloat (r->a, ==, 100);
  g_assert_cmpfloat (r->b, ==, 50);
  g_assert_cmpfloat (r->delta, ==, -50);
  g_assert_cmpfloat (r->rel_pct, ==, -50);
  /* Step[1] exists only in A: B and the deltas are absent, not 0. */
  r = row_for (c, sl_phase_step (1));
  g_assert_true (r->has_a);
  g_assert_cmpfloat (r->a, ==, 10);
  g_assert_false (r->has_b);
  g_assert_false (r->has_delta);
  g_assert_false (r->has_rel);

  g = sl_compare_field (a, b, "stats busy", SL_SCALAR_F64, SL_METRIC_GAUGE_AVG, &error);
  g_assert_no_error (error);
  r = row_for (g, 0);
  g_assert_cmpfloat_with_epsilon (r->a, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->b, 2.0, 1e-9);
  g_assert_cmpfloat (r->delta, ==, 0);
  r = row_for (g, sl_phase_step (0));
  g_assert_cmpfloat_with_epsilon (r->a, 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->b, 80.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (r->rel_pct, 100.0 / 3.0, 1e-9);
}

/* A zero baseline has no relative delta; a counter regression is a note. */
static void
test_zero_and_regression (void)
{
  static const Point pa[] = { { 0, 5, 0 }, { 0, 5, 0 } };
  static const Point pb[] = { { 0, 50, 0 }, { 0, 20, 0 } };
  g_autoptr(SlRun) a = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(SlRun) b = make_run (pb, G_N_ELEMENTS (pb));
  g_autoptr(SlCompareField) c = sl_compare_field (a, b, "stats nr_dispatched", SL_SCALAR_U64, SL_METRIC_COUNTER, NULL);
  const SlCompareRow *r = row_for (c, 0);

  g_assert_true (r->has_a && r->has_b && r->has_delta);
  g_assert_cmpfloat (r->a, ==, 0);
  g_assert_false (r->has_rel);
  g_assert_cmpuint (c->notes->len, >=, 1);
  g_assert_true (g_str_has_prefix (c->notes->pdata[0], "B: "));
}

/* A field one run does not have: error slots leave every phase absent on that side. */
static void
test_missing_field (void)
{
  static const Point pa[] = { { 0, 1, 0 }, { 0, 2, 0 } };
  g_autoptr(SlRun) a = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(SlRun) b = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(GError) error = NULL;
  g_autoptr(SlCompareField) c = sl_compare_field (a, b, "stats no_such", SL_SCALAR_U64, SL_METRIC_COUNTER, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (c->rows->len, ==, 0);
  g_assert_nonnull (c->error_a);
  g_assert_nonnull (strstr (c->error_a, "no_such"));
  g_assert_nonnull (c->error_b);
  g_assert_null (sl_compare_field (a, b, "nonsense axis", SL_SCALAR_U64, SL_METRIC_COUNTER, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_FIELD);
}

static void
test_guess_kind (void)
{
  static const struct {
    const char  *selector;
    SlScalarType type;
    SlMetricKind kind;
  } cases[] = {
    { "stats nr_dispatched", SL_SCALAR_U64, SL_METRIC_COUNTER },
    { "stats per_cpu.0.runtime_ns", SL_SCALAR_U64, SL_METRIC_COUNTER },
    { "stats busy", SL_SCALAR_F64, SL_METRIC_GAUGE_AVG },
    { "bpf sl_vtime.bss/weight_sum", SL_SCALAR_U64, SL_METRIC_GAUGE_AVG },
    { "bpf sl_vtime.bss/nr_enqueued", SL_SCALAR_U64, SL_METRIC_COUNTER },
    { "host vcpu0.run_ns", SL_SCALAR_U64, SL_METRIC_COUNTER },
    { "monitor cpu0.nr_running", SL_SCALAR_U64, SL_METRIC_GAUGE_AVG },
    { "monitor cpu1.local_dsq_depth", SL_SCALAR_U64, SL_METRIC_GAUGE_AVG },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (cases[i].selector, NULL);

      g_assert_nonnull (sel);
      if (sl_compare_guess_kind (sel, cases[i].type) != cases[i].kind)
        g_error ("%s: expected %s", cases[i].selector, sl_metric_kind_name (cases[i].kind));
    }
}

/* Defaults: BPF globals and top-level stats both runs have, nothing nested. */
static void
test_default_fields (void)
{
  static const Point pa[] = { { 0, 1, 1 }, { 1, 2, 1 } };
  g_autoptr(SlRun) a = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(SlRun) b = make_run (pa, G_N_ELEMENTS (pa));
  g_autoptr(SlFieldCatalog) ca = sl_field_catalog_build (a, 0);
  g_autoptr(SlFieldCatalog) cb = sl_field_catalog_build (b, 0);
  g_autoptr(GPtrArray) sels = sl_compare_default_fields (ca, cb, 0);
  g_autoptr(GPtrArray) capped = sl_compare_default_fields (ca, cb, 2);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_bss = FALSE, saw_stats = FALSE;

  for (guint i = 0; i < sels->len; i++)
    {
      const char *s = sels->pdata[i];

      g_assert_null (strstr (s, "per_cpu"));
      saw_bss |= strcmp (s, "bpf sl_vtime.bss/nr_dispatched") == 0;
      saw_stats |= strcmp (s, "stats busy") == 0;
    }
  g_assert_true (saw_bss);
  g_assert_true (saw_stats);
  g_assert_cmpuint (capped->len, ==, 2);

  all = sl_compare_runs (a, b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, sels->len);
  for (guint i = 0; i < all->len; i++)
    {
      const SlCompareField *f = all->pdata[i];
      g_assert_cmpstr (f->selector, ==, sels->pdata[i]);
      /* Identical runs: every present delta is 0. */
      for (guint r = 0; r < f->rows->len; r++)
        {
          const SlCompareRow *row = &g_array_index (f->rows, SlCompareRow, r);
          g_assert_true (row->has_delta);
          g_assert_cmpfloat (row->delta, ==, 0);
        }
    }
  {
    static const char *const bad[] = { "stats busy", "bogus", NULL };
    g_autoptr(GPtrArray) none = sl_compare_runs (a, b, bad, &error);
    g_assert_null (none);
    g_assert_error (error, SL_ERROR, SL_ERROR_FIELD);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/query/compare/counter-and-gauge", test_counter_and_gauge);
  g_test_add_func ("/query/compare/zero-and-regression", test_zero_and_regression);
  g_test_add_func ("/query/compare/missing-field", test_missing_field);
  g_test_add_func ("/query/compare/guess-kind", test_guess_kind);
  g_test_add_func ("/query/compare/default-fields", test_default_fields);
  return g_test_run ();
}
