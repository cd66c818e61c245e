/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "fuzz-credentials"

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <string.h>

#include "gauge-credentials.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_plan_name (const char *subscription_type,
                 const char *rate_limit_tier)
{
  g_autofree char *plan = gauge_plan_name_from_tier (subscription_type, rate_limit_tier);

  g_assert (plan == NULL || (*plan != '\0' && g_utf8_validate (plan, -1, NULL)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GaugeCredentials) credentials = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hash = NULL;
  const char *token;
  const char *nul;

  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  /* The mapping from plan strings, fed the input split at its first NUL. */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';
  nul = memchr (text, '\0', size);
  check_plan_name (text, nul != NULL ? nul + 1 : NULL);

  credentials = gauge_credentials_new_from_data ((const char *)data, size, &error);
  if (credentials == NULL)
    {
      g_assert (error != NULL && error->domain == GAUGE_CREDENTIALS_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  token = gauge_credentials_get_access_token (credentials);
  g_assert (token != NULL && *token != '\0');

  hash = gauge_credentials_dup_token_hash (credentials);
  g_assert (strlen (hash) == 32);

  (void)gauge_credentials_is_expired (credentials, now);
  (void)gauge_credentials_has_scope (credentials, "user:profile");
  check_plan_name (gauge_credentials_get_subscription_type (credentials),
                   gauge_credentials_get_rate_limit_tier (credentials));

  return 0;
}
