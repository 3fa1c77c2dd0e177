/* sl-projection.h: projecting one typed column (SlSeriesField) out of a run along
 * one of the four axes (ktstr-semantics §3).
 *
 * Every sample gets a slot (monitor cpuN fields: every monitor sample; monitor
 * summary/events/rates: one slot). Per-sample problems never abort: they become
 * error slots with the §3.5 kind and a message naming what was requested and
 * what was available. Order of checks for a capture sample:
 *   bpf:   PlaceholderSample → SchedulerGone → map/global lookup → path → type
 *   stats: SchedulerGone → MissingStats → path → type
 *   host:  PlaceholderSample → HostFieldUnavailable → value
 * Host times stay valid after a scheduler exit (they are the kernel's and the
 * host's counters, not the scheduler's), so SchedulerGone is not applied there. */
#pragma once

#include <glib.h>
#include "sl-types.h"
#include "sl-run.h"
#include "sl-series-field.h"
#include "sl-field-selector.h"

G_BEGIN_DECLS

/* Lists inside error messages (available maps, sibling keys ...) are cut here. */
#define SL_PROJECTION_MAX_LISTED 16

/* GError (SL_ERROR_FIELD) only when the selector cannot be applied at all
 * (e.g. a bool request on a monitor counter). */
SlSeriesField *sl_project (SlRun *run, const SlFieldSelector *sel, SlScalarType type, GError **error);

/* Convenience: parse and project. */
SlSeriesField *sl_project_text (SlRun *run, const char *selector, SlScalarType type, GError **error);

/* Index of the first sample taken after the scheduler exited (G_MAXUINT when it
 * never exited during the captures), and the exit responsible (may be NULL). */
guint sl_run_first_gone_sample (const SlRun *run, const SlSchedExit **exit_out);

G_END_DECLS
