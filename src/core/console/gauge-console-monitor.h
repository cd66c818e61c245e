/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-admin-client.h"
#include "gauge-admin-report.h"
#include "gauge-monitor.h"
#include "gauge-rate-gate.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_CONSOLE_MONITOR (gauge_console_monitor_get_type ())

/* How often each endpoint is asked, at most (seconds); cost_report goes every poll. */
#define GAUGE_CONSOLE_MESSAGES_INTERVAL (15 * 60)
#define GAUGE_CONSOLE_CODE_INTERVAL     (60 * 60)      /* claude_code lags up to an hour */
#define GAUGE_CONSOLE_LISTS_INTERVAL    (6 * 60 * 60)  /* workspaces, users, api_keys */
#define GAUGE_CONSOLE_ORG_INTERVAL      (24 * 60 * 60) /* organizations/me */
#define GAUGE_CONSOLE_SLACK             30             /* a tick this early still counts */
#define GAUGE_CONSOLE_CODE_FINAL        (2 * 60 * 60)  /* a claude_code day fetched this long
                                                          after its end is final (lag: 1 h) */

G_DECLARE_FINAL_TYPE (GaugeConsoleMonitor, gauge_console_monitor, GAUGE, CONSOLE_MONITOR,
                      GaugeMonitor)

/*
 * Polls the Admin API and keeps a month-to-date GaugeAdminReport. Finished
 * days are not fetched again: cost and messages in memory, claude_code days
 * in the database for good; today and yesterday are fetched on every round
 * their endpoint is due. 429 and 5xx back off through a GaugeRateGate.
 * gauge_monitor_update_once_async() runs one round now: whatever is due,
 * within the cooldown; it fails with the round's error (the report keeps what
 * was fetched before it).
 */
GaugeConsoleMonitor *gauge_console_monitor_new               (GaugeStore          *store,
                                                              GaugeAdminClient    *client);
void                 gauge_console_monitor_set_key           (GaugeConsoleMonitor *self,
                                                              const char          *key);
gboolean             gauge_console_monitor_has_key           (GaugeConsoleMonitor *self);
GaugeAdminReport    *gauge_console_monitor_get_report        (GaugeConsoleMonitor *self);
const char          *gauge_console_monitor_get_org_name      (GaugeConsoleMonitor *self);
const GError        *gauge_console_monitor_get_error         (GaugeConsoleMonitor *self);
const char          *gauge_console_monitor_get_error_message (GaugeConsoleMonitor *self);
GaugeRateGate       *gauge_console_monitor_get_gate          (GaugeConsoleMonitor *self);
void                 gauge_console_monitor_start             (GaugeConsoleMonitor *self);
guint                gauge_console_requests_per_day          (guint                poll_interval);

G_END_DECLS
