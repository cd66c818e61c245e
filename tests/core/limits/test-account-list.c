/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>

#include "gauge-account.h"
#include "gauge-account-list.h"
#include "gauge-clock.h"
#include "gauge-store-readings.h"
#include "gauge-test-server.h"

/* Two Claude Code config folders, each signed in with its own token, against one loopback
 * server that answers each token as scripted. */

#define WORK_TOKEN     "sk-ant-oat01-work-account-token"
#define PERSONAL_TOKEN "sk-ant-oat01-personal-account-token"

static const char rate_limited[] =
  "{\"error\":{\"message\":\"Rate limited.\",\"type\":\"rate_limit_error\"}}";

typedef struct
{
  GaugeTestServer *server;
  char            *personal_dir;   /* ~/.claude: the first account */
  char            *work_dir;       /* ~/.claude-work */
  char            *db_path;
} Fixture;

static gint64
in_one_day_ms (void)
{
  return (g_get_real_time () / 1000) + 24 * 3600 * 1000;
}

/* @token's answer: the 5-hour and weekly windows at these percentages. */
static void
serve (Fixture    *fixture,
       const char *token,
       double      five_hour,
       double      seven_day)
{
  g_autofree char *body = gauge_test_usage_json (five_hour, seven_day);

  gauge_test_server_set_usage_for_token (fixture->server, token, 200, body, NULL);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *personal = NULL;
  g_autofree char *work = NULL;

  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);
  g_unsetenv ("CLAUDE_CONFIG_DIR");
  fixture->personal_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  fixture->work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  fixture->db_path = g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);

  personal = gauge_test_write_credentials (fixture->personal_dir, PERSONAL_TOKEN,
                                           in_one_day_ms (), "default_claude_max_5x");
  work = gauge_test_write_credentials (fixture->work_dir, WORK_TOKEN, in_one_day_ms (),
                                       "default_claude_max_20x");
  serve (fixture, PERSONAL_TOKEN, 10, 20);
  serve (fixture, WORK_TOKEN, 70, 85);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_free (fixture->personal_dir);
  g_free (fixture->work_dir);
  g_free (fixture->db_path);
}

static GaugeAccountList *
new_list (Fixture *fixture)
{
  g_autoptr(GaugeStore) store = gauge_store_new (fixture->db_path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  const char *extra[] = { "~/.claude-work", NULL };
  g_auto(GStrv) folders = gauge_account_list_folders (extra);

  return gauge_account_list_new (store, client, (const char * const *) folders);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gauge_account_list_update_once_finish (GAUGE_ACCOUNT_LIST (object), result,
                                                        &error));
  (*(guint *) user_data)++;
}

static void
update_once (GaugeAccountList *list)
{
  guint done = 0;

  gauge_account_list_update_once_async (list, NULL, update_cb, &done);
  gauge_test_wait_for_count (&done, 1, 20000);
}

static double
utilization (GaugeLimitsMonitor *monitor,
             const char         *window)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);

  g_assert_nonnull (snapshot);
  g_assert_nonnull (gauge_limits_snapshot_lookup (snapshot, window));
  return gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (snapshot, window));
}

static void
test_folders (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (g_get_home_dir (), ".claude-empty", NULL);
  g_autofree char *list = NULL;
  const char *extra[] = { "~/.claude-work/", "~/.claude-empty", NULL };
  g_auto(GStrv) folders = NULL;
  g_auto(GStrv) suggestions = NULL;
  const char *known[] = { fixture->personal_dir, NULL };

  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);

  /* ~/.claude when CLAUDE_CONFIG_DIR is unset, the added folder once, without the one that
   * holds no sign-in. */
  folders = gauge_account_list_folders (extra);
  g_assert_cmpuint (g_strv_length (folders), ==, 2);
  g_assert_cmpstr (folders[0], ==, fixture->personal_dir);
  g_assert_cmpstr (folders[1], ==, fixture->work_dir);
  g_clear_pointer (&folders, g_strfreev);

  /* Each folder of a comma-separated CLAUDE_CONFIG_DIR; the first is the first account. */
  list = g_strdup_printf ("%s,%s,%s", fixture->work_dir, empty, fixture->personal_dir);
  g_setenv ("CLAUDE_CONFIG_DIR", list, TRUE);
  folders = gauge_account_list_folders (NULL);
  g_assert_cmpuint (g_strv_length (folders), ==, 2);
  g_assert_cmpstr (folders[0], ==, fixture->personal_dir);
  g_assert_cmpstr (folders[1], ==, fixture->work_dir);
  g_clear_pointer (&folders, g_strfreev);

  /* One folder named: that one is the first account. */
  g_setenv ("CLAUDE_CONFIG_DIR", fixture->work_dir, TRUE);
  folders = gauge_account_list_folders (NULL);
  g_assert_cmpuint (g_strv_length (folders), ==, 1);
  g_assert_cmpstr (folders[0], ==, fixture->work_dir);
  g_clear_pointer (&folders, g_strfreev);

  /* No sign-in anywhere: the first account's folder still stands, signed out. */
  g_setenv ("CLAUDE_CONFIG_DIR", empty, TRUE);
  folders = gauge_account_list_folders (NULL);
  g_assert_cmpuint (g_strv_length (folders), ==, 1);
  g_assert_cmpstr (folders[0], ==, empty);
  g_unsetenv ("CLAUDE_CONFIG_DIR");

  /* Offered with one click: ~/.claude-* folders that hold a sign-in. */
  suggestions = gauge_account_find_suggestions (known);
  g_assert_cmpuint (g_strv_length (suggestions), ==, 1);
  g_assert_cmpstr (suggestions[0], ==, fixture->work_dir);
}

