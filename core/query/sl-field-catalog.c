/* sl-field-catalog.c: walking every sample (and the monitor) for projectable fields. */
#include "sl-field-catalog.h"
#include "sl-value.h"

#include <string.h>

typedef struct {
  GPtrArray  *axis_lists[SL_AXIS_COUNT];   /* SlFieldInfo*, discovery order */
  GHashTable *by_selector;                 /* selector → SlFieldInfo* (borrowed) */
  guint       count;
  guint       max;
  gboolean    truncated;
  GString    *key;                         /* scratch: "<axis> <path>" */
  GString    *full;                        /* scratch: "MAPSPEC/member.path" */
} Builder;

static void
field_info_free (SlFieldInfo *f)
{
  g_free (f->selector);
  g_free (f->path);
  g_free (f->unit);
  g_free (f->group);
  g_free (f);
}

const char *
sl_field_unit_guess (const char *name)
{
  const char *dot;

  if (name == NULL)
    return NULL;
  dot = strrchr (name, '.');
  if (dot)
    name = dot + 1;
  if (g_str_has_suffix (name, "_ns") || strcmp (name, "ns") == 0 || g_str_has_suffix (name, "nsecs")
      || strcmp (name, "vtime") == 0 || g_str_has_suffix (name, "_vtime"))
    return "ns";
  if (g_str_has_suffix (name, "_us") || strcmp (name, "us") == 0)
    return "us";
  if (g_str_has_suffix (name, "_ms") || strcmp (name, "ms") == 0)
    return "ms";
  if (g_str_has_suffix (name, "_bytes") || strcmp (name, "bytes") == 0)
    return "bytes";
  if (g_str_has_suffix (name, "_pct") || g_str_has_suffix (name, "_percent"))
    return "%";
  if (g_str_has_suffix (name, "_rate"))
    return "1/s";
  if (g_str_has_prefix (name, "nr_") || g_str_has_prefix (name, "total_") || g_str_has_prefix (name, "num_")
      || g_str_has_suffix (name, "_cnt") || g_str_has_suffix (name, "count") || strcmp (name, "cnt") == 0
      || strcmp (name, "nr") == 0 || g_str_has_suffix (name, "_events") || g_str_has_suffix (name, "iterations")
      || g_str_has_suffix (name, "_dispatched") || strcmp (name, "dispatched") == 0)
    return "count";
  return NULL;
}

/* Widening when samples disagree: u64 + i64 → i64, integer + f64 → f64. */
static SlScalarType
merge_type (SlScalarType a, SlScalarType b)
{
  if (a == b || a == SL_SCALAR_BOOL || b == SL_SCALAR_BOOL)
    return a;
  if (a == SL_SCALAR_F64 || b == SL_SCALAR_F64)
    return SL_SCALAR_F64;
  return SL_SCALAR_I64;
}

/* Called for every field of every sample: the lookup reuses scratch buffers
 * and allocates only for a field seen for the first time. */
static void
add_field_named (Builder *b, SlAxis axis, const char *path, SlScalarType type, const char *unit,
                 const char *unit_from, const char *group)
{
  SlFieldInfo *f;
  const char *selector;

  g_string_assign (b->key, sl_axis_name (axis));
  g_string_append_c (b->key, ' ');
  g_string_append (b->key, path);
  selector = b->key->str;
  f = g_hash_table_lookup (b->by_selector, selector);
  if (f != NULL)
    {
      f->type = merge_type (f->type, type);
      return;
    }
  if (b->count >= b->max)
    {
      b->truncated = TRUE;
      return;
    }
  /* Names come from the guest and the scheduler: offer only what parses back. */
  {
    g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (selector, NULL);

    if (sel == NULL || strcmp (sel->text, selector) != 0)
      return;
  }
  f = g_new0 (SlFieldInfo, 1);
  f->axis = axis;
  f->selector = g_strdup (selector);
  f->path = g_strdup (path);
  f->type = type;
  f->unit = g_strdup (unit_from ? sl_field_unit_guess (unit_from) : unit);
  f->group = g_strdup_printf ("%s/%s", sl_axis_name (axis), group);
  g_ptr_array_add (b->axis_lists[axis], f);
  g_hash_table_insert (b->by_selector, f->selector, f);
  b->count++;
}

