/* sl-verdict-table.h: every authored assertion × every phase, with the
 * verdict in each cell. Activating a failure zooms the timeline to it. */
#pragma once

#include <gtk/gtk.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_VERDICT_TABLE (sl_verdict_table_get_type ())
G_DECLARE_FINAL_TYPE (SlVerdictTable, sl_verdict_table, SL, VERDICT_TABLE, GtkWidget)

GtkWidget *sl_verdict_table_new (void);
void       sl_verdict_table_set_session (SlVerdictTable *self, SlSession *session);
/* Same as activating row `row` (phase -1 = the whole scope). */
gboolean   sl_verdict_table_activate (SlVerdictTable *self, guint row, gint phase_index);

G_END_DECLS
