/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <time.h>

#include "gauge-cli-export.h"
#include "gauge-account.h"
#include "gauge-clock.h"
#include "gauge-history.h"
#include "gauge-store.h"
#include "gauge-store-alerts.h"
#include "gauge-store-cooldown.h"
#include "gauge-test-usage.h"
#include "gauge-store-readings.h"

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
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new (id, name, value, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
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
      points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - 6 * HOUR, NOW, 6,
                                                aggregate, &error);
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
  points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - DAY, NOW, 100,
                                            GAUGE_HISTORY_MAX, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 0);
  g_clear_pointer (&points, g_array_unref);

  /* one point */
  add_reading (store, NOW - 10 * HOUR, "five_hour", "5-hour", 10, NOW - 8 * HOUR);
  points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - DAY, NOW, 100,
                                            GAUGE_HISTORY_MAX, &error);
  g_assert_cmpuint (points->len, ==, 1);
  g_clear_pointer (&points, g_array_unref);

  /* A reset at NOW - 3 h: minute readings rising to 120 %, then starting over; a gap after */
  for (gint64 t = NOW - 4 * HOUR; t < NOW - 3 * HOUR; t += MIN_)
    add_reading (store, t, "five_hour", "5-hour", 60 + (t - (NOW - 4 * HOUR)) / 30.0,
                 NOW - 3 * HOUR);
  for (gint64 t = NOW - 3 * HOUR; t < NOW - 2 * HOUR; t += MIN_)
    add_reading (store, t, "five_hour", "5-hour", (t - (NOW - 3 * HOUR)) / 120.0, NOW + 2 * HOUR);

  /* 2 buckets of 12 h: the peak before the reset is kept, and the restart after it */
  points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - DAY, NOW, 2,
                                            GAUGE_HISTORY_MAX, &error);
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
  points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - DAY, NOW, 24,
                                            GAUGE_HISTORY_LAST, &error);
  g_assert_cmpuint (points->len, ==, 3);
  g_clear_pointer (&points, g_array_unref);
  points = gauge_store_load_account_series (store, NULL, "five_hour", NOW - DAY, NOW, 1000,
                                            GAUGE_HISTORY_MAX, &error);
  g_assert_cmpuint (points->len, <=, 1000 + 1);
  g_assert_cmpuint (points->len, >=, 7200 / 87);
  for (guint i = 1; i < points->len; i++)
    g_assert_cmpint (g_array_index (points, GaugeHistoryPoint, i - 1).t, <,
                     g_array_index (points, GaugeHistoryPoint, i).t);
  g_clear_pointer (&points, g_array_unref);

  /* another window, and the windows listed */
  add_reading (store, NOW - HOUR, "seven_day", "Weekly", 30, NOW + 3 * DAY);
  {
    g_autoptr(GPtrArray) windows = gauge_store_list_account_windows (store, NULL, NOW - DAY, NOW,
                                                                     &error);
    g_autoptr(GPtrArray) none = gauge_store_list_account_windows (store, NULL, NOW - 2 * DAY,
                                                                  NOW - DAY, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (windows->len, ==, 2);
    g_assert_cmpstr (((GaugeHistoryWindow *) windows->pdata[0])->id, ==, "five_hour");
    g_assert_cmpstr (((GaugeHistoryWindow *) windows->pdata[1])->name, ==, "Weekly");
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
add_account_reading (GaugeStore *store,
                     const char *account,
                     gint64      t,
                     const char *id,
                     double      value,
                     gint64      resets_at)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) reset = g_date_time_new_from_unix_utc (resets_at);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new (id, id, value, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
  gauge_store_add_account_snapshot (store, account, snapshot, &error);
  g_assert_no_error (error);
}

/* Every point of @account's series of five_hour lies in [low, high): one account's readings
 * never show in another's chart, on the scan, seek and rollup paths alike. */
static void
assert_series_within (GaugeStore            *store,
                      const char            *account,
                      gint64                 since,
                      guint                  n,
                      GaugeHistoryAggregate  aggregate,
                      double                 low,
                      double                 high)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = gauge_store_load_account_series (store, account, "five_hour",
                                                              since, NOW, n, aggregate, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >, 0);
  for (guint i = 0; i < points->len; i++)
    {
      double value = g_array_index (points, GaugeHistoryPoint, i).value;

      g_assert_cmpfloat (value, >=, low);
      g_assert_cmpfloat (value, <, high);
    }
}

