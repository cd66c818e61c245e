/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-tray"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-dbus-menu.h"
#include "gauge-format.h"
#include "gauge-limits-glance.h"
#include "gauge-limits-state.h"
#include "gauge-status-notifier.h"
#include "gauge-tray.h"
#include "gauge-tray-icon.h"
#include "gauge-limit-window.h"

/*
 * What the tray shows: the icon, the status, the tooltip's lines and the menu's rows, all
 * computed from the monitor and the settings in update() and compared with what was shown
 * last. Only what changed goes to the StatusNotifierItem and the menu, which put it on the
 * bus: a poll that brings nothing new sends no signal at all.
 */

#define MENU_PATH     "/StatusNotifierItem/Menu"
#define SYMBOLIC_ICON APPLICATION_ID "-symbolic"

struct _GaugeTray
{
  GObject              parent_instance;

  GaugeLimitsMonitor  *monitor;
  GSignalGroup        *monitor_signals;
  GaugeAccountList    *accounts;   /* nullable: one account, the monitor's */
  GSignalGroup        *accounts_signals;
  GaugeConsoleMonitor *console;
  GSignalGroup        *console_signals;
  GSettings           *settings;
  GaugeStatusNotifier *item;
  GaugeDBusMenu       *menu;
  guint                stale_timer_id;

  /* What was shown last. */
  char                *status;
  char                *icon_name;
  GaugeTrayIconKey     key;
  gboolean             have_key;
  char                *tooltip;
};

G_DEFINE_FINAL_TYPE (GaugeTray, gauge_tray, G_TYPE_OBJECT)

/* --- What the tray shows -------------------------------------------------- */

/* The account the icon shows: the one chosen in Preferences, else the one nearest a limit. */
static GaugeLimitsMonitor *
shown_monitor (GaugeTray  *self,
               const char *metric)
{
  g_autofree char *chosen = NULL;
  gint index;

  if (self->accounts == NULL || gauge_account_list_get_n_accounts (self->accounts) < 2)
    return self->monitor;

  chosen = g_settings_get_string (self->settings, "tray-account");
  index = *chosen != '\0' ? gauge_account_list_find_folder (self->accounts, chosen) : -1;
  if (index < 0)
    index = gauge_account_list_get_nearest (self->accounts, metric);

  return gauge_account_list_get_monitor (self->accounts, index);
}

/* One account's windows and state. */
static void
describe_monitor (GaugeLimitsMonitor *monitor,
                  const char         *name,
                  GDateTime          *now,
                  GPtrArray          *tooltip_lines,
                  GPtrArray          *menu_rows)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);
  g_autofree char *state_text = gauge_limits_state_describe (monitor, GAUGE_LIMITS_STATE_LINE,
                                                             now, NULL);
  const char *indent = name != NULL ? "  " : "";

  if (name != NULL)
    {
      g_ptr_array_add (tooltip_lines, g_strdup (name));
      g_ptr_array_add (menu_rows, g_strdup (name));
    }

  for (guint i = 0; snapshot != NULL && i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      g_autofree char *line = gauge_limits_glance_window_line (window, now, FALSE);
      g_autofree char *row = gauge_limits_glance_window_line (window, now, TRUE);

      g_ptr_array_add (tooltip_lines, g_strconcat (indent, line, NULL));
      g_ptr_array_add (menu_rows, g_strconcat (indent, row, NULL));
    }

  if (state_text != NULL)
    {
      g_ptr_array_add (tooltip_lines, g_strconcat (indent, state_text, NULL));
      g_ptr_array_add (menu_rows, g_strconcat (indent, state_text, NULL));
    }
}

/* The tooltip's lines and the menu's rows, from the same reading. */
static void
describe (GaugeTray          *self,
          GaugeLimitsMonitor *shown,
          gboolean            stale,
          GPtrArray  *tooltip_lines,
          GPtrArray  *menu_rows)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (shown);
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  guint n_accounts = self->accounts != NULL ? gauge_account_list_get_n_accounts (self->accounts)
                                            : 1;

  /* Several accounts: each under its name, all of them. */
  if (n_accounts > 1)
    for (guint i = 0; i < n_accounts; i++)
      {
        g_autofree char *name = gauge_account_list_dup_name (self->accounts, i);

        describe_monitor (gauge_account_list_get_monitor (self->accounts, i), name, now,
                          tooltip_lines, menu_rows);
      }
  else
    describe_monitor (shown, NULL, now, tooltip_lines, menu_rows);

  if (self->console != NULL && gauge_console_monitor_get_report (self->console) != NULL)
    {
      GaugeAdminReport *report = gauge_console_monitor_get_report (self->console);
      g_autofree char *total = gauge_admin_format_dollars (gauge_admin_report_get_total (report));
      g_autofree char *projection =
        gauge_admin_format_dollars (gauge_admin_report_get_projection (report));

      /* Translators: the organization's spend in the tray, "Console: $818.66 this month ·
       * projected $1,482.79" */
      g_ptr_array_add (tooltip_lines, g_strdup_printf (_("Console: %s this month · projected %s"),
                                                       total, projection));
      g_ptr_array_add (menu_rows, g_strdup_printf (_("Console: %s this month · projected %s"),
                                                   total, projection));
    }

  if (snapshot != NULL && stale)
    {
      g_autofree char *age = gauge_format_age (gauge_limits_snapshot_get_fetched_at (snapshot), now);

      /* Translators: how old the values in the tray are, "Updated 12 min ago" */
      g_ptr_array_add (tooltip_lines, g_strdup_printf (_("Updated %s"), age));
    }

  g_ptr_array_add (tooltip_lines, NULL);
  g_ptr_array_add (menu_rows, NULL);
}

