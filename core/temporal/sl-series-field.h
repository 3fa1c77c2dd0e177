/* sl-series-field.h: ktstr's SeriesField<T> (§4): one typed column projected out of
 * a run, one slot per sample, each slot a value or a typed per-sample error (§3.5). */
#pragma once

#include <glib.h>
#include "sl-types.h"

G_BEGIN_DECLS

/* ktstr's SnapshotError variants (§3.5). The kind drives pattern policy; the text
 * (which names what was requested and what was available) goes into notes. */
typedef enum {
  SL_FIELD_ERROR_NONE,
  SL_FIELD_ERROR_MAP_NOT_FOUND,
  SL_FIELD_ERROR_VAR_NOT_FOUND,
  SL_FIELD_ERROR_AMBIGUOUS_VAR,
  SL_FIELD_ERROR_FIELD_NOT_FOUND,
  SL_FIELD_ERROR_NOT_A_STRUCT,
  SL_FIELD_ERROR_TYPE_MISMATCH,
  SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
  SL_FIELD_ERROR_PER_CPU_SLOT,
  SL_FIELD_ERROR_NO_MATCH,
  SL_FIELD_ERROR_EMPTY_PATH_COMPONENT,
  SL_FIELD_ERROR_PER_CPU_NOT_NARROWED,
  SL_FIELD_ERROR_NO_RENDERED,
  SL_FIELD_ERROR_PLACEHOLDER_SAMPLE,
  SL_FIELD_ERROR_MISSING_STATS,
  SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
  SL_FIELD_ERROR_PLACEHOLDER_SNAPSHOT,
  SL_FIELD_ERROR_NO_ACTIVE_SCHEDULER,
  SL_FIELD_ERROR_ACTIVE_FILTER_EXCLUDED_MAPS,
  SL_FIELD_ERROR_WALKER_DRIFTED_WITHIN_PHASE,
  SL_FIELD_ERROR_PROJECTION_FAILED,
  SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE,
  SL_FIELD_ERROR_SCHEDULER_GONE,        /* Schedlab: sample taken after the scheduler exited */
} SlFieldErrorKind;

const char *sl_field_error_kind_name (SlFieldErrorKind kind);   /* ktstr's variant name, e.g. "MapNotFound" */
/* The inverse of sl_field_error_kind_name (for archive readers). */
gboolean    sl_field_error_kind_parse (const char *name, SlFieldErrorKind *out);
/* TRUE for the kinds that mean "no data at this sample" (placeholder, missing
 * stats, unavailable host field, scheduler gone) rather than a bad selector. */
gboolean    sl_field_error_is_gap (SlFieldErrorKind kind);

typedef struct {
  char            *tag;
  SlOptU64         elapsed_ms;
  gboolean         has_phase;
  guint16          phase;
  guint            sample_index;  /* index of the source sample in the run (for the UI) */
  gboolean         ok;
  SlScalar         value;         /* valid when ok */
  SlFieldErrorKind error;         /* valid when !ok */
  char            *error_text;    /* valid when !ok */
} SlSlot;

typedef struct {
  gint         ref_count;
  char        *label;
  SlScalarType type;
  GArray      *slots;             /* SlSlot */
} SlSeriesField;

SlSeriesField *sl_series_field_new (const char *label, SlScalarType type);
SlSeriesField *sl_series_field_ref (SlSeriesField *f);
void           sl_series_field_unref (SlSeriesField *f);
guint          sl_series_field_len (const SlSeriesField *f);
const char    *sl_series_field_label (const SlSeriesField *f);
const SlSlot  *sl_series_field_slot (const SlSeriesField *f, guint i);

/* Appending copies the strings. push_ok requires value.type == f->type. An
 * error of kind NONE is stored as PROJECTION_FAILED, and an error with NULL or
 * empty text gets its kind name as text, so every error says something. */
void sl_series_field_push_ok  (SlSeriesField *f, const char *tag, SlOptU64 elapsed_ms,
                               gboolean has_phase, guint16 phase, guint sample_index, SlScalar value);
void sl_series_field_push_err (SlSeriesField *f, const char *tag, SlOptU64 elapsed_ms,
                               gboolean has_phase, guint16 phase, guint sample_index,
                               SlFieldErrorKind error, const char *error_text);

/* A new field with only the slots whose phase is in `phases` (n_phases == 0 → copy). */
SlSeriesField *sl_series_field_filter_phases (const SlSeriesField *f, const guint16 *phases, guint n_phases);
/* A new field with every value converted to f64 (errors kept). */
SlSeriesField *sl_series_field_to_f64 (const SlSeriesField *f);

/* "+<ms>ms" or "?" (§5). */
char *sl_format_elapsed (SlOptU64 elapsed_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSeriesField, sl_series_field_unref)

G_END_DECLS
