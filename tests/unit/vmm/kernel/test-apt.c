/* Host mirror discovery (sources.list and deb822), dpkg version order, the private apt
 * configuration and .config parsing. No network: apt itself is not run here. */
#include <string.h>
#include <glib/gstdio.h>

#include "kernel-test-util.h"
#include "sl-apt.h"
#include "sl-kernel-cache.h"
#include "sl-types.h"

static void
test_one_line_format (void)
{
  const char *text =
    "# a comment line\n"
    "deb-src http://deb.debian.org/debian bookworm main\n"
    "deb [arch=amd64 signed-by=/usr/share/keyrings/x.gpg] https://packages.example.com/apt cloud-sdk main\n"
    "deb http://security.debian.org/debian-security bookworm-security main\n"
    "deb http://mirror.example.org/debian/ bookworm main contrib # trailing comment\n"
    "deb\thttp://other.example.org/debian\tsid\tmain\n"
    "deb broken-line-without-suite\n";
  g_autoptr(GPtrArray) s = sl_apt_parse_sources (text, FALSE);
  g_assert_cmpuint (s->len, ==, 4);
  SlAptSource *a = s->pdata[0];
  g_assert_cmpstr (a->uri, ==, "https://packages.example.com/apt");
  g_assert_cmpstr (a->suites[0], ==, "cloud-sdk");
  SlAptSource *c = s->pdata[2];
  g_assert_cmpstr (c->uri, ==, "http://mirror.example.org/debian/");
  g_assert_cmpstr (c->suites[0], ==, "bookworm");
  g_assert_cmpstr (c->components[0], ==, "main");
  g_assert_cmpstr (c->components[1], ==, "contrib");
  g_assert_null (c->components[2]);

  /* Skips the third-party suite and the security archive. */
  g_autofree char *m = sl_apt_pick_debian_mirror (s);
  g_assert_cmpstr (m, ==, "http://mirror.example.org/debian/");
}

static void
test_deb822 (void)
{
  const char *text =
    "Types: deb deb-src\n"
    "URIs: http://disabled.example.org/debian\n"
    "Suites: trixie\n"
    "Components: main\n"
    "Enabled: no\n"
    "\n"
    "# comment between stanzas\n"
    "Types: deb\n"
    "URIs: http://deb.debian.org/debian-security\n"
    "Suites: bookworm-security\n"
    "Components: main\n"
    "\n"
    "Types: deb\n"
    "URIs: http://first.example.org/debian\n"
    "  http://second.example.org/debian\n"
    "Suites: bookworm\n"
    " bookworm-updates\n"
    "Components: main\n"
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n";
  g_autoptr(GPtrArray) s = sl_apt_parse_sources (text, TRUE);
  g_assert_cmpuint (s->len, ==, 3);   /* the disabled stanza is gone; two URIs in the last */
  SlAptSource *last = s->pdata[2];
  g_assert_cmpstr (last->uri, ==, "http://second.example.org/debian");
  g_assert_cmpstr (last->suites[0], ==, "bookworm");
  g_assert_cmpstr (last->suites[1], ==, "bookworm-updates");
  g_autofree char *m = sl_apt_pick_debian_mirror (s);
  g_assert_cmpstr (m, ==, "http://first.example.org/debian");

  /* Only third-party and security sources: no mirror. */
  g_autoptr(GPtrArray) none = sl_apt_parse_sources ("Types: deb\nURIs: https://deb.nodesource.com/node_20.x\n"
                                                    "Suites: nodistro\nComponents: main\n", TRUE);
  g_assert_cmpuint (none->len, ==, 1);
  g_autofree char *nm = sl_apt_pick_debian_mirror (none);
  g_assert_null (nm);
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *p = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (p, text, -1, NULL));
}

static void
test_host_mirror (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-apt-XXXXXX", NULL);
  g_autofree char *parts = g_build_filename (dir, "sources.list.d", NULL);
  g_assert_cmpint (g_mkdir (parts, 0755), ==, 0);

  /* Nothing at all: a clear error. */
  g_autoptr(GError) error = NULL;
  g_autofree char *none = sl_apt_find_host_mirror (dir, &error);
  g_assert_null (none);
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "--mirror"));
  g_clear_error (&error);

  /* An empty sources.list, a disabled .list part and a deb822 part, read in name order. */
  write_file (dir, "sources.list", "# moved to sources.list.d\n");
  write_file (parts, "a-thirdparty.list", "deb https://vendor.example.com/apt stable-vendor main\n");
  write_file (parts, "b.list.disabled", "deb http://ignored.example.org/debian bookworm main\n");
  write_file (parts, "debian.sources",
              "Types: deb\nURIs: http://mirror.test/debian\nSuites: bookworm bookworm-updates\n"
              "Components: main\n\nTypes: deb\nURIs: http://mirror.test/debian-security\n"
              "Suites: bookworm-security\nComponents: main\n");
  g_autofree char *m = sl_apt_find_host_mirror (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m, ==, "http://mirror.test/debian");

  g_autofree char *a = g_build_filename (parts, "a-thirdparty.list", NULL);
  g_autofree char *b = g_build_filename (parts, "b.list.disabled", NULL);
  g_autofree char *d = g_build_filename (parts, "debian.sources", NULL);
  g_autofree char *l = g_build_filename (dir, "sources.list", NULL);
  g_unlink (a);
  g_unlink (b);
  g_unlink (d);
  g_unlink (l);
  g_rmdir (parts);
  g_rmdir (dir);
}

