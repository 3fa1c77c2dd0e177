/* sl-bpf-maps.c: BPF map discovery (map_idr) and rendering by map kind. */
#include "sl-bpf-maps.h"
#include "sl-btf-render.h"
#include "sl-types.h"

#include <string.h>

#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE  64
#define MAX_XA_DEPTH   11      /* 64-bit indices / 6 bits per level */

/* Deferred rendering: while the VM is frozen only bytes are copied; each value
 * gets a placeholder SlValue that sl_bpf_maps_render_pending() later fills in
 * place (the render's contents are swapped into the placeholder). */
typedef struct {
  SlValue          *slot;      /* a value to render, or NULL for a hex string */
  char            **hex;       /* where the hex string goes */
  const struct btf *btf;
  guint32           type_id;
  gsize             off;       /* bytes in SlBpfMaps.arena */
  gsize             len;
} Pending;

/* An ARRAY map whose `value` and array_entries are built once its values exist. */
typedef struct {
  SlMap     *map;
  GPtrArray *values;    /* SlValue*, owned */
  guint      n;         /* max_entries */
  gboolean   many;
} PendingArray;

struct _SlBpfMaps {
  const SlGuestKernel *gk;
  GHashTable *btf_cache;       /* "kva:id" → struct btf* */
  gboolean    defer;
  GArray     *pending;         /* Pending */
  GPtrArray  *pending_arrays;  /* PendingArray* */
  GByteArray *arena;           /* copied bytes of pending work; capacity reused */
  GByteArray *scratch;         /* a whole ARRAY map's values, read at once */
};

static void
pending_array_free (gpointer p)
{
  PendingArray *pa = p;
  g_ptr_array_unref (pa->values);
  g_free (pa);
}



typedef struct {
  guint64 kva;
  guint32 type, key_size, value_size, max_entries, id;
  guint32 key_type_id, value_type_id;
  guint64 btf_kva;
  char    name[17];
} MapInfo;

static void
btf_free_cb (gpointer p)
{
  btf__free (p);
}

SlBpfMaps *
sl_bpf_maps_new (const SlGuestKernel *gk)
{
  g_return_val_if_fail (gk != NULL, NULL);
  SlBpfMaps *bm = g_new0 (SlBpfMaps, 1);
  bm->gk = gk;
  bm->btf_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, btf_free_cb);
  bm->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  bm->arena = g_byte_array_new ();
  bm->scratch = g_byte_array_new ();
  bm->pending_arrays = g_ptr_array_new_with_free_func (pending_array_free);
  return bm;
}

void
sl_bpf_maps_free (SlBpfMaps *bm)
{
  if (bm == NULL)
    return;
  g_hash_table_unref (bm->btf_cache);
  g_array_unref (bm->pending);
  g_ptr_array_unref (bm->pending_arrays);
  g_byte_array_unref (bm->arena);
  g_byte_array_unref (bm->scratch);
  g_free (bm);
}

static gboolean
field (const SlGuestKernel *gk, const char *type, const char *path, guint32 *off, GError **error)
{
  SlKfield f;
  if (!sl_ktypes_member (gk->types, type, path, &f, error))
    return FALSE;
  *off = f.offset;
  return TRUE;
}

/* ---- xarray ---- */

static gboolean
xa_is_node (guint64 e)
{
  return (e & 3) == 2 && e > 4096;
}

