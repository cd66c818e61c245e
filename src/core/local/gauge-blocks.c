/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-blocks"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gauge-blocks.h"

#define HOUR_MS ((gint64) 60 * 60 * 1000)
#define MINUTE_MS ((gint64) 60 * 1000)

void
gauge_block_free (GaugeBlock *block)
{
  if (block == NULL)
    return;

  g_clear_pointer (&block->models, g_ptr_array_unref);
  g_clear_pointer (&block->unpriced_models, g_ptr_array_unref);
  g_free (block);
}

gint64
gauge_block_get_total_tokens (const GaugeBlock *block)
{
  g_return_val_if_fail (block != NULL, 0);

  return block->input_tokens + block->output_tokens + block->cache_creation_tokens +
         block->cache_read_tokens;
}

/**
 * gauge_local_entry_dup_model_name:
 *
 * The model as ccusage names it in reports: fast-mode entries get "-fast".
 *
 * Returns: (nullable): the name, or %NULL for a line that names no model
 */
char *
gauge_local_entry_dup_model_name (const GaugeLocalEntry *entry)
{
  if (entry->model == NULL)
    return NULL;

  return entry->fast ? g_strconcat (entry->model, "-fast", NULL) : g_strdup (entry->model);
}

static gboolean
str_in (GPtrArray  *array,
        const char *str)
{
  return g_ptr_array_find_with_equal_func (array, str, g_str_equal, NULL);
}

static GaugeBlock *
block_new (gint64 start_ms,
           gint64 end_ms)
{
  GaugeBlock *block = g_new0 (GaugeBlock, 1);

  block->start_ms = start_ms;
  block->end_ms = end_ms;
  block->models = g_ptr_array_new_with_free_func (g_free);
  block->unpriced_models = g_ptr_array_new_with_free_func (g_free);
  return block;
}

static void
block_add (GaugeBlock            *block,
           const GaugeLocalEntry *entry,
           GaugePricing          *pricing,
           GaugeCostMode          mode)
{
  g_autofree char *name = gauge_local_entry_dup_model_name (entry);
  double cost;

  if (block->n_entries == 0)
    block->first_ms = entry->timestamp_ms;
  block->last_ms = entry->timestamp_ms;
  block->n_entries++;
  block->input_tokens += entry->input_tokens;
  block->output_tokens += entry->output_tokens;
  block->cache_creation_tokens += entry->cache_creation_5m_tokens + entry->cache_creation_1h_tokens;
  block->cache_read_tokens += entry->cache_read_tokens;

  if (gauge_pricing_entry_cost (pricing, entry, mode, &cost))
    block->cost_usd += cost;
  else if (name != NULL && !str_in (block->unpriced_models, name))
    g_ptr_array_add (block->unpriced_models, g_strdup (name));

  if (name != NULL && !str_in (block->models, name))
    g_ptr_array_add (block->models, g_steal_pointer (&name));
}

static void
block_finish (GaugeBlock *block,
              gint64      now_ms)
{
  block->is_active = now_ms < block->end_ms && now_ms - block->last_ms < GAUGE_BLOCK_DURATION_MS;
}

static GPtrArray *
str_array_copy (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, g_free);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  return copy;
}

GaugeBlock *
gauge_block_copy (const GaugeBlock *block)
{
  GaugeBlock *copy;

  g_return_val_if_fail (block != NULL, NULL);

  copy = g_memdup2 (block, sizeof *block);
  copy->models = str_array_copy (block->models);
  copy->unpriced_models = str_array_copy (block->unpriced_models);
  return copy;
}

/* Whether @t opens a new block after @current (ccusage: more than 5 h after its start or
 * after its last entry). */
static gboolean
starts_block (const GaugeBlock *current,
              gint64            t)
{
  return current == NULL ||
         t - current->start_ms > GAUGE_BLOCK_DURATION_MS ||
         t - current->last_ms > GAUGE_BLOCK_DURATION_MS;
}

