/* Compare mode without a display: the phase-alignment mapping, a session's
 * baseline (aligned series, shared y range, per-phase deltas from sl-compare)
 * and the dashed baseline overlay, probed in the pixels. */
#include <math.h>
#include "sl-phase-align.h"
#include "sl-session.h"
#include "sl-view-model.h"
#include "sl-test-run.h"

/* ---- phase alignment ---------------------------------------------------- */

static void
test_align_map (void)
{
  const SlRenderPhase cur[] = { { 0, 0, 1000, "BASELINE" }, { 1, 1000, 3000, "Step[0]" }, { 2, 3000, 5000, "Step[1]" } };
  /* The baseline took twice as long to boot, and has no Step[1]. */
  const SlRenderPhase base[] = { { 1, 2000, 6000, "Step[0]" }, { 0, 0, 2000, "BASELINE" }, { 3, 6000, 7000, "Step[2]" } };
  g_autoptr(SlPhaseAlign) a = sl_phase_align_new (cur, G_N_ELEMENTS (cur), base, G_N_ELEMENTS (base));
  double t;

  g_assert_cmpuint (sl_phase_align_get_n_pieces (a), ==, 2);
  g_assert_true (sl_phase_align_map (a, 0, &t));
  g_assert_cmpfloat_with_epsilon (t, 0, 1e-9);
  g_assert_true (sl_phase_align_map (a, 1000, &t));
  g_assert_cmpfloat_with_epsilon (t, 500, 1e-9);
  /* A boundary belongs to the phase that starts there. */
  g_assert_true (sl_phase_align_map (a, 2000, &t));
  g_assert_cmpfloat_with_epsilon (t, 1000, 1e-9);
  g_assert_true (sl_phase_align_map (a, 3000, &t));
  g_assert_cmpfloat_with_epsilon (t, 1500, 1e-9);
  g_assert_true (sl_phase_align_map (a, 6000, &t));
  g_assert_cmpfloat_with_epsilon (t, 3000, 1e-9);
  /* Step[2] exists only in the baseline; before and after: nowhere. */
  g_assert_false (sl_phase_align_map (a, 6500, &t));
  g_assert_false (sl_phase_align_map (a, -1, &t));
  g_assert_false (sl_phase_align_map (a, NAN, &t));
}