gboolean
sl_xarray_collect (const SlGuestKernel *gk, SlKread *kr, guint64 xa, guint max, GArray *out, GError **error)
{
  guint32 head_off, shift_off, slots_off;
  if (!field (gk, "xarray", "xa_head", &head_off, error)
      || !field (gk, "xa_node", "shift", &shift_off, error)
      || !field (gk, "xa_node", "slots", &slots_off, error))
    return FALSE;
  guint64 head;
  if (!sl_kread_u64 (kr, xa + head_off, &head, error))
    return FALSE;
  if (head == 0)
    return TRUE;
  if (!xa_is_node (head))
    {
      if ((head & 3) != 2)   /* a single entry at index 0 */
        g_array_append_val (out, head);
      return TRUE;
    }
  /* Depth-first, in index order, with an explicit stack of (node, expected shift). */
  typedef struct { guint64 node; gint shift; guint next; guint64 slots[XA_CHUNK_SIZE]; } Frame;
  g_autofree Frame *stack = g_new0 (Frame, MAX_XA_DEPTH + 1);
  guint depth = 0, nodes = 0;
  gint expect = -1;
  guint64 node = head - 2;
  for (;;)
    {
      if (node != 0)
        {
          if (++nodes > SL_BPF_MAX_XA_NODES)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "xarray at 0x%" G_GINT64_MODIFIER "x: more than %u nodes",
                           xa, SL_BPF_MAX_XA_NODES);
              return FALSE;
            }
          guint8 shift;
          if (depth > MAX_XA_DEPTH || !sl_kread (kr, node + shift_off, &shift, 1, error))
            {
              if (depth > MAX_XA_DEPTH)
                g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "xarray at 0x%" G_GINT64_MODIFIER "x: too deep", xa);
              return FALSE;
            }
          if (shift % XA_CHUNK_SHIFT != 0 || shift > (MAX_XA_DEPTH - 1) * XA_CHUNK_SHIFT
              || (expect >= 0 && shift != expect))
            {
              g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                           "xarray node 0x%" G_GINT64_MODIFIER "x: shift %u where %d was expected", node, shift, expect);
              return FALSE;
            }
          Frame *f = &stack[depth++];
          f->node = node;
          f->shift = shift;
          f->next = 0;
          if (!sl_kread (kr, node + slots_off, f->slots, sizeof f->slots, error))
            return FALSE;
          node = 0;
        }
      if (depth == 0)
        break;
      Frame *f = &stack[depth - 1];
      if (f->next >= XA_CHUNK_SIZE)
        {
          depth--;
          continue;
        }
      guint64 e = f->slots[f->next++];
      if (e == 0)
        continue;
      if (f->shift > 0)
        {
          if (xa_is_node (e))
            {
              node = e - 2;
              expect = f->shift - XA_CHUNK_SHIFT;
            }
          continue;   /* sibling/retry entries carry no pointer */
        }
      if ((e & 3) == 2)
        continue;     /* internal entry at a leaf level: not a value */
      if (out->len >= max)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "xarray at 0x%" G_GINT64_MODIFIER "x: more than %u entries", xa, max);
          return FALSE;
        }
      g_array_append_val (out, e);
      if (!sl_kread_check_budget (kr, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- map info and BTF ---- */

static gboolean
read_map_info (const SlGuestKernel *gk, SlKread *kr, guint64 kva, MapInfo *mi, GError **error)
{
  memset (mi, 0, sizeof *mi);
  mi->kva = kva;
  guint64 v;
  struct { const char *path; guint32 *dst; } u32s[] = {
    { "map_type", &mi->type }, { "key_size", &mi->key_size }, { "value_size", &mi->value_size },
    { "max_entries", &mi->max_entries }, { "btf_key_type_id", &mi->key_type_id },
    { "btf_value_type_id", &mi->value_type_id }, { "id", &mi->id },
  };
  for (guint i = 0; i < G_N_ELEMENTS (u32s); i++)
    {
      if (!sl_guest_read_field (gk, kr, kva, "bpf_map", u32s[i].path, &v, error))
        return FALSE;
      *u32s[i].dst = (guint32) v;
    }
  if (!sl_guest_read_field (gk, kr, kva, "bpf_map", "btf", &mi->btf_kva, error))
    return FALSE;
  guint32 name_off;
  if (!field (gk, "bpf_map", "name", &name_off, error) || !sl_kread (kr, kva + name_off, mi->name, 16, error))
    return FALSE;
  mi->name[16] = '\0';
  for (guint i = 0; mi->name[i]; i++)   /* names are [A-Za-z0-9_.]; keep the report printable */
    if (!g_ascii_isprint (mi->name[i]))
      mi->name[i] = '?';
  return TRUE;
}

/* The BTF describing a map's key and value; borrowed from the cache. */
static const struct btf *
map_btf (SlBpfMaps *bm, SlKread *kr, const MapInfo *mi, GError **error)
{
  const SlGuestKernel *gk = bm->gk;
  if (mi->btf_kva == 0)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_NOT_FOUND, "the map has no BTF");
      return NULL;
    }
  guint64 data, base, id = 0, kernel_btf = 0, size;
  if (!sl_guest_read_field (gk, kr, mi->btf_kva, "btf", "data", &data, error)
      || !sl_guest_read_field (gk, kr, mi->btf_kva, "btf", "data_size", &size, error)
      || !sl_guest_read_field (gk, kr, mi->btf_kva, "btf", "base_btf", &base, error))
    return NULL;
  sl_guest_read_field (gk, kr, mi->btf_kva, "btf", "id", &id, NULL);
  sl_guest_read_field (gk, kr, mi->btf_kva, "btf", "kernel_btf", &kernel_btf, NULL);
  if (kernel_btf & 0xff)
    return gk->btf;
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                                          mi->btf_kva, id, size);
  struct btf *cached = g_hash_table_lookup (bm->btf_cache, key);
  if (cached != NULL)
    return cached;
  if (size == 0 || size > SL_BPF_MAX_BTF_SIZE)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "program BTF of %" G_GUINT64_FORMAT " bytes (limit %u)",
                   size, SL_BPF_MAX_BTF_SIZE);
      return NULL;
    }
  g_autofree guint8 *buf = g_malloc (size);
  if (!sl_kread (kr, data, buf, size, error))
    {
      g_prefix_error (error, "program BTF: ");
      return NULL;
    }
  struct btf *b = base != 0 ? btf__new_split (buf, size, (struct btf *) gk->btf) : btf__new (buf, size);
  if (b == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "program BTF (%" G_GUINT64_FORMAT " bytes) does not parse", size);
      return NULL;
    }
  g_hash_table_insert (bm->btf_cache, g_steal_pointer (&key), b);
  return b;
}

