/* sl-phase-aggregate.c: per-phase views and MetricKind reductions (§4, §6). */
#include "sl-phase-aggregate.h"

#include <math.h>
#include <string.h>

#include "sl-phase.h"
#include "sl-patterns.h"

static inline const SlSlot *
slot_at (const SlSeriesField *f, guint i)
{
  return &g_array_index (f->slots, SlSlot, i);
}

/* --- SlPhaseMap --- */

SlPhaseMap *
sl_phase_map_new (void)
{
  SlPhaseMap *m = g_new0 (SlPhaseMap, 1);

  m->entries = g_array_new (FALSE, TRUE, sizeof (SlPhaseEntry));
  return m;
}

void
sl_phase_map_free (SlPhaseMap *m)
{
  if (m == NULL)
    return;
  g_array_unref (m->entries);
  g_free (m);
}

guint
sl_phase_map_len (const SlPhaseMap *m)
{
  g_return_val_if_fail (m != NULL, 0);
  return m->entries->len;
}

const SlPhaseEntry *
sl_phase_map_entry (const SlPhaseMap *m, guint i)
{
  g_return_val_if_fail (m != NULL, NULL);
  g_return_val_if_fail (i < m->entries->len, NULL);
  return &g_array_index (m->entries, SlPhaseEntry, i);
}

/* Index of `phase`, or of where it would be inserted (with *found FALSE). */
static guint
map_search (const SlPhaseMap *m, guint16 phase, gboolean *found)
{
  guint lo = 0, hi = m->entries->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint16 p = g_array_index (m->entries, SlPhaseEntry, mid).phase;

      if (p == phase)
        {
          *found = TRUE;
          return mid;
        }
      if (p < phase)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = FALSE;
  return lo;
}

const SlPhaseEntry *
sl_phase_map_find (const SlPhaseMap *m, guint16 phase)
{
  gboolean found;
  guint i;

  g_return_val_if_fail (m != NULL, NULL);
  i = map_search (m, phase, &found);
  return found ? &g_array_index (m->entries, SlPhaseEntry, i) : NULL;
}

gboolean
sl_phase_map_get_f64 (const SlPhaseMap *m, guint16 phase, double *out)
{
  const SlPhaseEntry *e = sl_phase_map_find (m, phase);

  if (e == NULL)
    return FALSE;
  if (out != NULL)
    *out = sl_scalar_to_f64 (e->value);
  return TRUE;
}

/* Returns the entry of `phase`, inserted (zeroed) if absent. */
static SlPhaseEntry *
map_slot (SlPhaseMap *m, guint16 phase, gboolean *was_present)
{
  gboolean found;
  guint i = map_search (m, phase, &found);

  if (!found)
    {
      SlPhaseEntry e = { .phase = phase, .slot = -1 };

      g_array_insert_val (m->entries, i, e);
    }
  if (was_present != NULL)
    *was_present = found;
  return &g_array_index (m->entries, SlPhaseEntry, i);
}

void
sl_phase_map_set (SlPhaseMap *m, guint16 phase, SlScalar value, gint slot)
{
  SlPhaseEntry *e;

  g_return_if_fail (m != NULL);
  e = map_slot (m, phase, NULL);
  e->value = value;
  e->slot = slot;
}

static SlScalar
f64_scalar (double d)
{
  SlScalar s = { .type = SL_SCALAR_F64 };

  s.f = d;
  return s;
}

SlPhaseMap *
sl_phase_map_zip (const SlPhaseMap *a, const SlPhaseMap *b, SlPhaseZipFunc func, gpointer user_data)
{
  SlPhaseMap *out;
  guint i = 0, j = 0;

  g_return_val_if_fail (a != NULL && b != NULL && func != NULL, NULL);

  out = sl_phase_map_new ();
  /* Both are sorted by phase: a merge walk finds the intersection. */
  while (i < a->entries->len && j < b->entries->len)
    {
      const SlPhaseEntry *x = &g_array_index (a->entries, SlPhaseEntry, i);
      const SlPhaseEntry *y = &g_array_index (b->entries, SlPhaseEntry, j);
      SlScalar r;

      if (x->phase < y->phase)
        i++;
      else if (y->phase < x->phase)
        j++;
      else
        {
          if (func (x->phase, x->value, y->value, &r, user_data))
            {
              SlPhaseEntry e = { .phase = x->phase, .value = r, .slot = -1 };

              g_array_append_val (out->entries, e);
            }
          i++;
          j++;
        }
    }
  return out;
}

