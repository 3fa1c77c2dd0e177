/* sl-guest-mem.c: guest physical memory over host mappings. */
#include "sl-guest-mem.h"
#include "sl-types.h"

#include <string.h>

typedef struct {
  guint64       gpa;
  gsize         size;
  const guint8 *host;
} Region;

struct _SlGuestMem {
  guint  n;
  Region regions[SL_GUEST_MEM_MAX_REGIONS];   /* sorted by gpa */
};

SlGuestMem *
sl_guest_mem_new (void)
{
  return g_new0 (SlGuestMem, 1);
}

SlGuestMem *
sl_guest_mem_new_flat (const guint8 *ram, gsize size)
{
  g_return_val_if_fail (ram != NULL || size == 0, NULL);
  SlGuestMem *m = sl_guest_mem_new ();
  if (size > 0)
    sl_guest_mem_add_region (m, 0, ram, size);
  return m;
}

gboolean
sl_guest_mem_add_region (SlGuestMem *m, guint64 gpa, const guint8 *host, gsize size)
{
  g_return_val_if_fail (m != NULL && host != NULL && size > 0, FALSE);
  if (m->n >= SL_GUEST_MEM_MAX_REGIONS || gpa + size < gpa)
    return FALSE;
  guint at = 0;
  while (at < m->n && m->regions[at].gpa < gpa)
    at++;
  if (at > 0 && m->regions[at - 1].gpa + m->regions[at - 1].size > gpa)
    return FALSE;
  if (at < m->n && gpa + size > m->regions[at].gpa)
    return FALSE;
  memmove (&m->regions[at + 1], &m->regions[at], (m->n - at) * sizeof (Region));
  m->regions[at] = (Region) { gpa, size, host };
  m->n++;
  return TRUE;
}

void
sl_guest_mem_free (SlGuestMem *m)
{
  g_free (m);
}

guint
sl_guest_mem_n_regions (const SlGuestMem *m)
{
  return m->n;
}

void
sl_guest_mem_region (const SlGuestMem *m, guint i, guint64 *gpa, gsize *size)
{
  g_return_if_fail (i < m->n);
  if (gpa)
    *gpa = m->regions[i].gpa;
  if (size)
    *size = m->regions[i].size;
}

guint64
sl_guest_mem_top (const SlGuestMem *m)
{
  return m->n ? m->regions[m->n - 1].gpa + m->regions[m->n - 1].size : 0;
}

static const Region *
find (const SlGuestMem *m, guint64 gpa)
{
  /* Few regions: a linear scan beats anything clever. */
  for (guint i = 0; i < m->n; i++)
    if (gpa >= m->regions[i].gpa && gpa - m->regions[i].gpa < m->regions[i].size)
      return &m->regions[i];
  return NULL;
}

const guint8 *
sl_guest_mem_ptr (const SlGuestMem *m, guint64 gpa, gsize len)
{
  const Region *r = find (m, gpa);
  if (r == NULL)
    return NULL;
  guint64 off = gpa - r->gpa;
  if (len > r->size - off)
    return NULL;
  return r->host + off;
}

gboolean
sl_guest_mem_read (const SlGuestMem *m, guint64 gpa, void *dst, gsize len, GError **error)
{
  guint8 *out = dst;
  guint64 at = gpa;
  gsize left = len;
  while (left > 0)
    {
      const Region *r = find (m, at);
      if (r == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                       "guest physical address 0x%" G_GINT64_MODIFIER "x is outside guest RAM"
                       " (reading %" G_GSIZE_FORMAT " bytes at 0x%" G_GINT64_MODIFIER "x)", at, len, gpa);
          return FALSE;
        }
      guint64 off = at - r->gpa;
      gsize n = MIN (left, r->size - off);
      memcpy (out, r->host + off, n);
      out += n;
      at += n;
      left -= n;
    }
  return TRUE;
}

gboolean
sl_guest_mem_read_u64 (const SlGuestMem *m, guint64 gpa, guint64 *out, GError **error)
{
  return sl_guest_mem_read (m, gpa, out, sizeof *out, error);
}
