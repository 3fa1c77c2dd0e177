/* sl-loader.c: GTask worker around sl_archive_load with a salvage path. */
#include "sl-loader.h"

#include "sl-archive.h"

typedef struct {
  char             *path;
  GMainContext     *context;
  SlLoaderProgress  progress;
  gpointer          progress_data;
  gint              pending;     /* a progress update is queued: coalesce */
  double            fraction;
  char             *warning;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_free (d->path);
  g_main_context_unref (d->context);
  g_free (d->warning);
  g_free (d);
}

/* Reads records up to the first bad one: everything before it is kept. */
static SlRun *
salvage (const char *path, GCancellable *cancellable, GError **error)
{
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  char buf[64 * 1024];

  if (in == NULL)
    return NULL;
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (!sl_archive_tail_feed (tail, buf, (gsize) n, NULL))
        break;
    }
  if (!sl_archive_tail_has_header (tail))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no readable header");
      return NULL;
    }
  return sl_run_ref (sl_archive_tail_get_run (tail));
}

SlRun *
sl_loader_load (const char *path, GCancellable *cancellable,
                void (*progress) (guint64, guint64, gpointer), gpointer data,
                char **warning, GError **error)
{
  g_autoptr(GError) local = NULL;
  SlRun *run;

  g_return_val_if_fail (path != NULL, NULL);

  run = sl_archive_load (path, cancellable, progress, data, &local);
  if (run != NULL)
    {
      if (!run->complete && warning)
        *warning = g_strdup_printf ("This run is incomplete: %s. Everything before that point is shown.",
                                    run->incomplete_reason ? run->incomplete_reason : "the archive has no footer");
      return run;
    }
  if (g_error_matches (local, SL_ERROR, SL_ERROR_CORRUPT))
    {
      run = salvage (path, cancellable, NULL);
      if (run != NULL)
        {
          run->complete = FALSE;
          if (warning)
            *warning = g_strdup_printf ("Part of this archive is damaged and was not read: %s", local->message);
          return run;
        }
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

static gboolean
deliver_progress (gpointer user_data)
{
  GTask *task = user_data;
  LoadData *d = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_atomic_int_set (&d->pending, 0);
  /* After a cancel the receiver may be gone. */
  if (d->progress && !(cancellable && g_cancellable_is_cancelled (cancellable)))
    d->progress (d->fraction, d->progress_data);
  return G_SOURCE_REMOVE;
}

static void
worker_progress (guint64 done, guint64 total, gpointer user_data)
{
  GTask *task = user_data;
  LoadData *d = g_task_get_task_data (task);

  d->fraction = total ? (double) done / total : 0;
  if (g_atomic_int_compare_and_exchange (&d->pending, 0, 1))
    {
      GSource *source = g_idle_source_new ();
      /* The source holds the task (and so d) until it has run. */
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, deliver_progress, g_object_ref (task), g_object_unref);
      g_source_attach (source, d->context);
      g_source_unref (source);
    }
}

static void
worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *d = task_data;
  GError *error = NULL;
  SlRun *run = sl_loader_load (d->path, cancellable, worker_progress, task, &d->warning, &error);

  if (run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, run, (GDestroyNotify) sl_run_unref);
}

void
sl_loader_load_async (const char *path, GCancellable *cancellable,
                      SlLoaderProgress progress, gpointer progress_data,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *d;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_loader_load_async);
  d = g_new0 (LoadData, 1);
  d->path = g_strdup (path);
  d->context = g_main_context_ref_thread_default ();
  d->progress = progress;
  d->progress_data = progress_data;
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, worker);
}

SlRun *
sl_loader_load_finish (GAsyncResult *result, char **warning, GError **error)
{
  LoadData *d;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  d = g_task_get_task_data (G_TASK (result));
  if (warning)
    *warning = g_strdup (d->warning);
  return g_task_propagate_pointer (G_TASK (result), error);
}
