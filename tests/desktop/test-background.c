/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-background"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "gauge-dbus-api.h"
#include "gauge-test-process.h"
#include "gauge-test-server.h"

/*
 * GNOME without the AppIndicator extension: no StatusNotifierWatcher on the bus, the
 * Background portal stood in for by python3-dbusmock with tests/desktop/portal_background.py,
 * the real app against the loopback usage API. The app asks the portal to run in the
 * background (with autostart, start-at-login being on), outlives its window, keeps GNOME's
 * status line to the reading at most once a minute, and shows its window when started again.
 */

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *connection;
  GaugeTestServer *server;
  GSubprocess     *portal;
  GSubprocess     *app;
} Fixture;

static gboolean
portal_is_on_bus (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", PORTAL_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *usage = gauge_test_usage_json (48, 63);
  g_autofree char *claude_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *credentials = NULL;
  g_autofree char *template = g_test_build_filename (G_TEST_DIST, "desktop", "portal_background.py",
                                                     NULL);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  fixture->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  /* Debian's python3 has python3-dbusmock; pyenv's may not. */
  fixture->portal = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                      g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                                      ? "/usr/bin/python3" : "python3",
                                      "-m", "dbusmock", "--session", "-t", template, NULL);
  g_assert_no_error (error);
  while (!portal_is_on_bus (fixture->connection))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gauge_test_iterate_for (50);
    }

  fixture->server = gauge_test_server_new ();
  gauge_test_server_set_usage (fixture->server, 200, usage, NULL);
  credentials = gauge_test_write_credentials (claude_dir, "sk-ant-oat01-background",
                                              g_get_real_time () / 1000 + 86400000,
                                              "default_claude_max_5x");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  gauge_test_stop_process (&fixture->app);
  g_subprocess_force_exit (fixture->portal);
  g_subprocess_wait (fixture->portal, NULL, NULL);
  g_clear_object (&fixture->portal);
  g_clear_object (&fixture->connection);
  gauge_test_server_free (fixture->server);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

/* The app's settings, in a keyfile (the memory backend starts empty in each process). */
static GSubprocessLauncher *
launcher_new (Fixture *fixture)
{
  GSubprocessLauncher *launcher =
    gauge_test_launcher_new (gauge_test_server_get_base_url (fixture->server),
                             G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (dir, "keyfile", NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (keyfile, "[io/github/claudegauge/ClaudeGauge]\nstart-at-login=true\n", -1,
                       &error);
  g_assert_no_error (error);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  /* Start at login through the portal, as inside Flatpak. */
  g_subprocess_launcher_setenv (launcher, "CLAUDE_GAUGE_TEST_BACKGROUND_PORTAL", "1", TRUE);

  return launcher;
}

/* The portal's calls of @method so far, their first argument dictionaries. */
static GPtrArray *
portal_calls (Fixture    *fixture,
              const char *method)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);

  reply = g_dbus_connection_call_sync (fixture->connection, PORTAL_NAME, PORTAL_PATH,
                                       "org.freedesktop.DBus.Mock", "GetCalls", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  calls = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (calls); i++)
    {
      g_autoptr(GVariant) call = g_variant_get_child_value (calls, i);
      g_autoptr(GVariant) args = g_variant_get_child_value (call, 2);
      const char *name;

      g_variant_get_child (call, 1, "&s", &name);
      if (!g_str_equal (name, method))
        continue;
      for (gsize j = 0; j < g_variant_n_children (args); j++)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (args, j);
          g_autoptr(GVariant) arg = g_variant_get_variant (boxed);

          if (g_variant_is_of_type (arg, G_VARIANT_TYPE_VARDICT))
            g_ptr_array_add (found, g_steal_pointer (&arg));
        }
    }

  return found;
}

static GPtrArray *
wait_for_calls (Fixture    *fixture,
                const char *method,
                guint       n,
                guint       seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  GPtrArray *calls;

  while ((calls = portal_calls (fixture, method))->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_ptr_array_unref (calls);
      gauge_test_iterate_for (200);
    }

  return calls;
}

