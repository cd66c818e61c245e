/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "gauge-format.h"
#include "gauge-limits-monitor.h"
#include "gauge-limits-state.h"
#include "gauge-test-server.h"

#define TOKEN "sk-ant-oat01-monitor-test-token"

static const char rate_limited[] =
  "{\"error\":{\"message\":\"Rate limited. Please try again later.\",\"type\":\"rate_limit_error\"}}";

typedef struct
{
  GaugeTestServer *server;
  char            *config_dir;
  char            *credentials_path;
  char            *db_path;
} Fixture;

static gint64
in_one_day_ms (void)
{
  return (g_get_real_time () / 1000) + 24 * 3600 * 1000;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);
  fixture->config_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  fixture->credentials_path = g_build_filename (fixture->config_dir, ".credentials.json", NULL);
  fixture->db_path = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_free (fixture->config_dir);
  g_free (fixture->credentials_path);
  g_free (fixture->db_path);
}

static void
write_credentials (Fixture    *fixture,
                   const char *token,
                   gint64      expires_ms)
{
  g_autofree char *path = gauge_test_write_credentials (fixture->config_dir, token, expires_ms,
                                                        "default_claude_max_5x");
  g_assert_cmpstr (path, ==, fixture->credentials_path);
}

static GaugeLimitsMonitor *
new_monitor (Fixture *fixture)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();

  return gauge_limits_monitor_new (store, client, fixture->credentials_path);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error));
  g_assert_no_error (error);
  (*(guint *) user_data)++;
}

static void
update_once (GaugeLimitsMonitor *monitor)
{
  guint done = 0;

  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &done);
  gauge_test_wait_for_count (&done, 1, 20000);
}

static gint64
seconds_from_now (GDateTime *time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_difference (time, now) / G_TIME_SPAN_SECOND;
}

static void
test_success_and_fresh_reading (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeLimitsMonitor) second = NULL;
  GaugeLimitsSnapshot *snapshot;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  monitor = new_monitor (fixture);
  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);
  g_assert_cmpstr (gauge_limits_monitor_get_plan_name (monitor), ==, "Max 5x");
  snapshot = gauge_limits_monitor_get_snapshot (monitor);
  g_assert_nonnull (snapshot);
  g_assert_nonnull (gauge_limits_snapshot_lookup (snapshot, "five_hour"));
  g_assert_false (gauge_limits_monitor_is_stale (monitor));
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  /* Next automatic check one poll interval later. */
  g_assert_nonnull (gauge_limits_monitor_get_next_check (monitor));
  g_assert_cmpint (seconds_from_now (gauge_limits_monitor_get_next_check (monitor)), >=, 290);
  g_assert_cmpint (seconds_from_now (gauge_limits_monitor_get_next_check (monitor)), <=, 300);

  /* The reading is fresh: neither this monitor nor a new process asks again. */
  update_once (monitor);
  second = new_monitor (fixture);
  update_once (second);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  g_assert_nonnull (gauge_limits_monitor_get_snapshot (second));
  g_assert_cmpint (gauge_limits_monitor_get_state (second), ==, GAUGE_LIMITS_MONITOR_STATE_OK);

  /* A manual refresh within a minute of the last request does not ask either. */
  update_once (monitor);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
}

static void
test_cooldown_survives_restart (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GaugeLimitsMonitor) restarted = NULL;
  g_autofree char *body = NULL;
  gint64 wait;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 429, rate_limited, "0");

  monitor = new_monitor (fixture);
  update_once (monitor);
  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);
  wait = seconds_from_now (gauge_limits_monitor_get_next_check (monitor));
  g_assert_cmpint (wait, >=, 295);
  g_assert_cmpint (wait, <=, 300);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  /* Manual refresh respects the cooldown. */
  update_once (monitor);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  g_clear_object (&monitor);

  /* A new process reads the cooldown from the database and stays quiet. */
  body = gauge_test_usage_json (12, 34);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  restarted = new_monitor (fixture);
  update_once (restarted);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  g_assert_cmpint (gauge_limits_monitor_get_state (restarted), ==, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);
}

static void
test_server_error_backs_off (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 502, "bad gateway", NULL);

  monitor = new_monitor (fixture);
  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OFFLINE);
  g_assert_nonnull (strstr (gauge_limits_monitor_get_error_message (monitor), "502"));
  g_assert_cmpint (seconds_from_now (gauge_limits_monitor_get_next_check (monitor)), <=, 60);
  g_assert_cmpint (seconds_from_now (gauge_limits_monitor_get_next_check (monitor)), >=, 55);
}

