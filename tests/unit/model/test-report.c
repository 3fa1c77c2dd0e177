/* Tests of the FailureDumpReport model: JSON round trips (typed parts,
 * verbatim keys, placeholder), defaults, schema checks and bounds. */
#include <string.h>

#include "model-test-util.h"
#include "sl-report.h"

static char *
to_json (const SlReport *r)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();

  sl_report_write_json (r, w);
  return sl_json_writer_steal (w, NULL);
}

static SlReport *
from_text (const char *text, GError **error)
{
  g_autoptr(JsonNode) node = mt_parse_json (text);

  return sl_report_from_json (node, "record 3 (byte 812): report", error);
}

static SlReport *
make_report (void)
{
  SlReport *r = sl_report_new ();
  SlMap *bss = sl_map_new ("mitosis.bss", SL_BPF_MAP_ARRAY, 64, 1);
  SlMap *hash = sl_map_new ("task_ctx", SL_BPF_MAP_HASH, 16, 1024);
  SlMap *pcpu = sl_map_new ("pcpu_stats", SL_BPF_MAP_PERCPU_ARRAY, 8, 2);
  SlMap *pchash = sl_map_new ("lru_pc", SL_BPF_MAP_LRU_PERCPU_HASH, 8, 8);
  SlMap *ring = sl_map_new ("events", SL_BPF_MAP_RINGBUF, 0, 4096);
  SlMap *broken = sl_map_new ("broken", 99, 4, 4);
  SlValue *dsec = sl_value_new_struct (".bss");
  SlMapEntry *e = g_new0 (SlMapEntry, 1);
  SlMapEntry *e2 = g_new0 (SlMapEntry, 1);
  SlPercpuEntry *pe = g_new0 (SlPercpuEntry, 1);
  SlPercpuHashEntry *phe = g_new0 (SlPercpuHashEntry, 1);
  SlPerCpuTime t = { 0 };
  guint64 kva = G_MAXUINT64 - 7;

  sl_value_struct_add (dsec, "nr_dispatched", sl_value_new_uint (64, G_MAXUINT64));
  sl_value_struct_add (dsec, "ratio", sl_value_new_float (64, 0.5));
  bss->value = dsec;
  bss->map_kva = 0xffff888012345678ULL;

  e->key = sl_value_new_uint (32, 7);
  e->key_hex = g_strdup ("07 00 00 00");
  e->value = sl_value_new_int (64, -1);
  e->value_hex = g_strdup ("ff ff ff ff ff ff ff ff");
  g_ptr_array_add (hash->entries, e);
  e2->key_hex = g_strdup ("08 00 00 00");
  e2->value_hex = g_strdup ("");
  g_ptr_array_add (hash->entries, e2);
  hash->error = g_strdup ("truncated at 4096 entries");

  pe->key = 1;
  pe->n_cpus = 3;
  pe->per_cpu = g_new0 (SlValue *, 3);
  pe->per_cpu[0] = sl_value_new_uint (64, 10);
  pe->per_cpu[2] = sl_value_new_uint (64, 30);
  g_ptr_array_add (pcpu->percpu_entries, pe);

  phe->key = sl_value_new_uint (32, 5);
  phe->key_hex = g_strdup ("05 00 00 00");
  phe->n_cpus = 1;
  phe->per_cpu = g_new0 (SlValue *, 1);
  phe->per_cpu[0] = sl_value_new_bool (TRUE);
  g_ptr_array_add (pchash->percpu_hash_entries, phe);

  ring->other = json_object_new ();
  json_object_set_int_member (ring->other, "ringbuf", 3);
  broken->error = g_strdup ("unsupported map type 99");

  g_ptr_array_add (r->maps, bss);
  g_ptr_array_add (r->maps, hash);
  g_ptr_array_add (r->maps, pcpu);
  g_ptr_array_add (r->maps, pchash);
  g_ptr_array_add (r->maps, ring);
  g_ptr_array_add (r->maps, broken);

  for (guint cpu = 0; cpu < 2; cpu++)
    {
      t.cpu = cpu;
      t.cpustat_user_ns = 1000 + cpu;
      t.cpustat_idle_ns = G_MAXUINT64;
      t.cpustat_steal_ns = 3;
      for (guint i = 0; i < SL_NR_SOFTIRQS; i++)
        t.softirqs[i] = i * 10 + cpu;
      t.irqs_sum = 77;
      t.iowait_sleeptime_ns = cpu == 0 ? sl_opt_u64 (0) : SL_OPT_U64_NONE;
      g_array_append_val (r->per_cpu_time, t);
    }
  r->active_obj_name = g_strdup ("mitosis");
  g_array_append_val (r->active_map_kvas, kva);
  json_object_set_string_member (r->extra, "sdt_alloc_unavailable", "no arena map captured (kern_vm_start unavailable)");
  json_object_set_int_member (r->extra, "dump_truncated_at_us", 1500);
  json_object_set_boolean_member (r->extra, "future_key", TRUE);
  return r;
}

