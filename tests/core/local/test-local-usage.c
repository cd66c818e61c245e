/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-local-usage"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gauge-local-usage.h"
#include "gauge-store.h"
#include "gauge-store-entries.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

typedef GaugeTestHistory Fixture;

static gint64
ms (const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * 1000;
}

static char *
path_for (Fixture    *fixture,
          const char *session)
{
  g_autofree char *name = g_strconcat (session, ".jsonl", NULL);

  return g_build_filename (fixture->project, name, NULL);
}

/* Appends a usage line of @session's transcript. @msg NULL: a line without message.id. */
static void
add_line (Fixture    *fixture,
          const char *session,
          const char *msg,
          gint64      time_ms,
          const char *model,
          gint64      input,
          gint64      output)
{
  g_autofree char *path = path_for (fixture, session);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (time_ms / 1000);
  g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *id = msg != NULL ? g_strdup_printf (",\"id\":\"%s\"", msg) : g_strdup ("");
  g_autofree char *req = msg != NULL ? g_strdup_printf (",\"requestId\":\"req-%s\"", msg)
                                     : g_strdup ("");
  g_autofree char *line = NULL;
  FILE *file;

  line = g_strdup_printf ("{\"type\":\"assistant\",\"sessionId\":\"%s\",\"timestamp\":\"%s\"%s,"
                          "\"message\":{\"model\":\"%s\"%s,\"usage\":{\"input_tokens\":%"
                          G_GINT64_FORMAT ",\"output_tokens\":%" G_GINT64_FORMAT ","
                          "\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":1000}}}\n",
                          session, stamp, req, model, id, input, output);
  file = fopen (path, "a");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs (line, file), >=, 0);
  fclose (file);
}

/* What changed since @changes, which then becomes what the store says now. */
static gint64
changed_since (Fixture           *fixture,
               GaugeEntryChanges *changes)
{
  g_autoptr(GError) error = NULL;
  GaugeEntryChanges now;

  g_assert_true (gauge_store_get_entry_changes (fixture->store, changes->last_id,
                                                changes->last_edit, &now, &error));
  g_assert_no_error (error);
  *changes = now;
  return now.low_ms;
}

/* The store tells a reader the earliest time that changed: appends by their ids, a
 * replaced entry by its old and new time, a removal or a rebuild by "start over". */
static void
test_entry_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T10:00:00Z");
  GaugeEntryChanges changes = { -1, 0, 0 };
  g_autofree char *path = path_for (fixture, "s1");
  g_autofree char *db_path = g_strdup (gauge_store_get_path (fixture->store));
  sqlite3 *db;

  /* No previous look. */
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MININT64);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MAXINT64);

  add_line (fixture, "s1", "m1", t0, "claude-sonnet-4-5-20250929", 10, 5);
  add_line (fixture, "s1", "m2", t0 + MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 5);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0);
  g_assert_cmpint (changes.last_id, ==, 2);

  /* Appended, even when older than what came before. */
  add_line (fixture, "s1", "m3", t0 + 10 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 5);
  add_line (fixture, "s1", "m4", t0 + 5 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 5);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 5 * MINUTE_MS);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MAXINT64);

  /* A larger copy of m1 replaces it: from its old time on. A smaller copy changes nothing. */
  add_line (fixture, "s1", "m1", t0 + 20 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 50);
  add_line (fixture, "s1", "m2", t0 + 20 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 1);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0);

  /* The replacement's new time counts as well. */
  add_line (fixture, "s1", "m3", t0 + 2 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 90);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 2 * MINUTE_MS);

  /* A file read again loses its lines without message.id: removed. */
  add_line (fixture, "s1", NULL, t0 + 30 * MINUTE_MS, "claude-sonnet-4-5-20250929", 1, 1);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 30 * MINUTE_MS);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  add_line (fixture, "s1", NULL, t0 + 30 * MINUTE_MS, "claude-sonnet-4-5-20250929", 1, 1);
  gauge_test_index_run (fixture->index, FALSE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MININT64);

  /* --recalculate. */
  gauge_test_index_run (fixture->index, TRUE);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MININT64);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MAXINT64);

  /* Another process made more edits than the table keeps. */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                 " WHERE i < 300) INSERT INTO entry_edits (low_ms)"
                                 " SELECT 1795000000000 FROM n;"
                                 "DELETE FROM entry_edits WHERE seq <= (SELECT max(seq) - 256"
                                 " FROM entry_edits);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MININT64);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MAXINT64);
}

