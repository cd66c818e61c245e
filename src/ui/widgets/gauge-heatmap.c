/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-heatmap"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-drawing.h"
#include "gauge-format.h"
#include "gauge-heatmap.h"

/*
 * Daily cost over the last year as a calendar: one column per week, one row
 * per weekday, the accent colour in five steps (none, then quarters of the
 * busiest day on a square-root scale so quiet days still show). Below the
 * grid, the hovered day or a "Less … More" key.
 */

#define CELL          11.0
#define GAP            3.0
#define LABEL_WIDTH   30.0
#define HEADER_HEIGHT 18.0
#define FOOTER_HEIGHT 26.0
#define TEXT_ALPHA     0.6
#define MIN_PITCH      4.0   /* a year fits a phone's width (360 px) */

struct _GaugeHeatmap
{
  GtkWidget          parent_instance;

  GDate              last_day;
  GArray            *values;       /* double, oldest first */
  GDateWeekday       week_start;
  GaugeDrawingHover  hover;
};

G_DEFINE_FINAL_TYPE (GaugeHeatmap, gauge_heatmap, GTK_TYPE_WIDGET)

/* --- Geometry ------------------------------------------------------------- */

static void
day_at (GaugeHeatmap *self,
        guint         index,
        GDate        *date)
{
  *date = self->last_day;
  g_date_subtract_days (date, self->values->len - 1 - index);
}

/* Row of the oldest day: how many cells of its week come before it. */
static guint
first_row (GaugeHeatmap *self)
{
  GDate first;

  if (self->values->len == 0)
    return 0;
  day_at (self, 0, &first);
  return (g_date_get_weekday (&first) - self->week_start + 7) % 7;
}

static guint
n_columns (GaugeHeatmap *self)
{
  return (first_row (self) + self->values->len + 6) / 7;
}

static double
pitch (GaugeHeatmap *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  guint columns = MAX (1, n_columns (self));

  return CLAMP ((width - LABEL_WIDTH) / columns, MIN_PITCH, CELL + GAP);
}

static gboolean
cell_at (GaugeHeatmap *self,
         double        x,
         double        y,
         guint        *index)
{
  double p = pitch (self);
  int column, row;
  int i;

  if (x < LABEL_WIDTH || y < HEADER_HEIGHT)
    return FALSE;
  column = (int) ((x - LABEL_WIDTH) / p);
  row = (int) ((y - HEADER_HEIGHT) / p);
  if (row > 6)
    return FALSE;

  i = column * 7 + row - (int) first_row (self);
  if (i < 0 || i >= (int) self->values->len)
    return FALSE;
  *index = i;
  return TRUE;
}

/* --- Text ----------------------------------------------------------------- */

char *
gauge_heatmap_dup_summary (GaugeHeatmap *self)
{
  guint active = 0;
  guint best = 0;
  double best_value = 0.0;
  GDate date;
  char day[64];
  g_autofree char *amount = NULL;

  g_return_val_if_fail (GAUGE_IS_HEATMAP (self), NULL);

  for (guint i = 0; i < self->values->len; i++)
    {
      double v = g_array_index (self->values, double, i);

      if (v > 0.0)
        active++;
      if (v > best_value)
        {
          best_value = v;
          best = i;
        }
    }

  if (active == 0)
    return g_strdup (_("Last year: no local usage"));

  day_at (self, best, &date);
  /* Translators: a day in the heatmap summary, see strftime */
  g_date_strftime (day, sizeof day, _("%e %b"), &date);
  amount = gauge_format_usd (best_value);

  /* Translators: e.g. "Last year: 214 active days, highest $41.75 on 21 Nov" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Last year: %u active day, highest %s on %s",
                                       "Last year: %u active days, highest %s on %s",
                                       active),
                          active, amount, g_strstrip (day));
}

char *
gauge_heatmap_dup_readout_at (GaugeHeatmap *self,
                              double        x,
                              double        y)
{
  guint index;
  GDate date;
  char day[64];
  g_autofree char *amount = NULL;

  g_return_val_if_fail (GAUGE_IS_HEATMAP (self), NULL);

  if (!cell_at (self, x, y, &index))
    return NULL;

  day_at (self, index, &date);
  /* Translators: a day in the heatmap readout, see strftime */
  g_date_strftime (day, sizeof day, _("%a %e %b %Y"), &date);
  amount = gauge_format_usd (g_array_index (self->values, double, index));
  return g_strdup_printf ("%s: %s", g_strstrip (day), amount);
}

