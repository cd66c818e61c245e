/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-entries"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sqlite3.h>

#include "gauge-store.h"
#include "gauge-store-entries-private.h"
#include "gauge-store-private.h"

/*
 * The transcript index in the history database (tables from schema 2):
 * transcript_files says how far each file was read, entries holds one row
 * per (message.id, requestId), or per line for lines without both.
 */

#ifndef CACHE_KIB
#define CACHE_KIB 8192
#endif

#define TOTAL(t) t ".input_tokens + " t ".output_tokens + " t ".cache_creation_5m_tokens + " \
                 t ".cache_creation_1h_tokens + " t ".cache_read_tokens"

/* The dedup rule of api-facts.md §4: the non-sidechain copy, then the larger token total;
 * on a tie the row already stored stays. */
static const char upsert_sql[] =
  "INSERT INTO entries (file_id, message_id, request_id, timestamp, session_id, project, model,"
  " speed, is_sidechain, input_tokens, output_tokens, cache_creation_5m_tokens,"
  " cache_creation_1h_tokens, cache_read_tokens, cost_usd)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
  " ON CONFLICT (message_id, request_id)"
  "  WHERE message_id IS NOT NULL AND request_id IS NOT NULL"
  " DO UPDATE SET file_id = excluded.file_id, timestamp = excluded.timestamp,"
  "  session_id = excluded.session_id, project = excluded.project, model = excluded.model,"
  "  speed = excluded.speed, is_sidechain = excluded.is_sidechain,"
  "  input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,"
  "  cache_creation_5m_tokens = excluded.cache_creation_5m_tokens,"
  "  cache_creation_1h_tokens = excluded.cache_creation_1h_tokens,"
  "  cache_read_tokens = excluded.cache_read_tokens, cost_usd = excluded.cost_usd"
  " WHERE excluded.is_sidechain < entries.is_sidechain"
  "  OR (excluded.is_sidechain = entries.is_sidechain"
  "      AND " TOTAL ("excluded") " > " TOTAL ("entries") ")";

void
_gauge_transcript_file_free (GaugeTranscriptFile *file)
{
  if (file == NULL)
    return;

  g_free (file->path);
  g_free (file);
}

static sqlite3_stmt *
prepare (GaugeStore  *self,
         sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  return stmt;
}

static void
rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * _gauge_store_load_transcript_files:
 *
 * Returns: (transfer full): path → #GaugeTranscriptFile, or %NULL with @error set
 */
GHashTable *
_gauge_store_load_transcript_files (GaugeStore  *self,
                                    GError     **error)
{
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  if (!(db = _gauge_store_lock (self, error)))
    return NULL;

  stmt = prepare (self, db,
                  "SELECT id, path, device, inode, size, mtime, offset, malformed"
                  " FROM transcript_files",
                  error);
  if (stmt == NULL)
    {
      _gauge_store_unlock (self);
      return NULL;
    }

  files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) _gauge_transcript_file_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeTranscriptFile *file = g_new0 (GaugeTranscriptFile, 1);

      file->id = sqlite3_column_int64 (stmt, 0);
      file->path = dup_column (stmt, 1);
      file->device = sqlite3_column_int64 (stmt, 2);
      file->inode = sqlite3_column_int64 (stmt, 3);
      file->size = sqlite3_column_int64 (stmt, 4);
      file->mtime_us = sqlite3_column_int64 (stmt, 5);
      file->offset = sqlite3_column_int64 (stmt, 6);
      file->malformed = sqlite3_column_int64 (stmt, 7);
      g_hash_table_replace (files, file->path, file);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      g_clear_pointer (&files, g_hash_table_unref);
    }

  _gauge_store_unlock (self);

  return g_steal_pointer (&files);
}

static gboolean
save_file_locked (GaugeStore           *self,
                  sqlite3              *db,
                  GaugeTranscriptFile  *file,
                  GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) drop = NULL;

  stmt = prepare (self, db,
                  "INSERT INTO transcript_files (path, device, inode, size, mtime, offset, malformed)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (path) DO UPDATE SET device = excluded.device,"
                  "  inode = excluded.inode, size = excluded.size, mtime = excluded.mtime,"
                  "  offset = excluded.offset, malformed = excluded.malformed"
                  " RETURNING id",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, file->path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, file->device);
  sqlite3_bind_int64 (stmt, 3, file->inode);
  sqlite3_bind_int64 (stmt, 4, file->size);
  sqlite3_bind_int64 (stmt, 5, file->mtime_us);
  sqlite3_bind_int64 (stmt, 6, file->offset);
  sqlite3_bind_int64 (stmt, 7, file->malformed);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }
  file->id = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  if (!file->reset)
    return TRUE;

  /* Keyed entries stay: reading the file again merges into them. Unkeyed ones would double. */
  drop = prepare (self, db,
                  "DELETE FROM entries WHERE file_id = ?"
                  " AND (message_id IS NULL OR request_id IS NULL)",
                  error);
  if (drop == NULL)
    return FALSE;

  sqlite3_bind_int64 (drop, 1, file->id);
  if (sqlite3_step (drop) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  file->reset = FALSE;
  return TRUE;
}

