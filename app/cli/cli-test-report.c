/* cli-test-report.c: see cli-test-report.h. */
#include "cli-test-report.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include "sl-cli.h"

void
sl_cli_assert_result_free (SlCliAssertResult *a)
{
  g_free (a->name);
  g_free (a->field);
  g_free (a->pattern);
  g_ptr_array_unref (a->lines);
  g_free (a);
}

SlCliTestResult *
sl_cli_test_result_new (const char *path)
{
  SlCliTestResult *r = g_new0 (SlCliTestResult, 1);
  g_autofree char *base = g_path_get_basename (path);

  r->path = g_strdup (path);
  if (g_str_has_suffix (base, ".sltest") && strlen (base) > strlen (".sltest"))
    base[strlen (base) - strlen (".sltest")] = '\0';
  r->name = g_steal_pointer (&base);
  r->asserts = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_cli_assert_result_free);
  return r;
}

void
sl_cli_test_result_free (SlCliTestResult *r)
{
  g_free (r->path);
  g_free (r->name);
  g_free (r->archive);
  g_free (r->error);
  g_free (r->end_reason);
  g_ptr_array_unref (r->asserts);
  g_free (r);
}

/* Invalid test file > VM failure > fail > inconclusive > pass. */
int
sl_cli_test_status_rank (int status)
{
  switch (status)
    {
    case SL_EXIT_BAD_SPEC: return 4;
    case SL_EXIT_SOFTWARE: return 3;
    case SL_EXIT_FAIL: return 2;
    case SL_EXIT_INCONCLUSIVE: return 1;
    default: return 0;
    }
}

int
sl_cli_test_status_worst (int a, int b)
{
  return sl_cli_test_status_rank (b) > sl_cli_test_status_rank (a) ? b : a;
}

const char *
sl_cli_test_status_word (int status)
{
  switch (status)
    {
    case SL_EXIT_PASS: return "PASS";
    case SL_EXIT_FAIL: return "FAIL";
    case SL_EXIT_INCONCLUSIVE: return "INCONCLUSIVE";
    case SL_EXIT_BAD_SPEC: return "INVALID";
    default: return "ERROR";
    }
}

void
sl_cli_test_result_set_error (SlCliTestResult *r, int status, const char *format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_free (r->error);
  r->error = g_strdup_vprintf (format, ap);
  va_end (ap);
  r->status = status;
}

/* ---- result files (child → parent with --jobs) ----------------------------- */

static void
add_string (JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name (b, key);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

gboolean
sl_cli_test_result_write (const SlCliTestResult *r, const char *path, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_string (b, "archive", r->archive);
  add_string (b, "error", r->error);
  add_string (b, "end_reason", r->end_reason);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, r->status);
  json_builder_set_member_name (b, "n_samples");
  json_builder_add_int_value (b, r->n_samples);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, r->seconds);
  json_builder_set_member_name (b, "assertions");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->asserts->len; i++)
    {
      const SlCliAssertResult *a = r->asserts->pdata[i];

      json_builder_begin_object (b);
      add_string (b, "name", a->name);
      add_string (b, "field", a->field);
      add_string (b, "pattern", a->pattern);
      json_builder_set_member_name (b, "result");
      json_builder_add_int_value (b, a->result);
      json_builder_set_member_name (b, "lines");
      json_builder_begin_array (b);
      for (guint l = 0; l < a->lines->len; l++)
        json_builder_add_string_value (b, a->lines->pdata[l]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  return g_file_set_contents (path, text, -1, error);
}

static char *
dup_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? g_strdup (json_node_get_string (n)) : NULL;
}

