/* sl-value.c: ktstr's RenderedValue (§2.5): construction, JSON both ways,
 * navigation and scalar coercions.
 *
 * Reading is the untrusted path: depth and element counts are bounded and
 * every error names `where` plus the sub-path that failed. */
#include "sl-value.h"
#include "sl-types.h"

#include <math.h>
#include <string.h>

#define SL_VALUE_MAX_HOPS 16

static const char *const kind_names[] = {
  [SL_VALUE_INT] = "int",
  [SL_VALUE_UINT] = "uint",
  [SL_VALUE_BOOL] = "bool",
  [SL_VALUE_CHAR] = "char",
  [SL_VALUE_FLOAT] = "float",
  [SL_VALUE_ENUM] = "enum",
  [SL_VALUE_STRUCT] = "struct",
  [SL_VALUE_ARRAY] = "array",
  [SL_VALUE_CPU_LIST] = "cpu_list",
  [SL_VALUE_PTR] = "ptr",
  [SL_VALUE_BYTES] = "bytes",
  [SL_VALUE_TRUNCATED] = "truncated",
  [SL_VALUE_UNSUPPORTED] = "unsupported",
};

const char *
sl_value_kind_name (SlValueKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (kind_names))
    return "?";
  return kind_names[kind];
}

gboolean
sl_value_kind_parse (const char *name, SlValueKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (name, kind_names[i]) == 0)
      {
        *out = (SlValueKind) i;
        return TRUE;
      }
  return FALSE;
}

/* Arrays of members/elements grow in powers of two; the capacity is implied
 * by the count, so the struct needs no capacity field. */
static guint
capacity_for (guint n)
{
  guint cap = 4;

  if (n == 0)
    return 0;
  while (cap < n)
    cap <<= 1;
  return cap;
}

static SlValue *
value_new (SlValueKind kind)
{
  SlValue *v = g_new0 (SlValue, 1);

  v->kind = kind;
  return v;
}

SlValue *
sl_value_new_int (guint16 bits, gint64 value)
{
  SlValue *v = value_new (SL_VALUE_INT);

  v->bits = bits;
  v->v.i = value;
  return v;
}

SlValue *
sl_value_new_uint (guint16 bits, guint64 value)
{
  SlValue *v = value_new (SL_VALUE_UINT);

  v->bits = bits;
  v->v.u = value;
  return v;
}

SlValue *
sl_value_new_bool (gboolean value)
{
  SlValue *v = value_new (SL_VALUE_BOOL);

  v->v.b = value ? TRUE : FALSE;
  return v;
}

SlValue *
sl_value_new_char (guint8 value)
{
  SlValue *v = value_new (SL_VALUE_CHAR);

  v->v.c = value;
  return v;
}

SlValue *
sl_value_new_float (guint16 bits, double value)
{
  SlValue *v = value_new (SL_VALUE_FLOAT);

  v->bits = bits;
  v->v.f = value;
  return v;
}

SlValue *
sl_value_new_enum (guint16 bits, gboolean is_signed, guint64 raw, const char *variant)
{
  SlValue *v = value_new (SL_VALUE_ENUM);

  v->bits = bits;
  v->is_signed = is_signed ? TRUE : FALSE;
  v->v.u = raw;
  v->text = g_strdup (variant);
  return v;
}

SlValue *
sl_value_new_struct (const char *type_name)
{
  SlValue *v = value_new (SL_VALUE_STRUCT);

  v->text = g_strdup (type_name);
  return v;
}

void
sl_value_struct_add (SlValue *s, const char *name, SlValue *member)
{
  g_return_if_fail (s != NULL && s->kind == SL_VALUE_STRUCT);
  g_return_if_fail (member != NULL);
  if (s->n_members == capacity_for (s->n_members))
    s->members = g_renew (SlMember, s->members, capacity_for (s->n_members + 1));
  s->members[s->n_members].name = g_strdup (name != NULL ? name : "");
  s->members[s->n_members].value = member;
  s->n_members++;
}

SlValue *
sl_value_new_array (guint64 declared_len)
{
  SlValue *v = value_new (SL_VALUE_ARRAY);

  v->len = declared_len;
  return v;
}

void
sl_value_array_add (SlValue *a, SlValue *element)
{
  g_return_if_fail (a != NULL && a->kind == SL_VALUE_ARRAY);
  g_return_if_fail (element != NULL);
  if (a->n_elements == capacity_for (a->n_elements))
    a->elements = g_renew (SlValue *, a->elements, capacity_for (a->n_elements + 1));
  a->elements[a->n_elements++] = element;
}

SlValue *
sl_value_new_cpu_list (const char *cpus)
{
  SlValue *v = value_new (SL_VALUE_CPU_LIST);

  v->text = g_strdup (cpus != NULL ? cpus : "");
  return v;
}

