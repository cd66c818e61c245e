/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"
#include "gauge-usage-window.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_USAGE_SNAPSHOT (gauge_usage_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (GaugeUsageSnapshot, gauge_usage_snapshot, GAUGE, USAGE_SNAPSHOT, GObject)

/* An immutable set of windows read at one moment from one source. */
GaugeUsageSnapshot *gauge_usage_snapshot_new                (GPtrArray          *windows,
                                                             GaugeSource         source,
                                                             GDateTime          *fetched_at);
GaugeUsageSnapshot *gauge_usage_snapshot_new_from_json      (const char         *data,
                                                             gssize              length,
                                                             GaugeSource         source,
                                                             GDateTime          *fetched_at,
                                                             GError            **error);
GaugeUsageSnapshot *gauge_usage_snapshot_new_from_statusline (const char         *data,
                                                             gssize              length,
                                                             GDateTime          *fetched_at,
                                                             GError            **error);
GaugeSource         gauge_usage_snapshot_get_source         (GaugeUsageSnapshot *self);
GDateTime          *gauge_usage_snapshot_get_fetched_at     (GaugeUsageSnapshot *self);
guint               gauge_usage_snapshot_get_n_windows      (GaugeUsageSnapshot *self);
GaugeUsageWindow   *gauge_usage_snapshot_get_window         (GaugeUsageSnapshot *self,
                                                             guint               position);
GaugeUsageWindow   *gauge_usage_snapshot_lookup             (GaugeUsageSnapshot *self,
                                                             const char         *id);
GaugeSeverity       gauge_usage_snapshot_get_severity       (GaugeUsageSnapshot *self,
                                                             double              warning,
                                                             double              critical);
GDateTime          *gauge_usage_snapshot_get_next_reset     (GaugeUsageSnapshot *self,
                                                             GDateTime          *after);

G_END_DECLS
