/* sl-projection-bpf.c: the BPF axis (ktstr-semantics §3.1): globals found with
 * ktstr's var() rule, maps by exact name, entry index, per-CPU narrowing and
 * reductions, member paths, and §2.5 coercions. */
#include "sl-projection-private.h"

#include <math.h>
#include <string.h>

#define MAX_ANON_DEPTH 8

void
sl_proj_error_set (SlProjError *err, SlFieldErrorKind kind, const char *format, ...)
{
  va_list ap;

  if (err == NULL)
    return;
  g_free (err->text);
  err->kind = kind;
  va_start (ap, format);
  err->text = g_strdup_vprintf (format, ap);
  va_end (ap);
}

char *
sl_proj_format_list (const char *const *names, guint n)
{
  GString *s = g_string_new ("[");
  guint shown = MIN (n, SL_PROJECTION_MAX_LISTED);

  for (guint i = 0; i < shown; i++)
    {
      const char *name = names[i] ? names[i] : "";
      glong chars = g_utf8_strlen (name, -1);

      if (i > 0)
        g_string_append (s, ", ");
      g_string_append_c (s, '"');
      if (chars > 80)
        {
          g_string_append_len (s, name, g_utf8_offset_to_pointer (name, 80) - name);
          g_string_append (s, "…");
        }
      else
        g_string_append (s, name);
      g_string_append_c (s, '"');
    }
  if (n > shown)
    g_string_append_printf (s, ", … (+%u more)", n - shown);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

char *
sl_proj_format_ptr_list (GPtrArray *names)
{
  return sl_proj_format_list ((const char *const *) names->pdata, names->len);
}

/* ---- describing values for messages ------------------------------------ */

static char *
describe_value (const SlValue *v)
{
  if (v == NULL)
    return g_strdup ("nothing (pointer not followed)");
  switch (v->kind)
    {
    case SL_VALUE_INT: return g_strdup_printf ("int %" G_GINT64_FORMAT, v->v.i);
    case SL_VALUE_UINT: return g_strdup_printf ("uint %" G_GUINT64_FORMAT, v->v.u);
    case SL_VALUE_BOOL: return g_strdup_printf ("bool %s", v->v.b ? "true" : "false");
    case SL_VALUE_CHAR: return g_strdup_printf ("char %u", v->v.c);
    case SL_VALUE_FLOAT: return g_strdup_printf ("float %g", v->v.f);
    case SL_VALUE_ENUM:
      return v->is_signed ? g_strdup_printf ("enum %" G_GINT64_FORMAT, v->v.i)
                          : g_strdup_printf ("enum %" G_GUINT64_FORMAT, v->v.u);
    case SL_VALUE_STRUCT:
      return g_strdup_printf ("struct %s", v->text ? v->text : "(anonymous)");
    case SL_VALUE_ARRAY:
      return g_strdup_printf ("array of %u", v->n_elements);
    case SL_VALUE_PTR:
      return g_strdup_printf ("ptr 0x%" G_GINT64_MODIFIER "x", v->v.u);
    default:
      return g_strdup (sl_value_kind_name (v->kind));
    }
}

/* ---- member paths ------------------------------------------------------- */

static const SlValue *
find_member (const SlValue *s, const char *name, guint depth)
{
  if (depth > MAX_ANON_DEPTH)
    return NULL;
  for (guint i = 0; i < s->n_members; i++)
    if (strcmp (s->members[i].name, name) == 0)
      return s->members[i].value;
  /* Members of anonymous structs and unions read as if they were the parent's. */
  for (guint i = 0; i < s->n_members; i++)
    if (s->members[i].name[0] == '\0')
      {
        const SlValue *inner = sl_value_peel (s->members[i].value);
        const SlValue *hit;

        if (inner && inner->kind == SL_VALUE_STRUCT && (hit = find_member (inner, name, depth + 1)))
          return hit;
      }
  return NULL;
}

static void
collect_member_names (const SlValue *s, GPtrArray *names, guint depth)
{
  if (depth > MAX_ANON_DEPTH)
    return;
  for (guint i = 0; i < s->n_members; i++)
    {
      if (s->members[i].name[0] != '\0')
        g_ptr_array_add (names, s->members[i].name);
      else
        {
          const SlValue *inner = sl_value_peel (s->members[i].value);

          if (inner && inner->kind == SL_VALUE_STRUCT)
            collect_member_names (inner, names, depth + 1);
        }
    }
}

static char *
join_walked (const char *const *components, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, '.');
      g_string_append (s, components[i]);
    }
  return g_string_free (s, FALSE);
}

