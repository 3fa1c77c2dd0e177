/* sl-new-run-dialog.c: choosing what to run. */
#include "sl-new-run-dialog.h"

#include <glib/gstdio.h>
#include <string.h>
#include "sl-types.h"

static const char *const scenarios[] = { "steady", "two-cgroups", "cpuset-shuffle", "fork-storm", NULL };
static const char *const scenario_titles[] = { "Steady", "Two cgroups", "Cpuset shuffle", "Fork storm", NULL };
static const char *const schedulers[] = { "", "sl_fifo", "sl_vtime", "other", NULL };
static const char *const scheduler_titles[] = { "None (the kernel’s own)", "sl_fifo (bundled)", "sl_vtime (bundled)",
                                                "Other Binary…", NULL };
/* doc/schedulers.md; the starve-cgroup victim is two-cgroups' light cgroup. */
static const char *const faults[] = { "", "stall", "counter-regress", "imbalance", "starve-cgroup=sl/light", NULL };
static const char *const fault_titles[] = { "None", "Stall a task", "Counter regression", "Imbalance onto CPU 0",
                                            "Starve the “light” cgroup", NULL };

struct _SlNewRunDialog
{
  AdwWindow  parent_instance;

  GtkWidget *kernel_row;      /* AdwComboRow: default / file */
  GtkWidget *kernel_file_row;
  char      *kernel_path;
  GtkWidget *topo[4];         /* GtkSpinButton: numa, llcs, cores, threads */
  GtkWidget *topo_group;
  GtkWidget *sched_row;
  GtkWidget *sched_file_row;
  char      *sched_path;
  GtkWidget *fault_row;
  GtkWidget *args_row;        /* AdwEntryRow */
  GtkWidget *scenario_row;
  GtkWidget *duration;
  GtkWidget *snapshots;
  GtkWidget *output_row;
  char      *output;
  gboolean   output_chosen;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (SlNewRunDialog, sl_new_run_dialog, ADW_TYPE_WINDOW)

enum { SIG_START, N_SIGNALS };
static guint signals[N_SIGNALS];

/* --- where things are ----------------------------------------------------- */

char *
sl_new_run_find_cli (void)
{
  const char *env = g_getenv ("SCHEDLAB_CLI");

  if (env && *env)
    return g_strdup (env);
#ifdef SL_CLI_BUILD_PATH
  if (g_file_test (SL_CLI_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (SL_CLI_BUILD_PATH);
#endif
  return g_find_program_in_path ("schedlab-cli");
}

char *
sl_new_run_find_sched_loader (void)
{
  const char *env = g_getenv ("SCHEDLAB_SCHED_LOADER");

  if (env && *env)
    return g_strdup (env);
#ifdef SL_SCHED_LOADER_BUILD_PATH
  if (g_file_test (SL_SCHED_LOADER_BUILD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (SL_SCHED_LOADER_BUILD_PATH);
#endif
  return g_find_program_in_path ("sl-sched");
}

char *
sl_new_run_default_output (const char *scenario, const char *scheduler)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "schedlab", "runs", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s-%s.slrun", scenario ? scenario : "run",
                                           scheduler && *scheduler ? scheduler : "kernel", stamp);

  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

/* --- rows ------------------------------------------------------------------ */

static GtkWidget *
combo_row (const char *title, const char *subtitle, const char *const *items)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *const *) items);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  return row;
}

static GtkWidget *
spin_row (GtkWidget *group, const char *title, const char *subtitle, double lo, double hi, double value,
          GtkWidget **spin_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lo, hi, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  *spin_out = spin;
  return row;
}

static GtkWidget *
file_row (const char *title, GCallback choose, gpointer data)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic ("_Choose…");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "No file chosen");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (button, "clicked", choose, data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static const char *
selected (GtkWidget *combo, const char *const *values)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (combo));
  return i < g_strv_length ((char **) values) ? values[i] : values[0];
}

static void
update_rows (SlNewRunDialog *self)
{
  const char *sched = selected (self->sched_row, schedulers);
  guint cpus = 1;
  g_autofree char *desc = NULL;

  gtk_widget_set_visible (self->kernel_file_row, adw_combo_row_get_selected (ADW_COMBO_ROW (self->kernel_row)) == 1);
  gtk_widget_set_visible (self->sched_file_row, g_str_equal (sched, "other"));
  gtk_widget_set_visible (self->fault_row, g_str_has_prefix (sched, "sl_"));
  gtk_widget_set_sensitive (self->args_row, *sched != '\0');
  for (guint i = 0; i < 4; i++)
    cpus *= (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->topo[i]));
  desc = g_strdup_printf ("%u virtual CPU%s", cpus, cpus == 1 ? "" : "s");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->topo_group), desc);
  if (!self->output_chosen)
    {
      g_free (self->output);
      self->output = sl_new_run_default_output (selected (self->scenario_row, scenarios),
                                                g_str_equal (sched, "other") ? "custom" : sched);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->output_row), self->output);
    }
}

