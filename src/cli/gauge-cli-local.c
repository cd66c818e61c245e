/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-local"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-account.h"
#include "gauge-cli.h"
#include "gauge-cli-local.h"
#include "gauge-cli-report.h"
#include "gauge-clock.h"
#include "gauge-credentials.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-local-text.h"
#include "gauge-settings.h"
#include "gauge-store-entries.h"

/*
 * The local estimate on the command line: `--status` without a sign-in (and in
 * --json always), `--check-tokens`, and the seeds' --start-day and --plan.
 */

/**
 * gauge_cli_local_params:
 * @rate_limit_tier: (nullable): the credentials' tier, for the automatic plan
 *
 * The settings, then the options of this run over them. Says on stderr what is wrong.
 *
 * Returns: %FALSE for an option that is not valid
 */
gboolean
gauge_cli_local_params (const GaugeCliLocalOptions *options,
                        const char                 *rate_limit_tier,
                        GaugeLocalSummaryParams    *params)
{
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();
  guint64 day;

  gauge_local_summary_params_init (params, settings);
  params->rate_limit_tier = rate_limit_tier;

  if (options == NULL)
    return TRUE;

  if (options->start_day != NULL)
    {
      if (!g_ascii_string_to_unsigned (options->start_day, 10, 1, 28, &day, NULL))
        {
          g_printerr (_("--start-day needs a day of the month from 1 to 28, not “%s”.\n"),
                      options->start_day);
          return FALSE;
        }
      params->billing_start_day = (guint) day;
    }

  if (options->plan != NULL)
    {
      if (!gauge_plan_limit_from_string (options->plan, &params->plan))
        {
          g_printerr (_("Unknown plan “%s”: use pro, max5, max20, custom, custom_max or p90.\n"),
                      options->plan);
          return FALSE;
        }
      if (params->plan == GAUGE_PLAN_LIMIT_CUSTOM && params->custom_limit_tokens == 0)
        g_printerr ("%s\n", _("--plan=custom uses the custom token limit of the preferences, "
                              "which is not set: there is no block limit."));
    }

  return TRUE;
}

/* Whether the index holds any entry at all, however old. */
static gboolean
has_any_entry (GaugeStore *store)
{
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) sums = gauge_store_load_entry_sums (store, 0, 0, &strings, NULL);

  return sums != NULL && sums->len > 0;
}

/**
 * gauge_cli_local_summary:
 * @any_transcript: (out): whether the index holds any usage, even older than a summary reads
 *
 * Brings the transcript index up to date and sums it up. Says on stderr what went wrong.
 *
 * Returns: (transfer full) (nullable): the summary, %NULL when the history cannot be read
 */
GaugeLocalSummary *
gauge_cli_local_summary (GaugeStore                    *store,
                         const GaugeLocalSummaryParams *params,
                         gboolean                      *any_transcript)
{
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  *any_transcript = FALSE;
  for (guint attempts = 0;;)
    {
      if (gauge_store_open (store, &error) &&
          gauge_cli_update_index (store, FALSE, NULL, &error) &&
          (summary = gauge_local_summary_compute (store, params, 0,
                                                  gauge_clock_now_unix () * 1000,
                                                  &error)) != NULL)
        break;
      if (!gauge_cli_retry_on_new_store (&error, &attempts))
        break;
    }
  gauge_cli_print_recovery (store);

  if (summary == NULL)
    {
      g_printerr (_("Could not read the transcripts: %s\n"), error->message);
      return NULL;
    }

  *any_transcript = gauge_local_summary_has_entries (summary) || has_any_entry (store);
  return g_steal_pointer (&summary);
}

/* The tier of @folder's sign-in, for the automatic plan; %NULL without one. The first
 * account's folder, as --status has it from the first account's monitor. */
