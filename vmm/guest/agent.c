/* agent.c: PID 1 of the guest: mounts, the control channel, the topology check,
 * the scenario, and the end-of-run handshake before poweroff. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define AG_CHANNEL "/dev/ttyS1"
#define AG_MSG_MAX 65536
#define AG_IN_MAX  (300 * 1024)

static int channel_fd = -1;
static uint64_t next_seq = 1;
static uint64_t last_acked;
static char in_buf[AG_IN_MAX];
static size_t in_len;

struct AgJson {
  char   buf[AG_MSG_MAX];
  size_t len;
  bool   truncated;
};

uint64_t
ag_now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
ag_channel_fd (void)
{
  return channel_fd;
}

static void
put (AgJson *m, const char *s, size_t n)
{
  if (m->len + n + 8 >= sizeof m->buf)
    {
      m->truncated = true;
      return;
    }
  memcpy (m->buf + m->len, s, n);
  m->len += n;
}

static void
put_escaped (AgJson *m, const char *s)
{
  put (m, "\"", 1);
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      char esc[8];
      if (*p == '"' || *p == '\\')
        {
          esc[0] = '\\';
          esc[1] = (char) *p;
          put (m, esc, 2);
        }
      else if (*p < 0x20 || *p == 0x7f)
        {
          snprintf (esc, sizeof esc, "\\u%04x", *p);
          put (m, esc, 6);
        }
      else
        put (m, (const char *) p, 1);
      if (m->truncated)
        break;
    }
  put (m, "\"", 1);
}

static void
put_key (AgJson *m, const char *key)
{
  put (m, ",", 1);
  put_escaped (m, key);
  put (m, ":", 1);
}

AgJson *
ag_msg_begin (const char *type)
{
  AgJson *m = calloc (1, sizeof *m);
  if (m == NULL)
    abort ();
  put (m, "{\"t\":", 5);
  put_escaped (m, type);
  return m;
}

void
ag_msg_str (AgJson *m, const char *key, const char *value)
{
  put_key (m, key);
  put_escaped (m, value ? value : "");
}

void
ag_msg_u64 (AgJson *m, const char *key, uint64_t value)
{
  char num[32];
  put_key (m, key);
  put (m, num, (size_t) snprintf (num, sizeof num, "%llu", (unsigned long long) value));
}

void
ag_msg_i64 (AgJson *m, const char *key, int64_t value)
{
  char num[32];
  put_key (m, key);
  put (m, num, (size_t) snprintf (num, sizeof num, "%lld", (long long) value));
}

void
ag_msg_bool (AgJson *m, const char *key, bool value)
{
  put_key (m, key);
  put (m, value ? "true" : "false", value ? 4 : 5);
}

static void
write_all (int fd, const char *s, size_t n)
{
  while (n > 0)
    {
      ssize_t w = write (fd, s, n);
      if (w < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            {
              struct pollfd p = { .fd = fd, .events = POLLOUT };
              poll (&p, 1, 100);
              continue;
            }
          return;
        }
      s += w;
      n -= (size_t) w;
    }
}

void
ag_msg_send (AgJson *m)
{
  char tail[64];
  if (m->truncated)
    ag_msg_bool (m, "truncated", true);
  m->truncated = false;
  int n = snprintf (tail, sizeof tail, ",\"seq\":%llu}\n", (unsigned long long) next_seq++);
  memcpy (m->buf + m->len, tail, (size_t) n);   /* put() always leaves room for this */
  m->len += (size_t) n;
  if (channel_fd >= 0)
    write_all (channel_fd, m->buf, m->len);
  free (m);
}

