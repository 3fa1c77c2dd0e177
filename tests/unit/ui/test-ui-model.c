/* The workbench's GUI-free half: session, tracks and verdict painting,
 * parameter prefill, spec / test / image export, session files and the
 * loader's handling of truncated and damaged archives. No display needed. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include "sl-archive.h"
#include "sl-export.h"
#include "sl-loader.h"
#include "sl-prefill.h"
#include "sl-session.h"
#include "sl-session-file.h"
#include "sl-view-model.h"
#include "sl-test-run.h"

#define DISPATCHED "stats nr_dispatched"
#define BUSY "stats busy"

static SlSession *
new_session (void)
{
  g_autoptr(SlRun) run = sl_test_run_new ();
  return sl_session_new (run, NULL);
}

static void
test_session_basics (void)
{
  g_autoptr(SlSession) s = new_session ();
  const SlRenderPhase *phases;
  guint n, i;
  double t0, t1;
  SlTrack *t;

  phases = sl_session_get_phases (s, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpstr (phases[0].label, ==, "BASELINE");
  g_assert_cmpstr (phases[2].label, ==, "Step[1]");
  sl_session_get_document_range (s, &t0, &t1);
  g_assert_cmpfloat (t0, <=, 50);
  g_assert_cmpfloat (t1, >=, 4950);

  i = sl_session_add_track (s, DISPATCHED);
  g_assert_cmpuint (i, ==, 0);
  g_assert_cmpint (sl_session_get_selected_track (s), ==, 0);
  /* Adding the same field again selects it instead of duplicating. */
  g_assert_cmpuint (sl_session_add_track (s, DISPATCHED), ==, 0);
  g_assert_cmpuint (sl_session_get_n_tracks (s), ==, 1);
  t = sl_session_get_track (s, 0);
  g_assert_nonnull (t->field);
  g_assert_cmpuint (t->plot->n, ==, SL_TEST_N_SAMPLES);
  g_assert_cmpuint (t->n_errors, ==, 1);
  /* The missing-stats sample is a gap whose hover text explains it. */
  {
    gint p = sl_track_point_at (t, SL_TEST_MISSING_MS + 50, 1);
    const SlSlot *slot;
    g_assert_cmpint (p, >=, 0);
    g_assert_false (t->plot->ok[p]);
    slot = sl_track_slot_of_point (t, p);
    g_assert_false (slot->ok);
    g_assert_cmpint (slot->error, ==, SL_FIELD_ERROR_MISSING_STATS);
  }
  sl_session_add_track (s, "stats no_such_key");
  t = sl_session_get_track (s, 1);
  g_assert_nonnull (t->plot);
  g_assert_cmpuint (t->n_errors, ==, SL_TEST_N_SAMPLES);

  sl_session_remove_track (s, 1);
  g_assert_cmpuint (sl_session_get_n_tracks (s), ==, 1);
}

static void
test_zoom_pan (void)
{
  g_autoptr(SlSession) s = new_session ();
  double d0, d1, t0, t1, a, b;
  guint16 phase;

  sl_session_get_document_range (s, &d0, &d1);
  sl_session_zoom (s, 0.5, 2000);
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t1 - t0, (d1 - d0) / 2, 1e-6);
  g_assert_cmpfloat (t0, <=, 2000);
  g_assert_cmpfloat (t1, >=, 2000);
  /* Panning never leaves the document. */
  for (guint i = 0; i < 20; i++)
    sl_session_pan (s, 0.5);
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t1, d1, 1e-6);
  /* Zooming out past the document stops at the document. */
  sl_session_zoom (s, 100, NAN);
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat_with_epsilon (t0, d0, 1e-6);
  g_assert_cmpfloat_with_epsilon (t1, d1, 1e-6);

  g_assert_true (sl_session_fit_phase (s, 1));
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat (t0, <, 1000);
  g_assert_cmpfloat (t0, >, 900);
  g_assert_cmpfloat (t1, >, 3000);
  g_assert_cmpfloat (t1, <, 3100);

  g_assert_true (sl_session_phase_at (s, 3500, &phase));
  g_assert_cmpuint (phase, ==, 2);

  sl_session_set_selection (s, 1200, 2400);
  g_assert_true (sl_session_get_selection (s, &a, &b));
  {
    g_autoptr(GArray) in = sl_session_phases_in_selection (s);
    g_assert_cmpuint (in->len, ==, 1);
    g_assert_cmpuint (g_array_index (in, guint16, 0), ==, 1);
  }
  g_assert_true (sl_session_zoom_to_selection (s));
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat (t0, ==, 1200);
  g_assert_cmpfloat (t1, ==, 2400);
  g_assert_false (sl_session_get_selection (s, NULL, NULL));
}

