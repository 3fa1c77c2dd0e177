/* The kallsyms decoder on synthetic tables built here the way scripts/kallsyms.c lays them
 * out, in the three layouts seen in practice (6.1, 6.2-6.14, 7.x), surrounded by junk. */
#include <string.h>
#include <glib/gstdio.h>

#include "kernel-test-util.h"
#include "sl-kallsyms.h"
#include "sl-types.h"

#define RO_BASE   G_GUINT64_CONSTANT (0xffffffff82000000)
#define TEXT_ADDR G_GUINT64_CONSTANT (0xffffffff81000000)

typedef enum {
  LAYOUT_6_1,    /* offsets, relative_base, num_syms, names, markers, token_table, token_index; absolute per-CPU */
  LAYOUT_6_12,   /* num_syms, names, markers, seqs, token_table, token_index, offsets, relative_base */
  LAYOUT_7,      /* num_syms, names (unpadded), markers, token_table, token_index, place-relative offsets, seqs */
  LAYOUT_7_A4,   /* the same with labels only 4-byte aligned (seen in a 7.2 build) */
} Layout;

static guint64
layout_base (Layout layout)
{
  /* 4 mod 8: 4-byte-aligned labels then differ from 8-byte-aligned ones */
  return layout == LAYOUT_7_A4 ? RO_BASE + 4 : RO_BASE;
}

static guint
layout_align (Layout layout)
{
  return layout == LAYOUT_7_A4 ? 4 : 8;
}

typedef struct {
  GPtrArray *names;    /* "<type><name>" */
  GArray    *addrs;    /* guint64 */
  char      *tokens[256];
} Table;

static void
table_free (Table *t)
{
  g_ptr_array_unref (t->names);
  g_array_unref (t->addrs);
  for (guint i = 0; i < 256; i++)
    g_free (t->tokens[i]);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Table, table_free)

static void
add_sym (Table *t, char type, const char *name, guint64 addr)
{
  g_ptr_array_add (t->names, g_strdup_printf ("%c%s", type, name));
  g_array_append_val (t->addrs, addr);
}

static Table *
make_table (gboolean percpu, guint n_text)
{
  Table *t = g_new0 (Table, 1);
  t->names = g_ptr_array_new_with_free_func (g_free);
  t->addrs = g_array_new (FALSE, FALSE, sizeof (guint64));

  /* Tokens: printable characters stand for themselves (so the digits sit at 0x30-0x39, as in
   * every kernel); the other indices hold multi-character substrings. */
  static const char * const common[] = {
    "sym_", "_text", "per_cpu", "sched_", "run", "queue", "init", "_ops", "task", "very_", "long_",
    "__", "map", "idr", "_a", "_b", "ext", "rq", "cpu", "offset",
  };
  guint next_common = 0, combo = 0;
  for (guint i = 0; i < 256; i++)
    {
      if (i > 0x20 && i < 0x7f)
        t->tokens[i] = g_strdup_printf ("%c", i);
      else if (next_common < G_N_ELEMENTS (common))
        t->tokens[i] = g_strdup (common[next_common++]);
      else
        {
          t->tokens[i] = g_strdup_printf ("%c%c", 'a' + combo / 26 % 26, 'a' + combo % 26);
          combo++;
        }
    }

  if (percpu)
    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *name = g_strdup_printf ("per_cpu_var_%u", i);
        add_sym (t, 'A', name, (guint64) i * 0x40);
      }
  add_sym (t, 'T', "_text", TEXT_ADDR);
  add_sym (t, 'T', "_stext", TEXT_ADDR);                /* an alias at the same address */
  guint64 a = TEXT_ADDR + 0x10;
  for (guint i = 0; i < n_text; i++)
    {
      g_autofree char *name = g_strdup_printf ("sym_%04u_sched_task%s", i, i % 7 ? "" : "_ops");
      add_sym (t, i % 3 ? 't' : 'T', name, a);
      a += 0x10 + (i % 5) * 8;
      if (i == 100)
        {
          /* A name of more than 127 tokens exercises the two-byte length of 6.1+. */
          GString *big = g_string_new ("big_");
          for (guint k = 0; k < 40; k++)
            g_string_append (big, "x.Y-z");   /* single-character tokens only */
          add_sym (t, 'T', big->str, a);
          g_string_free (big, TRUE);
          a += 0x40;
        }
    }
  add_sym (t, 'D', "runqueues", a + 0x1000000);
  add_sym (t, 'B', "init_top_pgt", a + 0x1100000);
  return t;
}

