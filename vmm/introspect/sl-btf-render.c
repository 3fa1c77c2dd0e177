/* sl-btf-render.c: rendering BPF data through BTF into SlValue trees. */
#include "sl-btf-render.h"
#include "sl-ktypes.h"

#include <string.h>

void
sl_btf_render_ctx_init (SlRenderCtx *ctx, const struct btf *btf, const SlGuestKernel *gk, SlKread *kr,
                        guint ptr_hops)
{
  ctx->btf = btf;
  ctx->gk = gk;
  ctx->kr = kr;
  ctx->ptr_hops = ptr_hops;
  ctx->nodes_left = SL_RENDER_MAX_NODES;
}

char *
sl_hex_bytes (const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  if (len == 0)
    return g_strdup ("");
  char *s = g_malloc (len * 3);
  for (gsize i = 0; i < len; i++)
    {
      s[i * 3] = digits[data[i] >> 4];
      s[i * 3 + 1] = digits[data[i] & 15];
      s[i * 3 + 2] = i + 1 < len ? ' ' : '\0';
    }
  return s;
}

static guint64
load_le (const guint8 *p, gsize n)
{
  guint64 v = 0;
  for (gsize i = 0; i < n && i < 8; i++)
    v |= (guint64) p[i] << (8 * i);
  return v;
}

static gint64
sign_extend (guint64 v, guint bits)
{
  if (bits == 0 || bits >= 64)
    return (gint64) v;
  guint64 m = G_GUINT64_CONSTANT (1) << (bits - 1);
  v &= (m << 1) - 1;
  return (gint64) ((v ^ m) - m);
}

static const char *
kind_label (guint kind)
{
  switch (kind)
    {
    case BTF_KIND_FUNC: return "func";
    case BTF_KIND_FUNC_PROTO: return "func_proto";
    case BTF_KIND_FWD: return "fwd (incomplete type)";
    case BTF_KIND_VAR: return "var";
    case BTF_KIND_DECL_TAG: return "decl_tag";
    default: return "unknown";
    }
}

static SlValue *render (SlRenderCtx *ctx, guint32 id, const guint8 *data, gsize len, guint depth, guint hops);

static gboolean
is_char_int (const struct btf *btf, const struct btf_type *t)
{
  if (t->size != 1)
    return FALSE;
  if (btf_int_encoding (t) & BTF_INT_CHAR)
    return TRUE;
  return g_strcmp0 (btf__name_by_offset (btf, t->name_off), "char") == 0;
}

/* An integer held in `v` (already shifted and masked), typed by int type t. */
static SlValue *
int_value (const struct btf *btf, const struct btf_type *t, guint64 v, guint bits)
{
  guint8 enc = btf_int_encoding (t);
  if (enc & BTF_INT_BOOL)
    return sl_value_new_bool (v != 0);
  if (is_char_int (btf, t) && bits == 8)
    return sl_value_new_char ((guint8) v);
  if (enc & BTF_INT_SIGNED)
    return sl_value_new_int ((guint16) bits, sign_extend (v, bits));
  return sl_value_new_uint ((guint16) bits, bits < 64 ? v & ((G_GUINT64_CONSTANT (1) << bits) - 1) : v);
}

static SlValue *
enum_value (const struct btf *btf, const struct btf_type *t, guint64 raw, guint bits)
{
  gboolean is_signed = btf_kflag (t);
  if (bits < 64)
    raw &= (G_GUINT64_CONSTANT (1) << bits) - 1;
  guint64 cmp = is_signed ? (guint64) sign_extend (raw, bits) : raw;
  const char *variant = NULL;
  guint n = btf_vlen (t);
  if (btf_is_enum (t))
    {
      const struct btf_enum *e = btf_enum (t);
      for (guint i = 0; i < n && variant == NULL; i++)
        {
          guint64 ev = is_signed ? (guint64) (gint64) e[i].val : (guint64) (guint32) e[i].val;
          if (ev == cmp || (!is_signed && bits < 64 && (ev & ((G_GUINT64_CONSTANT (1) << bits) - 1)) == raw))
            variant = btf__name_by_offset (btf, e[i].name_off);
        }
    }
  else
    {
      const struct btf_enum64 *e = btf_enum64 (t);
      for (guint i = 0; i < n && variant == NULL; i++)
        if (btf_enum64_value (&e[i]) == cmp)
          variant = btf__name_by_offset (btf, e[i].name_off);
    }
  return sl_value_new_enum ((guint16) bits, is_signed, cmp, variant);
}

