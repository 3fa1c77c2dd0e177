/* sl-field-catalog.h: discovery of every projectable field of a run.
 *
 * Each entry is a valid selector with its value type, a unit when one is known
 * and a group path for a tree UI ("bpf/sl_vtime.bss", "stats/cgroups.workers",
 * "host/cpu0", "monitor/cpu1"). Fields are unioned across samples, so a
 * placeholder or missing-stats first sample hides nothing. The walk is bounded:
 * guest data decides how many fields there are. */
#pragma once

#include <glib.h>
#include "sl-types.h"
#include "sl-run.h"
#include "sl-field-selector.h"

G_BEGIN_DECLS

#define SL_FIELD_CATALOG_MAX_FIELDS      20000
#define SL_FIELD_CATALOG_MAX_DEPTH       16    /* member / JSON nesting followed */
#define SL_FIELD_CATALOG_MAX_ENTRIES     64    /* hash / per-CPU map entries offered */
#define SL_FIELD_CATALOG_MAX_ARRAY       64    /* array elements offered */
#define SL_FIELD_CATALOG_MAX_CPUS        256   /* @N slots offered per per-CPU map */

typedef struct {
  SlAxis       axis;
  char        *selector;   /* "<axis> <path>": parses with sl_field_selector_parse */
  char        *path;
  SlScalarType type;
  char        *unit;       /* "ns", "ms", "us", "count", "bytes", "1/s", ...; NULL = unknown */
  char        *group;      /* tree path: "<axis>/<group>" */
} SlFieldInfo;

typedef struct {
  GPtrArray *fields;       /* SlFieldInfo*: by axis (bpf, stats, host, monitor), then discovery order */
  gboolean   truncated;    /* max_fields was reached */
} SlFieldCatalog;

SlFieldCatalog *sl_field_catalog_build (SlRun *run, guint max_fields);   /* 0 = SL_FIELD_CATALOG_MAX_FIELDS */
void            sl_field_catalog_free (SlFieldCatalog *cat);
/* The entry for a selector text, or NULL. */
const SlFieldInfo *sl_field_catalog_lookup (const SlFieldCatalog *cat, const char *selector);
/* TRUE when the field matches: axis (or all when axis_filter is NULL) and a
 * case-insensitive substring of its selector or group (or all when text is NULL). */
gboolean        sl_field_info_matches (const SlFieldInfo *f, const SlAxis *axis_filter, const char *text);

/* Unit guessed from a member or key name ("…_ns" → "ns", "nr_…" → "count"), or NULL. */
const char     *sl_field_unit_guess (const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlFieldCatalog, sl_field_catalog_free)

G_END_DECLS
