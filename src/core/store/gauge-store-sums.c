/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-sums"

#include "config.h"

#include <math.h>
#include <string.h>

#include "gauge-store-entries.h"
#include "gauge-store-private.h"

/* An entry with a token field above this is priced per entry (the >200k tier): not summed. */
#define ALONE_ABOVE 200000

enum {
  SUM_FAST     = 1 << 0,
  SUM_HAS_COST = 1 << 1,
  SUM_NO_MODEL = 1 << 2,
};

typedef struct
{
  /* The key: a bucket's row (entry_sums) or a session's (session_sums, bucket 0). */
  gint64      bucket;
  const char *session;       /* in GaugeEntrySums.strings; NULL for a bucket's */
  const char *model;         /* in GaugeEntrySums.strings; "" with SUM_NO_MODEL */
  int         flags;
  gint64      alone;         /* the entry's id, or 0 */

  gint64      first_ms;      /* G_MAXINT64 when only removals were gathered */
  gint64      n;
  gint64      input_tokens;
  gint64      output_tokens;
  gint64      cache_creation_5m_tokens;
  gint64      cache_creation_1h_tokens;
  gint64      cache_read_tokens;
  double      cost_usd;
} Sum;

struct _GaugeEntrySums
{
  GHashTable   *table;       /* Sum → itself: the buckets' rows */
  GHashTable   *sessions;    /* Sum → itself: the sessions' rows */
  GStringChunk *strings;
  gint64        edit_low_ms; /* G_MAXINT64 while nothing was replaced or removed */
};

static guint
sum_hash (gconstpointer data)
{
  const Sum *sum = data;

  return (guint) (sum->bucket * 31 + sum->alone * 17 + sum->flags) ^ g_str_hash (sum->model) ^
         (sum->session != NULL ? g_str_hash (sum->session) * 7 : 0);
}

static gboolean
sum_equal (gconstpointer a,
           gconstpointer b)
{
  const Sum *x = a;
  const Sum *y = b;

  return x->bucket == y->bucket && x->flags == y->flags && x->alone == y->alone &&
         strcmp (x->model, y->model) == 0 && g_strcmp0 (x->session, y->session) == 0;
}

GaugeEntrySums *
_gauge_entry_sums_new (void)
{
  GaugeEntrySums *sums = g_new0 (GaugeEntrySums, 1);

  sums->table = g_hash_table_new_full (sum_hash, sum_equal, g_free, NULL);
  sums->sessions = g_hash_table_new_full (sum_hash, sum_equal, g_free, NULL);
  sums->strings = g_string_chunk_new (1024);
  sums->edit_low_ms = G_MAXINT64;
  return sums;
}

void
_gauge_entry_sums_free (GaugeEntrySums *sums)
{
  if (sums == NULL)
    return;

  g_hash_table_unref (sums->table);
  g_hash_table_unref (sums->sessions);
  g_string_chunk_free (sums->strings);
  g_free (sums);
}

/* @key's row in @table, made when new. */
static Sum *
gather (GaugeEntrySums *sums,
        GHashTable     *table,
        const Sum      *key)
{
  Sum *sum = g_hash_table_lookup (table, key);

  if (sum == NULL)
    {
      sum = g_memdup2 (key, sizeof *key);
      sum->model = g_string_chunk_insert_const (sums->strings, key->model);
      if (key->session != NULL)
        sum->session = g_string_chunk_insert_const (sums->strings, key->session);
      sum->first_ms = G_MAXINT64;
      g_hash_table_add (table, sum);
    }

  return sum;
}

static void
accumulate (Sum                   *sum,
            const GaugeLocalEntry *entry,
            int                    sign)
{
  /* The first time of a bucket's row only orders rows within their bucket: a removal
   * leaves it as it is. */
  if (sign > 0)
    sum->first_ms = MIN (sum->first_ms, entry->timestamp_ms);
  sum->n += sign;
  sum->input_tokens += sign * entry->input_tokens;
  sum->output_tokens += sign * entry->output_tokens;
  sum->cache_creation_5m_tokens += sign * entry->cache_creation_5m_tokens;
  sum->cache_creation_1h_tokens += sign * entry->cache_creation_1h_tokens;
  sum->cache_read_tokens += sign * entry->cache_read_tokens;
  if (!isnan (entry->cost_usd))
    sum->cost_usd += sign * entry->cost_usd;
}

