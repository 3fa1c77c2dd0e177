/* sl-introspector.c: BPF maps, scheduler identity, per-CPU times and monitor
 * snapshot from a frozen guest. */
#include "sl-introspector.h"
#include "sl-bpf-maps.h"
#include "sl-guest-kernel.h"
#include "sl-guest-ram.h"
#include "sl-kallsyms.h"
#include "sl-monitor-read.h"
#include "sl-types.h"
#include "sl-vm.h"

#include <bpf/btf.h>
#include <gelf.h>
#include <fcntl.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

#define FINGERPRINT_LEN 96

struct _SlIntrospector {
  struct btf      *btf;
  SlKallsyms      *ks;
  guint8           fingerprint[FINGERPRINT_LEN];
  gsize            fingerprint_len;
  SlGuestMem      *flat;          /* sl_introspector_new: RAM at GPA 0 */
  SlGuestRam      *ram;           /* attach_qemu */
  SlGuestKernel   *gk;
  SlBpfMaps       *maps;
  guint64          byte_budget;
  guint            time_ms;
  GPtrArray       *unavailable;
  guint64          last_read_us;
  gboolean         deferred;
  gboolean         defer_next;    /* prepare() was called: this capture defers */
  SlMonitorSample *pending_monitor;
};

static gboolean
kallsyms_lookup (gpointer data, const char *name, guint64 *address)
{
  return sl_kallsyms_lookup (data, name, address);
}

/* linux_banner's bytes from the image: what the kernel looks like in guest RAM. */
static gboolean
read_fingerprint (SlIntrospector *in, const char *vmlinux, GError **error)
{
  guint64 banner;
  if (!sl_kallsyms_lookup (in->ks, "linux_banner", &banner))
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_NOT_FOUND, "the kernel has no linux_banner symbol");
      return FALSE;
    }
  if (elf_version (EV_CURRENT) == EV_NONE)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_FAILED, "libelf is unusable");
      return FALSE;
    }
  int fd = open (vmlinux, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_IO, "%s: %s", vmlinux, g_strerror (errno));
      return FALSE;
    }
  Elf *elf = elf_begin (fd, ELF_C_READ, NULL);
  gboolean ok = FALSE;
  size_t n = 0;
  if (elf != NULL && elf_getphdrnum (elf, &n) == 0)
    for (size_t i = 0; i < n && !ok; i++)
      {
        GElf_Phdr ph;
        if (gelf_getphdr (elf, (int) i, &ph) == NULL || ph.p_type != PT_LOAD)
          continue;
        if (banner < ph.p_vaddr || banner + FINGERPRINT_LEN > ph.p_vaddr + ph.p_filesz)
          continue;
        ok = pread (fd, in->fingerprint, FINGERPRINT_LEN, (off_t) (ph.p_offset + (banner - ph.p_vaddr)))
             == FINGERPRINT_LEN;
      }
  if (elf != NULL)
    elf_end (elf);
  close (fd);
  if (!ok)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "%s: linux_banner is not in a loadable segment", vmlinux);
      return FALSE;
    }
  /* The banner is a C string; compare up to its end only (what follows may change). */
  in->fingerprint_len = strnlen ((const char *) in->fingerprint, FINGERPRINT_LEN);
  return in->fingerprint_len > 16 || (g_set_error_literal (error, SL_ERROR, SL_ERROR_FAILED,
                                                           "linux_banner is too short to identify the kernel"), FALSE);
}

static SlIntrospector *
new_from_files (const char *vmlinux, const char *btf_path, const char *kallsyms_path, GError **error)
{
  g_autoptr(SlIntrospector) in = g_new0 (SlIntrospector, 1);
  in->byte_budget = SL_INTROSPECT_DEFAULT_BYTE_BUDGET;
  in->time_ms = SL_INTROSPECT_DEFAULT_TIME_MS;
  in->unavailable = g_ptr_array_new_with_free_func (g_free);
  in->btf = btf_path != NULL ? btf__parse_raw (btf_path) : btf__parse_elf (vmlinux, NULL);
  if (in->btf == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "cannot read kernel BTF from %s", btf_path ? btf_path : vmlinux);
      return NULL;
    }
  if (kallsyms_path != NULL)
    in->ks = sl_kallsyms_load (kallsyms_path, error);
  else
    {
      g_autoptr(GMappedFile) mf = g_mapped_file_new (vmlinux, FALSE, error);
      if (mf != NULL)
        in->ks = sl_kallsyms_decode_elf ((const guint8 *) g_mapped_file_get_contents (mf),
                                         g_mapped_file_get_length (mf), error);
    }
  if (in->ks == NULL || !read_fingerprint (in, vmlinux, error))
    return NULL;
  return g_steal_pointer (&in);
}

