/* sl-test-run.h: a small synthetic run built in memory for UI tests.
 *
 * Phases: BASELINE [0, 1000) ms, Step[0] [1000, 3000), Step[1] [3000, 5000].
 * Samples every 100 ms (50 of them) with scx_stats JSON:
 *   nr_dispatched  u64, cumulative, +1000 per sample, except one regression
 *                  at REGRESSION_MS (Step[1]);
 *   busy           f64, 50 ± 1;
 * and the sample at MISSING_MS has no stats (a gap in every stats field). */
#pragma once

#include <json-glib/json-glib.h>
#include "sl-run.h"

#define SL_TEST_N_SAMPLES   50
#define SL_TEST_REGRESSION_MS 3500
#define SL_TEST_MISSING_MS  1500

static inline guint16
sl_test_phase_of (guint64 ms)
{
  return ms < 1000 ? 0 : ms < 3000 ? 1 : 2;
}

static inline SlRun *
sl_test_run_new (void)
{
  SlRun *run = sl_run_new ();
  /* step = the encoded phase (Step[k] = k + 1), as the guest stamps it. */
  static const struct { guint64 ms; guint16 step; gboolean end, terminal; } stim[] = {
    { 1000, 1, FALSE, FALSE }, { 3000, 1, TRUE, FALSE }, { 3000, 2, FALSE, FALSE }, { 5000, 2, TRUE, TRUE },
  };
  guint64 dispatched = 0;

  run->header.scenario = g_strdup ("two-cgroups");
  run->header.scheduler = g_strdup ("scx_simple");
  run->header.scheduler_args = g_strsplit ("--slice-us 5000", " ", -1);
  run->header.kernel_version = g_strdup ("7.0.0-test");
  run->header.topology = (SlTopology) { 1, 1, 2, 1 };
  run->header.duration_ms = 5000;
  run->header.snapshots = SL_TEST_N_SAMPLES;
  run->header.synthetic = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (stim); i++)
    {
      SlStimulusEvent ev = { 0 };
      ev.elapsed_ms = stim[i].ms;
      ev.has_step_index = TRUE;
      ev.step_index = stim[i].step;
      ev.is_step_end = stim[i].end;
      ev.is_terminal = stim[i].terminal;
      g_array_append_val (run->stimulus, ev);
    }
  for (guint i = 0; i < SL_TEST_N_SAMPLES; i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      SlSample *s = sl_sample_new (tag);
      guint64 ms = (guint64) i * 100 + 50;

      s->elapsed_ms = sl_opt_u64 (ms);
      s->boundary_offset_ms = sl_opt_u64 (ms);
      s->has_step_index = TRUE;
      s->step_index = sl_test_phase_of (ms);
      dispatched += 1000;
      if (ms == SL_TEST_MISSING_MS + 50)
        {
          s->missing_stats.kind = SL_MISSING_STATS_DURING_FREEZE;
        }
      else
        {
          g_autofree char *json = g_strdup_printf ("{\"nr_dispatched\": %" G_GUINT64_FORMAT ", \"busy\": %.3f}",
                                                   ms == SL_TEST_REGRESSION_MS + 50 ? dispatched - 5000 : dispatched,
                                                   50.0 + ((int) (i % 3) - 1) * 1.0);
          s->stats = json_from_string (json, NULL);
          s->missing_stats.kind = SL_MISSING_STATS_NONE;
        }
      g_ptr_array_add (run->samples, s);
    }
  run->complete = TRUE;
  return run;
}
