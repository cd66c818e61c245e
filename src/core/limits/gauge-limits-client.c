/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gauge-clock.h"
#include "gauge-credentials.h"
#include "gauge-format.h"
#include "gauge-http.h"
#include "gauge-json.h"
#include "gauge-rate-gate.h"
#include "gauge-limits-client.h"

#define DEFAULT_BASE_URL "https://api.anthropic.com"

struct _GaugeLimitsClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  guint        deadline_ms;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsClient, gauge_limits_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-limits-error-quark, gauge_limits_error)

static void
gauge_limits_client_finalize (GObject *object)
{
  GaugeLimitsClient *self = (GaugeLimitsClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (gauge_limits_client_parent_class)->finalize (object);
}

static void
gauge_limits_client_class_init (GaugeLimitsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_limits_client_finalize;
}

static void
gauge_limits_client_init (GaugeLimitsClient *self)
{
  self->base_url = gauge_http_choose_base_url ("CLAUDE_GAUGE_API_BASE", DEFAULT_BASE_URL);
  self->session = gauge_http_session_new ();
  self->deadline_ms = GAUGE_HTTP_DEADLINE_MS;
}

GaugeLimitsClient *
gauge_limits_client_new (void)
{
  return g_object_new (GAUGE_TYPE_LIMITS_CLIENT, NULL);
}

const char *
gauge_limits_client_get_base_url (GaugeLimitsClient *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_CLIENT (self), NULL);

  return self->base_url;
}

/* Tests only: the default is 30 seconds. */
void
gauge_limits_client_set_timeout (GaugeLimitsClient *self,
                                 guint             seconds)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

/* Tests only: how long a whole request may take, body included (the default is a minute). */
void
gauge_limits_client_set_deadline (GaugeLimitsClient *self,
                                  guint             milliseconds)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));
  g_return_if_fail (milliseconds > 0);

  self->deadline_ms = milliseconds;
}

static SoupMessage *
create_message (GaugeLimitsClient *self,
                const char       *path,
                const char       *access_token)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", access_token, NULL);
  SoupMessage *msg = soup_message_new (SOUP_METHOD_GET, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "anthropic-beta", "oauth-2025-04-20");
  soup_message_headers_replace (headers, "Accept", "application/json");

  return msg;
}

/* The request's outcome as a GError in our domain, or NULL for a 2xx status. */
static GError *
status_to_error (SoupMessage *msg)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *reason = gauge_format_clean_text (soup_message_get_reason_phrase (msg), FALSE);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return NULL;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_UNAUTHORIZED,
                                  _("Anthropic rejected the sign-in: it has expired or was revoked"));
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new_literal (GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_FORBIDDEN,
                                  _("The sign-in lacks the user:profile scope needed to read usage"));
    case 429: /* Too Many Requests */
      return g_error_new_literal (GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_RATE_LIMITED,
                                  _("Anthropic asked us to slow down (HTTP 429)"));
    default:
      return g_error_new (GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_SERVER,
                          _("Anthropic answered HTTP %u (%s)"), status,
                          reason != NULL && *reason != '\0' ? reason : soup_status_get_phrase (status));
    }
}

typedef struct
{
  SoupMessage *msg;
  gint64       retry_after;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->msg);
  g_free (request);
}

static void
send_request (GaugeLimitsClient    *self,
              const char          *path,
              const char          *access_token,
              GCancellable        *cancellable,
              gpointer             source_tag,
              GAsyncReadyCallback  read_cb,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->msg = create_message (self, path, access_token);
  request->retry_after = -1;
  g_task_set_task_data (task, request, request_free);

  g_debug ("GET %s%s", self->base_url, path);
  gauge_http_send_async (self->session, request->msg, self->deadline_ms, cancellable, read_cb,
                         g_steal_pointer (&task));
}

/* Common handling of a finished request; returns the body of a 2xx response. */
static GBytes *
finish_request (GTask        *task,
                GAsyncResult *result,
                GError      **error)
{
  GaugeLimitsClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *status_error;

  body = gauge_http_send_finish (result, &local_error);
  if (body == NULL)
    {
      g_propagate_error (error, gauge_http_describe_error (local_error, self->deadline_ms,
                                                           GAUGE_LIMITS_ERROR,
                                                           GAUGE_LIMITS_ERROR_NETWORK,
                                                           GAUGE_LIMITS_ERROR_SERVER));
      return NULL;
    }

  g_debug ("HTTP %u, %" G_GSIZE_FORMAT " bytes", soup_message_get_status (request->msg),
           g_bytes_get_size (body));

  status_error = status_to_error (request->msg);
  if (status_error != NULL)
    {
      if (g_error_matches (status_error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_RATE_LIMITED))
        {
          SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);
          g_autoptr(GDateTime) now = gauge_clock_now_utc ();

          request->retry_after =
            gauge_rate_gate_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                               now);
        }
      g_propagate_error (error, status_error);
      return NULL;
    }

  return g_steal_pointer (&body);
}

