/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-account-folders-group.h"
#include "gauge-limit-kind.h"
#include "gauge-store-readings.h"
#include "gauge-preferences-window.h"

struct _GaugePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  AdwPreferencesPage   *general_page;
  AdwPreferencesPage   *console_page;
  AdwPreferencesGroup  *thresholds_group;
  GaugeStore           *store;
  GCancellable         *cancellable;

  GtkSpinButton        *poll_spin;
  GtkSpinButton        *warning_spin;
  GtkSpinButton        *critical_spin;
  AdwComboRow          *tray_metric_row;
  GtkSwitch            *background_switch;
  GtkSwitch            *login_switch;
  GtkSwitch            *pace_switch;
  GtkSwitch            *prompt_cache_switch;
  GtkSpinButton        *prompt_cache_spin;
  GtkSwitch            *reset_switch;
  AdwComboRow          *mute_row;
  AdwComboRow          *cost_mode_row;
  AdwComboRow          *plan_row;
  GtkSpinButton        *billing_spin;
  GtkSpinButton        *custom_limit_spin;
  AdwComboRow          *week_start_row;
  GtkSpinButton        *weekly_budget_spin;
  GtkSpinButton        *session_budget_spin;
  GtkSwitch            *ending_switch;
  GtkSpinButton        *ending_spin;
  GtkSwitch            *idle_switch;
  GtkSpinButton        *idle_spin;
  GtkSwitch            *plan_switch_switch;
  AdwComboRow          *retention_row;
  AdwActionRow         *clear_row;
  GtkButton            *clear_button;
  AdwActionRow         *custom_limit_row;
  GtkSpinButton        *org_budget_spin;
  GtkSpinButton        *console_poll_spin;
  GtkLabel             *override_label;
};

G_DEFINE_FINAL_TYPE (GaugePreferencesWindow, gauge_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The setting is in seconds, the spin button in minutes. */
static gboolean
seconds_to_minutes (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 60.0);
  return TRUE;
}

static GVariant *
minutes_to_seconds (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  double minutes = CLAMP (round (g_value_get_double (value)), 1.0, 1440.0);

  return g_variant_new_uint32 ((guint32) minutes * 60);
}

/* Token counts are typed in thousands or millions: a spin button wide enough for every digit
 * of a raw count does not fit a phone-sized window. */
static gboolean
tokens_to_units (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  guint unit = GPOINTER_TO_UINT (user_data);

  g_value_set_double (value, (double) g_variant_get_uint64 (variant) / unit);
  return TRUE;
}

static GVariant *
units_to_tokens (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  double tokens = round (g_value_get_double (value) * GPOINTER_TO_UINT (user_data));

  return g_variant_new_uint64 ((guint64) CLAMP (tokens, 0.0, 1e15));
}

/* The values of string-choice settings, in the order of their combo rows. */
static const char * const tray_metrics[] = { "most-constrained", "five-hour", "weekly", NULL };
static const char * const cost_modes[] = { "auto", "calculate", "display", NULL };
static const char * const weekdays[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL
};
static const char * const plan_limits[] = {
  "auto", "pro", "max5", "max20", "custom", "custom_max", "p90", NULL
};

static gboolean
choice_to_index (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], choice))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_choice (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char * const *choices = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[index]);
}

static void
bind_choice (GaugePreferencesWindow *self,
             const char             *key,
             AdwComboRow            *row,
             const char * const     *choices)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_index, index_to_choice, (gpointer) choices, NULL);
}

/* history-retention-days in the order of the retention row. */
static const guint retention_days[] = { 0, 365, 90, 30 };

static gboolean
days_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  guint days = g_variant_get_uint32 (variant);

  for (guint i = 0; i < G_N_ELEMENTS (retention_days); i++)
    if (retention_days[i] == days)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
index_to_days (const GValue       *value,
               const GVariantType *expected_type,
               gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  if (index >= G_N_ELEMENTS (retention_days))
    return NULL;

  return g_variant_new_uint32 (retention_days[index]);
}

static void
clear_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GaugePreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 removed = 0;

  if (!gauge_store_clear_history_finish (GAUGE_STORE (object), result, &removed, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("Could not clear the history: %s"), error->message);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %u reading", "Deleted %u readings",
                                         (gulong) MIN (removed, G_MAXUINT)),
                            (guint) MIN (removed, G_MAXUINT));

  adw_action_row_set_subtitle (self->clear_row, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), error == NULL);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
clear_response_cb (GaugePreferencesWindow *self,
                   const char             *response)
{
  if (g_strcmp0 (response, "clear") != 0 || self->store == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), FALSE);
  adw_action_row_set_subtitle (self->clear_row, _("Clearing…"));
  gauge_store_clear_history_async (self->store, self->cancellable, clear_done_cb,
                                   g_object_ref (self));
}

