/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Indexes $CLAUDE_CONFIG_DIR (or the default folders) into a database and prints what it
 * took. Not a test: for benchmarks.
 *
 *   CLAUDE_CONFIG_DIR=/tmp/history index-driver /tmp/index.db [--recalculate]
 */

#define G_LOG_DOMAIN "index-driver"

#include "config.h"

#include <gio/gio.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include "gauge-store.h"
#include "gauge-transcript-index.h"

static GMainLoop *loop;
static gboolean ok;
static GError *error;

static void
done (GObject      *object,
      GAsyncResult *result,
      gpointer      recalculate)
{
  if (recalculate)
    ok = gauge_transcript_index_recalculate_finish (GAUGE_TRANSCRIPT_INDEX (object), result, &error);
  else
    ok = gauge_transcript_index_update_finish (GAUGE_TRANSCRIPT_INDEX (object), result, &error);
  g_main_loop_quit (loop);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeTranscriptIndex) index = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean recalculate = argc > 2 && g_str_equal (argv[2], "--recalculate");
  gint64 start, elapsed, totals[6] = { 0, };
  struct rusage usage;

  if (argc < 2)
    {
      g_printerr ("Usage: %s DATABASE [--recalculate]\n", argv[0]);
      return 2;
    }

  store = gauge_store_new (argv[1]);
  if (!gauge_store_open (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  index = gauge_transcript_index_new (store);
  loop = g_main_loop_new (NULL, FALSE);

  start = g_get_monotonic_time ();
  if (recalculate)
    gauge_transcript_index_recalculate_async (index, NULL, done, GINT_TO_POINTER (TRUE));
  else
    gauge_transcript_index_update_async (index, NULL, done, NULL);
  g_main_loop_run (loop);
  elapsed = g_get_monotonic_time () - start;
  getrusage (RUSAGE_SELF, &usage);

  if (!ok)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  g_print ("seconds: %.3f\n", elapsed / 1e6);
  g_print ("cpu_seconds: %.3f\n",
           usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  g_print ("peak_rss_mb: %.1f\n", usage.ru_maxrss / 1024.0);
  g_print ("malformed: %" G_GINT64_FORMAT "\n", gauge_transcript_index_get_n_malformed (index));

  /* Summed by SQLite over the stored (deduplicated) rows on a connection of its own, not
   * loaded into memory: the process's peak RSS (as time(1) sees it) is then the index's. */
  g_clear_object (&index);
  g_clear_object (&store);
  if (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db,
                          "SELECT count(*), sum(input_tokens), sum(output_tokens),"
                          " sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens),"
                          " sum(cache_read_tokens) FROM entries",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_printerr ("%s\n", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    totals[i] = sqlite3_column_int64 (stmt, i);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_print ("entries: %" G_GINT64_FORMAT "\n", totals[0]);
  g_print ("input: %" G_GINT64_FORMAT "\noutput: %" G_GINT64_FORMAT "\n"
           "cache_creation_5m: %" G_GINT64_FORMAT "\ncache_creation_1h: %" G_GINT64_FORMAT "\n"
           "cache_read: %" G_GINT64_FORMAT "\n",
           totals[1], totals[2], totals[3], totals[4], totals[5]);

  return 0;
}
