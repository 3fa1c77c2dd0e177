/* sl-cpio.h: a writer (and a bounded reader, for checks) of "newc" cpio archives,
 * the format the kernel unpacks as an initramfs.
 *
 * Every entry is written with uid/gid 0 and mtime 0 so the same inputs give the
 * same bytes. Parent directories are not created implicitly: add them first. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SlCpioWriter SlCpioWriter;

/* Writes to `out` (not closed by the writer). */
SlCpioWriter *sl_cpio_writer_new (GOutputStream *out);
gboolean      sl_cpio_writer_add_dir  (SlCpioWriter *w, const char *name, guint mode, GError **error);
gboolean      sl_cpio_writer_add_file (SlCpioWriter *w, const char *name, guint mode,
                                       const void *data, gsize len, GError **error);
/* Copies a host file; `mode` 0 keeps the host file's permission bits. */
gboolean      sl_cpio_writer_add_file_from_path (SlCpioWriter *w, const char *name, guint mode,
                                                 const char *host_path, GError **error);
gboolean      sl_cpio_writer_add_symlink (SlCpioWriter *w, const char *name, const char *target,
                                          GError **error);
/* A character device node (e.g. dev/console = 5,1). */
gboolean      sl_cpio_writer_add_chardev (SlCpioWriter *w, const char *name, guint mode,
                                          guint major, guint minor, GError **error);
/* Writes the TRAILER!!! entry. Nothing can be added afterwards. */
gboolean      sl_cpio_writer_finish (SlCpioWriter *w, GError **error);
gboolean      sl_cpio_writer_has (SlCpioWriter *w, const char *name);
void          sl_cpio_writer_free (SlCpioWriter *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlCpioWriter, sl_cpio_writer_free)

/* One entry read back. */
typedef struct {
  char   *name;
  guint32 mode;        /* full st_mode, including the file type bits */
  guint32 rdev_major, rdev_minor;
  GBytes *data;        /* file contents or symlink target */
} SlCpioEntry;

void sl_cpio_entry_free (SlCpioEntry *e);

/* Parses a newc archive (untrusted: every field and size is checked against the
 * buffer). Returns SlCpioEntry* in archive order, stopping at the trailer. */
GPtrArray *sl_cpio_parse (GBytes *archive, GError **error);

G_END_DECLS