/* Two accounts read every minute for two days, side by side: each account's series holds its
 * own readings only, whatever path the range takes; its windows are its own. */
static void
test_series_accounts (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autofree char *a = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *b = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autoptr(GPtrArray) windows_a = NULL;
  g_autoptr(GPtrArray) windows_b = NULL;
  g_autoptr(GError) error = NULL;

  for (gint64 t = NOW - 2 * DAY; t < NOW; t += 2 * MIN_)
    {
      gint64 reset = NOW + 5 * HOUR;
      double rise = (double) (t - (NOW - 2 * DAY)) / (2 * DAY);

      add_account_reading (store, a, t, "five_hour", 10 + 10 * rise, reset);
      add_account_reading (store, b, t + MIN_, "five_hour", 70 + 10 * rise, reset);
      if (t % HOUR == 0)
        add_account_reading (store, b, t + MIN_, "seven_day", 5, NOW + 3 * DAY);
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *account = i == 0 ? a : b;
      double low = i == 0 ? 10 : 70;

      assert_series_within (store, account, NOW - 6 * HOUR, 100, GAUGE_HISTORY_MAX,
                            low, low + 10);                                   /* scan */
      assert_series_within (store, account, NOW - 2 * DAY, 24, GAUGE_HISTORY_LAST,
                            low, low + 10);                                   /* seek */
      assert_series_within (store, account, NOW - 2 * DAY, 24, GAUGE_HISTORY_MAX,
                            low, low + 10);                                   /* rollup */
    }
  /* Every account's, as before accounts: both show. */
  assert_series_within (store, NULL, NOW - 2 * DAY, 24, GAUGE_HISTORY_MAX, 70, 80);

  windows_a = gauge_store_list_account_windows (store, a, NOW - DAY, NOW, &error);
  g_assert_no_error (error);
  windows_b = gauge_store_list_account_windows (store, b, NOW - DAY, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (windows_a->len, ==, 1);
  g_assert_cmpstr (((GaugeHistoryWindow *) windows_a->pdata[0])->id, ==, "five_hour");
  g_assert_cmpuint (windows_b->len, ==, 2);
  g_assert_cmpstr (((GaugeHistoryWindow *) windows_b->pdata[1])->id, ==, "seven_day");
}

/* The hourly rollup: a series whose buckets span an hour or more reads it instead of the
 * readings, and must show exactly what the readings do. */

/* One fetch with a 5-hour window, a weekly one and one without a reset time. */
static void
add_fetch (GaugeStore *store,
           gint64      t,
           double      five,
           gint64      five_reset,
           double      week,
           gint64      week_reset,
           double      other)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) five_at = g_date_time_new_from_unix_utc (five_reset);
  g_autoptr(GDateTime) week_at = g_date_time_new_from_unix_utc (week_reset);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", five, five_at,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  g_ptr_array_add (windows, gauge_limit_window_new ("seven_day", "Weekly", week, week_at,
                                                    GAUGE_WINDOW_LENGTH_WEEK));
  g_ptr_array_add (windows, gauge_limit_window_new ("other", "Other", other, NULL, 0));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, when);
  gauge_store_add_snapshot (store, snapshot, &error);
  g_assert_no_error (error);
}

static gint64
period_of (const GaugeHistoryPoint *point)
{
  return point->resets_at != 0 ? point->resets_at / 60 : -1;
}

static int
compare_time (gconstpointer a,
              gconstpointer b)
{
  const GaugeHistoryPoint *x = a, *y = b;

  return (x->t > y->t) - (x->t < y->t);
}

static void
append_bucket (GArray *series,
               GArray *bucket)
{
  g_array_sort (bucket, compare_time);
  g_array_append_vals (series, bucket->data, bucket->len);
  g_array_set_size (bucket, 0);
}

/* What the readings themselves give for buckets of whole hours: per bucket and period (the
 * reset time to the minute), the highest reading, the latest among equals; in time order. */
