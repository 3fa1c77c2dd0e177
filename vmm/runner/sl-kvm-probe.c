/* sl-kvm-probe.c: --accel auto's proof that KVM can run a kernel here. */
#include "sl-runner.h"

#include <glib/gstdio.h>

gboolean
sl_runner_probe_kvm (const SlRunnerConfig *base, char **why)
{
  g_return_val_if_fail (base != NULL, FALSE);
  if (why != NULL)
    *why = NULL;
  /* The probe is a real boot of the same kernel and agent under KVM with an
   * empty scenario: a /dev/kvm that opens is not proof that it runs a kernel. */
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScenario) sc = sl_scenario_parse ("scenario kvm-probe\nstep probe\n  hold 1ms\n", "kvm-probe", &error);
  g_autofree char *dir = g_dir_make_tmp ("schedlab-probe-XXXXXX", &error);
  if (sc == NULL || dir == NULL)
    {
      if (why != NULL)
        *why = g_strdup_printf ("KVM probe: %s", error->message);
      return FALSE;
    }
  g_autofree char *out = g_build_filename (dir, "probe.slrun", NULL);
  SlRunnerConfig cfg = {
    .vmlinux = base->vmlinux,
    .kernel_hz = base->kernel_hz,
    .agent_path = base->agent_path,
    .topology = { 1, 1, 1, 1 },
    .memory_mb = 256,
    .accel = SL_ACCEL_KVM,
    .scenario = sc,
    .timeout_s = 60,
    .output = out,
  };
  g_autoptr(SlRunner) probe = sl_runner_new (&cfg);
  gboolean ok = sl_runner_run (probe, &error) && g_strcmp0 (sl_runner_get_end_reason (probe), "finished") == 0;
  if (!ok && why != NULL)
    *why = g_strdup_printf ("KVM could not boot the kernel (%s)",
                            error ? error->message : sl_runner_get_end_reason (probe));
  g_unlink (out);
  g_rmdir (dir);
  return ok;
}
