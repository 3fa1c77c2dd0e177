/* sl-report.c: the typed subset of ktstr's FailureDumpReport (§2.2–2.4).
 *
 * Only what the projections use is typed (maps, per-CPU times, the active
 * scheduler identity, placeholder state); every other key is kept verbatim
 * in `extra` (report) or `other` (map) and written back in ktstr's order,
 * so a report survives read → write unchanged. Input is untrusted: sizes
 * are bounded and errors name `where` plus the path inside the report. */
#include "sl-report.h"

#include <string.h>

#define SL_REPORT_MAX_MAPS        65536
#define SL_REPORT_MAX_ENTRIES     1000000
#define SL_REPORT_MAX_CPUS        4096
#define SL_REPORT_MAX_KVAS        65536
/* Unmodelled keys are written back recursively: keep them shallow enough. */
#define SL_REPORT_MAX_EXTRA_DEPTH 128

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

static const char *const cpustat_keys[] = {
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

static void
free_per_cpu (SlValue **per_cpu, guint n)
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
  free_per_cpu (e->per_cpu, e->n_cpus);
  g_free (e);
}

void
sl_percpu_hash_entry_free (SlPercpuHashEntry *e)
{
  if (e == NULL)
    return;
  sl_value_free (e->key);
  g_free (e->key_hex);
  free_per_cpu (e->per_cpu, e->n_cpus);
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

/* ---- reading ----------------------------------------------------------- */

typedef struct {
  GString *path;     /* where + the path inside the report; grows and shrinks */
  GError **error;
} ReadCtx;

G_GNUC_PRINTF (3, 4) static void
read_fail (ReadCtx *ctx, SlError code, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (ctx->error, SL_ERROR, code, "%s: %s", ctx->path->str, msg);
}

static const char *
json_type_name (JsonNode *n)
{
  if (n == NULL)
    return "missing";
  if (JSON_NODE_HOLDS_OBJECT (n)) return "an object";
  if (JSON_NODE_HOLDS_ARRAY (n)) return "an array";
  if (JSON_NODE_HOLDS_NULL (n)) return "null";
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64: return "an integer";
    case G_TYPE_DOUBLE: return "a float";
    case G_TYPE_BOOLEAN: return "a boolean";
    case G_TYPE_STRING: return "a string";
    default: return "an unknown JSON type";
    }
}

static gboolean
get_u64 (ReadCtx *ctx, JsonObject *o, const char *key, gboolean required, guint64 *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (!required && (n == NULL || JSON_NODE_HOLDS_NULL (n)))
    return TRUE;
  if (sl_json_node_get_u64 (n, out))
    return TRUE;
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an integer, found %s", key, json_type_name (n));
  return FALSE;
}

static gboolean
get_u32 (ReadCtx *ctx, JsonObject *o, const char *key, guint32 *out)
{
  guint64 v = 0;

  if (!get_u64 (ctx, o, key, TRUE, &v))
    return FALSE;
  if (v > G_MAXUINT32)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" out of range for u32: %" G_GINT64_FORMAT, key, (gint64) v);
      return FALSE;
    }
  *out = (guint32) v;
  return TRUE;
}

/* Optional string: absent or null leaves *out NULL. */
static gboolean
get_str (ReadCtx *ctx, JsonObject *o, const char *key, gboolean required, char **out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (!required && (n == NULL || JSON_NODE_HOLDS_NULL (n)))
    return TRUE;
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    {
      g_free (*out);
      *out = g_strdup (json_node_get_string (n));
      return TRUE;
    }
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be a string, found %s", key, json_type_name (n));
  return FALSE;
}

/* An optional array: absent or null gives an empty array (*out = NULL). */
static gboolean
get_array (ReadCtx *ctx, JsonObject *o, const char *key, guint max, JsonArray **out)
{
  JsonNode *n = json_object_get_member (o, key);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (n))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an array, found %s", key, json_type_name (n));
      return FALSE;
    }
  *out = json_node_get_array (n);
  if (json_array_get_length (*out) > max)
    {
      read_fail (ctx, SL_ERROR_TOO_LARGE, "key \"%s\" has %u items (at most %u allowed)",
                 key, json_array_get_length (*out), max);
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
element_object (ReadCtx *ctx, JsonArray *a, guint i, const char *what)
{
  JsonNode *n = json_array_get_element (a, i);

  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "%s must be an object, found %s", what, json_type_name (n));
      return NULL;
    }
  return json_node_get_object (n);
}

