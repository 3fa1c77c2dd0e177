/* sl-probe-loader.c: the guest side of the introspection integration test
 * (static, started by the agent as the scheduler). Loads sl_probe.bpf.o,
 * attaches the sched_switch probe and the do-nothing sched_ext scheduler, lets
 * the scenario's workload switch tasks for a while, then detaches the probe so
 * no value changes any more, and prints what the bpf syscall reads from every
 * map on one console line: "SLPROBE {json}". It then stays alive (the maps
 * live as long as it does) until the VM powers off. */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sl-sched-objects.h"

static int
var_offset (const struct btf *btf, const char *sec, const char *var)
{
  int id = btf__find_by_name_kind (btf, sec, BTF_KIND_DATASEC);
  if (id < 0)
    return -1;
  const struct btf_type *t = btf__type_by_id (btf, id);
  const struct btf_var_secinfo *vs = btf_var_secinfos (t);
  for (int i = 0; i < btf_vlen (t); i++, vs++)
    if (strcmp (btf__name_by_offset (btf, btf__type_by_id (btf, vs->type)->name_off), var) == 0)
      return (int) vs->offset;
  return -1;
}

static int
section_value (struct bpf_object *obj, const char *map_name, unsigned char *buf)
{
  struct bpf_map *m = bpf_object__find_map_by_name (obj, map_name);
  unsigned int zero = 0;
  return m ? bpf_map_lookup_elem (bpf_map__fd (m), &zero, buf) : -1;
}

int
main (int argc, char **argv)
{
  unsigned hold_ms = argc > 1 ? (unsigned) atoi (argv[1]) : 2000;
  const SlgEmbeddedObject *o = &slg_embedded_objects[0];
  LIBBPF_OPTS (bpf_object_open_opts, opts, .object_name = "sl_probe");
  struct bpf_object *obj = bpf_object__open_mem (o->data, o->size, &opts);
  if (obj == NULL || bpf_object__load (obj) != 0)
    {
      fprintf (stderr, "SLPROBE-ERROR load\n");
      return 1;
    }
  struct bpf_link *tp = bpf_program__attach (bpf_object__find_program_by_name (obj, "on_switch"));
  struct bpf_link *ops = bpf_map__attach_struct_ops (bpf_object__find_map_by_name (obj, "sl_probe_ops"));
  if (tp == NULL || ops == NULL)
    {
      fprintf (stderr, "SLPROBE-ERROR attach\n");
      return 1;
    }
  printf ("SLPROBE-ATTACHED\n");
  fflush (stdout);
  usleep (hold_ms * 1000);
  bpf_link__destroy (tp);
  usleep (200 * 1000);   /* let programs already running finish */

  const struct btf *btf = bpf_object__btf (obj);
  unsigned char bss[64] = { 0 }, data[64] = { 0 };
  if (section_value (obj, "sl_probe.bss", bss) != 0 || section_value (obj, "sl_probe.data", data) != 0)
    {
      fprintf (stderr, "SLPROBE-ERROR sections\n");
      return 1;
    }
  unsigned long long nr_switches, nr_enabled;
  int last_cpu;
  memcpy (&nr_switches, bss + var_offset (btf, ".bss", "nr_switches"), 8);
  memcpy (&nr_enabled, bss + var_offset (btf, ".bss", "nr_enabled"), 8);
  memcpy (&last_cpu, data + var_offset (btf, ".data", "last_cpu"), 4);
  char tag[9] = { 0 };
  memcpy (tag, data + var_offset (btf, ".data", "tag"), 8);
  printf ("SLPROBE {\"nr_switches\":%llu,\"nr_enabled\":%llu,\"last_cpu\":%d,\"tag\":\"%s\",\"arr\":[",
          nr_switches, nr_enabled, last_cpu, tag);
  int afd = bpf_map__fd (bpf_object__find_map_by_name (obj, "probe_arr"));
  for (unsigned k = 0; k < 4; k++)
    {
      struct { unsigned long long count; unsigned cpu; int delta; } s = { 0 };
      bpf_map_lookup_elem (afd, &k, &s);
      printf ("%s[%llu,%u,%d]", k ? "," : "", s.count, s.cpu, s.delta);
    }
  printf ("],\"pcpu\":[");
  int ncpu = libbpf_num_possible_cpus ();
  unsigned long long *pv = calloc ((size_t) ncpu, 8);
  unsigned zero = 0;
  bpf_map_lookup_elem (bpf_map__fd (bpf_object__find_map_by_name (obj, "probe_pcpu")), &zero, pv);
  for (int c = 0; c < ncpu; c++)
    printf ("%s%llu", c ? "," : "", pv[c]);
  printf ("],\"hash\":{");
  int hfd = bpf_map__fd (bpf_object__find_map_by_name (obj, "probe_hash"));
  unsigned key, next, *prev = NULL;
  int first = 1;
  while (bpf_map_get_next_key (hfd, prev, &next) == 0)
    {
      unsigned long long v = 0;
      bpf_map_lookup_elem (hfd, &next, &v);
      printf ("%s\"%u\":%llu", first ? "" : ",", next, v);
      first = 0;
      key = next;
      prev = &key;
    }
  printf ("}}\n");
  fflush (stdout);
  for (;;)
    pause ();
}
