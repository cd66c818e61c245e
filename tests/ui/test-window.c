/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "gauge-account.h"
#include "gauge-account-list.h"
#include "gauge-account-section.h"
#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-history-view.h"
#include "gauge-limit-bar.h"
#include "gauge-limit-row.h"
#include "gauge-local-usage-view.h"
#include "gauge-limits-monitor.h"
#include "gauge-resources.h"
#include "gauge-store.h"
#include "gauge-store-readings.h"
#include "gauge-test-server.h"
#include "gauge-test-ui.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"
#include "gauge-limits-client.h"
#include "gauge-window.h"

/*
 * The main window as a user sees it: a real monitor talking to a loopback
 * server, and assertions on the text that ends up on screen.
 */

static AdwApplication *app;

typedef struct
{
  GaugeTestServer *server;
  char            *store_path;
  char            *credentials_dir;
  char            *credentials_path;
  GSettings       *settings;
  GaugeLimitsMonitor    *monitor;
  GaugeWindow     *window;
} Fixture;

/* --- Helpers ------------------------------------------------------------- */

static GaugeLimitRow *
find_row (GaugeWindow *window,
          const char  *display_name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gauge_test_find_all (GTK_WIDGET (window), GAUGE_TYPE_LIMIT_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GaugeLimitWindow *usage = gauge_limit_row_get_window (rows->pdata[i]);

      if (g_strcmp0 (gauge_limit_window_get_display_name (usage), display_name) == 0)
        return rows->pdata[i];
    }

  return NULL;
}

static char *
iso_in (GDateTime *now,
        GTimeSpan  span)
{
  g_autoptr(GDateTime) when = g_date_time_add (now, span);

  return g_date_time_format_iso8601 (when);
}

/* A full payload: every kind of row, resetting relative to now. */
static char *
make_full_usage (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *five = iso_in (now, 131 * G_TIME_SPAN_MINUTE);
  g_autofree char *week = iso_in (now, 3 * G_TIME_SPAN_DAY + 2 * G_TIME_SPAN_HOUR);

  return g_strdup_printf (
    "{\"five_hour\":{\"utilization\":48.0,\"resets_at\":\"%s\"},"
    "\"seven_day\":{\"utilization\":82.5,\"resets_at\":\"%s\"},"
    "\"seven_day_oauth_apps\":null,\"seven_day_opus\":null,"
    "\"seven_day_sonnet\":{\"utilization\":4.0,\"resets_at\":\"%s\"},"
    "\"seven_day_cowork\":null,"
    "\"extra_usage\":{\"is_enabled\":true,\"monthly_limit\":5000,\"used_credits\":1250.0,"
    "\"utilization\":25.0,\"currency\":\"USD\"},"
    "\"limits\":["
    "{\"kind\":\"session\",\"group\":\"session\",\"percent\":48,\"resets_at\":\"%s\","
    "\"scope\":null,\"is_active\":true},"
    "{\"kind\":\"weekly_scoped\",\"group\":\"weekly\",\"percent\":97,\"resets_at\":\"%s\","
    "\"scope\":{\"model\":{\"id\":null,\"display_name\":\"Opus\"},\"surface\":null},"
    "\"is_active\":false}]}",
    five, week, week, five, week);
}

static gboolean
monitor_settled (gpointer data)
{
  Fixture *fixture = data;
  GaugeLimitsMonitorState state = gauge_limits_monitor_get_state (fixture->monitor);

  return state != GAUGE_LIMITS_MONITOR_STATE_LOADING && !gauge_monitor_get_busy (GAUGE_MONITOR (fixture->monitor));
}

/* The monitor never asks twice within a minute: move its clock instead of waiting. */
static void
skip_ahead (GTimeSpan span)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add (now, span);

  gauge_clock_set_fake (later);
}

static gboolean
monitor_has_snapshot (gpointer data)
{
  Fixture *fixture = data;

  return gauge_limits_monitor_get_snapshot (fixture->monitor) != NULL;
}

static void
fixture_start_monitor (Fixture *fixture)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();

  g_clear_object (&fixture->monitor);
  fixture->monitor = gauge_limits_monitor_new (store, client, fixture->credentials_path);
  gauge_limits_monitor_start (fixture->monitor);
  gauge_test_wait_until (monitor_settled, fixture, 10000);
}

static void
fixture_show_window (Fixture *fixture)
{
  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gtk_window_present (GTK_WINDOW (fixture->window));

  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)))
    g_main_context_iteration (NULL, TRUE);

  /* Let layout and the first frames settle (stack transitions are 200 ms). */
  gauge_test_iterate_for (400);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *data_dir = g_get_user_data_dir ();

  gauge_test_ui_use_system_mime_dirs ();

  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);

  fixture->store_path = g_build_filename (data_dir, "claude-gauge", "history.db", NULL);
  fixture->credentials_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  fixture->credentials_path = g_build_filename (fixture->credentials_dir, ".credentials.json",
                                                NULL);
  g_mkdir_with_parents (data_dir, 0700);

  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_reset (fixture->settings, "warning-threshold");
  g_settings_reset (fixture->settings, "critical-threshold");
}

static void
fixture_write_credentials (Fixture *fixture)
{
  gint64 expires_ms = (g_get_real_time () / 1000) + 8 * 3600 * 1000;
  g_autofree char *path = gauge_test_write_credentials (fixture->credentials_dir,
                                                        "sk-ant-oat01-test", expires_ms,
                                                        "default_claude_max_5x");

  g_assert_cmpstr (path, ==, fixture->credentials_path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  gauge_test_iterate_for (50);

  g_clear_object (&fixture->monitor);
  g_clear_object (&fixture->settings);
  gauge_clock_set_fake (NULL);
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_clear_pointer (&fixture->store_path, g_free);
  g_clear_pointer (&fixture->credentials_dir, g_free);
  g_clear_pointer (&fixture->credentials_path, g_free);
}

static void
save_screenshots (Fixture    *fixture,
                  const char *stem)
{
  gauge_test_save_screenshots (GTK_WINDOW (fixture->window), NULL, stem);
}

/* The window's size when nothing is remembered yet. */
static void
default_size (Fixture *fixture,
              int     *width,
              int     *height)
{
  g_autoptr(GVariant) w = g_settings_get_default_value (fixture->settings, "window-width");
  g_autoptr(GVariant) h = g_settings_get_default_value (fixture->settings, "window-height");

  *width = g_variant_get_int32 (w);
  *height = g_variant_get_int32 (h);
}

/* --- Cases --------------------------------------------------------------- */

static void
test_all_windows (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GtkApplicationWindow *app_window;
  GtkWidget *shortcuts;

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);

  fixture_show_window (fixture);

  /* One row per window, in the snapshot's order. */
  gauge_test_find_all (GTK_WIDGET (fixture->window), GAUGE_TYPE_LIMIT_ROW, rows);
  g_assert_cmpuint (rows->len, ==,
                    gauge_limits_snapshot_get_n_windows (gauge_limits_monitor_get_snapshot (fixture->monitor)));
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (gauge_limit_row_get_window (rows->pdata[i]) ==
                   gauge_limits_snapshot_get_window (gauge_limits_monitor_get_snapshot (fixture->monitor), i));

  gauge_test_assert_shows (fixture->window, "Claude Gauge");
  gauge_test_assert_shows (fixture->window, "Max 5x");
  gauge_test_assert_shows (fixture->window, "5-hour");
  gauge_test_assert_shows (fixture->window, "48 %");
  gauge_test_assert_shows (fixture->window, "Resets in 2 h 11 min (");
  gauge_test_assert_shows (fixture->window, "Weekly");
  gauge_test_assert_shows (fixture->window, "Weekly · Opus");
  gauge_test_assert_shows (fixture->window, "97 %");
  gauge_test_assert_shows (fixture->window, "Weekly · Sonnet");
  gauge_test_assert_shows (fixture->window, "Extra usage");
  gauge_test_assert_shows (fixture->window, "$12.50 of $50.00");
  gauge_test_assert_shows (fixture->window, "25 %");
  gauge_test_assert_shows (fixture->window, "Updated ");
  gauge_test_assert_shows (fixture->window, "next check ");
  gauge_test_assert_shows (fixture->window, "Official");
  gauge_test_assert_not_shows (fixture->window, "expired");

  /* Keyboard Shortcuts (the menu item, Ctrl+?) shows the shortcuts window, built only then. */
  app_window = GTK_APPLICATION_WINDOW (fixture->window);
  g_assert_null (gtk_application_window_get_help_overlay (app_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (app_window), "win.show-shortcuts", NULL));
  gauge_test_iterate_for (200);
  shortcuts = GTK_WIDGET (gtk_application_window_get_help_overlay (app_window));
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_mapped (shortcuts));
  gauge_test_assert_shows (shortcuts, "Refresh");
  gauge_test_assert_shows (shortcuts, "Keyboard Shortcuts");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (shortcuts)), ==, "Keyboard Shortcuts");
  gauge_test_assert_shows (shortcuts, "F5");
  gtk_window_close (GTK_WINDOW (shortcuts));
  gauge_test_iterate_for (100);

  save_screenshots (fixture, "screenshot-window");
}

