/* sl-value-json.c: RenderedValue's JSON form (§2.5): internally tagged by
 * "kind", snake_case, optional keys omitted when absent.
 *
 * Reading is the untrusted path: depth and element counts are bounded and
 * every error names `where` plus the sub-path that failed. */
#include "sl-value.h"
#include "sl-value-private.h"
#include "sl-types.h"

#include <string.h>

/* ---- JSON reading ---------------------------------------------------- */

typedef struct {
  const char *where;
  GString    *path;    /* sub-path below `where`, e.g. ".members[5].value" */
  guint       depth;
  GError    **error;
} ReadCtx;

G_GNUC_PRINTF (3, 4) static void
read_fail (ReadCtx *ctx, SlError code, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (ctx->error, SL_ERROR, code, "%s%s: %s",
               ctx->where != NULL ? ctx->where : "value", ctx->path->str, msg);
}

static gboolean
read_u64 (ReadCtx *ctx, JsonObject *o, const char *key, guint64 *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (sl_json_node_get_u64 (n, out))
    return TRUE;
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an integer, found %s", key, sl_json_node_type_name (n));
  return FALSE;
}

static gboolean
read_bits (ReadCtx *ctx, JsonObject *o, guint16 *out)
{
  guint64 bits;

  if (!read_u64 (ctx, o, "bits", &bits))
    return FALSE;
  if (bits > G_MAXUINT16)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"bits\" out of range: %" G_GUINT64_FORMAT, bits);
      return FALSE;
    }
  *out = (guint16) bits;
  return TRUE;
}

/* A string key; absent or null gives NULL when `optional`. */
static gboolean
read_str (ReadCtx *ctx, JsonObject *o, const char *key, gboolean optional, const char **out)
{
  JsonNode *n = json_object_get_member (o, key);

  *out = NULL;
  if (optional && (n == NULL || JSON_NODE_HOLDS_NULL (n)))
    return TRUE;
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    {
      *out = json_node_get_string (n);
      return TRUE;
    }
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be a string, found %s", key, sl_json_node_type_name (n));
  return FALSE;
}

static JsonArray *
read_array (ReadCtx *ctx, JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an array, found %s", key, sl_json_node_type_name (n));
      return NULL;
    }
  a = json_node_get_array (n);
  if (json_array_get_length (a) > SL_VALUE_MAX_ELEMENTS)
    {
      read_fail (ctx, SL_ERROR_TOO_LARGE, "key \"%s\" has %u items (at most %u allowed)",
                 key, json_array_get_length (a), SL_VALUE_MAX_ELEMENTS);
      return NULL;
    }
  return a;
}

static SlValue *read_value (ReadCtx *ctx, JsonNode *node);

/* Reads a nested value, extending the path with seg (and "[index]" when
 * index >= 0); the path is restored on success and kept for the error. */
static SlValue *
read_child (ReadCtx *ctx, JsonNode *node, const char *seg, gint index)
{
  gsize mark = ctx->path->len;
  SlValue *v;

  g_string_append (ctx->path, seg);
  if (index >= 0)
    g_string_append_printf (ctx->path, "[%d]", index);
  v = read_value (ctx, node);
  if (v != NULL)
    g_string_truncate (ctx->path, mark);
  return v;
}

/* The optional child keys of PTR and TRUNCATED: absent or null = NULL. */
static gboolean
read_optional_child (ReadCtx *ctx, JsonObject *o, const char *seg, SlValue **out)
{
  JsonNode *n = json_object_get_member (o, seg + 1);   /* seg is ".key" */

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  *out = read_child (ctx, n, seg, -1);
  return *out != NULL;
}

