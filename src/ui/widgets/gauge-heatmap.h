/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_HEATMAP (gauge_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (GaugeHeatmap, gauge_heatmap, GAUGE, HEATMAP, GtkWidget)

/*
 * A calendar of daily cost: weeks as columns, days of the week as rows.
 * @values[i] is the day @last_day − (@n_days − 1 − i), local days.
 */
GtkWidget *gauge_heatmap_new            (void);
void       gauge_heatmap_set_days       (GaugeHeatmap *self,
                                         const GDate  *last_day,
                                         const double *values,
                                         guint         n_days);
void       gauge_heatmap_set_week_start (GaugeHeatmap *self,
                                         GDateWeekday  first_day);
char      *gauge_heatmap_dup_summary    (GaugeHeatmap *self);
/* "21 Nov 2026: $41.75" for the cell under (x, y), or NULL. */
char      *gauge_heatmap_dup_readout_at (GaugeHeatmap *self,
                                         double        x,
                                         double        y);

G_END_DECLS
