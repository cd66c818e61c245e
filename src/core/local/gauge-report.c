/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-report"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gauge-json.h"
#include "gauge-report.h"

#define DAY_MS ((gint64) 24 * 60 * 60 * 1000)

static void
model_usage_free (gpointer data)
{
  GaugeModelUsage *usage = data;

  g_free (usage->model);
  g_free (usage);
}

static GaugeReportRow *
row_new (const char *key)
{
  GaugeReportRow *row = g_new0 (GaugeReportRow, 1);

  row->key = g_strdup (key);
  row->models = g_ptr_array_new_with_free_func (g_free);
  row->breakdown = g_ptr_array_new_with_free_func (model_usage_free);
  return row;
}

static void
row_free (gpointer data)
{
  GaugeReportRow *row = data;

  g_free (row->key);
  g_free (row->project);
  g_ptr_array_unref (row->models);
  g_ptr_array_unref (row->breakdown);
  g_free (row);
}

void
gauge_report_free (GaugeReport *report)
{
  if (report == NULL)
    return;

  g_ptr_array_unref (report->rows);
  row_free (report->totals);
  g_ptr_array_unref (report->unpriced_models);
  g_free (report);
}

static GaugeModelUsage *
row_model (GaugeReportRow *row,
           const char     *name)
{
  GaugeModelUsage *usage;

  for (guint i = 0; i < row->breakdown->len; i++)
    {
      usage = g_ptr_array_index (row->breakdown, i);
      if (g_str_equal (usage->model, name))
        return usage;
    }

  usage = g_new0 (GaugeModelUsage, 1);
  usage->model = g_strdup (name);
  g_ptr_array_add (row->breakdown, usage);
  g_ptr_array_add (row->models, g_strdup (name));
  return usage;
}

static void
row_add (GaugeReportRow        *row,
         const GaugeLocalEntry *entry,
         const char            *name,
         gboolean               priced,
         double                 cost)
{
  /* A line without a model counts in the totals but in no model's breakdown, as in ccusage. */
  GaugeModelUsage *usage = name != NULL ? row_model (row, name) : NULL;
  gint64 creation = entry->cache_creation_5m_tokens + entry->cache_creation_1h_tokens;

  if (row->first_ms == 0 || entry->timestamp_ms < row->first_ms)
    row->first_ms = entry->timestamp_ms;
  row->last_ms = MAX (row->last_ms, entry->timestamp_ms);

  row->input_tokens += entry->input_tokens;
  row->output_tokens += entry->output_tokens;
  row->cache_creation_tokens += creation;
  row->cache_read_tokens += entry->cache_read_tokens;
  if (priced)
    row->cost_usd += cost;

  if (usage == NULL)
    return;

  usage->input_tokens += entry->input_tokens;
  usage->output_tokens += entry->output_tokens;
  usage->cache_creation_tokens += creation;
  usage->cache_read_tokens += entry->cache_read_tokens;
  if (priced)
    usage->cost_usd += cost;
  else
    usage->missing_pricing = TRUE;
}

static gint64
row_total (const GaugeReportRow *row)
{
  return row->input_tokens + row->output_tokens + row->cache_creation_tokens +
         row->cache_read_tokens;
}

static GDateTime *
local_time (gint64     ms,
            GTimeZone *time_zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms >= 0 ? ms / 1000 : (ms - 999) / 1000);

  return g_date_time_to_timezone (utc, time_zone);
}

