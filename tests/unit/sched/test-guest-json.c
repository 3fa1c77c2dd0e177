/* Tests for the guest-side JSON emitter and scx_stats request parser
 * (vmm/guest/schedulers/sl-guest-json.c). Emitter output is re-read with
 * json-glib, so "valid JSON" means what a real parser accepts. */
#include <glib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sl-guest-json.h"

static JsonNode *
parse_or_fail (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_emit_nested (void)
{
  SlgJson j;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *a;

  slg_json_init (&j);
  slg_json_begin_object (&j);
  slg_json_kv_u64 (&j, "a", 1);
  slg_json_key (&j, "list");
  slg_json_begin_array (&j);
  slg_json_u64 (&j, 2);
  slg_json_begin_object (&j);
  slg_json_end_object (&j);
  slg_json_begin_array (&j);
  slg_json_end_array (&j);
  slg_json_null (&j);
  slg_json_bool (&j, true);
  slg_json_i64 (&j, -5);
  slg_json_end_array (&j);
  slg_json_kv_string (&j, "s", "x");
  slg_json_end_object (&j);

  g_assert_cmpstr (slg_json_finish (&j), ==,
                   "{\"a\":1,\"list\":[2,{},[],null,true,-5],\"s\":\"x\"}");
  root = parse_or_fail (slg_json_finish (&j));
  o = json_node_get_object (root);
  a = json_object_get_array_member (o, "list");
  g_assert_cmpuint (json_array_get_length (a), ==, 6);
  slg_json_clear (&j);
}

static void
test_emit_extremes (void)
{
  SlgJson j;

  slg_json_init (&j);
  slg_json_begin_array (&j);
  slg_json_u64 (&j, G_MAXUINT64);
  slg_json_i64 (&j, G_MININT64);
  slg_json_double (&j, 1.5);
  slg_json_double (&j, 0.0 / 0.0);
  slg_json_double (&j, 1e308 * 10);
  slg_json_double (&j, 1e20);
  slg_json_end_array (&j);
  g_assert_cmpstr (slg_json_finish (&j), ==,
                   "[18446744073709551615,-9223372036854775808,1.500,null,null,1e+20]");
  slg_json_clear (&j);
}

static void
test_emit_escaping (void)
{
  /* quote, backslash, newline, tab, 0x01, DEL, valid 2/3/4-byte UTF-8, then
   * invalid bytes: lone continuation, truncated sequence, overlong, surrogate. */
  const char input[] = "q\"b\\n\nt\t\x01" "d\x7f" "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                       "|\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80|";
  SlgJson j;
  g_autoptr (JsonNode) root = NULL;
  const char *got;

  slg_json_init (&j);
  slg_json_begin_object (&j);
  slg_json_key (&j, "k\"ey");
  slg_json_string (&j, input);
  slg_json_end_object (&j);
  root = parse_or_fail (slg_json_finish (&j));
  got = json_object_get_string_member (json_node_get_object (root), "k\"ey");
  g_assert_cmpstr (got, ==,
                   "q\"b\\n\nt\t\x01" "d\x7f" "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
                   "|\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
                   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|");
  slg_json_clear (&j);
}

static void
test_emit_misuse (void)
{
  SlgJson j;

  /* Unclosed container. */
  slg_json_init (&j);
  slg_json_begin_object (&j);
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);

  /* Close without open. */
  slg_json_init (&j);
  slg_json_end_array (&j);
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);

  /* Key without value. */
  slg_json_init (&j);
  slg_json_begin_object (&j);
  slg_json_key (&j, "k");
  slg_json_end_object (&j);
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);

  /* Key at top level. */
  slg_json_init (&j);
  slg_json_key (&j, "k");
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);

  /* Nesting past the limit. */
  slg_json_init (&j);
  for (int i = 0; i < SLG_JSON_MAX_DEPTH + 1; i++)
    slg_json_begin_array (&j);
  for (int i = 0; i < SLG_JSON_MAX_DEPTH + 1; i++)
    slg_json_end_array (&j);
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);

  /* Nothing written. */
  slg_json_init (&j);
  g_assert_null (slg_json_finish (&j));
  slg_json_clear (&j);
}

