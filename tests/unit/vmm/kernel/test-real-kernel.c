/* Checks on the real default kernel in the cache ($XDG_CACHE_HOME/schedlab). Every case is
 * skipped until `schedlab-cli kernel fetch` has cached it (the CI fetches it first). */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <bpf/btf.h>

#include "kernel-test-util.h"
#include "sl-kallsyms.h"
#include "sl-kernel.h"
#include "sl-kernel-cache.h"
#include "sl-kernel-image.h"
#include "sl-types.h"

static SlKernel *
cached_kernel (void)
{
  SlKernelOptions opts = { .offline = TRUE, .ignore_env = TRUE };
  g_autoptr(GError) error = NULL;
  SlKernel *k = sl_kernel_resolve ("default", &opts, NULL, NULL, NULL, &error);
  if (!k)
    g_test_skip ("no default kernel cached; run `schedlab-cli kernel fetch` first");
  return k;
}

static GBytes *
map_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mf = g_mapped_file_new (path, FALSE, &error);
  g_assert_no_error (error);
  return g_mapped_file_get_bytes (mf);
}

static void
test_files (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (!k)
    return;
  g_autoptr(GBytes) vm = map_file (k->vmlinux);
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_elf_check_x86_64 (g_bytes_get_data (vm, NULL), g_bytes_get_size (vm), &error));
  g_assert_cmpuint (g_bytes_get_size (vm), ==, k->vmlinux_size);
  g_autofree char *bid = sl_elf_build_id (vm);
  g_assert_cmpstr (bid, ==, k->build_id);
  g_assert_true (k->has_btf);

  g_autofree char *config = NULL;
  g_assert_nonnull (k->config);
  g_assert_true (g_file_get_contents (k->config, &config, NULL, NULL));
  g_assert_cmpint (sl_kconfig_feature (config, "SCHED_CLASS_EXT"), ==, k->sched_ext);
  g_assert_cmpint (sl_kconfig_feature (config, "DEBUG_INFO_BTF"), ==, SL_KERNEL_FEATURE_YES);
  /* The default kernel is chosen for sched_ext. */
  g_assert_cmpint (k->sched_ext, ==, SL_KERNEL_FEATURE_YES);

  if (k->bzimage)
    {
      g_autoptr(GBytes) bz = map_file (k->bzimage);
      g_autoptr(SlKernelImage) img = sl_kernel_image_load (bz, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sl_compression_name (img->compression), ==, k->compression);
      g_assert_true (g_bytes_equal (img->vmlinux, vm));
      g_assert_cmpstr (img->version, ==, k->version);
    }
}

