/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-entry-scope.h"
#include "gauge-local-entry.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * The transcript entries in GaugeStore, as reports read them: the entries themselves
 * (gauge-store-entries.c), their sums per quarter hour (gauge-store-sums.c: entry_sums)
 * and what changed since a reader last looked (gauge-store-edits.c: entry_edits). The
 * transcript index writes them (gauge-store-index.h). Times are unix milliseconds, UTC;
 * ranges are [since_ms, until_ms), 0 for an open bound.
 */

typedef enum
{
  GAUGE_STORE_LOAD_NONE     = 0,
  GAUGE_STORE_LOAD_SESSIONS = 1 << 0,  /* session_id and project too */
} GaugeStoreLoadFlags;

/* What changed in the entries since a reader last looked. */
typedef struct
{
  gint64 last_id;      /* the newest entry's id: pass it back next time */
  gint64 last_edit;    /* the newest edit: pass it back next time */
  gint64 low_ms;       /* the earliest time of an entry added, replaced or removed since;
                        * G_MAXINT64 when nothing changed, G_MININT64 to read everything again */
} GaugeEntryChanges;

/* Sorted by timestamp. */
GArray  *gauge_store_load_entries        (GaugeStore         *self,
                                          gint64              since_ms,
                                          gint64              until_ms,
                                          GError            **error);
/* The entries' strings live in *@strings (free it after the array): for reports. */
GArray  *gauge_store_load_entries_shared (GaugeStore         *self,
                                          gint64              since_ms,
                                          gint64              until_ms,
                                          GaugeStoreLoadFlags flags,
                                          GStringChunk      **strings,
                                          GError            **error);
GArray  *gauge_store_load_scoped_entries (GaugeStore            *self,
                                          const GaugeEntryScope *scope,
                                          gint64                 since_ms,
                                          gint64                 until_ms,
                                          GaugeStoreLoadFlags    flags,
                                          GStringChunk         **strings,
                                          GError               **error);
/* Entries summed per 15-minute bucket and model, for reports by day. */
GArray  *gauge_store_load_entry_sums     (GaugeStore         *self,
                                          gint64              since_ms,
                                          gint64              until_ms,
                                          GStringChunk      **strings,
                                          GError            **error);
/* A session's entries summed per model, for its cost. */
GArray  *gauge_store_load_session_sums   (GaugeStore         *self,
                                          const char         *session_id,
                                          GStringChunk      **strings,
                                          GError            **error);
gboolean gauge_store_get_entry_changes   (GaugeStore         *self,
                                          gint64              since_id,
                                          gint64              since_edit,
                                          GaugeEntryChanges  *changes,
                                          GError            **error);

G_END_DECLS
