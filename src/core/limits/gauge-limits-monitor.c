/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-account.h"
#include "gauge-clock.h"
#include "gauge-credentials.h"
#include "gauge-enums.h"
#include "gauge-limits-monitor.h"
#include "gauge-poll.h"
#include "gauge-rate-gate.h"
#include "gauge-store-cooldown.h"
#include "gauge-store-readings.h"
#include "gauge-worker.h"

#define RELOAD_DEBOUNCE_MS 500

struct _GaugeLimitsMonitor
{
  GaugeMonitor        parent_instance;

  GaugeStore         *store;
  GaugeLimitsClient   *client;
  char               *credentials_path;
  char               *folder;                /* the account: the credentials' folder */
  GCancellable       *cancellable;

  /* What we know; replaced wholesale, never edited in place. */
  GaugeCredentials   *credentials;
  char               *token_hash;
  GaugeRateGate      *gate;
  GaugeLimitsSnapshot *snapshot;
  char               *rejected_token_hash;   /* 401 */
  char               *forbidden_token_hash;  /* 403 */
  char               *plan_token_hash;       /* token whose plan we asked for */

  GaugeLimitsMonitorState   state;
  char               *error_message;
  char               *store_message;
  char               *plan_name;
  char               *account_email;         /* account.email of the OAuth profile */
  GDateTime          *next_check;

  /* Single flight: every caller of update_once waits on the one in progress. */
  gboolean            updating;
  gboolean            force_next;
  gboolean            store_opened;
  gboolean            loaded_once;
  gboolean            started;

  GFileMonitor       *file_monitor;
  guint               poll_source;
  guint               expiry_source;
  guint               reload_source;
};

G_DEFINE_FINAL_TYPE (GaugeLimitsMonitor, gauge_limits_monitor, GAUGE_TYPE_MONITOR)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SNAPSHOT,
  PROP_PLAN_NAME,
  PROP_ACCOUNT_EMAIL,
  PROP_ERROR_MESSAGE,
  PROP_STORE_MESSAGE,
  PROP_NEXT_CHECK,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void gauge_limits_monitor_update (GaugeLimitsMonitor *self,
                                         gboolean            manual);

/* --- Loading what the disk knows, on a worker thread --------------------- */

typedef struct
{
  /* in */
  gboolean            open_store;
  gboolean            want_profile;
  /* out */
  char               *profile_email;
  GError             *store_error;
  char               *recovery_message;
  GaugeLimitsSnapshot *snapshot;
  GaugeCredentials   *credentials;
  GError             *credentials_error;
  char               *token_hash;
  GaugeRateGate      *gate;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_error (&load->store_error);
  g_clear_pointer (&load->profile_email, g_free);
  g_clear_pointer (&load->recovery_message, g_free);
  g_clear_object (&load->snapshot);
  g_clear_object (&load->credentials);
  g_clear_error (&load->credentials_error);
  g_clear_pointer (&load->token_hash, g_free);
  g_clear_object (&load->gate);
  g_free (load);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GaugeLimitsMonitor *self = source_object;
  LoadData *load = task_data;
  gboolean store_ok = TRUE;

  if (load->open_store)
    store_ok = gauge_store_open (self->store, &load->store_error);

  if (store_ok)
    load->snapshot = gauge_store_load_account_snapshot (self->store, self->folder,
                                                        &load->store_error);

  /* The e-mail the app last heard of, to name the account where no profile is asked. */
  if (store_ok && load->want_profile)
    {
      g_autofree char *plan = NULL;

      if (!gauge_store_load_account_profile (self->store, self->folder, &load->profile_email,
                                             &plan, NULL))
        g_clear_pointer (&load->profile_email, g_free);
    }

  load->credentials = gauge_credentials_new_from_file (self->credentials_path,
                                                       &load->credentials_error);
  if (load->credentials != NULL)
    {
      g_autoptr(GError) gate_error = NULL;

      /* Also when the database cannot be opened: the cooldown has a file of its own. */
      load->token_hash = gauge_credentials_dup_token_hash (load->credentials);
      load->gate = gauge_store_load_gate (self->store, load->token_hash, &gate_error);
      if (gate_error != NULL && load->store_error == NULL)
        load->store_error = g_steal_pointer (&gate_error);
    }

  if (load->gate == NULL)
    load->gate = gauge_rate_gate_new ();

  load->recovery_message = gauge_store_take_recovery_message (self->store);

  g_task_return_boolean (task, TRUE);
}

