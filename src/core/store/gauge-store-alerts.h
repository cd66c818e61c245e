/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-store.h"

G_BEGIN_DECLS

/* Alerts already sent, so that none is sent twice (gauge-store-alerts.c: alerts_sent). */
gboolean gauge_store_has_alert (GaugeStore *self,
                                const char *key,
                                GError    **error);
gboolean gauge_store_add_alert (GaugeStore *self,
                                const char *key,
                                gint64      sent_at_unix,
                                GError    **error);

G_END_DECLS
