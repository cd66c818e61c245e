/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-blocks.h"
#include "gauge-entry-scope.h"
#include "gauge-period-figures.h"
#include "gauge-report.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_LOCAL_SUMMARY (gauge_local_summary_get_type ())

G_DECLARE_FINAL_TYPE (GaugeLocalSummary, gauge_local_summary, GAUGE, LOCAL_SUMMARY, GObject)

/* What shapes the summary; the app fills it from GSettings, the CLI too. */
typedef struct
{
  GaugeCostMode  mode;
  GaugePlanLimit plan;
  guint64        custom_limit_tokens;
  const char    *rate_limit_tier;       /* from the credentials, for the auto plan */
  guint          billing_start_day;
  GDateWeekday   start_of_week;
  guint64        weekly_budget;
  guint          session_budget;        /* 5-hour blocks a billing period; 0 for none */
  const GaugeEntryScope *scope;         /* whose usage (an account's); NULL: every folder's */
} GaugeLocalSummaryParams;

void                      gauge_local_summary_params_init      (GaugeLocalSummaryParams       *params,
                                                                GSettings                     *settings);

/* How far back a summary reads: the billing period and the week need up to a month. */
#define GAUGE_LOCAL_SUMMARY_DAYS 35

/*
 * An immutable estimate of local usage from the transcript index: the active
 * 5-hour block, today, the billing period and its per-model breakdown.
 */
GaugeLocalSummary        *gauge_local_summary_new     (const GaugeBlock              *active,
                                                       const GaugeBlockLimit         *limit,
                                                       GaugeReport                   *period,
                                                       const GaugePeriodFigures      *figures,
                                                       const GaugeLocalSummaryParams *params,
                                                       guint                          n_entries,
                                                       gint64                         now_ms);
GaugeLocalSummary        *gauge_local_summary_compute (GaugeStore                    *store,
                                                       const GaugeLocalSummaryParams *params,
                                                       gint64                         since_ms,
                                                       gint64                         now_ms,
                                                       GError                       **error);

gboolean                  gauge_local_summary_has_entries      (GaugeLocalSummary    *self);
const GaugeBlock         *gauge_local_summary_get_active_block (GaugeLocalSummary    *self);
gboolean                  gauge_local_summary_get_burn_rate    (GaugeLocalSummary    *self,
                                                                GaugeBurnRate        *rate);
gboolean                  gauge_local_summary_get_projection   (GaugeLocalSummary    *self,
                                                                GaugeBlockProjection *projection);
gboolean                  gauge_local_summary_get_limit        (GaugeLocalSummary    *self,
                                                                GaugeBlockLimit      *limit,
                                                                double               *percent,
                                                                GaugeBlockStatus     *status);
gboolean                  gauge_local_summary_get_block_limit  (GaugeLocalSummary    *self,
                                                                GaugeBlockLimit      *limit);
gboolean                  gauge_local_summary_get_block_percent (GaugeLocalSummary   *self,
                                                                 double              *percent);
gboolean                  gauge_local_summary_get_week_percent (GaugeLocalSummary    *self,
                                                                double               *percent);
guint64                   gauge_local_summary_get_weekly_budget (GaugeLocalSummary   *self);
guint                     gauge_local_summary_get_session_budget (GaugeLocalSummary  *self);
gint64                    gauge_local_summary_get_now_ms       (GaugeLocalSummary    *self);
const GaugeReportRow     *gauge_local_summary_get_today        (GaugeLocalSummary    *self);
const GaugePeriodFigures *gauge_local_summary_get_figures      (GaugeLocalSummary    *self);
GPtrArray                *gauge_local_summary_get_models       (GaugeLocalSummary    *self);
GPtrArray                *gauge_local_summary_get_unpriced     (GaugeLocalSummary    *self);

G_END_DECLS
