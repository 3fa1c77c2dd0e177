/* test-archive-corpus.c: replays every file of the committed fuzz corpus
 * (tests/fuzz/corpus-archive/, crashers included) through the reader: each
 * either loads or fails with an error, and feeding it byte by byte to the
 * live tail gives the same outcome. */
#include "archive-test-util.h"

#include <string.h>

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) tail_error = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  gboolean tail_ok = TRUE;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_static (contents, len);
  run = sl_archive_load_from_bytes (bytes, &error);
  g_assert_true ((run != NULL) != (error != NULL));
  if (error != NULL)
    g_assert_true (error->domain == SL_ERROR);

  /* Small inputs go through the tail one byte at a time. */
  for (gsize i = 0; tail_ok && i < len; i += len < 4096 ? 1 : 97)
    tail_ok = sl_archive_tail_feed (tail, contents + i, MIN (len - i, len < 4096 ? 1 : 97), &tail_error);
  if (tail_ok)
    tail_ok = sl_archive_tail_finish (tail, &tail_error);
  g_assert_cmpint (tail_ok, ==, run != NULL);
  if (run != NULL)
    archive_test_assert_runs_equal (run, sl_archive_tail_get_run (tail));
  else
    g_assert_cmpint (tail_error->code, ==, error->code);
}

int
main (int argc, char **argv)
{
  const char *root = g_getenv ("SL_SOURCE_ROOT");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (root);
  dir_path = g_build_filename (root, "tests", "fuzz", "corpus-archive", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/archive/corpus/%s", n);

      g_test_add_data_func_full (test_path, g_build_filename (dir_path, n, NULL), replay, g_free);
    }
  return g_test_run ();
}