/* ---- rendering helpers ---- */

static SlValue *
render_bytes (SlBpfMaps *bm, SlRenderCtx *ctx, guint32 type_id, const guint8 *data, gsize len)
{
  if (ctx->btf == NULL || type_id == 0)
    {
      g_autofree char *hex = sl_hex_bytes (data, len);
      return sl_value_new_bytes (hex);
    }
  if (!bm->defer)
    return sl_btf_render (ctx, type_id, data, len);
  Pending p = { sl_value_new_unsupported ("pending: rendered after the thaw"), NULL, ctx->btf, type_id, bm->arena->len, len };
  g_byte_array_append (bm->arena, data, (guint) len);
  g_array_append_val (bm->pending, p);
  return p.slot;
}

/* key_hex / value_hex: formatted now, or after the thaw in deferred mode. */
static void
hex_into (SlBpfMaps *bm, char **dst, const guint8 *data, gsize len)
{
  if (!bm->defer)
    {
      *dst = sl_hex_bytes (data, len);
      return;
    }
  *dst = g_strdup ("");   /* replaced when rendered; never left NULL */
  Pending p = { NULL, dst, NULL, 0, bm->arena->len, len };
  g_byte_array_append (bm->arena, data, (guint) len);
  g_array_append_val (bm->pending, p);
}

static void finish_array (PendingArray *pa);

static void
set_error (SlMap *m, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
set_error (SlMap *m, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (m->error == NULL)
    m->error = g_steal_pointer (&msg);
  else
    {
      char *both = g_strdup_printf ("%s; %s", m->error, msg);
      g_free (m->error);
      m->error = both;
    }
}

static void
finish_array (PendingArray *pa)
{
  SlMap *m = pa->map;
  if (pa->values->len > 0)
    m->value = sl_value_copy (pa->values->pdata[0]);
  if (!pa->many)
    return;
  /* Every index as a typed entry (key = the u32 index): no JSON tree per value. */
  m->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_map_entry_free);
  for (guint i = 0; i < pa->values->len; i++)
    {
      SlMapEntry *e = g_new0 (SlMapEntry, 1);
      guint8 key[4] = { i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, (i >> 24) & 0xff };
      e->key = sl_value_new_uint (32, i);
      e->key_hex = sl_hex_bytes (key, 4);
      e->value = g_steal_pointer (&pa->values->pdata[i]);
      e->value_hex = g_strdup ("");
      g_ptr_array_add (m->entries, e);
    }
  if (pa->n > pa->values->len)
    set_error (m, "entries truncated at %u of %u indices", pa->values->len, pa->n);
}

