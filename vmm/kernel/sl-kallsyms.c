/* sl-kallsyms.c: finding and decoding the kernel's compressed symbol table.
 *
 * scripts/kallsyms.c emits these tables into .rodata (labels 8-byte aligned on 64-bit, only
 * 4-byte aligned in some 7.x builds, e.g. Debian's 7.2.13):
 *   kallsyms_num_syms   u32 n (followed by padding up to 6.x; the names follow at once in 7.x)
 *   kallsyms_names      n entries: length (1 byte, or 2 when bit 7 is set: the "big symbol"
 *                       encoding of 6.1+, len = (b0 & 0x7f) | b1 << 7), then `length` token
 *                       indices; the expanded first character is the type letter
 *   kallsyms_markers    u32 per 256 names: offset of name i*256 in kallsyms_names
 *   (kallsyms_seqs_of_names, 3 bytes per symbol, 6.2+: here in 6.2-6.x, after offsets in 7.x)
 *   kallsyms_token_table 256 NUL-terminated strings
 *   kallsyms_token_index 256 u16 offsets into token_table
 *   kallsyms_offsets    s32[n] — before num_syms (with relative_base) up to 6.1, after
 *                       token_index (with relative_base) from 6.2, after token_index without
 *                       relative_base in 7.x.
 * How an offset becomes an address:
 *   ABS_PERCPU (x86-64 up to 6.14): off >= 0 is an absolute per-CPU address, otherwise
 *                       relative_base - 1 - off;
 *   RELATIVE:           relative_base + (u32) off;
 *   PCREL (7.x):        &kallsyms_offsets[i] + off (a place-relative reference).
 * Each table is found by its own structure (digit tokens, markers matching the names);
 * a layout is accepted only when it decodes to sorted addresses with _text at the start
 * of .text. */
#include "sl-kallsyms.h"
#include "sl-kernel-image.h"
#include "sl-types.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define KSYM_NAME_MAX     1024           /* KSYM_NAME_LEN is 512 in current kernels */
#define KSYM_MAX_SYMS     (4u << 20)
#define MARKER_DELTA_MIN  512u           /* 256 names of at least 2 bytes */
#define MARKER_DELTA_MAX  (256u * 520u)  /* 256 names of at most 2 + 512 tokens (+ slack) */
#define SEARCH_WINDOW     ((gsize) 32 << 20)

struct _SlKallsyms {
  guint       n;
  guint64    *addr;
  guint32    *name_off;      /* into names */
  char       *type;
  GByteArray *names;         /* NUL-separated */
  guint32    *by_addr;       /* indices sorted by address (stable) */
  GHashTable *by_name;       /* name -> index + 1, first occurrence */
};

typedef struct {
  const guint8 *d;
  gsize         size;
  guint64       base;
} Region;

static guint32
u32_at (const Region *r, gsize off)
{
  guint32 v;
  memcpy (&v, r->d + off, 4);
  return GUINT32_FROM_LE (v);
}

static guint64
u64_at (const Region *r, gsize off)
{
  guint64 v;
  memcpy (&v, r->d + off, 8);
  return GUINT64_FROM_LE (v);
}

static gsize
align_to (const Region *r, gsize off, guint a)
{
  guint64 va = r->base + off;
  return off + (gsize) ((a - (va & (a - 1))) & (a - 1));
}

static gsize
align8 (const Region *r, gsize off)
{
  return align_to (r, off, 8);
}

/* Labels are 8-byte aligned in most builds but only 4-byte aligned in some 7.x builds:
 * is `label` where the next table would start after data ending at `end`? */
static gboolean
is_next_label (const Region *r, gsize end, gsize label)
{
  return label == align_to (r, end, 4) || label == align8 (r, end);
}

/* --- token table ------------------------------------------------------------------------ */

