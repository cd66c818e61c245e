/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-cli-local.h"

G_BEGIN_DECLS

/*
 * The terminal modes that ask Anthropic: they live in the net library with libsoup and libsecret
 * (gauge-net-module.c), which the executable loads only to run one of them.
 */
typedef struct
{
  int (*status)         (gboolean                    json,
                         const GaugeCliLocalOptions *local);
  int (*waybar)         (gboolean                    follow);
  int (*report_console) (gboolean                    json);
} GaugeCliNetModes;

/* The net library's entry point: returns its GaugeCliNetModes. */
#define GAUGE_CLI_NET_ENTRY "gauge_net_modes"
typedef const GaugeCliNetModes *(*GaugeCliNetEntry) (void);

G_END_DECLS
