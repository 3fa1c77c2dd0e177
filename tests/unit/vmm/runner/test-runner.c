/* Unit tests of the run driver against a fake QEMU that also plays the guest
 * agent (this binary, re-executed): periodic captures at the right boundaries,
 * phases, scx_stats replies and every typed missing reason (§7), the end-of-run
 * handshake, and an interrupted run that still leaves a complete archive. */
#include "sl-archive.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <glib/gstdio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- the fake QEMU + guest ---- */

static void
fsend (int fd, const char *s)
{
  if (write (fd, s, strlen (s)) < 0)
    _exit (3);
}

typedef struct {
  int     fd;
  GString *buf;
} LineIn;

/* Returns one line if available within timeout_ms, else NULL. */
static char *
line_in (LineIn *in, int timeout_ms)
{
  for (;;)
    {
      char *nl = memchr (in->buf->str, '\n', in->buf->len);
      if (nl != NULL)
        {
          char *line = g_strndup (in->buf->str, nl - in->buf->str);
          g_string_erase (in->buf, 0, nl - in->buf->str + 1);
          return line;
        }
      struct pollfd p = { .fd = in->fd, .events = POLLIN };
      if (poll (&p, 1, timeout_ms) <= 0)
        return NULL;
      char chunk[4096];
      ssize_t n = read (in->fd, chunk, sizeof chunk);
      if (n <= 0)
        _exit (0);
      g_string_append_len (in->buf, chunk, n);
    }
}

static void
qmp_serve (LineIn *q)
{
  g_autofree char *line = NULL;
  while ((line = line_in (q, 0)) != NULL)
    {
      const char *idp = strstr (line, "\"id\":");
      long id = idp ? strtol (idp + 5, NULL, 10) : 0;
      g_autofree char *reply = NULL;
      if (strstr (line, "query-cpus-fast"))
        reply = g_strdup_printf ("{\"return\": [{\"cpu-index\": 0, \"thread-id\": %ld}, {\"cpu-index\": 1, "
                                 "\"thread-id\": %ld}], \"id\": %ld}\r\n", (long) syscall (SYS_gettid),
                                 (long) syscall (SYS_gettid), id);
      else
        reply = g_strdup_printf ("{\"return\": {}, \"id\": %ld}\r\n", id);
      fsend (q->fd, reply);
      if (strstr (line, "\"quit\""))
        _exit (0);
      g_free (g_steal_pointer (&line));
    }
}

static long seq = 1;

static void
gsend (int fd, const char *json_without_seq)
{
  g_autofree char *s = g_strdup_printf ("%s,\"seq\":%ld}\n", json_without_seq, seq++);
  fsend (fd, s);
}

static gint64 t0_us;

static guint64
elapsed_ms (void)
{
  return (guint64) (g_get_monotonic_time () - t0_us) / 1000;
}

/* Runs the guest side for `ms`, answering QMP and stats requests. */
static void
guest_wait (LineIn *q, LineIn *c, guint ms, const char *stats_mode)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < end)
    {
      struct pollfd p[2] = { { .fd = q->fd, .events = POLLIN }, { .fd = c->fd, .events = POLLIN } };
      poll (p, 2, 5);
      qmp_serve (q);
      g_autofree char *line = line_in (c, 0);
      if (line == NULL || !g_str_has_prefix (line, "stats "))
        continue;
      char *id = line + 6;
      *strchr (id, ' ') = '\0';
      g_autofree char *msg = NULL;
      if (g_str_equal (stats_mode, "ok"))
        msg = g_strdup_printf ("{\"t\":\"stats_resp\",\"id\":\"%s\",\"resp\":\"{\\\"errno\\\":0,\\\"args\\\":{\\\"resp\\\":"
                               "{\\\"nr_dispatched\\\":%" G_GUINT64_FORMAT "}}}\"", id, elapsed_ms ());
      else if (g_str_equal (stats_mode, "errno"))
        msg = g_strdup_printf ("{\"t\":\"stats_resp\",\"id\":\"%s\",\"resp\":\"{\\\"errno\\\":22,\\\"args\\\":{\\\"x\\\":1}}\"", id);
      else if (g_str_equal (stats_mode, "noresp"))
        msg = g_strdup_printf ("{\"t\":\"stats_resp\",\"id\":\"%s\",\"resp\":\"{\\\"errno\\\":0,\\\"args\\\":{}}\"", id);
      else if (g_str_equal (stats_mode, "relay"))
        msg = g_strdup_printf ("{\"t\":\"stats_resp\",\"id\":\"%s\",\"relay_error\":\"cannot connect\"", id);
      else
        continue;   /* "silent": never answers */
      gsend (c->fd, msg);
    }
}

