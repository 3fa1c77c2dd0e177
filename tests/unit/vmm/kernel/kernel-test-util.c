/* kernel-test-util.c: synthetic kernels compressed with zlib, liblzma, libzstd and liblz4. */
#include "kernel-test-util.h"

#include <elf.h>
#include <string.h>
#include <zlib.h>
#include <lzma.h>
#include <zstd.h>
#include <lz4.h>
#include <glib/gstdio.h>

static void
append_le32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (a, b, 4);
}

static void
compress_gzip (GByteArray *out, const guint8 *data, gsize size)
{
  z_stream z = { 0 };
  g_assert_cmpint (deflateInit2 (&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
  gsize bound = deflateBound (&z, (uLong) size) + 64;
  guint old = out->len;
  g_byte_array_set_size (out, (guint) (old + bound));
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) size;
  z.next_out = out->data + old;
  z.avail_out = (uInt) bound;
  g_assert_cmpint (deflate (&z, Z_FINISH), ==, Z_STREAM_END);
  g_byte_array_set_size (out, (guint) (old + z.total_out));
  deflateEnd (&z);
}

static void
compress_lzma (GByteArray *out, const guint8 *data, gsize size, gboolean alone)
{
  lzma_stream s = LZMA_STREAM_INIT;
  if (alone)
    {
      lzma_options_lzma opt;
      g_assert_false (lzma_lzma_preset (&opt, 6));
      g_assert_cmpint (lzma_alone_encoder (&s, &opt), ==, LZMA_OK);
    }
  else
    g_assert_cmpint (lzma_easy_encoder (&s, 6, LZMA_CHECK_CRC32), ==, LZMA_OK);
  gsize bound = size + size / 2 + 65536;
  guint old = out->len;
  g_byte_array_set_size (out, (guint) (old + bound));
  s.next_in = data;
  s.avail_in = size;
  s.next_out = out->data + old;
  s.avail_out = bound;
  g_assert_cmpint (lzma_code (&s, LZMA_FINISH), ==, LZMA_STREAM_END);
  g_byte_array_set_size (out, (guint) (old + s.total_out));
  lzma_end (&s);
}

static void
compress_lz4_legacy (GByteArray *out, const guint8 *data, gsize size)
{
  const gsize block = 8u << 20;
  append_le32 (out, 0x184C2102u);
  for (gsize pos = 0; pos < size; pos += block)
    {
      int n = (int) MIN (block, size - pos);
      int bound = LZ4_compressBound (n);
      g_autofree char *tmp = g_malloc ((gsize) bound);
      int c = LZ4_compress_default ((const char *) data + pos, tmp, n, bound);
      g_assert_cmpint (c, >, 0);
      append_le32 (out, (guint32) c);
      g_byte_array_append (out, (const guint8 *) tmp, (guint) c);
    }
}

GBytes *
kt_compress (SlCompression c, const guint8 *data, gsize size, gboolean with_size)
{
  GByteArray *out = g_byte_array_new ();
  switch (c)
    {
    case SL_COMPRESSION_NONE:
      g_byte_array_append (out, data, (guint) size);
      break;
    case SL_COMPRESSION_GZIP:
      compress_gzip (out, data, size);
      break;
    case SL_COMPRESSION_XZ:
      compress_lzma (out, data, size, FALSE);
      break;
    case SL_COMPRESSION_LZMA:
      compress_lzma (out, data, size, TRUE);
      break;
    case SL_COMPRESSION_ZSTD:
      {
        gsize bound = ZSTD_compressBound (size);
        g_byte_array_set_size (out, (guint) bound);
        gsize n = ZSTD_compress (out->data, bound, data, size, 3);
        g_assert_false (ZSTD_isError (n));
        g_byte_array_set_size (out, (guint) n);
      }
      break;
    case SL_COMPRESSION_LZ4_LEGACY:
      compress_lz4_legacy (out, data, size);
      break;
    default:
      g_assert_not_reached ();
    }
  if (with_size)
    append_le32 (out, (guint32) size);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
kt_make_elf (guint16 machine, const char *text, gsize filler)
{
  Elf64_Ehdr eh = { 0 };
  memcpy (eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = machine;
  eh.e_version = EV_CURRENT;
  eh.e_ehsize = sizeof eh;

  GByteArray *a = g_byte_array_new ();
  g_byte_array_append (a, (const guint8 *) &eh, sizeof eh);
  if (text)
    g_byte_array_append (a, (const guint8 *) text, (guint) strlen (text) + 1);
  /* Words from a small LCG: compressible, but not trivially. */
  guint32 x = 12345;
  for (gsize i = 0; i < filler; i++)
    {
      x = x * 1103515245u + 12345u;
      guint8 b = (guint8) ((x >> 16) % 16 + 'a');
      g_byte_array_append (a, &b, 1);
    }
  return g_byte_array_free_to_bytes (a);
}

GBytes *
kt_make_bzimage (GBytes *payload)
{
  const guint setup_sects = 3;
  const guint32 payload_offset = 0x100;
  gsize pn;
  const guint8 *pd = g_bytes_get_data (payload, &pn);
  gsize start = (setup_sects + 1) * 512 + payload_offset;
  GByteArray *a = g_byte_array_new ();
  g_byte_array_set_size (a, (guint) (start + pn + 64));
  memset (a->data, 0, a->len);
  a->data[0x1f1] = setup_sects;
  memcpy (a->data + 0x202, "HdrS", 4);
  a->data[0x206] = 0x0f;   /* boot protocol 2.15 */
  a->data[0x207] = 0x02;
  guint32 v = GUINT32_TO_LE (payload_offset);
  memcpy (a->data + 0x248, &v, 4);
  v = GUINT32_TO_LE ((guint32) pn);
  memcpy (a->data + 0x24c, &v, 4);
  memcpy (a->data + start, pd, pn);
  return g_byte_array_free_to_bytes (a);
}
