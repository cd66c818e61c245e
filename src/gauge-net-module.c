/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-net-module"

#include "config.h"

#include <gmodule.h>

#include "gauge-cli.h"
#include "gauge-cli-console.h"
#include "gauge-cli-net.h"
#include "gauge-cli-waybar.h"

/*
 * The net library: the limits and Admin API clients, the keyring, what drives them, and the
 * terminal modes that use them. The executable loads it to run one of those modes
 * (gauge-cli-options.c), and before the app's module (main.c), which uses it. It uses the core
 * library the executable exports.
 */

G_MODULE_EXPORT const GaugeCliNetModes *gauge_net_modes (void);

G_MODULE_EXPORT const GaugeCliNetModes *
gauge_net_modes (void)
{
  static const GaugeCliNetModes modes = {
    gauge_cli_status,
    gauge_cli_waybar,
    gauge_cli_report_console,
  };

  return &modes;
}
