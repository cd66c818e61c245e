/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-edits"

#include "config.h"

#include <sqlite3.h>

#include "gauge-store-entries.h"
#include "gauge-store-private.h"

/*
 * The entry_edits table (schema 7): one row per write that replaced or removed
 * entries. Appends need no row: entry ids only grow, so a reader that kept the
 * newest id finds them as the ids above it. A replacement keeps its id, and a
 * removal frees ids that the next append may take again, so those say when
 * they happened. The table lives in the database, not in memory, because the
 * command line indexes the same database from another process.
 */

/* Enough for any reader that looks after each change; one that did not starts over. */
#define KEEP_EDITS 256

/* Adds an edit row inside the caller's transaction. */
gboolean
_gauge_store_log_entry_edit (GaugeStore *self,
                             gint64      low_ms)
{
  static const char insert_sql[] = "INSERT INTO entry_edits (low_ms) VALUES (?1)";
  static const char prune_sql[] = "DELETE FROM entry_edits WHERE seq <= ?1";
  sqlite3_stmt *insert, *prune;
  gint64 seq;

  if (!(insert = _gauge_store_prepare_cached (self, insert_sql, NULL)))
    return FALSE;
  sqlite3_bind_int64 (insert, 1, low_ms);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return FALSE;
  seq = sqlite3_last_insert_rowid (sqlite3_db_handle (insert));

  if (!(prune = _gauge_store_prepare_cached (self, prune_sql, NULL)))
    return FALSE;
  sqlite3_bind_int64 (prune, 1, seq - KEEP_EDITS);
  return sqlite3_step (prune) == SQLITE_DONE;
}

static gboolean
get_entry_changes_locked (GaugeStore         *self,
                          gint64              since_id,
                          gint64              since_edit,
                          GaugeEntryChanges  *changes,
                          GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean replaced;

  stmt = _gauge_store_prepare (self,
                               "SELECT (SELECT ifnull(max(id), 0) FROM entries),"
                               /* By id, not along the timestamp index: only the new rows. */
                               " (SELECT min(timestamp) FROM entries NOT INDEXED"
                               "  WHERE ?1 >= 0 AND id > ?1),"
                               " (SELECT ifnull(max(seq), 0) FROM entry_edits),"
                               " (SELECT min(seq) FROM entry_edits WHERE seq > ?2),"
                               " (SELECT min(low_ms) FROM entry_edits WHERE seq > ?2)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, since_id);
  sqlite3_bind_int64 (stmt, 2, since_edit);
  if (!_gauge_store_step (self, stmt, SQLITE_ROW, error))
    return FALSE;

  replaced = _gauge_store_take_replaced (self);
  changes->last_id = sqlite3_column_int64 (stmt, 0);
  changes->last_edit = sqlite3_column_int64 (stmt, 2);
  changes->low_ms = G_MAXINT64;

  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    changes->low_ms = sqlite3_column_int64 (stmt, 1);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    changes->low_ms = MIN (changes->low_ms, sqlite3_column_int64 (stmt, 4));

  /* No previous look; a new file (a damaged one moved aside); ids that went down (removed,
   * and the reader missed it); edits the table no longer holds: everything may have changed. */
  if (replaced || since_id < 0 || changes->last_id < since_id || changes->last_edit < since_edit ||
      (sqlite3_column_type (stmt, 3) != SQLITE_NULL &&
       sqlite3_column_int64 (stmt, 3) > since_edit + 1))
    changes->low_ms = G_MININT64;

  return TRUE;
}

/**
 * gauge_store_get_entry_changes:
 * @since_id: #GaugeEntryChanges.last_id of the previous look, or -1 for none
 * @since_edit: #GaugeEntryChanges.last_edit of the previous look
 * @changes: (out): what changed since
 *
 * For a reader that keeps what it computed from the entries and takes again
 * only what changed (GaugeLocalUsage): the earliest time an entry was added,
 * replaced or removed at since the previous look, read in one statement. Reads
 * only the entries added since.
 *
 * Returns: %FALSE with @error set when the database cannot be read
 */
gboolean
gauge_store_get_entry_changes (GaugeStore         *self,
                               gint64              since_id,
                               gint64              since_edit,
                               GaugeEntryChanges  *changes,
                               GError            **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ret = get_entry_changes_locked (self, since_id, since_edit, changes, error);
  _gauge_store_unlock (self);

  return ret;
}
