/* Tests of RenderedValue: JSON round trips of every variant, rejection of
 * malformed input with the path in the message, navigation and coercions. */
#include <math.h>
#include <string.h>

#include "sl-types.h"
#include "model-test-util.h"
#include "sl-value.h"

static char *
to_json (const SlValue *v)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();

  sl_value_write_json (v, w);
  return sl_json_writer_steal (w, NULL);
}

static SlValue *
from_text (const char *text, GError **error)
{
  g_autoptr(JsonNode) node = mt_parse_json (text);

  return sl_value_from_json (node, "test", error);
}

/* write → parse → read, checks equality and that the text is stable. */
static void
assert_round_trip (const SlValue *v)
{
  g_autofree char *text = to_json (v);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) back = from_text (text, &error);
  g_autofree char *again = NULL;
  g_autoptr(SlValue) copy = sl_value_copy (v);

  g_assert_no_error (error);
  g_assert_nonnull (back);
  if (!sl_value_equal (v, back))
    g_error ("round trip changed %s", text);
  again = to_json (back);
  g_assert_cmpstr (text, ==, again);
  g_assert_true (sl_value_equal (copy, v));
}

static void
test_kind_names (void)
{
  for (int k = SL_VALUE_INT; k <= SL_VALUE_UNSUPPORTED; k++)
    {
      SlValueKind back;

      g_assert_true (sl_value_kind_parse (sl_value_kind_name (k), &back));
      g_assert_cmpint (back, ==, k);
    }
  g_assert_cmpstr (sl_value_kind_name (SL_VALUE_CPU_LIST), ==, "cpu_list");
  g_assert_false (sl_value_kind_parse ("CpuList", &(SlValueKind) { 0 }));
}

static void
test_round_trip_scalars (void)
{
  SlValue *vals[] = {
    sl_value_new_int (32, -7),
    sl_value_new_int (64, G_MININT64),
    sl_value_new_int (64, G_MAXINT64),
    sl_value_new_uint (64, G_MAXUINT64),
    sl_value_new_uint (8, 0),
    sl_value_new_bool (TRUE),
    sl_value_new_bool (FALSE),
    sl_value_new_char (0),
    sl_value_new_char (255),
    sl_value_new_float (64, 0.25),
    sl_value_new_float (64, NAN),
    sl_value_new_float (32, -0.0),
    sl_value_new_float (64, 1.0 / 3.0),
    sl_value_new_float (64, 5e-324),
    sl_value_new_enum (32, FALSE, 1026, "SCX_EXIT_ERROR_STALL"),
    sl_value_new_enum (32, TRUE, (guint64) (gint64) -5, "NEG"),
    sl_value_new_enum (64, FALSE, G_MAXUINT64, NULL),
    sl_value_new_enum (64, TRUE, (guint64) G_MININT64, NULL),
    sl_value_new_cpu_list ("0-3,6"),
    sl_value_new_cpu_list (""),
    sl_value_new_bytes ("0a 1b 2c"),
    sl_value_new_unsupported ("FuncProto"),
    sl_value_new_ptr (18446612682702848000ULL, NULL, NULL, NULL),
    sl_value_new_ptr (0, NULL, "null pointer", "cast\xe2\x86\x92" "arena (sdt_alloc)"),
    sl_value_new_truncated (16, 8, NULL),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vals); i++)
    {
      assert_round_trip (vals[i]);
      sl_value_free (vals[i]);
    }
}

static void
test_infinities_read_back_as_nan (void)
{
  /* JSON has no infinity: ±inf are written as null like serde_json, and
   * null reads back as NaN. */
  g_autoptr(SlValue) pinf = sl_value_new_float (64, INFINITY);
  g_autoptr(SlValue) ninf = sl_value_new_float (64, -INFINITY);
  g_autofree char *a = to_json (pinf);
  g_autofree char *b = to_json (ninf);
  g_autoptr(SlValue) back = NULL;

  g_assert_cmpstr (a, ==, "{\"kind\":\"float\",\"bits\":64,\"value\":null}");
  g_assert_cmpstr (b, ==, a);
  back = from_text (a, NULL);
  g_assert_nonnull (back);
  g_assert_true (isnan (back->v.f));
}