static gboolean
check_token_table (const Region *r, gsize t0, guint16 tok_off[256], gsize *index_off)
{
  gsize cur = t0;
  for (guint i = 0; i < 256; i++)
    {
      if (cur - t0 > G_MAXUINT16)
        return FALSE;
      tok_off[i] = (guint16) (cur - t0);
      const guint8 *nul = memchr (r->d + cur, 0, MIN (r->size - cur, (gsize) KSYM_NAME_MAX));
      if (!nul || nul == r->d + cur)
        return FALSE;
      cur = (gsize) (nul - r->d) + 1;
      if (cur >= r->size)
        return FALSE;
    }
  gsize cands[2] = { align_to (r, cur, 4), align8 (r, cur) };
  for (guint c = 0; c < 2; c++)
    {
      gsize ti = cands[c];
      if (ti + 512 > r->size)
        return FALSE;
      guint i = 0;
      for (; i < 256; i++)
        {
          guint16 v;
          memcpy (&v, r->d + ti + 2 * i, 2);
          if (GUINT16_FROM_LE (v) != tok_off[i])
            break;
        }
      if (i == 256)
        {
          *index_off = ti;
          return TRUE;
        }
    }
  return FALSE;
}

/* The digits 0-9 are single-character tokens at indices 0x30..0x39 in every kernel. */
static gboolean
find_token_table (const Region *r, gsize *table, gsize *index, guint16 tok_off[256])
{
  static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
  const gsize dl = sizeof digits;   /* includes the final NUL */
  const guint8 *p = r->d, *end = r->d + r->size;

  while ((p = memmem (p, (gsize) (end - p), digits, dl)) != NULL)
    {
      gsize pos = (gsize) (p - r->d);
      gboolean ok = TRUE;
      for (guint i = 0; i < 0x30 && ok; i++)     /* walk back to string 0 */
        {
          if (pos < 2 || r->d[pos - 1] != 0 || r->d[pos - 2] == 0)
            {
              ok = FALSE;
              break;
            }
          gsize q = pos - 2;
          while (q > 0 && r->d[q - 1] != 0 && pos - q < KSYM_NAME_MAX)
            q--;
          pos = q;
        }
      if (ok && check_token_table (r, pos, tok_off, index))
        {
          *table = pos;
          return TRUE;
        }
      p += 2;
    }
  return FALSE;
}

/* --- names and markers ------------------------------------------------------------------ */

/* Walks `count` name entries from `pos`; returns the end offset or 0 when out of bounds. */
static gsize
walk_names (const Region *r, gsize pos, gsize limit, guint count)
{
  for (guint i = 0; i < count; i++)
    {
      if (pos >= limit)
        return 0;
      guint len = r->d[pos++];
      if (len & 0x80)
        {
          if (pos >= limit)
            return 0;
          len = (len & 0x7f) | ((guint) r->d[pos++] << 7);
        }
      if (len == 0 || len > KSYM_NAME_MAX || len > limit - pos)
        return 0;
      pos += len;
    }
  return pos;
}

/* Checks the num_syms candidate at `p`, with the names starting at p + gap, against the
 * markers at `q` (kmax usable entries). */
static gboolean
check_names (const Region *r, gsize p, gsize gap, gsize q, guint kmax, guint32 *num_syms)
{
  guint32 n = u32_at (r, p);
  if (n == 0 || n > KSYM_MAX_SYMS || (gap == 8 && u32_at (r, p + 4) != 0))
    return FALSE;
  guint k = (n + 255) / 256;
  if (k > kmax)
    return FALSE;
  gsize names = p + gap;
  guint32 last = u32_at (r, q + 4 * (k - 1));
  if (names + last >= q)
    return FALSE;
  /* Cheap test first: the last block must end right before the markers. */
  gsize end = walk_names (r, names + last, q, n - (k - 1) * 256);
  if (end == 0 || !is_next_label (r, end, q))
    return FALSE;
  /* Then every block must start where its marker says. */
  gsize pos = names;
  for (guint b = 0; b < k; b++)
    {
      if (pos - names != u32_at (r, q + 4 * b))
        return FALSE;
      guint cnt = b + 1 < k ? 256 : n - b * 256;
      pos = walk_names (r, pos, q, cnt);
      if (pos == 0)
        return FALSE;
    }
  if (pos != end)
    return FALSE;
  *num_syms = n;
  return TRUE;
}

