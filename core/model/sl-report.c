/* sl-report.c: the typed subset of ktstr's FailureDumpReport (§2.2–2.4):
 * construction, lookup and JSON writing (reading is in sl-report-read.c).
 *
 * Only what the projections use is typed (maps, per-CPU times, the active
 * scheduler identity, placeholder state); every other key is kept verbatim
 * in `extra` (report) or `other` (map) and written back in ktstr's order,
 * so a report survives read → write unchanged. */
#include "sl-report.h"
#include "sl-report-private.h"

#include <string.h>

/* Report keys in ktstr's serialization order; unknown keys follow them. */
static const char *const report_key_order[] = {
  "schema", "maps", "vcpu_regs", "active_obj_name", "active_map_kvas", "sdt_allocations",
  "scx_static_ranges", "sdt_alloc_unavailable", "prog_runtime_stats",
  "prog_runtime_stats_unavailable", "per_cpu_time", "per_node_numa", "per_node_numa_unavailable",
  "task_enrichments", "task_enrichments_unavailable", "event_counter_timeline", "rq_scx_states",
  "dsq_states", "scx_sched_state", "scx_walker_unavailable", "vcpu_perf_at_freeze",
  "dump_truncated_at_us", "probe_counters", "is_placeholder",
};

static const char *const placeholder_extra_keys[] = {
  "prog_runtime_stats_unavailable", "per_node_numa_unavailable",
  "task_enrichments_unavailable", "sdt_alloc_unavailable",
};

const char *const sl_report_cpustat_keys[8] = {
  "cpustat_user_ns", "cpustat_nice_ns", "cpustat_system_ns", "cpustat_softirq_ns",
  "cpustat_irq_ns", "cpustat_idle_ns", "cpustat_iowait_ns", "cpustat_steal_ns",
};

/* ---- construction ------------------------------------------------------ */

SlReport *
sl_report_new (void)
{
  SlReport *r = g_new0 (SlReport, 1);

  r->schema = g_strdup ("single");
  r->maps = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_map_free);
  r->per_cpu_time = g_array_new (FALSE, FALSE, sizeof (SlPerCpuTime));
  r->active_map_kvas = g_array_new (FALSE, FALSE, sizeof (guint64));
  r->extra = json_object_new ();
  return r;
}

SlReport *
sl_report_new_placeholder (const char *reason)
{
  SlReport *r;

  g_return_val_if_fail (reason != NULL, NULL);
  r = sl_report_new ();
  r->is_placeholder = TRUE;
  r->scx_walker_unavailable = g_strdup (reason);
  for (gsize i = 0; i < G_N_ELEMENTS (placeholder_extra_keys); i++)
    json_object_set_string_member (r->extra, placeholder_extra_keys[i], reason);
  return r;
}

void
sl_report_free (SlReport *r)
{
  if (r == NULL)
    return;
  g_free (r->schema);
  g_ptr_array_unref (r->maps);
  g_array_unref (r->per_cpu_time);
  g_free (r->active_obj_name);
  g_array_unref (r->active_map_kvas);
  g_free (r->scx_walker_unavailable);
  if (r->extra != NULL)
    json_object_unref (r->extra);
  g_free (r);
}

SlMap *
sl_map_new (const char *name, guint32 map_type, guint32 value_size, guint32 max_entries)
{
  SlMap *m = g_new0 (SlMap, 1);

  m->name = g_strdup (name != NULL ? name : "");
  m->map_type = map_type;
  m->value_size = value_size;
  m->max_entries = max_entries;
  m->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_map_entry_free);
  m->percpu_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_percpu_entry_free);
  m->percpu_hash_entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_percpu_hash_entry_free);
  return m;
}

void
sl_map_free (SlMap *m)
{
  if (m == NULL)
    return;
  g_free (m->name);
  sl_value_free (m->value);
  g_ptr_array_unref (m->entries);
  g_ptr_array_unref (m->percpu_entries);
  g_ptr_array_unref (m->percpu_hash_entries);
  if (m->other != NULL)
    json_object_unref (m->other);
  g_free (m->error);
  g_free (m);
}

void
sl_map_entry_free (SlMapEntry *e)
{
  if (e == NULL)
    return;
  sl_value_free (e->key);
  g_free (e->key_hex);
  sl_value_free (e->value);
  g_free (e->value_hex);
  g_free (e);
}

void
sl_report_free_per_cpu (SlValue **per_cpu, guint n)
{
  for (guint i = 0; i < n; i++)
    sl_value_free (per_cpu[i]);
  g_free (per_cpu);
}

void
sl_percpu_entry_free (SlPercpuEntry *e)
{
  if (e == NULL)
    return;
  sl_report_free_per_cpu (e->per_cpu, e->n_cpus);
  g_free (e);
}

