/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gauge-chart.h"
#include "gauge-drawing.h"
#include "gauge-format.h"

/*
 * A chart drawn in snapshot with cairo (GskPath is 4.14+): either one series
 * of official utilization over time (resets as dashed verticals, thresholds as
 * horizontal lines, gaps left open) or bars stacked by model. Colours are
 * looked up from the theme on every draw, so dark mode and the accent follow.
 * The hover readout is drawn in the plot; the accessible label and tooltip are
 * a one-line summary in words.
 */

#define MARGIN_LEFT   44
#define MARGIN_RIGHT  10
#define MARGIN_TOP    10
#define MARGIN_BOTTOM 24
#define LEGEND_HEIGHT 22

typedef enum
{
  MODE_SERIES,
  MODE_BARS,
} ChartMode;

struct _GaugeChart
{
  GtkWidget        parent_instance;

  ChartMode        mode;
  char            *title;
  char            *range_label;
  gint64           start_ms;
  gint64           end_ms;
  double           warning;
  double           critical;

  GArray          *points;          /* GaugeChartPoint */
  gint64           max_gap_ms;
  GArray          *resets;          /* gint64 */

  GArray          *bar_starts;      /* gint64 */
  gint64           bucket_ms;
  GPtrArray       *series_names;
  GArray          *bar_values;      /* double, n_bars × n_series */
  GaugeChartUnit   unit;

  GaugeDrawingHover hover;          /* x is -1 when the pointer is outside */
};

G_DEFINE_FINAL_TYPE (GaugeChart, gauge_chart, GTK_TYPE_WIDGET)

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA warning;
  GdkRGBA error;
  GdkRGBA view_bg;
  gboolean dark;
} ChartColors;

/* --- Pure helpers --------------------------------------------------------- */

gboolean
gauge_chart_lookup_nearest (const GaugeChartPoint *points,
                            guint                  n_points,
                            gint64                 t_ms,
                            guint                 *index)
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

static const char *
model_family (const char *model)
{
  if (model == NULL)
    return NULL;
  if (strstr (model, "opus") != NULL)
    return "opus";
  if (strstr (model, "sonnet") != NULL)
    return "sonnet";
  if (strstr (model, "haiku") != NULL)
    return "haiku";
  return NULL;
}

void
gauge_chart_model_color (const char *model,
                         guint       position,
                         gboolean    dark,
                         GdkRGBA    *color)
{
  /* GNOME palette shades that keep contrast on both backgrounds; the light
   * and dark columns differ only in lightness. Opus, Sonnet, Haiku fixed. */
  static const char * const light[] = {
    "#9141ac", "#1c71d8", "#26a269", "#e66100", "#c64600", "#986a44", "#5e5c64",
  };
  static const char * const dark_palette[] = {
    "#c061cb", "#62a0ea", "#57e389", "#ffa348", "#f66151", "#cdab8f", "#9a9996",
  };
  const char * const *palette = dark ? dark_palette : light;
  const char *family = model_family (model);
  guint slot;

  if (g_strcmp0 (family, "opus") == 0)
    slot = 0;
  else if (g_strcmp0 (family, "sonnet") == 0)
    slot = 1;
  else if (g_strcmp0 (family, "haiku") == 0)
    slot = 2;
  else
    slot = 3 + position % (G_N_ELEMENTS (light) - 3);

  gdk_rgba_parse (color, palette[slot]);
}

static char *
format_value (GaugeChartUnit unit,
              double         value)
{
  switch (unit)
    {
    case GAUGE_CHART_UNIT_TOKENS:
      return gauge_format_tokens (value);
    case GAUGE_CHART_UNIT_COST:
      return gauge_format_usd (value);
    case GAUGE_CHART_UNIT_PERCENT:
    default:
      return gauge_format_percent (value);
    }
}

/* Axis labels: whole dollars where they are whole, "$37.50" otherwise. */
static char *
format_axis_value (GaugeChartUnit unit,
                   double         value)
{
  if (unit == GAUGE_CHART_UNIT_COST && fabs (value - round (value)) < 0.005)
    return g_strdup_printf ("$%.0f", value);
  return format_value (unit, value);
}

