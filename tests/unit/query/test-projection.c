/* Unit tests: projections on every axis and every per-sample error kind. */
#include "query-fixture.h"
#include "sl-phase.h"

#define TWO53 9007199254740992ull

/* Two samples of a scheduler "sl_vtime" with globals nr_dispatched and a struct. */
static SlRun *
bss_run (void)
{
  SlRun *run = fx_run ();

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      SlSample *s = fx_sample (run, tag, 200 * (i + 1), i == 0 ? 0 : 1);
      SlMap *m = fx_bss (s, "sl_vtime.bss", 0x1000, "nr_dispatched", (guint64) (100 * (i + 1)), NULL);

      sl_value_struct_add (m->value, "stats", fx_struct_u64 ("sl_stats", "weight", 7 + i));
      sl_value_struct_add (m->value, "lag", sl_value_new_int (32, -7));
      fx_map (s, "other_map", SL_BPF_MAP_ARRAY, 0x2000)->value = sl_value_new_uint (32, 3);
    }
  return run;
}

static void
test_bpf_global_and_map_form (void)
{
  g_autoptr(SlRun) run = bss_run ();
  g_autoptr(SlSeriesField) g = fx_project (run, "bpf nr_dispatched", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) m = fx_project (run, "bpf sl_vtime.bss/nr_dispatched", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) nested = fx_project (run, "bpf stats.weight", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) whole = fx_project (run, "bpf other_map/", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) as_f = fx_project (run, "bpf sl_vtime.bss/stats.weight", SL_SCALAR_F64);

  g_assert_cmpuint (sl_series_field_len (g), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (fx_u64_at (g, i), ==, 100 * (i + 1));
      g_assert_cmpuint (fx_u64_at (m, i), ==, 100 * (i + 1));
      g_assert_cmpuint (fx_u64_at (nested, i), ==, 7 + i);
      g_assert_cmpuint (fx_u64_at (whole, i), ==, 3);
      g_assert_cmpfloat (fx_slot (as_f, i)->value.f, ==, 7.0 + i);
    }
  g_assert_cmpstr (g->label, ==, "nr_dispatched");
  g_assert_cmpstr (nested->label, ==, "weight");
}

static void
test_slot_metadata (void)
{
  g_autoptr(SlRun) run = bss_run ();
  g_autoptr(SlSeriesField) f = NULL;
  SlSample *s = fx_sample (run, "ondemand", -1, -1);

  fx_bss (s, "sl_vtime.bss", 0x1000, "nr_dispatched", (guint64) 1, NULL);
  f = fx_project (run, "bpf nr_dispatched", SL_SCALAR_U64);
  g_assert_cmpstr (fx_slot (f, 1)->tag, ==, "periodic_001");
  g_assert_true (fx_slot (f, 1)->elapsed_ms.set);
  g_assert_cmpuint (fx_slot (f, 1)->elapsed_ms.v, ==, 400);
  g_assert_true (fx_slot (f, 1)->has_phase);
  g_assert_cmpuint (fx_slot (f, 1)->phase, ==, 1);
  g_assert_cmpuint (fx_slot (f, 2)->sample_index, ==, 2);
  /* Unmeasured elapsed and absent step stay absent, never 0. */
  g_assert_false (fx_slot (f, 3)->elapsed_ms.set);
  g_assert_false (fx_slot (f, 3)->has_phase);
}

