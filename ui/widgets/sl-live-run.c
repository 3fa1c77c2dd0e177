/* sl-live-run.c: following a growing run archive (and the CLI writing it). */
#include "sl-live-run.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "sl-archive.h"
#include "sl-phase.h"

#define MAX_LOG_LINES   20000
#define MAX_READ_PER_POLL ((gsize) 8 * 1024 * 1024)

struct _SlLiveRun
{
  GObject        parent_instance;

  char          *path;
  SlArchiveTail *tail;
  GFileInputStream *in;
  guint          poll_id;
  guint          poll_ms;
  SlLiveState    state;
  char          *problem;
  GPtrArray     *log;
  gint64         started_us;
  gint64         ended_us;       /* 0 while going */

  GSubprocess   *proc;
  GDataInputStream *err;
  GCancellable  *cancellable;
  gboolean       exited;
  int            exit_status;

  char          *status;
  char          *phase;
  guint          samples, target;
  double         elapsed_s;
  guint          last_n_stimulus;
};

G_DEFINE_FINAL_TYPE (SlLiveRun, sl_live_run, G_TYPE_OBJECT)

enum { SIG_UPDATED, SIG_STATE_CHANGED, SIG_LOG_LINE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
sl_live_run_dispose (GObject *object)
{
  SlLiveRun *self = SL_LIVE_RUN (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  /* A window closed mid-run: the CLI interrupts the VM and keeps the archive. */
  if (self->proc && !self->exited)
    g_subprocess_send_signal (self->proc, SIGTERM);
  g_clear_object (&self->proc);
  g_clear_object (&self->err);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->in);
  G_OBJECT_CLASS (sl_live_run_parent_class)->dispose (object);
}

static void
sl_live_run_finalize (GObject *object)
{
  SlLiveRun *self = SL_LIVE_RUN (object);

  g_clear_pointer (&self->tail, sl_archive_tail_free);
  g_ptr_array_unref (self->log);
  g_free (self->path);
  g_free (self->problem);
  g_free (self->status);
  g_free (self->phase);
  G_OBJECT_CLASS (sl_live_run_parent_class)->finalize (object);
}

static void
sl_live_run_class_init (SlLiveRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_live_run_dispose;
  object_class->finalize = sl_live_run_finalize;
  /* New records arrived; the argument is the number of new samples. */
  signals[SIG_UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIG_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                             0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIG_LOG_LINE] = g_signal_new ("log-line", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sl_live_run_init (SlLiveRun *self)
{
  self->tail = sl_archive_tail_new ();
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->started_us = g_get_monotonic_time ();
  self->poll_ms = 250;
}

static void
set_state (SlLiveRun *self, SlLiveState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_signal_emit (self, signals[SIG_STATE_CHANGED], 0);
}

static void
add_log (SlLiveRun *self, const char *line)
{
  if (self->log->len >= MAX_LOG_LINES)
    g_ptr_array_remove_index (self->log, 0);
  g_ptr_array_add (self->log, g_strdup (line));
  g_signal_emit (self, signals[SIG_LOG_LINE], 0, line);
}

/* --- reading the archive ------------------------------------------------ */

static void
finish (SlLiveRun *self)
{
  g_autoptr(GError) error = NULL;
  SlRun *run;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->state == SL_LIVE_FINISHED || self->state == SL_LIVE_FAILED)
    return;
  self->ended_us = g_get_monotonic_time ();
  gboolean read_ok = sl_archive_tail_finish (self->tail, &error);

  run = sl_archive_tail_has_header (self->tail) ? sl_archive_tail_get_run (self->tail) : NULL;
  /* What the log says (no kernel, QEMU, the scheduler) beats "no archive". */
  if (self->problem == NULL)
    self->problem = sl_live_run_explain (self->log, self->exited, self->exit_status, run);
  if (self->problem == NULL && !read_ok)
    self->problem = g_strdup_printf ("No run was recorded: %s", error->message);
  if (self->status == NULL || !g_str_equal (self->status, "finished"))
    {
      g_free (self->status);
      self->status = g_strdup ("finished");
    }
  g_signal_emit (self, signals[SIG_UPDATED], 0, 0u);
  set_state (self, run == NULL ? SL_LIVE_FAILED : self->problem ? SL_LIVE_FAILED : SL_LIVE_FINISHED);
}

void
sl_live_run_poll (SlLiveRun *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *buf = NULL;
  gsize total = 0;
  guint new_samples = 0;
  gboolean had_header;
  SlRun *run;

  g_return_if_fail (SL_IS_LIVE_RUN (self));
  if (self->state == SL_LIVE_FINISHED || self->state == SL_LIVE_FAILED)
    return;
  if (self->in == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (self->path);
      self->in = g_file_read (file, NULL, NULL);
      if (self->in == NULL)
        return;   /* not created yet */
    }
  had_header = sl_archive_tail_has_header (self->tail);
  buf = g_malloc (65536);
  while (total < MAX_READ_PER_POLL)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (self->in), buf, 65536, NULL, &error);

      if (n <= 0)
        break;
      total += (gsize) n;
      if (!sl_archive_tail_feed (self->tail, buf, (gsize) n, &error))
        {
          g_free (self->problem);
          self->problem = g_strdup_printf ("The run archive could not be read: %s", error->message);
          finish (self);
          return;
        }
      new_samples += sl_archive_tail_get_new_samples (self->tail);
    }
  if (!sl_archive_tail_has_header (self->tail))
    return;
  run = sl_archive_tail_get_run (self->tail);
  if (!had_header && self->state == SL_LIVE_WAITING)
    set_state (self, SL_LIVE_RUNNING);
  if (self->proc == NULL)
    {
      /* Following someone else's file: the status comes from the records. */
      self->samples = run->samples->len;
      self->target = run->header.snapshots;
      self->elapsed_s = 0;
      if (run->samples->len > 0)
        {
          const SlSample *s = g_ptr_array_index (run->samples, run->samples->len - 1);
          if (s->elapsed_ms.set)
            self->elapsed_s = s->elapsed_ms.v / 1000.0;
        }
    }
  if (run->stimulus->len > 0)
    {
      const SlStimulusEvent *ev = &g_array_index (run->stimulus, SlStimulusEvent, run->stimulus->len - 1);
      if ((self->proc == NULL || self->phase == NULL) && ev->has_step_index)
        {
          g_free (self->phase);
          self->phase = sl_phase_label (ev->step_index);
        }
    }
  if (new_samples > 0 || run->stimulus->len != self->last_n_stimulus || !had_header)
    {
      self->last_n_stimulus = run->stimulus->len;
      g_signal_emit (self, signals[SIG_UPDATED], 0, new_samples);
    }
  if (sl_archive_tail_has_footer (self->tail) && self->proc == NULL)
    finish (self);
}