/* One step of the split: @entry goes into *@current, or opens a new block (after a gap block
 * when the pause was longer than 5 h). */
static void
add_entry (GPtrArray             *blocks,
           GaugeBlock           **current,
           const GaugeLocalEntry *entry,
           GaugePricing          *pricing,
           GaugeCostMode          mode,
           gint64                 now_ms)
{
  gint64 t = entry->timestamp_ms;

  if (*current != NULL && starts_block (*current, t))
    {
      gint64 gap_start = (*current)->last_ms + GAUGE_BLOCK_DURATION_MS;

      block_finish (*current, now_ms);
      if (t - (*current)->last_ms > GAUGE_BLOCK_DURATION_MS)
        {
          GaugeBlock *gap = block_new (gap_start, t);

          gap->is_gap = TRUE;
          gap->first_ms = gap_start;
          g_ptr_array_add (blocks, gap);
        }
      *current = NULL;
    }

  if (*current == NULL)
    {
      gint64 hour = t - (((t % HOUR_MS) + HOUR_MS) % HOUR_MS);

      *current = block_new (hour, hour + GAUGE_BLOCK_DURATION_MS);
      g_ptr_array_add (blocks, *current);
    }

  block_add (*current, entry, pricing, mode);
}

/**
 * gauge_blocks_compute:
 * @entries: (element-type GaugeLocalEntry): sorted by time
 *
 * Splits @entries into 5-hour blocks as ccusage does: a block starts at the
 * UTC hour of its first entry; an entry more than 5 h after the block's start
 * or after the previous entry starts a new one; a gap block fills a pause
 * longer than 5 h, from the last entry + 5 h to the next entry.
 *
 * Returns: (transfer full) (element-type GaugeBlock): blocks and gaps in order
 */
GPtrArray *
gauge_blocks_compute (GArray        *entries,
                      GaugePricing  *pricing,
                      GaugeCostMode  mode,
                      gint64         now_ms)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_block_free);

  g_return_val_if_fail (entries != NULL, blocks);
  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), blocks);

  gauge_blocks_add_entries (blocks, (const GaugeLocalEntry *) entries->data, entries->len,
                            pricing, mode, now_ms);
  return blocks;
}

/**
 * gauge_blocks_add_entries:
 * @blocks: (element-type GaugeBlock): the blocks of the entries before @entries
 * @entries: (array length=n_entries): the entries that follow them, sorted by time
 *
 * Goes on splitting where @blocks stopped: the last block may take more
 * entries. The blocks end as gauge_blocks_compute() would make them of all the
 * entries; the blocks are memoryless across a block's start, so a cached list
 * can drop its last block (gauge_blocks_drop_last()) and take that block's
 * entries again with whatever came after.
 */
void
gauge_blocks_add_entries (GPtrArray             *blocks,
                          const GaugeLocalEntry *entries,
                          guint                  n_entries,
                          GaugePricing          *pricing,
                          GaugeCostMode          mode,
                          gint64                 now_ms)
{
  GaugeBlock *current = NULL;

  g_return_if_fail (blocks != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);
  g_return_if_fail (GAUGE_IS_PRICING (pricing));

  if (blocks->len > 0)
    {
      current = g_ptr_array_index (blocks, blocks->len - 1);
      g_return_if_fail (!current->is_gap);
    }

  for (guint i = 0; i < n_entries; i++)
    add_entry (blocks, &current, &entries[i], pricing, mode, now_ms);

  if (current != NULL)
    block_finish (current, now_ms);
}

/* Removes the last block and the gap before it: what the split had before its first entry. */
void
gauge_blocks_drop_last (GPtrArray *blocks)
{
  g_return_if_fail (blocks != NULL);

  if (blocks->len > 0)
    g_ptr_array_set_size (blocks, blocks->len - 1);
  if (blocks->len > 0 && ((GaugeBlock *) g_ptr_array_index (blocks, blocks->len - 1))->is_gap)
    g_ptr_array_set_size (blocks, blocks->len - 1);
}

