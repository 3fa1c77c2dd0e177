/* Decimation, packing and tick tests for core/plot. */
#include <math.h>
#include "sl-decimate.h"
#include "sl-plot-series.h"
#include "sl-ticks.h"

static void
test_decimate_min_max (void)
{
  /* 1000 points over [0, 1000) into 10 buckets: bucket b holds 100b..100b+99. */
  double t[1000], v[1000];
  SlBucket b[10];
  SlDecimateEdges e;

  for (guint i = 0; i < 1000; i++)
    {
      t[i] = i;
      v[i] = (i % 100 == 50) ? 1000.0 + i : (double) (i % 7);
    }
  g_assert_cmpuint (sl_decimate_arrays (t, v, NULL, 1000, 0, 1000, b, 10, &e), ==, 10);
  g_assert_cmpuint (e.n_points, ==, 1000);
  g_assert_false (e.has_lead_in);
  g_assert_false (e.has_lead_out);
  for (guint k = 0; k < 10; k++)
    {
      g_assert_cmpuint (b[k].n_ok, ==, 100);
      g_assert_cmpfloat (b[k].max, ==, 1000.0 + 100 * k + 50);
      g_assert_cmpfloat (b[k].min, ==, 0);
      g_assert_cmpfloat (b[k].first, ==, (double) ((100 * k) % 7));
      g_assert_cmpfloat (b[k].last, ==, (double) ((100 * k + 99) % 7));
      g_assert_cmpuint (b[k].first_index, ==, 100 * k);
      g_assert_cmpuint (b[k].last_index, ==, 100 * k + 99);
      /* Only the first bucket has nothing to its left to connect to. */
      g_assert_true (b[k].break_before == (k == 0));
    }
}

static void
test_decimate_gaps (void)
{
  /* Points at 0..9, index 4 is an error: bucket 4 holds only the gap and
   * bucket 5 must not be connected to bucket 3. */
  double t[10], v[10];
  SlBucket b[10];

  for (guint i = 0; i < 10; i++)
    {
      t[i] = i;
      v[i] = i == 4 ? NAN : (double) i;
    }
  sl_decimate_arrays (t, v, NULL, 10, 0, 10, b, 10, NULL);
  g_assert_cmpuint (b[4].n_ok, ==, 0);
  g_assert_cmpuint (b[4].n_gap, ==, 1);
  g_assert_true (b[5].break_before);
  g_assert_false (b[3].break_before);
  g_assert_false (b[6].break_before);
  /* The first bucket has nothing before it to connect to. */
  g_assert_true (b[0].break_before);
}

static void
test_decimate_edges (void)
{
  double t[] = { 0, 10, 20, 30, 40 };
  double v[] = { 1, 2, 3, 4, 5 };
  guint8 ok[] = { 1, 1, 1, 0, 1 };
  SlBucket b[4];
  SlDecimateEdges e;

  /* [15, 35): lead-in is t=10, in range 20 and (error) 30, lead-out 40 after a gap. */
  sl_decimate_arrays (t, v, ok, 5, 15, 35, b, 4, &e);
  g_assert_true (e.has_lead_in);
  g_assert_cmpfloat (e.lead_in_t, ==, 10);
  g_assert_true (e.has_lead_out);
  g_assert_cmpfloat (e.lead_out_v, ==, 5);
  g_assert_true (e.lead_out_break);
  g_assert_cmpuint (e.n_points, ==, 2);
  g_assert_cmpuint (b[1].n_ok, ==, 1);  /* 20 → (20-15)/5 = bucket 1 */
  g_assert_false (b[1].break_before);   /* connected to the lead-in */
  g_assert_cmpuint (b[3].n_gap, ==, 1); /* 30 → bucket 3 */

  /* Empty and degenerate ranges leave buckets empty. */
  g_assert_cmpuint (sl_decimate_arrays (t, v, ok, 5, 100, 200, b, 4, &e), ==, 0);
  g_assert_true (e.has_lead_in);
  g_assert_cmpuint (sl_decimate_arrays (t, v, ok, 5, 30, 30, b, 4, &e), ==, 0);
  g_assert_cmpuint (sl_decimate_arrays (t, v, ok, 5, 0, 50, b, 0, &e), ==, 0);
}

