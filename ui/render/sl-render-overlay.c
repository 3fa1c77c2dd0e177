/* sl-render-overlay.c: the time ruler and what is drawn over the tracks
 * (crosshair, selection, hover readout), and the whole-view composition used
 * by exports and benchmarks. */
#include "sl-render.h"
#include "sl-render-private.h"

#include <math.h>
#include "sl-ticks.h"

void
sl_render_ruler (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                 const SlRenderPhase *phases, guint n_phases, double y, double height)
{
  double ticks[32], step = 0, band_h = height / 2;
  guint n;

  g_return_if_fail (cr != NULL && style != NULL && tm != NULL);
  if (!(tm->t1 > tm->t0) || tm->width < 1)
    return;

  cairo_save (cr);
  sl_render_set_color (cr, &style->header_background);
  cairo_rectangle (cr, 0, y, tm->x0 + tm->width, height);
  cairo_fill (cr);
  sl_render_draw_text (cr, style, &style->dim, "Phase", 12, y + 3, tm->x0 - 20, FALSE, 0.85);
  sl_render_draw_text (cr, style, &style->dim, "Elapsed", 12, y + band_h + 3, tm->x0 - 20, FALSE, 0.85);

  cairo_rectangle (cr, tm->x0, y, tm->width, height);
  cairo_clip (cr);

  /* Phase bands in the top half, labelled and centred when they fit. */
  for (guint i = 0; i < n_phases; i++)
    {
      double xa = MAX (sl_time_map_x (tm, phases[i].start_ms), tm->x0);
      double xb = MIN (sl_time_map_x (tm, phases[i].end_ms), tm->x0 + tm->width);
      SlRgba c = sl_render_phase_tint (style, phases[i].phase);
      int w, h;

      if (xb <= xa)
        continue;
      c.a = MIN (c.a * 3, 0.5);
      sl_render_set_color (cr, &c);
      sl_render_rounded_rect (cr, xa + 1, y + 2, MAX (xb - xa - 2, 1), band_h - 3, 4);
      cairo_fill (cr);
      if (phases[i].label && xb - xa > 24)
        {
          sl_render_text_size (cr, style, phases[i].label, TRUE, 0.85, &w, &h);
          sl_render_draw_text (cr, style, &style->foreground, phases[i].label,
                     xa + MAX (4, (xb - xa - w) / 2), y + 2 + (band_h - 3 - h) / 2, xb - xa - 8, TRUE, 0.85);
        }
    }

  n = sl_ticks_compute (tm->t0, tm->t1, (tm->t1 - tm->t0) * 90 / tm->width, ticks, 32, &step);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < n; i++)
    {
      double x = floor (sl_time_map_x (tm, ticks[i])) + 0.5;
      g_autofree char *label = sl_format_time_ms (ticks[i], step);

      sl_render_set_color (cr, &style->dim);
      cairo_move_to (cr, x, y + height - 6);
      cairo_line_to (cr, x, y + height);
      cairo_stroke (cr);
      sl_render_draw_text (cr, style, &style->foreground, label, x + 3, y + band_h + 2, 0, FALSE, 0.85);
    }
  cairo_restore (cr);

  sl_render_set_color (cr, &style->separator);
  cairo_move_to (cr, 0, floor (y + height) - 0.5);
  cairo_line_to (cr, tm->x0 + tm->width, floor (y + height) - 0.5);
  cairo_stroke (cr);
}