static SlValue *
make_tree (void)
{
  SlValue *root = sl_value_new_struct (".bss");
  SlValue *inner = sl_value_new_struct (NULL);
  SlValue *arr = sl_value_new_array (8);
  SlValue *uni = sl_value_new_struct ("u");

  sl_value_struct_add (inner, "weight", sl_value_new_uint (32, 100));
  sl_value_struct_add (inner, "名前", sl_value_new_cpu_list ("1"));
  for (int i = 0; i < 5; i++)
    sl_value_array_add (arr, sl_value_new_int (32, -i));
  sl_value_struct_add (uni, "", sl_value_new_uint (16, 3));
  sl_value_struct_add (root, "nr_dispatched", sl_value_new_uint (64, G_MAXUINT64));
  sl_value_struct_add (root, "cfg", inner);
  sl_value_struct_add (root, "hist", arr);
  sl_value_struct_add (root, "ptr", sl_value_new_ptr (0xffff888000001000ULL,
                                                       sl_value_new_ptr (0x1000, sl_value_copy (inner), NULL, "sdt_alloc"),
                                                       NULL, NULL));
  sl_value_struct_add (root, "trunc", sl_value_new_truncated (16, 8, sl_value_new_bytes ("01 02")));
  sl_value_struct_add (root, "anon", uni);
  sl_value_struct_add (root, "state", sl_value_new_enum (32, FALSE, 2, "RUNNING"));
  sl_value_struct_add (root, "ratio", sl_value_new_float (64, 0.75));
  sl_value_struct_add (root, "empty", sl_value_new_struct ("e"));
  sl_value_struct_add (root, "none", sl_value_new_array (0));
  return root;
}

static void
test_round_trip_tree (void)
{
  g_autoptr(SlValue) tree = make_tree ();
  g_autoptr(SlValue) other = make_tree ();

  assert_round_trip (tree);
  g_assert_true (sl_value_equal (tree, other));
  /* A change deep inside is seen. */
  other->members[3].value->child->child->members[0].value->v.u = 101;
  g_assert_false (sl_value_equal (tree, other));
}

static void
test_many_members_grow (void)
{
  g_autoptr(SlValue) s = sl_value_new_struct ("big");
  g_autoptr(SlValue) a = sl_value_new_array (G_MAXUINT64);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u", i);

      sl_value_struct_add (s, name, sl_value_new_uint (32, i));
      sl_value_array_add (a, sl_value_new_char ((guint8) i));
    }
  g_assert_cmpuint (s->n_members, ==, 1000);
  g_assert_cmpuint (sl_value_member (s, "m999")->v.u, ==, 999);
  g_assert_cmpuint (sl_value_index (a, 999)->v.c, ==, 999 % 256);
  assert_round_trip (s);
  assert_round_trip (a);
}

static void
test_optional_keys_shapes (void)
{
  g_autoptr(SlValue) ptr = sl_value_new_ptr (5, NULL, NULL, NULL);
  g_autoptr(SlValue) ptr_full = sl_value_new_ptr (5, sl_value_new_bool (TRUE), "why", "cast\xe2\x86\x92kernel");
  g_autoptr(SlValue) tr = sl_value_new_truncated (16, 8, NULL);
  g_autoptr(SlValue) en = sl_value_new_enum (32, FALSE, 1, NULL);
  g_autoptr(SlValue) st = sl_value_new_struct (NULL);
  g_autofree char *a = to_json (ptr);
  g_autofree char *b = to_json (ptr_full);
  g_autofree char *c = to_json (tr);
  g_autofree char *d = to_json (en);
  g_autofree char *e = to_json (st);

  g_assert_cmpstr (a, ==, "{\"kind\":\"ptr\",\"value\":5}");
  g_assert_cmpstr (b, ==, "{\"kind\":\"ptr\",\"value\":5,\"deref\":{\"kind\":\"bool\",\"value\":true},"
                          "\"deref_skipped_reason\":\"why\",\"cast_annotation\":\"cast\xe2\x86\x92kernel\"}");
  g_assert_cmpstr (c, ==, "{\"kind\":\"truncated\",\"needed\":16,\"had\":8}");
  g_assert_cmpstr (d, ==, "{\"kind\":\"enum\",\"bits\":32,\"value\":1,\"variant\":null,\"is_signed\":false}");
  g_assert_cmpstr (e, ==, "{\"kind\":\"struct\",\"type_name\":null,\"members\":[]}");
  {
    g_autoptr(SlValue) all_ones = sl_value_new_enum (64, FALSE, G_MAXUINT64, "ALL");
    g_autofree char *f = to_json (all_ones);

    /* ktstr's enum value is an i64: an unsigned all-ones enum is written -1. */
    g_assert_cmpstr (f, ==, "{\"kind\":\"enum\",\"bits\":64,\"value\":-1,\"variant\":\"ALL\",\"is_signed\":false}");
  }
}

