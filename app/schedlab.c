/* schedlab: the GTK workbench. Everything lives in libschedlab-ui. */
#include "sl-application.h"

int
main (int argc, char **argv)
{
  g_autoptr(SlApplication) app = NULL;

  g_set_application_name ("Schedlab");
  app = sl_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
