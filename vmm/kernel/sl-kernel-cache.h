/* sl-kernel-cache.h: the on-disk kernel cache (internal to vmm/kernel).
 *
 * <root>/kernels/<name>/{vmlinux, vmlinuz?, config?, btf, kallsyms, info.json}
 * <root>/kernels/default      the pinned name of the resolved "default" kernel
 * <root>/kernels/.lock        flock()ed while the cache is being changed
 * New entries are written into <root>/kernels/.tmp-XXXXXX and renamed into place. */
#pragma once

#include "sl-kernel.h"

G_BEGIN_DECLS

/* Blocks until this process holds the cache lock; returns the fd to pass to unlock. */
int       sl_kernel_cache_lock (const char *root, GCancellable *cancellable, GError **error);
void      sl_kernel_cache_unlock (int fd);

char     *sl_kernel_cache_kernels_dir (const char *root);
/* Creates a staging directory next to the final entries. */
char     *sl_kernel_cache_stage (const char *root, GError **error);
/* Renames `stage` to kernels/<name>, replacing an older entry of that name. */
gboolean  sl_kernel_cache_commit (const char *root, const char *stage, const char *name, GError **error);
void      sl_kernel_cache_discard (const char *stage);
/* Removes path and everything below it; symlinks are unlinked, never followed.
 * Best effort: what cannot be removed is left. */
void      sl_kernel_cache_remove_tree (const char *path);
/* Removes staging leftovers of interrupted runs; call with the lock held. */
void      sl_kernel_cache_sweep (const char *root);

char     *sl_kernel_cache_read_pin (const char *root);
gboolean  sl_kernel_cache_write_pin (const char *root, const char *name, GError **error);

/* Writes <dir>/info.json describing `k` (paths are stored relative to dir). */
gboolean  sl_kernel_info_write (const SlKernel *k, const char *dir, const char *banner,
                                const char *package_version, GError **error);

/* Kernel .config helpers: "y", "m", a number or a string, "n" for "is not set", NULL if absent. */
char           *sl_kconfig_get (const char *config, const char *key);
SlKernelFeature sl_kconfig_feature (const char *config, const char *key);

G_END_DECLS
