/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-chart.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_BAR_CHART (gauge_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (GaugeBarChart, gauge_bar_chart, GAUGE, BAR_CHART, GaugeChart)

typedef enum
{
  GAUGE_CHART_UNIT_PERCENT,
  GAUGE_CHART_UNIT_TOKENS,
  GAUGE_CHART_UNIT_COST,
} GaugeChartUnit;

/*
 * Buckets of time (days, hours) as bars stacked by model, with a legend under the time
 * axis; Opus, Sonnet and Haiku keep their colours across charts.
 */
GtkWidget *gauge_bar_chart_new      (void);
/* @n_bars buckets of @bucket_ms starting at @starts_ms, each stacked by @n_series series;
 * @values is row-major, n_bars × n_series. */
void       gauge_bar_chart_set_bars (GaugeBarChart      *self,
                                     const gint64       *starts_ms,
                                     guint               n_bars,
                                     gint64              bucket_ms,
                                     const char * const *series_names,
                                     guint               n_series,
                                     const double       *values,
                                     GaugeChartUnit      unit);

G_END_DECLS
