/* libFuzzer target for the guest-memory walkers: the input is a list of
 * 12-byte records (u32 word index into the corruptible range of a synthetic
 * guest image, u64 value) written over the image before every walker runs
 * (map_idr and xa_node walks, map rendering through BTF, hash chains, per-CPU
 * reads, scheduler identity, monitor). The image is restored afterwards. Any
 * crash, sanitizer report or run over the time budget is a bug.
 *
 *   build with -Dfuzz=true (clang); run: build-fuzz/tests/fuzz/fuzz-guestmem CORPUS */
#include "hostile-image.h"

#include <string.h>

static Fx *fx;
static SlGuestKernel *gk;
static guint64 lo, hi;

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  if (fx == NULL)
    {
      fx = hostile_image_new ();
      gk = fx_kernel (fx, NULL);
      g_assert_nonnull (gk);
      hostile_target_range (fx, &lo, &hi);
    }
  guint n = (guint) MIN (size / 12, 256);
  guint64 *undo_pa = g_new (guint64, n ? n : 1), *undo_old = g_new (guint64, n ? n : 1);
  guint64 words = (hi - lo) / 8;
  for (guint i = 0; i < n; i++)
    {
      guint32 idx;
      guint64 v;
      memcpy (&idx, data + 12 * i, 4);
      memcpy (&v, data + 12 * i + 4, 8);
      guint64 pa = lo + (idx % words) * 8;
      undo_pa[i] = pa;
      memcpy (&undo_old[i], fx->ram + pa, 8);
      memcpy (fx->ram + pa, &v, 8);
    }
  hostile_capture_all (gk, 200);
  for (guint i = n; i-- > 0;)
    memcpy (fx->ram + undo_pa[i], &undo_old[i], 8);
  g_free (undo_pa);
  g_free (undo_old);
  return 0;
}