static SlValue *
read_struct (ReadCtx *ctx, JsonObject *o)
{
  const char *type_name;
  JsonArray *members;
  g_autoptr(SlValue) s = NULL;
  guint n;

  if (!read_str (ctx, o, "type_name", TRUE, &type_name))
    return NULL;
  if ((members = read_array (ctx, o, "members")) == NULL)
    return NULL;
  s = sl_value_new_struct (type_name);
  n = json_array_get_length (members);
  if (n > 0)
    s->members = g_new (SlMember, sl_value_capacity_for (n));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *mn = json_array_get_element (members, i);
      gsize mark = ctx->path->len;
      JsonObject *mo;
      const char *name;
      SlValue *mv;

      g_string_append_printf (ctx->path, ".members[%u]", i);
      if (!JSON_NODE_HOLDS_OBJECT (mn))
        {
          read_fail (ctx, SL_ERROR_CORRUPT, "member must be an object, found %s", sl_json_node_type_name (mn));
          return NULL;
        }
      mo = json_node_get_object (mn);
      if (!read_str (ctx, mo, "name", FALSE, &name))
        return NULL;
      if ((mv = read_child (ctx, json_object_get_member (mo, "value"), ".value", -1)) == NULL)
        return NULL;
      s->members[i].name = g_strdup (name);
      s->members[i].value = mv;
      s->n_members++;
      g_string_truncate (ctx->path, mark);
    }
  return g_steal_pointer (&s);
}

static SlValue *
read_array_value (ReadCtx *ctx, JsonObject *o)
{
  guint64 len;
  JsonArray *elements;
  g_autoptr(SlValue) a = NULL;
  guint n;

  if (!read_u64 (ctx, o, "len", &len))
    return NULL;
  if ((elements = read_array (ctx, o, "elements")) == NULL)
    return NULL;
  a = sl_value_new_array (len);
  n = json_array_get_length (elements);
  if (n > 0)
    a->elements = g_new (SlValue *, sl_value_capacity_for (n));
  for (guint i = 0; i < n; i++)
    {
      SlValue *e = read_child (ctx, json_array_get_element (elements, i), ".elements", (gint) i);

      if (e == NULL)
        return NULL;
      a->elements[a->n_elements++] = e;
    }
  return g_steal_pointer (&a);
}

