/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-history-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <stdio.h>

#include "gauge-chart.h"
#include "gauge-heatmap.h"
#include "gauge-history.h"
#include "gauge-history-view.h"
#include "gauge-pricing.h"

/*
 * History: one chart per official window over the chosen range, then local
 * usage (cost per day stacked by model, tokens per hour for the last day, a
 * year's calendar of daily cost). Everything is read on a worker thread in
 * one GTask; a newer load cancels the older one, so the main loop only ever
 * hands finished arrays to the charts.
 */

#define CHART_POINTS  800   /* buckets per series: about the chart's width in pixels */
#define MAX_MODELS    4     /* stacked series before "Other" */
#define HOUR_MS       (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS        (24 * HOUR_MS)
#define HEATMAP_DAYS  365

struct _GaugeHistoryView
{
  GtkWidget          parent_instance;

  GaugeStore        *store;
  GaugeMonitor      *monitor;
  GSettings         *settings;
  GCancellable      *cancellable;
  GaugeHistoryRange  range;
  gboolean           empty;

  GtkStack          *stack;
  GtkWidget         *windows_box;
  GtkToggleButton   *range_day;
  GtkToggleButton   *range_week;
  GtkToggleButton   *range_month;
  GtkToggleButton   *range_quarter;
  GtkToggleButton   *range_year;
  GaugeChart        *daily_chart;
  GaugeChart        *hourly_chart;
  GaugeHeatmap      *heatmap;
  GtkWidget         *daily_heading;
};

G_DEFINE_FINAL_TYPE (GaugeHistoryView, gauge_history_view, GTK_TYPE_WIDGET)

enum {
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct
{
  gint64      span_ms;
  const char *label;
} ranges[] = {
  [GAUGE_HISTORY_RANGE_DAY]     = { DAY_MS,       N_("last 24 h") },
  [GAUGE_HISTORY_RANGE_WEEK]    = { 7 * DAY_MS,   N_("last 7 days") },
  [GAUGE_HISTORY_RANGE_MONTH]   = { 30 * DAY_MS,  N_("last 30 days") },
  [GAUGE_HISTORY_RANGE_QUARTER] = { 90 * DAY_MS,  N_("last 90 days") },
  [GAUGE_HISTORY_RANGE_YEAR]    = { 365 * DAY_MS, N_("last year") },
};

/* --- What a load produces ------------------------------------------------- */

typedef struct
{
  char   *id;
  char   *name;
  GArray *points;   /* GaugeChartPoint */
  GArray *resets;   /* gint64 ms */
} WindowSeries;

/* Buckets stacked by series, for a bar chart. */
typedef struct
{
  GArray    *starts;   /* gint64 ms */
  GPtrArray *names;
  GArray    *values;   /* double, starts × names */
} Bars;

typedef struct
{
  /* In */
  GaugeStore    *store;
  gint64         now_ms;
  gint64         since_ms;
  gint64         gap_ms;
  GaugeCostMode  mode;
  GDateWeekday   week_start;

  /* Out */
  GPtrArray     *windows;       /* WindowSeries */
  Bars           daily;
  gint64         daily_since_ms;
  Bars           hourly;
  GDate          last_day;
  GArray        *heatmap;       /* double, HEATMAP_DAYS */
  gboolean       any_entries;
  gboolean       any_readings;
} Load;

static void
window_series_free (gpointer data)
{
  WindowSeries *series = data;

  g_free (series->id);
  g_free (series->name);
  g_clear_pointer (&series->points, g_array_unref);
  g_clear_pointer (&series->resets, g_array_unref);
  g_free (series);
}

static void
bars_clear (Bars *bars)
{
  g_clear_pointer (&bars->starts, g_array_unref);
  g_clear_pointer (&bars->names, g_ptr_array_unref);
  g_clear_pointer (&bars->values, g_array_unref);
}

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_object (&load->store);
  g_clear_pointer (&load->windows, g_ptr_array_unref);
  bars_clear (&load->daily);
  bars_clear (&load->hourly);
  g_clear_pointer (&load->heatmap, g_array_unref);
  g_free (load);
}

/* --- Worker thread -------------------------------------------------------- */

/* "claude-opus-4-1-20250805" → "opus-4-1": what fits in a legend. */
static char *
short_model (const char *model)
{
  const char *start;
  const char *end;

  if (model == NULL || *model == '\0')
    return g_strdup (_("Unknown"));

  start = g_str_has_prefix (model, "claude-") ? model + strlen ("claude-") : model;
  end = start + strlen (start);
  /* Drop a trailing -YYYYMMDD. */
  if (end - start > 9 && end[-9] == '-' &&
      strspn (end - 8, "0123456789") == 8)
    end -= 9;
  return g_strndup (start, end - start);
}

