/* sl-sched.bpf.h: what every bundled sched_ext scheduler shares on the BPF
 * side: kfunc declarations (with fallbacks to the 6.12 names), the .bss
 * counters and exit record the loader reads, the fault-mode knobs the loader
 * writes, and small helpers. Include it from exactly one .bpf.c per object.
 */
#ifndef SL_SCHED_BPF_H
#define SL_SCHED_BPF_H

#include "sl-sched-vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "sl-sched-shared.h"

/* libbpf >= 1.3 knows `.struct_ops.link` (the scheduler is detached when the
 * loader's link fd closes) and `struct_ops.s/` (sleepable). With 1.1 the
 * loader marks ops.init sleepable itself and attaches by map update. */
#if SL_LIBBPF_STRUCT_OPS_LINK
#define SL_OPS_SEC SEC(".struct_ops.link")
#define SL_SLEEPABLE_SEC(name) SEC("struct_ops.s/" #name)
#else
#define SL_OPS_SEC SEC(".struct_ops")
#define SL_SLEEPABLE_SEC(name) SEC("struct_ops/" #name)
#endif
#define SL_OPS_PROG_SEC(name) SEC("struct_ops/" #name)

#define BPF_STRUCT_OPS(name, args...) SL_OPS_PROG_SEC(name) BPF_PROG (name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SL_SLEEPABLE_SEC(name) BPF_PROG (name, ##args)

#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) (!!(sym))
#endif

/* kfuncs. Names checked on the 7.2/7.3 kernel BTF; all weak so the object
 * still loads where one spelling is missing (6.12 has only the old ones). */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
void scx_bpf_dispatch(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags) __ksym __weak;
bool scx_bpf_consume(u64 dsq_id) __ksym __weak;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __ksym;
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym;
u32 scx_bpf_nr_cpu_ids(void) __ksym;

static __always_inline void
sl_insert (struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags)
{
  if (bpf_ksym_exists (scx_bpf_dsq_insert))
    scx_bpf_dsq_insert (p, dsq_id, slice, enq_flags);
  else
    scx_bpf_dispatch (p, dsq_id, slice, enq_flags);
}

static __always_inline void
sl_insert_vtime (struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime, u64 enq_flags)
{
  if (bpf_ksym_exists (scx_bpf_dsq_insert_vtime))
    scx_bpf_dsq_insert_vtime (p, dsq_id, slice, vtime, enq_flags);
  else
    scx_bpf_dispatch_vtime (p, dsq_id, slice, vtime, enq_flags);
}

static __always_inline bool
sl_move_to_local (u64 dsq_id)
{
  if (bpf_ksym_exists (scx_bpf_dsq_move_to_local))
    return scx_bpf_dsq_move_to_local (dsq_id);
  return scx_bpf_consume (dsq_id);
}

char _license[] SEC("license") = "GPL";

/* ---- .bss: counters read live by the loader through its mmap ---------- */
u64 nr_enqueued;        /* ops.enqueue calls */
u64 nr_dispatched;      /* tasks handed to a CPU: nr_local + nr_shared */
u64 nr_local;           /* direct inserts into a local DSQ (idle fast path) */
u64 nr_shared;          /* tasks moved from a custom DSQ to a local DSQ */
u64 nr_idle_hits;       /* select_cpu found an idle CPU */
u64 nr_dispatch_calls;  /* ops.dispatch calls */
u64 nr_parked;          /* tasks put in a queue that is never/rarely consumed */
u64 nr_cgrp_full;       /* cgroup updates dropped because cgrp_ctrs was full */

/* ---- .bss: exit record, copied from ops.exit --------------------------- */
u64 exit_seen;
s64 exit_kind;
s64 exit_code;
char exit_reason[SL_EXIT_REASON_LEN];
char exit_msg[SL_EXIT_MSG_LEN];

/* ---- .bss: knobs written by the loader after load, before attach ------ */
u64 bug_mode;           /* enum sl_bug_mode */
u64 bug_cgid;           /* starve-cgroup: victim cgroup id (0 = not yet resolved) */
s64 loader_tgid;        /* never the stall victim: the stats server must live */

/* ---- .bss: the schedulers' own state (also visible to the loader) ------ */
s64 victim_pid;         /* stall: the parked task, 0 until chosen */
u64 init_ns;            /* bpf_ktime_get_ns() at ops.init */
u64 regressed;          /* counter-regress: the step back happened */
u64 last_starved_ns;    /* starve-cgroup: last trickle dispatch */

