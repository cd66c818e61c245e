/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-transcript-index"

#include "config.h"

#include <glib/gi18n.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gauge-transcript-index-private.h"

/*
 * The walk: which transcripts a pass reads. Every project folder below the roots, walked by
 * two threads, and every transcript file in it whose size or time changed since the store's
 * row of it; or, for a pass over a few changed files, only those. What the user may not
 * read is left out and said once a pass.
 */

#define MAX_NAMED 8   /* unreadable folders named in the warning */

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

  if (_gauge_transcript_index_is_transcript (name))
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

/* A folder or file the user may not read is left out, and said once a pass (below):
 * anything else that fails to open (gone meanwhile, a loop) is not the user's to fix. */
void
_gauge_transcript_index_note_if_denied (GPtrArray  *unreadable,
                                        const char *path,
                                        int         err)
{
  if (err == EACCES || err == EPERM)
    g_ptr_array_add (unreadable, g_strdup (path));
  else
    g_debug ("Cannot open %s: %s", path, g_strerror (err));
}

/* A transcript's name ends so. */
gboolean
_gauge_transcript_index_is_transcript (const char *name)
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

/* A file the walk met: read from its offset when it changed. @seen: (device, inode) of the
 * files met so far. */
static void
consider_file (Pass        *pass,
               GHashTable  *seen,
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
  if (!g_hash_table_add (seen, identity))
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

static gboolean
is_dot_or_dot_dot (const char *name)
{
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
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

      if (is_dot_or_dot_dot (ent->d_name))
        continue;

      if (ent->d_type == DT_DIR)
        is_dir = TRUE;
      else if (ent->d_type == DT_REG || ent->d_type == DT_LNK || ent->d_type == DT_UNKNOWN)
        {
          if (!_gauge_transcript_index_is_transcript (ent->d_name) && ent->d_type == DT_REG)
            continue;
          if (fstatat (dirfd (handle), ent->d_name, &st, 0) != 0)
            {
              int err = errno;

              /* A folder that can be listed but not entered: said once. */
              if ((err == EACCES || err == EPERM) && !denied)
                {
                  g_autofree char *dir = g_strndup (path->str, len);

                  _gauge_transcript_index_note_if_denied (subtree->unreadable, dir, err);
                  denied = TRUE;
                }
              continue;
            }
          is_dir = S_ISDIR (st.st_mode) && ent->d_type != DT_LNK;
          if (!is_dir &&
              (!S_ISREG (st.st_mode) || !_gauge_transcript_index_is_transcript (ent->d_name)))
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
            _gauge_transcript_index_note_if_denied (subtree->unreadable, path->str, errno);
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
            _gauge_transcript_index_note_if_denied (pass->unreadable, pass->roots[i], err);

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

          if (is_dot_or_dot_dot (ent->d_name))
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

              _gauge_transcript_index_note_if_denied (pass->unreadable, sub, err);
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

/* Every transcript below the roots. The walk waits on the kernel (a stat per file): two
 * threads take the project folders in turn, the first after loading what the store knows
 * of every file; then the files are considered in order. */
static gboolean
discover (Pass       *pass,
          GHashTable *seen,
          GError    **error)
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
        consider_file (pass, seen, &g_array_index (subtree->found, Found, j));
      g_ptr_array_extend_and_steal (pass->unreadable, g_steal_pointer (&subtree->unreadable));
      if (pass->dirs != NULL)
        g_ptr_array_extend_and_steal (pass->dirs, g_steal_pointer (&subtree->dirs));
    }

  return TRUE;
}

static void
consider_paths (Pass       *pass,
                GHashTable *seen)
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
          consider_file (pass, seen, &found);
        }
    }
}

/**
 * _gauge_transcript_index_find_work:
 *
 * Fills @pass->known with the store's rows of the files it looks at and @pass->todo with
 * those to read: every transcript below the roots, or only @pass->only_paths.
 */
gboolean
_gauge_transcript_index_find_work (Pass    *pass,
                                   GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (identity_hash, identity_equal, g_free,
                                                      NULL);

  if (pass->only_paths == NULL)
    return discover (pass, seen, error);

  /* A pass over a few changed files looks up only those. */
  if (!(pass->known = gauge_store_load_transcript_files (pass->store, pass->only_paths, error)))
    return FALSE;
  consider_paths (pass, seen);

  return TRUE;
}

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
void
_gauge_transcript_index_say_unreadable (GaugeTranscriptIndex *self,
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
