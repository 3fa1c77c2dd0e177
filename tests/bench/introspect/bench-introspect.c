/* bench-introspect.c: the freeze window's read part. Prints, for a synthetic
 * guest with 16 BPF maps and about 1 MiB of map data (ARRAY, PERCPU_ARRAY,
 * HASH, PERCPU_HASH, a .bss DATASEC), the median and p90 of a full capture
 * while frozen (map bytes copied, scheduler identity, per-CPU times, monitor),
 * the BTF rendering done after the thaw, and a memcpy of the same number of bytes (the floor).
 *
 * With --vm it also boots the default kernel under TCG with the bundled
 * sl_fifo scheduler and prints the real freeze window (QMP stop → reads →
 * cont) per capture, and the read part alone.
 *
 *   bench-introspect [--iterations N] [--vm] [--snapshots N] */
#include "introspect-fixture.h"
#include "sl-bpf-maps.h"
#include "sl-introspector.h"
#include "sl-kernel.h"
#include "sl-monitor-read.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return (x > y) - (x < y);
}

static void
print_stats (const char *what, GArray *v)
{
  if (v->len == 0)
    {
      printf ("%-52s no data\n", what);
      return;
    }
  g_array_sort (v, cmp_u64);
  guint64 med = g_array_index (v, guint64, v->len / 2);
  guint64 p90 = g_array_index (v, guint64, MIN (v->len - 1, (v->len * 9 + 9) / 10 - 1));
  printf ("%-52s median %8.3f ms   p90 %8.3f ms   (n=%u)\n", what, med / 1000.0, p90 / 1000.0, v->len);
}

/* 16 maps, ~1 MiB: 1 .bss (64 KiB), 8 ARRAYs (256 x 256 B), 2 PERCPU_ARRAYs
 * (16 keys x 256 B x 2 CPUs), 4 HASHes (256 entries of 256 B), 1 PERCPU_HASH. */
static Fx *
build_image (guint64 *data_bytes)
{
  Fx *fx = fx_new (FALSE, 0x1400000, 0x1e00000, 2);
  struct btf *b = btf__new_empty ();
  guint32 u32 = btf__add_int (b, "unsigned int", 4, 0);
  guint32 u64 = btf__add_int (b, "long long unsigned int", 8, 0);
  guint32 vec = btf__add_array (b, u32, u64, 32);
  int val = btf__add_struct (b, "val", 256);
  btf__add_field (b, "counters", vec, 0, 0);
  guint32 big = btf__add_array (b, u32, u64, 8192);
  int var = btf__add_var (b, "hist", BTF_VAR_GLOBAL_ALLOCATED, big);
  int ds = btf__add_datasec (b, ".bss", 65536);
  btf__add_datasec_var_info (b, var, 0, 65536);
  guint64 kb = fx_add_btf (fx, b, FALSE);
  guint64 kvas[16];
  guint n = 0;
  *data_bytes = 0;
  kvas[n++] = fx_add_map (fx, "bench.bss", SL_BPF_MAP_ARRAY, 4, 65536, 1, kb, 0, ds);
  *data_bytes += 65536;
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *name = g_strdup_printf ("arr%u", i);
      kvas[n++] = fx_add_map (fx, name, SL_BPF_MAP_ARRAY, 4, 256, 256, kb, u32, val);
      *data_bytes += 256 * 256;
    }
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("pcpu%u", i);
      guint64 m = fx_add_map (fx, name, SL_BPF_MAP_PERCPU_ARRAY, 4, 256, 16, kb, u32, val);
      for (guint k = 0; k < 16; k++)
        fx_write_u64 (fx, m + fx_off (fx, "bpf_array", "pptrs") + 8 * k, fx_percpu_alloc (fx, 256));
      kvas[n++] = m;
      *data_bytes += 16 * 256 * 2;
    }
  guint64 key_off = fx_off (fx, "htab_elem", "key");
  for (guint i = 0; i < 5; i++)
    {
      gboolean percpu = i == 4;
      guint entries = percpu ? 16 : 256;
      g_autofree char *name = g_strdup_printf ("hash%u", i);
      guint64 m = fx_add_map (fx, name, percpu ? SL_BPF_MAP_PERCPU_HASH : SL_BPF_MAP_HASH, 4, 256, entries, kb,
                              u32, val);
      guint64 buckets = fx_kmalloc (fx, 16 * entries);
      for (guint k = 0; k < entries; k++)
        {
          guint64 e = fx_kmalloc (fx, key_off + 8 + 256);
          fx_write_u64 (fx, e, (k << 1) | 1);
          fx_write_u32 (fx, e + key_off, k);
          if (percpu)
            fx_write_u64 (fx, e + key_off + 8, fx_percpu_alloc (fx, 256));
          fx_write_u64 (fx, buckets + 16 * k, e);
        }
      fx_write_field (fx, m, "bpf_htab", "buckets", buckets);
      fx_write_field (fx, m, "bpf_htab", "n_buckets", entries);
      kvas[n++] = m;
      *data_bytes += (guint64) entries * (percpu ? 512 : 264);
    }
  g_assert_cmpuint (n, ==, 16);
  fx_set_map_idr (fx, kvas, n);
  btf__free (b);
  return fx;
}

