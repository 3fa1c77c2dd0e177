/* sl-value.c: ktstr's RenderedValue (§2.5): construction, copy, equality,
 * navigation and scalar coercions. The JSON form is in sl-value-json.c. */
#include "sl-value.h"
#include "sl-value-private.h"

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
guint
sl_value_capacity_for (guint n)
{
  guint cap = 4;

  if (n == 0)
    return 0;
  while (cap < n)
    cap <<= 1;
  return cap;
}

SlValue *
sl_value_alloc (SlValueKind kind)
{
  SlValue *v = g_new0 (SlValue, 1);

  v->kind = kind;
  return v;
}

SlValue *
sl_value_new_int (guint16 bits, gint64 value)
{
  SlValue *v = sl_value_alloc (SL_VALUE_INT);

  v->bits = bits;
  v->v.i = value;
  return v;
}

SlValue *
sl_value_new_uint (guint16 bits, guint64 value)
{
  SlValue *v = sl_value_alloc (SL_VALUE_UINT);

  v->bits = bits;
  v->v.u = value;
  return v;
}

SlValue *
sl_value_new_bool (gboolean value)
{
  SlValue *v = sl_value_alloc (SL_VALUE_BOOL);

  v->v.b = value ? TRUE : FALSE;
  return v;
}

SlValue *
sl_value_new_char (guint8 value)
{
  SlValue *v = sl_value_alloc (SL_VALUE_CHAR);

  v->v.c = value;
  return v;
}

SlValue *
sl_value_new_float (guint16 bits, double value)
{
  SlValue *v = sl_value_alloc (SL_VALUE_FLOAT);

  v->bits = bits;
  v->v.f = value;
  return v;
}

SlValue *
sl_value_new_enum (guint16 bits, gboolean is_signed, guint64 raw, const char *variant)
{
  SlValue *v = sl_value_alloc (SL_VALUE_ENUM);

  v->bits = bits;
  v->is_signed = is_signed ? TRUE : FALSE;
  v->v.u = raw;
  v->text = g_strdup (variant);
  return v;
}

SlValue *
sl_value_new_struct (const char *type_name)
{
  SlValue *v = sl_value_alloc (SL_VALUE_STRUCT);

  v->text = g_strdup (type_name);
  return v;
}

void
sl_value_struct_add (SlValue *s, const char *name, SlValue *member)
{
  g_return_if_fail (s != NULL && s->kind == SL_VALUE_STRUCT);
  g_return_if_fail (member != NULL);
  if (s->n_members == sl_value_capacity_for (s->n_members))
    s->members = g_renew (SlMember, s->members, sl_value_capacity_for (s->n_members + 1));
  s->members[s->n_members].name = g_strdup (name != NULL ? name : "");
  s->members[s->n_members].value = member;
  s->n_members++;
}

SlValue *
sl_value_new_array (guint64 declared_len)
{
  SlValue *v = sl_value_alloc (SL_VALUE_ARRAY);

  v->len = declared_len;
  return v;
}

void
sl_value_array_add (SlValue *a, SlValue *element)
{
  g_return_if_fail (a != NULL && a->kind == SL_VALUE_ARRAY);
  g_return_if_fail (element != NULL);
  if (a->n_elements == sl_value_capacity_for (a->n_elements))
    a->elements = g_renew (SlValue *, a->elements, sl_value_capacity_for (a->n_elements + 1));
  a->elements[a->n_elements++] = element;
}

SlValue *
sl_value_new_cpu_list (const char *cpus)
{
  SlValue *v = sl_value_alloc (SL_VALUE_CPU_LIST);

  v->text = g_strdup (cpus != NULL ? cpus : "");
  return v;
}

SlValue *
sl_value_new_ptr (guint64 addr, SlValue *deref, const char *deref_skipped_reason,
                  const char *cast_annotation)
{
  SlValue *v = sl_value_alloc (SL_VALUE_PTR);

  v->v.u = addr;
  v->child = deref;
  v->text2 = g_strdup (deref_skipped_reason);
  v->text = g_strdup (cast_annotation);
  return v;
}

SlValue *
sl_value_new_bytes (const char *hex)
{
  SlValue *v = sl_value_alloc (SL_VALUE_BYTES);

  v->text = g_strdup (hex != NULL ? hex : "");
  return v;
}

SlValue *
sl_value_new_truncated (guint64 needed, guint64 had, SlValue *partial)
{
  SlValue *v = sl_value_alloc (SL_VALUE_TRUNCATED);

  v->len = needed;
  v->had = had;
  v->child = partial;
  return v;
}

SlValue *
sl_value_new_unsupported (const char *reason)
{
  SlValue *v = sl_value_alloc (SL_VALUE_UNSUPPORTED);

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
      c->members = g_new (SlMember, sl_value_capacity_for (v->n_members));
      for (guint i = 0; i < v->n_members; i++)
        {
          c->members[i].name = g_strdup (v->members[i].name);
          c->members[i].value = sl_value_copy (v->members[i].value);
        }
    }
  if (v->n_elements > 0)
    {
      c->elements = g_new (SlValue *, sl_value_capacity_for (v->n_elements));
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
