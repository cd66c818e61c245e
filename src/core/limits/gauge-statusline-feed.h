/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-store.h"

G_BEGIN_DECLS

/* What `claude-gauge --statusline` makes of what Claude Code pipes into it. */
GaugeLimitsSnapshot *gauge_statusline_feed_read (const char          *input,
                                                 gsize                length,
                                                 GDateTime           *now);
char                *gauge_statusline_feed_line (GaugeStore          *store,
                                                 GaugeLimitsSnapshot *snapshot,
                                                 GSettings           *settings,
                                                 const char          *session_id,
                                                 GDateTime           *now);

G_END_DECLS