static void
render_array (SlBpfMaps *bm, SlKread *kr, SlRenderCtx *ctx, const MapInfo *mi, SlMap *m)
{
  const SlGuestKernel *gk = bm->gk;
  g_autoptr(GError) error = NULL;
  guint32 value_off;
  guint64 elem_size;
  if (!field (gk, "bpf_array", "value", &value_off, &error)
      || !sl_guest_read_field (gk, kr, mi->kva, "bpf_array", "elem_size", &elem_size, &error))
    {
      set_error (m, "%s", error->message);
      return;
    }
  if (elem_size < mi->value_size || elem_size > (guint64) mi->value_size + 8)
    {
      set_error (m, "implausible elem_size %" G_GUINT64_FORMAT " for value_size %u", elem_size, mi->value_size);
      return;
    }
  guint n = mi->max_entries;
  gboolean many = n > 1 && !sl_map_is_global_section (m);
  guint count = many ? MIN (n, SL_BPF_MAX_ARRAY_ENTRIES) : MIN (n, 1);
  /* One read for the whole value area (it may span vmalloc pages). */
  if ((guint64) count * elem_size > kr->bytes_left)
    count = (guint) MIN ((guint64) count, kr->bytes_left / MAX (elem_size, 1));
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_value_free);
  g_byte_array_set_size (bm->scratch, (guint) MAX (count * elem_size, 1));
  if (!sl_kread (kr, mi->kva + value_off, bm->scratch->data, count * elem_size, &error))
    {
      set_error (m, "values: %s", error->message);
      return;
    }
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (values, render_bytes (bm, ctx, mi->value_type_id, bm->scratch->data + elem_size * i,
                                           mi->value_size));
  PendingArray *pa = g_new0 (PendingArray, 1);
  pa->map = m;
  pa->values = g_steal_pointer (&values);
  pa->n = n;
  pa->many = many;
  if (bm->defer)
    g_ptr_array_add (bm->pending_arrays, pa);
  else
    {
      finish_array (pa);
      pending_array_free (pa);
    }
}

/* Per-CPU values at `pptr` (a __percpu address): one slot per CPU, NULL when
 * unreadable (ktstr: a CPU whose address is not in guest memory is null). Sets
 * *budget_hit and stops when the read budget runs out. */
static SlValue **
read_percpu_values (SlBpfMaps *bm, SlKread *kr, SlRenderCtx *ctx, const MapInfo *mi, guint64 pptr, guint8 *buf,
                    gboolean *budget_hit)
{
  const SlGuestKernel *gk = bm->gk;
  SlValue **slots = g_new0 (SlValue *, gk->n_cpus);
  for (guint cpu = 0; cpu < gk->n_cpus && !*budget_hit; cpu++)
    {
      guint64 kva;
      g_autoptr(GError) local = NULL;
      if (!sl_guest_kernel_percpu (gk, pptr, cpu, &kva, &local)
          || !sl_kread (kr, kva, buf, mi->value_size, &local))
        {
          *budget_hit = g_error_matches (local, SL_ERROR, SL_ERROR_TOO_LARGE);
          continue;
        }
      slots[cpu] = render_bytes (bm, ctx, mi->value_type_id, buf, mi->value_size);
    }
  return slots;
}

static void
render_percpu_array (SlBpfMaps *bm, SlKread *kr, SlRenderCtx *ctx, const MapInfo *mi, SlMap *m)
{
  g_autoptr(GError) error = NULL;
  guint32 pptrs_off;
  if (!field (bm->gk, "bpf_array", "pptrs", &pptrs_off, &error))
    {
      set_error (m, "%s", error->message);
      return;
    }
  guint count = MIN (mi->max_entries, SL_BPF_MAX_PERCPU_KEYS);
  g_autofree guint8 *buf = g_malloc (MAX (mi->value_size, 1));
  m->percpu_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_percpu_entry_free);
  for (guint k = 0; k < count; k++)
    {
      guint64 pptr;
      if (!sl_kread_u64 (kr, mi->kva + pptrs_off + 8ull * k, &pptr, &error))
        {
          set_error (m, "key %u: %s", k, error->message);
          return;
        }
      gboolean budget_hit = FALSE;
      SlValue **slots = read_percpu_values (bm, kr, ctx, mi, pptr, buf, &budget_hit);
      SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);
      e->key = k;
      e->n_cpus = bm->gk->n_cpus;
      e->per_cpu = slots;
      g_ptr_array_add (m->percpu_entries, e);
      if (budget_hit)
        {
          set_error (m, "key %u: read budget exhausted", k);
          return;
        }
    }
  if (mi->max_entries > count)
    set_error (m, "percpu_entries truncated at %u of %u keys", count, mi->max_entries);
}

