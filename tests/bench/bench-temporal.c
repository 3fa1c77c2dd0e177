/* bench-temporal: time every temporal pattern and the per-phase reductions on
 * a large synthetic field and print ns per sample. Not a test: the figures are
 * for reading (patterns are one or two O(n) passes, allocating only messages). */
#include <glib.h>
#include <math.h>
#include <stdio.h>

#include "sl-patterns.h"
#include "sl-phase-aggregate.h"

static SlSeriesField *
make_field (const char *label, guint n, gboolean with_errors)
{
  SlSeriesField *f = sl_series_field_new (label, SL_SCALAR_F64);
  char tag[32];

  for (guint i = 0; i < n; i++)
    {
      SlScalar v = { .type = SL_SCALAR_F64 };

      g_snprintf (tag, sizeof tag, "periodic_%06u", i);
      v.f = 1000.0 + (double) i * 0.5;
      if (with_errors && i % 997 == 500)
        sl_series_field_push_err (f, tag, sl_opt_u64 (100 * (guint64) i), TRUE, (guint16) (i / 10000),
                                  i, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE, "rendezvous timed out");
      else
        sl_series_field_push_ok (f, tag, sl_opt_u64 (100 * (guint64) i), TRUE, (guint16) (i / 10000), i, v);
    }
  return f;
}

static void
report (const char *what, gint64 t0, guint n, const SlVerdict *v)
{
  double ns = (double) (g_get_monotonic_time () - t0) * 1000.0 / n;

  printf ("%-34s %8.1f ns/sample  (%u outcomes, %u notes)\n", what, ns,
          v != NULL ? sl_verdict_n_outcomes (v) : 0, v != NULL ? sl_verdict_n_notes (v) : 0);
}

#define BENCH(name, call) \
  G_STMT_START { \
    g_autoptr(SlVerdict) v = sl_verdict_new (); \
    gint64 t0 = g_get_monotonic_time (); \
    call; \
    report (name, t0, n, v); \
  } G_STMT_END

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(SlSeriesField) f = NULL;
  g_autoptr(SlSeriesField) g = NULL;

  if (n < 10)
    n = 10;
  f = make_field ("clean", n, FALSE);
  g = make_field ("gappy", n, TRUE);
  printf ("%u samples (gappy: one placeholder every 997)\n", n);

  BENCH ("nondecreasing", sl_pattern_nondecreasing (f, v));
  BENCH ("nondecreasing (gappy)", sl_pattern_nondecreasing (g, v));
  BENCH ("strictly_increasing", sl_pattern_strictly_increasing (f, v));
  BENCH ("rate_within", sl_pattern_rate_within (f, 0.0, 1.0, v));
  BENCH ("rate_within (gappy)", sl_pattern_rate_within (g, 0.0, 1.0, v));
  BENCH ("steady_within", sl_pattern_steady_within (f, 0, 10.0, v));
  BENCH ("converges_to (no witness)", sl_pattern_converges_to (f, -1, 0.1, 1e12, v));
  BENCH ("ratio_within", sl_pattern_ratio_within (f, f, 0.5, 2, v));
  {
    SlScalar b = { .type = SL_SCALAR_F64 };

    b.f = 0;
    BENCH ("each.at_least", sl_pattern_each_at_least (f, b, v));
  }
  BENCH ("ratio_across_phases.at_most", sl_pattern_ratio_across_phases_at_most (f, 0, 1, 2, v));
  BENCH ("counter_delta_per_phase",
         sl_phase_map_free (sl_series_field_counter_delta_per_phase (f, v)));
  BENCH ("aggregate_by_phase(Gauge(Avg))",
         sl_phase_map_free (sl_series_field_aggregate_by_phase (f, SL_METRIC_GAUGE_AVG, v)));
  BENCH ("by_phase", sl_phase_partition_free (sl_series_field_by_phase (f)));
  return 0;
}
