/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-console"

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "gauge-test-admin-server.h"
#include "gauge-admin-client.h"
#include "gauge-admin-key.h"
#include "gauge-admin-report.h"
#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-test-server.h"

#define KEY "sk-ant-admin01-secretsecretsecret-a1b2"

static char *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "core", "console", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
set_now (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (year, month, day, hour, minute, 0);

  gauge_clock_set_fake (now);
}

/* --- Money ----------------------------------------------------------------- */

static void
test_parse_cents (void)
{
  static const struct { const char *text; gboolean ok; gint64 value; } cases[] = {
    { "123.45", TRUE, 123450000 },      /* $1.2345 */
    { "0.1", TRUE, 100000 },
    { "7", TRUE, 7000000 },
    { "-0.5", TRUE, -500000 },
    { "0.0000004", TRUE, 0 },
    { "0.0000005", TRUE, 1 },           /* half away from zero */
    { "1.23456749", TRUE, 1234567 },
    { "9223372036853", TRUE, G_GINT64_CONSTANT (9223372036853000000) },
    { "9223372036855", FALSE, 0 },
    { "", FALSE, 0 }, { "-", FALSE, 0 }, { "1.", FALSE, 0 }, { "1e5", FALSE, 0 },
    { " 1", FALSE, 0 }, { "+1", FALSE, 0 }, { "1,5", FALSE, 0 }, { "NaN", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GaugeMicrocents value = -42;
      gboolean ok = gauge_admin_parse_cents (cases[i].text, &value);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (value, ==, cases[i].value);
    }
}

static void
test_format (void)
{
  struct { gint64 value; const char *dollars; const char *exact; } cases[] = {
    { 123450000, "$1.23", "1.2345" },
    { 0, "$0.00", "0.00" },
    { 150000000, "$1.50", "1.50" },
    { 500000, "$0.01", "0.005" },        /* half a cent rounds up */
    { -500000, "-$0.01", "-0.005" },
    { 1, "$0.00", "0.00000001" },
    { 1194295000000, "$11,942.95", "11942.95" },   /* grouped for people, not for JSON */
    { -400000000000, "-$4,000.00", "-4000.00" },
    { G_MAXINT64, "$92,233,720,368.55", "92233720368.54775807" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dollars = gauge_admin_format_dollars (cases[i].value);
      g_autofree char *exact = gauge_admin_format_exact_dollars (cases[i].value);

      g_assert_cmpstr (dollars, ==, cases[i].dollars);
      g_assert_cmpstr (exact, ==, cases[i].exact);
    }
}

/* A sum of many string amounts is exact where doubles drift. */
static void
test_no_drift (void)
{
  GaugeMicrocents sum = 0, tenth;
  double drift = 0;

  g_assert_true (gauge_admin_parse_cents ("0.1", &tenth));
  for (guint i = 0; i < 1000000; i++)
    {
      sum += tenth;
      drift += 0.1;
    }
  g_assert_cmpint (sum, ==, G_GINT64_CONSTANT (100000) * GAUGE_MICROCENTS_PER_CENT);
  g_assert_cmpfloat (drift, !=, 100000.0);
}

static void
test_projection (void)
{
  g_autoptr(GDateTime) tenth = g_date_time_new_utc (2025, 11, 10, 12, 0, 0);
  g_autoptr(GDateTime) first = g_date_time_new_utc (2025, 11, 1, 6, 0, 0);
  g_autoptr(GDateTime) early = g_date_time_new_utc (2025, 11, 1, 0, 10, 0);

  /* 9 finished days at $9: $1/day × 30 days; today's $0.50 is not averaged in. */
  g_assert_cmpint (gauge_admin_project_month (950 * GAUGE_MICROCENTS_PER_CENT,
                                              900 * GAUGE_MICROCENTS_PER_CENT, tenth),
                   ==, 3000 * GAUGE_MICROCENTS_PER_CENT);
  /* The 1st at 06:00: a quarter of a day gave $1, so $4 a day for 30 days. */
  g_assert_cmpint (gauge_admin_project_month (100 * GAUGE_MICROCENTS_PER_CENT, 0, first),
                   ==, 12000 * GAUGE_MICROCENTS_PER_CENT);
  /* Ten minutes into the month count as an hour. */
  g_assert_cmpint (gauge_admin_project_month (GAUGE_MICROCENTS_PER_CENT, 0, early),
                   ==, 720 * GAUGE_MICROCENTS_PER_CENT);
  /* Never below what is already spent; an empty month projects nothing. */
  g_assert_cmpint (gauge_admin_project_month (5000, 0, tenth), ==, 5000);
  g_assert_cmpint (gauge_admin_project_month (0, 0, tenth), ==, 0);
}

/* --- Parsers --------------------------------------------------------------- */

static void
test_parse_pages (void)
{
  g_autofree char *cost = fixture ("cost-1.json");
  g_autofree char *code = fixture ("code-1.json");
  g_autoptr(GaugeAdminPage) page = NULL;
  g_autoptr(GError) error = NULL;
  GaugeAdminCost *c;
  GaugeAdminCode *k;

  page = gauge_admin_page_parse (GAUGE_ADMIN_COST, cost, strlen (cost), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->rows->len, ==, 4);
  g_assert_true (page->has_more);
  g_assert_cmpstr (page->next, ==, "page_2");
  c = g_ptr_array_index (page->rows, 0);
  g_assert_cmpint (c->amount, ==, 123450000);
  g_assert_null (c->workspace_id);               /* the default workspace */
  g_assert_cmpstr (c->model, ==, "claude-sonnet-4-20250514");
  c = g_ptr_array_index (page->rows, 3);
  g_assert_null (c->model);                      /* null reads as absent */
  g_assert_null (c->description);
  g_clear_pointer (&page, gauge_admin_page_free);

  page = gauge_admin_page_parse (GAUGE_ADMIN_CLAUDE_CODE, code, strlen (code), &error);
  g_assert_no_error (error);
  k = g_ptr_array_index (page->rows, 0);
  g_assert_cmpint (k->cost, ==, 130 * GAUGE_MICROCENTS_PER_CENT);   /* integer cents */
  g_assert_cmpint (k->accepted, ==, 15);
  g_assert_cmpint (k->rejected, ==, 2);
  g_assert_cmpint (k->input, ==, 1010);
  g_assert_cmpstr (k->email, ==, "alice@example.com");
  g_clear_pointer (&page, gauge_admin_page_free);

  /* Broken answers are errors, not empty months. */
  g_assert_null (gauge_admin_page_parse (GAUGE_ADMIN_COST, "[]", 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (gauge_admin_page_parse (GAUGE_ADMIN_COST, "{\"has_more\":false}", -1 + 19, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (gauge_admin_page_parse (GAUGE_ADMIN_USERS, "{\"data\":[],\"has_more\":true}", 27,
                                         &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

/* --- Client ---------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GPtrArray *rows;
  GError    *error;
  gint64     retry_after;
  char      *name;
} Result;

static void
fetch_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->rows = gauge_admin_client_fetch_finish (GAUGE_ADMIN_CLIENT (object), result, &r->retry_after,
                                             &r->error);
  g_main_loop_quit (r->loop);
}

static GPtrArray *
fetch (GaugeAdminClient *client,
       const char       *key,
       GaugeAdminKind    kind,
       gint64           *retry_after,
       GError          **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2025, 11, 1, 0, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2025, 11, 11, 0, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_new_utc (2025, 11, 3, 0, 0, 0);
  Result r = { loop, NULL, NULL, 0, NULL };

  gauge_admin_client_fetch_async (client, key, kind,
                                  kind == GAUGE_ADMIN_CLAUDE_CODE ? day : start, end,
                                  NULL, fetch_cb, &r);
  g_main_loop_run (loop);
  if (retry_after != NULL)
    *retry_after = r.retry_after;
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.rows;
}

static AdminServer *
scripted_server (void)
{
  AdminServer *server = admin_server_new ();
  g_autofree char *cost1 = fixture ("cost-1.json");
  g_autofree char *cost2 = fixture ("cost-2.json");
  g_autofree char *messages = fixture ("messages.json");
  g_autofree char *code1 = fixture ("code-1.json");
  g_autofree char *code2 = fixture ("code-2.json");
  g_autofree char *ws1 = fixture ("workspaces-1.json");
  g_autofree char *ws2 = fixture ("workspaces-2.json");
  g_autofree char *users = fixture ("users.json");
  g_autofree char *keys = fixture ("api-keys.json");

  admin_server_set (server, "cost_report", NULL, NULL, 200, cost1, NULL);
  admin_server_set (server, "cost_report", NULL, "page_2", 200, cost2, NULL);
  admin_server_set (server, "usage_report/messages", NULL, NULL, 200, messages, NULL);
  admin_server_set (server, "usage_report/claude_code", "2025-11-03", NULL, 200, code1, NULL);
  admin_server_set (server, "usage_report/claude_code", "2025-11-03", "code_2", 200, code2, NULL);
  admin_server_set (server, "workspaces", NULL, NULL, 200, ws1, NULL);
  admin_server_set (server, "workspaces", NULL, "wrkspc_a", 200, ws2, NULL);
  admin_server_set (server, "users", NULL, NULL, 200, users, NULL);
  admin_server_set (server, "api_keys", NULL, NULL, 200, keys, NULL);
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (server), TRUE);

  return server;
}

static void
test_client_pages (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeAdminClient) client = gauge_admin_client_new ();
  g_autoptr(GPtrArray) cost = NULL;
  g_autoptr(GPtrArray) workspaces = NULL;
  g_autoptr(GPtrArray) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *version = NULL;
  g_autofree char *key = NULL;

  g_assert_cmpstr (gauge_admin_client_get_base_url (client), ==, admin_server_get_base_url (server));

  /* Reports: page=<next_page> until has_more is false. */
  cost = fetch (client, KEY, GAUGE_ADMIN_COST, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cost->len, ==, 6);
  g_assert_cmpuint (admin_server_get_requests (server, "cost_report"), ==, 2);
  query = admin_server_dup_last_query (server, "cost_report");
  g_assert_nonnull (strstr (query, "page=page_2"));
  g_assert_nonnull (strstr (query, "starting_at=2025-11-01T00:00:00Z"));
  g_assert_nonnull (strstr (query, "bucket_width=1d"));
  g_assert_nonnull (strstr (query, "group_by%5B%5D=workspace_id&group_by%5B%5D=description"));
  version = admin_server_dup_last_header (server, "anthropic-version");
  key = admin_server_dup_last_header (server, "x-api-key");
  g_assert_cmpstr (version, ==, "2023-06-01");
  g_assert_cmpstr (key, ==, KEY);

  /* Lists: after_id=<last_id>. */
  workspaces = fetch (client, KEY, GAUGE_ADMIN_WORKSPACES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workspaces->len, ==, 3);
  g_clear_pointer (&query, g_free);
  query = admin_server_dup_last_query (server, "workspaces");
  g_assert_nonnull (strstr (query, "after_id=wrkspc_a"));
  g_assert_nonnull (strstr (query, "limit=1000"));

  /* claude_code: one UTC day, paginated. */
  code = fetch (client, KEY, GAUGE_ADMIN_CLAUDE_CODE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (code->len, ==, 2);
  g_clear_pointer (&query, g_free);
  query = admin_server_dup_last_query (server, "usage_report/claude_code");
  g_assert_nonnull (strstr (query, "starting_at=2025-11-03&"));
  g_assert_nonnull (strstr (query, "page=code_2"));
}

static void
test_client_errors (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeAdminClient) client = gauge_admin_client_new ();
  static const struct { guint status; GaugeAdminError code; const char *words; } cases[] = {
    { 401, GAUGE_ADMIN_ERROR_UNAUTHORIZED, "rejected the Admin API key" },
    { 403, GAUGE_ADMIN_ERROR_FORBIDDEN, "may not read" },
    { 429, GAUGE_ADMIN_ERROR_RATE_LIMITED, "slow down" },
    { 500, GAUGE_ADMIN_ERROR_SERVER, "HTTP 500" },
    { 503, GAUGE_ADMIN_ERROR_SERVER, "HTTP 503" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      gint64 retry_after = 0;

      admin_server_set_all (server, cases[i].status, cases[i].status == 429 ? "120" : NULL);
      rows = fetch (client, KEY, GAUGE_ADMIN_USERS, &retry_after, &error);
      g_assert_null (rows);
      g_assert_error (error, GAUGE_ADMIN_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strstr (error->message, "secret"));
      g_assert_cmpint (retry_after, ==, cases[i].status == 429 ? 120 : -1);
    }
  admin_server_set_all (server, 0, NULL);

  /* A 200 that is not the API's JSON. */
  {
    g_autoptr(GError) error = NULL;

    admin_server_set (server, "users", NULL, NULL, 200, "<html>", NULL);
    g_assert_null (fetch (client, KEY, GAUGE_ADMIN_USERS, NULL, &error));
    g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_INVALID_RESPONSE);
  }

  /* A server that hands the same cursor back forever. */
  {
    g_autoptr(GError) error = NULL;

    admin_server_set (server, "api_keys", NULL, NULL, 200,
                      "{\"data\":[],\"has_more\":true,\"last_id\":\"x\"}", NULL);
    admin_server_set (server, "api_keys", NULL, "x", 200,
                      "{\"data\":[],\"has_more\":true,\"last_id\":\"x\"}", NULL);
    g_assert_null (fetch (client, KEY, GAUGE_ADMIN_API_KEYS, NULL, &error));
    g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_INVALID_RESPONSE);
  }

  /* A key that could smuggle a header never goes out; the message never quotes it. */
  {
    g_autoptr(GError) error = NULL;
    guint before = admin_server_get_total (server);

    g_assert_null (fetch (client, "sk-ant-admin\r\nX: secret", GAUGE_ADMIN_USERS, NULL, &error));
    g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NO_KEY);
    g_assert_null (strstr (error->message, "secret"));
    g_assert_cmpuint (admin_server_get_total (server), ==, before);
  }

  /* Nobody listening. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GaugeAdminClient) lonely = NULL;

    g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", "http://127.0.0.1:9", TRUE);
    lonely = gauge_admin_client_new ();
    g_assert_null (fetch (lonely, KEY, GAUGE_ADMIN_USERS, NULL, &error));
    g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NETWORK);
  }
}

static void
test_base_url_policy (void)
{
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", "http://example.com", TRUE);
  if (g_test_subprocess ())
    {
      g_autoptr(GaugeAdminClient) client = NULL;

      g_log_set_always_fatal (G_LOG_FATAL_MASK);   /* the warning is what we check */
      client = gauge_admin_client_new ();
      g_print ("%s\n", gauge_admin_client_get_base_url (client));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("https://api.anthropic.com\n");
  g_test_trap_assert_stderr ("*Ignoring CLAUDE_GAUGE_ADMIN_API_BASE*");
}

static void
test_key_mask (void)
{
  g_autofree char *masked = gauge_admin_key_mask (KEY);
  g_autofree char *short_key = gauge_admin_key_mask ("sk-ant-admin-abcd");
  g_autofree char *other = gauge_admin_key_mask ("abcdefghijklmnopqrst");

  g_assert_cmpstr (masked, ==, "sk-ant-admin…a1b2");
  g_assert_cmpstr (short_key, ==, "sk-ant-admin…");
  g_assert_cmpstr (other, ==, "…qrst");
}

static void
check_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  r->name = gauge_admin_key_check_finish (result, NULL, &r->error);
  g_main_loop_quit (r->loop);
}

static void
test_key_check (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeAdminClient) client = gauge_admin_client_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Result r = { loop, NULL, NULL, 0, NULL };

  gauge_admin_key_check_async (client, KEY, NULL, check_cb, &r);
  g_main_loop_run (loop);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.name, ==, "Acme");
  g_clear_pointer (&r.name, g_free);

  admin_server_set (server, "me", NULL, NULL, 401, "{}", NULL);
  gauge_admin_key_check_async (client, KEY, NULL, check_cb, &r);
  g_main_loop_run (loop);
  g_assert_error (r.error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (r.error->message, KEY));
  g_clear_error (&r.error);
}

/* --- Monitor --------------------------------------------------------------- */

static void
update_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Result *r = user_data;

  gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &r->error);
  g_main_loop_quit (r->loop);
}

static gboolean
update (GaugeConsoleMonitor *monitor,
        GError             **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Result r = { loop, NULL, NULL, 0, NULL };

  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &r);
  g_main_loop_run (loop);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  return TRUE;
}

