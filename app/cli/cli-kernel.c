/* cli-kernel.c: `schedlab-cli kernel list|fetch|info`: the guest kernel cache. */
#include "sl-cli.h"

#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>

#include "sl-kallsyms.h"
#include "sl-kernel.h"
#include "sl-types.h"

static const char *
or_dash (const char *s)
{
  return s && *s ? s : "-";
}

static void
print_progress (SlKernelStage stage, const char *message, gpointer user_data)
{
  static const char * const names[] = {
    "resolve", "download", "extract", "decompress", "btf", "kallsyms", "done",
  };
  fprintf (stderr, "[%s] %s\n", stage < G_N_ELEMENTS (names) ? names[stage] : "?", message);
}

static int
error_exit (GError *error)
{
  g_printerr ("schedlab-cli kernel: %s\n", error->message);
  return SL_EXIT_SOFTWARE;
}

static int
kernel_list (int argc, char **argv)
{
  g_autofree char *cache_dir = NULL;
  GOptionEntry entries[] = {
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Cache root (default $XDG_CACHE_HOME/schedlab)", "DIR" },
    { NULL },
  };
  if (!sl_cli_parse (&argc, &argv, "", "List the cached kernels", NULL, entries))
    return SL_EXIT_USAGE;

  SlKernelOptions opts = { .cache_dir = cache_dir };
  g_autoptr(GPtrArray) list = sl_kernel_list_cached (&opts);
  g_autofree char *root = sl_kernel_cache_root (&opts);
  if (list->len == 0)
    {
      printf ("No kernels cached in %s/kernels. Fetch the default one with `schedlab-cli kernel fetch`.\n", root);
      return SL_EXIT_PASS;
    }
  printf ("%-36s %-9s %10s  %s\n", "VERSION", "SCHED_EXT", "VMLINUX", "PATH");
  for (guint i = 0; i < list->len; i++)
    {
      SlKernel *k = list->pdata[i];
      g_autofree char *size = g_format_size (k->vmlinux_size);
      printf ("%-36s %-9s %10s  %s\n", k->version, sl_kernel_feature_to_string (k->sched_ext), size, k->dir);
    }
  return SL_EXIT_PASS;
}

static int
kernel_fetch (int argc, char **argv)
{
  g_autofree char *mirror = NULL, *cache_dir = NULL;
  GOptionEntry entries[] = {
    { "mirror", 0, 0, G_OPTION_ARG_STRING, &mirror, "Debian mirror URI (default: [kernel] mirror= in schedlab.conf, else the host's apt sources)", "URI" },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Cache root (default $XDG_CACHE_HOME/schedlab)", "DIR" },
    { NULL },
  };
  if (!sl_cli_parse (&argc, &argv, "[SPEC]",
                     "Download, extract and cache a kernel (default: the newest Debian cloud kernel with sched_ext)",
                     "SPEC is \"default\", a Debian release such as 7.3.4+deb13-cloud-amd64, or the path of a\n"
                     "bzImage or vmlinux. Packages come from Debian through a private apt configuration\n"
                     "in the cache; nothing is installed on this machine.", entries))
    return SL_EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr ("schedlab-cli kernel fetch: expected at most one SPEC\n");
      return SL_EXIT_USAGE;
    }
  const char *spec = argc == 2 ? argv[1] : "default";
  /* An explicit fetch of "default" looks at the archive again; a path or release does not need to. */
  SlKernelOptions opts = { .mirror = mirror, .cache_dir = cache_dir, .refresh = TRUE, .ignore_env = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernel) k = sl_kernel_resolve (spec, &opts, print_progress, NULL, NULL, &error);
  if (!k)
    return error_exit (error);
  printf ("%s\n", k->vmlinux);
  return SL_EXIT_PASS;
}

static void
print_struct_size (const struct btf *btf, const char *name)
{
  gint32 id = btf__find_by_name_kind (btf, name, BTF_KIND_STRUCT);
  if (id > 0)
    printf ("  sizeof(struct %s) = %" G_GINT64_FORMAT "\n", name, (gint64) btf__resolve_size (btf, (guint32) id));
  else
    printf ("  struct %s: absent\n", name);
}

