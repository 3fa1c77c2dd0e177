/* cli-check.c: `schedlab-cli check SPEC RUN`: evaluate a spec's assertions on an
 * archived run; human, TAP 13 or JSON output; exit 0 pass / 1 fail / 2 inconclusive. */
#include "sl-cli.h"

#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sl-archive.h"
#include "sl-phase.h"
#include "sl-spec.h"

typedef struct {
  const SlAssertion *assertion;
  SlVerdict         *verdict;
  guint              n_samples;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->verdict, sl_verdict_unref);
}

/* "rate_within lo=0 hi=5 [Step[0],Step[1]]" */
static char *
describe_pattern (const SlAssertion *a)
{
  GString *s = g_string_new (a->pattern->name);

  for (guint i = 0; i < a->pattern->n_params; i++)
    {
      g_autofree char *text = sl_assertion_param_text (a, a->pattern->params[i].id);

      g_string_append_printf (s, " %s=%s", a->pattern->params[i].name, text ? text : "?");
    }
  if (a->type_given)
    g_string_append_printf (s, " type=%s", sl_scalar_type_name (a->type));
  if (a->phases->len > 0)
    {
      g_string_append (s, " phases=");
      for (guint i = 0; i < a->phases->len; i++)
        {
          g_autofree char *label = sl_phase_label (g_array_index (a->phases, guint16, i));
          g_string_append_printf (s, "%s%s", i ? "," : "", label);
        }
    }
  return g_string_free (s, FALSE);
}

static const char *
result_word (SlOutcomeKind k)
{
  switch (k)
    {
    case SL_OUTCOME_FAIL: return "FAIL";
    case SL_OUTCOME_INCONCLUSIVE: return "INCONCLUSIVE";
    default: return "PASS";
    }
}

static void
print_human (const char *run_path, SlRun *run, Result *results, guint n, gboolean verbose)
{
  guint passed = 0, failed = 0, inconclusive = 0;

  for (guint i = 0; i < n; i++)
    {
      const Result *r = &results[i];
      SlOutcomeKind k = sl_verdict_result (r->verdict);
      g_autofree char *pattern = describe_pattern (r->assertion);
      gboolean show_notes = verbose || k == SL_OUTCOME_FAIL || k == SL_OUTCOME_INCONCLUSIVE;

      printf ("%-12s %s  (%s: %s)\n", result_word (k), r->assertion->name,
              r->assertion->selector->text, pattern);
      for (guint o = 0; o < r->verdict->outcomes->len; o++)
        {
          const SlOutcome *out = &g_array_index (r->verdict->outcomes, SlOutcome, o);

          if (out->kind == SL_OUTCOME_FAIL || out->kind == SL_OUTCOME_INCONCLUSIVE || verbose)
            printf ("    %s%s%s%s%s\n", out->kind == SL_OUTCOME_INCONCLUSIVE ? "inconclusive: " : "",
                    out->message, out->phase ? " (phase " : "", out->phase ? out->phase : "",
                    out->phase ? ")" : "");
        }
      for (guint o = 0; show_notes && o < r->verdict->notes->len; o++)
        {
          const SlNote *note = &g_array_index (r->verdict->notes, SlNote, o);
          printf ("    note: %s\n", note->message);
        }
      if (verbose)
        printf ("    (%u sample%s evaluated)\n", r->n_samples, r->n_samples == 1 ? "" : "s");
      if (k == SL_OUTCOME_FAIL)
        failed++;
      else if (k == SL_OUTCOME_INCONCLUSIVE)
        inconclusive++;
      else
        passed++;
    }
  printf ("\n%u assertion%s on %s (%u samples): %u passed, %u failed, %u inconclusive\n",
          n, n == 1 ? "" : "s", run_path, run->samples->len, passed, failed, inconclusive);
}

/* A YAML double-quoted scalar. */
static void
print_yaml_string (const char *s)
{
  putchar ('"');
  for (const char *p = s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        printf ("\\%c", *p);
      else if (*p == '\n')
        fputs ("\\n", stdout);
      else if ((guchar) *p < 0x20)
        printf ("\\x%02x", (guchar) *p);
      else
        putchar (*p);
    }
  putchar ('"');
}

