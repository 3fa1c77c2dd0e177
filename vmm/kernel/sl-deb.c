/* sl-deb.c: ar and tar readers for Debian packages (ustar, GNU long names, pax paths). */
#include "sl-deb.h"
#include "sl-types.h"

#include <string.h>

#define TAR_BLOCK 512
#define TAR_LONGNAME_MAX 4096
#define TAR_PAX_MAX (1 << 20)
#define TAR_MAX_ENTRIES 1000000

gboolean
sl_ar_find (const guint8 *ar, gsize size, const char *prefix,
            char **name, const guint8 **data, gsize *length, GError **error)
{
  g_return_val_if_fail (ar != NULL || size == 0, FALSE);
  g_return_val_if_fail (prefix != NULL, FALSE);

  if (size < 8 || memcmp (ar, "!<arch>\n", 8) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "not a Debian package (no \"!<arch>\" ar header)");
      return FALSE;
    }
  gsize pos = 8;
  while (pos + 60 <= size)
    {
      const guint8 *h = ar + pos;
      if (h[58] != '`' || h[59] != '\n')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "ar: bad member header at byte %" G_GSIZE_FORMAT, pos);
          return FALSE;
        }
      char nbuf[17], sbuf[11];
      memcpy (nbuf, h, 16);
      nbuf[16] = '\0';
      memcpy (sbuf, h + 48, 10);
      sbuf[10] = '\0';
      g_strchomp (nbuf);
      gsize nl = strlen (nbuf);
      if (nl > 0 && nbuf[nl - 1] == '/')   /* GNU ar terminates names with '/' */
        nbuf[nl - 1] = '\0';
      g_strstrip (sbuf);
      guint64 msize;
      if (!g_ascii_string_to_unsigned (sbuf, 10, 0, G_MAXUINT64, &msize, NULL) ||
          msize > size - pos - 60)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                       "ar: member \"%s\" at byte %" G_GSIZE_FORMAT " has a bad size \"%s\"", nbuf, pos, sbuf);
          return FALSE;
        }
      if (g_str_has_prefix (nbuf, prefix))
        {
          if (name)
            *name = g_strdup (nbuf);
          *data = h + 60;
          *length = (gsize) msize;
          return TRUE;
        }
      pos += 60 + (gsize) msize + (msize & 1);
    }
  g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "ar: no member named %s*", prefix);
  return FALSE;
}

/* Reads exactly `len` bytes (or fails: a tar stream never ends mid-record). */
static gboolean
read_full (SlDecoder *s, guint8 *buf, gsize len, gboolean *eof, GError **error)
{
  gsize got = 0;
  while (got < len)
    {
      gssize n = sl_decoder_read (s, buf + got, len - got, error);
      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          if (eof && got == 0)
            {
              *eof = TRUE;
              return TRUE;
            }
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "tar: archive ends inside a record");
          return FALSE;
        }
      got += (gsize) n;
    }
  return TRUE;
}

static gboolean
skip_bytes (SlDecoder *s, guint64 len, GError **error)
{
  guint8 buf[16384];
  while (len > 0)
    {
      gsize chunk = (gsize) MIN (len, sizeof buf);
      if (!read_full (s, buf, chunk, NULL, error))
        return FALSE;
      len -= chunk;
    }
  return TRUE;
}

