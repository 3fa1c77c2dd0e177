/* Unit tests of the newc cpio writer: what is written parses back identically,
 * and the reader rejects damaged archives. */
#include "sl-cpio.h"
#include "sl-initramfs.h"
#include "sl-types.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <string.h>

static GBytes *
write_sample (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(SlCpioWriter) w = sl_cpio_writer_new (out);
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_cpio_writer_add_dir (w, "dev", 0755, &error));
  g_assert_true (sl_cpio_writer_add_chardev (w, "dev/console", 0600, 5, 1, &error));
  g_assert_true (sl_cpio_writer_add_file (w, "init", 0755, "ABCDE", 5, &error));
  g_assert_true (sl_cpio_writer_add_file (w, "empty", 0644, NULL, 0, &error));
  g_assert_true (sl_cpio_writer_add_symlink (w, "sbin", "usr/sbin", &error));
  g_assert_no_error (error);
  g_assert_true (sl_cpio_writer_finish (w, &error));
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_roundtrip (void)
{
  g_autoptr(GBytes) bytes = write_sample ();
  gsize size;
  const char *raw = g_bytes_get_data (bytes, &size);
  g_assert_cmpuint (size % 4, ==, 0);
  g_assert_true (memcmp (raw, "070701", 6) == 0);

  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sl_cpio_parse (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  SlCpioEntry *e = entries->pdata[0];
  g_assert_cmpstr (e->name, ==, "dev");
  g_assert_cmpuint (e->mode, ==, S_IFDIR | 0755);
  e = entries->pdata[1];
  g_assert_cmpstr (e->name, ==, "dev/console");
  g_assert_cmpuint (e->mode, ==, S_IFCHR | 0600);
  g_assert_cmpuint (e->rdev_major, ==, 5);
  g_assert_cmpuint (e->rdev_minor, ==, 1);
  e = entries->pdata[2];
  g_assert_cmpstr (e->name, ==, "init");
  g_assert_cmpuint (e->mode, ==, S_IFREG | 0755);
  g_assert_cmpuint (g_bytes_get_size (e->data), ==, 5);
  g_assert_true (memcmp (g_bytes_get_data (e->data, NULL), "ABCDE", 5) == 0);
  e = entries->pdata[3];
  g_assert_cmpstr (e->name, ==, "empty");
  g_assert_cmpuint (g_bytes_get_size (e->data), ==, 0);
  e = entries->pdata[4];
  g_assert_cmpuint (e->mode & S_IFMT, ==, S_IFLNK);
  g_assert_cmpmem (g_bytes_get_data (e->data, NULL), g_bytes_get_size (e->data), "usr/sbin", 8);
}

static void
test_deterministic (void)
{
  g_autoptr(GBytes) a = write_sample ();
  g_autoptr(GBytes) b = write_sample ();
  g_assert_true (g_bytes_equal (a, b));
}

static void
test_rejects_bad_names (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(SlCpioWriter) w = sl_cpio_writer_new (out);
  g_autoptr(GError) error = NULL;
  g_assert_false (sl_cpio_writer_add_file (w, "/abs", 0644, "x", 1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (sl_cpio_writer_add_file (w, "a/../b", 0644, "x", 1, &error));
  g_clear_error (&error);
  g_assert_true (sl_cpio_writer_add_file (w, "a", 0644, "x", 1, &error));
  g_assert_false (sl_cpio_writer_add_file (w, "a", 0644, "x", 1, &error));
  g_assert_nonnull (error);
}

static void
test_parse_damaged (void)
{
  g_autoptr(GBytes) bytes = write_sample ();
  gsize size;
  const guint8 *raw = g_bytes_get_data (bytes, &size);
  /* Every truncation must fail cleanly, never read out of bounds. */
  for (gsize cut = 0; cut < size - 4; cut += 7)
    {
      g_autoptr(GBytes) part = g_bytes_new (raw, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries = sl_cpio_parse (part, &error);
      g_assert_null (entries);
      g_assert_nonnull (error);
    }
  /* A file size pointing past the end. */
  g_autofree guint8 *copy = g_memdup2 (raw, size);
  const guint8 *init_name = memmem (copy, size, "init\0", 5);
  g_assert_nonnull (init_name);
  /* c_filesize is the 7th 8-digit field after the 6-byte magic. */
  memcpy ((guint8 *) init_name - 110 + 6 + 6 * 8, "7FFFFFFF", 8);
  g_autoptr(GBytes) bad = g_bytes_new (copy, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = sl_cpio_parse (bad, &error);
  g_assert_null (entries);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
}

static void
test_initramfs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-cpio-XXXXXX", NULL);
  g_autofree char *agent = g_build_filename (dir, "agent", NULL);
  g_autofree char *out = g_build_filename (dir, "initrd.cpio", NULL);
  g_assert_true (g_file_set_contents (agent, "#!agent", -1, NULL));
  /* A dynamically linked binary: this test program itself. */
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  SlInitramfsSpec spec = { .agent_path = agent, .scheduler_path = self, .scenario_text = "hold 1\n",
                           .stats_socket = "/run/custom/stats" };
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_initramfs_build (&spec, out, &error));
  g_assert_no_error (error);
  GStatBuf st;
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);

  g_autoptr(GMappedFile) mf = g_mapped_file_new (out, FALSE, &error);
  g_autoptr(GBytes) bytes = g_mapped_file_get_bytes (mf);
  g_autoptr(GPtrArray) entries = sl_cpio_parse (bytes, &error);
  g_assert_no_error (error);
  gboolean init = FALSE, console = FALSE, sched = FALSE, libc = FALSE, interp = FALSE, scen = FALSE, sock = FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      SlCpioEntry *e = entries->pdata[i];
      if (g_str_equal (e->name, "init"))
        init = g_bytes_get_size (e->data) == 7;
      console |= g_str_equal (e->name, "dev/console");
      sched |= g_str_equal (e->name, SL_GUEST_SCHEDULER_PATH);
      scen |= g_str_equal (e->name, SL_GUEST_SCENARIO_PATH);
      if (g_str_equal (e->name, SL_GUEST_STATS_SOCKET_PATH))
        sock = g_bytes_get_size (e->data) == strlen ("/run/custom/stats\n")
               && memcmp (g_bytes_get_data (e->data, NULL), "/run/custom/stats\n", 18) == 0;
      libc |= g_str_has_suffix (e->name, "/libc.so.6");
      interp |= g_str_has_prefix (e->name, "lib64/ld-linux");
    }
  g_assert_true (init);
  g_assert_true (console);
  g_assert_true (sched);
  g_assert_true (scen);
  g_assert_true (libc);
  g_assert_true (interp);
  g_assert_true (sock);
  g_unlink (out);

  /* A relative or multi-line socket path is refused, naming it. */
  spec.stats_socket = "run/stats";
  g_assert_false (sl_initramfs_build (&spec, out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "run/stats"));
  g_clear_error (&error);
  g_unlink (out);
  g_unlink (agent);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cpio/roundtrip", test_roundtrip);
  g_test_add_func ("/cpio/deterministic", test_deterministic);
  g_test_add_func ("/cpio/rejects-bad-names", test_rejects_bad_names);
  g_test_add_func ("/cpio/parse-damaged", test_parse_damaged);
  g_test_add_func ("/cpio/initramfs-with-libraries", test_initramfs);
  return g_test_run ();
}
