/* sl-window.h: a workbench window: greeter with recent runs, asynchronous
 * loading with progress and cancel, and the workbench (field browser,
 * timeline, verdict table, track and assertion panels). */
#pragma once

#include <adwaita.h>
#include "sl-session.h"
#include "sl-assertion-editor.h"
#include "sl-field-browser.h"
#include "sl-timeline.h"
#include "sl-verdict-table.h"

G_BEGIN_DECLS

#define SL_TYPE_WINDOW (sl_window_get_type ())
G_DECLARE_FINAL_TYPE (SlWindow, sl_window, SL, WINDOW, AdwApplicationWindow)

SlWindow          *sl_window_new (GtkApplication *app);
void               sl_window_open (SlWindow *self, GFile *file);
gboolean           sl_window_is_loading (SlWindow *self);
SlSession         *sl_window_get_session (SlWindow *self);
/* The last load's failure or warning text (NULL when none). */
const char        *sl_window_get_message (SlWindow *self);
SlFieldBrowser    *sl_window_get_field_browser (SlWindow *self);
SlAssertionEditor *sl_window_get_assertion_editor (SlWindow *self);
SlTimeline        *sl_window_get_timeline (SlWindow *self);
SlVerdictTable    *sl_window_get_verdict_table (SlWindow *self);
/* Export without a dialog (the dialogs call these). */
gboolean           sl_window_export_spec_to (SlWindow *self, const char *path, gboolean include_failing, GError **error);
gboolean           sl_window_export_image_to (SlWindow *self, const char *path, GError **error);

/* Live runs (sl-window-live.c): start `schedlab-cli run` with `args` writing
 * `output`, or follow an archive someone else is writing; the workbench shows
 * it as it grows. Stop keeps what was captured. */
gboolean           sl_window_start_run (SlWindow *self, const char *const *args, const char *output, GError **error);
void               sl_window_follow_run (SlWindow *self, const char *path);
void               sl_window_stop_run (SlWindow *self);
gboolean           sl_window_is_running (SlWindow *self);
/* The live run's status line ("Running · Step[0]") and details. */
const char        *sl_window_get_live_status (SlWindow *self);
const char        *sl_window_get_live_detail (SlWindow *self);
/* Compare mode (sl-window-compare.c): load a baseline run (asynchronously;
 * the session's "baseline-changed" says when it is there). */
void               sl_window_open_baseline (SlWindow *self, GFile *file);
GtkWidget         *sl_window_get_compare_pane (SlWindow *self);
const char        *sl_window_get_baseline_legend (SlWindow *self);

G_END_DECLS