static GArray *
series_from_readings (GaugeStore *store,
                      const char *window,
                      gint64      since,
                      gint64      until,
                      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) readings = gauge_store_load_readings (store, window, since, until, &error);
  g_autoptr(GArray) bucket = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  GArray *series = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  gint64 origin = since / HOUR;
  gint64 n_hours = (until - 1) / HOUR - origin + 1;
  gint64 current = -1;

  g_assert_no_error (error);
  g_assert_cmpint ((until - since) / n, >=, HOUR);

  for (guint i = 0; i < readings->len; i++)
    {
      const GaugeHistoryPoint *reading = &g_array_index (readings, GaugeHistoryPoint, i);
      gint64 b = (reading->t / HOUR - origin) * n / n_hours;
      guint k;

      if (b != current)
        {
          append_bucket (series, bucket);
          current = b;
        }
      for (k = 0; k < bucket->len; k++)
        {
          GaugeHistoryPoint *kept = &g_array_index (bucket, GaugeHistoryPoint, k);

          if (period_of (kept) != period_of (reading))
            continue;
          /* Readings come oldest first: an equal one is a later one. */
          if (reading->value >= kept->value)
            *kept = *reading;
          break;
        }
      if (k == bucket->len)
        g_array_append_val (bucket, *reading);
    }
  append_bucket (series, bucket);

  return series;
}

static void
assert_same_series (GArray *got,
                    GArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    {
      const GaugeHistoryPoint *a = &g_array_index (got, GaugeHistoryPoint, i);
      const GaugeHistoryPoint *b = &g_array_index (expected, GaugeHistoryPoint, i);

      g_assert_cmpint (a->t, ==, b->t);
      g_assert_cmpfloat (a->value, ==, b->value);
      g_assert_cmpint (a->resets_at, ==, b->resets_at);
    }
}

static GArray *
load_series (GaugeStore            *store,
             const char            *window,
             gint64                 since,
             gint64                 until,
             guint                  n,
             GaugeHistoryAggregate  aggregate)
{
  g_autoptr(GError) error = NULL;
  GArray *points = gauge_store_load_account_series (store, NULL, window, since, until, n, aggregate,
                                                    &error);

  g_assert_no_error (error);
  return points;
}

/* The series of @window at @n buckets equals what its readings give. */
static void
assert_series_matches_readings (GaugeStore *store,
                                const char *window,
                                gint64      since,
                                gint64      until,
                                guint       n)
{
  g_autoptr(GArray) got = load_series (store, window, since, until, n, GAUGE_HISTORY_MAX);
  g_autoptr(GArray) expected = series_from_readings (store, window, since, until, n);

  g_test_message ("%s over [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ") in %u: %u points",
                  window, since - NOW, until - NOW, n, got->len);
  assert_same_series (got, expected);
}

static const struct
{
  gint64 since;
  gint64 until;
  guint  n;
} long_ranges[] = {
  { NOW - 6 * DAY, NOW + 1, 100 },                              /* as the view asks: 1.4 h */
  { NOW - 5 * DAY - 17 * MIN_ - 23, NOW - 2 * HOUR + 41, 37 },  /* partial hours at both ends */
  { NOW - 6 * DAY, NOW, 144 },                                  /* exactly an hour */
  { NOW - 6 * DAY, NOW, 3 },                                    /* two days, across the gap */
  { NOW - 30 * DAY, NOW - 7 * DAY, 50 },                        /* no readings */
};

static gboolean
five_hour_reading (GRand  *rand,
                   gint64  t,
                   double *five,
                   gint64 *five_reset)
{
  gboolean reset = FALSE;

  while (t >= *five_reset)
    {
      *five_reset += 5 * HOUR;
      *five = 0;
      reset = TRUE;
    }

  /* Mostly climbing (past 100 % by the end of most periods), at times flat (equal
   * readings), at times a little lower (the API's value wobbles). */
  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      break;
    case 1:
      *five = MAX (0.0, *five - 0.4);
      break;
    default:
      *five += round (g_rand_double_range (rand, 0.0, 9.0) * 10) / 10;
    }

  return reset;
}

