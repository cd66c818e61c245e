/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-history.h"
#include "gauge-limits-snapshot.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * The official readings in GaugeStore: the tables fetches (one row per reading of the limits),
 * readings (its windows) and readings_hourly (their hourly rollup). Writing, retention and the
 * latest reading are in gauge-store-readings.c; the history's queries (chart series, limit
 * events, projections) in gauge-store-series.c. The point, window, event and projection types
 * are the history's (gauge-history.h). Times are unix seconds, UTC; ranges are [since, until).
 */

/* One stored reading, as the export writes it; money fields are -1 for a percent window. */
typedef struct
{
  gint64      fetched_at;
  const char *source;
  const char *window;
  const char *name;
  double      utilization;
  gint64      resets_at;      /* 0 when unknown */
  gint64      used_minor;
  gint64      limit_minor;
  const char *currency;       /* NULL for a percent window */
  const char *account;        /* the Claude Code config folder it was read for */
} GaugeStoredReading;

typedef void (*GaugeStoredReadingFunc) (const GaugeStoredReading *reading,
                                        gpointer                  user_data);

/* Writing and keeping readings (gauge-store-readings.c); the _async calls are for the main
 * loop. */
gboolean             gauge_store_add_snapshot              (GaugeStore            *self,
                                                            GaugeLimitsSnapshot   *snapshot,
                                                            GError               **error);
GaugeLimitsSnapshot *gauge_store_load_latest_snapshot      (GaugeStore            *self,
                                                            GError               **error);
/* The same per account (a Claude Code config folder; %NULL: the first account). */
gboolean             gauge_store_add_account_snapshot      (GaugeStore            *self,
                                                            const char            *account,
                                                            GaugeLimitsSnapshot   *snapshot,
                                                            GError               **error);
GaugeLimitsSnapshot *gauge_store_load_account_snapshot     (GaugeStore            *self,
                                                            const char            *account,
                                                            GError               **error);
gboolean             gauge_store_save_account_profile      (GaugeStore            *self,
                                                            const char            *folder,
                                                            const char            *email,
                                                            const char            *plan,
                                                            GError               **error);
gboolean             gauge_store_load_account_profile      (GaugeStore            *self,
                                                            const char            *folder,
                                                            char                 **email,
                                                            char                 **plan,
                                                            GError               **error);
gboolean             gauge_store_foreach_reading           (GaugeStore            *self,
                                                            gint64                 since,
                                                            gint64                 until,
                                                            GaugeStoredReadingFunc func,
                                                            gpointer               user_data,
                                                            GError               **error);
gboolean             gauge_store_apply_retention           (GaugeStore            *self,
                                                            guint                  retention_days,
                                                            gint64                 now,
                                                            gint64                *n_removed,
                                                            GError               **error);
gboolean             gauge_store_clear_history             (GaugeStore            *self,
                                                            gint64                *n_removed,
                                                            GError               **error);
void                 gauge_store_apply_retention_async     (GaugeStore            *self,
                                                            guint                  retention_days,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean             gauge_store_apply_retention_finish    (GaugeStore            *self,
                                                            GAsyncResult          *result,
                                                            gint64                *n_removed,
                                                            GError               **error);
void                 gauge_store_clear_history_async       (GaugeStore            *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean             gauge_store_clear_history_finish      (GaugeStore            *self,
                                                            GAsyncResult          *result,
                                                            gint64                *n_removed,
                                                            GError               **error);

/* The history's queries (gauge-store-series.c); @account: one account's readings, %NULL:
 * every account's. */
GArray              *gauge_store_load_account_series       (GaugeStore            *self,
                                                            const char            *account,
                                                            const char            *window,
                                                            gint64                 since,
                                                            gint64                 until,
                                                            guint                  max_points,
                                                            GaugeHistoryAggregate  aggregate,
                                                            GError               **error);
GArray              *gauge_store_load_readings             (GaugeStore            *self,
                                                            const char            *window,
                                                            gint64                 since,
                                                            gint64                 until,
                                                            GError               **error);
GPtrArray           *gauge_store_list_account_windows      (GaugeStore            *self,
                                                            const char            *account,
                                                            gint64                 since,
                                                            gint64                 until,
                                                            GError               **error);
GArray              *gauge_store_load_account_limit_events (GaugeStore            *self,
                                                            const char            *account,
                                                            gint64                 since,
                                                            gint64                 until,
                                                            GError               **error);
GHashTable          *gauge_store_load_account_projections  (GaugeStore            *self,
                                                            const char            *account,
                                                            GaugeLimitsSnapshot   *snapshot,
                                                            gint64                 now,
                                                            GError               **error);

G_END_DECLS
