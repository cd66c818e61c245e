/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-background"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-autostart.h"
#include "gauge-background.h"
#include "gauge-limits-glance.h"

#define PORTAL_NAME      "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_INTERFACE "org.freedesktop.portal.Background"

/* GNOME shows the status under the app's name: the portal takes 96 characters at most. */
#define MAX_STATUS_CHARS 96
/* The portal asks callers not to update the status more often than this. */
#define STATUS_INTERVAL_SECONDS 60

struct _GaugeBackground
{
  GObject             parent_instance;

  GDBusConnection    *connection;
  GaugeLimitsMonitor *monitor;
  GSignalGroup       *monitor_signals;
  GSettings          *settings;
  GCancellable       *cancellable;
  gboolean            requested;
  gboolean            allowed;
  gboolean            can_set_status;  /* the portal's version is 2 or later */
  char               *status_sent;
  gint64              status_sent_at;  /* monotonic */
  guint               status_timer_id;
};

enum {
  PROP_0,
  PROP_ALLOWED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (GaugeBackground, gauge_background, G_TYPE_OBJECT)

static char *
dup_status (GaugeBackground *self)
{
  g_autofree char *summary = gauge_limits_glance_summary (gauge_limits_monitor_get_snapshot (self->monitor));

  if (g_utf8_strlen (summary, -1) > MAX_STATUS_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (summary, MAX_STATUS_CHARS - 1);

      *end = '\0';
      return g_strconcat (summary, "…", NULL);
    }

  return g_steal_pointer (&summary);
}

static void
set_status_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("The portal did not take the status: %s", error->message);
}

static gboolean status_timer_cb (gpointer user_data);

/* Sends the status when it changed, at most once a minute: a change within the minute waits
 * for its end, and only the latest is sent then. */
static void
update_status (GaugeBackground *self)
{
  g_autofree char *status = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 next;

  if (!self->allowed || !self->can_set_status)
    return;

  status = dup_status (self);
  if (status[0] == '\0' || g_strcmp0 (status, self->status_sent) == 0)
    return;

  next = self->status_sent_at + STATUS_INTERVAL_SECONDS * G_TIME_SPAN_SECOND;
  if (self->status_sent != NULL && now < next)
    {
      if (self->status_timer_id == 0)
        self->status_timer_id = g_timeout_add ((next - now) / G_TIME_SPAN_MILLISECOND + 1,
                                               status_timer_cb, self);
      return;
    }

  g_debug ("Status in the portal: %s", status);
  g_free (self->status_sent);
  self->status_sent = g_steal_pointer (&status);
  self->status_sent_at = now;
  g_dbus_connection_call (self->connection, PORTAL_NAME, PORTAL_PATH, PORTAL_INTERFACE,
                          "SetStatus",
                          g_variant_new_parsed ("({'message': <%s>},)", self->status_sent),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                          set_status_cb, NULL);
}

static gboolean
status_timer_cb (gpointer user_data)
{
  GaugeBackground *self = user_data;

  self->status_timer_id = 0;
  update_status (self);

  return G_SOURCE_REMOVE;
}

static void
version_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GaugeBackground) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_debug ("No Background portal version: %s", error->message);
      return;
    }

  g_variant_get (reply, "(v)", &value);
  /* SetStatus came with version 2 of the interface. */
  self->can_set_status = g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32) &&
                         g_variant_get_uint32 (value) >= 2;
  update_status (self);
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GaugeBackground) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gauge_autostart_request_background_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Not running in the background without a tray: %s", error->message);
      return;
    }

  g_debug ("The Background portal lets us run with no window");
  self->allowed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOWED]);

  g_dbus_connection_call (self->connection, PORTAL_NAME, PORTAL_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", PORTAL_INTERFACE, "version"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->cancellable, version_cb, g_object_ref (self));
}

/**
 * gauge_background_request:
 *
 * Asks the portal, once per run, to let the app live with no window; with autostart when
 * the user turned start-at-login on. From then on the status follows the reading.
 */
void
gauge_background_request (GaugeBackground *self)
{
  g_return_if_fail (GAUGE_IS_BACKGROUND (self));

  if (self->requested || self->connection == NULL)
    return;

  self->requested = TRUE;
  /* Outside Flatpak start-at-login is an autostart entry already: not a second one. */
  gauge_autostart_request_background_async (gauge_autostart_uses_portal () &&
                                            g_settings_get_boolean (self->settings,
                                                                    "start-at-login"),
                                            self->cancellable, request_cb, g_object_ref (self));
}

gboolean
gauge_background_get_allowed (GaugeBackground *self)
{
  g_return_val_if_fail (GAUGE_IS_BACKGROUND (self), FALSE);

  return self->allowed;
}

static void
gauge_background_dispose (GObject *object)
{
  GaugeBackground *self = (GaugeBackground *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->status_timer_id, g_source_remove);
  g_clear_object (&self->connection);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gauge_background_parent_class)->dispose (object);
}

static void
gauge_background_finalize (GObject *object)
{
  GaugeBackground *self = (GaugeBackground *)object;

  g_clear_object (&self->cancellable);
  g_free (self->status_sent);

  G_OBJECT_CLASS (gauge_background_parent_class)->finalize (object);
}

static void
gauge_background_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GaugeBackground *self = GAUGE_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_ALLOWED:
      g_value_set_boolean (value, self->allowed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gauge_background_class_init (GaugeBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gauge_background_dispose;
  object_class->finalize = gauge_background_finalize;
  object_class->get_property = gauge_background_get_property;

  /**
   * GaugeBackground:allowed:
   *
   * Whether the Background portal lets the app run with no window.
   */
  properties[PROP_ALLOWED] =
    g_param_spec_boolean ("allowed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gauge_background_init (GaugeBackground *self)
{
  self->cancellable = g_cancellable_new ();
  /* The monitor is the first account's, whichever that is at the time. */
  self->monitor_signals = g_signal_group_new (GAUGE_TYPE_LIMITS_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "changed", G_CALLBACK (update_status),
                                 self, G_CONNECT_SWAPPED);
}

/**
 * gauge_background_new:
 * @connection: (nullable): the session bus; %NULL never asks
 */
GaugeBackground *
gauge_background_new (GDBusConnection    *connection,
                      GaugeLimitsMonitor *monitor,
                      GSettings          *settings)
{
  GaugeBackground *self;

  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (GAUGE_TYPE_BACKGROUND, NULL);
  self->connection = connection != NULL ? g_object_ref (connection) : NULL;
  self->monitor = g_object_ref (monitor);
  self->settings = g_object_ref (settings);
  g_signal_group_set_target (self->monitor_signals, monitor);

  return self;
}

/* The first account's monitor, whose glance the portal's status line shows: set again when
 * another account becomes the first. */
void
gauge_background_set_monitor (GaugeBackground    *self,
                              GaugeLimitsMonitor *monitor)
{
  g_return_if_fail (GAUGE_IS_BACKGROUND (self));
  g_return_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  g_signal_group_set_target (self->monitor_signals, monitor);
  g_set_object (&self->monitor, monitor);
  update_status (self);
}
