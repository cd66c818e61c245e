/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-store-index"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "gauge-account.h"
#include "gauge-store-index.h"
#include "gauge-store-private.h"

/*
 * The transcript index in the history database (tables from schemas 2, 3, 5, 8, 9, 10):
 * transcript_files says how far each file was read and whose session and project
 * its lines are; entries holds one row per dedup key (message.id with the request
 * id, '' when the line has none, and an advisor sub-request's number), or per line for
 * lines without a message.id. The
 * key is stored as two 64-bit hashes of the ids with different seeds: dedup_key, unique
 * in the schema (no process can store a response twice), and key_check, compared, so that
 * only a collision of all 128 bits would merge two responses (one whose dedup_key alone
 * is taken is stored without a key: see store_item()). Rows hold no text but the model:
 * a cold index writes 215k of them, and their size is most of what it costs (the unique
 * index holds dedup_key only: with key_check too, a cold index took 4 % longer).
 * Every write keeps entry_sums equal to entries (gauge-store-sums.c) in the same
 * transaction, and notes the entries it replaced or removed in entry_edits
 * (gauge-store-edits.c).
 *
 * Several processes index the same database (the app, --report, --recalculate): what
 * keeps them from counting a line twice is, for keyed lines, the unique key; for lines
 * without a message.id, which have no key, a file's read position: a row of
 * transcript_files only ever says "read up to offset" for bytes whose entries committed
 * in the same transaction, and passes take turns (gauge_store_lock_index()), so that a
 * pass always starts from where the one before it committed.
 */

#ifndef CACHE_KIB
#define CACHE_KIB 8192
#endif
#define BULK_CACHE_KIB 8192

#define TOTAL(t) t "input_tokens + " t "output_tokens + " t "cache_creation_5m_tokens + " \
                 t "cache_creation_1h_tokens + " t "cache_read_tokens"

/* The stored row with the same first hash: its sums columns (0–10, output 5), then what the
 * dedup rule compares (11–13), then whether it is the same response (14). */
/* The parameters of every statement below, bound by bind_entry(): ?1 file_id, ?2 timestamp,
 * ?3 model … ?11 cost_usd, ?12 dedup_key, ?13 key_check; ?14 a row id. */
static const char find_sql[] =
  "SELECT " GAUGE_ENTRY_SUMS_COLUMNS ", is_sidechain, " TOTAL ("") ", file_id, key_check = ?13"
  " FROM entries WHERE dedup_key = ?12";

/* A response already stored (by this pass or any other process) is left to the dedup rule:
 * dedup_key is unique in the schema (migration 9). */
static const char insert_sql[] =
  "INSERT INTO entries (file_id, timestamp, model, speed, is_sidechain, input_tokens,"
  " output_tokens, cache_creation_5m_tokens, cache_creation_1h_tokens, cache_read_tokens,"
  " cost_usd, dedup_key, key_check)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
  " ON CONFLICT (dedup_key) DO NOTHING";

static const char update_sql[] =
  "UPDATE entries SET file_id = ?1, timestamp = ?2, model = ?3, speed = ?4, is_sidechain = ?5,"
  " input_tokens = ?6, output_tokens = ?7, cache_creation_5m_tokens = ?8,"
  " cache_creation_1h_tokens = ?9, cache_read_tokens = ?10, cost_usd = ?11"
  " WHERE id = ?14";

/* The secondary indexes: dropped for a cold load, built once at its end. */
static const char create_indexes_sql[] =
  "CREATE INDEX IF NOT EXISTS entries_timestamp ON entries(timestamp);"
  "CREATE INDEX IF NOT EXISTS entries_file ON entries(file_id);";
#define N_SECONDARY_INDEXES 2

/* Set on the store while a bulk load runs (gauge_store_begin_bulk()). */
#define BULK_KEY "gauge-store-entries-bulk"