static gboolean
frac_pair_fn (guint16 phase, SlScalar a, SlScalar b, SlScalar *out, gpointer user_data)
{
  if (a.type == SL_SCALAR_U64 && b.type == SL_SCALAR_U64)
    {
      guint64 total = a.u > G_MAXUINT64 - b.u ? G_MAXUINT64 : a.u + b.u;

      if (total == 0)
        return FALSE;
      *out = f64_scalar ((double) a.u / (double) total);
      return TRUE;
    }
  else
    {
      double x = sl_scalar_to_f64 (a), total = x + sl_scalar_to_f64 (b);

      if (total == 0 || !isfinite (x / total))
        return FALSE;
      *out = f64_scalar (x / total);
      return TRUE;
    }
}

SlPhaseMap *
sl_phase_map_frac_pair (const SlPhaseMap *a, const SlPhaseMap *b)
{
  return sl_phase_map_zip (a, b, frac_pair_fn, NULL);
}

static gboolean
ratio_fn (guint16 phase, SlScalar a, SlScalar b, SlScalar *out, gpointer user_data)
{
  double d = sl_scalar_to_f64 (b), r;

  if (d == 0)
    return FALSE;
  r = sl_scalar_to_f64 (a) / d;
  if (!isfinite (r))
    return FALSE;
  *out = f64_scalar (r);
  return TRUE;
}

SlPhaseMap *
sl_phase_map_ratio (const SlPhaseMap *a, const SlPhaseMap *b)
{
  return sl_phase_map_zip (a, b, ratio_fn, NULL);
}

void
sl_phase_map_ratio_across_phases_at_most (const SlPhaseMap *m, const char *label,
                                          guint16 earlier, guint16 later,
                                          double ceiling, SlVerdict *v)
{
  const SlPhaseEntry *e, *l;
  SlPhaseOperand eo = { NULL, -1, SL_OPT_U64_NONE }, lo = { NULL, -1, SL_OPT_U64_NONE };

  g_return_if_fail (m != NULL && v != NULL);

  /* Slots of a map are not tied to one field here, so none are reported. */
  e = sl_phase_map_find (m, earlier);
  l = sl_phase_map_find (m, later);
  if (e != NULL)
    eo.value = &e->value;
  if (l != NULL)
    lo.value = &l->value;
  sl_cross_phase_ratio_at_most (label, earlier, later, eo, lo, ceiling, v);
}

/* --- partition --- */

SlPhasePartition *
sl_series_field_by_phase (const SlSeriesField *f)
{
  SlPhasePartition *p;
  g_autoptr(SlPhaseMap) counts = NULL;
  guint n, offset = 0;
  g_autofree guint *fill = NULL;

  g_return_val_if_fail (f != NULL, NULL);

  n = f->slots->len;
  p = g_new0 (SlPhasePartition, 1);
  p->spans = g_array_new (FALSE, TRUE, sizeof (SlPhaseSpan));
  p->slots = g_array_sized_new (FALSE, TRUE, sizeof (guint), n);
  p->none = g_array_new (FALSE, TRUE, sizeof (guint));

  /* Pass 1: count per phase (the map stays small: one entry per phase). */
  counts = sl_phase_map_new ();
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = slot_at (f, i);
      SlPhaseEntry *e;
      gboolean present;

      if (!s->has_phase)
        {
          g_array_append_val (p->none, i);
          continue;
        }
      e = map_slot (counts, s->phase, &present);
      if (!present)
        {
          e->value.type = SL_SCALAR_U64;
          e->value.u = 0;
        }
      e->value.u++;
    }
  /* Pass 2: lay the spans out in phase order and fill them in sample order. */
  g_array_set_size (p->slots, n - p->none->len);
  fill = g_new0 (guint, counts->entries->len + 1);
  for (guint k = 0; k < counts->entries->len; k++)
    {
      const SlPhaseEntry *e = &g_array_index (counts->entries, SlPhaseEntry, k);
      SlPhaseSpan span = { e->phase, offset, (guint) e->value.u };

      g_array_append_val (p->spans, span);
      fill[k] = offset;
      offset += span.count;
    }
  for (guint i = 0; i < n; i++)
    {
      const SlSlot *s = slot_at (f, i);
      gboolean found;
      guint k;

      if (!s->has_phase)
        continue;
      k = map_search (counts, s->phase, &found);
      g_array_index (p->slots, guint, fill[k]++) = i;
    }
  return p;
}

