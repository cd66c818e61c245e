/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * Blocks, reports and period figures made in pieces, as the window's cached
 * local usage makes them (GaugeLocalUsage), equal those made in one go: on
 * random histories with pauses, equal times, unknown models, fast mode, costUSD
 * and >200k entries, split at random points.
 */

#include "config.h"

#include <math.h>

#include "gauge-blocks.h"
#include "gauge-pricing.h"
#include "gauge-report.h"
#include "gauge-test-usage.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)
#define START_MS ((gint64) 1793491200000)   /* 2026-11-01T00:00:00Z */
#define N_SEEDS 60

static void
add_random_entries (GArray *entries,
                    GRand  *rand,
                    guint   n,
                    gint64  t)
{
  static const char * const models[] = {
    "claude-sonnet-4-5-20250929", "claude-opus-4-6", "claude-haiku-4-5-20251001",
    "claude-foo-9", NULL,
  };
  static const char * const sessions[] = { "s1", "s2", "s3", "s4", NULL };

  for (guint i = 0; i < n; i++)
    {
      GaugeLocalEntry entry = { 0 };
      guint step = g_rand_int_range (rand, 0, 40);
      guint model = g_rand_int_range (rand, 0, G_N_ELEMENTS (models));

      if (step == 0)
        ;                                                       /* the same time */
      else if (step == 1)
        t += 5 * HOUR_MS + g_rand_int_range (rand, -2, 3) * MINUTE_MS;   /* around the edge */
      else if (step == 2)
        t += g_rand_int_range (rand, 6, 40) * HOUR_MS;          /* a night */
      else if (step < 6)
        t += g_rand_int_range (rand, 30, 300) * MINUTE_MS;
      else
        t += g_rand_int_range (rand, 1, 20 * 60) * 1000;

      entry.timestamp_ms = t;
      entry.model = g_strdup (models[model]);
      entry.fast = model == 1 && g_rand_int_range (rand, 0, 4) == 0;
      entry.session_id = g_strdup (sessions[g_rand_int_range (rand, 0, G_N_ELEMENTS (sessions))]);
      entry.project = g_strdup ("-home-ana-shop");
      entry.input_tokens = g_rand_int_range (rand, 0, 2000);
      entry.output_tokens = g_rand_int_range (rand, 0, 5000);
      entry.cache_creation_5m_tokens = g_rand_int_range (rand, 0, 30000);
      entry.cache_creation_1h_tokens = g_rand_int_range (rand, 0, 3) == 0
                                       ? g_rand_int_range (rand, 0, 10000) : 0;
      entry.cache_read_tokens = g_rand_int_range (rand, 0, 20) == 0
                                ? g_rand_int_range (rand, 200000, 400000)   /* the >200k tier */
                                : g_rand_int_range (rand, 0, 150000);
      entry.cost_usd = g_rand_int_range (rand, 0, 5) == 0 ? g_rand_double_range (rand, 0, 2) : NAN;
      g_array_append_val (entries, entry);
    }
}

static GArray *
random_entries (GRand *rand,
                guint  n)
{
  GArray *entries = gauge_local_entry_array_new ();

  add_random_entries (entries, rand, n, START_MS + g_rand_int_range (rand, 0, 3600) * 1000);
  return entries;
}

/* The first entry at or after @t. */
static guint
lower_bound (GArray *entries,
             gint64  t)
{
  guint i = 0;

  while (i < entries->len && g_array_index (entries, GaugeLocalEntry, i).timestamp_ms < t)
    i++;
  return i;
}

static gint64
random_now (GRand  *rand,
            GArray *entries)
{
  return g_array_index (entries, GaugeLocalEntry, entries->len - 1).timestamp_ms +
         g_rand_int_range (rand, -60, 8 * 60) * MINUTE_MS;
}

