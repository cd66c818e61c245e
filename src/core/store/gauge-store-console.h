/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * Finished days of usage_report/claude_code, kept for good (gauge-store-console.c:
 * console_code_days): a day's rows never change once the day is over.
 */
gboolean    gauge_store_save_console_day  (GaugeStore *self,
                                           const char *org_id,
                                           const char *day,
                                           const char *json,
                                           gint64      fetched_at_unix,
                                           GError    **error);
GHashTable *gauge_store_load_console_days (GaugeStore *self,
                                           const char *org_id,
                                           const char *first_day,
                                           const char *last_day,
                                           gint64      final_after,
                                           GError    **error);

G_END_DECLS
