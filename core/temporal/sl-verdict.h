/* sl-verdict.h: ktstr's Verdict / AssertResult / Outcome / InfoNote (§5.10).
 * Every Fail and Inconclusive carries the samples and time range it is about, so
 * the GUI can paint it. */
#pragma once

#include <glib.h>
#include "sl-types.h"

G_BEGIN_DECLS

/* Ordered by fold precedence: Fail > Inconclusive > Pass > Skip. */
typedef enum {
  SL_OUTCOME_SKIP,
  SL_OUTCOME_PASS,
  SL_OUTCOME_INCONCLUSIVE,
  SL_OUTCOME_FAIL,
} SlOutcomeKind;

typedef enum {
  SL_DETAIL_TEMPORAL,
  SL_DETAIL_MONITOR,
  SL_DETAIL_SCHEDULER_CRASHED,
  SL_DETAIL_SCHEDULER_EVENT,
  SL_DETAIL_SKIP,
  SL_DETAIL_OTHER,
} SlDetailKind;

const char *sl_outcome_kind_name (SlOutcomeKind k);   /* "Pass", "Skip", "Inconclusive", "Fail" */
const char *sl_detail_kind_name  (SlDetailKind k);    /* "Temporal", ... */

typedef struct {
  SlOutcomeKind kind;
  SlDetailKind  detail;
  char         *message;
  char         *phase;         /* "BASELINE" / "Step[k]" or NULL; patterns stamp the phase of
                                * the (last) sample the outcome is about */
  gint          first_slot;    /* slot indexes in the evaluated field, -1 = none (caller
                                * errors); map back to the run with SlSlot.sample_index */
  gint          last_slot;
  SlOptU64      t_first_ms;
  SlOptU64      t_last_ms;
} SlOutcome;

typedef struct {
  char    *message;
  char    *phase;
  gint     slot;               /* -1 = not about one sample */
} SlNote;

typedef struct {
  gint    ref_count;
  GArray *outcomes;            /* SlOutcome; empty = the Pass identity */
  GArray *notes;               /* SlNote */
} SlVerdict;

SlVerdict    *sl_verdict_new (void);
SlVerdict    *sl_verdict_ref (SlVerdict *v);
void          sl_verdict_unref (SlVerdict *v);
void          sl_verdict_add (SlVerdict *v, SlOutcomeKind kind, SlDetailKind detail,
                              const char *phase, gint first_slot, gint last_slot,
                              SlOptU64 t_first_ms, SlOptU64 t_last_ms,
                              const char *format, ...) G_GNUC_PRINTF (9, 10);
void          sl_verdict_note (SlVerdict *v, const char *phase, gint slot,
                               const char *format, ...) G_GNUC_PRINTF (4, 5);
/* Like sl_verdict_add / sl_verdict_note but taking ownership of an already
 * formatted message (patterns build messages piecewise). */
void          sl_verdict_add_message (SlVerdict *v, SlOutcomeKind kind, SlDetailKind detail,
                                      const char *phase, gint first_slot, gint last_slot,
                                      SlOptU64 t_first_ms, SlOptU64 t_last_ms, char *message);
void          sl_verdict_note_message (SlVerdict *v, const char *phase, gint slot, char *message);
/* Records a Skip outcome (detail kind Skip) with `reason`. */
void          sl_verdict_skip (SlVerdict *v, const char *reason);
/* Appends deep copies of every outcome and note of `from`. */
void          sl_verdict_merge (SlVerdict *into, const SlVerdict *from);
/* Fold of two outcomes: the higher precedence wins, a tie keeps `left`. */
SlOutcomeKind sl_outcome_fold (SlOutcomeKind left, SlOutcomeKind right);
/* Index of the outcome that decides the result (the first of the worst kind),
 * -1 when there is none. */
gint          sl_verdict_headline_index (const SlVerdict *v);
/* Fold of every outcome; an empty verdict is Pass. */
SlOutcomeKind sl_verdict_result (const SlVerdict *v);
gboolean      sl_verdict_passed (const SlVerdict *v);   /* result is Pass or Skip */
/* 0 = Pass/Skip, 1 = Fail, 2 = Inconclusive. */
int           sl_outcome_exit_code (SlOutcomeKind k);
int           sl_verdict_exit_code (const SlVerdict *v);
guint         sl_verdict_count (const SlVerdict *v, SlOutcomeKind kind);
guint             sl_verdict_n_outcomes (const SlVerdict *v);
const SlOutcome  *sl_verdict_outcome (const SlVerdict *v, guint i);
guint             sl_verdict_n_notes (const SlVerdict *v);
const SlNote     *sl_verdict_get_note (const SlVerdict *v, guint i);
/* "[<Kind>] <message>" (ktstr's display_with_kind). */
char             *sl_outcome_display_with_kind (const SlOutcome *o);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlVerdict, sl_verdict_unref)

G_END_DECLS
