/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "gauge-admin-client.h"
#include "gauge-admin-key.h"
#include "gauge-format.h"
#include "gauge-http.h"

#define API_VERSION "2023-06-01"

struct _GaugeAdminClient
{
  GObject    parent_instance;

  GaugeHttp *http;
};

G_DEFINE_FINAL_TYPE (GaugeAdminClient, gauge_admin_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-admin-error-quark, gauge_admin_client_error)

/* The server's reason phrase is never quoted: an error page could echo the key back. */
static const GaugeHttpApi api = {
  .base_url_env = "CLAUDE_GAUGE_ADMIN_API_BASE",
  .error_quark = gauge_admin_client_error_quark,
  .codes = {
    GAUGE_ADMIN_ERROR_UNAUTHORIZED, GAUGE_ADMIN_ERROR_FORBIDDEN, GAUGE_ADMIN_ERROR_RATE_LIMITED,
    GAUGE_ADMIN_ERROR_SERVER, GAUGE_ADMIN_ERROR_NETWORK, GAUGE_ADMIN_ERROR_INVALID_RESPONSE,
  },
  .unauthorized = N_("Anthropic rejected the Admin API key: it is wrong or was revoked"),
  .forbidden = N_("The Admin API key may not read this organization’s usage and cost"),
  .rate_limited = N_("Anthropic asked us to slow down (HTTP 429); trying again later"),
  .other_status = N_("Anthropic’s Admin API is not answering normally (HTTP %u, %s)"),
  .quote_reason = FALSE,
};

static void
gauge_admin_client_finalize (GObject *object)
{
  GaugeAdminClient *self = (GaugeAdminClient *)object;

  g_clear_pointer (&self->http, gauge_http_free);

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
  self->http = gauge_http_new (&api);
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

  return gauge_http_get_base_url (self->http);
}

/* Tests only: how long one page may take, body included (the default is a minute). */
void
gauge_admin_client_set_deadline (GaugeAdminClient *self,
                                 guint             milliseconds)
{
  g_return_if_fail (GAUGE_IS_ADMIN_CLIENT (self));

  gauge_http_set_deadline (self->http, milliseconds);
}

typedef struct
{
  GaugeAdminKind  kind;
  char           *key;
  char           *path;      /* with the fixed part of the query */
  char           *cursor;
  GPtrArray      *rows;
  GHashTable     *cursors;   /* seen, so that a server looping on a cursor cannot hold us */
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
  g_free (fetch);
}

static gboolean
is_report (GaugeAdminKind kind)
{
  return kind == GAUGE_ADMIN_COST || kind == GAUGE_ADMIN_MESSAGES ||
         kind == GAUGE_ADMIN_CLAUDE_CODE;
}

/* The path and fixed query of @kind. `[]` is escaped: it is not allowed bare in a query. */
static char *
build_path (GaugeAdminKind  kind,
            GDateTime      *start,
            GDateTime      *end)
{
  g_autofree char *from = gauge_format_iso8601 (start);
  g_autofree char *to = gauge_format_iso8601 (end);
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
      day = gauge_admin_format_day (g_date_time_to_unix (start));
      return g_strdup_printf ("/v1/organizations/usage_report/claude_code?starting_at=%s"
                              "&limit=1000", day);
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

static gpointer
parse_page (const char  *data,
            gsize        length,
            gpointer     user_data,
            GError     **error)
{
  return gauge_admin_page_parse (GPOINTER_TO_INT (user_data), data, length, error);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaugeAdminClient *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GaugeAdminPage) page = NULL;
  GError *error = NULL;

  page = gauge_http_send_finish (self->http, result, parse_page, GINT_TO_POINTER (fetch->kind),
                                 &fetch->retry_after, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; fetch->kind == GAUGE_ADMIN_CLAUDE_CODE && i < page->rows->len; i++)
    {
      GaugeAdminCode *row = g_ptr_array_index (page->rows, i);

      if (row->day < 0)
        row->day = fetch->day;
    }
  g_ptr_array_extend_and_steal (fetch->rows, g_steal_pointer (&page->rows));

  if (!page->has_more || fetch->kind == GAUGE_ADMIN_ORGANIZATION)
    {
      g_task_return_pointer (task, g_steal_pointer (&fetch->rows),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  if (fetch->n_pages >= GAUGE_ADMIN_MAX_PAGES ||
      g_hash_table_contains (fetch->cursors, page->next))
    {
      g_task_return_error (task, gauge_http_new_unreadable (self->http,
                                                            _("its pages do not end")));
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
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *path = NULL;
  SoupMessageHeaders *headers;

  if (fetch->cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (fetch->cursor, NULL, FALSE);

      path = g_strdup_printf ("%s&%s=%s", fetch->path,
                              is_report (fetch->kind) ? "page" : "after_id", escaped);
    }

  msg = gauge_http_new_get (self->http, path != NULL ? path : fetch->path);
  if (msg == NULL)
    {
      g_task_return_error (task, gauge_http_new_unreadable (self->http,
                                                            _("it points to an address that is "
                                                              "not one")));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "x-api-key", fetch->key);
  soup_message_headers_replace (headers, "anthropic-version", API_VERSION);

  fetch->n_pages++;
  gauge_http_send_async (self->http, msg, g_task_get_cancellable (task), read_cb, task);
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
  fetch->rows = gauge_admin_rows_new ();
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