void
sl_render_crosshair (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                     double t, double y0, double y1)
{
  double x;

  g_return_if_fail (cr != NULL && style != NULL && tm != NULL);
  x = floor (sl_time_map_x (tm, t)) + 0.5;
  if (x < tm->x0 || x > tm->x0 + tm->width)
    return;
  cairo_save (cr);
  sl_render_set_color (cr, &style->crosshair);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, y0);
  cairo_line_to (cr, x, y1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
sl_render_selection (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                     double ta, double tb, double y0, double y1)
{
  double xa, xb;

  g_return_if_fail (cr != NULL && style != NULL && tm != NULL);
  xa = MAX (sl_time_map_x (tm, MIN (ta, tb)), tm->x0);
  xb = MIN (sl_time_map_x (tm, MAX (ta, tb)), tm->x0 + tm->width);
  if (xb <= xa)
    return;
  cairo_save (cr);
  sl_render_set_color (cr, &style->selection);
  cairo_rectangle (cr, xa, y0, xb - xa, y1 - y0);
  cairo_fill (cr);
  sl_render_set_color (cr, &style->accent);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, floor (xa) + 0.5, y0);
  cairo_line_to (cr, floor (xa) + 0.5, y1);
  cairo_move_to (cr, floor (xb) + 0.5, y0);
  cairo_line_to (cr, floor (xb) + 0.5, y1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
sl_render_readout (cairo_t *cr, const SlRenderStyle *style, double x, double y,
                   const char *const *lines, double max_w, double max_h)
{
  double w = 0, h = 8, bx, by, ty;
  SlRgba bg = style->dark ? (SlRgba) { 0.16, 0.16, 0.16, 0.96 } : (SlRgba) { 1, 1, 1, 0.97 };

  g_return_if_fail (cr != NULL && style != NULL && lines != NULL);
  for (guint i = 0; lines[i]; i++)
    {
      int lw, lh;
      sl_render_text_size (cr, style, lines[i], i == 0, 1.0, &lw, &lh);
      w = MAX (w, lw);
      h += lh + 1;
    }
  w += 16;
  bx = x + 14;
  by = y + 14;
  if (bx + w > max_w)
    bx = x - 14 - w;
  if (by + h > max_h)
    by = MAX (0, max_h - h - 2);
  bx = MAX (bx, 0);

  cairo_save (cr);
  sl_render_rounded_rect (cr, bx, by, w, h, 6);
  sl_render_set_color (cr, &bg);
  cairo_fill_preserve (cr);
  sl_render_set_color (cr, &style->separator);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  ty = by + 4;
  for (guint i = 0; lines[i]; i++)
    {
      int lw, lh;
      sl_render_text_size (cr, style, lines[i], i == 0, 1.0, &lw, &lh);
      sl_render_draw_text (cr, style, i == 0 ? &style->foreground : &style->dim, lines[i], bx + 8, ty, 0, i == 0, 1.0);
      ty += lh + 1;
    }
  cairo_restore (cr);
}

double
sl_render_view_height (const SlRenderView *view)
{
  double h;

  g_return_val_if_fail (view != NULL, 0);
  h = SL_RENDER_RULER_HEIGHT + (view->title ? 32 : 0);
  for (guint i = 0; i < view->n_tracks; i++)
    h += view->tracks[i].compact ? view->compact_height : view->track_height;
  return h;
}

void
sl_render_view (cairo_t *cr, const SlRenderView *view)
{
  g_autofree SlBucket *scratch = NULL;
  guint n_scratch;
  double y = 0;

  g_return_if_fail (cr != NULL && view != NULL && view->style != NULL);

  n_scratch = (guint) MAX (1, ceil (view->tm.width));
  scratch = g_new (SlBucket, n_scratch);
  sl_render_set_color (cr, &view->style->background);
  cairo_paint (cr);
  if (view->title)
    {
      sl_render_draw_text (cr, view->style, &view->style->foreground, view->title, 12, 8,
                 view->tm.x0 + view->tm.width - 24, TRUE, 1.2);
      y += 32;
    }
  sl_render_ruler (cr, view->style, &view->tm, view->phases, view->n_phases, y, SL_RENDER_RULER_HEIGHT);
  y += SL_RENDER_RULER_HEIGHT;
  for (guint i = 0; i < view->n_tracks; i++)
    {
      double h = view->tracks[i].compact ? view->compact_height : view->track_height;

      sl_render_track (cr, view->style, &view->tm, view->phases, view->n_phases,
                       &view->tracks[i], y, h, scratch, n_scratch);
      y += h;
    }
}
