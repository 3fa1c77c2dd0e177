/* sl-monitor-read.h: per-CPU scheduler state of a frozen guest: the monitor
 * axis (runqueues, sched_ext per-CPU state and event counters, schedstat) and
 * the host axis (kernel_cpustat / kernel_stat per CPU).
 *
 * Offsets come from BTF by name. A member a kernel lacks (no sched_ext, no
 * CONFIG_SCHEDSTATS, an older event-counter layout) is reported as
 * "unavailable: <reason>" in `unavailable`; the snapshot then carries the
 * documented default for that datum: has_schedstat / has_event_counters FALSE,
 * and 0 for the sched_ext queue figures of a kernel without sched_ext (no task
 * can be queued there). An SCX_EV_* counter this kernel does not define reads
 * as 0, since that event cannot have fired. */
#pragma once

#include <glib.h>
#include "sl-guest-kernel.h"
#include "sl-run.h"

G_BEGIN_DECLS

/* Fills out->cpus (SlCpuSnapshot per CPU, in CPU order). `vcpu_times` (SlVcpuTime,
 * may be NULL) provides vcpu_cpu_time_ns. Reasons for unavailable data are
 * appended (as strings, each once) to `unavailable` when non-NULL. */
gboolean sl_monitor_read_cpus (const SlGuestKernel *gk, SlKread *kr, const GArray *vcpu_times,
                               SlMonitorSample *out, GPtrArray *unavailable, GError **error);

/* Appends one SlPerCpuTime per CPU to `out`. */
gboolean sl_host_read_per_cpu_time (const SlGuestKernel *gk, SlKread *kr, GArray *out,
                                    GPtrArray *unavailable, GError **error);

G_END_DECLS
