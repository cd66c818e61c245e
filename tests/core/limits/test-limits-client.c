/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "gauge-test-server.h"
#include "gauge-limits-client.h"

#define TOKEN "sk-ant-oat01-client-test-token"

typedef struct
{
  GaugeTestServer  *server;
  GaugeLimitsClient *client;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = gauge_test_server_new ();
  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_test_server_get_base_url (fixture->server), TRUE);
  fixture->client = gauge_limits_client_new ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->server, gauge_test_server_free);
  g_unsetenv ("CLAUDE_GAUGE_API_BASE");
}

typedef struct
{
  gboolean            done;
  GaugeLimitsSnapshot *snapshot;
  GError             *error;
  gint64              retry_after;
} Result;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *res = user_data;

  res->snapshot = gauge_limits_client_fetch_usage_finish (GAUGE_LIMITS_CLIENT (object), result,
                                                          &res->retry_after, &res->error);
  res->done = TRUE;
}

static gboolean
result_done (gpointer data)
{
  return ((Result *) data)->done;
}

static Result
fetch (Fixture *fixture)
{
  Result res = { FALSE, NULL, NULL, 0 };

  gauge_limits_client_fetch_usage_async (fixture->client, TOKEN, NULL, fetch_cb, &res);
  gauge_test_wait_until (result_done, &res, 20000);

  return res;
}

static void
result_clear (Result *res)
{
  g_clear_object (&res->snapshot);
  g_clear_error (&res->error);
}

static void
test_headers_and_success (Fixture       *fixture,
                          gconstpointer  data)
{
  Result res = fetch (fixture);
  g_autofree char *authorization = gauge_test_server_dup_last_header (fixture->server, "Authorization");
  g_autofree char *beta = gauge_test_server_dup_last_header (fixture->server, "anthropic-beta");
  g_autofree char *agent = gauge_test_server_dup_last_header (fixture->server, "User-Agent");
  g_autofree char *accept = gauge_test_server_dup_last_header (fixture->server, "Accept");
  GaugeLimitWindow *five;

  g_assert_no_error (res.error);
  g_assert_nonnull (res.snapshot);
  g_assert_cmpstr (authorization, ==, "Bearer " TOKEN);
  g_assert_cmpstr (beta, ==, "oauth-2025-04-20");
  g_assert_cmpstr (agent, ==, "claude-gauge/" PACKAGE_VERSION);
  g_assert_cmpstr (accept, ==, "application/json");
  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==, 1);

  five = gauge_limits_snapshot_lookup (res.snapshot, "five_hour");
  g_assert_nonnull (five);
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_utilization (five), 37.0, 0.001);
  g_assert_cmpint (gauge_limits_snapshot_get_source (res.snapshot), ==, GAUGE_SOURCE_OFFICIAL);

  result_clear (&res);
}

typedef struct
{
  guint           status;
  const char     *body;
  const char     *retry_after;
  GaugeLimitsError code;
  gint64          expected_retry_after;
} ErrorCase;

static const char anthropic_error[] =
  "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"OAuth token has expired\"}}";
static const char rate_limited[] =
  "{\"error\":{\"message\":\"Rate limited. Please try again later.\",\"type\":\"rate_limit_error\"}}";

static const ErrorCase error_cases[] = {
  { 401, anthropic_error, NULL, GAUGE_LIMITS_ERROR_UNAUTHORIZED, -1 },
  { 403, "{\"type\":\"error\"}", NULL, GAUGE_LIMITS_ERROR_FORBIDDEN, -1 },
  { 429, rate_limited, NULL, GAUGE_LIMITS_ERROR_RATE_LIMITED, -1 },
  { 429, rate_limited, "0", GAUGE_LIMITS_ERROR_RATE_LIMITED, -1 },
  { 429, rate_limited, "1200", GAUGE_LIMITS_ERROR_RATE_LIMITED, 1200 },
  { 500, "<html>oops</html>", NULL, GAUGE_LIMITS_ERROR_SERVER, -1 },
  { 503, NULL, NULL, GAUGE_LIMITS_ERROR_SERVER, -1 },
  { 200, "this is not json", NULL, GAUGE_LIMITS_ERROR_INVALID_RESPONSE, -1 },
  { 200, "[1,2,3]", NULL, GAUGE_LIMITS_ERROR_INVALID_RESPONSE, -1 },
};

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      Result res;

      g_test_message ("HTTP %u, body %s, Retry-After %s", c->status, c->body, c->retry_after);
      gauge_test_server_set_usage (fixture->server, c->status, c->body, c->retry_after);
      res = fetch (fixture);

      g_assert_null (res.snapshot);
      g_assert_error (res.error, GAUGE_LIMITS_ERROR, (int) c->code);
      g_assert_null (strstr (res.error->message, TOKEN));
      g_assert_cmpint (res.retry_after, ==, c->expected_retry_after);
      if (c->status >= 500)
        {
          g_autofree char *status = g_strdup_printf ("%u", c->status);
          g_assert_nonnull (strstr (res.error->message, status));
        }
      result_clear (&res);
    }

  g_assert_cmpuint (gauge_test_server_get_usage_requests (fixture->server), ==,
                    G_N_ELEMENTS (error_cases));
}

static void
test_retry_after_http_date (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 40);
  g_autofree char *date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  Result res;

  gauge_test_server_set_usage (fixture->server, 429, rate_limited, date);
  res = fetch (fixture);

  g_assert_error (res.error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_RATE_LIMITED);
  g_assert_cmpint (res.retry_after, >=, 40 * 60 - 5);
  g_assert_cmpint (res.retry_after, <=, 40 * 60 + 1);
  result_clear (&res);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  Result res;

  gauge_limits_client_set_timeout (fixture->client, 1);
  gauge_test_server_set_delay (fixture->server, 3000);
  res = fetch (fixture);

  g_assert_error (res.error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_NETWORK);
  g_assert_nonnull (strstr (res.error->message, "in time"));
  result_clear (&res);
}

