/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "gauge-alert-rules.h"
#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-credentials.h"
#include "gauge-format.h"
#include "gauge-local-text.h"
#include "gauge-local-usage.h"
#include "gauge-notifier.h"
#include "gauge-store-alerts.h"
#include "gauge-store-prompt-caches.h"
#include "gauge-store-readings.h"
#include "gauge-worker.h"

#define APP_NAME "Claude Gauge"
/* No category of the specification fits; vendor ones are "x-vendor.class". */
#define CATEGORY_LIMIT   "x-claude-gauge.limit"
#define CATEGORY_ACCOUNT "x-claude-gauge.account"

/* How often the sessions' prompt caches are looked at, while that warning is on: they are
 * written by --statusline, in other processes. */
#define PROMPT_CACHE_CHECK_SECONDS 30

struct _GaugeNotifier
{
  GObject        parent_instance;

  GApplication  *app;
  GaugeLimitsMonitor  *monitor;
  GSignalGroup  *monitor_signals;
  GaugeConsoleMonitor *console;
  GSignalGroup  *console_signals;
  GaugeStore    *store;
  GSettings     *settings;
  GCancellable  *cancellable;
  GaugeLocalUsage *local_usage;   /* for the rules about the local block; NULL until given */
  guint          tick_source;

  /* What the last evaluation saw, for the reset rule. */
  GaugeLimitsSnapshot *previous;
  /* Keys sent by this process: still no repeats when the database fails. */
  GHashTable    *sent;
  /* Shown and not yet closed: libnotify delivers the action only while they live. */
  GPtrArray     *shown;

  char          *server_message;
  gboolean       server_missing;
  /* Several accounts: the name titles say, and what keys of an account other than the
   * first start with (the first keeps the keys it always had). */
  char          *account_name;
  char          *account_key_prefix;
  /* Every account's folder, the first account's first: with several, the local rules
   * read this account's own folder's usage. NULL: every folder's. */
  GStrv          account_folders;
  guint          prompt_cache_source;
  gboolean       busy;
  gboolean       pending;
};