static void
test_defaults_on_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) en = from_text ("{\"kind\":\"enum\",\"bits\":8,\"value\":3}", &error);
  g_autoptr(SlValue) st = from_text ("{\"kind\":\"struct\",\"members\":[]}", &error);
  g_autoptr(SlValue) ptr = from_text ("{\"kind\":\"ptr\",\"value\":7,\"deref\":null,\"cast_annotation\":null}", &error);
  g_autoptr(SlValue) tr = from_text ("{\"kind\":\"truncated\",\"needed\":4,\"had\":2,\"partial\":null}", &error);
  g_autoptr(SlValue) extra = from_text ("{\"kind\":\"uint\",\"bits\":8,\"value\":3,\"future\":[1,2]}", &error);
  g_autoptr(SlValue) big = from_text ("{\"kind\":\"uint\",\"bits\":64,\"value\":18446744073709551615}", &error);
  g_autoptr(SlValue) fl = from_text ("{\"kind\":\"float\",\"bits\":64,\"value\":2}", &error);

  g_assert_no_error (error);
  g_assert_false (en->is_signed);
  g_assert_null (en->text);
  g_assert_null (st->text);
  g_assert_null (ptr->child);
  g_assert_null (ptr->text);
  g_assert_null (ptr->text2);
  g_assert_null (tr->child);
  g_assert_cmpuint (extra->v.u, ==, 3);
  g_assert_cmpuint (big->v.u, ==, G_MAXUINT64);
  g_assert_cmpfloat (fl->v.f, ==, 2.0);
}

static void
assert_rejected (const char *text, int code, const char *expected_fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) v = from_text (text, &error);

  g_assert_null (v);
  g_assert_error (error, SL_ERROR, code);
  if (strstr (error->message, expected_fragment) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, expected_fragment);
}

static void
test_rejects_malformed (void)
{
  assert_rejected ("[]", SL_ERROR_CORRUPT, "test: a value must be an object, found an array");
  assert_rejected ("{\"bits\":3}", SL_ERROR_CORRUPT, "test: key \"kind\" must be a string, found missing");
  assert_rejected ("{\"kind\":\"foo\"}", SL_ERROR_CORRUPT, "test: unknown kind \"foo\"");
  assert_rejected ("{\"kind\":\"int\",\"bits\":32}", SL_ERROR_CORRUPT, "key \"value\" must be an integer, found missing");
  assert_rejected ("{\"kind\":\"int\",\"bits\":32,\"value\":1.5}", SL_ERROR_CORRUPT, "found a float");
  assert_rejected ("{\"kind\":\"uint\",\"bits\":70000,\"value\":1}", SL_ERROR_CORRUPT, "\"bits\" out of range");
  assert_rejected ("{\"kind\":\"uint\",\"bits\":\"64\",\"value\":1}", SL_ERROR_CORRUPT, "found a string");
  assert_rejected ("{\"kind\":\"bool\",\"value\":1}", SL_ERROR_CORRUPT, "\"value\" must be a boolean");
  assert_rejected ("{\"kind\":\"char\",\"value\":256}", SL_ERROR_CORRUPT, "out of range for a char");
  assert_rejected ("{\"kind\":\"float\",\"bits\":64,\"value\":\"x\"}", SL_ERROR_CORRUPT, "number or null");
  assert_rejected ("{\"kind\":\"enum\",\"bits\":8,\"value\":1,\"is_signed\":1}", SL_ERROR_CORRUPT, "\"is_signed\" must be a boolean");
  assert_rejected ("{\"kind\":\"enum\",\"bits\":8,\"value\":1,\"variant\":3}", SL_ERROR_CORRUPT, "\"variant\" must be a string");
  assert_rejected ("{\"kind\":\"struct\",\"type_name\":1,\"members\":[]}", SL_ERROR_CORRUPT, "\"type_name\"");
  assert_rejected ("{\"kind\":\"struct\",\"members\":{}}", SL_ERROR_CORRUPT, "\"members\" must be an array");
  assert_rejected ("{\"kind\":\"struct\",\"members\":[3]}", SL_ERROR_CORRUPT, "test.members[0]: member must be an object");
  assert_rejected ("{\"kind\":\"struct\",\"members\":[{\"value\":{\"kind\":\"bool\",\"value\":true}}]}",
                   SL_ERROR_CORRUPT, "test.members[0]: key \"name\" must be a string");
  assert_rejected ("{\"kind\":\"array\",\"len\":\"5\",\"elements\":[]}", SL_ERROR_CORRUPT, "\"len\" must be an integer, found a string");
  assert_rejected ("{\"kind\":\"array\",\"elements\":[]}", SL_ERROR_CORRUPT, "\"len\" must be an integer");
  assert_rejected ("{\"kind\":\"cpu_list\"}", SL_ERROR_CORRUPT, "\"cpus\" must be a string");
  assert_rejected ("{\"kind\":\"bytes\",\"hex\":null}", SL_ERROR_CORRUPT, "\"hex\" must be a string");
  assert_rejected ("{\"kind\":\"unsupported\",\"reason\":[]}", SL_ERROR_CORRUPT, "\"reason\" must be a string");
  assert_rejected ("{\"kind\":\"ptr\",\"value\":1,\"deref\":5}", SL_ERROR_CORRUPT, "test.deref: a value must be an object");
  assert_rejected ("{\"kind\":\"truncated\",\"needed\":1,\"had\":0,\"partial\":{\"kind\":\"zzz\"}}",
                   SL_ERROR_CORRUPT, "test.partial: unknown kind \"zzz\"");
}

