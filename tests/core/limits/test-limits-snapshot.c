/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-usage-snapshot"

#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "gauge-format.h"
#include "gauge-limits-snapshot.h"
#include "gauge-limit-window.h"

static GDateTime *
utc (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

static GaugeLimitsSnapshot *
parse_fixture (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDateTime) fetched_at = utc (2026, 11, 20, 12, 0, 0);
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("Missing fixture %s", path);

  return gauge_limits_snapshot_new_from_json (contents, length, GAUGE_SOURCE_OFFICIAL,
                                              fetched_at, error);
}

static GaugeLimitsSnapshot *
load_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  GaugeLimitsSnapshot *snapshot = parse_fixture (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (snapshot);

  return snapshot;
}

/* The ids in display order, joined with spaces: what the window shows, top to bottom. */
static char *
ids_of (GaugeLimitsSnapshot *snapshot)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);

      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, gauge_limit_window_get_id (window));
    }

  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_resets_at (GaugeLimitWindow *window,
                  GDateTime        *expected)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (window);

  if (expected == NULL)
    {
      g_assert_null (resets_at);
      return;
    }

  g_assert_nonnull (resets_at);
  if (!g_date_time_equal (resets_at, expected))
    {
      g_autofree char *got = g_date_time_format_iso8601 (resets_at);
      g_autofree char *want = g_date_time_format_iso8601 (expected);

      g_error ("%s resets at %s, expected %s", gauge_limit_window_get_id (window), got, want);
    }
}

static GaugeLimitWindow *
lookup (GaugeLimitsSnapshot *snapshot,
        const char         *id)
{
  GaugeLimitWindow *window = gauge_limits_snapshot_lookup (snapshot, id);

  if (window == NULL)
    g_error ("No window “%s”", id);

  return window;
}

static double
utilization_of (GaugeLimitsSnapshot *snapshot,
                const char         *id)
{
  return gauge_limit_window_get_utilization (lookup (snapshot, id));
}

static void
test_all_windows (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-all.json");
  g_autoptr(GDateTime) five_hour_reset = utc (2026, 11, 20, 15, 0, 0.412093);
  g_autoptr(GDateTime) fetched_at = utc (2026, 11, 20, 12, 0, 0);
  g_autofree char *ids = ids_of (snapshot);
  g_autofree char *money = NULL;
  GaugeLimitWindow *window;

  g_assert_cmpstr (ids, ==,
                   "five_hour seven_day seven_day_cowork seven_day_oauth_apps seven_day_opus "
                   "seven_day_sonnet extra_usage");
  g_assert_cmpint (gauge_limits_snapshot_get_source (snapshot), ==, GAUGE_SOURCE_OFFICIAL);
  g_assert_true (g_date_time_equal (gauge_limits_snapshot_get_fetched_at (snapshot), fetched_at));

  window = lookup (snapshot, "five_hour");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "5-hour");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 37.0);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 5 * G_TIME_SPAN_HOUR);
  g_assert_false (gauge_limit_window_is_money (window));
  g_assert_null (gauge_limit_window_format_money (window));
  assert_resets_at (window, five_hour_reset);

  window = lookup (snapshot, "seven_day");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 58.5);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 7 * G_TIME_SPAN_DAY);

  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot, "seven_day_opus")), ==,
                   "Weekly · Opus");
  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot, "seven_day_sonnet")), ==,
                   "Weekly · Sonnet");
  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot, "seven_day_oauth_apps")),
                   ==, "Weekly · OAuth apps");
  window = lookup (snapshot, "seven_day_cowork");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Cowork");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 0.0);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 7 * G_TIME_SPAN_DAY);
  g_assert_null (gauge_limit_window_get_resets_at (window));

  window = lookup (snapshot, "extra_usage");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Extra usage");
  g_assert_true (gauge_limit_window_is_money (window));
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 25.0);
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$12.50 of $50.00");

  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "seven_day_haiku"));
}

static void
test_nulls (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-nulls.json");

  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 0);
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "five_hour"));
  g_assert_null (gauge_limits_snapshot_get_next_reset (snapshot, NULL));
  g_assert_cmpint (gauge_limits_snapshot_get_severity (snapshot, 0, 0), ==, GAUGE_SEVERITY_NORMAL);
}

static void
test_empty_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

  snapshot = gauge_limits_snapshot_new_from_json ("{}", -1, GAUGE_SOURCE_OFFICIAL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 0);
  /* No time given: it was fetched now. */
  g_assert_nonnull (gauge_limits_snapshot_get_fetched_at (snapshot));
}

static void
test_limits_only (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-limits-only.json");
  g_autoptr(GDateTime) opus_reset = utc (2026, 11, 24, 9, 0, 0.412130);
  g_autofree char *ids = ids_of (snapshot);
  GaugeLimitWindow *window;

  g_assert_cmpstr (ids, ==,
                   "five_hour seven_day seven_day_haiku_5 seven_day_opus limit_burst "
                   "limit_daily_tools");

  window = lookup (snapshot, "five_hour");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "5-hour");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 37.0);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 5 * G_TIME_SPAN_HOUR);

  window = lookup (snapshot, "seven_day");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 58.0);

  /* A per-model cap that only the list form carries. */
  window = lookup (snapshot, "seven_day_opus");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Opus");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 12.0);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 7 * G_TIME_SPAN_DAY);
  assert_resets_at (window, opus_reset);

  window = lookup (snapshot, "seven_day_haiku_5");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Haiku 5");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 3.5);

  window = lookup (snapshot, "limit_burst");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Burst");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 5 * G_TIME_SPAN_HOUR);

  window = lookup (snapshot, "limit_daily_tools");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Daily tools");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 0);
  g_assert_null (gauge_limit_window_get_resets_at (window));

  /* Sonnet had a null percent: no bar rather than a bar at 0 %. */
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "seven_day_sonnet"));
}