static gboolean
on_poll (gpointer user_data)
{
  sl_live_run_poll (user_data);
  return G_SOURCE_CONTINUE;
}

SlLiveRun *
sl_live_run_new_follow (const char *path, guint poll_ms)
{
  SlLiveRun *self;

  g_return_val_if_fail (path != NULL, NULL);
  self = g_object_new (SL_TYPE_LIVE_RUN, NULL);
  self->path = g_strdup (path);
  if (poll_ms)
    self->poll_ms = poll_ms;
  self->poll_id = g_timeout_add (self->poll_ms, on_poll, self);
  return self;
}

/* --- the CLI ------------------------------------------------------------ */

gboolean
sl_live_run_parse_progress (const char *line, char **status, char **phase,
                            guint *samples, guint *target, double *elapsed_s)
{
  char st[32], ph[64];
  guint a, b;
  double e;
  const char *el;
  char *end = NULL;

  g_return_val_if_fail (line != NULL, FALSE);
  /* cli-run.c prints: "%s: phase %s, samples %u/%u, elapsed %.1f s". The
   * number is read with g_ascii_strtod: the CLI's locale is not ours. */
  if (sscanf (line, "%31[a-z]: phase %63[^,], samples %u/%u, elapsed ", st, ph, &a, &b) != 4)
    return FALSE;
  el = strstr (line, ", elapsed ");
  if (el == NULL)
    return FALSE;
  e = g_ascii_strtod (el + 10, &end);
  if (end == el + 10 || !g_str_has_prefix (end, " s"))
    return FALSE;
  if (status)
    *status = g_strdup (st);
  if (phase)
    *phase = g_strdup (ph);
  if (samples)
    *samples = a;
  if (target)
    *target = b;
  if (elapsed_s)
    *elapsed_s = e;
  return TRUE;
}

