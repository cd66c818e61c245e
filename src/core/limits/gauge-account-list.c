/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-account-list"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account.h"
#include "gauge-account-list.h"
#include "gauge-limit-window.h"
#include "gauge-limits-glance.h"
#include "gauge-rate-gate.h"

struct _GaugeAccountList
{
  GObject            parent_instance;

  GaugeStore        *store;
  GaugeLimitsClient *client;
  GPtrArray         *monitors;       /* GaugeLimitsMonitor, in the folders' order */
  guint              poll_interval;
  gboolean           started;
};

G_DEFINE_FINAL_TYPE (GaugeAccountList, gauge_account_list, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
monitor_changed_cb (GaugeAccountList *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The monitor of @folder among @monitors, taken out of it, or %NULL. */
static GaugeLimitsMonitor *
steal_monitor (GPtrArray  *monitors,
               const char *folder)
{
  for (guint i = 0; i < monitors->len; i++)
    {
      GaugeLimitsMonitor *monitor = g_ptr_array_index (monitors, i);

      if (g_strcmp0 (gauge_limits_monitor_get_folder (monitor), folder) == 0)
        return g_ptr_array_steal_index (monitors, i);
    }

  return NULL;
}

/**
 * gauge_account_list_set_folders:
 * @folders: the accounts' folders, the first account's first (gauge_account_list_folders ())
 *
 * Keeps the monitors of folders that stay (their schedule and cooldown with them), makes one
 * for each new folder and drops the others.
 */
void
gauge_account_list_set_folders (GaugeAccountList   *self,
                                const char * const *folders)
{
  g_autoptr(GPtrArray) old = NULL;
  gboolean changed = FALSE;

  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (self));
  g_return_if_fail (folders != NULL && folders[0] != NULL);

  old = g_steal_pointer (&self->monitors);
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; folders[i] != NULL; i++)
    {
      GaugeLimitsMonitor *monitor = steal_monitor (old, folders[i]);

      if (monitor == NULL)
        {
          g_autofree char *path = gauge_account_credentials_path (folders[i]);

          /* Two spellings of one folder are one account. */
          if (gauge_account_list_find_folder (self, folders[i]) >= 0)
            continue;

          monitor = gauge_limits_monitor_new (self->store, self->client, path);
          gauge_monitor_set_poll_interval (GAUGE_MONITOR (monitor), self->poll_interval);
          g_signal_connect_object (monitor, "changed", G_CALLBACK (monitor_changed_cb), self,
                                   G_CONNECT_SWAPPED);
          if (self->started)
            gauge_limits_monitor_start (monitor);
          changed = TRUE;
        }
      else if (self->monitors->len != i)
        changed = TRUE;

      g_ptr_array_add (self->monitors, monitor);
    }

  for (guint i = 0; i < old->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (old, i), self);

  if (changed || old->len > 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

guint
gauge_account_list_get_n_accounts (GaugeAccountList *self)
{
  g_return_val_if_fail (GAUGE_IS_ACCOUNT_LIST (self), 0);

  return self->monitors->len;
}

/* Returns: (transfer none): the @index-th account's monitor; 0 is the first account's */
GaugeLimitsMonitor *
gauge_account_list_get_monitor (GaugeAccountList *self,
                                guint             index)
{
  g_return_val_if_fail (GAUGE_IS_ACCOUNT_LIST (self), NULL);
  g_return_val_if_fail (index < self->monitors->len, NULL);

  return g_ptr_array_index (self->monitors, index);
}

/* Returns: the index of the account of @folder (any spelling), or -1 */
gint
gauge_account_list_find_folder (GaugeAccountList *self,
                                const char       *folder)
{
  g_autofree char *normal = gauge_account_normalize_folder (folder);

  g_return_val_if_fail (GAUGE_IS_ACCOUNT_LIST (self), -1);

  for (guint i = 0; normal != NULL && i < self->monitors->len; i++)
    if (g_strcmp0 (gauge_limits_monitor_get_folder (g_ptr_array_index (self->monitors, i)),
                   normal) == 0)
      return i;

  return -1;
}

/**
 * gauge_account_list_dup_name:
 *
 * The @index-th account's name, as gauge_account_make_names() gives it among all the
 * accounts: its profile's e-mail and plan, or its folder.
 *
 * Returns: (transfer full): the name
 */
char *
gauge_account_list_dup_name (GaugeAccountList *self,
                             guint             index)
{
  guint n;
  g_autofree const char **emails = NULL;
  g_autofree const char **plans = NULL;
  g_autofree const char **folders = NULL;
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (GAUGE_IS_ACCOUNT_LIST (self), NULL);
  g_return_val_if_fail (index < self->monitors->len, NULL);

  n = self->monitors->len;
  emails = g_new0 (const char *, n + 1);
  plans = g_new0 (const char *, n + 1);
  folders = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      GaugeLimitsMonitor *monitor = g_ptr_array_index (self->monitors, i);

      emails[i] = gauge_limits_monitor_get_account_email (monitor);
      plans[i] = gauge_limits_monitor_get_plan_name (monitor);
      folders[i] = gauge_limits_monitor_get_folder (monitor);
    }

  names = gauge_account_make_names (n, emails, plans, folders);
  return g_strdup (names[index]);
}

/**
 * gauge_account_list_get_nearest:
 * @metric: (nullable): the tray metric (gauge_limits_glance_pick())
 *
 * Returns: the index of the account whose glance window is nearest its limit; the first
 *   account when none has a reading
 */
guint
gauge_account_list_get_nearest (GaugeAccountList *self,
                                const char       *metric)
{
  guint best = 0;
  double best_utilization = -1;

  g_return_val_if_fail (GAUGE_IS_ACCOUNT_LIST (self), 0);

  for (guint i = 0; i < self->monitors->len; i++)
    {
      GaugeLimitsMonitor *monitor = g_ptr_array_index (self->monitors, i);
      GaugeLimitWindow *window =
        gauge_limits_glance_pick (gauge_limits_monitor_get_snapshot (monitor), metric);

      if (window != NULL && gauge_limit_window_get_utilization (window) > best_utilization)
        {
          best = i;
          best_utilization = gauge_limit_window_get_utilization (window);
        }
    }

  return best;
}

void
gauge_account_list_start (GaugeAccountList *self)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (self));

  self->started = TRUE;
  for (guint i = 0; i < self->monitors->len; i++)
    gauge_limits_monitor_start (g_ptr_array_index (self->monitors, i));
}

