/* sl-spec.c: the .slspec file: strict parsing (GKeyFile underneath) and stable writing. */
#include "sl-spec.h"
#include "sl-phase.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#define ASSERT_PREFIX "assert "

static const char *const base_keys[] = { "field", "type", "pattern", "phases", "description" };

SlSpec *
sl_spec_new (void)
{
  SlSpec *spec = g_new0 (SlSpec, 1);

  spec->version = SL_SPEC_VERSION;
  spec->assertions = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_assertion_free);
  return spec;
}

void
sl_spec_free (SlSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->description);
  g_free (spec->source_name);
  g_ptr_array_free (spec->assertions, TRUE);
  g_free (spec);
}

const SlAssertion *
sl_spec_find (const SlSpec *spec, const char *name)
{
  g_return_val_if_fail (spec != NULL && name != NULL, NULL);
  for (guint i = 0; i < spec->assertions->len; i++)
    {
      const SlAssertion *a = g_ptr_array_index (spec->assertions, i);

      if (strcmp (a->name, name) == 0)
        return a;
    }
  return NULL;
}

gboolean
sl_spec_add (SlSpec *spec, SlAssertion *a, GError **error)
{
  g_return_val_if_fail (spec != NULL && a != NULL, FALSE);
  if (sl_spec_find (spec, a->name) != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s' is defined twice", a->name);
      sl_assertion_free (a);
      return FALSE;
    }
  if (spec->assertions->len >= SL_SPEC_MAX_ASSERTIONS)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "more than %d assertions", SL_SPEC_MAX_ASSERTIONS);
      sl_assertion_free (a);
      return FALSE;
    }
  g_ptr_array_add (spec->assertions, a);
  return TRUE;
}

/* GKeyFile silently merges repeated groups and keeps the last of repeated
 * keys; a spec is strict, so repeats are found in a first pass. */
static gboolean
check_repeats (const char *data, gsize len, GError **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  gsize pos = 0;
  guint line_no = 0;

  while (pos < len)
    {
      const char *line = data + pos;
      const char *nl = memchr (line, '\n', len - pos);
      gsize line_len = nl ? (gsize) (nl - line) : len - pos;
      g_autofree char *text = g_strstrip (g_strndup (line, line_len));

      pos += line_len + 1;
      line_no++;
      if (text[0] == '\0' || text[0] == '#')
        continue;
      if (text[0] == '[')
        {
          char *close = strrchr (text, ']');

          if (close == NULL)
            continue;   /* GKeyFile reports it */
          *close = '\0';
          g_free (group);
          group = g_strdup (text + 1);
          if (!g_hash_table_add (groups, g_strdup (group)))
            {
              g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "line %u: group [%s] appears twice", line_no, group);
              return FALSE;
            }
          g_hash_table_remove_all (keys);
          continue;
        }
      {
        char *eq = strchr (text, '=');

        if (eq == NULL)
          continue;
        *eq = '\0';
        g_strstrip (text);
        if (!g_hash_table_add (keys, g_strdup (text)))
          {
            g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "line %u: [%s] key '%s' appears twice",
                         line_no, group ? group : "", text);
            return FALSE;
          }
      }
    }
  return TRUE;
}

/* The raw value with GKeyFile's escapes (\s \n \t \r \\) undone. Done here
 * rather than with g_key_file_get_string, which (GLib 2.74) sets its GError
 * twice on a value with an invalid escape followed by a trailing backslash. */
char *
sl_spec_unescape_value (const char *raw, GError **error)
{
  GString *out;

  g_return_val_if_fail (raw != NULL, NULL);
  out = g_string_sized_new (strlen (raw));
  for (const char *p = raw; *p; p++)
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      switch (*++p)
        {
        case 's': g_string_append_c (out, ' '); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        default:
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "invalid escape sequence '\\%.1s' (use \\s \\n \\t \\r or \\\\)",
                       *p ? p : "");
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  return g_string_free (out, FALSE);
}

/* NULL when the key is absent or the escapes are bad. */
static char *
get_text (GKeyFile *kf, const char *group, const char *key, GError **error)
{
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);

  if (raw == NULL)
    return NULL;
  return sl_spec_unescape_value (raw, error);
}