static int
fake_qemu (int argc, char **argv)
{
  const char *qmp_path = NULL, *ctl_path = NULL;
  for (int i = 1; i + 1 < argc; i++)
    {
      if (g_str_equal (argv[i], "-qmp"))
        qmp_path = g_strndup (argv[i + 1] + 5, strcspn (argv[i + 1] + 5, ","));
      if (g_str_equal (argv[i], "-chardev") && strstr (argv[i + 1], "id=sl-ctl"))
        ctl_path = strstr (argv[i + 1], "path=") + 5;
    }
  const char *stats_mode = g_getenv ("SL_FAKE_STATS");
  gboolean hang = g_getenv ("SL_FAKE_HANG") != NULL;
  int ctl = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  g_strlcpy (a.sun_path, ctl_path, sizeof a.sun_path);
  if (connect (ctl, (struct sockaddr *) &a, sizeof a) != 0)
    return 4;
  int ls = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un qa = { .sun_family = AF_UNIX };
  g_strlcpy (qa.sun_path, qmp_path, sizeof qa.sun_path);
  if (bind (ls, (struct sockaddr *) &qa, sizeof qa) != 0 || listen (ls, 1) != 0)
    return 5;
  int qfd = accept (ls, NULL, NULL);
  fsend (qfd, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
  LineIn q = { qfd, g_string_new (NULL) }, c = { ctl, g_string_new (NULL) };
  guest_wait (&q, &c, 300, stats_mode);
  const char *panic_once = g_getenv ("SL_FAKE_PANIC_ONCE");
  if (panic_once != NULL && !g_file_test (panic_once, G_FILE_TEST_EXISTS))
    {
      /* First boot: the kernel dies before the agent starts (QEMU -no-reboot exits). */
      g_file_set_contents (panic_once, "", 0, NULL);
      printf ("Kernel panic - not syncing: Attempted to kill init!\n");
      fflush (stdout);
      unlink (qmp_path);
      return 0;
    }
  printf ("fake console: booted\n");
  fflush (stdout);

  guest_wait (&q, &c, 100, stats_mode);
  gsend (ctl, "{\"t\":\"hello\",\"kernel\":\"fake\",\"cpus\":2,\"topology_ok\":true,\"boottime_ms\":42");
  guest_wait (&q, &c, 50, stats_mode);
  t0_us = g_get_monotonic_time ();
  gsend (ctl, "{\"t\":\"scenario_start\",\"elapsed_ms\":0,\"iters\":0");
  gsend (ctl, "{\"t\":\"step_start\",\"elapsed_ms\":0,\"step\":1,\"iters\":0");
  if (g_getenv ("SL_FAKE_EARLY_END") != NULL)
    /* The workload is over before any boundary comes due. */
    gsend (ctl, "{\"t\":\"terminal\",\"elapsed_ms\":0,\"iters\":0");
  guest_wait (&q, &c, 1000, stats_mode);
  gsend (ctl, "{\"t\":\"step_end\",\"elapsed_ms\":1000,\"step\":1,\"iters\":100");
  gsend (ctl, "{\"t\":\"step_start\",\"elapsed_ms\":1000,\"step\":2,\"iters\":100");
  guest_wait (&q, &c, 1000, stats_mode);
  if (hang)
    for (;;)
      guest_wait (&q, &c, 1000, stats_mode);
  gsend (ctl, "{\"t\":\"step_end\",\"elapsed_ms\":2000,\"step\":2,\"iters\":250");
  gsend (ctl, "{\"t\":\"terminal\",\"elapsed_ms\":2000,\"iters\":250");
  gsend (ctl, "{\"t\":\"cgroup\",\"name\":\"work\",\"iters\":250,\"workers\":2,\"cpu_us\":1500");
  gsend (ctl, "{\"t\":\"sched_exit\",\"kind\":64,\"kind_name\":\"SCX_EXIT_UNREG\",\"reason\":\"unregistered from user space\",\"msg\":\"\"");
  gsend (ctl, "{\"t\":\"end\",\"status\":0");
  /* Power off only after the host acknowledged the last message. */
  g_autofree char *want = g_strdup_printf ("ack %ld", seq - 1);
  for (int i = 0; i < 500; i++)
    {
      qmp_serve (&q);
      g_autofree char *line = line_in (&c, 10);
      if (line != NULL && g_str_equal (line, want))
        return 0;
    }
  return 6;
}

/* ---- tests ---- */

static char *self_path;

/* Interrupts as soon as the second sample is stored (deterministic on a slow host). */
static void
interrupt_after_two (const SlRunnerProgress *p, gpointer runner)
{
  if (p->samples >= 2 && runner != NULL)
    sl_runner_interrupt (*(SlRunner **) runner);
}

static SlRun *
run_fake (const char *stats_mode, const char *scheduler, gboolean interrupt_after_1s, char **end_reason)
{
  g_setenv ("SL_FAKE_STATS", stats_mode, TRUE);
  if (interrupt_after_1s)
    g_setenv ("SL_FAKE_HANG", "1", TRUE);
  else
    g_unsetenv ("SL_FAKE_HANG");
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScenario) sc = sl_scenario_parse ("scenario fake\nstep a\n  hold 1s\nstep b\n  hold 1s\n", "fake", &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_dir_make_tmp ("sl-runner-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "run.slrun", NULL);
  g_autofree char *agent = g_build_filename (dir, "agent", NULL);
  g_assert_true (g_file_set_contents (agent, "agent", -1, NULL));
  SlRunnerConfig cfg = {
    .vmlinux = "/fake/vmlinux",
    .agent_path = agent,
    .qemu_binary = self_path,
    .topology = { 1, 1, 2, 1 },
    .accel = SL_ACCEL_TCG,
    .scheduler = scheduler,
    .scenario = sc,
    .snapshots = 3,
    .timeout_s = 60,
    .output = out,
  };
  SlRunner *self = NULL;
  if (interrupt_after_1s)
    {
      cfg.progress = interrupt_after_two;
      cfg.user_data = &self;
    }
  g_autoptr(SlRunner) runner = sl_runner_new (&cfg);
  self = runner;
  g_assert_true (sl_runner_run (runner, &error));
  g_assert_no_error (error);
  *end_reason = g_strdup (sl_runner_get_end_reason (runner));
  SlRun *run = sl_archive_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (out);
  g_unlink (agent);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return run;
}

/* Boundaries that come due after the guest's terminal stimulus are dropped:
 * they would sample a workload (and a scheduler) that has already stopped. */
static void
test_no_capture_after_workload (void)
{
  g_autofree char *reason = NULL;
  g_setenv ("SL_FAKE_EARLY_END", "1", TRUE);
  g_autoptr(SlRun) run = run_fake ("ok", NULL, FALSE, &reason);
  g_unsetenv ("SL_FAKE_EARLY_END");
  g_assert_cmpstr (reason, ==, "finished");
  g_assert_true (run->complete);
  g_assert_cmpuint (run->samples->len, ==, 0);
  gboolean counted = FALSE;
  for (guint i = 0; i < run->log->len; i++)
    counted |= strstr (g_ptr_array_index (run->log, i), "0 of 3 periodic boundaries fired") != NULL;
  g_assert_true (counted);
}

static void
test_captures_without_scheduler (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(SlRun) run = run_fake ("ok", NULL, FALSE, &reason);
  g_assert_cmpstr (reason, ==, "finished");
  g_assert_true (run->complete);
  g_assert_cmpstr (run->end_reason, ==, "finished");
  /* Workload 2 s, N = 3 → boundaries at 0.2 s + 1.6 s·k/4: 600, 1000, 1400 ms. */
  g_assert_cmpuint (run->samples->len, ==, 3);
  const guint64 offsets[] = { 600, 1000, 1400 };
  guint64 last = 0;
  for (guint i = 0; i < 3; i++)
    {
      const SlSample *s = run->samples->pdata[i];
      g_autofree char *tag = g_strdup_printf ("periodic_%03u", i);
      g_assert_cmpstr (s->tag, ==, tag);
      g_assert_true (s->boundary_offset_ms.set);
      g_assert_cmpuint (s->boundary_offset_ms.v, ==, offsets[i]);
      g_assert_true (s->elapsed_ms.set);
      g_assert_cmpuint (s->elapsed_ms.v, >=, offsets[i]);
      /* Late timers on a loaded host delay a capture, never advance it. */
      g_assert_cmpuint (s->elapsed_ms.v, <, offsets[i] + 1000);
      if (i > 0)
        g_assert_cmpuint (s->elapsed_ms.v, >, last);
      last = s->elapsed_ms.v;
      g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NO_SCHEDULER_BINARY);
      g_assert_null (s->stats);
      g_assert_true (s->freeze_us.set);
      g_assert_cmpuint (s->vcpu_times->len, ==, 2);
      g_assert_cmpstr (s->report->schema, ==, "single");
      g_assert_false (s->report->is_placeholder);
    }
  /* The first sample is in step 1 (phase 1), the last in step 2 (phase 2). */
  g_assert_cmpuint (((SlSample *) run->samples->pdata[0])->step_index, ==, 1);
  g_assert_cmpuint (((SlSample *) run->samples->pdata[2])->step_index, ==, 2);
  g_assert_cmpuint (run->stimulus->len, ==, 5);
  g_assert_cmpuint (run->cgroups->len, ==, 1);
  g_assert_cmpuint (run->exits->len, ==, 1);
  const SlSchedExit *e = run->exits->pdata[0];
  g_assert_cmpuint (e->exit_kind, ==, 64);
  g_assert_cmpstr (e->after_tag, ==, "periodic_002");
}

static void
test_stats_ok (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(SlRun) run = run_fake ("ok", "/bin/true", FALSE, &reason);
  g_assert_cmpstr (reason, ==, "finished");
  g_assert_cmpuint (run->samples->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const SlSample *s = run->samples->pdata[i];
      g_assert_nonnull (s->stats);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (s->stats));
      g_assert_true (json_object_has_member (json_node_get_object (s->stats), "nr_dispatched"));
      g_assert_cmpint (s->missing_stats.kind, ==, SL_MISSING_STATS_NONE);
    }
}

