/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "gauge-history-series.h"
#include "gauge-model-name.h"
#include "gauge-store.h"
#include "gauge-test-usage.h"
#include "gauge-store-readings.h"
#include "gauge-limits-snapshot.h"

/*
 * What the History page shows, without a display: a real store with readings and
 * transcript entries, loaded the way the page loads it, in Berlin across the start of
 * summer time (29 March 2026: that day is 23 hours long).
 */

#define MINUTE_MS (G_GINT64_CONSTANT (60) * 1000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

/* 2026-03-30 10:00 in Berlin (summer time, UTC+2) */
#define NOW_MS    (G_GINT64_CONSTANT (1774857600) * 1000)
#define WEEK_MS   (7 * DAY_MS)

static GaugeStore *
new_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "series-test.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (path);
  store = gauge_store_new (path);
  g_assert_true (gauge_store_open (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
utc_ms (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (when) * 1000;
}

static void
add_reading (GaugeStore *store,
             gint64      t_ms,
             const char *id,
             const char *name,
             double      value,
             gint64      resets_at_ms)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (resets_at_ms / 1000);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new (id, name, value, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
  g_assert_true (gauge_store_add_snapshot (store, snapshot, &error));
  g_assert_no_error (error);
}

typedef struct
{
  gint64      t_ms;
  const char *model;
  double      cost;
  gint64      tokens;
} Entry;

static void
add_entries (GaugeStore  *store,
             const Entry *rows,
             guint        n_rows)
{
  g_autoptr(GArray) entries = gauge_local_entry_array_new ();

  for (guint i = 0; i < n_rows; i++)
    {
      GaugeLocalEntry entry = { 0 };

      entry.timestamp_ms = rows[i].t_ms;
      entry.model = g_strdup (rows[i].model);
      entry.message_id = g_strdup_printf ("m%u", i);
      entry.request_id = g_strdup_printf ("r%u", i);
      entry.input_tokens = rows[i].tokens;
      entry.cost_usd = rows[i].cost;
      g_array_append_val (entries, entry);
    }

  gauge_test_store_entries (store, entries);
}

static GaugeHistorySeries *
load (GaugeStore *store,
      gint64      span_ms)
{
  g_autoptr(GError) error = NULL;
  GaugeHistorySeries *series;

  series = gauge_history_series_load (store, NULL, NULL, NULL, NOW_MS, NOW_MS - span_ms,
                                      GAUGE_COST_MODE_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (series);
  return series;
}

static double
bar (const GaugeStackedBars *bars,
     guint                   bucket,
     const char             *name)
{
  for (guint s = 0; s < bars->names->len; s++)
    if (g_str_equal (bars->names->pdata[s], name))
      return g_array_index (bars->values, double, bucket * bars->names->len + s);

  g_error ("No series %s", name);
}

static gint64
start_of (const GaugeStackedBars *bars,
          guint                   bucket)
{
  return g_array_index (bars->starts, gint64, bucket);
}

/* --- Cases ---------------------------------------------------------------- */

static void
test_model_names (void)
{
  static const struct
  {
    const char       *model;
    GaugeModelFamily  family;
    const char       *shown;
  } table[] = {
    { "claude-opus-4-1-20250805", GAUGE_MODEL_FAMILY_OPUS, "Opus 4.1" },
    { "claude-sonnet-4-5-20250929", GAUGE_MODEL_FAMILY_SONNET, "Sonnet 4.5" },
    { "claude-haiku-4-5-20251001", GAUGE_MODEL_FAMILY_HAIKU, "Haiku 4.5" },
    { "claude-sonnet-4-20250514", GAUGE_MODEL_FAMILY_SONNET, "Sonnet 4" },
    { "claude-3-5-haiku-20241022", GAUGE_MODEL_FAMILY_HAIKU, "Haiku 3.5" },
    { "claude-3-opus-20240229", GAUGE_MODEL_FAMILY_OPUS, "Opus 3" },
    { "claude-3-5-sonnet-latest", GAUGE_MODEL_FAMILY_SONNET, "Sonnet 3.5 latest" },
    { "claude-fable-5-1", GAUGE_MODEL_FAMILY_OTHER, "Fable 5.1" },
    { "opus-4-1", GAUGE_MODEL_FAMILY_OPUS, "opus-4-1" },
    { "Opus 4.1", GAUGE_MODEL_FAMILY_OPUS, "Opus 4.1" },
    { "anthropic/claude-opus-4.5", GAUGE_MODEL_FAMILY_OPUS, "anthropic/claude-opus-4.5" },
    { "gpt-4o-2024-05-13", GAUGE_MODEL_FAMILY_OTHER, "gpt-4o-2024-05-13" },
    { "<synthetic>", GAUGE_MODEL_FAMILY_OTHER, "<synthetic>" },
    { "", GAUGE_MODEL_FAMILY_OTHER, "Unknown" },
    { NULL, GAUGE_MODEL_FAMILY_OTHER, "Unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *shown = gauge_model_name_display (table[i].model);

      g_test_message ("%s", table[i].model);
      g_assert_cmpint (gauge_model_name_get_family (table[i].model), ==, table[i].family);
      g_assert_cmpstr (shown, ==, table[i].shown);
    }
}

static void
test_empty (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeHistorySeries) series = load (store, WEEK_MS);

  g_assert_false (series->any_readings);
  g_assert_false (series->any_entries);
  g_assert_cmpuint (series->windows->len, ==, 0);

  /* Still the week's days, at local midnights, for cost and for tokens. */
  g_assert_cmpint (series->bucket_ms, ==, DAY_MS);
  g_assert_cmpuint (series->cost.starts->len, ==, 8);
  g_assert_cmpuint (series->cost.names->len, ==, 0);
  g_assert_cmpint (start_of (&series->cost, 0), ==, utc_ms (2026, 3, 22, 23, 0));
  g_assert_cmpuint (series->tokens.starts->len, ==, 8);
  g_assert_cmpint (start_of (&series->tokens, 0), ==, utc_ms (2026, 3, 22, 23, 0));

  g_assert_cmpuint (series->heatmap->len, ==, GAUGE_HISTORY_SERIES_DAYS);
  for (guint i = 0; i < series->heatmap->len; i++)
    g_assert_cmpfloat (g_array_index (series->heatmap, double, i), ==, 0.0);
  g_assert_cmpint (g_date_get_day (&series->last_day), ==, 30);
  g_assert_cmpint (g_date_get_month (&series->last_day), ==, G_DATE_MARCH);
  g_assert_cmpint (series->today_ms, ==, utc_ms (2026, 3, 29, 22, 0));
}

/* A window's readings over the range: a reset where the utilization dropped, at the time
 * the window said it would reset, and nothing from before the range. */
static void
test_windows (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeHistorySeries) series = NULL;
  gint64 reset_ms = NOW_MS - 4 * HOUR_MS;
  const GaugeWindowSeries *five = NULL;
  const GaugeWindowSeries *week = NULL;
  const GaugeSeriesPoint *points;
  gint64 reset;

  add_reading (store, NOW_MS - 8 * DAY_MS, "five_hour", "5-hour", 99,
               NOW_MS - 8 * DAY_MS + HOUR_MS);
  add_reading (store, NOW_MS - 6 * HOUR_MS, "five_hour", "5-hour", 40, reset_ms);
  add_reading (store, NOW_MS - 5 * HOUR_MS, "five_hour", "5-hour", 60, reset_ms);
  add_reading (store, NOW_MS - 3 * HOUR_MS, "five_hour", "5-hour", 5, NOW_MS + 2 * HOUR_MS);
  add_reading (store, NOW_MS - 2 * HOUR_MS, "seven_day", "Weekly", 58.5, NOW_MS + 3 * DAY_MS);
  add_reading (store, NOW_MS - 2 * HOUR_MS, "extra_usage", "Extra usage", 0, 0);
  add_reading (store, NOW_MS - 2 * HOUR_MS, "seven_day_sonnet", "Weekly · Sonnet", 20,
               NOW_MS + 3 * DAY_MS);

  series = load (store, WEEK_MS);
  g_assert_true (series->any_readings);
  g_assert_false (series->any_entries);
  g_assert_cmpint (series->since_ms, ==, NOW_MS - WEEK_MS);
  /* In the Limits page's order: extra usage, often a flat line, last. */
  g_assert_cmpuint (series->windows->len, ==, 4);
  g_assert_cmpstr (((GaugeWindowSeries *) series->windows->pdata[0])->id, ==, "five_hour");
  g_assert_cmpstr (((GaugeWindowSeries *) series->windows->pdata[1])->id, ==, "seven_day");
  g_assert_cmpstr (((GaugeWindowSeries *) series->windows->pdata[2])->id, ==, "seven_day_sonnet");
  g_assert_cmpstr (((GaugeWindowSeries *) series->windows->pdata[3])->id, ==, "extra_usage");
  for (guint i = 0; i < series->windows->len; i++)
    {
      const GaugeWindowSeries *window = series->windows->pdata[i];

      if (g_str_equal (window->id, "five_hour"))
        five = window;
      else if (g_str_equal (window->id, "seven_day"))
        week = window;
    }
  g_assert_nonnull (five);
  g_assert_nonnull (week);

  g_assert_cmpstr (five->name, ==, "5-hour");
  g_assert_cmpuint (five->points->len, ==, 3);
  points = (const GaugeSeriesPoint *) (gpointer) five->points->data;
  g_assert_cmpint (points[0].t_ms, ==, NOW_MS - 6 * HOUR_MS);
  g_assert_cmpfloat (points[0].value, ==, 40);
  g_assert_cmpint (points[1].t_ms, ==, NOW_MS - 5 * HOUR_MS);
  g_assert_cmpfloat (points[1].value, ==, 60);
  g_assert_cmpint (points[2].t_ms, ==, NOW_MS - 3 * HOUR_MS);
  g_assert_cmpfloat (points[2].value, ==, 5);
  g_assert_cmpuint (five->resets->len, ==, 1);
  reset = g_array_index (five->resets, gint64, 0);
  g_assert_cmpint (reset, ==, reset_ms);

  g_assert_cmpstr (week->name, ==, "Weekly");
  g_assert_cmpuint (week->points->len, ==, 1);
  g_assert_cmpfloat (g_array_index (week->points, GaugeSeriesPoint, 0).value, ==, 58.5);
  g_assert_cmpuint (week->resets->len, ==, 0);
}

/* Several accounts: each account's windows are series of their own, named after it, in the
 * Limits page's order and the accounts' under each; no line holds two accounts' readings. */
static void
test_accounts (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeHistorySeries) series = NULL;
  g_autoptr(GError) error = NULL;
  const char *folders[] = { "/home/ana/.claude-work", "/home/ana/.claude", NULL };
  const char *names[] = { "Work", "Personal", NULL };
  const char *expected[] = { "Work · 5-hour", "Personal · 5-hour", "Work · Weekly" };
  const double values[][2] = { { 70, 72 }, { 10, 12 }, { 30, 0 } };

  for (guint k = 0; k < 2; k++)
    for (guint a = 0; a < 2; a++)
      {
        g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (
          (NOW_MS - (3 - k) * HOUR_MS) / 1000 + a);
        g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (NOW_MS / 1000 + 3600);
        g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

        g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", values[a][k],
                                                          reset,
                                                          GAUGE_WINDOW_LENGTH_FIVE_HOUR));
        /* Only the work account has a weekly window. */
        if (a == 0)
          g_ptr_array_add (windows, gauge_limit_window_new ("seven_day", "Weekly", values[2][0],
                                                            reset,
                                                            GAUGE_WINDOW_LENGTH_WEEK));
        snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
        g_assert_true (gauge_store_add_account_snapshot (store, folders[a], snapshot, &error));
        g_assert_no_error (error);
      }

  series = gauge_history_series_load (store, folders, names, NULL, NOW_MS, NOW_MS - DAY_MS,
                                      GAUGE_COST_MODE_AUTO, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (series);
  g_assert_cmpuint (series->windows->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const GaugeWindowSeries *window = series->windows->pdata[i];
      guint a = i == 1 ? 1 : 0;

      g_assert_cmpstr (window->name, ==, expected[i]);
      g_assert_cmpuint (window->points->len, ==, 2);
      for (guint k = 0; k < window->points->len; k++)
        g_assert_cmpfloat (g_array_index (window->points, GaugeSeriesPoint, k).value, ==,
                           i == 2 ? values[2][0] : values[a][k]);
    }
}