static void
test_emit_large (void)
{
  SlgJson j;
  g_autoptr (JsonNode) root = NULL;

  slg_json_init (&j);
  slg_json_begin_array (&j);
  for (int i = 0; i < 20000; i++)
    slg_json_u64 (&j, (guint64) i * 7919u);
  slg_json_end_array (&j);
  root = parse_or_fail (slg_json_finish (&j));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 20000);
  g_assert_cmpint (json_array_get_int_element (json_node_get_array (root), 19999), ==, 19999 * 7919);
  slg_json_clear (&j);
}

static gboolean
parse_req (const char *line, SlgRequest *r, char *err, gsize err_len)
{
  return slg_request_parse (line, strlen (line), r, err, err_len);
}

static void
test_request_valid (void)
{
  SlgRequest r;
  char err[200];

  g_assert_true (parse_req ("{\"req\":\"stats\"}", &r, err, sizeof err));
  g_assert_cmpstr (r.req, ==, "stats");
  g_assert_cmpuint (r.n_args, ==, 0);
  g_assert_null (slg_request_arg (&r, "target"));

  g_assert_true (parse_req (" \t{ \"args\" : { \"target\" : \"top\", \"x\":\"1\", \"target\":\"bar\" } ,"
                            "\"req\" : \"stats\" }\r\n", &r, err, sizeof err));
  g_assert_cmpstr (r.req, ==, "stats");
  g_assert_cmpuint (r.n_args, ==, 2);
  g_assert_cmpstr (slg_request_arg (&r, "target"), ==, "bar");
  g_assert_cmpstr (slg_request_arg (&r, "x"), ==, "1");

  g_assert_true (parse_req ("{\"req\":\"stats_meta\",\"args\":null}", &r, err, sizeof err));
  g_assert_cmpstr (r.req, ==, "stats_meta");

  g_assert_true (parse_req ("{\"req\":\"stats\",\"args\":{}}", &r, err, sizeof err));
  g_assert_cmpuint (r.n_args, ==, 0);

  /* Unknown members of every JSON type are skipped. */
  g_assert_true (parse_req ("{\"id\":-1.5e+3,\"v\":[true,false,null,{\"a\":[0,\"x\\\"\"]}],"
                            "\"req\":\"s\\u00e9\\ud83d\\ude00\\n\\/\"}", &r, err, sizeof err));
  g_assert_cmpstr (r.req, ==, "s\xc3\xa9\xf0\x9f\x98\x80\n/");
}

typedef struct
{
  const char *line;
  const char *expect_in_error;
} BadRequest;

static void
test_request_invalid (void)
{
  static const BadRequest cases[] = {
    { "", "expected '{'" },
    { "[]", "expected '{'" },
    { "{}", "no \"req\"" },
    { "{\"req\":1}", "not a string" },
    { "{\"req\":\"a\",\"args\":{\"k\":1}}", "argument \"k\" is not a string" },
    { "{\"req\":\"a\",\"args\":[]}", "\"args\" must be an object" },
    { "{\"req\":\"a\"} x", "trailing data" },
    { "{\"req\":\"a", "unterminated string" },
    { "{\"req\":\"a\"", "expected '}'" },
    { "{\"req\":\"a\",}", "expected '\"'" },
    { "{\"req\":\"\\x\"}", "bad escape" },
    { "{\"req\":\"\\ud800\"}", "unpaired surrogate" },
    { "{\"req\":\"\\udc00\"}", "unpaired surrogate" },
    { "{\"req\":\"\\u12\"}", "bad hex digit" },
    { "{\"req\":\"\\u0000\"}", "NUL in string" },
    { "{\"req\":\"\x01\"}", "control character" },
    { "{\"req\":\"\xff\"}", "invalid UTF-8" },
    { "{\"x\":01,\"req\":\"a\"}", "expected '}'" },
    { "{\"x\":-,\"req\":\"a\"}", "invalid number" },
    { "{\"x\":tru,\"req\":\"a\"}", "invalid literal" },
    { "{\"x\":1.,\"req\":\"a\"}", "invalid number" },
  };
  SlgRequest r;
  char err[200];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* The input itself may be invalid UTF-8 or hold control characters:
       * log it escaped so the TAP stream stays valid. */
      g_autofree char *shown = g_strescape (cases[i].line, NULL);

      g_test_message ("case %zu: %s", i, shown);
      g_assert_false (parse_req (cases[i].line, &r, err, sizeof err));
      g_assert_nonnull (strstr (err, cases[i].expect_in_error));
      g_assert_nonnull (strstr (err, "at byte"));
    }
}

