/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-variant"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "gauge-enums.h"
#include "gauge-format.h"
#include "gauge-limit-kind.h"
#include "gauge-limit-window.h"
#include "gauge-limits-variant.h"

/*
 * The limits of a reading as dictionaries, one per window: "id", "name", "percent",
 * "resets_at" (Unix seconds, absent when unknown), "severity" ("normal", "warning",
 * "critical"), and for money "used", "limit" (major units) and "currency". The app puts
 * them on the bus; `--waybar --follow` reads them back into a reading. What comes from the
 * bus is another process's word: names are cleaned, numbers range-checked, the count capped.
 */

/* Longest name or id taken from the bus, in bytes. */
#define MAX_TEXT 256
/* Largest amount of money taken from the bus, in major units. */
#define MAX_AMOUNT 1e12

/**
 * gauge_limits_variant_new:
 * @snapshot: (nullable): the reading, or %NULL for none
 *
 * Returns: (transfer floating): the `aa{sv}` of its windows, in its order
 */
GVariant *
gauge_limits_variant_new (GaugeLimitsSnapshot *snapshot,
                          double               warning,
                          double               critical)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; snapshot != NULL && i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
      GDateTime *resets_at = gauge_limit_window_get_resets_at (window);
      GaugeSeverity severity = gauge_limit_window_get_severity (window, warning, critical);

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&builder, "{sv}", "id",
                             g_variant_new_string (gauge_limit_window_get_id (window)));
      g_variant_builder_add (&builder, "{sv}", "name",
                             g_variant_new_string (gauge_limit_window_get_display_name (window)));
      g_variant_builder_add (&builder, "{sv}", "percent",
                             g_variant_new_double (gauge_limit_window_get_utilization (window)));
      if (resets_at != NULL)
        g_variant_builder_add (&builder, "{sv}", "resets_at",
                               g_variant_new_int64 (g_date_time_to_unix (resets_at)));
      g_variant_builder_add (&builder, "{sv}", "severity",
                             g_variant_new_string (gauge_enum_to_nick (GAUGE_TYPE_SEVERITY,
                                                                       severity)));
      if (gauge_limit_window_is_money (window))
        {
          g_variant_builder_add (&builder, "{sv}", "used",
                                 g_variant_new_double (gauge_limit_window_get_used_minor (window)
                                                       / 100.0));
          g_variant_builder_add (&builder, "{sv}", "limit",
                                 g_variant_new_double (gauge_limit_window_get_limit_minor (window)
                                                       / 100.0));
          g_variant_builder_add (&builder, "{sv}", "currency",
                                 g_variant_new_string (gauge_limit_window_get_currency (window)));
        }
      g_variant_builder_close (&builder);
    }

  return g_variant_builder_end (&builder);
}

static char *
lookup_text (GVariantDict *dict,
             const char   *key)
{
  const char *text = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &text) || text[0] == '\0' ||
      strlen (text) > MAX_TEXT)
    return NULL;

  return gauge_format_clean_text (text, FALSE);
}

static gboolean
lookup_amount (GVariantDict *dict,
               const char   *key,
               gint64       *minor)
{
  double amount;

  if (!g_variant_dict_lookup (dict, key, "d", &amount) || !isfinite (amount) ||
      amount < 0 || amount > MAX_AMOUNT)
    return FALSE;

  *minor = (gint64) llround (amount * 100);
  return TRUE;
}

static GaugeLimitWindow *
parse_window (GVariant *entry)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (entry);
  g_autofree char *id = lookup_text (&dict, "id");
  g_autofree char *name = lookup_text (&dict, "name");
  g_autofree char *currency = lookup_text (&dict, "currency");
  g_autoptr(GDateTime) resets_at = NULL;
  double percent;
  gint64 resets_unix, used, limit;

  if (id == NULL || !g_variant_dict_lookup (&dict, "percent", "d", &percent) ||
      !isfinite (percent) || percent < 0 || percent > GAUGE_UTILIZATION_MAX)
    {
      g_debug ("A limit from the bus without an id or a sensible percent; ignored");
      return NULL;
    }

  /* Year 1 to 9999: what GDateTime holds. */
  if (g_variant_dict_lookup (&dict, "resets_at", "x", &resets_unix) &&
      resets_unix > -62135596800 && resets_unix < 253402300799)
    resets_at = g_date_time_new_from_unix_utc (resets_unix);

  if (name == NULL)
    name = g_strdup (id);

  if (lookup_amount (&dict, "used", &used) && lookup_amount (&dict, "limit", &limit))
    return gauge_limit_window_new_money (id, name, percent, used, limit,
                                         currency != NULL && strlen (currency) <= 8 ? currency
                                                                                      : "USD",
                                         resets_at);

  return gauge_limit_window_new (id, name, percent, resets_at, gauge_limit_kind_guess_length (id));
}

/**
 * gauge_limits_variant_parse:
 * @limits: an `aa{sv}` from gauge_limits_variant_new(), as another process sent it
 * @fetched_at: (nullable): when it was read
 *
 * Entries without an id or a percentage in range are left out; past
 * %GAUGE_LIMITS_VARIANT_MAX entries the rest are.
 *
 * Returns: (transfer full): the reading
 */
GaugeLimitsSnapshot *
gauge_limits_variant_parse (GVariant    *limits,
                            GaugeSource  source,
                            GDateTime   *fetched_at)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  gsize n;

  g_return_val_if_fail (limits != NULL, NULL);

  n = g_variant_is_of_type (limits, G_VARIANT_TYPE ("aa{sv}")) ? g_variant_n_children (limits) : 0;
  for (gsize i = 0; i < MIN (n, GAUGE_LIMITS_VARIANT_MAX); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (limits, i);
      GaugeLimitWindow *window = parse_window (entry);

      if (window != NULL)
        g_ptr_array_add (windows, window);
    }

  return gauge_limits_snapshot_new (windows, source, fetched_at);
}