static SlValue *
read_value (ReadCtx *ctx, JsonNode *node)
{
  JsonObject *o;
  const char *kind_name;
  SlValueKind kind;
  SlValue *v = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "a value must be an object, found %s", sl_json_node_type_name (node));
      return NULL;
    }
  if (ctx->depth >= SL_VALUE_MAX_DEPTH)
    {
      read_fail (ctx, SL_ERROR_TOO_LARGE, "nested deeper than %u levels", SL_VALUE_MAX_DEPTH);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!read_str (ctx, o, "kind", FALSE, &kind_name))
    return NULL;
  if (!sl_value_kind_parse (kind_name, &kind))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "unknown kind \"%s\"", kind_name);
      return NULL;
    }

  ctx->depth++;
  switch (kind)
    {
    case SL_VALUE_INT:
      {
        guint16 bits;
        gint64 i;

        if (!read_bits (ctx, o, &bits))
          break;
        if (!sl_json_node_get_i64 (json_object_get_member (o, "value"), &i))
          {
            read_fail (ctx, SL_ERROR_CORRUPT, "key \"value\" must be an integer, found %s",
                       sl_json_node_type_name (json_object_get_member (o, "value")));
            break;
          }
        v = sl_value_new_int (bits, i);
      }
      break;
    case SL_VALUE_UINT:
      {
        guint16 bits;
        guint64 u;

        if (read_bits (ctx, o, &bits) && read_u64 (ctx, o, "value", &u))
          v = sl_value_new_uint (bits, u);
      }
      break;
    case SL_VALUE_BOOL:
      {
        JsonNode *n = json_object_get_member (o, "value");

        if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
          read_fail (ctx, SL_ERROR_CORRUPT, "key \"value\" must be a boolean, found %s", sl_json_node_type_name (n));
        else
          v = sl_value_new_bool (json_node_get_boolean (n));
      }
      break;
    case SL_VALUE_CHAR:
      {
        guint64 c;

        if (!read_u64 (ctx, o, "value", &c))
          break;
        if (c > G_MAXUINT8)
          read_fail (ctx, SL_ERROR_CORRUPT, "key \"value\" out of range for a char: %" G_GINT64_FORMAT, (gint64) c);
        else
          v = sl_value_new_char ((guint8) c);
      }
      break;
    case SL_VALUE_FLOAT:
      {
        guint16 bits;
        double f;

        if (!read_bits (ctx, o, &bits))
          break;
        if (!sl_json_node_get_f64 (json_object_get_member (o, "value"), &f))
          read_fail (ctx, SL_ERROR_CORRUPT, "key \"value\" must be a number or null, found %s",
                     sl_json_node_type_name (json_object_get_member (o, "value")));
        else
          v = sl_value_new_float (bits, f);
      }
      break;
    case SL_VALUE_ENUM:
      {
        guint16 bits;
        guint64 raw;
        const char *variant;
        JsonNode *sn = json_object_get_member (o, "is_signed");
        gboolean is_signed = FALSE;

        if (sn != NULL && !JSON_NODE_HOLDS_NULL (sn))
          {
            if (!JSON_NODE_HOLDS_VALUE (sn) || json_node_get_value_type (sn) != G_TYPE_BOOLEAN)
              {
                read_fail (ctx, SL_ERROR_CORRUPT, "key \"is_signed\" must be a boolean, found %s",
                           sl_json_node_type_name (sn));
                break;
              }
            is_signed = json_node_get_boolean (sn);
          }
        if (read_bits (ctx, o, &bits) && read_u64 (ctx, o, "value", &raw)
            && read_str (ctx, o, "variant", TRUE, &variant))
          v = sl_value_new_enum (bits, is_signed, raw, variant);
      }
      break;
    case SL_VALUE_STRUCT:
      v = read_struct (ctx, o);
      break;
    case SL_VALUE_ARRAY:
      v = read_array_value (ctx, o);
      break;
    case SL_VALUE_CPU_LIST:
    case SL_VALUE_BYTES:
    case SL_VALUE_UNSUPPORTED:
      {
        const char *key = kind == SL_VALUE_CPU_LIST ? "cpus" : kind == SL_VALUE_BYTES ? "hex" : "reason";
        const char *text;

        if (read_str (ctx, o, key, FALSE, &text))
          {
            v = sl_value_alloc (kind);
            v->text = g_strdup (text);
          }
      }
      break;
    case SL_VALUE_PTR:
      {
        guint64 addr;
        const char *skipped, *cast;
        SlValue *deref;

        if (read_u64 (ctx, o, "value", &addr)
            && read_str (ctx, o, "deref_skipped_reason", TRUE, &skipped)
            && read_str (ctx, o, "cast_annotation", TRUE, &cast)
            && read_optional_child (ctx, o, ".deref", &deref))
          v = sl_value_new_ptr (addr, deref, skipped, cast);
      }
      break;
    case SL_VALUE_TRUNCATED:
      {
        guint64 needed, had;
        SlValue *partial;

        if (read_u64 (ctx, o, "needed", &needed) && read_u64 (ctx, o, "had", &had)
            && read_optional_child (ctx, o, ".partial", &partial))
          v = sl_value_new_truncated (needed, had, partial);
      }
      break;
    }
  ctx->depth--;
  return v;
}

SlValue *
sl_value_from_json (JsonNode *node, const char *where, GError **error)
{
  ReadCtx ctx = { where, g_string_sized_new (64), 0, error };
  SlValue *v;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  v = read_value (&ctx, node);
  g_string_free (ctx.path, TRUE);
  return v;
}

/* ---- JSON writing ---------------------------------------------------- */