static gboolean
upsert_entry (sqlite3_stmt          *stmt,
              const GaugeUsageEntry *entry,
              gint64                 file_id)
{
  sqlite3_reset (stmt);

  if (file_id > 0)
    sqlite3_bind_int64 (stmt, 1, file_id);
  else
    sqlite3_bind_null (stmt, 1);
  bind_text_or_null (stmt, 2, entry->message_id);
  bind_text_or_null (stmt, 3, entry->request_id);
  sqlite3_bind_int64 (stmt, 4, entry->timestamp_ms);
  bind_text_or_null (stmt, 5, entry->session_id);
  bind_text_or_null (stmt, 6, entry->project);
  bind_text_or_null (stmt, 7, entry->model);
  bind_text_or_null (stmt, 8, entry->fast ? "fast" : NULL);
  sqlite3_bind_int (stmt, 9, entry->is_sidechain ? 1 : 0);
  sqlite3_bind_int64 (stmt, 10, entry->input_tokens);
  sqlite3_bind_int64 (stmt, 11, entry->output_tokens);
  sqlite3_bind_int64 (stmt, 12, entry->cache_creation_5m_tokens);
  sqlite3_bind_int64 (stmt, 13, entry->cache_creation_1h_tokens);
  sqlite3_bind_int64 (stmt, 14, entry->cache_read_tokens);
  if (isnan (entry->cost_usd))
    sqlite3_bind_null (stmt, 15);
  else
    sqlite3_bind_double (stmt, 15, entry->cost_usd);

  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
update_position (sqlite3_stmt              *stmt,
                 const GaugeTranscriptFile *file)
{
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, file->device);
  sqlite3_bind_int64 (stmt, 2, file->inode);
  sqlite3_bind_int64 (stmt, 3, file->size);
  sqlite3_bind_int64 (stmt, 4, file->mtime_us);
  sqlite3_bind_int64 (stmt, 5, file->offset);
  sqlite3_bind_int64 (stmt, 6, file->malformed);
  sqlite3_bind_int64 (stmt, 7, file->id);

  return sqlite3_step (stmt) == SQLITE_DONE;
}

/**
 * _gauge_store_write_entries:
 * @files: (element-type GaugeTranscriptFile): files read since the last write
 * @entries: (element-type GaugeUsageEntry): new entries
 * @file_indexes: (element-type guint): the index in @files of each entry's file
 * @n_changed: (out) (optional): entries inserted or replaced
 *
 * Entries and read positions commit together, so a crash never reads a line twice.
 */
