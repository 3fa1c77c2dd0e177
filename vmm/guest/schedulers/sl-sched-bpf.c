/* sl-sched-bpf.c: see sl-sched-bpf.h. */
#include "sl-sched-bpf.h"
#include "sl-sched-shared.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SL_LIBBPF_STRUCT_OPS_LINK
#define SL_LIBBPF_STRUCT_OPS_LINK 0
#endif

#define MAX_BSS_VARS 64

typedef struct
{
  char name[64];
  size_t offset;
  size_t size;
} BssVar;

struct SlgSched
{
  struct bpf_object *obj;
  struct bpf_map *ops_map;
  struct bpf_link *link;
  char ops_name[128];
  void *bss;
  size_t bss_size;
  BssVar vars[MAX_BSS_VARS];
  unsigned n_vars;
  const char *counter_names[SLG_MAX_COUNTERS + 1];
  int cpu_ctrs_fd;
  int cgrp_ctrs_fd;
  int n_cpus;
  SlgCpuStat *cpus;
  struct sl_cpu_ctr *percpu_buf;
  SlgCgroupStat *cgroups;
};

static void
index_bss_vars (SlgSched *s)
{
  const struct btf *btf = bpf_object__btf (s->obj);
  const struct btf_type *sec;
  const struct btf_var_secinfo *vsi;
  int id;

  if (!btf)
    return;
  id = btf__find_by_name_kind (btf, ".bss", BTF_KIND_DATASEC);
  if (id < 0)
    return;
  sec = btf__type_by_id (btf, (unsigned) id);
  vsi = btf_var_secinfos (sec);
  for (unsigned i = 0; i < btf_vlen (sec) && s->n_vars < MAX_BSS_VARS; i++, vsi++)
    {
      const struct btf_type *var = btf__type_by_id (btf, vsi->type);
      const char *name = var ? btf__name_by_offset (btf, var->name_off) : NULL;
      BssVar *v;

      /* Bounds come from the object: check them against the map we mapped. */
      if (!name || vsi->offset + (size_t) vsi->size > s->bss_size)
        continue;
      v = &s->vars[s->n_vars++];
      snprintf (v->name, sizeof v->name, "%s", name);
      v->offset = vsi->offset;
      v->size = vsi->size;
    }
}

static const BssVar *
find_var (const SlgSched *s, const char *name)
{
  for (unsigned i = 0; i < s->n_vars; i++)
    if (strcmp (s->vars[i].name, name) == 0)
      return &s->vars[i];
  return NULL;
}

volatile uint64_t *
slg_sched_bss_u64 (SlgSched *s, const char *name)
{
  const BssVar *v = find_var (s, name);
  if (!v || v->size != sizeof (uint64_t) || !s->bss)
    return NULL;
  return (volatile uint64_t *) ((char *) s->bss + v->offset);
}

volatile char *
slg_sched_bss_str (SlgSched *s, const char *name, size_t *size)
{
  const BssVar *v = find_var (s, name);
  if (!v || !s->bss)
    return NULL;
  *size = v->size;
  return (volatile char *) s->bss + v->offset;
}

static int
print_libbpf (enum libbpf_print_level level, const char *fmt, va_list ap)
{
  /* Warnings only: libbpf's debug output would flood a slow serial console. */
  if (level == LIBBPF_DEBUG || (level == LIBBPF_INFO && !getenv ("SL_SCHED_VERBOSE")))
    return 0;
  return vfprintf (stderr, fmt, ap);
}