/* --- Saving, on a worker thread ------------------------------------------ */

typedef struct
{
  GaugeLimitsSnapshot *snapshot;
  char               *token_hash;
  GaugeRateGate      *gate;
  char               *recovery_message;  /* out */
} SaveData;

static void
save_data_free (gpointer data)
{
  SaveData *save = data;

  g_clear_object (&save->snapshot);
  g_clear_pointer (&save->token_hash, g_free);
  g_clear_object (&save->gate);
  g_free (save->recovery_message);
  g_free (save);
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GaugeLimitsMonitor *self = source_object;
  SaveData *save = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = (save->snapshot == NULL ||
        gauge_store_add_account_snapshot (self->store, self->folder, save->snapshot, &error)) &&
       gauge_store_save_gate (self->store, save->token_hash, save->gate, &error);
  save->recovery_message = gauge_store_take_recovery_message (self->store);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* --- State ---------------------------------------------------------------- */

static void
set_string (char      **field,
            const char *value,
            gboolean   *changed)
{
  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
      *changed = TRUE;
    }
}

static GaugeLimitsMonitorState
compute_state (GaugeLimitsMonitor *self,
               GDateTime    *now)
{
  if (self->credentials == NULL)
    return GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS;

  if (gauge_credentials_is_expired (self->credentials, now) ||
      g_strcmp0 (self->rejected_token_hash, self->token_hash) == 0)
    return GAUGE_LIMITS_MONITOR_STATE_EXPIRED;

  if (g_strcmp0 (self->forbidden_token_hash, self->token_hash) == 0)
    return GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN;

  if (!gauge_rate_gate_allows (self->gate, now))
    {
      switch (gauge_rate_gate_get_reason (self->gate))
        {
        case GAUGE_GATE_RATE_LIMITED:
          return GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED;
        case GAUGE_GATE_BACKOFF:
          return GAUGE_LIMITS_MONITOR_STATE_OFFLINE;
        case GAUGE_GATE_OPEN:
        default:
          break;
        }
    }

  if (self->snapshot == NULL)
    return GAUGE_LIMITS_MONITOR_STATE_LOADING;

  return GAUGE_LIMITS_MONITOR_STATE_OK;
}

static gboolean
can_poll (GaugeLimitsMonitorState state)
{
  return state != GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS &&
         state != GAUGE_LIMITS_MONITOR_STATE_EXPIRED &&
         state != GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN;
}

/* When the next automatic request is due, in unix seconds. */
static gint64
next_poll_unix (GaugeLimitsMonitor *self,
                GDateTime    *now)
{
  GDateTime *last_fetch = NULL;
  GDateTime *next_reset = NULL;

  if (self->snapshot != NULL)
    {
      last_fetch = gauge_limits_snapshot_get_fetched_at (self->snapshot);
      next_reset = gauge_limits_snapshot_get_next_reset (self->snapshot, last_fetch);
    }

  return gauge_rate_gate_next_poll_unix (self->gate, now, last_fetch,
                                         gauge_monitor_get_poll_interval (GAUGE_MONITOR (self)),
                                         next_reset);
}

static void
set_next_check (GaugeLimitsMonitor *self,
                gint64        unix_time,
                gboolean     *changed)
{
  g_autoptr(GDateTime) next = unix_time > 0 ? g_date_time_new_from_unix_utc (unix_time) : NULL;

  if (next == NULL && self->next_check == NULL)
    return;
  if (next != NULL && self->next_check != NULL && g_date_time_equal (next, self->next_check))
    return;

  g_clear_pointer (&self->next_check, g_date_time_unref);
  self->next_check = g_steal_pointer (&next);
  *changed = TRUE;
}

/* Recomputes the derived state and tells listeners once. */
static void
refresh_state (GaugeLimitsMonitor *self,
               gboolean      changed)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  GaugeLimitsMonitorState state = compute_state (self, now);

  g_object_freeze_notify (G_OBJECT (self));

  if (state != self->state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
      changed = TRUE;
    }

  if (state == GAUGE_LIMITS_MONITOR_STATE_OK || state == GAUGE_LIMITS_MONITOR_STATE_LOADING)
    set_string (&self->error_message, NULL, &changed);

  if (can_poll (state))
    set_next_check (self, next_poll_unix (self, now), &changed);
  else
    set_next_check (self, 0, &changed);

  g_object_thaw_notify (G_OBJECT (self));

  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
