/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-limits-client.h"
#include "gauge-limits-monitor.h"
#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_ACCOUNT_LIST (gauge_account_list_get_type ())

G_DECLARE_FINAL_TYPE (GaugeAccountList, gauge_account_list, GAUGE, ACCOUNT_LIST, GObject)

/*
 * The accounts (gauge-account.h), one GaugeLimitsMonitor each: each polls on its own, with its
 * own rate gate and cooldown, so a 429 on one never delays another. The first monitor is the
 * first account's. ::changed is emitted after any monitor's, and when the accounts change.
 */
GaugeAccountList   *gauge_account_list_new               (GaugeStore          *store,
                                                          GaugeLimitsClient   *client,
                                                          const char * const  *folders);
void                gauge_account_list_set_folders       (GaugeAccountList    *self,
                                                          const char * const  *folders);
guint               gauge_account_list_get_n_accounts    (GaugeAccountList    *self);
GaugeLimitsMonitor *gauge_account_list_get_monitor       (GaugeAccountList    *self,
                                                          guint                index);
char               *gauge_account_list_dup_name          (GaugeAccountList    *self,
                                                          guint                index);
gint                gauge_account_list_find_folder       (GaugeAccountList    *self,
                                                          const char          *folder);
guint               gauge_account_list_get_nearest       (GaugeAccountList    *self,
                                                          const char          *metric);
void                gauge_account_list_start             (GaugeAccountList    *self);
void                gauge_account_list_refresh           (GaugeAccountList    *self);
void                gauge_account_list_set_poll_interval (GaugeAccountList    *self,
                                                          guint                seconds);
void                gauge_account_list_update_once_async (GaugeAccountList    *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean            gauge_account_list_update_once_finish (GaugeAccountList   *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
