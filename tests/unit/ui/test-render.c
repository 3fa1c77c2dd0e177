/* Rendering tests without a display: draw into cairo image surfaces and probe
 * pixels structurally (band colours in the right x range, red markers at the
 * failing sample, gaps where a sample errored). PNGs are written to the build
 * directory for people to look at. */
#include <math.h>
#include "sl-render.h"

#define W 820
#define H 120

typedef struct {
  guint8 r, g, b, a;
} Px;

static Px
pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *p = data + y * stride + x * 4;

  /* ARGB32 premultiplied, little-endian: B G R A; all our surfaces are opaque. */
  return (Px) { p[2], p[1], p[0], p[3] };
}

static gboolean
near_color (Px p, SlRgba c, int tol)
{
  return abs (p.r - (int) lround (c.r * 255)) <= tol
      && abs (p.g - (int) lround (c.g * 255)) <= tol
      && abs (p.b - (int) lround (c.b * 255)) <= tol;
}

static gboolean
is_reddish (Px p)
{
  return p.r > 180 && p.g < 90 && p.b < 90;
}

static void
save_png (cairo_surface_t *s, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  cairo_surface_write_to_png (s, path);
  g_test_message ("wrote %s", path);
}

static const SlRenderPhase phases[] = {
  { 0, 0, 100, "BASELINE" },
  { 1, 100, 250, "Step[0]" },
  { 2, 250, 400, "Step[1]" },
};

static SlTimeMap
time_map (void)
{
  return (SlTimeMap) { .t0 = 0, .t1 = 400, .x0 = SL_RENDER_HEADER_WIDTH, .width = W - SL_RENDER_HEADER_WIDTH };
}

static void
test_phase_bands (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);
  SlRenderStyle style;
  SlTimeMap tm = time_map ();
  SlRenderTrack track = { .title = "nothing yet", .color = { 0, 0, 1, 1 }, .y_lo = 0, .y_hi = 1 };
  SlBucket scratch[W];

  sl_render_style_init (&style, FALSE);
  sl_render_track (cr, &style, &tm, phases, G_N_ELEMENTS (phases), &track, 0, H, scratch, W);
  cairo_surface_flush (s);
  save_png (s, "render-bands.png");

  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    {
      SlRgba want = sl_render_style_phase_color (&style, phases[i].phase);
      /* Sample the middle of each band, below the labels. */
      int x = (int) sl_time_map_x (&tm, (phases[i].start_ms + phases[i].end_ms) / 2);
      int xa = (int) ceil (sl_time_map_x (&tm, phases[i].start_ms)) + 2;
      int xb = (int) floor (sl_time_map_x (&tm, phases[i].end_ms)) - 2;

      g_assert_true (near_color (pixel (s, x, H / 2), want, 2));
      g_assert_true (near_color (pixel (s, xa, H - 10), want, 2));
      g_assert_true (near_color (pixel (s, xb, H - 10), want, 2));
    }
  /* Bands differ from each other and from the header. */
  g_assert_false (near_color (pixel (s, (int) sl_time_map_x (&tm, 50), H / 2),
                              sl_render_style_phase_color (&style, 1), 2));
  g_assert_true (near_color (pixel (s, 100, H - 5), style.header_background, 2));

  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static SlPlotSeries *
sample_series (void)
{
  /* 0..400 every 10 ms; index 25 (t=250) errored. */
  double t[41], v[41];

  for (guint i = 0; i < 41; i++)
    {
      t[i] = i * 10.0;
      v[i] = i == 25 ? NAN : 50 + 40 * sin (i / 4.0);
    }
  return sl_plot_series_new_from_arrays (t, v, 41);
}

