/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-store.h"
#include "gauge-store-cooldown.h"
#include "gauge-store-readings.h"
#include "gauge-test-server.h"

static char *
default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "claude-gauge", NULL);
}

static GaugeLimitsSnapshot *
make_snapshot (gint64      fetched_at,
               GaugeSource source,
               double      five_hour)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (fetched_at);
  g_autoptr(GDateTime) reset = g_date_time_add_hours (when, 3);

  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", five_hour, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));

  return gauge_limits_snapshot_new (windows, source, when);
}

static GaugeStore *
open_default (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GError) error = NULL;

  gauge_store_open (store, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/* Runs a query on the file with a separate connection, returning the first column. */
static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 ret = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    ret = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ret;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static guint
count_files (const char *dir,
             const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;

  return n;
}

/* The files named @prefix…, without their -wal and -shm. */
static guint
count_databases (const char *dir,
                 const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      n++;

  return n;
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (),
                                                "claude-gauge", "history.db", NULL);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(GaugeStore) store = open_default ();
    g_autoptr(GaugeLimitsSnapshot) snapshot = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 42);

    g_assert_cmpstr (gauge_store_get_path (store), ==, expected);
    g_assert_null (gauge_store_get_recovered_path (store));
    gauge_store_add_snapshot (store, snapshot, &error);
    g_assert_no_error (error);

    /* A second open of the same store is a no-op. */
    gauge_store_open (store, &error);
    g_assert_no_error (error);
  }

  {
    g_autoptr(GaugeStore) store = open_default ();
    g_autoptr(GaugeLimitsSnapshot) loaded = gauge_store_load_latest_snapshot (store, &error);

    g_assert_no_error (error);
    g_assert_nonnull (loaded);
    g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (loaded), ==, 1);
    g_assert_cmpfloat (gauge_limit_window_get_utilization (
                         gauge_limits_snapshot_get_window (loaded, 0)), ==, 42);
    g_assert_null (gauge_store_get_recovered_path (store));
  }

  g_assert_cmpint (query_int (expected, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (expected, "SELECT count(*) FROM fetches"), ==, 1);
}

static void
assert_mode (const char *path,
             guint       mode)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("%s: %o", path, st.st_mode & 0777);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static void
test_permissions (void)
{
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = default_dir ();
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  mode_t old_umask = umask (022);

  store = open_default ();
  gauge_store_add_snapshot (store, snapshot, &error);
  g_assert_no_error (error);

  wal = g_strconcat (gauge_store_get_path (store), "-wal", NULL);
  shm = g_strconcat (gauge_store_get_path (store), "-shm", NULL);

  assert_mode (dir, 0700);
  assert_mode (gauge_store_get_path (store), 0600);
  /* WAL mode is on, and its files are as private as the database. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);

  umask (old_umask);
}

static void
test_permissions_tightened (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;

  /* A database copied in with a world-readable mode. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  store = open_default ();
  assert_mode (path, 0600);
}

static void
assert_window (GaugeLimitWindow *window,
               const char       *id,
               const char       *name,
               double            utilization,
               gint64            resets_at,
               GTimeSpan         length)
{
  GDateTime *reset = gauge_limit_window_get_resets_at (window);

  g_assert_cmpstr (gauge_limit_window_get_id (window), ==, id);
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, name);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, utilization);
  if (resets_at == 0)
    g_assert_null (reset);
  else
    g_assert_cmpint (g_date_time_to_unix (reset), ==, resets_at);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, length);
}

static void
test_snapshot_round_trip (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) fetched_at = g_date_time_new_utc (2026, 11, 20, 12, 34, 56);
  g_autoptr(GDateTime) reset = g_date_time_new_utc (2026, 11, 20, 15, 0, 0.412093);
  g_autoptr(GDateTime) weekly = g_date_time_new_utc (2026, 11, 24, 9, 0, 0);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GError) error = NULL;
  GaugeLimitWindow *w;

  /* Deliberately not in the order the snapshot parser would sort them. */
  g_ptr_array_add (windows, gauge_limit_window_new_money ("extra_usage", "Extra usage", 25.0,
                                                          1250, 5000, "EUR", NULL));
  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", 37.0, reset,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  g_ptr_array_add (windows, gauge_limit_window_new ("seven_day_opus", "Wöchentlich · Opus 🚀",
                                                    123.5, NULL, GAUGE_WINDOW_LENGTH_WEEK));
  g_ptr_array_add (windows, gauge_limit_window_new ("new_kind", "new_kind", 0.0, weekly, 0));
  g_ptr_array_add (windows, gauge_limit_window_new_money ("credit_grant", "Credit", 0.0,
                                                          0, 0, NULL, weekly));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_STATUSLINE, fetched_at);

  gauge_store_add_snapshot (store, snapshot, &error);
  g_assert_no_error (error);

  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  g_assert_cmpint (gauge_limits_snapshot_get_source (loaded), ==, GAUGE_SOURCE_STATUSLINE);
  g_assert_true (g_date_time_equal (gauge_limits_snapshot_get_fetched_at (loaded), fetched_at));
  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (loaded), ==, 5);

  w = gauge_limits_snapshot_get_window (loaded, 0);
  assert_window (w, "extra_usage", "Extra usage", 25.0, 0, 0);
  g_assert_true (gauge_limit_window_is_money (w));
  g_assert_cmpint (gauge_limit_window_get_used_minor (w), ==, 1250);
  g_assert_cmpint (gauge_limit_window_get_limit_minor (w), ==, 5000);
  g_assert_cmpstr (gauge_limit_window_get_currency (w), ==, "EUR");

  /* Sub-second precision is dropped. */
  w = gauge_limits_snapshot_get_window (loaded, 1);
  assert_window (w, "five_hour", "5-hour", 37.0, g_date_time_to_unix (reset),
                 GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_false (gauge_limit_window_is_money (w));

  w = gauge_limits_snapshot_get_window (loaded, 2);
  assert_window (w, "seven_day_opus", "Wöchentlich · Opus 🚀", 123.5, 0,
                 GAUGE_WINDOW_LENGTH_WEEK);

  w = gauge_limits_snapshot_get_window (loaded, 3);
  assert_window (w, "new_kind", "new_kind", 0.0, g_date_time_to_unix (weekly), 0);

  w = gauge_limits_snapshot_get_window (loaded, 4);
  assert_window (w, "credit_grant", "Credit", 0.0, g_date_time_to_unix (weekly), 0);
  g_assert_true (gauge_limit_window_is_money (w));
  g_assert_cmpint (gauge_limit_window_get_used_minor (w), ==, 0);
  g_assert_cmpint (gauge_limit_window_get_limit_minor (w), ==, 0);
  g_assert_cmpstr (gauge_limit_window_get_currency (w), ==, "USD");

  /* An empty snapshot is a reading too ("nothing to show"). */
  {
    g_autoptr(GDateTime) later = g_date_time_add_minutes (fetched_at, 5);
    g_autoptr(GaugeLimitsSnapshot) empty = gauge_limits_snapshot_new (NULL, GAUGE_SOURCE_OFFICIAL,
                                                                   later);
    g_autoptr(GaugeLimitsSnapshot) empty_loaded = NULL;

    gauge_store_add_snapshot (store, empty, &error);
    g_assert_no_error (error);
    empty_loaded = gauge_store_load_latest_snapshot (store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (empty_loaded), ==, 0);
    g_assert_cmpint (gauge_limits_snapshot_get_source (empty_loaded), ==, GAUGE_SOURCE_OFFICIAL);
  }
}

