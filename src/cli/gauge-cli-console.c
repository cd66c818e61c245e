/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-console"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "gauge-admin-key.h"
#include "gauge-cli.h"
#include "gauge-cli-console.h"
#include "gauge-console-monitor.h"
#include "gauge-json.h"
#include "gauge-model-name.h"
#include "gauge-format.h"

typedef struct
{
  GMainLoop           *loop;
  char                *key;
  GaugeAdminKeySource  source;
  GError              *error;
} Wait;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->key = gauge_admin_key_lookup_finish (result, &wait->source, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_console_monitor_update_once_finish (GAUGE_CONSOLE_MONITOR (object), result, &error))
    g_debug ("Console update failed: %s", error->message);
  g_main_loop_quit (wait->loop);
}

/* Returns: (transfer full) (nullable): a monitor after one round; NULL when there is no key */
static GaugeConsoleMonitor *
run_once (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeAdminClient) client = gauge_admin_client_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  Wait wait = { loop, NULL, GAUGE_ADMIN_KEY_NONE, NULL };

  gauge_admin_key_lookup_async (NULL, lookup_cb, &wait);
  g_main_loop_run (loop);
  if (wait.error != NULL)
    g_debug ("%s", wait.error->message);
  g_clear_error (&wait.error);
  if (wait.key == NULL)
    return NULL;

  monitor = gauge_console_monitor_new (store, client);
  gauge_console_monitor_set_key (monitor, wait.key);
  g_clear_pointer (&wait.key, gauge_admin_key_free);
  gauge_console_monitor_update_once_async (monitor, NULL, update_cb, &wait);
  g_main_loop_run (loop);

  return g_steal_pointer (&monitor);
}

