/* sl-assertion.c: one assertion (selector + pattern + parameters + phase scope),
 * its parameters as spec text, and its evaluation on a run. */
#include "sl-spec.h"
#include "sl-projection.h"
#include "sl-phase.h"

#include <math.h>
#include <string.h>

SlScalarType
sl_pattern_default_type (const SlPatternInfo *pattern)
{
  g_return_val_if_fail (pattern != NULL, SL_SCALAR_U64);
  switch (pattern->id)
    {
    case SL_PATTERN_RATE_WITHIN:
    case SL_PATTERN_STEADY_WITHIN:
    case SL_PATTERN_CONVERGES_TO:
    case SL_PATTERN_RATIO_WITHIN:
    case SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST:
      return SL_SCALAR_F64;
    case SL_PATTERN_ALWAYS_TRUE:
      return SL_SCALAR_BOOL;
    default:
      return SL_SCALAR_U64;
    }
}

gboolean
sl_assertion_name_is_valid (const char *name)
{
  gsize n = 0;

  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++, n++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.' || *p == ':'))
      return FALSE;
  return n <= SL_SPEC_MAX_NAME;
}

static char *
pattern_param_names (const SlPatternInfo *info)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < info->n_params; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", info->params[i].name);
  if (s->len == 0)
    g_string_append (s, "no parameters");
  return g_string_free (s, FALSE);
}

SlAssertion *
sl_assertion_new (const char *name, const SlFieldSelector *selector, const char *pattern, GError **error)
{
  const SlPatternInfo *info;
  SlAssertion *a;

  g_return_val_if_fail (selector != NULL, NULL);
  if (!sl_assertion_name_is_valid (name))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion name '%s' is invalid: use 1 to %d of the characters A-Z a-z 0-9 _ - . :",
                   name ? name : "", SL_SPEC_MAX_NAME);
      return NULL;
    }
  info = pattern ? sl_pattern_lookup (pattern) : NULL;
  if (info == NULL)
    {
      guint n;
      const SlPatternInfo *all = sl_pattern_all (&n);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "", all[i].name);
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key 'pattern': unknown pattern '%s' (known: %s)",
                   name, pattern ? pattern : "", names->str);
      return NULL;
    }
  a = g_new0 (SlAssertion, 1);
  a->name = g_strdup (name);
  a->selector = sl_field_selector_copy (selector);
  a->pattern = info;
  a->type = sl_pattern_default_type (info);
  a->phases = g_array_new (FALSE, FALSE, sizeof (guint16));
  return a;
}

SlAssertion *
sl_assertion_copy (const SlAssertion *a)
{
  SlAssertion *c;

  g_return_val_if_fail (a != NULL, NULL);
  c = g_memdup2 (a, sizeof *a);
  c->name = g_strdup (a->name);
  c->description = g_strdup (a->description);
  c->selector = sl_field_selector_copy (a->selector);
  c->other = a->other ? sl_field_selector_copy (a->other) : NULL;
  c->phases = g_array_copy (a->phases);
  return c;
}

void
sl_assertion_free (SlAssertion *a)
{
  if (a == NULL)
    return;
  g_free (a->name);
  g_free (a->description);
  sl_field_selector_free (a->selector);
  sl_field_selector_free (a->other);
  g_array_unref (a->phases);
  g_free (a);
}

void
sl_assertion_set_description (SlAssertion *a, const char *description)
{
  g_return_if_fail (a != NULL);
  g_free (a->description);
  a->description = (description && *description) ? g_strdup (description) : NULL;
}

gboolean
sl_assertion_set_type (SlAssertion *a, SlScalarType type, GError **error)
{
  g_return_val_if_fail (a != NULL, FALSE);
  if (!sl_pattern_accepts_type (a->pattern, type))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion '%s', key 'type': pattern %s does not accept %s values",
                   a->name, a->pattern->name, sl_scalar_type_name (type));
      return FALSE;
    }
  a->type = type;
  a->type_given = TRUE;
  return TRUE;
}

void
sl_assertion_set_f64 (SlAssertion *a, SlPatternParamId id, double value)
{
  g_return_if_fail (a != NULL && (guint) id < SL_PARAM_COUNT);
  a->num[id].type = SL_SCALAR_F64;
  a->num[id].f = value;
  a->set |= 1u << id;
}

void
sl_assertion_set_scalar (SlAssertion *a, SlPatternParamId id, SlScalar value)
{
  g_return_if_fail (a != NULL && (guint) id < SL_PARAM_COUNT);
  a->num[id] = value;
  a->set |= 1u << id;
}

