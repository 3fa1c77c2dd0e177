/* sl-vm.h: one QEMU process and everything it leaves on the host.
 *
 * The VM owns a private 0700 runtime directory (QMP socket, control socket,
 * initramfs), the QEMU process (which dies with us: PR_SET_PDEATHSIG), the QMP
 * connection and the accepted control-channel connection. sl_vm_teardown()
 * (also called by sl_vm_free) quits or kills QEMU, reaps it, and removes every
 * file and the directory, whatever state the guest is in. */
#pragma once

#include <gio/gio.h>
#include "sl-qemu.h"
#include "sl-qmp.h"

G_BEGIN_DECLS

typedef struct _SlVm SlVm;

/* Creates the runtime directory and listens on its control socket. */
SlVm       *sl_vm_new (GError **error);
const char *sl_vm_get_runtime_dir (SlVm *vm);
/* Path for a file inside the runtime directory (removed at teardown). */
char       *sl_vm_runtime_path (SlVm *vm, const char *name);

/* Fills cfg->qmp_socket/control_socket, spawns QEMU with stdout (the guest
 * console) on a pipe, connects QMP and reads the vCPU threads.
 * `console` is called for each console line on the thread-default main context. */
typedef void (*SlVmLineFunc) (const char *line, gpointer user_data);
gboolean    sl_vm_start (SlVm *vm, SlQemuConfig *cfg, SlVmLineFunc console, gpointer user_data,
                         GError **error);
/* Waits (bounded) until QEMU connects to the control socket. */
GSocketConnection *sl_vm_accept_control (SlVm *vm, guint timeout_ms, GError **error);

SlQmp      *sl_vm_get_qmp (SlVm *vm);
GPid        sl_vm_get_pid (SlVm *vm);
const GArray *sl_vm_get_vcpus (SlVm *vm);       /* SlQmpVcpu */
gboolean    sl_vm_is_running (SlVm *vm);
/* QEMU's exit status once it has exited (-1 before). */
int         sl_vm_get_exit_status (SlVm *vm);
GSubprocess *sl_vm_get_subprocess (SlVm *vm);

/* Host CPU time of every vCPU thread (SlVcpuTime), from schedstat. */
GArray     *sl_vm_read_vcpu_times (SlVm *vm, GError **error);
/* Reads /proc/<pid>/task/<tid>/schedstat. */
gboolean    sl_read_schedstat (GPid pid, gint tid, guint64 *run_ns, guint64 *wait_ns,
                               guint64 *slices, GError **error);

/* QMP quit (bounded), then SIGKILL if needed; reaps QEMU; removes the runtime dir. */
void        sl_vm_teardown (SlVm *vm);
void        sl_vm_free (SlVm *vm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlVm, sl_vm_free)

G_END_DECLS
