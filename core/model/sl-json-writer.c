/* sl-json-writer.c: streaming JSON emission and the shared number readers.
 *
 * The writer keeps one bit of state: whether the next item needs a comma.
 * Callers are trusted to nest begin/end calls properly (they are our own
 * serializers); every string is escaped so the output is always valid JSON
 * whatever bytes a guest put into a name. */
#include "sl-json-writer.h"

#include <math.h>
#include <string.h>

struct _SlJsonWriter {
  GString *buf;
  gboolean need_comma;
};

SlJsonWriter *
sl_json_writer_new (void)
{
  SlJsonWriter *w = g_new0 (SlJsonWriter, 1);

  w->buf = g_string_sized_new (256);
  return w;
}

void
sl_json_writer_free (SlJsonWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->buf, TRUE);
  g_free (w);
}

char *
sl_json_writer_steal (SlJsonWriter *w, gsize *len)
{
  char *out;

  g_return_val_if_fail (w != NULL, NULL);
  if (len != NULL)
    *len = w->buf->len;
  out = g_string_free (w->buf, FALSE);
  w->buf = g_string_sized_new (256);
  w->need_comma = FALSE;
  return out;
}

GString *
sl_json_writer_get_buffer (SlJsonWriter *w)
{
  g_return_val_if_fail (w != NULL, NULL);
  return w->buf;
}

static inline void
sep (SlJsonWriter *w)
{
  if (w->need_comma)
    g_string_append_c (w->buf, ',');
}

void
sl_json_writer_begin_object (SlJsonWriter *w)
{
  g_return_if_fail (w != NULL);
  sep (w);
  g_string_append_c (w->buf, '{');
  w->need_comma = FALSE;
}

void
sl_json_writer_end_object (SlJsonWriter *w)
{
  g_return_if_fail (w != NULL);
  g_string_append_c (w->buf, '}');
  w->need_comma = TRUE;
}

void
sl_json_writer_begin_array (SlJsonWriter *w)
{
  g_return_if_fail (w != NULL);
  sep (w);
  g_string_append_c (w->buf, '[');
  w->need_comma = FALSE;
}

void
sl_json_writer_end_array (SlJsonWriter *w)
{
  g_return_if_fail (w != NULL);
  g_string_append_c (w->buf, ']');
  w->need_comma = TRUE;
}

/* Appends s as a quoted JSON string. Invalid UTF-8 bytes become U+FFFD so
 * the document stays valid; control characters are \u-escaped. */
static void
append_escaped (GString *buf, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) s;

  g_string_append_c (buf, '"');
  while (*p != '\0')
    {
      const guchar *run = p;

      /* Fast path: printable ASCII that needs no escaping. */
      while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (buf, (const char *) run, p - run);
      if (*p == '\0')
        break;
      if (*p < 0x80)
        {
          char esc[7] = { '\\', 'u', '0', '0', 0, 0, 0 };

          switch (*p)
            {
            case '"': g_string_append (buf, "\\\""); break;
            case '\\': g_string_append (buf, "\\\\"); break;
            case '\n': g_string_append (buf, "\\n"); break;
            case '\r': g_string_append (buf, "\\r"); break;
            case '\t': g_string_append (buf, "\\t"); break;
            case '\b': g_string_append (buf, "\\b"); break;
            case '\f': g_string_append (buf, "\\f"); break;
            default:
              esc[4] = hex[*p >> 4];
              esc[5] = hex[*p & 0xf];
              g_string_append_len (buf, esc, 6);
              break;
            }
          p++;
          continue;
        }
      /* Multi-byte sequence: copy it when valid, else replace one byte. */
      {
        gunichar c = g_utf8_get_char_validated ((const char *) p, -1);

        if (c == (gunichar) -1 || c == (gunichar) -2)
          {
            g_string_append (buf, "\xef\xbf\xbd");
            p++;
          }
        else
          {
            const guchar *next = (const guchar *) g_utf8_next_char (p);

            g_string_append_len (buf, (const char *) p, next - p);
            p = next;
          }
      }
    }
  g_string_append_c (buf, '"');
}

void
sl_json_writer_key (SlJsonWriter *w, const char *key)
{
  g_return_if_fail (w != NULL);
  g_return_if_fail (key != NULL);
  sep (w);
  append_escaped (w->buf, key);
  g_string_append_c (w->buf, ':');
  w->need_comma = FALSE;
}

void
sl_json_writer_string (SlJsonWriter *w, const char *s)
{
  g_return_if_fail (w != NULL);
  if (s == NULL)
    {
      sl_json_writer_null (w);
      return;
    }
  sep (w);
  append_escaped (w->buf, s);
  w->need_comma = TRUE;
}

