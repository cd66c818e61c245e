/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-schema"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store.h"
#include "gauge-store-private.h"

/*
 * The schema of GaugeStore's database: the migrations that build it, and bringing a file up
 * to date when it is opened, once, however many processes open it at the same time.
 */

/* What an entry says of its use, as migration 2 created the columns and migration 8 copied
 * them. Part of those migrations' texts: never edit. */
#define ENTRY_USAGE_COLUMNS \
  "  model TEXT," \
  "  speed TEXT," \
  "  is_sidechain INTEGER NOT NULL DEFAULT 0," \
  "  input_tokens INTEGER NOT NULL DEFAULT 0," \
  "  output_tokens INTEGER NOT NULL DEFAULT 0," \
  "  cache_creation_5m_tokens INTEGER NOT NULL DEFAULT 0," \
  "  cache_creation_1h_tokens INTEGER NOT NULL DEFAULT 0," \
  "  cache_read_tokens INTEGER NOT NULL DEFAULT 0," \
  "  cost_usd REAL"                    /* costUSD when the line carries it */

/* What a row of sums adds up, as migration 5 created the columns of entry_sums and migration
 * 12 those of session_sums. Part of those migrations' texts: never edit. */
#define SUM_TOTALS_COLUMNS \
  "  n INTEGER NOT NULL," \
  "  input_tokens INTEGER NOT NULL," \
  "  output_tokens INTEGER NOT NULL," \
  "  cache_creation_5m_tokens INTEGER NOT NULL," \
  "  cache_creation_1h_tokens INTEGER NOT NULL," \
  "  cache_read_tokens INTEGER NOT NULL," \
  "  cost_usd REAL NOT NULL,"

/* The rollup's texts as migration 6 wrote them, before the rollup had an account (14). */
#define ROLLUP6_SELECT \
  "INSERT INTO readings_hourly (window, hour, period, utilization, fetched_at, resets_at)" \
  " SELECT r.window, f.fetched_at / 3600, coalesce(r.resets_at / 60, -1), r.utilization," \
  " f.fetched_at, r.resets_at FROM readings r JOIN fetches f ON f.id = r.fetch_id WHERE "

#define ROLLUP6_UPSERT \
  " ON CONFLICT (window, hour, period) DO UPDATE SET utilization = excluded.utilization," \
  " fetched_at = excluded.fetched_at, resets_at = excluded.resets_at" \
  " WHERE excluded.utilization > utilization" \
  " OR (excluded.utilization = utilization AND excluded.fetched_at > fetched_at)"