gboolean
_gauge_store_write_entries (GaugeStore  *self,
                            GPtrArray   *files,
                            GArray      *entries,
                            GArray      *file_indexes,
                            guint       *n_changed,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) position = NULL;
  guint changed = 0;
  sqlite3 *db;
  gboolean ok = FALSE;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (files != NULL && entries != NULL && file_indexes != NULL, FALSE);
  g_return_val_if_fail (entries->len == file_indexes->len, FALSE);

  if (!(db = _gauge_store_lock (self, error)))
    return FALSE;

  /* The dedup index takes random keys: with sqlite's default 2 MB cache a batch spills and
   * writes the same pages to the WAL over and over. */
  sqlite3_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), NULL, NULL, NULL);

  if (!(upsert = prepare (self, db, upsert_sql, error)) ||
      !(position = prepare (self, db,
                            "UPDATE transcript_files SET device = ?, inode = ?, size = ?,"
                            " mtime = ?, offset = ?, malformed = ? WHERE id = ?",
                            error)))
    goto out;

  if (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  for (guint i = 0; i < files->len; i++)
    {
      GaugeTranscriptFile *file = g_ptr_array_index (files, i);

      if ((file->id == 0 || file->reset) && !save_file_locked (self, db, file, error))
        goto out;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      guint index = g_array_index (file_indexes, guint, i);
      GaugeTranscriptFile *file;

      g_assert (index < files->len);
      file = g_ptr_array_index (files, index);

      if (!upsert_entry (upsert, &g_array_index (entries, GaugeUsageEntry, i), file->id))
        {
          _gauge_store_set_query_error (self, error);
          goto out;
        }
      changed += sqlite3_changes (db);
    }

  for (guint i = 0; i < files->len; i++)
    {
      if (!update_position (position, g_ptr_array_index (files, i)))
        {
          _gauge_store_set_query_error (self, error);
          goto out;
        }
    }

  if (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  ok = TRUE;
  if (n_changed != NULL)
    *n_changed = changed;

out:
  if (!ok)
    rollback (db);
  _gauge_store_unlock (self);

  return ok;
}

/* For --recalculate: the next pass reads every file from the start. */
gboolean
_gauge_store_clear_index (GaugeStore  *self,
                          GError     **error)
{
  sqlite3 *db;
  gboolean ok = TRUE;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);

  if (!(db = _gauge_store_lock (self, error)))
    return FALSE;

  if (sqlite3_exec (db,
                    "BEGIN IMMEDIATE;"
                    "DELETE FROM entries;"
                    "DELETE FROM transcript_files;"
                    "COMMIT;",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      rollback (db);
      ok = FALSE;
    }

  _gauge_store_unlock (self);

  return ok;
}

/* Returns: the malformed lines of every file read so far, or -1 with @error set. */
gint64
_gauge_store_count_malformed (GaugeStore  *self,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 ret = -1;
  sqlite3 *db;

  g_return_val_if_fail (GAUGE_IS_STORE (self), -1);

  if (!(db = _gauge_store_lock (self, error)))
    return -1;

  stmt = prepare (self, db, "SELECT coalesce(sum(malformed), 0) FROM transcript_files", error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        ret = sqlite3_column_int64 (stmt, 0);
      else
        _gauge_store_set_query_error (self, error);
    }

  _gauge_store_unlock (self);

  return ret;
}

/**
 * gauge_store_load_entries:
 * @since_ms: first timestamp included (unix ms), 0 for no lower bound
 * @until_ms: first timestamp excluded (unix ms), 0 for no upper bound
 *
 * Returns: (transfer full) (element-type GaugeUsageEntry): the deduplicated
 *   entries in [@since_ms, @until_ms), oldest first; %NULL with @error set
 */
GArray *
gauge_store_load_entries (GaugeStore  *self,
                          gint64       since_ms,
                          gint64       until_ms,
                          GError     **error)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(db = _gauge_store_lock (self, error)))
    return NULL;

  stmt = prepare (self, db,
                  "SELECT timestamp, model, session_id, project, message_id, request_id, speed,"
                  " is_sidechain, input_tokens, output_tokens, cache_creation_5m_tokens,"
                  " cache_creation_1h_tokens, cache_read_tokens, cost_usd"
                  " FROM entries"
                  " WHERE timestamp >= ?1 AND (?2 = 0 OR timestamp < ?2)"
                  " ORDER BY timestamp, id",
                  error);
  if (stmt == NULL)
    {
      _gauge_store_unlock (self);
      return NULL;
    }

  sqlite3_bind_int64 (stmt, 1, since_ms > 0 ? since_ms : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, until_ms);

  entries = gauge_usage_entry_array_new ();

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeUsageEntry entry = { 0, };
      const char *speed = (const char *) sqlite3_column_text (stmt, 6);

      entry.timestamp_ms = sqlite3_column_int64 (stmt, 0);
      entry.model = dup_column (stmt, 1);
      entry.session_id = dup_column (stmt, 2);
      entry.project = dup_column (stmt, 3);
      entry.message_id = dup_column (stmt, 4);
      entry.request_id = dup_column (stmt, 5);
      entry.fast = g_strcmp0 (speed, "fast") == 0;
      entry.is_sidechain = sqlite3_column_int (stmt, 7) != 0;
      entry.input_tokens = sqlite3_column_int64 (stmt, 8);
      entry.output_tokens = sqlite3_column_int64 (stmt, 9);
      entry.cache_creation_5m_tokens = sqlite3_column_int64 (stmt, 10);
      entry.cache_creation_1h_tokens = sqlite3_column_int64 (stmt, 11);
      entry.cache_read_tokens = sqlite3_column_int64 (stmt, 12);
      entry.cost_usd = sqlite3_column_type (stmt, 13) == SQLITE_NULL
                       ? NAN : sqlite3_column_double (stmt, 13);
      g_array_append_val (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      g_clear_pointer (&entries, g_array_unref);
    }

  _gauge_store_unlock (self);

  return g_steal_pointer (&entries);
}
