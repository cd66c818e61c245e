/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>

#include "gauge-application.h"
#include "gauge-clock.h"
#include "gauge-dbus-api.h"
#include "gauge-resources.h"
#include "gauge-test-server.h"
#include "gauge-test-ui.h"
#include "gauge-window.h"

/*
 * The whole application in this process, on the test's session bus, against a loopback
 * server: what speaks for "the first account" (the window's title, the tray, the D-Bus
 * API's top-level properties) follows the accounts when folders are added and removed in
 * Preferences while it runs.
 */

#define PLAY_TOKEN "sk-ant-oat01-play-account-token"
#define WORK_TOKEN "sk-ant-oat01-work-account-token"

#define USAGE_INTERFACE "io.github.claudegauge.ClaudeGauge.Usage"
#define SNI_INTERFACE   "org.kde.StatusNotifierItem"
#define SNI_PATH        "/StatusNotifierItem"

static GSubprocess *notification_server;

/* The summaries of the notifications the server was asked to show, one per line. */
static char *
notification_summaries (GDBusConnection *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (client, "org.freedesktop.Notifications",
                                 "/org/freedesktop/Notifications", "org.freedesktop.DBus.Mock",
                                 "GetCalls", NULL, G_VARIANT_TYPE ("(a(tsav))"),
                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_autoptr(GVariant) calls = NULL;
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  calls = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (calls); i++)
    {
      g_autoptr(GVariant) call = g_variant_get_child_value (calls, i);
      g_autoptr(GVariant) args = NULL;
      g_autoptr(GVariant) boxed = NULL;
      g_autoptr(GVariant) summary = NULL;
      const char *method;

      g_variant_get (call, "(t&s@av)", NULL, &method, &args);
      if (!g_str_equal (method, "Notify"))
        continue;
      boxed = g_variant_get_child_value (args, 3);
      summary = g_variant_get_variant (boxed);
      g_string_append_printf (text, "%s\n", g_variant_get_string (summary, NULL));
    }

  return g_string_free (text, FALSE);
}

/* How many lines of @text are @line. */
static guint
count_lines (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);

  return n;
}

typedef struct
{
  GaugeTestServer  *server;
  GSettings        *settings;
  GaugeApplication *app;
  GDBusConnection  *client;    /* another connection, as a panel reads the app */
} Fixture;

typedef struct
{
  GVariant *value;
  gboolean  done;
} Reply;

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Reply *reply = user_data;
  g_autoptr(GError) error = NULL;

  reply->value = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  g_assert_no_error (error);
  reply->done = TRUE;
}

static gboolean
reply_done (gpointer data)
{
  return ((Reply *) data)->done;
}

/* A property of the running app, read over the bus (asynchronously: the app answers from
 * this thread's main loop). */
static GVariant *
app_property (Fixture    *fixture,
              const char *path,
              const char *interface,
              const char *name)
{
  GDBusConnection *app_connection =
    g_application_get_dbus_connection (G_APPLICATION (fixture->app));
  Reply reply = { NULL, FALSE };
  GVariant *value;

  g_dbus_connection_call (fixture->client, g_dbus_connection_get_unique_name (app_connection),
                          path, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", interface, name), G_VARIANT_TYPE ("(v)"),
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, get_cb, &reply);
  gauge_test_wait_until (reply_done, &reply, 6000);
  g_variant_get (reply.value, "(v)", &value);
  g_variant_unref (reply.value);

  return value;
}

static char *
api_string (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GVariant) value = app_property (fixture, GAUGE_DBUS_API_PATH, USAGE_INTERFACE,
                                            name);

  return g_variant_dup_string (value, NULL);
}

/* The tray's tooltip body, as a panel reads it. */
static char *
tray_tooltip (Fixture *fixture)
{
  g_autoptr(GVariant) value = app_property (fixture, SNI_PATH, SNI_INTERFACE, "ToolTip");
  const char *body = NULL;

  g_variant_get (value, "(&sa(iiay)&s&s)", NULL, NULL, NULL, &body);
  return g_strdup (body);
}