static GArray *
copy_entries (GArray *entries,
              guint   first,
              guint   n)
{
  GArray *copy = gauge_local_entry_array_new ();

  for (guint i = first; i < first + n; i++)
    {
      GaugeLocalEntry entry = g_array_index (entries, GaugeLocalEntry, i);

      entry.model = g_strdup (entry.model);
      entry.session_id = g_strdup (entry.session_id);
      entry.project = g_strdup (entry.project);
      g_array_append_val (copy, entry);
    }
  return copy;
}

/* The blocks keep all but their last block; what follows that block's first entry changes
 * (appended, replaced, its times moved) and is split again. */
static void
test_blocks_tail (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();

  for (guint seed = 0; seed < N_SEEDS; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) entries = random_entries (rand, 300);
      guint split = g_rand_int_range (rand, 1, entries->len);
      g_autoptr(GArray) head = copy_entries (entries, 0, split);
      gint64 now = random_now (rand, entries);
      g_autoptr(GPtrArray) blocks = gauge_blocks_compute (head, pricing, GAUGE_COST_MODE_AUTO, now);

      for (guint round = 0; round < 4; round++)
        {
          const GaugeBlock *last = g_ptr_array_index (blocks, blocks->len - 1);
          guint first = lower_bound (entries, last->first_ms);
          g_autoptr(GPtrArray) expected = NULL;

          /* New and changed entries from the last block's first entry on. */
          g_array_set_size (entries, first + g_rand_int_range (rand, 0, entries->len - first + 1));
          add_random_entries (entries, rand, g_rand_int_range (rand, 0, 60),
                              MAX (last->first_ms,
                                   entries->len > 0 ? g_array_index (entries, GaugeLocalEntry,
                                                                     entries->len - 1).timestamp_ms
                                                    : 0));
          if (entries->len == 0)
            break;
          now = random_now (rand, entries);

          gauge_blocks_drop_last (blocks);
          gauge_blocks_add_entries (blocks, &g_array_index (entries, GaugeLocalEntry, first),
                                    entries->len - first, pricing, GAUGE_COST_MODE_AUTO, now);
          gauge_blocks_set_now (blocks, now);

          expected = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO, now);
          gauge_test_assert_blocks_equal (blocks, expected);
        }
    }
}

/* The oldest entries leave (the 35-day window moves): the first blocks may move, and the
 * rest stay. */
static void
test_blocks_front (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();

  for (guint seed = 0; seed < N_SEEDS; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) entries = random_entries (rand, 300);
      gint64 now = random_now (rand, entries);
      g_autoptr(GPtrArray) blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO,
                                                          now);
      guint first = 0;

      while (first < entries->len)
        {
          g_autoptr(GArray) rest = NULL;
          g_autoptr(GPtrArray) expected = NULL;

          /* The window's start passes some entries: all those of one time go together. */
          first += g_rand_int_range (rand, 0, 3) == 0 ? g_rand_int_range (rand, 1, 80)
                                                      : g_rand_int_range (rand, 0, 5);
          first = first < entries->len
                  ? lower_bound (entries, g_array_index (entries, GaugeLocalEntry,
                                                         first).timestamp_ms + 1)
                  : entries->len;
          rest = copy_entries (entries, first, entries->len - first);

          gauge_blocks_drop_front (blocks, (const GaugeLocalEntry *) rest->data, rest->len,
                                   pricing, GAUGE_COST_MODE_AUTO, now);
          expected = gauge_blocks_compute (rest, pricing, GAUGE_COST_MODE_AUTO, now);
          gauge_test_assert_blocks_equal (blocks, expected);
        }
    }
}

