/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-account-list.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMITS_VIEW (gauge_limits_view_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitsView, gauge_limits_view, GAUGE, LIMITS_VIEW, GtkWidget)

/*
 * The Limits page: one row per limit window of the monitor's snapshot, what the monitor's
 * state needs to explain (sign in, expired, offline…), and the local usage below. The
 * window calls gauge_limits_view_update() whenever the monitor, the thresholds or the
 * minute change. With several accounts (gauge_limits_view_set_accounts()) each has a section
 * under its name, the monitor's first.
 */
void gauge_limits_view_setup           (GaugeLimitsView    *self,
                                        GaugeLimitsMonitor *monitor,
                                        GSettings          *settings);
void gauge_limits_view_set_accounts    (GaugeLimitsView    *self,
                                        GaugeAccountList   *accounts);
void gauge_limits_view_update          (GaugeLimitsView    *self,
                                        GDateTime          *now);
void gauge_limits_view_set_local_usage (GaugeLimitsView    *self,
                                        GtkWidget          *view);
void gauge_limits_view_set_store       (GaugeLimitsView    *self,
                                        GaugeStore         *store);

G_END_DECLS
