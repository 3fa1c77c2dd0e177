/* sl-assertion-editor.c: live assertion authoring against the open run. */
#include "sl-assertion-editor.h"

#include <adwaita.h>
#include "sl-phase.h"
#include "sl-prefill.h"
#include "sl-projection.h"

struct _SlAssertionEditor
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkWidget  *group;
  GtkWidget  *pattern_row;
  GtkWidget  *name_row;
  GtkWidget  *params_group;
  GtkWidget  *scope_group;
  GtkWidget  *verdict_group;
  GtkWidget  *badge;
  GtkWidget  *notes_list;
  GtkWidget  *add_button;

  SlSession  *session;
  char       *selector;        /* the track being asserted on */
  GPtrArray  *param_rows;      /* GtkWidget* (AdwEntryRow or AdwComboRow) in pattern param order */
  GPtrArray  *scope_checks;    /* GtkCheckButton* per session phase */
  gboolean    updating;
  gboolean    name_edited;
};

G_DEFINE_FINAL_TYPE (SlAssertionEditor, sl_assertion_editor, GTK_TYPE_WIDGET)

static const SlPatternInfo *
current_pattern (SlAssertionEditor *self)
{
  guint n, i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->pattern_row));
  const SlPatternInfo *all = sl_pattern_all (&n);

  return i < n ? &all[i] : NULL;
}

static SlTrack *
current_track (SlAssertionEditor *self)
{
  gint i;

  if (self->session == NULL || self->selector == NULL)
    return NULL;
  i = sl_session_find_track (self->session, self->selector);
  return i >= 0 ? sl_session_get_track (self->session, i) : NULL;
}

static void
clear_list_box (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)))
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
add_note_row (SlAssertionEditor *self, const char *icon, const char *css, const char *text)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *image = gtk_image_new_from_icon_name (icon);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  if (css)
    gtk_widget_add_css_class (image, css);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (row), image);
  gtk_box_append (GTK_BOX (row), label);
  gtk_list_box_append (GTK_LIST_BOX (self->notes_list), row);
}

