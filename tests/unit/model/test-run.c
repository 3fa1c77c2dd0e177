/* Tests of the run model: topology text, phase labels, tag rules, names,
 * lifetime, stimulus phase assignment and phase ranges. */
#include <string.h>

#include "sl-phase.h"
#include "sl-run.h"

static void
test_topology_parse (void)
{
  const struct { const char *text; guint n, l, c, t, cpus; } ok[] = {
    { "1,2,4,1", 1, 2, 4, 1, 8 },
    { "1n2l4c1t", 1, 2, 4, 1, 8 },
    { "2n1l3c2t", 2, 1, 3, 2, 12 },
    { "1,1,1,1", 1, 1, 1, 1, 1 },
    { "4,4,16,16", 4, 4, 16, 16, 4096 },
  };
  const char *bad[] = {
    "", "1,2,4", "1,2,4,1,1", "0,1,1,1", "1,0,1,1", "1n2l4c0t", "1n2l4c", "1n2l4c1t9", "a,b,c,d",
    "1,,1,1", "1,2,4,", "-1,2,4,1", "1l2n4c1t", "1n2l4c1t ", "4,4,16,17", "99999999,1,1,1", "1n l4c1t",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      SlTopology t = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      SlTopology again = { 0 };

      g_assert_true (sl_topology_parse (ok[i].text, &t, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (t.numa_nodes, ==, ok[i].n);
      g_assert_cmpuint (t.llcs, ==, ok[i].l);
      g_assert_cmpuint (t.cores_per_llc, ==, ok[i].c);
      g_assert_cmpuint (t.threads_per_core, ==, ok[i].t);
      g_assert_cmpuint (sl_topology_n_cpus (&t), ==, ok[i].cpus);
      back = sl_topology_to_string (&t);
      g_assert_true (sl_topology_parse (back, &again, NULL));
      g_assert_cmpmem (&t, sizeof t, &again, sizeof again);
    }
  {
    g_autofree char *s = sl_topology_to_string (&(SlTopology) { 1, 2, 4, 1 });

    g_assert_cmpstr (s, ==, "1n2l4c1t");
  }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      SlTopology t = { 7, 7, 7, 7 };
      g_autoptr(GError) error = NULL;

      if (sl_topology_parse (bad[i], &t, &error))
        g_error ("accepted bad topology \"%s\"", bad[i]);
      g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_cmpuint (t.numa_nodes, ==, 7);
    }
}

static void
test_phase_labels (void)
{
  const struct { guint16 phase; const char *label; } cases[] = {
    { 0, "BASELINE" }, { 1, "Step[0]" }, { 2, "Step[1]" }, { G_MAXUINT16, "Step[65534]" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = sl_phase_label (cases[i].phase);
      guint16 back = 0;

      g_assert_cmpstr (label, ==, cases[i].label);
      g_assert_true (sl_phase_parse (label, &back));
      g_assert_cmpuint (back, ==, cases[i].phase);
    }
  g_assert_cmpuint (sl_phase_step (0), ==, 1);
  g_assert_cmpuint (sl_phase_step (G_MAXUINT16), ==, G_MAXUINT16);
}

static void
test_strict_periodic (void)
{
  const struct { const char *tag; gboolean strict; } cases[] = {
    { "periodic_000", TRUE }, { "periodic_063", TRUE }, { "periodic_999", TRUE },
    { "periodic_00", FALSE }, { "periodic_0000", FALSE }, { "periodic_kaslr", FALSE },
    { "periodic_00a", FALSE }, { "Periodic_000", FALSE }, { "xperiodic_000", FALSE },
    { "periodic_", FALSE }, { "", FALSE }, { NULL, FALSE }, { "periodic_\xd9\xa0\xd9\xa1\xd9\xa2", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (sl_tag_is_strict_periodic (cases[i].tag), ==, cases[i].strict);
}

static void
test_names (void)
{
  const char *expected[] = { "NoSchedulerBinary", "NoScheduler", "DuringFreeze", "Cancelled",
                             "SchedulerError", "MissingResp", "RequestTooLarge", "ResponseTooLarge",
                             "MutexPoisoned" };

  for (int k = SL_MISSING_STATS_NO_SCHEDULER_BINARY; k <= SL_MISSING_STATS_MUTEX_POISONED; k++)
    g_assert_cmpstr (sl_missing_stats_kind_name (k), ==, expected[k - SL_MISSING_STATS_NO_SCHEDULER_BINARY]);

  g_assert_cmpstr (sl_scx_event_names[0], ==, "select_cpu_fallback");
  g_assert_cmpstr (sl_scx_event_names[8], ==, "bypass_duration");
  g_assert_cmpstr (sl_scx_event_names[12], ==, "sub_bypass_dispatch");
  for (guint i = 0; i < SL_SCX_EVENT_COUNT; i++)
    for (guint j = i + 1; j < SL_SCX_EVENT_COUNT; j++)
      g_assert_cmpstr (sl_scx_event_names[i], !=, sl_scx_event_names[j]);
}

static void
test_missing_stats_text (void)
{
  SlMissingStats m = { .kind = SL_MISSING_STATS_SCHEDULER_ERROR, .errno_value = -22, .args_json = (char *) "{\"target\":\"top\"}" };
  SlMissingStats big = { .kind = SL_MISSING_STATS_RESPONSE_TOO_LARGE, .size = 2000000, .max = 1048576 };
  SlMissingStats ns = { .kind = SL_MISSING_STATS_NO_SCHEDULER, .reason = (char *) "connect: ENOENT" };
  g_autofree char *a = sl_missing_stats_to_string (&m);
  g_autofree char *b = sl_missing_stats_to_string (&big);
  g_autofree char *c = sl_missing_stats_to_string (&ns);

  g_assert_nonnull (strstr (a, "-22"));
  g_assert_nonnull (strstr (a, "{\"target\":\"top\"}"));
  g_assert_nonnull (strstr (b, "2000000"));
  g_assert_nonnull (strstr (b, "1048576"));
  g_assert_nonnull (strstr (c, "connect: ENOENT"));
}

static void
test_lifetime (void)
{
  SlRun *run = sl_run_new ();
  SlSample *s = sl_sample_new ("periodic_000");
  SlMonitorSample *m = g_new0 (SlMonitorSample, 1);
  SlSchedExit *e = g_new0 (SlSchedExit, 1);
  SlCgroupResult *c = g_new0 (SlCgroupResult, 1);
  SlRunHeader copy = { 0 };
  SlVcpuTime vt = { .cpu = 1, .tid = 42, .run_ns = 5 };

  g_assert_nonnull (s->report);
  g_assert_null (s->stats);
  g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NO_SCHEDULER_BINARY);
  g_assert_false (s->elapsed_ms.set);
  g_assert_false (s->has_step_index);
  s->stats = json_node_init_int (json_node_alloc (), 3);
  s->missing_stats.reason = g_strdup ("r");
  g_array_append_val (s->vcpu_times, vt);
  g_ptr_array_add (run->samples, s);
  m->cpus = g_array_new (FALSE, TRUE, sizeof (SlCpuSnapshot));
  g_array_set_size (m->cpus, 4);
  g_ptr_array_add (run->monitor_samples, m);
  e->kind_name = g_strdup ("SCX_EXIT_ERROR_STALL");
  e->after_tag = g_strdup ("periodic_000");
  g_ptr_array_add (run->exits, e);
  c->name = g_strdup ("cg0");
  g_ptr_array_add (run->cgroups, c);
  g_ptr_array_add (run->log, g_strdup ("line"));
  run->monitor_summary = g_new0 (SlMonitorSummary, 1);
  run->header.scheduler = g_strdup ("scx_simple");
  run->header.scheduler_args = g_strsplit ("--a b", " ", -1);
  run->header.topology = (SlTopology) { 1, 2, 2, 1 };
  run->end_reason = g_strdup ("finished");

  sl_run_header_copy (&copy, &run->header);
  g_assert_cmpstr (copy.scheduler, ==, "scx_simple");
  g_assert_true (copy.scheduler != run->header.scheduler);
  g_assert_cmpstr (copy.scheduler_args[1], ==, "b");
  g_assert_cmpuint (sl_topology_n_cpus (&copy.topology), ==, 4);
  sl_run_header_clear (&copy);
  g_assert_null (copy.scheduler);

  g_assert_true (sl_run_ref (run) == run);
  g_assert_cmpint (run->ref_count, ==, 2);
  sl_run_unref (run);
  g_assert_cmpint (run->ref_count, ==, 1);
  g_assert_cmpstr (run->header.scheduler, ==, "scx_simple");
  sl_run_unref (run);   /* everything freed: checked by the sanitizer build */
}

static SlSample *
add_sample (SlRun *run, const char *tag, gint64 offset, gint64 elapsed, gint stamp)
{
  SlSample *s = sl_sample_new (tag);

  if (offset >= 0)
    s->boundary_offset_ms = sl_opt_u64 ((guint64) offset);
  if (elapsed >= 0)
    s->elapsed_ms = sl_opt_u64 ((guint64) elapsed);
  if (stamp >= 0)
    {
      s->has_step_index = TRUE;
      s->step_index = (guint16) stamp;
    }
  g_ptr_array_add (run->samples, s);
  return s;
}

static void
add_event (SlRun *run, guint64 ms, gint phase, gboolean end, gboolean terminal)
{
  SlStimulusEvent ev = { .elapsed_ms = ms, .is_step_end = end, .is_terminal = terminal };

  if (phase >= 0)
    {
      ev.has_step_index = TRUE;
      ev.step_index = (guint16) phase;
    }
  g_array_append_val (run->stimulus, ev);
}

static void
test_sample_phase (void)
{
  g_autoptr(SlSample) s = sl_sample_new ("x");
  guint16 p = 99;

  g_assert_false (sl_sample_phase (s, &p));
  g_assert_cmpuint (p, ==, 99);
  s->has_step_index = TRUE;
  s->step_index = 0;
  g_assert_true (sl_sample_phase (s, &p));
  g_assert_cmpuint (p, ==, SL_PHASE_BASELINE);
}

static void
test_stimulus_phase_of (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  SlSample *before, *at_start, *in1, *end1_gap, *in2, *no_offset, *bare, *burst;

  /* Step[0] starts at 1000 and ends at 3000, Step[1] runs 3000..5000, then end. */
  add_event (run, 1000, 1, FALSE, FALSE);
  add_event (run, 3000, 1, TRUE, FALSE);
  add_event (run, 3000, 2, FALSE, FALSE);
  add_event (run, 5000, 2, TRUE, FALSE);
  add_event (run, 5100, -1, FALSE, TRUE);

  before = add_sample (run, "periodic_000", 500, 520, 0);
  at_start = add_sample (run, "periodic_001", 1000, 1010, 0);
  in1 = add_sample (run, "periodic_002", 2999, 3001, 1);
  end1_gap = add_sample (run, "periodic_003", 3000, 3010, 1);
  in2 = add_sample (run, "periodic_004", 5050, 5060, 2);
  no_offset = add_sample (run, "on_demand", -1, 4000, 2);
  bare = add_sample (run, "fixture", -1, -1, -1);
  /* A deferred burst: stamped late (phase 2) but scheduled inside Step[0]. */
  burst = add_sample (run, "periodic_005", 1500, 3200, 2);

  g_assert_cmpuint (sl_run_stimulus_phase_of (run, before), ==, 0);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, at_start), ==, 1);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, in1), ==, 1);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, end1_gap), ==, 2);
  /* StepEnd and terminal events never start a phase. */
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, in2), ==, 2);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, no_offset), ==, 2);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, bare), ==, 0);
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, burst), ==, 1);
}