/* --- The cached local usage ---------------------------------------------- */

#define SONNET "claude-sonnet-4-5-20250929"
#define OPUS "claude-opus-4-6"

static void
params_init (GaugeLocalSummaryParams *params)
{
  gauge_local_summary_params_init (params, NULL);
  params->plan = GAUGE_PLAN_LIMIT_CUSTOM_MAX;
  params->billing_start_day = 15;
  params->start_of_week = G_DATE_MONDAY;
  params->weekly_budget = 50000000;
}

static void
local_date (gint64  t_ms,
            GDate  *date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
}

/* The summary equals the one made in one go from the store, with the functions the
 * window used before it kept anything (blocks, period figures, a daily report), and
 * gauge_local_summary_compute(): every figure it shows, to the last bit. */
static void
assert_summary (Fixture                       *fixture,
                GaugeLocalSummary             *summary,
                const GaugeLocalSummaryParams *params,
                gint64                         now_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugePricing) pricing = gauge_pricing_new_default (NULL);
  g_autoptr(GArray) entries = gauge_store_load_entries (fixture->store,
                                                        now_ms - GAUGE_LOCAL_SUMMARY_DAYS * DAY_MS,
                                                        0, &error);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GaugeReport) period = NULL;
  g_autoptr(GaugeLocalSummary) in_one_go = NULL;
  GaugeReportParams report_params = { 0 };
  const GaugeBlock *active, *got_active;
  const GaugeReportRow *today;
  GaugePeriodFigures figures;
  GaugeBlockLimit limit, got_limit;
  GDate since, day;
  gboolean has_limit;

  g_assert_no_error (error);
  blocks = gauge_blocks_compute (entries, pricing, params->mode, now_ms);
  gauge_test_period_figures (entries, blocks, pricing, params->mode, NULL,
                             params->billing_start_day, params->start_of_week,
                             params->weekly_budget, now_ms, &figures);
  local_date (figures.billing_start_ms, &since);
  report_params.since = &since;
  report_params.mode = params->mode;
  period = gauge_report_new (GAUGE_REPORT_DAILY, entries, pricing, &report_params);
  local_date (now_ms, &day);
  today = gauge_report_get_day (period, &day);
  active = gauge_blocks_get_active (blocks);
  has_limit = gauge_blocks_get_limit (blocks, params->plan, params->custom_limit_tokens,
                                      params->rate_limit_tier, &limit);
  if (has_limit)
    gauge_blocks_switch_limit (blocks, &limit);

  g_assert_cmpint (gauge_local_summary_has_entries (summary), ==, entries->len > 0);
  gauge_test_assert_figures_equal (gauge_local_summary_get_figures (summary), &figures);

  got_active = gauge_local_summary_get_active_block (summary);
  g_assert_true ((got_active == NULL) == (active == NULL));
  if (active != NULL)
    gauge_test_assert_block_equal (got_active, active);

  g_assert_true ((gauge_local_summary_get_today (summary) == NULL) == (today == NULL));
  if (today != NULL)
    gauge_test_assert_row_equal (gauge_local_summary_get_today (summary), today);

  gauge_test_assert_models_equal (gauge_local_summary_get_models (summary),
                                  period->totals->breakdown);
  gauge_test_assert_strings_equal (gauge_local_summary_get_unpriced (summary),
                                   period->unpriced_models);

  if (gauge_local_summary_get_limit (summary, &got_limit, NULL, NULL))
    {
      g_assert_true (has_limit);
      g_assert_cmpint (got_limit.tokens, ==, limit.tokens);
    }
  else
    g_assert_true (!has_limit || active == NULL || active->n_entries < 2);

  in_one_go = gauge_local_summary_compute (fixture->store, params, 0, now_ms, &error);
  g_assert_no_error (error);
  gauge_test_assert_figures_equal (gauge_local_summary_get_figures (in_one_go), &figures);
}