/* A user asked: every account, each within its own gate. */
void
gauge_account_list_refresh (GaugeAccountList *self)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (self));

  for (guint i = 0; i < self->monitors->len; i++)
    gauge_limits_monitor_refresh (g_ptr_array_index (self->monitors, i));
}

void
gauge_account_list_set_poll_interval (GaugeAccountList *self,
                                      guint             seconds)
{
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (self));

  self->poll_interval = MAX (seconds, GAUGE_POLL_INTERVAL_MIN);
  for (guint i = 0; i < self->monitors->len; i++)
    gauge_monitor_set_poll_interval (GAUGE_MONITOR (g_ptr_array_index (self->monitors, i)),
                                     self->poll_interval);
}

/* --- Once, for the terminal: every account at the same time ----------------- */

static void
update_one_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *pending = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* An account that could not be brought up to date says so in its own state. */
  if (!gauge_monitor_update_once_finish (GAUGE_MONITOR (object), result, &error))
    g_debug ("Update of %s failed: %s",
             gauge_limits_monitor_get_folder (GAUGE_LIMITS_MONITOR (object)), error->message);

  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

/**
 * gauge_account_list_update_once_async:
 *
 * Brings every account up to date once (gauge_monitor_update_once_async()), all
 * at the same time, and finishes when the last one has.
 */
void
gauge_account_list_update_once_async (GaugeAccountList    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint *pending;

  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gauge_account_list_update_once_async);
  pending = g_new (guint, 1);
  *pending = self->monitors->len;
  g_task_set_task_data (task, pending, g_free);

  for (guint i = 0; i < self->monitors->len; i++)
    gauge_monitor_update_once_async (GAUGE_MONITOR (g_ptr_array_index (self->monitors, i)),
                                     cancellable, update_one_cb, g_object_ref (task));
}

gboolean
gauge_account_list_update_once_finish (GaugeAccountList  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- GObject ---------------------------------------------------------------- */

static void
gauge_account_list_dispose (GObject *object)
{
  GaugeAccountList *self = (GaugeAccountList *)object;

  if (self->monitors != NULL)
    for (guint i = 0; i < self->monitors->len; i++)
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->monitors, i), self);
  g_clear_pointer (&self->monitors, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gauge_account_list_parent_class)->dispose (object);
}

static void
gauge_account_list_class_init (GaugeAccountListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_account_list_dispose;

  /**
   * GaugeAccountList::changed:
   *
   * Emitted after any account's monitor changed, and when accounts came or went.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gauge_account_list_init (GaugeAccountList *self)
{
  self->monitors = g_ptr_array_new_with_free_func (g_object_unref);
  self->poll_interval = GAUGE_POLL_INTERVAL_DEFAULT;
}

/**
 * gauge_account_list_new:
 * @folders: the accounts' folders (gauge_account_list_folders ()), at least one
 */
GaugeAccountList *
gauge_account_list_new (GaugeStore         *store,
                        GaugeLimitsClient  *client,
                        const char * const *folders)
{
  GaugeAccountList *self;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_CLIENT (client), NULL);

  self = g_object_new (GAUGE_TYPE_ACCOUNT_LIST, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  gauge_account_list_set_folders (self, folders);

  return self;
}