/* "'stats.weight'" for a walked path, or the root's own description. */
static char *
describe_walked (const char *root, const char *const *components, guint n)
{
  g_autofree char *walked = join_walked (components, n);

  if (n == 0)
    return g_strdup (root ? root : "the value");
  return g_strdup_printf ("'%s'", walked);
}

gboolean
sl_bpf_walk (const SlValue *root, const char *root_desc, const char *const *components, guint first,
             const char *requested, const SlValue **out, SlProjError *err)
{
  const SlValue *cur = sl_value_peel (root);

  for (guint i = first; components && components[i]; i++)
    {
      const char *c = components[i];
      g_autofree char *where = describe_walked (root_desc, components, i);

      if (cur != NULL && cur->kind == SL_VALUE_STRUCT)
        {
          const SlValue *next = find_member (cur, c, 0);

          if (next == NULL)
            {
              g_autoptr(GPtrArray) names = g_ptr_array_new ();
              g_autofree char *list = NULL;

              collect_member_names (cur, names, 0);
              list = sl_proj_format_ptr_list (names);
              sl_proj_error_set (err, SL_FIELD_ERROR_FIELD_NOT_FOUND,
                                 "field '%s': no member '%s' in %s (available: %s)",
                                 requested, c, where, list);
              return FALSE;
            }
          cur = sl_value_peel (next);
          continue;
        }
      if (cur != NULL && cur->kind == SL_VALUE_ARRAY && g_ascii_isdigit (c[0]))
        {
          guint64 idx;

          if (!g_ascii_string_to_unsigned (c, 10, 0, G_MAXUINT32, &idx, NULL))
            {
              sl_proj_error_set (err, SL_FIELD_ERROR_FIELD_NOT_FOUND,
                                 "field '%s': '%s' is not an array index", requested, c);
              return FALSE;
            }
          if (idx >= cur->n_elements)
            {
              sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                                 "field '%s': index %" G_GUINT64_FORMAT " out of range for array %s (len %u)",
                                 requested, idx, where, cur->n_elements);
              return FALSE;
            }
          cur = sl_value_peel (cur->elements[idx]);
          continue;
        }
      {
        g_autofree char *kind = describe_value (cur);

        sl_proj_error_set (err, SL_FIELD_ERROR_NOT_A_STRUCT,
                           "field '%s': %s is %s, not a struct; cannot look up '%s'",
                           requested, where, kind, c);
        return FALSE;
      }
    }
  if (cur == NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_NOT_A_STRUCT,
                         "field '%s': pointer chain too long or not followed", requested);
      return FALSE;
    }
  *out = cur;
  return TRUE;
}

gboolean
sl_bpf_coerce (const SlValue *v, SlScalarType type, const char *requested, SlScalar *out, SlProjError *err)
{
  gboolean ok = FALSE;

  v = sl_value_peel (v);
  out->type = type;
  switch (type)
    {
    case SL_SCALAR_U64: ok = sl_value_as_u64 (v, &out->u); break;
    case SL_SCALAR_I64: ok = sl_value_as_i64 (v, &out->i); break;
    case SL_SCALAR_F64: ok = sl_value_as_f64 (v, &out->f); break;
    case SL_SCALAR_BOOL: ok = sl_value_as_bool (v, &out->b); break;
    }
  if (!ok)
    {
      g_autofree char *actual = describe_value (v);

      sl_proj_error_set (err, SL_FIELD_ERROR_TYPE_MISMATCH,
                         "field '%s': expected %s, found %s", requested,
                         sl_scalar_type_name (type), actual);
    }
  return ok;
}

