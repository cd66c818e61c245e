/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-transcript-index"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gauge-transcript-index-private.h"
#include "gauge-transcript-parser.h"

/*
 * The reader: what the walk found is read from each file's offset on by reader threads, in
 * batches that one writer thread commits while the readers parse the next.
 */

#define CHUNK_SIZE        (1024 * 1024)  /* read size; a longer line grows the buffer */
#define MAX_LINE          (64 * 1024 * 1024)  /* a longer line is skipped as malformed */
#define FLUSH_ENTRIES     16384
#define FLUSH_FILES       1024
#define STRINGS_BLOCK     (64 * 1024)    /* a batch's strings: ~60 bytes an entry */
#define BULK_BYTES        (64 * 1024 * 1024)  /* a pass reading this much loads in bulk */
#define BATCHES_IN_FLIGHT 1
#define N_READERS         2              /* threads reading and parsing; one more writes */

/* What one write commits: entries with the read positions of their files at that point. */
typedef struct
{
  GArray       *files;          /* GaugeTranscriptFile snapshots; their strings borrowed */
  GArray       *entries;        /* their strings live in @strings */
  GArray       *file_indexes;
  GStringChunk *strings;
  GaugeEntryBatch *prepared;    /* @entries keyed and deduplicated by the reader */
} Batch;

/* The last string copied into a batch's chunk for one field: lines in a row mostly repeat
 * it (a file's session, project and model; the ids of one response written as several
 * lines), and then share the copy. */
typedef struct
{
  gsize  len;
  char  *copy;
} LastString;

enum {
  LAST_MODEL,
  LAST_MESSAGE_ID,
  LAST_REQUEST_ID,
  N_LAST
};

/* What the readers of one pass share: the next file to take, and the writer thread with the
 * batches to write and tokens that bound how many are in flight. */
typedef struct
{
  Pass        *pass;
  gint         next_work;   /* the next todo item a reader takes */
  GThread     *writer;
  GAsyncQueue *batches;
  GAsyncQueue *tokens;
  gint         write_failed;
  GError      *write_error;
  guint        n_changed;   /* by the writer */
} Reading;

/* One reading thread's state: it takes the next file of the pass until none is left. */
typedef struct
{
  Reading               *reading;
  GaugeTranscriptIndex  *self;
  GaugeTranscriptParser *parser;
  GPtrArray             *pending_files;
  GArray                *entries;
  GArray                *file_indexes;
  GStringChunk          *strings;     /* the entries' strings, handed over with them */
  LastString             last[N_LAST];
  char                  *buffer;
  gsize                  capacity;    /* usable bytes; padding follows */
  GPtrArray             *unreadable;  /* files it could not open (permission) */
  GCancellable          *cancellable;
  GError                *error;
  GThread               *thread;
} Reader;

static Batch stop_batch;

static void
batch_free (Batch *batch)
{
  g_array_unref (batch->files);
  g_array_unref (batch->entries);
  g_array_unref (batch->file_indexes);
  g_string_chunk_free (batch->strings);
  gauge_entry_batch_free (batch->prepared);
  g_free (batch);
}

/* The writer thread: commits batches in order while the pass thread parses the next ones. */
static gpointer
writer_thread (gpointer data)
{
  Reading *reading = data;
  Batch *batch;
  struct timespec cpu;

  while ((batch = g_async_queue_pop (reading->batches)) != &stop_batch)
    {
      if (!g_atomic_int_get (&reading->write_failed))
        {
          g_autoptr(GPtrArray) files = g_ptr_array_sized_new (batch->files->len);
          guint changed = 0;

          for (guint i = 0; i < batch->files->len; i++)
            g_ptr_array_add (files, &g_array_index (batch->files, GaugeTranscriptFile, i));

          if (gauge_store_write_batch (reading->pass->store, files, batch->prepared, &changed,
                                       &reading->write_error))
            reading->n_changed += changed;
          else
            g_atomic_int_set (&reading->write_failed, TRUE);
        }

      batch_free (batch);
      g_async_queue_push (reading->tokens, GINT_TO_POINTER (1));
    }

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu) == 0)
    g_debug ("Writer: %ld ms of CPU", (long) (cpu.tv_sec * 1000 + cpu.tv_nsec / 1000000));

  return NULL;
}

