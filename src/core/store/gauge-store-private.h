/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "gauge-local-entry.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * GaugeStore is one object in several files: gauge-store.c (the object, opening, recovery,
 * the lock and the SQL tools below), gauge-store-schema.c (the migrations), and one file per
 * table or group of tables. What those files share, and nothing else, is declared here.
 */

/*
 * The lock. _gauge_store_lock() opens the database if needed and returns it with the
 * store's mutex held (NULL with @error set, and no lock held, on failure). Call only from
 * worker threads or the CLI, never from the main loop. Every tool below but the async pair
 * runs with the lock held.
 * _gauge_store_take_replaced(): whether the file was replaced (moved aside, here or by
 * another process) since the last call.
 */
sqlite3             *_gauge_store_lock                (GaugeStore            *self,
                                                       GError               **error);
void                 _gauge_store_unlock              (GaugeStore            *self);
gboolean             _gauge_store_take_replaced       (GaugeStore            *self);

/* A write that must not be lost: @write runs with the lock held, again in the new file (up to
 * three times) when the old one was found damaged or moved aside by another process. */
typedef gboolean   (*GaugeStoreWriteFunc)             (GaugeStore            *self,
                                                       sqlite3               *db,
                                                       gconstpointer          data,
                                                       GError               **error);
gboolean             _gauge_store_write_again         (GaugeStore            *self,
                                                       GaugeStoreWriteFunc    write,
                                                       gconstpointer          data,
                                                       GError               **error);

/*
 * The SQL tools: each sets @error from the statement that failed, through
 * _gauge_store_set_query_error(), which notes a damaged file for _gauge_store_unlock() to
 * move aside (the error is then GAUGE_STORE_ERROR_REPLACED: do it again).
 * _gauge_store_prepare(): a statement the caller finalizes (g_autoptr).
 * _gauge_store_prepare_cached(): one kept by the store (never finalize it) for a hot path;
 *   @sql must live as long as the program: statements are kept by its address.
 * _gauge_store_begin(): BEGIN IMMEDIATE, the write lock taken at once.
 * _gauge_store_commit_or_rollback(): commits when @ok, else (or when the commit fails) rolls
 *   back; @error is set already when @ok is %FALSE. Returns whether it committed.
 */
void                 _gauge_store_set_query_error     (GaugeStore            *self,
                                                       GError               **error);
sqlite3_stmt        *_gauge_store_prepare             (GaugeStore            *self,
                                                       const char            *sql,
                                                       GError               **error);
sqlite3_stmt        *_gauge_store_prepare_cached      (GaugeStore            *self,
                                                       const char            *sql,
                                                       GError               **error);
/* _gauge_store_step(): steps @stmt once; %FALSE with @error set unless that gave @expected
 *   (SQLITE_ROW or SQLITE_DONE). _gauge_store_steps_ended(): the same for @rc, the code of a
 *   step already taken (the last of a `while (… == SQLITE_ROW)` loop: @expected SQLITE_DONE). */
gboolean             _gauge_store_step                (GaugeStore            *self,
                                                       sqlite3_stmt          *stmt,
                                                       int                    expected,
                                                       GError               **error);
gboolean             _gauge_store_steps_ended         (GaugeStore            *self,
                                                       int                    rc,
                                                       int                    expected,
                                                       GError               **error);
gboolean             _gauge_store_exec                (GaugeStore            *self,
                                                       const char            *sql,
                                                       GError               **error);
gboolean             _gauge_store_begin               (GaugeStore            *self,
                                                       GError               **error);
gboolean             _gauge_store_commit_or_rollback  (GaugeStore            *self,
                                                       gboolean               ok,
                                                       GError               **error);
void                 _gauge_store_rollback            (GaugeStore            *self);

/* The _async halves: run @func on a worker thread with @task_data, and take the pointer
 * result back with the same @source_tag. */
