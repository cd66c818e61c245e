/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-readings"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-account.h"
#include "gauge-clock.h"
#include "gauge-enums.h"
#include "gauge-store-private.h"
#include "gauge-store-readings.h"

/*
 * The official readings as they are written and kept: one row in fetches per reading of the
 * limits and one in readings per window (the insert trigger of migration 6 keeps the hourly
 * rollup); the latest reading back; every reading for the export; retention and clearing.
 * The history's queries over them are in gauge-store-series.c.
 */

/* Writing a reading. */

static gboolean
bind_time (sqlite3_stmt *stmt,
           int           column,
           GDateTime    *time)
{
  if (time == NULL)
    return sqlite3_bind_null (stmt, column) == SQLITE_OK;

  return sqlite3_bind_int64 (stmt, column, g_date_time_to_unix (time)) == SQLITE_OK;
}

static gboolean
insert_reading (GaugeStore        *self,
                sqlite3_stmt      *stmt,
                gint64             fetch_id,
                guint              position,
                GaugeLimitWindow  *window,
                GError           **error)
{
  gboolean ok = TRUE;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  ok &= sqlite3_bind_int64 (stmt, 1, fetch_id) == SQLITE_OK;
  ok &= sqlite3_bind_int (stmt, 2, position) == SQLITE_OK;
  ok &= sqlite3_bind_text (stmt, 3, gauge_limit_window_get_id (window), -1,
                           SQLITE_TRANSIENT) == SQLITE_OK;
  ok &= sqlite3_bind_text (stmt, 4, gauge_limit_window_get_display_name (window), -1,
                           SQLITE_TRANSIENT) == SQLITE_OK;
  ok &= sqlite3_bind_double (stmt, 5, gauge_limit_window_get_utilization (window)) == SQLITE_OK;
  ok &= bind_time (stmt, 6, gauge_limit_window_get_resets_at (window));
  ok &= sqlite3_bind_int64 (stmt, 7,
                            gauge_limit_window_get_length (window) / G_TIME_SPAN_SECOND)
        == SQLITE_OK;

  if (gauge_limit_window_is_money (window))
    {
      const char *currency = gauge_limit_window_get_currency (window);

      ok &= sqlite3_bind_int64 (stmt, 8, gauge_limit_window_get_used_minor (window)) == SQLITE_OK;
      ok &= sqlite3_bind_int64 (stmt, 9, gauge_limit_window_get_limit_minor (window)) == SQLITE_OK;
      ok &= sqlite3_bind_text (stmt, 10, currency != NULL ? currency : "USD", -1,
                               SQLITE_TRANSIENT) == SQLITE_OK;
    }

  if (!ok || sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* What the server said of the window's severity, when it said more than "normal". */
static gboolean
insert_severity (GaugeStore        *self,
                 sqlite3_stmt      *stmt,
                 gint64             fetch_id,
                 guint              position,
                 GaugeLimitWindow  *window,
                 GError           **error)
{
  GaugeSeverity severity = gauge_limit_window_get_server_severity (window);

  if (severity == GAUGE_SEVERITY_NORMAL)
    return TRUE;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, fetch_id);
  sqlite3_bind_int (stmt, 2, position);
  sqlite3_bind_text (stmt, 3, gauge_enum_to_nick (GAUGE_TYPE_SEVERITY, severity), -1,
                     SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* gauge_default_account(): the first account's folder, for the migration that gave readings
 * an account. */
static void
default_account_function (sqlite3_context  *context,
                          int               argc,
                          sqlite3_value   **argv)
{
  sqlite3_result_text (context, gauge_account_default_folder (), -1, g_free);
}

gboolean
_gauge_store_add_account_functions (sqlite3 *db)
{
  return sqlite3_create_function_v2 (db, "gauge_default_account", 0,
                                     SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                     NULL, default_account_function, NULL, NULL, NULL) == SQLITE_OK;
}

/* @account as stored: its normalized folder, the first account's when %NULL. */
static char *
account_key (const char *account)
{
  char *key = gauge_account_normalize_folder (account);

  return key != NULL ? key : gauge_account_default_folder ();
}

typedef struct
{
  const char          *account;
  GaugeLimitsSnapshot *snapshot;
} AddSnapshot;

static gboolean
add_snapshot_locked (GaugeStore     *self,
                     sqlite3        *db,
                     gconstpointer   data,
                     GError        **error)
{
  const AddSnapshot *add = data;
  GaugeLimitsSnapshot *snapshot = add->snapshot;
  g_autoptr(sqlite3_stmt) fetch = NULL;
  g_autoptr(sqlite3_stmt) reading = NULL;
  g_autoptr(sqlite3_stmt) severity = NULL;
  GDateTime *fetched_at = gauge_limits_snapshot_get_fetched_at (snapshot);
  guint n_windows = gauge_limits_snapshot_get_n_windows (snapshot);
  gboolean ok = FALSE;
  gint64 fetch_id;

  if (!_gauge_store_begin (self, error))
    return FALSE;

  fetch = _gauge_store_prepare (self,
                                "INSERT INTO fetches (fetched_at, source, account) VALUES (?, ?, ?)",
                                error);
  if (fetch == NULL)
    goto out;

  if (fetched_at != NULL)
    sqlite3_bind_int64 (fetch, 1, g_date_time_to_unix (fetched_at));
  else
    sqlite3_bind_int64 (fetch, 1, gauge_clock_now_unix ());
  sqlite3_bind_text (fetch, 2, gauge_source_to_string (gauge_limits_snapshot_get_source (snapshot)),
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (fetch, 3, add->account, -1, SQLITE_STATIC);

  if (sqlite3_step (fetch) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  fetch_id = sqlite3_last_insert_rowid (db);

  reading = _gauge_store_prepare (self,
                                  "INSERT INTO readings (fetch_id, position, window, name,"
                                  " utilization, resets_at, length, used_minor, limit_minor,"
                                  " currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  error);
  severity = _gauge_store_prepare (self,
                                   "INSERT INTO reading_severities (fetch_id, position, severity)"
                                   " VALUES (?, ?, ?)",
                                   error);
  if (reading == NULL || severity == NULL)
    goto out;

  for (guint i = 0; i < n_windows; i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);

      if (!insert_reading (self, reading, fetch_id, i, window, error) ||
          !insert_severity (self, severity, fetch_id, i, window, error))
        goto out;
    }

  ok = TRUE;

out:
  return _gauge_store_commit_or_rollback (self, ok, error);
}

/**
 * gauge_store_add_account_snapshot:
 * @account: (nullable): the account's folder; %NULL for the first account
 *
 * Records a reading of @account: one fetch and its windows, in one transaction.
 */
gboolean
gauge_store_add_account_snapshot (GaugeStore           *self,
                                  const char           *account,
                                  GaugeLimitsSnapshot  *snapshot,
                                  GError              **error)
{
  g_autofree char *key = NULL;
  AddSnapshot add;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (snapshot), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = account_key (account);
  add.account = key;
  add.snapshot = snapshot;

  /* Found damaged (now moved aside and started anew), or moved aside by another process
   * that did: the reading goes into the new file rather than nowhere. */
  return _gauge_store_write_again (self, add_snapshot_locked, &add, error);
}

/**
 * gauge_store_add_snapshot:
 *
 * Records a reading of the first account.
 */
gboolean
gauge_store_add_snapshot (GaugeStore          *self,
                          GaugeLimitsSnapshot  *snapshot,
                          GError             **error)
{
  return gauge_store_add_account_snapshot (self, NULL, snapshot, error);
}

/* The latest reading. */

static GDateTime *
column_time (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  /* NULL for values out of GDateTime's range: read as "unknown". */
  return g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, column));
}

static GaugeLimitWindow *
window_from_row (sqlite3_stmt *stmt)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  double utilization = sqlite3_column_double (stmt, 2);
  g_autoptr(GDateTime) resets_at = column_time (stmt, 3);
  gint64 length = sqlite3_column_int64 (stmt, 4);
  const char *severity = (const char *) sqlite3_column_text (stmt, 8);
  g_autoptr(GaugeLimitWindow) window = NULL;
  int server_severity;

  if (id == NULL)
    return NULL;

  if (length < 0 || length > G_MAXINT64 / G_TIME_SPAN_SECOND)
    length = 0;

  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    window = gauge_limit_window_new_money (id, name, utilization,
                                           sqlite3_column_int64 (stmt, 5),
                                           sqlite3_column_int64 (stmt, 6),
                                           (const char *) sqlite3_column_text (stmt, 7),
                                           resets_at);
  else
    window = gauge_limit_window_new (id, name, utilization, resets_at,
                                     length * G_TIME_SPAN_SECOND);

  if (severity != NULL && gauge_enum_from_nick (GAUGE_TYPE_SEVERITY, severity, &server_severity) &&
      server_severity != GAUGE_SEVERITY_NORMAL)
    return gauge_limit_window_new_flagged (window, server_severity);

  return g_steal_pointer (&window);
}

static GaugeLimitsSnapshot *
load_latest_snapshot_locked (GaugeStore  *self,
                             const char  *account,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) fetch = NULL;
  g_autoptr(sqlite3_stmt) readings = NULL;
  g_autoptr(GPtrArray) windows = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  GaugeSource source = GAUGE_SOURCE_OFFICIAL;
  int rc;

  fetch = _gauge_store_prepare (self,
                                "SELECT id, fetched_at, source FROM fetches WHERE account = ?"
                                " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                                error);
  if (fetch == NULL)
    return NULL;

  sqlite3_bind_text (fetch, 1, account, -1, SQLITE_STATIC);

  rc = sqlite3_step (fetch);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  fetched_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (fetch, 1));
  if (!gauge_source_from_string ((const char *) sqlite3_column_text (fetch, 2), &source))
    source = GAUGE_SOURCE_OFFICIAL;

  readings = _gauge_store_prepare (self,
                                   "SELECT r.window, r.name, r.utilization, r.resets_at,"
                                   " r.length, r.used_minor, r.limit_minor, r.currency,"
                                   " s.severity FROM readings AS r"
                                   " LEFT JOIN reading_severities AS s"
                                   "  ON s.fetch_id = r.fetch_id AND s.position = r.position"
                                   " WHERE r.fetch_id = ? ORDER BY r.position",
                                   error);
  if (readings == NULL)
    return NULL;

  sqlite3_bind_int64 (readings, 1, sqlite3_column_int64 (fetch, 0));
  windows = g_ptr_array_new_with_free_func (g_object_unref);

  while ((rc = sqlite3_step (readings)) == SQLITE_ROW)
    {
      GaugeLimitWindow *window = window_from_row (readings);

      if (window != NULL)
        g_ptr_array_add (windows, window);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  return gauge_limits_snapshot_new (windows, source, fetched_at);
}

/**
 * gauge_store_load_latest_snapshot:
 *
 * Returns: (transfer full) (nullable): the first account's newest reading
 */
GaugeLimitsSnapshot *
gauge_store_load_latest_snapshot (GaugeStore  *self,
                                  GError     **error)
{
  return gauge_store_load_account_snapshot (self, NULL, error);
}

/**
 * gauge_store_load_account_snapshot:
 * @account: (nullable): the account's folder; %NULL for the first account
 *
 * Returns: (transfer full) (nullable): @account's newest reading from any source,
 *   or %NULL (without an error) when there is none
 */
GaugeLimitsSnapshot *
gauge_store_load_account_snapshot (GaugeStore  *self,
                                   const char  *account,
                                   GError     **error)
{
  g_autofree char *key = NULL;
  GaugeLimitsSnapshot *ret = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = account_key (account);
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (_gauge_store_lock (self, &local_error) != NULL)
        {
          ret = load_latest_snapshot_locked (self, key, &local_error);
          _gauge_store_unlock (self);
        }

      /* A new file (see gauge_store_add_snapshot()) has no reading yet, but may get one. */
      if (ret != NULL || local_error == NULL || attempt == 2 ||
          !g_error_matches (local_error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return ret;
        }
    }
}

/* What each account's profile said. */

typedef struct
{
  const char *folder;
  const char *email;
  const char *plan;
} SaveProfile;

static gboolean
save_profile_locked (GaugeStore     *self,
                     sqlite3        *db,
                     gconstpointer   data,
                     GError        **error)
{
  const SaveProfile *profile = data;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self,
                               "INSERT INTO account_profiles (folder, email, plan, updated_at)"
                               " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (folder) DO UPDATE SET"
                               " email = ?2, plan = ?3, updated_at = ?4",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, profile->folder, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, profile->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, profile->plan, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, gauge_clock_now_unix ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * gauge_store_save_account_profile:
 * @email: (nullable): the profile's e-mail
 * @plan: (nullable): the plan's name
 *
 * Remembers what @folder's profile said, so that processes that do not ask it (the
 * terminal) name the account the same way.
 */
gboolean
gauge_store_save_account_profile (GaugeStore  *self,
                                  const char  *folder,
                                  const char  *email,
                                  const char  *plan,
                                  GError     **error)
{
  g_autofree char *key = NULL;
  SaveProfile profile;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  key = account_key (folder);
  profile.folder = key;
  profile.email = email;
  profile.plan = plan;

  return _gauge_store_write_again (self, save_profile_locked, &profile, error);
}

/**
 * gauge_store_load_account_profile:
 * @email: (out) (transfer full) (nullable): the profile's e-mail, or %NULL
 * @plan: (out) (transfer full) (nullable): the plan's name, or %NULL
 *
 * Returns: whether the query ran (a profile never saved is not an error)
 */
gboolean
gauge_store_load_account_profile (GaugeStore  *self,
                                  const char  *folder,
                                  char       **email,
                                  char       **plan,
                                  GError     **error)
{
  g_autofree char *key = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (email != NULL && plan != NULL, FALSE);

  *email = *plan = NULL;
  key = account_key (folder);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  stmt = _gauge_store_prepare (self, "SELECT email, plan FROM account_profiles WHERE folder = ?",
                               error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *email = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          *plan = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
      if (!ok)
        _gauge_store_set_query_error (self, error);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  _gauge_store_unlock (self);

  return ok;
}

/* Every reading, for the export. */

static gboolean
foreach_reading_locked (GaugeStore              *self,
                        gint64                   since,
                        gint64                   until,
                        GaugeStoredReadingFunc   func,
                        gpointer                 user_data,
                        GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _gauge_store_prepare (self,
                               "SELECT f.fetched_at, f.source, r.window, r.name, r.utilization,"
                               " r.resets_at, r.used_minor, r.limit_minor, r.currency, f.account"
                               " FROM fetches f CROSS JOIN readings r ON r.fetch_id = f.id"
                               " WHERE f.fetched_at >= ?1 AND f.fetched_at < ?2"
                               " ORDER BY f.fetched_at, f.id, r.position",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean money = sqlite3_column_type (stmt, 7) != SQLITE_NULL;
      GaugeStoredReading reading = {
        .fetched_at = sqlite3_column_int64 (stmt, 0),
        .source = (const char *) sqlite3_column_text (stmt, 1),
        .window = (const char *) sqlite3_column_text (stmt, 2),
        .name = (const char *) sqlite3_column_text (stmt, 3),
        .utilization = sqlite3_column_double (stmt, 4),
        .resets_at = sqlite3_column_int64 (stmt, 5),
        .used_minor = money ? sqlite3_column_int64 (stmt, 6) : -1,
        .limit_minor = money ? sqlite3_column_int64 (stmt, 7) : -1,
        .currency = money ? (const char *) sqlite3_column_text (stmt, 8) : NULL,
        .account = (const char *) sqlite3_column_text (stmt, 9),
      };

      func (&reading, user_data);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * gauge_store_foreach_reading:
 * @since: unix seconds, inclusive
 * @until: unix seconds, exclusive
 *
 * Calls @func for every stored reading in time order, with the store locked:
 * @func must not call back into the store. Blocking.
 */
gboolean
gauge_store_foreach_reading (GaugeStore              *self,
                             gint64                   since,
                             gint64                   until,
                             GaugeStoredReadingFunc   func,
                             gpointer                 user_data,
                             GError                 **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ret = foreach_reading_locked (self, since, until, func, user_data, error);
  _gauge_store_unlock (self);

  return ret;
}

/* Retention and clearing. */

/* Older than the cutoff, one fetch per hour, source and account stays: the one with the
 * highest reading, so peaks and limit events survive; the latest among equals. Per account:
 * another account's fetch in the same hour is its own history, never a duplicate. */
static const char downsample_sql[] =
  "DELETE FROM fetches WHERE fetched_at < ?1 AND id NOT IN ("
  " SELECT id FROM ("
  "  SELECT f.id AS id, row_number () OVER ("
  "   PARTITION BY f.account, f.source, f.fetched_at / 3600"
  "   ORDER BY (SELECT max(utilization) FROM readings r WHERE r.fetch_id = f.id) DESC,"
  "            f.fetched_at DESC, f.id DESC) AS rank"
  "  FROM fetches f WHERE f.fetched_at < ?1)"
  " WHERE rank = 1)"
  " RETURNING fetched_at";

/* The hours [first, last] a deletion took readings from; none while first > last. */
typedef struct
{
  gint64 first;
  gint64 last;
} Hours;

/* Runs a DELETE of fetches; one with RETURNING fetched_at notes the hours it touched in @hours. */
static gboolean
run_delete (GaugeStore    *self,
            const char    *sql,
            gint64         cutoff,
            gint64        *n_removed,
            Hours         *hours,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = _gauge_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, cutoff);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 hour = sqlite3_column_int64 (stmt, 0) / GAUGE_STORE_ROLLUP_SPAN;

      hours->first = MIN (hours->first, hour);
      hours->last = MAX (hours->last, hour);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  *n_removed += sqlite3_changes64 (sqlite3_db_handle (stmt));
  return TRUE;
}

static gboolean
run_range (GaugeStore    *self,
           const char    *sql,
           gint64         from,
           gint64         to,
           GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = _gauge_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* The rollup rows of @hours again, from the readings left in them. */
static gboolean
rebuild_rollup (GaugeStore   *self,
                const Hours  *hours,
                GError      **error)
{
  if (hours->first > hours->last)
    return TRUE;

  return run_range (self, "DELETE FROM readings_hourly WHERE hour >= ?1 AND hour < ?2",
                    hours->first, hours->last + 1, error) &&
         run_range (self,
                    GAUGE_STORE_ROLLUP_SELECT "f.fetched_at >= ?1 AND f.fetched_at < ?2"
                    GAUGE_STORE_ROLLUP_UPSERT,
                    hours->first * GAUGE_STORE_ROLLUP_SPAN,
                    (hours->last + 1) * GAUGE_STORE_ROLLUP_SPAN, error);
}

/* The deletions of one transaction: they add the fetches they delete to *@removed and the hours
 * they took them from to @hours. */
typedef gboolean (*DeleteFunc) (GaugeStore     *self,
                                gconstpointer   data,
                                gint64         *removed,
                                Hours          *hours,
                                GError        **error);

/* Runs @delete in one transaction with the lock held; then, when @compact, compacts the file so
 * that what went is gone from the disk too. */
static gboolean
delete_fetches (GaugeStore     *self,
                DeleteFunc      delete,
                gconstpointer   data,
                gboolean        compact,
                gint64         *n_removed,
                GError        **error)
{
  Hours hours = { G_MAXINT64, G_MININT64 };
  gint64 removed = 0;
  gboolean ok;

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ok = _gauge_store_begin (self, error) && delete (self, data, &removed, &hours, error);
  ok = _gauge_store_commit_or_rollback (self, ok, error);
  if (ok && compact)
    ok = _gauge_store_exec (self, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE)", error);

  _gauge_store_unlock (self);

  if (n_removed != NULL)
    *n_removed = ok ? removed : 0;

  return ok;
}

typedef struct
{
  guint  days;
  gint64 now;
} Retention;

static gboolean
delete_old (GaugeStore     *self,
            gconstpointer   data,
            gint64         *removed,
            Hours          *hours,
            GError        **error)
{
  const Retention *retention = data;
  gboolean ok = TRUE;

  if (retention->days > 0)
    ok = run_delete (self, "DELETE FROM fetches WHERE fetched_at < ?1 RETURNING fetched_at",
                     retention->now - (gint64) retention->days * 24 * 3600, removed, hours, error);
  ok = ok && run_delete (self, downsample_sql,
                         retention->now - GAUGE_HISTORY_FULL_RESOLUTION_DAYS * 24 * 3600,
                         removed, hours, error) &&
       rebuild_rollup (self, hours, error);

  g_debug ("Retention removed %" G_GINT64_FORMAT " fetches", *removed);
  return ok;
}

/**
 * gauge_store_apply_retention:
 * @retention_days: delete fetches older than this many days; 0 keeps them forever
 * @now: the current time
 * @n_removed: (out) (optional): fetches deleted (their readings go with them)
 *
 * Keeps full resolution for %GAUGE_HISTORY_FULL_RESOLUTION_DAYS days and one
 * fetch per hour and source before that, and the hourly rollup of the hours
 * it took readings from, in one transaction. Cheap when it has run before:
 * run it at start and once a day.
 */
gboolean
gauge_store_apply_retention (GaugeStore  *self,
                             guint        retention_days,
                             gint64       now,
                             gint64      *n_removed,
                             GError     **error)
{
  Retention retention = { retention_days, now };

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return delete_fetches (self, delete_old, &retention, FALSE, n_removed, error);
}

static gboolean
delete_all (GaugeStore     *self,
            gconstpointer   data,
            gint64         *removed,
            Hours          *hours,
            GError        **error)
{
  return _gauge_store_exec (self, "DELETE FROM readings; DELETE FROM readings_hourly", error) &&
         run_delete (self, "DELETE FROM fetches WHERE ?1 = ?1", 0, removed, hours, error);
}

/**
 * gauge_store_clear_history:
 * @n_removed: (out) (optional): fetches deleted
 *
 * Deletes every reading (and so every limit event and projection), then
 * compacts the file so they are gone from the disk too. The request cooldown,
 * the alerts already sent and the transcript index stay: the first protects
 * the account from being asked to wait, the second stops repeated
 * notifications in the current window, and the third is rebuilt from
 * Claude Code's own transcripts anyway.
 */
gboolean
gauge_store_clear_history (GaugeStore  *self,
                           gint64      *n_removed,
                           GError     **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return delete_fetches (self, delete_all, NULL, TRUE, n_removed, error);
}

/* The same on a worker thread, for the main loop: the number removed comes back as the
 * task's pointer. */

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 removed = 0;
  gboolean ok;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (g_task_get_source_tag (task) == gauge_store_clear_history_async)
    ok = gauge_store_clear_history (source_object, &removed, &error);
  else
    ok = gauge_store_apply_retention (source_object, GPOINTER_TO_UINT (task_data),
                                      gauge_clock_now_unix (), &removed, &error);

  if (ok)
    g_task_return_pointer (task, g_memdup2 (&removed, sizeof removed), g_free);
  else
    g_task_return_error (task, error);
}

static gboolean
remove_finish (GaugeStore    *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               gint64        *n_removed,
               GError       **error)
{
  g_autofree gint64 *removed = _gauge_store_propagate (self, result, source_tag, error);

  if (n_removed != NULL)
    *n_removed = removed != NULL ? *removed : 0;

  return removed != NULL;
}

void
gauge_store_apply_retention_async (GaugeStore          *self,
                                   guint                retention_days,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (GAUGE_IS_STORE (self));

  _gauge_store_run_in_thread (self, gauge_store_apply_retention_async, remove_thread,
                              GUINT_TO_POINTER (retention_days), NULL,
                              cancellable, callback, user_data);
}

gboolean
gauge_store_apply_retention_finish (GaugeStore    *self,
                                    GAsyncResult  *result,
                                    gint64        *n_removed,
                                    GError       **error)
{
  return remove_finish (self, result, gauge_store_apply_retention_async, n_removed, error);
}

void
gauge_store_clear_history_async (GaugeStore          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GAUGE_IS_STORE (self));

  _gauge_store_run_in_thread (self, gauge_store_clear_history_async, remove_thread, NULL, NULL,
                              cancellable, callback, user_data);
}

gboolean
gauge_store_clear_history_finish (GaugeStore    *self,
                                  GAsyncResult  *result,
                                  gint64        *n_removed,
                                  GError       **error)
{
  return remove_finish (self, result, gauge_store_clear_history_async, n_removed, error);
}
