/* sl-track.c: projecting a field for the timeline and painting verdicts on it. */
#include "sl-track.h"

#include <math.h>
#include "sl-projection.h"
#include "sl-field-selector.h"
#include "sl-compare.h"

static void
track_repack (SlTrack *t)
{
  g_clear_pointer (&t->plot, sl_plot_series_unref);
  g_clear_pointer (&t->marks, g_free);
  g_array_set_size (t->spans, 0);
  t->has_verdict = FALSE;
  t->stats_valid = FALSE;
  if (t->field)
    t->plot = sl_plot_series_new_from_field (t->field, t->mode);
}

SlTrack *
sl_track_new (SlRun *run, const char *selector, SlScalarType type, const char *unit, const char *group)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlFieldSelector) sel = NULL;
  SlTrack *t;

  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (selector != NULL, NULL);

  t = g_new0 (SlTrack, 1);
  t->ref_count = 1;
  t->selector = g_strdup (selector);
  t->unit = g_strdup (unit);
  t->group = g_strdup (group);
  t->type = type;
  t->mode = SL_COUNTER_VALUE;
  t->yrange = SL_YRANGE_AUTO;
  t->style = type == SL_SCALAR_BOOL ? SL_TRACK_STYLE_STEP : SL_TRACK_STYLE_LINE;
  t->spans = g_array_new (FALSE, FALSE, sizeof (SlRenderSpan));

  sel = sl_field_selector_parse (selector, &error);
  if (sel == NULL)
    {
      t->label = g_strdup (selector);
      t->error = g_strdup (error->message);
      return t;
    }
  t->label = sl_field_selector_label (sel);
  t->field = sl_project (run, sel, type, &error);
  if (t->field == NULL)
    {
      t->error = g_strdup (error ? error->message : "projection failed");
      return t;
    }
  for (guint i = 0; i < sl_series_field_len (t->field); i++)
    if (!sl_series_field_slot (t->field, i)->ok)
      t->n_errors++;
  track_repack (t);
  return t;
}

SlTrack *
sl_track_ref (SlTrack *t)
{
  g_return_val_if_fail (t != NULL, NULL);
  t->ref_count++;
  return t;
}

void
sl_track_unref (SlTrack *t)
{
  if (t == NULL || --t->ref_count > 0)
    return;
  g_free (t->selector);
  g_free (t->label);
  g_free (t->unit);
  g_free (t->group);
  g_clear_pointer (&t->field, sl_series_field_unref);
  g_free (t->error);
  g_clear_pointer (&t->plot, sl_plot_series_unref);
  g_free (t->marks);
  g_array_unref (t->spans);
  g_clear_pointer (&t->baseline_plot, sl_plot_series_unref);
  g_clear_pointer (&t->compare, sl_compare_field_free);
  g_free (t->compare_error);
  g_free (t);
}

void
sl_track_set_mode (SlTrack *t, SlCounterMode mode)
{
  g_return_if_fail (t != NULL);
  if (t->mode == mode)
    return;
  t->mode = mode;
  track_repack (t);
}

static SlMark
mark_of (SlOutcomeKind k)
{
  return k == SL_OUTCOME_FAIL ? SL_MARK_FAIL : k == SL_OUTCOME_INCONCLUSIVE ? SL_MARK_INCONCLUSIVE : SL_MARK_NONE;
}

