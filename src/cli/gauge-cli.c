/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "gauge-cli.h"
#include "gauge-cli-console.h"
#include "gauge-cli-local.h"
#include "gauge-account.h"
#include "gauge-account-list.h"
#include "gauge-clock.h"
#include "gauge-enums.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-history.h"
#include "gauge-limits-monitor.h"
#include "gauge-settings.h"
#include "gauge-store-readings.h"
#include "gauge-limits-state.h"
#include "gauge-rate-gate.h"

typedef struct
{
  guint  poll_interval;
  double warning;
  double critical;
} Settings;

static void
load_settings (Settings *settings)
{
  g_autoptr(GSettings) gsettings = gauge_settings_new_if_installed ();

  settings->poll_interval = GAUGE_POLL_INTERVAL_DEFAULT;
  settings->warning = 80;
  settings->critical = 95;

  if (gsettings == NULL)
    return;

  settings->poll_interval = g_settings_get_uint (gsettings, "poll-interval");
  settings->warning = g_settings_get_double (gsettings, "warning-threshold");
  settings->critical = g_settings_get_double (gsettings, "critical-threshold");
}

/* "ok", "rate-limited", "warning": the nicks --status --json says states and severities in. */
static const char *
enum_nick (GType enum_type,
           int   value)
{
  const char *nick = gauge_enum_to_nick (enum_type, value);

  return nick != NULL ? nick : "unknown";
}

static gboolean
is_error_state (GaugeLimitsMonitorState state)
{
  return state == GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS ||
         state == GAUGE_LIMITS_MONITOR_STATE_EXPIRED ||
         state == GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN;
}

static gboolean
window_is_stale (GaugeLimitsMonitor *monitor,
                 GaugeLimitWindow   *window,
                 GDateTime          *now)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (window);

  return gauge_limits_monitor_is_stale (monitor) ||
         (resets_at != NULL && g_date_time_compare (resets_at, now) <= 0);
}

/* "projection": {"reaches_100_at", "ends_near_percent", "minutes_before_reset"}, nulls when
 * unknown. */
static void
add_projection (JsonBuilder           *builder,
                const GaugeProjection *projection)
{
  gboolean reaches = projection != NULL && (projection->kind == GAUGE_PROJECTION_REACHES_LIMIT ||
                                            projection->kind == GAUGE_PROJECTION_AT_LIMIT);
  g_autofree char *reaches_at =
    reaches ? gauge_format_iso8601_unix (projection->reaches_at) : NULL;

  json_builder_set_member_name (builder, "projection");
  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "reaches_100_at", reaches_at);
  json_builder_set_member_name (builder, "ends_near_percent");
  if (projection != NULL && projection->kind == GAUGE_PROJECTION_ENDS_NEAR)
    json_builder_add_double_value (builder, round (projection->ends_near * 10) / 10);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "minutes_before_reset");
  if (reaches && projection->minutes_before_reset >= 0)
    json_builder_add_int_value (builder, projection->minutes_before_reset);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* "limit_events": the last 7 days' events and how many per window. */
static void
add_limit_events (JsonBuilder *builder,
                  GArray      *events,
                  gint64       since)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *since_iso = gauge_format_iso8601_unix (since);
  GHashTableIter iter;
  gpointer key, value;

  json_builder_set_member_name (builder, "limit_events");
  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "since", since_iso);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, events != NULL ? events->len : 0);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      const GaugeLimitEvent *event = &g_array_index (events, GaugeLimitEvent, i);
      g_autofree char *reached_at = gauge_format_iso8601_unix (event->reached_at);
      g_autofree char *reset_at = gauge_format_iso8601_unix (event->reset_at);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, event->window));

      g_hash_table_insert (counts, event->window, GUINT_TO_POINTER (count + 1));
      json_builder_begin_object (builder);
      gauge_json_add_string (builder, "id", event->window);
      gauge_json_add_string (builder, "name", event->name);
      gauge_json_add_string (builder, "reached_at", reached_at);
      gauge_json_add_string (builder, "reset_at", reset_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (value));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* "limits": @monitor's windows; "projection" from @projections (nullable). */
