/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#endif

#include "gauge-clock.h"
#include "gauge-console-monitor.h"
#include "gauge-dbus-menu.h"
#include "gauge-format.h"
#include "gauge-tray.h"
#include "gauge-tray-icon.h"
#include "gauge-usage-window.h"

/*
 * Everything the tray shows is computed from the monitor and the settings in
 * update(), compared with what was sent last, and only differences go out on
 * the bus: a poll that brings nothing new sends no signal at all.
 */

#define SNI_INTERFACE     "org.kde.StatusNotifierItem"
#define SNI_PATH          "/StatusNotifierItem"
#define MENU_PATH         "/StatusNotifierItem/Menu"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"
#define SYMBOLIC_ICON     APPLICATION_ID "-symbolic"

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.kde.StatusNotifierItem'>"
  "    <property name='Category' type='s' access='read'/>"
  "    <property name='Id' type='s' access='read'/>"
  "    <property name='Title' type='s' access='read'/>"
  "    <property name='Status' type='s' access='read'/>"
  "    <property name='WindowId' type='i' access='read'/>"
  "    <property name='IconThemePath' type='s' access='read'/>"
  "    <property name='IconName' type='s' access='read'/>"
  "    <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='OverlayIconName' type='s' access='read'/>"
  "    <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionIconName' type='s' access='read'/>"
  "    <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "    <property name='AttentionMovieName' type='s' access='read'/>"
  "    <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "    <property name='ItemIsMenu' type='b' access='read'/>"
  "    <property name='Menu' type='o' access='read'/>"
  "    <method name='ContextMenu'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Activate'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='SecondaryActivate'>"
  "      <arg type='i' name='x' direction='in'/>"
  "      <arg type='i' name='y' direction='in'/>"
  "    </method>"
  "    <method name='Scroll'>"
  "      <arg type='i' name='delta' direction='in'/>"
  "      <arg type='s' name='orientation' direction='in'/>"
  "    </method>"
  "    <method name='ProvideXdgActivationToken'>"
  "      <arg type='s' name='token' direction='in'/>"
  "    </method>"
  "    <signal name='NewTitle'/>"
  "    <signal name='NewIcon'/>"
  "    <signal name='NewAttentionIcon'/>"
  "    <signal name='NewOverlayIcon'/>"
  "    <signal name='NewToolTip'/>"
  "    <signal name='NewStatus'>"
  "      <arg type='s' name='status'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

struct _GaugeTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GActionGroup    *actions;
  GaugeMonitor    *monitor;
  GaugeConsoleMonitor *console;
  GSettings       *settings;
  GCancellable    *cancellable;
  GaugeDBusMenu   *menu;

  guint            registration_id;
  guint            watch_id;
  guint            host_registered_id;
  guint            host_unregistered_id;
  guint            stale_timer_id;

  gboolean         registered;
  gboolean         host_present;
  char            *activation_token;

  /* What the bus was last told. */
  char            *status;
  char            *icon_name;
  GaugeTrayIconKey key;
  gboolean         have_key;
  GVariant        *pixmap;
  char            *tooltip;
};

G_DEFINE_FINAL_TYPE (GaugeTray, gauge_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST_PRESENT,
  PROP_REGISTERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GDBusNodeInfo *
get_node_info (void)
{
  static gsize initialized;
  static GDBusNodeInfo *info;

  if (g_once_init_enter (&initialized))
    {
      info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
      g_once_init_leave (&initialized, 1);
    }

  return info;
}

static void
set_host_present (GaugeTray *self,
                  gboolean   present)
{
  if (self->host_present == present)
    return;

  g_debug ("Tray host %s", present ? "present" : "gone");
  self->host_present = present;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_PRESENT]);
}

