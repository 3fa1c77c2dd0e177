/* sl-track-panel.h: settings of the selected track: counter mode (value,
 * delta, rate), y-range policy (auto, whole run, fixed bounds), line or step
 * drawing, and removal. */
#pragma once

#include <gtk/gtk.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_TRACK_PANEL (sl_track_panel_get_type ())
G_DECLARE_FINAL_TYPE (SlTrackPanel, sl_track_panel, SL, TRACK_PANEL, GtkWidget)

GtkWidget *sl_track_panel_new (void);
void       sl_track_panel_set_session (SlTrackPanel *self, SlSession *session);

G_END_DECLS
