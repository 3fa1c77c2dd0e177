/* sl-types.h: small shared value types and the error domain of libschedlab-core.
 *
 * "Not measured" is never 0: every optional number is an explicit SlOptU64. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_ERROR (sl_error_quark ())
GQuark sl_error_quark (void);

typedef enum {
  SL_ERROR_FAILED,
  SL_ERROR_CORRUPT,     /* malformed archive / document; message names record and byte offset */
  SL_ERROR_VERSION,     /* a format version newer than this build understands */
  SL_ERROR_TOO_LARGE,   /* a record or document exceeds a documented bound */
  SL_ERROR_SPEC,        /* bad spec / test / scenario file; message names the assertion and key */
  SL_ERROR_FIELD,       /* malformed field selector */
  SL_ERROR_NOT_FOUND,
  SL_ERROR_IO,
} SlError;

typedef struct {
  gboolean set;
  guint64  v;
} SlOptU64;

#define SL_OPT_U64_NONE ((SlOptU64) { FALSE, 0 })
static inline SlOptU64 sl_opt_u64 (guint64 v) { return (SlOptU64) { TRUE, v }; }

/* Scalars projected out of a run. Comparisons follow the type: u64/i64 exactly,
 * f64 with IEEE partial ordering (NaN compares false). */
typedef enum {
  SL_SCALAR_U64,
  SL_SCALAR_I64,
  SL_SCALAR_F64,
  SL_SCALAR_BOOL,
} SlScalarType;

typedef struct {
  SlScalarType type;
  union {
    guint64  u;
    gint64   i;
    double   f;
    gboolean b;
  };
} SlScalar;

const char *sl_scalar_type_name (SlScalarType type);           /* "u64", "i64", "f64", "bool" */
gboolean    sl_scalar_type_parse (const char *name, SlScalarType *out);
double      sl_scalar_to_f64 (SlScalar s);
/* Formats like ktstr's Display: integers exactly, floats shortest round-trip. */
char       *sl_scalar_to_string (SlScalar s);

G_END_DECLS
