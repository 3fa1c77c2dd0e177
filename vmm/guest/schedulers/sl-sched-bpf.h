/* sl-sched-bpf.h: one bundled scheduler's BPF object, through libbpf.
 *
 * Opens an embedded object, loads it (marking ops.init sleepable by hand on
 * libbpf 1.1), maps its .bss for live reads and writes, attaches the
 * struct_ops map and reads the counters the stats server reports.
 */
#ifndef SL_SCHED_BPF_H
#define SL_SCHED_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sl-sched-objects.h"
#include "sl-sched-stats.h"

typedef struct SlgSched SlgSched;

/* Opens and loads. *timeout_ms > 0 overrides the ops' watchdog timeout; it
 * is reset to 0 (the kernel's default) when this libbpf cannot (1.1). On
 * failure returns NULL and fills err. */
SlgSched *slg_sched_load (const SlgEmbeddedObject *obj, uint32_t *timeout_ms,
                          char *err, size_t err_len);
bool slg_sched_attach (SlgSched *s, char *err, size_t err_len);
/* Detaches, keeping the object and its .bss readable. */
void slg_sched_detach (SlgSched *s);
/* Detaches (if attached) and frees. */
void slg_sched_free (SlgSched *s);

const char *slg_sched_ops_name (const SlgSched *s);

/* .bss variables by name; NULL if the object has no such variable. */
volatile uint64_t *slg_sched_bss_u64 (SlgSched *s, const char *name);
volatile char *slg_sched_bss_str (SlgSched *s, const char *name, size_t *size);

/* Fills counters, per-CPU and per-cgroup numbers (paths left empty). The
 * arrays are owned by s and stay valid until the next call. */
void slg_sched_snapshot (SlgSched *s, SlgSchedSnapshot *snap);

/* Names of the .bss counters this object has, NULL-terminated. */
const char *const *slg_sched_counter_names (SlgSched *s);
bool slg_sched_has_cgroups (SlgSched *s);

#endif /* SL_SCHED_BPF_H */
