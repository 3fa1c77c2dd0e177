/* sl-test-cli.h: run the built schedlab-cli (found through SL_BUILD_ROOT)
 * from a test and keep its exit status and output. */
#pragma once

#include <glib.h>

typedef struct {
  int   status;
  char *out;
  char *err;
} CliResult;

void      cli_result_clear (CliResult *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

/* args: NULL-terminated, without the program name. */
CliResult run_cliv (const char *const *args);
#define run_cli(...) run_cliv ((const char *const[]) { __VA_ARGS__, NULL })

/* Aborts the test, printing `hay`, when it does not contain `needle`. */
void      assert_contains (const char *hay, const char *needle);
