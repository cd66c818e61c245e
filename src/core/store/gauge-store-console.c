/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-console"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store-console.h"
#include "gauge-store-private.h"

/* The console_code_days table (schema 4): a finished day of Claude Code usage per organization. */

static gboolean
save_console_day_locked (GaugeStore  *self,
                         const char  *org_id,
                         const char  *day,
                         const char  *json,
                         gint64       fetched_at_unix,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self,
                               "INSERT OR REPLACE INTO console_code_days"
                               " (org_id, day, data, fetched_at) VALUES (?, ?, ?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, fetched_at_unix);
  return _gauge_store_step (self, stmt, SQLITE_DONE, error);
}

/* Saving a day twice keeps the newer rows. */
gboolean
gauge_store_save_console_day (GaugeStore  *self,
                              const char  *org_id,
                              const char  *day,
                              const char  *json,
                              gint64       fetched_at_unix,
                              GError     **error)
{
  gboolean ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (org_id != NULL && day != NULL && json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ret = save_console_day_locked (self, org_id, day, json, fetched_at_unix, error);
  _gauge_store_unlock (self);

  return ret;
}

static GHashTable *
load_console_days_locked (GaugeStore  *self,
                          const char  *org_id,
                          const char  *first_day,
                          const char  *last_day,
                          gint64       final_after,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ret = NULL;
  int rc;

  stmt = _gauge_store_prepare (self,
                               "SELECT day, data FROM console_code_days"
                               " WHERE org_id = ? AND day BETWEEN ? AND ?"
                               " AND fetched_at >= CAST(strftime('%s', day) AS INTEGER) + ?",
                               error);
  if (stmt == NULL)
    return NULL;

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

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  return g_steal_pointer (&ret);
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
  GHashTable *ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (org_id != NULL && first_day != NULL && last_day != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  ret = load_console_days_locked (self, org_id, first_day, last_day, final_after, error);
  _gauge_store_unlock (self);

  return ret;
}
