/* sl-loader.h: opening a run archive off the main thread, with progress and
 * cancellation. A truncated archive opens as far as it is valid (run->complete
 * is FALSE); a corrupt one opens up to its last good record when that still
 * includes the header, with the corruption reported as a warning. */
#pragma once

#include <gio/gio.h>
#include "sl-run.h"

G_BEGIN_DECLS

/* Called on the caller's main context with the fraction read (0..1). */
typedef void (*SlLoaderProgress) (double fraction, gpointer user_data);

void   sl_loader_load_async  (const char *path, GCancellable *cancellable,
                              SlLoaderProgress progress, gpointer progress_data,
                              GAsyncReadyCallback callback, gpointer user_data);
/* The run, and in *warning (optional) a sentence about what could not be read. */
SlRun *sl_loader_load_finish (GAsyncResult *result, char **warning, GError **error);
/* The same, synchronously (used by the worker and by tests). */
SlRun *sl_loader_load        (const char *path, GCancellable *cancellable,
                              void (*progress) (guint64, guint64, gpointer), gpointer data,
                              char **warning, GError **error);

G_END_DECLS
