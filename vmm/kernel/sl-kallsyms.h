/* sl-kallsyms.h: the kernel symbol table, recovered from a vmlinux image.
 *
 * Debian ships stripped images (no .symtab, a stub System.map), but every kernel built with
 * CONFIG_KALLSYMS carries a compressed copy of its symbol table in .rodata
 * (kallsyms_names/token_table/token_index/markers/num_syms/offsets/relative_base).
 * sl_kallsyms_decode() finds and decodes it without any symbol information; the result
 * has the same (name, address) pairs as the guest's /proc/kallsyms. Per-CPU symbols are
 * small offsets (`A runqueues`) up to 6.14 and addresses inside .data..percpu from 6.15 on;
 * either way per_cpu(var, cpu) = __per_cpu_offset[cpu] + address of var. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SlKallsyms SlKallsyms;

/* Decodes the table from the bytes of a read-only data region mapped at virtual address
 * `base` (normally the ELF .rodata section). `text_addr` is the address of _text (the
 * .text section start), which the kernel stores as kallsyms_relative_base. */
SlKallsyms *sl_kallsyms_decode (const guint8 *rodata,
                                gsize         size,
                                guint64       base,
                                guint64       text_addr,
                                GError      **error);

/* Decodes the table from a whole ELF vmlinux held in memory. */
SlKallsyms *sl_kallsyms_decode_elf (const guint8 *elf, gsize size, GError **error);

/* Reads a file in /proc/kallsyms format ("ffffffff81000000 T _text", optional [module]). */
SlKallsyms *sl_kallsyms_load (const char *path, GError **error);

/* Writes /proc/kallsyms format, in table order. */
gboolean    sl_kallsyms_save (const SlKallsyms *ks, const char *path, GError **error);
char       *sl_kallsyms_to_text (const SlKallsyms *ks, gsize *length);

guint       sl_kallsyms_count (const SlKallsyms *ks);
/* Entry i in table order (sorted by address for a decoded table). */
const char *sl_kallsyms_name (const SlKallsyms *ks, guint i);
guint64     sl_kallsyms_address (const SlKallsyms *ks, guint i);
char        sl_kallsyms_type (const SlKallsyms *ks, guint i);   /* 'T', 't', 'D', 'A', ... */

/* Name -> address. The first match in table order wins when a (static) name repeats. */
gboolean    sl_kallsyms_lookup (const SlKallsyms *ks, const char *name, guint64 *address);
/* Address -> the symbol at or below it (the first in table order among symbols sharing an
 * address). Returns NULL when below every symbol. `offset` may be NULL. */
const char *sl_kallsyms_symbolize (const SlKallsyms *ks, guint64 address, guint64 *offset);

void        sl_kallsyms_free (SlKallsyms *ks);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlKallsyms, sl_kallsyms_free)

G_END_DECLS