static void
check_kallsyms (const SlKernel *k)
{
  g_test_message ("kernel %s", k->version);
  g_autoptr(GBytes) vm = map_file (k->vmlinux);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(SlKallsyms) ks = sl_kallsyms_decode_elf (g_bytes_get_data (vm, NULL), g_bytes_get_size (vm), &error);
  g_assert_no_error (error);
  g_test_message ("decoded %u symbols in %.3f s", sl_kallsyms_count (ks),
                  (double) (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpuint (sl_kallsyms_count (ks), >, 100000);
  g_assert_cmpuint (sl_kallsyms_count (ks), ==, k->kallsyms_count);

  /* Same table as the cached file, sorted by address. */
  g_autoptr(SlKallsyms) file = sl_kallsyms_load (k->kallsyms, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_kallsyms_count (file), ==, sl_kallsyms_count (ks));
  for (guint i = 0; i < sl_kallsyms_count (ks); i++)
    {
      g_assert_cmphex (sl_kallsyms_address (file, i), ==, sl_kallsyms_address (ks, i));
      g_assert_cmpstr (sl_kallsyms_name (file, i), ==, sl_kallsyms_name (ks, i));
      if (i > 0)
        g_assert_cmphex (sl_kallsyms_address (ks, i - 1), <=, sl_kallsyms_address (ks, i));
    }

  guint64 text_addr = 0, ro_addr = 0, a = 0;
  g_autoptr(GBytes) text = sl_elf_section (vm, ".text", &text_addr, &error);
  g_autoptr(GBytes) ro = sl_elf_section (vm, ".rodata", &ro_addr, &error);
  g_assert_nonnull (text);
  g_assert_nonnull (ro);
  g_assert_true (sl_kallsyms_lookup (ks, "_text", &a));
  g_assert_cmphex (a, ==, text_addr);

  static const char * const needed[] = {
    "runqueues", "init_top_pgt", "map_idr", "__per_cpu_offset", "jiffies", "init_task", "phys_base",
    "page_offset_base",
  };
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!sl_kallsyms_lookup (ks, needed[i], NULL))
      g_error ("symbol %s is missing", needed[i]);
  if (k->has_sched_ext && g_str_has_prefix (k->version, "7."))
    g_assert_true (sl_kallsyms_lookup (ks, "scx_root", NULL));

  /* The address of linux_banner must point at the banner in the image. */
  g_assert_true (sl_kallsyms_lookup (ks, "linux_banner", &a));
  g_assert_cmphex (a, >=, ro_addr);
  g_assert_cmphex (a, <, ro_addr + g_bytes_get_size (ro));
  const char *banner = (const char *) g_bytes_get_data (ro, NULL) + (a - ro_addr);
  g_assert_true (g_str_has_prefix (banner, "Linux version "));
  g_assert_true (g_str_has_prefix (banner + strlen ("Linux version "), k->version));

  /* runqueues is per-CPU: a small offset (absolute per-CPU, before 6.15) or inside
   * .data..percpu (7.x links per-CPU data at its own address). */
  g_assert_true (sl_kallsyms_lookup (ks, "runqueues", &a));
  guint64 pc_addr = 0;
  g_autoptr(GBytes) pc = sl_elf_section (vm, ".data..percpu", &pc_addr, NULL);
  if (a >= 0x1000000)
    {
      g_assert_nonnull (pc);
      g_assert_cmphex (a, >=, pc_addr);
      g_assert_cmphex (a, <, pc_addr + g_bytes_get_size (pc));
    }

  /* address -> name */
  guint64 off;
  g_assert_true (sl_kallsyms_lookup (ks, "init_task", &a));
  g_assert_cmpstr (sl_kallsyms_symbolize (ks, a + 8, &off), ==, "init_task");
  g_assert_cmpuint (off, ==, 8);
}

/* The default kernel, then every other cached one (e.g. a 7.2 next to a 7.3). */
static void
test_kallsyms (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (!k)
    return;
  check_kallsyms (k);
  SlKernelOptions opts = { .offline = TRUE, .ignore_env = TRUE };
  g_autoptr(GPtrArray) all = sl_kernel_list_cached (&opts);
  for (guint i = 0; i < all->len; i++)
    {
      SlKernel *o = all->pdata[i];
      if (g_strcmp0 (o->dir, k->dir) != 0)
        check_kallsyms (o);
    }
}

static void
test_btf (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (!k)
    return;
  struct btf *btf = btf__parse_raw (k->btf);
  g_assert_nonnull (btf);
  static const char * const structs[] = { "rq", "task_struct", "bpf_map", "sched_ext_ops" };
  for (guint i = 0; i < G_N_ELEMENTS (structs); i++)
    {
      gint32 id = btf__find_by_name_kind (btf, structs[i], BTF_KIND_STRUCT);
      g_assert_cmpint (id, >, 0);
      g_assert_cmpint (btf__resolve_size (btf, (guint32) id), >, 0);
    }
  btf__free (btf);

  /* The cached raw BTF is exactly the image's .BTF section. */
  g_autoptr(GBytes) vm = map_file (k->vmlinux);
  g_autoptr(GBytes) sec = sl_elf_section (vm, ".BTF", NULL, NULL);
  g_autoptr(GBytes) raw = map_file (k->btf);
  g_assert_true (g_bytes_equal (sec, raw));
  g_assert_cmpuint (g_bytes_get_size (raw), ==, k->btf_size);
}

/* --kernel PATH: the same image given as a file is processed into a fresh cache. */
static void
test_resolve_path (void)
{
  g_autoptr(SlKernel) k = cached_kernel ();
  if (!k)
    return;
  g_autofree char *root = g_dir_make_tmp ("sl-kpath-XXXXXX", NULL);
  SlKernelOptions opts = { .cache_dir = root, .offline = TRUE, .ignore_env = TRUE };
  g_autoptr(GError) error = NULL;

  /* Alone in a directory: no config, no IKCONFIG in a Debian image, yet BTF shows sched_ext. */
  const char *image = k->bzimage ? k->bzimage : k->vmlinux;
  g_autofree char *alone_dir = g_build_filename (root, "alone", NULL);
  g_autofree char *alone = g_build_filename (alone_dir, "bzImage", NULL);
  g_assert_cmpint (g_mkdir (alone_dir, 0755), ==, 0);
  g_assert_cmpint (symlink (image, alone), ==, 0);
  g_autoptr(SlKernel) p = sl_kernel_resolve (alone, &opts, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (p->version, ==, k->version);
  g_assert_cmpstr (p->build_id, ==, k->build_id);
  g_assert_cmpstr (p->compression, ==, k->compression);
  g_assert_cmpuint (p->kallsyms_count, ==, k->kallsyms_count);
  g_assert_null (p->package);
  g_assert_true (g_str_has_prefix (p->dir, root));
  g_assert_null (p->config);
  g_assert_cmpint (p->sched_ext, ==, SL_KERNEL_FEATURE_UNKNOWN);
  g_assert_true (p->has_sched_ext);
  g_assert_cmpuint (p->hz, ==, 250);

  /* The vmlinux of the same build maps to the same entry. */
  g_autoptr(SlKernel) again = sl_kernel_resolve (p->vmlinux, &opts, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->dir, ==, p->dir);

  /* Next to its config (as in the package's modules directory), the config is used and the
   * entry is refreshed with it. */
  g_autoptr(SlKernel) with_cfg = sl_kernel_resolve (image, &opts, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_cfg->dir, ==, p->dir);
  g_assert_nonnull (with_cfg->config);
  g_assert_cmpint (with_cfg->sched_ext, ==, SL_KERNEL_FEATURE_YES);
  g_unlink (alone);
  sl_kernel_cache_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kernel/real/files", test_files);
  g_test_add_func ("/kernel/real/kallsyms", test_kallsyms);
  g_test_add_func ("/kernel/real/btf", test_btf);
  g_test_add_func ("/kernel/real/resolve-path", test_resolve_path);
  return g_test_run ();
}
