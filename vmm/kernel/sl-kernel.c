/* sl-kernel.c: resolving a kernel spec (default / path / Debian release) into the cache. */
#include "sl-kernel.h"
#include "sl-apt.h"
#include "sl-deb.h"
#include "sl-kallsyms.h"
#include "sl-kernel-cache.h"
#include "sl-kernel-image.h"
#include "sl-types.h"

#include <errno.h>
#include <string.h>
#include <bpf/btf.h>
#include <glib/gstdio.h>

#define DEB_MEMBER_MAX ((gsize) 256 << 20)
#define MAX_DEFAULT_TRIES 8

static const char * const default_suites[] = { "trixie-backports", "sid", NULL };

typedef struct {
  const char          *root;
  SlKernelProgressFunc progress;
  gpointer             user_data;
  GCancellable        *cancellable;
} Ctx;

G_GNUC_PRINTF (3, 4) static void
emit (const Ctx *ctx, SlKernelStage stage, const char *fmt, ...)
{
  if (!ctx->progress)
    return;
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  ctx->progress (stage, msg, ctx->user_data);
}

/* --- BTF ------------------------------------------------------------------------------------ */

static gboolean
btf_has_struct (const struct btf *btf, const char *name)
{
  return btf__find_by_name_kind (btf, name, BTF_KIND_STRUCT) > 0;
}

/* Verifies the raw .BTF and the types the host-side readers need. */
static gboolean
check_btf (GBytes *raw, gboolean *has_scx_ops, GError **error)
{
  gsize n;
  const void *d = g_bytes_get_data (raw, &n);
  if (n > G_MAXUINT32)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_TOO_LARGE, "BTF: .BTF section too large");
      return FALSE;
    }
  struct btf *btf = btf__new (d, (guint32) n);
  if (!btf)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT, "BTF: libbpf cannot parse the .BTF section: %s",
                   g_strerror (errno));
      return FALSE;
    }
  static const char * const needed[] = { "rq", "task_struct", "bpf_map" };
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    if (!btf_has_struct (btf, needed[i]))
      {
        g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "BTF: struct %s is missing", needed[i]);
        btf__free (btf);
        return FALSE;
      }
  *has_scx_ops = btf_has_struct (btf, "sched_ext_ops");
  btf__free (btf);
  return TRUE;
}

/* --- turning an image into a cache entry ------------------------------------------------- */

typedef struct {
  GBytes     *image;            /* vmlinuz or vmlinux */
  const char *config;           /* NULL: look for IKCONFIG */
  const char *name;             /* cache entry name; NULL: <version>-<build id> */
  const char *package;
  const char *package_version;
  const char *suite;
} Input;

static gboolean
write_bytes (const char *dir, const char *name, GBytes *b, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize n;
  const char *d = g_bytes_get_data (b, &n);
  return g_file_set_contents (path, d ? d : "", (gssize) n, error);
}

