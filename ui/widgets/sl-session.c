/* sl-session.c: the open run and everything the views share about it. */
#include "sl-session.h"
#include "sl-session-private.h"

#include <math.h>
#include "sl-phase.h"
#include "sl-projection.h"


G_DEFINE_FINAL_TYPE (SlSession, sl_session, G_TYPE_OBJECT)

guint sl_session_signals[SL_SESSION_N_SIGNALS];


static void
sl_session_finalize (GObject *object)
{
  SlSession *self = SL_SESSION (object);

  sl_session_clear_phases (self->phases);
  g_array_unref (self->phases);
  sl_session_baseline_free (self);
  g_ptr_array_unref (self->tracks);
  g_ptr_array_unref (self->authored);
  g_clear_pointer (&self->draft, sl_assertion_free);
  g_clear_pointer (&self->draft_verdict, sl_verdict_unref);
  g_clear_pointer (&self->draft_field, sl_series_field_unref);
  g_free (self->draft_error);
  g_clear_pointer (&self->catalog, sl_field_catalog_free);
  g_clear_pointer (&self->run, sl_run_unref);
  g_free (self->path);
  G_OBJECT_CLASS (sl_session_parent_class)->finalize (object);
}

static void
sl_session_class_init (SlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sl_session_finalize;
  sl_session_signals[SL_SESSION_TRACKS_CHANGED] = g_signal_new ("tracks-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  sl_session_signals[SL_SESSION_VIEW_CHANGED] = g_signal_new ("view-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  sl_session_signals[SL_SESSION_SELECTION_CHANGED] = g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  sl_session_signals[SL_SESSION_ASSERTIONS_CHANGED] = g_signal_new ("assertions-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A baseline run was set or cleared (compare mode). */
  sl_session_signals[SL_SESSION_BASELINE_CHANGED] = g_signal_new ("baseline-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The run grew (a live run): catalog, phases and tracks were refreshed. */
  sl_session_signals[SL_SESSION_RUN_CHANGED] = g_signal_new ("run-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_session_init (SlSession *self)
{
  self->phases = g_array_new (FALSE, TRUE, sizeof (SlRenderPhase));
  self->tracks = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_track_unref);
  self->authored = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_authored_free);
  self->selected_track = -1;
}

void
sl_session_clear_phases (GArray *phases)
{
  for (guint i = 0; i < phases->len; i++)
    g_free ((char *) g_array_index (phases, SlRenderPhase, i).label);
  g_array_set_size (phases, 0);
}

void
sl_session_collect_phases (SlRun *run, GArray *out)
{
  g_autoptr(GArray) ids = sl_run_phases (run);

  for (guint i = 0; i < ids->len; i++)
    {
      guint16 p = g_array_index (ids, guint16, i);
      guint64 a, b;
      SlRenderPhase rp = { p, 0, 0, NULL };

      if (!sl_run_phase_range (run, p, &a, &b))
        continue;
      rp.start_ms = (double) a;
      rp.end_ms = (double) MAX (a, b);
      rp.label = sl_phase_label (p);
      g_array_append_val (out, rp);
    }
}

void
sl_session_compute_document (SlSession *self)
{
  double lo = INFINITY, hi = -INFINITY;
  gboolean use_monitor;

  sl_session_clear_phases (self->phases);
  sl_session_collect_phases (self->run, self->phases);
  for (guint i = 0; i < self->phases->len; i++)
    {
      const SlRenderPhase *rp = &g_array_index (self->phases, SlRenderPhase, i);
      lo = MIN (lo, rp->start_ms);
      hi = MAX (hi, rp->end_ms);
    }
  for (guint i = 0; i < self->run->samples->len; i++)
    {
      const SlSample *s = g_ptr_array_index (self->run->samples, i);
      if (!s->elapsed_ms.set)
        continue;
      lo = MIN (lo, (double) s->elapsed_ms.v);
      hi = MAX (hi, (double) s->elapsed_ms.v);
    }
  /* Monitor samples on the samples' clock always count; those with only the
   * VM-start clock (which runs ahead by the boot time) only when there is
   * nothing else. */
  use_monitor = !isfinite (lo);
  for (guint i = 0; i < self->run->monitor_samples->len; i++)
    {
      const SlMonitorSample *m = g_ptr_array_index (self->run->monitor_samples, i);
      if (!m->workload_ms.set && !use_monitor)
        continue;
      lo = MIN (lo, (double) sl_monitor_sample_time_ms (m));
      hi = MAX (hi, (double) sl_monitor_sample_time_ms (m));
    }
  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = 0;
      hi = self->run->header.duration_ms ? (double) self->run->header.duration_ms : 1000;
    }
  if (hi - lo < 1)
    hi = lo + 1;
  /* A little air around the first and last sample. */
  self->doc_t0 = MAX (0, lo - (hi - lo) * 0.01);
  self->doc_t1 = hi + (hi - lo) * 0.01;
  self->view_t0 = self->doc_t0;
  self->view_t1 = self->doc_t1;
}

SlSession *
sl_session_new (SlRun *run, const char *path)
{
  SlSession *self;

  g_return_val_if_fail (run != NULL, NULL);

  self = g_object_new (SL_TYPE_SESSION, NULL);
  self->run = sl_run_ref (run);
  self->path = g_strdup (path);
  self->catalog = sl_field_catalog_build (run, 0);
  sl_session_compute_document (self);
  return self;
}

SlRun *
sl_session_get_run (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->run;
}

const char *
sl_session_get_path (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->path;
}

char *
sl_session_dup_title (SlSession *self)
{
  const SlRunHeader *h;
  g_autofree char *label = NULL, *sched = NULL;
  g_auto(GStrv) args = NULL;

  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  h = &self->run->header;
  sl_scheduler_label (h->scheduler, (const char *const *) h->scheduler_args, &label, &args);
  sched = label ? g_path_get_basename (label) : NULL;
  return g_strdup_printf ("%s · %s", h->scenario ? h->scenario : "run", sched ? sched : "built-in scheduler");
}

const SlFieldCatalog *
sl_session_get_catalog (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  return self->catalog;
}

const SlRenderPhase *
sl_session_get_phases (SlSession *self, guint *n)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  if (n)
    *n = self->phases->len;
  return (const SlRenderPhase *) (gpointer) self->phases->data;
}

guint
sl_session_get_n_tracks (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), 0);
  return self->tracks->len;
}