/* migrations[n] takes the schema from version n to n + 1. Append, never edit. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE fetches ("
  "  id INTEGER PRIMARY KEY,"
  "  fetched_at INTEGER NOT NULL,"
  "  source TEXT NOT NULL);"
  "CREATE TABLE readings ("
  "  fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  window TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  utilization REAL NOT NULL,"
  "  resets_at INTEGER,"
  "  length INTEGER NOT NULL DEFAULT 0,"
  "  used_minor INTEGER,"
  "  limit_minor INTEGER,"
  "  currency TEXT);"
  "CREATE INDEX readings_window_fetch ON readings(window, fetch_id);"
  "CREATE INDEX readings_fetch ON readings(fetch_id);"
  "CREATE INDEX fetches_fetched_at ON fetches(fetched_at);"
  "CREATE TABLE cooldown ("
  "  token_hash TEXT PRIMARY KEY,"
  "  reason INTEGER NOT NULL,"
  "  until INTEGER NOT NULL,"
  "  level INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);",

  /* 2: the transcript index (local usage) and the alerts already sent */
  "CREATE TABLE transcript_files ("
  "  id INTEGER PRIMARY KEY,"
  "  path TEXT NOT NULL UNIQUE,"
  "  device INTEGER NOT NULL,"
  "  inode INTEGER NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  mtime INTEGER NOT NULL,"          /* microseconds */
  "  offset INTEGER NOT NULL,"         /* after the last complete line */
  "  malformed INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE entries ("
  "  id INTEGER PRIMARY KEY,"
  "  file_id INTEGER REFERENCES transcript_files(id) ON DELETE SET NULL,"
  "  message_id TEXT,"
  "  request_id TEXT,"
  "  timestamp INTEGER NOT NULL,"      /* milliseconds, UTC */
  "  session_id TEXT,"
  "  project TEXT,"
  ENTRY_USAGE_COLUMNS ");"
  "CREATE UNIQUE INDEX entries_dedup ON entries(message_id, request_id)"
  "  WHERE message_id IS NOT NULL AND request_id IS NOT NULL;"
  "CREATE INDEX entries_timestamp ON entries(timestamp);"
  "CREATE INDEX entries_session ON entries(session_id);"
  "CREATE TABLE alerts_sent ("
  "  key TEXT PRIMARY KEY,"            /* rule + window + resets_at */
  "  sent_at INTEGER NOT NULL);",

  /* 3: the dedup key as ccusage has it (message.id with the request id or '' when absent), as a
   * 64-bit hash with its own index; session ids come from paths. The index is derived data:
   * read everything again. */
  "DROP INDEX entries_dedup;"
  "DELETE FROM entries;"
  "DELETE FROM transcript_files;"
  "DROP INDEX entries_session;"          /* no query reads by session */
  "ALTER TABLE entries ADD COLUMN dedup_key INTEGER;"
  "CREATE INDEX entries_key ON entries(dedup_key);",

  /* 4: Claude Code usage days of the Admin API, cached for good once final (Console mode).
   * IF NOT EXISTS: builds before this migration created the table at first use. */
  "CREATE TABLE IF NOT EXISTS console_code_days ("
  "  org_id TEXT NOT NULL,"
  "  day TEXT NOT NULL,"
  "  data TEXT NOT NULL,"
  "  fetched_at INTEGER NOT NULL,"
  "  PRIMARY KEY (org_id, day)) WITHOUT ROWID;",

  /* 5: the entries summed per 15-minute UTC bucket (every time zone's days are made of whole
   * buckets), model, speed and whether the line carried costUSD, so that daily, weekly and
   * monthly reports read a few thousand rows, not every entry. An entry with a token field
   * above 200k stays alone (`alone` = its id): the >200k tier is priced per entry. flags:
   * 1 fast, 2 has costUSD, 4 no model (model is then ''). Kept equal to the entries table
   * by every write (gauge-store-index.c); filled here from the entries already stored. */
  "CREATE TABLE entry_sums ("
  "  bucket INTEGER NOT NULL,"
  "  model TEXT NOT NULL,"
  "  flags INTEGER NOT NULL,"
  "  alone INTEGER NOT NULL,"
  "  first_ms INTEGER NOT NULL,"
  SUM_TOTALS_COLUMNS
  "  PRIMARY KEY (bucket, model, flags, alone)) WITHOUT ROWID;"
  "INSERT INTO entry_sums"
  "  SELECT b, m, f, a, min(timestamp), count(*), sum(input_tokens), sum(output_tokens),"
  "    sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(cache_read_tokens),"
  "    total(cost_usd)"
  "  FROM (SELECT CASE WHEN timestamp >= 0 THEN timestamp / 900000"
  "                    ELSE (timestamp + 1) / 900000 - 1 END AS b,"
  "               ifnull(model, '') AS m,"
  "               (speed IS 'fast') + 2 * (cost_usd IS NOT NULL) + 4 * (model IS NULL) AS f,"
  "               CASE WHEN max(input_tokens, output_tokens, cache_creation_5m_tokens,"
  "                             cache_creation_1h_tokens, cache_read_tokens) > 200000"
  "                    THEN id ELSE 0 END AS a,"
  "               timestamp, input_tokens, output_tokens, cache_creation_5m_tokens,"
  "               cache_creation_1h_tokens, cache_read_tokens, cost_usd"
  "        FROM entries)"
  "  GROUP BY b, m, f, a;",

  /* 6: the chart's indexes, which builds before this one created at first use, and the hourly
   * rollup that charts over long ranges read instead of every reading: filled from the
   * readings here, kept up to date on insert by a trigger and by retention and clearing. */
  "CREATE INDEX IF NOT EXISTS readings_series"
  "  ON readings(window, fetch_id, utilization, resets_at);"
  "CREATE INDEX IF NOT EXISTS readings_periods ON readings(window, resets_at, fetch_id);"
  "CREATE TABLE readings_hourly ("
  "  window TEXT NOT NULL,"
  "  hour INTEGER NOT NULL,"           /* fetched_at / 3600 */
  "  period INTEGER NOT NULL,"         /* coalesce(resets_at / 60, -1) */
  "  utilization REAL NOT NULL,"       /* the highest reading, */
  "  fetched_at INTEGER NOT NULL,"     /* the latest among equals, */
  "  resets_at INTEGER,"               /* and its reset time */
  "  PRIMARY KEY (window, hour, period)) WITHOUT ROWID;"
  "CREATE TRIGGER readings_hourly_insert AFTER INSERT ON readings BEGIN "
  ROLLUP6_SELECT "r.rowid = new.rowid" ROLLUP6_UPSERT "; "
  "END;"
  ROLLUP6_SELECT "true" ROLLUP6_UPSERT ";",

  /* 7: entries replaced or removed (gauge-store-edits.c), so that a reader holding what it
   * computed from the entries can tell what changed besides appends: each write that replaced
   * or removed entries adds a row with the earliest time it touched (old or new), or
   * -2^63 when the reader must start over. Only the newest rows are kept. IF NOT EXISTS:
   * a database set back to an older schema by hand keeps it. */
  "CREATE TABLE IF NOT EXISTS entry_edits ("
  "  seq INTEGER PRIMARY KEY,"
  "  low_ms INTEGER NOT NULL);",

  /* 8: entries without text but the model, which makes a cold index cheaper to write. A
   * file's lines all have the session and project its path names: they move to
   * transcript_files. The ids of a response give way to a second hash of them with another
   * seed, key_check (gauge_key_check(), gauge-store-index.c), compared with dedup_key. */
  "ALTER TABLE transcript_files ADD COLUMN session_id TEXT;"
  "ALTER TABLE transcript_files ADD COLUMN project TEXT;"
  "UPDATE transcript_files SET session_id = e.session_id, project = e.project"
  "  FROM (SELECT file_id, session_id, project FROM entries"
  "        WHERE file_id IS NOT NULL GROUP BY file_id) AS e"
  "  WHERE e.file_id = transcript_files.id;"
  "CREATE TABLE entries_8 ("
  "  id INTEGER PRIMARY KEY,"
  "  file_id INTEGER REFERENCES transcript_files(id) ON DELETE SET NULL,"
  "  timestamp INTEGER NOT NULL,"      /* milliseconds, UTC */
  ENTRY_USAGE_COLUMNS ","
  "  dedup_key INTEGER,"               /* NULL for a line without message.id */
  "  key_check INTEGER);"
  "INSERT INTO entries_8"
  "  SELECT id, file_id, timestamp, model, speed, is_sidechain, input_tokens, output_tokens,"
  "    cache_creation_5m_tokens, cache_creation_1h_tokens, cache_read_tokens, cost_usd,"
  "    dedup_key, gauge_key_check(message_id, request_id)"
  "  FROM entries;"
  "DROP TABLE entries;"
  "ALTER TABLE entries_8 RENAME TO entries;"
  "CREATE INDEX entries_key ON entries(dedup_key);"
  "CREATE INDEX entries_timestamp ON entries(timestamp);",

  /* 9: a response is stored once, whatever runs at the same time: dedup_key becomes UNIQUE.
   * Two cold passes at once (schema 8 let each trust its own memory) stored copies; the one
   * the dedup rule picks stays (not a sub-agent's, then the larger token total, then the
   * first file), the sums of the quarter hours they touched are summed again from the
   * entries left, and readers that keep what they computed start over (entry_edits). A
   * different response under the same dedup_key (key_check differs: one in 2^64) stays,
   * without a key, as the index now stores one. */
  "CREATE TEMP TABLE copies_9 AS"
  "  SELECT id, CASE WHEN timestamp >= 0 THEN timestamp / 900000"
  "                  ELSE (timestamp + 1) / 900000 - 1 END AS bucket"
  "  FROM (SELECT id, timestamp, row_number () OVER (PARTITION BY dedup_key, key_check"
  "          ORDER BY is_sidechain, input_tokens + output_tokens + cache_creation_5m_tokens"
  "                   + cache_creation_1h_tokens + cache_read_tokens DESC,"
  "                   file_id IS NULL, file_id, id) AS copy"
  "        FROM entries WHERE dedup_key IS NOT NULL)"
  "  WHERE copy > 1;"
  "DELETE FROM entries WHERE id IN (SELECT id FROM temp.copies_9);"
  "DELETE FROM entry_sums WHERE bucket IN (SELECT bucket FROM temp.copies_9);"
  "INSERT INTO entry_sums"
  "  SELECT b, m, f, a, min(timestamp), count(*), sum(input_tokens), sum(output_tokens),"
  "    sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(cache_read_tokens),"
  "    total(cost_usd)"
  "  FROM (SELECT d.bucket AS b, ifnull(model, '') AS m,"
  "               (speed IS 'fast') + 2 * (cost_usd IS NOT NULL) + 4 * (model IS NULL) AS f,"
  "               CASE WHEN max(input_tokens, output_tokens, cache_creation_5m_tokens,"
  "                             cache_creation_1h_tokens, cache_read_tokens) > 200000"
  "                    THEN e.id ELSE 0 END AS a,"
  "               timestamp, input_tokens, output_tokens, cache_creation_5m_tokens,"
  "               cache_creation_1h_tokens, cache_read_tokens, cost_usd"
  "        FROM (SELECT DISTINCT bucket FROM temp.copies_9) AS d"
  "        JOIN entries AS e ON e.timestamp >= d.bucket * 900000"
  "                         AND e.timestamp < d.bucket * 900000 + 900000)"
  "  GROUP BY b, m, f, a;"
  "INSERT INTO entry_edits (low_ms)"
  "  SELECT -9223372036854775807 - 1 FROM temp.copies_9 LIMIT 1;"
  "DROP TABLE temp.copies_9;"
  "UPDATE entries SET dedup_key = NULL, key_check = NULL WHERE id IN"
  "  (SELECT id FROM (SELECT id, row_number () OVER (PARTITION BY dedup_key ORDER BY id) AS n"
  "                   FROM entries WHERE dedup_key IS NOT NULL)"
  "   WHERE n > 1);"
  "DROP INDEX entries_key;"
  "CREATE UNIQUE INDEX entries_key ON entries(dedup_key);",

  /* 10: the severity Anthropic's answer gave a window ("critical" in limits[]), which raises
   * the row's above what the thresholds make of its percentage: a row for the readings it
   * was given to (none when it said nothing); and each Claude Code session's prompt cache,
   * as --statusline last heard of it (gauge-store-prompt-caches.c): one row per session,
   * whoever writes. IF NOT EXISTS: it may run again on a file whose version was set back. */
  "CREATE TABLE IF NOT EXISTS reading_severities ("
  "  fetch_id INTEGER NOT NULL REFERENCES fetches(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  severity TEXT NOT NULL,"
  "  PRIMARY KEY (fetch_id, position)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS prompt_caches ("
  "  session_id TEXT PRIMARY KEY,"
  "  name TEXT,"
  "  warm INTEGER,"
  "  ttl INTEGER,"                     /* seconds */
  "  expires_at INTEGER,"              /* unix seconds */
  "  recache_tokens INTEGER,"
  "  updated_at INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS prompt_caches_expires ON prompt_caches(expires_at);",

  /* 11: advisor sub-requests (message.usage.iterations[]) are entries of their own, each
   * under its response's key with its number (gauge-store-index.c), unique like any key.
   * Transcripts read before left them out: every file is read again from the start, as one
   * that was replaced (the next pass; its responses merge into the stored rows, lines
   * without a message.id are dropped and read again). And the entries by file and the
   * files by session, for one session's (the statusline's session cost). */
  "UPDATE transcript_files SET inode = -1;"
  "CREATE INDEX IF NOT EXISTS entries_file ON entries(file_id);"
  "CREATE INDEX IF NOT EXISTS transcript_files_session ON transcript_files(session_id);",

  /* 12: the entries summed per session (their file's), model, speed, whether the line
   * carried costUSD, and alone (as in entry_sums: the >200k tier is priced per entry), so
   * that the statusline's session cost reads a few rows rather than every entry of the
   * session. Kept equal to the entries by every write (gauge-store-sums.c); filled here
   * from the entries already stored (again, whole, when it runs again on a file whose
   * version was set back). Entries of no file or session belong to none. */
  "CREATE TABLE IF NOT EXISTS session_sums ("
  "  session_id TEXT NOT NULL,"
  "  model TEXT NOT NULL,"
  "  flags INTEGER NOT NULL,"
  "  alone INTEGER NOT NULL,"
  SUM_TOTALS_COLUMNS
  "  PRIMARY KEY (session_id, model, flags, alone)) WITHOUT ROWID;"
  "DELETE FROM session_sums;"
  "INSERT INTO session_sums"
  "  SELECT f.session_id, ifnull(e.model, ''),"
  "    (e.speed IS 'fast') + 2 * (e.cost_usd IS NOT NULL) + 4 * (e.model IS NULL) AS fl,"
  "    CASE WHEN max(e.input_tokens, e.output_tokens, e.cache_creation_5m_tokens,"
  "                  e.cache_creation_1h_tokens, e.cache_read_tokens) > 200000"
  "         THEN e.id ELSE 0 END AS a,"
  "    count(*), sum(e.input_tokens), sum(e.output_tokens), sum(e.cache_creation_5m_tokens),"
  "    sum(e.cache_creation_1h_tokens), sum(e.cache_read_tokens), total(e.cost_usd)"
  "  FROM entries AS e JOIN transcript_files AS f ON f.id = e.file_id"
  "  WHERE f.session_id IS NOT NULL"
  "  GROUP BY f.session_id, ifnull(e.model, ''), fl, a;",

  /* 13: several accounts (Claude Code config folders). A reading belongs to the account
   * whose folder it was read for; the readings stored before belong to the first account
   * (gauge_default_account(): the first of CLAUDE_CONFIG_DIR, or ~/.claude, which is what
   * the single-account builds read). And what the profile said of each account, so that
   * the terminal names accounts as the app learned them. The column comes from
   * added_columns[]; run again, this assigns only readings without an account. */
  "UPDATE fetches SET account = gauge_default_account() WHERE account = '';"
  "CREATE INDEX IF NOT EXISTS fetches_account ON fetches(account, fetched_at);"
  "CREATE TABLE IF NOT EXISTS account_profiles ("
  "  folder TEXT PRIMARY KEY,"
  "  email TEXT,"
  "  plan TEXT,"
  "  updated_at INTEGER NOT NULL) WITHOUT ROWID;",

  /* 14: the hourly rollup per account, so that History shows one account's. The hours that
   * still have readings are summed again from them (each under its reading's account, which
   * 13 gave the first account for every reading before it); a row whose readings are gone
   * keeps its value under the first account (gauge_default_account(), as 13): nothing is
   * lost. The key leads with the window so that a chart of every account stays a range.
   * Run again, it does the same from the table it made. */
  "DROP TRIGGER IF EXISTS readings_hourly_insert;"
  "DROP TABLE IF EXISTS readings_hourly_14;"
  "CREATE TABLE readings_hourly_14 ("
  "  window TEXT NOT NULL,"
  "  account TEXT NOT NULL,"           /* fetches.account */
  "  hour INTEGER NOT NULL,"
  "  period INTEGER NOT NULL,"
  "  utilization REAL NOT NULL,"
  "  fetched_at INTEGER NOT NULL,"
  "  resets_at INTEGER,"
  "  PRIMARY KEY (window, account, hour, period)) WITHOUT ROWID;"
  "INSERT OR IGNORE INTO readings_hourly_14"
  "  SELECT window, gauge_default_account(), hour, period, utilization, fetched_at, resets_at"
  "  FROM readings_hourly"
  "  WHERE hour NOT IN (SELECT DISTINCT f.fetched_at / 3600"
  "                     FROM fetches f JOIN readings r ON r.fetch_id = f.id)"
  "  ORDER BY utilization DESC, fetched_at DESC;"
  "DROP TABLE readings_hourly;"
  "ALTER TABLE readings_hourly_14 RENAME TO readings_hourly;"
  "CREATE TRIGGER readings_hourly_insert AFTER INSERT ON readings BEGIN "
  GAUGE_STORE_ROLLUP_SELECT "r.rowid = new.rowid" GAUGE_STORE_ROLLUP_UPSERT "; "
  "END;"
  GAUGE_STORE_ROLLUP_SELECT "true" GAUGE_STORE_ROLLUP_UPSERT ";",

  /* 15: each transcript's config folder (the account whose transcripts it is), so that local
   * usage can be one account's: what its path has before `/projects/<project>/`, normalized
   * as accounts are (gauge_transcript_folder(), gauge-store-index.c). The column comes from
   * added_columns[]; run again, this fills only files without a folder. A file whose path
   * does not show one keeps NULL: it is no account's, and counts where every folder does. */
  "UPDATE transcript_files SET folder = gauge_transcript_folder(path, project)"
  "  WHERE folder IS NULL;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GAUGE_STORE_SCHEMA_VERSION);