static void
test_bpf_not_found_messages (void)
{
  g_autoptr(SlRun) run = bss_run ();
  g_autoptr(SlSeriesField) map = fx_project (run, "bpf nosuch_map/x", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) member = fx_project (run, "bpf sl_vtime.bss/nr_dispatchd", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) var = fx_project (run, "bpf dispatchd", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) notstruct = fx_project (run, "bpf nr_dispatched.inner", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) deep = fx_project (run, "bpf stats.wieght", SL_SCALAR_U64);

  fx_assert_err (map, 0, SL_FIELD_ERROR_MAP_NOT_FOUND,
                 "snapshot has no map named 'nosuch_map' (available maps: [\"sl_vtime.bss\", \"other_map\"])");
  fx_assert_err (member, 0, SL_FIELD_ERROR_FIELD_NOT_FOUND, "no member 'nr_dispatchd'");
  fx_assert_err (member, 0, SL_FIELD_ERROR_FIELD_NOT_FOUND, "(available: [\"nr_dispatched\", \"stats\", \"lag\"])");
  g_assert_cmpstr (fx_slot (var, 0)->error_text, ==,
                   "snapshot has no global variable 'dispatchd' in any *.bss/*.data/*.rodata map "
                   "(available globals: [\"lag\", \"nr_dispatched\", \"stats\"])");
  g_assert_cmpint (fx_slot (var, 0)->error, ==, SL_FIELD_ERROR_VAR_NOT_FOUND);
  fx_assert_err (notstruct, 0, SL_FIELD_ERROR_NOT_A_STRUCT, "is uint 100, not a struct; cannot look up 'inner'");
  fx_assert_err (deep, 2, SL_FIELD_ERROR_FIELD_NOT_FOUND, "no member 'wieght' in 'stats' (available: [\"weight\"])");
}

static void
test_bpf_available_list_is_bounded (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  g_autoptr(SlSeriesField) f = NULL;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("map_%02u", i);
      fx_map (s, name, SL_BPF_MAP_ARRAY, i)->value = sl_value_new_uint (64, i);
    }
  f = fx_project (run, "bpf absent/x", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_MAP_NOT_FOUND, "\"map_15\", … (+24 more)]");
  g_assert_null (strstr (fx_slot (f, 0)->error_text, "map_16"));
}

static void
test_bpf_type_mismatch (void)
{
  g_autoptr(SlRun) run = bss_run ();
  g_autoptr(SlSeriesField) neg = fx_project (run, "bpf lag", SL_SCALAR_U64);
  g_autoptr(SlSeriesField) neg_i = fx_project (run, "bpf lag", SL_SCALAR_I64);
  g_autoptr(SlSeriesField) st = fx_project (run, "bpf stats", SL_SCALAR_U64);

  fx_assert_err (neg, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "field 'lag': expected u64, found int -7");
  g_assert_true (fx_slot (neg_i, 0)->ok);
  g_assert_cmpint (fx_slot (neg_i, 0)->value.i, ==, -7);
  fx_assert_err (st, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "expected u64, found struct sl_stats");
}

static void
test_bpf_u64_above_2_53_exact (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  g_autoptr(SlSeriesField) f = NULL;

  fx_bss (s, "x.bss", 1, "big", (guint64) TWO53 + 1, "max", G_MAXUINT64, NULL);
  f = fx_project (run, "bpf big", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, TWO53 + 1);
  g_clear_pointer (&f, sl_series_field_unref);
  f = fx_project (run, "bpf max", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, G_MAXUINT64);
  g_clear_pointer (&f, sl_series_field_unref);
  f = fx_project (run, "bpf max", SL_SCALAR_I64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "expected i64");
}

static void
test_bpf_array_index (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  SlMap *m = fx_bss (s, "x.bss", 1, NULL);
  SlValue *hist = sl_value_new_array (4);
  g_autoptr(SlSeriesField) ok = NULL, out = NULL;

  sl_value_array_add (hist, sl_value_new_uint (64, 11));
  sl_value_array_add (hist, sl_value_new_uint (64, 22));
  sl_value_struct_add (m->value, "hist", hist);
  ok = fx_project (run, "bpf hist.1", SL_SCALAR_U64);
  out = fx_project (run, "bpf x.bss/hist.7", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (ok, 0), ==, 22);
  fx_assert_err (out, 0, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE, "index 7 out of range for array 'hist' (len 2)");
}

