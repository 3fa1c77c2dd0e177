/* Integration test: boots the default kernel under TCG with the sl_probe BPF
 * program (tests/integration/introspect/sl_probe.bpf.c) loaded in the guest by
 * a static loader that detaches the probe after a while and prints what the
 * bpf syscall reads from every map. The host captures the frozen guest after
 * that (the values no longer change) and must render exactly the same values:
 * .bss and .data globals, an ARRAY, a PERCPU_ARRAY, a HASH, plus the active
 * scheduler's identity, per-CPU times and the monitor snapshot. */
#include "sl-archive.h"
#include "sl-introspector.h"
#include "sl-kernel.h"
#include "sl-monitor-summary.h"
#include "sl-runner.h"
#include "sl-scenario.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
  char            *probe_json;   /* the guest's SLPROBE line */
  gint64           probe_us;     /* host time it arrived */
  SlIntrospector  *in;
  GPtrArray       *monitor;      /* SlMonitorSample* */
  GPtrArray       *reports;      /* SlReport* copies (JSON text) of captures after the probe line */
  GPtrArray       *errors;
} Ctx;

static void
on_console (const char *line, gpointer data)
{
  Ctx *c = data;
  const char *m = strstr (line, "SLPROBE {");
  if (m != NULL && c->probe_json == NULL)
    {
      c->probe_json = g_strdup (m + 8);
      c->probe_us = g_get_monotonic_time ();
    }
  if (strstr (line, "SLPROBE-ERROR") != NULL)
    g_ptr_array_add (c->errors, g_strdup (line));
}

/* The runner's capture cycle, as `schedlab-cli run` sets it up: prepare before
 * the freeze (which defers rendering), bytes while frozen, rendering after the
 * thaw, then the monitor sample. */
static gboolean
before_freeze (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  return sl_introspector_before_freeze_hook (vm, s, ((Ctx *) data)->in, error);
}

static gboolean
frozen (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  return sl_introspector_freeze_hook (vm, s, ((Ctx *) data)->in, error);
}

static gboolean
after_thaw (SlVm *vm, SlSample *s, gpointer data, GError **error)
{
  Ctx *c = data;
  sl_introspector_after_thaw_hook (vm, s, c->in, error);
  if (c->probe_json != NULL)
    {
      g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
      sl_report_write_json (s->report, w);
      g_ptr_array_add (c->reports, sl_json_writer_steal (w, NULL));
    }
  return TRUE;
}

static SlMonitorSample *
take_monitor (gpointer data)
{
  return sl_introspector_take_monitor_sample_hook (((Ctx *) data)->in);
}

static const SlValue *
path (const SlValue *v, const char *p)
{
  g_auto(GStrv) parts = g_strsplit (p, ".", 0);
  for (guint i = 0; parts[i] && v; i++)
    v = sl_value_member (v, parts[i]);
  if (v == NULL)
    g_error ("no %s in the rendered value", p);
  return v;
}

static guint64
u64_of (const SlValue *v)
{
  guint64 out;
  g_assert_true (sl_value_as_u64 (v, &out));
  return out;
}

static gint64
i64_of (const SlValue *v)
{
  gint64 out;
  g_assert_true (sl_value_as_i64 (v, &out));
  return out;
}