/* MurmurHash64A (Austin Appleby, public domain) over message_id '\0' request_id. */
static guint64
murmur64 (const guint8 *data,
          gsize         len,
          guint64       seed)
{
  const guint64 m = G_GUINT64_CONSTANT (0xc6a4a7935bd1e995);
  const int r = 47;
  guint64 h = seed ^ (len * m);
  const guint8 *end = data + (len & ~(gsize) 7);

  for (; data != end; data += 8)
    {
      guint64 k;

      memcpy (&k, data, 8);
      k *= m;
      k ^= k >> r;
      k *= m;
      h ^= k;
      h *= m;
    }

  switch (len & 7)
    {
    case 7: h ^= (guint64) data[6] << 48; G_GNUC_FALLTHROUGH;
    case 6: h ^= (guint64) data[5] << 40; G_GNUC_FALLTHROUGH;
    case 5: h ^= (guint64) data[4] << 32; G_GNUC_FALLTHROUGH;
    case 4: h ^= (guint64) data[3] << 24; G_GNUC_FALLTHROUGH;
    case 3: h ^= (guint64) data[2] << 16; G_GNUC_FALLTHROUGH;
    case 2: h ^= (guint64) data[1] << 8; G_GNUC_FALLTHROUGH;
    case 1: h ^= (guint64) data[0];
      h *= m;
      break;
    default:
      break;
    }

  h ^= h >> r;
  h *= m;
  h ^= h >> r;

  return h;
}

/* The key of a response: message_id '\0' request_id (none and '' alike), hashed with @seed;
 * for its n-th advisor sub-request (@advisor = n > 0), '\0' 'A' and n after them, which no
 * response's ids can spell (they hold no '\0'). */
static guint64
response_key (const char *message_id,
              const char *request_id,
              guint       advisor,
              guint64     seed)
{
  gsize mlen = strlen (message_id);
  gsize rlen = request_id != NULL ? strlen (request_id) : 0;
  gsize tail = advisor > 0 ? 2 + sizeof (guint32) : 0;
  guint8 small[256];
  g_autofree guint8 *big = NULL;
  guint8 *buf = small;

  if (mlen + 1 + rlen + tail > sizeof small)
    buf = big = g_malloc (mlen + 1 + rlen + tail);

  memcpy (buf, message_id, mlen);
  buf[mlen] = 0;
  if (rlen > 0)
    memcpy (buf + mlen + 1, request_id, rlen);
  if (advisor > 0)
    {
      guint32 n = GUINT32_TO_LE (advisor);

      buf[mlen + 1 + rlen] = 0;
      buf[mlen + 2 + rlen] = 'A';
      memcpy (buf + mlen + 3 + rlen, &n, sizeof n);
    }

  return murmur64 (buf, mlen + 1 + rlen + tail, seed);
}

#define KEY_SEED   G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)  /* dedup_key, since schema 3 */
#define CHECK_SEED G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f)  /* key_check, since schema 8 */

/* gauge_key_check(message_id, request_id): for the migration that added key_check. */
static void
key_check_function (sqlite3_context  *context,
                    int               argc,
                    sqlite3_value   **argv)
{
  const char *message_id = (const char *) sqlite3_value_text (argv[0]);
  const char *request_id = (const char *) sqlite3_value_text (argv[1]);

  if (message_id == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_int64 (context, (sqlite3_int64) response_key (message_id, request_id, 0,
                                                                 CHECK_SEED));
}

/**
 * gauge_transcript_folder:
 * @path: a transcript's path, `<folder>/projects/<project>/…`
 * @project: (nullable): its project, the first folder below `projects/`
 *
 * The Claude Code config folder a transcript belongs to (its account's): what the path has
 * before `/projects/<project>/`, normalized as accounts' folders are
 * (gauge_account_normalize_folder()).
 *
 * Returns: (transfer full) (nullable): the folder, %NULL when the path does not show one
 */
char *
gauge_transcript_folder (const char *path,
                         const char *project)
{
  g_autofree char *marker = NULL;
  g_autofree char *folder = NULL;
  const char *found;

  if (path == NULL || project == NULL || *project == '\0' || strchr (project, '/') != NULL)
    return NULL;

  marker = g_strconcat ("/projects/", project, "/", NULL);
  found = strstr (path, marker);
  if (found == NULL || found == path)
    return NULL;

  folder = g_strndup (path, found - path);
  return gauge_account_normalize_folder (folder);
}

/* gauge_transcript_folder(path, project): for the migration that gave files their folder,
 * and for every file stored since. */
static void
transcript_folder_function (sqlite3_context  *context,
                            int               argc,
                            sqlite3_value   **argv)
{
  char *folder = gauge_transcript_folder ((const char *) sqlite3_value_text (argv[0]),
                                          (const char *) sqlite3_value_text (argv[1]));

  if (folder != NULL)
    sqlite3_result_text (context, folder, -1, g_free);
  else
    sqlite3_result_null (context);
}

gboolean
_gauge_store_add_entry_functions (sqlite3 *db)
{
  return sqlite3_create_function_v2 (db, "gauge_key_check", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                     NULL, key_check_function, NULL, NULL, NULL) == SQLITE_OK &&
         sqlite3_create_function_v2 (db, "gauge_transcript_folder", 2,
                                     SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
                                     NULL, transcript_folder_function, NULL, NULL,
                                     NULL) == SQLITE_OK;
}

void
gauge_transcript_file_free (GaugeTranscriptFile *file)
{
  if (file == NULL)
    return;

  g_free (file->path);
  g_free (file->session_id);
  g_free (file->project);
  g_free (file);
}


static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, column);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Not the session and project: the index names them from the path of a file it reads. */
#define FILE_COLUMNS "id, path, device, inode, size, mtime, offset, malformed"

