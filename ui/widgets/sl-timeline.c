/* sl-timeline.c: ruler + tracks with one time axis, and the pointer/keyboard
 * interaction on it (Perfetto's keys, Sysprof's drag-select-then-zoom). */
#include "sl-timeline.h"

#include <adwaita.h>
#include <math.h>
#include "sl-phase.h"
#include "sl-render.h"
#include "sl-ticks.h"
#include "sl-view-model.h"

struct _SlTimeline
{
  GtkWidget      parent_instance;

  SlSession     *session;
  GtkWidget     *scrollbar;
  GtkAdjustment *vadj;
  SlRenderStyle  style;

  SlBucket      *scratch;
  guint          n_scratch;

  gboolean       hovering;
  double         hover_x, hover_y;

  gboolean       dragging;
  gboolean       drag_pan;
  double         drag_x0, drag_y0;
  double         drag_view_t0, drag_view_t1;
};

G_DEFINE_FINAL_TYPE (SlTimeline, sl_timeline, GTK_TYPE_WIDGET)

#define ZOOM_STEP 0.8

static int
scrollbar_width (SlTimeline *self)
{
  return gtk_widget_get_visible (self->scrollbar) ? gtk_widget_get_width (self->scrollbar) : 0;
}

static double
plot_width (SlTimeline *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self)) - scrollbar_width (self);
  return MAX (1.0, w - SL_RENDER_HEADER_WIDTH);
}

static SlTimeMap
time_map (SlTimeline *self)
{
  SlTimeMap tm = { 0, 1, SL_RENDER_HEADER_WIDTH, plot_width (self) };

  if (self->session)
    sl_session_get_view (self->session, &tm.t0, &tm.t1);
  return tm;
}

static double
content_height (SlTimeline *self)
{
  double h = 0;

  if (self->session == NULL)
    return 0;
  for (guint i = 0; i < sl_session_get_n_tracks (self->session); i++)
    h += sl_session_get_track (self->session, i)->group ? SL_TRACK_COMPACT_HEIGHT : SL_TRACK_HEIGHT;
  return h;
}

/* The track under widget coordinate y, and its top, or -1. */
static gint
track_at (SlTimeline *self, double y, double *top)
{
  double yy = SL_RENDER_RULER_HEIGHT - gtk_adjustment_get_value (self->vadj);

  if (self->session == NULL || y < SL_RENDER_RULER_HEIGHT)
    return -1;
  for (guint i = 0; i < sl_session_get_n_tracks (self->session); i++)
    {
      double h = sl_session_get_track (self->session, i)->group ? SL_TRACK_COMPACT_HEIGHT : SL_TRACK_HEIGHT;
      if (y >= yy && y < yy + h)
        {
          if (top)
            *top = yy;
          return (gint) i;
        }
      yy += h;
    }
  return -1;
}