static void
local_date (gint64     ms,
            GTimeZone *time_zone,
            GDate     *date)
{
  g_autoptr(GDateTime) local = local_time (ms, time_zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

static GDateWeekday
normal_weekday (GDateWeekday weekday)
{
  return g_date_valid_weekday (weekday) ? weekday : G_DATE_SUNDAY;
}

static void
week_start (GDate        *date,
            GDateWeekday  start_of_week)
{
  guint back = (g_date_get_weekday (date) - normal_weekday (start_of_week) + 7) % 7;

  g_date_subtract_days (date, back);
}

static char *
format_date (const GDate *date,
             gboolean     month_only)
{
  if (month_only)
    return g_strdup_printf ("%04u-%02u", g_date_get_year (date), g_date_get_month (date));
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static int
compare_rows_by_key (gconstpointer a,
                     gconstpointer b)
{
  const GaugeReportRow *x = *(GaugeReportRow * const *) a;
  const GaugeReportRow *y = *(GaugeReportRow * const *) b;

  return strcmp (x->key, y->key);
}

static int
compare_by_cost (double x,
                 double y)
{
  return (x < y) - (x > y);
}

static int
compare_rows_by_cost (gconstpointer a,
                      gconstpointer b)
{
  const GaugeReportRow *x = *(GaugeReportRow * const *) a;
  const GaugeReportRow *y = *(GaugeReportRow * const *) b;

  return compare_by_cost (x->cost_usd, y->cost_usd);
}

static int
compare_usage_by_cost (gconstpointer a,
                       gconstpointer b)
{
  const GaugeModelUsage *x = *(GaugeModelUsage * const *) a;
  const GaugeModelUsage *y = *(GaugeModelUsage * const *) b;

  return compare_by_cost (x->cost_usd, y->cost_usd);
}

static char *
row_key (GaugeReportKind        kind,
         const GaugeLocalEntry *entry,
         const GDate           *day,
         GDateWeekday           start_of_week)
{
  GDate date = *day;

  switch (kind)
    {
    case GAUGE_REPORT_WEEKLY:
      week_start (&date, start_of_week);
      return format_date (&date, FALSE);
    case GAUGE_REPORT_MONTHLY:
      return format_date (&date, TRUE);
    case GAUGE_REPORT_SESSION:
      return g_strdup (entry->session_id != NULL ? entry->session_id : "unknown");
    case GAUGE_REPORT_DAILY:
    default:
      return format_date (&date, FALSE);
    }
}

static GaugeModelUsage *
model_usage_copy (const GaugeModelUsage *usage)
{
  GaugeModelUsage *copy = g_memdup2 (usage, sizeof *usage);

  copy->model = g_strdup (usage->model);
  return copy;
}

static GaugeReportRow *
row_copy (const GaugeReportRow *row)
{
  GaugeReportRow *copy = g_memdup2 (row, sizeof *row);

  copy->key = g_strdup (row->key);
  copy->project = g_strdup (row->project);
  copy->models = g_ptr_array_new_full (row->models->len, g_free);
  for (guint i = 0; i < row->models->len; i++)
    g_ptr_array_add (copy->models, g_strdup (g_ptr_array_index (row->models, i)));
  copy->breakdown = g_ptr_array_new_full (row->breakdown->len, model_usage_free);
  for (guint i = 0; i < row->breakdown->len; i++)
    g_ptr_array_add (copy->breakdown, model_usage_copy (g_ptr_array_index (row->breakdown, i)));
  return copy;
}

struct _GaugeReportBuilder
{
  GaugeReport    *report;       /* rows in the order met, not sorted yet */
  GHashTable     *rows;         /* key → row of report->rows */
  GaugePricing   *pricing;
  GTimeZone      *time_zone;
  GaugeReportKind kind;
  GDateWeekday    start_of_week;
  GDate           since;        /* invalid for no bound */
  GDate           until;
  GaugeCostMode   mode;

  /* Entries come sorted, so runs share a day, a model and a row: each is worked out again
   * only when it may differ. None of it changes what the report says. */
  gboolean        have_day;
  gboolean        skip;
  gint64          day_bucket;
  GDate           day;
  char           *name;
  const char     *name_model;
  gboolean        name_fast;
  gboolean        have_name;
  GaugeReportRow *last_row;
};

/**
 * gauge_report_builder_new:
 *
 * A report made entry by entry (gauge_report_builder_add()): a copy taken
 * halfway (gauge_report_builder_copy()) and given the rest of the entries ends
 * as the report of all of them would, to the last bit of every cost.
 */
GaugeReportBuilder *
gauge_report_builder_new (GaugeReportKind          kind,
                          GaugePricing            *pricing,
                          const GaugeReportParams *params)
{
  GaugeReportBuilder *builder;

  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  builder = g_new0 (GaugeReportBuilder, 1);
  builder->report = g_new0 (GaugeReport, 1);
  builder->report->kind = kind;
  builder->report->rows = g_ptr_array_new_with_free_func (row_free);
  builder->report->totals = row_new ("Total");
  builder->report->unpriced_models = g_ptr_array_new_with_free_func (g_free);
  builder->report->malformed_lines = params->malformed_lines;
  builder->rows = g_hash_table_new (g_str_hash, g_str_equal);
  builder->pricing = g_object_ref (pricing);
  builder->time_zone = params->time_zone != NULL ? g_time_zone_ref (params->time_zone)
                                                 : g_time_zone_new_local ();
  builder->kind = kind;
  builder->start_of_week = params->start_of_week;
  g_date_clear (&builder->since, 1);
  g_date_clear (&builder->until, 1);
  if (params->since != NULL)
    builder->since = *params->since;
  if (params->until != NULL)
    builder->until = *params->until;
  builder->mode = params->mode;

  return builder;
}

GaugeReportBuilder *
gauge_report_builder_copy (const GaugeReportBuilder *builder)
{
  GaugeReportBuilder *copy;
  GaugeReport *report;

  g_return_val_if_fail (builder != NULL, NULL);

  copy = g_memdup2 (builder, sizeof *builder);
  copy->report = report = g_memdup2 (builder->report, sizeof *builder->report);
  report->rows = g_ptr_array_new_full (builder->report->rows->len, row_free);
  copy->rows = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < builder->report->rows->len; i++)
    {
      GaugeReportRow *row = row_copy (g_ptr_array_index (builder->report->rows, i));

      g_ptr_array_add (report->rows, row);
      g_hash_table_insert (copy->rows, row->key, row);
    }
  report->totals = row_copy (builder->report->totals);
  report->unpriced_models = g_ptr_array_new_full (builder->report->unpriced_models->len, g_free);
  for (guint i = 0; i < builder->report->unpriced_models->len; i++)
    g_ptr_array_add (report->unpriced_models,
                     g_strdup (g_ptr_array_index (builder->report->unpriced_models, i)));
  g_object_ref (copy->pricing);
  g_time_zone_ref (copy->time_zone);

  copy->have_day = FALSE;
  copy->have_name = FALSE;
  copy->name = NULL;
  copy->name_model = NULL;
  copy->last_row = NULL;

  return copy;
}

void
gauge_report_builder_free (GaugeReportBuilder *builder)
{
  if (builder == NULL)
    return;

  gauge_report_free (builder->report);
  g_hash_table_unref (builder->rows);
  g_object_unref (builder->pricing);
  g_time_zone_unref (builder->time_zone);
  g_free (builder->name);
  g_free (builder);
}

/* @entries: (array length=n_entries): sorted by time, after those added before */
void
gauge_report_builder_add (GaugeReportBuilder    *builder,
                          const GaugeLocalEntry *entries,
                          guint                  n_entries)
{
  GaugeReport *report;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);

  report = builder->report;

  for (guint i = 0; i < n_entries; i++)
    {
      const GaugeLocalEntry *entry = &entries[i];
      GaugeReportRow *row;
      gboolean priced;
      double cost = 0;
      gint64 bucket = gauge_local_bucket (entry->timestamp_ms);

      /* One 15-minute UTC bucket is one local day. */
      if (!builder->have_day || bucket != builder->day_bucket)
        {
          GDate new_day;

          local_date (entry->timestamp_ms, builder->time_zone, &new_day);
          builder->day_bucket = bucket;
          if (!builder->have_day || g_date_compare (&new_day, &builder->day) != 0)
            {
              builder->day = new_day;
              builder->skip = (g_date_valid (&builder->since) &&
                               g_date_compare (&builder->day, &builder->since) < 0) ||
                              (g_date_valid (&builder->until) &&
                               g_date_compare (&builder->day, &builder->until) > 0);
              builder->last_row = NULL;
            }
          builder->have_day = TRUE;
        }
      if (builder->skip)
        continue;

      if (!builder->have_name || entry->fast != builder->name_fast ||
          (entry->model != builder->name_model &&
           (entry->model == NULL || builder->name_model == NULL ||
            strcmp (entry->model, builder->name_model) != 0)))
        {
          g_free (builder->name);
          builder->name = gauge_local_entry_dup_model_name (entry);
          builder->name_model = entry->model;
          builder->name_fast = entry->fast;
          builder->have_name = TRUE;
        }

      if (builder->kind == GAUGE_REPORT_SESSION)
        {
          const char *session = entry->session_id != NULL ? entry->session_id : "unknown";

          row = builder->last_row != NULL && strcmp (builder->last_row->key, session) == 0
                ? builder->last_row : g_hash_table_lookup (builder->rows, session);
        }
      else
        row = builder->last_row;
      if (row == NULL)
        {
          g_autofree char *key = row_key (builder->kind, entry, &builder->day,
                                          builder->start_of_week);

          row = g_hash_table_lookup (builder->rows, key);
          if (row == NULL)
            {
              row = row_new (key);
              if (builder->kind == GAUGE_REPORT_SESSION)
                row->project = g_strdup (entry->project != NULL ? entry->project : "Unknown Project");
              g_ptr_array_add (report->rows, row);
              g_hash_table_insert (builder->rows, row->key, row);
            }
        }
      builder->last_row = row;

      priced = gauge_pricing_entry_cost (builder->pricing, entry, builder->mode, &cost);
      if (!priced && builder->name != NULL &&
          !g_ptr_array_find_with_equal_func (report->unpriced_models, builder->name, g_str_equal,
                                             NULL))
        g_ptr_array_add (report->unpriced_models, g_strdup (builder->name));

      row_add (row, entry, builder->name, priced, cost);
      row_add (report->totals, entry, builder->name, priced, cost);
    }
}

/**
 * gauge_report_builder_end:
 * @builder: (transfer full): freed
 *
 * Returns: (transfer full): the report, its rows and models in order
 */
GaugeReport *
gauge_report_builder_end (GaugeReportBuilder *builder)
{
  GaugeReport *report;

  g_return_val_if_fail (builder != NULL, NULL);

  report = g_steal_pointer (&builder->report);
  gauge_report_builder_free (builder);

  g_ptr_array_sort (report->rows,
                    report->kind == GAUGE_REPORT_SESSION ? compare_rows_by_cost
                                                         : compare_rows_by_key);
  for (guint i = 0; i < report->rows->len; i++)
    {
      GaugeReportRow *row = g_ptr_array_index (report->rows, i);

      g_ptr_array_sort (row->breakdown, compare_usage_by_cost);
    }
  g_ptr_array_sort (report->totals->breakdown, compare_usage_by_cost);

  return report;
}

/**
 * gauge_report_new:
 * @entries: (element-type GaugeLocalEntry): sorted by time; for days, weeks
 *   and months the sums of gauge_store_load_entry_sums() do as well
 *
 * Groups @entries by day, week, month or session in the time zone of
 * @params, as ccusage's reports do, with a per-model breakdown.
 */
GaugeReport *
gauge_report_new (GaugeReportKind          kind,
                  GArray                  *entries,
                  GaugePricing            *pricing,
                  const GaugeReportParams *params)
{
  GaugeReportBuilder *builder;

  g_return_val_if_fail (entries != NULL, NULL);
  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), NULL);

  builder = gauge_report_builder_new (kind, pricing, params);
  gauge_report_builder_add (builder, (const GaugeLocalEntry *) entries->data, entries->len);
  return gauge_report_builder_end (builder);
}