static void
test_version_compare (void)
{
  static const struct { const char *a, *b; int cmp; } cases[] = {
    { "7.3.4+deb13-cloud-amd64", "7.2.13+deb14-cloud-amd64", 1 },
    { "7.2.13+deb14-cloud-amd64", "7.2.9+deb13-cloud-amd64", 1 },
    { "6.19.14+deb13-cloud-amd64", "7.0.4+deb13-cloud-amd64", -1 },
    { "7.3.4-1~bpo13+1", "7.3.4-1", -1 },
    { "7.3.4-1", "7.3.4-1", 0 },
    { "1:1.1.2-0+deb12u1", "1.5.0-3", 1 },
    { "1.0~rc1", "1.0", -1 },
    { "1.0a", "1.0", 1 },
    { "1.0", "1.0+b1", -1 },
    { "2.0-10", "2.0-9", 1 },
    { "0010", "10", 0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int got = sl_debian_version_compare (cases[i].a, cases[i].b);
      if (got != cases[i].cmp)
        g_error ("compare(%s, %s) = %d, want %d", cases[i].a, cases[i].b, got, cases[i].cmp);
      g_assert_cmpint (sl_debian_version_compare (cases[i].b, cases[i].a), ==, -cases[i].cmp);
    }
}

static void
test_private_config (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-aptcfg-XXXXXX", NULL);
  g_autofree char *aptdir = g_build_filename (dir, "apt", NULL);
  const char *suites[] = { "trixie-backports", "sid", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SlApt) apt = sl_apt_new (aptdir, "http://mirror.test/debian", suites, &error);
  g_assert_no_error (error);
  g_assert_nonnull (apt);

  g_autofree char *list = g_build_filename (aptdir, "sources.list", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (list, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "deb http://mirror.test/debian trixie-backports main\n"));
  g_assert_nonnull (strstr (text, "deb http://mirror.test/debian sid main\n"));
  const char *dirs[] = { "lists/partial", "cache/archives/partial", "sources.list.d" };
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *p = g_build_filename (aptdir, dirs[i], NULL);
      g_assert_true (g_file_test (p, G_FILE_TEST_IS_DIR));
    }

  /* A mirror or suite that would inject sources lines is refused. */
  g_autoptr(SlApt) bad = sl_apt_new (aptdir, "http://x.test/debian sid main\ndeb http://evil", suites, &error);
  g_assert_null (bad);
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);
  g_clear_error (&error);
  const char *bad_suites[] = { "sid main contrib", NULL };
  g_autoptr(SlApt) bad2 = sl_apt_new (aptdir, "http://mirror.test/debian", bad_suites, &error);
  g_assert_null (bad2);
  g_assert_error (error, SL_ERROR, SL_ERROR_FAILED);

  sl_kernel_cache_remove_tree (dir);
}

static void
test_kconfig (void)
{
  const char *config =
    "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
    "CONFIG_HZ_250=y\n"
    "CONFIG_HZ=250\n"
    "CONFIG_SCHED_CLASS_EXT=y\n"
    "# CONFIG_IKCONFIG is not set\n"
    "CONFIG_VIRTIO_MMIO=m\n"
    "CONFIG_LOCALVERSION=\"-test\"\n"
    "CONFIG_DEBUG_INFO_BTF=y";   /* no final newline */
  g_autofree char *hz = sl_kconfig_get (config, "HZ");
  g_assert_cmpstr (hz, ==, "250");
  g_autofree char *ik = sl_kconfig_get (config, "IKCONFIG");
  g_assert_cmpstr (ik, ==, "n");
  g_autofree char *lv = sl_kconfig_get (config, "LOCALVERSION");
  g_assert_cmpstr (lv, ==, "-test");
  g_autofree char *absent = sl_kconfig_get (config, "PVM_GUEST");
  g_assert_null (absent);
  g_assert_cmpint (sl_kconfig_feature (config, "SCHED_CLASS_EXT"), ==, SL_KERNEL_FEATURE_YES);
  g_assert_cmpint (sl_kconfig_feature (config, "DEBUG_INFO_BTF"), ==, SL_KERNEL_FEATURE_YES);
  g_assert_cmpint (sl_kconfig_feature (config, "VIRTIO_MMIO"), ==, SL_KERNEL_FEATURE_NO);
  g_assert_cmpint (sl_kconfig_feature (config, "IKCONFIG"), ==, SL_KERNEL_FEATURE_NO);
  g_assert_cmpint (sl_kconfig_feature (config, "SCHED_CLASS"), ==, SL_KERNEL_FEATURE_NO);   /* prefix is not a match */
  g_assert_cmpint (sl_kconfig_feature (NULL, "SCHED_CLASS_EXT"), ==, SL_KERNEL_FEATURE_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kernel/apt/sources-list", test_one_line_format);
  g_test_add_func ("/kernel/apt/deb822", test_deb822);
  g_test_add_func ("/kernel/apt/host-mirror", test_host_mirror);
  g_test_add_func ("/kernel/apt/version-compare", test_version_compare);
  g_test_add_func ("/kernel/apt/private-config", test_private_config);
  g_test_add_func ("/kernel/config/parse", test_kconfig);
  return g_test_run ();
}
