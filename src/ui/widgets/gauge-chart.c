/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "gauge-chart.h"
#include "gauge-drawing.h"

/*
 * The frame every chart is drawn in, with cairo in snapshot (GskPath is 4.14+): the value
 * axis and its grid, the time axis with labels on local boundaries, and the hover readout
 * drawn in the plot. What is plotted, and what it says in words, is the subclass's.
 */

#define MARGIN_LEFT   44
#define MARGIN_RIGHT  10
#define MARGIN_TOP    10
#define MARGIN_BOTTOM 24

typedef struct
{
  char              *title;
  char              *range_label;
  gint64             start_ms;
  gint64             end_ms;
  GaugeDrawingHover  hover;          /* x is -1 when the pointer is outside */
} GaugeChartPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (GaugeChart, gauge_chart, GTK_TYPE_WIDGET)

/* --- Time ----------------------------------------------------------------- */

char *
gauge_chart_format_time (gint64   t_ms,
                         gint64   span_ms,
                         gboolean with_day_and_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) local = NULL;
  char *text;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);

  if (with_day_and_time && span_ms > G_TIME_SPAN_DAY / 1000)
    /* Translators: a day and a time in a chart readout, see strftime */
    text = g_date_time_format (local, _("%e %b %H:%M"));
  else if (span_ms > G_TIME_SPAN_DAY / 1000)
    /* Translators: a day in a chart, see strftime */
    text = g_date_time_format (local, _("%e %b"));
  else
    text = g_date_time_format (local, "%H:%M");

  return g_strstrip (text);
}

/* --- Geometry ------------------------------------------------------------- */

static void
get_range (GaugeChart *self,
           gint64     *start_ms,
           gint64     *end_ms)
{
  GaugeChartPrivate *priv = gauge_chart_get_instance_private (self);

  *start_ms = priv->start_ms;
  *end_ms = priv->end_ms;

  if (*end_ms > *start_ms)
    return;

  GAUGE_CHART_GET_CLASS (self)->get_data_range (self, start_ms, end_ms);

  if (*end_ms <= *start_ms)
    {
      *start_ms -= 30 * 60 * 1000;
      *end_ms = *start_ms + 60 * 60 * 1000;
    }
}

/* Where the plot starts: room for the widest value label. */
static double
plot_left (GaugeChart *self,
           double      ymax)
{
  GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);
  g_autofree char *label = NULL;
  g_autofree char *top = NULL;
  PangoLayout *layout;
  int label_width;

  if (!klass->fit_axis_labels)
    return MARGIN_LEFT;

  /* The widest axis label is the top one, or the one below it ("$1.50" over "$2"). */
  label = klass->format_axis_value (self, ymax * 0.75);
  top = klass->format_axis_value (self, ymax);
  layout = gauge_drawing_get_layout (GTK_WIDGET (self), strlen (label) > strlen (top) ? label : top);
  pango_layout_get_pixel_size (layout, &label_width, NULL);
  return MAX (MARGIN_LEFT, label_width + 10);
}

/* Lines of legend under the time axis at @width. */
static guint
legend_lines (GaugeChart *self,
              double      left,
              double      width)
{
  GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);

  return klass->get_legend_lines != NULL ? klass->get_legend_lines (self, left, width) : 1;
}

static void
get_plot (GaugeChart     *self,
          GaugeChartPlot *plot)
{
  GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  plot->ymax = klass->get_ymax (self);
  plot->left = plot_left (self, plot->ymax);
  plot->top = MARGIN_TOP;
  plot->width = MAX (1.0, width - plot->left - MARGIN_RIGHT);
  plot->height = MAX (1.0, height - MARGIN_TOP - MARGIN_BOTTOM -
                          klass->legend_height * legend_lines (self, plot->left, width));
  get_range (self, &plot->start_ms, &plot->end_ms);
}

static inline gint64
t_of (const GaugeChartPlot *plot,
      double                x)
{
  return plot->start_ms + (gint64) ((x - plot->left) / plot->width *
                                    (double) (plot->end_ms - plot->start_ms));
}

/* --- Summary and readout -------------------------------------------------- */