static void
test_both_forms (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-both.json");
  g_autofree char *ids = ids_of (snapshot);

  /* No duplicates: each limit once, in display order. */
  g_assert_cmpstr (ids, ==, "five_hour seven_day seven_day_opus seven_day_sonnet extra_usage");

  /* The flat windows win over their twins in limits[]. */
  g_assert_cmpfloat (gauge_limit_window_get_utilization (lookup (snapshot, "five_hour")), ==, 37.0);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (lookup (snapshot, "seven_day")), ==, 58.5);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (lookup (snapshot, "seven_day_sonnet")),
                     ==, 4.0);

  /* The flat Opus window was null: the list form fills in. */
  g_assert_cmpfloat (gauge_limit_window_get_utilization (lookup (snapshot, "seven_day_opus")),
                     ==, 12.0);
}

static void
test_extra_usage_only (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-extra-only.json");
  g_autofree char *money = NULL;
  GaugeLimitWindow *window;

  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 1);
  window = gauge_limits_snapshot_get_window (snapshot, 0);
  g_assert_cmpstr (gauge_limit_window_get_id (window), ==, "extra_usage");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Extra usage");
  g_assert_true (gauge_limit_window_is_money (window));
  g_assert_cmpint (gauge_limit_window_get_used_minor (window), ==, 1250);
  g_assert_cmpint (gauge_limit_window_get_limit_minor (window), ==, 5000);
  g_assert_cmpstr (gauge_limit_window_get_currency (window), ==, "USD");
  /* utilization was null: computed from the amounts. */
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_utilization (window), 25.0, 1e-9);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 0);

  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$12.50 of $50.00");
}

static void
test_extra_usage_disabled (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-extra-disabled.json");
  g_autofree char *ids = ids_of (snapshot);

  g_assert_cmpstr (ids, ==, "five_hour");
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "extra_usage"));
}

static void
test_over_100 (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-over-100.json");
  g_autofree char *money = NULL;
  GaugeLimitWindow *window;

  window = lookup (snapshot, "five_hour");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 112.5);
  g_assert_cmpint (gauge_limit_window_get_severity (window, 80, 95), ==, GAUGE_SEVERITY_CRITICAL);

  window = lookup (snapshot, "extra_usage");
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_utilization (window), 130.0, 1e-9);
  g_assert_cmpstr (gauge_limit_window_get_currency (window), ==, "EUR");
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "€26.00 of €20.00");

  g_assert_cmpint (gauge_limits_snapshot_get_severity (snapshot, 80, 95), ==,
                   GAUGE_SEVERITY_CRITICAL);
}

static void
test_unknown_windows (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-unknown.json");
  g_autoptr(GDateTime) expiry = utc (2027, 1, 15, 0, 0, 0);
  g_autofree char *ids = ids_of (snapshot);
  g_autofree char *money = NULL;
  GaugeLimitWindow *window;

  /* Unknown windows come after the known ones, by id; non-window keys are not rows. */
  g_assert_cmpstr (ids, ==,
                   "five_hour five_hour_burst monthly_research seven_day_haiku promo_credit");

  window = lookup (snapshot, "seven_day_haiku");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Seven day haiku");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 7.5);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 7 * G_TIME_SPAN_DAY);
  g_assert_false (gauge_limit_window_is_money (window));

  window = lookup (snapshot, "five_hour_burst");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Five hour burst");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 5 * G_TIME_SPAN_HOUR);

  window = lookup (snapshot, "monthly_research");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Monthly research");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 0);

  /* A credit grant: money, and its resets_at is an expiry. Its codename is no name: it is
   * "Credit" (the window's tooltip names the key), after the limits. */
  window = lookup (snapshot, "promo_credit");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Credit");
  g_assert_true (gauge_limit_window_is_money (window));
  g_assert_true (gauge_limit_window_is_credit (window));
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_utilization (window), 12.5, 1e-9);
  assert_resets_at (window, expiry);
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$12.50 of $100.00");

  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "account_flags"));
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "server_version"));
}

static void
test_resets_at_forms (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-resets-forms.json");
  g_autoptr(GDateTime) micro = utc (2026, 11, 20, 15, 0, 0.412093);
  g_autoptr(GDateTime) milli = utc (2026, 11, 24, 9, 0, 0.412);
  g_autoptr(GDateTime) offset = utc (2026, 11, 24, 9, 0, 0.5);
  GDateTime *resets_at;

  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 5);
  assert_resets_at (lookup (snapshot, "five_hour"), micro);
  resets_at = gauge_limit_window_get_resets_at (lookup (snapshot, "five_hour"));
  g_assert_cmpint (g_date_time_get_microsecond (resets_at), ==, 412093);
  assert_resets_at (lookup (snapshot, "seven_day"), milli);
  assert_resets_at (lookup (snapshot, "seven_day_cowork"), offset);

  /* null, or a string that is not a time: the window stays, without a reset time. */
  assert_resets_at (lookup (snapshot, "seven_day_opus"), NULL);
  assert_resets_at (lookup (snapshot, "seven_day_sonnet"), NULL);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (lookup (snapshot, "seven_day_sonnet")),
                     ==, 6.0);
}