static void
test_extra_usage_only (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *body = gauge_test_load_fixture ("usage-extra-only.json");
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  fixture_show_window (fixture);

  gauge_test_find_all (GTK_WIDGET (fixture->window), GAUGE_TYPE_LIMIT_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 1);
  gauge_test_assert_shows (fixture->window, "Extra usage");
  gauge_test_assert_shows (fixture->window, "$12.50 of $50.00");
  gauge_test_assert_shows (fixture->window, "25 %");
  gauge_test_assert_not_shows (fixture->window, "Resets in");
  gauge_test_assert_not_shows (fixture->window, "5-hour");
}

/* The tooltip of a row's labels, if one has any. */
static const char *
row_tooltip (GtkWidget *row)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gauge_test_find_all (row, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_tooltip_text (g_ptr_array_index (labels, i)) != NULL)
      return gtk_widget_get_tooltip_text (g_ptr_array_index (labels, i));

  return NULL;
}

/* The autumn 2026 answer on screen: rows named from limits[]' scopes, spend in euros, credit
 * grants in money with their expiry, and the codename of a grant without a known name in its
 * tooltip. */
static void
test_autumn_rows (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *fixture_body = gauge_test_load_fixture ("usage-autumn.json");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expiry = g_date_time_add_days (now, 30);
  g_autofree char *expiry_iso = g_date_time_format (expiry, "%Y-%m-%dT%H:%M:%SZ");
  g_auto(GStrv) parts = g_strsplit (fixture_body, "2027-01-31T00:00:00Z", -1);
  g_autofree char *body = g_strjoinv (expiry_iso, parts);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n_credit = 0;

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  fixture_show_window (fixture);

  gauge_test_find_all (GTK_WIDGET (fixture->window), GAUGE_TYPE_LIMIT_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 9);
  gauge_test_assert_shows (fixture->window, "Weekly · Claude Code");
  gauge_test_assert_shows (fixture->window, "Weekly · Fable");
  gauge_test_assert_shows (fixture->window, "€7.63 of €20.00");
  gauge_test_assert_shows (fixture->window, "Claude Code and Cowork credit");
  gauge_test_assert_shows (fixture->window, "$400.00 of $1,000.00");
  gauge_test_assert_shows (fixture->window, "Expires in 30 days");
  gauge_test_assert_not_shows (fixture->window, "Cinder cove");
  gauge_test_assert_not_shows (fixture->window, "Amber ladder");

  for (guint i = 0; i < rows->len; i++)
    {
      GaugeLimitWindow *window = gauge_limit_row_get_window (g_ptr_array_index (rows, i));
      const char *id = gauge_limit_window_get_id (window);
      const char *tooltip = row_tooltip (g_ptr_array_index (rows, i));

      if (g_str_equal (id, "amber_ladder"))
        {
          g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Credit");
          g_assert_nonnull (tooltip);
          g_assert_nonnull (strstr (tooltip, "“amber_ladder”"));
          n_credit++;
        }
      else if (g_str_equal (id, "cinder_cove") || g_str_equal (id, "seven_day_code"))
        {
          g_assert_null (tooltip);
          n_credit += g_str_equal (id, "cinder_cove");
        }
    }
  g_assert_cmpuint (n_credit, ==, 2);
}

/* With the History and Console pages the window has tabs: each tab's icon is one the theme or
 * our resource has (GTK draws its image-missing icon for any other name). */
static void
test_tabs (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();
  GtkIconTheme *theme;
  GtkSelectionModel *pages;
  AdwViewStack *stack;
  guint n_pages;

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);

  /* As the application makes it: the History page first, then the window is shown; the
   * Console page comes when the keyring has answered, on screen already. */
  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gauge_window_set_history (fixture->window, gtk_label_new ("History"));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->window)))
    g_main_context_iteration (NULL, TRUE);
  gauge_test_iterate_for (200);
  gauge_window_set_console (fixture->window, gtk_label_new ("Acme Robotics"));
  gauge_test_iterate_for (400);

  stack = ADW_VIEW_STACK (gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                                      ADW_TYPE_VIEW_STACK, NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "limits");
  /* The window is narrow: the tabs are in the bar at the bottom (revealed in a moment on a
   * loaded machine). */
  gauge_test_wait_shows (fixture->window, "Console", 5000);
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (fixture->window)));
  pages = adw_view_stack_get_pages (stack);
  n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));
  g_assert_cmpuint (n_pages, ==, 3);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      const char *icon_name = adw_view_stack_page_get_icon_name (page);

      g_assert_true (adw_view_stack_page_get_visible (page));
      g_assert_nonnull (icon_name);
      if (!gtk_icon_theme_has_icon (theme, icon_name))
        g_error ("The %s tab's icon %s is in no theme", adw_view_stack_page_get_name (page),
                 icon_name);
    }
  g_object_unref (pages);

  /* One footer at a time: the Console page says when its own figures were read. */
  gauge_test_wait_shows (fixture->window, "Updated ", 5000);
  adw_view_stack_set_visible_child_name (stack, "console");
  gauge_test_iterate_for (100);
  gauge_test_assert_not_shows (fixture->window, "Updated ");
  adw_view_stack_set_visible_child_name (stack, "limits");
  gauge_test_iterate_for (100);
  gauge_test_assert_shows (fixture->window, "Updated ");

  save_screenshots (fixture, "screenshot-tabs");
}

/* Console mode alone: no Claude Code sign-in but an Admin key opens on the Console page. */
static void
test_console_only (Fixture       *fixture,
                   gconstpointer  user_data)
{
  AdwViewStack *stack;

  fixture_start_monitor (fixture);
  fixture_show_window (fixture);
  stack = ADW_VIEW_STACK (gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                                      ADW_TYPE_VIEW_STACK, NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "limits");

  gauge_window_set_console (fixture->window, gtk_label_new ("Acme Robotics"));
  gauge_test_iterate_for (100);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "console");
  gauge_test_assert_shows (fixture->window, "Acme Robotics");
}

