/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-glance"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-limit-kind.h"
#include "gauge-limit-window.h"
#include "gauge-limits-glance.h"

/*
 * A reading at a glance, for the surfaces that have room for one number or one line: which
 * window stands for the reading (the tray-metric setting's choice), the short summary
 * ("5h 42 % · wk 18 %") and one window's line ("5-hour 48 % · resets 14:00").
 */

/**
 * gauge_limits_glance_pick:
 * @snapshot: (nullable): the reading
 * @metric: (nullable): a tray-metric choice ("most-constrained", "five-hour", "weekly")
 *
 * The kind the metric names (the kinds table's tray_metric), or the most constrained limit
 * (highest utilization) when the metric asks for it or the named window is absent. Extra
 * usage is money, not a limit, and never picked.
 *
 * Returns: (transfer none) (nullable): the window, or %NULL when there is none to show
 */
GaugeLimitWindow *
gauge_limits_glance_pick (GaugeLimitsSnapshot *snapshot,
                          const char          *metric)
{
  const GaugeLimitKind *kind = metric != NULL ? gauge_limit_kind_lookup_tray_metric (metric) : NULL;
  GaugeLimitWindow *best = NULL;
  guint n;

  if (snapshot == NULL)
    return NULL;

  if (kind != NULL)
    best = gauge_limits_snapshot_lookup (snapshot, kind->id);
  if (best != NULL)
    return best;

  n = gauge_limits_snapshot_get_n_windows (snapshot);
  for (guint i = 0; i < n; i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);

      if (gauge_limit_window_is_money (window))
        continue;
      if (best == NULL ||
          gauge_limit_window_get_utilization (window) > gauge_limit_window_get_utilization (best))
        best = window;
    }

  return best;
}

/**
 * gauge_limits_glance_summary:
 * @snapshot: (nullable): the reading
 *
 * The windows that have a short label in the kinds table, "5h 42 % · wk 18 %"; the most
 * constrained window by its name when none has one.
 *
 * Returns: (transfer full): the line, empty when the reading has no limit to show
 */
char *
gauge_limits_glance_summary (GaugeLimitsSnapshot *snapshot)
{
  g_autoptr(GString) line = g_string_new (NULL);
  const GaugeLimitKind *kinds;
  GaugeLimitWindow *window;
  guint n_kinds;

  if (snapshot == NULL)
    return g_string_free (g_steal_pointer (&line), FALSE);

  kinds = gauge_limit_kind_get_all (&n_kinds);
  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *percent = NULL;

      if (kinds[i].short_label == NULL ||
          (window = gauge_limits_snapshot_lookup (snapshot, kinds[i].id)) == NULL)
        continue;

      percent = gauge_format_percent (gauge_limit_window_get_utilization (window));
      g_string_append_printf (line, "%s%s %s", line->len > 0 ? " · " : "",
                              kinds[i].short_label, percent);
    }

  if (line->len == 0 && (window = gauge_limits_glance_pick (snapshot, NULL)) != NULL)
    {
      g_autofree char *percent = gauge_format_percent (gauge_limit_window_get_utilization (window));

      g_string_append_printf (line, "%s %s", gauge_limit_window_get_display_name (window), percent);
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

/**
 * gauge_limits_glance_window_line:
 * @for_menu: %TRUE for a menu row ("5-hour: 48 % · resets 14:00"), %FALSE for a tooltip line
 *   ("5-hour 48 % · resets 14:00")
 *
 * Returns: (transfer full): one window's line: its name, percentage, and its amounts (money)
 *   or when it resets
 */
char *
gauge_limits_glance_window_line (GaugeLimitWindow *window,
                                 GDateTime        *now,
                                 gboolean          for_menu)
{
  g_autofree char *percent = NULL;
  GDateTime *resets_at;
  const char *name;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (GAUGE_IS_LIMIT_WINDOW (window), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  percent = gauge_format_percent (gauge_limit_window_get_utilization (window));
  resets_at = gauge_limit_window_get_resets_at (window);
  name = gauge_limit_window_get_display_name (window);

  if (gauge_limit_window_is_money (window))
    detail = gauge_limit_window_format_money (window);
  else if (resets_at != NULL)
    {
      g_autofree char *clock = gauge_format_clock (resets_at, now);

      /* Translators: "resets 14:00", after a limit's percentage in the tray */
      detail = g_strdup_printf (_("resets %s"), clock);
    }

  if (detail == NULL)
    return for_menu
      /* Translators: a tray menu row, "5-hour: 48 %" */
      ? g_strdup_printf (_("%s: %s"), name, percent)
      /* Translators: a tray tooltip line, "5-hour 48 %" */
      : g_strdup_printf (_("%s %s"), name, percent);

  return for_menu
    /* Translators: a tray menu row, "5-hour: 48 % · resets 14:00" */
    ? g_strdup_printf (_("%s: %s · %s"), name, percent, detail)
    /* Translators: a tray tooltip line, "5-hour 48 % · resets 14:00" */
    : g_strdup_printf (_("%s %s · %s"), name, percent, detail);
}