SlgSched *
slg_sched_load (const SlgEmbeddedObject *emb, uint32_t *timeout_ms, char *err, size_t err_len)
{
  LIBBPF_OPTS (bpf_object_open_opts, opts, .object_name = emb->name);
  struct bpf_program *prog;
  struct bpf_map *map;
  SlgSched *s;
  int rc;

  libbpf_set_print (print_libbpf);
  s = calloc (1, sizeof *s);
  if (!s)
    {
      snprintf (err, err_len, "out of memory");
      return NULL;
    }
  s->cpu_ctrs_fd = s->cgrp_ctrs_fd = -1;
  s->obj = bpf_object__open_mem (emb->data, emb->size, &opts);
  if (!s->obj)
    {
      snprintf (err, err_len, "cannot open the %s BPF object: %s", emb->name, strerror (errno));
      free (s);
      return NULL;
    }
  bpf_object__for_each_map (map, s->obj)
    if (bpf_map__type (map) == BPF_MAP_TYPE_STRUCT_OPS)
      s->ops_map = map;
  if (!s->ops_map)
    {
      snprintf (err, err_len, "the %s object has no struct_ops map", emb->name);
      goto fail;
    }

#if !SL_LIBBPF_STRUCT_OPS_LINK
  /* libbpf 1.1 has no "struct_ops.s/" section: scx_bpf_create_dsq() needs a
   * sleepable ops.init, so set the flag by hand. */
  bpf_object__for_each_program (prog, s->obj)
    {
      const char *name = bpf_program__name (prog);
      size_t n = strlen (name);
      if (n > 5 && strcmp (name + n - 5, "_init") == 0)
        bpf_program__set_flags (prog, bpf_program__flags (prog) | BPF_F_SLEEPABLE);
    }
#else
  (void) prog;
#endif

  {
    /* The struct_ops value as libbpf will send it: read the name, and set the
     * watchdog timeout (libbpf >= 1.4 exposes it here). */
    size_t size = 0;
    /* const in libbpf 1.1, writable in 1.4 (where struct_ops data is returned). */
    char *value = (char *) bpf_map__initial_value (s->ops_map, &size);
    const struct btf *btf = bpf_object__btf (s->obj);
    int tid = btf ? btf__find_by_name_kind (btf, "sched_ext_ops", BTF_KIND_STRUCT) : -1;

    bool timeout_set = false;

    snprintf (s->ops_name, sizeof s->ops_name, "%s", emb->name);
    if (value && tid > 0)
      {
        const struct btf_type *t = btf__type_by_id (btf, (unsigned) tid);
        const struct btf_member *m = btf_members (t);
        for (unsigned i = 0; i < btf_vlen (t); i++, m++)
          {
            const char *mname = btf__name_by_offset (btf, m->name_off);
            size_t off = btf_member_bit_offset (t, i) / 8;
            if (!mname)
              continue;
            if (strcmp (mname, "name") == 0 && off + 128 <= size)
              snprintf (s->ops_name, sizeof s->ops_name, "%.127s", value + off);
            else if (strcmp (mname, "timeout_ms") == 0 && *timeout_ms > 0 && off + 4 <= size)
              {
                memcpy (value + off, timeout_ms, sizeof *timeout_ms);
                timeout_set = true;
              }
          }
      }
    if (*timeout_ms > 0 && !timeout_set)
      {
        fprintf (stderr, "sl-sched: libbpf %s cannot change the ops' timeout; the kernel default applies\n",
                 libbpf_version_string ());
        *timeout_ms = 0;
      }
  }

  rc = bpf_object__load (s->obj);
  if (rc)
    {
      snprintf (err, err_len, "cannot load the %s BPF object: %s (is sched_ext enabled in this kernel?)",
                emb->name, strerror (-rc));
      goto fail;
    }

  /* Map .bss ourselves: outside the skeleton path libbpf 1.1 leaves
   * bpf_map__initial_value() pointing at a private copy. */
  map = bpf_object__find_map_by_name (s->obj, ".bss");
  if (map)
    {
      long page = sysconf (_SC_PAGESIZE);
      size_t size = bpf_map__value_size (map);
      size = (size + (size_t) page - 1) / (size_t) page * (size_t) page;
      s->bss = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd (map), 0);
      if (s->bss == MAP_FAILED)
        {
          s->bss = NULL;
          snprintf (err, err_len, "cannot map the .bss of %s: %s", emb->name, strerror (errno));
          goto fail;
        }
      s->bss_size = bpf_map__value_size (map);
      index_bss_vars (s);
    }

  map = bpf_object__find_map_by_name (s->obj, "cpu_ctrs");
  if (map && bpf_map__value_size (map) == sizeof (struct sl_cpu_ctr))
    s->cpu_ctrs_fd = bpf_map__fd (map);
  map = bpf_object__find_map_by_name (s->obj, "cgrp_ctrs");
  if (map && bpf_map__value_size (map) == sizeof (struct sl_cgrp_ctr) &&
      bpf_map__key_size (map) == sizeof (uint64_t))
    s->cgrp_ctrs_fd = bpf_map__fd (map);
  s->n_cpus = libbpf_num_possible_cpus ();
  if (s->n_cpus <= 0 || s->n_cpus > SLG_MAX_CPUS)
    s->n_cpus = 0;

  {
    unsigned n = 0;
    for (const SlgCounterInfo *c = slg_stats_counter_table (); c->name && n < SLG_MAX_COUNTERS; c++)
      if (slg_sched_bss_u64 (s, c->name))
        s->counter_names[n++] = c->name;
    s->counter_names[n] = NULL;
  }
  s->cpus = calloc ((size_t) s->n_cpus + 1, sizeof *s->cpus);
  s->percpu_buf = calloc ((size_t) s->n_cpus + 1, sizeof *s->percpu_buf);
  s->cgroups = calloc (SLG_MAX_CGROUPS, sizeof *s->cgroups);
  if (!s->cpus || !s->percpu_buf || !s->cgroups)
    {
      snprintf (err, err_len, "out of memory");
      goto fail;
    }
  return s;

