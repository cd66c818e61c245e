/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-admin-client.h"
#include "gauge-console-monitor.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_ADMIN_KEY_GROUP (gauge_admin_key_group_get_type ())

G_DECLARE_FINAL_TYPE (GaugeAdminKeyGroup, gauge_admin_key_group, GAUGE, ADMIN_KEY_GROUP,
                      AdwPreferencesGroup)

GtkWidget *gauge_admin_key_group_new (GaugeAdminClient    *client,
                                      GaugeConsoleMonitor *monitor);

G_END_DECLS
