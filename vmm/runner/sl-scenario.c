/* sl-scenario.c: scenario file parser, validator and compiler. */
#include "sl-scenario.h"
#include "sl-types.h"
#include "sl-scenario-resources.h"

#include <gio/gio.h>
#include <string.h>

#define SL_SCENARIO_MAX_BYTES  (256 * 1024)
#define SL_SCENARIO_MAX_LINES  4096
#define SL_SCENARIO_MAX_STEPS  64
#define SL_SCENARIO_MAX_OPS    480      /* the guest takes 512 compact lines */
#define SL_SCENARIO_MAX_CGROUPS 32
#define SL_SCENARIO_MAX_COUNT  64
#define SL_SCENARIO_MAX_WORKERS 256
#define SL_SCENARIO_MAX_HOLD_MS (24ull * 3600 * 1000)

static const char *const work_names[SL_WORK_COUNT] = {
  "CpuSpin", "YieldHeavy", "Mixed", "IoSync", "Bursty",
  "PipeIo", "FutexPingPong", "ForkExit", "NiceSweep", "AffinityChurn",
};

static const char *const builtin_names[] = { "steady", "two-cgroups", "cpuset-shuffle", "fork-storm", NULL };

const char *
sl_work_type_name (SlWorkType t)
{
  return (guint) t < SL_WORK_COUNT ? work_names[t] : "?";
}

gboolean
sl_work_type_parse (const char *name, SlWorkType *out)
{
  for (guint i = 0; i < SL_WORK_COUNT; i++)
    if (g_ascii_strcasecmp (name, work_names[i]) == 0)
      {
        *out = (SlWorkType) i;
        return TRUE;
      }
  return FALSE;
}

const char *const *
sl_scenario_builtin_names (void)
{
  return builtin_names;
}

static void
op_free (SlScenarioOp *op)
{
  if (op == NULL)
    return;
  g_free (op->cgroup);
  g_free (op->cpus);
  g_free (op);
}

static void
step_free (SlScenarioStep *st)
{
  if (st == NULL)
    return;
  g_free (st->name);
  g_ptr_array_unref (st->ops);
  g_free (st);
}

void
sl_scenario_free (SlScenario *sc)
{
  if (sc == NULL)
    return;
  g_free (sc->name);
  g_free (sc->description);
  g_free (sc->source);
  g_free (sc->text);
  g_ptr_array_unref (sc->setup);
  g_ptr_array_unref (sc->steps);
  g_free (sc);
}

typedef struct {
  const char *source;
  guint       line;
  GError    **error;
} Ctx;

static gboolean G_GNUC_PRINTF (3, 4)
fail (Ctx *c, const char *field, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (c->error, SL_ERROR, SL_ERROR_SPEC, "%s:%u: %s: %s", c->source, c->line, field, msg);
  return FALSE;
}

