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

G_END_DECLS
