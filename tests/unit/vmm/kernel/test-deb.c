/* The ar + tar reader on Debian-package-shaped archives built here (ustar, GNU long names,
 * pax paths, ustar prefixes), with data.tar compressed by the real libraries. */
#include <stdio.h>
#include <string.h>

#include "kernel-test-util.h"
#include "sl-deb.h"
#include "sl-types.h"

/* --- a small tar writer --------------------------------------------------------------------- */

static void
pad512 (GByteArray *a)
{
  static const guint8 zero[512];
  if (a->len % 512)
    g_byte_array_append (a, zero, 512 - a->len % 512);
}

static void
tar_header (GByteArray *a, const char *name, const char *prefix, char type, gsize size, const char *link)
{
  guint8 h[512] = { 0 };
  g_assert_cmpuint (strlen (name), <=, 100);
  memcpy (h, name, strlen (name));
  memcpy (h + 100, "0000644", 8);
  memcpy (h + 108, "0000000", 8);
  memcpy (h + 116, "0000000", 8);
  g_snprintf ((char *) h + 124, 12, "%011lo", (unsigned long) size);
  memcpy (h + 136, "14762543210", 12);
  memset (h + 148, ' ', 8);
  h[156] = (guint8) type;
  if (link)
    memcpy (h + 157, link, strlen (link));
  memcpy (h + 257, "ustar", 6);
  memcpy (h + 263, "00", 2);
  if (prefix)
    memcpy (h + 345, prefix, strlen (prefix));
  guint sum = 0;
  for (guint i = 0; i < 512; i++)
    sum += h[i];
  g_snprintf ((char *) h + 148, 8, "%06o", sum);
  h[155] = ' ';
  g_byte_array_append (a, h, 512);
}

static void
tar_data (GByteArray *a, const void *data, gsize n)
{
  g_byte_array_append (a, data, (guint) n);
  pad512 (a);
}

static void
tar_file (GByteArray *a, const char *name, const void *data, gsize n)
{
  if (strlen (name) > 100)
    {
      tar_header (a, "././@LongLink", NULL, 'L', strlen (name) + 1, NULL);
      tar_data (a, name, strlen (name) + 1);
      g_autofree char *cut = g_strndup (name, 100);
      tar_header (a, cut, NULL, '0', n, NULL);
    }
  else
    tar_header (a, name, NULL, '0', n, NULL);
  tar_data (a, data, n);
}

static void
tar_pax_file (GByteArray *a, const char *path, const void *data, gsize n)
{
  /* "<len> path=<path>\n" where len counts the whole record, itself included. */
  g_autofree char *body = g_strdup_printf (" path=%s\n", path);
  gsize len = strlen (body) + 2;
  g_autofree char *rec = g_strdup_printf ("%" G_GSIZE_FORMAT "%s", len, body);
  if (strlen (rec) != len)
    {
      len++;
      g_free (rec);
      rec = g_strdup_printf ("%" G_GSIZE_FORMAT "%s", len, body);
    }
  g_assert_cmpuint (strlen (rec), ==, len);
  tar_header (a, "./PaxHeaders/x", NULL, 'x', len, NULL);
  tar_data (a, rec, len);
  tar_header (a, "short-pax-name", NULL, '0', n, NULL);
  tar_data (a, data, n);
}

static void
tar_end (GByteArray *a)
{
  static const guint8 zero[1024];
  g_byte_array_append (a, zero, 1024);
}

static void
ar_member (GByteArray *a, const char *name, GBytes *data)
{
  char h[61];
  g_snprintf (h, sizeof h, "%-16s%-12s%-6s%-6s%-8s%-10" G_GSIZE_MODIFIER "u`\n", name, "0", "0", "0", "100644",
              g_bytes_get_size (data));
  g_byte_array_append (a, (const guint8 *) h, 60);
  g_byte_array_append (a, g_bytes_get_data (data, NULL), (guint) g_bytes_get_size (data));
  if (g_bytes_get_size (data) & 1)
    g_byte_array_append (a, (const guint8 *) "\n", 1);
}

static const char long_dir[] =
  "./usr/lib/modules/1.2.3-a-rather-long-release-name-for-testing-long-names+deb99-cloud-amd64";

static guint8 vmlinuz_data[70001];