static void
set_registered (GaugeTray *self,
                gboolean   registered)
{
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

/* --- What the tray shows -------------------------------------------------- */

static char *
window_line (GaugeUsageWindow *window,
             GDateTime        *now,
             gboolean          for_menu)
{
  g_autofree char *percent = gauge_format_percent (gauge_usage_window_get_utilization (window));
  GDateTime *resets_at = gauge_usage_window_get_resets_at (window);
  const char *name = gauge_usage_window_get_display_name (window);
  g_autofree char *detail = NULL;

  if (gauge_usage_window_is_money (window))
    detail = gauge_usage_window_format_money (window);
  else if (resets_at != NULL)
    {
      g_autofree char *clock = gauge_format_clock (resets_at, now);

      /* Translators: "resets 14:00", after a limit's percentage in the tray */
      detail = g_strdup_printf (_("resets %s"), clock);
    }

  if (detail == NULL)
    return for_menu
      /* Translators: a tray menu row, "5-hour: 48 %" */
      ? g_strdup_printf (_("%s: %s"), name, percent)
      /* Translators: a tray tooltip line, "5-hour 48 %" */
      : g_strdup_printf (_("%s %s"), name, percent);

  return for_menu
    /* Translators: a tray menu row, "5-hour: 48 % · resets 14:00" */
    ? g_strdup_printf (_("%s: %s · %s"), name, percent, detail)
    /* Translators: a tray tooltip line, "5-hour 48 % · resets 14:00" */
    : g_strdup_printf (_("%s %s · %s"), name, percent, detail);
}

static const char *
state_line (GaugeMonitorState state)
{
  switch (state)
    {
    case GAUGE_MONITOR_STATE_LOADING:
      return _("Checking your limits…");
    case GAUGE_MONITOR_STATE_NO_CREDENTIALS:
      return _("Not signed in: run claude to sign in");
    case GAUGE_MONITOR_STATE_EXPIRED:
      return _("Sign-in expired: run claude to sign in again");
    case GAUGE_MONITOR_STATE_FORBIDDEN:
      return _("This sign-in cannot read plan limits");
    case GAUGE_MONITOR_STATE_OFFLINE:
      return _("Offline");
    case GAUGE_MONITOR_STATE_RATE_LIMITED:
      return _("Anthropic asked to wait before the next check");
    case GAUGE_MONITOR_STATE_OK:
    default:
      return NULL;
    }
}

/* The tooltip's lines and the menu's rows, from the same reading. */
static void
describe (GaugeTray  *self,
          gboolean    stale,
          GPtrArray  *tooltip_lines,
          GPtrArray  *menu_rows)
{
  GaugeUsageSnapshot *snapshot = gauge_monitor_get_snapshot (self->monitor);
  GaugeMonitorState state = gauge_monitor_get_state (self->monitor);
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();
  const char *state_text = state_line (state);

  if (snapshot != NULL)
    {
      guint n = gauge_usage_snapshot_get_n_windows (snapshot);

      for (guint i = 0; i < n; i++)
        {
          GaugeUsageWindow *window = gauge_usage_snapshot_get_window (snapshot, i);

          g_ptr_array_add (tooltip_lines, window_line (window, now, FALSE));
          g_ptr_array_add (menu_rows, window_line (window, now, TRUE));
        }
    }

  if (state_text != NULL)
    {
      g_ptr_array_add (tooltip_lines, g_strdup (state_text));
      g_ptr_array_add (menu_rows, g_strdup (state_text));
    }

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
      g_autofree char *age = gauge_format_age (gauge_usage_snapshot_get_fetched_at (snapshot), now);

      /* Translators: how old the values in the tray are, "Updated 12 min ago" */
      g_ptr_array_add (tooltip_lines, g_strdup_printf (_("Updated %s"), age));
    }

  g_ptr_array_add (tooltip_lines, NULL);
  g_ptr_array_add (menu_rows, NULL);
}

static void
emit_signal (GaugeTray  *self,
             const char *name,
             GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  g_debug ("Emitting %s", name);
  if (self->registration_id == 0)
    return;

  if (!g_dbus_connection_emit_signal (self->connection, NULL, SNI_PATH, SNI_INTERFACE, name,
                                      parameters, &error))
    g_warning ("Could not emit %s: %s", name, error->message);
}

static gboolean stale_timer_cb (gpointer user_data);

