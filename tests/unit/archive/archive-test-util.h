/* archive-test-util.h: runs and comparisons shared by the archive tests. */
#pragma once

#include "sl-archive.h"

/* A run with every record type and the edge values the format must keep:
 * u64::MAX counters, i64::MIN, absent vs zero elapsed/step/boundary, unicode
 * names, every missing-stats kind, a placeholder sample. Complete. */
SlRun  *archive_test_full_run (void);
/* A complete run of a few small records (for exhaustive truncation). */
SlRun  *archive_test_small_run (void);

/* Fails the test when the two runs differ in any archived value. */
void    archive_test_assert_runs_equal (SlRun *a, SlRun *b);

/* The bytes of a file under SL_SOURCE_ROOT (or NULL when absent). */
GBytes *archive_test_read_source_file (const char *relative);
