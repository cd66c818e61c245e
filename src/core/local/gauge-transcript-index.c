/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-transcript-index"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-account.h"
#include "gauge-transcript-index-private.h"
#include "gauge-worker.h"

#define PROGRESS_MS       100

G_DEFINE_FINAL_TYPE (GaugeTranscriptIndex, gauge_transcript_index, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_INDEXING,
  PROP_N_MALFORMED,
  N_PROPS
};

enum {
  PROGRESS,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
pass_free (Pass *pass)
{
  g_clear_object (&pass->self);
  g_clear_object (&pass->store);
  g_clear_pointer (&pass->roots, g_strfreev);
  g_clear_pointer (&pass->only_paths, g_ptr_array_unref);
  g_clear_pointer (&pass->dirs, g_ptr_array_unref);
  g_clear_pointer (&pass->unreadable, g_ptr_array_unref);
  g_clear_pointer (&pass->todo, g_ptr_array_unref);
  g_clear_pointer (&pass->known, g_hash_table_unref);
  g_free (pass);
}

/* The pass, on its worker thread. */

static gboolean
run_pass_locked (Pass          *pass,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GaugeTranscriptIndex *self = pass->self;
  gint64 bytes_total = 0;

  if (pass->recalculate && !gauge_store_clear_index (pass->store, error))
    return FALSE;

  if (!_gauge_transcript_index_find_work (pass, error))
    return FALSE;

  for (guint i = 0; i < pass->todo->len; i++)
    {
      Work *work = g_ptr_array_index (pass->todo, i);

      bytes_total += work->file->size - work->file->offset;
    }

  g_atomic_int_set (&self->files_done, 0);
  g_atomic_int_set (&self->files_total, pass->todo->len);
  g_atomic_pointer_set (&self->bytes_done, 0);
  g_atomic_pointer_set (&self->bytes_total, bytes_total);

  g_debug ("%u files to read (%" G_GINT64_FORMAT " bytes)", pass->todo->len, bytes_total);

  if (!_gauge_transcript_index_read (pass, bytes_total, cancellable, error))
    return FALSE;

  if (pass->dirs != NULL)
    _gauge_transcript_index_add_session_dirs (pass);

  /* A pass over a few files counts what changed in them; the whole table is summed only
   * when the count is not known yet, and not by a pass over a few files (the statusline's:
   * the sum reads every file's row). */
  if (pass->only_paths != NULL)
    {
      if (pass->n_malformed < 0)
        return TRUE;
      for (guint i = 0; i < pass->todo->len; i++)
        {
          Work *work = g_ptr_array_index (pass->todo, i);

          pass->n_malformed += work->file->malformed - work->malformed;
        }
      return TRUE;
    }

  pass->n_malformed = gauge_store_count_malformed (pass->store, error);

  return pass->n_malformed >= 0;
}

/* One pass at a time on a database, whatever process runs it: a pass that started from the
 * same stored offsets as another would add that one's lines without a message.id again
 * (only keyed lines have a unique key). So a pass waits for the other to finish, then
 * reads what it left. */
static gboolean
run_pass (Pass          *pass,
          GCancellable  *cancellable,
          GError       **error)
{
  int lock = -1;
  gboolean ok;

  if (!gauge_store_lock_index (pass->store, cancellable, &lock, error))
    return FALSE;
  ok = run_pass_locked (pass, cancellable, error);
  gauge_store_unlock_index (&lock);

  return ok;
}

static void
pass_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Pass *pass = task_data;
  GError *error = NULL;

  pass->todo = g_ptr_array_new_with_free_func (g_free);
  pass->unreadable = g_ptr_array_new_with_free_func (g_free);

