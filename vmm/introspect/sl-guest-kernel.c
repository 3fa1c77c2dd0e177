/* sl-guest-kernel.c: locating a guest kernel in guest RAM (KASLR included). */
#include "sl-guest-kernel.h"
#include "sl-types.h"

#include <string.h>

#define PHYS_ALIGN       (2u * 1024 * 1024)
#define DEFAULT_POB_L4   G_GUINT64_CONSTANT (0xffff888000000000)
#define DEFAULT_POB_L5   G_GUINT64_CONSTANT (0xff11000000000000)

static gboolean
need_symbol (SlSymbolLookup lookup, gpointer data, const char *name, guint64 *addr, GError **error)
{
  if (lookup (data, name, addr))
    return TRUE;
  g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "the kernel has no symbol %s", name);
  return FALSE;
}

/* Physical address of an image symbol once the load address is known. */
static guint64
image_pa (guint64 load_pa, guint64 text_link, guint64 sym_link)
{
  return load_pa + (sym_link - text_link);
}

static gboolean
fingerprint_at (const SlGuestMem *mem, guint64 pa, const guint8 *fp, gsize len)
{
  const guint8 *p = sl_guest_mem_ptr (mem, pa, len);
  return p != NULL && memcmp (p, fp, len) == 0;
}

/* Works out phys_base, the slide and the paging setup for load address P. */
static gboolean
try_load_address (SlGuestKernel *gk, guint64 load_pa, guint64 text_link, GError **error)
{
  guint64 pb_link, pgt_link;
  if (!need_symbol (gk->lookup, gk->lookup_data, "phys_base", &pb_link, error))
    return FALSE;
  if (!gk->lookup (gk->lookup_data, "init_top_pgt", &pgt_link)
      && !need_symbol (gk->lookup, gk->lookup_data, "swapper_pg_dir", &pgt_link, error))
    return FALSE;
  guint64 phys_base;
  if (!sl_guest_mem_read_u64 (gk->mem, image_pa (load_pa, text_link, pb_link), &phys_base, error))
    return FALSE;
  guint64 text_off = text_link - SL_START_KERNEL_MAP;
  guint64 slide = load_pa - text_off - phys_base;
  if (slide % PHYS_ALIGN != 0 || slide >= SL_KERNEL_IMAGE_SPAN)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "kernel at PA 0x%" G_GINT64_MODIFIER "x: phys_base 0x%" G_GINT64_MODIFIER "x gives an "
                   "implausible KASLR slide 0x%" G_GINT64_MODIFIER "x", load_pa, phys_base, slide);
      return FALSE;
    }
  gk->load_pa = load_pa;
  gk->slide = slide;
  SlKvaLayout *l = &gk->layout;
  l->phys_base = phys_base;
  l->top_pgt_pa = image_pa (load_pa, text_link, pgt_link);
  l->direct_map_span = sl_guest_mem_top (gk->mem);

  guint64 sym;
  guint32 l5 = 0;
  gboolean have_l5 = gk->lookup (gk->lookup_data, "__pgtable_l5_enabled", &sym)
                     && sl_guest_mem_read (gk->mem, image_pa (load_pa, text_link, sym), &l5, 4, NULL);
  guint64 pob = 0;
  if (gk->lookup (gk->lookup_data, "page_offset_base", &sym))
    {
      if (!sl_guest_mem_read_u64 (gk->mem, image_pa (load_pa, text_link, sym), &pob, error))
        return FALSE;
    }
  if (!have_l5)   /* newer kernels dropped the variable: the direct map base tells */
    l5 = pob != 0 && pob < G_GUINT64_CONSTANT (0xffff800000000000);
  l->l5 = l5 != 0;
  if (pob == 0)   /* !CONFIG_RANDOMIZE_MEMORY: the fixed base */
    pob = l->l5 ? DEFAULT_POB_L5 : DEFAULT_POB_L4;
  l->page_offset_base = pob;

  /* The page table must map the running kernel's _text to where we found it. */
  guint64 walked;
  g_autoptr(GError) werr = NULL;
  if (!sl_page_walk (gk->mem, l->top_pgt_pa, l->l5, text_link + slide, &walked, &werr))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "kernel page tables not usable yet: %s", werr->message);
      return FALSE;
    }
  if (walked != load_pa)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "page tables map _text to PA 0x%" G_GINT64_MODIFIER "x, not 0x%" G_GINT64_MODIFIER "x",
                   walked, load_pa);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_per_cpu_offsets (SlGuestKernel *gk, guint max_cpus, GError **error)
{
  guint64 nr_sym, pco_sym;
  guint32 nr = 1;
  if (sl_guest_kernel_symbol (gk, "nr_cpu_ids", &nr_sym, NULL))
    {
      SlKread kr;
      sl_guest_kernel_reader (gk, &kr, 64, 0);
      if (!sl_kread_u32 (&kr, nr_sym, &nr, error))
        return FALSE;
    }
  if (nr == 0 || nr > SL_GUEST_MAX_CPUS)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "implausible nr_cpu_ids %u", nr);
      return FALSE;
    }
  gk->n_cpus = MIN (nr, max_cpus ? max_cpus : SL_GUEST_MAX_CPUS);
  gk->per_cpu_offset = g_new0 (guint64, gk->n_cpus);
  if (!sl_guest_kernel_symbol (gk, "__per_cpu_offset", &pco_sym, error))
    return FALSE;
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, (guint64) gk->n_cpus * 8, 0);
  return sl_kread (&kr, pco_sym, gk->per_cpu_offset, (gsize) gk->n_cpus * 8, error);
}

