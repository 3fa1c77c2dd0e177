/* fuzz-testfile.c: libFuzzer target for the .sltest parser.
 *
 * Arbitrary bytes must parse or fail with an SL_ERROR_SPEC error, never crash
 * or hang. A test file that parses must write back (sl_test_file_to_data) to
 * text that parses again to the same [run] config and writes back
 * identically. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl-test-file.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* A critical or warning is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

static gboolean
strv_equal (char **a, char **b)
{
  guint i;

  for (i = 0; a[i] && b[i]; i++)
    if (strcmp (a[i], b[i]) != 0)
      return FALSE;
  return a[i] == NULL && b[i] == NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = sl_test_file_parse ((const char *) data, (gssize) size, "fuzz", &error);
  g_autoptr(SlTestFile) again = NULL;
  g_autofree char *text1 = NULL, *text2 = NULL;

  if (t == NULL)
    {
      if (error == NULL || error->domain != SL_ERROR || error->code != SL_ERROR_SPEC)
        abort ();
      return 0;
    }
  text1 = sl_test_file_to_data (t, NULL);
  again = sl_test_file_parse (text1, -1, "round-trip", &error);
  if (again == NULL)
    {
      fprintf (stderr, "written test file does not parse: %s\n---\n%s---\n", error->message, text1);
      abort ();
    }
  text2 = sl_test_file_to_data (again, NULL);
  if (strcmp (text1, text2) != 0 || again->spec->assertions->len != t->spec->assertions->len
      || strcmp (again->run.kernel, t->run.kernel) != 0 || strcmp (again->run.scheduler, t->run.scheduler) != 0
      || strcmp (again->run.scenario, t->run.scenario) != 0
      || !strv_equal (again->run.scheduler_args, t->run.scheduler_args)
      || again->run.duration_ms != t->run.duration_ms || again->run.snapshots != t->run.snapshots
      || again->run.interval_ms != t->run.interval_ms || again->run.memory_mb != t->run.memory_mb)
    {
      fprintf (stderr, "round trip differs:\n---\n%s---\n%s---\n", text1, text2);
      abort ();
    }
  return 0;
}