static SlKernel *
process_image (const Ctx *ctx, const Input *in, GError **error)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(SlKernelImage) img = sl_kernel_image_load (in->image, error);
  if (!img)
    return NULL;
  gsize vn;
  const guint8 *vd = g_bytes_get_data (img->vmlinux, &vn);
  if (img->was_bzimage)
    emit (ctx, SL_KERNEL_STAGE_DECOMPRESS, "decompressed the %s payload: %" G_GSIZE_FORMAT " bytes in %.2f s",
          sl_compression_name (img->compression), vn, (double) (g_get_monotonic_time () - t0) / 1e6);

  g_autofree char *name = NULL;
  if (in->name)
    name = g_strdup (in->name);
  else
    name = g_strdup_printf ("%s-%.12s", img->version ? img->version : "unknown",
                            img->build_id ? img->build_id : "nobuildid");

  /* The same build is already cached: nothing to do. */
  g_autofree char *kdir = sl_kernel_cache_kernels_dir (ctx->root);
  g_autofree char *existing = g_build_filename (kdir, name, NULL);
  g_autoptr(SlKernel) cached = sl_kernel_load_cached (existing, NULL);
  if (cached && img->build_id && g_strcmp0 (cached->build_id, img->build_id) == 0 &&
      (cached->config || !in->config))
    return g_steal_pointer (&cached);

  g_autofree char *config = in->config ? g_strdup (in->config) : sl_kernel_image_ikconfig (img->vmlinux);

  emit (ctx, SL_KERNEL_STAGE_BTF, "checking BTF");
  g_autoptr(GBytes) btf = sl_elf_section (img->vmlinux, ".BTF", NULL, error);
  if (!btf)
    {
      if (error && !*error)
        g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                     "no BTF: the kernel has no .BTF section (build it with CONFIG_DEBUG_INFO_BTF=y)");
      return NULL;
    }
  gboolean scx_ops = FALSE;
  if (!check_btf (btf, &scx_ops, error))
    return NULL;

  SlKernelFeature scx = sl_kconfig_feature (config, "SCHED_CLASS_EXT");
  if (scx == SL_KERNEL_FEATURE_YES && !scx_ops)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_CORRUPT,
                   "config says CONFIG_SCHED_CLASS_EXT=y but BTF has no struct sched_ext_ops");
      return NULL;
    }

  emit (ctx, SL_KERNEL_STAGE_KALLSYMS, "recovering kallsyms");
  gint64 t1 = g_get_monotonic_time ();
  g_autoptr(SlKallsyms) ks = sl_kallsyms_decode_elf (vd, vn, error);
  if (!ks)
    return NULL;
  emit (ctx, SL_KERNEL_STAGE_KALLSYMS, "kallsyms: %u symbols in %.2f s", sl_kallsyms_count (ks),
        (double) (g_get_monotonic_time () - t1) / 1e6);

  g_autofree char *stage = sl_kernel_cache_stage (ctx->root, error);
  if (!stage)
    return NULL;

  SlKernel k = { 0 };
  g_autofree char *hz = sl_kconfig_get (config, "HZ");
  guint64 hzv = 0;
  k.version = img->version ? img->version : (char *) "unknown";
  k.package = (char *) in->package;
  k.suite = (char *) in->suite;
  k.build_id = img->build_id;
  k.compression = (char *) sl_compression_name (img->compression);
  k.sched_ext = scx;
  k.has_sched_ext = scx == SL_KERNEL_FEATURE_YES || (scx == SL_KERNEL_FEATURE_UNKNOWN && scx_ops);
  k.hz = hz && g_ascii_string_to_unsigned (hz, 10, 1, 100000, &hzv, NULL) ? (guint) hzv : 250;
  k.vmlinux_size = vn;
  k.btf_size = g_bytes_get_size (btf);
  k.kallsyms_count = sl_kallsyms_count (ks);
  k.bzimage = img->was_bzimage ? (char *) "vmlinuz" : NULL;
  k.config = config;
  k.btf = (char *) "btf";

  g_autofree char *ks_path = g_build_filename (stage, "kallsyms", NULL);
  gboolean ok = write_bytes (stage, "vmlinux", img->vmlinux, error) &&
                (!img->was_bzimage || write_bytes (stage, "vmlinuz", in->image, error)) &&
                write_bytes (stage, "btf", btf, error) &&
                sl_kallsyms_save (ks, ks_path, error);
  if (ok && config)
    {
      g_autofree char *cp = g_build_filename (stage, "config", NULL);
      ok = g_file_set_contents (cp, config, -1, error);
    }
  ok = ok && sl_kernel_info_write (&k, stage, img->banner, in->package_version, error) &&
       sl_kernel_cache_commit (ctx->root, stage, name, error);
  if (!ok)
    {
      sl_kernel_cache_discard (stage);
      return NULL;
    }
  g_autofree char *final = g_build_filename (kdir, name, NULL);
  return sl_kernel_load_cached (final, error);
}

/* --- Debian packages --------------------------------------------------------------------- */

static gboolean
want_kernel_file (const char *path, gpointer user_data)
{
  if (g_str_has_prefix (path, "boot/vmlinuz-") || g_str_has_prefix (path, "boot/config-"))
    return TRUE;
  if (g_str_has_prefix (path, "usr/lib/modules/") || g_str_has_prefix (path, "lib/modules/"))
    {
      const char *base = strrchr (path, '/') + 1;
      /* only <modules>/<release>/{vmlinuz,config}, not deeper files */
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);
      guint depth = g_strv_length (parts);
      guint want_depth = g_str_has_prefix (path, "usr/") ? 5 : 4;
      return depth == want_depth && (strcmp (base, "vmlinuz") == 0 || strcmp (base, "config") == 0);
    }
  return FALSE;
}