static SlAssertion *
make_assertion (const char *name, const char *selector, const char *pattern)
{
  g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (selector, NULL);
  g_autoptr(GError) error = NULL;
  SlAssertion *a = sl_assertion_new (name, sel, pattern, &error);

  g_assert_no_error (error);
  return a;
}

static void
apply_prefill (SlSession *s, SlAssertion *a, SlTrack *t, const guint16 *scope, guint n_scope)
{
  guint n;
  const SlRenderPhase *phases = sl_session_get_phases (s, &n);
  guint16 all[8];
  SlPrefill pf;

  for (guint i = 0; i < n; i++)
    all[i] = phases[i].phase;
  sl_prefill_compute (&pf, a->pattern, t->field, scope, n_scope, NULL, all, n);
  for (guint i = 0; i < a->pattern->n_params; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *text = pf.text[a->pattern->params[i].id];
      g_assert_nonnull (text);
      g_assert_true (sl_assertion_set_param_text (a, a->pattern->params[i].name, text, &error));
      g_assert_no_error (error);
    }
  if (n_scope)
    sl_assertion_set_phases (a, scope, n_scope);
  sl_prefill_clear (&pf);
}

static void
test_prefill_passes (void)
{
  /* Every pattern prefilled from the data passes on that data. Scopes avoid
   * what no parameter can excuse: the regression (Step[1]) and, for the
   * strict per-sample checks, the missing-stats sample (Step[0]). */
  static const char *const patterns[] = {
    "rate_within", "steady_within", "converges_to", "each.at_least", "each.at_most", "each.between",
  };
  g_autoptr(SlSession) s = new_session ();
  SlTrack *dispatched, *busy;
  guint16 step0 = 1, baseline = 0;

  sl_session_add_track (s, DISPATCHED);
  sl_session_add_track (s, BUSY);
  dispatched = sl_session_get_track (s, 0);
  busy = sl_session_get_track (s, 1);
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      SlTrack *t = g_str_has_prefix (patterns[i], "each") || g_str_equal (patterns[i], "rate_within") ? dispatched : busy;
      g_autoptr(SlAssertion) a = make_assertion ("p", t->selector, patterns[i]);
      g_autoptr(SlVerdict) v = NULL;
      g_autoptr(GError) error = NULL;

      if (sl_pattern_accepts_type (a->pattern, t->type))
        sl_assertion_set_type (a, t->type, NULL);
      apply_prefill (s, a, t, g_str_has_prefix (patterns[i], "each") ? &baseline : &step0, 1);
      v = sl_assertion_evaluate (a, sl_session_get_run (s), NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s on %s -> %s", patterns[i], t->selector, sl_outcome_kind_name (sl_verdict_result (v)));
      g_assert_cmpint (sl_verdict_result (v), ==, SL_OUTCOME_PASS);
    }
  /* The observed rate is 10 per ms: the suggestion brackets it. */
  {
    g_autoptr(SlAssertion) a = make_assertion ("r", DISPATCHED, "rate_within");
    SlPrefill pf;
    sl_prefill_compute (&pf, a->pattern, dispatched->field, &step0, 1, NULL, NULL, 0);
    g_assert_cmpfloat (g_ascii_strtod (pf.text[SL_PARAM_LO], NULL), <=, 10);
    g_assert_cmpfloat (g_ascii_strtod (pf.text[SL_PARAM_HI], NULL), >=, 10);
    g_assert_cmpfloat (g_ascii_strtod (pf.text[SL_PARAM_HI], NULL), <, 20);
    sl_prefill_clear (&pf);
  }
}

