/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-report"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-blocks.h"
#include "gauge-format.h"
#include "gauge-report.h"

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
      gauge_week_start (&date, start_of_week);
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

          gauge_day_of_ms (entry->timestamp_ms, builder->time_zone, &new_day);
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
                row->project = g_strdup (entry->project != NULL ? entry->project
                                                                : "Unknown Project");
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
