/* Unit tests: field discovery (catalog) on every axis. */
#include "query-fixture.h"
#include "sl-field-catalog.h"
#include "sl-archive.h"

static SlRun *
catalog_run (void)
{
  SlRun *run = fx_run ();
  SlSample *s0 = fx_sample (run, "periodic_000", 0, 0);
  SlSample *s1 = fx_sample (run, "periodic_001", 100, 1);
  SlMap *m;
  SlPercpuEntry *e;
  SlPerCpuTime t = { .cpu = 1 };
  SlVcpuTime vt = { .cpu = 0, .run_ns = 1 };
  SlMonitorSample *ms = g_new0 (SlMonitorSample, 1);
  SlCpuSnapshot snap = { .cpu = 3, .has_schedstat = TRUE };

  /* The first sample is a placeholder: it must hide nothing. */
  fx_placeholder (s0, "no capture");

  m = fx_bss (s1, "sl_vtime.bss", 1, "nr_dispatched", (guint64) 5, "total_wait_ns", (guint64) 9, NULL);
  sl_value_struct_add (m->value, "lag", sl_value_new_int (32, -1));
  sl_value_struct_add (m->value, "enabled", sl_value_new_bool (TRUE));
  sl_value_struct_add (m->value, "comm", sl_value_new_array (2));
  sl_value_array_add (m->value->members[4].value, sl_value_new_char ('a'));
  sl_value_array_add (m->value->members[4].value, sl_value_new_char ('b'));
  sl_value_struct_add (m->value, "per_llc", sl_value_new_array (2));
  sl_value_array_add (m->value->members[5].value, sl_value_new_uint (64, 1));
  sl_value_array_add (m->value->members[5].value, sl_value_new_uint (64, 2));

  m = fx_map (s1, "cpu_ctx", SL_BPF_MAP_PERCPU_ARRAY, 2);
  e = g_new0 (SlPercpuEntry, 1);
  e->n_cpus = 2;
  e->per_cpu = g_new0 (SlValue *, 2);
  e->per_cpu[1] = fx_struct_u64 ("cpu_ctx", "util", 3);
  g_ptr_array_add (m->percpu_entries, e);

  fx_stats (s1, "{\"bad key\\n\": 1, \" lead\": 2, \"busy\": 1.5, \"nr_wakeups\": 4, \"cgroups\": {\"workers\": {\"iterations\": 10, \"name\": \"w\"}}}");

  g_array_append_val (s1->report->per_cpu_time, t);
  g_array_append_val (s1->vcpu_times, vt);

  ms->elapsed_ms = 50;
  ms->cpus = g_array_new (FALSE, TRUE, sizeof (SlCpuSnapshot));
  g_array_append_val (ms->cpus, snap);
  g_ptr_array_add (run->monitor_samples, ms);
  run->monitor_summary = g_new0 (SlMonitorSummary, 1);
  return run;
}

static void
assert_field (const SlFieldCatalog *cat, const char *selector, SlScalarType type, const char *unit, const char *group)
{
  const SlFieldInfo *f = sl_field_catalog_lookup (cat, selector);

  if (f == NULL)
    g_error ("catalog lacks '%s'", selector);
  g_assert_cmpstr (sl_scalar_type_name (f->type), ==, sl_scalar_type_name (type));
  g_assert_cmpstr (f->unit, ==, unit);
  g_assert_cmpstr (f->group, ==, group);
}

static void
test_catalog_contents (void)
{
  g_autoptr(SlRun) run = catalog_run ();
  g_autoptr(SlFieldCatalog) cat = sl_field_catalog_build (run, 0);

  g_assert_false (cat->truncated);
  assert_field (cat, "bpf sl_vtime.bss/nr_dispatched", SL_SCALAR_U64, "count", "bpf/sl_vtime.bss");
  assert_field (cat, "bpf sl_vtime.bss/total_wait_ns", SL_SCALAR_U64, "ns", "bpf/sl_vtime.bss");
  assert_field (cat, "bpf sl_vtime.bss/lag", SL_SCALAR_I64, NULL, "bpf/sl_vtime.bss");
  assert_field (cat, "bpf sl_vtime.bss/enabled", SL_SCALAR_BOOL, NULL, "bpf/sl_vtime.bss");
  assert_field (cat, "bpf sl_vtime.bss/per_llc.1", SL_SCALAR_U64, NULL, "bpf/sl_vtime.bss");
  g_assert_null (sl_field_catalog_lookup (cat, "bpf sl_vtime.bss/comm.0"));
  assert_field (cat, "bpf cpu_ctx@cpu_sum/util", SL_SCALAR_U64, NULL, "bpf/cpu_ctx");
  assert_field (cat, "bpf cpu_ctx@cpu_min/util", SL_SCALAR_U64, NULL, "bpf/cpu_ctx");
  assert_field (cat, "bpf cpu_ctx@0/util", SL_SCALAR_U64, NULL, "bpf/cpu_ctx");
  assert_field (cat, "bpf cpu_ctx@1/util", SL_SCALAR_U64, NULL, "bpf/cpu_ctx");
  g_assert_null (sl_field_catalog_lookup (cat, "bpf cpu_ctx/util"));
  assert_field (cat, "stats busy", SL_SCALAR_F64, NULL, "stats/(root)");
  assert_field (cat, "stats nr_wakeups", SL_SCALAR_U64, "count", "stats/(root)");
  assert_field (cat, "stats cgroups.workers.iterations", SL_SCALAR_U64, "count", "stats/cgroups.workers");
  g_assert_null (sl_field_catalog_lookup (cat, "stats cgroups.workers.name"));
  /* Keys that no selector can name are not offered. */
  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);
      g_assert_null (strstr (f->selector, "bad key"));
      g_assert_null (strstr (f->selector, "lead"));
    }
  assert_field (cat, "host cpu1.cpustat_user_ns", SL_SCALAR_U64, "ns", "host/cpu1");
  assert_field (cat, "host cpu1.softirqs.RCU", SL_SCALAR_U64, "count", "host/cpu1");
  g_assert_null (sl_field_catalog_lookup (cat, "host cpu1.iowait_sleeptime_ns"));
  assert_field (cat, "host vcpu0.run_ns", SL_SCALAR_U64, "ns", "host/vcpu0");
  assert_field (cat, "monitor cpu3.nr_running", SL_SCALAR_U64, "count", "monitor/cpu3");
  assert_field (cat, "monitor cpu3.schedstat.run_delay", SL_SCALAR_U64, "ns", "monitor/cpu3");
  g_assert_null (sl_field_catalog_lookup (cat, "monitor cpu3.event.select_cpu_fallback"));
  assert_field (cat, "monitor summary.avg_nr_running", SL_SCALAR_F64, NULL, "monitor/summary");
  /* No event deltas: no events.* or rates.* offered. */
  g_assert_null (sl_field_catalog_lookup (cat, "monitor events.select_cpu_fallback"));

  /* Axis order: bpf first, monitor last. */
  g_assert_cmpint (((SlFieldInfo *) g_ptr_array_index (cat->fields, 0))->axis, ==, SL_AXIS_BPF);
  g_assert_cmpint (((SlFieldInfo *) g_ptr_array_index (cat->fields, cat->fields->len - 1))->axis, ==, SL_AXIS_MONITOR);
}

