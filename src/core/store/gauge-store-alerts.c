/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-alerts"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store-alerts.h"
#include "gauge-store-private.h"

/* The alerts_sent table: which notifications went out, so none goes out twice. */

static gboolean
has_alert_locked (GaugeStore  *self,
                  const char  *key,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _gauge_store_prepare (self, "SELECT 1 FROM alerts_sent WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    _gauge_store_set_query_error (self, error);

  return rc == SQLITE_ROW;
}

gboolean
gauge_store_has_alert (GaugeStore  *self,
                       const char  *key,
                       GError     **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ret = has_alert_locked (self, key, error);
  _gauge_store_unlock (self);

  return ret;
}

static gboolean
add_alert_locked (GaugeStore  *self,
                  const char  *key,
                  gint64       sent_at_unix,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self,
                               "INSERT OR IGNORE INTO alerts_sent (key, sent_at) VALUES (?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, sent_at_unix);
  return _gauge_store_step (self, stmt, SQLITE_DONE, error);
}

/* Adding a key twice keeps the first time it was sent. */
gboolean
gauge_store_add_alert (GaugeStore  *self,
                       const char  *key,
                       gint64       sent_at_unix,
                       GError     **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ret = add_alert_locked (self, key, sent_at_unix, error);
  _gauge_store_unlock (self);

  return ret;
}
