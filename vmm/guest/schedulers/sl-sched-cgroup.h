/* sl-sched-cgroup.h: cgroup2 ids <-> paths, for naming per-cgroup stats and
 * resolving the starve-cgroup fault mode's victim.
 *
 * A cgroup2 id is the kernfs node id, which is also the inode number of the
 * cgroup's directory, so a bounded walk of the mount with stat() maps ids to
 * paths without any BPF help.
 */
#ifndef SL_SCHED_CGROUP_H
#define SL_SCHED_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include "sl-sched-stats.h"

#define SLG_CGROUP_ROOT_DEFAULT "/sys/fs/cgroup"
#define SLG_CGROUP_WALK_DEPTH 16

typedef struct
{
  uint64_t id;
  char path[SLG_CGROUP_PATH_MAX];   /* "/" for the root, "/a/b" below it */
} SlgCgroupName;

/* Walks root (depth- and count-bounded) and fills out; returns the count. */
unsigned slg_cgroup_scan (const char *root, SlgCgroupName *out, unsigned max);

/* Resolves NAME ("a/b" or "/a/b", relative to root) to its id. */
bool slg_cgroup_resolve (const char *root, const char *name, uint64_t *id);

#endif /* SL_SCHED_CGROUP_H */
