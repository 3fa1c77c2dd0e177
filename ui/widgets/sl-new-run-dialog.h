/* sl-new-run-dialog.h: the "New Run" dialog: kernel, topology, scheduler and
 * its arguments (with the bundled schedulers' fault modes), scenario,
 * duration, snapshots and the archive to write. It only gathers choices:
 * "start" hands over the `schedlab-cli run` arguments and the output path. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_TYPE_NEW_RUN_DIALOG (sl_new_run_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SlNewRunDialog, sl_new_run_dialog, SL, NEW_RUN_DIALOG, AdwWindow)

GtkWidget *sl_new_run_dialog_new (GtkWindow *parent);
/* The arguments of `schedlab-cli run` for the current choices (without
 * "run" and "-o"), and in *output the archive path. NULL with `error` when a
 * choice is incomplete (say, "Other binary" without a file). */
GStrv      sl_new_run_dialog_build_args (SlNewRunDialog *self, char **output, GError **error);
/* Test hooks: pick by name ("sl_vtime", "stall", "steady"). */
void       sl_new_run_dialog_select (SlNewRunDialog *self, const char *scheduler, const char *fault,
                                     const char *scenario);
void       sl_new_run_dialog_set_output (SlNewRunDialog *self, const char *path);

/* Where schedlab-cli and the bundled scheduler loader are: $SCHEDLAB_CLI /
 * $SCHEDLAB_SCHED_LOADER, else this build's, else the installed one. */
char      *sl_new_run_find_cli (void);
char      *sl_new_run_find_sched_loader (void);
/* $XDG_DATA_HOME/schedlab/runs/<scenario>-<scheduler>-<time>.slrun (the
 * directory is created). */
char      *sl_new_run_default_output (const char *scenario, const char *scheduler);

G_END_DECLS
