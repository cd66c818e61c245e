/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-test-process"

#include "config.h"

#include <signal.h>

#include "gauge-test-process.h"

/* GTestDBus unsets DISPLAY (against X11 autolaunch); the app needs it. */
static char *display;

/* Call once after g_test_init(), before any GTestDBus comes up. */
void
gauge_test_process_init (void)
{
  display = g_strdup (g_getenv ("DISPLAY"));
}

/**
 * gauge_test_launcher_new:
 * @api_base: (nullable): the loopback usage API
 *
 * Returns: (transfer full): a launcher for claude-gauge in the test's own home and folders
 *   (which G_TEST_OPTION_ISOLATE_DIRS gives GLib, not the environment), on the session bus
 *   of the moment and the display of the suite
 */
GSubprocessLauncher *
gauge_test_launcher_new (const char       *api_base,
                         GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  if (api_base != NULL)
    g_subprocess_launcher_setenv (launcher, "CLAUDE_GAUGE_API_BASE", api_base, TRUE);
  if (display != NULL)
    g_subprocess_launcher_setenv (launcher, "DISPLAY", display, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "CLAUDE_CONFIG_DIR");

  return launcher;
}

gboolean
gauge_test_app_is_on_bus (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "NameHasOwner", g_variant_new ("(s)", APPLICATION_ID),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL,
                                       NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);

  return owned;
}

/* Until the app owns its name (20 s at most). */
void
gauge_test_wait_for_app (GDBusConnection *connection)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (!gauge_test_app_is_on_bus (connection))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gauge_test_iterate_for (50);
    }
}

void
gauge_test_iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2 * G_TIME_SPAN_MILLISECOND);
}

typedef struct
{
  gboolean  done;
  char     *line;
} LineData;

static void
line_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LineData *data = user_data;

  data->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  data->done = TRUE;
}

/**
 * gauge_test_read_line:
 *
 * Returns: (transfer full) (nullable): the next line, or %NULL at the end of the stream or
 *   when none came within @timeout_ms (the read is then cancelled)
 */
char *
gauge_test_read_line (GDataInputStream *stream,
                      guint             timeout_ms)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  LineData data = { FALSE, NULL };

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable, line_cb, &data);
  while (!data.done)
    {
      if (g_get_monotonic_time () >= deadline)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (NULL, FALSE);
      if (!data.done)
        g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }

  return data.line;
}

/**
 * gauge_test_store_statusline:
 * @launcher: from gauge_test_launcher_new(); its flags are changed
 *
 * What Claude Code's statusline passes, resetting in an hour and in three days, stored by
 * `claude-gauge --statusline` as a reading.
 */
void
gauge_test_store_statusline (GSubprocessLauncher *launcher,
                             double               five_hour,
                             double               seven_day)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *input = NULL;
  char five[G_ASCII_DTOSTR_BUF_SIZE], seven[G_ASCII_DTOSTR_BUF_SIZE];

  input = g_strdup_printf ("{\"rate_limits\":{\"five_hour\":{\"used_percentage\":%s,"
                           "\"resets_at\":%" G_GINT64_FORMAT "},\"seven_day\":"
                           "{\"used_percentage\":%s,\"resets_at\":%" G_GINT64_FORMAT "}}}",
                           g_ascii_dtostr (five, sizeof five, five_hour), now + 3600,
                           g_ascii_dtostr (seven, sizeof seven, seven_day), now + 3 * 86400);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                             G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("CLAUDE_GAUGE_BIN"),
                                         "--statusline", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

/* Ends a claude-gauge the test started, as a session's end would (SIGTERM), and waits. */
void
gauge_test_stop_process (GSubprocess **process)
{
  if (*process == NULL)
    return;

  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

GSubprocess *
gauge_test_start_notification_server (GTestDBus       *bus,
                                      GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  /* Debian's python3 has python3-dbusmock; a python3 earlier in PATH may not. */
  const char *python = g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE)
                       ? "/usr/bin/python3" : "python3";
  GSubprocess *server;
  gboolean owned = FALSE;

  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                g_test_dbus_get_bus_address (bus), TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error, python, "-m", "dbusmock", "--session",
                                        "-t", "notification_daemon", NULL);
  g_assert_no_error (error);

  while (!owned)
    {
      g_autoptr(GVariant) reply =
        g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                     "org.freedesktop.DBus", "NameHasOwner",
                                     g_variant_new ("(s)", "org.freedesktop.Notifications"),
                                     G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000, NULL,
                                     NULL);

      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!owned)
        g_usleep (50 * 1000);
    }

  return server;
}
