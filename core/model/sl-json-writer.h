/* sl-json-writer.h: a small streaming JSON emitter into a GString.
 *
 * json-glib's generator stores integers as gint64, so a u64 above G_MAXINT64
 * would be written negative; counters must survive bit-exactly, so records are
 * emitted through this writer. Commas are managed by the writer. Non-finite
 * doubles are written as null (JSON has no NaN), as serde_json does. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SlJsonWriter SlJsonWriter;

SlJsonWriter *sl_json_writer_new (void);
void          sl_json_writer_free (SlJsonWriter *w);
/* Takes the text written so far and resets the writer. */
char         *sl_json_writer_steal (SlJsonWriter *w, gsize *len);
GString      *sl_json_writer_get_buffer (SlJsonWriter *w);

void sl_json_writer_begin_object (SlJsonWriter *w);
void sl_json_writer_end_object   (SlJsonWriter *w);
void sl_json_writer_begin_array  (SlJsonWriter *w);
void sl_json_writer_end_array    (SlJsonWriter *w);
void sl_json_writer_key          (SlJsonWriter *w, const char *key);
void sl_json_writer_string       (SlJsonWriter *w, const char *s);   /* NULL writes null */
void sl_json_writer_u64          (SlJsonWriter *w, guint64 v);
void sl_json_writer_i64          (SlJsonWriter *w, gint64 v);
void sl_json_writer_f64          (SlJsonWriter *w, double v);
void sl_json_writer_bool         (SlJsonWriter *w, gboolean v);
void sl_json_writer_null         (SlJsonWriter *w);
/* Writes a json-glib node verbatim (used for scx_stats JSON and unmodelled report keys). */
void sl_json_writer_node         (SlJsonWriter *w, JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlJsonWriter, sl_json_writer_free)

/* Reading helpers shared by every parser of untrusted JSON. */

/* json-glib parses integers into gint64 and wraps values above G_MAXINT64;
 * reinterpreting the bits restores a u64 exactly. Fails on non-integers. */
gboolean sl_json_node_get_u64 (JsonNode *node, guint64 *out);
gboolean sl_json_node_get_i64 (JsonNode *node, gint64 *out);
/* Accepts integers, doubles and null (null → NaN, the serde_json encoding of NaN). */
gboolean sl_json_node_get_f64 (JsonNode *node, double *out);
/* Depth of the deepest nesting in node, stopping at limit + 1. */
guint    sl_json_node_depth (JsonNode *node, guint limit);
/* What node is, for error messages: "an integer", "null", "missing" (NULL)... */
const char *sl_json_node_type_name (JsonNode *node);

G_END_DECLS
