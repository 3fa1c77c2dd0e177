/* sl-sched-loader.c: `sl-sched`, the loader of the bundled sched_ext
 * schedulers. It runs in the guest as a static binary:
 *
 *   sl-sched --scheduler sl_fifo|sl_vtime [--bug=MODE] [--timeout-ms N]
 *            [--stats-socket PATH] [--cgroup-root DIR] [--duration-ms N]
 *
 * It loads and attaches the scheduler, serves scx_stats on the socket until
 * SIGINT/SIGTERM, --duration-ms, or the kernel disabling the scheduler, and
 * then prints one machine-readable line for the guest agent to relay:
 *
 *   SCHEDLAB-EXIT {"kind":1026,"kind_name":"SCX_EXIT_ERROR_STALL",...}
 *
 * Exit status: 0 stopped on request, 1 could not start, 2 the kernel
 * disabled the scheduler on its own (error exit kinds, >= 1024), 3 other
 * unexpected end.
 */
#include "sl-sched-bpf.h"
#include "sl-sched-cgroup.h"
#include "sl-sched-server.h"
#include "sl-sched-shared.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXIT_LINE_PREFIX "SCHEDLAB-EXIT "
#define EVENT_LINE_PREFIX "SCHEDLAB-SCHED "

typedef struct
{
  const char *scheduler;
  const char *bug;            /* as given, for reports */
  enum sl_bug_mode bug_mode;
  const char *starve_cgroup;
  uint32_t timeout_ms;
  const char *socket_path;
  const char *cgroup_root;
  uint64_t duration_ms;
} Options;

typedef struct
{
  Options *opt;
  SlgSched *sched;
  uint64_t attach_ns;
  SlgCgroupName *names;       /* scratch for id -> path */
} Loader;

static volatile sig_atomic_t stop_requested;

static void
on_signal (int sig)
{
  (void) sig;
  stop_requested = 1;
}