static void
test_error_names_nested_path (void)
{
  const char *text =
    "{\"kind\":\"struct\",\"type_name\":\".bss\",\"members\":["
    "{\"name\":\"a\",\"value\":{\"kind\":\"bool\",\"value\":true}},"
    "{\"name\":\"b\",\"value\":{\"kind\":\"array\",\"len\":3,\"elements\":["
    "{\"kind\":\"uint\",\"bits\":8,\"value\":1},"
    "{\"kind\":\"ptr\",\"value\":1,\"deref\":{\"kind\":\"struct\",\"members\":["
    "{\"name\":\"x\",\"value\":{\"kind\":\"foo\"}}]}}]}}]}";
  g_autoptr(JsonNode) node = mt_parse_json (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) v = sl_value_from_json (node, "record 3 (byte 812): report.maps[2].value", &error);

  g_assert_null (v);
  g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==,
                   "record 3 (byte 812): report.maps[2].value.members[1].value.elements[1].deref"
                   ".members[0].value: unknown kind \"foo\"");
}

static void
test_rejects_too_deep (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) v = NULL;
  g_autoptr(SlValue) ok = NULL;
  int levels = SL_VALUE_MAX_DEPTH + 1;

  for (int i = 0; i < levels - 1; i++)
    g_string_append (text, "{\"kind\":\"ptr\",\"value\":1,\"deref\":");
  g_string_append (text, "{\"kind\":\"bool\",\"value\":true}");
  for (int i = 0; i < levels - 1; i++)
    g_string_append_c (text, '}');
  v = from_text (text->str, &error);
  g_assert_null (v);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "nested deeper than 64 levels"));
  g_assert_nonnull (strstr (error->message, "test.deref.deref."));
  g_clear_error (&error);

  /* Exactly the maximum is accepted. */
  g_string_truncate (text, 0);
  for (int i = 0; i < SL_VALUE_MAX_DEPTH - 1; i++)
    g_string_append (text, "{\"kind\":\"ptr\",\"value\":1,\"deref\":");
  g_string_append (text, "{\"kind\":\"bool\",\"value\":true}");
  for (int i = 0; i < SL_VALUE_MAX_DEPTH - 1; i++)
    g_string_append_c (text, '}');
  ok = from_text (text->str, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
}

