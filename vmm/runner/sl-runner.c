/* sl-runner.c: the run driver (boot → scenario → periodic captures → archive). */
#include "sl-runner.h"
#include "sl-archive.h"
#include "sl-boundaries.h"
#include "sl-stats-relay.h"
#include "sl-guest-channel.h"
#include "sl-initramfs.h"
#include "sl-monitor-summary.h"
#include "sl-runner-config.h"
#include "sl-vm.h"

#include <string.h>

#define SL_STATS_REPLY_TIMEOUT_MS 3500
#define SL_END_ACK_GRACE_MS       20000
#define SL_BOOT_ATTEMPTS          2

struct _SlRunner {
  SlRunnerConfig   cfg;
  GMainLoop       *loop;
  SlVm            *vm;
  SlGuestChannel  *ch;
  SlArchiveWriter *writer;
  char            *end_reason;
  char            *guest_error;
  gboolean         ending;
  gboolean         saw_end;
  gboolean         workload_over;   /* the guest's terminal stimulus arrived */
  gboolean         panic;
  gboolean         interrupted;
  gboolean         boot_crashed;    /* panic, Oops or QEMU exit before the scenario started */

  gint64           launch_us;
  gint64           anchor_us;       /* host monotonic time of scenario start; 0 = not yet */
  gint64           frozen_us;       /* total time the VM was frozen since the anchor */
  guint64          workload_ms;
  GArray          *boundaries;      /* guint64 ns after the anchor */
  guint            next_boundary;
  guint            boundary_timer;
  guint16          phase;
  guint            n_steps;

  gboolean         stats_pending;
  guint64          stats_id;
  guint            stats_timer;
  JsonNode        *pending_stats;
  SlMissingStats   pending_missing;

  char            *last_tag;
  guint            n_samples;
  GArray          *freeze_us;
  GPtrArray       *monitor;         /* SlMonitorSample*, for the summary */
  guint64          guest_boot_ms;
  guint64          host_boot_ms;
  guint            timers[3];       /* wall clock, progress tick, end grace */
  const char      *status;          /* "booting", "starting", "running", "finishing", "done" */
  GCancellable    *wait_cancel;
};

const char *
sl_runner_default_agent_path (void)
{
  const char *env = g_getenv ("SCHEDLAB_AGENT");
  if (env != NULL && *env)
    return env;
  if (g_file_test (SL_AGENT_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return SL_AGENT_BUILD_PATH;
  return SL_AGENT_INSTALL_PATH;
}

SlRunner *
sl_runner_new (const SlRunnerConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL && cfg->vmlinux != NULL && cfg->scenario != NULL && cfg->output != NULL, NULL);
  SlRunner *r = g_new0 (SlRunner, 1);
  r->cfg = *cfg;
  r->freeze_us = g_array_new (FALSE, FALSE, sizeof (guint64));
  r->monitor = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_monitor_sample_free);
  r->wait_cancel = g_cancellable_new ();
  return r;
}

static void
clear_missing (SlMissingStats *m)
{
  g_clear_pointer (&m->reason, g_free);
  g_clear_pointer (&m->args_json, g_free);
  memset (m, 0, sizeof *m);
}

void
sl_runner_free (SlRunner *r)
{
  if (r == NULL)
    return;
  g_cancellable_cancel (r->wait_cancel);
  g_clear_pointer (&r->ch, sl_guest_channel_free);
  g_clear_pointer (&r->vm, sl_vm_free);
  g_clear_pointer (&r->writer, sl_archive_writer_free);
  g_clear_pointer (&r->loop, g_main_loop_unref);
  g_clear_pointer (&r->boundaries, g_array_unref);
  g_clear_pointer (&r->pending_stats, json_node_unref);
  clear_missing (&r->pending_missing);
  g_array_unref (r->freeze_us);
  g_ptr_array_unref (r->monitor);
  g_object_unref (r->wait_cancel);
  g_free (r->end_reason);
  g_free (r->guest_error);
  g_free (r->last_tag);
  g_free (r);
}