void
sl_assertion_set_other (SlAssertion *a, const SlFieldSelector *other)
{
  g_return_if_fail (a != NULL && other != NULL);
  sl_field_selector_free (a->other);
  a->other = sl_field_selector_copy (other);
  a->set |= 1u << SL_PARAM_OTHER;
}

void
sl_assertion_set_phase (SlAssertion *a, SlPatternParamId id, guint16 phase)
{
  g_return_if_fail (a != NULL && (id == SL_PARAM_EARLIER || id == SL_PARAM_LATER));
  a->phase[id] = phase;
  a->set |= 1u << id;
}

void
sl_assertion_set_phases (SlAssertion *a, const guint16 *phases, guint n_phases)
{
  g_return_if_fail (a != NULL);
  g_array_set_size (a->phases, 0);
  if (n_phases > 0)
    g_array_append_vals (a->phases, phases, n_phases);
}

/* Finite real number, whole text. */
static gboolean
parse_real (const char *text, double *out)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

/* Integers stay exact (u64 or i64); anything else, including integers too
 * large for 64 bits, is a real number. */
static gboolean
parse_scalar (const char *text, SlScalar *out)
{
  const char *digits = text[0] == '-' ? text + 1 : text;
  gboolean integer = *digits != '\0';

  for (const char *p = digits; *p; p++)
    if (!g_ascii_isdigit (*p))
      integer = FALSE;
  if (integer && text[0] == '-'
      && g_ascii_string_to_signed (text, 10, G_MININT64, 0, &out->i, NULL))
    {
      out->type = SL_SCALAR_I64;
      return TRUE;
    }
  if (integer && text[0] != '-'
      && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &out->u, NULL))
    {
      out->type = SL_SCALAR_U64;
      return TRUE;
    }
  out->type = SL_SCALAR_F64;
  return parse_real (text, &out->f);
}

/* Phase labels only ("BASELINE", "Step[k]"): a raw number would be ambiguous. */
static gboolean
parse_phase_label (const char *text, guint16 *out)
{
  g_autofree char *back = NULL;

  if (strcmp (text, "BASELINE") != 0 && !g_str_has_prefix (text, "Step["))
    return FALSE;
  if (!sl_phase_parse (text, out))
    return FALSE;
  back = sl_phase_label (*out);
  return strcmp (back, text) == 0;
}

gboolean
sl_assertion_set_param_text (SlAssertion *a, const char *key, const char *text, GError **error)
{
  const SlPatternParam *p;
  g_autofree char *value = NULL;

  g_return_val_if_fail (a != NULL && key != NULL && text != NULL, FALSE);
  p = sl_pattern_find_param (a->pattern, key);
  if (p == NULL)
    {
      g_autofree char *names = pattern_param_names (a->pattern);

      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion '%s', key '%s': pattern %s takes no parameter '%s' (it takes: %s)",
                   a->name, key, a->pattern->name, key, names);
      return FALSE;
    }
  value = g_strstrip (g_strdup (text));
  switch (p->kind)
    {
    case SL_PARAM_KIND_F64:
      {
        double d;

        if (!parse_real (value, &d))
          goto bad_number;
        sl_assertion_set_f64 (a, p->id, d);
        return TRUE;
      }
    case SL_PARAM_KIND_SCALAR:
      {
        SlScalar s = { 0 };

        if (!parse_scalar (value, &s))
          goto bad_number;
        sl_assertion_set_scalar (a, p->id, s);
        return TRUE;
      }
    case SL_PARAM_KIND_FIELD:
      {
        g_autoptr(GError) local = NULL;
        g_autoptr(SlFieldSelector) sel = sl_field_selector_parse (value, &local);

        if (sel == NULL)
          {
            g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key '%s': %s",
                         a->name, key, local->message);
            return FALSE;
          }
        sl_assertion_set_other (a, sel);
        return TRUE;
      }
    case SL_PARAM_KIND_PHASE:
      {
        guint16 phase;

        if (!parse_phase_label (value, &phase))
          {
            g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                         "assertion '%s', key '%s': '%s' is not a phase label (BASELINE or Step[k])",
                         a->name, key, value);
            return FALSE;
          }
        sl_assertion_set_phase (a, p->id, phase);
        return TRUE;
      }
    }
bad_number:
  g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "assertion '%s', key '%s': '%s' is not a finite number",
               a->name, key, value);
  return FALSE;
}

