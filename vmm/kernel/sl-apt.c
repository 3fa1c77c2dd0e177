/* sl-apt.c: host mirror discovery, dpkg version order and a private apt configuration. */
#include "sl-apt.h"
#include "sl-types.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct _SlApt {
  char *dir;
  char *mirror;
};

void
sl_apt_source_free (SlAptSource *src)
{
  if (!src)
    return;
  g_free (src->uri);
  g_strfreev (src->suites);
  g_strfreev (src->components);
  g_free (src);
}

/* --- sources.list ------------------------------------------------------------------------ */

static void
parse_one_line (const char *line, GPtrArray *out)
{
  g_autofree char *copy = g_strdup (line);
  char *hash = strchr (copy, '#');
  if (hash)
    *hash = '\0';
  g_strstrip (copy);
  if (!g_str_has_prefix (copy, "deb ") && !g_str_has_prefix (copy, "deb\t"))
    return;

  char *rest = copy + 3;
  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (*rest == '[')   /* "[arch=amd64 signed-by=...]" options */
    {
      char *close = strchr (rest, ']');
      if (!close)
        return;
      rest = close + 1;
    }
  g_auto(GStrv) words = g_strsplit_set (rest, " \t", -1);
  g_autoptr(GPtrArray) w = g_ptr_array_new ();
  for (char **p = words; *p; p++)
    if (**p)
      g_ptr_array_add (w, *p);
  if (w->len < 2)
    return;

  SlAptSource *src = g_new0 (SlAptSource, 1);
  src->uri = g_strdup (w->pdata[0]);
  src->suites = g_new0 (char *, 2);
  src->suites[0] = g_strdup (w->pdata[1]);
  src->components = g_new0 (char *, w->len - 1);
  for (guint i = 2; i < w->len; i++)
    src->components[i - 2] = g_strdup (w->pdata[i]);
  g_ptr_array_add (out, src);
}

static char **
split_words (const char *value)
{
  g_auto(GStrv) parts = g_strsplit_set (value ? value : "", " \t\n", -1);
  GPtrArray *w = g_ptr_array_new ();
  for (char **p = parts; *p; p++)
    if (**p)
      g_ptr_array_add (w, g_strdup (*p));
  g_ptr_array_add (w, NULL);
  return (char **) g_ptr_array_free (w, FALSE);
}

/* deb822: stanzas separated by blank lines; "Key: value" with continuation lines. */
static void
flush_stanza (GHashTable *fields, GPtrArray *out)
{
  const char *types = g_hash_table_lookup (fields, "types");
  const char *enabled = g_hash_table_lookup (fields, "enabled");
  if (types && (!enabled || g_ascii_strcasecmp (g_strstrip ((char *) enabled), "no") != 0))
    {
      g_auto(GStrv) t = split_words (types);
      g_auto(GStrv) uris = split_words (g_hash_table_lookup (fields, "uris"));
      gboolean is_deb = g_strv_contains ((const char * const *) t, "deb");
      for (char **u = uris; is_deb && *u; u++)
        {
          SlAptSource *src = g_new0 (SlAptSource, 1);
          src->uri = g_strdup (*u);
          src->suites = split_words (g_hash_table_lookup (fields, "suites"));
          src->components = split_words (g_hash_table_lookup (fields, "components"));
          g_ptr_array_add (out, src);
        }
    }
  g_hash_table_remove_all (fields);
}

GPtrArray *
sl_apt_parse_sources (const char *text, gboolean deb822)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_apt_source_free);
  if (!text)
    return out;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!deb822)
    {
      for (char **l = lines; *l; l++)
        parse_one_line (*l, out);
      return out;
    }

  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *last_key = NULL;
  for (char **l = lines; ; l++)
    {
      const char *line = *l;
      if (!line || line[strspn (line, " \t\r")] == '\0')
        {
          flush_stanza (fields, out);
          g_clear_pointer (&last_key, g_free);
          if (!line)
            break;
          continue;
        }
      if (line[0] == '#')
        continue;
      if ((line[0] == ' ' || line[0] == '\t') && last_key)
        {
          const char *old = g_hash_table_lookup (fields, last_key);
          g_hash_table_insert (fields, g_strdup (last_key), g_strconcat (old ? old : "", " ", line, NULL));
          continue;
        }
      const char *colon = strchr (line, ':');
      if (!colon)
        continue;
      g_free (last_key);
      last_key = g_ascii_strdown (line, colon - line);
      g_strstrip (last_key);
      g_autofree char *value = g_strdup (colon + 1);
      g_hash_table_insert (fields, g_strdup (last_key), g_strdup (g_strstrip (value)));
    }
  return out;
}

