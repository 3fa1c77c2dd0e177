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
  GtkWidget    *live_bar;
  GtkWidget    *live_spinner;
  GtkWidget    *live_icon;
  GtkWidget    *live_status;
  GtkWidget    *live_detail;
  GtkWidget    *live_stop;
  GtkWidget    *baseline_bar;
  GtkWidget    *baseline_label;
  GtkWidget    *bottom_switcher;
  GtkWidget    *bottom_stack;
  GtkWidget    *compare_pane;

  SlSession    *session;
  GCancellable *loading;
  char         *loading_path;
  char         *message;
  gboolean      include_failing;
  GtkNativeDialog *dialog;

  /* A live run (sl-window-live.c) and its session; a baseline being loaded. */
  struct _SlLiveRun *live;
  SlSession    *live_session;
  guint         live_clock;
  guint         live_n_fields;
  GtkWidget    *log_view;         /* GtkTextView of an open "Show Log" dialog */
  GCancellable *baseline_loading;
};

void sl_window_toast (SlWindow *self, const char *text);
/* Shows `session` in the workbench (NULL = none). */
void sl_window_set_session (SlWindow *self, SlSession *session);
void sl_window_update_actions (SlWindow *self);
/* sl-window-live.c / sl-window-compare.c */
void sl_window_live_class_init (GtkWidgetClass *widget_class);
void sl_window_live_dispose (SlWindow *self);
void sl_window_compare_class_init (GtkWidgetClass *widget_class);
void sl_window_compare_dispose (SlWindow *self);
void sl_window_compare_session_changed (SlWindow *self);
void sl_window_open_action (GtkWidget *widget, const char *name, GVariant *param);
void sl_window_export_action (GtkWidget *widget, const char *name, GVariant *param);

G_END_DECLS
