/* Unit tests of the QEMU command line: topology mapping (LLC = die), machine
 * choice, shared guest RAM, channels, the tuned kernel command line. */
#include "sl-qemu.h"
#include "sl-guest-channel.h"
#include "sl-types.h"

#include <string.h>

static gboolean
has_pair (char **argv, const char *opt, const char *value)
{
  for (guint i = 0; argv[i] && argv[i + 1]; i++)
    if (g_str_equal (argv[i], opt) && g_str_equal (argv[i + 1], value))
      return TRUE;
  return FALSE;
}

static const char *
value_of (char **argv, const char *opt)
{
  for (guint i = 0; argv[i] && argv[i + 1]; i++)
    if (g_str_equal (argv[i], opt))
      return argv[i + 1];
  return NULL;
}

static SlQemuConfig
base_config (guint n, guint l, guint c, guint t)
{
  SlQemuConfig cfg = {
    .kernel = "/k/vmlinux",
    .initrd = "/r/initrd.cpio",
    .append = "sl_cpus=2",
    .topology = { n, l, c, t },
    .memory_mb = 1024,
    .accel = SL_ACCEL_TCG,
    .qmp_socket = "/r/qmp.sock",
    .control_socket = "/r/ctl.sock",
  };
  return cfg;
}

static void
test_single_llc_microvm (void)
{
  SlQemuConfig cfg = base_config (1, 1, 2, 1);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (argv[0], ==, "qemu-system-x86_64");
  g_assert_true (has_pair (argv, "-M", "microvm,memory-backend=sl-mem"));
  g_assert_true (has_pair (argv, "-smp", "2,sockets=1,cores=2,threads=1"));
  g_assert_true (has_pair (argv, "-object", "memory-backend-memfd,id=sl-mem,size=1024M,share=on"));
  g_assert_true (has_pair (argv, "-accel", "tcg"));
  g_assert_true (has_pair (argv, "-cpu", "max,vendor=GenuineIntel"));
  g_assert_true (has_pair (argv, "-kernel", "/k/vmlinux"));
  g_assert_true (has_pair (argv, "-qmp", "unix:/r/qmp.sock,server=on,wait=off"));
  g_assert_true (has_pair (argv, "-chardev", "socket,id=sl-ctl,path=/r/ctl.sock"));
  g_assert_true (has_pair (argv, "-device", "isa-serial,chardev=sl-ctl,index=1"));
  g_assert_true (g_strv_contains ((const char *const *) argv, "-no-reboot"));
  g_assert_null (value_of (argv, "-numa"));
  const char *append = value_of (argv, "-append");
  g_assert_nonnull (strstr (append, "console=ttyS0"));
  g_assert_nonnull (strstr (append, "panic=-1"));
  g_assert_nonnull (strstr (append, "tsc=reliable"));
  g_assert_true (g_str_has_suffix (append, " sl_cpus=2"));
  if (sl_host_tsc_khz () > 0)
    {
      g_assert_nonnull (strstr (append, "tsc_early_khz="));
      g_assert_nonnull (strstr (append, "lpj="));
    }
}

static void
test_llcs_as_dies_and_numa (void)
{
  /* 2 nodes × 2 LLCs (dies) per node × 2 cores × 2 threads = 16 CPUs. */
  SlQemuConfig cfg = base_config (2, 2, 2, 2);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, &error);
  g_assert_no_error (error);
  g_assert_true (has_pair (argv, "-M", "q35"));
  g_assert_true (has_pair (argv, "-smp", "16,sockets=2,dies=2,cores=2,threads=2"));
  g_assert_true (has_pair (argv, "-numa", "node,nodeid=0,memdev=sl-mem0,cpus=0-7"));
  g_assert_true (has_pair (argv, "-numa", "node,nodeid=1,memdev=sl-mem1,cpus=8-15"));
  g_assert_true (has_pair (argv, "-object", "memory-backend-memfd,id=sl-mem1,size=512M,share=on"));
}

