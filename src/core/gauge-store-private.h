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
 */
sqlite3 *_gauge_store_lock            (GaugeStore  *self,
                                       GError     **error);
void     _gauge_store_unlock          (GaugeStore  *self);
void     _gauge_store_set_query_error (GaugeStore  *self,
                                       GError     **error);
/* Notes in entry_edits (gauge-store-edits.c) that a write replaced or removed entries from
 * @low_ms on (G_MININT64: removed, readers start over). Inside the caller's transaction. */
gboolean _gauge_store_log_entry_edit  (sqlite3     *db,
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
