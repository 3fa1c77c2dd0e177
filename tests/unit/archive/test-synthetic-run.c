/* test-synthetic-run.c: the bundled synthetic run is what its generator
 * writes, is labelled synthetic, and holds what the app expects to show. */
#include "archive-test-util.h"
#include "sl-phase.h"

#include <glib/gstdio.h>
#include <string.h>

#define SAMPLE_PATH "data/samples/synthetic-two-cgroups.slrun"

static const char *generator;

static void
test_contents (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SL_SOURCE_ROOT"), SAMPLE_PATH, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = sl_archive_load (path, NULL, NULL, NULL, &error);
  guint placeholders = 0, frozen = 0, phases[3] = { 0, 0, 0 };
  guint64 last_dispatched = 0;

  g_assert_no_error (error);
  g_assert_true (run->complete);
  g_assert_true (run->header.synthetic);
  g_assert_cmpstr (run->header.scheduler, ==, "sl_vtime");
  g_assert_cmpstr (run->header.scenario, ==, "two-cgroups");
  g_assert_cmpuint (sl_topology_n_cpus (&run->header.topology), ==, 2);
  g_assert_cmpuint (run->samples->len, ==, 20);
  g_assert_cmpuint (run->stimulus->len, >=, 3);
  g_assert_cmpuint (run->monitor_samples->len, >, 0);
  g_assert_nonnull (run->monitor_summary);
  g_assert_cmpuint (run->monitor_summary->total_samples, ==, run->monitor_samples->len);

  for (guint i = 0; i < run->samples->len; i++)
    {
      SlSample *s = g_ptr_array_index (run->samples, i);
      const SlMap *bss, *cpu_ctx, *cg;
      guint64 d = 0;

      g_assert_true (sl_tag_is_strict_periodic (s->tag));
      g_assert_true (s->elapsed_ms.set && s->boundary_offset_ms.set && s->has_step_index);
      g_assert_cmpuint (s->step_index, <=, 2);
      phases[s->step_index]++;
      if (s->stats == NULL)
        {
          g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_DURING_FREEZE);
          frozen++;
        }
      else
        g_assert_true (json_object_has_member (json_node_get_object (s->stats), "cgroups"));
      if (s->report->is_placeholder)
        {
          placeholders++;
          continue;
        }
      bss = sl_report_find_map (s->report, "sl_vtime.bss");
      cpu_ctx = sl_report_find_map (s->report, "cpu_ctx");
      cg = sl_report_find_map (s->report, "cgrp_runtime");
      g_assert_nonnull (bss);
      g_assert_nonnull (cpu_ctx);
      g_assert_nonnull (cg);
      g_assert_cmpuint (cpu_ctx->percpu_entries->len, ==, 1);
      g_assert_cmpuint (cg->entries->len, ==, 2);
      g_assert_cmpuint (s->report->per_cpu_time->len, ==, 2);
      g_assert_cmpuint (s->vcpu_times->len, ==, 2);
      g_assert_true (sl_value_as_u64 (sl_value_member (bss->value, "nr_dispatched"), &d));
      g_assert_cmpuint (d, >=, last_dispatched);
      last_dispatched = d;
    }
  g_assert_cmpuint (placeholders, ==, 1);
  g_assert_cmpuint (frozen, ==, 1);
  for (guint p = 0; p < 3; p++)
    g_assert_cmpuint (phases[p], >, 0);
}

/* The committed file is exactly what the generator writes today (the
 * header line carries the tool version, so it is left out). */
static void
test_reproducible (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-synth-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "s.slrun", NULL);
  g_autofree char *committed_path = g_build_filename (g_getenv ("SL_SOURCE_ROOT"), SAMPLE_PATH, NULL);
  g_autofree char *fresh = NULL, *committed = NULL;
  const char *argv[] = { generator, out, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (generator == NULL)
    {
      g_test_skip ("generator path not given");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_true (g_file_get_contents (out, &fresh, NULL, NULL));
  g_assert_true (g_file_get_contents (committed_path, &committed, NULL, NULL));
  g_assert_cmpuint (strlen (committed), <, 300 * 1024);
  if (strcmp (strchr (fresh, '\n'), strchr (committed, '\n')) != 0)
    g_error ("%s differs from what the generator writes now; regenerate it with "
             "sl-make-synthetic-run %s", SAMPLE_PATH, SAMPLE_PATH);
  g_unlink (out);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      generator = argv[i];
  g_test_add_func ("/archive/synthetic/contents", test_contents);
  g_test_add_func ("/archive/synthetic/reproducible", test_reproducible);
  return g_test_run ();
}
