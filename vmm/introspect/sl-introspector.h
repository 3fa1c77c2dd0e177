/* sl-introspector.h: the capture side of guest introspection, for the run
 * driver: while the VM is frozen, read every BPF map (rendered through BTF),
 * the attached sched_ext scheduler, per-CPU times (host axis) and the per-CPU
 * monitor snapshot, into the sample's SlReport and an SlMonitorSample.
 *
 * The kernel is located in guest RAM lazily, at the first capture (the guest
 * must have booted), and again at later captures until that succeeds. Every
 * capture is bounded by a byte budget and a time budget, so a hostile or
 * corrupt guest costs at most that much freeze time. */
#pragma once

#include <glib.h>
#include "sl-kernel.h"
#include "sl-report.h"
#include "sl-run.h"

G_BEGIN_DECLS

typedef struct _SlIntrospector SlIntrospector;
typedef struct _SlVm SlVm;

#define SL_INTROSPECT_DEFAULT_BYTE_BUDGET (64u * 1024 * 1024)
#define SL_INTROSPECT_DEFAULT_TIME_MS     500

/* A kernel from the cache (its vmlinux, btf and kallsyms files) over guest RAM at
 * guest-physical 0 (`guest_ram`, borrowed: it must outlive the introspector). */
SlIntrospector *sl_introspector_new (const SlKernel *k, const guint8 *guest_ram, gsize ram_size, GError **error);
/* The same from a vmlinux path alone: btf and kallsyms are taken from files next to
 * it (a kernel cache directory) or decoded from the image. Guest RAM is mapped from
 * the QEMU process at the first capture (sl_introspector_attach_qemu). */
SlIntrospector *sl_introspector_new_for_vmlinux (const char *vmlinux, GError **error);
/* Maps the guest RAM of QEMU process `pid` (memfd backends). */
gboolean        sl_introspector_attach_qemu (SlIntrospector *in, GPid pid, GError **error);
void            sl_introspector_free (SlIntrospector *in);

void            sl_introspector_set_budget (SlIntrospector *in, guint64 bytes, guint time_ms);

/* Fills report->maps, active_obj_name/active_map_kvas (or scx_walker_unavailable),
 * report->per_cpu_time, and monitor->cpus (monitor may be NULL; its elapsed_ms is
 * left to the caller). `vcpu_times` (SlVcpuTime, may be NULL) feeds
 * vcpu_cpu_time_ns. FALSE when a part failed: the error names it; whatever could
 * be read is still filled in. */
gboolean        sl_introspector_capture (SlIntrospector *in, SlReport *report, SlMonitorSample *monitor,
                                         GError **error);
gboolean        sl_introspector_capture_full (SlIntrospector *in, SlReport *report, SlMonitorSample *monitor,
                                              const GArray *vcpu_times, GError **error);

/* Deferred rendering keeps the freeze window short: capture copies bytes only
 * and sl_introspector_thaw() renders them into the same report once the VM runs
 * again (call it before the report is written or freed). Off by default. */
void            sl_introspector_set_deferred (SlIntrospector *in, gboolean deferred);
/* Renders what the last capture deferred; a no-op otherwise. */
void            sl_introspector_thaw (SlIntrospector *in);

/* Call just before freezing the VM, in a capture cycle that also calls
 * sl_introspector_thaw() after the VM runs again (the runner's before-freeze /
 * after-thaw hooks). It returns memory freed since the last capture to the
 * system (glibc malloc_trim), so the frozen part does not pay for consolidating
 * the previous sample's many small frees (~18 ms → ~1.4 ms for 16 maps / 1 MiB in
 * tests/bench/introspect), and it makes the next capture deferred: bytes only
 * while frozen, rendering in sl_introspector_thaw(). */
void            sl_introspector_prepare (SlIntrospector *in);

/* Reasons for data this kernel does not have ("unavailable: ..."), each once. */
const GPtrArray *sl_introspector_get_unavailable (SlIntrospector *in);
/* Microseconds the last capture spent reading guest memory. */
guint64         sl_introspector_last_read_us (SlIntrospector *in);

/* A freeze hook for SlRunnerConfig (user_data = an SlIntrospector): maps the VM's
 * RAM on first use and captures into the sample's report. */
gboolean        sl_introspector_freeze_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error);
/* The monitor sample taken by the last freeze hook call, or NULL; the caller owns it. */
SlMonitorSample *sl_introspector_take_monitor_sample (SlIntrospector *in);

/* The whole cycle as SlRunnerConfig hooks (user_data = the SlIntrospector):
 *   .before_freeze_hook  = sl_introspector_before_freeze_hook  (maps RAM, locates the
 *                          kernel while the guest runs, prepare())
 *   .freeze_hook         = sl_introspector_freeze_hook
 *   .after_thaw_hook     = sl_introspector_after_thaw_hook     (thaw())
 *   .take_monitor_sample = sl_introspector_take_monitor_sample_hook */
gboolean         sl_introspector_before_freeze_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error);
gboolean         sl_introspector_after_thaw_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error);
SlMonitorSample *sl_introspector_take_monitor_sample_hook (gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlIntrospector, sl_introspector_free)

G_END_DECLS
