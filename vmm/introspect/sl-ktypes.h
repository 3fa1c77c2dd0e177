/* sl-ktypes.h: kernel struct layouts from BTF, resolved by name.
 *
 * The same code reads 6.1 through 7.x: every offset comes from the kernel's
 * own BTF, looked up by struct and member name (anonymous structs and unions
 * are searched through, as C does). A member a kernel does not have is an
 * error "unavailable: ...", so the caller records the datum as unavailable
 * instead of reading a wrong value. Results are cached per (type, path). */
#pragma once

#include <glib.h>
#include <bpf/btf.h>

G_BEGIN_DECLS

typedef struct _SlKtypes SlKtypes;

typedef struct {
  guint32 offset;     /* bytes from the start of the outer struct */
  guint32 size;       /* bytes of the member's (resolved) type */
  guint32 type_id;    /* the member's type id, modifiers peeled */
} SlKfield;

SlKtypes *sl_ktypes_new (const struct btf *btf);
void      sl_ktypes_free (SlKtypes *kt);
const struct btf *sl_ktypes_btf (const SlKtypes *kt);

/* Struct (or union) id by name; 0 with an "unavailable" error when absent. */
guint32   sl_ktypes_struct_id (SlKtypes *kt, const char *type, GError **error);
gboolean  sl_ktypes_size (SlKtypes *kt, const char *type, guint32 *size, GError **error);
/* `path` is dot-separated ("scx.local_dsq.nr"); bitfields are refused. */
gboolean  sl_ktypes_member (SlKtypes *kt, const char *type, const char *path, SlKfield *out, GError **error);
/* The value of enumerator `name` (searched in every enum). */
gboolean  sl_ktypes_enum_value (SlKtypes *kt, const char *name, gint64 *value, GError **error);

/* Peels typedef/volatile/const/restrict/type_tag (≤ 32 hops); 0 on a loop. */
guint32   sl_btf_peel (const struct btf *btf, guint32 id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlKtypes, sl_ktypes_free)

G_END_DECLS