static void
add_limits (JsonBuilder        *builder,
            GaugeLimitsMonitor *monitor,
            const Settings     *settings,
            GHashTable         *projections,
            GDateTime          *now)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);

  json_builder_set_member_name (builder, "limits");
  json_builder_begin_array (builder);
  for (guint i = 0; snapshot != NULL && i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      g_autofree char *resets_at = gauge_format_iso8601 (gauge_limit_window_get_resets_at (window));
      g_autofree char *fetched_at =
        gauge_format_iso8601 (gauge_limits_snapshot_get_fetched_at (snapshot));

      json_builder_begin_object (builder);
      gauge_json_add_string (builder, "id", gauge_limit_window_get_id (window));
      gauge_json_add_string (builder, "name", gauge_limit_window_get_display_name (window));
      json_builder_set_member_name (builder, "percent");
      json_builder_add_double_value (builder, gauge_limit_window_get_utilization (window));
      gauge_json_add_string (builder, "resets_at", resets_at);
      gauge_json_add_string (builder, "source",
                             gauge_source_to_string (gauge_limits_snapshot_get_source (snapshot)));
      gauge_json_add_string (builder, "fetched_at", fetched_at);
      json_builder_set_member_name (builder, "stale");
      json_builder_add_boolean_value (builder, window_is_stale (monitor, window, now));
      gauge_json_add_string (builder, "severity",
                             enum_nick (GAUGE_TYPE_SEVERITY,
                                        gauge_limit_window_get_severity (window, settings->warning,
                                                                         settings->critical)));
      if (gauge_limit_window_is_money (window))
        {
          /* In the currency's major units: 7.63 (EUR), 1200 (JPY). */
          double scale = pow (10.0, gauge_limit_window_get_exponent (window));

          json_builder_set_member_name (builder, "used");
          json_builder_add_double_value (builder,
                                         gauge_limit_window_get_used_minor (window) / scale);
          json_builder_set_member_name (builder, "limit");
          json_builder_add_double_value (builder,
                                         gauge_limit_window_get_limit_minor (window) / scale);
          gauge_json_add_string (builder, "currency", gauge_limit_window_get_currency (window));
        }
      add_projection (builder,
                      projections != NULL
                      ? g_hash_table_lookup (projections, gauge_limit_window_get_id (window))
                      : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* "limit_events" of one account's readings, over the last 7 days. */
static void
add_account_limit_events (JsonBuilder *builder,
                          GaugeStore  *store,
                          const char  *folder,
                          gint64       now_unix)
{
  gint64 since = now_unix - 7 * 24 * 3600;
  g_autoptr(GArray) events = gauge_store_load_account_limit_events (store, folder, since,
                                                                    now_unix + 1, NULL);

  add_limit_events (builder, events, since);
}

static void
summary_unref0 (gpointer summary)
{
  if (summary != NULL)
    g_object_unref (summary);
}

/* Each account's local estimate, its own folder's transcripts (%NULL where it cannot be
 * read); with one account, @summary, every folder's. The index is read already. */
static GPtrArray *
dup_account_summaries (GaugeAccountList              *accounts,
                       GaugeStore                    *store,
                       const GaugeLocalSummaryParams *params,
                       GaugeLocalSummary             *summary)
{
  guint n = gauge_account_list_get_n_accounts (accounts);
  GPtrArray *summaries = g_ptr_array_new_full (n, summary_unref0);
  g_auto(GStrv) folders = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    folders[i] = g_strdup (gauge_limits_monitor_get_folder (
                             gauge_account_list_get_monitor (accounts, i)));

  for (guint i = 0; i < n; i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, i);
      g_autoptr(GaugeEntryScope) scope = NULL;
      g_autoptr(GError) error = NULL;
      GaugeLocalSummaryParams own = *params;
      GaugeLocalSummary *account_summary;

      if (summary == NULL || n == 1)
        {
          g_ptr_array_add (summaries, summary != NULL ? g_object_ref (summary) : NULL);
          continue;
        }

      scope = gauge_entry_scope_new_account ((const char * const *) folders, folders[i]);
      own.scope = scope;
      /* Its own plan, for the auto block limit. */
      if (gauge_limits_monitor_get_rate_limit_tier (monitor) != NULL)
        own.rate_limit_tier = gauge_limits_monitor_get_rate_limit_tier (monitor);
      account_summary = gauge_local_summary_compute (store, &own, 0,
                                                     gauge_clock_now_unix () * 1000, &error);
      if (account_summary == NULL)
        g_printerr (_("Could not read the transcripts: %s\n"), error->message);
      g_ptr_array_add (summaries, account_summary);
    }
  return summaries;
}

/* "accounts": each account's name, folder, plan, state, limits, limit events and local
 * estimate; the first account's projections are the top level's. */
static void
add_accounts (JsonBuilder      *builder,
              GaugeAccountList *accounts,
              GaugeStore       *store,
              const Settings   *settings,
              GHashTable       *projections,
              GPtrArray        *summaries,
              GDateTime        *now)
{
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < gauge_account_list_get_n_accounts (accounts); i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, i);
      g_autofree char *name = gauge_account_list_dup_name (accounts, i);
      g_autofree char *message =
        gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_TERMINAL, now, NULL);

      json_builder_begin_object (builder);
      gauge_json_add_string (builder, "name", name);
      gauge_json_add_string (builder, "folder", gauge_limits_monitor_get_folder (monitor));
      gauge_json_add_string (builder, "plan", gauge_limits_monitor_get_plan_name (monitor));
      gauge_json_add_string (builder, "state",
                             enum_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                        gauge_limits_monitor_get_state (monitor)));
      gauge_json_add_string (builder, "message", message);
      add_limits (builder, monitor, settings, i == 0 ? projections : NULL, now);
      add_account_limit_events (builder, store, gauge_limits_monitor_get_folder (monitor),
                                g_date_time_to_unix (now));
      gauge_cli_local_add_json (builder, g_ptr_array_index (summaries, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (GaugeAccountList   *accounts,
            GaugeStore         *store,
            const Settings     *settings,
            GaugeLocalSummary  *summary,
            GPtrArray          *summaries,
            GDateTime          *now)
{
  GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, 0);
  g_autoptr(GHashTable) projections = NULL;
  gint64 now_unix = g_date_time_to_unix (now);
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message =
    gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_TERMINAL, now, NULL);
  g_autofree char *next_check =
    gauge_format_iso8601 (gauge_limits_monitor_get_next_check (monitor));
  g_autofree char *text = NULL;

  /* History is extra: without it the fields are null, the rest as always. */
  if (snapshot != NULL)
    projections = gauge_store_load_account_projections (store,
                                                        gauge_limits_monitor_get_folder (monitor),
                                                        snapshot, now_unix, NULL);

  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "plan", gauge_limits_monitor_get_plan_name (monitor));
  gauge_json_add_string (builder, "state",
                         enum_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                    gauge_limits_monitor_get_state (monitor)));
  gauge_json_add_string (builder, "message", message);
  gauge_json_add_string (builder, "next_check", next_check);

  add_limits (builder, monitor, settings, projections, now);
  add_accounts (builder, accounts, store, settings, projections, summaries, now);
  /* The first account's, as every top-level field. */
  add_account_limit_events (builder, store, gauge_limits_monitor_get_folder (monitor), now_unix);
  gauge_cli_local_add_json (builder, summary);
  gauge_cli_console_add_status (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = gauge_json_to_string (root);
  gauge_cli_print_json (text);
}

