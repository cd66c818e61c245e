/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"
#include "gauge-usage-snapshot.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_USAGE_CLIENT (gauge_usage_client_get_type ())
#define GAUGE_USAGE_ERROR (gauge_usage_client_error_quark ())

typedef enum
{
  GAUGE_USAGE_ERROR_UNAUTHORIZED,     /* 401 */
  GAUGE_USAGE_ERROR_FORBIDDEN,        /* 403 */
  GAUGE_USAGE_ERROR_RATE_LIMITED,     /* 429 */
  GAUGE_USAGE_ERROR_SERVER,           /* 5xx and other statuses */
  GAUGE_USAGE_ERROR_NETWORK,          /* could not connect, timeout */
  GAUGE_USAGE_ERROR_INVALID_RESPONSE, /* 200 with a body we cannot read */
} GaugeUsageError;

G_DECLARE_FINAL_TYPE (GaugeUsageClient, gauge_usage_client, GAUGE, USAGE_CLIENT, GObject)

/* Talks to the OAuth usage and profile endpoints ($CLAUDE_GAUGE_API_BASE for tests). */
GQuark              gauge_usage_client_error_quark     (void);
GaugeUsageClient   *gauge_usage_client_new             (void);
const char         *gauge_usage_client_get_base_url    (GaugeUsageClient    *self);
void                gauge_usage_client_set_timeout     (GaugeUsageClient    *self,
                                                        guint                seconds);
void                gauge_usage_client_set_deadline    (GaugeUsageClient    *self,
                                                        guint                milliseconds);
void                gauge_usage_client_fetch_usage_async (GaugeUsageClient  *self,
                                                          const char        *access_token,
                                                          GCancellable      *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer           user_data);
GaugeUsageSnapshot *gauge_usage_client_fetch_usage_finish (GaugeUsageClient *self,
                                                           GAsyncResult     *result,
                                                           gint64           *retry_after,
                                                           GError          **error);
void                gauge_usage_client_fetch_plan_async (GaugeUsageClient   *self,
                                                         const char         *access_token,
                                                         GCancellable       *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer            user_data);
char               *gauge_usage_client_fetch_plan_finish (GaugeUsageClient  *self,
                                                          GAsyncResult      *result,
                                                          char             **email,
                                                          GError           **error);

G_END_DECLS
