/* cli-test.c: `schedlab-cli test FILE...`: for each .sltest, boot the VM it
 * describes, run its scenario and scheduler, keep the run archive, evaluate
 * every assertion against it and report (human, TAP 13 or JUnit XML).
 *
 * With --jobs N > 1 each test runs in a child `schedlab-cli test` process (the
 * runner owns the process's default main context, so one VM per process) and
 * reports back through a small JSON result file. */
#include "sl-cli.h"
#include "cli-vm-config.h"
#include "cli-test-report.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sl-archive.h"
#include "sl-boundaries.h"
#include "sl-phase.h"
#include "sl-scenario.h"
#include "sl-test-file.h"

#define DEFAULT_KEEP_DIR "schedlab-test-runs"
/* Failing outcomes detailed per assertion; the rest are counted. */
#define MAX_OUTCOMES_SHOWN 5

typedef struct {
  char     *kernel;
  char     *accel;
  char     *keep_dir;
  int       timeout;
  gboolean  offline;
  gboolean  verbose;
  SlRunner *runner;           /* the run in progress (sequential mode) */
  gboolean  interrupted;
  /* progress de-duplication */
  const char *current;
  guint     last_samples;
  guint16   last_phase;
  char     *last_status;
} Ctx;

/* ---- progress (stderr) ---------------------------------------------------- */

static void
on_console (const char *line, gpointer user_data)
{
  Ctx *c = user_data;

  if (c->verbose)
    fprintf (stderr, "[%s] | %s\n", c->current, line);
}

static void
on_notice (const char *line, gpointer user_data)
{
  Ctx *c = user_data;

  fprintf (stderr, "[%s] %s\n", c->current, line);
}

static void
on_progress (const SlRunnerProgress *p, gpointer user_data)
{
  Ctx *c = user_data;
  g_autofree char *phase = NULL;

  if (p->samples == c->last_samples && p->phase == c->last_phase && g_strcmp0 (p->status, c->last_status) == 0)
    return;
  c->last_samples = p->samples;
  c->last_phase = p->phase;
  g_free (c->last_status);
  c->last_status = g_strdup (p->status);
  phase = sl_phase_label (p->phase);
  fprintf (stderr, "[%s] %s: phase %s, samples %u/%u, elapsed %.1f s\n", c->current, p->status, phase,
           p->samples, p->samples_target, p->elapsed_ms / 1000.0);
}

static void
kernel_progress (SlKernelStage stage, const char *message, gpointer user_data)
{
  Ctx *c = user_data;

  fprintf (stderr, "[%s] kernel: %s\n", c->current, message);
}

static gboolean
on_signal (gpointer user_data)
{
  Ctx *c = user_data;

  c->interrupted = TRUE;
  if (c->runner)
    sl_runner_interrupt (c->runner);
  return G_SOURCE_CONTINUE;
}

/* ---- evaluation ------------------------------------------------------------ */

static char *
scalar_text (SlScalar v)
{
  switch (v.type)
    {
    case SL_SCALAR_U64: return g_strdup_printf ("%" G_GUINT64_FORMAT, v.u);
    case SL_SCALAR_I64: return g_strdup_printf ("%" G_GINT64_FORMAT, v.i);
    case SL_SCALAR_BOOL: return g_strdup (v.b ? "true" : "false");
    case SL_SCALAR_F64:
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.6g", v.f));
      }
    }
}

/* "sample periodic_004 +3200ms Step[0] value=123" */
static char *
describe_slot (const SlSeriesField *f, gint slot)
{
  const SlSlot *s;
  g_autofree char *elapsed = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *value = NULL;

  if (f == NULL || slot < 0 || (guint) slot >= sl_series_field_len (f))
    return NULL;
  s = sl_series_field_slot (f, (guint) slot);
  elapsed = sl_format_elapsed (s->elapsed_ms);
  phase = s->has_phase ? sl_phase_label (s->phase) : g_strdup ("(no phase)");
  value = s->ok ? scalar_text (s->value) : g_strdup_printf ("error %s: %s", sl_field_error_kind_name (s->error),
                                                           s->error_text);
  return g_strdup_printf ("sample %s %s %s value=%s", s->tag, elapsed, phase, value);
}

