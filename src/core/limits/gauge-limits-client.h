/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"
#include "gauge-limits-snapshot.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMITS_CLIENT (gauge_limits_client_get_type ())
#define GAUGE_LIMITS_ERROR (gauge_limits_error_quark ())

typedef enum
{
  GAUGE_LIMITS_ERROR_UNAUTHORIZED,     /* 401 */
  GAUGE_LIMITS_ERROR_FORBIDDEN,        /* 403 */
  GAUGE_LIMITS_ERROR_RATE_LIMITED,     /* 429 */
  GAUGE_LIMITS_ERROR_SERVER,           /* 5xx and other statuses */
  GAUGE_LIMITS_ERROR_NETWORK,          /* could not connect, timeout */
  GAUGE_LIMITS_ERROR_INVALID_RESPONSE, /* 200 with a body we cannot read */
} GaugeLimitsError;

G_DECLARE_FINAL_TYPE (GaugeLimitsClient, gauge_limits_client, GAUGE, LIMITS_CLIENT, GObject)

/* Talks to the OAuth usage and profile endpoints ($CLAUDE_GAUGE_API_BASE for tests). */
GQuark               gauge_limits_error_quark               (void);
GaugeLimitsClient   *gauge_limits_client_new                (void);
const char          *gauge_limits_client_get_base_url       (GaugeLimitsClient  *self);
void                 gauge_limits_client_set_timeout        (GaugeLimitsClient  *self,
                                                             guint               seconds);
void                 gauge_limits_client_set_deadline       (GaugeLimitsClient  *self,
                                                             guint               milliseconds);
void                 gauge_limits_client_fetch_usage_async  (GaugeLimitsClient  *self,
                                                             const char         *access_token,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
GaugeLimitsSnapshot *gauge_limits_client_fetch_usage_finish (GaugeLimitsClient  *self,
                                                             GAsyncResult       *result,
                                                             gint64             *retry_after,
                                                             GError            **error);
void                 gauge_limits_client_fetch_plan_async   (GaugeLimitsClient  *self,
                                                             const char         *access_token,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
char                *gauge_limits_client_fetch_plan_finish  (GaugeLimitsClient  *self,
                                                             GAsyncResult       *result,
                                                             char              **email,
                                                             GError            **error);

G_END_DECLS
