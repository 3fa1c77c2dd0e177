/* sl-timeline.h: the shared-time-axis view of a session: a ruler with phase
 * bands and every track below it, with crosshair, hover readout, drag-select,
 * zoom and pan. Drawing is delegated to ui/render. */
#pragma once

#include <gtk/gtk.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_TIMELINE (sl_timeline_get_type ())
G_DECLARE_FINAL_TYPE (SlTimeline, sl_timeline, SL, TIMELINE, GtkWidget)

GtkWidget *sl_timeline_new (void);
void       sl_timeline_set_session (SlTimeline *self, SlSession *session);
SlSession *sl_timeline_get_session (SlTimeline *self);
/* Scrolls vertically so track i is visible. */
void       sl_timeline_scroll_to_track (SlTimeline *self, guint i);

G_END_DECLS
