/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-history-series"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-history.h"
#include "gauge-history-series.h"
#include "gauge-limit-kind.h"
#include "gauge-model-name.h"
#include "gauge-local-entry.h"
#include "gauge-store-entries.h"
#include "gauge-store-readings.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS  (24 * HOUR_MS)

static void
window_series_free (gpointer data)
{
  GaugeWindowSeries *series = data;

  g_free (series->id);
  g_free (series->name);
  g_clear_pointer (&series->points, g_array_unref);
  g_clear_pointer (&series->resets, g_array_unref);
  g_free (series);
}

static void
stacked_bars_clear (GaugeStackedBars *bars)
{
  g_clear_pointer (&bars->starts, g_array_unref);
  g_clear_pointer (&bars->names, g_ptr_array_unref);
  g_clear_pointer (&bars->values, g_array_unref);
}

void
gauge_history_series_free (GaugeHistorySeries *series)
{
  if (series == NULL)
    return;

  g_clear_pointer (&series->windows, g_ptr_array_unref);
  stacked_bars_clear (&series->cost);
  stacked_bars_clear (&series->tokens);
  g_clear_pointer (&series->heatmap, g_array_unref);
  g_free (series);
}

/* Midnight of the local day that holds @t_ms, or of a day @add_days later. */
static gint64
day_start_ms (gint64     t_ms,
              GTimeZone *zone,
              int        add_days)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t_ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return gauge_day_start_ms (&day, zone, add_days);
}

/* Local days back from @today_ms: 0 for today, -1 for the future. */
static int
days_ago (gint64     t_ms,
          gint64     today_ms,
          GTimeZone *zone)
{
  gint64 midnight = day_start_ms (t_ms, zone, 0);

  if (midnight > today_ms)
    return -1;
  /* Rounded: a DST day is 23 or 25 hours. */
  return (int) ((today_ms - midnight + 12 * HOUR_MS) / DAY_MS);
}

/* --- Official windows ------------------------------------------------------ */

static int
compare_windows (gconstpointer a,
                 gconstpointer b)
{
  const GaugeWindowSeries *wa = *(GaugeWindowSeries * const *) a;
  const GaugeWindowSeries *wb = *(GaugeWindowSeries * const *) b;
  GaugeLimitRank ra = gauge_limit_kind_rank_for_id (wa->id);
  GaugeLimitRank rb = gauge_limit_kind_rank_for_id (wb->id);

  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (wa->account != wb->account)
    return wa->account < wb->account ? -1 : 1;
  return g_utf8_collate (wa->name, wb->name);
}

static GaugeWindowSeries *
load_window (GaugeStore               *store,
             const char               *account,
             const char               *account_name,
             const GaugeHistoryWindow *window,
             gint64                    since_ms,
             gint64                    now_ms,
             GError                  **error)
{
  g_autoptr(GArray) history = NULL;
  const GaugeLimitKind *kind;
  const char *name;
  GaugeWindowSeries *series;

  history = gauge_store_load_account_series (store, account, window->id, since_ms / 1000,
                                             now_ms / 1000 + 1, GAUGE_HISTORY_SERIES_POINTS,
                                             GAUGE_HISTORY_MAX, error);
  if (history == NULL)
    return NULL;

  series = g_new0 (GaugeWindowSeries, 1);
  series->id = g_strdup (window->id);
  /* A known kind is named in today's language; the stored name is the one of the day it was
   * read, perhaps in another. */
  kind = gauge_limit_kind_lookup (window->id);
  name = kind != NULL ? _(kind->name) : window->name != NULL ? window->name : window->id;
  series->name = account_name != NULL ? g_strdup_printf ("%s · %s", account_name, name)
                                      : g_strdup (name);
  series->points = g_array_sized_new (FALSE, FALSE, sizeof (GaugeSeriesPoint), history->len);
  series->resets = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < history->len; i++)
    {
      const GaugeHistoryPoint *point = &g_array_index (history, GaugeHistoryPoint, i);
      const GaugeHistoryPoint *previous = i > 0 ? point - 1 : NULL;
      GaugeSeriesPoint series_point = { point->t * 1000, point->value };

      if (gauge_history_point_starts_period (previous, point))
        {
          /* The announced reset time when it lies between the readings. */
          gint64 reset = previous->resets_at > previous->t && previous->resets_at <= point->t
                         ? previous->resets_at : point->t;
          gint64 reset_ms = reset * 1000;

          g_array_append_val (series->resets, reset_ms);
        }
      g_array_append_val (series->points, series_point);
    }

  return series;
}

/* --- Local usage, stacked by model ----------------------------------------- */

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

