/* sl-decompress.c: gzip (zlib), xz and lzma (liblzma), zstd (libzstd) and the legacy lz4
 * framing (liblz4 block API) behind one pull interface. */
#include "sl-decompress.h"
#include "sl-types.h"

#include <string.h>
#include <zlib.h>
#include <lzma.h>
#include <zstd.h>
#include <lz4.h>

#define LZ4_LEGACY_MAGIC 0x184C2102u
#define LZ4_LEGACY_BLOCK (8u << 20)   /* the legacy format's fixed maximum block size */

struct _SlDecoder {
  SlCompression c;
  const guint8 *in;
  gsize         in_size;
  gsize         in_pos;
  gboolean      done;
  z_stream      z;
  gboolean      z_init;
  lzma_stream   x;
  gboolean      x_init;
  ZSTD_DStream *zs;
  guint8       *blk;          /* lz4: the current decoded block */
  gsize         blk_len;
  gsize         blk_pos;
};

const char *
sl_compression_name (SlCompression c)
{
  switch (c)
    {
    case SL_COMPRESSION_NONE: return "none";
    case SL_COMPRESSION_GZIP: return "gzip";
    case SL_COMPRESSION_XZ: return "xz";
    case SL_COMPRESSION_LZMA: return "lzma";
    case SL_COMPRESSION_ZSTD: return "zstd";
    case SL_COMPRESSION_LZ4_LEGACY: return "lz4";
    case SL_COMPRESSION_BZIP2: return "bzip2";
    case SL_COMPRESSION_LZO: return "lzo";
    case SL_COMPRESSION_UNKNOWN: default: return "unknown";
    }
}

SlCompression
sl_compression_detect (const guint8 *d, gsize n)
{
  if (n >= 2 && d[0] == 0x1f && d[1] == 0x8b)
    return SL_COMPRESSION_GZIP;
  if (n >= 6 && memcmp (d, "\xfd" "7zXZ\0", 6) == 0)
    return SL_COMPRESSION_XZ;
  if (n >= 4 && memcmp (d, "\x28\xb5\x2f\xfd", 4) == 0)
    return SL_COMPRESSION_ZSTD;
  if (n >= 4 && memcmp (d, "\x02\x21\x4c\x18", 4) == 0)
    return SL_COMPRESSION_LZ4_LEGACY;
  if (n >= 3 && d[0] == 0x5d && d[1] == 0 && d[2] == 0)
    return SL_COMPRESSION_LZMA;
  if (n >= 3 && memcmp (d, "BZh", 3) == 0)
    return SL_COMPRESSION_BZIP2;
  if (n >= 4 && memcmp (d, "\x89LZO", 4) == 0)
    return SL_COMPRESSION_LZO;
  return SL_COMPRESSION_UNKNOWN;
}

SlCompression
sl_compression_from_suffix (const char *name)
{
  if (g_str_has_suffix (name, ".xz"))
    return SL_COMPRESSION_XZ;
  if (g_str_has_suffix (name, ".zst"))
    return SL_COMPRESSION_ZSTD;
  if (g_str_has_suffix (name, ".gz"))
    return SL_COMPRESSION_GZIP;
  if (g_str_has_suffix (name, ".lzma"))
    return SL_COMPRESSION_LZMA;
  if (g_str_has_suffix (name, ".bz2"))
    return SL_COMPRESSION_BZIP2;
  if (g_str_has_suffix (name, ".tar"))
    return SL_COMPRESSION_NONE;
  return SL_COMPRESSION_UNKNOWN;
}

