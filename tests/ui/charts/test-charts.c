/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-charts"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "gauge-account-list.h"
#include "gauge-bar-chart.h"
#include "gauge-drawing.h"
#include "gauge-series-chart.h"
#include "gauge-heatmap.h"
#include "gauge-history.h"
#include "gauge-history-view.h"
#include "gauge-resources.h"
#include "gauge-store.h"
#include "gauge-test-usage.h"
#include "gauge-store-index.h"
#include "gauge-store-readings.h"
#include "gauge-test-ui.h"

/*
 * The charts as a user sees them: each rendered to PNG in light and dark
 * (tests/ui/charts/chart-*.png in the build dir), their summaries in words, and
 * the hover readout. Times are UTC (TZ=UTC), "now" is fixed.
 */

#define MINUTE_MS (60 * G_GINT64_CONSTANT (1000))
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

/* Sat 21 Nov 2026 14:30 UTC */
#define NOW_MS    (G_GINT64_CONSTANT (1795271400) * 1000)

/* --- Rendering ------------------------------------------------------------ */

static void
save_png (GtkWidget  *widget,
          const char *name)
{
  gauge_test_save_png (widget, "ui/charts", name);
}

/* A window holding @chart in a card, as the history view shows it. */
static GtkWidget *
show_in_window (GtkWidget *chart,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_start (card, 12);
  gtk_widget_set_margin_end (card, 12);
  gtk_widget_set_margin_top (card, 12);
  gtk_widget_set_margin_bottom (card, 12);
  gtk_widget_set_margin_start (chart, 8);
  gtk_widget_set_margin_end (chart, 8);
  gtk_widget_set_margin_top (chart, 8);
  gtk_widget_set_margin_bottom (chart, 8);
  gtk_box_append (GTK_BOX (card), chart);
  gtk_window_set_child (GTK_WINDOW (window), card);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  gauge_test_iterate_for (150);
  return window;
}

/* @stem.png and @stem-dark.png of the window around the chart. */
static void
save_light_and_dark (GtkWidget  *window,
                     const char *stem)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strdup_printf ("%s.png", stem);
  g_autofree char *dark = g_strdup_printf ("%s-dark.png", stem);

  save_png (window, light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  gauge_test_iterate_for (200);
  save_png (window, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gauge_test_iterate_for (200);
}

static void
hover (GtkWidget *widget,
       double     x,
       double     y)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        g_signal_emit_by_name (controller, "motion", x, y);
    }
  gauge_test_iterate_for (50);
}

/* --- Data ----------------------------------------------------------------- */

/* A 5-hour window as people use it: bursts of work, resets every 5 hours,
 * readings every @step, nights off (no readings), one window over 100 %. */
static GArray *
make_five_hour (gint64  span_ms,
                gint64  step_ms,
                GArray *resets)
{
  GArray *points = g_array_new (FALSE, FALSE, sizeof (GaugeSeriesPoint));
  const gint64 period_ms = 5 * HOUR_MS;
  gint64 start = NOW_MS - span_ms;

  for (gint64 r = start - start % period_ms + period_ms; r <= NOW_MS; r += period_ms)
    g_array_append_val (resets, r);

  for (gint64 t = start; t <= NOW_MS; t += step_ms)
    {
      gint64 period = t / period_ms;
      double fraction = (double) (t % period_ms) / period_ms;
      int hour = (int) ((t / HOUR_MS) % 24);
      GaugeSeriesPoint p;

      /* Asleep from 01:00 to 07:00: the app is not running, no readings. */
      if (hour >= 1 && hour < 7)
        continue;

      /* Each period climbs to its own peak; one in eleven goes over 100 %. */
      p.t_ms = t;
      p.value = (period % 11 == 4 ? 104.0 : 15.0 + (period * 37) % 75) * sqrt (fraction);
      g_array_append_val (points, p);
    }

  return points;
}

/* --- Cases ---------------------------------------------------------------- */

static void
test_lookup_nearest (void)
{
  const GaugeSeriesPoint points[] = {
    { 1000, 10.0 }, { 2000, 20.0 }, { 3000, NAN }, { 4000, 40.0 }, { 6000, 60.0 },
  };
  const struct { gint64 t; gboolean found; guint index; } table[] = {
    { 0,     TRUE, 0 },   /* before the first point */
    { 1000,  TRUE, 0 },   /* exactly on a point */
    { 1400,  TRUE, 0 },
    { 1500,  TRUE, 0 },   /* a tie goes to the earlier point */
    { 1600,  TRUE, 1 },
    { 2900,  TRUE, 1 },   /* the gap at 3000 is skipped */
    { 3000,  TRUE, 1 },   /* on the gap: 2000 and 4000 are equally near, earlier wins */
    { 3100,  TRUE, 3 },
    { 5100,  TRUE, 4 },
    { 99999, TRUE, 4 },   /* after the last point */
  };
  const GaugeSeriesPoint only_gaps[] = { { 1000, NAN }, { 2000, NAN } };
  guint index = G_MAXUINT;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      gboolean found = gauge_series_chart_lookup_nearest (points, G_N_ELEMENTS (points),
                                                          table[i].t, &index);

      g_test_message ("t=%" G_GINT64_FORMAT " → %u", table[i].t, index);
      g_assert_cmpint (found, ==, table[i].found);
      g_assert_cmpuint (index, ==, table[i].index);
    }

  g_assert_false (gauge_series_chart_lookup_nearest (NULL, 0, 5, &index));
  g_assert_false (gauge_series_chart_lookup_nearest (only_gaps, 2, 1500, &index));
}

