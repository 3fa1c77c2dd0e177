/* sl-render.c: cairo + pango drawing of ruler and tracks. */
#include "sl-render.h"
#include "sl-render-private.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>
#include "sl-ticks.h"

#define RGBA(hex, alpha) { ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0, ((hex) & 0xff) / 255.0, (alpha) }

void
sl_render_style_init (SlRenderStyle *style, gboolean dark)
{
  /* GNOME HIG palette: blue 3, green 4, yellow 5, orange 3, red 3, purple 3, … */
  static const SlRgba series[SL_RENDER_N_SERIES_COLORS] = {
    RGBA (0x3584e4, 1), RGBA (0x9141ac, 1), RGBA (0x26a269, 1), RGBA (0xe66100, 1),
    RGBA (0x1c71d8, 1), RGBA (0xc64600, 1), RGBA (0x613583, 1), RGBA (0x2190a4, 1),
  };
  static const SlRgba series_dark[SL_RENDER_N_SERIES_COLORS] = {
    RGBA (0x62a0ea, 1), RGBA (0xc061cb, 1), RGBA (0x57e389, 1), RGBA (0xffa348, 1),
    RGBA (0x99c1f1, 1), RGBA (0xf66151, 1), RGBA (0xdc8add, 1), RGBA (0x5bc8af, 1),
  };
  static const SlRgba phases[SL_RENDER_N_PHASE_COLORS] = {
    RGBA (0x77767b, 0.10), RGBA (0x3584e4, 0.10), RGBA (0x9141ac, 0.10),
    RGBA (0x26a269, 0.10), RGBA (0xe5a50a, 0.12), RGBA (0xe66100, 0.10),
  };

  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->dark = dark;
  style->font = "Sans 9";
  if (dark)
    {
      style->background = (SlRgba) RGBA (0x1e1e1e, 1);
      style->header_background = (SlRgba) RGBA (0x303030, 1);
      style->foreground = (SlRgba) RGBA (0xffffff, 0.92);
      style->dim = (SlRgba) RGBA (0xffffff, 0.55);
      style->grid = (SlRgba) RGBA (0xffffff, 0.08);
      style->separator = (SlRgba) RGBA (0x000000, 0.45);
      style->accent = (SlRgba) RGBA (0x78aeed, 1);
      style->crosshair = (SlRgba) RGBA (0xffffff, 0.6);
      memcpy (style->series, series_dark, sizeof series_dark);
    }
  else
    {
      style->background = (SlRgba) RGBA (0xffffff, 1);
      style->header_background = (SlRgba) RGBA (0xf6f5f4, 1);
      style->foreground = (SlRgba) RGBA (0x000000, 0.8);
      style->dim = (SlRgba) RGBA (0x000000, 0.55);
      style->grid = (SlRgba) RGBA (0x000000, 0.07);
      style->separator = (SlRgba) RGBA (0x000000, 0.15);
      style->accent = (SlRgba) RGBA (0x1c71d8, 1);
      style->crosshair = (SlRgba) RGBA (0x000000, 0.55);
      memcpy (style->series, series, sizeof series);
    }
  style->selection = (SlRgba) RGBA (0x3584e4, 0.18);
  style->fail = (SlRgba) RGBA (0xe01b24, 1);
  style->pass = (SlRgba) RGBA (0x2ec27e, 1);
  style->inconclusive = (SlRgba) RGBA (0xe5a50a, 1);
  style->gap = dark ? (SlRgba) RGBA (0xffffff, 0.10) : (SlRgba) RGBA (0x000000, 0.08);
  memcpy (style->phase, phases, sizeof phases);
  if (dark)
    for (guint i = 0; i < SL_RENDER_N_PHASE_COLORS; i++)
      style->phase[i].a *= 1.6;
}

SlRgba
sl_render_style_phase_color (const SlRenderStyle *style, guint16 phase)
{
  SlRgba tint, bg, out;

  g_assert (style != NULL);

  tint = sl_render_phase_tint (style, phase);
  bg = style->background;
  out.r = tint.r * tint.a + bg.r * (1 - tint.a);
  out.g = tint.g * tint.a + bg.g * (1 - tint.a);
  out.b = tint.b * tint.a + bg.b * (1 - tint.a);
  out.a = 1;
  return out;
}

