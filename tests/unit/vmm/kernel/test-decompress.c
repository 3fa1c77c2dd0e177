/* Decompressors, the bzImage payload finder and the vmlinux checks, on synthetic kernels
 * compressed with the real libraries. */
#include <elf.h>
#include <string.h>

#include "kernel-test-util.h"
#include "sl-decompress.h"
#include "sl-kernel-image.h"
#include "sl-types.h"

static const SlCompression formats[] = {
  SL_COMPRESSION_GZIP, SL_COMPRESSION_XZ, SL_COMPRESSION_LZMA, SL_COMPRESSION_ZSTD, SL_COMPRESSION_LZ4_LEGACY,
};

static const char banner[] = "Linux version 9.8.7-test (builder@example) (gcc 12) #1 SMP";

static void
test_roundtrip (gconstpointer data)
{
  SlCompression c = GPOINTER_TO_INT (data);
  /* lz4's legacy frame splits into 8 MiB blocks: go past one block boundary. */
  gsize filler = c == SL_COMPRESSION_LZ4_LEGACY ? (9u << 20) : 300000;
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, filler);
  g_autoptr(GBytes) packed = kt_compress (c, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), TRUE);
  gsize pn;
  const guint8 *pd = g_bytes_get_data (packed, &pn);

  g_assert_cmpint (sl_compression_detect (pd, pn), ==, c);
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  g_autoptr(GBytes) out = sl_decompress (c, pd, pn, 64u << 20, &consumed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, elf));
  /* The stream ends before the 4-byte size trailer. */
  g_assert_cmpuint (consumed, <=, pn - 4);
  g_assert_cmpuint (consumed, >, pn / 2);
}

static void
test_truncated (gconstpointer data)
{
  SlCompression c = GPOINTER_TO_INT (data);
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 200000);
  g_autoptr(GBytes) packed = kt_compress (c, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = sl_decompress (c, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed) / 2,
                                         64u << 20, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
}

static void
test_corrupt_gzip (void)
{
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 50000);
  g_autoptr(GBytes) packed = kt_compress (SL_COMPRESSION_GZIP, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), FALSE);
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
  for (gsize i = 20; i < 60; i++)
    bad[i] ^= 0x5a;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = sl_decompress (SL_COMPRESSION_GZIP, bad, g_bytes_get_size (packed), 64u << 20, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
}

static void
test_limit (void)
{
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 100000);
  g_autoptr(GBytes) packed = kt_compress (SL_COMPRESSION_ZSTD, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = sl_decompress (SL_COMPRESSION_ZSTD, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed),
                                         4096, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);

  /* Exactly the size is still fine. */
  g_clear_error (&error);
  out = sl_decompress (SL_COMPRESSION_ZSTD, g_bytes_get_data (packed, NULL), g_bytes_get_size (packed),
                       g_bytes_get_size (elf), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, elf));
}

static void
test_detect (void)
{
  g_assert_cmpint (sl_compression_detect ((const guint8 *) "BZh91AY", 7), ==, SL_COMPRESSION_BZIP2);
  g_assert_cmpint (sl_compression_detect ((const guint8 *) "\x89LZO\0", 5), ==, SL_COMPRESSION_LZO);
  g_assert_cmpint (sl_compression_detect ((const guint8 *) "hello", 5), ==, SL_COMPRESSION_UNKNOWN);
  g_assert_cmpint (sl_compression_detect ((const guint8 *) "\x1f", 1), ==, SL_COMPRESSION_UNKNOWN);
  g_assert_cmpint (sl_compression_from_suffix ("data.tar.zst"), ==, SL_COMPRESSION_ZSTD);
  g_assert_cmpint (sl_compression_from_suffix ("data.tar.xz"), ==, SL_COMPRESSION_XZ);
  g_assert_cmpint (sl_compression_from_suffix ("data.tar.gz"), ==, SL_COMPRESSION_GZIP);
  g_assert_cmpint (sl_compression_from_suffix ("data.tar"), ==, SL_COMPRESSION_NONE);
  g_assert_cmpstr (sl_compression_name (SL_COMPRESSION_LZ4_LEGACY), ==, "lz4");
}