static void
fetch_usage_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  GaugeLimitsSnapshot *snapshot;
  gsize size;
  const char *data;

  body = finish_request (task, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (body, &size);
  now = gauge_clock_now_utc ();
  snapshot = gauge_limits_snapshot_new_from_json (data, size, GAUGE_SOURCE_OFFICIAL, now, &error);
  if (snapshot == NULL)
    {
      g_task_return_new_error (task, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_INVALID_RESPONSE,
                               _("Anthropic's answer could not be read: %s"), error->message);
      return;
    }

  g_task_return_pointer (task, snapshot, g_object_unref);
}

/**
 * gauge_limits_client_fetch_usage_async:
 *
 * Asks the OAuth usage endpoint for the current limits. Callers are
 * responsible for the rate gate; this function always sends.
 */
void
gauge_limits_client_fetch_usage_async (GaugeLimitsClient    *self,
                                       const char          *access_token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));
  g_return_if_fail (access_token != NULL);

  send_request (self, "/api/oauth/usage", access_token, cancellable,
                gauge_limits_client_fetch_usage_async, fetch_usage_cb, callback, user_data);
}

/**
 * gauge_limits_client_fetch_usage_finish:
 * @retry_after: (out) (optional): seconds the server asked us to wait on a
 *   429, or -1 when it did not say
 */
GaugeLimitsSnapshot *
gauge_limits_client_fetch_usage_finish (GaugeLimitsClient  *self,
                                        GAsyncResult      *result,
                                        gint64            *retry_after,
                                        GError           **error)
{
  Request *request;

  g_return_val_if_fail (GAUGE_IS_LIMITS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (retry_after != NULL)
    *retry_after = request->retry_after;

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  char *plan;
  char *email;
} Profile;

static void
profile_free (gpointer data)
{
  Profile *profile = data;

  g_free (profile->plan);
  g_free (profile->email);
  g_free (profile);
}

static void
fetch_plan_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *organization = NULL;
  JsonObject *account = NULL;
  const char *email;
  Profile *profile;
  gsize size;
  const char *data;

  body = finish_request (task, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (body, &size);
  root = gauge_json_parse (data, size, &error);
  if (root == NULL)
    {
      g_task_return_new_error (task, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_INVALID_RESPONSE,
                               _("Anthropic's answer could not be read: %s"), error->message);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      organization = gauge_json_get_object (json_node_get_object (root), "organization");
      account = gauge_json_get_object (json_node_get_object (root), "account");
    }

  profile = g_new0 (Profile, 1);
  if (organization != NULL)
    profile->plan = gauge_plan_name_from_tier (gauge_json_get_string (organization,
                                                                      "organization_type"),
                                               gauge_json_get_string (organization,
                                                                      "rate_limit_tier"));
  else
    profile->plan = gauge_plan_name_from_tier (NULL, NULL);
  email = account != NULL ? gauge_json_get_string (account, "email") : NULL;
  if (email != NULL && *email != '\0')
    profile->email = gauge_format_clean_text (email, FALSE);
  g_task_return_pointer (task, profile, profile_free);
}

/* Reads the plan name (Pro, Max 5x, …) and the account's e-mail from the profile endpoint. */
void
gauge_limits_client_fetch_plan_async (GaugeLimitsClient    *self,
                                      const char          *access_token,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));
  g_return_if_fail (access_token != NULL);

  send_request (self, "/api/oauth/profile", access_token, cancellable,
                gauge_limits_client_fetch_plan_async, fetch_plan_cb, callback, user_data);
}

/*
 * Returns the plan name, or %NULL without an error when the profile names
 * none; @email (optional) gets account.email, or %NULL when absent or null.
 */
char *
gauge_limits_client_fetch_plan_finish (GaugeLimitsClient  *self,
                                       GAsyncResult      *result,
                                       char             **email,
                                       GError           **error)
{
  Profile *profile;
  char *plan;

  g_return_val_if_fail (GAUGE_IS_LIMITS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (email != NULL)
    *email = NULL;
  profile = g_task_propagate_pointer (G_TASK (result), error);
  if (profile == NULL)
    return NULL;

  plan = g_steal_pointer (&profile->plan);
  if (email != NULL)
    *email = g_steal_pointer (&profile->email);
  profile_free (profile);
  return plan;
}
