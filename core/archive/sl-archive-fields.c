/* sl-archive-fields.c: typed reading of untrusted JSON records.
 *
 * Each reader checks one key of one object and, when it is missing, of the
 * wrong type or out of range, fails with SL_ERROR_CORRUPT naming the record,
 * its byte offset and the key path: "record 5 (byte 1234): sample.tag: ...". */
#include "sl-archive-fields.h"

#include <stdarg.h>

gboolean
sl_archive_fail (SlArchiveCtx *c, SlError code, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (c->error, SL_ERROR, code, "%s: %s", c->where, msg);
  return FALSE;
}

const char *
sl_archive_node_kind (JsonNode *n)
{
  if (n == NULL)
    return "nothing";
  switch (json_node_get_node_type (n))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (n);

        if (t == G_TYPE_STRING) return "a string";
        if (t == G_TYPE_BOOLEAN) return "a boolean";
        if (t == G_TYPE_DOUBLE) return "a fractional number";
        return "a number";
      }
    }
  return "something else";
}

JsonNode *
sl_archive_member (JsonObject *o, const char *key)
{
  return json_object_get_member (o, key);
}

gboolean
sl_archive_missing (SlArchiveCtx *c, const char *path, const char *key)
{
  return sl_archive_fail (c, SL_ERROR_CORRUPT, "%s: required key \"%s\" is missing", path, key);
}

/* "<path>.<key>: expected <expected>, found <what n is>": every typed reader's
 * wrong-type error. */
static gboolean
wrong_type (SlArchiveCtx *c, const char *path, const char *key, const char *expected, JsonNode *n)
{
  return sl_archive_fail (c, SL_ERROR_CORRUPT, "%s.%s: expected %s, found %s",
                          path, key, expected, sl_archive_node_kind (n));
}

gboolean
sl_archive_get_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key,
         gboolean required, guint64 max, gboolean *present, guint64 *out)
{
  JsonNode *n = sl_archive_member (o, key);

  *present = FALSE;
  if (n == NULL)
    return required ? sl_archive_missing (c, path, key) : TRUE;
  if (!sl_json_node_get_u64 (n, out))
    return wrong_type (c, path, key, "an unsigned integer", n);
  if (*out > max)
    return sl_archive_fail (c, SL_ERROR_CORRUPT,
                            "%s.%s: %" G_GUINT64_FORMAT " is out of range (at most %" G_GUINT64_FORMAT ")",
                 path, key, *out, max);
  *present = TRUE;
  return TRUE;
}

gboolean
sl_archive_req_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, guint64 *out)
{
  gboolean present;

  return sl_archive_get_u64 (c, o, path, key, TRUE, G_MAXUINT64, &present, out);
}

gboolean
sl_archive_req_u32 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, guint32 *out)
{
  gboolean present;
  guint64 v = 0;

  if (!sl_archive_get_u64 (c, o, path, key, TRUE, G_MAXUINT32, &present, &v))
    return FALSE;
  *out = (guint32) v;
  return TRUE;
}

gboolean
sl_archive_opt_u64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, SlOptU64 *out)
{
  gboolean present;
  guint64 v = 0;

  if (!sl_archive_get_u64 (c, o, path, key, FALSE, G_MAXUINT64, &present, &v))
    return FALSE;
  *out = present ? sl_opt_u64 (v) : SL_OPT_U64_NONE;
  return TRUE;
}

gboolean
sl_archive_opt_u16 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean *has, guint16 *out)
{
  guint64 v = 0;

  if (!sl_archive_get_u64 (c, o, path, key, FALSE, G_MAXUINT16, has, &v))
    return FALSE;
  *out = (guint16) v;
  return TRUE;
}

gboolean
sl_archive_req_i64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gint64 *out)
{
  JsonNode *n = sl_archive_member (o, key);

  if (n == NULL)
    return sl_archive_missing (c, path, key);
  if (!sl_json_node_get_i64 (n, out))
    return wrong_type (c, path, key, "an integer", n);
  return TRUE;
}

gboolean
sl_archive_req_f64 (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, double *out)
{
  JsonNode *n = sl_archive_member (o, key);

  if (n == NULL)
    return sl_archive_missing (c, path, key);
  if (!sl_json_node_get_f64 (n, out))
    return wrong_type (c, path, key, "a number", n);
  return TRUE;
}

gboolean
sl_archive_req_bool (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean *out)
{
  JsonNode *n = sl_archive_member (o, key);

  if (n == NULL)
    return sl_archive_missing (c, path, key);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return wrong_type (c, path, key, "a boolean", n);
  *out = json_node_get_boolean (n);
  return TRUE;
}

/* An absent or null optional string leaves *out NULL. */
gboolean
sl_archive_get_string (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean required, char **out)
{
  JsonNode *n = sl_archive_member (o, key);

  *out = NULL;
  if (n == NULL || (!required && JSON_NODE_HOLDS_NULL (n)))
    return required ? sl_archive_missing (c, path, key) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return wrong_type (c, path, key, "a string", n);
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

gboolean
sl_archive_get_object (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean required, JsonObject **out)
{
  JsonNode *n = sl_archive_member (o, key);

  *out = NULL;
  if (n == NULL)
    return required ? sl_archive_missing (c, path, key) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return wrong_type (c, path, key, "an object", n);
  *out = json_node_get_object (n);
  return TRUE;
}

gboolean
sl_archive_get_array (SlArchiveCtx *c, JsonObject *o, const char *path, const char *key, gboolean required,
           guint max_len, JsonArray **out)
{
  JsonNode *n = sl_archive_member (o, key);

  *out = NULL;
  if (n == NULL)
    return required ? sl_archive_missing (c, path, key) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    return wrong_type (c, path, key, "an array", n);
  *out = json_node_get_array (n);
  if (json_array_get_length (*out) > max_len)
    return sl_archive_fail (c, SL_ERROR_TOO_LARGE, "%s.%s: %u elements exceed the limit of %u",
                 path, key, json_array_get_length (*out), max_len);
  return TRUE;
}

gboolean
sl_archive_array_object (SlArchiveCtx *c, JsonArray *a, guint i, const char *path, JsonObject **out)
{
  JsonNode *n = json_array_get_element (a, i);

  if (!JSON_NODE_HOLDS_OBJECT (n))
    return sl_archive_fail (c, SL_ERROR_CORRUPT,
                            "%s[%u]: expected an object, found %s", path, i, sl_archive_node_kind (n));
  *out = json_node_get_object (n);
  return TRUE;
}

/* ---- header ---- */

gboolean
sl_archive_check_json_depth (const char *text, gsize len, guint max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char ch = text[i];

      if (in_string)
        {
          if (ch == '\\')
            i++;
          else if (ch == '"')
            in_string = FALSE;
          continue;
        }
      if (ch == '"')
        in_string = TRUE;
      else if (ch == '{' || ch == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((ch == '}' || ch == ']') && depth > 0)
        depth--;
    }
  return TRUE;
}