static void
test_no_credentials (Fixture       *fixture,
                     gconstpointer  user_data)
{
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==,
                   GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS);
  fixture_show_window (fixture);

  gauge_test_assert_shows (fixture->window, "Sign in with Claude Code");
  gauge_test_assert_shows (fixture->window, "Run claude in a terminal and sign in");
  gauge_test_assert_shows (fixture->window, fixture->credentials_path);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);

  save_screenshots (fixture, "screenshot-no-credentials");

  /* Signing in is picked up without a restart. */
  fixture_write_credentials (fixture);
  gauge_test_wait_until (monitor_has_snapshot, fixture, 10000);
  gauge_test_wait_until (monitor_settled, fixture, 10000);
  gauge_test_iterate_for (300);
  gauge_test_assert_not_shows (fixture->window, "Sign in with Claude Code");
  gauge_test_assert_shows (fixture->window, "5-hour");
}

static void
test_expired (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();
  GtkWidget *list;

  /* A good reading first, stored; then the token is revoked. */
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);

  gauge_test_server_set_usage (fixture->server, 401,
                               "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                               "\"message\":\"OAuth token has been revoked.\"}}",
                               NULL);
  skip_ahead (10 * G_TIME_SPAN_MINUTE);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==, GAUGE_LIMITS_MONITOR_STATE_EXPIRED);
  g_assert_nonnull (gauge_limits_monitor_get_snapshot (fixture->monitor));

  fixture_show_window (fixture);

  gauge_test_assert_shows (fixture->window, "Your Claude Code sign-in has expired. Run claude to sign in again.");
  gauge_test_assert_shows (fixture->window, "Showing values from ");
  gauge_test_assert_shows (fixture->window, "(10 min ago)");
  /* The rows stay, greyed out. */
  gauge_test_assert_shows (fixture->window, "5-hour");
  gauge_test_assert_shows (fixture->window, "48 %");
  list = gauge_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_BOX, NULL);
  g_assert_nonnull (list);
  g_assert_false (gtk_widget_is_sensitive (list));

  save_screenshots (fixture, "screenshot-expired");
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  user_data)
{
  gauge_test_server_set_usage (fixture->server, 403,
                               "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\","
                               "\"message\":\"OAuth token does not meet scope requirement\"}}",
                               NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==, GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN);

  fixture_show_window (fixture);
  gauge_test_assert_shows (fixture->window, "its token lacks the user:profile scope");
  gauge_test_assert_shows (fixture->window, "claude setup-token");
}

static GtkWidget *
limits_list (Fixture *fixture)
{
  return gauge_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_BOX, NULL);
}

static void
test_rate_limited (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *until = NULL;
  g_autofree char *expected = NULL;

  gauge_test_server_set_usage (fixture->server, 429,
                               "{\"error\":{\"message\":\"Rate limited. Please try again later.\","
                               "\"type\":\"rate_limit_error\"}}",
                               "3600");
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==,
                   GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);

  fixture_show_window (fixture);

  /* As the window says it: with its weekday once the wait ends tomorrow. */
  now = g_date_time_new_now_local ();
  until = gauge_format_clock (gauge_limits_monitor_get_next_check (fixture->monitor), now);
  expected = g_strdup_printf ("The API asked us to wait until %s.", until);
  gauge_test_assert_shows (fixture->window, expected);

  save_screenshots (fixture, "screenshot-rate-limited");
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);

  gauge_test_server_set_usage (fixture->server, 503, "upstream connect error", NULL);
  skip_ahead (12 * G_TIME_SPAN_MINUTE);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OFFLINE);

  fixture_show_window (fixture);

  gauge_test_assert_shows (fixture->window, "Can’t reach Anthropic right now.");
  gauge_test_assert_shows (fixture->window, "Showing values from ");
  gauge_test_assert_shows (fixture->window, "(12 min ago) · retrying at ");
  gauge_test_assert_shows (fixture->window, "5-hour");
  /* Older than two poll intervals: greyed, as for any reason it could not be replaced. */
  g_assert_false (gtk_widget_get_sensitive (limits_list (fixture)));

  save_screenshots (fixture, "screenshot-offline");
}

/* The same age, the same look: a reading 45 minutes old kept by a cooldown is greyed as one
 * kept by an expired sign-in; a fresh one during a cooldown is not. */
static void
test_old_reading_greyed (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();
  const char *limited = "{\"error\":{\"type\":\"rate_limit_error\"}}";

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);

  gauge_test_server_set_usage (fixture->server, 429, limited, "3600");
  skip_ahead (6 * G_TIME_SPAN_MINUTE);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==,
                   GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);
  fixture_show_window (fixture);
  gauge_test_assert_shows (fixture->window, "5-hour");
  g_assert_true (gtk_widget_get_sensitive (limits_list (fixture)));

  /* As the window's minute tick does. */
  skip_ahead (45 * G_TIME_SPAN_MINUTE);
  g_signal_emit_by_name (fixture->monitor, "changed");
  gauge_test_iterate_for (100);
  g_assert_false (gtk_widget_get_sensitive (limits_list (fixture)));
}

static void
test_severity (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *body = make_full_usage ();
  GaugeLimitRow *five_hour;
  GaugeLimitRow *weekly;
  GaugeLimitRow *opus;
  GtkWidget *bar;
  GtkWidget *percent;

  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  fixture_show_window (fixture);

  five_hour = find_row (fixture->window, "5-hour");
  weekly = find_row (fixture->window, "Weekly");
  opus = find_row (fixture->window, "Weekly · Opus");
  g_assert_nonnull (five_hour);
  g_assert_nonnull (weekly);
  g_assert_nonnull (opus);

  /* Defaults 80 / 95: 48 % normal, 82.5 % warning, 97 % critical. */
  bar = gauge_test_find_descendant (GTK_WIDGET (five_hour), GAUGE_TYPE_LIMIT_BAR, NULL);
  g_assert_true (gtk_widget_has_css_class (bar, "normal"));
  g_assert_cmpint (gauge_limit_bar_get_severity (GAUGE_LIMIT_BAR (bar)), ==, GAUGE_SEVERITY_NORMAL);
  g_assert_cmpfloat (gauge_limit_bar_get_pace (GAUGE_LIMIT_BAR (bar)), >, 0.5);
  percent = gauge_test_find_descendant (GTK_WIDGET (five_hour), GTK_TYPE_LABEL, "48 %");
  g_assert_false (gtk_widget_has_css_class (percent, "warning"));
  g_assert_false (gtk_widget_has_css_class (percent, "error"));

  bar = gauge_test_find_descendant (GTK_WIDGET (weekly), GAUGE_TYPE_LIMIT_BAR, NULL);
  g_assert_true (gtk_widget_has_css_class (bar, "warning"));
  percent = gauge_test_find_descendant (GTK_WIDGET (weekly), GTK_TYPE_LABEL, "82.5 %");
  if (percent == NULL)
    percent = gauge_test_find_descendant (GTK_WIDGET (weekly), GTK_TYPE_LABEL, "83 %");
  g_assert_nonnull (percent);
  g_assert_true (gtk_widget_has_css_class (percent, "warning"));

  bar = gauge_test_find_descendant (GTK_WIDGET (opus), GAUGE_TYPE_LIMIT_BAR, NULL);
  g_assert_true (gtk_widget_has_css_class (bar, "critical"));
  g_assert_false (gtk_widget_has_css_class (bar, "normal"));
  percent = gauge_test_find_descendant (GTK_WIDGET (opus), GTK_TYPE_LABEL, "97 %");
  g_assert_true (gtk_widget_has_css_class (percent, "error"));

  /* The thresholds are live settings. */
  g_settings_set_double (fixture->settings, "warning-threshold", 40.0);
  bar = gauge_test_find_descendant (GTK_WIDGET (find_row (fixture->window, "5-hour")),
                         GAUGE_TYPE_LIMIT_BAR, NULL);
  g_assert_true (gtk_widget_has_css_class (bar, "warning"));
  g_assert_false (gtk_widget_has_css_class (bar, "normal"));

  g_settings_set_double (fixture->settings, "critical-threshold", 45.0);
  g_assert_true (gtk_widget_has_css_class (bar, "critical"));
}