/* A reader's new batch: its entries own no strings, they point into the batch's chunk. */
static void
reader_start_batch (Reader *reader)
{
  reader->entries = g_array_sized_new (FALSE, TRUE, sizeof (GaugeLocalEntry), FLUSH_ENTRIES);
  reader->file_indexes = g_array_sized_new (FALSE, FALSE, sizeof (guint), FLUSH_ENTRIES);
  reader->strings = g_string_chunk_new (STRINGS_BLOCK);
  memset (reader->last, 0, sizeof reader->last);
}

/* Hands what was read so far to the writer; waits while it has BATCHES_IN_FLIGHT already.
 * @partial: the file being read, if its end is still to come: its row then says how far it
 * was read, never that it was read to its size, or a pass stopped before the rest commits
 * (killed, quit, a full disk) would leave the rest unread for good.
 * Returns: %FALSE when a write failed (the error comes with stop_writer()). */
static gboolean
flush (Reader              *reader,
       GaugeTranscriptFile *partial)
{
  Batch *batch;

  if (g_atomic_int_get (&reader->reading->write_failed))
    return FALSE;

  if (reader->pending_files->len == 0 && reader->entries->len == 0)
    return TRUE;

  batch = g_new0 (Batch, 1);
  batch->files = g_array_sized_new (FALSE, FALSE, sizeof (GaugeTranscriptFile),
                                    reader->pending_files->len);
  for (guint i = 0; i < reader->pending_files->len; i++)
    {
      GaugeTranscriptFile *file = g_ptr_array_index (reader->pending_files, i);

      g_array_append_vals (batch->files, file, 1);
      if (file == partial)
        {
          GaugeTranscriptFile *copy = &g_array_index (batch->files, GaugeTranscriptFile, i);

          copy->size = -1;
          copy->mtime_us = 0;
        }
    }
  batch->entries = g_steal_pointer (&reader->entries);
  batch->file_indexes = g_steal_pointer (&reader->file_indexes);
  batch->strings = g_steal_pointer (&reader->strings);
  batch->prepared = gauge_entry_batch_new (reader->pending_files, batch->entries,
                                           batch->file_indexes);

  reader_start_batch (reader);
  g_ptr_array_set_size (reader->pending_files, 0);

  g_async_queue_pop (reader->reading->tokens);
  g_async_queue_push (reader->reading->batches, batch);

  return TRUE;
}

static void
start_writer (Reading *reading)
{
  reading->batches = g_async_queue_new ();
  reading->tokens = g_async_queue_new ();
  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    g_async_queue_push (reading->tokens, GINT_TO_POINTER (1));
  reading->writer = g_thread_new ("gauge-index-writer", writer_thread, reading);
}

/* Waits for the writes queued so far. Returns: %FALSE with @error set when one failed. */
static gboolean
stop_writer (Reading *reading,
             GError **error)
{
  g_async_queue_push (reading->batches, &stop_batch);
  g_thread_join (g_steal_pointer (&reading->writer));
  g_clear_pointer (&reading->batches, g_async_queue_unref);
  g_clear_pointer (&reading->tokens, g_async_queue_unref);

  if (reading->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&reading->write_error));
      return FALSE;
    }

  return TRUE;
}

/* @str copied into the batch's chunk (nul-terminated), or the copy made for the previous
 * entry when the bytes are the same. */
static char *
batch_string (Reader     *reader,
              guint       field,
              const char *str,
              gsize       len)
{
  LastString *last = &reader->last[field];

  if (str == NULL)
    return NULL;

  if (last->copy != NULL && last->len == len && memcmp (last->copy, str, len) == 0)
    return last->copy;

  last->len = len;
  last->copy = g_string_chunk_insert_len (reader->strings, str, len);
  return last->copy;
}