static void
test_rejects_too_many_elements (void)
{
  g_autoptr(GString) text = g_string_new ("{\"kind\":\"array\",\"len\":5000,\"elements\":[");
  g_autoptr(GString) members = g_string_new ("{\"kind\":\"struct\",\"members\":[");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlValue) v = NULL;

  for (int i = 0; i <= SL_VALUE_MAX_ELEMENTS; i++)
    {
      g_string_append (text, i ? ",{\"kind\":\"char\",\"value\":1}" : "{\"kind\":\"char\",\"value\":1}");
      g_string_append_printf (members, "%s{\"name\":\"m%d\",\"value\":{\"kind\":\"char\",\"value\":1}}", i ? "," : "", i);
    }
  g_string_append (text, "]}");
  g_string_append (members, "]}");
  v = from_text (text->str, &error);
  g_assert_null (v);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "test: key \"elements\" has 4097 items (at most 4096 allowed)"));
  g_clear_error (&error);
  v = from_text (members->str, &error);
  g_assert_null (v);
  g_assert_error (error, SL_ERROR, SL_ERROR_TOO_LARGE);
}

static void
test_navigation (void)
{
  g_autoptr(SlValue) tree = make_tree ();
  const SlValue *cfg, *through_ptr, *hist, *trunc;

  cfg = sl_value_member (tree, "cfg");
  g_assert_nonnull (cfg);
  g_assert_cmpuint (sl_value_member (cfg, "weight")->v.u, ==, 100);
  g_assert_cmpstr (sl_value_member (cfg, "名前")->text, ==, "1");
  g_assert_null (sl_value_member (cfg, "nope"));
  g_assert_null (sl_value_member (sl_value_member (cfg, "weight"), "x"));

  /* Two pointer hops are followed transparently. */
  through_ptr = sl_value_member (sl_value_member (tree, "ptr"), "weight");
  g_assert_nonnull (through_ptr);
  g_assert_cmpuint (through_ptr->v.u, ==, 100);
  /* The member itself is the pointer: coercion reads its address. */
  g_assert_cmpint (sl_value_member (tree, "ptr")->kind, ==, SL_VALUE_PTR);

  hist = sl_value_member (tree, "hist");
  g_assert_cmpint (sl_value_index (hist, 4)->v.i, ==, -4);
  g_assert_null (sl_value_index (hist, 5));
  g_assert_null (sl_value_index (cfg, 0));

  trunc = sl_value_peel (sl_value_member (tree, "trunc"));
  g_assert_cmpint (trunc->kind, ==, SL_VALUE_BYTES);
  g_assert_cmpuint (sl_value_member (sl_value_member (tree, "anon"), "")->v.u, ==, 3);
  g_assert_null (sl_value_peel (NULL));
}

static void
test_peel_limits (void)
{
  SlValue *v = sl_value_new_uint (8, 9);
  g_autoptr(SlValue) bare = sl_value_new_ptr (42, NULL, "unmapped", NULL);
  g_autoptr(SlValue) chain16 = NULL;

  /* A pointer without deref peels to itself. */
  g_assert_true (sl_value_peel (bare) == bare);

  for (int i = 0; i < 16; i++)
    v = (i % 2) ? sl_value_new_ptr (i, v, NULL, NULL) : sl_value_new_truncated (8, 4, v);
  chain16 = v;
  g_assert_nonnull (sl_value_peel (chain16));
  g_assert_cmpuint (sl_value_peel (chain16)->v.u, ==, 9);
  {
    g_autoptr(SlValue) chain17 = sl_value_new_ptr (1, sl_value_copy (chain16), NULL, NULL);

    g_assert_null (sl_value_peel (chain17));
    g_assert_null (sl_value_member (chain17, "x"));
  }
}