/* Adds the files of @stmt's rows to @files. Returns: %FALSE when a step failed. */
static gboolean
add_file_rows (sqlite3_stmt *stmt,
               GHashTable   *files)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GaugeTranscriptFile *file = g_new0 (GaugeTranscriptFile, 1);

      file->id = sqlite3_column_int64 (stmt, 0);
      file->path = dup_column (stmt, 1);
      file->device = sqlite3_column_int64 (stmt, 2);
      file->inode = sqlite3_column_int64 (stmt, 3);
      file->size = sqlite3_column_int64 (stmt, 4);
      file->mtime_us = sqlite3_column_int64 (stmt, 5);
      file->offset = sqlite3_column_int64 (stmt, 6);
      file->malformed = sqlite3_column_int64 (stmt, 7);
      g_hash_table_replace (files, file->path, file);
    }

  return rc == SQLITE_DONE;
}

/* A cold load that did not finish left the secondary indexes out: build them. */
static gboolean
ensure_indexes (GaugeStore  *self,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) check = NULL;
  int n_indexes;

  if (g_object_get_data (G_OBJECT (self), BULK_KEY) != NULL)
    return TRUE;

  check = _gauge_store_prepare (self,
                                "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                " AND name IN ('entries_timestamp', 'entries_file')",
                                error);
  if (check == NULL)
    return FALSE;
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }
  n_indexes = sqlite3_column_int (check, 0);
  g_clear_pointer (&check, sqlite3_finalize);

  return n_indexes == N_SECONDARY_INDEXES || _gauge_store_exec (self, create_indexes_sql, error);
}

static GHashTable *
load_transcript_files_locked (GaugeStore  *self,
                              GPtrArray   *paths,
                              GError     **error)
{
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;

  stmt = _gauge_store_prepare (self,
                               paths != NULL
                                 ? "SELECT " FILE_COLUMNS " FROM transcript_files WHERE path = ?"
                                 : "SELECT " FILE_COLUMNS " FROM transcript_files",
                               error);
  if (stmt == NULL || !ensure_indexes (self, error))
    return NULL;

  files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) gauge_transcript_file_free);

  if (paths == NULL)
    ok = add_file_rows (stmt, files);
  for (guint i = 0; paths != NULL && i < paths->len && ok; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (paths, i), -1, SQLITE_STATIC);
      ok = add_file_rows (stmt, files);
    }

  if (!ok)
    {
      _gauge_store_set_query_error (self, error);
      return NULL;
    }

  return g_steal_pointer (&files);
}

/**
 * gauge_store_load_transcript_files:
 * @paths: (nullable) (element-type utf8): only these files; %NULL for all
 *
 * Returns: (transfer full): path → #GaugeTranscriptFile, or %NULL with @error set
 */
GHashTable *
gauge_store_load_transcript_files (GaugeStore  *self,
                                   GPtrArray   *paths,
                                   GError     **error)
{
  GHashTable *ret;

  if (_gauge_store_lock (self, error) == NULL)
    return NULL;

  ret = load_transcript_files_locked (self, paths, error);
  _gauge_store_unlock (self);

  return ret;
}

static const char position_sql[] =
  "UPDATE transcript_files SET device = ?, inode = ?, size = ?, mtime = ?, offset = ?,"
  " malformed = ?, session_id = ?, project = ? WHERE id = ?";

/* A file's folder follows from its path (gauge_transcript_folder()): set once, as it is made. */
static const char save_file_sql[] =
  "INSERT INTO transcript_files (path, device, inode, size, mtime, offset, malformed,"
  " session_id, project, folder)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, gauge_transcript_folder(?1, ?9))"
  " ON CONFLICT (path) DO UPDATE SET device = excluded.device,"
  "  inode = excluded.inode, size = excluded.size, mtime = excluded.mtime,"
  "  offset = excluded.offset, malformed = excluded.malformed,"
  "  session_id = excluded.session_id, project = excluded.project"
  " RETURNING id";