static GaugeConsoleMonitor *
new_monitor (GaugeStore *store)
{
  g_autoptr(GaugeAdminClient) client = gauge_admin_client_new ();
  GaugeConsoleMonitor *monitor = gauge_console_monitor_new (store, client);

  gauge_console_monitor_set_key (monitor, KEY);
  return monitor;
}

static GaugeAdminWorkspaceSummary *
find_workspace (GaugeAdminReport *report,
                const char       *id)
{
  GPtrArray *workspaces = gauge_admin_report_get_workspaces (report);

  for (guint i = 0; i < workspaces->len; i++)
    {
      GaugeAdminWorkspaceSummary *w = g_ptr_array_index (workspaces, i);

      if (g_strcmp0 (w->id, id) == 0)
        return w;
    }
  return NULL;
}

static void
test_monitor_report (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *total = NULL;
  GaugeAdminReport *report;
  GaugeAdminWorkspaceSummary *w;
  GaugeAdminModelSummary *m;
  GaugeAdminUserSummary *u;
  GPtrArray *keys;

  set_now (2025, 11, 10, 12, 0);
  monitor = new_monitor (store);
  g_assert_true (update (monitor, &error));
  g_assert_no_error (error);

  report = gauge_console_monitor_get_report (monitor);
  g_assert_nonnull (report);
  g_assert_cmpstr (gauge_admin_report_get_org_name (report), ==, "Acme");

  /* 123.45 + 0.1 + 0.2 + 50 + 1000.000001 + 26.5 cents, exactly. */
  g_assert_cmpint (gauge_admin_report_get_total (report), ==, 1200250001);
  total = gauge_admin_format_exact_dollars (gauge_admin_report_get_total (report));
  g_assert_cmpstr (total, ==, "12.00250001");
  /* Nine finished days held 1173.750001 cents: × 30 / 9. */
  g_assert_cmpint (gauge_admin_report_get_projection (report), ==, 3912500003);

  w = find_workspace (report, NULL);
  g_assert_nonnull (w);
  g_assert_cmpstr (w->name, ==, "Default");
  g_assert_cmpint (w->cost, ==, 199950000);
  w = find_workspace (report, "wrkspc_a");
  g_assert_cmpstr (w->name, ==, "Research");
  g_assert_cmpstr (w->color, ==, "#6C5BB9");
  g_assert_cmpint (w->cost, ==, 1000300001);
  g_assert_nonnull (find_workspace (report, "wrkspc_c"));  /* no spend, still listed */
  g_assert_null (find_workspace (report, "wrkspc_b"));     /* archived, no spend */

  m = g_ptr_array_index (gauge_admin_report_get_models (report), 0);
  g_assert_cmpstr (m->model, ==, "claude-sonnet-4-20250514");
  g_assert_cmpint (m->cost, ==, 1149950001);
  g_assert_cmpint (m->input, ==, 100);
  g_assert_cmpint (m->cache_write, ==, 15);

  keys = gauge_admin_report_get_api_keys (report);
  g_assert_cmpuint (keys->len, ==, 2);
  g_assert_cmpstr (((GaugeAdminKeySummary *) g_ptr_array_index (keys, 0))->name, ==, "Prod");

  u = g_ptr_array_index (gauge_admin_report_get_users (report), 0);
  g_assert_cmpstr (u->actor, ==, "alice@example.com");
  g_assert_false (u->is_api_key);
  g_assert_cmpint (u->cost, ==, 130 * GAUGE_MICROCENTS_PER_CENT);
  g_assert_cmpstr (gauge_admin_report_lookup_user_name (report, u->actor), ==, "Alice");
  g_assert_cmpint (gauge_admin_report_get_code_total (report), ==, 180 * GAUGE_MICROCENTS_PER_CENT);

  g_assert_cmpuint (gauge_admin_report_get_days (report)->len, ==, 10);
  g_assert_cmpint (((GaugeAdminDay *) g_ptr_array_index (gauge_admin_report_get_days (report), 0))->total,
                   ==, 123550000);

  /* Every day of the month so far had its claude_code call: 10 days, one with two pages. */
  g_assert_cmpuint (admin_server_get_requests (server, "usage_report/claude_code"), ==, 11);
  gauge_clock_set_fake (NULL);
}

