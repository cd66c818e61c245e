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

#include "gauge-store.h"
#include "gauge-store-private.h"
#include "gauge-worker.h"

/*
 * The object: the path, the connection and what guards it. Opening creates the file (0600),
 * brings its schema up to date (gauge-store-schema.c) and follows a file that another process
 * moved aside; a damaged file found at any moment is moved aside and a new one started. The
 * SQL tools every part of the store uses are here too (gauge-store-private.h); the tables'
 * queries are in their own files.
 *
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

/* The SQL tools (gauge-store-private.h): all called with the lock held. */

gboolean
_gauge_store_is_corrupt (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

gboolean
_gauge_store_is_busy (int rc)
{
  return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* The error of the statement that just failed on db. A damaged file is noted here, for
 * every part of the store: _gauge_store_unlock() moves it aside before another statement runs. */
void
_gauge_store_set_query_error (GaugeStore  *self,
                              GError     **error)
{
  int rc = sqlite3_extended_errcode (self->db);

  if (self->moved && rc == SQLITE_CONSTRAINT_COMMITHOOK)
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED,
                 _("The history database %s was moved aside by another process while this "
                   "one wrote to it; nothing was written"),
                 self->path);
  else if (_gauge_store_is_corrupt (rc))
    {
      self->damaged = TRUE;
      g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED,
                   _("The history database %s is damaged: %s"),
                   self->path, sqlite3_errmsg (self->db));
    }
  else if ((rc & 0xff) == SQLITE_BUSY)
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_QUERY,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The history database %s stayed locked by another process for more "
                              "than %d second",
                              "The history database %s stayed locked by another process for more "
                              "than %d seconds", BUSY_TIMEOUT_MS / 1000),
                 self->path, BUSY_TIMEOUT_MS / 1000);
  else
    g_set_error (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_QUERY,
                 _("Could not update the history database %s: %s"),
                 self->path, sqlite3_errmsg (self->db));
}

gboolean
_gauge_store_exec (GaugeStore  *self,
                   const char  *sql,
                   GError     **error)
{
  return _gauge_store_steps_ended (self, sqlite3_exec (self->db, sql, NULL, NULL, NULL), SQLITE_OK,
                                   error);
}

/* One step of @stmt that must give @expected (SQLITE_ROW or SQLITE_DONE). */
gboolean
_gauge_store_step (GaugeStore    *self,
                   sqlite3_stmt  *stmt,
                   int            expected,
                   GError       **error)
{
  return _gauge_store_steps_ended (self, sqlite3_step (stmt), expected, error);
}

/* @rc, the last step's code, is @expected: the step (or the loop of steps) did not fail. */
gboolean
_gauge_store_steps_ended (GaugeStore  *self,
                          int          rc,
                          int          expected,
                          GError     **error)
{
  if (rc != expected)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * _gauge_store_prepare:
 *
 * Returns: (transfer full): the statement, for the caller to finalize (g_autoptr), or %NULL
 *   with @error set
 */
sqlite3_stmt *
_gauge_store_prepare (GaugeStore  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  return stmt;
}

/**
 * _gauge_store_prepare_cached:
 * @sql: a string that lives as long as the program: statements are kept by its address
 *
 * For statements a hot path runs again and again (the index's writes): prepared
 * once per connection and kept by the store, so never finalize one. Returned
 * reset and without bindings.
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

/* The write lock at once (waiting for it up to the busy timeout), not at the first write: a
 * transaction that read first fails at once there when another process wrote since. */
gboolean
_gauge_store_begin (GaugeStore  *self,
                    GError     **error)
{
  return _gauge_store_exec (self, "BEGIN IMMEDIATE", error);
}

/* Fails harmlessly when sqlite already rolled back (e.g. disk full). The statements the
 * store keeps are left as the failure found them: reset first. */
void
_gauge_store_rollback (GaugeStore *self)
{
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (self->db, NULL); stmt != NULL;
       stmt = sqlite3_next_stmt (self->db, stmt))
    if (sqlite3_stmt_busy (stmt))
      sqlite3_reset (stmt);

  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
_gauge_store_commit_or_rollback (GaugeStore  *self,
                                 gboolean     ok,
                                 GError     **error)
{
  if (ok && !_gauge_store_exec (self, "COMMIT", error))
    ok = FALSE;
  if (!ok)
    _gauge_store_rollback (self);

  return ok;
}

/* Opening. */

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
void
_gauge_store_set_open_error (GaugeStore  *self,
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
GaugeStoreOpenResult
_gauge_store_open_failed (GaugeStore  *self,
                          int          rc,
                          GError     **error)
{
  if (_gauge_store_is_corrupt (rc))
    return GAUGE_STORE_OPEN_CORRUPT;

  _gauge_store_set_open_error (self, rc, sqlite3_system_errno (self->db),
                               sqlite3_errmsg (self->db), error);
  return GAUGE_STORE_OPEN_FAILED;
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
static GaugeStoreOpenResult
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
      return GAUGE_STORE_OPEN_FAILED;
    }

  /* Two processes may create it at once: both then open the same file. */
  fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
  if (fd == -1)
    {
      int saved_errno = errno;

      _gauge_store_set_open_error (self, 0, saved_errno, g_strerror (saved_errno), error);
      return GAUGE_STORE_OPEN_FAILED;
    }

  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      g_close (fd, NULL);
      _gauge_store_set_open_error (self, 0, 0, _("not a regular file"), error);
      return GAUGE_STORE_OPEN_FAILED;
    }

  /* A file from elsewhere (a backup, an older build) may be too open. */
  if ((st->st_mode & 077) != 0)
    {
      if (fchmod (fd, st->st_mode & 0700) != 0)
        g_debug ("Could not restrict %s: %s", self->path, g_strerror (errno));
    }

  is_sqlite = has_sqlite_header (fd);
  g_close (fd, NULL);

  return is_sqlite ? GAUGE_STORE_OPEN_OK : GAUGE_STORE_OPEN_CORRUPT;
}
/* Settings of this connection, then the schema: waits (a bounded time) for the process
 * that is creating or migrating the same file rather than racing it. */
