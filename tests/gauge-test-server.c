/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-test-server"

#include "config.h"

#include <fcntl.h>
#include <libsoup/soup.h>
#include <linux/capability.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gauge-test-server.h"

struct _GaugeTestServer
{
  SoupServer *server;
  char       *base_url;
  GMutex      lock;

  guint       usage_status;
  char       *usage_body;
  char       *retry_after;
  guint       profile_status;
  char       *profile_body;
  guint       delay_ms;

  guint       usage_requests;
  guint       profile_requests;
  GHashTable *token_usage;     /* token → Reply scripted for it (several accounts) */
  GHashTable *token_requests;  /* token → usage requests with it */
  GHashTable *last_headers;
};

typedef struct
{
  SoupServerMessage *msg;
  guint              status;
  char              *body;
  char              *retry_after;
  gboolean           gone;
} Reply;

static void
reply_send (Reply *reply)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (reply->msg);

  if (reply->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", reply->retry_after);

  soup_server_message_set_status (reply->msg, reply->status, NULL);
  if (reply->body != NULL)
    soup_server_message_set_response (reply->msg, "application/json", SOUP_MEMORY_COPY,
                                      reply->body, strlen (reply->body));
  soup_server_message_unpause (reply->msg);
}

static void
reply_free (gpointer data)
{
  Reply *reply = data;

  g_signal_handlers_disconnect_by_data (reply->msg, reply);
  g_object_unref (reply->msg);
  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply);
}

/* A reply scripted for a token, not yet bound to a request. */
static void
scripted_free (gpointer data)
{
  Reply *reply = data;

  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply);
}

static gboolean
reply_later_cb (gpointer data)
{
  Reply *reply = data;

  /* The client may have gone meanwhile (a monitor disposed at the end of a test). */
  if (!reply->gone)
    reply_send (reply);
  return G_SOURCE_REMOVE;
}

static void
reply_gone_cb (SoupServerMessage *msg,
               gpointer           data)
{
  ((Reply *) data)->gone = TRUE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  GaugeTestServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Reply *reply = g_new0 (Reply, 1);
  guint delay;

  reply->msg = g_object_ref (msg);

  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->last_headers);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_hash_table_insert (self->last_headers, g_ascii_strdown (name, -1), g_strdup (value));

  if (g_str_equal (path, "/api/oauth/usage"))
    {
      const char *authorization = soup_message_headers_get_one (headers, "Authorization");
      const char *token = authorization != NULL && g_str_has_prefix (authorization, "Bearer ")
                          ? authorization + strlen ("Bearer ") : "";
      Reply *scripted = g_hash_table_lookup (self->token_usage, token);

      self->usage_requests++;
      g_hash_table_insert (self->token_requests, g_strdup (token),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->token_requests,
                                                                                    token)) + 1));
      reply->status = scripted != NULL ? scripted->status : self->usage_status;
      reply->body = g_strdup (scripted != NULL ? scripted->body : self->usage_body);
      reply->retry_after = g_strdup (scripted != NULL ? scripted->retry_after : self->retry_after);
    }
  else if (g_str_equal (path, "/api/oauth/profile"))
    {
      self->profile_requests++;
      reply->status = self->profile_status;
      reply->body = g_strdup (self->profile_body);
    }
  else
    {
      reply->status = 404;
      reply->body = g_strdup ("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}");
    }
  delay = self->delay_ms;
  g_mutex_unlock (&self->lock);

  soup_server_message_pause (msg);
  if (delay > 0)
    {
      g_signal_connect (msg, "disconnected", G_CALLBACK (reply_gone_cb), reply);
      g_timeout_add_full (G_PRIORITY_DEFAULT, delay, reply_later_cb, reply, reply_free);
    }
  else
    {
      reply_send (reply);
      reply_free (reply);
    }
}

