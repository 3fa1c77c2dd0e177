/* bench-render-tracks: frame time of the timeline renderer.
 *
 * Draws 10 tracks × 100k points (a random walk per track, with gaps) into a
 * 1600 px wide image surface while panning and zooming, once through the
 * per-pixel min/max decimation the workbench uses and once as a plain
 * polyline of every point (the baseline). Prints median and p90 frame times
 * of both. Usage: bench-render-tracks [frames] [points-per-track] */
#include <math.h>
#include <stdlib.h>
#include "sl-render.h"

#define N_TRACKS 10
#define WIDTH 1600
#define TRACK_H 90.0

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *name, double *ms, guint n)
{
  qsort (ms, n, sizeof *ms, cmp_double);
  g_print ("%-26s median %7.2f ms   p90 %7.2f ms   (%u frames)\n",
           name, ms[n / 2], ms[(guint) MIN (n - 1, ceil (n * 0.9) - 1)], n);
}

int
main (int argc, char **argv)
{
  guint frames = argc > 1 ? (guint) atoi (argv[1]) : 40;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  SlPlotSeries *series[N_TRACKS];
  SlRenderTrack tracks[N_TRACKS];
  SlRenderStyle style;
  SlRenderPhase phases[] = { { 0, 0, n * 0.2, "BASELINE" }, { 1, n * 0.2, n * 0.6, "Step[0]" }, { 2, n * 0.6, n, "Step[1]" } };
  g_autofree double *t = g_new (double, n);
  g_autofree double *v = g_new (double, n);
  g_autofree double *decimated = g_new (double, frames);
  g_autofree double *full = g_new (double, frames);
  g_autofree SlBucket *scratch = g_new (SlBucket, WIDTH);
  GRand *r = g_rand_new_with_seed (1);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, (int) (N_TRACKS * TRACK_H));
  cairo_t *cr = cairo_create (surface);

  if (frames < 2 || n < 2)
    {
      g_printerr ("usage: %s [frames >= 2] [points >= 2]\n", argv[0]);
      return 2;
    }
  sl_render_style_init (&style, FALSE);
  for (guint k = 0; k < N_TRACKS; k++)
    {
      double acc = 0;
      for (guint i = 0; i < n; i++)
        {
          acc += g_rand_double_range (r, -1, 1);
          t[i] = i;
          v[i] = g_rand_int_range (r, 0, 5000) == 0 ? NAN : acc;
        }
      series[k] = sl_plot_series_new_from_arrays (t, v, n);
      tracks[k] = (SlRenderTrack) {
        .title = "walk", .subtitle = "f64", .series = series[k],
        .y_lo = series[k]->v_min, .y_hi = series[k]->v_max,
        .color = style.series[k % SL_RENDER_N_SERIES_COLORS],
      };
    }

  g_print ("%u tracks x %u points, %d px wide\n", N_TRACKS, n, WIDTH);
  for (guint pass = 0; pass < 2; pass++)
    for (guint f = 0; f < frames; f++)
      {
        /* Pan across the run while zooming from everything to a tenth. */
        double span = n * (1.0 - 0.9 * f / (frames - 1));
        double t0 = (n - span) * f / (frames - 1);
        SlTimeMap tm = { t0, t0 + span, SL_RENDER_HEADER_WIDTH, WIDTH - SL_RENDER_HEADER_WIDTH };
        gint64 start = g_get_monotonic_time ();

        for (guint k = 0; k < N_TRACKS; k++)
          {
            if (pass == 0)
              sl_render_track (cr, &style, &tm, phases, 3, &tracks[k], k * TRACK_H, TRACK_H, scratch, WIDTH);
            else
              {
                cairo_set_source_rgb (cr, 1, 1, 1);
                cairo_rectangle (cr, 0, k * TRACK_H, WIDTH, TRACK_H);
                cairo_fill (cr);
                sl_render_series_full (cr, &style, &tm, &tracks[k], k * TRACK_H, TRACK_H);
              }
          }
        cairo_surface_flush (surface);
        (pass == 0 ? decimated : full)[f] = (g_get_monotonic_time () - start) / 1000.0;
      }
  report ("decimated (workbench)", decimated, frames);
  report ("full polyline (baseline)", full, frames);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint k = 0; k < N_TRACKS; k++)
    sl_plot_series_unref (series[k]);
  g_rand_free (r);
  return 0;
}