  if (run_pass (pass, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  /* A pass looks at every file's row and writes here and there: in an app that runs all
   * day the connection's cache would fill up to its limit with pages it rarely needs. */
  gauge_store_release_memory (pass->store);
}

/* The main context's side: one pass at a time, progress, signals. */

static void start_next_pass (GaugeTranscriptIndex *self);

static gboolean
emit_progress (gpointer data)
{
  GaugeTranscriptIndex *self = data;
  gint64 now[4] = {
    g_atomic_int_get (&self->files_done),
    g_atomic_int_get (&self->files_total),
    g_atomic_pointer_get (&self->bytes_done),
    g_atomic_pointer_get (&self->bytes_total),
  };

  if (memcmp (now, self->last_progress, sizeof now) != 0)
    {
      memcpy (self->last_progress, now, sizeof now);
      g_signal_emit (self, signals[PROGRESS], 0,
                     (guint) now[0], (guint) now[1], (guint64) now[2], (guint64) now[3]);
    }

  return G_SOURCE_CONTINUE;
}

static void
set_indexing (GaugeTranscriptIndex *self,
              gboolean              indexing)
{
  if (self->indexing == indexing)
    return;

  self->indexing = indexing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXING]);
}

static void
set_n_malformed (GaugeTranscriptIndex *self,
                 gint64                n_malformed)
{
  if (self->n_malformed == n_malformed)
    return;

  self->n_malformed = n_malformed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MALFORMED]);
}

static void
pass_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GaugeTranscriptIndex *self = GAUGE_TRANSCRIPT_INDEX (object);
  g_autoptr(GPtrArray) tasks = user_data;
  Pass *pass = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->running = FALSE;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  emit_progress (self);

  if (ok)
    {
      _gauge_transcript_index_say_unreadable (self, pass);
      if (pass->n_malformed >= 0)
        {
          set_n_malformed (self, pass->n_malformed);
          self->malformed_counted = TRUE;
        }
      if (self->started && pass->dirs != NULL)
        _gauge_transcript_index_watch (self, pass->dirs);
    }
  /* A caller that asked for this pass gets the error and says it; a damaged database that
   * was replaced has its own message (gauge_store_take_recovery_message()). */
  else if (tasks->len == 0 &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
    g_warning ("Could not index Claude Code's transcripts: %s", error->message);

  if (ok && pass->n_changed > 0)
    g_signal_emit (self, signals[CHANGED], 0);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (ok)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  if (self->next_requested && !g_cancellable_is_cancelled (self->cancellable))
    start_next_pass (self);
  else
    set_indexing (self, FALSE);
}

/* The environment's project folders, then the other accounts', each once. */
static GStrv
project_dirs (GaugeTranscriptIndex *self)
{
  g_auto(GStrv) roots = gauge_transcript_index_find_project_dirs ();
  g_autoptr(GStrvBuilder) builder = NULL;

  if (self->account_folders == NULL)
    return g_steal_pointer (&roots);

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) roots);
  for (guint i = 0; self->account_folders[i] != NULL; i++)
    {
      g_autofree char *projects = g_build_filename (self->account_folders[i], "projects", NULL);
      gboolean known = FALSE;

      for (guint j = 0; !known && roots[j] != NULL; j++)
        {
          g_autofree char *parent = g_path_get_dirname (roots[j]);
          g_autofree char *folder = gauge_account_normalize_folder (parent);

          known = g_strcmp0 (folder, self->account_folders[i]) == 0;
        }
      if (!known)
        g_strv_builder_add (builder, projects);
    }

  return g_strv_builder_end (builder);
}