/* Six days of readings 4 to 10 minutes apart, none for 30 hours. */
static guint
add_six_days (GaugeStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  double five = 0, week = 20, other = 50;
  gint64 five_reset = NOW - 6 * DAY + 3 * HOUR + 30;
  gint64 week_reset = NOW - 2 * DAY + 30;
  guint resets = 0;

  for (gint64 t = NOW - 6 * DAY + 13 * MIN_ + 7; t < NOW;
       t += g_rand_int_range (rand, 4, 11) * MIN_ + g_rand_int_range (rand, 0, 60))
    {
      if (t >= NOW - 3 * DAY && t < NOW - 3 * DAY + 30 * HOUR)
        continue;
      resets += five_hour_reading (rand, t, &five, &five_reset);
      if (t >= week_reset)
        {
          week_reset += 7 * DAY;
          week = 0;
        }
      week += g_rand_int_range (rand, 0, 2) * 0.5;
      other = CLAMP (other + g_rand_double_range (rand, -3.0, 3.0), 0.0, 100.0);
      /* The reset time wobbles by a few seconds within its minute. */
      add_fetch (store, t, five, five_reset + g_rand_int_range (rand, 0, 20), week, week_reset,
                 other);
    }

  return resets;
}

static void
test_rollup_series (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  const char * const windows[] = { "five_hour", "seven_day", "other" };
  guint resets = add_six_days (store);

  for (guint r = 0; r < G_N_ELEMENTS (long_ranges); r++)
    for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
      assert_series_matches_readings (store, windows[w], long_ranges[r].since,
                                      long_ranges[r].until, long_ranges[r].n);

  /* What the chart shows from it: every period, a reset as a new period, the peaks above
   * 100 %. */
  {
    g_autoptr(GArray) points = load_series (store, "five_hour", NOW - 6 * DAY, NOW + 1, 100,
                                            GAUGE_HISTORY_MAX);
    g_autoptr(GArray) all = gauge_store_load_readings (store, "five_hour", 0, NOW + 1, NULL);
    double peak = 0, highest = 0;
    guint periods = 1;

    for (guint i = 0; i < points->len; i++)
      {
        const GaugeHistoryPoint *p = &g_array_index (points, GaugeHistoryPoint, i);

        if (i > 0 && period_of (p - 1) != period_of (p))
          {
            g_assert_true (gauge_history_point_starts_period (p - 1, p));
            periods++;
          }
        peak = MAX (peak, p->value);
      }
    for (guint i = 0; i < all->len; i++)
      highest = MAX (highest, g_array_index (all, GaugeHistoryPoint, i).value);

    g_assert_cmpuint (periods, ==, resets + 1);
    g_assert_cmpfloat (highest, >, 100);
    g_assert_cmpfloat (peak, ==, highest);
    g_assert_cmpuint (points->len, <=, 100 + resets);
  }

  /* Where each period only rises, the highest reading of a bucket is its last one: the same
   * as the latest-reading series, which the readings answer by index seeks. */
  for (guint r = 0; r < G_N_ELEMENTS (long_ranges); r++)
    {
      g_autoptr(GArray) max = load_series (store, "seven_day", long_ranges[r].since,
                                           long_ranges[r].until, long_ranges[r].n,
                                           GAUGE_HISTORY_MAX);
      g_autoptr(GArray) last = load_series (store, "seven_day", long_ranges[r].since,
                                            long_ranges[r].until, long_ranges[r].n,
                                            GAUGE_HISTORY_LAST);

      assert_same_series (max, last);
    }
}

static gint64
count_hourly_rows (GaugeStore *store)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 ret;

  g_assert_cmpint (sqlite3_open (gauge_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM readings_hourly", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ret;
}

/* The points of @window in [from, to) of a series over [since, until) in @n buckets. */
static GArray *
points_between (GaugeStore *store,
                const char *window,
                gint64      since,
                gint64      until,
                guint       n,
                gint64      from,
                gint64      to)
{
  g_autoptr(GArray) points = load_series (store, window, since, until, n, GAUGE_HISTORY_MAX);
  GArray *ret = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));

  for (guint i = 0; i < points->len; i++)
    {
      const GaugeHistoryPoint *p = &g_array_index (points, GaugeHistoryPoint, i);

      if (p->t >= from && p->t < to)
        g_array_append_val (ret, *p);
    }

  return ret;
}