gboolean
sl_cli_test_result_read (SlCliTestResult *r, const char *path, GError **error)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  JsonObject *o;
  JsonArray *asserts;

  if (!json_parser_load_from_file (p, path, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: not a test result", path);
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (p));
  r->archive = dup_member (o, "archive");
  r->error = dup_member (o, "error");
  r->end_reason = dup_member (o, "end_reason");
  r->status = (int) json_object_get_int_member_with_default (o, "status", SL_EXIT_SOFTWARE);
  r->n_samples = (guint) json_object_get_int_member_with_default (o, "n_samples", 0);
  r->seconds = json_object_get_double_member_with_default (o, "seconds", 0);
  asserts = json_object_get_array_member (o, "assertions");
  for (guint i = 0; asserts && i < json_array_get_length (asserts); i++)
    {
      JsonObject *ao = json_array_get_object_element (asserts, i);
      SlCliAssertResult *a;
      JsonArray *lines;

      if (ao == NULL)
        continue;
      a = g_new0 (SlCliAssertResult, 1);
      a->name = dup_member (ao, "name");
      a->field = dup_member (ao, "field");
      a->pattern = dup_member (ao, "pattern");
      a->result = (SlOutcomeKind) CLAMP (json_object_get_int_member_with_default (ao, "result", SL_OUTCOME_INCONCLUSIVE),
                                         SL_OUTCOME_SKIP, SL_OUTCOME_FAIL);
      a->lines = g_ptr_array_new_with_free_func (g_free);
      lines = json_object_get_array_member (ao, "lines");
      for (guint l = 0; lines && l < json_array_get_length (lines); l++)
        {
          const char *s = json_array_get_string_element (lines, l);
          if (s)
            g_ptr_array_add (a->lines, g_strdup (s));
        }
      g_ptr_array_add (r->asserts, a);
    }
  return TRUE;
}

/* ---- reports ---------------------------------------------------------------- */

void
sl_cli_test_print_human (GPtrArray *results)
{
  guint counts[5] = { 0 };

  for (guint i = 0; i < results->len; i++)
    {
      const SlCliTestResult *r = results->pdata[i];
      guint n_pass = 0;

      for (guint a = 0; a < r->asserts->len; a++)
        n_pass += ((SlCliAssertResult *) r->asserts->pdata[a])->result <= SL_OUTCOME_PASS;
      printf ("%-12s %s  (%s)", sl_cli_test_status_word (r->status), r->name, r->path);
      if (r->asserts->len > 0)
        printf (": %u/%u assertions passed, %u samples, %.1f s", n_pass, r->asserts->len, r->n_samples, r->seconds);
      putchar ('\n');
      if (r->error)
        printf ("    %s\n", r->error);
      for (guint a = 0; a < r->asserts->len; a++)
        {
          const SlCliAssertResult *ar = r->asserts->pdata[a];

          if (ar->result != SL_OUTCOME_FAIL && ar->result != SL_OUTCOME_INCONCLUSIVE)
            continue;
          printf ("    %-12s %s  (%s: %s)\n", ar->result == SL_OUTCOME_FAIL ? "FAIL" : "INCONCLUSIVE",
                  ar->name, ar->field, ar->pattern);
          for (guint l = 0; l < ar->lines->len; l++)
            printf ("      %s\n", (const char *) ar->lines->pdata[l]);
        }
      if (r->archive && r->status != SL_EXIT_PASS)
        printf ("    archive: %s\n", r->archive);
      counts[sl_cli_test_status_rank (r->status)]++;
    }
  printf ("\n%u test%s: %u passed, %u failed, %u inconclusive, %u invalid, %u could not run\n",
          results->len, results->len == 1 ? "" : "s", counts[0], counts[2], counts[1], counts[4], counts[3]);
}

static void
print_yaml_string (FILE *out, const char *s)
{
  fputc ('"', out);
  for (const char *p = s ? s : ""; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        fprintf (out, "\\%c", *p);
      else if (*p == '\n')
        fputs ("\\n", out);
      else if ((guchar) *p < 0x20)
        fprintf (out, "\\x%02x", (guchar) *p);
      else
        fputc (*p, out);
    }
  fputc ('"', out);
}

