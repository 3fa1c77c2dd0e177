/* BPF maps from a synthetic guest: map_idr walks (one entry, one node, two
 * levels, corrupt and cyclic trees), every rendered map kind, program BTF
 * (standalone and split), maps without BTF, and the active scheduler. */
#include "introspect-fixture.h"
#include "sl-bpf-maps.h"

#include <string.h>

typedef struct {
  struct btf *b;
  guint32 u32, u64, s32, val, bss;
} ProgBtf;

static void
prog_btf_init (ProgBtf *p)
{
  p->b = btf__new_empty ();
  p->u32 = btf__add_int (p->b, "unsigned int", 4, 0);
  p->u64 = btf__add_int (p->b, "long long unsigned int", 8, 0);
  p->s32 = btf__add_int (p->b, "int", 4, BTF_INT_SIGNED);
  guint32 ch = btf__add_int (p->b, "char", 1, BTF_INT_SIGNED);
  guint32 tag = btf__add_array (p->b, p->u32, ch, 4);
  p->val = btf__add_struct (p->b, "val", 16);
  btf__add_field (p->b, "count", p->u64, 0, 0);
  btf__add_field (p->b, "delta", p->s32, 64, 0);
  btf__add_field (p->b, "tag", tag, 96, 0);
  int v1 = btf__add_var (p->b, "nr_events", BTF_VAR_GLOBAL_ALLOCATED, p->u64);
  int v2 = btf__add_var (p->b, "weight", BTF_VAR_GLOBAL_ALLOCATED, p->s32);
  p->bss = btf__add_datasec (p->b, ".bss", 16);
  btf__add_datasec_var_info (p->b, v1, 0, 8);
  btf__add_datasec_var_info (p->b, v2, 8, 4);
}

typedef struct { guint64 count; gint32 delta; char tag[4]; } Val;

/* Inserts an element at the head of bucket `b`'s chain. */
static void
hash_insert (Fx *fx, guint64 map, guint32 bucket, const void *key, gsize ksz, const void *value, gsize vsz)
{
  guint64 buckets = 0;
  g_assert_true (sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, map + fx_off (fx, "bpf_htab", "buckets")), &buckets, NULL));
  guint64 head = buckets + 16ull * bucket;
  guint64 first = 0;
  g_assert_true (sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, head), &first, NULL));
  guint64 key_off = fx_off (fx, "htab_elem", "key");
  guint64 elem = fx_kmalloc (fx, key_off + ((ksz + 7) & ~7u) + vsz);
  fx_write_u64 (fx, elem, first);
  fx_write (fx, elem + key_off, key, ksz);
  fx_write (fx, elem + key_off + ((ksz + 7) & ~7u), value, vsz);
  fx_write_u64 (fx, head, elem);
}

static guint64
add_hash_map (Fx *fx, const char *name, guint32 type, guint32 vsz, guint64 btf, guint32 ktid, guint32 vtid,
              guint32 n_buckets)
{
  guint64 m = fx_add_map (fx, name, type, 4, vsz, 64, btf, ktid, vtid);
  guint64 buckets = fx_kmalloc (fx, 16 * n_buckets);
  for (guint32 b = 0; b < n_buckets; b++)
    fx_write_u64 (fx, buckets + 16ull * b, ((guint64) b << 1) | 1);   /* nulls markers */
  fx_write_field (fx, m, "bpf_htab", "buckets", buckets);
  fx_write_field (fx, m, "bpf_htab", "n_buckets", n_buckets);
  return m;
}