static gboolean
is_known_param_name (const char *key)
{
  guint n;
  const SlPatternInfo *all = sl_pattern_all (&n);

  for (guint i = 0; i < n; i++)
    if (sl_pattern_find_param (&all[i], key) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
parse_phases (SlAssertion *a, const char *text, GError **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (guint16));

  for (guint i = 0; items[i]; i++)
    {
      char *item = g_strstrip (items[i]);
      guint16 phase;
      g_autofree char *back = NULL;

      if (phases->len >= SL_SPEC_MAX_PHASES)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key 'phases': more than %d phases",
                       a->name, SL_SPEC_MAX_PHASES);
          return FALSE;
        }
      if ((strcmp (item, "BASELINE") != 0 && !g_str_has_prefix (item, "Step["))
          || !sl_phase_parse (item, &phase)
          || strcmp ((back = sl_phase_label (phase)), item) != 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                       "assertion '%s', key 'phases': '%s' is not a phase label (BASELINE or Step[k], "
                       "comma-separated)", a->name, item);
          return FALSE;
        }
      g_array_append_val (phases, phase);
    }
  sl_assertion_set_phases (a, (const guint16 *) phases->data, phases->len);
  return TRUE;
}

static SlAssertion *
parse_assertion (GKeyFile *kf, const char *group, GError **error)
{
  const char *name = group + strlen (ASSERT_PREFIX);
  g_auto(GStrv) keys = NULL;
  g_autofree char *field_text = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(SlFieldSelector) sel = NULL;
  g_autoptr(SlAssertion) a = NULL;
  g_autoptr(GError) local = NULL;

  if (!sl_assertion_name_is_valid (name))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "[%s]: assertion name '%s' is invalid: use 1 to %d of A-Z a-z 0-9 _ - . :",
                   group, name, SL_SPEC_MAX_NAME);
      return NULL;
    }
  keys = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (sl_name_table_find (base_keys, G_N_ELEMENTS (base_keys), keys[i]) < 0 && !is_known_param_name (keys[i]))
      {
        g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key '%s': unknown key", name, keys[i]);
        return NULL;
      }
  pattern = get_text (kf, group, "pattern", &local);
  if (pattern == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key 'pattern': %s", name,
                   local ? local->message : "missing");
      return NULL;
    }
  g_strstrip (pattern);
  field_text = get_text (kf, group, "field", &local);
  if (field_text == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key 'field': %s", name,
                   local ? local->message : "missing");
      return NULL;
    }
  sel = sl_field_selector_parse (field_text, &local);
  if (sel == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key 'field': %s", name, local->message);
      return NULL;
    }
  a = sl_assertion_new (name, sel, pattern, error);
  if (a == NULL)
    return NULL;

  for (guint i = 0; keys[i]; i++)
    {
      const char *key = keys[i];
      g_autofree char *value = get_text (kf, group, key, &local);

      if (value == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key '%s': %s", name, key, local->message);
          return NULL;
        }
      if (strcmp (key, "field") == 0 || strcmp (key, "pattern") == 0)
        continue;
      if (strcmp (key, "description") == 0)
        sl_assertion_set_description (a, value);
      else if (strcmp (key, "type") == 0)
        {
          SlScalarType type;

          g_strstrip (value);
          if (!sl_scalar_type_parse (value, &type))
            {
              g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                           "assertion '%s', key 'type': unknown type '%s' (u64, i64, f64 or bool)", name, value);
              return NULL;
            }
          if (!sl_assertion_set_type (a, type, error))
            return NULL;
        }
      else if (strcmp (key, "phases") == 0)
        {
          if (!parse_phases (a, value, error))
            return NULL;
        }
      else if (!sl_assertion_set_param_text (a, key, value, error))
        return NULL;
    }
  if (!sl_assertion_validate (a, error))
    return NULL;
  return g_steal_pointer (&a);
}

static SlSpec *
parse_key_file (GKeyFile *kf, const char *const *extra_groups, GError **error)
{
  g_autoptr(SlSpec) spec = sl_spec_new ();
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_auto(GStrv) keys = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) local = NULL;
  guint64 v;

  if (!g_key_file_has_group (kf, "spec"))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "missing group [spec] (with version=%d)", SL_SPEC_VERSION);
      return NULL;
    }
  keys = g_key_file_get_keys (kf, "spec", NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (strcmp (keys[i], "version") != 0 && strcmp (keys[i], "description") != 0)
      {
        g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[spec], key '%s': unknown key (version, description)", keys[i]);
        return NULL;
      }
  version = get_text (kf, "spec", "version", &local);
  if (version == NULL)
    {
      if (local)
        g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[spec], key 'version': %s", local->message);
      else
        g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[spec], key 'version': missing (version=%d)", SL_SPEC_VERSION);
      return NULL;
    }
  g_strstrip (version);
  if (!g_ascii_string_to_unsigned (version, 10, 1, G_MAXUINT32, &v, NULL))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[spec], key 'version': '%s' is not a version number", version);
      return NULL;
    }
  if (v > SL_SPEC_VERSION)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "[spec], key 'version': version %" G_GUINT64_FORMAT " is newer than this build "
                   "understands (%d)", v, SL_SPEC_VERSION);
      return NULL;
    }
  spec->version = (guint) v;
  spec->description = get_text (kf, "spec", "description", &local);
  if (local != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[spec], key 'description': %s", local->message);
      return NULL;
    }

  for (guint i = 0; groups[i]; i++)
    {
      SlAssertion *a;

      if (strcmp (groups[i], "spec") == 0
          || (extra_groups && g_strv_contains (extra_groups, groups[i])))
        continue;
      if (!g_str_has_prefix (groups[i], ASSERT_PREFIX))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                       "[%s]: unknown group (expected [spec] or [assert NAME])", groups[i]);
          return NULL;
        }
      a = parse_assertion (kf, groups[i], error);
      if (a == NULL || !sl_spec_add (spec, a, error))
        return NULL;
    }
  return g_steal_pointer (&spec);
}

