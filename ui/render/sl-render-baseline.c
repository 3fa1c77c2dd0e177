/* sl-render-baseline.c: a baseline run's series drawn over a track: dashed
 * and lighter than the run's own line, on the same y range, so a comparison
 * reads at a glance without hiding the current run. */
#include "sl-render-private.h"

#include <math.h>

static double
baseline_y (double v, double lo, double hi, double top, double bottom)
{
  double f = CLAMP ((v - lo) / (hi - lo), -4.0, 5.0);
  return bottom - f * (bottom - top);
}

SlRgba
sl_render_baseline_color (const SlRgba *series_color)
{
  SlRgba c = *series_color;

  c.a = 0.6;
  return c;
}

void
sl_render_baseline (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                    const SlRenderTrack *track, double top, double bottom)
{
  const SlPlotSeries *s = track->baseline;
  static const double dash[] = { 6.0, 4.0 };
  SlRgba c;
  gboolean pen = FALSE;
  double last_y = 0, last_x = -INFINITY;
  guint i;

  if (s == NULL || s->n == 0 || !(track->y_hi > track->y_lo))
    return;
  c = sl_render_baseline_color (&track->color);
  cairo_save (cr);
  sl_render_set_color (cr, &c);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);

  /* One point before and after the visible range, so the line enters and
   * leaves at the edges; points closer than a pixel are skipped. */
  i = sl_plot_series_lower_bound (s, tm->t0);
  if (i > 0)
    i--;
  for (; i < s->n; i++)
    {
      double x, yy;

      if (!s->ok[i] || !isfinite (s->v[i]))
        {
          pen = FALSE;
          continue;
        }
      x = sl_time_map_x (tm, s->t[i]);
      yy = baseline_y (s->v[i], track->y_lo, track->y_hi, top, bottom);
      if (pen && x - last_x < 1 && i + 1 < s->n)
        continue;
      if (!pen)
        cairo_move_to (cr, x, yy);
      else
        {
          if (track->style == SL_TRACK_STYLE_STEP)
            cairo_line_to (cr, x, last_y);
          cairo_line_to (cr, x, yy);
        }
      pen = TRUE;
      last_x = x;
      last_y = yy;
      if (s->t[i] > tm->t1)
        break;
    }
  cairo_stroke (cr);
  cairo_restore (cr);
  (void) style;
}