static void
test_bzimage (gconstpointer data)
{
  SlCompression c = GPOINTER_TO_INT (data);
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 100000);
  g_autoptr(GBytes) packed = kt_compress (c, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), TRUE);
  g_autoptr(GBytes) bz = kt_make_bzimage (packed);

  gsize off, len;
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_bzimage_payload (g_bytes_get_data (bz, NULL), g_bytes_get_size (bz), &off, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (off, ==, 4 * 512 + 0x100);
  g_assert_cmpuint (len, ==, g_bytes_get_size (packed));

  g_autoptr(SlKernelImage) img = sl_kernel_image_load (bz, &error);
  g_assert_no_error (error);
  g_assert_true (img->was_bzimage);
  g_assert_cmpint (img->compression, ==, c);
  g_assert_true (g_bytes_equal (img->vmlinux, elf));
  g_assert_cmpstr (img->version, ==, "9.8.7-test");
  g_assert_cmpstr (img->banner, ==, banner);
}

static void
test_plain_vmlinux (void)
{
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 1000);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernelImage) img = sl_kernel_image_load (elf, &error);
  g_assert_no_error (error);
  g_assert_false (img->was_bzimage);
  g_assert_cmpint (img->compression, ==, SL_COMPRESSION_NONE);
  g_assert_cmpstr (img->version, ==, "9.8.7-test");
  g_assert_null (img->build_id);   /* no notes in this ELF */
}

static void
expect_load_error (GBytes *file, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernelImage) img = sl_kernel_image_load (file, &error);
  g_assert_null (img);
  g_assert_nonnull (error);
  if (!strstr (error->message, needle))
    g_error ("expected \"%s\" in \"%s\"", needle, error->message);
}

static void
test_image_errors (void)
{
  /* Not x86-64. */
  g_autoptr(GBytes) arm = kt_make_elf (EM_AARCH64, banner, 100);
  expect_load_error (arm, "not x86-64");

  /* A compressed non-ELF. */
  g_autoptr(GBytes) text = kt_make_elf (EM_X86_64, NULL, 5000);
  g_autoptr(GBytes) junk = g_bytes_new_from_bytes (text, 64, 4000);
  g_autoptr(GBytes) pj = kt_compress (SL_COMPRESSION_GZIP, g_bytes_get_data (junk, NULL), 4000, TRUE);
  g_autoptr(GBytes) bzj = kt_make_bzimage (pj);
  expect_load_error (bzj, "not an ELF");

  /* Random bytes. */
  g_autoptr(GBytes) rnd = g_bytes_new_static ("not a kernel at all, just some text padding it out....", 54);
  expect_load_error (rnd, "not a bzImage");

  /* bzip2 is recognised but unsupported. */
  g_autoptr(GBytes) bz2 = g_bytes_new_static ("BZh91AY&SYxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 40);
  g_autoptr(GBytes) bzb = kt_make_bzimage (bz2);
  expect_load_error (bzb, "unsupported compression");

  /* The size trailer disagrees with the payload (a truncated or altered image). */
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 20000);
  g_autoptr(GBytes) packed = kt_compress (SL_COMPRESSION_LZ4_LEGACY, g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), FALSE);
  GByteArray *a = g_byte_array_new ();
  g_byte_array_append (a, g_bytes_get_data (packed, NULL), (guint) g_bytes_get_size (packed));
  guint32 wrong = GUINT32_TO_LE ((guint32) g_bytes_get_size (elf) + 100);
  g_byte_array_append (a, (const guint8 *) &wrong, 4);
  g_autoptr(GBytes) bad_trailer = g_byte_array_free_to_bytes (a);
  g_autoptr(GBytes) bzt = kt_make_bzimage (bad_trailer);
  expect_load_error (bzt, "size trailer");

  /* Header pointing outside the file. */
  g_autoptr(GBytes) good = kt_make_bzimage (packed);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  guint32 huge = GUINT32_TO_LE (0x7fffffff);
  memcpy (copy + 0x24c, &huge, 4);
  g_autoptr(GBytes) outside = g_bytes_new (copy, g_bytes_get_size (good));
  expect_load_error (outside, "outside");
}

