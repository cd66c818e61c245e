/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-export"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gauge-cli.h"
#include "gauge-cli-export.h"
#include "gauge-cli-report.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-local-summary.h"
#include "gauge-pricing.h"
#include "gauge-report.h"
#include "gauge-settings.h"
#include "gauge-store-entries.h"
#include "gauge-store-readings.h"

/*
 * Times are ISO 8601 in UTC in both formats; CSV adds a local-time column
 * next to each so a spreadsheet reads naturally. --since/--until are local
 * days, both inclusive, as in --report.
 */

typedef enum { EXPORT_READINGS, EXPORT_ENTRIES, EXPORT_DAILY } ExportKind;

typedef struct
{
  ExportKind    kind;
  gboolean      json;
  GDate         since;
  GDate         until;
  gboolean      has_since;
  gboolean      has_until;
  GTimeZone    *zone;
} Export;

/* A table built column by column per row, written as CSV or JSON. */
typedef struct
{
  GPtrArray   *header;       /* column names */
  gboolean     json;
  GString     *out;
  JsonBuilder *builder;
  guint        column;
  gboolean     local_times;  /* CSV: a _local column after each time */
} Table;

/* RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
static void
append_csv_field (GString    *out,
                  const char *text)
{
  if (text == NULL)
    return;

  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
table_begin_row (Table *table)
{
  table->column = 0;
  if (table->json)
    json_builder_begin_object (table->builder);
}

static void
table_end_row (Table *table)
{
  if (table->json)
    json_builder_end_object (table->builder);
  else
    g_string_append (table->out, "\r\n");
}

static void
table_next (Table *table)
{
  if (!table->json && table->column > 0)
    g_string_append_c (table->out, ',');
  if (table->json)
    json_builder_set_member_name (table->builder, g_ptr_array_index (table->header, table->column));
  table->column++;
}

static void
table_add_string (Table      *table,
                  const char *value)
{
  table_next (table);
  if (table->json && value != NULL)
    json_builder_add_string_value (table->builder, value);
  else if (table->json)
    json_builder_add_null_value (table->builder);
  else
    append_csv_field (table->out, value);
}

static void
table_add_int (Table  *table,
               gint64  value)
{
  table_next (table);
  if (table->json)
    json_builder_add_int_value (table->builder, value);
  else
    g_string_append_printf (table->out, "%" G_GINT64_FORMAT, value);
}

/* NAN is null (JSON) or empty (CSV). */
static void
table_add_double (Table  *table,
                  double  value)
{
  table_next (table);
  if (table->json && isnan (value))
    json_builder_add_null_value (table->builder);
  else if (table->json)
    json_builder_add_double_value (table->builder, value);
  else if (!isnan (value))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (table->out, g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
    }
}

/* A unix time (0 for none) as ISO 8601 UTC, and in CSV its local time too. */
static void
table_add_time (Table     *table,
                GTimeZone *zone,
                gint64     unix_time)
{
  g_autoptr(GDateTime) utc = unix_time != 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
  g_autofree char *iso = gauge_format_iso8601 (utc);
  g_autofree char *clock = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : NULL;

  table_add_string (table, iso);
  if (!table->json)
    table_add_string (table, clock);
}

static void
table_init (Table              *table,
            gboolean            json,
            GString            *out,
            const char * const *columns,
            const char * const *time_columns)
{
  table->json = json;
  table->out = out;
  table->header = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; columns[i] != NULL; i++)
    {
      g_ptr_array_add (table->header, g_strdup (columns[i]));
      if (!json && time_columns != NULL && g_strv_contains (time_columns, columns[i]))
        g_ptr_array_add (table->header, g_strconcat (columns[i], "_local", NULL));
    }

  if (json)
    {
      table->builder = json_builder_new ();
      json_builder_begin_array (table->builder);
      return;
    }

  for (guint i = 0; i < table->header->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_csv_field (out, g_ptr_array_index (table->header, i));
    }
  g_string_append (out, "\r\n");
}

static void
table_finish (Table *table)
{
  if (table->json)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_end_array (table->builder);
      root = json_builder_get_root (table->builder);
      text = gauge_json_to_string (root);
      g_string_append (table->out, text);
      g_string_append_c (table->out, '\n');
    }

  g_clear_object (&table->builder);
  g_clear_pointer (&table->header, g_ptr_array_unref);
}

typedef struct
{
  const Export *export;
  Table        *table;
} ReadingsRun;

static void
add_reading (const GaugeStoredReading *reading,
             gpointer                  user_data)
{
  ReadingsRun *run = user_data;
  gboolean money = reading->currency != NULL;

  table_begin_row (run->table);
  table_add_time (run->table, run->export->zone, reading->fetched_at);
  table_add_string (run->table, reading->source);
  table_add_string (run->table, reading->window);
  table_add_string (run->table, reading->name);
  table_add_double (run->table, reading->utilization);
  table_add_time (run->table, run->export->zone, reading->resets_at);
  table_add_double (run->table, money ? reading->used_minor / 100.0 : NAN);
  table_add_double (run->table, money ? reading->limit_minor / 100.0 : NAN);
  table_add_string (run->table, reading->currency);
  table_add_string (run->table, reading->account);
  table_end_row (run->table);
}

