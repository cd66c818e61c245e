/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-autostart"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "gauge-autostart.h"

#define PORTAL_NAME      "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_INTERFACE "org.freedesktop.portal.Background"
#define REQUEST_INTERFACE "org.freedesktop.portal.Request"

static const char desktop_entry[] =
  "[Desktop Entry]\n"
  "Type=Application\n"
  "Name=Claude Gauge\n"
  "Exec=claude-gauge --background\n"
  "Icon=" APPLICATION_ID "\n"
  "Terminal=false\n"
  "NoDisplay=true\n"
  "X-GNOME-Autostart-enabled=true\n";

/**
 * gauge_autostart_get_path:
 *
 * Returns: (transfer full): $XDG_CONFIG_HOME/autostart/<app id>.desktop
 */
char *
gauge_autostart_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart",
                           APPLICATION_ID ".desktop", NULL);
}

/* Writes or removes the entry; removing one that is not there is fine. */
gboolean
gauge_autostart_write_entry (gboolean   enabled,
                             GError   **error)
{
  g_autofree char *path = gauge_autostart_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  return g_file_set_contents_full (path, desktop_entry, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* --- The Background portal ------------------------------------------------- */

typedef struct
{
  GDBusConnection *connection;
  guint            response_id;
} PortalRequest;

static void
portal_request_free (PortalRequest *request)
{
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  g_clear_object (&request->connection);
  g_free (request);
}

static void
portal_response_cb (GDBusConnection *connection,
                    const char      *sender_name,
                    const char      *object_path,
                    const char      *interface_name,
                    const char      *signal_name,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) results = NULL;
  gboolean autostart = FALSE;
  gboolean background = TRUE;  /* absent: the answer is the response alone */
  guint32 response;

  g_dbus_connection_signal_unsubscribe (connection, request->response_id);
  request->response_id = 0;

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "autostart", "b", &autostart);
  g_variant_lookup (results, "background", "b", &background);
  g_debug ("Background portal: response %u, background %d, autostart %d", response, background,
           autostart);

  if (response != 0 || !background)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                             _("Running in the background was not allowed"));
  else
    g_task_return_boolean (task, TRUE);
}

static void
portal_call_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PortalRequest *request = g_task_get_task_data (task);
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      if (request->response_id != 0)
        {
          g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
          request->response_id = 0;
          /* The signal subscription held a reference. */
          g_object_unref (task);
        }
      g_task_return_error (task, error);
    }
}

static void
request_background (GTask    *task,
                    gboolean  enabled)
{
  PortalRequest *request = g_task_get_task_data (task);
  g_autofree char *sender = NULL;
  g_autofree char *token = g_strdup_printf ("claude_gauge_%u", g_random_int ());
  g_autofree char *handle = NULL;
  GVariantBuilder options;
  const char *commandline[] = { "claude-gauge", "--background", NULL };

  /* The request's path is known in advance: subscribe first, so no response is missed. */
  sender = g_strdup (g_dbus_connection_get_unique_name (request->connection) + 1);
  g_strdelimit (sender, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  request->response_id =
    g_dbus_connection_signal_subscribe (request->connection, PORTAL_NAME, REQUEST_INTERFACE,
                                        "Response", handle, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, portal_response_cb,
                                        g_object_ref (task), NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Keep checking your Claude limits from the tray")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (enabled));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (request->connection, PORTAL_NAME, PORTAL_PATH, PORTAL_INTERFACE,
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          g_task_get_cancellable (task), portal_call_cb, g_object_ref (task));
}

/* Asks the portal on the session bus; the task returns whether running in the background
 * was allowed. */
static void
start_portal_request (GTask    *task,
                      gboolean  autostart)
{
  g_autoptr(GError) error = NULL;
  PortalRequest *request;

  request = g_new0 (PortalRequest, 1);
  request->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, g_task_get_cancellable (task), &error);
  g_task_set_task_data (task, request, (GDestroyNotify) portal_request_free);
  if (request->connection == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_background (task, autostart);
}

/**
 * gauge_autostart_request_background_async:
 * @autostart: whether to ask to be started at login too
 *
 * Asks the Background portal to let the app run with no window (GNOME lists it under
 * "Background Apps"), and to start it at login when @autostart.
 */
void
gauge_autostart_request_background_async (gboolean             autostart,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, gauge_autostart_request_background_async);
  start_portal_request (task, autostart);
}

gboolean
gauge_autostart_request_background_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_getenv ("CLAUDE_GAUGE_TEST_BACKGROUND_PORTAL") != NULL;
}

/**
 * gauge_autostart_uses_portal:
 *
 * Whether start-at-login goes through the Background portal (inside Flatpak) rather than
 * an autostart entry.
 */
gboolean
gauge_autostart_uses_portal (void)
{
  return in_flatpak ();
}

/**
 * gauge_autostart_set_enabled_async:
 *
 * Adds or removes the autostart entry; inside Flatpak asks the Background
 * portal, which may ask the user.
 */
void
gauge_autostart_set_enabled_async (gboolean             enabled,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, gauge_autostart_set_enabled_async);

  if (!in_flatpak ())
    {
      if (gauge_autostart_write_entry (enabled, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start_portal_request (task, enabled);
}

gboolean
gauge_autostart_set_enabled_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
follow_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gauge_autostart_set_enabled_finish (result, &error))
    g_warning ("Start at login: %s", error->message);
}

static void
start_at_login_changed_cb (GSettings  *settings,
                           const char *key,
                           gpointer    user_data)
{
  gauge_autostart_set_enabled_async (g_settings_get_boolean (settings, "start-at-login"),
                                     NULL, follow_cb, NULL);
}

/**
 * gauge_autostart_follow_settings:
 *
 * Keeps the autostart entry in step with the start-at-login key from now on.
 */
void
gauge_autostart_follow_settings (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_signal_connect (settings, "changed::start-at-login",
                    G_CALLBACK (start_at_login_changed_cb), NULL);
}