static void
print_tap (Result *results, guint n)
{
  printf ("TAP version 13\n1..%u\n", n);
  for (guint i = 0; i < n; i++)
    {
      const Result *r = &results[i];
      SlOutcomeKind k = sl_verdict_result (r->verdict);
      g_autofree char *pattern = describe_pattern (r->assertion);
      gboolean any_message = FALSE;

      printf ("%s %u - %s: %s %s%s\n", k == SL_OUTCOME_FAIL || k == SL_OUTCOME_INCONCLUSIVE ? "not ok" : "ok",
              i + 1, r->assertion->name, r->assertion->selector->text, pattern,
              k == SL_OUTCOME_INCONCLUSIVE ? " # TODO inconclusive" : "");
      if (r->verdict->outcomes->len == 0 && r->verdict->notes->len == 0)
        continue;
      printf ("  ---\n  result: %s\n", sl_outcome_kind_name (k));
      for (guint o = 0; o < r->verdict->outcomes->len; o++)
        {
          const SlOutcome *out = &g_array_index (r->verdict->outcomes, SlOutcome, o);

          if (!any_message)
            printf ("  messages:\n");
          any_message = TRUE;
          printf ("    - ");
          print_yaml_string (out->message);
          putchar ('\n');
        }
      if (r->verdict->notes->len > 0)
        printf ("  notes:\n");
      for (guint o = 0; o < r->verdict->notes->len; o++)
        {
          printf ("    - ");
          print_yaml_string (g_array_index (r->verdict->notes, SlNote, o).message);
          putchar ('\n');
        }
      printf ("  ...\n");
    }
}

static void
add_opt_u64 (JsonBuilder *b, const char *key, SlOptU64 v)
{
  json_builder_set_member_name (b, key);
  if (v.set)
    json_builder_add_int_value (b, (gint64) MIN (v.v, (guint64) G_MAXINT64));
  else
    json_builder_add_null_value (b);
}

static void
print_json (const char *spec_path, const char *run_path, SlRun *run, Result *results, guint n, int exit_code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint counts[4] = { 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spec");
  json_builder_add_string_value (b, spec_path);
  json_builder_set_member_name (b, "run");
  json_builder_add_string_value (b, run_path);
  json_builder_set_member_name (b, "run_complete");
  json_builder_add_boolean_value (b, run->complete);
  json_builder_set_member_name (b, "assertions");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      const Result *r = &results[i];
      const SlAssertion *a = r->assertion;
      SlOutcomeKind k = sl_verdict_result (r->verdict);

      counts[k == SL_OUTCOME_SKIP ? SL_OUTCOME_PASS : k]++;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, a->name);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, a->selector->text);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, sl_scalar_type_name (a->type));
      json_builder_set_member_name (b, "pattern");
      json_builder_add_string_value (b, a->pattern->name);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_object (b);
      for (guint p = 0; p < a->pattern->n_params; p++)
        {
          g_autofree char *t = sl_assertion_param_text (a, a->pattern->params[p].id);

          json_builder_set_member_name (b, a->pattern->params[p].name);
          json_builder_add_string_value (b, t);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "phases");
      json_builder_begin_array (b);
      for (guint p = 0; p < a->phases->len; p++)
        {
          g_autofree char *label = sl_phase_label (g_array_index (a->phases, guint16, p));
          json_builder_add_string_value (b, label);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "result");
      json_builder_add_string_value (b, sl_outcome_kind_name (k));
      json_builder_set_member_name (b, "samples");
      json_builder_add_int_value (b, r->n_samples);
      json_builder_set_member_name (b, "outcomes");
      json_builder_begin_array (b);
      for (guint o = 0; o < r->verdict->outcomes->len; o++)
        {
          const SlOutcome *out = &g_array_index (r->verdict->outcomes, SlOutcome, o);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, sl_outcome_kind_name (out->kind));
          json_builder_set_member_name (b, "detail");
          json_builder_add_string_value (b, sl_detail_kind_name (out->detail));
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, out->message);
          json_builder_set_member_name (b, "phase");
          json_builder_add_string_value (b, out->phase);
          json_builder_set_member_name (b, "first_slot");
          json_builder_add_int_value (b, out->first_slot);
          json_builder_set_member_name (b, "last_slot");
          json_builder_add_int_value (b, out->last_slot);
          add_opt_u64 (b, "t_first_ms", out->t_first_ms);
          add_opt_u64 (b, "t_last_ms", out->t_last_ms);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "notes");
      json_builder_begin_array (b);
      for (guint o = 0; o < r->verdict->notes->len; o++)
        {
          const SlNote *note = &g_array_index (r->verdict->notes, SlNote, o);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, note->message);
          json_builder_set_member_name (b, "phase");
          json_builder_add_string_value (b, note->phase);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "passed");
  json_builder_add_int_value (b, counts[SL_OUTCOME_PASS]);
  json_builder_set_member_name (b, "failed");
  json_builder_add_int_value (b, counts[SL_OUTCOME_FAIL]);
  json_builder_set_member_name (b, "inconclusive");
  json_builder_add_int_value (b, counts[SL_OUTCOME_INCONCLUSIVE]);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, exit_code == SL_EXIT_FAIL ? "Fail"
                                    : exit_code == SL_EXIT_INCONCLUSIVE ? "Inconclusive" : "Pass");
  json_builder_set_member_name (b, "exit_code");
  json_builder_add_int_value (b, exit_code);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
