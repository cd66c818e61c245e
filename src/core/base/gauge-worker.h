/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Work the program hands to GTask's threads. Running it through here lets the
 * app wait at Quit until every such thread is done, so no reading is lost and
 * no thread still runs while the process tears down its globals.
 */
void     gauge_worker_run_in_thread (GTask           *task,
                                     GTaskThreadFunc  func);
gboolean gauge_worker_wait_idle     (gint64           timeout_us);
guint    gauge_worker_get_running   (void);

G_END_DECLS