SlTrack *
sl_session_get_track (SlSession *self, guint i)
{
  g_return_val_if_fail (SL_IS_SESSION (self), NULL);
  g_return_val_if_fail (i < self->tracks->len, NULL);
  return g_ptr_array_index (self->tracks, i);
}

gint
sl_session_find_track (SlSession *self, const char *selector)
{
  g_return_val_if_fail (SL_IS_SESSION (self), -1);
  for (guint i = 0; i < self->tracks->len; i++)
    if (g_strcmp0 (((SlTrack *) g_ptr_array_index (self->tracks, i))->selector, selector) == 0)
      return (gint) i;
  return -1;
}


static SlTrack *
make_track (SlSession *self, const char *selector, const char *group)
{
  const SlFieldInfo *info = sl_field_catalog_lookup (self->catalog, selector);
  SlTrack *t = sl_track_new (self->run, selector, info ? info->type : SL_SCALAR_F64,
                             info ? info->unit : NULL, group);

  t->color_index = self->next_color++;
  /* Cumulative counters read best as a rate: a straight rising line says little. */
  if (t->plot && t->plot->n > 2 && t->type != SL_SCALAR_BOOL && info && info->unit
      && (g_str_equal (info->unit, "count") || g_str_equal (info->unit, "ns")))
    {
      gboolean monotonic = TRUE;
      for (guint i = 1; i < t->plot->n && monotonic; i++)
        if (t->plot->ok[i] && t->plot->ok[i - 1] && t->plot->v[i] < t->plot->v[i - 1])
          monotonic = FALSE;
      if (monotonic && t->plot->v_max > t->plot->v_min && t->plot->v_max > 1000)
        sl_track_set_mode (t, SL_COUNTER_RATE);
    }
  return t;
}

guint
sl_session_add_track (SlSession *self, const char *selector)
{
  gint existing;

  g_return_val_if_fail (SL_IS_SESSION (self), 0);
  g_return_val_if_fail (selector != NULL, 0);

  existing = sl_session_find_track (self, selector);
  if (existing >= 0)
    {
      sl_session_select_track (self, existing);
      return (guint) existing;
    }
  g_ptr_array_add (self->tracks, make_track (self, selector, NULL));
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
  sl_session_select_track (self, (gint) self->tracks->len - 1);
  return self->tracks->len - 1;
}

