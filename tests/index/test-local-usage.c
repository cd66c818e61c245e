/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-local-usage"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gauge-store.h"
#include "gauge-transcript-index.h"

#define MINUTE_MS ((gint64) 60 * 1000)
#define HOUR_MS (60 * MINUTE_MS)
#define DAY_MS (24 * HOUR_MS)

typedef struct
{
  char                 *config_dir;  /* CLAUDE_CONFIG_DIR */
  char                 *project;     /* <config>/projects/-home-ana-shop */
  GaugeStore           *store;
  GaugeTranscriptIndex *index;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "history.db", NULL);

  fixture->config_dir = g_build_filename (g_get_user_config_dir (), "claude-a", NULL);
  fixture->project = g_build_filename (fixture->config_dir, "projects", "-home-ana-shop", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->project, 0700), ==, 0);
  g_setenv ("CLAUDE_CONFIG_DIR", fixture->config_dir, TRUE);

  fixture->store = gauge_store_new (db);
  fixture->index = gauge_transcript_index_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->index);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->config_dir, g_free);
  g_clear_pointer (&fixture->project, g_free);
  g_unsetenv ("CLAUDE_CONFIG_DIR");
}

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

/* Reads what the transcripts gained, as the index does when they change. */
static void
index_update (Fixture *fixture)
{
  gboolean done = FALSE;

  gauge_transcript_index_update_async (fixture->index, NULL, index_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
index_recalculate (Fixture *fixture)
{
  gboolean done = FALSE;

  gauge_transcript_index_recalculate_async (fixture->index, NULL, index_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
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
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0);
  g_assert_cmpint (changes.last_id, ==, 2);

  /* Appended, even when older than what came before. */
  add_line (fixture, "s1", "m3", t0 + 10 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 5);
  add_line (fixture, "s1", "m4", t0 + 5 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 5);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 5 * MINUTE_MS);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MAXINT64);

  /* A larger copy of m1 replaces it: from its old time on. A smaller copy changes nothing. */
  add_line (fixture, "s1", "m1", t0 + 20 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 50);
  add_line (fixture, "s1", "m2", t0 + 20 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 1);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0);

  /* The replacement's new time counts as well. */
  add_line (fixture, "s1", "m3", t0 + 2 * MINUTE_MS, "claude-sonnet-4-5-20250929", 10, 90);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 2 * MINUTE_MS);

  /* A file read again loses its lines without message.id: removed. */
  add_line (fixture, "s1", NULL, t0 + 30 * MINUTE_MS, "claude-sonnet-4-5-20250929", 1, 1);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, t0 + 30 * MINUTE_MS);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  add_line (fixture, "s1", NULL, t0 + 30 * MINUTE_MS, "claude-sonnet-4-5-20250929", 1, 1);
  index_update (fixture);
  g_assert_cmpint (changed_since (fixture, &changes), ==, G_MININT64);

  /* --recalculate. */
  index_recalculate (fixture);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/local-usage/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("entry-changes", test_entry_changes);
#undef ADD

  return g_test_run ();
}
