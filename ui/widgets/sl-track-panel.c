/* sl-track-panel.c: an AdwPreferencesGroup bound to the selected track. */
#include "sl-track-panel.h"

#include <adwaita.h>
#include <math.h>

struct _SlTrackPanel
{
  GtkWidget  parent_instance;
  GtkWidget *group;
  GtkWidget *mode_row;
  GtkWidget *range_row;
  GtkWidget *lo_row, *hi_row;
  GtkWidget *lo_spin, *hi_spin;
  GtkWidget *style_row;
  GtkWidget *remove_button;
  SlSession *session;
  gboolean   updating;
};

G_DEFINE_FINAL_TYPE (SlTrackPanel, sl_track_panel, GTK_TYPE_WIDGET)

static SlTrack *
current (SlTrackPanel *self, gint *index)
{
  gint i;

  if (self->session == NULL)
    return NULL;
  i = sl_session_get_selected_track (self->session);
  if (index)
    *index = i;
  return i >= 0 ? sl_session_get_track (self->session, i) : NULL;
}

static void
sync_from_track (SlTrackPanel *self)
{
  SlTrack *t = current (self, NULL);

  self->updating = TRUE;
  gtk_widget_set_sensitive (self->group, t != NULL);
  if (t)
    {
      g_autofree char *title = g_markup_escape_text (t->label, -1);
      g_autofree char *desc = g_markup_escape_text (t->selector, -1);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), title);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), desc);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->mode_row), t->mode);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->range_row), t->yrange);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->style_row), t->style);
      if (t->yrange != SL_YRANGE_FIXED && t->plot && !isnan (t->plot->v_min))
        {
          t->fixed_lo = t->plot->v_min;
          t->fixed_hi = t->plot->v_max;
        }
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->lo_spin), t->fixed_lo);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->hi_spin), t->fixed_hi);
    }
  gtk_widget_set_visible (self->lo_row, t && t->yrange == SL_YRANGE_FIXED);
  gtk_widget_set_visible (self->hi_row, t && t->yrange == SL_YRANGE_FIXED);
  if (t == NULL)
    {
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), "Track");
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                             "Select a track to change how it is drawn");
    }
  self->updating = FALSE;
}

static void
on_changed (SlTrackPanel *self)
{
  gint i;
  SlTrack *t = current (self, &i);

  if (t == NULL || self->updating)
    return;
  sl_track_set_mode (t, adw_combo_row_get_selected (ADW_COMBO_ROW (self->mode_row)));
  t->yrange = adw_combo_row_get_selected (ADW_COMBO_ROW (self->range_row));
  t->style = adw_combo_row_get_selected (ADW_COMBO_ROW (self->style_row));
  t->fixed_lo = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->lo_spin));
  t->fixed_hi = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->hi_spin));
  gtk_widget_set_visible (self->lo_row, t->yrange == SL_YRANGE_FIXED);
  gtk_widget_set_visible (self->hi_row, t->yrange == SL_YRANGE_FIXED);
  sl_session_track_changed (self->session, (guint) i);
}

static void
on_remove (SlTrackPanel *self)
{
  gint i;

  if (current (self, &i))
    sl_session_remove_track (self->session, (guint) i);
}

void
sl_track_panel_set_session (SlTrackPanel *self, SlSession *session)
{
  g_return_if_fail (SL_IS_TRACK_PANEL (self));

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_swapped (session, "selection-changed", G_CALLBACK (sync_from_track), self);
      g_signal_connect_swapped (session, "tracks-changed", G_CALLBACK (sync_from_track), self);
    }
  sync_from_track (self);
}

static GtkWidget *
combo_row (const char *title, const char *subtitle, const char *const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return row;
}

static GtkWidget *
spin_row (const char *title, GtkWidget **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (-1e18, 1e18, 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 10);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  *spin_out = spin;
  return row;
}

static void
sl_track_panel_dispose (GObject *object)
{
  SlTrackPanel *self = SL_TRACK_PANEL (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->group, gtk_widget_unparent);
  G_OBJECT_CLASS (sl_track_panel_parent_class)->dispose (object);
}

static void
sl_track_panel_class_init (SlTrackPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_track_panel_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
sl_track_panel_init (SlTrackPanel *self)
{
  static const char *const modes[] = { "Value", "Delta per sample", "Rate per second", NULL };
  static const char *const ranges[] = { "Visible range", "Whole run", "Fixed", NULL };
  static const char *const styles[] = { "Line", "Step", NULL };

  self->group = adw_preferences_group_new ();
  gtk_widget_set_parent (self->group, GTK_WIDGET (self));

  self->mode_row = combo_row ("Show", "Counters read best as a rate", modes);
  self->range_row = combo_row ("Y range", NULL, ranges);
  self->lo_row = spin_row ("Minimum", &self->lo_spin);
  self->hi_row = spin_row ("Maximum", &self->hi_spin);
  self->style_row = combo_row ("Draw as", NULL, styles);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->mode_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->range_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->lo_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->hi_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), self->style_row);

  self->remove_button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (self->remove_button, "Remove Track");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Remove track", -1);
  gtk_widget_add_css_class (self->remove_button, "flat");
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->group), self->remove_button);

  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->range_row, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->lo_spin, "value-changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->hi_spin, "value-changed", G_CALLBACK (on_changed), self);
  g_signal_connect_swapped (self->remove_button, "clicked", G_CALLBACK (on_remove), self);
  sync_from_track (self);
}

GtkWidget *
sl_track_panel_new (void)
{
  return g_object_new (SL_TYPE_TRACK_PANEL, NULL);
}
