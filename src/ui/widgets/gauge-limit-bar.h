/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "gauge-types.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMIT_BAR (gauge_limit_bar_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitBar, gauge_limit_bar, GAUGE, LIMIT_BAR, GtkWidget)

GtkWidget     *gauge_limit_bar_new             (void);
double         gauge_limit_bar_get_utilization (GaugeLimitBar *self);
void           gauge_limit_bar_set_utilization (GaugeLimitBar *self,
                                                double         utilization);
double         gauge_limit_bar_get_pace        (GaugeLimitBar *self);
void           gauge_limit_bar_set_pace        (GaugeLimitBar *self,
                                                double         pace);
GaugeSeverity  gauge_limit_bar_get_severity    (GaugeLimitBar *self);
void           gauge_limit_bar_set_severity    (GaugeLimitBar *self,
                                                GaugeSeverity  severity);

G_END_DECLS