static void
test_latest_of_several (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeLimitsSnapshot) none = NULL;
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GError) error = NULL;
  static const struct {
    gint64      fetched_at;
    GaugeSource source;
    double      value;
  } rows[] = {
    { 1795000000, GAUGE_SOURCE_OFFICIAL, 10 },
    { 1795000600, GAUGE_SOURCE_STATUSLINE, 30 },   /* the newest, not the last added */
    { 1795000300, GAUGE_SOURCE_OFFICIAL, 20 },
  };

  none = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GaugeLimitsSnapshot) s = make_snapshot (rows[i].fetched_at, rows[i].source,
                                                        rows[i].value);

      gauge_store_add_snapshot (store, s, &error);
      g_assert_no_error (error);
    }

  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (gauge_limits_snapshot_get_fetched_at (loaded)),
                   ==, 1795000600);
  g_assert_cmpint (gauge_limits_snapshot_get_source (loaded), ==, GAUGE_SOURCE_STATUSLINE);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (
                       gauge_limits_snapshot_get_window (loaded, 0)), ==, 30);
}

static void
test_gate_round_trip (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeRateGate) fresh = NULL;
  g_autoptr(GaugeRateGate) a = gauge_rate_gate_new ();
  g_autoptr(GaugeRateGate) b = gauge_rate_gate_new ();
  g_autoptr(GError) error = NULL;

  fresh = gauge_store_load_gate (store, "hash-a", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gauge_rate_gate_get_reason (fresh), ==, GAUGE_GATE_OPEN);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (fresh), ==, 0);

  gauge_rate_gate_restore (a, GAUGE_GATE_RATE_LIMITED, 1795003600, 3);
  gauge_rate_gate_restore (b, GAUGE_GATE_BACKOFF, 1795000120, 1);
  gauge_store_save_gate (store, "hash-a", a, &error);
  g_assert_no_error (error);
  gauge_store_save_gate (store, "hash-b", b, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GaugeRateGate) la = gauge_store_load_gate (store, "hash-a", &error);
    g_autoptr(GaugeRateGate) lb = gauge_store_load_gate (store, "hash-b", &error);

    g_assert_no_error (error);
    g_assert_cmpint (gauge_rate_gate_get_reason (la), ==, GAUGE_GATE_RATE_LIMITED);
    g_assert_cmpint (gauge_rate_gate_get_until_unix (la), ==, 1795003600);
    g_assert_cmpuint (gauge_rate_gate_get_level (la), ==, 3);
    g_assert_cmpint (gauge_rate_gate_get_reason (lb), ==, GAUGE_GATE_BACKOFF);
    g_assert_cmpint (gauge_rate_gate_get_until_unix (lb), ==, 1795000120);
    g_assert_cmpuint (gauge_rate_gate_get_level (lb), ==, 1);
  }

  /* Saving again replaces; the other hash keeps its state. */
  gauge_rate_gate_record_success (a);
  gauge_store_save_gate (store, "hash-a", a, &error);
  g_assert_no_error (error);

  {
    g_autoptr(GaugeRateGate) la = gauge_store_load_gate (store, "hash-a", &error);
    g_autoptr(GaugeRateGate) lb = gauge_store_load_gate (store, "hash-b", &error);

    g_assert_no_error (error);
    g_assert_cmpint (gauge_rate_gate_get_reason (la), ==, GAUGE_GATE_OPEN);
    g_assert_cmpuint (gauge_rate_gate_get_level (la), ==, 0);
    g_assert_cmpint (gauge_rate_gate_get_reason (lb), ==, GAUGE_GATE_BACKOFF);
  }

  g_assert_cmpint (query_int (gauge_store_get_path (store), "SELECT count(*) FROM cooldown"),
                   ==, 2);
}