static void
assert_reports_equal (const SlReport *a, const SlReport *b)
{
  g_autofree char *ta = to_json (a);
  g_autofree char *tb = to_json (b);

  g_assert_cmpstr (ta, ==, tb);
}

static void
test_round_trip (void)
{
  g_autoptr(SlReport) r = make_report ();
  g_autofree char *text = to_json (r);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReport) back = from_text (text, &error);
  g_autofree char *again = NULL;
  const SlMap *m;
  const SlPerCpuTime *t;

  g_assert_no_error (error);
  again = to_json (back);
  g_assert_cmpstr (text, ==, again);

  g_assert_cmpuint (back->maps->len, ==, 6);
  m = sl_report_find_map (back, "mitosis.bss");
  g_assert_nonnull (m);
  g_assert_cmpuint (m->map_kva, ==, 0xffff888012345678ULL);
  g_assert_true (sl_value_equal (m->value, ((SlMap *) g_ptr_array_index (r->maps, 0))->value));
  m = sl_report_find_map (back, "task_ctx");
  g_assert_cmpuint (m->entries->len, ==, 2);
  g_assert_null (((SlMapEntry *) g_ptr_array_index (m->entries, 1))->key);
  g_assert_null (((SlMapEntry *) g_ptr_array_index (m->entries, 1))->value);
  g_assert_cmpstr (m->error, ==, "truncated at 4096 entries");
  m = sl_report_find_map (back, "pcpu_stats");
  {
    SlPercpuEntry *pe = g_ptr_array_index (m->percpu_entries, 0);

    g_assert_cmpuint (pe->n_cpus, ==, 3);
    g_assert_null (pe->per_cpu[1]);
    g_assert_cmpuint (pe->per_cpu[2]->v.u, ==, 30);
  }
  m = sl_report_find_map (back, "events");
  g_assert_nonnull (m->other);
  g_assert_cmpint (json_object_get_int_member (m->other, "ringbuf"), ==, 3);
  g_assert_null (sl_report_find_map (back, "nope"));

  t = &g_array_index (back->per_cpu_time, SlPerCpuTime, 0);
  g_assert_true (t->iowait_sleeptime_ns.set);
  g_assert_cmpuint (t->iowait_sleeptime_ns.v, ==, 0);
  g_assert_cmpuint (t->cpustat_idle_ns, ==, G_MAXUINT64);
  g_assert_cmpuint (t->softirqs[9], ==, 90);
  t = &g_array_index (back->per_cpu_time, SlPerCpuTime, 1);
  g_assert_false (t->iowait_sleeptime_ns.set);
  g_assert_cmpuint (t->softirqs[9], ==, 91);
  g_assert_cmpuint (g_array_index (back->active_map_kvas, guint64, 0), ==, G_MAXUINT64 - 7);
  g_assert_cmpstr (back->active_obj_name, ==, "mitosis");
  g_assert_false (back->is_placeholder);
  g_assert_true (json_object_get_boolean_member (back->extra, "future_key"));
}

