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

SlViewModel *
sl_view_model_build (SlSession *session, const SlRenderStyle *style, double t0, double t1, gint selected)
{
  SlViewModel *vm = g_new0 (SlViewModel, 1);
  guint n = sl_session_get_n_tracks (session);

  vm->tracks = g_array_sized_new (FALSE, TRUE, sizeof (SlRenderTrack), n);
  vm->strings = g_ptr_array_new_with_free_func (g_free);

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
          lo = INFINITY;
          hi = -INFINITY;
          for (guint k = 0; k < n; k++)
            {
              SlTrack *o = sl_session_get_track (session, k);
              double a, b;
              if (g_strcmp0 (o->group, t->group) != 0 || o->plot == NULL)
                continue;
              sl_yrange_resolve (o->plot, t->yrange, t0, t1, 0, 0, &a, &b);
              if (o->plot->n && !isnan (o->plot->v_min))
                {
                  lo = MIN (lo, a);
                  hi = MAX (hi, b);
                }
            }
          if (!isfinite (lo) || !isfinite (hi) || !(hi > lo))
            sl_yrange_resolve (t->plot, t->yrange, t0, t1, t->fixed_lo, t->fixed_hi, &lo, &hi);
        }
      else
        sl_yrange_resolve (t->plot, t->yrange, t0, t1, t->fixed_lo, t->fixed_hi, &lo, &hi);
      rt.y_lo = lo;
      rt.y_hi = hi;

      if (t->plot && sl_plot_series_range (t->plot, t0, t1, &rt.stat_min, &rt.stat_max)
          && sl_plot_series_mean (t->plot, t0, t1, &rt.stat_mean))
        rt.has_stats = TRUE;
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
