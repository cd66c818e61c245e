/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include "gauge-store-index.h"
#include "gauge-test-usage.h"

static void
index_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GaugeTranscriptIndex *index = GAUGE_TRANSCRIPT_INDEX (object);
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  if (g_async_result_is_tagged (result, gauge_transcript_index_recalculate_async))
    g_assert_true (gauge_transcript_index_recalculate_finish (index, result, &error));
  else
    g_assert_true (gauge_transcript_index_update_finish (index, result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
count_changed (GaugeTestHistory *history)
{
  history->n_changed++;
}

void
gauge_test_history_set_up (GaugeTestHistory *history,
                           gconstpointer     data)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "history.db", NULL);

  history->config_dir = g_build_filename (g_get_user_config_dir (), "claude-a", NULL);
  history->project = g_build_filename (history->config_dir, "projects", "-home-ana-shop", NULL);
  g_assert_cmpint (g_mkdir_with_parents (history->project, 0700), ==, 0);
  g_setenv ("CLAUDE_CONFIG_DIR", history->config_dir, TRUE);

  history->store = gauge_store_new (db);
  history->index = gauge_transcript_index_new (history->store);
  history->n_changed = 0;
  g_signal_connect_swapped (history->index, "changed", G_CALLBACK (count_changed), history);
}

void
gauge_test_history_tear_down (GaugeTestHistory *history,
                              gconstpointer     data)
{
  g_clear_object (&history->index);
  g_clear_object (&history->store);
  g_clear_pointer (&history->config_dir, g_free);
  g_clear_pointer (&history->project, g_free);
  g_unsetenv ("CLAUDE_CONFIG_DIR");
}

void
gauge_test_index_run (GaugeTranscriptIndex *index,
                      gboolean              recalculate)
{
  gboolean done = FALSE;

  if (recalculate)
    gauge_transcript_index_recalculate_async (index, NULL, index_done, &done);
  else
    gauge_transcript_index_update_async (index, NULL, index_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

gboolean
gauge_test_append_usage_lines (const char  *path,
                               const char  *tag,
                               guint        n_lines,
                               GError     **error)
{
  static guint calls;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.000Z");
  /* New ids on every call: a line seen before would be a duplicate, and change nothing. */
  g_autofree char *run = g_strdup_printf ("%s_%" G_GINT64_FORMAT "_%u", tag, g_get_real_time (),
                                          calls++);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = NULL;

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text,
                            "{\"type\":\"assistant\",\"timestamp\":\"%s\",\"sessionId\":\"bench\","
                            "\"requestId\":\"req_%s_%u\",\"message\":{\"id\":\"msg_%s_%u\","
                            "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":12,"
                            "\"output_tokens\":345,\"cache_creation_input_tokens\":678,"
                            "\"cache_read_input_tokens\":9012}}}\n",
                            stamp, run, i, run, i);

  stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, error);
  return stream != NULL &&
         g_output_stream_write_all (G_OUTPUT_STREAM (stream), text->str, text->len, NULL, NULL,
                                    error) &&
         g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

gint64
gauge_test_process_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* The token counts and cost of two blocks, rows or model usages, exactly. */
#define ASSERT_TOKENS_EQUAL(a, b) \
  G_STMT_START { \
    g_assert_cmpint ((a)->input_tokens, ==, (b)->input_tokens); \
    g_assert_cmpint ((a)->output_tokens, ==, (b)->output_tokens); \
    g_assert_cmpint ((a)->cache_creation_tokens, ==, (b)->cache_creation_tokens); \
    g_assert_cmpint ((a)->cache_read_tokens, ==, (b)->cache_read_tokens); \
    g_assert_cmpfloat ((a)->cost_usd, ==, (b)->cost_usd); \
  } G_STMT_END

void
gauge_test_assert_strings_equal (GPtrArray *a,
                                 GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

void
gauge_test_assert_block_equal (const GaugeBlock *a,
                               const GaugeBlock *b)
{
  g_assert_cmpint (a->start_ms, ==, b->start_ms);
  g_assert_cmpint (a->end_ms, ==, b->end_ms);
  g_assert_cmpint (a->first_ms, ==, b->first_ms);
  g_assert_cmpint (a->last_ms, ==, b->last_ms);
  g_assert_cmpint (a->is_gap, ==, b->is_gap);
  g_assert_cmpint (a->is_active, ==, b->is_active);
  g_assert_cmpuint (a->n_entries, ==, b->n_entries);
  ASSERT_TOKENS_EQUAL (a, b);
  gauge_test_assert_strings_equal (a->models, b->models);
  gauge_test_assert_strings_equal (a->unpriced_models, b->unpriced_models);
}

void
gauge_test_assert_blocks_equal (GPtrArray *a,
                                GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    gauge_test_assert_block_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i));
}

void
gauge_test_assert_row_equal (const GaugeReportRow *a,
                             const GaugeReportRow *b)
{
  g_assert_cmpstr (a->key, ==, b->key);
  g_assert_cmpstr (a->project, ==, b->project);
  g_assert_cmpint (a->first_ms, ==, b->first_ms);
  g_assert_cmpint (a->last_ms, ==, b->last_ms);
  ASSERT_TOKENS_EQUAL (a, b);
  gauge_test_assert_strings_equal (a->models, b->models);
  gauge_test_assert_models_equal (a->breakdown, b->breakdown);
}

/* Two breakdowns (GaugeModelUsage) */
void
gauge_test_assert_models_equal (GPtrArray *a,
                                GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const GaugeModelUsage *x = g_ptr_array_index (a, i);
      const GaugeModelUsage *y = g_ptr_array_index (b, i);

      g_assert_cmpstr (x->model, ==, y->model);
      ASSERT_TOKENS_EQUAL (x, y);
      g_assert_cmpint (x->missing_pricing, ==, y->missing_pricing);
    }
}

