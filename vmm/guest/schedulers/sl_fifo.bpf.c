/* sl_fifo: a global FIFO with an idle-CPU fast path.
 *
 * A waking task whose chosen CPU is idle goes straight to that CPU's local
 * queue; every other task is appended to one shared FIFO that each CPU pulls
 * from when it needs work. Slices are the kernel default (20 ms).
 */
#include "sl-sched.bpf.h"

s32 BPF_STRUCT_OPS (sl_fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
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

void BPF_STRUCT_OPS (sl_fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
  __sync_fetch_and_add (&nr_enqueued, 1);
  if (sl_bug_enqueue (p, enq_flags))
    return;
  sl_insert (p, SL_DSQ_SHARED, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS (sl_fifo_dispatch, s32 cpu, struct task_struct *prev)
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

void BPF_STRUCT_OPS (sl_fifo_running, struct task_struct *p)
{
  sl_run_start ();
}

void BPF_STRUCT_OPS (sl_fifo_stopping, struct task_struct *p, bool runnable)
{
  sl_run_stop ();
}

s32 BPF_STRUCT_OPS_SLEEPABLE (sl_fifo_init)
{
  return sl_create_dsqs ();
}

void BPF_STRUCT_OPS (sl_fifo_exit, struct scx_exit_info *ei)
{
  sl_record_exit (ei);
}

SL_OPS_SEC
struct sched_ext_ops sl_fifo_ops = {
  .select_cpu = (void *) sl_fifo_select_cpu,
  .enqueue = (void *) sl_fifo_enqueue,
  .dispatch = (void *) sl_fifo_dispatch,
  .running = (void *) sl_fifo_running,
  .stopping = (void *) sl_fifo_stopping,
  .init = (void *) sl_fifo_init,
  .exit = (void *) sl_fifo_exit,
  /* Without ENQ_LAST a CPU's only task silently gets a new slice and keeps
   * running; with it every slice end goes through ops.enqueue, so the
   * counters see it and the fault modes can move the task. */
  .flags = SCX_OPS_ENQ_LAST,
  .name = "sl_fifo",
};
