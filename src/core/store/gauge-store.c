/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-clock.h"
#include "gauge-store.h"
#include "gauge-store-private.h"

/*
 * All times in the database are unix seconds (UTC); window lengths are
 * seconds too. Sub-second precision of resets_at is dropped.
 */

/* How long a process waits for another one's write (a migration, a cold index's batch)
 * before it gives up on a write, or on opening. */
#define BUSY_TIMEOUT_MS 5000

struct _GaugeStore
{
  GObject  parent_instance;

  /* Guards everything below: sqlite is opened with NOMUTEX and used from worker threads. */
  GMutex      mutex;
  sqlite3    *db;
  GHashTable *statements;  /* SQL text (by address) → its prepared statement, on db */
  dev_t       db_device;   /* the file db has open, which another process may move aside */
  ino_t       db_inode;
  gboolean    damaged;     /* a statement found the file damaged: recover before unlocking */
  gboolean    moved;       /* a commit found the path naming another file: reopen */
  gboolean    replaced;    /* the file changed since gauge_store_get_entry_changes() looked */

  char    *path;
  char    *recovered_path;
  char    *recovery_message;
};

G_DEFINE_FINAL_TYPE (GaugeStore, gauge_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (gauge-store-error-quark, gauge_store_error)

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
  "  model TEXT,"
  "  speed TEXT,"
  "  is_sidechain INTEGER NOT NULL DEFAULT 0,"
  "  input_tokens INTEGER NOT NULL DEFAULT 0,"
  "  output_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_creation_5m_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_creation_1h_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cost_usd REAL);"                  /* costUSD when the line carries it */
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
   * by every write (gauge-store-entries.c); filled here from the entries already stored. */
  "CREATE TABLE entry_sums ("
  "  bucket INTEGER NOT NULL,"
  "  model TEXT NOT NULL,"
  "  flags INTEGER NOT NULL,"
  "  alone INTEGER NOT NULL,"
  "  first_ms INTEGER NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  input_tokens INTEGER NOT NULL,"
  "  output_tokens INTEGER NOT NULL,"
  "  cache_creation_5m_tokens INTEGER NOT NULL,"
  "  cache_creation_1h_tokens INTEGER NOT NULL,"
  "  cache_read_tokens INTEGER NOT NULL,"
  "  cost_usd REAL NOT NULL,"
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
  GAUGE_STORE_ROLLUP_SELECT "r.rowid = new.rowid" GAUGE_STORE_ROLLUP_UPSERT "; "
  "END;"
  GAUGE_STORE_ROLLUP_SELECT "true" GAUGE_STORE_ROLLUP_UPSERT ";",

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
   * seed, key_check (gauge_key_check(), gauge-store-entries.c), compared with dedup_key. */
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
  "  model TEXT,"
  "  speed TEXT,"
  "  is_sidechain INTEGER NOT NULL DEFAULT 0,"
  "  input_tokens INTEGER NOT NULL DEFAULT 0,"
  "  output_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_creation_5m_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_creation_1h_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cache_read_tokens INTEGER NOT NULL DEFAULT 0,"
  "  cost_usd REAL,"                   /* costUSD when the line carries it */
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
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == GAUGE_STORE_SCHEMA_VERSION);

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Statements first: a connection with statements left stays open as a zombie. */
static void
close_db (GaugeStore *self)
{
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close_v2);
}

static void
gauge_store_finalize (GObject *object)
{
  GaugeStore *self = (GaugeStore *)object;

  close_db (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->recovered_path, g_free);
  g_clear_pointer (&self->recovery_message, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gauge_store_parent_class)->finalize (object);
}

static void
gauge_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GaugeStore *self = GAUGE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* $XDG_DATA_HOME/claude-gauge/history.db */
static char *
default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "claude-gauge", "history.db", NULL);
}

static void
gauge_store_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GaugeStore *self = GAUGE_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      if (self->path == NULL)
        self->path = default_path ();
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_store_class_init (GaugeStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gauge_store_finalize;
  object_class->get_property = gauge_store_get_property;
  object_class->set_property = gauge_store_set_property;

  /* NULL means the default path. */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_store_init (GaugeStore *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * gauge_store_new:
 * @path: (nullable): the database file, %NULL for the default
 *
 * Creates the store; nothing touches the disk before gauge_store_open().
 */
GaugeStore *
gauge_store_new (const char *path)
{
  return g_object_new (GAUGE_TYPE_STORE, "path", path, NULL);
}

const char *
gauge_store_get_path (GaugeStore *self)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);

  return self->path;
}

