/* sl-compare-pane.h: per-phase A/B deltas of every track against the
 * session's baseline run (core's sl-compare: a counter by its per-phase
 * increase, a gauge by its per-phase mean), as a table of tracks × phases. */
#pragma once

#include <gtk/gtk.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_COMPARE_PANE (sl_compare_pane_get_type ())
G_DECLARE_FINAL_TYPE (SlComparePane, sl_compare_pane, SL, COMPARE_PANE, GtkWidget)

GtkWidget *sl_compare_pane_new (void);
void       sl_compare_pane_set_session (SlComparePane *self, SlSession *session);
/* The text of a cell (row = track, column = phase index in the table), for
 * tests and accessibility; NULL when out of range. */
char      *sl_compare_pane_dup_cell (SlComparePane *self, guint row, guint column);
guint      sl_compare_pane_get_n_rows (SlComparePane *self);
guint      sl_compare_pane_get_n_columns (SlComparePane *self);

G_END_DECLS