struct {
  __uint (type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint (max_entries, 1);
  __type (key, u32);
  __type (value, struct sl_cpu_ctr);
} cpu_ctrs SEC(".maps");

static __always_inline struct sl_cpu_ctr *
sl_cpu_ctr (void)
{
  u32 zero = 0;
  return bpf_map_lookup_elem (&cpu_ctrs, &zero);
}

/* When the task now running on each CPU started (ops.running). */
struct {
  __uint (type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint (max_entries, 1);
  __type (key, u32);
  __type (value, u64);
} cpu_run_start SEC(".maps");

static __always_inline void
sl_run_start (void)
{
  struct sl_cpu_ctr *c = sl_cpu_ctr ();
  u32 zero = 0;
  u64 *start = bpf_map_lookup_elem (&cpu_run_start, &zero);

  if (start)
    *start = bpf_ktime_get_ns ();
  if (c)
    c->nr_running++;
}

/* Returns how long the stopping task ran; ops.running and ops.stopping of a
 * task are called on the same CPU, so a per-CPU start time is enough. */
static __always_inline u64
sl_run_stop (void)
{
  struct sl_cpu_ctr *c = sl_cpu_ctr ();
  u32 zero = 0;
  u64 *start = bpf_map_lookup_elem (&cpu_run_start, &zero);
  u64 now = bpf_ktime_get_ns (), ran = 0;

  if (start && *start && now > *start)
    ran = now - *start;
  if (start)
    *start = 0;
  if (c)
    c->runtime_ns += ran;
  return ran;
}

static __always_inline void
sl_count_local (void)
{
  struct sl_cpu_ctr *c = sl_cpu_ctr ();
  __sync_fetch_and_add (&nr_local, 1);
  __sync_fetch_and_add (&nr_dispatched, 1);
  if (c)
    {
      c->nr_local++;
      c->nr_dispatched++;
    }
}

static __always_inline void
sl_count_shared (void)
{
  struct sl_cpu_ctr *c = sl_cpu_ctr ();
  __sync_fetch_and_add (&nr_shared, 1);
  __sync_fetch_and_add (&nr_dispatched, 1);
  if (c)
    {
      c->nr_shared++;
      c->nr_dispatched++;
    }
}

static __always_inline u64
sl_task_cgid (struct task_struct *p)
{
  /* The cgroup2 id of the task, read through CO-RE rather than
   * scx_bpf_task_cgroup(): that kfunc reports the cpu-controller cgroup
   * (root unless +cpu is enabled down the tree) and is restricted to some
   * callbacks; the default hierarchy's cgroup is what the stats name. */
  return BPF_CORE_READ (p, cgroups, dfl_cgrp, kn, id);
}

/* stall: choose the victim once, among user tasks other than the loader
 * and init, and park it for ever. */
static __always_inline bool
sl_is_stall_victim (struct task_struct *p)
{
  if (bug_mode != SL_BUG_STALL)
    return false;
  if (victim_pid)
    return p->pid == victim_pid;
  if ((p->flags & PF_KTHREAD) || p->tgid == loader_tgid || p->tgid == 1)
    return false;
  /* Leave the system a moment to settle after attach, then pick. */
  if (bpf_ktime_get_ns () - init_ns < 200000000ULL)
    return false;
  if (__sync_val_compare_and_swap (&victim_pid, 0, p->pid) == 0)
    return true;
  return p->pid == victim_pid;
}

static __always_inline bool
sl_is_starved (struct task_struct *p)
{
  return bug_mode == SL_BUG_STARVE_CGROUP && bug_cgid != 0 &&
         sl_task_cgid (p) == bug_cgid;
}

/* The BPF program itself runs with migration disabled, which counts on the
 * current task: one level on current is ours, not the task's (the kernel's
 * own sched_ext code makes the same correction). */
static __always_inline bool
sl_migration_disabled (struct task_struct *p)
{
  unsigned short md = p->migration_disabled;

  if (md == 1)
    return (u32) bpf_get_current_pid_tgid () != (u32) p->pid;
  return md > 1;
}

/* imbalance: every task that may run anywhere goes to CPU 0's queue.
 * Tasks with a narrower affinity (per-CPU kthreads) or pinned for the moment
 * keep the normal path, since CPU 0 might not be allowed to take them.
 * (Not bpf_cpumask_test_cpu(): a pointer-only struct becomes a BTF forward
 * declaration here, which libbpf rejects against the kernel's prototype.) */
static __always_inline bool
sl_is_imbalanced (struct task_struct *p)
{
  if (bug_mode != SL_BUG_IMBALANCE)
    return false;
  if (bpf_core_field_exists (p->migration_disabled) && sl_migration_disabled (p))
    return false;
  return (u32) p->nr_cpus_allowed == scx_bpf_nr_cpu_ids ();
}

/* Queue a task that a fault mode takes over; returns true if it did. */
static __always_inline bool
sl_bug_enqueue (struct task_struct *p, u64 enq_flags)
{
  if (sl_is_stall_victim (p))
    {
      __sync_fetch_and_add (&nr_parked, 1);
      sl_insert (p, SL_DSQ_PARKED, SCX_SLICE_DFL, enq_flags);
      return true;
    }
  if (sl_is_starved (p))
    {
      __sync_fetch_and_add (&nr_parked, 1);
      sl_insert (p, SL_DSQ_STARVED, SL_STARVE_SLICE_NS, enq_flags);
      return true;
    }
  if (sl_is_imbalanced (p))
    {
      sl_insert (p, SL_DSQ_CPU0, SCX_SLICE_DFL, enq_flags);
      scx_bpf_kick_cpu (0, SCX_KICK_IDLE);
      return true;
    }
  return false;
}

/* True when select_cpu must not take its idle fast path for p. */
static __always_inline bool
sl_bug_skip_fast_path (struct task_struct *p)
{
  return bug_mode != SL_BUG_NONE &&
         (sl_is_stall_victim (p) || sl_is_starved (p) || sl_is_imbalanced (p));
}

/* Dispatch-side part of the fault modes, called before the shared queue is
 * consumed; returns true if it already gave this CPU a task. */
static __always_inline bool
sl_bug_dispatch_first (s32 cpu)
{
  u64 now;

  if (bug_mode == SL_BUG_IMBALANCE && cpu == 0 && sl_move_to_local (SL_DSQ_CPU0))
    {
      sl_count_shared ();
      return true;
    }
  if (bug_mode == SL_BUG_STARVE_CGROUP)
    {
      /* The trickle keeps each starved task under the watchdog timeout. */
      now = bpf_ktime_get_ns ();
      if (now - last_starved_ns > SL_STARVE_TRICKLE_NS &&
          sl_move_to_local (SL_DSQ_STARVED))
        {
          last_starved_ns = now;
          sl_count_shared ();
          return true;
        }
    }
  return false;
}

/* Called when the shared queue was empty. */
static __always_inline void
sl_bug_dispatch_idle (void)
{
  /* Deprioritised, not parked: a starved task may use an otherwise idle CPU. */
  if (bug_mode == SL_BUG_STARVE_CGROUP && sl_move_to_local (SL_DSQ_STARVED))
    sl_count_shared ();
}

/* Called at the end of every ops.dispatch. */
static __always_inline void
sl_bug_dispatch_last (void)
{
  if (bug_mode == SL_BUG_COUNTER_REGRESS && !regressed &&
      nr_dispatched >= SL_REGRESS_AT_DISPATCHES &&
      __sync_val_compare_and_swap (&regressed, 0, 1) == 0)
    {
      /* Step back by half once: a plain store, going backwards is the point. */
      nr_dispatched = nr_dispatched / 2;
    }
}

static __always_inline s32
sl_create_dsqs (void)
{
  s32 err;

  init_ns = bpf_ktime_get_ns ();
  err = scx_bpf_create_dsq (SL_DSQ_SHARED, -1);
  if (!err)
    err = scx_bpf_create_dsq (SL_DSQ_PARKED, -1);
  if (!err)
    err = scx_bpf_create_dsq (SL_DSQ_STARVED, -1);
  if (!err)
    err = scx_bpf_create_dsq (SL_DSQ_CPU0, -1);
  return err;
}

static __always_inline void
sl_record_exit (struct scx_exit_info *ei)
{
  exit_kind = BPF_CORE_READ (ei, kind);
  exit_code = BPF_CORE_READ (ei, exit_code);
  bpf_probe_read_kernel_str (exit_reason, sizeof exit_reason, BPF_CORE_READ (ei, reason));
  bpf_probe_read_kernel_str (exit_msg, sizeof exit_msg, BPF_CORE_READ (ei, msg));
  __sync_fetch_and_add (&exit_seen, 1);
}

#endif /* SL_SCHED_BPF_H */
