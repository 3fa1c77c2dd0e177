/* sl-projection-private.h: shared between the per-axis projection files and the catalog. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "sl-projection.h"

G_BEGIN_DECLS

/* One failed slot: the §3.5 kind and its message. */
typedef struct {
  SlFieldErrorKind kind;
  char            *text;
} SlProjError;

void sl_proj_error_set (SlProjError *err, SlFieldErrorKind kind, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* ["a", "b", … (+N more)]: at most SL_PROJECTION_MAX_LISTED names, each quoted
 * and cut at 80 characters (names come from the guest). */
char *sl_proj_format_list (const char *const *names, guint n);
char *sl_proj_format_ptr_list (GPtrArray *names);

/* Projects one capture sample. The caller already handled SchedulerGone. */
gboolean sl_project_bpf_sample   (const SlSample *s, const SlFieldSelector *sel, SlScalarType type,
                                  SlScalar *out, SlProjError *err);
gboolean sl_project_stats_sample (const SlSample *s, const SlFieldSelector *sel, SlScalarType type,
                                  SlScalar *out, SlProjError *err);
/* A stats JSON node coerced as §3.2 (as_u64, as_i64, as_f64, as_bool). */
gboolean sl_stats_coerce (JsonNode *node, SlScalarType type, SlScalar *out);
const char *sl_json_kind_name (JsonNode *node);   /* Null|Bool|Number|String|Array|Object */

/* The value at a member path below `root` (ktstr's get(path)): peels pointers,
 * descends into anonymous members, indexes arrays by decimal components. */
/* components[0..first) were already walked (they name the root in messages);
 * root_desc describes the root when first is 0 ("the value of map 'x'"). */
gboolean sl_bpf_walk (const SlValue *root, const char *root_desc, const char *const *components, guint first,
                      const char *requested, const SlValue **out, SlProjError *err);
/* A rendered value coerced with §2.5's rules. */
gboolean sl_bpf_coerce (const SlValue *v, SlScalarType type, const char *requested,
                        SlScalar *out, SlProjError *err);

G_END_DECLS