static void
test_decimate_matches_bruteforce (void)
{
  /* Random data: every bucket's min/max equals a direct scan. */
  GRand *r = g_rand_new_with_seed (42);
  guint n = 5000, nb = 137;
  g_autofree double *t = g_new (double, n);
  g_autofree double *v = g_new (double, n);
  g_autofree SlBucket *b = g_new (SlBucket, nb);
  double t0 = 1234.5, t1 = 40000.25, acc = 0;

  for (guint i = 0; i < n; i++)
    {
      acc += g_rand_double_range (r, 0.5, 15);
      t[i] = acc;
      v[i] = g_rand_int_range (r, 0, 20) == 0 ? NAN : g_rand_double_range (r, -50, 50);
    }
  sl_decimate_arrays (t, v, NULL, n, t0, t1, b, nb, NULL);
  for (guint k = 0; k < nb; k++)
    {
      double lo = INFINITY, hi = -INFINITY;
      guint count = 0;

      for (guint i = 0; i < n; i++)
        {
          guint bi;
          if (!(t[i] >= t0 && t[i] < t1) || isnan (v[i]))
            continue;
          bi = MIN ((guint) ((t[i] - t0) * nb / (t1 - t0)), nb - 1);
          if (bi != k)
            continue;
          lo = MIN (lo, v[i]);
          hi = MAX (hi, v[i]);
          count++;
        }
      g_assert_cmpuint (b[k].n_ok, ==, count);
      if (count)
        {
          g_assert_cmpfloat (b[k].min, ==, lo);
          g_assert_cmpfloat (b[k].max, ==, hi);
        }
    }
  g_rand_free (r);
}

static SlSeriesField *
make_counter_field (void)
{
  SlSeriesField *f = sl_series_field_new ("dispatched", SL_SCALAR_U64);
  guint64 vals[] = { 100, 300, 0, 700, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      SlScalar s = { .type = SL_SCALAR_U64, .u = vals[i] };

      if (i == 2)
        sl_series_field_push_err (f, tag, sl_opt_u64 (i * 500), TRUE, 0, i,
                                  SL_FIELD_ERROR_VAR_NOT_FOUND, "no global 'dispatched'");
      else
        sl_series_field_push_ok (f, tag, sl_opt_u64 (i * 500), TRUE, 0, i, s);
    }
  /* A sample whose time was not measured cannot be placed. */
  sl_series_field_push_ok (f, "late", SL_OPT_U64_NONE, TRUE, 0, 5,
                           (SlScalar) { .type = SL_SCALAR_U64, .u = 5 });
  return f;
}

static void
test_plot_series_modes (void)
{
  g_autoptr(SlSeriesField) f = make_counter_field ();
  g_autoptr(SlPlotSeries) val = sl_plot_series_new_from_field (f, SL_COUNTER_VALUE);
  g_autoptr(SlPlotSeries) del = sl_plot_series_new_from_field (f, SL_COUNTER_DELTA);
  g_autoptr(SlPlotSeries) rate = sl_plot_series_new_from_field (f, SL_COUNTER_RATE);

  g_assert_cmpuint (val->n, ==, 5);
  g_assert_cmpuint (val->n_unplaced, ==, 1);
  g_assert_false (val->ok[2]);
  g_assert_cmpfloat (val->v_min, ==, 100);
  g_assert_cmpfloat (val->v_max, ==, 1000);

  g_assert_false (del->ok[0]);            /* no predecessor */
  g_assert_true (del->ok[1]);
  g_assert_cmpfloat (del->v[1], ==, 200);
  g_assert_false (del->ok[2]);            /* error */
  g_assert_false (del->ok[3]);            /* predecessor errored */
  g_assert_cmpfloat (del->v[4], ==, 300);

  g_assert_cmpfloat (rate->v[1], ==, 200 / 0.5);   /* per second over 500 ms */
  g_assert_cmpfloat (rate->v[4], ==, 300 / 0.5);
  g_assert_cmpuint (rate->slot[4], ==, 4);
}

