/* scenario.c: the compact scenario the host compiled (one op per line) and its
 * execution: cgroups with cpusets, workers, steps and holds, with stimulus events
 * (StepStart/StepEnd) and per-cgroup results sent to the host.
 *
 * Compact format (written by the host, see vmm/runner/sl-scenario.c):
 *   add-cgroup NAME CPUS | remove-cgroup NAME | set-cpuset NAME CPUS |
 *   clear-cpuset NAME | spawn NAME TYPE COUNT NICE | stop NAME TYPE|* |
 *   affinity NAME CPUS | step | hold MS
 * CPUS is a cpu list or "-" (none). Ops before the first "step" are the setup. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AG_CGROUP_ROOT "/sys/fs/cgroup/sl"

typedef struct {
  char     name[AG_NAME_MAX];
  bool     used;
  bool     live;
  uint64_t cpu_usec;     /* captured when removed */
} AgCgroup;

static AgCgroup cgroups[AG_MAX_CGROUPS];
static uint64_t scenario_start_ms;

int
ag_scenario_load (const char *path, AgScenario *sc, char *err, size_t errlen)
{
  FILE *f = fopen (path, "re");
  if (f == NULL)
    {
      snprintf (err, errlen, "no scenario at %s: %s", path, strerror (errno));
      return -1;
    }
  char line[512];
  int lineno = 0;
  sc->n_ops = 0;
  sc->n_steps = 0;
  while (fgets (line, sizeof line, f) != NULL)
    {
      lineno++;
      line[strcspn (line, "\r\n")] = '\0';
      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (sc->n_ops >= AG_MAX_OPS)
        {
          snprintf (err, errlen, "scenario line %d: more than %d ops", lineno, AG_MAX_OPS);
          fclose (f);
          return -1;
        }
      AgOp *op = &sc->ops[sc->n_ops];
      memset (op, 0, sizeof *op);
      char verb[32] = "", a[AG_NAME_MAX] = "", b[128] = "";
      int c = 0, d = 0;
      int n = sscanf (line, "%31s %47s %127s %d %d", verb, a, b, &c, &d);
      bool ok = n >= 1;
      if (strcmp (verb, "step") == 0)
        {
          op->kind = AG_OP_STEP;
          sc->n_steps++;
        }
      else if (strcmp (verb, "hold") == 0 && n >= 2)
        {
          op->kind = AG_OP_HOLD;
          op->ms = strtoull (a, NULL, 10);
        }
      else if (strcmp (verb, "add-cgroup") == 0 && n >= 3)
        op->kind = AG_OP_ADD_CGROUP;
      else if (strcmp (verb, "remove-cgroup") == 0 && n >= 2)
        op->kind = AG_OP_REMOVE_CGROUP;
      else if (strcmp (verb, "set-cpuset") == 0 && n >= 3)
        op->kind = AG_OP_SET_CPUSET;
      else if (strcmp (verb, "clear-cpuset") == 0 && n >= 2)
        op->kind = AG_OP_CLEAR_CPUSET;
      else if (strcmp (verb, "affinity") == 0 && n >= 3)
        op->kind = AG_OP_AFFINITY;
      else if (strcmp (verb, "spawn") == 0 && n >= 5)
        {
          op->kind = AG_OP_SPAWN;
          op->work = ag_work_type_parse (b);
          op->count = c;
          op->nice_value = d;
          ok = op->work >= 0 && c > 0 && c <= AG_MAX_WORKERS && d >= -20 && d <= 19;
        }
      else if (strcmp (verb, "stop") == 0 && n >= 3)
        {
          op->kind = AG_OP_STOP;
          op->work = strcmp (b, "*") == 0 ? -1 : ag_work_type_parse (b);
          ok = strcmp (b, "*") == 0 || op->work >= 0;
        }
      else
        ok = false;
      if (!ok)
        {
          snprintf (err, errlen, "compact scenario line %d not understood: %s", lineno, line);
          fclose (f);
          return -1;
        }
      snprintf (op->cgroup, sizeof op->cgroup, "%s", a);
      if (op->kind != AG_OP_SPAWN && op->kind != AG_OP_STOP)
        snprintf (op->cpus, sizeof op->cpus, "%s", strcmp (b, "-") == 0 ? "" : b);
      sc->n_ops++;
    }
  fclose (f);
  return 0;
}

static int
find_cgroup (const char *name)
{
  for (int i = 0; i < AG_MAX_CGROUPS; i++)
    if (cgroups[i].used && strcmp (cgroups[i].name, name) == 0)
      return i;
  return -1;
}