static char *
describe_pattern (const SlAssertion *a)
{
  GString *s = g_string_new (a->pattern->name);

  for (guint i = 0; i < a->pattern->n_params; i++)
    {
      g_autofree char *text = sl_assertion_param_text (a, a->pattern->params[i].id);

      if (text)
        g_string_append_printf (s, " %s=%s", a->pattern->params[i].name, text);
    }
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

static SlCliAssertResult *
evaluate (const SlAssertion *a, SlRun *run)
{
  SlCliAssertResult *ar = g_new0 (SlCliAssertResult, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSeriesField) field = NULL;
  g_autoptr(SlVerdict) v = NULL;
  guint shown = 0;

  ar->name = g_strdup (a->name);
  ar->field = g_strdup (a->selector->text);
  ar->pattern = describe_pattern (a);
  ar->lines = g_ptr_array_new_with_free_func (g_free);
  v = sl_assertion_evaluate (a, run, &field, &error);
  if (v == NULL)
    {
      ar->result = SL_OUTCOME_INCONCLUSIVE;
      g_ptr_array_add (ar->lines, g_strdup_printf ("cannot evaluate: %s", error ? error->message : "unknown error"));
      return ar;
    }
  ar->result = sl_verdict_result (v);
  for (guint i = 0; i < sl_verdict_n_outcomes (v); i++)
    {
      const SlOutcome *o = sl_verdict_outcome (v, i);
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;

      if (o->kind != SL_OUTCOME_FAIL && o->kind != SL_OUTCOME_INCONCLUSIVE)
        continue;
      if (++shown > MAX_OUTCOMES_SHOWN)
        continue;
      g_ptr_array_add (ar->lines, g_strdup_printf ("%s%s%s%s%s", o->kind == SL_OUTCOME_INCONCLUSIVE ? "inconclusive: " : "",
                                                   o->message, o->phase ? " (phase " : "", o->phase ? o->phase : "",
                                                   o->phase ? ")" : ""));
      first = describe_slot (field, o->first_slot);
      last = o->last_slot != o->first_slot ? describe_slot (field, o->last_slot) : NULL;
      if (first)
        g_ptr_array_add (ar->lines, g_strdup_printf ("  %s", first));
      if (last)
        g_ptr_array_add (ar->lines, g_strdup_printf ("  %s", last));
    }
  if (shown > MAX_OUTCOMES_SHOWN)
    g_ptr_array_add (ar->lines, g_strdup_printf ("… and %u more (the archive has them all; "
                                                 "`schedlab-cli check --json` lists every outcome)",
                                                 shown - MAX_OUTCOMES_SHOWN));
  if (ar->result == SL_OUTCOME_FAIL || ar->result == SL_OUTCOME_INCONCLUSIVE)
    for (guint i = 0; i < sl_verdict_n_notes (v); i++)
      g_ptr_array_add (ar->lines, g_strdup_printf ("note: %s", sl_verdict_get_note (v, i)->message));
  return ar;
}

static int
outcome_status (SlOutcomeKind k)
{
  return k == SL_OUTCOME_FAIL ? SL_EXIT_FAIL : k == SL_OUTCOME_INCONCLUSIVE ? SL_EXIT_INCONCLUSIVE : SL_EXIT_PASS;
}

/* ---- one test, in this process ------------------------------------------- */

static char *
archive_path (const Ctx *c, const char *name)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *file = g_strdup_printf ("%s-%s.%03dZ-%d.slrun", name, stamp,
                                           g_date_time_get_microsecond (now) / 1000, (int) getpid ());

  return g_build_filename (c->keep_dir, file, NULL);
}

