/* Tests for the scx_stats documents, the stats socket server and the cgroup
 * id <-> path mapping of the bundled schedulers' loader
 * (vmm/guest/schedulers/sl-sched-{stats,server,cgroup}.c). */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl-sched-cgroup.h"
#include "sl-sched-server.h"
#include "sl-sched-stats.h"

static JsonNode *
parse_or_fail (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Returns args.resp after checking the framing and errno. */
static JsonNode *
response_payload (JsonNode *root, gint64 expect_errno)
{
  JsonObject *o = json_node_get_object (root);
  JsonObject *args;

  g_assert_cmpint (json_object_get_int_member (o, "errno"), ==, expect_errno);
  args = json_object_get_object_member (o, "args");
  g_assert_nonnull (args);
  g_assert_true (json_object_has_member (args, "resp"));
  return json_object_get_member (args, "resp");
}

static void
make_snapshot (SlgSchedSnapshot *s, SlgCpuStat *cpus, SlgCgroupStat *cgs, gboolean with_cgroups)
{
  memset (s, 0, sizeof *s);
  s->scheduler = "sl_vtime";
  s->bug = "starve-cgroup=work/a";
  s->uptime_ms = 1234;
  s->counters[0] = (SlgCounter) { "nr_enqueued", 10 };
  s->counters[1] = (SlgCounter) { "nr_dispatched", 7 };
  s->counters[2] = (SlgCounter) { "vtime_now", G_MAXUINT64 };
  s->n_counters = 3;
  cpus[0] = (SlgCpuStat) { 4, 1, 3, 5, 1000 };
  cpus[1] = (SlgCpuStat) { 3, 2, 1, 4, 2000 };
  s->cpus = cpus;
  s->n_cpus = 2;
  if (with_cgroups)
    {
      memset (cgs, 0, 2 * sizeof *cgs);
      cgs[0].cgid = 1;
      strcpy (cgs[0].path, "/");
      cgs[0].runtime_ns = 99;
      cgs[0].nr_runs = 3;
      cgs[1].cgid = 4242;          /* removed cgroup: no path */
      cgs[1].runtime_ns = 5;
      cgs[1].nr_runs = 1;
      s->cgroups = cgs;
      s->n_cgroups = 2;
      s->has_cgroups = TRUE;
    }
}

static void
test_stats_document (void)
{
  SlgSchedSnapshot s;
  SlgCpuStat cpus[2];
  SlgCgroupStat cgs[2];
  SlgJson j;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *resp, *cg;
  JsonArray *per_cpu;

  make_snapshot (&s, cpus, cgs, TRUE);
  slg_json_init (&j);
  slg_stats_write_stats (&j, &s);
  g_assert_null (strchr (slg_json_finish (&j), '\n'));  /* one line on the wire */
  root = parse_or_fail (slg_json_finish (&j));
  resp = json_node_get_object (response_payload (root, 0));

  g_assert_cmpstr (json_object_get_string_member (resp, "scheduler"), ==, "sl_vtime");
  g_assert_cmpstr (json_object_get_string_member (resp, "bug"), ==, "starve-cgroup=work/a");
  g_assert_cmpint (json_object_get_int_member (resp, "uptime_ms"), ==, 1234);
  g_assert_cmpint (json_object_get_int_member (resp, "nr_enqueued"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (resp, "nr_dispatched"), ==, 7);
  /* u64 max survives as text even though json-glib stores int64. */
  g_assert_nonnull (strstr (slg_json_finish (&j), "\"vtime_now\":18446744073709551615"));

  per_cpu = json_object_get_array_member (resp, "per_cpu");
  g_assert_cmpuint (json_array_get_length (per_cpu), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (per_cpu, 1), "cpu"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (per_cpu, 1), "runtime_ns"), ==, 2000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (per_cpu, 0), "nr_shared"), ==, 3);

  cg = json_object_get_object_member (resp, "cgroups");
  g_assert_cmpuint (json_object_get_size (cg), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cg, "/"), "runtime_ns"), ==, 99);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cg, "#4242"), "cgid"), ==, 4242);
  slg_json_clear (&j);

  /* Without per-cgroup accounting the member is absent, not empty. */
  make_snapshot (&s, cpus, cgs, FALSE);
  slg_json_init (&j);
  slg_stats_write_stats (&j, &s);
  {
    g_autoptr (JsonNode) r2 = parse_or_fail (slg_json_finish (&j));
    g_assert_false (json_object_has_member (json_node_get_object (response_payload (r2, 0)), "cgroups"));
  }
  slg_json_clear (&j);
}