/* Updates @usage at @now_ms and checks it against a summary made in one go. */
static void
check (Fixture                       *fixture,
       GaugeLocalUsage               *usage,
       const GaugeLocalSummaryParams *params,
       gint64                         now_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLocalSummary) summary = gauge_local_usage_update (usage, params, now_ms, &error);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  assert_summary (fixture, summary, params, now_ms);
}

/* Reads what was written, then check(). */
static void
index_and_check (Fixture                       *fixture,
                 GaugeLocalUsage               *usage,
                 const GaugeLocalSummaryParams *params,
                 gint64                         now_ms)
{
  gauge_test_index_run (fixture->index, FALSE);
  check (fixture, usage, params, now_ms);
}

/* A working day of lines from @start_ms: bursts and pauses, two models, three sessions. */
static void
add_day (Fixture    *fixture,
         const char *prefix,
         gint64      start_ms,
         guint       n_lines)
{
  gint64 t = start_ms;

  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *msg = g_strdup_printf ("%s-%u", prefix, i);
      const char *session = i % 7 == 0 ? "s2" : i % 11 == 0 ? "s3" : "s1";

      add_line (fixture, session, msg, t, i % 5 == 0 ? OPUS : SONNET, 10 + i, 100 + 7 * i);
      t += (i % 13 == 12 ? 70 : 4 + i % 9) * MINUTE_MS;
    }
}

/* New lines at the end: read as they come, summaries as if made in one go. */
static void
test_usage_appends (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  GaugeLocalSummaryParams params;

  params_init (&params);

  /* Nothing yet. */
  check (fixture, usage, &params, t0 - 7 * DAY_MS);

  add_day (fixture, "d1", t0 - 2 * DAY_MS, 80);
  add_day (fixture, "d2", t0 - DAY_MS, 60);
  index_and_check (fixture, usage, &params, t0 - 6 * HOUR_MS);

  /* Within the last block, a new block after it, one after a pause, time passing. */
  for (gint64 i = 0, at = t0 - 6 * HOUR_MS, step; i < 12; i++, at += step)
    {
      g_autofree char *prefix = g_strdup_printf ("live%" G_GINT64_FORMAT, i);

      step = i % 4 == 3 ? 6 * HOUR_MS : 25 * MINUTE_MS;
      add_day (fixture, prefix, at, 1 + i % 3);
      index_and_check (fixture, usage, &params, at + 3 * MINUTE_MS);
      check (fixture, usage, &params, at + step - MINUTE_MS);
    }

  /* A line written late, older than the last block: everything is read again. */
  add_line (fixture, "s9", "late", t0 - 3 * DAY_MS, SONNET, 5, 5);
  index_and_check (fixture, usage, &params, t0 + DAY_MS);
}

/* Claude Code writes a response as several lines; a later, larger one replaces the
 * stored copy. In the last block only what follows is read again; before it, everything. */
static void
test_usage_replaced (Fixture       *fixture,
                     gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  GaugeLocalSummaryParams params;

  params_init (&params);
  add_day (fixture, "d1", t0 - DAY_MS, 50);
  add_day (fixture, "d2", t0 - 2 * HOUR_MS, 10);
  index_and_check (fixture, usage, &params, t0);

  /* The last response, streamed: its output grows, its time moves. */
  for (guint i = 1; i <= 4; i++)
    {
      add_line (fixture, "s1", "d2-9", t0 - 2 * HOUR_MS + (60 + i) * MINUTE_MS, SONNET, 19,
                200 * i);
      index_and_check (fixture, usage, &params, t0 + i * MINUTE_MS);
    }

  /* A copy of an earlier one, in the same block, with another model. */
  add_line (fixture, "s2", "d2-0", t0 - 2 * HOUR_MS + MINUTE_MS, OPUS, 10, 5000);
  index_and_check (fixture, usage, &params, t0 + 5 * MINUTE_MS);

  /* Yesterday's: before the last block. */
  add_line (fixture, "s1", "d1-3", t0 - DAY_MS + 30 * MINUTE_MS, OPUS, 13, 9000);
  index_and_check (fixture, usage, &params, t0 + 6 * MINUTE_MS);
}

