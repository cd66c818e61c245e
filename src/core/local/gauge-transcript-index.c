/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-transcript-index"

#include "config.h"

#include <glib/gi18n.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gauge-store-index.h"
#include "gauge-transcript-index.h"
#include "gauge-transcript-parser.h"

#define CHUNK_SIZE        (1024 * 1024)  /* read size; a longer line grows the buffer */
#define MAX_LINE          (64 * 1024 * 1024)  /* a longer line is skipped as malformed */
#define FLUSH_ENTRIES     16384
#define FLUSH_FILES       1024
#define STRINGS_BLOCK     (64 * 1024)    /* a batch's strings: ~60 bytes an entry */
#define BULK_BYTES        (64 * 1024 * 1024)  /* a pass reading this much loads in bulk */
#define DEBOUNCE_MS       300
#define RESCAN_SECONDS    60             /* fallback for events a monitor missed */
#define PROGRESS_MS       100
#define MAX_MONITORS      4096
/* Folders below a project (a session's, its sub-agents') are watched while something in
 * them changed this recently, or once a pass reads a file of theirs that did: each watch
 * costs about 2 KB and one of the user's inotify watches, and a long history has
 * thousands of such folders, nearly all finished. What the watches miss, the rescan finds. */
#define WATCH_RECENT_US   (3 * G_TIME_SPAN_DAY)

struct _GaugeTranscriptIndex
{
  GObject       parent_instance;

  GaugeStore   *store;
  GMainContext *context;
  GCancellable *cancellable;

  /* The pass running and the one queued behind it. */
  gboolean      running;
  GPtrArray    *next_tasks;
  gboolean      next_requested;
  gboolean      next_full;
  gboolean      next_recalculate;
  GHashTable   *next_paths;        /* for a pass that reads only these files */

  gboolean      indexing;
  char         *unreadable_said;   /* the last warning about what could not be read */
  gint64        n_malformed;
  gboolean      malformed_counted; /* n_malformed is known: a pass counted them all */

  /* Written by the worker, read on the main context. */
  gint          files_done;
  gint          files_total;
  gssize        bytes_done;
  gssize        bytes_total;
  guint         progress_id;
  gint64        last_progress[4];

  /* Watching. */
  gboolean      started;
  GHashTable   *monitors;          /* dir → GFileMonitor */
  guint         debounce_id;
  guint         rescan_id;
  gboolean      dirty_full;
  GHashTable   *dirty_paths;
};

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

/* One pass, owned by the worker thread while it runs. */
typedef struct
{
  GaugeTranscriptIndex *self;       /* for the progress counters only */
  GaugeStore           *store;
  GStrv                 roots;
  GPtrArray            *only_paths; /* NULL: discover everything */
  gboolean              recalculate;

  /* Results. */
  GPtrArray            *dirs;       /* folders to watch; NULL when not watching */
  GPtrArray            *unreadable; /* folders and files the user may not read */
  guint                 n_changed;
  gint64                n_malformed;/* before the pass (-1: unknown), then after it */

  /* Work state. */
  GHashTable           *known;      /* path → GaugeTranscriptFile (from the store) */
  GHashTable           *seen;       /* Identity (device, inode) of files met in this pass */
  GPtrArray            *todo;       /* Work */

  /* The writer thread: batches to write, and tokens that bound how many are in flight. */
  GThread              *writer;
  gint                  next_work;  /* the next todo item a reader takes */
  GAsyncQueue          *batches;
  GAsyncQueue          *tokens;
  gint                  write_failed;
  GError               *write_error;
} Pass;

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

#define BATCHES_IN_FLIGHT 1
#define N_READERS         2   /* threads reading and parsing; one more writes */

