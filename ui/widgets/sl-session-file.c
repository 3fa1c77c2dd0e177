/* sl-session-file.c: view state as JSON (KernelShark's session documents). */
#include "sl-session-file.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include "sl-plot-series.h"
#include "sl-ticks.h"

char *
sl_session_file_to_data (SlSession *session)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SlSpec) spec = NULL;
  g_autofree char *spec_text = NULL;
  g_autofree char *base = NULL;
  double t0, t1;

  g_return_val_if_fail (SL_IS_SESSION (session), NULL);

  sl_session_get_view (session, &t0, &t1);
  spec = sl_session_build_spec (session, TRUE);
  spec_text = sl_spec_to_data (spec, NULL);
  base = sl_session_get_path (session) ? g_path_get_basename (sl_session_get_path (session)) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, SL_SESSION_FILE_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, SL_SESSION_FILE_VERSION);
  if (base)
    {
      json_builder_set_member_name (b, "archive");
      json_builder_add_string_value (b, base);
    }
  json_builder_set_member_name (b, "view");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "t0");
  json_builder_add_double_value (b, t0);
  json_builder_set_member_name (b, "t1");
  json_builder_add_double_value (b, t1);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "selected_track");
  json_builder_add_int_value (b, sl_session_get_selected_track (session));
  json_builder_set_member_name (b, "tracks");
  json_builder_begin_array (b);
  for (guint i = 0; i < sl_session_get_n_tracks (session); i++)
    {
      SlTrack *t = sl_session_get_track (session, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "selector");
      json_builder_add_string_value (b, t->selector);
      if (t->group)
        {
          json_builder_set_member_name (b, "group");
          json_builder_add_string_value (b, t->group);
        }
      json_builder_set_member_name (b, "mode");
      json_builder_add_string_value (b, sl_counter_mode_name (t->mode));
      json_builder_set_member_name (b, "yrange");
      json_builder_add_string_value (b, sl_yrange_policy_name (t->yrange));
      json_builder_set_member_name (b, "fixed_lo");
      json_builder_add_double_value (b, isfinite (t->fixed_lo) ? t->fixed_lo : 0);
      json_builder_set_member_name (b, "fixed_hi");
      json_builder_add_double_value (b, isfinite (t->fixed_hi) ? t->fixed_hi : 0);
      json_builder_set_member_name (b, "style");
      json_builder_add_string_value (b, t->style == SL_TRACK_STYLE_STEP ? "step" : "line");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  /* Assertions in the spec format: one parser, one set of rules. */
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, spec_text);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