/* A bitfield member: `bit_off` from `data`, `bit_size` bits, base type `id`. */
static SlValue *
render_bitfield (SlRenderCtx *ctx, guint32 id, const guint8 *data, gsize len, guint32 bit_off, guint32 bit_size)
{
  guint32 base = sl_btf_peel (ctx->btf, id);
  const struct btf_type *t = btf__type_by_id (ctx->btf, base);
  gsize first = bit_off / 8, last = (bit_off + bit_size + 7) / 8;
  if (t == NULL || bit_size == 0 || bit_size > 64 || last > len)
    return sl_value_new_truncated ((bit_off + bit_size + 7) / 8, len, NULL);
  unsigned __int128 acc = 0;
  for (gsize i = first; i < last; i++)
    acc |= (unsigned __int128) data[i] << (8 * (i - first));
  guint64 v = (guint64) (acc >> (bit_off % 8));
  if (bit_size < 64)
    v &= (G_GUINT64_CONSTANT (1) << bit_size) - 1;
  if (btf_is_int (t))
    {
      SlValue *r = int_value (ctx->btf, t, v, bit_size);
      if (r->kind == SL_VALUE_CHAR && bit_size != 8)
        {
          sl_value_free (r);
          r = sl_value_new_uint ((guint16) bit_size, v);
        }
      return r;
    }
  if (btf_is_any_enum (t))
    return enum_value (ctx->btf, t, v, bit_size);
  return sl_value_new_uint ((guint16) bit_size, v);
}

static SlValue *
render_members (SlRenderCtx *ctx, const struct btf_type *t, const guint8 *data, gsize len, guint depth,
                guint hops, const char *type_name, gboolean *short_data)
{
  SlValue *s = sl_value_new_struct (type_name);
  const struct btf_member *m = btf_members (t);
  guint n = btf_vlen (t);
  for (guint i = 0; i < n; i++, m++)
    {
      const char *mn = btf__name_by_offset (ctx->btf, m->name_off);
      guint32 bit_off = btf_member_bit_offset (t, i);
      guint32 bit_size = btf_member_bitfield_size (t, i);
      SlValue *v;
      if (bit_size != 0)
        {
          if ((bit_off + bit_size + 7) / 8 > len)
            {
              *short_data = TRUE;
              continue;
            }
          v = render_bitfield (ctx, m->type, data, len, bit_off, bit_size);
        }
      else
        {
          gsize off = bit_off / 8;
          gint64 msz = btf__resolve_size (ctx->btf, m->type);
          if (msz < 0 || off > len || (guint64) msz > len - off)
            {
              *short_data = TRUE;
              continue;
            }
          v = render (ctx, m->type, data + off, (gsize) msz, depth + 1, hops);
        }
      sl_value_struct_add (s, mn ? mn : "", v);
    }
  return s;
}

static SlValue *
render_ptr (SlRenderCtx *ctx, const struct btf_type *t, const guint8 *data, gsize len, guint depth, guint hops)
{
  if (len < 8)
    return sl_value_new_truncated (8, len, NULL);
  guint64 addr = load_le (data, 8);
  if (addr == 0)
    return sl_value_new_ptr (0, NULL, NULL, NULL);
  if (ctx->gk == NULL || ctx->kr == NULL)
    return sl_value_new_ptr (addr, NULL, "pointers are not followed here", NULL);
  if (hops == 0)
    return sl_value_new_ptr (addr, NULL, "pointer hop limit reached", NULL);
  guint32 target = sl_btf_peel (ctx->btf, t->type);
  const struct btf_type *tt = target ? btf__type_by_id (ctx->btf, target) : NULL;
  if (tt == NULL || btf_is_func_proto (tt) || btf_is_fwd (tt))
    return sl_value_new_ptr (addr, NULL, "pointee type is void, a function or incomplete", NULL);
  gint64 sz = btf__resolve_size (ctx->btf, target);
  if (sz <= 0 || sz > SL_RENDER_MAX_PTR_POINTEE)
    return sl_value_new_ptr (addr, NULL, "pointee size is zero or too large", NULL);
  if (!sl_kva_is_kernel (&ctx->gk->layout, addr))
    return sl_value_new_ptr (addr, NULL, "not a kernel address", NULL);
  g_autofree guint8 *buf = g_malloc ((gsize) sz);
  g_autoptr(GError) error = NULL;
  if (!sl_kread (ctx->kr, addr, buf, (gsize) sz, &error))
    return sl_value_new_ptr (addr, NULL, error->message, NULL);
  return sl_value_new_ptr (addr, render (ctx, target, buf, (gsize) sz, depth + 1, hops - 1), NULL, NULL);
}