/* Extracts vmlinuz and config from a .deb (either may be absent). */
static gboolean
extract_deb (const Ctx *ctx, const char *deb_path, GBytes **vmlinuz, char **config, GError **error)
{
  g_autoptr(GMappedFile) mf = g_mapped_file_new (deb_path, FALSE, error);
  if (!mf)
    return FALSE;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GHashTable) files = sl_deb_extract ((const guint8 *) g_mapped_file_get_contents (mf),
                                                g_mapped_file_get_length (mf), want_kernel_file, NULL,
                                                DEB_MEMBER_MAX, error);
  if (!files)
    {
      g_prefix_error (error, "%s: ", deb_path);
      return FALSE;
    }
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, files);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      const char *path = key;
      if (g_str_has_suffix (path, "/vmlinuz") || g_str_has_prefix (path, "boot/vmlinuz-"))
        {
          if (vmlinuz && !*vmlinuz)
            *vmlinuz = g_bytes_ref (value);
        }
      else if (config && !*config)
        *config = g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
    }
  emit (ctx, SL_KERNEL_STAGE_EXTRACT, "extracted %s in %.2f s", deb_path,
        (double) (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}

typedef struct {
  char *release;     /* e.g. 7.3.4+deb13-cloud-amd64 */
  char *image_pkg;
  char *base_pkg;    /* package holding the config, or NULL when the image package has it */
} Candidate;

static void
candidate_free (Candidate *c)
{
  g_free (c->release);
  g_free (c->image_pkg);
  g_free (c->base_pkg);
  g_free (c);
}

static gint
cmp_candidate_newest_first (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = *(Candidate * const *) a, *cb = *(Candidate * const *) b;
  return -sl_debian_version_compare (ca->release, cb->release);
}

/* Kernel packages the archive offers: 7.x "linux-binary-<release>" (+ "linux-base-<release>"
 * holding the config) and the older "linux-image-<release>[-unsigned]". `only` restricts
 * to one release; otherwise only cloud-amd64 flavours are listed. */
static GPtrArray *
list_candidates (SlApt *apt, const char *only, GCancellable *cancellable, GError **error)
{
  g_auto(GStrv) binary = sl_apt_pkgnames (apt, "linux-binary-", cancellable, error);
  if (!binary)
    return NULL;
  g_auto(GStrv) image = sl_apt_pkgnames (apt, "linux-image-", cancellable, error);
  if (!image)
    return NULL;
  g_auto(GStrv) base = sl_apt_pkgnames (apt, "linux-base-", cancellable, error);
  if (!base)
    return NULL;

  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  char **lists[] = { binary, image };
  for (guint l = 0; l < 2; l++)
    for (char **p = lists[l]; *p; p++)
      {
        const char *rest = *p + strlen (l == 0 ? "linux-binary-" : "linux-image-");
        if (g_str_has_prefix (rest, "unsigned-") || g_str_has_suffix (rest, "-dbg") || !g_ascii_isdigit (rest[0]))
          continue;
        g_autofree char *release = g_strdup (rest);
        if (g_str_has_suffix (release, "-unsigned"))
          release[strlen (release) - strlen ("-unsigned")] = '\0';
        if (only ? strcmp (release, only) != 0 : !g_str_has_suffix (release, "-cloud-amd64"))
          continue;
        if (g_hash_table_contains (seen, release))
          continue;
        Candidate *c = g_new0 (Candidate, 1);
        c->release = g_steal_pointer (&release);
        c->image_pkg = g_strdup (*p);
        g_autofree char *bp = g_strconcat ("linux-base-", c->release, NULL);
        if (g_strv_contains ((const char * const *) base, bp))
          c->base_pkg = g_steal_pointer (&bp);
        g_hash_table_add (seen, c->release);
        g_ptr_array_add (out, c);
      }
  g_ptr_array_sort (out, cmp_candidate_newest_first);
  return out;
}

static char *
read_conf (const char *key)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "schedlab", "schedlab.conf", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  char *v = g_key_file_get_string (kf, "kernel", key, NULL);
  if (v)
    g_strstrip (v);
  return v;
}