static void
test_request_limits (void)
{
  SlgRequest r;
  char err[200];
  g_autoptr (GString) s = g_string_new ("{\"req\":\"");
  g_autofree char *deep = NULL;
  g_autofree char *opens = g_strnfill (40, '[');
  g_autofree char *closes = g_strnfill (40, ']');

  /* req longer than its buffer. */
  for (int i = 0; i < SLG_REQ_STR_MAX; i++)
    g_string_append_c (s, 'a');
  g_string_append (s, "\"}");
  g_assert_false (parse_req (s->str, &r, err, sizeof err));
  g_assert_nonnull (strstr (err, "longer than 255 bytes"));

  /* One byte shorter fits. */
  g_string_assign (s, "{\"req\":\"");
  for (int i = 0; i < SLG_REQ_STR_MAX - 1; i++)
    g_string_append_c (s, 'b');
  g_string_append (s, "\"}");
  g_assert_true (parse_req (s->str, &r, err, sizeof err));
  g_assert_cmpuint (strlen (r.req), ==, SLG_REQ_STR_MAX - 1);

  /* Too many arguments. */
  g_string_assign (s, "{\"req\":\"a\",\"args\":{");
  for (int i = 0; i <= SLG_REQ_MAX_ARGS; i++)
    g_string_append_printf (s, "%s\"k%d\":\"v\"", i ? "," : "", i);
  g_string_append (s, "}}");
  g_assert_false (parse_req (s->str, &r, err, sizeof err));
  g_assert_nonnull (strstr (err, "more than 16 arguments"));

  /* Nesting bound in skipped values. */
  deep = g_strdup_printf ("{\"x\":%s1%s,\"req\":\"a\"}", opens, closes);
  g_assert_false (parse_req (deep, &r, err, sizeof err));
  g_assert_nonnull (strstr (err, "nesting deeper"));

  /* A NUL byte inside the line is not a terminator. */
  {
    const char with_nul[] = "{\"req\":\"a\"}\0junk";
    g_assert_false (slg_request_parse (with_nul, sizeof with_nul - 1, &r, err, sizeof err));
    g_assert_nonnull (strstr (err, "trailing data"));
  }
}

static void
test_request_random (void)
{
  /* Random mutations of a valid request must never crash or read past the
   * given length (checked under ASan: each input is an exact-size heap copy). */
  const char base[] = "{\"req\":\"stats\",\"args\":{\"target\":\"top\"},\"x\":[1,2.5e3,null,\"\\u00e9\"]}";
  SlgRequest r;
  char err[200];
  GRand *rng = g_rand_new_with_seed (1234);

  for (int iter = 0; iter < 20000; iter++)
    {
      gsize len = sizeof base - 1;
      char *buf = g_malloc (len);
      memcpy (buf, base, len);
      for (int k = 0; k < 1 + g_rand_int_range (rng, 0, 4); k++)
        buf[g_rand_int_range (rng, 0, (gint32) len)] = (char) g_rand_int_range (rng, 0, 256);
      len = (gsize) g_rand_int_range (rng, 0, (gint32) len + 1);
      (void) slg_request_parse (buf, len, &r, err, sizeof err);
      g_free (buf);
    }
  g_rand_free (rng);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sched/json/emit-nested", test_emit_nested);
  g_test_add_func ("/sched/json/emit-extremes", test_emit_extremes);
  g_test_add_func ("/sched/json/emit-escaping", test_emit_escaping);
  g_test_add_func ("/sched/json/emit-misuse", test_emit_misuse);
  g_test_add_func ("/sched/json/emit-large", test_emit_large);
  g_test_add_func ("/sched/json/request-valid", test_request_valid);
  g_test_add_func ("/sched/json/request-invalid", test_request_invalid);
  g_test_add_func ("/sched/json/request-limits", test_request_limits);
  g_test_add_func ("/sched/json/request-random", test_request_random);
  return g_test_run ();
}
