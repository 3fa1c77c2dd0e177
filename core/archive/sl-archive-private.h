/* sl-archive-private.h: what the archive's writer, reader and importer share:
 * the record encoders (model → one JSON line) and the record decoder
 * (one line → model). Not installed; not part of the public API. */
#pragma once

#include "sl-archive.h"
#include "sl-json-writer.h"

G_BEGIN_DECLS

/* ---- Encoding: each appends one record object (no newline) to w. ---- */

void     sl_archive_encode_header   (SlJsonWriter *w, const SlRunHeader *h);
void     sl_archive_encode_stimulus (SlJsonWriter *w, const SlStimulusEvent *ev);
/* Fails (SL_ERROR_FAILED) on a sample that breaks the model's invariants. */
gboolean sl_archive_encode_sample   (SlJsonWriter *w, const SlSample *s, GError **error);
void     sl_archive_encode_monitor  (SlJsonWriter *w, const SlMonitorSample *m);
void     sl_archive_encode_monitor_summary (SlJsonWriter *w, const SlMonitorSummary *sum);
void     sl_archive_encode_sched_exit (SlJsonWriter *w, const SlSchedExit *e);
void     sl_archive_encode_cgroup   (SlJsonWriter *w, const SlCgroupResult *c);
void     sl_archive_encode_log      (SlJsonWriter *w, const char *line);
void     sl_archive_encode_footer   (SlJsonWriter *w, guint64 n_samples, const char *end_reason);

/* ktstr's ScxEventDeltas keys ("total_fallback", ...), in the order of
 * sl_scx_event_names. */
extern const char *const sl_archive_summary_event_keys[SL_SCX_EVENT_COUNT];

/* The current UTC time as ISO 8601 ("2026-11-27T14:28:59Z"). */
char    *sl_archive_now_iso8601     (void);

/* ---- Decoding ---- */

typedef struct {
  gboolean seen_header;
  gboolean seen_footer;
  guint64  records;          /* complete records decoded so far */
} SlArchiveDecodeState;

/* Decodes one complete line (without its newline) into run. record_no is
 * 1-based, offset is the byte offset of the line's first byte. Errors are
 * SL_ERROR_CORRUPT / _VERSION / _TOO_LARGE prefixed "record N (byte B): ". */
gboolean sl_archive_decode_line (SlArchiveDecodeState *st, SlRun *run,
                                 const char *line, gsize len,
                                 guint64 record_no, guint64 offset,
                                 GError **error);

/* Fails when JSON text nests deeper than max_depth (json-glib's parser is
 * recursive and has no limit of its own). Strings are skipped correctly. */
gboolean sl_archive_check_json_depth (const char *text, gsize len, guint max_depth);

/* Decoders of the parts of a sample shared with the ktstr importer. */
gboolean sl_archive_decode_missing_stats (JsonNode *node, SlMissingStats *out,
                                          const char *where, GError **error);

G_END_DECLS