static void
bench_synthetic (guint iterations)
{
  guint64 data_bytes;
  g_autoptr(Fx) fx = build_image (&data_bytes);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  g_autoptr(SlBpfMaps) bm = sl_bpf_maps_new (gk);
  sl_bpf_maps_set_deferred (bm, TRUE);
  g_autoptr(GArray) cap = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) thaw = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) floor = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree guint8 *dst = g_malloc (data_bytes);
  guint64 read_bytes = 0;
  guint n_maps = 0;
  for (guint it = 0; it < iterations; it++)
    {
      SlKread kr;
      sl_guest_kernel_reader (gk, &kr, G_MAXUINT64, 0);
      malloc_trim (0);   /* what sl_introspector_prepare() does before each freeze */
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(SlReport) r = sl_report_new ();
      sl_bpf_maps_capture (bm, &kr, r, NULL);
      sl_bpf_maps_identify_active (bm, &kr, r);
      sl_host_read_per_cpu_time (gk, &kr, r->per_cpu_time, NULL, NULL);
      SlMonitorSample m = { .cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot)) };
      sl_monitor_read_cpus (gk, &kr, NULL, &m, NULL, NULL);
      guint64 us = (guint64) (g_get_monotonic_time () - t0);
      g_array_unref (m.cpus);
      gint64 t2 = g_get_monotonic_time ();
      SlKread kr2;
      sl_guest_kernel_reader (gk, &kr2, G_MAXUINT64, 0);
      sl_bpf_maps_render_pending (bm, &kr2);
      guint64 rus = (guint64) (g_get_monotonic_time () - t2);
      if (it > 0)
        g_array_append_val (thaw, rus);
      if (it > 0)   /* the first capture also parses the program BTF */
        g_array_append_val (cap, us);
      read_bytes = G_MAXUINT64 - kr.bytes_left;
      n_maps = r->maps->len;
      gint64 t1 = g_get_monotonic_time ();
      memcpy (dst, fx->ram + 0x2000000, MIN (data_bytes, 0x800000));
      guint64 mus = (guint64) (g_get_monotonic_time () - t1);
      g_array_append_val (floor, mus);
      g_assert_cmpuint (dst[0], ==, fx->ram[0x2000000]);
    }
  printf ("synthetic guest: %u maps, %" G_GUINT64_FORMAT " KiB of map data, %" G_GUINT64_FORMAT
          " KiB read from guest memory per capture\n", n_maps, data_bytes / 1024, read_bytes / 1024);
  print_stats ("frozen part: bytes of maps + identity + per-CPU + monitor", cap);
  print_stats ("after thaw: BTF rendering of the copied bytes", thaw);
  print_stats ("floor: memcpy of the map data bytes", floor);
}


#ifdef SL_SCHED_LOADER
/* The runner's capture cycle as `schedlab-cli run` sets it up, plus timing. */
typedef struct {
  SlIntrospector *in;
  GArray         *reads;   /* µs spent reading guest memory while frozen */
} VmCtx;

static gboolean
vm_prepare (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  return sl_introspector_before_freeze_hook (vm, s, ((VmCtx *) data)->in, error);
}

