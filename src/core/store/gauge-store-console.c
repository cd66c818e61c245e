/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-console"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store-console-private.h"
#include "gauge-store-private.h"

/* Saving a day twice keeps the newer rows. */
gboolean
gauge_store_save_console_day (GaugeStore  *self,
                              const char  *org_id,
                              const char  *day,
                              const char  *json,
                              gint64       fetched_at_unix,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ret = FALSE;
  sqlite3 *db;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (org_id != NULL && day != NULL && json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _gauge_store_lock (self, error);
  if (db == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db,
                          "INSERT OR REPLACE INTO console_code_days (org_id, day, data, fetched_at)"
                          " VALUES (?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, fetched_at_unix);
  ret = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ret)
    _gauge_store_set_query_error (self, error);

out:
  _gauge_store_unlock (self);

  return ret;
}

/**
 * gauge_store_load_console_days:
 * @first_day: YYYY-MM-DD, included
 * @last_day: YYYY-MM-DD, included
 * @final_after: seconds after its end a day must have been fetched to count:
 *   one fetched earlier may still have changed, and is left out
 *
 * Returns: (transfer full) (element-type utf8 utf8): day → its rows' JSON;
 *   %NULL with @error set
 */
GHashTable *
gauge_store_load_console_days (GaugeStore  *self,
                               const char  *org_id,
                               const char  *first_day,
                               const char  *last_day,
                               gint64       final_after,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ret = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (org_id != NULL && first_day != NULL && last_day != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _gauge_store_lock (self, error);
  if (db == NULL)
    return NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT day, data FROM console_code_days"
                          " WHERE org_id = ? AND day BETWEEN ? AND ?"
                          " AND fetched_at >= CAST(strftime('%s', day) AS INTEGER) + ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, first_day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, last_day, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, final_after);

  ret = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *day = (const char *) sqlite3_column_text (stmt, 0);
      const char *data = (const char *) sqlite3_column_text (stmt, 1);

      if (day != NULL && data != NULL)
        g_hash_table_insert (ret, g_strdup (day), g_strdup (data));
    }

  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      g_clear_pointer (&ret, g_hash_table_unref);
    }

out:
  _gauge_store_unlock (self);

  return g_steal_pointer (&ret);
}
