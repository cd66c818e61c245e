/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Indexes $CLAUDE_CONFIG_DIR (or the default folders) into a database and prints what it
 * took. Not a test: for benchmarks.
 *
 *   CLAUDE_CONFIG_DIR=/tmp/history index-driver /tmp/index.db [--recalculate]
 */

#define G_LOG_DOMAIN "index-driver"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
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
  g_autoptr(GArray) entries = NULL;
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

  /* After the RSS reading: loading every entry is not part of indexing. */
  entries = gauge_store_load_entries (store, 0, 0, &error);
  if (entries == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeUsageEntry *entry = &g_array_index (entries, GaugeUsageEntry, i);

      totals[0] += entry->input_tokens;
      totals[1] += entry->output_tokens;
      totals[2] += entry->cache_creation_5m_tokens;
      totals[3] += entry->cache_creation_1h_tokens;
      totals[4] += entry->cache_read_tokens;
    }

  g_print ("entries: %u\n", entries->len);
  g_print ("input: %" G_GINT64_FORMAT "\noutput: %" G_GINT64_FORMAT "\n"
           "cache_creation_5m: %" G_GINT64_FORMAT "\ncache_creation_1h: %" G_GINT64_FORMAT "\n"
           "cache_read: %" G_GINT64_FORMAT "\n",
           totals[0], totals[1], totals[2], totals[3], totals[4]);

  return 0;
}
