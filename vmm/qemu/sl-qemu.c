/* sl-qemu.c: accelerator choice and the QEMU command line. */
#include "sl-qemu.h"
#include "sl-types.h"

#include <string.h>
#include <unistd.h>

gboolean
sl_accel_parse (const char *text, SlAccel *out, GError **error)
{
  g_return_val_if_fail (text != NULL && out != NULL, FALSE);
  if (g_str_equal (text, "auto"))
    *out = SL_ACCEL_AUTO;
  else if (g_str_equal (text, "kvm"))
    *out = SL_ACCEL_KVM;
  else if (g_str_equal (text, "tcg"))
    *out = SL_ACCEL_TCG;
  else
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "unknown accelerator '%s' (auto, kvm or tcg)", text);
      return FALSE;
    }
  return TRUE;
}

const char *
sl_accel_name (SlAccel accel)
{
  switch (accel)
    {
    case SL_ACCEL_KVM: return "kvm";
    case SL_ACCEL_TCG: return "tcg";
    case SL_ACCEL_AUTO: default: return "auto";
    }
}

gboolean
sl_accel_kvm_usable (char **reason)
{
  const char *why = NULL;
  g_autofree char *cpuinfo = NULL;
  if (!g_file_test ("/dev/kvm", G_FILE_TEST_EXISTS))
    why = "/dev/kvm does not exist";
  else if (g_file_test ("/sys/module/kvm_pvm", G_FILE_TEST_EXISTS))
    why = "/dev/kvm is backed by kvm_pvm, which cannot run a stock kernel";
  else if (!g_file_test ("/sys/module/kvm_intel", G_FILE_TEST_EXISTS)
           && !g_file_test ("/sys/module/kvm_amd", G_FILE_TEST_EXISTS))
    why = "neither kvm_intel nor kvm_amd is loaded";
  else if (!g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL)
           || (strstr (cpuinfo, " vmx") == NULL && strstr (cpuinfo, " svm") == NULL))
    why = "the CPU flags show neither vmx nor svm";
  else if (access ("/dev/kvm", R_OK | W_OK) != 0)
    why = "/dev/kvm is not accessible";
  if (reason != NULL)
    *reason = why ? g_strdup (why) : NULL;
  return why == NULL;
}

SlAccel
sl_accel_resolve (SlAccel requested, char **why)
{
  if (why != NULL)
    *why = NULL;
  if (requested != SL_ACCEL_AUTO)
    return requested;
  return sl_accel_kvm_usable (why) ? SL_ACCEL_KVM : SL_ACCEL_TCG;
}

guint64
sl_host_tsc_khz (void)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return 0;
  const char *p = strstr (text, "cpu MHz");
  if (p == NULL || (p = strchr (p, ':')) == NULL)
    return 0;
  double mhz = g_ascii_strtod (p + 1, NULL);
  return mhz > 0 && mhz < 100000 ? (guint64) (mhz * 1000.0 + 0.5) : 0;
}

gboolean
sl_qemu_check_topology (const SlTopology *t, GError **error)
{
  g_return_val_if_fail (t != NULL, FALSE);
  if (t->numa_nodes == 0 || t->llcs == 0 || t->cores_per_llc == 0 || t->threads_per_core == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "topology: every dimension must be at least 1");
      return FALSE;
    }
  guint64 n = (guint64) t->numa_nodes * t->llcs * t->cores_per_llc * t->threads_per_core;
  if (n > 256)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "topology: %" G_GUINT64_FORMAT " CPUs (at most 256)", n);
      return FALSE;
    }
  return TRUE;
}

SlMachine
sl_qemu_pick_machine (const SlQemuConfig *cfg)
{
  if (cfg->machine != SL_MACHINE_AUTO)
    return cfg->machine;
  /* microvm supports neither dies nor (without more work) NUMA memory nodes. */
  if (cfg->topology.llcs == 1 && cfg->topology.numa_nodes == 1)
    return SL_MACHINE_MICROVM;
  return SL_MACHINE_Q35;
}

char *
sl_qemu_kernel_cmdline (const SlQemuConfig *cfg)
{
  GString *s = g_string_new ("console=ttyS0 panic=-1 quiet loglevel=4");
  if (cfg->accel == SL_ACCEL_TCG)
    {
      guint64 khz = sl_host_tsc_khz ();
      guint hz = cfg->kernel_hz ? cfg->kernel_hz : 250;
      /* tsc=reliable keeps the tsc clocksource (TCG marks it unstable, leaving
       * jiffies with 4 ms resolution); tsc_early_khz avoids a calibration hang on
       * microvm; lpj skips calibrate_delay for every secondary CPU. */
      g_string_append (s, " tsc=reliable");
      if (khz > 0)
        g_string_append_printf (s, " tsc_early_khz=%" G_GUINT64_FORMAT " lpj=%" G_GUINT64_FORMAT,
                                khz, khz * 1000 / hz);
    }
  if (cfg->append != NULL && *cfg->append)
    g_string_append_printf (s, " %s", cfg->append);
  return g_string_free (s, FALSE);
}

