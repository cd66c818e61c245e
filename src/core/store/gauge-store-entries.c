/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-entries"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "gauge-store-entries.h"
#include "gauge-store-private.h"

/*
 * The entries as reports read them, with the session and project of the file each came
 * from (transcript_files). The transcript index writes them (gauge-store-index.c).
 */

static gint
compare_timestamps (gconstpointer a,
                    gconstpointer b)
{
  const GaugeLocalEntry *x = a;
  const GaugeLocalEntry *y = b;

  return (x->timestamp_ms > y->timestamp_ms) - (x->timestamp_ms < y->timestamp_ms);
}

/* A string shared within one load: @chunk holds each text once. Rows come in runs with
 * the same text (one transcript after another): @last, the previous row's, is tried first. */
static char *
pooled_column (sqlite3_stmt  *stmt,
               int            column,
               GStringChunk  *chunk,
               char         **last)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return NULL;
  if (*last == NULL || strcmp (*last, text) != 0)
    *last = g_string_chunk_insert_const (chunk, text);
  return *last;
}

typedef struct
{
  gint64      id;
  const char *session_id;
  const char *project;
  gboolean    in_scope;
} FileSession;

/* The session and project of the files a load meets, their texts in @chunk: all of them
 * read at once for a load of every entry; otherwise each looked up when first met. */
typedef struct
{
  GHashTable   *files;       /* &FileSession.id → FileSession */
  sqlite3_stmt *lookup;      /* NULL when every file was read at once */
  GStringChunk *chunk;
  char         *last[2];
  const GaugeEntryScope *scope;
} FileSessions;

static void
file_sessions_clear (FileSessions *sessions)
{
  g_clear_pointer (&sessions->files, g_hash_table_unref);
  g_clear_pointer (&sessions->lookup, sqlite3_finalize);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FileSessions, file_sessions_clear)

static void
file_sessions_add (FileSessions *sessions,
                   gint64        id,
                   sqlite3_stmt *stmt)
{
  FileSession *file = g_new0 (FileSession, 1);

  file->id = id;
  if (stmt != NULL)
    {
      file->session_id = pooled_column (stmt, 1, sessions->chunk, &sessions->last[0]);
      file->project = pooled_column (stmt, 2, sessions->chunk, &sessions->last[1]);
    }
  file->in_scope = gauge_entry_scope_includes (sessions->scope,
                                               stmt != NULL
                                               ? (const char *) sqlite3_column_text (stmt, 3)
                                               : NULL);
  g_hash_table_replace (sessions->files, &file->id, file);
}

