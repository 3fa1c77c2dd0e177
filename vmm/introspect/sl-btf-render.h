/* sl-btf-render.h: bytes + a BTF type → an SlValue tree (ktstr's RenderedValue,
 * ktstr-semantics §2.5).
 *
 * Rules: modifiers are peeled (≤ 32 hops), nesting ≤ 32 levels, arrays keep
 * their declared length but store ≤ 4096 elements; `char` arrays render as an
 * ARRAY of CHAR (as ktstr does, nothing more); bitfields are extracted with
 * sign extension for signed ints and enums; a DATASEC renders as a STRUCT named
 * by its section with its variables as members; a slice shorter than the type
 * gives TRUNCATED with what fitted; kernel pointers are followed through guest
 * memory up to `ptr_hops` levels, others carry a deref_skipped_reason. A node
 * budget bounds the whole tree whatever the BTF says. */
#pragma once

#include <glib.h>
#include <bpf/btf.h>
#include "sl-value.h"
#include "sl-guest-kernel.h"

G_BEGIN_DECLS

#define SL_RENDER_MAX_DEPTH   32
#define SL_RENDER_MAX_NODES   (1u << 18)
#define SL_RENDER_MAX_PTR_POINTEE (64u * 1024)

typedef struct {
  const struct btf    *btf;
  const SlGuestKernel *gk;        /* NULL: pointers are not followed */
  SlKread             *kr;        /* reads for pointer chasing (with gk) */
  guint                ptr_hops;  /* pointer levels to follow */
  guint                nodes_left;/* set by sl_btf_render_ctx_init */
} SlRenderCtx;

void     sl_btf_render_ctx_init (SlRenderCtx *ctx, const struct btf *btf, const SlGuestKernel *gk,
                                 SlKread *kr, guint ptr_hops);
/* Never NULL: a value that cannot be decoded becomes UNSUPPORTED or BYTES. */
SlValue *sl_btf_render (SlRenderCtx *ctx, guint32 type_id, const guint8 *data, gsize len);
/* Lowercase, space-separated hex ("0a 1b"), ktstr's Bytes/key_hex form. */
char    *sl_hex_bytes (const guint8 *data, gsize len);

G_END_DECLS
