/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-account-list.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"
#include "gauge-transcript-index.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LOCAL_USAGE_VIEW (gauge_local_usage_view_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLocalUsageView, gauge_local_usage_view, GAUGE, LOCAL_USAGE_VIEW, AdwBin)

GtkWidget *gauge_local_usage_view_new (GaugeStore           *store,
                                       GaugeTranscriptIndex *index,
                                       GaugeLimitsMonitor   *monitor,
                                       GSettings            *settings);

void        gauge_local_usage_view_set_accounts (GaugeLocalUsageView *self,
                                                 GaugeAccountList    *accounts);
const char *gauge_local_usage_view_get_account  (GaugeLocalUsageView *self);

G_END_DECLS