/* Calls `accept` on every (num_syms, markers) pair that is structurally consistent,
 * nearest to the token table first, until it returns TRUE. */
typedef gboolean (*NamesAcceptFunc) (gsize num_syms_off, gsize names_off, guint32 n, gpointer user_data);

static gboolean
find_names (const Region *r, gsize token_table, NamesAcceptFunc accept, gpointer user_data)
{
  gsize lo = token_table > SEARCH_WINDOW ? token_table - SEARCH_WINDOW : 0;

  /* markers: a 4-aligned (by address) u32 array starting with 0, below the token table */
  gsize q0 = token_table - (gsize) ((r->base + token_table) & 3);
  for (gsize q = q0; q >= lo + 4 && q >= 16; q -= 4)
    {
      if (q + 4 > token_table || u32_at (r, q) != 0)
        continue;
      guint kmax = 1;
      while (q + 4 * (kmax + 1) <= token_table)
        {
          guint32 prev = u32_at (r, q + 4 * (kmax - 1)), cur = u32_at (r, q + 4 * kmax);
          if (cur < prev || cur - prev < MARKER_DELTA_MIN || cur - prev > MARKER_DELTA_MAX)
            break;
          kmax++;
        }
      /* names are at most (markers[kmax-1] + one block) bytes long */
      gsize span = (gsize) u32_at (r, q + 4 * (kmax - 1)) + MARKER_DELTA_MAX + 16;
      gsize plo = q > span ? q - span : 0;
      for (gsize p = q - 16; p >= plo + 4; p -= 4)
        {
          guint32 n;
          /* names follow num_syms after 8-byte alignment up to 6.x, directly in 7.x */
          for (gsize gap = 8; gap >= 4; gap -= 4)
            if (check_names (r, p, gap, q, kmax, &n) && accept (p, p + gap, n, user_data))
              return TRUE;
        }
    }
  return FALSE;
}

/* --- offsets ---------------------------------------------------------------------------- */

/* RELATIVE: relative_base + (u32) off. ABS_PERCPU: see the top of the file. PCREL (7.x):
 * each entry is a place-relative reference, addr = &kallsyms_offsets[i] + off. */
typedef enum { DECODE_RELATIVE, DECODE_ABS_PERCPU, DECODE_PCREL } DecodeMode;

static guint64
decode_addr (gint32 off, guint64 rb, guint64 place, DecodeMode mode)
{
  switch (mode)
    {
    case DECODE_RELATIVE: return rb + (guint32) off;
    case DECODE_PCREL: return place + (guint64) (gint64) off;
    case DECODE_ABS_PERCPU: default:
      return off >= 0 ? (guint64) off : rb - 1 - (guint64) (gint64) off;
    }
}

static gboolean
decode_offsets (const Region *r, gsize start, guint32 n, guint64 rb, DecodeMode mode, guint64 *addr)
{
  guint64 prev = 0;
  if (start > r->size || 4 * (gsize) n > r->size - start)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      gsize at = start + 4 * (gsize) i;
      gint32 off = (gint32) u32_at (r, at);
      addr[i] = decode_addr (off, rb, r->base + at, mode);
      if (addr[i] < prev)
        return FALSE;
      prev = addr[i];
    }
  return TRUE;
}

/* --- public ------------------------------------------------------------------------------ */

static SlKallsyms *
kallsyms_new (void)
{
  SlKallsyms *ks = g_new0 (SlKallsyms, 1);
  ks->names = g_byte_array_new ();
  return ks;
}