SlSpec *
sl_spec_parse (const char *data, gssize len, const char *source_name, GError **error)
{
  return sl_spec_parse_full (data, len, source_name, NULL, NULL, error);
}

SlSpec *
sl_spec_parse_full (const char *data, gssize len, const char *source_name,
                    const char *const *extra_groups, GKeyFile **out_key_file, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  SlSpec *spec;
  const char *source = source_name ? source_name : "spec";
  gsize n;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  n = len < 0 ? strlen (data) : (gsize) len;
  if (n > SL_SPEC_MAX_BYTES)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: larger than %zu bytes", source, SL_SPEC_MAX_BYTES);
      return NULL;
    }
  if (n > 0 && memchr (data, '\0', n) != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: contains a NUL byte (not a text file)", source);
      return NULL;
    }
  if (!g_utf8_validate_len (data, n, NULL))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: not valid UTF-8", source);
      return NULL;
    }
  if (!check_repeats (data, n, &local)
      || !g_key_file_load_from_data (kf, n ? data : "", n, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: %s", source, local->message);
      return NULL;
    }
  spec = parse_key_file (kf, extra_groups, &local);
  if (spec == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: %s", source, local->message);
      return NULL;
    }
  spec->source_name = g_strdup (source_name);
  if (out_key_file)
    *out_key_file = g_steal_pointer (&kf);
  return spec;
}

SlSpec *
sl_spec_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);
  if (g_stat (path, &st) == 0 && (gsize) st.st_size > SL_SPEC_MAX_BYTES)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: larger than %zu bytes", path, SL_SPEC_MAX_BYTES);
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return sl_spec_parse (data, (gssize) len, path, error);
}

/* ---- writing ------------------------------------------------------------ */

/* GKeyFile's value escapes, so the text reads back identically. */
static void
append_value (GString *out, const char *key, const char *value)
{
  const char *tail = value + strlen (value);

  /* Leading and trailing spaces are escaped: GKeyFile trims them. */
  while (tail > value && tail[-1] == ' ')
    tail--;
  g_string_append_printf (out, "%s=", key);
  for (const char *p = value; *p; p++)
    {
      if (*p == ' ' && p >= tail)
        {
          g_string_append (out, "\\s");
          continue;
        }
      switch (*p)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case ' ':
          g_string_append (out, p == value ? "\\s" : " ");
          break;
        default: g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '\n');
}

char *
sl_spec_to_data (const SlSpec *spec, gsize *length)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (spec != NULL, NULL);
  g_string_append (out, "[spec]\n");
  g_string_append_printf (out, "version=%u\n", spec->version ? spec->version : SL_SPEC_VERSION);
  if (spec->description)
    append_value (out, "description", spec->description);

  for (guint i = 0; i < spec->assertions->len; i++)
    {
      const SlAssertion *a = g_ptr_array_index (spec->assertions, i);

      g_string_append_printf (out, "\n[" ASSERT_PREFIX "%s]\n", a->name);
      if (a->description)
        append_value (out, "description", a->description);
      append_value (out, "field", a->selector->text);
      if (a->type_given)
        append_value (out, "type", sl_scalar_type_name (a->type));
      append_value (out, "pattern", a->pattern->name);
      for (guint k = 0; k < a->pattern->n_params; k++)
        {
          g_autofree char *text = sl_assertion_param_text (a, a->pattern->params[k].id);

          if (text)
            append_value (out, a->pattern->params[k].name, text);
        }
      if (a->phases->len > 0)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint k = 0; k < a->phases->len; k++)
            {
              g_autofree char *label = sl_phase_label (g_array_index (a->phases, guint16, k));
              g_string_append_printf (list, "%s%s", k ? "," : "", label);
            }
          append_value (out, "phases", list->str);
        }
    }
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
sl_spec_save (const SlSpec *spec, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (spec != NULL && path != NULL, FALSE);
  data = sl_spec_to_data (spec, &len);
  return g_file_set_contents (path, data, (gssize) len, error);
}
