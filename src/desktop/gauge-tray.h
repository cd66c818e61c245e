/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-account-list.h"
#include "gauge-console-monitor.h"
#include "gauge-limits-monitor.h"
#include "gauge-status-notifier.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_TRAY (gauge_tray_get_type ())

G_DECLARE_FINAL_TYPE (GaugeTray, gauge_tray, GAUGE, TRAY, GObject)

/*
 * What the tray shows, from the monitor and the settings: the icon, its status, the tooltip
 * and the menu's rows. It puts them on the bus through a GaugeStatusNotifier at
 * /StatusNotifierItem and a GaugeDBusMenu at /StatusNotifierItem/Menu. Left click activates
 * "toggle-window", middle click "refresh"; the menu uses "refresh", "show-window" (or
 * "toggle-window"), "preferences" and "quit".
 */
GaugeTray           *gauge_tray_new                 (GApplication        *app,
                                                     GaugeLimitsMonitor  *monitor,
                                                     GSettings           *settings);
GaugeTray           *gauge_tray_new_for_connection  (GDBusConnection     *connection,
                                                     GActionGroup        *actions,
                                                     GaugeLimitsMonitor  *monitor,
                                                     GSettings           *settings);
void                 gauge_tray_set_accounts        (GaugeTray           *self,
                                                     GaugeAccountList    *accounts);
void                 gauge_tray_set_monitor         (GaugeTray           *self,
                                                     GaugeLimitsMonitor  *monitor);
void                 gauge_tray_set_console_monitor (GaugeTray           *self,
                                                     GaugeConsoleMonitor *console);
GaugeStatusNotifier *gauge_tray_get_status_notifier (GaugeTray           *self);
gboolean             gauge_tray_get_host_present    (GaugeTray           *self);
gboolean             gauge_tray_get_registered      (GaugeTray           *self);
char                *gauge_tray_dup_tooltip         (GaugeTray           *self);
gboolean             gauge_tray_should_keep_running (gboolean             host_present,
                                                     gboolean             run_in_background);

G_END_DECLS
