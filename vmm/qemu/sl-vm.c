/* sl-vm.c: the QEMU process, its runtime directory and its teardown. */
#include "sl-vm.h"
#include "sl-types.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

struct _SlVm {
  char            *dir;
  char            *qmp_path;
  char            *ctl_path;
  GSocketListener *listener;
  GSubprocess     *proc;
  GDataInputStream *console;
  GCancellable    *cancel;
  SlVmLineFunc     console_cb;
  gpointer         console_data;
  SlQmp           *qmp;
  GArray          *vcpus;
  gboolean         torn_down;
};

SlVm *
sl_vm_new (GError **error)
{
  g_autofree char *dir = g_dir_make_tmp ("schedlab-vm-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  g_chmod (dir, 0700);
  SlVm *vm = g_new0 (SlVm, 1);
  vm->dir = g_steal_pointer (&dir);
  vm->qmp_path = g_build_filename (vm->dir, "qmp.sock", NULL);
  vm->ctl_path = g_build_filename (vm->dir, "ctl.sock", NULL);
  vm->cancel = g_cancellable_new ();
  vm->listener = g_socket_listener_new ();
  g_autoptr(GSocketAddress) addr = g_unix_socket_address_new (vm->ctl_path);
  if (!g_socket_listener_add_address (vm->listener, addr, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                                      NULL, NULL, error))
    {
      sl_vm_free (vm);
      return NULL;
    }
  return vm;
}

const char *
sl_vm_get_runtime_dir (SlVm *vm)
{
  g_return_val_if_fail (vm != NULL, NULL);
  return vm->dir;
}

char *
sl_vm_runtime_path (SlVm *vm, const char *name)
{
  g_return_val_if_fail (vm != NULL && name != NULL, NULL);
  return g_build_filename (vm->dir, name, NULL);
}

SlQmp *
sl_vm_get_qmp (SlVm *vm)
{
  return vm->qmp;
}

const GArray *
sl_vm_get_vcpus (SlVm *vm)
{
  return vm->vcpus;
}

GSubprocess *
sl_vm_get_subprocess (SlVm *vm)
{
  return vm->proc;
}

GPid
sl_vm_get_pid (SlVm *vm)
{
  const char *id = vm->proc ? g_subprocess_get_identifier (vm->proc) : NULL;
  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

gboolean
sl_vm_is_running (SlVm *vm)
{
  return vm->proc != NULL && g_subprocess_get_identifier (vm->proc) != NULL;
}

int
sl_vm_get_exit_status (SlVm *vm)
{
  if (vm->proc == NULL || g_subprocess_get_identifier (vm->proc) != NULL)
    return -1;
  if (g_subprocess_get_if_exited (vm->proc))
    return g_subprocess_get_exit_status (vm->proc);
  return 128 + g_subprocess_get_term_sig (vm->proc);
}

static void
child_setup (gpointer data)
{
  /* QEMU must not outlive us, even if we are killed with SIGKILL. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* Keep Ctrl-C on the terminal for us: we stop QEMU ourselves. */
  setpgid (0, 0);
}

static void read_console_line (SlVm *vm);

static void
console_line_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  SlVm *vm = user_data;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), res, &len, &error);
  if (line == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
        read_console_line (vm);   /* binary noise on the console: skip it */
      return;
    }
  g_strchomp (line);
  if (vm->console_cb != NULL)
    vm->console_cb (line, vm->console_data);
  read_console_line (vm);
}

static void
read_console_line (SlVm *vm)
{
  g_data_input_stream_read_line_async (vm->console, G_PRIORITY_DEFAULT, vm->cancel, console_line_ready, vm);
}

gboolean
sl_vm_start (SlVm *vm, SlQemuConfig *cfg, SlVmLineFunc console, gpointer user_data, GError **error)
{
  g_return_val_if_fail (vm != NULL && cfg != NULL && vm->proc == NULL, FALSE);
  cfg->qmp_socket = vm->qmp_path;
  cfg->control_socket = vm->ctl_path;
  g_auto(GStrv) argv = sl_qemu_build_argv (cfg, error);
  if (argv == NULL)
    return FALSE;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, vm->dir);
  vm->proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv, error);
  if (vm->proc == NULL)
    {
      g_prefix_error (error, "cannot start %s: ", argv[0]);
      return FALSE;
    }
  vm->console_cb = console;
  vm->console_data = user_data;
  vm->console = g_data_input_stream_new (g_subprocess_get_stdout_pipe (vm->proc));
  g_data_input_stream_set_newline_type (vm->console, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_console_line (vm);

  vm->qmp = sl_qmp_connect (vm->qmp_path, 10000, NULL, error);
  if (vm->qmp == NULL)
    return FALSE;
  vm->vcpus = sl_qmp_query_vcpus (vm->qmp, error);
  return vm->vcpus != NULL;
}