/**
 * gauge_blocks_drop_front:
 * @blocks: (element-type GaugeBlock): the blocks of some entries
 * @entries: (array length=n_entries): those entries without the ones before
 *   some time
 *
 * Makes @blocks the blocks of @entries. Without its first entries the first
 * block may start later, which may move the blocks after it; once a block
 * starts at the same entry as before, the rest stays as it was.
 */
void
gauge_blocks_drop_front (GPtrArray             *blocks,
                         const GaugeLocalEntry *entries,
                         guint                  n_entries,
                         GaugePricing          *pricing,
                         GaugeCostMode          mode,
                         gint64                 now_ms)
{
  g_autoptr(GPtrArray) front = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_block_free);
  GaugeBlock *current = NULL;
  guint old = 0;

  g_return_if_fail (blocks != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);
  g_return_if_fail (GAUGE_IS_PRICING (pricing));

  for (guint i = 0; i < n_entries; i++)
    {
      gint64 t = entries[i].timestamp_ms;

      if (starts_block (current, t))
        {
          /* Entries with one time never span two blocks: a block's first time names its
           * first entry. */
          while (old < blocks->len &&
                 (((GaugeBlock *) g_ptr_array_index (blocks, old))->is_gap ||
                  ((GaugeBlock *) g_ptr_array_index (blocks, old))->first_ms < t))
            old++;

          if (old < blocks->len && ((GaugeBlock *) g_ptr_array_index (blocks, old))->first_ms == t)
            {
              /* The gap before it, if any, came from the same previous entry. */
              guint keep = old;

              if (current != NULL && t - current->last_ms > GAUGE_BLOCK_DURATION_MS)
                {
                  g_assert (old > 0 &&
                            ((GaugeBlock *) g_ptr_array_index (blocks, old - 1))->is_gap);
                  keep = old - 1;
                }
              if (current != NULL)
                block_finish (current, now_ms);

              g_ptr_array_remove_range (blocks, 0, keep);
              for (guint j = 0; j < front->len; j++)
                g_ptr_array_insert (blocks, j, g_ptr_array_index (front, j));
              g_ptr_array_set_free_func (front, NULL);
              return;
            }
        }

      add_entry (front, &current, &entries[i], pricing, mode, now_ms);
    }

  if (current != NULL)
    block_finish (current, now_ms);

  g_ptr_array_set_size (blocks, 0);
  for (guint j = 0; j < front->len; j++)
    g_ptr_array_add (blocks, g_ptr_array_index (front, j));
  g_ptr_array_set_free_func (front, NULL);
}

/* Whether each block is still running at @now_ms. */
void
gauge_blocks_set_now (GPtrArray *blocks,
                      gint64     now_ms)
{
  g_return_if_fail (blocks != NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      GaugeBlock *block = g_ptr_array_index (blocks, i);

      if (!block->is_gap)
        block_finish (block, now_ms);
    }
}

/**
 * gauge_blocks_get_active:
 *
 * Returns: (nullable): the block still running now, if any
 */
const GaugeBlock *
gauge_blocks_get_active (GPtrArray *blocks)
{
  g_return_val_if_fail (blocks != NULL, NULL);

  for (guint i = blocks->len; i > 0; i--)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i - 1);

      if (block->is_active)
        return block;
    }
  return NULL;
}

/**
 * gauge_block_get_burn_rate:
 *
 * Tokens per minute and dollars per hour between the block's first and last
 * entry.
 *
 * Returns: %FALSE when there is no rate (one entry, or all at one instant)
 */
