/* sl-kernel-cache.c: cache directory layout, locking, info.json and .config parsing. */
#include "sl-kernel-cache.h"
#include "sl-apt.h"
#include "sl-types.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#define INFO_JSON_MAX (1 << 20)

const char *
sl_kernel_feature_to_string (SlKernelFeature f)
{
  switch (f)
    {
    case SL_KERNEL_FEATURE_YES: return "yes";
    case SL_KERNEL_FEATURE_NO: return "no";
    case SL_KERNEL_FEATURE_UNKNOWN: default: return "unknown";
    }
}

static SlKernelFeature
feature_parse (const char *s)
{
  if (g_strcmp0 (s, "yes") == 0)
    return SL_KERNEL_FEATURE_YES;
  if (g_strcmp0 (s, "no") == 0)
    return SL_KERNEL_FEATURE_NO;
  return SL_KERNEL_FEATURE_UNKNOWN;
}

char *
sl_kernel_cache_root (const SlKernelOptions *opts)
{
  if (opts && opts->cache_dir)
    return g_strdup (opts->cache_dir);
  return g_build_filename (g_get_user_cache_dir (), "schedlab", NULL);
}

char *
sl_kernel_cache_kernels_dir (const char *root)
{
  return g_build_filename (root, "kernels", NULL);
}

int
sl_kernel_cache_lock (const char *root, GCancellable *cancellable, GError **error)
{
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot create the kernel cache %s: %s", dir, g_strerror (errno));
      return -1;
    }
  g_autofree char *path = g_build_filename (dir, ".lock", NULL);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot open %s: %s", path, g_strerror (errno));
      return -1;
    }
  /* Poll so a cancellation can interrupt a long wait behind another fetch. */
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot lock %s: %s", path, g_strerror (errno));
          close (fd);
          return -1;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return -1;
        }
      g_usleep (100 * 1000);
    }
  return fd;
}

void
sl_kernel_cache_unlock (int fd)
{
  if (fd >= 0)
    {
      flock (fd, LOCK_UN);
      close (fd);
    }
}

char *
sl_kernel_cache_stage (const char *root, GError **error)
{
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autofree char *tmpl = g_build_filename (dir, ".tmp-XXXXXX", NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 || !g_mkdtemp (tmpl))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot create a staging directory in %s: %s",
                   dir, g_strerror (errno));
      return NULL;
    }
  g_chmod (tmpl, 0755);   /* mkdtemp's 0700 would hide the entry from other users */
  return g_steal_pointer (&tmpl);
}

void
sl_kernel_cache_remove_tree (const char *path)
{
  g_return_if_fail (path != NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  if (dir)
    {
      const char *name;
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            sl_kernel_cache_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
sl_kernel_cache_sweep (const char *root)
{
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)))
    if (g_str_has_prefix (name, ".tmp-") || g_str_has_prefix (name, ".old-"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        sl_kernel_cache_remove_tree (path);
      }
}

void
sl_kernel_cache_discard (const char *stage)
{
  if (stage)
    sl_kernel_cache_remove_tree (stage);
}

gboolean
sl_kernel_cache_commit (const char *root, const char *stage, const char *name, GError **error)
{
  if (!name[0] || strchr (name, '/') || name[0] == '.')
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "invalid kernel cache name \"%s\"", name);
      return FALSE;
    }
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autofree char *final = g_build_filename (dir, name, NULL);
  g_autofree char *old = NULL;
  if (g_file_test (final, G_FILE_TEST_EXISTS))
    {
      old = g_build_filename (dir, ".old-XXXXXX", NULL);
      if (!g_mkdtemp (old) || g_rmdir (old) != 0 || g_rename (final, old) != 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot move the old %s aside: %s", final, g_strerror (errno));
          return FALSE;
        }
    }
  if (g_rename (stage, final) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot rename %s to %s: %s", stage, final, g_strerror (errno));
      if (old)
        g_rename (old, final);
      return FALSE;
    }
  if (old)
    sl_kernel_cache_remove_tree (old);
  return TRUE;
}

