/* BTF rendering: every int width and sign, bool, char arrays, enums, floats,
 * bitfields with sign extension, structs, unions, arrays, DATASEC, pointers
 * (chased through guest memory with a hop bound), truncation and bad types. */
#include "introspect-fixture.h"
#include "sl-btf-render.h"

#include <string.h>

typedef struct {
  struct btf *b;
  guint32 u8, u16, u32, u64, s8, s16, s32, s64, ch, boolean, f32, f64;
} Types;

static void
types_init (Types *t)
{
  t->b = btf__new_empty ();
  t->u8 = btf__add_int (t->b, "unsigned char", 1, 0);
  t->u16 = btf__add_int (t->b, "short unsigned int", 2, 0);
  t->u32 = btf__add_int (t->b, "unsigned int", 4, 0);
  t->u64 = btf__add_int (t->b, "long long unsigned int", 8, 0);
  t->s8 = btf__add_int (t->b, "signed char", 1, BTF_INT_SIGNED);
  t->s16 = btf__add_int (t->b, "short int", 2, BTF_INT_SIGNED);
  t->s32 = btf__add_int (t->b, "int", 4, BTF_INT_SIGNED);
  t->s64 = btf__add_int (t->b, "long long int", 8, BTF_INT_SIGNED);
  t->ch = btf__add_int (t->b, "char", 1, BTF_INT_SIGNED);
  t->boolean = btf__add_int (t->b, "_Bool", 1, BTF_INT_BOOL);
  t->f32 = btf__add_float (t->b, "float", 4);
  t->f64 = btf__add_float (t->b, "double", 8);
}

static SlValue *
render (const struct btf *b, guint32 id, const void *data, gsize len)
{
  SlRenderCtx ctx;
  sl_btf_render_ctx_init (&ctx, b, NULL, NULL, 0);
  return sl_btf_render (&ctx, id, data, len);
}

static const SlValue *
member (const SlValue *v, const char *name)
{
  const SlValue *m = sl_value_member (v, name);
  if (m == NULL)
    g_error ("no member %s", name);
  return m;
}

