/* sl-pattern-table.c: the description of every pattern, for UIs and spec
 * parsers, and running a pattern by its table entry. */
#include "sl-patterns.h"

#include <string.h>

#define NUMERIC (SL_SCALAR_TYPE_BIT (SL_SCALAR_U64) | SL_SCALAR_TYPE_BIT (SL_SCALAR_I64) | \
                 SL_SCALAR_TYPE_BIT (SL_SCALAR_F64))
#define BOOLEAN (SL_SCALAR_TYPE_BIT (SL_SCALAR_BOOL))

#define GAP_NOTE "an errored sample is a gap: pairs across it are skipped and listed in a note"

static const SlPatternInfo patterns[] = {
  { SL_PATTERN_NONDECREASING, "nondecreasing",
    "every value is >= the one before it (a counter that only goes up)",
    GAP_NOTE, 0, { { 0 } }, NUMERIC },
  { SL_PATTERN_STRICTLY_INCREASING, "strictly_increasing",
    "every value is > the one before it (a counter that must advance every sample)",
    GAP_NOTE, 0, { { 0 } }, NUMERIC },
  { SL_PATTERN_RATE_WITHIN, "rate_within",
    "the change per millisecond between consecutive samples stays within [lo, hi]",
    GAP_NOTE "; so is a pair with an unmeasured elapsed time", 2,
    { { SL_PARAM_LO, "lo", SL_PARAM_KIND_F64, "lowest allowed rate, in value units per ms (inclusive)" },
      { SL_PARAM_HI, "hi", SL_PARAM_KIND_F64, "highest allowed rate, in value units per ms (inclusive)" } },
    NUMERIC },
  { SL_PATTERN_STEADY_WITHIN, "steady_within",
    "after warmup, every value stays within ±tolerance of the post-warmup mean",
    "an errored, non-finite or untimed sample is skipped and listed in a note", 2,
    { { SL_PARAM_WARMUP_MS, "warmup_ms", SL_PARAM_KIND_F64, "samples before this elapsed time (ms) are ignored" },
      { SL_PARAM_TOLERANCE, "tolerance", SL_PARAM_KIND_F64, "allowed relative deviation from the mean (0.10 = ±10 %)" } },
    NUMERIC },
  { SL_PATTERN_CONVERGES_TO, "converges_to",
    "three consecutive samples land within target ± tolerance at or before the deadline",
    "an errored sample breaks a run of in-band samples; fewer than 3 good samples is only a note", 3,
    { { SL_PARAM_TARGET, "target", SL_PARAM_KIND_F64, "the value the series should settle at" },
      { SL_PARAM_TOLERANCE, "tolerance", SL_PARAM_KIND_F64, "allowed absolute distance from the target" },
      { SL_PARAM_DEADLINE_MS, "deadline_ms", SL_PARAM_KIND_F64, "latest elapsed time (ms) by which it must have settled" } },
    NUMERIC },
  { SL_PATTERN_ALWAYS_TRUE, "always_true",
    "every sample is true",
    "an errored sample is a failure", 0, { { 0 } }, BOOLEAN },
  { SL_PATTERN_RATIO_WITHIN, "ratio_within",
    "this field divided by another stays within [lo, hi] at every sample",
    "a sample errored on either side is skipped and listed in a note; a zero denominator is inconclusive", 3,
    { { SL_PARAM_OTHER, "other", SL_PARAM_KIND_FIELD, "the denominator field, projected from the same samples" },
      { SL_PARAM_LO, "lo", SL_PARAM_KIND_F64, "lowest allowed ratio (inclusive)" },
      { SL_PARAM_HI, "hi", SL_PARAM_KIND_F64, "highest allowed ratio (inclusive)" } },
    NUMERIC },
  { SL_PATTERN_EACH_AT_LEAST, "each.at_least",
    "every sample is >= bound",
    "an errored sample is a failure", 1,
    { { SL_PARAM_BOUND, "bound", SL_PARAM_KIND_SCALAR, "the floor (inclusive), compared exactly" } },
    NUMERIC },
  { SL_PATTERN_EACH_AT_MOST, "each.at_most",
    "every sample is <= bound",
    "an errored sample is a failure", 1,
    { { SL_PARAM_BOUND, "bound", SL_PARAM_KIND_SCALAR, "the ceiling (inclusive), compared exactly" } },
    NUMERIC },
  { SL_PATTERN_EACH_BETWEEN, "each.between",
    "every sample is within [lo, hi]",
    "an errored sample is a failure", 2,
    { { SL_PARAM_LO, "lo", SL_PARAM_KIND_SCALAR, "the floor (inclusive), compared exactly" },
      { SL_PARAM_HI, "hi", SL_PARAM_KIND_SCALAR, "the ceiling (inclusive), compared exactly" } },
    NUMERIC },
  { SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST, "ratio_across_phases.at_most",
    "the last good value of the later phase divided by that of the earlier phase is <= ceiling",
    "errored samples are ignored; a phase without a good value, or an earlier value of 0, is inconclusive", 3,
    { { SL_PARAM_EARLIER, "earlier", SL_PARAM_KIND_PHASE, "the baseline phase (BASELINE or Step[k])" },
      { SL_PARAM_LATER, "later", SL_PARAM_KIND_PHASE, "the phase compared against it" },
      { SL_PARAM_CEILING, "ceiling", SL_PARAM_KIND_F64, "largest allowed later/earlier ratio (inclusive)" } },
    NUMERIC },
};

const SlPatternInfo *
sl_pattern_all (guint *n)
{
  if (n != NULL)
    *n = G_N_ELEMENTS (patterns);
  return patterns;
}