static void
assert_invalid (const char *data,
                gssize      length,
                const char *message_prefix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

  snapshot = gauge_limits_snapshot_new_from_json (data, length, GAUGE_SOURCE_OFFICIAL, NULL, &error);
  g_assert_null (snapshot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (!g_str_has_prefix (error->message, message_prefix))
    g_error ("Message “%s” does not start with “%s”", error->message, message_prefix);
}

static void
test_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = parse_fixture ("usage-malformed.json", &error);

  g_assert_null (snapshot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  /* In words: the parser's own text ("<data>:1:49: Parse error…") stays in the log. */
  g_assert_cmpstr (error->message, ==,
                   "The usage response cannot be used: it is not well-formed JSON");

  assert_invalid ("<html>502 Bad Gateway</html>", -1, "The usage response cannot be used: it is not well-formed JSON");
  assert_invalid ("{\"five_hour\": tru}", -1, "The usage response cannot be used: it is not well-formed JSON");
  assert_invalid ("\xff\xfe{}", -1, "The usage response cannot be used: it is not well-formed JSON");
}

static void
test_not_an_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = parse_fixture ("usage-array.json", &error);

  g_assert_null (snapshot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "The usage response is not a JSON object");

  assert_invalid ("", 0, "The usage response is not a JSON object");
  assert_invalid ("   \n", -1, "The usage response is not a JSON object");
  assert_invalid ("null", -1, "The usage response is not a JSON object");
  assert_invalid ("42", -1, "The usage response is not a JSON object");
  assert_invalid ("\"five_hour\"", -1, "The usage response is not a JSON object");
}

static void
test_deep_nesting (void)
{
  /* Openings json-glib 1.6 reads in its own way: its comments run from one slash to the next. */
  static const char *prefixes[] = {
    "{\"five_hour\": ", "", "/*]/", "/x/", "/*\"*/", "'\\'", "\"\\\"\"", "[1, /* ] */ ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      g_autoptr(GString) deep = g_string_new (prefixes[i]);

      /* Deep enough to overflow the stack in json-glib's recursive parser. */
      for (guint j = 0; j < 200000; j++)
        g_string_append_c (deep, '[');

      assert_invalid (deep->str, deep->len, "The usage response cannot be used: it is nested "
                      "too deeply");
    }

  /* Real nesting is shallow and parses. */
  {
    g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *opening = g_strnfill (40, '[');
    g_autofree char *closing = g_strnfill (40, ']');
    g_autofree char *nested = NULL;

    nested = g_strdup_printf ("{\"x\": %s1%s, \"five_hour\": {\"utilization\": 3}}", opening,
                              closing);

    snapshot = gauge_limits_snapshot_new_from_json (nested, -1, GAUGE_SOURCE_OFFICIAL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (gauge_limits_snapshot_lookup (snapshot, "five_hour"));
  }
}

static void
test_wrong_types (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-wrong-types.json");
  g_autoptr(GaugeLimitsSnapshot) snapshot2 = load_fixture ("usage-wrong-types-2.json");
  g_autofree char *ids = ids_of (snapshot);
  g_autofree char *ids2 = ids_of (snapshot2);
  g_autofree char *money = NULL;
  GaugeLimitWindow *window;

  /* A window whose utilization is not a number is skipped; a bad resets_at is just absent.
   * A number written as a string ("37.0") is a number; so is a resets_at in epoch seconds
   * (the answer sends both forms since the autumn of 2026). */
  g_assert_cmpstr (ids, ==, "five_hour seven_day seven_day_oauth_apps");
  g_assert_cmpfloat (utilization_of (snapshot, "five_hour"), ==, 37.0);
  window = lookup (snapshot, "seven_day");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 58.5);
  g_assert_cmpint (g_date_time_to_unix (gauge_limit_window_get_resets_at (window)), ==,
                   1795000000);
  g_assert_null (gauge_limit_window_get_resets_at (lookup (snapshot, "seven_day_oauth_apps")));

  /* Extra usage is on, its limit and utilization quoted, what was spent mistyped: shown with
   * nothing spent, in dollars. limits[] with a quoted percent counts too; 1e999 does not. */
  g_assert_cmpstr (ids2, ==, "five_hour extra_usage");
  g_assert_cmpfloat (utilization_of (snapshot2, "five_hour"), ==, 10.0);
  window = lookup (snapshot2, "extra_usage");
  g_assert_cmpstr (gauge_limit_window_get_currency (window), ==, "USD");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 25.0);
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$0.00 of $50.00");
}

