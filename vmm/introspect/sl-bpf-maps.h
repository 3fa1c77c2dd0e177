/* sl-bpf-maps.h: every BPF map of a frozen guest, rendered through BTF.
 *
 * Discovery walks `map_idr` (an IDR over an xarray: xa_node slots, depth and
 * node count bounded, each child's shift must be its parent's minus 6, so a
 * cyclic or corrupt tree ends in an error). For each map: name, type, sizes,
 * kernel address, and its program BTF read out of guest memory (struct btf
 * data/data_size, ≤ 32 MiB) and parsed with libbpf: as split BTF on top of
 * vmlinux when the guest's struct btf has a base (module/split BTF), else as
 * standalone BTF (what BPF_BTF_LOAD creates for a libbpf object). Parsed BTF is
 * cached per (struct btf address, BTF id) for the life of the SlBpfMaps.
 *
 * Contents by kind (ktstr-semantics §2.3):
 *   ARRAY          `value` = key 0 (for a .bss/.data/.rodata map: the whole
 *                  DATASEC as a STRUCT named by the section). When max_entries
 *                  > 1, also `entries`: one per index (key = the u32 index,
 *                  key_hex its bytes, value_hex ""), capped at 4096, so
 *                  at(i) finds index i. Typed entries rather than ktstr's
 *                  JSON array_entries: a JSON tree per value costs more than
 *                  the whole freeze budget for a few thousand values.
 *   PERCPU_ARRAY   percpu_entries, one slot per CPU, keys capped at 1024.
 *   HASH, LRU_HASH entries (bucket walk, 4096 entries at most).
 *   PERCPU_HASH, LRU_PERCPU_HASH  percpu_hash_entries.
 *   other types    error "map type N is not rendered".
 * A map that fails records SlMap.error and the walk goes on; truncation is
 * noted in error too. */
#pragma once

#include <glib.h>
#include "sl-guest-kernel.h"
#include "sl-report.h"

G_BEGIN_DECLS

#define SL_BPF_MAX_MAPS         4096
#define SL_BPF_MAX_XA_NODES     1024
#define SL_BPF_MAX_HASH_ENTRIES 4096
#define SL_BPF_MAX_PERCPU_KEYS  1024
#define SL_BPF_MAX_ARRAY_ENTRIES 4096
#define SL_BPF_MAX_BTF_SIZE     (32u * 1024 * 1024)
#define SL_BPF_MAX_BUCKETS      (1u << 20)
#define SL_BPF_PTR_HOPS         2

typedef struct _SlBpfMaps SlBpfMaps;

SlBpfMaps *sl_bpf_maps_new (const SlGuestKernel *gk);
void       sl_bpf_maps_free (SlBpfMaps *bm);

/* Collects up to `max` leaf pointers of the xarray at kernel address `xa`
 * (a struct xarray) in index order. */
gboolean   sl_xarray_collect (const SlGuestKernel *gk, SlKread *kr, guint64 xa, guint max,
                              GArray *out, GError **error);

/* Appends one SlMap per map in map_idr order to report->maps. FALSE only when
 * the IDR itself cannot be walked. */
gboolean   sl_bpf_maps_capture (SlBpfMaps *bm, SlKread *kr, SlReport *report, GError **error);

/* Deferred mode (for a short freeze window): capture copies only bytes and leaves
 * placeholder values; sl_bpf_maps_render_pending() renders them in place after the
 * VM runs again. Pointers met then are followed in live guest memory (their
 * targets may be newer than the sample). The report must outlive the pending
 * work until it is rendered; dropping pending work only forgets it (the
 * placeholders stay UNSUPPORTED "pending: rendered after the thaw"), so a report freed first is never touched. */
void       sl_bpf_maps_set_deferred (SlBpfMaps *bm, gboolean defer);
guint      sl_bpf_maps_n_pending (SlBpfMaps *bm);
void       sl_bpf_maps_render_pending (SlBpfMaps *bm, SlKread *kr);
void       sl_bpf_maps_drop_pending (SlBpfMaps *bm);

/* Sets report->active_obj_name / active_map_kvas from the attached sched_ext
 * scheduler (scx_root → its struct_ops map in use → the maps its programs use),
 * or report->scx_walker_unavailable with the reason. Uses the maps already in
 * report->maps. */
void       sl_bpf_maps_identify_active (SlBpfMaps *bm, SlKread *kr, SlReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlBpfMaps, sl_bpf_maps_free)

G_END_DECLS
