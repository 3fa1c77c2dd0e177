/* sl-archive-reader.c: reading archives, whole or as they grow.
 *
 * SlArchiveTail is the one reader: it splits bytes into lines, hands each
 * complete line to the record decoder and keeps the unfinished rest. Loading
 * a file streams it through a tail chunk by chunk (never slurping it), and
 * loading bytes feeds them in one go, so all three paths agree by
 * construction. A last line without its newline is a record cut by a crash:
 * it is dropped and the run is marked incomplete. */
#include "sl-archive-private.h"

#include <string.h>

#define READ_CHUNK (256 * 1024)
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 20)

struct _SlArchiveTail {
  SlRun               *run;
  SlArchiveDecodeState st;
  GByteArray          *pending;      /* an unfinished line */
  guint64              offset;       /* bytes consumed as complete lines */
  guint                new_samples;
  GError              *error;        /* sticky: the tail stops at the first error */
};

static void
ensure_run_arrays (SlRun *run)
{
  /* The decoder appends to these; make them exist whatever sl_run_new does. */
  if (run->stimulus == NULL)
    run->stimulus = g_array_new (FALSE, TRUE, sizeof (SlStimulusEvent));
  if (run->samples == NULL)
    run->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_sample_free);
  if (run->monitor_samples == NULL)
    run->monitor_samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  if (run->exits == NULL)
    run->exits = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_sched_exit_free);
  if (run->cgroups == NULL)
    run->cgroups = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_cgroup_result_free);
  if (run->log == NULL)
    run->log = g_ptr_array_new_with_free_func (g_free);
}

SlArchiveTail *
sl_archive_tail_new (void)
{
  SlArchiveTail *tail = g_new0 (SlArchiveTail, 1);

  tail->run = sl_run_new ();
  ensure_run_arrays (tail->run);
  tail->run->complete = FALSE;
  g_free (tail->run->incomplete_reason);
  tail->run->incomplete_reason = g_strdup ("the archive is still being read");
  tail->pending = g_byte_array_new ();
  return tail;
}

void
sl_archive_tail_free (SlArchiveTail *tail)
{
  if (tail == NULL)
    return;
  sl_run_unref (tail->run);
  g_byte_array_unref (tail->pending);
  g_clear_error (&tail->error);
  g_free (tail);
}

static gboolean
stop (SlArchiveTail *tail, GError *error, GError **out)
{
  tail->error = error;
  g_propagate_error (out, g_error_copy (error));
  return FALSE;
}

static gboolean
too_long (SlArchiveTail *tail, GError **error)
{
  return stop (tail,
               g_error_new (SL_ERROR, SL_ERROR_TOO_LARGE,
                            "record %" G_GUINT64_FORMAT " (byte %" G_GUINT64_FORMAT "): longer than the %"
                            G_GSIZE_FORMAT "-byte record limit",
                            tail->st.records + 1, tail->offset, SL_ARCHIVE_MAX_RECORD_BYTES),
               error);
}

static gboolean
decode (SlArchiveTail *tail, const char *line, gsize len, GError **error)
{
  GError *local = NULL;

  if (!sl_archive_decode_line (&tail->st, tail->run, line, len,
                               tail->st.records + 1, tail->offset, &local))
    return stop (tail, local, error);
  tail->offset += len + 1;
  if (tail->st.seen_footer)
    {
      /* The run ended; sl_archive_tail_finish may still find stray bytes. */
      tail->run->complete = TRUE;
      g_clear_pointer (&tail->run->incomplete_reason, g_free);
    }
  return TRUE;
}