/* Local usage by local day across the change to summer time, by hour, and a year of days. */
static void
test_local_usage (void)
{
  const Entry entries[] = {
    /* 28 March 23:30 winter time: still Saturday the 28th in Berlin */
    { utc_ms (2026, 3, 28, 22, 30), "claude-sonnet-4-5-20250929", 1.25, 1000 },
    /* 29 March 00:30 winter time, the 23-hour day */
    { utc_ms (2026, 3, 28, 23, 30), "claude-opus-4-1-20250805", 2.5, 2000 },
    /* 30 March 00:15 summer time, 23 h 15 min after the last entry's midnight: today */
    { utc_ms (2026, 3, 29, 22, 15), "claude-haiku-4-5-20251001", 0.5, 500 },
    /* This morning at 09:10: the last hour but one */
    { utc_ms (2026, 3, 30, 7, 10), "claude-sonnet-4-5-20250929", 0.75, 40000 },
    /* 200 days ago: only the calendar */
    { NOW_MS - 200 * DAY_MS, "claude-sonnet-4-5-20250929", 3.0, 100 },
    /* Tomorrow: nowhere */
    { NOW_MS + DAY_MS, "claude-opus-4-1-20250805", 9.0, 100 },
  };
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeHistorySeries) series = NULL;
  const GaugeStackedBars *daily;
  const GaugeStackedBars *hourly;
  double in_all = 0.0;

  add_entries (store, entries, G_N_ELEMENTS (entries));
  series = load (store, WEEK_MS);
  g_assert_false (series->any_readings);
  g_assert_true (series->any_entries);

  /* 23 March to today, biggest model first. */
  daily = &series->cost;
  g_assert_cmpuint (daily->starts->len, ==, 8);
  g_assert_cmpint (start_of (daily, 0), ==, utc_ms (2026, 3, 22, 23, 0));
  g_assert_cmpint (start_of (daily, 1) - start_of (daily, 0), ==, DAY_MS);
  g_assert_cmpuint (daily->names->len, ==, 3);
  g_assert_cmpstr (daily->names->pdata[0], ==, "Opus 4.1");
  g_assert_cmpstr (daily->names->pdata[1], ==, "Sonnet 4.5");
  g_assert_cmpstr (daily->names->pdata[2], ==, "Haiku 4.5");
  g_assert_cmpfloat (bar (daily, 5, "Sonnet 4.5"), ==, 1.25);
  g_assert_cmpfloat (bar (daily, 6, "Opus 4.1"), ==, 2.5);
  g_assert_cmpfloat (bar (daily, 7, "Haiku 4.5"), ==, 0.5);
  g_assert_cmpfloat (bar (daily, 7, "Sonnet 4.5"), ==, 0.75);
  for (guint i = 0; i < daily->values->len; i++)
    in_all += g_array_index (daily->values, double, i);
  g_assert_cmpfloat_with_epsilon (in_all, 5.0, 1e-9);

  /* Tokens per day over the same week. */
  g_assert_cmpuint (series->tokens.starts->len, ==, 8);
  g_assert_cmpfloat (bar (&series->tokens, 6, "Opus 4.1"), ==, 2000);
  g_assert_cmpfloat (bar (&series->tokens, 7, "Sonnet 4.5"), ==, 40000);

  /* The calendar: today last. */
  g_assert_cmpfloat (g_array_index (series->heatmap, double, 364), ==, 1.25);
  g_assert_cmpfloat (g_array_index (series->heatmap, double, 363), ==, 2.5);
  g_assert_cmpfloat (g_array_index (series->heatmap, double, 362), ==, 1.25);
  g_assert_cmpfloat (g_array_index (series->heatmap, double, 364 - 200), ==, 3.0);

  /* The 24 h button: the last 24 hours, from 11:00 yesterday, per hour, for cost and tokens. */
  g_clear_pointer (&series, gauge_history_series_free);
  series = load (store, DAY_MS);
  g_assert_cmpint (series->bucket_ms, ==, HOUR_MS);
  g_assert_cmpuint (series->cost.starts->len, ==, 24);
  g_assert_cmpint (start_of (&series->cost, 0), ==, utc_ms (2026, 3, 29, 9, 0));
  g_assert_cmpfloat (bar (&series->cost, 22, "Sonnet 4.5"), ==, 0.75);
  g_assert_cmpfloat (bar (&series->cost, 13, "Haiku 4.5"), ==, 0.5);
  hourly = &series->tokens;
  g_assert_cmpuint (hourly->starts->len, ==, 24);
  g_assert_cmpint (start_of (hourly, 0), ==, utc_ms (2026, 3, 29, 9, 0));
  g_assert_cmpuint (hourly->names->len, ==, 2);
  g_assert_cmpstr (hourly->names->pdata[0], ==, "Sonnet 4.5");
  g_assert_cmpstr (hourly->names->pdata[1], ==, "Haiku 4.5");
  g_assert_cmpfloat (bar (hourly, 22, "Sonnet 4.5"), ==, 40000);
  g_assert_cmpfloat (bar (hourly, 13, "Haiku 4.5"), ==, 500);
  g_assert_cmpfloat (bar (hourly, 13, "Sonnet 4.5"), ==, 0);
}

