/* sl-assertion-editor.h: authoring an assertion on the selected track: pick a
 * pattern (every pattern of the temporal engine), its parameters (prefilled
 * from the data), a name and the phase scope; the verdict updates as you type
 * and its failing samples are painted on the track. */
#pragma once

#include <gtk/gtk.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_TYPE_ASSERTION_EDITOR (sl_assertion_editor_get_type ())
G_DECLARE_FINAL_TYPE (SlAssertionEditor, sl_assertion_editor, SL, ASSERTION_EDITOR, GtkWidget)

GtkWidget *sl_assertion_editor_new (void);
void       sl_assertion_editor_set_session (SlAssertionEditor *self, SlSession *session);
/* Selects a pattern by its spec name; FALSE when unknown. */
gboolean   sl_assertion_editor_set_pattern (SlAssertionEditor *self, const char *name);
/* Sets a parameter's text as if typed; FALSE when the pattern has no such parameter. */
gboolean   sl_assertion_editor_set_param (SlAssertionEditor *self, const char *key, const char *text);
/* Commits the draft to the session's authored assertions; FALSE when invalid. */
gboolean   sl_assertion_editor_commit (SlAssertionEditor *self);

G_END_DECLS
