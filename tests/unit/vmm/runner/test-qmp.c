/* Unit tests of the QMP client's framing against a scripted fake server:
 * greeting and capabilities, replies split across writes, interleaved events,
 * stale replies, error replies, timeouts, oversized and closed streams. */
#include "sl-qmp.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef enum {
  FAKE_NORMAL,       /* well-behaved, with events and split writes */
  FAKE_ERROR,        /* every command after capabilities fails */
  FAKE_SILENT,       /* never replies after capabilities */
  FAKE_HUGE,         /* an endless line */
  FAKE_CLOSE,        /* closes after capabilities */
  FAKE_NO_GREETING,  /* starts with something that is not a greeting */
} FakeMode;

typedef struct {
  char     *dir;
  char     *path;
  int       listen_fd;
  FakeMode  mode;
  GThread  *thread;
  GPtrArray *received;  /* commands seen, in order */
  GMutex    lock;
} Fake;

static void
send_str (int fd, const char *s)
{
  gsize n = strlen (s);
  while (n > 0)
    {
      ssize_t w = write (fd, s, n);
      if (w <= 0)
        return;
      s += w;
      n -= (gsize) w;
    }
}

/* Reads one line from fd (blocking); NULL at EOF. */
static char *
read_line (int fd)
{
  GString *s = g_string_new (NULL);
  char c;
  while (read (fd, &c, 1) == 1)
    {
      if (c == '\n')
        return g_string_free (s, FALSE);
      g_string_append_c (s, c);
    }
  g_string_free (s, TRUE);
  return NULL;
}

static gint64
id_of (const char *line)
{
  const char *p = strstr (line, "\"id\":");
  return p ? g_ascii_strtoll (p + 5, NULL, 10) : -1;
}

static char *
command_of (const char *line)
{
  const char *p = strstr (line, "\"execute\":\"");
  if (p == NULL)
    return g_strdup ("?");
  p += 11;
  return g_strndup (p, strcspn (p, "\""));
}

static gpointer
fake_thread (gpointer data)
{
  Fake *f = data;
  int fd = accept (f->listen_fd, NULL, NULL);
  if (fd < 0)
    return NULL;
  if (f->mode == FAKE_NO_GREETING)
    {
      send_str (fd, "{\"return\": {}}\r\n");
      close (fd);
      return NULL;
    }
  /* The greeting arrives in two pieces, with QEMU's CRLF. */
  send_str (fd, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}}, ");
  g_usleep (20000);
  send_str (fd, "\"capabilities\": [\"oob\"]}}\r\n");
  char *line;
  gboolean first = TRUE;
  while ((line = read_line (fd)) != NULL)
    {
      g_autofree char *l = line;
      g_autofree char *cmd = command_of (l);
      gint64 id = id_of (l);
      g_mutex_lock (&f->lock);
      g_ptr_array_add (f->received, g_strdup (cmd));
      g_mutex_unlock (&f->lock);
      g_autofree char *reply = NULL;
      if (first)
        {
          first = FALSE;
          reply = g_strdup_printf ("{\"return\": {}, \"id\": %" G_GINT64_FORMAT "}\r\n", id);
          send_str (fd, reply);
          if (f->mode == FAKE_CLOSE)
            break;
          continue;
        }
      switch (f->mode)
        {
        case FAKE_ERROR:
          reply = g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"error\": {\"class\": \"GenericError\", "
                                   "\"desc\": \"nope\"}}\r\n", id);
          send_str (fd, reply);
          break;
        case FAKE_SILENT:
          break;
        case FAKE_HUGE:
          {
            g_autofree char *chunk = g_strnfill (65536, 'x');
            for (int i = 0; i < 100; i++)
              send_str (fd, chunk);
          }
          break;
        default:
          /* An event and a stale reply first, then the real reply in pieces. */
          send_str (fd, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n");
          send_str (fd, "{\"return\": {}, \"id\": 999999}\r\n\r\n");
          if (g_str_equal (cmd, "query-cpus-fast"))
            reply = g_strdup_printf ("{\"return\": [{\"cpu-index\": 1, \"thread-id\": 4002, \"qom-path\": \"/x\"}, "
                                     "{\"cpu-index\": 0, \"thread-id\": 4001}], \"id\": %" G_GINT64_FORMAT "}\r\n", id);
          else
            reply = g_strdup_printf ("{\"return\": {}, \"id\": %" G_GINT64_FORMAT "}\r\n", id);
          gsize half = strlen (reply) / 2;
          g_autofree char *a = g_strndup (reply, half);
          send_str (fd, a);
          g_usleep (10000);
          send_str (fd, reply + half);
          if (g_str_equal (cmd, "quit"))
            {
              close (fd);
              return NULL;
            }
        }
    }
  close (fd);
  return NULL;
}

