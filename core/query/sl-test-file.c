/* sl-test-file.c: the .sltest file: the spec parser for the assertions, strict
 * parsing of the [run] group, and the one writer of test files. */
#include "sl-test-file.h"

#include <string.h>
#include <glib/gstdio.h>

typedef enum {
  KEY_REQUIRED = 1 << 0,
} KeyFlags;

static const struct {
  const char *name;
  guint       flags;
} run_keys[] = {
  { "kernel", KEY_REQUIRED },
  { "topology", KEY_REQUIRED },
  { "memory_mb", 0 },
  { "scheduler", KEY_REQUIRED },
  { "scheduler_args", KEY_REQUIRED },
  { "scenario", KEY_REQUIRED },
  { "duration_ms", KEY_REQUIRED },
  { "snapshots", KEY_REQUIRED },
  { "interval_ms", 0 },
};

void
sl_test_run_config_clear (SlTestRunConfig *run)
{
  if (run == NULL)
    return;
  g_free (run->kernel);
  g_free (run->scheduler);
  g_strfreev (run->scheduler_args);
  g_free (run->scenario);
  memset (run, 0, sizeof *run);
}

void
sl_test_run_config_copy (SlTestRunConfig *dst, const SlTestRunConfig *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  *dst = *src;
  dst->kernel = g_strdup (src->kernel);
  dst->scheduler = g_strdup (src->scheduler);
  dst->scheduler_args = g_strdupv (src->scheduler_args);
  dst->scenario = g_strdup (src->scenario);
}

void
sl_test_run_config_from_header (SlTestRunConfig *dst, const SlRunHeader *h)
{
  g_return_if_fail (dst != NULL && h != NULL);
  memset (dst, 0, sizeof *dst);
  dst->kernel = g_strdup (h->kernel_source ? h->kernel_source : h->kernel_version ? h->kernel_version : "default");
  dst->topology = h->topology;
  dst->memory_mb = h->memory_mb;
  dst->scenario = g_strdup (h->scenario ? h->scenario : "");
  dst->duration_ms = h->duration_ms;
  dst->snapshots = h->snapshots;
  dst->interval_ms = h->interval_ms;

  sl_scheduler_label (h->scheduler, (const char *const *) h->scheduler_args, &dst->scheduler, &dst->scheduler_args);
  if (dst->scheduler == NULL)
    dst->scheduler = g_strdup ("");
}

/* ---- parsing ------------------------------------------------------------- */

static gboolean
run_error (GError **error, const char *key, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
run_error (GError **error, const char *key, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "[" SL_TEST_RUN_GROUP "], key '%s': %s", key, msg);
  return FALSE;
}

static char *
get_string (GKeyFile *kf, const char *key, GError **error)
{
  g_autofree char *raw = g_key_file_get_value (kf, SL_TEST_RUN_GROUP, key, NULL);
  g_autoptr(GError) local = NULL;
  char *text;

  if (raw == NULL)
    return NULL;
  text = sl_spec_unescape_value (raw, &local);
  if (text == NULL)
    run_error (error, key, "%s", local->message);
  return text;
}

/* Unsigned decimal digits only: no sign, blanks, exponent or hex. */
static gboolean
get_uint (GKeyFile *kf, const char *key, guint64 min, guint64 max, guint64 *out, GError **error)
{
  g_autofree char *text = get_string (kf, key, error);
  guint64 v;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p))
      return run_error (error, key, "'%s' is not an unsigned decimal integer", text);
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    return run_error (error, key, "'%s' is not a number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                      text, min, max);
  *out = v;
  return TRUE;
}

/* GKeyFile list syntax: items end at an unescaped ';' (a trailing one is
 * optional), "\;" is a literal semicolon, the other escapes as for strings. */
static GStrv
get_list (GKeyFile *kf, const char *key, GError **error)
{
  g_autofree char *raw = g_key_file_get_value (kf, SL_TEST_RUN_GROUP, key, NULL);
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
  g_autoptr(GString) item = g_string_new (NULL);
  guint n = 0;

  if (raw == NULL)
    return NULL;
  for (const char *p = raw;; p++)
    {
      if (*p == '\\' && p[1] == ';')
        {
          g_string_append_c (item, ';');
          p++;
          continue;
        }
      if (*p == '\\' && p[1] != '\0')
        {
          g_string_append_len (item, p, 2);
          p++;
          continue;
        }
      if (*p == ';' || (*p == '\0' && item->len > 0))
        {
          g_autoptr(GError) local = NULL;
          g_autofree char *text = sl_spec_unescape_value (item->str, &local);

          if (text == NULL)
            {
              run_error (error, key, "item %u: %s", n + 1, local->message);
              return NULL;
            }
          if (++n > SL_TEST_MAX_SCHEDULER_ARGS)
            {
              run_error (error, key, "more than %d items", SL_TEST_MAX_SCHEDULER_ARGS);
              return NULL;
            }
          g_strv_builder_add (items, text);
          g_string_truncate (item, 0);
        }
      else if (*p != '\0')
        g_string_append_c (item, *p);
      if (*p == '\0')
        break;
    }
  return g_strv_builder_end (items);
}