SlDecoder *
sl_decoder_new (SlCompression c, const guint8 *data, gsize size, GError **error)
{
  g_return_val_if_fail (data != NULL || size == 0, NULL);

  g_autoptr(SlDecoder) dec = g_new0 (SlDecoder, 1);
  dec->c = c;
  dec->in = data;
  dec->in_size = size;

  switch (c)
    {
    case SL_COMPRESSION_NONE:
      break;
    case SL_COMPRESSION_GZIP:
      /* 15 + 32: zlib or gzip header, detected automatically. */
      if (inflateInit2 (&dec->z, 15 + 32) != Z_OK)
        goto nomem;
      dec->z_init = TRUE;
      break;
    case SL_COMPRESSION_XZ:
    case SL_COMPRESSION_LZMA:
      {
        lzma_stream init = LZMA_STREAM_INIT;
        lzma_ret r;
        dec->x = init;
        r = c == SL_COMPRESSION_XZ ? lzma_stream_decoder (&dec->x, UINT64_MAX, 0)
                                   : lzma_alone_decoder (&dec->x, UINT64_MAX);
        if (r != LZMA_OK)
          goto nomem;
        dec->x_init = TRUE;
      }
      break;
    case SL_COMPRESSION_ZSTD:
      dec->zs = ZSTD_createDStream ();
      if (!dec->zs || ZSTD_isError (ZSTD_initDStream (dec->zs)))
        goto nomem;
      break;
    case SL_COMPRESSION_LZ4_LEGACY:
      if (size < 4 || GUINT32_FROM_LE (*(const guint32 *) (const void *) data) != LZ4_LEGACY_MAGIC)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "lz4: missing legacy frame magic");
          return NULL;
        }
      dec->in_pos = 4;
      dec->blk = g_malloc (LZ4_LEGACY_BLOCK);
      break;
    default:
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unsupported compression: %s",
                   sl_compression_name (c));
      return NULL;
    }
  return g_steal_pointer (&dec);

nomem:
  g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "%s: cannot initialise the decoder",
               sl_compression_name (c));
  return NULL;
}

static gboolean
truncated (SlDecoder *dec, GError **error)
{
  g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
               "%s: compressed data ends early (at input byte %" G_GSIZE_FORMAT ")",
               sl_compression_name (dec->c), dec->in_pos);
  return FALSE;
}

/* One step of the lz4 legacy framing: decode the next block, or notice the end. */
static gboolean
lz4_next_block (SlDecoder *dec, GError **error)
{
  for (;;)
    {
      if (dec->in_size - dec->in_pos < 4)
        {
          dec->done = TRUE;
          return TRUE;
        }
      guint32 len;
      memcpy (&len, dec->in + dec->in_pos, 4);
      len = GUINT32_FROM_LE (len);
      if (len == LZ4_LEGACY_MAGIC)      /* concatenated legacy streams */
        {
          dec->in_pos += 4;
          continue;
        }
      /* Anything that does not fit is the kernel's trailing size word (or the end). */
      if (len == 0 || len > dec->in_size - dec->in_pos - 4 || len > (guint32) LZ4_compressBound (LZ4_LEGACY_BLOCK))
        {
          dec->done = TRUE;
          return TRUE;
        }
      int out = LZ4_decompress_safe ((const char *) dec->in + dec->in_pos + 4, (char *) dec->blk,
                                     (int) len, LZ4_LEGACY_BLOCK);
      if (out < 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                       "lz4: corrupt block at input byte %" G_GSIZE_FORMAT, dec->in_pos);
          return FALSE;
        }
      dec->in_pos += 4 + (gsize) len;
      dec->blk_len = (gsize) out;
      dec->blk_pos = 0;
      return TRUE;
    }
}