static void
test_monitor_empty_month (void)
{
  g_autoptr(AdminServer) server = admin_server_new ();
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  GaugeAdminReport *report;

  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (server), TRUE);
  set_now (2025, 11, 1, 0, 30);
  monitor = new_monitor (NULL);
  g_assert_true (update (monitor, &error));
  report = gauge_console_monitor_get_report (monitor);
  g_assert_cmpint (gauge_admin_report_get_total (report), ==, 0);
  g_assert_cmpint (gauge_admin_report_get_projection (report), ==, 0);
  g_assert_cmpuint (gauge_admin_report_get_models (report)->len, ==, 0);
  g_assert_cmpuint (gauge_admin_report_get_days (report)->len, ==, 1);
  gauge_clock_set_fake (NULL);
}

static void
test_monitor_errors (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  set_now (2025, 11, 10, 12, 0);
  monitor = new_monitor (NULL);

  /* 429: the cooldown holds every request back until it ends. */
  admin_server_set_all (server, 429, "900");
  g_assert_false (update (monitor, &error));
  g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_cmpint (gauge_rate_gate_get_reason (gauge_console_monitor_get_gate (monitor)), ==,
                   GAUGE_GATE_RATE_LIMITED);
  before = admin_server_get_total (server);
  set_now (2025, 11, 10, 12, 10);
  update (monitor, NULL);
  g_assert_cmpuint (admin_server_get_total (server), ==, before);

  /* After the cooldown it asks again and recovers. */
  admin_server_set_all (server, 0, NULL);
  set_now (2025, 11, 10, 12, 16);
  g_assert_true (update (monitor, &error));
  g_assert_nonnull (gauge_console_monitor_get_report (monitor));
  g_assert_cmpint (gauge_rate_gate_get_reason (gauge_console_monitor_get_gate (monitor)), ==,
                   GAUGE_GATE_OPEN);

  /* 500: a short backoff; the last report stays. */
  admin_server_set_all (server, 500, NULL);
  set_now (2025, 11, 10, 12, 21);
  g_assert_false (update (monitor, &error));
  g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_SERVER);
  g_clear_error (&error);
  g_assert_cmpint (gauge_rate_gate_get_reason (gauge_console_monitor_get_gate (monitor)), ==,
                   GAUGE_GATE_BACKOFF);
  g_assert_nonnull (gauge_console_monitor_get_report (monitor));

  /* 403 in plain words. */
  admin_server_set_all (server, 403, NULL);
  set_now (2025, 11, 10, 12, 30);
  g_assert_false (update (monitor, &error));
  g_assert_error (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_FORBIDDEN);
  g_assert_cmpstr (gauge_console_monitor_get_error_message (monitor), ==, error->message);
  admin_server_set_all (server, 0, NULL);
  gauge_clock_set_fake (NULL);
}

