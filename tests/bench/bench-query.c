/* bench-query: figures for projections, the field catalog and spec evaluation
 * on a generated in-memory run (no archive I/O). Prints, never asserts.
 *
 * Usage: bench-query [N_SAMPLES]   (default 10000) */
#include <stdio.h>
#include <stdlib.h>

#include "sl-field-catalog.h"
#include "sl-projection.h"
#include "sl-spec.h"

#define N_GLOBALS 64
#define N_CPUS    16

static SlRun *
make_run (guint n_samples)
{
  SlRun *run = sl_run_new ();

  for (guint i = 0; i < n_samples; i++)
    {
      g_autofree char *tag = g_strdup_printf ("periodic_%06u", i);
      SlSample *s = sl_sample_new (tag);
      SlMap *bss = sl_map_new ("sl_vtime.bss", SL_BPF_MAP_ARRAY, 8 * N_GLOBALS, 1);
      SlMap *pc = sl_map_new ("cpu_ctx", SL_BPF_MAP_PERCPU_ARRAY, 16, 1);
      SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);

      s->elapsed_ms = sl_opt_u64 (100 * (guint64) i);
      s->has_step_index = TRUE;
      s->step_index = (guint16) (1 + i * 3 / n_samples);
      bss->value = sl_value_new_struct (".bss");
      for (guint g = 0; g < N_GLOBALS; g++)
        {
          g_autofree char *name = g_strdup_printf ("nr_counter_%02u", g);
          sl_value_struct_add (bss->value, name, sl_value_new_uint (64, (guint64) i * (g + 1)));
        }
      g_ptr_array_add (s->report->maps, bss);
      e->n_cpus = N_CPUS;
      e->per_cpu = g_new0 (SlValue *, N_CPUS);
      for (guint c = 0; c < N_CPUS; c++)
        {
          e->per_cpu[c] = sl_value_new_struct ("cpu_ctx");
          sl_value_struct_add (e->per_cpu[c], "dispatched", sl_value_new_uint (64, (guint64) i + c));
          sl_value_struct_add (e->per_cpu[c], "idle_ns", sl_value_new_uint (64, (guint64) i * c));
        }
      g_ptr_array_add (pc->percpu_entries, e);
      g_ptr_array_add (s->report->maps, pc);
      s->stats = json_from_string ("{\"busy\": 55.5, \"cgroups\": {\"w\": {\"util\": 0.5, \"nr\": 3}}}", NULL);
      g_ptr_array_add (run->samples, s);
    }
  return run;
}

static double
now_ms (void)
{
  return (double) g_get_monotonic_time () / 1000.0;
}

static void
bench_project (SlRun *run, const char *selector, SlScalarType type)
{
  double t0 = now_ms ();
  g_autoptr(SlSeriesField) f = sl_project_text (run, selector, type, NULL);
  double dt = now_ms () - t0;

  printf ("project %-34s %8.2f ms  (%.2f us/sample)\n", selector, dt, dt * 1000.0 / MAX (1, sl_series_field_len (f)));
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 10000;
  g_autoptr(SlRun) run = NULL;
  g_autoptr(SlFieldCatalog) cat = NULL;
  g_autoptr(SlSpec) spec = NULL;
  double t0;

  t0 = now_ms ();
  run = make_run (n);
  printf ("generated %u samples (%d globals, %d-CPU map) in %.1f ms\n", n, N_GLOBALS, N_CPUS, now_ms () - t0);

  bench_project (run, "bpf nr_counter_63", SL_SCALAR_U64);
  bench_project (run, "bpf sl_vtime.bss/nr_counter_63", SL_SCALAR_U64);
  bench_project (run, "bpf cpu_ctx@cpu_sum/dispatched", SL_SCALAR_U64);
  bench_project (run, "bpf cpu_ctx@7/idle_ns", SL_SCALAR_F64);
  bench_project (run, "stats cgroups.w.util", SL_SCALAR_F64);

  t0 = now_ms ();
  cat = sl_field_catalog_build (run, 0);
  printf ("catalog: %u fields in %.1f ms\n", cat->fields->len, now_ms () - t0);

  spec = sl_spec_parse ("[spec]\nversion=1\n"
                        "[assert a]\nfield=bpf nr_counter_10\npattern=nondecreasing\n"
                        "[assert b]\nfield=bpf cpu_ctx@cpu_sum/dispatched\npattern=rate_within\nlo=0\nhi=1\n"
                        "[assert c]\nfield=stats busy\npattern=steady_within\nwarmup_ms=0\ntolerance=0.1\n",
                        -1, "bench", NULL);
  t0 = now_ms ();
  for (guint i = 0; i < spec->assertions->len; i++)
    {
      g_autoptr(SlVerdict) v = sl_assertion_evaluate (g_ptr_array_index (spec->assertions, i), run, NULL, NULL);
      (void) v;
    }
  printf ("evaluate %u assertions: %.1f ms\n", spec->assertions->len, now_ms () - t0);
  return 0;
}