static void
test_draft_paints_failure (void)
{
  g_autoptr(SlSession) s = new_session ();
  SlTrack *t;
  gint fail_point = -1;
  guint n_marked = 0;

  sl_session_add_track (s, DISPATCHED);
  sl_session_set_draft (s, make_assertion ("mono", DISPATCHED, "nondecreasing"));
  g_assert_nonnull (sl_session_get_draft_verdict (s));
  g_assert_cmpint (sl_verdict_result (sl_session_get_draft_verdict (s)), ==, SL_OUTCOME_FAIL);

  t = sl_session_get_track (s, 0);
  g_assert_true (t->has_verdict);
  g_assert_cmpint (t->verdict_kind, ==, SL_OUTCOME_FAIL);
  for (guint i = 0; i < t->plot->n; i++)
    if (t->marks[i] == SL_MARK_FAIL)
      {
        fail_point = (gint) i;
        n_marked++;
      }
  /* Exactly the regressing sample is marked. */
  g_assert_cmpuint (n_marked, ==, 1);
  g_assert_cmpfloat (t->plot->t[fail_point], ==, SL_TEST_REGRESSION_MS + 50);
  g_assert_cmpuint (t->spans->len, >=, 1);

  /* Rendering the view puts red at that sample's x. */
  {
    SlRenderStyle style;
    g_autoptr(SlViewModel) vm = NULL;
    cairo_surface_t *surf = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1000, 100);
    cairo_t *cr = cairo_create (surf);
    SlTimeMap tm;
    SlBucket scratch[1000];
    guint n_phases, red = 0;
    const SlRenderPhase *phases = sl_session_get_phases (s, &n_phases);
    const SlRenderTrack *rt;
    int x;

    sl_render_style_init (&style, FALSE);
    sl_session_get_view (s, &tm.t0, &tm.t1);
    tm.x0 = SL_RENDER_HEADER_WIDTH;
    tm.width = 1000 - SL_RENDER_HEADER_WIDTH;
    vm = sl_view_model_build (s, &style, tm.t0, tm.t1, 0);
    rt = &g_array_index (vm->tracks, SlRenderTrack, 0);
    g_assert_cmpstr (rt->badge, ==, "FAIL");
    sl_render_track (cr, &style, &tm, phases, n_phases, rt, 0, 100, scratch, 1000);
    cairo_surface_flush (surf);
    x = (int) lround (sl_time_map_x (&tm, SL_TEST_REGRESSION_MS + 50));
    for (int y = 0; y < 100; y++)
      for (int dx = -2; dx <= 2; dx++)
        {
          const guint8 *p = cairo_image_surface_get_data (surf) + y * cairo_image_surface_get_stride (surf) + (x + dx) * 4;
          red += p[2] > 180 && p[1] < 80 && p[0] < 80;
        }
    g_assert_cmpuint (red, >=, 5);
    cairo_destroy (cr);
    cairo_surface_destroy (surf);
  }

  /* Clearing the draft clears the marks. */
  sl_session_set_draft (s, NULL);
  g_assert_false (t->has_verdict);
  g_assert_null (t->marks);
}

static void
add_two_assertions (SlSession *s)
{
  guint16 baseline = 0;
  SlAssertion *pass = make_assertion ("busy-bounded", BUSY, "each.between");
  SlAssertion *fail = make_assertion ("dispatch-monotonic", DISPATCHED, "nondecreasing");

  sl_session_add_track (s, BUSY);
  sl_assertion_set_type (pass, SL_SCALAR_F64, NULL);
  sl_assertion_set_param_text (pass, "lo", "40", NULL);
  sl_assertion_set_param_text (pass, "hi", "60", NULL);
  sl_assertion_set_phases (pass, &baseline, 1);
  sl_session_commit (s, pass);
  sl_session_commit (s, fail);
}