/* A year at the view's width (11-hour buckets). */
static GArray *
year_points (GaugeStore *store,
             const char *window,
             gint64      from,
             gint64      to)
{
  return points_between (store, window, NOW - 365 * DAY, NOW + 1, 800, from, to);
}

static void
test_rollup_kept_up_to_date (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;
  const GaugeHistoryPoint *p;
  gint64 hour = NOW - 35 * DAY + 20 * MIN_;   /* 11 h buckets: alone in its bucket */
  gint64 removed = 0;

  /* 40 days of readings every 10 minutes, the weekly window only rising. */
  for (gint64 t = NOW - 40 * DAY; t < NOW; t += 10 * MIN_)
    add_fetch (store, t, 10 + (t / (10 * MIN_)) % 30, t - t % (5 * HOUR) + 5 * HOUR,
               (t - (NOW - 40 * DAY)) / (double) DAY, NOW + DAY, 50);
  assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
  assert_series_matches_readings (store, "seven_day", NOW - 365 * DAY, NOW + 1, 800);

  /* Inserts: a higher reading in an old hour shows, an equal later one moves the point to
   * it, a lower one changes nothing; a reading in a new hour appears. */
  add_fetch (store, hour + 5 * MIN_, 90, hour + HOUR, 4.8, NOW + DAY, 50);
  points = year_points (store, "five_hour", hour - 20 * MIN_, hour + 40 * MIN_);
  g_assert_cmpuint (points->len, ==, 1);
  p = &g_array_index (points, GaugeHistoryPoint, 0);
  g_assert_cmpint (p->t, ==, hour + 5 * MIN_);
  g_assert_cmpfloat (p->value, ==, 90);
  g_clear_pointer (&points, g_array_unref);

  add_fetch (store, hour + 7 * MIN_, 90, hour + HOUR, 4.81, NOW + DAY, 50);
  add_fetch (store, hour + 9 * MIN_, 80, hour + HOUR, 4.82, NOW + DAY, 50);
  points = year_points (store, "five_hour", hour - 20 * MIN_, hour + 40 * MIN_);
  g_assert_cmpuint (points->len, ==, 1);
  p = &g_array_index (points, GaugeHistoryPoint, 0);
  g_assert_cmpint (p->t, ==, hour + 7 * MIN_);
  g_assert_cmpfloat (p->value, ==, 90);
  g_clear_pointer (&points, g_array_unref);

  points = points_between (store, "seven_day", hour - 20 * MIN_, hour - 20 * MIN_ + DAY, 24,
                           hour - 20 * MIN_, hour + 40 * MIN_);
  g_assert_cmpuint (points->len, ==, 1);
  g_assert_cmpint (g_array_index (points, GaugeHistoryPoint, 0).t, ==, hour + 30 * MIN_);
  g_clear_pointer (&points, g_array_unref);

  add_fetch (store, NOW, 77, NOW + HOUR, 41, NOW + DAY, 50);
  points = year_points (store, "five_hour", NOW, NOW + 1);
  g_assert_cmpuint (points->len, ==, 1);
  g_assert_cmpfloat (g_array_index (points, GaugeHistoryPoint, 0).value, ==, 77);
  g_clear_pointer (&points, g_array_unref);
  assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
  assert_series_matches_readings (store, "seven_day", NOW - 40 * DAY, NOW + 1, 200);

  /* Retention keeps one fetch an hour before 30 days, the one with the highest reading: in
   * that hour the 5-hour window's 90 %. The weekly window's highest reading went with
   * another fetch, and the chart shows the one that stayed. */
  g_assert_true (gauge_store_apply_retention (store, 0, NOW, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (removed, >, 0);
  points = points_between (store, "seven_day", hour - 20 * MIN_, hour - 20 * MIN_ + DAY, 24,
                           hour - 20 * MIN_, hour + 40 * MIN_);
  g_assert_cmpuint (points->len, ==, 1);
  p = &g_array_index (points, GaugeHistoryPoint, 0);
  g_assert_cmpint (p->t, ==, hour + 7 * MIN_);
  g_assert_cmpfloat (p->value, ==, 4.81);
  g_clear_pointer (&points, g_array_unref);
  assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
  assert_series_matches_readings (store, "seven_day", NOW - 40 * DAY, NOW + 1, 200);
  assert_series_matches_readings (store, "five_hour", NOW - 40 * DAY + 7 * MIN_, NOW - 29 * DAY,
                                  100);

  /* One reading an hour: where the window only rises, the same as the latest-reading
   * series, which comes from the readings. (A range before the readings added out of order
   * above: that series takes fetch ids to grow with time.) */
  {
    g_autoptr(GArray) max = load_series (store, "seven_day", NOW - 39 * DAY, NOW - 36 * DAY,
                                         36, GAUGE_HISTORY_MAX);
    g_autoptr(GArray) last = load_series (store, "seven_day", NOW - 39 * DAY, NOW - 36 * DAY,
                                          36, GAUGE_HISTORY_LAST);

    g_assert_cmpuint (max->len, ==, 36);
    assert_same_series (max, last);
  }

  /* Retention to 35 days: the older hours leave the chart, the one cut in two keeps its
   * remaining readings. */
  g_assert_true (gauge_store_apply_retention (store, 35, NOW - 10 * MIN_, &removed, &error));
  g_assert_no_error (error);
  assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
  assert_series_matches_readings (store, "five_hour", NOW - 36 * DAY, NOW - 34 * DAY, 48);
  points = year_points (store, "five_hour", 0, NOW - 35 * DAY - 10 * MIN_);
  g_assert_cmpuint (points->len, ==, 0);
  g_clear_pointer (&points, g_array_unref);

  /* Clearing empties it; what comes after shows. */
  g_assert_true (gauge_store_clear_history (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_hourly_rows (store), ==, 0);
  points = year_points (store, "five_hour", 0, G_MAXINT64);
  g_assert_cmpuint (points->len, ==, 0);
  g_clear_pointer (&points, g_array_unref);
  add_fetch (store, NOW - HOUR, 12, NOW + HOUR, 1, NOW + DAY, 50);
  assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
  g_assert_cmpint (count_hourly_rows (store), ==, 3);
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 ret;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ret;
}

/* A database as schema 4 left it: three days of readings, inserted as that version did. */
static void
write_v4_database (const char *path,
                   gboolean    with_chart_indexes)
{
  g_autofree char *schema_path = g_test_build_filename (G_TEST_DIST, "data", "history-v4.sql",
                                                        NULL);
  g_autofree char *schema = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  sqlite3 *db = NULL;
  sqlite3_stmt *fetch = NULL;
  sqlite3_stmt *reading = NULL;
  double five = 0;
  gint64 five_reset = NOW - 3 * DAY + 2 * HOUR + 20 * MIN_;
  gint64 id = 0;

  g_file_get_contents (schema_path, &schema, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_remove (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, schema);
  /* What builds before migration 6 created at first use. */
  if (with_chart_indexes)
    exec_sql (db, "CREATE INDEX readings_series"
                  "  ON readings(window, fetch_id, utilization, resets_at);"
                  "CREATE INDEX readings_periods ON readings(window, resets_at, fetch_id);");

  exec_sql (db, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO fetches VALUES (?1, ?2, 'official')", -1,
                                       &fetch, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO readings (fetch_id, position, window,"
                                           " name, utilization, resets_at, length)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 18000)",
                                       -1, &reading, NULL), ==, SQLITE_OK);

  for (gint64 t = NOW - 3 * DAY; t < NOW; t += g_rand_int_range (rand, 1, 12) * MIN_)
    {
      five_hour_reading (rand, t, &five, &five_reset);

      sqlite3_bind_int64 (fetch, 1, ++id);
      sqlite3_bind_int64 (fetch, 2, t);
      g_assert_cmpint (sqlite3_step (fetch), ==, SQLITE_DONE);
      sqlite3_reset (fetch);

      for (int w = 0; w < 2; w++)
        {
          sqlite3_bind_int64 (reading, 1, id);
          sqlite3_bind_int (reading, 2, w);
          sqlite3_bind_text (reading, 3, w == 0 ? "five_hour" : "other", -1, SQLITE_STATIC);
          sqlite3_bind_text (reading, 4, w == 0 ? "5-hour" : "Other", -1, SQLITE_STATIC);
          sqlite3_bind_double (reading, 5, w == 0 ? five : (double) (t / MIN_ % 97));
          if (w == 0)
            sqlite3_bind_int64 (reading, 6, five_reset);
          else
            sqlite3_bind_null (reading, 6);
          g_assert_cmpint (sqlite3_step (reading), ==, SQLITE_DONE);
          sqlite3_reset (reading);
        }
    }

  sqlite3_finalize (fetch);
  sqlite3_finalize (reading);
  exec_sql (db, "COMMIT");
  sqlite3_close (db);
}

static void
test_rollup_migrate_from_v4 (void)
{
  for (int with_chart_indexes = 0; with_chart_indexes <= 1; with_chart_indexes++)
    {
      g_autofree char *path = g_build_filename (g_get_user_data_dir (), "history-v4.db", NULL);
      g_autoptr(GaugeStore) store = NULL;
      g_autoptr(GError) error = NULL;

      write_v4_database (path, with_chart_indexes);
      store = gauge_store_new (path);
      g_assert_true (gauge_store_open (store, &error));
      g_assert_no_error (error);

      g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
      g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                        " ('readings_series', 'readings_periods',"
                                        "  'readings_hourly', 'readings_hourly_insert')"), ==, 4);
      /* Two windows over 72 hours, and a second period in each hour a 5-hour window reset. */
      g_assert_cmpint (count_hourly_rows (store), ==, 2 * 72 + 14);

      for (guint r = 0; r < G_N_ELEMENTS (long_ranges); r++)
        {
          assert_series_matches_readings (store, "five_hour", long_ranges[r].since,
                                          long_ranges[r].until, long_ranges[r].n);
          assert_series_matches_readings (store, "other", long_ranges[r].since,
                                          long_ranges[r].until, long_ranges[r].n);
        }

      /* and it is kept up to date from there on */
      add_fetch (store, NOW - 30 * MIN_, 250, NOW + HOUR, 1, NOW + DAY, 50);
      assert_series_matches_readings (store, "five_hour", NOW - 365 * DAY, NOW + 1, 800);
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

  events = gauge_store_load_account_limit_events (store, NULL, NOW - 7 * DAY, NOW + 1, &error);
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
count_account_cb (const GaugeStoredReading *reading,
                  gpointer                  user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, reading->account));

  g_hash_table_insert (counts, g_strdup (reading->account), GUINT_TO_POINTER (n + 1));
}

/* How many readings each account has, as the export sees them. */
static guint
count_account_readings (GaugeStore *store,
                        const char *account)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gauge_store_foreach_reading (store, 0, G_MAXINT64, count_account_cb, counts,
                                              &error));
  g_assert_no_error (error);
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, account));
}

