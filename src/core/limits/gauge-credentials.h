/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_CREDENTIALS (gauge_credentials_get_type ())
#define GAUGE_CREDENTIALS_ERROR (gauge_credentials_error_quark ())

typedef enum
{
  GAUGE_CREDENTIALS_ERROR_NOT_FOUND,   /* no file */
  GAUGE_CREDENTIALS_ERROR_SIGNED_OUT,  /* no claudeAiOauth, or an empty token */
  GAUGE_CREDENTIALS_ERROR_INVALID,     /* unreadable or not the JSON we expect */
} GaugeCredentialsError;

G_DECLARE_FINAL_TYPE (GaugeCredentials, gauge_credentials, GAUGE, CREDENTIALS, GObject)

/* Claude Code's OAuth credentials, read-only: never refreshed, never written. */
GQuark            gauge_credentials_error_quark          (void);
char             *gauge_credentials_get_default_path     (void);
GaugeCredentials *gauge_credentials_new_from_data        (const char       *data,
                                                          gssize            length,
                                                          GError          **error);
GaugeCredentials *gauge_credentials_new_from_file        (const char       *path,
                                                          GError          **error);
void              gauge_credentials_load_async           (const char       *path,
                                                          GCancellable     *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer          user_data);
GaugeCredentials *gauge_credentials_load_finish          (GAsyncResult     *result,
                                                          GError          **error);
const char       *gauge_credentials_get_access_token     (GaugeCredentials *self);
GDateTime        *gauge_credentials_get_expires_at       (GaugeCredentials *self);
gboolean          gauge_credentials_is_expired           (GaugeCredentials *self,
                                                          GDateTime        *now);
gboolean          gauge_credentials_has_scope            (GaugeCredentials *self,
                                                          const char       *scope);
const char       *gauge_credentials_get_subscription_type (GaugeCredentials *self);
const char       *gauge_credentials_get_rate_limit_tier  (GaugeCredentials *self);
char             *gauge_credentials_dup_token_hash       (GaugeCredentials *self);
char             *gauge_credentials_dup_plan_name        (GaugeCredentials *self);
char             *gauge_plan_name_from_tier              (const char       *subscription_type,
                                                          const char       *rate_limit_tier);

G_END_DECLS
