/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-series"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-account.h"
#include "gauge-clock.h"
#include "gauge-store-private.h"
#include "gauge-store-readings.h"

/*
 * The history's queries over fetches, readings and readings_hourly: chart series,
 * a window's readings, the windows seen, limit events and projections. Each call
 * takes the store's lock for its whole run. Writing readings, retention and
 * clearing are in gauge-store-readings.c.
 */

/* Short ranges go from the time index, long ones along the window's readings. */
#define SHORT_RANGE (7 * 24 * 3600)

/* Up to this many fetches per bucket the range is scanned; above, each bucket is seeked. */
#define SCAN_FETCHES_PER_BUCKET 4

/* A window's readings in [?2, ?3), oldest first, with the period the chart groups them by. */
static const char readings_sql[] =
  "SELECT f.fetched_at, r.utilization, r.resets_at, coalesce(r.resets_at / 60, -1)"
  " FROM fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
  " WHERE r.window = ?1 AND f.fetched_at >= ?2 AND f.fetched_at < ?3"
  " ORDER BY f.fetched_at, f.id";

/* The same, of one account's readings. */
static const char account_readings_sql[] =
  "SELECT f.fetched_at, r.utilization, r.resets_at, coalesce(r.resets_at / 60, -1)"
  " FROM fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
  " WHERE r.window = ?1 AND f.fetched_at >= ?2 AND f.fetched_at < ?3 AND f.account = ?4"
  " ORDER BY f.fetched_at, f.id";

/*
 * How [since, until) is cut into n buckets: by the second, or, when a bucket
 * spans an hour or more, by whole hours (a bucket holds the hours
 * (hour - origin) * n / n_units puts in it), so that the hourly rollup can
 * stand for the readings. The first and last hours may be partial.
 */
typedef struct
{
  gint64 since;
  gint64 until;
  guint  n;
  gint64 unit;      /* 1 or GAUGE_STORE_ROLLUP_SPAN seconds */
  gint64 origin;    /* since / unit */
  gint64 n_units;   /* from origin to the unit holding until - 1 */
} Buckets;

static void
buckets_init (Buckets *buckets,
              gint64   since,
              gint64   until,
              guint    n)
{
  g_assert (since < until && n > 0);

  buckets->since = since;
  buckets->until = until;
  buckets->n = n;
  buckets->unit = (until - since) / n >= GAUGE_STORE_ROLLUP_SPAN ? GAUGE_STORE_ROLLUP_SPAN : 1;
  buckets->origin = since / buckets->unit;
  buckets->n_units = (until - 1) / buckets->unit - buckets->origin + 1;
}

static gint64
buckets_index (const Buckets *buckets,
               gint64         t)
{
  return (t / buckets->unit - buckets->origin) * buckets->n / buckets->n_units;
}

/* Where bucket @k starts: the first unit index k puts in it. */
static gint64
buckets_start (const Buckets *buckets,
               guint          k)
{
  gint64 first_unit = ((gint64) k * buckets->n_units + buckets->n - 1) / buckets->n;

  return MAX (buckets->since, (buckets->origin + first_unit) * buckets->unit);
}

static char *
series_sql (GaugeHistoryAggregate aggregate,
            gboolean              short_range,
            gboolean              by_account)
{
  /* SQLite takes the bare columns from the row that holds the max(). */
  const char *columns = aggregate == GAUGE_HISTORY_LAST
    ? "max(f.fetched_at), r.utilization, r.resets_at"
    : "f.fetched_at, max(r.utilization), r.resets_at";

  /* Grouping by the reset time too keeps both sides of a reset in one bucket. */
  return g_strdup_printf ("SELECT %s, (f.fetched_at / ?6 - ?7) * ?3 / ?4 AS bucket"
                          " FROM %s"
                          " WHERE r.window = ?2 AND f.fetched_at >= ?1 AND f.fetched_at < ?5%s"
                          " GROUP BY bucket, coalesce(r.resets_at / 60, -1) ORDER BY 1",
                          columns,
                          short_range
                            ? "fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
                            : "readings r CROSS JOIN fetches f ON f.id = r.fetch_id",
                          by_account ? " AND f.account = ?8" : "");
}

/* The seek path. Fetch ids grow with fetched_at, so a time range is a fetch id
 * range; within one period of a window (one reset time) utilization only
 * rises, so a bucket's highest reading of a period is its last one. Each
 * bucket then costs a few index seeks whatever the number of readings in it. */