static void
run_one (Ctx *c, const char *path, SlCliTestResult *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlTestFile) t = NULL;
  g_autoptr(SlScenario) sc = NULL;
  g_autoptr(SlKernel) k = NULL;
  g_autoptr(SlIntrospector) in = NULL;
  g_autoptr(SlRunner) runner = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autofree char *sched_path = NULL, *sched_label = NULL;
  g_auto(GStrv) sched_args = NULL, sched_label_args = NULL;
  g_autofree char *kspec = NULL;
  g_autofree char *source = NULL;
  SlAccel accel = SL_ACCEL_AUTO;
  gint64 t0 = g_get_monotonic_time ();
  guint64 workload_ms;
  const char *reason;

  c->current = r->name;
  c->last_samples = G_MAXUINT;
  t = sl_test_file_load (path, &error);
  if (t == NULL)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_BAD_SPEC, "%s", error->message);
      return;
    }
  sc = sl_scenario_load (t->run.scenario, &error);
  if (sc == NULL)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_BAD_SPEC, "%s: [run], key 'scenario': %s", path, error->message);
      return;
    }
  workload_ms = sl_scenario_total_ms (sc, t->run.duration_ms);
  if (!sl_periodic_validate (workload_ms, t->run.snapshots, &error))
    {
      sl_cli_test_result_set_error (r, SL_EXIT_BAD_SPEC, "%s: [run], key 'snapshots': %s", path, error->message);
      return;
    }
  if (c->accel != NULL && !sl_accel_parse (c->accel, &accel, &error))
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "--accel: %s", error->message);
      return;
    }
  if (!sl_cli_resolve_scheduler (t->run.scheduler, (const char *const *) t->run.scheduler_args,
                                 &sched_path, &sched_args, &error))
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "%s: [run], key 'scheduler': %s", path, error->message);
      return;
    }
  if (sched_path != NULL)
    sl_scheduler_label (t->run.scheduler, (const char *const *) t->run.scheduler_args,
                        &sched_label, &sched_label_args);

  kspec = c->kernel ? g_strdup (c->kernel) : sl_cli_kernel_spec (t->run.kernel);
  {
    SlKernelOptions kopts = { .offline = c->offline };
    k = sl_kernel_resolve (kspec, &kopts, kernel_progress, c, NULL, &error);
  }
  if (k == NULL)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "kernel '%s': %s", kspec, error->message);
      return;
    }
  if (sched_path != NULL && !k->has_sched_ext)
    fprintf (stderr, "[%s] warning: kernel %s does not report sched_ext support\n", r->name, k->version);

  if (g_mkdir_with_parents (c->keep_dir, 0755) != 0)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "cannot create %s: %s", c->keep_dir, g_strerror (errno));
      return;
    }
  r->archive = archive_path (c, r->name);
  source = sl_cli_kernel_source (k);
  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux,
    .kernel_version = k->version,
    .kernel_source = source,
    .kernel_has_sched_ext = k->has_sched_ext,
    .kernel_hz = k->hz,
    .topology = t->run.topology,
    .memory_mb = t->run.memory_mb,
    .accel = accel,
    /* sched_ext enable races under multi-threaded TCG (ref: vm-facts). */
    .tcg_single_thread = sched_path != NULL,
    .scheduler = sched_path,
    .scheduler_args = (const char *const *) sched_args,
    .scheduler_label = sched_label,
    .scheduler_label_args = (const char *const *) sched_label_args,
    .scenario = sc,
    .duration_ms = t->run.duration_ms,
    .snapshots = t->run.snapshots,
    .interval_ms = t->run.interval_ms,
    .timeout_s = (guint) c->timeout,
    .output = r->archive,
    .console = on_console,
    .notice = on_notice,
    .progress = on_progress,
    .user_data = c,
  };
  in = sl_introspector_new_for_vmlinux (k->vmlinux, &error);
  if (in != NULL)
    sl_cli_use_introspector (&cfg, in);
  else
    {
      fprintf (stderr, "[%s] warning: no guest-memory capture: %s\n", r->name, error->message);
      g_clear_error (&error);
    }

  fprintf (stderr, "[%s] booting %s (%s, scenario %s)\n", r->name, k->version,
           t->run.scheduler[0] ? t->run.scheduler : "built-in scheduler", t->run.scenario);
  runner = sl_runner_new (&cfg);
  c->runner = runner;
  if (!c->interrupted && !sl_runner_run (runner, &error))
    {
      c->runner = NULL;
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "the VM could not run: %s", error->message);
      return;
    }
  c->runner = NULL;
  if (c->interrupted && sl_runner_get_end_reason (runner) == NULL)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_INCONCLUSIVE, "interrupted before the VM started");
      g_clear_pointer (&r->archive, g_free);
      return;
    }
  reason = sl_runner_get_end_reason (runner);
  r->end_reason = g_strdup (reason);
  r->n_samples = sl_runner_get_n_samples (runner);
  r->seconds = (g_get_monotonic_time () - t0) / 1e6;
  fprintf (stderr, "[%s] %u samples, end reason \"%s\", archive %s\n", r->name, r->n_samples,
           reason ? reason : "?", r->archive);

  run = sl_archive_load (r->archive, NULL, NULL, NULL, &error);
  if (run == NULL)
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "cannot read the run archive %s: %s", r->archive, error->message);
      return;
    }
  if (g_strcmp0 (reason, "guest panic") == 0 || g_strcmp0 (reason, "vm exited") == 0
      || g_str_has_prefix (reason ? reason : "", "error"))
    {
      sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "the VM did not finish the run (end reason \"%s\")", reason ? reason : "?");
      return;
    }

  r->status = SL_EXIT_PASS;
  for (guint i = 0; i < t->spec->assertions->len; i++)
    {
      SlCliAssertResult *ar = evaluate (t->spec->assertions->pdata[i], run);

      r->status = sl_cli_test_status_worst (r->status, outcome_status (ar->result));
      g_ptr_array_add (r->asserts, ar);
    }
  /* A cut-short run can prove a failure but not a pass. */
  if (g_strcmp0 (reason, "finished") != 0 && r->status == SL_EXIT_PASS)
    sl_cli_test_result_set_error (r, SL_EXIT_INCONCLUSIVE, "the run did not finish (end reason \"%s\")", reason ? reason : "?");
}

