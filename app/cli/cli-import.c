/* cli-import.c: `schedlab-cli import KTSTR_JSON -o OUT.slrun`. */
#include "sl-cli.h"

#include <stdio.h>

#include "sl-archive.h"
#include "sl-ktstr-import.h"

int
sl_cli_import (int argc, char **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the run archive to OUT (required)", "OUT.slrun" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = NULL;

  if (!sl_cli_parse (&argc, &argv, "KTSTR_JSON",
                     "Convert a ktstr failure-dump JSON document into a run archive.",
                     "A \"single\" FailureDumpReport becomes a one-sample run tagged after the\n"
                     "file name; a \"dual\" report becomes the samples \"early\" and \"late\".\n"
                     "Imported samples carry no timing and no scx_stats (ktstr dumps have\n"
                     "neither). A \"degraded\" report holds no captured state and is refused.\n\n"
                     "Example:\n"
                     "  schedlab-cli import stall.failure-dump.json -o stall.slrun\n"
                     "  schedlab-cli fields stall.slrun --axis bpf\n\n"
                     "Exit status: 0 success, 64 bad command line, 66 input missing or not a\n"
                     "ktstr dump, 70 the archive could not be written.",
                     entries))
    return SL_EXIT_USAGE;
  if (argc != 2 || output == NULL)
    {
      g_printerr ("schedlab-cli import: expected KTSTR_JSON and -o OUT.slrun (see --help)\n");
      return SL_EXIT_USAGE;
    }
  run = sl_ktstr_import_file (argv[1], &error);
  if (run == NULL)
    {
      g_printerr ("schedlab-cli import: cannot import '%s': %s\n", argv[1], error->message);
      return SL_EXIT_BAD_INPUT;
    }
  if (!sl_archive_save (run, output, &error))
    {
      g_printerr ("schedlab-cli import: cannot write '%s': %s\n", output, error->message);
      return SL_EXIT_SOFTWARE;
    }
  printf ("%s: %u sample%s imported into %s\n", argv[1], run->samples->len,
          run->samples->len == 1 ? "" : "s", output);
  return SL_EXIT_PASS;
}
