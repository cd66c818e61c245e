/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-cli-local.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

/* Exit codes of `claude-gauge --status`. */
typedef enum
{
  GAUGE_CLI_EXIT_HEALTHY  = 0,
  GAUGE_CLI_EXIT_WARNING  = 1,
  GAUGE_CLI_EXIT_CRITICAL = 2,
  GAUGE_CLI_EXIT_ERROR    = 3,
} GaugeCliExit;

int        gauge_cli_status             (gboolean                    json,
                                         const GaugeCliLocalOptions *local);
void       gauge_cli_clean_output       (gboolean     clean);
void       gauge_cli_clear_line         (void);
void       gauge_cli_print_json         (const char  *json);
gboolean   gauge_cli_retry_on_new_store (GError     **error,
                                         guint       *attempts);
void       gauge_cli_print_recovery     (GaugeStore  *store);
void       gauge_cli_update_once        (GaugeLimitsMonitor *monitor);
GStrv      gauge_cli_account_folders    (void);

G_END_DECLS
