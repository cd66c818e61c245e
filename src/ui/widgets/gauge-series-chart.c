/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-series-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-drawing.h"
#include "gauge-format.h"
#include "gauge-series-chart.h"

/*
 * A limit's utilization over time. Cheap however many readings it is given: at most four
 * points per pixel column are stroked, and where readings outnumber the columns each
 * column's range is filled instead.
 */

struct _GaugeSeriesChart
{
  GaugeChart  parent_instance;

  double      warning;
  double      critical;
  GArray     *points;          /* GaugeSeriesPoint */
  gint64      max_gap_ms;
  GArray     *resets;          /* gint64 */
};

G_DEFINE_FINAL_TYPE (GaugeSeriesChart, gauge_series_chart, GAUGE_TYPE_CHART)

gboolean
gauge_series_chart_lookup_nearest (const GaugeSeriesPoint *points,
                                   guint                   n_points,
                                   gint64                  t_ms,
                                   guint                  *index)
{
  guint lo = 0;
  guint hi = n_points;
  gint64 best_distance = G_MAXINT64;
  gboolean found = FALSE;

  g_return_val_if_fail (points != NULL || n_points == 0, FALSE);

  /* First point at or after t_ms; then walk outwards past gaps. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (points[mid].t_ms < t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }

  for (guint i = lo; i < n_points; i++)
    if (!isnan (points[i].value))
      {
        best_distance = points[i].t_ms - t_ms;
        if (index != NULL)
          *index = i;
        found = TRUE;
        break;
      }

  for (guint i = lo; i > 0; i--)
    if (!isnan (points[i - 1].value))
      {
        /* Ties go to the earlier point: the reading a user already saw. */
        if (t_ms - points[i - 1].t_ms <= best_distance)
          {
            if (index != NULL)
              *index = i - 1;
            found = TRUE;
          }
        break;
      }

  return found;
}

static const GaugeSeriesPoint *
get_points (GaugeSeriesChart *self)
{
  return (const GaugeSeriesPoint *) (gpointer) self->points->data;
}

/* The reading nearest @t_ms, or NULL. */
static const GaugeSeriesPoint *
nearest (GaugeSeriesChart *self,
         gint64            t_ms)
{
  guint index;

  if (!gauge_series_chart_lookup_nearest (get_points (self), self->points->len, t_ms, &index))
    return NULL;
  return &get_points (self)[index];
}

/* y_of() rounded to a pixel edge. */
static inline double
row_of (const GaugeChartPlot *plot,
        double                value)
{
  return round (gauge_chart_plot_y (plot, value));
}

/* --- The axes, and words -------------------------------------------------- */

static double
gauge_series_chart_get_ymax (GaugeChart *chart)
{
  GaugeSeriesChart *self = GAUGE_SERIES_CHART (chart);
  double max = 0.0;

  for (guint i = 0; i < self->points->len; i++)
    {
      double v = get_points (self)[i].value;

      if (!isnan (v))
        max = MAX (max, v);
    }
  /* 0–100 %, extended in steps of 25 when a window went over. */
  return max <= 100.0 ? 100.0 : ceil (max / 25.0) * 25.0;
}

/* Lines every 25 %. */
static guint
gauge_series_chart_get_n_gridlines (GaugeChart *chart,
                                    double      ymax)
{
  return (guint) round (ymax / 25.0);
}

static char *
gauge_series_chart_format_axis_value (GaugeChart *chart,
                                      double      value)
{
  return g_strdup_printf ("%.0f%%", value);
}

static gboolean
gauge_series_chart_get_data_range (GaugeChart *chart,
                                   gint64     *start_ms,
                                   gint64     *end_ms)
{
  GaugeSeriesChart *self = GAUGE_SERIES_CHART (chart);

  if (self->points->len == 0)
    return FALSE;

  *start_ms = get_points (self)[0].t_ms;
  *end_ms = get_points (self)[self->points->len - 1].t_ms;
  return TRUE;
}