double
sl_time_map_x (const SlTimeMap *m, double t)
{
  return m->x0 + (t - m->t0) / (m->t1 - m->t0) * m->width;
}

double
sl_time_map_t (const SlTimeMap *m, double x)
{
  return m->t0 + (x - m->x0) / m->width * (m->t1 - m->t0);
}

static const SlRgba *
mark_color (const SlRenderStyle *style, SlMark mark)
{
  switch (mark)
    {
    case SL_MARK_FAIL:         return &style->fail;
    case SL_MARK_INCONCLUSIVE: return &style->inconclusive;
    case SL_MARK_NONE:
    default:                   return &style->pass;
    }
}

static void
draw_phase_bands (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                  const SlRenderPhase *phases, guint n_phases, double y, double height,
                  gboolean labels)
{
  for (guint i = 0; i < n_phases; i++)
    {
      double xa = MAX (sl_time_map_x (tm, phases[i].start_ms), tm->x0);
      double xb = MIN (sl_time_map_x (tm, phases[i].end_ms), tm->x0 + tm->width);
      SlRgba c = sl_render_style_phase_color (style, phases[i].phase);

      if (xb <= xa)
        continue;
      sl_render_set_color (cr, &c);
      cairo_rectangle (cr, xa, y, xb - xa, height);
      cairo_fill (cr);
      /* A hairline at each phase start makes adjacent bands readable. */
      if (phases[i].start_ms > tm->t0)
        {
          SlRgba edge = sl_render_phase_tint (style, phases[i].phase);
          edge.a = MIN (edge.a * 4, 0.6);
          sl_render_set_color (cr, &edge);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, floor (xa) + 0.5, y);
          cairo_line_to (cr, floor (xa) + 0.5, y + height);
          cairo_stroke (cr);
        }
      if (labels && phases[i].label && xb - xa > 40)
        sl_render_draw_text (cr, style, &style->dim, phases[i].label, xa + 4, y + 2, xb - xa - 8, FALSE, 0.85);
    }
}

static inline double
value_y (double v, double lo, double hi, double top, double bottom)
{
  double f = (v - lo) / (hi - lo);

  /* Clamp far outliers so cairo never sees huge coordinates. */
  f = CLAMP (f, -4.0, 5.0);
  return bottom - f * (bottom - top);
}

static void
draw_header (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
             const SlRenderTrack *track, double y, double height)
{
  double w = tm->x0, ty = y + 6, badge_w = 0;

  sl_render_set_color (cr, &style->header_background);
  cairo_rectangle (cr, 0, y, w, height);
  cairo_fill (cr);
  if (track->selected)
    {
      sl_render_set_color (cr, &style->accent);
      cairo_rectangle (cr, 0, y, 4, height);
      cairo_fill (cr);
    }
  /* Colour key of the series. */
  sl_render_set_color (cr, &track->color);
  sl_render_rounded_rect (cr, 12, ty + 3, 10, 10, 3);
  cairo_fill (cr);

  if (track->badge)
    {
      int bw, bh;
      SlRgba fg = { 1, 1, 1, 1 };

      sl_render_text_size (cr, style, track->badge, TRUE, 0.8, &bw, &bh);
      badge_w = bw + 12;
      sl_render_set_color (cr, mark_color (style, track->badge_kind));
      sl_render_rounded_rect (cr, w - badge_w - 8, ty + 1, badge_w, bh + 4, (bh + 4) / 2.0);
      cairo_fill (cr);
      sl_render_draw_text (cr, style, &fg, track->badge, w - badge_w - 2, ty + 3, 0, TRUE, 0.8);
      badge_w += 8;
    }
  sl_render_draw_text (cr, style, &style->foreground, track->title, 28, ty, w - 36 - badge_w,
             TRUE, track->compact ? 0.9 : 1.0);
  if (!track->compact || height >= 44)
    {
      ty += 18;
      if (track->subtitle)
        sl_render_draw_text (cr, style, &style->dim, track->subtitle, 12, ty, w - 20, FALSE, 0.85);
      ty += 16;
    }
  if (track->has_stats && ty + 14 <= y + height)
    {
      g_autofree char *a = sl_format_value (track->stat_min, 0);
      g_autofree char *b = sl_format_value (track->stat_max, 0);
      g_autofree char *c = sl_format_value (track->stat_mean, 0);
      g_autofree char *line = g_strdup_printf ("min %s · max %s · avg %s", a, b, c);

      sl_render_draw_text (cr, style, &style->dim, line, 12, ty, w - 20, FALSE, 0.8);
    }
  /* Vertical separator between header and plot. */
  sl_render_set_color (cr, &style->separator);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, w - 0.5, y);
  cairo_line_to (cr, w - 0.5, y + height);
  cairo_stroke (cr);
}