const char *sl_runner_get_end_reason (SlRunner *r) { return r->end_reason; }
guint sl_runner_get_n_samples (SlRunner *r) { return r->n_samples; }
guint64 sl_runner_get_guest_boot_ms (SlRunner *r) { return r->guest_boot_ms; }
guint64 sl_runner_get_host_boot_ms (SlRunner *r) { return r->host_boot_ms; }
const GArray *sl_runner_get_freeze_us (SlRunner *r) { return r->freeze_us; }

static void G_GNUC_PRINTF (2, 3)
notice (SlRunner *r, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (r->cfg.notice)
    r->cfg.notice (msg, r->cfg.user_data);
}

static void
end_run (SlRunner *r, const char *reason)
{
  if (r->ending)
    return;
  r->ending = TRUE;
  r->end_reason = g_strdup (reason);
  if (r->loop)
    g_main_loop_quit (r->loop);
}

static void
archive_log (SlRunner *r, const char *prefix, const char *text)
{
  if (r->writer == NULL)
    return;
  g_autofree char *line = g_strdup_printf ("%s%s", prefix, text);
  g_autoptr(GError) error = NULL;
  if (!sl_archive_writer_add_log (r->writer, line, &error))
    {
      g_autofree char *why = g_strdup_printf ("error: archive: %s", error->message);
      end_run (r, why);
    }
}

static guint64
workload_now_ms (SlRunner *r)
{
  if (r->anchor_us == 0)
    return 0;
  gint64 t = g_get_monotonic_time () - r->anchor_us - r->frozen_us;
  return t > 0 ? (guint64) t / 1000 : 0;
}

static void
report_progress (SlRunner *r, const char *status)
{
  if (status != NULL)
    r->status = status;
  if (r->cfg.progress == NULL)
    return;
  SlRunnerProgress p = {
    .samples = r->n_samples,
    .samples_target = r->boundaries ? r->boundaries->len : 0,
    .phase = r->phase,
    .n_steps = r->n_steps,
    .elapsed_ms = workload_now_ms (r),
    .wall_ms = r->launch_us ? (guint64) (g_get_monotonic_time () - r->launch_us) / 1000 : 0,
    .status = r->status ? r->status : "booting",
  };
  r->cfg.progress (&p, r->cfg.user_data);
}

/* ---- captures ---- */

static void schedule_next_boundary (SlRunner *r);

