/* sl-guest-mem.h: bounds-checked reads of guest physical memory.
 *
 * Guest RAM is one or more host mappings, each covering a range of guest
 * physical addresses (QEMU splits RAM at the low-memory boundary and maps the
 * rest above 4 GiB; each NUMA node is its own backend). Tests build images in
 * plain buffers and add them as regions. Every read is bounds-checked: an
 * address the guest handed us is never trusted. The guest is frozen while we
 * read, so plain copies are consistent; a wild address is just an error. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_GUEST_MEM_MAX_REGIONS 16

typedef struct _SlGuestMem SlGuestMem;

SlGuestMem *sl_guest_mem_new (void);
/* One region [0, size) backed by `ram` (borrowed; must outlive the SlGuestMem). */
SlGuestMem *sl_guest_mem_new_flat (const guint8 *ram, gsize size);
/* Adds guest-physical range [gpa, gpa + size) backed by `host` (borrowed).
 * FALSE when it overlaps another region, wraps, or the table is full. */
gboolean    sl_guest_mem_add_region (SlGuestMem *mem, guint64 gpa, const guint8 *host, gsize size);
void        sl_guest_mem_free (SlGuestMem *mem);

guint       sl_guest_mem_n_regions (const SlGuestMem *mem);
void        sl_guest_mem_region (const SlGuestMem *mem, guint i, guint64 *gpa, gsize *size);
/* One past the highest guest-physical address backed by a region. */
guint64     sl_guest_mem_top (const SlGuestMem *mem);

/* A host pointer to [gpa, gpa + len) when one region holds all of it, else NULL. */
const guint8 *sl_guest_mem_ptr (const SlGuestMem *mem, guint64 gpa, gsize len);
/* Copies [gpa, gpa + len) (it may span adjacent regions). Errors name the address. */
gboolean    sl_guest_mem_read (const SlGuestMem *mem, guint64 gpa, void *dst, gsize len, GError **error);
gboolean    sl_guest_mem_read_u64 (const SlGuestMem *mem, guint64 gpa, guint64 *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlGuestMem, sl_guest_mem_free)

G_END_DECLS