static void
test_reset_format (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 16, 11, 49, 0);
  struct {
    GTimeSpan   offset;
    const char *expected_prefix;
    const char *clock_format;  /* how the reset time itself is shown */
  } table[] = {
    { 131 * G_TIME_SPAN_MINUTE, "Resets in 2 h 11 min (", "%H:%M" },
    { 12 * G_TIME_SPAN_MINUTE, "Resets in 12 min (", "%H:%M" },
    { 30 * G_TIME_SPAN_SECOND, "Resets in 1 min (", "%H:%M" },
    { G_TIME_SPAN_HOUR, "Resets in 1 h (", "%H:%M" },
    { 25 * G_TIME_SPAN_HOUR, "Resets in 1 day 1 h (", "%a %H:%M" },
    { 3 * G_TIME_SPAN_DAY, "Resets in 3 days (", "%a %H:%M" },
    { -5 * G_TIME_SPAN_MINUTE, "Resetting now", NULL },
    { 0, "Resetting now", NULL },
  };
  g_autofree char *none = gauge_format_reset (NULL, now);

  g_assert_null (none);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GDateTime) resets_at = g_date_time_add (now, table[i].offset);
      g_autofree char *text = gauge_format_reset (resets_at, now);

      g_test_message ("%+" G_GINT64_FORMAT " s → %s", table[i].offset / G_TIME_SPAN_SECOND, text);
      g_assert_true (g_str_has_prefix (text, table[i].expected_prefix));

      if (table[i].clock_format != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (resets_at);
          g_autofree char *clock = g_date_time_format (local, table[i].clock_format);
          g_autofree char *expected = g_strdup_printf ("%s%s)", table[i].expected_prefix, clock);

          g_assert_cmpstr (text, ==, expected);
        }
    }
}

static gboolean
monitor_busy (gpointer data)
{
  Fixture *fixture = data;

  return gauge_monitor_get_busy (GAUGE_MONITOR (fixture->monitor));
}

static gboolean
checking_gone (gpointer window)
{
  g_autofree char *text = gauge_test_visible_text (window);

  return strstr (text, "Checking") == NULL;
}

static void
test_loading (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  GtkWidget *refresh;

  gauge_test_server_set_delay (fixture->server, 1500);
  fixture_write_credentials (fixture);
  fixture->monitor = gauge_limits_monitor_new (store, client, fixture->credentials_path);
  gauge_limits_monitor_start (fixture->monitor);
  gauge_test_wait_until (monitor_busy, fixture, 10000);

  fixture_show_window (fixture);
  gauge_test_assert_shows (fixture->window, "Checking your limits…");
  gauge_test_assert_shows (fixture->window, "Checking…");
  refresh = gauge_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, NULL);
  g_assert_false (gtk_widget_get_sensitive (refresh));

  gauge_test_wait_until (monitor_settled, fixture, 10000);
  /* The limits page fades in over the loading page. */
  gauge_test_wait_until (checking_gone, fixture->window, 10000);
  gauge_test_assert_not_shows (fixture->window, "Checking");
  gauge_test_assert_shows (fixture->window, "5-hour");
  g_assert_true (gtk_widget_get_sensitive (refresh));
}

static void
test_damaged_history (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->store_path);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (fixture->store_path,
                                      "this is not an SQLite database, not at all", -1, NULL));
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  g_assert_nonnull (gauge_limits_monitor_get_store_message (fixture->monitor));

  fixture_show_window (fixture);
  gauge_test_assert_shows (fixture->window, gauge_limits_monitor_get_store_message (fixture->monitor));
  gauge_test_assert_shows (fixture->window, "5-hour");
}

/* Now, for the local figures: their "today" starts at local midnight, so in the first hour of
 * a day the clock moves on an hour, to keep the last hour's responses inside today. */
static GDateTime *
daytime_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_hour (now) < 1)
    {
      g_autoptr(GDateTime) later = g_date_time_add_hours (now, 1);

      gauge_clock_set_fake (later);
    }
  return gauge_clock_now_utc ();
}

/* Three responses of Claude Code in the last hour, as its transcripts hold them. */
static void
write_transcript (GDateTime *now)
{
  g_autofree char *dir = g_build_filename (g_get_home_dir (), ".claude", "projects",
                                           "-home-ana-src-shop", NULL);
  g_autofree char *path = g_build_filename (dir, "5b0c1f2e-aaaa-bbbb-cccc-000000000001.jsonl", NULL);
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(GDateTime) at = g_date_time_add_minutes (now, -50 + 20 * i);
      g_autofree char *iso = g_date_time_format (at, "%Y-%m-%dT%H:%M:%S.000Z");

      g_string_append_printf (lines,
        "{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"assistant\","
        "\"sessionId\":\"5b0c1f2e-aaaa-bbbb-cccc-000000000001\",\"requestId\":\"req_%d\","
        "\"timestamp\":\"%s\",\"message\":{\"id\":\"msg_%d\",\"type\":\"message\","
        "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],"
        "\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":3000,"
        "\"cache_read_input_tokens\":50000,\"output_tokens\":2000,"
        "\"cache_creation\":{\"ephemeral_5m_input_tokens\":3000,\"ephemeral_1h_input_tokens\":0}}}}\n",
        i, iso, i);
    }

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, lines->str, lines->len, &error);
  g_assert_no_error (error);
}

/* The window with its local usage from write_transcript(), once it shows the active block. */
static void
show_local_usage (Fixture              *fixture,
                  GaugeStore           *store,
                  GaugeTranscriptIndex *index,
                  GDateTime            *now)
{
  g_autofree char *body = make_full_usage ();

  write_transcript (now);
  fixture_write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_start_monitor (fixture);

  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 420, 1040);
  gauge_window_set_local_usage (fixture->window,
                                gauge_local_usage_view_new (store, index, fixture->monitor,
                                                            fixture->settings));
  gauge_transcript_index_start (index);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gauge_test_wait_shows (fixture->window, "Local 5-hour block", 15000);
}

/* A reading of the 5-hour and weekly limits @minutes_ago, as an earlier check stored it. */
static void
store_reading (GaugeStore *store,
               gint64      minutes_ago,
               double      five_hour,
               double      weekly)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, -minutes_ago);
  g_autoptr(GDateTime) five_resets = g_date_time_add_minutes (now, 131);
  g_autoptr(GDateTime) week_resets = g_date_time_add_hours (now, 3 * 24 + 2);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", five_hour, five_resets,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  g_ptr_array_add (windows, gauge_limit_window_new ("seven_day", "Weekly", weekly, week_resets,
                                                    GAUGE_WINDOW_LENGTH_WEEK));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, then);
  g_assert_true (gauge_store_add_snapshot (store, snapshot, &error));
  g_assert_no_error (error);
}

/* Every official row says its pace, and its bar's time mark has a legend. */
static void
test_pace_on_rows (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autofree char *body = make_full_usage ();
  GaugeLimitRow *weekly, *five;

  /* The weekly limit went from 50 % to 82.5 % in the last hour: at that pace it runs out in
   * about half an hour, days before it resets. The 5-hour one, 45 % to 48 %: on pace. */
  store_reading (store, 60, 45, 50);
  store_reading (store, 30, 46.5, 66);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_write_credentials (fixture);
  fixture_start_monitor (fixture);
  fixture_show_window (fixture);
  gauge_window_set_store (fixture->window, store);

  gauge_test_wait_shows (fixture->window, "At this pace: runs out", 10000);
  weekly = find_row (fixture->window, "Weekly");
  five = find_row (fixture->window, "5-hour");
  g_assert_nonnull (weekly);
  g_assert_nonnull (five);
  gauge_test_assert_shows (weekly, "before reset)");
  gauge_test_assert_shows (five, "On pace");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (gauge_test_find_descendant (GTK_WIDGET (five),
                                                                                     GAUGE_TYPE_LIMIT_BAR,
                                                                                     NULL)),
                            "how much of this window’s time has passed"));

  save_screenshots (fixture, "screenshot-pace");
}

