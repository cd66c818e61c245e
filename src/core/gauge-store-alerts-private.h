/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-alert-rules.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/* The readings history for the pace rule (gauge-store-alerts.c); worker threads only. */
GHashTable *gauge_store_load_alert_readings (GaugeStore  *self,
                                             gint64       since_unix,
                                             gint64       until_unix,
                                             GError     **error);

G_END_DECLS
