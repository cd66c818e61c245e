/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMIT_WINDOW (gauge_limit_window_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitWindow, gauge_limit_window, GAUGE, LIMIT_WINDOW, GObject)

/* Well-known lengths, for the pace marker. 0 means unknown. */
#define GAUGE_WINDOW_LENGTH_FIVE_HOUR (5 * G_TIME_SPAN_HOUR)
#define GAUGE_WINDOW_LENGTH_WEEK      (7 * G_TIME_SPAN_DAY)

/* The highest utilization shown (percent); beyond it a reading is broken, not merely over. */
#define GAUGE_UTILIZATION_MAX 1000.0

/* An immutable reading of one limit window. */
GaugeLimitWindow *gauge_limit_window_new              (const char       *id,
                                                       const char       *display_name,
                                                       double            utilization,
                                                       GDateTime        *resets_at,
                                                       GTimeSpan         length);
GaugeLimitWindow *gauge_limit_window_new_money        (const char       *id,
                                                       const char       *display_name,
                                                       double            utilization,
                                                       gint64            used_minor,
                                                       gint64            limit_minor,
                                                       const char       *currency,
                                                       GDateTime        *resets_at);
GaugeLimitWindow *gauge_limit_window_new_flagged      (GaugeLimitWindow *window,
                                                       GaugeSeverity     server_severity);
const char       *gauge_limit_window_get_id           (GaugeLimitWindow *self);
const char       *gauge_limit_window_get_display_name (GaugeLimitWindow *self);
double            gauge_limit_window_get_utilization  (GaugeLimitWindow *self);
GDateTime        *gauge_limit_window_get_resets_at    (GaugeLimitWindow *self);
GTimeSpan         gauge_limit_window_get_length       (GaugeLimitWindow *self);
gboolean          gauge_limit_window_is_money         (GaugeLimitWindow *self);
gint64            gauge_limit_window_get_used_minor   (GaugeLimitWindow *self);
gint64            gauge_limit_window_get_limit_minor  (GaugeLimitWindow *self);
const char       *gauge_limit_window_get_currency     (GaugeLimitWindow *self);
guint             gauge_limit_window_get_exponent     (GaugeLimitWindow *self);
gboolean          gauge_limit_window_is_credit        (GaugeLimitWindow *self);
GaugeSeverity     gauge_limit_window_get_server_severity (GaugeLimitWindow *self);
double            gauge_limit_window_get_pace         (GaugeLimitWindow *self,
                                                       GDateTime        *now);
GaugeSeverity     gauge_limit_window_get_severity     (GaugeLimitWindow *self,
                                                       double            warning,
                                                       double            critical);
char             *gauge_limit_window_format_money     (GaugeLimitWindow *self);
char             *gauge_limit_window_format_caption   (GaugeLimitWindow *self,
                                                       GDateTime        *now);

guint             gauge_limit_currency_get_exponent   (const char       *currency);

G_END_DECLS
