/* sl-sched-vmlinux.h: the few kernel types the bundled schedulers touch.
 *
 * Written by hand instead of a generated vmlinux.h so the BPF objects build
 * offline, without a kernel. Every struct is marked preserve_access_index:
 * clang records CO-RE relocations for each field access and libbpf fixes the
 * offsets against the running kernel's BTF at load time, so only the fields
 * used need to be declared and their order here does not matter.
 *
 * struct sched_ext_ops is different: libbpf matches the members of a
 * struct_ops map to the kernel type BY NAME when it builds the map value,
 * so this partial declaration is enough there as well.
 *
 * Constants are the kernel's UAPI-stable or sched_ext-stable values (checked
 * against the 7.2 and 7.3 Debian cloud kernels' BTF).
 */
#ifndef SL_SCHED_VMLINUX_H
#define SL_SCHED_VMLINUX_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef _Bool bool;
typedef int pid_t;
enum { false = 0, true = 1 };

/* UAPI BPF enums used by bpf_helpers.h users (linux/bpf.h values). */
enum bpf_map_type {
  BPF_MAP_TYPE_HASH = 1,
  BPF_MAP_TYPE_ARRAY = 2,
  BPF_MAP_TYPE_PERCPU_ARRAY = 6,
};

enum {
  BPF_ANY = 0,
  BPF_NOEXIST = 1,
  BPF_EXIST = 2,
};

#define SL_CORE __attribute__((preserve_access_index))

struct kernfs_node {
  u64 id;
} SL_CORE;

struct cgroup {
  struct kernfs_node *kn;
  int level;
} SL_CORE;

struct css_set {
  struct cgroup *dfl_cgrp;
} SL_CORE;

struct sched_ext_entity {
  u32 weight;
  u64 slice;
  u64 dsq_vtime;
} SL_CORE;

struct task_struct {
  unsigned int flags;
  pid_t pid;
  pid_t tgid;
  char comm[16];
  int nr_cpus_allowed;
  unsigned short migration_disabled;
  struct css_set *cgroups;
  struct sched_ext_entity scx;
} SL_CORE;

#define PF_KTHREAD 0x00200000

struct scx_init_task_args;
struct scx_exit_task_args;

enum scx_exit_kind {
  SCX_EXIT_NONE = 0,
  SCX_EXIT_DONE = 1,
  SCX_EXIT_UNREG = 64,
  SCX_EXIT_UNREG_BPF = 65,
  SCX_EXIT_UNREG_KERN = 66,
  SCX_EXIT_SYSRQ = 67,
  SCX_EXIT_ERROR = 1024,
  SCX_EXIT_ERROR_BPF = 1025,
  SCX_EXIT_ERROR_STALL = 1026,
};

struct scx_exit_info {
  enum scx_exit_kind kind;
  s64 exit_code;
  const char *reason;
  char *msg;
} SL_CORE;

/* Built-in DSQ ids and flags. */
#define SCX_DSQ_FLAG_BUILTIN (1ULL << 63)
#define SCX_DSQ_FLAG_LOCAL_ON (1ULL << 62)
#define SCX_DSQ_GLOBAL (SCX_DSQ_FLAG_BUILTIN | 1)
#define SCX_DSQ_LOCAL (SCX_DSQ_FLAG_BUILTIN | 2)
#define SCX_DSQ_LOCAL_ON (SCX_DSQ_FLAG_BUILTIN | SCX_DSQ_FLAG_LOCAL_ON)
#define SCX_SLICE_DFL 20000000ULL /* 20 ms */
#define SCX_ENQ_WAKEUP (1ULL << 0)
#define SCX_ENQ_HEAD (1ULL << 4)
#define SCX_KICK_IDLE 1ULL
#define SCX_OPS_ENQ_LAST 2ULL     /* ops.enqueue also sees a CPU's last task at slice end */

/* Only the members the schedulers set. libbpf maps them by name. */
struct sched_ext_ops {
  s32 (*select_cpu)(struct task_struct *p, s32 prev_cpu, u64 wake_flags);
  void (*enqueue)(struct task_struct *p, u64 enq_flags);
  void (*dispatch)(s32 cpu, struct task_struct *prev);
  void (*running)(struct task_struct *p);
  void (*stopping)(struct task_struct *p, bool runnable);
  void (*enable)(struct task_struct *p);
  s32 (*init)(void);
  void (*exit)(struct scx_exit_info *ei);
  u64 flags;
  u32 timeout_ms;
  char name[128];
};

#endif /* SL_SCHED_VMLINUX_H */
