/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-admin-client.h"

G_BEGIN_DECLS

typedef enum
{
  GAUGE_ADMIN_KEY_NONE,
  GAUGE_ADMIN_KEY_ENVIRONMENT,   /* ANTHROPIC_ADMIN_KEY */
  GAUGE_ADMIN_KEY_KEYRING,
} GaugeAdminKeySource;

/*
 * The Admin API key: from ANTHROPIC_ADMIN_KEY, else the keyring (libsecret,
 * schema io.github.claudegauge.ClaudeGauge.AdminKey). It is never logged,
 * never put in an error message and never shown whole: gauge_admin_key_mask()
 * is the only form for display. Free keys with gauge_admin_key_free().
 */
gboolean gauge_admin_key_is_well_formed (const char          *key);
char    *gauge_admin_key_mask           (const char          *key);
void     gauge_admin_key_free           (char                *key);
void     gauge_admin_key_lookup_async   (GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char    *gauge_admin_key_lookup_finish  (GAsyncResult        *result,
                                         GaugeAdminKeySource *source,
                                         GError             **error);
void     gauge_admin_key_store_async    (const char          *key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean gauge_admin_key_store_finish   (GAsyncResult        *result,
                                         GError             **error);
void     gauge_admin_key_clear_async    (GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean gauge_admin_key_clear_finish   (GAsyncResult        *result,
                                         GError             **error);
void     gauge_admin_key_check_async    (GaugeAdminClient    *client,
                                         const char          *key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
char    *gauge_admin_key_check_finish   (GAsyncResult        *result,
                                         char               **org_id,
                                         GError             **error);

G_END_DECLS