static gint
cmp_by_addr (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SlKallsyms *ks = user_data;
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;
  if (ks->addr[i] != ks->addr[j])
    return ks->addr[i] < ks->addr[j] ? -1 : 1;
  return i < j ? -1 : (i > j);
}

static void
kallsyms_index (SlKallsyms *ks)
{
  ks->by_addr = g_new (guint32, MAX (ks->n, 1));
  ks->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < ks->n; i++)
    {
      ks->by_addr[i] = i;
      const char *name = (const char *) ks->names->data + ks->name_off[i];
      if (!g_hash_table_contains (ks->by_name, name))
        g_hash_table_insert (ks->by_name, (gpointer) name, GUINT_TO_POINTER (i + 1));
    }
  g_qsort_with_data (ks->by_addr, (gint) ks->n, sizeof (guint32), cmp_by_addr, ks);
}

typedef struct {
  const Region  *r;
  gsize          tt, ti;
  const guint16 *tok_off;
  guint64        text_addr;
  SlKallsyms    *result;
} Candidate;

/* Expands the names at `ns_off` and looks for offsets + relative_base that fit them. */
static gboolean
try_candidate (gsize ns_off, gsize names_off, guint32 n, gpointer user_data)
{
  Candidate *c = user_data;
  const Region *rr = c->r;
  const guint8 *rodata = rr->d;
  gsize tt = c->tt, ti = c->ti, size = rr->size;
  guint64 text_va = c->text_addr;

  g_autoptr(SlKallsyms) ks = kallsyms_new ();
  ks->n = n;
  ks->name_off = g_new (guint32, n);
  ks->type = g_new (char, n);
  ks->addr = g_new (guint64, n);

  /* Expand every name through the token table. */
  gsize pos = names_off;
  char buf[KSYM_NAME_MAX + 1];
  guint text_i = G_MAXUINT;
  for (guint32 i = 0; i < n; i++)
    {
      guint len = rodata[pos++];
      if (len & 0x80)
        len = (len & 0x7f) | ((guint) rodata[pos++] << 7);
      gsize bl = 0;
      for (guint t = 0; t < len; t++)
        {
          const char *tok = (const char *) rodata + tt + c->tok_off[rodata[pos + t]];
          gsize tl = strlen (tok);
          if (bl + tl > KSYM_NAME_MAX)
            return FALSE;
          memcpy (buf + bl, tok, tl);
          bl += tl;
        }
      pos += len;
      if (bl < 2)
        return FALSE;
      buf[bl] = '\0';
      if (text_i == G_MAXUINT && strcmp (buf + 1, "_text") == 0)
        text_i = i;
      ks->type[i] = buf[0];
      ks->name_off[i] = ks->names->len;
      g_byte_array_append (ks->names, (const guint8 *) buf + 1, (guint) bl);
    }
  /* Every x86 kernel has _text; without it this was a lookalike. */
  if (text_i == G_MAXUINT)
    return FALSE;

  gsize table_bytes = align8 (rr, 4 * (gsize) n);
  gboolean found = FALSE;

  /* 7.x: place-relative offsets right after token_index (or, defensively, before num_syms). */
  gsize pcrel_at[] = { align_to (rr, ti + 512, 4), align8 (rr, ti + 512),
                       ns_off >= table_bytes ? ns_off - table_bytes : G_MAXSIZE };
  for (guint i = 0; i < G_N_ELEMENTS (pcrel_at) && !found; i++)
    if (pcrel_at[i] != G_MAXSIZE && decode_offsets (rr, pcrel_at[i], n, 0, DECODE_PCREL, ks->addr) &&
        ks->addr[text_i] == text_va)
      found = TRUE;

  /* Older kernels: relative_base (== _text) sits right after kallsyms_offsets. */
  gsize lo = ns_off > table_bytes + SEARCH_WINDOW / 4 ? ns_off - table_bytes - SEARCH_WINDOW / 4 : 0;
  gsize hi = MIN (size, ti + 512 + table_bytes + SEARCH_WINDOW / 4);
  for (gsize rb = align8 (rr, lo + table_bytes); rb + 8 <= hi && !found; rb += 8)
    {
      if (u64_at (rr, rb) != text_va)
        continue;
      gsize start = rb - table_bytes;
      for (DecodeMode mode = DECODE_RELATIVE; mode <= DECODE_ABS_PERCPU && !found; mode++)
        if (decode_offsets (rr, start, n, text_va, mode, ks->addr) && ks->addr[text_i] == text_va)
          found = TRUE;
    }
  if (!found)
    return FALSE;

  kallsyms_index (ks);
  c->result = g_steal_pointer (&ks);
  return TRUE;
}

