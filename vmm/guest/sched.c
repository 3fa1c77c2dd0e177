/* sched.c: the scheduler under test inside the guest: starting it, watching
 * /sys/kernel/sched_ext, reporting its exit, relaying scx_stats requests, and
 * forwarding kernel log lines worth keeping. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* scx_stats convention: /var/run/scx/<name>/stats ("root" by default). */
#define AG_STATS_SOCKET      "/var/run/scx/root/stats"
#define AG_STATS_SOCKET_FILE "/etc/schedlab/stats-socket"
#define AG_STATS_SCAN_MAX    64
#define AG_STATS_MAX    (256 * 1024)
#define AG_MAX_ARGS     64

static pid_t sched_pid;
static bool  sched_exited;
static char  last_state[32];
static char  last_ops[128];
static bool  exit_reported;
static bool  was_enabled;
static int   kmsg_fd = -1;
static char  exit_reason[256];
static char  exit_message[512];
static bool  want_message;

static int
read_trimmed (const char *path, char *buf, size_t len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      buf[0] = '\0';
      return -1;
    }
  ssize_t n = read (fd, buf, len - 1);
  close (fd);
  if (n < 0)
    n = 0;
  buf[n] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  return 0;
}

int
ag_sched_start (const char *binary, const char *args_file)
{
  char *argv[AG_MAX_ARGS + 2];
  int argc = 0;
  argv[argc++] = (char *) binary;
  FILE *f = fopen (args_file, "re");
  if (f != NULL)
    {
      char line[1024];
      while (argc < AG_MAX_ARGS && fgets (line, sizeof line, f) != NULL)
        {
          line[strcspn (line, "\n")] = '\0';
          argv[argc++] = strdup (line);
        }
      fclose (f);
    }
  argv[argc] = NULL;
  sched_pid = fork ();
  if (sched_pid < 0)
    return -1;
  if (sched_pid == 0)
    {
      execv (binary, argv);
      dprintf (2, "[agent] cannot exec %s: %s\n", binary, strerror (errno));
      _exit (127);
    }
  ag_log ("started scheduler %s (pid %d, %d args)", binary, (int) sched_pid, argc - 1);
  return 0;
}

/* Exit kinds from the kernel's reason strings (kernel/sched/ext.c scx_exit_reason). */
static void
kind_from_reason (const char *reason, int64_t *kind, const char **name)
{
  static const struct { const char *text; int64_t kind; const char *name; } map[] = {
    { "unregistered from user space", 64, "SCX_EXIT_UNREG" },
    { "unregistered from BPF", 65, "SCX_EXIT_UNREG_BPF" },
    { "unregistered from the main kernel", 66, "SCX_EXIT_UNREG_KERN" },
    { "disabled by sysrq-S", 67, "SCX_EXIT_SYSRQ" },
    { "runnable task stall", 1026, "SCX_EXIT_ERROR_STALL" },
    { "scx_bpf_error", 1025, "SCX_EXIT_ERROR_BPF" },
    { "runtime error", 1024, "SCX_EXIT_ERROR" },
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strstr (reason, map[i].text) != NULL)
      {
        *kind = map[i].kind;
        *name = map[i].name;
        return;
      }
  *kind = -1;
  *name = NULL;
}

static void
report_exit (const char *why)
{
  if (exit_reported)
    return;
  exit_reported = true;
  int64_t kind;
  const char *name;
  kind_from_reason (exit_reason, &kind, &name);
  AgJson *m = ag_msg_begin ("sched_exit");
  if (kind >= 0)
    ag_msg_i64 (m, "kind", kind);
  if (name)
    ag_msg_str (m, "kind_name", name);
  ag_msg_str (m, "reason", exit_reason[0] ? exit_reason : why);
  ag_msg_str (m, "msg", exit_message);
  ag_msg_str (m, "ops", last_ops);
  ag_msg_send (m);
}

bool
ag_sched_child_exited (pid_t pid, int status)
{
  if (sched_pid <= 0 || pid != sched_pid)
    return false;
  sched_exited = true;
  char why[96];
  if (WIFEXITED (status))
    snprintf (why, sizeof why, "scheduler process exited with status %d", WEXITSTATUS (status));
  else
    snprintf (why, sizeof why, "scheduler process killed by signal %d", WTERMSIG (status));
  ag_log ("%s", why);
  /* Give the kernel log a moment to say why sched_ext was disabled. */
  for (int i = 0; i < 10 && !exit_reason[0]; i++)
    {
      usleep (20000);
      ag_kmsg_poll ();
    }
  report_exit (why);
  return true;
}

