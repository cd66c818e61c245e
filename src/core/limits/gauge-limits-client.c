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
#include "gauge-limits-client.h"

struct _GaugeLimitsClient
{
  GObject    parent_instance;

  GaugeHttp *http;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsClient, gauge_limits_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (gauge-limits-error-quark, gauge_limits_error)

static const GaugeHttpApi api = {
  .base_url_env = "CLAUDE_GAUGE_API_BASE",
  .error_quark = gauge_limits_error_quark,
  .codes = {
    GAUGE_LIMITS_ERROR_UNAUTHORIZED, GAUGE_LIMITS_ERROR_FORBIDDEN, GAUGE_LIMITS_ERROR_RATE_LIMITED,
    GAUGE_LIMITS_ERROR_SERVER, GAUGE_LIMITS_ERROR_NETWORK, GAUGE_LIMITS_ERROR_INVALID_RESPONSE,
  },
  .unauthorized = N_("Anthropic rejected the sign-in: it has expired or was revoked"),
  .forbidden = N_("The sign-in lacks the user:profile scope needed to read usage"),
  .rate_limited = N_("Anthropic asked us to slow down (HTTP 429)"),
  .other_status = N_("Anthropic answered HTTP %u (%s)"),
  .quote_reason = TRUE,
};

static void
gauge_limits_client_finalize (GObject *object)
{
  GaugeLimitsClient *self = (GaugeLimitsClient *)object;

  g_clear_pointer (&self->http, gauge_http_free);

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
  self->http = gauge_http_new (&api);
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

  return gauge_http_get_base_url (self->http);
}

/* Tests only: the default is 30 seconds. */
void
gauge_limits_client_set_timeout (GaugeLimitsClient *self,
                                 guint             seconds)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));

  gauge_http_set_timeout (self->http, seconds);
}

/* Tests only: how long a whole request may take, body included (the default is a minute). */
void
gauge_limits_client_set_deadline (GaugeLimitsClient *self,
                                  guint             milliseconds)
{
  g_return_if_fail (GAUGE_IS_LIMITS_CLIENT (self));

  gauge_http_set_deadline (self->http, milliseconds);
}

/* How an endpoint's answer is read, and its result freed. */
typedef struct
{
  GaugeHttpParseFunc parse;
  GDestroyNotify     free_result;
  gint64             retry_after;   /* for fetch_usage_finish() */
} Request;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaugeLimitsClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer parsed;

  parsed = gauge_http_send_finish (self->http, result, request->parse, NULL,
                                   &request->retry_after, &error);
  if (parsed == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parsed, request->free_result);
}

static void
send_request (GaugeLimitsClient    *self,
              const char          *path,
              const char          *access_token,
              GaugeHttpParseFunc   parse,
              GDestroyNotify       free_result,
              GCancellable        *cancellable,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = gauge_http_new_get (self->http, path);
  g_autofree char *authorization = g_strconcat ("Bearer ", access_token, NULL);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->parse = parse;
  request->free_result = free_result;
  request->retry_after = -1;
  g_task_set_task_data (task, request, g_free);

  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "anthropic-beta", "oauth-2025-04-20");
  gauge_http_send_async (self->http, msg, cancellable, read_cb, g_steal_pointer (&task));
}

static gpointer
parse_usage (const char  *data,
             gsize        length,
             gpointer     user_data,
             GError     **error)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();

  return gauge_limits_snapshot_new_from_json (data, length, GAUGE_SOURCE_OFFICIAL, now, error);
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

  send_request (self, "/api/oauth/usage", access_token, parse_usage, g_object_unref, cancellable,
                gauge_limits_client_fetch_usage_async, callback, user_data);
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

/* Any JSON is a profile; what it does not hold reads as unknown. */
static gpointer
parse_profile (const char  *data,
               gsize        length,
               gpointer     user_data,
               GError     **error)
{
  g_autoptr(JsonNode) root = gauge_json_parse (data, length, error);
  JsonObject *organization = NULL;
  JsonObject *account = NULL;
  const char *email;
  Profile *profile;

  if (root == NULL)
    return NULL;

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

  return profile;
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

  send_request (self, "/api/oauth/profile", access_token, parse_profile, profile_free,
                cancellable, gauge_limits_client_fetch_plan_async, callback, user_data);
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
