/* sl-archive-fields.h: typed key readers for untrusted JSON records, shared
 * by the archive's record decoder. Private to core/archive. */
#pragma once

#include "sl-archive-private.h"

G_BEGIN_DECLS

/* Where errors point: "record N (byte B)", and where they go. */
typedef struct {
  const char *where;
  GError    **error;
} SlArchiveCtx;

/* Sets "<where>: <message>" and returns FALSE. */
gboolean    sl_archive_fail (SlArchiveCtx *c, SlError code, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
/* "an object", "a string", ... for messages. */
const char *sl_archive_node_kind (JsonNode *n);
JsonNode   *sl_archive_member (JsonObject *o, const char *key);
gboolean    sl_archive_missing (SlArchiveCtx *c, const char *path, const char *key);

/* Each reads o[key]; path names o in messages ("sample", "monitor.cpus[3]"). */
gboolean sl_archive_get_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
                             gboolean required, guint64 max, gboolean *present, guint64 *out);
gboolean sl_archive_req_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, guint64 *out);
gboolean sl_archive_req_u32 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, guint32 *out);
gboolean sl_archive_opt_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, SlOptU64 *out);
gboolean sl_archive_opt_u16 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
                             gboolean *has, guint16 *out);
gboolean sl_archive_req_i64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gint64 *out);
gboolean sl_archive_req_f64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, double *out);
gboolean sl_archive_req_bool (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean *out);
/* An absent (or, when optional, null) string leaves *out NULL. */
gboolean sl_archive_get_string (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
                                gboolean required, char **out);
gboolean sl_archive_get_object (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
                                gboolean required, JsonObject **out);
/* Fails with SL_ERROR_TOO_LARGE above max_len elements. */
gboolean sl_archive_get_array (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
                               gboolean required, guint max_len, JsonArray **out);
gboolean sl_archive_array_object (SlArchiveCtx *c, JsonArray *a, guint i, const char *path, JsonObject **out);

G_END_DECLS
