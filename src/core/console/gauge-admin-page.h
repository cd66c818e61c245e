/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-admin-money.h"

G_BEGIN_DECLS

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

/*
 * The Admin API's answers read into rows. A row and its strings are one block of memory:
 * arrays of rows free them with g_free(), whatever their kind.
 */
GaugeAdminPage *gauge_admin_page_parse        (GaugeAdminKind  kind,
                                               const char     *data,
                                               gsize           length,
                                               GError        **error);
void            gauge_admin_page_free         (GaugeAdminPage *page);
GPtrArray      *gauge_admin_rows_new          (void);
char           *gauge_admin_code_rows_to_json (GPtrArray      *rows);
gint64          gauge_admin_parse_day         (const char     *text);
char           *gauge_admin_format_day        (gint64          day);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeAdminPage, gauge_admin_page_free)

G_END_DECLS