static void
test_stats_reasons (void)
{
  const struct { const char *mode; SlMissingStatsKind kind; } cases[] = {
    { "errno", SL_MISSING_STATS_SCHEDULER_ERROR },
    { "noresp", SL_MISSING_STATS_MISSING_RESP },
    { "relay", SL_MISSING_STATS_NO_SCHEDULER },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *reason = NULL;
      g_autoptr(SlRun) run = run_fake (cases[k].mode, "/bin/true", FALSE, &reason);
      g_assert_cmpstr (reason, ==, "finished");
      g_assert_cmpuint (run->samples->len, ==, 3);
      for (guint i = 0; i < run->samples->len; i++)
        {
          const SlSample *s = run->samples->pdata[i];
          g_assert_null (s->stats);
          g_assert_cmpint (s->missing_stats.kind, ==, cases[k].kind);
          if (cases[k].kind == SL_MISSING_STATS_SCHEDULER_ERROR)
            g_assert_cmpint (s->missing_stats.errno_value, ==, 22);
        }
    }
}

static void
test_interrupted (void)
{
  g_autofree char *reason = NULL;
  g_autoptr(SlRun) run = run_fake ("ok", NULL, TRUE, &reason);
  g_assert_cmpstr (reason, ==, "interrupted");
  g_assert_true (run->complete);
  g_assert_cmpstr (run->end_reason, ==, "interrupted");
  /* Samples taken before the interrupt are kept; none after it. */
  g_assert_cmpuint (run->samples->len, ==, 2);
}