/* Columns a migration adds, before its SQL runs, only when missing: ALTER TABLE has no IF NOT
 * EXISTS, and a migration runs again on a file whose version was set back. */
static const struct {
  int         version;   /* the migration's: migrations[version - 1] */
  const char *table;
  const char *column;
  const char *definition;
} added_columns[] = {
  { 13, "fetches", "account", "TEXT NOT NULL DEFAULT ''" },
  { 15, "transcript_files", "folder", "TEXT" },
};

/* The first column of @sql's first row into @value (when not %NULL and there is a row). */
static int
query_int (sqlite3    *db,
           const char *sql,
           int        *value)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && value != NULL)
        *value = sqlite3_column_int (stmt, 0);
      if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  return rc;
}

static GaugeStoreOpenResult
too_new (GaugeStore  *self,
         int          version,
         GError     **error)
{
  g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW,
               _("The history database %s was written by a newer version of Claude Gauge "
                 "(schema %d; this version reads up to %d). Update Claude Gauge to use it."),
               gauge_store_get_path (self), version, GAUGE_STORE_SCHEMA_VERSION);
  return GAUGE_STORE_OPEN_FAILED;
}

/* For the moments when sqlite says "busy" without waiting (a file being created or switched
 * to WAL by another process): sleeps a little, unless @deadline passed. */