static gint64
local_midnight_ms (gint64 t_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);

  return g_date_time_to_unix (midnight) * 1000;
}

static WindowSeries *
load_window (Load                     *load,
             const GaugeHistoryWindow *window,
             GError                  **error)
{
  g_autoptr(GArray) history = NULL;
  WindowSeries *series;

  history = gauge_store_load_series (load->store, window->id,
                                     load->since_ms / 1000, load->now_ms / 1000 + 1,
                                     CHART_POINTS, GAUGE_HISTORY_MAX, error);
  if (history == NULL)
    return NULL;

  series = g_new0 (WindowSeries, 1);
  series->id = g_strdup (window->id);
  series->name = g_strdup (window->name != NULL ? window->name : window->id);
  series->points = g_array_sized_new (FALSE, FALSE, sizeof (GaugeChartPoint), history->len);
  series->resets = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < history->len; i++)
    {
      const GaugeHistoryPoint *point = &g_array_index (history, GaugeHistoryPoint, i);
      const GaugeHistoryPoint *previous = i > 0 ? point - 1 : NULL;
      GaugeChartPoint chart_point = { point->t * 1000, point->value };

      if (gauge_history_point_starts_period (previous, point))
        {
          /* The announced reset time when it lies between the readings. */
          gint64 reset = previous->resets_at > previous->t && previous->resets_at <= point->t
                         ? previous->resets_at : point->t;
          gint64 reset_ms = reset * 1000;

          g_array_append_val (series->resets, reset_ms);
        }
      g_array_append_val (series->points, chart_point);
    }

  return series;
}

typedef struct
{
  char   *name;
  double  total;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  return (x->total < y->total) - (x->total > y->total);
}

/* Bars from (bucket, model, value) triples: the biggest models by total, the rest as "Other". */
static void
bars_build (Bars       *bars,
            gint64      first_ms,
            guint       n_buckets,
            gint64      bucket_ms,
            GHashTable *by_model)   /* short name → double[n_buckets] */
{
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  GHashTableIter iter;
  gpointer key, value;
  guint n_series;
  gboolean other;

  g_hash_table_iter_init (&iter, by_model);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Ranked r = { key, 0.0 };

      for (guint b = 0; b < n_buckets; b++)
        r.total += ((double *) value)[b];
      if (r.total > 0.0)
        g_array_append_val (ranked, r);
    }
  g_array_sort (ranked, compare_ranked);

  other = ranked->len > MAX_MODELS + 1;
  n_series = other ? MAX_MODELS + 1 : ranked->len;

  bars->starts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_buckets);
  bars->names = g_ptr_array_new_with_free_func (g_free);
  bars->values = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (bars->values, n_buckets * n_series);

  for (guint b = 0; b < n_buckets; b++)
    {
      gint64 start = first_ms + b * bucket_ms;

      g_array_append_val (bars->starts, start);
    }

  for (guint s = 0; s < n_series; s++)
    g_ptr_array_add (bars->names, g_strdup (other && s == MAX_MODELS
                                              ? _("Other")
                                              : g_array_index (ranked, Ranked, s).name));

  for (guint r = 0; r < ranked->len; r++)
    {
      const double *per_bucket = g_hash_table_lookup (by_model,
                                                      g_array_index (ranked, Ranked, r).name);
      guint s = MIN (r, n_series - 1);

      for (guint b = 0; b < n_buckets; b++)
        g_array_index (bars->values, double, b * n_series + s) += per_bucket[b];
    }
}

static double *
bucket_for (GHashTable *by_model,
            const char *model,
            guint       n_buckets)
{
  g_autofree char *name = short_model (model);
  double *values = g_hash_table_lookup (by_model, name);

  if (values == NULL)
    {
      values = g_new0 (double, n_buckets);
      g_hash_table_insert (by_model, g_steal_pointer (&name), values);
    }
  return values;
}

/* Local days back from today: 0 for today, -1 for the future. */
static int
days_ago (gint64 t_ms,
          gint64 today_ms)
{
  gint64 midnight = local_midnight_ms (t_ms);

  if (midnight > today_ms)
    return -1;
  /* Rounded: a DST day is 23 or 25 hours. */
  return (int) ((today_ms - midnight + 12 * HOUR_MS) / DAY_MS);
}

