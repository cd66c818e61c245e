/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-status-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#endif

#include "gauge-sni-dbus.h"
#include "gauge-status-notifier.h"

/*
 * The skeleton gdbus-codegen makes from data/dbus/org.kde.StatusNotifierItem.xml holds the
 * properties and answers Get and GetAll; this object fills them in, answers the clicks,
 * sends the New* signals the protocol uses instead of PropertiesChanged, and keeps the item
 * registered with the watcher, which comes and goes with the panel.
 */

#define SNI_PATH          "/StatusNotifierItem"
#define WATCHER_NAME      "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH      "/StatusNotifierWatcher"
#define WATCHER_INTERFACE "org.kde.StatusNotifierWatcher"

struct _GaugeStatusNotifier
{
  GObject                     parent_instance;

  GaugeKdeStatusNotifierItem *skeleton;
  GActionGroup               *actions;
  GDBusConnection            *connection;
  GCancellable               *cancellable;

  guint                       watch_id;
  guint                       host_registered_id;
  guint                       host_unregistered_id;

  gboolean                    registered;
  gboolean                    host_present;
  char                       *activation_token;
};

G_DEFINE_FINAL_TYPE (GaugeStatusNotifier, gauge_status_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST_PRESENT,
  PROP_REGISTERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_host_present (GaugeStatusNotifier *self,
                  gboolean             present)
{
  if (self->host_present == present)
    return;

  g_debug ("Tray host %s", present ? "present" : "gone");
  self->host_present = present;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST_PRESENT]);
}

static void
set_registered (GaugeStatusNotifier *self,
                gboolean             registered)
{
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static gboolean
is_exported (GaugeStatusNotifier *self)
{
  return g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->skeleton))
         != NULL;
}

/* --- What hosts call ------------------------------------------------------- */

/* On Wayland the host hands over a token so the window may take focus. */
static void
use_activation_token (GaugeStatusNotifier *self)
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
activate_action (GaugeStatusNotifier *self,
                 const char          *name)
{
  g_debug ("Activating %s", name);
  if (g_action_group_has_action (self->actions, name))
    g_action_group_activate_action (self->actions, name, NULL);
}

static gboolean
handle_activate (GaugeStatusNotifier   *self,
                 GDBusMethodInvocation *invocation)
{
  use_activation_token (self);
  activate_action (self, "toggle-window");
  gauge_kde_status_notifier_item_complete_activate (self->skeleton, invocation);
  return TRUE;
}

static gboolean
handle_secondary_activate (GaugeStatusNotifier   *self,
                           GDBusMethodInvocation *invocation)
{
  activate_action (self, "refresh");
  gauge_kde_status_notifier_item_complete_secondary_activate (self->skeleton, invocation);
  return TRUE;
}

static gboolean
handle_provide_xdg_activation_token (GaugeStatusNotifier   *self,
                                     GDBusMethodInvocation *invocation,
                                     const char            *token)
{
  g_free (self->activation_token);
  self->activation_token = g_strdup (token);
  gauge_kde_status_notifier_item_complete_provide_xdg_activation_token (self->skeleton,
                                                                        invocation);
  return TRUE;
}

/* ContextMenu: hosts show Menu themselves. Scroll means nothing here. Both answer. */
static gboolean
handle_nothing (GaugeStatusNotifier   *self,
                GDBusMethodInvocation *invocation)
{
  g_dbus_method_invocation_return_value (invocation, NULL);
  return TRUE;
}

/* --- The watcher ----------------------------------------------------------- */

static void
host_property_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GaugeStatusNotifier *self = user_data;
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
  set_host_present (self, self->registered &&
                          g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
                          g_variant_get_boolean (value));
}

static void
query_host (GaugeStatusNotifier *self)
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
  GaugeStatusNotifier *self = user_data;
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

/* Every watcher that appears gets the item, by the connection's unique name. */
static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  GaugeStatusNotifier *self = user_data;

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
  GaugeStatusNotifier *self = user_data;

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
  GaugeStatusNotifier *self = user_data;

  if (self->registered)
    query_host (self);
}