static void
test_coerce_u64 (void)
{
  g_autoptr(SlValue) u = sl_value_new_uint (64, G_MAXUINT64);
  g_autoptr(SlValue) ipos = sl_value_new_int (32, 5);
  g_autoptr(SlValue) ineg = sl_value_new_int (32, -1);
  g_autoptr(SlValue) b = sl_value_new_bool (TRUE);
  g_autoptr(SlValue) c = sl_value_new_char (200);
  g_autoptr(SlValue) es_neg = sl_value_new_enum (32, TRUE, (guint64) (gint64) -2, NULL);
  g_autoptr(SlValue) es_pos = sl_value_new_enum (32, TRUE, 7, NULL);
  g_autoptr(SlValue) eu = sl_value_new_enum (64, FALSE, G_MAXUINT64, NULL);
  g_autoptr(SlValue) p = sl_value_new_ptr (0xffff888000000000ULL, sl_value_new_uint (8, 1), NULL, NULL);
  g_autoptr(SlValue) f = sl_value_new_float (64, 1.0);
  g_autoptr(SlValue) s = sl_value_new_struct (NULL);
  guint64 out = 0;

  g_assert_true (sl_value_as_u64 (u, &out)); g_assert_cmpuint (out, ==, G_MAXUINT64);
  g_assert_true (sl_value_as_u64 (ipos, &out)); g_assert_cmpuint (out, ==, 5);
  g_assert_false (sl_value_as_u64 (ineg, &out));
  g_assert_true (sl_value_as_u64 (b, &out)); g_assert_cmpuint (out, ==, 1);
  g_assert_true (sl_value_as_u64 (c, &out)); g_assert_cmpuint (out, ==, 200);
  g_assert_false (sl_value_as_u64 (es_neg, &out));
  g_assert_true (sl_value_as_u64 (es_pos, &out)); g_assert_cmpuint (out, ==, 7);
  g_assert_true (sl_value_as_u64 (eu, &out)); g_assert_cmpuint (out, ==, G_MAXUINT64);
  g_assert_true (sl_value_as_u64 (p, &out)); g_assert_cmpuint (out, ==, 0xffff888000000000ULL);
  g_assert_false (sl_value_as_u64 (f, &out));
  g_assert_false (sl_value_as_u64 (s, &out));
  g_assert_false (sl_value_as_u64 (NULL, &out));
}

static void
test_coerce_i64 (void)
{
  g_autoptr(SlValue) i = sl_value_new_int (64, G_MININT64);
  g_autoptr(SlValue) u_ok = sl_value_new_uint (64, G_MAXINT64);
  g_autoptr(SlValue) u_big = sl_value_new_uint (64, (guint64) G_MAXINT64 + 1);
  g_autoptr(SlValue) b = sl_value_new_bool (FALSE);
  g_autoptr(SlValue) c = sl_value_new_char (97);
  g_autoptr(SlValue) es = sl_value_new_enum (32, TRUE, (guint64) (gint64) -2, NULL);
  g_autoptr(SlValue) eu = sl_value_new_enum (32, FALSE, 1026, NULL);
  g_autoptr(SlValue) p = sl_value_new_ptr (1, NULL, NULL, NULL);
  g_autoptr(SlValue) f = sl_value_new_float (64, 1.0);
  gint64 out = 0;

  g_assert_true (sl_value_as_i64 (i, &out)); g_assert_cmpint (out, ==, G_MININT64);
  g_assert_true (sl_value_as_i64 (u_ok, &out)); g_assert_cmpint (out, ==, G_MAXINT64);
  g_assert_false (sl_value_as_i64 (u_big, &out));
  g_assert_true (sl_value_as_i64 (b, &out)); g_assert_cmpint (out, ==, 0);
  g_assert_true (sl_value_as_i64 (c, &out)); g_assert_cmpint (out, ==, 97);
  g_assert_true (sl_value_as_i64 (es, &out)); g_assert_cmpint (out, ==, -2);
  g_assert_true (sl_value_as_i64 (eu, &out)); g_assert_cmpint (out, ==, 1026);
  g_assert_false (sl_value_as_i64 (p, &out));
  g_assert_false (sl_value_as_i64 (f, &out));
}

