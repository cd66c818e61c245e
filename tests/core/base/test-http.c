/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Both API clients against a hostile server on loopback (gauge-hostile-server.c): a body
 * dripped a byte a second, an endless chunked body, a gzip bomb, a redirect. Each request
 * must end, by its deadline or at the size cap, with a message that says why, in bounded
 * memory, and a redirect must not be followed. Also how a Retry-After header is read.
 */

#include "config.h"

#include <string.h>

#include "gauge-admin-client.h"
#include "gauge-hostile-server.h"
#include "gauge-http.h"
#include "gauge-test-server.h"
#include "gauge-limits-client.h"

#define TOKEN     "sk-ant-oat01-hostile-test-token"
#define ADMIN_KEY "sk-ant-admin01-hostile-test-key-0001"

/* What a bounded read may add to the peak resident size: the 8 MB body twice over (the
 * array doubles), the decoder's buffers, and a sanitizer's quarantine. The unbounded reads
 * this guards against took gigabytes. */
#define MEMORY_SLACK (160 * 1024 * 1024)

typedef enum
{
  CLIENT_USAGE,
  CLIENT_ADMIN,
} Client;

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  gint64    elapsed_ms;
} Result;

static gboolean
result_done (gpointer data)
{
  return ((Result *) data)->done;
}

static void
usage_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *res = user_data;
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

  snapshot = gauge_limits_client_fetch_usage_finish (GAUGE_LIMITS_CLIENT (object), result, NULL,
                                                     &res->error);
  res->ok = snapshot != NULL;
  res->done = TRUE;
}

static void
admin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Result *res = user_data;
  g_autoptr(GPtrArray) rows = NULL;

  rows = gauge_admin_client_fetch_finish (GAUGE_ADMIN_CLIENT (object), result, NULL, &res->error);
  res->ok = rows != NULL;
  res->done = TRUE;
}

/* One request of @client to @server with a deadline of @deadline_ms; waits at most 30 s. */
static Result
fetch (GaugeHostileServer *server,
       Client              client,
       guint               deadline_ms)
{
  Result res = { FALSE, FALSE, NULL, 0 };
  gint64 begin;

  g_setenv ("CLAUDE_GAUGE_API_BASE", gauge_hostile_server_get_base_url (server), TRUE);
  g_setenv ("CLAUDE_GAUGE_ADMIN_API_BASE", gauge_hostile_server_get_base_url (server), TRUE);
  begin = g_get_monotonic_time ();

  if (client == CLIENT_USAGE)
    {
      g_autoptr(GaugeLimitsClient) usage = gauge_limits_client_new ();

      gauge_limits_client_set_deadline (usage, deadline_ms);
      gauge_limits_client_fetch_usage_async (usage, TOKEN, NULL, usage_cb, &res);
      gauge_test_wait_until (result_done, &res, 30000);
    }
  else
    {
      g_autoptr(GaugeAdminClient) admin = gauge_admin_client_new ();

      gauge_admin_client_set_deadline (admin, deadline_ms);
      gauge_admin_client_fetch_async (admin, ADMIN_KEY, GAUGE_ADMIN_ORGANIZATION, NULL, NULL,
                                      NULL, admin_cb, &res);
      gauge_test_wait_until (result_done, &res, 30000);
    }

  res.elapsed_ms = (g_get_monotonic_time () - begin) / 1000;
  g_test_message ("%s after %" G_GINT64_FORMAT " ms: %s",
                  client == CLIENT_USAGE ? "usage" : "admin", res.elapsed_ms,
                  res.error != NULL ? res.error->message : "success");
  g_unsetenv ("CLAUDE_GAUGE_API_BASE");
  g_unsetenv ("CLAUDE_GAUGE_ADMIN_API_BASE");

  return res;
}