static void
test_huge_payload (void)
{
  g_autoptr(GString) json = g_string_sized_new (11 * 1024 * 1024);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  GaugeLimitWindow *window;

  g_string_append (json, "{\"padding\": \"");
  for (guint i = 0; i < 8 * 1024 * 1024; i++)
    g_string_append_c (json, 'a' + i % 26);
  g_string_append (json, "\", \"history\": [");
  for (guint i = 0; i < 300000; i++)
    g_string_append_printf (json, "%s%u", i > 0 ? "," : "", i);
  g_string_append (json, "], \"five_hour\": {\"utilization\": 41.5, "
                         "\"resets_at\": \"2026-11-20T15:00:00Z\"}}");
  g_assert_cmpuint (json->len, >=, 10 * 1000 * 1000);

  snapshot = gauge_limits_snapshot_new_from_json (json->str, json->len, GAUGE_SOURCE_OFFICIAL,
                                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 1);
  window = lookup (snapshot, "five_hour");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 41.5);
}

static void
test_pace (void)
{
  g_autoptr(GDateTime) now = utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GDateTime) in_1h = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) in_6h = g_date_time_add_hours (now, 6);
  g_autoptr(GDateTime) ago_1h = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) in_3_5d = g_date_time_add_hours (now, 84);
  g_autoptr(GaugeLimitWindow) four_hours_in = NULL;
  g_autoptr(GaugeLimitWindow) not_started = NULL;
  g_autoptr(GaugeLimitWindow) past = NULL;
  g_autoptr(GaugeLimitWindow) half_week = NULL;
  g_autoptr(GaugeLimitWindow) no_length = NULL;
  g_autoptr(GaugeLimitWindow) no_reset = NULL;

  four_hours_in = gauge_limit_window_new ("five_hour", "5-hour", 50, in_1h,
                                          GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_pace (four_hours_in, now), 0.8, 1e-9);

  half_week = gauge_limit_window_new ("seven_day", "Weekly", 50, in_3_5d,
                                      GAUGE_WINDOW_LENGTH_WEEK);
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_pace (half_week, now), 0.5, 1e-9);

  /* Clamped: a reset further away than the window is long, and one already past. */
  not_started = gauge_limit_window_new ("five_hour", "5-hour", 0, in_6h,
                                        GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_cmpfloat (gauge_limit_window_get_pace (not_started, now), ==, 0.0);
  past = gauge_limit_window_new ("five_hour", "5-hour", 0, ago_1h, GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_cmpfloat (gauge_limit_window_get_pace (past, now), ==, 1.0);

  /* Unknown: no marker. */
  no_length = gauge_limit_window_new ("limit_x", "X", 10, in_1h, 0);
  g_assert_cmpfloat (gauge_limit_window_get_pace (no_length, now), ==, -1.0);
  no_reset = gauge_limit_window_new ("five_hour", "5-hour", 10, NULL,
                                     GAUGE_WINDOW_LENGTH_FIVE_HOUR);
  g_assert_cmpfloat (gauge_limit_window_get_pace (no_reset, now), ==, -1.0);
}

static void
test_next_reset (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-both.json");
  g_autoptr(GDateTime) noon = utc (2026, 11, 20, 12, 0, 0);
  g_autoptr(GDateTime) five_hour_reset = utc (2026, 11, 20, 15, 0, 0.412093);
  g_autoptr(GDateTime) seven_day_reset = utc (2026, 11, 24, 9, 0, 0.412110);
  g_autoptr(GDateTime) later = utc (2026, 12, 1, 0, 0, 0);

  g_assert_true (g_date_time_equal (gauge_limits_snapshot_get_next_reset (snapshot, noon),
                                    five_hour_reset));
  g_assert_true (g_date_time_equal (gauge_limits_snapshot_get_next_reset (snapshot, NULL),
                                    five_hour_reset));
  /* Strictly after: at the very moment of a reset, the next one is the following. */
  g_assert_true (g_date_time_equal (gauge_limits_snapshot_get_next_reset (snapshot,
                                                                          five_hour_reset),
                                    seven_day_reset));
  g_assert_null (gauge_limits_snapshot_get_next_reset (snapshot, later));
}

static void
test_severity (void)
{
  g_autoptr(GaugeLimitWindow) low = gauge_limit_window_new ("a", "A", 79.9, NULL, 0);
  g_autoptr(GaugeLimitWindow) warning = gauge_limit_window_new ("b", "B", 80.0, NULL, 0);
  g_autoptr(GaugeLimitWindow) critical = gauge_limit_window_new ("c", "C", 95.0, NULL, 0);
  g_autoptr(GPtrArray) windows = g_ptr_array_new ();
  g_autoptr(GaugeLimitsSnapshot) calm = NULL;
  g_autoptr(GaugeLimitsSnapshot) warm = NULL;
  g_autoptr(GaugeLimitsSnapshot) hot = NULL;

  g_assert_cmpint (gauge_limit_window_get_severity (low, 80, 95), ==, GAUGE_SEVERITY_NORMAL);
  g_assert_cmpint (gauge_limit_window_get_severity (warning, 80, 95), ==, GAUGE_SEVERITY_WARNING);
  g_assert_cmpint (gauge_limit_window_get_severity (critical, 80, 95), ==,
                   GAUGE_SEVERITY_CRITICAL);
  g_assert_cmpint (gauge_limit_window_get_severity (critical, 80, 96), ==,
                   GAUGE_SEVERITY_WARNING);

  g_ptr_array_add (windows, low);
  calm = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_STATUSLINE, NULL);
  g_ptr_array_add (windows, warning);
  warm = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_STATUSLINE, NULL);
  g_ptr_array_add (windows, critical);
  hot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_STATUSLINE, NULL);

  g_assert_cmpint (gauge_limits_snapshot_get_severity (calm, 80, 95), ==, GAUGE_SEVERITY_NORMAL);
  g_assert_cmpint (gauge_limits_snapshot_get_severity (warm, 80, 95), ==, GAUGE_SEVERITY_WARNING);
  g_assert_cmpint (gauge_limits_snapshot_get_severity (hot, 80, 95), ==, GAUGE_SEVERITY_CRITICAL);
  g_assert_cmpint (gauge_limits_snapshot_get_source (hot), ==, GAUGE_SOURCE_STATUSLINE);
}

