/* sl-ktypes.c: struct member offsets by name from BTF. */
#include "sl-ktypes.h"
#include "sl-types.h"

#include <string.h>

#define MAX_PEEL      32
#define MAX_ANON_NEST 8

struct _SlKtypes {
  const struct btf *btf;
  GHashTable *cache;     /* "type\npath" → Cached */
  GHashTable *enums;     /* enumerator name → gint64*, built on first use */
  GHashTable *structs;   /* struct/union name → type id, built on first use */
};

typedef struct {
  gboolean ok;
  SlKfield f;
  char    *error;
} Cached;

static void
cached_free (gpointer p)
{
  Cached *c = p;
  g_free (c->error);
  g_free (c);
}

SlKtypes *
sl_ktypes_new (const struct btf *btf)
{
  g_return_val_if_fail (btf != NULL, NULL);
  SlKtypes *kt = g_new0 (SlKtypes, 1);
  kt->btf = btf;
  kt->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_free);
  return kt;
}

void
sl_ktypes_free (SlKtypes *kt)
{
  if (kt == NULL)
    return;
  g_hash_table_unref (kt->cache);
  if (kt->enums)
    g_hash_table_unref (kt->enums);
  if (kt->structs)
    g_hash_table_unref (kt->structs);
  g_free (kt);
}

const struct btf *
sl_ktypes_btf (const SlKtypes *kt)
{
  return kt->btf;
}

guint32
sl_btf_peel (const struct btf *btf, guint32 id)
{
  for (guint i = 0; i < MAX_PEEL; i++)
    {
      const struct btf_type *t = btf__type_by_id (btf, id);
      if (t == NULL)
        return 0;
      switch (btf_kind (t))
        {
        case BTF_KIND_TYPEDEF:
        case BTF_KIND_VOLATILE:
        case BTF_KIND_CONST:
        case BTF_KIND_RESTRICT:
        case BTF_KIND_TYPE_TAG:
          id = t->type;
          break;
        default:
          return id;
        }
    }
  return 0;
}

/* btf__find_by_name_kind scans every type (a kernel has ~150k): index the
 * named structs and unions once instead (a struct wins over a union). */
static void
index_structs (SlKtypes *kt)
{
  kt->structs = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = btf__type_cnt (kt->btf);
  for (guint id = 1; id < n; id++)
    {
      const struct btf_type *t = btf__type_by_id (kt->btf, id);
      if (!btf_is_struct (t) && !btf_is_union (t))
        continue;
      const char *name = btf__name_by_offset (kt->btf, t->name_off);
      if (name == NULL || !*name)
        continue;
      gpointer prev = g_hash_table_lookup (kt->structs, name);
      if (prev == NULL || (btf_is_struct (t) && !btf_is_struct (btf__type_by_id (kt->btf, GPOINTER_TO_UINT (prev)))))
        g_hash_table_insert (kt->structs, (gpointer) name, GUINT_TO_POINTER (id));
    }
}

guint32
sl_ktypes_struct_id (SlKtypes *kt, const char *type, GError **error)
{
  g_return_val_if_fail (kt != NULL && type != NULL, 0);
  if (kt->structs == NULL)
    index_structs (kt);
  guint id = GPOINTER_TO_UINT (g_hash_table_lookup (kt->structs, type));
  if (id == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "unavailable: the kernel has no struct %s", type);
      return 0;
    }
  return (guint32) id;
}

gboolean
sl_ktypes_size (SlKtypes *kt, const char *type, guint32 *size, GError **error)
{
  guint32 id = sl_ktypes_struct_id (kt, type, error);
  if (id == 0)
    return FALSE;
  *size = btf__type_by_id (kt->btf, id)->size;
  return TRUE;
}

/* Finds `name` among the members of struct/union `id`, descending into anonymous
 * members. Adds the byte offset of the hit to *offset. */
