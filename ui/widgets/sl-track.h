/* sl-track.h: one timeline track: a projected field and how it is drawn.
 *
 * A track owns the projected SlSeriesField (one slot per sample), its packed
 * plot series for the current counter mode, the y-range policy, and the marks
 * painted from the verdict of the assertion being edited on it. Tracks are
 * plain ref-counted structs owned by the session: no GObject per sample, and
 * not even one per track is needed. */
#pragma once

#include <glib.h>
#include "sl-run.h"
#include "sl-series-field.h"
#include "sl-verdict.h"
#include "sl-plot-series.h"
#include "sl-ticks.h"
#include "sl-render.h"
#include "sl-compare.h"

G_BEGIN_DECLS

typedef struct {
  gint            ref_count;
  char           *selector;      /* "<axis> <path>" */
  char           *label;         /* short name for the header */
  char           *unit;          /* NULL = unknown */
  char           *group;         /* per-CPU family key; NULL = standalone */
  SlScalarType    type;
  SlCounterMode   mode;
  SlYRangePolicy  yrange;
  double          fixed_lo, fixed_hi;
  SlTrackStyle    style;
  guint           color_index;

  SlSeriesField  *field;         /* NULL when the projection failed as a whole */
  char           *error;         /* why, for the user */
  SlPlotSeries   *plot;          /* for `mode`; NULL with field */
  guint           n_errors;      /* slots that failed to project */

  /* Painted from a verdict: one SlMark per plot point, and outcome ranges. */
  guint8         *marks;
  GArray         *spans;         /* SlRenderSpan */
  SlOutcomeKind   verdict_kind;
  gboolean        has_verdict;

  /* Compare mode: the baseline run's series for this field and mode, on this
   * run's time (phase-aligned), and the per-phase comparison. Derived by the
   * session (sl_session_sync_baseline) when baseline_gen is stale. */
  SlPlotSeries   *baseline_plot;
  SlCompareField *compare;
  char           *compare_error;
  guint           baseline_gen;
  SlCounterMode   baseline_mode;

  /* Stats of the last visible range asked for: hover redraws reuse them. */
  gboolean        stats_valid;
  double          stats_t0, stats_t1;
  gboolean        stats_any;
  double          stats_min, stats_max, stats_mean;
} SlTrack;

/* Projects `selector` out of `run`. Never fails: a projection that cannot be
 * applied at all leaves field NULL and error set. */
SlTrack  *sl_track_new        (SlRun *run, const char *selector, SlScalarType type,
                               const char *unit, const char *group);
SlTrack  *sl_track_ref        (SlTrack *t);
void      sl_track_unref      (SlTrack *t);
void      sl_track_set_mode   (SlTrack *t, SlCounterMode mode);
/* Paints `verdict` (evaluated over `evaluated`, whose slots refer to run
 * samples through sample_index) onto this track's points. NULL clears. */
void      sl_track_set_verdict (SlTrack *t, const SlVerdict *verdict, const SlSeriesField *evaluated);
/* Min, max and mean of the plotted values in [t0, t1); FALSE when none.
 * Cached for the last range. */
gboolean  sl_track_visible_stats (SlTrack *t, double t0, double t1,
                                  double *v_min, double *v_max, double *mean);
/* Plot point nearest to time t (ms) within max_dt ms, or -1. */
gint      sl_track_point_at   (const SlTrack *t, double time, double max_dt);
/* The source slot of plot point i. */
const SlSlot *sl_track_slot_of_point (const SlTrack *t, guint i);
/* "ns · rate/s" style subtitle. */
char     *sl_track_describe   (const SlTrack *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTrack, sl_track_unref)

G_END_DECLS
