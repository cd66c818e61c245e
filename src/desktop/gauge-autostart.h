/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * "Start at login": an XDG autostart entry that starts the app hidden
 * (claude-gauge --background), or inside Flatpak the Background portal.
 */
char     *gauge_autostart_get_path        (void);
gboolean  gauge_autostart_write_entry     (gboolean              enabled,
                                           GError              **error);
void      gauge_autostart_set_enabled_async  (gboolean             enabled,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  gauge_autostart_set_enabled_finish (GAsyncResult        *result,
                                              GError             **error);
void      gauge_autostart_follow_settings (GSettings            *settings);
gboolean  gauge_autostart_uses_portal     (void);
void      gauge_autostart_request_background_async  (gboolean             autostart,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean  gauge_autostart_request_background_finish (GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