/* A transcript read again from its start (truncated, replaced) loses its lines without
 * message.id; --recalculate drops everything: the summaries follow. */
static void
test_usage_reset (Fixture       *fixture,
                  gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  g_autofree char *path = path_for (fixture, "s5");
  GaugeLocalSummaryParams params;

  params_init (&params);
  add_day (fixture, "d1", t0 - 3 * HOUR_MS, 20);
  add_line (fixture, "s5", NULL, t0 - 2 * HOUR_MS, SONNET, 1000, 1000);
  add_line (fixture, "s5", NULL, t0 - HOUR_MS, SONNET, 2000, 2000);
  index_and_check (fixture, usage, &params, t0);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  add_line (fixture, "s5", NULL, t0 - 2 * HOUR_MS, SONNET, 1000, 1000);
  index_and_check (fixture, usage, &params, t0 + MINUTE_MS);

  gauge_test_index_run (fixture->index, TRUE);
  check (fixture, usage, &params, t0 + 2 * MINUTE_MS);
  add_day (fixture, "d2", t0, 3);
  index_and_check (fixture, usage, &params, t0 + HOUR_MS);
}

/* Another process (the command line) indexes the same database. */
static void
test_usage_other_process (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  g_autoptr(GaugeStore) other_store = gauge_store_new (gauge_store_get_path (fixture->store));
  GaugeLocalSummaryParams params;

  params_init (&params);
  add_day (fixture, "d1", t0 - 3 * HOUR_MS, 20);
  index_and_check (fixture, usage, &params, t0);

  g_clear_object (&fixture->index);
  fixture->index = gauge_transcript_index_new (other_store);
  add_day (fixture, "d2", t0, 3);
  add_line (fixture, "s1", "d1-19", t0 + MINUTE_MS, OPUS, 1, 99999);
  index_and_check (fixture, usage, &params, t0 + HOUR_MS);
}

/* Only what changed is read: an entry changed behind the store's back (no process of
 * Claude Gauge does that) stays as it was read, until everything is read again. */
static void
test_usage_reads_changes (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  g_autoptr(GaugeLocalSummary) before = NULL;
  g_autoptr(GaugeLocalSummary) after = NULL;
  g_autoptr(GaugeLocalSummary) again = NULL;
  g_autofree char *db_path = g_strdup (gauge_store_get_path (fixture->store));
  GaugeLocalSummaryParams params;
  sqlite3 *db;

  params_init (&params);
  add_day (fixture, "d1", t0 - DAY_MS, 20);
  gauge_test_index_run (fixture->index, FALSE);
  before = gauge_local_usage_update (usage, &params, t0, NULL);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE entries SET input_tokens = input_tokens + 1000000",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  add_day (fixture, "d2", t0, 2);
  gauge_test_index_run (fixture->index, FALSE);
  after = gauge_local_usage_update (usage, &params, t0 + MINUTE_MS, NULL);
  g_assert_cmpint (gauge_local_summary_get_figures (after)->billing_tokens, ==,
                   gauge_local_summary_get_figures (before)->billing_tokens +
                   gauge_block_get_total_tokens (gauge_local_summary_get_active_block (after)));

  /* Another cost mode reads everything again. */
  params.mode = GAUGE_COST_MODE_CALCULATE;
  again = gauge_local_usage_update (usage, &params, t0 + MINUTE_MS, NULL);
  g_assert_cmpint (gauge_local_summary_get_figures (again)->billing_tokens, ==,
                   gauge_local_summary_get_figures (after)->billing_tokens + 20 * 1000000);
  assert_summary (fixture, again, &params, t0 + MINUTE_MS);
}