static void
append_u64 (GString *buf, guint64 v)
{
  char tmp[24];
  int i = sizeof tmp;

  do
    {
      tmp[--i] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  g_string_append_len (buf, tmp + i, sizeof tmp - i);
}

void
sl_json_writer_u64 (SlJsonWriter *w, guint64 v)
{
  g_return_if_fail (w != NULL);
  sep (w);
  append_u64 (w->buf, v);
  w->need_comma = TRUE;
}

void
sl_json_writer_i64 (SlJsonWriter *w, gint64 v)
{
  g_return_if_fail (w != NULL);
  sep (w);
  if (v < 0)
    {
      g_string_append_c (w->buf, '-');
      /* Negate in unsigned arithmetic so G_MININT64 is exact. */
      append_u64 (w->buf, (guint64) 0 - (guint64) v);
    }
  else
    append_u64 (w->buf, (guint64) v);
  w->need_comma = TRUE;
}

void
sl_json_writer_f64 (SlJsonWriter *w, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (w != NULL);
  if (!isfinite (v))
    {
      sl_json_writer_null (w);
      return;
    }
  /* Shortest of 15/16/17 significant digits that reads back exactly: any
   * double whose shortest form has ≤ 15 digits prints it under %.15g. */
  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    {
      g_ascii_formatd (buf, sizeof buf, "%.16g", v);
      if (g_ascii_strtod (buf, NULL) != v)
        g_ascii_formatd (buf, sizeof buf, "%.17g", v);
    }
  sep (w);
  g_string_append (w->buf, buf);
  /* Keep floats recognisable as floats on read, like serde_json ("3.0"). */
  if (strpbrk (buf, ".e") == NULL)
    g_string_append (w->buf, ".0");
  w->need_comma = TRUE;
}

void
sl_json_writer_bool (SlJsonWriter *w, gboolean v)
{
  g_return_if_fail (w != NULL);
  sep (w);
  g_string_append (w->buf, v ? "true" : "false");
  w->need_comma = TRUE;
}

void
sl_json_writer_null (SlJsonWriter *w)
{
  g_return_if_fail (w != NULL);
  sep (w);
  g_string_append (w->buf, "null");
  w->need_comma = TRUE;
}

void
sl_json_writer_node (SlJsonWriter *w, JsonNode *node)
{
  g_return_if_fail (w != NULL);
  if (node == NULL)
    {
      sl_json_writer_null (w);
      return;
    }
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      sl_json_writer_null (w);
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        sl_json_writer_begin_object (w);
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            sl_json_writer_key (w, name);
            sl_json_writer_node (w, member);
          }
        sl_json_writer_end_object (w);
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        sl_json_writer_begin_array (w);
        for (guint i = 0; i < n; i++)
          sl_json_writer_node (w, json_array_get_element (array, i));
        sl_json_writer_end_array (w);
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);

        if (t == G_TYPE_INT64)
          sl_json_writer_i64 (w, json_node_get_int (node));
        else if (t == G_TYPE_DOUBLE)
          sl_json_writer_f64 (w, json_node_get_double (node));
        else if (t == G_TYPE_BOOLEAN)
          sl_json_writer_bool (w, json_node_get_boolean (node));
        else if (t == G_TYPE_STRING)
          sl_json_writer_string (w, json_node_get_string (node));
        else
          sl_json_writer_null (w);
      }
      break;
    }
}

static gboolean
is_int_node (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
sl_json_node_get_u64 (JsonNode *node, guint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (!is_int_node (node))
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

gboolean
sl_json_node_get_i64 (JsonNode *node, gint64 *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (!is_int_node (node))
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
sl_json_node_get_f64 (JsonNode *node, double *out)
{
  GType t;

  g_return_val_if_fail (out != NULL, FALSE);
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else
    return FALSE;
  return TRUE;
}

guint
sl_json_node_depth (JsonNode *node, guint limit)
{
  guint deepest = 0;

  if (node == NULL)
    return 0;
  if (limit == 0 && (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    return 1;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          guint d = sl_json_node_depth (member, limit - 1);

          deepest = MAX (deepest, d);
          if (deepest >= limit)
            break;
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n && deepest < limit; i++)
        {
          guint d = sl_json_node_depth (json_array_get_element (array, i), limit - 1);

          deepest = MAX (deepest, d);
        }
      return deepest + 1;
    }
  return 0;
}

const char *
sl_json_node_type_name (JsonNode *node)
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
