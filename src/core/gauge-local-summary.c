/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-local-summary"

#include "config.h"

#include "gauge-clock.h"
#include "gauge-local-summary.h"

struct _GaugeLocalSummary
{
  GObject             parent_instance;

  GPtrArray          *blocks;
  const GaugeBlock   *active;        /* in blocks, or NULL */
  gint64              now_ms;
  GaugeBlockLimit     limit;
  gboolean            has_limit;
  GaugeReport        *today;         /* one row at most */
  GaugeReport        *period;        /* the billing period, for its per-model totals */
  GaugePeriodFigures  figures;
  guint               n_entries;
};

G_DEFINE_FINAL_TYPE (GaugeLocalSummary, gauge_local_summary, G_TYPE_OBJECT)

static void
gauge_local_summary_finalize (GObject *object)
{
  GaugeLocalSummary *self = (GaugeLocalSummary *)object;

  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->today, gauge_report_free);
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
}

static GDate *
local_date (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_date_new_dmy (g_date_time_get_day_of_month (local),
                         g_date_time_get_month (local),
                         g_date_time_get_year (local));
}

/* A daily report of @since_ms's local day through today: its totals carry the per-model breakdown. */
static GaugeReport *
report_since (GArray        *entries,
              GaugePricing  *pricing,
              GaugeCostMode  mode,
              gint64         since_ms,
              gint64         now_ms)
{
  g_autoptr(GDate) since = local_date (since_ms);
  g_autoptr(GDate) until = local_date (now_ms);
  GaugeReportParams params = { 0 };

  params.since = since;
  params.until = until;
  params.mode = mode;
  params.start_of_week = G_DATE_BAD_WEEKDAY;

  return gauge_report_new (GAUGE_REPORT_DAILY, entries, pricing, &params);
}

/**
 * gauge_local_summary_compute:
 * @since_ms: the oldest entry to read, 0 for %GAUGE_LOCAL_SUMMARY_DAYS ago
 *
 * Blocking: reads the index. Call from a worker thread or the CLI.
 */
GaugeLocalSummary *
gauge_local_summary_compute (GaugeStore                    *store,
                             const GaugeLocalSummaryParams *params,
                             gint64                         since_ms,
                             gint64                         now_ms,
                             GError                       **error)
{
  g_autoptr(GaugeLocalSummary) self = NULL;
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GStringChunk) strings = NULL;   /* freed after entries, which point into it */
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) pricing_error = NULL;
  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  if (since_ms <= 0)
    since_ms = now_ms - (gint64) GAUGE_LOCAL_SUMMARY_DAYS * 24 * 3600 * 1000;

  /* Sessions count in the week's figures; message and request ids are not needed. */
  entries = gauge_store_load_entries_shared (store, since_ms, 0, GAUGE_STORE_LOAD_SESSIONS,
                                             &strings, error);
  if (entries == NULL)
    return NULL;

  pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_debug ("%s", pricing_error->message);

  self = g_object_new (GAUGE_TYPE_LOCAL_SUMMARY, NULL);
  self->now_ms = now_ms;
  self->n_entries = entries->len;
  self->blocks = gauge_blocks_compute (entries, pricing, params->mode, now_ms);
  self->active = gauge_blocks_get_active (self->blocks);
  self->has_limit = gauge_blocks_get_limit (self->blocks, params->plan, params->custom_limit_tokens,
                                            params->rate_limit_tier, &self->limit);

  gauge_report_period_figures (entries, self->blocks, pricing, params->mode, NULL,
                               params->billing_start_day, params->start_of_week,
                               params->weekly_budget, now_ms, &self->figures);

  self->today = report_since (entries, pricing, params->mode, now_ms, now_ms);
  self->period = report_since (entries, pricing, params->mode,
                               MAX (self->figures.billing_start_ms, since_ms), now_ms);

  return g_steal_pointer (&self);
}

typedef struct
{
  GaugeStore              *store;
  GaugeLocalSummaryParams  params;
  char                    *rate_limit_tier;
} ComputeData;

static void
compute_data_free (gpointer data)
{
  ComputeData *compute = data;

  g_clear_object (&compute->store);
  g_free (compute->rate_limit_tier);
  g_free (compute);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *compute = task_data;
  GaugeLocalSummary *summary;
  GError *error = NULL;

  summary = gauge_local_summary_compute (compute->store, &compute->params, 0,
                                         gauge_clock_now_unix () * 1000, &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, g_object_unref);
}

/* Computes the summary on a worker thread. */
void
gauge_local_summary_compute_async (GaugeStore                    *store,
                                   const GaugeLocalSummaryParams *params,
                                   GCancellable                  *cancellable,
                                   GAsyncReadyCallback            callback,
                                   gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeData *compute;

  g_return_if_fail (GAUGE_IS_STORE (store));
  g_return_if_fail (params != NULL);

  compute = g_new0 (ComputeData, 1);
  compute->store = g_object_ref (store);
  compute->params = *params;
  compute->rate_limit_tier = g_strdup (params->rate_limit_tier);
  compute->params.rate_limit_tier = compute->rate_limit_tier;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_local_summary_compute_async);
  g_task_set_task_data (task, compute, compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

GaugeLocalSummary *
gauge_local_summary_compute_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
gauge_local_summary_get_projection (GaugeLocalSummary *self,
                                    GaugeBlockProjection   *projection)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), FALSE);

  return self->active != NULL && gauge_block_get_projection (self->active, self->now_ms, projection);
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

/* Returns: (nullable): today's totals, %NULL before the first entry of the day */
const GaugeReportRow *
gauge_local_summary_get_today (GaugeLocalSummary *self)
{
  g_return_val_if_fail (GAUGE_IS_LOCAL_SUMMARY (self), NULL);

  return self->today->rows->len > 0 ? g_ptr_array_index (self->today->rows, 0) : NULL;
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