static GaugeWindow *
app_window (Fixture *fixture)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));

  for (GList *l = windows; l != NULL; l = l->next)
    if (GAUGE_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static const char *
window_subtitle (Fixture *fixture)
{
  GtkWidget *title = gauge_test_find_descendant (GTK_WIDGET (app_window (fixture)),
                                                 ADW_TYPE_VIEW_SWITCHER_TITLE, NULL);

  return adw_view_switcher_title_get_subtitle (ADW_VIEW_SWITCHER_TITLE (title));
}

typedef struct
{
  Fixture    *fixture;
  const char *plan;         /* the D-Bus API's top-level Plan and the window's subtitle */
  const char *five_hour;    /* the first account's, in the API's Summary */
  const char *subtitle;
} Expected;

static gboolean
first_account_shown (gpointer data)
{
  Expected *expected = data;
  g_autofree char *plan = api_string (expected->fixture, "Plan");
  g_autofree char *summary = api_string (expected->fixture, "Summary");

  return g_strcmp0 (plan, expected->plan) == 0 &&
         strstr (summary, expected->five_hour) != NULL &&
         g_strcmp0 (window_subtitle (expected->fixture), expected->subtitle) == 0;
}

/* Waits until everything that speaks for the first account speaks for the expected one. */
static void
assert_first_account (Fixture    *fixture,
                      const char *plan,
                      const char *five_hour,
                      const char *subtitle)
{
  Expected expected = { fixture, plan, five_hour, subtitle };
  g_autofree char *api_plan = NULL;
  g_autofree char *summary = NULL;

  gauge_test_wait_until (first_account_shown, &expected, 20000);

  api_plan = api_string (fixture, "Plan");
  summary = api_string (fixture, "Summary");
  g_test_message ("Plan %s, summary %s, window “%s”", api_plan, summary,
                  window_subtitle (fixture));
  g_assert_cmpstr (api_plan, ==, plan);
  g_assert_nonnull (strstr (summary, five_hour));
  g_assert_cmpstr (window_subtitle (fixture), ==, subtitle);
}

static void
set_folders (Fixture            *fixture,
             const char * const *folders)
{
  g_settings_set_strv (fixture->settings, "account-folders", folders);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *play_dir = g_build_filename (g_get_home_dir (), ".claude-play", NULL);
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *play_body = gauge_test_usage_json (10, 20);
  g_autofree char *work_body = gauge_test_usage_json (70, 85);
  g_autofree char *path = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expires_ms = (g_get_real_time () / 1000) + 8 * 3600 * 1000;

  gauge_test_ui_use_system_mime_dirs ();
  g_unsetenv ("CLAUDE_CONFIG_DIR");

  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);
  gauge_test_server_set_usage_for_token (fixture->server, PLAY_TOKEN, 200, play_body, NULL);
  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 200, work_body, NULL);

  /* ~/.claude holds no sign-in: the first account is the first added folder that does. */
  g_free (gauge_test_write_credentials (play_dir, PLAY_TOKEN, expires_ms,
                                        "default_claude_max_5x"));
  g_free (gauge_test_write_credentials (work_dir, WORK_TOKEN, expires_ms,
                                        "default_claude_max_20x"));
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);

  fixture->settings = g_settings_new (APPLICATION_ID);
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  fixture->client =
    g_dbus_connection_new_for_address_sync (address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->app);
  gauge_test_iterate_for (200);
  g_settings_reset (fixture->settings, "account-folders");
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_unsetenv ("CLAUDE_GAUGE_API_BASE");
}