static void
test_summary_and_readout (void)
{
  const GaugeSeriesPoint points[] = {
    { NOW_MS - 4 * HOUR_MS, 12.0 },
    { NOW_MS - 20 * MINUTE_MS, 92.0 },   /* 14:10 */
    { NOW_MS, 37.0 },
  };
  GtkWidget *chart = g_object_ref_sink (gauge_series_chart_new ());
  GtkWidget *window;
  g_autofree char *empty = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *readout = NULL;
  g_autofree char *outside = NULL;

  gauge_chart_set_title (GAUGE_CHART (chart), "5-hour usage");
  gauge_chart_set_range (GAUGE_CHART (chart), NOW_MS - DAY_MS, NOW_MS, "last 24 h");
  empty = gauge_chart_dup_summary (GAUGE_CHART (chart));
  g_assert_cmpstr (empty, ==, "5-hour usage, last 24 h: no readings yet");

  gauge_series_chart_set_series (GAUGE_SERIES_CHART (chart), points, G_N_ELEMENTS (points), 0);
  summary = gauge_chart_dup_summary (GAUGE_CHART (chart));
  g_assert_cmpstr (summary, ==, "5-hour usage, last 24 h: peak 92 % at 14:10, now 37 %");

  /* The same words as the tooltip (and the accessible label). */
  g_object_get (chart, "tooltip-text", &tooltip, NULL);
  g_assert_cmpstr (tooltip, ==, summary);

  window = show_in_window (chart, 600, 220);
  /* The pointer at the right edge of the plot reads the latest point. */
  readout = gauge_chart_dup_readout_at (GAUGE_CHART (chart), gtk_widget_get_width (chart) - 12);
  g_assert_cmpstr (readout, ==, "14:30  37 %");
  outside = gauge_chart_dup_readout_at (GAUGE_CHART (chart), 2);
  g_assert_null (outside);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (chart);
}

typedef struct
{
  const char *name;
  const char *label;
  gint64      span_ms;
  gint64      step_ms;
} Range;

static const Range ranges[] = {
  { "24h", "last 24 h",      DAY_MS,       5 * MINUTE_MS },
  { "7d",  "last 7 days",    7 * DAY_MS,   15 * MINUTE_MS },
  { "30d", "last 30 days",   30 * DAY_MS,  HOUR_MS },
  { "90d", "last 90 days",   90 * DAY_MS,  30 * MINUTE_MS },
  { "1y",  "last year",      365 * DAY_MS, 10 * MINUTE_MS },
};

static void
test_ranges (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      g_autoptr(GArray) resets = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) points = make_five_hour (ranges[i].span_ms, ranges[i].step_ms, resets);
      GtkWidget *chart = gauge_series_chart_new ();
      GtkWidget *window;
      g_autofree char *stem = g_strdup_printf ("chart-range-%s", ranges[i].name);
      g_autofree char *summary = NULL;

      gauge_chart_set_title (GAUGE_CHART (chart), "5-hour usage");
      gauge_chart_set_range (GAUGE_CHART (chart), NOW_MS - ranges[i].span_ms, NOW_MS,
                             ranges[i].label);
      gauge_series_chart_set_series (GAUGE_SERIES_CHART (chart),
                                     (GaugeSeriesPoint *) (gpointer) points->data,
                                     points->len, 2 * ranges[i].step_ms);
      /* Reset lines only where they can be told apart. */
      if (ranges[i].span_ms <= 7 * DAY_MS)
        gauge_series_chart_set_resets (GAUGE_SERIES_CHART (chart),
                                       (gint64 *) (gpointer) resets->data, resets->len);
      gauge_series_chart_set_thresholds (GAUGE_SERIES_CHART (chart), 75, 90);

      summary = gauge_chart_dup_summary (GAUGE_CHART (chart));
      g_test_message ("%s: %s", stem, summary);
      g_assert_true (g_str_has_prefix (summary, "5-hour usage, "));
      g_assert_nonnull (strstr (summary, ranges[i].label));
      g_assert_nonnull (strstr (summary, ": peak "));

      window = show_in_window (chart, 720, 240);
      save_light_and_dark (window, stem);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}

/* Accent-coloured pixels in a column of the texture (the line or its fill). */
static guint
count_coloured (GdkTexture *texture,
                int         x)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc (width * height * 4);
  guint n = 0;

  gdk_texture_download (texture, data, width * 4);
  for (int y = 0; y < height; y++)
    {
      guint8 *px = data + (y * width + x) * 4;  /* BGRA premultiplied */
      int b = px[0], g = px[1], r = px[2];

      /* Saturated: the series, not grey axes or text. */
      if (MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 40)
        n++;
    }
  return n;
}

