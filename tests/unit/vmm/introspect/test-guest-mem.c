/* Guest memory, page walks (4- and 5-level) and locating a kernel with KASLR. */
#include "introspect-fixture.h"
#include "sl-guest-ram.h"
#include "sl-types.h"

#include <string.h>

static void
test_regions (void)
{
  guint8 a[4096], b[4096];
  memset (a, 0xaa, sizeof a);
  memset (b, 0xbb, sizeof b);
  g_autoptr(SlGuestMem) m = sl_guest_mem_new ();
  g_assert_true (sl_guest_mem_add_region (m, 0x10000, b, sizeof b));
  g_assert_true (sl_guest_mem_add_region (m, 0x1000, a, sizeof a));
  g_assert_false (sl_guest_mem_add_region (m, 0x1800, a, 16));          /* overlaps */
  g_assert_false (sl_guest_mem_add_region (m, G_MAXUINT64 - 10, a, 4096)); /* wraps */
  g_assert_true (sl_guest_mem_add_region (m, 0x2000, b, sizeof b));      /* adjacent to a */
  g_assert_cmpuint (sl_guest_mem_n_regions (m), ==, 3);
  g_assert_cmpuint (sl_guest_mem_top (m), ==, 0x11000);

  guint8 buf[32];
  g_autoptr(GError) error = NULL;
  /* A read spanning two adjacent regions. */
  g_assert_true (sl_guest_mem_read (m, 0x2000 - 16, buf, 32, &error));
  g_assert_cmpuint (buf[0], ==, 0xaa);
  g_assert_cmpuint (buf[31], ==, 0xbb);
  g_assert_null (sl_guest_mem_ptr (m, 0x2000 - 16, 32));
  g_assert_nonnull (sl_guest_mem_ptr (m, 0x2000, 32));
  /* Into the hole, past the end, at the very top of the address space. */
  g_assert_false (sl_guest_mem_read (m, 0x3000 - 8, buf, 16, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "0x3000"));
  g_clear_error (&error);
  g_assert_false (sl_guest_mem_read (m, 0x11000 - 4, buf, 8, &error));
  g_clear_error (&error);
  g_assert_false (sl_guest_mem_read (m, G_MAXUINT64 - 3, buf, 8, &error));
  g_clear_error (&error);
  g_assert_null (sl_guest_mem_ptr (m, G_MAXUINT64, 2));
}

static void
test_q35_layout (void)
{
  /* 3 GiB in two NUMA chunks: 2 GiB low, the remaining 1 GiB at 4 GiB. The host
   * pointers are never dereferenced here, only laid out. */
  const guintptr base = 0x10000000;   /* fake host addresses */
  const guint8 *chunks[2] = { (const guint8 *) base, (const guint8 *) (base + 0x60000000ull) };
  gsize sizes[2] = { 0x60000000ull, 0x60000000ull };
  g_autoptr(SlGuestMem) m = sl_guest_mem_new ();
  g_assert_true (sl_guest_ram_layout (m, chunks, sizes, 2));
  g_assert_cmpuint (sl_guest_mem_n_regions (m), ==, 3);
  guint64 gpa;
  gsize size;
  sl_guest_mem_region (m, 0, &gpa, &size);
  g_assert_cmpuint (gpa, ==, 0);
  g_assert_cmpuint (size, ==, 0x60000000ull);
  sl_guest_mem_region (m, 1, &gpa, &size);
  g_assert_cmpuint (gpa, ==, 0x60000000ull);
  g_assert_cmpuint (size, ==, 0x20000000ull);
  sl_guest_mem_region (m, 2, &gpa, &size);
  g_assert_cmpuint (gpa, ==, 0x100000000ull);
  g_assert_cmpuint (size, ==, 0x40000000ull);
  g_assert_true ((guintptr) sl_guest_mem_ptr (m, 0x100000000ull, 1) == base + 0x80000000ull);

  /* 1 GiB: all of it low, identity. */
  g_autoptr(SlGuestMem) m2 = sl_guest_mem_new ();
  gsize one = 0x40000000ull;
  g_assert_true (sl_guest_ram_layout (m2, chunks, &one, 1));
  g_assert_cmpuint (sl_guest_mem_n_regions (m2), ==, 1);
  g_assert_cmpuint (sl_guest_mem_top (m2), ==, one);
}