static void
test_key_order_and_omission (void)
{
  g_autoptr(SlReport) r = make_report ();
  g_autoptr(SlReport) empty = sl_report_new ();
  g_autofree char *text = to_json (r);
  g_autofree char *etext = to_json (empty);
  const char *keys[] = { "\"schema\"", "\"maps\"", "\"active_obj_name\"", "\"active_map_kvas\"",
                         "\"sdt_alloc_unavailable\"", "\"per_cpu_time\"", "\"dump_truncated_at_us\"",
                         "\"future_key\"" };
  const char *prev = text;

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *at = strstr (prev, keys[i]);

      if (at == NULL)
        g_error ("%s missing or out of order in %s", keys[i], text);
      prev = at;
    }
  /* map keys: omitted map_kva for 0, no value for a hash map */
  g_assert_nonnull (strstr (text, "{\"name\":\"task_ctx\",\"map_type\":1,\"value_size\":16,\"max_entries\":1024,\"entries\":"));
  g_assert_nonnull (strstr (text, "\"per_cpu\":[{\"kind\":\"uint\",\"bits\":64,\"value\":10},null,"));
  g_assert_nonnull (strstr (text, "\"key_hex\":\"08 00 00 00\",\"value_hex\":\"\"}"));
  g_assert_nonnull (strstr (text, "\"cpustat_idle_ns\":18446744073709551615"));
  g_assert_cmpstr (etext, ==, "{\"schema\":\"single\",\"maps\":[]}");
}

static void
test_placeholder (void)
{
  g_autoptr(SlReport) p = sl_report_new_placeholder ("vCPU rendezvous timed out");
  g_autofree char *text = to_json (p);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReport) back = from_text (text, &error);
  const char *keys[] = { "prog_runtime_stats_unavailable", "per_node_numa_unavailable",
                         "task_enrichments_unavailable", "sdt_alloc_unavailable" };

  g_assert_no_error (error);
  g_assert_true (back->is_placeholder);
  g_assert_cmpstr (back->scx_walker_unavailable, ==, "vCPU rendezvous timed out");
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpstr (json_object_get_string_member (back->extra, keys[i]), ==, "vCPU rendezvous timed out");
  g_assert_cmpuint (back->maps->len, ==, 0);
  g_assert_nonnull (strstr (text, "\"is_placeholder\":true}"));
  assert_reports_equal (p, back);
}

static void
test_defaults_on_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReport) r = from_text ("{\"schema\":\"single\"}", &error);
  g_autoptr(SlReport) m = from_text ("{\"schema\":\"single\",\"maps\":[{\"name\":\"x.data\",\"map_type\":2,"
                                     "\"value_size\":4,\"max_entries\":1,\"value\":null,"
                                     "\"array_entries\":[{\"i\":0}],\"fd_array\":{\"populated\":1}}],"
                                     "\"is_placeholder\":false,\"vcpu_regs\":[null,{\"ip\":1}]}", &error);
  const SlMap *map;

  g_assert_no_error (error);
  g_assert_cmpuint (r->maps->len, ==, 0);
  g_assert_cmpuint (r->per_cpu_time->len, ==, 0);
  g_assert_null (r->active_obj_name);
  g_assert_cmpuint (r->active_map_kvas->len, ==, 0);
  g_assert_false (r->is_placeholder);
  g_assert_null (r->scx_walker_unavailable);
  g_assert_cmpuint (json_object_get_size (r->extra), ==, 0);

  map = sl_report_find_map (m, "x.data");
  g_assert_nonnull (map);
  g_assert_cmpuint (map->map_kva, ==, 0);
  g_assert_null (map->value);
  g_assert_null (map->error);
  g_assert_cmpuint (json_object_get_size (map->other), ==, 2);
  g_assert_true (json_object_has_member (m->extra, "vcpu_regs"));
  g_assert_true (sl_map_is_global_section (map));
  {
    g_autofree char *text = to_json (m);

    /* array_entries sits before the other verbatim map keys. */
    g_assert_nonnull (strstr (text, "\"max_entries\":1,\"array_entries\":[{\"i\":0}],\"fd_array\":{\"populated\":1}}"));
    g_assert_nonnull (strstr (text, "\"maps\":[{\"name\":\"x.data\""));
    g_assert_nonnull (strstr (text, "],\"vcpu_regs\":[null,{\"ip\":1}]}"));
  }
}