static void
test_cases (void)
{
  const GaugeSeriesPoint single[] = { { NOW_MS - 2 * HOUR_MS, 42.0 } };
  GaugeSeriesPoint gaps[64];
  guint n_gaps = 0;
  GaugeSeriesPoint over[48];
  gint64 resets[] = { NOW_MS - 20 * HOUR_MS, NOW_MS - 15 * HOUR_MS, NOW_MS - 10 * HOUR_MS,
                      NOW_MS - 5 * HOUR_MS };
  GaugeSeriesPoint resetting[96];
  struct {
    const char            *stem;
    const GaugeSeriesPoint *points;
    guint                  n;
    gboolean               resets;
    const char            *summary;
  } cases[] = {
    { "chart-empty", NULL, 0, FALSE, "5-hour usage, last 24 h: no readings yet" },
    { "chart-single", single, 1, FALSE, "5-hour usage, last 24 h: peak 42 % at 12:30, now 42 %" },
    { "chart-gaps", gaps, 0, FALSE, NULL },
    { "chart-over-100", over, G_N_ELEMENTS (over), FALSE, NULL },
    { "chart-resets", resetting, G_N_ELEMENTS (resetting), TRUE, NULL },
  };

  /* Readings every 22 min from 14:30 yesterday with the app closed 02:00–09:00
   * (a gap in time) and one failed reading (NAN) at 19:22. */
  for (guint i = 0; i < 66; i++)
    {
      gint64 t = NOW_MS - DAY_MS + i * 22 * MINUTE_MS;
      int hour = (int) ((t / HOUR_MS) % 24);

      if ((hour >= 2 && hour < 9) || n_gaps >= G_N_ELEMENTS (gaps))
        continue;
      gaps[n_gaps].t_ms = t;
      gaps[n_gaps].value = 30 + 25 * sin (i / 6.0);
      n_gaps++;
    }
  gaps[13].value = NAN;

  for (guint i = 0; i < G_N_ELEMENTS (over); i++)
    {
      over[i].t_ms = NOW_MS - DAY_MS + i * 30 * MINUTE_MS;
      over[i].value = MIN (20.0 + i * 4.0, 100.0 + (i > 25 ? (i - 25) * 1.5 : 0));
    }

  for (guint i = 0; i < G_N_ELEMENTS (resetting); i++)
    {
      gint64 t = NOW_MS - DAY_MS + i * 15 * MINUTE_MS;
      gint64 since_reset = (t - (NOW_MS - 25 * HOUR_MS)) % (5 * HOUR_MS);

      resetting[i].t_ms = t;
      resetting[i].value = since_reset * 95.0 / (5 * HOUR_MS);
    }

  cases[2].n = n_gaps;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWidget *chart = gauge_series_chart_new ();
      GtkWidget *window;
      g_autofree char *summary = NULL;

      gauge_chart_set_title (GAUGE_CHART (chart), "5-hour usage");
      gauge_chart_set_range (GAUGE_CHART (chart), NOW_MS - DAY_MS, NOW_MS, "last 24 h");
      gauge_series_chart_set_series (GAUGE_SERIES_CHART (chart), cases[i].points, cases[i].n,
                                     45 * MINUTE_MS);
      if (cases[i].resets)
        gauge_series_chart_set_resets (GAUGE_SERIES_CHART (chart), resets,
                                       G_N_ELEMENTS (resets));
      /* No threshold lines in the gaps case: its pixel check looks for colour. */
      if (!g_str_equal (cases[i].stem, "chart-gaps"))
        gauge_series_chart_set_thresholds (GAUGE_SERIES_CHART (chart), 75, 90);

      summary = gauge_chart_dup_summary (GAUGE_CHART (chart));
      g_test_message ("%s: %s", cases[i].stem, summary);
      if (cases[i].summary != NULL)
        g_assert_cmpstr (summary, ==, cases[i].summary);

      window = show_in_window (chart, 720, 240);
      save_light_and_dark (window, cases[i].stem);

      if (g_str_equal (cases[i].stem, "chart-gaps"))
        {
          /* Nothing is drawn across the night: 05:00 yesterday has no line or fill. */
          g_autoptr(GdkTexture) texture = gauge_test_render (window);
          graphene_point_t in_chart;
          gint64 span = DAY_MS;
          double plot_x = 44 + (gtk_widget_get_width (chart) - 54) *
                          (double) ((NOW_MS - 9 * HOUR_MS - 30 * MINUTE_MS) - (NOW_MS - span)) / span;

          g_assert_true (gtk_widget_compute_point (chart, window,
                                                   &GRAPHENE_POINT_INIT (plot_x, 0), &in_chart));
          g_assert_cmpuint (count_coloured (texture, (int) in_chart.x), ==, 0);
          /* … while 12:00 today has a line. */
          plot_x = 44 + (gtk_widget_get_width (chart) - 54) *
                   (double) ((NOW_MS - 2 * HOUR_MS - 30 * MINUTE_MS) - (NOW_MS - span)) / span;
          g_assert_true (gtk_widget_compute_point (chart, window,
                                                   &GRAPHENE_POINT_INIT (plot_x, 0), &in_chart));
          g_assert_cmpuint (count_coloured (texture, (int) in_chart.x), >, 0);
        }

      if (g_str_equal (cases[i].stem, "chart-over-100"))
        {
          g_autofree char *readout = NULL;

          g_assert_nonnull (strstr (summary, "peak 133 %"));
          /* Hover near the end: the readout box and the point. */
          hover (chart, gtk_widget_get_width (chart) - 14, 40);
          readout = gauge_chart_dup_readout_at (GAUGE_CHART (chart),
                                                gtk_widget_get_width (chart) - 14);
          g_test_message ("readout: %s", readout);
          g_assert_cmpstr (readout, ==, "14:00  133 %");
          save_light_and_dark (window, "chart-hover");
        }

      gtk_window_destroy (GTK_WINDOW (window));
    }
}