static void
capture (SlRunner *r)
{
  /* A boundary that comes due only after the workload ended (captures ran
   * late on a slow host) would sample post-workload state — a scheduler
   * already stopped — so it is dropped, as ktstr clamps its window to the
   * workload end. The footer log counts the boundaries that fired. */
  if (r->workload_over)
    return;
  guint idx = r->next_boundary;
  guint64 b_ns = g_array_index (r->boundaries, guint64, idx);
  g_autofree char *tag = sl_periodic_tag (idx);
  g_autoptr(SlSample) s = sl_sample_new (tag);

  /* Timestamp after the stats request, before the freeze (ktstr §1.1 step 4). */
  s->elapsed_ms = sl_opt_u64 (workload_now_ms (r));
  s->boundary_offset_ms = sl_opt_u64 (b_ns / 1000000);
  s->has_step_index = TRUE;
  s->step_index = r->phase;
  /* Exactly one of stats / missing reason (a new sample starts as NoSchedulerBinary). */
  clear_missing (&s->missing_stats);
  if (r->pending_stats != NULL)
    s->stats = g_steal_pointer (&r->pending_stats);
  else
    {
      s->missing_stats = r->pending_missing;
      memset (&r->pending_missing, 0, sizeof r->pending_missing);
      if (s->missing_stats.kind == SL_MISSING_STATS_NONE)
        {
          s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER;
          s->missing_stats.reason = g_strdup ("no stats reply");
        }
    }

  SlQmp *qmp = sl_vm_get_qmp (r->vm);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  if (r->cfg.before_freeze_hook != NULL && !r->cfg.before_freeze_hook (r->vm, s, r->cfg.freeze_hook_data, &error))
    {
      problem = g_strdup_printf ("before-freeze hook: %s", error ? error->message : "failed");
      g_clear_error (&error);
    }
  gint64 t0 = g_get_monotonic_time ();
  gboolean frozen = sl_qmp_stop (qmp, &error);
  if (frozen)
    {
      GArray *times = sl_vm_read_vcpu_times (r->vm, &error);
      if (times != NULL)
        {
          g_clear_pointer (&s->vcpu_times, g_array_unref);
          s->vcpu_times = times;
        }
      else
        problem = g_strdup_printf ("vCPU times: %s", error->message);
      g_clear_error (&error);
      /* Hook for the guest-memory readers (BPF maps, per-CPU times, monitor). */
      if (r->cfg.freeze_hook != NULL && !r->cfg.freeze_hook (r->vm, s, r->cfg.freeze_hook_data, &error))
        {
          g_free (problem);
          problem = g_strdup_printf ("freeze hook: %s", error ? error->message : "failed");
          g_clear_error (&error);
        }
      if (!sl_qmp_cont (qmp, &error))
        {
          g_autofree char *why = g_strdup_printf ("error: cannot resume the VM: %s", error->message);
          end_run (r, why);
        }
    }
  gint64 t1 = g_get_monotonic_time ();
  if (!frozen)
    {
      sl_report_free (s->report);
      g_autofree char *why = g_strdup_printf ("freeze failed: %s", error ? error->message : "?");
      s->report = sl_report_new_placeholder (why);
      archive_log (r, "host: ", why);
    }
  else
    {
      guint64 us = (guint64) (t1 - t0);
      s->freeze_us = sl_opt_u64 (us);
      g_array_append_val (r->freeze_us, us);
      /* The guest clock stands still while frozen: keep boundaries in workload time. */
      r->frozen_us += t1 - t0;
    }
  if (frozen && r->cfg.after_thaw_hook != NULL && !r->cfg.after_thaw_hook (r->vm, s, r->cfg.freeze_hook_data, &error))
    {
      g_free (problem);
      problem = g_strdup_printf ("after-thaw hook: %s", error ? error->message : "failed");
      g_clear_error (&error);
    }
  if (problem != NULL)
    archive_log (r, "host: ", problem);

  g_autoptr(GError) werr = NULL;
  SlMonitorSample *mon = r->cfg.take_monitor_sample ? r->cfg.take_monitor_sample (r->cfg.freeze_hook_data) : NULL;
  if (mon != NULL)
    {
      mon->elapsed_ms = (guint64) (t0 - r->launch_us) / 1000;
      /* Also stamp the samples' clock, so monitor values plot and fall into
       * phases exactly where the capture they came with does. */
      mon->workload_ms = s->elapsed_ms;
      if (!sl_archive_writer_add_monitor_sample (r->writer, mon, &werr))
        {
          sl_monitor_sample_free (mon);
          g_autofree char *why = g_strdup_printf ("error: archive: %s", werr->message);
          end_run (r, why);
          return;
        }
      g_ptr_array_add (r->monitor, mon);
    }
  if (!sl_archive_writer_add_sample (r->writer, s, &werr))
    {
      g_autofree char *why = g_strdup_printf ("error: archive: %s", werr->message);
      end_run (r, why);
      return;
    }
  r->n_samples++;
  g_free (r->last_tag);
  r->last_tag = g_strdup (tag);
  report_progress (r, NULL);
  r->next_boundary++;
  schedule_next_boundary (r);
}

static gboolean
stats_timeout (gpointer data)
{
  SlRunner *r = data;
  r->stats_timer = 0;
  r->stats_pending = FALSE;
  clear_missing (&r->pending_missing);
  r->pending_missing.kind = SL_MISSING_STATS_NO_SCHEDULER;
  r->pending_missing.reason = g_strdup ("no reply from the guest's stats relay");
  capture (r);
  return G_SOURCE_REMOVE;
}

