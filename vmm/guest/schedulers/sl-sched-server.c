/* sl-sched-server.c: see sl-sched-server.h. */
#include "sl-sched-server.h"
#include "sl-sched-stats.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct
{
  int fd;             /* -1 when the slot is free */
  char *buf;
  size_t len;
  size_t cap;
} Client;

struct SlgServer
{
  int listen_fd;
  char path[sizeof ((struct sockaddr_un *) 0)->sun_path];
  Client clients[SLG_SERVER_MAX_CLIENTS];
};

static int
mkdir_parents (const char *path)
{
  char tmp[sizeof ((struct sockaddr_un *) 0)->sun_path];
  size_t n = strlen (path);

  if (n >= sizeof tmp)
    return -1;
  memcpy (tmp, path, n + 1);
  for (char *p = tmp + 1; *p; p++)
    {
      if (*p != '/')
        continue;
      *p = '\0';
      if (mkdir (tmp, 0755) != 0 && errno != EEXIST)
        return -1;
      *p = '/';
    }
  return 0;
}

SlgServer *
slg_server_new (const char *path, char *err, size_t err_len)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct stat st;
  SlgServer *s;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      snprintf (err, err_len, "socket path too long: %s", path);
      return NULL;
    }
  if (mkdir_parents (path) != 0)
    {
      snprintf (err, err_len, "cannot create the directories of %s: %s", path, strerror (errno));
      return NULL;
    }
  /* Replace a socket left by an earlier run, but never another kind of file. */
  if (lstat (path, &st) == 0)
    {
      if (!S_ISSOCK (st.st_mode))
        {
          snprintf (err, err_len, "%s exists and is not a socket", path);
          return NULL;
        }
      unlink (path);
    }
  s = calloc (1, sizeof *s);
  if (!s)
    {
      snprintf (err, err_len, "out of memory");
      return NULL;
    }
  for (unsigned i = 0; i < SLG_SERVER_MAX_CLIENTS; i++)
    s->clients[i].fd = -1;
  strcpy (s->path, path);
  strcpy (addr.sun_path, path);
  s->listen_fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s->listen_fd < 0 ||
      bind (s->listen_fd, (struct sockaddr *) &addr, sizeof addr) != 0 ||
      listen (s->listen_fd, 8) != 0)
    {
      snprintf (err, err_len, "cannot listen on %s: %s", path, strerror (errno));
      if (s->listen_fd >= 0)
        close (s->listen_fd);
      free (s);
      return NULL;
    }
  return s;
}

static void
client_close (Client *c)
{
  if (c->fd >= 0)
    close (c->fd);
  free (c->buf);
  c->fd = -1;
  c->buf = NULL;
  c->len = c->cap = 0;
}

