/* sl-session.h: everything the workbench shows about one open run.
 *
 * The session owns the run, its field catalog and phases, the tracks, the
 * document / visible / selected time ranges, the assertion being edited (the
 * draft, evaluated live) and the authored assertions with their verdicts. All
 * views bind to it: zooming only changes the visible range (Sysprof's
 * session idea), so every track follows. */
#pragma once

#include <glib-object.h>
#include "sl-run.h"
#include "sl-field-catalog.h"
#include "sl-spec.h"
#include "sl-track.h"
#include "sl-render.h"

G_BEGIN_DECLS

#define SL_TYPE_SESSION (sl_session_get_type ())
G_DECLARE_FINAL_TYPE (SlSession, sl_session, SL, SESSION, GObject)

/* An authored assertion, its verdict over its whole scope and per phase. */
typedef struct {
  SlAssertion   *assertion;
  SlVerdict     *verdict;        /* NULL when it could not be evaluated */
  char          *error;          /* why not */
  SlSeriesField *field;          /* the evaluated field */
  GArray        *phase_ids;      /* guint16: the run's phases */
  GPtrArray     *phase_verdicts; /* SlVerdict* or NULL per phase_ids entry (not in scope / no data) */
} SlAuthored;

SlSession        *sl_session_new (SlRun *run, const char *path);
SlRun            *sl_session_get_run (SlSession *self);
const char       *sl_session_get_path (SlSession *self);
char             *sl_session_dup_title (SlSession *self);
const SlFieldCatalog *sl_session_get_catalog (SlSession *self);

/* Phases as drawn (labels owned by the session). */
const SlRenderPhase *sl_session_get_phases (SlSession *self, guint *n);

/* Tracks. */
guint     sl_session_get_n_tracks (SlSession *self);
SlTrack  *sl_session_get_track (SlSession *self, guint i);
/* Adds a track for a selector (type and unit from the catalog); returns its index. */
guint     sl_session_add_track (SlSession *self, const char *selector);
/* Adds every member of a per-CPU family as one group; returns the first index. */
guint     sl_session_add_track_group (SlSession *self, const char *group, const char *const *selectors);
void      sl_session_remove_track (SlSession *self, guint i);
/* A first view for a run opened without a saved session: up to `max` fields
 * with data, one per group, BPF and stats first. Returns how many. */
guint     sl_session_add_default_tracks (SlSession *self, guint max);
gint      sl_session_find_track (SlSession *self, const char *selector);
void      sl_session_track_changed (SlSession *self, guint i);   /* after editing a track's settings */
gint      sl_session_get_selected_track (SlSession *self);       /* -1 = none */
void      sl_session_select_track (SlSession *self, gint i);

/* Time, in elapsed ms. */
void      sl_session_get_document_range (SlSession *self, double *t0, double *t1);
void      sl_session_get_view (SlSession *self, double *t0, double *t1);
void      sl_session_set_view (SlSession *self, double t0, double t1);
void      sl_session_zoom (SlSession *self, double factor, double anchor);  /* factor < 1 zooms in */
void      sl_session_pan (SlSession *self, double fraction);              /* of the visible span */
void      sl_session_fit_all (SlSession *self);
gboolean  sl_session_fit_phase (SlSession *self, guint16 phase);
gboolean  sl_session_get_selection (SlSession *self, double *a, double *b);
void      sl_session_set_selection (SlSession *self, double a, double b);
void      sl_session_clear_selection (SlSession *self);
gboolean  sl_session_zoom_to_selection (SlSession *self);
/* Phases overlapping the selection, or all of them when there is none. */
GArray   *sl_session_phases_in_selection (SlSession *self);
gboolean  sl_session_phase_at (SlSession *self, double t, guint16 *phase);

/* The draft assertion: evaluated on every change and painted on its track. */
void               sl_session_set_draft (SlSession *self, SlAssertion *draft);   /* takes ownership; NULL clears */
const SlAssertion *sl_session_get_draft (SlSession *self);
SlVerdict         *sl_session_get_draft_verdict (SlSession *self);             /* borrowed, may be NULL */
const char        *sl_session_get_draft_error (SlSession *self);

/* Authored assertions. */
GPtrArray *sl_session_get_authored (SlSession *self);                 /* SlAuthored*, borrowed */
/* Adds (or replaces the one with the same name); takes ownership. */
void       sl_session_commit (SlSession *self, SlAssertion *assertion);
void       sl_session_remove_authored (SlSession *self, guint i);
/* A unique assertion name derived from `base`. */
char      *sl_session_unique_name (SlSession *self, const char *base);
/* A spec of the authored assertions (only those that pass unless include_failing). */
SlSpec    *sl_session_build_spec (SlSession *self, gboolean include_failing);

/* Zooms to the first failing outcome of an authored assertion (-1 phase = any). */
gboolean   sl_session_reveal_failure (SlSession *self, guint authored, gint phase_index);

/* Compare mode (sl-session-baseline.c): a baseline run drawn over every
 * track, aligned by phase, with per-phase deltas. NULL clears. Emits
 * "baseline-changed" and "tracks-changed". */
void        sl_session_set_baseline (SlSession *self, SlRun *baseline, const char *path);
SlRun      *sl_session_get_baseline (SlSession *self);
const char *sl_session_get_baseline_path (SlSession *self);
/* Where a baseline time lands on this run's time; FALSE outside shared phases. */
gboolean    sl_session_map_baseline_time (SlSession *self, double t_baseline, double *t_current);
/* Re-derives each track's baseline series and comparison where stale
 * (new tracks, a changed counter mode, a new baseline). Cheap when current. */
void        sl_session_sync_baseline (SlSession *self);
/* The run's phases moved (a live run grew): re-align the baseline. */
void        sl_session_baseline_run_changed (SlSession *self);

/* Live runs (sl-session-live.c): the run was appended to in place; refresh the
 * catalog, phases, document range and every track's projection, keeping the
 * tracks' settings. The view follows the end of the run unless zoomed in.
 * Emits "run-changed", "tracks-changed" and "view-changed". */
void        sl_session_refresh (SlSession *self);

G_END_DECLS