static gboolean
find_member (const struct btf *btf, guint32 id, const char *name, guint depth, guint32 *offset,
             guint32 *member_type, gboolean *bitfield)
{
  const struct btf_type *t = btf__type_by_id (btf, id);
  if (t == NULL || depth > MAX_ANON_NEST || (!btf_is_struct (t) && !btf_is_union (t)))
    return FALSE;
  const struct btf_member *m = btf_members (t);
  guint n = btf_vlen (t);
  for (guint i = 0; i < n; i++, m++)
    {
      const char *mn = btf__name_by_offset (btf, m->name_off);
      guint32 bit_off = btf_member_bit_offset (t, i);
      guint32 bit_size = btf_member_bitfield_size (t, i);
      if (mn != NULL && *mn && strcmp (mn, name) == 0)
        {
          *offset += bit_off / 8;
          *member_type = m->type;
          *bitfield = bit_size != 0 || bit_off % 8 != 0;
          return TRUE;
        }
      if (mn == NULL || *mn == '\0')
        {
          guint32 sub = sl_btf_peel (btf, m->type);
          guint32 off = *offset + bit_off / 8;
          if (sub != 0 && find_member (btf, sub, name, depth + 1, &off, member_type, bitfield))
            {
              *offset = off;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
resolve (SlKtypes *kt, const char *type, const char *path, SlKfield *out, char **why)
{
  guint32 id = sl_ktypes_struct_id (kt, type, NULL);
  if (id == 0)
    {
      *why = g_strdup_printf ("unavailable: the kernel has no struct %s", type);
      return FALSE;
    }
  g_auto(GStrv) parts = g_strsplit (path, ".", 0);
  guint32 offset = 0, cur = id, member_type = 0;
  const char *outer = type;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gboolean bitfield = FALSE;
      if (!find_member (kt->btf, cur, parts[i], 0, &offset, &member_type, &bitfield))
        {
          *why = g_strdup_printf ("unavailable: struct %s has no member '%s' in this kernel", outer, parts[i]);
          return FALSE;
        }
      if (bitfield)
        {
          *why = g_strdup_printf ("unavailable: %s.%s is a bitfield", type, path);
          return FALSE;
        }
      cur = sl_btf_peel (kt->btf, member_type);
      if (cur == 0)
        {
          *why = g_strdup_printf ("unavailable: %s.%s has an unresolvable type", type, path);
          return FALSE;
        }
      outer = btf__name_by_offset (kt->btf, btf__type_by_id (kt->btf, cur)->name_off);
      if (outer == NULL || !*outer)
        outer = parts[i];
    }
  gint64 sz = btf__resolve_size (kt->btf, cur);
  out->offset = offset;
  out->size = sz > 0 ? (guint32) sz : 0;
  out->type_id = cur;
  return TRUE;
}

gboolean
sl_ktypes_member (SlKtypes *kt, const char *type, const char *path, SlKfield *out, GError **error)
{
  g_return_val_if_fail (kt != NULL && type != NULL && path != NULL && out != NULL, FALSE);
  g_autofree char *key = g_strconcat (type, "\n", path, NULL);
  Cached *c = g_hash_table_lookup (kt->cache, key);
  if (c == NULL)
    {
      c = g_new0 (Cached, 1);
      c->ok = resolve (kt, type, path, &c->f, &c->error);
      g_hash_table_insert (kt->cache, g_steal_pointer (&key), c);
    }
  if (!c->ok)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_NOT_FOUND, c->error);
      return FALSE;
    }
  *out = c->f;
  return TRUE;
}

/* One pass over every type indexes all enumerators (a kernel has tens of
 * thousands): lookups at capture time are then hash hits. */
static void
index_enums (SlKtypes *kt)
{
  kt->enums = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  guint n = btf__type_cnt (kt->btf);
  for (guint id = 1; id < n; id++)
    {
      const struct btf_type *t = btf__type_by_id (kt->btf, id);
      guint vlen = btf_vlen (t);
      for (guint i = 0; i < vlen && (btf_is_enum (t) || btf_is_enum64 (t)); i++)
        {
          const char *name;
          gint64 v;
          if (btf_is_enum (t))
            {
              name = btf__name_by_offset (kt->btf, btf_enum (t)[i].name_off);
              v = btf_enum (t)[i].val;
            }
          else
            {
              name = btf__name_by_offset (kt->btf, btf_enum64 (t)[i].name_off);
              v = (gint64) btf_enum64_value (&btf_enum64 (t)[i]);
            }
          if (name != NULL && *name && !g_hash_table_contains (kt->enums, name))
            g_hash_table_insert (kt->enums, (gpointer) name, g_memdup2 (&v, sizeof v));
        }
    }
}

gboolean
sl_ktypes_enum_value (SlKtypes *kt, const char *name, gint64 *value, GError **error)
{
  g_return_val_if_fail (kt != NULL && name != NULL && value != NULL, FALSE);
  if (kt->enums == NULL)
    index_enums (kt);
  const gint64 *v = g_hash_table_lookup (kt->enums, name);
  if (v != NULL)
    {
      *value = *v;
      return TRUE;
    }
  g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "unavailable: the kernel has no enumerator %s", name);
  return FALSE;
}
