/* Tests of the bundled sample runs (data/samples/ *.slrun files) and their specs
 * (data/specs/<sample>-pass.slspec, data/specs/<sample>-fail.slspec).
 *
 * For every archive: it loads completely and its header is sane (a real run
 * names its kernel and has sched_ext; a synthetic one says so and is named
 * so). Each matching spec is run through the built schedlab-cli: a -pass spec
 * must exit 0 with every assertion passing, a -fail spec must exit 1 with
 * EVERY assertion failing and the failure text naming the assertion's field.
 * A fault sample's -fail spec is a detector, so it must also pass on the
 * healthy run that data/samples/DEFAULT names. Fault modes recorded in a
 * run's header (--bug=...) get checks of their own on the data itself. */
#include <string.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sl-archive.h"
#include "sl-field-catalog.h"
#include "sl-projection.h"
#include "sl-test-cli.h"

/* The bundled archives ship in the source tree: keep them small. */
#define SAMPLE_MAX_BYTES   ((goffset) 2 * 1024 * 1024)
/* Real runs are captured with 16-20 periodic snapshots. */
#define SAMPLE_MIN_SAMPLES 16

#define SCX_EXIT_ERROR       1024
#define SCX_EXIT_ERROR_STALL 1026

typedef struct {
  char *name;      /* file name without .slrun */
  char *path;
} Sample;

static void
sample_free (gpointer p)
{
  Sample *s = p;

  g_free (s->name);
  g_free (s->path);
  g_free (s);
}

static char *
source_path (const char *rel)
{
  const char *root = g_getenv ("SL_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, rel, NULL);
}

/* ---- schedlab-cli ------------------------------------------------------ */

/* The assertions of a spec, in file order: name → field selector text. Read
 * with GKeyFile on purpose (not the spec parser under test elsewhere), so a
 * spec the CLI misreads cannot agree with itself. */
typedef struct {
  char *name;
  char *field;
} SpecAssert;

static void
spec_assert_clear (gpointer p)
{
  SpecAssert *a = p;

  g_free (a->name);
  g_free (a->field);
}

static GArray *
spec_assertions (const char *spec_path)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  GArray *out = g_array_new (FALSE, TRUE, sizeof (SpecAssert));

  g_array_set_clear_func (out, spec_assert_clear);
  g_key_file_load_from_file (kf, spec_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      SpecAssert a;

      if (!g_str_has_prefix (groups[i], "assert "))
        continue;
      a.name = g_strdup (groups[i] + strlen ("assert "));
      a.field = g_key_file_get_string (kf, groups[i], "field", &error);
      g_assert_no_error (error);
      g_array_append_val (out, a);
    }
  if (out->len == 0)
    g_error ("%s has no [assert ...] group", spec_path);
  return out;
}

/* `check --json`: the document's assertions array (owned by the parser). */
static JsonArray *
check_json (JsonParser *parser, const char *spec, const char *run, int expect_status)
{
  const char *args[] = { "check", "--json", spec, run, NULL };
  g_auto(CliResult) r = run_cliv (args);
  g_autoptr(GError) error = NULL;
  JsonObject *doc;

  if (r.status != expect_status)
    g_error ("check --json %s %s: exit %d, expected %d\n%s%s", spec, run, r.status, expect_status,
             r.out, r.err);
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  doc = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (doc, "run_complete"));
  return json_object_get_array_member (doc, "assertions");
}

static JsonObject *
find_assertion (JsonArray *list, const char *name)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (o, "name"), name) == 0)
        return o;
    }
  g_error ("no assertion '%s' in the check output", name);
  return NULL;
}

/* Every assertion of `spec` passes on `run` (exit 0). */
static void
assert_spec_passes (const char *spec, const char *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) asserts = spec_assertions (spec);
  JsonArray *list = check_json (parser, spec, run, 0);

  g_assert_cmpuint (json_array_get_length (list), ==, asserts->len);
  for (guint i = 0; i < asserts->len; i++)
    {
      const SpecAssert *a = &g_array_index (asserts, SpecAssert, i);
      JsonObject *o = find_assertion (list, a->name);

      if (g_strcmp0 (json_object_get_string_member (o, "result"), "Pass") != 0)
        g_error ("%s on %s: assertion '%s' is %s, expected Pass", spec, run, a->name,
                 json_object_get_string_member (o, "result"));
      g_assert_cmpstr (json_object_get_string_member (o, "field"), ==, a->field);
    }
}

