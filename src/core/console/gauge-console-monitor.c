/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-console-monitor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-admin-key.h"
#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-format.h"
#include "gauge-poll.h"
#include "gauge-store-console.h"
#include "gauge-store-cooldown.h"
#include "gauge-worker.h"

#define DAY 86400

typedef struct
{
  GaugeAdminKind  kind;
  gint64          start;     /* unix seconds; claude_code: the day */
  gint64          end;
} Job;

struct _GaugeConsoleMonitor
{
  GaugeMonitor       parent_instance;

  GaugeStore        *store;
  GaugeAdminClient  *client;
  GCancellable      *cancellable;
  char              *key;
  char              *key_hash;

  /* What we know. Row arrays are replaced, never edited, so a report may borrow them. */
  char              *org_id;
  char              *org_name;
  gint64             month_start;      /* of the data below */
  GHashTable        *cost_days;        /* day → GPtrArray of GaugeAdminCost */
  GHashTable        *message_days;     /* day → GPtrArray of GaugeAdminMessages */
  GHashTable        *code_days;        /* day → GPtrArray of GaugeAdminCode */
  GHashTable        *code_fetched;     /* day → when it was fetched (gint64, boxed) */
  GPtrArray         *workspaces;
  GPtrArray         *users;
  GPtrArray         *api_keys;
  gint64             last[GAUGE_ADMIN_N_KINDS];   /* unix seconds of the last success */
  gboolean           cache_loaded;     /* claude_code days read from the store for month/org */
  GaugeRateGate     *gate;
  gboolean           gate_loaded;
  gboolean           key_refused;      /* 401/403: wait for another key */

  GaugeAdminReport  *report;
  GError            *error;

  /* One round at a time, while :busy; every caller of update_once waits for it. */
  GQueue             jobs;
  gboolean           planned;
  guint              generation;       /* a new key drops the answers of the round before */
  gboolean           gate_changed;
  GPtrArray         *days_to_save;     /* gint64 day, boxed */
  guint              poll_source;
  gboolean           started;
  gint64             last_round;
};

G_DEFINE_FINAL_TYPE (GaugeConsoleMonitor, gauge_console_monitor, GAUGE_TYPE_MONITOR)

enum {
  PROP_0,
  PROP_REPORT,
  PROP_ERROR_MESSAGE,
  PROP_ORG_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_round (GaugeConsoleMonitor *self);
static void run_next_job (GaugeConsoleMonitor *self);
static void schedule_poll (GaugeConsoleMonitor *self);
static void continue_round (GaugeConsoleMonitor *self);
static void fail_round (GaugeConsoleMonitor *self,
                        GError              *error);

/* What an answer needs to find its round. */
typedef struct
{
  GaugeConsoleMonitor *self;
  guint                generation;
} Call;

static Call *
call_new (GaugeConsoleMonitor *self)
{
  Call *call = g_new (Call, 1);

  call->self = g_object_ref (self);
  call->generation = self->generation;
  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* An answer for a round that a new key or dispose has dropped goes nowhere. */
static gboolean
call_is_current (Call *call)
{
  return call->generation == call->self->generation && call->self->client != NULL;
}

static GHashTable *
days_table_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                (GDestroyNotify) g_ptr_array_unref);
}

static void
gauge_console_monitor_dispose (GObject *object)
{
  GaugeConsoleMonitor *self = (GaugeConsoleMonitor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->report);
  g_clear_object (&self->gate);

  G_OBJECT_CLASS (gauge_console_monitor_parent_class)->dispose (object);
}

static void
gauge_console_monitor_finalize (GObject *object)
{
  GaugeConsoleMonitor *self = (GaugeConsoleMonitor *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->key, gauge_admin_key_free);
  g_clear_pointer (&self->key_hash, g_free);
  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->cost_days, g_hash_table_unref);
  g_clear_pointer (&self->message_days, g_hash_table_unref);
  g_clear_pointer (&self->code_days, g_hash_table_unref);
  g_clear_pointer (&self->code_fetched, g_hash_table_unref);
  g_clear_pointer (&self->workspaces, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->api_keys, g_ptr_array_unref);
  g_clear_pointer (&self->days_to_save, g_ptr_array_unref);
  g_queue_clear_full (&self->jobs, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (gauge_console_monitor_parent_class)->finalize (object);
}

