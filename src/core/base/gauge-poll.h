/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * What both monitors (GaugeLimitsMonitor, GaugeConsoleMonitor) do around their rounds of
 * requests: the next round is a timeout at a time of the clock (gauge-clock.h), as their
 * GaugeRateGate decides it, and every caller of update_once (GaugeMonitor keeps them) joins
 * the round in flight and gets its outcome.
 */
guint gauge_poll_timeout_add_at (gint64        unix_time,
                                 GSourceFunc   function,
                                 gpointer      data);
void  gauge_poll_return_waiters (GPtrArray    *waiters,
                                 const GError *error);

G_END_DECLS
