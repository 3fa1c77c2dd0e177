/* introspect-fixture.c: synthetic guest kernel images (see the header). */
#include "introspect-fixture.h"
#include "sl-report.h"

#include <string.h>

#define PT_BASE      0x100000u
#define PT_END       0x400000u
#define SLAB_BASE    0x2000000u
#define SLAB_END     0x2800000u
#define IMAGE_SPAN   0x400000u
#define PERCPU_SPAN  0x10000u
#define PTE_P        0x3u      /* present + writable */
#define PTE_PS       0x80u

/* ---- BTF ---- */

typedef struct { const char *name; guint32 type; guint32 off; } F;

static guint32
add_struct (struct btf *b, const char *name, guint32 size, const F *f, guint n, gboolean is_union)
{
  int id = is_union ? btf__add_union (b, name, size) : btf__add_struct (b, name, size);
  g_assert_cmpint (id, >, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (btf__add_field (b, f[i].name, (int) f[i].type, f[i].off * 8, 0), ==, 0);
  return (guint32) id;
}

#define STRUCT(b, name, size, ...) \
  ({ const F _f[] = { __VA_ARGS__ }; add_struct (b, name, size, _f, G_N_ELEMENTS (_f), FALSE); })

static struct btf *
build_btf (gboolean old_events)
{
  struct btf *b = btf__new_empty ();
  guint32 u8 = btf__add_int (b, "unsigned char", 1, 0);
  guint32 u32 = btf__add_int (b, "unsigned int", 4, 0);
  guint32 u64 = btf__add_int (b, "long long unsigned int", 8, 0);
  guint32 s64 = btf__add_int (b, "long long int", 8, BTF_INT_SIGNED);
  guint32 ch = btf__add_int (b, "char", 1, BTF_INT_SIGNED);
  guint32 boolean = btf__add_int (b, "_Bool", 1, BTF_INT_BOOL);
  guint32 ulong = btf__add_int (b, "long unsigned int", 8, 0);
  guint32 vptr = btf__add_ptr (b, 0);
  guint32 name16 = btf__add_array (b, u32, ch, 16);
  guint32 name128 = btf__add_array (b, u32, ch, 128);
  guint32 slots64 = btf__add_array (b, u32, vptr, 64);
  guint32 char0 = btf__add_array (b, u32, ch, 0);
  guint32 ptr0 = btf__add_array (b, u32, vptr, 0);
  guint32 u64x10 = btf__add_array (b, u32, u64, 10);
  guint32 u32x10 = btf__add_array (b, u32, u32, 10);

  guint32 xarray = STRUCT (b, "xarray", 16, { "xa_lock", u32, 0 }, { "xa_flags", u32, 4 }, { "xa_head", vptr, 8 });
  STRUCT (b, "idr", 24, { "idr_rt", xarray, 0 }, { "idr_base", u32, 16 }, { "idr_next", u32, 20 });
  STRUCT (b, "xa_node", 576, { "shift", u8, 0 }, { "offset", u8, 1 }, { "count", u8, 2 }, { "nr_values", u8, 3 },
          { "parent", vptr, 8 }, { "array", vptr, 16 }, { "slots", slots64, 40 });
  STRUCT (b, "btf", 64, { "data", vptr, 0 }, { "data_size", u32, 8 }, { "id", u32, 12 }, { "base_btf", vptr, 16 },
          { "kernel_btf", boolean, 24 });
  guint32 map = STRUCT (b, "bpf_map", 128, { "map_type", u32, 0 }, { "key_size", u32, 4 }, { "value_size", u32, 8 },
                        { "max_entries", u32, 12 }, { "id", u32, 16 }, { "btf_key_type_id", u32, 20 },
                        { "btf_value_type_id", u32, 24 }, { "btf", vptr, 32 }, { "name", name16, 40 });
  /* bpf_array's flexible value/pptrs live in anonymous structs inside an anonymous union. */
  guint32 s_val = STRUCT (b, NULL, 0, { "value", char0, 0 });
  guint32 s_ptrs = STRUCT (b, NULL, 0, { "pptrs", ptr0, 0 });
  const F uf[] = { { NULL, s_val, 0 }, { NULL, s_ptrs, 0 } };
  guint32 un = add_struct (b, NULL, 0, uf, 2, TRUE);
  STRUCT (b, "bpf_array", 136, { "map", map, 0 }, { "elem_size", u32, 128 }, { "index_mask", u32, 132 }, { NULL, un, 136 });
  STRUCT (b, "bpf_htab", 160, { "map", map, 0 }, { "buckets", vptr, 128 }, { "n_buckets", u32, 136 },
          { "elem_size", u32, 140 });
  guint32 hnh = STRUCT (b, "hlist_nulls_head", 8, { "first", vptr, 0 });
  guint32 hnn = STRUCT (b, "hlist_nulls_node", 16, { "next", vptr, 0 }, { "pprev", vptr, 8 });
  STRUCT (b, "bucket", 16, { "head", hnh, 0 }, { "raw_lock", u32, 8 });
  STRUCT (b, "htab_elem", 48, { "hash_node", hnn, 0 }, { "ptr_to_pptr", vptr, 16 }, { "hash", u32, 40 },
          { "key", char0, 48 });
  STRUCT (b, "bpf_link", 64, { "prog", vptr, 16 });
  STRUCT (b, "bpf_prog", 64, { "type", u32, 0 }, { "aux", vptr, 32 });
  STRUCT (b, "bpf_prog_aux", 64, { "used_map_cnt", u32, 0 }, { "used_maps", vptr, 8 });

  guint32 ops = STRUCT (b, "sched_ext_ops", 160, { "flags", u64, 0 }, { "name", name128, 16 });
  /* 6.18+: scx_sched.pcpu → scx_sched_pcpu.event_stats; 6.16–6.17: scx_sched.event_stats_cpu. */
  STRUCT (b, "scx_sched", 176, { "ops", ops, 0 }, { old_events ? "event_stats_cpu" : "pcpu", vptr, 160 },
          { "exit_kind", u32, 168 });
  static const char *const ev[] = {
    "SCX_EV_SELECT_CPU_FALLBACK", "SCX_EV_DISPATCH_LOCAL_DSQ_OFFLINE", "SCX_EV_DISPATCH_KEEP_LAST",
    "SCX_EV_ENQ_SKIP_EXITING", "SCX_EV_ENQ_SKIP_MIGRATION_DISABLED", "SCX_EV_REENQ_IMMED",
    "SCX_EV_REENQ_REPEAT", "SCX_EV_REFILL_SLICE_DFL", "SCX_EV_BYPASS_DURATION",
    "SCX_EV_BYPASS_DISPATCH", "SCX_EV_BYPASS_ACTIVATE", "SCX_EV_INSERT_NOT_OWNED",
    /* no SCX_EV_SUB_BYPASS_DISPATCH: an older kernel */
  };
  int evs = btf__add_struct (b, "scx_event_stats", G_N_ELEMENTS (ev) * 8);
  for (guint i = 0; i < G_N_ELEMENTS (ev); i++)
    btf__add_field (b, ev[i], (int) s64, i * 64, 0);
  STRUCT (b, "scx_sched_pcpu", 8 + G_N_ELEMENTS (ev) * 8, { "sch", vptr, 0 }, { "event_stats", (guint32) evs, 8 });
  int st = btf__add_enum (b, "bpf_struct_ops_state", 4);
  btf__add_enum_value (b, "BPF_STRUCT_OPS_STATE_INIT", 0);
  btf__add_enum_value (b, "BPF_STRUCT_OPS_STATE_INUSE", 1);
  guint32 common = STRUCT (b, "bpf_struct_ops_common_value", 8, { "refcnt", u32, 0 }, { "state", (guint32) st, 4 });
  guint32 value = STRUCT (b, "bpf_struct_ops_value", 8, { "common", common, 0 });
  STRUCT (b, "bpf_struct_ops_sched_ext_ops", 168, { "common", common, 0 }, { "data", ops, 8 });
  STRUCT (b, "bpf_struct_ops_map", 400, { "map", map, 0 }, { "links", vptr, 128 }, { "funcs_cnt", u32, 136 },
          { "kvalue", value, 192 });

  guint32 dsq = STRUCT (b, "scx_dispatch_q", 32, { "first_task", vptr, 8 }, { "nr", u32, 16 }, { "seq", u32, 20 });
  guint32 scx = STRUCT (b, "scx_rq", 48, { "local_dsq", dsq, 0 }, { "nr_running", u32, 32 }, { "flags", u32, 36 },
                        { "clock", u64, 40 });
  guint32 si = STRUCT (b, "sched_info", 16, { "pcount", ulong, 0 }, { "run_delay", u64, 8 });
  STRUCT (b, "rq", 256, { "nr_running", u32, 0 }, { "clock", u64, 8 }, { "scx", scx, 16 },
          { "rq_sched_info", si, 64 }, { "yld_count", u32, 80 }, { "sched_count", u32, 84 },
          { "sched_goidle", u32, 88 }, { "ttwu_count", u32, 92 }, { "ttwu_local", u32, 96 });
  STRUCT (b, "kernel_cpustat", 96, { "cpustat", u64x10, 16 });
  STRUCT (b, "kernel_stat", 48, { "irqs_sum", ulong, 0 }, { "softirqs", u32x10, 8 });
  static const char *const cpustat[] = { "CPUTIME_USER", "CPUTIME_NICE", "CPUTIME_SYSTEM", "CPUTIME_SOFTIRQ",
                                         "CPUTIME_IRQ", "CPUTIME_IDLE", "CPUTIME_IOWAIT", "CPUTIME_STEAL",
                                         "CPUTIME_GUEST", "CPUTIME_GUEST_NICE" };
  btf__add_enum (b, "cpu_usage_stat", 4);
  for (guint i = 0; i < G_N_ELEMENTS (cpustat); i++)
    btf__add_enum_value (b, cpustat[i], i);
  return b;
}

guint32
fx_type (Fx *fx, const char *name)
{
  int id = btf__find_by_name (fx->btf, name);
  g_assert_cmpint (id, >, 0);
  return (guint32) id;
}

guint32
fx_off (Fx *fx, const char *type, const char *path)
{
  g_autoptr(SlKtypes) kt = sl_ktypes_new (fx->btf);
  SlKfield f;
  g_autoptr(GError) error = NULL;
  g_assert_true (sl_ktypes_member (kt, type, path, &f, &error));
  return f.offset;
}

/* ---- memory ---- */

static guint64
phys_base (Fx *fx)
{
  return fx->load_pa - (FX_TEXT_LINK - SL_START_KERNEL_MAP) - fx->slide;
}

guint64
fx_pa (Fx *fx, guint64 kva)
{
  if (kva >= SL_START_KERNEL_MAP)
    return kva - SL_START_KERNEL_MAP + phys_base (fx);
  if (kva >= fx->pob && kva - fx->pob < fx->size)
    return kva - fx->pob;
  guint64 *pa = g_hash_table_lookup (fx->vpages, &(guint64) { kva & ~0xfffull });
  g_assert_nonnull (pa);
  return *pa | (kva & 0xfff);
}

void
fx_write (Fx *fx, guint64 kva, const void *src, gsize len)
{
  const guint8 *s = src;
  while (len > 0)
    {
      gsize n = MIN (len, 4096 - (kva & 0xfff));
      guint64 pa = fx_pa (fx, kva);
      g_assert_cmpuint (pa + n, <=, fx->size);
      memcpy (fx->ram + pa, s, n);
      s += n;
      kva += n;
      len -= n;
    }
}

void fx_write_u64 (Fx *fx, guint64 kva, guint64 v) { fx_write (fx, kva, &v, 8); }
void fx_write_u32 (Fx *fx, guint64 kva, guint32 v) { fx_write (fx, kva, &v, 4); }

void
fx_write_field (Fx *fx, guint64 base, const char *type, const char *path, guint64 v)
{
  g_autoptr(SlKtypes) kt = sl_ktypes_new (fx->btf);
  SlKfield f;
  g_assert_true (sl_ktypes_member (kt, type, path, &f, NULL));
  fx_write (fx, base + f.offset, &v, f.size);
}

static guint64
pt_page (Fx *fx)
{
  guint64 pa = fx->next_pt_pa;
  fx->next_pt_pa += 4096;
  g_assert_cmpuint (fx->next_pt_pa, <=, PT_END);
  return pa;
}

/* Maps va → pa with a page of 4 KiB, 2 MiB or 1 GiB. */
static void
map_page (Fx *fx, guint64 va, guint64 pa, guint shift)
{
  static const guint all[] = { 48, 39, 30, 21, 12 };
  const guint *levels = fx->l5 ? all : all + 1;
  guint n = fx->l5 ? 5 : 4;
  guint64 table = fx->top_pgt_pa;
  for (guint i = 0; i < n; i++)
    {
      guint64 *e = (guint64 *) (fx->ram + table + ((va >> levels[i]) & 0x1ff) * 8);
      if (levels[i] == shift)
        {
          *e = pa | PTE_P | (shift > 12 ? PTE_PS : 0) | G_GUINT64_CONSTANT (0x8000000000000000);
          return;
        }
      if (!(*e & 1))
        *e = pt_page (fx) | PTE_P;
      table = *e & SL_PTE_ADDR_MASK;
    }
  g_assert_not_reached ();
}

guint64
fx_kmalloc (Fx *fx, gsize size)
{
  guint64 pa = (fx->next_pa + 63) & ~63ull;
  fx->next_pa = pa + size;
  g_assert_cmpuint (fx->next_pa, <=, SLAB_END);
  return fx->pob + pa;
}

guint64
fx_vmalloc (Fx *fx, gsize size)
{
  guint64 va = fx->vmalloc_next;
  guint pages = (guint) ((size + 4095) / 4096);
  fx->vmalloc_next += (guint64) (pages + 1) * 4096;   /* plus a guard page */
  for (guint i = 0; i < pages; i++)
    {
      /* Scattered: every other page of the slab area, backwards. */
      guint64 pa = SLAB_END + 0x400000 - (guint64) (g_hash_table_size (fx->vpages) + 1) * 8192;
      g_assert_cmpuint (pa, >=, SLAB_END);
      guint64 *key = g_new (guint64, 1), *val = g_new (guint64, 1);
      *key = va + (guint64) i * 4096;
      *val = pa;
      g_hash_table_insert (fx->vpages, key, val);
      map_page (fx, *key, pa, 12);
    }
  return va;
}

static void
add_sym (Fx *fx, const char *name, guint64 link)
{
  guint64 *v = g_new (guint64, 1);
  *v = link;
  g_hash_table_insert (fx->syms, g_strdup (name), v);
}

guint64
fx_image_var (Fx *fx, const char *name, gsize size)
{
  guint64 off = (fx->image_used + 4095) & ~4095ull;   /* page-aligned: init_top_pgt needs it */
  fx->image_used = off + size;
  g_assert_cmpuint (fx->image_used, <=, IMAGE_SPAN - PERCPU_SPAN);
  add_sym (fx, name, FX_TEXT_LINK + off);
  return FX_TEXT_LINK + fx->slide + off;
}

static guint64 percpu_used;

guint64
fx_percpu_var (Fx *fx, const char *name, gsize size)
{
  guint64 off = (percpu_used + 63) & ~63ull;
  percpu_used = off + size;
  g_assert_cmpuint (percpu_used, <=, PERCPU_SPAN / 2);
  add_sym (fx, name, fx->percpu_start - fx->slide + off);
  return fx->percpu_start + off;
}

guint64
fx_percpu_alloc (Fx *fx, gsize size)
{
  guint64 off = (percpu_used + 63) & ~63ull;
  percpu_used = off + size;
  g_assert_cmpuint (percpu_used, <=, PERCPU_SPAN);
  return fx->percpu_start + off;
}

guint64
fx_percpu_addr (Fx *fx, guint64 pcpu, guint cpu)
{
  return pcpu - fx->percpu_start + fx->pcpu_area[cpu];
}

gboolean
fx_lookup (gpointer data, const char *name, guint64 *address)
{
  Fx *fx = data;
  guint64 *v = g_hash_table_lookup (fx->syms, name);
  if (v != NULL)
    *address = *v;
  return v != NULL;
}

Fx *
fx_new (gboolean l5, guint64 load_pa, guint64 slide, guint n_cpus)
{
  return fx_new_full (l5, load_pa, slide, n_cpus, FALSE);
}

Fx *
fx_new_full (gboolean l5, guint64 load_pa, guint64 slide, guint n_cpus, gboolean old_events)
{
  g_assert_cmpuint (n_cpus, <=, G_N_ELEMENTS (((Fx *) 0)->pcpu_area));
  g_assert_cmpuint (load_pa % 0x200000, ==, 0);
  Fx *fx = g_new0 (Fx, 1);
  percpu_used = 0;
  fx->size = FX_RAM_SIZE;
  fx->ram = g_malloc0 (fx->size);
  fx->l5 = l5;
  fx->load_pa = load_pa;
  fx->slide = slide;
  fx->pob = l5 ? G_GUINT64_CONSTANT (0xff11000040000000) : G_GUINT64_CONSTANT (0xffff8a8000000000);
  fx->vmalloc_base = l5 ? G_GUINT64_CONSTANT (0xffa0000000000000) : G_GUINT64_CONSTANT (0xffffc90000000000);
  fx->vmalloc_next = fx->vmalloc_base + 0x10000;
  fx->next_pa = SLAB_BASE;
  fx->next_pt_pa = PT_BASE;
  fx->image_used = 0x1000;
  fx->n_cpus = n_cpus;
  fx->btf = build_btf (old_events);
  fx->syms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fx->vpages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  fx->mem = sl_guest_mem_new_flat (fx->ram, fx->size);

  add_sym (fx, "_text", FX_TEXT_LINK);
  guint64 pgt = fx_image_var (fx, "init_top_pgt", 4096);
  fx->top_pgt_pa = fx_pa (fx, pgt);
  /* Image: 2 MiB pages; direct map: one 1 GiB page. */
  for (guint64 off = 0; off < IMAGE_SPAN; off += 0x200000)
    map_page (fx, FX_TEXT_LINK + slide + off, load_pa + off, 21);
  map_page (fx, fx->pob, 0, 30);

  guint64 banner = fx_image_var (fx, "linux_banner", sizeof FX_BANNER);
  fx_write (fx, banner, FX_BANNER, sizeof FX_BANNER);
  fx_write_u64 (fx, fx_image_var (fx, "phys_base", 8), phys_base (fx));
  fx_write_u64 (fx, fx_image_var (fx, "page_offset_base", 8), fx->pob);
  fx_write_u64 (fx, fx_image_var (fx, "vmalloc_base", 8), fx->vmalloc_base);
  fx_write_u32 (fx, fx_image_var (fx, "__pgtable_l5_enabled", 4), l5);
  fx_write_u32 (fx, fx_image_var (fx, "nr_cpu_ids", 4), n_cpus);
  guint64 pco = fx_image_var (fx, "__per_cpu_offset", 8 * n_cpus);
  fx->percpu_start = FX_TEXT_LINK + slide + IMAGE_SPAN - PERCPU_SPAN;
  add_sym (fx, "__per_cpu_start", fx->percpu_start - slide);
  for (guint c = 0; c < n_cpus; c++)
    {
      fx->pcpu_area[c] = fx_kmalloc (fx, PERCPU_SPAN);
      fx_write_u64 (fx, pco + 8 * c, fx->pcpu_area[c] - fx->percpu_start);
    }
  fx_image_var (fx, "map_idr", 24);
  fx_image_var (fx, "scx_root", 8);
  fx_percpu_var (fx, "runqueues", 256);
  fx_percpu_var (fx, "kernel_cpustat", 96);
  fx_percpu_var (fx, "kstat", 48);
  return fx;
}

void
fx_free (Fx *fx)
{
  if (fx == NULL)
    return;
  sl_guest_mem_free (fx->mem);
  btf__free (fx->btf);
  g_hash_table_unref (fx->syms);
  g_hash_table_unref (fx->vpages);
  g_free (fx->ram);
  g_free (fx);
}

SlGuestKernel *
fx_kernel (Fx *fx, GError **error)
{
  return sl_guest_kernel_new (fx->mem, fx->btf, fx_lookup, fx, (const guint8 *) FX_BANNER, strlen (FX_BANNER), 0,
                              error);
}

/* ---- BPF objects ---- */

void
fx_set_map_idr (Fx *fx, const guint64 *kvas, guint n)
{
  guint64 idr = 0;
  g_assert_true (fx_lookup (fx, "map_idr", &idr));
  idr += fx->slide;
  guint32 head = fx_off (fx, "idr", "idr_rt.xa_head");
  if (n == 0)
    {
      fx_write_u64 (fx, idr + head, 0);
      return;
    }
  /* Indices 1..n: one level up to 63 entries, else two. */
  guint32 slots = fx_off (fx, "xa_node", "slots"), shift = fx_off (fx, "xa_node", "shift");
  guint top_shift = n + 1 > 64 ? 6 : 0;
  guint64 root = fx_kmalloc (fx, 576);
  guint8 s = (guint8) top_shift;
  fx_write (fx, root + shift, &s, 1);
  for (guint i = 0; i < n; i++)
    {
      guint idx = i + 1;
      if (top_shift == 0)
        fx_write_u64 (fx, root + slots + 8 * idx, kvas[i]);
      else
        {
          guint64 child_slot = root + slots + 8 * (idx >> 6);
          guint64 child = 0;
          g_assert_true (sl_guest_mem_read_u64 (fx->mem, fx_pa (fx, child_slot), &child, NULL));
          if (child == 0)
            {
              child = fx_kmalloc (fx, 576) | 2;
              fx_write_u64 (fx, child_slot, child);
            }
          fx_write_u64 (fx, (child - 2) + slots + 8 * (idx & 63), kvas[i]);
        }
    }
  fx_write_u64 (fx, idr + head, root | 2);
}

guint64
fx_add_btf (Fx *fx, const struct btf *b, gboolean split)
{
  static guint32 next_id = 10;
  guint32 size;
  const void *raw = btf__raw_data (b, &size);
  guint64 data = fx_vmalloc (fx, size);
  fx_write (fx, data, raw, size);
  guint64 kbtf = fx_kmalloc (fx, 64);
  fx_write_field (fx, kbtf, "btf", "data", data);
  fx_write_field (fx, kbtf, "btf", "data_size", size);
  fx_write_field (fx, kbtf, "btf", "id", next_id++);
  fx_write_field (fx, kbtf, "btf", "base_btf", split ? fx->pob + 0x1000 : 0);
  return kbtf;
}

guint64
fx_add_map (Fx *fx, const char *name, guint32 type, guint32 key_size, guint32 value_size, guint32 max_entries,
            guint64 btf_kva, guint32 key_tid, guint32 value_tid)
{
  static guint32 next_id = 1;
  guint64 m;
  if (type == SL_BPF_MAP_ARRAY || type == SL_BPF_MAP_PERCPU_ARRAY)
    {
      guint32 elem = (value_size + 7) & ~7u;
      gsize bytes = 136 + (type == SL_BPF_MAP_ARRAY ? (gsize) elem * max_entries : 8ull * max_entries);
      m = fx_vmalloc (fx, bytes);   /* big arrays are vmalloc'd in the kernel too */
      fx_write_field (fx, m, "bpf_array", "elem_size", elem);
    }
  else if (type == SL_BPF_MAP_STRUCT_OPS)
    m = fx_kmalloc (fx, 400);
  else
    m = fx_kmalloc (fx, 160);
  fx_write_field (fx, m, "bpf_map", "map_type", type);
  fx_write_field (fx, m, "bpf_map", "key_size", key_size);
  fx_write_field (fx, m, "bpf_map", "value_size", value_size);
  fx_write_field (fx, m, "bpf_map", "max_entries", max_entries);
  fx_write_field (fx, m, "bpf_map", "id", next_id++);
  fx_write_field (fx, m, "bpf_map", "btf", btf_kva);
  fx_write_field (fx, m, "bpf_map", "btf_key_type_id", key_tid);
  fx_write_field (fx, m, "bpf_map", "btf_value_type_id", value_tid);
  char n16[16] = { 0 };
  g_strlcpy (n16, name, sizeof n16);
  fx_write (fx, m + fx_off (fx, "bpf_map", "name"), n16, 16);
  return m;
}

guint64
fx_array_value (Fx *fx, guint64 map, guint32 index)
{
  guint64 elem = 0;
  g_assert_true (sl_guest_mem_read (fx->mem, fx_pa (fx, map + fx_off (fx, "bpf_array", "elem_size")), &elem, 4, NULL));
  return map + fx_off (fx, "bpf_array", "value") + elem * index;
}
