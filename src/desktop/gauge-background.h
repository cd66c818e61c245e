/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-limits-monitor.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_BACKGROUND (gauge_background_get_type ())

G_DECLARE_FINAL_TYPE (GaugeBackground, gauge_background, GAUGE, BACKGROUND, GObject)

/*
 * Living in the background where no tray shows the icon (GNOME without the AppIndicator
 * extension): the Background portal's permission, asked once, with autostart when
 * start-at-login is on; then the one-line status GNOME shows under "Background Apps",
 * kept to the reading, not more than once a minute.
 */
GaugeBackground *gauge_background_new         (GDBusConnection    *connection,
                                               GaugeLimitsMonitor *monitor,
                                               GSettings          *settings);
void             gauge_background_set_monitor (GaugeBackground    *self,
                                              GaugeLimitsMonitor *monitor);
void             gauge_background_request     (GaugeBackground    *self);
gboolean         gauge_background_get_allowed (GaugeBackground    *self);

G_END_DECLS