/* Six weeks of days: as the clock moves, the oldest leave the 35 days, the first blocks
 * move with them, days, weeks and billing periods turn (at local midnight), and settings
 * change. */
static void
test_usage_time_passes (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 t0 = ms ("2026-11-19T13:10:00Z");
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  GaugeLocalSummaryParams params;
  gint64 now;

  params_init (&params);
  for (guint day = 0; day < 42; day++)
    {
      g_autofree char *prefix = g_strdup_printf ("day%u", day);

      /* Late nights now and then: blocks that run across midnight and into the next. */
      add_day (fixture, prefix, t0 - (42 - day) * DAY_MS + (day % 3) * 5 * HOUR_MS, 12 + day % 5);
    }
  gauge_test_index_run (fixture->index, FALSE);

  /* Hour by hour over four days (a Monday among them), with a few lines now and then. */
  now = t0;
  for (guint hour = 0; hour < 100; hour++, now += HOUR_MS)
    {
      if (hour % 5 == 0)
        {
          g_autofree char *prefix = g_strdup_printf ("hour%u", hour);

          add_day (fixture, prefix, now - 20 * MINUTE_MS, 2);
          gauge_test_index_run (fixture->index, FALSE);
        }
      check (fixture, usage, &params, now);
    }

  /* Settings. */
  params.billing_start_day = 1;
  check (fixture, usage, &params, now);
  params.start_of_week = G_DATE_SUNDAY;
  check (fixture, usage, &params, now);
  params.plan = GAUGE_PLAN_LIMIT_P90;
  check (fixture, usage, &params, now);
  params.mode = GAUGE_COST_MODE_DISPLAY;
  check (fixture, usage, &params, now);

  /* A week on, and the clock set back. */
  check (fixture, usage, &params, now + 7 * DAY_MS);
  check (fixture, usage, &params, now);
}

/* The seeds' figures, on a history small enough to work out by hand (each line adds 100
 * cache-creation and 1,000 cache-read tokens to its input and output). */