set_snapshot (GaugeLimitsMonitor       *self,
              GaugeLimitsSnapshot *snapshot)
{
  if (snapshot == NULL || snapshot == self->snapshot)
    return;

  /* Keep the newest reading: the CLI or the statusline may have stored a fresher one. */
  if (self->snapshot != NULL &&
      g_date_time_compare (gauge_limits_snapshot_get_fetched_at (snapshot),
                           gauge_limits_snapshot_get_fetched_at (self->snapshot)) < 0)
    return;

  g_set_object (&self->snapshot, snapshot);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SNAPSHOT]);
}

/* A string property: set, and notified when it changed. Returns whether it did. */
static gboolean
set_string_property (GaugeLimitsMonitor  *self,
                     char               **field,
                     const char          *value,
                     guint                prop_id)
{
  gboolean changed = FALSE;

  set_string (field, value, &changed);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);

  return changed;
}

static void
set_store_message (GaugeLimitsMonitor *self,
                   const char         *message)
{
  set_string_property (self, &self->store_message, message, PROP_STORE_MESSAGE);
}

/* --- Plan name ----------------------------------------------------------- */

typedef struct
{
  char *email;
  char *plan;
} ProfileData;

static void
profile_data_free (gpointer data)
{
  ProfileData *profile = data;

  g_free (profile->email);
  g_free (profile->plan);
  g_free (profile);
}

static void
save_profile_in_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GaugeLimitsMonitor *self = source_object;
  ProfileData *profile = task_data;
  g_autoptr(GError) error = NULL;

  /* Only a name for the terminal to show: a failure costs nothing else. */
  if (!gauge_store_save_account_profile (self->store, self->folder, profile->email,
                                         profile->plan, &error))
    g_debug ("Could not remember the account's profile: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
save_profile (GaugeLimitsMonitor *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, NULL, NULL);
  ProfileData *profile = g_new0 (ProfileData, 1);

  profile->email = g_strdup (self->account_email);
  profile->plan = g_strdup (self->plan_name);
  g_task_set_source_tag (task, save_profile);
  g_task_set_task_data (task, profile, profile_data_free);
  gauge_worker_run_in_thread (task, save_profile_in_thread);
}

static void
fetch_plan_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GaugeLimitsMonitor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *email = NULL;
  g_autofree char *credentials_plan = NULL;
  gboolean changed;

  plan = gauge_limits_client_fetch_plan_finish (GAUGE_LIMITS_CLIENT (object), result, &email,
                                                &error);
  if (error != NULL)
    {
      g_debug ("No profile from the profile endpoint: %s", error->message);
      return;
    }

  changed = set_string_property (self, &self->account_email, email, PROP_ACCOUNT_EMAIL);

  /* The credentials' own plan name wins over the profile's. */
  if (self->credentials != NULL)
    credentials_plan = gauge_credentials_dup_plan_name (self->credentials);
  if (credentials_plan == NULL)
    changed |= set_string_property (self, &self->plan_name, plan, PROP_PLAN_NAME);

  save_profile (self);
  if (changed)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_plan_name (GaugeLimitsMonitor *self)
{
  g_autofree char *plan = NULL;

  if (self->credentials == NULL)
    return;

  plan = gauge_credentials_dup_plan_name (self->credentials);
  if (plan != NULL)
    set_string_property (self, &self->plan_name, plan, PROP_PLAN_NAME);

  /* The plan (when the credentials do not say) and the account's e-mail: ask the
   * profile once per token, and only from the app. */
  if (!self->started || g_strcmp0 (self->plan_token_hash, self->token_hash) == 0 ||
      !can_poll (self->state))
    return;

  g_free (self->plan_token_hash);
  self->plan_token_hash = g_strdup (self->token_hash);
  gauge_limits_client_fetch_plan_async (self->client,
                                        gauge_credentials_get_access_token (self->credentials),
                                        self->cancellable, fetch_plan_cb, g_object_ref (self));
}

/* --- Scheduling (only once started) -------------------------------------- */

