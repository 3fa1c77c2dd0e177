/* bench-model: figures for the model's JSON paths (RenderedValue and report
 * write, parse + read), on a synthetic report shaped like a real capture:
 * a .bss datasec, hash maps and per-CPU arrays.
 *
 *   bench-model [n_hash_entries] [n_cpus]   (defaults: 4096, 8) */
#include <stdio.h>
#include <stdlib.h>

#include "sl-report.h"

static SlValue *
make_task_ctx (guint i)
{
  SlValue *s = sl_value_new_struct ("task_ctx");
  SlValue *hist = sl_value_new_array (16);

  sl_value_struct_add (s, "pid", sl_value_new_int (32, (gint64) i));
  sl_value_struct_add (s, "weight", sl_value_new_uint (32, 100 + i % 7));
  sl_value_struct_add (s, "vtime", sl_value_new_uint (64, G_MAXUINT64 - i));
  sl_value_struct_add (s, "load", sl_value_new_float (64, i / 3.0));
  sl_value_struct_add (s, "state", sl_value_new_enum (32, FALSE, i % 3, "RUNNING"));
  sl_value_struct_add (s, "cpus", sl_value_new_cpu_list ("0-3,6"));
  for (guint k = 0; k < 16; k++)
    sl_value_array_add (hist, sl_value_new_uint (64, (guint64) i * k));
  sl_value_struct_add (s, "hist", hist);
  return s;
}

static SlReport *
make_report (guint n_entries, guint n_cpus)
{
  SlReport *r = sl_report_new ();
  SlMap *bss = sl_map_new ("bench.bss", SL_BPF_MAP_ARRAY, 4096, 1);
  SlMap *hash = sl_map_new ("task_ctx", SL_BPF_MAP_HASH, 128, n_entries);
  SlMap *pcpu = sl_map_new ("pcpu", SL_BPF_MAP_PERCPU_ARRAY, 64, 16);

  bss->value = sl_value_new_struct (".bss");
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("global_%u", i);

      sl_value_struct_add (bss->value, name, sl_value_new_uint (64, (guint64) i * 1000003));
    }
  for (guint i = 0; i < n_entries; i++)
    {
      SlMapEntry *e = g_new0 (SlMapEntry, 1);

      e->key = sl_value_new_uint (32, i);
      e->key_hex = g_strdup_printf ("%02x %02x %02x %02x", i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff, i >> 24);
      e->value = make_task_ctx (i);
      e->value_hex = g_strdup ("00 11 22 33 44 55 66 77");
      g_ptr_array_add (hash->entries, e);
    }
  for (guint k = 0; k < 16; k++)
    {
      SlPercpuEntry *e = g_new0 (SlPercpuEntry, 1);

      e->key = k;
      e->n_cpus = n_cpus;
      e->per_cpu = g_new0 (SlValue *, n_cpus);
      for (guint c = 0; c < n_cpus; c++)
        e->per_cpu[c] = make_task_ctx (k * n_cpus + c);
      g_ptr_array_add (pcpu->percpu_entries, e);
    }
  g_ptr_array_add (r->maps, bss);
  g_ptr_array_add (r->maps, hash);
  g_ptr_array_add (r->maps, pcpu);
  return r;
}

static guint
count_values (const SlValue *v)
{
  guint n = 1;

  for (guint i = 0; i < v->n_members; i++)
    n += count_values (v->members[i].value);
  for (guint i = 0; i < v->n_elements; i++)
    n += count_values (v->elements[i]);
  if (v->child != NULL)
    n += count_values (v->child);
  return n;
}

static guint
count_report_values (const SlReport *r)
{
  guint n = 0;

  for (guint i = 0; i < r->maps->len; i++)
    {
      const SlMap *m = g_ptr_array_index (r->maps, i);

      if (m->value != NULL)
        n += count_values (m->value);
      for (guint j = 0; j < m->entries->len; j++)
        {
          const SlMapEntry *e = g_ptr_array_index (m->entries, j);

          n += count_values (e->key) + count_values (e->value);
        }
      for (guint j = 0; j < m->percpu_entries->len; j++)
        {
          const SlPercpuEntry *e = g_ptr_array_index (m->percpu_entries, j);

          for (guint c = 0; c < e->n_cpus; c++)
            n += count_values (e->per_cpu[c]);
        }
    }
  return n;
}

int
main (int argc, char **argv)
{
  guint n_entries = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 4096;
  guint n_cpus = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 8;
  g_autoptr(SlReport) report = make_report (n_entries, n_cpus);
  g_autoptr(SlJsonWriter) w = sl_json_writer_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlReport) back = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  guint n_values = count_report_values (report);
  const int rounds = 5;
  gint64 t0, t_write = G_MAXINT64, t_parse = G_MAXINT64, t_read = G_MAXINT64, t_f64;
  double sink = 0;

  for (int r = 0; r < rounds; r++)
    {
      g_free (text);
      t0 = g_get_monotonic_time ();
      sl_report_write_json (report, w);
      text = sl_json_writer_steal (w, &len);
      t_write = MIN (t_write, g_get_monotonic_time () - t0);

      t0 = g_get_monotonic_time ();
      if (!json_parser_load_from_data (parser, text, (gssize) len, &error))
        g_error ("parse: %s", error->message);
      t_parse = MIN (t_parse, g_get_monotonic_time () - t0);

      t0 = g_get_monotonic_time ();
      g_clear_pointer (&back, sl_report_free);
      back = sl_report_from_json (json_parser_get_root (parser), "bench", &error);
      if (back == NULL)
        g_error ("read: %s", error->message);
      t_read = MIN (t_read, g_get_monotonic_time () - t0);
    }

  /* Shortest round-trip doubles: the slowest scalar to write. */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < 200000; i++)
    {
      sl_json_writer_f64 (w, i / 7.0);
      if ((i & 1023) == 0)
        {
          sink += (double) sl_json_writer_get_buffer (w)->len;
          g_free (sl_json_writer_steal (w, NULL));
        }
    }
  t_f64 = g_get_monotonic_time () - t0;

  printf ("report: %u hash entries, %u CPUs, %u rendered values, %.2f MiB of JSON\n",
          n_entries, n_cpus, n_values, len / 1048576.0);
  printf ("write (sl_report_write_json):   %8.2f ms  %7.1f MiB/s  %6.1f ns/value\n",
          t_write / 1000.0, len / 1048576.0 / (t_write / 1e6), t_write * 1000.0 / n_values);
  printf ("parse (json-glib):              %8.2f ms  %7.1f MiB/s  %6.1f ns/value\n",
          t_parse / 1000.0, len / 1048576.0 / (t_parse / 1e6), t_parse * 1000.0 / n_values);
  printf ("read  (sl_report_from_json):    %8.2f ms  %7.1f MiB/s  %6.1f ns/value\n",
          t_read / 1000.0, len / 1048576.0 / (t_read / 1e6), t_read * 1000.0 / n_values);
  printf ("f64 shortest round-trip write:  %6.1f ns/double (checksum %.0f)\n", t_f64 * 1000.0 / 200000, sink);
  return 0;
}