static void
test_seed_figures (Fixture       *fixture,
                   gconstpointer  data)
{
  gint64 now = ms ("2026-11-19T15:30:00Z");    /* Thursday 10:30 in New York */
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GaugeLocalSummary) max20 = NULL;
  g_autoptr(GaugeLocalSummary) custom = NULL;
  g_autoptr(GError) error = NULL;
  const GaugePeriodFigures *figures;
  GaugeLocalSummaryParams params;
  GaugeBlockLimit limit;
  double percent;

  gauge_local_summary_params_init (&params, NULL);
  g_assert_cmpuint (params.session_budget, ==, 50);
  params.plan = GAUGE_PLAN_LIMIT_PRO;
  params.billing_start_day = 15;
  params.start_of_week = G_DATE_MONDAY;
  params.weekly_budget = 1000000;

  add_line (fixture, "a", "a1", ms ("2026-11-14T12:00:00Z"), SONNET, 1000, 1000);
  add_line (fixture, "b", "b1", ms ("2026-11-15T12:00:00Z"), SONNET, 2000, 2000);
  add_line (fixture, "c", "c1", ms ("2026-11-17T10:00:00Z"), SONNET, 50000, 50000);
  add_line (fixture, "c", "c2", ms ("2026-11-17T10:30:00Z"), SONNET, 10000, 10000);
  add_line (fixture, "d", "d1", ms ("2026-11-19T14:05:00Z"), SONNET, 100, 100);
  add_line (fixture, "d", "d2", ms ("2026-11-19T14:50:00Z"), SONNET, 20000, 80000);
  add_line (fixture, "d", "d3", ms ("2026-11-19T15:10:00Z"), SONNET, 1000, 1000);
  gauge_test_index_run (fixture->index, FALSE);

  summary = gauge_local_usage_update (usage, &params, now, &error);
  g_assert_no_error (error);
  figures = gauge_local_summary_get_figures (summary);

  /* The billing period from the 15th: three 5-hour blocks, the largest on the 17th. */
  g_assert_cmpint (figures->billing_start_ms, ==, ms ("2026-11-15T05:00:00Z"));
  g_assert_cmpint (figures->billing_tokens, ==, 5100 + 122200 + 105500);
  g_assert_cmpuint (figures->billing_blocks, ==, 3);
  g_assert_cmpint (figures->largest_block_tokens, ==, 122200);
  g_assert_cmpuint (gauge_local_summary_get_session_budget (summary), ==, 50);

  /* The week from Monday: sessions c and d. */
  g_assert_cmpint (figures->week_start_ms, ==, ms ("2026-11-16T05:00:00Z"));
  g_assert_cmpint (figures->week_tokens, ==, 227700);
  g_assert_cmpuint (figures->week_sessions, ==, 2);
  g_assert_cmpfloat_with_epsilon (figures->week_tokens_per_session, 113850, 1e-9);
  g_assert_cmpfloat_with_epsilon (figures->sessions_left, (1000000.0 - 227700) / 113850, 1e-9);
  g_assert_cmpint (figures->days_left_in_week, ==, 4);
  g_assert_true (gauge_local_summary_get_week_percent (summary, &percent));
  g_assert_cmpfloat_with_epsilon (percent, 22.77, 1e-9);

  /* The last hour spans d2 and d3; the last line was 20 minutes ago. */
  g_assert_cmpfloat_with_epsilon (figures->last_hour_tokens_per_minute, (101100 + 3100) / 60.0,
                                  1e-9);
  g_assert_cmpint (figures->minutes_since_last_entry, ==, 20);
  g_assert_cmpint (figures->active_block_remaining_ms, ==, ms ("2026-11-19T19:00:00Z") - now);

  /* Pro's 19,000 input + output tokens are long exceeded (102,200): the limit switched to
   * the largest past block, counted the same way (120,000), and the bar counts input +
   * output too, not the 105,500 of all tokens. */
  g_assert_true (gauge_local_summary_get_block_limit (summary, &limit));
  g_assert_true (limit.switched);
  g_assert_cmpint (limit.switched_from, ==, GAUGE_PLAN_LIMIT_PRO);
  g_assert_cmpint (limit.plan, ==, GAUGE_PLAN_LIMIT_CUSTOM_MAX);
  g_assert_cmpint (limit.measure, ==, GAUGE_LIMIT_MEASURE_INPUT_OUTPUT);
  g_assert_cmpint (limit.tokens, ==, 120000);
  g_assert_true (gauge_local_summary_get_block_percent (summary, &percent));
  g_assert_cmpfloat_with_epsilon (percent, 102200 * 100.0 / 120000, 1e-9);

  /* The plan tier, once known, gives its own limit: no switch under Max 20x. */
  params.plan = GAUGE_PLAN_LIMIT_AUTO;
  params.rate_limit_tier = "default_claude_max_20x";
  max20 = gauge_local_usage_update (usage, &params, now, &error);
  g_assert_no_error (error);
  g_assert_true (gauge_local_summary_get_block_limit (max20, &limit));
  g_assert_false (limit.switched);
  g_assert_cmpint (limit.tokens, ==, GAUGE_BLOCK_LIMIT_MAX20);
  g_assert_true (gauge_local_summary_get_block_percent (max20, &percent));
  g_assert_cmpfloat_with_epsilon (percent, 102200 * 100.0 / GAUGE_BLOCK_LIMIT_MAX20, 1e-9);

  /* A custom limit counts all tokens, and so does its bar. */
  params.plan = GAUGE_PLAN_LIMIT_CUSTOM;
  params.custom_limit_tokens = 211000;
  params.weekly_budget = 0;
  custom = gauge_local_usage_update (usage, &params, now, &error);
  g_assert_no_error (error);
  g_assert_true (gauge_local_summary_get_block_percent (custom, &percent));
  g_assert_cmpfloat_with_epsilon (percent, 50, 1e-9);
  g_assert_false (gauge_local_summary_get_week_percent (custom, &percent));
  g_assert_cmpfloat (gauge_local_summary_get_figures (custom)->sessions_left, ==, -1);
}