/* --- file choosers ------------------------------------------------------- */

typedef enum { CHOOSE_KERNEL, CHOOSE_SCHEDULER, CHOOSE_OUTPUT } ChooseWhat;

static void
on_chooser_response (GtkNativeDialog *dialog, int response, SlNewRunDialog *self)
{
  ChooseWhat what = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "what"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      char *path = file ? g_file_get_path (file) : NULL;

      if (path && what == CHOOSE_KERNEL)
        {
          g_free (self->kernel_path);
          self->kernel_path = path;
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->kernel_file_row), path);
        }
      else if (path && what == CHOOSE_SCHEDULER)
        {
          g_free (self->sched_path);
          self->sched_path = path;
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->sched_file_row), path);
        }
      else if (path)
        {
          g_free (self->output);
          self->output = path;
          self->output_chosen = TRUE;
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->output_row), path);
        }
    }
  g_clear_object (&self->chooser);
}

static void
choose (SlNewRunDialog *self, ChooseWhat what)
{
  static const char *const titles[] = { "Choose a Kernel", "Choose a Scheduler Binary", "Save the Run As" };
  GtkFileChooserNative *native =
    gtk_file_chooser_native_new (titles[what], GTK_WINDOW (self),
                                 what == CHOOSE_OUTPUT ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 what == CHOOSE_OUTPUT ? "_Save" : "_Choose", "_Cancel");

  if (what == CHOOSE_OUTPUT)
    {
      g_autofree char *base = g_path_get_basename (self->output);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), base);
    }
  g_object_set_data (G_OBJECT (native), "what", GUINT_TO_POINTER (what));
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response), self);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_set_modal (self->chooser, TRUE);
  gtk_native_dialog_show (self->chooser);
}

static void choose_kernel (SlNewRunDialog *self) { choose (self, CHOOSE_KERNEL); }
static void choose_scheduler (SlNewRunDialog *self) { choose (self, CHOOSE_SCHEDULER); }
static void choose_output (SlNewRunDialog *self) { choose (self, CHOOSE_OUTPUT); }

/* --- the result ------------------------------------------------------------ */

GStrv
sl_new_run_dialog_build_args (SlNewRunDialog *self, char **output, GError **error)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) sched_args = g_strv_builder_new ();
  const char *sched = selected (self->sched_row, schedulers);
  const char *fault = selected (self->fault_row, faults);
  const char *extra = gtk_editable_get_text (GTK_EDITABLE (self->args_row));
  g_autofree char *topo = NULL, *dur = NULL, *snaps = NULL;
  g_auto(GStrv) extra_v = NULL;

  g_return_val_if_fail (SL_IS_NEW_RUN_DIALOG (self), NULL);

  if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->kernel_row)) == 1)
    {
      if (self->kernel_path == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "Choose a kernel file, or use the default kernel");
          return NULL;
        }
      g_strv_builder_add_many (b, "--kernel", self->kernel_path, NULL);
    }
  else
    g_strv_builder_add_many (b, "--kernel", "default", NULL);
  topo = g_strdup_printf ("%d,%d,%d,%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->topo[0])),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->topo[1])),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->topo[2])),
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->topo[3])));
  dur = g_strdup_printf ("%ds", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->duration)));
  snaps = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->snapshots)));
  g_strv_builder_add_many (b, "--topology", topo, "--scenario", selected (self->scenario_row, scenarios),
                           "--duration", dur, "--snapshots", snaps, NULL);

  if (extra && *extra && !g_shell_parse_argv (extra, NULL, &extra_v, error))
    return NULL;
  if (g_str_has_prefix (sched, "sl_"))
    {
      g_autofree char *loader = sl_new_run_find_sched_loader ();
      if (loader == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND,
                       "The bundled scheduler loader (sl-sched) is not built here; set SCHEDLAB_SCHED_LOADER");
          return NULL;
        }
      g_strv_builder_add_many (b, "--scheduler", loader, NULL);
      g_strv_builder_add_many (sched_args, "--scheduler", sched, NULL);
      if (*fault)
        {
          g_autofree char *bug = g_strdup_printf ("--bug=%s", fault);
          g_strv_builder_add (sched_args, bug);
        }
    }
  else if (g_str_equal (sched, "other"))
    {
      if (self->sched_path == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_NOT_FOUND, "Choose a scheduler binary, or pick a bundled one");
          return NULL;
        }
      g_strv_builder_add_many (b, "--scheduler", self->sched_path, NULL);
    }
  if (extra_v)
    g_strv_builder_addv (sched_args, (const char **) extra_v);
  {
    g_auto(GStrv) sa = g_strv_builder_end (sched_args);
    if (sa[0] != NULL)
      {
        g_strv_builder_add (b, "--");
        g_strv_builder_addv (b, (const char **) sa);
      }
  }
  if (output)
    *output = g_strdup (self->output);
  return g_strv_builder_end (b);
}