static SlApt *
open_apt (const Ctx *ctx, const SlKernelOptions *opts, GError **error)
{
  g_autofree char *mirror = NULL;
  const char *source = "--mirror";
  if (opts && opts->mirror)
    mirror = g_strdup (opts->mirror);
  else if ((mirror = read_conf ("mirror")) && mirror[0])
    source = "schedlab.conf";
  else
    {
      g_clear_pointer (&mirror, g_free);
      mirror = sl_apt_find_host_mirror (NULL, error);
      if (!mirror)
        return NULL;
      source = "the host's apt sources";
    }
  g_autofree char *suites_conf = read_conf ("suites");
  g_auto(GStrv) suites = suites_conf && suites_conf[0] ? g_strsplit_set (suites_conf, " ,;", -1)
                                                       : g_strdupv ((char **) default_suites);
  g_autoptr(GPtrArray) clean = g_ptr_array_new ();
  for (char **s = suites; *s; s++)
    if (**s)
      g_ptr_array_add (clean, *s);
  g_ptr_array_add (clean, NULL);

  g_autofree char *suite_list = g_strjoinv (" ", (char **) clean->pdata);
  emit (ctx, SL_KERNEL_STAGE_RESOLVE, "mirror %s (from %s), suites %s", mirror, source, suite_list);
  g_autofree char *dir = g_build_filename (ctx->root, "apt", NULL);
  return sl_apt_new (dir, mirror, (const char * const *) clean->pdata, error);
}

/* Downloads and processes one candidate. Returns NULL with *skipped = TRUE (no error) when
 * `need_scx` and its config lacks SCHED_CLASS_EXT. */
static SlKernel *
fetch_candidate (const Ctx *ctx, SlApt *apt, const Candidate *c, gboolean need_scx,
                 gboolean *skipped, GError **error)
{
  g_autofree char *dl = g_build_filename (ctx->root, "apt", "downloads", NULL);
  g_autofree char *config = NULL;
  *skipped = FALSE;

  if (c->base_pkg)
    {
      g_autofree char *bv = NULL, *bs = NULL;
      if (!sl_apt_policy (apt, c->base_pkg, &bv, &bs, ctx->cancellable, error))
        return NULL;
      emit (ctx, SL_KERNEL_STAGE_DOWNLOAD, "downloading %s %s (%s)", c->base_pkg, bv, bs);
      g_autofree char *deb = sl_apt_download (apt, c->base_pkg, bv, dl, ctx->cancellable, error);
      if (!deb || !extract_deb (ctx, deb, NULL, &config, error))
        return NULL;
      if (need_scx && sl_kconfig_feature (config, "SCHED_CLASS_EXT") != SL_KERNEL_FEATURE_YES)
        {
          emit (ctx, SL_KERNEL_STAGE_RESOLVE, "%s: CONFIG_SCHED_CLASS_EXT is not enabled, trying older", c->release);
          *skipped = TRUE;
          return NULL;
        }
    }

  g_autofree char *version = NULL, *suite = NULL;
  if (!sl_apt_policy (apt, c->image_pkg, &version, &suite, ctx->cancellable, error))
    return NULL;
  emit (ctx, SL_KERNEL_STAGE_DOWNLOAD, "downloading %s %s (%s)", c->image_pkg, version, suite);
  gint64 t0 = g_get_monotonic_time ();
  g_autofree char *deb = sl_apt_download (apt, c->image_pkg, version, dl, ctx->cancellable, error);
  if (!deb)
    return NULL;
  GStatBuf st;
  if (g_stat (deb, &st) == 0)
    emit (ctx, SL_KERNEL_STAGE_DOWNLOAD, "downloaded %s: %" G_GINT64_FORMAT " bytes in %.1f s", deb,
          (gint64) st.st_size, (double) (g_get_monotonic_time () - t0) / 1e6);
  g_autoptr(GBytes) vmlinuz = NULL;
  if (!extract_deb (ctx, deb, &vmlinuz, config ? NULL : &config, error))
    return NULL;
  if (!vmlinuz)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "%s holds no vmlinuz (boot/ or usr/lib/modules/)", deb);
      return NULL;
    }
  if (need_scx && sl_kconfig_feature (config, "SCHED_CLASS_EXT") != SL_KERNEL_FEATURE_YES)
    {
      emit (ctx, SL_KERNEL_STAGE_RESOLVE, "%s: CONFIG_SCHED_CLASS_EXT is not enabled, trying older", c->release);
      *skipped = TRUE;
      return NULL;
    }
  Input in = { vmlinuz, config, c->release, c->image_pkg, version, suite };
  return process_image (ctx, &in, error);
}