static void
test_boot_retry (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-retry-XXXXXX", NULL);
  g_autofree char *marker = g_build_filename (dir, "panicked", NULL);
  g_setenv ("SL_FAKE_PANIC_ONCE", marker, TRUE);
  g_autofree char *reason = NULL;
  g_autoptr(SlRun) run = run_fake ("ok", NULL, FALSE, &reason);
  g_unsetenv ("SL_FAKE_PANIC_ONCE");
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_unlink (marker);
  g_rmdir (dir);
  g_assert_cmpstr (reason, ==, "finished");
  g_assert_cmpuint (run->samples->len, ==, 3);
  gboolean logged = FALSE;
  for (guint i = 0; i < run->log->len; i++)
    logged |= strstr (run->log->pdata[i], "boot 1 failed (") != NULL;
  g_assert_true (logged);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "-nodefaults"))
      return fake_qemu (argc, argv);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runner/captures-without-scheduler", test_captures_without_scheduler);
  g_test_add_func ("/runner/stats-ok", test_stats_ok);
  g_test_add_func ("/runner/stats-missing-reasons", test_stats_reasons);
  g_test_add_func ("/runner/interrupted", test_interrupted);
  g_test_add_func ("/runner/no-capture-after-workload", test_no_capture_after_workload);
  g_test_add_func ("/runner/boot-retry-after-panic", test_boot_retry);
  int rc = g_test_run ();
  g_free (self_path);
  return rc;
}
