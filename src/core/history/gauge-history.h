/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * History of the official readings: chart series, limit events, projections,
 * retention. The pure functions live in gauge-history.c; the queries that
 * return these types are part of GaugeStore (gauge-store-readings.h). All
 * times are unix seconds, UTC.
 */

/* Data older than this stays at one fetch per hour and source. */
#define GAUGE_HISTORY_FULL_RESOLUTION_DAYS 30

/* One point of a chart series, or one stored reading of a window. */
typedef struct
{
  gint64 t;            /* fetched_at */
  double value;        /* utilization, percent; may exceed 100 */
  gint64 resets_at;    /* 0 when unknown */
} GaugeHistoryPoint;

typedef enum
{
  GAUGE_HISTORY_MAX,   /* the highest reading of each bucket: peaks stay visible */
  GAUGE_HISTORY_LAST,  /* the latest reading of each bucket */
} GaugeHistoryAggregate;

/* A window id seen in a range, with its newest display name. */
typedef struct
{
  char *id;
  char *name;
} GaugeHistoryWindow;

/* A window at or above 100 %: from the first such reading to the reset. */
typedef struct
{
  char   *window;
  char   *name;
  gint64  reached_at;  /* first reading at or above 100 % */
  gint64  last_at;     /* last reading at or above 100 % */
  gint64  reset_at;    /* when the window reset; 0 while it has not, or unknown */
} GaugeLimitEvent;

typedef enum
{
  GAUGE_PROJECTION_UNKNOWN,       /* too few readings, no reset time, or the reading is stale */
  GAUGE_PROJECTION_REACHES_LIMIT, /* at this pace 100 % at reaches_at, before the reset */
  GAUGE_PROJECTION_ENDS_NEAR,     /* the window resets first, near ends_near percent */
  GAUGE_PROJECTION_AT_LIMIT,      /* already at 100 % (since reaches_at) */
} GaugeProjectionKind;

typedef struct
{
  GaugeProjectionKind kind;
  gint64  reaches_at;             /* REACHES_LIMIT, AT_LIMIT; else 0 */
  double  ends_near;              /* ENDS_NEAR: percent at the reset; else -1 */
  gint64  minutes_before_reset;   /* REACHES_LIMIT, AT_LIMIT with a reset time; else -1 */
  double  rate_per_hour;          /* percent per hour the projection used */
  gint64  span;                   /* seconds of readings the rate was taken over */
} GaugeProjection;

/* The spans tried for the rate, shortest first (seconds). */
#define GAUGE_PROJECTION_SPANS { 30 * 60, 60 * 60, 2 * 60 * 60 }

/* Pure functions (gauge-history.c). */
gboolean   gauge_history_point_starts_period (const GaugeHistoryPoint *previous,
                                              const GaugeHistoryPoint *point);
void       gauge_history_project             (const GaugeHistoryPoint *readings,
                                              guint                    n_readings,
                                              gint64                   now,
                                              GaugeProjection         *projection);
guint      gauge_limit_events_count          (GArray                  *events,
                                              const char              *window,
                                              gint64                   since);
GArray    *gauge_limit_event_array_new       (void);
GPtrArray *gauge_history_window_array_new    (void);
char      *gauge_projection_describe         (const GaugeProjection   *projection,
                                              GDateTime               *now);
char      *gauge_projection_describe_pace    (const GaugeProjection   *projection,
                                              GDateTime               *now);

G_END_DECLS