void
sl_phase_partition_free (SlPhasePartition *p)
{
  if (p == NULL)
    return;
  g_array_unref (p->spans);
  g_array_unref (p->slots);
  g_array_unref (p->none);
  g_free (p);
}

const guint *
sl_phase_partition_slots (const SlPhasePartition *p, guint16 phase, guint *n)
{
  g_return_val_if_fail (p != NULL && n != NULL, NULL);

  for (guint k = 0; k < p->spans->len; k++)
    {
      const SlPhaseSpan *s = &g_array_index (p->spans, SlPhaseSpan, k);

      if (s->phase == phase)
        {
          *n = s->count;
          return &g_array_index (p->slots, guint, s->offset);
        }
    }
  *n = 0;
  return NULL;
}

/* --- per-phase values --- */

gboolean
sl_series_field_value_at_phase (const SlSeriesField *f, guint16 phase, SlScalar *out, gint *slot)
{
  g_return_val_if_fail (f != NULL, FALSE);

  for (guint i = f->slots->len; i > 0; i--)
    {
      const SlSlot *s = slot_at (f, i - 1);

      if (s->has_phase && s->phase == phase && s->ok)
        {
          if (out != NULL)
            *out = s->value;
          if (slot != NULL)
            *slot = (gint) i - 1;
          return TRUE;
        }
    }
  return FALSE;
}

static SlPhaseMap *
per_phase_edge (const SlSeriesField *f, gboolean last)
{
  SlPhaseMap *m;

  g_return_val_if_fail (f != NULL, NULL);

  m = sl_phase_map_new ();
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = slot_at (f, i);
      SlPhaseEntry *e;
      gboolean present;

      if (!s->has_phase || !s->ok)
        continue;
      e = map_slot (m, s->phase, &present);
      if (!present || last)
        {
          e->value = s->value;
          e->slot = (gint) i;
        }
    }
  return m;
}

SlPhaseMap *
sl_series_field_first_per_phase (const SlSeriesField *f)
{
  return per_phase_edge (f, FALSE);
}

SlPhaseMap *
sl_series_field_last_per_phase (const SlSeriesField *f)
{
  return per_phase_edge (f, TRUE);
}

static SlScalar
as_counter (SlScalar s)
{
  if (s.type == SL_SCALAR_BOOL)
    {
      gboolean b = s.b;

      s.type = SL_SCALAR_U64;
      s.u = b ? 1 : 0;
    }
  return s;
}

/* last − first when last >= first; FALSE on a regression (or a NaN). */
static gboolean
counter_delta (SlScalar first, SlScalar last, SlScalar *out)
{
  int c;

  if (!sl_scalar_compare (last, first, &c) || c < 0)
    return FALSE;
  out->type = first.type;
  switch (first.type)
    {
    case SL_SCALAR_U64:
      out->u = last.u - first.u;
      break;
    case SL_SCALAR_I64:
      {
        /* The difference of two i64 can exceed G_MAXINT64: saturate. */
        guint64 d = (guint64) last.i - (guint64) first.i;

        out->i = d > (guint64) G_MAXINT64 ? G_MAXINT64 : (gint64) d;
      }
      break;
    case SL_SCALAR_F64:
      out->f = last.f - first.f;
      break;
    case SL_SCALAR_BOOL:
      g_assert_not_reached ();
    }
  return TRUE;
}

static SlScalar
zero_of (SlScalarType t)
{
  SlScalar z = { .type = t };

  return z;
}

static void
note_regression (SlVerdict *notes, const SlSeriesField *f, const char *what, guint16 phase,
                 const char *first, const char *last, gint slot)
{
  g_autofree char *pl = sl_phase_label (phase);

  if (notes == NULL)
    return;
  sl_verdict_note (notes, pl, slot, "%s (%s): phase %s counter regressed (first %s, last %s); "
                   "reporting zero progress for this phase", f->label, what, pl, first, last);
}