static gboolean
poll_cb (gpointer user_data)
{
  GaugeLimitsMonitor *self = user_data;

  self->poll_source = 0;
  gauge_limits_monitor_update (self, FALSE);

  return G_SOURCE_REMOVE;
}

static gboolean
expiry_cb (gpointer user_data)
{
  GaugeLimitsMonitor *self = user_data;

  self->expiry_source = 0;
  refresh_state (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
schedule (GaugeLimitsMonitor *self)
{
  GDateTime *expires_at;

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->expiry_source, g_source_remove);

  if (!self->started)
    return;

  if (self->next_check != NULL)
    self->poll_source = gauge_poll_timeout_add_at (g_date_time_to_unix (self->next_check),
                                                   poll_cb, self);

  /* Say "expired" on time even when no request would notice it. */
  if (self->credentials != NULL &&
      (expires_at = gauge_credentials_get_expires_at (self->credentials)) != NULL &&
      self->state != GAUGE_LIMITS_MONITOR_STATE_EXPIRED)
    {
      gint64 at = g_date_time_to_unix (expires_at) - 5 * 60;

      self->expiry_source = gauge_poll_timeout_add_at (at, expiry_cb, self);
    }
}

/* --- One update: load, decide, maybe fetch, save ------------------------- */

static void
finish_update (GaugeLimitsMonitor *self,
               GError       *error)
{
  g_autoptr(GPtrArray) waiters = gauge_monitor_take_waiters (GAUGE_MONITOR (self));

  self->updating = FALSE;
  gauge_monitor_set_busy (GAUGE_MONITOR (self), FALSE);
  update_plan_name (self);
  refresh_state (self, TRUE);
  schedule (self);
  gauge_poll_return_waiters (waiters, error);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GaugeLimitsMonitor *self = GAUGE_LIMITS_MONITOR (object);
  SaveData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (data->recovery_message != NULL)
    set_store_message (self, data->recovery_message);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *message = NULL;

      /* Said once, by whoever shows the store message (the window's toast, the CLI's line). */
      g_debug ("Could not save to the history database: %s", error->message);
      message = g_strdup_printf (_("Could not save to the history database: %s"), error->message);
      set_store_message (self, message);
    }

  finish_update (self, NULL);
}

static void
save (GaugeLimitsMonitor       *self,
      GaugeLimitsSnapshot *snapshot)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  if (self->token_hash == NULL)
    {
      finish_update (self, NULL);
      return;
    }

  /* The gate also when the database cannot be opened: the store keeps it in a file then. */
  data = g_new0 (SaveData, 1);
  data->snapshot = snapshot != NULL && self->store_opened ? g_object_ref (snapshot) : NULL;
  data->token_hash = g_strdup (self->token_hash);
  data->gate = gauge_rate_gate_copy (self->gate);

  task = g_task_new (self, NULL, save_cb, NULL);
  g_task_set_source_tag (task, save);
  g_task_set_task_data (task, data, save_data_free);
  gauge_worker_run_in_thread (task, save_in_thread);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GaugeLimitsMonitor) self = user_data;
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;
  gint64 retry_after = -1;
  guint poll_interval = gauge_monitor_get_poll_interval (GAUGE_MONITOR (self));

  snapshot = gauge_limits_client_fetch_usage_finish (GAUGE_LIMITS_CLIENT (object), result,
                                                     &retry_after, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_update (self, error);
      return;
    }

  if (snapshot != NULL)
    {
      gauge_rate_gate_record_success (self->gate);
      set_snapshot (self, snapshot);
    }
  else if (g_error_matches (error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_UNAUTHORIZED))
    set_string (&self->rejected_token_hash, self->token_hash, &changed);
  else if (g_error_matches (error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_FORBIDDEN))
    set_string (&self->forbidden_token_hash, self->token_hash, &changed);
  else if (g_error_matches (error, GAUGE_LIMITS_ERROR, GAUGE_LIMITS_ERROR_RATE_LIMITED))
    gauge_rate_gate_record_rate_limited (self->gate, now, retry_after);
  else
    gauge_rate_gate_record_transient_failure (self->gate, now, poll_interval);

  if (error != NULL)
    {
      g_debug ("Usage request failed: %s", error->message);
      set_string (&self->error_message, error->message, &changed);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }

  save (self, snapshot);
}

