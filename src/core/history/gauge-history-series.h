/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-pricing.h"
#include "gauge-entry-scope.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/*
 * What the History page draws, read from the store in one go (on a worker thread): each
 * official window's readings over the range with its resets; local cost and tokens over the
 * same range, stacked by model, per hour for a day and per day for longer; a year of daily
 * cost for the calendar. Days are local days.
 */

#define GAUGE_HISTORY_SERIES_POINTS 800  /* buckets per window: about a chart's width in pixels */
#define GAUGE_HISTORY_SERIES_MODELS 4    /* stacked models before "Other" */
#define GAUGE_HISTORY_SERIES_DAYS   365  /* days of the calendar */

/* One point of a chart: a time (UTC, ms) and a value; a NAN value is a gap. */
typedef struct
{
  gint64 t_ms;
  double value;
} GaugeSeriesPoint;

/* An official window's readings, at most GAUGE_HISTORY_SERIES_POINTS. */
typedef struct
{
  char   *id;
  char   *name;     /* with several accounts, "Work · Weekly" */
  guint   account;  /* its place among the accounts asked for */
  GArray *points;   /* GaugeSeriesPoint, by time */
  GArray *resets;   /* gint64 ms: where a new window period began */
} GaugeWindowSeries;

/* Buckets stacked by series, for a bar chart: the biggest models by total, then "Other". */
typedef struct
{
  GArray    *starts;   /* gint64 ms */
  GPtrArray *names;    /* the models' short names (gauge_model_name_abbreviate) */
  GArray    *values;   /* double, starts × names, row-major */
} GaugeStackedBars;

typedef struct
{
  gint64            now_ms;
  gint64            since_ms;      /* the range's start */
  gint64            today_ms;      /* local midnight of now */
  GPtrArray        *windows;       /* GaugeWindowSeries */
  gint64            bucket_ms;     /* the local bars' width: an hour, or a (local) day */
  GaugeStackedBars  cost;          /* local cost per bucket over the range */
  GaugeStackedBars  tokens;        /* local tokens per bucket over the range */
  GDate             last_day;      /* today, the heatmap's last day */
  GArray           *heatmap;       /* double: cost per day, GAUGE_HISTORY_SERIES_DAYS, oldest first */
  gboolean          any_readings;
  gboolean          any_entries;
} GaugeHistorySeries;

GaugeHistorySeries *gauge_history_series_load (GaugeStore     *store,
                                               const char * const *accounts,
                                               const char * const *names,
                                               const GaugeEntryScope *local,
                                               gint64          now_ms,
                                               gint64          since_ms,
                                               GaugeCostMode   mode,
                                               GCancellable   *cancellable,
                                               GError        **error);
void                gauge_history_series_free (GaugeHistorySeries *series);
gint64              gauge_history_series_bucket_for (gint64 span_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeHistorySeries, gauge_history_series_free)

G_END_DECLS
