/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "gauge-blocks.h"
#include "gauge-report.h"

G_BEGIN_DECLS

/*
 * Reports and blocks for `--report`: JSON with the field names of ccusage's
 * `--json` (so scripts written for it read ours), or a readable table.
 */
JsonNode *gauge_report_to_json (GaugeReport           *report);
char     *gauge_report_to_text (GaugeReport           *report,
                                gboolean               breakdown);
JsonNode *gauge_blocks_to_json (GPtrArray             *blocks,
                                gint64                 now_ms,
                                const GaugeBlockLimit *limit);
char     *gauge_blocks_to_text (GPtrArray             *blocks,
                                gint64                 now_ms,
                                const GaugeBlockLimit *limit,
                                GTimeZone             *time_zone);

G_END_DECLS
