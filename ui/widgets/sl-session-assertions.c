/* sl-session-assertions.c: the session's draft assertion (evaluated live and
 * painted on its track), the authored assertions with their per-phase
 * verdicts, and the spec built from them. */
#include "sl-session.h"
#include "sl-session-private.h"

#include <string.h>

void
sl_authored_free (SlAuthored *au)
{
  sl_assertion_free (au->assertion);
  g_clear_pointer (&au->verdict, sl_verdict_unref);
  g_clear_pointer (&au->field, sl_series_field_unref);
  g_free (au->error);
  g_array_unref (au->phase_ids);
  g_ptr_array_unref (au->phase_verdicts);
  g_free (au);
}

/* --- assertions --------------------------------------------------------- */

void
sl_session_repaint_verdicts (SlSession *self)
{
  for (guint i = 0; i < self->tracks->len; i++)
    {
      SlTrack *t = g_ptr_array_index (self->tracks, i);
      const SlVerdict *v = NULL;
      const SlSeriesField *f = NULL;

      if (self->draft && self->draft_verdict
          && g_strcmp0 (self->draft->selector->text, t->selector) == 0)
        {
          v = self->draft_verdict;
          f = self->draft_field;
        }
      else
        for (guint k = 0; k < self->authored->len; k++)
          {
            SlAuthored *au = g_ptr_array_index (self->authored, k);
            if (au->verdict && g_strcmp0 (au->assertion->selector->text, t->selector) == 0)
              {
                v = au->verdict;
                f = au->field;
                break;
              }
          }
      sl_track_set_verdict (t, v, f);
    }
}

void
sl_session_set_draft (SlSession *self, SlAssertion *draft)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SL_IS_SESSION (self));

  g_clear_pointer (&self->draft, sl_assertion_free);
  g_clear_pointer (&self->draft_verdict, sl_verdict_unref);
  g_clear_pointer (&self->draft_field, sl_series_field_unref);
  g_clear_pointer (&self->draft_error, g_free);
  self->draft = draft;
  if (draft)
    {
      if (sl_assertion_validate (draft, &error))
        self->draft_verdict = sl_assertion_evaluate (draft, self->run, &self->draft_field, &error);
      if (self->draft_verdict == NULL)
        self->draft_error = g_strdup (error ? error->message : "cannot evaluate");
    }
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_ASSERTIONS_CHANGED], 0);
}

const SlAssertion *
sl_session_get_draft (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->draft;
}

SlVerdict *
sl_session_get_draft_verdict (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->draft_verdict;
}

const char *
sl_session_get_draft_error (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->draft_error;
}

GPtrArray *
sl_session_get_authored (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->authored;
}

static SlAuthored *
authored_new (SlSession *self, SlAssertion *a)
{
  g_autoptr(GError) error = NULL;
  SlAuthored *au = g_new0 (SlAuthored, 1);
  gboolean cross_phase = a->pattern && a->pattern->id == SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST;

  au->assertion = a;
  au->phase_ids = g_array_new (FALSE, FALSE, sizeof (guint16));
  au->phase_verdicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_verdict_unref);
  if (sl_assertion_validate (a, &error))
    au->verdict = sl_assertion_evaluate (a, self->run, &au->field, &error);
  if (au->verdict == NULL)
    au->error = g_strdup (error ? error->message : "cannot evaluate");

  /* One evaluation per phase of the scope, for the assertions × phases table.
   * A cross-phase comparison has one verdict for the pair, not per phase. */
  for (guint i = 0; i < self->phases->len; i++)
    {
      guint16 p = g_array_index (self->phases, SlRenderPhase, i).phase;
      gboolean in_scope = a->phases->len == 0;
      SlVerdict *pv = NULL;

      for (guint k = 0; k < a->phases->len && !in_scope; k++)
        in_scope = g_array_index (a->phases, guint16, k) == p;
      g_array_append_val (au->phase_ids, p);
      if (in_scope && au->verdict && !cross_phase)
        {
          g_autoptr(SlAssertion) one = sl_assertion_copy (a);
          sl_assertion_set_phases (one, &p, 1);
          pv = sl_assertion_evaluate (one, self->run, NULL, NULL);
        }
      g_ptr_array_add (au->phase_verdicts, pv);
    }
  return au;
}

