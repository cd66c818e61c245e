/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-period-figures"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-format.h"
#include "gauge-period-figures.h"

/**
 * gauge_period_starts:
 * @time_zone: (nullable): %NULL for local
 * @billing_start_day: 1–28
 * @billing_start_ms: (out): local midnight of the billing period's first day
 * @week_start_ms: (out): local midnight of the week's first day
 *
 * Where the billing period and the week that hold @now_ms begin.
 */
void
gauge_period_starts (GTimeZone    *time_zone,
                     guint         billing_start_day,
                     GDateWeekday  start_of_week,
                     gint64        now_ms,
                     gint64       *billing_start_ms,
                     gint64       *week_start_ms)
{
  g_autoptr(GTimeZone) local_zone = NULL;
  GDate today, billing, week;

  g_return_if_fail (billing_start_ms != NULL && week_start_ms != NULL);

  if (time_zone == NULL)
    time_zone = local_zone = g_time_zone_new_local ();
  billing_start_day = CLAMP (billing_start_day, 1, 28);

  gauge_day_of_ms (now_ms, time_zone, &today);

  billing = today;
  if (g_date_get_day (&today) < billing_start_day)
    g_date_subtract_months (&billing, 1);
  g_date_set_day (&billing, billing_start_day);
  *billing_start_ms = gauge_day_start_ms (&billing, time_zone, 0);

  week = today;
  gauge_week_start (&week, start_of_week);
  *week_start_ms = gauge_day_start_ms (&week, time_zone, 0);
}

struct _GaugePeriodWalk
{
  GaugePricing  *pricing;
  GTimeZone     *time_zone;
  GaugeCostMode  mode;
  gint64         billing_start_ms;
  gint64         week_start_ms;
  gint64         billing_tokens;
  double         billing_cost;
  gint64         week_tokens;
  double         week_cost;
  GHashTable    *sessions;      /* the week's session ids, the entries' own strings */
};

/**
 * gauge_period_walk_new:
 * @time_zone: (nullable): %NULL for local
 * @billing_start_ms: from gauge_period_starts()
 *
 * The sums behind #GaugePeriodFigures, made entry by entry: as with
 * gauge_report_builder_new(), a copy taken halfway and given the rest ends as
 * a walk over all the entries would. The entries' session ids must outlive it.
 */
GaugePeriodWalk *
gauge_period_walk_new (GaugePricing  *pricing,
                       GaugeCostMode  mode,
                       GTimeZone     *time_zone,
                       gint64         billing_start_ms,
                       gint64         week_start_ms)
{
  GaugePeriodWalk *walk;

  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), NULL);

  walk = g_new0 (GaugePeriodWalk, 1);
  walk->pricing = g_object_ref (pricing);
  walk->time_zone = time_zone != NULL ? g_time_zone_ref (time_zone) : g_time_zone_new_local ();
  walk->mode = mode;
  walk->billing_start_ms = billing_start_ms;
  walk->week_start_ms = week_start_ms;
  walk->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  return walk;
}

GaugePeriodWalk *
gauge_period_walk_copy (const GaugePeriodWalk *walk)
{
  GaugePeriodWalk *copy;
  GHashTableIter iter;
  gpointer session;

  g_return_val_if_fail (walk != NULL, NULL);

  copy = g_memdup2 (walk, sizeof *walk);
  g_object_ref (copy->pricing);
  g_time_zone_ref (copy->time_zone);
  copy->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, walk->sessions);
  while (g_hash_table_iter_next (&iter, &session, NULL))
    g_hash_table_add (copy->sessions, session);
  return copy;
}

void
gauge_period_walk_free (GaugePeriodWalk *walk)
{
  if (walk == NULL)
    return;

  g_object_unref (walk->pricing);
  g_time_zone_unref (walk->time_zone);
  g_hash_table_unref (walk->sessions);
  g_free (walk);
}