static void
add_field (Builder *b, SlAxis axis, const char *path, SlScalarType type, const char *unit, const char *group)
{
  add_field_named (b, axis, path, type, unit, NULL, group);
}

/* ---- bpf ----------------------------------------------------------------- */

/* Leaves of a rendered value below prefix "MAPSPEC/member.path". */
static void
add_bpf_leaves (Builder *b, const char *mapspec, const char *group, GString *path, const char *leaf_name,
                const SlValue *value, guint depth)
{
  const SlValue *v = sl_value_peel (value);
  gsize saved = path->len;
  SlScalarType type;

  if (v == NULL || depth > SL_FIELD_CATALOG_MAX_DEPTH || b->truncated)
    return;
  switch (v->kind)
    {
    case SL_VALUE_STRUCT:
      for (guint i = 0; i < v->n_members && !b->truncated; i++)
        {
          const char *name = v->members[i].name;

          if (name[0] != '\0')
            {
              if (path->len)
                g_string_append_c (path, '.');
              g_string_append (path, name);
            }
          add_bpf_leaves (b, mapspec, group, path, name[0] ? name : leaf_name, v->members[i].value, depth + 1);
          g_string_truncate (path, saved);
        }
      return;
    case SL_VALUE_ARRAY:
      /* Character arrays are names (comm[16]), not counters. */
      if (v->n_elements > 0 && sl_value_peel (v->elements[0]) && sl_value_peel (v->elements[0])->kind == SL_VALUE_CHAR)
        return;
      for (guint i = 0; i < v->n_elements && i < SL_FIELD_CATALOG_MAX_ARRAY && !b->truncated; i++)
        {
          g_string_append_printf (path, "%s%u", path->len ? "." : "", i);
          add_bpf_leaves (b, mapspec, group, path, leaf_name, v->elements[i], depth + 1);
          g_string_truncate (path, saved);
        }
      return;
    case SL_VALUE_INT: type = SL_SCALAR_I64; break;
    case SL_VALUE_UINT: type = SL_SCALAR_U64; break;
    case SL_VALUE_BOOL: type = SL_SCALAR_BOOL; break;
    case SL_VALUE_CHAR: type = SL_SCALAR_U64; break;
    case SL_VALUE_FLOAT: type = SL_SCALAR_F64; break;
    case SL_VALUE_ENUM: type = v->is_signed ? SL_SCALAR_I64 : SL_SCALAR_U64; break;
    default:
      return;   /* raw pointers, cpumasks, bytes: nothing to plot */
    }
  g_string_assign (b->full, mapspec);
  g_string_append_c (b->full, '/');
  g_string_append (b->full, path->str);
  add_field_named (b, SL_AXIS_BPF, b->full->str, type, NULL, leaf_name, group);
}

static void
add_bpf_value (Builder *b, const SlMap *m, const char *mapspec, const SlValue *v)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_autofree char *group = g_strdup (m->name);

  add_bpf_leaves (b, mapspec, group, path, m->name, v, 0);
}

static void
add_bpf_per_cpu (Builder *b, const SlMap *m, const char *entryspec, guint n_cpus, SlValue *const *per_cpu)
{
  static const char *const picks[] = { "cpu_sum", "cpu_max", "cpu_min" };
  const SlValue *rep = NULL;

  for (guint c = 0; c < n_cpus && rep == NULL; c++)
    rep = per_cpu[c];
  if (rep == NULL)
    return;
  for (guint p = 0; p < G_N_ELEMENTS (picks); p++)
    {
      g_autofree char *spec = g_strdup_printf ("%s@%s", entryspec, picks[p]);
      add_bpf_value (b, m, spec, rep);
    }
  for (guint c = 0; c < n_cpus && c < SL_FIELD_CATALOG_MAX_CPUS && !b->truncated; c++)
    {
      g_autofree char *spec = g_strdup_printf ("%s@%u", entryspec, c);
      add_bpf_value (b, m, spec, per_cpu[c] ? per_cpu[c] : rep);
    }
}

static gboolean
map_is_hash_like (const SlMap *m)
{
  return m->map_type == SL_BPF_MAP_HASH || m->map_type == SL_BPF_MAP_LRU_HASH
         || m->map_type == SL_BPF_MAP_PERCPU_HASH || m->map_type == SL_BPF_MAP_LRU_PERCPU_HASH;
}

