/* sl-session-baseline.c: compare mode. A second run (the baseline) is drawn
 * over every track, phase-aligned onto this run's time, and each track gets
 * the per-phase A/B comparison of core's sl-compare (A = baseline, B = this
 * run, so a delta is "this run minus the baseline"). */
#include "sl-session.h"
#include "sl-session-private.h"

#include "sl-compare.h"
#include "sl-field-selector.h"
#include "sl-phase-align.h"

void
sl_session_baseline_free (SlSession *self)
{
  g_clear_pointer (&self->baseline, sl_run_unref);
  g_clear_pointer (&self->baseline_path, g_free);
  if (self->baseline_phases)
    sl_session_clear_phases (self->baseline_phases);
  g_clear_pointer (&self->baseline_phases, g_array_unref);
  g_clear_pointer (&self->align, sl_phase_align_free);
}

static void
rebuild_align (SlSession *self)
{
  g_clear_pointer (&self->align, sl_phase_align_free);
  if (self->baseline == NULL)
    return;
  self->align = sl_phase_align_new ((const SlRenderPhase *) (gpointer) self->phases->data, self->phases->len,
                                    (const SlRenderPhase *) (gpointer) self->baseline_phases->data,
                                    self->baseline_phases->len);
}

void
sl_session_set_baseline (SlSession *self, SlRun *baseline, const char *path)
{
  g_return_if_fail (SL_IS_SESSION (self));

  if (baseline != NULL)
    sl_run_ref (baseline);
  sl_session_baseline_free (self);
  self->baseline = baseline;
  self->baseline_gen++;
  if (baseline != NULL)
    {
      self->baseline_path = g_strdup (path);
      self->baseline_phases = g_array_new (FALSE, TRUE, sizeof (SlRenderPhase));
      sl_session_collect_phases (baseline, self->baseline_phases);
      rebuild_align (self);
    }
  sl_session_sync_baseline (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_BASELINE_CHANGED], 0);
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
}

SlRun *
sl_session_get_baseline (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->baseline;
}

const char *
sl_session_get_baseline_path (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->baseline_path;
}

gboolean
sl_session_map_baseline_time (SlSession *self, double t_baseline, double *t_current)
{
  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (t_current != NULL, FALSE);
  return self->align != NULL && sl_phase_align_map (self->align, t_baseline, t_current);
}

static void
derive_track (SlSession *self, SlTrack *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlFieldSelector) sel = NULL;

  g_clear_pointer (&t->baseline_plot, sl_plot_series_unref);
  g_clear_pointer (&t->compare, sl_compare_field_free);
  g_clear_pointer (&t->compare_error, g_free);
  t->baseline_gen = self->baseline_gen;
  t->baseline_mode = t->mode;
  if (self->baseline == NULL)
    return;

  {
    g_autoptr(SlTrack) bt = sl_track_new (self->baseline, t->selector, t->type, t->unit, NULL);

    sl_track_set_mode (bt, t->mode);
    if (bt->plot != NULL && self->align != NULL)
      t->baseline_plot = sl_phase_align_series (self->align, bt->plot);
  }

  sel = sl_field_selector_parse (t->selector, &error);
  if (sel == NULL)
    {
      t->compare_error = g_strdup (error->message);
      return;
    }
  t->compare = sl_compare_field (self->baseline, self->run, t->selector, t->type,
                                 sl_compare_guess_kind (sel, t->type), &error);
  if (t->compare == NULL)
    t->compare_error = g_strdup (error ? error->message : "could not compare");
}

void
sl_session_sync_baseline (SlSession *self)
{
  g_return_if_fail (SL_IS_SESSION (self));
  for (guint i = 0; i < self->tracks->len; i++)
    {
      SlTrack *t = g_ptr_array_index (self->tracks, i);

      if (t->baseline_gen != self->baseline_gen || t->baseline_mode != t->mode)
        derive_track (self, t);
    }
}

void
sl_session_baseline_run_changed (SlSession *self)
{
  g_return_if_fail (SL_IS_SESSION (self));
  if (self->baseline == NULL)
    return;
  rebuild_align (self);
  self->baseline_gen++;
}