/* Every offered selector parses and projects to a value in some slot. */
static void
test_catalog_selectors_project (void)
{
  g_autoptr(SlRun) run = catalog_run ();
  g_autoptr(SlFieldCatalog) cat = sl_field_catalog_build (run, 0);

  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlSeriesField) field = sl_project_text (run, f->selector, f->type, &error);
      gboolean any_ok = FALSE;

      g_assert_no_error (error);
      for (guint k = 0; k < sl_series_field_len (field); k++)
        any_ok |= sl_series_field_slot (field, k)->ok;
      /* cpu_ctx@0 is a null slot in every sample: offered, but never a value. */
      if (!any_ok && !g_str_has_prefix (f->selector, "bpf cpu_ctx@0/"))
        g_error ("'%s' never projects to a value", f->selector);
    }
}

static void
test_catalog_bounded (void)
{
  g_autoptr(SlRun) run = catalog_run ();
  g_autoptr(SlFieldCatalog) cat = sl_field_catalog_build (run, 5);

  g_assert_true (cat->truncated);
  g_assert_cmpuint (cat->fields->len, ==, 5);
}

static void
test_catalog_filter (void)
{
  g_autoptr(SlRun) run = catalog_run ();
  g_autoptr(SlFieldCatalog) cat = sl_field_catalog_build (run, 0);
  SlAxis stats = SL_AXIS_STATS;
  guint n = 0;

  for (guint i = 0; i < cat->fields->len; i++)
    if (sl_field_info_matches (g_ptr_array_index (cat->fields, i), &stats, "WORKERS"))
      n++;
  g_assert_cmpuint (n, ==, 1);
}

static void
test_unit_guess (void)
{
  g_assert_cmpstr (sl_field_unit_guess ("wait_ns"), ==, "ns");
  g_assert_cmpstr (sl_field_unit_guess ("a.b.slice_us"), ==, "us");
  g_assert_cmpstr (sl_field_unit_guess ("nr_running"), ==, "count");
  g_assert_null (sl_field_unit_guess ("weight"));
}

/* On the bundled synthetic run: every offered field gives a value somewhere,
 * and the per-CPU map is offered only narrowed. */
static void
test_catalog_synthetic_run (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SL_SOURCE_ROOT"), "data", "samples",
                                            "synthetic-two-cgroups.slrun", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_archive_load (path, NULL, NULL, NULL, &error);
  g_autoptr(SlFieldCatalog) cat = NULL;
  guint per_axis[SL_AXIS_COUNT] = { 0 };

  g_assert_no_error (error);
  cat = sl_field_catalog_build (run, 0);
  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);
      g_autoptr(SlSeriesField) field = sl_project_text (run, f->selector, f->type, &error);
      guint n_ok = 0;

      g_assert_no_error (error);
      for (guint k = 0; k < sl_series_field_len (field); k++)
        n_ok += sl_series_field_slot (field, k)->ok;
      if (n_ok == 0)
        g_error ("'%s' never projects to a value", f->selector);
      per_axis[f->axis]++;
    }
  for (guint a = 0; a < SL_AXIS_COUNT; a++)
    g_assert_cmpuint (per_axis[a], >, 0);
  g_assert_nonnull (sl_field_catalog_lookup (cat, "bpf cpu_ctx@1/idle_hits"));
  g_assert_null (sl_field_catalog_lookup (cat, "bpf cpu_ctx/idle_hits"));
  g_assert_nonnull (sl_field_catalog_lookup (cat, "bpf cgrp_runtime[0]/weight"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/query/catalog/contents", test_catalog_contents);
  g_test_add_func ("/query/catalog/selectors-project", test_catalog_selectors_project);
  g_test_add_func ("/query/catalog/bounded", test_catalog_bounded);
  g_test_add_func ("/query/catalog/filter", test_catalog_filter);
  g_test_add_func ("/query/catalog/unit-guess", test_unit_guess);
  g_test_add_func ("/query/catalog/synthetic-run", test_catalog_synthetic_run);
  return g_test_run ();
}
