/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <json-glib/json-glib.h>

#include "gauge-local-summary.h"
#include "gauge-types.h"

G_BEGIN_DECLS

/* The seeds' options for this run, as given; NULL when absent (the settings hold). */
typedef struct
{
  const char *start_day;   /* --start-day=1…28 */
  const char *plan;        /* --plan=pro|max5|max20|custom|custom_max|p90 */
} GaugeCliLocalOptions;

gboolean           gauge_cli_local_params   (const GaugeCliLocalOptions *options,
                                             const char                 *rate_limit_tier,
                                             GaugeLocalSummaryParams    *params);
GaugeLocalSummary *gauge_cli_local_summary  (GaugeStore                 *store,
                                             const GaugeLocalSummaryParams *params,
                                             gboolean                   *any_transcript);
GaugeLocalSummary *gauge_cli_local_first_account (GaugeStore          *store,
                                                  gboolean            *any_transcript);
void               gauge_cli_local_add_json (JsonBuilder                *builder,
                                             GaugeLocalSummary          *summary);
const char        *gauge_cli_local_heading  (void);
GPtrArray         *gauge_cli_local_rows     (GaugeLocalSummary          *summary);
void               gauge_cli_local_print    (GaugeLocalSummary          *summary,
                                             const char                 *indent);
GaugeSeverity      gauge_cli_local_severity (GaugeLocalSummary          *summary,
                                             gboolean                    with_block,
                                             double                      warning,
                                             double                      critical);
int                gauge_cli_check_tokens   (const char                 *tokens,
                                             const GaugeCliLocalOptions *options);

G_END_DECLS
