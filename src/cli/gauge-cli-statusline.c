/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-statusline"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "gauge-cli.h"
#include "gauge-cli-statusline.h"
#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-local-summary.h"
#include "gauge-store.h"
#include "gauge-store-readings.h"
#include "gauge-limits-snapshot.h"

/* Claude Code's statusline JSON is a few KB; anything past this is not it. */
#define MAX_STATUSLINE_INPUT (1000 * 1000)

/* Claude Code writes its JSON, then closes the pipe. Input that stays open (a terminal, a
 * writer that hangs) is waited for this long; the line is then made from what came. */
#define STDIN_DEADLINE_MS 2000

/* Returns: (transfer full): the input, nul-terminated; empty when it passed the cap */
static char *
read_stdin (gsize *length)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  gint64 deadline = g_get_monotonic_time () + STDIN_DEADLINE_MS * G_TIME_SPAN_MILLISECOND;
  guint8 chunk[64 * 1024];

  for (;;)
    {
      struct pollfd fd = { STDIN_FILENO, POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      gssize n;
      int ready;

      if (left_ms <= 0)
        {
          g_debug ("Standard input did not end within %d ms; using the %u bytes that came",
                   STDIN_DEADLINE_MS, buffer->len);
          break;
        }

      /* poll() rather than O_NONBLOCK: the flag would change the terminal of the shell too. */
      ready = poll (&fd, 1, (int) left_ms);
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        continue;
      if (ready < 0)
        break;

      n = read (STDIN_FILENO, chunk, sizeof chunk);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n <= 0)
        break;

      if (buffer->len + (gsize) n > MAX_STATUSLINE_INPUT)
        {
          g_printerr (_("The statusline input is larger than 1 MB, so it is not Claude Code’s; "
                        "it was ignored.\n"));
          g_byte_array_set_size (buffer, 0);
          break;
        }
      g_byte_array_append (buffer, chunk, n);
    }

  *length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
}

/* "5h 41% ↻14:00" for one window. */
static void
append_window (GString          *line,
               GaugeLimitWindow *window,
               const char       *label,
               GDateTime        *now)
{
  GDateTime *resets_at;

  if (window == NULL)
    return;

  if (line->len > 0)
    g_string_append (line, " · ");
  g_string_append_printf (line, "%s %.0f%%", label, gauge_limit_window_get_utilization (window));

  resets_at = gauge_limit_window_get_resets_at (window);
  if (resets_at != NULL && g_date_time_compare (resets_at, now) > 0 &&
      g_date_time_difference (resets_at, now) < G_TIME_SPAN_DAY)
    {
      g_autofree char *clock = gauge_format_clock (resets_at, now);

      g_string_append_printf (line, " ↻%s", clock);
    }
}

/* "$3.12 today · 2.1k tok/min" from the index; the last day is all it needs. */
static void
append_local (GString    *line,
              GaugeStore *store,
              GDateTime  *now)
{
  g_autoptr(GSettings) settings = gauge_cli_dup_settings ();
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  GaugeLocalSummaryParams params;
  const GaugeReportRow *today;
  GaugeBurnRate rate;
  gint64 now_ms = g_date_time_to_unix (now) * 1000;

  gauge_local_summary_params_init (&params, settings);
  summary = gauge_local_summary_compute (store, &params, now_ms - 24 * 3600 * 1000, now_ms, &error);
  if (summary == NULL)
    {
      g_debug ("No local usage: %s", error->message);
      return;
    }

  if ((today = gauge_local_summary_get_today (summary)) != NULL)
    {
      g_autofree char *cost = gauge_format_usd (today->cost_usd);

      g_string_append_printf (line, "%s%s today", line->len > 0 ? " · " : "", cost);
    }

  if (gauge_local_summary_get_burn_rate (summary, &rate))
    {
      g_autofree char *tokens = gauge_format_tokens (rate.tokens_per_minute);

      g_string_append_printf (line, "%s%s tok/min", line->len > 0 ? " · " : "", tokens);
    }
}

/**
 * gauge_cli_statusline_line:
 * @snapshot: (nullable): the reading Claude Code passed, or %NULL for the stored one
 *
 * Returns: the line to print
 */
char *
gauge_cli_statusline_line (GaugeStore         *store,
                           GaugeLimitsSnapshot *snapshot,
                           GDateTime          *now)
{
  g_autoptr(GaugeLimitsSnapshot) stored = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  if (snapshot == NULL)
    {
      g_autoptr(GError) error = NULL;

      snapshot = stored = gauge_store_load_latest_snapshot (store, &error);
      if (error != NULL)
        g_debug ("No stored reading: %s", error->message);
    }

  if (snapshot != NULL)
    {
      append_window (line, gauge_limits_snapshot_lookup (snapshot, "five_hour"), "5h", now);
      append_window (line, gauge_limits_snapshot_lookup (snapshot, "seven_day"), "wk", now);
    }

  append_local (line, store, now);

  if (line->len == 0)
    g_string_append (line, "claude-gauge");

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Claude Code may wait for the end of the output: it has it before the reading is stored. */
static void
finish_output (void)
{
  int fd;

  fflush (stdout);
  fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd != -1)
    {
      dup2 (fd, STDOUT_FILENO);
      close (fd);
    }
}

/* `claude-gauge --statusline`: never fails Claude Code's prompt, so always exits 0. Records
 * the official percentages Claude Code passes (when it has `rate_limits`) after printing the
 * line: storing may wait for another process's write, a few seconds at most. */
int
gauge_cli_statusline (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *line = NULL;
  gsize length;

  input = read_stdin (&length);
  snapshot = gauge_limits_snapshot_new_from_statusline (input, length, now, &error);
  if (error != NULL)
    g_debug ("%s", error->message);
  g_clear_error (&error);

  line = gauge_cli_statusline_line (store, snapshot, now);
  g_print ("%s\n", line);
  finish_output ();

  if (snapshot != NULL && !gauge_store_add_snapshot (store, snapshot, &error))
    g_printerr (_("claude-gauge: this reading was not recorded: %s\n"), error->message);

  gauge_cli_print_recovery (store);

  return 0;
}
