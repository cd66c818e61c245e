/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <libnotify/notify.h>

#include "gauge-test-admin-server.h"
#include "gauge-console-monitor.h"
#include "gauge-clock.h"
#include "gauge-notifier.h"
#include "gauge-test-process.h"
#include "gauge-test-server.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"

/*
 * A real notification server (python3-dbusmock's notification_daemon) on a
 * private bus; a real monitor, store and notifier reading scripted answers
 * from the loopback API. The test asserts on the Notify calls the server got.
 */

#define TOKEN "sk-ant-oat01-notifier-test-token"

static GTestDBus *bus;
static GSubprocess *mock;
static GDBusConnection *connection;

typedef struct
{
  GaugeTestServer *server;
  char            *config_dir;
  char            *credentials_path;
  char            *db_path;
  GSettings       *settings;
  GApplication    *app;
  GDateTime       *base;
  guint            activations;
} Fixture;

static GVariant *
mock_call (const char *method,
           GVariant   *args)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_connection_call_sync (connection, "org.freedesktop.Notifications",
                                                 "/org/freedesktop/Notifications",
                                                 "org.freedesktop.DBus.Mock", method, args, NULL,
                                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* "summary|body|urgency" of every Notify call so far. */
static GPtrArray *
notify_calls (void)
{
  g_autoptr(GVariant) reply = mock_call ("GetCalls", NULL);
  g_autoptr(GVariant) calls = g_variant_get_child_value (reply, 0);
  GPtrArray *ret = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < g_variant_n_children (calls); i++)
    {
      g_autoptr(GVariant) call = g_variant_get_child_value (calls, i);
      g_autoptr(GVariant) args = NULL;
      const char *method, *app_name, *icon, *summary, *body;
      g_autoptr(GVariant) actions = NULL;
      g_autoptr(GVariant) hints = NULL;
      guint32 replaces;
      gint32 timeout;
      guchar urgency = 255;
      const char *category = NULL, *entry = NULL;
      guint64 stamp;

      g_variant_get (call, "(t&s@av)", &stamp, &method, &args);
      if (!g_str_equal (method, "Notify"))
        continue;

      g_assert_cmpuint (g_variant_n_children (args), ==, 8);
      {
        g_autoptr(GVariant) v0 = g_variant_get_child_value (args, 0);
        g_autoptr(GVariant) v1 = g_variant_get_child_value (args, 1);
        g_autoptr(GVariant) v2 = g_variant_get_child_value (args, 2);
        g_autoptr(GVariant) v3 = g_variant_get_child_value (args, 3);
        g_autoptr(GVariant) v4 = g_variant_get_child_value (args, 4);
        g_autoptr(GVariant) v5 = g_variant_get_child_value (args, 5);
        g_autoptr(GVariant) v6 = g_variant_get_child_value (args, 6);
        g_autoptr(GVariant) v7 = g_variant_get_child_value (args, 7);
        g_autoptr(GVariant) u0 = g_variant_get_variant (v0);
        g_autoptr(GVariant) u1 = g_variant_get_variant (v1);
        g_autoptr(GVariant) u2 = g_variant_get_variant (v2);
        g_autoptr(GVariant) u3 = g_variant_get_variant (v3);
        g_autoptr(GVariant) u4 = g_variant_get_variant (v4);
        g_autoptr(GVariant) u7 = g_variant_get_variant (v7);

        app_name = g_variant_get_string (u0, NULL);
        replaces = g_variant_get_uint32 (u1);
        icon = g_variant_get_string (u2, NULL);
        summary = g_variant_get_string (u3, NULL);
        body = g_variant_get_string (u4, NULL);
        actions = g_variant_get_variant (v5);
        hints = g_variant_get_variant (v6);
        timeout = g_variant_get_int32 (u7);

        g_assert_cmpstr (app_name, ==, "Claude Gauge");
        g_assert_cmpuint (replaces, ==, 0);
        g_assert_cmpstr (icon, ==, APPLICATION_ID);
        g_assert_cmpint (timeout, ==, -1);
        g_variant_lookup (hints, "urgency", "y", &urgency);
        g_variant_lookup (hints, "category", "&s", &category);
        g_variant_lookup (hints, "desktop-entry", "&s", &entry);
        g_assert_cmpstr (entry, ==, APPLICATION_ID);
        g_assert_true (g_str_has_prefix (category, "x-claude-gauge."));
        if (!g_str_has_suffix (summary, "(test)"))
          {
            const char **strv = g_variant_get_strv (actions, NULL);

            g_assert_cmpstr (strv[0], ==, "default");
            g_free (strv);
          }

        g_ptr_array_add (ret, g_strdup_printf ("%s|%s|%u", summary, body, urgency));
      }
    }

  return ret;
}