static void
accept_clients (SlgServer *s)
{
  while (true)
    {
      struct timeval tv = { .tv_sec = 1 };
      unsigned i;
      int fd = accept4 (s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

      if (fd < 0)
        return;
      for (i = 0; i < SLG_SERVER_MAX_CLIENTS; i++)
        if (s->clients[i].fd < 0)
          break;
      if (i == SLG_SERVER_MAX_CLIENTS)
        {
          close (fd);  /* too many clients: the newest one loses */
          continue;
        }
      /* A client that stops reading must not block the scheduler's loader. */
      setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
      s->clients[i].fd = fd;
    }
}

static bool
send_all (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t n = send (fd, data, len, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      data += n;
      len -= (size_t) n;
    }
  return true;
}

/* Answers one line; returns false if the client must be dropped. */
static bool
answer_line (Client *c, const char *line, size_t len, SlgServerHandler handler, void *user)
{
  SlgRequest *req = malloc (sizeof *req);
  char err[200];
  SlgJson j;
  const char *text;
  bool ok;

  if (!req)
    return false;
  slg_json_init (&j);
  if (slg_request_parse (line, len, req, err, sizeof err))
    handler (req, &j, user);
  else
    {
      char msg[256];
      snprintf (msg, sizeof msg, "invalid request: %s", err);
      slg_stats_write_error (&j, EINVAL, msg);
    }
  free (req);
  text = slg_json_finish (&j);
  if (!text)
    {
      slg_json_clear (&j);
      slg_stats_write_error (&j, ENOMEM, "cannot build the response");
      text = slg_json_finish (&j);
    }
  ok = text && send_all (c->fd, text, strlen (text)) && send_all (c->fd, "\n", 1);
  slg_json_clear (&j);
  return ok;
}

/* Reads what is available and answers every complete line. */
static int
serve_client (Client *c, SlgServerHandler handler, void *user)
{
  int answered = 0;
  char chunk[4096];
  ssize_t n = recv (c->fd, chunk, sizeof chunk, MSG_DONTWAIT);

  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      client_close (c);
      return 0;
    }
  if (n < 0)
    return 0;
  if (c->len + (size_t) n > c->cap)
    {
      size_t cap = c->cap ? c->cap : 4096;
      char *nb;
      while (cap < c->len + (size_t) n)
        cap *= 2;
      nb = realloc (c->buf, cap);
      if (!nb)
        {
          client_close (c);
          return 0;
        }
      c->buf = nb;
      c->cap = cap;
    }
  memcpy (c->buf + c->len, chunk, (size_t) n);
  c->len += (size_t) n;

  while (c->fd >= 0)
    {
      char *nl = memchr (c->buf, '\n', c->len);
      size_t line_len;

      if (!nl)
        {
          if (c->len > SLG_REQ_LINE_MAX)
            {
              SlgJson j;
              const char *t;
              slg_json_init (&j);
              slg_stats_write_error (&j, E2BIG, "request line too long");
              t = slg_json_finish (&j);
              if (t)
                {
                  send_all (c->fd, t, strlen (t));
                  send_all (c->fd, "\n", 1);
                }
              slg_json_clear (&j);
              client_close (c);
            }
          break;
        }
      line_len = (size_t) (nl - c->buf);
      if (line_len > 0 && c->buf[line_len - 1] == '\r')
        line_len--;
      if (line_len > 0)
        {
          if (!answer_line (c, c->buf, line_len, handler, user))
            {
              client_close (c);
              break;
            }
          answered++;
        }
      c->len -= (size_t) (nl - c->buf) + 1;
      memmove (c->buf, nl + 1, c->len);
    }
  return answered;
}

int
slg_server_poll (SlgServer *s, int timeout_ms, SlgServerHandler handler, void *user)
{
  struct pollfd fds[1 + SLG_SERVER_MAX_CLIENTS];
  int map[1 + SLG_SERVER_MAX_CLIENTS];
  nfds_t n = 0;
  int answered = 0, r;

  fds[n].fd = s->listen_fd;
  fds[n].events = POLLIN;
  map[n++] = -1;
  for (int i = 0; i < SLG_SERVER_MAX_CLIENTS; i++)
    if (s->clients[i].fd >= 0)
      {
        fds[n].fd = s->clients[i].fd;
        fds[n].events = POLLIN;
        map[n++] = i;
      }
  r = poll (fds, n, timeout_ms);
  if (r < 0)
    return errno == EINTR ? 0 : -1;
  for (nfds_t k = 1; k < n; k++)
    if (fds[k].revents)
      answered += serve_client (&s->clients[map[k]], handler, user);
  if (fds[0].revents & (POLLERR | POLLNVAL))
    return -1;
  if (fds[0].revents & POLLIN)
    accept_clients (s);
  return answered;
}

void
slg_server_free (SlgServer *s)
{
  if (!s)
    return;
  for (unsigned i = 0; i < SLG_SERVER_MAX_CLIENTS; i++)
    client_close (&s->clients[i]);
  close (s->listen_fd);
  unlink (s->path);
  free (s);
}
