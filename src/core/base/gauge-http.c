/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-http"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-http.h"

#define DEFAULT_BASE_URL "https://api.anthropic.com"

/* libsoup's own timeout: it restarts with every byte, so it only catches a silent peer. */
#define IDLE_TIMEOUT 30 /* seconds */
#define READ_CHUNK   (64 * 1024)

struct _GaugeHttp
{
  const GaugeHttpApi *api;
  SoupSession        *session;
  char               *base_url;
  guint               deadline_ms;
};

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* @env_var is for tests: https anywhere, plain http only on loopback; else Anthropic's. */
static char *
choose_base_url (const char *env_var)
{
  const char *env = g_getenv (env_var);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (env == NULL || *env == '\0')
    return g_strdup (DEFAULT_BASE_URL);

  uri = g_uri_parse (env, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (g_strcmp0 (scheme, "https") == 0 ||
      (g_strcmp0 (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri))))
    {
      g_autofree char *ret = g_strdup (env);
      gsize len = strlen (ret);

      while (len > 0 && ret[len - 1] == '/')
        ret[--len] = '\0';
      return g_steal_pointer (&ret);
    }

  g_warning ("Ignoring %s: only https, or http on loopback, is allowed", env_var);
  return g_strdup (DEFAULT_BASE_URL);
}

/**
 * gauge_http_new:
 * @api: (not nullable): lives as long as the program (a static const)
 *
 * One user agent, libsoup's content decoder (gzip, deflate, brotli), whose output is what
 * gauge_http_send_async() counts, and the base URL from @api's environment variable.
 */
GaugeHttp *
gauge_http_new (const GaugeHttpApi *api)
{
  GaugeHttp *self;

  g_return_val_if_fail (api != NULL, NULL);

  self = g_new0 (GaugeHttp, 1);
  self->api = api;
  self->base_url = choose_base_url (api->base_url_env);
  self->session = soup_session_new_with_options ("timeout", IDLE_TIMEOUT,
                                                 "user-agent", "claude-gauge/" PACKAGE_VERSION,
                                                 NULL);
  self->deadline_ms = GAUGE_HTTP_DEADLINE_MS;

  return self;
}

/* Requests in flight keep what they need; they end on their own. */
void
gauge_http_free (GaugeHttp *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self);
}

const char *
gauge_http_get_base_url (GaugeHttp *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->base_url;
}

/* Tests only: how long the server may stay silent (the default is 30 seconds). */
void
gauge_http_set_timeout (GaugeHttp *self,
                        guint      seconds)
{
  g_return_if_fail (self != NULL);

  soup_session_set_timeout (self->session, seconds);
}

/* Tests only: how long a whole request may take, body included (the default is a minute). */
void
gauge_http_set_deadline (GaugeHttp *self,
                         guint      milliseconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (milliseconds > 0);

  self->deadline_ms = milliseconds;
}

/**
 * gauge_http_new_get:
 * @path: the path and query after the base URL
 *
 * Returns: (transfer full) (nullable): a GET that asks for JSON, or %NULL when the base URL
 *   and @path make no address (a cursor from the server may be anything)
 */
SoupMessage *
gauge_http_new_get (GaugeHttp  *self,
                    const char *path)
{
  g_autofree char *url = NULL;
  SoupMessage *msg;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  url = g_strconcat (self->base_url, path, NULL);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                  "application/json");

  return msg;
}

/* The sentence every unreadable answer shares, in the client's domain. */
static GError *
new_unreadable (const GaugeHttpApi *api,
                GaugeHttpFailure    failure,
                const char         *why)
{
  return g_error_new (api->error_quark (), api->codes[failure],
                      _("Anthropic’s answer could not be read: %s"), why);
}

/**
 * gauge_http_new_unreadable:
 * @why: what is wrong with the answer, completing "Anthropic’s answer could not be read: …"
 *
 * Returns: (transfer full): an error of the client's domain, for a 2xx it cannot use
 */
GError *
gauge_http_new_unreadable (GaugeHttp  *self,
                           const char *why)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (why != NULL, NULL);

  return new_unreadable (self->api, GAUGE_HTTP_INVALID_RESPONSE, why);
}

typedef struct
{
  const GaugeHttpApi *api;
  SoupSession        *session;
  SoupMessage        *msg;
  GInputStream       *stream;
  GByteArray         *body;
  GCancellable       *cancellable;  /* ours: cancelled by the caller's or by the deadline */
  GCancellable       *caller;
  gulong              caller_handler;
  GSource            *deadline;
  guint               deadline_ms;
  gboolean            timed_out;
  gint64              retry_after;
} Request;

static void
stream_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SoupSession) session = user_data;

  g_input_stream_close_finish (G_INPUT_STREAM (object), result, NULL);
}

