/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-blocks.h"
#include "gauge-pricing.h"
#include "gauge-local-entry.h"

G_BEGIN_DECLS

/*
 * The period figures a local summary holds beside its daily report (the seeds'
 * issue 3, point 9): this billing period, this week, the active block. -1
 * where a figure does not apply.
 */
typedef struct
{
  gint64 billing_start_ms;
  gint64 billing_tokens;
  double billing_cost;
  gint64 largest_block_tokens;
  double largest_block_cost;
  gint64 week_start_ms;
  gint64 week_tokens;
  double week_cost;
  guint  week_sessions;
  double week_tokens_per_session;
  double sessions_left;           /* against the weekly budget; -1 without one */
  int    days_left_in_week;       /* counting today */
  gint64 active_block_remaining_ms;
  gint64 minutes_since_last_entry;
  guint  billing_blocks;          /* 5-hour blocks begun in the billing period: the first
                                   * seed's "sessions", counted against a monthly budget */
  double last_hour_tokens_per_minute;  /* all tokens of the last 60 minutes, across blocks */
} GaugePeriodFigures;

/* The sums behind the figures, made entry by entry, so that a cached walk can be copied and
 * given only the newest entries (GaugeLocalUsage). */
typedef struct _GaugePeriodWalk GaugePeriodWalk;

void             gauge_period_starts    (GTimeZone             *time_zone,
                                         guint                  billing_start_day,
                                         GDateWeekday           start_of_week,
                                         gint64                 now_ms,
                                         gint64                *billing_start_ms,
                                         gint64                *week_start_ms);
GaugePeriodWalk *gauge_period_walk_new  (GaugePricing          *pricing,
                                         GaugeCostMode          mode,
                                         GTimeZone             *time_zone,
                                         gint64                 billing_start_ms,
                                         gint64                 week_start_ms);
GaugePeriodWalk *gauge_period_walk_copy (const GaugePeriodWalk *walk);
void             gauge_period_walk_free (GaugePeriodWalk       *walk);
void             gauge_period_walk_add  (GaugePeriodWalk       *walk,
                                         const GaugeLocalEntry *entries,
                                         guint                  n_entries);
void             gauge_period_walk_end  (GaugePeriodWalk       *walk,
                                         GPtrArray             *blocks,
                                         guint64                weekly_budget,
                                         const GaugeLocalEntry *entries,
                                         guint                  n_entries,
                                         gint64                 now_ms,
                                         GaugePeriodFigures    *figures);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugePeriodWalk, gauge_period_walk_free)

G_END_DECLS
