/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Money from the Admin API, exactly: an integer count of millionths of a
 * cent. cost_report sends decimal strings in cents ("123.45" is $1.2345) and
 * the cheapest token costs a few hundred-thousandths of a cent, so six
 * decimals of a cent keep every real amount exact; a gint64 still holds
 * $92 billion. Parsed digit by digit, never through a double; sums are
 * integer sums.
 */
typedef gint64 GaugeMicrocents;

#define GAUGE_MICROCENTS_PER_CENT   G_GINT64_CONSTANT (1000000)
#define GAUGE_MICROCENTS_PER_DOLLAR G_GINT64_CONSTANT (100000000)

gboolean gauge_admin_parse_cents        (const char      *text,
                                         GaugeMicrocents *out);
char    *gauge_admin_format_dollars     (GaugeMicrocents  amount);
char    *gauge_admin_format_exact_dollars (GaugeMicrocents amount);

typedef enum
{
  GAUGE_ADMIN_ORGANIZATION,   /* organizations/me (one row) */
  GAUGE_ADMIN_COST,           /* cost_report: GaugeAdminCost rows */
  GAUGE_ADMIN_MESSAGES,       /* usage_report/messages: GaugeAdminMessages rows */
  GAUGE_ADMIN_CLAUDE_CODE,    /* usage_report/claude_code: GaugeAdminCode rows */
  GAUGE_ADMIN_WORKSPACES,     /* lists: GaugeAdminWorkspace, GaugeAdminUser, GaugeAdminApiKey */
  GAUGE_ADMIN_USERS,
  GAUGE_ADMIN_API_KEYS,
  GAUGE_ADMIN_N_KINDS,
} GaugeAdminKind;

/* Rows: immutable once parsed. A null or missing member reads as NULL or 0. */
typedef struct
{
  char *id;
  char *name;
} GaugeAdminOrganization;

typedef struct
{
  gint64           day;             /* bucket start, unix seconds (UTC midnight) */
  GaugeMicrocents  amount;
  char            *workspace_id;    /* NULL: the default workspace */
  char            *description;
  char            *model;
  char            *token_type;
  char            *cost_type;
} GaugeAdminCost;

typedef struct
{
  gint64  day;
  char   *model;
  char   *api_key_id;
  char   *workspace_id;
  gint64  uncached_input;
  gint64  cache_write;              /* 5 min and 1 h cache creation */
  gint64  cache_read;
  gint64  output;
  gint64  web_searches;
} GaugeAdminMessages;

typedef struct
{
  gint64           day;
  char            *email;           /* user_actor */
  char            *api_key_name;    /* api_actor */
  gint64           sessions;
  gint64           lines_added;
  gint64           lines_removed;
  gint64           commits;
  gint64           pull_requests;
  gint64           accepted;        /* tool actions, all tools */
  gint64           rejected;
  gint64           input;
  gint64           output;
  gint64           cache_read;
  gint64           cache_creation;
  GaugeMicrocents  cost;            /* sum of model_breakdown estimated_cost */
} GaugeAdminCode;

typedef struct
{
  char     *id;
  char     *name;
  char     *color;                  /* display_color, "#rrggbb" */
  gboolean  archived;
} GaugeAdminWorkspace;

typedef struct
{
  char *id;
  char *email;
  char *name;
  char *role;
} GaugeAdminUser;

typedef struct
{
  char *id;
  char *name;
  char *status;
  char *workspace_id;
  char *hint;                       /* partial_key_hint */
} GaugeAdminApiKey;

/* One page of any endpoint. @next is next_page (reports) or last_id (lists). */
typedef struct
{
  GaugeAdminKind  kind;
  GPtrArray      *rows;
  gboolean        has_more;
  char           *next;
} GaugeAdminPage;

GaugeAdminPage *gauge_admin_page_parse      (GaugeAdminKind   kind,
                                             const char      *data,
                                             gsize            length,
                                             GError         **error);
void            gauge_admin_page_free       (GaugeAdminPage  *page);
GPtrArray      *gauge_admin_rows_new        (GaugeAdminKind   kind);
char           *gauge_admin_code_rows_to_json (GPtrArray     *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeAdminPage, gauge_admin_page_free)

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

GaugeMicrocents   gauge_admin_project_month            (GaugeMicrocents   total,
                                                        GaugeMicrocents   before_today,
                                                        GDateTime        *now);

G_END_DECLS
