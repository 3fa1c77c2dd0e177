/* sl-decompress.h: the compressions found in kernel images and Debian packages.
 *
 * One-shot buffer decompression (the bzImage payload) and a pull-style stream (the data
 * member of a .deb, which may be far larger than what we keep). Both stop at the end of
 * the first compressed stream and ignore what follows it, because the kernel appends its
 * uncompressed size as 4 trailing bytes after the payload. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SL_COMPRESSION_NONE,
  SL_COMPRESSION_GZIP,      /* 1f 8b */
  SL_COMPRESSION_XZ,        /* fd 37 7a 58 5a 00 */
  SL_COMPRESSION_LZMA,      /* 5d 00 00 (legacy .lzma "alone" format) */
  SL_COMPRESSION_ZSTD,      /* 28 b5 2f fd */
  SL_COMPRESSION_LZ4_LEGACY,/* 02 21 4c 18 (the kernel's lz4 -l framing) */
  SL_COMPRESSION_BZIP2,     /* "BZh": recognised, not supported */
  SL_COMPRESSION_LZO,       /* 89 "LZO": recognised, not supported */
  SL_COMPRESSION_UNKNOWN,
} SlCompression;

const char   *sl_compression_name (SlCompression c);   /* "gzip", "xz", "zstd", "lz4", ... */
SlCompression sl_compression_detect (const guint8 *data, gsize size);
/* Maps a file name suffix (".xz", ".zst", ".gz", "" ...) to a compression. */
SlCompression sl_compression_from_suffix (const char *name);

/* Decompresses the first stream in `data`. Output larger than `max_out` is an error
 * (SL_ERROR_TOO_LARGE). `consumed` (may be NULL) receives the input bytes the stream used. */
GBytes *sl_decompress (SlCompression c,
                       const guint8 *data,
                       gsize         size,
                       gsize         max_out,
                       gsize        *consumed,
                       GError      **error);

/* A pull decoder over an in-memory compressed buffer. */
typedef struct _SlDecoder SlDecoder;

SlDecoder *sl_decoder_new (SlCompression c, const guint8 *data, gsize size, GError **error);
/* Reads up to `len` bytes; returns the count, 0 at the end of the stream, -1 on error. */
gssize     sl_decoder_read (SlDecoder *dec, guint8 *buf, gsize len, GError **error);
void       sl_decoder_free (SlDecoder *dec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlDecoder, sl_decoder_free)

G_END_DECLS