static void
start_mock (void)
{
  mock = gauge_test_start_notification_server (bus, connection);
}

static void
activate_cb (GApplication *app,
             gpointer      data)
{
  ((Fixture *) data)->activations++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) real_now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) noon = NULL;
  g_autofree char *path = NULL;

  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);
  fixture->config_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  fixture->credentials_path = g_build_filename (fixture->config_dir, ".credentials.json", NULL);
  fixture->db_path = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);
  /* 12:00 UTC tomorrow: whole minutes make the bodies predictable. */
  noon = g_date_time_new_utc (g_date_time_get_year (real_now), g_date_time_get_month (real_now),
                              g_date_time_get_day_of_month (real_now), 12, 0, 0);
  fixture->base = g_date_time_add_days (noon, 1);
  gauge_clock_set_fake (fixture->base);

  path = gauge_test_write_credentials (fixture->config_dir, TOKEN,
                                       (g_date_time_to_unix (fixture->base) + 7 * 86400) * 1000,
                                       "default_claude_max_5x");
  g_assert_cmpstr (path, ==, fixture->credentials_path);

  fixture->settings = g_settings_new (APPLICATION_ID);
  fixture->app = g_application_new (APPLICATION_ID ".TestAlerts", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (fixture->app, "activate", G_CALLBACK (activate_cb), fixture);
  g_application_register (fixture->app, NULL, &error);
  g_assert_no_error (error);

  g_variant_unref (mock_call ("ClearCalls", NULL));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gauge_clock_set_fake (NULL);
  g_clear_object (&fixture->app);
  g_clear_object (&fixture->settings);
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_clear_pointer (&fixture->base, g_date_time_unref);
  g_free (fixture->config_dir);
  g_free (fixture->credentials_path);
  g_free (fixture->db_path);
}

static GDateTime *
at (Fixture *fixture,
    int      minutes)
{
  return g_date_time_add_minutes (fixture->base, minutes);
}

/* The API's answer at base + @minutes, with the 5-hour window resetting at
 * base + @five_resets minutes (and wobbling by a fraction of a second); to @token only,
 * when not %NULL. */
static void
serve_token (Fixture    *fixture,
             const char *token,
             double      five_hour,
             int         five_resets,
             double      seven_day)
{
  g_autoptr(GDateTime) five = at (fixture, five_resets);
  g_autoptr(GDateTime) five_wobble = g_date_time_add_seconds (five, -0.4);
  g_autoptr(GDateTime) seven = at (fixture, 3 * 24 * 60);
  g_autofree char *five_iso = g_date_time_format_iso8601 (five_wobble);
  g_autofree char *seven_iso = g_date_time_format_iso8601 (seven);
  g_autofree char *body = NULL;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  body = g_strdup_printf ("{\"five_hour\":{\"utilization\":%s,\"resets_at\":\"%s\"},"
                          "\"seven_day\":{\"utilization\":%s,\"resets_at\":\"%s\"}}",
                          g_ascii_dtostr (a, sizeof a, five_hour), five_iso,
                          g_ascii_dtostr (b, sizeof b, seven_day), seven_iso);
  if (token != NULL)
    gauge_test_server_set_usage_for_token (fixture->server, token, 200, body, NULL);
  else
    gauge_test_server_set_usage (fixture->server, 200, body, NULL);
}

