/* test-archive-tail.c: the incremental reader gives the file reader's result
 * however the bytes are split. */
#include "archive-test-util.h"

#include <string.h>

static SlRun *
feed_in_pieces (const char *text, gsize len, const gsize *cuts, guint n_cuts, GError **error)
{
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  gsize pos = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? cuts[i] : len;

      if (!sl_archive_tail_feed (tail, text + pos, end - pos, error))
        return NULL;
      pos = end;
    }
  if (!sl_archive_tail_finish (tail, error))
    return NULL;
  return sl_run_ref (sl_archive_tail_get_run (tail));
}

/* Every two-piece split of a small archive. */
static void
test_every_split (void)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) whole = sl_archive_load_from_bytes (bytes, &error);
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);

  g_assert_no_error (error);
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(SlRun) pieces = feed_in_pieces (text, len, &cut, 1, &error);

      g_assert_no_error (error);
      archive_test_assert_runs_equal (whole, pieces);
    }
}

/* Random many-piece splits of the full run, including empty pieces. */
static void
test_random_splits (void)
{
  g_autoptr(SlRun) run = archive_test_full_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) whole = sl_archive_load_from_bytes (bytes, &error);
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  GRand *rand = g_rand_new_with_seed (20261127);

  g_assert_no_error (error);
  archive_test_assert_runs_equal (run, whole);
  for (guint round = 0; round < 200; round++)
    {
      gsize cuts[16];
      guint n = (guint) g_rand_int_range (rand, 1, G_N_ELEMENTS (cuts) + 1);
      g_autoptr(SlRun) pieces = NULL;

      for (guint i = 0; i < n; i++)
        cuts[i] = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);
      for (guint i = 1; i < n; i++)   /* sort (tiny insertion sort) */
        for (guint j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
          {
            gsize t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
          }
      pieces = feed_in_pieces (text, len, cuts, n, &error);
      g_assert_no_error (error);
      archive_test_assert_runs_equal (whole, pieces);
    }
  g_rand_free (rand);
}

/* Records become visible as their newline arrives; new samples are counted. */
static void
test_live_progress (void)
{
  g_autoptr(SlRun) run = archive_test_small_run ();
  g_autoptr(GBytes) bytes = sl_archive_save_to_bytes (run);
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *text = g_bytes_get_data (bytes, &len);
  const char *sample_b = strstr (text, "{\"record\":\"sample\",\"tag\":\"b\"");
  const char *footer = strstr (text, "{\"record\":\"footer\"");
  gsize upto_b = (gsize) (sample_b - text);

  g_assert_false (sl_archive_tail_has_header (tail));
  /* Header, stimulus, sample a, and half of sample b. */
  g_assert_true (sl_archive_tail_feed (tail, text, upto_b + 10, &error));
  g_assert_no_error (error);
  g_assert_true (sl_archive_tail_has_header (tail));
  g_assert_cmpuint (sl_archive_tail_get_new_samples (tail), ==, 1);
  g_assert_cmpuint (sl_archive_tail_get_run (tail)->samples->len, ==, 1);
  g_assert_cmpuint (sl_archive_tail_get_offset (tail), ==, upto_b);
  g_assert_false (sl_archive_tail_get_run (tail)->complete);
  g_assert_cmpstr (sl_archive_tail_get_run (tail)->header.scenario, ==, "tiny");

  /* The rest of sample b, up to the footer. */
  g_assert_true (sl_archive_tail_feed (tail, text + upto_b + 10, (gsize) (footer - text) - upto_b - 10, &error));
  g_assert_cmpuint (sl_archive_tail_get_new_samples (tail), ==, 1);
  g_assert_cmpuint (sl_archive_tail_get_run (tail)->samples->len, ==, 2);
  g_assert_false (sl_archive_tail_has_footer (tail));

  g_assert_true (sl_archive_tail_feed (tail, footer, len - (gsize) (footer - text), &error));
  g_assert_cmpuint (sl_archive_tail_get_new_samples (tail), ==, 0);
  g_assert_true (sl_archive_tail_has_footer (tail));
  g_assert_true (sl_archive_tail_get_run (tail)->complete);
  g_assert_true (sl_archive_tail_finish (tail, &error));
  g_assert_true (sl_archive_tail_get_run (tail)->complete);
}

/* After an error the tail stays stopped. */
static void
test_sticky_error (void)
{
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  g_autoptr(GError) error = NULL;
  const char *bad = "{\"record\":\"sample\"}\n";

  g_assert_false (sl_archive_tail_feed (tail, bad, strlen (bad), &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sl_archive_tail_feed (tail, "", 0, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_false (sl_archive_tail_finish (tail, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
}

/* A line that never ends is refused once it passes the record limit,
 * without waiting for a newline. */
static void
test_unterminated_limit (void)
{
  g_autoptr(SlArchiveTail) tail = sl_archive_tail_new ();
  g_autoptr(GError) error = NULL;
  gsize chunk = 1024 * 1024;
  g_autofree char *x = g_malloc (chunk);
  gboolean ok = TRUE;
  guint fed = 0;

  memset (x, 'x', chunk);
  while (ok && fed < 100)
    {
      ok = sl_archive_tail_feed (tail, x, chunk, &error);
      fed++;
    }
  g_assert_false (ok);
  g_assert_cmpuint (fed, ==, SL_ARCHIVE_MAX_RECORD_BYTES / chunk + 1);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/archive/tail/every-split", test_every_split);
  g_test_add_func ("/archive/tail/random-splits", test_random_splits);
  g_test_add_func ("/archive/tail/live-progress", test_live_progress);
  g_test_add_func ("/archive/tail/sticky-error", test_sticky_error);
  g_test_add_func ("/archive/tail/unterminated-limit", test_unterminated_limit);
  return g_test_run ();
}
