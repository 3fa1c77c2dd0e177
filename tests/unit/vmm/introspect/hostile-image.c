/* hostile-image.c: see hostile-image.h. */
#include "hostile-image.h"
#include "sl-bpf-maps.h"
#include "sl-monitor-read.h"

#include <string.h>

Fx *
hostile_image_new (void)
{
  Fx *fx = fx_new (FALSE, 0x1400000, 0x1000000, 2);
  struct btf *b = btf__new_empty ();
  guint32 u32 = btf__add_int (b, "unsigned int", 4, 0);
  guint32 u64 = btf__add_int (b, "long long unsigned int", 8, 0);
  int pself = btf__add_ptr (b, (int) btf__type_cnt (b) + 1);
  int node = btf__add_struct (b, "node", 24);
  btf__add_field (b, "val", u64, 0, 0);
  btf__add_field (b, "next", pself, 64, 0);
  btf__add_field (b, "bits", u32, 128, 7);
  int var = btf__add_var (b, "head", BTF_VAR_GLOBAL_ALLOCATED, node);
  int ds = btf__add_datasec (b, ".bss", 24);
  btf__add_datasec_var_info (b, var, 0, 24);
  guint64 kb = fx_add_btf (fx, b, FALSE);

  guint64 kvas[5];
  kvas[0] = fx_add_map (fx, "h.bss", SL_BPF_MAP_ARRAY, 4, 24, 1, kb, 0, ds);
  guint64 n2 = fx_kmalloc (fx, 24);
  fx_write_u64 (fx, n2, 2);
  fx_write_u64 (fx, n2 + 8, fx_array_value (fx, kvas[0], 0));   /* a cycle back to head */
  fx_write_u64 (fx, fx_array_value (fx, kvas[0], 0) + 8, n2);
  kvas[1] = fx_add_map (fx, "arr", SL_BPF_MAP_ARRAY, 4, 24, 8, kb, u32, node);
  kvas[2] = fx_add_map (fx, "pcpu", SL_BPF_MAP_PERCPU_ARRAY, 4, 8, 2, kb, u32, u64);
  for (guint k = 0; k < 2; k++)
    fx_write_u64 (fx, kvas[2] + fx_off (fx, "bpf_array", "pptrs") + 8 * k, fx_percpu_alloc (fx, 8));
  kvas[3] = fx_add_map (fx, "hash", SL_BPF_MAP_HASH, 4, 24, 64, kb, u32, node);
  guint64 buckets = fx_kmalloc (fx, 16 * 4);
  for (guint i = 0; i < 4; i++)
    fx_write_u64 (fx, buckets + 16 * i, (i << 1) | 1);
  fx_write_field (fx, kvas[3], "bpf_htab", "buckets", buckets);
  fx_write_field (fx, kvas[3], "bpf_htab", "n_buckets", 4);
  guint64 key_off = fx_off (fx, "htab_elem", "key");
  for (guint32 k = 0; k < 3; k++)
    {
      guint64 e = fx_kmalloc (fx, key_off + 8 + 24);
      guint64 first = 0;
      sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, buckets + 16 * (k % 2)), &first, NULL);
      fx_write_u64 (fx, e, first);
      fx_write_u32 (fx, e + key_off, k);
      fx_write_u64 (fx, buckets + 16 * (k % 2), e);
    }
  kvas[4] = fx_add_map (fx, "ops", SL_BPF_MAP_STRUCT_OPS, 4, 168, 1, 0, 0, 0);
  fx_set_map_idr (fx, kvas, 5);
  guint64 sch = fx_kmalloc (fx, 176);
  fx_write_field (fx, sch, "scx_sched", "pcpu", fx_percpu_alloc (fx, 128));
  guint64 root = 0;
  fx_lookup (fx, "scx_root", &root);
  fx_write_u64 (fx, root + fx->slide, sch);
  btf__free (b);
  return fx;
}

void
hostile_capture_all (const SlGuestKernel *gk, guint time_budget_ms)
{
  g_autoptr(SlBpfMaps) bm = sl_bpf_maps_new (gk);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 16 << 20, time_budget_ms);
  g_autoptr(SlReport) r = sl_report_new ();
  if (sl_bpf_maps_capture (bm, &kr, r, NULL))
    sl_bpf_maps_identify_active (bm, &kr, r);
  /* Whatever came out must serialize. */
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  sl_report_write_json (r, w);
  g_autofree char *text = sl_json_writer_steal (w, NULL);
  g_assert_nonnull (text);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (SlPerCpuTime));
  sl_host_read_per_cpu_time (gk, &kr, times, NULL, NULL);
  SlMonitorSample m = { .cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot)) };
  sl_monitor_read_cpus (gk, &kr, NULL, &m, NULL, NULL);
  g_array_unref (m.cpus);
}

void
hostile_target_range (Fx *fx, guint64 *start, guint64 *end)
{
  /* From the page tables up to the end of the scattered vmalloc pages. */
  *start = 0x100000;
  *end = MIN ((guint64) fx->size, 0x2c00000);
}