char *
sl_kernel_cache_read_pin (const char *root)
{
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autofree char *path = g_build_filename (dir, "default", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  g_strstrip (text);
  if (!text[0] || strchr (text, '/') || text[0] == '.')
    return NULL;
  return g_steal_pointer (&text);
}

gboolean
sl_kernel_cache_write_pin (const char *root, const char *name, GError **error)
{
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autofree char *path = g_build_filename (dir, "default", NULL);
  g_autofree char *text = g_strdup_printf ("%s\n", name);
  return g_file_set_contents (path, text, -1, error);
}

/* --- info.json ----------------------------------------------------------------------------- */

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *key, gint64 value)
{
  json_builder_set_member_name (b, key);
  json_builder_add_int_value (b, value);
}

gboolean
sl_kernel_info_write (const SlKernel *k, const char *dir, const char *banner,
                      const char *package_version, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  json_builder_begin_object (b);
  add_int (b, "format", 1);
  add_string (b, "version", k->version);
  add_string (b, "banner", banner);
  add_string (b, "package", k->package);
  add_string (b, "package_version", package_version);
  add_string (b, "suite", k->suite);
  add_string (b, "build_id", k->build_id);
  add_string (b, "sched_ext", sl_kernel_feature_to_string (k->sched_ext));
  add_string (b, "compression", k->compression);
  json_builder_set_member_name (b, "has_sched_ext");
  json_builder_add_boolean_value (b, k->has_sched_ext);
  add_int (b, "hz", k->hz);
  add_string (b, "created", created);
  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  add_string (b, "vmlinux", "vmlinux");
  add_string (b, "bzimage", k->bzimage ? "vmlinuz" : NULL);
  add_string (b, "config", k->config ? "config" : NULL);
  add_string (b, "btf", k->btf ? "btf" : NULL);
  add_string (b, "kallsyms", "kallsyms");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "sizes");
  json_builder_begin_object (b);
  add_int (b, "vmlinux", (gint64) k->vmlinux_size);
  add_int (b, "btf", (gint64) k->btf_size);
  add_int (b, "kallsyms_count", k->kallsyms_count);
  json_builder_end_object (b);
  json_builder_end_object (b);

  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_autofree char *path = g_build_filename (dir, "info.json", NULL);
  return g_file_set_contents (path, text, -1, error);
}

static const char *
get_str (JsonObject *o, const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  if (!n || JSON_NODE_HOLDS_NULL (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
get_int (JsonObject *o, const char *key, gint64 fallback)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  if (!n || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (n);
}

/* A file name from info.json, resolved inside dir; never escapes it. */
static char *
file_in (const char *dir, JsonObject *files, const char *key)
{
  const char *name = get_str (files, key);
  if (!name || !name[0] || strchr (name, '/') || name[0] == '.')
    return NULL;
  char *path = g_build_filename (dir, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_free (path);
      return NULL;
    }
  return path;
}

SlKernel *
sl_kernel_load_cached (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);

  g_autofree char *path = g_build_filename (dir, "info.json", NULL);
  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (len > INFO_JSON_MAX)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "%s is larger than %d bytes", path, INFO_JSON_MAX);
      return NULL;
    }
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: %s", path, local->message);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *fn = o ? json_object_get_member (o, "files") : NULL;
  JsonObject *files = fn && JSON_NODE_HOLDS_OBJECT (fn) ? json_node_get_object (fn) : NULL;
  JsonNode *sn = o ? json_object_get_member (o, "sizes") : NULL;
  JsonObject *sizes = sn && JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;

  g_autoptr(SlKernel) k = g_new0 (SlKernel, 1);
  k->dir = g_strdup (dir);
  k->vmlinux = file_in (dir, files, "vmlinux");
  k->kallsyms = file_in (dir, files, "kallsyms");
  if (!o || !get_str (o, "version") || !k->vmlinux || !k->kallsyms)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                   "%s: incomplete cache entry (version, vmlinux or kallsyms missing)", path);
      return NULL;
    }
  k->bzimage = file_in (dir, files, "bzimage");
  k->config = file_in (dir, files, "config");
  k->btf = file_in (dir, files, "btf");
  k->version = g_strdup (get_str (o, "version"));
  k->package = g_strdup (get_str (o, "package"));
  k->suite = g_strdup (get_str (o, "suite"));
  k->build_id = g_strdup (get_str (o, "build_id"));
  k->compression = g_strdup (get_str (o, "compression"));
  k->sched_ext = feature_parse (get_str (o, "sched_ext"));
  k->hz = (guint) CLAMP (get_int (o, "hz", 250), 1, 100000);
  k->has_btf = k->btf != NULL;
  k->vmlinux_size = (guint64) MAX (get_int (sizes, "vmlinux", 0), 0);
  k->btf_size = (guint64) MAX (get_int (sizes, "btf", 0), 0);
  k->kallsyms_count = (guint) CLAMP (get_int (sizes, "kallsyms_count", 0), 0, G_MAXINT);
  JsonNode *hs = json_object_get_member (o, "has_sched_ext");
  k->has_sched_ext = k->sched_ext == SL_KERNEL_FEATURE_YES ||
                     (k->sched_ext == SL_KERNEL_FEATURE_UNKNOWN && hs && JSON_NODE_HOLDS_VALUE (hs) &&
                      json_node_get_value_type (hs) == G_TYPE_BOOLEAN && json_node_get_boolean (hs));
  return g_steal_pointer (&k);
}