G_DEFINE_FINAL_TYPE (GaugeNotifier, gauge_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_MISSING,
  PROP_SERVER_MESSAGE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void evaluate (GaugeNotifier *self);

static void
ensure_notify_init (void)
{
  if (!notify_is_initted ())
    notify_init (APP_NAME);
}

static NotifyNotification *
build_notification (const char        *title,
                    const char        *body,
                    const char        *category,
                    GaugeAlertUrgency  urgency)
{
  NotifyNotification *notification = notify_notification_new (title, body, APPLICATION_ID);
  NotifyUrgency level = NOTIFY_URGENCY_NORMAL;

  if (urgency == GAUGE_ALERT_URGENCY_CRITICAL)
    level = NOTIFY_URGENCY_CRITICAL;
  else if (urgency == GAUGE_ALERT_URGENCY_LOW)
    level = NOTIFY_URGENCY_LOW;

  notify_notification_set_urgency (notification, level);
  notify_notification_set_category (notification, category);
  /* Lets the server show our name and icon, and group our notifications. */
  notify_notification_set_hint_string (notification, "desktop-entry", APPLICATION_ID);

  return notification;
}

/* --- Properties ----------------------------------------------------------- */

static void
set_busy (GaugeNotifier *self,
          gboolean       busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_server_missing (GaugeNotifier *self,
                    gboolean       missing,
                    const char    *detail)
{
  g_autofree char *message = NULL;

  if (missing)
    message = g_strdup (_("Desktop notifications cannot be shown: no notification service "
                          "answered. Claude Gauge keeps working; limits are shown here."));

  if (missing && detail != NULL)
    g_debug ("No notification server: %s", detail);

  g_object_freeze_notify (G_OBJECT (self));

  if (g_strcmp0 (self->server_message, message) != 0)
    {
      g_free (self->server_message);
      self->server_message = g_steal_pointer (&message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_MESSAGE]);
    }

  if (self->server_missing != missing)
    {
      self->server_missing = missing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_MISSING]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

/* --- Showing -------------------------------------------------------------- */

static void
default_action_cb (NotifyNotification *notification,
                   char               *action,
                   gpointer            user_data)
{
  GaugeNotifier *self = user_data;

  if (self->app != NULL && g_application_get_is_registered (self->app))
    g_application_activate (self->app);
}

static void
closed_cb (GaugeNotifier      *self,
           NotifyNotification *notification)
{
  g_ptr_array_remove (self->shown, notification);
}

static void
show (GaugeNotifier *self,
      GaugeAlert    *alert)
{
  NotifyNotification *notification;
  g_autoptr(GError) error = NULL;
  const char *category = alert->window_id != NULL ? CATEGORY_LIMIT : CATEGORY_ACCOUNT;

  ensure_notify_init ();
  notification = build_notification (alert->title, alert->body, category, alert->urgency);
  notify_notification_add_action (notification, "default", _("Open Claude Gauge"),
                                  default_action_cb, self, NULL);

  if (!notify_notification_show (notification, &error))
    {
      g_warning ("Could not show the notification “%s”: %s", alert->title, error->message);
      set_server_missing (self, TRUE, error->message);
      g_object_unref (notification);
      return;
    }

  g_debug ("Notified %s", alert->key);
  set_server_missing (self, FALSE, NULL);
  g_signal_connect_object (notification, "closed", G_CALLBACK (closed_cb), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->shown, notification);
}

/* --- Evaluating, on a worker thread --------------------------------------- */

typedef struct
{
  /* in */
  GDateTime          *now;
  GaugeLimitsSnapshot *snapshot;
  GaugeLimitsSnapshot *previous;
  GaugeLimitsMonitorState   state;
  char               *credentials_path;
  char               *folder;              /* the account's */
  GDateTime          *cooldown_until;
  GArray             *thresholds[GAUGE_LIMIT_GROUP_N];
  GaugeAlertSettings  settings;
  GHashTable         *sent;
  GaugeStore         *store;
  gboolean            limits;        /* FALSE: only the prompt caches */
  guint               prompt_cache_minutes;  /* 0: no prompt-cache warning */
  GArray             *budgets;       /* GaugeBudgetItem, strings owned by budget_strings */
  GPtrArray          *budget_strings;
  GaugeLocalUsage    *local_usage;   /* NULL when no rule about the local block is on */
  GaugeLocalSummaryParams local_params;
  GaugeEntryScope    *local_scope;   /* NULL: every folder's usage */
  char               *rate_limit_tier;
  char               *account_name;        /* nullable */
  char               *account_key_prefix;  /* nullable */
  /* out */
  GPtrArray          *alerts;
} Eval;

static void
eval_free (gpointer data)
{
  Eval *eval = data;

  g_clear_pointer (&eval->now, g_date_time_unref);
  g_clear_object (&eval->snapshot);
  g_clear_object (&eval->previous);
  g_free (eval->credentials_path);
  g_free (eval->folder);
  g_clear_pointer (&eval->cooldown_until, g_date_time_unref);
  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    g_clear_pointer (&eval->thresholds[i], g_array_unref);
  g_clear_pointer (&eval->sent, g_hash_table_unref);
  g_clear_object (&eval->store);
  g_clear_pointer (&eval->budgets, g_array_unref);
  g_clear_pointer (&eval->budget_strings, g_ptr_array_unref);
  g_clear_object (&eval->local_usage);
  g_clear_pointer (&eval->local_scope, gauge_entry_scope_free);
  g_free (eval->rate_limit_tier);
  g_free (eval->account_name);
  g_free (eval->account_key_prefix);
  g_clear_pointer (&eval->alerts, g_ptr_array_unref);
  g_free (eval);
}

/* For the rules about what is the whole organization's or machine's (the Console's budgets,
 * the prompt caches): keys without an account. */
static gboolean
eval_is_sent (const char *key,
              gpointer    user_data)
{
  Eval *eval = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ret;

  if (g_hash_table_contains (eval->sent, key))
    return TRUE;

  ret = gauge_store_has_alert (eval->store, key, &error);
  if (error != NULL)
    g_debug ("Cannot tell whether %s was sent: %s", key, error->message);

  return ret;
}

/* For the rules about an account's limits and local block: its keys (label_account()). */
static gboolean
eval_is_sent_for_account (const char *key,
                          gpointer    user_data)
{
  Eval *eval = user_data;
  g_autofree char *account_key = NULL;

  if (eval->account_key_prefix != NULL)
    key = account_key = g_strconcat (eval->account_key_prefix, key, NULL);

  return eval_is_sent (key, eval);
}

static void
remember (Eval       *eval,
          const char *key)
{
  g_autoptr(GError) error = NULL;

  if (!gauge_store_add_alert (eval->store, key, g_date_time_to_unix (eval->now), &error))
    g_warning ("Could not remember the alert %s: %s", key, error->message);
}

/* The local estimate's active block, for the rules about it. Returns whether there is one. */
static gboolean
read_local_facts (Eval                 *eval,
                  GaugeLocalAlertFacts *facts,
                  char                **limit_text)
{
  g_autoptr(GaugeLocalSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  const GaugeBlock *block;
  GaugeBlockLimit limit;

  summary = gauge_local_usage_update (eval->local_usage, &eval->local_params,
                                      g_date_time_to_unix (eval->now) * 1000, &error);
  if (summary == NULL)
    {
      g_debug ("No local estimate for the alerts: %s", error->message);
      return FALSE;
    }
  block = gauge_local_summary_get_active_block (summary);
  if (block == NULL)
    return FALSE;

  facts->block_start_unix = block->start_ms / 1000;
  facts->block_end_unix = block->end_ms / 1000;
  facts->last_entry_unix = block->last_ms / 1000;
  if (gauge_local_summary_get_block_limit (summary, &limit) && limit.switched)
    {
      facts->limit_switched = TRUE;
      *limit_text = gauge_local_text_limit (&limit);
      facts->limit_text = *limit_text;
    }
  return TRUE;
}

/* The limits' alerts of one account among several: "Work · Weekly at 85 %", remembered
 * under its own keys. */
static void
label_account (Eval *eval)
{
  for (guint i = 0; i < eval->alerts->len; i++)
    {
      GaugeAlert *alert = g_ptr_array_index (eval->alerts, i);

      if (eval->account_name != NULL)
        {
          char *title = g_strdup_printf ("%s · %s", eval->account_name, alert->title);

          g_free (alert->title);
          alert->title = title;
        }
      if (eval->account_key_prefix == NULL)
        continue;

      {
        char *key = g_strconcat (eval->account_key_prefix, alert->key, NULL);

        g_free (alert->key);
        alert->key = key;
      }
      for (guint j = 0; alert->covered_keys != NULL && alert->covered_keys[j] != NULL; j++)
        {
          char *key = g_strconcat (eval->account_key_prefix, alert->covered_keys[j], NULL);

          g_free (alert->covered_keys[j]);
          alert->covered_keys[j] = key;
        }
    }
}

static void
eval_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Eval *eval = task_data;
  g_autoptr(GHashTable) projections = NULL;
  g_autofree char *token_id = NULL;
  g_autofree char *limit_text = NULL;
  GaugeLocalAlertFacts local = { 0 };
  GaugeAlertInput input = { 0 };

  if (!eval->limits)
    {
      eval->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_alert_free);
      goto prompt_caches;
    }

  if (eval->state == GAUGE_LIMITS_MONITOR_STATE_EXPIRED && eval->credentials_path != NULL)
    {
      g_autoptr(GaugeCredentials) credentials =
        gauge_credentials_new_from_file (eval->credentials_path, NULL);

      if (credentials != NULL)
        token_id = gauge_credentials_dup_token_hash (credentials);
    }

  /* The pace rule warns about the same projection the window shows. */
  if (eval->snapshot != NULL && eval->settings.pace)
    {
      g_autoptr(GError) error = NULL;

      projections = gauge_store_load_account_projections (eval->store, eval->folder,
                                                          eval->snapshot,
                                                          g_date_time_to_unix (eval->now), &error);
      if (error != NULL)
        g_debug ("No projections for the pace: %s", error->message);
    }

  input.now = eval->now;
  input.snapshot = eval->snapshot;
  input.previous = eval->previous;
  input.state = eval->state;
  input.token_id = token_id;
  input.cooldown_until = eval->cooldown_until;
  input.projections = projections;
  input.settings = &eval->settings;
  if (eval->local_usage != NULL && read_local_facts (eval, &local, &limit_text))
    input.local = &local;
  input.is_sent = eval_is_sent_for_account;
  input.is_sent_data = eval;

  eval->alerts = gauge_alert_rules_evaluate (&input);
  label_account (eval);

  if (eval->budgets != NULL && eval->budgets->len > 0)
    {
      GaugeBudgetInput budget_input = { 0 };
      g_autoptr(GPtrArray) budget_alerts = NULL;

      budget_input.now = eval->now;
      budget_input.items = (const GaugeBudgetItem *) (gpointer) eval->budgets->data;
      budget_input.n_items = eval->budgets->len;
      budget_input.mute_until_unix = eval->settings.mute_until_unix;
      budget_input.is_sent = eval_is_sent;
      budget_input.is_sent_data = eval;
      budget_alerts = gauge_alert_rules_evaluate_budgets (&budget_input);
      g_ptr_array_extend_and_steal (eval->alerts, g_steal_pointer (&budget_alerts));
    }

prompt_caches:
  if (eval->prompt_cache_minutes > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) caches =
        gauge_store_load_prompt_caches (eval->store, g_date_time_to_unix (eval->now), &error);
      GaugePromptCacheInput cache_input = { 0 };

      if (caches == NULL)
        g_debug ("No prompt caches: %s", error->message);

      cache_input.now = eval->now;
      cache_input.caches = caches;
      cache_input.minutes = eval->prompt_cache_minutes;
      cache_input.mute_until_unix = eval->settings.mute_until_unix;
      cache_input.is_sent = eval_is_sent;
      cache_input.is_sent_data = eval;
      g_ptr_array_extend_and_steal (eval->alerts,
                                    gauge_alert_rules_evaluate_prompt_caches (&cache_input));
    }

  /* Remembered before they are shown: a crash in between loses an alert
   * rather than repeating it. */
  for (guint i = 0; i < eval->alerts->len; i++)
    {
      GaugeAlert *alert = g_ptr_array_index (eval->alerts, i);

      remember (eval, alert->key);
      for (guint j = 0; alert->covered_keys != NULL && alert->covered_keys[j] != NULL; j++)
        remember (eval, alert->covered_keys[j]);
    }

  g_task_return_boolean (task, TRUE);
}