static SlMap *
hash_map (SlSample *s, guint n)
{
  SlMap *m = fx_map (s, "task_ctx", SL_BPF_MAP_HASH, 0x3000);

  for (guint i = 0; i < n; i++)
    {
      SlMapEntry *e = g_new0 (SlMapEntry, 1);

      e->key = sl_value_new_uint (32, 10 + i);
      e->key_hex = g_strdup ("00");
      e->value = fx_struct_u64 ("task_ctx", "runs", 1000 + i);
      e->value_hex = g_strdup ("00");
      g_ptr_array_add (m->entries, e);
    }
  return m;
}

static void
test_bpf_hash_index (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  g_autoptr(SlSeriesField) first = NULL, second = NULL, out = NULL;

  hash_map (s, 2);
  first = fx_project (run, "bpf task_ctx/runs", SL_SCALAR_U64);
  second = fx_project (run, "bpf task_ctx[1]/runs", SL_SCALAR_U64);
  out = fx_project (run, "bpf task_ctx[5]/runs", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (first, 0), ==, 1000);
  g_assert_cmpuint (fx_u64_at (second, 0), ==, 1001);
  fx_assert_err (out, 0, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE, "map 'task_ctx': entry index 5 out of range (len 2)");
}

/* A per-CPU array with 4 CPU slots; slot 2 unmapped (null). */
static void
percpu_map (SlSample *s, const guint64 *vals, const gboolean *present)
{
  SlMap *m = fx_map (s, "cpu_ctx", SL_BPF_MAP_PERCPU_ARRAY, 0x4000);
  SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);

  e->key = 0;
  e->n_cpus = 4;
  e->per_cpu = g_new0 (SlValue *, 4);
  for (guint c = 0; c < 4; c++)
    if (present[c])
      e->per_cpu[c] = fx_struct_u64 ("cpu_ctx", "nr", vals[c]);
  g_ptr_array_add (m->percpu_entries, e);
}

static void
test_bpf_per_cpu (void)
{
  g_autoptr(SlRun) run = fx_run ();
  const guint64 vals[] = { 5, G_MAXUINT64 - 2, 999, 7 };
  const gboolean present[] = { TRUE, TRUE, FALSE, TRUE };
  const gboolean none[] = { FALSE, FALSE, FALSE, FALSE };
  g_autoptr(SlSeriesField) plain = NULL, sum = NULL, max = NULL, min = NULL, one = NULL, unmapped = NULL, oor = NULL;

  percpu_map (fx_sample (run, "periodic_000", 0, 0), vals, present);
  percpu_map (fx_sample (run, "periodic_001", 100, 0), vals, none);

  plain = fx_project (run, "bpf cpu_ctx/nr", SL_SCALAR_U64);
  sum = fx_project (run, "bpf cpu_ctx@cpu_sum/nr", SL_SCALAR_U64);
  max = fx_project (run, "bpf cpu_ctx@cpu_max/nr", SL_SCALAR_U64);
  min = fx_project (run, "bpf cpu_ctx@cpu_min/nr", SL_SCALAR_U64);
  one = fx_project (run, "bpf cpu_ctx@3/nr", SL_SCALAR_U64);
  unmapped = fx_project (run, "bpf cpu_ctx@2/nr", SL_SCALAR_U64);
  oor = fx_project (run, "bpf cpu_ctx[0]@9/nr", SL_SCALAR_U64);

  fx_assert_err (plain, 0, SL_FIELD_ERROR_PER_CPU_NOT_NARROWED, "map 'cpu_ctx' is per-CPU");
  /* Saturating sum; the null slot (999 is never seen) is skipped. */
  g_assert_cmpuint (fx_u64_at (sum, 0), ==, G_MAXUINT64);
  g_assert_cmpuint (fx_u64_at (max, 0), ==, G_MAXUINT64 - 2);
  g_assert_cmpuint (fx_u64_at (min, 0), ==, 5);
  g_assert_cmpuint (fx_u64_at (one, 0), ==, 7);
  fx_assert_err (unmapped, 0, SL_FIELD_ERROR_PER_CPU_SLOT, "CPU 2 is unmapped");
  fx_assert_err (oor, 0, SL_FIELD_ERROR_PER_CPU_SLOT, "CPU 9 is out of range (4 per-CPU slots)");
  /* All slots null → NoMatch, never 0. */
  fx_assert_err (sum, 1, SL_FIELD_ERROR_NO_MATCH, "cpu_sum found no CPU value");
}

