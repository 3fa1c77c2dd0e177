/* The kernel cache (staging, atomic commit, pin, info.json, listing, the lock) and the
 * errors sl_kernel_resolve gives without any network. */
#include <elf.h>
#include <string.h>
#include <glib/gstdio.h>

#include "kernel-test-util.h"
#include "sl-kernel.h"
#include "sl-kernel-cache.h"
#include "sl-types.h"

static void
put (const char *dir, const char *name, const char *text)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, text, -1, NULL));
}

static char *
make_entry (const char *root, const char *version, SlKernelFeature scx, guint hz)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = sl_kernel_cache_stage (root, &error);
  g_assert_no_error (error);
  put (stage, "vmlinux", "ELF");
  put (stage, "kallsyms", "ffffffff81000000 T _text\n");
  put (stage, "btf", "BTF");
  SlKernel k = { 0 };
  k.version = (char *) version;
  k.package = (char *) "linux-binary-test";
  k.suite = (char *) "sid";
  k.build_id = (char *) "00112233";
  k.compression = (char *) "zstd";
  k.sched_ext = scx;
  k.has_sched_ext = scx == SL_KERNEL_FEATURE_YES;
  k.hz = hz;
  k.vmlinux_size = 3;
  k.btf_size = 3;
  k.kallsyms_count = 1;
  k.btf = (char *) "btf";
  g_assert_true (sl_kernel_info_write (&k, stage, "Linux version test", "1.0-1", &error));
  g_assert_no_error (error);
  g_assert_true (sl_kernel_cache_commit (root, stage, version, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stage, G_FILE_TEST_EXISTS));
  g_autofree char *kdir = sl_kernel_cache_kernels_dir (root);
  return g_build_filename (kdir, version, NULL);
}

static void
test_entries (void)
{
  g_autofree char *root = g_dir_make_tmp ("sl-kcache-XXXXXX", NULL);
  SlKernelOptions opts = { .cache_dir = root };

  g_autoptr(GPtrArray) empty = sl_kernel_list_cached (&opts);
  g_assert_cmpuint (empty->len, ==, 0);

  g_autofree char *d1 = make_entry (root, "6.12.1+deb13-cloud-amd64", SL_KERNEL_FEATURE_NO, 250);
  g_autofree char *d2 = make_entry (root, "7.10.2+deb14-cloud-amd64", SL_KERNEL_FEATURE_YES, 1000);
  g_autofree char *d3 = make_entry (root, "7.9.0+deb14-cloud-amd64", SL_KERNEL_FEATURE_YES, 300);

  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernel) k = sl_kernel_load_cached (d2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (k->version, ==, "7.10.2+deb14-cloud-amd64");
  g_assert_cmpstr (k->package, ==, "linux-binary-test");
  g_assert_cmpstr (k->suite, ==, "sid");
  g_assert_cmpstr (k->compression, ==, "zstd");
  g_assert_cmpint (k->sched_ext, ==, SL_KERNEL_FEATURE_YES);
  g_assert_true (k->has_sched_ext);
  g_assert_cmpuint (k->hz, ==, 1000);
  g_assert_null (k->bzimage);
  g_assert_null (k->config);
  g_autofree char *vm = g_build_filename (d2, "vmlinux", NULL);
  g_assert_cmpstr (k->vmlinux, ==, vm);

  /* Newest version first (7.10 > 7.9 > 6.12, not string order). */
  g_autoptr(GPtrArray) list = sl_kernel_list_cached (&opts);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpstr (((SlKernel *) list->pdata[0])->version, ==, "7.10.2+deb14-cloud-amd64");
  g_assert_cmpstr (((SlKernel *) list->pdata[1])->version, ==, "7.9.0+deb14-cloud-amd64");
  g_assert_cmpstr (((SlKernel *) list->pdata[2])->version, ==, "6.12.1+deb13-cloud-amd64");

  /* Replacing an entry is atomic and leaves no debris. */
  g_autofree char *again = make_entry (root, "7.9.0+deb14-cloud-amd64", SL_KERNEL_FEATURE_YES, 100);
  g_autoptr(SlKernel) k3 = sl_kernel_load_cached (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (k3->hz, ==, 100);
  g_autofree char *kdir = sl_kernel_cache_kernels_dir (root);
  g_autoptr(GDir) dir = g_dir_open (kdir, 0, NULL);
  const char *name;
  while ((name = g_dir_read_name (dir)))
    g_assert_false (g_str_has_prefix (name, ".tmp-") || g_str_has_prefix (name, ".old-"));

  /* The pin drives offline "default". */
  g_assert_null (sl_kernel_cache_read_pin (root));
  g_assert_true (sl_kernel_cache_write_pin (root, "7.9.0+deb14-cloud-amd64", &error));
  SlKernelOptions off = { .cache_dir = root, .offline = TRUE, .ignore_env = TRUE };
  /* Leftovers of an interrupted run are swept once the lock is held. */
  g_autofree char *leftover = g_build_filename (kdir, ".tmp-crashed", NULL);
  g_assert_cmpint (g_mkdir (leftover, 0755), ==, 0);
  put (leftover, "vmlinux", "partial");
  g_autoptr(SlKernel) def = sl_kernel_resolve (NULL, &off, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (def->version, ==, "7.9.0+deb14-cloud-amd64");
  g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));

  /* A release spec finds its entry; a directory path too. */
  g_autoptr(SlKernel) byver = sl_kernel_resolve ("6.12.1+deb13-cloud-amd64", &off, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byver->sched_ext, ==, SL_KERNEL_FEATURE_NO);
  g_assert_false (byver->has_sched_ext);
  g_autoptr(SlKernel) bydir = sl_kernel_resolve (d1, &off, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bydir->version, ==, "6.12.1+deb13-cloud-amd64");

  /* Damaged info.json: a clear error, and listing skips it. */
  put (d1, "info.json", "{ \"version\": ");
  g_autoptr(SlKernel) broken = sl_kernel_load_cached (d1, &error);
  g_assert_null (broken);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_clear_error (&error);
  put (d1, "info.json", "{ \"version\": \"x\", \"files\": { \"vmlinux\": \"../../etc/passwd\", \"kallsyms\": \"kallsyms\" } }");
  broken = sl_kernel_load_cached (d1, &error);
  g_assert_null (broken);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_clear_error (&error);
  g_autoptr(GPtrArray) list2 = sl_kernel_list_cached (&opts);
  g_assert_cmpuint (list2->len, ==, 2);

  sl_kernel_cache_remove_tree (root);
}