static void
test_new_copies (void)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new ("five_hour", "5-hour", 5, NULL,
                                                    GAUGE_WINDOW_LENGTH_FIVE_HOUR));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, NULL);
  g_ptr_array_set_size (windows, 0);

  /* The snapshot is immutable: emptying the caller's array does not touch it. */
  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 1);
  g_assert_cmpstr (gauge_limit_window_get_id (gauge_limits_snapshot_get_window (snapshot, 0)), ==,
                   "five_hour");
}

static void
assert_money (gint64      used,
              gint64      limit,
              const char *currency,
              const char *expected)
{
  g_autoptr(GaugeLimitWindow) window = NULL;
  g_autofree char *text = NULL;

  window = gauge_limit_window_new_money ("extra_usage", "Extra usage", 0, used, limit, currency,
                                         NULL);
  text = gauge_limit_window_format_money (window);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_money (void)
{
  assert_money (1250, 5000, "USD", "$12.50 of $50.00");
  assert_money (1250, 5000, NULL, "$12.50 of $50.00");
  assert_money (5, 100000, "usd", "$0.05 of $1,000.00");
  assert_money (300, 1000, "EUR", "€3.00 of €10.00");
  assert_money (99, 2000, "GBP", "£0.99 of £20.00");
  assert_money (1250, 5000, "CHF", "12.50 of 50.00 CHF");
  assert_money (1250, 0, "USD", "$12.50");
  assert_money (1250, 0, "CHF", "12.50 CHF");
  assert_money (0, 0, NULL, "$0.00");
  assert_money (-250, 0, "USD", "-$2.50");
  assert_money (G_MININT64, 0, "USD", "-$92,233,720,368,547,758.08");
}

/* No C0 control, DEL or C1 control: nothing a terminal would act on. */
static void
assert_printable (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
        g_error ("“%s” holds the control character U+%04X", text, c);
    }
}

/* Numbers outside 0–100 % are clamped, never wrapped; a quoted number is a number; what is
 * not a finite number at all drops only its window. */
static void
test_hostile_numbers (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-hostile.json");
  g_autoptr(GaugeLimitsSnapshot) line = NULL;
  g_autoptr(GaugeLimitWindow) nan = NULL;
  g_autoptr(GaugeLimitWindow) inf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = ids_of (snapshot);
  g_autofree char *percent = NULL;

  g_assert_cmpstr (ids, ==,
                   "five_hour seven_day seven_day_haiku seven_day_opus mystery_ extra_usage");
  g_assert_cmpfloat (utilization_of (snapshot, "five_hour"), ==, GAUGE_UTILIZATION_MAX);
  g_assert_cmpfloat (utilization_of (snapshot, "seven_day"), ==, 0.0);
  g_assert_cmpfloat (utilization_of (snapshot, "seven_day_opus"), ==, 37.0);
  g_assert_cmpfloat (utilization_of (snapshot, "mystery_"), ==, 150.0);

  percent = gauge_format_percent (utilization_of (snapshot, "five_hour"));
  g_assert_cmpstr (percent, ==, "1000 %");

  /* The same rules for what Claude Code pipes into --statusline. */
  line = gauge_limits_snapshot_new_from_statusline (
    "{\"rate_limits\":{\"five_hour\":{\"used_percentage\":\"41\"},"
    "\"seven_day\":{\"used_percentage\":-3},\"seven_day_opus\":{\"used_percentage\":1e300},"
    "\"seven_day_sonnet\":{\"used_percentage\":\"nan\"}}}", -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (utilization_of (line, "five_hour"), ==, 41.0);
  g_assert_cmpfloat (utilization_of (line, "seven_day"), ==, 0.0);
  g_assert_cmpfloat (utilization_of (line, "seven_day_opus"), ==, GAUGE_UTILIZATION_MAX);
  g_assert_null (gauge_limits_snapshot_lookup (line, "seven_day_sonnet"));

  /* A window made any other way (a stored reading) gets the same bounds. */
  nan = gauge_limit_window_new ("x", "X", NAN, NULL, 0);
  inf = gauge_limit_window_new ("x", "X", INFINITY, NULL, 0);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (nan), ==, 0.0);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (inf), ==, GAUGE_UTILIZATION_MAX);
}

/* Names, ids and currencies from the network lose their escape sequences and control
 * characters before anything shows or stores them. */
