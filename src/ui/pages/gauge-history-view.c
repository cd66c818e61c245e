/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-history-view"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>
#include <stdio.h>

#include "gauge-account-choice.h"
#include "gauge-account-list.h"
#include "gauge-bar-chart.h"
#include "gauge-format.h"
#include "gauge-heatmap.h"
#include "gauge-history-series.h"
#include "gauge-history-view.h"
#include "gauge-limit-kind.h"
#include "gauge-series-chart.h"
#include "gauge-worker.h"

/*
 * History: one chart per official window over the chosen range, then local
 * usage over the same range (cost and tokens per hour or per day, stacked by
 * model) and a year's calendar of daily cost. Everything is read on a worker thread in
 * one GTask (gauge_history_series_load); a newer load cancels the older one,
 * so the main loop only ever hands finished arrays to the charts. With several accounts, a
 * drop-down picks whose limits the window charts show (the first account's at first), or
 * "All Accounts": then each account's windows are charts of their own, named after it ("Work ·
 * Weekly"), for two accounts' percentages on one line would mean nothing. The local bars and
 * the calendar are the chosen account's too (its own folder's transcripts), or every folder's.
 */

#define HOUR_MS       (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS        (24 * HOUR_MS)

struct _GaugeHistoryView
{
  GtkWidget          parent_instance;

  GaugeStore        *store;
  GaugeLimitsMonitor      *monitor;
  GSettings         *settings;
  GCancellable      *cancellable;
  GaugeHistoryRange  range;
  gboolean           empty;
  GaugeAccountChoice choice;     /* the account_dropdown's accounts */

  GtkStack          *stack;
  GtkDropDown       *account_dropdown;
  GtkWidget         *windows_box;
  GtkToggleButton   *range_day;
  GtkToggleButton   *range_week;
  GtkToggleButton   *range_month;
  GtkToggleButton   *range_quarter;
  GtkToggleButton   *range_year;
  GaugeBarChart     *cost_chart;
  GaugeBarChart     *tokens_chart;
  GaugeHeatmap      *heatmap;
  GtkLabel          *cost_heading;
  GtkLabel          *tokens_heading;
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
  /* Translators: the time range of the charts, "Limits over the last year" */
  [GAUGE_HISTORY_RANGE_YEAR]    = { 365 * DAY_MS, N_("last year") },
};

/* --- Worker thread -------------------------------------------------------- */

typedef struct
{
  GaugeStore    *store;
  GStrv          accounts; /* NULL: every reading, as the only account's */
  GStrv          names;    /* with "All Accounts", theirs; else NULL */
  GaugeEntryScope *local;  /* the account's local usage; NULL: every folder's */
  gint64         now_ms;
  gint64         since_ms;
  GaugeCostMode  mode;
  gint64         gap_ms;   /* readings further apart are not joined */
} Load;

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_object (&load->store);
  g_strfreev (load->accounts);
  g_strfreev (load->names);
  gauge_entry_scope_free (load->local);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  GaugeHistorySeries *series;
  GError *error = NULL;

  series = gauge_history_series_load (load->store, (const char * const *) load->accounts,
                                      (const char * const *) load->names, load->local,
                                      load->now_ms, load->since_ms, load->mode, cancellable,
                                      &error);
  if (series == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, series, (GDestroyNotify) gauge_history_series_free);
}

/* --- Main thread ---------------------------------------------------------- */

