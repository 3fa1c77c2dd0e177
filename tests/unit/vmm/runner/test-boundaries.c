/* Unit tests of the periodic boundary arithmetic (ktstr-semantics §1.1). */
#include "sl-boundaries.h"

#define S (G_GUINT64_CONSTANT (1000000000))

static void
test_ktstr_example (void)
{
  /* d = 10 s, N = 3 → 3 s, 5 s, 7 s after the anchor. */
  g_autoptr(GArray) b = sl_periodic_boundaries_ns (0, 10 * S, 3);
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpuint (g_array_index (b, guint64, 0), ==, 3 * S);
  g_assert_cmpuint (g_array_index (b, guint64, 1), ==, 5 * S);
  g_assert_cmpuint (g_array_index (b, guint64, 2), ==, 7 * S);
}

static void
test_midpoint (void)
{
  g_autoptr(GArray) b = sl_periodic_boundaries_ns (1000, 1000 + 10 * S, 1);
  g_assert_cmpuint (b->len, ==, 1);
  g_assert_cmpuint (g_array_index (b, guint64, 0), ==, 1000 + 5 * S);
  /* Odd span: avail = 7, pre = 0, win = 7, boundary = 7·1/2 = 3 (truncating). */
  g_autoptr(GArray) c = sl_periodic_boundaries_ns (10, 17, 1);
  g_assert_cmpuint (c->len, ==, 1);
  g_assert_cmpuint (g_array_index (c, guint64, 0), ==, 13);
}

static void
test_empty (void)
{
  g_autoptr(GArray) a = sl_periodic_boundaries_ns (0, 10 * S, 0);
  g_assert_nonnull (a);
  g_assert_cmpuint (a->len, ==, 0);
  g_autoptr(GArray) b = sl_periodic_boundaries_ns (5 * S, 5 * S, 3);
  g_assert_cmpuint (b->len, ==, 0);
  g_autoptr(GArray) c = sl_periodic_boundaries_ns (6 * S, 5 * S, 3);
  g_assert_cmpuint (c->len, ==, 0);
  /* avail = 4: pre = 0, win = 4 < N + 1 = 5 → empty. */
  g_autoptr(GArray) d = sl_periodic_boundaries_ns (0, 4, 4);
  g_assert_cmpuint (d->len, ==, 0);
  /* win = N + 1 exactly is enough. */
  g_autoptr(GArray) e = sl_periodic_boundaries_ns (0, 5, 4);
  g_assert_cmpuint (e->len, ==, 4);
}

static void
test_strictly_increasing_and_margins (void)
{
  for (guint n = 1; n <= 64; n++)
    {
      guint64 start = 123456789, end = start + 7777 * G_GUINT64_CONSTANT (1000000) + 13;
      g_autoptr(GArray) b = sl_periodic_boundaries_ns (start, end, n);
      g_assert_cmpuint (b->len, ==, n);
      guint64 avail = end - start, pre = avail / 10;
      for (guint i = 0; i < n; i++)
        {
          guint64 v = g_array_index (b, guint64, i);
          g_assert_cmpuint (v, >, start + pre);
          g_assert_cmpuint (v, <, end - pre);
          if (i > 0)
            g_assert_cmpuint (v, >, g_array_index (b, guint64, i - 1));
        }
    }
}

static void
test_no_overflow (void)
{
  /* win·(i+1) overflows 64 bits here; the 128-bit product must not. */
  guint64 end = G_MAXUINT64 - 1;
  g_autoptr(GArray) b = sl_periodic_boundaries_ns (0, end, 3);
  g_assert_cmpuint (b->len, ==, 3);
  guint64 pre = end / 10, win = end - 2 * pre;
  unsigned __int128 expect = (unsigned __int128) win * 3 / 4;
  g_assert_cmpuint (g_array_index (b, guint64, 2), ==, pre + (guint64) expect);
  g_assert_cmpuint (g_array_index (b, guint64, 2), >, g_array_index (b, guint64, 1));
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_periodic_validate (10000, 20, &error));
  g_assert_true (sl_periodic_validate (10000, 0, &error));
  /* 0.8·10000/(N+1) >= 100 ⇔ N <= 79, but the cap is 64. */
  g_assert_false (sl_periodic_validate (100000, 65, &error));
  g_clear_error (&error);
  /* 0.8·1000/8 = 100 ms: allowed; N = 8 → 88.9 ms: rejected. */
  g_assert_true (sl_periodic_validate (1000, 7, &error));
  g_assert_false (sl_periodic_validate (1000, 8, &error));
  g_assert_nonnull (error);
}

static void
test_interval (void)
{
  g_autoptr(GArray) b = sl_interval_boundaries_ns (0, 1 * S, 300 * G_GUINT64_CONSTANT (1000000));
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpuint (g_array_index (b, guint64, 2), ==, 900 * G_GUINT64_CONSTANT (1000000));
  g_autoptr(GArray) c = sl_interval_boundaries_ns (0, 1 * S, 0);
  g_assert_cmpuint (c->len, ==, 0);
  g_autoptr(GArray) d = sl_interval_boundaries_ns (0, 1000 * S, 1);
  g_assert_cmpuint (d->len, ==, SL_INTERVAL_MAX_SAMPLES);
}

static void
test_tag (void)
{
  g_autofree char *a = sl_periodic_tag (0);
  g_autofree char *b = sl_periodic_tag (42);
  g_assert_cmpstr (a, ==, "periodic_000");
  g_assert_cmpstr (b, ==, "periodic_042");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/boundaries/ktstr-example", test_ktstr_example);
  g_test_add_func ("/boundaries/midpoint", test_midpoint);
  g_test_add_func ("/boundaries/empty", test_empty);
  g_test_add_func ("/boundaries/strictly-increasing", test_strictly_increasing_and_margins);
  g_test_add_func ("/boundaries/no-overflow", test_no_overflow);
  g_test_add_func ("/boundaries/validate", test_validate);
  g_test_add_func ("/boundaries/interval", test_interval);
  g_test_add_func ("/boundaries/tag", test_tag);
  return g_test_run ();
}