static void
gauge_console_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GaugeConsoleMonitor *self = GAUGE_CONSOLE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, gauge_console_monitor_get_error_message (self));
      break;
    case PROP_ORG_NAME:
      g_value_set_string (value, self->org_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_console_monitor_update_once (GaugeMonitor *monitor)
{
  GaugeConsoleMonitor *self = GAUGE_CONSOLE_MONITOR (monitor);

  if (!gauge_monitor_get_busy (monitor))
    start_round (self);
}

static void
gauge_console_monitor_poll_interval_changed (GaugeMonitor *monitor)
{
  GaugeConsoleMonitor *self = GAUGE_CONSOLE_MONITOR (monitor);

  if (self->poll_source != 0)
    {
      g_clear_handle_id (&self->poll_source, g_source_remove);
      schedule_poll (self);
    }
}

static void
gauge_console_monitor_class_init (GaugeConsoleMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GaugeMonitorClass *monitor_class = GAUGE_MONITOR_CLASS (klass);

  object_class->dispose = gauge_console_monitor_dispose;
  object_class->finalize = gauge_console_monitor_finalize;
  object_class->get_property = gauge_console_monitor_get_property;

  monitor_class->update_once = gauge_console_monitor_update_once;
  monitor_class->poll_interval_changed = gauge_console_monitor_poll_interval_changed;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, GAUGE_TYPE_ADMIN_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORG_NAME] =
    g_param_spec_string ("org-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_console_monitor_init (GaugeConsoleMonitor *self)
{
  self->cancellable = g_cancellable_new ();
  self->cost_days = days_table_new ();
  self->message_days = days_table_new ();
  self->code_days = days_table_new ();
  self->code_fetched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->gate = gauge_rate_gate_new ();
  self->days_to_save = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->jobs);
}

/**
 * gauge_console_monitor_new:
 * @store: (nullable): where finished claude_code days and the cooldown live
 */
GaugeConsoleMonitor *
gauge_console_monitor_new (GaugeStore       *store,
                           GaugeAdminClient *client)
{
  GaugeConsoleMonitor *self;

  g_return_val_if_fail (store == NULL || GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (GAUGE_IS_ADMIN_CLIENT (client), NULL);

  self = g_object_new (GAUGE_TYPE_CONSOLE_MONITOR, NULL);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->client = g_object_ref (client);

  return self;
}

static void
forget_org (GaugeConsoleMonitor *self)
{
  g_clear_pointer (&self->org_id, g_free);
  g_clear_pointer (&self->org_name, g_free);
  g_hash_table_remove_all (self->cost_days);
  g_hash_table_remove_all (self->message_days);
  g_hash_table_remove_all (self->code_days);
  g_hash_table_remove_all (self->code_fetched);
  g_clear_pointer (&self->workspaces, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->api_keys, g_ptr_array_unref);
  memset (self->last, 0, sizeof self->last);
  self->cache_loaded = FALSE;
}

/**
 * gauge_console_monitor_set_key:
 * @key: (nullable): the Admin API key; %NULL when there is none
 *
 * A different key starts over: its organization may be another one.
 */
void
gauge_console_monitor_set_key (GaugeConsoleMonitor *self,
                               const char          *key)
{
  g_return_if_fail (GAUGE_IS_CONSOLE_MONITOR (self));

  if (g_strcmp0 (key, self->key) == 0)
    return;

  if (gauge_monitor_get_busy (GAUGE_MONITOR (self)))
    {
      self->generation++;
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      fail_round (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                             "The Admin API key changed"));
    }

  g_clear_pointer (&self->key, gauge_admin_key_free);
  g_clear_pointer (&self->key_hash, g_free);
  self->key = g_strdup (key);
  if (key != NULL)
    {
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

      self->key_hash = g_strconcat ("console:", digest, NULL);
    }

  forget_org (self);
  self->key_refused = FALSE;
  self->gate_loaded = FALSE;
  g_clear_object (&self->gate);
  self->gate = gauge_rate_gate_new ();
  g_clear_error (&self->error);
  g_clear_object (&self->report);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_NAME]);

  if (self->poll_source != 0)
    {
      g_clear_handle_id (&self->poll_source, g_source_remove);
      schedule_poll (self);
    }
}

