/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-account-list.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_WINDOW (gauge_window_get_type ())

G_DECLARE_FINAL_TYPE (GaugeWindow, gauge_window, GAUGE, WINDOW, AdwApplicationWindow)

GaugeWindow *gauge_window_new             (AdwApplication     *application,
                                           GaugeLimitsMonitor *monitor,
                                           GSettings          *settings);
void         gauge_window_set_monitor     (GaugeWindow        *self,
                                           GaugeLimitsMonitor *monitor);
void         gauge_window_set_local_usage (GaugeWindow        *self,
                                           GtkWidget          *view);
void         gauge_window_add_toast       (GaugeWindow        *self,
                                           const char         *message);
void         gauge_window_set_store       (GaugeWindow        *self,
                                           GaugeStore         *store);
void         gauge_window_set_accounts    (GaugeWindow        *self,
                                           GaugeAccountList   *accounts);
void         gauge_window_set_history     (GaugeWindow        *self,
                                           GtkWidget          *view);
void         gauge_window_set_console     (GaugeWindow        *self,
                                           GtkWidget          *view);

G_END_DECLS