static void
on_start (SlNewRunDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) args = sl_new_run_dialog_build_args (self, &output, &error);

  if (args == NULL)
    {
      GtkWidget *d = adw_message_dialog_new (GTK_WINDOW (self), "Cannot Start the Run", error->message);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (d), "close", "_Close");
      gtk_window_present (GTK_WINDOW (d));
      return;
    }
  g_signal_emit (self, signals[SIG_START], 0, args, output);
  gtk_window_close (GTK_WINDOW (self));
}

static guint
index_of (const char *const *values, const char *name)
{
  for (guint i = 0; values[i]; i++)
    if (g_strcmp0 (values[i], name) == 0)
      return i;
  return 0;
}

void
sl_new_run_dialog_select (SlNewRunDialog *self, const char *scheduler, const char *fault, const char *scenario)
{
  g_return_if_fail (SL_IS_NEW_RUN_DIALOG (self));
  if (scheduler)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->sched_row), index_of (schedulers, scheduler));
  if (fault)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->fault_row), index_of (faults, fault));
  if (scenario)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->scenario_row), index_of (scenarios, scenario));
}

void
sl_new_run_dialog_set_output (SlNewRunDialog *self, const char *path)
{
  g_return_if_fail (SL_IS_NEW_RUN_DIALOG (self));
  g_free (self->output);
  self->output = g_strdup (path);
  self->output_chosen = TRUE;
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->output_row), path);
}

/* --- construction ---------------------------------------------------------- */

static void
sl_new_run_dialog_dispose (GObject *object)
{
  SlNewRunDialog *self = SL_NEW_RUN_DIALOG (object);

  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (sl_new_run_dialog_parent_class)->dispose (object);
}

static void
sl_new_run_dialog_finalize (GObject *object)
{
  SlNewRunDialog *self = SL_NEW_RUN_DIALOG (object);

  g_free (self->kernel_path);
  g_free (self->sched_path);
  g_free (self->output);
  G_OBJECT_CLASS (sl_new_run_dialog_parent_class)->finalize (object);
}

static void
sl_new_run_dialog_class_init (SlNewRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_new_run_dialog_dispose;
  object_class->finalize = sl_new_run_dialog_finalize;
  /* (GStrv args of `schedlab-cli run`, char *output path) */
  signals[SIG_START] = g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_STRING);
}

static void
sl_new_run_dialog_init (SlNewRunDialog *self)
{
  static const char *const kernels[] = { "Default", "A Kernel File…", NULL };
  static const char *const topo_titles[] = { "NUMA nodes", "LLCs per node", "Cores per LLC", "Threads per core" };
  static const double topo_defaults[] = { 1, 1, 2, 1 };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  GtkWidget *start = gtk_button_new_with_mnemonic ("_Start");
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;

  gtk_window_set_title (GTK_WINDOW (self), "New Run");
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_widget_add_css_class (start, "suggested-action");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), start);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect_swapped (start, "clicked", G_CALLBACK (on_start), self);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), start);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Kernel");
  self->kernel_row = combo_row ("Kernel", "The default is a cached or downloaded Debian kernel with sched_ext", kernels);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->kernel_row);
  self->kernel_file_row = file_row ("Kernel file", G_CALLBACK (choose_kernel), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->kernel_file_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  self->topo_group = group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Topology");
  for (guint i = 0; i < 4; i++)
    {
      spin_row (group, topo_titles[i], NULL, 1, i == 2 ? 64 : 8, topo_defaults[i], &self->topo[i]);
      g_signal_connect_swapped (self->topo[i], "value-changed", G_CALLBACK (update_rows), self);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Scheduler");
  self->sched_row = combo_row ("Scheduler", NULL, scheduler_titles);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->sched_row), 2);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->sched_row);
  self->sched_file_row = file_row ("Scheduler binary", G_CALLBACK (choose_scheduler), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->sched_file_row);
  self->fault_row = combo_row ("Fault mode", "Make the bundled scheduler misbehave on purpose", fault_titles);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->fault_row);
  self->args_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->args_row), "Extra arguments");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->args_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Workload");
  self->scenario_row = combo_row ("Scenario", NULL, scenario_titles);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->scenario_row);
  spin_row (group, "Duration", "Seconds of workload; the scenario’s steps share it", 1, 3600, 10, &self->duration);
  spin_row (group, "Snapshots", "Periodic captures of the scheduler’s state", 1, 1000, 20, &self->snapshots);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), "Output");
  self->output_row = file_row ("Run archive", G_CALLBACK (choose_output), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->output_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  g_signal_connect_swapped (self->kernel_row, "notify::selected", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->sched_row, "notify::selected", G_CALLBACK (update_rows), self);
  g_signal_connect_swapped (self->scenario_row, "notify::selected", G_CALLBACK (update_rows), self);
  update_rows (self);
}

GtkWidget *
sl_new_run_dialog_new (GtkWindow *parent)
{
  return g_object_new (SL_TYPE_NEW_RUN_DIALOG, "transient-for", parent, NULL);
}