/**
 * gauge_store_get_recovered_path:
 *
 * Returns: (nullable): where a damaged database was last moved aside (found at open or by
 *   any statement since), or %NULL if it was healthy
 */
const char *
gauge_store_get_recovered_path (GaugeStore *self)
{
  const char *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  ret = self->recovered_path;
  g_mutex_unlock (&self->mutex);

  return ret;
}

/**
 * gauge_store_take_recovery_message:
 *
 * What to tell the user after a damaged database was moved aside: where it went and what it
 * held. Returned once, so that it is shown once.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL when there is none (any more)
 */
char *
gauge_store_take_recovery_message (GaugeStore *self)
{
  char *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  ret = g_steal_pointer (&self->recovery_message);
  g_mutex_unlock (&self->mutex);

  return ret;
}

/* sqlite helpers: all called with the mutex held. */

static gboolean
is_corrupt (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

static gboolean
is_busy (int rc)
{
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* The error of the statement that just failed on db. A damaged file is noted here, for
 * every part of the store: unlock() moves it aside before another statement runs. */
static void
set_query_error (GaugeStore  *self,
                 GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  if (self->moved && rc == SQLITE_CONSTRAINT_COMMITHOOK)
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED,
                 _("The history database %s was moved aside by another process while this "
                   "one wrote to it; nothing was written"),
                 self->path);
  else if (is_corrupt (rc))
    {
      self->damaged = TRUE;
      g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED,
                   _("The history database %s is damaged: %s"),
                   self->path, sqlite3_errmsg (self->db));
    }
  else if ((rc & 0xff) == SQLITE_BUSY)
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_QUERY,
                 _("The history database %s stayed locked by another process for more than "
                   "%d seconds"),
                 self->path, BUSY_TIMEOUT_MS / 1000);
  else
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_QUERY,
                 _("Could not update the history database %s: %s"),
                 self->path, sqlite3_errmsg (self->db));
}

static gboolean
exec (GaugeStore  *self,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
prepare (GaugeStore  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_query_error (self, error);
      return NULL;
    }

  return stmt;
}

static void
rollback (GaugeStore *self)
{
  /* Fails harmlessly when sqlite already rolled back (e.g. disk full). */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

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

/* Opening. */

typedef enum
{
  OPEN_OK,
  OPEN_FAILED,
  OPEN_CORRUPT,
  OPEN_MOVED,     /* moved aside by another process while this one opened it: again */
} OpenResult;

/* Only a permission or space problem is blamed on the folder or the disk. */
static const char *
open_advice (int rc,
             int errno_value)
{
  switch (errno_value)
    {
    case EACCES:
    case EPERM:
    case EROFS:
      return _("Check that it and its folder are writable.");
    case ENOSPC:
    case EDQUOT:
      return _("Check that the disk is not full.");
    default:
      break;
    }

  switch (rc & 0xff)
    {
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return _("Check that it and its folder are writable.");
    case SQLITE_FULL:
      return _("Check that the disk is not full.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return _("Another process kept it locked; try again.");
    default:
      return NULL;
    }
}

/* @rc: an sqlite result code or 0; @errno_value: what the system said, or 0. */
static void
set_open_error (GaugeStore  *self,
                int          rc,
                int          errno_value,
                const char  *reason,
                GError     **error)
{
  const char *advice = open_advice (rc, errno_value);

  if (advice != NULL)
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                 _("Could not open the history database %s: %s. %s"),
                 self->path, reason, advice);
  else
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                 _("Could not open the history database %s: %s."),
                 self->path, reason);
}

/* For a statement of opening that failed with @rc on db. */
static OpenResult
open_failed (GaugeStore  *self,
             int          rc,
             GError     **error)
{
  if (is_corrupt (rc))
    return OPEN_CORRUPT;

  set_open_error (self, rc, sqlite3_system_errno (self->db), sqlite3_errmsg (self->db), error);
  return OPEN_FAILED;
}