SlKallsyms *
sl_kallsyms_decode (const guint8 *rodata, gsize size, guint64 base, guint64 text_addr, GError **error)
{
  g_return_val_if_fail (rodata != NULL || size == 0, NULL);

  Region r = { rodata, size, base };
  gsize tt, ti;
  guint16 tok_off[256];

  if (size < 4096 || !find_token_table (&r, &tt, &ti, tok_off))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "kallsyms: no token table found (kernel built without CONFIG_KALLSYMS?)");
      return NULL;
    }

  Candidate c = { &r, tt, ti, tok_off, text_addr, NULL };
  if (!find_names (&r, tt, try_candidate, &c))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "kallsyms: token table at +0x%" G_GSIZE_MODIFIER "x but no kallsyms_num_syms/"
                   "names/markers/offsets that decode to sorted addresses with _text at 0x%"
                   G_GINT64_MODIFIER "x", tt, text_addr);
      return NULL;
    }
  return c.result;
}

SlKallsyms *
sl_kallsyms_decode_elf (const guint8 *elf, gsize size, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (elf, size);
  guint64 ro_addr = 0, text_addr = 0;
  g_autoptr(GBytes) text = sl_elf_section (bytes, ".text", &text_addr, error);
  if (!text)
    {
      if (error && !*error)
        g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "kallsyms: the image has no .text section");
      return NULL;
    }
  g_autoptr(GBytes) ro = sl_elf_section (bytes, ".rodata", &ro_addr, error);
  if (!ro)
    {
      if (error && !*error)
        g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "kallsyms: the image has no .rodata section");
      return NULL;
    }
  gsize n;
  const guint8 *d = g_bytes_get_data (ro, &n);
  return sl_kallsyms_decode (d, n, ro_addr, text_addr, error);
}

SlKallsyms *
sl_kallsyms_load (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;

  g_autoptr(SlKallsyms) ks = kallsyms_new ();
  g_autoptr(GArray) addr = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GArray) off = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GString) types = g_string_new (NULL);
  guint line = 0;

  for (char *p = text, *next; p && *p; p = next)
    {
      char *nl = memchr (p, '\n', len - (gsize) (p - text));
      next = nl ? nl + 1 : NULL;
      if (nl)
        *nl = '\0';
      line++;
      if (*p == '\0')
        continue;
      if (addr->len >= KSYM_MAX_SYMS)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "%s: more than %u symbols", path, KSYM_MAX_SYMS);
          return NULL;
        }
      char *end;
      errno = 0;
      guint64 a = g_ascii_strtoull (p, &end, 16);
      if (errno || end == p || *end != ' ' || !end[1] || end[2] != ' ' || !end[3])
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s:%u: not \"<address> <type> <name>\"", path, line);
          return NULL;
        }
      char type = end[1];
      char *name = end + 3;
      char *sp = strpbrk (name, " \t");   /* "[module]" column */
      gsize nl2 = sp ? (gsize) (sp - name) : strlen (name);
      if (nl2 == 0 || nl2 > KSYM_NAME_MAX)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s:%u: bad symbol name", path, line);
          return NULL;
        }
      g_array_append_val (addr, a);
      guint32 o = ks->names->len;
      g_array_append_val (off, o);
      g_string_append_c (types, type);
      g_byte_array_append (ks->names, (const guint8 *) name, (guint) nl2);
      g_byte_array_append (ks->names, (const guint8 *) "", 1);
    }
  ks->n = addr->len;
  ks->addr = (guint64 *) (gpointer) g_array_free (g_steal_pointer (&addr), FALSE);
  ks->name_off = (guint32 *) (gpointer) g_array_free (g_steal_pointer (&off), FALSE);
  ks->type = g_string_free (g_steal_pointer (&types), FALSE);
  kallsyms_index (ks);
  return g_steal_pointer (&ks);
}

