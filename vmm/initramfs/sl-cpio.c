/* sl-cpio.c: newc cpio writer and reader. */
#include "sl-cpio.h"
#include "sl-types.h"

#include <sys/stat.h>
#include <string.h>

#define SL_CPIO_MAGIC "070701"
#define SL_CPIO_HEADER_LEN 110
#define SL_CPIO_MAX_NAME 4096

struct _SlCpioWriter {
  GOutputStream *out;
  guint64        offset;
  guint32        next_ino;
  gboolean       finished;
  GHashTable    *names;
};

SlCpioWriter *
sl_cpio_writer_new (GOutputStream *out)
{
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), NULL);
  SlCpioWriter *w = g_new0 (SlCpioWriter, 1);
  w->out = g_object_ref (out);
  w->next_ino = 1;
  w->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return w;
}

void
sl_cpio_writer_free (SlCpioWriter *w)
{
  if (w == NULL)
    return;
  g_object_unref (w->out);
  g_hash_table_unref (w->names);
  g_free (w);
}

gboolean
sl_cpio_writer_has (SlCpioWriter *w, const char *name)
{
  g_return_val_if_fail (w != NULL && name != NULL, FALSE);
  return g_hash_table_contains (w->names, name);
}

static gboolean
write_all (SlCpioWriter *w, const void *data, gsize len, GError **error)
{
  if (len == 0)
    return TRUE;
  if (!g_output_stream_write_all (w->out, data, len, NULL, NULL, error))
    return FALSE;
  w->offset += len;
  return TRUE;
}

static gboolean
pad4 (SlCpioWriter *w, GError **error)
{
  static const char zeros[4] = { 0 };
  gsize rem = w->offset % 4;
  return rem == 0 || write_all (w, zeros, 4 - rem, error);
}

static gboolean
valid_name (const char *name, GError **error)
{
  gsize len = strlen (name);
  if (len == 0 || len >= SL_CPIO_MAX_NAME || name[0] == '/' || strstr (name, "..") != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "cpio: invalid entry name '%s' (relative, no '..', < %d bytes)", name, SL_CPIO_MAX_NAME);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_entry (SlCpioWriter *w, const char *name, guint32 mode, guint32 rmaj, guint32 rmin,
             const void *data, gsize len, GError **error)
{
  g_return_val_if_fail (!w->finished, FALSE);
  gboolean trailer = g_str_equal (name, "TRAILER!!!");
  if (!trailer)
    {
      if (!valid_name (name, error))
        return FALSE;
      if (g_hash_table_contains (w->names, name))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "cpio: duplicate entry '%s'", name);
          return FALSE;
        }
      if (len > G_MAXUINT32)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "cpio: '%s' is larger than 4 GiB", name);
          return FALSE;
        }
    }
  gsize namesize = strlen (name) + 1;
  char header[SL_CPIO_HEADER_LEN + 1];
  g_snprintf (header, sizeof header,
              "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
              SL_CPIO_MAGIC, trailer ? 0 : w->next_ino++, mode, 0u, 0u,
              (mode & S_IFMT) == S_IFDIR ? 2u : 1u, 0u, (guint32) len, 0u, 0u, rmaj, rmin,
              (guint32) namesize, 0u);
  if (!write_all (w, header, SL_CPIO_HEADER_LEN, error)
      || !write_all (w, name, namesize, error)
      || !pad4 (w, error)
      || !write_all (w, data, len, error)
      || !pad4 (w, error))
    return FALSE;
  if (!trailer)
    g_hash_table_add (w->names, g_strdup (name));
  return TRUE;
}

gboolean
sl_cpio_writer_add_dir (SlCpioWriter *w, const char *name, guint mode, GError **error)
{
  g_return_val_if_fail (w != NULL && name != NULL, FALSE);
  return write_entry (w, name, S_IFDIR | (mode & 07777), 0, 0, NULL, 0, error);
}

gboolean
sl_cpio_writer_add_file (SlCpioWriter *w, const char *name, guint mode,
                         const void *data, gsize len, GError **error)
{
  g_return_val_if_fail (w != NULL && name != NULL && (data != NULL || len == 0), FALSE);
  return write_entry (w, name, S_IFREG | (mode & 07777), 0, 0, data, len, error);
}

