/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-chart.h"
#include "gauge-history-series.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_SERIES_CHART (gauge_series_chart_get_type ())

G_DECLARE_FINAL_TYPE (GaugeSeriesChart, gauge_series_chart, GAUGE, SERIES_CHART, GaugeChart)

/*
 * One series of official utilization over time, in percent: resets as dashed verticals,
 * the warning and critical thresholds as horizontal lines, gaps left open, the part above
 * 100 % in the error colour.
 */
GtkWidget *gauge_series_chart_new            (void);
void       gauge_series_chart_set_thresholds (GaugeSeriesChart       *self,
                                              double                  warning,
                                              double                  critical);
/* @points sorted by time. Consecutive points further apart than @max_gap_ms (0: never)
 * are not joined. */
void       gauge_series_chart_set_series     (GaugeSeriesChart       *self,
                                              const GaugeSeriesPoint *points,
                                              guint                   n_points,
                                              gint64                  max_gap_ms);
void       gauge_series_chart_set_resets     (GaugeSeriesChart       *self,
                                              const gint64           *resets_ms,
                                              guint                   n_resets);

/* The index of the point nearest @t_ms, skipping gaps; FALSE when there is none. */
gboolean   gauge_series_chart_lookup_nearest (const GaugeSeriesPoint *points,
                                              guint                   n_points,
                                              gint64                  t_ms,
                                              guint                  *index);

G_END_DECLS