static char *
dup_rate_limit_tier (const char *folder)
{
  g_autofree char *path = gauge_account_credentials_path (folder);
  g_autoptr(GaugeCredentials) credentials = gauge_credentials_new_from_file (path, NULL);

  return credentials != NULL ? g_strdup (gauge_credentials_get_rate_limit_tier (credentials))
                             : NULL;
}

/**
 * gauge_cli_local_first_account:
 * @any_transcript: (out): whether the index holds any usage, as gauge_cli_local_summary()
 *
 * The first account's local estimate with the settings, as `--status` shows it without an
 * official reading: every folder's transcripts with one account, its own folder's among
 * several, against its plan's block limit.
 *
 * Returns: (transfer full) (nullable): the summary, %NULL when the history cannot be read
 */
GaugeLocalSummary *
gauge_cli_local_first_account (GaugeStore *store,
                               gboolean   *any_transcript)
{
  g_auto(GStrv) folders = gauge_cli_account_folders ();
  g_autofree char *tier = dup_rate_limit_tier (folders[0]);
  g_autoptr(GaugeEntryScope) scope = NULL;
  GaugeLocalSummaryParams params;

  gauge_cli_local_params (NULL, tier, &params);
  if (g_strv_length (folders) > 1)
    params.scope = scope = gauge_entry_scope_new_account ((const char * const *) folders,
                                                          folders[0]);
  return gauge_cli_local_summary (store, &params, any_transcript);
}

/* Rounded to 1/@scale, as people read it. */
static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value,
            double       scale)
{
  gauge_json_add_double (builder, name, round (value * scale) / scale);
}

static void
add_null (JsonBuilder *builder,
          const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_null_value (builder);
}

/* @value as add_double() has it when @known, else null. */
static void
add_double_if (JsonBuilder *builder,
               const char  *name,
               gboolean     known,
               double       value,
               double       scale)
{
  if (known)
    add_double (builder, name, value, scale);
  else
    add_null (builder, name);
}

static void
add_int_if (JsonBuilder *builder,
            const char  *name,
            gboolean     known,
            gint64       value)
{
  if (known)
    gauge_json_add_int (builder, name, value);
  else
    add_null (builder, name);
}

static void
add_limit (JsonBuilder       *builder,
           GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  GaugeBlockLimit limit;
  double percent = 0;
  gboolean has_percent;

  if (!gauge_local_summary_get_block_limit (summary, &limit))
    {
      add_null (builder, "limit");
      return;
    }

  json_builder_set_member_name (builder, "limit");
  json_builder_begin_object (builder);
  gauge_json_add_int (builder, "tokens", limit.tokens);
  /* The block's tokens the limit is set against are counted the same way. */
  gauge_json_add_string (builder, "counts", gauge_limit_measure_to_string (limit.measure));
  gauge_json_add_string (builder, "plan", gauge_plan_limit_to_string (limit.plan));
  json_builder_set_member_name (builder, "switched");
  json_builder_add_boolean_value (builder, limit.switched);
  gauge_json_add_string (builder, "switched_from",
                         limit.switched ? gauge_plan_limit_to_string (limit.switched_from) : NULL);
  add_int_if (builder, "used", block != NULL,
              block != NULL ? gauge_block_limit_count (&limit, block) : 0);
  has_percent = gauge_local_summary_get_block_percent (summary, &percent);
  add_double_if (builder, "percent", has_percent, percent, 10);
  json_builder_end_object (builder);
}

