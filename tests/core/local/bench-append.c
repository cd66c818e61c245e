/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the app spends when Claude Code appends lines to a transcript: the live
 * index (file monitor, debounce, a pass over the changed file) and the local
 * usage summary the window then shows. Not a test: for benchmarks.
 *
 *   CLAUDE_CONFIG_DIR=<history> bench-append DATABASE TRANSCRIPT [LINES [ROUNDS]]
 *
 * TRANSCRIPT (below CLAUDE_CONFIG_DIR, written to) gets LINES (20) new usage
 * lines ROUNDS (5) times; prints per round the wall time until the index
 * announced the change and the CPU time the process spent for it (getrusage,
 * all threads), then the CPU time of the summary the window then shows: taken
 * from the cached local usage the window keeps (GaugeLocalUsage), and computed
 * in one go (gauge_local_summary_compute, as the window did before), with the
 * figures of both, which must be the same.
 */

#define G_LOG_DOMAIN "bench-append"

#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "gauge-local-summary.h"
#include "gauge-local-usage.h"
#include "gauge-store.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"

static guint n_changed;

static void
on_changed (void)
{
  n_changed++;
}

static void
wait_idle (GaugeTranscriptIndex *index)
{
  while (gauge_transcript_index_get_indexing (index))
    g_main_context_iteration (NULL, TRUE);
}

/* What the window shows, as one line: the same text for the same figures. */
static char *
describe (GaugeLocalSummary *summary)
{
  const GaugeBlock *active = gauge_local_summary_get_active_block (summary);
  const GaugeReportRow *today = gauge_local_summary_get_today (summary);
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  GPtrArray *models = gauge_local_summary_get_models (summary);
  GaugeBlockLimit limit;
  double percent = 0;
  gboolean has_limit = gauge_local_summary_get_limit (summary, &limit, &percent, NULL);

  return g_strdup_printf ("block %" G_GINT64_FORMAT " tok $%.17g, limit %" G_GINT64_FORMAT
                          " %.17g %%; today %" G_GINT64_FORMAT " tok $%.17g; period %"
                          G_GINT64_FORMAT " tok $%.17g, largest block %" G_GINT64_FORMAT
                          ", %u models, week %u sessions",
                          active != NULL ? gauge_block_get_total_tokens (active) : 0,
                          active != NULL ? active->cost_usd : 0,
                          has_limit ? limit.tokens : 0, percent,
                          today != NULL ? today->input_tokens + today->output_tokens +
                                          today->cache_creation_tokens +
                                          today->cache_read_tokens : 0,
                          today != NULL ? today->cost_usd : 0,
                          figures->billing_tokens, figures->billing_cost,
                          figures->largest_block_tokens, models->len, figures->week_sessions);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeTranscriptIndex) index = NULL;
  g_autoptr(GaugeLocalUsage) usage = NULL;
  g_autoptr(GaugeLocalSummary) first = NULL;
  g_autoptr(GError) error = NULL;
  GaugeLocalSummaryParams params;
  guint n_lines = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 20;
  guint rounds = argc > 4 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 5;

  if (argc < 3)
    {
      g_printerr ("Usage: %s DATABASE TRANSCRIPT [LINES [ROUNDS]]\n", argv[0]);
      return 2;
    }

  store = gauge_store_new (argv[1]);
  if (!gauge_store_open (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  memset (&params, 0, sizeof params);
  params.mode = GAUGE_COST_MODE_AUTO;
  params.plan = GAUGE_PLAN_LIMIT_CUSTOM_MAX;
  params.billing_start_day = 1;
  params.start_of_week = G_DATE_MONDAY;

  index = gauge_transcript_index_new (store);
  g_signal_connect (index, "changed", G_CALLBACK (on_changed), NULL);
  gauge_transcript_index_start (index);   /* a first pass over everything, then watching */
  wait_idle (index);

  /* The window's cached state, as it is when the window opens. */
  usage = gauge_local_usage_new (store, 0);
  first = gauge_local_usage_update (usage, &params, g_get_real_time () / 1000, &error);
  if (first == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GaugeLocalSummary) summary = NULL;
      g_autoptr(GaugeLocalSummary) cached = NULL;
      g_autofree char *summary_text = NULL;
      g_autofree char *cached_text = NULL;
      guint before = n_changed;
      gint64 start, cpu_start, index_cpu, seen_us, cached_cpu, now_ms;

      /* Let the monitors settle after the previous round. */
      g_usleep (200 * 1000);
      while (g_main_context_iteration (NULL, FALSE))
        ;

      start = g_get_monotonic_time ();
      cpu_start = gauge_test_process_cpu_us ();
      if (!gauge_test_append_usage_lines (argv[2], "bench", n_lines, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      while (n_changed == before)
        g_main_context_iteration (NULL, TRUE);
      wait_idle (index);
      seen_us = g_get_monotonic_time () - start;
      index_cpu = gauge_test_process_cpu_us () - cpu_start;

      now_ms = g_get_real_time () / 1000;
      cpu_start = gauge_test_process_cpu_us ();
      cached = gauge_local_usage_update (usage, &params, now_ms, &error);
      cached_cpu = gauge_test_process_cpu_us () - cpu_start;
      if (cached == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      cpu_start = gauge_test_process_cpu_us ();
      summary = gauge_local_summary_compute (store, &params, 0, now_ms, &error);
      if (summary == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      g_print ("round %u: %u lines seen after %.1f ms; index CPU %.2f ms; summary CPU %.2f ms "
               "(in one go: %.2f ms)\n",
               round + 1, n_lines, seen_us / 1000.0, index_cpu / 1000.0, cached_cpu / 1000.0,
               (gauge_test_process_cpu_us () - cpu_start) / 1000.0);

      summary_text = describe (summary);
      cached_text = describe (cached);
      g_print ("  %s\n", cached_text);
      if (!g_str_equal (summary_text, cached_text))
        {
          g_printerr ("The cached summary differs from one computed in one go:\n  %s\n",
                      summary_text);
          return 1;
        }
    }

  return 0;
}
