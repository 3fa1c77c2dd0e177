/* sl-field-selector.c: parsing "<axis> <path>" selectors (grammar in doc/spec-format.md). */
#include "sl-field-selector.h"
#include "sl-run.h"

#include <string.h>

const char *const sl_host_cpu_fields[SL_HOST_CPU_FIELD_COUNT] = {
  "cpustat_user_ns", "cpustat_nice_ns", "cpustat_system_ns", "cpustat_softirq_ns",
  "cpustat_irq_ns", "cpustat_idle_ns", "cpustat_iowait_ns", "cpustat_steal_ns",
  "irqs_sum", "iowait_sleeptime_ns",
};

/* Indexed like the kernel's softirq enum (ktstr's PerCpuTimeStats.softirqs). */
const char *const sl_softirq_names[10] = {
  "HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER", "RCU",
};

const char *const sl_host_vcpu_fields[SL_HOST_VCPU_FIELD_COUNT] = {
  "run_ns", "wait_ns", "slices",
};

const char *const sl_monitor_cpu_fields[SL_MONITOR_CPU_FIELD_COUNT] = {
  "nr_running", "scx_nr_running", "local_dsq_depth", "rq_clock", "scx_flags", "vcpu_cpu_time_ns",
};

const char *const sl_monitor_schedstat_names[SL_MONITOR_SCHEDSTAT_COUNT] = {
  "run_delay", "pcount", "yld_count", "sched_count", "sched_goidle", "ttwu_count", "ttwu_local",
};

const char *const sl_monitor_summary_fields[SL_MONITOR_SUMMARY_FIELD_COUNT] = {
  "total_samples", "max_imbalance_ratio", "max_local_dsq_depth", "stuck_count",
  "avg_imbalance_ratio", "avg_nr_running", "avg_local_dsq_depth",
  "total_run_delay", "run_delay_rate", "total_pcount", "total_sched_count", "sched_count_rate",
  "total_yld_count", "total_sched_goidle", "total_ttwu_count", "total_ttwu_local",
};

/* ScxEventsView::total_pairs() names, in ktstr's order (§3.4). */
const char *const sl_monitor_event_pairs[SL_MONITOR_EVENT_PAIR_COUNT] = {
  "select_cpu_fallback", "select_cpu_fallback_max_burst", "dispatch_local_dsq_offline",
  "dispatch_keep_last", "enq_skip_exiting", "enq_skip_migration_disabled", "reenq_immed",
  "reenq_local_repeat", "refill_slice_dfl", "bypass_duration_ns", "bypass_dispatch",
  "bypass_activate", "insert_not_owned", "sub_bypass_dispatch",
};

const char *const sl_monitor_rates[SL_MONITOR_RATE_COUNT] = {
  "select_cpu_fallback_rate", "dispatch_keep_last_rate",
};

static const char *const axis_names[SL_AXIS_COUNT] = { "bpf", "stats", "host", "monitor" };

const char *
sl_axis_name (SlAxis axis)
{
  return (guint) axis < SL_AXIS_COUNT ? axis_names[axis] : "?";
}

gboolean
sl_axis_parse (const char *name, SlAxis *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < SL_AXIS_COUNT; i++)
    if (strcmp (name, axis_names[i]) == 0)
      {
        *out = (SlAxis) i;
        return TRUE;
      }
  return FALSE;
}

gint
sl_name_table_find (const char *const *table, guint n, const char *name)
{
  if (name == NULL)
    return -1;
  for (guint i = 0; i < n; i++)
    if (strcmp (table[i], name) == 0)
      return (gint) i;
  return -1;
}

static gboolean
fail (GError **error, const char *text, const char *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *text, const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, SL_ERROR, SL_ERROR_FIELD, "field selector '%s': %s", text, msg);
  return FALSE;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '-';
}