static void
test_fail_marker_and_gap (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create (s);
  SlRenderStyle style;
  SlTimeMap tm = time_map ();
  g_autoptr(SlPlotSeries) series = sample_series ();
  guint8 marks[41] = { 0 };
  SlBucket scratch[W];
  SlRenderTrack track = {
    .title = "nr_dispatched", .subtitle = "bpf sl.bss/nr_dispatched",
    .series = series, .y_lo = 0, .y_hi = 100,
    .marks = marks, .badge = "FAIL", .badge_kind = SL_MARK_FAIL,
  };
  int fx, fy, gx;
  guint red_near = 0, line_in_gap = 0;

  sl_render_style_init (&style, FALSE);
  track.color = style.series[0];
  marks[12] = SL_MARK_FAIL;   /* t = 120 */
  sl_render_track (cr, &style, &tm, phases, G_N_ELEMENTS (phases), &track, 0, H, scratch, W);
  cairo_surface_flush (s);
  save_png (s, "render-fail-gap.png");

  /* Red pixels around the failing sample's position, none far from it. */
  fx = (int) lround (sl_time_map_x (&tm, 120));
  fy = (int) lround (H - 4 - (series->v[12] / 100.0) * (H - 4 - 20));
  for (int dx = -3; dx <= 3; dx++)
    for (int dy = -3; dy <= 3; dy++)
      red_near += is_reddish (pixel (s, fx + dx, fy + dy));
  g_assert_cmpuint (red_near, >=, 20);
  g_assert_false (is_reddish (pixel (s, (int) sl_time_map_x (&tm, 60), fy)));

  /* The errored sample's column is tinted as a gap and the line is not
   * bridged across it: no series-coloured pixel in that column. */
  gx = (int) lround (sl_time_map_x (&tm, 250));
  {
    /* Darker than the band around it (the hatched gap strip), and neutral:
     * a gap must not read as a failure. */
    Px p = pixel (s, gx, H - 8);
    Px band = pixel (s, gx + 20, H - 8);
    g_assert_cmpint (p.r + p.g + p.b, <, band.r + band.g + band.b - 15);
    g_assert_false (is_reddish (p));
  }
  for (int y = 20; y < H - 4; y++)
    {
      Px p = pixel (s, gx, y);
      line_in_gap += near_color (p, style.series[0], 40);
    }
  g_assert_cmpuint (line_in_gap, ==, 0);
  /* …while a column with data does have the line in it. */
  {
    int x = (int) lround (sl_time_map_x (&tm, 155));
    guint line = 0;
    for (int y = 20; y < H - 4; y++)
      line += near_color (pixel (s, x, y), style.series[0], 60);
    g_assert_cmpuint (line, >, 0);
  }

  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_decimated_matches_full (void)
{
  /* 200k random-walk points: the decimated drawing covers the same pixels as
   * the full polyline, within antialiasing noise. */
  guint n = 200000;
  g_autofree double *t = g_new (double, n);
  g_autofree double *v = g_new (double, n);
  g_autoptr(SlPlotSeries) series = NULL;
  GRand *r = g_rand_new_with_seed (7);
  SlRenderStyle style;
  SlTimeMap tm = { .t0 = 0, .t1 = n, .x0 = 0, .width = 600 };
  g_autofree SlBucket *scratch = g_new (SlBucket, 600);
  cairo_surface_t *a = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 200);
  cairo_surface_t *b = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 200);
  cairo_t *cra = cairo_create (a), *crb = cairo_create (b);
  SlRenderTrack track = { .title = "walk", .y_lo = -300, .y_hi = 300 };
  double acc = 0;
  guint na, nb;

  for (guint i = 0; i < n; i++)
    {
      acc += g_rand_double_range (r, -1, 1);
      t[i] = i;
      v[i] = acc;
    }
  series = sl_plot_series_new_from_arrays (t, v, n);
  track.series = series;
  sl_render_style_init (&style, FALSE);
  track.color = (SlRgba) { 0, 0, 0, 1 };
  style.background = (SlRgba) { 1, 1, 1, 1 };
  style.grid = (SlRgba) { 1, 1, 1, 0 };
  track.compact = TRUE;

  cairo_set_source_rgb (cra, 1, 1, 1);
  cairo_paint (cra);
  cairo_set_source_rgb (crb, 1, 1, 1);
  cairo_paint (crb);
  sl_render_track (cra, &style, &tm, NULL, 0, &track, 0, 200, scratch, 600);
  sl_render_series_full (crb, &style, &tm, &track, -17, 200 + 17 - 4 + 4);
  cairo_surface_flush (a);
  cairo_surface_flush (b);
  save_png (a, "render-decimated.png");
  save_png (b, "render-full.png");

  /* Per pixel column, the vertical extent of the ink (what min/max decimation
   * promises to keep) matches the full polyline's within antialiasing. Overdraw
   * makes the full picture darker, so coverage counts are not compared. */
  na = nb = 0;
  for (int x = 3; x < 597; x++)
    {
      int top_a = -1, bot_a = -1, top_b = -1, bot_b = -1;

      for (int y = 0; y < 200; y++)
        {
          if (pixel (a, x, y).r < 128) { if (top_a < 0) top_a = y; bot_a = y; }
          if (pixel (b, x, y).r < 128) { if (top_b < 0) top_b = y; bot_b = y; }
        }
      g_assert_cmpint (top_a, >=, 0);
      g_assert_cmpint (top_b, >=, 0);
      na += abs (top_a - top_b) > 2 || abs (bot_a - bot_b) > 2;
      nb++;
    }
  g_test_message ("columns whose extent differs by > 2 px: %u of %u", na, nb);
  g_assert_cmpuint (na * 20, <, nb);   /* under 5 % */

  cairo_destroy (cra);
  cairo_destroy (crb);
  cairo_surface_destroy (a);
  cairo_surface_destroy (b);
  g_rand_free (r);
}

