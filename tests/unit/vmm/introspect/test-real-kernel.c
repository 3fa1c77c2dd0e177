/* The layouts the readers need, resolved on the real cached default kernel
 * (skipped until `schedlab-cli kernel fetch` has run): every member path used
 * by the map, monitor and host-axis readers exists there, the enums resolve,
 * and the kernel image yields a linux_banner fingerprint through the
 * introspector without any guest. */
#include "sl-introspector.h"
#include "sl-kallsyms.h"
#include "sl-kernel.h"
#include "sl-ktypes.h"

#include <bpf/btf.h>

static SlKernel *
cached_kernel (void)
{
  SlKernelOptions opts = { .offline = TRUE };
  return sl_kernel_resolve ("default", &opts, NULL, NULL, NULL, NULL);
}

static void
test_layouts (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (k == NULL || k->btf == NULL)
    {
      g_test_skip ("no cached default kernel with BTF");
      return;
    }
  struct btf *btf = btf__parse_raw (k->btf);
  g_assert_nonnull (btf);
  g_autoptr(SlKtypes) kt = sl_ktypes_new (btf);
  static const char *const paths[][2] = {
    { "xarray", "xa_head" }, { "xa_node", "shift" }, { "xa_node", "slots" }, { "idr", "idr_rt" },
    { "bpf_map", "map_type" }, { "bpf_map", "key_size" }, { "bpf_map", "value_size" },
    { "bpf_map", "max_entries" }, { "bpf_map", "id" }, { "bpf_map", "btf" }, { "bpf_map", "name" },
    { "bpf_map", "btf_key_type_id" }, { "bpf_map", "btf_value_type_id" },
    { "bpf_array", "elem_size" }, { "bpf_array", "value" }, { "bpf_array", "pptrs" },
    { "bpf_htab", "buckets" }, { "bpf_htab", "n_buckets" }, { "htab_elem", "key" },
    { "hlist_nulls_node", "next" }, { "bucket", "head" },
    { "btf", "data" }, { "btf", "data_size" }, { "btf", "base_btf" }, { "btf", "id" },
    { "rq", "nr_running" }, { "rq", "clock" },
    { "kernel_cpustat", "cpustat" }, { "kernel_stat", "irqs_sum" }, { "kernel_stat", "softirqs" },
    { "bpf_link", "prog" }, { "bpf_prog", "aux" }, { "bpf_prog_aux", "used_maps" },
    { "bpf_prog_aux", "used_map_cnt" }, { "bpf_struct_ops_map", "kvalue.common.state" },
    { "bpf_struct_ops_map", "links" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      SlKfield f;
      g_autoptr(GError) error = NULL;
      if (!sl_ktypes_member (kt, paths[i][0], paths[i][1], &f, &error))
        g_error ("%s.%s: %s", paths[i][0], paths[i][1], error->message);
    }
  /* The anonymous-union member of bpf_array sits where the values start. */
  SlKfield v, p;
  g_assert_true (sl_ktypes_member (kt, "bpf_array", "value", &v, NULL));
  g_assert_true (sl_ktypes_member (kt, "bpf_array", "pptrs", &p, NULL));
  g_assert_cmpuint (v.offset, ==, p.offset);
  gint64 idle;
  g_assert_true (sl_ktypes_enum_value (kt, "CPUTIME_IDLE", &idle, NULL));
  g_assert_cmpint (idle, ==, 5);
  if (k->has_sched_ext)
    {
      static const char *const scx[][2] = {
        { "rq", "scx.nr_running" }, { "rq", "scx.local_dsq.nr" }, { "rq", "scx.flags" },
        { "scx_sched", "ops.name" }, { "bpf_struct_ops_sched_ext_ops", "data.name" },
      };
      for (guint i = 0; i < G_N_ELEMENTS (scx); i++)
        {
          SlKfield f;
          g_autoptr(GError) error = NULL;
          if (!sl_ktypes_member (kt, scx[i][0], scx[i][1], &f, &error))
            g_error ("%s.%s: %s", scx[i][0], scx[i][1], error->message);
        }
      /* One of the two event-counter layouts. */
      SlKfield f;
      g_assert_true (sl_ktypes_member (kt, "scx_sched", "pcpu", &f, NULL)
                     || sl_ktypes_member (kt, "scx_sched", "event_stats_cpu", &f, NULL));
    }
  /* A member this kernel does not have is "unavailable", never a guess. */
  SlKfield f;
  g_autoptr(GError) error = NULL;
  g_assert_false (sl_ktypes_member (kt, "rq", "no_such_member", &f, &error));
  g_assert_true (g_str_has_prefix (error->message, "unavailable: "));
  btf__free (btf);
}

static void
test_introspector_files (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (k == NULL)
    {
      g_test_skip ("no cached default kernel");
      return;
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(SlIntrospector) in = sl_introspector_new_for_vmlinux (k->vmlinux, &error);
  g_assert_no_error (error);
  /* A RAM image without that kernel in it: the capture says so and fills nothing. */
  gsize size = 64u << 20;
  g_autofree guint8 *ram = g_malloc0 (size);
  g_autoptr(SlIntrospector) in2 = sl_introspector_new (k, ram, size, &error);
  g_assert_no_error (error);
  g_autoptr(SlReport) r = sl_report_new ();
  g_assert_false (sl_introspector_capture (in2, r, NULL, &error));
  g_assert_nonnull (g_strstr_len (error->message, -1, "not found in guest RAM"));
  g_assert_cmpuint (r->maps->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/real-kernel/layouts", test_layouts);
  g_test_add_func ("/introspect/real-kernel/introspector-files", test_introspector_files);
  return g_test_run ();
}