/**
 * gauge_report_get_day:
 *
 * Returns: (nullable): the row of @day in a daily report
 */
const GaugeReportRow *
gauge_report_get_day (GaugeReport *report,
                      const GDate *day)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (report->kind == GAUGE_REPORT_DAILY, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  key = format_date (day, FALSE);
  for (guint i = report->rows->len; i > 0; i--)
    {
      const GaugeReportRow *row = g_ptr_array_index (report->rows, i - 1);

      if (g_str_equal (row->key, key))
        return row;
    }
  return NULL;
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

static char *
iso_ms (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  g_autofree char *seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (((ms % 1000) + 1000) % 1000));
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = iso_ms (ms);

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
      g_autofree char *start = iso_ms (block->start_ms);
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
          gauge_json_add_double (builder, "tokensPerMinuteForIndicator", rate.tokens_per_minute_indicator);
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

/* Groups digits in threes: 1234567 → "1,234,567". */
static char *
format_tokens (gint64 tokens)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, tokens);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);
  gsize start = digits[0] == '-' ? 1 : 0;

  for (gsize i = 0; i < len; i++)
    {
      if (i > start && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
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
  g_autofree char *in_text = format_tokens (input);
  g_autofree char *out_text = format_tokens (output);
  g_autofree char *creation_text = format_tokens (creation);
  g_autofree char *read_text = format_tokens (read);
  g_autofree char *total_text = format_tokens (input + output + creation + read);
  g_autofree char *cost_text = cost_known ? g_strdup_printf ("$%.2f", cost)
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

static const char *
first_column (GaugeReportKind kind)
{
  switch (kind)
    {
    case GAUGE_REPORT_WEEKLY:
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

/**
 * gauge_report_to_text:
 *
 * A readable table: one line per period (or session) with its models,
 * optionally one line per model below it, the totals, and the models whose
 * cost is unknown.
 */
char *
gauge_report_to_text (GaugeReport *report,
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

          label_width = MAX (label_width, (int) g_utf8_strlen (usage->model, -1) + 4);
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
      g_autofree char *models = NULL;

      g_ptr_array_add (row->models, NULL);
      models = g_strjoinv (", ", (char **) row->models->pdata);
      g_ptr_array_remove_index (row->models, row->models->len - 1);

      append_row_line (out, row->key, row->input_tokens, row->output_tokens,
                       row->cache_creation_tokens, row->cache_read_tokens, row->cost_usd, TRUE,
                       label_width);
      if (!breakdown)
        g_string_append_printf (out, "  %s\n", models);

      for (guint j = 0; breakdown && j < row->breakdown->len; j++)
        {
          const GaugeModelUsage *usage = g_ptr_array_index (row->breakdown, j);
          g_autofree char *label = g_strconcat ("  └ ", usage->model, NULL);

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
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE,
                                              "%" G_GUINT64_FORMAT " transcript line could not be read.\n",
                                              "%" G_GUINT64_FORMAT " transcript lines could not be read.\n",
                                              report->malformed_lines),
                            report->malformed_lines);

  g_string_free (header, TRUE);
  return g_string_free (out, FALSE);
}

/**
 * gauge_blocks_to_text:
 *
 * One line per block (gaps included) in @time_zone; the active block gets
 * its burn rate, projection and status against @limit.
 */
char *
gauge_blocks_to_text (GPtrArray             *blocks,
                      gint64                 now_ms,
                      const GaugeBlockLimit *limit,
                      GTimeZone             *time_zone)
{
  g_autoptr(GTimeZone) local_zone = NULL;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (blocks != NULL, NULL);

  if (time_zone == NULL)
    time_zone = local_zone = g_time_zone_new_local ();

  if (blocks->len == 0)
    g_string_append_printf (out, "%s\n", _("No usage found."));

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      g_autoptr(GDateTime) start = local_time (block->start_ms, time_zone);
      g_autoptr(GDateTime) end = local_time (block->end_ms, time_zone);
      g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%d %H:%M");
      g_autofree char *end_text = g_date_time_format (end, "%H:%M");
      g_autofree char *tokens = format_tokens (gauge_block_get_total_tokens (block));
      GaugeBlockProjection projection;

      if (block->is_gap)
        {
          g_string_append_printf (out, "%s – %s  %s\n", start_text, end_text, _("(gap)"));
          continue;
        }

      g_string_append_printf (out, "%s – %s  %s%s  %s %s  $%.2f", start_text, end_text,
                              block->is_active ? _("ACTIVE") : "",
                              block->is_active ? " " : "", tokens, _("tokens"), block->cost_usd);
      if (block->unpriced_models->len > 0)
        g_string_append_printf (out, " %s", _("(+ unknown)"));
      g_string_append_c (out, '\n');

      if (block->is_active && gauge_block_get_projection (block, now_ms, &projection))
        {
          GaugeBurnRate rate;
          g_autofree char *projected = format_tokens (projection.total_tokens);

          gauge_block_get_burn_rate (block, &rate);
          g_string_append_printf (out, _("  burn rate %.0f tokens/min, $%.2f/h; "
                                         "projected %s tokens, $%.2f in %" G_GINT64_FORMAT " min\n"),
                                  rate.tokens_per_minute, rate.cost_per_hour, projected,
                                  projection.total_cost, projection.remaining_minutes);
          if (limit != NULL && limit->tokens > 0)
            {
              double percent;
              GaugeBlockStatus status = gauge_block_limit_status (limit, &projection, &percent);
              g_autofree char *limit_text = format_tokens (limit->tokens);

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

static gint64
local_midnight_ms (const GDate *date,
                   GTimeZone   *time_zone)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (time_zone, g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date), 0, 0, 0);

  return g_date_time_to_unix (midnight) * 1000;
}

/**
 * gauge_report_period_starts:
 * @time_zone: (nullable): %NULL for local
 * @billing_start_day: 1–28
 * @billing_start_ms: (out): local midnight of the billing period's first day
 * @week_start_ms: (out): local midnight of the week's first day
 *
 * Where the billing period and the week that hold @now_ms begin.
 */
void
gauge_report_period_starts (GTimeZone    *time_zone,
                            guint         billing_start_day,
                            GDateWeekday  start_of_week,
                            gint64        now_ms,
                            gint64       *billing_start_ms,
                            gint64       *week_start_ms)
{
  g_autoptr(GTimeZone) local_zone = NULL;
  GDate today, billing, week;

  g_return_if_fail (billing_start_ms != NULL && week_start_ms != NULL);

  if (time_zone == NULL)
    time_zone = local_zone = g_time_zone_new_local ();
  billing_start_day = CLAMP (billing_start_day, 1, 28);

  local_date (now_ms, time_zone, &today);

  billing = today;
  if (g_date_get_day (&today) < billing_start_day)
    g_date_subtract_months (&billing, 1);
  g_date_set_day (&billing, billing_start_day);
  *billing_start_ms = local_midnight_ms (&billing, time_zone);

  week = today;
  week_start (&week, start_of_week);
  *week_start_ms = local_midnight_ms (&week, time_zone);
}

struct _GaugePeriodWalk
{
  GaugePricing  *pricing;
  GTimeZone     *time_zone;
  GaugeCostMode  mode;
  gint64         billing_start_ms;
  gint64         week_start_ms;
  gint64         billing_tokens;
  double         billing_cost;
  gint64         week_tokens;
  double         week_cost;
  GHashTable    *sessions;      /* the week's session ids, the entries' own strings */
};

/**
 * gauge_period_walk_new:
 * @time_zone: (nullable): %NULL for local
 * @billing_start_ms: from gauge_report_period_starts()
 *
 * The sums behind #GaugePeriodFigures, made entry by entry: as with
 * gauge_report_builder_new(), a copy taken halfway and given the rest ends as
 * a walk over all the entries would. The entries' session ids must outlive it.
 */
GaugePeriodWalk *
gauge_period_walk_new (GaugePricing  *pricing,
                       GaugeCostMode  mode,
                       GTimeZone     *time_zone,
                       gint64         billing_start_ms,
                       gint64         week_start_ms)
{
  GaugePeriodWalk *walk;

  g_return_val_if_fail (GAUGE_IS_PRICING (pricing), NULL);

  walk = g_new0 (GaugePeriodWalk, 1);
  walk->pricing = g_object_ref (pricing);
  walk->time_zone = time_zone != NULL ? g_time_zone_ref (time_zone) : g_time_zone_new_local ();
  walk->mode = mode;
  walk->billing_start_ms = billing_start_ms;
  walk->week_start_ms = week_start_ms;
  walk->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  return walk;
}

GaugePeriodWalk *
gauge_period_walk_copy (const GaugePeriodWalk *walk)
{
  GaugePeriodWalk *copy;
  GHashTableIter iter;
  gpointer session;

  g_return_val_if_fail (walk != NULL, NULL);

  copy = g_memdup2 (walk, sizeof *walk);
  g_object_ref (copy->pricing);
  g_time_zone_ref (copy->time_zone);
  copy->sessions = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_iter_init (&iter, walk->sessions);
  while (g_hash_table_iter_next (&iter, &session, NULL))
    g_hash_table_add (copy->sessions, session);
  return copy;
}

void
gauge_period_walk_free (GaugePeriodWalk *walk)
{
  if (walk == NULL)
    return;

  g_object_unref (walk->pricing);
  g_time_zone_unref (walk->time_zone);
  g_hash_table_unref (walk->sessions);
  g_free (walk);
}

/* @entries: (array length=n_entries): sorted by time, after those added before */
void
gauge_period_walk_add (GaugePeriodWalk       *walk,
                       const GaugeLocalEntry *entries,
                       guint                  n_entries)
{
  g_return_if_fail (walk != NULL);
  g_return_if_fail (entries != NULL || n_entries == 0);

  for (guint i = 0; i < n_entries; i++)
    {
      const GaugeLocalEntry *entry = &entries[i];
      double cost = 0;
      gboolean in_billing = entry->timestamp_ms >= walk->billing_start_ms;
      gboolean in_week = entry->timestamp_ms >= walk->week_start_ms;

      if (!in_billing && !in_week)
        continue;
      if (!gauge_pricing_entry_cost (walk->pricing, entry, walk->mode, &cost))
        cost = 0;
      if (in_billing)
        {
          walk->billing_tokens += gauge_local_entry_total_tokens (entry);
          walk->billing_cost += cost;
        }
      if (in_week)
        {
          walk->week_tokens += gauge_local_entry_total_tokens (entry);
          walk->week_cost += cost;
          if (entry->session_id != NULL)
            g_hash_table_add (walk->sessions, entry->session_id);
        }
    }
}

/**
 * gauge_period_walk_end:
 * @walk: (transfer full): freed
 * @blocks: (element-type GaugeBlock): the blocks of the entries
 * @weekly_budget: tokens; 0 for none
 * @last_entry: (nullable): the newest entry
 */
void
gauge_period_walk_end (GaugePeriodWalk       *walk,
                       GPtrArray             *blocks,
                       guint64                weekly_budget,
                       const GaugeLocalEntry *last_entry,
                       gint64                 now_ms,
                       GaugePeriodFigures    *figures)
{
  const GaugeBlock *active;
  GDate today, week;

  g_return_if_fail (walk != NULL);
  g_return_if_fail (blocks != NULL && figures != NULL);

  memset (figures, 0, sizeof *figures);
  figures->billing_start_ms = walk->billing_start_ms;
  figures->billing_tokens = walk->billing_tokens;
  figures->billing_cost = walk->billing_cost;
  figures->week_start_ms = walk->week_start_ms;
  figures->week_tokens = walk->week_tokens;
  figures->week_cost = walk->week_cost;

  local_date (now_ms, walk->time_zone, &today);
  local_date (walk->week_start_ms, walk->time_zone, &week);
  figures->days_left_in_week = 7 - g_date_days_between (&week, &today);

  for (guint i = 0; i < blocks->len; i++)
    {
      const GaugeBlock *block = g_ptr_array_index (blocks, i);
      gint64 tokens = gauge_block_get_total_tokens (block);

      if (!block->is_gap && block->start_ms >= figures->billing_start_ms &&
          tokens > figures->largest_block_tokens)
        {
          figures->largest_block_tokens = tokens;
          figures->largest_block_cost = block->cost_usd;
        }
    }

  figures->week_sessions = g_hash_table_size (walk->sessions);
  figures->week_tokens_per_session = figures->week_sessions > 0
    ? (double) figures->week_tokens / figures->week_sessions : 0;
  figures->sessions_left = -1;
  if (weekly_budget > 0 && figures->week_tokens_per_session > 0)
    figures->sessions_left = MAX (0, ((double) weekly_budget - figures->week_tokens) /
                                     figures->week_tokens_per_session);

  active = gauge_blocks_get_active (blocks);
  figures->active_block_remaining_ms = active != NULL ? active->end_ms - now_ms : -1;
  figures->minutes_since_last_entry = last_entry != NULL
    ? (now_ms - last_entry->timestamp_ms) / 60000 : -1;

  gauge_period_walk_free (walk);
}

/**
 * gauge_report_period_figures:
 * @billing_start_day: 1–28
 * @weekly_budget: tokens; 0 for none
 *
 * The figures the window and the alerts show besides the reports: this
 * billing period, this week, the active block.
 */
void
gauge_report_period_figures (GArray             *entries,
                             GPtrArray          *blocks,
                             GaugePricing       *pricing,
                             GaugeCostMode       mode,
                             GTimeZone          *time_zone,
                             guint               billing_start_day,
                             GDateWeekday        start_of_week,
                             guint64             weekly_budget,
                             gint64              now_ms,
                             GaugePeriodFigures *figures)
{
  GaugePeriodWalk *walk;
  gint64 billing_start_ms, week_start_ms;

  g_return_if_fail (entries != NULL && blocks != NULL && figures != NULL);
  g_return_if_fail (GAUGE_IS_PRICING (pricing));

  gauge_report_period_starts (time_zone, billing_start_day, start_of_week, now_ms,
                              &billing_start_ms, &week_start_ms);
  walk = gauge_period_walk_new (pricing, mode, time_zone, billing_start_ms, week_start_ms);
  gauge_period_walk_add (walk, (const GaugeLocalEntry *) entries->data, entries->len);
  gauge_period_walk_end (walk, blocks, weekly_budget,
                         entries->len > 0
                           ? &g_array_index (entries, GaugeLocalEntry, entries->len - 1) : NULL,
                         now_ms, figures);
}

gboolean
gauge_weekday_from_string (const char   *str,
                           GDateWeekday *weekday)
{
  static const char * const names[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (str, names[i]) == 0)
      {
        *weekday = (GDateWeekday) (G_DATE_MONDAY + i);
        return TRUE;
      }
  return FALSE;
}
