/* cli-vm-config.h: what `run` and `test` share to turn a user's (or a test
 * file's) choices into an SlRunnerConfig: bundled scheduler names, kernel
 * specs written by earlier runs, and the guest-memory capture hooks. */
#pragma once

#include <glib.h>
#include "sl-introspector.h"
#include "sl-kernel.h"
#include "sl-runner.h"

G_BEGIN_DECLS

/* The bundled scheduler loader (vmm/guest/schedulers, doc/schedulers.md):
 * $SCHEDLAB_SCHED_LOADER, else the build tree's; NULL when neither exists. */
const char *sl_cli_sched_loader_path (void);

/* Scheduler to run: "" or NULL = none (*out_path = NULL); "sl_fifo" or
 * "sl_vtime" = the bundled loader with "--scheduler NAME" before `args`; a
 * loader path from another machine (base name "sl-sched" that does not
 * exist here) = this build's loader; otherwise an executable path. */
gboolean sl_cli_resolve_scheduler (const char *scheduler, const char *const *args,
                                   char **out_path, GStrv *out_args, GError **error);

/* A kernel spec sl_kernel_resolve understands from what a run header or a
 * test file says: "debian:linux-binary-<release>" (what `run` records) and
 * "debian:linux-image-<release>[=<version>]" become "<release>"; anything
 * else is passed through. */
char *sl_cli_kernel_spec (const char *kernel);
/* What a run records as its kernel source: "debian:<package>" or the path. */
char *sl_cli_kernel_source (const SlKernel *k);

/* Plugs guest-memory capture (BPF maps, per-CPU times, monitor) into cfg. */
void sl_cli_use_introspector (SlRunnerConfig *cfg, SlIntrospector *in);

G_END_DECLS
