/* sl-application.h: the Schedlab GtkApplication (org.schedlab.Schedlab):
 * opens archives given on the command line, keeps the recent-runs list and
 * the settings (when the GSettings schema is installed; otherwise defaults
 * in memory, so an uninstalled build still runs). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_APPLICATION_ID "org.schedlab.Schedlab"
#define SL_TYPE_APPLICATION (sl_application_get_type ())
G_DECLARE_FINAL_TYPE (SlApplication, sl_application, SL, APPLICATION, AdwApplication)

SlApplication *sl_application_new (GApplicationFlags extra_flags);
/* NULL when the schema is not installed. */
GSettings     *sl_application_get_settings (SlApplication *self);
/* Most recent first, at most 10. */
GStrv          sl_application_dup_recent (SlApplication *self);
void           sl_application_add_recent (SlApplication *self, const char *path);

G_END_DECLS