/* Greedy longest-token encoding; every printable character has its own token. */
static void
encode_name (const Table *t, const char *s, GByteArray *out)
{
  g_autoptr(GByteArray) toks = g_byte_array_new ();
  while (*s)
    {
      guint best = 256;
      gsize best_len = 0;
      for (guint i = 0; i < 256; i++)
        {
          gsize l = strlen (t->tokens[i]);
          if (l > best_len && strncmp (s, t->tokens[i], l) == 0)
            {
              best = i;
              best_len = l;
            }
        }
      g_assert_cmpuint (best, <, 256);
      guint8 b = (guint8) best;
      g_byte_array_append (toks, &b, 1);
      s += best_len;
    }
  guint len = toks->len;
  if (len < 0x80)
    {
      guint8 l = (guint8) len;
      g_byte_array_append (out, &l, 1);
    }
  else
    {
      guint8 l[2] = { (guint8) ((len & 0x7f) | 0x80), (guint8) (len >> 7) };
      g_byte_array_append (out, l, 2);
    }
  g_byte_array_append (out, toks->data, toks->len);
}

/* Pads to `al` bytes by address (the buffer starts at `base`). */
static void
align_to (GByteArray *a, guint64 base, guint al)
{
  static const guint8 zero[8];
  guint64 va = base + a->len;
  if (va % al)
    g_byte_array_append (a, zero, (guint) (al - va % al));
}

static void
put32 (GByteArray *a, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (a, (const guint8 *) &v, 4);
}

static void
put64 (GByteArray *a, guint64 v)
{
  v = GUINT64_TO_LE (v);
  g_byte_array_append (a, (const guint8 *) &v, 8);
}

static void
junk (GByteArray *a, gsize n, guint32 seed)
{
  for (gsize i = 0; i < n; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      guint8 b = (guint8) (seed >> 24);
      g_byte_array_append (a, &b, 1);
    }
}

static void
emit_offsets (const Table *t, GByteArray *ro, Layout layout)
{
  guint64 base = layout_base (layout);
  align_to (ro, base, layout_align (layout));
  for (guint i = 0; i < t->addrs->len; i++)
    {
      guint64 addr = g_array_index (t->addrs, guint64, i);
      gint64 off;
      if (layout == LAYOUT_7 || layout == LAYOUT_7_A4)
        off = (gint64) (addr - (base + ro->len));
      else if (layout == LAYOUT_6_1 && addr < TEXT_ADDR)
        off = (gint64) addr;
      else if (layout == LAYOUT_6_1)
        off = (gint64) (TEXT_ADDR - 1 - addr);
      else
        off = (gint64) (addr - TEXT_ADDR);
      g_assert_true (off >= G_MININT32 && off <= G_MAXUINT32);
      put32 (ro, (guint32) off);
    }
  align_to (ro, base, 8);
  if (layout == LAYOUT_6_1 || layout == LAYOUT_6_12)
    put64 (ro, TEXT_ADDR);
}

static void
emit_seqs (const Table *t, GByteArray *ro, Layout layout)
{
  for (guint i = 0; i < t->names->len; i++)
    {
      guint8 s[3] = { (guint8) (i >> 16), (guint8) (i >> 8), (guint8) i };
      g_byte_array_append (ro, s, 3);
    }
  align_to (ro, layout_base (layout), layout_align (layout));
}

