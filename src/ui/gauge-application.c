/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-application"

#include "config.h"

#include <glib/gi18n.h>
#include <malloc.h>

#include "gauge-application.h"
#include "gauge-cli.h"
#include "gauge-cli-options.h"
#include "gauge-test-alert.h"
#include "gauge-admin-key.h"
#include "gauge-admin-key-group.h"
#include "gauge-account.h"
#include "gauge-account-list.h"
#include "gauge-console-monitor.h"
#include "gauge-console-view.h"
#include "gauge-history.h"
#include "gauge-history-view.h"
#include "gauge-local-usage-view.h"
#include "gauge-store-readings.h"
#include "gauge-notifier.h"
#include "gauge-transcript-index.h"
#include "gauge-autostart.h"
#include "gauge-background.h"
#include "gauge-dbus-api.h"
#include "gauge-tray.h"
#include "gauge-preferences-window.h"
#include "gauge-window.h"

struct _GaugeApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  GaugeStore     *store;
  GaugeLimitsMonitor   *monitor;   /* the first account's */
  GSignalGroup         *monitor_signals;
  GaugeAccountList     *accounts;
  GaugeNotifier  *notifier;        /* the first account's, and budgets and prompt caches */
  GHashTable     *account_notifiers; /* the other accounts': GaugeLimitsMonitor → notifier */
  GaugeTranscriptIndex *index;
  GaugeTray      *tray;
  GaugeDBusApi   *api;
  GaugeBackground *background_portal;
  guint           no_tray_source;
  GaugeAdminClient    *admin_client;
  GaugeConsoleMonitor *console;
  GCancellable        *cancellable;
  gboolean        background;  /* started with --background: no window until asked */
  gboolean        hidden_start; /* and so keeps running without one, like "Run in background" */
  gboolean        told_no_notifications;
  guint           retention_source;
  guint           sign_in_source;
  GaugeWindow    *window;   /* weak: the window owns itself */
  GtkWidget      *console_view; /* weak: the window's Console page, if any */
  gboolean        held;
};

G_DEFINE_FINAL_TYPE (GaugeApplication, gauge_application, ADW_TYPE_APPLICATION)

/* How long a tray host has to show up at start (a panel may start after us at login). */
#define NO_TRAY_GRACE_SECONDS 3

static int
gauge_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  int status;

  /* Terminal modes run here, before the application registers or opens a display (when the
   * executable did not already run them without loading the app). */
  status = gauge_cli_handle_options (options);
  if (status != GAUGE_CLI_RUN_APP)
    return status;

  if (g_variant_dict_contains (options, "test-alert"))
    return gauge_test_alert_run ();

  /* Before GTK would end the process with only "cannot open display". */
  if (!gtk_init_check ())
    {
      g_printerr ("%s\n", _("Claude Gauge found no display to open its window on. In a terminal, "
                            "claude-gauge --status prints your limits and claude-gauge --help "
                            "lists the rest."));
      return 1;
    }

  GAUGE_APPLICATION (app)->background = g_variant_dict_contains (options, "background");
  GAUGE_APPLICATION (app)->hidden_start = GAUGE_APPLICATION (app)->background;

  return G_APPLICATION_CLASS (gauge_application_parent_class)->handle_local_options (app, options);
}

