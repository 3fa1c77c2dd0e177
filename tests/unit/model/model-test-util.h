/* Helpers shared by the core/model unit tests. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parses JSON the test itself wrote; aborts the test if it is not valid. */
JsonNode *mt_parse_json (const char *text);

G_END_DECLS