static int
kernel_info (int argc, char **argv)
{
  g_autofree char *cache_dir = NULL;
  gboolean offline = FALSE;
  GOptionEntry entries[] = {
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, "Never download: only the cache, paths and $SCHEDLAB_KERNEL", NULL },
    { "cache-dir", 0, 0, G_OPTION_ARG_FILENAME, &cache_dir, "Cache root (default $XDG_CACHE_HOME/schedlab)", "DIR" },
    { NULL },
  };
  if (!sl_cli_parse (&argc, &argv, "[SPEC|PATH]", "Describe a kernel: version, compression, BTF, kallsyms, sched_ext, HZ",
                     NULL, entries))
    return SL_EXIT_USAGE;
  if (argc > 2)
    {
      g_printerr ("schedlab-cli kernel info: expected at most one SPEC or PATH\n");
      return SL_EXIT_USAGE;
    }
  SlKernelOptions opts = { .cache_dir = cache_dir, .offline = offline };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlKernel) k = sl_kernel_resolve (argc == 2 ? argv[1] : "default", &opts, print_progress, NULL, NULL, &error);
  if (!k)
    return error_exit (error);

  g_autofree char *vsize = g_format_size (k->vmlinux_size);
  g_autofree char *bsize = g_format_size (k->btf_size);
  printf ("Version:      %s\n", k->version);
  printf ("Package:      %s%s%s\n", or_dash (k->package), k->suite ? " from " : "", k->suite ? k->suite : "");
  printf ("Build id:     %s\n", or_dash (k->build_id));
  printf ("Compression:  %s\n", or_dash (k->compression));
  printf ("sched_ext:    %s%s\n", sl_kernel_feature_to_string (k->sched_ext),
          k->sched_ext == SL_KERNEL_FEATURE_UNKNOWN ? (k->has_sched_ext ? " (config absent; BTF has sched_ext_ops)"
                                                                         : " (config absent; BTF has no sched_ext_ops)")
                                                    : "");
  printf ("HZ:           %u%s\n", k->hz, k->config ? "" : " (assumed)");
  printf ("vmlinux:      %s (%s)\n", k->vmlinux, vsize);
  printf ("bzImage:      %s\n", or_dash (k->bzimage));
  printf ("config:       %s\n", or_dash (k->config));
  printf ("BTF:          %s (%s)\n", or_dash (k->btf), bsize);

  g_autoptr(SlKallsyms) ks = sl_kallsyms_load (k->kallsyms, &error);
  if (!ks)
    return error_exit (error);
  printf ("kallsyms:     %s (%u symbols)\n", k->kallsyms, sl_kallsyms_count (ks));
  static const char * const syms[] = { "_text", "runqueues", "__per_cpu_offset", "init_top_pgt", "map_idr", "scx_root" };
  for (guint i = 0; i < G_N_ELEMENTS (syms); i++)
    {
      guint64 a;
      if (sl_kallsyms_lookup (ks, syms[i], &a))
        printf ("  %-18s %016" G_GINT64_MODIFIER "x\n", syms[i], a);
      else
        printf ("  %-18s absent\n", syms[i]);
    }

  if (k->btf)
    {
      struct btf *btf = btf__parse_raw (k->btf);
      if (!btf)
        {
          g_printerr ("schedlab-cli kernel: cannot parse %s\n", k->btf);
          return SL_EXIT_SOFTWARE;
        }
      printf ("BTF types:    %u\n", btf__type_cnt (btf) - 1);
      static const char * const structs[] = { "rq", "task_struct", "bpf_map", "sched_ext_ops", "scx_exit_info" };
      for (guint i = 0; i < G_N_ELEMENTS (structs); i++)
        print_struct_size (btf, structs[i]);
      btf__free (btf);
    }
  return SL_EXIT_PASS;
}

int
sl_cli_kernel (int argc, char **argv)
{
  static const char usage[] =
    "Usage: schedlab-cli kernel list|fetch|info [OPTIONS...]\n\n"
    "  list              cached kernels: version, sched_ext, size, path\n"
    "  fetch [SPEC]      download and cache a kernel (default: Debian's newest cloud kernel with sched_ext)\n"
    "  info [SPEC|PATH]  version, compression, BTF, kallsyms, sched_ext, HZ and key struct sizes\n\n"
    "$SCHEDLAB_KERNEL (a path) replaces the default kernel for runs and `info`.\n";

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage, argc < 2 ? stderr : stdout);
      return argc < 2 ? SL_EXIT_USAGE : SL_EXIT_PASS;
    }
  g_autofree char *prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  const char *sub = argv[1];
  argv[1] = prog;
  if (strcmp (sub, "list") == 0)
    return kernel_list (argc - 1, argv + 1);
  if (strcmp (sub, "fetch") == 0)
    return kernel_fetch (argc - 1, argv + 1);
  if (strcmp (sub, "info") == 0)
    return kernel_info (argc - 1, argv + 1);
  g_printerr ("schedlab-cli kernel: unknown subcommand '%s'\n\n%s", sub, usage);
  return SL_EXIT_USAGE;
}
