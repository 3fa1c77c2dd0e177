/* workers.c: the workload processes. Each worker is a forked process in its own
 * process group that counts iterations in a slot of a shared mapping, so the
 * agent can total them without talking to the workers. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static AgWorkerSlot *slots;

static const char *const work_names[AG_WORK_COUNT] = {
  "CpuSpin", "YieldHeavy", "Mixed", "IoSync", "Bursty",
  "PipeIo", "FutexPingPong", "ForkExit", "NiceSweep", "AffinityChurn",
};

int
ag_work_type_parse (const char *name)
{
  for (int i = 0; i < AG_WORK_COUNT; i++)
    if (strcasecmp (name, work_names[i]) == 0)
      return i;
  return -1;
}

const char *
ag_work_type_name (AgWorkType t)
{
  return (unsigned) t < AG_WORK_COUNT ? work_names[t] : "?";
}

int
ag_workers_init (void)
{
  slots = mmap (NULL, sizeof (AgWorkerSlot) * AG_MAX_WORKERS, PROT_READ | PROT_WRITE,
                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  return slots == MAP_FAILED ? -1 : 0;
}

AgWorkerSlot *
ag_worker_slot (int slot)
{
  return slot >= 0 && slot < AG_MAX_WORKERS ? &slots[slot] : NULL;
}

static inline void
count (AgWorkerSlot *s)
{
  __atomic_fetch_add (&s->iterations, 1, __ATOMIC_RELAXED);
}

static void
spin (unsigned n)
{
  for (volatile unsigned i = 0; i < n; i++)
    ;
}

static uint64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static void
sleep_us (long us)
{
  struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
  nanosleep (&ts, NULL);
}

static long
futex (volatile uint32_t *addr, int op, uint32_t val)
{
  return syscall (SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void __attribute__ ((noreturn))
run_pipe_io (AgWorkerSlot *s)
{
  int a[2], b[2];
  if (pipe (a) != 0 || pipe (b) != 0)
    _exit (1);
  pid_t partner = fork ();
  if (partner == 0)
    {
      char c;
      for (;;)
        {
          if (read (a[0], &c, 1) != 1 || write (b[1], &c, 1) != 1)
            _exit (0);
        }
    }
  char c = 'x';
  for (;;)
    {
      if (write (a[1], &c, 1) != 1 || read (b[0], &c, 1) != 1)
        _exit (1);
      count (s);
    }
}

static void __attribute__ ((noreturn))
run_futex (AgWorkerSlot *s)
{
  /* The word says whose turn it is: 0 = this process, 1 = the partner. */
  volatile uint32_t *w = &s->futex_word;
  *w = 0;
  uint32_t me = 0;
  if (fork () == 0)
    me = 1;
  for (;;)
    {
      while (__atomic_load_n (w, __ATOMIC_ACQUIRE) != me)
        futex (w, FUTEX_WAIT, 1 - me);
      if (me == 0)
        count (s);
      __atomic_store_n (w, 1 - me, __ATOMIC_RELEASE);
      futex (w, FUTEX_WAKE, 1);
    }
}