static void
test_unauthorized_then_new_sign_in (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autofree char *body = NULL;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  monitor = new_monitor (fixture);
  update_once (monitor);
  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);

  /* The server revokes the token: the last values stay, the state says why. */
  g_usleep (G_USEC_PER_SEC); /* fetched_at has second resolution */
  gauge_test_server_set_usage (fixture->server, 401,
                               "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}",
                               NULL);
  update_once (monitor);
  /* Fresh reading and < 60 s: nothing asked, still OK. */
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  /* A new sign-in is asked about at once, even within the minute. */
  write_credentials (fixture, "sk-ant-oat01-second-token", in_one_day_ms ());
  update_once (monitor);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 2);
  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_EXPIRED);
  g_assert_nonnull (gauge_limits_monitor_get_snapshot (monitor));
  g_assert_null (gauge_limits_monitor_get_next_check (monitor));

  body = gauge_test_usage_json (12, 34);
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  write_credentials (fixture, "sk-ant-oat01-third-token", in_one_day_ms ());
  update_once (monitor);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 3);
  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 403, "{\"type\":\"error\"}", NULL);
  monitor = new_monitor (fixture);
  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN);
  g_assert_null (gauge_limits_monitor_get_next_check (monitor));
}

static void
test_expired_token_is_not_sent (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;

  /* Expires in 4 minutes: treated as expired 5 minutes early. */
  write_credentials (fixture, TOKEN, g_get_real_time () / 1000 + 4 * 60 * 1000);
  monitor = new_monitor (fixture);
  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_EXPIRED);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
}

static void
test_no_credentials (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = new_monitor (fixture);

  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS);
  g_assert_cmpstr (gauge_limits_monitor_get_credentials_path (monitor), ==, fixture->credentials_path);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 0);
  g_assert_false (g_file_test (fixture->credentials_path, G_FILE_TEST_EXISTS));
}

static gboolean
state_is_ok (gpointer data)
{
  return gauge_limits_monitor_get_state (data) == GAUGE_LIMITS_MONITOR_STATE_OK;
}

static gboolean
state_is_no_credentials (gpointer data)
{
  return gauge_limits_monitor_get_state (data) == GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS;
}

static void
test_sign_in_is_noticed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = new_monitor (fixture);

  gauge_limits_monitor_start (monitor);
  gauge_test_wait_until (state_is_no_credentials, monitor, 10000);

  /* The user runs `claude` and signs in: the file appears, we pick it up. */
  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_wait_until (state_is_ok, monitor, 15000);
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
}

static gboolean
busy_is_false_and_requests (gpointer data)
{
  Fixture *fixture = data;

  return gauge_test_server_get_usage_requests (fixture->server) >= 1;
}

static void
test_single_flight (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  guint done = 0;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_delay (fixture->server, 500);
  monitor = new_monitor (fixture);

  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &done);
  gauge_test_wait_until (busy_is_false_and_requests, fixture, 10000);
  g_assert_true (gauge_monitor_get_busy (GAUGE_MONITOR (monitor)));

  /* Clicking Refresh while the request is in flight joins it. */
  gauge_limits_monitor_refresh (monitor);
  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &done);
  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &done);
  gauge_test_wait_for_count (&done, 3, 10000);

  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);
  g_assert_false (gauge_monitor_get_busy (GAUGE_MONITOR (monitor)));
}

static void
test_poll_after_reset (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 100);
  g_autofree char *soon_iso = g_date_time_format_iso8601 (soon);
  g_autofree char *body = g_strdup_printf ("{\"five_hour\":{\"utilization\":99.0,\"resets_at\":\"%s\"}}",
                                           soon_iso);
  gint64 wait;

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  monitor = new_monitor (fixture);
  update_once (monitor);

  /* One poll just after the window resets, before the regular one. */
  wait = seconds_from_now (gauge_limits_monitor_get_next_check (monitor));
  g_assert_cmpint (wait, >=, 120);
  g_assert_cmpint (wait, <=, 131);
}