static gboolean stale_timer_cb (gpointer user_data);

static void
update (GaugeTray *self)
{
  double warning = g_settings_get_double (self->settings, "warning-threshold");
  double critical = g_settings_get_double (self->settings, "critical-threshold");
  g_autofree char *metric_name = g_settings_get_string (self->settings, "tray-metric");
  GaugeLimitsMonitor *shown = shown_monitor (self, metric_name);
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (shown);
  gboolean stale = gauge_limits_monitor_is_stale (shown);
  GaugeTrayIconKey key;
  const char *status;
  const char *icon_name;
  g_autoptr(GPtrArray) tooltip_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) menu_rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tooltip = NULL;

  key = gauge_tray_icon_key_for (snapshot, gauge_tray_metric_from_string (metric_name),
                                 warning, critical, stale);
  /* Hosts prefer a themed IconName over IconPixmap: name the app's icon only
   * while there is no reading to draw, so the ring shows whenever it means something. */
  icon_name = key.state == GAUGE_TRAY_ICON_STATE_NONE ? SYMBOLIC_ICON : "";

  if (!self->have_key || !gauge_tray_icon_key_equal (&self->key, &key) ||
      g_strcmp0 (self->icon_name, icon_name) != 0)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GVariant) pixmap = gauge_tray_icon_render (&key);

      g_debug ("Rendered the tray icon (%d %%, severity %d, state %d) in %" G_GINT64_FORMAT " µs",
               key.level, key.severity, key.state, g_get_monotonic_time () - start);
      self->key = key;
      self->have_key = TRUE;
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
      gauge_status_notifier_set_icon (self->item, icon_name, pixmap);
    }

  status = snapshot != NULL &&
           gauge_limits_snapshot_get_severity (snapshot, warning, critical) == GAUGE_SEVERITY_CRITICAL
           ? "NeedsAttention" : "Active";
  if (g_strcmp0 (self->status, status) != 0)
    {
      g_free (self->status);
      self->status = g_strdup (status);
      gauge_status_notifier_set_status (self->item, status);
    }

  describe (self, shown, stale, tooltip_lines, menu_rows);
  tooltip = g_strjoinv ("\n", (GStrv) tooltip_lines->pdata);
  if (g_strcmp0 (self->tooltip, tooltip) != 0)
    {
      g_free (self->tooltip);
      self->tooltip = g_steal_pointer (&tooltip);
      gauge_status_notifier_set_tooltip (self->item, self->tooltip);
    }

  gauge_dbus_menu_set_rows (self->menu, (const char * const *) menu_rows->pdata);

  /* A stale reading's age ("Updated 12 min ago") moves on with no news from the monitor. */
  if (stale && snapshot != NULL)
    {
      if (self->stale_timer_id == 0)
        self->stale_timer_id = g_timeout_add_seconds (60, stale_timer_cb, self);
    }
  else
    g_clear_handle_id (&self->stale_timer_id, g_source_remove);
}

static gboolean
stale_timer_cb (gpointer user_data)
{
  GaugeTray *self = user_data;

  self->stale_timer_id = 0;
  update (self);

  return G_SOURCE_REMOVE;
}

/* --- GObject ---------------------------------------------------------------- */

static void
gauge_tray_dispose (GObject *object)
{
  GaugeTray *self = (GaugeTray *)object;

  g_clear_handle_id (&self->stale_timer_id, g_source_remove);
  g_clear_object (&self->item);
  g_clear_object (&self->menu);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  g_clear_object (&self->accounts_signals);
  g_clear_object (&self->accounts);
  g_clear_object (&self->console_signals);
  g_clear_object (&self->console);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_tray_parent_class)->dispose (object);
}

static void
gauge_tray_finalize (GObject *object)
{
  GaugeTray *self = (GaugeTray *)object;

  g_free (self->status);
  g_free (self->icon_name);
  g_free (self->tooltip);

  G_OBJECT_CLASS (gauge_tray_parent_class)->finalize (object);
}

static void
gauge_tray_class_init (GaugeTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_tray_dispose;
  object_class->finalize = gauge_tray_finalize;
}