static void
render_hash (SlBpfMaps *bm, SlKread *kr, SlRenderCtx *ctx, const MapInfo *mi, SlMap *m, gboolean percpu)
{
  const SlGuestKernel *gk = bm->gk;
  g_autoptr(GError) error = NULL;
  guint64 buckets, n_buckets;
  guint32 key_off, bucket_size, next_off;
  if (!sl_guest_read_field (gk, kr, mi->kva, "bpf_htab", "buckets", &buckets, &error)
      || !sl_guest_read_field (gk, kr, mi->kva, "bpf_htab", "n_buckets", &n_buckets, &error)
      || !field (gk, "htab_elem", "key", &key_off, &error)
      || !sl_ktypes_size (gk->types, "bucket", &bucket_size, &error)
      || !field (gk, "hlist_nulls_node", "next", &next_off, &error))
    {
      set_error (m, "%s", error->message);
      return;
    }
  guint32 first_off = 0;
  SlKfield hf;
  if (sl_ktypes_member (gk->types, "bucket", "head", &hf, NULL))
    first_off = hf.offset;   /* hlist_nulls_head.first is its only member */
  if (n_buckets == 0 || n_buckets > SL_BPF_MAX_BUCKETS || bucket_size == 0 || bucket_size > 256
      || mi->key_size == 0 || mi->key_size > 512)
    {
      set_error (m, "implausible hash layout (n_buckets %" G_GUINT64_FORMAT ", key_size %u)", n_buckets, mi->key_size);
      return;
    }
  gsize value_gap = (mi->key_size + 7) & ~7u;
  gsize vsize = percpu ? 8 : mi->value_size;
  gsize elem_bytes = value_gap + vsize;
  g_autofree guint8 *elem = g_malloc (elem_bytes);
  g_autofree guint8 *pbuf = g_malloc (MAX (mi->value_size, 1));
  if (percpu)
    m->percpu_hash_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_percpu_hash_entry_free);
  else
    m->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_map_entry_free);
  guint n_entries = 0, hops = 0;
  for (guint64 b = 0; b < n_buckets; b++)
    {
      guint64 node;
      if (!sl_kread_u64 (kr, buckets + b * bucket_size + first_off, &node, &error))
        {
          set_error (m, "bucket %" G_GUINT64_FORMAT ": %s", b, error->message);
          return;
        }
      while ((node & 1) == 0 && node != 0)   /* odd = the nulls end marker */
        {
          if (++hops > SL_BPF_MAX_HASH_ENTRIES * 2)
            {
              set_error (m, "hash walk stopped after %u elements (cyclic or oversized chains)", hops - 1);
              return;
            }
          guint64 elem_kva = node;   /* hash_node is the first member of htab_elem */
          if (!sl_kread (kr, elem_kva + key_off, elem, elem_bytes, &error))
            {
              set_error (m, "element at 0x%" G_GINT64_MODIFIER "x: %s", elem_kva, error->message);
              return;
            }
          if (n_entries >= SL_BPF_MAX_HASH_ENTRIES)
            {
              set_error (m, "entries truncated at %u", SL_BPF_MAX_HASH_ENTRIES);
              return;
            }
          SlValue *key = mi->key_type_id ? render_bytes (bm, ctx, mi->key_type_id, elem, mi->key_size) : NULL;
          if (percpu)
            {
              guint64 pptr;
              memcpy (&pptr, elem + value_gap, 8);
              gboolean budget_hit = FALSE;
              SlValue **slots = read_percpu_values (bm, kr, ctx, mi, pptr, pbuf, &budget_hit);
              SlPercpuHashEntry *e = g_new0 (SlPercpuHashEntry, 1);
              e->key = key;
              hex_into (bm, &e->key_hex, elem, mi->key_size);
              e->n_cpus = gk->n_cpus;
              e->per_cpu = slots;
              g_ptr_array_add (m->percpu_hash_entries, e);
              if (budget_hit)
                {
                  set_error (m, "read budget exhausted");
                  return;
                }
            }
          else
            {
              SlMapEntry *e = g_new0 (SlMapEntry, 1);
              e->key = key;
              hex_into (bm, &e->key_hex, elem, mi->key_size);
              e->value = mi->value_type_id ? render_bytes (bm, ctx, mi->value_type_id, elem + value_gap, mi->value_size) : NULL;
              hex_into (bm, &e->value_hex, elem + value_gap, mi->value_size);
              g_ptr_array_add (m->entries, e);
            }
          n_entries++;
          if (!sl_kread_u64 (kr, node + next_off, &node, &error))
            {
              set_error (m, "chain at 0x%" G_GINT64_MODIFIER "x: %s", node, error->message);
              return;
            }
        }
    }
}