static gboolean
is_debian_release_suite (const char *suite)
{
  static const char * const names[] = {
    "stable", "oldstable", "oldoldstable", "testing", "unstable", "sid", "experimental",
    "buster", "bullseye", "bookworm", "trixie", "forky", "duke", NULL,
  };
  /* Security archives live elsewhere and carry no kernels from other suites. */
  static const char * const suffixes[] = {
    "", "-updates", "-backports", "-backports-sloppy", "-proposed-updates", NULL,
  };
  g_autofree char *base = g_strdup (suite);
  char *dash = strchr (base, '-');
  const char *suffix = "";
  if (dash)
    {
      suffix = suite + (dash - base);
      *dash = '\0';
    }
  return g_strv_contains (names, base) && g_strv_contains (suffixes, suffix);
}

char *
sl_apt_pick_debian_mirror (GPtrArray *sources)
{
  g_return_val_if_fail (sources != NULL, NULL);

  for (guint i = 0; i < sources->len; i++)
    {
      SlAptSource *src = sources->pdata[i];
      if (!g_str_has_prefix (src->uri, "http://") && !g_str_has_prefix (src->uri, "https://") &&
          !g_str_has_prefix (src->uri, "file:") && !g_str_has_prefix (src->uri, "ftp://"))
        continue;
      for (char **s = src->suites; s && *s; s++)
        if (is_debian_release_suite (*s))
          return g_strdup (src->uri);
    }
  return NULL;
}

static void
append_file (GPtrArray *sources, const char *path, gboolean deb822)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  g_autoptr(GPtrArray) more = sl_apt_parse_sources (text, deb822);
  for (guint i = 0; i < more->len; i++)
    g_ptr_array_add (sources, g_steal_pointer (&more->pdata[i]));
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

char *
sl_apt_find_host_mirror (const char *etc_apt, GError **error)
{
  if (!etc_apt)
    etc_apt = "/etc/apt";

  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_apt_source_free);
  g_autofree char *main_list = g_build_filename (etc_apt, "sources.list", NULL);
  append_file (sources, main_list, FALSE);

  g_autofree char *parts = g_build_filename (etc_apt, "sources.list.d", NULL);
  g_autoptr(GDir) dir = g_dir_open (parts, 0, NULL);
  if (dir)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      while ((name = g_dir_read_name (dir)))
        if (g_str_has_suffix (name, ".list") || g_str_has_suffix (name, ".sources"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, cmp_str);   /* apt reads the parts in this order too */
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (parts, names->pdata[i], NULL);
          append_file (sources, path, g_str_has_suffix (names->pdata[i], ".sources"));
        }
    }

  char *mirror = sl_apt_pick_debian_mirror (sources);
  if (!mirror)
    g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                 "no Debian mirror in %s/sources.list or sources.list.d; pass --mirror URI or set "
                 "[kernel] mirror= in schedlab.conf", etc_apt);
  return mirror;
}

/* --- dpkg version ordering ---------------------------------------------------------------- */

static int
order (int c)
{
  if (g_ascii_isdigit (c))
    return 0;
  if (g_ascii_isalpha (c))
    return c;
  if (c == '~')
    return -1;
  return c ? c + 256 : 0;
}

static int
verrevcmp (const char *a, const char *b)
{
  while (*a || *b)
    {
      int first_diff = 0;
      while ((*a && !g_ascii_isdigit (*a)) || (*b && !g_ascii_isdigit (*b)))
        {
          int ac = order (*a), bc = order (*b);
          if (ac != bc)
            return ac - bc;
          a++;
          b++;
        }
      while (*a == '0')
        a++;
      while (*b == '0')
        b++;
      while (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          if (!first_diff)
            first_diff = *a - *b;
          a++;
          b++;
        }
      if (g_ascii_isdigit (*a))
        return 1;
      if (g_ascii_isdigit (*b))
        return -1;
      if (first_diff)
        return first_diff;
    }
  return 0;
}

static void
split_version (const char *v, guint64 *epoch, char **upstream, char **revision)
{
  const char *colon = strchr (v, ':');
  *epoch = 0;
  if (colon)
    {
      *epoch = g_ascii_strtoull (v, NULL, 10);
      v = colon + 1;
    }
  const char *dash = strrchr (v, '-');
  *upstream = dash ? g_strndup (v, (gsize) (dash - v)) : g_strdup (v);
  *revision = g_strdup (dash ? dash + 1 : "");
}

