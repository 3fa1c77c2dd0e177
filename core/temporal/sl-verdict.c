/* sl-verdict.c: outcomes and notes of temporal assertions (§5.10).
 *
 * Outcomes are kept in arrival order; the verdict's result is their fold with
 * precedence Fail > Inconclusive > Pass > Skip, where a tie keeps the left
 * (earlier) one, so the headline message is the first of the worst kind. */
#include "sl-verdict.h"

static const char *const outcome_names[] = {
  [SL_OUTCOME_SKIP] = "Skip",
  [SL_OUTCOME_PASS] = "Pass",
  [SL_OUTCOME_INCONCLUSIVE] = "Inconclusive",
  [SL_OUTCOME_FAIL] = "Fail",
};

static const char *const detail_names[] = {
  [SL_DETAIL_TEMPORAL] = "Temporal",
  [SL_DETAIL_MONITOR] = "Monitor",
  [SL_DETAIL_SCHEDULER_CRASHED] = "SchedulerCrashed",
  [SL_DETAIL_SCHEDULER_EVENT] = "SchedulerEvent",
  [SL_DETAIL_SKIP] = "Skip",
  [SL_DETAIL_OTHER] = "Other",
};

const char *
sl_outcome_kind_name (SlOutcomeKind k)
{
  if ((guint) k >= G_N_ELEMENTS (outcome_names))
    return "?";
  return outcome_names[k];
}

const char *
sl_detail_kind_name (SlDetailKind k)
{
  if ((guint) k >= G_N_ELEMENTS (detail_names))
    return "?";
  return detail_names[k];
}

/* The enum is declared in precedence order, so the fold is a max that keeps
 * the left operand on a tie. */
SlOutcomeKind
sl_outcome_fold (SlOutcomeKind left, SlOutcomeKind right)
{
  return right > left ? right : left;
}

int
sl_outcome_exit_code (SlOutcomeKind k)
{
  switch (k)
    {
    case SL_OUTCOME_FAIL: return 1;
    case SL_OUTCOME_INCONCLUSIVE: return 2;
    case SL_OUTCOME_PASS:
    case SL_OUTCOME_SKIP:
      return 0;
    }
  return 1;
}

static void
outcome_clear (gpointer data)
{
  SlOutcome *o = data;

  g_clear_pointer (&o->message, g_free);
  g_clear_pointer (&o->phase, g_free);
}

static void
note_clear (gpointer data)
{
  SlNote *n = data;

  g_clear_pointer (&n->message, g_free);
  g_clear_pointer (&n->phase, g_free);
}

SlVerdict *
sl_verdict_new (void)
{
  SlVerdict *v = g_new0 (SlVerdict, 1);

  v->ref_count = 1;
  v->outcomes = g_array_new (FALSE, TRUE, sizeof (SlOutcome));
  g_array_set_clear_func (v->outcomes, outcome_clear);
  v->notes = g_array_new (FALSE, TRUE, sizeof (SlNote));
  g_array_set_clear_func (v->notes, note_clear);
  return v;
}

SlVerdict *
sl_verdict_ref (SlVerdict *v)
{
  g_return_val_if_fail (v != NULL, NULL);
  g_atomic_int_inc (&v->ref_count);
  return v;
}

void
sl_verdict_unref (SlVerdict *v)
{
  if (v == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&v->ref_count))
    return;
  g_array_unref (v->outcomes);
  g_array_unref (v->notes);
  g_free (v);
}

void
sl_verdict_add_message (SlVerdict *v, SlOutcomeKind kind, SlDetailKind detail,
                        const char *phase, gint first_slot, gint last_slot,
                        SlOptU64 t_first_ms, SlOptU64 t_last_ms, char *message)
{
  SlOutcome o = { 0 };

  g_return_if_fail (v != NULL);
  g_return_if_fail (message != NULL);

  o.kind = kind;
  o.detail = detail;
  o.message = message;
  o.phase = g_strdup (phase);
  /* A range is stored in order whatever order the caller named its ends. */
  if (first_slot >= 0 && last_slot >= 0 && last_slot < first_slot)
    {
      gint tmp = first_slot;
      SlOptU64 t = t_first_ms;

      first_slot = last_slot;
      last_slot = tmp;
      t_first_ms = t_last_ms;
      t_last_ms = t;
    }
  o.first_slot = first_slot < 0 ? -1 : first_slot;
  o.last_slot = last_slot < 0 ? o.first_slot : last_slot;
  o.t_first_ms = t_first_ms;
  o.t_last_ms = t_last_ms.set ? t_last_ms : t_first_ms;
  g_array_append_val (v->outcomes, o);
}

void
sl_verdict_add (SlVerdict *v, SlOutcomeKind kind, SlDetailKind detail,
                const char *phase, gint first_slot, gint last_slot,
                SlOptU64 t_first_ms, SlOptU64 t_last_ms,
                const char *format, ...)
{
  va_list ap;
  char *msg;

  g_return_if_fail (v != NULL);
  g_return_if_fail (format != NULL);

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  sl_verdict_add_message (v, kind, detail, phase, first_slot, last_slot,
                          t_first_ms, t_last_ms, msg);
}