static char *
format_time (gint64  t_ms,
             gint64  span_ms,
             gboolean with_day_and_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);

  if (with_day_and_time && span_ms > G_TIME_SPAN_DAY / 1000)
    /* Translators: a day and a time in a chart readout, see strftime */
    return g_date_time_format (local, _("%e %b %H:%M"));
  if (span_ms > G_TIME_SPAN_DAY / 1000)
    /* Translators: a day in a chart, see strftime */
    return g_date_time_format (local, _("%e %b"));
  return g_date_time_format (local, "%H:%M");
}

static char *
strip (char *text)
{
  return g_strstrip (text);
}

/* --- Geometry ------------------------------------------------------------- */

static guint
n_series (GaugeChart *self)
{
  return self->series_names != NULL ? self->series_names->len : 0;
}

static double
bar_total (GaugeChart *self,
           guint       bar)
{
  guint n = n_series (self);
  double total = 0.0;

  for (guint s = 0; s < n; s++)
    total += g_array_index (self->bar_values, double, bar * n + s);
  return total;
}

static double
y_max (GaugeChart *self)
{
  double max = 0.0;

  if (self->mode == MODE_SERIES)
    {
      for (guint i = 0; i < self->points->len; i++)
        {
          double v = g_array_index (self->points, GaugeChartPoint, i).value;

          if (!isnan (v))
            max = MAX (max, v);
        }
      /* 0–100 %, extended in steps of 25 when a window went over. */
      return max <= 100.0 ? 100.0 : ceil (max / 25.0) * 25.0;
    }

  for (guint i = 0; i < self->bar_starts->len; i++)
    max = MAX (max, bar_total (self, i));

  if (max <= 0.0)
    return 1.0;

  /* A round top whose quarters are round too: $1, $2, $3, $4, not $0.62. */
  {
    double magnitude = pow (10.0, floor (log10 (max)));
    double steps[] = { 1.0, 2.0, 4.0, 6.0, 8.0, 10.0 };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      if (steps[i] * magnitude >= max)
        return steps[i] * magnitude;
    return 10.0 * magnitude;
  }
}

typedef struct
{
  double left, top, width, height;
  double ymax;
  gint64 start_ms, end_ms;
} Plot;

static void
get_range (GaugeChart *self,
           gint64     *start_ms,
           gint64     *end_ms)
{
  *start_ms = self->start_ms;
  *end_ms = self->end_ms;

  if (*end_ms > *start_ms)
    return;

  if (self->mode == MODE_SERIES && self->points->len > 0)
    {
      *start_ms = g_array_index (self->points, GaugeChartPoint, 0).t_ms;
      *end_ms = g_array_index (self->points, GaugeChartPoint, self->points->len - 1).t_ms;
    }
  else if (self->mode == MODE_BARS && self->bar_starts->len > 0)
    {
      *start_ms = g_array_index (self->bar_starts, gint64, 0);
      *end_ms = g_array_index (self->bar_starts, gint64, self->bar_starts->len - 1) +
                self->bucket_ms;
    }

  if (*end_ms <= *start_ms)
    {
      *start_ms -= 30 * 60 * 1000;
      *end_ms = *start_ms + 60 * 60 * 1000;
    }
}

static void
get_plot (GaugeChart *self,
          Plot       *plot)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double bottom = MARGIN_BOTTOM + (self->mode == MODE_BARS ? LEGEND_HEIGHT : 0);

  plot->ymax = y_max (self);
  plot->left = MARGIN_LEFT;
  if (self->mode == MODE_BARS)
    {
      /* Room for the widest axis label, the top one. */
      g_autofree char *label = format_axis_value (self->unit, plot->ymax * 0.75);
      g_autofree char *top = format_axis_value (self->unit, plot->ymax);
      PangoLayout *layout = gauge_drawing_get_layout (GTK_WIDGET (self),
                                                      strlen (label) > strlen (top) ? label : top);
      int label_width;

      pango_layout_get_pixel_size (layout, &label_width, NULL);
      plot->left = MAX (MARGIN_LEFT, label_width + 10);
    }
  plot->top = MARGIN_TOP;
  plot->width = MAX (1.0, width - plot->left - MARGIN_RIGHT);
  plot->height = MAX (1.0, height - MARGIN_TOP - bottom);
  get_range (self, &plot->start_ms, &plot->end_ms);
}

static inline double
x_of (const Plot *plot,
      gint64      t_ms)
{
  return plot->left + plot->width * (double) (t_ms - plot->start_ms) /
                      (double) (plot->end_ms - plot->start_ms);
}