static void
test_authored_and_spec (void)
{
  g_autoptr(SlSession) s = new_session ();
  GPtrArray *au;
  SlAuthored *fail;
  g_autofree char *passing = NULL;
  g_autofree char *all = NULL;
  g_autoptr(SlSpec) parsed = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  double t0, t1, a, b;

  add_two_assertions (s);
  au = sl_session_get_authored (s);
  g_assert_cmpuint (au->len, ==, 2);
  fail = g_ptr_array_index (au, 1);
  g_assert_cmpint (sl_verdict_result (fail->verdict), ==, SL_OUTCOME_FAIL);
  /* Per phase: the regression is in Step[1] only. */
  g_assert_cmpuint (fail->phase_verdicts->len, ==, 3);
  g_assert_cmpint (sl_verdict_result (g_ptr_array_index (fail->phase_verdicts, 1)), ==, SL_OUTCOME_PASS);
  g_assert_cmpint (sl_verdict_result (g_ptr_array_index (fail->phase_verdicts, 2)), ==, SL_OUTCOME_FAIL);
  /* The passing one is scoped to BASELINE: other phases have no verdict. */
  g_assert_nonnull (g_ptr_array_index (((SlAuthored *) g_ptr_array_index (au, 0))->phase_verdicts, 0));
  g_assert_null (g_ptr_array_index (((SlAuthored *) g_ptr_array_index (au, 0))->phase_verdicts, 1));

  /* Replacing by name keeps one entry. */
  sl_session_commit (s, make_assertion ("dispatch-monotonic", DISPATCHED, "nondecreasing"));
  g_assert_cmpuint (au->len, ==, 2);
  {
    g_autofree char *name = sl_session_unique_name (s, "busy-bounded");
    g_assert_cmpstr (name, ==, "busy-bounded-2");
  }

  passing = sl_export_spec_data (s, FALSE, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (passing, "busy-bounded"));
  g_assert_null (strstr (passing, "dispatch-monotonic"));
  all = sl_export_spec_data (s, TRUE, &n);
  g_assert_cmpuint (n, ==, 2);
  parsed = sl_spec_parse (all, -1, "exported", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->assertions->len, ==, 2);
  /* The exported spec gives the same verdicts when evaluated again. */
  for (guint i = 0; i < parsed->assertions->len; i++)
    {
      g_autoptr(SlVerdict) v = sl_assertion_evaluate (g_ptr_array_index (parsed->assertions, i),
                                                      sl_session_get_run (s), NULL, NULL);
      g_assert_cmpint (sl_verdict_result (v), ==, sl_verdict_result (((SlAuthored *) g_ptr_array_index (au, i))->verdict));
    }

  /* Activating the failure zooms to it and selects it. */
  g_assert_true (sl_session_reveal_failure (s, 1, -1));
  sl_session_get_view (s, &t0, &t1);
  g_assert_cmpfloat (t0, <=, SL_TEST_REGRESSION_MS + 50);
  g_assert_cmpfloat (t1, >=, SL_TEST_REGRESSION_MS + 50);
  g_assert_true (sl_session_get_selection (s, &a, &b));
  g_assert_cmpfloat (b, ==, SL_TEST_REGRESSION_MS + 50);
  g_assert_cmpint (sl_session_get_selected_track (s), ==, sl_session_find_track (s, DISPATCHED));

  sl_session_remove_authored (s, 0);
  g_assert_cmpuint (au->len, ==, 1);
}