static void
test_stimulus_phase_without_events (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  SlSample *a = add_sample (run, "a", 700, 700, 3);

  /* ktstr: with an offset but no step start, the key is BASELINE. */
  g_assert_cmpuint (sl_run_stimulus_phase_of (run, a), ==, 0);
}

static void
test_phases_list (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  g_autoptr(GArray) empty = sl_run_phases (run);
  g_autoptr(GArray) phases = NULL;

  g_assert_cmpuint (empty->len, ==, 0);
  add_event (run, 1000, 3, FALSE, FALSE);
  add_event (run, 2000, 3, TRUE, FALSE);
  add_event (run, 2500, 1, FALSE, FALSE);
  add_event (run, 2600, -1, FALSE, TRUE);
  add_sample (run, "a", 100, 100, 7);      /* stamped 7, stimulus BASELINE */
  add_sample (run, "b", -1, 100, -1);
  phases = sl_run_phases (run);
  g_assert_cmpuint (phases->len, ==, 4);
  g_assert_cmpuint (g_array_index (phases, guint16, 0), ==, 0);
  g_assert_cmpuint (g_array_index (phases, guint16, 1), ==, 1);
  g_assert_cmpuint (g_array_index (phases, guint16, 2), ==, 3);
  g_assert_cmpuint (g_array_index (phases, guint16, 3), ==, 7);
}

