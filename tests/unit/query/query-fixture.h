/* query-fixture.h: small builders for in-memory runs used by the query tests. */
#pragma once

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "sl-run.h"
#include "sl-report.h"
#include "sl-value.h"
#include "sl-projection.h"

static inline SlSample *
fx_sample (SlRun *run, const char *tag, gint64 elapsed_ms, gint step_index)
{
  SlSample *s = sl_sample_new (tag);

  if (s->report == NULL)
    s->report = sl_report_new ();
  if (s->vcpu_times == NULL)
    s->vcpu_times = g_array_new (FALSE, TRUE, sizeof (SlVcpuTime));
  if (elapsed_ms >= 0)
    s->elapsed_ms = sl_opt_u64 ((guint64) elapsed_ms);
  if (step_index >= 0)
    {
      s->has_step_index = TRUE;
      s->step_index = (guint16) step_index;
    }
  s->missing_stats.kind = SL_MISSING_STATS_NO_SCHEDULER_BINARY;
  g_ptr_array_add (run->samples, s);
  return s;
}

static inline void
fx_placeholder (SlSample *s, const char *reason)
{
  sl_report_free (s->report);
  s->report = sl_report_new_placeholder (reason);
}

static inline void
fx_stats (SlSample *s, const char *json)
{
  g_autoptr(JsonParser) p = json_parser_new ();

  g_assert_true (json_parser_load_from_data (p, json, -1, NULL));
  if (s->stats)
    json_node_unref (s->stats);
  s->stats = json_node_copy (json_parser_get_root (p));
  s->missing_stats.kind = SL_MISSING_STATS_NONE;
}

static inline SlMap *
fx_map (SlSample *s, const char *name, guint32 type, guint64 kva)
{
  SlMap *m = sl_map_new (name, type, 8, 1);

  m->map_kva = kva;
  g_ptr_array_add (s->report->maps, m);
  return m;
}

/* A .bss-like datasec with u64 globals: fx_bss (s, "obj.bss", 0, "a", 1, "b", 2, NULL). */
static inline SlMap *
fx_bss (SlSample *s, const char *name, guint64 kva, ...)
{
  SlMap *m = fx_map (s, name, SL_BPF_MAP_ARRAY, kva);
  SlValue *sec = sl_value_new_struct (strrchr (name, '.'));
  const char *member;
  va_list ap;

  va_start (ap, kva);
  while ((member = va_arg (ap, const char *)) != NULL)
    sl_value_struct_add (sec, member, sl_value_new_uint (64, va_arg (ap, guint64)));
  va_end (ap);
  m->value = sec;
  return m;
}

static inline SlValue *
fx_struct_u64 (const char *type_name, const char *member, guint64 v)
{
  SlValue *s = sl_value_new_struct (type_name);

  sl_value_struct_add (s, member, sl_value_new_uint (64, v));
  return s;
}

static inline SlRun *
fx_run (void)
{
  SlRun *run = sl_run_new ();

  g_assert_nonnull (run->samples);
  return run;
}

static inline const SlSlot *
fx_slot (const SlSeriesField *f, guint i)
{
  g_assert_cmpuint (i, <, sl_series_field_len (f));
  return sl_series_field_slot (f, i);
}

static inline void
fx_assert_err (const SlSeriesField *f, guint i, SlFieldErrorKind kind, const char *needle)
{
  const SlSlot *s = fx_slot (f, i);

  if (s->ok)
    g_error ("slot %u: expected error %s, got a value", i, sl_field_error_kind_name (kind));
  if (s->error != kind)
    g_error ("slot %u: expected %s, got %s: %s", i, sl_field_error_kind_name (kind),
             sl_field_error_kind_name (s->error), s->error_text);
  if (needle && strstr (s->error_text, needle) == NULL)
    g_error ("slot %u: message '%s' lacks '%s'", i, s->error_text, needle);
}

static inline guint64
fx_u64_at (const SlSeriesField *f, guint i)
{
  const SlSlot *s = fx_slot (f, i);

  if (!s->ok)
    g_error ("slot %u: unexpected error %s: %s", i, sl_field_error_kind_name (s->error), s->error_text);
  g_assert_cmpint (s->value.type, ==, SL_SCALAR_U64);
  return s->value.u;
}

static inline SlSeriesField *
fx_project (SlRun *run, const char *selector, SlScalarType type)
{
  g_autoptr(GError) error = NULL;
  SlSeriesField *f = sl_project_text (run, selector, type, &error);

  g_assert_no_error (error);
  g_assert_nonnull (f);
  return f;
}
