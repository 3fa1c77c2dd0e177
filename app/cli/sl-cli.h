/* sl-cli.h: subcommands of schedlab-cli. Each lives in its own cli-<name>.c and
 * returns the process exit code. */
#pragma once

#include <glib.h>

/* Exit codes. 0/1/2 follow ktstr (pass / fail / inconclusive); the rest follow sysexits. */
enum {
  SL_EXIT_PASS = 0,
  SL_EXIT_FAIL = 1,
  SL_EXIT_INCONCLUSIVE = 2,
  SL_EXIT_USAGE = 64,       /* bad command line */
  SL_EXIT_BAD_SPEC = 65,    /* spec / test / scenario file is invalid */
  SL_EXIT_BAD_INPUT = 66,   /* run archive missing or unreadable */
  SL_EXIT_SOFTWARE = 70,    /* VM, kernel or internal failure */
};

typedef int (*SlCliCommand) (int argc, char **argv);

int sl_cli_check  (int argc, char **argv);
int sl_cli_info   (int argc, char **argv);
int sl_cli_fields (int argc, char **argv);
int sl_cli_import (int argc, char **argv);
int sl_cli_compare (int argc, char **argv);
#ifdef SL_HAVE_VMM
int sl_cli_kernel (int argc, char **argv);
int sl_cli_run    (int argc, char **argv);
int sl_cli_test   (int argc, char **argv);
#endif

/* Parses argv with `entries` and a one-line summary; prints errors and returns FALSE. */
gboolean sl_cli_parse (int *argc, char ***argv, const char *params, const char *summary,
                       const char *description, const GOptionEntry *entries);
