/* schedlab-cli: the headless face of Schedlab. Never links GTK. */
#include <stdio.h>
#include <string.h>
#include <locale.h>

#include "cli/sl-cli.h"

typedef struct {
  const char  *name;
  SlCliCommand run;
  const char  *summary;
} SlCliEntry;

static const SlCliEntry commands[] = {
  { "check",  sl_cli_check,  "Evaluate a spec's assertions on an archived run" },
  { "info",   sl_cli_info,   "Describe a run archive: header, phases, samples, completeness" },
  { "fields", sl_cli_fields, "List every projectable field of a run" },
  { "import", sl_cli_import, "Convert a ktstr failure-dump JSON document into a run archive" },
  { "compare", sl_cli_compare, "Compare two runs field by field, phase by phase" },
#ifdef SL_HAVE_VMM
  { "run",    sl_cli_run,    "Boot a kernel in QEMU, run a scenario and capture it into an archive" },
  { "kernel", sl_cli_kernel, "List, fetch and inspect cached kernels" },
  { "test",   sl_cli_test,   "Rerun test files (.sltest) on fresh VMs and check their assertions" },
#endif
};

static void
usage (FILE *out)
{
  fprintf (out,
           "Usage: schedlab-cli COMMAND [OPTIONS...]\n\n"
           "Schedlab tests Linux process schedulers (above all sched_ext) in real VMs\n"
           "and checks temporal assertions on what they did.\n\n"
           "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (out,
           "\nRun 'schedlab-cli COMMAND --help' for the options of a command.\n"
           "Exit codes: 0 pass, 1 fail, 2 inconclusive, 64 usage, 65 bad spec,\n"
           "66 unreadable run, 70 VM or internal failure.\n");
}

gboolean
sl_cli_parse (int *argc, char ***argv, const char *params, const char *summary,
              const char *description, const GOptionEntry *entries)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (params);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (ctx, summary);
  if (description)
    g_option_context_set_description (ctx, description);
  if (entries)
    g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_printerr ("schedlab-cli: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_set_prgname ("schedlab-cli");

  if (argc < 2)
    {
      usage (stderr);
      return SL_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return SL_EXIT_PASS;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("schedlab-cli %s\n", SL_VERSION);
      return SL_EXIT_PASS;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        /* The command sees argv[0] = "schedlab-cli COMMAND" for its --help. */
        g_autofree char *prog = g_strdup_printf ("schedlab-cli %s", commands[i].name);
        argv[1] = prog;
        g_set_prgname (prog);
        return commands[i].run (argc - 1, argv + 1);
      }
  fprintf (stderr, "schedlab-cli: unknown command '%s'\n\n", argv[1]);
  usage (stderr);
  return SL_EXIT_USAGE;
}