/* Keeps the process alive with no window while the tray shows it, or "Run in background" is on. */
static void
update_hold (GaugeApplication *self)
{
  gboolean want = gauge_tray_should_keep_running ((self->tray != NULL &&
                                                   gauge_tray_get_host_present (self->tray)) ||
                                                  (self->background_portal != NULL &&
                                                   gauge_background_get_allowed (self->background_portal)),
                                                  self->hidden_start ||
                                                  g_settings_get_boolean (self->settings,
                                                                          "run-in-background"));

  if (want == self->held)
    return;

  self->held = want;
  if (want)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

/* No tray has shown the icon since start (GNOME without the AppIndicator extension), or the
 * one that did went away: ask the Background portal to let us live with no window. */
static gboolean
no_tray_cb (gpointer user_data)
{
  GaugeApplication *self = user_data;

  self->no_tray_source = 0;
  if (self->tray != NULL && !gauge_tray_get_host_present (self->tray))
    gauge_background_request (self->background_portal);

  return G_SOURCE_REMOVE;
}

static void
host_present_cb (GaugeApplication *self)
{
  update_hold (self);
  if (self->tray != NULL && !gauge_tray_get_host_present (self->tray) &&
      self->no_tray_source == 0)
    self->no_tray_source = g_timeout_add_seconds (NO_TRAY_GRACE_SECONDS, no_tray_cb, self);
}

static gboolean
trim_cb (gpointer user_data)
{
  GaugeApplication *self = user_data;

  gauge_store_release_memory (self->store);
  malloc_trim (0);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
window_destroyed_cb (GaugeApplication *self)
{
  self->window = NULL;

  /* A tray-only app should give back what the widgets used: once GTK has finalized
   * them and the views' worker threads have let go of their results. */
  g_timeout_add_seconds (2, trim_cb, g_object_ref (self));
}

/* Console mode comes with an Admin API key: the page shows while one is set. */
static void
update_console_page (GaugeApplication *self)
{
  gboolean has_key = gauge_console_monitor_has_key (self->console);

  GtkWidget *view = NULL;

  if (self->window == NULL)
    return;

  if (has_key)
    {
      view = gauge_console_view_new (self->console, self->settings);
      gauge_console_view_set_user_email (GAUGE_CONSOLE_VIEW (view),
                                         gauge_limits_monitor_get_account_email (self->monitor));
    }
  g_set_weak_pointer (&self->console_view, view);
  gauge_window_set_console (self->window, view);
}

/* "You" on the Console page: the signed-in Claude user's e-mail, once the profile tells it. */
static void
account_email_cb (GaugeApplication *self)
{
  if (self->console_view != NULL)
    gauge_console_view_set_user_email (GAUGE_CONSOLE_VIEW (self->console_view),
                                       gauge_limits_monitor_get_account_email (self->monitor));
}

static void
admin_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GaugeApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *key = gauge_admin_key_lookup_finish (result, NULL, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No Admin API key from the keyring: %s", error->message);

  if (key != NULL && self->console != NULL)
    {
      gauge_console_monitor_set_key (self->console, key);
      gauge_console_monitor_start (self->console);
      update_console_page (self);
    }
  gauge_admin_key_free (key);
}

/* With no notification server the app works on, and says so once. */
static void
tell_no_notifications (GaugeApplication *self)
{
  if (self->told_no_notifications || self->window == NULL ||
      !gauge_notifier_get_server_missing (self->notifier))
    return;

  self->told_no_notifications = TRUE;
  gauge_window_add_toast (self->window, gauge_notifier_get_server_message (self->notifier));
}

static void
after_first_paint_cb (GdkFrameClock *frame_clock,
                      GaugeWindow   *window)
{
  /* bench/app-footprint.py waits for this line. */
  g_debug ("First frame of the window drawn");
  g_signal_handlers_disconnect_by_func (frame_clock, after_first_paint_cb, window);
}

static void
window_realized_cb (GtkWidget *window)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (after_first_paint_cb), window, 0);
}

/* The window's pages that take the first account's monitor. */
static void
set_window_pages (GaugeApplication *self)
{
  GtkWidget *history;
  GtkWidget *local;

  local = gauge_local_usage_view_new (self->store, self->index, self->monitor, self->settings);
  gauge_local_usage_view_set_accounts (GAUGE_LOCAL_USAGE_VIEW (local), self->accounts);
  gauge_window_set_local_usage (self->window, local);
  history = gauge_history_view_new (self->store, self->monitor, self->settings);
  gauge_history_view_set_accounts (GAUGE_HISTORY_VIEW (history), self->accounts);
  gauge_window_set_history (self->window, history);
}

static void
gauge_application_activate (GApplication *app)
{
  GaugeApplication *self = GAUGE_APPLICATION (app);

  /* Started at login: stay in the tray until the user asks for the window. */
  if (self->background)
    {
      self->background = FALSE;
      return;
    }

  if (self->window == NULL)
    {
      self->window = gauge_window_new (ADW_APPLICATION (self), self->monitor, self->settings);
      gauge_window_set_store (self->window, self->store);
      gauge_window_set_accounts (self->window, self->accounts);
      set_window_pages (self);
      update_console_page (self);
      g_signal_connect_object (self->window, "destroy",
                               G_CALLBACK (window_destroyed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect (self->window, "realize", G_CALLBACK (window_realized_cb), NULL);
      tell_no_notifications (self);
    }

  gtk_window_present (GTK_WINDOW (self->window));
}

/* Shows the window, or closes it when it is shown (the tray's left click). */
static void
toggle_window_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GaugeApplication *self = user_data;

  if (self->window != NULL && gtk_widget_get_visible (GTK_WIDGET (self->window)))
    gtk_window_close (GTK_WINDOW (self->window));
  else
    g_application_activate (G_APPLICATION (self));
}

static void
refresh_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GaugeApplication *self = user_data;

  gauge_account_list_refresh (self->accounts);
}