static void read_next_line (SlLiveRun *self);

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SlLiveRun) self = user_data;
  g_autofree char *line = NULL;
  g_autofree char *status = NULL, *phase = NULL;
  gsize len;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, &len, NULL);
  if (line == NULL)
    return;   /* end of stream, error or cancelled */
  if (sl_live_run_parse_progress (line, &status, &phase, &self->samples, &self->target, &self->elapsed_s))
    {
      g_free (self->status);
      self->status = g_steal_pointer (&status);
      g_free (self->phase);
      self->phase = g_steal_pointer (&phase);
      g_signal_emit (self, signals[SIG_UPDATED], 0, 0u);
    }
  add_log (self, g_str_has_prefix (line, "| ") ? line + 2 : line);
  read_next_line (self);
}

static void
read_next_line (SlLiveRun *self)
{
  if (self->err == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_data_input_stream_read_line_async (self->err, G_PRIORITY_DEFAULT, self->cancellable, on_line, g_object_ref (self));
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(SlLiveRun) self = user_data;
  GSubprocess *proc = G_SUBPROCESS (source);

  if (!g_subprocess_wait_finish (proc, result, NULL))
    return;   /* cancelled: disposed */
  self->exited = TRUE;
  self->exit_status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : 128 + g_subprocess_get_term_sig (proc);
  sl_live_run_poll (self);
  finish (self);
}

SlLiveRun *
sl_live_run_spawn (const char *cli, const char *const *args, const char *path, GError **error)
{
  g_autoptr(SlLiveRun) self = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  gboolean dashdash = FALSE;

  g_return_val_if_fail (cli != NULL && path != NULL, NULL);
  g_strv_builder_add_many (b, cli, "run", "-o", path, "--verbose", NULL);
  /* Our options go before the scheduler's "--". */
  for (guint i = 0; args && args[i]; i++)
    {
      if (!dashdash && g_str_equal (args[i], "--"))
        dashdash = TRUE;
      g_strv_builder_add (b, args[i]);
    }
  argv = g_strv_builder_end (b);

  self = g_object_new (SL_TYPE_LIVE_RUN, NULL);
  self->path = g_strdup (path);
  self->status = g_strdup ("starting");
  self->proc = g_subprocess_newv ((const char *const *) argv,
                                  G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error);
  if (self->proc == NULL)
    return NULL;
  {
    g_autofree char *cmd = g_strjoinv (" ", argv);
    add_log (self, cmd);
  }
  self->cancellable = g_cancellable_new ();
  self->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->proc));
  g_data_input_stream_set_newline_type (self->err, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_next_line (self);
  g_subprocess_wait_async (self->proc, self->cancellable, on_exited, g_object_ref (self));
  self->poll_id = g_timeout_add (self->poll_ms, on_poll, self);
  return g_steal_pointer (&self);
}

void
sl_live_run_stop (SlLiveRun *self)
{
  g_return_if_fail (SL_IS_LIVE_RUN (self));
  if (self->state == SL_LIVE_FINISHED || self->state == SL_LIVE_FAILED)
    return;
  if (self->proc && !self->exited)
    {
      set_state (self, SL_LIVE_STOPPING);
      g_subprocess_send_signal (self->proc, SIGINT);
      return;
    }
  sl_live_run_poll (self);
  finish (self);
}

