/* sl-guest-kva.h: x86-64 kernel virtual → guest physical translation and
 * budgeted reads of kernel memory.
 *
 * Three kinds of kernel address (vm-facts §5.3, ktstr-semantics §2.6):
 *   kernel image  [__START_KERNEL_map, +1 GiB): pa = va - __START_KERNEL_map + phys_base
 *   direct map    [page_offset_base, +RAM):    pa = va - page_offset_base
 *   anything else (vmalloc, vmap'd stacks, some per-CPU chunks, modules):
 *                 a 4- or 5-level walk of the kernel's top-level page table.
 * Every read goes through an SlKread, which charges bytes against a budget and
 * checks a deadline, so a hostile guest image cannot keep us busy for long. */
#pragma once

#include <glib.h>
#include "sl-guest-mem.h"

G_BEGIN_DECLS

#define SL_START_KERNEL_MAP    G_GUINT64_CONSTANT (0xffffffff80000000)
#define SL_KERNEL_IMAGE_SPAN   G_GUINT64_CONSTANT (0x40000000)   /* KERNEL_IMAGE_SIZE with KASLR */
#define SL_PAGE_SIZE           4096u
#define SL_PTE_ADDR_MASK       G_GUINT64_CONSTANT (0x000ffffffffff000)

typedef struct {
  guint64  phys_base;          /* the kernel's phys_base (physical load delta) */
  guint64  page_offset_base;   /* start of the direct map */
  guint64  direct_map_span;    /* bytes of the direct map taken as linear (guest RAM top) */
  guint64  top_pgt_pa;         /* physical address of init_top_pgt / swapper_pg_dir */
  gboolean l5;                 /* 5-level paging (__pgtable_l5_enabled) */
} SlKvaLayout;

/* Walks the page table rooted at `root_pa` for `va`. Errors say which level was
 * not present or unreadable. 1 GiB and 2 MiB pages are handled. */
gboolean sl_page_walk (const SlGuestMem *mem, guint64 root_pa, gboolean l5, guint64 va,
                       guint64 *pa, GError **error);

/* Chooses the translation by address range (see above). */
gboolean sl_kva_to_pa (const SlGuestMem *mem, const SlKvaLayout *layout, guint64 va,
                       guint64 *pa, GError **error);

/* A budgeted reader of kernel virtual memory. */
typedef struct {
  const SlGuestMem *mem;
  SlKvaLayout       layout;
  guint64           bytes_left;   /* read budget */
  gint64            deadline_us;  /* g_get_monotonic_time() limit; 0 = none */
} SlKread;

void     sl_kread_init (SlKread *kr, const SlGuestMem *mem, const SlKvaLayout *layout,
                        guint64 byte_budget, guint time_budget_ms);
/* Reads `len` bytes at kernel virtual `va`, translating page by page. */
gboolean sl_kread (SlKread *kr, guint64 va, void *dst, gsize len, GError **error);
gboolean sl_kread_u64 (SlKread *kr, guint64 va, guint64 *out, GError **error);
gboolean sl_kread_u32 (SlKread *kr, guint64 va, guint32 *out, GError **error);
/* FALSE (with an error) once the time or byte budget is spent. */
gboolean sl_kread_check_budget (SlKread *kr, GError **error);

/* TRUE for a canonical higher-half address (4-level: ≥ 0xffff800000000000). */
gboolean sl_kva_is_kernel (const SlKvaLayout *layout, guint64 va);

G_END_DECLS
