/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_STATUS_NOTIFIER (gauge_status_notifier_get_type ())

G_DECLARE_FINAL_TYPE (GaugeStatusNotifier, gauge_status_notifier, GAUGE, STATUS_NOTIFIER, GObject)

/*
 * The tray icon on the bus: org.kde.StatusNotifierItem (data/dbus/) at /StatusNotifierItem,
 * registered with every StatusNotifierWatcher that appears. It shows what it is given and
 * tells hosts with NewIcon, NewStatus and NewToolTip when exported: call the setters when a
 * value changed. Left click activates "toggle-window" of @actions, middle click "refresh".
 */
GaugeStatusNotifier *gauge_status_notifier_new              (GActionGroup         *actions,
                                                             const char           *menu_path);
gboolean             gauge_status_notifier_export           (GaugeStatusNotifier  *self,
                                                             GDBusConnection      *connection,
                                                             GError              **error);
void                 gauge_status_notifier_set_status       (GaugeStatusNotifier  *self,
                                                             const char           *status);
void                 gauge_status_notifier_set_icon         (GaugeStatusNotifier  *self,
                                                             const char           *icon_name,
                                                             GVariant             *pixmap);
void                 gauge_status_notifier_set_tooltip      (GaugeStatusNotifier  *self,
                                                             const char           *body);
gboolean             gauge_status_notifier_get_registered   (GaugeStatusNotifier  *self);
gboolean             gauge_status_notifier_get_host_present (GaugeStatusNotifier  *self);

G_END_DECLS