/* ---- globals (ktstr's var()) -------------------------------------------- */

static gboolean
map_is_active (const SlReport *r, const SlMap *m)
{
  if (r->active_obj_name == NULL)
    return FALSE;
  if (!g_str_has_prefix (m->name, r->active_obj_name) || m->name[strlen (r->active_obj_name)] != '.')
    return FALSE;
  if (r->active_map_kvas && r->active_map_kvas->len > 0)
    {
      for (guint i = 0; i < r->active_map_kvas->len; i++)
        if (g_array_index (r->active_map_kvas, guint64, i) == m->map_kva)
          return TRUE;
      return FALSE;
    }
  return TRUE;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static const SlValue *
find_global (const SlReport *r, const char *name, const char *requested, SlProjError *err)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new ();       /* SlMap* */
  g_autoptr(GPtrArray) hit_values = g_ptr_array_new (); /* SlValue* */
  const SlMap *broken = NULL;

  for (guint i = 0; r->maps && i < r->maps->len; i++)
    {
      const SlMap *m = g_ptr_array_index (r->maps, i);
      const SlValue *sec, *v;

      if (!sl_map_is_global_section (m))
        continue;
      sec = sl_value_peel (m->value);
      if (sec == NULL || sec->kind != SL_VALUE_STRUCT)
        {
          if (m->error && broken == NULL)
            broken = m;
          continue;
        }
      /* Top-level members only: no dot splitting (ktstr). */
      for (guint k = 0; k < sec->n_members; k++)
        if (strcmp (sec->members[k].name, name) == 0)
          {
            v = sec->members[k].value;
            g_ptr_array_add (hits, (gpointer) m);
            g_ptr_array_add (hit_values, (gpointer) v);
            break;
          }
    }

  if (hits->len == 1)
    return g_ptr_array_index (hit_values, 0);
  if (hits->len > 1)
    {
      const SlValue *active_hit = NULL;
      guint n_active = 0;
      g_autoptr(GPtrArray) found_in = g_ptr_array_new ();
      g_autofree char *list = NULL;

      for (guint i = 0; i < hits->len; i++)
        {
          const SlMap *m = g_ptr_array_index (hits, i);

          g_ptr_array_add (found_in, m->name);
          if (map_is_active (r, m))
            {
              n_active++;
              active_hit = g_ptr_array_index (hit_values, i);
            }
        }
      if (n_active == 1)
        return active_hit;
      list = sl_proj_format_ptr_list (found_in);
      sl_proj_error_set (err, SL_FIELD_ERROR_AMBIGUOUS_VAR,
                         "global variable '%s' is ambiguous: found in %s (%s); "
                         "name the map instead: bpf MAP/%s", requested, list,
                         r->active_obj_name ? "the active scheduler object does not decide"
                                            : "no active scheduler object is known",
                         requested);
      return NULL;
    }
  if (broken != NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE,
                         "global variable '%s' not found and map '%s' failed to render: %s",
                         requested, broken->name, broken->error);
      return NULL;
    }
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autofree char *list = NULL;

    for (guint i = 0; r->maps && i < r->maps->len; i++)
      {
        const SlMap *m = g_ptr_array_index (r->maps, i);
        const SlValue *sec = sl_map_is_global_section (m) ? sl_value_peel (m->value) : NULL;

        for (guint k = 0; sec && sec->kind == SL_VALUE_STRUCT && k < sec->n_members; k++)
          if (!g_ptr_array_find_with_equal_func (names, sec->members[k].name, g_str_equal, NULL))
            g_ptr_array_add (names, sec->members[k].name);
      }
    g_ptr_array_sort (names, compare_strings);
    list = sl_proj_format_ptr_list (names);
    sl_proj_error_set (err, SL_FIELD_ERROR_VAR_NOT_FOUND,
                       "snapshot has no global variable '%s' in any *.bss/*.data/*.rodata map "
                       "(available globals: %s)", requested, list);
  }
  return NULL;
}

