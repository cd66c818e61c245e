/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * What the API clients (GaugeLimitsClient, GaugeAdminClient) share: the base URL policy, one
 * session, and one way to send a request whose answer is bounded in size (counted after
 * decompression) and in time (headers and body together), that never follows a redirect, and
 * whose failures come back in the client's own error domain with the words the user reads.
 */

/* Real answers are a few KB (usage) to about a megabyte (an Admin API page of 1000 rows). */
#define GAUGE_HTTP_MAX_BODY    (8 * 1000 * 1000)
#define GAUGE_HTTP_DEADLINE_MS (60 * 1000)

/* The failures every client tells apart; each maps them to codes of its error domain. */
typedef enum
{
  GAUGE_HTTP_UNAUTHORIZED,     /* 401 */
  GAUGE_HTTP_FORBIDDEN,        /* 403 */
  GAUGE_HTTP_RATE_LIMITED,     /* 429 */
  GAUGE_HTTP_SERVER,           /* other statuses; answers no API gives (too large, a redirect) */
  GAUGE_HTTP_NETWORK,          /* could not connect, timeouts */
  GAUGE_HTTP_INVALID_RESPONSE, /* a 2xx whose body cannot be read */
  GAUGE_HTTP_N_FAILURES,
} GaugeHttpFailure;

/* An API as a client describes it; its sentences are marked for translation, translated here. */
typedef struct
{
  const char  *base_url_env;                 /* tests point it elsewhere */
  GQuark     (*error_quark) (void);
  int          codes[GAUGE_HTTP_N_FAILURES]; /* the domain's code for each GaugeHttpFailure */
  const char  *unauthorized;                 /* what a 401 means */
  const char  *forbidden;                    /* a 403 */
  const char  *rate_limited;                 /* a 429 */
  const char  *other_status;                 /* any other status: takes it (%u), a phrase (%s) */
  gboolean     quote_reason;                 /* the phrase: the server's (cleaned), not libsoup's */
} GaugeHttpApi;

typedef struct _GaugeHttp GaugeHttp;

/* Reads a 2xx body into what the client hands back; %NULL with @error when it cannot. */
typedef gpointer (*GaugeHttpParseFunc) (const char  *data,
                                        gsize        length,
                                        gpointer     user_data,
                                        GError     **error);

GaugeHttp   *gauge_http_new               (const GaugeHttpApi *api);
void         gauge_http_free              (GaugeHttp          *self);
const char  *gauge_http_get_base_url      (GaugeHttp          *self);
void         gauge_http_set_timeout       (GaugeHttp          *self,
                                           guint               seconds);
void         gauge_http_set_deadline      (GaugeHttp          *self,
                                           guint               milliseconds);
SoupMessage *gauge_http_new_get           (GaugeHttp          *self,
                                           const char         *path);
void         gauge_http_send_async        (GaugeHttp          *self,
                                           SoupMessage        *msg,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gpointer     gauge_http_send_finish       (GaugeHttp          *self,
                                           GAsyncResult       *result,
                                           GaugeHttpParseFunc  parse,
                                           gpointer            user_data,
                                           gint64             *retry_after,
                                           GError            **error);
GError      *gauge_http_new_unreadable    (GaugeHttp          *self,
                                           const char         *why);
gint64       gauge_http_parse_retry_after (const char         *value,
                                           GDateTime          *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeHttp, gauge_http_free)

G_END_DECLS