/* Checks that every member of a stats object is declared in the struct's
 * meta with a matching shape, recursively. */
static void
check_against_meta (JsonObject *meta_map, const char *struct_name, JsonObject *obj)
{
  JsonObject *meta = json_object_get_object_member (meta_map, struct_name);
  JsonObject *fields;
  g_autoptr (GList) members = NULL;

  g_assert_nonnull (meta);
  g_assert_cmpstr (json_object_get_string_member (meta, "name"), ==, struct_name);
  fields = json_object_get_object_member (meta, "fields");
  members = json_object_get_members (obj);
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;
      JsonObject *f = json_object_get_object_member (fields, name);
      JsonNode *v = json_object_get_member (obj, name);

      g_test_message ("field %s.%s", struct_name, name);
      g_assert_nonnull (f);
      g_assert_true (json_object_has_member (f, "desc"));
      if (json_object_has_member (f, "datum"))
        {
          const char *kind = json_object_get_string_member (f, "datum");
          if (g_str_equal (kind, "string"))
            g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_STRING);
          else
            {
              g_assert_cmpstr (kind, ==, "u64");
              g_assert_cmpint (json_node_get_value_type (v), ==, G_TYPE_INT64);
            }
        }
      else if (json_object_has_member (f, "array"))
        {
          const char *inner = json_object_get_string_member (json_object_get_object_member (f, "array"), "struct");
          JsonArray *a = json_node_get_array (v);
          for (guint i = 0; i < json_array_get_length (a); i++)
            check_against_meta (meta_map, inner, json_array_get_object_element (a, i));
        }
      else
        {
          JsonObject *dict = json_object_get_object_member (f, "dict");
          const char *inner;
          g_autoptr (GList) keys = NULL;
          g_assert_nonnull (dict);
          g_assert_cmpstr (json_object_get_string_member (dict, "key"), ==, "string");
          inner = json_object_get_string_member (json_object_get_object_member (dict, "datum"), "struct");
          keys = json_object_get_members (json_node_get_object (v));
          for (GList *k = keys; k; k = k->next)
            check_against_meta (meta_map, inner,
                                json_object_get_object_member (json_node_get_object (v), k->data));
        }
    }
}

static void
test_meta_describes_stats (void)
{
  const char *const counters[] = { "nr_enqueued", "nr_dispatched", "vtime_now", NULL };
  SlgSchedSnapshot s;
  SlgCpuStat cpus[2];
  SlgCgroupStat cgs[2];
  SlgJson jm, js;
  g_autoptr (JsonNode) meta_root = NULL;
  g_autoptr (JsonNode) stats_root = NULL;
  JsonObject *meta_map, *top;

  slg_json_init (&jm);
  slg_stats_write_meta (&jm, counters, TRUE);
  meta_root = parse_or_fail (slg_json_finish (&jm));
  meta_map = json_node_get_object (response_payload (meta_root, 0));
  top = json_object_get_object_member (meta_map, "sl_sched_stats");
  g_assert_cmpstr (json_object_get_string_member (top, "top"), ==, "true");
  g_assert_false (json_object_has_member (json_object_get_object_member (meta_map, "sl_cpu_stats"), "top"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_object_get_object_member (top, "fields"), "nr_enqueued"),
                     "desc"), ==, "ops.enqueue calls");

  make_snapshot (&s, cpus, cgs, TRUE);
  slg_json_init (&js);
  slg_stats_write_stats (&js, &s);
  stats_root = parse_or_fail (slg_json_finish (&js));
  check_against_meta (meta_map, "sl_sched_stats", json_node_get_object (response_payload (stats_root, 0)));

  /* A counter the scheduler lacks is not described; nor are cgroups. */
  slg_json_clear (&jm);
  slg_json_init (&jm);
  slg_stats_write_meta (&jm, (const char *const[]) { "nr_enqueued", NULL }, FALSE);
  {
    g_autoptr (JsonNode) r = parse_or_fail (slg_json_finish (&jm));
    JsonObject *m = json_node_get_object (response_payload (r, 0));
    JsonObject *f = json_object_get_object_member (json_object_get_object_member (m, "sl_sched_stats"), "fields");
    g_assert_false (json_object_has_member (f, "vtime_now"));
    g_assert_false (json_object_has_member (f, "cgroups"));
    g_assert_false (json_object_has_member (m, "sl_cgroup_stats"));
  }
  slg_json_clear (&jm);
  slg_json_clear (&js);
}