static void
serve (Fixture *fixture,
       double   five_hour,
       int      five_resets,
       double   seven_day)
{
  serve_token (fixture, NULL, five_hour, five_resets, seven_day);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error);
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static gboolean
notifier_idle (gpointer data)
{
  return !gauge_notifier_get_busy (data);
}

/* Moves the clock to base + @minutes, lets the monitor poll, waits for the notifier. */
static void
step (Fixture       *fixture,
      GaugeLimitsMonitor  *monitor,
      GaugeNotifier *notifier,
      int            minutes)
{
  g_autoptr(GDateTime) now = at (fixture, minutes);
  guint done = 0;

  gauge_clock_set_fake (now);
  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &done);
  gauge_test_wait_for_count (&done, 1, 20000);
  gauge_test_wait_until (notifier_idle, notifier, 20000);
}

static void
start (Fixture        *fixture,
       GaugeLimitsMonitor  **monitor,
       GaugeNotifier **notifier)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();

  *monitor = gauge_limits_monitor_new (store, client, fixture->credentials_path);
  *notifier = gauge_notifier_new (fixture->app, *monitor, store, fixture->settings);
  gauge_test_wait_until (notifier_idle, *notifier, 20000);
}

static void
assert_calls (const char * const *expected)
{
  g_autoptr(GPtrArray) calls = notify_calls ();
  guint n = g_strv_length ((GStrv) expected);

  for (guint i = 0; i < calls->len; i++)
    g_test_message ("Notify %u: %s", i, (char *) g_ptr_array_index (calls, i));

  g_assert_cmpuint (calls->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (calls, i), ==, expected[i]);
}

static void
test_scripted_readings (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;
  g_autoptr(GDateTime) weekly = at (fixture, 3 * 24 * 60);
  g_autofree char *weekly_clock = g_date_time_format (weekly, "%a %H:%M");
  g_autofree char *weekly_call =
    g_strdup_printf ("Weekly limit at 96 %%|Resets in 3 days (%s).|2", weekly_clock);
  const char *expected[6] = { weekly_call, NULL };

  /* 12:00: 5-hour 20 %; weekly 96 %, past 80 and 95 at once: only 95, critical. */
  serve (fixture, 20, 180, 96);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 0);
  assert_calls (expected);

  /* 12:30 50 %: 30 % in 30 min, out at 13:20. */
  serve (fixture, 50, 180, 96);
  step (fixture, monitor, notifier, 30);
  expected[1] = "5-hour limit running out|At this pace your 5-hour limit runs out at 13:20, "
                "1 h 40 min before it resets.|1";
  assert_calls (expected);

  /* 12:40 85 %: the 80 % threshold. 12:50 97 %: the 95 % one, critical.
   * 12:56: about the same reading again: nothing. */
  serve (fixture, 85, 180, 96);
  step (fixture, monitor, notifier, 40);
  serve (fixture, 97, 180, 96);
  step (fixture, monitor, notifier, 50);
  serve (fixture, 97.5, 180, 96);
  step (fixture, monitor, notifier, 56);
  expected[2] = "5-hour limit at 85 %|Resets in 2 h 20 min (15:00).|1";
  expected[3] = "5-hour limit at 97 %|Resets in 2 h 10 min (15:00).|2";
  assert_calls (expected);

  /* A restart on the same database: nothing is repeated. */
  g_clear_object (&notifier);
  g_clear_object (&monitor);
  serve (fixture, 98, 180, 96);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 62);
  assert_calls (expected);

  /* 15:01: the 5-hour window has reset. Told as soon as the time passes (the
   * monitor's first ::changed of the update), once: not again with the new reading. */
  serve (fixture, 3, 480, 96);
  step (fixture, monitor, notifier, 181);
  expected[4] = "Your 5-hour limit is back|It reset at 15:00.|0";
  assert_calls (expected);
  g_assert_false (gauge_notifier_get_server_missing (notifier));

  /* The default action opens the app. */
  {
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) error = NULL;
    guint before = fixture->activations;

    /* The newest notification has id 5 (dbusmock counts from 1). */
    reply = g_dbus_connection_call_sync (connection, "org.freedesktop.Notifications",
                                         "/org/freedesktop/Notifications",
                                         "org.freedesktop.DBus.Mock", "EmitSignal",
                                         g_variant_new_parsed ("('org.freedesktop.Notifications', "
                                                               "'ActionInvoked', 'us', "
                                                               "[<@u 5>, <'default'>])"),
                                         NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
    g_assert_no_error (error);
    while (fixture->activations == before)
      g_main_context_iteration (NULL, TRUE);
  }
}