/* The bar of the local usage's first row: the active block's. */
static GaugeLimitBar *
local_block_bar (Fixture *fixture)
{
  GtkWidget *view = gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                                GAUGE_TYPE_LOCAL_USAGE_VIEW, NULL);

  g_assert_nonnull (view);
  return GAUGE_LIMIT_BAR (gauge_test_find_descendant (view, GAUGE_TYPE_LIMIT_BAR, NULL));
}

/* Without a sign-in, the window opens on the local usage; the invitation to sign in is a
 * row below it, not a page in its place. */
static void
test_local_only (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GDateTime) now = daytime_now ();
  GtkWidget *stack;

  /* A custom limit the block is far over, counted in all tokens (168k of 150k). */
  g_settings_set_string (fixture->settings, "plan-limit", "custom");
  g_settings_set_uint64 (fixture->settings, "plan-limit-tokens", 150000);
  g_settings_set_uint64 (fixture->settings, "weekly-token-budget", 1000000);
  write_transcript (now);
  fixture_start_monitor (fixture);
  g_assert_cmpint (gauge_limits_monitor_get_state (fixture->monitor), ==,
                   GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS);

  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 460, 1100);
  gauge_window_set_local_usage (fixture->window,
                                gauge_local_usage_view_new (store, index, fixture->monitor,
                                                            fixture->settings));
  gauge_transcript_index_start (index);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gauge_test_wait_shows (fixture->window, "Active 5-hour block", 15000);
  gauge_test_iterate_for (400);

  stack = gauge_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_STACK, NULL);
  g_assert_nonnull (stack);
  g_assert_true (gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                             GAUGE_TYPE_LOCAL_USAGE_VIEW, NULL) != NULL);
  gauge_test_assert_shows (fixture->window, "112 % of the limit: 168k of 150k tokens, cache included (custom)");
  gauge_test_assert_shows (fixture->window, "Ends ");
  gauge_test_assert_shows (fixture->window, "tokens/min");
  gauge_test_assert_shows (fixture->window, "This week");
  gauge_test_assert_shows (fixture->window, "17 % of a 1M budget");
  gauge_test_assert_shows (fixture->window, "of 50 5-hour sessions");
  /* The invitation, below. */
  gauge_test_assert_shows (fixture->window, "Sign in with Claude Code");
  gauge_test_assert_shows (fixture->window, fixture->credentials_path);
  /* Over its limit with nothing official to say otherwise: the bar says so. */
  g_assert_cmpint (gauge_limit_bar_get_severity (local_block_bar (fixture)), ==,
                   GAUGE_SEVERITY_CRITICAL);

  save_screenshots (fixture, "screenshot-local-only");

  /* It fits a phone's width too, and shows at the default size. */
  g_assert_cmpint (gauge_test_min_width (fixture->window), <=, GAUGE_TEST_NARROW_WIDTH);
  gauge_test_resize (GTK_WINDOW (fixture->window), GAUGE_TEST_NARROW_WIDTH, 760);
  save_screenshots (fixture, "screenshot-local-only-360");
  {
    int width, height;

    default_size (fixture, &width, &height);
    gauge_test_resize (GTK_WINDOW (fixture->window), width, height);
    save_screenshots (fixture, "screenshot-local-only-default");
  }
  gauge_transcript_index_stop (index);
}

/* With the official 5-hour window known, the local block is the estimate beside it: said so,
 * and its bar never red against the official figure. */
static void
test_one_five_hour_story (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GDateTime) now = daytime_now ();

  g_settings_set_string (fixture->settings, "plan-limit", "custom");
  g_settings_set_uint64 (fixture->settings, "plan-limit-tokens", 150000);
  show_local_usage (fixture, store, index, now);
  gauge_test_wait_shows (fixture->window, "Local 5-hour block", 15000);
  gauge_test_assert_shows (fixture->window, "the official 5-hour figure above is what Anthropic counts");
  gauge_test_assert_shows (fixture->window, "168k of 150k tokens, cache included");
  g_assert_cmpint (gauge_limit_bar_get_severity (local_block_bar (fixture)), ==,
                   GAUGE_SEVERITY_NORMAL);
  gauge_test_assert_not_shows (fixture->window, "Sign in with Claude Code");

  /* A preset plan counts input + output, and says so: 9k of Pro's 19k. */
  g_settings_set_string (fixture->settings, "plan-limit", "pro");
  gauge_test_wait_shows (fixture->window, "47 % of the limit: 9k of 19k input + output tokens (Pro)", 15000);

  save_screenshots (fixture, "screenshot-one-story");
  gauge_transcript_index_stop (index);
}

/* The visible page scrolled to its end (the local charts, the calendar, Local Usage), as
 * @stem-bottom, then back to its top. */
static void
save_page_end (Fixture      *fixture,
               AdwViewStack *stack,
               const char   *stem)
{
  g_autoptr(GPtrArray) scrollers = g_ptr_array_new ();
  g_autofree char *bottom = g_strdup_printf ("%s-bottom", stem);
  GtkScrolledWindow *scroller = NULL;
  GtkAdjustment *adjustment;

  gauge_test_find_all (adw_view_stack_get_visible_child (stack), GTK_TYPE_SCROLLED_WINDOW,
                       scrollers);
  for (guint i = 0; i < scrollers->len; i++)
    if (gtk_widget_has_css_class (scrollers->pdata[i], "gauge-page") &&
        gtk_widget_get_mapped (scrollers->pdata[i]))
      scroller = scrollers->pdata[i];
  g_assert_nonnull (scroller);

  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  save_screenshots (fixture, bottom);
  gtk_adjustment_set_value (adjustment, 0);
}

/* Each page fits GNOME's narrowest width (360 px) and is photographed there and at the
 * default size; long names end in "…"; the plan stays in sight when the tabs move up into
 * the header of a wide window. */
