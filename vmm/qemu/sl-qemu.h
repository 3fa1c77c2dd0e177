/* sl-qemu.h: building a QEMU command line (argv only, never a shell) and owning
 * the QEMU process of one run.
 *
 * Topology mapping. The guest sees numa_nodes × llcs (per node) × cores_per_llc
 * × threads_per_core CPUs (sl_topology_n_cpus). QEMU has sockets/dies/cores/
 * threads, and it reports the L3 cache as shared by one die. So:
 *   sockets = numa_nodes, dies = llcs (one die = one LLC),
 *   cores = cores_per_llc, threads = threads_per_core,
 * and one -numa node (with its own memfd RAM) per socket.
 * microvm has no dies, so it is used only when every socket holds one LLC;
 * other shapes boot on q35 (-nodefaults), which is a little slower. Under TCG
 * the CPU model is "max" with the Intel vendor, so the guest reads the L3
 * sharing from CPUID leaf 4 (the agent checks the LLC count it sees). */
#pragma once

#include <gio/gio.h>
#include "sl-run.h"

G_BEGIN_DECLS

typedef enum {
  SL_ACCEL_AUTO,
  SL_ACCEL_KVM,
  SL_ACCEL_TCG,
} SlAccel;

typedef enum {
  SL_MACHINE_AUTO,
  SL_MACHINE_MICROVM,
  SL_MACHINE_Q35,
} SlMachine;

gboolean    sl_accel_parse (const char *text, SlAccel *out, GError **error);   /* auto|kvm|tcg */
const char *sl_accel_name (SlAccel accel);

/* Whether KVM can run a stock kernel here. /dev/kvm may open on hosts where it
 * cannot (nested PVM, see doc): require a real VMX/SVM module and CPU flag.
 * `reason` says why not. */
gboolean    sl_accel_kvm_usable (char **reason);
/* AUTO → KVM when usable, else TCG. */
SlAccel     sl_accel_resolve (SlAccel requested, char **why);

/* Host TSC rate in kHz (the guest TSC ticks at it under TCG); 0 when unknown. */
guint64     sl_host_tsc_khz (void);

typedef struct {
  const char *qemu_binary;     /* NULL = "qemu-system-x86_64" */
  const char *kernel;          /* uncompressed vmlinux (PVH) or bzImage */
  const char *initrd;
  const char *append;          /* extra kernel arguments (key=value for the agent) */
  SlTopology  topology;
  guint       memory_mb;
  SlAccel     accel;           /* KVM or TCG (resolve AUTO first) */
  SlMachine   machine;
  gboolean    tcg_single_thread; /* -accel tcg,thread=single (avoids MTTCG text-poke races) */
  guint       kernel_hz;       /* for lpj=; 0 = 250 */
  const char *qmp_socket;      /* QEMU listens here */
  const char *control_socket;  /* QEMU connects here (the host listens): ttyS1 */
} SlQemuConfig;

/* Validates the topology against QEMU's model. */
gboolean  sl_qemu_check_topology (const SlTopology *t, GError **error);
SlMachine sl_qemu_pick_machine (const SlQemuConfig *cfg);
/* The kernel command line: console, panic=-1, TCG timing switches, then `append`. */
char     *sl_qemu_kernel_cmdline (const SlQemuConfig *cfg);
GStrv     sl_qemu_build_argv (const SlQemuConfig *cfg, GError **error);

G_END_DECLS