gboolean
gauge_block_get_burn_rate (const GaugeBlock *block,
                           GaugeBurnRate    *rate)
{
  double minutes;

  g_return_val_if_fail (block != NULL, FALSE);
  g_return_val_if_fail (rate != NULL, FALSE);

  if (block->is_gap || block->n_entries < 2 || block->last_ms <= block->first_ms)
    return FALSE;

  minutes = (double) (block->last_ms - block->first_ms) / MINUTE_MS;
  rate->tokens_per_minute = gauge_block_get_total_tokens (block) / minutes;
  rate->tokens_per_minute_indicator = (block->input_tokens + block->output_tokens) / minutes;
  rate->cost_per_hour = block->cost_usd / minutes * 60;
  return TRUE;
}

/**
 * gauge_block_get_projection:
 *
 * The block's totals at its end if the burn rate holds. Like ccusage, the
 * remaining time is rounded to whole minutes and the cost to cents.
 *
 * Returns: %FALSE for a block that is not active or has no burn rate
 */
gboolean
gauge_block_get_projection (const GaugeBlock *block,
                            gint64            now_ms,
                            GaugeBlockProjection  *projection)
{
  GaugeBurnRate rate;
  gint64 minutes;

  g_return_val_if_fail (block != NULL, FALSE);
  g_return_val_if_fail (projection != NULL, FALSE);

  if (!block->is_active || !gauge_block_get_burn_rate (block, &rate))
    return FALSE;

  minutes = (gint64) round (MAX (0, block->end_ms - now_ms) / (double) MINUTE_MS);
  projection->remaining_minutes = minutes;
  projection->total_tokens =
    (gint64) round (gauge_block_get_total_tokens (block) + rate.tokens_per_minute * minutes);
  projection->input_output_tokens =
    (gint64) round (block->input_tokens + block->output_tokens +
                    rate.tokens_per_minute_indicator * minutes);
  projection->total_cost =
    round ((block->cost_usd + rate.cost_per_hour / 60 * minutes) * 100) / 100;
  return TRUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Linear interpolation between the closest ranks. */
static gint64
percentile_90 (GArray *values)
{
  double rank, fraction;
  guint lower;

  g_assert (values->len > 0);

  g_array_sort (values, compare_gint64);
  rank = 0.9 * (values->len - 1);
  lower = (guint) floor (rank);
  fraction = rank - lower;
  if (lower + 1 >= values->len)
    return g_array_index (values, gint64, lower);
  return (gint64) round (g_array_index (values, gint64, lower) * (1 - fraction) +
                         g_array_index (values, gint64, lower + 1) * fraction);
}

static gboolean
is_finished (const GaugeBlock *block)
{
  return !block->is_gap && !block->is_active && block->n_entries > 0;
}

/*
 * The transcripts do not say when a limit was hit, so a finished block counts
 * as having hit one when its input + output tokens reached 95 % of a plan
 * preset (the rule of Claude Code Usage Monitor, where p90 comes from).
 * Without such blocks, all finished blocks count. Never below Pro's limit.
 */
static gint64
p90_limit (GPtrArray *blocks)
{
  static const gint64 presets[] = { GAUGE_BLOCK_LIMIT_PRO, GAUGE_BLOCK_LIMIT_MAX5,
                                    GAUGE_BLOCK_LIMIT_MAX20 };
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      gint64 tokens = block->input_tokens + block->output_tokens;

      if (!is_finished (block))
        continue;

      g_array_append_val (all, tokens);
      for (guint j = 0; j < G_N_ELEMENTS (presets); j++)
        if (tokens * 100 >= presets[j] * 95)
          {
            g_array_append_val (hits, tokens);
            break;
          }
    }

  if (hits->len > 0)
    return MAX (GAUGE_BLOCK_LIMIT_PRO, percentile_90 (hits));
  if (all->len > 0)
    return MAX (GAUGE_BLOCK_LIMIT_PRO, percentile_90 (all));
  return GAUGE_BLOCK_LIMIT_PRO;
}

