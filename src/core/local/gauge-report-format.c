/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-report-format"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-model-name.h"
#include "gauge-report-format.h"

static gint64
row_total (const GaugeReportRow *row)
{
  return row->input_tokens + row->output_tokens + row->cache_creation_tokens +
         row->cache_read_tokens;
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = gauge_format_iso8601_ms (ms);

  gauge_json_add_string (builder, name, text);
}

/* Members in ccusage's order (alphabetical), so diffs against it stay small. */
static void
add_row_members (JsonBuilder          *builder,
                 GaugeReportKind       kind,
                 const GaugeReportRow *row)
{
  gauge_json_add_int (builder, "cacheCreationTokens", row->cache_creation_tokens);
  gauge_json_add_int (builder, "cacheReadTokens", row->cache_read_tokens);
  if (kind == GAUGE_REPORT_DAILY)
    gauge_json_add_string (builder, "date", row->key);
  if (kind == GAUGE_REPORT_SESSION)
    add_time (builder, "firstActivity", row->first_ms);
  gauge_json_add_int (builder, "inputTokens", row->input_tokens);
  if (kind == GAUGE_REPORT_SESSION)
    add_time (builder, "lastActivity", row->last_ms);

  json_builder_set_member_name (builder, "modelBreakdowns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < row->breakdown->len; i++)
    {
      const GaugeModelUsage *usage = g_ptr_array_index (row->breakdown, i);

      json_builder_begin_object (builder);
      gauge_json_add_int (builder, "cacheCreationTokens", usage->cache_creation_tokens);
      gauge_json_add_int (builder, "cacheReadTokens", usage->cache_read_tokens);
      gauge_json_add_double (builder, "cost", usage->cost_usd);
      gauge_json_add_int (builder, "inputTokens", usage->input_tokens);
      if (usage->missing_pricing)
        {
          json_builder_set_member_name (builder, "missingPricing");
          json_builder_add_boolean_value (builder, TRUE);
        }
      gauge_json_add_string (builder, "modelName", usage->model);
      gauge_json_add_int (builder, "outputTokens", usage->output_tokens);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_strings (builder, "modelsUsed", row->models);
  if (kind == GAUGE_REPORT_MONTHLY)
    gauge_json_add_string (builder, "month", row->key);
  gauge_json_add_int (builder, "outputTokens", row->output_tokens);
  if (kind == GAUGE_REPORT_SESSION)
    {
      gauge_json_add_string (builder, "projectPath", row->project);
      gauge_json_add_string (builder, "sessionId", row->key);
    }
  gauge_json_add_double (builder, "totalCost", row->cost_usd);
  gauge_json_add_int (builder, "totalTokens", row_total (row));
  if (kind == GAUGE_REPORT_WEEKLY)
    gauge_json_add_string (builder, "week", row->key);
}

static const char *
list_name (GaugeReportKind kind)
{
  switch (kind)
    {
    case GAUGE_REPORT_WEEKLY:
      return "weekly";
    case GAUGE_REPORT_MONTHLY:
      return "monthly";
    case GAUGE_REPORT_SESSION:
      return "sessions";
    case GAUGE_REPORT_DAILY:
    default:
      return "daily";
    }
}

/**
 * gauge_report_to_json:
 *
 * The report with the field names of `ccusage claude daily --json` (or
 * weekly, monthly, session), plus "malformedLines" when the index skipped
 * lines.
 */
JsonNode *
gauge_report_to_json (GaugeReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GaugeReportRow *totals = report->totals;

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, list_name (report->kind));
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->rows->len; i++)
    {
      json_builder_begin_object (builder);
      add_row_members (builder, report->kind, g_ptr_array_index (report->rows, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (report->malformed_lines > 0)
    gauge_json_add_int (builder, "malformedLines", (gint64) report->malformed_lines);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_object (builder);
  gauge_json_add_int (builder, "cacheCreationTokens", totals->cache_creation_tokens);
  gauge_json_add_int (builder, "cacheReadTokens", totals->cache_read_tokens);
  gauge_json_add_int (builder, "inputTokens", totals->input_tokens);
  gauge_json_add_int (builder, "outputTokens", totals->output_tokens);
  gauge_json_add_double (builder, "totalCost", totals->cost_usd);
  gauge_json_add_int (builder, "totalTokens", row_total (totals));
  if (report->unpriced_models->len > 0)
    add_strings (builder, "unpricedModels", report->unpriced_models);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
add_token_counts (JsonBuilder      *builder,
                  const GaugeBlock *block)
{
  json_builder_set_member_name (builder, "tokenCounts");
  json_builder_begin_object (builder);
  gauge_json_add_int (builder, "cacheCreationInputTokens", block->cache_creation_tokens);
  gauge_json_add_int (builder, "cacheReadInputTokens", block->cache_read_tokens);
  gauge_json_add_int (builder, "inputTokens", block->input_tokens);
  gauge_json_add_int (builder, "outputTokens", block->output_tokens);
  json_builder_end_object (builder);
}

/**
 * gauge_blocks_to_json:
 * @limit: (nullable): adds ccusage's tokenLimitStatus to the active block
 *
 * The blocks with the field names of `ccusage claude blocks --json`.
 */
JsonNode *
gauge_blocks_to_json (GPtrArray             *blocks,
                      gint64                 now_ms,
                      const GaugeBlockLimit *limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (blocks != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "blocks");
  json_builder_begin_array (builder);
  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *start = gauge_format_iso8601_ms (block->start_ms);
      g_autofree char *id = block->is_gap ? g_strconcat ("gap-", start, NULL) : g_strdup (start);
      GaugeBurnRate rate;
      GaugeBlockProjection projection;
      gboolean projected = block->is_active &&
                           gauge_block_get_projection (block, now_ms, &projection);

      json_builder_begin_object (builder);
      if (block->is_gap)
        gauge_json_add_string (builder, "actualEndTime", NULL);
      else
        add_time (builder, "actualEndTime", block->last_ms);

      json_builder_set_member_name (builder, "burnRate");
      if (block->is_active && gauge_block_get_burn_rate (block, &rate))
        {
          json_builder_begin_object (builder);
          gauge_json_add_double (builder, "costPerHour", rate.cost_per_hour);
          gauge_json_add_double (builder, "tokensPerMinute", rate.tokens_per_minute);
          gauge_json_add_double (builder, "tokensPerMinuteForIndicator",
                                 rate.tokens_per_minute_indicator);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);

      gauge_json_add_double (builder, "costUSD", block->cost_usd);
      add_time (builder, "endTime", block->end_ms);
      gauge_json_add_int (builder, "entries", block->n_entries);
      gauge_json_add_string (builder, "id", id);
      json_builder_set_member_name (builder, "isActive");
      json_builder_add_boolean_value (builder, block->is_active);
      json_builder_set_member_name (builder, "isGap");
      json_builder_add_boolean_value (builder, block->is_gap);
      add_strings (builder, "models", block->models);

      json_builder_set_member_name (builder, "projection");
      if (projected)
        {
          json_builder_begin_object (builder);
          gauge_json_add_int (builder, "remainingMinutes", projection.remaining_minutes);
          gauge_json_add_double (builder, "totalCost", projection.total_cost);
          gauge_json_add_int (builder, "totalTokens", projection.total_tokens);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);

      add_time (builder, "startTime", block->start_ms);
      add_token_counts (builder, block);

      if (projected && limit != NULL && limit->tokens > 0)
        {
          double percent;
          GaugeBlockStatus status = gauge_block_limit_status (limit, &projection, &percent);

          json_builder_set_member_name (builder, "tokenLimitStatus");
          json_builder_begin_object (builder);
          gauge_json_add_int (builder, "limit", limit->tokens);
          gauge_json_add_double (builder, "percentUsed", percent);
          gauge_json_add_int (builder, "projectedUsage",
                   limit->measure == GAUGE_LIMIT_MEASURE_TOTAL ? projection.total_tokens
                                                               : projection.input_output_tokens);
          gauge_json_add_string (builder, "status", gauge_block_status_to_string (status));
          json_builder_end_object (builder);
        }

      gauge_json_add_int (builder, "totalTokens", gauge_block_get_total_tokens (block));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
append_cell (GString    *line,
             const char *text,
             int         width,
             gboolean    right)
{
  glong len = g_utf8_strlen (text, -1);

  if (right)
    for (glong i = len; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, text);
  if (!right)
    for (glong i = len; i < width; i++)
      g_string_append_c (line, ' ');
  g_string_append (line, "  ");
}

static void
append_row_line (GString    *out,
                 const char *label,
                 gint64      input,
                 gint64      output,
                 gint64      creation,
                 gint64      read,
                 double      cost,
                 gboolean    cost_known,
                 int         label_width)
{
  g_autofree char *in_text = gauge_format_count (input);
  g_autofree char *out_text = gauge_format_count (output);
  g_autofree char *creation_text = gauge_format_count (creation);
  g_autofree char *read_text = gauge_format_count (read);
  g_autofree char *total_text = gauge_format_count (input + output + creation + read);
  g_autofree char *cost_text = cost_known ? gauge_format_usd (cost)
                                          /* Translators: in a report, a model or project whose name is unknown */
                                          : g_strdup (_("unknown"));
  GString *line = g_string_new (NULL);

  append_cell (line, label, label_width, FALSE);
  append_cell (line, in_text, 13, TRUE);
  append_cell (line, out_text, 13, TRUE);
  append_cell (line, creation_text, 13, TRUE);
  append_cell (line, read_text, 15, TRUE);
  append_cell (line, total_text, 15, TRUE);
  append_cell (line, cost_text, 10, TRUE);
  g_strchomp (line->str);
  g_string_append_printf (out, "%s\n", line->str);
  g_string_free (line, TRUE);
}

/* "Sonnet 4.5, Haiku 4.5": the models as people know them (JSON keeps the ids). */
static char *
display_names (GPtrArray *models)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < models->len; i++)
    {
      g_autofree char *name = gauge_model_name_display (g_ptr_array_index (models, i));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
first_column (GaugeReportKind kind)
{
  switch (kind)
    {
    case GAUGE_REPORT_WEEKLY:
      /* Translators: the first column of a report: the week, month, session or day of a row */
      return _("Week");
    case GAUGE_REPORT_MONTHLY:
      return _("Month");
    case GAUGE_REPORT_SESSION:
      return _("Session");
    case GAUGE_REPORT_DAILY:
    default:
      return _("Date");
    }
}

static char *
report_text (GaugeReport *report,
             gboolean     breakdown)
{
  GString *out = g_string_new (NULL);
  GString *header = g_string_new (NULL);
  int label_width = 12;

  g_return_val_if_fail (report != NULL, NULL);

  for (guint i = 0; i < report->rows->len; i++)
    {
      const GaugeReportRow *row = g_ptr_array_index (report->rows, i);

      label_width = MAX (label_width, (int) g_utf8_strlen (row->key, -1));
      for (guint j = 0; breakdown && j < row->breakdown->len; j++)
        {
          const GaugeModelUsage *usage = g_ptr_array_index (row->breakdown, j);
          g_autofree char *name = gauge_model_name_display (usage->model);

          label_width = MAX (label_width, (int) g_utf8_strlen (name, -1) + 4);
        }
    }

  append_cell (header, first_column (report->kind), label_width, FALSE);
  append_cell (header, _("Input"), 13, TRUE);
  append_cell (header, _("Output"), 13, TRUE);
  append_cell (header, _("Cache create"), 13, TRUE);
  append_cell (header, _("Cache read"), 15, TRUE);
  append_cell (header, _("Total tokens"), 15, TRUE);
  append_cell (header, _("Cost (USD)"), 10, TRUE);
  g_strchomp (header->str);
  g_string_append_printf (out, "%s\n", header->str);

  if (report->rows->len == 0)
    g_string_append_printf (out, "%s\n", _("No usage in this period."));

  for (guint i = 0; i < report->rows->len; i++)
    {
      const GaugeReportRow *row = g_ptr_array_index (report->rows, i);
      g_autofree char *models = display_names (row->models);

      append_row_line (out, row->key, row->input_tokens, row->output_tokens,
                       row->cache_creation_tokens, row->cache_read_tokens, row->cost_usd, TRUE,
                       label_width);
      if (!breakdown)
        g_string_append_printf (out, "  %s\n", models);

      for (guint j = 0; breakdown && j < row->breakdown->len; j++)
        {
          const GaugeModelUsage *usage = g_ptr_array_index (row->breakdown, j);
          g_autofree char *name = gauge_model_name_display (usage->model);
          g_autofree char *label = g_strconcat ("  └ ", name, NULL);

          append_row_line (out, label, usage->input_tokens, usage->output_tokens,
                           usage->cache_creation_tokens, usage->cache_read_tokens,
                           usage->cost_usd, !usage->missing_pricing, label_width);
        }
    }

  append_row_line (out, _("Total"), report->totals->input_tokens, report->totals->output_tokens,
                   report->totals->cache_creation_tokens, report->totals->cache_read_tokens,
                   report->totals->cost_usd, TRUE, label_width);

  if (report->unpriced_models->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (report->unpriced_models, NULL);
      names = g_strjoinv (", ", (char **) report->unpriced_models->pdata);
      g_ptr_array_remove_index (report->unpriced_models, report->unpriced_models->len - 1);
      g_string_append_printf (out, _("Cost unknown for %s: not in the price table, not counted "
                                     "in the totals.\n"), names);
    }
  if (report->malformed_lines > 0)
    /* A plain C type, not G_GUINT64_FORMAT: xgettext cannot see through GLib's macro. */
    g_string_append_printf (out,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%llu transcript line could not be read.\n",
                                         "%llu transcript lines could not be read.\n",
                                         gauge_plural_n ((gint64) MIN (report->malformed_lines, G_MAXINT64))),
                            (unsigned long long) report->malformed_lines);

  g_string_free (header, TRUE);
  return g_string_free (out, FALSE);
}

/**
 * gauge_report_to_text:
 *
 * A readable table: one line per period (or session) with its models,
 * optionally one line per model below it, the totals, and the models whose
 * cost is unknown. Numbers as ccusage writes them ("1,234.50") in every locale;
 * words and dates in the user's language.
 */
char *
gauge_report_to_text (GaugeReport *report,
                      gboolean     breakdown)
{
  gpointer plain = gauge_format_plain_numbers_begin ();
  char *text = report_text (report, breakdown);

  gauge_format_plain_numbers_end (plain);
  return text;
}

/* A block's end: the time alone on its start's day, with the date on another. */
static char *
format_block_end (GDateTime *start,
                  GDateTime *end)
{
  gboolean same_day = g_date_time_get_year (start) == g_date_time_get_year (end) &&
                      g_date_time_get_day_of_year (start) == g_date_time_get_day_of_year (end);

  return g_date_time_format (end, same_day ? "%H:%M" : "%Y-%m-%d %H:%M");
}

static char *
blocks_text (GPtrArray             *blocks,
             gint64                 now_ms,
             const GaugeBlockLimit *limit,
             GTimeZone             *time_zone)
{
  g_autoptr(GTimeZone) local_zone = NULL;
  GString *out = g_string_new (NULL);
  GString *header;

  g_return_val_if_fail (blocks != NULL, NULL);

  if (time_zone == NULL)
    time_zone = local_zone = g_time_zone_new_local ();

  if (blocks->len == 0)
    {
      g_string_append_printf (out, "%s\n", _("No usage found."));
      return g_string_free (out, FALSE);
    }

  header = g_string_new (NULL);
  append_cell (header, _("Block start"), 16, FALSE);
  /* Translators: a report column, when a 5-hour block ends */
  append_cell (header, _("End"), 16, FALSE);
  append_cell (header, _("Tokens"), 13, TRUE);
  append_cell (header, _("Cost (USD)"), 10, TRUE);
  g_strchomp (header->str);
  g_string_append_printf (out, "%s\n", header->str);
  g_string_free (header, TRUE);

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      g_autoptr(GDateTime) start = gauge_date_time_from_ms (block->start_ms, time_zone);
      g_autoptr(GDateTime) end = gauge_date_time_from_ms (block->end_ms, time_zone);
      g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%d %H:%M");
      g_autofree char *end_text = format_block_end (start, end);
      g_autofree char *tokens = gauge_format_count (gauge_block_get_total_tokens (block));
      g_autofree char *cost = gauge_format_usd (block->cost_usd);
      GString *line = g_string_new (NULL);
      GaugeBlockProjection projection;

      append_cell (line, start_text, 16, FALSE);
      append_cell (line, end_text, 16, FALSE);
      if (block->is_gap)
        /* Translators: in the blocks report, hours without Claude Code use between two blocks */
        append_cell (line, _("(gap)"), 13, TRUE);
      else
        {
          append_cell (line, tokens, 13, TRUE);
          append_cell (line, cost, 10, TRUE);
          if (block->unpriced_models->len > 0)
            append_cell (line, _("(+ unknown)"), 0, FALSE);
          if (block->is_active)
            /* Translators: in the blocks report, the 5-hour block that is still open */
            append_cell (line, _("ACTIVE"), 0, FALSE);
        }
      g_strchomp (line->str);
      g_string_append_printf (out, "%s\n", line->str);
      g_string_free (line, TRUE);

      if (block->is_active && gauge_block_get_projection (block, now_ms, &projection))
        {
          GaugeBurnRate rate;
          g_autofree char *projected = gauge_format_count (projection.total_tokens);
          g_autofree char *per_minute = NULL;

          gauge_block_get_burn_rate (block, &rate);
          per_minute = gauge_format_count ((gint64) round (rate.tokens_per_minute));
          /* Translators: "min" is minutes; %lld, not G_GINT64_FORMAT, which xgettext cannot read */
          g_string_append_printf (out, _("  burn rate %s tokens/min, $%.2f/h; projected %s "
                                         "tokens, $%.2f in %lld min\n"),
                                  per_minute, rate.cost_per_hour, projected,
                                  projection.total_cost, (long long) projection.remaining_minutes);
          if (limit != NULL && limit->tokens > 0)
            {
              double percent;
              GaugeBlockStatus status = gauge_block_limit_status (limit, &projection, &percent);
              g_autofree char *limit_text = gauge_format_count (limit->tokens);

              g_string_append_printf (out, _("  limit %s tokens%s: %.0f %% projected (%s)\n"),
                                      limit_text,
                                      limit->measure == GAUGE_LIMIT_MEASURE_INPUT_OUTPUT
                                        ? _(" (input + output)") : "",
                                      percent, gauge_block_status_to_string (status));
            }
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * gauge_blocks_to_text:
 *
 * A table with one line per block (gaps included) in @time_zone; the active block gets
 * its burn rate, projection and status against @limit below it. Numbers as ccusage writes
 * them in every locale.
 */
char *
gauge_blocks_to_text (GPtrArray             *blocks,
                      gint64                 now_ms,
                      const GaugeBlockLimit *limit,
                      GTimeZone             *time_zone)
{
  gpointer plain = gauge_format_plain_numbers_begin ();
  char *text = blocks_text (blocks, now_ms, limit, time_zone);

  gauge_format_plain_numbers_end (plain);
  return text;
}