static gboolean
on_boundary (gpointer data)
{
  SlRunner *r = data;
  r->boundary_timer = 0;
  if (r->ending || r->workload_over)
    return G_SOURCE_REMOVE;
  g_clear_pointer (&r->pending_stats, json_node_unref);
  clear_missing (&r->pending_missing);
  if (r->cfg.scheduler == NULL)
    {
      r->pending_missing.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
      capture (r);
      return G_SOURCE_REMOVE;
    }
  /* One fresh scx_stats request per boundary, before the freeze (§7). */
  g_autofree char *line = g_strdup_printf ("stats %" G_GUINT64_FORMAT " {\"req\":\"stats\"}", ++r->stats_id);
  g_autoptr(GError) error = NULL;
  if (!sl_guest_channel_send (r->ch, line, &error))
    {
      r->pending_missing.kind = SL_MISSING_STATS_NO_SCHEDULER;
      r->pending_missing.reason = g_strdup_printf ("cannot reach the guest relay: %s", error->message);
      capture (r);
      return G_SOURCE_REMOVE;
    }
  r->stats_pending = TRUE;
  r->stats_timer = g_timeout_add (SL_STATS_REPLY_TIMEOUT_MS, stats_timeout, r);
  return G_SOURCE_REMOVE;
}

static void
schedule_next_boundary (SlRunner *r)
{
  if (r->ending || r->boundaries == NULL || r->next_boundary >= r->boundaries->len)
    return;
  guint64 b_ns = g_array_index (r->boundaries, guint64, r->next_boundary);
  gint64 target = r->anchor_us + (gint64) (b_ns / 1000) + r->frozen_us;
  gint64 delay_us = MAX (target - g_get_monotonic_time (), 0);
  GSource *src = g_timeout_source_new ((guint) ((delay_us + 999) / 1000));
  g_source_set_priority (src, G_PRIORITY_HIGH);
  g_source_set_callback (src, on_boundary, r, NULL);
  r->boundary_timer = g_source_attach (src, NULL);
  g_source_unref (src);
}

/* The relay's answer: scx_stats StatsResponse, or a typed reason (§7). */
static void
stats_reply (SlRunner *r, JsonObject *msg)
{
  clear_missing (&r->pending_missing);
  g_clear_pointer (&r->pending_stats, json_node_unref);
  r->pending_stats = sl_stats_relay_reply_parse (json_object_get_string_member_with_default (msg, "resp", NULL),
                                                 json_object_get_string_member_with_default (msg, "relay_error", NULL),
                                                 &r->pending_missing);
}

/* ---- guest messages ---- */

static SlOptU64
opt_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n != NULL && json_node_get_value_type (n) == G_TYPE_INT64 && json_node_get_int (n) >= 0)
    return sl_opt_u64 ((guint64) json_node_get_int (n));
  return SL_OPT_U64_NONE;
}

static void
add_stimulus (SlRunner *r, JsonObject *msg, gboolean start, gboolean end, gboolean terminal)
{
  SlStimulusEvent ev = { 0 };
  SlOptU64 e = opt_member (msg, "elapsed_ms");
  SlOptU64 step = opt_member (msg, "step");
  ev.elapsed_ms = e.set ? e.v : workload_now_ms (r);
  if (step.set && step.v <= G_MAXUINT16)
    {
      ev.has_step_index = TRUE;
      ev.step_index = (guint16) step.v;
    }
  ev.is_step_end = end;
  ev.is_terminal = terminal;
  ev.total_iterations = opt_member (msg, "iters");
  if (start && ev.has_step_index)
    r->phase = ev.step_index;
  if (terminal)
    {
      r->workload_over = TRUE;
      g_clear_handle_id (&r->boundary_timer, g_source_remove);
    }
  g_autoptr(GError) error = NULL;
  if (!sl_archive_writer_add_stimulus (r->writer, &ev, &error))
    {
      g_autofree char *why = g_strdup_printf ("error: archive: %s", error->message);
      end_run (r, why);
    }
  report_progress (r, terminal ? "finishing" : NULL);
}

static gboolean
end_grace_expired (gpointer data)
{
  SlRunner *r = data;
  r->timers[2] = 0;
  /* The guest said goodbye but QEMU did not exit: everything is recorded anyway. */
  end_run (r, "finished");
  return G_SOURCE_REMOVE;
}

