/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "fuzz-usage"

#include "config.h"

#include <gio/gio.h>
#include <stdint.h>

#include "gauge-limits-snapshot.h"
#include "gauge-prompt-cache.h"
#include "gauge-limit-window.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_statusline (const uint8_t *data,
                  size_t         size,
                  GDateTime     *now)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GaugePromptCache) cache = NULL;
  g_autoptr(GError) error = NULL;

  cache = gauge_prompt_cache_new_from_statusline ((const char *)data, size, now);
  g_assert (cache == NULL || (cache->session_id != NULL && *cache->session_id != '\0' &&
                              g_utf8_validate (cache->session_id, -1, NULL)));
  g_assert (cache == NULL || cache->name == NULL || g_utf8_validate (cache->name, -1, NULL));
  g_assert (cache == NULL || (cache->ttl >= 0 && cache->ttl <= 86400 && cache->expires_at >= 0));

  snapshot = gauge_limits_snapshot_new_from_statusline ((const char *)data, size, now, &error);
  g_assert (snapshot == NULL || error == NULL);
  for (guint i = 0; snapshot != NULL && i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      g_autofree char *money = gauge_limit_window_format_money (window);

      g_assert ((money != NULL) == gauge_limit_window_is_money (window));
      g_assert (money == NULL || g_utf8_validate (money, -1, NULL));
    }
}

/* Any input, even garbage, must give a snapshot or an error, and then every accessor the UI
 * calls must cope with what was read. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  /* Warnings and criticals are bugs here: make them crashes the fuzzer reports. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);

  /* The same bytes as Claude Code's statusline input: its rate_limits, money and all. */
  check_statusline (data, size, now);

  snapshot = gauge_limits_snapshot_new_from_json ((const char *)data, size, GAUGE_SOURCE_OFFICIAL,
                                                  now, &error);
  if (snapshot == NULL)
    {
      g_assert (error != NULL);
      g_assert (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA));
      return 0;
    }

  g_assert (error == NULL);

  for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      const char *id = gauge_limit_window_get_id (window);
      g_autofree char *money = gauge_limit_window_format_money (window);
      double pace = gauge_limit_window_get_pace (window, now);

      g_assert (id != NULL && *id != '\0');
      g_assert (g_utf8_validate (gauge_limit_window_get_display_name (window), -1, NULL));
      /* Ids are unique. */
      g_assert (gauge_limits_snapshot_lookup (snapshot, id) == window);
      g_assert (pace == -1.0 || (pace >= 0.0 && pace <= 1.0));
      g_assert ((money != NULL) == gauge_limit_window_is_money (window));
      g_assert (money == NULL || g_utf8_validate (money, -1, NULL));
      (void)gauge_limit_window_get_severity (window, 80, 95);
    }

  (void)gauge_limits_snapshot_get_severity (snapshot, 80, 95);
  (void)gauge_limits_snapshot_get_next_reset (snapshot, now);

  return 0;
}