static void
test_bpf_per_cpu_f64_nan (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  SlSample *s2 = fx_sample (run, "periodic_001", 10, 0);
  g_autoptr(SlSeriesField) max = NULL, min = NULL;

  for (guint k = 0; k < 2; k++)
    {
      SlMap *m = fx_map (k ? s2 : s, "util", SL_BPF_MAP_PERCPU_ARRAY, 1);
      SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);

      e->n_cpus = 3;
      e->per_cpu = g_new0 (SlValue *, 3);
      e->per_cpu[0] = sl_value_new_float (64, NAN);
      e->per_cpu[1] = sl_value_new_float (64, k ? NAN : 0.25);
      e->per_cpu[2] = sl_value_new_float (64, k ? NAN : 0.75);
      g_ptr_array_add (m->percpu_entries, e);
    }
  max = fx_project (run, "bpf util@cpu_max/", SL_SCALAR_F64);
  min = fx_project (run, "bpf util@cpu_min/", SL_SCALAR_F64);
  g_assert_cmpfloat (fx_slot (max, 0)->value.f, ==, 0.75);
  g_assert_cmpfloat (fx_slot (min, 0)->value.f, ==, 0.25);
  g_assert_true (fx_slot (max, 1)->ok);
  g_assert_true (isnan (fx_slot (max, 1)->value.f));
}

static void
test_bpf_ambiguous_and_active (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s0 = fx_sample (run, "periodic_000", 0, 0);
  SlSample *s1 = fx_sample (run, "periodic_001", 100, 0);
  SlSample *s2 = fx_sample (run, "periodic_002", 200, 0);
  g_autoptr(SlSeriesField) f = NULL;
  guint64 kva = 0x20;

  /* s0: two objects, no active object known. */
  fx_bss (s0, "alpha.bss", 0x10, "nr", (guint64) 1, NULL);
  fx_bss (s0, "beta.bss", 0x20, "nr", (guint64) 2, NULL);
  /* s1: the active object decides. */
  fx_bss (s1, "alpha.bss", 0x10, "nr", (guint64) 1, NULL);
  fx_bss (s1, "beta.bss", 0x20, "nr", (guint64) 2, NULL);
  s1->report->active_obj_name = g_strdup ("beta");
  /* s2: two instances of one object; the active map KVAs decide. */
  fx_bss (s2, "beta.bss", 0x10, "nr", (guint64) 3, NULL);
  fx_bss (s2, "beta.bss", 0x20, "nr", (guint64) 4, NULL);
  s2->report->active_obj_name = g_strdup ("beta");
  g_array_append_val (s2->report->active_map_kvas, kva);

  f = fx_project (run, "bpf nr", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_AMBIGUOUS_VAR,
                 "global variable 'nr' is ambiguous: found in [\"alpha.bss\", \"beta.bss\"]");
  g_assert_cmpuint (fx_u64_at (f, 1), ==, 2);
  g_assert_cmpuint (fx_u64_at (f, 2), ==, 4);
}

static void
test_bpf_render_incomplete (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s = fx_sample (run, "periodic_000", 0, 0);
  SlMap *m = fx_map (s, "broken.bss", SL_BPF_MAP_ARRAY, 1);
  g_autoptr(SlSeriesField) g = NULL, direct = NULL;

  m->error = g_strdup ("vmalloc read failed");
  g = fx_project (run, "bpf nr", SL_SCALAR_U64);
  direct = fx_project (run, "bpf broken.bss/nr", SL_SCALAR_U64);
  fx_assert_err (g, 0, SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE, "vmalloc read failed");
  fx_assert_err (direct, 0, SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE, "map 'broken.bss' failed to render");
}