static gboolean
wait_a_little (gint64 deadline)
{
  if (g_get_monotonic_time () >= deadline)
    return FALSE;

  g_usleep (g_random_int_range (2, 20) * G_TIME_SPAN_MILLISECOND);
  return TRUE;
}

static int
read_user_version (sqlite3 *db,
                   int     *version)
{
  /* Reading sqlite_master makes sqlite parse the header and the schema. */
  int rc = query_int (db, "SELECT count(*) FROM sqlite_master", NULL);

  if (rc == SQLITE_OK)
    rc = query_int (db, "PRAGMA user_version", version);

  return rc;
}

static int
set_wal (GaugeStore *self,
         sqlite3    *db)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Switching a new file to WAL takes an exclusive lock for a moment; once one process did
   * it, it is a no-op for the others. */
  rc = sqlite3_prepare_v2 (db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *mode = (const char *) sqlite3_column_text (stmt, 0);

      /* A file system without shared memory keeps the rollback journal: slower, as safe. */
      if (g_strcmp0 (mode, "wal") != 0)
        g_debug ("%s stays in journal mode %s", gauge_store_get_path (self), mode);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  return rc;
}

GaugeStoreOpenResult
_gauge_store_check_schema (GaugeStore  *self,
                           sqlite3     *db,
                           gint64       deadline,
                           int         *version,
                           GError     **error)
{
  for (;;)
    {
      int rc = read_user_version (db, version);

      if (rc == SQLITE_OK && *version > GAUGE_STORE_SCHEMA_VERSION)
        return too_new (self, *version, error);
      if (rc == SQLITE_OK)
        rc = set_wal (self, db);
      if (rc == SQLITE_OK)
        return GAUGE_STORE_OPEN_OK;
      if (!_gauge_store_is_busy (rc) || !wait_a_little (deadline))
        return _gauge_store_open_failed (self, rc, error);
    }
}