static SlMap *
render_map (SlBpfMaps *bm, SlKread *kr, guint64 kva)
{
  MapInfo mi;
  g_autoptr(GError) error = NULL;
  if (!read_map_info (bm->gk, kr, kva, &mi, &error))
    {
      SlMap *m = sl_map_new ("?", 0, 0, 0);
      m->map_kva = kva;
      set_error (m, "struct bpf_map at 0x%" G_GINT64_MODIFIER "x: %s", kva, error->message);
      return m;
    }
  SlMap *m = sl_map_new (mi.name, mi.type, mi.value_size, mi.max_entries);
  m->map_kva = kva;
  if (mi.value_size > 1u << 20 || mi.key_size > 1u << 16)
    {
      set_error (m, "implausible sizes (key %u, value %u)", mi.key_size, mi.value_size);
      return m;
    }
  const struct btf *btf = NULL;
  if (mi.key_type_id != 0 || mi.value_type_id != 0)
    {
      btf = map_btf (bm, kr, &mi, &error);
      if (btf == NULL)
        {
          set_error (m, "BTF: %s (values shown as bytes)", error->message);
          g_clear_error (&error);
          mi.key_type_id = mi.value_type_id = 0;
        }
    }
  SlRenderCtx ctx;
  sl_btf_render_ctx_init (&ctx, btf, bm->gk, kr, SL_BPF_PTR_HOPS);
  switch (mi.type)
    {
    case SL_BPF_MAP_ARRAY:
      render_array (bm, kr, &ctx, &mi, m);
      break;
    case SL_BPF_MAP_PERCPU_ARRAY:
      render_percpu_array (bm, kr, &ctx, &mi, m);
      break;
    case SL_BPF_MAP_HASH:
    case SL_BPF_MAP_LRU_HASH:
      render_hash (bm, kr, &ctx, &mi, m, FALSE);
      break;
    case SL_BPF_MAP_PERCPU_HASH:
    case SL_BPF_MAP_LRU_PERCPU_HASH:
      render_hash (bm, kr, &ctx, &mi, m, TRUE);
      break;
    default:
      set_error (m, "map type %u is not rendered", mi.type);
      break;
    }
  return m;
}

gboolean
sl_bpf_maps_capture (SlBpfMaps *bm, SlKread *kr, SlReport *report, GError **error)
{
  g_return_val_if_fail (bm != NULL && kr != NULL && report != NULL, FALSE);
  guint64 idr;
  if (!sl_guest_kernel_symbol (bm->gk, "map_idr", &idr, error))
    return FALSE;
  guint32 rt_off;
  if (!field (bm->gk, "idr", "idr_rt", &rt_off, error))
    return FALSE;
  g_autoptr(GArray) kvas = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (!sl_xarray_collect (bm->gk, kr, idr + rt_off, SL_BPF_MAX_MAPS, kvas, error))
    {
      g_prefix_error (error, "map_idr: ");
      return FALSE;
    }
  for (guint i = 0; i < kvas->len; i++)
    {
      SlMap *m = render_map (bm, kr, g_array_index (kvas, guint64, i));
      g_ptr_array_add (report->maps, m);
      if (!sl_kread_check_budget (kr, NULL))
        {
          set_error (m, "capture budget exhausted: %u of %u maps read", i + 1, kvas->len);
          break;
        }
    }
  return TRUE;
}

void
sl_bpf_maps_set_deferred (SlBpfMaps *bm, gboolean defer)
{
  g_return_if_fail (bm != NULL);
  bm->defer = defer;
}

guint
sl_bpf_maps_n_pending (SlBpfMaps *bm)
{
  return bm->pending->len;
}