static void
test_layout (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const char * const pages[] = { "limits", "history" };
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GDateTime) now = daytime_now ();
  g_autofree char *body = make_full_usage ();
  AdwViewStack *stack;
  GtkLabel *model;
  int width, height;

  /* A day of readings, every ten minutes, for the History page's charts. */
  for (int i = 0; i < 144; i++)
    store_reading (store, 10 * (144 - i), (i * 2) % 60 + 10, 40 + i / 6.0);
  write_transcript (now);
  fixture_write_credentials (fixture);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  fixture_start_monitor (fixture);

  /* As the application makes it: the pages first, then the window is shown. */
  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gauge_window_set_local_usage (fixture->window,
                                gauge_local_usage_view_new (store, index, fixture->monitor,
                                                            fixture->settings));
  gauge_window_set_store (fixture->window, store);
  gauge_window_set_history (fixture->window,
                            gauge_history_view_new (store, fixture->monitor, fixture->settings));
  gauge_transcript_index_start (index);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gauge_test_wait_shows (fixture->window, "Local 5-hour block", 15000);
  stack = ADW_VIEW_STACK (gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                                      ADW_TYPE_VIEW_STACK, NULL));
  default_size (fixture, &width, &height);

  /* A model's name ends in "…" when it is too long, whole in its tooltip. */
  model = gauge_test_find_label_by_tooltip (GTK_WIDGET (fixture->window), "Sonnet 4.5");
  g_assert_nonnull (model);
  g_assert_cmpint (gtk_label_get_ellipsize (model), ==, PANGO_ELLIPSIZE_END);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *narrow = g_strdup_printf ("screenshot-%s-360", pages[i]);
      g_autofree char *normal = g_strdup_printf ("screenshot-%s", pages[i]);
      int minimum;

      adw_view_stack_set_visible_child_name (stack, pages[i]);
      if (g_str_equal (pages[i], "history"))
        gauge_test_wait_shows (fixture->window, "Tokens per Hour", 15000);
      gauge_test_iterate_for (300);

      minimum = gauge_test_min_width (fixture->window);
      g_test_message ("%s page: at least %d px wide", pages[i], minimum);
      g_assert_cmpint (minimum, <=, GAUGE_TEST_NARROW_WIDTH);

      gauge_test_resize (GTK_WINDOW (fixture->window), GAUGE_TEST_NARROW_WIDTH, 760);
      save_screenshots (fixture, narrow);
      save_page_end (fixture, stack, narrow);
      gauge_test_resize (GTK_WINDOW (fixture->window), width, height);
      save_screenshots (fixture, normal);
      save_page_end (fixture, stack, normal);
    }

  /* Wide: the tabs are in the header, where the plan was; it stays in sight. */
  gauge_test_resize (GTK_WINDOW (fixture->window), 1200, 800);
  gauge_test_assert_shows (fixture->window, "Max 5x");
  adw_view_stack_set_visible_child_name (stack, "limits");
  gauge_test_iterate_for (300);
  save_screenshots (fixture, "screenshot-limits-wide");

  gauge_transcript_index_stop (index);
}

static void
test_local_usage (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GDateTime) now = daytime_now ();

  show_local_usage (fixture, store, index, now);
  gauge_test_iterate_for (400);

  /* 3 × (1,000 in + 2,000 out + 3,000 cache write + 50,000 cache read) at Sonnet 4.5 prices. */
  gauge_test_assert_shows (fixture->window, "Local Usage");
  gauge_test_assert_shows (fixture->window, "Today");
  gauge_test_assert_shows (fixture->window, "168k tokens · $0.18");
  gauge_test_assert_shows (fixture->window, "Sonnet 4.5");
  gauge_test_assert_shows (fixture->window, "tokens/min");

  save_screenshots (fixture, "screenshot-local-usage");
  gauge_transcript_index_stop (index);
}

/* The figures follow new lines and the clock, in the rows already there. */
static void
test_local_usage_update (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GDateTime) now = daytime_now ();
  g_autofree char *iso = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *path = g_build_filename (g_get_home_dir (), ".claude", "projects",
                                            "-home-ana-src-shop",
                                            "5b0c1f2e-aaaa-bbbb-cccc-000000000001.jsonl", NULL);
  g_autofree char *line = NULL;
  g_autoptr(GDateTime) later = NULL;
  FILE *file;

  show_local_usage (fixture, store, index, now);
  gauge_test_assert_shows (fixture->window, "Today\n168k tokens · $0.18");

  /* Claude Code answers with Opus: 1,000 in + 1,000 out at $5 and $25 per million. */
  line = g_strdup_printf ("{\"type\":\"assistant\",\"sessionId\":\"5b0c1f2e-aaaa-bbbb-cccc-000000000001\","
                          "\"requestId\":\"req_9\",\"timestamp\":\"%s\",\"message\":{\"id\":\"msg_9\","
                          "\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":1000,"
                          "\"output_tokens\":1000}}}\n", iso);
  file = fopen (path, "a");
  g_assert_nonnull (file);
  fputs (line, file);
  fclose (file);
  gauge_test_wait_shows (fixture->window, "Opus 4.6", 15000);
  gauge_test_assert_shows (fixture->window, "Today\n170k tokens · $0.21");
  gauge_test_assert_not_shows (fixture->window, "Today\n168k tokens · $0.18");

  /* Six hours later the block is over. */
  later = g_date_time_add_hours (now, 6);
  gauge_clock_set_fake (later);
  g_settings_set_uint (fixture->settings, "billing-start-day", 2);
  gauge_test_wait_shows (fixture->window, "None active", 15000);
  gauge_test_assert_not_shows (fixture->window, "Local 5-hour block");

  gauge_transcript_index_stop (index);
}

/* --- Several accounts ------------------------------------------------------ */

#define PERSONAL_TOKEN "sk-ant-oat01-personal-account-token"
#define WORK_TOKEN     "sk-ant-oat01-work-account-token"

/* Every account read, and its profile (which makes its name) heard, as the app polls. */
static gboolean
accounts_read (gpointer data)
{
  GaugeAccountList *list = data;

  for (guint i = 0; i < gauge_account_list_get_n_accounts (list); i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (list, i);

      if (gauge_limits_monitor_get_snapshot (monitor) == NULL ||
          gauge_limits_monitor_get_account_email (monitor) == NULL ||
          gauge_monitor_get_busy (GAUGE_MONITOR (monitor)))
        return FALSE;
    }
  return TRUE;
}

static void
wait_accounts_read (GaugeAccountList *list)
{
  gauge_test_wait_until (accounts_read, list, 20000);
  gauge_test_iterate_for (300);
}

static gboolean
work_rate_limited (gpointer data)
{
  GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (data, 1);

  return gauge_limits_monitor_get_state (monitor) == GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED &&
         !gauge_monitor_get_busy (GAUGE_MONITOR (monitor));
}

/* The sections on the Limits page, in order. */
static GPtrArray *
account_sections (Fixture *fixture)
{
  GPtrArray *sections = g_ptr_array_new ();
  GPtrArray *shown = g_ptr_array_new ();

  gauge_test_find_all (GTK_WIDGET (fixture->window), GAUGE_TYPE_ACCOUNT_SECTION, sections);
  for (guint i = 0; i < sections->len; i++)
    if (gtk_widget_get_mapped (sections->pdata[i]))
      g_ptr_array_add (shown, sections->pdata[i]);
  g_ptr_array_unref (sections);

  return shown;
}

/* What @section shows: its heading first, and its rows' limits and percentages. */
static void
assert_section (GtkWidget  *section,
                const char *name,
                const char *five_hour,
                const char *weekly)
{
  g_autofree char *text = gauge_test_visible_text (section);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_test_message ("Section:\n%s", text);
  if (name != NULL)
    g_assert_cmpstr (lines[0], ==, name);
  g_assert_nonnull (strstr (text, five_hour));
  g_assert_nonnull (strstr (text, weekly));

  gauge_test_find_all (section, GAUGE_TYPE_LIMIT_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      GaugeLimitWindow *window = gauge_limit_row_get_window (rows->pdata[i]);

      g_assert_true (gtk_widget_get_mapped (rows->pdata[i]));
      g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==,
                       i == 0 ? "5-hour" : "Weekly");
    }
}

static guint
count_shown (gpointer    widget,
             const char *needle)
{
  g_autofree char *text = gauge_test_visible_text (widget);
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;

  return n;
}

static const char *
title_subtitle (Fixture *fixture)
{
  GtkWidget *title = gauge_test_find_descendant (GTK_WIDGET (fixture->window),
                                                 ADW_TYPE_VIEW_SWITCHER_TITLE, NULL);

  return adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (title));
}

/* Two signed-in folders: the personal one in ~/.claude, the work one in ~/.claude-work, each
 * with its token served its figures (5-hour and weekly percentages) by the loopback server. */
