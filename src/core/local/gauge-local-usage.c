/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-local-usage"

#include "config.h"

#include <glib/gstdio.h>

#include "gauge-clock.h"
#include "gauge-format.h"
#include "gauge-local-usage.h"
#include "gauge-store-entries.h"
#include "gauge-worker.h"

/*
 * A summary is the blocks of the entries since now − span, the period figures
 * and a daily report from the billing period's first day. Kept here between
 * summaries:
 *
 * - the entries, sorted as the store sorts them (time, then id), with their
 *   strings in one pool;
 * - their blocks. Blocks are memoryless across a block's start: when every
 *   change is at or after the last block's first entry, dropping that block and
 *   splitting again from its first entry gives the blocks of all the entries;
 * - the report and the period figures summed over the entries before that same
 *   entry (GaugeReportBuilder, GaugePeriodWalk), so a summary adds only the
 *   last block's entries to copies of them, in the same order as one pass would:
 *   the costs come out the same to the last bit.
 *
 * The store says what changed since the last look (gauge_store_get_entry_changes):
 * entries appended, replaced or removed from some time on. From the last
 * block's first entry on, only what follows that time is read again; anything
 * earlier, a removal, another cost mode or price table: everything is read
 * again. As time passes the oldest entries leave (gauge_blocks_drop_front), and
 * the sums start over when a new billing period or week begins.
 */

struct _GaugeLocalUsage
{
  GObject             parent_instance;

  GMutex              mutex;            /* one update at a time; all below is under it */
  GaugeStore         *store;
  gint64              span_ms;

  gboolean            loaded;
  GaugeCostMode       mode;
  GaugeEntryScope    *scope;            /* whose entries; NULL: every folder's */
  GaugePricing       *pricing;
  gint64              pricing_stamp;    /* the user's price file, see pricing_stamp() */
  gint64              last_id;          /* where the store's changes were last looked at */
  gint64              last_edit;

  gint64              since_ms;         /* entries start here (the window's start) */
  GArray             *entries;          /* GaugeLocalEntry, strings in @strings */
  guint               first;            /* the entries before it have left the window */
  GStringChunk       *strings;
  GPtrArray          *blocks;           /* of entries[first…] */

  /* The sums of the entries before snap_ms, never after the last block's first entry. */
  gint64              snap_ms;
  gint64              billing_start_ms;
  gint64              week_start_ms;
  GaugeReportBuilder *period;           /* daily, from the billing period's first day */
  GaugePeriodWalk    *walk;
};

G_DEFINE_FINAL_TYPE (GaugeLocalUsage, gauge_local_usage, G_TYPE_OBJECT)

/* Entries that left the window are moved out of the array once they are this many and a
 * quarter of it. */
#define COMPACT_MIN 4096

static void
clear_sums (GaugeLocalUsage *self)
{
  g_clear_pointer (&self->period, gauge_report_builder_free);
  g_clear_pointer (&self->walk, gauge_period_walk_free);
}

static void
gauge_local_usage_finalize (GObject *object)
{
  GaugeLocalUsage *self = (GaugeLocalUsage *)object;

  clear_sums (self);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->scope, gauge_entry_scope_free);
  g_clear_object (&self->pricing);
  g_clear_object (&self->store);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (gauge_local_usage_parent_class)->finalize (object);
}

static void
gauge_local_usage_class_init (GaugeLocalUsageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gauge_local_usage_finalize;
}

static void
gauge_local_usage_init (GaugeLocalUsage *self)
{
  g_mutex_init (&self->mutex);
}

/**
 * gauge_local_usage_new:
 * @span_ms: how far back a summary reads, 0 for %GAUGE_LOCAL_SUMMARY_DAYS
 */
GaugeLocalUsage *
gauge_local_usage_new (GaugeStore *store,
                       gint64      span_ms)
{
  GaugeLocalUsage *self;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);

  self = g_object_new (GAUGE_TYPE_LOCAL_USAGE, NULL);
  self->store = g_object_ref (store);
  self->span_ms = span_ms > 0 ? span_ms : (gint64) GAUGE_LOCAL_SUMMARY_DAYS * 24 * 3600 * 1000;
  return self;
}