fail:
  slg_sched_free (s);
  return NULL;
}

bool
slg_sched_attach (SlgSched *s, char *err, size_t err_len)
{
  s->link = bpf_map__attach_struct_ops (s->ops_map);
  if (!s->link)
    {
      snprintf (err, err_len, "cannot attach %s: %s (another sched_ext scheduler loaded?)",
                s->ops_name, strerror (errno));
      return false;
    }
  return true;
}

void
slg_sched_detach (SlgSched *s)
{
  if (s->link)
    bpf_link__destroy (s->link);
  s->link = NULL;
}

void
slg_sched_free (SlgSched *s)
{
  if (!s)
    return;
  if (s->link)
    bpf_link__destroy (s->link);
  if (s->bss)
    {
      long page = sysconf (_SC_PAGESIZE);
      munmap (s->bss, (s->bss_size + (size_t) page - 1) / (size_t) page * (size_t) page);
    }
  bpf_object__close (s->obj);
  free (s->cpus);
  free (s->percpu_buf);
  free (s->cgroups);
  free (s);
}

const char *
slg_sched_ops_name (const SlgSched *s)
{
  return s->ops_name;
}

const char *const *
slg_sched_counter_names (SlgSched *s)
{
  return s->counter_names;
}

bool
slg_sched_has_cgroups (SlgSched *s)
{
  return s->cgrp_ctrs_fd >= 0;
}

void
slg_sched_snapshot (SlgSched *s, SlgSchedSnapshot *snap)
{
  uint32_t zero = 0;

  snap->n_counters = 0;
  for (unsigned i = 0; s->counter_names[i] && i < SLG_MAX_COUNTERS; i++)
    {
      volatile uint64_t *p = slg_sched_bss_u64 (s, s->counter_names[i]);
      snap->counters[snap->n_counters].name = s->counter_names[i];
      snap->counters[snap->n_counters++].value = p ? *p : 0;
    }

  snap->cpus = s->cpus;
  snap->n_cpus = 0;
  if (s->cpu_ctrs_fd >= 0 && s->n_cpus > 0 &&
      bpf_map_lookup_elem (s->cpu_ctrs_fd, &zero, s->percpu_buf) == 0)
    {
      for (int c = 0; c < s->n_cpus; c++)
        {
          const struct sl_cpu_ctr *v = &s->percpu_buf[c];
          s->cpus[c] = (SlgCpuStat) {
            .nr_dispatched = v->nr_dispatched,
            .nr_local = v->nr_local,
            .nr_shared = v->nr_shared,
            .nr_running = v->nr_running,
            .runtime_ns = v->runtime_ns,
          };
        }
      snap->n_cpus = (unsigned) s->n_cpus;
    }

  snap->has_cgroups = s->cgrp_ctrs_fd >= 0;
  snap->cgroups = s->cgroups;
  snap->n_cgroups = 0;
  if (s->cgrp_ctrs_fd >= 0)
    {
      uint64_t key, next;
      uint64_t *prev = NULL;

      /* Entries are never deleted, so the walk visits each once; the count
       * bound covers a map that changes under us anyway. */
      while (snap->n_cgroups < SLG_MAX_CGROUPS &&
             bpf_map_get_next_key (s->cgrp_ctrs_fd, prev, &next) == 0)
        {
          struct sl_cgrp_ctr v;
          key = next;
          prev = &key;
          if (bpf_map_lookup_elem (s->cgrp_ctrs_fd, &key, &v) != 0)
            continue;
          s->cgroups[snap->n_cgroups] = (SlgCgroupStat) {
            .cgid = key,
            .runtime_ns = v.runtime_ns,
            .nr_runs = v.nr_runs,
          };
          snap->n_cgroups++;
        }
    }
}