void
sl_session_commit (SlSession *self, SlAssertion *assertion)
{
  g_return_if_fail (SL_IS_SESSION (self));
  g_return_if_fail (assertion != NULL);

  for (guint i = 0; i < self->authored->len; i++)
    {
      SlAuthored *au = g_ptr_array_index (self->authored, i);
      if (g_strcmp0 (au->assertion->name, assertion->name) == 0)
        {
          g_ptr_array_index (self->authored, i) = authored_new (self, assertion);
          sl_authored_free (au);
          sl_session_repaint_verdicts (self);
          g_signal_emit (self, sl_session_signals[SL_SESSION_ASSERTIONS_CHANGED], 0);
          return;
        }
    }
  g_ptr_array_add (self->authored, authored_new (self, assertion));
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_ASSERTIONS_CHANGED], 0);
}

void
sl_session_remove_authored (SlSession *self, guint i)
{
  g_return_if_fail (SL_IS_SESSION (self));
  g_return_if_fail (i < self->authored->len);
  g_ptr_array_remove_index (self->authored, i);
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_ASSERTIONS_CHANGED], 0);
}

char *
sl_session_unique_name (SlSession *self, const char *base)
{
  GString *clean = g_string_new (NULL);

  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  for (const char *p = base ? base : "assertion"; *p && clean->len < 100; p++)
    g_string_append_c (clean, g_ascii_isalnum (*p) || strchr ("_.:-", *p) ? *p : '-');
  if (clean->len == 0)
    g_string_append (clean, "assertion");
  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (clean->str) : g_strdup_printf ("%s-%u", clean->str, n);
      gboolean taken = FALSE;

      for (guint i = 0; i < self->authored->len && !taken; i++)
        taken = g_str_equal (((SlAuthored *) g_ptr_array_index (self->authored, i))->assertion->name, name);
      if (!taken)
        {
          g_string_free (clean, TRUE);
          return g_steal_pointer (&name);
        }
    }
  return g_string_free (clean, FALSE);
}

SlSpec *
sl_session_build_spec (SlSession *self, gboolean include_failing)
{
  SlSpec *spec = sl_spec_new ();

  g_return_val_if_fail (SL_IS_SESSION (self), spec);
  for (guint i = 0; i < self->authored->len; i++)
    {
      SlAuthored *au = g_ptr_array_index (self->authored, i);
      gboolean pass = au->verdict && sl_verdict_passed (au->verdict);

      if (!pass && !include_failing)
        continue;
      sl_spec_add (spec, sl_assertion_copy (au->assertion), NULL);
    }
  return spec;
}

gboolean
sl_session_reveal_failure (SlSession *self, guint authored, gint phase_index)
{
  SlAuthored *au;
  const SlVerdict *v;
  gint track;

  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (authored < self->authored->len, FALSE);

  au = g_ptr_array_index (self->authored, authored);
  v = au->verdict;
  if (phase_index >= 0 && (guint) phase_index < au->phase_verdicts->len
      && g_ptr_array_index (au->phase_verdicts, phase_index))
    v = g_ptr_array_index (au->phase_verdicts, phase_index);

  track = sl_session_find_track (self, au->assertion->selector->text);
  if (track < 0)
    track = (gint) sl_session_add_track (self, au->assertion->selector->text);
  sl_session_select_track (self, track);
  if (v == NULL)
    return FALSE;
  for (guint k = 0; k < v->outcomes->len; k++)
    {
      const SlOutcome *o = &g_array_index (v->outcomes, SlOutcome, k);
      double a, b, span;

      if (o->kind != SL_OUTCOME_FAIL && o->kind != SL_OUTCOME_INCONCLUSIVE)
        continue;
      if (!o->t_first_ms.set && !o->t_last_ms.set)
        continue;
      a = (double) (o->t_first_ms.set ? o->t_first_ms.v : o->t_last_ms.v);
      b = (double) (o->t_last_ms.set ? o->t_last_ms.v : o->t_first_ms.v);
      /* Show the failure with context: at least a tenth of the document. */
      span = MAX (b - a, (self->doc_t1 - self->doc_t0) / 10);
      sl_session_set_view (self, (a + b) / 2 - span * 0.75, (a + b) / 2 + span * 0.75);
      sl_session_set_selection (self, a, b);
      return TRUE;
    }
  if (phase_index >= 0 && (guint) phase_index < au->phase_ids->len)
    sl_session_fit_phase (self, g_array_index (au->phase_ids, guint16, phase_index));
  return FALSE;
}