static SlReport *
capture_mode (SlGuestKernel *gk, gboolean deferred, GError **error)
{
  g_autoptr(SlBpfMaps) bm = sl_bpf_maps_new (gk);
  sl_bpf_maps_set_deferred (bm, deferred);
  SlKread kr;
  sl_guest_kernel_reader (gk, &kr, 64 << 20, 5000);
  SlReport *r = sl_report_new ();
  if (!sl_bpf_maps_capture (bm, &kr, r, error))
    {
      sl_report_free (r);
      return NULL;
    }
  sl_bpf_maps_identify_active (bm, &kr, r);
  if (deferred)
    {
      g_assert_cmpuint (sl_bpf_maps_n_pending (bm), >, 0);
      SlKread kr2;
      sl_guest_kernel_reader (gk, &kr2, 64 << 20, 5000);
      sl_bpf_maps_render_pending (bm, &kr2);
      g_assert_cmpuint (sl_bpf_maps_n_pending (bm), ==, 0);
    }
  return r;
}

static SlReport *
capture (Fx *fx, SlGuestKernel *gk, GError **error)
{
  return capture_mode (gk, FALSE, error);
}

static char *
report_text (const SlReport *r)
{
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  sl_report_write_json (r, w);
  return sl_json_writer_steal (w, NULL);
}

static guint64
u64_at (const SlValue *v, const char *path)
{
  guint64 out = 0;
  const SlValue *m = v;
  g_auto(GStrv) parts = g_strsplit (path, ".", 0);
  for (guint i = 0; parts[i] && m; i++)
    m = sl_value_member (m, parts[i]);
  g_assert_nonnull (m);
  g_assert_true (sl_value_as_u64 (m, &out));
  return out;
}

