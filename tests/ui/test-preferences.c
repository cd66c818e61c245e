/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gauge-admin-client.h"
#include "gauge-admin-key-group.h"
#include "gauge-alert-rules.h"
#include "gauge-console-monitor.h"
#include "gauge-limit-window.h"
#include "gauge-limits-snapshot.h"
#include "gauge-preferences-window.h"
#include "gauge-resources.h"
#include "gauge-test-ui.h"

/*
 * Preferences as a user sees them: four pages, every setting a control, the controls
 * writing the settings the rest of the app reads, nothing cut off at 360 px.
 */

static AdwApplication *app;

typedef struct
{
  GSettings              *settings;
  GaugePreferencesWindow *window;
  GaugeAdminClient       *client;
  GaugeConsoleMonitor    *console;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  fixture->settings = g_settings_new (APPLICATION_ID);
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);
  /* The Admin API key group asks the keyring only when it may hold a key: not here. */
  g_settings_set_boolean (fixture->settings, "console-key-in-keyring", FALSE);
}

static void
fixture_show (Fixture *fixture,
              int      width,
              int      height)
{
  GtkWidget *key_group;

  fixture->window = gauge_preferences_window_new (NULL, fixture->settings);
  /* As the app does: the Admin API key group of the Console page. */
  fixture->client = gauge_admin_client_new ();
  fixture->console = gauge_console_monitor_new (NULL, fixture->client);
  key_group = gauge_admin_key_group_new (fixture->client, fixture->console);
  gauge_preferences_window_add_group (fixture->window, ADW_PREFERENCES_GROUP (key_group));
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)))
    g_main_context_iteration (NULL, TRUE);
  gauge_test_iterate_for (300);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  gauge_test_iterate_for (50);
  g_clear_object (&fixture->console);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->settings);
}

/* The page titled @title, made the visible one. */
static AdwPreferencesPage *
show_page (Fixture    *fixture,
           const char *title)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  gauge_test_find_all (GTK_WIDGET (fixture->window), ADW_TYPE_PREFERENCES_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (g_strcmp0 (adw_preferences_page_get_title (pages->pdata[i]), title) == 0)
      {
        AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (fixture->window);

        /* The switch is animated: wait it out, only when there is one. */
        if (adw_preferences_window_get_visible_page (window) != pages->pdata[i])
          {
            adw_preferences_window_set_visible_page (window, pages->pdata[i]);
            gauge_test_iterate_for (300);
          }
        return pages->pdata[i];
      }

  g_error ("No Preferences page “%s”", title);
}

/* The row whose title, without its mnemonic underscore, is @title. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title_text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
      g_autofree char *plain = g_strdup (title_text);
      char *underscore;

      while ((underscore = strchr (plain, '_')) != NULL)
        memmove (underscore, underscore + 1, strlen (underscore));
      if (g_str_equal (plain, title))
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Every key of the schema, and where a user changes it. */
typedef enum { SPIN, SWITCH, COMBO, ELSEWHERE } Control;

