/* Helpers shared by the core/model unit tests. */
#include "model-test-util.h"

JsonNode *
mt_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("invalid JSON %s: %s", text, error->message);
  return json_node_copy (json_parser_get_root (parser));
}