/* ---- maps ---------------------------------------------------------------- */

typedef struct {
  const SlValue *value;      /* plain entry */
  gboolean       is_per_cpu;
  guint          n_cpus;
  SlValue *const *per_cpu;    /* n_cpus slots, NULL = unmapped CPU */
  SlValue       *owned;      /* parsed array_entries element */
} MapEntry;

static gboolean
array_entry_from_other (const SlMap *m, guint index, MapEntry *e, SlProjError *err)
{
  JsonArray *arr;
  JsonNode *el;
  JsonObject *obj;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;

  if (m->other == NULL || !json_object_has_member (m->other, "array_entries")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (m->other, "array_entries")))
    return FALSE;
  arr = json_object_get_array_member (m->other, "array_entries");
  if (index >= json_array_get_length (arr))
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                         "map '%s': entry index %u out of range (len %u)", m->name, index,
                         json_array_get_length (arr));
      return TRUE;
    }
  el = json_array_get_element (arr, index);
  obj = JSON_NODE_HOLDS_OBJECT (el) ? json_node_get_object (el) : NULL;
  if (obj == NULL || !json_object_has_member (obj, "value"))
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_NO_RENDERED, "map '%s': entry %u has no rendered value",
                         m->name, index);
      return TRUE;
    }
  where = g_strdup_printf ("map '%s' array_entries[%u]", m->name, index);
  e->owned = sl_value_from_json (json_object_get_member (obj, "value"), where, &error);
  if (e->owned == NULL)
    sl_proj_error_set (err, SL_FIELD_ERROR_NO_RENDERED, "%s", error->message);
  e->value = e->owned;
  return TRUE;
}

static gboolean
map_entry (const SlMap *m, guint index, MapEntry *e, SlProjError *err)
{
  GPtrArray *pc = NULL;

  if (m->percpu_entries && m->percpu_entries->len > 0)
    pc = m->percpu_entries;
  else if (m->percpu_hash_entries && m->percpu_hash_entries->len > 0)
    pc = m->percpu_hash_entries;

  if (pc != NULL)
    {
      if (index >= pc->len)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                             "map '%s': entry index %u out of range (len %u)", m->name, index, pc->len);
          return FALSE;
        }
      if (pc == m->percpu_entries)
        {
          const SlPercpuEntry *pe = g_ptr_array_index (pc, index);
          e->n_cpus = pe->n_cpus;
          e->per_cpu = pe->per_cpu;
        }
      else
        {
          const SlPercpuHashEntry *pe = g_ptr_array_index (pc, index);
          e->n_cpus = pe->n_cpus;
          e->per_cpu = pe->per_cpu;
        }
      if (e->per_cpu == NULL)
        e->n_cpus = 0;
      e->is_per_cpu = TRUE;
      return TRUE;
    }
  if (m->entries && m->entries->len > 0)
    {
      const SlMapEntry *me;

      if (index >= m->entries->len)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                             "map '%s': entry index %u out of range (len %u)", m->name, index,
                             m->entries->len);
          return FALSE;
        }
      me = g_ptr_array_index (m->entries, index);
      if (me->value == NULL)
        {
          sl_proj_error_set (err, SL_FIELD_ERROR_NO_RENDERED,
                             "map '%s': entry %u has no rendered value (value_hex %s)", m->name, index,
                             me->value_hex ? me->value_hex : "?");
          return FALSE;
        }
      e->value = me->value;
      return TRUE;
    }
  if (m->value != NULL && index == 0)
    {
      e->value = m->value;
      return TRUE;
    }
  if (index > 0 && array_entry_from_other (m, index, e, err))
    return e->value != NULL;
  if (m->value != NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                         "map '%s': entry index %u out of range (len 1: only key 0 was captured)",
                         m->name, index);
      return FALSE;
    }
  if (m->error != NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_MAP_RENDER_INCOMPLETE,
                         "map '%s' failed to render: %s", m->name, m->error);
      return FALSE;
    }
  if (m->map_type == SL_BPF_MAP_HASH || m->map_type == SL_BPF_MAP_LRU_HASH
      || m->map_type == SL_BPF_MAP_PERCPU_HASH || m->map_type == SL_BPF_MAP_LRU_PERCPU_HASH
      || m->map_type == SL_BPF_MAP_PERCPU_ARRAY)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_INDEX_OUT_OF_RANGE,
                         "map '%s': entry index %u out of range (len 0: the map was empty)", m->name, index);
      return FALSE;
    }
  sl_proj_error_set (err, SL_FIELD_ERROR_NO_RENDERED,
                     "map '%s' (type %u) has no rendered value", m->name, m->map_type);
  return FALSE;
}