static const struct
{
  const char *key;
  const char *page;
  const char *row;
  Control     control;
  double      set;       /* spin: the value typed; combo: the position chosen */
  const char *expected;  /* the key's value afterwards, as GVariant text */
} keys[] = {
  { "poll-interval", "General", "Check Every", SPIN, 12, "720" },
  { "tray-metric", "General", "Tray Icon Shows", COMBO, 2, "'weekly'" },
  { "run-in-background", "General", "Run in Background", SWITCH, 1, "true" },
  { "start-at-login", "General", "Start at Login", SWITCH, 1, "true" },
  { "history-retention-days", "General", "Keep History", COMBO, 2, "90" },
  { "warning-threshold", "Limits & Alerts", "Warning", SPIN, 60, "60.0" },
  { "critical-threshold", "Limits & Alerts", "Critical", SPIN, 90, "90.0" },
  { "alert-pace", "Limits & Alerts", "Pace Warnings", SWITCH, 0, "false" },
  { "alert-reset", "Limits & Alerts", "When a Limit Is Back", SWITCH, 0, "false" },
  { "alert-session-ending", "Limits & Alerts", "Before the 5-Hour Window Ends", SWITCH, 1, "true" },
  { "alert-session-ending-minutes", "Limits & Alerts", "Minutes Before the End", SPIN, 15, "15" },
  { "alert-inactivity", "Limits & Alerts", "When Claude Code Is Idle", SWITCH, 1, "true" },
  { "alert-inactivity-minutes", "Limits & Alerts", "Idle Minutes", SPIN, 20, "20" },
  { "alert-plan-switch", "Limits & Alerts", "When the Plan’s Block Limit Is Exceeded", SWITCH, 0,
    "false" },
  { "alert-prompt-cache", "Limits & Alerts", "Before a Prompt Cache Goes Cold", SWITCH, 1, "true" },
  { "prompt-cache-warning-minutes", "Limits & Alerts", "Minutes Before", SPIN, 8, "8" },
  { "cost-mode", "Local Usage", "Source", COMBO, 1, "'calculate'" },
  { "plan-limit", "Local Usage", "Block Limit", COMBO, 4, "'custom'" },
  { "plan-limit-tokens", "Local Usage", "Custom Block Limit", SPIN, 150, "150000" },
  { "session-budget", "Local Usage", "Sessions per Billing Period", SPIN, 40, "40" },
  { "billing-start-day", "Local Usage", "Billing Period Starts On", SPIN, 15, "15" },
  { "start-of-week", "Local Usage", "Week Starts On", COMBO, 0, "'monday'" },
  { "weekly-token-budget", "Local Usage", "Weekly Token Budget", SPIN, 25, "25000000" },
  { "console-organization-budget", "Console", "Monthly Budget", SPIN, 4000, "4000.0" },
  { "console-poll-interval", "Console", "Check Every", SPIN, 30, "1800" },
  /* "Mute Notifications" sets a time (its own test); the rest are not preferences. */
  { "mute-until", "Limits & Alerts", "Mute Notifications", ELSEWHERE, 0, NULL },
  /* The Claude Accounts group: its own test (test-account-folders-group) adds and removes. */
  { "account-folders", "General", "Add a Folder", ELSEWHERE, 0, NULL },
  { "tray-account", NULL, NULL, ELSEWHERE, 0, NULL },  /* shown with two accounts, in that test */
  { "window-width", NULL, NULL, ELSEWHERE, 0, NULL },         /* remembered */
  { "window-height", NULL, NULL, ELSEWHERE, 0, NULL },        /* remembered */
  { "console-key-in-keyring", NULL, NULL, ELSEWHERE, 0, NULL },  /* the key group's memo */
  { "console-workspace-budgets", NULL, NULL, ELSEWHERE, 0, NULL },  /* on the Console tab */
  /* Overrides of the warning and critical thresholds for one group, with gsettings. */
  { "thresholds-five-hour", NULL, NULL, ELSEWHERE, 0, NULL },
  { "thresholds-weekly", NULL, NULL, ELSEWHERE, 0, NULL },
  { "thresholds-model-weekly", NULL, NULL, ELSEWHERE, 0, NULL },
  { "thresholds-extra-usage", NULL, NULL, ELSEWHERE, 0, NULL },
};

/* --- Cases --------------------------------------------------------------- */

/* Each setting a user would change has a control on the page it belongs to, and the
 * control writes the setting (in its unit: minutes for seconds, thousands of tokens). */
