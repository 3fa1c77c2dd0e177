/* sl-archive-writer.c: appends records to a run archive as the run goes, and
 * saves whole in-memory runs.
 *
 * Crash safety: a record is one line, written with a full write() loop and
 * then fdatasync()ed before the call returns, so after a crash the file holds
 * every record that was acknowledged plus at most one partial last line, which
 * the reader drops. A failed write is rolled back with ftruncate() so a later
 * record never lands glued to a partial one. */
#include "sl-archive-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

struct _SlArchiveWriter {
  char                *path;      /* for messages; NULL when writing to memory */
  int                  fd;        /* -1 when writing to memory */
  GString             *mem;       /* the in-memory sink of sl_archive_save_to_bytes */
  SlArchiveWriterFlags flags;
  SlJsonWriter        *json;
  guint64              offset;    /* bytes of complete records written */
  guint64              n_samples;
  gboolean             finished;
  gboolean             broken;    /* a failed write could not be rolled back */
};

static void
set_io_error (GError **error, int errsv, const char *what, const char *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               "%s %s: %s", what, path, g_strerror (errsv));
}

static gboolean
write_all (int fd, const char *buf, gsize len, int *errsv)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *errsv = errno;
          return FALSE;
        }
      buf += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* fsync of the directory makes a newly created or renamed entry durable. */
static void
sync_parent_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd >= 0)
    {
      (void) fsync (fd);
      close (fd);
    }
}

/* Writes the record the encoder left in w->json as one line. */
static gboolean
emit_record (SlArchiveWriter *w, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  int errsv = 0;

  text = sl_json_writer_steal (w->json, &len);
  if (w->broken)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO,
                   "archive %s is unusable after an earlier write error", w->path);
      return FALSE;
    }
  if (len > SL_ARCHIVE_MAX_RECORD_BYTES)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE,
                   "record of %" G_GSIZE_FORMAT " bytes exceeds the archive's %" G_GSIZE_FORMAT "-byte record limit",
                   len, SL_ARCHIVE_MAX_RECORD_BYTES);
      return FALSE;
    }
  /* The line structure is the whole crash-safety story: never let a raw
   * newline into a record. */
  if (memchr (text, '\n', len) != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "record text contains a raw newline");
      return FALSE;
    }

  if (w->mem != NULL)
    {
      g_string_append_len (w->mem, text, (gssize) len);
      g_string_append_c (w->mem, '\n');
      w->offset += len + 1;
      return TRUE;
    }

  text = g_realloc (text, len + 1);
  text[len] = '\n';
  if (!write_all (w->fd, text, len + 1, &errsv))
    {
      if (ftruncate (w->fd, (off_t) w->offset) != 0
          || lseek (w->fd, (off_t) w->offset, SEEK_SET) < 0)
        w->broken = TRUE;
      set_io_error (error, errsv, "cannot write to", w->path);
      return FALSE;
    }
  w->offset += len + 1;
  if (!(w->flags & SL_ARCHIVE_WRITER_NO_SYNC) && fdatasync (w->fd) != 0)
    {
      set_io_error (error, errno, "cannot sync", w->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_open (SlArchiveWriter *w, GError **error)
{
  if (w->finished)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "archive %s is already finished", w->path != NULL ? w->path : "(memory)");
      return FALSE;
    }
  return TRUE;
}

static SlArchiveWriter *
writer_new (SlArchiveWriterFlags flags)
{
  SlArchiveWriter *w = g_new0 (SlArchiveWriter, 1);

  w->fd = -1;
  w->flags = flags;
  w->json = sl_json_writer_new ();
  return w;
}

SlArchiveWriter *
sl_archive_writer_create_full (const char *path, const SlRunHeader *header,
                               SlArchiveWriterFlags flags, GError **error)
{
  g_autoptr(SlArchiveWriter) w = NULL;
  int oflags = O_WRONLY | O_CREAT | O_CLOEXEC;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  oflags |= (flags & SL_ARCHIVE_WRITER_EXCLUSIVE) ? O_EXCL : O_TRUNC;
  w = writer_new (flags);
  w->path = g_strdup (path);
  w->fd = open (path, oflags, 0644);
  if (w->fd < 0)
    {
      set_io_error (error, errno, "cannot create", path);
      return NULL;
    }
  sl_archive_encode_header (w->json, header);
  if (!emit_record (w, error))
    return NULL;
  if (!(flags & SL_ARCHIVE_WRITER_NO_SYNC))
    sync_parent_dir (path);
  return g_steal_pointer (&w);
}

SlArchiveWriter *
sl_archive_writer_create (const char *path, const SlRunHeader *header, GError **error)
{
  return sl_archive_writer_create_full (path, header, SL_ARCHIVE_WRITER_DEFAULT, error);
}