static gboolean
valid_name (const char *s)
{
  gsize n = strlen (s);
  if (n == 0 || n > 47)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Cpu list "0-3,6": returns the highest CPU, or -1 when malformed. */
static gint
cpu_list_max (const char *s)
{
  gint max = -1;
  const char *p = s;
  if (*p == '\0')
    return -1;
  while (*p)
    {
      char *end;
      guint64 a = g_ascii_strtoull (p, &end, 10), b = a;
      if (end == p || !g_ascii_isdigit (*p))
        return -1;
      p = end;
      if (*p == '-')
        {
          if (!g_ascii_isdigit (p[1]))
            return -1;
          b = g_ascii_strtoull (p + 1, &end, 10);
          p = end;
        }
      if (b < a || b > 4095)
        return -1;
      max = MAX (max, (gint) b);
      if (*p == ',')
        {
          p++;
          if (*p == '\0')
            return -1;
        }
      else if (*p != '\0')
        return -1;
    }
  return max;
}

/* "500ms", "2s", "1.5s", "2m", or "25%" (of the run duration). */
static gboolean
parse_duration (Ctx *c, const char *field, const char *s, guint64 *ms, guint *permille, gboolean allow_percent)
{
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (end == s || !(v >= 0) || v > 1e9)
    return fail (c, field, "expected a duration like 500ms, 2s or 25%%, got '%s'", s);
  *ms = 0;
  if (permille)
    *permille = 0;
  if (g_str_equal (end, "%"))
    {
      if (!allow_percent)
        return fail (c, field, "a percentage is not allowed here ('%s')", s);
      if (v <= 0 || v > 100)
        return fail (c, field, "percentage must be in (0, 100], got '%s'", s);
      *permille = (guint) (v * 10 + 0.5);
      if (*permille == 0)
        return fail (c, field, "percentage '%s' is below 0.1%%", s);
      return TRUE;
    }
  double mult;
  if (g_str_equal (end, "ms"))
    mult = 1;
  else if (g_str_equal (end, "s"))
    mult = 1000;
  else if (g_str_equal (end, "m"))
    mult = 60000;
  else
    return fail (c, field, "unknown unit in '%s' (ms, s, m or %%)", s);
  double r = v * mult;
  if (r < 1 || r > (double) SL_SCENARIO_MAX_HOLD_MS)
    return fail (c, field, "'%s' is out of range (1 ms to 24 h)", s);
  *ms = (guint64) (r + 0.5);
  return TRUE;
}

static gboolean
parse_uint (Ctx *c, const char *field, const char *s, guint64 min, guint64 max, guint64 *out)
{
  guint64 v;
  if (!g_ascii_string_to_unsigned (s, 10, min, max, &v, NULL))
    return fail (c, field, "expected an integer in [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "], got '%s'", min, max, s);
  *out = v;
  return TRUE;
}

/* key=value options after the positional words. */
static const char *
opt_value (char **words, guint from, const char *key)
{
  gsize klen = strlen (key);
  for (guint i = from; words[i]; i++)
    if (strncmp (words[i], key, klen) == 0 && words[i][klen] == '=')
      return words[i] + klen + 1;
  return NULL;
}

static gboolean
check_opts (Ctx *c, char **words, guint from, const char *const *allowed)
{
  for (guint i = from; words[i]; i++)
    {
      const char *eq = strchr (words[i], '=');
      if (eq == NULL)
        return fail (c, words[0], "unexpected word '%s'", words[i]);
      g_autofree char *key = g_strndup (words[i], eq - words[i]);
      gboolean ok = FALSE;
      for (guint k = 0; allowed[k]; k++)
        ok |= g_str_equal (allowed[k], key);
      if (!ok)
        return fail (c, key, "unknown option for '%s'", words[0]);
    }
  return TRUE;
}

static gboolean
need_words (Ctx *c, char **words, guint n, const char *usage)
{
  if (g_strv_length (words) < n)
    return fail (c, words[0], "missing argument (usage: %s)", usage);
  return TRUE;
}

/* Parses one op line. `live` tracks which cgroups exist at this point. */
static SlScenarioOp *
parse_op (Ctx *c, char **w, GHashTable *live, gboolean in_step)
{
  g_autoptr(GPtrArray) holder = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  SlScenarioOp *op = g_new0 (SlScenarioOp, 1);
  g_ptr_array_add (holder, op);
  op->line = c->line;
  op->work = -1;
  const char *verb = w[0];
  static const char *const no_opts[] = { NULL };

  static const char *const verbs[] = { "add-cgroup", "remove-cgroup", "set-cpuset", "clear-cpuset", "spawn",
                                       "stop", "affinity", "hold", NULL };
  if (!g_strv_contains (verbs, verb))
    return fail (c, "op", "unknown '%s' (add-cgroup, remove-cgroup, set-cpuset, clear-cpuset, spawn, stop, "
                 "affinity, hold)", verb), NULL;
  if (g_str_equal (verb, "hold"))
    {
      if (!in_step)
        return fail (c, "hold", "a hold belongs inside a step"), NULL;
      if (!need_words (c, w, 2, "hold DURATION") || !check_opts (c, w, 2, no_opts))
        return NULL;
      op->kind = SL_SCENARIO_OP_HOLD;
      if (!parse_duration (c, "hold", w[1], &op->hold_ms, &op->hold_permille, TRUE))
        return NULL;
      return g_ptr_array_steal_index (holder, 0);
    }

  if (!need_words (c, w, 2, "OP CGROUP ..."))
    return NULL;
  if (!valid_name (w[1]))
    return fail (c, "cgroup", "invalid name '%s' (1-47 letters, digits, '-' or '_')", w[1]), NULL;
  op->cgroup = g_strdup (w[1]);
  gboolean exists = g_hash_table_contains (live, w[1]);

  if (g_str_equal (verb, "add-cgroup"))
    {
      static const char *const opts[] = { "cpuset", NULL };
      if (!check_opts (c, w, 2, opts))
        return NULL;
      if (exists)
        return fail (c, "cgroup", "'%s' already exists", w[1]), NULL;
      if (g_hash_table_size (live) >= SL_SCENARIO_MAX_CGROUPS)
        return fail (c, "cgroup", "more than %d cgroups", SL_SCENARIO_MAX_CGROUPS), NULL;
      op->kind = SL_SCENARIO_OP_ADD_CGROUP;
      const char *cs = opt_value (w, 2, "cpuset");
      if (cs != NULL)
        {
          if (cpu_list_max (cs) < 0)
            return fail (c, "cpuset", "malformed cpu list '%s' (e.g. 0-3,6)", cs), NULL;
          op->cpus = g_strdup (cs);
        }
      g_hash_table_add (live, g_strdup (w[1]));
      return g_ptr_array_steal_index (holder, 0);
    }
  if (!exists)
    return fail (c, "cgroup", "no cgroup '%s' at this point (add it with add-cgroup first)", w[1]), NULL;

  if (g_str_equal (verb, "remove-cgroup") || g_str_equal (verb, "clear-cpuset"))
    {
      if (!check_opts (c, w, 2, no_opts))
        return NULL;
      op->kind = g_str_equal (verb, "remove-cgroup") ? SL_SCENARIO_OP_REMOVE_CGROUP : SL_SCENARIO_OP_CLEAR_CPUSET;
      if (op->kind == SL_SCENARIO_OP_REMOVE_CGROUP)
        g_hash_table_remove (live, w[1]);
    }
  else if (g_str_equal (verb, "set-cpuset") || g_str_equal (verb, "affinity"))
    {
      gboolean aff = g_str_equal (verb, "affinity");
      if (!need_words (c, w, 3, aff ? "affinity CGROUP CPUS|all" : "set-cpuset CGROUP CPUS") || !check_opts (c, w, 3, no_opts))
        return NULL;
      op->kind = aff ? SL_SCENARIO_OP_AFFINITY : SL_SCENARIO_OP_SET_CPUSET;
      if (!(aff && g_str_equal (w[2], "all")))
        {
          if (cpu_list_max (w[2]) < 0)
            return fail (c, "cpus", "malformed cpu list '%s' (e.g. 0-3,6)", w[2]), NULL;
          op->cpus = g_strdup (w[2]);
        }
    }
  else if (g_str_equal (verb, "spawn"))
    {
      static const char *const opts[] = { "count", "nice", NULL };
      if (!need_words (c, w, 3, "spawn CGROUP WORKTYPE [count=N] [nice=N]") || !check_opts (c, w, 3, opts))
        return NULL;
      op->kind = SL_SCENARIO_OP_SPAWN;
      SlWorkType t;
      if (!sl_work_type_parse (w[2], &t))
        return fail (c, "work type", "unknown '%s' (CpuSpin, YieldHeavy, Mixed, IoSync, Bursty, PipeIo, "
                     "FutexPingPong, ForkExit, NiceSweep, AffinityChurn)", w[2]), NULL;
      op->work = (int) t;
      guint64 v = 1;
      const char *cnt = opt_value (w, 3, "count");
      if (cnt != NULL && !parse_uint (c, "count", cnt, 1, SL_SCENARIO_MAX_COUNT, &v))
        return NULL;
      op->count = (guint) v;
      const char *nice = opt_value (w, 3, "nice");
      if (nice != NULL)
        {
          gint64 n;
          if (!g_ascii_string_to_signed (nice, 10, -20, 19, &n, NULL))
            return fail (c, "nice", "expected an integer in [-20, 19], got '%s'", nice), NULL;
          op->nice_value = (int) n;
        }
    }
  else if (g_str_equal (verb, "stop"))
    {
      if (!check_opts (c, w, w[2] && !strchr (w[2], '=') ? 3 : 2, no_opts))
        return NULL;
      op->kind = SL_SCENARIO_OP_STOP;
      if (w[2] != NULL)
        {
          SlWorkType t;
          if (!sl_work_type_parse (w[2], &t))
            return fail (c, "work type", "unknown '%s'", w[2]), NULL;
          op->work = (int) t;
        }
    }
  else
    return fail (c, "op", "unknown '%s' (add-cgroup, remove-cgroup, set-cpuset, clear-cpuset, spawn, stop, "
                 "affinity, hold)", verb), NULL;
  return g_ptr_array_steal_index (holder, 0);
}

SlScenario *
sl_scenario_parse (const char *text, const char *source, GError **error)
{
  g_return_val_if_fail (text != NULL, NULL);
  if (source == NULL)
    source = "<scenario>";
  Ctx c = { source, 0, error };
  if (strlen (text) > SL_SCENARIO_MAX_BYTES)
    {
      fail (&c, "file", "larger than %d bytes", SL_SCENARIO_MAX_BYTES);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      fail (&c, "file", "not valid UTF-8");
      return NULL;
    }
  g_autoptr(SlScenario) sc = g_new0 (SlScenario, 1);
  sc->source = g_strdup (source);
  sc->text = g_strdup (text);
  sc->setup = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  sc->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = g_strsplit (text, "\n", SL_SCENARIO_MAX_LINES + 1);
  guint n_ops = 0, spawned = 0;
  SlScenarioStep *step = NULL;
  guint last_line = 1;
  for (guint i = 0; lines[i]; i++)
    {
      c.line = i + 1;
      if (c.line > SL_SCENARIO_MAX_LINES)
        {
          fail (&c, "file", "more than %d lines", SL_SCENARIO_MAX_LINES);
          return NULL;
        }
      char *hash = strchr (lines[i], '#');
      if (hash)
        *hash = '\0';
      char *line = g_strstrip (lines[i]);
      if (*line == '\0')
        continue;
      last_line = c.line;
      g_auto(GStrv) w = g_regex_split_simple ("\\s+", line, 0, 0);
      const char *verb = w[0];
      if (g_str_equal (verb, "scenario") || g_str_equal (verb, "description"))
        {
          const char *rest = line + strlen (verb);
          while (g_ascii_isspace (*rest))
            rest++;
          if (*rest == '\0')
            {
              fail (&c, verb, "missing value");
              return NULL;
            }
          if (step != NULL)
            {
              fail (&c, verb, "belongs before the first step");
              return NULL;
            }
          char **dst = g_str_equal (verb, "scenario") ? &sc->name : &sc->description;
          if (*dst != NULL)
            {
              fail (&c, verb, "given twice");
              return NULL;
            }
          if (dst == &sc->name && !valid_name (rest))
            {
              fail (&c, "scenario", "invalid name '%s' (letters, digits, '-' or '_')", rest);
              return NULL;
            }
          *dst = g_strdup (rest);
          continue;
        }
      if (g_str_equal (verb, "duration"))
        {
          guint64 ms;
          if (step != NULL || w[1] == NULL || w[2] != NULL)
            {
              fail (&c, "duration", step ? "belongs before the first step" : "expected exactly one value");
              return NULL;
            }
          if (!parse_duration (&c, "duration", w[1], &ms, NULL, FALSE))
            return NULL;
          sc->duration_ms = ms;
          continue;
        }
      if (g_str_equal (verb, "step"))
        {
          if (w[1] == NULL || w[2] != NULL || !valid_name (w[1]))
            {
              fail (&c, "step", "expected one step name (letters, digits, '-' or '_')");
              return NULL;
            }
          if (step != NULL && step->ops->len == 0)
            {
              c.line = step->line;
              fail (&c, "step", "'%s' has no hold (every step needs at least one)", step->name);
              return NULL;
            }
          if (sc->steps->len >= SL_SCENARIO_MAX_STEPS)
            {
              fail (&c, "step", "more than %d steps", SL_SCENARIO_MAX_STEPS);
              return NULL;
            }
          step = g_new0 (SlScenarioStep, 1);
          step->name = g_strdup (w[1]);
          step->line = c.line;
          step->ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
          g_ptr_array_add (sc->steps, step);
          continue;
        }
      SlScenarioOp *op = parse_op (&c, w, live, step != NULL);
      if (op == NULL)
        return NULL;
      if (++n_ops > SL_SCENARIO_MAX_OPS)
        {
          op_free (op);
          fail (&c, "file", "more than %d ops", SL_SCENARIO_MAX_OPS);
          return NULL;
        }
      if (op->kind == SL_SCENARIO_OP_SPAWN && (spawned += op->count) > SL_SCENARIO_MAX_WORKERS)
        {
          op_free (op);
          fail (&c, "count", "more than %d workers in total", SL_SCENARIO_MAX_WORKERS);
          return NULL;
        }
      g_ptr_array_add (step ? step->ops : sc->setup, op);
    }
  if (sc->name == NULL)
    {
      c.line = 1;
      fail (&c, "scenario", "missing 'scenario NAME' line");
      return NULL;
    }
  if (sc->steps->len == 0)
    {
      c.line = last_line;
      fail (&c, "step", "the scenario has no steps");
      return NULL;
    }
  guint permille = 0;
  for (guint s = 0; s < sc->steps->len; s++)
    {
      SlScenarioStep *st = sc->steps->pdata[s];
      gboolean has_hold = FALSE;
      for (guint k = 0; k < st->ops->len; k++)
        {
          SlScenarioOp *op = st->ops->pdata[k];
          if (op->kind == SL_SCENARIO_OP_HOLD)
            {
              has_hold = TRUE;
              permille += op->hold_permille;
            }
        }
      if (!has_hold)
        {
          c.line = st->line;
          fail (&c, "step", "'%s' has no hold (every step needs at least one)", st->name);
          return NULL;
        }
    }
  if (permille > 1000)
    {
      c.line = 1;
      fail (&c, "hold", "percentages add up to %u.%u%% (more than 100%%)", permille / 10, permille % 10);
      return NULL;
    }
  return g_steal_pointer (&sc);
}

SlScenario *
sl_scenario_load_file (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autofree char *text = NULL;
  gsize len;
  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: contains NUL bytes (not a scenario file)", path);
      return NULL;
    }
  return sl_scenario_parse (text, path, error);
}