static GBytes *
make_data_tar (void)
{
  for (gsize i = 0; i < sizeof vmlinuz_data; i++)
    vmlinuz_data[i] = (guint8) (i * 7 + (i >> 9));
  GByteArray *t = g_byte_array_new ();
  tar_header (t, "./", NULL, '5', 0, NULL);
  tar_header (t, "./boot/", NULL, '5', 0, NULL);
  tar_file (t, "./boot/config-1.2.3", "CONFIG_HZ=300\n", 14);
  tar_file (t, "./usr/share/doc/linux/changelog", "unwanted", 8);
  tar_header (t, "./vmlinuz", NULL, '2', 0, "boot/vmlinuz-1.2.3");
  g_autofree char *long_name = g_strconcat (long_dir, "/vmlinuz", NULL);
  tar_file (t, long_name, vmlinuz_data, sizeof vmlinuz_data);
  tar_pax_file (t, "./usr/lib/modules/1.2.3/modules.order", "kernel/x.ko\n", 12);
  /* ustar prefix + name */
  tar_header (t, "System.map", "./usr/lib/modules/1.2.3", '0', 5, NULL);
  tar_data (t, "stub\n", 5);
  tar_end (t);
  return g_byte_array_free_to_bytes (t);
}

static GBytes *
make_deb (GBytes *tar, SlCompression c, const char *member)
{
  GByteArray *a = g_byte_array_new ();
  g_byte_array_append (a, (const guint8 *) "!<arch>\n", 8);
  g_autoptr(GBytes) ver = g_bytes_new_static ("2.0\n", 4);
  ar_member (a, "debian-binary", ver);
  g_autoptr(GBytes) odd = g_bytes_new_static ("odd", 3);   /* exercises ar's even padding */
  ar_member (a, "control.tar.xz", odd);
  g_autoptr(GBytes) packed = kt_compress (c, g_bytes_get_data (tar, NULL), g_bytes_get_size (tar), FALSE);
  ar_member (a, member, packed);
  return g_byte_array_free_to_bytes (a);
}

static gboolean
want_all_but_docs (const char *path, gpointer user_data)
{
  (*(guint *) user_data)++;
  return !g_str_has_prefix (path, "usr/share/doc/");
}

typedef struct {
  SlCompression c;
  const char   *member;
} Variant;

static const Variant variants[] = {
  { SL_COMPRESSION_XZ, "data.tar.xz" },
  { SL_COMPRESSION_ZSTD, "data.tar.zst" },
  { SL_COMPRESSION_GZIP, "data.tar.gz" },
  { SL_COMPRESSION_NONE, "data.tar" },
};

static void
test_extract (gconstpointer data)
{
  const Variant *v = data;
  g_autoptr(GBytes) tar = make_data_tar ();
  g_autoptr(GBytes) deb = make_deb (tar, v->c, v->member);
  guint asked = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) files = sl_deb_extract (g_bytes_get_data (deb, NULL), g_bytes_get_size (deb),
                                                want_all_but_docs, &asked, 1 << 20, &error);
  g_assert_no_error (error);
  /* 5 regular files offered (the symlink and directories are not). */
  g_assert_cmpuint (asked, ==, 5);
  g_assert_cmpuint (g_hash_table_size (files), ==, 4);

  GBytes *cfg = g_hash_table_lookup (files, "boot/config-1.2.3");
  g_assert_nonnull (cfg);
  g_assert_cmpmem (g_bytes_get_data (cfg, NULL), g_bytes_get_size (cfg), "CONFIG_HZ=300\n", 14);

  g_autofree char *long_name = g_strconcat (long_dir + 2, "/vmlinuz", NULL);
  GBytes *vz = g_hash_table_lookup (files, long_name);
  g_assert_nonnull (vz);
  g_assert_cmpmem (g_bytes_get_data (vz, NULL), g_bytes_get_size (vz), vmlinuz_data, sizeof vmlinuz_data);

  GBytes *pax = g_hash_table_lookup (files, "usr/lib/modules/1.2.3/modules.order");
  g_assert_nonnull (pax);
  g_assert_cmpmem (g_bytes_get_data (pax, NULL), g_bytes_get_size (pax), "kernel/x.ko\n", 12);

  GBytes *map = g_hash_table_lookup (files, "usr/lib/modules/1.2.3/System.map");
  g_assert_nonnull (map);
  g_assert_cmpmem (g_bytes_get_data (map, NULL), g_bytes_get_size (map), "stub\n", 5);

  g_assert_null (g_hash_table_lookup (files, "usr/share/doc/linux/changelog"));
}

static void
expect_error (GBytes *deb, gsize max_member, gint code, const char *needle)
{
  guint asked = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) files = sl_deb_extract (g_bytes_get_data (deb, NULL), g_bytes_get_size (deb),
                                                want_all_but_docs, &asked, max_member, &error);
  g_assert_null (files);
  g_assert_error (error, SL_ERROR, code);
  if (!strstr (error->message, needle))
    g_error ("expected \"%s\" in \"%s\"", needle, error->message);
}