static void
test_probe_values (void)
{
  g_autoptr(GError) error = NULL;
  SlKernelOptions kopts = { 0 };
  g_autoptr(SlKernel) k = sl_kernel_resolve ("default", &kopts, NULL, NULL, NULL, &error);
  if (k == NULL)
    g_error ("no kernel to boot: %s. CI fetches it first with `schedlab-cli kernel fetch`.", error->message);
  if (!k->has_sched_ext)
    g_error ("the default kernel %s has no sched_ext", k->version);

  g_autoptr(SlScenario) sc = sl_scenario_parse ("scenario it-introspect\nadd-cgroup spin\n"
                                                "spawn spin CpuSpin count=1\nadd-cgroup ping\n"
                                                "spawn ping YieldHeavy count=1\nstep run\n  hold 9s\n",
                                                "integration", &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_dir_make_tmp ("sl-it-introspect-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *out = g_build_filename (dir, "run.slrun", NULL);
  Ctx c = { 0 };
  c.in = sl_introspector_new_for_vmlinux (k->vmlinux, &error);
  g_assert_no_error (error);
  c.monitor = g_ptr_array_new ();
  c.reports = g_ptr_array_new_with_free_func (g_free);
  c.errors = g_ptr_array_new_with_free_func (g_free);
  const char *args[] = { "2500", NULL };
  SlRunnerConfig cfg = {
    .vmlinux = k->vmlinux,
    .kernel_version = k->version,
    .kernel_has_sched_ext = TRUE,
    .kernel_hz = k->hz,
    .topology = { 1, 1, 2, 1 },
    .memory_mb = 512,
    .accel = SL_ACCEL_TCG,
    .tcg_single_thread = TRUE,
    .scheduler = SL_PROBE_LOADER,
    .scheduler_args = args,
    .scenario = sc,
    .snapshots = 5,
    .timeout_s = 400,
    .output = out,
    .console = on_console,
    .user_data = &c,
    .before_freeze_hook = before_freeze,
    .freeze_hook = frozen,
    .after_thaw_hook = after_thaw,
    .take_monitor_sample = take_monitor,
    .freeze_hook_data = &c,
  };
  g_autoptr(SlRunner) runner = sl_runner_new (&cfg);
  g_assert_true (sl_runner_run (runner, &error));
  g_assert_no_error (error);
  g_test_message ("end reason: %s", sl_runner_get_end_reason (runner));
  for (guint i = 0; i < c.errors->len; i++)
    g_test_message ("guest: %s", (char *) c.errors->pdata[i]);
  g_assert_cmpuint (c.errors->len, ==, 0);
  g_assert_nonnull (c.probe_json);
  g_test_message ("guest view: %s", c.probe_json);
  g_assert_cmpuint (c.reports->len, >, 0);

  /* The guest's view (bpf syscall). */
  g_autoptr(JsonParser) gp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (gp, c.probe_json, -1, &error));
  JsonObject *g = json_node_get_object (json_parser_get_root (gp));
  /* The host's view: the last capture, taken after the probe stopped. */
  g_autoptr(JsonParser) hp = json_parser_new ();
  g_assert_true (json_parser_load_from_data (hp, c.reports->pdata[c.reports->len - 1], -1, &error));
  g_autoptr(SlReport) r = sl_report_from_json (json_parser_get_root (hp), "capture", &error);
  g_assert_no_error (error);

  const SlMap *bss = sl_report_find_map (r, "sl_probe.bss");
  const SlMap *data = sl_report_find_map (r, "sl_probe.data");
  const SlMap *arr = sl_report_find_map (r, "probe_arr");
  const SlMap *pcpu = sl_report_find_map (r, "probe_pcpu");
  const SlMap *hash = sl_report_find_map (r, "probe_hash");
  g_assert_nonnull (bss);
  g_assert_nonnull (data);
  g_assert_nonnull (arr);
  g_assert_nonnull (pcpu);
  g_assert_nonnull (hash);
  g_assert_null (bss->error);
  g_assert_null (data->error);
  g_assert_null (arr->error);
  g_assert_null (pcpu->error);
  g_assert_null (hash->error);

  guint64 nr = (guint64) json_object_get_int_member (g, "nr_switches");
  g_assert_cmpuint (nr, >, 0);
  g_assert_cmpstr (bss->value->text, ==, ".bss");
  g_assert_cmpuint (u64_of (path (bss->value, "nr_switches")), ==, nr);
  g_assert_cmpuint (u64_of (path (bss->value, "nr_enabled")), ==, (guint64) json_object_get_int_member (g, "nr_enabled"));
  g_assert_cmpint (i64_of (path (data->value, "last_cpu")), ==, json_object_get_int_member (g, "last_cpu"));
  const SlValue *tag = path (data->value, "tag");
  g_assert_cmpint (tag->kind, ==, SL_VALUE_ARRAY);
  const char *gtag = json_object_get_string_member (g, "tag");
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (tag->elements[i]->v.c, ==, i < strlen (gtag) ? (guint8) gtag[i] : 0);

  JsonArray *ga = json_object_get_array_member (g, "arr");
  g_assert_cmpuint (arr->entries->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonArray *slot = json_array_get_array_element (ga, i);
      const SlMapEntry *e = arr->entries->pdata[i];
      g_assert_cmpuint (u64_of (e->key), ==, i);
      g_assert_cmpuint (u64_of (path (e->value, "count")), ==, (guint64) json_array_get_int_element (slot, 0));
      g_assert_cmpuint (u64_of (path (e->value, "cpu")), ==, (guint64) json_array_get_int_element (slot, 1));
      g_assert_cmpint (i64_of (path (e->value, "delta")), ==, json_array_get_int_element (slot, 2));
    }
  JsonArray *gpc = json_object_get_array_member (g, "pcpu");
  g_assert_cmpuint (pcpu->percpu_entries->len, ==, 1);
  const SlPercpuEntry *pe = pcpu->percpu_entries->pdata[0];
  g_assert_cmpuint (pe->n_cpus, ==, json_array_get_length (gpc));
  guint64 pc_sum = 0;
  for (guint cpu = 0; cpu < pe->n_cpus; cpu++)
    {
      g_assert_nonnull (pe->per_cpu[cpu]);
      g_assert_cmpuint (u64_of (pe->per_cpu[cpu]), ==, (guint64) json_array_get_int_element (gpc, cpu));
      pc_sum += u64_of (pe->per_cpu[cpu]);
    }
  g_assert_cmpuint (pc_sum, ==, nr);   /* every switch counted once per CPU */
  JsonObject *gh = json_object_get_object_member (g, "hash");
  g_assert_cmpuint (hash->entries->len, ==, json_object_get_size (gh));
  for (guint i = 0; i < hash->entries->len; i++)
    {
      const SlMapEntry *e = hash->entries->pdata[i];
      g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT, u64_of (e->key));
      g_assert_true (json_object_has_member (gh, key));
      g_assert_cmpuint (u64_of (e->value), ==, (guint64) json_object_get_int_member (gh, key));
    }

  /* The attached scheduler and its maps. */
  g_assert_cmpstr (r->active_obj_name, ==, "sl_probe");
  const SlMap *ops = sl_report_find_map (r, "sl_probe_ops");
  g_assert_nonnull (ops);
  gboolean has_ops = FALSE, has_bss = FALSE;
  for (guint i = 0; i < r->active_map_kvas->len; i++)
    {
      guint64 kva = g_array_index (r->active_map_kvas, guint64, i);
      has_ops |= kva == ops->map_kva;
      has_bss |= kva == bss->map_kva;
    }
  g_assert_true (has_ops && has_bss);

  /* Host axis and monitor. */
  g_assert_cmpuint (r->per_cpu_time->len, ==, 2);
  const SlPerCpuTime *t0 = &g_array_index (r->per_cpu_time, SlPerCpuTime, 0);
  g_assert_cmpuint (t0->cpustat_user_ns + t0->cpustat_system_ns, >, 0);
  /* The runner archived the monitor samples and their summary. */
  g_autoptr(SlRun) run = sl_archive_load (out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_extend (c.monitor, run->monitor_samples, NULL, NULL);
  g_ptr_array_set_free_func (c.monitor, NULL);
  g_assert_cmpuint (c.monitor->len, >=, 2);
  g_assert_nonnull (run->monitor_summary);
  g_assert_cmpuint (run->monitor_summary->total_samples, ==, c.monitor->len);
  SlMonitorSample *last = c.monitor->pdata[c.monitor->len - 1];
  g_assert_cmpuint (last->cpus->len, ==, 2);
  guint64 running = 0;
  for (guint i = 0; i < 2; i++)
    running += g_array_index (last->cpus, SlCpuSnapshot, i).nr_running;
  g_assert_cmpuint (running, >=, 1);   /* the spinner */
  g_assert_true (g_array_index (last->cpus, SlCpuSnapshot, 0).has_schedstat);
  g_assert_true (g_array_index (last->cpus, SlCpuSnapshot, 0).has_event_counters);
  SlMonitorSample *prev = c.monitor->pdata[c.monitor->len - 2];
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (g_array_index (last->cpus, SlCpuSnapshot, i).rq_clock, >=,
                      g_array_index (prev->cpus, SlCpuSnapshot, i).rq_clock);
  SlMonitorSummary sum;
  sl_monitor_summarize ((SlMonitorSample **) c.monitor->pdata, c.monitor->len,
                        sl_monitor_preemption_threshold_ns (k->hz), &sum);
  g_assert_cmpuint (sum.total_samples, ==, c.monitor->len);
  g_assert_true (sum.has_event_deltas);
  g_assert_cmpuint (sum.stuck_count, ==, run->monitor_summary->stuck_count);
  /* Every archived sample carries its rendered maps; none is left unrendered. */
  for (guint i = 0; i < run->samples->len; i++)
    {
      const SlSample *s = run->samples->pdata[i];
      g_assert_cmpuint (s->report->maps->len, >, 0);
      g_assert_cmpuint (s->report->per_cpu_time->len, ==, 2);
      g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
      sl_report_write_json (s->report, w);
      g_autofree char *text = sl_json_writer_steal (w, NULL);
      g_assert_null (strstr (text, "pending: rendered after the thaw"));
    }

  const GArray *freeze = sl_runner_get_freeze_us (runner);
  for (guint i = 0; i < freeze->len; i++)
    g_test_message ("freeze %u: %" G_GUINT64_FORMAT " us", i, g_array_index (freeze, guint64, i));

  g_ptr_array_unref (c.monitor);
  g_ptr_array_unref (c.reports);
  g_ptr_array_unref (c.errors);
  sl_introspector_free (c.in);
  g_free (c.probe_json);
  g_unlink (out);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/integration/introspect/probe-values", test_probe_values);
  return g_test_run ();
}