static void
eval_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GaugeNotifier *self = GAUGE_NOTIFIER (object);
  Eval *eval = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;  /* cancelled: we are being disposed */

  /* Not when the notifier moved to another account meanwhile: its reset rule compares
   * one account's readings. */
  if (eval->limits &&
      g_strcmp0 (eval->folder, gauge_limits_monitor_get_folder (self->monitor)) == 0)
    g_set_object (&self->previous, eval->snapshot);

  for (guint i = 0; i < eval->alerts->len; i++)
    {
      GaugeAlert *alert = g_ptr_array_index (eval->alerts, i);

      g_hash_table_add (self->sent, g_strdup (alert->key));
      for (guint j = 0; alert->covered_keys != NULL && alert->covered_keys[j] != NULL; j++)
        g_hash_table_add (self->sent, g_strdup (alert->covered_keys[j]));

      if (alert->muted)
        g_debug ("Muted %s", alert->key);
      else
        show (self, alert);
    }

  if (self->pending)
    {
      self->pending = FALSE;
      evaluate (self);
      return;
    }

  set_busy (self, FALSE);
}

static const char *
keep_string (Eval       *eval,
             const char *text)
{
  char *copy = g_strdup (text);

  if (copy != NULL)
    g_ptr_array_add (eval->budget_strings, copy);
  return copy;
}

