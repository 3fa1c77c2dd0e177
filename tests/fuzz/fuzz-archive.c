/* fuzz-archive.c: libFuzzer target for the .slrun reader.
 *
 * Arbitrary bytes must load or fail with an error, never crash or hang.
 * Beyond that, two properties are checked on every input:
 *  - the live tail, fed the same bytes in two pieces, reaches the same
 *    outcome as the whole-buffer reader;
 *  - a run that loaded writes back to bytes that load to the same run
 *    (the writer and reader agree on everything they accept). */
#include <stdint.h>
#include <string.h>
#include "sl-archive.h"

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
same_bytes (GBytes *a, GBytes *b)
{
  return a != NULL && b != NULL && g_bytes_equal (a, b);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tail_error = NULL;
  g_autoptr(SlRun) run = sl_archive_load_from_bytes (bytes, &error);
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  size_t cut = size > 0 ? (size_t) data[0] * size / 256 : 0;
  gboolean tail_ok;

  if ((run == NULL) == (error == NULL))
    abort ();

  tail_ok = sl_archive_tail_feed (tail, (const char *) data, cut, &tail_error)
            && sl_archive_tail_feed (tail, (const char *) data + cut, size - cut, &tail_error)
            && sl_archive_tail_finish (tail, &tail_error);
  if (tail_ok != (run != NULL))
    abort ();

  if (run != NULL)
    {
      g_autoptr(GBytes) once = sl_archive_save_to_bytes (run);
      g_autoptr(GBytes) from_tail = sl_archive_save_to_bytes (sl_archive_tail_get_run (tail));
      g_autoptr(GError) again_error = NULL;
      g_autoptr(SlRun) again = sl_archive_load_from_bytes (once, &again_error);
      g_autoptr(GBytes) twice = NULL;

      if (!same_bytes (once, from_tail) || again == NULL)
        abort ();
      twice = sl_archive_save_to_bytes (again);
      if (!same_bytes (once, twice) || again->complete != run->complete)
        abort ();
    }
  else if (tail_error->code != error->code)
    abort ();
  return 0;
}