void
_gauge_entry_sums_add (GaugeEntrySums        *sums,
                       const GaugeLocalEntry *entry,
                       const char            *session_id,
                       gint64                 id,
                       int                    sign)
{
  Sum key = { 0, };

  key.bucket = gauge_local_bucket (entry->timestamp_ms);
  key.model = entry->model != NULL ? entry->model : "";
  key.flags = (entry->fast ? SUM_FAST : 0) | (!isnan (entry->cost_usd) ? SUM_HAS_COST : 0) |
              (entry->model == NULL ? SUM_NO_MODEL : 0);
  if (MAX (MAX (entry->input_tokens, entry->output_tokens),
           MAX (MAX (entry->cache_creation_5m_tokens, entry->cache_creation_1h_tokens),
                entry->cache_read_tokens)) > ALONE_ABOVE)
    key.alone = id;
  accumulate (gather (sums, sums->table, &key), entry, sign);

  if (session_id == NULL)
    return;
  key.bucket = 0;
  key.session = session_id;
  accumulate (gather (sums, sums->sessions, &key), entry, sign);
}

void
_gauge_entry_sums_add_row (GaugeEntrySums *sums,
                           sqlite3_stmt   *stmt,
                           int             column,
                           int             sign)
{
  const char *speed = (const char *) sqlite3_column_text (stmt, column + 3);
  GaugeLocalEntry entry = {
    .timestamp_ms = sqlite3_column_int64 (stmt, column + 1),
    .model = (char *) sqlite3_column_text (stmt, column + 2),
    .fast = g_strcmp0 (speed, "fast") == 0,
    .input_tokens = sqlite3_column_int64 (stmt, column + 4),
    .output_tokens = sqlite3_column_int64 (stmt, column + 5),
    .cache_creation_5m_tokens = sqlite3_column_int64 (stmt, column + 6),
    .cache_creation_1h_tokens = sqlite3_column_int64 (stmt, column + 7),
    .cache_read_tokens = sqlite3_column_int64 (stmt, column + 8),
    .cost_usd = sqlite3_column_type (stmt, column + 9) == SQLITE_NULL
                ? NAN : sqlite3_column_double (stmt, column + 9),
  };

  _gauge_entry_sums_add (sums, &entry, (const char *) sqlite3_column_text (stmt, column + 10),
                         sqlite3_column_int64 (stmt, column), sign);
}

void
_gauge_entry_sums_note_edit (GaugeEntrySums *sums,
                             gint64          low_ms)
{
  sums->edit_low_ms = MIN (sums->edit_low_ms, low_ms);
}

/* An upsert's update of the totals, either table's. */
#define ADD_TOTALS \
  " n = n + excluded.n," \
  " input_tokens = input_tokens + excluded.input_tokens," \
  " output_tokens = output_tokens + excluded.output_tokens," \
  " cache_creation_5m_tokens = cache_creation_5m_tokens + excluded.cache_creation_5m_tokens," \
  " cache_creation_1h_tokens = cache_creation_1h_tokens + excluded.cache_creation_1h_tokens," \
  " cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens," \
  " cost_usd = cost_usd + excluded.cost_usd"

/* The parameters of both tables' statements: ?1 the bucket or the session, ?2 model, ?3 flags,
 * ?4 alone, ?5 first_ms (buckets only), ?6 n, ?7–?11 the tokens, ?12 cost_usd. */
static const char upsert_sql[] =
  "INSERT INTO entry_sums (bucket, model, flags, alone, first_ms, n,"
  " input_tokens, output_tokens, cache_creation_5m_tokens,"
  " cache_creation_1h_tokens, cache_read_tokens, cost_usd)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
  " ON CONFLICT (bucket, model, flags, alone) DO UPDATE SET"
  " first_ms = min(first_ms, excluded.first_ms)," ADD_TOTALS;

static const char drop_sql[] =
  "DELETE FROM entry_sums WHERE bucket = ?1 AND model = ?2 AND flags = ?3 AND alone = ?4"
  " AND n <= 0";

static const char session_upsert_sql[] =
  "INSERT INTO session_sums (session_id, model, flags, alone, n,"
  " input_tokens, output_tokens, cache_creation_5m_tokens,"
  " cache_creation_1h_tokens, cache_read_tokens, cost_usd)"
  " VALUES (?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
  " ON CONFLICT (session_id, model, flags, alone) DO UPDATE SET" ADD_TOTALS;

static const char session_drop_sql[] =
  "DELETE FROM session_sums WHERE session_id = ?1 AND model = ?2 AND flags = ?3"
  " AND alone = ?4 AND n <= 0";

