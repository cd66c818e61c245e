/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limit-kind"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-limit-kind.h"
#include "gauge-limit-window.h"

#define HOURS_5 GAUGE_WINDOW_LENGTH_FIVE_HOUR
#define WEEK    GAUGE_WINDOW_LENGTH_WEEK

/*
 * The kinds of limit window Claude Gauge knows, in one place: the usage and statusline
 * parsers (gauge-limits-snapshot.c) take names, lengths and ranks from here, the alert
 * rules and the notifier the group and its thresholds key, the tray icon the window its
 * tray-metric choice names, and --statusline the short labels. A window not in this
 * table is still shown, generically: named after its id, with the length of a kind whose
 * id starts its own, sorted after the known ones, without alerts unless its id starts
 * with a group's prefix (below).
 *
 * A new kind is one row here. It may also need:
 * - a new group: a GaugeLimitGroup value, its row in `groups` below and a `thresholds-…`
 *   key (type "ad") in data/io.github.claudegauge.ClaudeGauge.gschema.xml;
 * - to be drawn by the tray on request: a GaugeTrayMetric value in
 *   src/desktop/gauge-tray-icon.h whose nick is its tray_metric, that choice in the
 *   gschema's tray-metric key and a row in the Preferences' tray combo
 *   (src/ui/preferences/gauge-preferences-window.ui and .c);
 * - an entry of limits[] to map to it: its limits_kind, or the scope (a model's display
 *   name, a surface) of a scoped entry. Rows with the same scope are twins: one row shows;
 * - alerts: a group (GAUGE_LIMIT_GROUP_N has none: credit grants, the spend limit).
 * tests/core/limits/test-limit-kind.c checks that every consumer answers as its row says.
 */
static const GaugeLimitKind kinds[] = {
  /* id, name, length, rank, group,
   *   limits[] kind, limits[] scope, tray-metric choice, statusline label */
  { "five_hour", N_("5-hour"), HOURS_5, GAUGE_LIMIT_RANK_FIVE_HOUR, GAUGE_LIMIT_GROUP_FIVE_HOUR,
    "session", NULL, "five-hour", "5h" },
  { "seven_day", N_("Weekly"), WEEK, GAUGE_LIMIT_RANK_SEVEN_DAY, GAUGE_LIMIT_GROUP_WEEKLY,
    "weekly_all", NULL, "weekly", "wk" },
  { "seven_day_opus", N_("Weekly · Opus"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "Opus", NULL, NULL },
  { "seven_day_sonnet", N_("Weekly · Sonnet"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "Sonnet", NULL, NULL },
  /* Fable's flat key had two spellings; limits[] names it "Fable". */
  { "seven_day_fable", N_("Weekly · Fable"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "Fable", NULL, NULL },
  { "seven_day_fable5", N_("Weekly · Fable"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "Fable", NULL, NULL },
  { "seven_day_oauth_apps", N_("Weekly · OAuth apps"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, NULL, NULL, NULL },
  /* Surfaces: limits[] scopes these by "surface" rather than by model. */
  { "seven_day_cowork", N_("Weekly · Cowork"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "cowork", NULL, NULL },
  { "seven_day_code", N_("Weekly · Claude Code"), WEEK,
    GAUGE_LIMIT_RANK_WEEKLY_SCOPED, GAUGE_LIMIT_GROUP_MODEL_WEEKLY, NULL, "code", NULL, NULL },
  /* Money, read from its own object: parse_extra_usage() in gauge-limits-snapshot.c. */
  { "extra_usage", N_("Extra usage"), 0,
    GAUGE_LIMIT_RANK_EXTRA_USAGE, GAUGE_LIMIT_GROUP_EXTRA_USAGE, NULL, NULL, NULL, NULL },
  /* A gateway's spend limit, from the statusline's rate_limits (Claude Code 2.1.251+). */
  { "spend_limit", N_("Spend limit"), 0,
    GAUGE_LIMIT_RANK_SPEND_LIMIT, GAUGE_LIMIT_GROUP_N, NULL, NULL, NULL, NULL },
  /* Credit grants by their codename, named as Claude Code's /usage names them. Others are
   * "Credit" (gauge-limits-snapshot.c), their codename in a tooltip. */
  { "cinder_cove", N_("Claude Code and Cowork credit"), 0,
    GAUGE_LIMIT_RANK_CREDIT, GAUGE_LIMIT_GROUP_N, NULL, NULL, NULL, NULL },
};

#undef HOURS_5
#undef WEEK

typedef struct
{
  const char *thresholds_key;  /* the gschema key of its alert thresholds */
  const char *sentence_name;   /* its name inside a sentence, untranslated; NULL: the window's */
  const char *id_prefix;       /* windows not in the table whose id starts so are of it; or NULL */
} Group;

static const Group groups[GAUGE_LIMIT_GROUP_N] = {
  [GAUGE_LIMIT_GROUP_FIVE_HOUR] = { "thresholds-five-hour", N_("5-hour limit"), NULL },
  [GAUGE_LIMIT_GROUP_WEEKLY] = { "thresholds-weekly", N_("weekly limit"), NULL },
  [GAUGE_LIMIT_GROUP_MODEL_WEEKLY] = { "thresholds-model-weekly", NULL, "seven_day_" },
  [GAUGE_LIMIT_GROUP_EXTRA_USAGE] = { "thresholds-extra-usage", N_("extra usage"), NULL },
};

/**
 * gauge_limit_kind_get_all:
 * @n_kinds: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_kinds): every known kind, in the table's order
 */
const GaugeLimitKind *
gauge_limit_kind_get_all (guint *n_kinds)
{
  g_return_val_if_fail (n_kinds != NULL, NULL);

  *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

/* Returns: (nullable): the kind with this id, or %NULL for a window not known */
const GaugeLimitKind *
gauge_limit_kind_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].id, id))
      return &kinds[i];

  return NULL;
}

/* Returns: (nullable): the kind a limits[] entry of this "kind" is, or %NULL */
const GaugeLimitKind *
gauge_limit_kind_lookup_limits_kind (const char *limits_kind)
{
  g_return_val_if_fail (limits_kind != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].limits_kind, limits_kind) == 0)
      return &kinds[i];

  return NULL;
}

/* Returns: (nullable): the kind the tray draws for this tray-metric choice, or %NULL */
const GaugeLimitKind *
gauge_limit_kind_lookup_tray_metric (const char *tray_metric)
{
  g_return_val_if_fail (tray_metric != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].tray_metric, tray_metric) == 0)
      return &kinds[i];

  return NULL;
}

