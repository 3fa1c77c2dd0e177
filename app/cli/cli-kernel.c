/* cli-kernel.c: placeholder until the subcommand lands. */
#include "sl-cli.h"

int
sl_cli_kernel (int argc, char **argv)
{
  g_printerr ("schedlab-cli kernel: not available in this build yet\n");
  return SL_EXIT_SOFTWARE;
}