static void
test_every_setting (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) schema_keys = NULL;

  fixture_show (fixture, 0, 0);

  /* A key added to the schema must be added here: with a control, or why it has none. */
  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  schema_keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; schema_keys[i] != NULL; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (keys); j++)
        listed |= g_str_equal (keys[j].key, schema_keys[i]);
      if (!listed)
        g_error ("The setting “%s” has no control in Preferences and no reason here",
                 schema_keys[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      AdwPreferencesPage *page;
      GtkWidget *row;
      g_autoptr(GVariant) value = NULL;
      g_autofree char *text = NULL;

      if (keys[i].page == NULL)
        continue;
      g_test_message ("%s → %s / %s", keys[i].key, keys[i].page, keys[i].row);
      page = show_page (fixture, keys[i].page);
      row = find_row (GTK_WIDGET (page), keys[i].row);
      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_mapped (row));

      switch (keys[i].control)
        {
        case SPIN:
          {
            GtkWidget *spin = gauge_test_find_descendant (row, GTK_TYPE_SPIN_BUTTON, NULL);

            g_assert_nonnull (spin);
            gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), keys[i].set);
          }
          break;
        case SWITCH:
          {
            GtkWidget *toggle = gauge_test_find_descendant (row, GTK_TYPE_SWITCH, NULL);

            gtk_switch_set_active (GTK_SWITCH (toggle), keys[i].set != 0);
          }
          break;
        case COMBO:
          g_assert_true (ADW_IS_COMBO_ROW (row));
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), (guint) keys[i].set);
          break;
        case ELSEWHERE:
        default:
          continue;
        }

      value = g_settings_get_value (fixture->settings, keys[i].key);
      text = g_variant_print (value, FALSE);
      g_assert_cmpstr (text, ==, keys[i].expected);
    }

  /* The custom block limit is only asked for with the custom block limit chosen. */
  show_page (fixture, "Local Usage");
  g_settings_set_string (fixture->settings, "plan-limit", "max5");
  g_assert_false (gtk_widget_get_sensitive (find_row (GTK_WIDGET (fixture->window),
                                                      "Custom Block Limit")));
  g_settings_set_string (fixture->settings, "plan-limit", "custom");
  g_assert_true (gtk_widget_get_sensitive (find_row (GTK_WIDGET (fixture->window),
                                                     "Custom Block Limit")));

  /* A setting changed elsewhere (gsettings, another window) shows at once. */
  g_settings_set_uint64 (fixture->settings, "weekly-token-budget", 7500000);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (
                       gauge_test_find_descendant (find_row (GTK_WIDGET (fixture->window),
                                                             "Weekly Token Budget"),
                                                   GTK_TYPE_SPIN_BUTTON, NULL))), ==, 7.5);

  /* Mute: a time, an hour ahead; back to not muted. */
  {
    AdwComboRow *row;

    show_page (fixture, "Limits & Alerts");
    row = ADW_COMBO_ROW (find_row (GTK_WIDGET (fixture->window), "Mute Notifications"));
    adw_combo_row_set_selected (row, 1);
    g_assert_cmpint (g_settings_get_int64 (fixture->settings, "mute-until"), >,
                     g_get_real_time () / G_USEC_PER_SEC + 3500);
    adw_combo_row_set_selected (row, 0);
    g_assert_cmpint (g_settings_get_int64 (fixture->settings, "mute-until"), ==, 0);
  }

  /* The Admin API key comes first on the Console page, before the budget it enables. */
  {
    AdwPreferencesPage *page = show_page (fixture, "Console");
    g_autoptr(GPtrArray) groups = g_ptr_array_new ();

    gauge_test_find_all (GTK_WIDGET (page), ADW_TYPE_PREFERENCES_GROUP, groups);
    g_assert_cmpuint (groups->len, ==, 2);
    g_assert_true (GAUGE_IS_ADMIN_KEY_GROUP (groups->pdata[0]));
  }
}

/* What the alert rules make of a 5-hour limit at @percent, with the thresholds in @settings. */
static GPtrArray *
alerts_at (GSettings *settings,
           double     percent)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) resets = g_date_time_add_hours (now, 2);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  GArray *thresholds[GAUGE_LIMIT_GROUP_N];
  GaugeAlertSettings alert_settings = { 0 };
  GaugeAlertInput input = { 0 };
  GPtrArray *alerts;

  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", percent, resets,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, now);

  /* As the notifier reads them. */
  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    {
      thresholds[i] = gauge_alert_thresholds_from_settings (settings, i);
      alert_settings.thresholds[i] = (const double *) (gpointer) thresholds[i]->data;
      alert_settings.n_thresholds[i] = thresholds[i]->len;
    }
  alert_settings.critical = g_settings_get_double (settings, "critical-threshold");

  input.now = now;
  input.snapshot = snapshot;
  input.state = GAUGE_LIMITS_MONITOR_STATE_OK;
  input.settings = &alert_settings;
  alerts = gauge_alert_rules_evaluate (&input);

  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    g_array_unref (thresholds[i]);
  return alerts;
}

static GtkSpinButton *
threshold_spin (Fixture    *fixture,
                const char *title)
{
  GtkWidget *row = find_row (GTK_WIDGET (fixture->window), title);

  return GTK_SPIN_BUTTON (gauge_test_find_descendant (row, GTK_TYPE_SPIN_BUTTON, NULL));
}