/* Reads an optional RenderedValue under key; the path gains ".key". */
static gboolean
get_value (ReadCtx *ctx, JsonObject *o, const char *key, SlValue **out)
{
  JsonNode *n = json_object_get_member (o, key);
  gsize mark = ctx->path->len;

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  g_string_append_c (ctx->path, '.');
  g_string_append (ctx->path, key);
  *out = sl_value_from_json (n, ctx->path->str, ctx->error);
  g_string_truncate (ctx->path, mark);
  return *out != NULL;
}

static gboolean
check_verbatim (ReadCtx *ctx, const char *key, JsonNode *n)
{
  if (sl_json_node_depth (n, SL_REPORT_MAX_EXTRA_DEPTH) > SL_REPORT_MAX_EXTRA_DEPTH)
    {
      read_fail (ctx, SL_ERROR_TOO_LARGE, "key \"%s\" is nested deeper than %u levels",
                 key, SL_REPORT_MAX_EXTRA_DEPTH);
      return FALSE;
    }
  return TRUE;
}

/* "per_cpu": one value or null per CPU. */
static gboolean
read_per_cpu (ReadCtx *ctx, JsonObject *o, SlValue ***out, guint *n_out)
{
  JsonArray *a;
  guint n;
  SlValue **slots;
  gsize mark = ctx->path->len;

  if (!get_array (ctx, o, "per_cpu", SL_REPORT_MAX_CPUS, &a))
    return FALSE;
  n = a != NULL ? json_array_get_length (a) : 0;
  slots = g_new0 (SlValue *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *cn = json_array_get_element (a, i);

      if (JSON_NODE_HOLDS_NULL (cn))
        continue;
      g_string_append_printf (ctx->path, ".per_cpu[%u]", i);
      slots[i] = sl_value_from_json (cn, ctx->path->str, ctx->error);
      g_string_truncate (ctx->path, mark);
      if (slots[i] == NULL)
        {
          free_per_cpu (slots, n);
          return FALSE;
        }
    }
  *out = slots;
  *n_out = n;
  return TRUE;
}