static gboolean
export_readings (GaugeStore    *store,
                 const Export  *export,
                 Table         *table,
                 GError       **error)
{
  ReadingsRun run = { export, table };

  return gauge_store_foreach_reading (store,
                                      export->has_since
                                        ? gauge_day_start_ms (&export->since, export->zone, 0) / 1000
                                        : G_MININT64,
                                      export->has_until
                                        ? gauge_day_start_ms (&export->until, export->zone, 1) / 1000
                                        : G_MAXINT64,
                                      add_reading, &run, error);
}

/* The export's range in unix ms, @margin_days wider each side (0 for no bound). */
static void
export_range_ms (const Export *export,
                 int           margin_days,
                 gint64       *since_ms,
                 gint64       *until_ms)
{
  *since_ms = export->has_since
              ? (gauge_day_start_ms (&export->since, export->zone, -margin_days) / 1000) * 1000
              : 0;
  *until_ms = export->has_until
              ? (gauge_day_start_ms (&export->until, export->zone, 1 + margin_days) / 1000) * 1000
              : 0;
}

static gboolean
export_entries (GaugeStore    *store,
                const Export  *export,
                Table         *table,
                GError       **error)
{
  g_autoptr(GSettings) gsettings = gauge_settings_new_if_installed ();
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) pricing_error = NULL;
  GaugeLocalSummaryParams settings;
  gint64 since_ms, until_ms;

  export_range_ms (export, 0, &since_ms, &until_ms);
  entries = gauge_store_load_entries (store, since_ms, until_ms, error);
  if (entries == NULL)
    return FALSE;

  /* Each entry priced as the reports price it; a model without a price stays empty. */
  gauge_local_summary_params_init (&settings, gsettings);
  pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_printerr ("%s\n", pricing_error->message);

  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (entry->timestamp_ms / 1000);
      g_autoptr(GDateTime) exact = g_date_time_add (utc, (entry->timestamp_ms % 1000) * 1000);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (exact, export->zone);
      g_autofree char *iso = gauge_format_iso8601_ms (entry->timestamp_ms);
      g_autofree char *clock = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
      double cost;

      if (!gauge_pricing_entry_cost (pricing, entry, settings.mode, &cost))
        cost = NAN;

      table_begin_row (table);
      table_add_string (table, iso);
      if (!table->json)
        table_add_string (table, clock);
      table_add_string (table, entry->session_id);
      table_add_string (table, entry->project);
      table_add_string (table, entry->model);
      table_add_int (table, entry->input_tokens);
      table_add_int (table, entry->output_tokens);
      table_add_int (table, entry->cache_creation_5m_tokens);
      table_add_int (table, entry->cache_creation_1h_tokens);
      table_add_int (table, entry->cache_read_tokens);
      table_add_double (table, cost);
      table_end_row (table);
    }

  return TRUE;
}

static gboolean
export_daily (GaugeStore    *store,
              const Export  *export,
              Table         *table,
              GError       **error)
{
  g_autoptr(GSettings) gsettings = gauge_settings_new_if_installed ();
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GaugeReport) report = NULL;
  g_autoptr(GStringChunk) strings = NULL;   /* freed after sums, which point into it */
  g_autoptr(GArray) sums = NULL;
  g_autoptr(GError) pricing_error = NULL;
  GaugeLocalSummaryParams settings;
  GaugeReportParams params = { 0 };
  gint64 since_ms, until_ms;

  gauge_local_summary_params_init (&settings, gsettings);

  /* A day of margin each side: days are cut in the local time zone. */
  export_range_ms (export, 1, &since_ms, &until_ms);
  sums = gauge_store_load_entry_sums (store, since_ms, until_ms, &strings, error);
  if (sums == NULL)
    return FALSE;

  pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_printerr ("%s\n", pricing_error->message);

  params.time_zone = export->zone;
  params.start_of_week = settings.start_of_week;
  params.since = export->has_since ? (GDate *) &export->since : NULL;
  params.until = export->has_until ? (GDate *) &export->until : NULL;
  params.mode = settings.mode;
  report = gauge_report_new (GAUGE_REPORT_DAILY, sums, pricing, &params);

  for (guint i = 0; i < report->rows->len; i++)
    {
      const GaugeReportRow *row = g_ptr_array_index (report->rows, i);
      g_autofree char *models = NULL;

      g_ptr_array_add (row->models, NULL);
      models = g_strjoinv (";", (char **) row->models->pdata);
      g_ptr_array_remove_index (row->models, row->models->len - 1);

      table_begin_row (table);
      table_add_string (table, row->key);
      table_add_int (table, row->input_tokens);
      table_add_int (table, row->output_tokens);
      table_add_int (table, row->cache_creation_tokens);
      table_add_int (table, row->cache_read_tokens);
      table_add_int (table, row->input_tokens + row->output_tokens +
                            row->cache_creation_tokens + row->cache_read_tokens);
      table_add_double (table, row->cost_usd);
      table_add_string (table, models);
      table_end_row (table);
    }

  return TRUE;
}