/* Two accounts (issue 17): each its own monitor and notifier; the alerts say whose they
 * are and are remembered apart, so the same limit on both is told for each, once. */
#define WORK_TOKEN "sk-ant-oat01-notifier-work-token"

/* The work account's sign-in in @work_dir, for a month. Returns its path. */
static char *
write_work_credentials (const char *work_dir)
{
  return gauge_test_write_credentials (work_dir, WORK_TOKEN,
                                       g_get_real_time () / 1000 + 30LL * 86400000,
                                       "default_claude_max_20x");
}

static void
test_accounts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *work_path = write_work_credentials (work_dir);
  g_autoptr(GaugeLimitsMonitor) personal = NULL;
  g_autoptr(GaugeLimitsMonitor) work = NULL;
  g_autoptr(GaugeNotifier) personal_notifier = NULL;
  g_autoptr(GaugeNotifier) work_notifier = NULL;
  g_autoptr(GDateTime) weekly = at (fixture, 3 * 24 * 60);
  g_autofree char *weekly_clock = g_date_time_format (weekly, "%a %H:%M");
  g_autofree char *work_call =
    g_strdup_printf ("Work · Weekly limit at 85 %%|Resets in 3 days (%s).|1", weekly_clock);
  g_autofree char *personal_call =
    g_strdup_printf ("Personal · Weekly limit at 85 %%|Resets in 2 days 23 h (%s).|1",
                     weekly_clock);
  const char *expected[5] = { work_call, NULL };

  /* The thresholds only: a pace is told by its own test. */
  g_settings_set_boolean (fixture->settings, "alert-pace", FALSE);
  serve_token (fixture, TOKEN, 10, 180, 30);
  serve_token (fixture, WORK_TOKEN, 10, 180, 85);
  start (fixture, &personal, &personal_notifier);
  gauge_notifier_set_account (personal_notifier, "Personal", NULL);
  work = gauge_limits_monitor_new (store, client, work_path);
  work_notifier = gauge_notifier_new_for_account (fixture->app, work, store, fixture->settings,
                                                  "Work", work_dir);

  /* Only the work account is at 85 %: one alert, with its name. */
  step (fixture, personal, personal_notifier, 0);
  step (fixture, work, work_notifier, 0);
  assert_calls (expected);

  /* The personal account reaches the same threshold of the same week: told too. */
  serve_token (fixture, TOKEN, 10, 180, 85);
  step (fixture, personal, personal_notifier, 10);
  step (fixture, work, work_notifier, 10);
  expected[1] = personal_call;
  assert_calls (expected);

  /* Neither is told again after a restart. */
  g_clear_object (&work_notifier);
  work_notifier = gauge_notifier_new_for_account (fixture->app, work, store, fixture->settings,
                                                  "Work", work_dir);
  step (fixture, work, work_notifier, 20);
  step (fixture, personal, personal_notifier, 20);
  assert_calls (expected);
}