static void
add_block (JsonBuilder       *builder,
           GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  GaugeBurnRate rate;
  GaugeBlockProjection projection = { 0 };
  gboolean projected;

  json_builder_set_member_name (builder, "block");
  if (block == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  starts_at = gauge_format_iso8601_ms (block->start_ms);
  ends_at = gauge_format_iso8601_ms (block->end_ms);
  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "starts_at", starts_at);
  gauge_json_add_string (builder, "ends_at", ends_at);
  gauge_json_add_int (builder, "tokens", gauge_block_get_total_tokens (block));
  gauge_json_add_int (builder, "input_output_tokens", block->input_tokens + block->output_tokens);
  add_double (builder, "cost", block->cost_usd, 100);
  add_limit (builder, summary);

  json_builder_set_member_name (builder, "burn_rate");
  if (gauge_local_summary_get_burn_rate (summary, &rate))
    {
      json_builder_begin_object (builder);
      add_double (builder, "tokens_per_minute", rate.tokens_per_minute, 10);
      add_double (builder, "cost_per_hour", rate.cost_per_hour, 100);
      add_double (builder, "last_hour_tokens_per_minute",
                  figures->last_hour_tokens_per_minute, 10);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  projected = gauge_local_summary_get_projection (summary, &projection);
  add_int_if (builder, "projected_tokens", projected, projection.total_tokens);
  add_double_if (builder, "projected_cost", projected, projection.total_cost, 100);
  gauge_json_add_int (builder, "minutes_idle", figures->minutes_since_last_entry);
  json_builder_end_object (builder);
}

/* "@name": {"start", "tokens", "cost", …: what a week and a billing period begin with; the
 * caller adds its own members and ends the object. */
static void
begin_period (JsonBuilder *builder,
              const char  *name,
              gint64       start_ms,
              gint64       tokens,
              double       cost)
{
  g_autofree char *start = gauge_format_iso8601_ms (start_ms);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  gauge_json_add_string (builder, "start", start);
  gauge_json_add_int (builder, "tokens", tokens);
  add_double (builder, "cost", cost, 100);
}

static void
add_week (JsonBuilder       *builder,
          GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  guint64 budget = gauge_local_summary_get_weekly_budget (summary);
  double percent = 0;
  gboolean has_percent;

  begin_period (builder, "week", figures->week_start_ms, figures->week_tokens,
                figures->week_cost);
  gauge_json_add_int (builder, "sessions", figures->week_sessions);
  add_double (builder, "average_per_session", figures->week_tokens_per_session, 1);
  add_int_if (builder, "budget", budget > 0, (gint64) MIN (budget, (guint64) G_MAXINT64));
  has_percent = gauge_local_summary_get_week_percent (summary, &percent);
  add_double_if (builder, "percent", has_percent, percent, 10);
  add_double_if (builder, "sessions_left", figures->sessions_left >= 0, figures->sessions_left,
                 10);
  gauge_json_add_int (builder, "days_left", figures->days_left_in_week);
  json_builder_end_object (builder);
}

static void
add_billing_period (JsonBuilder       *builder,
                    GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);

  begin_period (builder, "billing_period", figures->billing_start_ms, figures->billing_tokens,
                figures->billing_cost);
  gauge_json_add_int (builder, "max_block_tokens", figures->largest_block_tokens);
  /* Sessions here are 5-hour blocks, as the monthly session budget counts them. */
  gauge_json_add_int (builder, "sessions", figures->billing_blocks);
  gauge_json_add_int (builder, "session_budget", gauge_local_summary_get_session_budget (summary));
  json_builder_end_object (builder);
}

/**
 * gauge_cli_local_add_json:
 * @summary: (nullable): %NULL when the history could not be read
 *
 * `"local": {"estimate": true, "block", "week", "billing_period"}`, or null.
 */
void
gauge_cli_local_add_json (JsonBuilder       *builder,
                          GaugeLocalSummary *summary)
{
  json_builder_set_member_name (builder, "local");
  if (summary == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "estimate");
  json_builder_add_boolean_value (builder, TRUE);
  add_block (builder, summary);
  add_week (builder, summary);
  add_billing_period (builder, summary);
  json_builder_end_object (builder);
}

/* One line: a title padded to a column, then the text. */
static void
print_line (const char *indent,
            const char *title,
            const char *text)
{
  g_autoptr(GString) line = g_string_new (indent);
  glong width = g_utf8_strlen (indent, -1) + 16;

  g_string_append (line, title);
  /* A long (translated) title still gets a space before its text. */
  do
    g_string_append_c (line, ' ');
  while (g_utf8_strlen (line->str, -1) < width);
  g_string_append (line, text);
  g_print ("%s\n", line->str);
}