SlPhaseMap *
sl_series_field_counter_delta_per_phase (const SlSeriesField *f, SlVerdict *notes)
{
  SlPhaseMap *firsts, *lasts;

  g_return_val_if_fail (f != NULL, NULL);

  firsts = sl_series_field_first_per_phase (f);
  lasts = sl_series_field_last_per_phase (f);
  /* Both maps hold exactly the phases with an Ok sample, in the same order;
   * the result reuses `firsts` in place. */
  for (guint k = 0; k < firsts->entries->len; k++)
    {
      SlPhaseEntry *e = &g_array_index (firsts->entries, SlPhaseEntry, k);
      const SlPhaseEntry *l = &g_array_index (lasts->entries, SlPhaseEntry, k);
      SlScalar first = as_counter (e->value), last = as_counter (l->value), d;

      if (!counter_delta (first, last, &d))
        {
          g_autofree char *fs = sl_pattern_format_value (first);
          g_autofree char *ls = sl_pattern_format_value (last);

          note_regression (notes, f, "counter_delta_per_phase", e->phase, fs, ls, l->slot);
          g_debug ("%s: phase %u counter regressed (first %s, last %s)", f->label, e->phase, fs, ls);
          d = zero_of (first.type);
        }
      e->value = d;
      e->slot = l->slot;
    }
  sl_phase_map_free (lasts);
  return firsts;
}

/* --- MetricKind --- */

static const char *const metric_names[] = {
  [SL_METRIC_COUNTER] = "Counter",
  [SL_METRIC_GAUGE_AVG] = "Gauge(Avg)",
  [SL_METRIC_GAUGE_LAST] = "Gauge(Last)",
  [SL_METRIC_GAUGE_MAX] = "Gauge(Max)",
  [SL_METRIC_PEAK] = "Peak",
  [SL_METRIC_TIMESTAMP] = "Timestamp",
  [SL_METRIC_DELTA_SUM] = "DeltaSum",
  [SL_METRIC_RATE] = "Rate",
  [SL_METRIC_DISTRIBUTION] = "Distribution",
  [SL_METRIC_WORST_LOWEST] = "WorstLowest",
  [SL_METRIC_WAKE_LATENCY_TAIL_RATIO] = "WakeLatencyTailRatio",
  [SL_METRIC_PER_PHASE] = "PerPhase",
};

const char *
sl_metric_kind_name (SlMetricKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (metric_names))
    return "?";
  return metric_names[kind];
}