/* Writes the rows of @table with @upsert, then @drop for those that lost entries. */
static gboolean
apply_table (GHashTable   *table,
             sqlite3_stmt *upsert,
             sqlite3_stmt *drop)
{
  GHashTableIter iter;
  Sum *sum;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, (gpointer *) &sum, NULL))
    {
      sqlite3_stmt *stmts[2] = { upsert, sum->n < 0 ? drop : NULL };

      if (sum->n == 0 && sum->input_tokens == 0 && sum->output_tokens == 0 &&
          sum->cache_creation_5m_tokens == 0 && sum->cache_creation_1h_tokens == 0 &&
          sum->cache_read_tokens == 0 && sum->cost_usd == 0)
        continue;   /* an entry replaced by an equal copy */

      for (guint i = 0; i < G_N_ELEMENTS (stmts) && stmts[i] != NULL; i++)
        {
          sqlite3_stmt *stmt = stmts[i];

          sqlite3_reset (stmt);
          if (sum->session != NULL)
            sqlite3_bind_text (stmt, 1, sum->session, -1, SQLITE_STATIC);
          else
            sqlite3_bind_int64 (stmt, 1, sum->bucket);
          sqlite3_bind_text (stmt, 2, sum->model, -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 3, sum->flags);
          sqlite3_bind_int64 (stmt, 4, sum->alone);
          if (stmt == upsert)
            {
              /* Removals alone leave the stored first time as it is (min() with the
               * largest time): a transcript read again from the start drops its entries
               * without a key in one write and may add them back in the next. A row made
               * by removals alone cannot be (the entries removed were summed): the drop
               * statement takes it away. */
              if (sum->session == NULL)
                sqlite3_bind_int64 (stmt, 5, sum->first_ms);
              sqlite3_bind_int64 (stmt, 6, sum->n);
              sqlite3_bind_int64 (stmt, 7, sum->input_tokens);
              sqlite3_bind_int64 (stmt, 8, sum->output_tokens);
              sqlite3_bind_int64 (stmt, 9, sum->cache_creation_5m_tokens);
              sqlite3_bind_int64 (stmt, 10, sum->cache_creation_1h_tokens);
              sqlite3_bind_int64 (stmt, 11, sum->cache_read_tokens);
              sqlite3_bind_double (stmt, 12, sum->cost_usd);
            }
          if (sqlite3_step (stmt) != SQLITE_DONE)
            return FALSE;
        }
    }

  g_hash_table_remove_all (table);
  return TRUE;
}

gboolean
_gauge_entry_sums_apply (GaugeEntrySums *sums,
                         GaugeStore     *store)
{
  sqlite3_stmt *upsert, *drop;

  if (sums->edit_low_ms != G_MAXINT64)
    {
      if (!_gauge_store_log_entry_edit (store, sums->edit_low_ms))
        return FALSE;
      sums->edit_low_ms = G_MAXINT64;
    }

  if (g_hash_table_size (sums->table) > 0 &&
      (!(upsert = _gauge_store_prepare_cached (store, upsert_sql, NULL)) ||
       !(drop = _gauge_store_prepare_cached (store, drop_sql, NULL)) ||
       !apply_table (sums->table, upsert, drop)))
    return FALSE;

  if (g_hash_table_size (sums->sessions) > 0 &&
      (!(upsert = _gauge_store_prepare_cached (store, session_upsert_sql, NULL)) ||
       !(drop = _gauge_store_prepare_cached (store, session_drop_sql, NULL)) ||
       !apply_table (sums->sessions, upsert, drop)))
    return FALSE;

  return TRUE;
}

static int
compare_sums (gconstpointer a,
              gconstpointer b)
{
  const GaugeLocalEntry *x = a;
  const GaugeLocalEntry *y = b;

  if (x->timestamp_ms != y->timestamp_ms)
    return x->timestamp_ms < y->timestamp_ms ? -1 : 1;
  return g_strcmp0 (x->model, y->model);
}

/* The columns load_sums_locked() reads, either table's: a session's rows have no time. */
#define SUMS_COLUMNS(first_ms) "SELECT " first_ms ", model, flags, input_tokens, output_tokens," \
                               " cache_creation_5m_tokens, cache_creation_1h_tokens," \
                               " cache_read_tokens, cost_usd, alone"

