/* sl-archive.h: the run archive (.slrun): write it as a run goes, read it back.
 *
 * The format is UTF-8 JSON Lines, one record per line, described in
 * doc/archive-format.md. Writing is append-only and crash-safe: each record is
 * one complete line, written and flushed to disk before the call returns, so a
 * crash loses at most the record being written. Reading treats the archive as
 * untrusted input: every size and count is bounded and every failure names the
 * record and byte offset where it happened. */
#pragma once

#include <gio/gio.h>
#include "sl-run.h"

G_BEGIN_DECLS

#define SL_ARCHIVE_FORMAT  "schedlab-run"
#define SL_ARCHIVE_VERSION 1

/* Bounds applied when reading (SL_ERROR_TOO_LARGE when exceeded). */
#define SL_ARCHIVE_MAX_RECORD_BYTES     ((gsize) 64 * 1024 * 1024)  /* one line, without its newline */
#define SL_ARCHIVE_MAX_SAMPLES          1000000
#define SL_ARCHIVE_MAX_MONITOR_SAMPLES  1000000
#define SL_ARCHIVE_MAX_STIMULUS         1000000
#define SL_ARCHIVE_MAX_LOG_LINES        1000000
#define SL_ARCHIVE_MAX_EXITS            10000
#define SL_ARCHIVE_MAX_CGROUPS          10000
#define SL_ARCHIVE_MAX_CPUS             4096     /* per monitor sample and per sample's vcpu_times */
#define SL_ARCHIVE_MAX_JSON_DEPTH       512      /* nesting of one record */

/* ---- Writing ---------------------------------------------------------- */

typedef enum {
  SL_ARCHIVE_WRITER_DEFAULT   = 0,       /* create or truncate; fdatasync after every record */
  SL_ARCHIVE_WRITER_EXCLUSIVE = 1 << 0,  /* fail with G_IO_ERROR_EXISTS if the file exists */
  SL_ARCHIVE_WRITER_NO_SYNC   = 1 << 1,  /* no per-record fdatasync (bulk writes that sync once at the end) */
} SlArchiveWriterFlags;

/* One writer appends to one archive. It is not thread-safe: a single thread
 * (the run driver) owns it; other threads hand it records through a queue. */
typedef struct _SlArchiveWriter SlArchiveWriter;

/* Creates the file and writes the header record. A NULL header->created is
 * written as the current UTC time; a NULL tool_version as this build's. */
SlArchiveWriter *sl_archive_writer_create      (const char *path, const SlRunHeader *header, GError **error);
SlArchiveWriter *sl_archive_writer_create_full (const char *path, const SlRunHeader *header,
                                                SlArchiveWriterFlags flags, GError **error);

gboolean sl_archive_writer_add_stimulus       (SlArchiveWriter *w, const SlStimulusEvent *ev, GError **error);
gboolean sl_archive_writer_add_sample         (SlArchiveWriter *w, const SlSample *s, GError **error);
gboolean sl_archive_writer_add_monitor_sample (SlArchiveWriter *w, const SlMonitorSample *m, GError **error);
gboolean sl_archive_writer_set_monitor_summary (SlArchiveWriter *w, const SlMonitorSummary *sum, GError **error);
gboolean sl_archive_writer_add_sched_exit     (SlArchiveWriter *w, const SlSchedExit *e, GError **error);
gboolean sl_archive_writer_add_cgroup         (SlArchiveWriter *w, const SlCgroupResult *c, GError **error);
gboolean sl_archive_writer_add_log            (SlArchiveWriter *w, const char *line, GError **error);
/* Writes the footer (end_reason NULL = "finished"), syncs and closes the file.
 * Nothing can be added afterwards. */
gboolean sl_archive_writer_finish             (SlArchiveWriter *w, const char *end_reason, GError **error);
/* Number of sample records written so far. */
guint64  sl_archive_writer_get_n_samples      (SlArchiveWriter *w);
/* Closes without a footer unless finished: such an archive reads as incomplete. */
void     sl_archive_writer_free               (SlArchiveWriter *w);

/* Writes a whole in-memory run atomically (temporary file in the same
 * directory, fsync, rename). The footer is written only when run->complete. */
gboolean sl_archive_save          (const SlRun *run, const char *path, GError **error);
/* The same bytes, in memory (for tests, fuzz seeds and pipes). */
GBytes  *sl_archive_save_to_bytes (const SlRun *run);

/* ---- Reading ---------------------------------------------------------- */

/* bytes_read of bytes_total (0 when unknown); called at most ~20 times a
 * second, and once more when the whole file has been read. */
typedef void (*SlArchiveProgressFunc) (guint64 bytes_read, guint64 bytes_total, gpointer user_data);

/* Streams the file line by line. A final line without its newline is a
 * truncated record: everything before it is kept and run->complete is FALSE
 * (run->incomplete_reason says where). A missing footer also leaves
 * complete = FALSE. Malformed records fail with SL_ERROR_CORRUPT, bounds with
 * SL_ERROR_TOO_LARGE, a newer format with SL_ERROR_VERSION, cancellation with
 * G_IO_ERROR_CANCELLED. */
SlRun *sl_archive_load            (const char *path, GCancellable *cancellable,
                                   SlArchiveProgressFunc progress, gpointer user_data,
                                   GError **error);
SlRun *sl_archive_load_from_bytes (GBytes *bytes, GError **error);

/* ---- Incremental reading (live runs) ---------------------------------- */

/* Parses an archive that is still growing (a file being written, or bytes
 * arriving from a runner), chunk by chunk, with the same record parser as
 * sl_archive_load. Records become visible in the run as soon as their
 * newline arrives. Not thread-safe; the run must only be read between feeds. */
typedef struct _SlArchiveTail SlArchiveTail;

SlArchiveTail *sl_archive_tail_new            (void);
void           sl_archive_tail_free           (SlArchiveTail *tail);
/* Appends data; parses every complete line. After an error the tail is
 * stopped and every later feed fails with the same error. */
gboolean       sl_archive_tail_feed           (SlArchiveTail *tail, const char *data, gsize len, GError **error);
/* Samples appended to the run by the last sl_archive_tail_feed call. */
guint          sl_archive_tail_get_new_samples (SlArchiveTail *tail);
/* The run built so far (owned by the tail; sl_run_ref it to keep it). Its
 * header is all zero until the header record has arrived. */
SlRun         *sl_archive_tail_get_run        (SlArchiveTail *tail);
gboolean       sl_archive_tail_has_header     (SlArchiveTail *tail);
gboolean       sl_archive_tail_has_footer     (SlArchiveTail *tail);
/* Bytes consumed as complete records so far. */
guint64        sl_archive_tail_get_offset     (SlArchiveTail *tail);
/* End of input: decides complete / incomplete_reason as sl_archive_load does.
 * Fails when no complete header arrived. */
gboolean       sl_archive_tail_finish         (SlArchiveTail *tail, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlArchiveWriter, sl_archive_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlArchiveTail, sl_archive_tail_free)

G_END_DECLS
