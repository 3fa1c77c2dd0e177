/* cli-fields.c: `schedlab-cli fields RUN`: every projectable field, one per line. */
#include "sl-cli.h"

#include <stdio.h>

#include "sl-archive.h"
#include "sl-field-catalog.h"

int
sl_cli_fields (int argc, char **argv)
{
  g_autofree char *axis_text = NULL;
  g_autofree char *filter = NULL;
  gboolean groups = FALSE;
  const GOptionEntry entries[] = {
    { "axis", 'a', 0, G_OPTION_ARG_STRING, &axis_text, "Only fields of AXIS (bpf, stats, host or monitor)", "AXIS" },
    { "filter", 'f', 0, G_OPTION_ARG_STRING, &filter, "Only fields whose selector or group contains TEXT (any case)", "TEXT" },
    { "groups", 'g', 0, G_OPTION_ARG_NONE, &groups, "Also print each field's group (tree path)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlRun) run = NULL;
  g_autoptr(SlFieldCatalog) cat = NULL;
  SlAxis axis;
  guint shown = 0;

  if (!sl_cli_parse (&argc, &argv, "RUN",
                     "List every field of RUN (.slrun) that an assertion can select.",
                     "One field per line: its axis, its path (the two together are the\n"
                     "selector to write in a spec's field= key), its value type and, when\n"
                     "known, its unit. For example:\n"
                     "  bpf sl_vtime.bss/nr_dispatched u64 count\n"
                     "  stats cgroups.workers.nr_wakeups u64 count\n"
                     "  host cpu0.cpustat_user_ns u64 ns\n"
                     "  monitor cpu1.nr_running u64 count\n"
                     "Fields are collected from every sample, so a placeholder or a sample\n"
                     "without scx_stats hides nothing. Per-CPU maps are offered narrowed\n"
                     "(@cpu_sum, @cpu_max, @cpu_min, @N).\n\n"
                     "Exit status: 0 success, 64 bad command line, 66 run missing or unreadable.",
                     entries))
    return SL_EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr ("schedlab-cli fields: expected one RUN (see --help)\n");
      return SL_EXIT_USAGE;
    }
  if (axis_text && !sl_axis_parse (axis_text, &axis))
    {
      g_printerr ("schedlab-cli fields: unknown axis '%s' (bpf, stats, host or monitor)\n", axis_text);
      return SL_EXIT_USAGE;
    }
  run = sl_archive_load (argv[1], NULL, NULL, NULL, &error);
  if (run == NULL)
    {
      g_printerr ("schedlab-cli fields: cannot read run '%s': %s\n", argv[1], error->message);
      return SL_EXIT_BAD_INPUT;
    }
  if (!run->complete)
    g_printerr ("schedlab-cli fields: warning: run '%s' is incomplete (%s)\n", argv[1],
                run->incomplete_reason ? run->incomplete_reason : "no footer");

  cat = sl_field_catalog_build (run, 0);
  for (guint i = 0; i < cat->fields->len; i++)
    {
      const SlFieldInfo *f = g_ptr_array_index (cat->fields, i);

      if (!sl_field_info_matches (f, axis_text ? &axis : NULL, filter))
        continue;
      printf ("%s %s", f->selector, sl_scalar_type_name (f->type));
      if (f->unit)
        printf (" %s", f->unit);
      if (groups)
        printf ("  [%s]", f->group);
      printf ("\n");
      shown++;
    }
  if (cat->truncated)
    g_printerr ("schedlab-cli fields: warning: the list stops at %u fields\n", cat->fields->len);
  if (shown == 0)
    g_printerr ("schedlab-cli fields: no field matches\n");
  return SL_EXIT_PASS;
}