static void
on_guest_message (JsonObject *msg, const GError *error, gpointer user_data)
{
  SlRunner *r = user_data;
  if (msg == NULL)
    {
      if (error != NULL)
        archive_log (r, "host: bad guest message: ", error->message);
      return;
    }
  const char *t = json_object_get_string_member (msg, "t");
  if (g_str_equal (t, "hello"))
    {
      r->host_boot_ms = (guint64) (g_get_monotonic_time () - r->launch_us) / 1000;
      SlOptU64 bt = opt_member (msg, "boottime_ms");
      r->guest_boot_ms = bt.set ? bt.v : 0;
      const char *kernel = json_object_get_string_member_with_default (msg, "kernel", "?");
      g_autofree char *line = g_strdup_printf ("guest: agent up on %s after %" G_GUINT64_FORMAT " ms of guest boot "
                                               "(%" G_GUINT64_FORMAT " ms since QEMU start)",
                                               kernel, r->guest_boot_ms, r->host_boot_ms);
      archive_log (r, "", line);
      notice (r, "%s", line);
      if (!json_object_get_boolean_member_with_default (msg, "topology_ok", TRUE))
        {
          const char *why = json_object_get_string_member_with_default (msg, "topology_msg", "?");
          archive_log (r, "guest: topology mismatch: ", why);
          notice (r, "warning: topology mismatch: %s", why);
        }
      report_progress (r, "starting");
    }
  else if (g_str_equal (t, "scenario_start"))
    {
      if (r->anchor_us != 0)
        return;
      r->anchor_us = g_get_monotonic_time ();
      r->frozen_us = 0;
      guint64 end_ns = r->workload_ms * 1000000;
      if (r->cfg.snapshots > 0)
        r->boundaries = sl_periodic_boundaries_ns (0, end_ns, r->cfg.snapshots);
      else if (r->cfg.interval_ms > 0)
        r->boundaries = sl_interval_boundaries_ns (0, end_ns, (guint64) r->cfg.interval_ms * 1000000);
      else
        r->boundaries = g_array_new (FALSE, FALSE, sizeof (guint64));
      schedule_next_boundary (r);
      report_progress (r, "running");
    }
  else if (g_str_equal (t, "step_start"))
    add_stimulus (r, msg, TRUE, FALSE, FALSE);
  else if (g_str_equal (t, "step_end"))
    add_stimulus (r, msg, FALSE, TRUE, FALSE);
  else if (g_str_equal (t, "terminal"))
    add_stimulus (r, msg, FALSE, FALSE, TRUE);
  else if (g_str_equal (t, "cgroup"))
    {
      SlCgroupResult c = { 0 };
      c.name = (char *) json_object_get_string_member_with_default (msg, "name", "?");
      SlOptU64 it = opt_member (msg, "iters"), wk = opt_member (msg, "workers"), us = opt_member (msg, "cpu_us");
      c.iterations = it.set ? it.v : 0;
      c.workers = wk.set ? wk.v : 0;
      c.cpu_time_ns = us.set && us.v < G_MAXUINT64 / 1000 ? sl_opt_u64 (us.v * 1000) : SL_OPT_U64_NONE;
      g_autoptr(GError) err = NULL;
      if (!sl_archive_writer_add_cgroup (r->writer, &c, &err))
        {
          g_autofree char *why = g_strdup_printf ("error: archive: %s", err->message);
          end_run (r, why);
        }
    }
  else if (g_str_equal (t, "sched_exit"))
    {
      SlSchedExit e = { 0 };
      SlOptU64 kind = opt_member (msg, "kind");
      e.exit_kind = kind.set && kind.v <= G_MAXUINT32 ? (guint32) kind.v : 0;
      e.kind_name = (char *) json_object_get_string_member_with_default (msg, "kind_name", NULL);
      e.reason = (char *) json_object_get_string_member_with_default (msg, "reason", NULL);
      e.message = (char *) json_object_get_string_member_with_default (msg, "msg", NULL);
      e.elapsed_ms = r->anchor_us ? sl_opt_u64 (workload_now_ms (r)) : SL_OPT_U64_NONE;
      e.after_tag = r->last_tag;
      g_autoptr(GError) err = NULL;
      if (!sl_archive_writer_add_sched_exit (r->writer, &e, &err))
        {
          g_autofree char *why = g_strdup_printf ("error: archive: %s", err->message);
          end_run (r, why);
        }
      notice (r, "scheduler exited: %s%s%s", e.reason ? e.reason : "?", e.message && *e.message ? ": " : "",
              e.message ? e.message : "");
    }
  else if (g_str_equal (t, "stats_resp"))
    {
      const char *id = json_object_get_string_member_with_default (msg, "id", "");
      guint64 v;
      if (!r->stats_pending || !g_ascii_string_to_unsigned (id, 10, 0, G_MAXUINT64, &v, NULL) || v != r->stats_id)
        return;   /* a late reply to a request that already timed out */
      r->stats_pending = FALSE;
      g_clear_handle_id (&r->stats_timer, g_source_remove);
      stats_reply (r, msg);
      capture (r);
    }
  else if (g_str_equal (t, "log") || g_str_equal (t, "kmsg") || g_str_equal (t, "sched"))
    {
      g_autofree char *text = NULL;
      if (g_str_equal (t, "sched"))
        text = g_strdup_printf ("sched_ext state=%s ops=%s",
                                json_object_get_string_member_with_default (msg, "state", "?"),
                                json_object_get_string_member_with_default (msg, "ops", ""));
      else
        text = g_strdup (json_object_get_string_member_with_default (msg, "msg", ""));
      archive_log (r, g_str_equal (t, "kmsg") ? "kernel: " : "guest: ", text);
    }
  else if (g_str_equal (t, "error"))
    {
      const char *m = json_object_get_string_member_with_default (msg, "msg", "?");
      g_free (r->guest_error);
      r->guest_error = g_strdup (m);
      archive_log (r, "guest error: ", m);
      notice (r, "guest error: %s", m);
    }
  else if (g_str_equal (t, "end"))
    {
      SlOptU64 seq = opt_member (msg, "seq");
      g_autofree char *ack = g_strdup_printf ("ack %" G_GUINT64_FORMAT, seq.set ? seq.v : 0);
      sl_guest_channel_send (r->ch, ack, NULL);
      r->saw_end = TRUE;
      report_progress (r, "finishing");
      r->timers[2] = g_timeout_add (SL_END_ACK_GRACE_MS, end_grace_expired, r);
    }
}

