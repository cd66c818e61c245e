/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-bar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-bar-chart.h"
#include "gauge-drawing.h"
#include "gauge-format.h"
#include "gauge-model-name.h"

/* Cost or tokens per bucket of time, each bar stacked by model, biggest first. */

#define LEGEND_HEIGHT 22
#define DAY_MS        86400000

struct _GaugeBarChart
{
  GaugeChart       parent_instance;

  GArray          *starts;          /* gint64 */
  gint64           bucket_ms;
  GPtrArray       *series_names;
  GArray          *values;          /* double, n_bars × n_series */
  GaugeChartUnit   unit;
};

G_DEFINE_FINAL_TYPE (GaugeBarChart, gauge_bar_chart, GAUGE_TYPE_CHART)

/* A colour for a model, stable across charts: Opus, Sonnet, Haiku get their own. */
static void
model_color (GaugeBarChart *self,
             guint          position,
             gboolean       dark,
             GdkRGBA       *color)
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
  GaugeModelFamily family = gauge_model_name_get_family (self->series_names->pdata[position]);
  guint earlier = 0;
  double mix;
  guint slot;

  switch (family)
    {
    case GAUGE_MODEL_FAMILY_OPUS:
      slot = 0;
      break;
    case GAUGE_MODEL_FAMILY_SONNET:
      slot = 1;
      break;
    case GAUGE_MODEL_FAMILY_HAIKU:
      slot = 2;
      break;
    case GAUGE_MODEL_FAMILY_OTHER:
    default:
      slot = 3 + position % (G_N_ELEMENTS (light) - 3);
      break;
    }
  gdk_rgba_parse (color, palette[slot]);

  /* Two models of one family ("Sonnet 4", "Sonnet 4.5"): the later ones in lighter (on dark,
   * darker) shades of the family's colour, so no two series look the same. */
  for (guint s = 0; family != GAUGE_MODEL_FAMILY_OTHER && s < position; s++)
    earlier += gauge_model_name_get_family (self->series_names->pdata[s]) == family;
  mix = MIN (0.3 * earlier, 0.6);
  color->red += ((dark ? 0.0 : 1.0) - color->red) * mix;
  color->green += ((dark ? 0.0 : 1.0) - color->green) * mix;
  color->blue += ((dark ? 0.0 : 1.0) - color->blue) * mix;
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

/* Days are named by their date, shorter buckets by their time. */
static char *
format_bucket (GaugeBarChart *self,
               gint64         start_ms)
{
  return gauge_chart_format_time (start_ms, self->bucket_ms >= DAY_MS ? 2 * DAY_MS : 0, FALSE);
}

static guint
n_series (GaugeBarChart *self)
{
  return self->series_names->len;
}

static double
bar_value (GaugeBarChart *self,
           guint          bar,
           guint          series)
{
  return g_array_index (self->values, double, bar * n_series (self) + series);
}

static double
bar_total (GaugeBarChart *self,
           guint          bar)
{
  double total = 0.0;

  for (guint s = 0; s < n_series (self); s++)
    total += bar_value (self, bar, s);
  return total;
}

/* --- The axes, and words -------------------------------------------------- */

static double
gauge_bar_chart_get_ymax (GaugeChart *chart)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);
  double max = 0.0;
  double magnitude;
  static const double steps[] = { 1.0, 2.0, 4.0, 6.0, 8.0, 10.0 };

  for (guint i = 0; i < self->starts->len; i++)
    max = MAX (max, bar_total (self, i));

  if (max <= 0.0)
    return 1.0;

  /* A round top whose quarters are round too: $1, $2, $3, $4, not $0.62. */
  magnitude = pow (10.0, floor (log10 (max)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * magnitude >= max)
      return steps[i] * magnitude;
  return 10.0 * magnitude;
}

/* Quarters of the top. */
static guint
gauge_bar_chart_get_n_gridlines (GaugeChart *chart,
                                 double      ymax)
{
  return 4;
}

/* Whole dollars where they are whole, "$37.50" otherwise. */
static char *
gauge_bar_chart_format_axis_value (GaugeChart *chart,
                                   double      value)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);

  if (self->unit == GAUGE_CHART_UNIT_COST && fabs (value - round (value)) < 0.005)
    {
      g_autofree char *digits = g_strdup_printf ("%.0f", value);
      g_autofree char *grouped = gauge_format_group_digits (digits);

      return g_strdup_printf ("$%s", grouped);
    }
  return format_value (self->unit, value);
}

