/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which threshold list (one gschema key each) a window is measured against. */
typedef enum
{
  GAUGE_LIMIT_GROUP_FIVE_HOUR,
  GAUGE_LIMIT_GROUP_WEEKLY,
  GAUGE_LIMIT_GROUP_MODEL_WEEKLY,   /* seven_day_<model or scope> */
  GAUGE_LIMIT_GROUP_EXTRA_USAGE,
  GAUGE_LIMIT_GROUP_N,              /* also: none, for windows not known */
} GaugeLimitGroup;

/* Where a window's row sorts: the order the window, the tray and --status list them in. */
typedef enum
{
  GAUGE_LIMIT_RANK_FIVE_HOUR,
  GAUGE_LIMIT_RANK_SEVEN_DAY,
  GAUGE_LIMIT_RANK_WEEKLY_SCOPED,   /* among themselves by display name */
  GAUGE_LIMIT_RANK_UNKNOWN,         /* among themselves by id */
  GAUGE_LIMIT_RANK_EXTRA_USAGE,
  GAUGE_LIMIT_RANK_SPEND_LIMIT,
  GAUGE_LIMIT_RANK_CREDIT,          /* credit grants: money that expires; by id */
} GaugeLimitRank;

/* One kind of limit window Claude Gauge knows by name (see the table in gauge-limit-kind.c). */
typedef struct
{
  const char      *id;           /* the usage response's key, the id stored and shown in --json */
  const char      *name;         /* the row's name, untranslated: marked for gettext only */
  GTimeSpan        length;       /* for the pace marker; 0 when it is not a time window */
  GaugeLimitRank   rank;
  GaugeLimitGroup  group;
  const char      *limits_kind;  /* its "kind" in the response's newer limits[] list, or NULL */
  const char      *scope;        /* the model's display name or the surface that scopes its
                                  * limits[] entry, or NULL; rows sharing one are twins */
  const char      *tray_metric;  /* the tray-metric setting's choice that draws it, or NULL */
  const char      *short_label;  /* its label on the statusline ("5h"), or NULL: not shown there */
} GaugeLimitKind;

const GaugeLimitKind *gauge_limit_kind_get_all             (guint          *n_kinds);
const GaugeLimitKind *gauge_limit_kind_lookup              (const char     *id);
const GaugeLimitKind *gauge_limit_kind_lookup_limits_kind  (const char     *limits_kind);
const GaugeLimitKind *gauge_limit_kind_lookup_tray_metric  (const char     *tray_metric);
const GaugeLimitKind *gauge_limit_kind_lookup_scope        (const char     *scope);
gboolean              gauge_limit_kind_is_credit           (const char     *id,
                                                            gboolean        is_money);
GTimeSpan             gauge_limit_kind_guess_length        (const char     *id);
GaugeLimitRank        gauge_limit_kind_rank_for_id         (const char     *id);

GaugeLimitGroup       gauge_limit_group_for_id             (const char     *id);
const char           *gauge_limit_group_get_thresholds_key (GaugeLimitGroup group);
const char           *gauge_limit_group_get_id_prefix      (GaugeLimitGroup group);
const char           *gauge_limit_group_get_sentence_name  (GaugeLimitGroup group);

G_END_DECLS