static void
add_budget (Eval                 *eval,
            const char           *id,
            const char           *name,
            GaugeMicrocents       spent,
            GaugeMicrocents       projection,
            double                dollars)
{
  GaugeBudgetItem item = { 0 };

  if (!(dollars > 0) || dollars > 1e10)
    return;

  item.id = keep_string (eval, id);
  item.name = keep_string (eval, name);
  item.spent = spent;
  item.projection = projection;
  item.budget = (gint64) (dollars * 1e8 + 0.5);  /* microcents */
  g_array_append_val (eval->budgets, item);
}

/* The organization's and each workspace's spend against its budget, from the Console report. */
static void
read_budgets (GaugeNotifier *self,
              Eval          *eval)
{
  GaugeAdminReport *report;
  g_autoptr(GVariant) budgets = NULL;
  GPtrArray *workspaces;
  GaugeMicrocents total;
  GaugeMicrocents projection;
  double factor;

  if (self->console == NULL || (report = gauge_console_monitor_get_report (self->console)) == NULL)
    return;

  eval->budgets = g_array_new (FALSE, TRUE, sizeof (GaugeBudgetItem));
  eval->budget_strings = g_ptr_array_new_with_free_func (g_free);

  total = gauge_admin_report_get_total (report);
  projection = gauge_admin_report_get_projection (report);
  add_budget (eval, GAUGE_BUDGET_ORGANIZATION, gauge_admin_report_get_org_name (report),
              total, projection,
              g_settings_get_double (self->settings, "console-organization-budget"));

  /* A workspace's projection: the organization's, in proportion to its share so far. */
  factor = total > 0 ? (double) projection / (double) total : 1.0;
  budgets = g_settings_get_value (self->settings, "console-workspace-budgets");
  workspaces = gauge_admin_report_get_workspaces (report);
  for (guint i = 0; i < workspaces->len; i++)
    {
      GaugeAdminWorkspaceSummary *workspace = g_ptr_array_index (workspaces, i);
      const char *id = workspace->id != NULL ? workspace->id : GAUGE_BUDGET_DEFAULT_WORKSPACE;
      double dollars = 0;

      if (!g_variant_lookup (budgets, id, "d", &dollars))
        continue;
      add_budget (eval, id, workspace->name, workspace->cost,
                  (GaugeMicrocents) ((double) workspace->cost * factor), dollars);
    }
}

