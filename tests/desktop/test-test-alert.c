/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "gauge-test-alert.h"

/*
 * --test-alert on a bus without a notification server (GTestDBus has no
 * service directory, so nothing can be activated), then with
 * python3-dbusmock's notification_daemon on it.
 */

static GTestDBus *bus;

static void
test_no_server (void)
{
  if (g_test_subprocess ())
    {
      exit (gauge_test_alert_run ());
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*No notification server answered*");
  g_test_trap_assert_stdout_unmatched ("*sent*");
}

/* No session bus at all (SSH, cron, a service): the real binary says so in words, with what
 * to do, and none of GLib's text. */
static void
test_no_bus (void)
{
  const char *bin = g_getenv ("CLAUDE_GAUGE_BIN");
  g_autofree char *socket = g_build_filename (g_get_tmp_dir (), "no-such-bus-socket", NULL);
  g_autofree char *address = g_strconcat ("unix:path=", socket, NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (bin == NULL)
    {
      g_test_skip ("CLAUDE_GAUGE_BIN is not set (run under meson test)");
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawn (launcher, &error, bin, "--test-alert", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", out, err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "found no desktop session to show notifications in"));
  g_assert_nonnull (strstr (err, "Run it from a terminal inside your desktop session"));
  g_assert_null (strstr (err, "Could not connect"));
  g_assert_null (strstr (err, "No such file"));
  g_assert_null (strstr (err, "GLib"));
  g_assert_null (strstr (err, socket));
}

static gboolean
name_owned (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                 "org.freedesktop.DBus", "NameHasOwner",
                                 g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                 G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  gboolean owned = FALSE;

  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
test_with_server (void)
{
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GError) error = NULL;
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                       ? "/usr/bin/python3" : "python3";
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  const char *bin = g_getenv ("CLAUDE_GAUGE_BIN");

  if (g_test_subprocess ())
    {
      exit (gauge_test_alert_run ());
    }

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, python, "-m", "dbusmock", "--session",
                           "-t", "notification_daemon", NULL);
  g_assert_no_error (error);
  while (!name_owned (connection))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*sample notification was sent*");

  /* The binary itself, once the option is wired into the application. */
  if (bin != NULL)
    {
      g_autofree char *help = NULL;
      const char *help_argv[] = { bin, "--help", NULL };

      g_spawn_sync (NULL, (char **) help_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &help, NULL,
                    NULL, NULL);
      if (help != NULL && strstr (help, "--test-alert") != NULL)
        {
          const char *argv[] = { bin, "--test-alert", NULL };
          int status = -1;

          g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                        &status, &error);
          g_assert_no_error (error);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
        }
      else
        g_test_message ("claude-gauge has no --test-alert yet: tested gauge_test_alert_run() only");
    }

  calls = g_dbus_connection_call_sync (connection, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.DBus.Mock", "GetCalls", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GVariant) list = g_variant_get_child_value (calls, 0);
    guint notifies = 0;

    for (gsize i = 0; i < g_variant_n_children (list); i++)
      {
        g_autoptr(GVariant) call = g_variant_get_child_value (list, i);
        const char *method;

        g_variant_get_child (call, 1, "&s", &method);
        if (g_str_equal (method, "Notify"))
          notifies++;
      }
    g_assert_cmpuint (notifies, >=, 1);
  }

  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The subprocesses inherit the bus through DBUS_SESSION_BUS_ADDRESS. */
  if (!g_test_subprocess ())
    {
      bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (bus);
    }

  g_test_add_func ("/alerts/test-alert/no-server", test_no_server);
  g_test_add_func ("/alerts/test-alert/with-server", test_with_server);
  g_test_add_func ("/alerts/test-alert/no-bus", test_no_bus);

  ret = g_test_run ();

  if (bus != NULL)
    {
      g_test_dbus_down (bus);
      g_clear_object (&bus);
    }

  return ret;
}
