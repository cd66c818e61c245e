/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-dbus-api"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "gauge-dbus-api.h"
#include "gauge-test-process.h"
#include "gauge-test-server.h"
#include "gauge-usage-dbus.h"

/*
 * The usage API as a panel sees it: the real claude-gauge, started in the background on a
 * private bus (GTestDBus) against the loopback usage API, read with a generated proxy. A
 * reading Claude Code's statusline stored meanwhile reaches the bus on Refresh, without a
 * request the rate gate would refuse.
 */

typedef struct
{
  GTestDBus        *bus;
  GaugeTestServer  *server;
  GDBusConnection  *connection;
  GSubprocessLauncher *launcher;   /* the test's home and bus, the loopback API */
  GSubprocess      *app;
  GaugeBusUsage    *proxy;
  GPtrArray        *changes;   /* one GStrv of property names per PropertiesChanged */
  guint             signal_id;
} Fixture;

static void
changed_cb (GDBusConnection *connection,
            const char      *sender_name,
            const char      *object_path,
            const char      *interface_name,
            const char      *signal_name,
            GVariant        *parameters,
            gpointer         user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GVariant) changed = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *interface;
  const char *name;
  GVariantIter iter;

  g_variant_get (parameters, "(&s@a{sv}^a&s)", &interface, &changed, NULL);
  if (!g_str_equal (interface, GAUGE_DBUS_API_INTERFACE))
    return;

  g_variant_iter_init (&iter, changed);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    g_strv_builder_add (names, name);
  g_ptr_array_add (fixture->changes, g_strv_builder_end (names));
}

static gboolean
has_reading (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GVariant) limits = NULL;

  if (g_strcmp0 (gauge_bus_usage_get_state (fixture->proxy), "ok") != 0)
    return FALSE;
  limits = gauge_bus_usage_dup_limits (fixture->proxy);

  return limits != NULL && g_variant_n_children (limits) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  GSubprocessLauncher *launcher;
  g_autofree char *usage = gauge_test_usage_json (48, 63);
  g_autofree char *claude_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *credentials = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("CLAUDE_GAUGE_BIN");

  g_assert_nonnull (bin);
  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  fixture->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  fixture->server = gauge_test_server_new ();
  gauge_test_server_set_usage (fixture->server, 200, usage, NULL);
  credentials = gauge_test_write_credentials (claude_dir, "sk-ant-oat01-dbus-api",
                                              (g_get_real_time () / 1000) + 24 * 3600 * 1000,
                                              "default_claude_max_5x");

  fixture->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  fixture->signal_id =
    g_dbus_connection_signal_subscribe (fixture->connection, NULL,
                                        "org.freedesktop.DBus.Properties", "PropertiesChanged",
                                        GAUGE_DBUS_API_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        changed_cb, fixture, NULL);

  launcher = fixture->launcher =
    gauge_test_launcher_new (gauge_test_server_get_base_url (fixture->server),
                             G_SUBPROCESS_FLAGS_NONE);

  /* Two accounts: ~/.claude and ~/.claude-work, each in CLAUDE_CONFIG_DIR. */
  if (user_data != NULL)
    {
      g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
      g_autofree char *work = gauge_test_write_credentials (work_dir, "sk-ant-oat01-dbus-work",
                                                            (g_get_real_time () / 1000) +
                                                            24 * 3600 * 1000,
                                                            "default_claude_max_20x");
      g_autofree char *config_dir = g_strdup_printf ("%s,%s", work_dir, claude_dir);
      g_autofree char *work_usage = gauge_test_usage_json (90, 20);

      gauge_test_server_set_usage_for_token (fixture->server, "sk-ant-oat01-dbus-work", 200,
                                             work_usage, NULL);
      g_subprocess_launcher_setenv (launcher, "CLAUDE_CONFIG_DIR", config_dir, TRUE);
    }

  fixture->app = g_subprocess_launcher_spawn (launcher, &error, bin, "--background", NULL);
  g_assert_no_error (error);

  gauge_test_wait_for_app (fixture->connection);
  fixture->proxy = gauge_bus_usage_proxy_new_sync (fixture->connection, G_DBUS_PROXY_FLAGS_NONE,
                                                   APPLICATION_ID, GAUGE_DBUS_API_PATH, NULL,
                                                   &error);
  g_assert_no_error (error);
  gauge_test_wait_until (has_reading, fixture, 20000);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_dbus_connection_signal_unsubscribe (fixture->connection, fixture->signal_id);
  g_clear_object (&fixture->proxy);
  gauge_test_stop_process (&fixture->app);
  g_clear_object (&fixture->launcher);
  g_clear_pointer (&fixture->changes, g_ptr_array_unref);
  g_clear_object (&fixture->connection);
  gauge_test_server_free (fixture->server);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