static void
test_hostile_names (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-hostile.json");
  g_autofree char *money = NULL;

  for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);

      assert_printable (gauge_limit_window_get_id (window));
      assert_printable (gauge_limit_window_get_display_name (window));
      if (gauge_limit_window_is_money (window))
        assert_printable (gauge_limit_window_get_currency (window));
    }

  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot, "mystery_")), ==,
                   "Mystery");
  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot, "seven_day_haiku")), ==,
                   "Weekly · Haiku");
  money = gauge_limit_window_format_money (lookup (snapshot, "extra_usage"));
  g_assert_cmpstr (money, ==, "€12.50 of €50.00");
}

static void
test_clean_text (void)
{
  static const struct { const char *in; const char *line; const char *lines; } cases[] = {
    { "plain · text ✓", "plain · text ✓", "plain · text ✓" },
    { "a\033[2Jb", "ab", "ab" },                                   /* CSI */
    { "a\033[38;5;196mb\033[0m", "ab", "ab" },
    { "a\033]0;title\007b", "ab", "ab" },                          /* OSC ended by BEL */
    { "a\033]52;c;cHduZWQ=\033\\b", "ab", "ab" },                  /* OSC ended by ST */
    { "a\033Pq#0;2;0;0;0\033\\b", "ab", "ab" },                    /* DCS */
    { "a\033(Bb", "ab", "ab" },                                    /* ESC ( B */
    { "a\033cb", "ab", "ab" },                                     /* ESC c: reset */
    { "a\302\233" "31mb", "ab", "ab" },                             /* C1 CSI */
    { "a\302\235" "0;t\302\234" "b", "ab", "ab" },                   /* C1 OSC … C1 ST */
    { "a\302\205b\177c\007d\010e", "abcde", "abcde" },              /* NEL, DEL, BEL, BS */
    { "one\ttwo\nthree\r", "one two three", "one\ttwo\nthree" },
    { "\033[2J  name  \007", "name", "  name  " },
    { "bad \377 utf8", "bad \357\277\275 utf8", "bad \357\277\275 utf8" },
    { "unfinished \033[", "unfinished", "unfinished " },
    { "unfinished \033]0;title", "unfinished", "unfinished " },
  };

  g_assert_null (gauge_format_clean_text (NULL, FALSE));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = gauge_format_clean_text (cases[i].in, FALSE);
      g_autofree char *lines = gauge_format_clean_text (cases[i].in, TRUE);

      g_test_message ("case %u", i);
      g_assert_cmpstr (line, ==, cases[i].line);
      g_assert_cmpstr (lines, ==, cases[i].lines);
    }
}

/* The answer's autumn 2026 shapes together (tests/data/usage-autumn.json): epoch and ISO
 * resets_at side by side, limits[] scoped to a surface or a model (each a row named from its
 * scope, once beside a flat twin), the server's severity, credit grants, and spend. */
static void
test_autumn_shapes (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-autumn.json");
  g_autoptr(GDateTime) now = utc (2026, 11, 18, 12, 0, 0);
  g_autoptr(GDateTime) five_reset = g_date_time_new_from_unix_utc (1795012800);
  g_autoptr(GDateTime) fable_reset = g_date_time_new_from_unix_utc (1795400000);
  g_autoptr(GDateTime) chrome_reset = utc (2026, 11, 24, 9, 0, 0);
  g_autoptr(GDateTime) cove_expiry = utc (2027, 1, 31, 0, 0, 0);
  g_autofree char *ids = ids_of (snapshot);
  g_autofree char *money = NULL;
  g_autofree char *caption = NULL;
  GaugeLimitWindow *window;

  g_assert_cmpstr (ids, ==,
                   "five_hour seven_day five_hour_opus_code seven_day_code seven_day_chrome "
                   "seven_day_fable5 extra_usage amber_ladder cinder_cove");

  /* Epoch seconds, as the 5-hour window and its limits[] twin now send it. */
  window = lookup (snapshot, "five_hour");
  assert_resets_at (window, five_reset);
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 41.0);
  caption = gauge_limit_window_format_caption (window, now);
  g_assert_true (g_str_has_prefix (caption, "Resets in "));
  g_clear_pointer (&caption, g_free);

  /* A surface: Claude Code, named by the kinds table. */
  window = lookup (snapshot, "seven_day_code");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Claude Code");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 45.0);
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 7 * G_TIME_SPAN_DAY);
  assert_resets_at (window, fable_reset);
  g_assert_cmpint (gauge_limit_window_get_severity (window, 80, 95), ==, GAUGE_SEVERITY_NORMAL);

  /* A surface the table does not know, with its own display name. */
  window = lookup (snapshot, "seven_day_chrome");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Claude in Chrome");
  assert_resets_at (window, chrome_reset);

  /* A model and a surface, in a 5-hour limit. */
  window = lookup (snapshot, "five_hour_opus_code");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==,
                   "5-hour · Opus · Claude Code");
  g_assert_cmpint (gauge_limit_window_get_length (window), ==, 5 * G_TIME_SPAN_HOUR);

  /* Fable: the flat key wins over its limits[] twin (one row), and takes the twin's
   * "critical": critical at 22 %, far below any threshold. */
  window = lookup (snapshot, "seven_day_fable5");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Weekly · Fable");
  g_assert_cmpfloat (gauge_limit_window_get_utilization (window), ==, 22.0);
  g_assert_cmpint (gauge_limit_window_get_server_severity (window), ==, GAUGE_SEVERITY_CRITICAL);
  g_assert_cmpint (gauge_limit_window_get_severity (window, 80, 95), ==, GAUGE_SEVERITY_CRITICAL);
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "seven_day_fable"));
  g_assert_cmpint (gauge_limits_snapshot_get_severity (snapshot, 80, 95), ==,
                   GAUGE_SEVERITY_CRITICAL);

  /* spend wins over extra_usage: euros, not the dollars extra_usage claims. */
  window = lookup (snapshot, "extra_usage");
  g_assert_cmpstr (gauge_limit_window_get_currency (window), ==, "EUR");
  g_assert_cmpint (gauge_limit_window_get_used_minor (window), ==, 763);
  g_assert_cmpint (gauge_limit_window_get_limit_minor (window), ==, 2000);
  g_assert_cmpfloat_with_epsilon (gauge_limit_window_get_utilization (window), 38.15, 1e-9);
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "€7.63 of €20.00");
  g_assert_false (gauge_limit_window_is_credit (window));
  g_clear_pointer (&money, g_free);

  /* Credit grants: money that expires, under a human name when the codename is known. */
  window = lookup (snapshot, "cinder_cove");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==,
                   "Claude Code and Cowork credit");
  g_assert_true (gauge_limit_window_is_credit (window));
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$400.00 of $1,000.00");
  g_clear_pointer (&money, g_free);
  assert_resets_at (window, cove_expiry);
  caption = gauge_limit_window_format_caption (window, now);
  g_assert_cmpstr (caption, ==, "Expires in 73 days 12 h (31 Jan 00:00)");
  g_clear_pointer (&caption, g_free);

  window = lookup (snapshot, "amber_ladder");
  g_assert_cmpstr (gauge_limit_window_get_display_name (window), ==, "Credit");
  g_assert_true (gauge_limit_window_is_credit (window));
  money = gauge_limit_window_format_money (window);
  g_assert_cmpstr (money, ==, "$5.00 of $50.00");

  /* Null codenames are no rows. */
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "tangelo"));
  g_assert_null (gauge_limits_snapshot_lookup (snapshot, "iguana_necktie"));
}

