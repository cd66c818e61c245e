/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-rate-gate.h"
#include "gauge-types.h"
#include "gauge-local-entry.h"
#include "gauge-limits-snapshot.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_STORE (gauge_store_get_type ())
#define GAUGE_STORE_ERROR (gauge_store_error_quark ())

typedef enum
{
  GAUGE_STORE_ERROR_OPEN,       /* cannot create or open the file */
  GAUGE_STORE_ERROR_TOO_NEW,    /* written by a newer Claude Gauge */
  GAUGE_STORE_ERROR_QUERY,      /* a statement failed (disk full, read-only, …) */
  GAUGE_STORE_ERROR_REPLACED,   /* the file was damaged (and is now moved aside and started
                                 * anew) or moved aside by another process: nothing was done
                                 * on the new file, do it again */
} GaugeStoreError;

#define GAUGE_STORE_SCHEMA_VERSION 9

G_DECLARE_FINAL_TYPE (GaugeStore, gauge_store, GAUGE, STORE, GObject)

/*
 * The history database ($XDG_DATA_HOME/claude-gauge/history.db): readings and
 * the request cooldown. The calls block: they are for worker threads and the
 * CLI, never for the main loop.
 */
GQuark               gauge_store_error_quark           (void);
GaugeStore          *gauge_store_new                   (const char          *path);
const char          *gauge_store_get_path              (GaugeStore          *self);
const char          *gauge_store_get_recovered_path    (GaugeStore          *self);
char                *gauge_store_take_recovery_message (GaugeStore          *self);
gboolean             gauge_store_open                  (GaugeStore          *self,
                                                        GError             **error);
gboolean             gauge_store_check                 (GaugeStore          *self,
                                                        GError             **error);
gboolean             gauge_store_add_snapshot          (GaugeStore          *self,
                                                        GaugeLimitsSnapshot *snapshot,
                                                        GError             **error);
GaugeLimitsSnapshot *gauge_store_load_latest_snapshot  (GaugeStore          *self,
                                                        GError             **error);
GaugeRateGate       *gauge_store_load_gate             (GaugeStore          *self,
                                                        const char          *token_hash,
                                                        GError             **error);
gboolean             gauge_store_save_gate             (GaugeStore          *self,
                                                        const char          *token_hash,
                                                        GaugeRateGate       *gate,
                                                        GError             **error);

void                 gauge_store_release_memory        (GaugeStore          *self);

/* Transcript entries (gauge-store-entries.c). Sorted by timestamp; 0 for an open bound. */
GArray              *gauge_store_load_entries          (GaugeStore          *self,
                                                        gint64               since_ms,
                                                        gint64               until_ms,
                                                        GError             **error);
typedef enum
{
  GAUGE_STORE_LOAD_NONE     = 0,
  GAUGE_STORE_LOAD_SESSIONS = 1 << 0,  /* session_id and project too */
} GaugeStoreLoadFlags;
/* The entries' strings live in *@strings (free it after the array): for reports. */
GArray              *gauge_store_load_entries_shared   (GaugeStore          *self,
                                                        gint64               since_ms,
                                                        gint64               until_ms,
                                                        GaugeStoreLoadFlags  flags,
                                                        GStringChunk       **strings,
                                                        GError             **error);
/* Entries summed per 15-minute bucket and model, for reports by day (gauge-store-sums.c). */
GArray              *gauge_store_load_entry_sums       (GaugeStore          *self,
                                                        gint64               since_ms,
                                                        gint64               until_ms,
                                                        GStringChunk       **strings,
                                                        GError             **error);

/* What changed in the entries since a reader last looked (gauge-store-edits.c). */
typedef struct
{
  gint64 last_id;      /* the newest entry's id: pass it back next time */
  gint64 last_edit;    /* the newest edit: pass it back next time */
  gint64 low_ms;       /* the earliest time of an entry added, replaced or removed since;
                        * G_MAXINT64 when nothing changed, G_MININT64 to read everything again */
} GaugeEntryChanges;
gboolean             gauge_store_get_entry_changes     (GaugeStore          *self,
                                                        gint64               since_id,
                                                        gint64               since_edit,
                                                        GaugeEntryChanges   *changes,
                                                        GError             **error);

/* Alerts already sent, so none is sent twice (gauge-store-alerts.c). */
gboolean             gauge_store_has_alert             (GaugeStore          *self,
                                                        const char          *key,
                                                        GError             **error);
gboolean             gauge_store_add_alert             (GaugeStore          *self,
                                                        const char          *key,
                                                        gint64               sent_at_unix,
                                                        GError             **error);

G_END_DECLS
