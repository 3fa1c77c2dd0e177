/* sl-compare.c: per-phase A/B comparison of two runs. */
#include "sl-compare.h"
#include "sl-phase.h"
#include "sl-projection.h"

#include <math.h>
#include <string.h>

void
sl_compare_field_free (SlCompareField *f)
{
  if (f == NULL)
    return;
  g_free (f->selector);
  g_free (f->error_a);
  g_free (f->error_b);
  g_array_unref (f->rows);
  g_ptr_array_unref (f->notes);
  g_free (f);
}

SlMetricKind
sl_compare_guess_kind (const SlFieldSelector *sel, SlScalarType type)
{
  const char *name;
  const char *unit;

  g_return_val_if_fail (sel != NULL, SL_METRIC_GAUGE_AVG);
  if (type == SL_SCALAR_F64 || type == SL_SCALAR_BOOL)
    return SL_METRIC_GAUGE_AVG;
  switch (sel->axis)
    {
    case SL_AXIS_MONITOR:
      /* The per-CPU readings are instants; events and schedstat accumulate. */
      if (sel->monitor_source == SL_MONITOR_CPU)
        return g_str_has_prefix (sel->leaf, "event.") || g_str_has_prefix (sel->leaf, "schedstat.")
               || g_str_has_suffix (sel->leaf, "_ns") ? SL_METRIC_COUNTER : SL_METRIC_GAUGE_AVG;
      return SL_METRIC_GAUGE_AVG;
    case SL_AXIS_HOST:
      /* Host CPU and vCPU times, IRQ and softirq counts are all cumulative. */
      return SL_METRIC_COUNTER;
    case SL_AXIS_BPF:
    case SL_AXIS_STATS:
    default:
      name = sel->components && sel->components[0]
             ? sel->components[g_strv_length (sel->components) - 1] : sel->name;
      unit = sl_field_unit_guess (name);
      if (unit && (strcmp (unit, "count") == 0 || strcmp (unit, "ns") == 0 || strcmp (unit, "us") == 0
                   || strcmp (unit, "ms") == 0))
        return SL_METRIC_COUNTER;
      return SL_METRIC_GAUGE_AVG;
    }
}

static double
scalar_f64 (SlScalar v)
{
  switch (v.type)
    {
    case SL_SCALAR_U64: return (double) v.u;
    case SL_SCALAR_I64: return (double) v.i;
    case SL_SCALAR_BOOL: return v.b ? 1.0 : 0.0;
    case SL_SCALAR_F64:
    default: return v.f;
    }
}

/* One run's per-phase map; NULL with *error_text when nothing can be projected. */
static SlPhaseMap *
reduce (SlRun *run, const SlFieldSelector *sel, SlScalarType type, SlMetricKind kind,
        const char *side, GPtrArray *notes, char **error_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlSeriesField) f = sl_project (run, sel, type, &error);
  g_autoptr(SlVerdict) v = sl_verdict_new ();
  SlPhaseMap *m;

  if (f == NULL)
    {
      *error_text = g_strdup (error->message);
      return NULL;
    }
  if (kind == SL_METRIC_COUNTER)
    m = sl_series_field_counter_delta_per_phase (f, v);
  else
    m = sl_series_field_aggregate_by_phase (f, SL_METRIC_GAUGE_AVG, v);
  for (guint i = 0; i < sl_verdict_n_notes (v); i++)
    g_ptr_array_add (notes, g_strdup_printf ("%s: %s", side, sl_verdict_get_note (v, i)->message));
  /* Nothing to compare: say why, from the first errored sample. */
  for (guint i = 0; sl_phase_map_len (m) == 0 && i < sl_series_field_len (f); i++)
    if (!sl_series_field_slot (f, i)->ok)
      {
        *error_text = g_strdup (sl_series_field_slot (f, i)->error_text);
        break;
      }
  return m;
}

static void
add_phases (GArray *phases, const SlPhaseMap *m)
{
  for (guint i = 0; m && i < sl_phase_map_len (m); i++)
    {
      guint16 p = sl_phase_map_entry (m, i)->phase;
      gboolean seen = FALSE;

      for (guint k = 0; k < phases->len && !seen; k++)
        seen = g_array_index (phases, guint16, k) == p;
      if (!seen)
        g_array_append_val (phases, p);
    }
}

static gint
cmp_phase (gconstpointer a, gconstpointer b)
{
  return (gint) *(const guint16 *) a - (gint) *(const guint16 *) b;
}