/* The first entry at or after @t_ms. */
static guint
lower_bound (GArray *entries,
             gint64  t_ms)
{
  guint low = 0, high = entries->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (g_array_index (entries, GaugeLocalEntry, mid).timestamp_ms < t_ms)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

static const GaugeLocalEntry *
entry_at (GaugeLocalUsage *self,
          guint            i)
{
  return &g_array_index (self->entries, GaugeLocalEntry, i);
}

/* The entries from @i on, %NULL when there are none. */
static const GaugeLocalEntry *
entries_from (GaugeLocalUsage *self,
              guint            i)
{
  return i < self->entries->len ? entry_at (self, i) : NULL;
}

/* Where the last block starts: entries from there on may be read again. */
static gint64
tail_ms (GaugeLocalUsage *self)
{
  const GaugeBlock *last;

  if (self->blocks->len == 0)
    return self->since_ms;
  last = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  return last->first_ms;
}

/* Changes when the user's price file does: its time and size, 0 without one. */
static gint64
pricing_stamp (void)
{
  g_autofree char *path = gauge_pricing_get_user_path ();
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return 0;
  return ((gint64) buf.st_mtim.tv_sec * G_USEC_PER_SEC + buf.st_mtim.tv_nsec / 1000) ^
         ((gint64) buf.st_size << 40);
}

/* Reads the entries of the window from the store: everything starts over. */
static gboolean
load_all (GaugeLocalUsage *self,
          gint64           now_ms,
          GError         **error)
{
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) pricing_error = NULL;
  gint64 since_ms = now_ms - self->span_ms;

  g_debug ("Reading the last %" G_GINT64_FORMAT " h of entries", self->span_ms / 3600000);

  /* Sessions count in the week's figures; message and request ids are not needed. */
  entries = gauge_store_load_scoped_entries (self->store, self->scope, since_ms, 0,
                                             GAUGE_STORE_LOAD_SESSIONS, &strings, error);
  if (entries == NULL)
    return FALSE;

  g_clear_object (&self->pricing);
  self->pricing_stamp = pricing_stamp ();
  self->pricing = gauge_pricing_new_default (&pricing_error);
  if (pricing_error != NULL)
    g_debug ("%s", pricing_error->message);

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  clear_sums (self);

  self->since_ms = since_ms;
  self->entries = g_steal_pointer (&entries);
  self->strings = g_steal_pointer (&strings);
  self->first = 0;
  self->blocks = gauge_blocks_compute (self->entries, self->pricing, self->mode, now_ms);
  self->loaded = TRUE;

  return TRUE;
}

static char *
pool (GaugeLocalUsage *self,
      const char      *text)
{
  return text != NULL ? g_string_chunk_insert_const (self->strings, text) : NULL;
}

/* Reads again the entries from @from_ms on (at or after the last block's first entry) and
 * splits the last block again. */
static gboolean
load_from (GaugeLocalUsage *self,
           gint64           from_ms,
           gint64           now_ms,
           GError         **error)
{
  g_autoptr(GStringChunk) strings = NULL;
  g_autoptr(GArray) entries = NULL;
  guint first;

  g_assert (from_ms >= tail_ms (self) && from_ms > 0);

  entries = gauge_store_load_scoped_entries (self->store, self->scope, from_ms, 0,
                                             GAUGE_STORE_LOAD_SESSIONS, &strings, error);
  if (entries == NULL)
    return FALSE;

  g_array_set_size (self->entries, lower_bound (self->entries, from_ms));
  for (guint i = 0; i < entries->len; i++)
    {
      GaugeLocalEntry *entry = &g_array_index (entries, GaugeLocalEntry, i);

      entry->model = pool (self, entry->model);
      entry->session_id = pool (self, entry->session_id);
      entry->project = pool (self, entry->project);
    }
  g_array_append_vals (self->entries, entries->data, entries->len);

  first = MAX (self->first, lower_bound (self->entries, tail_ms (self)));
  gauge_blocks_drop_last (self->blocks);
  gauge_blocks_add_entries (self->blocks, entries_from (self, first), self->entries->len - first,
                            self->pricing, self->mode, now_ms);

  g_debug ("Read %u entries again from %" G_GINT64_FORMAT, entries->len, from_ms);
  return TRUE;
}