static void
test_corrupt_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->db_path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (fixture->db_path, "this is not a database, just some words long enough",
                       -1, &error);
  g_assert_no_error (error);

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  monitor = new_monitor (fixture);
  update_once (monitor);

  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);
  g_assert_nonnull (gauge_limits_monitor_get_store_message (monitor));
  g_assert_nonnull (strstr (gauge_limits_monitor_get_store_message (monitor), "moved"));
}

static gboolean
has_account_email (gpointer data)
{
  return gauge_limits_monitor_get_account_email (data) != NULL;
}

static gboolean
email_is_bo (gpointer data)
{
  return g_strcmp0 (gauge_limits_monitor_get_account_email (data), "bo@example.com") == 0;
}

static gboolean
two_profile_requests (gpointer data)
{
  return gauge_test_server_get_profile_requests (data) >= 2;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The profile's e-mail ("You" on the Console page): once per token, only once started. */
static void
test_account_email (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) cli = NULL;
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  guint notified = 0;

  /* The plan is in the credentials: the CLI (never started) asks nothing more. */
  write_credentials (fixture, TOKEN, in_one_day_ms ());
  cli = new_monitor (fixture);
  update_once (cli);
  g_assert_cmpstr (gauge_limits_monitor_get_plan_name (cli), ==, "Max 5x");
  g_assert_null (gauge_limits_monitor_get_account_email (cli));
  g_assert_cmpuint (gauge_test_server_get_profile_requests (fixture->server), ==, 0);

  /* The app asks the profile anyway, for the e-mail, and keeps the credentials' plan. */
  gauge_test_server_set_profile (fixture->server, 200,
                                 "{\"account\":{\"email\":\"ana@example.com\"},"
                                 "\"organization\":{\"organization_type\":\"claude_pro\"}}");
  monitor = new_monitor (fixture);
  g_signal_connect (monitor, "notify::account-email", G_CALLBACK (count_notify), &notified);
  gauge_limits_monitor_start (monitor);
  gauge_test_wait_until (has_account_email, monitor, 15000);
  g_assert_cmpstr (gauge_limits_monitor_get_account_email (monitor), ==, "ana@example.com");
  g_assert_cmpstr (gauge_limits_monitor_get_plan_name (monitor), ==, "Max 5x");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (gauge_test_server_get_profile_requests (fixture->server), ==, 1);

  /* More checks with the same token: not again. */
  update_once (monitor);
  g_assert_cmpuint (gauge_test_server_get_profile_requests (fixture->server), ==, 1);

  /* A new sign-in: asked again for the new token. */
  gauge_test_server_set_profile (fixture->server, 200,
                                 "{\"account\":{\"email\":\"bo@example.com\"}}");
  write_credentials (fixture, TOKEN "-2", in_one_day_ms ());
  gauge_test_wait_until (two_profile_requests, fixture->server, 15000);
  gauge_test_wait_until (email_is_bo, monitor, 15000);
  g_assert_cmpuint (notified, ==, 2);
}

static gboolean
is_well_formed (const char *markup)
{
  static const GMarkupParser nothing = { 0 };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&nothing, 0, NULL, NULL);
  g_autofree char *document = g_strdup_printf ("<markup>%s</markup>", markup);

  return g_markup_parse_context_parse (context, document, -1, NULL) &&
         g_markup_parse_context_end_parse (context, NULL);
}

/* What the tray (a line), --status (the terminal) and the window (markup, with a heading)
 * say about @monitor's state. */
static void
assert_described (GaugeLimitsMonitor *monitor,
                  const char         *title,
                  const char         *line,
                  const char         *terminal,
                  const char         *markup)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *shown_title = NULL;
  g_autofree char *shown_line = gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_LINE,
                                                             now, NULL);
  g_autofree char *shown_terminal =
    gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_TERMINAL, now, NULL);
  g_autofree char *shown_markup = gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_MARKUP,
                                                               now, &shown_title);

  g_assert_cmpstr (shown_title, ==, title);
  g_assert_cmpstr (shown_line, ==, line);
  g_assert_cmpstr (shown_terminal, ==, terminal);
  g_assert_cmpstr (shown_markup, ==, markup);
  if (markup != NULL)
    g_assert_true (is_well_formed (shown_markup));
}