static gboolean
vm_frozen (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  VmCtx *c = data;
  gboolean ok = sl_introspector_freeze_hook (vm, s, c->in, error);
  guint64 us = sl_introspector_last_read_us (c->in);
  g_array_append_val (c->reads, us);
  return ok;
}

static gboolean
vm_thaw (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  return sl_introspector_after_thaw_hook (vm, s, ((VmCtx *) data)->in, error);
}

static SlMonitorSample *
vm_monitor (gpointer data)
{
  return sl_introspector_take_monitor_sample_hook (((VmCtx *) data)->in);
}
#endif

static void
bench_vm (guint snapshots)
{
#ifdef SL_SCHED_LOADER
  g_autoptr(GError) error = NULL;
  SlKernelOptions kopts = { .offline = TRUE };
  g_autoptr(SlKernel) k = sl_kernel_resolve ("default", &kopts, NULL, NULL, NULL, &error);
  if (k == NULL)
    {
      printf ("vm: no cached kernel (%s)\n", error->message);
      return;
    }
  g_autoptr(SlScenario) sc = sl_scenario_parse ("scenario bench\nadd-cgroup spin\nspawn spin CpuSpin count=2\n"
                                                "step run\n  hold 8s\n", "bench", &error);
  g_assert_no_error (error);
  g_autoptr(SlIntrospector) in = sl_introspector_new_for_vmlinux (k->vmlinux, &error);
  g_assert_no_error (error);
  g_autoptr(GArray) reads = g_array_new (FALSE, FALSE, sizeof (guint64));
  VmCtx vc = { in, reads };
  g_autofree char *dir = g_dir_make_tmp ("sl-bench-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "run.slrun", NULL);
  const char *args[] = { "--scheduler", "sl_fifo", NULL };
  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux, .kernel_version = k->version, .kernel_has_sched_ext = k->has_sched_ext,
    .kernel_hz = k->hz, .topology = { 1, 1, 2, 1 }, .memory_mb = 512, .accel = SL_ACCEL_TCG,
    .tcg_single_thread = TRUE, .scheduler = SL_SCHED_LOADER, .scheduler_args = args, .scenario = sc,
    .snapshots = snapshots, .timeout_s = 300, .output = out,
    .before_freeze_hook = vm_prepare, .freeze_hook = vm_frozen, .after_thaw_hook = vm_thaw,
    .take_monitor_sample = vm_monitor, .freeze_hook_data = &vc,
  };
  g_autoptr(SlRunner) r = sl_runner_new (&cfg);
  if (!sl_runner_run (r, &error))
    {
      printf ("vm: %s\n", error->message);
      return;
    }
  g_autoptr(GArray) f = g_array_copy ((GArray *) sl_runner_get_freeze_us (r));
  if (f->len > 1)
    g_array_remove_index (f, 0);   /* the first one also locates the kernel and parses BTF */
  printf ("vm (TCG, 2 vCPUs, sl_fifo): end %s\n", sl_runner_get_end_reason (r));
  print_stats ("freeze window: QMP stop -> reads -> cont", f);
  if (reads->len > 1)
    g_array_remove_index (reads, 0);
  print_stats ("  of which guest-memory reads", reads);
  g_unlink (out);
  g_rmdir (dir);
#else
  printf ("vm: built without the bundled scheduler loader\n");
#endif
}

int
main (int argc, char **argv)
{
  gint iterations = 200, snapshots = 20;
  gboolean vm = FALSE;
  GOptionEntry entries[] = {
    { "iterations", 'n', 0, G_OPTION_ARG_INT, &iterations, "Synthetic captures (default 200)", "N" },
    { "vm", 0, 0, G_OPTION_ARG_NONE, &vm, "Also measure a real TCG VM's freeze window", NULL },
    { "snapshots", 0, 0, G_OPTION_ARG_INT, &snapshots, "Captures in the VM run (default 20)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- introspection freeze-window figures");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || iterations < 2 || snapshots < 1)
    {
      g_printerr ("bench-introspect: %s\n", error ? error->message : "bad numbers");
      return 2;
    }
  bench_synthetic ((guint) iterations);
  if (vm)
    bench_vm ((guint) snapshots);
  return 0;
}
