/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gauge-admin-client.h"
#include "gauge-clock.h"
#include "gauge-http.h"
#include "gauge-rate-gate.h"

#define DEFAULT_BASE_URL  "https://api.anthropic.com"
#define API_VERSION       "2023-06-01"

struct _GaugeAdminClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  guint        n_requests;
  guint        deadline_ms;
};

G_DEFINE_FINAL_TYPE (GaugeAdminClient, gauge_admin_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-admin-error-quark, gauge_admin_client_error)

static void
gauge_admin_client_finalize (GObject *object)
{
  GaugeAdminClient *self = (GaugeAdminClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (gauge_admin_client_parent_class)->finalize (object);
}

static void
gauge_admin_client_class_init (GaugeAdminClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gauge_admin_client_finalize;
}

static void
gauge_admin_client_init (GaugeAdminClient *self)
{
  self->base_url = gauge_http_choose_base_url ("CLAUDE_GAUGE_ADMIN_API_BASE", DEFAULT_BASE_URL);
  self->session = gauge_http_session_new ();
  self->deadline_ms = GAUGE_HTTP_DEADLINE_MS;
}

GaugeAdminClient *
gauge_admin_client_new (void)
{
  return g_object_new (GAUGE_TYPE_ADMIN_CLIENT, NULL);
}

const char *
gauge_admin_client_get_base_url (GaugeAdminClient *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_CLIENT (self), NULL);

  return self->base_url;
}

/* Tests only: the default is 30 seconds. */
void
gauge_admin_client_set_timeout (GaugeAdminClient *self,
                                guint             seconds)
{
  g_return_if_fail (GAUGE_IS_ADMIN_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

/* Tests only: how long one page may take, body included (the default is a minute). */
void
gauge_admin_client_set_deadline (GaugeAdminClient *self,
                                 guint             milliseconds)
{
  g_return_if_fail (GAUGE_IS_ADMIN_CLIENT (self));
  g_return_if_fail (milliseconds > 0);

  self->deadline_ms = milliseconds;
}

/* Requests sent since the client was made, every page counted. */
guint
gauge_admin_client_get_n_requests (GaugeAdminClient *self)
{
  g_return_val_if_fail (GAUGE_IS_ADMIN_CLIENT (self), 0);

  return self->n_requests;
}

/* A key goes into a header: printable ASCII without spaces, and of a sane length. */
gboolean
gauge_admin_key_is_well_formed (const char *key)
{
  gsize len;

  if (key == NULL)
    return FALSE;

  len = strlen (key);
  if (len < 8 || len > 512)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (key[i] <= ' ' || key[i] > '~')
      return FALSE;

  return TRUE;
}

/* Never quotes the body: an error page could echo the key back. */
static GError *
status_to_error (SoupMessage *msg)
{
  guint status = soup_message_get_status (msg);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return NULL;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_UNAUTHORIZED,
                                  _("Anthropic rejected the Admin API key: it is wrong or was revoked"));
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new_literal (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_FORBIDDEN,
                                  _("The Admin API key may not read this organization’s usage and cost"));
    case 429: /* Too Many Requests */
      return g_error_new_literal (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_RATE_LIMITED,
                                  _("Anthropic asked us to slow down (HTTP 429); trying again later"));
    default:
      return g_error_new (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_SERVER,
                          _("Anthropic’s Admin API is not answering normally (HTTP %u, %s)"),
                          status, soup_status_get_phrase (status));
    }
}

typedef struct
{
  GaugeAdminKind  kind;
  char           *key;
  char           *path;      /* with the fixed part of the query */
  char           *cursor;
  GPtrArray      *rows;
  GHashTable     *cursors;   /* seen, so that a server looping on a cursor cannot hold us */
  SoupMessage    *msg;
  gint64          day;       /* claude_code: the day asked for */
  gint64          retry_after;
  guint           n_pages;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  if (fetch->key != NULL)
    memset (fetch->key, 0, strlen (fetch->key));
  g_free (fetch->key);
  g_free (fetch->path);
  g_free (fetch->cursor);
  g_clear_pointer (&fetch->rows, g_ptr_array_unref);
  g_clear_pointer (&fetch->cursors, g_hash_table_unref);
  g_clear_object (&fetch->msg);
  g_free (fetch);
}