/* The rows of @stmt (SUMS_COLUMNS) as entries, their models in @chunk. */
static GArray *
load_sums_locked (GaugeStore    *self,
                  sqlite3_stmt  *stmt,
                  GStringChunk  *chunk,
                  GError       **error)
{
  g_autoptr(GArray) sums = NULL;
  const char *last = NULL;
  int rc;

  sums = g_array_new (FALSE, TRUE, sizeof (GaugeLocalEntry));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *model = (const char *) sqlite3_column_text (stmt, 1);
      int flags = sqlite3_column_int (stmt, 2);
      GaugeLocalEntry *sum;

      g_array_set_size (sums, sums->len + 1);
      sum = &g_array_index (sums, GaugeLocalEntry, sums->len - 1);
      sum->timestamp_ms = sqlite3_column_int64 (stmt, 0);
      sum->below_tier = sqlite3_column_int64 (stmt, 9) == 0;
      if ((flags & SUM_NO_MODEL) == 0)
        {
          if (last == NULL || strcmp (last, model) != 0)
            last = g_string_chunk_insert_const (chunk, model);
          sum->model = (char *) last;
        }
      sum->fast = (flags & SUM_FAST) != 0;
      sum->input_tokens = sqlite3_column_int64 (stmt, 3);
      sum->output_tokens = sqlite3_column_int64 (stmt, 4);
      sum->cache_creation_5m_tokens = sqlite3_column_int64 (stmt, 5);
      sum->cache_creation_1h_tokens = sqlite3_column_int64 (stmt, 6);
      sum->cache_read_tokens = sqlite3_column_int64 (stmt, 7);
      sum->cost_usd = (flags & SUM_HAS_COST) != 0 ? sqlite3_column_double (stmt, 8) : NAN;
    }

  if (!_gauge_store_steps_ended (self, rc, SQLITE_DONE, error))
    return NULL;

  return g_steal_pointer (&sums);
}

static GArray *
load_entry_sums_locked (GaugeStore    *self,
                        gint64         since_ms,
                        gint64         until_ms,
                        GStringChunk  *chunk,
                        GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self,
                               SUMS_COLUMNS ("first_ms") " FROM entry_sums"
                               " WHERE bucket >= ?1 AND bucket <= ?2",
                               error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, since_ms > 0 ? gauge_local_bucket (since_ms) : G_MININT64);
  sqlite3_bind_int64 (stmt, 2, until_ms > 0 ? gauge_local_bucket (until_ms - 1) : G_MAXINT64);

  return load_sums_locked (self, stmt, chunk, error);
}

/**
 * gauge_store_load_entry_sums:
 * @since_ms: first timestamp included (unix ms), 0 for no lower bound
 * @until_ms: first timestamp excluded (unix ms), 0 for no upper bound
 * @strings: (out) (transfer full): the pool the models point into
 *
 * The entries summed per 15-minute UTC bucket, model, speed and whether they
 * carried costUSD (an entry with a token field above 200k stays alone, as the
 * >200k tier is priced per entry): for reports by day, week or month, which
 * then read a few thousand rows rather than every entry. Each sum is a
 * #GaugeLocalEntry with the time of its bucket's first entry, no ids or
 * session, and costUSD summed (%NAN when its entries had none). The bounds
 * are rounded out to whole buckets.
 *
 * Returns: (transfer full) (element-type GaugeLocalEntry): the sums, oldest
 *   first; %NULL with @error set (then @strings is %NULL). Free the array
 *   before @strings.
 */
GArray *
gauge_store_load_entry_sums (GaugeStore    *self,
                             gint64         since_ms,
                             gint64         until_ms,
                             GStringChunk **strings,
                             GError       **error)
{
  GStringChunk *chunk;
  GArray *sums;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (strings != NULL, NULL);

  *strings = NULL;

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  chunk = g_string_chunk_new (4096);
  sums = load_entry_sums_locked (self, since_ms, until_ms, chunk, error);
  _gauge_store_unlock (self);

  if (sums == NULL)
    {
      g_string_chunk_free (chunk);
      return NULL;
    }

  g_array_sort (sums, compare_sums);
  *strings = chunk;

  return sums;
}

/**
 * gauge_store_load_session_sums:
 * @session_id: a session, as its transcripts' paths name it
 * @strings: (out) (transfer full): the pool the models point into
 *
 * The entries of the session's transcripts (its sub-agents' too) summed per
 * model, speed and whether they carried costUSD, an entry with a token field
 * above 200k alone, as gauge_store_load_entry_sums() has them but without
 * time (0): what the session cost, for the statusline, in a few rows.
 *
 * Returns: (transfer full) (element-type GaugeLocalEntry): the sums, empty
 *   when the session has no entries; %NULL with @error set (then @strings is
 *   %NULL). Free the array before @strings.
 */
GArray *
gauge_store_load_session_sums (GaugeStore    *self,
                               const char    *session_id,
                               GStringChunk **strings,
                               GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GStringChunk *chunk;
  GArray *sums = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (self), NULL);
  g_return_val_if_fail (session_id != NULL, NULL);
  g_return_val_if_fail (strings != NULL, NULL);

  *strings = NULL;

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  chunk = g_string_chunk_new (256);
  stmt = _gauge_store_prepare (self,
                               SUMS_COLUMNS ("0") " FROM session_sums WHERE session_id = ?1",
                               error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, session_id, -1, SQLITE_STATIC);
      sums = load_sums_locked (self, stmt, chunk, error);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _gauge_store_unlock (self);

  if (sums == NULL)
    {
      g_string_chunk_free (chunk);
      return NULL;
    }

  *strings = chunk;
  return sums;
}