gboolean
gauge_console_monitor_has_key (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), FALSE);

  return self->key != NULL;
}

/* Returns: (transfer none) (nullable): the latest report, %NULL before the first */
GaugeAdminReport *
gauge_console_monitor_get_report (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), NULL);

  return self->report;
}

const char *
gauge_console_monitor_get_org_name (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), NULL);

  return self->org_name;
}

/* Returns: (nullable): why the last round failed, in GAUGE_ADMIN_ERROR (or a store error) */
const GError *
gauge_console_monitor_get_error (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), NULL);

  return self->error;
}

const char *
gauge_console_monitor_get_error_message (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), NULL);

  return self->error != NULL ? self->error->message : NULL;
}

GaugeRateGate *
gauge_console_monitor_get_gate (GaugeConsoleMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_CONSOLE_MONITOR (self), NULL);

  return self->gate;
}

/* --- Days ------------------------------------------------------------------ */

static gint64
day_of (gint64 unix_time)
{
  return unix_time - (((unix_time % DAY) + DAY) % DAY);
}

static gint64
month_start_of (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) start = gauge_admin_month_start (time);

  return g_date_time_to_unix (start);
}

static void
put_day (GHashTable *days,
         gint64      day,
         gpointer    value)
{
  gint64 *key = g_new (gint64, 1);

  *key = day;
  g_hash_table_replace (days, key, value);
}

static void
put_fetched (GaugeConsoleMonitor *self,
             gint64               day,
             gint64               fetched_at)
{
  gint64 *value = g_new (gint64, 1);

  *value = fetched_at;
  put_day (self->code_fetched, day, value);
}

/* Fetched late enough after its end that it will not change any more. */
static gboolean
code_day_is_final (GaugeConsoleMonitor *self,
                   gint64               day)
{
  gint64 *fetched_at = g_hash_table_lookup (self->code_fetched, &day);

  return fetched_at != NULL && *fetched_at >= day + DAY + GAUGE_CONSOLE_CODE_FINAL;
}

/* Moves each row of @rows into its day's new array; days of [@from, @to] without a row are
 * now empty, which is what the API says of them. Rows of other days are dropped: the answer
 * is the truth only for the days asked for, and those days are kept from their own answer. */
static void
replace_days (GHashTable     *days,
              GaugeAdminKind  kind,
              GPtrArray      *rows,
              gint64          from,
              gint64          to)
{
  g_autofree gpointer *stolen = NULL;
  gsize n = 0;

  for (gint64 day = from; day <= to; day += DAY)
    put_day (days, day, gauge_admin_rows_new ());

  stolen = g_ptr_array_steal (rows, &n);
  for (gsize i = 0; i < n; i++)
    {
      gint64 day = kind == GAUGE_ADMIN_COST ? ((GaugeAdminCost *) stolen[i])->day
                                            : ((GaugeAdminMessages *) stolen[i])->day;
      gint64 key = day_of (day);

      if (key < from || key > to)
        {
          g_debug ("Dropped an Admin API bucket of a day not asked for");
          g_free (stolen[i]);
          continue;
        }
      g_ptr_array_add (g_hash_table_lookup (days, &key), stolen[i]);
    }
}

static GPtrArray *
flatten (GHashTable *days)
{
  GPtrArray *all = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, days);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *rows = value;

      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (all, g_ptr_array_index (rows, i));
    }

  return all;
}