/* A day of polling at the default interval, counted at the server. */
static void
test_requests_per_day (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2025, 11, 10, 12, 0, 0);
  guint expected = gauge_console_requests_per_day (GAUGE_POLL_INTERVAL_DEFAULT);
  guint total;

  gauge_clock_set_fake (start);
  monitor = new_monitor (store);
  g_assert_cmpuint (gauge_monitor_get_poll_interval (GAUGE_MONITOR (monitor)), ==, 300);
  g_assert_true (update (monitor, NULL));
  admin_server_reset_counts (server);

  for (guint i = 1; i <= 86400 / GAUGE_POLL_INTERVAL_DEFAULT; i++)
    {
      g_autoptr(GDateTime) now = g_date_time_add_seconds (start, (double) i * GAUGE_POLL_INTERVAL_DEFAULT);

      gauge_clock_set_fake (now);
      g_assert_true (update (monitor, NULL));
    }

  total = admin_server_get_total (server);
  g_print ("# figure: requests per day at the default 5 min poll: %u (cost_report %u, messages %u, "
           "claude_code %u, lists %u, organizations/me %u); schedule says %u\n",
           total, admin_server_get_requests (server, "cost_report"),
           admin_server_get_requests (server, "usage_report/messages"),
           admin_server_get_requests (server, "usage_report/claude_code"),
           admin_server_get_requests (server, "workspaces") + admin_server_get_requests (server, "users") +
           admin_server_get_requests (server, "api_keys"),
           admin_server_get_requests (server, "me"), expected);
  /* cost_report and workspaces have two pages in this fixture: one request more each time. */
  total -= admin_server_get_requests (server, "cost_report") / 2 +
           admin_server_get_requests (server, "workspaces") / 2;
  g_print ("# figure: the same with one page per answer: %u\n", total);
  g_assert_cmpuint (total, ==, expected);
  g_assert_cmpuint (expected, <=, 600);
  g_assert_cmpuint (gauge_console_requests_per_day (60), >, 600);  /* the minimum is the user's call */
  gauge_clock_set_fake (NULL);
}