GaugeTestServer *
gauge_test_server_new (void)
{
  GaugeTestServer *self = g_new0 (GaugeTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *uri = NULL;

  g_mutex_init (&self->lock);
  self->last_headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->token_usage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, scripted_free);
  self->token_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->usage_status = 200;
  self->usage_body = gauge_test_usage_json (37.0, 58.5);
  self->profile_status = 200;
  self->profile_body = g_strdup ("{\"account\":{\"email\":\"ana@example.com\"},"
                                 "\"organization\":{\"organization_type\":\"claude_max\","
                                 "\"rate_limit_tier\":\"default_claude_max_5x\"}}");

  self->server = soup_server_new ("server-header", "gauge-test-server", NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen on loopback: %s", error->message);

  uris = soup_server_get_uris (self->server);
  uri = g_uri_to_string (uris->data);
  /* No trailing slash: the client appends "/api/oauth/usage". */
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  self->base_url = g_steal_pointer (&uri);

  return self;
}

void
gauge_test_server_free (GaugeTestServer *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_free (self->base_url);
  g_free (self->usage_body);
  g_free (self->retry_after);
  g_free (self->profile_body);
  g_hash_table_unref (self->last_headers);
  g_hash_table_unref (self->token_usage);
  g_hash_table_unref (self->token_requests);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
gauge_test_server_get_base_url (GaugeTestServer *self)
{
  return self->base_url;
}

void
gauge_test_server_set_usage (GaugeTestServer *self,
                             guint            status,
                             const char      *body,
                             const char      *retry_after)
{
  g_mutex_lock (&self->lock);
  self->usage_status = status;
  g_free (self->usage_body);
  self->usage_body = g_strdup (body);
  g_free (self->retry_after);
  self->retry_after = g_strdup (retry_after);
  g_mutex_unlock (&self->lock);
}

/* What the usage endpoint answers a request with @token (another account's sign-in). */
void
gauge_test_server_set_usage_for_token (GaugeTestServer *self,
                                       const char      *token,
                                       guint            status,
                                       const char      *body,
                                       const char      *retry_after)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->body = g_strdup (body);
  reply->retry_after = g_strdup (retry_after);
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->token_usage, g_strdup (token), reply);
  g_mutex_unlock (&self->lock);
}

guint
gauge_test_server_get_token_requests (GaugeTestServer *self,
                                      const char      *token)
{
  guint ret;

  g_mutex_lock (&self->lock);
  ret = GPOINTER_TO_UINT (g_hash_table_lookup (self->token_requests, token));
  g_mutex_unlock (&self->lock);

  return ret;
}

void
gauge_test_server_set_profile (GaugeTestServer *self,
                               guint            status,
                               const char      *body)
{
  g_mutex_lock (&self->lock);
  self->profile_status = status;
  g_free (self->profile_body);
  self->profile_body = g_strdup (body);
  g_mutex_unlock (&self->lock);
}

void
gauge_test_server_set_delay (GaugeTestServer *self,
                             guint            milliseconds)
{
  g_mutex_lock (&self->lock);
  self->delay_ms = milliseconds;
  g_mutex_unlock (&self->lock);
}

guint
gauge_test_server_get_usage_requests (GaugeTestServer *self)
{
  guint ret;

  g_mutex_lock (&self->lock);
  ret = self->usage_requests;
  g_mutex_unlock (&self->lock);

  return ret;
}

guint
gauge_test_server_get_profile_requests (GaugeTestServer *self)
{
  guint ret;

  g_mutex_lock (&self->lock);
  ret = self->profile_requests;
  g_mutex_unlock (&self->lock);

  return ret;
}

char *
gauge_test_server_dup_last_header (GaugeTestServer *self,
                                   const char      *name)
{
  g_autofree char *key = g_ascii_strdown (name, -1);
  char *ret;

  g_mutex_lock (&self->lock);
  ret = g_strdup (g_hash_table_lookup (self->last_headers, key));
  g_mutex_unlock (&self->lock);

  return ret;
}

char *
gauge_test_load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("Cannot read fixture %s: %s", path, error->message);

  return contents;
}