/* Two accounts read at the same times: thinning old hours to one reading keeps one of
 * each account's, never one for both. */
static void
test_retention_accounts (void)
{
  g_autoptr(GaugeStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  const char *accounts[] = { "/home/ana/.claude", "/home/ana/.claude-work" };
  gint64 removed = 0;

  /* 35 days of half-hourly readings */
  for (gint64 t = NOW - 35 * DAY; t < NOW; t += 30 * MIN_)
    for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
      add_account_reading (store, accounts[i], t, "five_hour", i == 0 ? 10 : 50, NOW + HOUR);
  g_assert_cmpuint (count_account_readings (store, accounts[0]), ==, 35 * 48);
  g_assert_cmpuint (count_account_readings (store, accounts[1]), ==, 35 * 48);

  /* 5 days hourly (one of two), 30 days full: for each account */
  g_assert_true (gauge_store_apply_retention (store, 0, NOW, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (removed, ==, 2 * 5 * 24);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    g_assert_cmpuint (count_account_readings (store, accounts[i]), ==, 5 * 24 + 30 * 48);

  /* 32 days kept: each account's 3 oldest days go, and only those. */
  g_assert_true (gauge_store_apply_retention (store, 32, NOW, &removed, &error));
  g_assert_cmpint (removed, ==, 2 * 3 * 24);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    g_assert_cmpuint (count_account_readings (store, accounts[i]), ==, 2 * 24 + 30 * 48);
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

/* Two responses of one session at NOW: a priced model and one without a price. */
static void
add_entries (GaugeStore *store)
{
  static const char * const models[] = { "claude-sonnet-4-20250514", "claude-nonesuch-9" };
  g_autoptr(GArray) entries = gauge_local_entry_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      GaugeLocalEntry entry = { 0 };

      entry.timestamp_ms = (gint64) NOW * 1000 + i;
      entry.model = g_strdup (models[i]);
      entry.message_id = g_strdup_printf ("m%u", i);
      entry.request_id = g_strdup_printf ("r%u", i);
      entry.input_tokens = 100000;
      entry.output_tokens = 10000;
      entry.cost_usd = NAN;              /* Claude Code writes no costUSD today */
      g_array_append_val (entries, entry);
    }

  gauge_test_store_entries (store, entries);
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
  g_autofree char *first_account = gauge_account_default_folder ();
  g_autofree char *expected = NULL;
  JsonArray *array;

  g_setenv ("TZ", "Asia/Kolkata", TRUE);
  tzset ();

  /* Quoted for CSV; the line break, like any control character from outside, is already a
   * space in the window's name. */
  add_reading (store, NOW, "five_hour", "Odd, \"name\"\nhere", 42.5, NOW + HOUR);
  add_reading (store, NOW - 30 * DAY, "five_hour", "5-hour", 1, 0);  /* outside the range */

  csv = export (store, "readings", NULL);
  expected = g_strdup_printf ("fetched_at,fetched_at_local,source,window,name,percent,resets_at,"
                              "resets_at_local,used,limit,currency,account\r\n"
                              "2026-01-01T12:00:00Z,2026-01-01 17:30:00,official,five_hour,"
                              "\"Odd, \"\"name\"\" here\",42.5,2026-01-01T13:00:00Z,"
                              "2026-01-01 18:30:00,,,,%s\r\n", first_account);
  g_assert_cmpstr (csv, ==, expected);

  /* Another account's reading says whose it is. */
  add_account_reading (store, "/home/ana/.claude-work", NOW + MIN_, "five_hour", 7, NOW + HOUR);
  g_clear_pointer (&csv, g_free);
  csv = export (store, "readings", NULL);
  g_assert_nonnull (strstr (csv, ",7,2026-01-01T13:00:00Z,2026-01-01 18:30:00,,,,"
                                 "/home/ana/.claude-work\r\n"));

  json = export (store, "readings", "json");
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1),
                                                  "account"), ==, "/home/ana/.claude-work");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "name"),
                   ==, "Odd, \"name\" here");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "fetched_at"), ==, "2026-01-01T12:00:00Z");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 0), "used"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "account"), ==, first_account);

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

  /* Each entry priced as the reports price it (100k in, 10k out of Sonnet 4: $0.30 + $0.15);
   * a model without a price is empty, not $0. */
  add_entries (store);
  g_clear_pointer (&csv, g_free);
  csv = export (store, "entries", "csv");
  g_assert_nonnull (strstr (csv, ",claude-sonnet-4-20250514,100000,10000,0,0,0,0.45\r\n"));
  g_assert_nonnull (strstr (csv, ",claude-nonesuch-9,100000,10000,0,0,0,\r\n"));
  g_clear_pointer (&json, g_free);
  json = export (store, "entries", "json");
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
                                    json_array_get_object_element (array, 0), "cost_usd"),
                                  0.45, 1e-9);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 1),
                                              "cost_usd"));

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
  g_test_add_func ("/history/series-accounts", test_series_accounts);
  g_test_add_func ("/history/rollup/series", test_rollup_series);
  g_test_add_func ("/history/rollup/kept-up-to-date", test_rollup_kept_up_to_date);
  g_test_add_func ("/history/rollup/migrate-from-v4", test_rollup_migrate_from_v4);
  g_test_add_func ("/history/limit-events", test_limit_events);
  g_test_add_func ("/history/retention", test_retention);
  g_test_add_func ("/history/retention-accounts", test_retention_accounts);
  g_test_add_func ("/history/clear", test_clear);
  g_test_add_func ("/history/export", test_export);

  return g_test_run ();
}
