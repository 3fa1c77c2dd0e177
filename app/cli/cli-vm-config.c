/* cli-vm-config.c: see cli-vm-config.h. */
#include "cli-vm-config.h"

#include <string.h>
#include "sl-types.h"

const char *
sl_cli_sched_loader_path (void)
{
  const char *env = g_getenv ("SCHEDLAB_SCHED_LOADER");

  if (env != NULL && *env)
    return env;
#ifdef SL_SCHED_LOADER_BUILD_PATH
  if (g_file_test (SL_SCHED_LOADER_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return SL_SCHED_LOADER_BUILD_PATH;
#endif
  return NULL;
}

static gboolean
is_bundled (const char *name)
{
  return strcmp (name, "sl_fifo") == 0 || strcmp (name, "sl_vtime") == 0;
}

gboolean
sl_cli_resolve_scheduler (const char *scheduler, const char *const *args,
                          char **out_path, GStrv *out_args, GError **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *base = NULL;
  const char *loader = sl_cli_sched_loader_path ();

  g_return_val_if_fail (out_path != NULL && out_args != NULL, FALSE);
  *out_path = NULL;
  *out_args = NULL;
  if (scheduler == NULL || *scheduler == '\0')
    {
      *out_args = g_new0 (char *, 1);
      return TRUE;
    }
  base = g_path_get_basename (scheduler);
  if (is_bundled (scheduler) || (strcmp (base, "sl-sched") == 0 && !g_file_test (scheduler, G_FILE_TEST_IS_EXECUTABLE)))
    {
      if (loader == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                       "the bundled scheduler loader sl-sched is not built (set SCHEDLAB_SCHED_LOADER)");
          return FALSE;
        }
      *out_path = g_strdup (loader);
      if (is_bundled (scheduler))
        {
          g_strv_builder_add (b, "--scheduler");
          g_strv_builder_add (b, scheduler);
        }
    }
  else if (!g_file_test (scheduler, G_FILE_TEST_IS_EXECUTABLE) || g_file_test (scheduler, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "scheduler '%s' is neither a bundled scheduler (sl_fifo, sl_vtime) nor an executable file",
                   scheduler);
      return FALSE;
    }
  else
    *out_path = g_strdup (scheduler);
  if (args)
    g_strv_builder_addv (b, (const char **) args);
  *out_args = g_strv_builder_end (b);
  return TRUE;
}

char *
sl_cli_kernel_spec (const char *kernel)
{
  static const char *const prefixes[] = { "linux-binary-", "linux-image-" };
  const char *pkg;

  if (kernel == NULL || *kernel == '\0')
    return g_strdup ("default");
  if (!g_str_has_prefix (kernel, "debian:"))
    return g_strdup (kernel);
  pkg = kernel + strlen ("debian:");
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (pkg, prefixes[i]) && g_ascii_isdigit (pkg[strlen (prefixes[i])]))
      {
        const char *release = pkg + strlen (prefixes[i]);
        const char *eq = strchr (release, '=');

        return eq ? g_strndup (release, eq - release) : g_strdup (release);
      }
  return g_strdup (pkg);
}

char *
sl_cli_kernel_source (const SlKernel *k)
{
  g_return_val_if_fail (k != NULL, NULL);
  return k->package ? g_strdup_printf ("debian:%s", k->package) : g_strdup (k->vmlinux);
}

void
sl_cli_use_introspector (SlRunnerConfig *cfg, SlIntrospector *in)
{
  g_return_if_fail (cfg != NULL && in != NULL);
  cfg->before_freeze_hook = sl_introspector_before_freeze_hook;
  cfg->freeze_hook = sl_introspector_freeze_hook;
  cfg->after_thaw_hook = sl_introspector_after_thaw_hook;
  cfg->take_monitor_sample = sl_introspector_take_monitor_sample_hook;
  cfg->freeze_hook_data = in;
}
