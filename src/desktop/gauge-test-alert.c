/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-test-alert"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "gauge-test-alert.h"
#include "gauge-notifier.h"

/* Long enough for a bus-activated server to start, short enough for a terminal. */
#define SERVER_TIMEOUT_MS 5000

/* Asks the server its name first: this starts an activatable one, and fails
 * fast and clearly when there is none, where libnotify would wait. */
static gboolean
ping_server (GDBusConnection  *bus,
             GError          **error)
{
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.Notifications",
                                       "/org/freedesktop/Notifications",
                                       "org.freedesktop.Notifications", "GetServerInformation",
                                       NULL, G_VARIANT_TYPE ("(ssss)"),
                                       G_DBUS_CALL_FLAGS_NONE, SERVER_TIMEOUT_MS, NULL, error);
  if (reply != NULL)
    {
      const char *name, *vendor, *version, *spec;

      g_variant_get (reply, "(&s&s&s&s)", &name, &vendor, &version, &spec);
      g_debug ("Notification server: %s %s (%s), spec %s", name, version, vendor, spec);
    }

  return reply != NULL;
}

int
gauge_test_alert_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  /* No session bus: started over SSH, from cron or a service, or a desktop without one. GLib's
   * words ("Could not connect: No such file or directory") say nothing to a user; the log
   * keeps them. */
  if (bus == NULL)
    {
      g_debug ("No session bus: %s", error->message);
      g_printerr ("%s\n", _("Claude Gauge found no desktop session to show notifications in "
                             "(no session message bus). Run it from a terminal inside your "
                             "desktop session, not over SSH or from a service; notifications "
                             "need the session’s notification service."));
      return 1;
    }

  if (!ping_server (bus, &error) || !gauge_notifier_show_sample (&error))
    {
      g_dbus_error_strip_remote_error (error);
      g_printerr (_("No notification server answered, so Claude Gauge cannot show "
                    "notifications (%s). Start one, e.g. the one of your desktop or dunst, "
                    "and try again.\n"),
                  error->message);
      return 1;
    }

  g_print (_("A sample notification was sent.\n"));
  return 0;
}