static void
random_day (GRand     *rand,
            GTimeZone *zone,
            GDate     *date)
{
  gint64 t = START_MS + g_rand_int_range (rand, -2, 20) * DAY_MS;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

/* A report copied halfway and given the rest ends as the report of all the entries, to
 * the last bit; the halfway state can be copied again and again. */
static void
test_report_builder (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("America/New_York");

  for (guint seed = 0; seed < N_SEEDS; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) entries = random_entries (rand, 400);
      GaugeReportParams params = { 0 };
      GDate since, until;
      g_autoptr(GaugeReportBuilder) builder = NULL;
      guint split = g_rand_int_range (rand, 0, entries->len + 1);

      random_day (rand, zone, &since);
      random_day (rand, zone, &until);
      params.time_zone = seed % 2 == 0 ? zone : NULL;
      params.since = g_rand_boolean (rand) ? &since : NULL;
      params.until = g_rand_boolean (rand) ? &until : NULL;
      params.mode = g_rand_int_range (rand, GAUGE_COST_MODE_AUTO, GAUGE_COST_MODE_DISPLAY + 1);
      params.start_of_week = g_rand_int_range (rand, G_DATE_MONDAY, G_DATE_SUNDAY + 1);
      params.malformed_lines = seed;

      for (GaugeReportKind kind = GAUGE_REPORT_DAILY; kind <= GAUGE_REPORT_SESSION; kind++)
        {
          g_autoptr(GaugeReport) expected = gauge_report_new (kind, entries, pricing, &params);

          builder = gauge_report_builder_new (kind, pricing, &params);
          gauge_report_builder_add (builder, (const GaugeLocalEntry *) entries->data, split);

          for (guint round = 0; round < 2; round++)
            {
              GaugeReportBuilder *copy = gauge_report_builder_copy (builder);
              g_autoptr(GaugeReport) report = NULL;

              gauge_report_builder_add (copy, &g_array_index (entries, GaugeLocalEntry, split),
                                        entries->len - split);
              report = gauge_report_builder_end (copy);
              gauge_test_assert_report_equal (report, expected);
            }
          g_clear_pointer (&builder, gauge_report_builder_free);
        }
    }
}

static void
test_period_walk (void)
{
  g_autoptr(GaugePricing) pricing = gauge_pricing_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Berlin");

  for (guint seed = 0; seed < N_SEEDS; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) entries = random_entries (rand, 400);
      gint64 now = random_now (rand, entries);
      g_autoptr(GPtrArray) blocks = gauge_blocks_compute (entries, pricing, GAUGE_COST_MODE_AUTO,
                                                          now);
      guint billing_day = g_rand_int_range (rand, 1, 29);
      GDateWeekday week_day = g_rand_int_range (rand, G_DATE_MONDAY, G_DATE_SUNDAY + 1);
      guint64 budget = g_rand_boolean (rand) ? 5000000 : 0;
      GaugeCostMode mode = g_rand_int_range (rand, GAUGE_COST_MODE_AUTO,
                                             GAUGE_COST_MODE_DISPLAY + 1);
      guint split = g_rand_int_range (rand, 0, entries->len + 1);
      gint64 billing_start, week_start;
      g_autoptr(GaugePeriodWalk) walk = NULL;
      GaugePeriodFigures expected;

      gauge_test_period_figures (entries, blocks, pricing, mode, zone, billing_day, week_day,
                                 budget, now, &expected);

      gauge_period_starts (zone, billing_day, week_day, now, &billing_start, &week_start);
      walk = gauge_period_walk_new (pricing, mode, zone, billing_start, week_start);
      gauge_period_walk_add (walk, (const GaugeLocalEntry *) entries->data, split);
      for (guint round = 0; round < 2; round++)
        {
          GaugePeriodWalk *copy = gauge_period_walk_copy (walk);
          GaugePeriodFigures figures;

          gauge_period_walk_add (copy, &g_array_index (entries, GaugeLocalEntry, split),
                                 entries->len - split);
          gauge_period_walk_end (copy, blocks, budget, (const GaugeLocalEntry *) entries->data,
                                 entries->len, now, &figures);
          gauge_test_assert_figures_equal (&figures, &expected);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/incremental/blocks/tail", test_blocks_tail);
  g_test_add_func ("/incremental/blocks/front", test_blocks_front);
  g_test_add_func ("/incremental/report/builder", test_report_builder);
  g_test_add_func ("/incremental/report/period-walk", test_period_walk);

  return g_test_run ();
}
