/* sl-phase-align.c: piecewise-linear phase alignment of a baseline run. */
#include "sl-phase-align.h"

#include <math.h>

typedef struct {
  double b0, b1;   /* baseline phase range */
  double a0, a1;   /* current run's range of the same phase */
} Piece;

struct _SlPhaseAlign
{
  GArray *pieces;  /* Piece, by b0 */
};

static gint
piece_cmp (gconstpointer pa, gconstpointer pb)
{
  const Piece *a = pa, *b = pb;
  return (a->b0 > b->b0) - (a->b0 < b->b0);
}

SlPhaseAlign *
sl_phase_align_new (const SlRenderPhase *current, guint n_current,
                    const SlRenderPhase *baseline, guint n_baseline)
{
  SlPhaseAlign *align = g_new0 (SlPhaseAlign, 1);

  g_return_val_if_fail (current != NULL || n_current == 0, align);
  g_return_val_if_fail (baseline != NULL || n_baseline == 0, align);
  align->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  for (guint i = 0; i < n_baseline; i++)
    for (guint k = 0; k < n_current; k++)
      {
        const SlRenderPhase *b = &baseline[i], *a = &current[k];
        Piece p;

        if (a->phase != b->phase)
          continue;
        if (!isfinite (b->start_ms) || !isfinite (b->end_ms) || !isfinite (a->start_ms) || !isfinite (a->end_ms)
            || b->end_ms < b->start_ms || a->end_ms < a->start_ms)
          break;
        p = (Piece) { b->start_ms, b->end_ms, a->start_ms, a->end_ms };
        g_array_append_val (align->pieces, p);
        break;
      }
  g_array_sort (align->pieces, piece_cmp);
  return align;
}

void
sl_phase_align_free (SlPhaseAlign *align)
{
  if (align == NULL)
    return;
  g_array_unref (align->pieces);
  g_free (align);
}

guint
sl_phase_align_get_n_pieces (const SlPhaseAlign *align)
{
  g_return_val_if_fail (align != NULL, 0);
  return align->pieces->len;
}

gboolean
sl_phase_align_map (const SlPhaseAlign *align, double t, double *out)
{
  g_return_val_if_fail (align != NULL && out != NULL, FALSE);
  if (!isfinite (t))
    return FALSE;
  /* Phases are contiguous, so a boundary time belongs to two pieces; the
   * later one wins, as a phase starts at its boundary. */
  for (guint i = align->pieces->len; i-- > 0;)
    {
      const Piece *p = &g_array_index (align->pieces, Piece, i);

      if (t < p->b0 || t > p->b1)
        continue;
      if (p->b1 - p->b0 <= 0)
        *out = p->a0;
      else
        *out = p->a0 + (t - p->b0) / (p->b1 - p->b0) * (p->a1 - p->a0);
      return TRUE;
    }
  return FALSE;
}

SlPlotSeries *
sl_phase_align_series (const SlPhaseAlign *align, const SlPlotSeries *series)
{
  g_autofree double *t = NULL, *v = NULL;
  guint n = 0;

  g_return_val_if_fail (align != NULL && series != NULL, NULL);
  t = g_new (double, MAX (series->n, 1));
  v = g_new (double, MAX (series->n, 1));
  for (guint i = 0; i < series->n; i++)
    {
      double mt;

      if (!sl_phase_align_map (align, series->t[i], &mt))
        continue;
      t[n] = mt;
      v[n] = series->ok[i] ? series->v[i] : NAN;
      n++;
    }
  return sl_plot_series_new_from_arrays (t, v, n);
}