static void
test_placeholder_first (void)
{
  g_autoptr(SlRun) run = bss_run ();
  g_autoptr(SlSeriesField) bpf = NULL, host = NULL, stats = NULL;
  SlSample *s = g_ptr_array_index (run->samples, 1);

  fx_placeholder (s, "freeze rendezvous timed out");
  fx_stats (s, "{\"busy\": 5}");
  bpf = fx_project (run, "bpf nr_dispatched", SL_SCALAR_U64);
  host = fx_project (run, "host cpu0.cpustat_user_ns", SL_SCALAR_U64);
  stats = fx_project (run, "stats busy", SL_SCALAR_U64);
  fx_assert_err (bpf, 1, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE,
                 "sample periodic_001 is a placeholder (the capture did not land): freeze rendezvous timed out");
  fx_assert_err (host, 1, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE, "periodic_001");
  /* scx_stats come from their own request: a placeholder capture does not void them (ktstr). */
  g_assert_cmpuint (fx_u64_at (stats, 1), ==, 5);
  g_assert_true (fx_slot (bpf, 0)->ok);
}

static void
test_stats_axis (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s0 = fx_sample (run, "periodic_000", 0, 0);
  SlSample *s1 = fx_sample (run, "periodic_001", 100, 0);
  g_autoptr(SlSeriesField) f = NULL;

  fx_stats (s0, "{\"busy\": 3.0, \"neg\": -4, \"flag\": true, \"text\": \"42\", \"frac\": 2.5,"
                " \"big\": 9007199254740993, \"layers\": {\"w\": {\"util\": 0.5}, \"b\": {}}}");
  s1->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER;
  s1->missing_stats.reason = g_strdup ("connection refused");

  f = fx_project (run, "stats busy", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 3);
  fx_assert_err (f, 1, SL_FIELD_ERROR_MISSING_STATS, "sample periodic_001 has no scx_stats");
  fx_assert_err (f, 1, SL_FIELD_ERROR_MISSING_STATS, "connection refused");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats big", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, TWO53 + 1);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats text", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 42);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats flag", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 1);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats frac", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "stats path 'frac': expected u64, found Number 2.5");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats neg", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "found Number -4");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats neg", SL_SCALAR_I64);
  g_assert_cmpint (fx_slot (f, 0)->value.i, ==, -4);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats busy", SL_SCALAR_BOOL);   /* as_bool takes only booleans */
  fx_assert_err (f, 0, SL_FIELD_ERROR_TYPE_MISMATCH, "expected bool");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats layers.w.util", SL_SCALAR_F64);
  g_assert_cmpfloat (fx_slot (f, 0)->value.f, ==, 0.5);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats layers.x.util", SL_SCALAR_F64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_FIELD_NOT_FOUND,
                 "stats path 'layers.x.util': no key 'x' in 'layers' (available: [\"b\", \"w\"])");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "stats busy.sub", SL_SCALAR_F64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_NOT_A_STRUCT, "'busy' is Number, not an object");
}

static void
add_cpu_time (SlSample *s, guint32 cpu, guint64 user)
{
  SlPerCpuTime t = { 0 };

  t.cpu = cpu;
  t.cpustat_user_ns = user;
  t.softirqs[1] = user / 10;
  t.irqs_sum = 77;
  g_array_append_val (s->report->per_cpu_time, t);
}