static char *
gauge_series_chart_dup_summary (GaugeChart *chart,
                                const char *title,
                                const char *range,
                                gint64      start_ms,
                                gint64      end_ms)
{
  GaugeSeriesChart *self = GAUGE_SERIES_CHART (chart);
  const GaugeSeriesPoint *peak = NULL;
  const GaugeSeriesPoint *last = NULL;
  g_autofree char *peak_value = NULL;
  g_autofree char *peak_time = NULL;
  g_autofree char *now_value = NULL;

  for (guint i = 0; i < self->points->len; i++)
    {
      const GaugeSeriesPoint *p = &get_points (self)[i];

      if (isnan (p->value))
        continue;
      /* The latest time a peak was reached is the one that matters now. */
      if (peak == NULL || p->value >= peak->value)
        peak = p;
      last = p;
    }

  if (peak == NULL)
    /* Translators: chart summary, e.g. "5-hour usage, last 24 h: no readings yet" */
    return g_strdup_printf (_("%s, %s: no readings yet"), title, range);

  peak_value = gauge_format_percent (peak->value);
  peak_time = gauge_chart_format_time (peak->t_ms, end_ms - start_ms, TRUE);
  now_value = gauge_format_percent (last->value);

  /* Translators: chart summary, e.g. "5-hour usage, last 24 h: peak 92 % at 14:10, now 37 %" */
  return g_strdup_printf (_("%s, %s: peak %s at %s, now %s"),
                          title, range, peak_value, peak_time, now_value);
}

static char *
gauge_series_chart_dup_readout (GaugeChart           *chart,
                                const GaugeChartPlot *plot,
                                gint64                t_ms)
{
  const GaugeSeriesPoint *p = nearest (GAUGE_SERIES_CHART (chart), t_ms);
  g_autofree char *when = NULL;
  g_autofree char *value = NULL;

  if (p == NULL)
    return NULL;

  when = gauge_chart_format_time (p->t_ms, plot->end_ms - plot->start_ms, TRUE);
  value = gauge_format_percent (p->value);
  return g_strdup_printf ("%s  %s", when, value);
}

/* --- Drawing -------------------------------------------------------------- */

static void
draw_threshold (cairo_t              *cr,
                const GaugeChartPlot *plot,
                double                value,
                const GdkRGBA        *color)
{
  double y;

  if (value <= 0.0 || value > plot->ymax)
    return;

  y = round (gauge_chart_plot_y (plot, value)) + 0.5;
  gauge_drawing_set_source (cr, color, 0.7);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 6.0, 3.0 }, 2, 0);
  cairo_move_to (cr, plot->left, y);
  cairo_line_to (cr, plot->left + plot->width, y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/*
 * At most four points per pixel column (first, lowest, highest, last), in
 * time order: the same picture as every point, at a cost bound by the width.
 * Gaps (NAN) pass through.
 */
static GArray *
decimate (const GaugeSeriesPoint *points,
          guint                   n,
          const GaugeChartPlot   *plot)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (GaugeSeriesPoint),
                                   MIN (n, (guint) plot->width * 4 + 16));
  guint i = 0;

  while (i < n)
    {
      guint first = i, lo = i, hi = i, last = i;
      guint keep[4];
      guint n_keep = 0;
      gint64 column;

      if (isnan (points[i].value))
        {
          g_array_append_val (out, points[i]);
          i++;
          continue;
        }

      column = (gint64) floor (gauge_chart_plot_x (plot, points[i].t_ms));
      for (i++; i < n && !isnan (points[i].value) &&
                (gint64) floor (gauge_chart_plot_x (plot, points[i].t_ms)) == column; i++)
        {
          if (points[i].value < points[lo].value)
            lo = i;
          if (points[i].value > points[hi].value)
            hi = i;
          last = i;
        }

      keep[n_keep++] = first;
      if (MIN (lo, hi) != first)
        keep[n_keep++] = MIN (lo, hi);
      if (MAX (lo, hi) != keep[n_keep - 1])
        keep[n_keep++] = MAX (lo, hi);
      if (last != keep[n_keep - 1])
        keep[n_keep++] = last;
      for (guint k = 0; k < n_keep; k++)
        g_array_append_val (out, points[keep[k]]);
    }

  return out;
}

typedef enum
{
  TRACE_AREA,
  TRACE_LINE,
  TRACE_DOTS,   /* lone readings, which have no line */
} Trace;