static GVariant *
lookup_limit (GVariant   *limits,
              const char *id)
{
  for (gsize i = 0; i < g_variant_n_children (limits); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (limits, i);
      const char *entry_id = NULL;

      if (g_variant_lookup (entry, "id", "&s", &entry_id) && g_str_equal (entry_id, id))
        return g_steal_pointer (&entry);
    }

  return NULL;
}

/* What a panel reads: the plan, the state, the reading's time and source, the tray's
 * percent, the summary and every limit. */
static void
test_properties (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GVariant) limits = gauge_bus_usage_dup_limits (fixture->proxy);
  g_autoptr(GVariant) five = NULL;
  g_autoptr(GVariant) week = NULL;
  const char *name = NULL, *severity = NULL;
  double percent = 0;
  gint64 resets_at = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_cmpstr (gauge_bus_usage_get_state (fixture->proxy), ==, "ok");
  g_assert_cmpstr (gauge_bus_usage_get_state_message (fixture->proxy), ==, "");
  g_assert_cmpstr (gauge_bus_usage_get_plan (fixture->proxy), ==, "Max 5x");
  g_assert_cmpstr (gauge_bus_usage_get_source (fixture->proxy), ==, "official");
  g_assert_cmpint (gauge_bus_usage_get_updated_at (fixture->proxy), >=, now - 30);
  g_assert_cmpint (gauge_bus_usage_get_updated_at (fixture->proxy), <=, now + 1);
  g_assert_false (gauge_bus_usage_get_stale (fixture->proxy));
  /* The tray's default metric: the most constrained limit. */
  g_assert_cmpfloat (gauge_bus_usage_get_percent (fixture->proxy), ==, 63);
  g_assert_cmpstr (gauge_bus_usage_get_severity (fixture->proxy), ==, "normal");
  g_assert_cmpstr (gauge_bus_usage_get_summary (fixture->proxy), ==, "5h 48 % · wk 63 %");

  g_assert_cmpuint (g_variant_n_children (limits), ==, 2);
  five = lookup_limit (limits, "five_hour");
  week = lookup_limit (limits, "seven_day");
  g_assert_nonnull (five);
  g_assert_nonnull (week);
  g_assert_true (g_variant_lookup (five, "name", "&s", &name));
  g_assert_cmpstr (name, ==, "5-hour");
  g_assert_true (g_variant_lookup (five, "percent", "d", &percent));
  g_assert_cmpfloat (percent, ==, 48);
  g_assert_true (g_variant_lookup (five, "severity", "&s", &severity));
  g_assert_cmpstr (severity, ==, "normal");
  /* gauge_test_usage_json(): 131 minutes from now. */
  g_assert_true (g_variant_lookup (five, "resets_at", "x", &resets_at));
  g_assert_cmpint (ABS (resets_at - (now + 131 * 60)), <, 120);
  g_assert_false (g_variant_lookup (five, "used", "d", &percent));
  g_assert_true (g_variant_lookup (week, "percent", "d", &percent));
  g_assert_cmpfloat (percent, ==, 63);
}

static gboolean
has_named_accounts (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GVariant) accounts = gauge_bus_usage_dup_accounts (fixture->proxy);

  if (accounts == NULL || g_variant_n_children (accounts) != 2)
    return FALSE;

  /* Both profiles heard of: each account is named by its e-mail. */
  for (gsize i = 0; i < 2; i++)
    {
      g_autoptr(GVariant) account = g_variant_get_child_value (accounts, i);
      const char *name = NULL;

      if (!g_variant_lookup (account, "name", "&s", &name) || strchr (name, '@') == NULL)
        return FALSE;
    }

  return TRUE;
}

/* Several accounts: the top-level properties stay the first account's, Account names it and
 * Accounts lists each with its own limits. */