static void
test_ikconfig (void)
{
  const char *config = "CONFIG_HZ=1000\nCONFIG_SCHED_CLASS_EXT=y\n# CONFIG_FOO is not set\n";
  g_autoptr(GBytes) gz = kt_compress (SL_COMPRESSION_GZIP, (const guint8 *) config, strlen (config), FALSE);
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 1000);
  GByteArray *a = g_byte_array_new ();
  g_byte_array_append (a, g_bytes_get_data (elf, NULL), (guint) g_bytes_get_size (elf));
  g_byte_array_append (a, (const guint8 *) "IKCFG_ST", 8);
  g_byte_array_append (a, g_bytes_get_data (gz, NULL), (guint) g_bytes_get_size (gz));
  g_byte_array_append (a, (const guint8 *) "IKCFG_ED", 8);
  g_autoptr(GBytes) with = g_byte_array_free_to_bytes (a);

  g_autofree char *got = sl_kernel_image_ikconfig (with);
  g_assert_cmpstr (got, ==, config);
  g_autofree char *none = sl_kernel_image_ikconfig (elf);
  g_assert_null (none);
}

/* Deterministic random damage to compressed payloads and bzImage headers: a clean error
 * or a valid ELF, never a crash. */
static void
test_mutations (void)
{
  g_autoptr(GBytes) elf = kt_make_elf (EM_X86_64, banner, 30000);
  guint32 seed = 77;
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autoptr(GBytes) packed = kt_compress (formats[f], g_bytes_get_data (elf, NULL), g_bytes_get_size (elf), TRUE);
      g_autoptr(GBytes) bz = kt_make_bzimage (packed);
      gsize n = g_bytes_get_size (bz);
      for (guint round = 0; round < 60; round++)
        {
          g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (bz, NULL), n);
          for (guint k = 0; k < 1 + round % 4; k++)
            {
              seed = seed * 1664525u + 1013904223u;
              /* half of the hits land in the boot header, half in the payload */
              gsize at = round % 2 ? 0x1f0 + seed % 0x70 : 4 * 512 + 0x100 + seed % (guint32) g_bytes_get_size (packed);
              d[at] = (guint8) (seed >> 24);
            }
          g_autoptr(GBytes) mutated = g_bytes_new_take (g_steal_pointer (&d), n);
          g_autoptr(GError) error = NULL;
          g_autoptr(SlKernelImage) img = sl_kernel_image_load (mutated, &error);
          if (img)
            g_assert_true (sl_elf_check_x86_64 (g_bytes_get_data (img->vmlinux, NULL),
                                                g_bytes_get_size (img->vmlinux), NULL));
          else
            g_assert_nonnull (error);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const char *name = sl_compression_name (formats[i]);
      g_autofree char *p1 = g_strdup_printf ("/kernel/decompress/roundtrip/%s", name);
      g_autofree char *p2 = g_strdup_printf ("/kernel/bzimage/payload/%s", name);
      g_test_add_data_func (p1, GINT_TO_POINTER (formats[i]), test_roundtrip);
      g_test_add_data_func (p2, GINT_TO_POINTER (formats[i]), test_bzimage);
      if (formats[i] != SL_COMPRESSION_LZ4_LEGACY)   /* lz4 ends at a short block: see image errors */
        {
          g_autofree char *p3 = g_strdup_printf ("/kernel/decompress/truncated/%s", name);
          g_test_add_data_func (p3, GINT_TO_POINTER (formats[i]), test_truncated);
        }
    }
  g_test_add_func ("/kernel/decompress/corrupt-gzip", test_corrupt_gzip);
  g_test_add_func ("/kernel/decompress/limit", test_limit);
  g_test_add_func ("/kernel/decompress/detect", test_detect);
  g_test_add_func ("/kernel/bzimage/plain-vmlinux", test_plain_vmlinux);
  g_test_add_func ("/kernel/bzimage/errors", test_image_errors);
  g_test_add_func ("/kernel/bzimage/ikconfig", test_ikconfig);
  g_test_add_func ("/kernel/bzimage/mutations", test_mutations);
  return g_test_run ();
}