/* Builds .rodata; `names_at` receives the offset of kallsyms_names (for corruption tests). */
static GBytes *
build_rodata (const Table *t, Layout layout, gsize *names_at, gsize *markers_at)
{
  GByteArray *ro = g_byte_array_new ();
  guint n = t->names->len;
  guint64 base = layout_base (layout);
  guint al = layout_align (layout);
  gboolean v7 = layout == LAYOUT_7 || layout == LAYOUT_7_A4;

  junk (ro, 20000, 7);
  /* A decoy digit run that is not a token table. */
  g_byte_array_append (ro, (const guint8 *) "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9\0", 20);
  junk (ro, 3001, 9);

  if (layout == LAYOUT_6_1)
    emit_offsets (t, ro, layout);
  align_to (ro, base, al);
  put32 (ro, n);
  if (!v7)
    align_to (ro, base, al);
  *names_at = ro->len;
  g_autoptr(GArray) markers = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint i = 0; i < n; i++)
    {
      if (i % 256 == 0)
        {
          guint32 m = ro->len - (guint32) *names_at;
          g_array_append_val (markers, m);
        }
      encode_name (t, t->names->pdata[i], ro);
    }
  align_to (ro, base, al);
  *markers_at = ro->len;
  for (guint i = 0; i < markers->len; i++)
    put32 (ro, g_array_index (markers, guint32, i));
  align_to (ro, base, al);
  if (layout == LAYOUT_6_12)
    emit_seqs (t, ro, layout);
  for (guint i = 0; i < 256; i++)
    g_byte_array_append (ro, (const guint8 *) t->tokens[i], (guint) strlen (t->tokens[i]) + 1);
  align_to (ro, base, al);
  guint16 off = 0;
  for (guint i = 0; i < 256; i++)
    {
      guint16 v = GUINT16_TO_LE (off);
      g_byte_array_append (ro, (const guint8 *) &v, 2);
      off = (guint16) (off + strlen (t->tokens[i]) + 1);
    }
  if (layout != LAYOUT_6_1)
    emit_offsets (t, ro, layout);
  if (v7)
    emit_seqs (t, ro, layout);
  junk (ro, 5000, 11);
  return g_byte_array_free_to_bytes (ro);
}

static void
assert_matches (const SlKallsyms *ks, const Table *t)
{
  g_assert_cmpuint (sl_kallsyms_count (ks), ==, t->names->len);
  for (guint i = 0; i < t->names->len; i++)
    {
      const char *want = t->names->pdata[i];
      g_assert_cmpint (sl_kallsyms_type (ks, i), ==, want[0]);
      g_assert_cmpstr (sl_kallsyms_name (ks, i), ==, want + 1);
      g_assert_cmphex (sl_kallsyms_address (ks, i), ==, g_array_index (t->addrs, guint64, i));
    }
}

