/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-local-summary"

#include "config.h"

#include "gauge-format.h"
#include "gauge-local-summary.h"
#include "gauge-local-usage.h"

struct _GaugeLocalSummary
{
  GObject               parent_instance;

  GaugeBlock           *active;        /* the 5-hour block in progress, or NULL */
  gint64                now_ms;
  GaugeBlockLimit       limit;
  gboolean              has_limit;
  GaugeReport          *period;        /* by day from the billing period's first day */
  const GaugeReportRow *today;         /* in period, or NULL */
  GaugePeriodFigures    figures;
  guint                 n_entries;
  guint64               weekly_budget;
  guint                 session_budget;
};

G_DEFINE_FINAL_TYPE (GaugeLocalSummary, gauge_local_summary, G_TYPE_OBJECT)

static void
gauge_local_summary_finalize (GObject *object)
{
  GaugeLocalSummary *self = (GaugeLocalSummary *)object;

  g_clear_pointer (&self->active, gauge_block_free);
  g_clear_pointer (&self->period, gauge_report_free);

  G_OBJECT_CLASS (gauge_local_summary_parent_class)->finalize (object);
}

static void
gauge_local_summary_class_init (GaugeLocalSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gauge_local_summary_finalize;
}

static void
gauge_local_summary_init (GaugeLocalSummary *self)
{
}

/**
 * gauge_local_summary_params_init:
 * @settings: (nullable): the app's settings, or %NULL for the defaults
 *
 * Leaves rate_limit_tier NULL: it comes from the credentials.
 */
void
gauge_local_summary_params_init (GaugeLocalSummaryParams *params,
                                 GSettings               *settings)
{
  g_autofree char *mode = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *week = NULL;

  g_return_if_fail (params != NULL);

  *params = (GaugeLocalSummaryParams) {
    .mode = GAUGE_COST_MODE_AUTO,
    .plan = GAUGE_PLAN_LIMIT_AUTO,
    .billing_start_day = 1,
    .start_of_week = G_DATE_SUNDAY,
    .session_budget = 50,
  };

  if (settings == NULL)
    return;

  mode = g_settings_get_string (settings, "cost-mode");
  plan = g_settings_get_string (settings, "plan-limit");
  week = g_settings_get_string (settings, "start-of-week");
  gauge_cost_mode_from_string (mode, &params->mode);
  gauge_plan_limit_from_string (plan, &params->plan);
  gauge_weekday_from_string (week, &params->start_of_week);
  params->custom_limit_tokens = g_settings_get_uint64 (settings, "plan-limit-tokens");
  params->billing_start_day = g_settings_get_uint (settings, "billing-start-day");
  params->weekly_budget = g_settings_get_uint64 (settings, "weekly-token-budget");
  params->session_budget = g_settings_get_uint (settings, "session-budget");
}

/**
 * gauge_local_summary_new:
 * @active: (nullable): the block in progress, copied
 * @limit: (nullable): the block limit, if one is known
 * @period: (transfer full): the daily report from the billing period's first day
 * @params: what the summary was made with (the budgets are kept)
 * @n_entries: the entries the summary was made of
 *
 * For GaugeLocalUsage, which makes summaries.
 */
GaugeLocalSummary *
gauge_local_summary_new (const GaugeBlock         *active,
                         const GaugeBlockLimit    *limit,
                         GaugeReport              *period,
                         const GaugePeriodFigures *figures,
                         const GaugeLocalSummaryParams *params,
                         guint                     n_entries,
                         gint64                    now_ms)
{
  GaugeLocalSummary *self;
  g_autoptr(GTimeZone) local_zone = g_time_zone_new_local ();
  GDate today;

  g_return_val_if_fail (period != NULL && figures != NULL && params != NULL, NULL);

  self = g_object_new (GAUGE_TYPE_LOCAL_SUMMARY, NULL);
  self->active = active != NULL ? gauge_block_copy (active) : NULL;
  self->has_limit = limit != NULL;
  if (limit != NULL)
    self->limit = *limit;
  self->period = period;
  self->figures = *figures;
  self->n_entries = n_entries;
  self->now_ms = now_ms;
  self->weekly_budget = params->weekly_budget;
  self->session_budget = params->session_budget;

  gauge_day_of_ms (now_ms, local_zone, &today);
  self->today = gauge_report_get_day (period, &today);

  return self;
}

/**
 * gauge_local_summary_compute:
 * @since_ms: the oldest entry to read, 0 for %GAUGE_LOCAL_SUMMARY_DAYS ago
 *
 * A summary made in one go, for the command line (the window keeps a
 * #GaugeLocalUsage). Blocking: reads the index. Call from a worker thread or
 * the CLI.
 */
