/* sl-phase-align.h: mapping a baseline run's time onto the current run's.
 *
 * Two runs of one scenario have the same phases (BASELINE, Step[k]) but not
 * the same timing: boot, capture and step durations differ. A baseline point
 * is placed by the phase it falls in: a time t in the baseline's phase p,
 * [b0, b1], goes to a0 + (t − b0) / (b1 − b0) × (a1 − a0) in the current
 * run's phase p, [a0, a1] (piecewise linear, one piece per phase). A point in
 * a phase the current run does not have is dropped. No GTK. */
#pragma once

#include <glib.h>
#include "sl-render.h"
#include "sl-plot-series.h"

G_BEGIN_DECLS

typedef struct _SlPhaseAlign SlPhaseAlign;

/* Pieces for every phase id present in both lists (each sorted or not). */
SlPhaseAlign *sl_phase_align_new   (const SlRenderPhase *current, guint n_current,
                                    const SlRenderPhase *baseline, guint n_baseline);
void          sl_phase_align_free  (SlPhaseAlign *align);
/* Number of phases both runs have. */
guint         sl_phase_align_get_n_pieces (const SlPhaseAlign *align);
/* Maps a baseline time (ms); FALSE when it lies in no shared phase. */
gboolean      sl_phase_align_map   (const SlPhaseAlign *align, double t_baseline, double *t_current);
/* A copy of `series` with every point mapped (unmappable points dropped). */
SlPlotSeries *sl_phase_align_series (const SlPhaseAlign *align, const SlPlotSeries *series);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlPhaseAlign, sl_phase_align_free)

G_END_DECLS