/* The entries older than the window leave it, and with them maybe the first blocks. */
static void
drop_old (GaugeLocalUsage *self,
          gint64           now_ms)
{
  gint64 since_ms = now_ms - self->span_ms;
  guint first;

  self->since_ms = MAX (self->since_ms, since_ms);
  first = MAX (self->first, lower_bound (self->entries, self->since_ms));
  if (first == self->first)
    return;

  /* The sums skip entries before the period and the week; any other must leave them too. */
  if (self->walk != NULL &&
      entry_at (self, first - 1)->timestamp_ms >= MIN (self->billing_start_ms, self->week_start_ms))
    clear_sums (self);

  gauge_blocks_drop_front (self->blocks, entries_from (self, first), self->entries->len - first,
                           self->pricing, self->mode, now_ms);
  g_debug ("%u entries left the window", first - self->first);
  self->first = first;

  if (self->first >= COMPACT_MIN && self->first > self->entries->len / 4)
    {
      g_array_remove_range (self->entries, 0, self->first);
      self->first = 0;
    }
}

/* Brings the sums up to the last block's first entry; they start over when the period or
 * the week changed (or the time went back). */
static void
update_sums (GaugeLocalUsage               *self,
             const GaugeLocalSummaryParams *params,
             gint64                         now_ms)
{
  gint64 billing_start_ms, week_start_ms;
  gint64 until_ms = tail_ms (self);
  guint from, to;

  gauge_period_starts (NULL, params->billing_start_day, params->start_of_week, now_ms,
                       &billing_start_ms, &week_start_ms);

  if (self->walk == NULL || billing_start_ms != self->billing_start_ms ||
      week_start_ms != self->week_start_ms || until_ms < self->snap_ms)
    {
      g_autoptr(GTimeZone) local_zone = g_time_zone_new_local ();
      GaugeReportParams report_params = { 0 };
      GDate since;

      g_debug ("Summing the period from %" G_GINT64_FORMAT " and the week from %" G_GINT64_FORMAT,
               billing_start_ms, week_start_ms);
      clear_sums (self);
      gauge_day_of_ms (billing_start_ms, local_zone, &since);
      report_params.since = &since;
      report_params.mode = self->mode;
      report_params.start_of_week = G_DATE_BAD_WEEKDAY;
      self->period = gauge_report_builder_new (GAUGE_REPORT_DAILY, self->pricing, &report_params);
      self->walk = gauge_period_walk_new (self->pricing, self->mode, NULL, billing_start_ms,
                                          week_start_ms);
      self->billing_start_ms = billing_start_ms;
      self->week_start_ms = week_start_ms;
      self->snap_ms = G_MININT64;
    }

  if (until_ms == self->snap_ms)
    return;

  from = MAX (self->first, lower_bound (self->entries, self->snap_ms));
  to = MAX (from, lower_bound (self->entries, until_ms));
  gauge_report_builder_add (self->period, entries_from (self, from), to - from);
  gauge_period_walk_add (self->walk, entries_from (self, from), to - from);
  self->snap_ms = until_ms;
}

static GaugeLocalSummary *
summarize (GaugeLocalUsage               *self,
           const GaugeLocalSummaryParams *params,
           gint64                         now_ms)
{
  GaugeReportBuilder *period = gauge_report_builder_copy (self->period);
  GaugePeriodWalk *walk = gauge_period_walk_copy (self->walk);
  guint from = MAX (self->first, lower_bound (self->entries, self->snap_ms));
  guint n_entries = self->entries->len - self->first;
  const GaugeBlock *active;
  GaugePeriodFigures figures;
  GaugeBlockLimit limit;
  gboolean has_limit;

  gauge_report_builder_add (period, entries_from (self, from), self->entries->len - from);
  gauge_period_walk_add (walk, entries_from (self, from), self->entries->len - from);
  gauge_period_walk_end (walk, self->blocks, params->weekly_budget,
                         entries_from (self, self->first), n_entries, now_ms, &figures);

  active = gauge_blocks_get_active (self->blocks);
  has_limit = gauge_blocks_get_limit (self->blocks, params->plan, params->custom_limit_tokens,
                                      params->rate_limit_tier, &limit);
  if (has_limit)
    gauge_blocks_switch_limit (self->blocks, &limit);

  return gauge_local_summary_new (active, has_limit ? &limit : NULL,
                                  gauge_report_builder_end (period), &figures, params,
                                  n_entries, now_ms);
}

