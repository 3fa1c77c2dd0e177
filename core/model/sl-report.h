/* sl-report.h: one capture's state, in ktstr's FailureDumpReport shape (§2.2–2.4),
 * so ktstr dumps can be imported and our samples read like theirs.
 * Keys this model does not type are kept verbatim in `extra` and written back. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include "sl-types.h"
#include "sl-value.h"
#include "sl-json-writer.h"

G_BEGIN_DECLS

/* BPF_MAP_TYPE_* values used by the model. */
enum {
  SL_BPF_MAP_HASH = 1,
  SL_BPF_MAP_ARRAY = 2,
  SL_BPF_MAP_PERCPU_HASH = 5,
  SL_BPF_MAP_PERCPU_ARRAY = 6,
  SL_BPF_MAP_LRU_HASH = 9,
  SL_BPF_MAP_LRU_PERCPU_HASH = 10,
  SL_BPF_MAP_STRUCT_OPS = 26,
  SL_BPF_MAP_RINGBUF = 27,
  SL_BPF_MAP_ARENA = 33,
};

typedef struct {
  SlValue *key;        /* NULL = omitted */
  char    *key_hex;
  SlValue *value;      /* NULL = omitted */
  char    *value_hex;
} SlMapEntry;

typedef struct {
  guint32   key;
  guint     n_cpus;
  SlValue **per_cpu;   /* n_cpus slots; NULL = null (CPU unmapped) */
} SlPercpuEntry;

typedef struct {
  SlValue  *key;       /* NULL = omitted */
  char     *key_hex;
  guint     n_cpus;
  SlValue **per_cpu;
} SlPercpuHashEntry;

typedef struct {
  char      *name;
  guint64    map_kva;          /* 0 = omitted */
  guint32    map_type;
  guint32    value_size;
  guint32    max_entries;
  SlValue   *value;            /* ARRAY key 0 / whole DATASEC of a global section */
  GPtrArray *entries;          /* SlMapEntry*: HASH, LRU_HASH */
  GPtrArray *percpu_entries;   /* SlPercpuEntry*: PERCPU_ARRAY */
  GPtrArray *percpu_hash_entries; /* SlPercpuHashEntry*: PERCPU_HASH, LRU_PERCPU_HASH */
  JsonObject *other;           /* array_entries, arena, ringbuf, stack_trace, fd_array: verbatim; may be NULL */
  char      *error;            /* NULL = none */
} SlMap;

#define SL_NR_SOFTIRQS 10

typedef struct {
  guint32  cpu;
  guint64  cpustat_user_ns, cpustat_nice_ns, cpustat_system_ns, cpustat_softirq_ns,
           cpustat_irq_ns, cpustat_idle_ns, cpustat_iowait_ns, cpustat_steal_ns;
  guint64  softirqs[SL_NR_SOFTIRQS];
  guint64  irqs_sum;
  SlOptU64 iowait_sleeptime_ns;
} SlPerCpuTime;

typedef struct {
  char      *schema;                 /* "single" */
  GPtrArray *maps;                   /* SlMap*, capture order */
  GArray    *per_cpu_time;           /* SlPerCpuTime */
  char      *active_obj_name;        /* NULL = omitted */
  GArray    *active_map_kvas;        /* guint64 */
  gboolean   is_placeholder;
  char      *scx_walker_unavailable; /* also the placeholder reason */
  JsonObject *extra;                 /* every other key, verbatim (never NULL) */
} SlReport;

SlReport *sl_report_new (void);
/* ktstr's FailureDumpReport::placeholder(reason). */
SlReport *sl_report_new_placeholder (const char *reason);
void      sl_report_free (SlReport *r);
SlMap    *sl_map_new (const char *name, guint32 map_type, guint32 value_size, guint32 max_entries);
void      sl_map_free (SlMap *m);
void      sl_map_entry_free (SlMapEntry *e);
void      sl_percpu_entry_free (SlPercpuEntry *e);
void      sl_percpu_hash_entry_free (SlPercpuHashEntry *e);

/* Untrusted input: requires "schema" == "single" (ktstr newest), bounded sizes.
 * `where` prefixes error messages. */
SlReport *sl_report_from_json (JsonNode *node, const char *where, GError **error);
void      sl_report_write_json (const SlReport *r, SlJsonWriter *w);

/* Map by exact name; NULL when absent. */
const SlMap *sl_report_find_map (const SlReport *r, const char *name);
/* TRUE for "<obj>.bss", "<obj>.data", "<obj>.rodata" (and the bare section names). */
gboolean     sl_map_is_global_section (const SlMap *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlReport, sl_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlMap, sl_map_free)

G_END_DECLS
