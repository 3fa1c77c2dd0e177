/* sl-runner.h: one run: boot the kernel in QEMU with the guest agent, run the
 * scenario, capture periodic samples (ktstr-semantics §1.1) and stream
 * everything into a run archive as it happens.
 *
 * Per boundary: scx_stats request (when a scheduler runs) → elapsed_ms →
 * freeze (QMP stop) → host per-vCPU times → the freeze hook (guest-memory
 * readers plug in here) → thaw (cont) → the sample is appended to the archive.
 * The archive always ends with a footer: "finished", "interrupted",
 * "wall-clock limit", "guest panic", "vm exited", or "error: ...". */
#pragma once

#include <gio/gio.h>
#include "sl-run.h"
#include "sl-qemu.h"
#include "sl-scenario.h"

G_BEGIN_DECLS

typedef struct _SlRunner SlRunner;
typedef struct _SlVm SlVm;

/* Called while every vCPU is stopped, after the host vCPU times were read.
 * It may fill sample->report (maps, per-CPU times). An error is logged in the
 * archive; the sample is still stored. */
typedef gboolean (*SlFreezeHook) (SlVm *vm, SlSample *sample, gpointer user_data, GError **error);

typedef struct {
  guint   samples;
  guint   samples_target;
  guint16 phase;              /* current step index (0 = BASELINE) */
  guint   n_steps;
  guint64 elapsed_ms;         /* workload time since the scenario anchor; 0 before it */
  guint64 wall_ms;            /* host time since QEMU was launched */
  const char *status;         /* "booting", "running", "finishing" */
} SlRunnerProgress;

typedef void (*SlRunnerProgressFunc) (const SlRunnerProgress *p, gpointer user_data);
typedef void (*SlRunnerLineFunc) (const char *line, gpointer user_data);

typedef struct {
  const char  *vmlinux;           /* kernel to boot (PVH vmlinux or bzImage) */
  const char  *kernel_version;    /* for the header; may be NULL */
  const char  *kernel_source;     /* for the header; may be NULL */
  gboolean     kernel_has_sched_ext;
  guint        kernel_hz;         /* 0 = 250 */
  const char  *agent_path;        /* NULL = the build's / installed agent */
  const char  *qemu_binary;       /* NULL = qemu-system-x86_64 */
  SlTopology   topology;
  guint        memory_mb;         /* 0 = 1024 */
  SlAccel      accel;             /* AUTO resolves via sl_accel_resolve */
  gboolean     tcg_single_thread;
  const char  *scheduler;         /* NULL = the kernel's own scheduler */
  const char *const *scheduler_args;
  /* What the run header records as the scheduler: the name the user chose
   * (a bundled scheduler's name, or their binary's path) and its arguments,
   * so an archive never carries this machine's build paths.
   * NULL = scheduler / scheduler_args. */
  const char  *scheduler_label;
  const char *const *scheduler_label_args;
  const char  *stats_socket;      /* its scx_stats socket in the guest; NULL = discover */
  const SlScenario *scenario;
  guint64      duration_ms;       /* 0 = the scenario's */
  guint        snapshots;         /* periodic N (ktstr); 0 = none unless interval_ms */
  guint        interval_ms;       /* alternatively: one capture every interval */
  guint        timeout_s;         /* hard wall-clock limit; 0 = workload + 300 s */
  const char  *output;            /* archive path */
  SlRunnerLineFunc     console;   /* every guest console line (may be NULL) */
  SlRunnerLineFunc     notice;    /* host-side notices for the user (may be NULL) */
  SlRunnerProgressFunc progress;
  gpointer     user_data;
  /* Capture hooks, all with freeze_hook_data (each may be NULL):
   * before_freeze_hook runs just before QMP stop (the VM still runs),
   * freeze_hook while every vCPU is stopped (after the host vCPU times),
   * after_thaw_hook after cont, before the sample is written (deferred work),
   * take_monitor_sample then hands over a monitor sample for this capture
   * (ownership passes to the runner; elapsed_ms is set to host ms since launch).
   * Monitor samples are written as they come and summarised at the end. */
  SlFreezeHook before_freeze_hook;
  SlFreezeHook freeze_hook;
  SlFreezeHook after_thaw_hook;
  SlMonitorSample *(*take_monitor_sample) (gpointer user_data);
  gpointer     freeze_hook_data;
} SlRunnerConfig;

/* The agent binary: $SCHEDLAB_AGENT, else the build tree's, else the installed one. */
const char *sl_runner_default_agent_path (void);

/* --accel auto: after the host check passes, boots the kernel once under KVM
 * with an empty scenario (60 s limit); FALSE (and `why`) when that fails, so
 * the run falls back to TCG. */
gboolean  sl_runner_probe_kvm (const SlRunnerConfig *cfg, char **why);

SlRunner *sl_runner_new (const SlRunnerConfig *cfg);
/* Runs to the end on the thread-default main context. Returns FALSE only when
 * no archive could be written at all; otherwise the archive's end reason says
 * how the run ended (sl_runner_get_end_reason). */
gboolean  sl_runner_run (SlRunner *runner, GError **error);
/* Stops the run as soon as possible (signal handlers, UI): the VM is torn down
 * and every sample so far is kept; the footer says "interrupted". */
void      sl_runner_interrupt (SlRunner *runner);
const char *sl_runner_get_end_reason (SlRunner *runner);
guint     sl_runner_get_n_samples (SlRunner *runner);
/* Guest boot time in ms (CLOCK_BOOTTIME at agent start), 0 when unknown, and
 * host ms from QEMU launch to the agent's first message. */
guint64   sl_runner_get_guest_boot_ms (SlRunner *runner);
guint64   sl_runner_get_host_boot_ms (SlRunner *runner);
/* Freeze durations (µs) of every capture. */
const GArray *sl_runner_get_freeze_us (SlRunner *runner);
void      sl_runner_free (SlRunner *runner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlRunner, sl_runner_free)

G_END_DECLS
