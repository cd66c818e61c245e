/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-types.h"

G_BEGIN_DECLS

/* How a surface words the limits monitor's state. */
typedef enum
{
  GAUGE_LIMITS_STATE_LINE,      /* one short line: the tray's tooltip and menu */
  GAUGE_LIMITS_STATE_TERMINAL,  /* sentences for --status: commands in quotes, the error named */
  GAUGE_LIMITS_STATE_MARKUP,    /* sentences for the window: Pango markup, commands in <tt> */
} GaugeLimitsStateForm;

char *gauge_limits_state_describe (GaugeLimitsMonitor  *monitor,
                                   GaugeLimitsStateForm form,
                                   GDateTime           *now,
                                   char               **title);
char *gauge_limits_state_describe_updated (GaugeLimitsMonitor *monitor,
                                           GDateTime          *now);

G_END_DECLS