static void
test_host_axis (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlSample *s0 = fx_sample (run, "periodic_000", 0, 0);
  SlSample *s1 = fx_sample (run, "periodic_001", 100, 0);
  SlVcpuTime vt = { .cpu = 1, .tid = 55, .run_ns = 123456, .wait_ns = 42, .slices = 9 };
  g_autoptr(SlSeriesField) f = NULL;

  add_cpu_time (s0, 0, 1000);
  add_cpu_time (s0, 1, 2000);
  add_cpu_time (s1, 0, 1500);
  g_array_append_val (s0->vcpu_times, vt);

  f = fx_project (run, "host cpu1.cpustat_user_ns", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 2000);
  fx_assert_err (f, 1, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE,
                 "sample periodic_001 has no per-CPU time for cpu 1 (cpus captured: [0])");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "host cpu0.softirqs.TIMER", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 1), ==, 150);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "host cpu0.iowait_sleeptime_ns", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "was not measured");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "host vcpu1.run_ns", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 123456);
  fx_assert_err (f, 1, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "no host time for vCPU 1");
}

static void
test_scheduler_gone (void)
{
  g_autoptr(SlRun) run = bss_run ();
  SlSchedExit *x = g_new0 (SlSchedExit, 1);
  g_autoptr(SlSeriesField) bpf = NULL, host = NULL;
  const SlSchedExit *which = NULL;

  for (guint i = 0; i < run->samples->len; i++)
    add_cpu_time (g_ptr_array_index (run->samples, i), 0, 10 * i);
  x->exit_kind = 1026;
  x->kind_name = g_strdup ("SCX_EXIT_ERROR_STALL");
  x->reason = g_strdup ("runnable task stall");
  x->elapsed_ms = sl_opt_u64 (450);
  x->after_tag = g_strdup ("periodic_001");
  g_ptr_array_add (run->exits, x);

  g_assert_cmpuint (sl_run_first_gone_sample (run, &which), ==, 2);
  g_assert_true (which == x);
  bpf = fx_project (run, "bpf nr_dispatched", SL_SCALAR_U64);
  host = fx_project (run, "host cpu0.cpustat_user_ns", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (bpf, 1), ==, 200);
  fx_assert_err (bpf, 2, SL_FIELD_ERROR_SCHEDULER_GONE,
                 "sample periodic_002 was taken after the scheduler exited "
                 "(SCX_EXIT_ERROR_STALL: runnable task stall at +450ms)");
  /* Kernel CPU time is still measured after the scheduler is gone. */
  g_assert_cmpuint (fx_u64_at (host, 2), ==, 20);
}

static void
test_scheduler_gone_before_any_sample (void)
{
  g_autoptr(SlRun) run = bss_run ();
  SlSchedExit *x = g_new0 (SlSchedExit, 1);

  g_ptr_array_add (run->exits, x);
  g_assert_cmpuint (sl_run_first_gone_sample (run, NULL), ==, 0);
}

static SlMonitorSample *
monitor_sample (guint64 elapsed, gboolean events)
{
  SlMonitorSample *m = g_new0 (SlMonitorSample, 1);

  m->elapsed_ms = elapsed;
  m->cpus = g_array_new (FALSE, TRUE, sizeof (SlCpuSnapshot));
  for (guint c = 0; c < 2; c++)
    {
      SlCpuSnapshot snap = { 0 };

      snap.cpu = c;
      snap.nr_running = c + elapsed / 100;
      snap.rq_clock = elapsed * 1000000;
      snap.has_event_counters = events;
      snap.event_counters[0] = (gint64) elapsed;
      g_array_append_val (m->cpus, snap);
    }
  return m;
}

