/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_MONITOR (gauge_monitor_get_type ())

G_DECLARE_DERIVABLE_TYPE (GaugeMonitor, gauge_monitor, GAUGE, MONITOR, GObject)

/*
 * What both monitors (GaugeLimitsMonitor, GaugeConsoleMonitor) share: the poll interval
 * (raised to GAUGE_POLL_INTERVAL_MIN), whether a request is in flight (:busy), and the
 * callers of update_once, who all join the round in progress and get its outcome.
 */
struct _GaugeMonitorClass
{
  GObjectClass parent_class;

  /* A caller of update_once has joined: start a round unless one is in progress. */
  void (*update_once)           (GaugeMonitor *self);
  /* The poll interval changed: schedule the next poll by it. */
  void (*poll_interval_changed) (GaugeMonitor *self);
};

guint      gauge_monitor_get_poll_interval  (GaugeMonitor        *self);
void       gauge_monitor_set_poll_interval  (GaugeMonitor        *self,
                                             guint                seconds);
gboolean   gauge_monitor_get_busy           (GaugeMonitor        *self);
void       gauge_monitor_update_once_async  (GaugeMonitor        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean   gauge_monitor_update_once_finish (GaugeMonitor        *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* --- For the monitors themselves ----------------------------------------- */

void       gauge_monitor_set_busy           (GaugeMonitor        *self,
                                             gboolean             busy);
GPtrArray *gauge_monitor_take_waiters       (GaugeMonitor        *self);

G_END_DECLS
