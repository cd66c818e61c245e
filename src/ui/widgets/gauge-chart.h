/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_CHART (gauge_chart_get_type ())

G_DECLARE_DERIVABLE_TYPE (GaugeChart, gauge_chart, GAUGE, CHART, GtkWidget)

/*
 * What the charts share (GaugeSeriesChart, GaugeBarChart): a title and a time range, the
 * axes (values up the left, local time along the bottom), the hover readout in the plot,
 * and the one-line summary in words that is the accessible label and the tooltip.
 */

void        gauge_chart_set_title      (GaugeChart *self,
                                        const char *title);
void        gauge_chart_set_range      (GaugeChart *self,
                                        gint64      start_ms,
                                        gint64      end_ms,
                                        const char *range_label);

/* The accessible label and tooltip, e.g. "5-hour usage, last 24 h: peak 92 % at 14:10, now 37 %". */
char       *gauge_chart_dup_summary    (GaugeChart *self);

/* The hover readout at x (widget coordinates), or NULL outside the plot. */
char       *gauge_chart_dup_readout_at (GaugeChart *self,
                                        double      x);

/* --- For the charts themselves ------------------------------------------- */

/* Where the data is drawn, in widget coordinates, and what it spans. */
typedef struct
{
  double left, top, width, height;
  double ymax;
  gint64 start_ms, end_ms;
} GaugeChartPlot;

/* The theme's colours, looked up on every draw so dark mode and the accent follow. */
typedef struct
{
  GdkRGBA  fg;
  GdkRGBA  accent;
  GdkRGBA  warning;
  GdkRGBA  error;
  GdkRGBA  view_bg;
  gboolean dark;
} GaugeChartColors;

struct _GaugeChartClass
{
  GtkWidgetClass parent_class;

  int       natural_height;
  double    legend_height;      /* room under the time axis, for one line of legend */
  gboolean  fit_axis_labels;    /* widen the left margin to the widest value label */

  /* The top of the value axis, and how many grid lines divide it. */
  double    (*get_ymax)          (GaugeChart             *self);
  guint     (*get_n_gridlines)   (GaugeChart             *self,
                                  double                  ymax);
  char     *(*format_axis_value) (GaugeChart             *self,
                                  double                  value);
  /* What the data spans, for a chart given no range; FALSE when it has none. */
  gboolean  (*get_data_range)    (GaugeChart             *self,
                                  gint64                 *start_ms,
                                  gint64                 *end_ms);
  char     *(*dup_summary)       (GaugeChart             *self,
                                  const char             *title,
                                  const char             *range_label,
                                  gint64                  start_ms,
                                  gint64                  end_ms);
  char     *(*dup_readout)       (GaugeChart             *self,
                                  const GaugeChartPlot   *plot,
                                  gint64                  t_ms);
  void      (*draw)              (GaugeChart             *self,
                                  cairo_t                *cr,
                                  const GaugeChartPlot   *plot,
                                  const GaugeChartColors *colors);
  /* Lines of legend between @left and @right (optional; one when unset): it wraps. */
  guint     (*get_legend_lines)  (GaugeChart             *self,
                                  double                  left,
                                  double                  right);
  /* Under the readout (optional): marks what it reads, and may move *@x to it. */
  void      (*draw_hover)        (GaugeChart             *self,
                                  cairo_t                *cr,
                                  const GaugeChartPlot   *plot,
                                  const GaugeChartColors *colors,
                                  gint64                  t_ms,
                                  double                 *x);
};

/* The summary and the drawing changed with the data. */
void  gauge_chart_changed     (GaugeChart *self);
/* A time as the charts show it, in local time: "14:10", "21 Nov", or "21 Nov 14:10" when
 * @with_day_and_time and @span_ms is over a day. */
char *gauge_chart_format_time (gint64      t_ms,
                               gint64      span_ms,
                               gboolean    with_day_and_time);

static inline double
gauge_chart_plot_x (const GaugeChartPlot *plot,
                    gint64                t_ms)
{
  return plot->left + plot->width * (double) (t_ms - plot->start_ms) /
                      (double) (plot->end_ms - plot->start_ms);
}

static inline double
gauge_chart_plot_y (const GaugeChartPlot *plot,
                    double                value)
{
  return plot->top + plot->height * (1.0 - value / plot->ymax);
}

G_END_DECLS