const SlPatternInfo *
sl_pattern_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    if (strcmp (patterns[i].name, name) == 0)
      return &patterns[i];
  return NULL;
}

const SlPatternInfo *
sl_pattern_info (SlPatternId id)
{
  g_return_val_if_fail ((guint) id < G_N_ELEMENTS (patterns), NULL);
  return &patterns[id];
}

gboolean
sl_pattern_accepts_type (const SlPatternInfo *info, SlScalarType type)
{
  g_return_val_if_fail (info != NULL, FALSE);
  return (info->accepted_types & SL_SCALAR_TYPE_BIT (type)) != 0;
}

const SlPatternParam *
sl_pattern_find_param (const SlPatternInfo *info, const char *name)
{
  g_return_val_if_fail (info != NULL, NULL);
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < info->n_params; i++)
    if (strcmp (info->params[i].name, name) == 0)
      return &info->params[i];
  return NULL;
}

void
sl_pattern_args_init (SlPatternArgs *a)
{
  g_return_if_fail (a != NULL);
  memset (a, 0, sizeof *a);
}

void
sl_pattern_args_set_f64 (SlPatternArgs *a, SlPatternParamId id, double value)
{
  g_return_if_fail (a != NULL && (guint) id < SL_PARAM_COUNT);
  a->num[id].type = SL_SCALAR_F64;
  a->num[id].f = value;
  a->set |= 1u << id;
}

void
sl_pattern_args_set_scalar (SlPatternArgs *a, SlPatternParamId id, SlScalar value)
{
  g_return_if_fail (a != NULL && (guint) id < SL_PARAM_COUNT);
  a->num[id] = value;
  a->set |= 1u << id;
}

void
sl_pattern_args_set_field (SlPatternArgs *a, const SlSeriesField *other)
{
  g_return_if_fail (a != NULL);
  a->other = other;
  if (other != NULL)
    a->set |= 1u << SL_PARAM_OTHER;
  else
    a->set &= ~(1u << SL_PARAM_OTHER);
}

void
sl_pattern_args_set_phase (SlPatternArgs *a, SlPatternParamId id, guint16 phase)
{
  g_return_if_fail (a != NULL && (guint) id < SL_PARAM_COUNT);
  a->phase[id] = phase;
  a->set |= 1u << id;
}

static double
num (const SlPatternArgs *a, SlPatternParamId id)
{
  return sl_scalar_to_f64 (a->num[id]);
}

gboolean
sl_pattern_run (const SlPatternInfo *info, const SlSeriesField *f,
                const SlPatternArgs *args, SlVerdict *v, GError **error)
{
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (f != NULL, FALSE);
  g_return_val_if_fail (args != NULL, FALSE);
  g_return_val_if_fail (v != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sl_pattern_accepts_type (info, f->type))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: field '%s' has type %s, which this pattern does not accept",
                   info->name, f->label, sl_scalar_type_name (f->type));
      return FALSE;
    }
  for (guint i = 0; i < info->n_params; i++)
    {
      const SlPatternParam *p = &info->params[i];

      if ((args->set & (1u << p->id)) == 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: missing parameter '%s' (%s)",
                       info->name, p->name, p->description);
          return FALSE;
        }
      if ((p->kind == SL_PARAM_KIND_F64 || p->kind == SL_PARAM_KIND_SCALAR)
          && args->num[p->id].type == SL_SCALAR_BOOL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_SPEC, "%s: parameter '%s' must be a number, not a boolean",
                       info->name, p->name);
          return FALSE;
        }
    }

  switch (info->id)
    {
    case SL_PATTERN_NONDECREASING:
      sl_pattern_nondecreasing (f, v);
      break;
    case SL_PATTERN_STRICTLY_INCREASING:
      sl_pattern_strictly_increasing (f, v);
      break;
    case SL_PATTERN_RATE_WITHIN:
      sl_pattern_rate_within (f, num (args, SL_PARAM_LO), num (args, SL_PARAM_HI), v);
      break;
    case SL_PATTERN_STEADY_WITHIN:
      sl_pattern_steady_within (f, num (args, SL_PARAM_WARMUP_MS), num (args, SL_PARAM_TOLERANCE), v);
      break;
    case SL_PATTERN_CONVERGES_TO:
      sl_pattern_converges_to (f, num (args, SL_PARAM_TARGET), num (args, SL_PARAM_TOLERANCE),
                               num (args, SL_PARAM_DEADLINE_MS), v);
      break;
    case SL_PATTERN_ALWAYS_TRUE:
      sl_pattern_always_true (f, v);
      break;
    case SL_PATTERN_RATIO_WITHIN:
      sl_pattern_ratio_within (f, args->other, num (args, SL_PARAM_LO), num (args, SL_PARAM_HI), v);
      break;
    case SL_PATTERN_EACH_AT_LEAST:
      sl_pattern_each_at_least (f, args->num[SL_PARAM_BOUND], v);
      break;
    case SL_PATTERN_EACH_AT_MOST:
      sl_pattern_each_at_most (f, args->num[SL_PARAM_BOUND], v);
      break;
    case SL_PATTERN_EACH_BETWEEN:
      sl_pattern_each_between (f, args->num[SL_PARAM_LO], args->num[SL_PARAM_HI], v);
      break;
    case SL_PATTERN_RATIO_ACROSS_PHASES_AT_MOST:
      sl_pattern_ratio_across_phases_at_most (f, args->phase[SL_PARAM_EARLIER], args->phase[SL_PARAM_LATER],
                                              num (args, SL_PARAM_CEILING), v);
      break;
    }
  return TRUE;
}
