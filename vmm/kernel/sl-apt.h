/* sl-apt.h: fetching Debian packages through a private apt configuration.
 *
 * The configuration lives in one directory (sources.list, sources.list.d/, lists/, cache/,
 * status) and is passed to apt-get/apt-cache with -o options, so the host's own sources and
 * package state are never read for packages nor changed; the host's apt.conf (proxies,
 * keyrings) still applies. apt runs through GSubprocess with an argv, never a shell. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One enabled "deb" entry of a sources.list line or deb822 stanza. */
typedef struct {
  char  *uri;
  char **suites;
  char **components;
} SlAptSource;

void       sl_apt_source_free (SlAptSource *src);
/* Parses sources text; `deb822` selects the .sources stanza format. Never fails: malformed
 * lines are skipped. Returns element-type SlAptSource. */
GPtrArray *sl_apt_parse_sources (const char *text, gboolean deb822);
/* The first URI serving a Debian release suite (bookworm, trixie-updates, sid ...), skipping
 * security archives. NULL when none. */
char      *sl_apt_pick_debian_mirror (GPtrArray *sources);
/* Reads <etc_apt>/sources.list, sources.list.d/ *.list and *.sources (NULL: /etc/apt). */
char      *sl_apt_find_host_mirror (const char *etc_apt, GError **error);

/* dpkg's version ordering (epoch, upstream, revision; '~' sorts first). */
int        sl_debian_version_compare (const char *a, const char *b);

typedef struct _SlApt SlApt;

/* Creates or refreshes the private configuration in `dir` for `mirror` and `suites`. */
SlApt     *sl_apt_new (const char *dir, const char *mirror, const char * const *suites, GError **error);
void       sl_apt_free (SlApt *apt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlApt, sl_apt_free)

gboolean   sl_apt_update (SlApt *apt, GCancellable *cancellable, GError **error);
/* Package names starting with `prefix`. */
char     **sl_apt_pkgnames (SlApt *apt, const char *prefix, GCancellable *cancellable, GError **error);
/* Newest available version of `pkg` and the suite it comes from. */
gboolean   sl_apt_policy (SlApt *apt, const char *pkg, char **version, char **suite,
                          GCancellable *cancellable, GError **error);
/* Downloads pkg=version into `dest_dir`; returns the .deb's path. */
char      *sl_apt_download (SlApt *apt, const char *pkg, const char *version, const char *dest_dir,
                            GCancellable *cancellable, GError **error);

G_END_DECLS