static OpenResult
too_new (GaugeStore  *self,
         int          version,
         GError     **error)
{
  g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_TOO_NEW,
               _("The history database %s was written by a newer version of Claude Gauge "
                 "(schema %d; this version reads up to %d). Update Claude Gauge to use it."),
               self->path, version, GAUGE_STORE_SCHEMA_VERSION);
  return OPEN_FAILED;
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

/* Whether the path still names the file db has open. Another process that found the file
 * damaged moves it aside; what this one writes into it then would be lost there. */
static gboolean
names_open_file (GaugeStore *self)
{
  struct stat st;

  if (g_stat (self->path, &st) != 0)
    return errno != ENOENT;  /* gone means moved; other failures say nothing */

  return st.st_dev == self->db_device && st.st_ino == self->db_inode;
}

/* Vetoes a commit into a file that was moved aside (the statement fails, nothing is written):
 * a writer that waited for the lock while the file was being moved finds out here. */
static int
commit_hook_cb (void *data)
{
  GaugeStore *self = data;

  if (names_open_file (self))
    return 0;

  self->moved = TRUE;
  return 1;
}

/* sqlite's magic. A file without it is not ours to open: letting sqlite at
 * it would also let it checkpoint or delete a -wal we mean to keep. */
static gboolean
has_sqlite_header (int fd)
{
  static const char magic[] = "SQLite format 3";
  char header[sizeof magic];
  gssize n;

  do
    n = pread (fd, header, sizeof header, 0);
  while (n == -1 && errno == EINTR);

  /* An empty file is a new database; a short read errs on the side of sqlite. */
  if (n == 0 || n == -1)
    return TRUE;

  return n == sizeof header && memcmp (header, magic, sizeof magic) == 0;
}

/* Creates the folder 0700 and the file 0600 before sqlite sees it: sqlite
 * gives its -wal and -shm files the mode of the database file. @st: the file's identity. */
static OpenResult
create_file (GaugeStore   *self,
             struct stat  *st,
             GError      **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  gboolean is_sqlite;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      const char *advice = open_advice (0, saved_errno);

      if (advice != NULL)
        g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                     _("Could not create the folder %s for the history database: %s. %s"),
                     dir, g_strerror (saved_errno), advice);
      else
        g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                     _("Could not create the folder %s for the history database: %s."),
                     dir, g_strerror (saved_errno));
      return OPEN_FAILED;
    }

  /* Two processes may create it at once: both then open the same file. */
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
  if (fd == -1)
    {
      int saved_errno = errno;

      set_open_error (self, 0, saved_errno, g_strerror (saved_errno), error);
      return OPEN_FAILED;
    }

  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      g_close (fd, NULL);
      set_open_error (self, 0, 0, _("not a regular file"), error);
      return OPEN_FAILED;
    }

  /* A file from elsewhere (a backup, an older build) may be too open. */
  if ((st->st_mode & 077) != 0)
    {
      if (fchmod (fd, st->st_mode & 0700) != 0)
        g_debug ("Could not restrict %s: %s", self->path, g_strerror (errno));
    }

  is_sqlite = has_sqlite_header (fd);
  g_close (fd, NULL);

  return is_sqlite ? OPEN_OK : OPEN_CORRUPT;
}

static int
read_user_version (GaugeStore *self,
                   int        *version)
{
  /* Reading sqlite_master makes sqlite parse the header and the schema. */
  int rc = query_int (self->db, "SELECT count(*) FROM sqlite_master", NULL);

  if (rc == SQLITE_OK)
    rc = query_int (self->db, "PRAGMA user_version", version);

  return rc;
}

static int
set_wal (GaugeStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* Switching a new file to WAL takes an exclusive lock for a moment; once one process did
   * it, it is a no-op for the others. */
  rc = sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *mode = (const char *) sqlite3_column_text (stmt, 0);

      /* A file system without shared memory keeps the rollback journal: slower, as safe. */
      if (g_strcmp0 (mode, "wal") != 0)
        g_debug ("%s stays in journal mode %s", self->path, mode);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  return rc;
}

/* Earlier builds could run a migration twice when processes raced at first use, and one that
 * can run twice (4 and 7) then set user_version back below the schema the file has. What a
 * later migration created says how far the schema really got. */