static void
test_accounts (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GVariant) accounts = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) work = NULL;
  g_autoptr(GVariant) limits = NULL;
  g_autoptr(GVariant) week = NULL;
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  const char *text = NULL;
  double percent = 0;

  gauge_test_wait_until (has_named_accounts, fixture, 20000);
  g_assert_cmpstr (gauge_bus_usage_get_plan (fixture->proxy), ==, "Max 5x");
  g_assert_cmpfloat (gauge_bus_usage_get_percent (fixture->proxy), ==, 63);
  g_assert_cmpstr (gauge_bus_usage_get_account (fixture->proxy), ==, "ana@example.com · Max 5x");

  accounts = gauge_bus_usage_dup_accounts (fixture->proxy);
  first = g_variant_get_child_value (accounts, 0);
  g_assert_true (g_variant_lookup (first, "name", "&s", &text));
  g_assert_cmpstr (text, ==, "ana@example.com · Max 5x");
  work = g_variant_get_child_value (accounts, 1);
  g_assert_true (g_variant_lookup (work, "name", "&s", &text));
  g_assert_cmpstr (text, ==, "ana@example.com · Max 20x");
  g_assert_true (g_variant_lookup (work, "folder", "&s", &text));
  g_assert_cmpstr (text, ==, work_dir);
  g_assert_true (g_variant_lookup (work, "state", "&s", &text));
  g_assert_cmpstr (text, ==, "ok");
  g_assert_true (g_variant_lookup (work, "severity", "&s", &text));
  g_assert_cmpstr (text, ==, "warning");
  g_assert_true (g_variant_lookup (work, "percent", "d", &percent));
  g_assert_cmpfloat (percent, ==, 90);
  limits = g_variant_lookup_value (work, "limits", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (limits);
  week = lookup_limit (limits, "seven_day");
  g_assert_true (g_variant_lookup (week, "percent", "d", &percent));
  g_assert_cmpfloat (percent, ==, 20);
}

/* Refresh keeps to the rate gate: a minute has not passed, so nothing is asked of Anthropic,
 * and nothing changed, so no PropertiesChanged. A reading Claude Code's statusline stored
 * meanwhile is picked up, and only what it changed is signalled. */
static void
test_refresh_and_changes (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  guint requests = gauge_test_server_get_usage_requests (fixture->server);
  gboolean saw_summary = FALSE;

  g_assert_cmpuint (requests, ==, 1);
  gauge_test_iterate_for (500);
  g_ptr_array_set_size (fixture->changes, 0);

  gauge_bus_usage_call_refresh_sync (fixture->proxy, NULL, &error);
  g_assert_no_error (error);
  gauge_test_iterate_for (1500);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, requests);
  g_assert_cmpuint (fixture->changes->len, ==, 0);

  gauge_test_store_statusline (fixture->launcher, 91, 64);

  gauge_bus_usage_call_refresh_sync (fixture->proxy, NULL, &error);
  g_assert_no_error (error);
  for (gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
       g_strcmp0 (gauge_bus_usage_get_summary (fixture->proxy), "5h 91 % · wk 64 %") != 0 &&
       g_get_monotonic_time () < end;)
    gauge_test_iterate_for (50);

  g_assert_cmpstr (gauge_bus_usage_get_summary (fixture->proxy), ==, "5h 91 % · wk 64 %");
  g_assert_cmpstr (gauge_bus_usage_get_source (fixture->proxy), ==, "statusline");
  g_assert_cmpfloat (gauge_bus_usage_get_percent (fixture->proxy), ==, 91);
  g_assert_cmpstr (gauge_bus_usage_get_severity (fixture->proxy), ==, "warning");
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, requests);

  g_assert_cmpuint (fixture->changes->len, >=, 1);
  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const char * const *names = g_ptr_array_index (fixture->changes, i);

      saw_summary |= g_strv_contains (names, "Summary");
      g_assert_false (g_strv_contains (names, "Plan"));
      g_assert_false (g_strv_contains (names, "State"));
    }
  g_assert_true (saw_summary);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gauge_test_process_init ();

  g_test_add ("/dbus-api/accounts", Fixture, "accounts", fixture_set_up, test_accounts,
              fixture_tear_down);
  g_test_add ("/dbus-api/properties", Fixture, NULL, fixture_set_up, test_properties,
              fixture_tear_down);
  g_test_add ("/dbus-api/refresh-and-changes", Fixture, NULL, fixture_set_up,
              test_refresh_and_changes, fixture_tear_down);

  return g_test_run ();
}