char *
sl_assertion_param_text (const SlAssertion *a, SlPatternParamId id)
{
  const SlPatternParam *p = NULL;

  g_return_val_if_fail (a != NULL, NULL);
  if ((guint) id >= SL_PARAM_COUNT || (a->set & (1u << id)) == 0)
    return NULL;
  for (guint i = 0; i < a->pattern->n_params; i++)
    if (a->pattern->params[i].id == id)
      p = &a->pattern->params[i];
  if (p == NULL)
    return NULL;
  switch (p->kind)
    {
    case SL_PARAM_KIND_SCALAR:
      /* -0.0 would read back as the integer 0: write that directly (they compare equal). */
      if (a->num[id].type == SL_SCALAR_F64 && a->num[id].f == 0.0)
        return g_strdup ("0");
      G_GNUC_FALLTHROUGH;
    case SL_PARAM_KIND_F64:
      /* Shortest round-trip digits without an exponent: "12000", not "1.2e+04". */
      return sl_pattern_format_value (a->num[id]);
    case SL_PARAM_KIND_FIELD:
      return a->other ? g_strdup (a->other->text) : NULL;
    case SL_PARAM_KIND_PHASE:
      return sl_phase_label (a->phase[id]);
    }
  return NULL;
}

gboolean
sl_assertion_validate (const SlAssertion *a, GError **error)
{
  guint allowed = 0;

  g_return_val_if_fail (a != NULL, FALSE);
  for (guint i = 0; i < a->pattern->n_params; i++)
    {
      const SlPatternParam *p = &a->pattern->params[i];

      allowed |= 1u << p->id;
      if ((a->set & (1u << p->id)) == 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                       "assertion '%s', key '%s': pattern %s needs parameter '%s' (%s)",
                       a->name, p->name, a->pattern->name, p->name, p->description);
          return FALSE;
        }
    }
  if ((a->set & ~allowed) != 0)
    {
      g_autofree char *names = pattern_param_names (a->pattern);

      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion '%s': pattern %s has extra parameters (it takes: %s)",
                   a->name, a->pattern->name, names);
      return FALSE;
    }
  if (!sl_pattern_accepts_type (a->pattern, a->type))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion '%s', key 'type': pattern %s does not accept %s values",
                   a->name, a->pattern->name, sl_scalar_type_name (a->type));
      return FALSE;
    }
  if (a->pattern->id == SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST && a->phases->len > 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC,
                   "assertion '%s', key 'phases': ratio_across_phases.at_most picks its phases "
                   "with 'earlier' and 'later'; remove 'phases'", a->name);
      return FALSE;
    }
  return TRUE;
}

static SlSeriesField *
project_scoped (const SlAssertion *a, SlRun *run, const SlFieldSelector *sel, GError **error)
{
  g_autoptr(SlSeriesField) field = sl_project (run, sel, a->type, error);

  if (field == NULL)
    return NULL;
  if (a->phases->len == 0 || a->pattern->id == SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST)
    return g_steal_pointer (&field);
  return sl_series_field_filter_phases (field, (const guint16 *) a->phases->data, a->phases->len);
}

SlVerdict *
sl_assertion_evaluate (const SlAssertion *a, SlRun *run, SlSeriesField **out_field, GError **error)
{
  g_autoptr(SlSeriesField) field = NULL;
  g_autoptr(SlSeriesField) other = NULL;
  g_autoptr(SlVerdict) verdict = NULL;
  SlPatternArgs args;

  g_return_val_if_fail (a != NULL, NULL);
  g_return_val_if_fail (run != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sl_assertion_validate (a, error))
    return NULL;
  field = project_scoped (a, run, a->selector, error);
  if (field == NULL)
    return NULL;

  sl_pattern_args_init (&args);
  for (guint i = 0; i < a->pattern->n_params; i++)
    {
      const SlPatternParam *p = &a->pattern->params[i];

      switch (p->kind)
        {
        case SL_PARAM_KIND_F64:
          sl_pattern_args_set_f64 (&args, p->id, sl_scalar_to_f64 (a->num[p->id]));
          break;
        case SL_PARAM_KIND_SCALAR:
          sl_pattern_args_set_scalar (&args, p->id, a->num[p->id]);
          break;
        case SL_PARAM_KIND_FIELD:
          other = project_scoped (a, run, a->other, error);
          if (other == NULL)
            return NULL;
          sl_pattern_args_set_field (&args, other);
          break;
        case SL_PARAM_KIND_PHASE:
          sl_pattern_args_set_phase (&args, p->id, a->phase[p->id]);
          break;
        }
    }

  verdict = sl_verdict_new ();
  if (!sl_pattern_run (a->pattern, field, &args, verdict, error))
    {
      g_prefix_error (error, "assertion '%s': ", a->name);
      return NULL;
    }
  if (out_field)
    *out_field = g_steal_pointer (&field);
  return g_steal_pointer (&verdict);
}
