/* sl-window-private.h: the window's state, shared by its two files. */
#pragma once

#include "sl-window.h"

G_BEGIN_DECLS

struct _SlWindow
{
  AdwApplicationWindow parent_instance;

  GtkWidget    *window_title;
  GtkWidget    *toasts;
  GtkWidget    *stack;
  GtkWidget    *recent_group;
  GtkWidget    *recent_list;
  GtkWidget    *loading_page;
  GtkWidget    *progress;
  GtkWidget    *warning_bar;
  GtkWidget    *warning_label;
  GtkWidget    *outer_paned;
  GtkWidget    *field_browser;
  GtkWidget    *timeline_stack;
  GtkWidget    *timeline;
  GtkWidget    *verdict_table;
  GtkWidget    *track_panel;
  GtkWidget    *assertion_editor;
  GtkWidget    *export_button;
  GtkWidget    *zoom_box;
  GtkWidget    *selection_bar;
  GtkWidget    *selection_label;

  SlSession    *session;
  GCancellable *loading;
  char         *loading_path;
  char         *message;
  gboolean      include_failing;
  GtkNativeDialog *dialog;
};

void sl_window_toast (SlWindow *self, const char *text);
void sl_window_open_action (GtkWidget *widget, const char *name, GVariant *param);
void sl_window_export_action (GtkWidget *widget, const char *name, GVariant *param);

G_END_DECLS
