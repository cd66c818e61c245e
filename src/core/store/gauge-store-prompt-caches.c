/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-prompt-caches"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "gauge-store-private.h"
#include "gauge-store-prompt-caches.h"

/*
 * The prompt_caches table: the latest prompt_cache each Claude Code session passed to
 * --statusline, which many processes write at once. The session id is the primary key, so a
 * session has one row whoever writes; a write never takes an older reading over a newer one
 * (Claude Code cancels runs, so they can finish out of order), and a field the input lacked
 * keeps the value it had. Sessions not seen for two days are dropped on the way.
 */

#define KEEP_MS (2 * 24 * 3600 * G_GINT64_CONSTANT (1000))

static void
bind_known (sqlite3_stmt *stmt,
            int           column,
            gint64        value,
            gboolean      known)
{
  if (known)
    sqlite3_bind_int64 (stmt, column, value);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
record_locked (GaugeStore     *self,
               sqlite3        *db,
               gconstpointer   data,
               GError        **error)
{
  const GaugePromptCache *cache = data;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) prune = NULL;
  gboolean ok = FALSE;

  if (!_gauge_store_begin (self, error))
    return FALSE;

  upsert = _gauge_store_prepare (self,
                                 "INSERT INTO prompt_caches (session_id, name, warm, ttl,"
                                 " expires_at, recache_tokens, updated_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?)"
                                 " ON CONFLICT (session_id) DO UPDATE SET"
                                 "  name = coalesce (excluded.name, name),"
                                 "  warm = coalesce (excluded.warm, warm),"
                                 "  ttl = coalesce (excluded.ttl, ttl),"
                                 "  expires_at = coalesce (excluded.expires_at, expires_at),"
                                 "  recache_tokens = coalesce (excluded.recache_tokens,"
                                 "                             recache_tokens),"
                                 "  updated_at = excluded.updated_at"
                                 " WHERE excluded.updated_at >= updated_at",
                                 error);
  if (upsert == NULL)
    goto out;

  sqlite3_bind_text (upsert, 1, cache->session_id, -1, SQLITE_STATIC);
  if (cache->name != NULL)
    sqlite3_bind_text (upsert, 2, cache->name, -1, SQLITE_STATIC);
  bind_known (upsert, 3, cache->warm, cache->warm != GAUGE_PROMPT_CACHE_WARM_UNKNOWN);
  bind_known (upsert, 4, cache->ttl, cache->ttl > 0);
  bind_known (upsert, 5, cache->expires_at, cache->expires_at > 0);
  bind_known (upsert, 6, cache->recache_tokens, cache->recache_tokens >= 0);
  sqlite3_bind_int64 (upsert, 7, cache->updated_at);
  if (!_gauge_store_step (self, upsert, SQLITE_DONE, error))
    goto out;

  prune = _gauge_store_prepare (self, "DELETE FROM prompt_caches WHERE updated_at < ?", error);
  if (prune == NULL)
    goto out;
  sqlite3_bind_int64 (prune, 1, cache->updated_at - KEEP_MS);
  if (!_gauge_store_step (self, prune, SQLITE_DONE, error))
    goto out;

  ok = TRUE;

out:
  return _gauge_store_commit_or_rollback (self, ok, error);
}

/**
 * gauge_store_record_prompt_cache:
 *
 * Records what --statusline was told of a session's prompt cache, in one transaction.
 */
gboolean
gauge_store_record_prompt_cache (GaugeStore              *self,
                                 const GaugePromptCache  *cache,
                                 GError                 **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (cache != NULL && cache->session_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* As gauge_store_add_snapshot(): into the new file when the old one was moved aside. */
  return _gauge_store_write_again (self, record_locked, cache, error);
}

static GPtrArray *
load_locked (GaugeStore  *self,
             gint64       expiring_after,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) caches = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                gauge_prompt_cache_free);
  int rc;

  stmt = _gauge_store_prepare (self,
                               "SELECT session_id, name, warm, ttl, expires_at, recache_tokens,"
                               " updated_at FROM prompt_caches WHERE expires_at > ?"
                               " ORDER BY expires_at, session_id",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, expiring_after);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugePromptCache *cache = g_new0 (GaugePromptCache, 1);

      cache->session_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      cache->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      cache->warm = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                    ? GAUGE_PROMPT_CACHE_WARM_UNKNOWN
                    : sqlite3_column_int (stmt, 2) != 0 ? GAUGE_PROMPT_CACHE_WARM
                                                        : GAUGE_PROMPT_CACHE_COLD;
      cache->ttl = sqlite3_column_int64 (stmt, 3);
      cache->expires_at = sqlite3_column_int64 (stmt, 4);
      cache->recache_tokens = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                              ? -1 : sqlite3_column_int64 (stmt, 5);
      cache->updated_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (caches, cache);
    }

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  return g_steal_pointer (&caches);
}

/**
 * gauge_store_load_prompt_caches:
 * @expiring_after: unix seconds: only caches that go cold later are read
 *
 * Returns: (transfer full) (element-type GaugePromptCache): the sessions' caches, the first
 *   to go cold first; %NULL with @error set when the database cannot be read
 */
GPtrArray *
gauge_store_load_prompt_caches (GaugeStore  *self,
                                gint64       expiring_after,
                                GError     **error)
{
  GPtrArray *ret = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  ret = load_locked (self, expiring_after, error);
  _gauge_store_unlock (self);

  return ret;
}
