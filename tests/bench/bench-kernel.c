/* bench-kernel: figures for preparing a kernel image on the host.
 *
 *   bench-kernel [IMAGE]   (default: the cached default kernel's vmlinuz, else its vmlinux)
 *
 * Prints the payload decompression time, the .BTF check, the kallsyms recovery (median of
 * 5), loading the /proc/kallsyms-format file, and name/address lookup rates. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <bpf/btf.h>
#include <glib/gstdio.h>

#include "sl-kallsyms.h"
#include "sl-kernel.h"
#include "sl-kernel-image.h"

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / 1e6;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernel) k = NULL;
  const char *image = argc > 1 ? argv[1] : NULL;

  if (!image)
    {
      SlKernelOptions opts = { .offline = TRUE, .ignore_env = TRUE };
      k = sl_kernel_resolve ("default", &opts, NULL, NULL, NULL, &error);
      if (!k)
        {
          fprintf (stderr, "bench-kernel: %s\n", error->message);
          return 1;
        }
      image = k->bzimage ? k->bzimage : k->vmlinux;
    }

  g_autoptr(GMappedFile) mf = g_mapped_file_new (image, FALSE, &error);
  if (!mf)
    {
      fprintf (stderr, "bench-kernel: %s\n", error->message);
      return 1;
    }
  g_autoptr(GBytes) file = g_mapped_file_get_bytes (mf);

  double t0 = now_s ();
  g_autoptr(SlKernelImage) img = sl_kernel_image_load (file, &error);
  double t1 = now_s ();
  if (!img)
    {
      fprintf (stderr, "bench-kernel: %s\n", error->message);
      return 1;
    }
  gsize vn;
  const guint8 *vd = g_bytes_get_data (img->vmlinux, &vn);
  printf ("image:            %s (%" G_GSIZE_FORMAT " bytes, %s)\n", image, g_bytes_get_size (file),
          sl_compression_name (img->compression));
  printf ("version:          %s\n", img->version ? img->version : "unknown");
  printf ("decompress:       %.3f s -> %" G_GSIZE_FORMAT " bytes (%.0f MB/s)\n", t1 - t0, vn,
          (double) vn / 1e6 / MAX (t1 - t0, 1e-9));

  t0 = now_s ();
  g_autoptr(GBytes) raw = sl_elf_section (img->vmlinux, ".BTF", NULL, NULL);
  struct btf *btf = raw ? btf__new (g_bytes_get_data (raw, NULL), (guint32) g_bytes_get_size (raw)) : NULL;
  t1 = now_s ();
  printf ("BTF parse:        %.3f s (%" G_GSIZE_FORMAT " bytes, %u types)\n", t1 - t0,
          raw ? g_bytes_get_size (raw) : 0, btf ? btf__type_cnt (btf) - 1 : 0);
  btf__free (btf);

  double runs[5];
  g_autoptr(SlKallsyms) ks = NULL;
  for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
    {
      g_clear_pointer (&ks, sl_kallsyms_free);
      t0 = now_s ();
      ks = sl_kallsyms_decode_elf (vd, vn, &error);
      runs[r] = now_s () - t0;
      if (!ks)
        {
          fprintf (stderr, "bench-kernel: %s\n", error->message);
          return 1;
        }
    }
  qsort (runs, G_N_ELEMENTS (runs), sizeof runs[0], cmp_double);
  guint n = sl_kallsyms_count (ks);
  printf ("kallsyms decode:  %.3f s median of 5 (min %.3f, max %.3f), %u symbols\n", runs[2], runs[0], runs[4], n);

  g_autofree char *dir = g_dir_make_tmp ("bench-kernel-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kallsyms", NULL);
  t0 = now_s ();
  sl_kallsyms_save (ks, path, NULL);
  t1 = now_s ();
  g_autoptr(SlKallsyms) loaded = sl_kallsyms_load (path, NULL);
  double t2 = now_s ();
  printf ("kallsyms save:    %.3f s; load: %.3f s\n", t1 - t0, t2 - t1);
  g_unlink (path);
  g_rmdir (dir);

  const guint iters = 1000000;
  guint64 sink = 0, a;
  t0 = now_s ();
  for (guint i = 0; i < iters; i++)
    if (sl_kallsyms_lookup (ks, sl_kallsyms_name (ks, (i * 7919u) % n), &a))
      sink += a;
  t1 = now_s ();
  for (guint i = 0; i < iters; i++)
    {
      guint64 off;
      if (sl_kallsyms_symbolize (ks, sl_kallsyms_address (ks, (i * 7919u) % n) + 3, &off))
        sink += off;
    }
  t2 = now_s ();
  printf ("lookup:           %.0f ns per name->address, %.0f ns per address->name (sink %" G_GUINT64_FORMAT ")\n",
          (t1 - t0) * 1e9 / iters, (t2 - t1) * 1e9 / iters, sink & 1);
  return 0;
}