static gboolean
load_local (Load    *load,
            GError **error)
{
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (load->now_ms / 1000);
  g_autoptr(GDateTime) now_local = g_date_time_to_local (now_utc);
  gint64 today_ms = local_midnight_ms (load->now_ms);
  gint64 year_ms = local_midnight_ms (today_ms - (HEATMAP_DAYS - 1) * DAY_MS + 12 * HOUR_MS);
  guint n_days;
  gint64 hour0_ms;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GError) pricing_error = NULL;
  g_autoptr(GHashTable) daily = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) hourly = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 cached_day_start = G_MININT64;
  int cached_days_ago = -1;

  g_date_clear (&load->last_day, 1);
  g_date_set_dmy (&load->last_day, g_date_time_get_day_of_month (now_local),
                  g_date_time_get_month (now_local), g_date_time_get_year (now_local));
  load->heatmap = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (load->heatmap, HEATMAP_DAYS);

  entries = gauge_store_load_entries (load->store, year_ms, 0, error);
  if (entries == NULL)
    return FALSE;
  load->any_entries = entries->len > 0;

  pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_debug ("%s", pricing_error->message);

  /* Cost per day over the range, never fewer than 7 days: one bar says little. */
  load->daily_since_ms = local_midnight_ms (MIN (load->since_ms, today_ms - 6 * DAY_MS) +
                                            12 * HOUR_MS);
  n_days = (guint) days_ago (load->daily_since_ms, today_ms) + 1;
  hour0_ms = load->now_ms - load->now_ms % HOUR_MS - 23 * HOUR_MS;

  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeUsageEntry *entry = &g_array_index (entries, GaugeUsageEntry, i);
      double cost = 0.0;
      int ago;

      /* Entries are sorted: the day changes rarely, so look it up once per day. */
      if (entry->timestamp_ms < cached_day_start ||
          entry->timestamp_ms >= cached_day_start + DAY_MS)
        {
          cached_day_start = local_midnight_ms (entry->timestamp_ms);
          cached_days_ago = days_ago (entry->timestamp_ms, today_ms);
        }
      ago = cached_days_ago;

      if (ago >= 0 && ago < HEATMAP_DAYS &&
          gauge_pricing_entry_cost (pricing, entry, load->mode, &cost))
        {
          g_array_index (load->heatmap, double, HEATMAP_DAYS - 1 - ago) += cost;
          if (ago < (int) n_days)
            bucket_for (daily, entry->model, n_days)[n_days - 1 - ago] += cost;
        }

      if (entry->timestamp_ms >= hour0_ms && entry->timestamp_ms < hour0_ms + 24 * HOUR_MS)
        bucket_for (hourly, entry->model, 24)[(entry->timestamp_ms - hour0_ms) / HOUR_MS] +=
          gauge_usage_entry_total_tokens (entry);
    }

  /* Day boundaries move with DST; a bucket is "a day", drawn 24 h wide. */
  bars_build (&load->daily, load->daily_since_ms, n_days, DAY_MS, daily);
  bars_build (&load->hourly, hour0_ms, 24, HOUR_MS, hourly);

  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GPtrArray) windows = NULL;
  g_autoptr(GError) error = NULL;

  windows = gauge_store_list_windows (load->store, load->since_ms / 1000,
                                      load->now_ms / 1000 + 1, &error);
  if (windows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load->windows = g_ptr_array_new_with_free_func (window_series_free);
  for (guint i = 0; i < windows->len; i++)
    {
      WindowSeries *series;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      series = load_window (load, windows->pdata[i], &error);
      if (series == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      load->any_readings |= series->points->len > 0;
      g_ptr_array_add (load->windows, series);
    }

  if (!load_local (load, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

/* --- Main thread ---------------------------------------------------------- */

static void
apply_thresholds (GaugeHistoryView *self,
                  GaugeChart       *chart)
{
  double warning = 75.0, critical = 90.0;

  if (self->settings != NULL)
    {
      warning = g_settings_get_double (self->settings, "warning-threshold");
      critical = g_settings_get_double (self->settings, "critical-threshold");
    }
  gauge_chart_set_thresholds (chart, warning, critical);
}

static GtkWidget *
card_for (GtkWidget *chart)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "gauge-chart-card");
  gtk_box_append (GTK_BOX (card), chart);
  return card;
}

static void
show_windows (GaugeHistoryView *self,
              Load             *load)
{
  GtkWidget *child;
  const char *range_label = _(ranges[self->range].label);

  while ((child = gtk_widget_get_first_child (self->windows_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->windows_box), child);

  for (guint i = 0; i < load->windows->len; i++)
    {
      WindowSeries *series = load->windows->pdata[i];
      GtkWidget *heading = gtk_label_new (series->name);
      GtkWidget *chart = gauge_chart_new ();
      /* Translators: a chart title, e.g. "5-hour usage" */
      g_autofree char *title = g_strdup_printf (_("%s usage"), series->name);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");

      gauge_chart_set_title (GAUGE_CHART (chart), title);
      gauge_chart_set_range (GAUGE_CHART (chart), load->since_ms, load->now_ms, range_label);
      gauge_chart_set_series (GAUGE_CHART (chart),
                              (const GaugeChartPoint *) (gpointer) series->points->data,
                              series->points->len, load->gap_ms);
      /* Resets every 5 hours would be a comb over a month; mark them up to a week. */
      if (self->range <= GAUGE_HISTORY_RANGE_WEEK)
        gauge_chart_set_resets (GAUGE_CHART (chart),
                                (const gint64 *) (gpointer) series->resets->data,
                                series->resets->len);
      apply_thresholds (self, GAUGE_CHART (chart));

      gtk_box_append (GTK_BOX (self->windows_box), heading);
      gtk_box_append (GTK_BOX (self->windows_box), card_for (chart));
    }

  gtk_widget_set_visible (self->windows_box, load->windows->len > 0);
}

static void
show_bars (GaugeChart     *chart,
           const Bars     *bars,
           gint64          bucket_ms,
           gint64          end_ms,
           const char     *title,
           const char     *range_label,
           GaugeChartUnit  unit)
{
  guint n = bars->starts->len;

  gauge_chart_set_title (chart, title);
  gauge_chart_set_bars (chart, (const gint64 *) (gpointer) bars->starts->data, n, bucket_ms,
                        (const char * const *) bars->names->pdata, bars->names->len,
                        (const double *) (gpointer) bars->values->data, unit);
  gauge_chart_set_range (chart, n > 0 ? g_array_index (bars->starts, gint64, 0) : end_ms - bucket_ms,
                         end_ms, range_label);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaugeHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  Load *load = g_task_get_task_data (G_TASK (result));
  gint64 today_ms;
  guint n_days;
  g_autofree char *daily_label = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot load history: %s", error->message);
      return;
    }

  self->empty = !load->any_readings && !load->any_entries;
  show_windows (self, load);

  today_ms = local_midnight_ms (load->now_ms);
  n_days = load->daily.starts->len;
  daily_label = n_days <= 7 ? g_strdup (_("last 7 days"))
                            : g_strdup (_(ranges[self->range].label));
  show_bars (self->daily_chart, &load->daily, DAY_MS, today_ms + DAY_MS,
             _("Cost per day"), daily_label, GAUGE_CHART_UNIT_COST);
  show_bars (self->hourly_chart, &load->hourly, HOUR_MS,
             load->now_ms - load->now_ms % HOUR_MS + HOUR_MS,
             _("Tokens per hour"), _("last 24 h"), GAUGE_CHART_UNIT_TOKENS);
  gauge_heatmap_set_days (self->heatmap, &load->last_day,
                          (const double *) (gpointer) load->heatmap->data, load->heatmap->len);

  gtk_stack_set_visible_child_name (self->stack, self->empty ? "empty" : "charts");
  g_signal_emit (self, signals[LOADED], 0);
}

static GDateWeekday
weekday_from_string (const char *name)
{
  static const char * const names[] = {
    NULL, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };

  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      return i;
  return G_DATE_SUNDAY;
}

void
gauge_history_view_reload (GaugeHistoryView *self)
{
  g_autoptr(GTask) task = NULL;
  Load *load;

  g_return_if_fail (GAUGE_IS_HISTORY_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (Load, 1);
  load->store = g_object_ref (self->store);
  load->now_ms = g_get_real_time () / 1000;
  load->since_ms = load->now_ms - ranges[self->range].span_ms;
  load->mode = GAUGE_COST_MODE_AUTO;
  load->week_start = G_DATE_SUNDAY;
  if (self->settings != NULL)
    {
      g_autofree char *mode = g_settings_get_string (self->settings, "cost-mode");
      g_autofree char *week = g_settings_get_string (self->settings, "start-of-week");

      if (!gauge_cost_mode_from_string (mode, &load->mode))
        load->mode = GAUGE_COST_MODE_AUTO;
      load->week_start = weekday_from_string (week);
    }
  gauge_heatmap_set_week_start (self->heatmap, load->week_start);

  /* Readings further apart than three buckets (or three polls) are a gap. */
  load->gap_ms = MAX (3 * ranges[self->range].span_ms / CHART_POINTS, 15 * 60 * 1000);
  if (self->monitor != NULL)
    load->gap_ms = MAX (load->gap_ms,
                        3 * (gint64) gauge_monitor_get_poll_interval (self->monitor) * 1000);

  task = g_task_new (NULL, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, gauge_history_view_reload);
  g_task_set_task_data (task, load, load_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_range_toggled (GaugeHistoryView *self,
                  GtkToggleButton  *button)
{
  GtkToggleButton *buttons[] = {
    self->range_day, self->range_week, self->range_month, self->range_quarter, self->range_year,
  };

  if (!gtk_toggle_button_get_active (button))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (buttons[i] == button)
      gauge_history_view_set_range (self, i);
}

static void
on_monitor_changed (GaugeHistoryView *self)
{
  /* A new reading: only worth a query when someone is looking. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gauge_history_view_reload (self);
}

static void
on_thresholds_changed (GaugeHistoryView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->windows_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chart = gtk_widget_get_first_child (child);

      if (chart != NULL && GAUGE_IS_CHART (chart))
        apply_thresholds (self, GAUGE_CHART (chart));
    }
}

static void
gauge_history_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gauge_history_view_parent_class)->map (widget);

  /* Readings arrived while hidden; show them now. */
  gauge_history_view_reload (GAUGE_HISTORY_VIEW (widget));
}

static void
gauge_history_view_dispose (GObject *object)
{
  GaugeHistoryView *self = GAUGE_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GAUGE_TYPE_HISTORY_VIEW);
  g_clear_object (&self->store);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_history_view_parent_class)->dispose (object);
}

static void
gauge_history_view_class_init (GaugeHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gauge_history_view_dispose;
  widget_class->map = gauge_history_view_map;

  signals[LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (GAUGE_TYPE_CHART);
  g_type_ensure (GAUGE_TYPE_HEATMAP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, windows_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_day);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_week);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_month);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_quarter);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_year);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, daily_chart);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, hourly_chart);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, daily_heading);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gauge-history-view");
}

