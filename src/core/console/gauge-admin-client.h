/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-admin-page.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_ADMIN_CLIENT (gauge_admin_client_get_type ())
#define GAUGE_ADMIN_ERROR (gauge_admin_client_error_quark ())

typedef enum
{
  GAUGE_ADMIN_ERROR_UNAUTHORIZED,     /* 401: a wrong or revoked key */
  GAUGE_ADMIN_ERROR_FORBIDDEN,        /* 403: the key may not read this */
  GAUGE_ADMIN_ERROR_RATE_LIMITED,     /* 429 */
  GAUGE_ADMIN_ERROR_SERVER,           /* 5xx and other statuses */
  GAUGE_ADMIN_ERROR_NETWORK,          /* could not connect, timeout */
  GAUGE_ADMIN_ERROR_INVALID_RESPONSE, /* 2xx with a body we cannot read */
  GAUGE_ADMIN_ERROR_NO_KEY,           /* no key, or one that cannot be a key */
} GaugeAdminError;

#define GAUGE_ADMIN_MAX_PAGES 100

G_DECLARE_FINAL_TYPE (GaugeAdminClient, gauge_admin_client, GAUGE, ADMIN_CLIENT, GObject)

/*
 * The Admin API ($CLAUDE_GAUGE_ADMIN_API_BASE for tests). One fetch follows
 * every page of its endpoint (next_page for reports, after_id for lists) and
 * hands back all the rows. Callers hold the rate gate; this always sends.
 */
GQuark            gauge_admin_client_error_quark  (void);
GaugeAdminClient *gauge_admin_client_new          (void);
const char       *gauge_admin_client_get_base_url (GaugeAdminClient   *self);
void              gauge_admin_client_set_deadline (GaugeAdminClient   *self,
                                                   guint               milliseconds);
void              gauge_admin_client_fetch_async  (GaugeAdminClient   *self,
                                                   const char         *key,
                                                   GaugeAdminKind      kind,
                                                   GDateTime          *start,
                                                   GDateTime          *end,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
GPtrArray        *gauge_admin_client_fetch_finish (GaugeAdminClient   *self,
                                                   GAsyncResult       *result,
                                                   gint64             *retry_after,
                                                   GError            **error);

G_END_DECLS