/* --- what went wrong ---------------------------------------------------- */

static const char *
find_line (GPtrArray *log, const char *needle)
{
  for (guint i = log ? log->len : 0; i-- > 0;)
    if (strstr (g_ptr_array_index (log, i), needle))
      return g_ptr_array_index (log, i);
  return NULL;
}

char *
sl_live_run_explain (GPtrArray *log, gboolean exited, int exit_status, SlRun *run)
{
  const char *line;

  if (run != NULL)
    for (guint i = 0; i < run->exits->len; i++)
      {
        const SlSchedExit *e = g_ptr_array_index (run->exits, i);
        if (e->exit_kind >= 1024)
          return g_strdup_printf ("The kernel ejected the scheduler (%s)%s%s.",
                                  e->reason ? e->reason : e->kind_name ? e->kind_name : "error",
                                  e->message ? ": " : "", e->message ? e->message : "");
      }
  if (run != NULL && run->end_reason != NULL)
    {
      const char *r = run->end_reason;
      if (g_str_equal (r, "finished") || g_str_equal (r, "interrupted"))
        return NULL;
      if (g_str_equal (r, "guest panic"))
        return g_strdup ("The guest kernel panicked. The console log shows the panic message.");
      if (g_str_equal (r, "vm exited"))
        return g_strdup ("The virtual machine exited before the run finished.");
      if (g_str_equal (r, "wall-clock limit"))
        return g_strdup ("The run took longer than its wall-clock limit and was stopped.");
      return g_strdup_printf ("The run ended with an error: %s", g_str_has_prefix (r, "error: ") ? r + 7 : r);
    }
  if ((line = find_line (log, "run: kernel:")) != NULL)
    return g_strdup_printf ("No kernel could be found or downloaded (%s).", strstr (line, "kernel:") + 8);
  if ((line = find_line (log, "qemu")) != NULL || (line = find_line (log, "QEMU")) != NULL)
    if (exited && exit_status != 0)
      return g_strdup_printf ("QEMU failed: %s", line);
  if ((line = find_line (log, "schedlab-cli run: ")) != NULL)
    return g_strdup_printf ("The run could not start: %s", line + strlen ("schedlab-cli run: "));
  if (exited && exit_status != 0 && exit_status != 2)
    return g_strdup_printf ("schedlab-cli run failed (exit status %d); the log says why.", exit_status);
  return NULL;
}

/* --- accessors ---------------------------------------------------------- */

SlLiveState sl_live_run_get_state (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), SL_LIVE_FAILED); return self->state; }
const char *sl_live_run_get_path (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL); return self->path; }
const char *sl_live_run_get_status (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL); return self->status; }
guint       sl_live_run_get_n_samples (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), 0); return self->samples; }
guint       sl_live_run_get_samples_target (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), 0); return self->target; }
const char *sl_live_run_get_phase_label (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL); return self->phase; }
double      sl_live_run_get_elapsed_s (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), 0); return self->elapsed_s; }
GPtrArray  *sl_live_run_get_log (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL); return self->log; }
const char *sl_live_run_get_problem (SlLiveRun *self) { g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL); return self->problem; }

double
sl_live_run_get_wall_s (SlLiveRun *self)
{
  g_return_val_if_fail (SL_IS_LIVE_RUN (self), 0);
  return ((self->ended_us ? self->ended_us : g_get_monotonic_time ()) - self->started_us) / 1e6;
}

SlRun *
sl_live_run_get_run (SlLiveRun *self)
{
  g_return_val_if_fail (SL_IS_LIVE_RUN (self), NULL);
  return sl_archive_tail_has_header (self->tail) ? sl_archive_tail_get_run (self->tail) : NULL;
}