static void
test_monitor_axis (void)
{
  g_autoptr(SlRun) run = fx_run ();
  SlStimulusEvent step0 = { .elapsed_ms = 150, .has_step_index = TRUE, .step_index = 1 };
  g_autoptr(SlSeriesField) f = NULL;

  g_array_append_val (run->stimulus, step0);
  g_ptr_array_add (run->monitor_samples, monitor_sample (100, FALSE));
  g_ptr_array_add (run->monitor_samples, monitor_sample (200, TRUE));
  /* The second also carries the samples' clock: 120 ms of workload time,
   * after 200 ms since VM start. */
  ((SlMonitorSample *) g_ptr_array_index (run->monitor_samples, 1))->workload_ms = sl_opt_u64 (160);

  f = fx_project (run, "monitor cpu1.nr_running", SL_SCALAR_U64);
  g_assert_cmpuint (sl_series_field_len (f), ==, 2);
  g_assert_cmpstr (fx_slot (f, 0)->tag, ==, "monitor_0000");
  g_assert_cmpstr (fx_slot (f, 1)->tag, ==, "monitor_0001");
  /* Plotted on the samples' clock when known, else on the VM-start clock. */
  g_assert_cmpuint (fx_slot (f, 0)->elapsed_ms.v, ==, 100);
  g_assert_cmpuint (fx_slot (f, 1)->elapsed_ms.v, ==, 160);
  g_assert_cmpuint (fx_u64_at (f, 1), ==, 3);
  /* Only a sample on the samples' clock can be placed in a phase. */
  g_assert_false (fx_slot (f, 0)->has_phase);
  g_assert_true (fx_slot (f, 1)->has_phase);
  g_assert_cmpuint (fx_slot (f, 1)->phase, ==, sl_phase_step (0));
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "monitor cpu0.event.select_cpu_fallback", SL_SCALAR_I64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "has no SCX event counters");
  g_assert_cmpint (fx_slot (f, 1)->value.i, ==, 200);
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "monitor cpu7.nr_running", SL_SCALAR_U64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "no reading for cpu 7");
  g_clear_pointer (&f, sl_series_field_unref);

  /* No summary at all. */
  f = fx_project (run, "monitor summary.max_local_dsq_depth", SL_SCALAR_U64);
  g_assert_cmpuint (sl_series_field_len (f), ==, 1);
  fx_assert_err (f, 0, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "no monitor summary");
}

static void
test_monitor_summary_events (void)
{
  g_autoptr(SlRun) run = fx_run ();
  g_autoptr(SlSeriesField) f = NULL;
  SlMonitorSummary *sum = g_new0 (SlMonitorSummary, 1);

  sum->total_samples = 12;
  sum->max_imbalance_ratio = 1.5;
  run->monitor_summary = sum;

  f = fx_project (run, "monitor summary.total_samples", SL_SCALAR_U64);
  g_assert_cmpuint (fx_u64_at (f, 0), ==, 12);
  g_assert_cmpstr (fx_slot (f, 0)->tag, ==, "monitor_summary");
  g_clear_pointer (&f, sl_series_field_unref);

  f = fx_project (run, "monitor summary.max_imbalance_ratio", SL_SCALAR_F64);
  g_assert_cmpfloat (fx_slot (f, 0)->value.f, ==, 1.5);
  g_clear_pointer (&f, sl_series_field_unref);

  /* Absent event deltas are an error, never 0. */
  f = fx_project (run, "monitor events.insert_not_owned", SL_SCALAR_I64);
  fx_assert_err (f, 0, SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE, "no SCX event deltas");
  g_clear_pointer (&f, sl_series_field_unref);

  sum->has_event_deltas = TRUE;
  sum->event_totals[0] = 11;
  sum->event_totals[2] = 22;     /* dispatch_keep_last */
  sum->max_fallback_burst = 4;
  sum->keep_last_rate = 2.5;
  f = fx_project (run, "monitor events.select_cpu_fallback", SL_SCALAR_I64);
  g_assert_cmpint (fx_slot (f, 0)->value.i, ==, 11);
  g_clear_pointer (&f, sl_series_field_unref);
  f = fx_project (run, "monitor events.select_cpu_fallback_max_burst", SL_SCALAR_I64);
  g_assert_cmpint (fx_slot (f, 0)->value.i, ==, 4);
  g_clear_pointer (&f, sl_series_field_unref);
  f = fx_project (run, "monitor events.dispatch_keep_last", SL_SCALAR_I64);
  g_assert_cmpint (fx_slot (f, 0)->value.i, ==, 22);
  g_clear_pointer (&f, sl_series_field_unref);
  f = fx_project (run, "monitor rates.dispatch_keep_last_rate", SL_SCALAR_F64);
  g_assert_cmpfloat (fx_slot (f, 0)->value.f, ==, 2.5);
}

