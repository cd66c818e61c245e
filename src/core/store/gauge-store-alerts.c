/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-alerts"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

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