static gboolean
is_report (GaugeAdminKind kind)
{
  return kind == GAUGE_ADMIN_COST || kind == GAUGE_ADMIN_MESSAGES ||
         kind == GAUGE_ADMIN_CLAUDE_CODE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The path and fixed query of @kind. `[]` is escaped: it is not allowed bare in a query. */
static char *
build_path (GaugeAdminKind  kind,
            GDateTime      *start,
            GDateTime      *end)
{
  g_autofree char *from = start != NULL ? format_time (start) : NULL;
  g_autofree char *to = end != NULL ? format_time (end) : NULL;
  g_autofree char *day = NULL;

  switch (kind)
    {
    case GAUGE_ADMIN_ORGANIZATION:
      return g_strdup ("/v1/organizations/me");
    case GAUGE_ADMIN_COST:
      return g_strdup_printf ("/v1/organizations/cost_report?starting_at=%s&ending_at=%s"
                              "&bucket_width=1d&limit=31"
                              "&group_by%%5B%%5D=workspace_id&group_by%%5B%%5D=description",
                              from, to);
    case GAUGE_ADMIN_MESSAGES:
      /* One call grouped by both: per-model and per-key sums are both read off its rows. */
      return g_strdup_printf ("/v1/organizations/usage_report/messages?starting_at=%s&ending_at=%s"
                              "&bucket_width=1d&limit=31"
                              "&group_by%%5B%%5D=model&group_by%%5B%%5D=api_key_id",
                              from, to);
    case GAUGE_ADMIN_CLAUDE_CODE:
      {
        g_autoptr(GDateTime) utc = g_date_time_to_utc (start);

        day = g_date_time_format (utc, "%Y-%m-%d");
        return g_strdup_printf ("/v1/organizations/usage_report/claude_code?starting_at=%s"
                                "&limit=1000", day);
      }
    case GAUGE_ADMIN_WORKSPACES:
      return g_strdup ("/v1/organizations/workspaces?limit=1000&include_archived=true");
    case GAUGE_ADMIN_USERS:
      return g_strdup ("/v1/organizations/users?limit=1000");
    case GAUGE_ADMIN_API_KEYS:
      return g_strdup ("/v1/organizations/api_keys?limit=1000");
    case GAUGE_ADMIN_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void send_page (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaugeAdminClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GaugeAdminPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *status_error;
  const char *data;
  gsize size;

  body = gauge_http_send_finish (result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, gauge_http_describe_error (error, self->deadline_ms,
                                                            GAUGE_ADMIN_ERROR,
                                                            GAUGE_ADMIN_ERROR_NETWORK,
                                                            GAUGE_ADMIN_ERROR_SERVER));
      return;
    }

  g_debug ("HTTP %u, %" G_GSIZE_FORMAT " bytes", soup_message_get_status (fetch->msg),
           g_bytes_get_size (body));

  status_error = status_to_error (fetch->msg);
  if (status_error != NULL)
    {
      if (g_error_matches (status_error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_RATE_LIMITED))
        {
          SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->msg);
          g_autoptr(GDateTime) now = gauge_clock_now_utc ();

          fetch->retry_after =
            gauge_rate_gate_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                               now);
        }
      g_task_return_error (task, status_error);
      return;
    }

  data = g_bytes_get_data (body, &size);
  page = gauge_admin_page_parse (fetch->kind, data, size, &error);
  if (page == NULL)
    {
      g_task_return_new_error (task, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_INVALID_RESPONSE,
                               _("Anthropic’s answer could not be read: %s"), error->message);
      return;
    }

  for (guint i = 0; fetch->kind == GAUGE_ADMIN_CLAUDE_CODE && i < page->rows->len; i++)
    {
      GaugeAdminCode *row = g_ptr_array_index (page->rows, i);

      if (row->day < 0)
        row->day = fetch->day;
    }
  g_ptr_array_extend_and_steal (fetch->rows, g_steal_pointer (&page->rows));
  page->rows = gauge_admin_rows_new (fetch->kind);

  if (!page->has_more || fetch->kind == GAUGE_ADMIN_ORGANIZATION)
    {
      g_task_return_pointer (task, g_steal_pointer (&fetch->rows), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (fetch->n_pages >= GAUGE_ADMIN_MAX_PAGES ||
      g_hash_table_contains (fetch->cursors, page->next))
    {
      g_task_return_new_error (task, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_INVALID_RESPONSE,
                               _("Anthropic’s answer could not be read: %s"),
                               _("its pages do not end"));
      return;
    }

  g_hash_table_add (fetch->cursors, g_strdup (page->next));
  g_free (fetch->cursor);
  fetch->cursor = g_steal_pointer (&page->next);
  send_page (g_steal_pointer (&task));
}

static void
send_page (GTask *task)
{
  GaugeAdminClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  if (fetch->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (fetch->cursor, NULL, FALSE);

      url = g_strdup_printf ("%s%s&%s=%s", self->base_url, fetch->path,
                             is_report (fetch->kind) ? "page" : "after_id", escaped);
    }
  else
    url = g_strconcat (self->base_url, fetch->path, NULL);

  g_clear_object (&fetch->msg);
  fetch->msg = soup_message_new (SOUP_METHOD_GET, url);
  if (fetch->msg == NULL)
    {
      g_task_return_new_error (task, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_INVALID_RESPONSE,
                               _("Anthropic’s answer could not be read: %s"),
                               _("it points to an address that is not one"));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (fetch->msg);
  soup_message_headers_replace (headers, "x-api-key", fetch->key);
  soup_message_headers_replace (headers, "anthropic-version", API_VERSION);
  soup_message_headers_replace (headers, "Accept", "application/json");

  fetch->n_pages++;
  self->n_requests++;
  g_debug ("GET %s", url);
  gauge_http_send_async (self->session, fetch->msg, self->deadline_ms,
                         g_task_get_cancellable (task), read_cb, task);
}

/**
 * gauge_admin_client_fetch_async:
 * @start: (nullable): cost and messages: the first bucket; claude_code: the
 *   UTC day; lists and the organization: unused
 * @end: (nullable): cost and messages: the end of the last bucket
 */
void
gauge_admin_client_fetch_async (GaugeAdminClient    *self,
                                const char          *key,
                                GaugeAdminKind       kind,
                                GDateTime           *start,
                                GDateTime           *end,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (GAUGE_IS_ADMIN_CLIENT (self));
  g_return_if_fail (kind < GAUGE_ADMIN_N_KINDS);
  g_return_if_fail (!is_report (kind) || start != NULL);
  g_return_if_fail (kind == GAUGE_ADMIN_CLAUDE_CODE || !is_report (kind) || end != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_admin_client_fetch_async);

  fetch = g_new0 (Fetch, 1);
  fetch->kind = kind;
  fetch->retry_after = -1;
  g_task_set_task_data (task, fetch, fetch_free);

  if (!gauge_admin_key_is_well_formed (key))
    {
      g_task_return_new_error (task, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NO_KEY,
                               key == NULL ? _("No Admin API key is set")
                                           : _("This is not an Admin API key"));
      return;
    }

  fetch->key = g_strdup (key);
  fetch->path = build_path (kind, start, end);
  fetch->rows = gauge_admin_rows_new (kind);
  fetch->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fetch->day = start != NULL ? g_date_time_to_unix (start) : -1;
  if (kind == GAUGE_ADMIN_CLAUDE_CODE)
    fetch->day -= fetch->day % 86400;

  send_page (g_steal_pointer (&task));
}

/**
 * gauge_admin_client_fetch_finish:
 * @retry_after: (out) (optional): seconds a 429 asked us to wait, or -1
 *
 * Returns: (transfer full): every row of every page, in the element type of
 *   the kind asked for (see gauge-admin-report.h)
 */
GPtrArray *
gauge_admin_client_fetch_finish (GaugeAdminClient  *self,
                                 GAsyncResult      *result,
                                 gint64            *retry_after,
                                 GError           **error)
{
  Fetch *fetch;

  g_return_val_if_fail (GAUGE_IS_ADMIN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  fetch = g_task_get_task_data (G_TASK (result));
  if (retry_after != NULL)
    *retry_after = fetch->retry_after;

  return g_task_propagate_pointer (G_TASK (result), error);
}