static void
test_selector_errors (void)
{
  const char *bad[] = {
    "", "bpf", "cpu nr", "bpf a..b", "bpf map/x..y", "bpf map[x]/a", "bpf map@cpu_avg/a",
    "bpf map[1]", "bpf map@1", "bpf /x", "stats a..b", "stats .a", "host cpu.nr", "host cpu0.bogus",
    "host vcpu0.user", "host cpu0.softirqs.NOPE", "monitor cpu0.bogus", "monitor summary.nope",
    "monitor events.nope", "monitor rates.x", "monitor cpu0.event.nope", "monitor x",
    "bpf map[99999999999]/a", "bpf a b",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (bad[i], &error);

      if (sel != NULL)
        g_error ("'%s' parsed", bad[i]);
      g_assert_error (error, SL_ERROR, SL_ERROR_FIELD);
      g_assert_nonnull (strstr (error->message, "field selector"));
    }
}

static void
test_selector_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlFieldSelector) a = sl_field_selector_parse ("  bpf  cpu_ctx[3]@cpu_sum/a.b.0  ", &error);
  g_autoptr(SlFieldSelector) b = NULL;
  g_autoptr(SlFieldSelector) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a->text, ==, "bpf cpu_ctx[3]@cpu_sum/a.b.0");
  g_assert_cmpint (a->bpf_target, ==, SL_BPF_TARGET_MAP);
  g_assert_cmpstr (a->name, ==, "cpu_ctx");
  g_assert_cmpuint (a->index, ==, 3);
  g_assert_cmpint (a->cpu_pick, ==, SL_CPU_PICK_SUM);
  g_assert_cmpuint (g_strv_length (a->components), ==, 3);
  b = sl_field_selector_copy (a);
  g_assert_true (sl_field_selector_equal (a, b));
  c = sl_field_selector_parse ("bpf sl_vtime.bss/", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (c->components), ==, 0);
  g_assert_cmpstr (c->name, ==, "sl_vtime.bss");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/query/selector/forms", test_selector_forms);
  g_test_add_func ("/query/selector/errors", test_selector_errors);
  g_test_add_func ("/query/bpf/global-and-map-form", test_bpf_global_and_map_form);
  g_test_add_func ("/query/bpf/slot-metadata", test_slot_metadata);
  g_test_add_func ("/query/bpf/not-found-messages", test_bpf_not_found_messages);
  g_test_add_func ("/query/bpf/available-list-bounded", test_bpf_available_list_is_bounded);
  g_test_add_func ("/query/bpf/type-mismatch", test_bpf_type_mismatch);
  g_test_add_func ("/query/bpf/u64-above-2-53", test_bpf_u64_above_2_53_exact);
  g_test_add_func ("/query/bpf/hash-index", test_bpf_hash_index);
  g_test_add_func ("/query/bpf/array-index", test_bpf_array_index);
  g_test_add_func ("/query/bpf/per-cpu", test_bpf_per_cpu);
  g_test_add_func ("/query/bpf/per-cpu-f64-nan", test_bpf_per_cpu_f64_nan);
  g_test_add_func ("/query/bpf/ambiguous-and-active", test_bpf_ambiguous_and_active);
  g_test_add_func ("/query/bpf/render-incomplete", test_bpf_render_incomplete);
  g_test_add_func ("/query/placeholder", test_placeholder_first);
  g_test_add_func ("/query/stats", test_stats_axis);
  g_test_add_func ("/query/host", test_host_axis);
  g_test_add_func ("/query/scheduler-gone", test_scheduler_gone);
  g_test_add_func ("/query/scheduler-gone-before-any", test_scheduler_gone_before_any_sample);
  g_test_add_func ("/query/monitor/cpu", test_monitor_axis);
  g_test_add_func ("/query/monitor/summary-events", test_monitor_summary_events);
  return g_test_run ();
}