static void
test_mute (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;

  g_settings_set_int64 (fixture->settings, "mute-until", g_date_time_to_unix (fixture->base) + 3600);
  g_settings_set_boolean (fixture->settings, "alert-pace", FALSE);

  serve (fixture, 90, 180, 10);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 0);
  serve (fixture, 91, 180, 10);
  step (fixture, monitor, notifier, 30);
  assert_calls ((const char * const[]) { NULL });

  /* After the mute: the muted 80 % is not replayed; 95 % is told. */
  serve (fixture, 92, 180, 10);
  step (fixture, monitor, notifier, 65);
  assert_calls ((const char * const[]) { NULL });
  serve (fixture, 96, 180, 10);
  step (fixture, monitor, notifier, 75);
  assert_calls ((const char * const[]) { "5-hour limit at 96 %|Resets in 1 h 45 min (15:00).|2",
                                         NULL });
  g_settings_reset (fixture->settings, "mute-until");
  g_settings_reset (fixture->settings, "alert-pace");
}

/* The Warning and Critical of Preferences are where notifications come: with the thresholds-*
 * keys at their default (empty), a 5-hour limit at 65 % is told once the warning is 60. */
static void
test_preferences_thresholds (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;

  g_settings_set_boolean (fixture->settings, "alert-pace", FALSE);

  serve (fixture, 65, 180, 10);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 0);
  assert_calls ((const char * const[]) { NULL });

  g_settings_set_double (fixture->settings, "warning-threshold", 60);
  g_settings_set_double (fixture->settings, "critical-threshold", 70);
  serve (fixture, 66, 180, 10);
  step (fixture, monitor, notifier, 10);
  serve (fixture, 71, 180, 10);
  step (fixture, monitor, notifier, 20);
  /* Told at the monitor's first ::changed of the update, with the reading it had. */
  assert_calls ((const char * const[]) { "5-hour limit at 65 %|Resets in 2 h 50 min (15:00).|1",
                                         "5-hour limit at 71 %|Resets in 2 h 40 min (15:00).|2",
                                         NULL });

  g_settings_reset (fixture->settings, "warning-threshold");
  g_settings_reset (fixture->settings, "critical-threshold");
  g_settings_reset (fixture->settings, "alert-pace");
}

/* What Claude Code 2.1.251+ pipes into `claude-gauge --statusline`, given to the real binary. */
static void
run_statusline (const char *session,
                const char *dir,
                GDateTime  *expires_at)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *out = NULL;
  const char *binary = g_getenv ("CLAUDE_GAUGE_BIN");

  g_assert_nonnull (binary);
  input = g_strdup_printf ("{\"session_id\":\"%s\",\"model\":{\"id\":\"claude-opus-4-8\"},"
                           "\"workspace\":{\"current_dir\":\"%s\",\"project_dir\":\"%s\"},"
                           "\"prompt_cache\":{\"warm\":true,\"ttl\":\"1h\",\"expires_at\":%"
                           G_GINT64_FORMAT ",\"hit_ratio\":0.93,\"cache_write_tokens\":120000,"
                           "\"recache_tokens_if_cold\":590000,\"requests\":41,\"misses\":2}}",
                           session, dir, dir, g_date_time_to_unix (expires_at));
  /* The test's own folders, which GLib keeps out of the environment children inherit. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--statusline", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

/* The prompt-cache warning, from a real --statusline process to the notification server: off
 * by default; with it on (5 minutes), once when the shop's cache is 5 minutes from going cold,
 * never again for that expiry (after a restart too); a new message moves the expiry and
 * earns a new warning. */
