/* sl_probe.bpf.c: the BPF side of the introspection integration test. A
 * raw tracepoint on sched_switch counts into .bss/.data globals, an ARRAY, a
 * PERCPU_ARRAY and a HASH; a do-nothing sched_ext scheduler (global FIFO: only
 * a name and an `enable` callback that counts into .bss) makes the guest agent
 * see sched_ext enabled and gives the host an active scheduler to identify. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* libbpf matches struct_ops members to the kernel's struct by name: only the
 * members used here need to exist locally. */
struct sched_ext_ops {
  void (*enable) (void *p);
  char name[128];
};

struct slot {
  __u64 count;
  __u32 cpu;
  __s32 delta;
};

struct {
  __uint (type, BPF_MAP_TYPE_ARRAY);
  __uint (max_entries, 4);
  __type (key, __u32);
  __type (value, struct slot);
} probe_arr SEC (".maps");

struct {
  __uint (type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint (max_entries, 1);
  __type (key, __u32);
  __type (value, __u64);
} probe_pcpu SEC (".maps");

struct {
  __uint (type, BPF_MAP_TYPE_HASH);
  __uint (max_entries, 64);
  __type (key, __u32);
  __type (value, __u64);
} probe_hash SEC (".maps");

__u64 nr_switches;
__u64 nr_enabled;
__s32 last_cpu = -1;
char tag[8] = "probe";

SEC ("raw_tracepoint/sched_switch")
int
on_switch (void *ctx)
{
  __u32 cpu = bpf_get_smp_processor_id ();
  __u32 zero = 0, idx = cpu & 3;
  __sync_fetch_and_add (&nr_switches, 1);
  last_cpu = (__s32) cpu;
  struct slot *s = bpf_map_lookup_elem (&probe_arr, &idx);
  if (s)
    {
      __sync_fetch_and_add (&s->count, 1);
      s->cpu = cpu;
      s->delta = -(__s32) cpu - 1;
    }
  __u64 *p = bpf_map_lookup_elem (&probe_pcpu, &zero);
  if (p)
    (*p)++;
  __u32 key = (__u32) (bpf_get_current_pid_tgid () >> 32) & 63;
  __u64 one = 1, *h = bpf_map_lookup_elem (&probe_hash, &key);
  if (h)
    __sync_fetch_and_add (h, 1);
  else
    bpf_map_update_elem (&probe_hash, &key, &one, BPF_NOEXIST);
  return 0;
}

SEC ("struct_ops/sl_probe_enable")
int
on_enable (unsigned long long *ctx)
{
  __sync_fetch_and_add (&nr_enabled, 1);
  return 0;
}

SEC (".struct_ops")
struct sched_ext_ops sl_probe_ops = {
  .enable = (void *) on_enable,
  .name = "sl_probe",
};
