/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-alert-rules.h"
#include "gauge-limit-kind.h"
#include "gauge-limits-snapshot.h"
#include "gauge-statusline-feed.h"
#include "gauge-store.h"

/*
 * The kinds table (src/core/limits/gauge-limit-kind.c) is the one place a kind of limit
 * window is described. For every row, each consumer must answer as the row says: the
 * usage and statusline parsers (name, length, order), the alert rules (group), the
 * statusline (short label) and the settings schema (the group's thresholds key, the
 * tray-metric choice). The tray icon's side is in tests/desktop/test-tray.c.
 */

#define RESETS_ISO  "2030-01-15T15:00:00Z"
#define RESETS_UNIX 1894719600

static GDateTime *
noon (void)
{
  return g_date_time_new_utc (2030, 1, 15, 12, 0, 0);
}

static const GaugeLimitKind *
all_kinds (guint *n_kinds)
{
  const GaugeLimitKind *kinds = gauge_limit_kind_get_all (n_kinds);

  g_assert_cmpuint (*n_kinds, >, 0);
  return kinds;
}

/* The usage response's member for one kind, at 90 %. */
static char *
usage_member (const GaugeLimitKind *kind)
{
  if (kind->group == GAUGE_LIMIT_GROUP_EXTRA_USAGE)
    return g_strdup_printf ("\"%s\": {\"is_enabled\": true, \"monthly_limit\": 5000, "
                            "\"used_credits\": 4500, \"utilization\": 90.0, "
                            "\"currency\": \"USD\"}", kind->id);
  if (kind->rank == GAUGE_LIMIT_RANK_CREDIT)
    return g_strdup_printf ("\"%s\": {\"utilization\": 90.0, \"resets_at\": \"" RESETS_ISO "\", "
                            "\"limit_dollars\": 100, \"used_dollars\": 90.0}", kind->id);

  return g_strdup_printf ("\"%s\": {\"utilization\": 90.0, \"resets_at\": \"" RESETS_ISO "\"}",
                          kind->id);
}

static GaugeLimitsSnapshot *
parse_usage (const char *members)
{
  g_autofree char *json = g_strdup_printf ("{%s}", members);
  g_autoptr(GDateTime) now = noon ();
  g_autoptr(GError) error = NULL;
  GaugeLimitsSnapshot *snapshot;

  snapshot = gauge_limits_snapshot_new_from_json (json, -1, GAUGE_SOURCE_OFFICIAL, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static void
assert_window_is_kind (GaugeLimitWindow     *window,
                       const GaugeLimitKind *kind)
{
  g_assert_nonnull (window);
  g_assert_cmpstr (gauge_limit_window_get_id (window), ==, kind->id);
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, _(kind->name));
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, kind->length);
}

/* The usage response, flat and in limits[], names and measures each kind as its row. */
static void
test_usage_parser (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *member = usage_member (&kinds[i]);
      g_autoptr(GaugeLimitsSnapshot) snapshot = parse_usage (member);

      g_test_message ("Kind %s", kinds[i].id);
      g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 1);
      assert_window_is_kind (gauge_limits_snapshot_lookup (snapshot, kinds[i].id), &kinds[i]);

      /* A scoped entry of limits[] is the first row with its scope. */
      if (kinds[i].scope != NULL)
        {
          const char *dimension = g_ascii_islower (kinds[i].scope[0]) ? "surface" : "model";
          g_autofree char *listed =
            g_strdup_printf ("\"limits\": [{\"kind\": \"weekly_scoped\", \"group\": \"weekly\", "
                             "\"percent\": 7, \"scope\": {\"%s\": %s%s%s}}]", dimension,
                             g_str_equal (dimension, "model") ? "{\"display_name\": \"" : "\"",
                             kinds[i].scope,
                             g_str_equal (dimension, "model") ? "\"}" : "\"");
          g_autoptr(GaugeLimitsSnapshot) from_list = parse_usage (listed);

          g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (from_list), ==, 1);
          assert_window_is_kind (gauge_limits_snapshot_get_window (from_list, 0),
                                 gauge_limit_kind_lookup_scope (kinds[i].scope));
        }

      if (kinds[i].limits_kind != NULL)
        {
          g_autofree char *listed =
            g_strdup_printf ("\"limits\": [{\"kind\": \"%s\", \"percent\": 7}]",
                             kinds[i].limits_kind);
          g_autoptr(GaugeLimitsSnapshot) from_list = parse_usage (listed);

          g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (from_list), ==, 1);
          assert_window_is_kind (gauge_limits_snapshot_get_window (from_list, 0), &kinds[i]);
        }
    }
}

