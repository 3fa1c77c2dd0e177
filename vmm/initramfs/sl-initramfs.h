/* sl-initramfs.h: the guest's initramfs: the agent as /init, /dev/console, and
 * optionally the scheduler binary (with the shared libraries it needs) and the
 * compact scenario. Written as an uncompressed newc cpio (the kernel unpacks it
 * fastest under TCG). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the agent finds things inside the guest. */
#define SL_GUEST_SCENARIO_PATH  "etc/schedlab/scenario"
#define SL_GUEST_SCHEDULER_PATH "usr/bin/scheduler"
#define SL_GUEST_SCHEDULER_ARGS_PATH "etc/schedlab/scheduler-args"
#define SL_GUEST_STATS_SOCKET_PATH "etc/schedlab/stats-socket"

typedef struct {
  const char *agent_path;      /* static guest agent (required) */
  const char *scheduler_path;  /* NULL = none */
  const char *const *scheduler_args; /* NULL-terminated, one per line in the guest; may be NULL */
  const char *scenario_text;   /* compact scenario; NULL = none */
  const char *stats_socket;    /* the scheduler's scx_stats socket in the guest; NULL = discover */
} SlInitramfsSpec;

/* Writes the archive to `out_path` (mode 0600). */
gboolean sl_initramfs_build (const SlInitramfsSpec *spec, const char *out_path, GError **error);

G_END_DECLS
