/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * GaugeStore is split across files by table: gauge-store.c (readings,
 * cooldown, schema), and the files that add their own tables' queries.
 * _gauge_store_lock() opens the database if needed and returns it with the
 * store's mutex held (NULL with @error set, and no lock held, on failure).
 * Call only from worker threads or the CLI, never from the main loop.
 * _gauge_store_set_query_error() notes a damaged file, which _gauge_store_unlock()
 * then moves aside (the error is GAUGE_STORE_ERROR_REPLACED: do it again).
 * _gauge_store_take_replaced(), with the lock held: whether the file was replaced
 * (moved aside, here or by another process) since the last call.
 */
sqlite3 *_gauge_store_lock            (GaugeStore  *self,
                                       GError     **error);
void     _gauge_store_unlock          (GaugeStore  *self);
gboolean _gauge_store_take_replaced   (GaugeStore  *self);
void     _gauge_store_set_query_error (GaugeStore  *self,
                                       GError     **error);
sqlite3_stmt *
         _gauge_store_prepare_cached  (GaugeStore  *self,
                                       const char  *sql,
                                       GError     **error);
/* The SQL functions migrations use, on a new connection (gauge-store-entries.c). */
gboolean _gauge_store_add_entry_functions (sqlite3 *db);
/* Notes in entry_edits (gauge-store-edits.c) that a write replaced or removed entries from
 * @low_ms on (G_MININT64: removed, readers start over). Inside the caller's transaction. */
gboolean _gauge_store_log_entry_edit  (GaugeStore  *self,
                                       gint64       low_ms);

/* The _async halves of the store parts: run @func on a worker thread with @task_data,
 * and take the pointer result back with the same @source_tag. */
void     _gauge_store_run_in_thread   (GaugeStore          *self,
                                       gpointer             source_tag,
                                       GTaskThreadFunc      func,
                                       gpointer             task_data,
                                       GDestroyNotify       task_data_free,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gpointer _gauge_store_propagate       (GaugeStore          *self,
                                       GAsyncResult        *result,
                                       gpointer             source_tag,
                                       GError             **error);

/*
 * The hourly rollup (readings_hourly, migration 6): for each window, hour of
 * fetched_at and period (coalesce(resets_at / 60, -1), as the chart groups
 * readings), the highest reading, the latest among equals. Charts whose
 * buckets span an hour or more read it instead of the readings. A row is
 * written by GAUGE_STORE_ROLLUP_SELECT "<condition on r and f>"
 * GAUGE_STORE_ROLLUP_UPSERT, from the insert trigger, the migration and
 * retention alike. Migration 6 holds these texts: changing them takes a new
 * migration that recreates the trigger and the rows.
 */
#define GAUGE_STORE_ROLLUP_SPAN 3600

#define GAUGE_STORE_ROLLUP_SELECT \
  "INSERT INTO readings_hourly (window, hour, period, utilization, fetched_at, resets_at)" \
  " SELECT r.window, f.fetched_at / 3600, coalesce(r.resets_at / 60, -1), r.utilization," \
  " f.fetched_at, r.resets_at FROM readings r JOIN fetches f ON f.id = r.fetch_id WHERE "

#define GAUGE_STORE_ROLLUP_UPSERT \
  " ON CONFLICT (window, hour, period) DO UPDATE SET utilization = excluded.utilization," \
  " fetched_at = excluded.fetched_at, resets_at = excluded.resets_at" \
  " WHERE excluded.utilization > utilization" \
  " OR (excluded.utilization = utilization AND excluded.fetched_at > fetched_at)"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
