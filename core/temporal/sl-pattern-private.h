/* sl-pattern-private.h: message helpers shared by the temporal pattern files. */
#pragma once

#include <glib.h>
#include "sl-patterns.h"

G_BEGIN_DECLS

/* ktstr's {:.N} on an f64: fixed point, "NaN"/"inf"/"-inf" when non-finite. */
void  sl_pattern_append_fixed (GString *s, double v, int precision);
/* ktstr's {} on an f64 (see sl_pattern_format_value). */
void  sl_pattern_append_f64 (GString *s, double v);
void  sl_pattern_append_value (GString *s, SlScalar v);
/* "+<ms>ms" or "?". */
void  sl_pattern_append_elapsed (GString *s, SlOptU64 elapsed_ms);
/* "tag(+<ms>ms)": how gap and skip lists name a sample. */
void  sl_pattern_append_tag_at (GString *s, const SlSlot *slot);
/* "sample tag (+<ms>ms)": how failures name a sample. */
void  sl_pattern_append_sample (GString *s, const SlSlot *slot);
/* The phase label of a slot ("BASELINE", "Step[k]") or NULL. */
char *sl_pattern_slot_phase (const SlSlot *slot);

static inline const SlSlot *
sl_pattern_slot_at (const SlSeriesField *f, guint i)
{
  return &g_array_index (f->slots, SlSlot, i);
}

static inline double
sl_pattern_slot_f64 (const SlSlot *s)
{
  return sl_scalar_to_f64 (s->value);
}

/* "<label> (": the caller appends the pattern text and "): ". */
GString *sl_pattern_msg_new (const SlSeriesField *f);
/* Record an outcome about slots [first, last] of f (-1 = none), stamping the
 * phase of the last slot and the times of both ends; take `msg`. */
void     sl_pattern_record (SlVerdict *v, SlOutcomeKind kind, const SlSeriesField *f,
                            gint first, gint last, GString *msg);
void     sl_pattern_fail (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg);
void     sl_pattern_inconclusive (SlVerdict *v, const SlSeriesField *f, gint first, gint last, GString *msg);
void     sl_pattern_note (SlVerdict *v, gint slot, GString *msg);
/* One Fail "<label> (<pattern>): caller error: <what>". */
void     sl_pattern_caller_error (SlVerdict *v, const SlSeriesField *f, const char *pattern,
                                  const char *format, ...) G_GNUC_PRINTF (4, 5);
/* FALSE (after recording a caller error) if f's type is not accepted. */
gboolean sl_pattern_type_ok (const SlSeriesField *f, SlPatternId id, SlVerdict *v);
/* FALSE (after recording a caller error) if a named parameter is NaN; NULL
 * names are not checked. */
gboolean sl_pattern_params_are_numbers (const SlSeriesField *f, const char *pattern, SlVerdict *v,
                                        const char *n1, double p1, const char *n2, double p2,
                                        const char *n3, double p3);
/* FALSE (after recording a caller error) if lo > hi. */
gboolean sl_pattern_band_is_ordered (const SlSeriesField *f, const char *pattern, SlVerdict *v,
                                     double lo, double hi);
void     sl_pattern_list_sep (GString *list);
/* "tag(+ms): <error text>" */
void     sl_pattern_append_err_entry (GString *list, const SlSlot *s);
/* "[lo, hi]" */
void     sl_pattern_append_band (GString *m, double lo, double hi);

G_END_DECLS