static void
test_align_series (void)
{
  const SlRenderPhase cur[] = { { 0, 0, 100, "BASELINE" }, { 1, 100, 200, "Step[0]" } };
  const SlRenderPhase base[] = { { 0, 0, 50, "BASELINE" }, { 1, 50, 250, "Step[0]" } };
  const double t[] = { 25, 50, 150, 250, 300 };
  const double v[] = { 1, 2, NAN, 4, 5 };
  g_autoptr(SlPhaseAlign) a = sl_phase_align_new (cur, 2, base, 2);
  g_autoptr(SlPlotSeries) s = sl_plot_series_new_from_arrays (t, v, G_N_ELEMENTS (t));
  g_autoptr(SlPlotSeries) m = sl_phase_align_series (a, s);

  /* 300 is past every shared phase: dropped. The gap stays a gap. */
  g_assert_cmpuint (m->n, ==, 4);
  g_assert_cmpfloat_with_epsilon (m->t[0], 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->t[1], 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->t[2], 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (m->t[3], 200, 1e-9);
  g_assert_cmpint (m->ok[2], ==, 0);
  g_assert_cmpfloat_with_epsilon (m->v[3], 4, 1e-9);
}

static void
test_align_empty (void)
{
  const SlRenderPhase cur[] = { { 0, 0, 100, "BASELINE" } };
  const SlRenderPhase bad[] = { { 0, 50, 10, "BASELINE" } };   /* end before start: untrusted */
  g_autoptr(SlPhaseAlign) a = sl_phase_align_new (cur, 1, NULL, 0);
  g_autoptr(SlPhaseAlign) b = sl_phase_align_new (cur, 1, bad, 1);
  double t;

  g_assert_cmpuint (sl_phase_align_get_n_pieces (a), ==, 0);
  g_assert_false (sl_phase_align_map (a, 10, &t));
  g_assert_cmpuint (sl_phase_align_get_n_pieces (b), ==, 0);
}

/* ---- session baseline --------------------------------------------------- */

/* The test run with every time doubled and busy raised by `shift`: a slower
 * rerun of the same scenario. */
static SlRun *
slow_run_new (double shift)
{
  SlRun *run = sl_test_run_new ();

  for (guint i = 0; i < run->stimulus->len; i++)
    g_array_index (run->stimulus, SlStimulusEvent, i).elapsed_ms *= 2;
  for (guint i = 0; i < run->samples->len; i++)
    {
      SlSample *s = g_ptr_array_index (run->samples, i);
      s->elapsed_ms.v *= 2;
      s->boundary_offset_ms.v *= 2;
      if (s->stats)
        {
          JsonObject *o = json_node_get_object (s->stats);
          json_object_set_double_member (o, "busy", json_object_get_double_member (o, "busy") + shift);
        }
    }
  return run;
}

static void
test_session_baseline (void)
{
  g_autoptr(SlRun) run = sl_test_run_new ();
  g_autoptr(SlRun) base = slow_run_new (20);
  g_autoptr(SlSession) session = sl_session_new (run, "/tmp/current.slrun");
  SlRenderStyle style;
  g_autoptr(SlViewModel) vm = NULL;
  guint i = sl_session_add_track (session, "stats busy");
  SlTrack *t = sl_session_get_track (session, i);
  double x, lo_alone, hi_alone, t0, t1;
  gboolean saw_step1 = FALSE;

  sl_render_style_init (&style, FALSE);
  sl_session_get_view (session, &t0, &t1);
  vm = sl_view_model_build (session, &style, t0, t1, -1);
  lo_alone = g_array_index (vm->tracks, SlRenderTrack, i).y_lo;
  hi_alone = g_array_index (vm->tracks, SlRenderTrack, i).y_hi;
  g_assert_null (g_array_index (vm->tracks, SlRenderTrack, i).baseline);
  g_clear_pointer (&vm, sl_view_model_free);

  sl_session_set_baseline (session, base, "/tmp/base.slrun");
  g_assert_true (sl_session_get_baseline (session) == base);
  g_assert_cmpstr (sl_session_get_baseline_path (session), ==, "/tmp/base.slrun");
  g_assert_true (sl_session_map_baseline_time (session, 4000, &x));   /* Step[0] midpoint */
  g_assert_cmpfloat_with_epsilon (x, 2000, 1e-6);

  vm = sl_view_model_build (session, &style, t0, t1, -1);
  g_assert_nonnull (t->baseline_plot);
  g_assert_true (g_array_index (vm->tracks, SlRenderTrack, i).baseline == t->baseline_plot);
  /* Every baseline point sits on this run's time, inside its phases. */
  g_assert_cmpuint (t->baseline_plot->n, >, 40);
  g_assert_cmpfloat (t->baseline_plot->t_min, >=, 0);
  g_assert_cmpfloat (t->baseline_plot->t_max, <=, 5000);
  g_assert_cmpfloat (t->baseline_plot->v_min, >=, 69);
  /* One y range for both: it now reaches the baseline's ~70. */
  g_assert_cmpfloat (hi_alone, <, 60);
  g_assert_cmpfloat (g_array_index (vm->tracks, SlRenderTrack, i).y_hi, >=, 71);
  g_assert_cmpfloat (g_array_index (vm->tracks, SlRenderTrack, i).y_lo, <=, lo_alone);

  /* Per-phase deltas: this run minus the baseline, about -20 in each phase. */
  g_assert_nonnull (t->compare);
  g_assert_cmpuint (t->compare->rows->len, ==, 3);
  for (guint k = 0; k < t->compare->rows->len; k++)
    {
      const SlCompareRow *r = &g_array_index (t->compare->rows, SlCompareRow, k);
      g_assert_true (r->has_delta);
      g_assert_cmpfloat (fabs (r->delta + 20), <, 0.5);
      saw_step1 |= r->phase == 2;
    }
  g_assert_true (saw_step1);

  /* A counter compares by its per-phase delta, in the track's counter mode. */
  i = sl_session_add_track (session, "stats nr_dispatched");
  g_clear_pointer (&vm, sl_view_model_free);
  vm = sl_view_model_build (session, &style, t0, t1, -1);
  t = sl_session_get_track (session, i);
  g_assert_nonnull (t->compare);
  g_assert_cmpint (t->compare->kind, ==, SL_METRIC_COUNTER);
  g_assert_nonnull (t->baseline_plot);

  sl_session_set_baseline (session, NULL, NULL);
  g_clear_pointer (&vm, sl_view_model_free);
  vm = sl_view_model_build (session, &style, t0, t1, -1);
  g_assert_null (t->baseline_plot);
  g_assert_null (t->compare);
  g_assert_null (sl_session_get_baseline_path (session));
}

/* ---- the dashed overlay ------------------------------------------------- */

#define W 820
#define H 120

static void
probe_row (cairo_surface_t *s, int y, int x0, int x1, SlRgba want_base, int *n_on, int *n_off)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);

  *n_on = *n_off = 0;
  for (int x = x0; x < x1; x++)
    {
      const guint8 *p = data + y * stride + x * 4;
      /* B G R A; the baseline is blue-ish at 60 % over the light background. */
      gboolean blue = p[0] > 200 && p[2] < 190 && abs (p[0] - (int) lround (want_base.b * 255)) < 80;
      if (blue)
        (*n_on)++;
      else
        (*n_off)++;
    }
}

