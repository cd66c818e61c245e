/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "bench-history-first-frame"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

#include "gauge-series-chart.h"
#include "gauge-drawing.h"
#include "gauge-history.h"
#include "gauge-history-view.h"
#include "gauge-resources.h"
#include "gauge-store.h"
#include "gauge-store-readings.h"

/*
 * On a database holding a year of 1-minute readings of three windows
 * (525,600 fetches, 1.58 M readings):
 *   - the chart query (gauge_store_load_account_series at 800 points) + drawing its
 *     result with the renderer the app uses, best of 7, per range;
 *   - the history view's first frame, and the frame showing every chart filled.
 *
 *   xvfb-run -a build/tests/ui/charts/bench-history-first-frame [--retention] [db-path]
 *
 * The database is generated at db-path (default: a file in the temp folder
 * named after the schema version) when missing: the store's schema, trigger
 * and all, with rows in bulk. Opening one written by an older version
 * migrates it: "store open" is then the migration's time. --retention first
 * applies the retention the app runs every day (full resolution for 30 days,
 * one fetch an hour before): what a year-old database holds.
 * bench/history-year.py runs this and judges the figures against the goals.
 */

#define MINUTES_PER_YEAR (365 * 24 * 60)

static const struct { const char *id, *name; gint64 length; } windows[] = {
  { "five_hour", "5-hour", 5 * 3600 },
  { "seven_day", "Weekly", 7 * 86400 },
  { "seven_day_opus", "Weekly Opus", 7 * 86400 },
};

