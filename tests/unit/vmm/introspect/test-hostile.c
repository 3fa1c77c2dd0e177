/* Property test: random and mutated guest images fed to every walker end in
 * results or errors within the time budget, never a crash or a hang. Fixed
 * seed and iteration count, so CI runs the same cases every time (the
 * libFuzzer target tests/fuzz/fuzz-guestmem.c explores further). */
#include "hostile-image.h"
#include "sl-bpf-maps.h"

#include <string.h>

#define ITERATIONS    400
#define BUDGET_MS     100
#define MAX_WALL_US   (2 * G_USEC_PER_SEC)

typedef struct { guint64 pa; guint64 old; } Undo;

/* A hostile word: random, a pointer into guest RAM (often to itself or a
 * neighbour, making cycles), a huge size, or a small number. */
static guint64
hostile_word (GRand *rng, Fx *fx, guint64 at)
{
  switch (g_rand_int_range (rng, 0, 6))
    {
    case 0: return ((guint64) g_rand_int (rng) << 32) | g_rand_int (rng);
    case 1: return fx->pob + at - 8 * g_rand_int_range (rng, 0, 8);                /* back-pointers */
    case 2: return fx->pob + (guint64) g_rand_int_range (rng, 0, (gint32) (fx->size / 8)) * 8;
    case 3: return G_GUINT64_CONSTANT (0xffffffff) << g_rand_int_range (rng, 0, 33);
    case 4: return (fx->pob + (guint64) g_rand_int_range (rng, 0x2000000, 0x2100000)) | 2;  /* xa node-ish */
    default: return (guint64) g_rand_int_range (rng, 0, 70);
    }
}

static void
test_mutated_images (void)
{
  g_autoptr(Fx) fx = hostile_image_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  g_autoptr(GRand) rng = g_rand_new_with_seed (20261127);
  guint64 lo, hi;
  hostile_target_range (fx, &lo, &hi);
  g_autoptr(GArray) undo = g_array_new (FALSE, FALSE, sizeof (Undo));
  gint64 worst = 0;
  for (guint it = 0; it < ITERATIONS; it++)
    {
      guint n = (guint) g_rand_int_range (rng, 1, 64);
      for (guint i = 0; i < n; i++)
        {
          /* Half the time near the data the walkers read first (the slab start). */
          guint64 pa = g_rand_boolean (rng)
                       ? (guint64) g_rand_int_range (rng, 0x2000000 / 8, 0x2004000 / 8) * 8
                       : (guint64) g_rand_int_range (rng, (gint32) (lo / 8), (gint32) (hi / 8)) * 8;
          Undo u = { pa, 0 };
          memcpy (&u.old, fx->ram + pa, 8);
          g_array_append_val (undo, u);
          guint64 w = hostile_word (rng, fx, pa);
          memcpy (fx->ram + pa, &w, 8);
        }
      gint64 t0 = g_get_monotonic_time ();
      hostile_capture_all (gk, BUDGET_MS);
      gint64 dt = g_get_monotonic_time () - t0;
      worst = MAX (worst, dt);
      g_assert_cmpint (dt, <, MAX_WALL_US);
      for (guint i = undo->len; i-- > 0;)
        memcpy (fx->ram + g_array_index (undo, Undo, i).pa, &g_array_index (undo, Undo, i).old, 8);
      g_array_set_size (undo, 0);
    }
  g_test_message ("worst capture over %u mutated images: %" G_GINT64_FORMAT " us", ITERATIONS, worst);
}

static void
test_random_images (void)
{
  /* Whole random images: locating a kernel fails cleanly or, rarely, succeeds; either way
   * the walkers stay bounded. */
  g_autoptr(Fx) fx = hostile_image_new ();
  g_autoptr(GRand) rng = g_rand_new_with_seed (7);
  gsize size = 8u << 20;
  g_autofree guint8 *ram = g_malloc (size);
  for (guint it = 0; it < 20; it++)
    {
      for (gsize i = 0; i < size; i += 4)
        {
          guint32 r = g_rand_int (rng);
          memcpy (ram + i, &r, 4);
        }
      g_autoptr(SlGuestMem) mem = sl_guest_mem_new_flat (ram, size);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlGuestKernel) gk = sl_guest_kernel_new (mem, fx->btf, fx_lookup, fx, (const guint8 *) FX_BANNER,
                                                         strlen (FX_BANNER), 0, &error);
      if (gk == NULL)
        {
          g_assert_nonnull (error);
          /* Without a fingerprint the link-address guess is tried against random page tables. */
          g_autoptr(GError) e2 = NULL;
          g_autoptr(SlGuestKernel) gk2 = sl_guest_kernel_new (mem, fx->btf, fx_lookup, fx, NULL, 0, 0, &e2);
          if (gk2 != NULL)
            hostile_capture_all (gk2, BUDGET_MS);
          continue;
        }
      hostile_capture_all (gk, BUDGET_MS);
    }
  /* The real fixture with its slab area overwritten by noise, page tables included. */
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  guint64 lo, hi;
  hostile_target_range (fx, &lo, &hi);
  for (guint it = 0; it < 5; it++)
    {
      for (guint64 pa = 0x2000000; pa < hi; pa += 4)
        {
          guint32 r = g_rand_int (rng);
          memcpy (fx->ram + pa, &r, 4);
        }
      gint64 t0 = g_get_monotonic_time ();
      hostile_capture_all (gk, BUDGET_MS);
      g_assert_cmpint (g_get_monotonic_time () - t0, <, MAX_WALL_US);
    }
}

static void
test_time_budget (void)
{
  /* A hash map whose bucket array is huge and whose chains are all cyclic: the
   * walk stops on the hop bound or the time budget, whichever comes first. */
  g_autoptr(Fx) fx = hostile_image_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  guint64 h = fx_add_map (fx, "cyclic", SL_BPF_MAP_HASH, 4, 8, 64, 0, 0, 0);
  guint64 elem = fx_kmalloc (fx, 64);
  fx_write_u64 (fx, elem, elem);   /* next = itself */
  fx_write_field (fx, h, "bpf_htab", "buckets", fx->pob);   /* "buckets" over all of RAM */
  fx_write_field (fx, h, "bpf_htab", "n_buckets", 1u << 20);
  fx_write_u64 (fx, fx->pob, elem);
  fx_set_map_idr (fx, &h, 1);
  g_autoptr(SlBpfMaps) bm = sl_bpf_maps_new (gk);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 64 << 20, BUDGET_MS);
  g_autoptr(SlReport) r = sl_report_new ();
  g_assert_true (sl_bpf_maps_capture (bm, &kr, r, &error));
  const SlMap *m = r->maps->pdata[0];
  g_assert_nonnull (m->error);
  g_test_message ("%s", m->error);
  g_assert_true (strstr (m->error, "hash walk stopped") != NULL || strstr (m->error, "budget") != NULL
                 || strstr (m->error, "truncated at 4096") != NULL);
  g_assert_cmpuint (m->entries->len, <=, SL_BPF_MAX_HASH_ENTRIES);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/hostile/mutated-images", test_mutated_images);
  g_test_add_func ("/introspect/hostile/random-images", test_random_images);
  g_test_add_func ("/introspect/hostile/time-budget", test_time_budget);
  return g_test_run ();
}