/* @entries: (array length=n_entries): sorted by time, after those added before */
void
gauge_period_walk_add (GaugePeriodWalk       *walk,
                       const GaugeLocalEntry *entries,
                       guint                  n_entries)
{
  g_return_if_fail (walk != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);

  for (guint i = 0; i < n_entries; i++)
    {
      const GaugeLocalEntry *entry = &entries[i];
      double cost = 0;
      gboolean in_billing = entry->timestamp_ms >= walk->billing_start_ms;
      gboolean in_week = entry->timestamp_ms >= walk->week_start_ms;

      if (!in_billing && !in_week)
        continue;
      if (!gauge_pricing_entry_cost (walk->pricing, entry, walk->mode, &cost))
        cost = 0;
      if (in_billing)
        {
          walk->billing_tokens += gauge_local_entry_total_tokens (entry);
          walk->billing_cost += cost;
        }
      if (in_week)
        {
          walk->week_tokens += gauge_local_entry_total_tokens (entry);
          walk->week_cost += cost;
          if (entry->session_id != NULL)
            g_hash_table_add (walk->sessions, entry->session_id);
        }
    }
}

/**
 * gauge_period_walk_end:
 * @walk: (transfer full): freed
 * @blocks: (element-type GaugeBlock): the blocks of the entries
 * @weekly_budget: tokens; 0 for none
 * @entries: (array length=n_entries): all the entries, sorted by time; only the
 *   newest are looked at
 */
void
gauge_period_walk_end (GaugePeriodWalk       *walk,
                       GPtrArray             *blocks,
                       guint64                weekly_budget,
                       const GaugeLocalEntry *entries,
                       guint                  n_entries,
                       gint64                 now_ms,
                       GaugePeriodFigures    *figures)
{
  const GaugeBlock *active;
  GDate today, week;
  gint64 last_hour_tokens = 0;

  g_return_if_fail (walk != NULL);
  g_return_if_fail (blocks != NULL && figures != NULL);

  memset (figures, 0, sizeof *figures);
  figures->billing_start_ms = walk->billing_start_ms;
  figures->billing_tokens = walk->billing_tokens;
  figures->billing_cost = walk->billing_cost;
  figures->week_start_ms = walk->week_start_ms;
  figures->week_tokens = walk->week_tokens;
  figures->week_cost = walk->week_cost;

  gauge_day_of_ms (now_ms, walk->time_zone, &today);
  gauge_day_of_ms (walk->week_start_ms, walk->time_zone, &week);
  figures->days_left_in_week = 7 - g_date_days_between (&week, &today);

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      gint64 tokens = gauge_block_get_total_tokens (block);

      if (block->is_gap || block->start_ms < figures->billing_start_ms)
        continue;
      figures->billing_blocks++;
      if (tokens > figures->largest_block_tokens)
        {
          figures->largest_block_tokens = tokens;
          figures->largest_block_cost = block->cost_usd;
        }
    }

  figures->week_sessions = g_hash_table_size (walk->sessions);
  figures->week_tokens_per_session = figures->week_sessions > 0
    ? (double) figures->week_tokens / figures->week_sessions : 0;
  figures->sessions_left = -1;
  if (weekly_budget > 0 && figures->week_tokens_per_session > 0)
    figures->sessions_left = MAX (0, ((double) weekly_budget - figures->week_tokens) /
                                     figures->week_tokens_per_session);

  active = gauge_blocks_get_active (blocks);
  figures->active_block_remaining_ms = active != NULL ? active->end_ms - now_ms : -1;
  figures->minutes_since_last_entry = n_entries > 0
    ? (now_ms - entries[n_entries - 1].timestamp_ms) / 60000 : -1;

  /* As the live monitor defines it: the last hour whichever blocks it falls in, so a block
   * begun ten minutes ago does not read as a quiet hour. */
  for (guint i = n_entries; i > 0 && entries[i - 1].timestamp_ms > now_ms - 3600 * 1000; i--)
    if (entries[i - 1].timestamp_ms <= now_ms)
      last_hour_tokens += gauge_local_entry_total_tokens (&entries[i - 1]);
  figures->last_hour_tokens_per_minute = last_hour_tokens / 60.0;

  gauge_period_walk_free (walk);
}