static void
test_global_section (void)
{
  const struct { const char *name; gboolean global; } cases[] = {
    { "mitosis.bss", TRUE }, { "lavd.data", TRUE }, { "x.rodata", TRUE },
    { ".bss", TRUE }, { ".data", TRUE }, { ".rodata", TRUE },
    { "task_ctx", FALSE }, { "x.bss.lock", FALSE }, { "bss", FALSE }, { "x.kconfig", FALSE },
    { "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SlMap) m = sl_map_new (cases[i].name, SL_BPF_MAP_ARRAY, 4, 1);

      g_assert_cmpint (sl_map_is_global_section (m), ==, cases[i].global);
    }
}

static void
assert_rejected (const char *text, int code, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReport) r = from_text (text, &error);

  g_assert_null (r);
  g_assert_error (error, SL_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("message \"%s\" lacks \"%s\"", error->message, expected);
}

static void
test_rejects (void)
{
  assert_rejected ("[]", SL_ERROR_CORRUPT, "record 3 (byte 812): report: a report must be an object");
  assert_rejected ("{}", SL_ERROR_CORRUPT, "report: key \"schema\" must be a string, found missing");
  assert_rejected ("{\"schema\":\"dual\",\"late\":{}}", SL_ERROR_CORRUPT, "schema \"dual\" is not supported");
  assert_rejected ("{\"schema\":\"single\",\"maps\":{}}", SL_ERROR_CORRUPT, "key \"maps\" must be an array");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[1]}", SL_ERROR_CORRUPT, "report.maps[0]: a map must be an object");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":2,\"value_size\":4}]}",
                   SL_ERROR_CORRUPT, "report.maps[0]: key \"max_entries\" must be an integer, found missing");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":4294967296,\"value_size\":4,\"max_entries\":1}]}",
                   SL_ERROR_CORRUPT, "out of range for u32");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":2,\"value_size\":4,\"max_entries\":1},"
                   "{\"name\":\"b\",\"map_type\":2,\"value_size\":4,\"max_entries\":1,"
                   "\"value\":{\"kind\":\"struct\",\"members\":[{\"name\":\"x\",\"value\":{\"kind\":\"foo\"}}]}}]}",
                   SL_ERROR_CORRUPT, "record 3 (byte 812): report.maps[1].value.members[0].value: unknown kind \"foo\"");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":1,\"value_size\":4,\"max_entries\":1,"
                   "\"entries\":[{\"key_hex\":\"\",\"value_hex\":\"\"},{\"key\":{\"kind\":\"uint\"},\"key_hex\":\"\"}]}]}",
                   SL_ERROR_CORRUPT, "report.maps[0].entries[1].key: key \"bits\" must be an integer");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":6,\"value_size\":4,\"max_entries\":1,"
                   "\"percpu_entries\":[{\"key\":0,\"per_cpu\":[null,{\"kind\":\"bool\"}]}]}]}",
                   SL_ERROR_CORRUPT, "report.maps[0].percpu_entries[0].per_cpu[1]: key \"value\" must be a boolean");
  assert_rejected ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":5,\"value_size\":4,\"max_entries\":1,"
                   "\"percpu_hash_entries\":[{\"key_hex\":3,\"per_cpu\":[]}]}]}",
                   SL_ERROR_CORRUPT, "report.maps[0].percpu_hash_entries[0]: key \"key_hex\" must be a string");
  assert_rejected ("{\"schema\":\"single\",\"per_cpu_time\":[{\"cpu\":0}]}",
                   SL_ERROR_CORRUPT, "report.per_cpu_time[0]: key \"cpustat_user_ns\" must be an integer");
  assert_rejected ("{\"schema\":\"single\",\"active_map_kvas\":[1,\"x\"]}", SL_ERROR_CORRUPT,
                   "active_map_kvas[1] must be an integer");
  assert_rejected ("{\"schema\":\"single\",\"is_placeholder\":\"yes\"}", SL_ERROR_CORRUPT,
                   "\"is_placeholder\" must be a boolean");
  assert_rejected ("{\"schema\":\"single\",\"active_obj_name\":5}", SL_ERROR_CORRUPT,
                   "\"active_obj_name\" must be a string");
}

