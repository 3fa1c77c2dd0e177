/* cli-check.c: placeholder until the subcommand lands. */
#include "sl-cli.h"

int
sl_cli_check (int argc, char **argv)
{
  g_printerr ("schedlab-cli check: not available in this build yet\n");
  return SL_EXIT_SOFTWARE;
}