/* With @stmt, prepared from save_file_sql once per transaction. @placeholder: store size -1
 * and mtime 0, so that a file whose read never commits is read again by the next pass. */
static gboolean
save_file_locked (GaugeStore           *self,
                  sqlite3_stmt         *stmt,
                  GaugeTranscriptFile  *file,
                  gboolean              placeholder,
                  GaugeEntrySums       *sums,
                  GError              **error)
{
  g_autoptr(sqlite3_stmt) drop = NULL;
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, file->path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, file->device);
  sqlite3_bind_int64 (stmt, 3, file->inode);
  sqlite3_bind_int64 (stmt, 4, placeholder ? -1 : file->size);
  sqlite3_bind_int64 (stmt, 5, placeholder ? 0 : file->mtime_us);
  sqlite3_bind_int64 (stmt, 6, file->offset);
  sqlite3_bind_int64 (stmt, 7, file->malformed);
  bind_text_or_null (stmt, 8, file->session_id);
  bind_text_or_null (stmt, 9, file->project);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }
  file->id = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  if (!file->reset)
    return TRUE;

  /* Keyed entries stay: reading the file again merges into them. Unkeyed ones would double. */
  drop = _gauge_store_prepare (self,
                               "DELETE FROM entries WHERE file_id = ? AND dedup_key IS NULL"
                               " RETURNING " GAUGE_ENTRY_SUMS_COLUMNS,
                               error);
  if (drop == NULL)
    return FALSE;

  sqlite3_bind_int64 (drop, 1, file->id);
  while ((rc = sqlite3_step (drop)) == SQLITE_ROW)
    {
      _gauge_entry_sums_add_row (sums, drop, 0, -1);
      _gauge_entry_sums_note_edit (sums, G_MININT64);
    }
  if (rc != SQLITE_DONE)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  file->reset = FALSE;
  return TRUE;
}

static void
bind_entry (sqlite3_stmt          *stmt,
            const GaugeLocalEntry *entry,
            gint64                 file_id,
            guint64                key,
            guint64                check)
{
  sqlite3_reset (stmt);

  if (file_id > 0)
    sqlite3_bind_int64 (stmt, 1, file_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, entry->timestamp_ms);
  bind_text_or_null (stmt, 3, entry->model);
  bind_text_or_null (stmt, 4, entry->fast ? "fast" : NULL);
  sqlite3_bind_int (stmt, 5, entry->is_sidechain ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, entry->input_tokens);
  sqlite3_bind_int64 (stmt, 7, entry->output_tokens);
  sqlite3_bind_int64 (stmt, 8, entry->cache_creation_5m_tokens);
  sqlite3_bind_int64 (stmt, 9, entry->cache_creation_1h_tokens);
  sqlite3_bind_int64 (stmt, 10, entry->cache_read_tokens);
  if (isnan (entry->cost_usd))
    sqlite3_bind_null (stmt, 11);
  else
    sqlite3_bind_double (stmt, 11, entry->cost_usd);
  if (entry->message_id != NULL)
    {
      sqlite3_bind_int64 (stmt, 12, (gint64) key);
      sqlite3_bind_int64 (stmt, 13, (gint64) check);
    }
  else
    {
      sqlite3_bind_null (stmt, 12);
      sqlite3_bind_null (stmt, 13);
    }
}

/* The dedup rule of api-facts.md §4: the non-sidechain copy, then the larger token total,
 * then the larger output (a streamed response's first copy carries a placeholder output: a
 * copy with as many tokens in all but more of them output is the finished one, as ccusage
 * 20.0.24 decides); on a tie the copy of the first file in path order, as in ccusage. Files
 * get their ids in path order when a pass meets them (gauge_store_add_files()), so on a cold
 * index the lower file id is the first path, whatever order the readers' batches commit in;
 * a file met in a later pass has a higher id: the stored copy stays. Within one file, the
 * first line. */
static gboolean
wins (gboolean new_sidechain,
      gint64   new_total,
      gint64   new_output,
      gint64   new_file_id,
      gboolean old_sidechain,
      gint64   old_total,
      gint64   old_output,
      gint64   old_file_id)
{
  if (new_sidechain != old_sidechain)
    return !new_sidechain;
  if (new_total != old_total)
    return new_total > old_total;
  if (new_output != old_output)
    return new_output > old_output;
  return new_file_id > 0 && old_file_id > 0 && new_file_id < old_file_id;
}