static void
test_rejects_bad_softirqs (void)
{
  g_autoptr(GString) t = g_string_new ("{\"schema\":\"single\",\"per_cpu_time\":[{\"cpu\":1");
  g_autofree char *nine = NULL;

  for (int i = 0; i < 8; i++)
    g_string_append_printf (t, ",\"cpustat_%s_ns\":1",
                            (const char *[]) { "user", "nice", "system", "softirq", "irq", "idle", "iowait", "steal" }[i]);
  g_string_append (t, ",\"irqs_sum\":1,\"softirqs\":[1,2,3,4,5,6,7,8,9");
  nine = g_strconcat (t->str, "]}]}", NULL);
  assert_rejected (nine, SL_ERROR_CORRUPT, "report.per_cpu_time[0]: key \"softirqs\" must be an array of 10 integers");
  g_string_append (t, ",10]}]}");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SlReport) ok = from_text (t->str, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_array_index (ok->per_cpu_time, SlPerCpuTime, 0).softirqs[9], ==, 10);
    g_assert_false (g_array_index (ok->per_cpu_time, SlPerCpuTime, 0).iowait_sleeptime_ns.set);
  }
}

static void
test_rejects_too_many_cpus (void)
{
  g_autoptr(GString) t = g_string_new ("{\"schema\":\"single\",\"maps\":[{\"name\":\"a\",\"map_type\":6,"
                                       "\"value_size\":4,\"max_entries\":1,\"percpu_entries\":[{\"key\":0,\"per_cpu\":[");

  for (int i = 0; i <= 4096; i++)
    g_string_append (t, i ? ",null" : "null");
  g_string_append (t, "]}]}]}");
  assert_rejected (t->str, SL_ERROR_TOO_LARGE, "report.maps[0].percpu_entries[0]: key \"per_cpu\" has 4097 items");
}

static void
test_rejects_deep_extra (void)
{
  g_autoptr(GString) t = g_string_new ("{\"schema\":\"single\",\"probe_counters\":");

  for (int i = 0; i < 200; i++)
    g_string_append_c (t, '[');
  for (int i = 0; i < 200; i++)
    g_string_append_c (t, ']');
  g_string_append_c (t, '}');
  assert_rejected (t->str, SL_ERROR_TOO_LARGE, "key \"probe_counters\" is nested deeper than 128 levels");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/report/round-trip", test_round_trip);
  g_test_add_func ("/model/report/key-order", test_key_order_and_omission);
  g_test_add_func ("/model/report/placeholder", test_placeholder);
  g_test_add_func ("/model/report/defaults", test_defaults_on_read);
  g_test_add_func ("/model/report/global-section", test_global_section);
  g_test_add_func ("/model/report/rejects", test_rejects);
  g_test_add_func ("/model/report/rejects-softirqs", test_rejects_bad_softirqs);
  g_test_add_func ("/model/report/rejects-too-many-cpus", test_rejects_too_many_cpus);
  g_test_add_func ("/model/report/rejects-deep-extra", test_rejects_deep_extra);
  return g_test_run ();
}