/* Finished claude_code days come from the database: a restart asks only today and yesterday. */
/* A re-read of recent days keeps only those days: a server that answers with other days too
 * (the loopback one answers the whole month to any range) must not add them twice. */
static void
test_reread_recent_days (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;

  set_now (2025, 11, 10, 12, 0);
  monitor = new_monitor (store);
  g_assert_true (update (monitor, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gauge_admin_report_get_total (gauge_console_monitor_get_report (monitor)), ==,
                   1200250001);

  set_now (2025, 11, 10, 13, 0);
  g_assert_true (update (monitor, &error));
  g_assert_no_error (error);
  query = admin_server_dup_last_query (server, "cost_report");
  g_assert_nonnull (strstr (query, "starting_at=2025-11-09T00:00:00Z"));
  g_assert_cmpint (gauge_admin_report_get_total (gauge_console_monitor_get_report (monitor)), ==,
                   1200250001);
  gauge_clock_set_fake (NULL);
}

static void
test_warm_cache (void)
{
  g_autoptr(AdminServer) server = scripted_server ();
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeConsoleMonitor) cold = NULL;
  g_autoptr(GaugeConsoleMonitor) warm = NULL;
  g_autoptr(GaugeStore) store2 = NULL;
  GaugeAdminReport *report;
  gint64 begin;
  double ms;

  set_now (2025, 11, 10, 12, 0);
  cold = new_monitor (store);
  g_assert_true (update (cold, NULL));
  g_clear_object (&cold);
  /* The save runs on a worker thread: let it land. */
  for (guint i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  admin_server_reset_counts (server);
  store2 = gauge_store_new (NULL);
  begin = g_get_monotonic_time ();
  warm = new_monitor (store2);
  g_assert_true (update (warm, NULL));
  ms = (g_get_monotonic_time () - begin) / 1000.0;
  report = gauge_console_monitor_get_report (warm);

  g_assert_cmpuint (admin_server_get_requests (server, "usage_report/claude_code"), ==, 2);
  g_assert_cmpint (gauge_admin_report_get_code_total (report), ==, 180 * GAUGE_MICROCENTS_PER_CENT);
  g_print ("# figure: start to a full Console report with a warm cache: %.1f ms, %u requests "
           "(loopback server)\n", ms, admin_server_get_total (server));
  gauge_clock_set_fake (NULL);
}

/* --- CLI ------------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Run;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

static gboolean
run_done (gpointer data)
{
  return ((Run *) data)->done;
}

/* The real binary, while the loopback server answers from this process's main loop. */
static Run
run_cli (const char *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { FALSE, -1, NULL, NULL };
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CLAUDE_GAUGE_BIN"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* The test's own folders (GLib isolates them in this process only), as a user's are. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "ANTHROPIC_ADMIN_KEY", KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
  gauge_test_wait_until (run_done, &run, 60000);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);

  return run;
}