static void
test_prompt_cache (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;
  g_autoptr(GDateTime) expires = at (fixture, 12);
  g_autoptr(GDateTime) later = at (fixture, 70);
  g_autofree char *clock = g_date_time_format (expires, "%H:%M");
  g_autofree char *later_clock = g_date_time_format (later, "%H:%M");
  g_autofree char *call =
    g_strdup_printf ("Prompt cache about to go cold|Session shop: the 1-hour cache expires at %s; "
                     "the next message then re-writes ~590k tokens.|1", clock);
  g_autofree char *later_call =
    g_strdup_printf ("Prompt cache about to go cold|Session shop: the 1-hour cache expires at %s; "
                     "the next message then re-writes ~590k tokens.|1", later_clock);

  g_settings_set_boolean (fixture->settings, "alert-pace", FALSE);
  run_statusline ("5b0c9e2a-7d41", "/home/ana/src/shop", expires);

  serve (fixture, 10, 180, 10);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 8);
  assert_calls ((const char * const[]) { NULL });

  /* Turned on 12 minutes before: looked at at once, too early. */
  gauge_clock_set_fake (fixture->base);
  g_settings_set_boolean (fixture->settings, "alert-prompt-cache", TRUE);
  gauge_test_wait_until (notifier_idle, notifier, 20000);
  assert_calls ((const char * const[]) { NULL });
  step (fixture, monitor, notifier, 6);
  assert_calls ((const char * const[]) { NULL });
  step (fixture, monitor, notifier, 7);
  assert_calls ((const char * const[]) { call, NULL });
  step (fixture, monitor, notifier, 9);
  assert_calls ((const char * const[]) { call, NULL });

  /* A restart: the database remembers. */
  g_clear_object (&notifier);
  g_clear_object (&monitor);
  start (fixture, &monitor, &notifier);
  step (fixture, monitor, notifier, 10);
  assert_calls ((const char * const[]) { call, NULL });

  /* The next message keeps the cache warm until later. */
  run_statusline ("5b0c9e2a-7d41", "/home/ana/src/shop", later);
  step (fixture, monitor, notifier, 64);
  assert_calls ((const char * const[]) { call, NULL });
  step (fixture, monitor, notifier, 66);
  assert_calls ((const char * const[]) { call, later_call, NULL });

  g_settings_reset (fixture->settings, "alert-prompt-cache");
  g_settings_reset (fixture->settings, "alert-pace");
}

static void
console_update_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error);
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static void
console_step (GaugeConsoleMonitor *console,
              GaugeNotifier       *notifier)
{
  guint done = 0;

  gauge_monitor_update_once_async (GAUGE_MONITOR (console), NULL, console_update_cb, &done);
  gauge_test_wait_for_count (&done, 1, 20000);
  gauge_test_wait_until (notifier_idle, notifier, 20000);
}

/* Console mode: a workspace's budget crossed, told once through the notification server. */
static void
test_console_budget (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(AdminServer) admin = admin_server_new ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeAdminClient) client = NULL;
  g_autoptr(GaugeConsoleMonitor) console = NULL;
  g_autoptr(GaugeLimitsClient) usage_client = NULL;
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 11, 10, 12, 0, 0);
  g_autoptr(GPtrArray) calls = NULL;
  GVariantBuilder budgets;
  const char *cost =
    "{\"data\":[{\"starting_at\":\"2025-11-10T00:00:00Z\",\"ending_at\":\"2025-11-11T00:00:00Z\","
    "\"results\":[{\"currency\":\"USD\",\"amount\":\"8500\",\"workspace_id\":null,"
    "\"description\":\"Claude Sonnet 4 Usage - Input Tokens\",\"model\":\"claude-sonnet-4\","
    "\"token_type\":\"uncached_input_tokens\"}]}],\"has_more\":false,\"next_page\":null}";

  gauge_clock_set_fake (now);
  admin_server_set (admin, "cost_report", NULL, NULL, 200, cost, NULL);
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (admin), TRUE);
  client = gauge_admin_client_new ();
  console = gauge_console_monitor_new (store, client);
  gauge_console_monitor_set_key (console, "sk-ant-admin01-secretsecretsecret-a1b2");

  g_variant_builder_init (&budgets, G_VARIANT_TYPE ("a{sd}"));
  g_variant_builder_add (&budgets, "{sd}", "default", 100.0);
  g_settings_set_value (fixture->settings, "console-workspace-budgets",
                        g_variant_builder_end (&budgets));

  usage_client = gauge_limits_client_new ();
  monitor = gauge_limits_monitor_new (store, usage_client, fixture->credentials_path);
  notifier = gauge_notifier_new (fixture->app, monitor, store, fixture->settings);
  gauge_test_wait_until (notifier_idle, notifier, 20000);
  gauge_notifier_set_console_monitor (notifier, console);

  /* $85 of $100 in the default workspace: 80 % told once, round after round. */
  console_step (console, notifier);
  console_step (console, notifier);
  calls = notify_calls ();
  for (guint i = 0; i < calls->len; i++)
    g_test_message ("Notify %u: %s", i, (char *) g_ptr_array_index (calls, i));
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (calls, 0),
                                   "Workspace “Default” at 85 % of its budget|$85.00 of $100.00 "
                                   "this month · projected "));

  g_settings_reset (fixture->settings, "console-workspace-budgets");
  g_unsetenv ("CLAUDE_GAUGE_ADMIN_API_BASE");
}