/* Every assertion of `spec` fails on `run` (exit 1), and the failure text
 * names it: its FAIL line carries the field selector, and at least one failing
 * outcome's message carries the field's label. */
static void
assert_spec_fails (const char *spec, const char *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) asserts = spec_assertions (spec);
  const char *args[] = { "check", spec, run, NULL };
  g_auto(CliResult) text = run_cliv (args);
  JsonArray *list = check_json (parser, spec, run, 1);

  g_assert_cmpint (text.status, ==, 1);
  g_assert_cmpuint (json_array_get_length (list), ==, asserts->len);
  for (guint i = 0; i < asserts->len; i++)
    {
      const SpecAssert *a = &g_array_index (asserts, SpecAssert, i);
      JsonObject *o = find_assertion (list, a->name);
      JsonArray *outcomes = json_object_get_array_member (o, "outcomes");
      g_autoptr(SlFieldSelector) sel = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *label = NULL;
      g_autofree char *fail_line = NULL;
      gboolean named = FALSE;

      if (g_strcmp0 (json_object_get_string_member (o, "result"), "Fail") != 0)
        g_error ("%s on %s: assertion '%s' is %s, expected Fail", spec, run, a->name,
                 json_object_get_string_member (o, "result"));
      fail_line = g_strdup_printf ("FAIL         %s  (%s: ", a->name, a->field);
      if (strstr (text.out, fail_line) == NULL)
        g_error ("%s on %s: no line '%s' in:\n%s", spec, run, fail_line, text.out);

      sel = sl_field_selector_parse (a->field, &error);
      g_assert_no_error (error);
      label = sl_field_selector_label (sel);
      for (guint k = 0; k < json_array_get_length (outcomes); k++)
        {
          JsonObject *oc = json_array_get_object_element (outcomes, k);

          if (g_strcmp0 (json_object_get_string_member (oc, "kind"), "Fail") == 0
              && strstr (json_object_get_string_member (oc, "message"), label) != NULL)
            named = TRUE;
        }
      if (!named)
        g_error ("%s on %s: no failing outcome of '%s' names '%s'", spec, run, a->name, label);
    }
}

/* ---- the archives -------------------------------------------------------- */