/* ---- parallel runs ----------------------------------------------------------- */

typedef struct {
  Ctx        *ctx;
  GPtrArray  *results;        /* SlCliTestResult*, in file order */
  GPtrArray  *procs;          /* GSubprocess* running (NULL slots when done) */
  char      **result_files;
  char      **base_argv;      /* options every child gets */
  guint       next;
  guint       running;
  guint       jobs;
  GMainLoop  *loop;
} Pool;

typedef struct {
  Pool *pool;
  guint index;
} Job;

static void spawn_next (Pool *pool);

static void
on_child_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Job *job = user_data;
  Pool *pool = job->pool;
  SlCliTestResult *r = pool->results->pdata[job->index];
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), res, NULL);
  if (!sl_cli_test_result_read (r, pool->result_files[job->index], &error))
    sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "the test process ended without a result (exit status %d): %s",
               g_subprocess_get_if_exited (G_SUBPROCESS (source)) ? g_subprocess_get_exit_status (G_SUBPROCESS (source)) : -1,
               error->message);
  g_unlink (pool->result_files[job->index]);
  g_ptr_array_remove (pool->procs, source);
  pool->running--;
  g_free (job);
  spawn_next (pool);
}

static void
spawn_next (Pool *pool)
{
  while (pool->running < pool->jobs && pool->next < pool->results->len && !pool->ctx->interrupted)
    {
      guint i = pool->next++;
      SlCliTestResult *r = pool->results->pdata[i];
      g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) error = NULL;
      GSubprocess *proc;
      Job *job;

      g_strv_builder_addv (b, (const char **) pool->base_argv);
      g_strv_builder_add_many (b, "--result-file", pool->result_files[i], r->path, NULL);
      argv = g_strv_builder_end (b);
      proc = g_subprocess_newv ((const char *const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
      if (proc == NULL)
        {
          sl_cli_test_result_set_error (r, SL_EXIT_SOFTWARE, "cannot start a test process: %s", error->message);
          continue;
        }
      g_ptr_array_add (pool->procs, proc);
      pool->running++;
      job = g_new0 (Job, 1);
      job->pool = pool;
      job->index = i;
      g_subprocess_wait_async (proc, NULL, on_child_done, job);
    }
  if (pool->running == 0)
    g_main_loop_quit (pool->loop);
}

static gboolean
on_pool_signal (gpointer user_data)
{
  Pool *pool = user_data;

  pool->ctx->interrupted = TRUE;
  for (guint i = 0; i < pool->procs->len; i++)
    g_subprocess_send_signal (pool->procs->pdata[i], SIGINT);
  return G_SOURCE_CONTINUE;
}

static void
run_parallel (Ctx *c, GPtrArray *results, guint jobs)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *tmpdir = NULL;
  g_autoptr(GError) error = NULL;
  Pool pool = { .ctx = c, .results = results, .jobs = jobs };
  guint sigint, sigterm;

  tmpdir = g_dir_make_tmp ("schedlab-test-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      for (guint i = 0; i < results->len; i++)
        sl_cli_test_result_set_error (results->pdata[i], SL_EXIT_SOFTWARE, "cannot create a temporary directory: %s", error->message);
      return;
    }
  g_strv_builder_add_many (b, "/proc/self/exe", "test", "--keep-dir", c->keep_dir, NULL);
  if (c->kernel)
    g_strv_builder_add_many (b, "--kernel", c->kernel, NULL);
  if (c->accel)
    g_strv_builder_add_many (b, "--accel", c->accel, NULL);
  if (c->offline)
    g_strv_builder_add (b, "--offline");
  if (c->verbose)
    g_strv_builder_add (b, "--verbose");
  if (c->timeout > 0)
    {
      g_autofree char *t = g_strdup_printf ("%d", c->timeout);
      g_strv_builder_add_many (b, "--timeout", t, NULL);
    }
  /* /proc/self/exe is resolved by the kernel at exec time: this very binary. */
  {
    g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
    pool.base_argv = g_strv_builder_end (b);
    if (self)
      {
        g_free (pool.base_argv[0]);
        pool.base_argv[0] = g_steal_pointer (&self);
      }
  }
  /* Fetch each kernel once, here, rather than in several children at once. */
  {
    g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    c->current = "kernel";
    for (guint i = 0; i < results->len; i++)
      {
        g_autoptr(SlTestFile) t = sl_test_file_load (((SlCliTestResult *) results->pdata[i])->path, NULL);
        g_autofree char *kspec = NULL;
        SlKernelOptions kopts = { .offline = c->offline };

        if (t == NULL)
          continue;
        kspec = c->kernel ? g_strdup (c->kernel) : sl_cli_kernel_spec (t->run.kernel);
        if (g_hash_table_contains (done, kspec))
          continue;
        g_clear_pointer (&error, g_error_free);
        sl_kernel_free (sl_kernel_resolve (kspec, &kopts, kernel_progress, c, NULL, &error));
        g_hash_table_add (done, g_steal_pointer (&kspec));
      }
    g_clear_pointer (&error, g_error_free);
  }
  pool.result_files = g_new0 (char *, results->len + 1);
  for (guint i = 0; i < results->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.json", i);
      pool.result_files[i] = g_build_filename (tmpdir, name, NULL);
    }
  pool.procs = g_ptr_array_new_with_free_func (g_object_unref);
  pool.loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_pool_signal, &pool);
  sigterm = g_unix_signal_add (SIGTERM, on_pool_signal, &pool);
  spawn_next (&pool);
  if (pool.running > 0)
    g_main_loop_run (pool.loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  for (guint i = pool.next; i < results->len; i++)
    sl_cli_test_result_set_error (results->pdata[i], SL_EXIT_INCONCLUSIVE, "interrupted before it ran");
  g_main_loop_unref (pool.loop);
  g_ptr_array_unref (pool.procs);
  g_strfreev (pool.result_files);
  g_strfreev (pool.base_argv);
  g_rmdir (tmpdir);
}

