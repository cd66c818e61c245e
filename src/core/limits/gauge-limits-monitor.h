/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-limits-client.h"
#include "gauge-limits-snapshot.h"
#include "gauge-monitor.h"
#include "gauge-store.h"
#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMITS_MONITOR (gauge_limits_monitor_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitsMonitor, gauge_limits_monitor, GAUGE, LIMITS_MONITOR, GaugeMonitor)

/*
 * The single source of truth for official limits: watches the credentials,
 * polls politely, stores readings. The window, tray and CLI read it and
 * listen to ::changed (emitted once after any batch of property changes).
 * gauge_monitor_update_once_async() reads the credentials, the stored reading
 * and the cooldown, and asks the API only when a request is due and allowed
 * (`--status`).
 */
GaugeLimitsMonitor     *gauge_limits_monitor_new                  (GaugeStore         *store,
                                                                   GaugeLimitsClient  *client,
                                                                   const char         *credentials_path);
void                    gauge_limits_monitor_start                (GaugeLimitsMonitor *self);
void                    gauge_limits_monitor_refresh              (GaugeLimitsMonitor *self);
GaugeLimitsMonitorState gauge_limits_monitor_get_state            (GaugeLimitsMonitor *self);
GaugeLimitsSnapshot    *gauge_limits_monitor_get_snapshot         (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_plan_name        (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_account_email    (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_credentials_path (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_folder           (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_rate_limit_tier  (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_error_message    (GaugeLimitsMonitor *self);
const char             *gauge_limits_monitor_get_store_message    (GaugeLimitsMonitor *self);
GDateTime              *gauge_limits_monitor_get_next_check       (GaugeLimitsMonitor *self);
gboolean                gauge_limits_monitor_is_stale             (GaugeLimitsMonitor *self);
gboolean                gauge_limits_monitor_is_reading_old       (GaugeLimitsMonitor *self);

G_END_DECLS