static void
gauge_history_view_init (GaugeHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->range = GAUGE_HISTORY_RANGE_DAY;
  gtk_toggle_button_set_active (self->range_day, TRUE);
}

GtkWidget *
gauge_history_view_new (GaugeStore   *store,
                        GaugeMonitor *monitor,
                        GSettings    *settings)
{
  GaugeHistoryView *self;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (monitor == NULL || GAUGE_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_HISTORY_VIEW, NULL);
  self->store = g_object_ref (store);
  self->monitor = monitor != NULL ? g_object_ref (monitor) : NULL;
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;

  if (monitor != NULL)
    g_signal_connect_object (monitor, "changed", G_CALLBACK (on_monitor_changed), self,
                             G_CONNECT_SWAPPED);
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::warning-threshold",
                               G_CALLBACK (on_thresholds_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::critical-threshold",
                               G_CALLBACK (on_thresholds_changed), self, G_CONNECT_SWAPPED);
    }

  return GTK_WIDGET (self);
}

GaugeHistoryRange
gauge_history_view_get_range (GaugeHistoryView *self)
{
  g_return_val_if_fail (GAUGE_IS_HISTORY_VIEW (self), GAUGE_HISTORY_RANGE_DAY);

  return self->range;
}

void
gauge_history_view_set_range (GaugeHistoryView  *self,
                              GaugeHistoryRange  range)
{
  GtkToggleButton *buttons[] = {
    self->range_day, self->range_week, self->range_month, self->range_quarter, self->range_year,
  };

  g_return_if_fail (GAUGE_IS_HISTORY_VIEW (self));
  g_return_if_fail (range <= GAUGE_HISTORY_RANGE_YEAR);

  if (self->range == range)
    return;

  self->range = range;
  gtk_toggle_button_set_active (buttons[range], TRUE);
  if (self->store != NULL)
    gauge_history_view_reload (self);
}

gboolean
gauge_history_view_is_empty (GaugeHistoryView *self)
{
  g_return_val_if_fail (GAUGE_IS_HISTORY_VIEW (self), TRUE);

  return self->empty;
}