static void
test_names (void)
{
  const char *emails[] = { "ana@example.com", "ana@example.com", "bo@example.com", NULL };
  const char *plans[] = { "Max 5x", "Max 5x", "Pro", NULL };
  g_autofree char *a = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *b = g_build_filename (g_get_home_dir (), ".claude-copy", NULL);
  const char *folders[] = { a, b, "/srv/claude", "/srv/other" };
  g_auto(GStrv) names = gauge_account_make_names (4, emails, plans, folders);

  /* Two that look alike go by their folders; the others by e-mail and plan, or folder. */
  g_assert_cmpstr (names[0], ==, "~/.claude");
  g_assert_cmpstr (names[1], ==, "~/.claude-copy");
  g_assert_cmpstr (names[2], ==, "bo@example.com · Pro");
  g_assert_cmpstr (names[3], ==, "/srv/other");
}

static void
test_two_accounts (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GaugeAccountList) list = new_list (fixture);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (gauge_account_list_get_n_accounts (list), ==, 2);
  update_once (list);

  /* Each account read with its own token, its own figures. */
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, PERSONAL_TOKEN), ==, 1);
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, WORK_TOKEN), ==, 1);
  g_assert_cmpfloat (utilization (gauge_account_list_get_monitor (list, 0), "seven_day"), ==, 20);
  g_assert_cmpfloat (utilization (gauge_account_list_get_monitor (list, 1), "seven_day"), ==, 85);
  g_assert_cmpstr (gauge_limits_monitor_get_plan_name (gauge_account_list_get_monitor (list, 1)),
                   ==, "Max 20x");
  g_assert_cmpuint (gauge_account_list_get_nearest (list, NULL), ==, 1);

  /* Stored apart: each account's latest reading is its own. */
  store = gauge_store_new (fixture->db_path);
  stored = gauge_store_load_account_snapshot (store, fixture->work_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (stored,
                                                                                      "seven_day")),
                     ==, 85);
  g_clear_object (&stored);
  stored = gauge_store_load_latest_snapshot (store, &error);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (stored,
                                                                                      "seven_day")),
                     ==, 20);
}

static void
test_rate_limit_is_per_account (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GaugeAccountList) list = new_list (fixture);
  g_autoptr(GaugeAccountList) restarted = NULL;
  g_autoptr(GDateTime) later = NULL;
  GaugeLimitsMonitor *personal, *work;

  gauge_test_server_set_usage_for_token (fixture->server, WORK_TOKEN, 429, rate_limited, "3600");
  update_once (list);

  personal = gauge_account_list_get_monitor (list, 0);
  work = gauge_account_list_get_monitor (list, 1);
  g_assert_cmpint (gauge_limits_monitor_get_state (work), ==,
                   GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);
  g_assert_cmpint (gauge_limits_monitor_get_state (personal), ==, GAUGE_LIMITS_MONITOR_STATE_OK);
  g_assert_cmpfloat (utilization (personal, "five_hour"), ==, 10);

  /* Ten minutes later, after a restart: the personal reading is due and asked for again;
   * the work account stays in its cooldown, without a request. */
  later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 600);
  gauge_clock_set_fake (later);
  restarted = new_list (fixture);
  serve (fixture, PERSONAL_TOKEN, 30, 40);
  update_once (restarted);
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, WORK_TOKEN), ==, 1);
  g_assert_cmpint (gauge_limits_monitor_get_state (gauge_account_list_get_monitor (restarted, 1)),
                   ==, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED);
  g_assert_cmpint (gauge_limits_monitor_get_state (gauge_account_list_get_monitor (restarted, 0)),
                   ==, GAUGE_LIMITS_MONITOR_STATE_OK);
  g_assert_cmpuint (gauge_test_server_get_token_requests (fixture->server, PERSONAL_TOKEN), ==, 2);
  g_assert_cmpfloat (utilization (gauge_account_list_get_monitor (restarted, 0), "five_hour"), ==, 30);
  gauge_clock_set_fake (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/accounts/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("folders", test_folders);
  g_test_add_func ("/accounts/names", test_names);
  ADD ("two-accounts", test_two_accounts);
  ADD ("rate-limit-is-per-account", test_rate_limit_is_per_account);

#undef ADD

  return g_test_run ();
}