char *
gauge_chart_dup_summary (GaugeChart *self)
{
  GaugeChartPrivate *priv;
  gint64 start_ms, end_ms;

  g_return_val_if_fail (GAUGE_IS_CHART (self), NULL);

  priv = gauge_chart_get_instance_private (self);
  get_range (self, &start_ms, &end_ms);

  return GAUGE_CHART_GET_CLASS (self)->dup_summary (self,
                                                     priv->title != NULL ? priv->title : _("Usage"),
                                                     priv->range_label != NULL
                                                     ? priv->range_label : "",
                                                     start_ms, end_ms);
}

char *
gauge_chart_dup_readout_at (GaugeChart *self,
                            double      x)
{
  GaugeChartPlot plot;

  g_return_val_if_fail (GAUGE_IS_CHART (self), NULL);

  get_plot (self, &plot);
  if (x < plot.left - 4 || x > plot.left + plot.width + 4)
    return NULL;

  return GAUGE_CHART_GET_CLASS (self)->dup_readout (self, &plot, t_of (&plot, x));
}

static void
update_summary (GaugeChart *self)
{
  g_autofree char *summary = gauge_chart_dup_summary (self);

  gauge_drawing_describe (GTK_WIDGET (self), summary);
}

void
gauge_chart_changed (GaugeChart *self)
{
  g_return_if_fail (GAUGE_IS_CHART (self));

  update_summary (self);
  /* New names may wrap the legend onto more lines, which changes the height. */
  if (GAUGE_CHART_GET_CLASS (self)->get_legend_lines != NULL)
    gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- Drawing -------------------------------------------------------------- */

static void
get_colors (GaugeChart       *self,
            GaugeChartColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gauge_drawing_get_color (widget, &colors->fg);
  gauge_drawing_lookup_color (widget, "accent_color", "#1c71d8", &colors->accent);
  gauge_drawing_lookup_color (widget, "warning_color", "#9c6e03", &colors->warning);
  gauge_drawing_lookup_color (widget, "error_color", "#c01c28", &colors->error);
  gauge_drawing_lookup_color (widget, "view_bg_color", "#ffffff", &colors->view_bg);
  colors->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
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

/* The first tick at or before @start_ms: a month's first day, a midnight or a whole hour. */
static GDateTime *
first_tick (gint64 start_ms,
            gint64 step)
{
  g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc (start_ms / 1000);
  g_autoptr(GDateTime) start_local = g_date_time_to_local (start_utc);
  int year = g_date_time_get_year (start_local);
  int month = g_date_time_get_month (start_local);
  int day = g_date_time_get_day_of_month (start_local);
  int hours = (int) (step / 3600000);

  if (step >= 30 * 86400000LL)
    return g_date_time_new_local (year, month, 1, 0, 0, 0);
  if (step >= 86400000)
    return g_date_time_new_local (year, month, day, 0, 0, 0);
  return g_date_time_new_local (year, month, day,
                                g_date_time_get_hour (start_local) / hours * hours, 0, 0);
}

static void
draw_axes (GaugeChart             *self,
           cairo_t                *cr,
           const GaugeChartPlot   *plot,
           const GaugeChartColors *colors)
{
  GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);
  gint64 span = plot->end_ms - plot->start_ms;
  gint64 step = tick_step_ms (span, plot->width);
  g_autoptr(GDateTime) tick = first_tick (plot->start_ms, step);
  guint n_grid = klass->get_n_gridlines (self, plot->ymax);
  double next_free = 0.0;

  /* Horizontal grid and y labels. */
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i <= n_grid; i++)
    {
      double value = plot->ymax * i / n_grid;
      double y = round (gauge_chart_plot_y (plot, value)) + 0.5;
      g_autofree char *label = klass->format_axis_value (self, value);

      gauge_drawing_set_source (cr, &colors->fg, i == 0 ? 0.25 : 0.08);
      cairo_move_to (cr, plot->left, y);
      cairo_line_to (cr, plot->left + plot->width, y);
      cairo_stroke (cr);

      gauge_drawing_text (GTK_WIDGET (self), cr, label, plot->left - 6, y, 1.0, &colors->fg, 0.6);
    }

  /* Time labels on local boundaries: months start on the 1st, days at midnight, whole hours
   * below. */
  for (guint guard = 0; tick != NULL && guard < 64; guard++)
    {
      gint64 t_ms = g_date_time_to_unix (tick) * 1000;
      GDateTime *next;

      if (t_ms > plot->end_ms)
        break;

      if (t_ms >= plot->start_ms)
        {
          double x = round (gauge_chart_plot_x (plot, t_ms)) + 0.5;
          g_autofree char *label = step >= 30 * 86400000LL
                                   ? g_date_time_format (tick, "%b")
                                   : gauge_chart_format_time (t_ms, step >= 86400000 ? span : 0,
                                                              FALSE);

          double center = CLAMP (x, plot->left + 12, plot->left + plot->width - 12);
          int label_width;

          gauge_drawing_set_source (cr, &colors->fg, 0.25);
          cairo_move_to (cr, x, plot->top + plot->height);
          cairo_line_to (cr, x, plot->top + plot->height + 4);
          cairo_stroke (cr);
          pango_layout_get_pixel_size (gauge_drawing_get_layout (GTK_WIDGET (self), label),
                                       &label_width, NULL);
          /* Labels pulled in at the edges may meet their neighbours: skip those. */
          if (gauge_drawing_label_fits (&next_free, center - label_width / 2.0, label_width,
                                        gtk_widget_get_width (GTK_WIDGET (self))))
            gauge_drawing_text (GTK_WIDGET (self), cr, label, center,
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
draw_readout (GaugeChart             *self,
              cairo_t                *cr,
              const GaugeChartPlot   *plot,
              const GaugeChartColors *colors)
{
  GaugeChartPrivate *priv = gauge_chart_get_instance_private (self);
  GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  double x = priv->hover.x;
  double box_x;
  int width, height;

  if (x < 0)
    return;
  text = gauge_chart_dup_readout_at (self, x);
  if (text == NULL)
    return;

  if (klass->draw_hover != NULL)
    klass->draw_hover (self, cr, plot, colors, t_of (plot, x), &x);

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
  cairo_t *cr = gauge_drawing_append_cairo (widget, snapshot);
  GaugeChartColors colors;
  GaugeChartPlot plot;

  if (cr == NULL)
    return;

  get_colors (self, &colors);
  get_plot (self, &plot);

  draw_axes (self, cr, &plot, &colors);
  GAUGE_CHART_GET_CLASS (self)->draw (self, cr, &plot, &colors);
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
      GaugeChart *self = GAUGE_CHART (widget);
      GaugeChartClass *klass = GAUGE_CHART_GET_CLASS (self);
      guint lines = 1;

      /* Its height, whatever the page (a scrolled page gives children their minimum); a
       * legend that wraps at a narrow width adds its lines. */
      if (for_size > 0)
        lines = legend_lines (self, plot_left (self, klass->get_ymax (self)), for_size);
      *minimum = *natural = klass->natural_height + (int) ((lines - 1) * klass->legend_height);
    }
}

static GtkSizeRequestMode
gauge_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* --- GObject -------------------------------------------------------------- */

static void
gauge_chart_finalize (GObject *object)
{
  GaugeChartPrivate *priv = gauge_chart_get_instance_private (GAUGE_CHART (object));

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->range_label, g_free);

  G_OBJECT_CLASS (gauge_chart_parent_class)->finalize (object);
}

static void
gauge_chart_class_init (GaugeChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gauge_chart_finalize;

  widget_class->measure = gauge_chart_measure;
  widget_class->get_request_mode = gauge_chart_get_request_mode;
  widget_class->snapshot = gauge_chart_snapshot;

  klass->natural_height = 180;

  gauge_drawing_class_init (widget_class, "gauge-chart", GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gauge_chart_init (GaugeChart *self)
{
  GaugeChartPrivate *priv = gauge_chart_get_instance_private (self);

  gauge_drawing_track_hover (GTK_WIDGET (self), &priv->hover);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

/* --- Public --------------------------------------------------------------- */

void
gauge_chart_set_title (GaugeChart *self,
                       const char *title)
{
  GaugeChartPrivate *priv;

  g_return_if_fail (GAUGE_IS_CHART (self));

  priv = gauge_chart_get_instance_private (self);
  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  update_summary (self);
}

void
gauge_chart_set_range (GaugeChart *self,
                       gint64      start_ms,
                       gint64      end_ms,
                       const char *range_label)
{
  GaugeChartPrivate *priv;

  g_return_if_fail (GAUGE_IS_CHART (self));

  priv = gauge_chart_get_instance_private (self);
  priv->start_ms = start_ms;
  priv->end_ms = end_ms;
  g_free (priv->range_label);
  priv->range_label = g_strdup (range_label);
  gauge_chart_changed (self);
}
