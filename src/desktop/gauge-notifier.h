/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-console-monitor.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"
#include "gauge-transcript-index.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_NOTIFIER (gauge_notifier_get_type ())

G_DECLARE_FINAL_TYPE (GaugeNotifier, gauge_notifier, GAUGE, NOTIFIER, GObject)

/*
 * Desktop notifications: runs the alert rules on every GaugeLimitsMonitor::changed,
 * shows what they decide with libnotify and remembers it in the store.
 */
GaugeNotifier *gauge_notifier_new                 (GApplication        *app,
                                                   GaugeLimitsMonitor  *monitor,
                                                   GaugeStore          *store,
                                                   GSettings           *settings);
GaugeNotifier *gauge_notifier_new_for_account     (GApplication        *app,
                                                   GaugeLimitsMonitor  *monitor,
                                                   GaugeStore          *store,
                                                   GSettings           *settings,
                                                   const char          *name,
                                                   const char          *folder);
void           gauge_notifier_set_console_monitor (GaugeNotifier       *self,
                                                   GaugeConsoleMonitor *console);
void           gauge_notifier_set_transcript_index (GaugeNotifier       *self,
                                                    GaugeTranscriptIndex *index);
void           gauge_notifier_set_monitor         (GaugeNotifier       *self,
                                                   GaugeLimitsMonitor  *monitor);
void           gauge_notifier_set_account         (GaugeNotifier       *self,
                                                   const char          *name,
                                                   const char          *folder);
void           gauge_notifier_set_account_folders (GaugeNotifier      *self,
                                                   const char * const *folders);
gboolean       gauge_notifier_get_server_missing  (GaugeNotifier       *self);
const char    *gauge_notifier_get_server_message  (GaugeNotifier       *self);
gboolean       gauge_notifier_get_busy            (GaugeNotifier       *self);
gboolean       gauge_notifier_show_sample         (GError             **error);

G_END_DECLS
