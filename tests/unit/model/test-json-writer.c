/* Tests of the streaming JSON writer and the shared JSON number readers. */
#include <locale.h>
#include <math.h>
#include <string.h>

#include "model-test-util.h"
#include "sl-json-writer.h"

static char *
write_f64 (double v)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();

  sl_json_writer_f64 (w, v);
  return sl_json_writer_steal (w, NULL);
}

static void
test_structure_and_commas (void)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;
  gsize len;

  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "a");
  sl_json_writer_begin_array (w);
  sl_json_writer_u64 (w, 1);
  sl_json_writer_begin_object (w);
  sl_json_writer_end_object (w);
  sl_json_writer_begin_array (w);
  sl_json_writer_end_array (w);
  sl_json_writer_null (w);
  sl_json_writer_end_array (w);
  sl_json_writer_key (w, "b");
  sl_json_writer_bool (w, TRUE);
  sl_json_writer_key (w, "c");
  sl_json_writer_string (w, NULL);
  sl_json_writer_key (w, "d");
  sl_json_writer_i64 (w, -3);
  sl_json_writer_end_object (w);
  text = sl_json_writer_steal (w, &len);
  g_assert_cmpstr (text, ==, "{\"a\":[1,{},[],null],\"b\":true,\"c\":null,\"d\":-3}");
  g_assert_cmpuint (len, ==, strlen (text));

  /* The writer is reset after a steal. */
  sl_json_writer_u64 (w, 7);
  g_assert_cmpstr (sl_json_writer_get_buffer (w)->str, ==, "7");
}

static void
test_integers_exact (void)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *a;
  guint64 u;
  gint64 i;

  sl_json_writer_begin_array (w);
  sl_json_writer_u64 (w, G_MAXUINT64);
  sl_json_writer_i64 (w, G_MININT64);
  sl_json_writer_i64 (w, G_MAXINT64);
  sl_json_writer_u64 (w, 0);
  sl_json_writer_end_array (w);
  text = sl_json_writer_steal (w, NULL);
  g_assert_cmpstr (text, ==, "[18446744073709551615,-9223372036854775808,9223372036854775807,0]");

  root = mt_parse_json (text);
  a = json_node_get_array (root);
  g_assert_true (sl_json_node_get_u64 (json_array_get_element (a, 0), &u));
  g_assert_cmpuint (u, ==, G_MAXUINT64);
  g_assert_true (sl_json_node_get_i64 (json_array_get_element (a, 1), &i));
  g_assert_cmpint (i, ==, G_MININT64);
  g_assert_true (sl_json_node_get_i64 (json_array_get_element (a, 2), &i));
  g_assert_cmpint (i, ==, G_MAXINT64);
  g_assert_true (sl_json_node_get_u64 (json_array_get_element (a, 3), &u));
  g_assert_cmpuint (u, ==, 0);
}

static void
test_number_readers_reject (void)
{
  g_autoptr(JsonNode) root = mt_parse_json ("[1.5, \"3\", true, null, {}, 4]");
  JsonArray *a = json_node_get_array (root);
  guint64 u;
  gint64 i;
  double f;

  g_assert_false (sl_json_node_get_u64 (json_array_get_element (a, 0), &u));
  g_assert_false (sl_json_node_get_u64 (json_array_get_element (a, 1), &u));
  g_assert_false (sl_json_node_get_i64 (json_array_get_element (a, 2), &i));
  g_assert_false (sl_json_node_get_i64 (json_array_get_element (a, 3), &i));
  g_assert_false (sl_json_node_get_u64 (NULL, &u));
  g_assert_true (sl_json_node_get_f64 (json_array_get_element (a, 0), &f));
  g_assert_cmpfloat (f, ==, 1.5);
  g_assert_false (sl_json_node_get_f64 (json_array_get_element (a, 1), &f));
  g_assert_false (sl_json_node_get_f64 (json_array_get_element (a, 2), &f));
  g_assert_true (sl_json_node_get_f64 (json_array_get_element (a, 3), &f));
  g_assert_true (isnan (f));
  g_assert_false (sl_json_node_get_f64 (json_array_get_element (a, 4), &f));
  g_assert_true (sl_json_node_get_f64 (json_array_get_element (a, 5), &f));
  g_assert_cmpfloat (f, ==, 4.0);
}

