/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-store-entries.h"
#include "gauge-store-index.h"
#include "gauge-transcript-index.h"

G_BEGIN_DECLS

/*
 * GaugeTranscriptIndex in four files:
 *   gauge-transcript-index.c          the object: passes one at a time, progress, signals, API
 *   gauge-transcript-index-walk.c     what a pass reads: the project folders and their files
 *   gauge-transcript-index-reader.c   reading them: reader threads, batches, the writer thread
 *   gauge-transcript-index-watcher.c  the folders' monitors, the debounce, the minute's rescan
 */

/* Folders below a project (a session's, its sub-agents') are watched while something in
 * them changed this recently, or once a pass reads a file of theirs that did: each watch
 * costs about 2 KB and one of the user's inotify watches, and a long history has
 * thousands of such folders, nearly all finished. What the watches miss, the rescan finds. */
#define WATCH_RECENT_US (3 * G_TIME_SPAN_DAY)

struct _GaugeTranscriptIndex
{
  GObject       parent_instance;

  GaugeStore   *store;
  GCancellable *cancellable;
  GStrv         account_folders;   /* config folders read besides the environment's */

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
  GPtrArray            *todo;       /* Work */
} Pass;

/* A file a pass reads from its offset on. */
typedef struct
{
  GaugeTranscriptFile *file;        /* owned by Pass.known */
  gint64               malformed;   /* the file's malformed lines before this pass */
} Work;

/* The walk. */
gboolean _gauge_transcript_index_find_work        (Pass                 *pass,
                                                   GError              **error);
gboolean _gauge_transcript_index_is_transcript    (const char           *name);
void     _gauge_transcript_index_note_if_denied   (GPtrArray            *unreadable,
                                                   const char           *path,
                                                   int                   err);
void     _gauge_transcript_index_say_unreadable   (GaugeTranscriptIndex *self,
                                                   Pass                 *pass);

/* The reader. */
gboolean _gauge_transcript_index_read             (Pass                 *pass,
                                                   gint64                bytes_total,
                                                   GCancellable         *cancellable,
                                                   GError              **error);

/* The watcher. */
void     _gauge_transcript_index_add_session_dirs (Pass                 *pass);
void     _gauge_transcript_index_watch            (GaugeTranscriptIndex *self,
                                                   GPtrArray            *dirs);

/* The object. */
void     _gauge_transcript_index_request_pass     (GaugeTranscriptIndex *self,
                                                   GTask                *task,
                                                   gboolean              full,
                                                   GHashTable           *paths,
                                                   gboolean              recalculate);

G_END_DECLS