int
sl_debian_version_compare (const char *a, const char *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  guint64 ea, eb;
  g_autofree char *ua = NULL, *ra = NULL, *ub = NULL, *rb = NULL;
  split_version (a, &ea, &ua, &ra);
  split_version (b, &eb, &ub, &rb);
  if (ea != eb)
    return ea < eb ? -1 : 1;
  int c = verrevcmp (ua, ub);
  if (c)
    return c < 0 ? -1 : 1;
  c = verrevcmp (ra, rb);
  return c < 0 ? -1 : c > 0;
}

/* --- running apt ------------------------------------------------------------------------- */

SlApt *
sl_apt_new (const char *dir, const char *mirror, const char * const *suites, GError **error)
{
  g_return_val_if_fail (dir != NULL && mirror != NULL && suites != NULL, NULL);

  if (strpbrk (mirror, " \t\n[]#") || !*mirror)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "invalid mirror URI \"%s\"", mirror);
      return NULL;
    }
  const char *sub[] = { "lists/partial", "cache/archives/partial", "sources.list.d" };
  for (guint i = 0; i < G_N_ELEMENTS (sub); i++)
    {
      g_autofree char *p = g_build_filename (dir, sub[i], NULL);
      if (g_mkdir_with_parents (p, 0755) != 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot create %s: %s", p, g_strerror (errno));
          return NULL;
        }
    }
  g_autoptr(GString) list = g_string_new ("# Written by schedlab: private sources for kernel packages.\n");
  for (const char * const *s = suites; *s; s++)
    {
      if (strpbrk (*s, " \t\n[]#") || !**s)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "invalid suite name \"%s\"", *s);
          return NULL;
        }
      g_string_append_printf (list, "deb %s %s main\n", mirror, *s);
    }
  g_autofree char *list_path = g_build_filename (dir, "sources.list", NULL);
  g_autofree char *status = g_build_filename (dir, "status", NULL);
  if (!g_file_set_contents (list_path, list->str, (gssize) list->len, error) ||
      (!g_file_test (status, G_FILE_TEST_EXISTS) && !g_file_set_contents (status, "", 0, error)))
    return NULL;

  SlApt *apt = g_new0 (SlApt, 1);
  apt->dir = g_strdup (dir);
  apt->mirror = g_strdup (mirror);
  return apt;
}

void
sl_apt_free (SlApt *apt)
{
  if (!apt)
    return;
  g_free (apt->dir);
  g_free (apt->mirror);
  g_free (apt);
}

/* The last "E:" line of apt's stderr, or its last line. */
static char *
apt_error_line (const char *err)
{
  g_auto(GStrv) lines = g_strsplit (err ? err : "", "\n", -1);
  const char *best = NULL;
  for (char **l = lines; *l; l++)
    {
      if (g_str_has_prefix (*l, "E: ") || (!best && g_str_has_prefix (*l, "W: ") && !strstr (*l, "unsandboxed")))
        best = *l;
    }
  return g_strdup (best ? best : "(no message)");
}

static gboolean
run_apt (SlApt *apt, const char *tool, const char * const *args, const char *cwd,
         char **out, char **err_out, GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup (tool));
  g_ptr_array_add (argv, g_strdup ("-q"));
  struct { const char *key, *sub; } opts[] = {
    { "Dir::Etc::SourceList", "sources.list" },
    { "Dir::Etc::SourceParts", "sources.list.d" },
    { "Dir::State::Lists", "lists" },
    { "Dir::Cache", "cache" },
    { "Dir::State::status", "status" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (opts); i++)
    {
      g_autofree char *p = g_build_filename (apt->dir, opts[i].sub, NULL);
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup_printf ("%s=%s", opts[i].key, p));
    }
  /* As root apt would drop to the _apt user, which cannot write our private dirs. */
  if (geteuid () == 0)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup ("APT::Sandbox::User=root"));
    }
  for (const char * const *a = args; *a; a++)
    g_ptr_array_add (argv, g_strdup (*a));
  g_ptr_array_add (argv, NULL);

  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  if (cwd)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  g_autoptr(GError) local = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &local);
  if (!proc)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "cannot run %s (is apt installed?): %s", tool, local->message);
      return FALSE;
    }
  g_autofree char *o = NULL, *e = NULL;
  if (!g_subprocess_communicate_utf8 (proc, NULL, cancellable, &o, &e, error))
    {
      g_subprocess_force_exit (proc);
      return FALSE;
    }
  gboolean fetch_failed = e && (strstr (e, "Failed to fetch") || strstr (e, "Could not resolve") ||
                                strstr (e, "Temporary failure resolving") || strstr (e, "Unable to connect") ||
                                strstr (e, "Some index files failed"));
  if (!g_subprocess_get_if_exited (proc) || g_subprocess_get_exit_status (proc) != 0 || fetch_failed)
    {
      g_autofree char *line = apt_error_line (e);
      if (fetch_failed && !strstr (e, "404"))
        g_set_error (error, SL_ERROR, SL_ERROR_IO, "Debian archive unreachable at %s: %s", apt->mirror, line);
      else if (e && (strstr (e, "Unable to locate package") || strstr (e, "Can't select") ||
                     strstr (e, "404") || strstr (e, "has no installation candidate") ||
                     strstr (e, "not found")))
        g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "package gone from the archive: %s", line);
      else
        g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "%s failed: %s", tool, line);
      return FALSE;
    }
  if (out)
    *out = g_steal_pointer (&o);
  if (err_out)
    *err_out = g_steal_pointer (&e);
  return TRUE;
}

