/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-account-list.h"
#include "gauge-limits-monitor.h"

G_BEGIN_DECLS

#define GAUGE_DBUS_API_PATH      "/io/github/claudegauge/ClaudeGauge"
#define GAUGE_DBUS_API_INTERFACE "io.github.claudegauge.ClaudeGauge.Usage"

#define GAUGE_TYPE_DBUS_API (gauge_dbus_api_get_type ())

G_DECLARE_FINAL_TYPE (GaugeDBusApi, gauge_dbus_api, GAUGE, DBUS_API, GObject)

/*
 * The app's limits for other panels and scripts: io.github.claudegauge.ClaudeGauge.Usage
 * (data/dbus/) at /io/github/claudegauge/ClaudeGauge, kept up to date from the monitor and
 * the settings. Refresh asks the monitor, which keeps to its rate gate.
 */
GaugeDBusApi *gauge_dbus_api_new         (void);
void          gauge_dbus_api_set_monitor (GaugeDBusApi       *self,
                                          GaugeLimitsMonitor *monitor,
                                          GSettings          *settings);
void          gauge_dbus_api_set_accounts (GaugeDBusApi      *self,
                                           GaugeAccountList  *accounts);
gboolean      gauge_dbus_api_export      (GaugeDBusApi       *self,
                                          GDBusConnection    *connection,
                                          GError            **error);

G_END_DECLS