/* Only line feeds: no escape sequence or other control character reaches the terminal. */
static void
assert_no_controls (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)))
        g_error ("Control character U+%04X in the output", c);
    }
}

/* This month's spend from a server whose names carry escape sequences: the same figures in
 * text and JSON, the names clean, the key nowhere. */
static void
test_cli (void)
{
  g_autoptr(AdminServer) server = admin_server_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) first = g_date_time_new_utc (g_date_time_get_year (now),
                                                    g_date_time_get_month (now), 1, 0, 0, 0);
  g_autoptr(GDateTime) second = g_date_time_add_days (first, 1);
  g_autofree char *from = g_date_time_format (first, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *to = g_date_time_format (second, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *month = g_date_time_format (first, "%Y-%m");
  g_autofree char *cost = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *workspace;
  JsonArray *workspaces;
  Run run;

  if (!g_file_test (g_getenv ("CLAUDE_GAUGE_BIN"), G_FILE_TEST_IS_EXECUTABLE))
    g_error ("CLAUDE_GAUGE_BIN names no executable");

  cost = g_strdup_printf ("{\"data\":[{\"starting_at\":\"%s\",\"ending_at\":\"%s\",\"results\":["
                          "{\"currency\":\"USD\",\"amount\":\"120000\",\"workspace_id\":null},"
                          "{\"currency\":\"USD\",\"amount\":\"3450\",\"workspace_id\":\"wrkspc_a\"}"
                          "]}],\"has_more\":false,\"next_page\":null}", from, to);
  admin_server_set (server, "cost_report", NULL, NULL, 200, cost, NULL);
  admin_server_set (server, "me", NULL, NULL, 200,
                    "{\"id\":\"org_1\",\"name\":\"Acme\\u001b]0;pwned\\u0007 Inc\\u009b2J\"}",
                    NULL);
  admin_server_set (server, "workspaces", NULL, NULL, 200,
                    "{\"data\":[{\"id\":\"wrkspc_a\",\"name\":\"Research\\u001b[2J\\u0007\"}],"
                    "\"has_more\":false,\"last_id\":\"wrkspc_a\"}", NULL);
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (server), TRUE);

  run = run_cli ("--report=console", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "organization"), ==, "Acme Inc");
  g_assert_cmpstr (json_object_get_string_member (root, "month"), ==, month);
  g_assert_cmpstr (json_object_get_string_member (root, "month_to_date"), ==, "1234.50");
  workspaces = json_object_get_array_member (root, "workspaces");
  g_assert_cmpuint (json_array_get_length (workspaces), >=, 1);
  for (guint i = 0; i < json_array_get_length (workspaces); i++)
    {
      workspace = json_array_get_object_element (workspaces, i);
      if (g_strcmp0 (json_object_get_string_member (workspace, "id"), "wrkspc_a") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (workspace, "name"), ==, "Research");
          g_assert_cmpstr (json_object_get_string_member (workspace, "cost"), ==, "34.50");
        }
    }
  assert_no_controls (run.out);
  assert_no_controls (run.err);
  g_assert_null (strstr (run.out, KEY));
  g_assert_null (strstr (run.err, KEY));           /* not even in debug output */
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);

  run = run_cli ("--report=console", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Acme Inc\n"));
  g_assert_nonnull (strstr (run.out, "Month to date ("));
  g_assert_nonnull (strstr (run.out, "$1,234.50"));
  g_assert_nonnull (strstr (run.out, "Research"));
  assert_no_controls (run.out);
  assert_no_controls (run.err);
  g_assert_null (strstr (run.err, KEY));
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);
  g_unsetenv ("CLAUDE_GAUGE_ADMIN_API_BASE");
}

