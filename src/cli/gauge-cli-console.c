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

  if (!gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error))
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
  gauge_monitor_update_once_async (GAUGE_MONITOR (monitor), NULL, update_cb, &wait);
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

typedef void (*AddMembers) (JsonBuilder *builder, gconstpointer item);

/* "name": [ {…}, … ]: one object per item of @items, filled by @add_members. */
static void
add_array (JsonBuilder *builder,
           const char  *name,
           GPtrArray   *items,
           AddMembers   add_members)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      json_builder_begin_object (builder);
      add_members (builder, g_ptr_array_index (items, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_workspace (JsonBuilder   *builder,
               gconstpointer  item)
{
  const GaugeAdminWorkspaceSummary *w = item;

  add_string (builder, "id", w->id);
  add_string (builder, "name", w->name);
  add_money (builder, "cost", w->cost);
}

static void
add_model (JsonBuilder   *builder,
           gconstpointer  item)
{
  const GaugeAdminModelSummary *m = item;

  add_string (builder, "model", m->model);
  add_money (builder, "cost", m->cost);
  add_int (builder, "input_tokens", m->input);
  add_int (builder, "output_tokens", m->output);
  add_int (builder, "cache_read_tokens", m->cache_read);
  add_int (builder, "cache_write_tokens", m->cache_write);
}

static void
add_user (JsonBuilder   *builder,
          gconstpointer  item)
{
  const GaugeAdminUserSummary *u = item;

  add_string (builder, u->is_api_key ? "api_key_name" : "email", u->actor);
  add_int (builder, "sessions", u->sessions);
  add_int (builder, "lines_added", u->lines_added);
  add_int (builder, "lines_removed", u->lines_removed);
  add_int (builder, "commits", u->commits);
  add_int (builder, "pull_requests", u->pull_requests);
  add_int (builder, "tool_accepted", u->accepted);
  add_int (builder, "tool_rejected", u->rejected);
  add_money (builder, "cost", u->cost);
}

static void
add_day (JsonBuilder   *builder,
         gconstpointer  item)
{
  const GaugeAdminDay *d = item;
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (d->day);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  add_string (builder, "date", text);
  add_money (builder, "cost", d->total);
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

      add_string (builder, "month", month);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, "USD");
      add_money (builder, "month_to_date", gauge_admin_report_get_total (report));
      add_money (builder, "projection", gauge_admin_report_get_projection (report));
      add_money (builder, "claude_code_estimate", gauge_admin_report_get_code_total (report));
      add_array (builder, "workspaces", gauge_admin_report_get_workspaces (report),
                 add_workspace);
      if (full)
        {
          add_array (builder, "models", gauge_admin_report_get_models (report), add_model);
          add_array (builder, "claude_code_users", gauge_admin_report_get_users (report),
                     add_user);
          add_array (builder, "days", gauge_admin_report_get_days (report), add_day);
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

typedef void (*PrintItem) (gconstpointer item);

/* A heading, then a line per item; nothing when there are none. */
static void
print_section (const char *heading,
               GPtrArray  *items,
               PrintItem   print_item)
{
  if (items->len > 0)
    g_print ("\n%s\n", heading);
  for (guint i = 0; i < items->len; i++)
    print_item (g_ptr_array_index (items, i));
}

static void
print_model (gconstpointer item)
{
  const GaugeAdminModelSummary *m = item;
  g_autofree char *cost = gauge_admin_format_dollars (m->cost);
  g_autofree char *name = m->model != NULL ? gauge_model_name_display (m->model)
                                           /* Translators: Console spend not tied to a model */
                                           : g_strdup (_("Other"));
  g_autofree char *input = gauge_format_count (m->input);
  g_autofree char *output = gauge_format_count (m->output);

  /* Translators: "Sonnet 4.5   $12.50  1,104,266 in, 98,112 out" */
  g_print (_("  %-32s %12s  %s in, %s out\n"), name, cost, input, output);
}

static void
print_workspace (gconstpointer item)
{
  const GaugeAdminWorkspaceSummary *w = item;
  g_autofree char *cost = gauge_admin_format_dollars (w->cost);

  g_print ("  %-32s %12s\n", w->name, cost);
}

static void
print_user (gconstpointer item)
{
  const GaugeAdminUserSummary *u = item;
  g_autofree char *cost = gauge_admin_format_dollars (u->cost);
  g_autofree char *added = gauge_format_count (u->lines_added);
  g_autofree char *removed = gauge_format_count (u->lines_removed);

  /* Translators: one user's Claude Code sessions in the month */
  g_autofree char *sessions = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld session",
                                                            "%lld sessions",
                                                            gauge_plural_n (u->sessions)),
                                               (long long) u->sessions);
  /* Translators: lines of code added and removed, "+1,204 −310 lines" */
  g_autofree char *lines = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "+%s −%s line",
                                                         "+%s −%s lines",
                                                         gauge_plural_n (u->lines_added +
                                                                         u->lines_removed)),
                                            added, removed);
  g_autofree char *commits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld commit",
                                                           "%lld commits",
                                                           gauge_plural_n (u->commits)),
                                              (long long) u->commits);
  /* Translators: pull requests */
  g_autofree char *prs = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld PR", "%lld PRs",
                                                       gauge_plural_n (u->pull_requests)),
                                          (long long) u->pull_requests);

  /* Translators: a user, the cost, then sessions, lines, commits and pull requests; keep
   * the widths (32 and 12) so the columns line up */
  g_print (_("  %-32s %12s  %s, %s, %s, %s\n"), u->actor, cost, sessions, lines, commits, prs);
}

static void
print_text (GaugeConsoleMonitor *monitor)
{
  GaugeAdminReport *report = gauge_console_monitor_get_report (monitor);
  g_autofree char *total = NULL;
  g_autofree char *projection = NULL;
  g_autofree char *month = NULL;

  if (report == NULL)
    return;

  total = gauge_admin_format_dollars (gauge_admin_report_get_total (report));
  projection = gauge_admin_format_dollars (gauge_admin_report_get_projection (report));
  month = g_date_time_format (gauge_admin_report_get_month_start (report), "%B %Y");

  g_print ("%s\n", gauge_admin_report_get_org_name (report));
  /* Translators: "Month to date (November 2025, UTC): $12.34" */
  g_print (_("Month to date (%s, UTC): %s\n"), month, total);
  g_print (_("Projected for the month: %s\n"), projection);

  print_section (_("By model"), gauge_admin_report_get_models (report), print_model);
  print_section (_("By workspace"), gauge_admin_report_get_workspaces (report), print_workspace);
  print_section (_("Claude Code by user"), gauge_admin_report_get_users (report), print_user);
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
      gauge_cli_print_json (text);
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
