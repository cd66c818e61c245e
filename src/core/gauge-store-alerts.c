/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-alerts"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store-alerts-private.h"
#include "gauge-store-private.h"

/* The alerts_sent table: which notifications went out, so none goes out twice. */

gboolean
gauge_store_has_alert (GaugeStore  *self,
                       const char  *key,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ret = FALSE;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _gauge_store_lock (self, error);
  if (db == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM alerts_sent WHERE key = ?", -1, &stmt, NULL)
      != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    ret = TRUE;
  else if (rc != SQLITE_DONE)
    _gauge_store_set_query_error (self, error);

out:
  _gauge_store_unlock (self);

  return ret;
}

/* Adding a key twice keeps the first time it was sent. */
gboolean
gauge_store_add_alert (GaugeStore  *self,
                       const char  *key,
                       gint64       sent_at_unix,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ret = FALSE;
  sqlite3 *db;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  db = _gauge_store_lock (self, error);
  if (db == NULL)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO alerts_sent (key, sent_at) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sent_at_unix);
  ret = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ret)
    _gauge_store_set_query_error (self, error);

out:
  _gauge_store_unlock (self);

  return ret;
}

static void
array_unref (gpointer data)
{
  g_array_unref (data);
}

/**
 * gauge_store_load_alert_readings:
 * @since_unix: the oldest fetch to include
 * @until_unix: the newest fetch to include
 *
 * Returns: (transfer full) (element-type utf8 GArray): window id → its
 *   readings (GaugeAlertReading), oldest first; %NULL with @error set
 */
GHashTable *
gauge_store_load_alert_readings (GaugeStore  *self,
                                 gint64       since_unix,
                                 gint64       until_unix,
                                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ret = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  db = _gauge_store_lock (self, error);
  if (db == NULL)
    return NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT r.window, f.fetched_at, r.utilization, r.resets_at"
                          " FROM fetches f JOIN readings r ON r.fetch_id = f.id"
                          " WHERE f.fetched_at BETWEEN ? AND ?"
                          " ORDER BY f.fetched_at, f.id",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _gauge_store_set_query_error (self, error);
      goto out;
    }

  sqlite3_bind_int64 (stmt, 1, since_unix);
  sqlite3_bind_int64 (stmt, 2, until_unix);

  ret = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, array_unref);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *window = (const char *) sqlite3_column_text (stmt, 0);
      GaugeAlertReading reading;
      GArray *readings;

      if (window == NULL)
        continue;

      reading.at_unix = sqlite3_column_int64 (stmt, 1);
      reading.utilization = sqlite3_column_double (stmt, 2);
      reading.resets_at_unix = sqlite3_column_type (stmt, 3) == SQLITE_NULL
                               ? 0 : sqlite3_column_int64 (stmt, 3);

      readings = g_hash_table_lookup (ret, window);
      if (readings == NULL)
        {
          readings = g_array_new (FALSE, FALSE, sizeof (GaugeAlertReading));
          g_hash_table_insert (ret, g_strdup (window), readings);
        }
      g_array_append_val (readings, reading);
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