gboolean
sl_archive_writer_add_stimulus (SlArchiveWriter *w, const SlStimulusEvent *ev, GError **error)
{
  g_return_val_if_fail (w != NULL && ev != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_stimulus (w->json, ev);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_add_sample (SlArchiveWriter *w, const SlSample *s, GError **error)
{
  g_return_val_if_fail (w != NULL && s != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  /* The encoder validates before it writes anything. */
  if (!sl_archive_encode_sample (w->json, s, error))
    return FALSE;
  if (!emit_record (w, error))
    return FALSE;
  w->n_samples++;
  return TRUE;
}

gboolean
sl_archive_writer_add_monitor_sample (SlArchiveWriter *w, const SlMonitorSample *m, GError **error)
{
  g_return_val_if_fail (w != NULL && m != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_monitor (w->json, m);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_set_monitor_summary (SlArchiveWriter *w, const SlMonitorSummary *sum, GError **error)
{
  g_return_val_if_fail (w != NULL && sum != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_monitor_summary (w->json, sum);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_add_sched_exit (SlArchiveWriter *w, const SlSchedExit *e, GError **error)
{
  g_return_val_if_fail (w != NULL && e != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_sched_exit (w->json, e);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_add_cgroup (SlArchiveWriter *w, const SlCgroupResult *c, GError **error)
{
  g_return_val_if_fail (w != NULL && c != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_cgroup (w->json, c);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_add_log (SlArchiveWriter *w, const char *line, GError **error)
{
  g_return_val_if_fail (w != NULL && line != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_log (w->json, line);
  return emit_record (w, error);
}

gboolean
sl_archive_writer_finish (SlArchiveWriter *w, const char *end_reason, GError **error)
{
  g_return_val_if_fail (w != NULL, FALSE);
  if (!check_open (w, error))
    return FALSE;
  sl_archive_encode_footer (w->json, w->n_samples, end_reason);
  if (!emit_record (w, error))
    return FALSE;
  w->finished = TRUE;
  if (w->fd >= 0)
    {
      /* NO_SYNC writers still sync once here: finishing means durable. */
      if (fsync (w->fd) != 0)
        {
          set_io_error (error, errno, "cannot sync", w->path);
          return FALSE;
        }
      if (close (w->fd) != 0)
        {
          w->fd = -1;
          set_io_error (error, errno, "cannot close", w->path);
          return FALSE;
        }
      w->fd = -1;
    }
  return TRUE;
}

guint64
sl_archive_writer_get_n_samples (SlArchiveWriter *w)
{
  g_return_val_if_fail (w != NULL, 0);
  return w->n_samples;
}

void
sl_archive_writer_free (SlArchiveWriter *w)
{
  if (w == NULL)
    return;
  if (w->fd >= 0)
    close (w->fd);
  if (w->mem != NULL)
    g_string_free (w->mem, TRUE);
  sl_json_writer_free (w->json);
  g_free (w->path);
  g_free (w);
}

/* Every record of an in-memory run, grouped by type (the reader does not
 * depend on the order between types). The footer only when complete. */
static gboolean
write_run (SlArchiveWriter *w, const SlRun *run, GError **error)
{
  sl_archive_encode_header (w->json, &run->header);
  if (!emit_record (w, error))
    return FALSE;
  for (guint i = 0; run->stimulus != NULL && i < run->stimulus->len; i++)
    if (!sl_archive_writer_add_stimulus (w, &g_array_index (run->stimulus, SlStimulusEvent, i), error))
      return FALSE;
  for (guint i = 0; run->samples != NULL && i < run->samples->len; i++)
    if (!sl_archive_writer_add_sample (w, g_ptr_array_index (run->samples, i), error))
      return FALSE;
  for (guint i = 0; run->monitor_samples != NULL && i < run->monitor_samples->len; i++)
    if (!sl_archive_writer_add_monitor_sample (w, g_ptr_array_index (run->monitor_samples, i), error))
      return FALSE;
  if (run->monitor_summary != NULL
      && !sl_archive_writer_set_monitor_summary (w, run->monitor_summary, error))
    return FALSE;
  for (guint i = 0; run->exits != NULL && i < run->exits->len; i++)
    if (!sl_archive_writer_add_sched_exit (w, g_ptr_array_index (run->exits, i), error))
      return FALSE;
  for (guint i = 0; run->cgroups != NULL && i < run->cgroups->len; i++)
    if (!sl_archive_writer_add_cgroup (w, g_ptr_array_index (run->cgroups, i), error))
      return FALSE;
  for (guint i = 0; run->log != NULL && i < run->log->len; i++)
    if (!sl_archive_writer_add_log (w, g_ptr_array_index (run->log, i), error))
      return FALSE;
  if (run->complete)
    return sl_archive_writer_finish (w, run->end_reason, error);
  return TRUE;
}

GBytes *
sl_archive_save_to_bytes (const SlRun *run)
{
  g_autoptr(SlArchiveWriter) w = NULL;
  g_autoptr(GError) error = NULL;
  GString *out;

  g_return_val_if_fail (run != NULL, NULL);
  w = writer_new (SL_ARCHIVE_WRITER_NO_SYNC);
  w->mem = g_string_new (NULL);
  if (!write_run (w, run, &error))
    {
      g_critical ("sl_archive_save_to_bytes: %s", error->message);
      return NULL;
    }
  out = g_steal_pointer (&w->mem);
  return g_string_free_to_bytes (out);
}

gboolean
sl_archive_save (const SlRun *run, const char *path, GError **error)
{
  g_autoptr(SlArchiveWriter) w = NULL;
  g_autofree char *tmp = NULL;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tmp = g_strdup_printf ("%s.tmp-XXXXXX", path);
  w = writer_new (SL_ARCHIVE_WRITER_NO_SYNC);
  w->path = g_strdup (tmp);
  w->fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (w->fd < 0)
    {
      set_io_error (error, errno, "cannot create", tmp);
      return FALSE;
    }
  if (!write_run (w, run, error))
    goto fail;
  if (w->fd >= 0)
    {
      /* An incomplete run has no footer, so finish did not sync and close. */
      if (fsync (w->fd) != 0 || close (w->fd) != 0)
        {
          w->fd = -1;
          set_io_error (error, errno, "cannot write", tmp);
          goto fail;
        }
      w->fd = -1;
    }
  if (g_rename (tmp, path) != 0)
    {
      set_io_error (error, errno, "cannot rename to", path);
      goto fail;
    }
  sync_parent_dir (path);
  return TRUE;

fail:
  g_unlink (tmp);
  return FALSE;
}