gboolean
sl_archive_tail_feed (SlArchiveTail *tail, const char *data, gsize len, GError **error)
{
  guint before;

  g_return_val_if_fail (tail != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tail->new_samples = 0;
  if (tail->error != NULL)
    {
      g_propagate_error (error, g_error_copy (tail->error));
      return FALSE;
    }

  before = tail->run->samples->len;
  while (len > 0)
    {
      const char *nl = memchr (data, '\n', len);
      gsize line_len;

      if (nl == NULL)
        {
          if (tail->pending->len + len > SL_ARCHIVE_MAX_RECORD_BYTES)
            return too_long (tail, error);
          g_byte_array_append (tail->pending, (const guint8 *) data, (guint) len);
          break;
        }
      line_len = (gsize) (nl - data);
      if (tail->pending->len + line_len > SL_ARCHIVE_MAX_RECORD_BYTES)
        return too_long (tail, error);
      if (tail->pending->len > 0)
        {
          g_byte_array_append (tail->pending, (const guint8 *) data, (guint) line_len);
          if (!decode (tail, (const char *) tail->pending->data, tail->pending->len, error))
            return FALSE;
          g_byte_array_set_size (tail->pending, 0);
        }
      else if (!decode (tail, data, line_len, error))
        return FALSE;
      data = nl + 1;
      len -= line_len + 1;
    }
  tail->new_samples = tail->run->samples->len - before;
  return TRUE;
}

guint
sl_archive_tail_get_new_samples (SlArchiveTail *tail)
{
  g_return_val_if_fail (tail != NULL, 0);
  return tail->new_samples;
}

SlRun *
sl_archive_tail_get_run (SlArchiveTail *tail)
{
  g_return_val_if_fail (tail != NULL, NULL);
  return tail->run;
}

gboolean
sl_archive_tail_has_header (SlArchiveTail *tail)
{
  g_return_val_if_fail (tail != NULL, FALSE);
  return tail->st.seen_header;
}

gboolean
sl_archive_tail_has_footer (SlArchiveTail *tail)
{
  g_return_val_if_fail (tail != NULL, FALSE);
  return tail->st.seen_footer;
}

guint64
sl_archive_tail_get_offset (SlArchiveTail *tail)
{
  g_return_val_if_fail (tail != NULL, 0);
  return tail->offset;
}

gboolean
sl_archive_tail_finish (SlArchiveTail *tail, GError **error)
{
  SlRun *run;

  g_return_val_if_fail (tail != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tail->error != NULL)
    {
      g_propagate_error (error, g_error_copy (tail->error));
      return FALSE;
    }
  run = tail->run;
  if (!tail->st.seen_header)
    {
      if (tail->pending->len > 0)
        return stop (tail,
                     g_error_new (SL_ERROR, SL_ERROR_CORRUPT,
                                  "record 1 (byte 0): the header is truncated (%u bytes without a newline)",
                                  tail->pending->len),
                     error);
      return stop (tail, g_error_new_literal (SL_ERROR, SL_ERROR_CORRUPT, "empty archive: no header record"),
                   error);
    }

  g_clear_pointer (&run->incomplete_reason, g_free);
  if (tail->pending->len > 0)
    {
      run->complete = FALSE;
      run->incomplete_reason =
        g_strdup_printf ("truncated: record %" G_GUINT64_FORMAT " at byte %" G_GUINT64_FORMAT
                         " is incomplete (%u bytes without a newline); the %" G_GUINT64_FORMAT
                         " records before it were kept",
                         tail->st.records + 1, tail->offset, tail->pending->len, tail->st.records);
    }
  else if (!tail->st.seen_footer)
    {
      run->complete = FALSE;
      run->incomplete_reason =
        g_strdup_printf ("no footer: the archive ends after record %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT
                         " bytes) without the footer a finished run writes",
                         tail->st.records, tail->offset);
    }
  else
    run->complete = TRUE;
  return TRUE;
}

SlRun *
sl_archive_load_from_bytes (GBytes *bytes, GError **error)
{
  g_autoptr(SlArchiveTail) tail = NULL;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  tail = sl_archive_tail_new ();
  if (!sl_archive_tail_feed (tail, data != NULL ? data : "", len, error)
      || !sl_archive_tail_finish (tail, error))
    return NULL;
  return sl_run_ref (tail->run);
}

SlRun *
sl_archive_load (const char *path, GCancellable *cancellable,
                 SlArchiveProgressFunc progress, gpointer user_data,
                 GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SlArchiveTail) tail = NULL;
  g_autofree char *buf = NULL;
  guint64 total = 0, done = 0;
  gint64 last_progress = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_file_new_for_path (path);
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;
  info = g_file_input_stream_query_info (in, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    total = (guint64) g_file_info_get_size (info);

  tail = sl_archive_tail_new ();
  buf = g_malloc (READ_CHUNK);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, READ_CHUNK, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (!sl_archive_tail_feed (tail, buf, (gsize) n, error))
        {
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
      done += (guint64) n;
      if (progress != NULL)
        {
          gint64 now = g_get_monotonic_time ();

          if (now - last_progress >= PROGRESS_INTERVAL_US)
            {
              last_progress = now;
              progress (done, MAX (total, done), user_data);
            }
        }
    }
  if (!sl_archive_tail_finish (tail, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (progress != NULL)
    progress (done, MAX (total, done), user_data);
  return sl_run_ref (tail->run);
}
