/* sl-sched-cgroup.c: see sl-sched-cgroup.h. */
#include "sl-sched-cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
scan_dir (int dirfd_, const char *rel, unsigned depth, SlgCgroupName *out,
          unsigned max, unsigned *n)
{
  DIR *d;
  struct dirent *e;

  if (depth > SLG_CGROUP_WALK_DEPTH || *n >= max)
    {
      close (dirfd_);
      return;
    }
  d = fdopendir (dirfd_);
  if (!d)
    {
      close (dirfd_);
      return;
    }
  while (*n < max && (e = readdir (d)) != NULL)
    {
      struct stat st;
      char child[SLG_CGROUP_PATH_MAX];
      int fd;
      int len;

      if (e->d_type != DT_DIR || e->d_name[0] == '.')
        continue;
      len = snprintf (child, sizeof child, "%s/%s", strcmp (rel, "/") == 0 ? "" : rel, e->d_name);
      if (len < 0 || (size_t) len >= sizeof child)
        continue;  /* too long to name; it keeps its "#id" key */
      fd = openat (dirfd (d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (fstat (fd, &st) != 0)
        {
          close (fd);
          continue;
        }
      out[*n].id = (uint64_t) st.st_ino;
      memcpy (out[*n].path, child, (size_t) len + 1);
      (*n)++;
      scan_dir (fd, child, depth + 1, out, max, n);
    }
  closedir (d);
}

unsigned
slg_cgroup_scan (const char *root, SlgCgroupName *out, unsigned max)
{
  struct stat st;
  unsigned n = 0;
  int fd;

  if (!root || !out || max == 0)
    return 0;
  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  if (fstat (fd, &st) != 0)
    {
      close (fd);
      return 0;
    }
  out[n].id = (uint64_t) st.st_ino;
  strcpy (out[n].path, "/");
  n++;
  scan_dir (fd, "/", 1, out, max, &n);
  return n;
}

bool
slg_cgroup_resolve (const char *root, const char *name, uint64_t *id)
{
  char path[SLG_CGROUP_PATH_MAX + 64];
  struct stat st;
  int len;

  while (*name == '/')
    name++;
  len = snprintf (path, sizeof path, "%s/%s", root, name);
  if (len < 0 || (size_t) len >= sizeof path)
    return false;
  if (stat (path, &st) != 0 || !S_ISDIR (st.st_mode))
    return false;
  *id = (uint64_t) st.st_ino;
  return true;
}