static SlValue *
render (SlRenderCtx *ctx, guint32 id, const guint8 *data, gsize len, guint depth, guint hops)
{
  if (ctx->nodes_left == 0)
    return sl_value_new_unsupported ("render budget exhausted");
  ctx->nodes_left--;
  if (depth > SL_RENDER_MAX_DEPTH)
    return sl_value_new_unsupported ("nesting deeper than 32 levels");
  guint32 pid = sl_btf_peel (ctx->btf, id);
  if (id == 0)
    return sl_value_new_unsupported ("void");
  const struct btf_type *t = pid ? btf__type_by_id (ctx->btf, pid) : NULL;
  if (t == NULL)
    return sl_value_new_unsupported ("modifier chain too deep or type id out of range");

  switch (btf_kind (t))
    {
    case BTF_KIND_INT:
      {
        guint bits = btf_int_bits (t);
        guint off = btf_int_offset (t);
        if (t->size > 8 || bits == 0 || bits > 64)
          {
            if (len < t->size)
              return sl_value_new_truncated (t->size, len, NULL);
            g_autofree char *hex = sl_hex_bytes (data, t->size);
            return sl_value_new_bytes (hex);
          }
        if (len < t->size)
          return sl_value_new_truncated (t->size, len, NULL);
        guint64 v = load_le (data, t->size) >> off;
        return int_value (ctx->btf, t, v, bits);
      }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      if (t->size == 0 || t->size > 8)
        return sl_value_new_unsupported ("enum of unusual size");
      if (len < t->size)
        return sl_value_new_truncated (t->size, len, NULL);
      return enum_value (ctx->btf, t, load_le (data, t->size), t->size * 8);
    case BTF_KIND_FLOAT:
      if (len < t->size)
        return sl_value_new_truncated (t->size, len, NULL);
      if (t->size == 4)
        {
          float f;
          memcpy (&f, data, 4);
          return sl_value_new_float (32, f);
        }
      if (t->size == 8)
        {
          double d;
          memcpy (&d, data, 8);
          return sl_value_new_float (64, d);
        }
      {
        g_autofree char *hex = sl_hex_bytes (data, t->size);
        return sl_value_new_bytes (hex);
      }
    case BTF_KIND_PTR:
      return render_ptr (ctx, t, data, len, depth, hops);
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
      {
        const char *name = btf__name_by_offset (ctx->btf, t->name_off);
        gboolean short_data = FALSE;
        SlValue *s = render_members (ctx, t, data, len, depth, hops, name && *name ? name : NULL, &short_data);
        if (short_data || len < t->size)
          return sl_value_new_truncated (t->size, len, s);
        return s;
      }
    case BTF_KIND_ARRAY:
      {
        const struct btf_array *a = btf_array (t);
        gint64 esz = btf__resolve_size (ctx->btf, a->type);
        if (esz < 0)
          return sl_value_new_unsupported ("array element of unknown size");
        SlValue *arr = sl_value_new_array (a->nelems);
        guint64 total = (guint64) esz * a->nelems;
        gboolean short_data = FALSE;
        for (guint32 i = 0; i < a->nelems && i < SL_VALUE_MAX_ELEMENTS; i++)
          {
            guint64 off = (guint64) esz * i;
            if (off + (guint64) esz > len)
              {
                short_data = TRUE;
                break;
              }
            sl_value_array_add (arr, render (ctx, a->type, data + off, (gsize) esz, depth + 1, hops));
            if (ctx->nodes_left == 0)
              break;
          }
        if (short_data)
          return sl_value_new_truncated (total, len, arr);
        return arr;
      }
    case BTF_KIND_DATASEC:
      {
        const char *name = btf__name_by_offset (ctx->btf, t->name_off);
        SlValue *s = sl_value_new_struct (name);
        const struct btf_var_secinfo *vs = btf_var_secinfos (t);
        gboolean short_data = FALSE;
        for (guint i = 0; i < btf_vlen (t); i++, vs++)
          {
            const struct btf_type *var = btf__type_by_id (ctx->btf, vs->type);
            if (var == NULL || !btf_is_var (var))
              continue;   /* functions (extern ksyms) have no bytes here */
            const char *vn = btf__name_by_offset (ctx->btf, var->name_off);
            if ((guint64) vs->offset + vs->size > len)
              {
                short_data = TRUE;
                continue;
              }
            sl_value_struct_add (s, vn ? vn : "",
                                 render (ctx, var->type, data + vs->offset, vs->size, depth + 1, hops));
          }
        if (short_data)
          return sl_value_new_truncated (t->size, len, s);
        return s;
      }
    case BTF_KIND_VAR:
      return render (ctx, t->type, data, len, depth + 1, hops);
    default:
      {
        g_autofree char *why = g_strdup_printf ("cannot render BTF kind %s", kind_label (btf_kind (t)));
        return sl_value_new_unsupported (why);
      }
    }
}

SlValue *
sl_btf_render (SlRenderCtx *ctx, guint32 type_id, const guint8 *data, gsize len)
{
  g_return_val_if_fail (ctx != NULL && ctx->btf != NULL && (data != NULL || len == 0), NULL);
  return render (ctx, type_id, data, len, 0, ctx->ptr_hops);
}