static void
set_badge (SlAssertionEditor *self, const char *text, const char *css)
{
  static const char *const all[] = { "success", "error", "warning", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (self->badge, all[i]);
  gtk_label_set_text (GTK_LABEL (self->badge), text);
  gtk_widget_add_css_class (self->badge, css);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->badge), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* Shows the draft's verdict: badge, outcomes, notes. */
static void
show_verdict (SlAssertionEditor *self)
{
  SlVerdict *v;
  const char *error;
  guint shown = 0;

  clear_list_box (self->notes_list);
  if (self->session == NULL || sl_session_get_draft (self->session) == NULL)
    {
      set_badge (self, "No assertion", "dim-label");
      gtk_widget_set_visible (self->notes_list, FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.commit", FALSE);
      return;
    }
  v = sl_session_get_draft_verdict (self->session);
  error = sl_session_get_draft_error (self->session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.commit", v != NULL);
  if (v == NULL)
    {
      set_badge (self, "Invalid", "warning");
      add_note_row (self, "dialog-warning-symbolic", "warning", error ? error : "cannot evaluate");
      gtk_widget_set_visible (self->notes_list, TRUE);
      return;
    }
  switch (sl_verdict_result (v))
    {
    case SL_OUTCOME_FAIL:         set_badge (self, "Fail", "error"); break;
    case SL_OUTCOME_INCONCLUSIVE: set_badge (self, "Inconclusive", "warning"); break;
    case SL_OUTCOME_SKIP:         set_badge (self, "Skip", "dim-label"); break;
    case SL_OUTCOME_PASS:
    default:                      set_badge (self, "Pass", "success"); break;
    }
  /* Failures first, at most a screenful; the table has the rest. */
  for (guint i = 0; i < v->outcomes->len && shown < 12; i++)
    {
      const SlOutcome *o = &g_array_index (v->outcomes, SlOutcome, i);
      if (o->kind == SL_OUTCOME_FAIL)
        add_note_row (self, "dialog-error-symbolic", "error", o->message), shown++;
      else if (o->kind == SL_OUTCOME_INCONCLUSIVE)
        add_note_row (self, "dialog-question-symbolic", "warning", o->message), shown++;
    }
  if (v->outcomes->len > shown && shown == 12)
    {
      g_autofree char *more = g_strdup_printf ("… and %u more", v->outcomes->len - shown);
      add_note_row (self, "view-more-horizontal-symbolic", "dim-label", more);
    }
  for (guint i = 0; i < v->notes->len && i < 6; i++)
    add_note_row (self, "dialog-information-symbolic", "dim-label", g_array_index (v->notes, SlNote, i).message);
  if (sl_verdict_result (v) == SL_OUTCOME_PASS && v->notes->len == 0)
    add_note_row (self, "emblem-ok-symbolic", "success", "Every sample in scope satisfies the pattern.");
  gtk_widget_set_visible (self->notes_list, TRUE);
}

static const char *
row_text (GtkWidget *row)
{
  if (ADW_IS_COMBO_ROW (row))
    {
      GtkStringObject *o = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));
      return o ? gtk_string_object_get_string (o) : NULL;
    }
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* Builds the assertion from the widgets and hands it to the session. */
static void
update_draft (SlAssertionEditor *self)
{
  const SlPatternInfo *pattern = current_pattern (self);
  g_autoptr(SlFieldSelector) sel = NULL;
  g_autoptr(SlAssertion) a = NULL;
  g_autoptr(GArray) scope = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_phases;
  const SlRenderPhase *phases;
  SlTrack *track = current_track (self);
  gboolean all_checked = TRUE;

  if (self->updating || self->session == NULL)
    return;
  if (track == NULL || pattern == NULL)
    {
      sl_session_set_draft (self->session, NULL);
      return;
    }
  sel = sl_field_selector_parse (track->selector, NULL);
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  if (sel == NULL)
    return;
  a = sl_assertion_new (name && *name && sl_assertion_name_is_valid (name) ? name : "draft", sel,
                        pattern->name, &error);
  if (a == NULL)
    {
      sl_session_set_draft (self->session, NULL);
      return;
    }
  if (sl_pattern_accepts_type (pattern, track->type))
    sl_assertion_set_type (a, track->type, NULL);

  for (guint i = 0; i < pattern->n_params && i < self->param_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->param_rows, i);
      const char *text = row_text (row);
      g_autoptr(GError) perr = NULL;

      if (text && *text && sl_assertion_set_param_text (a, pattern->params[i].name, text, &perr))
        gtk_widget_remove_css_class (row, "error");
      else
        gtk_widget_add_css_class (row, "error");
    }

  phases = sl_session_get_phases (self->session, &n_phases);
  scope = g_array_new (FALSE, FALSE, sizeof (guint16));
  for (guint i = 0; i < self->scope_checks->len && i < n_phases; i++)
    {
      if (gtk_check_button_get_active (g_ptr_array_index (self->scope_checks, i)))
        g_array_append_val (scope, phases[i].phase);
      else
        all_checked = FALSE;
    }
  /* Every phase checked means "the whole run", which also keeps samples
   * that carry no phase. */
  if (!all_checked)
    sl_assertion_set_phases (a, (const guint16 *) (gpointer) scope->data, scope->len);
  sl_session_set_draft (self->session, g_steal_pointer (&a));
}

static void
prefill (SlAssertionEditor *self)
{
  const SlPatternInfo *pattern = current_pattern (self);
  SlTrack *track = current_track (self);
  g_autoptr(GArray) scope = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(SlSeriesField) other = NULL;
  const char *other_selector = NULL;
  const SlRenderPhase *phases;
  guint n_phases;
  SlPrefill pf;

  if (pattern == NULL || track == NULL)
    return;
  phases = sl_session_get_phases (self->session, &n_phases);
  for (guint i = 0; i < n_phases; i++)
    {
      g_array_append_val (all, phases[i].phase);
      if (i < self->scope_checks->len && gtk_check_button_get_active (g_ptr_array_index (self->scope_checks, i)))
        g_array_append_val (scope, phases[i].phase);
    }
  /* ratio_within compares with another track: the first other one shown. */
  for (guint i = 0; i < sl_session_get_n_tracks (self->session); i++)
    {
      SlTrack *t = sl_session_get_track (self->session, i);
      if (t != track && t->field)
        {
          other_selector = t->selector;
          other = sl_series_field_ref (t->field);
          break;
        }
    }
  sl_prefill_compute (&pf, pattern, track->field,
                      scope->len == n_phases ? NULL : (const guint16 *) (gpointer) scope->data,
                      scope->len == n_phases ? 0 : scope->len,
                      other, (const guint16 *) (gpointer) all->data, all->len);
  self->updating = TRUE;
  for (guint i = 0; i < pattern->n_params && i < self->param_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->param_rows, i);
      const char *text = pf.text[pattern->params[i].id];

      if (pattern->params[i].kind == SL_PARAM_KIND_FIELD)
        text = other_selector ? other_selector : "";
      if (ADW_IS_COMBO_ROW (row))
        {
          for (guint k = 0; text && k < n_phases; k++)
            if (g_strcmp0 (phases[k].label, text) == 0)
              adw_combo_row_set_selected (ADW_COMBO_ROW (row), k);
        }
      else if (text)
        gtk_editable_set_text (GTK_EDITABLE (row), text);
    }
  self->updating = FALSE;
  sl_prefill_clear (&pf);
}