static void
update_adjustment (SlTimeline *self)
{
  double page = MAX (0, gtk_widget_get_height (GTK_WIDGET (self)) - SL_RENDER_RULER_HEIGHT);
  double upper = content_height (self);

  gtk_adjustment_configure (self->vadj, CLAMP (gtk_adjustment_get_value (self->vadj), 0, MAX (0, upper - page)),
                            0, MAX (upper, page), 24, page * 0.9, page);
  /* The scrollbar only takes room when the tracks do not fit. */
  if (gtk_widget_get_visible (self->scrollbar) != (upper > page))
    {
      gtk_widget_set_visible (self->scrollbar, upper > page);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
}

static void
build_readout (SlTimeline *self, const SlTimeMap *tm, GPtrArray *lines, gint *hover_track, gint *hover_point)
{
  SlTrack *t;
  double top, time = sl_time_map_t (tm, self->hover_x);
  gint idx, pt;
  guint16 phase;

  *hover_track = -1;
  *hover_point = -1;
  idx = track_at (self, self->hover_y, &top);
  if (idx < 0 || self->hover_x < tm->x0)
    return;
  t = sl_session_get_track (self->session, idx);
  *hover_track = idx;
  g_ptr_array_add (lines, g_strdup (t->selector));
  /* Snap to the nearest sample within 12 px. */
  pt = sl_track_point_at (t, time, 12 * (tm->t1 - tm->t0) / tm->width);
  if (pt >= 0)
    {
      const SlSlot *slot = sl_track_slot_of_point (t, pt);
      g_autofree char *elapsed = sl_format_time_ms (t->plot->t[pt], 0);

      *hover_point = pt;
      g_ptr_array_add (lines, g_strdup_printf ("%s · %s", slot->tag, elapsed));
      if (t->plot->ok[pt])
        {
          /* The readout is exact; axis labels are the ones that abbreviate. */
          double value = t->plot->v[pt];
          g_autofree char *v = fabs (value) < 1e9 && value == floor (value) ? g_strdup_printf ("%.0f", value)
                             : fabs (value) >= 1e6 ? sl_format_value (value, 0) : g_strdup_printf ("%.6g", value);
          const char *unit = t->unit ? t->unit : "";

          if (t->mode == SL_COUNTER_RATE)
            g_ptr_array_add (lines, g_strdup_printf ("rate %s %s/s", v, t->unit ? unit : "per"));
          else if (t->mode == SL_COUNTER_DELTA)
            g_ptr_array_add (lines, g_strdup_printf ("Δ %s %s since the previous sample", v, unit));
          else
            g_ptr_array_add (lines, g_strdup_printf ("value %s %s", v, unit));
        }
      else if (!slot->ok)
        g_ptr_array_add (lines, g_strdup_printf ("error (%s): %s", sl_field_error_kind_name (slot->error),
                                                 slot->error_text ? slot->error_text : ""));
      else
        g_ptr_array_add (lines, g_strdup ("no value: the previous sample is missing"));
      if (slot->has_phase)
        {
          g_autofree char *label = sl_phase_label (slot->phase);
          g_ptr_array_add (lines, g_strdup_printf ("phase %s", label));
        }
    }
  else
    {
      g_autofree char *elapsed = sl_format_time_ms (time, 0);
      g_ptr_array_add (lines, g_strdup_printf ("%s · no sample here", elapsed));
    }
  if (pt < 0 && sl_session_phase_at (self->session, time, &phase))
    {
      g_autofree char *label = sl_phase_label (phase);
      g_ptr_array_add (lines, g_strdup_printf ("phase %s", label));
    }
  g_ptr_array_add (lines, NULL);
}

static void
sl_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SlTimeline *self = SL_TIMELINE (widget);
  int full_w = gtk_widget_get_width (widget);
  int w = full_w - scrollbar_width (self);
  int h = gtk_widget_get_height (widget);
  SlTimeMap tm = time_map (self);
  g_autoptr(SlViewModel) vm = NULL;
  const SlRenderPhase *phases;
  guint n_phases;
  double y, a, b;
  cairo_t *cr;
  gint hover_track = -1, hover_point = -1;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (self->session == NULL || w <= SL_RENDER_HEADER_WIDTH || h <= 0)
    return;
  phases = sl_session_get_phases (self->session, &n_phases);
  vm = sl_view_model_build (self->session, &self->style, tm.t0, tm.t1,
                            sl_session_get_selected_track (self->session));
  if (self->n_scratch < (guint) w)
    {
      self->n_scratch = (guint) w;
      self->scratch = g_renew (SlBucket, self->scratch, self->n_scratch);
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, full_w, h));
  cairo_set_source_rgba (cr, self->style.background.r, self->style.background.g, self->style.background.b, 1);
  cairo_paint (cr);
  /* The ruler row runs under the scrollbar too. */
  cairo_set_source_rgba (cr, self->style.header_background.r, self->style.header_background.g,
                         self->style.header_background.b, 1);
  cairo_rectangle (cr, w, 0, full_w - w, SL_RENDER_RULER_HEIGHT);
  cairo_fill (cr);

  /* Tracks first (scrolled), the ruler over them. */
  cairo_save (cr);
  cairo_rectangle (cr, 0, SL_RENDER_RULER_HEIGHT, w, h - SL_RENDER_RULER_HEIGHT);
  cairo_clip (cr);
  y = SL_RENDER_RULER_HEIGHT - gtk_adjustment_get_value (self->vadj);
  for (guint i = 0; i < vm->tracks->len; i++)
    {
      const SlRenderTrack *rt = &g_array_index (vm->tracks, SlRenderTrack, i);
      double th = sl_view_model_track_height (rt);

      if (y + th >= SL_RENDER_RULER_HEIGHT && y < h)
        sl_render_track (cr, &self->style, &tm, phases, n_phases, rt, y, th, self->scratch, self->n_scratch);
      y += th;
    }
  if (y < h)
    {
      /* Below the last track: the window background, so the end is clear. */
      cairo_set_source_rgba (cr, self->style.header_background.r, self->style.header_background.g,
                             self->style.header_background.b, 1);
      cairo_rectangle (cr, 0, y, full_w, h - y);
      cairo_fill (cr);
    }
  if (sl_session_get_selection (self->session, &a, &b))
    sl_render_selection (cr, &self->style, &tm, a, b, SL_RENDER_RULER_HEIGHT, MIN (y, h));
  if (self->hovering && self->hover_x >= tm.x0 && !self->drag_pan)
    {
      build_readout (self, &tm, lines, &hover_track, &hover_point);
      sl_render_crosshair (cr, &self->style, &tm, sl_time_map_t (&tm, self->hover_x), 0, MIN (y, h));
      if (hover_point >= 0)
        {
          SlTrack *t = sl_session_get_track (self->session, hover_track);
          const SlRenderTrack *rt = &g_array_index (vm->tracks, SlRenderTrack, hover_track);
          double top;

          track_at (self, self->hover_y, &top);
          if (t->plot->ok[hover_point])
            {
              double th = sl_view_model_track_height (rt);
              double ptop = top + (rt->compact ? 3 : 20), pbot = top + th - 4;
              double f = (t->plot->v[hover_point] - rt->y_lo) / (rt->y_hi - rt->y_lo);
              cairo_set_source_rgba (cr, rt->color.r, rt->color.g, rt->color.b, 1);
              cairo_arc (cr, sl_time_map_x (&tm, t->plot->t[hover_point]), pbot - f * (pbot - ptop), 4, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }
  cairo_restore (cr);

  sl_render_ruler (cr, &self->style, &tm, phases, n_phases, 0, SL_RENDER_RULER_HEIGHT);
  if (self->hovering && self->hover_x >= tm.x0)
    sl_render_crosshair (cr, &self->style, &tm, sl_time_map_t (&tm, self->hover_x), SL_RENDER_RULER_HEIGHT / 2, SL_RENDER_RULER_HEIGHT);
  if (lines->len > 1)
    sl_render_readout (cr, &self->style, self->hover_x, self->hover_y,
                       (const char *const *) lines->pdata, w, h);
  cairo_destroy (cr);

  if (gtk_widget_get_visible (self->scrollbar))
    gtk_widget_snapshot_child (widget, self->scrollbar, snapshot);
}

static void
sl_timeline_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  SlTimeline *self = SL_TIMELINE (widget);
  int sw, nat;

  int sh;

  update_adjustment (self);
  if (!gtk_widget_get_visible (self->scrollbar))
    return;
  gtk_widget_measure (self->scrollbar, GTK_ORIENTATION_HORIZONTAL, -1, &sw, &nat, NULL, NULL);
  gtk_widget_measure (self->scrollbar, GTK_ORIENTATION_VERTICAL, sw, &sh, &nat, NULL, NULL);
  gtk_widget_size_allocate (self->scrollbar,
                            &(GtkAllocation) { width - sw, (int) SL_RENDER_RULER_HEIGHT, sw,
                                               MAX (sh, height - (int) SL_RENDER_RULER_HEIGHT) }, -1);
}

static void
sl_timeline_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                     int *minimum, int *natural, int *min_baseline, int *nat_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? (int) SL_RENDER_HEADER_WIDTH + 200 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 900 : 500;
}