void
sl_bpf_maps_render_pending (SlBpfMaps *bm, SlKread *kr)
{
  g_return_if_fail (bm != NULL && kr != NULL);
  for (guint i = 0; i < bm->pending->len; i++)
    {
      Pending *p = &g_array_index (bm->pending, Pending, i);
      const guint8 *bytes = bm->arena->data + p->off;
      if (p->slot == NULL)
        {
          g_free (*p->hex);
          *p->hex = sl_hex_bytes (bytes, p->len);
          continue;
        }
      SlRenderCtx ctx;
      sl_btf_render_ctx_init (&ctx, p->btf, bm->gk, kr, SL_BPF_PTR_HOPS);
      SlValue *real = sl_btf_render (&ctx, p->type_id, bytes, p->len);
      /* Swap contents: the placeholder becomes the value, `real` the placeholder. */
      SlValue tmp = *p->slot;
      *p->slot = *real;
      *real = tmp;
      sl_value_free (real);
    }
  g_array_set_size (bm->pending, 0);
  g_byte_array_set_size (bm->arena, 0);
  for (guint i = 0; i < bm->pending_arrays->len; i++)
    finish_array (bm->pending_arrays->pdata[i]);
  g_ptr_array_set_size (bm->pending_arrays, 0);
}

void
sl_bpf_maps_drop_pending (SlBpfMaps *bm)
{
  g_return_if_fail (bm != NULL);
  /* Only forgets: the slots belong to a report that may be gone already. */
  g_array_set_size (bm->pending, 0);
  g_byte_array_set_size (bm->arena, 0);
  g_ptr_array_set_size (bm->pending_arrays, 0);
}

/* ---- the active sched_ext scheduler ---- */

static const SlMap *
find_map_by_kva (const SlReport *r, guint64 kva)
{
  for (guint i = 0; i < r->maps->len; i++)
    {
      const SlMap *m = r->maps->pdata[i];
      if (m->map_kva == kva)
        return m;
    }
  return NULL;
}

