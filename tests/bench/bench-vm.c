/* bench-vm.c: boot-to-init time and freeze duration of our VM path, measured in
 * the same run next to a bare `qemu -kernel` boot of the same kernel with a
 * trivial init. Prints medians and p90s; never run as a test.
 *
 *   bench-vm [--runs N] [--kernel SPEC] */
#include "sl-cpio.h"
#include "sl-kernel.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return (x > y) - (x < y);
}

static void
print_stats (const char *what, const char *unit, GArray *v)
{
  if (v->len == 0)
    {
      printf ("%-44s no data\n", what);
      return;
    }
  g_array_sort (v, cmp_u64);
  guint64 med = g_array_index (v, guint64, v->len / 2);
  guint64 p90 = g_array_index (v, guint64, MIN (v->len - 1, (v->len * 9 + 9) / 10 - 1));
  printf ("%-44s median %6" G_GUINT64_FORMAT " %s   p90 %6" G_GUINT64_FORMAT " %s   (n=%u)\n",
          what, med, unit, p90, unit, v->len);
}

typedef struct {
  gint64   spawn_us;
  gint64   marker_us;
  guint64  guest_ms;
  gboolean done;
} Bare;

static void
bare_line (GObject *src, GAsyncResult *res, gpointer data)
{
  Bare *b = data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (src), res, NULL, NULL);
  if (line == NULL)
    {
      b->done = TRUE;
      return;
    }
  const char *m = strstr (line, "TRIVIAL-INIT-UP ");
  if (m != NULL && b->marker_us == 0)
    {
      b->marker_us = g_get_monotonic_time ();
      b->guest_ms = g_ascii_strtoull (m + 16, NULL, 10);
    }
  g_data_input_stream_read_line_async (G_DATA_INPUT_STREAM (src), G_PRIORITY_DEFAULT, NULL, bare_line, b);
}

static gboolean
bare_boot (const char *vmlinux, const char *initrd, guint64 *host_ms, guint64 *guest_ms)
{
  const char *argv[] = { "qemu-system-x86_64", "-accel", "tcg", "-smp", "2", "-m", "1024", "-display", "none",
                         "-serial", "stdio", "-no-reboot", "-kernel", vmlinux, "-initrd", initrd,
                         "-append", "console=ttyS0 panic=-1", NULL };
  g_autoptr(GError) error = NULL;
  Bare b = { .spawn_us = g_get_monotonic_time () };
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  if (p == NULL)
    {
      g_printerr ("bare qemu: %s\n", error->message);
      return FALSE;
    }
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL, bare_line, &b);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (!b.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!b.done)
    g_subprocess_force_exit (p);
  g_subprocess_wait (p, NULL, NULL);
  if (b.marker_us == 0)
    return FALSE;
  *host_ms = (guint64) (b.marker_us - b.spawn_us) / 1000;
  *guest_ms = b.guest_ms;
  return TRUE;
}

static gboolean
write_trivial_initrd (const char *path, GError **error)
{
  g_autoptr(GFile) f = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (f, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;
  g_autoptr(SlCpioWriter) w = sl_cpio_writer_new (G_OUTPUT_STREAM (out));
  return sl_cpio_writer_add_dir (w, "dev", 0755, error)
         && sl_cpio_writer_add_chardev (w, "dev/console", 0600, 5, 1, error)
         && sl_cpio_writer_add_file_from_path (w, "init", 0755, SL_TRIVIAL_INIT_PATH, error)
         && sl_cpio_writer_finish (w, error)
         && g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

int
main (int argc, char **argv)
{
  int runs = 3;
  g_autofree char *kernel = NULL;
  GOptionEntry entries[] = {
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Boots per configuration (default 3)", "N" },
    { "kernel", 'k', 0, G_OPTION_ARG_STRING, &kernel, "Kernel spec (default: default)", "SPEC" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- VM boot and freeze figures");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || runs < 1 || runs > 50)
    {
      g_printerr ("bench-vm: %s\n", error ? error->message : "--runs must be 1..50");
      return 64;
    }
  SlKernelOptions kopts = { 0 };
  g_autoptr(SlKernel) k = sl_kernel_resolve (kernel ? kernel : "default", &kopts, NULL, NULL, NULL, &error);
  if (k == NULL)
    {
      g_printerr ("bench-vm: kernel: %s\n", error->message);
      return 70;
    }
  g_autoptr(SlScenario) sc = sl_scenario_load_builtin ("steady", &error);
  g_autofree char *dir = g_dir_make_tmp ("sl-bench-XXXXXX", &error);
  g_autofree char *initrd = g_build_filename (dir, "trivial.cpio", NULL);
  g_autofree char *out = g_build_filename (dir, "bench.slrun", NULL);
  if (!write_trivial_initrd (initrd, &error))
    {
      g_printerr ("bench-vm: %s\n", error->message);
      return 70;
    }
  g_autoptr(GArray) ours_host = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) ours_guest = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) freeze = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) bare_host = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) bare_guest = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree char *load = NULL;
  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("kernel %s, TCG, 2 vCPUs, %d runs each, load average at start: %s", k->version, runs, load ? load : "?\n");

  for (int i = 0; i < runs; i++)
    {
      /* Alternate the two configurations so host load affects both alike. */
      SlRunnerConfig cfg = {
        .vmlinux = k->vmlinux, .kernel_version = k->version, .kernel_hz = k->hz,
        .topology = { 1, 1, 2, 1 }, .memory_mb = 1024, .accel = SL_ACCEL_TCG,
        .scenario = sc, .duration_ms = 3000, .snapshots = 10, .timeout_s = 180, .output = out,
      };
      g_autoptr(SlRunner) r = sl_runner_new (&cfg);
      if (sl_runner_run (r, &error) && g_strcmp0 (sl_runner_get_end_reason (r), "finished") == 0)
        {
          guint64 h = sl_runner_get_host_boot_ms (r), g = sl_runner_get_guest_boot_ms (r);
          g_array_append_val (ours_host, h);
          g_array_append_val (ours_guest, g);
          const GArray *f = sl_runner_get_freeze_us (r);
          g_array_append_vals (freeze, f->data, f->len);
        }
      else
        g_printerr ("run %d (ours): %s\n", i, error ? error->message : sl_runner_get_end_reason (r));
      g_clear_error (&error);
      guint64 bh, bg;
      if (bare_boot (k->vmlinux, initrd, &bh, &bg))
        {
          g_array_append_val (bare_host, bh);
          g_array_append_val (bare_guest, bg);
        }
      else
        g_printerr ("run %d (bare): no init marker\n", i);
    }
  print_stats ("ours: QEMU start -> agent's first message", "ms", ours_host);
  print_stats ("ours: guest CLOCK_BOOTTIME at agent start", "ms", ours_guest);
  print_stats ("bare qemu -kernel: QEMU start -> init marker", "ms", bare_host);
  print_stats ("bare qemu -kernel: guest CLOCK_BOOTTIME at init", "ms", bare_guest);
  print_stats ("ours: freeze (QMP stop -> vCPU times -> cont)", "us", freeze);
  g_unlink (out);
  g_unlink (initrd);
  g_rmdir (dir);
  return 0;
}