static int
repair_version (GaugeStore *self,
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
      int rc = query_int (self->db, markers[i].sql, &found);

      if (rc != SQLITE_OK)
        return rc;
      if (found > 0)
        {
          g_debug ("%s has schema %d but says %d", self->path, markers[i].version, stored);
          *version = markers[i].version;
          break;
        }
    }

  return SQLITE_OK;
}

/* Each step in its own transaction, which reads the version again under the write lock:
 * another process may have migrated the file since this one looked. An interrupted upgrade
 * resumes where it stopped. @from: the version this process migrated from, or -1. */
static OpenResult
migrate (GaugeStore  *self,
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

      rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = query_int (self->db, "PRAGMA user_version", &stored);
      if (rc == SQLITE_OK && stored > GAUGE_STORE_SCHEMA_VERSION)
        {
          rollback (self);
          return too_new (self, stored, error);
        }
      if (rc == SQLITE_OK)
        rc = repair_version (self, stored, &version);

      if (rc == SQLITE_OK && version < GAUGE_STORE_SCHEMA_VERSION)
        {
          g_debug ("Migrating %s from schema %d to %d", self->path, version, version + 1);
          if (*from < 0)
            *from = version;
          step = version++;
          rc = sqlite3_exec (self->db, migrations[step], NULL, NULL, NULL);
        }
      if (rc == SQLITE_OK && version != stored)
        {
          bump = g_strdup_printf ("PRAGMA user_version = %d", version);
          rc = sqlite3_exec (self->db, bump, NULL, NULL, NULL);
        }
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);

      if (rc == SQLITE_OK && version >= GAUGE_STORE_SCHEMA_VERSION)
        return OPEN_OK;
      if (rc == SQLITE_OK)
        continue;

      /* Read the failure before ROLLBACK replaces it. */
      rc = sqlite3_extended_errcode (self->db);
      message = g_strdup (sqlite3_errmsg (self->db));
      rollback (self);

      if (is_busy (rc) && wait_a_little (deadline))
        continue;
      if (is_corrupt (rc))
        return OPEN_CORRUPT;
      if (is_busy (rc) || step < 0)
        {
          set_open_error (self, rc, sqlite3_system_errno (self->db), message, error);
          return OPEN_FAILED;
        }

      g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
                   _("Could not bring the history database %s from schema %d to %d: %s."),
                   self->path, step, step + 1, message);
      return OPEN_FAILED;
    }
}

/* Settings of this connection, then the schema: waits (a bounded time) for the process
 * that is creating or migrating the same file rather than racing it. */
static OpenResult
setup (GaugeStore  *self,
       GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  int persist = 1;
  int version = 0, from = -1;
  OpenResult res;
  int rc;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_commit_hook (self->db, commit_hook_cb, self);
  /* Closing never deletes the -wal and -shm by name (it truncates the -wal instead): once
   * another process moved this file aside, those names are the new database's. */
  sqlite3_file_control (self->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  if (!_gauge_store_add_entry_functions (self->db))
    return open_failed (self, sqlite3_extended_errcode (self->db), error);

  /* Before anything writes: a database from a newer version stays untouched. */
  for (;;)
    {
      rc = read_user_version (self, &version);
      if (rc == SQLITE_OK && version > GAUGE_STORE_SCHEMA_VERSION)
        return too_new (self, version, error);
      if (rc == SQLITE_OK)
        rc = set_wal (self);
      if (rc == SQLITE_OK)
        break;
      if (!is_busy (rc) || !wait_a_little (deadline))
        return open_failed (self, rc, error);
    }

  rc = sqlite3_exec (self->db,
                     "PRAGMA synchronous=NORMAL;"
                     "PRAGMA foreign_keys=ON;"
                     "PRAGMA journal_size_limit=67108864;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return open_failed (self, sqlite3_extended_errcode (self->db), error);

  if (version < GAUGE_STORE_SCHEMA_VERSION)
    {
      res = migrate (self, deadline, &from, error);
      if (res != OPEN_OK)
        return res;
    }

  /* Schema 8 rewrote the entries at a third of their size: give the disk back once. Another
   * process may hold the database; then the space waits for SQLite to reuse it. */
  if (from > 0 && from < 8)
    {
      if (sqlite3_exec (self->db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
                        NULL, NULL, NULL) != SQLITE_OK)
        g_debug ("Could not compact %s: %s", self->path, sqlite3_errmsg (self->db));
    }

  return OPEN_OK;
}

static OpenResult
open_db (GaugeStore  *self,
         GError     **error)
{
  struct stat st;
  OpenResult res;
  int rc;

  g_assert (self->db == NULL);

  res = create_file (self, &st, error);
  if (res != OPEN_OK)
    return res;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_open_error (self, rc, self->db != NULL ? sqlite3_system_errno (self->db) : 0,
                      self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc),
                      error);
      return OPEN_FAILED;
    }

  /* The file sqlite opened is the one create_file() checked, unless it was moved aside
   * in between. */
  self->db_device = st.st_dev;
  self->db_inode = st.st_ino;
  if (!names_open_file (self))
    return OPEN_MOVED;

  return setup (self, error);
}