static void
test_phase_range_from_stimulus (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  guint64 a = 1, b = 1;

  add_event (run, 1000, 1, FALSE, FALSE);
  add_event (run, 2800, 1, TRUE, FALSE);
  add_event (run, 3000, 2, FALSE, FALSE);
  add_event (run, 4000, 3, FALSE, FALSE);
  add_sample (run, "s0", 200, 200, 0);
  add_sample (run, "s1", 4500, 4500, 3);
  add_sample (run, "s2", 6200, 6300, 3);

  g_assert_true (sl_run_phase_range (run, 0, &a, &b));
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 1000);
  g_assert_true (sl_run_phase_range (run, 1, &a, &b));
  g_assert_cmpuint (a, ==, 1000);
  g_assert_cmpuint (b, ==, 2800);
  /* No StepEnd: ends where the next step starts. */
  g_assert_true (sl_run_phase_range (run, 2, &a, &b));
  g_assert_cmpuint (a, ==, 3000);
  g_assert_cmpuint (b, ==, 4000);
  /* Open last phase: until its last sample. */
  g_assert_true (sl_run_phase_range (run, 3, &a, &b));
  g_assert_cmpuint (a, ==, 4000);
  g_assert_cmpuint (b, ==, 6200);
  g_assert_false (sl_run_phase_range (run, 4, &a, &b));

  /* A terminal event closes the open phase. */
  add_event (run, 7000, -1, FALSE, TRUE);
  g_assert_true (sl_run_phase_range (run, 3, &a, &b));
  g_assert_cmpuint (b, ==, 7000);
}