static void
add_entry (const GaugeTranscriptLine *line,
           gpointer                   data)
{
  Reader *reader = data;
  GaugeLocalEntry entry = { 0, };
  guint index = reader->pending_files->len - 1;

  entry.timestamp_ms = line->timestamp_ms;
  entry.model = batch_string (reader, LAST_MODEL, line->model.str, line->model.len);
  entry.message_id = batch_string (reader, LAST_MESSAGE_ID, line->message_id.str,
                                   line->message_id.len);
  entry.request_id = batch_string (reader, LAST_REQUEST_ID, line->request_id.str,
                                   line->request_id.len);
  entry.fast = line->fast;
  entry.is_sidechain = line->is_sidechain;
  entry.input_tokens = line->input_tokens;
  entry.output_tokens = line->output_tokens;
  entry.cache_creation_5m_tokens = line->cache_creation_5m_tokens;
  entry.cache_creation_1h_tokens = line->cache_creation_1h_tokens;
  entry.cache_read_tokens = line->cache_read_tokens;
  entry.cost_usd = line->cost_usd;

  g_array_append_val (reader->entries, entry);
  g_array_append_val (reader->file_indexes, index);

  /* Each advisor sub-request an entry of its own, under the response's ids (its own key:
   * gauge_entry_batch_new()), never in fast mode and without the line's costUSD: as ccusage. */
  for (guint i = 0; i < line->n_advisors; i++)
    {
      const GaugeAdvisorUsage *advisor = &line->advisors[i];

      entry.model = batch_string (reader, LAST_MODEL, advisor->model.str, advisor->model.len);
      entry.advisor = advisor->ordinal;
      entry.fast = FALSE;
      entry.input_tokens = advisor->input_tokens;
      entry.output_tokens = advisor->output_tokens;
      entry.cache_creation_5m_tokens = advisor->cache_creation_5m_tokens;
      entry.cache_creation_1h_tokens = advisor->cache_creation_1h_tokens;
      entry.cache_read_tokens = advisor->cache_read_tokens;
      entry.cost_usd = NAN;

      g_array_append_val (reader->entries, entry);
      g_array_append_val (reader->file_indexes, index);
    }
}

/* Parses the complete lines of buffer[0..length); returns the bytes consumed. */
static gsize
parse_lines (Reader     *reader,
             const Work *work,
             gsize       length,
             gboolean    at_eof)
{
  return gauge_transcript_parser_parse_lines (reader->parser, reader->buffer, length,
                                              reader->capacity + GAUGE_TRANSCRIPT_PADDING,
                                              at_eof, add_entry, reader,
                                              &work->file->malformed);
}