typedef struct
{
  guint64                key;
  guint64                check;
  const GaugeLocalEntry *entry;
  guint                  file_index;
  guint                  order;
} Item;

struct _GaugeEntryBatch
{
  Item  *items;
  guint  n_items;
};

static guint
item_hash (gconstpointer data)
{
  const Item *item = data;

  return (guint) (item->key ^ (item->key >> 32));
}

static gboolean
item_equal (gconstpointer a,
            gconstpointer b)
{
  const Item *x = a;
  const Item *y = b;

  return x->key == y->key && x->check == y->check;
}

/* By key, so the index is walked in order; unkeyed entries last, in reading order. */
static int
item_compare (gconstpointer a,
              gconstpointer b)
{
  const Item *x = a;
  const Item *y = b;
  gboolean xk = x->entry->message_id != NULL;
  gboolean yk = y->entry->message_id != NULL;

  if (xk != yk)
    return xk ? -1 : 1;
  if (xk && x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* Stores one entry that won its batch: inserts it, or, when the response is stored already
 * (read before, or by another process: the unique key tells, not this process's memory),
 * replaces the stored copy if it beats it. Most entries are new: one statement each. */
static gboolean
store_item (sqlite3             *db,
            sqlite3_stmt        *find,
            sqlite3_stmt        *insert,
            sqlite3_stmt        *update,
            const Item          *item,
            GaugeTranscriptFile *file,
            GaugeEntrySums      *sums,
            guint               *changed)
{
  const GaugeLocalEntry *entry = item->entry;
  const char *session_id = file->session_id;
  gint64 file_id = file->id;
  gboolean old_sidechain;
  gint64 id, old_output, old_total, old_file_id;

  bind_entry (insert, entry, file_id, item->key, item->check);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return FALSE;
  if (sqlite3_changes (db) > 0)
    {
      _gauge_entry_sums_add (sums, entry, session_id, sqlite3_last_insert_rowid (db), 1);
      *changed += 1;
      return TRUE;
    }

  /* Only a keyed entry meets a stored row. */
  bind_entry (find, entry, file_id, item->key, item->check);
  if (entry->message_id == NULL || sqlite3_step (find) != SQLITE_ROW)
    {
      sqlite3_reset (find);
      return FALSE;
    }

  if (sqlite3_column_int (find, 14) == 0)
    {
      /* Another response under the same first hash (one in 2^64): never merged with it,
       * it is stored without a key (its own copies are then each counted). */
      sqlite3_reset (find);
      bind_entry (insert, entry, file_id, item->key, item->check);
      sqlite3_bind_null (insert, 12);
      sqlite3_bind_null (insert, 13);
      if (sqlite3_step (insert) != SQLITE_DONE)
        return FALSE;
      _gauge_entry_sums_add (sums, entry, session_id, sqlite3_last_insert_rowid (db), 1);
      *changed += 1;
      return TRUE;
    }

  id = sqlite3_column_int64 (find, 0);
  old_output = sqlite3_column_int64 (find, 5);
  old_sidechain = sqlite3_column_int (find, 11) != 0;
  old_total = sqlite3_column_int64 (find, 12);
  old_file_id = sqlite3_column_int64 (find, 13);
  if (!wins (entry->is_sidechain, gauge_local_entry_total_tokens (entry), entry->output_tokens,
             file_id, old_sidechain, old_total, old_output, old_file_id))
    {
      sqlite3_reset (find);
      return TRUE;
    }

  _gauge_entry_sums_add_row (sums, find, 0, -1);
  _gauge_entry_sums_note_edit (sums, MIN (sqlite3_column_int64 (find, 1), entry->timestamp_ms));
  sqlite3_reset (find);

  bind_entry (update, entry, file_id, item->key, item->check);
  sqlite3_bind_int64 (update, 14, id);
  if (sqlite3_step (update) != SQLITE_DONE)
    return FALSE;
  _gauge_entry_sums_add (sums, entry, session_id, id, 1);
  *changed += sqlite3_changes (db);
  return TRUE;
}

static gboolean
update_position (sqlite3_stmt              *stmt,
                 const GaugeTranscriptFile *file)
{
  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, file->device);
  sqlite3_bind_int64 (stmt, 2, file->inode);
  sqlite3_bind_int64 (stmt, 3, file->size);
  sqlite3_bind_int64 (stmt, 4, file->mtime_us);
  sqlite3_bind_int64 (stmt, 5, file->offset);
  sqlite3_bind_int64 (stmt, 6, file->malformed);
  bind_text_or_null (stmt, 7, file->session_id);
  bind_text_or_null (stmt, 8, file->project);
  sqlite3_bind_int64 (stmt, 9, file->id);

  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gint64
file_id_at (GPtrArray *files,
            guint      index)
{
  g_assert (index < files->len);
  return ((GaugeTranscriptFile *) g_ptr_array_index (files, index))->id;
}

/**
 * gauge_entry_batch_new:
 * @files: (element-type GaugeTranscriptFile): the files @entries were read from
 * @entries: (element-type GaugeLocalEntry): entries, kept until the batch is freed
 * @file_indexes: (element-type guint): the index in @files of each entry's file
 *
 * The half of a write that needs no database, so that the threads that read can do it:
 * each entry's dedup key; duplicates within @entries meet here (the copy that wins stays),
 * so the database sees each key once; then the order that walks the key index in order.
 */
GaugeEntryBatch *
gauge_entry_batch_new (GPtrArray *files,
                       GArray    *entries,
                       GArray    *file_indexes)
{
  g_autoptr(GHashTable) firsts = NULL;
  GaugeEntryBatch *batch;

  g_return_val_if_fail (files != NULL && entries != NULL && file_indexes != NULL, NULL);
  g_return_val_if_fail (entries->len == file_indexes->len, NULL);

  batch = g_new0 (GaugeEntryBatch, 1);
  batch->items = g_new (Item, entries->len > 0 ? entries->len : 1);
  firsts = g_hash_table_new (item_hash, item_equal);

  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);
      Item *item = &batch->items[batch->n_items];
      Item *first;

      item->entry = entry;
      item->file_index = g_array_index (file_indexes, guint, i);
      item->order = i;
      item->key = 0;
      item->check = 0;
      g_assert (item->file_index < files->len);

      if (entry->message_id == NULL)
        {
          batch->n_items++;
          continue;
        }

      item->key = response_key (entry->message_id, entry->request_id, entry->advisor, KEY_SEED);
      item->check = response_key (entry->message_id, entry->request_id, entry->advisor,
                                  CHECK_SEED);
      first = g_hash_table_lookup (firsts, item);
      if (first == NULL)
        {
          g_hash_table_add (firsts, item);
          batch->n_items++;
        }
      else if (wins (entry->is_sidechain, gauge_local_entry_total_tokens (entry),
                     entry->output_tokens, file_id_at (files, item->file_index),
                     first->entry->is_sidechain, gauge_local_entry_total_tokens (first->entry),
                     first->entry->output_tokens, file_id_at (files, first->file_index)))
        {
          first->entry = entry;
          first->file_index = item->file_index;
        }
    }

  qsort (batch->items, batch->n_items, sizeof (Item), item_compare);

  return batch;
}

void
gauge_entry_batch_free (GaugeEntryBatch *batch)
{
  g_free (batch->items);
  g_free (batch);
}

/* One transaction: @files saved (new ones get their ids), then, with a @batch, its entries
 * and the files' read positions; without one, the files are saved as placeholders (see
 * save_file_locked()) until a batch saves them with the entries read from them. */
static gboolean
write_locked (GaugeStore       *self,
              sqlite3          *db,
              GPtrArray        *files,
              GaugeEntryBatch  *batch,
              guint            *changed,
              GError          **error)
{
  sqlite3_stmt *find = NULL, *insert = NULL, *update = NULL, *position = NULL, *save;
  g_autoptr(GaugeEntrySums) sums = _gauge_entry_sums_new ();
  guint n_items = batch != NULL ? batch->n_items : 0;
  gboolean ok = FALSE;

  if (!(save = _gauge_store_prepare_cached (self, save_file_sql, error)) ||
      (batch != NULL &&
       (!(find = _gauge_store_prepare_cached (self, find_sql, error)) ||
        !(insert = _gauge_store_prepare_cached (self, insert_sql, error)) ||
        !(update = _gauge_store_prepare_cached (self, update_sql, error)) ||
        !(position = _gauge_store_prepare_cached (self, position_sql, error)))) ||
      !_gauge_store_begin (self, error))
    goto out;

  for (guint i = 0; i < files->len; i++)
    {
      GaugeTranscriptFile *file = g_ptr_array_index (files, i);

      if ((file->id == 0 || file->reset) &&
          !save_file_locked (self, save, file, batch == NULL, sums, error))
        goto out;
    }

  for (guint i = 0; i < n_items; i++)
    {
      const Item *item = &batch->items[i];

      if (!store_item (db, find, insert, update, item,
                       g_ptr_array_index (files, item->file_index), sums, changed))
        {
          _gauge_store_set_query_error (self, error);
          goto out;
        }
    }

  for (guint i = 0; batch != NULL && i < files->len; i++)
    {
      if (!update_position (position, g_ptr_array_index (files, i)))
        {
          _gauge_store_set_query_error (self, error);
          goto out;
        }
    }

  ok = _gauge_entry_sums_apply (sums, self);
  if (!ok)
    _gauge_store_set_query_error (self, error);

out:
  return _gauge_store_commit_or_rollback (self, ok, error);
}

/* One transaction, the lock held: @files' ids and read positions, and @batch's entries when
 * there is one (a bigger page cache for those, unless a bulk pass set one already). */
static gboolean
write_files (GaugeStore       *self,
             GPtrArray        *files,
             GaugeEntryBatch  *batch,
             guint            *changed,
             GError          **error)
{
  sqlite3 *db = _gauge_store_lock (self, error);
  gboolean ok;

  if (db == NULL)
    return FALSE;

  if (batch != NULL && g_object_get_data (G_OBJECT (self), BULK_KEY) == NULL)
    sqlite3_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB), NULL, NULL, NULL);
  ok = write_locked (self, db, files, batch, changed, error);
  _gauge_store_unlock (self);

  return ok;
}