void
sl_verdict_note_message (SlVerdict *v, const char *phase, gint slot, char *message)
{
  SlNote n = { 0 };

  g_return_if_fail (v != NULL);
  g_return_if_fail (message != NULL);

  n.message = message;
  n.phase = g_strdup (phase);
  n.slot = slot < 0 ? -1 : slot;
  g_array_append_val (v->notes, n);
}

void
sl_verdict_note (SlVerdict *v, const char *phase, gint slot, const char *format, ...)
{
  va_list ap;
  char *msg;

  g_return_if_fail (v != NULL);
  g_return_if_fail (format != NULL);

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  sl_verdict_note_message (v, phase, slot, msg);
}

void
sl_verdict_skip (SlVerdict *v, const char *reason)
{
  g_return_if_fail (v != NULL);
  sl_verdict_add_message (v, SL_OUTCOME_SKIP, SL_DETAIL_SKIP, NULL, -1, -1,
                          SL_OPT_U64_NONE, SL_OPT_U64_NONE,
                          g_strdup (reason != NULL ? reason : ""));
}

void
sl_verdict_merge (SlVerdict *into, const SlVerdict *from)
{
  g_return_if_fail (into != NULL);
  g_return_if_fail (from != NULL);
  g_return_if_fail (into != from);

  for (guint i = 0; i < from->outcomes->len; i++)
    {
      SlOutcome o = g_array_index (from->outcomes, SlOutcome, i);

      o.message = g_strdup (o.message);
      o.phase = g_strdup (o.phase);
      g_array_append_val (into->outcomes, o);
    }
  for (guint i = 0; i < from->notes->len; i++)
    {
      SlNote n = g_array_index (from->notes, SlNote, i);

      n.message = g_strdup (n.message);
      n.phase = g_strdup (n.phase);
      g_array_append_val (into->notes, n);
    }
}

gint
sl_verdict_headline_index (const SlVerdict *v)
{
  gint best = -1;
  SlOutcomeKind best_kind = SL_OUTCOME_SKIP;

  g_return_val_if_fail (v != NULL, -1);

  for (guint i = 0; i < v->outcomes->len; i++)
    {
      SlOutcomeKind k = g_array_index (v->outcomes, SlOutcome, i).kind;

      if (best < 0 || sl_outcome_fold (best_kind, k) != best_kind)
        {
          best = (gint) i;
          best_kind = k;
        }
    }
  return best;
}

SlOutcomeKind
sl_verdict_result (const SlVerdict *v)
{
  gint i;

  g_return_val_if_fail (v != NULL, SL_OUTCOME_FAIL);

  i = sl_verdict_headline_index (v);
  if (i < 0)
    return SL_OUTCOME_PASS;
  return g_array_index (v->outcomes, SlOutcome, i).kind;
}

gboolean
sl_verdict_passed (const SlVerdict *v)
{
  SlOutcomeKind k;

  g_return_val_if_fail (v != NULL, FALSE);
  k = sl_verdict_result (v);
  return k == SL_OUTCOME_PASS || k == SL_OUTCOME_SKIP;
}

int
sl_verdict_exit_code (const SlVerdict *v)
{
  g_return_val_if_fail (v != NULL, 1);
  return sl_outcome_exit_code (sl_verdict_result (v));
}

guint
sl_verdict_count (const SlVerdict *v, SlOutcomeKind kind)
{
  guint n = 0;

  g_return_val_if_fail (v != NULL, 0);
  for (guint i = 0; i < v->outcomes->len; i++)
    if (g_array_index (v->outcomes, SlOutcome, i).kind == kind)
      n++;
  return n;
}

guint
sl_verdict_n_outcomes (const SlVerdict *v)
{
  g_return_val_if_fail (v != NULL, 0);
  return v->outcomes->len;
}

const SlOutcome *
sl_verdict_outcome (const SlVerdict *v, guint i)
{
  g_return_val_if_fail (v != NULL, NULL);
  g_return_val_if_fail (i < v->outcomes->len, NULL);
  return &g_array_index (v->outcomes, SlOutcome, i);
}

guint
sl_verdict_n_notes (const SlVerdict *v)
{
  g_return_val_if_fail (v != NULL, 0);
  return v->notes->len;
}

const SlNote *
sl_verdict_get_note (const SlVerdict *v, guint i)
{
  g_return_val_if_fail (v != NULL, NULL);
  g_return_val_if_fail (i < v->notes->len, NULL);
  return &g_array_index (v->notes, SlNote, i);
}

char *
sl_outcome_display_with_kind (const SlOutcome *o)
{
  g_return_val_if_fail (o != NULL, NULL);
  return g_strdup_printf ("[%s] %s", sl_detail_kind_name (o->detail), o->message);
}