void
sl_cli_test_print_tap (GPtrArray *results)
{
  printf ("TAP version 13\n1..%u\n", results->len);
  for (guint i = 0; i < results->len; i++)
    {
      const SlCliTestResult *r = results->pdata[i];

      printf ("%s %u - %s%s\n", r->status == SL_EXIT_PASS ? "ok" : "not ok", i + 1, r->name,
              r->status == SL_EXIT_INCONCLUSIVE ? " # TODO inconclusive" : "");
      printf ("  ---\n  file: ");
      print_yaml_string (stdout, r->path);
      printf ("\n  result: %s\n", sl_cli_test_status_word (r->status));
      if (r->archive)
        {
          printf ("  archive: ");
          print_yaml_string (stdout, r->archive);
          putchar ('\n');
        }
      if (r->error)
        {
          printf ("  error: ");
          print_yaml_string (stdout, r->error);
          putchar ('\n');
        }
      if (r->asserts->len > 0)
        printf ("  assertions:\n");
      for (guint a = 0; a < r->asserts->len; a++)
        {
          const SlCliAssertResult *ar = r->asserts->pdata[a];

          printf ("    - name: ");
          print_yaml_string (stdout, ar->name);
          printf ("\n      result: %s\n", sl_outcome_kind_name (ar->result));
          if (ar->lines->len > 0)
            printf ("      details:\n");
          for (guint l = 0; l < ar->lines->len; l++)
            {
              printf ("        - ");
              print_yaml_string (stdout, ar->lines->pdata[l]);
              putchar ('\n');
            }
        }
      printf ("  ...\n");
    }
}

gboolean
sl_cli_test_write_junit (GPtrArray *results, const char *path, GError **error)
{
  g_autoptr(GString) x = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"schedlab\">\n");

  for (guint i = 0; i < results->len; i++)
    {
      const SlCliTestResult *r = results->pdata[i];
      guint failures = 0, errors = r->error && r->asserts->len == 0 ? 1 : 0;
      g_autofree char *name = g_markup_escape_text (r->name, -1);
      g_autofree char *file = g_markup_escape_text (r->path, -1);
      char secs[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint a = 0; a < r->asserts->len; a++)
        failures += ((SlCliAssertResult *) r->asserts->pdata[a])->result == SL_OUTCOME_FAIL;
      g_ascii_formatd (secs, sizeof secs, "%.3f", r->seconds);
      g_string_append_printf (x, "  <testsuite name=\"%s\" file=\"%s\" tests=\"%u\" failures=\"%u\" errors=\"%u\" time=\"%s\">\n",
                              name, file, MAX (r->asserts->len, 1u), failures, errors, secs);
      if (r->archive)
        {
          g_autofree char *archive = g_markup_escape_text (r->archive, -1);
          g_string_append_printf (x, "    <properties><property name=\"archive\" value=\"%s\"/></properties>\n", archive);
        }
      if (r->asserts->len == 0)
        {
          g_autofree char *msg = g_markup_escape_text (r->error ? r->error : "no assertions", -1);
          g_string_append_printf (x, "    <testcase classname=\"%s\" name=\"run\">\n", name);
          if (r->status == SL_EXIT_INCONCLUSIVE)
            g_string_append_printf (x, "      <skipped message=\"%s\"/>\n", msg);
          else if (r->status != SL_EXIT_PASS)
            g_string_append_printf (x, "      <error message=\"%s\">%s</error>\n", msg, msg);
          g_string_append (x, "    </testcase>\n");
        }
      for (guint a = 0; a < r->asserts->len; a++)
        {
          const SlCliAssertResult *ar = r->asserts->pdata[a];
          g_autofree char *aname = g_markup_escape_text (ar->name, -1);
          g_autoptr(GString) body = g_string_new (NULL);
          g_autofree char *ebody = NULL;
          g_autofree char *head = NULL;

          g_string_append_printf (body, "%s: %s\n", ar->field, ar->pattern);
          for (guint l = 0; l < ar->lines->len; l++)
            g_string_append_printf (body, "%s\n", (const char *) ar->lines->pdata[l]);
          if (r->archive)
            g_string_append_printf (body, "archive: %s\n", r->archive);
          ebody = g_markup_escape_text (body->str, -1);
          head = g_markup_escape_text (ar->lines->len ? ar->lines->pdata[0] : ar->pattern, -1);
          g_string_append_printf (x, "    <testcase classname=\"%s\" name=\"%s\">\n", name, aname);
          if (ar->result == SL_OUTCOME_FAIL)
            g_string_append_printf (x, "      <failure message=\"%s\">%s</failure>\n", head, ebody);
          else if (ar->result == SL_OUTCOME_INCONCLUSIVE)
            g_string_append_printf (x, "      <skipped message=\"inconclusive: %s\"/>\n", head);
          g_string_append (x, "    </testcase>\n");
        }
      g_string_append (x, "  </testsuite>\n");
    }
  g_string_append (x, "</testsuites>\n");
  return g_file_set_contents (path, x->str, (gssize) x->len, error);
}