typedef struct
{
  gint64   fetch_id;
  double   value;
  gint64   resets_at;
  gboolean has_reset;
} SeekReading;

typedef struct
{
  sqlite3_stmt *edge;        /* the first fetch at or after a time */
  sqlite3_stmt *first;       /* the window's first reading in a fetch id range */
  sqlite3_stmt *last;        /* its last one */
  sqlite3_stmt *period_end;  /* its last one with a reset time */
  sqlite3_stmt *time;        /* when a fetch was made */
  const char   *window;
  const char   *account;     /* NULL: every account's readings */
  int           rc;
} Seeker;

static const char edge_sql[] =
  "SELECT id FROM fetches WHERE fetched_at >= ?1"
  " ORDER BY fetched_at, id LIMIT 1";

static const char first_sql[] =
  "SELECT fetch_id, utilization, resets_at FROM readings"
  " WHERE window = ?1 AND fetch_id >= ?2 AND fetch_id < ?3"
  " ORDER BY fetch_id LIMIT 1";

static const char last_sql[] =
  "SELECT fetch_id, utilization, resets_at FROM readings"
  " WHERE window = ?1 AND fetch_id >= ?2 AND fetch_id < ?3"
  " ORDER BY fetch_id DESC LIMIT 1";

static const char period_end_sql[] =
  "SELECT fetch_id, utilization, resets_at"
  " FROM readings INDEXED BY readings_periods"
  " WHERE window = ?1 AND resets_at IS ?2"
  " AND fetch_id >= ?3 AND fetch_id < ?4"
  " ORDER BY fetch_id DESC LIMIT 1";

/* The same, of one account's readings (?9): fetch ids of accounts read side by side interleave,
 * so each seek steps over the other accounts' few readings between. */
static const char account_first_sql[] =
  "SELECT r.fetch_id, r.utilization, r.resets_at FROM readings r"
  " CROSS JOIN fetches f ON f.id = r.fetch_id"
  " WHERE r.window = ?1 AND r.fetch_id >= ?2 AND r.fetch_id < ?3 AND f.account = ?9"
  " ORDER BY r.fetch_id LIMIT 1";

static const char account_last_sql[] =
  "SELECT r.fetch_id, r.utilization, r.resets_at FROM readings r"
  " CROSS JOIN fetches f ON f.id = r.fetch_id"
  " WHERE r.window = ?1 AND r.fetch_id >= ?2 AND r.fetch_id < ?3 AND f.account = ?9"
  " ORDER BY r.fetch_id DESC LIMIT 1";

static const char account_period_end_sql[] =
  "SELECT r.fetch_id, r.utilization, r.resets_at"
  " FROM readings r INDEXED BY readings_periods CROSS JOIN fetches f ON f.id = r.fetch_id"
  " WHERE r.window = ?1 AND r.resets_at IS ?2"
  " AND r.fetch_id >= ?3 AND r.fetch_id < ?4 AND f.account = ?9"
  " ORDER BY r.fetch_id DESC LIMIT 1";

static const char time_sql[] = "SELECT fetched_at FROM fetches WHERE id = ?1";

static void
seeker_clear (Seeker *seeker)
{
  g_clear_pointer (&seeker->edge, sqlite3_finalize);
  g_clear_pointer (&seeker->first, sqlite3_finalize);
  g_clear_pointer (&seeker->last, sqlite3_finalize);
  g_clear_pointer (&seeker->period_end, sqlite3_finalize);
  g_clear_pointer (&seeker->time, sqlite3_finalize);
}

/* The group the scan query puts a reading in: coalesce(resets_at / 60, -1). */
static gint64
period_of (const SeekReading *reading)
{
  return reading->has_reset ? reading->resets_at / 60 : -1;
}

static gboolean
step_one (Seeker       *seeker,
          sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    seeker->rc = rc;
  return rc == SQLITE_ROW;
}

/* The first fetch id at or after @t, or G_MAXINT64. */
static gint64
seek_edge (Seeker *seeker,
           gint64  t)
{
  gint64 ret = G_MAXINT64;

  sqlite3_reset (seeker->edge);
  sqlite3_bind_int64 (seeker->edge, 1, t);
  if (step_one (seeker, seeker->edge))
    ret = sqlite3_column_int64 (seeker->edge, 0);

  return ret;
}