static void
on_session_changed (SlTimeline *self)
{
  update_adjustment (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_timeline_set_session (SlTimeline *self, SlSession *session)
{
  g_return_if_fail (SL_IS_TIMELINE (self));

  if (self->session == session)
    return;
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_swapped (session, "tracks-changed", G_CALLBACK (on_session_changed), self);
      g_signal_connect_swapped (session, "view-changed", G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (session, "selection-changed", G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (session, "assertions-changed", G_CALLBACK (gtk_widget_queue_draw), self);
    }
  gtk_adjustment_set_value (self->vadj, 0);
  on_session_changed (self);
}

SlSession *
sl_timeline_get_session (SlTimeline *self)
{
  g_return_val_if_fail (SL_IS_TIMELINE (self), NULL);
  return self->session;
}

void
sl_timeline_scroll_to_track (SlTimeline *self, guint i)
{
  double y = 0, h, page;

  g_return_if_fail (SL_IS_TIMELINE (self));
  if (self->session == NULL || i >= sl_session_get_n_tracks (self->session))
    return;
  for (guint k = 0; k < i; k++)
    y += sl_session_get_track (self->session, k)->group ? SL_TRACK_COMPACT_HEIGHT : SL_TRACK_HEIGHT;
  h = sl_session_get_track (self->session, i)->group ? SL_TRACK_COMPACT_HEIGHT : SL_TRACK_HEIGHT;
  page = gtk_adjustment_get_page_size (self->vadj);
  if (y < gtk_adjustment_get_value (self->vadj))
    gtk_adjustment_set_value (self->vadj, y);
  else if (y + h > gtk_adjustment_get_value (self->vadj) + page)
    gtk_adjustment_set_value (self->vadj, y + h - page);
}

/* --- input ------------------------------------------------------------- */

static void
on_motion (GtkEventControllerMotion *c, double x, double y, SlTimeline *self)
{
  self->hovering = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *c, SlTimeline *self)
{
  self->hovering = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_scroll (GtkEventControllerScroll *c, double dx, double dy, SlTimeline *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (c));
  SlTimeMap tm;

  if (self->session == NULL)
    return FALSE;
  tm = time_map (self);
  if (mods & GDK_CONTROL_MASK)
    {
      double anchor = self->hovering && self->hover_x >= tm.x0 ? sl_time_map_t (&tm, self->hover_x) : NAN;
      sl_session_zoom (self->session, pow (ZOOM_STEP, -dy), anchor);
      return TRUE;
    }
  if (mods & GDK_SHIFT_MASK)
    {
      sl_session_pan (self->session, (dy + dx) * 0.1);
      return TRUE;
    }
  if (dx != 0)
    sl_session_pan (self->session, dx * 0.1);
  if (dy != 0)
    gtk_adjustment_set_value (self->vadj, gtk_adjustment_get_value (self->vadj) + dy * 40);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *g, double x, double y, SlTimeline *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (g));
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (g));

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->session == NULL)
    return;
  self->dragging = TRUE;
  self->drag_x0 = x;
  self->drag_y0 = y;
  /* Panning: middle button, Shift+drag, or any drag on the ruler. */
  self->drag_pan = button == GDK_BUTTON_MIDDLE || (mods & GDK_SHIFT_MASK) || y < SL_RENDER_RULER_HEIGHT;
  sl_session_get_view (self->session, &self->drag_view_t0, &self->drag_view_t1);
}