static gboolean
read_entries (ReadCtx *ctx, JsonObject *mo, SlMap *m)
{
  JsonArray *a;
  gsize mark = ctx->path->len;

  if (!get_array (ctx, mo, "entries", SL_REPORT_MAX_ENTRIES, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      SlMapEntry *e;
      JsonObject *eo;

      g_string_append_printf (ctx->path, ".entries[%u]", i);
      if ((eo = element_object (ctx, a, i, "an entry")) == NULL)
        return FALSE;
      e = g_new0 (SlMapEntry, 1);
      g_ptr_array_add (m->entries, e);
      if (!get_value (ctx, eo, "key", &e->key) || !get_str (ctx, eo, "key_hex", FALSE, &e->key_hex)
          || !get_value (ctx, eo, "value", &e->value) || !get_str (ctx, eo, "value_hex", FALSE, &e->value_hex))
        return FALSE;
      if (e->key_hex == NULL)
        e->key_hex = g_strdup ("");
      if (e->value_hex == NULL)
        e->value_hex = g_strdup ("");
      g_string_truncate (ctx->path, mark);
    }
  return TRUE;
}

static gboolean
read_percpu_entries (ReadCtx *ctx, JsonObject *mo, SlMap *m)
{
  JsonArray *a;
  gsize mark = ctx->path->len;

  if (!get_array (ctx, mo, "percpu_entries", SL_REPORT_MAX_ENTRIES, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      SlPercpuEntry *e;
      JsonObject *eo;

      g_string_append_printf (ctx->path, ".percpu_entries[%u]", i);
      if ((eo = element_object (ctx, a, i, "an entry")) == NULL)
        return FALSE;
      e = g_new0 (SlPercpuEntry, 1);
      g_ptr_array_add (m->percpu_entries, e);
      if (!get_u32 (ctx, eo, "key", &e->key) || !read_per_cpu (ctx, eo, &e->per_cpu, &e->n_cpus))
        return FALSE;
      g_string_truncate (ctx->path, mark);
    }
  return TRUE;
}

static gboolean
read_percpu_hash_entries (ReadCtx *ctx, JsonObject *mo, SlMap *m)
{
  JsonArray *a;
  gsize mark = ctx->path->len;

  if (!get_array (ctx, mo, "percpu_hash_entries", SL_REPORT_MAX_ENTRIES, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      SlPercpuHashEntry *e;
      JsonObject *eo;

      g_string_append_printf (ctx->path, ".percpu_hash_entries[%u]", i);
      if ((eo = element_object (ctx, a, i, "an entry")) == NULL)
        return FALSE;
      e = g_new0 (SlPercpuHashEntry, 1);
      g_ptr_array_add (m->percpu_hash_entries, e);
      if (!get_value (ctx, eo, "key", &e->key) || !get_str (ctx, eo, "key_hex", FALSE, &e->key_hex)
          || !read_per_cpu (ctx, eo, &e->per_cpu, &e->n_cpus))
        return FALSE;
      if (e->key_hex == NULL)
        e->key_hex = g_strdup ("");
      g_string_truncate (ctx->path, mark);
    }
  return TRUE;
}

static const char *const map_typed_keys[] = {
  "name", "map_kva", "map_type", "value_size", "max_entries", "value", "entries",
  "percpu_entries", "percpu_hash_entries", "error",
};

static gboolean
is_one_of (const char *key, const char *const *keys, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (key, keys[i]) == 0)
      return TRUE;
  return FALSE;
}

static SlMap *
read_map (ReadCtx *ctx, JsonObject *mo)
{
  g_autoptr(SlMap) m = sl_map_new (NULL, 0, 0, 0);
  JsonObjectIter iter;
  const char *key;
  JsonNode *n;

  if (!get_str (ctx, mo, "name", TRUE, &m->name) || !get_u64 (ctx, mo, "map_kva", FALSE, &m->map_kva)
      || !get_u32 (ctx, mo, "map_type", &m->map_type) || !get_u32 (ctx, mo, "value_size", &m->value_size)
      || !get_u32 (ctx, mo, "max_entries", &m->max_entries) || !get_value (ctx, mo, "value", &m->value)
      || !read_entries (ctx, mo, m) || !read_percpu_entries (ctx, mo, m)
      || !read_percpu_hash_entries (ctx, mo, m) || !get_str (ctx, mo, "error", FALSE, &m->error))
    return NULL;

  json_object_iter_init_ordered (&iter, mo);
  while (json_object_iter_next_ordered (&iter, &key, &n))
    {
      if (is_one_of (key, map_typed_keys, G_N_ELEMENTS (map_typed_keys)))
        continue;
      if (!check_verbatim (ctx, key, n))
        return NULL;
      if (m->other == NULL)
        m->other = json_object_new ();
      json_object_set_member (m->other, key, json_node_copy (n));
    }
  return g_steal_pointer (&m);
}

static gboolean
read_per_cpu_time (ReadCtx *ctx, JsonObject *o, SlPerCpuTime *t)
{
  JsonArray *soft;
  guint64 cpu;

  memset (t, 0, sizeof *t);
  if (!get_u64 (ctx, o, "cpu", TRUE, &cpu))
    return FALSE;
  if (cpu > G_MAXUINT32)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"cpu\" out of range for u32");
      return FALSE;
    }
  t->cpu = (guint32) cpu;
  {
    guint64 *fields[] = { &t->cpustat_user_ns, &t->cpustat_nice_ns, &t->cpustat_system_ns,
                          &t->cpustat_softirq_ns, &t->cpustat_irq_ns, &t->cpustat_idle_ns,
                          &t->cpustat_iowait_ns, &t->cpustat_steal_ns };

    for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
      if (!get_u64 (ctx, o, cpustat_keys[i], TRUE, fields[i]))
        return FALSE;
  }
  if (!get_array (ctx, o, "softirqs", SL_NR_SOFTIRQS, &soft))
    return FALSE;
  if (soft == NULL || json_array_get_length (soft) != SL_NR_SOFTIRQS)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"softirqs\" must be an array of %d integers", SL_NR_SOFTIRQS);
      return FALSE;
    }
  for (guint i = 0; i < SL_NR_SOFTIRQS; i++)
    if (!sl_json_node_get_u64 (json_array_get_element (soft, i), &t->softirqs[i]))
      {
        read_fail (ctx, SL_ERROR_CORRUPT, "softirqs[%u] must be an integer", i);
        return FALSE;
      }
  if (!get_u64 (ctx, o, "irqs_sum", TRUE, &t->irqs_sum))
    return FALSE;
  if (json_object_has_member (o, "iowait_sleeptime_ns")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (o, "iowait_sleeptime_ns")))
    {
      if (!get_u64 (ctx, o, "iowait_sleeptime_ns", TRUE, &t->iowait_sleeptime_ns.v))
        return FALSE;
      t->iowait_sleeptime_ns.set = TRUE;
    }
  return TRUE;
}

static const char *const report_typed_keys[] = {
  "schema", "maps", "per_cpu_time", "active_obj_name", "active_map_kvas",
  "is_placeholder", "scx_walker_unavailable",
};