SlIntrospector *
sl_introspector_new (const SlKernel *k, const guint8 *guest_ram, gsize ram_size, GError **error)
{
  g_return_val_if_fail (k != NULL && k->vmlinux != NULL && guest_ram != NULL && ram_size > 0, NULL);
  SlIntrospector *in = new_from_files (k->vmlinux, k->btf, k->kallsyms, error);
  if (in != NULL)
    in->flat = sl_guest_mem_new_flat (guest_ram, ram_size);
  return in;
}

SlIntrospector *
sl_introspector_new_for_vmlinux (const char *vmlinux, GError **error)
{
  g_return_val_if_fail (vmlinux != NULL, NULL);
  g_autofree char *dir = g_path_get_dirname (vmlinux);
  g_autofree char *btf = g_build_filename (dir, "btf", NULL);
  g_autofree char *ks = g_build_filename (dir, "kallsyms", NULL);
  return new_from_files (vmlinux, g_file_test (btf, G_FILE_TEST_IS_REGULAR) ? btf : NULL,
                         g_file_test (ks, G_FILE_TEST_IS_REGULAR) ? ks : NULL, error);
}

gboolean
sl_introspector_attach_qemu (SlIntrospector *in, GPid pid, GError **error)
{
  g_return_val_if_fail (in != NULL, FALSE);
  SlGuestRam *ram = sl_guest_ram_map_qemu (pid, error);
  if (ram == NULL)
    return FALSE;
  g_clear_pointer (&in->maps, sl_bpf_maps_free);
  g_clear_pointer (&in->gk, sl_guest_kernel_free);
  g_clear_pointer (&in->ram, sl_guest_ram_free);
  in->ram = ram;
  return TRUE;
}

void
sl_introspector_free (SlIntrospector *in)
{
  if (in == NULL)
    return;
  sl_bpf_maps_free (in->maps);
  sl_guest_kernel_free (in->gk);
  sl_guest_ram_free (in->ram);
  sl_guest_mem_free (in->flat);
  if (in->pending_monitor)
    sl_monitor_sample_free (in->pending_monitor);
  btf__free (in->btf);
  sl_kallsyms_free (in->ks);
  if (in->unavailable)
    g_ptr_array_unref (in->unavailable);
  g_free (in);
}

void
sl_introspector_set_budget (SlIntrospector *in, guint64 bytes, guint time_ms)
{
  g_return_if_fail (in != NULL);
  in->byte_budget = bytes;
  in->time_ms = time_ms;
}

const GPtrArray *
sl_introspector_get_unavailable (SlIntrospector *in)
{
  return in->unavailable;
}

guint64
sl_introspector_last_read_us (SlIntrospector *in)
{
  return in->last_read_us;
}

static gboolean
ensure_kernel (SlIntrospector *in, GError **error)
{
  if (in->gk != NULL)
    return TRUE;
  const SlGuestMem *mem = in->ram ? sl_guest_ram_get_mem (in->ram) : in->flat;
  if (mem == NULL)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_FAILED, "no guest RAM attached");
      return FALSE;
    }
  in->gk = sl_guest_kernel_new (mem, in->btf, kallsyms_lookup, in->ks, in->fingerprint, in->fingerprint_len,
                                SL_GUEST_MAX_CPUS, error);
  if (in->gk == NULL)
    return FALSE;
  in->maps = sl_bpf_maps_new (in->gk);
  sl_bpf_maps_set_deferred (in->maps, in->deferred);
  return TRUE;
}

void
sl_introspector_set_deferred (SlIntrospector *in, gboolean deferred)
{
  g_return_if_fail (in != NULL);
  in->deferred = deferred;
  if (in->maps != NULL)
    sl_bpf_maps_set_deferred (in->maps, deferred);
}


void
sl_introspector_thaw (SlIntrospector *in)
{
  g_return_if_fail (in != NULL);
  if (in->maps == NULL || in->gk == NULL)
    return;
  SlKread kr;
  sl_guest_kernel_reader (in->gk, &kr, in->byte_budget, in->time_ms);
  sl_bpf_maps_render_pending (in->maps, &kr);
}

