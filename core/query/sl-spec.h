/* sl-spec.h: assertions (field selector + pattern + parameters + phase scope)
 * and the .slspec file that holds them (a GKeyFile document; see
 * doc/spec-format.md):
 *
 *   [spec]
 *   version=1
 *   description=dispatch sanity for scx_simple
 *
 *   [assert dispatch-never-regresses]
 *   field=bpf sl_vtime.bss/nr_dispatched
 *   pattern=nondecreasing
 *   phases=Step[0],Step[1]
 *
 * Validation is strict: unknown groups or keys, missing or extra parameters,
 * bad numbers, selectors or phase labels, and a newer version are SL_ERROR_SPEC
 * errors whose message names the source, the assertion and the key. */
#pragma once

#include <glib.h>
#include "sl-types.h"
#include "sl-run.h"
#include "sl-field-selector.h"
#include "sl-series-field.h"
#include "sl-verdict.h"
#include "sl-patterns.h"

G_BEGIN_DECLS

#define SL_SPEC_VERSION         1
#define SL_SPEC_MAX_BYTES       ((gsize) 4 * 1024 * 1024)
#define SL_SPEC_MAX_ASSERTIONS  10000
#define SL_SPEC_MAX_NAME        128
#define SL_SPEC_MAX_PHASES      256

typedef struct {
  char                *name;         /* [A-Za-z0-9_.:-]+ */
  char                *description;  /* NULL = none */
  SlFieldSelector     *selector;
  gboolean             type_given;   /* the file said type=…; otherwise the pattern's default */
  SlScalarType         type;
  const SlPatternInfo *pattern;
  guint                set;          /* bit (1 << SlPatternParamId) per given parameter */
  SlScalar             num[SL_PARAM_COUNT];
  SlFieldSelector     *other;        /* SL_PARAM_OTHER */
  guint16              phase[SL_PARAM_COUNT];  /* SL_PARAM_EARLIER / SL_PARAM_LATER */
  GArray              *phases;       /* guint16 scope; empty = every sample */
} SlAssertion;

/* The type an assertion uses when the spec does not say: f64 for rate_within,
 * steady_within, converges_to, ratio_within and ratio_across_phases; bool for
 * always_true; u64 otherwise. */
SlScalarType sl_pattern_default_type (const SlPatternInfo *pattern);

/* Constructors for the GUI. `pattern` is a table name ("rate_within"). */
SlAssertion *sl_assertion_new  (const char *name, const SlFieldSelector *selector,
                                const char *pattern, GError **error);
SlAssertion *sl_assertion_copy (const SlAssertion *a);
void         sl_assertion_free (SlAssertion *a);
gboolean     sl_assertion_name_is_valid (const char *name);
void         sl_assertion_set_description (SlAssertion *a, const char *description);
gboolean     sl_assertion_set_type   (SlAssertion *a, SlScalarType type, GError **error);
void         sl_assertion_set_f64    (SlAssertion *a, SlPatternParamId id, double value);
void         sl_assertion_set_scalar (SlAssertion *a, SlPatternParamId id, SlScalar value);
void         sl_assertion_set_other  (SlAssertion *a, const SlFieldSelector *other);
void         sl_assertion_set_phase  (SlAssertion *a, SlPatternParamId id, guint16 phase);
void         sl_assertion_set_phases (SlAssertion *a, const guint16 *phases, guint n_phases);
/* Parses a parameter from its spec text ("lo", "0.5"), by the pattern's kind. */
gboolean     sl_assertion_set_param_text (SlAssertion *a, const char *key, const char *text, GError **error);
/* The parameter as spec text (canonical); NULL when not set. */
char        *sl_assertion_param_text (const SlAssertion *a, SlPatternParamId id);
/* Every required parameter present, none extra, type accepted. */
gboolean     sl_assertion_validate (const SlAssertion *a, GError **error);

/* Projects the field (and `other`), keeps the samples of the phase scope
 * (ratio_across_phases uses earlier/later instead) and runs the pattern.
 * out_field (optional) receives the evaluated field. GError only when the
 * assertion cannot be evaluated at all. */
SlVerdict   *sl_assertion_evaluate (const SlAssertion *a, SlRun *run, SlSeriesField **out_field, GError **error);

typedef struct {
  guint      version;
  char      *description;   /* NULL = none */
  char      *source_name;   /* file name for messages; NULL = "spec" */
  GPtrArray *assertions;    /* SlAssertion*, file order */
} SlSpec;

SlSpec      *sl_spec_new   (void);
SlSpec      *sl_spec_parse (const char *data, gssize len, const char *source_name, GError **error);
SlSpec      *sl_spec_load  (const char *path, GError **error);
/* sl_spec_parse for documents that embed a spec (test files): the groups named
 * in extra_groups (NULL-terminated; may be NULL) are left to the caller, who
 * gets the parsed key file (optional) to read them with the same syntax,
 * repeat checks and limits. */
SlSpec      *sl_spec_parse_full (const char *data, gssize len, const char *source_name,
                                 const char *const *extra_groups, GKeyFile **out_key_file,
                                 GError **error);
/* A raw key-file value with GKeyFile's escapes (\s \n \t \r \\) undone;
 * NULL and SL_ERROR_SPEC on a bad escape. */
char        *sl_spec_unescape_value (const char *raw, GError **error);
void         sl_spec_free  (SlSpec *spec);
/* Adopts `a`; fails on a duplicate name. */
gboolean     sl_spec_add   (SlSpec *spec, SlAssertion *a, GError **error);
const SlAssertion *sl_spec_find (const SlSpec *spec, const char *name);
/* Stable, diffable text: fixed key order, canonical numbers; parses back to an
 * equal spec. */
char        *sl_spec_to_data (const SlSpec *spec, gsize *length);
gboolean     sl_spec_save    (const SlSpec *spec, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlAssertion, sl_assertion_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlSpec, sl_spec_free)

G_END_DECLS