static void
admin_key_changed_cb (GaugeApplication *self)
{
  gauge_console_monitor_start (self->console);
  update_console_page (self);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GaugeApplication *self = user_data;
  GaugePreferencesWindow *preferences;
  GtkWidget *group;

  preferences = gauge_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                              self->settings);
  gauge_preferences_window_set_store (preferences, self->store);
  group = gauge_admin_key_group_new (self->admin_client, self->console);
  g_signal_connect_object (group, "key-changed", G_CALLBACK (admin_key_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gauge_preferences_window_add_group (preferences, ADW_PREFERENCES_GROUP (group));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GaugeApplication *self = user_data;
  static const char *developers[] = { "The Claude Gauge developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Claude Gauge"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", _("The Claude Gauge developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "website", "https://github.com/claudegauge/claude-gauge",
                         "issue-url", "https://github.com/claudegauge/claude-gauge/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("How much of your Claude plan is left, and when it comes back."),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
show_window_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
retention_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gauge_store_apply_retention_finish (GAUGE_STORE (object), result, NULL, &error))
    g_debug ("History retention not applied: %s", error->message);
}

/* Full resolution for 30 days, hourly after that; once at start and then daily. */
static gboolean
apply_retention (gpointer user_data)
{
  GaugeApplication *self = user_data;

  gauge_store_apply_retention_async (self->store,
                                     g_settings_get_uint (self->settings, "history-retention-days"),
                                     NULL, retention_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
retention_changed_cb (GaugeApplication *self)
{
  apply_retention (self);
}

static const GActionEntry app_actions[] = {
  { "show-window", show_window_action },
  { "refresh", refresh_action },
  { "toggle-window", toggle_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

/* --- Accounts -------------------------------------------------------------- */

static GStrv
dup_account_folders (GaugeApplication *self)
{
  g_auto(GStrv) extra = g_settings_get_strv (self->settings, "account-folders");

  return gauge_account_list_folders ((const char * const *) extra);
}

static GaugeAccountList *
new_account_list (GaugeApplication  *self,
                  GaugeLimitsClient *client)
{
  g_auto(GStrv) folders = dup_account_folders (self);

  return gauge_account_list_new (self->store, client, (const char * const *) folders);
}

/* Folders added or removed in Preferences, a sign-in that appeared or went: the accounts
 * follow (the list keeps the monitors of folders that stay). */
static void
account_folders_cb (GaugeApplication *self)
{
  g_auto(GStrv) folders = NULL;

  /* After shutdown the settings still speak. */
  if (self->accounts == NULL)
    return;

  folders = dup_account_folders (self);
  gauge_account_list_set_folders (self->accounts, (const char * const *) folders);
  /* Each account's local usage is its folder's transcripts: they are read too. */
  if (self->index != NULL)
    gauge_transcript_index_set_account_folders (self->index, (const char * const *) folders);
}

static gboolean
look_for_sign_ins_cb (gpointer user_data)
{
  account_folders_cb (user_data);
  return G_SOURCE_CONTINUE;
}

/* Another account became the first (its folder came first, or the first one's went): what
 * speaks for "the first account" follows it, and the old one's monitor is let go. */
static void
follow_first_account (GaugeApplication *self)
{
  GaugeLimitsMonitor *first = gauge_account_list_get_monitor (self->accounts, 0);

  if (first == self->monitor)
    return;

  g_debug ("The first account is now %s", gauge_limits_monitor_get_folder (first));
  g_signal_group_set_target (self->monitor_signals, first);
  g_set_object (&self->monitor, first);
  account_email_cb (self);

  gauge_notifier_set_monitor (self->notifier, first);
  gauge_tray_set_monitor (self->tray, first);
  gauge_background_set_monitor (self->background_portal, first);
  if (self->api != NULL)
    gauge_dbus_api_set_monitor (self->api, first, self->settings);
  if (self->window != NULL)
    {
      gauge_window_set_monitor (self->window, first);
      set_window_pages (self);
    }
}

static void
poll_interval_cb (GaugeApplication *self)
{
  if (self->accounts == NULL)
    return;

  gauge_account_list_set_poll_interval (self->accounts,
                                        g_settings_get_uint (self->settings, "poll-interval"));
}

/* A notifier per account besides the first's, each saying its account's name when there
 * are several, each telling of its own folder's local block. */
static void
sync_account_notifiers (GaugeApplication *self)
{
  guint n = gauge_account_list_get_n_accounts (self->accounts);
  g_autoptr(GHashTable) old = g_steal_pointer (&self->account_notifiers);
  g_autofree char *first_name = n > 1 ? gauge_account_list_dup_name (self->accounts, 0) : NULL;
  g_autofree char *default_folder = gauge_account_default_folder ();
  g_auto(GStrv) folders = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    folders[i] = g_strdup (gauge_limits_monitor_get_folder (
                             gauge_account_list_get_monitor (self->accounts, i)));

  self->account_notifiers = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  /* Alerts are remembered by folder, not by place: when the default folder's sign-in goes
   * and another account becomes the first, what it was told is not told again. */
  gauge_notifier_set_account (self->notifier, first_name,
                              g_strcmp0 (folders[0], default_folder) != 0 ? folders[0] : NULL);
  gauge_notifier_set_account_folders (self->notifier, (const char * const *) folders);

  for (guint i = 1; i < n; i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (self->accounts, i);
      g_autofree char *name = gauge_account_list_dup_name (self->accounts, i);
      gpointer notifier = NULL;
      gboolean fresh = !g_hash_table_steal_extended (old, monitor, NULL, &notifier);

      if (fresh)
        notifier = gauge_notifier_new_for_account (G_APPLICATION (self), monitor, self->store,
                                                   self->settings, name,
                                                   gauge_limits_monitor_get_folder (monitor));
      else
        gauge_notifier_set_account (notifier, name, gauge_limits_monitor_get_folder (monitor));
      /* The folders before the index: its first look at the local block is its own. */
      gauge_notifier_set_account_folders (notifier, (const char * const *) folders);
      if (fresh && self->index != NULL)
        gauge_notifier_set_transcript_index (notifier, self->index);
      g_hash_table_insert (self->account_notifiers, monitor, notifier);
    }
}

/* The notifiers named first: the first account's, moved to another account, evaluates at
 * once. */
static void
accounts_changed_cb (GaugeApplication *self)
{
  sync_account_notifiers (self);
  follow_first_account (self);
}

static void
gauge_application_startup (GApplication *app)
{
  GaugeApplication *self = GAUGE_APPLICATION (app);
  g_autoptr(GaugeLimitsClient) client = NULL;
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (gauge_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  self->settings = g_settings_new (APPLICATION_ID);
  self->store = gauge_store_new (NULL);
  client = gauge_limits_client_new ();
  self->accounts = new_account_list (self, client);
  self->monitor = g_object_ref (gauge_account_list_get_monitor (self->accounts, 0));
  /* Followed to whichever account is the first at the time (follow_first_account()). */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "notify::account-email",
                                 G_CALLBACK (account_email_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->monitor_signals, self->monitor);
  self->notifier = gauge_notifier_new (G_APPLICATION (self), self->monitor, self->store,
                                       self->settings);
  self->account_notifiers = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  g_signal_connect_object (self->notifier, "notify::server-missing",
                           G_CALLBACK (tell_no_notifications), self, G_CONNECT_SWAPPED);

  self->tray = gauge_tray_new (app, self->monitor, self->settings);
  gauge_tray_set_accounts (self->tray, self->accounts);
  g_signal_connect_object (gauge_tray_get_status_notifier (self->tray),
                           "notify::is-host-present", G_CALLBACK (host_present_cb), self,
                           G_CONNECT_SWAPPED);
  self->background_portal = gauge_background_new (g_application_get_dbus_connection (app),
                                                  self->monitor, self->settings);
  g_signal_connect_object (self->background_portal, "notify::allowed", G_CALLBACK (update_hold),
                           self, G_CONNECT_SWAPPED);
  self->no_tray_source = g_timeout_add_seconds (NO_TRAY_GRACE_SECONDS, no_tray_cb, self);
  gauge_autostart_follow_settings (self->settings);
  if (self->api != NULL)
    {
      gauge_dbus_api_set_monitor (self->api, self->monitor, self->settings);
      gauge_dbus_api_set_accounts (self->api, self->accounts);
    }

  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (update_hold), self, G_CONNECT_SWAPPED);
  update_hold (self);

  gauge_account_list_start (self->accounts);
  sync_account_notifiers (self);
  g_signal_connect_object (self->accounts, "changed", G_CALLBACK (accounts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::account-folders",
                           G_CALLBACK (account_folders_cb), self, G_CONNECT_SWAPPED);
  /* A few stat()s a minute: nothing tells of a sign-in made in a folder no monitor reads. */
  self->sign_in_source = g_timeout_add_seconds (60, look_for_sign_ins_cb, self);
  g_signal_connect_object (self->settings, "changed::poll-interval",
                           G_CALLBACK (poll_interval_cb), self, G_CONNECT_SWAPPED);
  poll_interval_cb (self);

  self->index = gauge_transcript_index_new (self->store);
  {
    g_auto(GStrv) folders = dup_account_folders (self);

    gauge_transcript_index_set_account_folders (self->index, (const char * const *) folders);
  }
  gauge_transcript_index_start (self->index);
  gauge_notifier_set_transcript_index (self->notifier, self->index);
  {
    GHashTableIter iter;
    gpointer notifier;

    /* The other accounts' notifiers, made before the index, tell of their local blocks too. */
    g_hash_table_iter_init (&iter, self->account_notifiers);
    while (g_hash_table_iter_next (&iter, NULL, &notifier))
      gauge_notifier_set_transcript_index (notifier, self->index);
  }

  self->cancellable = g_cancellable_new ();
  self->admin_client = gauge_admin_client_new ();
  self->console = gauge_console_monitor_new (self->store, self->admin_client);
  g_settings_bind (self->settings, "console-poll-interval", self->console, "poll-interval",
                   G_SETTINGS_BIND_GET);
  gauge_tray_set_console_monitor (self->tray, self->console);
  gauge_notifier_set_console_monitor (self->notifier, self->console);
  gauge_admin_key_lookup_async (self->cancellable, admin_key_cb, g_object_ref (self));

  apply_retention (self);
  self->retention_source = g_timeout_add_seconds (24 * 60 * 60, apply_retention, self);
  g_signal_connect_object (self->settings, "changed::history-retention-days",
                           G_CALLBACK (retention_changed_cb), self, G_CONNECT_SWAPPED);
}

/* Stops what startup started: at shutdown, or in dispose for an app that never shut down. */
static void
stop_services (GaugeApplication *self)
{
  g_clear_handle_id (&self->retention_source, g_source_remove);
  g_clear_handle_id (&self->sign_in_source, g_source_remove);
  g_clear_handle_id (&self->no_tray_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_weak_pointer (&self->console_view);
  g_clear_object (&self->console);
  g_clear_object (&self->admin_client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->background_portal);
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);
  g_clear_pointer (&self->account_notifiers, g_hash_table_unref);
  g_clear_object (&self->index);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
}

/* The usage API goes on the bus before the name is taken: whoever sees the name finds it. */
static gboolean
gauge_application_dbus_register (GApplication     *app,
                                 GDBusConnection  *connection,
                                 const char       *object_path,
                                 GError          **error)
{
  GaugeApplication *self = GAUGE_APPLICATION (app);
  g_autoptr(GError) local_error = NULL;

  if (!G_APPLICATION_CLASS (gauge_application_parent_class)->dbus_register (app, connection,
                                                                            object_path, error))
    return FALSE;

  self->api = gauge_dbus_api_new ();
  if (!gauge_dbus_api_export (self->api, connection, &local_error))
    g_warning ("Could not export the usage API on D-Bus: %s", local_error->message);

  return TRUE;
}

static void
gauge_application_dbus_unregister (GApplication    *app,
                                   GDBusConnection *connection,
                                   const char      *object_path)
{
  GaugeApplication *self = GAUGE_APPLICATION (app);

  g_clear_object (&self->api);

  G_APPLICATION_CLASS (gauge_application_parent_class)->dbus_unregister (app, connection,
                                                                         object_path);
}

static void
gauge_application_shutdown (GApplication *app)
{
  stop_services (GAUGE_APPLICATION (app));

  G_APPLICATION_CLASS (gauge_application_parent_class)->shutdown (app);
}

static void
gauge_application_dispose (GObject *object)
{
  GaugeApplication *self = (GaugeApplication *)object;

  stop_services (self);
  g_clear_object (&self->api);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_application_parent_class)->dispose (object);
}

static void
gauge_application_class_init (GaugeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = gauge_application_dispose;
  app_class->handle_local_options = gauge_application_handle_local_options;
  app_class->startup = gauge_application_startup;
  app_class->shutdown = gauge_application_shutdown;
  app_class->dbus_register = gauge_application_dbus_register;
  app_class->dbus_unregister = gauge_application_dbus_unregister;
  app_class->activate = gauge_application_activate;
}

static void
gauge_application_init (GaugeApplication *self)
{
  gauge_cli_add_options (G_APPLICATION (self));
}

GaugeApplication *
gauge_application_new (void)
{
  return g_object_new (GAUGE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
