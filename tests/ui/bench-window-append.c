/* SPDX-License-Identifier: GPL-3.0-or-later */

/* What the app spends, in all, when Claude Code appends lines to a transcript
 * while the window is open: the live index, the local usage summary and the
 * view's widgets up to the frame that shows the new figures. Not a test: for
 * benchmarks (tests/core/local/bench-append measures the index and the summary alone).
 *
 *   CLAUDE_CONFIG_DIR=<history> xvfb-run -a bench-window-append DATABASE TRANSCRIPT \
 *     [LINES [ROUNDS]]
 *
 * Prints per round the wall time until a frame showed the change, the CPU time
 * of the whole process (getrusage, all threads) and of the main thread, which
 * runs the widgets (reading the text back to see the change is left out).
 */

#define G_LOG_DOMAIN "bench-window-append"

#include "config.h"

#include <adwaita.h>
#include <time.h>

#include "gauge-local-usage-view.h"
#include "gauge-limits-monitor.h"
#include "gauge-resources.h"
#include "gauge-store.h"
#include "gauge-test-ui.h"
#include "gauge-test-usage.h"
#include "gauge-transcript-index.h"
#include "gauge-limits-client.h"

static guint n_frames;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_after_paint (void)
{
  n_frames++;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugeTranscriptIndex) index = NULL;
  g_autoptr(GaugeLimitsClient) client = NULL;
  g_autoptr(GaugeLimitsMonitor) monitor = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *window, *view;
  guint n_lines = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 20;
  guint rounds = argc > 4 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 5;

  if (argc < 3)
    {
      g_printerr ("Usage: %s DATABASE TRANSCRIPT [LINES [ROUNDS]]\n", argv[0]);
      return 2;
    }

  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", SCHEMA_DIR, FALSE);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  g_assert_nonnull (gauge_get_resource ());

  store = gauge_store_new (argv[1]);
  if (!gauge_store_open (store, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  index = gauge_transcript_index_new (store);
  gauge_transcript_index_start (index);
  while (gauge_transcript_index_get_indexing (index))
    g_main_context_iteration (NULL, TRUE);

  /* Not started: the view reads only the plan from it. */
  client = gauge_limits_client_new ();
  monitor = gauge_limits_monitor_new (store, client, "/nonexistent/.credentials.json");
  settings = g_settings_new ("io.github.claudegauge.ClaudeGauge");

  window = gtk_window_new ();
  view = gauge_local_usage_view_new (store, index, monitor, settings);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 900);
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  gtk_window_present (GTK_WINDOW (window));

  /* The first summary, then quiet. */
  while (shown == NULL || strstr (shown, "Today") == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      g_free (shown);
      shown = gauge_test_visible_text (view);
    }
  gauge_test_iterate_for (1000);

  for (guint round = 0; round < rounds; round++)
    {
      gint64 start, cpu_start, main_start, reading = 0;
      guint frames;

      g_free (shown);
      shown = gauge_test_visible_text (view);
      gauge_test_iterate_for (300);

      start = g_get_monotonic_time ();
      cpu_start = gauge_test_process_cpu_us ();
      main_start = thread_cpu_us ();
      frames = n_frames;
      if (!gauge_test_append_usage_lines (argv[2], "wbench", n_lines, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }

      /* Until a frame shows something new. */
      for (;;)
        {
          g_autofree char *text = NULL;
          gint64 read_start;

          g_main_context_iteration (NULL, TRUE);
          if (n_frames == frames)
            continue;
          frames = n_frames;

          read_start = thread_cpu_us ();
          text = gauge_test_visible_text (view);
          reading += thread_cpu_us () - read_start;
          if (!g_str_equal (text, shown))
            break;
        }

      g_print ("round %u: %u lines shown after %.1f ms; CPU %.2f ms in all, %.2f ms on the main "
               "thread\n",
               round + 1, n_lines, (g_get_monotonic_time () - start) / 1000.0,
               (gauge_test_process_cpu_us () - cpu_start - reading) / 1000.0,
               (thread_cpu_us () - main_start - reading) / 1000.0);
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