static void
request_free (gpointer data)
{
  Request *request = data;

  /* A body left unread (too large, a redirect, the deadline): libsoup drops the connection
   * when the stream closes, and needs its session until then. */
  if (request->stream != NULL && !g_input_stream_is_closed (request->stream))
    g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, stream_closed_cb,
                                g_object_ref (request->session));

  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_source_unref (request->deadline);
    }
  if (request->caller != NULL)
    {
      g_cancellable_disconnect (request->caller, request->caller_handler);
      g_object_unref (request->caller);
    }
  g_clear_object (&request->stream);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->msg);
  g_clear_object (&request->session);
  g_free (request);
}

static gboolean
deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

/* A transport error in the client's words. The deadline cancels our operations: their
 * "cancelled" is then our "too late"; the caller's own cancellation stays as it is. */
static void
return_error (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);
  GQuark domain = request->api->error_quark ();
  int network = request->api->codes[GAUGE_HTTP_NETWORK];

  if (request->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint seconds = (request->deadline_ms + 999) / 1000;

      g_task_return_new_error (task, domain, network,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Anthropic did not send its whole answer "
                                            "within %u second",
                                            "Anthropic did not send its whole answer "
                                            "within %u seconds",
                                            seconds),
                               seconds);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_task_return_new_error (task, domain, network, _("Anthropic did not answer in time"));
  else
    g_task_return_new_error (task, domain, network, _("Could not reach Anthropic: %s"),
                             error->message);

  g_clear_error (&error);
}

/* An answer no API gives: the caller backs off as from a server error. */
static void
return_unreadable (GTask      *task,
                   const char *why)
{
  Request *request = g_task_get_task_data (task);

  g_task_return_error (task, new_unreadable (request->api, GAUGE_HTTP_SERVER, why));
}

static void
return_too_large (GTask *task)
{
  g_autofree char *size = g_format_size (GAUGE_HTTP_MAX_BODY);
  g_autofree char *why = NULL;

  g_debug ("Answer larger than %s; stopped reading", size);
  why = g_strdup_printf (_("it is larger than %s, far more than any real answer"), size);
  return_unreadable (task, why);
}

/* Every status but a 2xx in the client's words; the body is never quoted (an error page
 * could echo a key back). */
static GError *
new_status_error (const GaugeHttpApi *api,
                  SoupMessage        *msg)
{
  guint status = soup_message_get_status (msg);
  GQuark domain = api->error_quark ();
  g_autofree char *reason = NULL;
  const char *phrase;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_error_new_literal (domain, api->codes[GAUGE_HTTP_UNAUTHORIZED],
                                  _(api->unauthorized));
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new_literal (domain, api->codes[GAUGE_HTTP_FORBIDDEN], _(api->forbidden));
    case 429: /* Too Many Requests */
      return g_error_new_literal (domain, api->codes[GAUGE_HTTP_RATE_LIMITED],
                                  _(api->rate_limited));
    default:
      break;
    }

  if (api->quote_reason)
    reason = gauge_format_clean_text (soup_message_get_reason_phrase (msg), FALSE);
  phrase = reason != NULL && *reason != '\0' ? reason : soup_status_get_phrase (status);

  /* The API's sentence takes the status and a phrase, as GaugeHttpApi says. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_error_new (domain, api->codes[GAUGE_HTTP_SERVER], _(api->other_status), status, phrase);
#pragma GCC diagnostic pop
}

/* The whole body is in: a 2xx hands it over, any other status is an error. */
static void
return_answer (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->msg);

  g_debug ("HTTP %u, %u bytes", status, request->body->len);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&request->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (status == 429)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (request->msg);
      g_autoptr(GDateTime) now = gauge_clock_now_utc ();

      request->retry_after =
        gauge_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"), now);
    }

  g_task_return_error (task, new_status_error (request->api, request->msg));
}

static void read_more (GTask *task);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n;
  guint len;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  len = request->body->len - READ_CHUNK;
  if (n < 0)
    {
      return_error (task, error);
      return;
    }

  g_byte_array_set_size (request->body, len + n);
  if (request->body->len > GAUGE_HTTP_MAX_BODY)
    {
      return_too_large (task);
      return;
    }

  if (n == 0)
    {
      return_answer (task);
      return;
    }

  read_more (g_steal_pointer (&task));
}

/* Reads into the end of the body; one byte past the cap is enough to know it is too large. */
static void
read_more (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint len = request->body->len;

  g_byte_array_set_size (request->body, len + READ_CHUNK);
  g_input_stream_read_async (request->stream, request->body->data + len,
                             MIN (READ_CHUNK, GAUGE_HTTP_MAX_BODY + 1 - len),
                             G_PRIORITY_DEFAULT, request->cancellable, read_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;

  request->stream = soup_session_send_finish (request->session, result, &error);
  if (request->stream == NULL)
    {
      return_error (task, error);
      return;
    }

  status = soup_message_get_status (request->msg);
  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autofree char *why = NULL;

      g_debug ("HTTP %u: not following the redirect", status);
      why = g_strdup_printf (_("it sends us elsewhere (HTTP %u), and Claude Gauge follows "
                               "no redirects"), status);
      return_unreadable (task, why);
      return;
    }

  headers = soup_message_get_response_headers (request->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > GAUGE_HTTP_MAX_BODY)
    {
      return_too_large (task);
      return;
    }

  request->body = g_byte_array_new ();
  read_more (g_steal_pointer (&task));
}

