/* sl-boundaries.h: when periodic captures fire (ktstr-semantics §1.1).
 *
 * All times are nanoseconds of workload time relative to any fixed origin;
 * the runner uses the scenario anchor as origin. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SL_PERIODIC_MAX_SNAPSHOTS 64
#define SL_PERIODIC_MIN_SPACING_MS 100
#define SL_INTERVAL_MAX_SAMPLES   1000

/* ktstr's compute_periodic_boundaries_ns: avail = end - start, pre = avail / 10,
 * win = avail - 2·pre, boundary i = start + pre + win·(i+1)/(N+1), in 128-bit
 * arithmetic with truncating division. Empty (not NULL) when N == 0,
 * end <= start, or win < N + 1. Element type guint64. */
GArray  *sl_periodic_boundaries_ns (guint64 start_ns, guint64 end_ns, guint n);
/* The entry validation: N <= 64 and 0.8·d/(N+1) >= 100 ms. */
gboolean sl_periodic_validate (guint64 duration_ms, guint n, GError **error);
/* --interval: start + k·interval for k = 1, 2, … while < end (at most
 * SL_INTERVAL_MAX_SAMPLES). Empty when interval is 0 or end <= start. */
GArray  *sl_interval_boundaries_ns (guint64 start_ns, guint64 end_ns, guint64 interval_ns);
/* "periodic_" + the index zero-padded to 3 digits. */
char    *sl_periodic_tag (guint index);

G_END_DECLS
