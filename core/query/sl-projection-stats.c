/* sl-projection-stats.c: the stats axis (ktstr-semantics §3.2): dotted paths into
 * the sample's scx_stats JSON object and JsonField's coercions.
 *
 * json-glib keeps every integer as a gint64, so a negative JSON integer and a
 * u64 above G_MAXINT64 look the same; stats integers are read as signed (a
 * counter above 2^63 is not a realistic scx_stats value, a negative delta is). */
#include "sl-projection-private.h"

#include <math.h>
#include <string.h>

const char *
sl_json_kind_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "Null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "Object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "Array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN: return "Bool";
    case G_TYPE_STRING: return "String";
    default: return "Number";
    }
}

static gboolean
parse_f64_text (const char *text, double *out)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
sl_stats_coerce (JsonNode *node, SlScalarType type, SlScalar *out)
{
  GType vt;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  vt = json_node_get_value_type (node);
  out->type = type;
  switch (type)
    {
    case SL_SCALAR_U64:
      if (vt == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (node);

          if (v < 0)
            return FALSE;
          out->u = (guint64) v;
          return TRUE;
        }
      if (vt == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          /* 2^64 itself is not representable. */
          if (!isfinite (d) || d < 0 || d != floor (d) || d >= 18446744073709551616.0)
            return FALSE;
          out->u = (guint64) d;
          return TRUE;
        }
      if (vt == G_TYPE_BOOLEAN)
        {
          out->u = json_node_get_boolean (node) ? 1 : 0;
          return TRUE;
        }
      if (vt == G_TYPE_STRING)
        return g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, G_MAXUINT64, &out->u, NULL);
      return FALSE;

    case SL_SCALAR_I64:
      if (vt == G_TYPE_INT64)
        {
          out->i = json_node_get_int (node);
          return TRUE;
        }
      if (vt == G_TYPE_DOUBLE)
        {
          double d = json_node_get_double (node);

          if (!isfinite (d) || d != floor (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
            return FALSE;
          out->i = (gint64) d;
          return TRUE;
        }
      if (vt == G_TYPE_BOOLEAN)
        {
          out->i = json_node_get_boolean (node) ? 1 : 0;
          return TRUE;
        }
      if (vt == G_TYPE_STRING)
        return g_ascii_string_to_signed (json_node_get_string (node), 10, G_MININT64, G_MAXINT64, &out->i, NULL);
      return FALSE;

    case SL_SCALAR_F64:
      if (vt == G_TYPE_INT64)
        {
          out->f = (double) json_node_get_int (node);
          return TRUE;
        }
      if (vt == G_TYPE_DOUBLE)
        {
          out->f = json_node_get_double (node);
          return TRUE;
        }
      if (vt == G_TYPE_STRING)
        return parse_f64_text (json_node_get_string (node), &out->f);
      return FALSE;

    case SL_SCALAR_BOOL:
      if (vt != G_TYPE_BOOLEAN)
        return FALSE;
      out->b = json_node_get_boolean (node);
      return TRUE;
    }
  return FALSE;
}

static char *
describe_node (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64: return g_strdup_printf ("Number %" G_GINT64_FORMAT, json_node_get_int (node));
        case G_TYPE_DOUBLE: return g_strdup_printf ("Number %g", json_node_get_double (node));
        case G_TYPE_BOOLEAN: return g_strdup_printf ("Bool %s", json_node_get_boolean (node) ? "true" : "false");
        case G_TYPE_STRING:
          {
            const char *s = json_node_get_string (node);
            if (g_utf8_strlen (s, -1) > 40)
              return g_strdup ("String");
            return g_strdup_printf ("String \"%s\"", s);
          }
        default: break;
        }
    }
  return g_strdup (sl_json_kind_name (node));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
sl_project_stats_sample (const SlSample *s, const SlFieldSelector *sel, SlScalarType type,
                         SlScalar *out, SlProjError *err)
{
  JsonNode *cur = s->stats;
  GString *walked = g_string_new (NULL);
  gboolean ok = FALSE;

  for (guint i = 0; sel->components[i]; i++)
    {
      const char *c = sel->components[i];
      JsonObject *obj;

      if (cur == NULL || !JSON_NODE_HOLDS_OBJECT (cur))
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_NOT_A_STRUCT,
                             "stats path '%s': %s%s%s is %s, not an object; cannot look up '%s'",
                             sel->path, walked->len ? "'" : "the stats root", walked->str,
                             walked->len ? "'" : "", sl_json_kind_name (cur), c);
          goto out;
        }
      obj = json_node_get_object (cur);
      if (!json_object_has_member (obj, c))
        {
          g_autoptr(GList) members = json_object_get_members (obj);
          g_autoptr(GPtrArray) names = g_ptr_array_new ();
          g_autofree char *list = NULL;

          for (GList *l = members; l; l = l->next)
            g_ptr_array_add (names, l->data);
          g_ptr_array_sort (names, compare_strings);
          list = sl_proj_format_ptr_list (names);
          sl_proj_error_set (err, SL_FIELD_ERROR_FIELD_NOT_FOUND,
                             "stats path '%s': no key '%s' in %s%s%s (available: %s)",
                             sel->path, c, walked->len ? "'" : "the stats root", walked->str,
                             walked->len ? "'" : "", list);
          goto out;
        }
      cur = json_object_get_member (obj, c);
      if (walked->len)
        g_string_append_c (walked, '.');
      g_string_append (walked, c);
    }
  if (!sl_stats_coerce (cur, type, out))
    {
      g_autofree char *actual = describe_node (cur);

      sl_proj_error_set (err, SL_FIELD_ERROR_TYPE_MISMATCH,
                         "stats path '%s': expected %s, found %s", sel->path,
                         sl_scalar_type_name (type), actual);
      goto out;
    }
  ok = TRUE;
out:
  g_string_free (walked, TRUE);
  return ok;
}
