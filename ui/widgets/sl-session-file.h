/* sl-session-file.h: saving and restoring what was on screen for a run
 * (tracks and their settings, zoom, selected track, authored assertions) as a
 * small JSON document, next to the archive when that directory is writable,
 * else in $XDG_DATA_HOME/schedlab/sessions/. The document is untrusted on
 * load: unknown selectors or bad values are skipped, never fatal. */
#pragma once

#include <glib.h>
#include "sl-session.h"

G_BEGIN_DECLS

#define SL_SESSION_FILE_FORMAT  "schedlab-session"
#define SL_SESSION_FILE_VERSION 1
#define SL_SESSION_FILE_MAX_BYTES ((gsize) 8 * 1024 * 1024)
#define SL_SESSION_FILE_MAX_TRACKS 2000

char    *sl_session_file_to_data (SlSession *session);
/* Applies a document to a fresh session. */
gboolean sl_session_file_apply   (SlSession *session, const char *data, gsize len, GError **error);

/* Where the session of `archive_path` lives: beside it, or the data dir. */
char    *sl_session_file_path_beside (const char *archive_path);
char    *sl_session_file_path_in_data_dir (const char *archive_path);

/* Saves beside the archive, falling back to the data dir. Returns the path used. */
char    *sl_session_file_save (SlSession *session, GError **error);
/* Restores the session saved for this archive, if any. FALSE (no error) when none. */
gboolean sl_session_file_restore (SlSession *session, GError **error);

G_END_DECLS
