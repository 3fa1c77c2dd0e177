/* sl-test-file.h: the .sltest file (doc/test-format.md): a spec (sl-spec.h)
 * plus one [run] group saying how to produce a run to check it against:
 *
 *   [run]
 *   kernel=default
 *   topology=1n1l2c1t
 *   scheduler=sl_vtime
 *   scheduler_args=--bug=stall;
 *   scenario=two-cgroups
 *   duration_ms=6000
 *   snapshots=8
 *
 * The spec part goes through the spec parser unchanged; [run] is as strict:
 * unknown, missing or repeated keys and bad numbers are SL_ERROR_SPEC errors
 * naming the file, the group and the key. */
#pragma once

#include <glib.h>
#include "sl-run.h"
#include "sl-spec.h"

G_BEGIN_DECLS

#define SL_TEST_RUN_GROUP            "run"
#define SL_TEST_MAX_DURATION_MS      ((guint64) 24 * 3600 * 1000)
#define SL_TEST_MAX_SNAPSHOTS        100000
#define SL_TEST_MAX_SCHEDULER_ARGS   256
#define SL_TEST_MIN_MEMORY_MB        64
#define SL_TEST_MAX_MEMORY_MB        (1024 * 1024)

typedef struct {
  char      *kernel;          /* "default", "debian:<pkg>=<ver>" or a path; never empty */
  SlTopology topology;
  guint      memory_mb;       /* 0 = absent (the runner's default) */
  char      *scheduler;       /* "" = the kernel's built-in scheduler; never NULL after parsing */
  GStrv      scheduler_args;  /* never NULL after parsing; may be empty */
  char      *scenario;        /* never empty */
  guint64    duration_ms;
  guint      snapshots;       /* 0 = none */
  guint      interval_ms;     /* 0 = absent */
} SlTestRunConfig;

typedef struct {
  SlSpec          *spec;
  SlTestRunConfig  run;
} SlTestFile;

void     sl_test_run_config_clear (SlTestRunConfig *run);
void     sl_test_run_config_copy  (SlTestRunConfig *dst, const SlTestRunConfig *src);
/* The config a rerun of this run needs. A run of the bundled loader
 * (".../sl-sched --scheduler NAME ARGS…") is written as scheduler=NAME with
 * ARGS, so the test does not depend on where the loader was built. */
void     sl_test_run_config_from_header (SlTestRunConfig *dst, const SlRunHeader *header);
/* The [run] group as text ("[run]\n…"), keys in the documented order. */
char    *sl_test_run_config_to_data (const SlTestRunConfig *run);

SlTestFile *sl_test_file_new   (void);
void        sl_test_file_free  (SlTestFile *t);
SlTestFile *sl_test_file_parse (const char *data, gssize len, const char *source_name, GError **error);
SlTestFile *sl_test_file_load  (const char *path, GError **error);
/* The spec text (byte-identical to sl_spec_to_data), a blank line, [run]. */
char       *sl_test_file_to_data (const SlTestFile *t, gsize *length);
gboolean    sl_test_file_save    (const SlTestFile *t, const char *path, GError **error);
/* The test's name: the source file's base name without ".sltest" ("test"
 * when there is no source name). */
char       *sl_test_file_dup_name (const SlTestFile *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlTestFile, sl_test_file_free)

G_END_DECLS