static void
test_connection_refused (void)
{
  g_autoptr(GaugeLimitsClient) client = NULL;
  Result res = { FALSE, NULL, NULL, 0 };

  /* Port 9 (discard) on loopback: nothing listens there in a test sandbox. */
  g_setenv ("CLAUDE_GAUGE_API_BASE", "http://127.0.0.1:9", TRUE);
  client = gauge_limits_client_new ();
  gauge_limits_client_fetch_usage_async (client, TOKEN, NULL, fetch_cb, &res);
  gauge_test_wait_until (result_done, &res, 20000);

  g_assert_error (res.error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (res.error->message, "Could not reach Anthropic"));
  result_clear (&res);
  g_unsetenv ("CLAUDE_GAUGE_API_BASE");
}

static void
test_base_url_policy (void)
{
  struct { const char *env; const char *expected; } cases[] = {
    { NULL, "https://api.anthropic.com" },
    { "", "https://api.anthropic.com" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080" },
    { "http://localhost:1234", "http://localhost:1234" },
    { "http://[::1]:1234", "http://[::1]:1234" },
    { "https://proxy.example.com", "https://proxy.example.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaugeLimitsClient) client = NULL;

      if (cases[i].env != NULL)
        g_setenv ("CLAUDE_GAUGE_API_BASE", cases[i].env, TRUE);
      else
        g_unsetenv ("CLAUDE_GAUGE_API_BASE");

      client = gauge_limits_client_new ();
      g_assert_cmpstr (gauge_limits_client_get_base_url (client), ==, cases[i].expected);
    }

  /* Plain http to anything but loopback would send the token in clear text. */
  if (g_test_subprocess ())
    {
      g_autoptr(GaugeLimitsClient) client = NULL;

      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
      g_setenv ("CLAUDE_GAUGE_API_BASE", "http://evil.example.com", TRUE);
      client = gauge_limits_client_new ();
      g_assert_cmpstr (gauge_limits_client_get_base_url (client), ==, "https://api.anthropic.com");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*only https*");
  g_unsetenv ("CLAUDE_GAUGE_API_BASE");
}

static void
plan_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **plan = user_data;
  g_autoptr(GError) error = NULL;

  *plan = gauge_limits_client_fetch_plan_finish (GAUGE_LIMITS_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
  if (*plan == NULL)
    *plan = g_strdup ("(none)");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_profile_plan (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *plan = NULL;

  gauge_limits_client_fetch_plan_async (fixture->client, TOKEN, NULL, plan_cb, &plan);
  gauge_test_wait_until (string_set, &plan, 20000);

  g_assert_cmpstr (plan, ==, "Max 5x");
  g_assert_cmpuint (gauge_test_server_get_profile_requests (fixture->server), ==, 1);
}

typedef struct
{
  gboolean done;
  char    *plan;
  char    *email;
} ProfileResult;

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ProfileResult *r = user_data;
  g_autoptr(GError) error = NULL;

  r->plan = gauge_limits_client_fetch_plan_finish (GAUGE_LIMITS_CLIENT (object), result, &r->email,
                                                   &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

static gboolean
profile_done (gpointer data)
{
  return ((ProfileResult *) data)->done;
}

static void
test_profile_email (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct { const char *body; const char *email; const char *plan; } cases[] = {
    { NULL, "ana@example.com", "Max 5x" },  /* the server's default profile */
    { "{\"account\":{\"email\":null},\"organization\":{\"organization_type\":\"claude_pro\"}}",
      NULL, "Pro" },
    { "{\"account\":{},\"organization\":{\"organization_type\":\"claude_pro\"}}", NULL, "Pro" },
    { "{\"account\":null}", NULL, NULL },
    { "{\"account\":{\"email\":\"\"}}", NULL, NULL },
    { "{\"account\":{\"email\":42}}", NULL, NULL },
    { "[]", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ProfileResult r = { 0 };

      if (cases[i].body != NULL)
        gauge_test_server_set_profile (fixture->server, 200, cases[i].body);
      gauge_limits_client_fetch_plan_async (fixture->client, TOKEN, NULL, profile_cb, &r);
      gauge_test_wait_until (profile_done, &r, 20000);

      g_assert_cmpstr (r.email, ==, cases[i].email);
      g_assert_cmpstr (r.plan, ==, cases[i].plan);
      g_free (r.plan);
      g_free (r.email);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/usage-client/headers-and-success", Fixture, NULL,
              fixture_setup, test_headers_and_success, fixture_teardown);
  g_test_add ("/usage-client/errors", Fixture, NULL,
              fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/usage-client/retry-after-http-date", Fixture, NULL,
              fixture_setup, test_retry_after_http_date, fixture_teardown);
  g_test_add ("/usage-client/timeout", Fixture, NULL,
              fixture_setup, test_timeout, fixture_teardown);
  g_test_add ("/usage-client/profile-plan", Fixture, NULL,
              fixture_setup, test_profile_plan, fixture_teardown);
  g_test_add ("/usage-client/profile-email", Fixture, NULL,
              fixture_setup, test_profile_email, fixture_teardown);
  g_test_add_func ("/usage-client/connection-refused", test_connection_refused);
  g_test_add_func ("/usage-client/base-url-policy", test_base_url_policy);

  return g_test_run ();
}