static void
rebuild_report (GaugeConsoleMonitor *self,
                GDateTime           *now)
{
  g_autoptr(GPtrArray) cost = flatten (self->cost_days);
  g_autoptr(GPtrArray) messages = flatten (self->message_days);
  g_autoptr(GPtrArray) code = flatten (self->code_days);

  g_clear_object (&self->report);
  self->report = gauge_admin_report_new (self->org_name, now, cost, messages, code,
                                         self->workspaces, self->users, self->api_keys);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

/* --- The store, on a worker thread ----------------------------------------- */

typedef struct
{
  char          *key_hash;
  char          *org_id;
  char          *first_day;
  char          *last_day;
  GaugeRateGate *gate;         /* in: to save; out: loaded */
  GHashTable    *days;         /* in: day → JSON to save; out: loaded */
  gboolean       load;
  GError        *error;
  GPtrArray     *waiters;      /* save: the round's callers, answered once it is saved */
  GError        *round_error;  /* save: what they are answered */
} StoreWork;

static void
store_work_free (gpointer data)
{
  StoreWork *work = data;

  g_free (work->key_hash);
  g_free (work->org_id);
  g_free (work->first_day);
  g_free (work->last_day);
  g_clear_object (&work->gate);
  g_clear_pointer (&work->days, g_hash_table_unref);
  g_clear_error (&work->error);
  g_clear_pointer (&work->waiters, g_ptr_array_unref);
  g_clear_error (&work->round_error);
  g_free (work);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GaugeStore *store = source_object;
  StoreWork *work = task_data;
  gboolean opened;

  /* The gate also when the database cannot be opened: the store keeps it in a file then. */
  opened = gauge_store_open (store, &work->error);

  if (work->load)
    {
      if (work->key_hash != NULL)
        work->gate = gauge_store_load_gate (store, work->key_hash,
                                            work->error == NULL ? &work->error : NULL);
      if (work->error == NULL && work->org_id != NULL)
        work->days = gauge_store_load_console_days (store, work->org_id, work->first_day,
                                                    work->last_day,
                                                    DAY + GAUGE_CONSOLE_CODE_FINAL, &work->error);
      return;
    }

  if (work->gate != NULL && work->key_hash != NULL)
    gauge_store_save_gate (store, work->key_hash, work->gate,
                           work->error == NULL ? &work->error : NULL);

  if (opened && work->days != NULL && work->error == NULL)
    {
      GHashTableIter iter;
      gpointer day, json;

      g_hash_table_iter_init (&iter, work->days);
      while (work->error == NULL && g_hash_table_iter_next (&iter, &day, &json))
        gauge_store_save_console_day (store, work->org_id, day, json, gauge_clock_now_unix (),
                                      &work->error);
    }
}

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StoreWork *work = g_task_get_task_data (G_TASK (result));

  if (work->error != NULL)
    g_debug ("Could not save the Console cache: %s", work->error->message);
  gauge_poll_return_waiters (work->waiters, work->round_error);
}

/* Saves the cooldown and the new days, then answers @waiters: a caller that exits once
 * answered (the terminal) must not take a cooldown with it that was never written. Returns
 * %FALSE, @waiters not taken, when there is nothing to save. */
static gboolean
save_in_background (GaugeConsoleMonitor *self,
                    GDateTime           *now,
                    GPtrArray           *waiters)
{
  g_autoptr(GTask) task = NULL;
  StoreWork *work;

  if (self->store == NULL || (!self->gate_changed && self->days_to_save->len == 0))
    return FALSE;

  work = g_new0 (StoreWork, 1);
  work->waiters = g_ptr_array_ref (waiters);
  work->round_error = self->error != NULL ? g_error_copy (self->error) : NULL;
  work->key_hash = g_strdup (self->key_hash);
  work->org_id = g_strdup (self->org_id);
  if (self->gate_changed)
    work->gate = gauge_rate_gate_copy (self->gate);
  if (self->org_id != NULL && self->days_to_save->len > 0)
    {
      work->days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (guint i = 0; i < self->days_to_save->len; i++)
        {
          gint64 *day = g_ptr_array_index (self->days_to_save, i);
          GPtrArray *rows = g_hash_table_lookup (self->code_days, day);

          if (rows != NULL)
            g_hash_table_replace (work->days, gauge_admin_format_day (*day),
                                  gauge_admin_code_rows_to_json (rows));
        }
    }
  self->gate_changed = FALSE;
  g_ptr_array_set_size (self->days_to_save, 0);

  task = g_task_new (self->store, NULL, save_done_cb, NULL);
  g_task_set_source_tag (task, save_in_background);
  g_task_set_task_data (task, work, store_work_free);
  gauge_worker_run_in_thread (task, store_thread);

  return TRUE;
}