/* Renames @from to @to if @from exists. */
static gboolean
move_if_exists (const char  *from,
                const char  *to,
                GError     **error)
{
  if (g_rename (from, to) == 0 || errno == ENOENT)
    return TRUE;

  g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_OPEN,
               _("The history database %s is damaged and could not be moved aside: %s"),
               from, g_strerror (errno));
  return FALSE;
}

/* Moves the database and its -wal/-shm to history.db.corrupt-YYYYMMDD-HHMMSS. */
static char *
move_aside (GaugeStore  *self,
            GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);

  /* Two recoveries within a second must not overwrite the first one. */
  for (guint i = 1; g_file_test (target, G_FILE_TEST_EXISTS); i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, i);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (!move_if_exists (from, to, error))
        return NULL;
    }

  return g_steal_pointer (&target);
}

/* What a damaged file still shows of a table: its rows and their time span. */
typedef struct
{
  gboolean readable;
  gint64   n;
  gint64   first;  /* unix seconds */
  gint64   last;
} Held;

static void
count_held (sqlite3    *db,
            const char *sql,
            Held       *held)
{
  sqlite3_stmt *stmt = NULL;

  held->readable = db != NULL && sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
                   sqlite3_step (stmt) == SQLITE_ROW;
  if (held->readable)
    {
      held->n = sqlite3_column_int64 (stmt, 0);
      held->first = sqlite3_column_int64 (stmt, 1);
      held->last = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);
}

static char *
format_day (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d") : g_strdup ("?");
}

static void
describe_held (GString    *text,
               const Held *readings,
               const Held *entries)
{
  g_autofree char *n = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (!readings->readable)
    g_string_append (text, _("Its readings could not be read."));
  else if (readings->n == 0)
    g_string_append (text, _("It held no readings."));
  else
    {
      n = g_strdup_printf ("%" G_GINT64_FORMAT, readings->n);
      first = format_day (readings->first);
      last = format_day (readings->last);
      /* Translators: "It held 1234 readings, from 2026-10-01 to 2026-11-20." */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "It held %s reading, from %s to %s.",
                                                 "It held %s readings, from %s to %s.",
                                                 (gulong) MIN (readings->n, G_MAXLONG)),
                              n, first, last);
    }

  if (!entries->readable)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("Its transcript entries could not be read; Claude Gauge reads "
                               "Claude Code's transcripts again."));
    }
  else if (entries->n > 0)
    {
      g_string_append_c (text, ' ');
      g_free (n);
      g_free (first);
      g_free (last);
      n = g_strdup_printf ("%" G_GINT64_FORMAT, entries->n);
      first = format_day (entries->first);
      last = format_day (entries->last);
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "It held %s transcript entry, from %s to %s; "
                                                 "Claude Gauge reads Claude Code's transcripts "
                                                 "again (those Claude Code deleted since are "
                                                 "only in the moved file).",
                                                 "It held %s transcript entries, from %s to %s; "
                                                 "Claude Gauge reads Claude Code's transcripts "
                                                 "again (those Claude Code deleted since are "
                                                 "only in the moved file).",
                                                 (gulong) MIN (entries->n, G_MAXLONG)),
                              n, first, last);
    }
}

/* Moves a damaged file aside (never deleted) and leaves db closed, for the next lock to start
 * a new one; other processes follow at their next lock (names_open_file()). Notes what the
 * file held for gauge_store_take_recovery_message(). */
