/* sl-render-util.c: text, colour and shape helpers shared by the renderers. */
#include "sl-render.h"
#include "sl-render-private.h"

#include <pango/pangocairo.h>

void
sl_render_set_color (cairo_t *cr, const SlRgba *c)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, c->a);
}

static PangoLayout *
make_layout (cairo_t *cr, const SlRenderStyle *style, const char *text, gboolean bold, double scale)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (style->font);

  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  if (scale != 1.0)
    pango_font_description_set_size (desc, (gint) (pango_font_description_get_size (desc) * scale));
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_font_description_free (desc);
  return layout;
}

/* Draws text with its top-left at (x, y), ellipsized to max_w when > 0.
 * Returns the drawn width. */
double
sl_render_draw_text (cairo_t *cr, const SlRenderStyle *style, const SlRgba *color, const char *text,
           double x, double y, double max_w, gboolean bold, double scale)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, text, bold, scale);
  int w, h;

  if (max_w > 0)
    {
      pango_layout_set_width (layout, (int) (max_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  sl_render_set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return w;
}

void
sl_render_text_size (cairo_t *cr, const SlRenderStyle *style, const char *text, gboolean bold, double scale,
           int *w, int *h)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, style, text, bold, scale);

  pango_layout_get_pixel_size (layout, w, h);
}

void
sl_render_rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

SlRgba
sl_render_phase_tint (const SlRenderStyle *style, guint16 phase)
{
  return style->phase[phase == 0 ? 0 : 1 + (phase - 1) % (SL_RENDER_N_PHASE_COLORS - 1)];
}