static void
test_every_kind (void)
{
  g_autoptr(Fx) fx = fx_new (FALSE, 0x1400000, 0x1e00000, 2);
  ProgBtf p;
  prog_btf_init (&p);
  guint64 pbtf = fx_add_btf (fx, p.b, FALSE);
  /* Split BTF on top of the kernel's: a struct using a base type. */
  struct btf *split = btf__new_empty_split (fx->btf);
  guint32 base_u64 = fx_type (fx, "long long unsigned int");
  int sv = btf__add_struct (split, "split_val", 8);
  btf__add_field (split, "ticks", base_u64, 0, 0);
  guint64 sbtf = fx_add_btf (fx, split, TRUE);

  GArray *kvas = g_array_new (FALSE, FALSE, sizeof (guint64));
  /* 1. a global section */
  guint64 bss = fx_add_map (fx, "obj.bss", SL_BPF_MAP_ARRAY, 4, 16, 1, pbtf, 0, p.bss);
  guint8 bss_data[16] = { 0 };
  guint64 nr = 123456;
  gint32 w = -9;
  memcpy (bss_data, &nr, 8);
  memcpy (bss_data + 8, &w, 4);
  fx_write (fx, fx_array_value (fx, bss, 0), bss_data, 16);
  g_array_append_val (kvas, bss);
  /* 2. a multi-entry array */
  guint64 arr = fx_add_map (fx, "counts", SL_BPF_MAP_ARRAY, 4, sizeof (Val), 3, pbtf, p.u32, p.val);
  for (guint32 i = 0; i < 3; i++)
    {
      Val v = { 100 + i, -(gint32) i, "ab" };
      fx_write (fx, fx_array_value (fx, arr, i), &v, sizeof v);
    }
  g_array_append_val (kvas, arr);
  /* 3. a per-CPU array */
  guint64 pa = fx_add_map (fx, "pcpu", SL_BPF_MAP_PERCPU_ARRAY, 4, 8, 2, pbtf, p.u32, p.u64);
  for (guint32 k = 0; k < 2; k++)
    {
      guint64 pptr = fx_percpu_alloc (fx, 8);
      fx_write_u64 (fx, pa + fx_off (fx, "bpf_array", "pptrs") + 8 * k, pptr);
      for (guint c = 0; c < 2; c++)
        fx_write_u64 (fx, fx_percpu_addr (fx, pptr, c), 1000 * (k + 1) + c);
    }
  g_array_append_val (kvas, pa);
  /* 4. a hash with a chain of two in bucket 1 */
  guint64 h = add_hash_map (fx, "hash", SL_BPF_MAP_HASH, sizeof (Val), pbtf, p.u32, p.val, 4);
  for (guint32 k = 1; k <= 3; k++)
    {
      Val v = { k * 10, (gint32) k, "h" };
      hash_insert (fx, h, k == 3 ? 1 : k, &k, 4, &v, sizeof v);
    }
  g_array_append_val (kvas, h);
  /* 5. a per-CPU hash */
  guint64 ph = add_hash_map (fx, "pcpu_hash", SL_BPF_MAP_PERCPU_HASH, 8, pbtf, p.u32, p.u64, 2);
  guint32 key7 = 7;
  guint64 pptr = fx_percpu_alloc (fx, 8);
  fx_write_u64 (fx, fx_percpu_addr (fx, pptr, 0), 70);
  fx_write_u64 (fx, fx_percpu_addr (fx, pptr, 1), 71);
  hash_insert (fx, ph, 1, &key7, 4, &pptr, 8);
  g_array_append_val (kvas, ph);
  /* 6. an LRU hash */
  guint64 lru = add_hash_map (fx, "lru", SL_BPF_MAP_LRU_HASH, sizeof (Val), pbtf, p.u32, p.val, 2);
  Val lv = { 5, 5, "l" };
  hash_insert (fx, lru, 0, &key7, 4, &lv, sizeof lv);
  g_array_append_val (kvas, lru);
  /* 7. a kind that is not rendered */
  guint64 rb = fx_add_map (fx, "events", SL_BPF_MAP_RINGBUF, 0, 0, 4096, 0, 0, 0);
  g_array_append_val (kvas, rb);
  /* 8. split BTF */
  guint64 sp = fx_add_map (fx, "split", SL_BPF_MAP_ARRAY, 4, 8, 1, sbtf, 0, sv);
  fx_write_u64 (fx, fx_array_value (fx, sp, 0), 4242);
  g_array_append_val (kvas, sp);
  /* 9. no BTF at all */
  guint64 nb = fx_add_map (fx, "nobtf", SL_BPF_MAP_ARRAY, 4, 4, 1, 0, 0, 0);
  fx_write_u32 (fx, fx_array_value (fx, nb, 0), 0x0a0b0c0d);
  g_array_append_val (kvas, nb);
  /* 10. BTF pointer into nowhere */
  guint64 bad = fx_add_map (fx, "badbtf", SL_BPF_MAP_ARRAY, 4, 4, 1, fx->pob + 0x7000000, 0, 1);
  g_array_append_val (kvas, bad);
  fx_set_map_idr (fx, (guint64 *) kvas->data, kvas->len);

  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  g_autoptr(SlReport) r = capture (fx, gk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->maps->len, ==, kvas->len);
  for (guint i = 0; i < kvas->len; i++)
    g_assert_cmpuint (((SlMap *) r->maps->pdata[i])->map_kva, ==, g_array_index (kvas, guint64, i));

  const SlMap *m = sl_report_find_map (r, "obj.bss");
  g_assert_null (m->error);
  g_assert_cmpstr (m->value->text, ==, ".bss");
  g_assert_cmpuint (u64_at (m->value, "nr_events"), ==, 123456);
  gint64 wi;
  g_assert_true (sl_value_as_i64 (sl_value_member (m->value, "weight"), &wi) && wi == -9);
  g_assert_null (m->other);

  m = sl_report_find_map (r, "counts");
  g_assert_null (m->error);
  g_assert_cmpuint (u64_at (m->value, "count"), ==, 100);
  g_assert_null (m->other);
  g_assert_cmpuint (m->entries->len, ==, 3);
  SlMapEntry *e2 = m->entries->pdata[2];
  g_assert_cmpuint (e2->key->v.u, ==, 2);
  g_assert_cmpstr (e2->key_hex, ==, "02 00 00 00");
  g_assert_cmpuint (u64_at (e2->value, "count"), ==, 102);
  gint64 d2;
  g_assert_true (sl_value_as_i64 (sl_value_member (e2->value, "delta"), &d2) && d2 == -2);

  m = sl_report_find_map (r, "pcpu");
  g_assert_null (m->error);
  g_assert_cmpuint (m->percpu_entries->len, ==, 2);
  SlPercpuEntry *pe = m->percpu_entries->pdata[1];
  g_assert_cmpuint (pe->key, ==, 1);
  g_assert_cmpuint (pe->n_cpus, ==, 2);
  g_assert_cmpuint (pe->per_cpu[0]->v.u, ==, 2000);
  g_assert_cmpuint (pe->per_cpu[1]->v.u, ==, 2001);

  m = sl_report_find_map (r, "hash");
  g_assert_null (m->error);
  g_assert_cmpuint (m->entries->len, ==, 3);
  guint64 seen = 0;
  for (guint i = 0; i < 3; i++)
    {
      SlMapEntry *e = m->entries->pdata[i];
      guint64 k = e->key->v.u;
      g_assert_cmpuint (u64_at (e->value, "count"), ==, k * 10);
      seen |= 1u << k;
      g_autofree char *hex = g_strdup_printf ("%02x 00 00 00", (guint) k);
      g_assert_cmpstr (e->key_hex, ==, hex);
      g_assert_cmpuint (strlen (e->value_hex), ==, sizeof (Val) * 3 - 1);
    }
  g_assert_cmpuint (seen, ==, 0xe);

  m = sl_report_find_map (r, "pcpu_hash");
  g_assert_null (m->error);
  g_assert_cmpuint (m->percpu_hash_entries->len, ==, 1);
  SlPercpuHashEntry *phe = m->percpu_hash_entries->pdata[0];
  g_assert_cmpuint (phe->key->v.u, ==, 7);
  g_assert_cmpuint (phe->per_cpu[0]->v.u, ==, 70);
  g_assert_cmpuint (phe->per_cpu[1]->v.u, ==, 71);

  m = sl_report_find_map (r, "lru");
  g_assert_cmpuint (m->entries->len, ==, 1);
  m = sl_report_find_map (r, "events");
  g_assert_cmpstr (m->error, ==, "map type 27 is not rendered");
  m = sl_report_find_map (r, "split");
  g_assert_null (m->error);
  g_assert_cmpstr (m->value->text, ==, "split_val");
  g_assert_cmpuint (u64_at (m->value, "ticks"), ==, 4242);
  m = sl_report_find_map (r, "nobtf");
  g_assert_null (m->error);
  g_assert_cmpint (m->value->kind, ==, SL_VALUE_BYTES);
  g_assert_cmpstr (m->value->text, ==, "0d 0c 0b 0a");
  m = sl_report_find_map (r, "badbtf");
  g_assert_nonnull (m->error);
  g_assert_nonnull (strstr (m->error, "BTF"));
  g_assert_cmpint (m->value->kind, ==, SL_VALUE_BYTES);   /* still shown, as bytes */

  /* No scheduler attached. */
  g_assert_cmpstr (r->scx_walker_unavailable, ==, "scx_root is NULL (no scheduler attached)");
  g_assert_null (r->active_obj_name);

  /* The report round-trips through the archive's JSON form. */
  g_autoptr(SlJsonWriter) jw = sl_json_writer_new ();
  sl_report_write_json (r, jw);
  g_autofree char *text = sl_json_writer_steal (jw, NULL);
  g_autoptr(JsonParser) jp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (jp, text, -1, NULL));
  g_autoptr(SlReport) back = sl_report_from_json (json_parser_get_root (jp), "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->maps->len, ==, r->maps->len);

  /* Deferred rendering (bytes while frozen, BTF after the thaw) gives the same report. */
  g_autoptr(SlReport) rd = capture_mode (gk, TRUE, &error);
  g_assert_no_error (error);
  g_autofree char *t1 = report_text (r), *t2 = report_text (rd);
  g_assert_cmpstr (t1, ==, t2);

  g_array_unref (kvas);
  btf__free (split);
  btf__free (p.b);
}