static guint
subscribe_host_signal (GaugeStatusNotifier *self,
                       const char          *signal_name)
{
  return g_dbus_connection_signal_subscribe (self->connection, WATCHER_NAME, WATCHER_INTERFACE,
                                             signal_name, WATCHER_PATH, NULL,
                                             G_DBUS_SIGNAL_FLAGS_NONE, host_changed_cb, self,
                                             NULL);
}

/* --- GObject ---------------------------------------------------------------- */

static void
gauge_status_notifier_dispose (GObject *object)
{
  GaugeStatusNotifier *self = (GaugeStatusNotifier *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->connection != NULL)
    {
      if (self->host_registered_id != 0)
        g_dbus_connection_signal_unsubscribe (self->connection, self->host_registered_id);
      if (self->host_unregistered_id != 0)
        g_dbus_connection_signal_unsubscribe (self->connection, self->host_unregistered_id);
    }
  self->host_registered_id = self->host_unregistered_id = 0;
  if (self->skeleton != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->skeleton, self);
      if (is_exported (self))
        g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
    }
  g_clear_object (&self->skeleton);
  g_clear_object (&self->actions);
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gauge_status_notifier_parent_class)->dispose (object);
}

static void
gauge_status_notifier_finalize (GObject *object)
{
  GaugeStatusNotifier *self = (GaugeStatusNotifier *)object;

  g_free (self->activation_token);

  G_OBJECT_CLASS (gauge_status_notifier_parent_class)->finalize (object);
}

static void
gauge_status_notifier_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  GaugeStatusNotifier *self = GAUGE_STATUS_NOTIFIER (object);

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
gauge_status_notifier_class_init (GaugeStatusNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_status_notifier_dispose;
  object_class->finalize = gauge_status_notifier_finalize;
  object_class->get_property = gauge_status_notifier_get_property;

  /* Whether a tray host shows the icon: then closing the window should only hide it. */
  properties[PROP_HOST_PRESENT] =
    g_param_spec_boolean ("is-host-present", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_status_notifier_init (GaugeStatusNotifier *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * gauge_status_notifier_new:
 * @actions: where the icon's clicks go
 * @menu_path: the object path of the item's com.canonical.dbusmenu menu
 *
 * An item with no status, icon or tooltip yet, and not on any bus.
 */
GaugeStatusNotifier *
gauge_status_notifier_new (GActionGroup *actions,
                           const char   *menu_path)
{
  GaugeStatusNotifier *self;
  GaugeKdeStatusNotifierItem *item;
  g_autoptr(GVariant) no_pixmaps = NULL;

  g_return_val_if_fail (G_IS_ACTION_GROUP (actions), NULL);
  g_return_val_if_fail (g_variant_is_object_path (menu_path), NULL);

  self = g_object_new (GAUGE_TYPE_STATUS_NOTIFIER, NULL);
  self->actions = g_object_ref (actions);
  self->skeleton = item = gauge_kde_status_notifier_item_skeleton_new ();

  /* What never changes, and what Claude Gauge does not use: empty, never unset. */
  no_pixmaps = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0));
  gauge_kde_status_notifier_item_set_category (item, "ApplicationStatus");
  gauge_kde_status_notifier_item_set_id (item, APPLICATION_ID);
  gauge_kde_status_notifier_item_set_title (item, _("Claude Gauge"));
  gauge_kde_status_notifier_item_set_window_id (item, 0);
  gauge_kde_status_notifier_item_set_item_is_menu (item, FALSE);
  gauge_kde_status_notifier_item_set_menu (item, menu_path);
  gauge_kde_status_notifier_item_set_icon_theme_path (item, "");
  gauge_kde_status_notifier_item_set_overlay_icon_name (item, "");
  gauge_kde_status_notifier_item_set_attention_icon_name (item, "");
  gauge_kde_status_notifier_item_set_attention_movie_name (item, "");
  gauge_kde_status_notifier_item_set_overlay_icon_pixmap (item, no_pixmaps);
  gauge_kde_status_notifier_item_set_attention_icon_pixmap (item, no_pixmaps);
  gauge_kde_status_notifier_item_set_status (item, "");
  gauge_kde_status_notifier_item_set_icon_name (item, "");
  gauge_kde_status_notifier_item_set_icon_pixmap (item, no_pixmaps);
  gauge_status_notifier_set_tooltip (self, "");

  g_signal_connect_object (item, "handle-activate", G_CALLBACK (handle_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "handle-secondary-activate",
                           G_CALLBACK (handle_secondary_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "handle-provide-xdg-activation-token",
                           G_CALLBACK (handle_provide_xdg_activation_token), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "handle-context-menu", G_CALLBACK (handle_nothing), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "handle-scroll", G_CALLBACK (handle_nothing), self,
                           G_CONNECT_SWAPPED);

  return self;
}

/**
 * gauge_status_notifier_export:
 *
 * Puts the item on @connection, then registers it with every watcher that appears.
 */
gboolean
gauge_status_notifier_export (GaugeStatusNotifier  *self,
                              GDBusConnection      *connection,
                              GError              **error)
{
  g_return_val_if_fail (GAUGE_IS_STATUS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->connection == NULL, FALSE);

  /* Exported first: a watcher reads the properties as soon as we register. */
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton), connection,
                                         SNI_PATH, error))
    return FALSE;

  self->connection = g_object_ref (connection);
  self->host_registered_id = subscribe_host_signal (self, "StatusNotifierHostRegistered");
  self->host_unregistered_id = subscribe_host_signal (self, "StatusNotifierHostUnregistered");
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb, watcher_vanished_cb,
                                                   self, NULL);
  return TRUE;
}