static inline double
y_of (const Plot *plot,
      double      value)
{
  return plot->top + plot->height * (1.0 - value / plot->ymax);
}

/* y_of() rounded to a pixel edge. */
static inline double
row_of (const Plot *plot,
        double      value)
{
  return round (y_of (plot, value));
}

static inline gint64
t_of (const Plot *plot,
      double      x)
{
  return plot->start_ms + (gint64) ((x - plot->left) / plot->width *
                                    (double) (plot->end_ms - plot->start_ms));
}

/* --- Summary and readout -------------------------------------------------- */

char *
gauge_chart_dup_summary (GaugeChart *self)
{
  const char *title;
  const char *range;
  gint64 start_ms, end_ms;

  g_return_val_if_fail (GAUGE_IS_CHART (self), NULL);

  title = self->title != NULL ? self->title : _("Usage");
  range = self->range_label != NULL ? self->range_label : "";
  get_range (self, &start_ms, &end_ms);

  if (self->mode == MODE_SERIES)
    {
      const GaugeChartPoint *peak = NULL;
      const GaugeChartPoint *last = NULL;
      g_autofree char *peak_value = NULL;
      g_autofree char *peak_time = NULL;
      g_autofree char *now_value = NULL;

      for (guint i = 0; i < self->points->len; i++)
        {
          const GaugeChartPoint *p = &g_array_index (self->points, GaugeChartPoint, i);

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
      peak_time = strip (format_time (peak->t_ms, end_ms - start_ms, TRUE));
      now_value = gauge_format_percent (last->value);

      /* Translators: chart summary, e.g. "5-hour usage, last 24 h: peak 92 % at 14:10, now 37 %" */
      return g_strdup_printf (_("%s, %s: peak %s at %s, now %s"),
                              title, range, peak_value, peak_time, now_value);
    }
  else
    {
      double total = 0.0;
      double best = -1.0;
      guint best_bar = 0;
      g_autofree char *total_text = NULL;
      g_autofree char *best_text = NULL;
      g_autofree char *best_time = NULL;

      for (guint i = 0; i < self->bar_starts->len; i++)
        {
          double v = bar_total (self, i);

          total += v;
          if (v > best)
            {
              best = v;
              best_bar = i;
            }
        }

      if (total <= 0.0)
        /* Translators: chart summary, e.g. "Cost per day, last 30 days: no usage" */
        return g_strdup_printf (_("%s, %s: no usage"), title, range);

      total_text = format_value (self->unit, total);
      best_text = format_value (self->unit, best);
      best_time = strip (format_time (g_array_index (self->bar_starts, gint64, best_bar),
                                      self->bucket_ms >= 86400000 ? 2 * 86400000 : 0,
                                      FALSE));

      /* Translators: chart summary, e.g. "Cost per day, last 7 days: $41.20 in all, most $12.40 on 21 Nov" */
      return g_strdup_printf (self->bucket_ms >= 86400000 ? _("%s, %s: %s in all, most %s on %s")
                                                          : _("%s, %s: %s in all, most %s at %s"),
                              title, range, total_text, best_text, best_time);
    }
}

char *
gauge_chart_dup_readout_at (GaugeChart *self,
                            double      x)
{
  Plot plot;
  gint64 t_ms;

  g_return_val_if_fail (GAUGE_IS_CHART (self), NULL);

  get_plot (self, &plot);
  if (x < plot.left - 4 || x > plot.left + plot.width + 4)
    return NULL;
  t_ms = t_of (&plot, x);

  if (self->mode == MODE_SERIES)
    {
      guint index;
      const GaugeChartPoint *p;
      g_autofree char *when = NULL;
      g_autofree char *value = NULL;

      if (!gauge_chart_lookup_nearest ((const GaugeChartPoint *) (gpointer) self->points->data,
                                       self->points->len, t_ms, &index))
        return NULL;

      p = &g_array_index (self->points, GaugeChartPoint, index);
      when = strip (format_time (p->t_ms, plot.end_ms - plot.start_ms, TRUE));
      value = gauge_format_percent (p->value);
      return g_strdup_printf ("%s  %s", when, value);
    }
  else
    {
      guint n = n_series (self);
      GString *out;
      g_autofree char *when = NULL;
      g_autofree char *total = NULL;

      for (guint i = 0; i < self->bar_starts->len; i++)
        {
          gint64 start = g_array_index (self->bar_starts, gint64, i);

          if (t_ms < start || t_ms >= start + self->bucket_ms)
            continue;

          when = strip (format_time (start, self->bucket_ms >= 86400000 ? 2 * 86400000 : 0,
                                     FALSE));
          total = format_value (self->unit, bar_total (self, i));
          out = g_string_new (NULL);
          g_string_append_printf (out, "%s  %s", when, total);

          for (guint s = 0; s < n; s++)
            {
              double v = g_array_index (self->bar_values, double, i * n + s);
              g_autofree char *text = NULL;

              if (v <= 0.0)
                continue;
              text = format_value (self->unit, v);
              g_string_append_printf (out, "\n%s  %s",
                                      (const char *) self->series_names->pdata[s], text);
            }
          return g_string_free (out, FALSE);
        }
      return NULL;
    }
}

static void
update_summary (GaugeChart *self)
{
  g_autofree char *summary = gauge_chart_dup_summary (self);

  gauge_drawing_describe (GTK_WIDGET (self), summary);
}

static void
changed (GaugeChart *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- Drawing -------------------------------------------------------------- */

static void
get_colors (GaugeChart  *self,
            ChartColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gauge_drawing_get_color (widget, &colors->fg);
  gauge_drawing_lookup_color (widget, "accent_color", "#1c71d8", &colors->accent);
  gauge_drawing_lookup_color (widget, "warning_color", "#9c6e03", &colors->warning);
  gauge_drawing_lookup_color (widget, "error_color", "#c01c28", &colors->error);
  gauge_drawing_lookup_color (widget, "view_bg_color", "#ffffff", &colors->view_bg);
  /* Light text means a dark background. */
  colors->dark = (0.299 * colors->fg.red + 0.587 * colors->fg.green +
                  0.114 * colors->fg.blue) > 0.5;
}

/* A tick step that gives about four to eight labels in local time. */
static gint64
tick_step_ms (gint64 span_ms,
              double width)
{
  static const gint64 steps_h[] = { 1, 2, 3, 6, 12, 24, 48, 24 * 7, 24 * 14, 24 * 30, 24 * 60,
                                    24 * 90 };
  guint max_labels = MAX (2, (guint) (width / 90.0));

  for (guint i = 0; i < G_N_ELEMENTS (steps_h); i++)
    if (span_ms / (steps_h[i] * 3600000) <= max_labels)
      return steps_h[i] * 3600000;
  return steps_h[G_N_ELEMENTS (steps_h) - 1] * 3600000;
}

static void
draw_axes (GaugeChart        *self,
           cairo_t           *cr,
           const Plot        *plot,
           const ChartColors *colors)
{
  gint64 span = plot->end_ms - plot->start_ms;
  gint64 step = tick_step_ms (span, plot->width);
  g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc (plot->start_ms / 1000);
  g_autoptr(GDateTime) start_local = g_date_time_to_local (start_utc);
  g_autoptr(GDateTime) tick = NULL;
  /* Lines every 25 % for utilization, quarters of the top for bars. */
  guint n_grid = self->mode == MODE_SERIES ? (guint) round (plot->ymax / 25.0) : 4;

  /* Horizontal grid and y labels. */
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i <= n_grid; i++)
    {
      double value = plot->ymax * i / n_grid;
      double y = round (y_of (plot, value)) + 0.5;
      g_autofree char *label = NULL;

      gauge_drawing_set_source (cr, &colors->fg, i == 0 ? 0.25 : 0.08);
      cairo_move_to (cr, plot->left, y);
      cairo_line_to (cr, plot->left + plot->width, y);
      cairo_stroke (cr);

      if (self->mode == MODE_SERIES)
        label = g_strdup_printf ("%.0f%%", value);
      else
        label = format_axis_value (self->unit, value);
      gauge_drawing_text (GTK_WIDGET (self), cr, label, plot->left - 6, y, 1.0, &colors->fg, 0.6);
    }

  /* Time labels on local boundaries: midnight for days, whole hours below. */
  if (step >= 30 * 86400000LL)
    /* Months start on the 1st. */
    tick = g_date_time_new_local (g_date_time_get_year (start_local),
                                  g_date_time_get_month (start_local), 1, 0, 0, 0);
  else if (step >= 86400000)
    tick = g_date_time_new_local (g_date_time_get_year (start_local),
                                  g_date_time_get_month (start_local),
                                  g_date_time_get_day_of_month (start_local), 0, 0, 0);
  else
    {
      int hours = (int) (step / 3600000);

      tick = g_date_time_new_local (g_date_time_get_year (start_local),
                                    g_date_time_get_month (start_local),
                                    g_date_time_get_day_of_month (start_local),
                                    g_date_time_get_hour (start_local) / hours * hours, 0, 0);
    }

  for (guint guard = 0; tick != NULL && guard < 64; guard++)
    {
      gint64 t_ms = g_date_time_to_unix (tick) * 1000;
      GDateTime *next;

      if (t_ms > plot->end_ms)
        break;

      if (t_ms >= plot->start_ms)
        {
          double x = round (x_of (plot, t_ms)) + 0.5;
          g_autofree char *label = step >= 30 * 86400000LL
                                   ? g_date_time_format (tick, "%b")
                                   : strip (format_time (t_ms, step >= 86400000 ? span : 0, FALSE));

          gauge_drawing_set_source (cr, &colors->fg, 0.25);
          cairo_move_to (cr, x, plot->top + plot->height);
          cairo_line_to (cr, x, plot->top + plot->height + 4);
          cairo_stroke (cr);
          gauge_drawing_text (GTK_WIDGET (self), cr, label,
                              CLAMP (x, plot->left + 12, plot->left + plot->width - 12),
                              plot->top + plot->height + 13, 0.5, &colors->fg, 0.6);
        }

      if (step >= 30 * 86400000LL)
        next = g_date_time_add_months (tick, (int) (step / (30 * 86400000LL)));
      else if (step >= 86400000)
        next = g_date_time_add_days (tick, (int) (step / 86400000));
      else
        next = g_date_time_add_hours (tick, (int) (step / 3600000));
      g_date_time_unref (tick);
      tick = next;
    }
}

static void
draw_threshold (cairo_t       *cr,
                const Plot    *plot,
                double         value,
                const GdkRGBA *color)
{
  double y;

  if (value <= 0.0 || value > plot->ymax)
    return;

  y = round (y_of (plot, value)) + 0.5;
  gauge_drawing_set_source (cr, color, 0.7);
  cairo_set_line_width (cr, 1.0);
  cairo_set_dash (cr, (double[]) { 6.0, 3.0 }, 2, 0);
  cairo_move_to (cr, plot->left, y);
  cairo_line_to (cr, plot->left + plot->width, y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* The line as runs of joined points; a gap (NAN or too long apart) ends a run. */
/*
 * At most four points per pixel column (first, lowest, highest, last), in
 * time order: the same picture as every point, at a cost bound by the width.
 * Gaps (NAN) pass through.
 */
static GArray *
decimate (const GaugeChartPoint *points,
          guint                  n,
          const Plot            *plot)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (GaugeChartPoint),
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

      column = (gint64) floor (x_of (plot, points[i].t_ms));
      for (i++; i < n && !isnan (points[i].value) &&
                (gint64) floor (x_of (plot, points[i].t_ms)) == column; i++)
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

static void
trace_series (GaugeChart *self,
              cairo_t    *cr,
              const Plot *plot,
              GArray     *drawn,
              Trace       trace)
{
  const GaugeChartPoint *points = (const GaugeChartPoint *) (gpointer) drawn->data;
  guint n = drawn->len;
  guint i = 0;
  double baseline = y_of (plot, 0.0);

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
              cairo_arc (cr, x_of (plot, points[run_start].t_ms),
                         y_of (plot, points[run_start].value), 2.5, 0, 2 * G_PI);
            }
        }
      else if (trace != TRACE_DOTS)
        {
          gboolean area = trace == TRACE_AREA;

          cairo_move_to (cr, x_of (plot, points[run_start].t_ms),
                         area ? baseline : y_of (plot, points[run_start].value));
          for (guint k = run_start; k < run_end; k++)
            cairo_line_to (cr, x_of (plot, points[k].t_ms), y_of (plot, points[k].value));
          if (area)
            {
              cairo_line_to (cr, x_of (plot, points[run_end - 1].t_ms), baseline);
              cairo_close_path (cr);
            }
          else
            cairo_new_sub_path (cr);
        }

      i = run_end;
    }
}