static void
test_layout (gconstpointer data)
{
  Layout layout = GPOINTER_TO_INT (data);
  g_autoptr(Table) t = make_table (layout == LAYOUT_6_1, 700);
  gsize names_at, markers_at;
  g_autoptr(GBytes) ro = build_rodata (t, layout, &names_at, &markers_at);
  gsize n;
  const guint8 *d = g_bytes_get_data (ro, &n);

  g_autoptr(GError) error = NULL;
  g_autoptr(SlKallsyms) ks = sl_kallsyms_decode (d, n, layout_base (layout), TEXT_ADDR, &error);
  g_assert_no_error (error);
  assert_matches (ks, t);

  guint64 a = 0;
  g_assert_true (sl_kallsyms_lookup (ks, "_text", &a));
  g_assert_cmphex (a, ==, TEXT_ADDR);
  g_assert_true (sl_kallsyms_lookup (ks, "runqueues", NULL));
  g_assert_false (sl_kallsyms_lookup (ks, "no_such_symbol", NULL));

  /* address -> name: inside a function, at an alias (first in table order wins), below all */
  guint idx = layout == LAYOUT_6_1 ? 40 + 2 + 300 : 2 + 300;
  guint64 off = 0;
  const char *name = sl_kallsyms_symbolize (ks, sl_kallsyms_address (ks, idx) + 5, &off);
  g_assert_cmpstr (name, ==, sl_kallsyms_name (ks, idx));
  g_assert_cmpuint (off, ==, 5);
  g_assert_cmpstr (sl_kallsyms_symbolize (ks, TEXT_ADDR, &off), ==, "_text");
  g_assert_cmpuint (off, ==, 0);
  if (layout == LAYOUT_6_1)
    g_assert_cmpstr (sl_kallsyms_symbolize (ks, 0x41, NULL), ==, "per_cpu_var_1");
  else
    g_assert_null (sl_kallsyms_symbolize (ks, 0x1000, NULL));

  /* /proc/kallsyms text round trip */
  g_autofree char *dir = g_dir_make_tmp ("sl-ks-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kallsyms", NULL);
  g_assert_true (sl_kallsyms_save (ks, path, &error));
  g_autoptr(SlKallsyms) back = sl_kallsyms_load (path, &error);
  g_assert_no_error (error);
  assert_matches (back, t);
  g_autofree char *text = sl_kallsyms_to_text (ks, NULL);
  g_assert_true (g_str_has_prefix (text, layout == LAYOUT_6_1 ? "0000000000000000 A per_cpu_var_0\n"
                                                               : "ffffffff81000000 T _text\n"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_corrupt (void)
{
  g_autoptr(Table) t = make_table (FALSE, 700);
  gsize names_at, markers_at;
  g_autoptr(GBytes) ro = build_rodata (t, LAYOUT_6_12, &names_at, &markers_at);
  gsize n = g_bytes_get_size (ro);
  g_autofree guint8 *d = g_memdup2 (g_bytes_get_data (ro, NULL), n);

  /* A marker that disagrees with the names. */
  d[markers_at + 4] ^= 0x01;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKallsyms) ks = sl_kallsyms_decode (d, n, RO_BASE, TEXT_ADDR, &error);
  g_assert_null (ks);
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
  d[markers_at + 4] ^= 0x01;
  g_clear_error (&error);

  /* The wrong _text: offsets cannot be placed. */
  ks = sl_kallsyms_decode (d, n, RO_BASE, TEXT_ADDR + 0x1000, &error);
  g_assert_null (ks);
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Cut in the middle of the names: never reads past the end. */
  g_autofree guint8 *cut = g_memdup2 (d, names_at + 900);
  ks = sl_kallsyms_decode (cut, names_at + 900, RO_BASE, TEXT_ADDR, &error);
  g_assert_null (ks);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Random damage in the names region: a clean error or a consistent table, never a crash. */
  guint32 seed = 99;
  for (guint round = 0; round < 30; round++)
    {
      g_autofree guint8 *dd = g_memdup2 (d, n);
      for (guint k = 0; k < 4; k++)
        {
          seed = seed * 1664525u + 1013904223u;
          dd[names_at + seed % (guint32) (markers_at - names_at)] ^= (guint8) (seed >> 24) | 1;
        }
      g_autoptr(SlKallsyms) r = sl_kallsyms_decode (dd, n, RO_BASE, TEXT_ADDR, &error);
      if (r)
        g_assert_cmpuint (sl_kallsyms_count (r), ==, t->names->len);
      else
        g_assert_nonnull (error);
      g_clear_error (&error);
    }

  /* No table at all. */
  g_autoptr(GByteArray) j = g_byte_array_new ();
  junk (j, 65536, 3);
  ks = sl_kallsyms_decode (j->data, j->len, RO_BASE, TEXT_ADDR, &error);
  g_assert_null (ks);
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
}

static void
test_load_errors (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-ks-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "kallsyms", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "ffffffff81000000 T _text\n"
                                      "ffffffffc0000000 t helper\t[some_module]\n"
                                      "0000000000001000 A fixed_percpu_data\n", -1, NULL));
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKallsyms) ks = sl_kallsyms_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_kallsyms_count (ks), ==, 3);
  g_assert_cmpstr (sl_kallsyms_name (ks, 1), ==, "helper");
  /* Sorted lookups work on a file that is not in address order. */
  g_assert_cmpstr (sl_kallsyms_symbolize (ks, 0xffffffff81000123, NULL), ==, "_text");
  g_assert_cmpstr (sl_kallsyms_symbolize (ks, 0x1008, NULL), ==, "fixed_percpu_data");

  g_assert_true (g_file_set_contents (path, "ffffffff81000000 T _text\nnot a symbol line\n", -1, NULL));
  g_autoptr(SlKallsyms) bad = sl_kallsyms_load (path, &error);
  g_assert_null (bad);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, ":2:"));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/kernel/kallsyms/layout-6.1", GINT_TO_POINTER (LAYOUT_6_1), test_layout);
  g_test_add_data_func ("/kernel/kallsyms/layout-6.12", GINT_TO_POINTER (LAYOUT_6_12), test_layout);
  g_test_add_data_func ("/kernel/kallsyms/layout-7", GINT_TO_POINTER (LAYOUT_7), test_layout);
  g_test_add_data_func ("/kernel/kallsyms/layout-7-align4", GINT_TO_POINTER (LAYOUT_7_A4), test_layout);
  g_test_add_func ("/kernel/kallsyms/corrupt", test_corrupt);
  g_test_add_func ("/kernel/kallsyms/load", test_load_errors);
  return g_test_run ();
}
