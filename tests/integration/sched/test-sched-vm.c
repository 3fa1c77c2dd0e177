/* Integration test for the bundled schedulers: boots the default kernel under
 * TCG (2 vCPUs, single-threaded TCG as sched_ext enable needs) and runs
 * sl_fifo through the real runner and guest agent.
 *
 *  - normal run: sched_ext reports state=enabled with ops sl_fifo, periodic
 *    samples carry scx_stats, and the dispatch counters never go backwards;
 *  - --bug=stall: the kernel's watchdog ejects the scheduler, and the archive
 *    records the exit with SCX_EXIT_ERROR_STALL and the stall message. */
#include "sl-archive.h"
#include "sl-kernel.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <glib/gstdio.h>
#include <string.h>

#define SCENARIO_TEXT          \
  "scenario it-sched\n"        \
  "add-cgroup spin\n"          \
  "spawn spin CpuSpin count=2\n" \
  "step spin\n"                \
  "  hold %s\n"

typedef struct
{
  GPtrArray *notices;
} Notes;

static void
note (const char *line, gpointer data)
{
  Notes *n = data;
  g_test_message ("%s", line);
  g_ptr_array_add (n->notices, g_strdup (line));
}

/* The agent's sched_ext state reports land in the archive's log (and, in
 * some runner versions, in the notices). */
static gboolean
saw_line (const Notes *n, const SlRun *run, const char *needle)
{
  for (guint i = 0; i < n->notices->len; i++)
    if (strstr (n->notices->pdata[i], needle) != NULL)
      return TRUE;
  for (guint i = 0; run->log && i < run->log->len; i++)
    if (strstr (run->log->pdata[i], needle) != NULL)
      return TRUE;
  return FALSE;
}

/* Runs sl_fifo with the given extra loader arguments; returns the archive. */
static SlRun *
run_fifo (const char *hold, const char *const *extra_args, Notes *notes, char **dir_out)
{
  g_autoptr(GError) error = NULL;
  SlKernelOptions kopts = { 0 };
  g_autoptr(SlKernel) k = sl_kernel_resolve ("default", &kopts, NULL, NULL, NULL, &error);
  g_autofree char *text = g_strdup_printf (SCENARIO_TEXT, hold);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  if (k == NULL)
    g_error ("no kernel to boot: %s. CI fetches it first with `schedlab-cli kernel fetch`.", error->message);
  if (!k->has_sched_ext)
    g_error ("the default kernel %s has no sched_ext", k->version);

  g_autoptr(SlScenario) sc = sl_scenario_parse (text, "integration", &error);
  g_assert_no_error (error);
  *dir_out = g_dir_make_tmp ("sl-it-sched-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *out = g_build_filename (*dir_out, "run.slrun", NULL);

  g_ptr_array_add (args, (gpointer) "--scheduler");
  g_ptr_array_add (args, (gpointer) "sl_fifo");
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (args, (gpointer) extra_args[i]);
  g_ptr_array_add (args, NULL);

  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux,
    .kernel_version = k->version,
    .kernel_has_sched_ext = k->has_sched_ext,
    .kernel_hz = k->hz,
    .topology = { 1, 1, 2, 1 },
    .memory_mb = 512,
    .accel = SL_ACCEL_TCG,
    .tcg_single_thread = TRUE,
    .scheduler = SL_SCHED_LOADER,
    .scheduler_args = (const char *const *) args->pdata,
    .scenario = sc,
    .snapshots = 4,
    .timeout_s = 300,
    .output = out,
    .notice = note,
    .user_data = notes,
  };
  g_autoptr(SlRunner) runner = sl_runner_new (&cfg);
  g_assert_true (sl_runner_run (runner, &error));
  g_assert_no_error (error);
  g_test_message ("end reason: %s", sl_runner_get_end_reason (runner));

  SlRun *run = sl_archive_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (out);
  return run;
}