static SlRun *
load_sample (const Sample *s)
{
  g_autoptr(GError) error = NULL;
  SlRun *run = sl_archive_load (s->path, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

static gboolean
header_has_arg (const SlRun *run, const char *arg)
{
  for (guint i = 0; run->header.scheduler_args && run->header.scheduler_args[i]; i++)
    if (g_str_equal (run->header.scheduler_args[i], arg))
      return TRUE;
  return FALSE;
}

static char *
default_sample_name (void)
{
  g_autofree char *path = source_path ("data/samples/DEFAULT");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_strstrip (text);
  g_assert_true (g_str_has_suffix (text, ".slrun"));
  g_assert_null (strchr (text, '/'));
  g_assert_null (strchr (text, '\n'));
  return g_strndup (text, strlen (text) - strlen (".slrun"));
}

static void
test_archive (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(GFile) file = g_file_new_for_path (s->path);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
  g_autoptr(SlRun) run = load_sample (s);
  const SlRunHeader *h = &run->header;

  g_assert_nonnull (info);
  g_assert_cmpint (g_file_info_get_size (info), <=, SAMPLE_MAX_BYTES);
  g_assert_true (run->complete);
  g_assert_cmpstr (run->end_reason, ==, "finished");
  g_assert_cmpuint (run->samples->len, >, 0);
  /* A synthetic run must say so, in its header and in its name. */
  g_assert_cmpint (h->synthetic, ==, g_str_has_prefix (s->name, "synthetic-"));
  if (h->synthetic)
    return;

  g_assert_nonnull (h->kernel_version);
  g_assert_cmpstr (h->kernel_version, !=, "synthetic");
  g_assert_true (g_ascii_isdigit (h->kernel_version[0]));
  g_assert_nonnull (h->kernel_source);
  g_assert_true (h->kernel_has_sched_ext);
  g_assert_nonnull (h->scheduler);
  g_assert_nonnull (h->scenario);
  g_assert_nonnull (h->scenario_text);
  g_assert_nonnull (h->accel);
  g_assert_nonnull (h->created);
  g_assert_cmpuint (h->topology.numa_nodes * h->topology.llcs * h->topology.cores_per_llc
                    * h->topology.threads_per_core, >=, 2);
  g_assert_cmpuint (run->samples->len, >=, SAMPLE_MIN_SAMPLES);
  g_assert_cmpuint (run->stimulus->len, >, 0);
  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *smp = g_ptr_array_index (run->samples, i);

      g_assert_true (smp->elapsed_ms.set);
      g_assert_true (smp->has_step_index);
    }
  /* The scheduler ran, and left: every real sample records its exit. */
  g_assert_cmpuint (run->exits->len, >=, 1);
}

static void
test_spec_pass (gconstpointer data)
{
  const Sample *s = data;
  g_autofree char *rel = g_strdup_printf ("data/specs/%s-pass.slspec", s->name);
  g_autofree char *spec = source_path (rel);

  assert_spec_passes (spec, s->path);
}

static void
test_spec_fail (gconstpointer data)
{
  const Sample *s = data;
  g_autofree char *rel = g_strdup_printf ("data/specs/%s-fail.slspec", s->name);
  g_autofree char *spec = source_path (rel);

  assert_spec_fails (spec, s->path);
}

/* data/samples/README.md says how each run was produced and what it shows. */
static void
test_documented (gconstpointer data)
{
  const Sample *s = data;
  g_autofree char *path = source_path ("data/samples/README.md");
  g_autofree char *text = NULL;
  g_autofree char *heading = g_strdup_printf ("### `%s`", s->name);
  g_autofree char *synthetic_heading = g_strdup_printf ("## `%s.slrun`", s->name);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  if (strstr (text, heading) == NULL && strstr (text, synthetic_heading) == NULL)
    g_error ("data/samples/README.md has no section for %s", s->name);
}

/* A fault's detector holds on the healthy run: it fails for the fault, not
 * because it asks for something no run has. */
static void
test_detector_on_default (gconstpointer data)
{
  const Sample *s = data;
  g_autofree char *rel = g_strdup_printf ("data/specs/%s-fail.slspec", s->name);
  g_autofree char *spec = source_path (rel);
  g_autofree char *def = default_sample_name ();
  g_autofree char *def_rel = g_strdup_printf ("data/samples/%s.slrun", def);
  g_autofree char *def_path = source_path (def_rel);

  assert_spec_passes (spec, def_path);
}

/* DEFAULT names a real, healthy run: the scheduler was only ever
 * unregistered, never ejected with an error. */
static void
test_default (void)
{
  g_autofree char *name = default_sample_name ();
  g_autofree char *rel = g_strdup_printf ("data/samples/%s.slrun", name);
  Sample s = { name, source_path (rel) };
  g_autoptr(SlRun) run = load_sample (&s);

  g_assert_false (run->header.synthetic);
  for (guint i = 0; i < run->exits->len; i++)
    {
      const SlSchedExit *e = g_ptr_array_index (run->exits, i);

      g_assert_cmpuint (e->exit_kind, <, SCX_EXIT_ERROR);
    }
  g_assert_cmpuint (sl_run_first_gone_sample (run, NULL), >=, run->samples->len);
  g_free (s.path);
}

/* The healthy run has projectable values on all four axes. */
static void
test_default_axes (void)
{
  g_autofree char *name = default_sample_name ();
  g_autofree char *rel = g_strdup_printf ("data/samples/%s.slrun", name);
  Sample s = { name, source_path (rel) };
  g_autoptr(SlRun) run = load_sample (&s);
  g_autoptr(SlFieldCatalog) cat = sl_field_catalog_build (run, 0);
  guint with_values[4] = { 0 };

  g_assert_false (cat->truncated);
  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlSeriesField) col = NULL;

      g_assert_cmpuint (f->axis, <, G_N_ELEMENTS (with_values));
      if (with_values[f->axis] > 0)
        continue;
      col = sl_project_text (run, f->selector, f->type, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < sl_series_field_len (col); k++)
        if (sl_series_field_slot (col, k)->ok)
          {
            with_values[f->axis]++;
            break;
          }
    }
  for (guint a = 0; a < G_N_ELEMENTS (with_values); a++)
    if (with_values[a] == 0)
      g_error ("%s: no %s field has a value", s.path, sl_axis_name ((SlAxis) a));
  g_free (s.path);
}