static gboolean
recover_locked (GaugeStore  *self,
                GError     **error)
{
  g_autoptr(GString) message = g_string_new (NULL);
  g_autofree char *target = NULL;
  Held readings, entries;

  self->damaged = FALSE;

  count_held (self->db, "SELECT count(*), min(fetched_at), max(fetched_at) FROM fetches",
              &readings);
  count_held (self->db,
              "SELECT count(*), min(timestamp) / 1000, max(timestamp) / 1000 FROM entries",
              &entries);

  /* With the write lock held while moving: a writer that waited for it finds the file
   * moved (commit_hook_cb()) rather than writing into it. */
  if (self->db != NULL && sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);

  target = move_aside (self, error);
  close_db (self);
  if (target == NULL)
    return FALSE;

  g_debug ("The history database %s was damaged; moved it to %s", self->path, target);
  g_string_printf (message, _("The history database %s was damaged. It was moved to %s and a "
                              "new one was started."),
                   self->path, target);
  g_string_append_c (message, ' ');
  describe_held (message, &readings, &entries);

  g_free (self->recovery_message);
  self->recovery_message = g_string_free (g_steal_pointer (&message), FALSE);
  g_free (self->recovered_path);
  self->recovered_path = g_steal_pointer (&target);
  self->replaced = TRUE;

  return TRUE;
}

static gboolean
ensure_open_locked (GaugeStore  *self,
                    GError     **error)
{
  gboolean recovered = FALSE;
  OpenResult res = OPEN_FAILED;

  if (self->damaged && !recover_locked (self, error))
    return FALSE;

  if (self->db != NULL)
    {
      if (!self->moved && names_open_file (self))
        return TRUE;

      /* Another process moved it aside (it found it damaged): what was under way here
       * belongs to the old file, so it fails once; the next call uses the new one. */
      close_db (self);
      self->moved = FALSE;
      self->replaced = TRUE;
      g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED,
                   _("The history database %s was moved aside by another process"),
                   self->path);
      return FALSE;
    }

  for (guint attempt = 0; attempt < 4; attempt++)
    {
      res = open_db (self, error);
      if (res == OPEN_OK || res == OPEN_FAILED)
        break;

      if (res == OPEN_CORRUPT && recovered)
        {
          set_open_error (self, 0, 0, _("the new database is damaged too"), error);
          res = OPEN_FAILED;
          break;
        }
      if (res == OPEN_CORRUPT)
        {
          if (!recover_locked (self, error))
            return FALSE;
          recovered = TRUE;
        }
      close_db (self);
    }

  if (res == OPEN_MOVED)
    set_open_error (self, SQLITE_BUSY, 0, _("another process kept moving it"), error);

  if (res != OPEN_OK)
    {
      close_db (self);
      return FALSE;
    }

  return TRUE;
}

static void
unlock (GaugeStore *self)
{
  if (self->damaged)
    {
      g_autoptr(GError) error = NULL;

      if (!recover_locked (self, &error))
        g_warning ("%s", error->message);
    }

  g_mutex_unlock (&self->mutex);
}

/**
 * gauge_store_open:
 *
 * Creates or opens the database and brings its schema up to date, once, however many
 * processes do it at the same time. A damaged file is moved aside and replaced (see
 * gauge_store_take_recovery_message()). Calling it again on an open store does nothing.
 */