/* ---- command ------------------------------------------------------------------ */

static gboolean
parse_shard (const char *text, guint *index, guint *count)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, "/", -1) : NULL;
  guint64 i, n;

  if (parts == NULL || g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 1, 100000, &i, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 1, 100000, &n, NULL) || i > n)
    return FALSE;
  *index = (guint) i;
  *count = (guint) n;
  return TRUE;
}

int
sl_cli_test (int argc, char **argv)
{
  g_autofree char *kernel = NULL, *accel = NULL, *keep_dir = NULL, *junit = NULL, *shard = NULL;
  g_autofree char *result_file = NULL;
  gboolean tap = FALSE, verbose = FALSE, offline = FALSE;
  int jobs = 1, timeout = 0;
  GOptionEntry entries[] = {
    { "tap", 0, 0, G_OPTION_ARG_NONE, &tap, "Print TAP version 13 (one test point per file)", NULL },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &junit, "Also write a JUnit XML report (one test case per assertion)", "FILE" },
    { "keep-dir", 0, 0, G_OPTION_ARG_FILENAME, &keep_dir, "Where run archives are kept (default ./" DEFAULT_KEEP_DIR ")", "DIR" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard, "Run only the i-th of n interleaved shares of the files (1 ≤ i ≤ n)", "I/N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "VMs run in parallel (default 1; at most the host's CPUs)", "N" },
    { "kernel", 'k', 0, G_OPTION_ARG_STRING, &kernel, "Boot this kernel instead of the one each file names", "SPEC" },
    { "accel", 0, 0, G_OPTION_ARG_STRING, &accel, "auto, kvm or tcg (default auto)", "ACCEL" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Hard wall-clock limit per VM in seconds (default workload + 300)", "S" },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, "Never download a kernel; use the cache only", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Stream the guest console to stderr", NULL },
    { "result-file", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &result_file, "Write the result as JSON (used with --jobs)", "FILE" },
    { NULL },
  };
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_cli_test_result_free);
  g_autoptr(GError) error = NULL;
  guint shard_index = 1, shard_count = 1, cpus = g_get_num_processors ();
  int overall = SL_EXIT_PASS;
  Ctx c = { 0 };

  if (!sl_cli_parse (&argc, &argv, "FILE.sltest…",
                     "Rerun test files on fresh VMs and evaluate their assertions.",
                     "Each file (doc/test-format.md) names a kernel, topology, scheduler and\n"
                     "scenario; the run archive is kept for post-mortem under --keep-dir as\n"
                     "<test>-<timestamp>.slrun. Progress goes to stderr, the report to stdout.\n\n"
                     "Exit status: 0 every test passed, 1 an assertion failed, 2 none failed but\n"
                     "one was inconclusive (or a run was cut short), 64 bad command line,\n"
                     "65 an invalid test file, 70 a VM could not run. With several files the\n"
                     "worst wins, in the order 65, 70, 1, 2, 0.",
                     entries))
    return SL_EXIT_USAGE;
  if (argc < 2)
    {
      g_printerr ("schedlab-cli test: expected at least one FILE.sltest (see --help)\n");
      return SL_EXIT_USAGE;
    }
  if (shard && !parse_shard (shard, &shard_index, &shard_count))
    {
      g_printerr ("schedlab-cli test: --shard: expected I/N with 1 ≤ I ≤ N, got '%s'\n", shard);
      return SL_EXIT_USAGE;
    }
  if (jobs < 1)
    {
      g_printerr ("schedlab-cli test: --jobs: expected a positive number, got %d\n", jobs);
      return SL_EXIT_USAGE;
    }
  if (timeout < 0)
    {
      g_printerr ("schedlab-cli test: --timeout: expected a positive number of seconds\n");
      return SL_EXIT_USAGE;
    }
  if (accel)
    {
      SlAccel acc;
      if (!sl_accel_parse (accel, &acc, &error))
        {
          g_printerr ("schedlab-cli test: --accel: %s\n", error->message);
          return SL_EXIT_USAGE;
        }
    }
  if (result_file && argc != 2)
    {
      g_printerr ("schedlab-cli test: --result-file takes exactly one FILE\n");
      return SL_EXIT_USAGE;
    }
  if ((guint) jobs > cpus)
    {
      g_printerr ("schedlab-cli test: --jobs %d capped at %u (host CPUs)\n", jobs, cpus);
      jobs = (int) cpus;
    }

  c.kernel = kernel;
  c.accel = accel;
  c.keep_dir = keep_dir ? keep_dir : (char *) DEFAULT_KEEP_DIR;
  c.timeout = timeout;
  c.offline = offline;
  c.verbose = verbose;

  for (int i = 1; i < argc; i++)
    if ((guint) (i - 1) % shard_count == shard_index - 1)
      g_ptr_array_add (results, sl_cli_test_result_new (argv[i]));
  if (results->len == 0)
    fprintf (stderr, "schedlab-cli test: shard %u/%u has no files\n", shard_index, shard_count);

  if (jobs > 1 && results->len > 1)
    run_parallel (&c, results, (guint) jobs);
  else
    {
      guint sigint = g_unix_signal_add (SIGINT, on_signal, &c);
      guint sigterm = g_unix_signal_add (SIGTERM, on_signal, &c);

      for (guint i = 0; i < results->len; i++)
        {
          SlCliTestResult *r = results->pdata[i];

          if (c.interrupted)
            sl_cli_test_result_set_error (r, SL_EXIT_INCONCLUSIVE, "interrupted before it ran");
          else
            run_one (&c, r->path, r);
        }
      g_source_remove (sigint);
      g_source_remove (sigterm);
      g_free (c.last_status);
    }

  for (guint i = 0; i < results->len; i++)
    overall = sl_cli_test_status_worst (overall, ((SlCliTestResult *) results->pdata[i])->status);
  if (result_file)
    {
      if (!sl_cli_test_result_write (results->pdata[0], result_file, &error))
        {
          g_printerr ("schedlab-cli test: %s\n", error->message);
          return SL_EXIT_SOFTWARE;
        }
      return overall;
    }
  if (tap)
    sl_cli_test_print_tap (results);
  else
    sl_cli_test_print_human (results);
  if (junit && !sl_cli_test_write_junit (results, junit, &error))
    {
      g_printerr ("schedlab-cli test: --junit: %s\n", error->message);
      return SL_EXIT_SOFTWARE;
    }
  fflush (stdout);
  return overall;
}
