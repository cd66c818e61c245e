/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "gauge-blocks.h"
#include "gauge-pricing.h"
#include "gauge-local-entry.h"

G_BEGIN_DECLS

typedef enum
{
  GAUGE_REPORT_DAILY,
  GAUGE_REPORT_WEEKLY,
  GAUGE_REPORT_MONTHLY,
  GAUGE_REPORT_SESSION,
} GaugeReportKind;

typedef struct
{
  char    *model;
  gint64   input_tokens;
  gint64   output_tokens;
  gint64   cache_creation_tokens;
  gint64   cache_read_tokens;
  double   cost_usd;
  gboolean missing_pricing;       /* cost unknown: the model is not in the price table */
} GaugeModelUsage;

typedef struct
{
  char      *key;                 /* YYYY-MM-DD, week start YYYY-MM-DD, YYYY-MM or session id */
  char      *project;             /* sessions only */
  gint64     first_ms;
  gint64     last_ms;
  gint64     input_tokens;
  gint64     output_tokens;
  gint64     cache_creation_tokens;
  gint64     cache_read_tokens;
  double     cost_usd;
  GPtrArray *models;              /* names in order of first use */
  GPtrArray *breakdown;           /* GaugeModelUsage, by cost, highest first */
} GaugeReportRow;

typedef struct
{
  GaugeReportKind  kind;
  GPtrArray       *rows;          /* GaugeReportRow */
  GaugeReportRow  *totals;
  GPtrArray       *unpriced_models;
  guint64          malformed_lines;
} GaugeReport;

typedef struct
{
  GTimeZone     *time_zone;       /* days are counted in it; NULL for local */
  GDateWeekday   start_of_week;   /* G_DATE_BAD_WEEKDAY means Sunday, as ccusage */
  GDate         *since;           /* (nullable) first day, inclusive */
  GDate         *until;           /* (nullable) last day, inclusive */
  GaugeCostMode  mode;
  guint64        malformed_lines; /* from the index, shown with the report */
} GaugeReportParams;

/* The seeds' period figures (issue 3, point 9). -1 where a figure does not apply. */
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
} GaugePeriodFigures;

/* Reports and period figures made entry by entry, so that a cached state can be copied and
 * given only the newest entries (GaugeLocalUsage). */
typedef struct _GaugeReportBuilder GaugeReportBuilder;
typedef struct _GaugePeriodWalk    GaugePeriodWalk;

GaugeReportBuilder   *gauge_report_builder_new    (GaugeReportKind           kind,
                                                   GaugePricing             *pricing,
                                                   const GaugeReportParams  *params);
GaugeReportBuilder   *gauge_report_builder_copy   (const GaugeReportBuilder *builder);
void                  gauge_report_builder_free   (GaugeReportBuilder       *builder);
void                  gauge_report_builder_add    (GaugeReportBuilder       *builder,
                                                   const GaugeLocalEntry    *entries,
                                                   guint                     n_entries);
GaugeReport          *gauge_report_builder_end    (GaugeReportBuilder       *builder);
const GaugeReportRow *gauge_report_get_day        (GaugeReport              *report,
                                                   const GDate              *day);

void                  gauge_report_period_starts  (GTimeZone                *time_zone,
                                                   guint                     billing_start_day,
                                                   GDateWeekday              start_of_week,
                                                   gint64                    now_ms,
                                                   gint64                   *billing_start_ms,
                                                   gint64                   *week_start_ms);
GaugePeriodWalk      *gauge_period_walk_new       (GaugePricing             *pricing,
                                                   GaugeCostMode             mode,
                                                   GTimeZone                *time_zone,
                                                   gint64                    billing_start_ms,
                                                   gint64                    week_start_ms);
GaugePeriodWalk      *gauge_period_walk_copy      (const GaugePeriodWalk    *walk);
void                  gauge_period_walk_free      (GaugePeriodWalk          *walk);
void                  gauge_period_walk_add       (GaugePeriodWalk          *walk,
                                                   const GaugeLocalEntry    *entries,
                                                   guint                     n_entries);
void                  gauge_period_walk_end       (GaugePeriodWalk          *walk,
                                                   GPtrArray                *blocks,
                                                   guint64                   weekly_budget,
                                                   const GaugeLocalEntry    *last_entry,
                                                   gint64                    now_ms,
                                                   GaugePeriodFigures       *figures);

GaugeReport          *gauge_report_new            (GaugeReportKind           kind,
                                                   GArray                   *entries,
                                                   GaugePricing             *pricing,
                                                   const GaugeReportParams  *params);
void                  gauge_report_free           (GaugeReport              *report);
JsonNode             *gauge_report_to_json        (GaugeReport              *report);
char                 *gauge_report_to_text        (GaugeReport              *report,
                                                   gboolean                  breakdown);
JsonNode             *gauge_blocks_to_json        (GPtrArray                *blocks,
                                                   gint64                    now_ms,
                                                   const GaugeBlockLimit    *limit);
char                 *gauge_blocks_to_text        (GPtrArray                *blocks,
                                                   gint64                    now_ms,
                                                   const GaugeBlockLimit    *limit,
                                                   GTimeZone                *time_zone);
void                  gauge_report_period_figures (GArray                   *entries,
                                                   GPtrArray                *blocks,
                                                   GaugePricing             *pricing,
                                                   GaugeCostMode             mode,
                                                   GTimeZone                *time_zone,
                                                   guint                     billing_start_day,
                                                   GDateWeekday              start_of_week,
                                                   guint64                   weekly_budget,
                                                   gint64                    now_ms,
                                                   GaugePeriodFigures       *figures);
gboolean              gauge_weekday_from_string   (const char               *str,
                                                   GDateWeekday             *weekday);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeReport, gauge_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeReportBuilder, gauge_report_builder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugePeriodWalk, gauge_period_walk_free)

G_END_DECLS