/**
 * gauge_store_write_batch:
 * @files: (element-type GaugeTranscriptFile): files read since the last write
 * @batch: the entries read from them, from gauge_entry_batch_new() on the same @files
 * @n_changed: (out) (optional): entries inserted or replaced
 *
 * Entries and read positions commit together, so a crash never reads a line twice.
 */
gboolean
gauge_store_write_batch (GaugeStore       *self,
                         GPtrArray        *files,
                         GaugeEntryBatch  *batch,
                         guint            *n_changed,
                         GError          **error)
{
  guint changed = 0;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (files != NULL && batch != NULL, FALSE);

  if (!write_files (self, files, batch, &changed, error))
    return FALSE;

  if (n_changed != NULL)
    *n_changed = changed;

  return TRUE;
}

/**
 * gauge_store_add_files:
 * @files: (element-type GaugeTranscriptFile): files about to be read
 *
 * One transaction before a pass reads: new files get their ids, and files that
 * were replaced or shrank lose their unkeyed entries. Their read positions are
 * saved with the entries read from them (gauge_store_write_batch()).
 */
gboolean
gauge_store_add_files (GaugeStore  *self,
                       GPtrArray   *files,
                       GError     **error)
{
  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);

  return write_files (self, files, NULL, NULL, error);
}

