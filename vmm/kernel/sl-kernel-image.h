/* sl-kernel-image.h: turning a bzImage or vmlinux into a verified x86-64 ELF vmlinux.
 *
 * A bzImage holds the compressed vmlinux as its "payload": setup_sects at 0x1f1,
 * payload_offset at 0x248 and payload_length at 0x24c (boot protocol >= 2.08); the payload
 * starts at (setup_sects + 1) * 512 + payload_offset and ends with the uncompressed size as
 * a 32-bit little-endian word. */
#pragma once

#include <glib.h>
#include "sl-decompress.h"

G_BEGIN_DECLS

typedef struct {
  GBytes       *vmlinux;       /* the ELF image */
  gboolean      was_bzimage;
  SlCompression compression;   /* SL_COMPRESSION_NONE when given a vmlinux */
  char         *version;       /* release from linux_banner ("Linux version <release> ..."), or NULL */
  char         *banner;        /* the whole linux_banner line, or NULL */
  char         *build_id;      /* hex GNU build id, or NULL */
} SlKernelImage;

/* Finds the compressed payload of a bzImage. FALSE (with error) if `data` is no bzImage
 * or the header points outside the file. */
gboolean sl_bzimage_payload (const guint8 *data, gsize size,
                             gsize *offset, gsize *length, GError **error);

/* Accepts a bzImage or a vmlinux; decompresses and validates that the result is an
 * x86-64 ELF executable. */
SlKernelImage *sl_kernel_image_load (GBytes *file, GError **error);
void           sl_kernel_image_free (SlKernelImage *img);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlKernelImage, sl_kernel_image_free)

/* FALSE with a message naming the problem unless `data` is a 64-bit little-endian x86-64
 * ELF executable. */
gboolean sl_elf_check_x86_64 (const guint8 *data, gsize size, GError **error);

/* A section's bytes (a slice of `elf`, no copy) and its virtual address. NULL without error
 * when the section is absent or has no file data (NOBITS). */
GBytes  *sl_elf_section (GBytes *elf, const char *name, guint64 *addr, GError **error);
char    *sl_elf_build_id (GBytes *elf);

/* The embedded .config (CONFIG_IKCONFIG), or NULL when the image has none. */
char    *sl_kernel_image_ikconfig (GBytes *vmlinux);

G_END_DECLS
