/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-console-monitor.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_CONSOLE_VIEW (gauge_console_view_get_type ())

G_DECLARE_FINAL_TYPE (GaugeConsoleView, gauge_console_view, GAUGE, CONSOLE_VIEW, AdwBin)

GtkWidget  *gauge_console_view_new            (GaugeConsoleMonitor *monitor,
                                               GSettings           *settings);
void        gauge_console_view_set_user_email (GaugeConsoleView    *self,
                                               const char          *email);
const char *gauge_console_view_get_user_email (GaugeConsoleView    *self);

G_END_DECLS