static void
stroke_series (GaugeChart    *self,
               cairo_t       *cr,
               const Plot    *plot,
               GArray        *drawn,
               const GdkRGBA *color)
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
static gboolean
draw_dense (GaugeChart    *self,
            cairo_t       *cr,
            const Plot    *plot,
            const GdkRGBA *line,
            const GdkRGBA *fill)
{
  guint columns = (guint) ceil (plot->width);
  g_autofree double *lo = NULL;
  g_autofree double *hi = NULL;
  double baseline = row_of (plot, 0.0);

  if (self->points->len <= columns * 6 / 5)
    return FALSE;

  lo = g_new (double, columns);
  hi = g_new (double, columns);
  for (guint c = 0; c < columns; c++)
    lo[c] = hi[c] = NAN;

  for (guint i = 0; i < self->points->len; i++)
    {
      const GaugeChartPoint *p = &g_array_index (self->points, GaugeChartPoint, i);
      int c;

      if (isnan (p->value) || p->t_ms < plot->start_ms || p->t_ms > plot->end_ms)
        continue;
      c = CLAMP ((int) (x_of (plot, p->t_ms) - plot->left), 0, (int) columns - 1);
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

  return TRUE;
}

static void
draw_series (GaugeChart        *self,
             cairo_t           *cr,
             const Plot        *plot,
             const ChartColors *colors)
{
  /* Where the colour changes, on a pixel edge so that the clips stay pixel-aligned. */
  double y100 = row_of (plot, 100.0);
  g_autoptr(GArray) drawn = decimate ((const GaugeChartPoint *) (gpointer) self->points->data,
                                      self->points->len, plot);

  for (guint i = 0; i < self->resets->len; i++)
    {
      gint64 t = g_array_index (self->resets, gint64, i);
      double x;

      if (t < plot->start_ms || t > plot->end_ms)
        continue;
      x = round (x_of (plot, t)) + 0.5;
      gauge_drawing_set_source (cr, &colors->fg, 0.35);
      cairo_set_line_width (cr, 1.0);
      cairo_set_dash (cr, (double[]) { 3.0, 3.0 }, 2, 0);
      cairo_move_to (cr, x, plot->top);
      cairo_line_to (cr, x, plot->top + plot->height);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  draw_threshold (cr, plot, self->warning, &colors->warning);
  draw_threshold (cr, plot, self->critical, &colors->error);

  cairo_save (cr);
  cairo_rectangle (cr, plot->left, plot->top - 3, plot->width, plot->height + 3);
  cairo_clip (cr);

  if (self->points->len > ceil (plot->width) * 6 / 5)
    {
      /* Accent up to 100 %, the error colour above it, as below. */
      cairo_save (cr);
      cairo_rectangle (cr, plot->left, y100, plot->width, plot->height);
      cairo_clip (cr);
      draw_dense (self, cr, plot, &colors->accent, &colors->accent);
      cairo_restore (cr);
      if (plot->ymax > 100.0)
        {
          cairo_rectangle (cr, plot->left, plot->top - 3, plot->width, y100 - plot->top + 3);
          cairo_clip (cr);
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
  cairo_rectangle (cr, plot->left, y100, plot->width, plot->height);
  cairo_clip (cr);
  stroke_series (self, cr, plot, drawn, &colors->accent);
  cairo_restore (cr);

  if (plot->ymax > 100.0)
    {
      cairo_save (cr);
      cairo_rectangle (cr, plot->left, plot->top - 3, plot->width, y100 - plot->top + 3);
      cairo_clip (cr);
      stroke_series (self, cr, plot, drawn, &colors->error);
      cairo_restore (cr);
    }

  cairo_restore (cr);
}

static void
draw_legend (GaugeChart        *self,
             cairo_t           *cr,
             const Plot        *plot,
             const ChartColors *colors)
{
  double x = plot->left;
  double y = plot->top + plot->height + MARGIN_BOTTOM + LEGEND_HEIGHT / 2.0;

  for (guint s = 0; s < n_series (self); s++)
    {
      const char *name = self->series_names->pdata[s];
      PangoLayout *layout = gauge_drawing_get_layout (GTK_WIDGET (self), name);
      int width, height;
      GdkRGBA color;

      gauge_chart_model_color (name, s, colors->dark, &color);
      gauge_drawing_set_source (cr, &color, 1.0);
      cairo_rectangle (cr, x, y - 5, 10, 10);
      cairo_fill (cr);

      pango_layout_get_pixel_size (layout, &width, &height);
      gauge_drawing_text (GTK_WIDGET (self), cr, name, x + 15, y, 0.0, &colors->fg, 0.75);
      x += 15 + width + 16;
    }
}

static void
draw_bars (GaugeChart        *self,
           cairo_t           *cr,
           const Plot        *plot,
           const ChartColors *colors)
{
  guint n = n_series (self);

  for (guint i = 0; i < self->bar_starts->len; i++)
    {
      gint64 start = g_array_index (self->bar_starts, gint64, i);
      double x0 = x_of (plot, start);
      double x1 = x_of (plot, start + self->bucket_ms);
      double gap = MIN (4.0, (x1 - x0) * 0.2);
      double base = y_of (plot, 0.0);

      for (guint s = 0; s < n; s++)
        {
          double v = g_array_index (self->bar_values, double, i * n + s);
          double top;
          GdkRGBA color;

          if (v <= 0.0)
            continue;
          /* Each model stacks on the ones below it. */
          top = base - plot->height * v / plot->ymax;
          gauge_chart_model_color (self->series_names->pdata[s], s, colors->dark, &color);
          gauge_drawing_set_source (cr, &color, 1.0);
          cairo_rectangle (cr, x0 + gap / 2, top, MAX (1.0, x1 - x0 - gap), base - top);
          cairo_fill (cr);
          base = top;
        }
    }

  draw_legend (self, cr, plot, colors);
}

static void
draw_readout (GaugeChart        *self,
              cairo_t           *cr,
              const Plot        *plot,
              const ChartColors *colors)
{
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  double x = self->hover.x;
  double box_x;
  int width, height;
  gint64 t_ms;

  if (x < 0)
    return;
  text = gauge_chart_dup_readout_at (self, x);
  if (text == NULL)
    return;

  t_ms = t_of (plot, x);
  if (self->mode == MODE_SERIES)
    {
      guint index;

      if (gauge_chart_lookup_nearest ((const GaugeChartPoint *) (gpointer) self->points->data,
                                      self->points->len, t_ms, &index))
        {
          const GaugeChartPoint *p = &g_array_index (self->points, GaugeChartPoint, index);

          x = x_of (plot, p->t_ms);
          gauge_drawing_set_source (cr, &colors->fg, 0.4);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, round (x) + 0.5, plot->top);
          cairo_line_to (cr, round (x) + 0.5, plot->top + plot->height);
          cairo_stroke (cr);
          gauge_drawing_set_source (cr, p->value > 100.0 ? &colors->error : &colors->accent, 1.0);
          cairo_arc (cr, x, y_of (plot, p->value), 4.0, 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          gauge_drawing_set_source (cr, &colors->view_bg, 1.0);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
    }

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_size (layout, &width, &height);
  box_x = x + 10;
  if (box_x + width + 12 > plot->left + plot->width)
    box_x = x - 10 - width - 12;
  box_x = MAX (plot->left, box_x);

  gauge_drawing_set_source (cr, &colors->view_bg, 0.95);
  cairo_rectangle (cr, box_x, plot->top + 2, width + 12, height + 8);
  cairo_fill_preserve (cr);
  gauge_drawing_set_source (cr, &colors->fg, 0.2);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_move_to (cr, box_x + 6, plot->top + 6);
  gauge_drawing_set_source (cr, &colors->fg, 0.9);
  pango_cairo_show_layout (cr, layout);
}

static void
gauge_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  GaugeChart *self = GAUGE_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  ChartColors colors;
  Plot plot;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  get_colors (self, &colors);
  get_plot (self, &plot);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_axes (self, cr, &plot, &colors);

  if (self->mode == MODE_SERIES)
    draw_series (self, cr, &plot, &colors);
  else
    draw_bars (self, cr, &plot, &colors);

  draw_readout (self, cr, &plot, &colors);
  cairo_destroy (cr);
}

static void
gauge_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 560;
    }
  else
    {
      *minimum = 120;
      *natural = GAUGE_CHART (widget)->mode == MODE_BARS ? 200 : 180;
    }
}

static void
gauge_chart_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (gauge_chart_parent_class)->css_changed (widget, change);

  /* Dark mode and the accent change our colours. */
  gtk_widget_queue_draw (widget);
}

/* --- GObject -------------------------------------------------------------- */

static void
gauge_chart_finalize (GObject *object)
{
  GaugeChart *self = GAUGE_CHART (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->range_label, g_free);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->resets, g_array_unref);
  g_clear_pointer (&self->bar_starts, g_array_unref);
  g_clear_pointer (&self->bar_values, g_array_unref);
  g_clear_pointer (&self->series_names, g_ptr_array_unref);

  G_OBJECT_CLASS (gauge_chart_parent_class)->finalize (object);
}