void
ag_sched_poll (void)
{
  char state[32], ops[128] = "";
  if (read_trimmed ("/sys/kernel/sched_ext/state", state, sizeof state) != 0)
    return;
  read_trimmed ("/sys/kernel/sched_ext/root/ops", ops, sizeof ops);
  if (strcmp (state, last_state) == 0 && (ops[0] == '\0' || strcmp (ops, last_ops) == 0))
    return;
  snprintf (last_state, sizeof last_state, "%s", state);
  if (ops[0])
    snprintf (last_ops, sizeof last_ops, "%s", ops);
  AgJson *m = ag_msg_begin ("sched");
  ag_msg_str (m, "state", state);
  ag_msg_str (m, "ops", ops);
  ag_msg_send (m);
  if (strcmp (state, "enabled") == 0)
    was_enabled = true;
  else if (was_enabled && strcmp (state, "disabled") == 0 && sched_pid > 0)
    {
      for (int i = 0; i < 10 && !exit_reason[0]; i++)
        {
          usleep (20000);
          ag_kmsg_poll ();
        }
      report_exit ("sched_ext was disabled");
    }
}

bool
ag_sched_wait_enabled (int timeout_ms, void (*poll_fn) (int))
{
  uint64_t end = ag_now_ms () + (uint64_t) timeout_ms;
  while (ag_now_ms () < end)
    {
      poll_fn (20);
      if (strcmp (last_state, "enabled") == 0)
        return true;
      if (sched_exited)
        return false;
    }
  return false;
}

void
ag_sched_stop (void)
{
  if (sched_pid <= 0 || sched_exited)
    return;
  kill (sched_pid, SIGINT);
  for (int i = 0; i < 100 && !sched_exited; i++)
    {
      int status;
      if (waitpid (sched_pid, &status, WNOHANG) == sched_pid)
        {
          ag_sched_child_exited (sched_pid, status);
          break;
        }
      usleep (20000);
      ag_kmsg_poll ();
    }
  if (!sched_exited)
    {
      kill (sched_pid, SIGKILL);
      int status;
      if (waitpid (sched_pid, &status, 0) == sched_pid)
        ag_sched_child_exited (sched_pid, status);
    }
}

