/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `claude-gauge --test-alert`: 0 when a sample notification was shown, 1 otherwise. */
int gauge_test_alert_run (void);

G_END_DECLS
