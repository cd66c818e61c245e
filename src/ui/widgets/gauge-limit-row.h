/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "gauge-format.h"
#include "gauge-history.h"
#include "gauge-limit-window.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LIMIT_ROW (gauge_limit_row_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLimitRow, gauge_limit_row, GAUGE, LIMIT_ROW, GtkListBoxRow)

GtkWidget        *gauge_limit_row_new            (GaugeLimitWindow *window);
GaugeLimitWindow *gauge_limit_row_get_window     (GaugeLimitRow    *self);
void              gauge_limit_row_set_window     (GaugeLimitRow    *self,
                                                  GaugeLimitWindow *window);
void              gauge_limit_row_set_thresholds (GaugeLimitRow    *self,
                                                  double            warning,
                                                  double            critical);
void              gauge_limit_row_update         (GaugeLimitRow    *self,
                                                  GDateTime        *now);
void              gauge_limit_row_set_projection (GaugeLimitRow         *self,
                                                  const GaugeProjection *projection);

G_END_DECLS