static gboolean
fetch_is_due (GaugeLimitsMonitor *self,
              gboolean      manual,
              GDateTime    *now)
{
  GDateTime *last_fetch;

  if (!can_poll (compute_state (self, now)) || !gauge_rate_gate_allows (self->gate, now))
    return FALSE;

  /* A new sign-in has its own cooldown; the old token's reading says nothing of it. */
  if (self->force_next)
    return TRUE;

  if (!manual)
    return next_poll_unix (self, now) <= g_date_time_to_unix (now);

  /* A manual refresh still never asks more than once a minute. */
  last_fetch = self->snapshot != NULL ? gauge_limits_snapshot_get_fetched_at (self->snapshot) : NULL;
  return last_fetch == NULL ||
         g_date_time_to_unix (now) - g_date_time_to_unix (last_fetch) >= GAUGE_POLL_INTERVAL_MIN;
}

static void
apply_load (GaugeLimitsMonitor *self,
            LoadData     *load)
{
  if (load->open_store)
    self->store_opened = load->store_error == NULL ||
                         (!g_error_matches (load->store_error, GAUGE_STORE_ERROR,
                                            GAUGE_STORE_ERROR_OPEN) &&
                          !g_error_matches (load->store_error, GAUGE_STORE_ERROR,
                                            GAUGE_STORE_ERROR_TOO_NEW));

  if (load->recovery_message != NULL)
    set_store_message (self, load->recovery_message);

  if (load->store_error != NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("History is not being saved: %s"), load->store_error->message);

      g_debug ("%s", message);
      set_store_message (self, message);
    }

  set_snapshot (self, load->snapshot);

  if (self->account_email == NULL && load->profile_email != NULL)
    set_string_property (self, &self->account_email, load->profile_email, PROP_ACCOUNT_EMAIL);

  if (g_strcmp0 (self->token_hash, load->token_hash) != 0)
    {
      /* A new sign-in: ask at once rather than wait out the old schedule. */
      self->force_next = self->loaded_once && load->token_hash != NULL;
      g_free (self->token_hash);
      self->token_hash = g_steal_pointer (&load->token_hash);
    }

  g_set_object (&self->credentials, load->credentials);
  g_set_object (&self->gate, load->gate);
  self->loaded_once = TRUE;

  if (load->credentials_error != NULL &&
      g_error_matches (load->credentials_error, GAUGE_CREDENTIALS_ERROR,
                       GAUGE_CREDENTIALS_ERROR_INVALID))
    {
      gboolean changed = FALSE;

      set_string (&self->error_message, load->credentials_error->message, &changed);
      if (changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GaugeLimitsMonitor *self = GAUGE_LIMITS_MONITOR (object);
  LoadData *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  gboolean manual = GPOINTER_TO_INT (user_data);

  apply_load (self, load);

  if (!fetch_is_due (self, manual, now))
    {
      finish_update (self, NULL);
      return;
    }

  self->force_next = FALSE;
  gauge_monitor_set_busy (GAUGE_MONITOR (self), TRUE);
  refresh_state (self, TRUE);

  gauge_limits_client_fetch_usage_async (self->client,
                                         gauge_credentials_get_access_token (self->credentials),
                                         self->cancellable, fetch_cb, g_object_ref (self));
}

/* Joins the update in progress, or starts one: re-read the credentials,
 * the newest stored reading and the cooldown, then ask if a request is due. */
static void
gauge_limits_monitor_update (GaugeLimitsMonitor *self,
                             gboolean            manual)
{
  g_autoptr(GTask) load_task = NULL;
  LoadData *load;

  if (self->updating)
    return;

  self->updating = TRUE;

  load = g_new0 (LoadData, 1);
  load->open_store = !self->store_opened;
  load->want_profile = self->account_email == NULL;

  load_task = g_task_new (self, self->cancellable, load_cb, GINT_TO_POINTER (manual));
  g_task_set_source_tag (load_task, gauge_limits_monitor_update);
  g_task_set_task_data (load_task, load, load_data_free);
  gauge_worker_run_in_thread (load_task, load_in_thread);
}

/* --- Watching the credentials file --------------------------------------- */

static gboolean
reload_cb (gpointer user_data)
{
  GaugeLimitsMonitor *self = user_data;

  self->reload_source = 0;
  gauge_limits_monitor_update (self, FALSE);

  return G_SOURCE_REMOVE;
}

static void
credentials_changed_cb (GaugeLimitsMonitor      *self,
                        GFile             *file,
                        GFile             *other_file,
                        GFileMonitorEvent  event,
                        GFileMonitor      *monitor)
{
  g_debug ("Credentials file changed (event %d)", event);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->reload_source = g_timeout_add (RELOAD_DEBOUNCE_MS, reload_cb, self);
}

/* --- GObject ------------------------------------------------------------- */

static void
gauge_limits_monitor_dispose (GObject *object)
{
  GaugeLimitsMonitor *self = (GaugeLimitsMonitor *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->expiry_source, g_source_remove);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->file_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->file_monitor, self);
  g_clear_object (&self->file_monitor);
  g_clear_object (&self->credentials);
  g_clear_object (&self->gate);
  g_clear_object (&self->snapshot);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (gauge_limits_monitor_parent_class)->dispose (object);
}