void
sl_value_write_json (const SlValue *v, SlJsonWriter *w)
{
  g_return_if_fail (v != NULL);
  g_return_if_fail (w != NULL);

  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "kind");
  sl_json_writer_string (w, sl_value_kind_name (v->kind));
  switch (v->kind)
    {
    case SL_VALUE_INT:
      sl_json_writer_key (w, "bits");
      sl_json_writer_u64 (w, v->bits);
      sl_json_writer_key (w, "value");
      sl_json_writer_i64 (w, v->v.i);
      break;
    case SL_VALUE_UINT:
      sl_json_writer_key (w, "bits");
      sl_json_writer_u64 (w, v->bits);
      sl_json_writer_key (w, "value");
      sl_json_writer_u64 (w, v->v.u);
      break;
    case SL_VALUE_BOOL:
      sl_json_writer_key (w, "value");
      sl_json_writer_bool (w, v->v.b);
      break;
    case SL_VALUE_CHAR:
      sl_json_writer_key (w, "value");
      sl_json_writer_u64 (w, v->v.c);
      break;
    case SL_VALUE_FLOAT:
      sl_json_writer_key (w, "bits");
      sl_json_writer_u64 (w, v->bits);
      sl_json_writer_key (w, "value");
      sl_json_writer_f64 (w, v->v.f);
      break;
    case SL_VALUE_ENUM:
      sl_json_writer_key (w, "bits");
      sl_json_writer_u64 (w, v->bits);
      /* ktstr stores an enum's value as i64 whatever its signedness. */
      sl_json_writer_key (w, "value");
      sl_json_writer_i64 (w, v->v.i);
      sl_json_writer_key (w, "variant");
      sl_json_writer_string (w, v->text);
      sl_json_writer_key (w, "is_signed");
      sl_json_writer_bool (w, v->is_signed);
      break;
    case SL_VALUE_STRUCT:
      sl_json_writer_key (w, "type_name");
      sl_json_writer_string (w, v->text);
      sl_json_writer_key (w, "members");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < v->n_members; i++)
        {
          sl_json_writer_begin_object (w);
          sl_json_writer_key (w, "name");
          sl_json_writer_string (w, v->members[i].name);
          sl_json_writer_key (w, "value");
          sl_value_write_json (v->members[i].value, w);
          sl_json_writer_end_object (w);
        }
      sl_json_writer_end_array (w);
      break;
    case SL_VALUE_ARRAY:
      sl_json_writer_key (w, "len");
      sl_json_writer_u64 (w, v->len);
      sl_json_writer_key (w, "elements");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < v->n_elements; i++)
        sl_value_write_json (v->elements[i], w);
      sl_json_writer_end_array (w);
      break;
    case SL_VALUE_CPU_LIST:
      sl_json_writer_key (w, "cpus");
      sl_json_writer_string (w, v->text != NULL ? v->text : "");
      break;
    case SL_VALUE_PTR:
      sl_json_writer_key (w, "value");
      sl_json_writer_u64 (w, v->v.u);
      if (v->child != NULL)
        {
          sl_json_writer_key (w, "deref");
          sl_value_write_json (v->child, w);
        }
      if (v->text2 != NULL)
        {
          sl_json_writer_key (w, "deref_skipped_reason");
          sl_json_writer_string (w, v->text2);
        }
      if (v->text != NULL)
        {
          sl_json_writer_key (w, "cast_annotation");
          sl_json_writer_string (w, v->text);
        }
      break;
    case SL_VALUE_BYTES:
      sl_json_writer_key (w, "hex");
      sl_json_writer_string (w, v->text != NULL ? v->text : "");
      break;
    case SL_VALUE_TRUNCATED:
      sl_json_writer_key (w, "needed");
      sl_json_writer_u64 (w, v->len);
      sl_json_writer_key (w, "had");
      sl_json_writer_u64 (w, v->had);
      if (v->child != NULL)
        {
          sl_json_writer_key (w, "partial");
          sl_value_write_json (v->child, w);
        }
      break;
    case SL_VALUE_UNSUPPORTED:
      sl_json_writer_key (w, "reason");
      sl_json_writer_string (w, v->text != NULL ? v->text : "");
      break;
    }
  sl_json_writer_end_object (w);
}

