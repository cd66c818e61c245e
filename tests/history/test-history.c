/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <time.h>

#include "gauge-cli-export.h"
#include "gauge-clock.h"
#include "gauge-history.h"
#include "gauge-store.h"

#define NOW 1767268800 /* 2026-01-01T12:00:00Z */
#define MIN_ 60
#define HOUR (60 * MIN_)
#define DAY (24 * HOUR)

static void
add_reading (GaugeStore *store,
             gint64      t,
             const char *id,
             const char *name,
             double      value,
             gint64      resets_at)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) reset = resets_at != 0 ? g_date_time_new_from_unix_utc (resets_at) : NULL;
  g_autoptr(GaugeUsageSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_usage_window_new (id, name, value, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_usage_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
  gauge_store_add_snapshot (store, snapshot, &error);
  g_assert_no_error (error);
}

static GaugeStore *
new_store (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "history-test.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_remove (path);
  store = gauge_store_new (path);
  gauge_store_open (store, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

/* Projection arithmetic as a table: readings every 5 min unless a row says otherwise. */
typedef struct
{
  const char          *what;
  GaugeHistoryPoint    readings[8];
  guint                n;
  GaugeProjectionKind  kind;
  gint64               reaches_at;
  double               ends_near;
  gint64               minutes_before_reset;
  gint64               span;
} ProjectionCase;

#define R(t, v, r) { NOW + (t), (v), (r) ? NOW + (r) : 0 }

static const ProjectionCase projection_cases[] = {
  { "no readings", { { 0 } }, 0, GAUGE_PROJECTION_UNKNOWN, 0, -1, -1, 0 },
  { "one reading", { R (0, 50, 3 * HOUR) }, 1, GAUGE_PROJECTION_UNKNOWN, 0, -1, -1, 0 },
  /* 10 % in 30 min = 20 %/h; 40 % left = 2 h; reset in 3 h: 60 min before */
  { "reaches the limit", { R (-30 * MIN_, 50, 3 * HOUR), R (-15 * MIN_, 55, 3 * HOUR),
                           R (0, 60, 3 * HOUR) }, 3,
    GAUGE_PROJECTION_REACHES_LIMIT, NOW + 2 * HOUR, -1, 60, 30 * MIN_ },
  /* 2 %/h for 3 h: 66 % */
  { "ends near", { R (-30 * MIN_, 59, 3 * HOUR), R (0, 60, 3 * HOUR) }, 2,
    GAUGE_PROJECTION_ENDS_NEAR, 0, 66, -1, 30 * MIN_ },
  { "flat", { R (-30 * MIN_, 60, 3 * HOUR), R (0, 60, 3 * HOUR) }, 2,
    GAUGE_PROJECTION_ENDS_NEAR, 0, 60, -1, 30 * MIN_ },
  /* Only hourly readings: the 30-min span is empty, 60 min has two */
  { "sparse falls back to 60 min", { R (-60 * MIN_, 40, 3 * HOUR), R (0, 60, 3 * HOUR) }, 2,
    GAUGE_PROJECTION_REACHES_LIMIT, NOW + 2 * HOUR, -1, 60, 60 * MIN_ },
  { "sparse falls back to 2 h", { R (-120 * MIN_, 20, 3 * HOUR), R (0, 60, 3 * HOUR) }, 2,
    GAUGE_PROJECTION_REACHES_LIMIT, NOW + 2 * HOUR, -1, 60, 120 * MIN_ },
  { "older than 2 h is ignored", { R (-200 * MIN_, 20, 3 * HOUR), R (0, 60, 3 * HOUR) }, 2,
    GAUGE_PROJECTION_UNKNOWN, 0, -1, -1, 0 },
  /* The reset at -20 min restarts the rate: only the last two count (5 % in 15 min) */
  { "reset restarts the rate", { R (-40 * MIN_, 90, -20 * MIN_), R (-15 * MIN_, 0, 280 * MIN_),
                                 R (0, 5, 280 * MIN_) }, 3,
    GAUGE_PROJECTION_ENDS_NEAR, 0, 5 + 20.0 * 280 / 60, -1, 15 * MIN_ },
  { "above 100", { R (-10 * MIN_, 99, HOUR), R (-5 * MIN_, 100, HOUR), R (0, 104, HOUR) }, 3,
    GAUGE_PROJECTION_AT_LIMIT, NOW - 5 * MIN_, -1, 65, 0 },
  { "reset passed", { R (-30 * MIN_, 50, -MIN_), R (0, 60, -MIN_) }, 2,
    GAUGE_PROJECTION_UNKNOWN, 0, -1, -1, 0 },
  { "no reset time", { R (-30 * MIN_, 50, 0), R (0, 60, 0) }, 2,
    GAUGE_PROJECTION_REACHES_LIMIT, NOW + 2 * HOUR, -1, -1, 30 * MIN_ },
};

static void
test_projection_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (projection_cases); i++)
    {
      const ProjectionCase *c = &projection_cases[i];
      GaugeProjection p;

      g_test_message ("%s", c->what);
      gauge_history_project (c->readings, c->n, NOW, &p);
      g_assert_cmpint (p.kind, ==, c->kind);
      g_assert_cmpint (p.reaches_at, ==, c->reaches_at);
      g_assert_cmpfloat_with_epsilon (p.ends_near, c->ends_near, 0.01);
      g_assert_cmpint (p.minutes_before_reset, ==, c->minutes_before_reset);
      g_assert_cmpint (p.span, ==, c->span);
    }
}

static void
test_projection_describe (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (NOW);
  GaugeProjection p = { GAUGE_PROJECTION_ENDS_NEAR, 0, 72.4, -1, 1, 1800 };
  g_autofree char *text = gauge_projection_describe (&p, now);

  g_assert_cmpstr (text, ==, "At this pace it ends near 72 %");
  p.kind = GAUGE_PROJECTION_UNKNOWN;
  g_assert_null (gauge_projection_describe (&p, now));
}

/* Many readings per bucket take the seek path: each period's last reading in a bucket. */
static void
test_series_seek (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  const GaugeHistoryPoint *p;

  /* Minute readings over [NOW - 6 h, NOW - 1 h) but a gap in [NOW - 4 h, NOW - 3 h); periods of
   * 90 min, rising 1.5 %/min (so above 100 before each reset), reset seconds jittering
   * within their minute. */
  for (gint64 t = NOW - 6 * HOUR; t < NOW - HOUR; t += MIN_)
    {
      gint64 period = (t - (NOW - 6 * HOUR)) / (90 * MIN_);
      gint64 resets = NOW - 6 * HOUR + (period + 1) * 90 * MIN_ + (t / MIN_) % 2 * 7;

      if (t >= NOW - 4 * HOUR && t < NOW - 3 * HOUR)
        continue;
      add_reading (store, t, "five_hour", "5-hour",
                   1.5 * ((t - (NOW - 6 * HOUR)) % (90 * MIN_) / MIN_), resets);
    }

  /* 6 buckets of 1 h over [NOW - 6 h, NOW): periods end at -4.5 h and -3 h (in the gap) and
   * -1.5 h; the last bucket is empty. */
  for (int aggregate = GAUGE_HISTORY_MAX; aggregate <= GAUGE_HISTORY_LAST; aggregate++)
    {
      points = gauge_store_load_series (store, "five_hour", NOW - 6 * HOUR, NOW, 6, aggregate,
                                        &error);
      g_assert_no_error (error);
      p = (const GaugeHistoryPoint *) (gpointer) points->data;
      g_assert_cmpuint (points->len, ==, 6);
      g_assert_cmpint (p[0].t, ==, NOW - 5 * HOUR - MIN_);
      g_assert_cmpfloat (p[0].value, ==, 1.5 * 59);
      g_assert_cmpint (p[1].t, ==, NOW - 4 * HOUR - 30 * MIN_ - MIN_);  /* the peak, above 100 */
      g_assert_cmpfloat (p[1].value, ==, 1.5 * 89);
      g_assert_true (gauge_history_point_starts_period (&p[1], &p[2]));
      g_assert_cmpint (p[2].t, ==, NOW - 4 * HOUR - MIN_);              /* then the gap */
      g_assert_cmpfloat (p[2].value, ==, 1.5 * 29);
      g_assert_cmpint (p[3].t, ==, NOW - 2 * HOUR - MIN_);
      g_assert_cmpint (p[4].t, ==, NOW - HOUR - 30 * MIN_ - MIN_);
      g_assert_cmpfloat (p[4].value, ==, 1.5 * 89);
      g_assert_cmpint (p[5].t, ==, NOW - HOUR - MIN_);
      g_assert_cmpfloat (p[5].value, ==, 1.5 * 29);
      for (guint i = 1; i < points->len; i++)
        g_assert_cmpint (p[i - 1].t, <, p[i].t);
      g_clear_pointer (&points, g_array_unref);
    }
}

static void
test_series (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  const GaugeHistoryPoint *p;

  /* empty */
  points = gauge_store_load_series (store, "five_hour", NOW - DAY, NOW, 100, GAUGE_HISTORY_MAX,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 0);
  g_clear_pointer (&points, g_array_unref);

  /* one point */
  add_reading (store, NOW - 10 * HOUR, "five_hour", "5-hour", 10, NOW - 8 * HOUR);
  points = gauge_store_load_series (store, "five_hour", NOW - DAY, NOW, 100, GAUGE_HISTORY_MAX,
                                    &error);
  g_assert_cmpuint (points->len, ==, 1);
  g_clear_pointer (&points, g_array_unref);

  /* A reset at NOW - 3 h: minute readings rising to 120 %, then starting over; a gap after */
  for (gint64 t = NOW - 4 * HOUR; t < NOW - 3 * HOUR; t += MIN_)
    add_reading (store, t, "five_hour", "5-hour", 60 + (t - (NOW - 4 * HOUR)) / 30.0,
                 NOW - 3 * HOUR);
  for (gint64 t = NOW - 3 * HOUR; t < NOW - 2 * HOUR; t += MIN_)
    add_reading (store, t, "five_hour", "5-hour", (t - (NOW - 3 * HOUR)) / 120.0, NOW + 2 * HOUR);

  /* 2 buckets of 12 h: the peak before the reset is kept, and the restart after it */
  points = gauge_store_load_series (store, "five_hour", NOW - DAY, NOW, 2, GAUGE_HISTORY_MAX,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 3);
  p = (const GaugeHistoryPoint *) (gpointer) points->data;
  g_assert_cmpfloat (p[0].value, ==, 10);
  g_assert_cmpfloat_with_epsilon (p[1].value, 60 + 59 * 2.0, 0.01);    /* above 100 kept */
  g_assert_cmpint (p[1].t, ==, NOW - 3 * HOUR - MIN_);
  g_assert_true (gauge_history_point_starts_period (&p[1], &p[2]));
  g_assert_cmpfloat_with_epsilon (p[2].value, 59 / 2.0, 0.01);
  g_clear_pointer (&points, g_array_unref);

  /* 24 buckets of 1 h: gaps stay empty, never more points than buckets plus resets */
  points = gauge_store_load_series (store, "five_hour", NOW - DAY, NOW, 24, GAUGE_HISTORY_LAST,
                                    &error);
  g_assert_cmpuint (points->len, ==, 3);
  g_clear_pointer (&points, g_array_unref);
  points = gauge_store_load_series (store, "five_hour", NOW - DAY, NOW, 1000, GAUGE_HISTORY_MAX,
                                    &error);
  g_assert_cmpuint (points->len, <=, 1000 + 1);
  g_assert_cmpuint (points->len, >=, 7200 / 87);
  for (guint i = 1; i < points->len; i++)
    g_assert_cmpint (g_array_index (points, GaugeHistoryPoint, i - 1).t, <,
                     g_array_index (points, GaugeHistoryPoint, i).t);
  g_clear_pointer (&points, g_array_unref);

  /* another window, and the windows listed */
  add_reading (store, NOW - HOUR, "seven_day", "Weekly", 30, NOW + 3 * DAY);
  {
    g_autoptr(GPtrArray) windows = gauge_store_list_windows (store, NOW - DAY, NOW, &error);
    g_autoptr(GPtrArray) none = gauge_store_list_windows (store, NOW - 2 * DAY, NOW - DAY, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (windows->len, ==, 2);
    g_assert_cmpstr (((GaugeHistoryWindow *) windows->pdata[0])->id, ==, "five_hour");
    g_assert_cmpstr (((GaugeHistoryWindow *) windows->pdata[1])->name, ==, "Weekly");
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_limit_events (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (NOW);
  const GaugeLimitEvent *e;

  gauge_clock_set_fake (now);

  /* Three days: 100 % at 10:00 (reset 11:00); twice today, the second one still on */
  for (int d = 2; d >= 0; d--)
    {
      gint64 base = NOW - d * DAY - 2 * HOUR;

      add_reading (store, base, "five_hour", "5-hour", 90, base + HOUR);
      add_reading (store, base + 10 * MIN_, "five_hour", "5-hour", 100, base + HOUR);
      add_reading (store, base + 20 * MIN_, "five_hour", "5-hour", 101, base + HOUR);
      add_reading (store, base + HOUR + MIN_, "five_hour", "5-hour", 1, base + 6 * HOUR);
    }
  add_reading (store, NOW - 5 * MIN_, "five_hour", "5-hour", 100, NOW + 4 * HOUR);
  add_reading (store, NOW - 30 * MIN_, "seven_day", "Weekly", 99.9, NOW + DAY);

  events = gauge_store_load_limit_events (store, NOW - 7 * DAY, NOW + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  e = &g_array_index (events, GaugeLimitEvent, 0);
  g_assert_cmpstr (e->window, ==, "five_hour");
  g_assert_cmpint (e->reached_at, ==, NOW - 2 * DAY - 2 * HOUR + 10 * MIN_);
  g_assert_cmpint (e->last_at, ==, NOW - 2 * DAY - 2 * HOUR + 20 * MIN_);
  g_assert_cmpint (e->reset_at, ==, NOW - 2 * DAY - HOUR);
  e = &g_array_index (events, GaugeLimitEvent, 3);
  g_assert_cmpint (e->reached_at, ==, NOW - 5 * MIN_);
  g_assert_cmpint (e->reset_at, ==, 0);

  g_assert_cmpuint (gauge_limit_events_count (events, NULL, NOW - 7 * DAY), ==, 4);
  g_assert_cmpuint (gauge_limit_events_count (events, "five_hour", NOW - DAY), ==, 2);
  g_assert_cmpuint (gauge_limit_events_count (events, "seven_day", 0), ==, 0);

  gauge_clock_set_fake (NULL);
}

static gint64
count_fetches (GaugeStore *store)
{
  g_autoptr(GArray) all = gauge_store_load_readings (store, "five_hour", 0, G_MAXINT64, NULL);

  return all->len;
}

static void
test_retention (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) old = NULL;
  gint64 removed = 0;

  /* 40 days of 10-minute readings; a peak of 100 % mid-hour 35 days ago */
  for (gint64 t = NOW - 40 * DAY; t < NOW; t += 10 * MIN_)
    add_reading (store, t, "five_hour", "5-hour",
                 t == NOW - 35 * DAY + 20 * MIN_ ? 100 : 10, NOW + HOUR);
  g_assert_cmpint (count_fetches (store), ==, 40 * 144);

  g_assert_true (gauge_store_apply_retention (store, 0, NOW, &removed, &error));
  g_assert_no_error (error);
  /* 10 days hourly (one of six), 30 days full */
  g_assert_cmpint (removed, ==, 10 * 24 * 5);
  g_assert_cmpint (count_fetches (store), ==, 10 * 24 + 30 * 144);

  /* the peak survived */
  old = gauge_store_load_readings (store, "five_hour", NOW - 35 * DAY, NOW - 35 * DAY + HOUR,
                                   &error);
  g_assert_cmpuint (old->len, ==, 1);
  g_assert_cmpfloat (g_array_index (old, GaugeHistoryPoint, 0).value, ==, 100);

  /* again: nothing more */
  g_assert_true (gauge_store_apply_retention (store, 0, NOW, &removed, &error));
  g_assert_cmpint (removed, ==, 0);

  /* 35 days kept: 5 days of hourly readings go */
  g_assert_true (gauge_store_apply_retention (store, 35, NOW, &removed, &error));
  g_assert_cmpint (removed, ==, 5 * 24);
}

static void
test_clear (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GaugeRateGate) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 removed = 0;

  add_reading (store, NOW - HOUR, "five_hour", "5-hour", 100, NOW + HOUR);
  add_reading (store, NOW, "five_hour", "5-hour", 100, NOW + HOUR);
  gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, NOW + HOUR, 2);
  gauge_store_save_gate (store, "hash", gate, &error);
  gauge_store_add_alert (store, "key", NOW, &error);
  g_assert_no_error (error);

  g_assert_true (gauge_store_clear_history (store, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (removed, ==, 2);
  g_assert_cmpint (count_fetches (store), ==, 0);
  g_assert_null (gauge_store_load_latest_snapshot (store, &error));

  /* the cooldown and the alerts already sent stay */
  loaded = gauge_store_load_gate (store, "hash", &error);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (loaded), ==, NOW + HOUR);
  g_assert_true (gauge_store_has_alert (store, "key", &error));
}

static char *
export (GaugeStore *store,
        const char *what,
        const char *format)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  gauge_cli_export_write (store, what, "2025-12-31", "2026-01-01", format, out, &error);
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_export (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  JsonArray *array;

  g_setenv ("TZ", "Asia/Kolkata", TRUE);
  tzset ();

  add_reading (store, NOW, "five_hour", "Odd, \"name\"\nhere", 42.5, NOW + HOUR);
  add_reading (store, NOW - 30 * DAY, "five_hour", "5-hour", 1, 0);  /* outside the range */

  csv = export (store, "readings", NULL);
  g_assert_cmpstr (csv, ==,
                   "fetched_at,fetched_at_local,source,window,name,percent,resets_at,"
                   "resets_at_local,used,limit,currency\r\n"
                   "2026-01-01T12:00:00Z,2026-01-01 17:30:00,official,five_hour,"
                   "\"Odd, \"\"name\"\"\nhere\",42.5,2026-01-01T13:00:00Z,2026-01-01 18:30:00,"
                   ",,\r\n");

  json = export (store, "readings", "json");
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"),
                   ==, "Odd, \"name\"\nhere");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "fetched_at"), ==, "2026-01-01T12:00:00Z");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 0), "used"));

  /* an empty range is a header, or [] */
  g_clear_pointer (&json, g_free);
  json = export (store, "daily", "json");
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 0);
  g_clear_pointer (&csv, g_free);
  csv = export (store, "entries", "csv");
  g_assert_true (g_str_has_prefix (csv, "timestamp,timestamp_local,session_id,"));

  /* bad options */
  g_assert_false (gauge_cli_export_write (store, "nope", NULL, NULL, NULL, out, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (gauge_cli_export_write (store, "daily", NULL, NULL, "xml", out, &error));
  g_clear_error (&error);
  g_assert_false (gauge_cli_export_write (store, "daily", "2026-13-01", NULL, NULL, out, &error));
  g_clear_error (&error);
  g_assert_false (gauge_cli_export_write (store, "daily", "2026-01-02", "2026-01-01", NULL, out,
                                          &error));
  g_clear_error (&error);

  g_unsetenv ("TZ");
  tzset ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/history/projection/table", test_projection_table);
  g_test_add_func ("/history/projection/describe", test_projection_describe);
  g_test_add_func ("/history/series", test_series);
  g_test_add_func ("/history/series-seek", test_series_seek);
  g_test_add_func ("/history/limit-events", test_limit_events);
  g_test_add_func ("/history/retention", test_retention);
  g_test_add_func ("/history/clear", test_clear);
  g_test_add_func ("/history/export", test_export);

  return g_test_run ();
}
