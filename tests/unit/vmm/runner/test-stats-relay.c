/* Unit tests of the scx_stats reply classification (ktstr-semantics §7). */
#include "sl-stats-relay.h"

static void
test_ok (void)
{
  SlMissingStats m = { 0 };
  g_autoptr(JsonNode) n = sl_stats_relay_reply_parse ("{\"errno\":0,\"args\":{\"resp\":{\"a\":1}}}", NULL, &m);
  g_assert_nonnull (n);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (n));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (n), "a"), ==, 1);
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_NONE);
  /* errno absent = success too. */
  g_autoptr(JsonNode) n2 = sl_stats_relay_reply_parse ("{\"args\":{\"resp\":[]}}", NULL, &m);
  g_assert_nonnull (n2);
}

static void
test_reasons (void)
{
  SlMissingStats m = { 0 };
  g_assert_null (sl_stats_relay_reply_parse ("{\"errno\":-2,\"args\":{\"why\":\"x\"}}", NULL, &m));
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_SCHEDULER_ERROR);
  g_assert_cmpint (m.errno_value, ==, -2);
  g_assert_cmpstr (m.args_json, ==, "{\"why\":\"x\"}");

  g_assert_null (sl_stats_relay_reply_parse ("{\"errno\":0,\"args\":{}}", NULL, &m));
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_MISSING_RESP);
  g_assert_cmpstr (m.args_json, ==, "{}");
  g_assert_null (m.reason);   /* the previous outcome was cleared */

  g_assert_null (sl_stats_relay_reply_parse ("{\"args\":{\"resp\":null}}", NULL, &m));
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_MISSING_RESP);

  g_assert_null (sl_stats_relay_reply_parse (NULL, "cannot connect to /var/run/scx/root/stats: ENOENT", &m));
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_NO_SCHEDULER);
  g_assert_nonnull (g_strrstr (m.reason, "cannot connect"));

  g_assert_null (sl_stats_relay_reply_parse (NULL, "response cap overflow", &m));
  g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_RESPONSE_TOO_LARGE);
  g_assert_cmpuint (m.max, ==, SL_STATS_MAX);

  const char *garbage[] = { "", "not json", "[1]", "{\"errno\":", "42" };
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_assert_null (sl_stats_relay_reply_parse (garbage[i], NULL, &m));
      g_assert_cmpint (m.kind, ==, SL_MISSING_STATS_NO_SCHEDULER);
    }
  g_free (m.reason);
  g_free (m.args_json);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stats-relay/ok", test_ok);
  g_test_add_func ("/stats-relay/reasons", test_reasons);
  return g_test_run ();
}