static void
add_bpf_map (Builder *b, const SlMap *m)
{
  /* Hash maps and multi-key per-CPU arrays always carry [i], so the union of
   * samples with different entry counts stays consistent. */
  gboolean indexed = map_is_hash_like (m) || m->max_entries > 1;

  if (m->percpu_entries && m->percpu_entries->len > 0)
    for (guint i = 0; i < m->percpu_entries->len && i < SL_FIELD_CATALOG_MAX_ENTRIES; i++)
      {
        const SlPercpuEntry *e = g_ptr_array_index (m->percpu_entries, i);
        g_autofree char *spec = indexed ? g_strdup_printf ("%s[%u]", m->name, i) : g_strdup (m->name);

        if (e->per_cpu)
          add_bpf_per_cpu (b, m, spec, e->n_cpus, e->per_cpu);
      }
  else if (m->percpu_hash_entries && m->percpu_hash_entries->len > 0)
    for (guint i = 0; i < m->percpu_hash_entries->len && i < SL_FIELD_CATALOG_MAX_ENTRIES; i++)
      {
        const SlPercpuHashEntry *e = g_ptr_array_index (m->percpu_hash_entries, i);
        g_autofree char *spec = g_strdup_printf ("%s[%u]", m->name, i);

        if (e->per_cpu)
          add_bpf_per_cpu (b, m, spec, e->n_cpus, e->per_cpu);
      }
  else if (m->entries && m->entries->len > 0)
    for (guint i = 0; i < m->entries->len && i < SL_FIELD_CATALOG_MAX_ENTRIES; i++)
      {
        const SlMapEntry *e = g_ptr_array_index (m->entries, i);
        g_autofree char *spec = g_strdup_printf ("%s[%u]", m->name, i);

        if (e->value)
          add_bpf_value (b, m, spec, e->value);
      }
  else if (m->value)
    add_bpf_value (b, m, m->name, m->value);
}

static void
add_bpf (Builder *b, const SlReport *r)
{
  for (guint i = 0; r->maps && i < r->maps->len && !b->truncated; i++)
    add_bpf_map (b, g_ptr_array_index (r->maps, i));
}

/* ---- stats ----------------------------------------------------------------- */