static void
test_bars (void)
{
  const char * const models[] = { "Opus 4.1", "Sonnet 4.5", "Haiku 4.5" };
  const guint n_days = 30;
  g_autofree gint64 *starts = g_new0 (gint64, n_days);
  g_autofree double *values = g_new0 (double, n_days * 3);
  gint64 hour_starts[24];
  double hour_values[24 * 3];
  gint64 today = NOW_MS - NOW_MS % DAY_MS;
  GtkWidget *chart;
  GtkWidget *window;
  g_autofree char *summary = NULL;
  g_autofree char *readout = NULL;

  for (guint d = 0; d < n_days; d++)
    {
      starts[d] = today - (n_days - 1 - d) * DAY_MS;
      if (d % 7 == 2 || d % 7 == 3)
        continue;  /* weekends off */
      values[d * 3 + 0] = (d % 4) * 3.5;
      values[d * 3 + 1] = 2.0 + (d % 5) * 1.25;
      values[d * 3 + 2] = (d % 3) * 0.3;
    }
  values[(n_days - 1) * 3 + 0] = 25.0;  /* today: $41.75 in all */
  values[(n_days - 1) * 3 + 1] = 16.5;
  values[(n_days - 1) * 3 + 2] = 0.25;

  chart = gauge_bar_chart_new ();
  gauge_chart_set_title (GAUGE_CHART (chart), "Cost per day");
  gauge_chart_set_range (GAUGE_CHART (chart), starts[0], today + DAY_MS, "last 30 days");
  gauge_bar_chart_set_bars (GAUGE_BAR_CHART (chart), starts, n_days, DAY_MS, models, 3, values,
                            GAUGE_CHART_UNIT_COST);
  summary = gauge_chart_dup_summary (GAUGE_CHART (chart));
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Cost per day, last 30 days: $"));
  g_assert_nonnull (strstr (summary, "most $41.75 on 21 Nov"));

  window = show_in_window (chart, 720, 260);
  readout = gauge_chart_dup_readout_at (GAUGE_CHART (chart), gtk_widget_get_width (chart) - 14);
  g_assert_cmpstr (readout, ==, "21 Nov  $41.75\nOpus 4.1  $25.00\nSonnet 4.5  $16.50\nHaiku 4.5  $0.25");
  save_light_and_dark (window, "chart-bars-daily");
  hover (chart, gtk_widget_get_width (chart) - 14, 60);
  save_light_and_dark (window, "chart-bars-hover");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Tokens per hour, last 24 h. */
  for (guint h = 0; h < 24; h++)
    {
      hour_starts[h] = NOW_MS - NOW_MS % HOUR_MS - (23 - h) * HOUR_MS;
      hour_values[h * 3 + 0] = (h % 6) * 180000.0;
      hour_values[h * 3 + 1] = ((h + 2) % 5) * 420000.0;
      hour_values[h * 3 + 2] = (h % 4 == 0) * 60000.0;
    }
  chart = gauge_bar_chart_new ();
  gauge_chart_set_title (GAUGE_CHART (chart), "Tokens per hour");
  gauge_chart_set_range (GAUGE_CHART (chart), hour_starts[0], hour_starts[23] + HOUR_MS,
                         "last 24 h");
  gauge_bar_chart_set_bars (GAUGE_BAR_CHART (chart), hour_starts, 24, HOUR_MS, models, 3,
                            hour_values, GAUGE_CHART_UNIT_TOKENS);
  g_clear_pointer (&summary, g_free);
  summary = gauge_chart_dup_summary (GAUGE_CHART (chart));
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Tokens per hour, last 24 h: "));
  g_assert_nonnull (strstr (summary, " at "));

  window = show_in_window (chart, 720, 260);
  save_light_and_dark (window, "chart-bars-hourly");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_heatmap (void)
{
  const guint n_days = 365;
  g_autofree double *values = g_new0 (double, n_days);
  GDate last_day;
  GtkWidget *heatmap = gauge_heatmap_new ();
  GtkWidget *window;
  g_autofree char *summary = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *readout = NULL;

  g_date_clear (&last_day, 1);
  g_date_set_dmy (&last_day, 21, G_DATE_NOVEMBER, 2026);

  empty = gauge_heatmap_dup_summary (GAUGE_HEATMAP (heatmap));
  g_assert_cmpstr (empty, ==, "Last year: no local usage");

  for (guint i = 0; i < n_days; i++)
    {
      /* Started using Claude Code in March; weekends mostly quiet. */
      if (i < 100 || (i % 7 == 0 && i % 3 != 0) || i % 7 == 1)
        continue;
      values[i] = fmod (i * 7.31, 20.0) * (1.0 + i / 365.0);
    }
  values[n_days - 1] = 41.75;

  gauge_heatmap_set_days (GAUGE_HEATMAP (heatmap), &last_day, values, n_days);
  summary = gauge_heatmap_dup_summary (GAUGE_HEATMAP (heatmap));
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "active days, highest $41.75 on 21 Nov"));

  window = show_in_window (heatmap, 800, 200);
  save_light_and_dark (window, "heatmap");

  /* 21 Nov 2026 is a Saturday: the last row of the last column. */
  for (double x = gtk_widget_get_width (heatmap) - 1; x > 30 && readout == NULL; x -= 2)
    readout = gauge_heatmap_dup_readout_at (GAUGE_HEATMAP (heatmap), x, 18 + 6 * 13.5 + 5);
  g_assert_cmpstr (readout, ==, "Sat 21 Nov 2026: $41.75");

  hover (heatmap, gtk_widget_get_width (heatmap) / 2.0, 18 + 3 * 14 + 5);
  save_light_and_dark (window, "heatmap-hover");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --- The history view ----------------------------------------------------- */

