/* sl-guest-kva.c: kernel address translation and budgeted kernel reads. */
#include "sl-guest-kva.h"
#include "sl-types.h"

#include <string.h>

#define PTE_PRESENT 0x1u
#define PTE_PS      0x80u

static const char *
level_name (guint shift, gboolean l5)
{
  switch (shift)
    {
    case 48: return "PGD";
    case 39: return l5 ? "P4D" : "PGD";
    case 30: return "PUD";
    case 21: return "PMD";
    default: return "PTE";
    }
}

gboolean
sl_page_walk (const SlGuestMem *mem, guint64 root_pa, gboolean l5, guint64 va, guint64 *pa, GError **error)
{
  static const guint shifts5[] = { 48, 39, 30, 21, 12 };
  const guint *shifts = l5 ? shifts5 : shifts5 + 1;
  guint levels = l5 ? 5 : 4;
  guint64 table = root_pa & SL_PTE_ADDR_MASK;
  for (guint i = 0; i < levels; i++)
    {
      guint shift = shifts[i];
      guint64 slot = table + ((va >> shift) & 0x1ff) * 8;
      guint64 e;
      g_autoptr(GError) local = NULL;
      if (!sl_guest_mem_read_u64 (mem, slot, &e, &local))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                       "page walk of 0x%" G_GINT64_MODIFIER "x: %s table at 0x%" G_GINT64_MODIFIER "x unreadable",
                       va, level_name (shift, l5), table);
          return FALSE;
        }
      if (!(e & PTE_PRESENT))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                       "page walk of 0x%" G_GINT64_MODIFIER "x: %s entry not present", va, level_name (shift, l5));
          return FALSE;
        }
      if ((shift == 30 || shift == 21) && (e & PTE_PS))
        {
          guint64 span = G_GUINT64_CONSTANT (1) << shift;
          *pa = ((e & SL_PTE_ADDR_MASK) & ~(span - 1)) | (va & (span - 1));
          return TRUE;
        }
      table = e & SL_PTE_ADDR_MASK;
    }
  *pa = table | (va & 0xfff);
  return TRUE;
}

gboolean
sl_kva_is_kernel (const SlKvaLayout *l, guint64 va)
{
  return l->l5 ? va >= G_GUINT64_CONSTANT (0xff00000000000000) : va >= G_GUINT64_CONSTANT (0xffff800000000000);
}

gboolean
sl_kva_to_pa (const SlGuestMem *mem, const SlKvaLayout *l, guint64 va, guint64 *pa, GError **error)
{
  if (!sl_kva_is_kernel (l, va))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "0x%" G_GINT64_MODIFIER "x is not a kernel address", va);
      return FALSE;
    }
  if (va >= SL_START_KERNEL_MAP && va - SL_START_KERNEL_MAP < SL_KERNEL_IMAGE_SPAN)
    {
      *pa = va - SL_START_KERNEL_MAP + l->phys_base;
      return TRUE;
    }
  if (va >= l->page_offset_base && va - l->page_offset_base < l->direct_map_span)
    {
      *pa = va - l->page_offset_base;
      return TRUE;
    }
  return sl_page_walk (mem, l->top_pgt_pa, l->l5, va, pa, error);
}

void
sl_kread_init (SlKread *kr, const SlGuestMem *mem, const SlKvaLayout *layout, guint64 byte_budget,
               guint time_budget_ms)
{
  kr->mem = mem;
  kr->layout = *layout;
  kr->bytes_left = byte_budget;
  kr->deadline_us = time_budget_ms ? g_get_monotonic_time () + (gint64) time_budget_ms * 1000 : 0;
}

gboolean
sl_kread_check_budget (SlKread *kr, GError **error)
{
  if (kr->deadline_us != 0 && g_get_monotonic_time () > kr->deadline_us)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_TOO_LARGE, "time budget for guest reads exceeded");
      return FALSE;
    }
  return TRUE;
}

gboolean
sl_kread (SlKread *kr, guint64 va, void *dst, gsize len, GError **error)
{
  if (len > kr->bytes_left)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE,
                   "read budget exceeded (%" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER "x)", len, va);
      return FALSE;
    }
  if (!sl_kread_check_budget (kr, error))
    return FALSE;
  if (va + len < va)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "read at 0x%" G_GINT64_MODIFIER "x wraps", va);
      return FALSE;
    }
  kr->bytes_left -= len;
  guint8 *out = dst;
  while (len > 0)
    {
      gsize in_page = SL_PAGE_SIZE - (va & (SL_PAGE_SIZE - 1));
      gsize n = MIN (len, in_page);
      guint64 pa;
      if (!sl_kva_to_pa (kr->mem, &kr->layout, va, &pa, error)
          || !sl_guest_mem_read (kr->mem, pa, out, n, error))
        return FALSE;
      out += n;
      va += n;
      len -= n;
    }
  return TRUE;
}

gboolean
sl_kread_u64 (SlKread *kr, guint64 va, guint64 *out, GError **error)
{
  return sl_kread (kr, va, out, sizeof *out, error);
}

gboolean
sl_kread_u32 (SlKread *kr, guint64 va, guint32 *out, GError **error)
{
  return sl_kread (kr, va, out, sizeof *out, error);
}