static SlKernel *
resolve_default (const Ctx *ctx, const SlKernelOptions *opts, GError **error)
{
  g_autofree char *kdir = sl_kernel_cache_kernels_dir (ctx->root);
  g_autofree char *pin = sl_kernel_cache_read_pin (ctx->root);
  g_autofree char *pin_dir = pin ? g_build_filename (kdir, pin, NULL) : NULL;
  g_autoptr(SlKernel) pinned = pin_dir ? sl_kernel_load_cached (pin_dir, NULL) : NULL;
  if (pinned && (!opts->refresh || opts->offline))
    return g_steal_pointer (&pinned);
  if (opts->offline)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "no default kernel in the cache %s; run `schedlab-cli kernel fetch`", kdir);
      return NULL;
    }

  g_autoptr(SlApt) apt = open_apt (ctx, opts, error);
  if (!apt)
    return NULL;
  emit (ctx, SL_KERNEL_STAGE_RESOLVE, "apt-get update (private configuration in %s/apt)", ctx->root);
  g_autoptr(GError) update_error = NULL;
  if (!sl_apt_update (apt, ctx->cancellable, &update_error))
    {
      /* Refreshing is best effort when a pinned kernel is at hand (offline CI, flaky mirror). */
      if (pinned && g_error_matches (update_error, SL_ERROR, SL_ERROR_IO))
        {
          emit (ctx, SL_KERNEL_STAGE_RESOLVE, "%s; keeping the pinned %s", update_error->message, pinned->version);
          return g_steal_pointer (&pinned);
        }
      g_propagate_error (error, g_steal_pointer (&update_error));
      return NULL;
    }
  g_autoptr(GPtrArray) cands = list_candidates (apt, NULL, ctx->cancellable, error);
  if (!cands)
    return NULL;
  if (cands->len == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "package gone: the archive offers no cloud-amd64 kernel package in the configured suites");
      return NULL;
    }
  for (guint i = 0; i < cands->len && i < MAX_DEFAULT_TRIES; i++)
    {
      Candidate *c = cands->pdata[i];
      emit (ctx, SL_KERNEL_STAGE_RESOLVE, "candidate %s (%s)", c->release, c->image_pkg);
      g_autofree char *dir = g_build_filename (kdir, c->release, NULL);
      g_autoptr(SlKernel) k = sl_kernel_load_cached (dir, NULL);
      if (!k)
        {
          gboolean skipped;
          k = fetch_candidate (ctx, apt, c, TRUE, &skipped, error);
          if (!k && !skipped)
            return NULL;
        }
      if (k && k->sched_ext == SL_KERNEL_FEATURE_YES)
        {
          if (!sl_kernel_cache_write_pin (ctx->root, c->release, error))
            return NULL;
          return g_steal_pointer (&k);
        }
    }
  g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
               "none of the %u newest cloud-amd64 kernels has CONFIG_SCHED_CLASS_EXT=y",
               MIN (cands->len, MAX_DEFAULT_TRIES));
  return NULL;
}

static SlKernel *
resolve_release (const Ctx *ctx, const SlKernelOptions *opts, const char *release, GError **error)
{
  g_autofree char *kdir = sl_kernel_cache_kernels_dir (ctx->root);
  g_autofree char *dir = g_build_filename (kdir, release, NULL);
  SlKernel *k = sl_kernel_load_cached (dir, NULL);
  if (k)
    return k;
  if (opts->offline)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "kernel %s is not in the cache %s", release, kdir);
      return NULL;
    }
  g_autoptr(SlApt) apt = open_apt (ctx, opts, error);
  if (!apt || !sl_apt_update (apt, ctx->cancellable, error))
    return NULL;
  g_autoptr(GPtrArray) cands = list_candidates (apt, release, ctx->cancellable, error);
  if (!cands)
    return NULL;
  if (cands->len == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                   "package gone: no linux-binary-%s or linux-image-%s in the configured suites", release, release);
      return NULL;
    }
  gboolean skipped;
  return fetch_candidate (ctx, apt, cands->pdata[0], FALSE, &skipped, error);
}

