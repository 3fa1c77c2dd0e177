/* cli-compare.c: `schedlab-cli compare A.slrun B.slrun`: per-phase A/B table
 * of fields of two runs (counters by their per-phase delta, gauges by their
 * per-phase mean; sl-compare.h). */
#include "sl-cli.h"

#include <math.h>
#include <stdio.h>
#include <json-glib/json-glib.h>

#include "sl-archive.h"
#include "sl-compare.h"
#include "sl-phase.h"

/* Integers as integers, large values without an exponent, the rest with 4
 * significant digits; "-" when absent. */
static char *
number_text (gboolean has, double v, gboolean with_sign)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *sign = with_sign && v > 0 ? "+" : "";

  if (!has)
    return g_strdup ("-");
  if (v == (double) (gint64) v && fabs (v) < 1e15)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT, sign, (gint64) v);
  g_ascii_formatd (buf, sizeof buf, fabs (v) >= 1e4 && fabs (v) < 1e15 ? "%.0f" : "%.4g", v);
  return g_strdup_printf ("%s%s", sign, buf);
}

static char *
percent_text (gboolean has, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!has)
    return g_strdup ("-");
  g_ascii_formatd (buf, sizeof buf, "%.1f", v);
  return g_strdup_printf ("%s%s%%", v > 0 ? "+" : "", buf);
}

static void
print_table (GPtrArray *fields)
{
  printf ("%-44s %-10s %-9s %14s %14s %14s %9s\n", "field", "kind", "phase", "A", "B", "delta", "delta %");
  for (guint i = 0; i < fields->len; i++)
    {
      const SlCompareField *f = fields->pdata[i];
      const char *kind = f->kind == SL_METRIC_COUNTER ? "counter" : "gauge";

      if (f->error_a)
        printf ("%-44s %-10s A: %s\n", f->selector, kind, f->error_a);
      if (f->error_b)
        printf ("%-44s %-10s B: %s\n", f->selector, kind, f->error_b);
      if (f->rows->len == 0 && !f->error_a && !f->error_b)
        printf ("%-44s %-10s %-9s %14s %14s %14s %9s\n", f->selector, kind, "-", "-", "-", "-", "-");
      for (guint r = 0; r < f->rows->len; r++)
        {
          const SlCompareRow *row = &g_array_index (f->rows, SlCompareRow, r);
          g_autofree char *phase = sl_phase_label (row->phase);
          g_autofree char *a = number_text (row->has_a, row->a, FALSE);
          g_autofree char *b = number_text (row->has_b, row->b, FALSE);
          g_autofree char *d = number_text (row->has_delta, row->delta, TRUE);
          g_autofree char *p = percent_text (row->has_rel, row->rel_pct);

          printf ("%-44s %-10s %-9s %14s %14s %14s %9s\n", r == 0 ? f->selector : "", r == 0 ? kind : "",
                  phase, a, b, d, p);
        }
      for (guint n = 0; n < f->notes->len; n++)
        printf ("    note: %s\n", (const char *) f->notes->pdata[n]);
    }
}

static void
add_number (JsonBuilder *b, const char *key, gboolean has, double v)
{
  json_builder_set_member_name (b, key);
  if (has)
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
print_json (const char *path_a, const char *path_b, GPtrArray *fields)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "a");
  json_builder_add_string_value (b, path_a);
  json_builder_set_member_name (b, "b");
  json_builder_add_string_value (b, path_b);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < fields->len; i++)
    {
      const SlCompareField *f = fields->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, f->selector);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, sl_metric_kind_name (f->kind));
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sl_scalar_type_name (f->type));
      json_builder_set_member_name (b, "error_a");
      json_builder_add_string_value (b, f->error_a);
      json_builder_set_member_name (b, "error_b");
      json_builder_add_string_value (b, f->error_b);
      json_builder_set_member_name (b, "phases");
      json_builder_begin_array (b);
      for (guint r = 0; r < f->rows->len; r++)
        {
          const SlCompareRow *row = &g_array_index (f->rows, SlCompareRow, r);
          g_autofree char *phase = sl_phase_label (row->phase);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "phase");
          json_builder_add_string_value (b, phase);
          add_number (b, "a", row->has_a, row->a);
          add_number (b, "b", row->has_b, row->b);
          add_number (b, "delta", row->has_delta, row->delta);
          add_number (b, "delta_pct", row->has_rel, row->rel_pct);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint n = 0; n < f->notes->len; n++)
        json_builder_add_string_value (b, f->notes->pdata[n]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
sl_cli_compare (int argc, char **argv)
{
  g_auto(GStrv) selectors = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "field", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &selectors, "A field selector to compare (repeatable; default: the BPF globals and top-level stats both runs have)", "SEL" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON (absent values are null)", NULL },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) a = NULL;
  g_autoptr(SlRun) b = NULL;
  g_autoptr(GPtrArray) fields = NULL;

  if (!sl_cli_parse (&argc, &argv, "A.slrun B.slrun",
                     "Compare two runs field by field, phase by phase.",
                     "Counters are compared by their per-phase delta (last − first), gauges\n"
                     "by their per-phase mean. Phases are matched by label (BASELINE, Step[k]);\n"
                     "a phase one run does not have shows '-' on that side.\n\n"
                     "Example:\n  schedlab-cli compare before.slrun after.slrun --field 'stats nr_dispatched'",
                     entries))
    return SL_EXIT_USAGE;
  if (argc != 3)
    {
      g_printerr ("schedlab-cli compare: expected A.slrun and B.slrun (see --help)\n");
      return SL_EXIT_USAGE;
    }
  a = sl_archive_load (argv[1], NULL, NULL, NULL, &error);
  if (a == NULL)
    {
      g_printerr ("schedlab-cli compare: %s: %s\n", argv[1], error->message);
      return SL_EXIT_BAD_INPUT;
    }
  b = sl_archive_load (argv[2], NULL, NULL, NULL, &error);
  if (b == NULL)
    {
      g_printerr ("schedlab-cli compare: %s: %s\n", argv[2], error->message);
      return SL_EXIT_BAD_INPUT;
    }
  fields = sl_compare_runs (a, b, (const char *const *) selectors, &error);
  if (fields == NULL)
    {
      g_printerr ("schedlab-cli compare: --field: %s\n", error->message);
      return SL_EXIT_USAGE;
    }
  if (json)
    print_json (argv[1], argv[2], fields);
  else
    {
      if (fields->len == 0)
        printf ("no field in common (use --field SEL)\n");
      print_table (fields);
    }
  return SL_EXIT_PASS;
}