/* How many rows share their scope with an earlier row. */
static guint
count_twins (void)
{
  guint n_kinds, n_twins = 0;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    if (kinds[i].scope != NULL && gauge_limit_kind_lookup_scope (kinds[i].scope) != &kinds[i])
      n_twins++;

  return n_twins;
}

/* All kinds in one response come out in the order of their ranks. */
static void
test_order (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autofree char *joined = NULL;

  /* Backwards, so that the table's order is not simply kept. */
  for (guint i = n_kinds; i > 0; i--)
    g_ptr_array_add (members, usage_member (&kinds[i - 1]));
  g_ptr_array_add (members, NULL);
  joined = g_strjoinv (", ", (char **) members->pdata);
  snapshot = parse_usage (joined);

  /* Twins (rows with one scope) are one limit: one row. */
  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, n_kinds - count_twins ());
  for (guint i = 1; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      const char *before = gauge_limit_window_get_id (gauge_limits_snapshot_get_window (snapshot,
                                                                                        i - 1));
      const char *after = gauge_limit_window_get_id (gauge_limits_snapshot_get_window (snapshot, i));

      g_test_message ("%s before %s", before, after);
      g_assert_cmpint (gauge_limit_kind_lookup (before)->rank, <=,
                       gauge_limit_kind_lookup (after)->rank);
    }
}

/* Claude Code's statusline input, with each kind's id as its key. */
static void
test_statusline_parser (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);
  g_autoptr(GDateTime) now = noon ();

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *input =
        g_strdup_printf ("{\"rate_limits\": {\"%s\": {\"used_percentage\": 90, "
                         "\"resets_at\": %d}}}", kinds[i].id, RESETS_UNIX);
      g_autoptr(GaugeLimitsSnapshot) snapshot =
        gauge_statusline_feed_read (input, strlen (input), now);

      g_test_message ("Kind %s", kinds[i].id);
      g_assert_nonnull (snapshot);
      g_assert_cmpint (gauge_limits_snapshot_get_source (snapshot), ==, GAUGE_SOURCE_STATUSLINE);
      assert_window_is_kind (gauge_limits_snapshot_lookup (snapshot, kinds[i].id), &kinds[i]);
    }
}

static GPtrArray *
evaluate (GaugeLimitsSnapshot *snapshot,
          GaugeLimitGroup      group_with_thresholds)
{
  static const double threshold[] = { 80 };
  g_autoptr(GDateTime) now = noon ();
  GaugeAlertSettings settings = { .critical = 95 };
  GaugeAlertInput input = {
    .now = now, .snapshot = snapshot, .state = GAUGE_LIMITS_MONITOR_STATE_OK,
    .settings = &settings,
  };

  for (guint g = 0; g < GAUGE_LIMIT_GROUP_N; g++)
    if (g == group_with_thresholds)
      {
        settings.thresholds[g] = threshold;
        settings.n_thresholds[g] = G_N_ELEMENTS (threshold);
      }

  return gauge_alert_rules_evaluate (&input);
}

/* A window at 90 % crosses 80 % in its group's thresholds, and in no other group's; the
 * alert names it as its group does. */
static void
test_alert_group (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *member = usage_member (&kinds[i]);
      g_autoptr(GaugeLimitsSnapshot) snapshot = parse_usage (member);
      const char *sentence = kinds[i].group < GAUGE_LIMIT_GROUP_N
                             ? gauge_limit_group_get_sentence_name (kinds[i].group) : NULL;
      g_autoptr(GPtrArray) alerts = NULL;
      GaugeAlert *alert;

      g_test_message ("Kind %s", kinds[i].id);
      g_assert_cmpint (gauge_limit_group_for_id (kinds[i].id), ==, kinds[i].group);

      /* Without a group (credit grants, the spend limit): no alert in any. */
      if (kinds[i].group == GAUGE_LIMIT_GROUP_N)
        {
          for (guint g = 0; g <= GAUGE_LIMIT_GROUP_N; g++)
            {
              g_autoptr(GPtrArray) none = evaluate (snapshot, g);

              g_assert_cmpuint (none->len, ==, 0);
            }
          continue;
        }

      alerts = evaluate (snapshot, kinds[i].group);
      g_assert_cmpuint (alerts->len, ==, 1);
      alert = g_ptr_array_index (alerts, 0);
      g_assert_cmpint (alert->rule, ==, GAUGE_ALERT_THRESHOLD);
      g_assert_cmpstr (alert->window_id, ==, kinds[i].id);
      g_assert_true (g_str_has_suffix (alert->title, " at 90 %"));
      if (sentence != NULL)
        {
          g_autofree char *title = g_utf8_strdown (alert->title, -1);
          g_autofree char *name = g_utf8_strdown (sentence, -1);

          g_assert_true (g_str_has_prefix (title, name));
        }

      for (guint g = 0; g <= GAUGE_LIMIT_GROUP_N; g++)
        {
          g_autoptr(GPtrArray) others = NULL;

          if (g == kinds[i].group)
            continue;
          others = evaluate (snapshot, g);
          g_assert_cmpuint (others->len, ==, 0);
        }
    }
}