static void
test_scalars (void)
{
  Types t;
  types_init (&t);
  /* Typedef + const + volatile chain over u32. */
  guint32 td = btf__add_typedef (t.b, "u32_t", t.u32);
  guint32 cv = btf__add_volatile (t.b, btf__add_const (t.b, td));
  int e = btf__add_enum (t.b, "color", 4);
  btf__add_enum_value (t.b, "RED", 1);
  btf__add_enum_value (t.b, "BLUE", 1026);
  int se = btf__add_enum (t.b, "delta", 4);
  btf__add_enum_value (t.b, "MINUS", -2);
  btf__add_enum_value (t.b, "ZERO", 0);
  int e64 = btf__add_enum64 (t.b, "big", 8, FALSE);
  btf__add_enum64_value (t.b, "HUGE", G_GUINT64_CONSTANT (0xffff000000000001));
  guint32 name8 = btf__add_array (t.b, t.u32, t.ch, 8);
  int s = btf__add_struct (t.b, "all", 64);
  btf__add_field (t.b, "a_u8", t.u8, 0, 0);
  btf__add_field (t.b, "a_s8", t.s8, 8, 0);
  btf__add_field (t.b, "a_u16", t.u16, 16, 0);
  btf__add_field (t.b, "a_s16", t.s16, 32, 0);
  btf__add_field (t.b, "a_u32", cv, 64, 0);
  btf__add_field (t.b, "a_s32", t.s32, 96, 0);
  btf__add_field (t.b, "a_u64", t.u64, 128, 0);
  btf__add_field (t.b, "a_s64", t.s64, 192, 0);
  btf__add_field (t.b, "flag", t.boolean, 256, 0);
  btf__add_field (t.b, "color", e, 288, 0);
  btf__add_field (t.b, "delta", se, 320, 0);
  btf__add_field (t.b, "f", t.f32, 352, 0);
  btf__add_field (t.b, "d", t.f64, 384, 0);
  btf__add_field (t.b, "name", name8, 448, 0);
  guint8 buf[64] = { 0 };
  buf[0] = 200;
  buf[1] = (guint8) -5;
  guint16 u16 = 65000;
  gint16 s16 = -30000;
  guint32 u32 = 4000000000u;
  gint32 s32 = -7;
  guint64 u64 = G_MAXUINT64;
  gint64 s64 = G_MININT64;
  gint32 minus = -2;
  float f = 0.25f;
  double d = -1.5;
  memcpy (buf + 2, &u16, 2);
  memcpy (buf + 4, &s16, 2);
  memcpy (buf + 8, &u32, 4);
  memcpy (buf + 12, &s32, 4);
  memcpy (buf + 16, &u64, 8);
  memcpy (buf + 24, &s64, 8);
  buf[32] = 1;
  guint32 blue = 1026;
  memcpy (buf + 36, &blue, 4);
  memcpy (buf + 40, &minus, 4);
  memcpy (buf + 44, &f, 4);
  memcpy (buf + 48, &d, 8);
  memcpy (buf + 56, "sl_fifo", 8);

  g_autoptr(SlValue) v = render (t.b, s, buf, sizeof buf);
  g_assert_cmpint (v->kind, ==, SL_VALUE_STRUCT);
  g_assert_cmpstr (v->text, ==, "all");
  guint64 u;
  gint64 i;
  double x;
  const SlValue *m = member (v, "a_u8");
  g_assert_true (m->kind == SL_VALUE_UINT && m->bits == 8 && m->v.u == 200);
  m = member (v, "a_s8");
  g_assert_true (m->kind == SL_VALUE_INT && m->bits == 8 && m->v.i == -5);
  g_assert_true (sl_value_as_u64 (member (v, "a_u16"), &u) && u == 65000);
  m = member (v, "a_s16");
  g_assert_true (m->kind == SL_VALUE_INT && m->bits == 16 && m->v.i == -30000);
  m = member (v, "a_u32");
  g_assert_true (m->kind == SL_VALUE_UINT && m->bits == 32 && m->v.u == 4000000000u);
  g_assert_true (sl_value_as_i64 (member (v, "a_s32"), &i) && i == -7);
  m = member (v, "a_u64");
  g_assert_true (m->kind == SL_VALUE_UINT && m->bits == 64 && m->v.u == G_MAXUINT64);
  m = member (v, "a_s64");
  g_assert_true (m->kind == SL_VALUE_INT && m->v.i == G_MININT64);
  m = member (v, "flag");
  g_assert_true (m->kind == SL_VALUE_BOOL && m->v.b);
  m = member (v, "color");
  g_assert_true (m->kind == SL_VALUE_ENUM && !m->is_signed && m->v.u == 1026);
  g_assert_cmpstr (m->text, ==, "BLUE");
  m = member (v, "delta");
  g_assert_true (m->kind == SL_VALUE_ENUM && m->is_signed && m->v.i == -2);
  g_assert_cmpstr (m->text, ==, "MINUS");
  g_assert_true (sl_value_as_f64 (member (v, "f"), &x) && x == 0.25 && member (v, "f")->bits == 32);
  g_assert_true (sl_value_as_f64 (member (v, "d"), &x) && x == -1.5 && member (v, "d")->bits == 64);
  /* char[8] is an ARRAY of CHAR, nothing else. */
  m = member (v, "name");
  g_assert_cmpint (m->kind, ==, SL_VALUE_ARRAY);
  g_assert_cmpuint (m->len, ==, 8);
  g_assert_cmpuint (m->n_elements, ==, 8);
  g_assert_cmpint (m->elements[0]->kind, ==, SL_VALUE_CHAR);
  g_assert_cmpuint (m->elements[0]->v.c, ==, 's');
  g_assert_cmpuint (m->elements[7]->v.c, ==, 0);

  /* An unresolved enum value keeps its number, variant null. */
  guint32 odd = 77;
  g_autoptr(SlValue) ev = render (t.b, e, &odd, 4);
  g_assert_true (ev->kind == SL_VALUE_ENUM && ev->v.u == 77 && ev->text == NULL);
  guint64 huge = G_GUINT64_CONSTANT (0xffff000000000001);
  g_autoptr(SlValue) hv = render (t.b, e64, &huge, 8);
  g_assert_true (hv->kind == SL_VALUE_ENUM && hv->bits == 64 && hv->v.u == huge);
  g_assert_cmpstr (hv->text, ==, "HUGE");
  btf__free (t.b);
}

