/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-console-keyring"

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "gauge-admin-key.h"

/* The key stored in and read back from a real Secret Service: gnome-keyring-daemon on the
 * private session bus (dbus-run-session), unlocked with a throwaway password. */

#define KEY "sk-ant-admin01-keyringkeyringkeyring-z9y8"

typedef struct
{
  GMainLoop           *loop;
  char                *key;
  GaugeAdminKeySource  source;
  gboolean             ok;
  GError              *error;
} Result;

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->key = gauge_admin_key_lookup_finish (result, &r->source, &r->error);
  g_main_loop_quit (r->loop);
}

static void
store_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = gauge_admin_key_store_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static void
clear_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->ok = gauge_admin_key_clear_finish (result, &r->error);
  g_main_loop_quit (r->loop);
}

static char *
lookup (GaugeAdminKeySource *source)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Result r = { loop, NULL, GAUGE_ADMIN_KEY_NONE, FALSE, NULL };

  gauge_admin_key_lookup_async (NULL, lookup_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  *source = r.source;
  return r.key;
}

static gboolean
service_is_up (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

static void
test_keyring (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *runtime = g_dir_make_tmp ("keyring-XXXXXX", NULL);
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock",
                         "--components=secrets", NULL };
  g_autoptr(GSettings) settings = g_settings_new ("io.github.claudegauge.ClaudeGauge");
  Result r = { loop, NULL, GAUGE_ADMIN_KEY_NONE, FALSE, NULL };
  GaugeAdminKeySource source;
  char *key;
  GPid pid;
  int in_fd;

  g_auto(GStrv) env = g_get_environ ();

  /* ISOLATE_DIRS moved GLib's idea of the home, not the environment a child inherits. */
  env = g_environ_setenv (env, "HOME", g_get_home_dir (), TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_unsetenv ("ANTHROPIC_ADMIN_KEY");
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                           NULL, NULL, &pid, &in_fd, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (write (in_fd, "throwaway", 9), ==, 9);
  close (in_fd);

  for (guint i = 0; i < 100 && !service_is_up (bus); i++)
    g_usleep (50000);
  g_assert_true (service_is_up (bus));

  /* Nothing stored yet, which is remembered. */
  g_assert_true (g_settings_get_boolean (settings, "console-key-in-keyring"));
  key = lookup (&source);
  g_assert_null (key);
  g_assert_cmpint (source, ==, GAUGE_ADMIN_KEY_NONE);
  g_assert_false (g_settings_get_boolean (settings, "console-key-in-keyring"));

  gauge_admin_key_store_async (KEY, NULL, store_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  g_assert_true (g_settings_get_boolean (settings, "console-key-in-keyring"));
  key = lookup (&source);
  g_assert_cmpstr (key, ==, KEY);
  g_assert_cmpint (source, ==, GAUGE_ADMIN_KEY_KEYRING);
  gauge_admin_key_free (key);

  /* The environment wins over the keyring. */
  g_setenv ("ANTHROPIC_ADMIN_KEY", "sk-ant-admin01-fromenvironment-0000", TRUE);
  key = lookup (&source);
  g_assert_cmpstr (key, ==, "sk-ant-admin01-fromenvironment-0000");
  g_assert_cmpint (source, ==, GAUGE_ADMIN_KEY_ENVIRONMENT);
  gauge_admin_key_free (key);
  g_unsetenv ("ANTHROPIC_ADMIN_KEY");

  /* Not a key: refused before it reaches the keyring. */
  gauge_admin_key_store_async ("not a key", NULL, store_cb, &r);
  g_main_loop_run (loop);
  g_assert_false (r.ok);
  g_assert_null (strstr (r.error->message, "not a key"));
  g_clear_error (&r.error);

  /* Remove, twice: the second has nothing left to do and is no error. */
  for (guint i = 0; i < 2; i++)
    {
      gauge_admin_key_clear_async (NULL, clear_cb, &r);
      g_main_loop_run (loop);
      g_assert_no_error (r.error);
      g_assert_true (r.ok);
    }
  key = lookup (&source);
  g_assert_null (key);

  /* With no key stored, a start does not wake the keyring: the service, stopped, stays
   * stopped (the bus would start it on the first call). */
  kill (pid, SIGTERM);
  g_spawn_close_pid (pid);
  for (guint i = 0; i < 100 && service_is_up (bus); i++)
    g_usleep (50000);
  g_assert_false (service_is_up (bus));
  key = lookup (&source);
  g_assert_null (key);
  g_usleep (500000);
  g_assert_false (service_is_up (bus));
}

int
main (int argc, char *argv[])
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (daemon == NULL)
    {
      g_printerr ("gnome-keyring-daemon is not installed (apt-get install gnome-keyring)\n");
      return 77;
    }
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("No session bus: run under dbus-run-session\n");
      return 77;
    }

  g_test_add_func ("/console/keyring", test_keyring);

  return g_test_run ();
}