/* Money in a currency without cents: yen are whole, and spend says "critical". */
static void
test_spend_jpy (void)
{
  g_autoptr(GaugeLimitsSnapshot) snapshot = load_fixture ("usage-spend-jpy.json");
  GaugeLimitWindow *window = lookup (snapshot, "extra_usage");
  g_autofree char *money = gauge_limit_window_format_money (window);

  g_assert_cmpuint (gauge_limits_snapshot_get_n_windows (snapshot), ==, 2);
  g_assert_cmpstr (money, ==, "¥1,200 of ¥5,000");
  g_assert_cmpuint (gauge_limit_window_get_exponent (window), ==, 0);
  g_assert_cmpint (gauge_limit_window_get_severity (window, 80, 95), ==, GAUGE_SEVERITY_CRITICAL);
}

/* Amounts given in other decimals than the currency's own are scaled to them; a disabled
 * spend block means no extra usage, whatever extra_usage says. */
static void
test_spend_forms (void)
{
  struct { const char *json; const char *money; } cases[] = {
    /* Yen in hundredths. */
    { "{\"spend\": {\"used\": {\"amount_minor\": 120000, \"currency\": \"JPY\", \"exponent\": 2},"
      " \"limit\": {\"amount_minor\": 500000, \"currency\": \"JPY\", \"exponent\": 2}}}",
      "¥1,200 of ¥5,000" },
    /* No exponent: the currency's own. */
    { "{\"spend\": {\"used\": {\"amount_minor\": 763, \"currency\": \"EUR\"}}}", "€7.63" },
    /* Dinars have three decimals. */
    { "{\"spend\": {\"used\": {\"amount_minor\": 1500, \"currency\": \"KWD\", \"exponent\": 3},"
      " \"limit\": {\"amount_minor\": 10000, \"currency\": \"KWD\", \"exponent\": 3}}}",
      "1.500 of 10.000 KWD" },
    /* extra_usage's decimal_places. */
    { "{\"extra_usage\": {\"is_enabled\": true, \"used_credits\": 1200, \"monthly_limit\": 5000,"
      " \"currency\": \"JPY\", \"decimal_places\": 0}}", "¥1,200 of ¥5,000" },
    /* spend without an amount used is no source: extra_usage is read. */
    { "{\"spend\": {\"percent\": 3}, \"extra_usage\": {\"is_enabled\": true, \"used_credits\": 100,"
      " \"monthly_limit\": 5000}}", "$1.00 of $50.00" },
    /* Disabled spend: extra usage is off. */
    { "{\"spend\": {\"enabled\": false, \"used\": null}, \"extra_usage\": {\"is_enabled\": true,"
      " \"used_credits\": 100, \"monthly_limit\": 5000}}", NULL },
    /* An exponent that is no count of decimals: not an amount. */
    { "{\"spend\": {\"used\": {\"amount_minor\": 763, \"currency\": \"EUR\", \"exponent\": 40}}}",
      NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GaugeLimitsSnapshot) snapshot =
        gauge_limits_snapshot_new_from_json (cases[i].json, -1, GAUGE_SOURCE_OFFICIAL, NULL,
                                             &error);
      GaugeLimitWindow *window;
      g_autofree char *money = NULL;

      g_test_message ("%s", cases[i].json);
      g_assert_no_error (error);
      window = gauge_limits_snapshot_lookup (snapshot, "extra_usage");
      if (cases[i].money == NULL)
        {
          g_assert_null (window);
          continue;
        }
      g_assert_nonnull (window);
      money = gauge_limit_window_format_money (window);
      g_assert_cmpstr (money, ==, cases[i].money);
    }
}