static gint
cmp_kernel_newest_first (gconstpointer a, gconstpointer b)
{
  const SlKernel *ka = *(SlKernel * const *) a, *kb = *(SlKernel * const *) b;
  return -sl_debian_version_compare (ka->version, kb->version);
}

GPtrArray *
sl_kernel_list_cached (const SlKernelOptions *opts)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_kernel_free);
  g_autofree char *root = sl_kernel_cache_root (opts);
  g_autofree char *dir = sl_kernel_cache_kernels_dir (root);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  if (!d)
    return out;
  const char *name;
  while ((name = g_dir_read_name (d)))
    {
      if (name[0] == '.')
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      SlKernel *k = sl_kernel_load_cached (path, NULL);
      if (k)
        g_ptr_array_add (out, k);
    }
  g_ptr_array_sort (out, cmp_kernel_newest_first);
  return out;
}

void
sl_kernel_free (SlKernel *k)
{
  if (!k)
    return;
  g_free (k->version);
  g_free (k->dir);
  g_free (k->vmlinux);
  g_free (k->bzimage);
  g_free (k->config);
  g_free (k->btf);
  g_free (k->kallsyms);
  g_free (k->package);
  g_free (k->suite);
  g_free (k->build_id);
  g_free (k->compression);
  g_free (k);
}

/* --- .config ------------------------------------------------------------------------------ */

char *
sl_kconfig_get (const char *config, const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  if (!config)
    return NULL;

  g_autofree char *set = g_strdup_printf ("CONFIG_%s=", key);
  g_autofree char *unset = g_strdup_printf ("# CONFIG_%s is not set", key);
  gsize setl = strlen (set);
  for (const char *line = config; line && *line; )
    {
      const char *nl = strchr (line, '\n');
      gsize len = nl ? (gsize) (nl - line) : strlen (line);
      if (len >= setl && strncmp (line, set, setl) == 0)
        {
          g_autofree char *v = g_strndup (line + setl, len - setl);
          g_strstrip (v);
          gsize vl = strlen (v);
          if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
            return g_strndup (v + 1, vl - 2);
          return g_steal_pointer (&v);
        }
      if (len == strlen (unset) && strncmp (line, unset, len) == 0)
        return g_strdup ("n");
      line = nl ? nl + 1 : NULL;
    }
  return NULL;
}

SlKernelFeature
sl_kconfig_feature (const char *config, const char *key)
{
  if (!config)
    return SL_KERNEL_FEATURE_UNKNOWN;
  g_autofree char *v = sl_kconfig_get (config, key);
  return g_strcmp0 (v, "y") == 0 ? SL_KERNEL_FEATURE_YES : SL_KERNEL_FEATURE_NO;
}
