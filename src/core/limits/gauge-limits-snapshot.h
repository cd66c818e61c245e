/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"
#include "gauge-limit-window.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMITS_SNAPSHOT (gauge_limits_snapshot_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitsSnapshot, gauge_limits_snapshot, GAUGE, LIMITS_SNAPSHOT, GObject)

/* An immutable set of windows read at one moment from one source. */
GaugeLimitsSnapshot *gauge_limits_snapshot_new                 (GPtrArray           *windows,
                                                                GaugeSource          source,
                                                                GDateTime           *fetched_at);
GaugeLimitsSnapshot *gauge_limits_snapshot_new_from_json       (const char          *data,
                                                                gssize               length,
                                                                GaugeSource          source,
                                                                GDateTime           *fetched_at,
                                                                GError             **error);
GaugeLimitsSnapshot *gauge_limits_snapshot_new_from_statusline (const char          *data,
                                                                gssize               length,
                                                                GDateTime           *fetched_at,
                                                                GError             **error);
GaugeSource          gauge_limits_snapshot_get_source          (GaugeLimitsSnapshot *self);
GDateTime           *gauge_limits_snapshot_get_fetched_at      (GaugeLimitsSnapshot *self);
guint                gauge_limits_snapshot_get_n_windows       (GaugeLimitsSnapshot *self);
GaugeLimitWindow    *gauge_limits_snapshot_get_window          (GaugeLimitsSnapshot *self,
                                                                guint                position);
GaugeLimitWindow    *gauge_limits_snapshot_lookup              (GaugeLimitsSnapshot *self,
                                                                const char          *id);
GaugeSeverity        gauge_limits_snapshot_get_severity        (GaugeLimitsSnapshot *self,
                                                                double               warning,
                                                                double               critical);
GDateTime           *gauge_limits_snapshot_get_next_reset      (GaugeLimitsSnapshot *self,
                                                                GDateTime           *after);

G_END_DECLS