static void
test_migrate_empty_file (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));

  store = open_default ();
  g_assert_null (gauge_store_get_recovered_path (store));
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                    "name IN ('fetches', 'readings', 'cooldown', "
                                    "'transcript_files', 'entries', 'alerts_sent')"), ==, 6);

  /* The header says WAL (file format versions 2/2). */
  {
    g_autofree char *bytes = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
    g_assert_cmpuint (len, >, 20);
    g_assert_cmpint (bytes[18], ==, 2);
    g_assert_cmpint (bytes[19], ==, 2);
  }
}

/* A history of the single-account builds (tests/data/history-v11.sql, written by the build
 * before accounts) becomes the first account's, with nothing lost; another account starts
 * with none. */
static void
test_migrate_to_accounts (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *sql = gauge_test_load_fixture ("history-v11.sql");
  g_autofree char *first = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *count_first = g_strdup_printf ("SELECT count(*) FROM fetches WHERE account = '%s'",
                                                  first);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GaugeLimitsSnapshot) other = NULL;
  g_autoptr(GaugeLimitsSnapshot) added = make_snapshot (1796614090, GAUGE_SOURCE_OFFICIAL, 1);
  g_autoptr(GError) error = NULL;

  g_unsetenv ("CLAUDE_CONFIG_DIR");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, sql);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 11);

  store = open_default ();
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 3);
  g_assert_cmpint (query_int (path, count_first), ==, 3);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings"), ==, 6);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings_hourly"), ==, 2);

  /* The latest reading is the first account's, as before. */
  loaded = gauge_store_load_account_snapshot (store, first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (loaded,
                                                                                      "five_hour")),
                     ==, 52);
  g_clear_object (&loaded);
  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_nonnull (loaded);
  other = gauge_store_load_account_snapshot (store, work, &error);
  g_assert_no_error (error);
  g_assert_null (other);

  /* A reading of another account is its own, and leaves the first account's latest alone. */
  gauge_store_add_account_snapshot (store, work, added, &error);
  g_assert_no_error (error);
  other = gauge_store_load_account_snapshot (store, work, &error);
  g_assert_nonnull (other);
  g_clear_object (&loaded);
  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (loaded,
                                                                                      "five_hour")),
                     ==, 52);
  g_assert_cmpint (query_int (path, count_first), ==, 3);
}

/* A database written by version 1 of the schema keeps its readings when migrated. */
static void
test_migrate_from_v1 (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path,
            "CREATE TABLE fetches (id INTEGER PRIMARY KEY, fetched_at INTEGER NOT NULL,"
            "  source TEXT NOT NULL);"
            "CREATE TABLE readings (fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,"
            "  position INTEGER NOT NULL, window TEXT NOT NULL, name TEXT NOT NULL,"
            "  utilization REAL NOT NULL, resets_at INTEGER, length INTEGER NOT NULL DEFAULT 0,"
            "  used_minor INTEGER, limit_minor INTEGER, currency TEXT);"
            "CREATE INDEX readings_window_fetch ON readings(window, fetch_id);"
            "CREATE INDEX readings_fetch ON readings(fetch_id);"
            "CREATE INDEX fetches_fetched_at ON fetches(fetched_at);"
            "CREATE TABLE cooldown (token_hash TEXT PRIMARY KEY, reason INTEGER NOT NULL,"
            "  until INTEGER NOT NULL, level INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
            "INSERT INTO fetches VALUES (1, 1795000000, 'official');"
            "INSERT INTO readings VALUES (1, 0, 'five_hour', '5-hour', 42.0, 1795010000, 18000,"
            "  NULL, NULL, NULL);"
            "PRAGMA user_version = 1;");

  store = open_default ();
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM entries"), ==, 0);

  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (gauge_limits_snapshot_lookup (loaded, "five_hour")),
                     ==, 42.0);
}

