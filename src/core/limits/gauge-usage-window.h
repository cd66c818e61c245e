/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_USAGE_WINDOW (gauge_usage_window_get_type ())

G_DECLARE_FINAL_TYPE (GaugeUsageWindow, gauge_usage_window, GAUGE, USAGE_WINDOW, GObject)

/* Well-known lengths, for the pace marker. 0 means unknown. */
#define GAUGE_WINDOW_LENGTH_FIVE_HOUR (5 * G_TIME_SPAN_HOUR)
#define GAUGE_WINDOW_LENGTH_WEEK      (7 * G_TIME_SPAN_DAY)

/* The highest utilization shown (percent); beyond it a reading is broken, not merely over. */
#define GAUGE_UTILIZATION_MAX 1000.0

/* An immutable reading of one limit window. */
GaugeUsageWindow *gauge_usage_window_new              (const char       *id,
                                                       const char       *display_name,
                                                       double            utilization,
                                                       GDateTime        *resets_at,
                                                       GTimeSpan         length);
GaugeUsageWindow *gauge_usage_window_new_money        (const char       *id,
                                                       const char       *display_name,
                                                       double            utilization,
                                                       gint64            used_minor,
                                                       gint64            limit_minor,
                                                       const char       *currency,
                                                       GDateTime        *resets_at);
const char       *gauge_usage_window_get_id           (GaugeUsageWindow *self);
const char       *gauge_usage_window_get_display_name (GaugeUsageWindow *self);
double            gauge_usage_window_get_utilization  (GaugeUsageWindow *self);
GDateTime        *gauge_usage_window_get_resets_at    (GaugeUsageWindow *self);
GTimeSpan         gauge_usage_window_get_length       (GaugeUsageWindow *self);
gboolean          gauge_usage_window_is_money         (GaugeUsageWindow *self);
gint64            gauge_usage_window_get_used_minor   (GaugeUsageWindow *self);
gint64            gauge_usage_window_get_limit_minor  (GaugeUsageWindow *self);
const char       *gauge_usage_window_get_currency     (GaugeUsageWindow *self);
double            gauge_usage_window_get_pace         (GaugeUsageWindow *self,
                                                       GDateTime        *now);
GaugeSeverity     gauge_usage_window_get_severity     (GaugeUsageWindow *self,
                                                       double            warning,
                                                       double            critical);
char             *gauge_usage_window_format_money     (GaugeUsageWindow *self);

G_END_DECLS