/* Earlier builds could run a migration twice when processes raced at first use, and one that
 * can run twice (4 and 7) then set user_version back below the schema the file has. What a
 * later migration created says how far the schema really got. */
static int
repair_version (GaugeStore *self,
                sqlite3    *db,
                int         stored,
                int        *version)
{
  static const struct {
    int         version;
    const char *sql;
  } markers[] = {
    { 8, "SELECT count(*) FROM pragma_table_info('entries') WHERE name = 'key_check'" },
    { 6, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'readings_hourly'" },
    { 5, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'entry_sums'" },
  };

  *version = stored;
  for (guint i = 0; stored >= 4 && i < G_N_ELEMENTS (markers) && stored < markers[i].version; i++)
    {
      int found = 0;
      int rc = query_int (db, markers[i].sql, &found);

      if (rc != SQLITE_OK)
        return rc;
      if (found > 0)
        {
          g_debug ("%s has schema %d but says %d", gauge_store_get_path (self),
                   markers[i].version, stored);
          *version = markers[i].version;
          break;
        }
    }

  return SQLITE_OK;
}

static int
add_columns (sqlite3 *db,
             int      version)
{
  for (guint i = 0; i < G_N_ELEMENTS (added_columns); i++)
    {
      g_autofree char *exists = NULL;
      g_autofree char *add = NULL;
      int found = 0;
      int rc;

      if (added_columns[i].version != version)
        continue;

      exists = g_strdup_printf ("SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'",
                                added_columns[i].table, added_columns[i].column);
      rc = query_int (db, exists, &found);
      if (rc != SQLITE_OK)
        return rc;
      if (found > 0)
        continue;

      add = g_strdup_printf ("ALTER TABLE %s ADD COLUMN %s %s", added_columns[i].table,
                             added_columns[i].column, added_columns[i].definition);
      rc = sqlite3_exec (db, add, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        return rc;
    }

  return SQLITE_OK;
}

/* Each step in its own transaction, which reads the version again under the write lock:
 * another process may have migrated the file since this one looked. An interrupted upgrade
 * resumes where it stopped. @from: the version this process migrated from, or -1. */
static GaugeStoreOpenResult
migrate_steps (GaugeStore  *self,
               sqlite3     *db,
               gint64       deadline,
               int         *from,
               GError     **error)
{
  for (;;)
    {
      g_autofree char *bump = NULL;
      g_autofree char *message = NULL;
      int stored = 0, version = 0, step = -1;
      int rc;

      rc = sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = query_int (db, "PRAGMA user_version", &stored);
      if (rc == SQLITE_OK && stored > GAUGE_STORE_SCHEMA_VERSION)
        {
          _gauge_store_rollback (self);
          return too_new (self, stored, error);
        }
      if (rc == SQLITE_OK)
        rc = repair_version (self, db, stored, &version);

      if (rc == SQLITE_OK && version < GAUGE_STORE_SCHEMA_VERSION)
        {
          g_debug ("Migrating %s from schema %d to %d", gauge_store_get_path (self),
                   version, version + 1);
          if (*from < 0)
            *from = version;
          step = version++;
          rc = add_columns (db, version);
          if (rc == SQLITE_OK)
            rc = sqlite3_exec (db, migrations[step], NULL, NULL, NULL);
        }
      if (rc == SQLITE_OK && version != stored)
        {
          bump = g_strdup_printf ("PRAGMA user_version = %d", version);
          rc = sqlite3_exec (db, bump, NULL, NULL, NULL);
        }
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);

      if (rc == SQLITE_OK && version >= GAUGE_STORE_SCHEMA_VERSION)
        return GAUGE_STORE_OPEN_OK;
      if (rc == SQLITE_OK)
        continue;

      /* Read the failure before ROLLBACK replaces it. */
      rc = sqlite3_extended_errcode (db);
      message = g_strdup (sqlite3_errmsg (db));
      _gauge_store_rollback (self);

      if (_gauge_store_is_busy (rc) && wait_a_little (deadline))
        continue;
      if (_gauge_store_is_corrupt (rc))
        return GAUGE_STORE_OPEN_CORRUPT;
      if (_gauge_store_is_busy (rc) || step < 0)
        {
          _gauge_store_set_open_error (self, rc, sqlite3_system_errno (db), message, error);
          return GAUGE_STORE_OPEN_FAILED;
        }

      g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                   _("Could not bring the history database %s from schema %d to %d: %s."),
                   gauge_store_get_path (self), step, step + 1, message);
      return GAUGE_STORE_OPEN_FAILED;
    }
}

GaugeStoreOpenResult
_gauge_store_migrate (GaugeStore  *self,
                      sqlite3     *db,
                      gint64       deadline,
                      int          version,
                      GError     **error)
{
  GaugeStoreOpenResult res;
  int from = -1;

  if (version >= GAUGE_STORE_SCHEMA_VERSION)
    return GAUGE_STORE_OPEN_OK;

  res = migrate_steps (self, db, deadline, &from, error);
  if (res != GAUGE_STORE_OPEN_OK)
    return res;

  /* Schema 8 rewrote the entries at a third of their size: give the disk back once. Another
   * process may hold the database; then the space waits for SQLite to reuse it. */
  if (from > 0 && from < 8)
    {
      if (sqlite3_exec (db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
                        NULL, NULL, NULL) != SQLITE_OK)
        g_debug ("Could not compact %s: %s", gauge_store_get_path (self), sqlite3_errmsg (db));
    }

  return GAUGE_STORE_OPEN_OK;
}