/* ---- VM life ---- */

static void
on_console (const char *line, gpointer user_data)
{
  SlRunner *r = user_data;
  if (r->cfg.console)
    r->cfg.console (line, r->cfg.user_data);
  if (strstr (line, "Kernel panic") != NULL)
    {
      r->panic = TRUE;
      archive_log (r, "console: ", line);
    }
  else if (strstr (line, "Oops") != NULL || strstr (line, "BUG:") != NULL || strstr (line, "RIP:") != NULL)
    {
      archive_log (r, "console: ", line);
      if (r->anchor_us == 0 && strstr (line, "RIP:") == NULL)
        {
          /* A kernel that oopses while booting rarely gets to the scenario. */
          r->boot_crashed = TRUE;
          end_run (r, "guest oops during boot");
        }
    }
}

static void
on_qemu_exit (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), res, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  SlRunner *r = user_data;
  if (r->saw_end)
    end_run (r, r->guest_error ? "error: guest reported an error" : "finished");
  else if (r->panic)
    {
      r->boot_crashed = r->anchor_us == 0;
      end_run (r, "guest panic");
    }
  else
    {
      r->boot_crashed = r->anchor_us == 0;
      int st = sl_vm_get_exit_status (r->vm);
      g_autofree char *why = g_strdup_printf ("vm exited (status %d) before the scenario ended", st);
      end_run (r, why);
    }
}