/* The server's severity only raises: "normal" never lowers what a threshold says. */
static void
test_server_severity (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot =
    gauge_limits_snapshot_new_from_json (
      "{\"five_hour\": {\"utilization\": 97},"
      " \"limits\": [{\"kind\": \"session\", \"percent\": 97, \"severity\": \"normal\"},"
      "  {\"kind\": \"weekly_all\", \"percent\": 10, \"severity\": \"critical\"},"
      "  {\"kind\": \"weekly_scoped\", \"percent\": 50, \"severity\": \"warning\","
      "   \"scope\": {\"model\": {\"display_name\": \"Opus\"}}},"
      "  {\"kind\": \"weekly_scoped\", \"percent\": 5, \"severity\": \"panic\","
      "   \"scope\": {\"surface\": \"cowork\"}},"
      "  {\"kind\": \"weekly_scoped\", \"percent\": 6, \"severity\": \"critical\","
      "   \"scope\": {\"surface\": {\"display_name\": \"Claude for Excel\"}}}]}",
      -1, GAUGE_SOURCE_OFFICIAL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gauge_limit_window_get_severity (lookup (snapshot, "five_hour"), 80, 95), ==,
                   GAUGE_SEVERITY_CRITICAL);
  g_assert_cmpint (gauge_limit_window_get_severity (lookup (snapshot, "seven_day"), 80, 95), ==,
                   GAUGE_SEVERITY_CRITICAL);
  g_assert_cmpint (gauge_limit_window_get_severity (lookup (snapshot, "seven_day_opus"), 80, 95),
                   ==, GAUGE_SEVERITY_WARNING);
  g_assert_cmpint (gauge_limit_window_get_severity (lookup (snapshot, "seven_day_cowork"), 80,
                                                    95), ==, GAUGE_SEVERITY_NORMAL);
  /* A surface known only by its display name. */
  g_assert_cmpstr (gauge_limit_window_get_display_name (lookup (snapshot,
                                                                "seven_day_claude_for_excel")),
                   ==, "Weekly · Claude for Excel");
  g_assert_cmpint (gauge_limit_window_get_severity (lookup (snapshot,
                                                            "seven_day_claude_for_excel"),
                                                    80, 95), ==, GAUGE_SEVERITY_CRITICAL);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/usage-snapshot/all-windows", test_all_windows);
  g_test_add_func ("/usage-snapshot/nulls", test_nulls);
  g_test_add_func ("/usage-snapshot/empty-object", test_empty_object);
  g_test_add_func ("/usage-snapshot/limits-only", test_limits_only);
  g_test_add_func ("/usage-snapshot/both-forms", test_both_forms);
  g_test_add_func ("/usage-snapshot/extra-usage-only", test_extra_usage_only);
  g_test_add_func ("/usage-snapshot/extra-usage-disabled", test_extra_usage_disabled);
  g_test_add_func ("/usage-snapshot/over-100", test_over_100);
  g_test_add_func ("/usage-snapshot/unknown-windows", test_unknown_windows);
  g_test_add_func ("/usage-snapshot/resets-at-forms", test_resets_at_forms);
  g_test_add_func ("/usage-snapshot/malformed", test_malformed);
  g_test_add_func ("/usage-snapshot/not-an-object", test_not_an_object);
  g_test_add_func ("/usage-snapshot/deep-nesting", test_deep_nesting);
  g_test_add_func ("/usage-snapshot/wrong-types", test_wrong_types);
  g_test_add_func ("/usage-snapshot/hostile-numbers", test_hostile_numbers);
  g_test_add_func ("/usage-snapshot/hostile-names", test_hostile_names);
  g_test_add_func ("/format/clean-text", test_clean_text);
  g_test_add_func ("/usage-snapshot/huge-payload", test_huge_payload);
  g_test_add_func ("/usage-snapshot/pace", test_pace);
  g_test_add_func ("/usage-snapshot/next-reset", test_next_reset);
  g_test_add_func ("/usage-snapshot/severity", test_severity);
  g_test_add_func ("/usage-snapshot/new-copies", test_new_copies);
  g_test_add_func ("/usage-snapshot/format-money", test_format_money);
  g_test_add_func ("/usage-snapshot/autumn-shapes", test_autumn_shapes);
  g_test_add_func ("/usage-snapshot/spend-jpy", test_spend_jpy);
  g_test_add_func ("/usage-snapshot/spend-forms", test_spend_forms);
  g_test_add_func ("/usage-snapshot/server-severity", test_server_severity);

  return g_test_run ();
}