/* Each range button's span: the local bars start where the range starts and end now. */
static void
test_ranges (void)
{
  const struct { gint64 span_ms; gint64 bucket_ms; guint n; gint64 first_ms; } ranges[] = {
    { DAY_MS, HOUR_MS, 24, utc_ms (2026, 3, 29, 9, 0) },
    { WEEK_MS, DAY_MS, 8, utc_ms (2026, 3, 22, 23, 0) },
    { 30 * DAY_MS, DAY_MS, 31, utc_ms (2026, 2, 27, 23, 0) },
    { 90 * DAY_MS, DAY_MS, 91, utc_ms (2025, 12, 29, 23, 0) },
    { 365 * DAY_MS, DAY_MS, 366, utc_ms (2025, 3, 29, 23, 0) },
  };
  const Entry entries[] = {
    { NOW_MS - 80 * DAY_MS, "claude-sonnet-4-5-20250929", 2.0, 1000 },
  };
  g_autoptr(GaugeStore) store = new_store ();

  add_entries (store, entries, G_N_ELEMENTS (entries));
  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      g_autoptr(GaugeHistorySeries) series = load (store, ranges[i].span_ms);
      gboolean inside = ranges[i].span_ms > 80 * DAY_MS;
      double sum = 0.0;

      g_test_message ("span %" G_GINT64_FORMAT " days", ranges[i].span_ms / DAY_MS);
      g_assert_cmpint (series->bucket_ms, ==, ranges[i].bucket_ms);
      g_assert_cmpuint (series->cost.starts->len, ==, ranges[i].n);
      g_assert_cmpuint (series->tokens.starts->len, ==, ranges[i].n);
      g_assert_cmpint (start_of (&series->cost, 0), ==, ranges[i].first_ms);
      g_assert_cmpint (start_of (&series->tokens, 0), ==, ranges[i].first_ms);
      g_assert_cmpint (start_of (&series->cost, ranges[i].n - 1), <=, NOW_MS);
      g_assert_cmpint (start_of (&series->cost, ranges[i].n - 1) + ranges[i].bucket_ms, >, NOW_MS);
      /* The entry of 80 days ago is in the 90-day and the year's bars, not in shorter ones. */
      for (guint k = 0; k < series->cost.values->len; k++)
        sum += g_array_index (series->cost.values, double, k);
      g_assert_cmpfloat (sum, ==, inside ? 2.0 : 0.0);
      g_assert_cmpuint (series->tokens.names->len, ==, inside ? 1 : 0);
    }
}