static void
test_error_document (void)
{
  SlgJson j;
  g_autoptr (JsonNode) root = NULL;

  slg_json_init (&j);
  slg_stats_write_error (&j, EINVAL, "unknown request \"x\"\n");
  root = parse_or_fail (slg_json_finish (&j));
  g_assert_cmpstr (json_node_get_string (response_payload (root, EINVAL)), ==, "unknown request \"x\"\n");
  slg_json_clear (&j);
}

/* ---- cgroup mapping on a synthetic tree -------------------------------- */

static guint64
ino_of (const char *path)
{
  GStatBuf st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (guint64) st.st_ino;
}

static void
test_cgroup_scan (void)
{
  g_autofree char *root = g_dir_make_tmp ("sl-cgroup-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (root, "a", NULL);
  g_autofree char *ab = g_build_filename (root, "a", "b", NULL);
  g_autofree char *hidden = g_build_filename (root, ".hidden", NULL);
  g_autofree char *file = g_build_filename (root, "cgroup.procs", NULL);
  SlgCgroupName names[8];
  unsigned n;
  guint64 id = 0;
  gboolean saw_a = FALSE, saw_ab = FALSE;

  g_assert_nonnull (root);
  g_assert_cmpint (g_mkdir (a, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (ab, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (hidden, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));

  n = slg_cgroup_scan (root, names, G_N_ELEMENTS (names));
  g_assert_cmpuint (n, ==, 3);   /* root, a, a/b: files and dot-dirs are skipped */
  g_assert_cmpstr (names[0].path, ==, "/");
  g_assert_cmpuint (names[0].id, ==, ino_of (root));
  for (unsigned i = 1; i < n; i++)
    {
      if (g_str_equal (names[i].path, "/a"))
        saw_a = names[i].id == ino_of (a);
      if (g_str_equal (names[i].path, "/a/b"))
        saw_ab = names[i].id == ino_of (ab);
    }
  g_assert_true (saw_a && saw_ab);

  /* The bound is respected. */
  g_assert_cmpuint (slg_cgroup_scan (root, names, 2), ==, 2);
  g_assert_cmpuint (slg_cgroup_scan ("/nonexistent/sl", names, 8), ==, 0);

  g_assert_true (slg_cgroup_resolve (root, "a/b", &id));
  g_assert_cmpuint (id, ==, ino_of (ab));
  g_assert_true (slg_cgroup_resolve (root, "//a", &id));
  g_assert_cmpuint (id, ==, ino_of (a));
  g_assert_false (slg_cgroup_resolve (root, "missing", &id));
  g_assert_false (slg_cgroup_resolve (root, "cgroup.procs", &id));

  g_remove (file);
  g_rmdir (ab);
  g_rmdir (a);
  g_rmdir (hidden);
  g_rmdir (root);
}

/* ---- server over a real unix socket ------------------------------------ */

typedef struct
{
  unsigned calls;
} HandlerState;

static void
echo_handler (const SlgRequest *req, SlgJson *out, void *user)
{
  HandlerState *st = user;
  SlgSchedSnapshot s = { .scheduler = "test", .bug = "none" };

  st->calls++;
  if (g_str_equal (req->req, "stats"))
    {
      s.uptime_ms = st->calls;
      slg_stats_write_stats (out, &s);
    }
  else
    slg_stats_write_error (out, EINVAL, req->req);
}

static int
connect_to (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  return fd;
}

/* Serves until n complete lines are readable on fd (bounded), returns them. */
static char **
serve_and_read_lines (SlgServer *srv, HandlerState *st, int fd, unsigned n)
{
  g_autoptr (GString) got = g_string_new (NULL);

  for (int round = 0; round < 200; round++)
    {
      char buf[65536];
      ssize_t r;
      unsigned lines = 0;

      g_assert_cmpint (slg_server_poll (srv, 10, echo_handler, st), >=, 0);
      while ((r = recv (fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
        g_string_append_len (got, buf, r);
      for (const char *p = got->str; (p = strchr (p, '\n')) != NULL; p++)
        lines++;
      if (lines >= n || r == 0)
        break;
    }
  return g_strsplit (got->str, "\n", -1);
}

static void
test_server_roundtrip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-stats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run", "scx", "root", "stats", NULL);
  HandlerState st = { 0 };
  char err[256];
  SlgServer *srv = slg_server_new (path, err, sizeof err);
  g_auto (GStrv) lines = NULL;
  int fd;

  g_assert_nonnull (srv);
  fd = connect_to (path);
  /* Two requests in one write, CRLF on the second, a blank line, a bad one. */
  {
    const char reqs[] = "{\"req\":\"stats\"}\n{\"req\":\"nope\"}\r\n\nnot json\n";
    g_assert_cmpint (send (fd, reqs, sizeof reqs - 1, 0), ==, (ssize_t) (sizeof reqs - 1));
  }
  lines = serve_and_read_lines (srv, &st, fd, 3);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);  /* 3 lines + empty tail */
  g_assert_cmpuint (st.calls, ==, 2);
  {
    g_autoptr (JsonNode) r0 = parse_or_fail (lines[0]);
    g_autoptr (JsonNode) r1 = parse_or_fail (lines[1]);
    g_autoptr (JsonNode) r2 = parse_or_fail (lines[2]);
    JsonObject *s = json_node_get_object (response_payload (r0, 0));
    g_assert_cmpint (json_object_get_int_member (s, "uptime_ms"), ==, 1);
    g_assert_cmpstr (json_node_get_string (response_payload (r1, EINVAL)), ==, "nope");
    g_assert_nonnull (strstr (json_node_get_string (response_payload (r2, EINVAL)), "invalid request"));
  }
  close (fd);

  /* A second server on the same path replaces the stale socket... */
  slg_server_free (srv);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  srv = slg_server_new (path, err, sizeof err);
  g_assert_nonnull (srv);
  slg_server_free (srv);

  /* ...but never a regular file. */
  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  g_assert_null (slg_server_new (path, err, sizeof err));
  g_assert_nonnull (strstr (err, "is not a socket"));
  g_remove (path);
  for (int up = 0; up < 3; up++)
    {
      char *slash = strrchr (path, '/');
      *slash = '\0';
      g_rmdir (path);
    }
  g_rmdir (dir);
}

static void
test_server_long_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-stats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stats", NULL);
  HandlerState st = { 0 };
  char err[256];
  SlgServer *srv = slg_server_new (path, err, sizeof err);
  g_autofree char *big = g_malloc (SLG_REQ_LINE_MAX + 4096);
  g_autoptr (GString) got = g_string_new (NULL);
  gsize sent = 0, total = SLG_REQ_LINE_MAX + 4096;
  int fd;

  g_assert_nonnull (srv);
  memset (big, 'x', total);
  fd = connect_to (path);
  /* Interleave sending and serving: the socket buffer is smaller than the line. */
  for (int round = 0; round < 2000; round++)
    {
      char buf[4096];
      ssize_t r;

      if (sent < total)
        {
          r = send (fd, big + sent, total - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
          if (r > 0)
            sent += (gsize) r;
        }
      g_assert_cmpint (slg_server_poll (srv, 5, echo_handler, &st), >=, 0);
      r = recv (fd, buf, sizeof buf, MSG_DONTWAIT);
      if (r > 0)
        g_string_append_len (got, buf, r);
      if (r == 0 || (r < 0 && errno != EAGAIN))
        break;
    }
  g_assert_cmpuint (st.calls, ==, 0);
  g_assert_nonnull (strchr (got->str, '\n'));
  {
    g_auto (GStrv) lines = g_strsplit (got->str, "\n", 2);
    g_autoptr (JsonNode) r = parse_or_fail (lines[0]);
    g_assert_cmpstr (json_node_get_string (response_payload (r, E2BIG)), ==, "request line too long");
  }
  close (fd);
  slg_server_free (srv);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sched/stats/document", test_stats_document);
  g_test_add_func ("/sched/stats/meta-describes-stats", test_meta_describes_stats);
  g_test_add_func ("/sched/stats/error", test_error_document);
  g_test_add_func ("/sched/cgroup/scan-resolve", test_cgroup_scan);
  g_test_add_func ("/sched/server/roundtrip", test_server_roundtrip);
  g_test_add_func ("/sched/server/long-line", test_server_long_line);
  return g_test_run ();
}