/* Pads @text with spaces to @width characters (not bytes). */
static void
append_padded (GString    *line,
               const char *text,
               glong       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (line, text);
  for (glong i = len; i < width; i++)
    g_string_append_c (line, ' ');
}

static void
print_text (GaugeLimitsMonitor *monitor,
            const char         *indent,
            GDateTime          *now)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);
  g_autofree char *message =
    gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_TERMINAL, now, NULL);
  glong name_width = 0;

  if (snapshot != NULL)
    {
      GDateTime *fetched_at = gauge_limits_snapshot_get_fetched_at (snapshot);
      g_autofree char *clock = gauge_format_clock (fetched_at, now);
      g_autofree char *age = gauge_format_age (fetched_at, now);
      const char *plan = gauge_limits_monitor_get_plan_name (monitor);

      for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
        {
          GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);

          name_width = MAX (name_width,
                            g_utf8_strlen (gauge_limit_window_get_display_name (window), -1));
        }

      for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
        {
          GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
          g_autofree char *percent =
            gauge_format_percent (gauge_limit_window_get_utilization (window));
          g_autofree char *reset = gauge_limit_window_format_caption (window, now);
          g_autoptr(GString) line = g_string_new (indent);

          append_padded (line, gauge_limit_window_get_display_name (window), name_width + 2);
          append_padded (line, percent, 8);
          if (gauge_limit_window_is_money (window))
            {
              g_autofree char *money = gauge_limit_window_format_money (window);

              g_string_append (line, money);
              if (reset != NULL)
                g_string_append (line, " · ");
            }
          if (reset != NULL)
            g_string_append (line, reset);

          g_print ("%s\n", g_strchomp (line->str));
        }

      if (gauge_limits_snapshot_get_n_windows (snapshot) == 0)
        g_print ("%s%s\n", indent, _("Anthropic reported no usage limits for this account."));

      /* Translators: "Max 5x · updated 19:45 (3 min ago) · official" */
      g_printerr ("%s", indent);
      g_printerr (_("%s%supdated %s (%s) · %s\n"),
                  plan != NULL ? plan : "", plan != NULL ? " · " : "",
                  clock, age, gauge_source_to_label (gauge_limits_snapshot_get_source (snapshot)));
    }

  if (message != NULL)
    g_printerr ("%s%s\n", indent, message);
}