static GaugePlanLimit
plan_from_tier (const char *tier)
{
  if (tier == NULL)
    return GAUGE_PLAN_LIMIT_P90;
  if (strstr (tier, "max_20x") != NULL)
    return GAUGE_PLAN_LIMIT_MAX20;
  if (strstr (tier, "max_5x") != NULL || strstr (tier, "max") != NULL)
    return GAUGE_PLAN_LIMIT_MAX5;
  if (strstr (tier, "pro") != NULL)
    return GAUGE_PLAN_LIMIT_PRO;
  return GAUGE_PLAN_LIMIT_P90;
}

/**
 * gauge_blocks_get_limit:
 * @rate_limit_tier: (nullable): the credentials' rateLimitTier, for AUTO
 *
 * Resolves the plan-limit setting to a number of tokens. AUTO without a
 * known tier falls back to p90.
 *
 * Returns: %FALSE when there is no limit (custom 0, custom_max without a
 *   finished block)
 */
gboolean
gauge_blocks_get_limit (GPtrArray       *blocks,
                        GaugePlanLimit   plan,
                        guint64          custom_tokens,
                        const char      *rate_limit_tier,
                        GaugeBlockLimit *limit)
{
  g_return_val_if_fail (blocks != NULL, FALSE);
  g_return_val_if_fail (limit != NULL, FALSE);

  if (plan == GAUGE_PLAN_LIMIT_AUTO)
    plan = plan_from_tier (rate_limit_tier);

  *limit = (GaugeBlockLimit) { 0 };
  limit->plan = plan;
  limit->measure = GAUGE_LIMIT_MEASURE_INPUT_OUTPUT;

  switch (plan)
    {
    case GAUGE_PLAN_LIMIT_PRO:
      limit->tokens = GAUGE_BLOCK_LIMIT_PRO;
      return TRUE;
    case GAUGE_PLAN_LIMIT_MAX5:
      limit->tokens = GAUGE_BLOCK_LIMIT_MAX5;
      return TRUE;
    case GAUGE_PLAN_LIMIT_MAX20:
      limit->tokens = GAUGE_BLOCK_LIMIT_MAX20;
      return TRUE;
    case GAUGE_PLAN_LIMIT_P90:
      limit->tokens = p90_limit (blocks);
      return TRUE;
    case GAUGE_PLAN_LIMIT_CUSTOM:
      limit->measure = GAUGE_LIMIT_MEASURE_TOTAL;
      limit->tokens = (gint64) MIN (custom_tokens, (guint64) G_MAXINT64);
      return limit->tokens > 0;
    case GAUGE_PLAN_LIMIT_CUSTOM_MAX:
      limit->measure = GAUGE_LIMIT_MEASURE_TOTAL;
      limit->tokens = 0;
      for (guint i = 0; i < blocks->len; i++)
        {
          const GaugeBlock *block = g_ptr_array_index (blocks, i);

          if (is_finished (block))
            limit->tokens = MAX (limit->tokens, gauge_block_get_total_tokens (block));
        }
      return limit->tokens > 0;
    case GAUGE_PLAN_LIMIT_AUTO:
    default:
      g_assert_not_reached ();
    }
}

/**
 * gauge_block_limit_count:
 *
 * Returns: the tokens of @block that @limit counts: a limit and the figure set against it
 *   always count the same tokens
 */
gint64
gauge_block_limit_count (const GaugeBlockLimit *limit,
                         const GaugeBlock      *block)
{
  g_return_val_if_fail (limit != NULL && block != NULL, 0);

  return limit->measure == GAUGE_LIMIT_MEASURE_TOTAL ? gauge_block_get_total_tokens (block)
                                                     : block->input_tokens + block->output_tokens;
}

/**
 * gauge_blocks_switch_limit:
 * @limit: (inout): from gauge_blocks_get_limit()
 *
 * The live monitor's switch: once the active block has used more than a plan's
 * limit, that limit is evidently not the user's, so the largest finished block
 * (counted the same way) becomes the limit, if it is larger.
 *
 * Returns: whether @limit was switched
 */