static GaugeStore *
open_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "history.db", NULL);
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

/* A week of readings every 20 minutes, as the monitor stores them. */
static void
add_readings (GaugeStore *store,
              gint64      now_s)
{
  for (gint64 t = now_s - 7 * 86400; t <= now_s; t += 20 * 60)
    {
      g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GDateTime) fetched = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) five_reset = g_date_time_new_from_unix_utc (t - t % (5 * 3600) + 5 * 3600);
      g_autoptr(GDateTime) week_reset = g_date_time_new_from_unix_utc (t - t % (7 * 86400) + 7 * 86400);
      g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
      g_autoptr(GError) error = NULL;
      double five = (15.0 + ((t / (5 * 3600)) * 37) % 85) * sqrt ((t % (5 * 3600)) / 18000.0);
      double week = 100.0 * (t % (7 * 86400)) / (7 * 86400.0);
      int hour = (int) ((t / 3600) % 24);

      if (hour >= 1 && hour < 7)
        continue;

      /* Extra usage first, as the answer may list it: the History page still puts it last. */
      g_ptr_array_add (windows, gauge_limit_window_new ("extra_usage", "Extra usage", 0, NULL, 0));
      g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", five, five_reset,
                                                        5 * G_TIME_SPAN_HOUR));
      g_ptr_array_add (windows, gauge_limit_window_new ("seven_day", "Weekly", week, week_reset,
                                                        7 * G_TIME_SPAN_DAY));
      snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, fetched);
      g_assert_true (gauge_store_add_snapshot (store, snapshot, &error));
      g_assert_no_error (error);
    }
}

/* Transcript entries over 120 days: Sonnet most days, Opus some, Haiku a little. */
static void
add_entries (GaugeStore *store,
             gint64      now_ms)
{
  g_autoptr(GArray) entries = gauge_local_entry_array_new ();
  const char * const models[] = {
    "claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001",
  };
  guint n = 0;

  for (gint64 t = now_ms - 120 * DAY_MS; t <= now_ms; t += 37 * MINUTE_MS)
    {
      GaugeLocalEntry entry = { 0 };
      int day = (int) (t / DAY_MS);
      int hour = (int) ((t / HOUR_MS) % 24);

      if (day % 7 == 2 || hour < 9 || hour > 22 || (day * 13 + hour) % 5 == 0)
        continue;

      entry.timestamp_ms = t;
      entry.model = g_strdup (models[(day + hour) % 7 == 0 ? 1 : (hour % 9 == 0 ? 2 : 0)]);
      entry.message_id = g_strdup_printf ("m%u", n);
      entry.request_id = g_strdup_printf ("r%u", n++);
      entry.input_tokens = 2000 + (t / MINUTE_MS) % 3000;
      entry.output_tokens = 800 + (t / MINUTE_MS) % 1500;
      entry.cache_read_tokens = 40000 + (t / MINUTE_MS) % 90000;
      entry.cache_creation_5m_tokens = 3000;
      entry.cost_usd = NAN;
      g_array_append_val (entries, entry);
    }

  gauge_test_store_entries (store, entries);
}

static void
on_loaded (gboolean *loaded)
{
  *loaded = TRUE;
}

static void
wait_loaded (GtkWidget *view)
{
  gboolean loaded = FALSE;
  gulong id = g_signal_connect_swapped (view, "loaded", G_CALLBACK (on_loaded), &loaded);
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!loaded && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (view, id);
  g_assert_true (loaded);
  gauge_test_iterate_for (100);
}