static void
test_llcs_single_node (void)
{
  SlQemuConfig cfg = base_config (1, 2, 2, 1);
  g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, NULL);
  g_assert_nonnull (argv);
  g_assert_true (has_pair (argv, "-M", "q35,memory-backend=sl-mem"));
  g_assert_true (has_pair (argv, "-smp", "4,sockets=1,dies=2,cores=2,threads=1"));
}

static void
test_kvm (void)
{
  SlQemuConfig cfg = base_config (1, 1, 2, 1);
  cfg.accel = SL_ACCEL_KVM;
  g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, NULL);
  g_assert_true (has_pair (argv, "-accel", "kvm"));
  g_assert_true (has_pair (argv, "-cpu", "host,-arch-capabilities"));
  g_assert_null (strstr (value_of (argv, "-append"), "tsc_early_khz"));
  cfg.accel = SL_ACCEL_TCG;
  cfg.tcg_single_thread = TRUE;
  g_auto(GStrv) argv2 = sl_qemu_build_argv (&cfg, NULL);
  g_assert_true (has_pair (argv2, "-accel", "tcg,thread=single"));
}

static void
test_bad_topologies (void)
{
  const SlTopology bad[] = { { 0, 1, 1, 1 }, { 1, 0, 1, 1 }, { 1, 1, 0, 1 }, { 1, 1, 300, 1 }, { 4, 4, 4, 8 } };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      SlQemuConfig cfg = base_config (1, 1, 1, 1);
      cfg.topology = bad[i];
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, &error);
      g_assert_null (argv);
      g_assert_nonnull (error);
    }
  SlQemuConfig cfg = base_config (1, 1, 1, 1);
  cfg.memory_mb = 64;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = sl_qemu_build_argv (&cfg, &error);
  g_assert_null (argv);
}

static void
test_accel_parse (void)
{
  SlAccel a;
  g_assert_true (sl_accel_parse ("auto", &a, NULL) && a == SL_ACCEL_AUTO);
  g_assert_true (sl_accel_parse ("kvm", &a, NULL) && a == SL_ACCEL_KVM);
  g_assert_true (sl_accel_parse ("tcg", &a, NULL) && a == SL_ACCEL_TCG);
  g_autoptr(GError) error = NULL;
  g_assert_false (sl_accel_parse ("hvf", &a, &error));
  g_assert_nonnull (error);
  /* AUTO never stays AUTO; an explicit choice is kept. */
  g_autofree char *why = NULL;
  g_assert_cmpint (sl_accel_resolve (SL_ACCEL_AUTO, &why), !=, SL_ACCEL_AUTO);
  g_assert_cmpint (sl_accel_resolve (SL_ACCEL_TCG, NULL), ==, SL_ACCEL_TCG);
  /* /dev/kvm backed by kvm_pvm must never count as usable. */
  if (g_file_test ("/sys/module/kvm_pvm", G_FILE_TEST_EXISTS))
    g_assert_false (sl_accel_kvm_usable (NULL));
}

static void
test_guest_message_parse (void)
{
  g_autoptr(GError) error = NULL;
  const char *ok = "{\"t\":\"step_start\",\"elapsed_ms\":5,\"step\":1,\"seq\":4}";
  g_autoptr(JsonObject) o = sl_guest_message_parse (ok, strlen (ok), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (o, "t"), ==, "step_start");
  const char *bad[] = { "[1,2]", "{\"t\":5}", "{\"x\":\"y\"}", "{\"t\":\"a\"", "\xff\xfe" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(JsonObject) b = sl_guest_message_parse (bad[i], strlen (bad[i]), &e);
      g_assert_null (b);
      g_assert_nonnull (e);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/qemu-argv/single-llc-microvm", test_single_llc_microvm);
  g_test_add_func ("/qemu-argv/llcs-as-dies-and-numa", test_llcs_as_dies_and_numa);
  g_test_add_func ("/qemu-argv/llcs-single-node", test_llcs_single_node);
  g_test_add_func ("/qemu-argv/kvm", test_kvm);
  g_test_add_func ("/qemu-argv/bad-topologies", test_bad_topologies);
  g_test_add_func ("/qemu-argv/accel", test_accel_parse);
  g_test_add_func ("/guest-channel/parse", test_guest_message_parse);
  return g_test_run ();
}