static void
start_next_pass (GaugeTranscriptIndex *self)
{
  g_autoptr(GTask) task = NULL;
  Pass *pass;

  g_assert (!self->running);
  g_assert (self->next_requested);

  pass = g_new0 (Pass, 1);
  pass->self = g_object_ref (self);
  pass->store = g_object_ref (self->store);
  pass->roots = project_dirs (self);
  pass->recalculate = self->next_recalculate;
  pass->n_malformed = self->malformed_counted && !self->next_recalculate ? self->n_malformed : -1;
  if (self->started)
    pass->dirs = g_ptr_array_new_with_free_func (g_free);
  if (!self->next_full && self->next_paths != NULL)
    {
      GHashTableIter iter;
      gpointer path;

      pass->only_paths = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_iter_init (&iter, self->next_paths);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        g_ptr_array_add (pass->only_paths, g_strdup (path));
    }

  self->next_requested = FALSE;
  self->next_full = FALSE;
  self->next_recalculate = FALSE;
  g_clear_pointer (&self->next_paths, g_hash_table_unref);

  self->running = TRUE;
  memset (self->last_progress, 0, sizeof self->last_progress);
  set_indexing (self, TRUE);
  self->progress_id = g_timeout_add (PROGRESS_MS, emit_progress, self);

  task = g_task_new (self, self->cancellable, pass_done,
                     g_steal_pointer (&self->next_tasks));
  self->next_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_source_tag (task, start_next_pass);
  g_task_set_task_data (task, pass, (GDestroyNotify) pass_free);
  gauge_worker_run_in_thread (task, pass_thread);
}

/* Asks for a pass: it starts now, or after the running one (which may have missed the change). */
void
_gauge_transcript_index_request_pass (GaugeTranscriptIndex *self,
                                      GTask                *task,
                                      gboolean              full,
                                      GHashTable           *paths,
                                      gboolean              recalculate)
{
  self->next_requested = TRUE;
  self->next_full |= full || paths == NULL;
  self->next_recalculate |= recalculate;

  if (task != NULL)
    g_ptr_array_add (self->next_tasks, g_object_ref (task));

  if (!self->next_full && paths != NULL)
    {
      GHashTableIter iter;
      gpointer path;

      if (self->next_paths == NULL)
        self->next_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_iter_init (&iter, paths);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        g_hash_table_add (self->next_paths, g_strdup (path));
    }

  if (!self->running)
    start_next_pass (self);
}

/* Public API. */

GaugeTranscriptIndex *
gauge_transcript_index_new (GaugeStore *store)
{
  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);

  return g_object_new (GAUGE_TYPE_TRANSCRIPT_INDEX, "store", store, NULL);
}

gboolean
gauge_transcript_index_get_indexing (GaugeTranscriptIndex *self)
{
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self), FALSE);

  return self->indexing;
}

/* Malformed lines in all transcripts read so far (as of the last pass). */
gint64
gauge_transcript_index_get_n_malformed (GaugeTranscriptIndex *self)
{
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self), 0);

  return self->n_malformed;
}


/* A pass for a caller: it gets the pass's outcome through @callback. */
static void
request_pass_with_task (GaugeTranscriptIndex *self,
                        gboolean              recalculate,
                        gpointer              source_tag,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _gauge_transcript_index_request_pass (self, task, TRUE, NULL, recalculate);
}

static gboolean
pass_finish (GaugeTranscriptIndex  *self,
             GAsyncResult          *result,
             gpointer               source_tag,
             GError               **error)
{
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * gauge_transcript_index_update_async:
 *
 * One pass: finds the transcripts and reads what changed. When a pass is
 * already running, this waits for the one after it.
 */
void
gauge_transcript_index_update_async (GaugeTranscriptIndex *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_pass_with_task (self, FALSE, gauge_transcript_index_update_async, cancellable,
                          callback, user_data);
}

/**
 * gauge_transcript_index_set_account_folders:
 * @folders: (nullable): the accounts' config folders
 *
 * Reads the `projects/` of these folders too, besides the environment's
 * (gauge_transcript_index_find_project_dirs()): an account added in Preferences has its own
 * transcripts there. A change is read at once when the index watches.
 */
void
gauge_transcript_index_set_account_folders (GaugeTranscriptIndex *self,
                                            const char * const   *folders)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  if (folders == NULL ? self->account_folders == NULL
                      : self->account_folders != NULL &&
                        g_strv_equal (folders, (const char * const *) self->account_folders))
    return;

  g_strfreev (self->account_folders);
  self->account_folders = g_strdupv ((char **) folders);
  if (self->started)
    _gauge_transcript_index_request_pass (self, NULL, TRUE, NULL, FALSE);
}