static void
update_summary (GaugeHeatmap *self)
{
  g_autofree char *summary = gauge_heatmap_dup_summary (self);

  gauge_drawing_describe (GTK_WIDGET (self), summary);
}

/* --- Drawing -------------------------------------------------------------- */

static double
level_alpha (double value,
             double max)
{
  static const double alphas[] = { 0.35, 0.55, 0.78, 1.0 };
  double f;

  if (value <= 0.0 || max <= 0.0)
    return 0.0;
  f = sqrt (value / max);
  return alphas[MIN (3, (guint) (f * 4.0 - 1e-9))];
}

static void
draw_cell (cairo_t       *cr,
           double         x,
           double         y,
           double         size,
           const GdkRGBA *fg,
           const GdkRGBA *accent,
           double         alpha)
{
  double r = MIN (2.0, size / 4);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + size - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + size - r, y + size - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + size - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);

  if (alpha <= 0.0)
    gauge_drawing_set_source (cr, fg, 0.08);
  else
    gauge_drawing_set_source (cr, accent, alpha);
  cairo_fill (cr);
}

static void
gauge_heatmap_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  GaugeHeatmap *self = GAUGE_HEATMAP (widget);
  int width = gtk_widget_get_width (widget);
  double p = pitch (self);
  double size = p - MAX (1.0, p * GAP / (CELL + GAP));
  guint row0 = first_row (self);
  double max = 0.0;
  int last_month = -1;
  double next_free = LABEL_WIDTH;
  double next_free_y = 0.0;
  double grid_bottom = HEADER_HEIGHT + 7 * p;
  g_autofree char *readout = NULL;
  GdkRGBA fg, accent;
  cairo_t *cr;

  cr = gauge_drawing_append_cairo (widget, snapshot);
  if (cr == NULL)
    return;

  gauge_drawing_get_color (widget, &fg);
  gauge_drawing_lookup_color (widget, "accent_bg_color", "#3584e4", &accent);

  for (guint i = 0; i < self->values->len; i++)
    max = MAX (max, g_array_index (self->values, double, i));

  /* Weekday labels on every other row, as calendars do; fewer when the rows are too close
   * for them (a phone's width). */
  for (guint row = 1; row < 7; row += 2)
    {
      GDate date;
      char name[32];
      int name_height;
      double y = HEADER_HEIGHT + row * p + size / 2;

      g_date_clear (&date, 1);
      /* 7 Jan 2024 is a Sunday; step to the row's weekday. */
      g_date_set_dmy (&date, 7, G_DATE_JANUARY, 2024);
      g_date_add_days (&date, (self->week_start % 7) + row);
      g_date_strftime (name, sizeof name, "%a", &date);
      pango_layout_get_pixel_size (gauge_drawing_get_layout (widget, name), NULL, &name_height);
      if (gauge_drawing_label_fits (&next_free_y, y - name_height / 2.0, name_height,
                                    grid_bottom + name_height))
        gauge_drawing_text (widget, cr, name, 0, y, 0.0, &fg, TEXT_ALPHA);
    }

  for (guint i = 0; i < self->values->len; i++)
    {
      guint cell = row0 + i;
      guint column = cell / 7;
      guint row = cell % 7;
      double x = LABEL_WIDTH + column * p;
      double y = HEADER_HEIGHT + row * p;
      GDate date;

      day_at (self, i, &date);
      /* A month label over the first full week of each month. */
      if (row == 0 && (int) g_date_get_month (&date) != last_month && g_date_get_day (&date) <= 7)
        {
          char month[32];
          int month_width;

          last_month = g_date_get_month (&date);
          g_date_strftime (month, sizeof month, "%b", &date);
          pango_layout_get_pixel_size (gauge_drawing_get_layout (widget, month), &month_width, NULL);
          /* Narrow cells: a month's name may be wider than its weeks; skip the one after. */
          if (gauge_drawing_label_fits (&next_free, x, month_width, width))
            gauge_drawing_text (widget, cr, month, x, HEADER_HEIGHT / 2 - 1, 0.0, &fg, TEXT_ALPHA);
        }

      draw_cell (cr, x, y, size, &fg, &accent,
                 level_alpha (g_array_index (self->values, double, i), max));
    }

  if (self->hover.x >= 0)
    readout = gauge_heatmap_dup_readout_at (self, self->hover.x, self->hover.y);

  if (readout != NULL)
    {
      guint index;

      gauge_drawing_text (widget, cr, readout, LABEL_WIDTH, grid_bottom + FOOTER_HEIGHT / 2, 0.0,
                          &fg, TEXT_ALPHA);
      if (cell_at (self, self->hover.x, self->hover.y, &index))
        {
          guint cell = row0 + index;

          gauge_drawing_set_source (cr, &fg, 0.8);
          cairo_set_line_width (cr, 1.5);
          cairo_rectangle (cr, LABEL_WIDTH + (cell / 7) * p - 0.75,
                           HEADER_HEIGHT + (cell % 7) * p - 0.75, size + 1.5, size + 1.5);
          cairo_stroke (cr);
        }
    }
  else
    {
      /* The key, right-aligned under the grid: "More" ends where the grid does. */
      double key_right = MIN (LABEL_WIDTH + n_columns (self) * p - (p - size), width);
      double y = grid_bottom + FOOTER_HEIGHT / 2;
      double key_pitch = CELL + GAP;
      double key_size = CELL;
      int less_width, more_width;
      double x;

      pango_layout_get_pixel_size (gauge_drawing_get_layout (widget, _("Less")), &less_width, NULL);
      pango_layout_get_pixel_size (gauge_drawing_get_layout (widget, _("More")), &more_width, NULL);
      x = key_right - more_width - 6 - 5 * key_pitch + GAP;
      gauge_drawing_text (widget, cr, _("Less"), x - less_width - 6, y, 0.0, &fg, TEXT_ALPHA);
      for (guint level = 0; level < 5; level++)
        draw_cell (cr, x + level * key_pitch, y - key_size / 2, key_size, &fg, &accent,
                   level == 0 ? 0.0 : level_alpha (level / 4.0 * level / 4.0, 1.0));
      gauge_drawing_text (widget, cr, _("More"), key_right - more_width, y, 0.0, &fg,
                          TEXT_ALPHA);
    }

  cairo_destroy (cr);
}