/* --- A round --------------------------------------------------------------- */

static void
finish_round (GaugeConsoleMonitor *self)
{
  g_autoptr(GPtrArray) waiters = gauge_monitor_take_waiters (GAUGE_MONITOR (self));
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();

  g_queue_clear_full (&self->jobs, g_free);

  /* No report before the month's spend was read once (here or from the cache): zeros would
   * read as a month with nothing spent. */
  if (self->org_id != NULL && g_hash_table_size (self->cost_days) > 0)
    rebuild_report (self, now);

  gauge_monitor_set_busy (GAUGE_MONITOR (self), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  if (!save_in_background (self, now, waiters))
    gauge_poll_return_waiters (waiters, self->error);

  if (self->started)
    {
      g_clear_handle_id (&self->poll_source, g_source_remove);
      schedule_poll (self);
    }
}

static void
fail_round (GaugeConsoleMonitor *self,
            GError              *error)
{
  g_clear_error (&self->error);
  self->error = error;
  finish_round (self);
}

static void
add_job (GaugeConsoleMonitor *self,
         GaugeAdminKind       kind,
         gint64               start,
         gint64               end)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->start = start;
  job->end = end;
  g_queue_push_tail (&self->jobs, job);
}

static gboolean
is_due (GaugeConsoleMonitor *self,
        GaugeAdminKind       kind,
        gint64               interval,
        gint64               now)
{
  gint64 wait = MAX (interval, (gint64) gauge_monitor_get_poll_interval (GAUGE_MONITOR (self)));

  return self->last[kind] == 0 || now + GAUGE_CONSOLE_SLACK >= self->last[kind] + wait;
}

/* What this round asks for, once the organization is known and its cache read. */
static void
plan_jobs (GaugeConsoleMonitor *self,
           gint64               now)
{
  gint64 today = day_of (now);
  gint64 yesterday = MAX (today - DAY, self->month_start);
  gint64 tomorrow = today + DAY;
  gboolean have_cost = g_hash_table_size (self->cost_days) > 0;
  gboolean have_messages = g_hash_table_size (self->message_days) > 0;

  if (is_due (self, GAUGE_ADMIN_WORKSPACES, GAUGE_CONSOLE_LISTS_INTERVAL, now))
    {
      add_job (self, GAUGE_ADMIN_WORKSPACES, 0, 0);
      add_job (self, GAUGE_ADMIN_USERS, 0, 0);
      add_job (self, GAUGE_ADMIN_API_KEYS, 0, 0);
    }

  add_job (self, GAUGE_ADMIN_COST, have_cost ? yesterday : self->month_start, tomorrow);

  if (is_due (self, GAUGE_ADMIN_MESSAGES, GAUGE_CONSOLE_MESSAGES_INTERVAL, now))
    add_job (self, GAUGE_ADMIN_MESSAGES, have_messages ? yesterday : self->month_start, tomorrow);

  /* Finished days not yet final here: once each, then they are kept for good. */
  for (gint64 day = self->month_start; day < yesterday; day += DAY)
    if (!code_day_is_final (self, day))
      add_job (self, GAUGE_ADMIN_CLAUDE_CODE, day, 0);

  if (is_due (self, GAUGE_ADMIN_CLAUDE_CODE, GAUGE_CONSOLE_CODE_INTERVAL, now))
    {
      if (yesterday < today)
        add_job (self, GAUGE_ADMIN_CLAUDE_CODE, yesterday, 0);
      add_job (self, GAUGE_ADMIN_CLAUDE_CODE, today, 0);
    }
}

