/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-statusline-feed"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-snapshot.h"
#include "gauge-local-summary.h"
#include "gauge-statusline-feed.h"
#include "gauge-statusline-session.h"
#include "gauge-store-readings.h"

/*
 * Claude Code runs its statusline command after each message, with a JSON object on stdin
 * that (for Claude.ai accounts) carries the official percentages of the limit windows. They
 * are a reading like the OAuth endpoint's: gauge_store_add_snapshot() records it, waiting
 * out another process's write and trying again on a database another process replaced. The
 * line printed back names the windows that have a short label in the kinds table
 * (gauge-limit-kind.c), then what the transcripts say about today.
 */

/**
 * gauge_statusline_feed_read:
 * @input: what came on stdin, nul-terminated
 * @now: when it came: the reading's time
 *
 * Input that is not JSON, or has no `rate_limits` (older Claude Code, API-key users), is no
 * reading; why is said at debug level only, since the prompt must not fail on it.
 *
 * Returns: (transfer full) (nullable): the reading it carries, or %NULL
 */
GaugeLimitsSnapshot *
gauge_statusline_feed_read (const char *input,
                            gsize       length,
                            GDateTime  *now)
{
  g_autoptr(GError) error = NULL;
  GaugeLimitsSnapshot *snapshot;

  g_return_val_if_fail (input != NULL, NULL);

  snapshot = gauge_limits_snapshot_new_from_statusline (input, length, now, &error);
  if (error != NULL)
    g_debug ("%s", error->message);

  return snapshot;
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

/* "$0.84 session", as ccusage's statusline shows it: the session's whole cost so far. */
static void
append_session (GString                       *line,
                GaugeStore                    *store,
                const GaugeLocalSummaryParams *params,
                const char                    *session_id)
{
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  double cost;

  if (session_id == NULL)
    return;

  pricing = gauge_pricing_new_default (NULL);
  if (!gauge_statusline_session_cost (store, pricing, params->mode, session_id, &cost, &error))
    {
      if (error != NULL)
        g_debug ("No session cost: %s", error->message);
      return;
    }

  text = gauge_format_usd (cost);
  g_string_append_printf (line, "%s%s session", line->len > 0 ? " · " : "", text);
}

/* "$0.84 session · $3.12 today · 2.1k tok/min" from the index; the last day is all it needs
 * but for the session's cost. Today and the burn rate are the account's whose folder Claude
 * Code runs in (its CLAUDE_CONFIG_DIR), as ccusage run beside it counts them. */
static void
append_local (GString    *line,
              GaugeStore *store,
              GSettings  *settings,
              const char *session_id,
              GDateTime  *now)
{
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeEntryScope) scope = gauge_entry_scope_new_environment ();
  GaugeLocalSummaryParams params;
  const GaugeReportRow *today;
  GaugeBurnRate rate;
  gint64 now_ms = g_date_time_to_unix (now) * 1000;

  gauge_local_summary_params_init (&params, settings);
  append_session (line, store, &params, session_id);
  params.scope = scope;
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
 * gauge_statusline_feed_line:
 * @snapshot: (nullable): the reading Claude Code passed, or %NULL for the stored one
 * @settings: (nullable): the app's settings, or %NULL for the defaults
 * @session_id: (nullable): the session Claude Code runs the statusline for
 *
 * Returns: (transfer full): the line to print:
 *   "5h 41% ↻14:00 · wk 58% · $0.84 session · $3.12 today"
 */
char *
gauge_statusline_feed_line (GaugeStore          *store,
                            GaugeLimitsSnapshot *snapshot,
                            GSettings           *settings,
                            const char          *session_id,
                            GDateTime           *now)
{
  g_autoptr(GaugeLimitsSnapshot) stored = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (snapshot == NULL)
    {
      g_autoptr(GError) error = NULL;

      snapshot = stored = gauge_store_load_latest_snapshot (store, &error);
      if (error != NULL)
        g_debug ("No stored reading: %s", error->message);
    }

  if (snapshot != NULL)
    {
      const GaugeLimitKind *kinds;
      guint n_kinds;

      kinds = gauge_limit_kind_get_all (&n_kinds);
      for (guint i = 0; i < n_kinds; i++)
        if (kinds[i].short_label != NULL)
          append_window (line, gauge_limits_snapshot_lookup (snapshot, kinds[i].id),
                         kinds[i].short_label, now);
    }

  append_local (line, store, settings, session_id, now);

  if (line->len == 0)
    g_string_append (line, "claude-gauge");

  return g_string_free (g_steal_pointer (&line), FALSE);
}
