/* sl-kernel.h: resolving a guest kernel to the files a run needs.
 *
 * A kernel spec is one of:
 *   "default"   Debian's newest cloud-amd64 kernel built with CONFIG_SCHED_CLASS_EXT=y
 *               (pinned in the cache once resolved; $SCHEDLAB_KERNEL overrides it),
 *   a path      a bzImage (vmlinuz) or an uncompressed vmlinux, e.g. a user's own build,
 *   a version   a Debian kernel release such as "7.3.4+deb13-cloud-amd64".
 *
 * Resolution fetches Debian packages with `apt-get download` through a private apt
 * configuration under $XDG_CACHE_HOME/schedlab/apt/ (never installing anything and never
 * touching the host's sources), extracts vmlinuz and the config from the .deb, decompresses
 * the payload into an ELF vmlinux, saves the raw .BTF section and the kallsyms table recovered
 * from the image, and stores everything under
 * $XDG_CACHE_HOME/schedlab/kernels/<version>/{vmlinux,config,btf,kallsyms,info.json}. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  SL_KERNEL_FEATURE_UNKNOWN,   /* no config available (a user's vmlinux without IKCONFIG) */
  SL_KERNEL_FEATURE_NO,
  SL_KERNEL_FEATURE_YES,
} SlKernelFeature;

typedef struct {
  const char *mirror;       /* Debian mirror URI; NULL: schedlab.conf [kernel] mirror=, else the host's apt sources */
  const char *cache_dir;    /* NULL: $XDG_CACHE_HOME/schedlab */
  gboolean    offline;      /* never run apt: only the cache, paths and $SCHEDLAB_KERNEL */
  gboolean    refresh;      /* "default": resolve again instead of using the pinned kernel */
  gboolean    ignore_env;   /* do not honour $SCHEDLAB_KERNEL */
} SlKernelOptions;

typedef enum {
  SL_KERNEL_STAGE_RESOLVE,     /* apt update / picking a package */
  SL_KERNEL_STAGE_DOWNLOAD,
  SL_KERNEL_STAGE_EXTRACT,     /* .deb members */
  SL_KERNEL_STAGE_DECOMPRESS,  /* bzImage payload -> vmlinux */
  SL_KERNEL_STAGE_BTF,
  SL_KERNEL_STAGE_KALLSYMS,
  SL_KERNEL_STAGE_DONE,
} SlKernelStage;

/* Called on the calling thread; `message` is a human-readable line. */
typedef void (*SlKernelProgressFunc) (SlKernelStage stage, const char *message, gpointer user_data);

typedef struct {
  char           *version;        /* kernel release, e.g. "7.3.4+deb13-cloud-amd64" */
  char           *dir;            /* cache directory holding the files below */
  char           *vmlinux;        /* uncompressed ELF vmlinux (boot it with PVH: qemu -kernel) */
  char           *bzimage;        /* the original compressed image, or NULL when given a vmlinux */
  char           *config;         /* kernel .config, or NULL when unknown */
  char           *btf;            /* raw .BTF section (btf__parse_raw), or NULL when the image has none */
  char           *kallsyms;       /* symbol table in /proc/kallsyms format */
  char           *package;        /* Debian package, or NULL for a user's image */
  char           *suite;          /* Debian suite it came from, or NULL */
  char           *build_id;       /* ELF GNU build id (hex), or NULL */
  char           *compression;    /* payload compression ("zstd", "xz", "lz4", "gzip", "none") */
  SlKernelFeature sched_ext;      /* CONFIG_SCHED_CLASS_EXT */
  gboolean        has_sched_ext;  /* sched_ext == YES, or UNKNOWN but `struct sched_ext_ops` is in BTF */
  gboolean        has_btf;
  guint           hz;             /* CONFIG_HZ, 250 when unknown */
  guint64         vmlinux_size;
  guint64         btf_size;
  guint           kallsyms_count;
} SlKernel;

/* Resolves `spec` (NULL means "default") to a cached, verified kernel. Blocking; may take
 * minutes when it downloads. Errors (SL_ERROR domain or GIO's) name what failed: archive
 * unreachable, package gone, unsupported compression, not an x86-64 kernel, no BTF... */
SlKernel *sl_kernel_resolve (const char            *spec,
                             const SlKernelOptions *opts,
                             SlKernelProgressFunc   progress,
                             gpointer               user_data,
                             GCancellable          *cancellable,
                             GError               **error);

/* Loads a kernel that is already in the cache (a directory holding info.json). */
SlKernel *sl_kernel_load_cached (const char *dir, GError **error);

/* Every cached kernel, newest version first. Never fails: unreadable entries are skipped. */
GPtrArray *sl_kernel_list_cached (const SlKernelOptions *opts);   /* element-type SlKernel, owns them */

/* $XDG_CACHE_HOME/schedlab (or opts->cache_dir). */
char *sl_kernel_cache_root (const SlKernelOptions *opts);

void sl_kernel_free (SlKernel *kernel);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlKernel, sl_kernel_free)

const char *sl_kernel_feature_to_string (SlKernelFeature f);   /* "yes", "no", "unknown" */

G_END_DECLS