static void
test_floats_shortest (void)
{
  static const struct { double v; const char *text; } cases[] = {
    { 0.25, "0.25" },
    { 0.1, "0.1" },
    { 3.0, "3.0" },
    { -2.0, "-2.0" },
    { 0.0, "0.0" },
    { -0.0, "-0.0" },
    { 1e20, "1e+20" },
    { 1.5e-7, "1.5e-07" },
    { 0.30000000000000004, "0.30000000000000004" },
    { 123456789012345.0, "123456789012345.0" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = write_f64 (cases[i].v);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_floats_non_finite_are_null (void)
{
  g_autofree char *a = write_f64 (NAN);
  g_autofree char *b = write_f64 (INFINITY);
  g_autofree char *c = write_f64 (-INFINITY);

  g_assert_cmpstr (a, ==, "null");
  g_assert_cmpstr (b, ==, "null");
  g_assert_cmpstr (c, ==, "null");
}

/* Random bit patterns survive write → json-glib parse bit-exactly. */
static void
test_floats_round_trip_random (void)
{
  static const double specials[] = { 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                                     -1.7976931348623157e308, 1.0 / 3.0, 2.0 / 3.0, 1e-300, 9007199254740993.0 };
  GRand *rand = g_rand_new_with_seed (12345);

  for (guint n = 0; n < 20000 + G_N_ELEMENTS (specials); n++)
    {
      double v, back;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (n < G_N_ELEMENTS (specials))
        v = specials[n];
      else
        {
          guint64 bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

          memcpy (&v, &bits, sizeof v);
          if (!isfinite (v))
            continue;
        }
      text = write_f64 (v);
      g_assert_cmpuint (strlen (text), <=, 25);
      node = mt_parse_json (text);
      g_assert_true (sl_json_node_get_f64 (node, &back));
      if (memcmp (&v, &back, sizeof v) != 0)
        g_error ("%.17g written as %s read back as %.17g", v, text, back);
    }
  g_rand_free (rand);
}

static void
test_floats_ignore_locale (void)
{
  const char *old = setlocale (LC_NUMERIC, NULL);
  g_autofree char *saved = g_strdup (old);
  g_autofree char *text = NULL;

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL && setlocale (LC_NUMERIC, "fr_FR.UTF-8") == NULL)
    {
      g_test_skip ("no locale with a decimal comma is installed");
      return;
    }
  text = write_f64 (1.5);
  setlocale (LC_NUMERIC, saved);
  g_assert_cmpstr (text, ==, "1.5");
}

static void
test_string_escaping (void)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *a;

  sl_json_writer_begin_array (w);
  sl_json_writer_string (w, "quote\" back\\ nl\n tab\t cr\r bs\b ff\f bel\x07 us\x1f del\x7f");
  sl_json_writer_string (w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  sl_json_writer_string (w, "bad\xff\xfe end \xc3");
  sl_json_writer_string (w, "\xe2\x82 trunc");
  sl_json_writer_string (w, "sur\xed\xa0\x80 over\xc0\xaf big\xf4\x90\x80\x80 nul");
  sl_json_writer_end_array (w);
  text = sl_json_writer_steal (w, NULL);
  g_assert_nonnull (strstr (text, "\\u0007"));
  g_assert_nonnull (strstr (text, "\\u001f"));
  g_assert_true (g_utf8_validate (text, -1, NULL));

  root = mt_parse_json (text);
  a = json_node_get_array (root);
  g_assert_cmpstr (json_array_get_string_element (a, 0), ==,
                   "quote\" back\\ nl\n tab\t cr\r bs\b ff\f bel\x07 us\x1f del\x7f");
  g_assert_cmpstr (json_array_get_string_element (a, 1), ==, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  g_assert_cmpstr (json_array_get_string_element (a, 2), ==,
                   "bad\xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd");
  g_assert_true (g_str_has_suffix (json_array_get_string_element (a, 3), " trunc"));
  g_assert_true (g_utf8_validate (json_array_get_string_element (a, 3), -1, NULL));
  /* Surrogates, overlong forms and code points past U+10FFFF are replaced. */
  {
    const char *e = json_array_get_string_element (a, 4);

    g_assert_true (g_utf8_validate (e, -1, NULL));
    g_assert_true (g_str_has_prefix (e, "sur\xef\xbf\xbd"));
    g_assert_nonnull (strstr (e, " over\xef\xbf\xbd"));
    g_assert_true (g_str_has_suffix (e, " nul"));
    g_assert_null (strstr (e, "\xed\xa0"));
  }
}

static void
test_key_escaping (void)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;

  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "a\"b\n");
  sl_json_writer_u64 (w, 1);
  sl_json_writer_end_object (w);
  text = sl_json_writer_steal (w, NULL);
  root = mt_parse_json (text);
  g_assert_true (json_object_has_member (json_node_get_object (root), "a\"b\n"));
}

static void
test_node_verbatim (void)
{
  const char *src = "{\"z\":1,\"a\":[true,null,\"s\\n\",2.5,{\"x\":-1}],\"m\":{}}";
  g_autoptr(JsonNode) root = mt_parse_json (src);
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;

  sl_json_writer_begin_array (w);
  sl_json_writer_node (w, root);
  sl_json_writer_node (w, NULL);
  sl_json_writer_end_array (w);
  text = sl_json_writer_steal (w, NULL);
  /* Member order is kept, so the text matches. */
  g_assert_cmpstr (text, ==, "[{\"z\":1,\"a\":[true,null,\"s\\n\",2.5,{\"x\":-1}],\"m\":{}},null]");
}

static void
test_big_u64_survives_node_copy (void)
{
  g_autoptr(JsonNode) root = mt_parse_json ("{\"c\":18446744073709551615}");
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) back = NULL;
  guint64 u = 0;

  sl_json_writer_node (w, root);
  text = sl_json_writer_steal (w, NULL);
  back = mt_parse_json (text);
  g_assert_true (sl_json_node_get_u64 (json_object_get_member (json_node_get_object (back), "c"), &u));
  g_assert_cmpuint (u, ==, G_MAXUINT64);
}

