/* test-vm-config.c: what `run` and `test` record about the scheduler they
 * were asked for, and how recorded kernels map back to kernel specs. */
#include <glib.h>

#include "cli-vm-config.h"
#include "sl-run.h"

static void
check_label (const char *scheduler, const char *const *args, const char *want, const char *want_args)
{
  g_autofree char *label = NULL;
  g_auto(GStrv) label_args = NULL;
  g_autofree char *joined = NULL;

  sl_scheduler_label (scheduler, args, &label, &label_args);
  g_assert_cmpstr (label, ==, want);
  joined = g_strjoinv (" ", label_args);
  g_assert_cmpstr (joined, ==, want_args);
}

static void
test_scheduler_label (void)
{
  /* The bundled loader, by whatever path, is recorded by the scheduler's name. */
  check_label ("/some/build/vmm/guest/schedulers/sl-sched",
               (const char *const[]) { "--scheduler", "sl_vtime", "--bug=stall", NULL }, "sl_vtime", "--bug=stall");
  check_label ("sl-sched", (const char *const[]) { "--scheduler", "sl_fifo", NULL }, "sl_fifo", "");
  /* A bundled name is recorded as given. */
  check_label ("sl_vtime", (const char *const[]) { "--bug=imbalance", NULL }, "sl_vtime", "--bug=imbalance");
  /* The loader without a scheduler name, and users' binaries, stay as given. */
  check_label ("/x/sl-sched", (const char *const[]) { "--bug=stall", NULL }, "/x/sl-sched", "--bug=stall");
  check_label ("/x/sl-sched", (const char *const[]) { "--scheduler", "", NULL }, "/x/sl-sched", "--scheduler ");
  check_label ("/opt/scx/scx_lavd", (const char *const[]) { "--slice-us", "5000", NULL }, "/opt/scx/scx_lavd",
               "--slice-us 5000");
  check_label ("/opt/scx/scx_simple", NULL, "/opt/scx/scx_simple", "");
  /* No scheduler: no label. */
  check_label (NULL, NULL, NULL, "");
}

static void
test_kernel_spec (void)
{
  g_autofree char *a = sl_cli_kernel_spec ("debian:linux-binary-7.3.4+deb13-cloud-amd64");
  g_autofree char *b = sl_cli_kernel_spec ("/boot/vmlinuz-custom");

  g_assert_cmpstr (a, ==, "7.3.4+deb13-cloud-amd64");
  g_assert_cmpstr (b, ==, "/boot/vmlinuz-custom");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/vm-config/scheduler-label", test_scheduler_label);
  g_test_add_func ("/cli/vm-config/kernel-spec", test_kernel_spec);
  return g_test_run ();
}
