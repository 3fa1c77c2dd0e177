/* sl-guest-ram.h: mapping a running QEMU's guest RAM into the host.
 *
 * QEMU runs with memory-backend-memfd,share=on (one backend per NUMA node);
 * its memfds show up as /proc/<pid>/fd/N → "/memfd:memory-backend-memfd
 * (deleted)". They are mapped read-only, in fd order (= creation order = node
 * order), concatenated into guest RAM, and laid out in guest-physical space like
 * QEMU's pc/q35 machines do: RAM below the low-memory split at 0, the rest at
 * 4 GiB (split: all RAM when < 2.75 GiB, else 2 GiB). */
#pragma once

#include <glib.h>
#include "sl-guest-mem.h"

G_BEGIN_DECLS

typedef struct _SlGuestRam SlGuestRam;

SlGuestRam       *sl_guest_ram_map_qemu (GPid qemu_pid, GError **error);
const SlGuestMem *sl_guest_ram_get_mem (const SlGuestRam *ram);
gsize             sl_guest_ram_size (const SlGuestRam *ram);
void              sl_guest_ram_free (SlGuestRam *ram);

/* Adds RAM made of `n` host chunks to `mem` with the pc/q35 layout. */
gboolean sl_guest_ram_layout (SlGuestMem *mem, const guint8 *const *chunks, const gsize *sizes, guint n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlGuestRam, sl_guest_ram_free)

G_END_DECLS