static uint64_t
now_ns (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

static double
ms_since (uint64_t t0)
{
  return (double) (now_ns () - t0) / 1e6;
}

static void
usage (FILE *f)
{
  fprintf (f,
           "usage: sl-sched --scheduler NAME [options]\n"
           "  --scheduler NAME      one of:");
  for (const SlgEmbeddedObject *o = slg_embedded_objects; o->name; o++)
    fprintf (f, " %s", o->name);
  fprintf (f,
           "\n"
           "  --bug=MODE            stall | starve-cgroup=CGROUP | counter-regress | imbalance\n"
           "  --timeout-ms N        watchdog timeout of the ops (default: kernel's; stall: 3000)\n"
           "  --stats-socket PATH   scx_stats socket (default " SLG_STATS_SOCKET_DEFAULT ")\n"
           "  --cgroup-root DIR     cgroup2 mount (default " SLG_CGROUP_ROOT_DEFAULT ")\n"
           "  --duration-ms N       detach after N ms (default: run until SIGINT/SIGTERM)\n");
}

static bool
parse_u64 (const char *s, uint64_t max, uint64_t *out)
{
  char *end;
  unsigned long long v;

  errno = 0;
  v = strtoull (s, &end, 10);
  if (errno || end == s || *end || s[0] == '-' || v > max)
    return false;
  *out = v;
  return true;
}

static bool
parse_bug (Options *o, const char *arg)
{
  o->bug = arg;
  if (strcmp (arg, "none") == 0)
    o->bug_mode = SL_BUG_NONE;
  else if (strcmp (arg, "stall") == 0)
    o->bug_mode = SL_BUG_STALL;
  else if (strcmp (arg, "counter-regress") == 0)
    o->bug_mode = SL_BUG_COUNTER_REGRESS;
  else if (strcmp (arg, "imbalance") == 0)
    o->bug_mode = SL_BUG_IMBALANCE;
  else if (strncmp (arg, "starve-cgroup=", 14) == 0 && arg[14])
    {
      o->bug_mode = SL_BUG_STARVE_CGROUP;
      o->starve_cgroup = arg + 14;
    }
  else
    return false;
  return true;
}

static int
parse_options (int argc, char **argv, Options *o)
{
  static const struct option longopts[] = {
    { "scheduler", required_argument, NULL, 's' },
    { "bug", required_argument, NULL, 'b' },
    { "timeout-ms", required_argument, NULL, 't' },
    { "stats-socket", required_argument, NULL, 'S' },
    { "cgroup-root", required_argument, NULL, 'c' },
    { "duration-ms", required_argument, NULL, 'd' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
  };
  const char *base = strrchr (argv[0], '/');
  uint64_t v;
  int c;

  *o = (Options) {
    .bug = "none",
    .socket_path = SLG_STATS_SOCKET_DEFAULT,
    .cgroup_root = SLG_CGROUP_ROOT_DEFAULT,
  };
  /* Installed under a scheduler's name, the binary runs that scheduler. */
  base = base ? base + 1 : argv[0];
  for (const SlgEmbeddedObject *e = slg_embedded_objects; e->name; e++)
    if (strcmp (base, e->name) == 0)
      o->scheduler = e->name;

  while ((c = getopt_long (argc, argv, "s:b:t:S:c:d:h", longopts, NULL)) != -1)
    {
      switch (c)
        {
        case 's': o->scheduler = optarg; break;
        case 'b':
          if (!parse_bug (o, optarg))
            {
              fprintf (stderr, "sl-sched: unknown --bug mode '%s'\n", optarg);
              return 1;
            }
          break;
        case 't':
          if (!parse_u64 (optarg, 600000, &v) || v == 0)
            {
              fprintf (stderr, "sl-sched: --timeout-ms wants 1..600000, got '%s'\n", optarg);
              return 1;
            }
          o->timeout_ms = (uint32_t) v;
          break;
        case 'S': o->socket_path = optarg; break;
        case 'c': o->cgroup_root = optarg; break;
        case 'd':
          if (!parse_u64 (optarg, UINT64_MAX / 1000000, &v))
            {
              fprintf (stderr, "sl-sched: --duration-ms wants a number, got '%s'\n", optarg);
              return 1;
            }
          o->duration_ms = v;
          break;
        case 'h': usage (stdout); return -1;
        default: usage (stderr); return 1;
        }
    }
  if (optind < argc)
    {
      fprintf (stderr, "sl-sched: unexpected argument '%s'\n", argv[optind]);
      return 1;
    }
  if (!o->scheduler)
    {
      usage (stderr);
      return 1;
    }
  if (o->bug_mode == SL_BUG_STALL && o->timeout_ms == 0)
    o->timeout_ms = 3000;
  return 0;
}

static void
fill_cgroup_paths (Loader *l, SlgSchedSnapshot *snap)
{
  unsigned n;

  if (snap->n_cgroups == 0)
    return;
  n = slg_cgroup_scan (l->opt->cgroup_root, l->names, SLG_MAX_CGROUPS);
  for (unsigned g = 0; g < snap->n_cgroups; g++)
    {
      snap->cgroups[g].path[0] = '\0';
      for (unsigned i = 0; i < n; i++)
        if (l->names[i].id == snap->cgroups[g].cgid)
          {
            memcpy (snap->cgroups[g].path, l->names[i].path, sizeof snap->cgroups[g].path);
            break;
          }
    }
}

static void
handle_request (const SlgRequest *req, SlgJson *out, void *user)
{
  Loader *l = user;

  if (strcmp (req->req, "stats") == 0)
    {
      const char *target = slg_request_arg (req, "target");
      SlgSchedSnapshot snap = { 0 };

      if (target && strcmp (target, "top") != 0 && strcmp (target, "sl_sched_stats") != 0)
        {
          char msg[SLG_REQ_STR_MAX + 40];
          snprintf (msg, sizeof msg, "unknown stats target \"%s\"", target);
          slg_stats_write_error (out, EINVAL, msg);
          return;
        }
      snap.scheduler = slg_sched_ops_name (l->sched);
      snap.bug = l->opt->bug;
      snap.uptime_ms = (now_ns () - l->attach_ns) / 1000000u;
      slg_sched_snapshot (l->sched, &snap);
      fill_cgroup_paths (l, &snap);
      slg_stats_write_stats (out, &snap);
    }
  else if (strcmp (req->req, "stats_meta") == 0)
    slg_stats_write_meta (out, slg_sched_counter_names (l->sched),
                          slg_sched_has_cgroups (l->sched));
  else
    {
      char msg[SLG_REQ_STR_MAX + 40];
      snprintf (msg, sizeof msg, "unknown request \"%s\"", req->req);
      slg_stats_write_error (out, EINVAL, msg);
    }
}

static const char *
exit_kind_name (int64_t kind)
{
  switch (kind)
    {
    case 0: return "SCX_EXIT_NONE";
    case 1: return "SCX_EXIT_DONE";
    case 64: return "SCX_EXIT_UNREG";
    case 65: return "SCX_EXIT_UNREG_BPF";
    case 66: return "SCX_EXIT_UNREG_KERN";
    case 67: return "SCX_EXIT_SYSRQ";
    case 68: return "SCX_EXIT_PARENT";
    case 1024: return "SCX_EXIT_ERROR";
    case 1025: return "SCX_EXIT_ERROR_BPF";
    case 1026: return "SCX_EXIT_ERROR_STALL";
    default: return "SCX_EXIT_UNKNOWN";
    }
}

/* Copies a .bss string that the kernel side may still be writing: bounded
 * and always terminated. */
static void
copy_bss_str (SlgSched *s, const char *name, char *out, size_t cap)
{
  size_t size = 0, i;
  volatile char *p = slg_sched_bss_str (s, name, &size);

  for (i = 0; p && i < size && i + 1 < cap && p[i]; i++)
    out[i] = p[i];
  out[i] = '\0';
}

static void
print_exit (Loader *l, const char *ended_by)
{
  volatile uint64_t *seen = slg_sched_bss_u64 (l->sched, "exit_seen");
  volatile uint64_t *kind = slg_sched_bss_u64 (l->sched, "exit_kind");
  volatile uint64_t *code = slg_sched_bss_u64 (l->sched, "exit_code");
  volatile uint64_t *victim = slg_sched_bss_u64 (l->sched, "victim_pid");
  char reason[SL_EXIT_REASON_LEN], msg[SL_EXIT_MSG_LEN];
  int64_t k = (seen && *seen && kind) ? (int64_t) *kind : 0;
  SlgJson j;
  const char *text;

  copy_bss_str (l->sched, "exit_reason", reason, sizeof reason);
  copy_bss_str (l->sched, "exit_msg", msg, sizeof msg);
  slg_json_init (&j);
  slg_json_begin_object (&j);
  slg_json_kv_string (&j, "scheduler", slg_sched_ops_name (l->sched));
  slg_json_kv_string (&j, "bug", l->opt->bug);
  slg_json_kv_i64 (&j, "kind", k);
  slg_json_kv_string (&j, "kind_name", exit_kind_name (k));
  slg_json_kv_i64 (&j, "exit_code", code && seen && *seen ? (int64_t) *code : 0);
  slg_json_kv_string (&j, "reason", reason);
  slg_json_kv_string (&j, "message", msg);
  slg_json_kv_string (&j, "ended_by", ended_by);
  slg_json_kv_u64 (&j, "uptime_ms", (now_ns () - l->attach_ns) / 1000000u);
  if (victim && *victim)
    slg_json_kv_u64 (&j, "stall_victim_pid", *victim);
  slg_json_end_object (&j);
  text = slg_json_finish (&j);
  if (text)
    printf (EXIT_LINE_PREFIX "%s\n", text);
  fflush (stdout);
  slg_json_clear (&j);
}

static void
print_attached (Loader *l, double load_ms, double attach_ms)
{
  SlgJson j;
  const char *text;
  char ms[32];

  slg_json_init (&j);
  slg_json_begin_object (&j);
  slg_json_kv_string (&j, "event", "attached");
  slg_json_kv_string (&j, "scheduler", slg_sched_ops_name (l->sched));
  slg_json_kv_string (&j, "bug", l->opt->bug);
  slg_json_kv_string (&j, "stats_socket", l->opt->socket_path);
  slg_json_kv_i64 (&j, "pid", getpid ());
  slg_json_kv_u64 (&j, "timeout_ms", l->opt->timeout_ms);  /* 0: the kernel's default */
  snprintf (ms, sizeof ms, "%s", libbpf_version_string ());
  slg_json_kv_string (&j, "libbpf", ms);
  slg_json_key (&j, "load_ms");
  slg_json_double (&j, load_ms);
  slg_json_key (&j, "attach_ms");
  slg_json_double (&j, attach_ms);
  slg_json_end_object (&j);
  text = slg_json_finish (&j);
  if (text)
    printf (EVENT_LINE_PREFIX "%s\n", text);
  fflush (stdout);
  slg_json_clear (&j);
}

/* starve-cgroup: (re)resolve the victim cgroup, which the workload may
 * create after the scheduler started, or recreate. */
static void
refresh_starve_cgroup (Loader *l)
{
  volatile uint64_t *cgid = slg_sched_bss_u64 (l->sched, "bug_cgid");
  uint64_t id = 0;

  if (!cgid || l->opt->bug_mode != SL_BUG_STARVE_CGROUP)
    return;
  if (slg_cgroup_resolve (l->opt->cgroup_root, l->opt->starve_cgroup, &id))
    *cgid = id;
}

int
main (int argc, char **argv)
{
  const SlgEmbeddedObject *emb = NULL;
  Options opt;
  Loader l = { 0 };
  SlgServer *server;
  struct sigaction sa = { .sa_handler = on_signal };
  volatile uint64_t *exit_seen, *bug_mode, *loader_tgid;
  char err[512];
  const char *ended_by = "request";
  uint64_t t0, t1;
  int rc, status = 0;

  setvbuf (stdout, NULL, _IOLBF, 0);
  rc = parse_options (argc, argv, &opt);
  if (rc)
    return rc < 0 ? 0 : 1;
  for (const SlgEmbeddedObject *e = slg_embedded_objects; e->name; e++)
    if (strcmp (opt.scheduler, e->name) == 0)
      emb = e;
  if (!emb)
    {
      fprintf (stderr, "sl-sched: unknown scheduler '%s'\n", opt.scheduler);
      usage (stderr);
      return 1;
    }
  l.opt = &opt;
  l.names = calloc (SLG_MAX_CGROUPS, sizeof *l.names);
  if (!l.names)
    return 1;

  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);

  t0 = now_ns ();
  l.sched = slg_sched_load (emb, &opt.timeout_ms, err, sizeof err);
  if (!l.sched)
    {
      fprintf (stderr, "sl-sched: %s\n", err);
      free (l.names);
      return 1;
    }
  t1 = now_ns ();

  /* Knobs go into .bss between load and attach. */
  bug_mode = slg_sched_bss_u64 (l.sched, "bug_mode");
  loader_tgid = slg_sched_bss_u64 (l.sched, "loader_tgid");
  exit_seen = slg_sched_bss_u64 (l.sched, "exit_seen");
  if (!bug_mode || !loader_tgid || !exit_seen)
    {
      fprintf (stderr, "sl-sched: the %s object lacks the loader's .bss variables\n", emb->name);
      slg_sched_free (l.sched);
      free (l.names);
      return 1;
    }
  *bug_mode = opt.bug_mode;
  *loader_tgid = (uint64_t) getpid ();
  refresh_starve_cgroup (&l);

  server = slg_server_new (opt.socket_path, err, sizeof err);
  if (!server)
    {
      fprintf (stderr, "sl-sched: %s\n", err);
      slg_sched_free (l.sched);
      free (l.names);
      return 1;
    }

  if (!slg_sched_attach (l.sched, err, sizeof err))
    {
      fprintf (stderr, "sl-sched: %s\n", err);
      slg_server_free (server);
      slg_sched_free (l.sched);
      free (l.names);
      return 1;
    }
  l.attach_ns = now_ns ();
  print_attached (&l, (double) (t1 - t0) / 1e6, ms_since (t1));

  while (!stop_requested)
    {
      if (*exit_seen)
        {
          ended_by = "kernel";
          break;
        }
      if (opt.duration_ms && now_ns () - l.attach_ns >= opt.duration_ms * 1000000u)
        {
          ended_by = "duration";
          break;
        }
      if (slg_server_poll (server, 100, handle_request, &l) < 0)
        {
          fprintf (stderr, "sl-sched: the stats socket failed; stopping\n");
          ended_by = "stats-socket-error";
          status = 3;
          break;
        }
      refresh_starve_cgroup (&l);
    }
  if (stop_requested)
    ended_by = "signal";

  {
    /* Detach now so ops.exit has run (unregistration is synchronous) before
     * the exit record is printed; detaching an ejected scheduler is harmless. */
    uint64_t td = now_ns ();
    bool was_seen = *exit_seen != 0;
    volatile uint64_t *kind = slg_sched_bss_u64 (l.sched, "exit_kind");
    slg_sched_detach (l.sched);
    fprintf (stderr, "sl-sched: detached in %.1f ms\n", ms_since (td));
    print_exit (&l, ended_by);
    if (was_seen && kind && (int64_t) *kind >= 1024)
      status = 2;
    else if (was_seen && status == 0 && strcmp (ended_by, "kernel") == 0)
      status = 3;
  }
  slg_server_free (server);
  slg_sched_free (l.sched);
  free (l.names);
  return status;
}
