/* sl-monitor-summary.h: ktstr's MonitorSummary (ktstr-semantics §8.3) and the
 * monitor thresholds, as pure functions over monitor samples.
 *
 * Samples where any CPU reports local_dsq_depth > 10 000 (the plausibility
 * ceiling), or that have no CPUs, are uninitialized: counted in total_samples,
 * skipped otherwise. A CPU is "stuck" between two consecutive valid samples
 * when its rq_clock did not advance, unless (a) it was idle (nr_running == 0)
 * in both, or (b) its vCPU thread got no more host CPU time than the
 * preemption threshold (10 ticks) between them; stuck_count counts every such
 * CPU × pair. Event deltas use the first and last samples that carry counters
 * (summed over CPUs, clamped ≥ 0); schedstat deltas likewise. */
#pragma once

#include <glib.h>
#include "sl-run.h"

G_BEGIN_DECLS

#define SL_DSQ_PLAUSIBILITY_CEILING 10000

/* 10 × the guest tick: 10 × 1e9 / hz ns (hz 0 → 250, i.e. 40 ms). */
guint64  sl_monitor_preemption_threshold_ns (guint hz);

/* TRUE when the sample counts (has CPUs, no implausible DSQ depth). */
gboolean sl_monitor_sample_is_valid (const SlMonitorSample *s);

/* Fills *out from `n` samples in time order. */
void     sl_monitor_summarize (SlMonitorSample *const *samples, guint n, guint64 preemption_threshold_ns,
                               SlMonitorSummary *out);

/* Stuck CPUs between two samples (see above); `stuck` (may be NULL) receives the CPU ids. */
guint    sl_monitor_stuck_cpus (const SlMonitorSample *prev, const SlMonitorSample *cur,
                                guint64 preemption_threshold_ns, GArray *stuck);

typedef struct {
  double   max_imbalance_ratio;
  guint64  max_local_dsq_depth;
  gboolean fail_on_stall;
  guint    sustained_samples;   /* a violation must persist this many consecutive samples */
  double   max_fallback_rate;   /* select_cpu_fallback events per second */
  double   max_keep_last_rate;  /* dispatch_keep_last events per second */
  gboolean enforce;             /* FALSE: report only (violations are listed, outcome PASS) */
} SlMonitorThresholds;

/* Schedlab's defaults: ratio 4.0, depth 50, stall fails, 5 samples, 200/s, 100/s, not enforced. */
void     sl_monitor_thresholds_default (SlMonitorThresholds *t);

typedef enum {
  SL_MONITOR_PASS,
  SL_MONITOR_FAIL,
  SL_MONITOR_INCONCLUSIVE,   /* no valid data: whatever `enforce` says */
} SlMonitorOutcome;

/* Checks the thresholds over the samples. `violations` (may be NULL) receives one
 * human-readable line per sustained violation (char*, owned by the array). */
SlMonitorOutcome sl_monitor_check (SlMonitorSample *const *samples, guint n, guint64 preemption_threshold_ns,
                                   const SlMonitorThresholds *t, GPtrArray *violations);

G_END_DECLS