gboolean
gauge_blocks_switch_limit (GPtrArray       *blocks,
                           GaugeBlockLimit *limit)
{
  const GaugeBlock *active;
  gint64 largest = 0;

  g_return_val_if_fail (blocks != NULL && limit != NULL, FALSE);

  active = gauge_blocks_get_active (blocks);
  if (limit->switched || limit->tokens <= 0 || active == NULL ||
      (limit->plan != GAUGE_PLAN_LIMIT_PRO && limit->plan != GAUGE_PLAN_LIMIT_MAX5 &&
       limit->plan != GAUGE_PLAN_LIMIT_MAX20 && limit->plan != GAUGE_PLAN_LIMIT_P90) ||
      gauge_block_limit_count (limit, active) <= limit->tokens)
    return FALSE;

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);

      if (is_finished (block))
        largest = MAX (largest, gauge_block_limit_count (limit, block));
    }
  if (largest <= limit->tokens)
    return FALSE;

  limit->switched_from = limit->plan;
  limit->plan = GAUGE_PLAN_LIMIT_CUSTOM_MAX;
  limit->tokens = largest;
  limit->switched = TRUE;
  return TRUE;
}

/* "input_output" or "all": what a limit counts, as --status --json says it. */
const char *
gauge_limit_measure_to_string (GaugeLimitMeasure measure)
{
  return measure == GAUGE_LIMIT_MEASURE_TOTAL ? "all" : "input_output";
}

/**
 * gauge_block_limit_status:
 * @percent_used: (out) (optional): the projection as a percentage of the limit
 *
 * ok, warning above 80 % or exceeds above 100 %, of the projection at the
 * block's end, as ccusage's tokenLimitStatus.
 */
GaugeBlockStatus
gauge_block_limit_status (const GaugeBlockLimit *limit,
                          const GaugeBlockProjection *projection,
                          double                *percent_used)
{
  gint64 projected;
  double percent;

  g_return_val_if_fail (limit != NULL && limit->tokens > 0, GAUGE_BLOCK_STATUS_OK);
  g_return_val_if_fail (projection != NULL, GAUGE_BLOCK_STATUS_OK);

  projected = limit->measure == GAUGE_LIMIT_MEASURE_TOTAL ? projection->total_tokens
                                                          : projection->input_output_tokens;
  percent = projected * 100.0 / limit->tokens;
  if (percent_used != NULL)
    *percent_used = percent;

  if (projected > limit->tokens)
    return GAUGE_BLOCK_STATUS_EXCEEDS;
  if (percent > 80)
    return GAUGE_BLOCK_STATUS_WARNING;
  return GAUGE_BLOCK_STATUS_OK;
}

static const char * const plan_names[] = {
  "auto", "pro", "max5", "max20", "custom", "custom_max", "p90",
};

gboolean
gauge_plan_limit_from_string (const char     *str,
                              GaugePlanLimit *plan)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (plan_names); i++)
    if (g_str_equal (str, plan_names[i]))
      {
        *plan = (GaugePlanLimit) i;
        return TRUE;
      }
  return FALSE;
}

/* "pro", "max5", …: the names --plan and the plan-limit setting take. */
const char *
gauge_plan_limit_to_string (GaugePlanLimit plan)
{
  return (guint) plan < G_N_ELEMENTS (plan_names) ? plan_names[plan] : "auto";
}

const char *
gauge_block_status_to_string (GaugeBlockStatus status)
{
  switch (status)
    {
    case GAUGE_BLOCK_STATUS_WARNING:
      return "warning";
    case GAUGE_BLOCK_STATUS_EXCEEDS:
      return "exceeds";
    case GAUGE_BLOCK_STATUS_OK:
    default:
      return "ok";
    }
}