static void
test_export_test_file (void)
{
  g_autoptr(SlSession) s = new_session ();
  g_autofree char *data = NULL;
  g_autofree char *spec_part = NULL;
  g_autofree char *run_part = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(SlSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;

  add_two_assertions (s);
  data = sl_export_test_data (s, FALSE, NULL);
  sl_export_split_test (data, &spec_part, &run_part);
  g_assert_nonnull (spec_part);
  g_assert_nonnull (run_part);
  spec = sl_spec_parse (spec_part, -1, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spec->assertions->len, ==, 1);
  g_assert_true (g_key_file_load_from_data (kf, run_part, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  {
    g_autofree char *sched = g_key_file_get_string (kf, "run", "scheduler", NULL);
    g_autofree char *topo = g_key_file_get_string (kf, "run", "topology", NULL);
    g_autofree char *scen = g_key_file_get_string (kf, "run", "scenario", NULL);
    g_assert_cmpstr (sched, ==, "scx_simple");
    g_assert_cmpstr (scen, ==, "two-cgroups");
    g_assert_cmpstr (topo, ==, "1n1l2c1t");
  }
  g_assert_cmpuint (g_key_file_get_uint64 (kf, "run", "duration_ms", NULL), ==, 5000);
  g_assert_cmpuint (g_key_file_get_uint64 (kf, "run", "snapshots", NULL), ==, SL_TEST_N_SAMPLES);
  args = g_key_file_get_string_list (kf, "run", "scheduler_args", NULL, NULL);
  g_assert_cmpuint (g_strv_length (args), ==, 2);
  g_assert_cmpstr (args[1], ==, "5000");
  g_assert_true (g_key_file_has_key (kf, "run", "kernel", NULL));
}

static void
test_export_images (void)
{
  g_autoptr(SlSession) s = new_session ();
  g_autofree char *dir = g_dir_make_tmp ("sl-ui-XXXXXX", NULL);
  static const char *const names[] = { "view.png", "view.svg", "view.pdf" };
  SlRenderStyle style;
  SlImageFormat f;

  g_assert_false (sl_image_format_from_path ("view.jpg", &f));
  g_assert_true (sl_image_format_from_path ("VIEW.PDF", &f));
  g_assert_cmpint (f, ==, SL_IMAGE_PDF);
  sl_render_style_init (&style, FALSE);
  sl_session_add_track (s, DISPATCHED);
  sl_session_add_track (s, BUSY);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;
      GStatBuf st;

      g_assert_true (sl_image_format_from_path (path, &f));
      g_assert_true (sl_export_image (s, &style, path, f, 1200, 0, 5000, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 1000);
      if (f == SL_IMAGE_PNG)
        {
          cairo_surface_t *png = cairo_image_surface_create_from_png (path);
          g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1200);
          g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) (32 + SL_RENDER_RULER_HEIGHT + 2 * SL_TRACK_HEIGHT));
          cairo_surface_destroy (png);
        }
      g_remove (path);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (sl_export_image (s, &style, "/nonexistent-dir/x.png", SL_IMAGE_PNG, 800, 0, 5000, &error));
    g_assert_nonnull (error);
  }
  g_rmdir (dir);
}

