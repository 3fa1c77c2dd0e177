/* sl-view-model.h: turns a session's tracks into what the renderer draws
 * (titles, resolved y ranges, stats over the visible range, verdict badges).
 * Shared by the timeline widget and the image exporter, so an exported picture
 * is exactly what is on screen. No GTK. */
#pragma once

#include <glib.h>
#include "sl-session.h"
#include "sl-render.h"

G_BEGIN_DECLS

typedef struct {
  GArray    *tracks;    /* SlRenderTrack, one per session track */
  GPtrArray *strings;   /* storage for the tracks' text */
} SlViewModel;

SlViewModel *sl_view_model_build (SlSession *session, const SlRenderStyle *style,
                                  double t0, double t1, gint selected);
void         sl_view_model_free  (SlViewModel *vm);

/* Row heights used by every view. */
#define SL_TRACK_HEIGHT          100.0
#define SL_TRACK_COMPACT_HEIGHT   44.0

double sl_view_model_track_height (const SlRenderTrack *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlViewModel, sl_view_model_free)

G_END_DECLS
