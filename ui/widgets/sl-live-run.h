/* sl-live-run.h: a run that is still being written, followed as it grows.
 *
 * The archive file is tailed (SlArchiveTail) a few times a second, so the
 * workbench sees the same records, in the same order, as a later reader of the
 * file. A live run either follows a file another program writes, or spawns
 * `schedlab-cli run` itself (sl_live_run_spawn): the CLI already assembles a
 * runner configuration (kernel fetch, bundled scheduler loader, guest-memory
 * capture), keeps QEMU and the guest's failures out of the GUI process, and
 * turns SIGINT into sl_runner_interrupt, so Stop keeps every sample with the
 * end reason "interrupted". Its stderr is the log; its progress lines feed
 * the status. No GTK. */
#pragma once

#include <gio/gio.h>
#include "sl-run.h"

G_BEGIN_DECLS

#define SL_TYPE_LIVE_RUN (sl_live_run_get_type ())
G_DECLARE_FINAL_TYPE (SlLiveRun, sl_live_run, SL, LIVE_RUN, GObject)

typedef enum {
  SL_LIVE_WAITING,     /* no header yet (kernel fetch, boot) */
  SL_LIVE_RUNNING,
  SL_LIVE_STOPPING,    /* Stop asked; waiting for the footer */
  SL_LIVE_FINISHED,    /* footer read, or the writer went away */
  SL_LIVE_FAILED,      /* no usable archive, or the run ended badly */
} SlLiveState;

/* Follows `path` (it may not exist yet). */
SlLiveRun   *sl_live_run_new_follow (const char *path, guint poll_ms);
/* Spawns `cli` (schedlab-cli) with `args` (everything after "run"; "-o PATH"
 * is added) and follows its archive. */
SlLiveRun   *sl_live_run_spawn (const char *cli, const char *const *args, const char *path, GError **error);

/* Stops the run: SIGINT to the CLI, or, when following a file written by
 * someone else, reads what is there and stops following. */
void         sl_live_run_stop (SlLiveRun *self);
/* Reads whatever arrived now (the timer does this too). */
void         sl_live_run_poll (SlLiveRun *self);

SlLiveState  sl_live_run_get_state (SlLiveRun *self);
const char  *sl_live_run_get_path (SlLiveRun *self);
/* The run as read so far (grows in place; NULL before the header). */
SlRun       *sl_live_run_get_run (SlLiveRun *self);
/* The runner's own status words: "booting", "running", "finishing"; or NULL. */
const char  *sl_live_run_get_status (SlLiveRun *self);
guint        sl_live_run_get_n_samples (SlLiveRun *self);
guint        sl_live_run_get_samples_target (SlLiveRun *self);
const char  *sl_live_run_get_phase_label (SlLiveRun *self);
double       sl_live_run_get_elapsed_s (SlLiveRun *self);
double       sl_live_run_get_wall_s (SlLiveRun *self);
/* Every line of the CLI's stderr and the guest console (char*). */
GPtrArray   *sl_live_run_get_log (SlLiveRun *self);
/* For a FAILED or badly ended run: what went wrong, in plain words. */
const char  *sl_live_run_get_problem (SlLiveRun *self);

/* Parses one progress line of `schedlab-cli run` ("running: phase Step[0],
 * samples 3/20, elapsed 1.5 s"); FALSE when it is not one. Exposed for tests. */
gboolean     sl_live_run_parse_progress (const char *line, char **status, char **phase,
                                         guint *samples, guint *target, double *elapsed_s);
/* The plain-words problem for a log, an exit status and a run (any may be
 * NULL/0); NULL when the run ended normally. Exposed for tests. */
char        *sl_live_run_explain (GPtrArray *log, gboolean exited, int exit_status, SlRun *run);

G_END_DECLS