static void
check_walks (gboolean l5)
{
  g_autoptr(Fx) fx = fx_new (l5, 0x1400000, 0x2600000, 2);
  g_autoptr(GError) error = NULL;
  guint64 pa;
  /* 2 MiB image pages. */
  guint64 text = FX_TEXT_LINK + fx->slide;
  g_assert_true (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, text + 0x123456, &pa, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pa, ==, fx->load_pa + 0x123456);
  /* 1 GiB direct-map page. */
  g_assert_true (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, fx->pob + 0x2345678, &pa, &error));
  g_assert_cmpuint (pa, ==, 0x2345678);
  /* 4 KiB vmalloc pages, scattered: consecutive virtual pages are not contiguous. */
  guint64 v = fx_vmalloc (fx, 3 * 4096);
  guint64 pa0, pa1;
  g_assert_true (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, v + 5, &pa0, &error));
  g_assert_true (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, v + 4096 + 5, &pa1, &error));
  g_assert_cmpuint (pa0, ==, fx_pa (fx, v) + 5);
  g_assert_cmpuint (pa1, ==, fx_pa (fx, v + 4096) + 5);
  g_assert_cmpuint (pa1, !=, pa0 + 4096);
  /* The guard page after it is not present. */
  g_assert_false (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, v + 3 * 4096, &pa, &error));
  g_assert_nonnull (strstr (error->message, "PTE entry not present"));
  g_clear_error (&error);
  /* An unmapped top-level slot. */
  guint64 far = l5 ? G_GUINT64_CONSTANT (0xff80000000000000) : G_GUINT64_CONSTANT (0xffff900000000000);
  g_assert_false (sl_page_walk (fx->mem, fx->top_pgt_pa, l5, far, &pa, &error));
  g_assert_nonnull (strstr (error->message, "PGD entry not present"));
  g_clear_error (&error);
  /* A root outside guest RAM. */
  g_assert_false (sl_page_walk (fx->mem, 0x7ffff000000, l5, text, &pa, &error));
  g_assert_nonnull (strstr (error->message, "unreadable"));
  g_clear_error (&error);

  /* The reader crosses pages of a vmalloc area correctly. */
  guint8 pattern[3 * 4096];
  for (guint i = 0; i < sizeof pattern; i++)
    pattern[i] = (guint8) (i * 7);
  fx_write (fx, v, pattern, sizeof pattern);
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 1 << 20, 0);
  guint8 back[6000];
  g_assert_true (sl_kread (&kr, v + 100, back, sizeof back, &error));
  g_assert_cmpmem (back, sizeof back, pattern + 100, sizeof back);
  /* A user address is refused before any walk. */
  g_assert_false (sl_kread (&kr, 0x400000, back, 8, &error));
  g_assert_nonnull (strstr (error->message, "not a kernel address"));
  g_clear_error (&error);
  /* The byte budget. */
  SlKread small;
  sl_guest_kernel_reader (gk, &small, 100, 0);
  g_assert_true (sl_kread (&small, v, back, 64, &error));
  g_assert_false (sl_kread (&small, v, back, 64, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
}

static void test_walk_l4 (void) { check_walks (FALSE); }
static void test_walk_l5 (void) { check_walks (TRUE); }

static void
check_locate (gboolean l5, guint64 load_pa, guint64 slide)
{
  g_autoptr(Fx) fx = fx_new (l5, load_pa, slide, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gk->load_pa, ==, load_pa);
  g_assert_cmpuint (gk->slide, ==, slide);
  g_assert_cmpuint (gk->layout.page_offset_base, ==, fx->pob);
  g_assert_cmpuint (gk->layout.l5, ==, l5);
  g_assert_cmpuint (gk->n_cpus, ==, 3);
  /* Image symbols are slid, per-CPU data lands in each CPU's area. */
  guint64 rq, at;
  g_assert_true (sl_guest_kernel_symbol (gk, "runqueues", &rq, &error));
  g_assert_true (sl_guest_kernel_percpu (gk, rq, 2, &at, &error));
  g_assert_cmpuint (at, ==, fx_percpu_addr (fx, rq, 2));
  g_assert_false (sl_guest_kernel_percpu (gk, rq, 3, &at, &error));
  g_clear_error (&error);
  g_assert_false (sl_guest_kernel_symbol (gk, "no_such_symbol", &at, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
}

static void test_locate_nokaslr (void) { check_locate (FALSE, 0x1000000, 0); }
static void test_locate_kaslr (void) { check_locate (FALSE, 0x1600000, 0x2600000); }
static void test_locate_kaslr_l5 (void) { check_locate (TRUE, 0x1200000, 0x3e00000); }

static void
test_locate_failures (void)
{
  g_autoptr(GError) error = NULL;
  {
    /* No fingerprint and a slid kernel: the link-address guess is refused by the page-table check. */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1600000, 0x2600000, 1);
    g_autoptr(SlGuestKernel) gk = sl_guest_kernel_new (fx->mem, fx->btf, fx_lookup, fx, NULL, 0, 0, &error);
    g_assert_null (gk);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    /* The banner is not in RAM (a kernel that has not booted, or another kernel). */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 1);
    const char other[] = "Linux version 1.2.3-other";
    g_autoptr(SlGuestKernel) gk = sl_guest_kernel_new (fx->mem, fx->btf, fx_lookup, fx, (const guint8 *) other,
                                                       strlen (other), 0, &error);
    g_assert_null (gk);
    g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  {
    /* phys_base corrupted: the slide would not be 2 MiB aligned. */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 1);
    guint64 pb;
    g_assert_true (fx_lookup (fx, "phys_base", &pb));
    fx_write_u64 (fx, pb, 0x1234);
    g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
    g_assert_null (gk);
    g_assert_nonnull (strstr (error->message, "implausible KASLR slide"));
    g_clear_error (&error);
  }
  {
    /* nr_cpu_ids absurd. */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 1);
    guint64 nr;
    g_assert_true (fx_lookup (fx, "nr_cpu_ids", &nr));
    fx_write_u32 (fx, nr, 1000000);
    g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
    g_assert_null (gk);
    g_assert_nonnull (strstr (error->message, "nr_cpu_ids"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/mem/regions", test_regions);
  g_test_add_func ("/introspect/mem/q35-layout", test_q35_layout);
  g_test_add_func ("/introspect/walk/4-level", test_walk_l4);
  g_test_add_func ("/introspect/walk/5-level", test_walk_l5);
  g_test_add_func ("/introspect/locate/no-kaslr", test_locate_nokaslr);
  g_test_add_func ("/introspect/locate/kaslr", test_locate_kaslr);
  g_test_add_func ("/introspect/locate/kaslr-5-level", test_locate_kaslr_l5);
  g_test_add_func ("/introspect/locate/failures", test_locate_failures);
  return g_test_run ();
}