SlCompareField *
sl_compare_field (SlRun *a, SlRun *b, const char *selector, SlScalarType type,
                  SlMetricKind kind, GError **error)
{
  g_autoptr(SlFieldSelector) sel = NULL;
  g_autoptr(SlPhaseMap) ma = NULL;
  g_autoptr(SlPhaseMap) mb = NULL;
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (guint16));
  SlCompareField *f;

  g_return_val_if_fail (a != NULL && b != NULL && selector != NULL, NULL);
  g_return_val_if_fail (kind == SL_METRIC_COUNTER || kind == SL_METRIC_GAUGE_AVG, NULL);

  sel = sl_field_selector_parse (selector, error);
  if (sel == NULL)
    return NULL;
  f = g_new0 (SlCompareField, 1);
  f->selector = g_strdup (sel->text);
  f->type = type;
  f->kind = kind;
  f->rows = g_array_new (FALSE, TRUE, sizeof (SlCompareRow));
  f->notes = g_ptr_array_new_with_free_func (g_free);
  ma = reduce (a, sel, type, kind, "A", f->notes, &f->error_a);
  mb = reduce (b, sel, type, kind, "B", f->notes, &f->error_b);

  add_phases (phases, ma);
  add_phases (phases, mb);
  g_array_sort (phases, cmp_phase);
  for (guint i = 0; i < phases->len; i++)
    {
      guint16 phase = g_array_index (phases, guint16, i);
      const SlPhaseEntry *ea = ma ? sl_phase_map_find (ma, phase) : NULL;
      const SlPhaseEntry *eb = mb ? sl_phase_map_find (mb, phase) : NULL;
      SlCompareRow row = { .phase = phase };

      if (ea)
        {
          row.has_a = TRUE;
          row.a = scalar_f64 (ea->value);
        }
      if (eb)
        {
          row.has_b = TRUE;
          row.b = scalar_f64 (eb->value);
        }
      if (row.has_a && row.has_b && isfinite (row.a) && isfinite (row.b))
        {
          row.has_delta = TRUE;
          row.delta = row.b - row.a;
          if (row.a != 0)
            {
              row.has_rel = TRUE;
              row.rel_pct = row.delta / fabs (row.a) * 100.0;
            }
        }
      g_array_append_val (f->rows, row);
    }
  return f;
}

GPtrArray *
sl_compare_default_fields (const SlFieldCatalog *a, const SlFieldCatalog *b, guint max_fields)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (a != NULL && b != NULL, out);
  if (max_fields == 0)
    max_fields = SL_COMPARE_DEFAULT_MAX_FIELDS;
  for (guint i = 0; i < a->fields->len && out->len < max_fields; i++)
    {
      const SlFieldInfo *info = a->fields->pdata[i];
      g_autoptr(SlFieldSelector) sel = NULL;
      gboolean wanted;

      if (sl_field_catalog_lookup (b, info->selector) == NULL)
        continue;
      sel = sl_field_selector_parse (info->selector, NULL);
      if (sel == NULL)
        continue;
      if (sel->axis == SL_AXIS_BPF)
        /* Globals, by name or through their section map ("obj.bss/name"). */
        wanted = sel->bpf_target == SL_BPF_TARGET_GLOBAL
                 || ((g_str_has_suffix (sel->name, ".bss") || g_str_has_suffix (sel->name, ".data"))
                     && sel->cpu_pick == SL_CPU_PICK_NONE && g_strv_length (sel->components) == 1);
      else if (sel->axis == SL_AXIS_STATS)
        wanted = g_strv_length (sel->components) == 1;
      else
        wanted = FALSE;
      if (wanted)
        g_ptr_array_add (out, g_strdup (info->selector));
    }
  return out;
}

GPtrArray *
sl_compare_runs (SlRun *a, SlRun *b, const char *const *selectors, GError **error)
{
  g_autoptr(SlFieldCatalog) ca = NULL;
  g_autoptr(SlFieldCatalog) cb = NULL;
  g_autoptr(GPtrArray) defaults = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_compare_field_free);

  g_return_val_if_fail (a != NULL && b != NULL, NULL);
  ca = sl_field_catalog_build (a, 0);
  cb = sl_field_catalog_build (b, 0);
  if (selectors == NULL || selectors[0] == NULL)
    {
      defaults = sl_compare_default_fields (ca, cb, 0);
      g_ptr_array_add (defaults, NULL);
      selectors = (const char *const *) defaults->pdata;
    }
  for (guint i = 0; selectors[i]; i++)
    {
      g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (selectors[i], error);
      const SlFieldInfo *info;
      SlScalarType type = SL_SCALAR_U64;
      SlCompareField *f;

      if (sel == NULL)
        return NULL;
      if ((info = sl_field_catalog_lookup (ca, sel->text)) != NULL
          || (info = sl_field_catalog_lookup (cb, sel->text)) != NULL)
        type = info->type;
      else
        sl_field_selector_natural_type (sel, &type);
      f = sl_compare_field (a, b, sel->text, type, sl_compare_guess_kind (sel, type), error);
      if (f == NULL)
        return NULL;
      g_ptr_array_add (out, f);
    }
  return g_steal_pointer (&out);
}
