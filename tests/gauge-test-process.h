/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Running the real claude-gauge from a test: the test's home and folders, its display, the
 * loopback API; lines read from its output with a deadline. */
void                 gauge_test_process_init        (void);
GSubprocessLauncher *gauge_test_launcher_new        (const char       *api_base,
                                                     GSubprocessFlags  flags);
gboolean             gauge_test_app_is_on_bus       (GDBusConnection  *connection);
void                 gauge_test_wait_for_app        (GDBusConnection  *connection);
char                *gauge_test_read_line           (GDataInputStream *stream,
                                                     guint             timeout_ms);
void                 gauge_test_stop_process        (GSubprocess     **process);
void                 gauge_test_store_statusline    (GSubprocessLauncher *launcher,
                                                     double               five_hour,
                                                     double               seven_day);
/* python3-dbusmock's notification daemon on @bus, once it owns its name (@connection: to
 * @bus); its recorded calls answer org.freedesktop.DBus.Mock.GetCalls. */
GSubprocess         *gauge_test_start_notification_server (GTestDBus       *bus,
                                                           GDBusConnection *connection);
/* Runs the default main context for @milliseconds, sleeping when idle. */
void                 gauge_test_iterate_for         (guint             milliseconds);

G_END_DECLS