static void
add_money (JsonBuilder     *builder,
           const char      *name,
           GaugeMicrocents  amount)
{
  g_autofree char *exact = gauge_admin_format_exact_dollars (amount);

  /* A string: JSON numbers are doubles to most readers, and this is exact. */
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, exact);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
build_console (JsonBuilder         *builder,
               GaugeConsoleMonitor *monitor,
               gboolean             full)
{
  GaugeAdminReport *report = monitor != NULL ? gauge_console_monitor_get_report (monitor) : NULL;
  const GError *error = monitor != NULL ? gauge_console_monitor_get_error (monitor) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "configured");
  json_builder_add_boolean_value (builder, monitor != NULL);
  add_string (builder, "organization", report != NULL ? gauge_admin_report_get_org_name (report)
                                                      : NULL);
  add_string (builder, "error", error != NULL ? error->message : NULL);

  if (report != NULL)
    {
      g_autofree char *month = g_date_time_format (gauge_admin_report_get_month_start (report),
                                                   "%Y-%m");
      GPtrArray *workspaces = gauge_admin_report_get_workspaces (report);

      add_string (builder, "month", month);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, "USD");
      add_money (builder, "month_to_date", gauge_admin_report_get_total (report));
      add_money (builder, "projection", gauge_admin_report_get_projection (report));
      add_money (builder, "claude_code_estimate", gauge_admin_report_get_code_total (report));

      json_builder_set_member_name (builder, "workspaces");
      json_builder_begin_array (builder);
      for (guint i = 0; i < workspaces->len; i++)
        {
          GaugeAdminWorkspaceSummary *w = g_ptr_array_index (workspaces, i);

          json_builder_begin_object (builder);
          add_string (builder, "id", w->id);
          add_string (builder, "name", w->name);
          add_money (builder, "cost", w->cost);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      if (full)
        {
          GPtrArray *models = gauge_admin_report_get_models (report);
          GPtrArray *users = gauge_admin_report_get_users (report);
          GPtrArray *days = gauge_admin_report_get_days (report);

          json_builder_set_member_name (builder, "models");
          json_builder_begin_array (builder);
          for (guint i = 0; i < models->len; i++)
            {
              GaugeAdminModelSummary *m = g_ptr_array_index (models, i);

              json_builder_begin_object (builder);
              add_string (builder, "model", m->model);
              add_money (builder, "cost", m->cost);
              add_int (builder, "input_tokens", m->input);
              add_int (builder, "output_tokens", m->output);
              add_int (builder, "cache_read_tokens", m->cache_read);
              add_int (builder, "cache_write_tokens", m->cache_write);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);

          json_builder_set_member_name (builder, "claude_code_users");
          json_builder_begin_array (builder);
          for (guint i = 0; i < users->len; i++)
            {
              GaugeAdminUserSummary *u = g_ptr_array_index (users, i);

              json_builder_begin_object (builder);
              add_string (builder, u->is_api_key ? "api_key_name" : "email", u->actor);
              add_int (builder, "sessions", u->sessions);
              add_int (builder, "lines_added", u->lines_added);
              add_int (builder, "lines_removed", u->lines_removed);
              add_int (builder, "commits", u->commits);
              add_int (builder, "pull_requests", u->pull_requests);
              add_int (builder, "tool_accepted", u->accepted);
              add_int (builder, "tool_rejected", u->rejected);
              add_money (builder, "cost", u->cost);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);

          json_builder_set_member_name (builder, "days");
          json_builder_begin_array (builder);
          for (guint i = 0; i < days->len; i++)
            {
              GaugeAdminDay *d = g_ptr_array_index (days, i);
              g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (d->day);
              g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

              json_builder_begin_object (builder);
              add_string (builder, "date", text);
              add_money (builder, "cost", d->total);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
    }

  json_builder_end_object (builder);
}

/* Adds "console": {…} (configured false without a key) to --status --json. */
void
gauge_cli_console_add_status (JsonBuilder *builder)
{
  g_autoptr(GaugeConsoleMonitor) monitor = run_once ();

  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_set_member_name (builder, "console");
  build_console (builder, monitor, FALSE);
}

static void
print_text (GaugeConsoleMonitor *monitor)
{
  GaugeAdminReport *report = gauge_console_monitor_get_report (monitor);
  g_autofree char *total = NULL;
  g_autofree char *projection = NULL;
  g_autofree char *month = NULL;
  GPtrArray *models, *workspaces, *users;

  if (report == NULL)
    return;

  total = gauge_admin_format_dollars (gauge_admin_report_get_total (report));
  projection = gauge_admin_format_dollars (gauge_admin_report_get_projection (report));
  month = g_date_time_format (gauge_admin_report_get_month_start (report), "%B %Y");

  g_print ("%s\n", gauge_admin_report_get_org_name (report));
  /* Translators: "Month to date (November 2025, UTC): $12.34" */
  g_print (_("Month to date (%s, UTC): %s\n"), month, total);
  g_print (_("Projected for the month: %s\n"), projection);

  models = gauge_admin_report_get_models (report);
  if (models->len > 0)
    g_print ("\n%s\n", _("By model"));
  for (guint i = 0; i < models->len; i++)
    {
      GaugeAdminModelSummary *m = g_ptr_array_index (models, i);
      g_autofree char *cost = gauge_admin_format_dollars (m->cost);
      g_autofree char *name = m->model != NULL ? gauge_model_name_display (m->model)
                                               /* Translators: Console spend not tied to a model */
                                               : g_strdup (_("Other"));
      g_autofree char *input = gauge_format_count (m->input);
      g_autofree char *output = gauge_format_count (m->output);

      /* Translators: "Sonnet 4.5   $12.50  1,104,266 in, 98,112 out" */
      g_print (_("  %-32s %12s  %s in, %s out\n"), name, cost, input, output);
    }

  workspaces = gauge_admin_report_get_workspaces (report);
  if (workspaces->len > 0)
    g_print ("\n%s\n", _("By workspace"));
  for (guint i = 0; i < workspaces->len; i++)
    {
      GaugeAdminWorkspaceSummary *w = g_ptr_array_index (workspaces, i);
      g_autofree char *cost = gauge_admin_format_dollars (w->cost);

      g_print ("  %-32s %12s\n", w->name, cost);
    }

  users = gauge_admin_report_get_users (report);
  if (users->len > 0)
    g_print ("\n%s\n", _("Claude Code by user"));
  for (guint i = 0; i < users->len; i++)
    {
      GaugeAdminUserSummary *u = g_ptr_array_index (users, i);
      g_autofree char *cost = gauge_admin_format_dollars (u->cost);
      g_autofree char *added = gauge_format_count (u->lines_added);
      g_autofree char *removed = gauge_format_count (u->lines_removed);

      /* Translators: one user's Claude Code sessions in the month */
      g_autofree char *sessions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld session",
                                                                "%lld sessions", gauge_plural_n (u->sessions)),
                                                   (long long) u->sessions);
      /* Translators: lines of code added and removed, "+1,204 −310 lines" */
      g_autofree char *lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+%s −%s line",
                                                             "+%s −%s lines",
                                                             gauge_plural_n (u->lines_added +
                                                                       u->lines_removed)),
                                                added, removed);
      g_autofree char *commits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld commit",
                                                               "%lld commits", gauge_plural_n (u->commits)),
                                                  (long long) u->commits);
      /* Translators: pull requests */
      g_autofree char *prs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld PR", "%lld PRs",
                                                           gauge_plural_n (u->pull_requests)),
                                              (long long) u->pull_requests);

      /* Translators: a user, the cost, then sessions, lines, commits and pull requests; keep
       * the widths (32 and 12) so the columns line up */
      g_print (_("  %-32s %12s  %s, %s, %s, %s\n"), u->actor, cost, sessions, lines, commits, prs);
    }
}

/* `claude-gauge --report=console [--json]`: one round, then the month so far. */
int
gauge_cli_report_console (gboolean json)
{
  g_autoptr(GaugeConsoleMonitor) monitor = NULL;
  const char *message;

  monitor = run_once ();
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      build_console (builder, monitor, TRUE);
      root = json_builder_get_root (builder);
      text = gauge_json_to_string (root);
      g_print ("%s\n", text);
    }

  if (monitor == NULL)
    {
      g_printerr ("%s\n", _("No Admin API key: set ANTHROPIC_ADMIN_KEY or add one in Preferences."));
      return GAUGE_CLI_EXIT_ERROR;
    }

  if (!json)
    print_text (monitor);

  message = gauge_console_monitor_get_error_message (monitor);
  if (message != NULL)
    g_printerr ("%s\n", message);

  return gauge_console_monitor_get_report (monitor) != NULL && message == NULL
         ? GAUGE_CLI_EXIT_HEALTHY : GAUGE_CLI_EXIT_ERROR;
}