/* The biggest models by total, the rest together as "Other". */
static void
stacked_bars_build (GaugeStackedBars *bars,
                    gint64            first_ms,
                    guint             n_buckets,
                    gint64            bucket_ms,
                    GHashTable       *by_model)   /* short name → double[n_buckets] */
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

  other = ranked->len > GAUGE_HISTORY_SERIES_MODELS + 1;
  n_series = other ? GAUGE_HISTORY_SERIES_MODELS + 1 : ranked->len;

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
    g_ptr_array_add (bars->names, g_strdup (other && s == GAUGE_HISTORY_SERIES_MODELS
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
buckets_for (GHashTable *by_model,
             const char *model,
             guint       n_buckets)
{
  g_autofree char *name = gauge_model_name_display (model);
  double *values = g_hash_table_lookup (by_model, name);

  if (values == NULL)
    {
      values = g_new0 (double, n_buckets);
      g_hash_table_insert (by_model, g_steal_pointer (&name), values);
    }
  return values;
}

static gboolean
load_local (GaugeHistorySeries     *series,
            GaugeStore             *store,
            const GaugeEntryScope  *scope,
            GaugeCostMode           mode,
            GError                **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (series->now_ms / 1000);
  g_autoptr(GDateTime) now_local = g_date_time_to_timezone (now_utc, zone);
  gint64 today_ms = day_start_ms (series->now_ms, zone, 0);
  gint64 year_ms = day_start_ms (today_ms - (GAUGE_HISTORY_SERIES_DAYS - 1) * DAY_MS +
                                 12 * HOUR_MS, zone, 0);
  gint64 first_ms;
  guint n_buckets;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GError) pricing_error = NULL;
  g_autoptr(GHashTable) cost_by_model = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                               g_free, g_free);
  g_autoptr(GHashTable) tokens_by_model = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                 g_free, g_free);
  gint64 cached_day_start = G_MININT64;
  gint64 cached_day_end = G_MININT64;
  int cached_days_ago = -1;

  series->today_ms = today_ms;
  g_date_clear (&series->last_day, 1);
  g_date_set_dmy (&series->last_day, g_date_time_get_day_of_month (now_local),
                  g_date_time_get_month (now_local), g_date_time_get_year (now_local));
  series->heatmap = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (series->heatmap, GAUGE_HISTORY_SERIES_DAYS);

  /* The bars cover the page's range: whole hours up to this one, or local days up to today. */
  series->bucket_ms = gauge_history_series_bucket_for (series->now_ms - series->since_ms);
  if (series->bucket_ms == HOUR_MS)
    {
      n_buckets = (guint) MAX (1, (series->now_ms - series->since_ms + HOUR_MS - 1) / HOUR_MS);
      first_ms = series->now_ms - series->now_ms % HOUR_MS - (n_buckets - 1) * HOUR_MS;
    }
  else
    {
      first_ms = day_start_ms (series->since_ms, zone, 0);
      n_buckets = (guint) days_ago (first_ms, today_ms, zone) + 1;
    }

  entries = gauge_store_load_scoped_entries (store, scope, MIN (year_ms, first_ms), 0,
                                             GAUGE_STORE_LOAD_SESSIONS, NULL, error);
  if (entries == NULL)
    return FALSE;
  series->any_entries = entries->len > 0;

  pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_debug ("%s", pricing_error->message);

  for (guint i = 0; i < entries->len; i++)
    {
      const GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);
      double cost = 0.0;
      gboolean priced;
      gint64 bucket = -1;
      int ago;

      /* Entries are sorted: the day changes rarely, so look it up once per day, a day
       * that may last 23 or 25 hours. */
      if (entry->timestamp_ms < cached_day_start || entry->timestamp_ms >= cached_day_end)
        {
          cached_day_start = day_start_ms (entry->timestamp_ms, zone, 0);
          cached_day_end = day_start_ms (entry->timestamp_ms, zone, 1);
          cached_days_ago = days_ago (entry->timestamp_ms, today_ms, zone);
        }
      ago = cached_days_ago;

      if (ago < 0)
        continue;
      priced = gauge_pricing_entry_cost (pricing, entry, mode, &cost);
      if (priced && ago < GAUGE_HISTORY_SERIES_DAYS)
        g_array_index (series->heatmap, double, GAUGE_HISTORY_SERIES_DAYS - 1 - ago) += cost;

      if (series->bucket_ms == HOUR_MS)
        {
          if (entry->timestamp_ms >= first_ms &&
              entry->timestamp_ms < first_ms + (gint64) n_buckets * HOUR_MS)
            bucket = (entry->timestamp_ms - first_ms) / HOUR_MS;
        }
      else if (ago < (int) n_buckets)
        bucket = n_buckets - 1 - ago;

      if (bucket < 0)
        continue;
      if (priced)
        buckets_for (cost_by_model, entry->model, n_buckets)[bucket] += cost;
      buckets_for (tokens_by_model, entry->model, n_buckets)[bucket] +=
        gauge_local_entry_total_tokens (entry);
    }

  /* Day boundaries move with DST; a bucket is "a day", drawn 24 h wide. */
  stacked_bars_build (&series->cost, first_ms, n_buckets, series->bucket_ms, cost_by_model);
  stacked_bars_build (&series->tokens, first_ms, n_buckets, series->bucket_ms, tokens_by_model);

  return TRUE;
}