static void
draw_grid (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
           const SlRenderTrack *track, double top, double bottom, gboolean labels)
{
  double ticks[16], step = 0;
  guint n;

  cairo_set_line_width (cr, 1);
  sl_render_set_color (cr, &style->grid);
  n = sl_ticks_compute (tm->t0, tm->t1, (tm->t1 - tm->t0) * 90 / tm->width, ticks, 16, &step);
  for (guint i = 0; i < n; i++)
    {
      double x = floor (sl_time_map_x (tm, ticks[i])) + 0.5;
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
    }
  cairo_stroke (cr);

  if (bottom - top < 24)
    return;
  n = sl_ticks_compute (track->y_lo, track->y_hi,
                        (track->y_hi - track->y_lo) * 22 / (bottom - top), ticks, 8, &step);
  for (guint i = 0; i < n; i++)
    {
      double yy = floor (value_y (ticks[i], track->y_lo, track->y_hi, top, bottom)) + 0.5;

      sl_render_set_color (cr, &style->grid);
      cairo_move_to (cr, tm->x0, yy);
      cairo_line_to (cr, tm->x0 + tm->width, yy);
      cairo_stroke (cr);
      if (labels && yy - 12 > top)
        {
          g_autofree char *text = sl_format_value (ticks[i], step);
          int w, h;

          sl_render_text_size (cr, style, text, FALSE, 0.75, &w, &h);
          sl_render_draw_text (cr, style, &style->dim, text, tm->x0 + tm->width - w - 4, yy - h, 0, FALSE, 0.75);
        }
    }
}