static void
collect_charts (GtkWidget *widget,
                GString   *out)
{
  if (GAUGE_IS_CHART (widget))
    {
      g_autofree char *summary = gauge_chart_dup_summary (GAUGE_CHART (widget));
      g_string_append_printf (out, "%s\n", summary);
    }
  if (GAUGE_IS_HEATMAP (widget))
    {
      g_autofree char *summary = gauge_heatmap_dup_summary (GAUGE_HEATMAP (widget));
      g_string_append_printf (out, "%s\n", summary);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_charts (child, out);
}

static GtkWidget *
show_view (GaugeStore *store,
           int         height)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = gauge_history_view_new (store, NULL, NULL);

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, height);
  gtk_window_present (GTK_WINDOW (window));
  wait_loaded (view);
  return window;
}

/* The months drawn of six placed @spacing apart from @first, each 24 px wide, before @limit. */
static char *
fit_months (double first,
            double spacing,
            double limit)
{
  const char *months[] = { "Dec", "Jan", "Feb", "Mar", "Apr", "May" };
  GString *drawn = g_string_new (NULL);
  double next_free = first;

  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    if (gauge_drawing_label_fits (&next_free, first + spacing * i, 24.0, limit))
      g_string_append_printf (drawn, "%s ", months[i]);
  return g_string_free (drawn, FALSE);
}

/* Axis labels placed left to right: one that would touch the last one drawn, or pass the
 * edge, is skipped. Month names 16 px apart, each 24 px wide, as in a narrow calendar. */
static void
test_labels_fit (void)
{
  g_autofree char *narrow = fit_months (30.0, 16.0, 130.0);
  g_autofree char *edge = fit_months (30.0, 16.0, 110.0);
  g_autofree char *roomy = fit_months (0.0, 40.0, 400.0);
  double next_free;

  /* Never "DecJan": every other month. */
  g_assert_cmpstr (narrow, ==, "Dec Feb Apr ");
  /* Nothing past the edge: Apr would end at 118. */
  g_assert_cmpstr (edge, ==, "Dec Feb ");
  /* Room enough: every one. */
  g_assert_cmpstr (roomy, ==, "Dec Jan Feb Mar Apr May ");

  /* Starting left of the first free place: skipped. */
  next_free = 50.0;
  g_assert_false (gauge_drawing_label_fits (&next_free, 49.0, 10.0, 400.0));
  g_assert_cmpfloat (next_free, ==, 50.0);
}