typedef struct {
  const char   *root;
  GCancellable *cancel;
  GError       *error;
  int           fd;
} LockArgs;

static gpointer
lock_thread (gpointer data)
{
  LockArgs *a = data;
  a->fd = sl_kernel_cache_lock (a->root, a->cancel, &a->error);
  return NULL;
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_lock (void)
{
  g_autofree char *root = g_dir_make_tmp ("sl-klock-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  int fd = sl_kernel_cache_lock (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);

  /* A second locker waits until cancelled while the first holds the lock. */
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  LockArgs a = { root, cancel, NULL, -2 };
  GThread *t = g_thread_new ("locker", lock_thread, &a);
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  GSource *src = g_timeout_source_new (300);
  g_source_set_callback (src, cancel_later, cancel, NULL);
  g_source_attach (src, ctx);
  g_source_unref (src);
  while (!g_cancellable_is_cancelled (cancel))
    g_main_context_iteration (ctx, TRUE);
  g_thread_join (t);
  g_assert_cmpint (a.fd, ==, -1);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&a.error);

  /* After unlocking, the next locker gets it at once. */
  sl_kernel_cache_unlock (fd);
  g_autoptr(GCancellable) c2 = g_cancellable_new ();
  LockArgs b = { root, c2, NULL, -2 };
  t = g_thread_new ("locker2", lock_thread, &b);
  g_thread_join (t);
  g_assert_no_error (b.error);
  g_assert_cmpint (b.fd, >=, 0);
  sl_kernel_cache_unlock (b.fd);
  sl_kernel_cache_remove_tree (root);
}

static void
expect_resolve_error (const char *spec, const SlKernelOptions *opts, gint code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernel) k = sl_kernel_resolve (spec, opts, NULL, NULL, NULL, &error);
  g_assert_null (k);
  g_assert_nonnull (error);
  if (code >= 0)
    g_assert_error (error, SL_ERROR, code);
  if (!strstr (error->message, needle))
    g_error ("expected \"%s\" in \"%s\"", needle, error->message);
}