static GaugeStoreOpenResult
setup (GaugeStore  *self,
       GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  int persist = 1;
  int version = 0;
  GaugeStoreOpenResult res;

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_commit_hook (self->db, commit_hook_cb, self);
  /* Closing never deletes the -wal and -shm by name (it truncates the -wal instead): once
   * another process moved this file aside, those names are the new database's. */
  sqlite3_file_control (self->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
  if (!_gauge_store_add_entry_functions (self->db) || !_gauge_store_add_account_functions (self->db))
    return _gauge_store_open_failed (self, sqlite3_extended_errcode (self->db), error);

  /* Before anything writes: a database from a newer version stays untouched. */
  res = _gauge_store_check_schema (self, self->db, deadline, &version, error);
  if (res != GAUGE_STORE_OPEN_OK)
    return res;

  if (sqlite3_exec (self->db,
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA journal_size_limit=67108864;",
                    NULL, NULL, NULL) != SQLITE_OK)
    return _gauge_store_open_failed (self, sqlite3_extended_errcode (self->db), error);

  return _gauge_store_migrate (self, self->db, deadline, version, error);
}

static GaugeStoreOpenResult
open_db (GaugeStore  *self,
         GError     **error)
{
  struct stat st;
  GaugeStoreOpenResult res;
  int rc;

  g_assert (self->db == NULL);

  res = create_file (self, &st, error);
  if (res != GAUGE_STORE_OPEN_OK)
    return res;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      if (self->db != NULL)
        _gauge_store_set_open_error (self, rc, sqlite3_system_errno (self->db),
                                     sqlite3_errmsg (self->db), error);
      else
        _gauge_store_set_open_error (self, rc, 0, sqlite3_errstr (rc), error);
      return GAUGE_STORE_OPEN_FAILED;
    }

  /* The file sqlite opened is the one create_file() checked, unless it was moved aside
   * in between. */
  self->db_device = st.st_dev;
  self->db_inode = st.st_ino;
  if (!names_open_file (self))
    return GAUGE_STORE_OPEN_MOVED;

  return setup (self, error);
}

/* Recovery: a damaged file is moved aside, never deleted. */

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
  GaugeStoreOpenResult res = GAUGE_STORE_OPEN_FAILED;

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
      if (res == GAUGE_STORE_OPEN_OK || res == GAUGE_STORE_OPEN_FAILED)
        break;

      if (res == GAUGE_STORE_OPEN_CORRUPT && recovered)
        {
          _gauge_store_set_open_error (self, 0, 0, _("the new database is damaged too"), error);
          res = GAUGE_STORE_OPEN_FAILED;
          break;
        }
      if (res == GAUGE_STORE_OPEN_CORRUPT)
        {
          if (!recover_locked (self, error))
            return FALSE;
          recovered = TRUE;
        }
      close_db (self);
    }

  if (res == GAUGE_STORE_OPEN_MOVED)
    _gauge_store_set_open_error (self, SQLITE_BUSY, 0, _("another process kept moving it"), error);

  if (res != GAUGE_STORE_OPEN_OK)
    {
      close_db (self);
      return FALSE;
    }

  return TRUE;
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
  _gauge_store_unlock (self);

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
  ok = ensure_open_locked (self, error) &&
       (stmt = _gauge_store_prepare (self, "PRAGMA quick_check", error)) != NULL;
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

          _gauge_store_set_query_error (self, &check_error);
          if (!self->damaged)
            {
              g_propagate_error (error, g_steal_pointer (&check_error));
              ok = FALSE;
            }
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _gauge_store_unlock (self);

  /* A damaged file was moved aside on unlock: start the new one now. */
  return ok && gauge_store_open (self, error);
}

/* The lock (gauge-store-private.h). */

sqlite3 *
_gauge_store_lock (GaugeStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  if (!ensure_open_locked (self, error))
    {
      _gauge_store_unlock (self);
      return NULL;
    }

  return self->db;
}

void
_gauge_store_unlock (GaugeStore *self)
{
  if (self->damaged)
    {
      g_autoptr(GError) error = NULL;

      if (!recover_locked (self, &error))
        g_warning ("%s", error->message);
    }

  g_mutex_unlock (&self->mutex);
}

gboolean
_gauge_store_write_again (GaugeStore          *self,
                          GaugeStoreWriteFunc  write,
                          gconstpointer        data,
                          GError             **error)
{
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      sqlite3 *db = _gauge_store_lock (self, &local_error);
      gboolean ret = db != NULL && write (self, db, data, &local_error);

      if (db != NULL)
        _gauge_store_unlock (self);

      if (ret || attempt == 2 ||
          !g_error_matches (local_error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return ret;
        }
    }
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
  gauge_worker_run_in_thread (task, func);
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