static void
suggest_name (SlAssertionEditor *self)
{
  const SlPatternInfo *pattern = current_pattern (self);
  SlTrack *track = current_track (self);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  if (self->name_edited || pattern == NULL || track == NULL)
    return;
  base = g_strdup_printf ("%s-%s", track->label, pattern->name);
  name = sl_session_unique_name (self->session, base);
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->updating = FALSE;
}

static void
rebuild_params (SlAssertionEditor *self)
{
  const SlPatternInfo *pattern = current_pattern (self);

  for (guint i = 0; i < self->param_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->params_group), g_ptr_array_index (self->param_rows, i));
  g_ptr_array_set_size (self->param_rows, 0);
  if (pattern == NULL)
    return;
  {
    SlTrack *track = current_track (self);
    /* The plot may show a rate or a delta; assertions read the field itself. */
    const char *desc = pattern->n_params == 0 ? "This pattern takes no parameters"
                     : track && track->mode == SL_COUNTER_RATE ? "Values are the field’s own, not the rate plotted"
                     : track && track->mode == SL_COUNTER_DELTA ? "Values are the field’s own, not the deltas plotted"
                     : "Suggested from the data in scope";
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->params_group), desc);
  }
  for (guint i = 0; i < pattern->n_params; i++)
    {
      const SlPatternParam *p = &pattern->params[i];
      GtkWidget *row;

      if (p->kind == SL_PARAM_KIND_PHASE)
        {
          guint n;
          const SlRenderPhase *phases = sl_session_get_phases (self->session, &n);
          g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

          for (guint k = 0; k < n; k++)
            gtk_string_list_append (model, phases[k].label);
          row = adw_combo_row_new ();
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
          g_autofree char *desc = g_markup_escape_text (p->description, -1);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), desc);
          g_signal_connect_swapped (row, "notify::selected", G_CALLBACK (update_draft), self);
        }
      else
        {
          row = adw_entry_row_new ();
          g_signal_connect_swapped (row, "changed", G_CALLBACK (update_draft), self);
          gtk_widget_set_tooltip_text (row, p->description);
        }
      {
        g_autofree char *title = g_markup_escape_text (p->name, -1);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      }
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, p->description, -1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->params_group), row);
      g_ptr_array_add (self->param_rows, row);
    }
}