static void
generate (const char *path,
          gint64      now)
{
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  sqlite3 *db;
  sqlite3_stmt *fetch, *reading;
  double value[G_N_ELEMENTS (windows)] = { 0 };
  gint64 resets[G_N_ELEMENTS (windows)] = { 0 };
  gint64 start = now - (gint64) MINUTES_PER_YEAR * 60;
  gint64 t0 = g_get_monotonic_time ();

  /* The schema as the app creates it, then rows in bulk. */
  if (!gauge_store_open (store, &error))
    g_error ("%s", error->message);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Each insert fires the rollup trigger, whose statement journal would go to a file. */
  sqlite3_exec (db, "PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; BEGIN", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO fetches (id, fetched_at, source) VALUES (?1, ?2, 'official')",
                      -1, &fetch, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO readings (fetch_id, position, window, name, utilization,"
                          " resets_at, length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                      -1, &reading, NULL);

  for (gint64 i = 0; i < MINUTES_PER_YEAR; i++)
    {
      gint64 t = start + i * 60;

      sqlite3_bind_int64 (fetch, 1, i + 1);
      sqlite3_bind_int64 (fetch, 2, t);
      sqlite3_step (fetch);
      sqlite3_reset (fetch);

      for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
        {
          if (t >= resets[w])
            {
              value[w] = 0.0;
              resets[w] = t + windows[w].length;
            }
          value[w] += g_rand_double (rand) * (windows[w].length < 86400 ? 0.9 : 0.02);

          sqlite3_bind_int64 (reading, 1, i + 1);
          sqlite3_bind_int (reading, 2, w);
          sqlite3_bind_text (reading, 3, windows[w].id, -1, SQLITE_STATIC);
          sqlite3_bind_text (reading, 4, windows[w].name, -1, SQLITE_STATIC);
          sqlite3_bind_double (reading, 5, round (value[w] * 10) / 10);
          sqlite3_bind_int64 (reading, 6, resets[w]);
          sqlite3_bind_int64 (reading, 7, windows[w].length);
          sqlite3_step (reading);
          sqlite3_reset (reading);
        }
    }

  sqlite3_finalize (fetch);
  sqlite3_finalize (reading);
  sqlite3_exec (db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close (db);
  g_print ("generated %d fetches × %u windows in %.1f s\n", MINUTES_PER_YEAR,
           (guint) G_N_ELEMENTS (windows), (g_get_monotonic_time () - t0) / 1e6);
}

static void
time_query_and_draw (GaugeStore *store,
                     gint64      now,
                     GtkWidget  *window,
                     GaugeSeriesChart *chart)
{
  static const struct { const char *label; gint64 span; } spans[] = {
    { "24 h", 86400 }, { "7 d", 7 * 86400 }, { "30 d", 30 * 86400 },
    { "90 d", 90 * 86400 }, { "1 y", 365 * 86400 },
  };
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  for (guint s = 0; s < G_N_ELEMENTS (spans); s++)
    {
      double best_query = G_MAXDOUBLE, best_draw = G_MAXDOUBLE;
      guint n = 0;

      for (guint run = 0; run < 7; run++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GArray) series = NULL;
          g_autofree GaugeSeriesPoint *points = NULL;
          g_autoptr(GskRenderNode) node = NULL;
          g_autoptr(GdkTexture) texture = NULL;
          GtkSnapshot *snapshot;
          gint64 t0 = g_get_monotonic_time (), t1;

          series = gauge_store_load_account_series (store, NULL, "five_hour",
                                                    now - spans[s].span, now + 1, 800,
                                                    GAUGE_HISTORY_MAX, &error);
          g_assert_no_error (error);
          t1 = g_get_monotonic_time ();

          n = series->len;
          points = g_new (GaugeSeriesPoint, n);
          for (guint i = 0; i < n; i++)
            {
              GaugeHistoryPoint *p = &g_array_index (series, GaugeHistoryPoint, i);

              points[i].t_ms = p->t * 1000;
              points[i].value = p->value;
            }
          gauge_chart_set_range (GAUGE_CHART (chart), (now - spans[s].span) * 1000, now * 1000,
                                 spans[s].label);
          gauge_series_chart_set_series (chart, points, n, 0);
          snapshot = gtk_snapshot_new ();
          GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
          node = gtk_snapshot_free_to_node (snapshot);
          texture = gsk_renderer_render_texture (renderer, node,
                                                 &GRAPHENE_RECT_INIT (0, 0, 800, 240));

          best_query = MIN (best_query, (t1 - t0) / 1000.0);
          best_draw = MIN (best_draw, (g_get_monotonic_time () - t1) / 1000.0);
        }

      g_print ("range %-5s %4u points   query %6.2f ms   draw %6.2f ms   total %6.2f ms\n",
               spans[s].label, n, best_query, best_draw, best_query + best_draw);
    }
}

typedef struct
{
  gint64   start;
  gint64   first_frame;
  gint64   loaded;
  gint64   loaded_frame;
} FrameTimes;

static void
on_after_paint (GdkFrameClock *clock,
                FrameTimes    *times)
{
  gint64 now = g_get_monotonic_time ();

  if (times->first_frame == 0)
    times->first_frame = now;
  if (times->loaded != 0 && times->loaded_frame == 0)
    times->loaded_frame = now;
}

static void
on_loaded (FrameTimes *times)
{
  if (times->loaded == 0)
    times->loaded = g_get_monotonic_time ();
}

static void
time_first_frame (GaugeStore        *store,
                  GaugeHistoryRange  range)
{
  FrameTimes times = { 0 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = gauge_history_view_new (store, NULL, NULL);
  GdkFrameClock *clock;
  gint64 deadline;

  gauge_history_view_set_range (GAUGE_HISTORY_VIEW (view), range);
  g_signal_connect_swapped (view, "loaded", G_CALLBACK (on_loaded), &times);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 1000);

  times.start = g_get_monotonic_time ();
  gtk_widget_realize (window);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &times);
  gtk_window_present (GTK_WINDOW (window));

  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  while (times.loaded_frame == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_print ("history view, %s range: first frame %.1f ms, data on worker thread %.1f ms, "
           "frame with every chart %.1f ms\n",
           range == GAUGE_HISTORY_RANGE_DAY ? "24 h" : "1 y",
           (times.first_frame - times.start) / 1000.0,
           (times.loaded - times.start) / 1000.0,
           (times.loaded_frame - times.start) / 1000.0);

  g_signal_handlers_disconnect_by_data (clock, &times);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  gboolean retention = FALSE;
  GOptionEntry entries[] = {
    { "retention", 0, 0, G_OPTION_ARG_NONE, &retention,
      "Apply the daily retention first (30 days in full, hourly before)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[DB-PATH]");
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  GtkWidget *window;
  GtkWidget *chart;
  gint64 t0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);

  gauge_drawing_choose_renderer ();
  gtk_init ();
  adw_init ();
  g_assert_nonnull (gauge_get_resource ());

  if (argc > 1)
    path = g_strdup (argv[1]);
  else
    {
      /* Per schema: a build of another version must not migrate this one's file. */
      g_autofree char *name = g_strdup_printf ("claude-gauge-bench-year-v%d.db",
                                               GAUGE_STORE_SCHEMA_VERSION);

      path = g_build_filename (g_get_tmp_dir (), name, NULL);
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    generate (path, now);
  if (g_stat (path, &st) == 0)
    g_print ("database %s: %.1f MB\n", path, st.st_size / 1e6);

  store = gauge_store_new (path);
  t0 = g_get_monotonic_time ();
  if (!gauge_store_open (store, &error))
    g_error ("%s", error->message);
  g_print ("store open %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);

  if (retention)
    {
      gint64 removed = 0;

      t0 = g_get_monotonic_time ();
      if (!gauge_store_apply_retention (store, 0, now, &removed, &error))
        g_error ("%s", error->message);
      g_print ("retention removed %" G_GINT64_FORMAT " fetches in %.1f ms\n", removed,
               (g_get_monotonic_time () - t0) / 1000.0);
    }

  window = gtk_window_new ();
  chart = gauge_series_chart_new ();
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 240);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (chart) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_print ("renderer %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  time_query_and_draw (store, now, window, GAUGE_SERIES_CHART (chart));
  gtk_window_destroy (GTK_WINDOW (window));

  for (guint i = 0; i < 2; i++)
    {
      gint64 span = i == 0 ? 86400 : 365 * 86400;
      g_autoptr(GPtrArray) found = NULL;

      t0 = g_get_monotonic_time ();
      found = gauge_store_list_account_windows (store, NULL, now - span, now + 1, NULL);
      g_print ("list windows over %s: %u windows in %.1f ms\n", i == 0 ? "24 h" : "1 y",
               found != NULL ? found->len : 0, (g_get_monotonic_time () - t0) / 1000.0);
    }

  time_first_frame (store, GAUGE_HISTORY_RANGE_DAY);
  time_first_frame (store, GAUGE_HISTORY_RANGE_YEAR);

  return 0;
}