static void
take_rows (GaugeConsoleMonitor *self,
           Job                 *job,
           GPtrArray           *rows,
           gint64               now)
{
  gint64 today = day_of (now);

  switch (job->kind)
    {
    case GAUGE_ADMIN_ORGANIZATION:
      {
        GaugeAdminOrganization *org = g_ptr_array_index (rows, 0);

        if (g_strcmp0 (org->id, self->org_id) != 0)
          {
            forget_org (self);
            self->org_id = g_strdup (org->id);
          }
        g_free (self->org_name);
        self->org_name = g_strdup (org->name != NULL ? org->name : org->id);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_NAME]);
      }
      break;
    case GAUGE_ADMIN_COST:
      replace_days (self->cost_days, job->kind, rows, job->start, today);
      break;
    case GAUGE_ADMIN_MESSAGES:
      replace_days (self->message_days, job->kind, rows, job->start, today);
      break;
    case GAUGE_ADMIN_CLAUDE_CODE:
      put_day (self->code_days, job->start, g_ptr_array_ref (rows));
      put_fetched (self, job->start, now);
      /* The store only hands back days fetched late enough to be final (see its query). */
      if (job->start < today)
        {
          gint64 *day = g_new (gint64, 1);

          *day = job->start;
          g_ptr_array_add (self->days_to_save, day);
        }
      return;
    case GAUGE_ADMIN_WORKSPACES:
      g_clear_pointer (&self->workspaces, g_ptr_array_unref);
      self->workspaces = g_ptr_array_ref (rows);
      break;
    case GAUGE_ADMIN_USERS:
      g_clear_pointer (&self->users, g_ptr_array_unref);
      self->users = g_ptr_array_ref (rows);
      break;
    case GAUGE_ADMIN_API_KEYS:
      g_clear_pointer (&self->api_keys, g_ptr_array_unref);
      self->api_keys = g_ptr_array_ref (rows);
      break;
    case GAUGE_ADMIN_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
job_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  GaugeConsoleMonitor *self = call->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autofree Job *job = NULL;
  gint64 retry_after = -1;

  rows = gauge_admin_client_fetch_finish (GAUGE_ADMIN_CLIENT (object), result, &retry_after,
                                          &error);
  if (!call_is_current (call))
    return;

  job = g_queue_pop_head (&self->jobs);
  if (rows == NULL)
    {
      if (g_error_matches (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_RATE_LIMITED))
        {
          gauge_rate_gate_record_rate_limited (self->gate, now, retry_after);
          self->gate_changed = TRUE;
        }
      else if (g_error_matches (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_SERVER) ||
               g_error_matches (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NETWORK))
        {
          guint poll_interval = gauge_monitor_get_poll_interval (GAUGE_MONITOR (self));

          gauge_rate_gate_record_transient_failure (self->gate, now, poll_interval);
          self->gate_changed = TRUE;
        }
      else if (g_error_matches (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_UNAUTHORIZED) ||
               g_error_matches (error, GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_FORBIDDEN))
        {
          self->key_refused = TRUE;
        }

      fail_round (self, g_steal_pointer (&error));
      return;
    }

  if (gauge_rate_gate_get_reason (self->gate) != GAUGE_GATE_OPEN)
    {
      gauge_rate_gate_record_success (self->gate);
      self->gate_changed = TRUE;
    }

  take_rows (self, job, rows, g_date_time_to_unix (now));
  if (job->kind != GAUGE_ADMIN_CLAUDE_CODE || job->start >= day_of (g_date_time_to_unix (now)))
    self->last[job->kind] = MAX (self->last[job->kind], self->last_round);
  if (job->kind == GAUGE_ADMIN_WORKSPACES)
    self->last[GAUGE_ADMIN_USERS] = self->last[GAUGE_ADMIN_API_KEYS] = self->last_round;

  run_next_job (self);
}