static void
test_too_new (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                  "PRAGMA user_version = 99;");
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = gauge_store_new (NULL);
  g_assert_false (gauge_store_open (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (gauge_store_get_recovered_path (store));
  g_clear_error (&error);

  /* Later calls keep failing the same way instead of touching the file. */
  g_assert_null (gauge_store_load_latest_snapshot (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW);
  g_clear_object (&store);

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpuint (count_files (dir, "history.db.corrupt"), ==, 0);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 99);
}

static void
test_corrupt_recovered (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *recovered_wal = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_wal = NULL;
  gsize moved_len;
  guint8 garbage[8192];
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 7);
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *recovered;

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_random_int_range (0, 256);
  garbage[0] = 'X';  /* never "SQLite format 3" by chance */

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, (const char *) garbage, sizeof garbage, NULL));
  g_assert_true (g_file_set_contents (wal, "old wal", -1, NULL));

  store = gauge_store_new (path);
  gauge_store_open (store, &error);
  g_assert_no_error (error);

  recovered = gauge_store_get_recovered_path (store);
  g_assert_nonnull (recovered);
  g_test_message ("moved aside to %s", recovered);

  /* One message, which says where the file went and that nothing in it could be read. */
  message = gauge_store_take_recovery_message (store);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, recovered));
  g_assert_nonnull (strstr (message, "readings could not be read"));
  g_assert_null (gauge_store_take_recovery_message (store));
  g_assert_true (g_str_has_prefix (recovered, path));
  g_assert_true (g_regex_match_simple ("\\.corrupt-[0-9]{8}-[0-9]{6}$", recovered, 0, 0));
  g_assert_true (g_file_get_contents (recovered, &moved, &moved_len, NULL));
  g_assert_cmpmem (moved, moved_len, garbage, sizeof garbage);

  recovered_wal = g_strconcat (recovered, "-wal", NULL);
  g_assert_true (g_file_get_contents (recovered_wal, &moved_wal, NULL, NULL));
  g_assert_cmpstr (moved_wal, ==, "old wal");

  /* The new database works. */
  gauge_store_add_snapshot (store, snapshot, &error);
  g_assert_no_error (error);
  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  assert_mode (path, 0600);
}

static void
test_corrupt_pages (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A real database whose header survived but whose schema page did not. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, "PRAGMA page_size = 4096; CREATE TABLE t (x); INSERT INTO t VALUES (1);"
                  "CREATE TABLE u (y);");
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >=, 4096);
  for (gsize i = 100; i < 4096; i++)
    bytes[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (path, bytes, len, NULL));

  store = gauge_store_new (path);
  gauge_store_open (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gauge_store_get_recovered_path (store));
  g_assert_true (g_file_test (gauge_store_get_recovered_path (store), G_FILE_TEST_IS_REGULAR));
  g_free (gauge_store_take_recovery_message (store));
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
}

static void
test_corrupt_twice (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* Two recoveries in the same second keep both old files. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GaugeStore) store = gauge_store_new (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_set_contents (path, "definitely not sqlite", -1, NULL));
      gauge_store_open (store, &error);
      g_assert_no_error (error);
      g_assert_nonnull (gauge_store_get_recovered_path (store));
    }

  g_assert_cmpuint (count_databases (dir, "history.db.corrupt-"), ==, 2);
}

static void
test_read_only_dir (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 7);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  gauge_test_bind_to_file_modes (TRUE);

  store = gauge_store_new (NULL);
  g_assert_false (gauge_store_open (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "writable"));
  g_clear_error (&error);

  g_assert_false (gauge_store_add_snapshot (store, snapshot, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN);

  gauge_test_bind_to_file_modes (FALSE);
  g_chmod (dir, 0700);
}

static void
test_read_only_existing (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A database that exists, in a folder that became read-only: sqlite cannot
   * create its -wal and -shm files. */
  store = open_default ();
  g_clear_object (&store);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);

      g_assert_cmpint (g_unlink (name), ==, 0);
    }
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  gauge_test_bind_to_file_modes (TRUE);

  store = gauge_store_new (NULL);
  g_assert_false (gauge_store_open (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, gauge_store_get_path (store)));
  g_assert_null (gauge_store_get_recovered_path (store));

  gauge_test_bind_to_file_modes (FALSE);
  g_chmod (dir, 0700);
}

static void
test_parent_is_a_file (void)
{
  g_autofree char *blocker = g_build_filename (g_get_user_data_dir (), "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "claude-gauge", "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Fails for root too, unlike permissions. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));

  store = gauge_store_new (path);
  g_assert_false (gauge_store_open (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, blocker));
}

static void
test_failed_write_rolls_back (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeLimitsSnapshot) first = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 1);
  g_autoptr(GaugeLimitsSnapshot) second = make_snapshot (1795000300, GAUGE_SOURCE_OFFICIAL, 2);
  g_autoptr(GError) error = NULL;
  const char *path = gauge_store_get_path (store);

  gauge_store_add_snapshot (store, first, &error);
  g_assert_no_error (error);

  /* Break the schema behind the store's back: the readings insert fails. */
  exec_sql (path, "DROP TABLE readings");

  g_assert_false (gauge_store_add_snapshot (store, second, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_QUERY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "readings"));

  /* Half a reading is never written. */
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 1);
}

/* Damaged pages past a readable schema: found by the first statement that reads them, not at
 * open. The file is moved aside with a message that says what it held, and the store goes on
 * in a new one. */
