/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

#include "gauge-types.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-snapshot.h"
#include "gauge-prompt-cache.h"

G_BEGIN_DECLS

/* Its nick starts the key an alert is remembered under ("threshold:five_hour:…"). */
typedef enum
{
  GAUGE_ALERT_THRESHOLD,
  GAUGE_ALERT_PACE,
  GAUGE_ALERT_RESET,
  GAUGE_ALERT_EXPIRED,
  GAUGE_ALERT_COOLDOWN,
  GAUGE_ALERT_BUDGET,              /* Console: a workspace's or the organization's spend */
  GAUGE_ALERT_BUDGET_PROJECTION,   /* Console: the end-of-month projection over a budget */
  GAUGE_ALERT_SESSION_ENDING,      /* the 5-hour window ends in a few minutes */
  GAUGE_ALERT_INACTIVITY,          /* the active block has been idle a while */
  GAUGE_ALERT_PLAN_SWITCH,         /* the plan's block limit was exceeded: limit switched */
  GAUGE_ALERT_PROMPT_CACHE,        /* a busy session's prompt cache about to go cold */
} GaugeAlertRule;

typedef enum
{
  GAUGE_ALERT_URGENCY_LOW,
  GAUGE_ALERT_URGENCY_NORMAL,
  GAUGE_ALERT_URGENCY_CRITICAL,
} GaugeAlertUrgency;

#define GAUGE_ALERT_COOLDOWN_MIN   (30 * 60)  /* seconds: a cooldown worth telling about */

/* One notification to send, or to remember without sending. */
typedef struct
{
  GaugeAlertRule     rule;
  char              *key;           /* remembered once sent: never sent again */
  GStrv              covered_keys;  /* lower thresholds crossed at once: remembered, not shown */
  char              *window_id;     /* nullable */
  GDateTime         *resets_at;     /* nullable */
  double             percent;       /* -1 when not about a limit */
  char              *title;
  char              *body;
  GaugeAlertUrgency  urgency;
  gboolean           muted;         /* within "Mute until": remember, do not show */
} GaugeAlert;

typedef gboolean (*GaugeAlertSentFunc) (const char *key,
                                        gpointer    user_data);

typedef struct
{
  const double *thresholds[GAUGE_LIMIT_GROUP_N];  /* percent, any order */
  gsize         n_thresholds[GAUGE_LIMIT_GROUP_N];
  double        critical;                         /* urgency critical at or above */
  gboolean      pace;
  gboolean      reset;
  gint64        mute_until_unix;                  /* 0: not muted */
  gboolean      session_ending;
  guint         session_ending_minutes;
  gboolean      inactivity;
  guint         inactivity_minutes;
  gboolean      plan_switch;
} GaugeAlertSettings;

/* What the local estimate says, for the rules about the active 5-hour block. */
typedef struct
{
  gint64      block_start_unix;     /* 0: no block is active */
  gint64      block_end_unix;
  gint64      last_entry_unix;      /* the block's newest usage */
  gboolean    limit_switched;
  const char *limit_text;           /* nullable: the limit as shown, after a switch */
} GaugeLocalAlertFacts;

typedef struct
{
  GDateTime                *now;
  GaugeLimitsSnapshot      *snapshot;        /* nullable: the monitor's current reading */
  GaugeLimitsSnapshot      *previous;        /* nullable: the one seen at the last evaluation */
  GaugeLimitsMonitorState   state;
  const char               *token_id;        /* nullable: identifies the expired token */
  GDateTime                *cooldown_until;  /* nullable: end of the API cooldown */
  GHashTable               *projections;     /* nullable: window id → GaugeProjection of
                                              * the snapshot's windows, as
                                              * gauge_store_load_account_projections() makes them */
  const GaugeAlertSettings *settings;
  const GaugeLocalAlertFacts *local;         /* nullable: no local estimate */
  GaugeAlertSentFunc        is_sent;         /* nullable: nothing sent yet */
  gpointer                  is_sent_data;
} GaugeAlertInput;

/* Console mode: one budget to watch (all amounts in microcents). */
typedef struct
{
  const char *id;          /* workspace id, "default" for the default workspace,
                            * GAUGE_BUDGET_ORGANIZATION for the whole organization */
  const char *name;        /* as shown: the workspace's name, or the organization's */
  gint64      spent;       /* month to date */
  gint64      projection;  /* end of month */
  gint64      budget;      /* <= 0: no budget, nothing to tell */
} GaugeBudgetItem;

#define GAUGE_BUDGET_ORGANIZATION  "organization"
#define GAUGE_BUDGET_DEFAULT_WORKSPACE "default"

typedef struct
{
  GDateTime             *now;             /* the UTC month names each alert's instance */
  const GaugeBudgetItem *items;
  gsize                  n_items;
  const double          *thresholds;      /* percent of the budget; NULL: 80 and 100 */
  gsize                  n_thresholds;
  gint64                 mute_until_unix; /* 0: not muted */
  GaugeAlertSentFunc     is_sent;         /* nullable: nothing sent yet */
  gpointer               is_sent_data;
} GaugeBudgetInput;

/* A session's prompt cache is worth a warning when going cold costs at least this: the
 * next message re-writes that many tokens. */
#define GAUGE_PROMPT_CACHE_BUSY_TOKENS 50000

typedef struct
{
  GDateTime          *now;
  GPtrArray          *caches;           /* GaugePromptCache, as the store loads them */
  guint               minutes;          /* warn this long before a cache goes cold; 0: never */
  gint64              mute_until_unix;  /* 0: not muted */
  GaugeAlertSentFunc  is_sent;          /* nullable: nothing sent yet */
  gpointer            is_sent_data;
} GaugePromptCacheInput;

void       gauge_alert_free                   (GaugeAlert             *alert);
char      *gauge_alert_instance_key           (GaugeAlertRule          rule,
                                               const char             *window_id,
                                               GDateTime              *resets_at,
                                               double                  threshold);
GPtrArray *gauge_alert_rules_evaluate         (const GaugeAlertInput  *input);
char      *gauge_alert_budget_key             (const char             *id,
                                               GDateTime              *now,
                                               double                  threshold);
char      *gauge_alert_budget_projection_key  (const char             *id,
                                               GDateTime              *now);
GPtrArray *gauge_alert_rules_evaluate_budgets (const GaugeBudgetInput *input);
char      *gauge_alert_prompt_cache_key       (const char             *session_id,
                                               gint64                  expires_at);
GPtrArray *gauge_alert_rules_evaluate_prompt_caches (const GaugePromptCacheInput *input);
GArray    *gauge_alert_thresholds_from_settings (GSettings              *settings,
                                                 GaugeLimitGroup         group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaugeAlert, gauge_alert_free)

G_END_DECLS