void
sl_track_set_verdict (SlTrack *t, const SlVerdict *verdict, const SlSeriesField *evaluated)
{
  g_autoptr(GHashTable) point_of_sample = NULL;

  g_return_if_fail (t != NULL);

  g_clear_pointer (&t->marks, g_free);
  g_array_set_size (t->spans, 0);
  t->has_verdict = verdict != NULL;
  if (verdict == NULL || t->plot == NULL)
    return;
  t->verdict_kind = sl_verdict_result (verdict);
  t->marks = g_new0 (guint8, MAX (t->plot->n, 1));

  /* The evaluated field is a phase-filtered copy: its slots name run samples
   * through sample_index, which is what our own slots carry too. */
  point_of_sample = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < t->plot->n; i++)
    {
      const SlSlot *slot = sl_series_field_slot (t->field, t->plot->slot[i]);
      g_hash_table_insert (point_of_sample, GUINT_TO_POINTER (slot->sample_index + 1), GUINT_TO_POINTER (i + 1));
    }

  for (guint k = 0; k < verdict->outcomes->len; k++)
    {
      const SlOutcome *o = &g_array_index (verdict->outcomes, SlOutcome, k);
      SlMark mark = mark_of (o->kind);

      if (mark == SL_MARK_NONE)
        continue;
      if (o->t_first_ms.set || o->t_last_ms.set)
        {
          SlRenderSpan span = { 0, 0, mark };
          span.t_first = (double) (o->t_first_ms.set ? o->t_first_ms.v : o->t_last_ms.v);
          span.t_last = (double) (o->t_last_ms.set ? o->t_last_ms.v : o->t_first_ms.v);
          g_array_append_val (t->spans, span);
        }
      if (evaluated == NULL || o->first_slot < 0)
        continue;
      for (gint s = o->first_slot; s <= MAX (o->first_slot, o->last_slot); s++)
        {
          const SlSlot *slot;
          guint point;

          if ((guint) s >= sl_series_field_len (evaluated))
            break;
          slot = sl_series_field_slot (evaluated, s);
          point = GPOINTER_TO_UINT (g_hash_table_lookup (point_of_sample, GUINT_TO_POINTER (slot->sample_index + 1)));
          /* Only the offending end of a pair gets the mark: the later sample. */
          if (point > 0 && (s == o->last_slot || o->last_slot < o->first_slot))
            t->marks[point - 1] = MAX (t->marks[point - 1], mark);
        }
    }
}

gboolean
sl_track_visible_stats (SlTrack *t, double t0, double t1, double *v_min, double *v_max, double *mean)
{
  g_return_val_if_fail (t != NULL, FALSE);

  if (t->plot == NULL)
    return FALSE;
  if (!t->stats_valid || t->stats_t0 != t0 || t->stats_t1 != t1)
    {
      t->stats_any = sl_plot_series_stats (t->plot, t0, t1, &t->stats_min, &t->stats_max, &t->stats_mean);
      t->stats_t0 = t0;
      t->stats_t1 = t1;
      t->stats_valid = TRUE;
    }
  if (!t->stats_any)
    return FALSE;
  if (v_min)
    *v_min = t->stats_min;
  if (v_max)
    *v_max = t->stats_max;
  if (mean)
    *mean = t->stats_mean;
  return TRUE;
}

gint
sl_track_point_at (const SlTrack *t, double time, double max_dt)
{
  gint i;

  g_return_val_if_fail (t != NULL, -1);
  if (t->plot == NULL)
    return -1;
  i = sl_plot_series_nearest (t->plot, time);
  if (i < 0 || fabs (t->plot->t[i] - time) > max_dt)
    return -1;
  return i;
}

const SlSlot *
sl_track_slot_of_point (const SlTrack *t, guint i)
{
  g_return_val_if_fail (t != NULL && t->plot != NULL && i < t->plot->n, NULL);
  return sl_series_field_slot (t->field, t->plot->slot[i]);
}

char *
sl_track_describe (const SlTrack *t)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (t != NULL, NULL);
  g_string_append (s, sl_scalar_type_name (t->type));
  if (t->unit)
    g_string_append_printf (s, " · %s", t->unit);
  if (t->mode == SL_COUNTER_DELTA)
    g_string_append (s, " · Δ per sample");
  else if (t->mode == SL_COUNTER_RATE)
    g_string_append (s, " · rate /s");
  if (t->n_errors)
    g_string_append_printf (s, " · %u error%s", t->n_errors, t->n_errors == 1 ? "" : "s");
  return g_string_free (s, FALSE);
}