SlGuestKernel *
sl_guest_kernel_new (const SlGuestMem *mem, const struct btf *btf, SlSymbolLookup lookup, gpointer lookup_data,
                     const guint8 *fp, gsize fp_len, guint max_cpus, GError **error)
{
  g_return_val_if_fail (mem != NULL && btf != NULL && lookup != NULL, NULL);
  g_autoptr(SlGuestKernel) gk = g_new0 (SlGuestKernel, 1);
  gk->mem = mem;
  gk->btf = btf;
  gk->types = sl_ktypes_new (btf);
  gk->lookup = lookup;
  gk->lookup_data = lookup_data;

  guint64 text_link, banner_link;
  if (!need_symbol (lookup, lookup_data, "_text", &text_link, error))
    return NULL;
  if (text_link < SL_START_KERNEL_MAP)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "_text 0x%" G_GINT64_MODIFIER "x is not an x86-64 kernel image address", text_link);
      return NULL;
    }
  if (fp == NULL || fp_len == 0)
    {
      if (!try_load_address (gk, text_link - SL_START_KERNEL_MAP, text_link, error))
        return NULL;
    }
  else
    {
      if (!need_symbol (lookup, lookup_data, "linux_banner", &banner_link, error))
        return NULL;
      guint64 banner_off = banner_link - text_link;
      g_autoptr(GError) last = NULL;
      gboolean found = FALSE;
      for (guint r = 0; r < sl_guest_mem_n_regions (mem) && !found; r++)
        {
          guint64 gpa;
          gsize size;
          sl_guest_mem_region (mem, r, &gpa, &size);
          guint64 first = (gpa + PHYS_ALIGN - 1) / PHYS_ALIGN * PHYS_ALIGN;
          for (guint64 p = first; p < gpa + size && !found; p += PHYS_ALIGN)
            if (fingerprint_at (mem, p + banner_off, fp, fp_len))
              {
                g_clear_error (&last);
                found = try_load_address (gk, p, text_link, &last);
              }
        }
      if (!found)
        {
          if (last != NULL)
            g_propagate_error (error, g_steal_pointer (&last));
          else
            g_set_error_literal (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                                 "the kernel image (its linux_banner) was not found in guest RAM");
          return NULL;
        }
    }
  if (!read_per_cpu_offsets (gk, max_cpus, error))
    return NULL;
  return g_steal_pointer (&gk);
}

void
sl_guest_kernel_free (SlGuestKernel *gk)
{
  if (gk == NULL)
    return;
  sl_ktypes_free (gk->types);
  g_free (gk->per_cpu_offset);
  g_free (gk);
}

gboolean
sl_guest_kernel_symbol (const SlGuestKernel *gk, const char *name, guint64 *address, GError **error)
{
  guint64 a;
  if (!need_symbol (gk->lookup, gk->lookup_data, name, &a, error))
    return FALSE;
  *address = a >= SL_START_KERNEL_MAP ? a + gk->slide : a;
  return TRUE;
}

gboolean
sl_guest_kernel_percpu (const SlGuestKernel *gk, guint64 pcpu_addr, guint cpu, guint64 *kva, GError **error)
{
  if (cpu >= gk->n_cpus)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "CPU %u beyond nr_cpu_ids %u", cpu, gk->n_cpus);
      return FALSE;
    }
  *kva = pcpu_addr + gk->per_cpu_offset[cpu];
  return TRUE;
}

void
sl_guest_kernel_reader (const SlGuestKernel *gk, SlKread *kr, guint64 byte_budget, guint time_budget_ms)
{
  sl_kread_init (kr, gk->mem, &gk->layout, byte_budget, time_budget_ms);
}

gboolean
sl_guest_read_field (const SlGuestKernel *gk, SlKread *kr, guint64 base, const char *type, const char *path,
                     guint64 *out, GError **error)
{
  SlKfield f;
  if (!sl_ktypes_member (gk->types, type, path, &f, error))
    return FALSE;
  if (f.size != 1 && f.size != 2 && f.size != 4 && f.size != 8)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unavailable: %s.%s is %u bytes, not a scalar", type, path, f.size);
      return FALSE;
    }
  guint64 v = 0;
  if (!sl_kread (kr, base + f.offset, &v, f.size, error))   /* little-endian: zero-extends */
    return FALSE;
  *out = v;
  return TRUE;
}
