/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-cooldown"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-clock.h"
#include "gauge-store-cooldown.h"
#include "gauge-store-private.h"

/*
 * The request gate's state per token (a hash of it, never the token), kept twice: in the
 * cooldown table and in a small file in $XDG_STATE_HOME/claude-gauge/. The file holds the
 * cooldown when the database cannot be written or opened (a read-only disk or folder, a
 * file from a newer version): a forgotten 429 makes every --status ask again. Whichever of
 * the two was saved last is the gate.
 */

/* A state file is about 80 bytes; anything much bigger is not one. */
#define STATE_FILE_MAX 4096
#define GROUP "cooldown"

typedef struct
{
  char            *key;
  GaugeGateReason  reason;
  gint64           until_unix;
  guint            level;
  gint64           updated_at;
} GateState;

static gboolean
gate_state_equal (const GateState *a,
                  const GateState *b)
{
  return a->reason == b->reason && a->until_unix == b->until_unix && a->level == b->level;
}

/* $XDG_STATE_HOME/claude-gauge/cooldown-<key>; keys are hex hashes, "console:" a prefix. */
static char *
state_file_path (const char *key)
{
  g_autofree char *name = g_strconcat ("cooldown-", key, NULL);

  g_strcanon (name, G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "-_", '_');
  return g_build_filename (g_get_user_state_dir (), "claude-gauge", name, NULL);
}