/**
 * gauge_local_usage_update:
 *
 * Blocking: reads what changed in the index since the previous update (all of
 * the window the first time). Call from a worker thread or the CLI.
 *
 * Returns: (transfer full): the summary at @now_ms, or %NULL with @error set
 */
GaugeLocalSummary *
gauge_local_usage_update (GaugeLocalUsage               *self,
                          const GaugeLocalSummaryParams *params,
                          gint64                         now_ms,
                          GError                       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GaugeEntryChanges changes;
  gboolean again;

  g_return_val_if_fail (GAUGE_IS_LOCAL_USAGE (self), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);

  /* Before reading entries: what changes after this is seen next time. */
  if (!gauge_store_get_entry_changes (self->store, self->loaded ? self->last_id : -1,
                                      self->last_edit, &changes, error))
    return NULL;

  /* Everything is read again the first time, after a change before the last block (or a
   * removal), with another cost mode or price file, and when the clock went back (entries
   * that left the window would come back). */
  again = !self->loaded || now_ms - self->span_ms < self->since_ms ||
          params->mode != self->mode || pricing_stamp () != self->pricing_stamp ||
          !gauge_entry_scope_equal (params->scope, self->scope) ||
          changes.low_ms < tail_ms (self) || changes.low_ms <= 0;

  if (again)
    {
      self->loaded = FALSE;
      self->mode = params->mode;
      gauge_entry_scope_free (self->scope);
      self->scope = gauge_entry_scope_copy (params->scope);
      if (!load_all (self, now_ms, error))
        return NULL;
    }
  else if (changes.low_ms != G_MAXINT64 && !load_from (self, changes.low_ms, now_ms, error))
    {
      self->loaded = FALSE;
      return NULL;
    }
  self->last_id = changes.last_id;
  self->last_edit = changes.last_edit;

  drop_old (self, now_ms);
  gauge_blocks_set_now (self->blocks, now_ms);
  update_sums (self, params, now_ms);

  return summarize (self, params, now_ms);
}

typedef struct
{
  GaugeLocalSummaryParams  params;
  char                    *rate_limit_tier;
  GaugeEntryScope         *scope;
} UpdateData;

static void
update_data_free (gpointer data)
{
  UpdateData *update = data;

  g_free (update->rate_limit_tier);
  gauge_entry_scope_free (update->scope);
  g_free (update);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  UpdateData *update = task_data;
  GaugeLocalSummary *summary;
  GError *error = NULL;

  summary = gauge_local_usage_update (source_object, &update->params,
                                      gauge_clock_now_unix () * 1000, &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, g_object_unref);
}

/* gauge_local_usage_update() on a worker thread, now. */
void
gauge_local_usage_update_async (GaugeLocalUsage               *self,
                                const GaugeLocalSummaryParams *params,
                                GCancellable                  *cancellable,
                                GAsyncReadyCallback            callback,
                                gpointer                       user_data)
{
  g_autoptr(GTask) task = NULL;
  UpdateData *update;

  g_return_if_fail (GAUGE_IS_LOCAL_USAGE (self));
  g_return_if_fail (params != NULL);

  update = g_new0 (UpdateData, 1);
  update->params = *params;
  update->rate_limit_tier = g_strdup (params->rate_limit_tier);
  update->params.rate_limit_tier = update->rate_limit_tier;
  update->scope = gauge_entry_scope_copy (params->scope);
  update->params.scope = update->scope;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_local_usage_update_async);
  g_task_set_task_data (task, update, update_data_free);
  gauge_worker_run_in_thread (task, update_thread);
}

GaugeLocalSummary *
gauge_local_usage_update_finish (GaugeLocalUsage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