gboolean
sl_apt_update (SlApt *apt, GCancellable *cancellable, GError **error)
{
  const char *args[] = { "update", NULL };
  return run_apt (apt, "apt-get", args, NULL, NULL, NULL, cancellable, error);
}

char **
sl_apt_pkgnames (SlApt *apt, const char *prefix, GCancellable *cancellable, GError **error)
{
  const char *args[] = { "pkgnames", prefix, NULL };
  g_autofree char *out = NULL;
  if (!run_apt (apt, "apt-cache", args, NULL, &out, NULL, cancellable, error))
    return NULL;
  return split_words (out);
}

gboolean
sl_apt_policy (SlApt *apt, const char *pkg, char **version, char **suite,
               GCancellable *cancellable, GError **error)
{
  /* madison prints " pkg | version | <uri> <suite>/<component> <arch> Packages" per version. */
  const char *args[] = { "madison", pkg, NULL };
  g_autofree char *out = NULL;
  if (!run_apt (apt, "apt-cache", args, NULL, &out, NULL, cancellable, error))
    return FALSE;
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *best_v = NULL, *best_s = NULL;
  for (char **l = lines; *l; l++)
    {
      g_auto(GStrv) f = g_strsplit (*l, "|", 3);
      if (g_strv_length (f) != 3 || strcmp (g_strstrip (f[0]), pkg) != 0)
        continue;
      const char *v = g_strstrip (f[1]);
      g_auto(GStrv) where = split_words (f[2]);
      if (!where[0] || !where[1])
        continue;
      if (!best_v || sl_debian_version_compare (v, best_v) > 0)
        {
          g_free (best_v);
          g_free (best_s);
          best_v = g_strdup (v);
          char *slash = strchr (where[1], '/');
          best_s = slash ? g_strndup (where[1], (gsize) (slash - where[1])) : g_strdup (where[1]);
        }
    }
  if (!best_v)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "package gone from the archive: %s", pkg);
      return FALSE;
    }
  *version = g_steal_pointer (&best_v);
  *suite = g_steal_pointer (&best_s);
  return TRUE;
}

char *
sl_apt_download (SlApt *apt, const char *pkg, const char *version, const char *dest_dir,
                 GCancellable *cancellable, GError **error)
{
  g_autofree char *spec = g_strdup_printf ("%s=%s", pkg, version);
  const char *args[] = { "download", spec, NULL };
  if (g_mkdir_with_parents (dest_dir, 0755) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "cannot create %s: %s", dest_dir, g_strerror (errno));
      return NULL;
    }
  if (!run_apt (apt, "apt-get", args, dest_dir, NULL, NULL, cancellable, error))
    return NULL;
  /* apt names the file <pkg>_<version with ':' as %3a>_<arch>.deb */
  g_autoptr(GDir) dir = g_dir_open (dest_dir, 0, error);
  if (!dir)
    return NULL;
  g_autofree char *want = NULL;
  {
    g_autoptr(GString) v = g_string_new (NULL);
    for (const char *p = version; *p; p++)
      if (*p == ':')
        g_string_append (v, "%3a");
      else
        g_string_append_c (v, *p);
    want = g_strdup_printf ("%s_%s_", pkg, v->str);
  }
  const char *name;
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_prefix (name, want) && g_str_has_suffix (name, ".deb"))
      return g_build_filename (dest_dir, name, NULL);
  g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "apt-get download %s left no .deb in %s", spec, dest_dir);
  return NULL;
}