static void
test_errors (void)
{
  g_autoptr(GBytes) tar = make_data_tar ();

  /* Member larger than allowed. */
  g_autoptr(GBytes) deb = make_deb (tar, SL_COMPRESSION_XZ, "data.tar.xz");
  expect_error (deb, 1000, SL_ERROR_TOO_LARGE, "vmlinuz");

  /* Corrupted header checksum (flip a byte of the first header's name). */
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (tar, NULL), g_bytes_get_size (tar));
  bad[1] = 'X';
  g_autoptr(GBytes) badtar = g_bytes_new (bad, g_bytes_get_size (tar));
  g_autoptr(GBytes) deb2 = make_deb (badtar, SL_COMPRESSION_NONE, "data.tar");
  expect_error (deb2, 1 << 20, SL_ERROR_CORRUPT, "checksum");

  /* A tar stream cut inside a file. */
  g_autoptr(GBytes) cut = g_bytes_new_from_bytes (tar, 0, 512 * 12 + 100);
  g_autoptr(GBytes) deb3 = make_deb (cut, SL_COMPRESSION_ZSTD, "data.tar.zst");
  expect_error (deb3, 1 << 20, SL_ERROR_CORRUPT, "ends inside");

  /* No data member. */
  g_autoptr(GBytes) deb4 = make_deb (tar, SL_COMPRESSION_XZ, "other.tar.xz");
  expect_error (deb4, 1 << 20, SL_ERROR_NOT_FOUND, "data.tar");

  /* bzip2 data member. */
  g_autoptr(GBytes) deb5 = make_deb (tar, SL_COMPRESSION_NONE, "data.tar.bz2");
  expect_error (deb5, 1 << 20, SL_ERROR_FAILED, "unsupported compression");

  /* A pax record whose length is shorter than its own header: rejected, never over-read.
   * The entry then keeps its plain name. */
  GByteArray *t = g_byte_array_new ();
  tar_header (t, "./PaxHeaders/y", NULL, 'x', 12, NULL);
  tar_data (t, "1 path=abcd\n", 12);
  tar_file (t, "./plain-name", "data", 4);
  tar_end (t);
  g_autoptr(GBytes) paxtar = g_byte_array_free_to_bytes (t);
  g_autoptr(GBytes) deb6 = make_deb (paxtar, SL_COMPRESSION_NONE, "data.tar");
  guint asked = 0;
  g_autoptr(GError) perr = NULL;
  g_autoptr(GHashTable) pfiles = sl_deb_extract (g_bytes_get_data (deb6, NULL), g_bytes_get_size (deb6),
                                                 want_all_but_docs, &asked, 1 << 20, &perr);
  g_assert_no_error (perr);
  g_assert_true (g_hash_table_contains (pfiles, "plain-name"));

  /* Not an ar archive. */
  g_autoptr(GBytes) notar = g_bytes_new_static ("PK\3\4 this is a zip", 19);
  expect_error (notar, 1 << 20, SL_ERROR_CORRUPT, "ar header");

  /* ar member size running past the end. */
  g_autofree guint8 *trunc = g_memdup2 (g_bytes_get_data (deb, NULL), 200);
  g_autoptr(GBytes) debt = g_bytes_new (trunc, 200);
  expect_error (debt, 1 << 20, SL_ERROR_CORRUPT, "bad size");
}

/* Deterministic random damage: every outcome is a table or a clean error, never a crash
 * or a read outside the buffer (the sanitizer build checks the latter). */
static void
test_mutations (void)
{
  g_autoptr(GBytes) tar = make_data_tar ();
  g_autoptr(GBytes) deb = make_deb (tar, SL_COMPRESSION_NONE, "data.tar");
  gsize n = g_bytes_get_size (deb);
  guint32 seed = 4242;
  guint ok = 0, failed = 0;
  for (guint round = 0; round < 400; round++)
    {
      g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (deb, NULL), n);
      for (guint k = 0; k < 1 + round % 6; k++)
        {
          seed = seed * 1664525u + 1013904223u;
          d[seed % (guint32) n] = (guint8) (seed >> 24);
        }
      gsize len = round % 5 == 0 ? (seed >> 8) % n : n;
      guint asked = 0;
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) files = sl_deb_extract (d, len, want_all_but_docs, &asked, 1 << 20, &error);
      if (files)
        ok++;
      else
        {
          g_assert_nonnull (error);
          failed++;
        }
    }
  /* Both outcomes happen: damage in file data goes unnoticed, damage in headers does not. */
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (failed, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kernel/deb/extract/%s", variants[i].member);
      g_test_add_data_func (path, &variants[i], test_extract);
    }
  g_test_add_func ("/kernel/deb/errors", test_errors);
  g_test_add_func ("/kernel/deb/mutations", test_mutations);
  return g_test_run ();
}