static gboolean
seek_reading (Seeker        *seeker,
              sqlite3_stmt  *stmt,
              const gint64  *resets_at,
              gint64         from_id,
              gint64         to_id,
              SeekReading   *out)
{
  int arg = 2;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, seeker->window, -1, SQLITE_STATIC);
  if (stmt == seeker->period_end)
    {
      if (resets_at != NULL)
        sqlite3_bind_int64 (stmt, arg++, *resets_at);
      else
        sqlite3_bind_null (stmt, arg++);
    }
  sqlite3_bind_int64 (stmt, arg++, from_id);
  sqlite3_bind_int64 (stmt, arg, to_id);
  if (seeker->account != NULL)
    sqlite3_bind_text (stmt, 9, seeker->account, -1, SQLITE_STATIC);
  if (!step_one (seeker, stmt))
    return FALSE;

  out->fetch_id = sqlite3_column_int64 (stmt, 0);
  out->value = sqlite3_column_double (stmt, 1);
  out->has_reset = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
  out->resets_at = sqlite3_column_int64 (stmt, 2);

  return TRUE;
}

static void
append_reading (Seeker            *seeker,
                GArray            *points,
                const SeekReading *reading)
{
  GaugeHistoryPoint point = { 0 };

  sqlite3_reset (seeker->time);
  sqlite3_bind_int64 (seeker->time, 1, reading->fetch_id);
  if (!step_one (seeker, seeker->time))
    return;

  point.t = sqlite3_column_int64 (seeker->time, 0);
  point.value = reading->value;
  point.resets_at = reading->resets_at;
  g_array_append_val (points, point);
}

/* The last reading of @start's period from @start on, before @to_id: the
 * period may hold reset times a few seconds apart (one minute is one period). */
static gboolean
seek_period_end (Seeker            *seeker,
                 const SeekReading *start,
                 gint64             to_id,
                 SeekReading       *end,
                 SeekReading       *next)
{
  SeekReading at = *start;

  for (;;)
    {
      if (!seek_reading (seeker, seeker->period_end, at.has_reset ? &at.resets_at : NULL,
                         at.fetch_id, to_id, end))
        return FALSE;
      if (!seek_reading (seeker, seeker->first, NULL, end->fetch_id + 1, to_id, next))
        return FALSE;
      if (period_of (next) != period_of (start))
        return TRUE;
      at = *next;
    }
}

/* The points of the readings in fetch ids [from_id, to_id): one bucket. */
static void
seek_bucket (Seeker *seeker,
             GArray *points,
             gint64  from_id,
             gint64  to_id)
{
  SeekReading last, cur, end, next;

  if (from_id >= to_id ||
      !seek_reading (seeker, seeker->last, NULL, from_id, to_id, &last) ||
      !seek_reading (seeker, seeker->first, NULL, from_id, to_id, &cur))
    return;

  /* Every period that ends inside the bucket, then the one still running at its end. */
  while (period_of (&cur) != period_of (&last) && seeker->rc == SQLITE_OK)
    {
      if (!seek_period_end (seeker, &cur, to_id, &end, &next))
        break;
      append_reading (seeker, points, &end);
      cur = next;
    }

  append_reading (seeker, points, &last);
}

static GArray *
seek_series (GaugeStore    *self,
             Seeker        *seeker,
             const Buckets *buckets,
             gint64         from_id,
             gint64         to_id,
             GError       **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  gint64 start = from_id;

  for (guint k = 1; k <= buckets->n && seeker->rc == SQLITE_OK; k++)
    {
      gint64 end = k == buckets->n
        ? to_id
        : CLAMP (seek_edge (seeker, buckets_start (buckets, k)), start, to_id);

      seek_bucket (seeker, points, start, end);
      start = end;
    }

  if (!_gauge_store_steps_ended (self, seeker->rc, SQLITE_OK, error))
    return NULL;

  return g_steal_pointer (&points);
}

static GaugeHistoryPoint
point_from_row (sqlite3_stmt *stmt)
{
  GaugeHistoryPoint point;

  point.t = sqlite3_column_int64 (stmt, 0);
  point.value = sqlite3_column_double (stmt, 1);
  point.resets_at = sqlite3_column_int64 (stmt, 2);

  return point;
}

static GArray *
collect_points (GaugeStore    *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeHistoryPoint point = point_from_row (stmt);

      g_array_append_val (points, point);
    }

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  return g_steal_pointer (&points);
}

/* The rollup path: whole hours from readings_hourly, the partial hours at
 * either end from the readings, merged per bucket and period in C. */

typedef struct
{
  gint64            period;
  GaugeHistoryPoint point;
} Group;