static const char *
pick_name (SlCpuPick p)
{
  switch (p)
    {
    case SL_CPU_PICK_SUM: return "cpu_sum";
    case SL_CPU_PICK_MAX: return "cpu_max";
    case SL_CPU_PICK_MIN: return "cpu_min";
    default: return "cpu";
    }
}

static void
reduce (SlCpuPick pick, SlScalar *acc, SlScalar v)
{
  switch (acc->type)
    {
    case SL_SCALAR_U64:
      if (pick == SL_CPU_PICK_SUM)
        acc->u = (acc->u > G_MAXUINT64 - v.u) ? G_MAXUINT64 : acc->u + v.u;
      else if (pick == SL_CPU_PICK_MAX)
        acc->u = MAX (acc->u, v.u);
      else
        acc->u = MIN (acc->u, v.u);
      break;
    case SL_SCALAR_I64:
      if (pick == SL_CPU_PICK_SUM)
        {
          if (v.i > 0 && acc->i > G_MAXINT64 - v.i)
            acc->i = G_MAXINT64;
          else if (v.i < 0 && acc->i < G_MININT64 - v.i)
            acc->i = G_MININT64;
          else
            acc->i += v.i;
        }
      else if (pick == SL_CPU_PICK_MAX)
        acc->i = MAX (acc->i, v.i);
      else
        acc->i = MIN (acc->i, v.i);
      break;
    case SL_SCALAR_F64:
      if (pick == SL_CPU_PICK_SUM)
        acc->f += v.f;
      /* max/min skip NaN slots; an all-NaN set stays NaN (ktstr). */
      else if (isnan (acc->f))
        acc->f = v.f;
      else if (!isnan (v.f))
        acc->f = pick == SL_CPU_PICK_MAX ? fmax (acc->f, v.f) : fmin (acc->f, v.f);
      break;
    case SL_SCALAR_BOOL:
      if (pick == SL_CPU_PICK_MIN)
        acc->b = acc->b && v.b;
      else
        acc->b = acc->b || v.b;
      break;
    }
}

