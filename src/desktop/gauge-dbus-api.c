/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-dbus-api"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-dbus-api.h"
#include "gauge-enums.h"
#include "gauge-limit-window.h"
#include "gauge-limits-glance.h"
#include "gauge-limits-state.h"
#include "gauge-limits-variant.h"
#include "gauge-usage-dbus.h"

/*
 * The skeleton holds the properties and sends PropertiesChanged for the ones a set changed
 * (gdbus-codegen compares old and new values, and gathers the sets of one main-loop turn
 * into one signal): update() sets them all from the monitor whenever it says something
 * changed, so a poll that brings nothing new sends nothing. Staleness moves on with time
 * alone, hence a minute's timer too.
 */

struct _GaugeDBusApi
{
  GObject             parent_instance;

  GaugeLimitsMonitor *monitor;
  GSignalGroup       *monitor_signals;
  GaugeAccountList   *accounts;   /* nullable: the monitor's account only */
  GSettings          *settings;
  GaugeBusUsage      *skeleton;
  guint               stale_timer_id;
};

G_DEFINE_FINAL_TYPE (GaugeDBusApi, gauge_dbus_api, G_TYPE_OBJECT)

/* One account as the Accounts property carries it. */
static GVariant *
account_variant (GaugeLimitsMonitor *monitor,
                 const char         *name,
                 const char         *metric,
                 double              warning,
                 double              critical)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);
  GaugeLimitWindow *picked = gauge_limits_glance_pick (snapshot, metric);
  const char *plan = gauge_limits_monitor_get_plan_name (monitor);
  GaugeSeverity severity = snapshot != NULL
                           ? gauge_limits_snapshot_get_severity (snapshot, warning, critical)
                           : GAUGE_SEVERITY_NORMAL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", name);
  g_variant_dict_insert (&dict, "folder", "s", gauge_limits_monitor_get_folder (monitor));
  g_variant_dict_insert (&dict, "plan", "s", plan != NULL ? plan : "");
  g_variant_dict_insert (&dict, "state", "s",
                         gauge_enum_to_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                             gauge_limits_monitor_get_state (monitor)));
  g_variant_dict_insert (&dict, "severity", "s", gauge_enum_to_nick (GAUGE_TYPE_SEVERITY, severity));
  g_variant_dict_insert (&dict, "percent", "d",
                         picked != NULL ? gauge_limit_window_get_utilization (picked) : -1.0);
  g_variant_dict_insert_value (&dict, "limits", gauge_limits_variant_new (snapshot, warning,
                                                                          critical));
  return g_variant_dict_end (&dict);
}

static void
update_accounts (GaugeDBusApi *self,
                 const char   *metric,
                 double        warning,
                 double        critical)
{
  GVariantBuilder builder;
  g_autofree char *first = NULL;
  guint n = self->accounts != NULL ? gauge_account_list_get_n_accounts (self->accounts) : 0;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = gauge_account_list_dup_name (self->accounts, i);

      g_variant_builder_add_value (&builder,
                                   account_variant (gauge_account_list_get_monitor (self->accounts,
                                                                                    i),
                                                    name, metric, warning, critical));
      if (i == 0)
        first = g_steal_pointer (&name);
    }

  gauge_bus_usage_set_account (self->skeleton, first != NULL ? first : "");
  gauge_bus_usage_set_accounts (self->skeleton, g_variant_builder_end (&builder));
}

static void
update (GaugeDBusApi *self)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (self->monitor);
  double warning = g_settings_get_double (self->settings, "warning-threshold");
  double critical = g_settings_get_double (self->settings, "critical-threshold");
  g_autofree char *metric = g_settings_get_string (self->settings, "tray-metric");
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  g_autofree char *state_message =
    gauge_limits_state_describe (self->monitor, GAUGE_LIMITS_STATE_LINE, now, NULL);
  g_autofree char *summary = gauge_limits_glance_summary (snapshot);
  GaugeLimitWindow *picked = gauge_limits_glance_pick (snapshot, metric);
  GaugeSeverity severity = snapshot != NULL
                           ? gauge_limits_snapshot_get_severity (snapshot, warning, critical)
                           : GAUGE_SEVERITY_NORMAL;
  const char *plan = gauge_limits_monitor_get_plan_name (self->monitor);

  g_object_freeze_notify (G_OBJECT (self->skeleton));
  gauge_bus_usage_set_plan (self->skeleton, plan != NULL ? plan : "");
  gauge_bus_usage_set_state (self->skeleton,
                             gauge_enum_to_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                                 gauge_limits_monitor_get_state (self->monitor)));
  gauge_bus_usage_set_state_message (self->skeleton, state_message != NULL ? state_message : "");
  gauge_bus_usage_set_updated_at (self->skeleton,
                                  snapshot != NULL
                                  ? g_date_time_to_unix (gauge_limits_snapshot_get_fetched_at (snapshot))
                                  : 0);
  gauge_bus_usage_set_source (self->skeleton,
                              snapshot != NULL
                              ? gauge_source_to_string (gauge_limits_snapshot_get_source (snapshot))
                              : "");
  gauge_bus_usage_set_stale (self->skeleton, gauge_limits_monitor_is_stale (self->monitor));
  gauge_bus_usage_set_percent (self->skeleton,
                               picked != NULL ? gauge_limit_window_get_utilization (picked) : -1);
  gauge_bus_usage_set_severity (self->skeleton, gauge_enum_to_nick (GAUGE_TYPE_SEVERITY, severity));
  gauge_bus_usage_set_summary (self->skeleton, summary);
  gauge_bus_usage_set_limits (self->skeleton, gauge_limits_variant_new (snapshot, warning, critical));
  update_accounts (self, metric, warning, critical);
  g_object_thaw_notify (G_OBJECT (self->skeleton));
}