/**
 * gauge_history_series_bucket_for:
 * @span_ms: how far back the page looks
 *
 * Returns: the width of the local bars over such a range: an hour for a day or less (24
 *   bars), a day for longer
 */
gint64
gauge_history_series_bucket_for (gint64 span_ms)
{
  return span_ms <= DAY_MS ? HOUR_MS : DAY_MS;
}

/* The windows with readings in the range of the @place-th of @accounts (%NULL: of every
 * reading stored), named after it when there are @names. */
static gboolean
load_account_windows (GaugeHistorySeries  *series,
                      GaugeStore          *store,
                      const char * const  *accounts,
                      const char * const  *names,
                      guint                place,
                      GCancellable        *cancellable,
                      GError             **error)
{
  const char *account = accounts != NULL ? accounts[place] : NULL;
  const char *account_name = names != NULL ? names[place] : NULL;
  g_autoptr(GPtrArray) windows = NULL;

  windows = gauge_store_list_account_windows (store, account, series->since_ms / 1000,
                                             series->now_ms / 1000 + 1, error);
  if (windows == NULL)
    return FALSE;

  for (guint i = 0; i < windows->len; i++)
    {
      GaugeWindowSeries *window;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      window = load_window (store, account, account_name, windows->pdata[i], series->since_ms,
                            series->now_ms, error);
      if (window == NULL)
        return FALSE;
      window->account = place;
      series->any_readings |= window->points->len > 0;
      g_ptr_array_add (series->windows, window);
    }
  return TRUE;
}

/**
 * gauge_history_series_load:
 * @accounts: (nullable) (array zero-terminated=1): the accounts whose readings the windows
 *   show (Claude Code config folders), each account's windows on their own; %NULL for every
 *   reading stored, as one account's
 * @names: (nullable) (array zero-terminated=1): the names of @accounts, to name each window
 *   after its account ("Work · Weekly"); %NULL for the windows' own names
 * @local: (nullable): whose local usage the bars and the calendar show (an account's own
 *   folder's transcripts), %NULL for every folder's
 * @now_ms: the end of the range, and what "today" means
 * @since_ms: the start of the range of the windows' readings and of the local bars
 * @mode: how an entry's cost is found
 *
 * Blocking: call it on a worker thread.
 *
 * Returns: (transfer full) (nullable): everything the History page draws, or %NULL with
 *   @error set (%G_IO_ERROR_CANCELLED when @cancellable was)
 */
GaugeHistorySeries *
gauge_history_series_load (GaugeStore     *store,
                           const char * const *accounts,
                           const char * const *names,
                           const GaugeEntryScope *local,
                           gint64          now_ms,
                           gint64          since_ms,
                           GaugeCostMode   mode,
                           GCancellable   *cancellable,
                           GError        **error)
{
  g_autoptr(GaugeHistorySeries) series = NULL;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (since_ms <= now_ms, NULL);
  g_return_val_if_fail (names == NULL ||
                        (accounts != NULL && g_strv_length ((GStrv) names) ==
                                             g_strv_length ((GStrv) accounts)), NULL);

  series = g_new0 (GaugeHistorySeries, 1);
  series->now_ms = now_ms;
  series->since_ms = since_ms;
  series->windows = g_ptr_array_new_with_free_func (window_series_free);
  /* The store's "every account" is one line of every reading: two accounts' percentages
   * would share it. Each account is asked for on its own. */
  for (guint a = 0; accounts == NULL ? a == 0 : accounts[a] != NULL; a++)
    if (!load_account_windows (series, store, accounts, names, a, cancellable, error))
      return NULL;

  /* In the order the Limits page lists them: the 5-hour window first, extra usage last; each
   * window's accounts in their order. */
  g_ptr_array_sort (series->windows, compare_windows);

  if (!load_local (series, store, local, mode, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  return g_steal_pointer (&series);
}