gboolean
gauge_transcript_index_update_finish (GaugeTranscriptIndex  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  return pass_finish (self, result, gauge_transcript_index_update_async, error);
}

/**
 * gauge_transcript_index_update_files_async:
 * @paths: transcripts, by absolute path: those outside the project folders are left alone
 *
 * A pass over these files only: reads what was appended to them (the statusline's own
 * session). Waits for a pass already running, as any pass does: cancel @cancellable to
 * give up waiting or reading (what was read so far stays, as after any interruption).
 */
void
gauge_transcript_index_update_files_async (GaugeTranscriptIndex *self,
                                           const char * const   *paths,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) set = NULL;

  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));
  g_return_if_fail (paths != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_transcript_index_update_files_async);
  set = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; paths[i] != NULL; i++)
    g_hash_table_add (set, (gpointer) paths[i]);
  _gauge_transcript_index_request_pass (self, task, FALSE, set, FALSE);
}

gboolean
gauge_transcript_index_update_files_finish (GaugeTranscriptIndex  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  return pass_finish (self, result, gauge_transcript_index_update_files_async, error);
}

/**
 * gauge_transcript_index_recalculate_async:
 *
 * Drops the index and reads every transcript again (`claude-gauge --recalculate`).
 * Entries of transcripts Claude Code has deleted since are lost.
 */
void
gauge_transcript_index_recalculate_async (GaugeTranscriptIndex *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_pass_with_task (self, TRUE, gauge_transcript_index_recalculate_async, cancellable,
                          callback, user_data);
}

gboolean
gauge_transcript_index_recalculate_finish (GaugeTranscriptIndex  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  return pass_finish (self, result, gauge_transcript_index_recalculate_async, error);
}

/* GObject. */

static void
gauge_transcript_index_dispose (GObject *object)
{
  GaugeTranscriptIndex *self = (GaugeTranscriptIndex *)object;

  g_cancellable_cancel (self->cancellable);
  gauge_transcript_index_stop (self);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gauge_transcript_index_parent_class)->dispose (object);
}

static void
gauge_transcript_index_finalize (GObject *object)
{
  GaugeTranscriptIndex *self = (GaugeTranscriptIndex *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->next_paths, g_hash_table_unref);
  g_clear_pointer (&self->dirty_paths, g_hash_table_unref);
  g_clear_pointer (&self->monitors, g_hash_table_unref);
  g_clear_pointer (&self->unreadable_said, g_free);
  g_clear_pointer (&self->account_folders, g_strfreev);

  G_OBJECT_CLASS (gauge_transcript_index_parent_class)->finalize (object);
}

static void
gauge_transcript_index_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  GaugeTranscriptIndex *self = GAUGE_TRANSCRIPT_INDEX (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_INDEXING:
      g_value_set_boolean (value, self->indexing);
      break;

    case PROP_N_MALFORMED:
      g_value_set_int64 (value, self->n_malformed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_transcript_index_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  GaugeTranscriptIndex *self = GAUGE_TRANSCRIPT_INDEX (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_transcript_index_class_init (GaugeTranscriptIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_transcript_index_dispose;
  object_class->finalize = gauge_transcript_index_finalize;
  object_class->get_property = gauge_transcript_index_get_property;
  object_class->set_property = gauge_transcript_index_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         GAUGE_TYPE_STORE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INDEXING] =
    g_param_spec_boolean ("indexing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_MALFORMED] =
    g_param_spec_int64 ("n-malformed", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT64, G_TYPE_UINT64);

  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
gauge_transcript_index_init (GaugeTranscriptIndex *self)
{
  self->cancellable = g_cancellable_new ();
  self->next_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}