char *
sl_kallsyms_to_text (const SlKallsyms *ks, gsize *length)
{
  g_return_val_if_fail (ks != NULL, NULL);

  GString *s = g_string_sized_new ((gsize) ks->n * 40);
  for (guint i = 0; i < ks->n; i++)
    g_string_append_printf (s, "%016" G_GINT64_MODIFIER "x %c %s\n", ks->addr[i], ks->type[i],
                            (const char *) ks->names->data + ks->name_off[i]);
  if (length)
    *length = s->len;
  return g_string_free (s, FALSE);
}

gboolean
sl_kallsyms_save (const SlKallsyms *ks, const char *path, GError **error)
{
  g_return_val_if_fail (ks != NULL && path != NULL, FALSE);

  gsize len;
  g_autofree char *text = sl_kallsyms_to_text (ks, &len);
  return g_file_set_contents (path, text, (gssize) len, error);
}

guint
sl_kallsyms_count (const SlKallsyms *ks)
{
  g_return_val_if_fail (ks != NULL, 0);
  return ks->n;
}

const char *
sl_kallsyms_name (const SlKallsyms *ks, guint i)
{
  g_return_val_if_fail (ks != NULL && i < ks->n, NULL);
  return (const char *) ks->names->data + ks->name_off[i];
}

guint64
sl_kallsyms_address (const SlKallsyms *ks, guint i)
{
  g_return_val_if_fail (ks != NULL && i < ks->n, 0);
  return ks->addr[i];
}

char
sl_kallsyms_type (const SlKallsyms *ks, guint i)
{
  g_return_val_if_fail (ks != NULL && i < ks->n, '?');
  return ks->type[i];
}

gboolean
sl_kallsyms_lookup (const SlKallsyms *ks, const char *name, guint64 *address)
{
  g_return_val_if_fail (ks != NULL && name != NULL, FALSE);

  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (ks->by_name, name));
  if (idx == 0)
    return FALSE;
  if (address)
    *address = ks->addr[idx - 1];
  return TRUE;
}

const char *
sl_kallsyms_symbolize (const SlKallsyms *ks, guint64 address, guint64 *offset)
{
  g_return_val_if_fail (ks != NULL, NULL);

  /* Last entry (in address order) whose address is <= `address`. */
  guint lo = 0, hi = ks->n;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (ks->addr[ks->by_addr[mid]] <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  /* Among equal addresses prefer the first in table order (e.g. _text over startup_64). */
  guint i = lo - 1;
  while (i > 0 && ks->addr[ks->by_addr[i - 1]] == ks->addr[ks->by_addr[i]])
    i--;
  guint32 e = ks->by_addr[i];
  if (offset)
    *offset = address - ks->addr[e];
  return (const char *) ks->names->data + ks->name_off[e];
}

void
sl_kallsyms_free (SlKallsyms *ks)
{
  if (!ks)
    return;
  g_free (ks->addr);
  g_free (ks->name_off);
  g_free (ks->type);
  if (ks->names)
    g_byte_array_unref (ks->names);
  g_free (ks->by_addr);
  if (ks->by_name)
    g_hash_table_unref (ks->by_name);
  g_free (ks);
}