/* One reading thread's state: it takes the next file of the pass until none is left. */
typedef struct
{
  Pass                 *owner;
  GaugeTranscriptIndex *self;
  GaugeTranscriptParser *parser;
  GPtrArray            *pending_files;
  GArray               *entries;
  GArray               *file_indexes;
  GStringChunk         *strings;     /* the entries' strings, handed over with them */
  LastString            last[N_LAST];
  char                 *buffer;
  gsize                 capacity;   /* usable bytes; padding follows */
  GPtrArray            *unreadable; /* files it could not open (permission) */
  GCancellable         *cancellable;
  GError               *error;
  GThread              *thread;
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

typedef struct
{
  GaugeTranscriptFile *file;        /* owned by Pass.known */
  gint64               malformed;   /* the file's malformed lines before this pass */
} Work;

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
  g_clear_pointer (&pass->seen, g_hash_table_unref);
  g_clear_pointer (&pass->batches, g_async_queue_unref);
  g_clear_pointer (&pass->tokens, g_async_queue_unref);
  g_clear_error (&pass->write_error);
  g_free (pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pass, pass_free)

/* Discovery. */

/**
 * gauge_transcript_index_find_project_dirs:
 *
 * Where Claude Code keeps transcripts, as it and ccusage look for them: each
 * `<dir>/projects` of the comma-separated `CLAUDE_CONFIG_DIR`, else
 * `~/.config/claude/projects` and `~/.claude/projects`. Folders that do not
 * exist (yet) are included.
 *
 * Returns: (transfer full): the folders
 */
GStrv
gauge_transcript_index_find_project_dirs (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *config_dir = g_getenv ("CLAUDE_CONFIG_DIR");

  if (config_dir != NULL && *config_dir != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (config_dir, ",", -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        {
          const char *dir = g_strstrip (dirs[i]);

          if (*dir != '\0')
            {
              g_autofree char *projects = g_build_filename (dir, "projects", NULL);

              g_strv_builder_add (builder, projects);
            }
        }
    }
  else
    {
      g_autofree char *xdg_style = g_build_filename (g_get_home_dir (), ".config", "claude",
                                                     "projects", NULL);
      g_autofree char *classic = g_build_filename (g_get_home_dir (), ".claude", "projects", NULL);

      g_strv_builder_add (builder, xdg_style);
      g_strv_builder_add (builder, classic);
    }

  return g_strv_builder_end (builder);
}

/* The project of a transcript: the first folder below projects/. */
static char *
project_of (const char *root,
            const char *path)
{
  gsize len = strlen (root);
  const char *rest;
  const char *slash;

  if (strncmp (path, root, len) != 0 || path[len] != '/')
    return NULL;

  rest = path + len + 1;
  slash = strchr (rest, '/');
  if (slash == NULL)
    return NULL;   /* a file directly in projects/ belongs to no project */

  return g_strndup (rest, slash - rest);
}

/* The session of a transcript as ccusage names it: from the path, not the lines' sessionId.
 * `<session>.jsonl`, or `<session>/subagents/agent-*.jsonl` (a flat `agent-x.jsonl` is its
 * own session). */
static char *
session_of (const char *path)
{
  const char *slash = strrchr (path, '/');
  const char *name = slash != NULL ? slash + 1 : path;
  gsize len = strlen (name);

  if (len > 6 && memcmp (name + len - 6, ".jsonl", 6) == 0)
    len -= 6;

  if (slash != NULL && slash - path >= 10 && memcmp (slash - 10, "/subagents", 10) == 0)
    {
      const char *dir_end = slash - 10;
      const char *dir = dir_end;

      while (dir > path && dir[-1] != '/')
        dir--;
      if (dir < dir_end)
        return g_strndup (dir, dir_end - dir);
    }

  return g_strndup (name, len);
}

/* A folder or file the user may not read is left out, and said once a pass (pass_done()):
 * anything else that fails to open (gone meanwhile, a loop) is not the user's to fix. */
static void
note_if_denied (GPtrArray  *unreadable,
                const char *path,
                int         err)
{
  if (err == EACCES || err == EPERM)
    g_ptr_array_add (unreadable, g_strdup (path));
  else
    g_debug ("Cannot open %s: %s", path, g_strerror (err));
}

static gboolean
has_jsonl_suffix (const char *name)
{
  gsize len = strlen (name);

  return len > 6 && memcmp (name + len - 6, ".jsonl", 6) == 0;
}

/* What a walk met: a transcript and its stat. The strings are borrowed. */
typedef struct
{
  const char *path;
  const char *project;
  gint64      device;
  gint64      inode;
  gint64      size;
  gint64      mtime_us;
} Found;

typedef struct
{
  gint64 device;
  gint64 inode;
} Identity;

static guint
identity_hash (gconstpointer data)
{
  const Identity *id = data;

  return (guint) (id->inode ^ (id->inode >> 32) ^ (id->device * 31));
}

static gboolean
identity_equal (gconstpointer a,
                gconstpointer b)
{
  const Identity *x = a;
  const Identity *y = b;

  return x->device == y->device && x->inode == y->inode;
}

static void
consider_file (Pass        *pass,
               const Found *found)
{
  GaugeTranscriptFile *file;
  Identity *identity;
  gint64 malformed;
  Work *work;

  /* The same file reached twice (a root listed twice, a symlinked config folder). */
  identity = g_new (Identity, 1);
  identity->device = found->device;
  identity->inode = found->inode;
  if (!g_hash_table_add (pass->seen, identity))
    return;

  file = g_hash_table_lookup (pass->known, found->path);
  malformed = file != NULL ? file->malformed : 0;
  if (file == NULL)
    {
      file = g_new0 (GaugeTranscriptFile, 1);
      file->path = g_strdup (found->path);
      file->device = found->device;
      file->inode = found->inode;
      g_hash_table_replace (pass->known, file->path, file);
    }
  else if (file->device != found->device || file->inode != found->inode ||
           found->size < file->offset)
    {
      /* Replaced or truncated: read it again from the start. */
      g_debug ("%s was replaced or shrank: reading it again", found->path);
      file->device = found->device;
      file->inode = found->inode;
      file->offset = 0;
      file->malformed = 0;
      file->reset = TRUE;
    }
  else if (file->size == found->size && file->mtime_us == found->mtime_us)
    return;   /* nothing changed: no read */

  file->size = found->size;
  file->mtime_us = found->mtime_us;

  work = g_new0 (Work, 1);
  work->file = file;
  work->malformed = malformed;
  if (file->session_id == NULL)
    file->session_id = session_of (found->path);
  if (file->project == NULL)
    file->project = g_strdup (found->project);
  g_ptr_array_add (pass->todo, work);
}

static gint64
mtime_us (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
}

static void
found_init (Found             *found,
            const char        *path,
            const char        *project,
            const struct stat *st)
{
  found->path = path;
  found->project = project;
  found->device = st->st_dev;
  found->inode = st->st_ino;
  found->size = st->st_size;
  found->mtime_us = mtime_us (st);
}

/* One project folder to walk, and what the walk met there. */
typedef struct
{
  int        fd;
  char      *path;
  char      *project;
  GArray       *found;  /* Found */
  GStringChunk *paths;  /* of the files found */
  GPtrArray    *dirs;   /* the project folder, and those below it to watch; or NULL */
  GPtrArray    *unreadable;  /* folders the walk may not enter */
  gint64        recent_us;   /* a folder changed since then is watched */
} Subtree;

static void
subtree_free (gpointer data)
{
  Subtree *subtree = data;

  if (subtree->fd != -1)
    close (subtree->fd);
  g_free (subtree->path);
  g_free (subtree->project);
  g_clear_pointer (&subtree->found, g_array_unref);
  g_clear_pointer (&subtree->paths, g_string_chunk_free);
  g_clear_pointer (&subtree->dirs, g_ptr_array_unref);
  g_clear_pointer (&subtree->unreadable, g_ptr_array_unref);
  g_free (subtree);
}

/* Walks the folder @dir_fd (taken) at @path, a buffer the walk appends names to and gives
 * back as it was. Names are looked up relative to their folder, not as whole paths.
 * Returns: the newest mtime of the folder and of everything in it (µs). */
static gint64
walk (Subtree    *subtree,
      int         dir_fd,
      GString    *path,
      guint       depth)
{
  gsize len = path->len;
  DIR *handle;
  struct dirent *ent;
  struct stat dir_st;
  gint64 newest = 0;
  gboolean denied = FALSE;

  /* Claude Code nests three levels (project/session/subagents); leave room, stop loops. */
  if (depth > 8 || !(handle = fdopendir (dir_fd)))
    {
      close (dir_fd);
      return 0;
    }

  /* Only a walk for the monitors needs the folders' times: not one for a report. */
  if (subtree->dirs != NULL && fstat (dirfd (handle), &dir_st) == 0)
    newest = mtime_us (&dir_st);

  while ((ent = readdir (handle)) != NULL)
    {
      struct stat st;
      gboolean is_dir;

      if (ent->d_name[0] == '.' &&
          (ent->d_name[1] == '\0' || (ent->d_name[1] == '.' && ent->d_name[2] == '\0')))
        continue;

      if (ent->d_type == DT_DIR)
        is_dir = TRUE;
      else if (ent->d_type == DT_REG || ent->d_type == DT_LNK || ent->d_type == DT_UNKNOWN)
        {
          if (!has_jsonl_suffix (ent->d_name) && ent->d_type == DT_REG)
            continue;
          if (fstatat (dirfd (handle), ent->d_name, &st, 0) != 0)
            {
              int err = errno;

              /* A folder that can be listed but not entered: said once. */
              if ((err == EACCES || err == EPERM) && !denied)
                {
                  g_autofree char *dir = g_strndup (path->str, len);

                  note_if_denied (subtree->unreadable, dir, err);
                  denied = TRUE;
                }
              continue;
            }
          is_dir = S_ISDIR (st.st_mode) && ent->d_type != DT_LNK;
          if (!is_dir && (!S_ISREG (st.st_mode) || !has_jsonl_suffix (ent->d_name)))
            continue;
        }
      else
        continue;

      g_string_truncate (path, len);
      g_string_append_c (path, '/');
      g_string_append (path, ent->d_name);

      if (is_dir)
        {
          int fd = openat (dirfd (handle), ent->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

          if (fd == -1)
            note_if_denied (subtree->unreadable, path->str, errno);
          else
            {
              gint64 below = walk (subtree, fd, path, depth + 1);

              newest = MAX (newest, below);
            }
        }
      else
        {
          g_array_set_size (subtree->found, subtree->found->len + 1);
          found_init (&g_array_index (subtree->found, Found, subtree->found->len - 1),
                      g_string_chunk_insert_len (subtree->paths, path->str, path->len),
                      subtree->project, &st);
          newest = MAX (newest, mtime_us (&st));
        }
    }

  g_string_truncate (path, len);
  closedir (handle);

  if (subtree->dirs != NULL && (depth <= 1 || newest >= subtree->recent_us))
    g_ptr_array_add (subtree->dirs, g_strndup (path->str, path->len));

  return newest;
}

typedef struct
{
  GPtrArray *subtrees;
  gint       next;
} Walkers;

static gpointer
walker_thread (gpointer data)
{
  Walkers *walkers = data;
  g_autoptr(GString) path = g_string_sized_new (256);
  guint i;

  while ((i = (guint) g_atomic_int_add (&walkers->next, 1)) < walkers->subtrees->len)
    {
      Subtree *subtree = g_ptr_array_index (walkers->subtrees, i);
      int fd = subtree->fd;

      subtree->fd = -1;
      g_string_assign (path, subtree->path);
      walk (subtree, fd, path, 1);
    }

  return NULL;
}

/* The project folders below each root, with the roots themselves in @pass->dirs. */
static GPtrArray *
list_projects (Pass *pass)
{
  GPtrArray *subtrees = g_ptr_array_new_with_free_func (subtree_free);
  gint64 recent_us = g_get_real_time () - WATCH_RECENT_US;

  for (guint i = 0; pass->roots[i] != NULL; i++)
    {
      int fd = open (pass->roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      DIR *handle;
      struct dirent *ent;

      if (fd == -1)
        {
          int err = errno;
          /* A root that does not exist yet: its parent is watched, so that a first session
           * is seen. */
          g_autofree char *parent = g_path_get_dirname (pass->roots[i]);

          if (err != ENOENT)
            note_if_denied (pass->unreadable, pass->roots[i], err);

          if (pass->dirs != NULL && g_file_test (parent, G_FILE_TEST_IS_DIR))
            g_ptr_array_add (pass->dirs, g_steal_pointer (&parent));
          continue;
        }
      if (!(handle = fdopendir (fd)))
        {
          close (fd);
          continue;
        }

      if (pass->dirs != NULL)
        g_ptr_array_add (pass->dirs, g_strdup (pass->roots[i]));

      /* Files right in projects/ belong to no project: only folders count. */
      while ((ent = readdir (handle)) != NULL)
        {
          struct stat st;
          Subtree *subtree;
          int sub_fd;

          if (ent->d_name[0] == '.' &&
              (ent->d_name[1] == '\0' || (ent->d_name[1] == '.' && ent->d_name[2] == '\0')))
            continue;
          if (ent->d_type != DT_DIR &&
              (ent->d_type != DT_UNKNOWN ||
               fstatat (dirfd (handle), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
               !S_ISDIR (st.st_mode)))
            continue;

          sub_fd = openat (dirfd (handle), ent->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (sub_fd == -1)
            {
              int err = errno;
              g_autofree char *sub = g_build_filename (pass->roots[i], ent->d_name, NULL);

              note_if_denied (pass->unreadable, sub, err);
              continue;
            }

          subtree = g_new0 (Subtree, 1);
          subtree->fd = sub_fd;
          subtree->path = g_build_filename (pass->roots[i], ent->d_name, NULL);
          subtree->project = g_strdup (ent->d_name);
          subtree->found = g_array_new (FALSE, FALSE, sizeof (Found));
          subtree->paths = g_string_chunk_new (16 * 1024);
          if (pass->dirs != NULL)
            subtree->dirs = g_ptr_array_new_with_free_func (g_free);
          subtree->unreadable = g_ptr_array_new_with_free_func (g_free);
          subtree->recent_us = recent_us;
          g_ptr_array_add (subtrees, subtree);
        }

      closedir (handle);
    }

  return subtrees;
}

static void
add_if_dir (GPtrArray *dirs,
            char      *path)   /* (transfer full) */
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_ptr_array_add (dirs, path);
  else
    g_free (path);
}

/* The folders of the sessions whose transcripts this pass read and that changed recently
 * (their own and their sub-agents'), when they exist: watched from now on, so that what a
 * session taken up again writes next is seen at once, not at the next rescan. */
static void
add_session_dirs (Pass *pass)
{
  gint64 recent_us = g_get_real_time () - WATCH_RECENT_US;

  for (guint i = 0; i < pass->todo->len; i++)
    {
      GaugeTranscriptFile *file = ((Work *) g_ptr_array_index (pass->todo, i))->file;
      g_autofree char *dir = NULL;
      g_autofree char *dir_name = NULL;
      char *session, *subagents;

      if (file->mtime_us < recent_us)
        continue;

      dir = g_path_get_dirname (file->path);
      dir_name = g_path_get_basename (dir);
      if (g_str_equal (dir_name, "subagents"))
        {
          session = g_path_get_dirname (dir);
          subagents = g_steal_pointer (&dir);
        }
      else
        {
          session = g_strndup (file->path, strlen (file->path) - strlen (".jsonl"));
          subagents = g_build_filename (session, "subagents", NULL);
        }

      add_if_dir (pass->dirs, session);
      add_if_dir (pass->dirs, subagents);
    }
}

/* Every transcript below the roots. The walk waits on the kernel (a stat per file): two
 * threads take the project folders in turn, the first after loading what the store knows
 * of every file; then the files are considered in order. */
static gboolean
discover (Pass    *pass,
          GError **error)
{
  g_autoptr(GPtrArray) subtrees = list_projects (pass);
  Walkers walkers = { subtrees, 0 };
  GThread *helper = NULL;

  if (subtrees->len > 1)
    helper = g_thread_new ("gauge-index-walk", walker_thread, &walkers);
  pass->known = gauge_store_load_transcript_files (pass->store, NULL, error);
  if (pass->known == NULL)
    g_atomic_int_set (&walkers.next, G_MAXINT / 2);   /* stop the helper */
  else
    walker_thread (&walkers);
  if (helper != NULL)
    g_thread_join (helper);
  if (pass->known == NULL)
    return FALSE;

  for (guint i = 0; i < subtrees->len; i++)
    {
      Subtree *subtree = g_ptr_array_index (subtrees, i);

      for (guint j = 0; j < subtree->found->len; j++)
        consider_file (pass, &g_array_index (subtree->found, Found, j));
      g_ptr_array_extend_and_steal (pass->unreadable, g_steal_pointer (&subtree->unreadable));
      if (pass->dirs != NULL)
        g_ptr_array_extend_and_steal (pass->dirs, g_steal_pointer (&subtree->dirs));
    }

  return TRUE;
}

static void
consider_paths (Pass *pass)
{
  for (guint i = 0; i < pass->only_paths->len; i++)
    {
      const char *path = g_ptr_array_index (pass->only_paths, i);
      g_autofree char *project = NULL;
      struct stat st;

      for (guint j = 0; project == NULL && pass->roots[j] != NULL; j++)
        project = project_of (pass->roots[j], path);

      if (project != NULL && stat (path, &st) == 0 && S_ISREG (st.st_mode))
        {
          Found found;

          found_init (&found, path, project, &st);
          consider_file (pass, &found);
        }
    }
}

/* Reading. */

/* The writer thread: commits batches in order while the pass thread parses the next ones. */
static gpointer
writer_thread (gpointer data)
{
  Pass *pass = data;
  Batch *batch;
  struct timespec cpu;

  while ((batch = g_async_queue_pop (pass->batches)) != &stop_batch)
    {
      if (!g_atomic_int_get (&pass->write_failed))
        {
          g_autoptr(GPtrArray) files = g_ptr_array_sized_new (batch->files->len);
          guint changed = 0;

          for (guint i = 0; i < batch->files->len; i++)
            g_ptr_array_add (files, &g_array_index (batch->files, GaugeTranscriptFile, i));

          if (gauge_store_write_batch (pass->store, files, batch->prepared, &changed,
                                       &pass->write_error))
            pass->n_changed += changed;
          else
            g_atomic_int_set (&pass->write_failed, TRUE);
        }

      batch_free (batch);
      g_async_queue_push (pass->tokens, GINT_TO_POINTER (1));
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
flush (Reader              *pass,
       GaugeTranscriptFile *partial)
{
  Batch *batch;

  if (g_atomic_int_get (&pass->owner->write_failed))
    return FALSE;

  if (pass->pending_files->len == 0 && pass->entries->len == 0)
    return TRUE;

  batch = g_new0 (Batch, 1);
  batch->files = g_array_sized_new (FALSE, FALSE, sizeof (GaugeTranscriptFile),
                                    pass->pending_files->len);
  for (guint i = 0; i < pass->pending_files->len; i++)
    {
      GaugeTranscriptFile *file = g_ptr_array_index (pass->pending_files, i);

      g_array_append_vals (batch->files, file, 1);
      if (file == partial)
        {
          GaugeTranscriptFile *copy = &g_array_index (batch->files, GaugeTranscriptFile, i);

          copy->size = -1;
          copy->mtime_us = 0;
        }
    }
  batch->entries = g_steal_pointer (&pass->entries);
  batch->file_indexes = g_steal_pointer (&pass->file_indexes);
  batch->strings = g_steal_pointer (&pass->strings);
  batch->prepared = gauge_entry_batch_new (pass->pending_files, batch->entries,
                                           batch->file_indexes);

  reader_start_batch (pass);
  g_ptr_array_set_size (pass->pending_files, 0);

  g_async_queue_pop (pass->owner->tokens);
  g_async_queue_push (pass->owner->batches, batch);

  return TRUE;
}

static void
start_writer (Pass *pass)
{
  pass->batches = g_async_queue_new ();
  pass->tokens = g_async_queue_new ();
  for (guint i = 0; i < BATCHES_IN_FLIGHT; i++)
    g_async_queue_push (pass->tokens, GINT_TO_POINTER (1));
  pass->writer = g_thread_new ("gauge-index-writer", writer_thread, pass);
}

/* Waits for the writes queued so far. Returns: %FALSE with @error set when one failed. */
static gboolean
stop_writer (Pass    *pass,
             GError **error)
{
  g_async_queue_push (pass->batches, &stop_batch);
  g_thread_join (g_steal_pointer (&pass->writer));

  if (pass->write_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&pass->write_error));
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
  Reader *pass = data;
  GaugeLocalEntry entry = { 0, };
  guint index = pass->pending_files->len - 1;

  entry.timestamp_ms = line->timestamp_ms;
  entry.model = batch_string (pass, LAST_MODEL, line->model.str, line->model.len);
  entry.message_id = batch_string (pass, LAST_MESSAGE_ID, line->message_id.str,
                                   line->message_id.len);
  entry.request_id = batch_string (pass, LAST_REQUEST_ID, line->request_id.str,
                                   line->request_id.len);
  entry.fast = line->fast;
  entry.is_sidechain = line->is_sidechain;
  entry.input_tokens = line->input_tokens;
  entry.output_tokens = line->output_tokens;
  entry.cache_creation_5m_tokens = line->cache_creation_5m_tokens;
  entry.cache_creation_1h_tokens = line->cache_creation_1h_tokens;
  entry.cache_read_tokens = line->cache_read_tokens;
  entry.cost_usd = line->cost_usd;

  g_array_append_val (pass->entries, entry);
  g_array_append_val (pass->file_indexes, index);
}

/* Parses the complete lines of buffer[0..length); returns the bytes consumed. */
static gsize
parse_lines (Reader     *pass,
             const Work *work,
             gsize       length,
             gboolean    at_eof)
{
  return gauge_transcript_parser_parse_lines (pass->parser, pass->buffer, length,
                                              pass->capacity +
                                              gauge_transcript_parser_get_padding (),
                                              at_eof, add_entry, pass,
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

static gboolean
read_file (Reader        *pass,
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
      note_if_denied (pass->unreadable, file->path, errno);
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

  g_ptr_array_add (pass->pending_files, file);

  for (;;)
    {
      gssize n;
      gsize consumed;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return FALSE;
        }

      if (have == pass->capacity && pass->capacity >= MAX_LINE)
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

      if (have == pass->capacity)
        {
          /* One line longer than the buffer: grow to hold it. */
          pass->capacity *= 2;
          pass->buffer = g_realloc (pass->buffer,
                                    pass->capacity + gauge_transcript_parser_get_padding ());
        }

      n = pread (fd, pass->buffer + have, pass->capacity - have, base + have);
      if (n == -1 && errno == EINTR)
        continue;
      if (n == -1)
        {
          g_debug ("Could not read %s: %s", file->path, g_strerror (errno));
          break;
        }

      g_atomic_pointer_add (&pass->self->bytes_done, n);
      have += n;

      consumed = parse_lines (pass, work, have, n == 0);
      base += consumed;
      file->offset = base;
      memmove (pass->buffer, pass->buffer + consumed, have - consumed);
      have -= consumed;

      if (n == 0)
        break;

      if (pass->entries->len >= FLUSH_ENTRIES)
        {
          if (!flush (pass, file))
            {
              close (fd);
              return FALSE;
            }
          g_ptr_array_add (pass->pending_files, file);
        }
    }

  /* What was read, so the next pass skips an unchanged file without reading it. */
  file->size = MAX (file->size, base + (gint64) have);
  close (fd);

  /* A huge line should not keep its buffer for the rest of the pass. */
  if (pass->capacity > CHUNK_SIZE)
    {
      pass->capacity = CHUNK_SIZE;
      pass->buffer = g_realloc (pass->buffer, pass->capacity + gauge_transcript_parser_get_padding ());
    }

  if (pass->entries->len >= FLUSH_ENTRIES || pass->pending_files->len >= FLUSH_FILES)
    return flush (pass, NULL);

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

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;
  Pass *pass = reader->owner;
  gboolean ok = TRUE;
  guint i;

  while (ok && (i = (guint) g_atomic_int_add (&pass->next_work, 1)) < pass->todo->len)
    {
      ok = read_file (reader, g_ptr_array_index (pass->todo, i), reader->cancellable,
                      &reader->error);
      g_atomic_int_inc (&reader->self->files_done);
    }

  if (ok)
    flush (reader, NULL);

  /* Stop the others too. */
  if (!ok)
    g_atomic_int_set (&pass->next_work, G_MAXINT / 2);

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
  Reader *readers[N_READERS] = { NULL, };
  guint n_readers = MIN (N_READERS, pass->todo->len);
  GError *read_error = NULL;
  gboolean ok;

  for (guint i = 0; i < pass->todo->len; i++)
    g_ptr_array_add (files, ((Work *) g_ptr_array_index (pass->todo, i))->file);
  if (!gauge_store_add_files (pass->store, files, error))
    return FALSE;

  start_writer (pass);

  for (guint i = 0; i < n_readers; i++)
    {
      Reader *reader = g_new0 (Reader, 1);

      reader->owner = pass;
      reader->self = pass->self;
      reader->cancellable = cancellable;
      reader->parser = gauge_transcript_parser_new ();
      reader->pending_files = g_ptr_array_new ();
      reader->unreadable = g_ptr_array_new_with_free_func (g_free);
      reader_start_batch (reader);
      reader->capacity = CHUNK_SIZE;
      reader->buffer = g_malloc (reader->capacity + gauge_transcript_parser_get_padding ());
      readers[i] = reader;
    }

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
  ok = stop_writer (pass, error);
  if (ok && read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  g_clear_error (&read_error);

  return ok;
}

static gboolean
run_pass_locked (Pass          *pass,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GaugeTranscriptIndex *self = pass->self;
  gint64 bytes_total = 0;
  gboolean bulk, cold = FALSE, ok;

  if (pass->recalculate && !gauge_store_clear_index (pass->store, error))
    return FALSE;

  if (pass->only_paths != NULL)
    {
      /* A pass over a few changed files looks up only those. */
      if (!(pass->known = gauge_store_load_transcript_files (pass->store, pass->only_paths,
                                                             error)))
        return FALSE;
      consider_paths (pass);
    }
  else if (!discover (pass, error))
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

  g_ptr_array_sort (pass->todo, work_compare);

  bulk = bytes_total >= BULK_BYTES;
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

  if (!ok)
    return FALSE;

  if (pass->dirs != NULL)
    add_session_dirs (pass);

  /* A pass over a few files counts what changed in them; the whole table is summed only
   * when the count is not known yet. */
  if (pass->only_paths != NULL && pass->n_malformed >= 0)
    {
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

  pass->seen = g_hash_table_new_full (identity_hash, identity_equal, g_free, NULL);
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

static void sync_monitors (GaugeTranscriptIndex *self,
                           GPtrArray            *dirs);

#define MAX_NAMED 8

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A path from the disk, fit for a terminal: valid UTF-8, no control characters. */
static void
append_printable (GString    *out,
                  const char *path)
{
  g_autofree char *valid = g_utf8_make_valid (path, -1);

  for (const char *c = valid; *c != '\0'; c++)
    g_string_append_c (out, (guchar) *c < 0x20 || *c == 0x7f ? '?' : *c);
}

/* What a pass could not read for want of permission, in one warning: once a pass, and in
 * the app (a pass a minute) only when it changed. */
static void
say_unreadable (GaugeTranscriptIndex *self,
                Pass                 *pass)
{
  g_autoptr(GString) names = NULL;
  guint n = pass->unreadable->len;

  if (n == 0)
    {
      /* A pass over a few changed files does not walk the folders: it says nothing of them. */
      if (pass->only_paths == NULL)
        g_clear_pointer (&self->unreadable_said, g_free);
      return;
    }

  g_ptr_array_sort (pass->unreadable, compare_paths);
  names = g_string_new (NULL);
  for (guint i = 0; i < n && i < MAX_NAMED; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      append_printable (names, g_ptr_array_index (pass->unreadable, i));
    }
  if (n > MAX_NAMED)
    g_string_append_printf (names, " and %u more", n - MAX_NAMED);

  if (g_strcmp0 (names->str, self->unreadable_said) == 0)
    return;

  if (n == 1)
    g_warning ("Cannot read %s (permission denied): the Claude Code sessions in it are "
               "left out of the totals", names->str);
  else
    g_warning ("Cannot read %u transcript folders or files (permission denied): the Claude "
               "Code sessions in them are left out of the totals: %s", n, names->str);

  g_free (self->unreadable_said);
  self->unreadable_said = g_string_free (g_steal_pointer (&names), FALSE);
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
      say_unreadable (self, pass);
      set_n_malformed (self, pass->n_malformed);
      self->malformed_counted = TRUE;
      if (self->started && pass->dirs != NULL)
        sync_monitors (self, pass->dirs);
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
  pass->roots = gauge_transcript_index_find_project_dirs ();
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
  g_task_run_in_thread (task, pass_thread);
}

/* Asks for a pass: it starts now, or after the running one (which may have missed the change). */
static void
request_pass (GaugeTranscriptIndex *self,
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

/* Watching. */

static gboolean
debounce_cb (gpointer data)
{
  GaugeTranscriptIndex *self = data;
  g_autoptr(GHashTable) paths = g_steal_pointer (&self->dirty_paths);
  gboolean full = self->dirty_full;

  self->debounce_id = 0;
  self->dirty_full = FALSE;

  request_pass (self, NULL, full, full ? NULL : paths, FALSE);

  return G_SOURCE_REMOVE;
}

static void
schedule_debounce (GaugeTranscriptIndex *self)
{
  /* From the first event, not the last: a session writing nonstop still gets seen. */
  if (self->debounce_id == 0)
    self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
monitor_changed (GaugeTranscriptIndex *self,
                 GFile                *file,
                 GFile                *other,
                 GFileMonitorEvent     event,
                 GFileMonitor         *monitor)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *other_path = other != NULL ? g_file_get_path (other) : NULL;

  if (path == NULL)
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
      break;
    default:
      return;
    }

  if (other_path != NULL && has_jsonl_suffix (other_path))
    {
      g_free (path);
      path = g_steal_pointer (&other_path);
    }

  if (has_jsonl_suffix (path))
    {
      if (self->dirty_paths == NULL)
        self->dirty_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (self->dirty_paths, g_steal_pointer (&path));
    }
  else if (event == G_FILE_MONITOR_EVENT_CREATED || event == G_FILE_MONITOR_EVENT_MOVED_IN ||
           event == G_FILE_MONITOR_EVENT_RENAMED)
    self->dirty_full = TRUE;   /* maybe a new project or session folder */
  else
    return;

  schedule_debounce (self);
}

static void
add_monitor (GaugeTranscriptIndex *self,
             const char           *dir)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;

  if (g_hash_table_contains (self->monitors, dir) ||
      g_hash_table_size (self->monitors) >= MAX_MONITORS)
    return;

  file = g_file_new_for_path (dir);
  monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", dir, error->message);
      return;
    }

  g_file_monitor_set_rate_limit (monitor, 100);
  g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed), self,
                           G_CONNECT_SWAPPED);
  g_hash_table_replace (self->monitors, g_strdup (dir), g_steal_pointer (&monitor));
}

static void
sync_monitors (GaugeTranscriptIndex *self,
               GPtrArray            *dirs)
{
  for (guint i = 0; i < dirs->len; i++)
    add_monitor (self, g_ptr_array_index (dirs, i));

  g_debug ("Watching %u folders", g_hash_table_size (self->monitors));
}

static gboolean
rescan_cb (gpointer data)
{
  GaugeTranscriptIndex *self = data;

  if (!self->running)
    request_pass (self, NULL, TRUE, NULL, FALSE);

  return G_SOURCE_CONTINUE;
}

/**
 * gauge_transcript_index_start:
 *
 * Runs a pass now, then watches the transcript folders: changes are read
 * ~300 ms after they happen, and a cheap full pass runs every minute for
 * anything a monitor missed.
 */
void
gauge_transcript_index_start (GaugeTranscriptIndex *self)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  if (self->started)
    return;

  self->started = TRUE;
  self->rescan_id = g_timeout_add_seconds (RESCAN_SECONDS, rescan_cb, self);
  request_pass (self, NULL, TRUE, NULL, FALSE);
}

void
gauge_transcript_index_stop (GaugeTranscriptIndex *self)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  self->started = FALSE;
  g_clear_handle_id (&self->rescan_id, g_source_remove);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_hash_table_remove_all (self->monitors);
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

void
gauge_transcript_index_get_progress (GaugeTranscriptIndex *self,
                                     guint                *files_done,
                                     guint                *files_total,
                                     guint64              *bytes_done,
                                     guint64              *bytes_total)
{
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));

  if (files_done)
    *files_done = g_atomic_int_get (&self->files_done);
  if (files_total)
    *files_total = g_atomic_int_get (&self->files_total);
  if (bytes_done)
    *bytes_done = g_atomic_pointer_get (&self->bytes_done);
  if (bytes_total)
    *bytes_total = g_atomic_pointer_get (&self->bytes_total);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_transcript_index_update_async);
  request_pass (self, task, TRUE, NULL, FALSE);
}

gboolean
gauge_transcript_index_update_finish (GaugeTranscriptIndex  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gauge_transcript_index_update_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_transcript_index_recalculate_async);
  request_pass (self, task, TRUE, NULL, TRUE);
}

gboolean
gauge_transcript_index_recalculate_finish (GaugeTranscriptIndex  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gauge_transcript_index_recalculate_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_clear_pointer (&self->context, g_main_context_unref);

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
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->next_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}
