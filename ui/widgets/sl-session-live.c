/* sl-session-live.c: keeping a session current while its run grows. */
#include "sl-session.h"
#include "sl-session-private.h"

#include <math.h>

static SlTrack *
reproject (SlSession *self, const SlTrack *old)
{
  const SlFieldInfo *info = sl_field_catalog_lookup (self->catalog, old->selector);
  SlTrack *t = sl_track_new (self->run, old->selector, info ? info->type : old->type,
                             info && info->unit ? info->unit : old->unit, old->group);

  /* Everything the user chose stays as it was. */
  t->color_index = old->color_index;
  t->yrange = old->yrange;
  t->fixed_lo = old->fixed_lo;
  t->fixed_hi = old->fixed_hi;
  t->style = old->style;
  sl_track_set_mode (t, old->mode);
  return t;
}

void
sl_session_refresh (SlSession *self)
{
  double v0, v1, d0, d1;
  gboolean following;

  g_return_if_fail (SL_IS_SESSION (self));

  v0 = self->view_t0;
  v1 = self->view_t1;
  d0 = self->doc_t0;
  d1 = self->doc_t1;
  /* "Following" = the whole run was in view: keep showing all of it. */
  following = v0 <= d0 + 1e-6 && v1 >= d1 - 1e-6;

  g_clear_pointer (&self->catalog, sl_field_catalog_free);
  self->catalog = sl_field_catalog_build (self->run, 0);
  sl_session_compute_document (self);
  if (!following)
    {
      self->view_t0 = MAX (self->doc_t0, v0);
      self->view_t1 = MIN (self->doc_t1, v1);
      if (!(self->view_t1 > self->view_t0))
        {
          self->view_t0 = self->doc_t0;
          self->view_t1 = self->doc_t1;
        }
    }

  for (guint i = 0; i < self->tracks->len; i++)
    {
      SlTrack *old = g_ptr_array_index (self->tracks, i);
      g_ptr_array_index (self->tracks, i) = reproject (self, old);
      sl_track_unref (old);
    }
  sl_session_baseline_run_changed (self);
  sl_session_sync_baseline (self);
  /* The draft is judged on the run as it is now (set_draft re-evaluates and
   * repaints; it takes the draft back). Authored assertions keep the verdict
   * of when they were added until the run is reopened. */
  if (self->draft)
    sl_session_set_draft (self, g_steal_pointer (&self->draft));
  else
    sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_RUN_CHANGED], 0);
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
  g_signal_emit (self, sl_session_signals[SL_SESSION_VIEW_CHANGED], 0);
}