SlScenario *
sl_scenario_load_builtin (const char *name, GError **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_autofree char *path = g_strdup_printf ("/org/schedlab/scenarios/%s.scn", name);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (sl_scenarios_get_resource (), path, 0, NULL);
  if (bytes == NULL)
    {
      g_autofree char *all = g_strjoinv (", ", (char **) builtin_names);
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "no built-in scenario '%s' (built-ins: %s)", name, all);
      return NULL;
    }
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *source = g_strdup_printf ("builtin:%s", name);
  return sl_scenario_parse (text, source, error);
}

SlScenario *
sl_scenario_load (const char *name_or_path, GError **error)
{
  g_return_val_if_fail (name_or_path != NULL, NULL);
  if (strchr (name_or_path, '/') == NULL && !g_str_has_suffix (name_or_path, ".scn"))
    return sl_scenario_load_builtin (name_or_path, error);
  return sl_scenario_load_file (name_or_path, error);
}

static guint64
hold_ms (const SlScenarioOp *op, guint64 duration_ms)
{
  if (op->hold_permille == 0)
    return op->hold_ms;
  return MAX ((duration_ms * op->hold_permille + 500) / 1000, 1);
}

static guint64
effective_duration (const SlScenario *sc, guint64 duration_ms)
{
  if (duration_ms > 0)
    return duration_ms;
  return sc->duration_ms > 0 ? sc->duration_ms : 10000;
}

