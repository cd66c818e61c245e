/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-http"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-http.h"

/* libsoup's own timeout: it restarts with every byte, so it only catches a silent peer. */
#define IDLE_TIMEOUT 30 /* seconds */
#define READ_CHUNK   (64 * 1024)

G_DEFINE_QUARK (gauge-http-error-quark, gauge_http_error)

gboolean
gauge_http_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* @env_var is for tests: https anywhere, plain http only on loopback; else @default_url. */
char *
gauge_http_choose_base_url (const char *env_var,
                            const char *default_url)
{
  const char *env = g_getenv (env_var);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (env == NULL || *env == '\0')
    return g_strdup (default_url);

  uri = g_uri_parse (env, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (g_strcmp0 (scheme, "https") == 0 ||
      (g_strcmp0 (scheme, "http") == 0 && gauge_http_is_loopback_host (g_uri_get_host (uri))))
    {
      g_autofree char *ret = g_strdup (env);
      gsize len = strlen (ret);

      while (len > 0 && ret[len - 1] == '/')
        ret[--len] = '\0';
      return g_steal_pointer (&ret);
    }

  g_warning ("Ignoring %s: only https, or http on loopback, is allowed", env_var);
  return g_strdup (default_url);
}

/* The session both clients use: one user agent, libsoup's content decoder (gzip, deflate,
 * brotli), whose output is what gauge_http_send_async() counts. */
SoupSession *
gauge_http_session_new (void)
{
  return soup_session_new_with_options ("timeout", IDLE_TIMEOUT,
                                        "user-agent", "claude-gauge/" PACKAGE_VERSION,
                                        NULL);
}

typedef struct
{
  SoupSession  *session;
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *cancellable;  /* ours: cancelled by the caller's or by the deadline */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *deadline;
  gboolean      timed_out;
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

/* The deadline cancels our operations: their "cancelled" is then our "too late". */
static void
return_error (GTask  *task,
              GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      error = g_error_new_literal (GAUGE_HTTP_ERROR, GAUGE_HTTP_ERROR_DEADLINE,
                                   _("the whole answer did not arrive in time"));
    }

  g_task_return_error (task, error);
}

static void
return_too_large (GTask *task)
{
  g_autofree char *size = g_format_size (GAUGE_HTTP_MAX_BODY);

  g_debug ("Answer larger than %s; stopped reading", size);
  g_task_return_new_error (task, GAUGE_HTTP_ERROR, GAUGE_HTTP_ERROR_TOO_LARGE,
                           _("it is larger than %s, far more than any real answer"), size);
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
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&request->body)),
                             (GDestroyNotify) g_bytes_unref);
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
      g_debug ("HTTP %u: not following the redirect", status);
      g_task_return_new_error (task, GAUGE_HTTP_ERROR, GAUGE_HTTP_ERROR_REDIRECT,
                               _("it sends us elsewhere (HTTP %u), and Claude Gauge follows "
                                 "no redirects"), status);
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
 * @deadline_ms: how long the whole request may take, body included; usually
 *   %GAUGE_HTTP_DEADLINE_MS (tests pass less)
 *
 * Sends @msg without following redirects and reads its body, whatever the status, up to
 * %GAUGE_HTTP_MAX_BODY bytes after decompression. The status and headers are then on @msg.
 */
void
gauge_http_send_async (SoupSession         *session,
                       SoupMessage         *msg,
                       guint                deadline_ms,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (deadline_ms > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_http_send_async);

  request = g_new0 (Request, 1);
  request->session = g_object_ref (session);
  request->msg = g_object_ref (msg);
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, request_free);

  if (cancellable != NULL)
    {
      request->caller = g_object_ref (cancellable);
      request->caller_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (caller_cancelled_cb),
                                                       g_object_ref (request->cancellable),
                                                       g_object_unref);
    }

  request->deadline = g_timeout_source_new (deadline_ms);
  g_source_set_callback (request->deadline, deadline_cb, request, NULL);
  g_source_set_static_name (request->deadline, "[gauge-http] deadline");
  g_source_attach (request->deadline, g_task_get_context (task));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, request->cancellable, send_cb,
                           g_steal_pointer (&task));
}

/**
 * gauge_http_send_finish:
 *
 * Returns: (transfer full): the body, or %NULL with @error set: %GAUGE_HTTP_ERROR, a
 *   transport error from libsoup (%G_IO_ERROR_TIMED_OUT when the server went quiet), or
 *   %G_IO_ERROR_CANCELLED
 */
GBytes *
gauge_http_send_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gauge_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gauge_http_describe_error:
 * @error: from gauge_http_send_finish()
 * @deadline_ms: the deadline the request had
 * @domain: the client's error domain
 * @network_code: its code for "could not reach", timeouts included
 * @server_code: its code for an answer that is not what an API answers (too large, a redirect),
 *   so that the caller backs off as from a server error
 *
 * Returns: (transfer full): what the user reads; %G_IO_ERROR_CANCELLED stays as it is
 */
GError *
gauge_http_describe_error (const GError *error,
                           guint         deadline_ms,
                           GQuark        domain,
                           int           network_code,
                           int           server_code)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (domain, network_code, _("Anthropic did not answer in time"));

  if (g_error_matches (error, GAUGE_HTTP_ERROR, GAUGE_HTTP_ERROR_DEADLINE))
    {
      guint seconds = (deadline_ms + 999) / 1000;

      return g_error_new (domain, network_code,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Anthropic did not send its whole answer within %u second",
                                       "Anthropic did not send its whole answer within %u seconds",
                                       seconds),
                          seconds);
    }

  if (error->domain == GAUGE_HTTP_ERROR)
    return g_error_new (domain, server_code, _("Anthropic’s answer could not be read: %s"),
                        error->message);

  return g_error_new (domain, network_code, _("Could not reach Anthropic: %s"), error->message);
}