static void
test_plot_series_unsorted (void)
{
  double t[] = { 30, 10, 20, 10 };
  double v[] = { 3, 1, 2, 1.5 };
  g_autoptr(SlPlotSeries) s = sl_plot_series_new_from_arrays (t, v, 4);
  double lo, hi, mean;

  g_assert_cmpfloat (s->t[0], ==, 10);
  g_assert_cmpfloat (s->v[0], ==, 1);     /* stable for equal times */
  g_assert_cmpfloat (s->v[1], ==, 1.5);
  g_assert_cmpuint (s->slot[3], ==, 0);
  g_assert_cmpuint (sl_plot_series_lower_bound (s, 15), ==, 2);
  g_assert_cmpint (sl_plot_series_nearest (s, 26), ==, 3);
  g_assert_cmpint (sl_plot_series_nearest (s, 14), ==, 1);
  g_assert_true (sl_plot_series_range (s, 10, 30, &lo, &hi));
  g_assert_cmpfloat (lo, ==, 1);
  g_assert_cmpfloat (hi, ==, 2);
  g_assert_true (sl_plot_series_mean (s, 0, 100, &mean));
  g_assert_cmpfloat_with_epsilon (mean, 7.5 / 4, 1e-12);
  g_assert_false (sl_plot_series_range (s, 100, 200, &lo, &hi));
  /* The one-pass stats agree with range and mean. */
  {
    double a, b, m;
    g_assert_true (sl_plot_series_stats (s, 0, 100, &a, &b, &m));
    g_assert_cmpfloat (a, ==, 1);
    g_assert_cmpfloat (b, ==, 3);
    g_assert_cmpfloat_with_epsilon (m, 7.5 / 4, 1e-12);
    g_assert_false (sl_plot_series_stats (s, 100, 200, &a, &b, &m));
  }
}

static void
test_nice_ticks (void)
{
  double ticks[32], step;
  guint n;

  g_assert_cmpfloat (sl_ticks_nice_step (0.7), ==, 1);
  g_assert_cmpfloat (sl_ticks_nice_step (1.3), ==, 2);
  g_assert_cmpfloat (sl_ticks_nice_step (3), ==, 5);
  g_assert_cmpfloat (sl_ticks_nice_step (7), ==, 10);
  g_assert_cmpfloat_with_epsilon (sl_ticks_nice_step (0.0021), 0.005, 1e-15);
  g_assert_cmpfloat (sl_ticks_nice_step (200), ==, 200);

  n = sl_ticks_compute (3, 97, 20, ticks, 32, &step);
  g_assert_cmpfloat (step, ==, 20);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (ticks[0], ==, 20);
  g_assert_cmpfloat (ticks[3], ==, 80);

  /* Never more ticks than asked for, even with a tiny spacing. */
  n = sl_ticks_compute (0, 1e6, 1e-3, ticks, 8, &step);
  g_assert_cmpuint (n, <=, 8);
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (sl_ticks_compute (5, 5, 1, ticks, 8, &step), ==, 0);
  g_assert_cmpuint (sl_ticks_compute (NAN, 5, 1, ticks, 8, &step), ==, 0);
}