/* The line as runs of joined points; a gap (NAN or too long apart) ends a run. */
static void
trace_series (GaugeSeriesChart     *self,
              cairo_t              *cr,
              const GaugeChartPlot *plot,
              GArray               *drawn,
              Trace                 trace)
{
  const GaugeSeriesPoint *points = (const GaugeSeriesPoint *) (gpointer) drawn->data;
  guint n = drawn->len;
  guint i = 0;
  double baseline = gauge_chart_plot_y (plot, 0.0);

  while (i < n)
    {
      guint run_start;
      guint run_end;

      while (i < n && isnan (points[i].value))
        i++;
      if (i >= n)
        break;

      run_start = i;
      run_end = i + 1;
      while (run_end < n && !isnan (points[run_end].value) &&
             (self->max_gap_ms <= 0 ||
              points[run_end].t_ms - points[run_end - 1].t_ms <= self->max_gap_ms))
        run_end++;

      if (run_end - run_start == 1)
        {
          /* A lone reading still shows, as a dot. */
          if (trace == TRACE_DOTS)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, gauge_chart_plot_x (plot, points[run_start].t_ms),
                         gauge_chart_plot_y (plot, points[run_start].value), 2.5, 0, 2 * G_PI);
            }
        }
      else if (trace != TRACE_DOTS)
        {
          gboolean area = trace == TRACE_AREA;

          cairo_move_to (cr, gauge_chart_plot_x (plot, points[run_start].t_ms),
                         area ? baseline : gauge_chart_plot_y (plot, points[run_start].value));
          for (guint k = run_start; k < run_end; k++)
            cairo_line_to (cr, gauge_chart_plot_x (plot, points[k].t_ms),
                           gauge_chart_plot_y (plot, points[k].value));
          if (area)
            {
              cairo_line_to (cr, gauge_chart_plot_x (plot, points[run_end - 1].t_ms), baseline);
              cairo_close_path (cr);
            }
          else
            cairo_new_sub_path (cr);
        }

      i = run_end;
    }
}

static void
stroke_series (GaugeSeriesChart     *self,
               cairo_t              *cr,
               const GaugeChartPlot *plot,
               GArray               *drawn,
               const GdkRGBA        *color)
{
  gauge_drawing_set_source (cr, color, 1.0);
  trace_series (self, cr, plot, drawn, TRACE_LINE);
  cairo_stroke (cr);
  trace_series (self, cr, plot, drawn, TRACE_DOTS);
  cairo_fill (cr);
}

/*
 * More readings than pixel columns (a year of 5-hour windows resets every few
 * pixels): a stroked zig-zag costs tens of milliseconds in cairo and shows
 * nothing more than each column's range. Fill that range per column instead,
 * in whole pixels: cairo fills pixel-aligned boxes directly, while boxes with
 * fractional edges go through its general rasterizer (a 30-day chart of
 * 5-hour windows: 9 ms instead of 2).
 */
static void
draw_dense (GaugeSeriesChart     *self,
            cairo_t              *cr,
            const GaugeChartPlot *plot,
            const GdkRGBA        *line,
            const GdkRGBA        *fill)
{
  guint columns = (guint) ceil (plot->width);
  g_autofree double *lo = NULL;
  g_autofree double *hi = NULL;
  double baseline = row_of (plot, 0.0);

  lo = g_new (double, columns);
  hi = g_new (double, columns);
  for (guint c = 0; c < columns; c++)
    lo[c] = hi[c] = NAN;

  for (guint i = 0; i < self->points->len; i++)
    {
      const GaugeSeriesPoint *p = &get_points (self)[i];
      int c;

      if (isnan (p->value) || p->t_ms < plot->start_ms || p->t_ms > plot->end_ms)
        continue;
      c = CLAMP ((int) (gauge_chart_plot_x (plot, p->t_ms) - plot->left), 0, (int) columns - 1);
      lo[c] = isnan (lo[c]) ? p->value : MIN (lo[c], p->value);
      hi[c] = isnan (hi[c]) ? p->value : MAX (hi[c], p->value);
    }

  if (fill != NULL)
    {
      for (guint c = 0; c < columns; c++)
        if (!isnan (hi[c]))
          cairo_rectangle (cr, plot->left + c, row_of (plot, hi[c]), 1,
                           baseline - row_of (plot, hi[c]));
      gauge_drawing_set_source (cr, fill, 0.15);
      cairo_fill (cr);
    }

  for (guint c = 0; c < columns; c++)
    {
      double top, bottom;

      if (isnan (hi[c]))
        continue;
      /* The line follows each column's peak (resets would fill every column
       * down to zero otherwise), joined to the column before. */
      top = bottom = hi[c];
      if (c > 0 && !isnan (hi[c - 1]))
        {
          top = MAX (top, hi[c - 1]);
          bottom = MIN (bottom, hi[c - 1]);
        }
      cairo_rectangle (cr, plot->left + c, row_of (plot, top) - 1, 1,
                       row_of (plot, bottom) - row_of (plot, top) + 2);
    }
  gauge_drawing_set_source (cr, line, 1.0);
  cairo_fill (cr);
}