static gboolean
gauge_bar_chart_get_data_range (GaugeChart *chart,
                                gint64     *start_ms,
                                gint64     *end_ms)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);

  if (self->starts->len == 0)
    return FALSE;

  *start_ms = g_array_index (self->starts, gint64, 0);
  *end_ms = g_array_index (self->starts, gint64, self->starts->len - 1) + self->bucket_ms;
  return TRUE;
}

static char *
gauge_bar_chart_dup_summary (GaugeChart *chart,
                             const char *title,
                             const char *range,
                             gint64      start_ms,
                             gint64      end_ms)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);
  double total = 0.0;
  double best = -1.0;
  guint best_bar = 0;
  g_autofree char *total_text = NULL;
  g_autofree char *best_text = NULL;
  g_autofree char *best_time = NULL;

  for (guint i = 0; i < self->starts->len; i++)
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
  best_time = format_bucket (self, g_array_index (self->starts, gint64, best_bar));

  /* Translators: chart summary, e.g. "Cost per day, last 7 days: $41.20 in all, most $12.40 on 21 Nov" */
  return g_strdup_printf (self->bucket_ms >= DAY_MS ? _("%s, %s: %s in all, most %s on %s")
                                                    : _("%s, %s: %s in all, most %s at %s"),
                          title, range, total_text, best_text, best_time);
}

/* The bucket under the pointer: its total, then each model's share. */
static char *
gauge_bar_chart_dup_readout (GaugeChart           *chart,
                             const GaugeChartPlot *plot,
                             gint64                t_ms)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);

  for (guint i = 0; i < self->starts->len; i++)
    {
      gint64 start = g_array_index (self->starts, gint64, i);
      g_autofree char *when = NULL;
      g_autofree char *total = NULL;
      GString *out;

      if (t_ms < start || t_ms >= start + self->bucket_ms)
        continue;

      when = format_bucket (self, start);
      total = format_value (self->unit, bar_total (self, i));
      out = g_string_new (NULL);
      g_string_append_printf (out, "%s  %s", when, total);

      for (guint s = 0; s < n_series (self); s++)
        {
          double v = bar_value (self, i, s);
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

/* --- Drawing -------------------------------------------------------------- */

/* Where each legend entry goes: a swatch, the name, then the next entry on the same line
 * while it fits between @left and @right, else on a new line. Returns the number of lines;
 * fills @x and @line (each n_series long) when given. */
static guint
legend_layout (GaugeBarChart *self,
               double         left,
               double         right,
               double        *x,
               guint         *line)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double at = left;
  guint lines = 1;

  for (guint s = 0; s < n_series (self); s++)
    {
      int width;
      double entry;

      pango_layout_get_pixel_size (gauge_drawing_get_layout (widget, self->series_names->pdata[s]),
                                   &width, NULL);
      entry = 15 + width;
      if (at > left && at + entry > right)
        {
          at = left;
          lines++;
        }
      if (x != NULL)
        x[s] = at;
      if (line != NULL)
        line[s] = lines - 1;
      at += entry + 16;
    }

  return lines;
}

static guint
gauge_bar_chart_get_legend_lines (GaugeChart *chart,
                                  double      left,
                                  double      right)
{
  return legend_layout (GAUGE_BAR_CHART (chart), left, right, NULL, NULL);
}

static void
draw_legend (GaugeBarChart          *self,
             cairo_t                *cr,
             const GaugeChartPlot   *plot,
             const GaugeChartColors *colors)
{
  GtkWidget *widget = GTK_WIDGET (self);
  guint n = n_series (self);
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree guint *line = g_new (guint, MAX (n, 1));
  guint lines = legend_layout (self, plot->left, gtk_widget_get_width (widget), x, line);
  double top = gtk_widget_get_height (widget) - lines * LEGEND_HEIGHT;

  for (guint s = 0; s < n; s++)
    {
      double y = top + line[s] * LEGEND_HEIGHT + LEGEND_HEIGHT / 2.0;
      GdkRGBA color;

      model_color (self, s, colors->dark, &color);
      gauge_drawing_set_source (cr, &color, 1.0);
      cairo_rectangle (cr, x[s], y - 5, 10, 10);
      cairo_fill (cr);
      gauge_drawing_text (widget, cr, self->series_names->pdata[s], x[s] + 15, y, 0.0,
                          &colors->fg, 0.75);
    }
}

static void
gauge_bar_chart_draw (GaugeChart             *chart,
                      cairo_t                *cr,
                      const GaugeChartPlot   *plot,
                      const GaugeChartColors *colors)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (chart);

  for (guint i = 0; i < self->starts->len; i++)
    {
      gint64 start = g_array_index (self->starts, gint64, i);
      double x0 = gauge_chart_plot_x (plot, start);
      double x1 = gauge_chart_plot_x (plot, start + self->bucket_ms);
      double gap = MIN (4.0, (x1 - x0) * 0.2);
      double base = gauge_chart_plot_y (plot, 0.0);

      for (guint s = 0; s < n_series (self); s++)
        {
          double v = bar_value (self, i, s);
          double top;
          GdkRGBA color;

          if (v <= 0.0)
            continue;
          /* Each model stacks on the ones below it. */
          top = base - plot->height * v / plot->ymax;
          model_color (self, s, colors->dark, &color);
          gauge_drawing_set_source (cr, &color, 1.0);
          cairo_rectangle (cr, x0 + gap / 2, top, MAX (1.0, x1 - x0 - gap), base - top);
          cairo_fill (cr);
          base = top;
        }
    }

  draw_legend (self, cr, plot, colors);
}