static void
on_pattern_changed (SlAssertionEditor *self)
{
  const SlPatternInfo *pattern = current_pattern (self);

  if (pattern)
    {
      /* Adwaita rows and groups take markup: descriptions contain "<=". */
      g_autofree char *desc = g_markup_escape_text (pattern->description, -1);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), desc);
    }
  self->updating = TRUE;
  rebuild_params (self);
  self->updating = FALSE;
  prefill (self);
  suggest_name (self);
  update_draft (self);
}

static void
rebuild_scope (SlAssertionEditor *self)
{
  g_autoptr(GArray) in_sel = NULL;
  const SlRenderPhase *phases;
  guint n;

  for (guint i = 0; i < self->scope_checks->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->scope_group),
                                  gtk_widget_get_ancestor (g_ptr_array_index (self->scope_checks, i), ADW_TYPE_ACTION_ROW));
  g_ptr_array_set_size (self->scope_checks, 0);
  if (self->session == NULL)
    return;
  phases = sl_session_get_phases (self->session, &n);
  in_sel = sl_session_phases_in_selection (self->session);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *range = g_strdup_printf ("%.0f – %.0f ms", phases[i].start_ms, phases[i].end_ms);
      gboolean active = FALSE;

      for (guint k = 0; k < in_sel->len; k++)
        active |= g_array_index (in_sel, guint16, k) == phases[i].phase;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, phases[i].label, -1);
      {
        g_autofree char *title = g_markup_escape_text (phases[i].label, -1);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), range);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (update_draft), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->scope_group), row);
      g_ptr_array_add (self->scope_checks, check);
    }
}

/* Follows the selected track and the time selection. */
static void
on_selection_changed (SlAssertionEditor *self)
{
  gint i = sl_session_get_selected_track (self->session);
  SlTrack *t = i >= 0 ? sl_session_get_track (self->session, i) : NULL;
  gboolean retarget = t && g_strcmp0 (t->selector, self->selector) != 0;

  gtk_widget_set_sensitive (self->box, t != NULL);
  if (t == NULL)
    {
      g_clear_pointer (&self->selector, g_free);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), "Assertion");
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), "Select a track, then pick a pattern");
      sl_session_set_draft (self->session, NULL);
      return;
    }
  if (retarget)
    {
      g_free (self->selector);
      self->selector = g_strdup (t->selector);
      self->name_edited = FALSE;
      g_autofree char *title = g_markup_escape_text (t->label, -1);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), title);
      if (current_pattern (self))
        {
          g_autofree char *desc = g_markup_escape_text (current_pattern (self)->description, -1);
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), desc);
        }
    }
  self->updating = TRUE;
  rebuild_scope (self);
  self->updating = FALSE;
  prefill (self);
  suggest_name (self);
  update_draft (self);
}

static void
on_name_changed (SlAssertionEditor *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));

  if (self->updating)
    return;
  self->name_edited = TRUE;
  if (sl_assertion_name_is_valid (name))
    gtk_widget_remove_css_class (self->name_row, "error");
  else
    gtk_widget_add_css_class (self->name_row, "error");
  update_draft (self);
}

gboolean
sl_assertion_editor_commit (SlAssertionEditor *self)
{
  const SlAssertion *draft;
  const char *name;

  g_return_val_if_fail (SL_IS_ASSERTION_EDITOR (self), FALSE);
  if (self->session == NULL || (draft = sl_session_get_draft (self->session)) == NULL
      || sl_session_get_draft_verdict (self->session) == NULL)
    return FALSE;
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  if (!sl_assertion_name_is_valid (name))
    return FALSE;
  sl_session_commit (self->session, sl_assertion_copy (draft));
  /* Ready for the next one on the same track. */
  self->name_edited = FALSE;
  suggest_name (self);
  update_draft (self);
  return TRUE;
}

static void
commit_action (GtkWidget *widget, const char *action, GVariant *param)
{
  sl_assertion_editor_commit (SL_ASSERTION_EDITOR (widget));
}

