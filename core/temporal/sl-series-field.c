/* sl-series-field.c: one typed column of a run, one slot per sample (§4).
 *
 * Slots live in one packed GArray; only the tag and the error text are heap
 * strings, so a column of thousands of samples is a handful of allocations. */
#include "sl-series-field.h"

#include <string.h>

static const char *const error_kind_names[] = {
  [SL_FIELD_ERROR_NONE] = "None",
  [SL_FIELD_ERROR_MAP_NOT_FOUND] = "MapNotFound",
  [SL_FIELD_ERROR_VAR_NOT_FOUND] = "VarNotFound",
  [SL_FIELD_ERROR_AMBIGUOUS_VAR] = "AmbiguousVar",
  [SL_FIELD_ERROR_FIELD_NOT_FOUND] = "FieldNotFound",
  [SL_FIELD_ERROR_NOT_A_STRUCT] = "NotAStruct",
  [SL_FIELD_ERROR_TYPE_MISMATCH] = "TypeMismatch",
  [SL_FIELD_ERROR_INDEX_OUT_OF_RANGE] = "IndexOutOfRange",
  [SL_FIELD_ERROR_PER_CPU_SLOT] = "PerCpuSlot",
  [SL_FIELD_ERROR_NO_MATCH] = "NoMatch",
  [SL_FIELD_ERROR_EMPTY_PATH_COMPONENT] = "EmptyPathComponent",
  [SL_FIELD_ERROR_PER_CPU_NOT_NARROWED] = "PerCpuNotNarrowed",
  [SL_FIELD_ERROR_NO_RENDERED] = "NoRendered",
  [SL_FIELD_ERROR_PLACEHOLDER_SAMPLE] = "PlaceholderSample",
  [SL_FIELD_ERROR_MISSING_STATS] = "MissingStats",
  [SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE] = "HostFieldUnavailable",
  [SL_FIELD_ERROR_PLACEHOLDER_SNAPSHOT] = "PlaceholderSnapshot",
  [SL_FIELD_ERROR_NO_ACTIVE_SCHEDULER] = "NoActiveScheduler",
  [SL_FIELD_ERROR_ACTIVE_FILTER_EXCLUDED_MAPS] = "ActiveFilterExcludedMaps",
  [SL_FIELD_ERROR_WALKER_DRIFTED_WITHIN_PHASE] = "WalkerDriftedWithinPhase",
  [SL_FIELD_ERROR_PROJECTION_FAILED] = "ProjectionFailed",
  [SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE] = "MapRenderIncomplete",
  [SL_FIELD_ERROR_SCHEDULER_GONE] = "SchedulerGone",
};

const char *
sl_field_error_kind_name (SlFieldErrorKind kind)
{
  if ((guint) kind >= G_N_ELEMENTS (error_kind_names) || error_kind_names[kind] == NULL)
    return "Unknown";
  return error_kind_names[kind];
}