static void
assert_error (Result     *res,
              Client      client,
              int         usage_code,
              int         admin_code,
              const char *text)
{
  g_assert_false (res->ok);
  if (client == CLIENT_USAGE)
    g_assert_error (res->error, GAUGE_LIMITS_ERROR, usage_code);
  else
    g_assert_error (res->error, GAUGE_ADMIN_ERROR, admin_code);
  if (strstr (res->error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", res->error->message, text);
}

/* A byte a second restarts libsoup's own timeout each time; the deadline ends it. */
static void
test_drip (gconstpointer data)
{
  Client client = GPOINTER_TO_INT (data);
  g_autoptr(GaugeHostileServer) server = gauge_hostile_server_new (GAUGE_HOSTILE_DRIP);
  Result res = fetch (server, client, 2000);

  assert_error (&res, client, GAUGE_LIMITS_ERROR_NETWORK, GAUGE_ADMIN_ERROR_NETWORK,
                "did not send its whole answer within 2 seconds");
  g_assert_cmpint (res.elapsed_ms, >=, 1900);
  g_assert_cmpint (res.elapsed_ms, <, 6000);
  g_clear_error (&res.error);
}

/* The body is counted as it comes; reading stops one chunk past the cap. */
static void
test_endless_chunked (gconstpointer data)
{
  Client client = GPOINTER_TO_INT (data);
  g_autoptr(GaugeHostileServer) server = gauge_hostile_server_new (GAUGE_HOSTILE_CHUNKED);
  guint64 before, grown;
  Result res;

  gauge_test_reset_peak_rss ();
  before = gauge_test_peak_rss ();
  res = fetch (server, client, 20000);
  grown = gauge_test_peak_rss () - before;

  assert_error (&res, client, GAUGE_LIMITS_ERROR_SERVER, GAUGE_ADMIN_ERROR_SERVER,
                "could not be read: it is larger than 8.0\u00a0MB");
  g_test_message ("peak resident size grew by %" G_GUINT64_FORMAT " KB; the server sent %"
                  G_GUINT64_FORMAT " KB", grown / 1024,
                  gauge_hostile_server_get_bytes_sent (server) / 1024);
  g_assert_cmpuint (grown, <, MEMORY_SLACK);
  g_assert_cmpuint (gauge_hostile_server_get_bytes_sent (server), <, 64 * 1024 * 1024);
  g_clear_error (&res.error);
}

/* The cap counts what the decoder gives, not what came over the wire. */
static void
test_gzip_bomb (gconstpointer data)
{
  Client client = GPOINTER_TO_INT (data);
  g_autoptr(GaugeHostileServer) server = gauge_hostile_server_new (GAUGE_HOSTILE_GZIP);
  guint64 before, grown;
  Result res;

  gauge_test_reset_peak_rss ();
  before = gauge_test_peak_rss ();
  res = fetch (server, client, 20000);
  grown = gauge_test_peak_rss () - before;

  assert_error (&res, client, GAUGE_LIMITS_ERROR_SERVER, GAUGE_ADMIN_ERROR_SERVER,
                "could not be read: it is larger than 8.0\u00a0MB");
  g_test_message ("peak resident size grew by %" G_GUINT64_FORMAT " KB", grown / 1024);
  g_assert_cmpuint (grown, <, MEMORY_SLACK);
  g_clear_error (&res.error);
}

/* A redirect is an error that says so; the address it names never hears from us (it would
 * have answered a valid reading). */
static void
test_redirect (gconstpointer data)
{
  Client client = GPOINTER_TO_INT (data);
  g_autoptr(GaugeHostileServer) server = gauge_hostile_server_new (GAUGE_HOSTILE_REDIRECT);
  Result res = fetch (server, client, 20000);

  assert_error (&res, client, GAUGE_LIMITS_ERROR_SERVER, GAUGE_ADMIN_ERROR_SERVER,
                "(HTTP 302), and Claude Gauge follows no redirects");
  g_assert_cmpuint (gauge_hostile_server_get_requests (server), ==, 1);
  g_assert_cmpuint (gauge_hostile_server_get_target_requests (server), ==, 0);
  g_clear_error (&res.error);
}

/* Retry-After, as seconds or an HTTP date, from the day of the dates below (2026-10-21 07:00). */
static void
test_retry_after (void)
{
  static const struct {
    const char *value;
    gint64      expected;
  } cases[] = {
    { "120", 120 },
    { " 120 ", 120 },
    { "1", 1 },
    { "Wed, 21 Oct 2026 07:28:00 GMT", 28 * 60 },
    { "Wed, 21 Oct 2026 07:00:01 GMT", 1 },
    { "Wednesday, 21-Oct-26 07:01:00 GMT", 60 },
    { "Wed, 21 Oct 2026 06:28:00 GMT", -1 },   /* in the past */
    { "Wed, 21 Oct 2026 07:00:00 GMT", -1 },   /* now */
    { "0", -1 },                               /* the endpoint's "no idea" */
    { "00", -1 },
    { NULL, -1 },
    { "", -1 },
    { "   ", -1 },
    { "-5", -1 },
    { "+5", -1 },
    { "1.5", -1 },
    { "12abc", -1 },
    { "soon", -1 },
    { "5 apples", -1 },
    { "Wed, 99 Foo 2026 07:28:00 GMT", -1 },
  };
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 10, 21, 7, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 got = gauge_http_parse_retry_after (cases[i].value, now);

      g_test_message ("Retry-After: %s", cases[i].value ? cases[i].value : "(absent)");
      g_assert_cmpint (got, ==, cases[i].expected);
    }
}

static void
test_retry_after_rounds_up (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 10, 21, 7, 0, 0.5);

  /* Half a second away still means "wait", never "go now". */
  g_assert_cmpint (gauge_http_parse_retry_after ("Wed, 21 Oct 2026 07:00:01 GMT", now), ==, 1);
  g_assert_cmpint (gauge_http_parse_retry_after ("Wed, 21 Oct 2026 07:00:03 GMT", now), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add_data_func ("/http/usage/" path, GINT_TO_POINTER (CLIENT_USAGE), func); \
  g_test_add_data_func ("/http/admin/" path, GINT_TO_POINTER (CLIENT_ADMIN), func)

  ADD ("drip", test_drip);
  ADD ("endless-chunked", test_endless_chunked);
  ADD ("gzip-bomb", test_gzip_bomb);
  ADD ("redirect", test_redirect);

#undef ADD

  g_test_add_func ("/http/retry-after", test_retry_after);
  g_test_add_func ("/http/retry-after-rounds-up", test_retry_after_rounds_up);

  return g_test_run ();
}
