/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-local-summary.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LOCAL_USAGE (gauge_local_usage_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLocalUsage, gauge_local_usage, GAUGE, LOCAL_USAGE, GObject)

/*
 * What a local usage summary is made of, kept between summaries: the entries
 * of the last days, their 5-hour blocks, and the sums of the period up to the
 * last block. A new summary reads only the entries that changed since the
 * previous one. The window holds one while it exists.
 */
GaugeLocalUsage   *gauge_local_usage_new           (GaugeStore                    *store,
                                                    gint64                         span_ms);
GaugeLocalSummary *gauge_local_usage_update        (GaugeLocalUsage               *self,
                                                    const GaugeLocalSummaryParams *params,
                                                    gint64                         now_ms,
                                                    GError                       **error);
void               gauge_local_usage_update_async  (GaugeLocalUsage               *self,
                                                    const GaugeLocalSummaryParams *params,
                                                    GCancellable                  *cancellable,
                                                    GAsyncReadyCallback            callback,
                                                    gpointer                       user_data);
GaugeLocalSummary *gauge_local_usage_update_finish (GaugeLocalUsage               *self,
                                                    GAsyncResult                  *result,
                                                    GError                       **error);

G_END_DECLS