gboolean
sl_field_error_kind_parse (const char *name, SlFieldErrorKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (error_kind_names); i++)
    if (error_kind_names[i] != NULL && strcmp (name, error_kind_names[i]) == 0)
      {
        *out = (SlFieldErrorKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sl_field_error_is_gap (SlFieldErrorKind kind)
{
  switch (kind)
    {
    case SL_FIELD_ERROR_PLACEHOLDER_SAMPLE:
    case SL_FIELD_ERROR_PLACEHOLDER_SNAPSHOT:
    case SL_FIELD_ERROR_MISSING_STATS:
    case SL_FIELD_ERROR_HOST_FIELD_UNAVAILABLE:
    case SL_FIELD_ERROR_SCHEDULER_GONE:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
slot_clear (gpointer data)
{
  SlSlot *s = data;

  g_clear_pointer (&s->tag, g_free);
  g_clear_pointer (&s->error_text, g_free);
}

SlSeriesField *
sl_series_field_new (const char *label, SlScalarType type)
{
  SlSeriesField *f = g_new0 (SlSeriesField, 1);

  f->ref_count = 1;
  f->label = g_strdup (label != NULL ? label : "");
  f->type = type;
  f->slots = g_array_new (FALSE, TRUE, sizeof (SlSlot));
  g_array_set_clear_func (f->slots, slot_clear);
  return f;
}

SlSeriesField *
sl_series_field_ref (SlSeriesField *f)
{
  g_return_val_if_fail (f != NULL, NULL);
  g_atomic_int_inc (&f->ref_count);
  return f;
}

void
sl_series_field_unref (SlSeriesField *f)
{
  if (f == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&f->ref_count))
    return;
  g_array_unref (f->slots);
  g_free (f->label);
  g_free (f);
}

guint
sl_series_field_len (const SlSeriesField *f)
{
  g_return_val_if_fail (f != NULL, 0);
  return f->slots->len;
}

const SlSlot *
sl_series_field_slot (const SlSeriesField *f, guint i)
{
  g_return_val_if_fail (f != NULL, NULL);
  g_return_val_if_fail (i < f->slots->len, NULL);
  return &g_array_index (f->slots, SlSlot, i);
}

const char *
sl_series_field_label (const SlSeriesField *f)
{
  g_return_val_if_fail (f != NULL, NULL);
  return f->label;
}

void
sl_series_field_push_ok (SlSeriesField *f, const char *tag, SlOptU64 elapsed_ms,
                         gboolean has_phase, guint16 phase, guint sample_index, SlScalar value)
{
  SlSlot s = { 0 };

  g_return_if_fail (f != NULL);
  g_return_if_fail (value.type == f->type);

  s.tag = g_strdup (tag != NULL ? tag : "");
  s.elapsed_ms = elapsed_ms;
  s.has_phase = has_phase;
  s.phase = has_phase ? phase : 0;
  s.sample_index = sample_index;
  s.ok = TRUE;
  s.value = value;
  s.error = SL_FIELD_ERROR_NONE;
  g_array_append_val (f->slots, s);
}

void
sl_series_field_push_err (SlSeriesField *f, const char *tag, SlOptU64 elapsed_ms,
                          gboolean has_phase, guint16 phase, guint sample_index,
                          SlFieldErrorKind error, const char *error_text)
{
  SlSlot s = { 0 };

  g_return_if_fail (f != NULL);

  s.tag = g_strdup (tag != NULL ? tag : "");
  s.elapsed_ms = elapsed_ms;
  s.has_phase = has_phase;
  s.phase = has_phase ? phase : 0;
  s.sample_index = sample_index;
  s.ok = FALSE;
  s.value.type = f->type;
  /* An error without text still has to say something in notes. */
  s.error = error == SL_FIELD_ERROR_NONE ? SL_FIELD_ERROR_PROJECTION_FAILED : error;
  s.error_text = g_strdup (error_text != NULL && *error_text != '\0'
                           ? error_text : sl_field_error_kind_name (s.error));
  g_array_append_val (f->slots, s);
}

static void
push_copy (SlSeriesField *dst, const SlSlot *s, gboolean to_f64)
{
  SlSlot c = *s;

  c.tag = g_strdup (s->tag);
  c.error_text = g_strdup (s->error_text);
  if (to_f64)
    {
      double d = sl_scalar_to_f64 (s->value);

      c.value.type = SL_SCALAR_F64;
      c.value.f = s->ok ? d : 0.0;
    }
  g_array_append_val (dst->slots, c);
}

static gboolean
phase_wanted (const SlSlot *s, const guint16 *phases, guint n_phases)
{
  if (n_phases == 0)
    return TRUE;
  if (!s->has_phase)
    return FALSE;
  for (guint i = 0; i < n_phases; i++)
    if (phases[i] == s->phase)
      return TRUE;
  return FALSE;
}

SlSeriesField *
sl_series_field_filter_phases (const SlSeriesField *f, const guint16 *phases, guint n_phases)
{
  SlSeriesField *out;

  g_return_val_if_fail (f != NULL, NULL);
  g_return_val_if_fail (n_phases == 0 || phases != NULL, NULL);

  out = sl_series_field_new (f->label, f->type);
  for (guint i = 0; i < f->slots->len; i++)
    {
      const SlSlot *s = &g_array_index (f->slots, SlSlot, i);

      if (phase_wanted (s, phases, n_phases))
        push_copy (out, s, FALSE);
    }
  return out;
}

SlSeriesField *
sl_series_field_to_f64 (const SlSeriesField *f)
{
  SlSeriesField *out;

  g_return_val_if_fail (f != NULL, NULL);

  out = sl_series_field_new (f->label, SL_SCALAR_F64);
  g_array_set_size (out->slots, 0);
  for (guint i = 0; i < f->slots->len; i++)
    push_copy (out, &g_array_index (f->slots, SlSlot, i), TRUE);
  return out;
}

char *
sl_format_elapsed (SlOptU64 elapsed_ms)
{
  if (!elapsed_ms.set)
    return g_strdup ("?");
  return g_strdup_printf ("+%" G_GUINT64_FORMAT "ms", elapsed_ms.v);
}