/* Decimal number without sign or leading garbage, at most max. */
static gboolean
parse_number (const char *s, gsize len, guint64 max, guint64 *out)
{
  guint64 v = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      if (v > (max - (guint64) (s[i] - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Splits a dotted path into non-empty components. */
static gboolean
split_components (const char *path, const char *text, const char *what, GStrv *out, GError **error)
{
  g_auto(GStrv) parts = NULL;
  guint n;

  if (*path == '\0')
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }
  parts = g_strsplit (path, ".", -1);
  n = g_strv_length (parts);
  if (n > SL_FIELD_SELECTOR_MAX_DEPTH)
    return fail (error, text, "%s has %u components (at most %d)", what, n, SL_FIELD_SELECTOR_MAX_DEPTH);
  for (guint i = 0; i < n; i++)
    if (parts[i][0] == '\0')
      return fail (error, text, "%s '%s' has an empty component (component %u)", what, path, i);
  *out = g_steal_pointer (&parts);
  return TRUE;
}

static gboolean
parse_bpf (SlFieldSelector *sel, const char *text, GError **error)
{
  const char *path = sel->path;
  const char *slash = strchr (path, '/');
  const char *p;

  for (p = path; *p; p++)
    if (g_ascii_isspace (*p))
      return fail (error, text, "bpf paths contain no spaces");

  if (slash == NULL)
    {
      g_auto(GStrv) parts = NULL;

      if (strpbrk (path, "[@") != NULL)
        return fail (error, text, "an entry index or @CPU needs the map form MAP[INDEX][@CPU]/member.path");
      if (!split_components (path, text, "global path", &parts, error))
        return FALSE;
      for (p = parts[0]; *p; p++)
        if (!is_name_char (*p))
          return fail (error, text, "invalid character '%c' in global name", *p);
      sel->bpf_target = SL_BPF_TARGET_GLOBAL;
      sel->name = g_strdup (parts[0]);
      sel->components = g_strdupv (parts + 1);
      return TRUE;
    }

  sel->bpf_target = SL_BPF_TARGET_MAP;
  for (p = path; p < slash && is_name_char (*p); p++)
    ;
  if (p == path)
    return fail (error, text, "missing map name before '/'");
  sel->name = g_strndup (path, p - path);
  if (p < slash && *p == '[')
    {
      const char *close = memchr (p, ']', slash - p);
      guint64 v;

      if (close == NULL || !parse_number (p + 1, close - p - 1, G_MAXUINT32, &v))
        return fail (error, text, "entry index of map '%s' must be [N] with a decimal N", sel->name);
      sel->index = (guint) v;
      p = close + 1;
    }
  if (p < slash && *p == '@')
    {
      gsize len = slash - (p + 1);
      guint64 v;

      if (len == 7 && strncmp (p + 1, "cpu_sum", 7) == 0)
        sel->cpu_pick = SL_CPU_PICK_SUM;
      else if (len == 7 && strncmp (p + 1, "cpu_max", 7) == 0)
        sel->cpu_pick = SL_CPU_PICK_MAX;
      else if (len == 7 && strncmp (p + 1, "cpu_min", 7) == 0)
        sel->cpu_pick = SL_CPU_PICK_MIN;
      else if (parse_number (p + 1, len, G_MAXUINT16, &v))
        {
          sel->cpu_pick = SL_CPU_PICK_ONE;
          sel->cpu = (guint) v;
        }
      else
        return fail (error, text, "@CPU of map '%s' must be a CPU number, cpu_sum, cpu_max or cpu_min", sel->name);
      p = slash;
    }
  if (p != slash)
    return fail (error, text, "unexpected '%.*s' after map name '%s' (expected [INDEX], @CPU or '/')",
                 (int) (slash - p), p, sel->name);
  return split_components (slash + 1, text, "member path", &sel->components, error);
}

static gboolean
parse_stats (SlFieldSelector *sel, const char *text, GError **error)
{
  return split_components (sel->path, text, "stats path", &sel->components, error);
}

/* "cpuN.rest" / "vcpuN.rest": the number and the rest. */
static gboolean
parse_cpu_prefix (const char *path, const char *prefix, guint *cpu, const char **rest)
{
  gsize plen = strlen (prefix);
  const char *dot;
  guint64 v;

  if (strncmp (path, prefix, plen) != 0)
    return FALSE;
  dot = strchr (path + plen, '.');
  if (dot == NULL || !parse_number (path + plen, dot - (path + plen), G_MAXUINT16, &v))
    return FALSE;
  *cpu = (guint) v;
  *rest = dot + 1;
  return TRUE;
}

static gboolean
parse_host (SlFieldSelector *sel, const char *text, GError **error)
{
  const char *rest;

  if (parse_cpu_prefix (sel->path, "vcpu", &sel->cpu, &rest))
    {
      if (sl_name_table_find (sl_host_vcpu_fields, SL_HOST_VCPU_FIELD_COUNT, rest) < 0)
        return fail (error, text, "unknown vCPU field '%s' (run_ns, wait_ns, slices)", rest);
      sel->host_source = SL_HOST_VCPU;
    }
  else if (parse_cpu_prefix (sel->path, "cpu", &sel->cpu, &rest))
    {
      sel->host_source = SL_HOST_CPU;
      if (g_str_has_prefix (rest, "softirqs."))
        {
          if (sl_name_table_find (sl_softirq_names, G_N_ELEMENTS (sl_softirq_names), rest + 9) < 0)
            return fail (error, text, "unknown softirq '%s' (HI, TIMER, NET_TX, NET_RX, BLOCK, "
                         "IRQ_POLL, TASKLET, SCHED, HRTIMER, RCU)", rest + 9);
        }
      else if (sl_name_table_find (sl_host_cpu_fields, SL_HOST_CPU_FIELD_COUNT, rest) < 0)
        return fail (error, text, "unknown host CPU field '%s' (cpustat_user_ns, cpustat_nice_ns, "
                     "cpustat_system_ns, cpustat_softirq_ns, cpustat_irq_ns, cpustat_idle_ns, "
                     "cpustat_iowait_ns, cpustat_steal_ns, irqs_sum, iowait_sleeptime_ns, "
                     "softirqs.<NAME>)", rest);
    }
  else
    return fail (error, text, "host paths are cpuN.<field> or vcpuN.<field>");
  sel->leaf = g_strdup (rest);
  sel->components = g_new0 (char *, 1);
  return TRUE;
}

static gboolean
parse_monitor (SlFieldSelector *sel, const char *text, GError **error)
{
  const char *path = sel->path;
  const char *rest;

  if (parse_cpu_prefix (path, "cpu", &sel->cpu, &rest))
    {
      sel->monitor_source = SL_MONITOR_CPU;
      if (g_str_has_prefix (rest, "event."))
        {
          if (sl_name_table_find ((const char *const *) sl_scx_event_names, SL_SCX_EVENT_COUNT, rest + 6) < 0)
            return fail (error, text, "unknown SCX event counter '%s'", rest + 6);
        }
      else if (g_str_has_prefix (rest, "schedstat."))
        {
          if (sl_name_table_find (sl_monitor_schedstat_names, SL_MONITOR_SCHEDSTAT_COUNT, rest + 10) < 0)
            return fail (error, text, "unknown schedstat field '%s' (run_delay, pcount, yld_count, "
                         "sched_count, sched_goidle, ttwu_count, ttwu_local)", rest + 10);
        }
      else if (sl_name_table_find (sl_monitor_cpu_fields, SL_MONITOR_CPU_FIELD_COUNT, rest) < 0)
        return fail (error, text, "unknown monitor CPU field '%s' (nr_running, scx_nr_running, "
                     "local_dsq_depth, rq_clock, scx_flags, vcpu_cpu_time_ns, event.<name>, "
                     "schedstat.<name>)", rest);
    }
  else if (g_str_has_prefix (path, "summary."))
    {
      rest = path + 8;
      sel->monitor_source = SL_MONITOR_SUMMARY;
      if (sl_name_table_find (sl_monitor_summary_fields, SL_MONITOR_SUMMARY_FIELD_COUNT, rest) < 0)
        return fail (error, text, "unknown monitor summary field '%s'", rest);
    }
  else if (g_str_has_prefix (path, "events."))
    {
      rest = path + 7;
      sel->monitor_source = SL_MONITOR_EVENTS;
      if (sl_name_table_find (sl_monitor_event_pairs, SL_MONITOR_EVENT_PAIR_COUNT, rest) < 0)
        return fail (error, text, "unknown SCX event total '%s'", rest);
    }
  else if (g_str_has_prefix (path, "rates."))
    {
      rest = path + 6;
      sel->monitor_source = SL_MONITOR_RATES;
      if (sl_name_table_find (sl_monitor_rates, SL_MONITOR_RATE_COUNT, rest) < 0)
        return fail (error, text, "unknown SCX event rate '%s' (select_cpu_fallback_rate, "
                     "dispatch_keep_last_rate)", rest);
    }
  else
    return fail (error, text, "monitor paths are cpuN.<field>, summary.<field>, events.<name> or rates.<name>");
  sel->leaf = g_strdup (rest);
  sel->components = g_new0 (char *, 1);
  return TRUE;
}

SlFieldSelector *
sl_field_selector_new (SlAxis axis, const char *path, GError **error)
{
  g_autoptr(SlFieldSelector) sel = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail ((guint) axis < SL_AXIS_COUNT, NULL);

  if (strlen (path) > SL_FIELD_SELECTOR_MAX_LEN)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FIELD, "field selector is longer than %d bytes",
                   SL_FIELD_SELECTOR_MAX_LEN);
      return NULL;
    }
  sel = g_new0 (SlFieldSelector, 1);
  sel->axis = axis;
  sel->path = g_strdup (path);
  sel->text = g_strdup_printf ("%s %s", sl_axis_name (axis), path);
  if (!g_utf8_validate (path, -1, NULL))
    {
      fail (error, "(invalid UTF-8)", "the path is not valid UTF-8");
      return NULL;
    }
  for (const char *p = path; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      {
        fail (error, sel->text, "control character in path");
        return NULL;
      }
  if (*path == '\0')
    {
      fail (error, sel->text, "empty path after the axis");
      return NULL;
    }

  switch (axis)
    {
    case SL_AXIS_BPF: ok = parse_bpf (sel, sel->text, error); break;
    case SL_AXIS_STATS: ok = parse_stats (sel, sel->text, error); break;
    case SL_AXIS_HOST: ok = parse_host (sel, sel->text, error); break;
    case SL_AXIS_MONITOR: ok = parse_monitor (sel, sel->text, error); break;
    }
  if (!ok)
    return NULL;
  return g_steal_pointer (&sel);
}

SlFieldSelector *
sl_field_selector_parse (const char *text, GError **error)
{
  g_autofree char *copy = NULL;
  char *space;
  SlAxis axis;

  g_return_val_if_fail (text != NULL, NULL);
  if (strlen (text) > SL_FIELD_SELECTOR_MAX_LEN)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FIELD, "field selector is longer than %d bytes",
                   SL_FIELD_SELECTOR_MAX_LEN);
      return NULL;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FIELD, "field selector is not valid UTF-8");
      return NULL;
    }
  copy = g_strstrip (g_strdup (text));
  space = copy + strcspn (copy, " \t");
  if (*space == '\0')
    {
      fail (error, text, "expected '<axis> <path>' with axis bpf, stats, host or monitor");
      return NULL;
    }
  *space++ = '\0';
  if (!sl_axis_parse (copy, &axis))
    {
      fail (error, text, "unknown axis '%s' (bpf, stats, host or monitor)", copy);
      return NULL;
    }
  while (*space == ' ' || *space == '\t')
    space++;
  return sl_field_selector_new (axis, space, error);
}