static void
gauge_tray_init (GaugeTray *self)
{
  /* The monitor and the accounts are swapped for others as accounts come and go. */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "changed", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
  self->accounts_signals = g_signal_group_new (GAUGE_TYPE_ACCOUNT_LIST);
  g_signal_group_connect_object (self->accounts_signals, "changed", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
  self->console_signals = g_signal_group_new (GAUGE_TYPE_CONSOLE_MONITOR);
  g_signal_group_connect_object (self->console_signals, "notify::report", G_CALLBACK (update),
                                 self, G_CONNECT_SWAPPED);
}

/**
 * gauge_tray_new_for_connection:
 * @connection: (nullable): the bus to export on; %NULL makes an inert tray
 * @actions: where the icon's clicks and the menu's items go
 *
 * Exports the item and its menu, then registers with every watcher that appears.
 */
GaugeTray *
gauge_tray_new_for_connection (GDBusConnection    *connection,
                               GActionGroup       *actions,
                               GaugeLimitsMonitor *monitor,
                               GSettings          *settings)
{
  g_autoptr(GaugeTray) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_TRAY, NULL);
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);
  self->item = gauge_status_notifier_new (actions, MENU_PATH);
  self->menu = gauge_dbus_menu_new (actions);

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_connect_object (settings, "changed::tray-account", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::tray-metric", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::warning-threshold", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::critical-threshold", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  if (connection == NULL)
    return g_steal_pointer (&self);

  /* The menu first: the item names it, and a watcher reads both as soon as we register. */
  if (!gauge_dbus_menu_export (self->menu, connection, MENU_PATH, &error))
    g_warning ("Could not export the tray menu: %s", error->message);
  else if (!gauge_status_notifier_export (self->item, connection, &error))
    g_warning ("Could not export the tray icon: %s", error->message);

  return g_steal_pointer (&self);
}

/**
 * gauge_tray_new:
 *
 * The app's tray icon, on its session-bus connection (so after the
 * application has registered, e.g. in startup).
 */
GaugeTray *
gauge_tray_new (GApplication *app,
                GaugeLimitsMonitor *monitor,
                GSettings    *settings)
{
  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  return gauge_tray_new_for_connection (g_application_get_dbus_connection (app),
                                        G_ACTION_GROUP (app), monitor, settings);
}

/**
 * gauge_tray_get_status_notifier:
 *
 * Returns: (transfer none): the item on the bus: whether it is registered, and whether
 *   a host shows it (#GaugeStatusNotifier:is-host-present)
 */
GaugeStatusNotifier *
gauge_tray_get_status_notifier (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), NULL);

  return self->item;
}

gboolean
gauge_tray_get_host_present (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), FALSE);

  return gauge_status_notifier_get_host_present (self->item);
}

gboolean
gauge_tray_get_registered (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), FALSE);

  return gauge_status_notifier_get_registered (self->item);
}

/**
 * gauge_tray_set_accounts:
 *
 * With several accounts, the icon shows the one chosen in Preferences (`tray-account`) or
 * the one nearest a limit, and the tooltip and menu list them all, each under its name.
 */
void
gauge_tray_set_accounts (GaugeTray        *self,
                         GaugeAccountList *accounts)
{
  g_return_if_fail (GAUGE_IS_TRAY (self));
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (accounts));

  g_signal_group_set_target (self->accounts_signals, accounts);
  g_set_object (&self->accounts, accounts);
  update (self);
}

/**
 * gauge_tray_set_monitor:
 *
 * The first account's monitor, which the icon shows when it is the only account: set again
 * when another account becomes the first.
 */
void
gauge_tray_set_monitor (GaugeTray          *self,
                        GaugeLimitsMonitor *monitor)
{
  g_return_if_fail (GAUGE_IS_TRAY (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_set_object (&self->monitor, monitor);
  update (self);
}

/**
 * gauge_tray_set_console_monitor:
 * @console: (nullable): the organization's spend to show, or %NULL
 *
 * Adds the month-to-date spend to the tooltip and the menu whenever
 * @console has a report; only a report that changes the text sends signals.
 */
void
gauge_tray_set_console_monitor (GaugeTray           *self,
                                GaugeConsoleMonitor *console)
{
  g_return_if_fail (GAUGE_IS_TRAY (self));
  g_return_if_fail (console == NULL || GAUGE_IS_CONSOLE_MONITOR (console));

  if (!g_set_object (&self->console, console))
    return;

  g_signal_group_set_target (self->console_signals, console);
  update (self);
}

/**
 * gauge_tray_dup_tooltip:
 *
 * Returns: (transfer full): the tooltip's body as the host shows it
 */
char *
gauge_tray_dup_tooltip (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), NULL);

  return g_strdup (self->tooltip);
}

/**
 * gauge_tray_should_keep_running:
 *
 * Whether closing the window should leave the app running: yes when a tray
 * host shows the icon (it can bring the window back), or when the user asked
 * to run in the background.
 */
gboolean
gauge_tray_should_keep_running (gboolean host_present,
                                gboolean run_in_background)
{
  return host_present || run_in_background;
}