static void
gauge_heatmap_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  GaugeHeatmap *self = GAUGE_HEATMAP (widget);
  guint columns = MAX (1, n_columns (self));

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + columns * MIN_PITCH;
      *natural = LABEL_WIDTH + columns * (CELL + GAP);
    }
  else
    {
      double p = CELL + GAP;

      if (for_size > 0)
        p = CLAMP ((for_size - LABEL_WIDTH) / columns, MIN_PITCH, CELL + GAP);
      *minimum = *natural = (int) ceil (HEADER_HEIGHT + 7 * p + FOOTER_HEIGHT);
    }
}

static GtkSizeRequestMode
gauge_heatmap_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
gauge_heatmap_finalize (GObject *object)
{
  GaugeHeatmap *self = GAUGE_HEATMAP (object);

  g_clear_pointer (&self->values, g_array_unref);

  G_OBJECT_CLASS (gauge_heatmap_parent_class)->finalize (object);
}

static void
gauge_heatmap_class_init (GaugeHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gauge_heatmap_finalize;

  widget_class->measure = gauge_heatmap_measure;
  widget_class->get_request_mode = gauge_heatmap_get_request_mode;
  widget_class->snapshot = gauge_heatmap_snapshot;

  gauge_drawing_class_init (widget_class, "gauge-heatmap", GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gauge_heatmap_init (GaugeHeatmap *self)
{
  self->values = g_array_new (FALSE, TRUE, sizeof (double));
  self->week_start = G_DATE_SUNDAY;
  g_date_clear (&self->last_day, 1);
  g_date_set_time_t (&self->last_day, time (NULL));

  gauge_drawing_track_hover (GTK_WIDGET (self), &self->hover);

  update_summary (self);
}

GtkWidget *
gauge_heatmap_new (void)
{
  return g_object_new (GAUGE_TYPE_HEATMAP, NULL);
}

void
gauge_heatmap_set_days (GaugeHeatmap *self,
                        const GDate  *last_day,
                        const double *values,
                        guint         n_days)
{
  g_return_if_fail (GAUGE_IS_HEATMAP (self));
  g_return_if_fail (last_day != NULL && g_date_valid (last_day));
  g_return_if_fail (values != NULL || n_days == 0);

  self->last_day = *last_day;
  g_array_set_size (self->values, 0);
  if (n_days > 0)
    g_array_append_vals (self->values, values, n_days);

  update_summary (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
gauge_heatmap_set_week_start (GaugeHeatmap *self,
                              GDateWeekday  first_day)
{
  g_return_if_fail (GAUGE_IS_HEATMAP (self));

  if (first_day == G_DATE_BAD_WEEKDAY)
    first_day = G_DATE_SUNDAY;
  if (self->week_start == first_day)
    return;
  self->week_start = first_day;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
