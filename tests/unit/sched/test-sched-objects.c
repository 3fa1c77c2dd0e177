/* Checks the embedded BPF objects offline (libbpf can open an object without
 * a kernel; only loading needs one): each scheduler has its struct_ops map
 * and programs, the maps the loader reads have the layouts it assumes, and
 * the .bss variables the loader writes and reports exist with the right
 * sizes. Catches drift between the BPF side and the loader at build time. */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <glib.h>
#include <string.h>

#include "sl-sched-objects.h"
#include "sl-sched-shared.h"
#include "sl-sched-stats.h"

static const SlgEmbeddedObject *
find_object (const char *name)
{
  for (const SlgEmbeddedObject *o = slg_embedded_objects; o->name; o++)
    if (g_str_equal (o->name, name))
      return o;
  return NULL;
}

/* Size of the .bss variable NAME, or -1 when absent. */
static gssize
bss_var_size (struct bpf_object *obj, const char *name)
{
  const struct btf *btf = bpf_object__btf (obj);
  const struct btf_type *sec;
  const struct btf_var_secinfo *v;
  int id;

  g_assert_nonnull (btf);
  id = btf__find_by_name_kind (btf, ".bss", BTF_KIND_DATASEC);
  g_assert_cmpint (id, >, 0);
  sec = btf__type_by_id (btf, (unsigned) id);
  v = btf_var_secinfos (sec);
  for (unsigned i = 0; i < btf_vlen (sec); i++, v++)
    {
      const struct btf_type *var = btf__type_by_id (btf, v->type);
      if (g_str_equal (btf__name_by_offset (btf, var->name_off), name))
        return (gssize) v->size;
    }
  return -1;
}

static struct bpf_object *
open_object (const char *name)
{
  const SlgEmbeddedObject *emb = find_object (name);
  LIBBPF_OPTS (bpf_object_open_opts, opts, .object_name = name);
  struct bpf_object *obj;

  g_assert_nonnull (emb);
  g_assert_cmpuint (emb->size, >, 1000);
  obj = bpf_object__open_mem (emb->data, emb->size, &opts);
  g_assert_nonnull (obj);
  return obj;
}

static void
check_scheduler (gconstpointer data)
{
  const char *name = data;
  gboolean is_vtime = g_str_equal (name, "sl_vtime");
  struct bpf_object *obj = open_object (name);
  struct bpf_map *map, *ops = NULL;
  struct bpf_program *prog;
  g_autofree char *ops_map_name = g_strdup_printf ("%s_ops", name);
  guint n_progs = 0;
  gboolean has_init = FALSE;

  bpf_object__for_each_map (map, obj)
    if (bpf_map__type (map) == BPF_MAP_TYPE_STRUCT_OPS)
      {
        g_assert_null (ops);    /* exactly one scheduler per object */
        ops = map;
      }
  g_assert_nonnull (ops);
  g_assert_cmpstr (bpf_map__name (ops), ==, ops_map_name);

  bpf_object__for_each_program (prog, obj)
    {
      const char *pname = bpf_program__name (prog);
      n_progs++;
      g_assert_true (g_str_has_prefix (pname, name));
      g_assert_cmpint (bpf_program__type (prog), ==, BPF_PROG_TYPE_STRUCT_OPS);
      if (g_str_has_suffix (pname, "_init"))
        has_init = TRUE;
    }
  g_assert_true (has_init);
  g_assert_cmpuint (n_progs, >=, 7);

  map = bpf_object__find_map_by_name (obj, "cpu_ctrs");
  g_assert_nonnull (map);
  g_assert_cmpint (bpf_map__type (map), ==, BPF_MAP_TYPE_PERCPU_ARRAY);
  g_assert_cmpuint (bpf_map__value_size (map), ==, sizeof (struct sl_cpu_ctr));
  g_assert_cmpuint (bpf_map__max_entries (map), ==, 1);

  map = bpf_object__find_map_by_name (obj, "cgrp_ctrs");
  if (is_vtime)
    {
      g_assert_nonnull (map);
      g_assert_cmpint (bpf_map__type (map), ==, BPF_MAP_TYPE_HASH);
      g_assert_cmpuint (bpf_map__key_size (map), ==, sizeof (guint64));
      g_assert_cmpuint (bpf_map__value_size (map), ==, sizeof (struct sl_cgrp_ctr));
      g_assert_cmpuint (bpf_map__max_entries (map), ==, SL_CGRP_MAX);
    }
  else
    g_assert_null (map);

  g_assert_nonnull (bpf_object__find_map_by_name (obj, ".bss"));

  /* What the loader writes before attach and reads for the exit line. */
  g_assert_cmpint (bss_var_size (obj, "bug_mode"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "loader_tgid"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "bug_cgid"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "victim_pid"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "exit_seen"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "exit_kind"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "exit_code"), ==, 8);
  g_assert_cmpint (bss_var_size (obj, "exit_reason"), ==, SL_EXIT_REASON_LEN);
  g_assert_cmpint (bss_var_size (obj, "exit_msg"), ==, SL_EXIT_MSG_LEN);

  /* The counters the stats document reports: the common ones everywhere,
   * the vtime ones only in sl_vtime; every one is a u64. */
  for (const SlgCounterInfo *c = slg_stats_counter_table (); c->name; c++)
    {
      gboolean vtime_only = g_str_equal (c->name, "vtime_now") || g_str_equal (c->name, "nr_vtime_clamped");
      gssize size = bss_var_size (obj, c->name);
      g_test_message ("%s: %s size %zd", name, c->name, size);
      if (vtime_only && !is_vtime)
        g_assert_cmpint (size, ==, -1);
      else
        g_assert_cmpint (size, ==, 8);
    }
  bpf_object__close (obj);
}

static void
test_table (void)
{
  guint n = 0;
  for (const SlgEmbeddedObject *o = slg_embedded_objects; o->name; o++)
    {
      /* ELF, 64-bit, little endian, machine EM_BPF (247). */
      g_assert_cmpmem (o->data, 4, "\x7f" "ELF", 4);
      g_assert_cmpint (o->data[4], ==, 2);
      g_assert_cmpint (o->data[5], ==, 1);
      g_assert_cmpint (o->data[18] | (o->data[19] << 8), ==, 247);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
  g_assert_nonnull (find_object ("sl_fifo"));
  g_assert_nonnull (find_object ("sl_vtime"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  libbpf_set_print (NULL);
  g_test_add_func ("/sched/objects/table", test_table);
  g_test_add_data_func ("/sched/objects/sl_fifo", "sl_fifo", check_scheduler);
  g_test_add_data_func ("/sched/objects/sl_vtime", "sl_vtime", check_scheduler);
  return g_test_run ();
}