static void
test_damaged_found_later (void)
{
  static const char * const tables[] = { "readings", NULL };
  g_autofree char *path = NULL;
  g_autofree char *message = NULL;
  g_autofree char *moved = NULL;
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
  g_autoptr(GaugeLimitsSnapshot) later = make_snapshot (1795090000, GAUGE_SOURCE_OFFICIAL, 9);
  g_autoptr(GError) error = NULL;

  path = g_strdup (gauge_store_get_path (store));
  for (guint i = 0; i < 3; i++)
    {
      /* Noon UTC: the same days in the test's time zone, whichever it is. */
      g_autoptr(GaugeLimitsSnapshot) s = make_snapshot (1795008000 + i * 86400,
                                                        GAUGE_SOURCE_OFFICIAL, i);

      gauge_store_add_snapshot (store, s, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&store);
  gauge_test_damage_tables (path, tables);

  store = open_default ();
  g_assert_null (gauge_store_get_recovered_path (store));

  /* What was there is in the moved file; the new one has no reading yet. */
  loaded = gauge_store_load_latest_snapshot (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  moved = g_strdup (gauge_store_get_recovered_path (store));
  g_assert_nonnull (moved);
  g_assert_true (g_file_test (moved, G_FILE_TEST_IS_REGULAR));
  message = gauge_store_take_recovery_message (store);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, moved));
  g_assert_true (g_str_has_suffix (message, "It held 3 readings, from 2026-11-18 to 2026-11-20."));
  g_assert_cmpint (query_int (moved, "SELECT count(*) FROM fetches"), ==, 3);

  gauge_store_add_snapshot (store, later, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 1);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_null (gauge_store_take_recovery_message (store));
}

typedef struct
{
  GaugeStore         *store;
  GaugeLimitsSnapshot *snapshot;
  gboolean            ok;
  GError             *error;
} AddInThread;

static gpointer
add_in_thread (gpointer data)
{
  AddInThread *add = data;

  add->ok = gauge_store_add_snapshot (add->store, add->snapshot, &add->error);
  return NULL;
}

/* A writer that waited for the lock while another process moved the file aside (it found it
 * damaged) must not write into the moved file: the commit is refused, and the reading goes
 * into the new file at the path. */
static void
test_writer_follows_move (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeLimitsSnapshot) first = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 1);
  g_autoptr(GaugeLimitsSnapshot) second = make_snapshot (1795000300, GAUGE_SOURCE_OFFICIAL, 2);
  g_autofree char *path = g_strdup (gauge_store_get_path (store));
  g_autofree char *aside = g_strconcat (path, ".aside", NULL);
  g_autoptr(GError) error = NULL;
  AddInThread add = { store, second, FALSE, NULL };
  GThread *thread;
  sqlite3 *other = NULL;

  gauge_store_add_snapshot (store, first, &error);
  g_assert_no_error (error);

  /* Another process holds the write lock, so the store's write waits for it. */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  thread = g_thread_new ("add", add_in_thread, &add);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);

  /* It moves the file aside while holding the lock, as a recovery does, then lets go. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      g_assert_cmpint (g_rename (from, to), ==, 0);
    }
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);

  g_thread_join (thread);
  g_assert_no_error (add.error);
  g_assert_true (add.ok);

  g_assert_cmpint (query_int (path, "SELECT count(*) FROM fetches"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT fetched_at FROM fetches"), ==, 1795000300);
  g_assert_cmpint (query_int (aside, "SELECT count(*) FROM fetches"), ==, 1);
}

/* A database at schema 13 (tests/data/history-v11.sql with what 12 and 13 made of it: every
 * reading the first account's) keeps every hourly row, under the first account, with its value;
 * a row whose readings retention removed too. The rollup then keeps accounts apart. */
static void
test_migrate_hourly_to_accounts (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *v11 = gauge_test_load_fixture ("history-v11.sql");
  g_autofree char *first = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *work = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *to_v13 = g_strdup_printf (
    "ALTER TABLE fetches ADD COLUMN account TEXT NOT NULL DEFAULT '';"
    "UPDATE fetches SET account = '%s';"
    "CREATE INDEX fetches_account ON fetches(account, fetched_at);"
    "CREATE TABLE account_profiles (folder TEXT PRIMARY KEY, email TEXT, plan TEXT,"
    "  updated_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE session_sums (session_id TEXT NOT NULL, model TEXT NOT NULL,"
    "  flags INTEGER NOT NULL, alone INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,"
    "  cache_creation_5m_tokens INTEGER NOT NULL, cache_creation_1h_tokens INTEGER NOT NULL,"
    "  cache_read_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,"
    "  PRIMARY KEY (session_id, model, flags, alone)) WITHOUT ROWID;"
    /* An hour whose readings retention removed: only its rollup row is left. */
    "INSERT INTO readings_hourly VALUES('seven_day',498000,29941666,12.5,1792800100,1796500000);"
    "PRAGMA user_version = 13;", first);
  g_autofree char *kept = g_strdup_printf (
    "SELECT count(*) FROM readings_hourly WHERE account = '%s' AND ("
    " (window = 'five_hour' AND hour = 499059 AND period = 29933333 AND utilization = 52"
    "  AND fetched_at = 1796614081 AND resets_at = 1796000000) OR"
    " (window = 'seven_day' AND hour = 499059 AND period = 29941666 AND utilization = 66"
    "  AND fetched_at = 1796614081 AND resets_at = 1796500000) OR"
    " (window = 'seven_day' AND hour = 498000 AND period = 29941666 AND utilization = 12.5"
    "  AND fetched_at = 1792800100 AND resets_at = 1796500000))", first);
  g_autofree char *of_work = g_strdup_printf (
    "SELECT count(*) FROM readings_hourly WHERE account = '%s' AND window = 'five_hour'"
    " AND hour = 499059 AND utilization = 99", work);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeLimitsSnapshot) added = make_snapshot (1796614090, GAUGE_SOURCE_OFFICIAL, 99);
  g_autoptr(GError) error = NULL;

  g_unsetenv ("CLAUDE_CONFIG_DIR");
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, v11);
  exec_sql (path, to_v13);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 13);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings_hourly"), ==, 3);

  store = open_default ();
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM readings_hourly"), ==, 3);
  g_assert_cmpint (query_int (path, kept), ==, 3);

  /* Another account's reading in the same hour has a row of its own; the first's stays. */
  gauge_store_add_account_snapshot (store, work, added, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (path, of_work), ==, 1);
  g_assert_cmpint (query_int (path, kept), ==, 3);
}

