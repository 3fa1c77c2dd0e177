/* sl-guest-kernel.h: a running guest kernel seen from the host: where its
 * image sits in guest RAM, its KASLR slide, paging setup and per-CPU areas.
 *
 * Everything is worked out from the kernel image (symbols, a fingerprint of
 * its read-only data) and guest memory, without the guest's help:
 *   1. the physical load address P: the 2 MiB-aligned address where the
 *      image's linux_banner bytes appear (CONFIG_PHYSICAL_ALIGN ≥ 2 MiB on
 *      x86-64);
 *   2. phys_base, read from the kernel variable at P + (phys_base - _text);
 *   3. the virtual slide v: the kernel sets phys_base = P - (_text + v -
 *      __START_KERNEL_map), so v = P - (_text - __START_KERNEL_map) - phys_base;
 *   4. page_offset_base, __pgtable_l5_enabled from their variables;
 *   5. a check: the page table at init_top_pgt must map _text + v to P.
 * A PVH boot (no KASLR) gives P = 16 MiB, phys_base = 0, v = 0. */
#pragma once

#include <glib.h>
#include <bpf/btf.h>
#include "sl-guest-mem.h"
#include "sl-guest-kva.h"
#include "sl-ktypes.h"

G_BEGIN_DECLS

/* Link-time address of a kernel symbol (kallsyms or a synthetic table). */
typedef gboolean (*SlSymbolLookup) (gpointer data, const char *name, guint64 *address);

#define SL_GUEST_MAX_CPUS 4096

typedef struct {
  const SlGuestMem *mem;
  const struct btf *btf;        /* vmlinux BTF */
  SlKtypes         *types;
  SlSymbolLookup    lookup;
  gpointer          lookup_data;
  guint64           load_pa;    /* physical address of _text */
  guint64           slide;      /* virtual KASLR slide */
  SlKvaLayout       layout;
  guint             n_cpus;     /* nr_cpu_ids, capped */
  guint64          *per_cpu_offset;
} SlGuestKernel;

/* `fingerprint` = bytes of linux_banner from the image (NULL: assume the image
 * sits at its link address, as with a PVH boot). `max_cpus` caps nr_cpu_ids. */
SlGuestKernel *sl_guest_kernel_new (const SlGuestMem *mem, const struct btf *btf,
                                    SlSymbolLookup lookup, gpointer lookup_data,
                                    const guint8 *fingerprint, gsize fingerprint_len,
                                    guint max_cpus, GError **error);
void           sl_guest_kernel_free (SlGuestKernel *gk);

/* Runtime address of a symbol: link address + slide for image addresses;
 * per-CPU offsets (`A` symbols below __START_KERNEL_map) are not slid. */
gboolean sl_guest_kernel_symbol (const SlGuestKernel *gk, const char *name, guint64 *address, GError **error);
/* &per_cpu(x, cpu) for a per-CPU address (a runtime symbol or a __percpu pointer). */
gboolean sl_guest_kernel_percpu (const SlGuestKernel *gk, guint64 pcpu_addr, guint cpu, guint64 *kva, GError **error);

/* A reader with this kernel's translation and the given budgets. */
void     sl_guest_kernel_reader (const SlGuestKernel *gk, SlKread *kr, guint64 byte_budget, guint time_budget_ms);

/* Reads a member of `type` at `base` (a struct's kernel address): 1, 2, 4 or 8 bytes
 * zero-extended into *out. Missing members fail with "unavailable: ...". */
gboolean sl_guest_read_field (const SlGuestKernel *gk, SlKread *kr, guint64 base, const char *type,
                              const char *path, guint64 *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlGuestKernel, sl_guest_kernel_free)

G_END_DECLS
