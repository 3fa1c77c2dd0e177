/* sl-stats-relay.c: typed outcome of one relayed scx_stats request. */
#include "sl-stats-relay.h"

#include <string.h>

JsonNode *
sl_stats_relay_reply_parse (const char *resp, const char *relay_error, SlMissingStats *missing)
{
  g_return_val_if_fail (missing != NULL, NULL);
  g_free (missing->reason);
  g_free (missing->args_json);
  memset (missing, 0, sizeof *missing);
  SlMissingStats *m = missing;
  if (relay_error != NULL)
    {
      if (strstr (relay_error, "cap overflow") != NULL)
        {
          m->kind = SL_MISSING_STATS_RESPONSE_TOO_LARGE;
          m->size = SL_STATS_MAX;
          m->max = SL_STATS_MAX;
        }
      else
        {
          m->kind = SL_MISSING_STATS_NO_SCHEDULER;
          m->reason = g_strdup (relay_error);
        }
      return NULL;
    }
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root = NULL;
  if (resp == NULL || !json_parser_load_from_data (parser, resp, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      m->kind = SL_MISSING_STATS_NO_SCHEDULER;
      m->reason = g_strdup ("the scheduler's stats reply is not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (root);
  JsonNode *args = json_object_get_member (o, "args");
  gint64 err = 0;
  JsonNode *en = json_object_get_member (o, "errno");
  if (en != NULL && json_node_get_value_type (en) == G_TYPE_INT64)
    err = json_node_get_int (en);
  if (err != 0)
    {
      m->kind = SL_MISSING_STATS_SCHEDULER_ERROR;
      m->errno_value = err;
      m->args_json = args ? json_to_string (args, FALSE) : g_strdup ("null");
      return NULL;
    }
  JsonNode *payload = (args && JSON_NODE_HOLDS_OBJECT (args))
                      ? json_object_get_member (json_node_get_object (args), "resp") : NULL;
  if (payload == NULL || JSON_NODE_HOLDS_NULL (payload))
    {
      m->kind = SL_MISSING_STATS_MISSING_RESP;
      m->args_json = args ? json_to_string (args, FALSE) : g_strdup ("null");
      return NULL;
    }
  return json_node_copy (payload);
}