SlFieldSelector *
sl_field_selector_copy (const SlFieldSelector *sel)
{
  SlFieldSelector *c;

  g_return_val_if_fail (sel != NULL, NULL);
  c = g_memdup2 (sel, sizeof *sel);
  c->text = g_strdup (sel->text);
  c->path = g_strdup (sel->path);
  c->name = g_strdup (sel->name);
  c->components = g_strdupv (sel->components);
  c->leaf = g_strdup (sel->leaf);
  return c;
}

void
sl_field_selector_free (SlFieldSelector *sel)
{
  if (sel == NULL)
    return;
  g_free (sel->text);
  g_free (sel->path);
  g_free (sel->name);
  g_strfreev (sel->components);
  g_free (sel->leaf);
  g_free (sel);
}

gboolean
sl_field_selector_equal (const SlFieldSelector *a, const SlFieldSelector *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_strcmp0 (a->text, b->text) == 0;
}

char *
sl_field_selector_label (const SlFieldSelector *sel)
{
  guint n;

  g_return_val_if_fail (sel != NULL, NULL);
  switch (sel->axis)
    {
    case SL_AXIS_BPF:
      n = g_strv_length (sel->components);
      return g_strdup (n > 0 ? sel->components[n - 1] : sel->name);
    case SL_AXIS_STATS:
      n = g_strv_length (sel->components);
      return g_strdup (n > 0 ? sel->components[n - 1] : sel->path);
    case SL_AXIS_HOST:
    case SL_AXIS_MONITOR:
      /* Keep the CPU: "cpu1.nr_running" reads better than "nr_running". */
      return g_strdup (sel->path);
    }
  return g_strdup (sel->path);
}

gboolean
sl_field_selector_natural_type (const SlFieldSelector *sel, SlScalarType *out)
{
  g_return_val_if_fail (sel != NULL && out != NULL, FALSE);
  switch (sel->axis)
    {
    case SL_AXIS_BPF:
    case SL_AXIS_STATS:
      return FALSE;
    case SL_AXIS_HOST:
      *out = SL_SCALAR_U64;
      return TRUE;
    case SL_AXIS_MONITOR:
      if (sel->monitor_source == SL_MONITOR_CPU)
        *out = g_str_has_prefix (sel->leaf, "event.") ? SL_SCALAR_I64 : SL_SCALAR_U64;
      else if (sel->monitor_source == SL_MONITOR_EVENTS)
        *out = SL_SCALAR_I64;
      else if (sel->monitor_source == SL_MONITOR_RATES)
        *out = SL_SCALAR_F64;
      else if (strstr (sel->leaf, "ratio") || strstr (sel->leaf, "rate") || g_str_has_prefix (sel->leaf, "avg_"))
        *out = SL_SCALAR_F64;
      else
        *out = SL_SCALAR_U64;
      return TRUE;
    }
  return FALSE;
}