static const char *
status_message (GPtrArray *calls,
                guint      i)
{
  const char *message = NULL;

  g_assert_true (g_variant_lookup (g_ptr_array_index (calls, i), "message", "&s", &message));
  return message;
}

/* How many of the app's windows are on the bus (GtkApplication exports each). */
static guint
count_windows (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml;

  reply = g_dbus_connection_call_sync (fixture->connection, APPLICATION_ID,
                                       GAUGE_DBUS_API_PATH "/window",
                                       "org.freedesktop.DBus.Introspectable", "Introspect", NULL,
                                       G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);

  return node->nodes != NULL ? g_strv_length ((char **) node->nodes) : 0;
}

static void
activate_action (Fixture    *fixture,
                 const char *action)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (fixture->connection, APPLICATION_ID, GAUGE_DBUS_API_PATH,
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", action, NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

static void
wait_for_windows (Fixture *fixture,
                  guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;

  while (count_windows (fixture) != n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gauge_test_iterate_for (100);
    }
}

static void
store_statusline (Fixture *fixture,
                  double   five_hour,
                  double   seven_day)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture);

  gauge_test_store_statusline (launcher, five_hour, seven_day);
}

static void
test_no_tray (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (fixture);
  g_autoptr(GSubprocess) again = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **commandline = NULL;
  gboolean autostart = FALSE;
  gint64 first_status;

  fixture->app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CLAUDE_GAUGE_BIN"),
                                              NULL);
  g_assert_no_error (error);
  gauge_test_wait_for_app (fixture->connection);
  wait_for_windows (fixture, 1);

  /* Asked once, to start hidden at login as the user asked. */
  requests = wait_for_calls (fixture, "RequestBackground", 1, 15);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_true (g_variant_lookup (g_ptr_array_index (requests, 0), "autostart", "b", &autostart));
  g_assert_true (autostart);
  g_assert_true (g_variant_lookup (g_ptr_array_index (requests, 0), "commandline", "^a&s",
                                   &commandline));
  g_assert_cmpstr (commandline[1], ==, "--background");

  /* GNOME's "Background Apps" line. */
  statuses = wait_for_calls (fixture, "SetStatus", 1, 15);
  first_status = g_get_monotonic_time ();
  g_assert_cmpstr (status_message (statuses, 0), ==, "5h 48 % · wk 63 %");

  /* The window closes; the app stays. */
  activate_action (fixture, "toggle-window");
  wait_for_windows (fixture, 0);
  gauge_test_iterate_for (2000);
  g_assert_true (gauge_test_app_is_on_bus (fixture->connection));

  /* A new reading within the minute: the line waits for the minute's end. */
  store_statusline (fixture, 91, 64);
  activate_action (fixture, "refresh");
  gauge_test_iterate_for (2000);
  g_clear_pointer (&statuses, g_ptr_array_unref);
  statuses = portal_calls (fixture, "SetStatus");
  g_assert_cmpuint (statuses->len, ==, 1);
  g_clear_pointer (&statuses, g_ptr_array_unref);
  statuses = wait_for_calls (fixture, "SetStatus", 2, 70);
  g_assert_cmpint (g_get_monotonic_time () - first_status, >=, 59 * G_TIME_SPAN_SECOND);
  g_assert_cmpstr (status_message (statuses, 1), ==, "5h 91 % · wk 64 %");

  /* Started again, it shows its window. */
  again = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CLAUDE_GAUGE_BIN"), NULL);
  g_assert_no_error (error);
  g_subprocess_wait (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (again));
  wait_for_windows (fixture, 1);

  g_clear_pointer (&requests, g_ptr_array_unref);
  requests = portal_calls (fixture, "RequestBackground");
  g_assert_cmpuint (requests->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gauge_test_process_init ();

  g_test_add ("/background/no-tray", Fixture, NULL, fixture_set_up, test_no_tray,
              fixture_tear_down);

  return g_test_run ();
}
