/* sl_vtime: weighted virtual-time fairness.
 *
 * Every task carries a virtual time that advances by its runtime scaled by
 * 100 / weight (weight 100 = nice 0), so heavier tasks age more slowly. The
 * shared queue is ordered by that vtime and each CPU takes the smallest. A
 * task that slept is brought up to at most one slice behind the current
 * global vtime, so sleeping cannot bank unbounded credit. Idle CPUs are still
 * filled directly from select_cpu.
 *
 * Accounting: per-CPU counters (PERCPU_ARRAY cpu_ctrs) and runtime per
 * cgroup (HASH cgrp_ctrs keyed by the cgroup2 id).
 */
#include "sl-sched.bpf.h"

u64 vtime_now;          /* the vtime of the most recently started task */
u64 nr_vtime_clamped;   /* wakeups whose vtime was raised to the floor */

struct {
  __uint (type, BPF_MAP_TYPE_HASH);
  __uint (max_entries, SL_CGRP_MAX);
  __type (key, u64);
  __type (value, struct sl_cgrp_ctr);
} cgrp_ctrs SEC(".maps");

static __always_inline bool
vtime_before (u64 a, u64 b)
{
  return (s64) (a - b) < 0;
}

static __always_inline void
cgrp_charge (struct task_struct *p, u64 ran)
{
  u64 cgid = sl_task_cgid (p);
  struct sl_cgrp_ctr *ctr, fresh = {};

  ctr = bpf_map_lookup_elem (&cgrp_ctrs, &cgid);
  if (!ctr)
    {
      /* NOEXIST: another CPU may have inserted it in the meantime. */
      if (bpf_map_update_elem (&cgrp_ctrs, &cgid, &fresh, BPF_NOEXIST) &&
          !bpf_map_lookup_elem (&cgrp_ctrs, &cgid))
        {
          __sync_fetch_and_add (&nr_cgrp_full, 1);
          return;
        }
      ctr = bpf_map_lookup_elem (&cgrp_ctrs, &cgid);
      if (!ctr)
        return;
    }
  __sync_fetch_and_add (&ctr->runtime_ns, ran);
  __sync_fetch_and_add (&ctr->nr_runs, 1);
}

s32 BPF_STRUCT_OPS (sl_vtime_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
  bool is_idle = false;
  s32 cpu;

  cpu = scx_bpf_select_cpu_dfl (p, prev_cpu, wake_flags, &is_idle);
  if (is_idle && !sl_bug_skip_fast_path (p))
    {
      __sync_fetch_and_add (&nr_idle_hits, 1);
      sl_insert (p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
      sl_count_local ();
    }
  return cpu;
}

void BPF_STRUCT_OPS (sl_vtime_enqueue, struct task_struct *p, u64 enq_flags)
{
  u64 vtime = p->scx.dsq_vtime;
  u64 floor = vtime_now - SCX_SLICE_DFL;

  __sync_fetch_and_add (&nr_enqueued, 1);
  if (sl_bug_enqueue (p, enq_flags))
    return;
  if (vtime_before (vtime, floor))
    {
      vtime = floor;
      __sync_fetch_and_add (&nr_vtime_clamped, 1);
    }
  sl_insert_vtime (p, SL_DSQ_SHARED, SCX_SLICE_DFL, vtime, enq_flags);
}

void BPF_STRUCT_OPS (sl_vtime_dispatch, s32 cpu, struct task_struct *prev)
{
  __sync_fetch_and_add (&nr_dispatch_calls, 1);
  if (!sl_bug_dispatch_first (cpu))
    {
      if (sl_move_to_local (SL_DSQ_SHARED))
        sl_count_shared ();
      else
        sl_bug_dispatch_idle ();
    }
  sl_bug_dispatch_last ();
}

void BPF_STRUCT_OPS (sl_vtime_running, struct task_struct *p)
{
  u64 vtime = p->scx.dsq_vtime;

  sl_run_start ();
  /* Racy max is fine: vtime_now only bounds how far behind a waker may be. */
  if (vtime_before (vtime_now, vtime))
    vtime_now = vtime;
}

void BPF_STRUCT_OPS (sl_vtime_stopping, struct task_struct *p, bool runnable)
{
  u64 ran = sl_run_stop ();
  u32 weight = p->scx.weight;

  if (!weight)
    weight = 100;
  p->scx.dsq_vtime += ran * 100 / weight;
  cgrp_charge (p, ran);
}

void BPF_STRUCT_OPS (sl_vtime_enable, struct task_struct *p)
{
  p->scx.dsq_vtime = vtime_now;
}

s32 BPF_STRUCT_OPS_SLEEPABLE (sl_vtime_init)
{
  return sl_create_dsqs ();
}

void BPF_STRUCT_OPS (sl_vtime_exit, struct scx_exit_info *ei)
{
  sl_record_exit (ei);
}

SL_OPS_SEC
struct sched_ext_ops sl_vtime_ops = {
  .select_cpu = (void *) sl_vtime_select_cpu,
  .enqueue = (void *) sl_vtime_enqueue,
  .dispatch = (void *) sl_vtime_dispatch,
  .running = (void *) sl_vtime_running,
  .stopping = (void *) sl_vtime_stopping,
  .enable = (void *) sl_vtime_enable,
  .init = (void *) sl_vtime_init,
  .exit = (void *) sl_vtime_exit,
  /* Without ENQ_LAST a CPU's only task silently gets a new slice and keeps
   * running; with it every slice end goes through ops.enqueue, so the
   * counters see it and the fault modes can move the task. */
  .flags = SCX_OPS_ENQ_LAST,
  .name = "sl_vtime",
};
