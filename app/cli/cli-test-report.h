/* cli-test-report.h: the results of `schedlab-cli test` and how they are
 * reported: human text, TAP 13, JUnit XML, and the JSON result file a child
 * process (--jobs) hands back to its parent. */
#pragma once

#include <stdio.h>
#include <glib.h>
#include "sl-verdict.h"

G_BEGIN_DECLS

typedef struct {
  char         *name;
  char         *field;
  char         *pattern;
  SlOutcomeKind result;
  GPtrArray    *lines;        /* char*: messages, the samples they are about, notes */
} SlCliAssertResult;

typedef struct {
  char      *path;
  char      *name;
  char      *archive;         /* NULL when no run happened */
  int        status;          /* SL_EXIT_PASS / FAIL / INCONCLUSIVE / BAD_SPEC / SOFTWARE */
  char      *error;           /* why the test could not be evaluated; NULL otherwise */
  char      *end_reason;
  guint      n_samples;
  double     seconds;
  GPtrArray *asserts;         /* SlCliAssertResult* */
} SlCliTestResult;

void             sl_cli_assert_result_free (SlCliAssertResult *a);
/* A result named after the file (its base name without ".sltest"). */
SlCliTestResult *sl_cli_test_result_new (const char *path);
void             sl_cli_test_result_free (SlCliTestResult *r);
void             sl_cli_test_result_set_error (SlCliTestResult *r, int status, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* Invalid test file > VM failure > fail > inconclusive > pass. */
int              sl_cli_test_status_rank (int status);
int              sl_cli_test_status_worst (int a, int b);
const char      *sl_cli_test_status_word (int status);   /* "PASS", "FAIL", "INVALID", ... */

gboolean sl_cli_test_result_write (const SlCliTestResult *r, const char *path, GError **error);
/* Fills r (created for the same file) from a result file. */
gboolean sl_cli_test_result_read  (SlCliTestResult *r, const char *path, GError **error);

void     sl_cli_test_print_human (GPtrArray *results);
void     sl_cli_test_print_tap   (GPtrArray *results);
gboolean sl_cli_test_write_junit (GPtrArray *results, const char *path, GError **error);

G_END_DECLS