static gboolean
parse_run_group (GKeyFile *kf, SlTestRunConfig *run, GError **error)
{
  g_auto(GStrv) keys = NULL;
  g_autofree char *topology = NULL;
  g_autoptr(GError) local = NULL;
  guint64 v;

  if (!g_key_file_has_group (kf, SL_TEST_RUN_GROUP))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "missing group [" SL_TEST_RUN_GROUP "] (the VM, scheduler and scenario to run)");
      return FALSE;
    }
  keys = g_key_file_get_keys (kf, SL_TEST_RUN_GROUP, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    {
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (run_keys); k++)
        known |= strcmp (keys[i], run_keys[k].name) == 0;
      if (!known)
        return run_error (error, keys[i], "unknown key (kernel, topology, memory_mb, scheduler, "
                          "scheduler_args, scenario, duration_ms, snapshots, interval_ms)");
    }
  for (guint k = 0; k < G_N_ELEMENTS (run_keys); k++)
    if ((run_keys[k].flags & KEY_REQUIRED) && !g_key_file_has_key (kf, SL_TEST_RUN_GROUP, run_keys[k].name, NULL))
      return run_error (error, run_keys[k].name, "missing");

  run->kernel = get_string (kf, "kernel", error);
  if (run->kernel == NULL)
    return FALSE;
  g_strstrip (run->kernel);
  if (run->kernel[0] == '\0')
    return run_error (error, "kernel", "empty (use default, debian:<package>=<version> or a path)");

  topology = get_string (kf, "topology", error);
  if (topology == NULL)
    return FALSE;
  if (!sl_topology_parse (g_strstrip (topology), &run->topology, &local))
    return run_error (error, "topology", "%s", local->message);

  if (g_key_file_has_key (kf, SL_TEST_RUN_GROUP, "memory_mb", NULL))
    {
      if (!get_uint (kf, "memory_mb", SL_TEST_MIN_MEMORY_MB, SL_TEST_MAX_MEMORY_MB, &v, error))
        return FALSE;
      run->memory_mb = (guint) v;
    }

  run->scheduler = get_string (kf, "scheduler", error);
  if (run->scheduler == NULL)
    return FALSE;
  g_strstrip (run->scheduler);
  run->scheduler_args = get_list (kf, "scheduler_args", error);
  if (run->scheduler_args == NULL)
    return FALSE;
  if (run->scheduler[0] == '\0' && run->scheduler_args[0] != NULL)
    return run_error (error, "scheduler_args", "arguments given without a scheduler");

  run->scenario = get_string (kf, "scenario", error);
  if (run->scenario == NULL)
    return FALSE;
  g_strstrip (run->scenario);
  if (run->scenario[0] == '\0')
    return run_error (error, "scenario", "empty (a scenario name such as steady or two-cgroups)");

  if (!get_uint (kf, "duration_ms", 0, SL_TEST_MAX_DURATION_MS, &run->duration_ms, error))
    return FALSE;
  if (!get_uint (kf, "snapshots", 0, SL_TEST_MAX_SNAPSHOTS, &v, error))
    return FALSE;
  run->snapshots = (guint) v;
  if (g_key_file_has_key (kf, SL_TEST_RUN_GROUP, "interval_ms", NULL))
    {
      if (!get_uint (kf, "interval_ms", 1, SL_TEST_MAX_DURATION_MS, &v, error))
        return FALSE;
      run->interval_ms = (guint) v;
    }
  return TRUE;
}

SlTestFile *
sl_test_file_new (void)
{
  SlTestFile *t = g_new0 (SlTestFile, 1);

  t->spec = sl_spec_new ();
  t->run.kernel = g_strdup ("default");
  t->run.topology = (SlTopology) { 1, 1, 2, 1 };
  t->run.scheduler = g_strdup ("");
  t->run.scheduler_args = g_new0 (char *, 1);
  t->run.scenario = g_strdup ("steady");
  return t;
}