static gboolean
project_per_cpu (const SlMap *m, const MapEntry *e, const SlFieldSelector *sel, SlScalarType type,
                 const char *root_desc, SlScalar *out, SlProjError *err)
{
  const char *requested = sel->path;
  guint n_seen = 0;

  if (sel->cpu_pick == SL_CPU_PICK_NONE)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_PER_CPU_NOT_NARROWED,
                         "map '%s' is per-CPU: narrow it with @N, @cpu_sum, @cpu_max or @cpu_min "
                         "(e.g. bpf %s@cpu_sum/%s)", m->name, m->name,
                         sel->components[0] ? sel->components[0] : "");
      return FALSE;
    }
  if (sel->cpu_pick == SL_CPU_PICK_ONE)
    {
      const SlValue *v;

      if (sel->cpu >= e->n_cpus || e->per_cpu[sel->cpu] == NULL)
        {
          gboolean unmapped = sel->cpu < e->n_cpus;

          sl_proj_error_set (err, SL_FIELD_ERROR_PER_CPU_SLOT,
                             "map '%s': CPU %u %s (%u per-CPU slots)", m->name, sel->cpu,
                             unmapped ? "is unmapped (null slot)" : "is out of range", e->n_cpus);
          return FALSE;
        }
      return sl_bpf_walk (e->per_cpu[sel->cpu], root_desc, (const char *const *) sel->components, 0, requested, &v, err)
             && sl_bpf_coerce (v, type, requested, out, err);
    }

  for (guint c = 0; c < e->n_cpus; c++)
    {
      const SlValue *v;
      SlScalar s;

      if (e->per_cpu[c] == NULL)
        continue;
      if (!sl_bpf_walk (e->per_cpu[c], root_desc, (const char *const *) sel->components, 0, requested, &v, err)
          || !sl_bpf_coerce (v, type, requested, &s, err))
        return FALSE;
      if (n_seen++ == 0)
        *out = s;
      else
        reduce (sel->cpu_pick, out, s);
    }
  if (n_seen == 0)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_NO_MATCH,
                         "map '%s': %s found no CPU value (%u per-CPU slots, all null)",
                         m->name, pick_name (sel->cpu_pick), e->n_cpus);
      return FALSE;
    }
  return TRUE;
}

static gboolean
project_map (const SlReport *r, const SlFieldSelector *sel, SlScalarType type, SlScalar *out, SlProjError *err)
{
  const SlMap *m = sl_report_find_map (r, sel->name);
  MapEntry e = { 0 };
  const SlValue *v;
  g_autofree char *root_desc = NULL;
  gboolean ok;

  if (m == NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *list = NULL;

      for (guint i = 0; r->maps && i < r->maps->len; i++)
        g_ptr_array_add (names, ((SlMap *) g_ptr_array_index (r->maps, i))->name);
      list = sl_proj_format_ptr_list (names);
      sl_proj_error_set (err, SL_FIELD_ERROR_MAP_NOT_FOUND,
                         "snapshot has no map named '%s' (available maps: %s)", sel->name, list);
      return FALSE;
    }
  if (!map_entry (m, sel->index, &e, err))
    {
      sl_value_free (e.owned);
      return FALSE;
    }
  root_desc = g_strdup_printf ("the value of map '%s'", m->name);
  if (e.is_per_cpu)
    ok = project_per_cpu (m, &e, sel, type, root_desc, out, err);
  else
    ok = sl_bpf_walk (e.value, root_desc, (const char *const *) sel->components, 0, sel->path, &v, err)
         && sl_bpf_coerce (v, type, sel->path, out, err);
  sl_value_free (e.owned);
  return ok;
}

gboolean
sl_project_bpf_sample (const SlSample *s, const SlFieldSelector *sel, SlScalarType type,
                       SlScalar *out, SlProjError *err)
{
  const SlReport *r = s->report;
  const SlValue *v;

  if (r == NULL)
    {
      sl_proj_error_set (err, SL_FIELD_ERROR_PLACEHOLDER_SAMPLE,
                         "sample %s has no report", s->tag);
      return FALSE;
    }
  if (sel->bpf_target == SL_BPF_TARGET_MAP)
    return project_map (r, sel, type, out, err);

  v = find_global (r, sel->name, sel->name, err);
  if (v == NULL)
    return FALSE;
  {
    /* Walk "name.members" so messages show the path as written. */
    g_autoptr(GPtrArray) comps = g_ptr_array_new ();

    g_ptr_array_add (comps, sel->name);
    for (guint i = 0; sel->components[i]; i++)
      g_ptr_array_add (comps, sel->components[i]);
    g_ptr_array_add (comps, NULL);
    return sl_bpf_walk (v, NULL, (const char *const *) comps->pdata, 1, sel->path, &v, err)
           && sl_bpf_coerce (v, type, sel->path, out, err);
  }
}