#define LOCK_WAIT_MIN_US  1000
#define LOCK_WAIT_MAX_US  (50 * 1000)

/**
 * gauge_store_lock_index:
 * @fd: (out): the lock, for gauge_store_unlock_index(); -1 when none could be had
 *
 * Index passes on one database take turns, across processes: an advisory lock on a file
 * beside it (`history.db.index-lock`), held from the moment a pass looks at what is
 * stored until its last write. A process that finds it taken waits for the other pass,
 * then reads only what that one left (it never gives up what it was asked to do). Where
 * no lock can be had (a read-only folder, a file system without locks) the pass runs
 * without one: the unique key still keeps every response single.
 *
 * Opens the database first (creating it), so that the folder exists.
 *
 * Returns: %FALSE with @error set when the database cannot be opened, or when
 *   @cancellable was cancelled while waiting
 */
gboolean
gauge_store_lock_index (GaugeStore    *self,
                        GCancellable  *cancellable,
                        int           *fd,
                        GError       **error)
{
  g_autofree char *path = NULL;
  gulong wait_us = LOCK_WAIT_MIN_US;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);
  g_return_val_if_fail (fd != NULL, FALSE);

  *fd = -1;
  if (!gauge_store_open (self, error))
    return FALSE;

  path = g_strconcat (gauge_store_get_path (self), ".index-lock", NULL);
  *fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (*fd == -1)
    *fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (*fd == -1)
    {
      g_debug ("No lock for indexing at %s: %s", path, g_strerror (errno));
      return TRUE;
    }

  while (flock (*fd, LOCK_EX | LOCK_NB) == -1)
    {
      int saved = errno;

      if (saved == EINTR)
        continue;
      if (saved != EWOULDBLOCK)
        {
          g_debug ("No lock for indexing at %s: %s", path, g_strerror (saved));
          gauge_store_unlock_index (fd);
          return TRUE;
        }
      if (wait_us == LOCK_WAIT_MIN_US)
        g_debug ("Another pass is indexing into %s: waiting for it", gauge_store_get_path (self));
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gauge_store_unlock_index (fd);
          return FALSE;
        }
      g_usleep (wait_us);
      wait_us = MIN (wait_us * 2, LOCK_WAIT_MAX_US);
    }

  return TRUE;
}