guint64
sl_scenario_total_ms (const SlScenario *sc, guint64 duration_ms)
{
  g_return_val_if_fail (sc != NULL, 0);
  guint64 d = effective_duration (sc, duration_ms), total = 0;
  for (guint s = 0; s < sc->steps->len; s++)
    {
      SlScenarioStep *st = sc->steps->pdata[s];
      for (guint k = 0; k < st->ops->len; k++)
        {
          SlScenarioOp *op = st->ops->pdata[k];
          if (op->kind == SL_SCENARIO_OP_HOLD)
            total += hold_ms (op, d);
        }
    }
  return total;
}

static gboolean
compile_op (const SlScenario *sc, const SlScenarioOp *op, guint64 d, guint n_cpus, GString *out, GError **error)
{
  if (op->cpus != NULL && cpu_list_max (op->cpus) >= (gint) n_cpus)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s:%u: cpus: '%s' names a CPU the guest does not have (it has %u: 0-%u)",
                   sc->source, op->line, op->cpus, n_cpus, n_cpus - 1);
      return FALSE;
    }
  const char *cpus = op->cpus ? op->cpus : "-";
  switch (op->kind)
    {
    case SL_SCENARIO_OP_ADD_CGROUP:
      g_string_append_printf (out, "add-cgroup %s %s\n", op->cgroup, cpus);
      break;
    case SL_SCENARIO_OP_REMOVE_CGROUP:
      g_string_append_printf (out, "remove-cgroup %s\n", op->cgroup);
      break;
    case SL_SCENARIO_OP_SET_CPUSET:
      g_string_append_printf (out, "set-cpuset %s %s\n", op->cgroup, cpus);
      break;
    case SL_SCENARIO_OP_CLEAR_CPUSET:
      g_string_append_printf (out, "clear-cpuset %s\n", op->cgroup);
      break;
    case SL_SCENARIO_OP_SPAWN:
      g_string_append_printf (out, "spawn %s %s %u %d\n", op->cgroup, sl_work_type_name ((SlWorkType) op->work),
                              op->count, op->nice_value);
      break;
    case SL_SCENARIO_OP_STOP:
      g_string_append_printf (out, "stop %s %s\n", op->cgroup, op->work < 0 ? "*" : sl_work_type_name ((SlWorkType) op->work));
      break;
    case SL_SCENARIO_OP_AFFINITY:
      g_string_append_printf (out, "affinity %s %s\n", op->cgroup, cpus);
      break;
    case SL_SCENARIO_OP_HOLD:
      g_string_append_printf (out, "hold %" G_GUINT64_FORMAT "\n", hold_ms (op, d));
      break;
    }
  return TRUE;
}

char *
sl_scenario_compile (const SlScenario *sc, guint64 duration_ms, guint n_cpus, GError **error)
{
  g_return_val_if_fail (sc != NULL && n_cpus > 0, NULL);
  guint64 d = effective_duration (sc, duration_ms);
  g_autoptr(GString) out = g_string_new (NULL);
  g_string_append_printf (out, "# %s\n", sc->name);
  for (guint k = 0; k < sc->setup->len; k++)
    if (!compile_op (sc, sc->setup->pdata[k], d, n_cpus, out, error))
      return NULL;
  for (guint s = 0; s < sc->steps->len; s++)
    {
      SlScenarioStep *st = sc->steps->pdata[s];
      g_string_append_printf (out, "step\n");
      for (guint k = 0; k < st->ops->len; k++)
        if (!compile_op (sc, st->ops->pdata[k], d, n_cpus, out, error))
          return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