static void
test_session_file_roundtrip (void)
{
  g_autoptr(SlSession) a = new_session ();
  g_autoptr(SlSession) b = new_session ();
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  double t0, t1;
  SlTrack *t;

  add_two_assertions (a);
  sl_session_add_track (a, DISPATCHED);
  t = sl_session_get_track (a, 1);
  sl_track_set_mode (t, SL_COUNTER_RATE);
  t->yrange = SL_YRANGE_FIXED;
  t->fixed_lo = 1;
  t->fixed_hi = 99;
  sl_session_set_view (a, 1000, 2000);
  data = sl_session_file_to_data (a);

  g_assert_true (sl_session_file_apply (b, data, strlen (data), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_session_get_n_tracks (b), ==, 2);
  t = sl_session_get_track (b, 1);
  g_assert_cmpstr (t->selector, ==, DISPATCHED);
  g_assert_cmpint (t->mode, ==, SL_COUNTER_RATE);
  g_assert_cmpint (t->yrange, ==, SL_YRANGE_FIXED);
  g_assert_cmpfloat (t->fixed_hi, ==, 99);
  sl_session_get_view (b, &t0, &t1);
  g_assert_cmpfloat (t0, ==, 1000);
  g_assert_cmpfloat (t1, ==, 2000);
  g_assert_cmpuint (sl_session_get_authored (b)->len, ==, 2);

  /* Untrusted documents: wrong format, garbage, newer version. */
  g_assert_false (sl_session_file_apply (b, "{\"format\":\"other\"}", 19, &error));
  g_clear_error (&error);
  g_assert_false (sl_session_file_apply (b, "not json", 8, &error));
  g_clear_error (&error);
  g_assert_false (sl_session_file_apply (b, "[1,2]", 5, &error));
  g_clear_error (&error);
  {
    const char *newer = "{\"format\":\"schedlab-session\",\"version\":99}";
    g_assert_false (sl_session_file_apply (b, newer, strlen (newer), &error));
    g_assert_error (error, SL_ERROR, SL_ERROR_VERSION);
  }
}

static void
test_session_file_paths (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-ui-XXXXXX", NULL);
  g_autofree char *archive = g_build_filename (dir, "run.slrun", NULL);
  g_autoptr(SlRun) run = sl_test_run_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *beside = sl_session_file_path_beside (archive);
  g_autofree char *in_data = sl_session_file_path_in_data_dir (archive);

  g_assert_true (g_str_has_suffix (beside, "run.slrun.session.json"));
  g_assert_true (g_str_has_prefix (in_data, g_get_user_data_dir ()));
  g_assert_nonnull (strstr (in_data, "schedlab/sessions/run.slrun-"));
  {
    g_autoptr(SlSession) s = sl_session_new (run, archive);
    sl_session_add_track (s, BUSY);
    saved = sl_session_file_save (s, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (saved, ==, beside);
  }
  {
    g_autoptr(SlSession) s = sl_session_new (run, archive);
    g_assert_true (sl_session_file_restore (s, &error));
    g_assert_cmpuint (sl_session_get_n_tracks (s), ==, 1);
  }
  g_remove (beside);
  g_rmdir (dir);
}

static void
test_loader (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-ui-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.slrun", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.slrun", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.slrun", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.slrun", NULL);
  g_autoptr(SlRun) run = sl_test_run_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;

  sl_archive_save (run, path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *warning = NULL;
    g_autoptr(SlRun) loaded = sl_loader_load (path, NULL, NULL, NULL, &warning, &error);
    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_assert_null (warning);
    g_assert_cmpuint (loaded->samples->len, ==, SL_TEST_N_SAMPLES);
  }
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));

  /* Cut in the middle of a record: opens what is there, with a warning. */
  g_assert_true (g_file_set_contents (cut, data, (gssize) (len * 2 / 3), NULL));
  {
    g_autofree char *warning = NULL;
    g_autoptr(SlRun) loaded = sl_loader_load (cut, NULL, NULL, NULL, &warning, &error);
    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_assert_false (loaded->complete);
    g_assert_nonnull (warning);
    g_assert_cmpuint (loaded->samples->len, <, SL_TEST_N_SAMPLES);
    g_assert_cmpuint (loaded->samples->len, >, 0);
  }

  /* A damaged line in the middle: the records before it are salvaged. */
  {
    GString *s = g_string_new_len (data, (gssize) len);
    const char *mid = strchr (s->str + len / 2, '\n');
    gsize at = (gsize) (mid - s->str) + 1;
    g_string_insert (s, (gssize) at, "{this is not json\n");
    g_assert_true (g_file_set_contents (bad, s->str, (gssize) s->len, NULL));
    g_string_free (s, TRUE);
  }
  {
    g_autofree char *warning = NULL;
    g_autoptr(SlRun) loaded = sl_loader_load (bad, NULL, NULL, NULL, &warning, &error);
    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_assert_nonnull (warning);
    g_assert_nonnull (strstr (warning, "damaged"));
    g_assert_cmpuint (loaded->samples->len, >, 0);
  }

  /* Not an archive at all: an error that says so. */
  g_assert_true (g_file_set_contents (junk, "hello\nworld\n", -1, NULL));
  {
    g_autoptr(SlRun) loaded = sl_loader_load (junk, NULL, NULL, NULL, NULL, &error);
    g_assert_null (loaded);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  {
    g_autoptr(SlRun) loaded = sl_loader_load ("/nonexistent/x.slrun", NULL, NULL, NULL, NULL, &error);
    g_assert_null (loaded);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_remove (path);
  g_remove (cut);
  g_remove (bad);
  g_remove (junk);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui-model/session/basics", test_session_basics);
  g_test_add_func ("/ui-model/session/zoom-pan", test_zoom_pan);
  g_test_add_func ("/ui-model/prefill/passes", test_prefill_passes);
  g_test_add_func ("/ui-model/draft/paints-failure", test_draft_paints_failure);
  g_test_add_func ("/ui-model/authored/spec", test_authored_and_spec);
  g_test_add_func ("/ui-model/export/test-file", test_export_test_file);
  g_test_add_func ("/ui-model/export/images", test_export_images);
  g_test_add_func ("/ui-model/session-file/roundtrip", test_session_file_roundtrip);
  g_test_add_func ("/ui-model/session-file/paths", test_session_file_paths);
  g_test_add_func ("/ui-model/loader", test_loader);
  return g_test_run ();
}