/* Runs the app as the desktop does, and @steps once its window is up; then quits it. */
static void
run_app (Fixture *fixture,
         void   (*steps) (Fixture *fixture))
{
  char *argv[] = { (char *) "claude-gauge", NULL };

  fixture->app = gauge_application_new ();
  /* Not the desktop's name: the test's bus may hold another instance's. */
  g_application_set_flags (G_APPLICATION (fixture->app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_data (fixture->app, "activate", G_CALLBACK (steps), fixture, NULL,
                         G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_assert_cmpint (g_application_run (G_APPLICATION (fixture->app), 1, argv), ==, 0);
}

static void
quit_app (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (app_window (fixture)));
  g_application_quit (G_APPLICATION (fixture->app));
}

/* Folders added and removed in Preferences while the app runs: the window's title, the
 * tray and the D-Bus API's top-level fields follow whichever account is first now, with no
 * restart. */
static void
first_account_follows (Fixture *fixture)
{
  const char *play[] = { "~/.claude-play", NULL };
  const char *both[] = { "~/.claude-work", "~/.claude-play", NULL };
  g_autofree char *tooltip = NULL;
  g_autofree char *account = NULL;
  g_autofree char *body = NULL;
  g_autofree char *summaries = NULL;
  g_autoptr(GDateTime) later = NULL;

  gauge_test_ui_use_system_icon_dirs ();
  g_assert_nonnull (app_window (fixture));
  assert_first_account (fixture, "Max 20x", "70 %", "Max 20x");
  tooltip = tray_tooltip (fixture);
  g_assert_nonnull (strstr (tooltip, "70 %"));
  g_clear_pointer (&tooltip, g_free);

  /* The work folder removed, the play one added: one account still, another one. */
  set_folders (fixture, play);
  assert_first_account (fixture, "Max 5x", "10 %", "Max 5x");
  tooltip = tray_tooltip (fixture);
  g_test_message ("Tooltip: %s", tooltip);
  g_assert_nonnull (strstr (tooltip, "10 %"));
  g_assert_null (strstr (tooltip, "70 %"));
  gauge_test_wait_shows (app_window (fixture), "20 %", 5000);
  gauge_test_assert_not_shows (app_window (fixture), "85 %");
  g_clear_pointer (&tooltip, g_free);

  /* Work added before it: it is the first again, with play beside it. */
  set_folders (fixture, both);
  assert_first_account (fixture, "Max 20x", "70 %", "2 accounts");
  account = api_string (fixture, "Account");
  g_assert_nonnull (strstr (account, "Max 20x"));
  gauge_test_wait_shows (app_window (fixture), "85 %", 5000);
  gauge_test_assert_shows (app_window (fixture), "20 %");

  /* And removed again: play is the first and only one. */
  set_folders (fixture, play);
  assert_first_account (fixture, "Max 5x", "10 %", "Max 5x");
  gauge_test_assert_not_shows (app_window (fixture), "85 %");

  /* Its alerts are its own, whichever place it has: told under no account's name, though
   * work was told of 85 % of a week that resets when this one does. */
  body = gauge_test_usage_json (30, 85);
  gauge_test_server_set_usage_for_token (fixture->server, PLAY_TOKEN, 200, body, NULL);
  later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 600);
  gauge_clock_set_fake (later);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "refresh", NULL);
  assert_first_account (fixture, "Max 5x", "30 %", "Max 5x");
  gauge_test_iterate_for (500);
  summaries = notification_summaries (fixture->client);
  g_test_message ("Notifications:\n%s", summaries);
  /* Work's at the start, play's now. */
  g_assert_cmpuint (count_lines (summaries, "Weekly limit at 85 %"), ==, 2);

  /* Work comes back before it: neither is told again, by name or not. */
  set_folders (fixture, both);
  assert_first_account (fixture, "Max 20x", "70 %", "2 accounts");
  gauge_test_wait_shows (app_window (fixture), "85 %", 5000);
  gauge_test_iterate_for (1000);
  g_clear_pointer (&summaries, g_free);
  summaries = notification_summaries (fixture->client);
  g_test_message ("Notifications:\n%s", summaries);
  g_assert_cmpuint (count_lines (summaries, "Weekly limit at 85 %"), ==, 2);
  g_assert_null (strstr (summaries, " · Weekly limit at 85 %"));
  gauge_clock_set_fake (NULL);
  quit_app (fixture);
}

static void
test_first_account_follows (Fixture       *fixture,
                            gconstpointer  user_data)
{
  const char *work[] = { "~/.claude-work", NULL };

  g_settings_set_strv (fixture->settings, "account-folders", work);
  run_app (fixture, first_account_follows);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autofree char *display = NULL;
  int ret;

  gauge_test_ui_init (&argc, &argv);
  g_assert_nonnull (gauge_get_resource ());

  /* A bus of its own with no services to start: the keyring and a notification server would
   * run with the real home, outside the test's. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  /* Which it unsets, against X11 autolaunch. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  notification_server = gauge_test_start_notification_server (bus, connection);

  g_test_add ("/application/first-account-follows", Fixture, NULL,
              fixture_set_up, test_first_account_follows, fixture_tear_down);

  ret = g_test_run ();
  gauge_test_iterate_for (300);
  g_subprocess_force_exit (notification_server);
  g_subprocess_wait (notification_server, NULL, NULL);
  g_clear_object (&notification_server);
  /* Not g_test_dbus_down() (nor an unref, which calls it): libnotify keeps its proxy, so the
   * bus connection, to the end, which it would wait for. */
  g_test_dbus_stop (bus);
  return ret;
}