gboolean
gauge_store_open (GaugeStore  *self,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->mutex);
  ret = ensure_open_locked (self, &local_error);
  /* Moved aside by another process since: that is the new one open. */
  if (!ret && g_error_matches (local_error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
    {
      g_clear_error (&local_error);
      ret = ensure_open_locked (self, &local_error);
    }
  unlock (self);

  if (!ret)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ret;
}

/**
 * gauge_store_check:
 *
 * Reads every page of the database (`PRAGMA quick_check`): a damaged one is moved aside and a
 * new one started, as at open (see gauge_store_take_recovery_message()). The way out that
 * `--recalculate` takes, whatever state the file is in.
 *
 * Returns: %FALSE with @error set when the database cannot be opened or read
 */
gboolean
gauge_store_check (GaugeStore  *self,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gauge_store_open (self, error))
    return FALSE;

  g_mutex_lock (&self->mutex);
  ok = ensure_open_locked (self, error) && (stmt = prepare (self, "PRAGMA quick_check", error));
  if (ok)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
        {
          g_debug ("%s: %s", self->path, sqlite3_column_text (stmt, 0));
          self->damaged = TRUE;
        }
      else if (rc != SQLITE_ROW)
        {
          g_autoptr(GError) check_error = NULL;

          set_query_error (self, &check_error);
          if (!self->damaged)
            {
              g_propagate_error (error, g_steal_pointer (&check_error));
              ok = FALSE;
            }
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  unlock (self);

  /* A damaged file was moved aside on unlock: start the new one now. */
  return ok && gauge_store_open (self, error);
}

/* For the parts of GaugeStore kept in other files (gauge-store-private.h). */

sqlite3 *
_gauge_store_lock (GaugeStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  if (!ensure_open_locked (self, error))
    {
      unlock (self);
      return NULL;
    }

  return self->db;
}

void
_gauge_store_unlock (GaugeStore *self)
{
  unlock (self);
}

/* With the lock held: whether the database was replaced (moved aside, here or by another
 * process) since the last call. */
gboolean
_gauge_store_take_replaced (GaugeStore *self)
{
  gboolean ret = self->replaced;

  self->replaced = FALSE;
  return ret;
}

/**
 * gauge_store_release_memory:
 *
 * Gives back the pages of the database the connection keeps in memory (the
 * operating system's cache keeps them anyway), unless a worker thread is
 * using the connection right now. Never blocks: also for the main loop, when
 * the app goes idle.
 */
void
gauge_store_release_memory (GaugeStore *self)
{
  g_return_if_fail (GAUGE_IS_STORE (self));

  if (!g_mutex_trylock (&self->mutex))
    return;
  if (self->db != NULL)
    sqlite3_db_release_memory (self->db);
  g_mutex_unlock (&self->mutex);
}

void
_gauge_store_set_query_error (GaugeStore  *self,
                              GError     **error)
{
  set_query_error (self, error);
}

/**
 * _gauge_store_prepare_cached:
 * @sql: a string that lives as long as the program: statements are kept by its address
 *
 * For statements a hot path runs again and again (the index's writes): prepared
 * once per connection and kept by the store, so never finalize one. Returned
 * reset and without bindings. With the lock held.
 *
 * Returns: (transfer none): the statement, or %NULL with @error set
 */
sqlite3_stmt *
_gauge_store_prepare_cached (GaugeStore  *self,
                             const char  *sql,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  g_assert (self->db != NULL);

  if (self->statements == NULL)
    self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Snapshots. */

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
      set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_snapshot_locked (GaugeStore          *self,
                     GaugeLimitsSnapshot  *snapshot,
                     GError             **error)
{
  sqlite3_stmt *fetch = NULL;
  sqlite3_stmt *reading = NULL;
  GDateTime *fetched_at = gauge_limits_snapshot_get_fetched_at (snapshot);
  guint n_windows = gauge_limits_snapshot_get_n_windows (snapshot);
  gboolean ok = FALSE;
  gint64 fetch_id;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  fetch = prepare (self, "INSERT INTO fetches (fetched_at, source) VALUES (?, ?)", error);
  if (fetch == NULL)
    goto out;

  if (fetched_at != NULL)
    sqlite3_bind_int64 (fetch, 1, g_date_time_to_unix (fetched_at));
  else
    sqlite3_bind_int64 (fetch, 1, gauge_clock_now_unix ());
  sqlite3_bind_text (fetch, 2, gauge_source_to_string (gauge_limits_snapshot_get_source (snapshot)),
                     -1, SQLITE_STATIC);

  if (sqlite3_step (fetch) != SQLITE_DONE)
    {
      set_query_error (self, error);
      goto out;
    }

  fetch_id = sqlite3_last_insert_rowid (self->db);

  reading = prepare (self,
                     "INSERT INTO readings (fetch_id, position, window, name, utilization,"
                     " resets_at, length, used_minor, limit_minor, currency)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     error);
  if (reading == NULL)
    goto out;

  for (guint i = 0; i < n_windows; i++)
    {
      if (!insert_reading (self, reading, fetch_id, i,
                           gauge_limits_snapshot_get_window (snapshot, i), error))
        goto out;
    }

  ok = exec (self, "COMMIT", error);

out:
  g_clear_pointer (&fetch, sqlite3_finalize);
  g_clear_pointer (&reading, sqlite3_finalize);

  if (!ok)
    rollback (self);

  return ok;
}

/**
 * gauge_store_add_snapshot:
 *
 * Records a reading: one fetch and its windows, in one transaction.
 */
gboolean
gauge_store_add_snapshot (GaugeStore          *self,
                          GaugeLimitsSnapshot  *snapshot,
                          GError             **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (GAUGE_IS_LIMITS_SNAPSHOT (snapshot), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Found damaged (now moved aside and started anew), or moved aside by another process
   * that did: the reading goes into the new file rather than nowhere. */
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      g_mutex_lock (&self->mutex);
      ret = ensure_open_locked (self, &local_error) &&
            add_snapshot_locked (self, snapshot, &local_error);
      unlock (self);

      if (ret || attempt == 2 ||
          !g_error_matches (local_error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return ret;
        }
    }
}

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

  if (id == NULL)
    return NULL;

  if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
    return gauge_limit_window_new_money (id, name, utilization,
                                         sqlite3_column_int64 (stmt, 5),
                                         sqlite3_column_int64 (stmt, 6),
                                         (const char *) sqlite3_column_text (stmt, 7),
                                         resets_at);

  if (length < 0 || length > G_MAXINT64 / G_TIME_SPAN_SECOND)
    length = 0;

  return gauge_limit_window_new (id, name, utilization, resets_at, length * G_TIME_SPAN_SECOND);
}

static GaugeLimitsSnapshot *
load_latest_snapshot_locked (GaugeStore  *self,
                             GError     **error)
{
  sqlite3_stmt *fetch = NULL;
  sqlite3_stmt *readings = NULL;
  g_autoptr(GPtrArray) windows = NULL;
  g_autoptr(GDateTime) fetched_at = NULL;
  GaugeLimitsSnapshot *ret = NULL;
  GaugeSource source = GAUGE_SOURCE_OFFICIAL;
  int rc;

  fetch = prepare (self,
                   "SELECT id, fetched_at, source FROM fetches"
                   " ORDER BY fetched_at DESC, id DESC LIMIT 1",
                   error);
  if (fetch == NULL)
    return NULL;

  rc = sqlite3_step (fetch);
  if (rc == SQLITE_DONE)
    goto out;
  if (rc != SQLITE_ROW)
    {
      set_query_error (self, error);
      goto out;
    }

  fetched_at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (fetch, 1));
  if (!gauge_source_from_string ((const char *) sqlite3_column_text (fetch, 2), &source))
    source = GAUGE_SOURCE_OFFICIAL;

  readings = prepare (self,
                      "SELECT window, name, utilization, resets_at, length,"
                      " used_minor, limit_minor, currency"
                      " FROM readings WHERE fetch_id = ? ORDER BY position",
                      error);
  if (readings == NULL)
    goto out;

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
      set_query_error (self, error);
      goto out;
    }

  ret = gauge_limits_snapshot_new (windows, source, fetched_at);

out:
  g_clear_pointer (&fetch, sqlite3_finalize);
  g_clear_pointer (&readings, sqlite3_finalize);

  return ret;
}

/**
 * gauge_store_load_latest_snapshot:
 *
 * Returns: (transfer full) (nullable): the newest reading from any source,
 *   or %NULL (without an error) when there is none
 */
GaugeLimitsSnapshot *
gauge_store_load_latest_snapshot (GaugeStore  *self,
                                  GError     **error)
{
  GaugeLimitsSnapshot *ret = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      g_mutex_lock (&self->mutex);
      if (ensure_open_locked (self, &local_error))
        ret = load_latest_snapshot_locked (self, &local_error);
      unlock (self);

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

/* The _async halves of the store's calls: each runs its sync twin on a worker thread, with
 * inputs copied at call time so the caller may change them afterwards. */

void
_gauge_store_run_in_thread (GaugeStore          *self,
               gpointer             source_tag,
               GTaskThreadFunc      func,
               gpointer             task_data,
               GDestroyNotify       task_data_free,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, task_data, task_data_free);
  g_task_run_in_thread (task, func);
}

gpointer
_gauge_store_propagate (GaugeStore    *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           GError       **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