static void
draw_resets (GaugeSeriesChart       *self,
             cairo_t                *cr,
             const GaugeChartPlot   *plot,
             const GaugeChartColors *colors)
{
  for (guint i = 0; i < self->resets->len; i++)
    {
      gint64 t = g_array_index (self->resets, gint64, i);
      double x;

      if (t < plot->start_ms || t > plot->end_ms)
        continue;
      x = round (gauge_chart_plot_x (plot, t)) + 0.5;
      gauge_drawing_set_source (cr, &colors->fg, 0.35);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 3.0, 3.0 }, 2, 0);
      cairo_move_to (cr, x, plot->top);
      cairo_line_to (cr, x, plot->top + plot->height);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

/* Clips to the plot's rows up to 100 %, drawn in the accent, or with @over to the rows
 * above it (and the 3 px over the plot a line's width takes), drawn in the error colour.
 * 100 % sits on a pixel edge, so that the clips stay pixel-aligned. */
static void
clip_to_band (cairo_t              *cr,
              const GaugeChartPlot *plot,
              gboolean              over)
{
  double y100 = row_of (plot, 100.0);

  if (over)
    cairo_rectangle (cr, plot->left, plot->top - 3, plot->width, y100 - plot->top + 3);
  else
    cairo_rectangle (cr, plot->left, y100, plot->width, plot->height);
  cairo_clip (cr);
}

static void
gauge_series_chart_draw (GaugeChart             *chart,
                         cairo_t                *cr,
                         const GaugeChartPlot   *plot,
                         const GaugeChartColors *colors)
{
  GaugeSeriesChart *self = GAUGE_SERIES_CHART (chart);
  g_autoptr(GArray) drawn = decimate (get_points (self), self->points->len, plot);

  draw_resets (self, cr, plot, colors);
  draw_threshold (cr, plot, self->warning, &colors->warning);
  draw_threshold (cr, plot, self->critical, &colors->error);

  cairo_save (cr);
  cairo_rectangle (cr, plot->left, plot->top - 3, plot->width, plot->height + 3);
  cairo_clip (cr);

  if (self->points->len > ceil (plot->width) * 6 / 5)
    {
      /* Accent up to 100 %, the error colour above it, as below. */
      cairo_save (cr);
      clip_to_band (cr, plot, FALSE);
      draw_dense (self, cr, plot, &colors->accent, &colors->accent);
      cairo_restore (cr);
      if (plot->ymax > 100.0)
        {
          clip_to_band (cr, plot, TRUE);
          draw_dense (self, cr, plot, &colors->error, NULL);
        }
      cairo_restore (cr);
      return;
    }

  /* The line covers the fill's top edge, so the fill needs no antialiasing, which costs
   * most where resets make it a comb of tall edges (a 7-day chart: 3.4 ms instead of 5). */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  trace_series (self, cr, plot, drawn, TRACE_AREA);
  gauge_drawing_set_source (cr, &colors->accent, 0.15);
  cairo_fill (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);

  cairo_set_line_width (cr, 2.0);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_BEVEL);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  /* Accent up to 100 %, the error colour above it. */
  cairo_save (cr);
  clip_to_band (cr, plot, FALSE);
  stroke_series (self, cr, plot, drawn, &colors->accent);
  cairo_restore (cr);

  if (plot->ymax > 100.0)
    {
      cairo_save (cr);
      clip_to_band (cr, plot, TRUE);
      stroke_series (self, cr, plot, drawn, &colors->error);
      cairo_restore (cr);
    }

  cairo_restore (cr);
}

