/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-pricing.h"
#include "gauge-local-entry.h"

G_BEGIN_DECLS

#define GAUGE_BLOCK_DURATION_MS ((gint64) 5 * 60 * 60 * 1000)

/* Token limits of the plan presets, in input + output tokens of a block. */
#define GAUGE_BLOCK_LIMIT_PRO   19000
#define GAUGE_BLOCK_LIMIT_MAX5  88000
#define GAUGE_BLOCK_LIMIT_MAX20 220000

/* One 5-hour billing block as ccusage computes it, or the gap between two. */
typedef struct
{
  gint64     start_ms;          /* the UTC hour of the first entry */
  gint64     end_ms;            /* start + 5 h; for a gap, the next entry's time */
  gint64     first_ms;          /* first entry; for a gap, its start */
  gint64     last_ms;           /* last entry (ccusage's actualEndTime); 0 for a gap */
  gboolean   is_gap;
  gboolean   is_active;
  guint      n_entries;
  gint64     input_tokens;
  gint64     output_tokens;
  gint64     cache_creation_tokens;
  gint64     cache_read_tokens;
  double     cost_usd;          /* of the priced entries */
  GPtrArray *models;            /* model names in order of first use ("-fast" appended) */
  GPtrArray *unpriced_models;   /* models whose cost is unknown, not counted in cost_usd */
} GaugeBlock;

typedef struct
{
  double tokens_per_minute;            /* all tokens */
  double tokens_per_minute_indicator;  /* input + output only */
  double cost_per_hour;
} GaugeBurnRate;

typedef struct
{
  gint64 remaining_minutes;
  gint64 total_tokens;
  gint64 input_output_tokens;
  double total_cost;
} GaugeBlockProjection;

typedef enum
{
  GAUGE_PLAN_LIMIT_AUTO,        /* from the credentials' rate-limit tier */
  GAUGE_PLAN_LIMIT_PRO,
  GAUGE_PLAN_LIMIT_MAX5,
  GAUGE_PLAN_LIMIT_MAX20,
  GAUGE_PLAN_LIMIT_CUSTOM,      /* plan-limit-tokens */
  GAUGE_PLAN_LIMIT_CUSTOM_MAX,  /* the largest finished block (ccusage's "max") */
  GAUGE_PLAN_LIMIT_P90,         /* 90th percentile of blocks that hit a limit */
} GaugePlanLimit;

/* What a limit counts: ccusage counts all tokens; the plan presets count input + output. */
typedef enum
{
  GAUGE_LIMIT_MEASURE_TOTAL,
  GAUGE_LIMIT_MEASURE_INPUT_OUTPUT,
} GaugeLimitMeasure;

typedef struct
{
  gint64            tokens;
  GaugeLimitMeasure measure;
  GaugePlanLimit    plan;           /* the resolved plan (never AUTO) */
  gboolean          switched;       /* the plan's limit was exceeded: now the largest past block */
  GaugePlanLimit    switched_from;  /* the plan before the switch */
} GaugeBlockLimit;

typedef enum
{
  GAUGE_BLOCK_STATUS_OK,
  GAUGE_BLOCK_STATUS_WARNING,   /* projection above 80 % of the limit */
  GAUGE_BLOCK_STATUS_EXCEEDS,   /* projection above the limit */
} GaugeBlockStatus;

void              gauge_block_free                 (GaugeBlock                 *block);
GaugeBlock       *gauge_block_copy                 (const GaugeBlock           *block);
gint64            gauge_block_get_total_tokens     (const GaugeBlock           *block);
GPtrArray        *gauge_blocks_compute             (GArray                     *entries,
                                                    GaugePricing               *pricing,
                                                    GaugeCostMode               mode,
                                                    gint64                      now_ms);
void              gauge_blocks_add_entries         (GPtrArray                  *blocks,
                                                    const GaugeLocalEntry      *entries,
                                                    guint                       n_entries,
                                                    GaugePricing               *pricing,
                                                    GaugeCostMode               mode,
                                                    gint64                      now_ms);
void              gauge_blocks_drop_last           (GPtrArray                  *blocks);
void              gauge_blocks_drop_front          (GPtrArray                  *blocks,
                                                    const GaugeLocalEntry      *entries,
                                                    guint                       n_entries,
                                                    GaugePricing               *pricing,
                                                    GaugeCostMode               mode,
                                                    gint64                      now_ms);
void              gauge_blocks_set_now             (GPtrArray                  *blocks,
                                                    gint64                      now_ms);
const GaugeBlock *gauge_blocks_get_active          (GPtrArray                  *blocks);
gboolean          gauge_block_get_burn_rate        (const GaugeBlock           *block,
                                                    GaugeBurnRate              *rate);
gboolean          gauge_block_get_projection       (const GaugeBlock           *block,
                                                    gint64                      now_ms,
                                                    GaugeBlockProjection       *projection);
gboolean          gauge_blocks_get_limit           (GPtrArray                  *blocks,
                                                    GaugePlanLimit              plan,
                                                    guint64                     custom_tokens,
                                                    const char                 *rate_limit_tier,
                                                    GaugeBlockLimit            *limit);
gboolean          gauge_blocks_switch_limit        (GPtrArray                  *blocks,
                                                    GaugeBlockLimit            *limit);
gint64            gauge_block_limit_count          (const GaugeBlockLimit      *limit,
                                                    const GaugeBlock           *block);
const char       *gauge_limit_measure_to_string    (GaugeLimitMeasure           measure);
const char       *gauge_plan_limit_to_string       (GaugePlanLimit              plan);
GaugeBlockStatus  gauge_block_limit_status         (const GaugeBlockLimit      *limit,
                                                    const GaugeBlockProjection *projection,
                                                    double                     *percent_used);
gboolean          gauge_plan_limit_from_string     (const char                 *str,
                                                    GaugePlanLimit             *plan);
const char       *gauge_block_status_to_string     (GaugeBlockStatus            status);
char             *gauge_local_entry_dup_model_name (const GaugeLocalEntry      *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeBlock, gauge_block_free)

G_END_DECLS
