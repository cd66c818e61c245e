/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-limits-snapshot.h"
#include "gauge-store.h"

G_BEGIN_DECLS

int   gauge_cli_statusline      (void);
char *gauge_cli_statusline_line (GaugeStore          *store,
                                 GaugeLimitsSnapshot *snapshot,
                                 GDateTime           *now);

G_END_DECLS