GaugeLocalSummary *
gauge_local_summary_compute (GaugeStore                    *store,
                             const GaugeLocalSummaryParams *params,
                             gint64                         since_ms,
                             gint64                         now_ms,
                             GError                       **error)
{
  g_autoptr(GaugeLocalUsage) usage = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  usage = gauge_local_usage_new (store, since_ms > 0 ? now_ms - since_ms : 0);
  return gauge_local_usage_update (usage, params, now_ms, error);
}

gboolean
gauge_local_summary_has_entries (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);

  return self->n_entries > 0;
}

/* Returns: (nullable): the 5-hour block in progress */
const GaugeBlock *
gauge_local_summary_get_active_block (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return self->active;
}

gboolean
gauge_local_summary_get_burn_rate (GaugeLocalSummary *self,
                                   GaugeBurnRate     *rate)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);

  return self->active != NULL && gauge_block_get_burn_rate (self->active, rate);
}

gboolean
gauge_local_summary_get_projection (GaugeLocalSummary    *self,
                                    GaugeBlockProjection *projection)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);

  return self->active != NULL &&
         gauge_block_get_projection (self->active, self->now_ms, projection);
}

/**
 * gauge_local_summary_get_limit:
 * @percent: (out) (optional): the projection's share of the limit
 * @status: (out) (optional): ok, warning or exceeds
 *
 * Returns: whether a limit is known and a block is active
 */
gboolean
gauge_local_summary_get_limit (GaugeLocalSummary *self,
                               GaugeBlockLimit   *limit,
                               double            *percent,
                               GaugeBlockStatus  *status)
{
  GaugeBlockProjection projection;
  GaugeBlockStatus block_status;
  double block_percent = 0;

  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);

  if (!self->has_limit || !gauge_local_summary_get_projection (self, &projection))
    return FALSE;

  block_status = gauge_block_limit_status (&self->limit, &projection, &block_percent);
  if (limit != NULL)
    *limit = self->limit;
  if (percent != NULL)
    *percent = block_percent;
  if (status != NULL)
    *status = block_status;

  return TRUE;
}

/**
 * gauge_local_summary_get_block_limit:
 *
 * Unlike gauge_local_summary_get_limit(), also without an active block or a
 * projection: what --check-tokens classifies against.
 *
 * Returns: whether a limit is known
 */
gboolean
gauge_local_summary_get_block_limit (GaugeLocalSummary *self,
                                     GaugeBlockLimit   *limit)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);
  g_return_val_if_fail (limit != NULL, FALSE);

  if (self->has_limit)
    *limit = self->limit;
  return self->has_limit;
}

/**
 * gauge_local_summary_get_block_percent:
 * @percent: (out): the active block's tokens, counted as the limit counts them, as a
 *   percentage of the limit: what the bar and the exit status say (the projection is
 *   a forecast, told beside it)
 *
 * Returns: whether a block is active and a limit known
 */
gboolean
gauge_local_summary_get_block_percent (GaugeLocalSummary *self,
                                       double            *percent)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);
  g_return_val_if_fail (percent != NULL, FALSE);

  if (self->active == NULL || !self->has_limit || self->limit.tokens <= 0)
    return FALSE;
  *percent = gauge_block_limit_count (&self->limit, self->active) * 100.0 / self->limit.tokens;
  return TRUE;
}

/**
 * gauge_local_summary_get_week_percent:
 * @percent: (out): the week's tokens as a percentage of the weekly budget
 *
 * Returns: whether a weekly budget is set
 */
gboolean
gauge_local_summary_get_week_percent (GaugeLocalSummary *self,
                                      double            *percent)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);
  g_return_val_if_fail (percent != NULL, FALSE);

  if (self->weekly_budget == 0)
    return FALSE;
  *percent = self->figures.week_tokens * 100.0 / self->weekly_budget;
  return TRUE;
}

/* Returns: the weekly token budget the summary was made with, 0 for none */
guint64
gauge_local_summary_get_weekly_budget (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), 0);

  return self->weekly_budget;
}

/* Returns: the 5-hour blocks a billing period may hold, 0 for no budget */
guint
gauge_local_summary_get_session_budget (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), 0);

  return self->session_budget;
}

/* Returns: the time the summary describes, in Unix milliseconds */
gint64
gauge_local_summary_get_now_ms (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), 0);

  return self->now_ms;
}

/* Returns: (nullable): today's totals, %NULL before the first entry of the day */
const GaugeReportRow *
gauge_local_summary_get_today (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return self->today;
}

const GaugePeriodFigures *
gauge_local_summary_get_figures (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return &self->figures;
}

/* Returns: (transfer none) (element-type GaugeModelUsage): the billing period by model */
GPtrArray *
gauge_local_summary_get_models (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return self->period->totals->breakdown;
}

/* Returns: (transfer none) (element-type utf8): models whose price is unknown */
GPtrArray *
gauge_local_summary_get_unpriced (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return self->period->unpriced_models;
}
