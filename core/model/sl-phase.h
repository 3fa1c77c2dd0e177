/* sl-phase.h: phase encoding, exactly ktstr's Phase(u16): BASELINE = 0, Step[k] = k + 1. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_PHASE_BASELINE ((guint16) 0)

/* Phase of step k (saturating at G_MAXUINT16). */
guint16   sl_phase_step (guint k);
/* "BASELINE" or "Step[k]"; newly allocated. */
char     *sl_phase_label (guint16 phase);
/* Parses "BASELINE", "Step[k]" or a raw encoded number ("0", "3"). */
gboolean  sl_phase_parse (const char *text, guint16 *out);

G_END_DECLS