/* Returns: (nullable): the first kind whose limits[] scope is @scope (in any case), or %NULL */
const GaugeLimitKind *
gauge_limit_kind_lookup_scope (const char *scope)
{
  g_return_val_if_fail (scope != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].scope != NULL && g_ascii_strcasecmp (kinds[i].scope, scope) == 0)
      return &kinds[i];

  return NULL;
}

/**
 * gauge_limit_kind_is_credit:
 * @is_money: whether the window is measured in money
 *
 * Returns: whether window @id is a credit grant: money whose resets_at is an expiry. Money
 *   windows not in the table are (the usage response's other money has its own kinds).
 */
gboolean
gauge_limit_kind_is_credit (const char *id,
                            gboolean    is_money)
{
  const GaugeLimitKind *kind;

  g_return_val_if_fail (id != NULL, FALSE);

  if ((kind = gauge_limit_kind_lookup (id)) != NULL)
    return kind->rank == GAUGE_LIMIT_RANK_CREDIT;

  return is_money;
}

/**
 * gauge_limit_kind_guess_length:
 *
 * Returns: the length of the kind @id names; for an id not known, that of a kind whose id
 *   starts it ("five_hour_opus" is five hours long); else 0, unknown
 */
GTimeSpan
gauge_limit_kind_guess_length (const char *id)
{
  const GaugeLimitKind *kind;
  gsize longest = 0;
  GTimeSpan length = 0;

  g_return_val_if_fail (id != NULL, 0);

  if ((kind = gauge_limit_kind_lookup (id)) != NULL)
    return kind->length;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (id, kinds[i].id) && strlen (kinds[i].id) > longest)
      {
        longest = strlen (kinds[i].id);
        length = kinds[i].length;
      }

  return length;
}

/* Returns: the group whose thresholds apply to window @id, %GAUGE_LIMIT_GROUP_N for none */
GaugeLimitGroup
gauge_limit_group_for_id (const char *id)
{
  const GaugeLimitKind *kind;

  g_return_val_if_fail (id != NULL, GAUGE_LIMIT_GROUP_N);

  if ((kind = gauge_limit_kind_lookup (id)) != NULL)
    return kind->group;

  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    if (groups[i].id_prefix != NULL && g_str_has_prefix (id, groups[i].id_prefix))
      return i;

  return GAUGE_LIMIT_GROUP_N;
}

/* Returns: where window @id sorts among the rows; a scoped weekly window not in the table
 * sorts with the others of its group */
GaugeLimitRank
gauge_limit_kind_rank_for_id (const char *id)
{
  const GaugeLimitKind *kind;

  g_return_val_if_fail (id != NULL, GAUGE_LIMIT_RANK_UNKNOWN);

  if ((kind = gauge_limit_kind_lookup (id)) != NULL)
    return kind->rank;
  if (gauge_limit_group_for_id (id) == GAUGE_LIMIT_GROUP_MODEL_WEEKLY)
    return GAUGE_LIMIT_RANK_WEEKLY_SCOPED;
  return GAUGE_LIMIT_RANK_UNKNOWN;
}

/* Returns: the GSettings key (type "ad") holding @group's alert thresholds, in percent */
const char *
gauge_limit_group_get_thresholds_key (GaugeLimitGroup group)
{
  g_return_val_if_fail (group < GAUGE_LIMIT_GROUP_N, NULL);

  return groups[group].thresholds_key;
}

/* Returns: (nullable): the prefix of the ids of @group's windows that are not in the table */
const char *
gauge_limit_group_get_id_prefix (GaugeLimitGroup group)
{
  g_return_val_if_fail (group < GAUGE_LIMIT_GROUP_N, NULL);

  return groups[group].id_prefix;
}

/* Returns: (nullable): "5-hour limit", translated; %NULL when each window names itself */
const char *
gauge_limit_group_get_sentence_name (GaugeLimitGroup group)
{
  g_return_val_if_fail (group < GAUGE_LIMIT_GROUP_N, NULL);

  return groups[group].sentence_name != NULL ? _(groups[group].sentence_name) : NULL;
}