static void
test_yrange (void)
{
  double t[] = { 0, 10, 20, 30 };
  double v[] = { 5, 50, 10, 100 };
  g_autoptr(SlPlotSeries) s = sl_plot_series_new_from_arrays (t, v, 4);
  double lo, hi;
  double flat_v[] = { 7, 7 };
  g_autoptr(SlPlotSeries) flat = sl_plot_series_new_from_arrays (t, flat_v, 2);

  sl_yrange_resolve (s, SL_YRANGE_AUTO, 0, 25, 0, 0, &lo, &hi);
  g_assert_cmpfloat (lo, <, 5);
  g_assert_cmpfloat (lo, >=, 0);
  g_assert_cmpfloat (hi, >, 50);
  g_assert_cmpfloat (hi, <, 100);
  sl_yrange_resolve (s, SL_YRANGE_WHOLE_RUN, 0, 25, 0, 0, &lo, &hi);
  g_assert_cmpfloat (hi, >, 100);
  sl_yrange_resolve (s, SL_YRANGE_FIXED, 0, 25, 200, -3, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -3);
  g_assert_cmpfloat (hi, ==, 200);
  sl_yrange_resolve (flat, SL_YRANGE_AUTO, 0, 100, 0, 0, &lo, &hi);
  g_assert_cmpfloat (lo, <, 7);
  g_assert_cmpfloat (hi, >, 7);
  sl_yrange_resolve (NULL, SL_YRANGE_AUTO, 0, 100, 0, 0, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 1);
  /* Padding: 5 % each side, never below zero for non-negative data. */
  sl_yrange_pad (10, 110, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 5);
  g_assert_cmpfloat (hi, ==, 115);
  sl_yrange_pad (0, 100, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  sl_yrange_pad (-10, 10, &lo, &hi);
  g_assert_cmpfloat (lo, ==, -11);
}

static void
test_format (void)
{
  struct { double ms, step; const char *want; } times[] = {
    { 250, 50, "250 ms" }, { 1500, 500, "1.5 s" }, { 2000, 1000, "2 s" },
    { 0, 100, "0 ms" }, { 150000, 10000, "2 min 30 s" }, { 12.5, 0, "12.5 ms" },
  };
  struct { double v, step; const char *want; } vals[] = {
    { 1500000, 500000, "1.5M" }, { 42, 0, "42" }, { 0.25, 0.05, "0.25" },
    { 20000, 5000, "20k" }, { -0.0, 1, "0" }, { NAN, 0, "NaN" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *s = sl_format_time_ms (times[i].ms, times[i].step);
      g_assert_cmpstr (s, ==, times[i].want);
    }
  for (guint i = 0; i < G_N_ELEMENTS (vals); i++)
    {
      g_autofree char *s = sl_format_value (vals[i].v, vals[i].step);
      g_assert_cmpstr (s, ==, vals[i].want);
    }
}

static void
test_mode_names (void)
{
  SlCounterMode m;
  SlYRangePolicy p;

  g_assert_true (sl_counter_mode_parse ("rate", &m));
  g_assert_cmpint (m, ==, SL_COUNTER_RATE);
  g_assert_false (sl_counter_mode_parse ("bogus", &m));
  g_assert_true (sl_yrange_policy_parse ("whole-run", &p));
  g_assert_cmpint (p, ==, SL_YRANGE_WHOLE_RUN);
  g_assert_false (sl_yrange_policy_parse (NULL, &p));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/decimate/min-max", test_decimate_min_max);
  g_test_add_func ("/plot/decimate/gaps", test_decimate_gaps);
  g_test_add_func ("/plot/decimate/edges", test_decimate_edges);
  g_test_add_func ("/plot/decimate/bruteforce", test_decimate_matches_bruteforce);
  g_test_add_func ("/plot/series/modes", test_plot_series_modes);
  g_test_add_func ("/plot/series/unsorted", test_plot_series_unsorted);
  g_test_add_func ("/plot/ticks/nice", test_nice_ticks);
  g_test_add_func ("/plot/ticks/yrange", test_yrange);
  g_test_add_func ("/plot/ticks/format", test_format);
  g_test_add_func ("/plot/names", test_mode_names);
  return g_test_run ();
}