static void
test_depth (void)
{
  g_autoptr(JsonNode) scalar = mt_parse_json ("3");
  g_autoptr(JsonNode) flat = mt_parse_json ("{\"a\":1,\"b\":[]}");
  g_autoptr(JsonNode) deep = mt_parse_json ("[[[[{\"a\":[[1]]}]]]]");
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(JsonNode) huge_node = NULL;

  g_assert_cmpuint (sl_json_node_depth (scalar, 10), ==, 0);
  g_assert_cmpuint (sl_json_node_depth (flat, 10), ==, 2);
  g_assert_cmpuint (sl_json_node_depth (deep, 10), ==, 7);
  g_assert_cmpuint (sl_json_node_depth (deep, 3), ==, 4);
  g_assert_cmpuint (sl_json_node_depth (deep, 0), ==, 1);

  for (int i = 0; i < 500; i++)
    g_string_append_c (huge, '[');
  for (int i = 0; i < 500; i++)
    g_string_append_c (huge, ']');
  huge_node = mt_parse_json (huge->str);
  g_assert_cmpuint (sl_json_node_depth (huge_node, 64), ==, 65);
  g_assert_cmpuint (sl_json_node_depth (huge_node, 1000), ==, 500);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/json-writer/structure", test_structure_and_commas);
  g_test_add_func ("/model/json-writer/integers-exact", test_integers_exact);
  g_test_add_func ("/model/json-writer/number-readers-reject", test_number_readers_reject);
  g_test_add_func ("/model/json-writer/floats-shortest", test_floats_shortest);
  g_test_add_func ("/model/json-writer/floats-non-finite", test_floats_non_finite_are_null);
  g_test_add_func ("/model/json-writer/floats-round-trip", test_floats_round_trip_random);
  g_test_add_func ("/model/json-writer/floats-locale", test_floats_ignore_locale);
  g_test_add_func ("/model/json-writer/string-escaping", test_string_escaping);
  g_test_add_func ("/model/json-writer/key-escaping", test_key_escaping);
  g_test_add_func ("/model/json-writer/node-verbatim", test_node_verbatim);
  g_test_add_func ("/model/json-writer/big-u64-node", test_big_u64_survives_node_copy);
  g_test_add_func ("/model/json-writer/depth", test_depth);
  return g_test_run ();
}