typedef struct {
  GSocketConnection *conn;
  GError *error;
  gboolean done;
} AcceptState;

static void
accepted (GObject *source, GAsyncResult *res, gpointer user_data)
{
  AcceptState *st = user_data;
  st->conn = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), res, NULL, &st->error);
  st->done = TRUE;
}

static gboolean
accept_timeout (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

GSocketConnection *
sl_vm_accept_control (SlVm *vm, guint timeout_ms, GError **error)
{
  g_return_val_if_fail (vm != NULL, NULL);
  AcceptState st = { 0 };
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_socket_listener_accept_async (vm->listener, c, accepted, &st);
  GMainContext *ctx = g_main_context_get_thread_default ();
  GSource *t = g_timeout_source_new (timeout_ms);
  g_source_set_callback (t, accept_timeout, c, NULL);
  g_source_attach (t, ctx);
  while (!st.done)
    g_main_context_iteration (ctx, TRUE);
  g_source_destroy (t);
  g_source_unref (t);
  if (st.conn == NULL)
    {
      if (g_error_matches (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&st.error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       "QEMU did not connect to the control channel within %u ms", timeout_ms);
        }
      else
        g_propagate_error (error, st.error);
      return NULL;
    }
  return st.conn;
}

gboolean
sl_read_schedstat (GPid pid, gint tid, guint64 *run_ns, guint64 *wait_ns, guint64 *slices, GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/schedstat", (int) pid, tid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  char *end = NULL;
  guint64 v[3];
  const char *p = text;
  for (int i = 0; i < 3; i++)
    {
      v[i] = g_ascii_strtoull (p, &end, 10);
      if (end == p)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "%s: malformed", path);
          return FALSE;
        }
      p = end;
    }
  *run_ns = v[0];
  *wait_ns = v[1];
  *slices = v[2];
  return TRUE;
}

GArray *
sl_vm_read_vcpu_times (SlVm *vm, GError **error)
{
  g_return_val_if_fail (vm != NULL && vm->vcpus != NULL, NULL);
  GPid pid = sl_vm_get_pid (vm);
  g_autoptr(GArray) out = g_array_sized_new (FALSE, TRUE, sizeof (SlVcpuTime), vm->vcpus->len);
  for (guint i = 0; i < vm->vcpus->len; i++)
    {
      const SlQmpVcpu *v = &g_array_index (vm->vcpus, SlQmpVcpu, i);
      SlVcpuTime t = { .cpu = v->cpu_index, .tid = v->thread_id };
      if (!sl_read_schedstat (pid, v->thread_id, &t.run_ns, &t.wait_ns, &t.slices, error))
        return NULL;
      g_array_append_val (out, t);
    }
  return g_steal_pointer (&out);
}

static void
remove_dir_contents (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
}

void
sl_vm_teardown (SlVm *vm)
{
  g_return_if_fail (vm != NULL);
  if (vm->torn_down)
    return;
  vm->torn_down = TRUE;
  g_cancellable_cancel (vm->cancel);
  if (vm->proc != NULL && g_subprocess_get_identifier (vm->proc) != NULL)
    {
      if (vm->qmp != NULL)
        {
          sl_qmp_set_timeout (vm->qmp, 1000);
          sl_qmp_quit (vm->qmp, NULL);
        }
      /* Give QEMU a moment to exit on its own, then kill it. */
      /* GLib's worker thread reaps the child, so polling the identifier works
       * without running our main context. */
      for (int i = 0; i < 100 && g_subprocess_get_identifier (vm->proc) != NULL; i++)
        g_usleep (20 * 1000);
      if (g_subprocess_get_identifier (vm->proc) != NULL)
        g_subprocess_force_exit (vm->proc);
      g_subprocess_wait (vm->proc, NULL, NULL);
    }
  g_clear_pointer (&vm->qmp, sl_qmp_free);
  if (vm->listener != NULL)
    g_socket_listener_close (vm->listener);
  g_clear_object (&vm->listener);
  remove_dir_contents (vm->dir);
  g_rmdir (vm->dir);
}

void
sl_vm_free (SlVm *vm)
{
  if (vm == NULL)
    return;
  sl_vm_teardown (vm);
  g_clear_object (&vm->console);
  g_clear_object (&vm->proc);
  g_clear_object (&vm->cancel);
  g_clear_pointer (&vm->vcpus, g_array_unref);
  g_free (vm->qmp_path);
  g_free (vm->ctl_path);
  g_free (vm->dir);
  g_free (vm);
}
