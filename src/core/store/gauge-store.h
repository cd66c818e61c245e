/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

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

#define GAUGE_STORE_SCHEMA_VERSION 15

G_DECLARE_FINAL_TYPE (GaugeStore, gauge_store, GAUGE, STORE, GObject)

/*
 * The history database ($XDG_DATA_HOME/claude-gauge/history.db), one file that the app and
 * every CLI mode share. This header holds the object and its lifecycle; what it stores has a
 * header per table:
 *
 *   gauge-store-readings.h  fetches, readings, readings_hourly: readings, charts, retention;
 *                           account_profiles: what each account's profile said
 *   gauge-store-entries.h   entries, entry_sums, entry_edits: what reports read
 *   gauge-store-index.h     transcript_files, entries: what the transcript index writes
 *   gauge-store-cooldown.h  cooldown: the request gate per token
 *   gauge-store-alerts.h    alerts_sent: notifications already sent
 *   gauge-store-console.h   console_code_days: finished days of the Admin API
 *
 * A call that reads or writes the database blocks: call it from a worker thread or the CLI,
 * never from the main loop (the few calls meant for the main loop say so).
 */
GQuark      gauge_store_error_quark           (void);
GaugeStore *gauge_store_new                   (const char *path);
const char *gauge_store_get_path              (GaugeStore *self);
const char *gauge_store_get_recovered_path    (GaugeStore *self);
char       *gauge_store_take_recovery_message (GaugeStore *self);
gboolean    gauge_store_open                  (GaugeStore *self,
                                               GError    **error);
gboolean    gauge_store_check                 (GaugeStore *self,
                                               GError    **error);
void        gauge_store_release_memory        (GaugeStore *self);

G_END_DECLS
