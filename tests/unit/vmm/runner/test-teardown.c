/* Unit tests of the VM process lifecycle against a fake QEMU (this same binary,
 * re-executed): after teardown there is no QEMU process, no socket and no
 * runtime directory, whether QEMU quit politely, was killed, or hung. */
#include "sl-vm.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- the fake QEMU ---- */

static void
fake_send (int fd, const char *s)
{
  if (write (fd, s, strlen (s)) < 0)
    _exit (3);
}

static int
fake_qemu (int argc, char **argv)
{
  const char *qmp_path = NULL, *ctl_path = NULL;
  for (int i = 1; i + 1 < argc; i++)
    {
      if (g_str_equal (argv[i], "-qmp") && g_str_has_prefix (argv[i + 1], "unix:"))
        qmp_path = g_strndup (argv[i + 1] + 5, strcspn (argv[i + 1] + 5, ","));
      if (g_str_equal (argv[i], "-chardev") && strstr (argv[i + 1], "id=sl-ctl"))
        ctl_path = strstr (argv[i + 1], "path=") + 5;
    }
  if (qmp_path == NULL || ctl_path == NULL)
    return 2;
  gboolean hang = g_getenv ("SL_FAKE_QEMU_HANG") != NULL;
  if (hang)
    signal (SIGTERM, SIG_IGN);
  printf ("fake console line\n");
  fflush (stdout);
  int ctl = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  g_strlcpy (a.sun_path, ctl_path, sizeof a.sun_path);
  if (connect (ctl, (struct sockaddr *) &a, sizeof a) != 0)
    return 4;
  int ls = socket (AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un q = { .sun_family = AF_UNIX };
  g_strlcpy (q.sun_path, qmp_path, sizeof q.sun_path);
  if (bind (ls, (struct sockaddr *) &q, sizeof q) != 0 || listen (ls, 1) != 0)
    return 5;
  int fd = accept (ls, NULL, NULL);
  fake_send (fd, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n");
  GString *line = g_string_new (NULL);
  char c;
  while (read (fd, &c, 1) == 1)
    {
      if (c != '\n')
        {
          g_string_append_c (line, c);
          continue;
        }
      const char *idp = strstr (line->str, "\"id\":");
      long id = idp ? strtol (idp + 5, NULL, 10) : 0;
      g_autofree char *reply = NULL;
      if (strstr (line->str, "query-cpus-fast"))
        reply = g_strdup_printf ("{\"return\": [{\"cpu-index\": 0, \"thread-id\": %ld}], \"id\": %ld}\r\n",
                                 (long) syscall (SYS_gettid), id);
      else
        reply = g_strdup_printf ("{\"return\": {}, \"id\": %ld}\r\n", id);
      if (strstr (line->str, "\"quit\"") && hang)
        {
          g_string_truncate (line, 0);
          continue;   /* a wedged QEMU: ignores quit */
        }
      fake_send (fd, reply);
      if (strstr (line->str, "\"quit\""))
        {
          unlink (qmp_path);
          return 0;
        }
      g_string_truncate (line, 0);
    }
  /* A real QEMU keeps running when the monitor disconnects. */
  for (;;)
    pause ();
}

/* ---- tests ---- */

static char *self_path;

static gboolean
process_exists (GPid pid)
{
  return pid > 0 && (kill (pid, 0) == 0 || errno != ESRCH);
}

static void
console_cb (const char *line, gpointer data)
{
  guint *n = data;
  (*n)++;
}

typedef enum { END_QUIT, END_KILLED, END_HUNG } EndMode;

static void
run_case (EndMode mode)
{
  if (mode == END_HUNG)
    g_setenv ("SL_FAKE_QEMU_HANG", "1", TRUE);
  else
    g_unsetenv ("SL_FAKE_QEMU_HANG");
  g_autoptr(GError) error = NULL;
  SlVm *vm = sl_vm_new (&error);
  g_assert_no_error (error);
  g_autofree char *dir = g_strdup (sl_vm_get_runtime_dir (vm));
  GStatBuf st;
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  g_autofree char *initrd = sl_vm_runtime_path (vm, "initrd.cpio");
  g_assert_true (g_file_set_contents (initrd, "x", 1, NULL));

  SlQemuConfig cfg = {
    .qemu_binary = self_path,
    .kernel = "/nonexistent/vmlinux",
    .initrd = initrd,
    .topology = { 1, 1, 1, 1 },
    .memory_mb = 256,
    .accel = SL_ACCEL_TCG,
  };
  guint lines = 0;
  g_assert_true (sl_vm_start (vm, &cfg, console_cb, &lines, &error));
  g_assert_no_error (error);
  GSocketConnection *conn = sl_vm_accept_control (vm, 5000, &error);
  g_assert_no_error (error);
  g_assert_nonnull (conn);
  GPid pid = sl_vm_get_pid (vm);
  g_assert_true (process_exists (pid));
  g_assert_cmpuint (sl_vm_get_vcpus (vm)->len, ==, 1);
  g_autoptr(GArray) times = sl_vm_read_vcpu_times (vm, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (times->len, ==, 1);
  g_assert_true (sl_qmp_stop (sl_vm_get_qmp (vm), &error));
  g_assert_true (sl_qmp_cont (sl_vm_get_qmp (vm), &error));
  g_autofree char *qmp_sock = sl_vm_runtime_path (vm, "qmp.sock");
  g_autofree char *ctl_sock = sl_vm_runtime_path (vm, "ctl.sock");
  g_assert_true (g_file_test (qmp_sock, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (ctl_sock, G_FILE_TEST_EXISTS));

  if (mode == END_KILLED)
    {
      kill (pid, SIGKILL);
      g_usleep (100000);
    }
  gint64 t0 = g_get_monotonic_time ();
  sl_vm_teardown (vm);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  g_object_unref (conn);
  sl_vm_free (vm);

  g_assert_false (process_exists (pid));
  g_assert_false (g_file_test (qmp_sock, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (ctl_sock, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (initrd, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void test_quit (void) { run_case (END_QUIT); }
static void test_killed (void) { run_case (END_KILLED); }
static void test_hung (void) { run_case (END_HUNG); }

static void
test_start_failure_cleans_up (void)
{
  g_autoptr(GError) error = NULL;
  SlVm *vm = sl_vm_new (&error);
  g_autofree char *dir = g_strdup (sl_vm_get_runtime_dir (vm));
  SlQemuConfig cfg = {
    .qemu_binary = "/nonexistent/qemu-system-x86_64",
    .kernel = "k", .initrd = "i",
    .topology = { 1, 1, 1, 1 },
    .accel = SL_ACCEL_TCG,
  };
  g_assert_false (sl_vm_start (vm, &cfg, NULL, NULL, &error));
  g_assert_nonnull (error);
  sl_vm_free (vm);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "-nodefaults"))
      return fake_qemu (argc, argv);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/teardown/quit", test_quit);
  g_test_add_func ("/teardown/killed-guest", test_killed);
  g_test_add_func ("/teardown/hung-qemu", test_hung);
  g_test_add_func ("/teardown/start-failure", test_start_failure_cleans_up);
  int rc = g_test_run ();
  g_free (self_path);
  return rc;
}