/* --statusline's line shows a kind with its short label, and only kinds that have one. */
static void
test_statusline_line (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "history.db", NULL);
  g_autoptr(GaugeStore) store = gauge_store_new (path);
  g_autoptr(GDateTime) now = noon ();
  guint n_labels = 0;

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *member = usage_member (&kinds[i]);
      g_autoptr(GaugeLimitsSnapshot) snapshot = parse_usage (member);
      g_autofree char *line = gauge_statusline_feed_line (store, snapshot, NULL, NULL, now);

      g_test_message ("Kind %s: %s", kinds[i].id, line);
      if (kinds[i].short_label != NULL)
        {
          g_autofree char *shown = g_strdup_printf ("%s 90%%", kinds[i].short_label);

          g_assert_true (g_str_has_prefix (line, shown));
          n_labels++;
        }
      else
        g_assert_null (strstr (line, "90%"));
    }

  g_assert_cmpuint (n_labels, >, 0);
}

/* Each group's thresholds key, and each tray-metric choice, are in the settings schema. */
static void
test_schema (void)
{
  guint n_kinds;
  const GaugeLimitKind *kinds = all_kinds (&n_kinds);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) tray_metric = NULL;

  g_assert_nonnull (source);
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  g_assert_nonnull (schema);

  for (guint g = 0; g < GAUGE_LIMIT_GROUP_N; g++)
    {
      const char *name = gauge_limit_group_get_thresholds_key (g);
      g_autoptr(GSettingsSchemaKey) key = NULL;

      g_test_message ("Group %u: %s", g, name);
      g_assert_true (g_settings_schema_has_key (schema, name));
      key = g_settings_schema_get_key (schema, name);
      g_assert_true (g_variant_type_equal (g_settings_schema_key_get_value_type (key),
                                           G_VARIANT_TYPE ("ad")));
    }

  tray_metric = g_settings_schema_get_key (schema, "tray-metric");
  for (guint i = 0; i < n_kinds; i++)
    {
      g_autoptr(GVariant) choice = NULL;

      if (kinds[i].tray_metric == NULL)
        continue;
      choice = g_variant_ref_sink (g_variant_new_string (kinds[i].tray_metric));
      g_assert_true (g_settings_schema_key_range_check (tray_metric, choice));
      g_assert_true (gauge_limit_kind_lookup_tray_metric (kinds[i].tray_metric) == &kinds[i]);
    }
}

/* Windows not in the table keep working generically: named after their id, measured like a
 * kind whose id starts theirs, sorted after the known ones. */
static void
test_unknown (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot =
    parse_usage ("\"seven_day_haiku\": {\"utilization\": 5}, \"five_hour_x\": {\"utilization\": 6}, "
                 "\"zeta\": {\"utilization\": 7}, \"five_hour\": {\"utilization\": 8}");
  GaugeLimitWindow *window;

  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 4);
  g_assert_cmpstr (gauge_limit_window_get_id (gauge_limits_snapshot_get_window (snapshot, 0)), ==,
                   "five_hour");

  window = gauge_limits_snapshot_lookup (snapshot, "seven_day_haiku");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Seven day haiku");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, GAUGE_WINDOW_LENGTH_WEEK);
  g_assert_cmpint (gauge_limit_group_for_id ("seven_day_haiku"), ==,
                   GAUGE_LIMIT_GROUP_MODEL_WEEKLY);

  window = gauge_limits_snapshot_lookup (snapshot, "five_hour_x");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_cmpint (gauge_limit_group_for_id ("five_hour_x"), ==, GAUGE_LIMIT_GROUP_N);

  window = gauge_limits_snapshot_lookup (snapshot, "zeta");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Zeta");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 0);
  g_assert_cmpint (gauge_limit_group_for_id ("zeta"), ==, GAUGE_LIMIT_GROUP_N);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/limit-kind/usage-parser", test_usage_parser);
  g_test_add_func ("/limit-kind/order", test_order);
  g_test_add_func ("/limit-kind/statusline-parser", test_statusline_parser);
  g_test_add_func ("/limit-kind/alert-group", test_alert_group);
  g_test_add_func ("/limit-kind/statusline-line", test_statusline_line);
  g_test_add_func ("/limit-kind/schema", test_schema);
  g_test_add_func ("/limit-kind/unknown", test_unknown);

  return g_test_run ();
}
