/* cli-info.c: placeholder until the subcommand lands. */
#include "sl-cli.h"

int
sl_cli_info (int argc, char **argv)
{
  g_printerr ("schedlab-cli info: not available in this build yet\n");
  return SL_EXIT_SOFTWARE;
}