typedef struct
{
  const Buckets *buckets;
  gint64         bucket;
  GArray        *groups;   /* Group: the current bucket's */
  GArray        *points;   /* GaugeHistoryPoint: the result */
} Merger;

/* The rollup's rule (GAUGE_STORE_ROLLUP_UPSERT): the higher reading, the later among equals. */
static gboolean
replaces (const GaugeHistoryPoint *point,
          const GaugeHistoryPoint *kept)
{
  return point->value > kept->value || (point->value == kept->value && point->t > kept->t);
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const Group *x = a, *y = b;

  return (x->point.t > y->point.t) - (x->point.t < y->point.t);
}

static void
merger_flush (Merger *merger)
{
  g_array_sort (merger->groups, compare_groups);
  for (guint i = 0; i < merger->groups->len; i++)
    g_array_append_val (merger->points, g_array_index (merger->groups, Group, i).point);
  g_array_set_size (merger->groups, 0);
}

/* Points come in bucket order; within a bucket, in any order. */
static void
merger_add (Merger                  *merger,
            const GaugeHistoryPoint *point,
            gint64                   period)
{
  gint64 bucket = buckets_index (merger->buckets, point->t);
  Group group = { period, *point };

  if (bucket != merger->bucket)
    {
      merger_flush (merger);
      merger->bucket = bucket;
    }

  for (guint i = 0; i < merger->groups->len; i++)
    {
      Group *kept = &g_array_index (merger->groups, Group, i);

      if (kept->period != period)
        continue;
      if (replaces (point, &kept->point))
        kept->point = *point;
      return;
    }

  g_array_append_val (merger->groups, group);
}

/* Adds the rows of @stmt, (t, value, resets_at, period), for @window in [from, to). */
static gboolean
merge_rows (GaugeStore    *self,
            Merger        *merger,
            sqlite3_stmt  *stmt,
            const char    *account,
            const char    *window,
            gint64         from,
            gint64         to,
            GError       **error)
{
  int rc;

  if (from >= to)
    return TRUE;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, window, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from);
  sqlite3_bind_int64 (stmt, 3, to);
  if (account != NULL)
    sqlite3_bind_text (stmt, 4, account, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeHistoryPoint point = point_from_row (stmt);

      merger_add (merger, &point, sqlite3_column_int64 (stmt, 3));
    }

  return _gauge_store_steps_ended (self, rc, SQLITE_DONE, error);
}

static GArray *
rollup_series (GaugeStore     *self,
               const char     *account,
               const char     *hourly_account,
               const char     *window,
               const Buckets  *buckets,
               GError        **error)
{
  g_autoptr(sqlite3_stmt) readings = NULL;
  g_autoptr(sqlite3_stmt) hourly = NULL;
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  Merger merger = { buckets, -1, groups, points };
  /* The whole hours in [since, until), and the partial ones at either end. */
  gint64 first_hour = (buckets->since + GAUGE_STORE_ROLLUP_SPAN - 1) / GAUGE_STORE_ROLLUP_SPAN;
  gint64 end_hour = buckets->until / GAUGE_STORE_ROLLUP_SPAN;

  g_assert (buckets->unit == GAUGE_STORE_ROLLUP_SPAN && first_hour <= end_hour);

  readings = _gauge_store_prepare (self, account != NULL ? account_readings_sql : readings_sql,
                                   error);
  if (readings == NULL)
    return NULL;
  hourly = _gauge_store_prepare (self,
                                 hourly_account != NULL
                                   ? "SELECT fetched_at, utilization, resets_at, period"
                                     " FROM readings_hourly"
                                     " WHERE window = ?1 AND account = ?4"
                                     " AND hour >= ?2 AND hour < ?3 ORDER BY hour"
                                   : "SELECT fetched_at, utilization, resets_at, period"
                                     " FROM readings_hourly"
                                     " WHERE window = ?1 AND hour >= ?2 AND hour < ?3"
                                     " ORDER BY hour",
                                 error);
  if (hourly == NULL)
    return NULL;

  if (!merge_rows (self, &merger, readings, account, window,
                   buckets->since, first_hour * GAUGE_STORE_ROLLUP_SPAN, error) ||
      !merge_rows (self, &merger, hourly, hourly_account, window, first_hour, end_hour, error) ||
      !merge_rows (self, &merger, readings, account, window,
                   end_hour * GAUGE_STORE_ROLLUP_SPAN, buckets->until, error))
    return NULL;

  merger_flush (&merger);

  return g_steal_pointer (&points);
}

/* The raw paths: a scan of the readings, or, with many readings per bucket,
 * index seeks per bucket edge and period. */