static void
load_cache_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  GaugeConsoleMonitor *self = call->self;
  StoreWork *work = g_task_get_task_data (G_TASK (result));

  if (!call_is_current (call))
    return;

  if (work->error != NULL)
    g_debug ("Could not read the Console cache: %s", work->error->message);

  if (work->gate != NULL && !self->gate_loaded)
    {
      g_clear_object (&self->gate);
      self->gate = g_steal_pointer (&work->gate);
    }
  self->gate_loaded = TRUE;

  if (work->days != NULL && g_strcmp0 (work->org_id, self->org_id) == 0)
    {
      GHashTableIter iter;
      gpointer day, json;

      g_hash_table_iter_init (&iter, work->days);
      while (g_hash_table_iter_next (&iter, &day, &json))
        {
          g_autoptr(GaugeAdminPage) page = NULL;
          gint64 unix_day = gauge_admin_parse_day (day);

          page = gauge_admin_page_parse (GAUGE_ADMIN_CLAUDE_CODE, json, strlen (json), NULL);
          if (page != NULL && unix_day >= 0)
            {
              put_day (self->code_days, unix_day, g_ptr_array_ref (page->rows));
              put_fetched (self, unix_day, G_MAXINT64);
            }
        }
      g_debug ("%u finished Claude Code days from the cache", g_hash_table_size (work->days));
    }
  /* Even when the store failed: the round goes on without a cache rather than loop. */
  self->cache_loaded = work->org_id != NULL || work->error != NULL;

  continue_round (self);
}

static void
load_cache (GaugeConsoleMonitor *self,
            gint64               now)
{
  g_autoptr(GTask) task = NULL;
  StoreWork *work;

  if (self->store == NULL)
    {
      self->cache_loaded = self->gate_loaded = TRUE;
      continue_round (self);
      return;
    }

  work = g_new0 (StoreWork, 1);
  work->load = TRUE;
  work->key_hash = self->gate_loaded ? NULL : g_strdup (self->key_hash);
  work->org_id = g_strdup (self->org_id);
  work->first_day = gauge_admin_format_day (self->month_start);
  work->last_day = gauge_admin_format_day (day_of (now));

  task = g_task_new (self->store, NULL, load_cache_cb, call_new (self));
  g_task_set_source_tag (task, load_cache);
  g_task_set_task_data (task, work, store_work_free);
  gauge_worker_run_in_thread (task, store_thread);
}

static void
run_next_job (GaugeConsoleMonitor *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  Job *job = g_queue_peek_head (&self->jobs);

  if (job == NULL)
    {
      /* The organization is known now: read its cache, then plan the rest. */
      if (self->org_id != NULL && !self->planned)
        {
          continue_round (self);
          return;
        }

      g_clear_error (&self->error);
      finish_round (self);
      return;
    }

  if (job->kind == GAUGE_ADMIN_COST || job->kind == GAUGE_ADMIN_MESSAGES ||
      job->kind == GAUGE_ADMIN_CLAUDE_CODE)
    start = g_date_time_new_from_unix_utc (job->start);
  if (job->end != 0)
    end = g_date_time_new_from_unix_utc (job->end);

  gauge_admin_client_fetch_async (self->client, self->key, job->kind, start, end,
                                  self->cancellable, job_cb, call_new (self));
}

static void
start_round (GaugeConsoleMonitor *self)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  gint64 now_unix = g_date_time_to_unix (now);
  gint64 month_start = month_start_of (now_unix);

  self->planned = FALSE;
  self->last_round = now_unix;
  gauge_monitor_set_busy (GAUGE_MONITOR (self), TRUE);

  if (self->key == NULL)
    {
      fail_round (self, g_error_new_literal (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_NO_KEY,
                                             _("No Admin API key is set")));
      return;
    }

  /* A new month starts from nothing: finished days of the last one are of no use here. */
  if (month_start != self->month_start)
    {
      g_hash_table_remove_all (self->cost_days);
      g_hash_table_remove_all (self->message_days);
      g_hash_table_remove_all (self->code_days);
      g_hash_table_remove_all (self->code_fetched);
      self->month_start = month_start;
      self->cache_loaded = FALSE;
      self->last[GAUGE_ADMIN_MESSAGES] = self->last[GAUGE_ADMIN_CLAUDE_CODE] = 0;
    }

  continue_round (self);
}

