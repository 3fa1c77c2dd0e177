/* sl-field-browser.h: every projectable field of the run, grouped by axis
 * (bpf, stats, host, monitor) and structure (map → member, CPU), with
 * search-as-you-type. Activating a field asks for a track; activating a
 * per-CPU family ("nr_running on all CPUs") asks for a grouped track. */
#pragma once

#include <gtk/gtk.h>
#include "sl-field-catalog.h"

G_BEGIN_DECLS

#define SL_TYPE_FIELD_BROWSER (sl_field_browser_get_type ())
G_DECLARE_FINAL_TYPE (SlFieldBrowser, sl_field_browser, SL, FIELD_BROWSER, GtkWidget)

GtkWidget *sl_field_browser_new (void);
/* The catalog must outlive the browser's use of it (the session owns it). */
void       sl_field_browser_set_catalog (SlFieldBrowser *self, const SlFieldCatalog *catalog);
void       sl_field_browser_set_search  (SlFieldBrowser *self, const char *text);
void       sl_field_browser_focus_search (SlFieldBrowser *self);
/* Number of visible rows (for tests). */
guint      sl_field_browser_get_n_visible (SlFieldBrowser *self);

G_END_DECLS