static void
test_phase_range_baseline_event (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  guint64 a = 1, b = 1;

  /* The first step starts at 0 ms, so BASELINE has no window. */
  add_event (run, 0, 1, FALSE, FALSE);
  add_event (run, 900, 2, FALSE, FALSE);
  g_assert_false (sl_run_phase_range (run, 0, &a, &b));
  g_assert_true (sl_run_phase_range (run, 1, &a, &b));
  g_assert_cmpuint (a, ==, 0);
  g_assert_cmpuint (b, ==, 900);
  /* Open last phase without samples: an empty window at its start. */
  g_assert_true (sl_run_phase_range (run, 2, &a, &b));
  g_assert_cmpuint (a, ==, 900);
  g_assert_cmpuint (b, ==, 900);
}

static void
test_phase_range_from_samples (void)
{
  g_autoptr(SlRun) run = sl_run_new ();
  guint64 a = 1, b = 1;

  add_sample (run, "a", 300, 320, 1);
  add_sample (run, "b", -1, 900, 1);      /* elapsed when there is no offset */
  add_sample (run, "c", 100, 120, 1);
  add_sample (run, "d", 50, 60, -1);      /* unstamped = BASELINE */
  add_sample (run, "e", -1, -1, 2);       /* no time at all */

  g_assert_true (sl_run_phase_range (run, 1, &a, &b));
  g_assert_cmpuint (a, ==, 100);
  g_assert_cmpuint (b, ==, 900);
  g_assert_true (sl_run_phase_range (run, 0, &a, &b));
  g_assert_cmpuint (a, ==, 50);
  g_assert_cmpuint (b, ==, 50);
  g_assert_false (sl_run_phase_range (run, 2, &a, &b));
  g_assert_false (sl_run_phase_range (run, 3, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/run/topology-parse", test_topology_parse);
  g_test_add_func ("/model/run/phase-labels", test_phase_labels);
  g_test_add_func ("/model/run/strict-periodic", test_strict_periodic);
  g_test_add_func ("/model/run/names", test_names);
  g_test_add_func ("/model/run/missing-stats-text", test_missing_stats_text);
  g_test_add_func ("/model/run/lifetime", test_lifetime);
  g_test_add_func ("/model/run/sample-phase", test_sample_phase);
  g_test_add_func ("/model/run/stimulus-phase-of", test_stimulus_phase_of);
  g_test_add_func ("/model/run/stimulus-phase-no-events", test_stimulus_phase_without_events);
  g_test_add_func ("/model/run/phases", test_phases_list);
  g_test_add_func ("/model/run/phase-range-stimulus", test_phase_range_from_stimulus);
  g_test_add_func ("/model/run/phase-range-baseline-event", test_phase_range_baseline_event);
  g_test_add_func ("/model/run/phase-range-samples", test_phase_range_from_samples);
  return g_test_run ();
}