static GError *
new_waiting_error (GaugeConsoleMonitor *self,
                   GDateTime           *now)
{
  g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (
    gauge_rate_gate_get_until_unix (self->gate));
  g_autofree char *when = gauge_format_clock (until, now);

  /* Translators: the argument is a time of day, e.g. "20:40" */
  return g_error_new (GAUGE_ADMIN_ERROR, GAUGE_ADMIN_ERROR_RATE_LIMITED,
                      _("Not loaded yet: the Admin API asked to wait until %s."), when);
}

/* The next step of a round: the cooldown and cache first, then the organization (the key
 * check), then whatever else is due. */
static void
continue_round (GaugeConsoleMonitor *self)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  gint64 now_unix = g_date_time_to_unix (now);

  if (!self->gate_loaded || (self->org_id != NULL && !self->cache_loaded))
    {
      load_cache (self, now_unix);
      return;
    }

  if (!gauge_rate_gate_allows (self->gate, now))
    {
      g_debug ("Waiting for the cooldown");
      /* Nothing to show yet: say why, rather than an empty answer. */
      if (self->report == NULL && self->error == NULL)
        self->error = new_waiting_error (self, now);
      finish_round (self);
      return;
    }

  if (self->org_id == NULL ||
      is_due (self, GAUGE_ADMIN_ORGANIZATION, GAUGE_CONSOLE_ORG_INTERVAL, now_unix))
    add_job (self, GAUGE_ADMIN_ORGANIZATION, 0, 0);

  if (self->org_id != NULL)
    {
      plan_jobs (self, now_unix);
      self->planned = TRUE;
    }

  run_next_job (self);
}

static gboolean
poll_cb (gpointer user_data)
{
  GaugeConsoleMonitor *self = user_data;

  self->poll_source = 0;
  if (!gauge_monitor_get_busy (GAUGE_MONITOR (self)) && self->key != NULL && !self->key_refused)
    start_round (self);
  if (self->poll_source == 0 && !gauge_monitor_get_busy (GAUGE_MONITOR (self)))
    schedule_poll (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_poll (GaugeConsoleMonitor *self)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GDateTime) last = NULL;
  gint64 next;

  if (self->last_round != 0)
    last = g_date_time_new_from_unix_utc (self->last_round);
  next = gauge_rate_gate_next_poll_unix (self->gate, now, last,
                                         gauge_monitor_get_poll_interval (GAUGE_MONITOR (self)),
                                         NULL);
  self->poll_source = gauge_poll_timeout_add_at (next, poll_cb, self);
}

/* Polls from now on, every poll interval, until disposed. */
void
gauge_console_monitor_start (GaugeConsoleMonitor *self)
{
  g_return_if_fail (GAUGE_IS_CONSOLE_MONITOR (self));

  if (self->started)
    return;

  self->started = TRUE;
  schedule_poll (self);
}

static guint
rounds_per_day (guint  poll_interval,
                gint64 interval)
{
  gint64 effective = MAX (interval, (gint64) poll_interval) - GAUGE_CONSOLE_SLACK;
  gint64 polls = (effective + poll_interval - 1) / poll_interval;

  return (guint) (DAY / (MAX (polls, 1) * poll_interval));
}

/**
 * gauge_console_requests_per_day:
 *
 * Requests a day of steady polling (warm cache, one page per answer): what
 * the schedule above sends. The day that has just finished needs no extra
 * request: it was last fetched as "yesterday", long after its lag.
 */
guint
gauge_console_requests_per_day (guint poll_interval)
{
  poll_interval = MAX (poll_interval, GAUGE_POLL_INTERVAL_MIN);

  return rounds_per_day (poll_interval, poll_interval)                          /* cost */
         + rounds_per_day (poll_interval, GAUGE_CONSOLE_MESSAGES_INTERVAL)
         + 2 * rounds_per_day (poll_interval, GAUGE_CONSOLE_CODE_INTERVAL)
         + 3 * rounds_per_day (poll_interval, GAUGE_CONSOLE_LISTS_INTERVAL)
         + rounds_per_day (poll_interval, GAUGE_CONSOLE_ORG_INTERVAL);
}