/* A 429 before the month's spend was ever read: no zeros that read as a month with nothing
 * spent, and while the cooldown lasts the terminal says why it has nothing to show. */
static void
test_cli_first_fetch_rate_limited (void)
{
  g_autoptr(AdminServer) server = admin_server_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  guint asked;
  Run run;

  admin_server_set (server, "me", NULL, NULL, 200, "{\"id\":\"org_1\",\"name\":\"Acme\"}", NULL);
  admin_server_set (server, "cost_report", NULL, NULL, 429, "{}", "900");
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", admin_server_get_base_url (server), TRUE);

  run = run_cli ("--report=console", "--json", NULL);
  g_assert_cmpint (run.status, ==, 3);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_has_member (root, "month_to_date"));
  g_assert_nonnull (json_object_get_string_member (root, "error"));
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);
  asked = admin_server_get_requests (server, "cost_report");

  /* The cooldown is kept in the store: the next run asks nothing and says why. */
  run = run_cli ("--report=console", "--json", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_cmpuint (admin_server_get_requests (server, "cost_report"), ==, asked);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_has_member (root, "month_to_date"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (root, "error"),
                                   "Not loaded yet: the Admin API asked to wait until "));
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);

  run = run_cli ("--report=console", NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "Not loaded yet: the Admin API asked to wait until "));
  g_assert_null (strstr (run.out, "$0.00"));
  g_clear_pointer (&run.out, g_free);
  g_clear_pointer (&run.err, g_free);
  g_unsetenv ("CLAUDE_GAUGE_ADMIN_API_BASE");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/console/money/parse", test_parse_cents);
  g_test_add_func ("/console/money/format", test_format);
  g_test_add_func ("/console/money/no-drift", test_no_drift);
  g_test_add_func ("/console/money/projection", test_projection);
  g_test_add_func ("/console/parse/pages", test_parse_pages);
  g_test_add_func ("/console/client/pages", test_client_pages);
  g_test_add_func ("/console/client/errors", test_client_errors);
  g_test_add_func ("/console/client/base-url", test_base_url_policy);
  g_test_add_func ("/console/key/mask", test_key_mask);
  g_test_add_func ("/console/key/check", test_key_check);
  g_test_add_func ("/console/monitor/report", test_monitor_report);
  g_test_add_func ("/console/monitor/empty-month", test_monitor_empty_month);
  g_test_add_func ("/console/monitor/errors", test_monitor_errors);
  g_test_add_func ("/console/monitor/requests-per-day", test_requests_per_day);
  g_test_add_func ("/console/monitor/warm-cache", test_warm_cache);
  g_test_add_func ("/console/monitor/reread-recent-days", test_reread_recent_days);
  g_test_add_func ("/console/cli", test_cli);
  g_test_add_func ("/console/cli/first-fetch-rate-limited", test_cli_first_fetch_rate_limited);

  return g_test_run ();
}