int
ag_kmsg_open (void)
{
  kmsg_fd = open ("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (kmsg_fd >= 0)
    lseek (kmsg_fd, 0, SEEK_END);   /* only what happens from now on */
  return kmsg_fd;
}

/* Keeps sched_ext lines and crash markers; remembers the disable reason. */
void
ag_kmsg_poll (void)
{
  if (kmsg_fd < 0)
    return;
  char rec[2048];
  for (int guard = 0; guard < 256; guard++)
    {
      ssize_t n = read (kmsg_fd, rec, sizeof rec - 1);
      if (n < 0 && errno == EPIPE)
        continue;   /* overwritten records: skip */
      if (n <= 0)
        return;
      rec[n] = '\0';
      char *text = strchr (rec, ';');
      if (text == NULL)
        continue;
      text++;
      text[strcspn (text, "\n")] = '\0';
      bool keep = strstr (text, "sched_ext") != NULL || strstr (text, "Oops") != NULL
                  || strstr (text, "BUG:") != NULL || strstr (text, "WARNING:") != NULL
                  || strstr (text, "Kernel panic") != NULL;
      if (want_message && strstr (text, "sched_ext") != NULL)
        {
          /* The line after "disabled (...)" carries the exit message. */
          const char *msg = strstr (text, ": ");
          msg = msg ? msg + 2 : text;
          /* "sched_ext: <ops>: <message>": keep only the message. */
          size_t ops_len = strlen (last_ops);
          if (ops_len > 0 && strncmp (msg, last_ops, ops_len) == 0 && strncmp (msg + ops_len, ": ", 2) == 0)
            msg += ops_len + 2;
          snprintf (exit_message, sizeof exit_message, "%s", msg);
          want_message = false;
        }
      const char *dis = strstr (text, " disabled (");
      if (strstr (text, "sched_ext") != NULL && dis != NULL)
        {
          const char *start = dis + strlen (" disabled (");
          const char *end = strrchr (start, ')');
          size_t len = end ? (size_t) (end - start) : strlen (start);
          if (len >= sizeof exit_reason)
            len = sizeof exit_reason - 1;
          memcpy (exit_reason, start, len);
          exit_reason[len] = '\0';
          want_message = true;
        }
      if (keep)
        {
          AgJson *m = ag_msg_begin ("kmsg");
          ag_msg_str (m, "msg", text);
          ag_msg_send (m);
        }
    }
}

static void
relay_reply (const char *id, const char *resp, const char *error)
{
  AgJson *m = ag_msg_begin ("stats_resp");
  ag_msg_str (m, "id", id);
  if (error)
    ag_msg_str (m, "relay_error", error);
  else
    ag_msg_str (m, "resp", resp);
  ag_msg_send (m);
}

static bool
is_socket (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && S_ISSOCK (st.st_mode);
}

/* The socket the host configured, else the conventional root one, else the
 * first <name>/stats socket under /var/run/scx or /run/scx (schedulers that
 * name their instance). Looked up per request: the scheduler may create it
 * late. */
static void
find_stats_socket (char *out, size_t size)
{
  FILE *f = fopen (AG_STATS_SOCKET_FILE, "re");

  if (f != NULL)
    {
      bool ok = fgets (out, (int) size, f) != NULL;

      fclose (f);
      if (ok)
        {
          out[strcspn (out, "\n")] = '\0';
          if (out[0] == '/')
            return;
        }
    }
  snprintf (out, size, "%s", AG_STATS_SOCKET);
  if (is_socket (out))
    return;
  static const char *const dirs[] = { "/var/run/scx", "/run/scx" };
  for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
    {
      DIR *d = opendir (dirs[i]);
      if (d == NULL)
        continue;
      struct dirent *e;
      bool found = false;
      for (int n = 0; n < AG_STATS_SCAN_MAX && !found && (e = readdir (d)) != NULL; n++)
        {
          char candidate[sizeof ((struct sockaddr_un *) 0)->sun_path];

          if (e->d_name[0] == '.')
            continue;
          if (snprintf (candidate, sizeof candidate, "%s/%s/stats", dirs[i], e->d_name) >= (int) sizeof candidate)
            continue;
          if (is_socket (candidate))
            {
              snprintf (out, size, "%s", candidate);
              found = true;
            }
        }
      closedir (d);
      if (found)
        return;
    }
}

void
ag_stats_relay (const char *id, const char *request)
{
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  find_stats_socket (addr.sun_path, sizeof addr.sun_path);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      char why[160];
      snprintf (why, sizeof why, "cannot connect to %s: %s", addr.sun_path, strerror (errno));
      if (fd >= 0)
        close (fd);
      relay_reply (id, NULL, why);
      return;
    }
  size_t rlen = strlen (request);
  if (write (fd, request, rlen) != (ssize_t) rlen || write (fd, "\n", 1) != 1)
    {
      close (fd);
      relay_reply (id, NULL, "write to the stats socket failed");
      return;
    }
  char *buf = malloc (AG_STATS_MAX + 1);
  size_t len = 0;
  uint64_t deadline = ag_now_ms () + 3000;
  const char *err = NULL;
  for (;;)
    {
      uint64_t now = ag_now_ms ();
      if (now >= deadline)
        {
          err = "the scheduler did not answer within 3 s";
          break;
        }
      struct pollfd p = { .fd = fd, .events = POLLIN };
      if (poll (&p, 1, (int) (deadline - now)) <= 0)
        continue;
      ssize_t n = read (fd, buf + len, AG_STATS_MAX - len);
      if (n <= 0)
        {
          err = "the scheduler closed the stats socket without a full line";
          break;
        }
      len += (size_t) n;
      if (memchr (buf + len - n, '\n', (size_t) n) != NULL)
        break;
      if (len >= AG_STATS_MAX)
        {
          err = "response cap overflow";
          break;
        }
    }
  close (fd);
  buf[len] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  relay_reply (id, buf, err);
  free (buf);
}