sl_cli_check (int argc, char **argv)
{
  gboolean tap = FALSE, json = FALSE, verbose = FALSE;
  const GOptionEntry entries[] = {
    { "tap", 0, 0, G_OPTION_ARG_NONE, &tap, "Print TAP version 13 (one test point per assertion)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON document with every outcome and note", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Also show notes and outcomes of passing assertions", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSpec) spec = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autofree Result *results = NULL;
  SlOutcomeKind overall = SL_OUTCOME_PASS;
  int exit_code;

  if (!sl_cli_parse (&argc, &argv, "SPEC RUN",
                     "Evaluate the assertions of SPEC (.slspec) on the archived RUN (.slrun).",
                     "Each assertion projects a field of the run (bpf, stats, host or monitor\n"
                     "axis), keeps the samples of its phase scope and runs its pattern.\n"
                     "The spec format is described in doc/spec-format.md.\n\n"
                     "Exit status: 0 every assertion passed, 1 one failed, 2 none failed but one\n"
                     "was inconclusive, 64 bad command line, 65 invalid spec (the message names\n"
                     "the assertion and key), 66 run archive missing or unreadable. An incomplete\n"
                     "run (no footer) is still checked, with a warning.",
                     entries))
    return SL_EXIT_USAGE;
  if (argc != 3)
    {
      g_printerr ("schedlab-cli check: expected SPEC and RUN (see --help)\n");
      return SL_EXIT_USAGE;
    }
  if (tap && json)
    {
      g_printerr ("schedlab-cli check: --tap and --json are exclusive\n");
      return SL_EXIT_USAGE;
    }

  spec = sl_spec_load (argv[1], &error);
  if (spec == NULL)
    {
      g_printerr ("schedlab-cli check: invalid spec: %s\n", error->message);
      return SL_EXIT_BAD_SPEC;
    }
  run = sl_archive_load (argv[2], NULL, NULL, NULL, &error);
  if (run == NULL)
    {
      g_printerr ("schedlab-cli check: cannot read run '%s': %s\n", argv[2], error->message);
      return SL_EXIT_BAD_INPUT;
    }
  if (!run->complete)
    g_printerr ("schedlab-cli check: warning: run '%s' is incomplete (%s); checking the %u samples it has\n",
                argv[2], run->incomplete_reason ? run->incomplete_reason : "no footer", run->samples->len);

  results = g_new0 (Result, spec->assertions->len + 1);
  for (guint i = 0; i < spec->assertions->len; i++)
    {
      const SlAssertion *a = g_ptr_array_index (spec->assertions, i);
      g_autoptr(SlSeriesField) field = NULL;

      results[i].assertion = a;
      results[i].verdict = sl_assertion_evaluate (a, run, &field, &error);
      if (results[i].verdict == NULL)
        {
          g_printerr ("schedlab-cli check: invalid spec %s: %s\n", argv[1], error->message);
          for (guint k = 0; k <= i; k++)
            result_clear (&results[k]);
          return SL_EXIT_BAD_SPEC;
        }
      results[i].n_samples = sl_series_field_len (field);
      overall = MAX (overall, sl_verdict_result (results[i].verdict));
    }
  exit_code = sl_outcome_exit_code (overall);

  if (tap)
    print_tap (results, spec->assertions->len);
  else if (json)
    print_json (argv[1], argv[2], run, results, spec->assertions->len, exit_code);
  else
    print_human (argv[2], run, results, spec->assertions->len, verbose);
  fflush (stdout);

  for (guint i = 0; i < spec->assertions->len; i++)
    result_clear (&results[i]);
  return exit_code;
}