/* Bounded and never blocking: only a regular file of ours is read. */
static gboolean
read_state_file (const char *key,
                 GateState  *state)
{
  g_autofree char *path = state_file_path (key);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  char data[STATE_FILE_MAX + 1];
  struct stat st;
  gssize n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
  if (fd == -1)
    {
      if (errno != ENOENT)
        g_debug ("Could not read %s: %s", path, g_strerror (errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > STATE_FILE_MAX)
    {
      g_debug ("%s is not a cooldown file", path);
      g_close (fd, NULL);
      return FALSE;
    }

  do
    n = read (fd, data, sizeof data - 1);
  while (n == -1 && errno == EINTR);
  g_close (fd, NULL);
  if (n < 0)
    return FALSE;

  if (!g_key_file_load_from_data (file, data, n, G_KEY_FILE_NONE, &error))
    {
      g_debug ("%s: %s", path, error->message);
      return FALSE;
    }

  state->reason = (GaugeGateReason) g_key_file_get_integer (file, GROUP, "reason", NULL);
  state->until_unix = g_key_file_get_int64 (file, GROUP, "until", NULL);
  state->level = (guint) CLAMP (g_key_file_get_int64 (file, GROUP, "level", NULL), 0, G_MAXUINT);
  state->updated_at = g_key_file_get_int64 (file, GROUP, "updated-at", NULL);

  return TRUE;
}

/* Atomic (a new file renamed over the old one): readers in other processes see the old state
 * or the new one. Not written when it already says the same. */
static gboolean
write_state_file (const GateState  *state,
                  GError          **error)
{
  g_autofree char *path = state_file_path (state->key);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  GateState old = { 0 };

  if (read_state_file (state->key, &old) && gate_state_equal (&old, state))
    return TRUE;

  /* Nothing to remember, and nothing was. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && state->reason == GAUGE_GATE_OPEN &&
      state->level == 0)
    return TRUE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_strdup_printf ("[" GROUP "]\n"
                          "reason=%d\n"
                          "until=%" G_GINT64_FORMAT "\n"
                          "level=%u\n"
                          "updated-at=%" G_GINT64_FORMAT "\n",
                          state->reason, state->until_unix, state->level, state->updated_at);

  return g_file_set_contents_full (path, data, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* With the lock held. */
static gboolean
read_table (GaugeStore  *self,
            GateState   *state,
            gboolean    *found,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _gauge_store_prepare (self,
                               "SELECT reason, until, level, updated_at FROM cooldown"
                               " WHERE token_hash = ?",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, state->key, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  *found = rc == SQLITE_ROW;
  if (*found)
    {
      state->reason = (GaugeGateReason) sqlite3_column_int (stmt, 0);
      state->until_unix = sqlite3_column_int64 (stmt, 1);
      state->level = (guint) CLAMP (sqlite3_column_int64 (stmt, 2), 0, G_MAXUINT);
      state->updated_at = sqlite3_column_int64 (stmt, 3);
    }
  else if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  return TRUE;
}

/* With the lock held. */
static gboolean
write_table (GaugeStore       *self,
             const GateState  *state,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self,
                               "INSERT INTO cooldown (token_hash, reason, until, level, updated_at)"
                               " VALUES (?, ?, ?, ?, ?)"
                               " ON CONFLICT (token_hash) DO UPDATE SET reason = excluded.reason,"
                               " until = excluded.until, level = excluded.level,"
                               " updated_at = excluded.updated_at",
                               error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, state->key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, state->reason);
  sqlite3_bind_int64 (stmt, 3, state->until_unix);
  sqlite3_bind_int64 (stmt, 4, state->level);
  sqlite3_bind_int64 (stmt, 5, state->updated_at);
  return _gauge_store_step (self, stmt, SQLITE_DONE, error);
}

/**
 * gauge_store_load_gate:
 * @token_hash: a hash of the token, never the token
 *
 * The gate as last saved, in the database or (when that cannot be read) in the cooldown file.
 *
 * Returns: (transfer full): the persisted gate, or an open one when none was saved; %NULL
 *   with @error set when the database cannot be read and there is no cooldown file
 */
GaugeRateGate *
gauge_store_load_gate (GaugeStore  *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GError) table_error = NULL;
  GateState table = { (char *) token_hash, 0 };
  GateState file = { (char *) token_hash, 0 };
  const GateState *latest = NULL;
  gboolean in_table = FALSE, in_file, table_ok = FALSE;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (token_hash != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in_file = read_state_file (token_hash, &file);

  if (_gauge_store_lock (self, &table_error) != NULL)
    {
      table_ok = read_table (self, &table, &in_table, &table_error);
      _gauge_store_unlock (self);
    }

  if (!table_ok && !in_file)
    {
      g_propagate_error (error, g_steal_pointer (&table_error));
      return NULL;
    }
  if (!table_ok)
    g_debug ("The cooldown comes from its file: %s", table_error->message);

  /* The one saved last; at the same second, the longer wait. */
  if (in_table && in_file)
    latest = file.updated_at > table.updated_at ||
             (file.updated_at == table.updated_at && file.until_unix > table.until_unix)
             ? &file : &table;
  else if (in_table || in_file)
    latest = in_table ? &table : &file;

  if (latest != NULL)
    gauge_rate_gate_restore (gate, latest->reason, latest->until_unix, latest->level);

  return g_steal_pointer (&gate);
}

/**
 * gauge_store_save_gate:
 * @token_hash: a hash of the token, never the token
 *
 * Persists the gate's state so a restart keeps the cooldown: in the database and in the
 * cooldown file, so that it holds when either cannot be written.
 *
 * Returns: %FALSE with @error set when neither could be written
 */
gboolean
gauge_store_save_gate (GaugeStore     *self,
                       const char     *token_hash,
                       GaugeRateGate  *gate,
                       GError        **error)
{
  g_autoptr(GError) file_error = NULL;
  g_autoptr(GError) table_error = NULL;
  GateState state = { (char *) token_hash, 0 };
  gboolean file_ok, table_ok = FALSE;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (GAUGE_IS_RATE_GATE (gate), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  state.reason = gauge_rate_gate_get_reason (gate);
  state.until_unix = gauge_rate_gate_get_until_unix (gate);
  state.level = gauge_rate_gate_get_level (gate);
  state.updated_at = gauge_clock_now_unix ();

  file_ok = write_state_file (&state, &file_error);
  if (_gauge_store_lock (self, &table_error) != NULL)
    {
      table_ok = write_table (self, &state, &table_error);
      _gauge_store_unlock (self);
    }

  if (!file_ok)
    g_debug ("Could not write the cooldown file: %s", file_error->message);
  if (!table_ok && file_ok)
    g_debug ("The cooldown is kept in its file only: %s", table_error->message);

  if (!table_ok && !file_ok)
    {
      g_propagate_error (error, g_steal_pointer (&table_error));
      return FALSE;
    }

  return TRUE;
}
