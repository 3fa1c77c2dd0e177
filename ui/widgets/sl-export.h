/* sl-export.h: what leaves the workbench: the authored assertions as a spec
 * (.slspec), as a test file (.sltest = the spec plus a [run] group with the
 * run's VM config and scenario; doc/test-format.md), and the current view as a
 * PNG, SVG or PDF image drawn by the same renderer as the screen. No GTK. */
#pragma once

#include <glib.h>
#include "sl-session.h"
#include "sl-render.h"

G_BEGIN_DECLS

typedef enum {
  SL_IMAGE_PNG,
  SL_IMAGE_SVG,
  SL_IMAGE_PDF,
} SlImageFormat;

/* From a file name's extension (.png/.svg/.pdf, any case). */
gboolean sl_image_format_from_path (const char *path, SlImageFormat *out);

/* Spec text of the authored assertions (only passing ones unless
 * include_failing). *n_assertions (optional) receives how many were written. */
char    *sl_export_spec_data (SlSession *session, gboolean include_failing, guint *n_assertions);
gboolean sl_export_spec      (SlSession *session, const char *path, gboolean include_failing,
                              guint *n_assertions, GError **error);

/* The [run] group of a test file for this run's header. */
char    *sl_export_run_group (const SlRunHeader *header);
char    *sl_export_test_data (SlSession *session, gboolean include_failing, guint *n_assertions);
gboolean sl_export_test      (SlSession *session, const char *path, gboolean include_failing,
                              guint *n_assertions, GError **error);
/* Splits test-file text into its spec part and its [run] group (either may be
 * NULL). The spec part parses with sl_spec_parse. */
void     sl_export_split_test (const char *data, char **spec_part, char **run_part);

/* Draws the tracks over [t0, t1] at `width` px into an image file. */
gboolean sl_export_image (SlSession *session, const SlRenderStyle *style, const char *path,
                          SlImageFormat format, double width, double t0, double t1, GError **error);

G_END_DECLS
