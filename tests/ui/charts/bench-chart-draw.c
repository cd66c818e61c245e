/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-chart-draw"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "gauge-series-chart.h"
#include "gauge-drawing.h"

/*
 * How long a chart takes to draw: snapshot (building the cairo recording)
 * plus rendering it to pixels with the renderer the app uses (cairo, unless
 * GSK_RENDERER or GDK_DEBUG say otherwise), at 800 × 240. Once for the 800
 * points a downsampled query returns at that width, once for a year of
 * 1-minute readings (525,600 points) as an undownsampled query would give.
 *
 *   xvfb-run -a build/tests/ui/charts/bench-chart-draw [runs]
 */

#define MINUTE_MS (60 * G_GINT64_CONSTANT (1000))

static void
iterate_for (guint milliseconds)
{
  gint64 end = g_get_monotonic_time () + milliseconds * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (G_TIME_SPAN_MILLISECOND);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
time_draw (GtkWidget  *window,
           GtkWidget  *chart,
           const char *what,
           guint       n_points,
           gboolean    sawtooth,
           guint       runs)
{
  g_autofree GaugeSeriesPoint *points = g_new (GaugeSeriesPoint, n_points);
  g_autofree double *ms = g_new (double, runs);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  gint64 end_ms = g_get_real_time () / 1000;
  gint64 span_ms = 365 * 24 * 60 * MINUTE_MS;
  int width = gtk_widget_get_width (chart);
  int height = gtk_widget_get_height (chart);

  for (guint i = 0; i < n_points; i++)
    {
      points[i].t_ms = end_ms - span_ms + (gint64) ((double) i / n_points * span_ms);
      /* A smooth curve, or 5-hour windows climbing past 100 % and resetting. */
      if (sawtooth)
        points[i].value = (i % 3) * 75.0;
      else
        points[i].value = 50 + 45 * sin (i / (n_points / 200.0)) * cos (i / 37.0);
    }

  gauge_chart_set_range (GAUGE_CHART (chart), end_ms - span_ms, end_ms, "last year");
  gauge_series_chart_set_series (GAUGE_SERIES_CHART (chart), points, n_points, 0);

  for (guint r = 0; r < runs; r++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start = g_get_monotonic_time ();

      GTK_WIDGET_GET_CLASS (chart)->snapshot (chart, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0, width, height));
      ms[r] = (g_get_monotonic_time () - start) / 1000.0;
    }

  qsort (ms, runs, sizeof (double), compare_double);
  g_print ("%-32s %8u points  median %7.2f ms  min %7.2f ms  max %7.2f ms  (%d×%d, %u runs)\n",
           what, n_points, ms[runs / 2], ms[0], ms[runs - 1], width, height, runs);
}

int
main (int   argc,
      char *argv[])
{
  guint runs = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 30;
  GtkWidget *window;
  GtkWidget *chart;

  gauge_drawing_choose_renderer ();
  gtk_init ();
  adw_init ();
  runs = MAX (runs, 3);

  window = gtk_window_new ();
  chart = gauge_series_chart_new ();
  gauge_chart_set_title (GAUGE_CHART (chart), "5-hour usage");
  gauge_series_chart_set_thresholds (GAUGE_SERIES_CHART (chart), 75, 90);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 240);
  gtk_window_present (GTK_WINDOW (window));
  iterate_for (200);

  g_print ("GSK renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  time_draw (window, chart, "downsampled to the width", 800, FALSE, runs);
  time_draw (window, chart, "a day of 1-minute readings", 1440, FALSE, runs);
  time_draw (window, chart, "a year, not downsampled", 525600, FALSE, MAX (3, runs / 10));
  time_draw (window, chart, "a year of resets, downsampled", 2551, TRUE, runs);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
