/* cli-fields.c: placeholder until the subcommand lands. */
#include "sl-cli.h"

int
sl_cli_fields (int argc, char **argv)
{
  g_printerr ("schedlab-cli fields: not available in this build yet\n");
  return SL_EXIT_SOFTWARE;
}