gboolean
sl_session_file_apply (SlSession *session, const char *data, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *view;
  JsonArray *tracks;
  const char *spec_text;
  g_autoptr(GHashTable) groups = NULL;

  g_return_val_if_fail (SL_IS_SESSION (session), FALSE);

  if (len > SL_SESSION_FILE_MAX_BYTES)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "session file is larger than %" G_GSIZE_FORMAT " bytes",
                   SL_SESSION_FILE_MAX_BYTES);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "session file: the document is not an object");
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "format", ""), SL_SESSION_FILE_FORMAT) != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "session file: \"format\" is not \"%s\"", SL_SESSION_FILE_FORMAT);
      return FALSE;
    }
  if (json_object_get_int_member_with_default (root, "version", 0) > SL_SESSION_FILE_VERSION)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_VERSION, "session file: version is newer than this build understands");
      return FALSE;
    }

  tracks = json_object_has_member (root, "tracks") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "tracks"))
         ? json_object_get_array_member (root, "tracks") : NULL;
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; tracks && i < json_array_get_length (tracks) && i < SL_SESSION_FILE_MAX_TRACKS; i++)
    {
      JsonNode *node = json_array_get_element (tracks, i);
      JsonObject *o;
      const char *sel, *group;
      SlTrack *t;
      gint idx;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      sel = json_object_get_string_member_with_default (o, "selector", NULL);
      group = json_object_get_string_member_with_default (o, "group", NULL);
      if (sel == NULL)
        continue;
      if (group)
        {
          const char *const one[] = { sel, NULL };
          idx = (gint) sl_session_add_track_group (session, group, one);
          idx = sl_session_find_track (session, sel);
        }
      else
        idx = (gint) sl_session_add_track (session, sel);
      if (idx < 0)
        continue;
      t = sl_session_get_track (session, (guint) idx);
      if (group)
        {
          g_free (t->group);
          t->group = g_strdup (group);
        }
      {
        SlCounterMode mode;
        SlYRangePolicy yr;
        if (sl_counter_mode_parse (json_object_get_string_member_with_default (o, "mode", NULL), &mode))
          sl_track_set_mode (t, mode);
        if (sl_yrange_policy_parse (json_object_get_string_member_with_default (o, "yrange", NULL), &yr))
          t->yrange = yr;
      }
      t->fixed_lo = json_object_get_double_member_with_default (o, "fixed_lo", 0);
      t->fixed_hi = json_object_get_double_member_with_default (o, "fixed_hi", 0);
      t->style = g_strcmp0 (json_object_get_string_member_with_default (o, "style", "line"), "step") == 0
               ? SL_TRACK_STYLE_STEP : SL_TRACK_STYLE_LINE;
    }
  /* Group members added one by one each got a colour: give a family one. */
  for (guint i = 1; i < sl_session_get_n_tracks (session); i++)
    {
      SlTrack *a = sl_session_get_track (session, i - 1), *b = sl_session_get_track (session, i);
      if (a->group && g_strcmp0 (a->group, b->group) == 0)
        b->color_index = a->color_index;
    }

  spec_text = json_object_get_string_member_with_default (root, "spec", NULL);
  if (spec_text && *spec_text)
    {
      g_autoptr(GError) spec_error = NULL;
      g_autoptr(SlSpec) spec = sl_spec_parse (spec_text, -1, "session", &spec_error);

      if (spec == NULL)
        g_warning ("session file: assertions not restored: %s", spec_error->message);
      else
        for (guint i = 0; i < spec->assertions->len; i++)
          sl_session_commit (session, sl_assertion_copy (g_ptr_array_index (spec->assertions, i)));
    }

  view = json_object_has_member (root, "view") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "view"))
       ? json_object_get_object_member (root, "view") : NULL;
  if (view)
    sl_session_set_view (session, json_object_get_double_member_with_default (view, "t0", 0),
                         json_object_get_double_member_with_default (view, "t1", 0));
  sl_session_select_track (session, (gint) json_object_get_int_member_with_default (root, "selected_track", -1));
  sl_session_track_changed (session, 0);
  return TRUE;
}

char *
sl_session_file_path_beside (const char *archive_path)
{
  g_return_val_if_fail (archive_path != NULL, NULL);
  return g_strconcat (archive_path, ".session.json", NULL);
}

char *
sl_session_file_path_in_data_dir (const char *archive_path)
{
  g_autofree char *abs = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (archive_path != NULL, NULL);
  abs = g_canonicalize_filename (archive_path, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA1, abs, -1);
  base = g_path_get_basename (archive_path);
  name = g_strdup_printf ("%s-%.12s.json", base, hash);
  return g_build_filename (g_get_user_data_dir (), "schedlab", "sessions", name, NULL);
}

char *
sl_session_file_save (SlSession *session, GError **error)
{
  g_autofree char *data = NULL;
  g_autofree char *beside = NULL;
  g_autofree char *in_data = NULL;
  g_autofree char *dir = NULL;
  const char *archive;

  g_return_val_if_fail (SL_IS_SESSION (session), NULL);
  archive = sl_session_get_path (session);
  if (archive == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "this run was not opened from a file");
      return NULL;
    }
  data = sl_session_file_to_data (session);
  beside = sl_session_file_path_beside (archive);
  if (g_file_set_contents (beside, data, -1, NULL))
    return g_steal_pointer (&beside);
  in_data = sl_session_file_path_in_data_dir (archive);
  dir = g_path_get_dirname (in_data);
  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (in_data, data, -1, error))
    return NULL;
  return g_steal_pointer (&in_data);
}

gboolean
sl_session_file_restore (SlSession *session, GError **error)
{
  const char *archive;
  char *candidates[2] = { NULL, NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (SL_IS_SESSION (session), FALSE);
  archive = sl_session_get_path (session);
  if (archive == NULL)
    return FALSE;
  candidates[0] = sl_session_file_path_beside (archive);
  candidates[1] = sl_session_file_path_in_data_dir (archive);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *data = NULL;
      gsize len;

      if (!g_file_get_contents (candidates[i], &data, &len, NULL))
        continue;
      ok = sl_session_file_apply (session, data, len, error);
      break;
    }
  g_free (candidates[0]);
  g_free (candidates[1]);
  return ok;
}