static guint64
stats_u64 (JsonNode *stats, const char *member)
{
  JsonObject *o;

  g_assert_nonnull (stats);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (stats));
  o = json_node_get_object (stats);
  g_assert_true (json_object_has_member (o, member));
  g_assert_cmpint (json_object_get_int_member (o, member), >=, 0);
  return (guint64) json_object_get_int_member (o, member);
}

static void
test_fifo_stats (void)
{
  Notes notes = { g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *dir = NULL;
  g_autoptr(SlRun) run = run_fifo ("4s", NULL, &notes, &dir);
  guint with_stats = 0;
  guint64 last_dispatched = 0, last_enqueued = 0;

  g_assert_true (run->complete);
  g_assert_true (saw_line (&notes, run, "state=enabled ops=sl_fifo"));

  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = run->samples->pdata[i];
      guint64 d, e;
      JsonArray *per_cpu;

      if (!sl_tag_is_strict_periodic (s->tag))
        continue;
      if (s->stats == NULL)
        {
          g_autofree char *why = sl_missing_stats_to_string (&s->missing_stats);
          g_test_message ("%s: no stats: %s", s->tag, why);
          continue;
        }
      with_stats++;
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (s->stats), "scheduler"), ==, "sl_fifo");
      d = stats_u64 (s->stats, "nr_dispatched");
      e = stats_u64 (s->stats, "nr_enqueued");
      g_assert_cmpuint (d, >=, last_dispatched);
      g_assert_cmpuint (e, >=, last_enqueued);
      /* Without a fault mode every dispatch is either local or shared. */
      g_assert_cmpuint (d, ==, stats_u64 (s->stats, "nr_local") + stats_u64 (s->stats, "nr_shared"));
      per_cpu = json_object_get_array_member (json_node_get_object (s->stats), "per_cpu");
      g_assert_nonnull (per_cpu);
      g_assert_cmpuint (json_array_get_length (per_cpu), >=, 2);
      last_dispatched = d;
      last_enqueued = e;
    }
  g_test_message ("%u periodic samples with stats; last nr_dispatched=%" G_GUINT64_FORMAT,
                  with_stats, last_dispatched);
  g_assert_cmpuint (with_stats, >=, 3);
  g_assert_cmpuint (last_dispatched, >, 0);

  /* A clean detach, not an error exit. */
  for (guint i = 0; i < run->exits->len; i++)
    g_assert_cmpuint (((SlSchedExit *) run->exits->pdata[i])->exit_kind, <, 1024);

  g_ptr_array_unref (notes.notices);
  g_rmdir (dir);
}

static void
test_fifo_stall (void)
{
  static const char *const stall_args[] = { "--bug=stall", NULL };
  Notes notes = { g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *dir = NULL;
  g_autoptr(SlRun) run = run_fifo ("10s", stall_args, &notes, &dir);
  const SlSchedExit *stall = NULL;

  g_assert_true (run->complete);
  g_assert_true (saw_line (&notes, run, "state=enabled ops=sl_fifo"));
  for (guint i = 0; i < run->exits->len; i++)
    {
      const SlSchedExit *e = run->exits->pdata[i];
      g_test_message ("exit kind %u %s reason '%s' message '%s'", e->exit_kind,
                      e->kind_name ? e->kind_name : "?", e->reason ? e->reason : "",
                      e->message ? e->message : "");
      if (e->exit_kind == 1026)
        stall = e;
    }
  g_assert_nonnull (stall);
  g_assert_cmpstr (stall->kind_name, ==, "SCX_EXIT_ERROR_STALL");
  g_assert_nonnull (stall->reason);
  g_assert_nonnull (strstr (stall->reason, "runnable task stall"));
  g_assert_nonnull (stall->message);
  g_assert_nonnull (strstr (stall->message, "failed to run for"));

  g_ptr_array_unref (notes.notices);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/integration/sched/fifo-enabled-stats", test_fifo_stats);
  g_test_add_func ("/integration/sched/fifo-stall-ejected", test_fifo_stall);
  return g_test_run ();
}