/* Several accounts: each under its name, its lines indented. */
/* Whether @monitor has a reading of Anthropic's to show. */
static gboolean
is_official (GaugeLimitsMonitor *monitor)
{
  return !is_error_state (gauge_limits_monitor_get_state (monitor)) &&
         gauge_limits_monitor_get_snapshot (monitor) != NULL;
}

static void
print_accounts_text (GaugeAccountList *accounts,
                     GPtrArray        *summaries,
                     GDateTime        *now)
{
  for (guint i = 0; i < gauge_account_list_get_n_accounts (accounts); i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, i);
      GaugeLocalSummary *summary = summaries != NULL ? g_ptr_array_index (summaries, i) : NULL;
      g_autofree char *name = gauge_account_list_dup_name (accounts, i);
      g_autofree char *clean = gauge_format_clean_text (name, FALSE);

      g_print ("%s%s\n", i > 0 ? "\n" : "", clean);
      /* Without an official reading, its own folder's local estimate says how it stands. */
      if (!is_official (monitor) && summary != NULL && gauge_local_summary_has_entries (summary))
        gauge_cli_local_print (summary, "  ");
      print_text (monitor, "  ", now);
    }
}

/* An account's severity, or -1 when it cannot be read. */
static int
account_severity (GaugeLimitsMonitor *monitor,
                  const Settings     *settings)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);

  if (!is_official (monitor))
    return -1;

  return gauge_limits_snapshot_get_severity (snapshot, settings->warning, settings->critical);
}

/* The accounts: the environment's folders and those added in Preferences. */
static GaugeAccountList *
new_account_list (GaugeStore        *store,
                  GaugeLimitsClient *client)
{
  g_auto(GStrv) folders = gauge_cli_account_folders ();

  return gauge_account_list_new (store, client, (const char * const *) folders);
}

/* What --status's text says decided its exit code. */
typedef struct
{
  const char *name;
  double      percent;
  gboolean    by_server;  /* Anthropic's word, not a threshold */
  gboolean    local;      /* a figure of the local estimate */
  gint        account;    /* the index of the account whose limit it is; -1: the estimate's */
} ExitReason;

static void
consider_local (ExitReason     *reason,
                const char     *name,
                double          percent,
                const Settings *settings,
                GaugeSeverity   severity)
{
  if (gauge_severity_for (percent, settings->warning, settings->critical) != severity ||
      percent <= reason->percent)
    return;
  reason->name = name;
  reason->percent = percent;
  reason->by_server = FALSE;
  reason->local = TRUE;
  reason->account = -1;
}

/* The fullest of @snapshot's windows at @severity, if fuller than @reason's. */
static void
consider_snapshot (ExitReason          *reason,
                   GaugeLimitsSnapshot *snapshot,
                   guint                account,
                   const Settings      *settings,
                   GaugeSeverity        severity)
{
  for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      double utilization = gauge_limit_window_get_utilization (window);

      if (gauge_limit_window_get_severity (window, settings->warning, settings->critical)
          != severity || utilization <= reason->percent)
        continue;
      reason->name = gauge_limit_window_get_display_name (window);
      reason->percent = utilization;
      reason->by_server = gauge_severity_for (utilization, settings->warning,
                                              settings->critical) < severity;
      reason->local = FALSE;
      reason->account = account;
    }
}