static void
test_history_empty (void)
{
  g_autoptr(GaugeStore) store = open_store ();
  GtkWidget *window = show_view (store, 600);
  GtkWidget *view = gtk_window_get_child (GTK_WINDOW (window));

  g_assert_true (gauge_history_view_is_empty (GAUGE_HISTORY_VIEW (view)));
  save_light_and_dark (window, "history-empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_history_view (void)
{
  g_autoptr(GaugeStore) store = open_store ();
  gint64 now_ms = g_get_real_time () / 1000;
  GtkWidget *window;
  GtkWidget *view;
  g_autoptr(GString) summaries = g_string_new (NULL);

  add_readings (store, now_ms / 1000);
  add_entries (store, now_ms);

  window = show_view (store, 1560);
  view = gtk_window_get_child (GTK_WINDOW (window));
  g_assert_false (gauge_history_view_is_empty (GAUGE_HISTORY_VIEW (view)));

  gauge_history_view_set_range (GAUGE_HISTORY_VIEW (view), GAUGE_HISTORY_RANGE_WEEK);
  wait_loaded (view);
  collect_charts (view, summaries);
  g_test_message ("%s", summaries->str);
  g_assert_nonnull (strstr (summaries->str, "5-hour usage, last 7 days: peak "));
  g_assert_nonnull (strstr (summaries->str, "Weekly usage, last 7 days: peak "));
  g_assert_nonnull (strstr (summaries->str, "Extra usage, last 7 days: "));
  g_assert_null (strstr (summaries->str, "usage usage"));
  g_assert_true (strstr (summaries->str, "5-hour usage") < strstr (summaries->str, "Extra usage"));
  /* The local charts follow the range buttons: the week's days. */
  g_assert_nonnull (strstr (summaries->str, "Cost per day, last 7 days: $"));
  g_assert_nonnull (strstr (summaries->str, "Tokens per day, last 7 days: "));
  g_assert_null (strstr (summaries->str, "last 24 h"));
  g_assert_nonnull (strstr (summaries->str, "Last year: "));
  save_light_and_dark (window, "history-view");

  /* The 24 h button: every chart per hour over the last day. */
  gauge_history_view_set_range (GAUGE_HISTORY_VIEW (view), GAUGE_HISTORY_RANGE_DAY);
  wait_loaded (view);
  g_string_truncate (summaries, 0);
  collect_charts (view, summaries);
  g_test_message ("%s", summaries->str);
  g_assert_nonnull (strstr (summaries->str, "Cost per hour, last 24 h: $"));
  g_assert_nonnull (strstr (summaries->str, "Tokens per hour, last 24 h: "));
  g_assert_null (strstr (summaries->str, "last 7 days"));

  gauge_history_view_set_range (GAUGE_HISTORY_VIEW (view), GAUGE_HISTORY_RANGE_QUARTER);
  wait_loaded (view);
  g_string_truncate (summaries, 0);
  collect_charts (view, summaries);
  g_assert_nonnull (strstr (summaries->str, "Cost per day, last 90 days: $"));
  g_assert_nonnull (strstr (summaries->str, "Tokens per day, last 90 days: "));
  save_png (window, "history-view-90d.png");

  /* A year reads hourly summaries of the readings: the peak and the latest reading it names
   * are those of every reading. */
  gauge_history_view_set_range (GAUGE_HISTORY_VIEW (view), GAUGE_HISTORY_RANGE_YEAR);
  wait_loaded (view);
  g_string_truncate (summaries, 0);
  collect_charts (view, summaries);
  g_test_message ("%s", summaries->str);
  for (guint i = 0; i < 2; i++)
    {
      const char *id = i == 0 ? "five_hour" : "seven_day";
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) readings = gauge_store_load_readings (store, id, 0, G_MAXINT64, &error);
      g_autofree GaugeSeriesPoint *points = g_new (GaugeSeriesPoint, readings->len);
      GtkWidget *every = g_object_ref_sink (gauge_series_chart_new ());
      g_autofree char *expected = NULL;

      g_assert_no_error (error);
      for (guint k = 0; k < readings->len; k++)
        {
          points[k].t_ms = g_array_index (readings, GaugeHistoryPoint, k).t * 1000;
          points[k].value = g_array_index (readings, GaugeHistoryPoint, k).value;
        }
      gauge_chart_set_title (GAUGE_CHART (every), i == 0 ? "5-hour usage" : "Weekly usage");
      gauge_chart_set_range (GAUGE_CHART (every), now_ms - 365 * DAY_MS, now_ms, "last year");
      gauge_series_chart_set_series (GAUGE_SERIES_CHART (every), points, readings->len, 0);
      expected = gauge_chart_dup_summary (GAUGE_CHART (every));
      g_test_message ("every reading: %s", expected);
      g_assert_nonnull (strstr (summaries->str, expected));
      g_object_unref (every);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first GtkDropDown under @widget, or NULL. */
static GtkWidget *
find_drop_down (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_drop_down (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
history_summaries (GtkWidget *view)
{
  GString *out = g_string_new (NULL);

  collect_charts (view, out);
  g_test_message ("%s", out->str);
  return g_string_free (out, FALSE);
}

/* Two accounts: a drop-down picks whose limits and local usage the charts show, the first
 * account's at first; their readings never share a line, and the local bars are the account's
 * own folder's transcripts. "All Accounts", last: each account's windows in charts of their
 * own, named after it, and every folder's local usage. One account: no drop-down, its own
 * readings, every folder's local usage. */
static void
test_history_accounts (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "accounts.db", NULL);
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autofree char *personal = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  const char *both[] = { personal, work, NULL };
  const char *one[] = { personal, NULL };
  g_autoptr(GaugeAccountList) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *all = NULL;
  g_autofree char *personal_peak = NULL;
  g_autofree char *work_peak = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view;
  GtkWidget *drop_down;

  g_assert_true (gauge_store_open (store, &error));
  for (gint64 t = now - 6 * 3600; t <= now; t += 20 * 60)
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
        g_autoptr(GDateTime) fetched = g_date_time_new_from_unix_utc (t + i);
        g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (now + 3600);
        g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

        g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour",
                                                          i == 0 ? 23 : 87, reset,
                                                          GAUGE_WINDOW_LENGTH_FIVE_HOUR));
        snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, fetched);
        g_assert_true (gauge_store_add_account_snapshot (store, both[i], snapshot, &error));
      }

  /* Each account's transcripts, in its own folder: 1,234 and 56,789 input tokens. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GArray) entries = gauge_local_entry_array_new ();
      g_autofree char *transcript = g_build_filename (both[i], "projects", "-home-ana",
                                                      "s.jsonl", NULL);
      GaugeLocalEntry entry = { 0, };

      entry.timestamp_ms = (now - 3600) * 1000;
      entry.model = g_strdup ("claude-sonnet-4-5-20250929");
      entry.message_id = g_strdup_printf ("msg-%u", i);
      entry.request_id = g_strdup ("req");
      entry.input_tokens = i == 0 ? 1234 : 56789;
      entry.cost_usd = NAN;
      g_array_append_val (entries, entry);
      gauge_test_store_entries_at (store, transcript, "-home-ana", "s", entries);
    }

  accounts = gauge_account_list_new (store, client, both);
  view = gauge_history_view_new (store, NULL, NULL);
  gauge_history_view_set_accounts (GAUGE_HISTORY_VIEW (view), accounts);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 900);
  gtk_window_present (GTK_WINDOW (window));
  wait_loaded (view);

  drop_down = find_drop_down (view);
  g_assert_nonnull (drop_down);
  g_assert_true (gtk_widget_get_visible (drop_down));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (drop_down))),
                    ==, 3);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (drop_down)), ==, 0);
  g_assert_false (gauge_history_view_shows_all (GAUGE_HISTORY_VIEW (view)));
  first = history_summaries (view);
  g_assert_nonnull (strstr (first, "5-hour usage, last 24 h: peak 23 %"));
  g_assert_null (strstr (first, "87"));
  /* The local bars are the account's own folder's too. */
  g_assert_nonnull (strstr (first, "Tokens per hour, last 24 h: 1.2k in all"));

  /* Choosing the other account shows its readings, and only those. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 1);
  wait_loaded (view);
  g_assert_cmpstr (gauge_history_view_get_account (GAUGE_HISTORY_VIEW (view)), ==, work);
  second = history_summaries (view);
  g_assert_nonnull (strstr (second, "5-hour usage, last 24 h: peak 87 %"));
  g_assert_null (strstr (second, "23"));
  g_assert_nonnull (strstr (second, "Tokens per hour, last 24 h: 56.8k in all"));

  /* All of them: each account's 5-hour window is its own line, named after the account, and
   * the local bars count every folder. */
  g_assert_cmpstr (gtk_string_object_get_string (
                     gtk_drop_down_get_selected_item (GTK_DROP_DOWN (drop_down))), !=,
                   "All Accounts");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), 2);
  g_assert_cmpstr (gtk_string_object_get_string (
                     gtk_drop_down_get_selected_item (GTK_DROP_DOWN (drop_down))), ==,
                   "All Accounts");
  wait_loaded (view);
  g_assert_true (gauge_history_view_shows_all (GAUGE_HISTORY_VIEW (view)));
  g_assert_null (gauge_history_view_get_account (GAUGE_HISTORY_VIEW (view)));
  all = history_summaries (view);
  {
    g_autofree char *personal_name = gauge_account_list_dup_name (accounts, 0);
    g_autofree char *work_name = gauge_account_list_dup_name (accounts, 1);

    g_assert_cmpstr (personal_name, !=, work_name);
    personal_peak = g_strdup_printf ("%s · 5-hour usage, last 24 h: peak 23 %%", personal_name);
    work_peak = g_strdup_printf ("%s · 5-hour usage, last 24 h: peak 87 %%", work_name);
  }
  g_assert_nonnull (strstr (all, personal_peak));
  g_assert_nonnull (strstr (all, work_peak));
  /* In the accounts' order. */
  g_assert_true (strstr (all, personal_peak) < strstr (all, work_peak));
  g_assert_nonnull (strstr (all, "Tokens per hour, last 24 h: 58k in all"));

  /* A new reading of the second account's shows without touching anything, as the first's do. */
  {
    g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GDateTime) fetched = g_date_time_new_from_unix_utc (now - 30);
    g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (now + 3600);
    g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
    g_autofree char *later = NULL;

    g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", 95, reset,
                                                      GAUGE_WINDOW_LENGTH_FIVE_HOUR));
    snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, fetched);
    g_assert_true (gauge_store_add_account_snapshot (store, work, snapshot, &error));
    g_signal_emit_by_name (gauge_account_list_get_monitor (accounts, 1), "changed");
    wait_loaded (view);
    later = history_summaries (view);
    g_assert_nonnull (strstr (later, "5-hour usage, last 24 h: peak 95 %"));
  }

  /* Down to one account: no drop-down, the charts show that account's readings, not the
   * removed one's. */
  gauge_account_list_set_folders (accounts, one);
  /* It loads again: wait, so that no load is left running when the test ends. */
  wait_loaded (view);
  g_assert_false (gtk_widget_get_visible (drop_down));
  g_assert_null (gauge_history_view_get_account (GAUGE_HISTORY_VIEW (view)));
  g_clear_pointer (&first, g_free);
  first = history_summaries (view);
  g_assert_nonnull (strstr (first, "5-hour usage, last 24 h: peak 23 %"));
  g_assert_null (strstr (first, "87"));
  g_assert_null (strstr (first, "95"));
  /* One account: the local usage of every folder, as ever. */
  g_assert_nonnull (strstr (first, "Tokens per hour, last 24 h: 58k in all"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* Summaries and axes are in local time; make it the same everywhere. */
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  /* Isolated XDG dirs, but the real icon theme and MIME database. */
  gauge_test_ui_init (&argc, &argv);
  gauge_test_ui_use_system_mime_dirs ();
  gtk_init ();
  gauge_test_ui_use_system_icon_dirs ();
  adw_init ();
  /* Nothing else in this binary pulls the resource object out of the static library. */
  g_assert_nonnull (gauge_get_resource ());
  {
    /* What AdwApplication loads from the resource base path in the app: the style sheet and
     * the icons (the empty page's and the spinner's). */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/claudegauge/ClaudeGauge/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/claudegauge/ClaudeGauge/icons");
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/charts/lookup-nearest", test_lookup_nearest);
  g_test_add_func ("/charts/summary-and-readout", test_summary_and_readout);
  g_test_add_func ("/charts/ranges", test_ranges);
  g_test_add_func ("/charts/cases", test_cases);
  g_test_add_func ("/charts/bars", test_bars);
  g_test_add_func ("/charts/heatmap", test_heatmap);
  g_test_add_func ("/charts/labels-fit", test_labels_fit);
  g_test_add_func ("/charts/history-empty", test_history_empty);
  g_test_add_func ("/charts/history-view", test_history_view);
  g_test_add_func ("/charts/history-accounts", test_history_accounts);

  return gauge_test_ui_run (NULL);
}
