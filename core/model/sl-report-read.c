/* sl-report-read.c: FailureDumpReport from untrusted JSON.
 *
 * Requires schema "single"; omitted keys take ktstr's defaults; sizes are
 * bounded; every error names `where` plus the path inside the report.
 * Unmodelled keys are kept verbatim (report `extra`, map `other`); the
 * entry-level `payload` key (sdt_alloc flex payloads) is not modelled. */
#include "sl-report.h"
#include "sl-report-private.h"

#include <string.h>

#define SL_REPORT_MAX_MAPS        65536
#define SL_REPORT_MAX_ENTRIES     1000000
#define SL_REPORT_MAX_CPUS        4096
#define SL_REPORT_MAX_KVAS        65536
/* Unmodelled keys are written back recursively: keep them shallow enough. */
#define SL_REPORT_MAX_EXTRA_DEPTH 128

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

static gboolean
get_u64 (ReadCtx *ctx, JsonObject *o, const char *key, gboolean required, guint64 *out)
{
  JsonNode *n = json_object_get_member (o, key);

  if (!required && (n == NULL || JSON_NODE_HOLDS_NULL (n)))
    return TRUE;
  if (sl_json_node_get_u64 (n, out))
    return TRUE;
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an integer, found %s", key, sl_json_node_type_name (n));
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
  read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be a string, found %s", key, sl_json_node_type_name (n));
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
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"%s\" must be an array, found %s", key, sl_json_node_type_name (n));
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
      read_fail (ctx, SL_ERROR_CORRUPT, "%s must be an object, found %s", what, sl_json_node_type_name (n));
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
          sl_report_free_per_cpu (slots, n);
          return FALSE;
        }
    }
  *out = slots;
  *n_out = n;
  return TRUE;
}

/* A map key or value: the decoded form (NULL when omitted) and the raw bytes
 * in hex ("" when omitted). */
static gboolean
get_decoded_and_hex (ReadCtx *ctx, JsonObject *o, const char *key, SlValue **decoded,
                     const char *hex_key, char **hex)
{
  if (!get_value (ctx, o, key, decoded) || !get_str (ctx, o, hex_key, FALSE, hex))
    return FALSE;
  if (*hex == NULL)
    *hex = g_strdup ("");
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
      if (!get_decoded_and_hex (ctx, eo, "key", &e->key, "key_hex", &e->key_hex)
          || !get_decoded_and_hex (ctx, eo, "value", &e->value, "value_hex", &e->value_hex))
        return FALSE;
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
      if (!get_decoded_and_hex (ctx, eo, "key", &e->key, "key_hex", &e->key_hex)
          || !read_per_cpu (ctx, eo, &e->per_cpu, &e->n_cpus))
        return FALSE;
      g_string_truncate (ctx->path, mark);
    }
  return TRUE;
}

static const char *const map_typed_keys[] = {
  "name", "map_kva", "map_type", "value_size", "max_entries", "value", "entries",
  "percpu_entries", "percpu_hash_entries", "error",
};

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
      if (sl_report_key_is_one_of (key, map_typed_keys, G_N_ELEMENTS (map_typed_keys)))
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
      if (!get_u64 (ctx, o, sl_report_cpustat_keys[i], TRUE, fields[i]))
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
      read_fail (ctx, SL_ERROR_CORRUPT, "key \"schema\" must be a string, found %s", sl_json_node_type_name (n));
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
                     sl_json_node_type_name (n));
          return FALSE;
        }
      r->is_placeholder = json_node_get_boolean (n);
    }
  if (!get_str (ctx, o, "scx_walker_unavailable", FALSE, &r->scx_walker_unavailable))
    return FALSE;

  json_object_iter_init_ordered (&iter, o);
  while (json_object_iter_next_ordered (&iter, &key, &n))
    {
      if (sl_report_key_is_one_of (key, report_typed_keys, G_N_ELEMENTS (report_typed_keys)))
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
      read_fail (&ctx, SL_ERROR_CORRUPT, "a report must be an object, found %s", sl_json_node_type_name (node));
      g_string_free (ctx.path, TRUE);
      return NULL;
    }
  r = sl_report_new ();
  ok = read_report (&ctx, json_node_get_object (node), r);
  g_string_free (ctx.path, TRUE);
  return ok ? g_steal_pointer (&r) : NULL;
}