static void
test_overlay_render (void)
{
  const SlRenderPhase phases[] = { { 0, 0, 400, "BASELINE" } };
  const double t[] = { 0, 100, 200, 300, 400 };
  const double cur_v[] = { 10, 10, 10, 10, 10 };
  const double base_v[] = { 80, 80, 80, 80, 80 };
  g_autoptr(SlPlotSeries) cur = sl_plot_series_new_from_arrays (t, cur_v, 5);
  g_autoptr(SlPlotSeries) base = sl_plot_series_new_from_arrays (t, base_v, 5);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);
  SlRenderStyle style;
  SlTimeMap tm = { .t0 = 0, .t1 = 400, .x0 = SL_RENDER_HEADER_WIDTH, .width = W - SL_RENDER_HEADER_WIDTH };
  SlRenderTrack track = { .title = "busy", .series = cur, .baseline = base, .color = { 0.2, 0.5, 0.9, 1 },
                          .y_lo = 0, .y_hi = 100, .compact = TRUE };
  SlBucket scratch[W];
  double top = 3, bottom = H - 4;
  int y_base = (int) lround (bottom - 0.8 * (bottom - top));
  int y_cur = (int) lround (bottom - 0.1 * (bottom - top));
  int on = 0, off = 0, best_on = 0, best_off = 0, on_cur = 0, off_cur = 0;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "render-baseline.png", NULL);
  SlRgba bc = sl_render_baseline_color (&track.color);
  const guint8 *data;
  int stride;

  g_assert_cmpfloat (bc.a, <, 1);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  sl_render_style_init (&style, FALSE);
  sl_render_track (cr, &style, &tm, phases, 1, &track, 0, H, scratch, W);
  cairo_surface_flush (s);
  cairo_surface_write_to_png (s, path);

  /* Along the baseline's row (±1 px for antialiasing): dashes, so both
   * coloured and uncoloured stretches. */
  for (int dy = -1; dy <= 1; dy++)
    {
      probe_row (s, y_base + dy, (int) tm.x0 + 20, W - 20, track.color, &on, &off);
      if (on > best_on)
        {
          best_on = on;
          best_off = off;
        }
    }
  g_assert_cmpint (best_on, >, 200);   /* 6 of every 10 px over ~560 px */
  g_assert_cmpint (best_off, >, 120);
  /* The run's own line is solid. */
  for (int dy = -1; dy <= 1; dy++)
    {
      probe_row (s, y_cur + dy, (int) tm.x0 + 20, W - 20, track.color, &on, &off);
      on_cur = MAX (on_cur, on);
      off_cur = on == on_cur ? off : off_cur;
    }
  g_assert_cmpint (off_cur, <, 10);
  /* Lighter: a baseline pixel is paler than a pixel of the run's line. */
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  {
    int xs = (int) tm.x0 + 22, best_r = 255;
    for (int dx = 0; dx < 10; dx++)
      best_r = MIN (best_r, data[y_base * stride + (xs + dx) * 4 + 2]);
    g_assert_cmpint (best_r, >, data[y_cur * stride + xs * 4 + 2] + 20);
  }
  /* Nothing dashed where there is no baseline. */
  probe_row (s, (int) lround (bottom - 0.45 * (bottom - top)), (int) tm.x0 + 20, W - 20, track.color, &on, &off);
  g_assert_cmpint (on, ==, 0);

  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui-compare/align/map", test_align_map);
  g_test_add_func ("/ui-compare/align/series", test_align_series);
  g_test_add_func ("/ui-compare/align/empty", test_align_empty);
  g_test_add_func ("/ui-compare/session/baseline", test_session_baseline);
  g_test_add_func ("/ui-compare/render/overlay", test_overlay_render);
  return g_test_run ();
}