static void
apply_thresholds (GaugeHistoryView *self,
                  GaugeSeriesChart *chart)
{
  double warning = 75.0, critical = 90.0;

  if (self->settings != NULL)
    {
      warning = g_settings_get_double (self->settings, "warning-threshold");
      critical = g_settings_get_double (self->settings, "critical-threshold");
    }
  gauge_series_chart_set_thresholds (chart, warning, critical);
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
show_windows (GaugeHistoryView   *self,
              GaugeHistorySeries *series,
              gint64              gap_ms)
{
  GtkWidget *child;
  const char *range_label = _(ranges[self->range].label);

  while ((child = gtk_widget_get_first_child (self->windows_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->windows_box), child);

  for (guint i = 0; i < series->windows->len; i++)
    {
      GaugeWindowSeries *window = series->windows->pdata[i];
      GtkWidget *heading = gtk_label_new (window->name);
      GtkWidget *chart = gauge_series_chart_new ();
      /* Translators: a chart title for a time window, e.g. "5-hour usage"; extra usage and
       * credits keep their own name */
      g_autofree char *title = gauge_limit_kind_guess_length (window->id) > 0
                               ? g_strdup_printf (_("%s usage"), window->name)
                               : g_strdup (window->name);

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      /* An account's name before the window's may be long: cut, the whole in a tooltip. */
      gtk_label_set_ellipsize (GTK_LABEL (heading), PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (heading, window->name);
      gtk_widget_add_css_class (heading, "heading");

      gauge_chart_set_title (GAUGE_CHART (chart), title);
      gauge_chart_set_range (GAUGE_CHART (chart), series->since_ms, series->now_ms, range_label);
      gauge_series_chart_set_series (GAUGE_SERIES_CHART (chart),
                                     (const GaugeSeriesPoint *) (gpointer) window->points->data,
                                     window->points->len, gap_ms);
      /* Resets every 5 hours would be a comb over a month; mark them up to a week. */
      if (self->range <= GAUGE_HISTORY_RANGE_WEEK)
        gauge_series_chart_set_resets (GAUGE_SERIES_CHART (chart),
                                       (const gint64 *) (gpointer) window->resets->data,
                                       window->resets->len);
      apply_thresholds (self, GAUGE_SERIES_CHART (chart));

      gtk_box_append (GTK_BOX (self->windows_box), heading);
      gtk_box_append (GTK_BOX (self->windows_box), card_for (chart));
    }

  gtk_widget_set_visible (self->windows_box, series->windows->len > 0);
}

static void
show_bars (GaugeBarChart          *chart,
           const GaugeStackedBars *bars,
           gint64                  bucket_ms,
           const char             *title,
           const char             *range_label,
           GaugeChartUnit          unit)
{
  guint n = bars->starts->len;

  g_return_if_fail (n > 0);

  gauge_chart_set_title (GAUGE_CHART (chart), title);
  gauge_bar_chart_set_bars (chart, (const gint64 *) (gpointer) bars->starts->data, n, bucket_ms,
                            (const char * const *) bars->names->pdata, bars->names->len,
                            (const double *) (gpointer) bars->values->data, unit);
  gauge_chart_set_range (GAUGE_CHART (chart), g_array_index (bars->starts, gint64, 0),
                         g_array_index (bars->starts, gint64, n - 1) + bucket_ms, range_label);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaugeHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeHistorySeries) series = NULL;
  Load *load = g_task_get_task_data (G_TASK (result));
  const char *range_label;
  gboolean hours;

  series = g_task_propagate_pointer (G_TASK (result), &error);
  if (series == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot load history: %s", error->message);
      return;
    }

  self->empty = !series->any_readings && !series->any_entries;
  show_windows (self, series, load->gap_ms);

  /* The local bars follow the range buttons too: per hour for a day, per day for longer. */
  range_label = _(ranges[self->range].label);
  hours = series->bucket_ms < DAY_MS;
  gtk_label_set_label (self->cost_heading, hours ? _("Cost per Hour") : _("Cost per Day"));
  gtk_label_set_label (self->tokens_heading, hours ? _("Tokens per Hour") : _("Tokens per Day"));
  show_bars (self->cost_chart, &series->cost, series->bucket_ms,
             hours ? _("Cost per hour") : _("Cost per day"), range_label, GAUGE_CHART_UNIT_COST);
  show_bars (self->tokens_chart, &series->tokens, series->bucket_ms,
             hours ? _("Tokens per hour") : _("Tokens per day"), range_label,
             GAUGE_CHART_UNIT_TOKENS);
  gauge_heatmap_set_days (self->heatmap, &series->last_day,
                          (const double *) (gpointer) series->heatmap->data, series->heatmap->len);

  /* Among several accounts the drop-down stays in reach, even on one without readings. */
  gtk_stack_set_visible_child_name (self->stack,
                                    self->empty && !gtk_widget_get_visible (
                                      GTK_WIDGET (self->account_dropdown))
                                      ? "empty" : "charts");
  g_signal_emit (self, signals[LOADED], 0);
}

void
gauge_history_view_reload (GaugeHistoryView *self)
{
  g_autoptr(GTask) task = NULL;
  GDateWeekday week_start = G_DATE_SUNDAY;
  const char *account;
  Load *load;

  g_return_if_fail (GAUGE_IS_HISTORY_VIEW (self));

  account = gauge_history_view_get_account (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (Load, 1);
  load->store = g_object_ref (self->store);
  load->now_ms = g_get_real_time () / 1000;
  load->since_ms = load->now_ms - ranges[self->range].span_ms;
  /* The local bars and the calendar are the chosen account's too: its folder's transcripts;
   * with all of them, every folder's. */
  if (account != NULL)
    {
      load->accounts = g_strdupv ((GStrv) (const char *[]) { account, NULL });
      load->local = gauge_entry_scope_new_account ((const char * const *) self->choice.folders,
                                                   account);
    }
  else if (gauge_history_view_shows_all (self))
    {
      load->accounts = g_strdupv (self->choice.folders);
      load->names = g_strdupv (self->choice.names);
    }
  /* One account: its readings, not those of an account removed since (or read for another
   * folder by a statusline); its local usage is every folder's, as ever. */
  else if (self->choice.folders != NULL && self->choice.folders[0] != NULL)
    load->accounts = g_strdupv ((GStrv) (const char *[]) { self->choice.folders[0], NULL });
  load->mode = GAUGE_COST_MODE_AUTO;
  if (self->settings != NULL)
    {
      g_autofree char *mode = g_settings_get_string (self->settings, "cost-mode");
      g_autofree char *week = g_settings_get_string (self->settings, "start-of-week");

      if (!gauge_cost_mode_from_string (mode, &load->mode))
        load->mode = GAUGE_COST_MODE_AUTO;
      if (!gauge_weekday_from_string (week, &week_start))
        week_start = G_DATE_SUNDAY;
    }
  gauge_heatmap_set_week_start (self->heatmap, week_start);

  /* Readings further apart than three buckets (or three polls) are a gap. */
  load->gap_ms = MAX (3 * ranges[self->range].span_ms / GAUGE_HISTORY_SERIES_POINTS,
                      15 * 60 * 1000);
  if (self->monitor != NULL)
    load->gap_ms = MAX (load->gap_ms,
                        3 * (gint64) gauge_monitor_get_poll_interval (GAUGE_MONITOR (self->monitor))
                        * 1000);

  task = g_task_new (NULL, self->cancellable, load_cb, g_object_ref (self));
  g_task_set_source_tag (task, gauge_history_view_reload);
  g_task_set_task_data (task, load, load_free);
  gauge_worker_run_in_thread (task, load_thread);
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
account_chosen (gpointer page)
{
  GaugeHistoryView *self = page;

  if (self->store != NULL)
    gauge_history_view_reload (self);
}

static void
on_monitor_changed (GaugeHistoryView *self)
{
  /* A new reading: only worth a query when someone is looking. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gauge_history_view_reload (self);
}

/**
 * gauge_history_view_set_accounts:
 *
 * The accounts the drop-down offers: with two or more, the window charts show the chosen
 * account's readings, the first account's until another is chosen, or after them "All
 * Accounts": each account's readings in charts of their own. Once only: from then on a new
 * reading of any account reloads the charts.
 */
void
gauge_history_view_set_accounts (GaugeHistoryView *self,
                                 GaugeAccountList *accounts)
{
  g_return_if_fail (GAUGE_IS_HISTORY_VIEW (self));
  g_return_if_fail (accounts == NULL || GAUGE_IS_ACCOUNT_LIST (accounts));

  /* A new reading of any account, not only the first's, may be on the charts. */
  if (accounts != NULL)
    {
      if (self->monitor != NULL)
        g_signal_handlers_disconnect_by_func (self->monitor, on_monitor_changed, self);
      g_signal_connect_object (accounts, "changed", G_CALLBACK (on_monitor_changed), self,
                               G_CONNECT_SWAPPED);
    }
  gauge_account_choice_set_accounts (&self->choice, accounts);
}

/**
 * gauge_history_view_get_account:
 *
 * Returns: (nullable): the folder of the account chosen in the drop-down, whose readings
 *   the window charts show, or %NULL with fewer than two accounts (the charts then show the
 *   one account's) or with all of them chosen
 */
const char *
gauge_history_view_get_account (GaugeHistoryView *self)
{
  g_return_val_if_fail (GAUGE_IS_HISTORY_VIEW (self), NULL);

  return gauge_account_choice_get (&self->choice);
}

/**
 * gauge_history_view_shows_all:
 *
 * Returns: whether "All Accounts" is chosen (among two accounts or more)
 */
gboolean
gauge_history_view_shows_all (GaugeHistoryView *self)
{
  g_return_val_if_fail (GAUGE_IS_HISTORY_VIEW (self), FALSE);

  return gauge_account_choice_is_all (&self->choice);
}

static void
on_thresholds_changed (GaugeHistoryView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->windows_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *chart = gtk_widget_get_first_child (child);

      if (chart != NULL && GAUGE_IS_SERIES_CHART (chart))
        apply_thresholds (self, GAUGE_SERIES_CHART (chart));
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
  gauge_account_choice_clear (&self->choice);
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

  g_type_ensure (GAUGE_TYPE_BAR_CHART);
  g_type_ensure (GAUGE_TYPE_HEATMAP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/pages/gauge-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, windows_box);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_day);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_week);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_month);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_quarter);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, range_year);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, cost_chart);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, tokens_chart);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, cost_heading);
  gtk_widget_class_bind_template_child (widget_class, GaugeHistoryView, tokens_heading);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gauge-history-view");
}

static void
gauge_history_view_init (GaugeHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: the last entry of the History page's account drop-down */
  gauge_account_choice_init (&self->choice, self->account_dropdown, _("All Accounts"), TRUE,
                             account_chosen, self);
  self->range = GAUGE_HISTORY_RANGE_DAY;
  gtk_toggle_button_set_active (self->range_day, TRUE);
}

GtkWidget *
gauge_history_view_new (GaugeStore   *store,
                        GaugeLimitsMonitor *monitor,
                        GSettings    *settings)
{
  GaugeHistoryView *self;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (monitor == NULL || GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
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