/* More than five models: the four biggest, then the rest as one. */
static void
test_other_models (void)
{
  const Entry entries[] = {
    { NOW_MS - 1 * HOUR_MS, "claude-opus-4-1-20250805", 6.0, 1 },
    { NOW_MS - 2 * HOUR_MS, "claude-sonnet-4-5-20250929", 5.0, 1 },
    { NOW_MS - 3 * HOUR_MS, "claude-haiku-4-5-20251001", 4.0, 1 },
    { NOW_MS - 4 * HOUR_MS, "claude-opus-4-5-20251101", 3.0, 1 },
    { NOW_MS - 5 * HOUR_MS, "claude-sonnet-4-20250514", 2.0, 1 },
    { NOW_MS - 6 * HOUR_MS, "claude-3-5-haiku-20241022", 1.0, 1 },
  };
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeHistorySeries) series = NULL;

  add_entries (store, entries, G_N_ELEMENTS (entries));
  series = load (store, WEEK_MS);

  /* All today, the last of the week's days. */
  g_assert_cmpuint (series->cost.starts->len, ==, 8);
  g_assert_cmpuint (series->cost.names->len, ==, GAUGE_HISTORY_SERIES_MODELS + 1);
  g_assert_cmpstr (series->cost.names->pdata[3], ==, "Opus 4.5");
  g_assert_cmpstr (series->cost.names->pdata[4], ==, "Other");
  g_assert_cmpfloat (bar (&series->cost, 7, "Other"), ==, 3.0);
  g_assert_cmpfloat (bar (&series->cost, 7, "Opus 4.1"), ==, 6.0);
}

static void
test_cancelled (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GaugeHistorySeries) series = NULL;
  g_autoptr(GError) error = NULL;

  add_reading (store, NOW_MS - HOUR_MS, "five_hour", "5-hour", 40, NOW_MS + HOUR_MS);
  g_cancellable_cancel (cancellable);
  series = gauge_history_series_load (store, NULL, NULL, NULL, NOW_MS, NOW_MS - DAY_MS,
                                      GAUGE_COST_MODE_AUTO, cancellable, &error);
  g_assert_null (series);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  /* Local days are Berlin's, whatever the machine's zone. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history-series/model-names", test_model_names);
  g_test_add_func ("/history-series/empty", test_empty);
  g_test_add_func ("/history-series/windows", test_windows);
  g_test_add_func ("/history-series/accounts", test_accounts);
  g_test_add_func ("/history-series/local-usage", test_local_usage);
  g_test_add_func ("/history-series/other-models", test_other_models);
  g_test_add_func ("/history-series/ranges", test_ranges);
  g_test_add_func ("/history-series/cancelled", test_cancelled);

  return g_test_run ();
}