/* The offset just after the next newline at or after @from, or -1 when there is none. */
static gint64
line_end (int    fd,
          gint64 from)
{
  char chunk[64 * 1024];

  for (;;)
    {
      gssize n = pread (fd, chunk, sizeof chunk, from);
      const char *newline;

      if (n == -1 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      if ((newline = memchr (chunk, '\n', n)) != NULL)
        return from + (newline - chunk) + 1;
      from += n;
    }
}

/* The buffer with room for @capacity bytes and the parser's padding after them. */
static void
reader_resize (Reader *reader,
               gsize   capacity)
{
  reader->capacity = capacity;
  reader->buffer = g_realloc (reader->buffer,
                              reader->capacity + GAUGE_TRANSCRIPT_PADDING);
}

static gboolean
read_file (Reader        *reader,
           Work          *work,
           GCancellable  *cancellable,
           GError       **error)
{
  GaugeTranscriptFile *file = work->file;
  gint64 base = file->offset;   /* the file offset of buffer[0] */
  gsize have = 0;
  struct stat st;
  int fd;

  /* Not blocking: the file may have become a FIFO since the walk. */
  fd = open (file->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd == -1)
    {
      _gauge_transcript_index_note_if_denied (reader->unreadable, file->path, errno);
      return TRUE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_debug ("Skipping %s: not a regular file any more", file->path);
      close (fd);
      return TRUE;
    }
  /* A network or FUSE file system may take the flag to heart for a file too. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);

  g_ptr_array_add (reader->pending_files, file);

  for (;;)
    {
      gssize n;
      gsize consumed;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }

      if (have == reader->capacity && reader->capacity >= MAX_LINE)
        {
          /* No response is that long: skip to the line's end, or leave it for the next pass
           * when it has none yet. */
          gint64 end = line_end (fd, base + have);

          if (end < 0)
            break;
          work->file->malformed++;
          base = end;
          file->offset = base;
          have = 0;
          continue;
        }

      if (have == reader->capacity)
        {
          /* One line longer than the buffer: grow to hold it. */
          reader_resize (reader, reader->capacity * 2);
        }

      n = pread (fd, reader->buffer + have, reader->capacity - have, base + have);
      if (n == -1 && errno == EINTR)
        continue;
      if (n == -1)
        {
          g_debug ("Could not read %s: %s", file->path, g_strerror (errno));
          break;
        }

      g_atomic_pointer_add (&reader->self->bytes_done, n);
      have += n;

      consumed = parse_lines (reader, work, have, n == 0);
      base += consumed;
      file->offset = base;
      memmove (reader->buffer, reader->buffer + consumed, have - consumed);
      have -= consumed;

      if (n == 0)
        break;

      if (reader->entries->len >= FLUSH_ENTRIES)
        {
          if (!flush (reader, file))
            {
              close (fd);
              return FALSE;
            }
          g_ptr_array_add (reader->pending_files, file);
        }
    }

  /* What was read, so the next pass skips an unchanged file without reading it. */
  file->size = MAX (file->size, base + (gint64) have);
  close (fd);

  /* A huge line should not keep its buffer for the rest of the pass. */
  if (reader->capacity > CHUNK_SIZE)
    reader_resize (reader, CHUNK_SIZE);

  if (reader->entries->len >= FLUSH_ENTRIES || reader->pending_files->len >= FLUSH_FILES)
    return flush (reader, NULL);

  return TRUE;
}

/* Full paths in byte order: on a tie between duplicates, the copy of the first file stays
 * (as in ccusage). */
static int
work_compare (gconstpointer a,
              gconstpointer b)
{
  const Work *x = *(const Work * const *) a;
  const Work *y = *(const Work * const *) b;

  return strcmp (x->file->path, y->file->path);
}

static void
reader_free (Reader *reader)
{
  g_clear_pointer (&reader->parser, gauge_transcript_parser_free);
  g_clear_pointer (&reader->pending_files, g_ptr_array_unref);
  g_clear_pointer (&reader->entries, g_array_unref);
  g_clear_pointer (&reader->file_indexes, g_array_unref);
  g_clear_pointer (&reader->strings, g_string_chunk_free);
  g_clear_pointer (&reader->buffer, g_free);
  g_clear_pointer (&reader->unreadable, g_ptr_array_unref);
  g_clear_error (&reader->error);
  g_free (reader);
}

/* Readers that never started. */
static void
readers_free (Reader **readers,
              guint    n_readers)
{
  for (guint i = 0; i < n_readers; i++)
    reader_free (readers[i]);
}

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;
  Reading *reading = reader->reading;
  Pass *pass = reading->pass;
  gboolean ok = TRUE;
  guint i;

  while (ok && (i = (guint) g_atomic_int_add (&reading->next_work, 1)) < pass->todo->len)
    {
      ok = read_file (reader, g_ptr_array_index (pass->todo, i), reader->cancellable,
                      &reader->error);
      g_atomic_int_inc (&reader->self->files_done);
    }

  if (ok)
    flush (reader, NULL);

  /* Stop the others too. */
  if (!ok)
    g_atomic_int_set (&reading->next_work, G_MAXINT / 2);

  return NULL;
}

