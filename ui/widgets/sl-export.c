/* sl-export.c: spec, test-file and image export. */
#include "sl-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <string.h>
#include "sl-test-file.h"
#include "sl-view-model.h"

gboolean
sl_image_format_from_path (const char *path, SlImageFormat *out)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (out != NULL, FALSE);
  if (path == NULL)
    return FALSE;
  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    *out = SL_IMAGE_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *out = SL_IMAGE_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *out = SL_IMAGE_PDF;
  else
    return FALSE;
  return TRUE;
}

/* The authored assertions as a spec, described like the workbench's exports. */
static SlSpec *
build_spec (SlSession *session, gboolean include_failing, guint *n_assertions)
{
  SlSpec *spec = sl_session_build_spec (session, include_failing);
  g_autofree char *title = sl_session_dup_title (session);
  const SlRunHeader *h = &sl_session_get_run (session)->header;

  spec->description = g_strdup_printf ("Authored in Schedlab on %s (%s, kernel %s)",
                                       title, h->created ? h->created : "unknown date",
                                       h->kernel_version ? h->kernel_version : "unknown");
  if (n_assertions)
    *n_assertions = spec->assertions->len;
  return spec;
}

char *
sl_export_spec_data (SlSession *session, gboolean include_failing, guint *n_assertions)
{
  g_autoptr(SlSpec) spec = NULL;

  g_return_val_if_fail (SL_IS_SESSION (session), NULL);

  spec = build_spec (session, include_failing, n_assertions);
  return sl_spec_to_data (spec, NULL);
}

static gboolean
write_text (const char *path, const char *text, GError **error)
{
  return g_file_set_contents (path, text, -1, error);
}

gboolean
sl_export_spec (SlSession *session, const char *path, gboolean include_failing,
                guint *n_assertions, GError **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (SL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = sl_export_spec_data (session, include_failing, n_assertions);
  return write_text (path, data, error);
}

char *
sl_export_run_group (const SlRunHeader *h)
{
  SlTestRunConfig run;
  char *text;

  g_return_val_if_fail (h != NULL, NULL);

  sl_test_run_config_from_header (&run, h);
  text = sl_test_run_config_to_data (&run);
  sl_test_run_config_clear (&run);
  return text;
}

/* core's test-file writer: the spec part stays byte-identical to the .slspec. */
char *
sl_export_test_data (SlSession *session, gboolean include_failing, guint *n_assertions)
{
  g_autoptr(SlTestFile) t = NULL;

  g_return_val_if_fail (SL_IS_SESSION (session), NULL);

  t = sl_test_file_new ();
  sl_spec_free (t->spec);
  t->spec = build_spec (session, include_failing, n_assertions);
  sl_test_run_config_clear (&t->run);
  sl_test_run_config_from_header (&t->run, &sl_session_get_run (session)->header);
  return sl_test_file_to_data (t, NULL);
}

gboolean
sl_export_test (SlSession *session, const char *path, gboolean include_failing,
                guint *n_assertions, GError **error)
{
  g_autofree char *data = NULL;

  g_return_val_if_fail (SL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = sl_export_test_data (session, include_failing, n_assertions);
  return write_text (path, data, error);
}

void
sl_export_split_test (const char *data, char **spec_part, char **run_part)
{
  const char *p = data, *run = NULL;

  if (spec_part)
    *spec_part = NULL;
  if (run_part)
    *run_part = NULL;
  if (data == NULL)
    return;
  /* The [run] group header must start a line. */
  while ((p = strstr (p, "[run]")) != NULL)
    {
      if (p == data || p[-1] == '\n')
        {
          run = p;
          break;
        }
      p++;
    }
  if (run == NULL)
    {
      if (spec_part)
        *spec_part = g_strdup (data);
      return;
    }
  if (spec_part)
    *spec_part = g_strndup (data, run - data);
  if (run_part)
    {
      /* Up to the next group header, if any. */
      const char *next = strstr (run + 5, "\n[");
      *run_part = next ? g_strndup (run, next + 1 - run) : g_strdup (run);
      if (next && spec_part)
        {
          char *joined = g_strconcat (*spec_part, next + 1, NULL);
          g_free (*spec_part);
          *spec_part = joined;
        }
    }
}

gboolean
sl_export_image (SlSession *session, const SlRenderStyle *style, const char *path,
                 SlImageFormat format, double width, double t0, double t1, GError **error)
{
  g_autoptr(SlViewModel) vm = NULL;
  g_autofree char *title = NULL;
  const SlRenderPhase *phases;
  guint n_phases;
  SlRenderView view = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  double height;

  g_return_val_if_fail (SL_IS_SESSION (session), FALSE);
  g_return_val_if_fail (style != NULL && path != NULL, FALSE);

  width = CLAMP (width, SL_RENDER_HEADER_WIDTH + 100, 20000);
  phases = sl_session_get_phases (session, &n_phases);
  vm = sl_view_model_build (session, style, t0, t1, -1);
  title = sl_session_dup_title (session);
  view.style = style;
  view.tm = (SlTimeMap) { t0, t1, SL_RENDER_HEADER_WIDTH, width - SL_RENDER_HEADER_WIDTH };
  view.phases = phases;
  view.n_phases = n_phases;
  view.tracks = (const SlRenderTrack *) (gpointer) vm->tracks->data;
  view.n_tracks = vm->tracks->len;
  view.track_height = SL_TRACK_HEIGHT;
  view.compact_height = SL_TRACK_COMPACT_HEIGHT;
  view.title = title;
  height = sl_render_view_height (&view);

  switch (format)
    {
    case SL_IMAGE_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case SL_IMAGE_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case SL_IMAGE_PNG:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
      break;
    }
  cr = cairo_create (surface);
  sl_render_view (cr, &view);
  cairo_destroy (cr);
  if (format == SL_IMAGE_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write “%s”: %s",
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
