/* agent.h: the guest agent (PID 1 inside the VM). Plain C and libc only: it is
 * linked statically and must run on any kernel the user brings.
 *
 * Channel: /dev/ttyS1 in raw mode, one message per line. Guest → host messages
 * are JSON objects with "t" (type) and "seq"; host → guest lines are plain words
 * ("ack <seq>", "stats <id> <request>") so the agent needs no JSON parser. */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define AG_MAX_CGROUPS 32
#define AG_MAX_WORKERS 256
#define AG_MAX_STEPS   64
#define AG_MAX_OPS     512
#define AG_NAME_MAX    48
#define AG_CPUS_MAX    256

/* ---- channel (agent.c) ---- */
typedef struct AgJson AgJson;   /* a message being built */
AgJson  *ag_msg_begin (const char *type);
void     ag_msg_str (AgJson *m, const char *key, const char *value);
void     ag_msg_u64 (AgJson *m, const char *key, uint64_t value);
void     ag_msg_i64 (AgJson *m, const char *key, int64_t value);
void     ag_msg_bool (AgJson *m, const char *key, bool value);
void     ag_msg_send (AgJson *m);          /* sends and frees */
void     ag_log (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));   /* console + host */
void     ag_console (const char *fmt, ...) __attribute__ ((format (printf, 1, 2))); /* console only */
uint64_t ag_now_ms (void);                  /* CLOCK_MONOTONIC */
int      ag_channel_fd (void);

/* ---- workers (workers.c) ---- */
typedef enum {
  AG_WORK_CPU_SPIN,
  AG_WORK_YIELD_HEAVY,
  AG_WORK_MIXED,
  AG_WORK_IO_SYNC,
  AG_WORK_BURSTY,
  AG_WORK_PIPE_IO,
  AG_WORK_FUTEX_PING_PONG,
  AG_WORK_FORK_EXIT,
  AG_WORK_NICE_SWEEP,
  AG_WORK_AFFINITY_CHURN,
  AG_WORK_COUNT
} AgWorkType;

int         ag_work_type_parse (const char *name);   /* -1 when unknown */
const char *ag_work_type_name (AgWorkType t);

typedef struct {
  volatile uint64_t iterations;   /* written by the worker */
  volatile uint32_t futex_word;   /* FutexPingPong partners */
  int32_t  pid;                   /* 0 = free slot */
  int32_t  cgroup;                /* index into the cgroup table */
  int32_t  type;
  int32_t  alive;
} AgWorkerSlot;

int      ag_workers_init (void);
/* Forks one worker in cgroup `cg` (path of its cgroup directory). Returns slot or -1. */
int      ag_worker_spawn (int cg, const char *cgroup_dir, AgWorkType type, int nice_value);
void     ag_worker_stop (int slot);
void     ag_workers_reap (void);
uint64_t ag_workers_total_iterations (void);
uint64_t ag_workers_cgroup_iterations (int cg, uint64_t *spawned);
AgWorkerSlot *ag_worker_slot (int slot);

/* ---- scenario (scenario.c) ---- */
typedef enum {
  AG_OP_ADD_CGROUP,
  AG_OP_REMOVE_CGROUP,
  AG_OP_SET_CPUSET,
  AG_OP_CLEAR_CPUSET,
  AG_OP_SPAWN,
  AG_OP_STOP,
  AG_OP_AFFINITY,
  AG_OP_HOLD,
  AG_OP_STEP,
} AgOpKind;

typedef struct {
  AgOpKind kind;
  char     cgroup[AG_NAME_MAX];
  char     cpus[128];      /* cpu list; "" = none/all */
  int      work;           /* AgWorkType, -1 = all (stop) */
  int      count;
  int      nice_value;
  uint64_t ms;
} AgOp;

typedef struct {
  AgOp ops[AG_MAX_OPS];
  int  n_ops;
  int  n_steps;
} AgScenario;

int  ag_scenario_load (const char *path, AgScenario *out, char *err, size_t errlen);
/* Runs the scenario; `poll_fn` is called while holding (channel, scheduler watch). */
int  ag_scenario_run (const AgScenario *sc, void (*poll_fn) (int timeout_ms));

/* ---- scheduler (sched.c) ---- */
int  ag_sched_start (const char *binary, const char *args_file);
void ag_sched_poll (void);                    /* watches sched_ext state and the scheduler's exit */
bool ag_sched_wait_enabled (int timeout_ms, void (*poll_fn) (int));
void ag_sched_stop (void);
/* Called by the reaper: TRUE when `pid` was the scheduler. */
bool ag_sched_child_exited (pid_t pid, int status);
void ag_stats_relay (const char *id, const char *request);
void ag_kmsg_poll (void);
int  ag_kmsg_open (void);