SlValue *
sl_value_new_ptr (guint64 addr, SlValue *deref, const char *deref_skipped_reason,
                  const char *cast_annotation)
{
  SlValue *v = value_new (SL_VALUE_PTR);

  v->v.u = addr;
  v->child = deref;
  v->text2 = g_strdup (deref_skipped_reason);
  v->text = g_strdup (cast_annotation);
  return v;
}

SlValue *
sl_value_new_bytes (const char *hex)
{
  SlValue *v = value_new (SL_VALUE_BYTES);

  v->text = g_strdup (hex != NULL ? hex : "");
  return v;
}

SlValue *
sl_value_new_truncated (guint64 needed, guint64 had, SlValue *partial)
{
  SlValue *v = value_new (SL_VALUE_TRUNCATED);

  v->len = needed;
  v->had = had;
  v->child = partial;
  return v;
}

SlValue *
sl_value_new_unsupported (const char *reason)
{
  SlValue *v = value_new (SL_VALUE_UNSUPPORTED);

  v->text = g_strdup (reason != NULL ? reason : "");
  return v;
}

SlValue *
sl_value_copy (const SlValue *v)
{
  SlValue *c;

  if (v == NULL)
    return NULL;
  c = g_new (SlValue, 1);
  *c = *v;
  c->text = g_strdup (v->text);
  c->text2 = g_strdup (v->text2);
  c->child = sl_value_copy (v->child);
  c->members = NULL;
  c->elements = NULL;
  if (v->n_members > 0)
    {
      c->members = g_new (SlMember, capacity_for (v->n_members));
      for (guint i = 0; i < v->n_members; i++)
        {
          c->members[i].name = g_strdup (v->members[i].name);
          c->members[i].value = sl_value_copy (v->members[i].value);
        }
    }
  if (v->n_elements > 0)
    {
      c->elements = g_new (SlValue *, capacity_for (v->n_elements));
      for (guint i = 0; i < v->n_elements; i++)
        c->elements[i] = sl_value_copy (v->elements[i]);
    }
  return c;
}

void
sl_value_free (SlValue *v)
{
  if (v == NULL)
    return;
  for (guint i = 0; i < v->n_members; i++)
    {
      g_free (v->members[i].name);
      sl_value_free (v->members[i].value);
    }
  g_free (v->members);
  for (guint i = 0; i < v->n_elements; i++)
    sl_value_free (v->elements[i]);
  g_free (v->elements);
  sl_value_free (v->child);
  g_free (v->text);
  g_free (v->text2);
  g_free (v);
}

static gboolean
float_equal (double a, double b)
{
  if (isnan (a) && isnan (b))
    return TRUE;
  return memcmp (&a, &b, sizeof a) == 0;
}

gboolean
sl_value_equal (const SlValue *a, const SlValue *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;
  if (g_strcmp0 (a->text, b->text) != 0 || g_strcmp0 (a->text2, b->text2) != 0)
    return FALSE;
  switch (a->kind)
    {
    case SL_VALUE_INT:
      return a->bits == b->bits && a->v.i == b->v.i;
    case SL_VALUE_UINT:
      return a->bits == b->bits && a->v.u == b->v.u;
    case SL_VALUE_BOOL:
      return !a->v.b == !b->v.b;
    case SL_VALUE_CHAR:
      return a->v.c == b->v.c;
    case SL_VALUE_FLOAT:
      return a->bits == b->bits && float_equal (a->v.f, b->v.f);
    case SL_VALUE_ENUM:
      return a->bits == b->bits && !a->is_signed == !b->is_signed && a->v.u == b->v.u;
    case SL_VALUE_STRUCT:
      if (a->n_members != b->n_members)
        return FALSE;
      for (guint i = 0; i < a->n_members; i++)
        if (strcmp (a->members[i].name, b->members[i].name) != 0
            || !sl_value_equal (a->members[i].value, b->members[i].value))
          return FALSE;
      return TRUE;
    case SL_VALUE_ARRAY:
      if (a->len != b->len || a->n_elements != b->n_elements)
        return FALSE;
      for (guint i = 0; i < a->n_elements; i++)
        if (!sl_value_equal (a->elements[i], b->elements[i]))
          return FALSE;
      return TRUE;
    case SL_VALUE_PTR:
      return a->v.u == b->v.u && sl_value_equal (a->child, b->child);
    case SL_VALUE_TRUNCATED:
      return a->len == b->len && a->had == b->had && sl_value_equal (a->child, b->child);
    case SL_VALUE_CPU_LIST:
    case SL_VALUE_BYTES:
    case SL_VALUE_UNSUPPORTED:
      return TRUE;   /* text compared above */
    }
  return FALSE;
}

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

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL)
    return "missing";
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_INT64) return "an integer";
        if (t == G_TYPE_DOUBLE) return "a float";
        if (t == G_TYPE_BOOLEAN) return "a boolean";
        if (t == G_TYPE_STRING) return "a string";
      }
      break;
    }
  return "an unknown JSON type";
}

static gboolean
read_u64 (ReadCtx *ctx, JsonObject *o, const char *key, guint64 *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (sl_json_node_get_u64 (n, out))
    return TRUE;
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an integer, found %s", key, node_type_name (n));
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
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be a string, found %s", key, node_type_name (n));
  return FALSE;
}