static void
test_resolve_errors (void)
{
  g_autofree char *root = g_dir_make_tmp ("sl-kres-XXXXXX", NULL);
  SlKernelOptions off = { .cache_dir = root, .offline = TRUE, .ignore_env = TRUE };

  expect_resolve_error ("default", &off, SL_ERROR_NOT_FOUND, "kernel fetch");
  expect_resolve_error ("9.9.9+deb99-cloud-amd64", &off, SL_ERROR_NOT_FOUND, "not in the cache");
  expect_resolve_error ("/nonexistent/dir/vmlinux", &off, -1, "/nonexistent/dir/vmlinux");

  /* A valid x86-64 ELF without .BTF: rejected with the reason and the file named. */
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, "Linux version 1.2.3-none (x) #1", 4000);
  g_autofree char *path = g_build_filename (root, "vmlinux-nobtf", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (elf, NULL), (gssize) g_bytes_get_size (elf), NULL));
  expect_resolve_error (path, &off, SL_ERROR_NOT_FOUND, "no BTF");

  /* $SCHEDLAB_KERNEL replaces "default" unless ignored. */
  SlKernelOptions env_opts = { .cache_dir = root, .offline = TRUE };
  g_setenv ("SCHEDLAB_KERNEL", path, TRUE);
  expect_resolve_error (NULL, &env_opts, SL_ERROR_NOT_FOUND, "vmlinux-nobtf");
  expect_resolve_error (NULL, &off, SL_ERROR_NOT_FOUND, "kernel fetch");
  g_unsetenv ("SCHEDLAB_KERNEL");

  /* An ARM image is named as such. */
  g_autoptr(GBytes) arm = kt_make_elf (EM_AARCH64, NULL, 100);
  g_autofree char *apath = g_build_filename (root, "Image", NULL);
  g_assert_true (g_file_set_contents (apath, g_bytes_get_data (arm, NULL), (gssize) g_bytes_get_size (arm), NULL));
  expect_resolve_error (apath, &off, SL_ERROR_CORRUPT, "not x86-64");

  /* Nothing half-written was left in the cache. */
  g_autoptr(GPtrArray) list = sl_kernel_list_cached (&off);
  g_assert_cmpuint (list->len, ==, 0);
  sl_kernel_cache_remove_tree (root);
}

static void
collect_progress (SlKernelStage stage, const char *message, gpointer user_data)
{
  g_string_append_printf (user_data, "%s\n", message);
}

/* A mirror that refuses connections: apt runs (privately, in a temporary cache) and the
 * error says the archive is unreachable. No network is needed. */
static void
test_unreachable_mirror (void)
{
  g_autofree char *apt_get = g_find_program_in_path ("apt-get");
  if (!apt_get)
    {
      g_test_skip ("apt-get is not installed");
      return;
    }
  g_autofree char *root = g_dir_make_tmp ("sl-kapt-XXXXXX", NULL);
  SlKernelOptions opts = { .cache_dir = root, .mirror = "http://127.0.0.1:9/debian", .refresh = TRUE,
                           .ignore_env = TRUE };
  expect_resolve_error ("default", &opts, SL_ERROR_IO, "unreachable at http://127.0.0.1:9/debian");

  /* The private configuration was written into the cache, not anywhere else. */
  g_autofree char *list = g_build_filename (root, "apt", "sources.list", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (list, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "deb http://127.0.0.1:9/debian sid main"));

  /* With a pinned kernel in the cache, an unreachable archive keeps the pinned one. */
  g_autofree char *d = make_entry (root, "7.9.0+deb14-cloud-amd64", SL_KERNEL_FEATURE_YES, 250);
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_kernel_cache_write_pin (root, "7.9.0+deb14-cloud-amd64", &error));
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autoptr(SlKernel) k = sl_kernel_resolve ("default", &opts, collect_progress, messages, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (k->dir, ==, d);
  g_assert_nonnull (strstr (messages->str, "keeping the pinned 7.9.0+deb14-cloud-amd64"));
  sl_kernel_cache_remove_tree (root);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* resolve-errors uses setenv(), which must run before any thread exists. */
  g_test_add_func ("/kernel/cache/resolve-errors", test_resolve_errors);
  g_test_add_func ("/kernel/cache/entries", test_entries);
  g_test_add_func ("/kernel/cache/lock", test_lock);
  g_test_add_func ("/kernel/cache/unreachable-mirror", test_unreachable_mirror);
  return g_test_run ();
}
