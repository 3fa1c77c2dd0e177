/* sl-boundaries.c: periodic capture boundaries, exactly as ktstr places them. */
#include "sl-boundaries.h"
#include "sl-types.h"

GArray *
sl_periodic_boundaries_ns (guint64 start_ns, guint64 end_ns, guint n)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (n == 0 || end_ns <= start_ns)
    return out;
  guint64 avail = end_ns - start_ns;
  guint64 pre = avail / 10;
  guint64 win = avail - 2 * pre;
  if (win < (guint64) n + 1)
    return out;
  for (guint i = 0; i < n; i++)
    {
      /* win·(i+1) can exceed 64 bits for long windows: multiply in 128-bit. */
      unsigned __int128 off = (unsigned __int128) win * (i + 1) / ((unsigned __int128) n + 1);
      guint64 b = start_ns + pre + (guint64) off;
      g_array_append_val (out, b);
    }
  return out;
}

gboolean
sl_periodic_validate (guint64 duration_ms, guint n, GError **error)
{
  if (n == 0)
    return TRUE;
  if (n > SL_PERIODIC_MAX_SNAPSHOTS)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "--snapshots %u: at most %d periodic snapshots", n,
                   SL_PERIODIC_MAX_SNAPSHOTS);
      return FALSE;
    }
  /* 0.8·d/(N+1) >= 100 ms  ⇔  8·d >= 1000·(N+1), in integers. */
  if ((unsigned __int128) duration_ms * 8 < (unsigned __int128) SL_PERIODIC_MIN_SPACING_MS * 10 * (n + 1))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "--snapshots %u over %" G_GUINT64_FORMAT " ms spaces captures less than %d ms apart "
                   "(need 0.8·duration/(N+1) >= %d ms)", n, duration_ms, SL_PERIODIC_MIN_SPACING_MS,
                   SL_PERIODIC_MIN_SPACING_MS);
      return FALSE;
    }
  return TRUE;
}

GArray *
sl_interval_boundaries_ns (guint64 start_ns, guint64 end_ns, guint64 interval_ns)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint64));
  if (interval_ns == 0 || end_ns <= start_ns)
    return out;
  for (guint64 k = 1; k <= SL_INTERVAL_MAX_SAMPLES; k++)
    {
      unsigned __int128 b = (unsigned __int128) start_ns + (unsigned __int128) interval_ns * k;
      if (b >= end_ns)
        break;
      guint64 v = (guint64) b;
      g_array_append_val (out, v);
    }
  return out;
}

char *
sl_periodic_tag (guint index)
{
  return g_strdup_printf ("periodic_%03u", index);
}