/* --- GObject -------------------------------------------------------------- */

static void
gauge_bar_chart_finalize (GObject *object)
{
  GaugeBarChart *self = GAUGE_BAR_CHART (object);

  g_clear_pointer (&self->starts, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->series_names, g_ptr_array_unref);

  G_OBJECT_CLASS (gauge_bar_chart_parent_class)->finalize (object);
}

static void
gauge_bar_chart_class_init (GaugeBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GaugeChartClass *chart_class = GAUGE_CHART_CLASS (klass);

  object_class->finalize = gauge_bar_chart_finalize;

  chart_class->natural_height = 200;
  chart_class->legend_height = LEGEND_HEIGHT;
  chart_class->get_legend_lines = gauge_bar_chart_get_legend_lines;
  chart_class->fit_axis_labels = TRUE;
  chart_class->get_ymax = gauge_bar_chart_get_ymax;
  chart_class->get_n_gridlines = gauge_bar_chart_get_n_gridlines;
  chart_class->format_axis_value = gauge_bar_chart_format_axis_value;
  chart_class->get_data_range = gauge_bar_chart_get_data_range;
  chart_class->dup_summary = gauge_bar_chart_dup_summary;
  chart_class->dup_readout = gauge_bar_chart_dup_readout;
  chart_class->draw = gauge_bar_chart_draw;
}

static void
gauge_bar_chart_init (GaugeBarChart *self)
{
  self->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->series_names = g_ptr_array_new_with_free_func (g_free);

  gauge_chart_changed (GAUGE_CHART (self));
}

GtkWidget *
gauge_bar_chart_new (void)
{
  return g_object_new (GAUGE_TYPE_BAR_CHART, NULL);
}

void
gauge_bar_chart_set_bars (GaugeBarChart      *self,
                          const gint64       *starts_ms,
                          guint               n_bars,
                          gint64              bucket_ms,
                          const char * const *series_names,
                          guint               n_series_,
                          const double       *values,
                          GaugeChartUnit      unit)
{
  g_return_if_fail (GAUGE_IS_BAR_CHART (self));
  g_return_if_fail (starts_ms != NULL || n_bars == 0);
  g_return_if_fail (values != NULL || n_bars * n_series_ == 0);
  g_return_if_fail (bucket_ms > 0);

  self->bucket_ms = bucket_ms;
  self->unit = unit;
  g_array_set_size (self->starts, 0);
  g_array_set_size (self->values, 0);
  g_ptr_array_set_size (self->series_names, 0);

  if (n_bars > 0)
    g_array_append_vals (self->starts, starts_ms, n_bars);
  if (n_bars * n_series_ > 0)
    g_array_append_vals (self->values, values, n_bars * n_series_);
  for (guint s = 0; s < n_series_; s++)
    g_ptr_array_add (self->series_names, g_strdup (series_names[s]));

  gtk_widget_queue_resize (GTK_WIDGET (self));
  gauge_chart_changed (GAUGE_CHART (self));
}