/* The Warning and Critical of Preferences are where notifications come, not only colours. */
static void
test_thresholds_drive_alerts (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GPtrArray) alerts = NULL;
  GaugeAlert *alert;

  fixture_show (fixture, 0, 0);
  show_page (fixture, "Limits & Alerts");

  /* 65 %: under the default 80 %, nothing. */
  alerts = alerts_at (fixture->settings, 65);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Warning at 60: told at 65 %, normal urgency. */
  gtk_spin_button_set_value (threshold_spin (fixture, "Warning"), 60);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "warning-threshold"), ==, 60);
  alerts = alerts_at (fixture->settings, 65);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = alerts->pdata[0];
  g_assert_cmpint (alert->rule, ==, GAUGE_ALERT_THRESHOLD);
  g_assert_cmpstr (alert->title, ==, "5-hour limit at 65 %");
  g_assert_cmpint (alert->urgency, ==, GAUGE_ALERT_URGENCY_NORMAL);
  g_assert_true (g_str_has_suffix (alert->key, ":60"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Critical at 64: the same 65 % is now told as critical, at the critical threshold. */
  gtk_spin_button_set_value (threshold_spin (fixture, "Critical"), 64);
  alerts = alerts_at (fixture->settings, 65);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = alerts->pdata[0];
  g_assert_cmpint (alert->urgency, ==, GAUGE_ALERT_URGENCY_CRITICAL);
  g_assert_true (g_str_has_suffix (alert->key, ":64"));
  g_clear_pointer (&alerts, g_ptr_array_unref);

  /* Critical cannot go below Warning, nor Warning above Critical. */
  gtk_spin_button_set_value (threshold_spin (fixture, "Critical"), 50);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "critical-threshold"), ==, 60);
  gtk_spin_button_set_value (threshold_spin (fixture, "Warning"), 70);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "warning-threshold"), ==, 60);
  gtk_spin_button_set_value (threshold_spin (fixture, "Critical"), 64);

  /* An override set with gsettings before Preferences had thresholds is kept, and said. */
  gauge_test_assert_not_shows (fixture->window, "thresholds-five-hour");
  g_settings_set_value (fixture->settings, "thresholds-five-hour",
                        g_variant_new_parsed ("[@d 90.0]"));
  gauge_test_iterate_for (100);
  gauge_test_assert_shows (fixture->window, "thresholds-five-hour: 90 %");
  alerts = alerts_at (fixture->settings, 65);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_clear_pointer (&alerts, g_ptr_array_unref);
  g_settings_reset (fixture->settings, "thresholds-five-hour");
  gauge_test_iterate_for (100);
  gauge_test_assert_not_shows (fixture->window, "thresholds-five-hour");
}

/* Every label that may ellipsize, on every page, shows all its text at @width. */
static void
assert_nothing_cut (Fixture    *fixture,
                    const char *page_title)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gauge_test_find_all (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      int natural = 0;

      if (!gtk_widget_get_mapped (GTK_WIDGET (label)) ||
          gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE ||
          gtk_label_get_text (label)[0] == '\0')
        continue;
      gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural,
                          NULL, NULL);
      if (gtk_widget_get_width (GTK_WIDGET (label)) < natural)
        g_error ("On “%s” at %d px, “%s” is cut off (%d of %d px)", page_title,
                 gtk_widget_get_width (GTK_WIDGET (fixture->window)), gtk_label_get_text (label),
                 gtk_widget_get_width (GTK_WIDGET (label)), natural);
    }
}

static const char *pages[][2] = {
  { "General", "general" },
  { "Limits & Alerts", "limits-alerts" },
  { "Local Usage", "local-usage" },
  { "Console", "console" },
};

/* At GNOME's phone width: the window is no wider, and no value is cut off. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  user_data)
{
  fixture_show (fixture, 360, 720);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, 360);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *stem = g_strdup_printf ("screenshot-preferences-%s-360", pages[i][1]);

      show_page (fixture, pages[i][0]);
      gauge_test_save_screenshots (GTK_WINDOW (fixture->window), NULL, stem);
      assert_nothing_cut (fixture, pages[i][0]);
    }
}

static void
test_default_size (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fixture_show (fixture, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *stem = g_strdup_printf ("screenshot-preferences-%s", pages[i][1]);

      show_page (fixture, pages[i][0]);
      gauge_test_save_screenshots (GTK_WINDOW (fixture->window), NULL, stem);
      assert_nothing_cut (fixture, pages[i][0]);
    }
}

int
main (int   argc,
      char *argv[])
{
  gauge_test_ui_init (&argc, &argv);
  g_assert_nonnull (gauge_get_resource ());
  app = gauge_test_ui_app_new (APPLICATION_ID);

  g_test_add ("/preferences/every-setting", Fixture, NULL,
              fixture_set_up, test_every_setting, fixture_tear_down);
  g_test_add ("/preferences/thresholds-drive-alerts", Fixture, NULL,
              fixture_set_up, test_thresholds_drive_alerts, fixture_tear_down);
  g_test_add ("/preferences/narrow", Fixture, NULL,
              fixture_set_up, test_narrow, fixture_tear_down);
  g_test_add ("/preferences/default-size", Fixture, NULL,
              fixture_set_up, test_default_size, fixture_tear_down);

  return gauge_test_ui_run (&app);
}
