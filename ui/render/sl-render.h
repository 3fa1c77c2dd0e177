/* sl-render.h: cairo-only drawing of the timeline (ruler, tracks, phase bands,
 * verdict marks, crosshair, selection, hover readout).
 *
 * Nothing here knows about GTK: the widgets call these functions from
 * gtk_snapshot_append_cairo(), the exporter calls them on PNG/SVG/PDF
 * surfaces, and the tests call them on image surfaces and probe pixels. Every
 * function takes the geometry it draws into explicitly; there is no state. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include "sl-decimate.h"
#include "sl-plot-series.h"

G_BEGIN_DECLS

typedef struct {
  double r, g, b, a;
} SlRgba;

#define SL_RENDER_N_PHASE_COLORS 6
#define SL_RENDER_N_SERIES_COLORS 8

typedef struct {
  gboolean dark;
  SlRgba   background;       /* plot area */
  SlRgba   header_background;
  SlRgba   foreground;       /* titles, values */
  SlRgba   dim;              /* secondary text */
  SlRgba   grid;
  SlRgba   separator;
  SlRgba   accent;           /* selection outline, selected track */
  SlRgba   selection;        /* drag-selected time range */
  SlRgba   crosshair;
  SlRgba   fail;
  SlRgba   pass;
  SlRgba   inconclusive;
  SlRgba   gap;              /* hatching of errored samples */
  SlRgba   phase[SL_RENDER_N_PHASE_COLORS];   /* band tints; [0] is BASELINE */
  SlRgba   series[SL_RENDER_N_SERIES_COLORS];
  const char *font;          /* Pango font description, e.g. "Sans 9" */
} SlRenderStyle;

/* GNOME palette colours for light or dark mode. */
void   sl_render_style_init (SlRenderStyle *style, gboolean dark);
/* Opaque colour of a phase band as it appears over the plot background. */
SlRgba sl_render_style_phase_color (const SlRenderStyle *style, guint16 phase);

/* Time ↔ x over the plot area [x0, x0 + width). */
typedef struct {
  double t0, t1;       /* visible elapsed ms, t1 > t0 */
  double x0, width;    /* px */
} SlTimeMap;

double sl_time_map_x (const SlTimeMap *m, double t);
double sl_time_map_t (const SlTimeMap *m, double x);

typedef struct {
  guint16     phase;
  double      start_ms, end_ms;
  const char *label;   /* "BASELINE", "Step[0]" */
} SlRenderPhase;

typedef enum {
  SL_TRACK_STYLE_LINE,
  SL_TRACK_STYLE_STEP,
} SlTrackStyle;

/* Per-point marks painted from a verdict. */
typedef enum {
  SL_MARK_NONE = 0,
  SL_MARK_FAIL = 1,
  SL_MARK_INCONCLUSIVE = 2,
} SlMark;

typedef struct {
  double        t_first, t_last;   /* ms */
  SlMark        mark;
} SlRenderSpan;

typedef struct {
  const char          *title;
  const char          *subtitle;       /* selector, mode, unit */
  const char          *badge;          /* verdict text ("PASS", "FAIL", …) or NULL */
  SlMark               badge_kind;     /* colour of the badge; NONE = pass */
  const SlPlotSeries  *series;         /* may be NULL (nothing projected yet) */
  const char          *message;        /* shown in the plot when there is no series */
  SlTrackStyle         style;
  double               y_lo, y_hi;     /* resolved y range, y_hi > y_lo */
  SlRgba               color;
  const guint8        *marks;          /* SlMark per series point, or NULL */
  const SlRenderSpan  *spans;          /* verdict time ranges, or NULL */
  guint                n_spans;
  gboolean             selected;
  gboolean             compact;        /* member of a per-CPU group: no phase labels */
  gboolean             has_stats;      /* min/max/mean over the visible range */
  double               stat_min, stat_max, stat_mean;
  const SlPlotSeries  *baseline;       /* a baseline run's series, already on this run's time; or NULL */
} SlRenderTrack;

/* Where things go inside a track row. */
#define SL_RENDER_HEADER_WIDTH  220.0
#define SL_RENDER_RULER_HEIGHT   40.0

/* Draws one track row at [0, y) … [x0 + width, y + height): header on the left
 * of tm->x0, phase bands, grid, the decimated series (scratch holds at least
 * n_scratch >= tm->width buckets; when smaller, fewer buckets are used), gaps
 * hatched, verdict spans and marks in red. */
void sl_render_track (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                      const SlRenderPhase *phases, guint n_phases,
                      const SlRenderTrack *track, double y, double height,
                      SlBucket *scratch, guint n_scratch);

/* The colour a baseline series is drawn in (lighter than the run's). */
SlRgba sl_render_baseline_color (const SlRgba *series_color);

/* Draws every point of the series as one polyline without decimation (the
 * benchmark's baseline). */
void sl_render_series_full (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                            const SlRenderTrack *track, double y, double height);

/* The time ruler: adaptive ticks and phase labels in coloured bands. */
void sl_render_ruler (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                      const SlRenderPhase *phases, guint n_phases,
                      double y, double height);

/* Vertical crosshair at time t through [y0, y1]. */
void sl_render_crosshair (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                          double t, double y0, double y1);
/* Shaded selection [ta, tb] (any order) through [y0, y1]. */
void sl_render_selection (cairo_t *cr, const SlRenderStyle *style, const SlTimeMap *tm,
                          double ta, double tb, double y0, double y1);
/* A readout box near (x, y) with lines of text, kept inside [0, max_w) × [0, max_h). */
void sl_render_readout (cairo_t *cr, const SlRenderStyle *style, double x, double y,
                        const char *const *lines, double max_w, double max_h);

/* Whole view for export and benchmarks: the ruler then each track, stacked. */
typedef struct {
  const SlRenderStyle *style;
  SlTimeMap            tm;          /* x0 is the header width */
  const SlRenderPhase *phases;
  guint                n_phases;
  const SlRenderTrack *tracks;
  guint                n_tracks;
  double               track_height;
  double               compact_height;
  const char          *title;       /* drawn above the ruler when not NULL */
} SlRenderView;

/* Total height sl_render_view() draws. */
double sl_render_view_height (const SlRenderView *view);
void   sl_render_view (cairo_t *cr, const SlRenderView *view);

G_END_DECLS