static void
cgroup_dir (int cg, char *out, size_t len)
{
  snprintf (out, len, AG_CGROUP_ROOT "/%s", cgroups[cg].name);
}

static int
write_file (const char *path, const char *value)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return -1;
  ssize_t n = write (fd, value, strlen (value));
  int e = errno;
  close (fd);
  errno = e;
  return n < 0 ? -1 : 0;
}

static uint64_t
cgroup_cpu_usec (int cg)
{
  char path[256], buf[1024];
  cgroup_dir (cg, path, sizeof path);
  strncat (path, "/cpu.stat", sizeof path - strlen (path) - 1);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return UINT64_MAX;
  ssize_t n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return UINT64_MAX;
  buf[n] = '\0';
  char *p = strstr (buf, "usage_usec ");
  return p ? strtoull (p + 11, NULL, 10) : UINT64_MAX;
}

static void
set_cpuset (int cg, const char *cpus)
{
  char path[256];
  cgroup_dir (cg, path, sizeof path);
  strncat (path, "/cpuset.cpus", sizeof path - strlen (path) - 1);
  if (write_file (path, cpus[0] ? cpus : "\n") != 0)
    ag_log ("cgroup %s: cannot set cpuset.cpus to '%s': %s", cgroups[cg].name, cpus, strerror (errno));
}

static bool
parse_cpu_list (const char *list, cpu_set_t *set)
{
  CPU_ZERO (set);
  const char *p = list;
  while (*p)
    {
      char *end;
      long a = strtol (p, &end, 10), b = a;
      if (end == p)
        return false;
      p = end;
      if (*p == '-')
        {
          b = strtol (p + 1, &end, 10);
          p = end;
        }
      if (a < 0 || b < a || b >= CPU_SETSIZE)
        return false;
      for (long c = a; c <= b; c++)
        CPU_SET ((int) c, set);
      if (*p == ',')
        p++;
      else if (*p)
        return false;
    }
  return true;
}

static void
set_affinity (int cg, const char *cpus)
{
  cpu_set_t set;
  if (cpus[0] == '\0')
    {
      CPU_ZERO (&set);
      for (int c = 0; c < CPU_SETSIZE; c++)
        CPU_SET (c, &set);
    }
  else if (!parse_cpu_list (cpus, &set))
    {
      ag_log ("affinity: bad cpu list '%s'", cpus);
      return;
    }
  char path[256];
  cgroup_dir (cg, path, sizeof path);
  strncat (path, "/cgroup.procs", sizeof path - strlen (path) - 1);
  FILE *f = fopen (path, "re");
  if (f == NULL)
    return;
  int pid, n = 0;
  while (fscanf (f, "%d", &pid) == 1 && n++ < 4096)
    if (sched_setaffinity (pid, sizeof set, &set) != 0 && errno != ESRCH)
      ag_log ("affinity of %d to '%s': %s", pid, cpus, strerror (errno));
  fclose (f);
}

static void
stop_workers (int cg, int work)
{
  for (int i = 0; i < AG_MAX_WORKERS; i++)
    {
      AgWorkerSlot *s = ag_worker_slot (i);
      if (s->pid != 0 && s->alive && s->cgroup == cg && (work < 0 || s->type == work))
        ag_worker_stop (i);
    }
}