static void
gauge_chart_class_init (GaugeChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gauge_chart_finalize;

  widget_class->measure = gauge_chart_measure;
  widget_class->snapshot = gauge_chart_snapshot;
  widget_class->css_changed = gauge_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "gauge-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gauge_chart_init (GaugeChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (GaugeChartPoint));
  self->resets = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->bar_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->bar_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->series_names = g_ptr_array_new_with_free_func (g_free);

  gauge_drawing_track_hover (GTK_WIDGET (self), &self->hover);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  update_summary (self);
}

GtkWidget *
gauge_chart_new (void)
{
  return g_object_new (GAUGE_TYPE_CHART, NULL);
}

void
gauge_chart_set_title (GaugeChart *self,
                       const char *title)
{
  g_return_if_fail (GAUGE_IS_CHART (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  update_summary (self);
}

const char *
gauge_chart_get_title (GaugeChart *self)
{
  g_return_val_if_fail (GAUGE_IS_CHART (self), NULL);

  return self->title;
}

void
gauge_chart_set_range (GaugeChart *self,
                       gint64      start_ms,
                       gint64      end_ms,
                       const char *range_label)
{
  g_return_if_fail (GAUGE_IS_CHART (self));

  self->start_ms = start_ms;
  self->end_ms = end_ms;
  g_free (self->range_label);
  self->range_label = g_strdup (range_label);
  changed (self);
}

void
gauge_chart_set_thresholds (GaugeChart *self,
                            double      warning,
                            double      critical)
{
  g_return_if_fail (GAUGE_IS_CHART (self));

  self->warning = warning;
  self->critical = critical;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gauge_chart_set_series (GaugeChart            *self,
                        const GaugeChartPoint *points,
                        guint                  n_points,
                        gint64                 max_gap_ms)
{
  g_return_if_fail (GAUGE_IS_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  self->mode = MODE_SERIES;
  g_array_set_size (self->points, 0);
  if (n_points > 0)
    g_array_append_vals (self->points, points, n_points);
  self->max_gap_ms = max_gap_ms;
  changed (self);
}

void
gauge_chart_set_resets (GaugeChart   *self,
                        const gint64 *resets_ms,
                        guint         n_resets)
{
  g_return_if_fail (GAUGE_IS_CHART (self));
  g_return_if_fail (resets_ms != NULL || n_resets == 0);

  g_array_set_size (self->resets, 0);
  if (n_resets > 0)
    g_array_append_vals (self->resets, resets_ms, n_resets);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gauge_chart_set_bars (GaugeChart         *self,
                      const gint64       *starts_ms,
                      guint               n_bars,
                      gint64              bucket_ms,
                      const char * const *series_names,
                      guint               n_series_,
                      const double       *values,
                      GaugeChartUnit      unit)
{
  g_return_if_fail (GAUGE_IS_CHART (self));
  g_return_if_fail (starts_ms != NULL || n_bars == 0);
  g_return_if_fail (values != NULL || n_bars * n_series_ == 0);
  g_return_if_fail (bucket_ms > 0);

  self->mode = MODE_BARS;
  self->bucket_ms = bucket_ms;
  self->unit = unit;
  g_array_set_size (self->bar_starts, 0);
  g_array_set_size (self->bar_values, 0);
  g_ptr_array_set_size (self->series_names, 0);

  if (n_bars > 0)
    g_array_append_vals (self->bar_starts, starts_ms, n_bars);
  if (n_bars * n_series_ > 0)
    g_array_append_vals (self->bar_values, values, n_bars * n_series_);
  for (guint s = 0; s < n_series_; s++)
    g_ptr_array_add (self->series_names, g_strdup (series_names[s]));

  gtk_widget_queue_resize (GTK_WIDGET (self));
  changed (self);
}