static Eval *
eval_new (GaugeNotifier *self,
          gboolean       limits)
{
  Eval *eval = g_new0 (Eval, 1);
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (self->monitor);
  GDateTime *next_check = gauge_limits_monitor_get_next_check (self->monitor);
  GHashTableIter iter;
  gpointer key;

  eval->now = gauge_clock_now_utc ();
  eval->snapshot = snapshot != NULL ? g_object_ref (snapshot) : NULL;
  eval->previous = self->previous != NULL ? g_object_ref (self->previous) : NULL;
  eval->state = gauge_limits_monitor_get_state (self->monitor);
  eval->credentials_path = g_strdup (gauge_limits_monitor_get_credentials_path (self->monitor));
  eval->folder = g_strdup (gauge_limits_monitor_get_folder (self->monitor));
  if (eval->state == GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED && next_check != NULL)
    eval->cooldown_until = g_date_time_ref (next_check);

  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    {
      eval->thresholds[i] = gauge_alert_thresholds_from_settings (self->settings, i);
      eval->settings.thresholds[i] = (const double *) (gpointer) eval->thresholds[i]->data;
      eval->settings.n_thresholds[i] = eval->thresholds[i]->len;
    }
  eval->settings.critical = g_settings_get_double (self->settings, "critical-threshold");
  eval->settings.pace = g_settings_get_boolean (self->settings, "alert-pace");
  eval->settings.reset = g_settings_get_boolean (self->settings, "alert-reset");
  eval->settings.mute_until_unix = g_settings_get_int64 (self->settings, "mute-until");
  eval->settings.session_ending = g_settings_get_boolean (self->settings, "alert-session-ending");
  eval->settings.session_ending_minutes =
    g_settings_get_uint (self->settings, "alert-session-ending-minutes");
  eval->settings.inactivity = g_settings_get_boolean (self->settings, "alert-inactivity");
  eval->settings.inactivity_minutes = g_settings_get_uint (self->settings, "alert-inactivity-minutes");
  eval->settings.plan_switch = g_settings_get_boolean (self->settings, "alert-plan-switch");

  /* The local block is read only when a rule about it is on. */
  if (self->local_usage != NULL &&
      (eval->settings.session_ending || eval->settings.inactivity || eval->settings.plan_switch))
    {
      eval->local_usage = g_object_ref (self->local_usage);
      gauge_local_summary_params_init (&eval->local_params, self->settings);
      eval->rate_limit_tier = g_strdup (gauge_limits_monitor_get_rate_limit_tier (self->monitor));
      eval->local_params.rate_limit_tier = eval->rate_limit_tier;
      if (self->account_folders != NULL && g_strv_length (self->account_folders) > 1)
        eval->local_scope =
          gauge_entry_scope_new_account ((const char * const *) self->account_folders,
                                         eval->folder);
      eval->local_params.scope = eval->local_scope;
    }

  /* A copy: the worker thread must not share the main loop's table. */
  eval->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->sent);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (eval->sent, g_strdup (key));

  eval->store = g_object_ref (self->store);
  eval->limits = limits;
  eval->account_name = g_strdup (self->account_name);
  eval->account_key_prefix = g_strdup (self->account_key_prefix);
  /* The Console's budgets and the sessions' prompt caches are no account's: the first
   * account's notifier tells of them. */
  if (self->account_key_prefix != NULL)
    return eval;

  if (g_settings_get_boolean (self->settings, "alert-prompt-cache"))
    eval->prompt_cache_minutes = g_settings_get_uint (self->settings,
                                                      "prompt-cache-warning-minutes");
  if (limits)
    read_budgets (self, eval);

  return eval;
}

