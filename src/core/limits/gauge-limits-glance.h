/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-limits-snapshot.h"

G_BEGIN_DECLS

/* What a one-number surface (the tray icon, the D-Bus API, the portal's status, waybar) shows
 * of a reading. */
GaugeLimitWindow *gauge_limits_glance_pick        (GaugeLimitsSnapshot *snapshot,
                                                   const char          *metric);
char             *gauge_limits_glance_summary     (GaugeLimitsSnapshot *snapshot);
char             *gauge_limits_glance_window_line (GaugeLimitWindow    *window,
                                                   GDateTime           *now,
                                                   gboolean             for_menu);

G_END_DECLS
