/* introspect-fixture.h: synthetic guest images for the introspection tests.
 *
 * A fixture is a small guest RAM buffer holding a fake x86-64 kernel: a
 * vmlinux-like BTF built with libbpf's btf__add_* API (the few structs the
 * readers use, with their own offsets), a kernel image at a chosen physical
 * address and KASLR slide (linux_banner, phys_base, page_offset_base, ...),
 * 4- or 5-level page tables that map the image (2 MiB pages), the direct map
 * (1 GiB pages) and a vmalloc area (4 KiB pages, physically scattered), and
 * per-CPU areas. Helpers lay out BPF maps and an IDR the way the kernel does. */
#pragma once

#include <glib.h>
#include <bpf/btf.h>
#include "sl-guest-kernel.h"

#define FX_TEXT_LINK   G_GUINT64_CONSTANT (0xffffffff81000000)
#define FX_RAM_SIZE    (48u * 1024 * 1024)
#define FX_BANNER      "Linux version 9.9.9-fixture (test@schedlab) #1 SMP PREEMPT_DYNAMIC"

typedef struct {
  guint8     *ram;
  gsize       size;
  guint64     next_pa;         /* bump allocator for "slab" pages, grows up from 40 MiB */
  guint64     next_pt_pa;      /* page-table pages */
  gboolean    l5;
  guint64     load_pa, slide, pob, vmalloc_base, vmalloc_next, top_pgt_pa;
  guint64     image_used;      /* bytes of the image handed out */
  struct btf *btf;
  GHashTable *syms;            /* name → guint64* link address */
  GHashTable *vpages;          /* vmalloc page va → pa */
  SlGuestMem *mem;
  guint       n_cpus;
  guint64     percpu_start;    /* runtime address of the per-CPU template section */
  guint64     pcpu_area[8];    /* direct-map address of each CPU's area */
} Fx;

Fx      *fx_new (gboolean l5, guint64 load_pa, guint64 slide, guint n_cpus);
/* `old_events`: the 6.16–6.17 layout (scx_sched.event_stats_cpu) instead of scx_sched.pcpu. */
Fx      *fx_new_full (gboolean l5, guint64 load_pa, guint64 slide, guint n_cpus, gboolean old_events);
void     fx_free (Fx *fx);

guint32  fx_type (Fx *fx, const char *name);               /* a named type of the fixture BTF */
guint32  fx_off (Fx *fx, const char *type, const char *path);

/* Allocations; each returns a kernel virtual address. */
guint64  fx_kmalloc (Fx *fx, gsize size);                  /* direct map */
guint64  fx_vmalloc (Fx *fx, gsize size);                  /* vmalloc, pages scattered */
guint64  fx_image_var (Fx *fx, const char *name, gsize size);   /* kernel image symbol */
guint64  fx_percpu_var (Fx *fx, const char *name, gsize size);  /* per-CPU symbol (runtime address) */
guint64  fx_percpu_alloc (Fx *fx, gsize size);             /* a __percpu pointer */
guint64  fx_percpu_addr (Fx *fx, guint64 pcpu, guint cpu);

guint64  fx_pa (Fx *fx, guint64 kva);
void     fx_write (Fx *fx, guint64 kva, const void *src, gsize len);
void     fx_write_u64 (Fx *fx, guint64 kva, guint64 v);
void     fx_write_u32 (Fx *fx, guint64 kva, guint32 v);
void     fx_write_field (Fx *fx, guint64 base, const char *type, const char *path, guint64 v);

/* The IDR `map_idr` holding `kvas` at indices 1..n (the first id is 1). */
void     fx_set_map_idr (Fx *fx, const guint64 *kvas, guint n);
/* A struct bpf_map (bpf_array when type is ARRAY/PERCPU_ARRAY, bpf_htab for hashes). */
guint64  fx_add_map (Fx *fx, const char *name, guint32 type, guint32 key_size, guint32 value_size,
                     guint32 max_entries, guint64 btf_kva, guint32 key_tid, guint32 value_tid);
/* A guest struct btf holding `b`'s raw data; `split` sets base_btf. */
guint64  fx_add_btf (Fx *fx, const struct btf *b, gboolean split);
guint64  fx_array_value (Fx *fx, guint64 map, guint32 index);   /* kva of an ARRAY value slot */

gboolean fx_lookup (gpointer fx, const char *name, guint64 *address);
SlGuestKernel *fx_kernel (Fx *fx, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fx, fx_free)