static void
update (GaugeTray *self)
{
  GaugeUsageSnapshot *snapshot = gauge_monitor_get_snapshot (self->monitor);
  double warning = g_settings_get_double (self->settings, "warning-threshold");
  double critical = g_settings_get_double (self->settings, "critical-threshold");
  g_autofree char *metric_name = g_settings_get_string (self->settings, "tray-metric");
  gboolean stale = gauge_monitor_is_stale (self->monitor);
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
      gboolean first = !self->have_key;

      g_clear_pointer (&self->pixmap, g_variant_unref);
      self->pixmap = gauge_tray_icon_render (&key);
      g_debug ("Rendered the tray icon (%d %%, severity %d, state %d) in %" G_GINT64_FORMAT " µs",
               key.level, key.severity, key.state, g_get_monotonic_time () - start);
      self->key = key;
      self->have_key = TRUE;
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
      if (!first)
        emit_signal (self, "NewIcon", NULL);
    }

  status = snapshot != NULL &&
           gauge_usage_snapshot_get_severity (snapshot, warning, critical) == GAUGE_SEVERITY_CRITICAL
           ? "NeedsAttention" : "Active";
  if (g_strcmp0 (self->status, status) != 0)
    {
      gboolean first = self->status == NULL;

      g_free (self->status);
      self->status = g_strdup (status);
      if (!first)
        emit_signal (self, "NewStatus", g_variant_new ("(s)", status));
    }

  describe (self, stale, tooltip_lines, menu_rows);
  tooltip = g_strjoinv ("\n", (GStrv) tooltip_lines->pdata);
  if (g_strcmp0 (self->tooltip, tooltip) != 0)
    {
      gboolean first = self->tooltip == NULL;

      g_free (self->tooltip);
      self->tooltip = g_steal_pointer (&tooltip);
      if (!first)
        emit_signal (self, "NewToolTip", NULL);
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

/* --- org.kde.StatusNotifierItem -------------------------------------------- */

/* On Wayland the host hands over a token so the window may take focus. */
static void
use_activation_token (GaugeTray *self)
{
  g_autofree char *token = g_steal_pointer (&self->activation_token);
#ifdef GDK_WINDOWING_WAYLAND
  GdkDisplay *display;

  if (token == NULL)
    return;

  display = gdk_display_get_default ();
  if (display != NULL && GDK_IS_WAYLAND_DISPLAY (display))
    gdk_wayland_display_set_startup_notification_id (display, token);
#endif
}

static void
activate_action (GaugeTray  *self,
                 const char *name)
{
  g_debug ("Activating %s", name);
  if (g_action_group_has_action (self->actions, name))
    g_action_group_activate_action (self->actions, name, NULL);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  GaugeTray *self = user_data;

  if (g_str_equal (method_name, "Activate"))
    {
      use_activation_token (self);
      activate_action (self, "toggle-window");
    }
  else if (g_str_equal (method_name, "SecondaryActivate"))
    activate_action (self, "refresh");
  else if (g_str_equal (method_name, "ProvideXdgActivationToken"))
    {
      g_free (self->activation_token);
      g_variant_get (parameters, "(s)", &self->activation_token);
    }
  /* ContextMenu: hosts show Menu themselves. Scroll means nothing here. */

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
get_property_cb (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  GaugeTray *self = user_data;

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (APPLICATION_ID);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (_("Claude Gauge"));
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (self->status);
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (self->icon_name);
  if (g_str_equal (property_name, "IconPixmap"))
    return g_variant_ref (self->pixmap);
  if (g_str_equal (property_name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", "", empty_pixmaps (), _("Claude Gauge"),
                          self->tooltip);
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (MENU_PATH);
  if (g_str_has_suffix (property_name, "Pixmap"))
    return empty_pixmaps ();
  if (g_str_has_suffix (property_name, "Name") || g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_string ("");

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
               "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb,
  get_property_cb,
  NULL,
};

/* --- The watcher ------------------------------------------------------------ */

static void
host_property_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GaugeTray *self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reply == NULL)
    {
      /* A watcher without the property: registering worked, so assume a host. */
      g_debug ("No IsStatusNotifierHostRegistered: %s", error->message);
      set_host_present (self, self->registered);
      return;
    }

  g_variant_get (reply, "(v)", &value);
  set_host_present (self, self->registered && g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
                          g_variant_get_boolean (value));
}

static void
query_host (GaugeTray *self)
{
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", WATCHER_INTERFACE,
                                         "IsStatusNotifierHostRegistered"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, 5000,
                          self->cancellable, host_property_cb, self);
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GaugeTray *self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reply == NULL)
    {
      g_message ("Could not register the tray icon: %s", error->message);
      set_registered (self, FALSE);
      set_host_present (self, FALSE);
      return;
    }

  g_debug ("Registered with the StatusNotifierWatcher");
  set_registered (self, TRUE);
  query_host (self);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  GaugeTray *self = user_data;

  g_debug ("StatusNotifierWatcher appeared (%s): registering %s", name_owner,
           g_dbus_connection_get_unique_name (connection));
  g_dbus_connection_call (connection, name_owner, WATCHER_PATH, WATCHER_INTERFACE,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", g_dbus_connection_get_unique_name (connection)),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000,
                          self->cancellable, register_cb, self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  GaugeTray *self = user_data;

  g_debug ("No StatusNotifierWatcher");
  set_registered (self, FALSE);
  set_host_present (self, FALSE);
}

static void
host_changed_cb (GDBusConnection *connection,
                 const char      *sender_name,
                 const char      *object_path,
                 const char      *interface_name,
                 const char      *signal_name,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  GaugeTray *self = user_data;

  if (self->registered)
    query_host (self);
}

/* --- GObject ---------------------------------------------------------------- */

static void
gauge_tray_dispose (GObject *object)
{
  GaugeTray *self = (GaugeTray *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->stale_timer_id, g_source_remove);
  if (self->connection != NULL)
    {
      if (self->host_registered_id != 0)
        g_dbus_connection_signal_unsubscribe (self->connection, self->host_registered_id);
      if (self->host_unregistered_id != 0)
        g_dbus_connection_signal_unsubscribe (self->connection, self->host_unregistered_id);
      if (self->registration_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->registration_id);
    }
  self->host_registered_id = self->host_unregistered_id = self->registration_id = 0;
  if (self->menu != NULL)
    gauge_dbus_menu_unexport (self->menu);
  g_clear_object (&self->menu);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->console != NULL)
    g_signal_handlers_disconnect_by_data (self->console, self);
  g_clear_object (&self->console);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gauge_tray_parent_class)->dispose (object);
}

