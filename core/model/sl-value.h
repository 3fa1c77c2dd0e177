/* sl-value.h: ktstr's RenderedValue tree (BTF-rendered BPF data), every variant of
 * ktstr-semantics §2.5, with its JSON form ({"kind": ...}) and its navigation and
 * scalar coercions. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "sl-json-writer.h"

G_BEGIN_DECLS

typedef enum {
  SL_VALUE_INT,
  SL_VALUE_UINT,
  SL_VALUE_BOOL,
  SL_VALUE_CHAR,
  SL_VALUE_FLOAT,
  SL_VALUE_ENUM,
  SL_VALUE_STRUCT,
  SL_VALUE_ARRAY,
  SL_VALUE_CPU_LIST,
  SL_VALUE_PTR,
  SL_VALUE_BYTES,
  SL_VALUE_TRUNCATED,
  SL_VALUE_UNSUPPORTED,
} SlValueKind;

/* Nesting bounds for rendering and for reading untrusted JSON. */
#define SL_VALUE_MAX_DEPTH    64
#define SL_VALUE_MAX_ELEMENTS 4096

typedef struct _SlValue SlValue;

typedef struct {
  char    *name;    /* "" for anonymous union members */
  SlValue *value;
} SlMember;

struct _SlValue {
  SlValueKind kind;
  guint16     bits;        /* INT, UINT, FLOAT, ENUM */
  gboolean    is_signed;   /* ENUM */
  union {
    gint64   i;            /* INT; ENUM when is_signed */
    guint64  u;            /* UINT; ENUM when !is_signed; PTR */
    gboolean b;            /* BOOL */
    guint8   c;            /* CHAR */
    double   f;            /* FLOAT */
  } v;
  char     *text;          /* STRUCT type_name (NULL = null), ENUM variant (NULL = unresolved),
                              CPU_LIST cpus, BYTES hex, UNSUPPORTED reason,
                              PTR cast_annotation (NULL = omitted) */
  char     *text2;         /* PTR deref_skipped_reason (NULL = omitted) */
  guint64   len;           /* ARRAY declared len; TRUNCATED needed */
  guint64   had;           /* TRUNCATED had */
  guint     n_members;     /* STRUCT */
  SlMember *members;
  guint     n_elements;    /* ARRAY (stored elements, ≤ SL_VALUE_MAX_ELEMENTS) */
  SlValue **elements;
  SlValue  *child;         /* PTR deref; TRUNCATED partial (NULL = absent) */
};

const char  *sl_value_kind_name  (SlValueKind kind);   /* the JSON "kind" tag: "int", "cpu_list", ... */
gboolean     sl_value_kind_parse (const char *name, SlValueKind *out);

/* Constructors (take ownership of the string arguments' copies; children are adopted). */
SlValue *sl_value_new_int       (guint16 bits, gint64 v);
SlValue *sl_value_new_uint      (guint16 bits, guint64 v);
SlValue *sl_value_new_bool      (gboolean v);
SlValue *sl_value_new_char      (guint8 v);
SlValue *sl_value_new_float     (guint16 bits, double v);
SlValue *sl_value_new_enum      (guint16 bits, gboolean is_signed, guint64 raw, const char *variant);
SlValue *sl_value_new_struct    (const char *type_name);            /* then sl_value_struct_add */
void     sl_value_struct_add    (SlValue *s, const char *name, SlValue *member);
SlValue *sl_value_new_array     (guint64 declared_len);             /* then sl_value_array_add */
void     sl_value_array_add     (SlValue *a, SlValue *element);
SlValue *sl_value_new_cpu_list  (const char *cpus);
SlValue *sl_value_new_ptr       (guint64 addr, SlValue *deref, const char *deref_skipped_reason,
                                 const char *cast_annotation);
SlValue *sl_value_new_bytes     (const char *hex);
SlValue *sl_value_new_truncated (guint64 needed, guint64 had, SlValue *partial);
SlValue *sl_value_new_unsupported (const char *reason);

SlValue *sl_value_copy (const SlValue *v);
void     sl_value_free (SlValue *v);
gboolean sl_value_equal (const SlValue *a, const SlValue *b);   /* bit-exact, NaN == NaN */

/* Reads untrusted JSON. `where` names the location for error messages
 * (e.g. "record 12 (byte 4096): maps[3].value"). Depth and sizes are bounded. */
SlValue *sl_value_from_json (JsonNode *node, const char *where, GError **error);
void     sl_value_write_json (const SlValue *v, SlJsonWriter *w);

/* Navigation: peels PTR{deref} and TRUNCATED{partial} (at most 16 hops).
 * Returns NULL when absent. */
const SlValue *sl_value_peel   (const SlValue *v);
const SlValue *sl_value_member (const SlValue *v, const char *name);
const SlValue *sl_value_index  (const SlValue *v, guint i);

/* Scalar coercions of ktstr-semantics §2.5. FALSE when not coercible. */
gboolean    sl_value_as_u64  (const SlValue *v, guint64 *out);
gboolean    sl_value_as_i64  (const SlValue *v, gint64 *out);
gboolean    sl_value_as_f64  (const SlValue *v, double *out);
gboolean    sl_value_as_bool (const SlValue *v, gboolean *out);
const char *sl_value_as_str  (const SlValue *v);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlValue, sl_value_free)

G_END_DECLS