static Fake *
fake_new (FakeMode mode)
{
  Fake *f = g_new0 (Fake, 1);
  f->mode = mode;
  f->dir = g_dir_make_tmp ("sl-qmp-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "qmp.sock", NULL);
  f->received = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&f->lock);
  f->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  g_strlcpy (addr.sun_path, f->path, sizeof addr.sun_path);
  g_assert_cmpint (bind (f->listen_fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (listen (f->listen_fd, 1), ==, 0);
  f->thread = g_thread_new ("fake-qmp", fake_thread, f);
  return f;
}

static void
fake_free (Fake *f)
{
  shutdown (f->listen_fd, SHUT_RDWR);
  close (f->listen_fd);
  g_thread_join (f->thread);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_ptr_array_unref (f->received);
  g_mutex_clear (&f->lock);
  g_free (f->path);
  g_free (f->dir);
  g_free (f);
}

static void
test_normal (void)
{
  Fake *f = fake_new (FAKE_NORMAL);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sl_qmp_stop (qmp, &error));
  g_assert_no_error (error);
  g_assert_true (sl_qmp_cont (qmp, &error));
  g_autoptr(GArray) v = sl_qmp_query_vcpus (qmp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (v->len, ==, 2);
  g_assert_cmpuint (g_array_index (v, SlQmpVcpu, 0).cpu_index, ==, 0);
  g_assert_cmpint (g_array_index (v, SlQmpVcpu, 0).thread_id, ==, 4001);
  g_assert_cmpint (g_array_index (v, SlQmpVcpu, 1).thread_id, ==, 4002);
  /* Three STOP events arrived before the three replies. */
  guint events = 0;
  JsonObject *ev;
  while ((ev = sl_qmp_pop_event (qmp)) != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (ev, "event"), ==, "STOP");
      json_object_unref (ev);
      events++;
    }
  g_assert_cmpuint (events, ==, 3);
  g_assert_true (sl_qmp_quit (qmp, &error));
  g_assert_no_error (error);
  sl_qmp_free (qmp);
  fake_free (f);
  /* The client sent capabilities first, then exactly what we asked. */
}

static void
test_command_order (void)
{
  Fake *f = fake_new (FAKE_NORMAL);
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, NULL);
  g_assert_nonnull (qmp);
  g_assert_true (sl_qmp_stop (qmp, NULL));
  g_assert_true (sl_qmp_quit (qmp, NULL));
  sl_qmp_free (qmp);
  g_mutex_lock (&f->lock);
  g_assert_cmpuint (f->received->len, ==, 3);
  g_assert_cmpstr (f->received->pdata[0], ==, "qmp_capabilities");
  g_assert_cmpstr (f->received->pdata[1], ==, "stop");
  g_assert_cmpstr (f->received->pdata[2], ==, "quit");
  g_mutex_unlock (&f->lock);
  fake_free (f);
}

static void
test_error_reply (void)
{
  Fake *f = fake_new (FAKE_ERROR);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sl_qmp_stop (qmp, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "GenericError"));
  g_assert_nonnull (strstr (error->message, "nope"));
  sl_qmp_free (qmp);
  fake_free (f);
}

static void
test_timeout (void)
{
  Fake *f = fake_new (FAKE_SILENT);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_no_error (error);
  sl_qmp_set_timeout (qmp, 200);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (sl_qmp_stop (qmp, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 3 * G_USEC_PER_SEC);
  sl_qmp_free (qmp);
  fake_free (f);
}

static void
test_oversized (void)
{
  Fake *f = fake_new (FAKE_HUGE);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sl_qmp_stop (qmp, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  sl_qmp_free (qmp);
  fake_free (f);
}

static void
test_closed (void)
{
  Fake *f = fake_new (FAKE_CLOSE);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sl_qmp_cont (qmp, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* quit on a closed connection is not an error: QEMU is gone either way. */
  g_assert_true (sl_qmp_quit (qmp, &error));
  sl_qmp_free (qmp);
  fake_free (f);
}

static void
test_no_greeting (void)
{
  Fake *f = fake_new (FAKE_NO_GREETING);
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect (f->path, 5000, NULL, &error);
  g_assert_null (qmp);
  g_assert_nonnull (error);
  fake_free (f);
}

static void
test_connect_timeout (void)
{
  g_autoptr(GError) error = NULL;
  SlQmp *qmp = sl_qmp_connect ("/nonexistent/qmp.sock", 100, NULL, &error);
  g_assert_null (qmp);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/qmp/normal", test_normal);
  g_test_add_func ("/qmp/command-order", test_command_order);
  g_test_add_func ("/qmp/error-reply", test_error_reply);
  g_test_add_func ("/qmp/timeout", test_timeout);
  g_test_add_func ("/qmp/oversized", test_oversized);
  g_test_add_func ("/qmp/closed", test_closed);
  g_test_add_func ("/qmp/no-greeting", test_no_greeting);
  g_test_add_func ("/qmp/connect-timeout", test_connect_timeout);
  return g_test_run ();
}