static void
gauge_tray_finalize (GObject *object)
{
  GaugeTray *self = (GaugeTray *)object;

  g_clear_pointer (&self->pixmap, g_variant_unref);
  g_free (self->status);
  g_free (self->icon_name);
  g_free (self->tooltip);
  g_free (self->activation_token);

  G_OBJECT_CLASS (gauge_tray_parent_class)->finalize (object);
}

static void
gauge_tray_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  GaugeTray *self = GAUGE_TRAY (object);

  switch (prop_id)
    {
    case PROP_HOST_PRESENT:
      g_value_set_boolean (value, self->host_present);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_tray_class_init (GaugeTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_tray_dispose;
  object_class->finalize = gauge_tray_finalize;
  object_class->get_property = gauge_tray_get_property;

  /**
   * GaugeTray:is-host-present:
   *
   * Whether a tray host shows the icon: then closing the window should only hide it.
   */
  properties[PROP_HOST_PRESENT] =
    g_param_spec_boolean ("is-host-present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_tray_init (GaugeTray *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * gauge_tray_new_for_connection:
 * @connection: (nullable): the bus to export on; %NULL makes an inert tray
 * @actions: where the icon's clicks and the menu's items go
 *
 * Exports the item and its menu, then registers with every watcher that appears.
 */
GaugeTray *
gauge_tray_new_for_connection (GDBusConnection *connection,
                               GActionGroup    *actions,
                               GaugeMonitor    *monitor,
                               GSettings       *settings)
{
  g_autoptr(GaugeTray) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (GAUGE_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_TRAY, NULL);
  self->actions = g_object_ref (actions);
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);
  self->menu = gauge_dbus_menu_new (actions);

  g_signal_connect_object (monitor, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::tray-metric", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::warning-threshold", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::critical-threshold", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  update (self);

  if (connection == NULL)
    return g_steal_pointer (&self);

  self->connection = g_object_ref (connection);

  /* Export first: a watcher reads the properties as soon as we register. */
  if (!gauge_dbus_menu_export (self->menu, connection, MENU_PATH, &error))
    {
      g_warning ("Could not export the tray menu: %s", error->message);
      return g_steal_pointer (&self);
    }
  self->registration_id =
    g_dbus_connection_register_object (connection, SNI_PATH, get_node_info ()->interfaces[0],
                                       &vtable, self, NULL, &error);
  if (self->registration_id == 0)
    {
      g_warning ("Could not export the tray icon: %s", error->message);
      return g_steal_pointer (&self);
    }

  self->host_registered_id =
    g_dbus_connection_signal_subscribe (connection, WATCHER_NAME, WATCHER_INTERFACE,
                                        "StatusNotifierHostRegistered", WATCHER_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, host_changed_cb, self, NULL);
  self->host_unregistered_id =
    g_dbus_connection_signal_subscribe (connection, WATCHER_NAME, WATCHER_INTERFACE,
                                        "StatusNotifierHostUnregistered", WATCHER_PATH, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, host_changed_cb, self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);

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
                GaugeMonitor *monitor,
                GSettings    *settings)
{
  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);

  return gauge_tray_new_for_connection (g_application_get_dbus_connection (app),
                                        G_ACTION_GROUP (app), monitor, settings);
}

gboolean
gauge_tray_get_host_present (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), FALSE);

  return self->host_present;
}

gboolean
gauge_tray_get_registered (GaugeTray *self)
{
  g_return_val_if_fail (GAUGE_IS_TRAY (self), FALSE);

  return self->registered;
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

  if (self->console == console)
    return;

  if (self->console != NULL)
    g_signal_handlers_disconnect_by_data (self->console, self);
  g_set_object (&self->console, console);
  if (console != NULL)
    g_signal_connect_object (console, "notify::report", G_CALLBACK (update), self,
                             G_CONNECT_SWAPPED);
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