/* --bug=stall: the kernel's ejection is recorded, samples before it see the
 * scheduler, samples after it are SchedulerGone. */
static void
test_fault_stall (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(SlRun) run = load_sample (s);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSeriesField) col = NULL;
  const SlSchedExit *gone_exit = NULL;
  guint gone = sl_run_first_gone_sample (run, &gone_exit);
  gboolean stall_exit = FALSE;

  for (guint i = 0; i < run->exits->len; i++)
    {
      const SlSchedExit *e = g_ptr_array_index (run->exits, i);

      if (e->exit_kind == SCX_EXIT_ERROR_STALL)
        {
          stall_exit = TRUE;
          g_assert_cmpstr (e->kind_name, ==, "SCX_EXIT_ERROR_STALL");
          g_assert_nonnull (e->after_tag);
          g_assert_nonnull (e->message);
          g_assert_nonnull (strstr (e->message, "failed to run for"));
        }
    }
  g_assert_true (stall_exit);
  g_assert_nonnull (gone_exit);
  g_assert_cmpuint (gone_exit->exit_kind, ==, SCX_EXIT_ERROR_STALL);
  g_assert_cmpuint (gone, >, 0);
  g_assert_cmpuint (gone, <, run->samples->len);

  col = sl_project_text (run, "bpf nr_dispatched", SL_SCALAR_U64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_series_field_len (col), ==, run->samples->len);
  for (guint i = 0; i < sl_series_field_len (col); i++)
    {
      const SlSlot *slot = sl_series_field_slot (col, i);

      if (i < gone)
        g_assert_true (slot->ok);
      else
        {
          g_assert_false (slot->ok);
          g_assert_cmpint (slot->error, ==, SL_FIELD_ERROR_SCHEDULER_GONE);
        }
    }
}

/* --bug=counter-regress: nr_dispatched goes back exactly once, by about half. */
static void
test_fault_counter_regress (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(SlRun) run = load_sample (s);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSeriesField) col = sl_project_text (run, "bpf sl_vtime.bss/nr_dispatched", SL_SCALAR_U64, &error);
  guint drops = 0, ok = 0;
  guint64 prev = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < sl_series_field_len (col); i++)
    {
      const SlSlot *slot = sl_series_field_slot (col, i);

      g_assert_true (slot->ok);
      if (ok++ > 0 && slot->value.u < prev)
        {
          drops++;
          /* Halved once it reached 100, then counting on: well below prev. */
          g_assert_cmpuint (slot->value.u, <, prev * 9 / 10);
        }
      prev = slot->value.u;
    }
  g_assert_cmpuint (drops, ==, 1);
}

/* Every other run: the scheduler was never ejected with an error. */
static void
test_no_error_exit (gconstpointer data)
{
  const Sample *s = data;
  g_autoptr(SlRun) run = load_sample (s);

  for (guint i = 0; i < run->exits->len; i++)
    {
      const SlSchedExit *e = g_ptr_array_index (run->exits, i);

      g_assert_cmpuint (e->exit_kind, <, SCX_EXIT_ERROR);
    }
}

/* ---- registration ----------------------------------------------------------- */

static gint
compare_samples (gconstpointer a, gconstpointer b)
{
  const Sample *const *sa = a, *const *sb = b;

  return g_strcmp0 ((*sa)->name, (*sb)->name);
}

