/* sl-deb.h: reading files out of a Debian package without dpkg.
 *
 * A .deb is an `ar` archive ("!<arch>\n", 60-byte member headers, even padding) holding
 * debian-binary, control.tar.* and data.tar.{xz,zst,gz,bz2,} — the last a ustar/GNU tar
 * stream. Only the members a caller asks for are kept; the rest of the (possibly large)
 * data archive is decompressed and skipped as a stream. */
#pragma once

#include <glib.h>
#include "sl-decompress.h"

G_BEGIN_DECLS

/* Path inside the package without the leading "./", e.g. "usr/lib/modules/7.3.4/vmlinuz". */
typedef gboolean (*SlDebWantFunc) (const char *path, gpointer user_data);

/* Finds an `ar` member by name prefix (e.g. "data.tar"). The returned slice borrows `ar`. */
gboolean sl_ar_find (const guint8 *ar, gsize size, const char *prefix,
                     char **name, const guint8 **data, gsize *length, GError **error);

/* Reads a tar stream and returns path -> GBytes for every regular file `want` accepts
 * (up to `max_member` bytes each). Hard and symbolic links are not followed. */
GHashTable *sl_tar_extract (SlDecoder *stream, SlDebWantFunc want, gpointer user_data,
                            gsize max_member, GError **error);

/* ar + data.tar decompression + tar: the files of a .deb that `want` accepts. */
GHashTable *sl_deb_extract (const guint8 *deb, gsize size, SlDebWantFunc want, gpointer user_data,
                            gsize max_member, GError **error);

G_END_DECLS