/* The first line of the local estimate wherever it is shown in place of the official figures. */
const char *
gauge_cli_local_heading (void)
{
  return _("Local estimate from Claude Code transcripts (not Anthropic’s official figures)");
}

/* Takes @title and @text. */
static void
add_row (GPtrArray *rows,
         char      *title,
         char      *text)
{
  g_ptr_array_add (rows, title);
  g_ptr_array_add (rows, text);
}

/**
 * gauge_cli_local_rows:
 *
 * The local estimate's rows after its heading: the active block's, the week's and the billing
 * period's, each a title ("" where a row goes on with the one above) and its text.
 *
 * Returns: (transfer full) (element-type utf8): title, text, title, text, …
 */
GPtrArray *
gauge_cli_local_rows (GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);

  if (block != NULL)
    {
      gint64 total = gauge_block_get_total_tokens (block);
      g_autofree char *tokens = gauge_format_tokens (total);
      g_autofree char *cost = gauge_format_usd (block->cost_usd);
      /* Translators: "1.2M tokens · $3.40"; the first %s is a count of tokens, shortened */
      char *usage = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token · %s",
                                                  "%s tokens · %s", gauge_plural_n (total)),
                                     tokens, cost);
      char *limit = gauge_local_text_block (summary);
      char *burn = gauge_local_text_burn (summary);

      add_row (rows, g_strdup (_("5-hour block")), usage);
      if (limit != NULL)
        add_row (rows, g_strdup (""), limit);
      add_row (rows, g_strdup (""), gauge_local_text_ends (summary));
      if (burn != NULL)
        add_row (rows, g_strdup (""), burn);
    }
  else
    /* Translators: no 5-hour block of Claude Code use is open now */
    add_row (rows, g_strdup (_("5-hour block")), g_strdup (_("none active")));
  add_row (rows, g_strdup (_("This week")), gauge_local_text_week (summary));
  add_row (rows, gauge_local_text_billing_title (summary), gauge_local_text_billing (summary));

  return rows;
}

/* The local estimate as --status prints it when there is no official reading, each line
 * after @indent (an account's among several). */
void
gauge_cli_local_print (GaugeLocalSummary *summary,
                       const char        *indent)
{
  g_autoptr(GPtrArray) rows = gauge_cli_local_rows (summary);

  g_print ("%s%s\n", indent, gauge_cli_local_heading ());
  for (guint i = 0; i + 1 < rows->len; i += 2)
    print_line (indent, g_ptr_array_index (rows, i), g_ptr_array_index (rows, i + 1));
}

/**
 * gauge_cli_local_severity:
 * @with_block: whether the block counts (not when the official 5-hour window is known)
 *
 * The worst of the active block against its limit and the week against the weekly budget.
 */
GaugeSeverity
gauge_cli_local_severity (GaugeLocalSummary *summary,
                          gboolean           with_block,
                          double             warning,
                          double             critical)
{
  GaugeSeverity severity = GAUGE_SEVERITY_NORMAL;
  double percent;

  if (summary == NULL)
    return severity;
  if (with_block && gauge_local_summary_get_block_percent (summary, &percent))
    severity = MAX (severity, gauge_severity_for (percent, warning, critical));
  if (gauge_local_summary_get_week_percent (summary, &percent))
    severity = MAX (severity, gauge_severity_for (percent, warning, critical));
  return severity;
}

static const char *
severity_word (GaugeSeverity severity)
{
  switch (severity)
    {
    case GAUGE_SEVERITY_CRITICAL:
      /* Translators: the severity of a --check-tokens result, printed after a colon */
      return _("critical");
    case GAUGE_SEVERITY_WARNING:
      /* Translators: the severity of a --check-tokens result, printed after a colon */
      return _("warning");
    case GAUGE_SEVERITY_NORMAL:
    default:
      /* Translators: the severity of a --check-tokens result, printed after a colon */
      return _("ok");
    }
}

