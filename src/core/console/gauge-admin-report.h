/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-admin-money.h"
#include "gauge-admin-page.h"

G_BEGIN_DECLS

/* Per-model, per-workspace, per-key and per-user summaries of a report. */
typedef struct
{
  char            *model;           /* NULL: costs that name no model */
  GaugeMicrocents  cost;
  gint64           input;
  gint64           output;
  gint64           cache_read;
  gint64           cache_write;
} GaugeAdminModelSummary;

typedef struct
{
  char            *id;              /* NULL: the default workspace */
  const char      *name;            /* "Default" when unnamed */
  const char      *color;
  GaugeMicrocents  cost;
} GaugeAdminWorkspaceSummary;

typedef struct
{
  char   *id;
  const char *name;                 /* NULL when api_keys does not know it */
  gint64  input;
  gint64  output;
  gint64  cache_read;
  gint64  cache_write;
} GaugeAdminKeySummary;

typedef struct
{
  char            *actor;           /* e-mail address or API key name */
  gboolean         is_api_key;
  gint64           sessions;
  gint64           lines_added;
  gint64           lines_removed;
  gint64           commits;
  gint64           pull_requests;
  gint64           accepted;
  gint64           rejected;
  GaugeMicrocents  cost;
} GaugeAdminUserSummary;

typedef struct
{
  gint64           day;
  GaugeMicrocents  total;
  GArray          *by_model;        /* GaugeAdminAmount, the model table's order */
} GaugeAdminDay;

typedef struct
{
  const char      *model;           /* owned by the model summary */
  GaugeMicrocents  amount;
} GaugeAdminAmount;

#define GAUGE_TYPE_ADMIN_REPORT (gauge_admin_report_get_type ())

G_DECLARE_FINAL_TYPE (GaugeAdminReport, gauge_admin_report, GAUGE, ADMIN_REPORT, GObject)

/*
 * A month-to-date picture of the organization (UTC month: the API's buckets
 * are UTC days). Built from the rows of each endpoint; immutable.
 */
GaugeAdminReport *gauge_admin_report_new               (const char       *org_name,
                                                        GDateTime        *now,
                                                        GPtrArray        *cost,
                                                        GPtrArray        *messages,
                                                        GPtrArray        *code,
                                                        GPtrArray        *workspaces,
                                                        GPtrArray        *users,
                                                        GPtrArray        *api_keys);
const char       *gauge_admin_report_get_org_name      (GaugeAdminReport *self);
GDateTime        *gauge_admin_report_get_now           (GaugeAdminReport *self);
GDateTime        *gauge_admin_report_get_month_start   (GaugeAdminReport *self);
guint             gauge_admin_report_get_days_in_month (GaugeAdminReport *self);
GaugeMicrocents   gauge_admin_report_get_total         (GaugeAdminReport *self);
GaugeMicrocents   gauge_admin_report_get_projection    (GaugeAdminReport *self);
GaugeMicrocents   gauge_admin_report_get_code_total    (GaugeAdminReport *self);
GPtrArray        *gauge_admin_report_get_models        (GaugeAdminReport *self);
GPtrArray        *gauge_admin_report_get_workspaces    (GaugeAdminReport *self);
GPtrArray        *gauge_admin_report_get_api_keys      (GaugeAdminReport *self);
GPtrArray        *gauge_admin_report_get_users         (GaugeAdminReport *self);
GPtrArray        *gauge_admin_report_get_days          (GaugeAdminReport *self);
const char       *gauge_admin_report_lookup_user_name  (GaugeAdminReport *self,
                                                        const char       *email);

G_END_DECLS