/* A database at schema 14, whose transcripts had no folder, gives each file its config folder
 * from its path (the account whose transcripts they are), keeping every row; run again on a
 * version set back, it fills only what has none. */
static void
test_migrate_transcript_folders (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = NULL;
  g_autofree char *home = g_strdup (g_get_home_dir ());
  g_autofree char *v14 = NULL;
  g_autofree char *of_first = NULL;
  g_autofree char *of_work = NULL;
  g_autoptr(GaugeStore) store = open_default ();

  path = g_strdup (gauge_store_get_path (store));
  g_clear_object (&store);
  /* What schema 14 had: files without a folder, and their entries. */
  v14 = g_strdup_printf (
    "INSERT INTO transcript_files (id, path, device, inode, size, mtime, offset, session_id,"
    "  project) VALUES"
    " (1, '%1$s/.claude/projects/-home-ana-shop/s1.jsonl', 1, 11, 10, 5, 10, 's1',"
    "  '-home-ana-shop'),"
    " (2, '%1$s/.claude-work//projects/-home-ana-work/w1/subagents/agent-x.jsonl', 1, 12, 10, 5,"
    "  10, 'w1', '-home-ana-work'),"
    " (3, '%1$s/odd.jsonl', 1, 13, 10, 5, 10, 'odd', NULL);"
    "INSERT INTO entries (file_id, timestamp, input_tokens) VALUES"
    " (1, 1796600000000, 10), (1, 1796600001000, 20), (2, 1796600002000, 300),"
    " (3, 1796600003000, 4000), (NULL, 1796600004000, 50000);"
    "ALTER TABLE transcript_files DROP COLUMN folder;"
    "PRAGMA user_version = 14;", home);
  exec_sql (path, v14);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM pragma_table_info('transcript_files')"
                                    " WHERE name = 'folder'"), ==, 0);

  store = open_default ();
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  of_first = g_strdup_printf ("SELECT count(*) FROM transcript_files WHERE id = 1"
                              " AND folder = '%s/.claude'", home);
  of_work = g_strdup_printf ("SELECT count(*) FROM transcript_files WHERE id = 2"
                             " AND folder = '%s/.claude-work'", home);
  g_assert_cmpint (query_int (path, of_first), ==, 1);
  g_assert_cmpint (query_int (path, of_work), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM transcript_files"
                                    " WHERE id = 3 AND folder IS NULL"), ==, 1);
  /* Nothing lost. */
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM transcript_files"), ==, 3);
  g_assert_cmpint (query_int (path, "SELECT sum(input_tokens) FROM entries"), ==, 54330);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM entries WHERE file_id IS NULL"), ==, 1);

  /* Set back: what has a folder keeps it, what has none gets one. */
  g_clear_object (&store);
  exec_sql (path, "UPDATE transcript_files SET folder = NULL WHERE id = 2;"
                  "UPDATE transcript_files SET folder = '/kept' WHERE id = 1;"
                  "PRAGMA user_version = 14;");
  store = open_default ();
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (path, of_work), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM transcript_files"
                                    " WHERE id = 1 AND folder = '/kept'"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT sum(input_tokens) FROM entries"), ==, 54330);
}

/* Earlier builds racing at first use could leave a database at schema 8 with user_version
 * set back to 4 or 7; every open then failed. The schema says how far it really got. */
