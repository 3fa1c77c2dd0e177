/* sl-elf-deps.h: the shared libraries a dynamically linked binary needs, so it
 * can run inside the initramfs: its ELF interpreter plus the DT_NEEDED closure,
 * resolved the way ld.so would (DT_RUNPATH/DT_RPATH, ld.so.conf, default dirs). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Host paths (canonical, unique) of every library and the interpreter `binary`
 * needs; empty for a static binary. Fails naming the library that was not found. */
GPtrArray *sl_elf_needed_libraries (const char *binary, GError **error);

G_END_DECLS