static void
add_stats_node (Builder *b, GString *path, JsonNode *node, guint depth)
{
  JsonObject *obj;
  g_autoptr(GList) members = NULL;
  gsize saved = path->len;

  if (depth > SL_FIELD_CATALOG_MAX_DEPTH || b->truncated || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  obj = json_node_get_object (node);
  members = json_object_get_members (obj);
  for (GList *l = members; l && !b->truncated; l = l->next)
    {
      const char *key = l->data;
      JsonNode *child = json_object_get_member (obj, key);
      SlScalarType type;

      /* A key with a dot could not be addressed by a dotted path. */
      if (key[0] == '\0' || strchr (key, '.') != NULL)
        continue;
      if (path->len)
        g_string_append_c (path, '.');
      g_string_append (path, key);
      if (JSON_NODE_HOLDS_OBJECT (child))
        add_stats_node (b, path, child, depth + 1);
      else if (JSON_NODE_HOLDS_VALUE (child))
        {
          GType vt = json_node_get_value_type (child);
          g_autofree char *group = NULL;

          if (vt == G_TYPE_INT64)
            type = json_node_get_int (child) < 0 ? SL_SCALAR_I64 : SL_SCALAR_U64;
          else if (vt == G_TYPE_DOUBLE)
            type = SL_SCALAR_F64;
          else if (vt == G_TYPE_BOOLEAN)
            type = SL_SCALAR_BOOL;
          else
            goto next;
          group = saved ? g_strndup (path->str, saved) : g_strdup ("(root)");
          add_field_named (b, SL_AXIS_STATS, path->str, type, NULL, key, group);
        }
    next:
      g_string_truncate (path, saved);
    }
}

/* ---- host -------------------------------------------------------------------- */

static void
add_host (Builder *b, const SlSample *s)
{
  for (guint i = 0; s->report->per_cpu_time && i < s->report->per_cpu_time->len; i++)
    {
      const SlPerCpuTime *t = &g_array_index (s->report->per_cpu_time, SlPerCpuTime, i);
      g_autofree char *group = g_strdup_printf ("cpu%u", t->cpu);

      for (guint k = 0; k < SL_HOST_CPU_FIELD_COUNT; k++)
        {
          g_autofree char *path = g_strdup_printf ("cpu%u.%s", t->cpu, sl_host_cpu_fields[k]);

          if (k == 9 && !t->iowait_sleeptime_ns.set)
            continue;
          add_field (b, SL_AXIS_HOST, path, SL_SCALAR_U64,
                     g_str_has_suffix (sl_host_cpu_fields[k], "_ns") ? "ns" : "count", group);
        }
      for (guint k = 0; k < G_N_ELEMENTS (sl_softirq_names); k++)
        {
          g_autofree char *path = g_strdup_printf ("cpu%u.softirqs.%s", t->cpu, sl_softirq_names[k]);
          add_field (b, SL_AXIS_HOST, path, SL_SCALAR_U64, "count", group);
        }
    }
  for (guint i = 0; s->vcpu_times && i < s->vcpu_times->len; i++)
    {
      const SlVcpuTime *t = &g_array_index (s->vcpu_times, SlVcpuTime, i);
      g_autofree char *group = g_strdup_printf ("vcpu%u", t->cpu);

      for (guint k = 0; k < SL_HOST_VCPU_FIELD_COUNT; k++)
        {
          g_autofree char *path = g_strdup_printf ("vcpu%u.%s", t->cpu, sl_host_vcpu_fields[k]);
          add_field (b, SL_AXIS_HOST, path, SL_SCALAR_U64, k == 2 ? "count" : "ns", group);
        }
    }
}

/* ---- monitor -------------------------------------------------------------------- */

static void
add_monitor_cpu (Builder *b, const SlCpuSnapshot *c)
{
  static const char *const units[SL_MONITOR_CPU_FIELD_COUNT] = { "count", "count", "count", "ns", NULL, "ns" };
  g_autofree char *group = g_strdup_printf ("cpu%u", c->cpu);

  for (guint k = 0; k < SL_MONITOR_CPU_FIELD_COUNT; k++)
    {
      g_autofree char *path = g_strdup_printf ("cpu%u.%s", c->cpu, sl_monitor_cpu_fields[k]);

      if (k == 5 && !c->vcpu_cpu_time_ns.set)
        continue;
      add_field (b, SL_AXIS_MONITOR, path, SL_SCALAR_U64, units[k], group);
    }
  for (guint k = 0; c->has_event_counters && k < SL_SCX_EVENT_COUNT; k++)
    {
      g_autofree char *path = g_strdup_printf ("cpu%u.event.%s", c->cpu, sl_scx_event_names[k]);
      add_field (b, SL_AXIS_MONITOR, path, SL_SCALAR_I64,
                 strstr (sl_scx_event_names[k], "duration") ? "ns" : "count", group);
    }
  for (guint k = 0; c->has_schedstat && k < SL_MONITOR_SCHEDSTAT_COUNT; k++)
    {
      g_autofree char *path = g_strdup_printf ("cpu%u.schedstat.%s", c->cpu, sl_monitor_schedstat_names[k]);
      add_field (b, SL_AXIS_MONITOR, path, SL_SCALAR_U64, k == 0 ? "ns" : "count", group);
    }
}

static void
add_monitor_summary (Builder *b, const SlMonitorSummary *m)
{
  for (guint k = 0; k < SL_MONITOR_SUMMARY_FIELD_COUNT; k++)
    {
      const char *name = sl_monitor_summary_fields[k];
      g_autofree char *path = g_strdup_printf ("summary.%s", name);
      g_autoptr(SlFieldSelector) sel = sl_field_selector_new (SL_AXIS_MONITOR, path, NULL);
      SlScalarType type = SL_SCALAR_U64;
      const char *unit;

      if (k >= 7 && !m->has_schedstat_deltas)
        continue;
      sl_field_selector_natural_type (sel, &type);
      if (strcmp (name, "total_run_delay") == 0)
        unit = "ns";
      else if (strcmp (name, "run_delay_rate") == 0)
        unit = "ns/s";
      else if (strcmp (name, "sched_count_rate") == 0)
        unit = "1/s";
      else if (type == SL_SCALAR_F64)
        unit = NULL;
      else
        unit = "count";
      add_field (b, SL_AXIS_MONITOR, path, type, unit, "summary");
    }
  if (!m->has_event_deltas)
    return;
  for (guint k = 0; k < SL_MONITOR_EVENT_PAIR_COUNT; k++)
    {
      g_autofree char *path = g_strdup_printf ("events.%s", sl_monitor_event_pairs[k]);
      add_field (b, SL_AXIS_MONITOR, path, SL_SCALAR_I64,
                 g_str_has_suffix (sl_monitor_event_pairs[k], "_ns") ? "ns" : "count", "events");
    }
  for (guint k = 0; k < SL_MONITOR_RATE_COUNT; k++)
    {
      g_autofree char *path = g_strdup_printf ("rates.%s", sl_monitor_rates[k]);
      add_field (b, SL_AXIS_MONITOR, path, SL_SCALAR_F64, "1/s", "rates");
    }
}

SlFieldCatalog *
sl_field_catalog_build (SlRun *run, guint max_fields)
{
  Builder b = { 0 };
  SlFieldCatalog *cat;

  g_return_val_if_fail (run != NULL, NULL);

  b.max = max_fields ? max_fields : SL_FIELD_CATALOG_MAX_FIELDS;
  b.by_selector = g_hash_table_new (g_str_hash, g_str_equal);
  b.key = g_string_new (NULL);
  b.full = g_string_new (NULL);
  for (guint a = 0; a < SL_AXIS_COUNT; a++)
    b.axis_lists[a] = g_ptr_array_new ();

  for (guint i = 0; run->samples && i < run->samples->len && !b.truncated; i++)
    {
      const SlSample *s = g_ptr_array_index (run->samples, i);

      if (s->report != NULL && !s->report->is_placeholder)
        {
          add_bpf (&b, s->report);
          add_host (&b, s);
        }
      if (s->stats != NULL)
        {
          g_autoptr(GString) path = g_string_new (NULL);
          add_stats_node (&b, path, s->stats, 0);
        }
    }
  for (guint i = 0; run->monitor_samples && i < run->monitor_samples->len && !b.truncated; i++)
    {
      const SlMonitorSample *m = g_ptr_array_index (run->monitor_samples, i);

      for (guint c = 0; m->cpus && c < m->cpus->len; c++)
        add_monitor_cpu (&b, &g_array_index (m->cpus, SlCpuSnapshot, c));
    }
  if (run->monitor_summary)
    add_monitor_summary (&b, run->monitor_summary);

  cat = g_new0 (SlFieldCatalog, 1);
  cat->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_info_free);
  cat->truncated = b.truncated;
  for (guint a = 0; a < SL_AXIS_COUNT; a++)
    {
      for (guint i = 0; i < b.axis_lists[a]->len; i++)
        g_ptr_array_add (cat->fields, g_ptr_array_index (b.axis_lists[a], i));
      g_ptr_array_free (b.axis_lists[a], TRUE);
    }
  g_hash_table_destroy (b.by_selector);
  g_string_free (b.key, TRUE);
  g_string_free (b.full, TRUE);
  return cat;
}

void
sl_field_catalog_free (SlFieldCatalog *cat)
{
  if (cat == NULL)
    return;
  g_ptr_array_free (cat->fields, TRUE);
  g_free (cat);
}

const SlFieldInfo *
sl_field_catalog_lookup (const SlFieldCatalog *cat, const char *selector)
{
  g_return_val_if_fail (cat != NULL && selector != NULL, NULL);
  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);

      if (strcmp (f->selector, selector) == 0)
        return f;
    }
  return NULL;
}

static gboolean
contains_casefold (const char *hay, const char *needle_folded)
{
  g_autofree char *h = g_utf8_casefold (hay, -1);
  return strstr (h, needle_folded) != NULL;
}

gboolean
sl_field_info_matches (const SlFieldInfo *f, const SlAxis *axis_filter, const char *text)
{
  g_autofree char *needle = NULL;

  g_return_val_if_fail (f != NULL, FALSE);
  if (axis_filter && f->axis != *axis_filter)
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  return contains_casefold (f->selector, needle) || contains_casefold (f->group, needle);
}
