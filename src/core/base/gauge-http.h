/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * What the API clients (GaugeLimitsClient, GaugeAdminClient) share: the base URL policy, and
 * one way to send a request whose answer is bounded in size (counted after decompression) and
 * in time (headers and body together), and that never follows a redirect.
 */

/* Real answers are a few KB (usage) to about a megabyte (an Admin API page of 1000 rows). */
#define GAUGE_HTTP_MAX_BODY    (8 * 1000 * 1000)
#define GAUGE_HTTP_DEADLINE_MS (60 * 1000)

#define GAUGE_HTTP_ERROR (gauge_http_error_quark ())

/* Their messages complete "Anthropic’s answer could not be read: …" (or, for the deadline,
 * "… did not answer in time: …"). */
typedef enum
{
  GAUGE_HTTP_ERROR_TOO_LARGE, /* the body passed GAUGE_HTTP_MAX_BODY */
  GAUGE_HTTP_ERROR_REDIRECT,  /* a 3xx: not followed */
  GAUGE_HTTP_ERROR_DEADLINE,  /* no whole answer within the deadline */
} GaugeHttpError;

GQuark       gauge_http_error_quark      (void);
gboolean     gauge_http_is_loopback_host (const char         *host);
char        *gauge_http_choose_base_url  (const char         *env_var,
                                          const char         *default_url);
SoupSession *gauge_http_session_new      (void);
void         gauge_http_send_async       (SoupSession        *session,
                                          SoupMessage        *msg,
                                          guint               deadline_ms,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
GBytes      *gauge_http_send_finish      (GAsyncResult       *result,
                                          GError            **error);
GError      *gauge_http_describe_error   (const GError       *error,
                                          guint               deadline_ms,
                                          GQuark              domain,
                                          int                 network_code,
                                          int                 server_code);

G_END_DECLS