/* Octal (NUL/space terminated) or GNU base-256 numbers. */
static gboolean
tar_number (const guint8 *f, gsize len, guint64 *out)
{
  if (f[0] & 0x80)
    {
      guint64 v = f[0] & 0x7f;
      for (gsize i = 1; i < len; i++)
        {
          if (v >> 56)
            return FALSE;
          v = v << 8 | f[i];
        }
      *out = v;
      return TRUE;
    }
  guint64 v = 0;
  gsize i = 0;
  while (i < len && f[i] == ' ')
    i++;
  for (; i < len && f[i] >= '0' && f[i] <= '7'; i++)
    {
      if (v >> 60)
        return FALSE;
      v = v * 8 + (guint64) (f[i] - '0');
    }
  if (i < len && f[i] != '\0' && f[i] != ' ')
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
tar_checksum_ok (const guint8 *h)
{
  guint64 stored;
  if (!tar_number (h + 148, 8, &stored))
    return FALSE;
  guint64 sum = 0;
  for (guint i = 0; i < TAR_BLOCK; i++)
    sum += (i >= 148 && i < 156) ? ' ' : h[i];
  return sum == stored;
}

static char *
normalize_path (const char *p)
{
  while (p[0] == '.' && p[1] == '/')
    p += 2;
  while (p[0] == '/')
    p++;
  return g_strdup (p);
}

/* The "path" record of a pax extended header ("<len> path=<value>\n" records). */
static char *
pax_path (const guint8 *d, gsize n)
{
  gsize pos = 0;
  while (pos < n)
    {
      guint64 rl = 0;
      gsize i = pos;
      while (i < n && g_ascii_isdigit (d[i]) && rl < n)
        rl = rl * 10 + (guint64) (d[i++] - '0');
      /* the record length covers its own digits and the space */
      if (i >= n || d[i] != ' ' || rl <= i + 1 - pos || rl > n - pos)
        return NULL;
      const char *kv = (const char *) d + i + 1;
      gsize kvlen = (gsize) rl - (i + 1 - pos);
      if (kvlen > 6 && memcmp (kv, "path=", 5) == 0 && kv[kvlen - 1] == '\n')
        return g_strndup (kv + 5, kvlen - 6);
      pos += (gsize) rl;
    }
  return NULL;
}

GHashTable *
sl_tar_extract (SlDecoder *s, SlDebWantFunc want, gpointer user_data, gsize max_member, GError **error)
{
  g_return_val_if_fail (s != NULL && want != NULL, NULL);

  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  g_autofree char *long_name = NULL;   /* from a GNU 'L' or pax 'x' record, for the next entry */
  guint8 h[TAR_BLOCK];
  guint zero_blocks = 0;

  for (guint entry = 0; ; entry++)
    {
      if (entry >= TAR_MAX_ENTRIES)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "tar: more than %d entries", TAR_MAX_ENTRIES);
          return NULL;
        }
      gboolean eof = FALSE;
      if (!read_full (s, h, TAR_BLOCK, &eof, error))
        return NULL;
      if (eof)
        break;
      gboolean all_zero = TRUE;
      for (guint i = 0; i < TAR_BLOCK && all_zero; i++)
        all_zero = h[i] == 0;
      if (all_zero)
        {
          if (++zero_blocks == 2)
            break;
          continue;
        }
      zero_blocks = 0;
      if (!tar_checksum_ok (h))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "tar: bad header checksum in entry %u", entry);
          return NULL;
        }
      guint64 size;
      if (!tar_number (h + 124, 12, &size))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "tar: bad size field in entry %u", entry);
          return NULL;
        }
      guint64 padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
      char type = (char) h[156];

      if (type == 'L' || type == 'x')
        {
          if (size > (type == 'L' ? TAR_LONGNAME_MAX : TAR_PAX_MAX))
            {
              g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "tar: oversized %s record in entry %u",
                           type == 'L' ? "long-name" : "pax", entry);
              return NULL;
            }
          g_autofree guint8 *buf = g_malloc ((gsize) padded + 1);
          if (!read_full (s, buf, (gsize) padded, NULL, error))
            return NULL;
          buf[size] = '\0';
          g_free (long_name);
          long_name = type == 'L' ? g_strndup ((const char *) buf, (gsize) size)
                                  : pax_path (buf, (gsize) size);
          continue;
        }

      g_autofree char *path = NULL;
      if (long_name)
        path = normalize_path (long_name);
      else
        {
          char name[101], prefix[156];
          memcpy (name, h, 100);
          name[100] = '\0';
          prefix[0] = '\0';
          if (memcmp (h + 257, "ustar", 5) == 0)
            {
              memcpy (prefix, h + 345, 155);
              prefix[155] = '\0';
            }
          g_autofree char *joined = prefix[0] ? g_strconcat (prefix, "/", name, NULL) : g_strdup (name);
          path = normalize_path (joined);
        }
      g_clear_pointer (&long_name, g_free);

      gboolean regular = type == '0' || type == '\0' || type == '7';
      if (regular && want (path, user_data))
        {
          if (size > max_member)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE,
                           "tar: %s is %" G_GUINT64_FORMAT " bytes, more than the %" G_GSIZE_FORMAT " allowed",
                           path, size, max_member);
              return NULL;
            }
          guint8 *buf = g_malloc ((gsize) MAX (size, 1));
          if (!read_full (s, buf, (gsize) size, NULL, error) ||
              !skip_bytes (s, padded - size, error))
            {
              g_free (buf);
              return NULL;
            }
          g_hash_table_replace (files, g_steal_pointer (&path), g_bytes_new_take (buf, (gsize) size));
        }
      else if (!skip_bytes (s, padded, error))
        return NULL;
    }
  return g_steal_pointer (&files);
}

GHashTable *
sl_deb_extract (const guint8 *deb, gsize size, SlDebWantFunc want, gpointer user_data,
                gsize max_member, GError **error)
{
  g_autofree char *member = NULL;
  const guint8 *data;
  gsize len;

  if (!sl_ar_find (deb, size, "data.tar", &member, &data, &len, error))
    return NULL;
  SlCompression c = sl_compression_from_suffix (member);
  if (c == SL_COMPRESSION_UNKNOWN || c == SL_COMPRESSION_BZIP2)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unsupported compression: package member %s", member);
      return NULL;
    }
  g_autoptr(SlDecoder) dec = sl_decoder_new (c, data, len, error);
  if (!dec)
    return NULL;
  g_autoptr(GError) local = NULL;
  GHashTable *files = sl_tar_extract (dec, want, user_data, max_member, &local);
  if (!files)
    g_set_error (error, local->domain, local->code, "%s: %s", member, local->message);
  return files;
}