void
ag_console (const char *fmt, ...)
{
  char line[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (line, sizeof line, fmt, ap);
  va_end (ap);
  fprintf (stdout, "[agent %llu] %s\n", (unsigned long long) ag_now_ms (), line);
  fflush (stdout);
}

void
ag_log (const char *fmt, ...)
{
  char line[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (line, sizeof line, fmt, ap);
  va_end (ap);
  ag_console ("%s", line);
  AgJson *m = ag_msg_begin ("log");
  ag_msg_str (m, "msg", line);
  ag_msg_send (m);
}

static void
mount_fs (const char *src, const char *target, const char *type, unsigned long flags)
{
  mkdir (target, 0755);
  if (mount (src, target, type, flags, NULL) != 0 && errno != EBUSY)
    ag_console ("mount %s on %s failed: %s", type, target, strerror (errno));
}

static void
open_channel (void)
{
  for (int i = 0; i < 200 && channel_fd < 0; i++)
    {
      channel_fd = open (AG_CHANNEL, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
      if (channel_fd < 0)
        usleep (10000);
    }
  if (channel_fd < 0)
    {
      ag_console ("cannot open %s: %s", AG_CHANNEL, strerror (errno));
      return;
    }
  /* Raw mode: ONLCR would turn every \n into \r\n, echo would bounce host lines back. */
  struct termios tio;
  if (tcgetattr (channel_fd, &tio) == 0)
    {
      cfmakeraw (&tio);
      cfsetispeed (&tio, B115200);
      cfsetospeed (&tio, B115200);
      tcsetattr (channel_fd, TCSANOW, &tio);
    }
}

/* Handles one host line. */
static void
host_line (char *line)
{
  if (strncmp (line, "ack ", 4) == 0)
    last_acked = strtoull (line + 4, NULL, 10);
  else if (strncmp (line, "stats ", 6) == 0)
    {
      char *id = line + 6;
      char *sp = strchr (id, ' ');
      if (sp == NULL)
        return;
      *sp = '\0';
      ag_stats_relay (id, sp + 1);
    }
  else if (strcmp (line, "poweroff") == 0)
    {
      ag_console ("host asked for poweroff");
      sync ();
      reboot (RB_POWER_OFF);
    }
}

static void
channel_read (void)
{
  if (channel_fd < 0)
    return;
  for (;;)
    {
      if (in_len >= sizeof in_buf - 1)
        in_len = 0;   /* an over-long host line: drop it */
      ssize_t n = read (channel_fd, in_buf + in_len, sizeof in_buf - 1 - in_len);
      if (n <= 0)
        return;
      in_len += (size_t) n;
      char *start = in_buf, *nl;
      while ((nl = memchr (start, '\n', in_len - (size_t) (start - in_buf))) != NULL)
        {
          *nl = '\0';
          if (nl > start && nl[-1] == '\r')
            nl[-1] = '\0';
          host_line (start);
          start = nl + 1;
        }
      size_t rest = in_len - (size_t) (start - in_buf);
      memmove (in_buf, start, rest);
      in_len = rest;
    }
}

/* One turn of the event loop: host lines, worker reaping, scheduler and kernel log. */
static void
agent_poll (int timeout_ms)
{
  struct pollfd p = { .fd = channel_fd, .events = POLLIN };
  poll (&p, channel_fd >= 0 ? 1 : 0, timeout_ms);
  channel_read ();
  ag_workers_reap ();
  ag_sched_poll ();
  ag_kmsg_poll ();
}

static int
count_cpu_list (const char *list)
{
  int n = 0;
  const char *p = list;
  while (*p && *p != '\n')
    {
      char *end;
      long a = strtol (p, &end, 10), b = a;
      if (end == p)
        break;
      p = end;
      if (*p == '-')
        {
          b = strtol (p + 1, &end, 10);
          p = end;
        }
      if (b >= a && b - a < 4096)
        n += (int) (b - a + 1);
      if (*p == ',')
        p++;
    }
  return n;
}

static int
read_small (const char *path, char *buf, size_t len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = read (fd, buf, len - 1);
  close (fd);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return (int) n;
}

/* Distinct L3 sharing lists = number of LLCs the guest sees. */
static int
count_llcs (int ncpus)
{
  char seen[64][64];
  int n = 0;
  for (int c = 0; c < ncpus && c < AG_CPUS_MAX; c++)
    {
      char path[128], buf[64];
      snprintf (path, sizeof path, "/sys/devices/system/cpu/cpu%d/cache/index3/shared_cpu_list", c);
      if (read_small (path, buf, sizeof buf) < 0)
        return -1;
      bool dup = false;
      for (int i = 0; i < n; i++)
        dup |= strcmp (seen[i], buf) == 0;
      if (!dup && n < 64)
        strcpy (seen[n++], buf);
    }
  return n;
}

static void
check_topology (void)
{
  char online[256] = "", nodes[256] = "", rel[128] = "";
  struct utsname u;
  read_small ("/sys/devices/system/cpu/online", online, sizeof online);
  read_small ("/sys/devices/system/node/online", nodes, sizeof nodes);
  if (uname (&u) == 0)
    snprintf (rel, sizeof rel, "%s", u.release);
  int ncpus = count_cpu_list (online);
  int nnodes = nodes[0] ? count_cpu_list (nodes) : 1;
  int nllcs = count_llcs (ncpus);
  const char *want_cpus = getenv ("sl_cpus"), *want_nodes = getenv ("sl_nodes"), *want_llcs = getenv ("sl_llcs");
  bool ok = true;
  char msg[256] = "";
  if (want_cpus && atoi (want_cpus) != ncpus)
    {
      ok = false;
      snprintf (msg, sizeof msg, "requested %s CPUs, the guest sees %d online (%s)", want_cpus, ncpus, strtok (online, "\n"));
    }
  else if (want_nodes && atoi (want_nodes) != nnodes)
    {
      ok = false;
      snprintf (msg, sizeof msg, "requested %s NUMA nodes, the guest sees %d", want_nodes, nnodes);
    }
  else if (want_llcs && nllcs > 0 && atoi (want_llcs) != nllcs)
    {
      ok = false;
      snprintf (msg, sizeof msg, "requested %s LLCs, the guest sees %d", want_llcs, nllcs);
    }
  AgJson *m = ag_msg_begin ("hello");
  ag_msg_str (m, "kernel", rel);
  ag_msg_u64 (m, "cpus", (uint64_t) ncpus);
  ag_msg_u64 (m, "nodes", (uint64_t) nnodes);
  ag_msg_i64 (m, "llcs", nllcs);
  ag_msg_bool (m, "topology_ok", ok);
  ag_msg_str (m, "topology_msg", msg);
  ag_msg_bool (m, "sched_ext", access ("/sys/kernel/sched_ext", F_OK) == 0);
  struct timespec bt;
  clock_gettime (CLOCK_BOOTTIME, &bt);
  ag_msg_u64 (m, "boottime_ms", (uint64_t) bt.tv_sec * 1000 + (uint64_t) bt.tv_nsec / 1000000);
  ag_msg_send (m);
  if (!ok)
    ag_console ("topology mismatch: %s", msg);
}

static void __attribute__ ((noreturn))
finish (int status)
{
  ag_sched_stop ();
  AgJson *m = ag_msg_begin ("end");
  ag_msg_i64 (m, "status", status);
  uint64_t end_seq = next_seq;
  ag_msg_send (m);
  if (channel_fd >= 0)
    tcdrain (channel_fd);
  /* The host acknowledges the last message; only then is it safe to power off
   * (a channel can lose its tail when QEMU exits). Bounded: 15 s. */
  uint64_t deadline = ag_now_ms () + 15000;
  while (last_acked < end_seq && ag_now_ms () < deadline)
    agent_poll (50);
  ag_console ("powering off (acked %llu of %llu)", (unsigned long long) last_acked, (unsigned long long) end_seq);
  sync ();
  reboot (RB_POWER_OFF);
  for (;;)
    pause ();
}

int
main (int argc, char **argv)
{
  mount_fs ("devtmpfs", "/dev", "devtmpfs", 0);
  int cfd = open ("/dev/console", O_RDWR);
  if (cfd >= 0)
    {
      dup2 (cfd, 0);
      dup2 (cfd, 1);
      dup2 (cfd, 2);
      if (cfd > 2)
        close (cfd);
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  ag_console ("schedlab agent started");
  mount_fs ("proc", "/proc", "proc", 0);
  mount_fs ("sysfs", "/sys", "sysfs", 0);
  mount_fs ("cgroup2", "/sys/fs/cgroup", "cgroup2", 0);
  mount_fs ("bpf", "/sys/fs/bpf", "bpf", 0);
  mount_fs ("tracefs", "/sys/kernel/tracing", "tracefs", 0);
  mount_fs ("debugfs", "/sys/kernel/debug", "debugfs", 0);
  /* The initramfs root is already writable memory: no tmpfs over /tmp or
   * /run, which would hide files the image put there (a scheduler's shared
   * libraries found through a RUNPATH under /tmp, say). /var/run is /run. */
  mkdir ("/tmp", 01777);
  chmod ("/tmp", 01777);
  mkdir ("/run", 0755);
  mkdir ("/var", 0755);
  if (symlink ("/run", "/var/run") != 0 && errno != EEXIST)
    ag_console ("cannot link /var/run to /run: %s", strerror (errno));
  mkdir ("/run/scx", 0755);
  mkdir ("/run/scx/root", 0755);
  ag_kmsg_open ();

  open_channel ();
  check_topology ();
  if (ag_workers_init () != 0)
    {
      ag_log ("cannot set up worker counters");
      finish (1);
    }

  AgScenario *sc = calloc (1, sizeof *sc);
  char err[256];
  if (sc == NULL || ag_scenario_load ("/etc/schedlab/scenario", sc, err, sizeof err) != 0)
    {
      AgJson *m = ag_msg_begin ("error");
      ag_msg_str (m, "msg", sc ? err : "out of memory");
      ag_msg_send (m);
      finish (1);
    }

  if (access ("/usr/bin/scheduler", X_OK) == 0)
    {
      if (ag_sched_start ("/usr/bin/scheduler", "/etc/schedlab/scheduler-args") != 0
          || !ag_sched_wait_enabled (30000, agent_poll))
        {
          AgJson *m = ag_msg_begin ("error");
          ag_msg_str (m, "msg", "the scheduler did not attach (sched_ext state never became enabled)");
          ag_msg_send (m);
          finish (1);
        }
    }

  int rc = ag_scenario_run (sc, agent_poll);
  free (sc);
  finish (rc);
}