static void
test_version_set_back (void)
{
  for (int back = 4; back <= 7; back += 3)
    {
      g_autoptr(GaugeStore) store = open_default ();
      g_autoptr(GaugeLimitsSnapshot) first = make_snapshot (1795000000, GAUGE_SOURCE_OFFICIAL, 1);
      g_autoptr(GaugeLimitsSnapshot) loaded = NULL;
      g_autofree char *path = g_strdup (gauge_store_get_path (store));
      g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", back);
      g_autoptr(GError) error = NULL;

      gauge_store_add_snapshot (store, first, &error);
      g_assert_no_error (error);
      g_clear_object (&store);
      exec_sql (path, sql);

      store = gauge_store_new (NULL);
      gauge_store_open (store, &error);
      g_assert_no_error (error);
      g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, GAUGE_STORE_SCHEMA_VERSION);
      loaded = gauge_store_load_latest_snapshot (store, &error);
      g_assert_no_error (error);
      g_assert_nonnull (loaded);
      g_assert_null (gauge_store_get_recovered_path (store));
      g_clear_object (&store);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

/* A migration that fails says so, and does not blame the folder's permissions. */
static void
test_open_error_says_what (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Schema 2 without the index migration 3 drops. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, "CREATE TABLE fetches (id INTEGER PRIMARY KEY, fetched_at INTEGER NOT NULL,"
                  " source TEXT NOT NULL); PRAGMA user_version = 2;");

  store = gauge_store_new (NULL);
  g_assert_false (gauge_store_open (store, &error));
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "from schema 2 to 3"));
  g_assert_nonnull (strstr (error->message, "entries_dedup"));
  g_assert_null (strstr (error->message, "writable"));
  g_assert_null (strstr (error->message, "permission"));
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 2);
}

/* The cooldown holds when the database cannot take it (here: written by a newer version,
 * which stays untouched; a read-only one is tested with real processes): a file in
 * $XDG_STATE_HOME keeps it, private, keyed by the hash. */
static void
test_cooldown_without_database (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *file = g_build_filename (g_get_user_state_dir (), "claude-gauge",
                                            "cooldown-console_abc123", NULL);
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GaugeRateGate) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, "PRAGMA user_version = 99");

  store = gauge_store_new (NULL);
  none = gauge_store_load_gate (store, "console:abc123", &error);
  g_assert_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW);
  g_assert_null (none);
  g_clear_error (&error);

  gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, 1795003600, 2);
  g_assert_true (gauge_store_save_gate (store, "console:abc123", gate, &error));
  g_assert_no_error (error);
  assert_mode (file, 0600);
  g_clear_object (&store);

  /* Another process (a new store) reads it back. */
  store = gauge_store_new (NULL);
  {
    g_autoptr(GaugeRateGate) loaded = gauge_store_load_gate (store, "console:abc123", &error);

    g_assert_no_error (error);
    g_assert_cmpint (gauge_rate_gate_get_reason (loaded), ==, GAUGE_GATE_RATE_LIMITED);
    g_assert_cmpint (gauge_rate_gate_get_until_unix (loaded), ==, 1795003600);
    g_assert_cmpuint (gauge_rate_gate_get_level (loaded), ==, 2);
  }
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, 99);

  /* The end of the cooldown is kept the same way. */
  gauge_rate_gate_record_success (gate);
  g_assert_true (gauge_store_save_gate (store, "console:abc123", gate, &error));
  {
    g_autoptr(GaugeRateGate) loaded = gauge_store_load_gate (store, "console:abc123", &error);

    g_assert_no_error (error);
    g_assert_cmpint (gauge_rate_gate_get_reason (loaded), ==, GAUGE_GATE_OPEN);
  }
}

/* Both copies are written; when they differ, the one saved last is the gate. */
static void
test_cooldown_file_and_table (void)
{
  g_autoptr(GaugeStore) store = open_default ();
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GaugeRateGate) loaded = NULL;
  g_autofree char *file = g_build_filename (g_get_user_state_dir (), "claude-gauge",
                                            "cooldown-hash-x", NULL);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, 1795003600, 1);
  g_assert_true (gauge_store_save_gate (store, "hash-x", gate, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (query_int (gauge_store_get_path (store),
                              "SELECT until FROM cooldown WHERE token_hash = 'hash-x'"),
                   ==, 1795003600);

  /* The table saved later (say the state folder was read-only then). */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE cooldown SET until = 1795007200, level = 2,"
                                            " updated_at = %" G_GINT64_FORMAT, now + 10);

    exec_sql (gauge_store_get_path (store), sql);
  }
  loaded = gauge_store_load_gate (store, "hash-x", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (loaded), ==, 1795007200);
  g_clear_object (&loaded);

  /* The file saved later (the database was read-only then). */
  {
    g_autofree char *text = g_strdup_printf ("[cooldown]\nreason=1\nuntil=1795010800\nlevel=3\n"
                                             "updated-at=%" G_GINT64_FORMAT "\n", now + 20);

    g_assert_true (g_file_set_contents (file, text, -1, NULL));
  }
  loaded = gauge_store_load_gate (store, "hash-x", &error);
  g_assert_no_error (error);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (loaded), ==, 1795010800);
  g_assert_cmpuint (gauge_rate_gate_get_level (loaded), ==, 3);
}

/* Worker threads: the app calls the store from them, so that the main loop stays free. */

typedef struct
{
  GaugeStore *store;
  GError     *error;
} Call;

static gpointer
open_in_thread (gpointer data)
{
  Call *call = data;

  return GINT_TO_POINTER (gauge_store_open (call->store, &call->error));
}

static gpointer
load_latest_in_thread (gpointer data)
{
  Call *call = data;

  return gauge_store_load_latest_snapshot (call->store, &call->error);
}

static gpointer
load_gate_in_thread (gpointer data)
{
  Call *call = data;

  return gauge_store_load_gate (call->store, "hash", &call->error);
}

