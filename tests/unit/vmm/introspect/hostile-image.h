/* hostile-image.h: one synthetic guest with every map kind, a scheduler and
 * per-CPU state, shared by the hostile-image property test and the guest-memory
 * fuzz target: both corrupt it and run every walker over it. */
#pragma once

#include "introspect-fixture.h"

/* Builds the image (maps of each kind, map_idr, scx_root, runqueues). */
Fx      *hostile_image_new (void);
/* Runs BPF map capture, active-scheduler identification, per-CPU times and the
 * monitor over `gk` with the given time budget; never fails the process. */
void     hostile_capture_all (const SlGuestKernel *gk, guint time_budget_ms);
/* The [start, end) physical range worth corrupting (page tables, image data, slab, vmalloc). */
void     hostile_target_range (Fx *fx, guint64 *start, guint64 *end);