/* The limit that decided the exit code: the fullest of those at the worst severity. A script
 * gets the code; a person reading the text gets this line, in words. */
static void
print_exit_reason (GaugeAccountList  *accounts,
                   gboolean           official,
                   GaugeLocalSummary *summary,
                   gboolean           with_block,
                   const Settings    *settings,
                   GaugeSeverity      severity)
{
  ExitReason reason = { NULL, -1, FALSE, FALSE, -1 };
  guint n_accounts = gauge_account_list_get_n_accounts (accounts);
  double local;
  g_autofree char *name = NULL;
  g_autofree char *percent_text = NULL;
  g_autofree char *threshold_text = NULL;
  int code = severity == GAUGE_SEVERITY_CRITICAL ? GAUGE_CLI_EXIT_CRITICAL : GAUGE_CLI_EXIT_WARNING;

  if (severity == GAUGE_SEVERITY_NORMAL)
    return;

  /* Every account's limits count (the exit code is the worst across them); the first's only
   * when it was read. */
  for (guint i = 0; i < n_accounts; i++)
    {
      GaugeLimitsSnapshot *snapshot =
        gauge_limits_monitor_get_snapshot (gauge_account_list_get_monitor (accounts, i));

      if (snapshot != NULL && (i > 0 || official))
        consider_snapshot (&reason, snapshot, i, settings, severity);
    }

  if (summary != NULL && with_block && gauge_local_summary_get_block_percent (summary, &local))
    consider_local (&reason, _("Local 5-hour block"), local, settings, severity);
  if (summary != NULL && gauge_local_summary_get_week_percent (summary, &local))
    consider_local (&reason, _("Weekly token budget"), local, settings, severity);
  if (reason.name == NULL)
    return;

  /* Among several accounts, whose limit it is: "Exit 2: ~/.claude-work · Weekly at 96 %". */
  if (n_accounts > 1 && reason.account >= 0)
    {
      g_autofree char *account = gauge_account_list_dup_name (accounts, reason.account);
      g_autofree char *clean = gauge_format_clean_text (account, FALSE);

      name = g_strdup_printf ("%s · %s", clean, reason.name);
    }
  else
    name = g_strdup (reason.name);

  /* As the rows above show it: the local figures in whole percent. */
  percent_text = gauge_format_percent (reason.local ? round (reason.percent) : reason.percent);
  threshold_text = gauge_format_percent (severity == GAUGE_SEVERITY_CRITICAL ? settings->critical
                                                                             : settings->warning);
  /* Translators: "Exit 2: Weekly · Opus at 70 % (Anthropic marks it critical)" */
  if (reason.by_server && severity == GAUGE_SEVERITY_CRITICAL)
    g_print (_("Exit %d: %s at %s (Anthropic marks it critical)\n"), code, name,
             percent_text);
  else if (reason.by_server)
    g_print (_("Exit %d: %s at %s (Anthropic marks it near its limit)\n"), code, name,
             percent_text);
  /* Translators: "Exit 2: Weekly · Opus at 96 % (critical from 95 %)": Preferences' Critical */
  else if (severity == GAUGE_SEVERITY_CRITICAL)
    g_print (_("Exit %d: %s at %s (critical from %s)\n"), code, name, percent_text,
             threshold_text);
  else
    g_print (_("Exit %d: %s at %s (warning from %s)\n"), code, name, percent_text,
             threshold_text);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error))
    g_debug ("Update failed: %s", error->message);

  g_main_loop_quit (loop);
}

/**
 * gauge_cli_update_once:
 *
 * Brings @monitor up to date once and waits for it: the stored reading while it is fresh,
 * Anthropic only when a request is due and the rate gate allows it.
 */
void
gauge_cli_update_once (GaugeLimitsMonitor *monitor)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, loop);
  g_main_loop_run (loop);
}

static void
update_accounts_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gauge_account_list_update_once_finish (GAUGE_ACCOUNT_LIST (object), result, NULL);
  g_main_loop_quit (user_data);
}