gboolean
sl_cpio_writer_add_file_from_path (SlCpioWriter *w, const char *name, guint mode,
                                   const char *host_path, GError **error)
{
  g_return_val_if_fail (w != NULL && name != NULL && host_path != NULL, FALSE);
  g_autoptr(GMappedFile) mf = g_mapped_file_new (host_path, FALSE, error);
  if (mf == NULL)
    return FALSE;
  if (mode == 0)
    {
      struct stat st;
      mode = stat (host_path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    }
  return sl_cpio_writer_add_file (w, name, mode, g_mapped_file_get_contents (mf),
                                  g_mapped_file_get_length (mf), error);
}

gboolean
sl_cpio_writer_add_symlink (SlCpioWriter *w, const char *name, const char *target, GError **error)
{
  g_return_val_if_fail (w != NULL && name != NULL && target != NULL, FALSE);
  return write_entry (w, name, S_IFLNK | 0777, 0, 0, target, strlen (target), error);
}

gboolean
sl_cpio_writer_add_chardev (SlCpioWriter *w, const char *name, guint mode,
                            guint major, guint minor, GError **error)
{
  g_return_val_if_fail (w != NULL && name != NULL, FALSE);
  return write_entry (w, name, S_IFCHR | (mode & 07777), major, minor, NULL, 0, error);
}

gboolean
sl_cpio_writer_finish (SlCpioWriter *w, GError **error)
{
  g_return_val_if_fail (w != NULL && !w->finished, FALSE);
  if (!write_entry (w, "TRAILER!!!", 0, 0, 0, NULL, 0, error))
    return FALSE;
  w->finished = TRUE;
  return g_output_stream_flush (w->out, NULL, error);
}

/* ---- reader ---- */

void
sl_cpio_entry_free (SlCpioEntry *e)
{
  if (e == NULL)
    return;
  g_free (e->name);
  g_clear_pointer (&e->data, g_bytes_unref);
  g_free (e);
}

static gboolean
parse_hex8 (const char *p, guint32 *out)
{
  guint32 v = 0;
  for (int i = 0; i < 8; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return FALSE;
      v = (v << 4) | (guint32) d;
    }
  *out = v;
  return TRUE;
}

GPtrArray *
sl_cpio_parse (GBytes *archive, GError **error)
{
  g_return_val_if_fail (archive != NULL, NULL);
  gsize size;
  const char *buf = g_bytes_get_data (archive, &size);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_cpio_entry_free);
  gsize off = 0;
  for (;;)
    {
      if (off > size || size - off < SL_CPIO_HEADER_LEN)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "cpio: truncated header at offset %" G_GSIZE_FORMAT, off);
          return NULL;
        }
      const char *h = buf + off;
      if (memcmp (h, SL_CPIO_MAGIC, 6) != 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "cpio: bad magic at offset %" G_GSIZE_FORMAT, off);
          return NULL;
        }
      guint32 f[13];
      for (int i = 0; i < 13; i++)
        if (!parse_hex8 (h + 6 + 8 * i, &f[i]))
          {
            g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "cpio: bad hex field %d at offset %" G_GSIZE_FORMAT, i, off);
            return NULL;
          }
      guint32 mode = f[1], filesize = f[6], rmaj = f[9], rmin = f[10], namesize = f[11];
      off += SL_CPIO_HEADER_LEN;
      if (namesize == 0 || namesize > SL_CPIO_MAX_NAME || namesize > size - off || buf[off + namesize - 1] != '\0')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "cpio: bad name size %u at offset %" G_GSIZE_FORMAT, namesize, off);
          return NULL;
        }
      g_autofree char *name = g_strndup (buf + off, namesize - 1);
      off = (off + namesize + 3) & ~(gsize) 3;
      if (g_str_equal (name, "TRAILER!!!"))
        break;
      if (off > size || filesize > size - off)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "cpio: '%s' data runs past the end", name);
          return NULL;
        }
      SlCpioEntry *e = g_new0 (SlCpioEntry, 1);
      e->name = g_steal_pointer (&name);
      e->mode = mode;
      e->rdev_major = rmaj;
      e->rdev_minor = rmin;
      e->data = g_bytes_new (buf + off, filesize);
      g_ptr_array_add (entries, e);
      off = (off + filesize + 3) & ~(gsize) 3;
      if (entries->len > 100000)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "cpio: more than 100000 entries");
          return NULL;
        }
    }
  return g_steal_pointer (&entries);
}
