/* sl-view-model.c: session tracks → SlRenderTrack. */
#include "sl-view-model.h"

#include <math.h>
#include <string.h>

static const char *
keep (SlViewModel *vm, char *s)
{
  g_ptr_array_add (vm->strings, s);
  return s;
}

/* Widens [*a, *b] by the baseline's values in view (compare mode shares
 * one y range between a run and its baseline). */
static void
widen_by_baseline (const SlTrack *t, gboolean visible_only, double t0, double t1, double *a, double *b)
{
  double x, y;

  if (t->baseline_plot == NULL)
    return;
  if (visible_only ? sl_plot_series_range (t->baseline_plot, t0, t1, &x, &y)
                   : !isnan (t->baseline_plot->v_min))
    {
      *a = MIN (*a, visible_only ? x : t->baseline_plot->v_min);
      *b = MAX (*b, visible_only ? y : t->baseline_plot->v_max);
    }
}

SlViewModel *
sl_view_model_build (SlSession *session, const SlRenderStyle *style, double t0, double t1, gint selected)
{
  SlViewModel *vm = g_new0 (SlViewModel, 1);
  guint n = sl_session_get_n_tracks (session);

  vm->tracks = g_array_sized_new (FALSE, TRUE, sizeof (SlRenderTrack), n);
  vm->strings = g_ptr_array_new_with_free_func (g_free);
  sl_session_sync_baseline (session);

  for (guint i = 0; i < n; i++)
    {
      SlTrack *t = sl_session_get_track (session, i);
      SlRenderTrack rt = { 0 };
      double lo, hi;

      rt.title = t->label;
      rt.subtitle = keep (vm, sl_track_describe (t));
      rt.series = t->plot;
      rt.style = t->style;
      rt.color = style->series[t->color_index % SL_RENDER_N_SERIES_COLORS];
      rt.selected = (gint) i == selected;
      rt.compact = t->group != NULL;
      rt.marks = t->marks;
      rt.spans = (const SlRenderSpan *) (gpointer) t->spans->data;
      rt.n_spans = t->spans->len;
      if (t->group)
        rt.title = keep (vm, g_strdup_printf ("%s", t->selector + strcspn (t->selector, " ") + 1));
      if (t->plot == NULL)
        rt.message = t->error ? t->error : "no data";
      else if (t->plot->n == 0)
        rt.message = "no sample of this field has a measured time";

      /* A per-CPU group shares one y range so its rows compare at a glance. */
      if (t->group && t->yrange != SL_YRANGE_FIXED)
        {
          double a = INFINITY, b = -INFINITY;
          for (guint k = 0; k < n; k++)
            {
              SlTrack *o = sl_session_get_track (session, k);
              double x, y;
              if (g_strcmp0 (o->group, t->group) != 0 || o->plot == NULL)
                continue;
              if (t->yrange == SL_YRANGE_AUTO ? sl_track_visible_stats (o, t0, t1, &x, &y, NULL)
                                              : !isnan (o->plot->v_min))
                {
                  a = MIN (a, t->yrange == SL_YRANGE_AUTO ? x : o->plot->v_min);
                  b = MAX (b, t->yrange == SL_YRANGE_AUTO ? y : o->plot->v_max);
                }
              widen_by_baseline (o, t->yrange == SL_YRANGE_AUTO, t0, t1, &a, &b);
            }
          sl_yrange_pad (isfinite (a) ? a : NAN, isfinite (b) ? b : NAN, &lo, &hi);
        }
      else if (t->yrange == SL_YRANGE_AUTO)
        {
          double a = INFINITY, b = -INFINITY, x, y;
          if (sl_track_visible_stats (t, t0, t1, &x, &y, NULL))
            {
              a = x;
              b = y;
            }
          widen_by_baseline (t, TRUE, t0, t1, &a, &b);
          sl_yrange_pad (isfinite (a) ? a : NAN, isfinite (b) ? b : NAN, &lo, &hi);
        }
      else if (t->yrange == SL_YRANGE_WHOLE_RUN && t->baseline_plot != NULL && t->plot != NULL)
        {
          double a = isnan (t->plot->v_min) ? INFINITY : t->plot->v_min;
          double b = isnan (t->plot->v_max) ? -INFINITY : t->plot->v_max;
          widen_by_baseline (t, FALSE, t0, t1, &a, &b);
          sl_yrange_pad (isfinite (a) ? a : NAN, isfinite (b) ? b : NAN, &lo, &hi);
        }
      else
        sl_yrange_resolve (t->plot, t->yrange, t0, t1, t->fixed_lo, t->fixed_hi, &lo, &hi);
      rt.baseline = t->baseline_plot;
      rt.y_lo = lo;
      rt.y_hi = hi;
      rt.has_stats = sl_track_visible_stats (t, t0, t1, &rt.stat_min, &rt.stat_max, &rt.stat_mean);
      if (t->has_verdict)
        {
          rt.badge = t->verdict_kind == SL_OUTCOME_FAIL ? "FAIL"
                   : t->verdict_kind == SL_OUTCOME_INCONCLUSIVE ? "INCONCLUSIVE" : "PASS";
          rt.badge_kind = t->verdict_kind == SL_OUTCOME_FAIL ? SL_MARK_FAIL
                        : t->verdict_kind == SL_OUTCOME_INCONCLUSIVE ? SL_MARK_INCONCLUSIVE : SL_MARK_NONE;
        }
      g_array_append_val (vm->tracks, rt);
    }
  return vm;
}

void
sl_view_model_free (SlViewModel *vm)
{
  if (vm == NULL)
    return;
  g_array_unref (vm->tracks);
  g_ptr_array_unref (vm->strings);
  g_free (vm);
}

double
sl_view_model_track_height (const SlRenderTrack *t)
{
  return t->compact ? SL_TRACK_COMPACT_HEIGHT : SL_TRACK_HEIGHT;
}