/* Writes a credentials file the way Claude Code does, returns its path. */
char *
gauge_test_write_credentials (const char *dir,
                              const char *token,
                              gint64      expires_at_ms,
                              const char *rate_limit_tier)
{
  g_autofree char *path = g_build_filename (dir, ".credentials.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  json = g_strdup_printf ("{\"claudeAiOauth\":{\"accessToken\":\"%s\","
                          "\"refreshToken\":\"sk-ant-ort01-refresh-secret\","
                          "\"expiresAt\":%" G_GINT64_FORMAT ","
                          "\"scopes\":[\"user:inference\",\"user:profile\"],"
                          "\"subscriptionType\":\"max\",\"rateLimitTier\":\"%s\"}}",
                          token, expires_at_ms,
                          rate_limit_tier != NULL ? rate_limit_tier : "");
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_error ("Cannot write credentials: %s", error->message);

  return g_steal_pointer (&path);
}

/* A usage payload in the real shape, resetting 2 h and 3 days from now. */
char *
gauge_test_usage_json (double five_hour,
                       double seven_day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) five = g_date_time_add_minutes (now, 131);
  g_autoptr(GDateTime) seven = g_date_time_add_days (now, 3);
  g_autofree char *five_iso = g_date_time_format_iso8601 (five);
  g_autofree char *seven_iso = g_date_time_format_iso8601 (seven);
  char buf_a[G_ASCII_DTOSTR_BUF_SIZE], buf_b[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup_printf ("{\"five_hour\":{\"utilization\":%s,\"resets_at\":\"%s\"},"
                          "\"seven_day\":{\"utilization\":%s,\"resets_at\":\"%s\"},"
                          "\"seven_day_oauth_apps\":null,\"seven_day_opus\":null,"
                          "\"seven_day_sonnet\":null,\"extra_usage\":{\"is_enabled\":false,"
                          "\"monthly_limit\":null,\"used_credits\":null,\"utilization\":null}}",
                          g_ascii_dtostr (buf_a, sizeof buf_a, five_hour), five_iso,
                          g_ascii_dtostr (buf_b, sizeof buf_b, seven_day), seven_iso);
}

typedef struct
{
  gboolean timed_out;
} WaitData;

static gboolean
wait_timeout_cb (gpointer data)
{
  ((WaitData *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until @predicate holds; fails the test on timeout. */
void
gauge_test_wait_until (gboolean (*predicate) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  WaitData wait = { FALSE };
  guint id = g_timeout_add (timeout_ms, wait_timeout_cb, &wait);

  while (!predicate (data) && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (wait.timed_out)
    g_error ("Timed out after %u ms waiting for a condition", timeout_ms);

  g_source_remove (id);
}

typedef struct
{
  const guint *counter;
  guint        count;
} CountData;

static gboolean
count_reached (gpointer data)
{
  CountData *wait = data;

  return *wait->counter >= wait->count;
}

/* Iterates the default main context until *@counter reaches @count (callbacks count up). */
void
gauge_test_wait_for_count (const guint *counter,
                           guint        count,
                           guint        timeout_ms)
{
  CountData wait = { counter, count };

  gauge_test_wait_until (count_reached, &wait, timeout_ms);
}

/* Writes garbage over the first (root) page of each of @tables in the database at @path: its
 * header and schema stay readable, reading those tables fails with SQLITE_CORRUPT. */
void
gauge_test_damage_tables (const char         *path,
                          const char * const *tables)
{
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  gint64 page_size = 0;
  int fd;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rootpage FROM sqlite_master WHERE name = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      gint64 page;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      page = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (pages, page);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  fd = open (path, O_WRONLY);
  g_assert_cmpint (fd, !=, -1);
  for (guint i = 0; i < pages->len; i++)
    {
      g_autofree guint8 *garbage = g_malloc (page_size);
      gint64 page = g_array_index (pages, gint64, i);

      g_assert_cmpint (page, >, 1);
      for (gint64 j = 0; j < page_size; j++)
        garbage[j] = g_rand_int_range (rand, 0, 256);
      g_assert_cmpint (pwrite (fd, garbage, page_size, (page - 1) * page_size), ==, page_size);
    }
  close (fd);
}

/* The capabilities that let root ignore file modes. */
static const int mode_capabilities[] = {
  CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_LINUX_IMMUTABLE,
};

/**
 * gauge_test_bind_to_file_modes:
 * @bind: %TRUE to be bound by file modes from now on, %FALSE to be root again
 *
 * Root ignores file modes: a test about a read-only file would pass for the wrong reason.
 * As root, drops (or takes back) the capabilities that allow it from this thread's effective
 * set; for anyone else file modes bind anyway and nothing changes.
 */
void
gauge_test_bind_to_file_modes (gboolean bind)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };

  if (geteuid () != 0)
    return;

  g_assert_cmpint (syscall (SYS_capget, &header, data), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (mode_capabilities); i++)
    {
      int cap = mode_capabilities[i];

      if (bind)
        data[cap / 32].effective &= ~(1u << (cap % 32));
      else
        data[cap / 32].effective |= data[cap / 32].permitted & (1u << (cap % 32));
    }
  g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
}

/**
 * gauge_test_child_bound_to_file_modes:
 *
 * A #GSpawnChildSetupFunc: a child started as root that file modes bind as any user
 * (the capabilities that override them leave its bounding set, so it never gets them).
 */
void
gauge_test_child_bound_to_file_modes (gpointer user_data)
{
  if (geteuid () != 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (mode_capabilities); i++)
    if (prctl (PR_CAPBSET_DROP, mode_capabilities[i], 0, 0, 0) != 0)
      _exit (125);  /* rather than run with them */
}