/* gauge_cli_update_once() for every account, all at the same time. */
static void
update_accounts_once (GaugeAccountList *accounts)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  gauge_account_list_update_once_async (accounts, NULL, update_accounts_cb, loop);
  g_main_loop_run (loop);
}

/**
 * gauge_cli_status:
 * @local: (nullable): --start-day and --plan, for the local estimate
 *
 * `claude-gauge --status`: uses the stored reading while it is fresher than
 * the poll interval, otherwise asks the API if the cooldown allows. Never
 * opens a display. Without an official reading, the local estimate from the
 * transcripts says how things stand; only with neither is the answer 3.
 */
int
gauge_cli_status (gboolean                    json,
                  const GaugeCliLocalOptions *local)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeLimitsClient) client = gauge_limits_client_new ();
  g_autoptr(GaugeAccountList) accounts = new_account_list (store, client);
  GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, 0);
  guint n_accounts = gauge_account_list_get_n_accounts (accounts);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GaugeLocalSummary) summary = NULL;
  GaugeLocalSummaryParams params;
  GaugeLimitsSnapshot *snapshot;
  GaugeLimitsMonitorState state;
  GaugeSeverity severity;
  g_autoptr(GPtrArray) summaries = NULL;  /* each account's own folder's estimate */
  gboolean official, any_transcript = FALSE, any_unofficial = FALSE;
  Settings settings;

  load_settings (&settings);
  gauge_account_list_set_poll_interval (accounts, settings.poll_interval);
  update_accounts_once (accounts);

  if (gauge_limits_monitor_get_store_message (monitor) != NULL)
    g_printerr ("%s\n", gauge_limits_monitor_get_store_message (monitor));

  if (!gauge_cli_local_params (local, gauge_limits_monitor_get_rate_limit_tier (monitor),
                               &params))
    return GAUGE_CLI_EXIT_ERROR;

  state = gauge_limits_monitor_get_state (monitor);
  snapshot = gauge_limits_monitor_get_snapshot (monitor);
  official = !is_error_state (state) && snapshot != NULL;

  /* The official figures stand alone in text; the estimate is read for --json, and for
   * the text when there is nothing official. */
  for (guint i = 1; i < n_accounts && !any_unofficial; i++)
    any_unofficial = !is_official (gauge_account_list_get_monitor (accounts, i));
  if (json || !official || any_unofficial || params.weekly_budget > 0)
    summary = gauge_cli_local_summary (store, &params, &any_transcript);
  if (json || n_accounts > 1)
    summaries = dup_account_summaries (accounts, store, &params, summary);

  now = gauge_clock_now_utc ();
  if (json)
    print_json (accounts, store, &settings, summary, summaries, now);
  else if (n_accounts > 1)
    print_accounts_text (accounts, summaries, now);
  else if (official)
    print_text (monitor, "", now);
  else
    {
      if (summary != NULL && any_transcript)
        gauge_cli_local_print (summary, "");
      print_text (monitor, "", now);
    }

  if (!official)
    {
      if (summary == NULL || !any_transcript)
        return GAUGE_CLI_EXIT_ERROR;
      severity = gauge_cli_local_severity (summary, TRUE, settings.warning, settings.critical);
    }
  else
    severity = MAX (gauge_limits_snapshot_get_severity (snapshot, settings.warning,
                                                        settings.critical),
                    gauge_cli_local_severity (summary, FALSE, settings.warning,
                                              settings.critical));

  /* The worst across accounts: one that cannot be read is an error. */
  for (guint i = 1; i < n_accounts; i++)
    {
      int other = account_severity (gauge_account_list_get_monitor (accounts, i), &settings);

      if (other < 0)
        return GAUGE_CLI_EXIT_ERROR;
      severity = MAX (severity, (GaugeSeverity) other);
    }

  if (!json)
    print_exit_reason (accounts, official, summary, !official, &settings, severity);

  switch (severity)
    {
    case GAUGE_SEVERITY_CRITICAL:
      return GAUGE_CLI_EXIT_CRITICAL;
    case GAUGE_SEVERITY_WARNING:
      return GAUGE_CLI_EXIT_WARNING;
    case GAUGE_SEVERITY_NORMAL:
    default:
      return GAUGE_CLI_EXIT_HEALTHY;
    }
}