static GArray *
raw_series (GaugeStore            *self,
            const char            *account,
            const char            *window,
            const Buckets         *buckets,
            GaugeHistoryAggregate  aggregate,
            GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  Seeker seeker = { .window = window, .account = account, .rc = SQLITE_OK };
  GArray *ret = NULL;
  gint64 from_id, to_id;

  if ((seeker.edge = _gauge_store_prepare (self, edge_sql, error)) == NULL)
    return NULL;
  from_id = seek_edge (&seeker, buckets->since);
  to_id = seek_edge (&seeker, buckets->until);
  if (to_id == G_MAXINT64 && from_id != G_MAXINT64)
    {
      g_autoptr(sqlite3_stmt) max_id = NULL;

      max_id = _gauge_store_prepare (self, "SELECT max(id) FROM fetches", error);

      if (max_id == NULL)
        goto out;
      if (sqlite3_step (max_id) == SQLITE_ROW)
        to_id = sqlite3_column_int64 (max_id, 0) + 1;
    }

  /* Many readings per bucket: seek each bucket's edges instead of reading them all. */
  if (from_id < to_id && to_id - from_id > (gint64) buckets->n * SCAN_FETCHES_PER_BUCKET)
    {
      gboolean by_account = account != NULL;

      if ((seeker.first = _gauge_store_prepare (self, by_account ? account_first_sql : first_sql,
                                                error)) != NULL &&
          (seeker.last = _gauge_store_prepare (self, by_account ? account_last_sql : last_sql,
                                               error)) != NULL &&
          (seeker.period_end = _gauge_store_prepare (self,
                                                     by_account ? account_period_end_sql
                                                                : period_end_sql,
                                                     error)) != NULL &&
          (seeker.time = _gauge_store_prepare (self, time_sql, error)) != NULL)
        ret = seek_series (self, &seeker, buckets, from_id, to_id, error);
      goto out;
    }

  sql = series_sql (aggregate, buckets->until - buckets->since <= SHORT_RANGE, account != NULL);
  if ((stmt = _gauge_store_prepare (self, sql, error)) != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, buckets->since);
      sqlite3_bind_text (stmt, 2, window, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, buckets->n);
      sqlite3_bind_int64 (stmt, 4, buckets->n_units);
      sqlite3_bind_int64 (stmt, 5, buckets->until);
      sqlite3_bind_int64 (stmt, 6, buckets->unit);
      sqlite3_bind_int64 (stmt, 7, buckets->origin);
      if (account != NULL)
        sqlite3_bind_text (stmt, 8, account, -1, SQLITE_STATIC);
      ret = collect_points (self, stmt, error);
    }

out:
  seeker_clear (&seeker);

  return ret;
}

/* The account to filter by: %NULL when @account is %NULL or every reading stored is its (one
 * account's history takes the paths made for all, which need no filter). And, when @only is
 * not %NULL, the one account every reading stored is of (%NULL with several or none): the
 * rollup is keyed by account first, so a range of hours is a range of that key only under one
 * account. */
static gboolean
filter_account_locked (GaugeStore   *self,
                       const char   *account,
                       char        **filter,
                       char        **only,
                       GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *filter = NULL;
  if (only != NULL)
    *only = NULL;
  if (account == NULL && only == NULL)
    return TRUE;

  stmt = _gauge_store_prepare (self,
                               "SELECT (SELECT min(account) FROM fetches),"
                               " (SELECT max(account) FROM fetches)",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (!_gauge_store_step (self, stmt, SQLITE_ROW, error))
    return FALSE;

  if (account != NULL &&
      (sqlite3_column_type (stmt, 0) == SQLITE_NULL ||
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), account) != 0 ||
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), account) != 0))
    *filter = g_strdup (account);
  if (only != NULL && sqlite3_column_type (stmt, 0) != SQLITE_NULL &&
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
                 (const char *) sqlite3_column_text (stmt, 1)) == 0)
    *only = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  return TRUE;
}

/**
 * gauge_store_load_account_series:
 * @account: (nullable): an account's folder (gauge_account_normalize_folder() makes it the
 *   stored form), or %NULL for the readings of every account
 * @window: a window id ("five_hour")
 * @max_points: the buckets [since, until) is cut into: the chart's width in pixels
 * @aggregate: the reading each bucket keeps
 *
 * The readings of @window, at most one per bucket and period: a bucket in
 * which the window reset holds a point on each side of the reset (see
 * gauge_history_point_starts_period()), so there are at most @max_points
 * points plus one per reset. Empty buckets are gaps. Buckets of an hour or
 * more are made of whole hours (the first and last may be partial); with
 * %GAUGE_HISTORY_MAX those come from the hourly rollup, and a point is the
 * highest reading of its bucket and period, the latest among equals.
 *
 * Returns: (transfer full) (element-type GaugeHistoryPoint): oldest first, or
 *   %NULL with @error set
 */