static void
on_drag_update (GtkGestureDrag *g, double ox, double oy, SlTimeline *self)
{
  SlTimeMap tm;

  if (!self->dragging || self->session == NULL)
    return;
  tm = time_map (self);
  if (self->drag_pan)
    {
      double dt = ox / tm.width * (self->drag_view_t1 - self->drag_view_t0);
      sl_session_set_view (self->session, self->drag_view_t0 - dt, self->drag_view_t1 - dt);
      return;
    }
  if (self->drag_x0 < tm.x0 || fabs (ox) < 3)
    return;
  sl_session_set_selection (self->session, sl_time_map_t (&tm, MAX (self->drag_x0, tm.x0)),
                            sl_time_map_t (&tm, CLAMP (self->drag_x0 + ox, tm.x0, tm.x0 + tm.width)));
}

static void
on_drag_end (GtkGestureDrag *g, double ox, double oy, SlTimeline *self)
{
  if (!self->dragging || self->session == NULL)
    return;
  self->dragging = FALSE;
  if (fabs (ox) < 3 && fabs (oy) < 3 && self->drag_y0 < SL_RENDER_RULER_HEIGHT / 2
      && self->drag_x0 >= SL_RENDER_HEADER_WIDTH)
    {
      /* A click on a phase band in the ruler fits the view to that phase. */
      SlTimeMap tm = time_map (self);
      guint16 phase;

      if (sl_session_phase_at (self->session, sl_time_map_t (&tm, self->drag_x0), &phase))
        sl_session_fit_phase (self->session, phase);
    }
  else if (!self->drag_pan && fabs (ox) < 3 && fabs (oy) < 3)
    {
      /* A click: select the track under the pointer, drop the time selection. */
      gint idx = track_at (self, self->drag_y0, NULL);
      if (idx >= 0)
        sl_session_select_track (self->session, idx);
      if (self->drag_x0 >= SL_RENDER_HEADER_WIDTH)
        sl_session_clear_selection (self->session);
    }
  self->drag_pan = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key (GtkEventControllerKey *c, guint keyval, guint keycode, GdkModifierType mods, SlTimeline *self)
{
  SlSession *s = self->session;
  SlTimeMap tm;
  double anchor;
  gint sel;

  if (s == NULL || (mods & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  tm = time_map (self);
  anchor = self->hovering && self->hover_x >= tm.x0 ? sl_time_map_t (&tm, self->hover_x) : NAN;
  sel = sl_session_get_selected_track (s);
  switch (keyval)
    {
    case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add: case GDK_KEY_w: case GDK_KEY_W:
      sl_session_zoom (s, ZOOM_STEP, anchor);
      return TRUE;
    case GDK_KEY_minus: case GDK_KEY_KP_Subtract: case GDK_KEY_s: case GDK_KEY_S:
      sl_session_zoom (s, 1 / ZOOM_STEP, anchor);
      return TRUE;
    case GDK_KEY_Left: case GDK_KEY_a: case GDK_KEY_A:
      sl_session_pan (s, -0.15);
      return TRUE;
    case GDK_KEY_Right: case GDK_KEY_d: case GDK_KEY_D:
      sl_session_pan (s, 0.15);
      return TRUE;
    case GDK_KEY_Up:
      if (sel > 0)
        {
          sl_session_select_track (s, sel - 1);
          sl_timeline_scroll_to_track (self, sel - 1);
        }
      return TRUE;
    case GDK_KEY_Down:
      if (sel + 1 < (gint) sl_session_get_n_tracks (s))
        {
          sl_session_select_track (s, sel + 1);
          sl_timeline_scroll_to_track (self, sel + 1);
        }
      return TRUE;
    case GDK_KEY_f: case GDK_KEY_F:
      {
        guint16 phase;
        if (sl_session_zoom_to_selection (s))
          return TRUE;
        if (!isnan (anchor) && sl_session_phase_at (s, anchor, &phase))
          sl_session_fit_phase (s, phase);
        else
          sl_session_fit_all (s);
        return TRUE;
      }
    case GDK_KEY_0: case GDK_KEY_Home:
      sl_session_fit_all (s);
      return TRUE;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_z: case GDK_KEY_Z:
      sl_session_zoom_to_selection (s);
      return TRUE;
    case GDK_KEY_Escape:
      sl_session_clear_selection (s);
      return TRUE;
    case GDK_KEY_Delete:
      if (sel >= 0)
        sl_session_remove_track (s, (guint) sel);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_dark_changed (SlTimeline *self)
{
  sl_render_style_init (&self->style, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sl_timeline_dispose (GObject *object)
{
  SlTimeline *self = SL_TIMELINE (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->scrollbar, gtk_widget_unparent);
  G_OBJECT_CLASS (sl_timeline_parent_class)->dispose (object);
}

static void
sl_timeline_finalize (GObject *object)
{
  SlTimeline *self = SL_TIMELINE (object);

  g_free (self->scratch);
  G_OBJECT_CLASS (sl_timeline_parent_class)->finalize (object);
}

static void
sl_timeline_class_init (SlTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_timeline_dispose;
  object_class->finalize = sl_timeline_finalize;
  widget_class->snapshot = sl_timeline_snapshot;
  widget_class->size_allocate = sl_timeline_size_allocate;
  widget_class->measure = sl_timeline_measure;
  gtk_widget_class_set_css_name (widget_class, "sltimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_timeline_init (SlTimeline *self)
{
  GtkEventController *c;
  GtkGesture *drag;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Timeline",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  "Tracks of the run's fields over elapsed time, with phase bands",
                                  -1);

  self->vadj = gtk_adjustment_new (0, 0, 1, 24, 100, 1);
  self->scrollbar = gtk_scrollbar_new (GTK_ORIENTATION_VERTICAL, self->vadj);
  gtk_widget_set_parent (self->scrollbar, GTK_WIDGET (self));
  g_signal_connect_swapped (self->vadj, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self);

  c = gtk_event_controller_motion_new ();
  g_signal_connect (c, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (c, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), c);

  c = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (c, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), c);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  c = gtk_event_controller_key_new ();
  g_signal_connect (c, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), c);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);
  sl_render_style_init (&self->style, adw_style_manager_get_dark (adw_style_manager_get_default ()));
}

GtkWidget *
sl_timeline_new (void)
{
  return g_object_new (SL_TYPE_TIMELINE, NULL);
}