static void
clear_clicked_cb (GaugePreferencesWindow *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Clear History?"),
                                                       _("Every stored reading and limit event "
                                                         "will be deleted. Local usage from "
                                                         "Claude Code’s transcripts is kept.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "clear", _("_Clear"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Mute: 0 = not muted, 1 = for an hour, 2 = until tomorrow (local midnight). */
static void
mute_selected_cb (GaugePreferencesWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  guint selected = adw_combo_row_get_selected (self->mute_row);
  gint64 until = 0;

  if (selected == 1)
    until = g_date_time_to_unix (now) + 3600;
  else if (selected == 2)
    {
      g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                            g_date_time_get_month (now),
                                                            g_date_time_get_day_of_month (now),
                                                            0, 0, 0);
      g_autoptr(GDateTime) tomorrow = g_date_time_add_days (midnight, 1);

      until = g_date_time_to_unix (tomorrow);
    }

  g_settings_set_int64 (self->settings, "mute-until", until);
}

static void
update_custom_limit (GaugePreferencesWindow *self)
{
  g_autofree char *plan = g_settings_get_string (self->settings, "plan-limit");

  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_limit_row), g_str_equal (plan, "custom"));
}

/* Notifications follow the thresholds above unless a limit group's thresholds-* key was set
 * to its own list with gsettings; say so where the thresholds are, or they look ignored. */
static void
update_overrides (GaugePreferencesWindow *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    {
      const char *key = gauge_limit_group_get_thresholds_key (i);
      g_autoptr(GVariant) value = g_settings_get_value (self->settings, key);
      const double *values;
      gsize n = 0;

      values = g_variant_get_fixed_array (value, &n, sizeof (double));
      if (n == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: "thresholds-weekly: 50, 90": a setting's name and its percentages. */
      g_string_append_printf (text, _("%s: "), key);
      for (gsize j = 0; j < n; j++)
        g_string_append_printf (text, j > 0 ? ", %g %%" : "%g %%", values[j]);
    }

  if (text->len > 0)
    {
      g_autofree char *label = g_strdup_printf (_("Notifications of these limits come at their "
                                                  "own thresholds, set with gsettings:\n%s"),
                                                text->str);

      gtk_label_set_text (self->override_label, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->override_label), text->len > 0);
}

/* Warning comes before Critical: each spin stops at the other's value. */
static void
keep_thresholds_in_order (GaugePreferencesWindow *self)
{
  gtk_adjustment_set_lower (gtk_spin_button_get_adjustment (self->critical_spin),
                            gtk_spin_button_get_value (self->warning_spin));
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->warning_spin),
                            gtk_spin_button_get_value (self->critical_spin));
}

/* Every row shows its setting and changes it. */
static void
bind_settings (GaugePreferencesWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "poll-interval",
                                self->poll_spin, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                seconds_to_minutes, minutes_to_seconds,
                                NULL, NULL);
  g_settings_bind (self->settings, "warning-threshold",
                   self->warning_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "critical-threshold",
                   self->critical_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  keep_thresholds_in_order (self);
  g_signal_connect_swapped (self->warning_spin, "value-changed",
                            G_CALLBACK (keep_thresholds_in_order), self);
  g_signal_connect_swapped (self->critical_spin, "value-changed",
                            G_CALLBACK (keep_thresholds_in_order), self);

  bind_choice (self, "tray-metric", self->tray_metric_row, tray_metrics);
  bind_choice (self, "cost-mode", self->cost_mode_row, cost_modes);
  bind_choice (self, "plan-limit", self->plan_row, plan_limits);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login", self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-pace", self->pace_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-reset", self->reset_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-prompt-cache", self->prompt_cache_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "prompt-cache-warning-minutes", self->prompt_cache_spin,
                   "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "history-retention-days", self->retention_row,
                                "selected", G_SETTINGS_BIND_DEFAULT,
                                days_to_index, index_to_days, NULL, NULL);
  g_settings_bind (self->settings, "billing-start-day", self->billing_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "plan-limit-tokens", self->custom_limit_spin,
                                "value", G_SETTINGS_BIND_DEFAULT, tokens_to_units,
                                units_to_tokens, GUINT_TO_POINTER (1000), NULL);
  bind_choice (self, "start-of-week", self->week_start_row, weekdays);
  g_settings_bind_with_mapping (self->settings, "weekly-token-budget", self->weekly_budget_spin,
                                "value", G_SETTINGS_BIND_DEFAULT, tokens_to_units,
                                units_to_tokens, GUINT_TO_POINTER (1000000), NULL);
  g_settings_bind (self->settings, "session-budget", self->session_budget_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-session-ending", self->ending_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-session-ending-minutes", self->ending_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-inactivity", self->idle_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-inactivity-minutes", self->idle_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-plan-switch", self->plan_switch_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "console-organization-budget", self->org_budget_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "console-poll-interval",
                                self->console_poll_spin, "value",
                                G_SETTINGS_BIND_DEFAULT,
                                seconds_to_minutes, minutes_to_seconds,
                                NULL, NULL);

  /* The custom limit matters only with the custom block limit chosen. */
  g_signal_connect_object (self->settings, "changed::plan-limit",
                           G_CALLBACK (update_custom_limit), self, G_CONNECT_SWAPPED);
  update_custom_limit (self);
  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    {
      g_autofree char *signal = g_strconcat ("changed::",
                                             gauge_limit_group_get_thresholds_key (i), NULL);

      g_signal_connect_object (self->settings, signal, G_CALLBACK (update_overrides), self,
                               G_CONNECT_SWAPPED);
    }
  update_overrides (self);

  /* Show a mute still running as such; choosing sets a new end. */
  if (g_settings_get_int64 (self->settings, "mute-until") > g_get_real_time () / G_USEC_PER_SEC)
    adw_combo_row_set_selected (self->mute_row, 1);
  g_signal_connect_object (self->mute_row, "notify::selected",
                           G_CALLBACK (mute_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
gauge_preferences_window_dispose (GObject *object)
{
  GaugePreferencesWindow *self = GAUGE_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* The spins go one after the other: neither may look at the other on its way out. */
  if (self->warning_spin != NULL)
    g_signal_handlers_disconnect_by_data (self->warning_spin, self);
  if (self->critical_spin != NULL)
    g_signal_handlers_disconnect_by_data (self->critical_spin, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gauge_preferences_window_parent_class)->dispose (object);
}

static void
gauge_preferences_window_class_init (GaugePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX
                                               "/ui/preferences/gauge-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, general_page);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, console_page);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, thresholds_group);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, poll_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, warning_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, critical_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, tray_metric_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, pace_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, reset_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow,
                                        prompt_cache_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, prompt_cache_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, mute_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, cost_mode_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, plan_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, billing_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, custom_limit_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, week_start_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, weekly_budget_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, session_budget_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, ending_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, ending_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, idle_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, plan_switch_switch);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, retention_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, clear_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, custom_limit_row);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, org_budget_spin);
  gtk_widget_class_bind_template_child (widget_class, GaugePreferencesWindow, console_poll_spin);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
}