static void
draw_series (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
             const SlRenderTrack *track, double top, double bottom,
             SlBucket *scratch, guint n_scratch)
{
  const SlPlotSeries *s = track->series;
  SlDecimateEdges edges;
  guint nb = MIN (n_scratch, (guint) MAX (1.0, ceil (tm->width)));
  double bw = tm->width / nb, lo = track->y_lo, hi = track->y_hi;
  gboolean have_point = FALSE;
  double last_y = 0;

  if (nb == 0 || scratch == NULL)
    return;
  sl_decimate (s, tm->t0, tm->t1, scratch, nb, &edges);

  /* Gaps first, so the line and markers draw over them: a hatched strip,
   * neutral so it never reads as a failure. */
  for (guint b = 0; b < nb; b++)
    if (scratch[b].n_gap > 0)
      {
        double x = tm->x0 + (b + 0.5) * bw, gw = MAX (bw, 8);

        cairo_save (cr);
        cairo_rectangle (cr, x - gw / 2, top, gw, bottom - top);
        cairo_clip_preserve (cr);
        sl_render_set_color (cr, &style->gap);
        cairo_fill (cr);
        cairo_set_line_width (cr, 1);
        sl_render_set_color (cr, &style->dim);
        for (double yy = top - gw; yy < bottom; yy += 5)
          {
            cairo_move_to (cr, x - gw / 2, yy + gw);
            cairo_line_to (cr, x + gw / 2, yy);
          }
        cairo_stroke (cr);
        cairo_restore (cr);
      }

  sl_render_set_color (cr, &track->color);
  if (edges.n_points > nb)
    {
      /* Denser than the pixels: fill the min/max envelope of each unbroken
       * run of columns as one polygon (Perfetto's approach). One fill of
       * 2 × width vertices is far cheaper than stroking a zig-zag through
       * every column, and looks the same at this resolution. */
      const double hw = 0.75;
      guint b = 0;

      while (b < nb)
        {
          guint start, end;

          if (scratch[b].n_ok == 0)
            {
              b++;
              continue;
            }
          start = end = b;
          while (end + 1 < nb && scratch[end + 1].n_ok > 0 && !scratch[end + 1].break_before)
            end++;
          cairo_move_to (cr, tm->x0 + (start + 0.5) * bw - hw, value_y (scratch[start].max, lo, hi, top, bottom) - hw);
          for (guint k = start; k <= end; k++)
            cairo_line_to (cr, tm->x0 + (k + 0.5) * bw, value_y (scratch[k].max, lo, hi, top, bottom) - hw);
          cairo_line_to (cr, tm->x0 + (end + 0.5) * bw + hw, value_y (scratch[end].max, lo, hi, top, bottom) - hw);
          cairo_line_to (cr, tm->x0 + (end + 0.5) * bw + hw, value_y (scratch[end].min, lo, hi, top, bottom) + hw);
          for (guint k = end + 1; k-- > start;)
            cairo_line_to (cr, tm->x0 + (k + 0.5) * bw, value_y (scratch[k].min, lo, hi, top, bottom) + hw);
          cairo_line_to (cr, tm->x0 + (start + 0.5) * bw - hw, value_y (scratch[start].min, lo, hi, top, bottom) + hw);
          cairo_close_path (cr);
          b = end + 1;
        }
      cairo_fill (cr);
      goto marks;
    }

  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (edges.has_lead_in)
    {
      last_y = value_y (edges.lead_in_v, lo, hi, top, bottom);
      cairo_move_to (cr, sl_time_map_x (tm, edges.lead_in_t), last_y);
      have_point = TRUE;
    }
  for (guint b = 0; b < nb; b++)
    {
      const SlBucket *k = &scratch[b];
      double x, y_first;

      if (k->n_ok == 0)
        continue;
      /* Exact x for the first point keeps sparse series in place; dense
       * columns use the column centre. */
      x = k->n_ok == 1 ? sl_time_map_x (tm, s->t[k->first_index]) : tm->x0 + (b + 0.5) * bw;
      y_first = value_y (k->first, lo, hi, top, bottom);
      if (k->break_before || !have_point)
        cairo_move_to (cr, x, y_first);
      else
        {
          if (track->style == SL_TRACK_STYLE_STEP)
            cairo_line_to (cr, x, last_y);
          cairo_line_to (cr, x, y_first);
        }
      if (k->n_ok > 1)
        {
          cairo_line_to (cr, x, value_y (k->max, lo, hi, top, bottom));
          cairo_line_to (cr, x, value_y (k->min, lo, hi, top, bottom));
          cairo_line_to (cr, x, value_y (k->last, lo, hi, top, bottom));
        }
      last_y = value_y (k->last, lo, hi, top, bottom);
      have_point = TRUE;
    }
  if (have_point && edges.has_lead_out && !edges.lead_out_break)
    {
      double x = sl_time_map_x (tm, edges.lead_out_t);
      if (track->style == SL_TRACK_STYLE_STEP)
        cairo_line_to (cr, x, last_y);
      cairo_line_to (cr, x, value_y (edges.lead_out_v, lo, hi, top, bottom));
    }
  cairo_stroke (cr);

  /* Dots for sparse data, so single samples between gaps stay visible. */
  if (edges.n_points > 0 && edges.n_points * 8 < tm->width)
    {
      guint i = sl_plot_series_lower_bound (s, tm->t0);

      for (; i < s->n && s->t[i] < tm->t1; i++)
        {
          if (!s->ok[i] || !isfinite (s->v[i]))
            continue;
          cairo_arc (cr, sl_time_map_x (tm, s->t[i]), value_y (s->v[i], lo, hi, top, bottom),
                     2.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }

marks:
  /* Verdict marks on the samples they are about. */
  if (track->marks)
    {
      guint i = sl_plot_series_lower_bound (s, tm->t0);

      for (; i < s->n && s->t[i] < tm->t1; i++)
        {
          double x, yy;

          if (track->marks[i] == SL_MARK_NONE)
            continue;
          x = sl_time_map_x (tm, s->t[i]);
          sl_render_set_color (cr, mark_color (style, track->marks[i]));
          if (s->ok[i] && isfinite (s->v[i]))
            {
              yy = value_y (s->v[i], lo, hi, top, bottom);
              cairo_arc (cr, x, yy, 4.5, 0, 2 * G_PI);
              cairo_fill (cr);
            }
          else
            {
              /* An errored sample has no value: a triangle on the baseline. */
              cairo_move_to (cr, x, bottom - 9);
              cairo_line_to (cr, x - 5, bottom);
              cairo_line_to (cr, x + 5, bottom);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
        }
    }
}

void
sl_render_track (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                 const SlRenderPhase *phases, guint n_phases,
                 const SlRenderTrack *track, double y, double height,
                 SlBucket *scratch, guint n_scratch)
{
  double top, bottom;

  g_return_if_fail (cr != NULL && style != NULL && tm != NULL && track != NULL);
  if (!(tm->t1 > tm->t0) || tm->width < 1 || height < 1)
    return;

  cairo_save (cr);
  draw_header (cr, style, tm, track, y, height);

  cairo_rectangle (cr, tm->x0, y, tm->width, height);
  cairo_clip (cr);
  sl_render_set_color (cr, &style->background);
  cairo_paint (cr);
  draw_phase_bands (cr, style, tm, phases, n_phases, y, height, !track->compact);

  top = y + (track->compact ? 3 : 20);
  bottom = y + height - 4;
  if (track->series != NULL && track->y_hi > track->y_lo)
    {
      draw_grid (cr, style, tm, track, top, bottom, !track->compact);

      /* Verdict spans under the series: the region an outcome is about. */
      for (guint i = 0; i < track->n_spans; i++)
        {
          SlRgba c = *mark_color (style, track->spans[i].mark);
          double xa = sl_time_map_x (tm, track->spans[i].t_first);
          double xb = sl_time_map_x (tm, track->spans[i].t_last);

          c.a = 0.12;
          sl_render_set_color (cr, &c);
          if (xb - xa < 4)
            {
              xa -= 2;
              xb += 2;
            }
          cairo_rectangle (cr, xa, y, xb - xa, height);
          cairo_fill (cr);
        }
      sl_render_baseline (cr, style, tm, track, top, bottom);
      draw_series (cr, style, tm, track, top, bottom, scratch, n_scratch);
    }
  else if (track->message)
    {
      int w, h;
      sl_render_text_size (cr, style, track->message, FALSE, 1.0, &w, &h);
      sl_render_draw_text (cr, style, &style->dim, track->message,
                 tm->x0 + MAX (8, (tm->width - w) / 2), y + (height - h) / 2, tm->width - 16, FALSE, 1.0);
    }
  cairo_restore (cr);

  /* Row separator. */
  sl_render_set_color (cr, &style->separator);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 0, floor (y + height) - 0.5);
  cairo_line_to (cr, tm->x0 + tm->width, floor (y + height) - 0.5);
  cairo_stroke (cr);
}

void
sl_render_series_full (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                       const SlRenderTrack *track, double y, double height)
{
  const SlPlotSeries *s = track->series;
  double top = y + 20, bottom = y + height - 4;
  gboolean pen = FALSE;

  g_return_if_fail (cr != NULL && track != NULL);
  if (s == NULL)
    return;
  cairo_save (cr);
  cairo_rectangle (cr, tm->x0, y, tm->width, height);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  sl_render_set_color (cr, &track->color);
  for (guint i = 0; i < s->n; i++)
    {
      double x, yy;

      if (!s->ok[i])
        {
          pen = FALSE;
          continue;
        }
      x = sl_time_map_x (tm, s->t[i]);
      yy = value_y (s->v[i], track->y_lo, track->y_hi, top, bottom);
      if (pen)
        cairo_line_to (cr, x, yy);
      else
        cairo_move_to (cr, x, yy);
      pen = TRUE;
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