gboolean
sl_assertion_editor_set_pattern (SlAssertionEditor *self, const char *name)
{
  guint n;
  const SlPatternInfo *all = sl_pattern_all (&n);

  g_return_val_if_fail (SL_IS_ASSERTION_EDITOR (self), FALSE);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (all[i].name, name) == 0)
      {
        if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->pattern_row)) == i)
          on_pattern_changed (self);
        else
          adw_combo_row_set_selected (ADW_COMBO_ROW (self->pattern_row), i);
        return TRUE;
      }
  return FALSE;
}

gboolean
sl_assertion_editor_set_param (SlAssertionEditor *self, const char *key, const char *text)
{
  const SlPatternInfo *pattern;

  g_return_val_if_fail (SL_IS_ASSERTION_EDITOR (self), FALSE);
  pattern = current_pattern (self);
  for (guint i = 0; pattern && i < pattern->n_params && i < self->param_rows->len; i++)
    if (g_str_equal (pattern->params[i].name, key))
      {
        GtkWidget *row = g_ptr_array_index (self->param_rows, i);
        if (ADW_IS_COMBO_ROW (row))
          return FALSE;
        gtk_editable_set_text (GTK_EDITABLE (row), text);
        return TRUE;
      }
  return FALSE;
}

/* A live run grew: new phases get their own check rows. */
static void
on_run_changed (SlAssertionEditor *self)
{
  guint n;

  sl_session_get_phases (self->session, &n);
  if (n == self->scope_checks->len)
    return;
  self->updating = TRUE;
  rebuild_scope (self);
  self->updating = FALSE;
}

void
sl_assertion_editor_set_session (SlAssertionEditor *self, SlSession *session)
{
  g_return_if_fail (SL_IS_ASSERTION_EDITOR (self));

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_clear_pointer (&self->selector, g_free);
  if (session)
    {
      g_signal_connect_swapped (session, "selection-changed", G_CALLBACK (on_selection_changed), self);
      g_signal_connect_swapped (session, "assertions-changed", G_CALLBACK (show_verdict), self);
      g_signal_connect_swapped (session, "run-changed", G_CALLBACK (on_run_changed), self);
      self->updating = TRUE;
      rebuild_scope (self);
      rebuild_params (self);
      self->updating = FALSE;
      on_selection_changed (self);
    }
  show_verdict (self);
}

static void
sl_assertion_editor_dispose (GObject *object)
{
  SlAssertionEditor *self = SL_ASSERTION_EDITOR (object);

  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_ASSERTION_EDITOR);
  G_OBJECT_CLASS (sl_assertion_editor_parent_class)->dispose (object);
}

static void
sl_assertion_editor_finalize (GObject *object)
{
  SlAssertionEditor *self = SL_ASSERTION_EDITOR (object);

  g_free (self->selector);
  g_ptr_array_unref (self->param_rows);
  g_ptr_array_unref (self->scope_checks);
  G_OBJECT_CLASS (sl_assertion_editor_parent_class)->finalize (object);
}

static void
sl_assertion_editor_class_init (SlAssertionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_assertion_editor_dispose;
  object_class->finalize = sl_assertion_editor_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/schedlab/Schedlab/sl-assertion-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, box);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, group);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, params_group);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, scope_group);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, verdict_group);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, badge);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, notes_list);
  gtk_widget_class_bind_template_child (widget_class, SlAssertionEditor, add_button);
  gtk_widget_class_install_action (widget_class, "editor.commit", NULL, commit_action);
}

static void
sl_assertion_editor_init (SlAssertionEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n;
  const SlPatternInfo *all = sl_pattern_all (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->param_rows = g_ptr_array_new ();
  self->scope_checks = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, all[i].name);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->pattern_row), G_LIST_MODEL (names));
  g_signal_connect_swapped (self->pattern_row, "notify::selected", G_CALLBACK (on_pattern_changed), self);
  g_signal_connect_swapped (self->name_row, "changed", G_CALLBACK (on_name_changed), self);
  gtk_widget_set_sensitive (self->box, FALSE);
  show_verdict (self);
}

GtkWidget *
sl_assertion_editor_new (void)
{
  return g_object_new (SL_TYPE_ASSERTION_EDITOR, NULL);
}