/* Lets the next pass, of this process or another, run. */
void
gauge_store_unlock_index (int *fd)
{
  if (*fd != -1)
    close (*fd);   /* drops the lock */
  *fd = -1;
}

/* Whether the index holds no entry yet. */
static gboolean
read_cold (GaugeStore  *self,
           gboolean    *cold,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self, "SELECT NOT EXISTS (SELECT 1 FROM entries)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return FALSE;
    }

  *cold = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

/**
 * gauge_store_begin_bulk:
 * @cold: (out): whether the index is empty (a first run, --recalculate)
 *
 * Before a pass that reads a lot: a bigger page cache; on a cold index, also no
 * secondary indexes (built once by gauge_store_end_bulk()) and no syncs (a crash
 * leaves an index that the next pass reads again from the start: see
 * gauge_store_load_transcript_files()). Call with the index lock held
 * (gauge_store_lock_index()): no other pass adds entries meanwhile. The unique key,
 * not @cold, keeps responses single.
 */
gboolean
gauge_store_begin_bulk (GaugeStore  *self,
                        gboolean    *cold,
                        GError     **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);

  if (!(db = _gauge_store_lock (self, error)))
    return FALSE;

  *cold = FALSE;
  ok = read_cold (self, cold, error);
  if (ok)
    sqlite3_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (BULK_CACHE_KIB), NULL, NULL, NULL);
  /* Every file id an entry gets was registered by gauge_store_add_files() before the
   * read: no need to check the reference on each insert. */
  if (ok && *cold)
    ok = _gauge_store_exec (self,
                            "PRAGMA synchronous = OFF;"
                            "PRAGMA foreign_keys = OFF;"
                            "DROP INDEX IF EXISTS entries_timestamp;"
                            "DROP INDEX IF EXISTS entries_file;",
                            error);
  if (ok)
    g_object_set_data (G_OBJECT (self), BULK_KEY, GINT_TO_POINTER (TRUE));

  _gauge_store_unlock (self);
  return ok;
}

/* After gauge_store_begin_bulk(), even when the pass failed. */
gboolean
gauge_store_end_bulk (GaugeStore  *self,
                      GError     **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);

  if (!(db = _gauge_store_lock (self, error)))
    return FALSE;

  g_object_set_data (G_OBJECT (self), BULK_KEY, NULL);

  ok = _gauge_store_exec (self, create_indexes_sql, error);
  sqlite3_exec (db,
                "PRAGMA synchronous = NORMAL;"
                "PRAGMA foreign_keys = ON;"
                "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB) ";",
                NULL, NULL, NULL);
  sqlite3_db_release_memory (db);

  _gauge_store_unlock (self);
  return ok;
}

/* For --recalculate: the next pass reads every file from the start. */
gboolean
gauge_store_clear_index (GaugeStore  *self,
                         GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (GAUGE_IS_STORE (self), FALSE);

  if (_gauge_store_lock (self, error) == NULL)
    return FALSE;

  ok = _gauge_store_begin (self, error) &&
       _gauge_store_exec (self,
                          "DELETE FROM entries;"
                          "DELETE FROM entry_sums;"
                          "DELETE FROM session_sums;"
                          "DELETE FROM transcript_files;"
                          "INSERT INTO entry_edits (low_ms) VALUES (-9223372036854775807 - 1);",
                          error);
  ok = _gauge_store_commit_or_rollback (self, ok, error);

  _gauge_store_unlock (self);

  return ok;
}

static gint64
count_malformed_locked (GaugeStore  *self,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = _gauge_store_prepare (self, "SELECT coalesce(sum(malformed), 0) FROM transcript_files",
                               error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _gauge_store_set_query_error (self, error);
      return -1;
    }

  return sqlite3_column_int64 (stmt, 0);
}

/* Returns: the malformed lines of every file read so far, or -1 with @error set. */
gint64
gauge_store_count_malformed (GaugeStore  *self,
                             GError     **error)
{
  gint64 ret;

  g_return_val_if_fail (GAUGE_IS_STORE (self), -1);

  if (_gauge_store_lock (self, error) == NULL)
    return -1;

  ret = count_malformed_locked (self, error);
  _gauge_store_unlock (self);

  return ret;
}
