/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "gauge-account-list.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_HISTORY_VIEW (gauge_history_view_get_type ())

G_DECLARE_FINAL_TYPE (GaugeHistoryView, gauge_history_view, GAUGE, HISTORY_VIEW, GtkWidget)

typedef enum
{
  GAUGE_HISTORY_RANGE_DAY,
  GAUGE_HISTORY_RANGE_WEEK,
  GAUGE_HISTORY_RANGE_MONTH,
  GAUGE_HISTORY_RANGE_QUARTER,
  GAUGE_HISTORY_RANGE_YEAR,
} GaugeHistoryRange;

/* Charts of the stored readings and of local usage. @monitor may be NULL
 * (no reload on new readings); @settings gives thresholds and cost mode. */
GtkWidget *gauge_history_view_new       (GaugeStore         *store,
                                         GaugeLimitsMonitor *monitor,
                                         GSettings          *settings);
void       gauge_history_view_set_range (GaugeHistoryView   *self,
                                         GaugeHistoryRange   range);
/* Loads again on a worker thread; ::loaded is emitted when the charts show it. */
void       gauge_history_view_reload    (GaugeHistoryView   *self);
gboolean   gauge_history_view_is_empty  (GaugeHistoryView   *self);
void       gauge_history_view_set_accounts (GaugeHistoryView *self,
                                            GaugeAccountList *accounts);
const char *gauge_history_view_get_account (GaugeHistoryView *self);
gboolean    gauge_history_view_shows_all   (GaugeHistoryView *self);

G_END_DECLS