void
sl_introspector_prepare (SlIntrospector *in)
{
  g_return_if_fail (in != NULL);
  /* Locating the kernel and indexing its enums take a while once; do it while
   * the guest still runs (the image's place, phys_base and the per-CPU offsets
   * are fixed once it has booted). A failure is retried inside the capture. */
  if (in->gk == NULL && (in->ram != NULL || in->flat != NULL) && ensure_kernel (in, NULL))
    {
      gint64 v;
      SlKfield f;
      sl_ktypes_enum_value (in->gk->types, "CPUTIME_USER", &v, NULL);
      sl_ktypes_member (in->gk->types, "bpf_map", "name", &f, NULL);
    }
  malloc_trim (0);
  in->defer_next = TRUE;
}

static void
keep_first (GError **dst, GError *e, const char *part)
{
  if (e == NULL)
    return;
  if (dst != NULL && *dst == NULL)
    {
      g_prefix_error (&e, "%s: ", part);
      g_propagate_error (dst, e);
    }
  else
    g_error_free (e);
}

gboolean
sl_introspector_capture_full (SlIntrospector *in, SlReport *report, SlMonitorSample *monitor,
                              const GArray *vcpu_times, GError **error)
{
  g_return_val_if_fail (in != NULL && report != NULL, FALSE);
  gint64 t0 = g_get_monotonic_time ();
  if (!ensure_kernel (in, error))
    return FALSE;
  sl_bpf_maps_drop_pending (in->maps);   /* a capture whose thaw never came */
  sl_bpf_maps_set_deferred (in->maps, in->deferred || in->defer_next);
  in->defer_next = FALSE;
  SlKread kr;
  sl_guest_kernel_reader (in->gk, &kr, in->byte_budget, in->time_ms);
  GError *first = NULL;
  GError *e = NULL;

  if (!sl_bpf_maps_capture (in->maps, &kr, report, &e))
    keep_first (&first, e, "BPF maps");
  else
    sl_bpf_maps_identify_active (in->maps, &kr, report);
  e = NULL;
  if (report->per_cpu_time == NULL)
    report->per_cpu_time = g_array_new (FALSE, FALSE, sizeof (SlPerCpuTime));
  if (!sl_host_read_per_cpu_time (in->gk, &kr, report->per_cpu_time, in->unavailable, &e))
    keep_first (&first, e, "per-CPU times");
  e = NULL;
  if (monitor != NULL)
    {
      if (monitor->cpus == NULL)
        monitor->cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot));
      if (!sl_monitor_read_cpus (in->gk, &kr, vcpu_times, monitor, in->unavailable, &e))
        keep_first (&first, e, "monitor");
    }
  in->last_read_us = (guint64) (g_get_monotonic_time () - t0);
  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }
  return TRUE;
}

gboolean
sl_introspector_capture (SlIntrospector *in, SlReport *report, SlMonitorSample *monitor, GError **error)
{
  return sl_introspector_capture_full (in, report, monitor, NULL, error);
}

gboolean
sl_introspector_freeze_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error)
{
  SlIntrospector *in = user_data;
  if (in->ram == NULL && in->flat == NULL && !sl_introspector_attach_qemu (in, sl_vm_get_pid (vm), error))
    return FALSE;
  if (in->pending_monitor)
    sl_monitor_sample_free (in->pending_monitor);
  in->pending_monitor = g_new0 (SlMonitorSample, 1);
  in->pending_monitor->cpus = g_array_new (FALSE, FALSE, sizeof (SlCpuSnapshot));
  in->pending_monitor->elapsed_ms = sample->elapsed_ms.set ? sample->elapsed_ms.v : 0;
  gboolean ok = sl_introspector_capture_full (in, sample->report, in->pending_monitor, sample->vcpu_times, error);
  if (in->pending_monitor->cpus->len == 0)
    g_clear_pointer (&in->pending_monitor, sl_monitor_sample_free);
  return ok;
}

gboolean
sl_introspector_before_freeze_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error)
{
  SlIntrospector *in = user_data;
  /* Map the RAM now, so prepare() can locate the kernel while the guest runs. */
  if (in->ram == NULL && in->flat == NULL)
    sl_introspector_attach_qemu (in, sl_vm_get_pid (vm), NULL);
  sl_introspector_prepare (in);
  return TRUE;
}

gboolean
sl_introspector_after_thaw_hook (SlVm *vm, SlSample *sample, gpointer user_data, GError **error)
{
  sl_introspector_thaw (user_data);
  return TRUE;
}

SlMonitorSample *
sl_introspector_take_monitor_sample_hook (gpointer user_data)
{
  return sl_introspector_take_monitor_sample (user_data);
}

SlMonitorSample *
sl_introspector_take_monitor_sample (SlIntrospector *in)
{
  g_return_val_if_fail (in != NULL, NULL);
  return g_steal_pointer (&in->pending_monitor);
}
