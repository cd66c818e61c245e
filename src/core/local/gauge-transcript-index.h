/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_TRANSCRIPT_INDEX (gauge_transcript_index_get_type ())

G_DECLARE_FINAL_TYPE (GaugeTranscriptIndex, gauge_transcript_index, GAUGE, TRANSCRIPT_INDEX,
                      GObject)

/*
 * Keeps the store's entries in step with Claude Code's transcripts: finds
 * them, reads what was appended since the last pass, and (after _start) watches
 * the folders. Passes run on a worker thread, one at a time; signals and
 * notifications arrive on the main context of the thread that created it.
 *
 * Signals: "progress" (files done, files to read, bytes done, bytes to read),
 * at most ten times a second during a pass; "changed" after a pass that
 * added or replaced entries.
 */
GaugeTranscriptIndex *gauge_transcript_index_new                (GaugeStore           *store);
GStrv                 gauge_transcript_index_find_project_dirs  (void);
void                  gauge_transcript_index_set_account_folders (GaugeTranscriptIndex *self,
                                                                 const char * const   *folders);
void                  gauge_transcript_index_start              (GaugeTranscriptIndex *self);
void                  gauge_transcript_index_stop               (GaugeTranscriptIndex *self);
gboolean              gauge_transcript_index_get_indexing       (GaugeTranscriptIndex *self);
gint64                gauge_transcript_index_get_n_malformed    (GaugeTranscriptIndex *self);
void                  gauge_transcript_index_update_async       (GaugeTranscriptIndex *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              gauge_transcript_index_update_finish      (GaugeTranscriptIndex *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
void                  gauge_transcript_index_update_files_async (GaugeTranscriptIndex *self,
                                                                 const char * const   *paths,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              gauge_transcript_index_update_files_finish (GaugeTranscriptIndex *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);
void                  gauge_transcript_index_recalculate_async  (GaugeTranscriptIndex *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              gauge_transcript_index_recalculate_finish (GaugeTranscriptIndex *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);

G_END_DECLS
