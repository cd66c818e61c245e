/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-blocks.h"
#include "gauge-period-figures.h"
#include "gauge-report.h"
#include "gauge-store.h"
#include "gauge-transcript-index.h"

G_BEGIN_DECLS

/*
 * Exact comparisons of what local usage shows, for the tests of incremental
 * computation: every count, every cost to the last bit, every model in order.
 */
void gauge_test_assert_strings_equal (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_models_equal  (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_block_equal   (const GaugeBlock         *a,
                                      const GaugeBlock         *b);
void gauge_test_assert_blocks_equal  (GPtrArray                *a,
                                      GPtrArray                *b);
void gauge_test_assert_row_equal     (const GaugeReportRow     *a,
                                      const GaugeReportRow     *b);
void gauge_test_assert_report_equal  (GaugeReport              *a,
                                      GaugeReport              *b);
void gauge_test_assert_figures_equal (const GaugePeriodFigures *a,
                                      const GaugePeriodFigures *b);

/* The period figures of all of @entries made in one go: the reference the pieces must equal. */
void gauge_test_period_figures       (GArray                   *entries,
                                      GPtrArray                *blocks,
                                      GaugePricing             *pricing,
                                      GaugeCostMode             mode,
                                      GTimeZone                *time_zone,
                                      guint                     billing_start_day,
                                      GDateWeekday              start_of_week,
                                      guint64                   weekly_budget,
                                      gint64                    now_ms,
                                      GaugePeriodFigures       *figures);

/* A Claude Code folder with one project, <config>/projects/-home-ana-shop, named by
 * CLAUDE_CONFIG_DIR, and an index over a new database in the test's data folder. */
typedef struct
{
  char                 *config_dir;
  char                 *project;
  GaugeStore           *store;
  GaugeTranscriptIndex *index;
  guint                 n_changed;   /* the index's "changed" signals */
} GaugeTestHistory;

/* As g_test_add()'s fixture functions. */
void     gauge_test_history_set_up         (GaugeTestHistory     *history,
                                            gconstpointer         data);
void     gauge_test_history_tear_down      (GaugeTestHistory     *history,
                                            gconstpointer         data);

/* Appends one usage line of Claude Code's (Sonnet 4.5) to @dir/@session.jsonl, @dir made if
 * needed: message and request ids from @id, the time @unix_seconds. */
void     gauge_test_write_usage_line       (const char           *dir,
                                            const char           *session,
                                            const char           *id,
                                            gint64                unix_seconds,
                                            gint64                input,
                                            gint64                output,
                                            gint64                cache_creation,
                                            gint64                cache_read);

/* Runs an index pass (or a rebuild) to its end on the default main context; asserts it worked. */
void     gauge_test_index_run              (GaugeTranscriptIndex *index,
                                            gboolean              recalculate);

/* For the append benchmarks: @n_lines new usage lines (ids unique to this call, @tag in
 * them) appended to @path in one write, as Claude Code appends; and the CPU the process
 * used so far, all threads, in microseconds. */
gboolean gauge_test_append_usage_lines     (const char           *path,
                                            const char           *tag,
                                            guint                 n_lines,
                                            GError              **error);
gint64   gauge_test_process_cpu_us         (void);

/* Stores @entries (GaugeLocalEntry, each with its own message and request id) straight into
 * @store as the responses of one transcript, /tmp/project/session.jsonl of session "session"
 * in project "-tmp-project", without reading a file; asserts each was added. */
void     gauge_test_store_entries          (GaugeStore           *store,
                                            GArray               *entries);
/* The same from the transcript @path of @session in @project. */
void     gauge_test_store_entries_at       (GaugeStore           *store,
                                            const char           *path,
                                            const char           *project,
                                            const char           *session,
                                            GArray               *entries);

G_END_DECLS