void
sl_test_file_free (SlTestFile *t)
{
  if (t == NULL)
    return;
  sl_spec_free (t->spec);
  sl_test_run_config_clear (&t->run);
  g_free (t);
}

SlTestFile *
sl_test_file_parse (const char *data, gssize len, const char *source_name, GError **error)
{
  static const char *const extra[] = { SL_TEST_RUN_GROUP, NULL };
  g_autoptr(GKeyFile) kf = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(SlSpec) spec = NULL;
  g_autoptr(SlTestFile) t = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  /* Errors from the spec parser already name the source. */
  spec = sl_spec_parse_full (data, len, source_name, extra, &kf, error);
  if (spec == NULL)
    return NULL;
  t = g_new0 (SlTestFile, 1);
  t->spec = g_steal_pointer (&spec);
  if (!parse_run_group (kf, &t->run, &local))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: %s", source_name ? source_name : "test", local->message);
      return NULL;
    }
  return g_steal_pointer (&t);
}

SlTestFile *
sl_test_file_load (const char *path, GError **error)
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
  return sl_test_file_parse (data, (gssize) len, path, error);
}

char *
sl_test_file_dup_name (const SlTestFile *t)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (t != NULL, NULL);
  if (t->spec->source_name == NULL)
    return g_strdup ("test");
  base = g_path_get_basename (t->spec->source_name);
  if (g_str_has_suffix (base, ".sltest") && strlen (base) > strlen (".sltest"))
    base[strlen (base) - strlen (".sltest")] = '\0';
  return g_steal_pointer (&base);
}

/* ---- writing ------------------------------------------------------------- */

/* GKeyFile's escapes, so every value reads back identically; `list_item`
 * also escapes ';'. */
static void
append_escaped (GString *out, const char *value, gboolean list_item)
{
  const char *tail = value + strlen (value);

  while (tail > value && tail[-1] == ' ')
    tail--;
  for (const char *p = value; *p; p++)
    switch (*p)
      {
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\\': g_string_append (out, "\\\\"); break;
      case ';':
        g_string_append (out, list_item ? "\\;" : ";");
        break;
      case ' ':
        /* GKeyFile trims leading and trailing blanks. */
        g_string_append (out, p == value || p >= tail ? "\\s" : " ");
        break;
      default:
        g_string_append_c (out, *p);
      }
}

static void
append_string (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, "%s=", key);
  append_escaped (out, value ? value : "", FALSE);
  g_string_append_c (out, '\n');
}

char *
sl_test_run_config_to_data (const SlTestRunConfig *run)
{
  GString *out = g_string_new ("[" SL_TEST_RUN_GROUP "]\n");
  g_autofree char *topology = NULL;

  g_return_val_if_fail (run != NULL, NULL);
  append_string (out, "kernel", run->kernel && *run->kernel ? run->kernel : "default");
  topology = sl_topology_to_string (&run->topology);
  append_string (out, "topology", topology);
  if (run->memory_mb)
    g_string_append_printf (out, "memory_mb=%u\n", run->memory_mb);
  append_string (out, "scheduler", run->scheduler);
  g_string_append (out, "scheduler_args=");
  for (guint i = 0; run->scheduler_args && run->scheduler_args[i]; i++)
    {
      append_escaped (out, run->scheduler_args[i], TRUE);
      g_string_append_c (out, ';');
    }
  g_string_append_c (out, '\n');
  append_string (out, "scenario", run->scenario);
  g_string_append_printf (out, "duration_ms=%" G_GUINT64_FORMAT "\n", run->duration_ms);
  g_string_append_printf (out, "snapshots=%u\n", run->snapshots);
  if (run->interval_ms)
    g_string_append_printf (out, "interval_ms=%u\n", run->interval_ms);
  return g_string_free (out, FALSE);
}

char *
sl_test_file_to_data (const SlTestFile *t, gsize *length)
{
  g_autofree char *spec = NULL;
  g_autofree char *run = NULL;
  GString *out;

  g_return_val_if_fail (t != NULL && t->spec != NULL, NULL);
  spec = sl_spec_to_data (t->spec, NULL);
  run = sl_test_run_config_to_data (&t->run);
  /* [run] goes last: the text before it is exactly the .slspec. */
  out = g_string_new (spec);
  if (!g_str_has_suffix (out->str, "\n\n"))
    g_string_append_c (out, '\n');
  g_string_append (out, run);
  if (length)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
sl_test_file_save (const SlTestFile *t, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (t != NULL && path != NULL, FALSE);
  data = sl_test_file_to_data (t, &len);
  return g_file_set_contents (path, data, (gssize) len, error);
}
