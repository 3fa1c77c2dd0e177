/* sl-session-private.h: the session's state, shared by its two files. */
#pragma once

#include "sl-session.h"

G_BEGIN_DECLS

struct _SlSession
{
  GObject         parent_instance;

  SlRun          *run;
  char           *path;
  SlFieldCatalog *catalog;
  GArray         *phases;        /* SlRenderPhase (labels owned) */
  GPtrArray      *tracks;        /* SlTrack* */
  guint           next_color;
  gint            selected_track;

  double          doc_t0, doc_t1;
  double          view_t0, view_t1;
  gboolean        has_selection;
  double          sel_a, sel_b;

  SlAssertion    *draft;
  SlVerdict      *draft_verdict;
  SlSeriesField  *draft_field;
  char           *draft_error;
  GPtrArray      *authored;      /* SlAuthored* */

  /* Compare mode (sl-session-baseline.c). */
  SlRun          *baseline;
  char           *baseline_path;
  GArray         *baseline_phases;   /* SlRenderPhase (labels owned) */
  struct _SlPhaseAlign *align;
  guint           baseline_gen;      /* bumped whenever tracks must re-derive their baseline */
};

typedef enum {
  SL_SESSION_TRACKS_CHANGED,
  SL_SESSION_VIEW_CHANGED,
  SL_SESSION_SELECTION_CHANGED,
  SL_SESSION_ASSERTIONS_CHANGED,
  SL_SESSION_BASELINE_CHANGED,
  SL_SESSION_RUN_CHANGED,
  SL_SESSION_N_SIGNALS
} SlSessionSignal;

extern guint sl_session_signals[SL_SESSION_N_SIGNALS];

void sl_authored_free (SlAuthored *au);
/* Paints the draft's verdict (or else the first authored one) on each track. */
void sl_session_repaint_verdicts (SlSession *self);
/* Phases of `run` as drawn, appended to `out` (labels owned by the caller). */
void sl_session_collect_phases (SlRun *run, GArray *out);
void sl_session_clear_phases (GArray *phases);
void sl_session_baseline_free (SlSession *self);
/* Phases and document range from the run; the view is reset to the whole run. */
void sl_session_compute_document (SlSession *self);

G_END_DECLS
