/* sl-test-cli.c: run the built schedlab-cli from a test. */
#include "sl-test-cli.h"

#include <string.h>
#include <gio/gio.h>

void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

CliResult
run_cliv (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *build = g_getenv ("SL_BUILD_ROOT");
  CliResult r = { 0 };

  g_assert_nonnull (build);
  g_ptr_array_add (argv, g_build_filename (build, "app", "schedlab-cli", NULL));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &r.out, &r.err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  r.status = g_subprocess_get_exit_status (proc);
  return r;
}

void
assert_contains (const char *hay, const char *needle)
{
  if (hay == NULL || strstr (hay, needle) == NULL)
    g_error ("output lacks '%s':\n%s", needle, hay ? hay : "(null)");
}