static void
test_describe (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GaugeLimitsMonitor) monitor = new_monitor (fixture);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *body = gauge_test_usage_json (12, 34);
  g_autofree char *missing = NULL;
  g_autofree char *until = NULL;
  g_autofree char *wait = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *retry_at = NULL;

  assert_described (monitor, "Checking your limits…", "Checking your limits…", "No reading yet.",
                    "Checking your limits…");

  update_once (monitor);
  missing = g_strdup_printf ("No Claude Code sign-in found at %s. Run “claude” and sign in.",
                             fixture->credentials_path);
  assert_described (monitor, "Sign in with Claude Code", "Not signed in: run claude to sign in",
                    missing,
                    "Claude Gauge reads the sign-in that Claude Code keeps on this computer. "
                    "Run <tt>claude</tt> in a terminal and sign in — this page updates by itself.");
  g_clear_object (&monitor);

  write_credentials (fixture, TOKEN, g_get_real_time () / 1000 + 60 * 1000);
  monitor = new_monitor (fixture);
  update_once (monitor);
  assert_described (monitor, "Sign-In Expired", "Sign-in expired: run claude to sign in again",
                    "Your Claude Code sign-in has expired. Run “claude” to sign in again.",
                    "Your Claude Code sign-in has expired. Run <tt>claude</tt> to sign in again.");
  g_clear_object (&monitor);

  write_credentials (fixture, TOKEN, in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 403, "{\"type\":\"error\"}", NULL);
  monitor = new_monitor (fixture);
  update_once (monitor);
  assert_described (monitor, "Usage Can’t Be Read", "This sign-in cannot read plan limits",
                    "This sign-in can’t read usage: its token lacks the “user:profile” scope. "
                    "Tokens made with “claude setup-token” are for inference only — sign in "
                    "with “claude” instead.",
                    "This sign-in can’t read usage: its token lacks the <tt>user:profile</tt> "
                    "scope. Tokens made with <tt>claude setup-token</tt> are for inference only "
                    "— sign in with <tt>claude</tt> instead.");
  g_clear_object (&monitor);

  write_credentials (fixture, "sk-ant-oat01-second-token", in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 502, "bad gateway", NULL);
  monitor = new_monitor (fixture);
  update_once (monitor);
  now = g_date_time_new_now_utc ();
  retry_at = gauge_format_clock (gauge_limits_monitor_get_next_check (monitor), now);
  retry = g_strdup_printf ("%s. Retrying at %s.", gauge_limits_monitor_get_error_message (monitor),
                           retry_at);
  assert_described (monitor, "Offline", "Offline", retry, "Can’t reach Anthropic right now.");
  g_clear_object (&monitor);
  g_clear_pointer (&now, g_date_time_unref);

  write_credentials (fixture, "sk-ant-oat01-third-token", in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 429, rate_limited, "3600");
  monitor = new_monitor (fixture);
  update_once (monitor);
  now = g_date_time_new_now_utc ();
  until = gauge_format_clock (gauge_limits_monitor_get_next_check (monitor), now);
  wait = g_strdup_printf ("The API asked us to wait until %s.", until);
  assert_described (monitor, "Waiting for Anthropic",
                    "Anthropic asked to wait before the next check", wait, wait);
  g_clear_object (&monitor);

  write_credentials (fixture, "sk-ant-oat01-fourth-token", in_one_day_ms ());
  gauge_test_server_set_usage (fixture->server, 200, body, NULL);
  monitor = new_monitor (fixture);
  update_once (monitor);
  g_assert_cmpint (gauge_limits_monitor_get_state (monitor), ==, GAUGE_LIMITS_MONITOR_STATE_OK);
  assert_described (monitor, NULL, NULL, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/monitor/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("success-and-fresh-reading", test_success_and_fresh_reading);
  ADD ("cooldown-survives-restart", test_cooldown_survives_restart);
  ADD ("server-error-backs-off", test_server_error_backs_off);
  ADD ("unauthorized-then-new-sign-in", test_unauthorized_then_new_sign_in);
  ADD ("forbidden", test_forbidden);
  ADD ("expired-token-is-not-sent", test_expired_token_is_not_sent);
  ADD ("no-credentials", test_no_credentials);
  ADD ("sign-in-is-noticed", test_sign_in_is_noticed);
  ADD ("single-flight", test_single_flight);
  ADD ("poll-after-reset", test_poll_after_reset);
  ADD ("corrupt-database", test_corrupt_database);
  ADD ("account-email", test_account_email);
  ADD ("describe", test_describe);

#undef ADD

  return g_test_run ();
}