static void
test_coerce_f64 (void)
{
  g_autoptr(SlValue) f = sl_value_new_float (64, NAN);
  g_autoptr(SlValue) i = sl_value_new_int (32, -3);
  g_autoptr(SlValue) u = sl_value_new_uint (64, G_MAXUINT64);
  g_autoptr(SlValue) es = sl_value_new_enum (32, TRUE, (guint64) (gint64) -2, NULL);
  g_autoptr(SlValue) eu = sl_value_new_enum (64, FALSE, G_MAXUINT64, NULL);
  g_autoptr(SlValue) b = sl_value_new_bool (TRUE);
  g_autoptr(SlValue) c = sl_value_new_char (1);
  g_autoptr(SlValue) p = sl_value_new_ptr (1, NULL, NULL, NULL);
  double out = 0;

  g_assert_true (sl_value_as_f64 (f, &out)); g_assert_true (isnan (out));
  g_assert_true (sl_value_as_f64 (i, &out)); g_assert_cmpfloat (out, ==, -3.0);
  g_assert_true (sl_value_as_f64 (u, &out)); g_assert_cmpfloat (out, ==, 18446744073709551616.0);
  g_assert_true (sl_value_as_f64 (es, &out)); g_assert_cmpfloat (out, ==, -2.0);
  /* ktstr widens the enum's stored i64, so an unsigned all-ones enum is -1. */
  g_assert_true (sl_value_as_f64 (eu, &out)); g_assert_cmpfloat (out, ==, -1.0);
  g_assert_false (sl_value_as_f64 (b, &out));
  g_assert_false (sl_value_as_f64 (c, &out));
  g_assert_false (sl_value_as_f64 (p, &out));
}

static void
test_coerce_bool_and_str (void)
{
  g_autoptr(SlValue) bt = sl_value_new_bool (TRUE);
  g_autoptr(SlValue) i0 = sl_value_new_int (32, 0);
  g_autoptr(SlValue) ineg = sl_value_new_int (32, -1);
  g_autoptr(SlValue) u = sl_value_new_uint (8, 2);
  g_autoptr(SlValue) c0 = sl_value_new_char (0);
  g_autoptr(SlValue) f = sl_value_new_float (64, 0.5);
  g_autoptr(SlValue) f0 = sl_value_new_float (64, -0.0);
  g_autoptr(SlValue) e = sl_value_new_enum (32, FALSE, 1, "ONE");
  g_autoptr(SlValue) e_unres = sl_value_new_enum (32, FALSE, 0, NULL);
  g_autoptr(SlValue) cl = sl_value_new_cpu_list ("0");
  g_autoptr(SlValue) by = sl_value_new_bytes ("00");
  gboolean out = FALSE;

  g_assert_true (sl_value_as_bool (bt, &out)); g_assert_true (out);
  g_assert_true (sl_value_as_bool (i0, &out)); g_assert_false (out);
  g_assert_true (sl_value_as_bool (ineg, &out)); g_assert_true (out);
  g_assert_true (sl_value_as_bool (u, &out)); g_assert_true (out);
  g_assert_true (sl_value_as_bool (c0, &out)); g_assert_false (out);
  g_assert_false (sl_value_as_bool (f, &out));
  g_assert_false (sl_value_as_bool (f0, &out));
  g_assert_true (sl_value_as_bool (e, &out)); g_assert_true (out);
  g_assert_false (sl_value_as_bool (cl, &out));
  g_assert_false (sl_value_as_bool (by, &out));

  g_assert_cmpstr (sl_value_as_str (e), ==, "ONE");
  g_assert_null (sl_value_as_str (e_unres));
  g_assert_null (sl_value_as_str (cl));
  g_assert_null (sl_value_as_str (NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/value/kind-names", test_kind_names);
  g_test_add_func ("/model/value/round-trip-scalars", test_round_trip_scalars);
  g_test_add_func ("/model/value/infinities", test_infinities_read_back_as_nan);
  g_test_add_func ("/model/value/round-trip-tree", test_round_trip_tree);
  g_test_add_func ("/model/value/many-members", test_many_members_grow);
  g_test_add_func ("/model/value/optional-keys-shapes", test_optional_keys_shapes);
  g_test_add_func ("/model/value/defaults-on-read", test_defaults_on_read);
  g_test_add_func ("/model/value/rejects-malformed", test_rejects_malformed);
  g_test_add_func ("/model/value/error-path", test_error_names_nested_path);
  g_test_add_func ("/model/value/rejects-too-deep", test_rejects_too_deep);
  g_test_add_func ("/model/value/rejects-too-many", test_rejects_too_many_elements);
  g_test_add_func ("/model/value/navigation", test_navigation);
  g_test_add_func ("/model/value/peel-limits", test_peel_limits);
  g_test_add_func ("/model/value/as-u64", test_coerce_u64);
  g_test_add_func ("/model/value/as-i64", test_coerce_i64);
  g_test_add_func ("/model/value/as-f64", test_coerce_f64);
  g_test_add_func ("/model/value/as-bool-str", test_coerce_bool_and_str);
  return g_test_run ();
}