/* --- Accounts: each its own folder's --------------------------------------- */

static gint64
sum_tokens (GArray *entries)
{
  gint64 total = 0;

  for (guint i = 0; i < entries->len; i++)
    total += gauge_local_entry_total_tokens (&g_array_index (entries, GaugeLocalEntry, i));
  return total;
}

static GaugeLocalSummary *
summary_for (Fixture               *fixture,
             const GaugeEntryScope *scope,
             gint64                 now_ms)
{
  g_autoptr(GError) error = NULL;
  GaugeLocalSummaryParams params;
  GaugeLocalSummary *summary;

  params_init (&params);
  params.scope = scope;
  summary = gauge_local_summary_compute (fixture->store, &params, 0, now_ms, &error);
  g_assert_no_error (error);
  return summary;
}

/* Two accounts (config folders) with different transcripts, and a third folder that is no
 * account: each account's local usage is its own folder's, the first's takes the folder of
 * none, and the accounts' add up to every folder's. One GaugeLocalUsage follows a change of
 * account. */
static void
test_usage_per_account (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *work = g_build_filename (g_get_user_config_dir (), "claude-b", NULL);
  g_autofree char *stray = g_build_filename (g_get_user_config_dir (), "claude-c", NULL);
  g_autofree char *env = g_strjoin (",", fixture->config_dir, work, stray, NULL);
  const char *accounts[] = { fixture->config_dir, work, NULL };
  g_autoptr(GaugeEntryScope) first = gauge_entry_scope_new_account (accounts, fixture->config_dir);
  g_autoptr(GaugeEntryScope) second = gauge_entry_scope_new_account (accounts, work);
  g_autoptr(GaugeLocalUsage) usage = gauge_local_usage_new (fixture->store, 0);
  g_autoptr(GaugeLocalSummary) all = NULL;
  g_autoptr(GaugeLocalSummary) of_first = NULL;
  g_autoptr(GaugeLocalSummary) of_second = NULL;
  g_autoptr(GArray) every = NULL;
  g_autoptr(GArray) mine = NULL;
  g_autoptr(GArray) theirs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now_ms = ms ("2026-12-01T18:00:00Z");   /* 13:00 in New York */
  gint64 t = now_ms - 2 * HOUR_MS;
  GaugeLocalSummaryParams params;

  g_setenv ("CLAUDE_CONFIG_DIR", env, TRUE);
  add_line (fixture, "s1", "a1", t, SONNET, 1000, 200);
  add_line (fixture, "s1", "a2", t + MINUTE_MS, OPUS, 2000, 300);
  {
    g_autofree char *project = g_build_filename (work, "projects", "-home-ana-work", NULL);
    g_autofree char *other = g_build_filename (stray, "projects", "-home-ana-old", NULL);

    gauge_test_write_usage_line (project, "w1", "b1", t / 1000 + 120, 50000, 7000, 0, 0);
    gauge_test_write_usage_line (other, "c1", "c1", t / 1000 + 180, 300, 40, 0, 0);
  }
  gauge_test_index_run (fixture->index, FALSE);

  every = gauge_store_load_entries (fixture->store, 0, 0, &error);
  mine = gauge_store_load_scoped_entries (fixture->store, first, 0, 0, 0, NULL, &error);
  theirs = gauge_store_load_scoped_entries (fixture->store, second, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (every->len, ==, 4);
  g_assert_cmpuint (mine->len, ==, 3);     /* a1, a2 and the stray folder's c1 */
  g_assert_cmpuint (theirs->len, ==, 1);
  g_assert_cmpint (sum_tokens (theirs), ==, 57000);
  g_assert_cmpint (sum_tokens (mine) + sum_tokens (theirs), ==, sum_tokens (every));
  g_assert_cmpstr (g_array_index (theirs, GaugeLocalEntry, 0).session_id, ==, "w1");

  all = summary_for (fixture, NULL, now_ms);
  of_first = summary_for (fixture, first, now_ms);
  of_second = summary_for (fixture, second, now_ms);
  g_assert_cmpint (gauge_local_summary_get_today (of_second)->input_tokens, ==, 50000);
  g_assert_cmpint (gauge_local_summary_get_today (of_first)->input_tokens, ==, 3300);
  g_assert_cmpint (gauge_local_summary_get_today (of_first)->input_tokens +
                   gauge_local_summary_get_today (of_second)->input_tokens, ==,
                   gauge_local_summary_get_today (all)->input_tokens);
  g_assert_cmpfloat (gauge_local_summary_get_today (of_second)->cost_usd, >, 0);
  g_assert_cmpfloat_with_epsilon (gauge_local_summary_get_today (of_first)->cost_usd +
                                  gauge_local_summary_get_today (of_second)->cost_usd,
                                  gauge_local_summary_get_today (all)->cost_usd, 1e-9);

  /* The window's one usage, asked for another account, reads that account's. */
  params_init (&params);
  params.scope = second;
  g_clear_object (&of_second);
  of_second = gauge_local_usage_update (usage, &params, now_ms, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gauge_local_summary_get_today (of_second)->input_tokens, ==, 50000);
  params.scope = first;
  g_clear_object (&of_first);
  of_first = gauge_local_usage_update (usage, &params, now_ms, &error);
  g_assert_cmpint (gauge_local_summary_get_today (of_first)->input_tokens, ==, 3300);
  params.scope = NULL;
  g_clear_object (&all);
  all = gauge_local_usage_update (usage, &params, now_ms, &error);
  g_assert_cmpint (gauge_local_summary_get_today (all)->input_tokens, ==, 53300);
}

/* An account added in Preferences (a folder not in CLAUDE_CONFIG_DIR) has its transcripts
 * read too, as its own; the index of the environment alone never saw them. */
static void
test_account_folders_read (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *work = g_build_filename (g_get_user_config_dir (), "claude-added", NULL);
  g_autofree char *project = g_build_filename (work, "projects", "-home-ana-work", NULL);
  const char *accounts[] = { fixture->config_dir, work, NULL };
  g_autoptr(GaugeEntryScope) scope = gauge_entry_scope_new_account (accounts, work);
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;

  gauge_test_write_usage_line (project, "w1", "b1", 1796600000, 50000, 7000, 0, 0);
  gauge_test_index_run (fixture->index, FALSE);
  before = gauge_store_load_scoped_entries (fixture->store, scope, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 0);

  gauge_transcript_index_set_account_folders (fixture->index, accounts);
  gauge_test_index_run (fixture->index, FALSE);
  after = gauge_store_load_scoped_entries (fixture->store, scope, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (sum_tokens (after), ==, 57000);
}

int
main (int   argc,
      char *argv[])
{
  /* Local days that are not UTC days. */
  g_setenv ("TZ", "America/New_York", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/local-usage/" name, Fixture, NULL, gauge_test_history_set_up, func, gauge_test_history_tear_down)
  ADD ("entry-changes", test_entry_changes);
  ADD ("appends", test_usage_appends);
  ADD ("replaced", test_usage_replaced);
  ADD ("reset", test_usage_reset);
  ADD ("other-process", test_usage_other_process);
  ADD ("reads-changes", test_usage_reads_changes);
  ADD ("time-passes", test_usage_time_passes);
  ADD ("seed-figures", test_seed_figures);
  ADD ("per-account", test_usage_per_account);
  ADD ("account-folders-read", test_account_folders_read);
#undef ADD

  return g_test_run ();
}