/* The .config that belongs to a user's image, where builds and packages put it:
 * vmlinuz-<v> next to config-<v> (/boot), vmlinuz/vmlinux next to config (modules dir,
 * our cache), vmlinux next to .config (a build tree), arch/x86/boot/bzImage three levels
 * below .config. */
static char *
sibling_config (const char *path, char **found)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func (g_free);

  if (g_str_has_prefix (base, "vmlinuz-") || g_str_has_prefix (base, "vmlinux-"))
    {
      g_autofree char *name = g_strconcat ("config-", base + 8, NULL);
      g_ptr_array_add (cands, g_build_filename (dir, name, NULL));
    }
  if (strcmp (base, "vmlinuz") == 0 || strcmp (base, "vmlinux") == 0)
    g_ptr_array_add (cands, g_build_filename (dir, "config", NULL));
  if (strcmp (base, "vmlinux") == 0)
    g_ptr_array_add (cands, g_build_filename (dir, ".config", NULL));
  if (strcmp (base, "bzImage") == 0 && g_str_has_suffix (dir, "arch/x86/boot"))
    g_ptr_array_add (cands, g_build_filename (dir, "..", "..", "..", ".config", NULL));

  for (guint i = 0; i < cands->len; i++)
    {
      g_autofree char *text = NULL;
      gsize len;
      if (g_file_get_contents (cands->pdata[i], &text, &len, NULL) && len < (16u << 20) &&
          g_utf8_validate (text, (gssize) len, NULL) && strstr (text, "CONFIG_"))
        {
          *found = g_strdup (cands->pdata[i]);
          return g_steal_pointer (&text);
        }
    }
  return NULL;
}

static SlKernel *
resolve_path (const Ctx *ctx, const char *path, GError **error)
{
  g_autofree char *info = g_build_filename (path, "info.json", NULL);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (g_file_test (info, G_FILE_TEST_IS_REGULAR))
        return sl_kernel_load_cached (path, error);
      g_set_error (error, SL_ERROR, SL_ERROR_FAILED, "%s is a directory, not a kernel image", path);
      return NULL;
    }
  g_autoptr(GMappedFile) mf = g_mapped_file_new (path, FALSE, error);
  if (!mf)
    return NULL;
  g_autoptr(GBytes) image = g_mapped_file_get_bytes (mf);
  emit (ctx, SL_KERNEL_STAGE_EXTRACT, "reading %s (%" G_GSIZE_FORMAT " bytes)", path, g_bytes_get_size (image));
  g_autofree char *config_path = NULL;
  g_autofree char *config = sibling_config (path, &config_path);
  if (config)
    emit (ctx, SL_KERNEL_STAGE_EXTRACT, "using the kernel config %s", config_path);
  Input in = { image, config, NULL, NULL, NULL, NULL };
  g_autoptr(GError) local = NULL;
  SlKernel *k = process_image (ctx, &in, &local);
  if (!k)
    g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
  return k;
}

SlKernel *
sl_kernel_resolve (const char *spec, const SlKernelOptions *opts, SlKernelProgressFunc progress,
                   gpointer user_data, GCancellable *cancellable, GError **error)
{
  static const SlKernelOptions defaults = { 0 };
  if (!opts)
    opts = &defaults;
  if (!spec || !spec[0])
    spec = "default";
  const char *env = opts->ignore_env ? NULL : g_getenv ("SCHEDLAB_KERNEL");
  if (strcmp (spec, "default") == 0 && env && env[0])
    spec = env;

  g_autofree char *root = sl_kernel_cache_root (opts);
  Ctx ctx = { root, progress, user_data, cancellable };
  int lock = sl_kernel_cache_lock (root, cancellable, error);
  if (lock < 0)
    return NULL;
  sl_kernel_cache_sweep (root);

  SlKernel *k;
  if (strcmp (spec, "default") == 0)
    k = resolve_default (&ctx, opts, error);
  else if (strchr (spec, '/') || g_file_test (spec, G_FILE_TEST_EXISTS))
    k = resolve_path (&ctx, spec, error);
  else
    k = resolve_release (&ctx, opts, spec, error);
  sl_kernel_cache_unlock (lock);

  if (k)
    emit (&ctx, SL_KERNEL_STAGE_DONE, "%s: %s (sched_ext %s, HZ %u, %u symbols)", k->version, k->vmlinux,
          sl_kernel_feature_to_string (k->sched_ext), k->hz, k->kallsyms_count);
  return k;
}