/* AdwPreferencesWindow's "No Results Found" page has the theme's edit-find-symbolic at 128 px,
 * which exists only as an SVG. Search is off, yet the page is measured and its icon loaded, and
 * one SVG icon keeps librsvg loaded (about 8 MB) for as long as the app runs. The same icon as
 * a PNG from our resource (data/icons) instead. */
static void
use_png_search_icon (GtkWidget *widget)
{
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_STATUS_PAGE (child) &&
          g_strcmp0 (adw_status_page_get_icon_name (ADW_STATUS_PAGE (child)),
                     "edit-find-symbolic") == 0)
        adw_status_page_set_icon_name (ADW_STATUS_PAGE (child), "claude-gauge-search-symbolic");
      else
        use_png_search_icon (child);
    }
}

static void
gauge_preferences_window_init (GaugePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  use_png_search_icon (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->override_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->override_label, TRUE);
  gtk_label_set_xalign (self->override_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->override_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->override_label), FALSE);
  adw_preferences_group_add (self->thresholds_group, GTK_WIDGET (self->override_label));
  /* Until a store is set there is nothing to clear. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), FALSE);
}

/**
 * gauge_preferences_window_set_store:
 * @store: (nullable): the history database "Clear History…" empties
 */
void
gauge_preferences_window_set_store (GaugePreferencesWindow *self,
                                    GaugeStore             *store)
{
  g_return_if_fail (GAUGE_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (store == NULL || GAUGE_IS_STORE (store));

  g_set_object (&self->store, store);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), store != NULL);
}

/**
 * gauge_preferences_window_new:
 * @parent: (nullable): the window to stay on top of
 * @settings: the application's settings
 *
 * Returns: (transfer none): a modal preferences window, owned by GTK like any
 *   toplevel; call gtk_window_present() on it
 */
GaugePreferencesWindow *
gauge_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  GaugePreferencesWindow *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->settings = g_object_ref (settings);
  bind_settings (self);
  /* The accounts (Claude Code config folders) and the one the tray shows: a general matter. */
  adw_preferences_page_add (self->general_page,
                            ADW_PREFERENCES_GROUP (gauge_account_folders_group_new (settings)));

  return self;
}

/* Adds a group of another part of the app (the Admin API key) to the Console page, first. */
void
gauge_preferences_window_add_group (GaugePreferencesWindow *self,
                                    AdwPreferencesGroup    *group)
{
  g_return_if_fail (GAUGE_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  adw_preferences_page_add (self->console_page, group);
  /* Pages have no insert: put the key before the budget, which needs a key to mean anything. */
  gtk_widget_insert_after (GTK_WIDGET (group), gtk_widget_get_parent (GTK_WIDGET (group)), NULL);
}