/* Runs @func on a worker thread and waits for its result. */
static gpointer
in_thread (GThreadFunc  func,
           Call        *call)
{
  return g_thread_join (g_thread_new ("store", func, call));
}

static void
test_threads (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  AddInThread adds[20];
  GThread *threads[G_N_ELEMENTS (adds)];
  Call call = { store, NULL };

  g_assert_true (GPOINTER_TO_INT (in_thread (open_in_thread, &call)));
  g_assert_no_error (call.error);

  g_assert_null (in_thread (load_latest_in_thread, &call));
  g_assert_no_error (call.error);

  /* The state at call time is saved, whatever the caller does next. */
  gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, 1795001200, 2);
  g_assert_true (gauge_store_save_gate (store, "hash", gate, &call.error));
  gauge_rate_gate_record_success (gate);
  g_assert_no_error (call.error);

  {
    g_autoptr(GaugeRateGate) loaded = in_thread (load_gate_in_thread, &call);

    g_assert_no_error (call.error);
    g_assert_cmpint (gauge_rate_gate_get_reason (loaded), ==, GAUGE_GATE_RATE_LIMITED);
    g_assert_cmpint (gauge_rate_gate_get_until_unix (loaded), ==, 1795001200);
    g_assert_cmpuint (gauge_rate_gate_get_level (loaded), ==, 2);
  }

  /* Many writes in flight at once, each on its own thread, with reads in between. */
  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      adds[i] = (AddInThread) { store, make_snapshot (1795000000 + i, GAUGE_SOURCE_OFFICIAL, i),
                                FALSE, NULL };
      threads[i] = g_thread_new ("add", add_in_thread, &adds[i]);
    }
  {
    g_autoptr(GaugeRateGate) sync_gate = gauge_store_load_gate (store, "hash", &call.error);

    g_assert_no_error (call.error);
    g_assert_nonnull (sync_gate);
  }
  for (guint i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (adds[i].error);
      g_assert_true (adds[i].ok);
      g_object_unref (adds[i].snapshot);
    }

  {
    g_autoptr(GaugeLimitsSnapshot) loaded = in_thread (load_latest_in_thread, &call);

    g_assert_no_error (call.error);
    g_assert_cmpint (g_date_time_to_unix (gauge_limits_snapshot_get_fetched_at (loaded)),
                     ==, 1795000019);
  }

  g_assert_cmpint (query_int (gauge_store_get_path (store), "SELECT count(*) FROM fetches"),
                   ==, 20);
}

static void
test_thread_errors (void)
{
  g_autofree char *dir = default_dir ();
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr(GaugeStore) store = NULL;
  Call call = { NULL, NULL };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  exec_sql (path, "PRAGMA user_version = 99");

  store = gauge_store_new (NULL);
  call.store = store;
  g_assert_false (GPOINTER_TO_INT (in_thread (open_in_thread, &call)));
  g_assert_error (call.error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW);
  g_clear_error (&call.error);

  g_assert_null (in_thread (load_gate_in_thread, &call));
  g_assert_error (call.error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW);
  g_clear_error (&call.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/reopen-keeps-data", test_reopen_keeps_data);
  g_test_add_func ("/store/permissions", test_permissions);
  g_test_add_func ("/store/permissions-tightened", test_permissions_tightened);
  g_test_add_func ("/store/snapshot-round-trip", test_snapshot_round_trip);
  g_test_add_func ("/store/latest-of-several", test_latest_of_several);
  g_test_add_func ("/store/gate-round-trip", test_gate_round_trip);
  g_test_add_func ("/store/migrate-empty-file", test_migrate_empty_file);
  g_test_add_func ("/store/migrate-from-v1", test_migrate_from_v1);
  g_test_add_func ("/store/migrate-to-accounts", test_migrate_to_accounts);
  g_test_add_func ("/store/migrate-hourly-to-accounts", test_migrate_hourly_to_accounts);
  g_test_add_func ("/store/migrate-transcript-folders", test_migrate_transcript_folders);
  g_test_add_func ("/store/too-new", test_too_new);
  g_test_add_func ("/store/corrupt-recovered", test_corrupt_recovered);
  g_test_add_func ("/store/corrupt-pages", test_corrupt_pages);
  g_test_add_func ("/store/corrupt-twice", test_corrupt_twice);
  g_test_add_func ("/store/read-only-dir", test_read_only_dir);
  g_test_add_func ("/store/read-only-existing", test_read_only_existing);
  g_test_add_func ("/store/parent-is-a-file", test_parent_is_a_file);
  g_test_add_func ("/store/failed-write-rolls-back", test_failed_write_rolls_back);
  g_test_add_func ("/store/damaged-found-later", test_damaged_found_later);
  g_test_add_func ("/store/writer-follows-move", test_writer_follows_move);
  g_test_add_func ("/store/version-set-back", test_version_set_back);
  g_test_add_func ("/store/open-error-says-what", test_open_error_says_what);
  g_test_add_func ("/store/cooldown-without-database", test_cooldown_without_database);
  g_test_add_func ("/store/cooldown-file-and-table", test_cooldown_file_and_table);
  g_test_add_func ("/store/threads", test_threads);
  g_test_add_func ("/store/thread-errors", test_thread_errors);

  return g_test_run ();
}