static void
gauge_limits_monitor_finalize (GObject *object)
{
  GaugeLimitsMonitor *self = (GaugeLimitsMonitor *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->credentials_path, g_free);
  g_clear_pointer (&self->folder, g_free);
  g_clear_pointer (&self->token_hash, g_free);
  g_clear_pointer (&self->rejected_token_hash, g_free);
  g_clear_pointer (&self->forbidden_token_hash, g_free);
  g_clear_pointer (&self->plan_token_hash, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->store_message, g_free);
  g_clear_pointer (&self->plan_name, g_free);
  g_clear_pointer (&self->account_email, g_free);
  g_clear_pointer (&self->next_check, g_date_time_unref);

  G_OBJECT_CLASS (gauge_limits_monitor_parent_class)->finalize (object);
}

static void
gauge_limits_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GaugeLimitsMonitor *self = GAUGE_LIMITS_MONITOR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_SNAPSHOT:
      g_value_set_object (value, self->snapshot);
      break;
    case PROP_ACCOUNT_EMAIL:
      g_value_set_string (value, self->account_email);
      break;
    case PROP_PLAN_NAME:
      g_value_set_string (value, self->plan_name);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_STORE_MESSAGE:
      g_value_set_string (value, self->store_message);
      break;
    case PROP_NEXT_CHECK:
      g_value_set_boxed (value, self->next_check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Joins the update in progress, or starts one. */
static void
gauge_limits_monitor_update_once (GaugeMonitor *monitor)
{
  gauge_limits_monitor_update (GAUGE_LIMITS_MONITOR (monitor), FALSE);
}

static void
gauge_limits_monitor_poll_interval_changed (GaugeMonitor *monitor)
{
  GaugeLimitsMonitor *self = GAUGE_LIMITS_MONITOR (monitor);

  if (!self->updating)
    {
      refresh_state (self, FALSE);
      schedule (self);
    }
}

static void
gauge_limits_monitor_class_init (GaugeLimitsMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GaugeMonitorClass *monitor_class = GAUGE_MONITOR_CLASS (klass);

  object_class->dispose = gauge_limits_monitor_dispose;
  object_class->finalize = gauge_limits_monitor_finalize;
  object_class->get_property = gauge_limits_monitor_get_property;

  monitor_class->update_once = gauge_limits_monitor_update_once;
  monitor_class->poll_interval_changed = gauge_limits_monitor_poll_interval_changed;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       GAUGE_TYPE_LIMITS_MONITOR_STATE, GAUGE_LIMITS_MONITOR_STATE_LOADING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SNAPSHOT] =
    g_param_spec_object ("snapshot", NULL, NULL,
                         GAUGE_TYPE_LIMITS_SNAPSHOT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_EMAIL] =
    g_param_spec_string ("account-email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAN_NAME] =
    g_param_spec_string ("plan-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE_MESSAGE] =
    g_param_spec_string ("store-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_CHECK] =
    g_param_spec_boxed ("next-check", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GaugeLimitsMonitor::changed:
   *
   * Emitted once after any change a view should redraw for.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
gauge_limits_monitor_init (GaugeLimitsMonitor *self)
{
  self->cancellable = g_cancellable_new ();
  self->gate = gauge_rate_gate_new ();
  self->state = GAUGE_LIMITS_MONITOR_STATE_LOADING;
}

/**
 * gauge_limits_monitor_new:
 * @credentials_path: (nullable): the credentials file, or %NULL for Claude Code's
 */
GaugeLimitsMonitor *
gauge_limits_monitor_new (GaugeStore       *store,
                          GaugeLimitsClient *client,
                          const char       *credentials_path)
{
  g_autofree char *folder = NULL;
  GaugeLimitsMonitor *self;

  g_return_val_if_fail (GAUGE_IS_STORE (store), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_CLIENT (client), NULL);

  self = g_object_new (GAUGE_TYPE_LIMITS_MONITOR, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->credentials_path = credentials_path != NULL ? g_strdup (credentials_path)
                                                    : gauge_credentials_get_default_path ();
  folder = g_path_get_dirname (self->credentials_path);
  self->folder = gauge_account_normalize_folder (folder);

  return self;
}

/* Watches the credentials and keeps polling until disposed. */
void
gauge_limits_monitor_start (GaugeLimitsMonitor *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (self));

  if (self->started)
    return;

  self->started = TRUE;

  file = g_file_new_for_path (self->credentials_path);
  self->file_monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES,
                                            self->cancellable, &error);
  if (self->file_monitor != NULL)
    g_signal_connect_object (self->file_monitor, "changed",
                             G_CALLBACK (credentials_changed_cb), self, G_CONNECT_SWAPPED);
  else
    g_warning ("Cannot watch %s: %s", self->credentials_path, error->message);

  gauge_limits_monitor_update (self, FALSE);
}

/* A user asked: joins a request in flight, respects the cooldown. */
void
gauge_limits_monitor_refresh (GaugeLimitsMonitor *self)
{
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (self));

  gauge_limits_monitor_update (self, TRUE);
}

GaugeLimitsMonitorState
gauge_limits_monitor_get_state (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), GAUGE_LIMITS_MONITOR_STATE_LOADING);

  return self->state;
}

GaugeLimitsSnapshot *
gauge_limits_monitor_get_snapshot (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->snapshot;
}

/**
 * gauge_limits_monitor_get_account_email:
 *
 * Returns: (nullable): the signed-in Claude user's e-mail from the OAuth
 * profile (asked once per token, only once started), or %NULL
 */
const char *
gauge_limits_monitor_get_account_email (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->account_email;
}

const char *
gauge_limits_monitor_get_plan_name (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->plan_name;
}

/* Returns: the account's folder (the credentials' folder), its key in the history database */
const char *
gauge_limits_monitor_get_folder (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->folder;
}

const char *
gauge_limits_monitor_get_credentials_path (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->credentials_path;
}

/* Returns: (nullable): the credentials' rate-limit tier, e.g. "default_claude_max_5x" */
const char *
gauge_limits_monitor_get_rate_limit_tier (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->credentials != NULL ? gauge_credentials_get_rate_limit_tier (self->credentials) : NULL;
}

const char *
gauge_limits_monitor_get_error_message (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->error_message;
}

const char *
gauge_limits_monitor_get_store_message (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->store_message;
}

GDateTime *
gauge_limits_monitor_get_next_check (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), NULL);

  return self->next_check;
}

/**
 * gauge_limits_monitor_is_reading_old:
 *
 * Whether the reading is older than two poll intervals, whatever the state (an expired
 * sign-in, a cooldown or the network kept it from being replaced).
 */
gboolean
gauge_limits_monitor_is_reading_old (GaugeLimitsMonitor *self)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan age;
  guint interval;

  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), FALSE);

  if (self->snapshot == NULL)
    return FALSE;

  now = gauge_clock_now_utc ();
  age = g_date_time_difference (now, gauge_limits_snapshot_get_fetched_at (self->snapshot));
  interval = gauge_monitor_get_poll_interval (GAUGE_MONITOR (self));
  return age > 2 * (GTimeSpan) interval * G_TIME_SPAN_SECOND;
}

/**
 * gauge_limits_monitor_is_stale:
 *
 * Whether the values shown are not current: the last check failed, or the
 * reading is older than two poll intervals.
 */
gboolean
gauge_limits_monitor_is_stale (GaugeLimitsMonitor *self)
{
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (self), TRUE);

  return self->snapshot == NULL || self->state != GAUGE_LIMITS_MONITOR_STATE_OK ||
         gauge_limits_monitor_is_reading_old (self);
}
