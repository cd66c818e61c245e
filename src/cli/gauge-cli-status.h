/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-cli-local.h"
#include "gauge-limits-monitor.h"

G_BEGIN_DECLS

int  gauge_cli_status      (gboolean                    json,
                            const GaugeCliLocalOptions *local);
void gauge_cli_update_once (GaugeLimitsMonitor         *monitor);

G_END_DECLS