/**
 * gauge_http_send_async:
 * @msg: from gauge_http_new_get(), with the client's own headers added
 *
 * Sends @msg without following redirects and reads its body, whatever the status, up to
 * %GAUGE_HTTP_MAX_BODY bytes after decompression, within the deadline (a minute; tests set
 * less with gauge_http_set_deadline()).
 */
void
gauge_http_send_async (GaugeHttp           *self,
                       SoupMessage         *msg,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  Request *request;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_MESSAGE (msg));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_http_send_async);

  request = g_new0 (Request, 1);
  request->api = self->api;
  request->session = g_object_ref (self->session);
  request->msg = g_object_ref (msg);
  request->cancellable = g_cancellable_new ();
  request->deadline_ms = self->deadline_ms;
  request->retry_after = -1;
  g_task_set_task_data (task, request, request_free);

  if (cancellable != NULL)
    {
      request->caller = g_object_ref (cancellable);
      request->caller_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (caller_cancelled_cb),
                                                       g_object_ref (request->cancellable),
                                                       g_object_unref);
    }

  request->deadline = g_timeout_source_new (self->deadline_ms);
  g_source_set_callback (request->deadline, deadline_cb, request, NULL);
  g_source_set_static_name (request->deadline, "[gauge-http] deadline");
  g_source_attach (request->deadline, g_task_get_context (task));

  uri = g_uri_to_string (soup_message_get_uri (msg));
  g_debug ("GET %s", uri);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, request->cancellable,
                           send_cb, g_steal_pointer (&task));
}

/**
 * gauge_http_send_finish:
 * @parse: reads the body of a 2xx answer
 * @retry_after: (out) (optional): after a 429, the seconds its Retry-After asked for; else -1
 *
 * Returns: (transfer full): what @parse made of the body, or %NULL with @error set in the
 *   client's domain (%G_IO_ERROR_CANCELLED when the caller cancelled); a body @parse cannot
 *   read is "Anthropic’s answer could not be read: …"
 */
gpointer
gauge_http_send_finish (GaugeHttp           *self,
                        GAsyncResult        *result,
                        GaugeHttpParseFunc   parse,
                        gpointer             user_data,
                        gint64              *retry_after,
                        GError             **error)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) parse_error = NULL;
  Request *request;
  gpointer parsed;
  const char *data;
  gsize length;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gauge_http_send_async, NULL);
  g_return_val_if_fail (parse != NULL, NULL);

  request = g_task_get_task_data (G_TASK (result));
  if (retry_after != NULL)
    *retry_after = request->retry_after;

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &length);
  parsed = parse (data, length, user_data, &parse_error);
  if (parsed == NULL)
    g_propagate_error (error, gauge_http_new_unreadable (self, parse_error->message));

  return parsed;
}

static gint64
parse_delta_seconds (const char *value)
{
  guint64 seconds = 0;

  /* g_ascii_string_to_unsigned() accepts no sign, spaces or trailing junk. */
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return -1;

  if (seconds == 0)
    return -1;

  return (gint64) MIN (seconds, (guint64) G_MAXINT32);
}

static gint64
parse_http_date (const char *value,
                 GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  GTimeSpan diff;

  /* libsoup is lenient: it would read "5 apples" as a date. Real HTTP dates
   * (IMF-fixdate, RFC 850, asctime) all carry letters and a time of day. */
  if (strchr (value, ':') == NULL)
    return -1;

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;

  diff = g_date_time_difference (date, now);
  if (diff <= 0)
    return -1;

  /* Round up: the server named a second, going early would be rude. */
  return MAX (1, (diff + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND);
}

/**
 * gauge_http_parse_retry_after:
 * @value: (nullable): the Retry-After header
 * @now: the current time
 *
 * Returns: seconds to wait (at least 1), or -1 when the header is absent,
 *   zero, in the past or unreadable. `retry-after: 0` counts as absent: the
 *   endpoint sends it while still rate-limiting.
 */
gint64
gauge_http_parse_retry_after (const char *value,
                              GDateTime  *now)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (now != NULL, -1);

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    return -1;

  if (g_ascii_isdigit (*trimmed))
    {
      gint64 seconds = parse_delta_seconds (trimmed);

      if (seconds != -1 || strchr (trimmed, ':') == NULL)
        return seconds;
    }

  return parse_http_date (trimmed, now);
}