static void
test_bitfields_unions_arrays (void)
{
  Types t;
  types_init (&t);
  int e = btf__add_enum (t.b, "mode", 4);
  btf__add_enum_value (t.b, "M_NEG", -1);
  btf__add_enum_value (t.b, "M_ONE", 1);
  int s = btf__add_struct (t.b, "bits", 8);
  btf__add_field (t.b, "lo", t.u32, 0, 3);       /* bits 0-2 */
  btf__add_field (t.b, "neg", t.s32, 3, 5);      /* bits 3-7, signed */
  btf__add_field (t.b, "mode", e, 8, 2);         /* bits 8-9, signed enum */
  btf__add_field (t.b, "wide", t.u64, 10, 40);   /* crosses bytes */
  btf__add_field (t.b, "on", t.boolean, 50, 1);
  guint64 raw = 0;
  raw |= 5;                         /* lo = 5 */
  raw |= (guint64) (0x1e) << 3;     /* neg = 0b11110 = -2 */
  raw |= (guint64) 3 << 8;          /* mode = 0b11 = -1 */
  raw |= (guint64) 0x123456789aull << 10;
  raw |= (guint64) 1 << 50;
  g_autoptr(SlValue) v = render (t.b, s, &raw, 8);
  g_assert_cmpuint (member (v, "lo")->v.u, ==, 5);
  g_assert_true (member (v, "neg")->kind == SL_VALUE_INT && member (v, "neg")->v.i == -2);
  g_assert_true (member (v, "mode")->kind == SL_VALUE_ENUM && member (v, "mode")->v.i == -1);
  g_assert_cmpstr (member (v, "mode")->text, ==, "M_NEG");
  g_assert_cmpuint (member (v, "wide")->v.u, ==, 0x123456789aull);
  g_assert_true (member (v, "on")->kind == SL_VALUE_BOOL && member (v, "on")->v.b);

  /* A union renders every member over the same bytes; arrays of structs. */
  int u = btf__add_union (t.b, "u", 8);
  btf__add_field (t.b, "as_u64", t.u64, 0, 0);
  btf__add_field (t.b, "as_s32", t.s32, 0, 0);
  guint32 arr = btf__add_array (t.b, t.u32, u, 3);
  guint64 vals[3] = { 1, G_MAXUINT64, 0x100000002ull };
  g_autoptr(SlValue) a = render (t.b, arr, vals, sizeof vals);
  g_assert_cmpint (a->kind, ==, SL_VALUE_ARRAY);
  g_assert_cmpuint (a->n_elements, ==, 3);
  g_assert_cmpuint (member (a->elements[1], "as_u64")->v.u, ==, G_MAXUINT64);
  g_assert_cmpint (member (a->elements[1], "as_s32")->v.i, ==, -1);
  g_assert_cmpint (member (a->elements[2], "as_s32")->v.i, ==, 2);
  /* A huge declared array keeps its length but stores at most 4096 elements. */
  guint32 big = btf__add_array (t.b, t.u32, t.u8, 100000);
  g_autofree guint8 *zeros = g_malloc0 (100000);
  g_autoptr(SlValue) b = render (t.b, big, zeros, 100000);
  g_assert_cmpuint (b->len, ==, 100000);
  g_assert_cmpuint (b->n_elements, ==, SL_VALUE_MAX_ELEMENTS);
  btf__free (t.b);
}

static void
test_datasec_truncated_unsupported (void)
{
  Types t;
  types_init (&t);
  int v1 = btf__add_var (t.b, "nr_events", BTF_VAR_GLOBAL_ALLOCATED, t.u64);
  int v2 = btf__add_var (t.b, "weight", BTF_VAR_GLOBAL_ALLOCATED, t.s32);
  int ds = btf__add_datasec (t.b, ".bss", 16);
  btf__add_datasec_var_info (t.b, v1, 0, 8);
  btf__add_datasec_var_info (t.b, v2, 8, 4);
  guint8 data[16] = { 0 };
  guint64 n = 42;
  gint32 w = -3;
  memcpy (data, &n, 8);
  memcpy (data + 8, &w, 4);
  g_autoptr(SlValue) v = render (t.b, ds, data, sizeof data);
  g_assert_cmpint (v->kind, ==, SL_VALUE_STRUCT);
  g_assert_cmpstr (v->text, ==, ".bss");
  g_assert_cmpuint (v->n_members, ==, 2);
  g_assert_cmpuint (member (v, "nr_events")->v.u, ==, 42);
  g_assert_cmpint (member (v, "weight")->v.i, ==, -3);

  /* Short data: TRUNCATED with the members that fitted. */
  g_autoptr(SlValue) tr = render (t.b, ds, data, 10);
  g_assert_cmpint (tr->kind, ==, SL_VALUE_TRUNCATED);
  g_assert_cmpuint (tr->len, ==, 16);
  g_assert_cmpuint (tr->had, ==, 10);
  g_assert_cmpuint (member (tr, "nr_events")->v.u, ==, 42);
  g_assert_null (sl_value_member (tr, "weight"));
  g_autoptr(SlValue) ti = render (t.b, t.u64, data, 4);
  g_assert_cmpint (ti->kind, ==, SL_VALUE_TRUNCATED);

  /* Function prototypes, forward declarations, void, bad ids, modifier loops. */
  int fp = btf__add_func_proto (t.b, t.s32);
  int fwd = btf__add_fwd (t.b, "opaque", BTF_FWD_STRUCT);
  g_autoptr(SlValue) u1 = render (t.b, fp, data, 16);
  g_autoptr(SlValue) u2 = render (t.b, fwd, data, 16);
  g_autoptr(SlValue) u3 = render (t.b, 0, data, 16);
  g_autoptr(SlValue) u4 = render (t.b, 99999, data, 16);
  g_assert_cmpint (u1->kind, ==, SL_VALUE_UNSUPPORTED);
  g_assert_cmpint (u2->kind, ==, SL_VALUE_UNSUPPORTED);
  g_assert_cmpint (u3->kind, ==, SL_VALUE_UNSUPPORTED);
  g_assert_cmpint (u4->kind, ==, SL_VALUE_UNSUPPORTED);
  /* A typedef that refers to itself (only a hostile BTF does that). */
  int loop = btf__add_typedef (t.b, "loop", 0);
  struct btf_type *lt = (struct btf_type *) btf__type_by_id (t.b, loop);
  lt->type = loop;
  g_autoptr(SlValue) u5 = render (t.b, loop, data, 16);
  g_assert_cmpint (u5->kind, ==, SL_VALUE_UNSUPPORTED);
  btf__free (t.b);
}