void                 _gauge_store_run_in_thread       (GaugeStore            *self,
                                                       gpointer               source_tag,
                                                       GTaskThreadFunc        func,
                                                       gpointer               task_data,
                                                       GDestroyNotify         task_data_free,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gpointer             _gauge_store_propagate           (GaugeStore            *self,
                                                       GAsyncResult          *result,
                                                       gpointer               source_tag,
                                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/*
 * Opening (gauge-store.c), with the schema (gauge-store-schema.c). A statement of opening
 * that fails is an open error, not a query error: _gauge_store_open_failed() sets it from
 * the connection's last failure, @rc.
 */
typedef enum
{
  GAUGE_STORE_OPEN_OK,
  GAUGE_STORE_OPEN_FAILED,
  GAUGE_STORE_OPEN_CORRUPT,
  GAUGE_STORE_OPEN_MOVED,     /* moved aside by another process while this one opened it */
} GaugeStoreOpenResult;

gboolean             _gauge_store_is_busy             (int                    rc);
gboolean             _gauge_store_is_corrupt          (int                    rc);
void                 _gauge_store_set_open_error      (GaugeStore            *self,
                                                       int                    rc,
                                                       int                    errno_value,
                                                       const char            *reason,
                                                       GError               **error);
GaugeStoreOpenResult _gauge_store_open_failed         (GaugeStore            *self,
                                                       int                    rc,
                                                       GError               **error);
/* Before anything writes: the schema version in *@version, a file from a newer version
 * refused, the journal switched to WAL. Waits for another process until @deadline. */
GaugeStoreOpenResult _gauge_store_check_schema        (GaugeStore            *self,
                                                       sqlite3               *db,
                                                       gint64                 deadline,
                                                       int                   *version,
                                                       GError               **error);
/* Brings the schema from @version up to GAUGE_STORE_SCHEMA_VERSION, once whatever other
 * processes do at the same time. */
GaugeStoreOpenResult _gauge_store_migrate             (GaugeStore            *self,
                                                       sqlite3               *db,
                                                       gint64                 deadline,
                                                       int                    version,
                                                       GError               **error);
/* The SQL functions migrations use, on a new connection (gauge-store-index.c). */
gboolean             _gauge_store_add_entry_functions (sqlite3               *db);
gboolean             _gauge_store_add_account_functions (sqlite3             *db);

/*
 * The hourly rollup (readings_hourly, migration 6, keyed by account since
 * migration 14): for each account, window, hour of fetched_at and period
 * (coalesce(resets_at / 60, -1), as the chart groups readings), the highest
 * reading, the latest among equals. Charts whose buckets span an hour or more
 * read it instead of the readings. A row is written by
 * GAUGE_STORE_ROLLUP_SELECT "<condition on r and f>" GAUGE_STORE_ROLLUP_UPSERT,
 * from the insert trigger, the migration and retention alike. Migration 14
 * holds these texts (migration 6 keeps its own copy of the earlier ones):
 * changing them takes a new migration that recreates the trigger and the rows.
 */
#define GAUGE_STORE_ROLLUP_SPAN 3600

#define GAUGE_STORE_ROLLUP_SELECT \
  "INSERT INTO readings_hourly (window, account, hour, period, utilization, fetched_at," \
  " resets_at) SELECT r.window, f.account, f.fetched_at / 3600, coalesce(r.resets_at / 60, -1)," \
  " r.utilization, f.fetched_at, r.resets_at FROM readings r JOIN fetches f ON f.id = r.fetch_id" \
  " WHERE "

#define GAUGE_STORE_ROLLUP_UPSERT \
  " ON CONFLICT (window, account, hour, period) DO UPDATE SET utilization = excluded.utilization," \
  " fetched_at = excluded.fetched_at, resets_at = excluded.resets_at" \
  " WHERE excluded.utilization > utilization" \
  " OR (excluded.utilization = utilization AND excluded.fetched_at > fetched_at)"

/*
 * The entry_sums table (schema 5, gauge-store-sums.c): the entries summed per
 * 15-minute UTC bucket, model, speed and whether costUSD was present; an entry
 * with a token field above 200k keeps a row of its own. session_sums (schema
 * 12): the same per session (of the entry's file) instead of bucket. A write
 * gathers what it adds to and takes from the entries table in a GaugeEntrySums
 * and applies it in the same transaction, so the sums always equal the entries.
 */
typedef struct _GaugeEntrySums GaugeEntrySums;

/* The entry columns _gauge_entry_sums_add_row() reads, in this order: the last, its file's
 * session (for a statement on the entries table). */
#define GAUGE_ENTRY_SUMS_COLUMNS "id, timestamp, model, speed, input_tokens, output_tokens," \
                                 " cache_creation_5m_tokens, cache_creation_1h_tokens," \
                                 " cache_read_tokens, cost_usd," \
                                 " (SELECT f.session_id FROM transcript_files AS f" \
                                 "  WHERE f.id = entries.file_id)"

GaugeEntrySums      *_gauge_entry_sums_new            (void);
void                 _gauge_entry_sums_free           (GaugeEntrySums        *sums);
/* @session_id: the session of the entry's file, or %NULL; @id: the entry's row id; @sign: 1
 * for an entry stored, -1 for one removed */
void                 _gauge_entry_sums_add            (GaugeEntrySums        *sums,
                                                       const GaugeLocalEntry *entry,
                                                       const char            *session_id,
                                                       gint64                 id,
                                                       int                    sign);
/* The entry in @stmt's columns from @column on (GAUGE_ENTRY_SUMS_COLUMNS) */
void                 _gauge_entry_sums_add_row        (GaugeEntrySums        *sums,
                                                       sqlite3_stmt          *stmt,
                                                       int                    column,
                                                       int                    sign);
/* A stored entry was replaced (@low_ms: the earlier of its old and new time) or removed
 * (G_MININT64): _gauge_entry_sums_apply() tells readers (_gauge_store_log_entry_edit()). */
void                 _gauge_entry_sums_note_edit      (GaugeEntrySums        *sums,
                                                       gint64                 low_ms);
/* Writes what was gathered and starts over. Inside the caller's transaction. */
gboolean             _gauge_entry_sums_apply          (GaugeEntrySums        *sums,
                                                       GaugeStore            *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeEntrySums, _gauge_entry_sums_free)

/* Notes in entry_edits (gauge-store-edits.c) that a write replaced or removed entries from
 * @low_ms on (G_MININT64: removed, readers start over). Inside the caller's transaction. */
gboolean             _gauge_store_log_entry_edit      (GaugeStore            *self,
                                                       gint64                 low_ms);

G_END_DECLS
