/* cli-import.c: placeholder until the subcommand lands. */
#include "sl-cli.h"

int
sl_cli_import (int argc, char **argv)
{
  g_printerr ("schedlab-cli import: not available in this build yet\n");
  return SL_EXIT_SOFTWARE;
}