static gboolean
read_report (ReadCtx *ctx, JsonObject *o, SlReport *r)
{
  JsonArray *a;
  JsonNode *n;
  JsonObjectIter iter;
  const char *key;
  gsize mark = ctx->path->len;

  n = json_object_get_member (o, "schema");
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"schema\" must be a string, found %s", json_type_name (n));
      return FALSE;
    }
  if (strcmp (json_node_get_string (n), "single") != 0)
    {
      read_fail (ctx, SL_ERROR_CORRUPT, "schema \"%s\" is not supported (expected \"single\")",
                 json_node_get_string (n));
      return FALSE;
    }

  if (!get_array (ctx, o, "maps", SL_REPORT_MAX_MAPS, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonObject *mo;
      SlMap *m;

      g_string_append_printf (ctx->path, ".maps[%u]", i);
      if ((mo = element_object (ctx, a, i, "a map")) == NULL || (m = read_map (ctx, mo)) == NULL)
        return FALSE;
      g_ptr_array_add (r->maps, m);
      g_string_truncate (ctx->path, mark);
    }

  if (!get_array (ctx, o, "per_cpu_time", SL_REPORT_MAX_CPUS, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      JsonObject *to;
      SlPerCpuTime t;

      g_string_append_printf (ctx->path, ".per_cpu_time[%u]", i);
      if ((to = element_object (ctx, a, i, "a per-CPU time record")) == NULL || !read_per_cpu_time (ctx, to, &t))
        return FALSE;
      g_array_append_val (r->per_cpu_time, t);
      g_string_truncate (ctx->path, mark);
    }

  if (!get_str (ctx, o, "active_obj_name", FALSE, &r->active_obj_name))
    return FALSE;
  if (!get_array (ctx, o, "active_map_kvas", SL_REPORT_MAX_KVAS, &a))
    return FALSE;
  for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
    {
      guint64 kva;

      if (!sl_json_node_get_u64 (json_array_get_element (a, i), &kva))
        {
          read_fail (ctx, SL_ERROR_CORRUPT, "active_map_kvas[%u] must be an integer", i);
          return FALSE;
        }
      g_array_append_val (r->active_map_kvas, kva);
    }

  n = json_object_get_member (o, "is_placeholder");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
        {
          read_fail (ctx, SL_ERROR_CORRUPT, "key \"is_placeholder\" must be a boolean, found %s",
                     json_type_name (n));
          return FALSE;
        }
      r->is_placeholder = json_node_get_boolean (n);
    }
  if (!get_str (ctx, o, "scx_walker_unavailable", FALSE, &r->scx_walker_unavailable))
    return FALSE;

  json_object_iter_init_ordered (&iter, o);
  while (json_object_iter_next_ordered (&iter, &key, &n))
    {
      if (is_one_of (key, report_typed_keys, G_N_ELEMENTS (report_typed_keys)))
        continue;
      if (!check_verbatim (ctx, key, n))
        return FALSE;
      json_object_set_member (r->extra, key, json_node_copy (n));
    }
  return TRUE;
}

SlReport *
sl_report_from_json (JsonNode *node, const char *where, GError **error)
{
  g_autoptr(SlReport) r = NULL;
  ReadCtx ctx;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  ctx.path = g_string_new (where != NULL ? where : "report");
  ctx.error = error;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      read_fail (&ctx, SL_ERROR_CORRUPT, "a report must be an object, found %s", json_type_name (node));
      g_string_free (ctx.path, TRUE);
      return NULL;
    }
  r = sl_report_new ();
  ok = read_report (&ctx, json_node_get_object (node), r);
  g_string_free (ctx.path, TRUE);
  return ok ? g_steal_pointer (&r) : NULL;
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
          if (e->key != NULL)
            {
              sl_json_writer_key (w, "key");
              sl_value_write_json (e->key, w);
            }
          sl_json_writer_key (w, "key_hex");
          sl_json_writer_string (w, e->key_hex != NULL ? e->key_hex : "");
          if (e->value != NULL)
            {
              sl_json_writer_key (w, "value");
              sl_value_write_json (e->value, w);
            }
          sl_json_writer_key (w, "value_hex");
          sl_json_writer_string (w, e->value_hex != NULL ? e->value_hex : "");
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
          if (e->key != NULL)
            {
              sl_json_writer_key (w, "key");
              sl_value_write_json (e->key, w);
            }
          sl_json_writer_key (w, "key_hex");
          sl_json_writer_string (w, e->key_hex != NULL ? e->key_hex : "");
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
      sl_json_writer_key (w, cpustat_keys[i]);
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
        if (!is_one_of (key, report_key_order, G_N_ELEMENTS (report_key_order)))
          {
            sl_json_writer_key (w, key);
            sl_json_writer_node (w, n);
          }
    }
  sl_json_writer_end_object (w);
}
