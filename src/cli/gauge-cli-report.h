/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-store.h"

G_BEGIN_DECLS

/* `claude-gauge --report=…`: the option values as given; NULL when absent. */
typedef struct
{
  const char *report;          /* daily | weekly | monthly | session | blocks */
  gboolean    json;
  const char *since;           /* YYYY-MM-DD or YYYYMMDD */
  const char *until;
  const char *timezone;        /* IANA name; NULL for local */
  gboolean    breakdown;
  const char *start_of_week;   /* monday … sunday; NULL for the setting */
  const char *mode;            /* auto | calculate | display; NULL for the setting */
  const char *plan;            /* --plan, for blocks; NULL for the setting */
  const char *account;         /* --account: a folder or a name; NULL for every folder's */
} GaugeReportOptions;

int      gauge_cli_report       (const GaugeReportOptions *options);
int      gauge_cli_recalculate  (void);
gboolean gauge_cli_update_index (GaugeStore               *store,
                                 gboolean                  recalculate,
                                 guint64                  *malformed,
                                 GError                  **error);

G_END_DECLS