static const char * const readings_columns[] = {
  "fetched_at", "source", "window", "name", "percent", "resets_at", "used", "limit", "currency",
  "account", NULL
};
static const char * const readings_times[] = { "fetched_at", "resets_at", NULL };
static const char * const entries_columns[] = {
  "timestamp", "session_id", "project", "model", "input_tokens", "output_tokens",
  "cache_creation_5m_tokens", "cache_creation_1h_tokens", "cache_read_tokens", "cost_usd", NULL
};
static const char * const entries_times[] = { "timestamp", NULL };
static const char * const daily_columns[] = {
  "date", "input_tokens", "output_tokens", "cache_creation_tokens", "cache_read_tokens",
  "total_tokens", "cost_usd", "models", NULL
};

static gboolean
parse_options (const char  *what,
               const char  *since,
               const char  *until,
               const char  *format,
               Export      *export,
               GError     **error)
{
  if (g_strcmp0 (what, "readings") == 0)
    export->kind = EXPORT_READINGS;
  else if (g_strcmp0 (what, "entries") == 0)
    export->kind = EXPORT_ENTRIES;
  else if (g_strcmp0 (what, "daily") == 0)
    export->kind = EXPORT_DAILY;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown export “%s”: use readings, entries or daily."),
                   what != NULL ? what : "");
      return FALSE;
    }

  if (format == NULL || g_str_equal (format, "csv"))
    export->json = FALSE;
  else if (g_str_equal (format, "json"))
    export->json = TRUE;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown format “%s”: use csv or json."), format);
      return FALSE;
    }

  export->has_since = since != NULL;
  if (since != NULL && !gauge_parse_day (since, &export->since))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--since needs a date as YYYY-MM-DD, not “%s”."), since);
      return FALSE;
    }
  export->has_until = until != NULL;
  if (until != NULL && !gauge_parse_day (until, &export->until))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--until needs a date as YYYY-MM-DD, not “%s”."), until);
      return FALSE;
    }
  if (since != NULL && until != NULL && g_date_compare (&export->since, &export->until) > 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--since is after --until."));
      return FALSE;
    }

  return TRUE;
}

/**
 * gauge_cli_export_write:
 *
 * Returns: %FALSE with @error set (G_OPTION_ERROR for bad options)
 */
gboolean
gauge_cli_export_write (GaugeStore  *store,
                        const char  *what,
                        const char  *since,
                        const char  *until,
                        const char  *format,
                        GString     *out,
                        GError     **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  Export export = { 0 };
  Table table = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (GAUGE_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!parse_options (what, since, until, format, &export, error))
    return FALSE;
  export.zone = zone;

  switch (export.kind)
    {
    case EXPORT_READINGS:
      table_init (&table, export.json, out, readings_columns, readings_times);
      ok = export_readings (store, &export, &table, error);
      break;
    case EXPORT_ENTRIES:
      table_init (&table, export.json, out, entries_columns, entries_times);
      ok = export_entries (store, &export, &table, error);
      break;
    case EXPORT_DAILY:
    default:
      table_init (&table, export.json, out, daily_columns, NULL);
      ok = export_daily (store, &export, &table, error);
      break;
    }

  table_finish (&table);

  return ok;
}

int
gauge_cli_export (const char *what,
                  const char *since,
                  const char *until,
                  const char *format)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Export export = { 0 };

  /* Bad options before the (slow) transcript index update. */
  if (!parse_options (what, since, until, format, &export, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint attempts = 0;;)
    {
      if (!gauge_store_open (store, &error))
        {
          gauge_cli_print_recovery (store);
          g_printerr (_("Cannot open the history: %s\n"), error->message);
          return 1;
        }

      if (!g_str_equal (what, "readings") && !gauge_cli_update_index (store, FALSE, NULL, &error))
        {
          if (gauge_cli_retry_on_new_store (&error, &attempts))
            continue;
          gauge_cli_print_recovery (store);
          g_printerr (_("Could not read the transcripts: %s\n"), error->message);
          return 1;
        }

      g_string_truncate (out, 0);
      if (!gauge_cli_export_write (store, what, since, until, format, out, &error))
        {
          if (gauge_cli_retry_on_new_store (&error, &attempts))
            continue;
          gauge_cli_print_recovery (store);
          g_printerr (_("Cannot read the history: %s\n"), error->message);
          return 1;
        }

      break;
    }

  gauge_cli_print_recovery (store);
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);

  return 0;
}