static void
sign_in_two_accounts (Fixture *fixture,
                      int      personal_five_hour,
                      int      personal_weekly,
                      int      work_five_hour,
                      int      work_weekly)
{
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *personal_body = gauge_test_usage_json (personal_five_hour, personal_weekly);
  g_autofree char *work_body = gauge_test_usage_json (work_five_hour, work_weekly);
  gint64 expires_ms = (g_get_real_time () / 1000) + 8 * 3600 * 1000;

  g_unsetenv ("CLAUDE_CONFIG_DIR");
  g_free (gauge_test_write_credentials (fixture->credentials_dir, PERSONAL_TOKEN, expires_ms,
                                        "default_claude_max_5x"));
  g_free (gauge_test_write_credentials (work_dir, WORK_TOKEN, expires_ms,
                                        "default_claude_max_20x"));
  gauge_test_server_set_usage_for_token (fixture->server, PERSONAL_TOKEN, 200, personal_body,
                                         NULL);
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);
}

/* Two signed-in folders, two tokens against the loopback server: a section each, under
 * the account's name, with its own rows and its own state; one account looks as ever. */
static void
test_two_accounts (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autofree char *personal_name = NULL;
  g_autofree char *work_name = NULL;
  g_autoptr(GaugeAccountList) list = NULL;
  g_autoptr(GPtrArray) sections = NULL;
  g_autoptr(GPtrArray) loading_rows = g_ptr_array_new ();
  g_autoptr(GDateTime) later = NULL;
  const char *extra[] = { "~/.claude-work", NULL };
  g_auto(GStrv) one = NULL;
  g_auto(GStrv) both = NULL;
  int width, height;

  sign_in_two_accounts (fixture, 10, 20, 70, 85);

  /* One account: one section, no heading, as the window always was. */
  one = gauge_account_list_folders (NULL);
  list = gauge_account_list_new (store, client, (const char * const *) one);
  g_assert_cmpuint (gauge_account_list_get_n_accounts (list), ==, 1);
  gauge_account_list_start (list);
  wait_accounts_read (list);
  fixture->monitor = g_object_ref (gauge_account_list_get_monitor (list, 0));
  fixture->window = gauge_window_new (app, fixture->monitor, fixture->settings);
  gauge_window_set_store (fixture->window, store);
  gauge_window_set_accounts (fixture->window, list);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gauge_test_wait_shows (fixture->window, "20 %", 15000);
  sections = account_sections (fixture);
  g_assert_cmpuint (sections->len, ==, 1);
  assert_section (sections->pdata[0], NULL, "10 %", "20 %");
  gauge_test_assert_not_shows (sections->pdata[0], "ana@example.com");
  /* The plan under the title, one "Updated" line in the footer. */
  g_assert_cmpstr (title_subtitle (fixture), ==, "Max 5x");
  g_assert_cmpuint (count_shown (fixture->window, "Updated "), ==, 1);
  gauge_test_assert_not_shows (sections->pdata[0], "Updated ");
  g_clear_pointer (&sections, g_ptr_array_unref);

  /* A second folder added: while it is being read, its section says so, without rows; the
   * first keeps its own. */
  gauge_test_server_set_delay (fixture->server, 2000);
  both = gauge_account_list_folders (extra);
  gauge_account_list_set_folders (list, (const char * const *) both);
  g_assert_cmpuint (gauge_account_list_get_n_accounts (list), ==, 2);
  g_assert_true (gauge_account_list_get_monitor (list, 0) == fixture->monitor);
  gauge_test_wait_shows (fixture->window, "Checking your limits…", 1500);
  sections = account_sections (fixture);
  g_assert_cmpuint (sections->len, ==, 2);
  assert_section (sections->pdata[0], NULL, "10 %", "20 %");
  gauge_test_assert_shows (sections->pdata[1], "Checking your limits…");
  gauge_test_find_all (sections->pdata[1], GAUGE_TYPE_LIMIT_ROW, loading_rows);
  g_assert_cmpuint (loading_rows->len, ==, 0);
  g_clear_pointer (&sections, g_ptr_array_unref);
  gauge_test_server_set_delay (fixture->server, 0);

  /* Read: each account under its name, with its own figures. */
  wait_accounts_read (list);
  personal_name = gauge_account_list_dup_name (list, 0);
  work_name = gauge_account_list_dup_name (list, 1);
  g_assert_cmpstr (personal_name, ==, "ana@example.com · Max 5x");
  g_assert_cmpstr (work_name, ==, "ana@example.com · Max 20x");
  gauge_test_wait_shows (fixture->window, work_name, 15000);

  sections = account_sections (fixture);
  g_assert_cmpuint (sections->len, ==, 2);
  assert_section (sections->pdata[0], personal_name, "10 %", "20 %");
  assert_section (sections->pdata[1], work_name, "70 %", "85 %");
  gauge_test_assert_not_shows (sections->pdata[0], "85 %");
  gauge_test_assert_not_shows (sections->pdata[1], "20 %");

  /* No one plan speaks for the window: the title says how many accounts, and each section
   * when it was read, in place of the footer's one line. */
  g_assert_cmpstr (title_subtitle (fixture), ==, "2 accounts");
  gauge_test_assert_shows (sections->pdata[0], "Updated ");
  gauge_test_assert_shows (sections->pdata[1], "Updated ");
  g_assert_cmpuint (count_shown (fixture->window, "Updated "), ==, 2);

  /* Fits GNOME's narrowest width; photographed there and at the default size. */
  g_assert_cmpint (gauge_test_min_width (fixture->window), <=, GAUGE_TEST_NARROW_WIDTH);
  default_size (fixture, &width, &height);
  gauge_test_resize (GTK_WINDOW (fixture->window), width, height);
  /* The title stays whole at the default width when the header's content changes under it
   * (laid out as drawn). */
  {
    g_autoptr(GdkTexture) drawn = gauge_test_render (GTK_WIDGET (fixture->window));
    GtkWidget *title = gauge_test_find_descendant (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL,
                                                   "Claude Gauge");

    g_assert_nonnull (title);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
  }
  save_screenshots (fixture, "screenshot-two-accounts");
  gauge_test_resize (GTK_WINDOW (fixture->window), GAUGE_TEST_NARROW_WIDTH, 760);
  gauge_test_iterate_for (100);
  gauge_test_assert_shows (fixture->window, "2 accounts");
  g_assert_cmpuint (count_shown (fixture->window, "Updated "), ==, 2);
  save_screenshots (fixture, "screenshot-two-accounts-360");
  gauge_test_resize (GTK_WINDOW (fixture->window), width, height);

  /* A 429 on the work account: its section says so, the personal one stays as it was. */
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 429,
                                         "{\"error\":{\"message\":\"Rate limited.\","
                                         "\"type\":\"rate_limit_error\"}}", "3600");
  later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 600);
  gauge_clock_set_fake (later);
  gauge_account_list_refresh (list);
  gauge_test_wait_until (work_rate_limited, list, 20000);
  gauge_test_wait_shows (sections->pdata[1], "The API asked us to wait until", 15000);
  gauge_test_assert_not_shows (sections->pdata[0], "The API asked us to wait until");
  gauge_test_assert_shows (sections->pdata[1], "85 %");
  save_screenshots (fixture, "screenshot-two-accounts-rate-limited");
}

/* Another account became the first: the window shows the new first monitor's plan and
 * figures at once, and its next reading as it comes. */
