/* kernel-test-util.h: building synthetic kernels and archives with the real compressors. */
#pragma once

#include <glib.h>
#include "sl-decompress.h"

G_BEGIN_DECLS

/* Compresses `data` as the kernel build would (`with_size`: append the LE32 size trailer). */
GBytes *kt_compress (SlCompression c, const guint8 *data, gsize size, gboolean with_size);

/* A minimal 64-bit ELF executable for `machine`, holding `text` after its header and then
 * `filler` bytes of mildly compressible data. */
GBytes *kt_make_elf (guint16 machine, const char *text, gsize filler);

/* A bzImage-shaped buffer (boot header + payload) around an already compressed payload. */
GBytes *kt_make_bzimage (GBytes *payload);

G_END_DECLS