void
gauge_test_assert_report_equal (GaugeReport *a,
                                GaugeReport *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpuint (a->rows->len, ==, b->rows->len);
  for (guint i = 0; i < a->rows->len; i++)
    gauge_test_assert_row_equal (g_ptr_array_index (a->rows, i), g_ptr_array_index (b->rows, i));
  gauge_test_assert_row_equal (a->totals, b->totals);
  gauge_test_assert_strings_equal (a->unpriced_models, b->unpriced_models);
  g_assert_cmpuint (a->malformed_lines, ==, b->malformed_lines);
}

void
gauge_test_assert_figures_equal (const GaugePeriodFigures *a,
                                 const GaugePeriodFigures *b)
{
  g_assert_cmpint (a->billing_start_ms, ==, b->billing_start_ms);
  g_assert_cmpint (a->billing_tokens, ==, b->billing_tokens);
  g_assert_cmpfloat (a->billing_cost, ==, b->billing_cost);
  g_assert_cmpint (a->largest_block_tokens, ==, b->largest_block_tokens);
  g_assert_cmpfloat (a->largest_block_cost, ==, b->largest_block_cost);
  g_assert_cmpint (a->week_start_ms, ==, b->week_start_ms);
  g_assert_cmpint (a->week_tokens, ==, b->week_tokens);
  g_assert_cmpfloat (a->week_cost, ==, b->week_cost);
  g_assert_cmpuint (a->week_sessions, ==, b->week_sessions);
  g_assert_cmpfloat (a->week_tokens_per_session, ==, b->week_tokens_per_session);
  g_assert_cmpfloat (a->sessions_left, ==, b->sessions_left);
  g_assert_cmpint (a->days_left_in_week, ==, b->days_left_in_week);
  g_assert_cmpint (a->active_block_remaining_ms, ==, b->active_block_remaining_ms);
  g_assert_cmpint (a->minutes_since_last_entry, ==, b->minutes_since_last_entry);
  g_assert_cmpuint (a->billing_blocks, ==, b->billing_blocks);
  g_assert_cmpfloat (a->last_hour_tokens_per_minute, ==, b->last_hour_tokens_per_minute);
}

void
gauge_test_period_figures (GArray             *entries,
                           GPtrArray          *blocks,
                           GaugePricing       *pricing,
                           GaugeCostMode       mode,
                           GTimeZone          *time_zone,
                           guint               billing_start_day,
                           GDateWeekday        start_of_week,
                           guint64             weekly_budget,
                           gint64              now_ms,
                           GaugePeriodFigures *figures)
{
  GaugePeriodWalk *walk;
  gint64 billing_start_ms, week_start_ms;

  gauge_period_starts (time_zone, billing_start_day, start_of_week, now_ms, &billing_start_ms,
                       &week_start_ms);
  walk = gauge_period_walk_new (pricing, mode, time_zone, billing_start_ms, week_start_ms);
  gauge_period_walk_add (walk, (const GaugeLocalEntry *) entries->data, entries->len);
  gauge_period_walk_end (walk, blocks, weekly_budget, (const GaugeLocalEntry *) entries->data,
                         entries->len, now_ms, figures);
}

void
gauge_test_write_usage_line (const char *dir,
                             const char *session,
                             const char *id,
                             gint64      unix_seconds,
                             gint64      input,
                             gint64      output,
                             gint64      cache_creation,
                             gint64      cache_read)
{
  g_autofree char *name = g_strconcat (session, ".jsonl", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (unix_seconds);
  g_autofree char *stamp = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.000Z");
  g_autofree char *line = NULL;
  FILE *file;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  line = g_strdup_printf ("{\"type\":\"assistant\",\"sessionId\":\"%s\",\"timestamp\":\"%s\","
                          "\"requestId\":\"req-%s\",\"message\":{\"id\":\"%s\","
                          "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":%"
                          G_GINT64_FORMAT ",\"output_tokens\":%" G_GINT64_FORMAT ","
                          "\"cache_creation_input_tokens\":%" G_GINT64_FORMAT ","
                          "\"cache_read_input_tokens\":%" G_GINT64_FORMAT "}}}\n",
                          session, stamp, id, id, input, output, cache_creation, cache_read);
  file = fopen (path, "a");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs (line, file), >=, 0);
  fclose (file);
}

void
gauge_test_store_entries (GaugeStore *store,
                          GArray     *entries)
{
  gauge_test_store_entries_at (store, "/tmp/project/session.jsonl", "-tmp-project", "session",
                               entries);
}

void
gauge_test_store_entries_at (GaugeStore *store,
                             const char *path,
                             const char *project,
                             const char *session,
                             GArray     *entries)
{
  g_autoptr(GPtrArray) files =
    g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_transcript_file_free);
  g_autoptr(GArray) indexes = g_array_sized_new (FALSE, TRUE, sizeof (guint), entries->len);
  g_autoptr(GaugeEntryBatch) batch = NULL;   /* points into entries */
  g_autoptr(GError) error = NULL;
  GaugeTranscriptFile *file = g_new0 (GaugeTranscriptFile, 1);
  guint changed = 0;

  file->path = g_strdup (path);
  file->session_id = g_strdup (session);
  file->project = g_strdup (project);
  g_ptr_array_add (files, file);
  g_array_set_size (indexes, entries->len);   /* every entry from files[0] */

  batch = gauge_entry_batch_new (files, entries, indexes);
  g_assert_true (gauge_store_write_batch (store, files, batch, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, entries->len);
}