/* Readers parse files in parallel (each file by one reader, in order); the writer commits
 * their batches. The dedup tie-break does not depend on the commit order (see
 * gauge_store_write_batch()). */
static gboolean
read_all (Pass          *pass,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_sized_new (pass->todo->len);
  Reading reading = { pass, 0, };
  Reader *readers[N_READERS] = { NULL, };
  guint n_readers = MIN (N_READERS, pass->todo->len);
  GError *read_error = NULL;
  gboolean ok;

  for (guint i = 0; i < n_readers; i++)
    {
      Reader *reader = g_new0 (Reader, 1);

      reader->reading = &reading;
      reader->self = pass->self;
      reader->cancellable = cancellable;
      reader->parser = gauge_transcript_parser_new ();
      reader->pending_files = g_ptr_array_new ();
      reader->unreadable = g_ptr_array_new_with_free_func (g_free);
      reader_start_batch (reader);
      reader_resize (reader, CHUNK_SIZE);
      readers[i] = reader;
    }

  /* The executable's parser is a module, loaded now (the first time): it can be missing. */
  if (readers[0]->parser == NULL)
    {
      readers_free (readers, n_readers);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Claude Gauge is not installed completely (its transcript parser "
                             "is missing). Reinstall it."));
      return FALSE;
    }

  for (guint i = 0; i < pass->todo->len; i++)
    g_ptr_array_add (files, ((Work *) g_ptr_array_index (pass->todo, i))->file);
  if (!gauge_store_add_files (pass->store, files, error))
    {
      readers_free (readers, n_readers);
      return FALSE;
    }

  start_writer (&reading);

  /* The last reader runs on this thread. */
  for (guint i = 0; i + 1 < n_readers; i++)
    readers[i]->thread = g_thread_new ("gauge-index-read", reader_thread, readers[i]);
  reader_thread (readers[n_readers - 1]);

  for (guint i = 0; i < n_readers; i++)
    {
      if (readers[i]->thread != NULL)
        g_thread_join (readers[i]->thread);
      if (read_error == NULL && readers[i]->error != NULL)
        read_error = g_steal_pointer (&readers[i]->error);
      g_ptr_array_extend_and_steal (pass->unreadable, g_steal_pointer (&readers[i]->unreadable));
      reader_free (readers[i]);
    }

  /* A write error first: it is why reading stopped, when it did. */
  ok = stop_writer (&reading, error);
  pass->n_changed += reading.n_changed;
  if (ok && read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  g_clear_error (&read_error);

  return ok;
}

/**
 * _gauge_transcript_index_read:
 * @bytes_total: what @pass->todo holds to read
 *
 * Reads the files of @pass->todo from their offsets on and commits what they hold: a pass
 * reading much loads in bulk (the store's faster mode for a cold index).
 */
gboolean
_gauge_transcript_index_read (Pass          *pass,
                              gint64         bytes_total,
                              GCancellable  *cancellable,
                              GError       **error)
{
  gboolean bulk = bytes_total >= BULK_BYTES;
  gboolean cold = FALSE, ok;

  g_ptr_array_sort (pass->todo, work_compare);

  if (bulk && !gauge_store_begin_bulk (pass->store, &cold, error))
    return FALSE;
  if (cold)
    g_debug ("Cold index: bulk load");

  /* Nothing changed: no transaction at all. */
  ok = pass->todo->len == 0 || read_all (pass, cancellable, error);

  if (bulk && !gauge_store_end_bulk (pass->store, ok ? error : NULL))
    ok = FALSE;

#ifdef __GLIBC__
  /* The readers' and the writer's batches were freed in their threads' malloc arenas, which
   * keep the pages: give them back, or whatever runs next (a report) stacks on top. */
  if (bulk)
    malloc_trim (0);
#endif

  return ok;
}