static gboolean
stale_timer_cb (gpointer user_data)
{
  update (user_data);

  return G_SOURCE_CONTINUE;
}

static gboolean
handle_refresh_cb (GaugeDBusApi          *self,
                   GDBusMethodInvocation *invocation)
{
  g_debug ("Refresh asked over D-Bus by %s", g_dbus_method_invocation_get_sender (invocation));
  if (self->accounts != NULL)
    gauge_account_list_refresh (self->accounts);
  else if (self->monitor != NULL)
    gauge_limits_monitor_refresh (self->monitor);
  gauge_bus_usage_complete_refresh (self->skeleton, invocation);

  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
gauge_dbus_api_dispose (GObject *object)
{
  GaugeDBusApi *self = (GaugeDBusApi *)object;

  g_clear_handle_id (&self->stale_timer_id, g_source_remove);
  if (self->skeleton != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
  g_clear_object (&self->skeleton);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_dbus_api_parent_class)->dispose (object);
}

static void
gauge_dbus_api_class_init (GaugeDBusApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_dbus_api_dispose;
}

static void
gauge_dbus_api_init (GaugeDBusApi *self)
{
  /* Until the monitor comes: loading, nothing to show. */
  self->skeleton = gauge_bus_usage_skeleton_new ();
  gauge_bus_usage_set_plan (self->skeleton, "");
  gauge_bus_usage_set_state (self->skeleton,
                             gauge_enum_to_nick (GAUGE_TYPE_LIMITS_MONITOR_STATE,
                                                 GAUGE_LIMITS_MONITOR_STATE_LOADING));
  gauge_bus_usage_set_state_message (self->skeleton, "");
  gauge_bus_usage_set_source (self->skeleton, "");
  gauge_bus_usage_set_stale (self->skeleton, TRUE);
  gauge_bus_usage_set_percent (self->skeleton, -1);
  gauge_bus_usage_set_severity (self->skeleton,
                                gauge_enum_to_nick (GAUGE_TYPE_SEVERITY, GAUGE_SEVERITY_NORMAL));
  gauge_bus_usage_set_summary (self->skeleton, "");
  gauge_bus_usage_set_limits (self->skeleton, gauge_limits_variant_new (NULL, 0, 0));
  gauge_bus_usage_set_account (self->skeleton, "");
  gauge_bus_usage_set_accounts (self->skeleton, g_variant_new_array (G_VARIANT_TYPE_VARDICT,
                                                                     NULL, 0));
  g_signal_connect_object (self->skeleton, "handle-refresh", G_CALLBACK (handle_refresh_cb), self,
                           G_CONNECT_SWAPPED);

  /* The monitor is the first account's, whichever that is at the time; the account list
   * comes once (gauge_dbus_api_set_accounts()). */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "changed", G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
}

/**
 * gauge_dbus_api_new:
 *
 * The API, saying "loading" until gauge_dbus_api_set_monitor(): the app exports it before it
 * owns its name, so that whoever sees the name finds the interface.
 */
GaugeDBusApi *
gauge_dbus_api_new (void)
{
  return g_object_new (GAUGE_TYPE_DBUS_API, NULL);
}

/**
 * gauge_dbus_api_set_monitor:
 *
 * From now on the properties follow @monitor, and the tray metric and thresholds in
 * @settings. Called again when another account becomes the first: the top-level
 * properties follow it.
 */
void
gauge_dbus_api_set_monitor (GaugeDBusApi       *self,
                            GaugeLimitsMonitor *monitor,
                            GSettings          *settings)
{
  static const char * const keys[] = {
    "changed::tray-metric", "changed::warning-threshold", "changed::critical-threshold",
  };

  g_return_if_fail (GAUGE_IS_DBUS_API (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL || self->settings == settings);

  if (self->monitor == monitor)
    return;

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_set_object (&self->monitor, monitor);

  if (self->settings == NULL)
    {
      self->settings = g_object_ref (settings);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        g_signal_connect_object (settings, keys[i], G_CALLBACK (update), self,
                                 G_CONNECT_SWAPPED);
      self->stale_timer_id = g_timeout_add_seconds (60, stale_timer_cb, self);
    }
  update (self);
}

/**
 * gauge_dbus_api_set_accounts:
 *
 * Fills Account and Accounts from @accounts, whose first monitor is the one given to
 * gauge_dbus_api_set_monitor() (again each time the first account changes). Once only,
 * after it.
 */
void
gauge_dbus_api_set_accounts (GaugeDBusApi     *self,
                             GaugeAccountList *accounts)
{
  g_return_if_fail (GAUGE_IS_DBUS_API (self));
  g_return_if_fail (GAUGE_IS_ACCOUNT_LIST (accounts));
  g_return_if_fail (self->monitor != NULL && self->accounts == NULL);

  self->accounts = g_object_ref (accounts);
  g_signal_connect_object (accounts, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

/**
 * gauge_dbus_api_export:
 * @connection: the session bus, where the app owns (or is about to own) its name
 */
gboolean
gauge_dbus_api_export (GaugeDBusApi     *self,
                       GDBusConnection  *connection,
                       GError          **error)
{
  g_return_val_if_fail (GAUGE_IS_DBUS_API (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                           GAUGE_DBUS_API_PATH, error);
}