gssize
sl_decoder_read (SlDecoder *dec, guint8 *buf, gsize len, GError **error)
{
  g_return_val_if_fail (dec != NULL, -1);

  if (len == 0)
    return 0;
  len = MIN (len, (gsize) G_MAXINT32);

  while (!dec->done)
    {
      gsize produced = 0;

      switch (dec->c)
        {
        case SL_COMPRESSION_NONE:
          produced = MIN (len, dec->in_size - dec->in_pos);
          memcpy (buf, dec->in + dec->in_pos, produced);
          dec->in_pos += produced;
          if (dec->in_pos == dec->in_size)
            dec->done = TRUE;
          break;

        case SL_COMPRESSION_GZIP:
          {
            gsize avail = MIN (dec->in_size - dec->in_pos, (gsize) G_MAXUINT32);
            dec->z.next_in = (Bytef *) dec->in + dec->in_pos;
            dec->z.avail_in = (uInt) avail;
            dec->z.next_out = buf;
            dec->z.avail_out = (uInt) len;
            int r = inflate (&dec->z, Z_NO_FLUSH);
            dec->in_pos += avail - dec->z.avail_in;
            produced = len - dec->z.avail_out;
            if (r == Z_STREAM_END)
              dec->done = TRUE;
            else if (r == Z_BUF_ERROR && produced == 0)
              return truncated (dec, error) ? 0 : -1;
            else if (r != Z_OK && r != Z_BUF_ERROR)
              {
                g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "gzip: %s at input byte %" G_GSIZE_FORMAT,
                             dec->z.msg ? dec->z.msg : "corrupt data", dec->in_pos);
                return -1;
              }
          }
          break;

        case SL_COMPRESSION_XZ:
        case SL_COMPRESSION_LZMA:
          {
            gsize avail = dec->in_size - dec->in_pos;
            dec->x.next_in = dec->in + dec->in_pos;
            dec->x.avail_in = avail;
            dec->x.next_out = buf;
            dec->x.avail_out = len;
            lzma_ret r = lzma_code (&dec->x, avail == 0 ? LZMA_FINISH : LZMA_RUN);
            dec->in_pos += avail - dec->x.avail_in;
            produced = len - dec->x.avail_out;
            if (r == LZMA_STREAM_END)
              dec->done = TRUE;
            else if (r == LZMA_BUF_ERROR && produced == 0)
              return truncated (dec, error) ? 0 : -1;
            else if (r != LZMA_OK && r != LZMA_BUF_ERROR)
              {
                g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: corrupt data (code %d) at input byte %" G_GSIZE_FORMAT,
                             sl_compression_name (dec->c), (int) r, dec->in_pos);
                return -1;
              }
          }
          break;

        case SL_COMPRESSION_ZSTD:
          {
            ZSTD_inBuffer in = { dec->in, dec->in_size, dec->in_pos };
            ZSTD_outBuffer out = { buf, len, 0 };
            size_t r = ZSTD_decompressStream (dec->zs, &out, &in);
            if (ZSTD_isError (r))
              {
                g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "zstd: %s at input byte %" G_GSIZE_FORMAT,
                             ZSTD_getErrorName (r), dec->in_pos);
                return -1;
              }
            gboolean stalled = in.pos == dec->in_pos && out.pos == 0;
            dec->in_pos = in.pos;
            produced = out.pos;
            /* r == 0: the frame is complete and fully flushed; what follows is not ours. */
            if (r == 0)
              dec->done = TRUE;
            else if (stalled && dec->in_pos == dec->in_size)
              return truncated (dec, error) ? 0 : -1;
          }
          break;

        case SL_COMPRESSION_LZ4_LEGACY:
          if (dec->blk_pos == dec->blk_len)
            {
              if (!lz4_next_block (dec, error))
                return -1;
              continue;
            }
          produced = MIN (len, dec->blk_len - dec->blk_pos);
          memcpy (buf, dec->blk + dec->blk_pos, produced);
          dec->blk_pos += produced;
          break;

        default:
          g_assert_not_reached ();
        }

      if (produced > 0)
        return (gssize) produced;
    }
  return 0;
}

void
sl_decoder_free (SlDecoder *dec)
{
  if (!dec)
    return;
  if (dec->z_init)
    inflateEnd (&dec->z);
  if (dec->x_init)
    lzma_end (&dec->x);
  if (dec->zs)
    ZSTD_freeDStream (dec->zs);
  g_free (dec->blk);
  g_free (dec);
}

GBytes *
sl_decompress (SlCompression c, const guint8 *data, gsize size, gsize max_out,
               gsize *consumed, GError **error)
{
  g_return_val_if_fail (data != NULL || size == 0, NULL);

  g_autoptr(SlDecoder) dec = sl_decoder_new (c, data, size, error);
  if (!dec)
    return NULL;

  /* GByteArray lengths are guint. */
  max_out = MIN (max_out, (gsize) G_MAXUINT32 - ((gsize) 1 << 21));
  g_autoptr(GByteArray) out = g_byte_array_sized_new (MIN (max_out, MAX (size * 4, (gsize) 1 << 16)));
  const gsize chunk = 1 << 20;
  for (;;)
    {
      gsize old = out->len;
      if (old >= max_out)
        {
          /* Probe for one more byte: exactly max_out bytes is still fine. */
          guint8 probe;
          gssize n = sl_decoder_read (dec, &probe, 1, error);
          if (n < 0)
            return NULL;
          if (n == 0)
            break;
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE,
                       "%s: decompressed data exceeds %" G_GSIZE_FORMAT " bytes",
                       sl_compression_name (c), max_out);
          return NULL;
        }
      gsize want = MIN (chunk, max_out - old);
      g_byte_array_set_size (out, (guint) (old + want));
      gssize n = sl_decoder_read (dec, out->data + old, want, error);
      if (n < 0)
        return NULL;
      g_byte_array_set_size (out, (guint) (old + (gsize) n));
      if (n == 0)
        break;
    }
  if (consumed)
    *consumed = dec->in_pos;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