/* A usage line of Claude Code's at base + @minutes. */
static void
write_usage (Fixture    *fixture,
             const char *id,
             int         minutes,
             gint64      input,
             gint64      output)
{
  g_autofree char *dir = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop", NULL);
  g_autoptr(GDateTime) when = at (fixture, minutes);

  gauge_test_write_usage_line (dir, "s1", id, g_date_time_to_unix (when), input, output, 0, 0);
}

/* The alerts about the local block reach the notification server: once each, and not again
 * after a restart. */
static void
test_local_block (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeNotifier) notifier = NULL;
  static const char * const first[] = {
    "No Claude Code usage for 60 minutes|The 5-hour block stays open until 16:00.|0",
    "Plan’s block limit exceeded|Claude Gauge now measures blocks against 50k input + output "
      "tokens (largest past block: Pro’s limit was exceeded).|1",
    NULL,
  };
  static const char * const then[] = {
    "No Claude Code usage for 60 minutes|The 5-hour block stays open until 16:00.|0",
    "Plan’s block limit exceeded|Claude Gauge now measures blocks against 50k input + output "
      "tokens (largest past block: Pro’s limit was exceeded).|1",
    "5-hour window ends in 25 minutes|Your 5-hour limit resets at 15:00.|0",
    NULL,
  };

  g_settings_set_boolean (fixture->settings, "alert-session-ending", TRUE);
  g_settings_set_boolean (fixture->settings, "alert-inactivity", TRUE);
  g_settings_set_string (fixture->settings, "plan-limit", "pro");

  /* A block two days ago of 50,000 input + output tokens; the active one began at 11:00 and
   * is past Pro's 19,000 already. */
  write_usage (fixture, "old", -2 * 24 * 60, 30000, 20000);
  write_usage (fixture, "new", -60, 10000, 10000);
  gauge_test_index_run (index, FALSE);

  serve (fixture, 20, 180, 10);
  start (fixture, &monitor, &notifier);
  gauge_notifier_set_transcript_index (notifier, index);
  step (fixture, monitor, notifier, 0);
  assert_calls (first);

  /* 14:35: the official 5-hour window resets at 15:00. Idle and switch were told. */
  step (fixture, monitor, notifier, 155);
  assert_calls (then);

  /* A restart at 14:40: nothing again. */
  g_clear_object (&notifier);
  g_clear_object (&monitor);
  start (fixture, &monitor, &notifier);
  gauge_notifier_set_transcript_index (notifier, index);
  step (fixture, monitor, notifier, 160);
  assert_calls (then);

  g_settings_reset (fixture->settings, "alert-session-ending");
  g_settings_reset (fixture->settings, "alert-inactivity");
  g_settings_reset (fixture->settings, "plan-limit");
}