/* A line down to the reading the readout reads, and a dot on it. */
static void
gauge_series_chart_draw_hover (GaugeChart             *chart,
                               cairo_t                *cr,
                               const GaugeChartPlot   *plot,
                               const GaugeChartColors *colors,
                               gint64                  t_ms,
                               double                 *x)
{
  const GaugeSeriesPoint *p = nearest (GAUGE_SERIES_CHART (chart), t_ms);

  if (p == NULL)
    return;

  *x = gauge_chart_plot_x (plot, p->t_ms);
  gauge_drawing_set_source (cr, &colors->fg, 0.4);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, round (*x) + 0.5, plot->top);
  cairo_line_to (cr, round (*x) + 0.5, plot->top + plot->height);
  cairo_stroke (cr);
  gauge_drawing_set_source (cr, p->value > 100.0 ? &colors->error : &colors->accent, 1.0);
  cairo_arc (cr, *x, gauge_chart_plot_y (plot, p->value), 4.0, 0, 2 * G_PI);
  cairo_fill_preserve (cr);
  gauge_drawing_set_source (cr, &colors->view_bg, 1.0);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

/* --- GObject -------------------------------------------------------------- */

static void
gauge_series_chart_finalize (GObject *object)
{
  GaugeSeriesChart *self = GAUGE_SERIES_CHART (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->resets, g_array_unref);

  G_OBJECT_CLASS (gauge_series_chart_parent_class)->finalize (object);
}

static void
gauge_series_chart_class_init (GaugeSeriesChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GaugeChartClass *chart_class = GAUGE_CHART_CLASS (klass);

  object_class->finalize = gauge_series_chart_finalize;

  chart_class->natural_height = 180;
  chart_class->get_ymax = gauge_series_chart_get_ymax;
  chart_class->get_n_gridlines = gauge_series_chart_get_n_gridlines;
  chart_class->format_axis_value = gauge_series_chart_format_axis_value;
  chart_class->get_data_range = gauge_series_chart_get_data_range;
  chart_class->dup_summary = gauge_series_chart_dup_summary;
  chart_class->dup_readout = gauge_series_chart_dup_readout;
  chart_class->draw = gauge_series_chart_draw;
  chart_class->draw_hover = gauge_series_chart_draw_hover;
}

static void
gauge_series_chart_init (GaugeSeriesChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (GaugeSeriesPoint));
  self->resets = g_array_new (FALSE, FALSE, sizeof (gint64));

  gauge_chart_changed (GAUGE_CHART (self));
}

GtkWidget *
gauge_series_chart_new (void)
{
  return g_object_new (GAUGE_TYPE_SERIES_CHART, NULL);
}

void
gauge_series_chart_set_thresholds (GaugeSeriesChart *self,
                                   double            warning,
                                   double            critical)
{
  g_return_if_fail (GAUGE_IS_SERIES_CHART (self));

  self->warning = warning;
  self->critical = critical;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gauge_series_chart_set_series (GaugeSeriesChart       *self,
                               const GaugeSeriesPoint *points,
                               guint                   n_points,
                               gint64                  max_gap_ms)
{
  g_return_if_fail (GAUGE_IS_SERIES_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  if (n_points > 0)
    g_array_append_vals (self->points, points, n_points);
  self->max_gap_ms = max_gap_ms;
  gauge_chart_changed (GAUGE_CHART (self));
}

void
gauge_series_chart_set_resets (GaugeSeriesChart *self,
                               const gint64     *resets_ms,
                               guint             n_resets)
{
  g_return_if_fail (GAUGE_IS_SERIES_CHART (self));
  g_return_if_fail (resets_ms != NULL || n_resets == 0);

  g_array_set_size (self->resets, 0);
  if (n_resets > 0)
    g_array_append_vals (self->resets, resets_ms, n_resets);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