static gboolean
on_wall_clock (gpointer data)
{
  SlRunner *r = data;
  r->timers[0] = 0;
  end_run (r, "wall-clock limit");
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (gpointer data)
{
  SlRunner *r = data;
  report_progress (r, NULL);
  return G_SOURCE_CONTINUE;
}

void
sl_runner_interrupt (SlRunner *r)
{
  g_return_if_fail (r != NULL);
  r->interrupted = TRUE;
  end_run (r, "interrupted");
}


static void
fill_header (SlRunner *r, SlRunHeader *h)
{
  const SlRunnerConfig *c = &r->cfg;
  memset (h, 0, sizeof *h);
  h->kernel_version = (char *) c->kernel_version;
  h->kernel_source = (char *) (c->kernel_source ? c->kernel_source : c->vmlinux);
  h->kernel_has_sched_ext = c->kernel_has_sched_ext;
  h->topology = c->topology;
  h->memory_mb = c->memory_mb ? c->memory_mb : 1024;
  h->accel = (char *) sl_accel_name (c->accel);
  h->scheduler = (char *) (c->scheduler_label ? c->scheduler_label : c->scheduler);
  h->scheduler_args = (GStrv) (c->scheduler_label ? c->scheduler_label_args : c->scheduler_args);
  h->scenario = c->scenario->name;
  h->scenario_text = c->scenario->text;
  h->snapshots = c->snapshots;
  h->interval_ms = c->snapshots ? 0 : c->interval_ms;
  h->duration_ms = r->workload_ms;
}

/* One boot: VM, control channel, main loop until the run ends; the VM is torn
 * down on return. FALSE when the VM could not even start (end_reason set). */
static gboolean
boot_and_run (SlRunner *r, const char *compact, guint n_cpus, gint64 *deadline_us)
{
  SlRunnerConfig *c = &r->cfg;
  g_autoptr(GError) local = NULL;
  r->vm = sl_vm_new (&local);
  g_autofree char *initrd = r->vm ? sl_vm_runtime_path (r->vm, "initrd.cpio") : NULL;
  SlInitramfsSpec spec = {
    .agent_path = c->agent_path ? c->agent_path : sl_runner_default_agent_path (),
    .scheduler_path = c->scheduler,
    .scheduler_args = c->scheduler_args,
    .scenario_text = compact,
    .stats_socket = c->stats_socket,
  };
  g_autofree char *append = g_strdup_printf ("sl_cpus=%u sl_nodes=%u sl_llcs=%u", n_cpus,
                                             c->topology.numa_nodes, c->topology.numa_nodes * c->topology.llcs);
  SlQemuConfig qc = {
    .qemu_binary = c->qemu_binary,
    .kernel = c->vmlinux,
    .initrd = initrd,
    .append = append,
    .topology = c->topology,
    .memory_mb = c->memory_mb,
    .accel = c->accel,
    .tcg_single_thread = c->tcg_single_thread,
    .kernel_hz = c->kernel_hz,
  };
  GSocketConnection *conn = NULL;
  r->launch_us = g_get_monotonic_time ();
  if (r->vm == NULL
      || !sl_initramfs_build (&spec, initrd, &local)
      || !sl_vm_start (r->vm, &qc, on_console, r, &local)
      || (conn = sl_vm_accept_control (r->vm, 30000, &local)) == NULL)
    {
      g_autofree char *why = g_strdup_printf ("error: %s", local->message);
      archive_log (r, "host: ", local->message);
      notice (r, "%s", why);
      r->end_reason = g_steal_pointer (&why);
      g_clear_pointer (&r->vm, sl_vm_free);
      return FALSE;
    }
  {
    g_autofree char *argv_note = g_strdup_printf ("host: qemu %s, %u vCPUs, %s", sl_accel_name (c->accel), n_cpus,
                                                  sl_qemu_pick_machine (&qc) == SL_MACHINE_MICROVM ? "microvm" : "q35");
    archive_log (r, "", argv_note);
  }
  r->ch = sl_guest_channel_new (conn, on_guest_message, r);
  g_object_unref (conn);
  g_subprocess_wait_async (sl_vm_get_subprocess (r->vm), r->wait_cancel, on_qemu_exit, r);
  if (*deadline_us == 0)
    {
      guint limit_s = c->timeout_s ? c->timeout_s : (guint) (r->workload_ms / 1000) + 300;
      *deadline_us = r->launch_us + (gint64) limit_s * G_USEC_PER_SEC;
    }
  r->timers[0] = g_timeout_add (MAX (*deadline_us - g_get_monotonic_time (), 0) / 1000, on_wall_clock, r);
  r->timers[1] = g_timeout_add (250, on_tick, r);
  report_progress (r, "booting");

  if (r->loop == NULL)
    r->loop = g_main_loop_new (NULL, FALSE);
  if (!r->ending)
    g_main_loop_run (r->loop);

  for (guint i = 0; i < G_N_ELEMENTS (r->timers); i++)
    g_clear_handle_id (&r->timers[i], g_source_remove);
  g_clear_handle_id (&r->boundary_timer, g_source_remove);
  g_clear_handle_id (&r->stats_timer, g_source_remove);
  g_cancellable_cancel (r->wait_cancel);
  g_clear_pointer (&r->ch, sl_guest_channel_free);
  sl_vm_teardown (r->vm);
  return TRUE;
}

gboolean
sl_runner_run (SlRunner *r, GError **error)
{
  g_return_val_if_fail (r != NULL && r->loop == NULL, FALSE);
  SlRunnerConfig *c = &r->cfg;
  if (!sl_qemu_check_topology (&c->topology, error))
    return FALSE;
  guint n_cpus = sl_topology_n_cpus (&c->topology);
  r->workload_ms = sl_scenario_total_ms (c->scenario, c->duration_ms);
  r->n_steps = c->scenario->steps->len;
  if (c->snapshots > 0 && !sl_periodic_validate (r->workload_ms, c->snapshots, error))
    return FALSE;
  g_autofree char *compact = sl_scenario_compile (c->scenario, c->duration_ms, n_cpus, error);
  if (compact == NULL)
    return FALSE;
  g_autofree char *why_accel = NULL;
  SlAccel requested = c->accel;
  c->accel = sl_accel_resolve (c->accel, &why_accel);
  if (requested == SL_ACCEL_AUTO && c->accel == SL_ACCEL_KVM && !sl_runner_probe_kvm (c, &why_accel))
    c->accel = SL_ACCEL_TCG;
  if (requested == SL_ACCEL_AUTO && c->accel == SL_ACCEL_TCG && why_accel)
    notice (r, "using TCG: %s", why_accel);

  SlRunHeader header;
  fill_header (r, &header);
  r->writer = sl_archive_writer_create (c->output, &header, error);
  if (r->writer == NULL)
    return FALSE;

  gint64 deadline_us = 0;
  for (guint attempt = 1;; attempt++)
    {
      if (!boot_and_run (r, compact, n_cpus, &deadline_us))
        return sl_archive_writer_finish (r->writer, r->end_reason, error);
      /* A kernel that crashed before the scenario started (e.g. the MTTCG
       * text-poke Oops) has captured nothing yet: boot it once more. */
      if (attempt >= SL_BOOT_ATTEMPTS || r->anchor_us != 0 || r->interrupted || !r->boot_crashed
          || g_get_monotonic_time () >= deadline_us)
        break;
      g_autofree char *line = g_strdup_printf ("host: boot %u failed (%s); booting again", attempt, r->end_reason);
      archive_log (r, "", line);
      notice (r, "%s", line + 6);
      g_clear_pointer (&r->vm, sl_vm_free);
      g_clear_pointer (&r->end_reason, g_free);
      g_clear_pointer (&r->guest_error, g_free);
      g_clear_object (&r->wait_cancel);
      r->wait_cancel = g_cancellable_new ();
      r->ending = r->saw_end = r->panic = r->boot_crashed = r->workload_over = FALSE;
    }
  if (r->boundaries != NULL && r->next_boundary < r->boundaries->len && !r->interrupted)
    {
      g_autofree char *line = g_strdup_printf ("host: %u of %u periodic boundaries fired", r->next_boundary,
                                               r->boundaries->len);
      archive_log (r, "", line);
    }
  if (r->monitor->len > 0)
    {
      SlMonitorSummary sum;
      sl_monitor_summarize ((SlMonitorSample *const *) r->monitor->pdata, r->monitor->len,
                            sl_monitor_preemption_threshold_ns (c->kernel_hz), &sum);
      g_autoptr(GError) serr = NULL;
      if (!sl_archive_writer_set_monitor_summary (r->writer, &sum, &serr))
        archive_log (r, "host: monitor summary: ", serr->message);
    }
  report_progress (r, "done");
  return sl_archive_writer_finish (r->writer, r->end_reason, error);
}
