/* sl-render-private.h: helpers shared by the ui/render files. */
#pragma once

#include "sl-render.h"

G_BEGIN_DECLS

void   sl_render_set_color    (cairo_t *cr, const SlRgba *c);
/* Draws text with its top-left at (x, y), ellipsized to max_w when > 0;
 * returns the drawn width. */
double sl_render_draw_text    (cairo_t *cr, const SlRenderStyle *style, const SlRgba *color, const char *text,
                               double x, double y, double max_w, gboolean bold, double scale);
void   sl_render_text_size    (cairo_t *cr, const SlRenderStyle *style, const char *text, gboolean bold,
                               double scale, int *w, int *h);
void   sl_render_rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r);
/* The (translucent) tint of a phase band. */
SlRgba sl_render_phase_tint   (const SlRenderStyle *style, guint16 phase);

/* A track's baseline series, dashed, between top and bottom of its plot. */
void   sl_render_baseline     (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                               const SlRenderTrack *track, double top, double bottom);

G_END_DECLS