static GPtrArray *
list_samples (void)
{
  g_autofree char *dir_path = source_path ("data/samples");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func (sample_free);
  const char *entry;

  g_assert_no_error (error);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      Sample *s;

      if (!g_str_has_suffix (entry, ".slrun"))
        continue;
      s = g_new0 (Sample, 1);
      s->name = g_strndup (entry, strlen (entry) - strlen (".slrun"));
      s->path = g_build_filename (dir_path, entry, NULL);
      g_ptr_array_add (out, s);
    }
  g_ptr_array_sort (out, compare_samples);
  return out;
}

static gboolean
spec_exists (const char *sample, const char *kind)
{
  g_autofree char *rel = g_strdup_printf ("data/specs/%s-%s.slspec", sample, kind);
  g_autofree char *path = source_path (rel);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The synthetic run keeps its older spec names (synthetic-pass/-fail). */
static const char *
spec_prefix (const Sample *s, gboolean synthetic)
{
  if (synthetic && !spec_exists (s->name, "pass") && !spec_exists (s->name, "fail"))
    return "synthetic";
  return s->name;
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) spec_samples = g_ptr_array_new_with_free_func (sample_free);
  g_autofree char *def = NULL;
  guint n_real = 0;

  g_test_init (&argc, &argv, NULL);
  samples = list_samples ();
  def = default_sample_name ();

  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *s = g_ptr_array_index (samples, i);
      g_autoptr(SlRun) run = load_sample (s);
      gboolean synthetic = run->header.synthetic;
      Sample *ss = g_new0 (Sample, 1);
      g_autofree char *p = NULL;

      /* Spec tests look specs up by ss->name and run them on ss->path. */
      ss->name = g_strdup (spec_prefix (s, synthetic));
      ss->path = g_strdup (s->path);
      g_ptr_array_add (spec_samples, ss);

      p = g_strdup_printf ("/samples/%s/archive", s->name);
      g_test_add_data_func (p, s, test_archive);
      g_free (p);
      p = g_strdup_printf ("/samples/%s/documented", s->name);
      g_test_add_data_func (p, s, test_documented);
      if (!synthetic)
        n_real++;
      /* A real run without any spec is a bundled sample nobody checks. */
      if (!synthetic && !spec_exists (s->name, "pass") && !spec_exists (s->name, "fail"))
        g_error ("data/samples/%s.slrun has no data/specs/%s-pass.slspec or -fail.slspec", s->name, s->name);
      if (spec_exists (ss->name, "pass"))
        {
          g_autofree char *t = g_strdup_printf ("/samples/%s/spec-pass", s->name);
          g_test_add_data_func (t, ss, test_spec_pass);
        }
      if (spec_exists (ss->name, "fail"))
        {
          g_autofree char *t = g_strdup_printf ("/samples/%s/spec-fail", s->name);
          g_test_add_data_func (t, ss, test_spec_fail);
          if (!synthetic && g_strcmp0 (s->name, def) != 0)
            {
              g_autofree char *t2 = g_strdup_printf ("/samples/%s/detector-passes-on-default", s->name);
              g_test_add_data_func (t2, ss, test_detector_on_default);
            }
        }
      if (!synthetic)
        {
          g_autofree char *t = NULL;

          if (header_has_arg (run, "--bug=stall"))
            {
              t = g_strdup_printf ("/samples/%s/fault-stall", s->name);
              g_test_add_data_func (t, s, test_fault_stall);
            }
          else
            {
              t = g_strdup_printf ("/samples/%s/no-error-exit", s->name);
              g_test_add_data_func (t, s, test_no_error_exit);
            }
          if (header_has_arg (run, "--bug=counter-regress"))
            {
              g_autofree char *t2 = g_strdup_printf ("/samples/%s/fault-counter-regress", s->name);
              g_test_add_data_func (t2, s, test_fault_counter_regress);
            }
        }
    }
  if (n_real == 0)
    g_error ("data/samples has no real (non-synthetic) run");
  g_test_add_func ("/samples/default", test_default);
  g_test_add_func ("/samples/default-has-all-axes", test_default_axes);
  return g_test_run ();
}