gboolean
sl_metric_kind_parse (const char *name, SlMetricKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (metric_names); i++)
    if (strcmp (name, metric_names[i]) == 0)
      {
        *out = (SlMetricKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sl_metric_kind_is_derived (SlMetricKind kind)
{
  return kind >= SL_METRIC_RATE;
}

gboolean
sl_aggregate_samples (const double *values, gsize n, SlMetricKind kind, double *out)
{
  double acc = 0;
  gsize used = 0;

  g_return_val_if_fail (values != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* Rate is derived after the fact (Σnum/Σden) and PerPhase only exists per
   * phase: neither has a flat reduction. */
  if (kind == SL_METRIC_RATE || kind == SL_METRIC_PER_PHASE)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      double x = values[i];

      if (!isfinite (x))
        continue;
      switch (kind)
        {
        case SL_METRIC_GAUGE_MAX:
        case SL_METRIC_PEAK:
          acc = used == 0 || x > acc ? x : acc;
          break;
        case SL_METRIC_GAUGE_LAST:
        case SL_METRIC_TIMESTAMP:
          acc = x;
          break;
        default:   /* sums and means */
          acc += x;
          break;
        }
      used++;
    }
  if (used == 0)
    return FALSE;
  switch (kind)
    {
    case SL_METRIC_GAUGE_AVG:
    case SL_METRIC_DISTRIBUTION:
    case SL_METRIC_WORST_LOWEST:
    case SL_METRIC_WAKE_LATENCY_TAIL_RATIO:
      acc /= (double) used;
      break;
    default:
      break;
    }
  *out = acc;
  return TRUE;
}

gboolean
sl_aggregate_samples_for_phase (const double *values, gsize n, SlMetricKind kind,
                                double *out, gboolean *regressed)
{
  g_return_val_if_fail (values != NULL || n == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (regressed != NULL)
    *regressed = FALSE;
  if (sl_metric_kind_is_derived (kind))
    return FALSE;
  if (kind == SL_METRIC_COUNTER)
    {
      double first = 0, last = 0;
      gsize used = 0;

      for (gsize i = 0; i < n; i++)
        if (isfinite (values[i]))
          {
            if (used++ == 0)
              first = values[i];
            last = values[i];
          }
      if (used < 2)
        return FALSE;
      if (last < first)
        {
          if (regressed != NULL)
            *regressed = TRUE;
          *out = 0;
          return TRUE;
        }
      *out = last - first;
      return TRUE;
    }
  return sl_aggregate_samples (values, n, kind, out);
}

gboolean
sl_metric_merge (SlMetricKind kind, double a, guint a_count, double a_end_ms,
                 double b, guint b_count, double b_end_ms, double *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  switch (kind)
    {
    case SL_METRIC_COUNTER:
    case SL_METRIC_DELTA_SUM:
      *out = a + b;
      return TRUE;
    case SL_METRIC_PEAK:
    case SL_METRIC_GAUGE_MAX:
      *out = b > a ? b : a;
      return TRUE;
    case SL_METRIC_GAUGE_AVG:
      {
        double wa = MAX (a_count, 1), wb = MAX (b_count, 1);

        *out = (a * wa + b * wb) / (wa + wb);
        return TRUE;
      }
    case SL_METRIC_GAUGE_LAST:
    case SL_METRIC_TIMESTAMP:
      *out = b_end_ms > a_end_ms ? b : a;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Collects the Ok values of each phase as doubles into one reusable buffer
 * and hands each phase's run to `reduce`. */
typedef gboolean (*PhaseReduce) (const double *values, gsize n, gpointer data, double *out,
                                 gboolean *regressed);

static SlPhaseMap *
reduce_by_phase (const SlSeriesField *f, PhaseReduce reduce, gpointer data,
                 SlVerdict *notes, const char *what)
{
  g_autoptr(SlPhasePartition) p = sl_series_field_by_phase (f);
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (double));
  SlPhaseMap *m = sl_phase_map_new ();

  for (guint k = 0; k < p->spans->len; k++)
    {
      const SlPhaseSpan *span = &g_array_index (p->spans, SlPhaseSpan, k);
      double r;
      gboolean regressed = FALSE;

      g_array_set_size (buf, 0);
      for (guint j = 0; j < span->count; j++)
        {
          const SlSlot *s = slot_at (f, g_array_index (p->slots, guint, span->offset + j));
          double x;

          if (!s->ok)
            continue;
          x = sl_scalar_to_f64 (s->value);
          g_array_append_val (buf, x);
        }
      if (!reduce ((const double *) buf->data, buf->len, data, &r, &regressed))
        continue;
      if (regressed)
        {
          const double *xs = (const double *) buf->data;
          double first = 0, last = 0;
          gboolean seen = FALSE;
          g_autofree char *fs = NULL, *ls = NULL;

          for (guint j = 0; j < buf->len; j++)
            if (isfinite (xs[j]))
              {
                if (!seen)
                  first = xs[j];
                seen = TRUE;
                last = xs[j];
              }
          fs = sl_pattern_format_value (f64_scalar (first));
          ls = sl_pattern_format_value (f64_scalar (last));
          note_regression (notes, f, what, span->phase, fs, ls, -1);
        }
      sl_phase_map_set (m, span->phase, f64_scalar (r), -1);
    }
  return m;
}

static gboolean
reduce_kind (const double *values, gsize n, gpointer data, double *out, gboolean *regressed)
{
  return sl_aggregate_samples_for_phase (values, n, *(const SlMetricKind *) data, out, regressed);
}

SlPhaseMap *
sl_series_field_aggregate_by_phase (const SlSeriesField *f, SlMetricKind kind, SlVerdict *notes)
{
  g_return_val_if_fail (f != NULL, NULL);
  return reduce_by_phase (f, reduce_kind, &kind, notes, "aggregate_by_phase");
}

SlPhaseMap *
sl_series_field_sum_by_phase (const SlSeriesField *f)
{
  SlMetricKind kind = SL_METRIC_DELTA_SUM;

  g_return_val_if_fail (f != NULL, NULL);
  return reduce_by_phase (f, reduce_kind, &kind, NULL, "sum_by_phase");
}
