/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-pricing.h"
#include "gauge-local-entry.h"

G_BEGIN_DECLS

/*
 * Reports as ccusage makes them: entries (or the store's sums of them) grouped
 * into rows by day, week, month or session, with a per-model breakdown.
 * Blocks are gauge-blocks.h; text and JSON are gauge-report-format.h.
 */
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

/* A report made entry by entry, so that a cached state can be copied and given only the
 * newest entries (GaugeLocalUsage). */
typedef struct _GaugeReportBuilder GaugeReportBuilder;

GaugeReportBuilder   *gauge_report_builder_new  (GaugeReportKind           kind,
                                                 GaugePricing             *pricing,
                                                 const GaugeReportParams  *params);
GaugeReportBuilder   *gauge_report_builder_copy (const GaugeReportBuilder *builder);
void                  gauge_report_builder_free (GaugeReportBuilder       *builder);
void                  gauge_report_builder_add  (GaugeReportBuilder       *builder,
                                                 const GaugeLocalEntry    *entries,
                                                 guint                     n_entries);
GaugeReport          *gauge_report_builder_end  (GaugeReportBuilder       *builder);

GaugeReport          *gauge_report_new          (GaugeReportKind           kind,
                                                 GArray                   *entries,
                                                 GaugePricing             *pricing,
                                                 const GaugeReportParams  *params);
void                  gauge_report_free         (GaugeReport              *report);
const GaugeReportRow *gauge_report_get_day      (GaugeReport              *report,
                                                 const GDate              *day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeReport, gauge_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeReportBuilder, gauge_report_builder_free)

G_END_DECLS
