/* sl-ktstr-import.h: turn a ktstr failure-dump JSON document into a run.
 *
 * A "single" FailureDumpReport becomes a one-sample run (tag from the file
 * name, or "imported"); a "dual" report becomes two samples, "early" (when
 * present) and "late". Imported samples were not timed and carry no scx_stats:
 * elapsed, boundary offset and step are absent and stats are missing with
 * NoSchedulerBinary, as ktstr's own fixture form does. A "degraded" report
 * holds no captured state and is refused. */
#pragma once

#include "sl-run.h"

G_BEGIN_DECLS

/* The document is read whole (it is one JSON value), so its size is bounded. */
#define SL_KTSTR_IMPORT_MAX_BYTES ((gsize) 256 * 1024 * 1024)

/* source_name (a file name or NULL) names the document in errors and gives
 * the sample its tag. */
SlRun *sl_ktstr_import_bytes (const char *data, gsize len, const char *source_name, GError **error);
SlRun *sl_ktstr_import_file  (const char *path, GError **error);

/* The tag an imported single report gets: the file's base name without
 * ".json" and ".failure-dump"; "imported" when that leaves nothing. */
char  *sl_ktstr_import_tag_for (const char *source_name);

G_END_DECLS