static int
exit_for (GaugeSeverity severity)
{
  return severity == GAUGE_SEVERITY_CRITICAL ? GAUGE_CLI_EXIT_CRITICAL
         : severity == GAUGE_SEVERITY_WARNING ? GAUGE_CLI_EXIT_WARNING
         : GAUGE_CLI_EXIT_HEALTHY;
}

/**
 * gauge_cli_check_tokens:
 * @tokens: the count as given
 *
 * `claude-gauge --check-tokens=N`: N tokens against the block limit, N plus the week's
 * total against the weekly budget; exits 0, 1 or 2 by the worse, 3 for bad input.
 */
int
gauge_cli_check_tokens (const char                 *tokens,
                        const GaugeCliLocalOptions *options)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();
  g_auto(GStrv) folders = NULL;
  g_autofree char *tier = NULL;
  g_autofree char *text = NULL;
  GaugeLocalSummaryParams params;
  GaugeSeverity severity = GAUGE_SEVERITY_NORMAL, one;
  GaugeBlockLimit limit;
  double warning = 80, critical = 95;
  gboolean any;
  guint64 n;

  if (tokens == NULL ||
      !g_ascii_string_to_unsigned (tokens, 10, 0, G_MAXINT64 / 2, &n, NULL))
    {
      g_printerr (_("--check-tokens needs a whole number of tokens (0 or more), not “%s”.\n"),
                  tokens != NULL ? tokens : "");
      return GAUGE_CLI_EXIT_ERROR;
    }

  folders = gauge_cli_account_folders ();
  tier = dup_rate_limit_tier (folders[0]);
  if (!gauge_cli_local_params (options, tier, &params))
    return GAUGE_CLI_EXIT_ERROR;
  if (settings != NULL)
    {
      warning = g_settings_get_double (settings, "warning-threshold");
      critical = g_settings_get_double (settings, "critical-threshold");
    }

  summary = gauge_cli_local_summary (store, &params, &any);
  if (summary == NULL)
    return GAUGE_CLI_EXIT_ERROR;

  text = gauge_format_tokens (n);
  if (gauge_local_summary_get_block_limit (summary, &limit))
    {
      g_autofree char *limit_text = gauge_local_text_limit (&limit);
      double percent = n * 100.0 / limit.tokens;

      one = gauge_severity_for (percent, warning, critical);
      severity = MAX (severity, one);
      /* Translators: "5-hour block: 50k tokens are 23 % of 220k input + output tokens (Max 20x): ok" */
      g_print (_("5-hour block: %s tokens are %.0f %% of %s: %s\n"), text, percent, limit_text,
               severity_word (one));
    }
  else
    g_print ("%s\n", _("5-hour block: no block limit is known."));

  if (params.weekly_budget > 0)
    {
      const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
      g_autofree char *week = gauge_format_tokens (figures->week_tokens);
      g_autofree char *sum = gauge_format_tokens (figures->week_tokens + (double) n);
      g_autofree char *budget = gauge_format_tokens (params.weekly_budget);
      double percent = (figures->week_tokens + (double) n) * 100 / params.weekly_budget;

      one = gauge_severity_for (percent, warning, critical);
      severity = MAX (severity, one);
      /* Translators: "Week: 228k so far + 50k = 278k tokens, 28 % of the 1M weekly budget: ok" */
      g_print (_("Week: %s so far + %s = %s tokens, %.0f %% of the %s weekly budget: %s\n"),
               week, text, sum, percent, budget, severity_word (one));
    }
  else
    g_print ("%s\n", _("Week: no weekly token budget is set (Preferences, or the "
                       "weekly-token-budget setting)."));

  return exit_for (severity);
}
