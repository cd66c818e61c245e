/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_CHART (gauge_chart_get_type ())

G_DECLARE_FINAL_TYPE (GaugeChart, gauge_chart, GAUGE, CHART, GtkWidget)

/* One reading: a time (UTC, ms) and a value; a NAN value is a gap. */
typedef struct
{
  gint64 t_ms;
  double value;
} GaugeChartPoint;

typedef enum
{
  GAUGE_CHART_UNIT_PERCENT,
  GAUGE_CHART_UNIT_TOKENS,
  GAUGE_CHART_UNIT_COST,
} GaugeChartUnit;

GtkWidget  *gauge_chart_new             (void);
void        gauge_chart_set_title       (GaugeChart            *self,
                                         const char            *title);
const char *gauge_chart_get_title       (GaugeChart            *self);
void        gauge_chart_set_range       (GaugeChart            *self,
                                         gint64                 start_ms,
                                         gint64                 end_ms,
                                         const char            *range_label);
void        gauge_chart_set_thresholds  (GaugeChart            *self,
                                         double                 warning,
                                         double                 critical);

/* Time-series mode: @points sorted by time. Consecutive points further apart
 * than @max_gap_ms (0: never) are not joined. */
void        gauge_chart_set_series      (GaugeChart            *self,
                                         const GaugeChartPoint *points,
                                         guint                  n_points,
                                         gint64                 max_gap_ms);
void        gauge_chart_set_resets      (GaugeChart            *self,
                                         const gint64          *resets_ms,
                                         guint                  n_resets);

/* Bar mode: @n_bars buckets of @bucket_ms starting at @starts_ms, each stacked
 * by @n_series series; @values is row-major, n_bars × n_series. */
void        gauge_chart_set_bars        (GaugeChart            *self,
                                         const gint64          *starts_ms,
                                         guint                  n_bars,
                                         gint64                 bucket_ms,
                                         const char * const    *series_names,
                                         guint                  n_series,
                                         const double          *values,
                                         GaugeChartUnit         unit);

/* The accessible label and tooltip, e.g. "5-hour usage, last 24 h: peak 92 % at 14:10, now 37 %". */
char       *gauge_chart_dup_summary     (GaugeChart            *self);

/* The hover readout at x (widget coordinates), or NULL outside the plot. */
char       *gauge_chart_dup_readout_at  (GaugeChart            *self,
                                         double                 x);

/* The index of the point nearest @t_ms, skipping gaps; FALSE when there is none. */
gboolean    gauge_chart_lookup_nearest  (const GaugeChartPoint *points,
                                         guint                  n_points,
                                         gint64                 t_ms,
                                         guint                 *index);

/* A colour for a model, stable across charts (Opus, Sonnet, Haiku get their own). */
void        gauge_chart_model_color     (const char            *model,
                                         guint                  position,
                                         gboolean               dark,
                                         GdkRGBA               *color);

G_END_DECLS