/* One evaluation at a time, so two cannot both decide to send the same alert;
 * a change during one is looked at right after it. */
static void
evaluate_some (GaugeNotifier *self,
               gboolean       limits)
{
  g_autoptr(GTask) task = NULL;

  set_busy (self, TRUE);

  task = g_task_new (self, self->cancellable, eval_cb, NULL);
  g_task_set_source_tag (task, evaluate);
  g_task_set_task_data (task, eval_new (self, limits), eval_free);
  g_task_set_return_on_cancel (task, FALSE);
  gauge_worker_run_in_thread (task, eval_in_thread);
}

static void
evaluate (GaugeNotifier *self)
{
  evaluate_some (self, TRUE);
}

static void
monitor_changed_cb (GaugeNotifier *self)
{
  if (self->busy)
    {
      self->pending = TRUE;
      return;
    }

  evaluate (self);
}

/* Between the monitor's changes, only the prompt caches are looked at again. */
static gboolean
prompt_cache_tick_cb (gpointer user_data)
{
  GaugeNotifier *self = user_data;

  if (self->busy)
    self->pending = TRUE;
  else
    evaluate_some (self, FALSE);

  return G_SOURCE_CONTINUE;
}

static void
prompt_cache_setting_cb (GaugeNotifier *self)
{
  gboolean on = g_settings_get_boolean (self->settings, "alert-prompt-cache");

  if (on && self->prompt_cache_source == 0)
    {
      self->prompt_cache_source = g_timeout_add_seconds (PROMPT_CACHE_CHECK_SECONDS,
                                                         prompt_cache_tick_cb, self);
      monitor_changed_cb (self);
    }
  else if (!on)
    g_clear_handle_id (&self->prompt_cache_source, g_source_remove);
}

/* --- GObject -------------------------------------------------------------- */

static void
gauge_notifier_dispose (GObject *object)
{
  GaugeNotifier *self = (GaugeNotifier *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->local_usage);
  g_clear_handle_id (&self->prompt_cache_source, g_source_remove);
  if (self->shown != NULL)
    {
      for (guint i = 0; i < self->shown->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->shown, i), self);
      g_ptr_array_set_size (self->shown, 0);
    }
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  g_clear_object (&self->console_signals);
  g_clear_object (&self->console);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->previous);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (gauge_notifier_parent_class)->dispose (object);
}

static void
gauge_notifier_finalize (GObject *object)
{
  GaugeNotifier *self = (GaugeNotifier *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sent, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->server_message, g_free);
  g_clear_pointer (&self->account_name, g_free);
  g_clear_pointer (&self->account_key_prefix, g_free);
  g_clear_pointer (&self->account_folders, g_strfreev);

  G_OBJECT_CLASS (gauge_notifier_parent_class)->finalize (object);
}

