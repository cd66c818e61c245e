/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_DBUS_MENU (gauge_dbus_menu_get_type ())

G_DECLARE_FINAL_TYPE (GaugeDBusMenu, gauge_dbus_menu, GAUGE, DBUS_MENU, GObject)

/* Item ids, stable for the life of the menu. Limit rows get GAUGE_DBUS_MENU_ID_ROW + i. */
enum
{
  GAUGE_DBUS_MENU_ID_ROOT = 0,
  GAUGE_DBUS_MENU_ID_REFRESH = 1,
  GAUGE_DBUS_MENU_ID_OPEN = 2,
  GAUGE_DBUS_MENU_ID_PREFERENCES = 3,
  GAUGE_DBUS_MENU_ID_QUIT = 4,
  GAUGE_DBUS_MENU_ID_SEPARATOR_ROWS = 10,
  GAUGE_DBUS_MENU_ID_SEPARATOR_QUIT = 11,
  GAUGE_DBUS_MENU_ID_ROW = 100,
};

/*
 * The tray's context menu over com.canonical.dbusmenu: disabled rows with
 * each limit's value, then Refresh now, Open Claude Gauge, Preferences, Quit,
 * which activate actions of @actions ("refresh", "show-window" or else
 * "toggle-window", "preferences", "quit").
 */
GaugeDBusMenu *gauge_dbus_menu_new          (GActionGroup        *actions);
gboolean       gauge_dbus_menu_export       (GaugeDBusMenu       *self,
                                             GDBusConnection     *connection,
                                             const char          *object_path,
                                             GError             **error);
void           gauge_dbus_menu_unexport     (GaugeDBusMenu       *self);
void           gauge_dbus_menu_set_rows     (GaugeDBusMenu       *self,
                                             const char * const  *rows);

G_END_DECLS