static JsonArray *
read_array (ReadCtx *ctx, JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an array, found %s", key, node_type_name (n));
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
    s->members = g_new (SlMember, capacity_for (n));
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
          read_fail (ctx, SL_ERROR_CORRUPT, "member must be an object, found %s", node_type_name (mn));
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
    a->elements = g_new (SlValue *, capacity_for (n));
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
      read_fail (ctx, SL_ERROR_CORRUPT, "a value must be an object, found %s", node_type_name (node));
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
                       node_type_name (json_object_get_member (o, "value")));
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
          read_fail (ctx, SL_ERROR_CORRUPT, "key \"value\" must be a boolean, found %s", node_type_name (n));
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
                     node_type_name (json_object_get_member (o, "value")));
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
                           node_type_name (sn));
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
            v = value_new (kind);
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

/* ---- navigation -------------------------------------------------------- */

const SlValue *
sl_value_peel (const SlValue *v)
{
  for (guint hops = 0; v != NULL; hops++)
    {
      if ((v->kind != SL_VALUE_PTR && v->kind != SL_VALUE_TRUNCATED) || v->child == NULL)
        return v;
      if (hops == SL_VALUE_MAX_HOPS)
        return NULL;
      v = v->child;
    }
  return NULL;
}

const SlValue *
sl_value_member (const SlValue *v, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  v = sl_value_peel (v);
  if (v == NULL || v->kind != SL_VALUE_STRUCT)
    return NULL;
  for (guint i = 0; i < v->n_members; i++)
    if (strcmp (v->members[i].name, name) == 0)
      return v->members[i].value;
  return NULL;
}

const SlValue *
sl_value_index (const SlValue *v, guint i)
{
  v = sl_value_peel (v);
  if (v == NULL || v->kind != SL_VALUE_ARRAY || i >= v->n_elements)
    return NULL;
  return v->elements[i];
}

/* ---- coercions (§2.5) ----------------------------------------------------
 * ktstr stores an enum's value as i64 bits: an unsigned enum reinterprets
 * them for as_u64; as_i64 and as_f64 use the i64 for either sign. */

gboolean
sl_value_as_u64 (const SlValue *v, guint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (v == NULL)
    return FALSE;
  switch (v->kind)
    {
    case SL_VALUE_UINT:
    case SL_VALUE_PTR:
      *out = v->v.u;
      return TRUE;
    case SL_VALUE_INT:
      if (v->v.i < 0)
        return FALSE;
      *out = (guint64) v->v.i;
      return TRUE;
    case SL_VALUE_BOOL:
      *out = v->v.b ? 1 : 0;
      return TRUE;
    case SL_VALUE_CHAR:
      *out = v->v.c;
      return TRUE;
    case SL_VALUE_ENUM:
      if (v->is_signed && v->v.i < 0)
        return FALSE;
      *out = v->v.u;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
sl_value_as_i64 (const SlValue *v, gint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (v == NULL)
    return FALSE;
  switch (v->kind)
    {
    case SL_VALUE_INT:
    case SL_VALUE_ENUM:
      *out = v->v.i;
      return TRUE;
    case SL_VALUE_UINT:
      if (v->v.u > (guint64) G_MAXINT64)
        return FALSE;
      *out = (gint64) v->v.u;
      return TRUE;
    case SL_VALUE_BOOL:
      *out = v->v.b ? 1 : 0;
      return TRUE;
    case SL_VALUE_CHAR:
      *out = v->v.c;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
sl_value_as_f64 (const SlValue *v, double *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (v == NULL)
    return FALSE;
  switch (v->kind)
    {
    case SL_VALUE_FLOAT:
      *out = v->v.f;
      return TRUE;
    case SL_VALUE_INT:
      *out = (double) v->v.i;
      return TRUE;
    case SL_VALUE_UINT:
      *out = (double) v->v.u;
      return TRUE;
    case SL_VALUE_ENUM:
      *out = (double) v->v.i;   /* ktstr widens the stored i64 */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Bool as itself; int, uint, char, enum and ptr are true when non-zero.
 * Float is not coercible (as in ktstr). */
gboolean
sl_value_as_bool (const SlValue *v, gboolean *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (v == NULL)
    return FALSE;
  switch (v->kind)
    {
    case SL_VALUE_BOOL:
      *out = v->v.b ? TRUE : FALSE;
      return TRUE;
    case SL_VALUE_INT:
    case SL_VALUE_UINT:
    case SL_VALUE_ENUM:
    case SL_VALUE_PTR:
      *out = v->v.u != 0;
      return TRUE;
    case SL_VALUE_CHAR:
      *out = v->v.c != 0;
      return TRUE;
    default:
      return FALSE;
    }
}

const char *
sl_value_as_str (const SlValue *v)
{
  if (v == NULL || v->kind != SL_VALUE_ENUM)
    return NULL;
  return v->text;
}