static void
run_op (const AgOp *op)
{
  int cg = find_cgroup (op->cgroup);
  if (op->kind == AG_OP_ADD_CGROUP)
    {
      if (cg >= 0 && cgroups[cg].live)
        {
          ag_log ("add-cgroup %s: already exists", op->cgroup);
          return;
        }
      if (cg < 0)
        for (int i = 0; i < AG_MAX_CGROUPS && cg < 0; i++)
          if (!cgroups[i].used)
            cg = i;
      if (cg < 0)
        {
          ag_log ("add-cgroup %s: too many cgroups", op->cgroup);
          return;
        }
      cgroups[cg].used = true;
      cgroups[cg].live = true;
      snprintf (cgroups[cg].name, sizeof cgroups[cg].name, "%s", op->cgroup);
      char path[256];
      cgroup_dir (cg, path, sizeof path);
      if (mkdir (path, 0755) != 0 && errno != EEXIST)
        ag_log ("mkdir %s: %s", path, strerror (errno));
      if (op->cpus[0])
        set_cpuset (cg, op->cpus);
      return;
    }
  if (cg < 0 || !cgroups[cg].live)
    {
      ag_log ("%s: no live cgroup '%s'", op->kind == AG_OP_SPAWN ? "spawn" : "op", op->cgroup);
      return;
    }
  char dir[256];
  cgroup_dir (cg, dir, sizeof dir);
  switch (op->kind)
    {
    case AG_OP_REMOVE_CGROUP:
      stop_workers (cg, -1);
      cgroups[cg].cpu_usec = cgroup_cpu_usec (cg);
      for (int tries = 0; tries < 50 && rmdir (dir) != 0 && errno == EBUSY; tries++)
        usleep (10000);
      cgroups[cg].live = false;
      break;
    case AG_OP_SET_CPUSET:
      set_cpuset (cg, op->cpus);
      break;
    case AG_OP_CLEAR_CPUSET:
      set_cpuset (cg, "");
      break;
    case AG_OP_SPAWN:
      for (int i = 0; i < op->count; i++)
        if (ag_worker_spawn (cg, dir, (AgWorkType) op->work, op->nice_value) < 0)
          {
            ag_log ("spawn %s in %s: no free worker slot or fork failed", ag_work_type_name ((AgWorkType) op->work), op->cgroup);
            break;
          }
      break;
    case AG_OP_STOP:
      stop_workers (cg, op->work);
      break;
    case AG_OP_AFFINITY:
      set_affinity (cg, op->cpus);
      break;
    default:
      break;
    }
}

static void
stimulus (const char *type, int step_index)
{
  AgJson *m = ag_msg_begin (type);
  ag_msg_u64 (m, "elapsed_ms", ag_now_ms () - scenario_start_ms);
  if (step_index >= 0)
    ag_msg_u64 (m, "step", (uint64_t) step_index);
  ag_msg_u64 (m, "iters", ag_workers_total_iterations ());
  ag_msg_send (m);
}

int
ag_scenario_run (const AgScenario *sc, void (*poll_fn) (int timeout_ms))
{
  mkdir (AG_CGROUP_ROOT, 0755);
  if (write_file ("/sys/fs/cgroup/cgroup.subtree_control", "+cpuset +cpu") != 0)
    ag_log ("cannot enable cpuset/cpu controllers at the root: %s", strerror (errno));
  if (write_file (AG_CGROUP_ROOT "/cgroup.subtree_control", "+cpuset +cpu") != 0)
    ag_log ("cannot enable cpuset/cpu controllers in " AG_CGROUP_ROOT ": %s", strerror (errno));

  int step = 0;   /* 0 = setup/BASELINE; k+1 = Step k */
  bool announced = false;
  for (int i = 0; i < sc->n_ops; i++)
    {
      const AgOp *op = &sc->ops[i];
      if (op->kind == AG_OP_STEP)
        {
          if (!announced)
            {
              scenario_start_ms = ag_now_ms ();
              stimulus ("scenario_start", -1);
              announced = true;
            }
          else
            stimulus ("step_end", step);
          step++;
          stimulus ("step_start", step);
          continue;
        }
      if (op->kind == AG_OP_HOLD)
        {
          if (!announced)
            {
              scenario_start_ms = ag_now_ms ();
              stimulus ("scenario_start", -1);
              announced = true;
            }
          uint64_t end = ag_now_ms () + op->ms;
          for (uint64_t now; (now = ag_now_ms ()) < end;)
            poll_fn ((int) (end - now < 50 ? end - now : 50));
          continue;
        }
      run_op (op);
      poll_fn (0);
    }
  if (!announced)
    {
      scenario_start_ms = ag_now_ms ();
      stimulus ("scenario_start", -1);
    }
  if (step > 0)
    stimulus ("step_end", step);
  stimulus ("terminal", -1);

  /* Results per cgroup, then stop everything. */
  for (int cg = 0; cg < AG_MAX_CGROUPS; cg++)
    {
      if (!cgroups[cg].used)
        continue;
      stop_workers (cg, -1);
      uint64_t spawned = 0, iters = ag_workers_cgroup_iterations (cg, &spawned);
      uint64_t usec = cgroups[cg].live ? cgroup_cpu_usec (cg) : cgroups[cg].cpu_usec;
      AgJson *m = ag_msg_begin ("cgroup");
      ag_msg_str (m, "name", cgroups[cg].name);
      ag_msg_u64 (m, "iters", iters);
      ag_msg_u64 (m, "workers", spawned);
      if (usec != UINT64_MAX)
        ag_msg_u64 (m, "cpu_us", usec);
      ag_msg_send (m);
    }
  return 0;
}