void
sl_percpu_hash_entry_free (SlPercpuHashEntry *e)
{
  if (e == NULL)
    return;
  sl_value_free (e->key);
  g_free (e->key_hex);
  sl_report_free_per_cpu (e->per_cpu, e->n_cpus);
  g_free (e);
}

const SlMap *
sl_report_find_map (const SlReport *r, const char *name)
{
  g_return_val_if_fail (r != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < r->maps->len; i++)
    {
      const SlMap *m = g_ptr_array_index (r->maps, i);

      if (strcmp (m->name, name) == 0)
        return m;
    }
  return NULL;
}

gboolean
sl_map_is_global_section (const SlMap *m)
{
  g_return_val_if_fail (m != NULL, FALSE);
  return g_str_has_suffix (m->name, ".bss") || g_str_has_suffix (m->name, ".data")
         || g_str_has_suffix (m->name, ".rodata");
}

gboolean
sl_report_key_is_one_of (const char *key, const char *const *keys, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (key, keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* ---- writing ----------------------------------------------------------- */

static void
write_per_cpu (SlJsonWriter *w, SlValue *const *per_cpu, guint n)
{
  sl_json_writer_key (w, "per_cpu");
  sl_json_writer_begin_array (w);
  for (guint i = 0; i < n; i++)
    {
      if (per_cpu[i] != NULL)
        sl_value_write_json (per_cpu[i], w);
      else
        sl_json_writer_null (w);
    }
  sl_json_writer_end_array (w);
}

static void
write_other_key (SlJsonWriter *w, JsonObject *other, const char *key)
{
  JsonNode *n = other != NULL ? json_object_get_member (other, key) : NULL;

  if (n == NULL)
    return;
  sl_json_writer_key (w, key);
  sl_json_writer_node (w, n);
}

/* A map key or value as ktstr writes it: the decoded form (omitted when it
 * could not be decoded), then the raw bytes in hex ("" when unknown). */
static void
write_decoded_and_hex (SlJsonWriter *w, const char *key, const SlValue *decoded,
                       const char *hex_key, const char *hex)
{
  if (decoded != NULL)
    {
      sl_json_writer_key (w, key);
      sl_value_write_json (decoded, w);
    }
  sl_json_writer_key (w, hex_key);
  sl_json_writer_string (w, hex != NULL ? hex : "");
}

static void
write_map (const SlMap *m, SlJsonWriter *w)
{
  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "name");
  sl_json_writer_string (w, m->name);
  if (m->map_kva != 0)
    {
      sl_json_writer_key (w, "map_kva");
      sl_json_writer_u64 (w, m->map_kva);
    }
  sl_json_writer_key (w, "map_type");
  sl_json_writer_u64 (w, m->map_type);
  sl_json_writer_key (w, "value_size");
  sl_json_writer_u64 (w, m->value_size);
  sl_json_writer_key (w, "max_entries");
  sl_json_writer_u64 (w, m->max_entries);
  if (m->value != NULL)
    {
      sl_json_writer_key (w, "value");
      sl_value_write_json (m->value, w);
    }
  if (m->entries->len > 0)
    {
      sl_json_writer_key (w, "entries");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < m->entries->len; i++)
        {
          const SlMapEntry *e = g_ptr_array_index (m->entries, i);

          sl_json_writer_begin_object (w);
          write_decoded_and_hex (w, "key", e->key, "key_hex", e->key_hex);
          write_decoded_and_hex (w, "value", e->value, "value_hex", e->value_hex);
          sl_json_writer_end_object (w);
        }
      sl_json_writer_end_array (w);
    }
  write_other_key (w, m->other, "array_entries");
  if (m->percpu_entries->len > 0)
    {
      sl_json_writer_key (w, "percpu_entries");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < m->percpu_entries->len; i++)
        {
          const SlPercpuEntry *e = g_ptr_array_index (m->percpu_entries, i);

          sl_json_writer_begin_object (w);
          sl_json_writer_key (w, "key");
          sl_json_writer_u64 (w, e->key);
          write_per_cpu (w, e->per_cpu, e->n_cpus);
          sl_json_writer_end_object (w);
        }
      sl_json_writer_end_array (w);
    }
  if (m->percpu_hash_entries->len > 0)
    {
      sl_json_writer_key (w, "percpu_hash_entries");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < m->percpu_hash_entries->len; i++)
        {
          const SlPercpuHashEntry *e = g_ptr_array_index (m->percpu_hash_entries, i);

          sl_json_writer_begin_object (w);
          write_decoded_and_hex (w, "key", e->key, "key_hex", e->key_hex);
          write_per_cpu (w, e->per_cpu, e->n_cpus);
          sl_json_writer_end_object (w);
        }
      sl_json_writer_end_array (w);
    }
  if (m->other != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *n;

      json_object_iter_init_ordered (&iter, m->other);
      while (json_object_iter_next_ordered (&iter, &key, &n))
        if (strcmp (key, "array_entries") != 0)
          {
            sl_json_writer_key (w, key);
            sl_json_writer_node (w, n);
          }
    }
  if (m->error != NULL)
    {
      sl_json_writer_key (w, "error");
      sl_json_writer_string (w, m->error);
    }
  sl_json_writer_end_object (w);
}