guint
sl_session_add_track_group (SlSession *self, const char *group, const char *const *selectors)
{
  guint first, color;

  g_return_val_if_fail (SL_IS_SESSION (self), 0);
  g_return_val_if_fail (selectors != NULL, 0);

  first = self->tracks->len;
  color = self->next_color++;
  for (guint i = 0; selectors[i]; i++)
    {
      SlTrack *t;
      if (sl_session_find_track (self, selectors[i]) >= 0)
        continue;
      t = make_track (self, selectors[i], group);
      t->color_index = color;   /* one family, one colour */
      g_ptr_array_add (self->tracks, t);
    }
  self->next_color = color + 1;
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
  return first;
}

guint
sl_session_add_default_tracks (SlSession *self, guint max)
{
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  guint added = 0;

  g_return_val_if_fail (SL_IS_SESSION (self), 0);
  for (guint pass = 0; pass < 3 && added < max; pass++)
    for (guint i = 0; i < self->catalog->fields->len && added < max; i++)
      {
        const SlFieldInfo *f = g_ptr_array_index (self->catalog->fields, i);
        g_autoptr(SlTrack) t = NULL;
        guint ok = 0;

        /* Pass 0: BPF and stats fields, one per group; pass 1: more of
         * them; pass 2: anything. */
        if (f->type == SL_SCALAR_BOOL || (pass < 2 && f->axis != SL_AXIS_BPF && f->axis != SL_AXIS_STATS))
          continue;
        if (pass == 0 && f->group && g_hash_table_contains (groups, f->group))
          continue;
        if (sl_session_find_track (self, f->selector) >= 0)
          continue;
        t = make_track (self, f->selector, NULL);
        for (guint k = 0; t->plot && k < t->plot->n; k++)
          ok += t->plot->ok[k];
        /* Flat lines say nothing at a glance. */
        if (ok < 3 || !(t->plot->v_max > t->plot->v_min))
          {
            self->next_color--;
            continue;
          }
        if (f->group)
          g_hash_table_add (groups, f->group);
        g_ptr_array_add (self->tracks, g_steal_pointer (&t));
        added++;
      }
  if (added)
    {
      sl_session_repaint_verdicts (self);
      g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
      sl_session_select_track (self, 0);
    }
  return added;
}

void
sl_session_remove_track (SlSession *self, guint i)
{
  g_return_if_fail (SL_IS_SESSION (self));
  g_return_if_fail (i < self->tracks->len);

  g_ptr_array_remove_index (self->tracks, i);
  if (self->selected_track >= (gint) self->tracks->len || self->selected_track == (gint) i)
    self->selected_track = self->tracks->len ? MIN ((gint) i, (gint) self->tracks->len - 1) : -1;
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
  g_signal_emit (self, sl_session_signals[SL_SESSION_SELECTION_CHANGED], 0);
}

void
sl_session_track_changed (SlSession *self, guint i)
{
  g_return_if_fail (SL_IS_SESSION (self));
  sl_session_repaint_verdicts (self);
  g_signal_emit (self, sl_session_signals[SL_SESSION_TRACKS_CHANGED], 0);
}

gint
sl_session_get_selected_track (SlSession *self)
{
  g_return_val_if_fail (SL_IS_SESSION (self), -1);
  return self->selected_track;
}

void
sl_session_select_track (SlSession *self, gint i)
{
  g_return_if_fail (SL_IS_SESSION (self));
  if (i >= (gint) self->tracks->len)
    i = -1;
  if (self->selected_track == i)
    return;
  self->selected_track = i;
  g_signal_emit (self, sl_session_signals[SL_SESSION_SELECTION_CHANGED], 0);
}

/* --- time ------------------------------------------------------------- */

void
sl_session_get_document_range (SlSession *self, double *t0, double *t1)
{
  g_return_if_fail (SL_IS_SESSION (self));
  if (t0) *t0 = self->doc_t0;
  if (t1) *t1 = self->doc_t1;
}

void
sl_session_get_view (SlSession *self, double *t0, double *t1)
{
  g_return_if_fail (SL_IS_SESSION (self));
  if (t0) *t0 = self->view_t0;
  if (t1) *t1 = self->view_t1;
}