static gboolean
file_sessions_init (FileSessions          *sessions,
                    GaugeStore            *self,
                    gboolean               all,
                    const GaugeEntryScope *scope,
                    GStringChunk          *chunk,
                    GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  sessions->files = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  sessions->chunk = chunk;
  sessions->scope = scope;

  if (!all)
    {
      sessions->lookup = _gauge_store_prepare (self,
                                               "SELECT id, session_id, project, folder"
                                               " FROM transcript_files WHERE id = ?",
                                               error);
      return sessions->lookup != NULL;
    }

  stmt = _gauge_store_prepare (self,
                               "SELECT id, session_id, project, folder FROM transcript_files",
                               error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    file_sessions_add (sessions, sqlite3_column_int64 (stmt, 0), stmt);
  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* The file @id, or %NULL when there is none or a lookup failed. */
static const FileSession *
file_sessions_find (FileSessions *sessions,
                    gint64        id)
{
  const FileSession *file = g_hash_table_lookup (sessions->files, &id);

  if (file == NULL && sessions->lookup != NULL)
    {
      sqlite3_reset (sessions->lookup);
      sqlite3_bind_int64 (sessions->lookup, 1, id);
      file_sessions_add (sessions, id,
                         sqlite3_step (sessions->lookup) == SQLITE_ROW ? sessions->lookup : NULL);
      file = g_hash_table_lookup (sessions->files, &id);
    }

  return file;
}

static gboolean
sorted_by_time (GArray *entries)
{
  for (guint i = 1; i < entries->len; i++)
    if (g_array_index (entries, GaugeLocalEntry, i).timestamp_ms <
        g_array_index (entries, GaugeLocalEntry, i - 1).timestamp_ms)
      return FALSE;
  return TRUE;
}

/* Everything: one pass over the table in rowid order, sorted afterwards (stable: ties stay
 * in rowid order, as with the index), rather than a random read per row through the index. */
static gboolean
is_whole (gint64 since_ms,
          gint64 until_ms)
{
  return since_ms <= 0 && until_ms == 0;
}

/* @chunk: where the strings go, once each (an owning load then copies them per entry).
 * @scope: (nullable): whose entries; an entry of no file is no folder's. */
static GArray *
load_entries_locked (GaugeStore            *self,
                     const GaugeEntryScope *scope,
                     gint64                 since_ms,
                     gint64                 until_ms,
                     gboolean               with_sessions,
                     gboolean               owning,
                     GStringChunk          *chunk,
                     GError               **error)
{
  g_autoptr(GArray) entries = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_auto(FileSessions) files = { NULL, };
  gboolean whole = is_whole (since_ms, until_ms);
  char *last_model = NULL;
  int rc;

#define COLUMNS "SELECT timestamp, model, file_id, speed, is_sidechain, input_tokens," \
                " output_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens," \
                " cache_read_tokens, cost_usd FROM entries"
  stmt = _gauge_store_prepare (self,
                               whole ? COLUMNS " WHERE ?1 = ?1 AND ?2 = ?2 ORDER BY id"
                                     : COLUMNS " WHERE timestamp >= ?1"
                                               " AND (?2 = 0 OR timestamp < ?2)"
                                               " ORDER BY timestamp, id",
                               error);
#undef COLUMNS
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, since_ms > 0 ? since_ms : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, until_ms);

  /* A scope needs each entry's file too, for its folder. */
  with_sessions = with_sessions || scope != NULL;
  if (with_sessions && !file_sessions_init (&files, self, whole, scope, chunk, error))
    return NULL;

  if (owning)
    entries = gauge_local_entry_array_new ();
  else
    entries = g_array_new (FALSE, TRUE, sizeof (GaugeLocalEntry));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeLocalEntry *entry;
      const char *speed = (const char *) sqlite3_column_text (stmt, 3);
      const FileSession *file = NULL;

      if (with_sessions && sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        file = file_sessions_find (&files, sqlite3_column_int64 (stmt, 2));
      if (scope != NULL && (file != NULL ? !file->in_scope
                                         : !gauge_entry_scope_includes (scope, NULL)))
        continue;

      g_array_set_size (entries, entries->len + 1);
      entry = &g_array_index (entries, GaugeLocalEntry, entries->len - 1);
      entry->timestamp_ms = sqlite3_column_int64 (stmt, 0);
      entry->model = pooled_column (stmt, 1, chunk, &last_model);
      if (file != NULL)
        {
          entry->session_id = (char *) file->session_id;
          entry->project = (char *) file->project;
        }
      if (owning)
        {
          entry->model = g_strdup (entry->model);
          entry->session_id = g_strdup (entry->session_id);
          entry->project = g_strdup (entry->project);
        }
      entry->fast = speed != NULL && strcmp (speed, "fast") == 0;
      entry->is_sidechain = sqlite3_column_int (stmt, 4) != 0;
      entry->input_tokens = sqlite3_column_int64 (stmt, 5);
      entry->output_tokens = sqlite3_column_int64 (stmt, 6);
      entry->cache_creation_5m_tokens = sqlite3_column_int64 (stmt, 7);
      entry->cache_creation_1h_tokens = sqlite3_column_int64 (stmt, 8);
      entry->cache_read_tokens = sqlite3_column_int64 (stmt, 9);
      entry->cost_usd = sqlite3_column_type (stmt, 10) == SQLITE_NULL
                        ? NAN : sqlite3_column_double (stmt, 10);
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * gauge_store_load_entries:
 * @since_ms: first timestamp included (unix ms), 0 for no lower bound
 * @until_ms: first timestamp excluded (unix ms), 0 for no upper bound
 *
 * Returns: (transfer full) (element-type GaugeLocalEntry): the deduplicated
 *   entries in [@since_ms, @until_ms), oldest first, each owning its strings;
 *   %NULL with @error set
 */
GArray *
gauge_store_load_entries (GaugeStore  *self,
                          gint64       since_ms,
                          gint64       until_ms,
                          GError     **error)
{
  return gauge_store_load_scoped_entries (self, NULL, since_ms, until_ms,
                                          GAUGE_STORE_LOAD_SESSIONS, NULL, error);
}

/**
 * gauge_store_load_entries_shared:
 * @flags: %GAUGE_STORE_LOAD_SESSIONS to fill session_id and project (%NULL otherwise)
 * @strings: (out) (transfer full): the pool every string of the entries points into
 *
 * As gauge_store_load_entries(), but the entries own no strings: each text is
 * held once in @strings, which the caller frees with g_string_chunk_free() after
 * the array (which has no clear function). For reports: far fewer allocations.
 *
 * Returns: (transfer full) (element-type GaugeLocalEntry): the entries, or %NULL
 *   with @error set (then @strings is %NULL)
 */
GArray *
gauge_store_load_entries_shared (GaugeStore          *self,
                                 gint64               since_ms,
                                 gint64               until_ms,
                                 GaugeStoreLoadFlags  flags,
                                 GStringChunk       **strings,
                                 GError             **error)
{
  g_return_val_if_fail (strings != NULL, NULL);

  return gauge_store_load_scoped_entries (self, NULL, since_ms, until_ms, flags, strings, error);
}

/**
 * gauge_store_load_scoped_entries:
 * @scope: (nullable): whose entries (the transcripts of which config folders), %NULL for
 *   every folder's
 * @strings: (out) (optional) (transfer full): as gauge_store_load_entries_shared() has it;
 *   %NULL for entries that own their strings (as gauge_store_load_entries())
 *
 * As gauge_store_load_entries() or gauge_store_load_entries_shared(), only @scope's entries.
 *
 * Returns: (transfer full) (element-type GaugeLocalEntry): the entries, or %NULL with
 *   @error set
 */
GArray *
gauge_store_load_scoped_entries (GaugeStore            *self,
                                 const GaugeEntryScope *scope,
                                 gint64                 since_ms,
                                 gint64                 until_ms,
                                 GaugeStoreLoadFlags    flags,
                                 GStringChunk         **strings,
                                 GError               **error)
{
  GArray *entries;
  GStringChunk *chunk;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strings != NULL)
    *strings = NULL;

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  /* The strings are the files' (the session and project) or few (models). */
  chunk = g_string_chunk_new (64 * 1024);
  entries = load_entries_locked (self, scope, since_ms, until_ms,
                                 strings == NULL || (flags & GAUGE_STORE_LOAD_SESSIONS) != 0,
                                 strings == NULL, chunk, error);
  _gauge_store_unlock (self);

  if (entries != NULL && is_whole (since_ms, until_ms) && !sorted_by_time (entries))
    g_array_sort (entries, compare_timestamps);

  if (strings != NULL && entries != NULL)
    *strings = g_steal_pointer (&chunk);
  g_clear_pointer (&chunk, g_string_chunk_free);

  return entries;
}