static void
test_active_scheduler (void)
{
  g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 2);
  ProgBtf p;
  prog_btf_init (&p);
  guint64 pbtf = fx_add_btf (fx, p.b, FALSE);
  guint64 bss = fx_add_map (fx, "my_sched.bss", SL_BPF_MAP_ARRAY, 4, 16, 1, pbtf, 0, p.bss);
  guint64 other = fx_add_map (fx, "other.bss", SL_BPF_MAP_ARRAY, 4, 16, 1, pbtf, 0, p.bss);
  guint64 stale = fx_add_map (fx, "my_ops", SL_BPF_MAP_STRUCT_OPS, 4, 168, 1, 0, 0, 0);
  guint64 ops = fx_add_map (fx, "my_ops", SL_BPF_MAP_STRUCT_OPS, 4, 168, 1, 0, 0, 0);
  guint64 kvas[] = { bss, other, stale, ops };
  fx_set_map_idr (fx, kvas, G_N_ELEMENTS (kvas));
  /* Two struct_ops maps named like the scheduler; only `ops` holds the callbacks scx_root copied. */
  guint32 data_off = fx_off (fx, "bpf_struct_ops_map", "kvalue") + fx_off (fx, "bpf_struct_ops_sched_ext_ops", "data");
  char name[128] = "my_sched";
  for (guint i = 0; i < 2; i++)
    {
      guint64 mk = i ? ops : stale;
      fx_write_field (fx, mk, "bpf_struct_ops_map", "kvalue.common.state", 3);   /* READY (link) */
      fx_write (fx, mk + data_off + fx_off (fx, "sched_ext_ops", "name"), name, sizeof name);
      fx_write_u64 (fx, mk + data_off, i ? 0xffffffffc0001000ull : 0xffffffffc0002000ull);
    }
  guint64 sch = fx_kmalloc (fx, 176);
  fx_write (fx, sch + fx_off (fx, "scx_sched", "ops.name"), name, sizeof name);
  fx_write_u64 (fx, sch, 0xffffffffc0001000ull);
  guint64 root = 0;
  g_assert_true (fx_lookup (fx, "scx_root", &root));
  fx_write_u64 (fx, root + fx->slide, sch);
  /* ops → links[1] → prog → aux → used_maps = { bss } */
  guint64 links = fx_kmalloc (fx, 16), link = fx_kmalloc (fx, 64), prog = fx_kmalloc (fx, 64);
  guint64 aux = fx_kmalloc (fx, 64), used = fx_kmalloc (fx, 8);
  fx_write_field (fx, ops, "bpf_struct_ops_map", "links", links);
  fx_write_field (fx, ops, "bpf_struct_ops_map", "funcs_cnt", 2);
  fx_write_u64 (fx, links + 8, link);   /* slot 0 empty */
  fx_write_field (fx, link, "bpf_link", "prog", prog);
  fx_write_field (fx, prog, "bpf_prog", "aux", aux);
  fx_write_field (fx, aux, "bpf_prog_aux", "used_maps", used);
  fx_write_field (fx, aux, "bpf_prog_aux", "used_map_cnt", 1);
  fx_write_u64 (fx, used, bss);

  g_autoptr(GError) error = NULL;
  g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
  g_assert_no_error (error);
  g_autoptr(SlReport) r = capture (fx, gk, &error);
  g_assert_no_error (error);
  g_assert_null (r->scx_walker_unavailable);
  g_assert_cmpstr (r->active_obj_name, ==, "my_sched");
  g_assert_cmpuint (r->active_map_kvas->len, ==, 2);
  g_assert_cmpuint (g_array_index (r->active_map_kvas, guint64, 0), ==, ops);
  g_assert_cmpuint (g_array_index (r->active_map_kvas, guint64, 1), ==, bss);
  /* A struct_ops map in its INIT state is never the active one. */
  fx_write_field (fx, ops, "bpf_struct_ops_map", "kvalue.common.state", 0);
  fx_write_field (fx, stale, "bpf_struct_ops_map", "kvalue.common.state", 0);
  g_autoptr(SlReport) r2 = capture (fx, gk, &error);
  g_assert_nonnull (strstr (r2->scx_walker_unavailable, "no struct_ops map in use"));
  btf__free (p.b);
}

