/* fuzz-spec.c: libFuzzer target for the .slspec parser.
 *
 * Arbitrary bytes must parse or fail with an SL_ERROR_SPEC error, never crash
 * or hang. A spec that parses must write back (sl_spec_to_data) to text that
 * parses again and writes back identically: the writer and the strict parser
 * agree on everything the parser accepts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sl-spec.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* A critical or warning is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = sl_spec_parse ((const char *) data, (gssize) size, "fuzz", &error);
  g_autoptr(SlSpec) again = NULL;
  g_autofree char *text1 = NULL, *text2 = NULL;

  if (spec == NULL)
    {
      if (error == NULL || error->domain != SL_ERROR || error->code != SL_ERROR_SPEC)
        abort ();
      return 0;
    }
  text1 = sl_spec_to_data (spec, NULL);
  again = sl_spec_parse (text1, -1, "round-trip", &error);
  if (again == NULL)
    {
      fprintf (stderr, "written spec does not parse: %s\n---\n%s---\n", error->message, text1);
      abort ();
    }
  text2 = sl_spec_to_data (again, NULL);
  if (strcmp (text1, text2) != 0 || again->assertions->len != spec->assertions->len)
    {
      fprintf (stderr, "round trip differs:\n---\n%s---\n%s---\n", text1, text2);
      abort ();
    }
  return 0;
}