static gboolean
identify (SlBpfMaps *bm, SlKread *kr, SlReport *report, char **why)
{
  const SlGuestKernel *gk = bm->gk;
  g_autoptr(GError) error = NULL;
  guint64 root_sym, sch;
  if (!sl_guest_kernel_symbol (gk, "scx_root", &root_sym, NULL))
    {
      *why = g_strdup ("unavailable: the kernel has no scx_root");
      return FALSE;
    }
  if (!sl_kread_u64 (kr, root_sym, &sch, &error))
    {
      *why = g_strdup_printf ("scx_root: %s", error->message);
      return FALSE;
    }
  if (sch == 0)
    {
      *why = g_strdup ("scx_root is NULL (no scheduler attached)");
      return FALSE;
    }
  SlKfield namef, statef, dataname, linksf, cntf;
  char ops_name[129] = { 0 };
  if (!sl_ktypes_member (gk->types, "scx_sched", "ops.name", &namef, &error)
      || !sl_kread (kr, sch + namef.offset, ops_name, MIN (namef.size, 128), &error)
      || !sl_ktypes_member (gk->types, "bpf_struct_ops_map", "kvalue.common.state", &statef, &error)
      || !sl_ktypes_member (gk->types, "bpf_struct_ops_sched_ext_ops", "data.name", &dataname, &error)
      || !sl_ktypes_member (gk->types, "bpf_struct_ops_map", "links", &linksf, &error))
    {
      *why = g_strdup_printf ("scx walker: %s", error->message);
      return FALSE;
    }
  SlKfield kvalue;
  if (!sl_ktypes_member (gk->types, "bpf_struct_ops_map", "kvalue", &kvalue, &error))
    {
      *why = g_strdup_printf ("scx walker: %s", error->message);
      return FALSE;
    }
  gboolean have_cnt = sl_ktypes_member (gk->types, "bpf_struct_ops_map", "funcs_cnt", &cntf, NULL);
  /* INUSE: registered by a map update (no link); READY: registered through a link. */
  gint64 inuse = 1, ready = 3;
  sl_ktypes_enum_value (gk->types, "BPF_STRUCT_OPS_STATE_INUSE", &inuse, NULL);
  sl_ktypes_enum_value (gk->types, "BPF_STRUCT_OPS_STATE_READY", &ready, NULL);
  SlKfield opsf;
  guint64 sch_first_cb = 0;
  if (sl_ktypes_member (gk->types, "scx_sched", "ops", &opsf, NULL))
    sl_kread_u64 (kr, sch + opsf.offset, &sch_first_cb, NULL);
  else
    opsf.offset = 0;
  guint32 name_in_ops = namef.offset - opsf.offset;
  const SlMap *best = NULL;
  int best_score = -1;

  g_autoptr(GArray) kvas = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree char *obj = NULL;
  for (guint i = 0; i < report->maps->len; i++)
    {
      const SlMap *m = report->maps->pdata[i];
      if (m->map_type != SL_BPF_MAP_STRUCT_OPS)
        continue;
      guint32 state = 0;
      char name[129] = { 0 };
      if (!sl_kread_u32 (kr, m->map_kva + statef.offset, &state, NULL)
          || (state != (guint32) inuse && state != (guint32) ready)
          || !sl_kread (kr, m->map_kva + kvalue.offset + dataname.offset, name, 128, NULL)
          || strcmp (name, ops_name) != 0)
        continue;
      /* Several maps may carry the name (a second instance loaded, not attached):
       * the attached one has scx_root's copy of its callbacks (trampolines). */
      guint64 first_cb = 0;
      sl_kread_u64 (kr, m->map_kva + kvalue.offset + dataname.offset - name_in_ops, &first_cb, NULL);
      int score = (first_cb == sch_first_cb ? 2 : 0) + (state == (guint32) inuse ? 1 : 0);
      if (score > best_score)
        {
          best = m;
          best_score = score;
        }
    }
  if (best != NULL)
    {
      const SlMap *m = best;
      g_array_append_val (kvas, m->map_kva);
      guint64 links = 0, cnt = 0;
      guint32 ops_id = sl_ktypes_struct_id (gk->types, "sched_ext_ops", NULL);
      if (ops_id != 0)   /* before funcs_cnt (6.9), links[] had one slot per member */
        cnt = btf_vlen (btf__type_by_id (gk->btf, ops_id));
      if (!sl_kread_u64 (kr, m->map_kva + linksf.offset, &links, NULL))
        links = 0;
      if (have_cnt)
        {
          guint32 c = 0;
          sl_kread_u32 (kr, m->map_kva + cntf.offset, &c, NULL);
          cnt = MIN (c, 256u);
        }
      for (guint64 l = 0; links != 0 && l < cnt; l++)
        {
          guint64 link, prog, aux, used, n_used;
          if (!sl_kread_u64 (kr, links + 8 * l, &link, NULL) || link == 0
              || !sl_guest_read_field (gk, kr, link, "bpf_link", "prog", &prog, NULL) || prog == 0
              || !sl_guest_read_field (gk, kr, prog, "bpf_prog", "aux", &aux, NULL) || aux == 0
              || !sl_guest_read_field (gk, kr, aux, "bpf_prog_aux", "used_maps", &used, NULL)
              || !sl_guest_read_field (gk, kr, aux, "bpf_prog_aux", "used_map_cnt", &n_used, NULL))
            continue;
          for (guint64 u = 0; u < MIN (n_used, 64u); u++)
            {
              guint64 mk;
              if (!sl_kread_u64 (kr, used + 8 * u, &mk, NULL) || mk == 0)
                continue;
              gboolean seen = FALSE;
              for (guint j = 0; j < kvas->len && !seen; j++)
                seen = g_array_index (kvas, guint64, j) == mk;
              if (!seen)
                g_array_append_val (kvas, mk);
              const SlMap *um = find_map_by_kva (report, mk);
              if (obj == NULL && um != NULL && sl_map_is_global_section (um))
                {
                  const char *dot = strrchr (um->name, '.');
                  if (dot != NULL && dot > um->name)
                    obj = g_strndup (um->name, dot - um->name);
                }
            }
        }
    }
  if (kvas->len == 0)
    {
      *why = g_strdup_printf ("no struct_ops map in use for the attached scheduler '%s'", ops_name);
      return FALSE;
    }
  g_array_set_size (report->active_map_kvas, 0);
  g_array_append_vals (report->active_map_kvas, kvas->data, kvas->len);
  g_free (report->active_obj_name);
  report->active_obj_name = g_steal_pointer (&obj);
  return TRUE;
}

void
sl_bpf_maps_identify_active (SlBpfMaps *bm, SlKread *kr, SlReport *report)
{
  g_return_if_fail (bm != NULL && kr != NULL && report != NULL);
  char *why = NULL;
  if (!identify (bm, kr, report, &why))
    {
      g_free (report->scx_walker_unavailable);
      report->scx_walker_unavailable = why;
    }
}