static void __attribute__ ((noreturn))
run_worker (AgWorkerSlot *s, AgWorkType type)
{
  switch (type)
    {
    case AG_WORK_CPU_SPIN:
      for (;;)
        {
          spin (20000);
          count (s);
        }
    case AG_WORK_YIELD_HEAVY:
      for (;;)
        {
          spin (500);
          sched_yield ();
          count (s);
        }
    case AG_WORK_MIXED:
      for (;;)
        {
          spin (50000);
          sleep_us (200);
          count (s);
        }
    case AG_WORK_IO_SYNC:
      {
        char path[64], block[4096];
        memset (block, 0xa5, sizeof block);
        snprintf (path, sizeof path, "/tmp/sl-io-%d", (int) getpid ());
        int fd = open (path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
        unlink (path);
        for (;;)
          {
            if (pwrite (fd, block, sizeof block, 0) < 0 || fsync (fd) < 0)
              sleep_us (1000);
            count (s);
          }
      }
    case AG_WORK_BURSTY:
      for (;;)
        {
          uint64_t end = now_ns () + 10000000ull;   /* 10 ms busy, then 10 ms asleep */
          while (now_ns () < end)
            {
              spin (20000);
              count (s);
            }
          sleep_us (10000);
        }
    case AG_WORK_PIPE_IO:
      run_pipe_io (s);
    case AG_WORK_FUTEX_PING_PONG:
      run_futex (s);
    case AG_WORK_FORK_EXIT:
      for (;;)
        {
          pid_t p = fork ();
          if (p == 0)
            _exit (0);
          if (p > 0)
            waitpid (p, NULL, 0);
          count (s);
        }
    case AG_WORK_NICE_SWEEP:
      for (int nice_value = 0;; nice_value = (nice_value + 1) % 20)
        {
          setpriority (PRIO_PROCESS, 0, nice_value);
          spin (20000);
          count (s);
        }
    case AG_WORK_AFFINITY_CHURN:
      {
        cpu_set_t allowed;
        sched_getaffinity (0, sizeof allowed, &allowed);
        for (int cpu = 0;; cpu = (cpu + 1) % CPU_SETSIZE)
          {
            if (!CPU_ISSET (cpu, &allowed))
              continue;
            cpu_set_t one;
            CPU_ZERO (&one);
            CPU_SET (cpu, &one);
            sched_setaffinity (0, sizeof one, &one);
            spin (20000);
            count (s);
          }
      }
    case AG_WORK_COUNT:
      break;
    }
  _exit (2);
}

int
ag_worker_spawn (int cg, const char *cgroup_dir, AgWorkType type, int nice_value)
{
  int slot = -1;
  for (int i = 0; i < AG_MAX_WORKERS; i++)
    if (slots[i].pid == 0)
      {
        slot = i;
        break;
      }
  if (slot < 0)
    return -1;
  AgWorkerSlot *s = &slots[slot];
  memset ((void *) s, 0, sizeof *s);
  s->cgroup = cg;
  s->type = (int32_t) type;
  pid_t pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      setpgid (0, 0);
      signal (SIGCHLD, SIG_DFL);
      /* Join the cgroup before doing any work, so all of it is accounted there. */
      char path[256];
      snprintf (path, sizeof path, "%s/cgroup.procs", cgroup_dir);
      int fd = open (path, O_WRONLY | O_CLOEXEC);
      if (fd >= 0)
        {
          if (write (fd, "0", 1) < 0)
            dprintf (2, "[worker] cannot join %s: %s\n", cgroup_dir, strerror (errno));
          close (fd);
        }
      if (nice_value != 0)
        setpriority (PRIO_PROCESS, 0, nice_value);
      /* A readable comm in the kernel's messages ("sl-CpuSpin[123] failed to run"). */
      char comm[16];
      snprintf (comm, sizeof comm, "sl-%s", ag_work_type_name (type));
      prctl (PR_SET_NAME, comm, 0, 0, 0);
      run_worker (s, type);
    }
  setpgid (pid, pid);
  s->pid = pid;
  s->alive = 1;
  return slot;
}

void
ag_worker_stop (int slot)
{
  AgWorkerSlot *s = ag_worker_slot (slot);
  if (s == NULL || !s->alive)
    return;
  kill (-s->pid, SIGKILL);
  kill (s->pid, SIGKILL);
  waitpid (s->pid, NULL, 0);
  s->alive = 0;
}

void
ag_workers_reap (void)
{
  /* Reaps workers that died on their own and orphans reparented to PID 1. */
  int status;
  pid_t p;
  while ((p = waitpid (-1, &status, WNOHANG)) > 0)
    if (!ag_sched_child_exited (p, status))
      for (int i = 0; i < AG_MAX_WORKERS; i++)
      if (slots[i].pid == p && slots[i].alive)
        {
          slots[i].alive = 0;
          ag_log ("worker %d (%s) exited unexpectedly (status 0x%x)", (int) p,
                  ag_work_type_name ((AgWorkType) slots[i].type), status);
        }
}

uint64_t
ag_workers_total_iterations (void)
{
  uint64_t sum = 0;
  for (int i = 0; i < AG_MAX_WORKERS; i++)
    if (slots[i].pid != 0)
      sum += __atomic_load_n (&slots[i].iterations, __ATOMIC_RELAXED);
  return sum;
}

uint64_t
ag_workers_cgroup_iterations (int cg, uint64_t *spawned)
{
  uint64_t sum = 0, n = 0;
  for (int i = 0; i < AG_MAX_WORKERS; i++)
    if (slots[i].pid != 0 && slots[i].cgroup == cg)
      {
        sum += __atomic_load_n (&slots[i].iterations, __ATOMIC_RELAXED);
        n++;
      }
  if (spawned)
    *spawned = n;
  return sum;
}
