/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-local-entry.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * The transcript index's side of GaugeStore (gauge-store-index.c): one row per transcript
 * file with how far it was read (transcript_files), and the deduplicated entries. For
 * GaugeTranscriptIndex; reports read the entries through gauge-store-entries.h.
 */
typedef struct
{
  gint64  id;          /* 0 until stored */
  char   *path;
  gint64  device;
  gint64  inode;
  gint64  size;        /* bytes seen at the last read; stored as -1 (and mtime as 0) */
  gint64  mtime_us;    /* until the file is read to its end, so that the next pass */
  gint64  offset;      /* reads on from offset: after the last complete line */
  gint64  malformed;   /* malformed lines before offset */
  gboolean reset;      /* read again from 0: drop its unkeyed entries first */
  char   *session_id;  /* of every line in it, from its path */
  char   *project;
} GaugeTranscriptFile;

/* Entries ready for gauge_store_write_batch(): GaugeLocalEntry, each read from
 * files[file_indexes[i]], in path order, keyed and deduplicated among themselves. */
typedef struct _GaugeEntryBatch GaugeEntryBatch;

char            *gauge_transcript_folder           (const char          *path,
                                                    const char          *project);
void             gauge_transcript_file_free        (GaugeTranscriptFile *file);

GaugeEntryBatch *gauge_entry_batch_new             (GPtrArray           *files,
                                                    GArray              *entries,
                                                    GArray              *file_indexes);
void             gauge_entry_batch_free            (GaugeEntryBatch     *batch);

/* path → GaugeTranscriptFile */
GHashTable      *gauge_store_load_transcript_files (GaugeStore          *self,
                                                    GPtrArray           *paths,
                                                    GError             **error);
/* One transaction: stores @files (a new one gets its id; one with reset set loses its
 * unkeyed entries, which are about to be read again), upserts the batch's entries (their
 * session and project are the file's) with the dedup rule, then saves the files' read
 * positions. @n_changed: entries inserted or replaced. */
gboolean         gauge_store_write_batch           (GaugeStore          *self,
                                                    GPtrArray           *files,
                                                    GaugeEntryBatch     *batch,
                                                    guint               *n_changed,
                                                    GError             **error);
gboolean         gauge_store_add_files             (GaugeStore          *self,
                                                    GPtrArray           *files,
                                                    GError             **error);
gboolean         gauge_store_lock_index            (GaugeStore          *self,
                                                    GCancellable        *cancellable,
                                                    int                 *fd,
                                                    GError             **error);
void             gauge_store_unlock_index          (int                 *fd);
gboolean         gauge_store_begin_bulk            (GaugeStore          *self,
                                                    gboolean            *cold,
                                                    GError             **error);
gboolean         gauge_store_end_bulk              (GaugeStore          *self,
                                                    GError             **error);
gboolean         gauge_store_clear_index           (GaugeStore          *self,
                                                    GError             **error);
gint64           gauge_store_count_malformed       (GaugeStore          *self,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeTranscriptFile, gauge_transcript_file_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeEntryBatch, gauge_entry_batch_free)

G_END_DECLS