GStrv
sl_qemu_build_argv (const SlQemuConfig *cfg, GError **error)
{
  g_return_val_if_fail (cfg != NULL && cfg->kernel != NULL && cfg->initrd != NULL, NULL);
  g_return_val_if_fail (cfg->accel != SL_ACCEL_AUTO, NULL);
  g_return_val_if_fail (cfg->qmp_socket != NULL && cfg->control_socket != NULL, NULL);
  const SlTopology *t = &cfg->topology;
  if (!sl_qemu_check_topology (t, error))
    return NULL;
  guint mem = cfg->memory_mb ? cfg->memory_mb : 1024;
  if (mem < 128 || mem % t->numa_nodes != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED,
                   "memory: %u MiB (at least 128, divisible by the %u NUMA nodes)", mem, t->numa_nodes);
      return NULL;
    }
  guint ncpus = sl_topology_n_cpus (t);
  guint dies = t->llcs;   /* LLCs per node */
  SlMachine machine = sl_qemu_pick_machine (cfg);
  if (machine == SL_MACHINE_MICROVM && (dies > 1 || t->numa_nodes > 1))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "microvm cannot model more than one LLC or NUMA node; use q35");
      return NULL;
    }

  GStrvBuilder *b = g_strv_builder_new ();
  g_strv_builder_add (b, cfg->qemu_binary ? cfg->qemu_binary : "qemu-system-x86_64");
  g_strv_builder_add_many (b, "-nodefaults", "-display", "none", "-no-reboot", "-no-user-config", NULL);
  /* Guest RAM is a shared memfd so the host can map it (guest-memory reads). */
  g_autofree char *machine_arg = NULL;
  if (t->numa_nodes == 1)
    machine_arg = g_strdup_printf ("%s,memory-backend=sl-mem",
                                   machine == SL_MACHINE_MICROVM ? "microvm" : "q35");
  else
    machine_arg = g_strdup ("q35");
  g_strv_builder_add_many (b, "-M", machine_arg, NULL);
  if (cfg->accel == SL_ACCEL_KVM)
    g_strv_builder_add_many (b, "-accel", "kvm", "-cpu", "host,-arch-capabilities", NULL);
  else
    /* TCG's "max" CPU says AuthenticAMD without topoext; Linux then derives the
     * LLC from the package and ignores dies. With the Intel vendor it reads the
     * L3 sharing from CPUID leaf 4, which QEMU reports per die. */
    g_strv_builder_add_many (b, "-accel", cfg->tcg_single_thread ? "tcg,thread=single" : "tcg",
                             "-cpu", "max,vendor=GenuineIntel", NULL);
  g_autofree char *smp = dies > 1
    ? g_strdup_printf ("%u,sockets=%u,dies=%u,cores=%u,threads=%u", ncpus, t->numa_nodes, dies,
                       t->cores_per_llc, t->threads_per_core)
    : g_strdup_printf ("%u,sockets=%u,cores=%u,threads=%u", ncpus, t->numa_nodes,
                       t->cores_per_llc, t->threads_per_core);
  g_autofree char *memarg = g_strdup_printf ("%uM", mem);
  g_strv_builder_add_many (b, "-smp", smp, "-m", memarg, NULL);
  if (t->numa_nodes == 1)
    {
      g_autofree char *obj = g_strdup_printf ("memory-backend-memfd,id=sl-mem,size=%uM,share=on", mem);
      g_strv_builder_add_many (b, "-object", obj, NULL);
    }
  else
    {
      guint per_node = ncpus / t->numa_nodes;
      for (guint n = 0; n < t->numa_nodes; n++)
        {
          g_autofree char *obj = g_strdup_printf ("memory-backend-memfd,id=sl-mem%u,size=%uM,share=on",
                                                  n, mem / t->numa_nodes);
          g_autofree char *node = g_strdup_printf ("node,nodeid=%u,memdev=sl-mem%u,cpus=%u-%u",
                                                   n, n, n * per_node, (n + 1) * per_node - 1);
          g_strv_builder_add_many (b, "-object", obj, "-numa", node, NULL);
        }
    }
  g_autofree char *cmdline = sl_qemu_kernel_cmdline (cfg);
  g_strv_builder_add_many (b, "-kernel", cfg->kernel, "-initrd", cfg->initrd, "-append", cmdline, NULL);
  /* ttyS0 = console on QEMU's stdout; ttyS1 = the control channel. */
  g_autofree char *ctl = g_strdup_printf ("socket,id=sl-ctl,path=%s", cfg->control_socket);
  g_autofree char *qmp = g_strdup_printf ("unix:%s,server=on,wait=off", cfg->qmp_socket);
  g_strv_builder_add_many (b, "-chardev", "stdio,id=sl-con,signal=off", "-serial", "chardev:sl-con",
                           /* microvm creates only one UART for -serial; add the second by hand. */
                           "-chardev", ctl, "-device", "isa-serial,chardev=sl-ctl,index=1",
                           "-qmp", qmp, NULL);
  GStrv argv = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return argv;
}
