/* fuzz-ktstr-import.c: libFuzzer target for the ktstr failure-dump importer.
 * Arbitrary bytes must import or fail with an error; an imported run must
 * archive and read back. */
#include <stdint.h>
#include "sl-archive.h"
#include "sl-ktstr-import.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_ktstr_import_bytes ((const char *) data, size, "fuzz.failure-dump.json", &error);

  if ((run == NULL) == (error == NULL))
    abort ();
  if (run != NULL)
    {
      g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
      g_autoptr(GError) load_error = NULL;
      g_autoptr(SlRun) back = sl_archive_load_from_bytes (bytes, &load_error);

      if (back == NULL || back->samples->len != run->samples->len)
        abort ();
    }
  return 0;
}