void
sl_session_set_view (SlSession *self, double t0, double t1)
{
  double doc = self->doc_t1 - self->doc_t0, span, min_span = 0.5;

  g_return_if_fail (SL_IS_SESSION (self));
  if (!isfinite (t0) || !isfinite (t1))
    return;
  if (t1 < t0)
    {
      double tmp = t0;
      t0 = t1;
      t1 = tmp;
    }
  span = CLAMP (t1 - t0, min_span, doc);
  /* Keep the view inside the document, preserving its span. */
  t0 = CLAMP (t0, self->doc_t0, self->doc_t1 - span);
  t1 = t0 + span;
  if (t0 == self->view_t0 && t1 == self->view_t1)
    return;
  self->view_t0 = t0;
  self->view_t1 = t1;
  g_signal_emit (self, sl_session_signals[SL_SESSION_VIEW_CHANGED], 0);
}

void
sl_session_zoom (SlSession *self, double factor, double anchor)
{
  double span;

  g_return_if_fail (SL_IS_SESSION (self));
  if (!(factor > 0))
    return;
  if (!isfinite (anchor))
    anchor = (self->view_t0 + self->view_t1) / 2;
  span = self->view_t1 - self->view_t0;
  sl_session_set_view (self, anchor - (anchor - self->view_t0) * factor,
                       anchor - (anchor - self->view_t0) * factor + span * factor);
}

void
sl_session_pan (SlSession *self, double fraction)
{
  double d;

  g_return_if_fail (SL_IS_SESSION (self));
  d = (self->view_t1 - self->view_t0) * fraction;
  sl_session_set_view (self, self->view_t0 + d, self->view_t1 + d);
}

void
sl_session_fit_all (SlSession *self)
{
  g_return_if_fail (SL_IS_SESSION (self));
  sl_session_set_view (self, self->doc_t0, self->doc_t1);
}

gboolean
sl_session_fit_phase (SlSession *self, guint16 phase)
{
  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  for (guint i = 0; i < self->phases->len; i++)
    {
      const SlRenderPhase *p = &g_array_index (self->phases, SlRenderPhase, i);
      if (p->phase != phase)
        continue;
      sl_session_set_view (self, p->start_ms - (p->end_ms - p->start_ms) * 0.02,
                           p->end_ms + (p->end_ms - p->start_ms) * 0.02);
      return TRUE;
    }
  return FALSE;
}

gboolean
sl_session_get_selection (SlSession *self, double *a, double *b)
{
  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  if (!self->has_selection)
    return FALSE;
  if (a) *a = MIN (self->sel_a, self->sel_b);
  if (b) *b = MAX (self->sel_a, self->sel_b);
  return TRUE;
}

void
sl_session_set_selection (SlSession *self, double a, double b)
{
  g_return_if_fail (SL_IS_SESSION (self));
  self->has_selection = TRUE;
  self->sel_a = a;
  self->sel_b = b;
  g_signal_emit (self, sl_session_signals[SL_SESSION_SELECTION_CHANGED], 0);
}

void
sl_session_clear_selection (SlSession *self)
{
  g_return_if_fail (SL_IS_SESSION (self));
  if (!self->has_selection)
    return;
  self->has_selection = FALSE;
  g_signal_emit (self, sl_session_signals[SL_SESSION_SELECTION_CHANGED], 0);
}

gboolean
sl_session_zoom_to_selection (SlSession *self)
{
  double a, b;

  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  if (!sl_session_get_selection (self, &a, &b) || b - a <= 0)
    return FALSE;
  sl_session_set_view (self, a, b);
  sl_session_clear_selection (self);
  return TRUE;
}

GArray *
sl_session_phases_in_selection (SlSession *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint16));
  double a = -INFINITY, b = INFINITY;

  g_return_val_if_fail (SL_IS_SESSION (self), out);
  sl_session_get_selection (self, &a, &b);
  for (guint i = 0; i < self->phases->len; i++)
    {
      const SlRenderPhase *p = &g_array_index (self->phases, SlRenderPhase, i);
      if (p->end_ms >= a && p->start_ms <= b)
        g_array_append_val (out, p->phase);
    }
  return out;
}

gboolean
sl_session_phase_at (SlSession *self, double t, guint16 *phase)
{
  g_return_val_if_fail (SL_IS_SESSION (self), FALSE);
  /* Later phases win at a shared boundary: a step starts where the last ends. */
  for (guint i = self->phases->len; i > 0; i--)
    {
      const SlRenderPhase *p = &g_array_index (self->phases, SlRenderPhase, i - 1);
      if (t >= p->start_ms && t <= p->end_ms)
        {
          if (phase)
            *phase = p->phase;
          return TRUE;
        }
    }
  return FALSE;
}

