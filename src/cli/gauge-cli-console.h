/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* `claude-gauge --report=console [--json]` and the `console` member of `--status --json`. */
int  gauge_cli_report_console    (gboolean     json);
void gauge_cli_console_add_status (JsonBuilder *builder);

G_END_DECLS