static void
gauge_notifier_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GaugeNotifier *self = GAUGE_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_SERVER_MISSING:
      g_value_set_boolean (value, self->server_missing);
      break;
    case PROP_SERVER_MESSAGE:
      g_value_set_string (value, self->server_message);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_notifier_class_init (GaugeNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_notifier_dispose;
  object_class->finalize = gauge_notifier_finalize;
  object_class->get_property = gauge_notifier_get_property;

  /* TRUE after a notification could not be shown; the window says so once. */
  properties[PROP_SERVER_MISSING] =
    g_param_spec_boolean ("server-missing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_MESSAGE] =
    g_param_spec_string ("server-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the rules run; for tests that wait for the notifier to settle. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_notifier_init (GaugeNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->shown = g_ptr_array_new_with_free_func (g_object_unref);
  /* The first account's notifier follows whichever account is the first at the time. */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "changed",
                                 G_CALLBACK (monitor_changed_cb), self, G_CONNECT_SWAPPED);
  self->console_signals = g_signal_group_new (GAUGE_TYPE_CONSOLE_MONITOR);
  g_signal_group_connect_object (self->console_signals, "notify::report",
                                 G_CALLBACK (monitor_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * gauge_notifier_new:
 * @app: (nullable): activated by a notification's default action
 *
 * Starts listening to @monitor at once, and looks at what it already knows.
 */
GaugeNotifier *
gauge_notifier_new (GApplication *app,
                    GaugeLimitsMonitor *monitor,
                    GaugeStore   *store,
                    GSettings    *settings)
{
  return gauge_notifier_new_for_account (app, monitor, store, settings, NULL, NULL);
}

/**
 * gauge_notifier_new_for_account:
 * @name: (nullable): as gauge_notifier_set_account()
 * @folder: (nullable): as gauge_notifier_set_account()
 *
 * gauge_notifier_new() for one account among several, named from its first look.
 */
GaugeNotifier *
gauge_notifier_new_for_account (GApplication       *app,
                                GaugeLimitsMonitor *monitor,
                                GaugeStore         *store,
                                GSettings          *settings,
                                const char         *name,
                                const char         *folder)
{
  GaugeNotifier *self;

  g_return_val_if_fail (app == NULL || G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->monitor = g_object_ref (monitor);
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  gauge_notifier_set_account (self, name, folder);

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_connect_object (settings, "changed::alert-prompt-cache",
                           G_CALLBACK (prompt_cache_setting_cb), self, G_CONNECT_SWAPPED);
  if (g_settings_get_boolean (settings, "alert-prompt-cache"))
    self->prompt_cache_source = g_timeout_add_seconds (PROMPT_CACHE_CHECK_SECONDS,
                                                       prompt_cache_tick_cb, self);
  evaluate (self);

  return self;
}

static gboolean
tick_cb (gpointer user_data)
{
  monitor_changed_cb (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * gauge_notifier_set_transcript_index:
 *
 * Turns on the rules about the local 5-hour block (session ending, inactivity, the plan
 * limit's switch): looked at when @index changes and every minute, as time alone ends a
 * block or makes it idle.
 */
void
gauge_notifier_set_transcript_index (GaugeNotifier        *self,
                                     GaugeTranscriptIndex *index)
{
  g_return_if_fail (GAUGE_IS_NOTIFIER (self));
  g_return_if_fail (GAUGE_IS_TRANSCRIPT_INDEX (index));
  g_return_if_fail (self->local_usage == NULL);

  self->local_usage = gauge_local_usage_new (self->store, 0);
  g_signal_connect_object (index, "changed", G_CALLBACK (monitor_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->tick_source = g_timeout_add_seconds (60, tick_cb, self);
  monitor_changed_cb (self);
}

/**
 * gauge_notifier_set_account:
 * @name: (nullable): the account's name, said in titles; %NULL when there is one account
 * @folder: (nullable): the account's folder, when it is not Claude Code's default one: its
 *   limits' alerts are remembered apart, whether it is the first account or not; %NULL for
 *   the default folder's account, whose alerts keep the keys they always had
 *
 * For one account among several: its limits' alerts read "Work · Weekly at 85 %". An
 * account other than the first tells of its limits only (the Console's budgets and the
 * prompt caches are the first account's notifier's).
 */
void
gauge_notifier_set_account (GaugeNotifier *self,
                            const char    *name,
                            const char    *folder)
{
  g_return_if_fail (GAUGE_IS_NOTIFIER (self));

  g_free (self->account_name);
  self->account_name = g_strdup (name);
  g_free (self->account_key_prefix);
  self->account_key_prefix = folder != NULL ? g_strdup_printf ("account:%s|", folder) : NULL;
}

/**
 * gauge_notifier_set_account_folders:
 * @folders: (nullable): every account's folder, the first account's first
 *
 * With several accounts, the rules about the local block read this notifier's account's
 * own folder's usage (gauge_entry_scope_new_account()); with one, every folder's.
 */
void
gauge_notifier_set_account_folders (GaugeNotifier      *self,
                                    const char * const *folders)
{
  g_return_if_fail (GAUGE_IS_NOTIFIER (self));

  g_strfreev (self->account_folders);
  self->account_folders = folders != NULL ? g_strdupv ((char **) folders) : NULL;
}

/**
 * gauge_notifier_set_monitor:
 *
 * Follows another account from now on: the first account's notifier when another account
 * becomes the first. What this process sent for the last one no longer stands for it.
 */
void
gauge_notifier_set_monitor (GaugeNotifier      *self,
                            GaugeLimitsMonitor *monitor)
{
  g_return_if_fail (GAUGE_IS_NOTIFIER (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_set_object (&self->monitor, monitor);
  g_clear_object (&self->previous);
  g_hash_table_remove_all (self->sent);
  monitor_changed_cb (self);
}

gboolean
gauge_notifier_get_server_missing (GaugeNotifier *self)
{
  g_return_val_if_fail (GAUGE_IS_NOTIFIER (self), FALSE);

  return self->server_missing;
}

/**
 * gauge_notifier_get_server_message:
 *
 * Returns: (nullable): what to tell the user when no notification server answers
 */
const char *
gauge_notifier_get_server_message (GaugeNotifier *self)
{
  g_return_val_if_fail (GAUGE_IS_NOTIFIER (self), NULL);

  return self->server_message;
}

gboolean
gauge_notifier_get_busy (GaugeNotifier *self)
{
  g_return_val_if_fail (GAUGE_IS_NOTIFIER (self), FALSE);

  return self->busy;
}

/**
 * gauge_notifier_show_sample:
 *
 * Shows what a limit warning looks like, without an application (--test-alert).
 */
gboolean
gauge_notifier_show_sample (GError **error)
{
  NotifyNotification *notification;
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GDateTime) resets_at = g_date_time_add_minutes (now, 131);
  g_autofree char *reset = gauge_format_reset (resets_at, now);
  g_autofree char *percent = gauge_format_percent (80);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  gboolean ret;

  ensure_notify_init ();

  /* Translators: the title of the sample notification, "5-hour limit at 80 % (test)" */
  title = g_strdup_printf (_("5-hour limit at %s (test)"), percent);
  /* Translators: %s is "Resets in 2 h 11 min (14:00)" */
  body = g_strdup_printf (_("This is how Claude Gauge warns you before a limit runs out. %s."),
                          reset);

  notification = build_notification (title, body, CATEGORY_LIMIT, GAUGE_ALERT_URGENCY_NORMAL);
  ret = notify_notification_show (notification, error);
  g_object_unref (notification);

  return ret;
}

/**
 * gauge_notifier_set_console_monitor:
 * @console: (nullable): the organization whose budgets to watch
 *
 * Console mode: notifications when a workspace's or the organization's
 * month-to-date spend crosses 80 % and 100 % of its budget
 * ("console-workspace-budgets", "console-organization-budget"), and when
 * the end-of-month projection exceeds it; once per month each.
 */
void
gauge_notifier_set_console_monitor (GaugeNotifier       *self,
                                    GaugeConsoleMonitor *console)
{
  g_return_if_fail (GAUGE_IS_NOTIFIER (self));
  g_return_if_fail (console == NULL || GAUGE_IS_CONSOLE_MONITOR (console));

  if (!g_set_object (&self->console, console))
    return;

  g_signal_group_set_target (self->console_signals, console);
  if (console != NULL && gauge_console_monitor_get_report (console) != NULL)
    monitor_changed_cb (self);
}
