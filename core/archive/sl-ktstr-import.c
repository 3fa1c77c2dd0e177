/* sl-ktstr-import.c: a ktstr failure-dump document → a run.
 *
 * ktstr writes {stem}.failure-dump.json with a top-level "schema" of
 * "single", "dual" or "degraded" (ktstr-semantics §1.4, §2). The reports use
 * the same FailureDumpReport shape as our samples, so sl_report_from_json
 * does the real work; this file only wraps the reports into a run. */
#include "sl-ktstr-import.h"
#include "sl-archive-private.h"

#include <string.h>

char *
sl_ktstr_import_tag_for (const char *source_name)
{
  g_autofree char *base = NULL;
  static const char *const suffixes[] = { ".json", ".failure-dump" };

  if (source_name == NULL)
    return g_strdup ("imported");
  base = g_path_get_basename (source_name);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (base, suffixes[i]))
      base[strlen (base) - strlen (suffixes[i])] = '\0';
  if (base[0] == '\0' || strcmp (base, ".") == 0 || strcmp (base, G_DIR_SEPARATOR_S) == 0)
    return g_strdup ("imported");
  return g_steal_pointer (&base);
}

static SlSample *
import_report (JsonNode *node, const char *tag, const char *where, GError **error)
{
  g_autoptr(SlSample) s = NULL;
  SlReport *r;

  /* The halves of a dual report may omit their own schema; they are single. */
  if (JSON_NODE_HOLDS_OBJECT (node) && !json_object_has_member (json_node_get_object (node), "schema"))
    json_object_set_string_member (json_node_get_object (node), "schema", "single");

  r = sl_report_from_json (node, where, error);
  if (r == NULL)
    return NULL;
  s = sl_sample_new (tag);
  sl_report_free (s->report);
  s->report = r;
  s->elapsed_ms = SL_OPT_U64_NONE;
  s->boundary_offset_ms = SL_OPT_U64_NONE;
  s->has_step_index = FALSE;
  if (s->stats != NULL)
    g_clear_pointer (&s->stats, json_node_unref);
  s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
  if (s->vcpu_times == NULL)
    s->vcpu_times = g_array_new (FALSE, FALSE, sizeof (SlVcpuTime));
  return g_steal_pointer (&s);
}

static SlRun *
new_imported_run (const char *name, const char *schema)
{
  SlRun *run = sl_run_new ();

  if (run->samples == NULL)
    run->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_sample_free);
  if (run->log == NULL)
    run->log = g_ptr_array_new_with_free_func (g_free);
  run->header.scenario = g_strdup ("imported");
  run->header.tool_version = g_strdup (SL_VERSION);
  run->header.created = sl_archive_now_iso8601 ();
  run->complete = TRUE;
  g_clear_pointer (&run->incomplete_reason, g_free);
  run->end_reason = g_strdup ("imported");
  g_ptr_array_add (run->log, g_strdup_printf ("imported from ktstr failure dump %s (schema \"%s\")", name, schema));
  return run;
}

/* The attached scheduler, as far as the report knows it. */
static void
set_scheduler_from (SlRun *run, const SlSample *s)
{
  if (run->header.scheduler == NULL && s->report->active_obj_name != NULL)
    run->header.scheduler = g_strdup (s->report->active_obj_name);
}

SlRun *
sl_ktstr_import_bytes (const char *data, gsize len, const char *source_name, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autofree char *tag = NULL;
  const char *name = source_name != NULL ? source_name : "ktstr document";
  const char *schema;
  JsonNode *root, *schema_node;
  JsonObject *o;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > SL_KTSTR_IMPORT_MAX_BYTES)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "%s: %" G_GSIZE_FORMAT " bytes exceed the %" G_GSIZE_FORMAT
                   "-byte limit of an imported document", name, len, SL_KTSTR_IMPORT_MAX_BYTES);
      return NULL;
    }
  if (!sl_archive_check_json_depth (data, len, SL_ARCHIVE_MAX_JSON_DEPTH))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "%s: JSON nested deeper than %d levels",
                   name, SL_ARCHIVE_MAX_JSON_DEPTH);
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: not a JSON document: %s", name, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: a ktstr failure dump is a JSON object", name);
      return NULL;
    }
  o = json_node_get_object (root);
  schema_node = json_object_get_member (o, "schema");
  if (schema_node == NULL || !JSON_NODE_HOLDS_VALUE (schema_node)
      || json_node_get_value_type (schema_node) != G_TYPE_STRING)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                   "%s: not a ktstr failure dump: no string \"schema\" (\"single\", \"dual\" or \"degraded\")", name);
      return NULL;
    }
  schema = json_node_get_string (schema_node);

  if (strcmp (schema, "single") == 0)
    {
      SlSample *s;

      tag = sl_ktstr_import_tag_for (source_name);
      s = import_report (root, tag, name, error);
      if (s == NULL)
        return NULL;
      run = new_imported_run (name, schema);
      set_scheduler_from (run, s);
      g_ptr_array_add (run->samples, s);
    }
  else if (strcmp (schema, "dual") == 0)
    {
      JsonNode *early = json_object_get_member (o, "early");
      JsonNode *late = json_object_get_member (o, "late");
      g_autoptr(SlSample) early_s = NULL;
      g_autoptr(SlSample) late_s = NULL;
      g_autofree char *late_where = g_strdup_printf ("%s: late", name);

      if (late == NULL || !JSON_NODE_HOLDS_OBJECT (late))
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: a \"dual\" report needs a \"late\" report object", name);
          return NULL;
        }
      if (early != NULL && !JSON_NODE_HOLDS_NULL (early))
        {
          g_autofree char *early_where = g_strdup_printf ("%s: early", name);

          early_s = import_report (early, "early", early_where, error);
          if (early_s == NULL)
            return NULL;
        }
      late_s = import_report (late, "late", late_where, error);
      if (late_s == NULL)
        return NULL;
      run = new_imported_run (name, schema);
      set_scheduler_from (run, late_s);
      if (early_s != NULL)
        g_ptr_array_add (run->samples, g_steal_pointer (&early_s));
      else
        {
          JsonNode *why = json_object_get_member (o, "early_skipped_reason");

          g_ptr_array_add (run->log, g_strdup_printf ("no early report: %s",
                                                      why != NULL && JSON_NODE_HOLDS_VALUE (why)
                                                      && json_node_get_value_type (why) == G_TYPE_STRING
                                                      ? json_node_get_string (why) : "not captured"));
        }
      g_ptr_array_add (run->samples, g_steal_pointer (&late_s));
    }
  else if (strcmp (schema, "degraded") == 0)
    {
      JsonNode *reason = json_object_get_member (o, "reason");

      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "%s: a \"degraded\" ktstr failure dump holds no captured state to import, only why the capture failed: %s",
                   name, reason != NULL && JSON_NODE_HOLDS_VALUE (reason)
                         && json_node_get_value_type (reason) == G_TYPE_STRING
                         ? json_node_get_string (reason) : "(no reason given)");
      return NULL;
    }
  else
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                   "%s: unknown ktstr failure-dump schema \"%s\" (expected \"single\" or \"dual\")", name, schema);
      return NULL;
    }
  return g_steal_pointer (&run);
}

SlRun *
sl_ktstr_import_file (const char *path, GError **error)
{
  g_autoptr(GMappedFile) mapped = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Mapped, not copied: the size bound is checked before anything is parsed. */
  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;
  return sl_ktstr_import_bytes (g_mapped_file_get_contents (mapped) != NULL ? g_mapped_file_get_contents (mapped) : "",
                                g_mapped_file_get_length (mapped), path, error);
}