static void
test_idr_shapes (void)
{
  g_autoptr(GError) error = NULL;
  {
    /* Empty, then a single entry stored directly in xa_head. */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 1);
    fx_set_map_idr (fx, NULL, 0);
    g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
    g_autoptr(SlReport) r = capture (fx, gk, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->maps->len, ==, 0);
    guint64 m = fx_add_map (fx, "solo", SL_BPF_MAP_ARRAY, 4, 4, 1, 0, 0, 0);
    guint64 idr = 0;
    fx_lookup (fx, "map_idr", &idr);
    fx_write_u64 (fx, idr + fx_off (fx, "idr", "idr_rt.xa_head"), m);
    g_autoptr(SlReport) r2 = capture (fx, gk, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r2->maps->len, ==, 1);
    g_assert_cmpstr (((SlMap *) r2->maps->pdata[0])->name, ==, "solo");
  }
  {
    /* 100 maps: a two-level tree, read in index order. */
    g_autoptr(Fx) fx = fx_new (FALSE, 0x1000000, 0, 1);
    guint64 kvas[100];
    for (guint i = 0; i < 100; i++)
      {
        g_autofree char *n = g_strdup_printf ("m%u", i);
        kvas[i] = fx_add_map (fx, n, SL_BPF_MAP_ARRAY, 4, 4, 1, 0, 0, 0);
      }
    fx_set_map_idr (fx, kvas, 100);
    g_autoptr(SlGuestKernel) gk = fx_kernel (fx, &error);
    g_autoptr(SlReport) r = capture (fx, gk, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->maps->len, ==, 100);
    g_assert_cmpstr (((SlMap *) r->maps->pdata[99])->name, ==, "m99");

    /* A cycle: a child slot pointing back at the root node. */
    guint64 idr = 0, head = 0;
    fx_lookup (fx, "map_idr", &idr);
    g_assert_true (sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, idr + fx_off (fx, "idr", "idr_rt.xa_head")), &head, NULL));
    guint64 slots = fx_off (fx, "xa_node", "slots");
    fx_write_u64 (fx, (head - 2) + slots + 8 * 5, head);
    g_autoptr(SlReport) r2 = capture (fx, gk, &error);
    g_assert_null (r2);
    g_assert_error (error, SL_ERROR, SL_ERROR_CORRUPT);
    g_assert_nonnull (strstr (error->message, "map_idr"));
    g_clear_error (&error);
    /* A child pointer into nowhere. */
    fx_write_u64 (fx, (head - 2) + slots + 8 * 5, (fx->pob + 0x7f00000) | 2);
    g_autoptr(SlReport) r3 = capture (fx, gk, &error);
    g_assert_null (r3);
    g_assert_nonnull (error);
    g_clear_error (&error);
    /* A leaf that is not a bpf_map: the map records the error, the capture goes on. */
    fx_write_u64 (fx, (head - 2) + slots + 8 * 5, 0);
    guint64 child0 = 0;
    g_assert_true (sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, (head - 2) + slots), &child0, NULL));
    fx_write_u64 (fx, (child0 - 2) + slots + 8 * 3, G_GUINT64_CONSTANT (0xffff8a80ff000000));
    g_autoptr(SlReport) r4 = capture (fx, gk, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r4->maps->len, ==, 100);
    const SlMap *broken = r4->maps->pdata[2];
    g_assert_nonnull (broken->error);
    g_assert_nonnull (strstr (broken->error, "struct bpf_map at"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/introspect/maps/every-kind", test_every_kind);
  g_test_add_func ("/introspect/maps/active-scheduler", test_active_scheduler);
  g_test_add_func ("/introspect/maps/idr-shapes", test_idr_shapes);
  return g_test_run ();
}