static void
test_pointers (void)
{
  g_autoptr(Fx) fx = fx_new (FALSE, 0x1400000, 0x200000, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  Types t;
  types_init (&t);
  /* struct node { u64 val; struct node *next; } */
  int pnode = btf__add_ptr (t.b, (int) btf__type_cnt (t.b) + 1);   /* the struct added next */
  int node = btf__add_struct (t.b, "node", 16);
  g_assert_cmpint (node, ==, pnode + 1);
  btf__add_field (t.b, "val", t.u64, 0, 0);
  btf__add_field (t.b, "next", pnode, 64, 0);
  int vptr = btf__add_ptr (t.b, 0);
  /* A cycle of two nodes in guest memory (one in vmalloc space). */
  guint64 a = fx_kmalloc (fx, 16), b = fx_vmalloc (fx, 16);
  fx_write_u64 (fx, a, 11);
  fx_write_u64 (fx, a + 8, b);
  fx_write_u64 (fx, b, 22);
  fx_write_u64 (fx, b + 8, a);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 1 << 20, 0);
  SlRenderCtx ctx;
  sl_btf_render_ctx_init (&ctx, t.b, gk, &kr, 3);
  g_autoptr(SlValue) v = sl_btf_render (&ctx, pnode, (const guint8 *) &a, 8);
  /* a → b → a → (hop limit) */
  g_assert_cmpint (v->kind, ==, SL_VALUE_PTR);
  g_assert_cmpuint (v->v.u, ==, a);
  const SlValue *n1 = v->child;
  g_assert_nonnull (n1);
  g_assert_cmpuint (member (n1, "val")->v.u, ==, 11);
  const SlValue *n2 = member (n1, "next")->child;
  g_assert_cmpuint (member (n2, "val")->v.u, ==, 22);
  const SlValue *n3 = member (n2, "next")->child;
  g_assert_cmpuint (member (n3, "val")->v.u, ==, 11);
  const SlValue *stop = member (n3, "next");
  g_assert_null (stop->child);
  g_assert_cmpstr (stop->text2, ==, "pointer hop limit reached");
  /* Navigation peels pointers. */
  guint64 got;
  g_assert_true (sl_value_as_u64 (sl_value_member (v, "val"), &got) && got == 11);

  guint64 user = 0x7fff0000, wild = G_GUINT64_CONSTANT (0xffff8a80ff000000), zero = 0;
  g_autoptr(SlValue) pu = sl_btf_render (&ctx, pnode, (const guint8 *) &user, 8);
  g_assert_cmpstr (pu->text2, ==, "not a kernel address");
  g_autoptr(SlValue) pw = sl_btf_render (&ctx, pnode, (const guint8 *) &wild, 8);
  g_assert_null (pw->child);
  g_assert_nonnull (pw->text2);   /* outside guest RAM: the read error */
  g_autoptr(SlValue) pz = sl_btf_render (&ctx, pnode, (const guint8 *) &zero, 8);
  g_assert_true (pz->v.u == 0 && pz->child == NULL && pz->text2 == NULL);
  g_autoptr(SlValue) pv = sl_btf_render (&ctx, vptr, (const guint8 *) &a, 8);
  g_assert_nonnull (strstr (pv->text2, "void"));
  btf__free (t.b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/render/scalars", test_scalars);
  g_test_add_func ("/introspect/render/bitfields-unions-arrays", test_bitfields_unions_arrays);
  g_test_add_func ("/introspect/render/datasec-truncated-unsupported", test_datasec_truncated_unsupported);
  g_test_add_func ("/introspect/render/pointers", test_pointers);
  return g_test_run ();
}
