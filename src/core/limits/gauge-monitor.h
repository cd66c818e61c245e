/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-store.h"
#include "gauge-types.h"
#include "gauge-usage-client.h"
#include "gauge-usage-snapshot.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_MONITOR (gauge_monitor_get_type ())

G_DECLARE_FINAL_TYPE (GaugeMonitor, gauge_monitor, GAUGE, MONITOR, GObject)

/*
 * The single source of truth for official limits: watches the credentials,
 * polls politely, stores readings. The window, tray and CLI read it and
 * listen to ::changed (emitted once after any batch of property changes).
 */
GaugeMonitor       *gauge_monitor_new                (GaugeStore         *store,
                                                      GaugeUsageClient   *client,
                                                      const char         *credentials_path);
void                gauge_monitor_start              (GaugeMonitor       *self);
void                gauge_monitor_refresh            (GaugeMonitor       *self);
void                gauge_monitor_update_once_async  (GaugeMonitor       *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
gboolean            gauge_monitor_update_once_finish (GaugeMonitor       *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
GaugeMonitorState   gauge_monitor_get_state          (GaugeMonitor       *self);
GaugeUsageSnapshot *gauge_monitor_get_snapshot       (GaugeMonitor       *self);
const char         *gauge_monitor_get_plan_name      (GaugeMonitor       *self);
const char         *gauge_monitor_get_account_email  (GaugeMonitor       *self);
const char         *gauge_monitor_get_credentials_path (GaugeMonitor     *self);
const char         *gauge_monitor_get_rate_limit_tier (GaugeMonitor      *self);
const char         *gauge_monitor_get_error_message  (GaugeMonitor       *self);
const char         *gauge_monitor_get_store_message  (GaugeMonitor       *self);
GDateTime          *gauge_monitor_get_next_check     (GaugeMonitor       *self);
gboolean            gauge_monitor_get_busy           (GaugeMonitor       *self);
guint               gauge_monitor_get_poll_interval  (GaugeMonitor       *self);
void                gauge_monitor_set_poll_interval  (GaugeMonitor       *self,
                                                      guint               seconds);
gboolean            gauge_monitor_is_stale           (GaugeMonitor       *self);

G_END_DECLS