/* Two accounts (issue 17): each one's local block is its own folder's transcripts. The work
 * folder's block has been idle for an hour, the personal folder's has none: the work account
 * is told, by name, and the personal one is not. */
static void
test_local_block_accounts (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeTranscriptIndex) index = gauge_transcript_index_new (store);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *work_path = write_work_credentials (work_dir);
  g_autofree char *work_projects = g_build_filename (work_dir, "projects", "-home-ana-job",
                                                     NULL);
  g_autoptr(GDateTime) used = at (fixture, -60);
  g_autoptr(GaugeLimitsMonitor) personal = NULL;
  g_autoptr(GaugeLimitsMonitor) work = NULL;
  g_autoptr(GaugeNotifier) personal_notifier = NULL;
  g_autoptr(GaugeNotifier) work_notifier = NULL;
  const char *folders[3] = { NULL };
  static const char * const expected[] = {
    "Work · No Claude Code usage for 60 minutes|The 5-hour block stays open until 16:00.|0",
    NULL,
  };

  g_settings_set_boolean (fixture->settings, "alert-inactivity", TRUE);
  g_settings_set_boolean (fixture->settings, "alert-pace", FALSE);
  serve_token (fixture, TOKEN, 10, 180, 10);
  serve_token (fixture, WORK_TOKEN, 10, 180, 10);
  start (fixture, &personal, &personal_notifier);
  work = gauge_limits_monitor_new (store, client, work_path);
  folders[0] = gauge_limits_monitor_get_folder (personal);
  folders[1] = gauge_limits_monitor_get_folder (work);

  gauge_test_write_usage_line (work_projects, "s1", "work", g_date_time_to_unix (used),
                               10000, 10000, 0, 0);
  gauge_transcript_index_set_account_folders (index, folders);
  gauge_test_index_run (index, FALSE);

  gauge_notifier_set_account (personal_notifier, "Personal", NULL);
  gauge_notifier_set_account_folders (personal_notifier, folders);
  gauge_notifier_set_transcript_index (personal_notifier, index);
  work_notifier = gauge_notifier_new_for_account (fixture->app, work, store, fixture->settings,
                                                  "Work", folders[1]);
  gauge_notifier_set_account_folders (work_notifier, folders);
  gauge_notifier_set_transcript_index (work_notifier, index);

  step (fixture, personal, personal_notifier, 0);
  step (fixture, work, work_notifier, 0);
  assert_calls (expected);

  g_settings_reset (fixture->settings, "alert-inactivity");
  g_settings_reset (fixture->settings, "alert-pace");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  start_mock ();

  g_test_add ("/alerts/notifier/scripted-readings", Fixture, NULL,
              fixture_setup, test_scripted_readings, fixture_teardown);
  g_test_add ("/alerts/notifier/mute", Fixture, NULL, fixture_setup, test_mute, fixture_teardown);
  g_test_add ("/alerts/notifier/accounts", Fixture, NULL, fixture_setup, test_accounts,
              fixture_teardown);
  g_test_add ("/alerts/notifier/preferences-thresholds", Fixture, NULL, fixture_setup,
              test_preferences_thresholds, fixture_teardown);
  g_test_add ("/alerts/notifier/prompt-cache", Fixture, NULL, fixture_setup, test_prompt_cache,
              fixture_teardown);
  g_test_add ("/alerts/notifier/console-budget", Fixture, NULL, fixture_setup, test_console_budget,
              fixture_teardown);
  g_test_add ("/alerts/notifier/local-block", Fixture, NULL, fixture_setup, test_local_block,
              fixture_teardown);
  g_test_add ("/alerts/notifier/local-block-accounts", Fixture, NULL, fixture_setup,
              test_local_block_accounts, fixture_teardown);

  ret = g_test_run ();

  notify_uninit ();
  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  g_clear_object (&mock);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
  g_clear_object (&bus);

  return ret;
}