GArray *
gauge_store_load_account_series (GaugeStore             *self,
                                 const char             *account,
                                 const char             *window,
                                 gint64                  since,
                                 gint64                  until,
                                 guint                   max_points,
                                 GaugeHistoryAggregate   aggregate,
                                 GError                **error)
{
  g_autofree char *key = account != NULL ? gauge_account_normalize_folder (account) : NULL;
  g_autofree char *filter = NULL;
  g_autofree char *only = NULL;
  Buckets buckets;
  GArray *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (window != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (until <= since || max_points == 0)
    return g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  buckets_init (&buckets, since, until, max_points);
  if (aggregate == GAUGE_HISTORY_MAX && buckets.unit == GAUGE_STORE_ROLLUP_SPAN)
    ret = filter_account_locked (self, key, &filter, &only, error)
      ? rollup_series (self, filter, filter != NULL ? filter : only, window, &buckets, error)
      : NULL;
  else if (!filter_account_locked (self, key, &filter, NULL, error))
    ret = NULL;
  else
    ret = raw_series (self, filter, window, &buckets, aggregate, error);

  _gauge_store_unlock (self);

  return ret;
}

static GArray *
load_readings_locked (GaugeStore  *self,
                      const char  *account,
                      const char  *window,
                      gint64       since,
                      gint64       until,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _gauge_store_prepare (self, account != NULL ? account_readings_sql : readings_sql, error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, window, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, until);
  if (account != NULL)
    sqlite3_bind_text (stmt, 4, account, -1, SQLITE_STATIC);
  return collect_points (self, stmt, error);
}

/**
 * gauge_store_load_readings:
 *
 * Every reading of @window in [since, until), for projections.
 *
 * Returns: (transfer full) (element-type GaugeHistoryPoint): oldest first
 */
GArray *
gauge_store_load_readings (GaugeStore  *self,
                           const char  *window,
                           gint64       since,
                           gint64       until,
                           GError     **error)
{
  GArray *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (window != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  ret = load_readings_locked (self, NULL, window, since, until, error);
  _gauge_store_unlock (self);

  return ret;
}

/* A skip-scan over the window index: one seek per window, not one step per reading. */
static const char window_ids_sql[] =
  "WITH RECURSIVE w(id) AS ("
  "  SELECT min(window) FROM readings"
  "  UNION ALL"
  "  SELECT (SELECT min(window) FROM readings WHERE window > w.id) FROM w"
  "  WHERE w.id IS NOT NULL)"
  " SELECT id FROM w WHERE id IS NOT NULL";

/* Fetch ids grow with fetched_at: the range is a fetch id range, found from
 * the time index, and each window's newest name one seek in it. */
static const char window_name_sql[] =
  "SELECT r.name FROM readings r INDEXED BY readings_window_fetch"
  " WHERE r.window = ?1"
  " AND r.fetch_id >= coalesce ((SELECT id FROM fetches WHERE fetched_at >= ?2"
  "                              ORDER BY fetched_at, id LIMIT 1), 1 << 62)"
  " AND r.fetch_id < coalesce ((SELECT id FROM fetches WHERE fetched_at >= ?3"
  "                             ORDER BY fetched_at, id LIMIT 1), 1 << 62)"
  " ORDER BY r.fetch_id DESC LIMIT 1";

/* The same, of one account's readings: back from the range's end to its newest. */
static const char account_window_name_sql[] =
  "SELECT r.name FROM readings r INDEXED BY readings_window_fetch"
  " CROSS JOIN fetches f ON f.id = r.fetch_id"
  " WHERE r.window = ?1 AND f.account = ?4"
  " AND r.fetch_id >= coalesce ((SELECT id FROM fetches WHERE fetched_at >= ?2"
  "                              ORDER BY fetched_at, id LIMIT 1), 1 << 62)"
  " AND r.fetch_id < coalesce ((SELECT id FROM fetches WHERE fetched_at >= ?3"
  "                             ORDER BY fetched_at, id LIMIT 1), 1 << 62)"
  " ORDER BY r.fetch_id DESC LIMIT 1";

static GPtrArray *
list_windows_locked (GaugeStore  *self,
                     const char  *account,
                     gint64       since,
                     gint64       until,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) ids = NULL;
  g_autoptr(sqlite3_stmt) name = NULL;
  g_autoptr(GPtrArray) ret = NULL;
  int rc;

  if (!(ids = _gauge_store_prepare (self, window_ids_sql, error)) ||
      !(name = _gauge_store_prepare (self, account != NULL ? account_window_name_sql
                                                          : window_name_sql, error)))
    return NULL;

  ret = gauge_history_window_array_new ();
  while ((rc = sqlite3_step (ids)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (ids, 0);
      GaugeHistoryWindow *window;

      sqlite3_reset (name);
      sqlite3_bind_text (name, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (name, 2, since);
      sqlite3_bind_int64 (name, 3, until);
      if (account != NULL)
        sqlite3_bind_text (name, 4, account, -1, SQLITE_STATIC);
      rc = sqlite3_step (name);
      if (rc == SQLITE_DONE)
        continue;
      if (rc != SQLITE_ROW)
        break;

      window = g_new0 (GaugeHistoryWindow, 1);
      window->id = g_strdup (id);
      window->name = g_strdup ((const char *) sqlite3_column_text (name, 0));
      g_ptr_array_add (ret, window);
    }

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  return g_steal_pointer (&ret);
}

/**
 * gauge_store_list_account_windows:
 * @account: (nullable): an account's folder, or %NULL for every account's
 *
 * Returns: (transfer full) (element-type GaugeHistoryWindow): the windows
 *   with readings of @account in [since, until), by id, each with its newest name
 */
GPtrArray *
gauge_store_list_account_windows (GaugeStore  *self,
                                  const char  *account,
                                  gint64       since,
                                  gint64       until,
                                  GError     **error)
{
  g_autofree char *key = account != NULL ? gauge_account_normalize_folder (account) : NULL;
  g_autofree char *filter = NULL;
  GPtrArray *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  if (filter_account_locked (self, key, &filter, NULL, error))
    ret = list_windows_locked (self, filter, since, until, error);
  else
    ret = NULL;
  _gauge_store_unlock (self);

  return ret;
}

/* Limit events. */

/* Two groups of readings at 100 % belong to one event when their reset times
 * agree (or, without one, when no more than this separates them). */
#define SAME_EVENT_GAP 3600

static gint64
first_below_limit_after (sqlite3_stmt *stmt,
                         const char   *window,
                         gint64        after)
{
  gint64 ret = 0;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, window, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, after);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = sqlite3_column_int64 (stmt, 0);

  return ret;
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const GaugeLimitEvent *event_a = a;
  const GaugeLimitEvent *event_b = b;

  if (event_a->reached_at != event_b->reached_at)
    return event_a->reached_at < event_b->reached_at ? -1 : 1;
  return g_strcmp0 (event_a->window, event_b->window);
}

/* ?3: one account's readings, or NULL for every account's. */
static const char events_sql[] =
  "SELECT r.window, r.name, min(f.fetched_at), max(f.fetched_at), r.resets_at"
  " FROM fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
  " WHERE f.fetched_at >= ?1 AND f.fetched_at < ?2 AND r.utilization >= 100"
  "   AND (?3 IS NULL OR f.account = ?3)"
  " GROUP BY r.window, r.resets_at"
  " ORDER BY r.window, 3";

static const char below_sql[] =
  "SELECT f.fetched_at FROM fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
  " WHERE r.window = ?1 AND f.fetched_at > ?2 AND r.utilization < 100"
  "   AND (?3 IS NULL OR f.account = ?3)"
  " ORDER BY f.fetched_at LIMIT 1";

static GArray *
load_limit_events_locked (GaugeStore  *self,
                          const char  *account,
                          gint64       since,
                          gint64       until,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) below = NULL;
  g_autoptr(GArray) events = NULL;
  gint64 now = gauge_clock_now_unix ();
  int rc;

  if (!(stmt = _gauge_store_prepare (self, events_sql, error)) ||
      !(below = _gauge_store_prepare (self, below_sql, error)))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  sqlite3_bind_text (stmt, 3, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (below, 3, account, -1, SQLITE_TRANSIENT);

  events = gauge_limit_event_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *window = (const char *) sqlite3_column_text (stmt, 0);
      gint64 first = sqlite3_column_int64 (stmt, 2);
      gint64 last = sqlite3_column_int64 (stmt, 3);
      gint64 resets_at = sqlite3_column_int64 (stmt, 4);
      GaugeLimitEvent *previous = events->len > 0
        ? &g_array_index (events, GaugeLimitEvent, events->len - 1) : NULL;
      GaugeLimitEvent event = { 0 };

      if (previous != NULL && g_strcmp0 (previous->window, window) == 0 &&
          (resets_at != 0
             ? ABS (resets_at - previous->reset_at) <= 60 && previous->reset_at != 0
             : first - previous->last_at <= SAME_EVENT_GAP))
        {
          previous->last_at = MAX (previous->last_at, last);
          continue;
        }

      event.window = g_strdup (window);
      event.name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      event.reached_at = first;
      event.last_at = last;
      event.reset_at = resets_at;
      g_array_append_val (events, event);
    }

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  /* A reset still ahead has not happened; without a reset time, the next reading below says. */
  for (guint i = 0; i < events->len; i++)
    {
      GaugeLimitEvent *event = &g_array_index (events, GaugeLimitEvent, i);

      if (event->reset_at > now)
        event->reset_at = 0;
      else if (event->reset_at == 0)
        event->reset_at = first_below_limit_after (below, event->window, event->last_at);
    }

  g_array_sort (events, compare_events);

  return g_steal_pointer (&events);
}

/**
 * gauge_store_load_account_limit_events:
 * @account: (nullable): a Claude Code config folder; %NULL: every account's readings
 *
 * When each window reached 100 % in [since, until) and when it reset, from
 * the stored readings of @account. An event without a reset yet has reset_at 0.
 *
 * Returns: (transfer full) (element-type GaugeLimitEvent): by time reached
 */
GArray *
gauge_store_load_account_limit_events (GaugeStore  *self,
                                       const char  *account,
                                       gint64       since,
                                       gint64       until,
                                       GError     **error)
{
  GArray *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  ret = load_limit_events_locked (self, account, since, until, error);
  _gauge_store_unlock (self);

  return ret;
}

/* Projections. */

/* Readings further back than the longest span never change a projection. */
#define PROJECTION_LOOKBACK (2 * 60 * 60 + 10 * 60)

/**
 * gauge_store_load_account_projections:
 * @account: (nullable): a Claude Code config folder; %NULL: every account's readings (for a
 *   history of one account)
 * @snapshot: the current reading; its windows are projected, with its values
 *   as the newest point when the store does not hold it yet
 * @now: the current time
 *
 * Returns: (transfer full) (element-type utf8 GaugeProjection): window id to
 *   projection, for every window of @snapshot
 */
GHashTable *
gauge_store_load_account_projections (GaugeStore           *self,
                                      const char           *account,
                                      GaugeLimitsSnapshot  *snapshot,
                                      gint64                now,
                                      GError              **error)
{
  g_autoptr(GHashTable) ret = NULL;
  g_autofree char *key = gauge_account_normalize_folder (account);
  GDateTime *fetched_at;
  gint64 snapshot_t;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (snapshot), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fetched_at = gauge_limits_snapshot_get_fetched_at (snapshot);
  snapshot_t = fetched_at != NULL ? g_date_time_to_unix (fetched_at) : now;
  ret = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      GDateTime *resets_at = gauge_limit_window_get_resets_at (window);
      g_autoptr(GArray) readings = NULL;
      GaugeProjection *projection = g_new0 (GaugeProjection, 1);
      GaugeHistoryPoint current;

      if (_gauge_store_lock (self, error) == NULL)
        readings = NULL;
      else
        {
          readings = load_readings_locked (self, key, gauge_limit_window_get_id (window),
                                           MIN (now, snapshot_t) - PROJECTION_LOOKBACK,
                                           MAX (now, snapshot_t) + 1, error);
          _gauge_store_unlock (self);
        }
      if (readings == NULL)
        {
          g_free (projection);
          return NULL;
        }

      current.t = snapshot_t;
      current.value = gauge_limit_window_get_utilization (window);
      current.resets_at = resets_at != NULL ? g_date_time_to_unix (resets_at) : 0;
      if (readings->len == 0 || g_array_index (readings, GaugeHistoryPoint, readings->len - 1).t
                                < current.t)
        g_array_append_val (readings, current);

      gauge_history_project ((const GaugeHistoryPoint *) (gpointer) readings->data, readings->len,
                             now, projection);
      g_hash_table_insert (ret, g_strdup (gauge_limit_window_get_id (window)), projection);
    }

  return g_steal_pointer (&ret);
}