static void
write_per_cpu_time (const SlPerCpuTime *t, SlJsonWriter *w)
{
  const guint64 fields[] = { t->cpustat_user_ns, t->cpustat_nice_ns, t->cpustat_system_ns,
                             t->cpustat_softirq_ns, t->cpustat_irq_ns, t->cpustat_idle_ns,
                             t->cpustat_iowait_ns, t->cpustat_steal_ns };

  sl_json_writer_begin_object (w);
  sl_json_writer_key (w, "cpu");
  sl_json_writer_u64 (w, t->cpu);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      sl_json_writer_key (w, sl_report_cpustat_keys[i]);
      sl_json_writer_u64 (w, fields[i]);
    }
  sl_json_writer_key (w, "softirqs");
  sl_json_writer_begin_array (w);
  for (guint i = 0; i < SL_NR_SOFTIRQS; i++)
    sl_json_writer_u64 (w, t->softirqs[i]);
  sl_json_writer_end_array (w);
  sl_json_writer_key (w, "irqs_sum");
  sl_json_writer_u64 (w, t->irqs_sum);
  if (t->iowait_sleeptime_ns.set)
    {
      sl_json_writer_key (w, "iowait_sleeptime_ns");
      sl_json_writer_u64 (w, t->iowait_sleeptime_ns.v);
    }
  sl_json_writer_end_object (w);
}

/* Writes one key of the report: typed fields by their omission rules,
 * everything else from `extra`. */
static void
write_report_key (const SlReport *r, SlJsonWriter *w, const char *key)
{
  if (strcmp (key, "schema") == 0)
    {
      sl_json_writer_key (w, "schema");
      sl_json_writer_string (w, r->schema != NULL ? r->schema : "single");
    }
  else if (strcmp (key, "maps") == 0)
    {
      sl_json_writer_key (w, "maps");
      sl_json_writer_begin_array (w);
      for (guint i = 0; i < r->maps->len; i++)
        write_map (g_ptr_array_index (r->maps, i), w);
      sl_json_writer_end_array (w);
    }
  else if (strcmp (key, "active_obj_name") == 0)
    {
      if (r->active_obj_name != NULL)
        {
          sl_json_writer_key (w, key);
          sl_json_writer_string (w, r->active_obj_name);
        }
    }
  else if (strcmp (key, "active_map_kvas") == 0)
    {
      if (r->active_map_kvas->len > 0)
        {
          sl_json_writer_key (w, key);
          sl_json_writer_begin_array (w);
          for (guint i = 0; i < r->active_map_kvas->len; i++)
            sl_json_writer_u64 (w, g_array_index (r->active_map_kvas, guint64, i));
          sl_json_writer_end_array (w);
        }
    }
  else if (strcmp (key, "per_cpu_time") == 0)
    {
      if (r->per_cpu_time->len > 0)
        {
          sl_json_writer_key (w, key);
          sl_json_writer_begin_array (w);
          for (guint i = 0; i < r->per_cpu_time->len; i++)
            write_per_cpu_time (&g_array_index (r->per_cpu_time, SlPerCpuTime, i), w);
          sl_json_writer_end_array (w);
        }
    }
  else if (strcmp (key, "scx_walker_unavailable") == 0)
    {
      if (r->scx_walker_unavailable != NULL)
        {
          sl_json_writer_key (w, key);
          sl_json_writer_string (w, r->scx_walker_unavailable);
        }
    }
  else if (strcmp (key, "is_placeholder") == 0)
    {
      if (r->is_placeholder)
        {
          sl_json_writer_key (w, key);
          sl_json_writer_bool (w, TRUE);
        }
    }
  else
    write_other_key (w, r->extra, key);
}

void
sl_report_write_json (const SlReport *r, SlJsonWriter *w)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *n;

  g_return_if_fail (r != NULL);
  g_return_if_fail (w != NULL);

  sl_json_writer_begin_object (w);
  for (gsize i = 0; i < G_N_ELEMENTS (report_key_order); i++)
    write_report_key (r, w, report_key_order[i]);
  if (r->extra != NULL)
    {
      json_object_iter_init_ordered (&iter, r->extra);
      while (json_object_iter_next_ordered (&iter, &key, &n))
        if (!sl_report_key_is_one_of (key, report_key_order, G_N_ELEMENTS (report_key_order)))
          {
            sl_json_writer_key (w, key);
            sl_json_writer_node (w, n);
          }
    }
  sl_json_writer_end_object (w);
}
