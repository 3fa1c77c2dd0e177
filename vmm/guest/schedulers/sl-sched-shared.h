/* sl-sched-shared.h: definitions shared by the BPF schedulers and their loader.
 *
 * Included from BPF C (after sl-sched-vmlinux.h, which provides __u64 & co.)
 * and from user-space C (which gets them from <linux/types.h>). Keep it to
 * plain fixed-width types so both sides agree on the layout.
 */
#ifndef SL_SCHED_SHARED_H
#define SL_SCHED_SHARED_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Custom dispatch queues. */
#define SL_DSQ_SHARED 0x100ULL   /* the global FIFO / vtime queue */
#define SL_DSQ_PARKED 0x200ULL   /* never consumed: the stall bug parks its victim here */
#define SL_DSQ_STARVED 0x300ULL  /* consumed rarely: the starve-cgroup bug */
#define SL_DSQ_CPU0 0x400ULL     /* consumed by CPU 0 only: the imbalance bug */

/* Fault modes, written by the loader into the .bss variable `bug_mode`
 * after load and before attach. */
enum sl_bug_mode {
  SL_BUG_NONE = 0,
  SL_BUG_STALL = 1,          /* one user task is never dispatched */
  SL_BUG_STARVE_CGROUP = 2,  /* tasks of one cgroup run only as a trickle */
  SL_BUG_COUNTER_REGRESS = 3,/* nr_dispatched goes backwards once */
  SL_BUG_IMBALANCE = 4,      /* every task that may run on CPU 0 runs there */
};

/* A starved task may run at most this often, so the starvation is visible
 * in the counters but stays below the watchdog's default 30 s timeout. */
#define SL_STARVE_TRICKLE_NS 250000000ULL
#define SL_STARVE_SLICE_NS 1000000ULL

/* counter-regress: nr_dispatched steps back (halves) once it reaches this;
 * about a second of a busy 2-CPU guest under TCG. A count rather than a
 * time, so the moment does not depend on how fast the host runs the guest. */
#define SL_REGRESS_AT_DISPATCHES 100ULL

/* Value of the PERCPU_ARRAY map `cpu_ctrs` (one entry, key 0). Every field
 * is counted on the CPU that executes the callback. */
struct sl_cpu_ctr {
  __u64 nr_dispatched;  /* tasks that this CPU pulled from a custom DSQ or got directly */
  __u64 nr_local;       /* direct inserts into a local DSQ decided on this CPU */
  __u64 nr_shared;      /* tasks this CPU moved from the shared queue to its local DSQ */
  __u64 nr_running;     /* ops.running calls: tasks started on this CPU */
  __u64 runtime_ns;     /* slice time consumed by tasks stopping on this CPU */
};

/* Value of the HASH map `cgrp_ctrs` keyed by cgroup id (the cgroup2
 * kernfs id, equal to the directory's inode number under /sys/fs/cgroup). */
struct sl_cgrp_ctr {
  __u64 runtime_ns;
  __u64 nr_runs;
};

#define SL_CGRP_MAX 1024
#define SL_EXIT_REASON_LEN 128
#define SL_EXIT_MSG_LEN 1024

#endif /* SL_SCHED_SHARED_H */