static void
test_monitor_swapped (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autofree char *next_body = gauge_test_usage_json (33, 87);
  g_autoptr(GaugeAccountList) list = NULL;
  g_autoptr(GDateTime) later = NULL;
  const char *extra[] = { "~/.claude-work", NULL };
  g_auto(GStrv) both = NULL;
  GaugeLimitsMonitor *work;

  sign_in_two_accounts (fixture, 11, 21, 71, 86);
  both = gauge_account_list_folders (extra);
  list = gauge_account_list_new (store, client, (const char * const *) both);
  gauge_account_list_start (list);
  wait_accounts_read (list);
  fixture->monitor = g_object_ref (gauge_account_list_get_monitor (list, 0));
  work = gauge_account_list_get_monitor (list, 1);
  fixture_show_window (fixture);
  gauge_test_wait_shows (fixture->window, "21 %", 15000);
  g_assert_cmpstr (title_subtitle (fixture), ==, "Max 5x");

  gauge_window_set_monitor (fixture->window, work);
  gauge_test_wait_shows (fixture->window, "86 %", 5000);
  gauge_test_assert_not_shows (fixture->window, "21 %");
  g_assert_cmpstr (title_subtitle (fixture), ==, "Max 20x");

  /* The next reading of the new first account, with no other cause to redraw. */
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, next_body, NULL);
  later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 600);
  gauge_clock_set_fake (later);
  gauge_limits_monitor_refresh (work);
  gauge_test_wait_shows (fixture->window, "87 %", 15000);
  gauge_test_assert_shows (fixture->window, "33 %");
}

/* Two accounts' folders with different transcripts: the Local Usage part shows every folder's
 * at first, as with one account; its drop-down picks one account, whose figures are its own
 * folder's. */
static void
test_local_usage_per_account (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->store_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *env = g_strdup_printf ("%s,%s", fixture->credentials_dir, work_dir);
  g_autofree char *mine = g_build_filename (fixture->credentials_dir, "projects", "-home-ana",
                                            NULL);
  g_autofree char *theirs = g_build_filename (work_dir, "projects", "-home-ana-work", NULL);
  const char *folders[] = { fixture->credentials_dir, work_dir, NULL };
  g_autoptr(GaugeAccountList) list = NULL;
  gint64 minute_ago = g_get_real_time () / G_USEC_PER_SEC - 60;
  g_autoptr(GPtrArray) drop_downs = g_ptr_array_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view;
  GtkDropDown *drop_down;

  /* $0.45 in the first account's folder, $0.30 in the other's. */
  g_setenv ("CLAUDE_CONFIG_DIR", env, TRUE);
  gauge_test_write_usage_line (mine, "s1", "m-mine", minute_ago, 100000, 10000, 0, 0);
  gauge_test_write_usage_line (theirs, "s2", "m-theirs", minute_ago, 100000, 0, 0, 0);
  list = gauge_account_list_new (store, client, folders);

  view = gauge_local_usage_view_new (store, index, gauge_account_list_get_monitor (list, 0),
                                     fixture->settings);
  gauge_local_usage_view_set_accounts (GAUGE_LOCAL_USAGE_VIEW (view), list);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  gauge_transcript_index_start (index);
  gtk_window_present (GTK_WINDOW (window));

  gauge_test_wait_shows (view, "210k tokens · $0.75", 15000);
  gauge_test_find_all (view, GTK_TYPE_DROP_DOWN, drop_downs);
  g_assert_cmpuint (drop_downs->len, ==, 1);
  drop_down = drop_downs->pdata[0];
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (drop_down)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (drop_down)), ==, 3);
  g_assert_null (gauge_local_usage_view_get_account (GAUGE_LOCAL_USAGE_VIEW (view)));

  gtk_drop_down_set_selected (drop_down, 2);
  g_assert_cmpstr (gauge_local_usage_view_get_account (GAUGE_LOCAL_USAGE_VIEW (view)), ==,
                   work_dir);
  gauge_test_wait_shows (view, "100k tokens · $0.30", 15000);
  gauge_test_assert_not_shows (view, "$0.75");
  gauge_test_assert_not_shows (view, "$0.45");

  gtk_drop_down_set_selected (drop_down, 1);
  gauge_test_wait_shows (view, "110k tokens · $0.45", 15000);
  gauge_test_assert_not_shows (view, "$0.75");
  gauge_test_assert_not_shows (view, "$0.30");

  /* One account: no drop-down, every folder's, as ever. */
  gauge_account_list_set_folders (list, (const char *[]) { fixture->credentials_dir, NULL });
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (drop_down)));
  gauge_test_wait_shows (view, "210k tokens · $0.75", 15000);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("CLAUDE_CONFIG_DIR");
}

int
main (int   argc,
      char *argv[])
{
  /* Isolated XDG dirs, but the real icon theme and MIME database. */
  gauge_test_ui_init (&argc, &argv);

  /* Nothing else in this binary pulls the resource object out of the static library. */
  g_assert_nonnull (gauge_get_resource ());

  app = gauge_test_ui_app_new (APPLICATION_ID);

  g_test_add_func ("/window/reset-format", test_reset_format);
  g_test_add ("/window/all-windows", Fixture, NULL,
              fixture_set_up, test_all_windows, fixture_tear_down);
  g_test_add ("/window/extra-usage-only", Fixture, NULL,
              fixture_set_up, test_extra_usage_only, fixture_tear_down);
  g_test_add ("/window/autumn-rows", Fixture, NULL,
              fixture_set_up, test_autumn_rows, fixture_tear_down);
  g_test_add ("/window/no-credentials", Fixture, NULL,
              fixture_set_up, test_no_credentials, fixture_tear_down);
  g_test_add ("/window/expired", Fixture, NULL,
              fixture_set_up, test_expired, fixture_tear_down);
  g_test_add ("/window/forbidden", Fixture, NULL,
              fixture_set_up, test_forbidden, fixture_tear_down);
  g_test_add ("/window/rate-limited", Fixture, NULL,
              fixture_set_up, test_rate_limited, fixture_tear_down);
  g_test_add ("/window/old-reading-greyed", Fixture, NULL,
              fixture_set_up, test_old_reading_greyed, fixture_tear_down);
  g_test_add ("/window/offline", Fixture, NULL,
              fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/window/severity", Fixture, NULL,
              fixture_set_up, test_severity, fixture_tear_down);
  g_test_add ("/window/loading", Fixture, NULL,
              fixture_set_up, test_loading, fixture_tear_down);
  g_test_add ("/window/damaged-history", Fixture, NULL,
              fixture_set_up, test_damaged_history, fixture_tear_down);
  g_test_add ("/window/local-usage", Fixture, NULL,
              fixture_set_up, test_local_usage, fixture_tear_down);
  g_test_add ("/window/local-usage-update", Fixture, NULL,
              fixture_set_up, test_local_usage_update, fixture_tear_down);
  g_test_add ("/window/pace-on-rows", Fixture, NULL,
              fixture_set_up, test_pace_on_rows, fixture_tear_down);
  g_test_add ("/window/local-only", Fixture, NULL,
              fixture_set_up, test_local_only, fixture_tear_down);
  g_test_add ("/window/one-five-hour-story", Fixture, NULL,
              fixture_set_up, test_one_five_hour_story, fixture_tear_down);
  g_test_add ("/window/layout", Fixture, NULL,
              fixture_set_up, test_layout, fixture_tear_down);
  g_test_add ("/window/tabs", Fixture, NULL,
              fixture_set_up, test_tabs, fixture_tear_down);
  g_test_add ("/window/console-only", Fixture, NULL,
              fixture_set_up, test_console_only, fixture_tear_down);
  g_test_add ("/window/two-accounts", Fixture, NULL,
              fixture_set_up, test_two_accounts, fixture_tear_down);
  g_test_add ("/window/monitor-swapped", Fixture, NULL,
              fixture_set_up, test_monitor_swapped, fixture_tear_down);
  g_test_add ("/window/local-usage-per-account", Fixture, NULL,
              fixture_set_up, test_local_usage_per_account, fixture_tear_down);

  return gauge_test_ui_run (&app);
}