static void
test_ruler_and_view (void)
{
  SlRenderStyle style;
  g_autoptr(SlPlotSeries) series = sample_series ();
  SlRenderTrack tracks[2] = {
    { .title = "a", .series = series, .y_lo = 0, .y_hi = 100 },
    { .title = "b", .series = series, .y_lo = 0, .y_hi = 100, .compact = TRUE,
      .style = SL_TRACK_STYLE_STEP },
  };
  SlRenderView view = {
    .style = &style, .tm = time_map (), .phases = phases, .n_phases = 3,
    .tracks = tracks, .n_tracks = 2, .track_height = 100, .compact_height = 40,
    .title = "run",
  };
  double h;
  cairo_surface_t *s;
  cairo_t *cr;
  SlRgba band;
  Px p;

  sl_render_style_init (&style, TRUE);
  tracks[0].color = style.series[0];
  tracks[1].color = style.series[1];
  h = sl_render_view_height (&view);
  g_assert_cmpfloat (h, ==, 32 + SL_RENDER_RULER_HEIGHT + 140);
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, W, (int) h);
  cr = cairo_create (s);
  sl_render_view (cr, &view);
  cairo_surface_flush (s);
  save_png (s, "render-view-dark.png");

  /* Dark style: the plot background is dark. */
  p = pixel (s, W - 3, (int) h - 3);
  g_assert_cmpint (p.r, <, 80);
  /* The ruler's Step[1] band is tinted purple-ish (more red+blue than green). */
  band = style.phase[2];
  p = pixel (s, (int) sl_time_map_x (&view.tm, 390), 32 + 4);
  g_assert_cmpint (p.r + p.b, >, 2 * p.g);
  (void) band;

  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_time_map (void)
{
  SlTimeMap tm = { .t0 = 100, .t1 = 300, .x0 = 50, .width = 400 };

  g_assert_cmpfloat (sl_time_map_x (&tm, 100), ==, 50);
  g_assert_cmpfloat (sl_time_map_x (&tm, 300), ==, 450);
  g_assert_cmpfloat (sl_time_map_t (&tm, 250), ==, 200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/time-map", test_time_map);
  g_test_add_func ("/render/phase-bands", test_phase_bands);
  g_test_add_func ("/render/fail-marker-and-gap", test_fail_marker_and_gap);
  g_test_add_func ("/render/decimated-matches-full", test_decimated_matches_full);
  g_test_add_func ("/render/ruler-and-view", test_ruler_and_view);
  return g_test_run ();
}