/* "Active", or "NeedsAttention" for a critical limit. */
void
gauge_status_notifier_set_status (GaugeStatusNotifier *self,
                                  const char          *status)
{
  g_return_if_fail (GAUGE_IS_STATUS_NOTIFIER (self));
  g_return_if_fail (status != NULL);

  gauge_kde_status_notifier_item_set_status (self->skeleton, status);
  if (is_exported (self))
    gauge_kde_status_notifier_item_emit_new_status (self->skeleton, status);
}

/**
 * gauge_status_notifier_set_icon:
 * @icon_name: a themed icon hosts prefer to @pixmap, or ""
 * @pixmap: the icon at several sizes, a(iiay)
 */
void
gauge_status_notifier_set_icon (GaugeStatusNotifier *self,
                                const char          *icon_name,
                                GVariant            *pixmap)
{
  g_return_if_fail (GAUGE_IS_STATUS_NOTIFIER (self));
  g_return_if_fail (icon_name != NULL);
  g_return_if_fail (pixmap != NULL && g_variant_is_of_type (pixmap, G_VARIANT_TYPE ("a(iiay)")));

  gauge_kde_status_notifier_item_set_icon_name (self->skeleton, icon_name);
  gauge_kde_status_notifier_item_set_icon_pixmap (self->skeleton, pixmap);
  if (is_exported (self))
    gauge_kde_status_notifier_item_emit_new_icon (self->skeleton);
}

/* The tooltip's body, under the title "Claude Gauge". */
void
gauge_status_notifier_set_tooltip (GaugeStatusNotifier *self,
                                   const char          *body)
{
  GVariant *no_pixmaps;

  g_return_if_fail (GAUGE_IS_STATUS_NOTIFIER (self));
  g_return_if_fail (body != NULL);

  no_pixmaps = g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);

  gauge_kde_status_notifier_item_set_tool_tip (self->skeleton,
                                               g_variant_new ("(s@a(iiay)ss)", "", no_pixmaps,
                                                              _("Claude Gauge"), body));
  if (is_exported (self))
    gauge_kde_status_notifier_item_emit_new_tool_tip (self->skeleton);
}

gboolean
gauge_status_notifier_get_registered (GaugeStatusNotifier *self)
{
  g_return_val_if_fail (GAUGE_IS_STATUS_NOTIFIER (self), FALSE);

  return self->registered;
}

gboolean
gauge_status_notifier_get_host_present (GaugeStatusNotifier *self)
{
  g_return_val_if_fail (GAUGE_IS_STATUS_NOTIFIER (self), FALSE);

  return self->host_present;
}
