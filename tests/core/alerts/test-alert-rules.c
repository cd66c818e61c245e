/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "gauge-alert-rules.h"
#include "gauge-history.h"

/* All times are UTC and TZ=UTC, so bodies read as written here. */

static const double defaults[] = { 80, 95 };

typedef struct
{
  GaugeAlertSettings  settings;
  GHashTable         *sent;
} Rules;

static gboolean
lookup_sent (const char *key,
             gpointer    data)
{
  return g_hash_table_contains (data, key);
}

static void
rules_init (Rules *rules)
{
  for (guint i = 0; i < GAUGE_LIMIT_GROUP_N; i++)
    {
      rules->settings.thresholds[i] = defaults;
      rules->settings.n_thresholds[i] = G_N_ELEMENTS (defaults);
    }
  rules->settings.critical = 95;
  rules->settings.pace = TRUE;
  rules->settings.reset = TRUE;
  rules->sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static GDateTime *
at (int hour,
    int minute)
{
  return g_date_time_new_utc (2030, 1, 15, hour, minute, 0);
}

static GaugeLimitsSnapshot *
snapshot_new (GDateTime  *fetched_at,
              const char *id,
              double      utilization,
              GDateTime  *resets_at,
              ...)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, resets_at);
  while (id != NULL)
    {
      GTimeSpan length = g_str_equal (id, "five_hour") ? GAUGE_WINDOW_LENGTH_FIVE_HOUR
                                                       : GAUGE_WINDOW_LENGTH_WEEK;

      g_ptr_array_add (windows, gauge_limit_window_new (id, id, utilization, resets_at, length));
      id = va_arg (args, const char *);
      if (id != NULL)
        {
          utilization = va_arg (args, double);
          resets_at = va_arg (args, GDateTime *);
        }
    }
  va_end (args);

  return gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, fetched_at);
}

/* Evaluates and remembers, as the notifier does. */
static GPtrArray *
run (Rules              *rules,
     GDateTime          *now,
     GaugeLimitsSnapshot *snapshot,
     GaugeLimitsSnapshot *previous,
     GaugeLimitsMonitorState   state,
     const char         *token_id,
     GDateTime          *cooldown_until,
     GHashTable         *projections)
{
  GaugeAlertInput input = {
    .now = now, .snapshot = snapshot, .previous = previous, .state = state,
    .token_id = token_id, .cooldown_until = cooldown_until, .projections = projections,
    .settings = &rules->settings, .is_sent = lookup_sent, .is_sent_data = rules->sent,
  };
  GPtrArray *alerts = gauge_alert_rules_evaluate (&input);

  for (guint i = 0; i < alerts->len; i++)
    {
      GaugeAlert *alert = g_ptr_array_index (alerts, i);

      g_hash_table_add (rules->sent, g_strdup (alert->key));
      for (guint j = 0; alert->covered_keys != NULL && alert->covered_keys[j] != NULL; j++)
        g_hash_table_add (rules->sent, g_strdup (alert->covered_keys[j]));
    }

  return alerts;
}

static GaugeAlert *
nth (GPtrArray *alerts,
     guint      i)
{
  return g_ptr_array_index (alerts, i);
}

static void
test_thresholds_per_group (void)
{
  /* One row per group: a reading below, then one above each threshold. */
  static const struct {
    const char *id;
    double      below, first, second;
    const char *title_first, *title_second;
  } rows[] = {
    { "five_hour", 50, 81, 96, "5-hour limit at 81 %", "5-hour limit at 96 %" },
    { "seven_day", 79.9, 80, 95, "Weekly limit at 80 %", "Weekly limit at 95 %" },
    { "seven_day_opus", 10, 85, 99.5, "Opus weekly limit at 85 %",
      "Opus weekly limit at 99.5 %" },
  };
  g_autoptr(GDateTime) resets = at (15, 0);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      Rules rules = { 0 };
      g_autoptr(GDateTime) t1 = at (12, 0);
      g_autoptr(GDateTime) t2 = at (12, 10);
      g_autoptr(GDateTime) t3 = at (12, 20);
      g_autoptr(GaugeLimitsSnapshot) s1 = snapshot_new (t1, rows[i].id, rows[i].below, resets, NULL);
      g_autoptr(GaugeLimitsSnapshot) s2 = snapshot_new (t2, rows[i].id, rows[i].first, resets, NULL);
      g_autoptr(GaugeLimitsSnapshot) s3 = snapshot_new (t3, rows[i].id, rows[i].second, resets, NULL);
      g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a2_again = NULL, a3 = NULL;

      rules_init (&rules);
      if (g_str_equal (rows[i].id, "seven_day_opus"))
        {
          /* Model windows carry "Weekly · Opus" as their display name. */
          g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (w, gauge_limit_window_new ("seven_day_opus", "Weekly · Opus",
                                                      rows[i].first, resets,
                                                      GAUGE_WINDOW_LENGTH_WEEK));
          g_clear_object (&s2);
          s2 = gauge_limits_snapshot_new (w, GAUGE_SOURCE_OFFICIAL, t2);
          g_ptr_array_set_size (w, 0);
          g_ptr_array_add (w, gauge_limit_window_new ("seven_day_opus", "Weekly · Opus",
                                                      rows[i].second, resets,
                                                      GAUGE_WINDOW_LENGTH_WEEK));
          g_clear_object (&s3);
          s3 = gauge_limits_snapshot_new (w, GAUGE_SOURCE_OFFICIAL, t3);
        }

      a1 = run (&rules, t1, s1, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
      g_assert_cmpuint (a1->len, ==, 0);

      a2 = run (&rules, t2, s2, s1, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
      g_assert_cmpuint (a2->len, ==, 1);
      g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_THRESHOLD);
      g_assert_cmpstr (nth (a2, 0)->title, ==, rows[i].title_first);
      g_assert_cmpstr (nth (a2, 0)->body, ==, "Resets in 2 h 50 min (15:00).");
      g_assert_cmpint (nth (a2, 0)->urgency, ==, GAUGE_ALERT_URGENCY_NORMAL);
      g_assert_cmpstr (nth (a2, 0)->window_id, ==, rows[i].id);
      g_assert_false (nth (a2, 0)->muted);

      /* The same reading again: nothing. */
      a2_again = run (&rules, t2, s2, s2, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
      g_assert_cmpuint (a2_again->len, ==, 0);

      a3 = run (&rules, t3, s3, s2, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
      g_assert_cmpuint (a3->len, ==, 1);
      g_assert_cmpstr (nth (a3, 0)->title, ==, rows[i].title_second);
      g_assert_cmpint (nth (a3, 0)->urgency, ==, GAUGE_ALERT_URGENCY_CRITICAL);

      g_hash_table_unref (rules.sent);
    }
}

static void
test_extra_usage_money (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) alerts = NULL;

  rules_init (&rules);
  g_ptr_array_add (windows, gauge_limit_window_new_money ("extra_usage", "Extra usage", 82,
                                                          4100, 5000, "USD", NULL));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, now);
  alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (nth (alerts, 0)->title, ==, "Extra usage at 82 %");
  g_assert_true (g_str_has_suffix (nth (alerts, 0)->body, " used."));
  /* Monthly: the month names the instance. */
  g_assert_cmpstr (nth (alerts, 0)->key, ==, "threshold:extra_usage:1896134400:80");
  g_hash_table_unref (rules.sent);
}

static void
test_several_at_once (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GDateTime) weekly = g_date_time_new_utc (2030, 1, 18, 9, 0, 0);
  g_autoptr(GaugeLimitsSnapshot) snapshot =
    snapshot_new (now, "five_hour", 97.0, resets, "seven_day", 85.0, weekly, NULL);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) again = NULL;

  rules_init (&rules);
  alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);

  /* 5-hour crossed 80 and 95: only 95 shows, 80 is remembered with it. */
  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpstr (nth (alerts, 0)->title, ==, "5-hour limit at 97 %");
  g_assert_cmpstr (nth (alerts, 0)->key, ==, "threshold:five_hour:1894719600:95");
  g_assert_cmpuint (g_strv_length (nth (alerts, 0)->covered_keys), ==, 1);
  g_assert_cmpstr (nth (alerts, 0)->covered_keys[0], ==, "threshold:five_hour:1894719600:80");
  g_assert_cmpstr (nth (alerts, 1)->title, ==, "Weekly limit at 85 %");
  g_assert_cmpstr (nth (alerts, 1)->body, ==, "Resets in 2 days 21 h (Fri 09:00).");

  again = run (&rules, now, snapshot, snapshot, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (again->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

static void
test_restart_dedup (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GDateTime) later = at (12, 5);
  g_autoptr(GDateTime) resets = at (15, 0);
  /* The API's resets_at wobbles by a second between readings. */
  g_autoptr(GDateTime) wobble = g_date_time_add_seconds (resets, -0.9);
  g_autoptr(GaugeLimitsSnapshot) first = snapshot_new (now, "five_hour", 85.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) second = snapshot_new (later, "five_hour", 86.0, wobble, NULL);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) restarted = NULL;

  rules_init (&rules);
  alerts = run (&rules, now, first, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (alerts->len, ==, 1);

  /* A new process: no previous snapshot, only the remembered keys. */
  restarted = run (&rules, later, second, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (restarted->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

/* Anthropic says a weekly limit at 22 % is critical: one critical alert, as if its highest
 * threshold were crossed, saying who said so; never again for the same window, after a
 * restart too (the keys are the threshold keys), nor when the percentage later crosses 80 %. */
static void
test_server_critical (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GDateTime) later = at (13, 0);
  g_autoptr(GDateTime) resets = g_date_time_new_utc (2030, 1, 20, 9, 0, 0);
  g_autoptr(GaugeLimitWindow) plain =
    gauge_limit_window_new ("seven_day_fable", "Weekly · Fable", 22.0, resets,
                            GAUGE_WINDOW_LENGTH_WEEK);
  g_autoptr(GaugeLimitWindow) flagged = gauge_limit_window_new_flagged (plain,
                                                                        GAUGE_SEVERITY_CRITICAL);
  g_autoptr(GaugeLimitWindow) higher =
    gauge_limit_window_new ("seven_day_fable", "Weekly · Fable", 85.0, resets,
                            GAUGE_WINDOW_LENGTH_WEEK);
  g_autoptr(GPtrArray) windows = g_ptr_array_new ();
  g_autoptr(GaugeLimitsSnapshot) unflagged = NULL;
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GaugeLimitsSnapshot) second = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *key = gauge_alert_instance_key (GAUGE_ALERT_THRESHOLD, "seven_day_fable",
                                                   resets, 95);

  rules_init (&rules);
  g_ptr_array_add (windows, plain);
  unflagged = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, now);
  none = run (&rules, now, unflagged, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  g_ptr_array_index (windows, 0) = flagged;
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, now);
  alerts = run (&rules, now, snapshot, unflagged, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL,
                NULL);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (nth (alerts, 0)->key, ==, key);
  g_assert_cmpstr (nth (alerts, 0)->title, ==, "Fable weekly limit at 22 %");
  g_assert_true (g_str_has_prefix (nth (alerts, 0)->body, "Anthropic marks this limit critical."));
  g_assert_cmpint (nth (alerts, 0)->urgency, ==, GAUGE_ALERT_URGENCY_CRITICAL);

  g_ptr_array_index (windows, 0) = higher;
  second = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, later);
  again = run (&rules, later, second, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (again->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

static void
test_mute (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GDateTime) after = at (13, 30);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GaugeLimitsSnapshot) muted_reading = snapshot_new (now, "five_hour", 85.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) later_reading = snapshot_new (after, "five_hour", 90.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) critical = snapshot_new (after, "five_hour", 96.0, resets, NULL);
  g_autoptr(GPtrArray) during = NULL;
  g_autoptr(GPtrArray) unmuted = NULL;
  g_autoptr(GPtrArray) next = NULL;

  rules_init (&rules);
  rules.settings.mute_until_unix = g_date_time_to_unix (now) + 3600;

  during = run (&rules, now, muted_reading, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (during->len, ==, 1);
  g_assert_true (nth (during, 0)->muted);

  /* After the mute: what was muted is not replayed... */
  unmuted = run (&rules, after, later_reading, muted_reading, GAUGE_LIMITS_MONITOR_STATE_OK, NULL,
                 NULL, NULL);
  g_assert_cmpuint (unmuted->len, ==, 0);

  /* ...but what happens next is told. */
  next = run (&rules, after, critical, later_reading, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (next->len, ==, 1);
  g_assert_false (nth (next, 0)->muted);
  g_hash_table_unref (rules.sent);
}

/* What the notifier gets from gauge_store_load_account_projections(): @id's readings,
 * oldest first and the snapshot's own reading last, projected at @now with
 * gauge_history_project(), the projection the window shows. */
static GHashTable *
projections_from_points (const char              *id,
                         GDateTime               *now,
                         const GaugeHistoryPoint *points,
                         guint                    n_points)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GaugeProjection *projection = g_new0 (GaugeProjection, 1);

  gauge_history_project (points, n_points, g_date_time_to_unix (now), projection);
  g_hash_table_insert (table, g_strdup (id), projection);
  return table;
}

/* As projections_from_points(), from (GDateTime *, double percent) pairs ending
 * in NULL, all of the window instance that resets at @resets_at. */
static GHashTable *
projections_new (const char *id,
                 GDateTime  *now,
                 GDateTime  *resets_at,
                 ...)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (GaugeHistoryPoint));
  GDateTime *time;
  va_list args;

  va_start (args, resets_at);
  while ((time = va_arg (args, GDateTime *)) != NULL)
    {
      GaugeHistoryPoint point = {
        .t = g_date_time_to_unix (time),
        .value = va_arg (args, double),
        .resets_at = g_date_time_to_unix (resets_at),
      };
      g_array_append_val (points, point);
    }
  va_end (args);

  return projections_from_points (id, now, (const GaugeHistoryPoint *) (gpointer) points->data,
                                  points->len);
}

/*
 * The rate is gauge_history_project()'s: over the last 30 minutes of
 * readings, else 60 minutes, else 2 hours, each span needing readings over at
 * least half of it. The pace rule used to measure from the newest reading 30
 * to 60 minutes old instead; the rows where that shows say so.
 */
static void
test_pace_arithmetic (void)
{
  static const struct {
    int    base_h, base_m;
    double base;
    double now_pct;
    int    resets_h;
    const char *body;  /* NULL: no alert */
  } rows[] = {
    /* 40 % at 12:00, 60 % at 12:30: 20 % per 30 min, 40 % left → 13:30. */
    { 12, 0, 40, 60, 15,
      "At this pace your 5-hour limit runs out at 13:30, 1 h 30 min before it resets." },
    /* 50 % → 70 % in 30 min: 30 % left → 13:15, 45 min before a 14:00 reset. */
    { 12, 0, 50, 70, 14,
      "At this pace your 5-hour limit runs out at 13:15, 45 min before it resets." },
    /* Runs out after the reset: nothing. */
    { 12, 0, 40, 50, 13, NULL },
    /* Flat: nothing. */
    { 12, 0, 60, 60, 15, NULL },
    /* Falling a little (a bigger drop is a reset): nothing. */
    { 12, 0, 60, 59.8, 15, NULL },
    /* Changed: 20 minutes of history used to be too little (the base had to
     * be at least 30 minutes old). It is over half the 30-minute span, so now
     * it counts: 40 % in 20 min, 40 % left → 12:50. */
    { 12, 10, 20, 60, 15,
      "At this pace your 5-hour limit runs out at 12:50, 2 h 10 min before it resets." },
    /* 10 minutes is under half of every span: nothing. */
    { 12, 20, 20, 60, 15, NULL },
    /* 50 minutes back, over half the 60-minute span: 12 % per 50 min, 68 % left
     * → 17:13, after the 15:00 reset: nothing (as before). */
    { 11, 40, 20, 32, 15, NULL },
    /* Changed: a reading 70 minutes old used to be too old (the base had to be
     * at most 60 minutes old). The 2-hour span takes it: 40 % in 70 min, 40 %
     * left → 13:40. */
    { 11, 20, 20, 60, 15,
      "At this pace your 5-hour limit runs out at 13:40, 1 h 20 min before it resets." },
    /* Older than 2 hours: nothing. */
    { 10, 20, 20, 60, 15, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      Rules rules = { 0 };
      g_autoptr(GDateTime) now = at (12, 30);
      g_autoptr(GDateTime) base = at (rows[i].base_h, rows[i].base_m);
      g_autoptr(GDateTime) resets = at (rows[i].resets_h, 0);
      g_autoptr(GaugeLimitsSnapshot) snapshot =
        snapshot_new (now, "five_hour", rows[i].now_pct, resets, NULL);
      g_autoptr(GHashTable) projections =
        projections_new ("five_hour", now, resets, base, rows[i].base, now, rows[i].now_pct, NULL);
      g_autoptr(GPtrArray) alerts = NULL;

      g_test_message ("row %u", i);
      rules_init (&rules);
      rules.settings.n_thresholds[GAUGE_LIMIT_GROUP_FIVE_HOUR] = 0;
      alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, projections);

      if (rows[i].body != NULL)
        {
          g_assert_cmpuint (alerts->len, ==, 1);
          g_assert_cmpint (nth (alerts, 0)->rule, ==, GAUGE_ALERT_PACE);
          g_assert_cmpstr (nth (alerts, 0)->title, ==, "5-hour limit running out");
          g_assert_cmpstr (nth (alerts, 0)->body, ==, rows[i].body);
          g_assert_cmpint (nth (alerts, 0)->urgency, ==, GAUGE_ALERT_URGENCY_NORMAL);
        }
      else
        g_assert_cmpuint (alerts->len, ==, 0);

      g_hash_table_unref (rules.sent);
    }
}

/* The last reading of the previous window says nothing about the new one's
 * pace: 10 % at 12:00 of the window that reset at 12:05, then 50 % at 12:30
 * of the next one would read as 40 % in 30 minutes. */
static void
test_pace_previous_window (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 30);
  g_autoptr(GDateTime) resets = at (17, 5);
  g_autoptr(GaugeLimitsSnapshot) snapshot = snapshot_new (now, "five_hour", 50.0, resets, NULL);
  const GaugeHistoryPoint points[] = {
    { .t = g_date_time_to_unix (now) - 30 * 60, .value = 10,
      .resets_at = g_date_time_to_unix (now) - 25 * 60 },
    { .t = g_date_time_to_unix (now), .value = 50, .resets_at = g_date_time_to_unix (resets) },
  };
  g_autoptr(GHashTable) projections =
    projections_from_points ("five_hour", now, points, G_N_ELEMENTS (points));
  g_autoptr(GPtrArray) alerts = NULL;

  rules_init (&rules);
  rules.settings.n_thresholds[GAUGE_LIMIT_GROUP_FIVE_HOUR] = 0;
  alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, projections);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

/* A snapshot older than the time it projects to (the monitor is offline):
 * "runs out at 13:30" is no warning at 13:40. */
static void
test_pace_in_the_past (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) base = at (12, 0);
  g_autoptr(GDateTime) fetched = at (12, 30);
  g_autoptr(GDateTime) now = at (13, 40);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GaugeLimitsSnapshot) snapshot = snapshot_new (fetched, "five_hour", 60.0, resets, NULL);
  g_autoptr(GHashTable) projections =
    projections_new ("five_hour", now, resets, base, 40.0, fetched, 60.0, NULL);
  g_autoptr(GPtrArray) alerts = NULL;

  rules_init (&rules);
  rules.settings.n_thresholds[GAUGE_LIMIT_GROUP_FIVE_HOUR] = 0;
  alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OFFLINE, NULL, NULL, projections);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

/* Extra usage is money spent, not a limit that stops work: no pace warning. */
static void
test_pace_not_extra_usage (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) base = at (12, 0);
  g_autoptr(GDateTime) now = at (12, 30);
  g_autoptr(GDateTime) resets = g_date_time_new_utc (2030, 2, 1, 0, 0, 0);
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GaugeLimitsSnapshot) snapshot = NULL;
  g_autoptr(GHashTable) projections =
    projections_new ("extra_usage", now, resets, base, 40.0, now, 60.0, NULL);
  g_autoptr(GPtrArray) alerts = NULL;

  g_ptr_array_add (windows, gauge_limit_window_new_money ("extra_usage", "Extra usage", 60,
                                                          3000, 5000, "USD", resets));
  snapshot = gauge_limits_snapshot_new (windows, GAUGE_SOURCE_OFFICIAL, now);
  g_assert_cmpint (((GaugeProjection *) g_hash_table_lookup (projections, "extra_usage"))->kind,
                   ==, GAUGE_PROJECTION_REACHES_LIMIT);

  rules_init (&rules);
  rules.settings.n_thresholds[GAUGE_LIMIT_GROUP_EXTRA_USAGE] = 0;
  alerts = run (&rules, now, snapshot, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, projections);
  g_assert_cmpuint (alerts->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

/* A threshold alert already says how close the limit is: the pace waits for
 * the next reading. */
static void
test_pace_after_threshold (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) base = at (12, 0);
  g_autoptr(GDateTime) t1 = at (12, 30);
  g_autoptr(GDateTime) t2 = at (12, 35);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GaugeLimitsSnapshot) s1 = snapshot_new (t1, "five_hour", 85.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) s2 = snapshot_new (t2, "five_hour", 90.0, resets, NULL);
  g_autoptr(GHashTable) p1 =
    projections_new ("five_hour", t1, resets, base, 40.0, t1, 85.0, NULL);
  g_autoptr(GHashTable) p2 =
    projections_new ("five_hour", t2, resets, base, 40.0, t1, 85.0, t2, 90.0, NULL);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL;

  rules_init (&rules);
  a1 = run (&rules, t1, s1, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, p1);
  g_assert_cmpuint (a1->len, ==, 1);
  g_assert_cmpint (nth (a1, 0)->rule, ==, GAUGE_ALERT_THRESHOLD);

  /* 12:30 to 12:35 is under half of 30 minutes; 12:00 to 12:35 is over half
   * of 60: 50 % in 35 min, 10 % left → 12:42. */
  a2 = run (&rules, t2, s2, s1, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, p2);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_PACE);
  g_assert_cmpstr (nth (a2, 0)->body, ==,
                   "At this pace your 5-hour limit runs out at 12:42, 2 h 18 min before it resets.");
  g_hash_table_unref (rules.sent);
}

static void
test_pace_once_per_window (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) base = at (12, 0);
  g_autoptr(GDateTime) now = at (12, 30);
  g_autoptr(GDateTime) later = at (12, 40);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GaugeLimitsSnapshot) s1 = snapshot_new (now, "five_hour", 60.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) s2 = snapshot_new (later, "five_hour", 70.0, resets, NULL);
  g_autoptr(GHashTable) p1 = projections_new ("five_hour", now, resets, base, 40.0, now, 60.0,
                                              NULL);
  g_autoptr(GHashTable) p2 = projections_new ("five_hour", later, resets, base, 40.0, now, 60.0,
                                              later, 70.0, NULL);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL;

  rules_init (&rules);
  rules.settings.n_thresholds[GAUGE_LIMIT_GROUP_FIVE_HOUR] = 0;
  a1 = run (&rules, now, s1, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, p1);
  g_assert_cmpuint (a1->len, ==, 1);
  /* Still running out, sooner: already told for this window. */
  g_assert_cmpint (((GaugeProjection *) g_hash_table_lookup (p2, "five_hour"))->kind, ==,
                   GAUGE_PROJECTION_REACHES_LIMIT);
  a2 = run (&rules, later, s2, s1, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, p2);
  g_assert_cmpuint (a2->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

static void
test_reset (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) t1 = at (14, 0);
  g_autoptr(GDateTime) t2 = at (15, 1);
  g_autoptr(GDateTime) t3 = at (15, 10);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GDateTime) next_resets = at (20, 0);
  g_autoptr(GDateTime) weekly = g_date_time_new_utc (2030, 1, 18, 9, 0, 0);
  g_autoptr(GaugeLimitsSnapshot) high =
    snapshot_new (t1, "five_hour", 90.0, resets, "seven_day", 50.0, weekly, NULL);
  g_autoptr(GaugeLimitsSnapshot) back =
    snapshot_new (t2, "five_hour", 3.0, next_resets, "seven_day", 51.0, weekly, NULL);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL, passed = NULL;

  rules_init (&rules);
  a1 = run (&rules, t1, high, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a1->len, ==, 1);

  /* Before any new reading: the reset time passing is enough. */
  passed = run (&rules, t2, high, high, GAUGE_LIMITS_MONITOR_STATE_OFFLINE, NULL, NULL, NULL);
  g_assert_cmpuint (passed->len, ==, 1);
  g_assert_cmpstr (nth (passed, 0)->title, ==, "Your 5-hour limit is back");
  g_assert_cmpstr (nth (passed, 0)->body, ==, "It reset at 15:00.");
  g_assert_cmpint (nth (passed, 0)->urgency, ==, GAUGE_ALERT_URGENCY_LOW);

  /* The new reading names the new window: already told. The weekly one never
   * crossed a threshold, so it says nothing. */
  a2 = run (&rules, t2, back, high, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a2->len, ==, 0);
  a3 = run (&rules, t3, back, back, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a3->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

static void
test_reset_by_new_reading (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) t1 = at (14, 0);
  g_autoptr(GDateTime) t2 = at (14, 59);
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GDateTime) next_resets = at (19, 59);
  g_autoptr(GaugeLimitsSnapshot) high = snapshot_new (t1, "five_hour", 96.0, resets, NULL);
  g_autoptr(GaugeLimitsSnapshot) back = snapshot_new (t2, "five_hour", 2.0, next_resets, NULL);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL;

  rules_init (&rules);
  a1 = run (&rules, t1, high, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a1->len, ==, 1);
  /* An early reset (the window moved): told with the new percent. */
  a2 = run (&rules, t2, back, high, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpstr (nth (a2, 0)->title, ==, "Your 5-hour limit is back");
  g_assert_cmpstr (nth (a2, 0)->body, ==, "It reset at 15:00 and is at 2 % now.");

  /* With the reset switch off, nothing. */
  g_hash_table_remove_all (rules.sent);
  rules.settings.reset = FALSE;
  g_clear_pointer (&a1, g_ptr_array_unref);
  g_clear_pointer (&a2, g_ptr_array_unref);
  a1 = run (&rules, t1, high, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  a2 = run (&rules, t2, back, high, GAUGE_LIMITS_MONITOR_STATE_OK, NULL, NULL, NULL);
  g_assert_cmpuint (a2->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

static void
test_expired_once (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL;

  rules_init (&rules);
  a1 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_EXPIRED, "hash-a", NULL, NULL);
  g_assert_cmpuint (a1->len, ==, 1);
  g_assert_cmpint (nth (a1, 0)->rule, ==, GAUGE_ALERT_EXPIRED);
  g_assert_cmpstr (nth (a1, 0)->key, ==, "expired:hash-a");
  a2 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_EXPIRED, "hash-a", NULL, NULL);
  g_assert_cmpuint (a2->len, ==, 0);
  /* Signed in again, and that token expired too: a new expiry. */
  a3 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_OK, "hash-b", NULL, NULL);
  g_assert_cmpuint (a3->len, ==, 0);
  a4 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_EXPIRED, "hash-b", NULL, NULL);
  g_assert_cmpuint (a4->len, ==, 1);
  g_hash_table_unref (rules.sent);
}

static void
test_cooldown_once (void)
{
  Rules rules = { 0 };
  g_autoptr(GDateTime) now = at (12, 0);
  g_autoptr(GDateTime) short_end = at (12, 20);
  g_autoptr(GDateTime) long_end = at (12, 40);
  g_autoptr(GDateTime) later = at (12, 10);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL;

  rules_init (&rules);
  a1 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED, NULL, short_end, NULL);
  g_assert_cmpuint (a1->len, ==, 0);
  a2 = run (&rules, now, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED, NULL, long_end, NULL);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_COOLDOWN);
  g_assert_cmpstr (nth (a2, 0)->body, ==,
                   "Anthropic asked Claude Gauge to wait. Limits will update again at 12:40.");
  a3 = run (&rules, later, NULL, NULL, GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED, NULL, long_end, NULL);
  g_assert_cmpuint (a3->len, ==, 0);
  g_hash_table_unref (rules.sent);
}

/* --- Console budgets ------------------------------------------------------- */

#define DOLLARS(x) ((gint64) ((x) * 100000000.0 + 0.5))

static GPtrArray *
run_budgets (GHashTable            *sent,
             GDateTime             *now,
             const GaugeBudgetItem *items,
             gsize                  n_items)
{
  GaugeBudgetInput input = {
    .now = now, .items = items, .n_items = n_items,
    .is_sent = lookup_sent, .is_sent_data = sent,
  };
  GPtrArray *alerts = gauge_alert_rules_evaluate_budgets (&input);

  /* As the notifier does: what is returned is remembered. */
  for (guint i = 0; i < alerts->len; i++)
    {
      GaugeAlert *alert = g_ptr_array_index (alerts, i);

      g_hash_table_add (sent, g_strdup (alert->key));
      for (guint j = 0; alert->covered_keys != NULL && alert->covered_keys[j] != NULL; j++)
        g_hash_table_add (sent, g_strdup (alert->covered_keys[j]));
    }
  return alerts;
}

static void
test_budget_table (void)
{
  static const struct {
    double      spent, projection, budget;
    const char *key;        /* NULL: nothing */
    const char *covered;    /* NULL: none */
    GaugeAlertRule rule;
  } cases[] = {
    { 500, 700, 1000, NULL, NULL, 0 },                                      /* under, on course */
    { 500, 1200, 1000, "budget-projection:wrkspc_a:2025-11", NULL, GAUGE_ALERT_BUDGET_PROJECTION },
    { 799.99, 900, 1000, NULL, NULL, 0 },
    { 800, 900, 1000, "budget:wrkspc_a:2025-11:80", NULL, GAUGE_ALERT_BUDGET },
    { 850, 1500, 1000, "budget:wrkspc_a:2025-11:80", "budget-projection:wrkspc_a:2025-11",
      GAUGE_ALERT_BUDGET },                        /* its body tells the projection too */
    { 1000, 1100, 1000, "budget:wrkspc_a:2025-11:100", "budget:wrkspc_a:2025-11:80",
      GAUGE_ALERT_BUDGET },
    { 1000, 1100, 0, NULL, NULL, 0 },                                       /* no budget */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 11, 20, 12, 0, 0);
      GaugeBudgetItem item = { "wrkspc_a", "Research", DOLLARS (cases[i].spent),
                               DOLLARS (cases[i].projection), DOLLARS (cases[i].budget) };
      g_autoptr(GPtrArray) alerts = run_budgets (sent, now, &item, 1);

      g_test_message ("case %u", i);
      if (cases[i].key == NULL)
        {
          g_assert_cmpuint (alerts->len, ==, 0);
          continue;
        }
      g_assert_cmpuint (alerts->len, ==, 1);
      g_assert_cmpstr (nth (alerts, 0)->key, ==, cases[i].key);
      g_assert_cmpint (nth (alerts, 0)->rule, ==, cases[i].rule);
      if (cases[i].covered != NULL)
        g_assert_true (g_strv_contains ((const char * const *) nth (alerts, 0)->covered_keys,
                                        cases[i].covered));
    }
}

static void
test_budget_once_per_month (void)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) nov = g_date_time_new_utc (2025, 11, 10, 9, 0, 0);
  g_autoptr(GDateTime) nov_later = g_date_time_new_utc (2025, 11, 30, 23, 0, 0);
  g_autoptr(GDateTime) dec = g_date_time_new_utc (2025, 12, 2, 9, 0, 0);
  GaugeBudgetItem items[] = {
    { GAUGE_BUDGET_ORGANIZATION, "Acme", DOLLARS (818.66), DOLLARS (1482.79), DOLLARS (1000) },
    { GAUGE_BUDGET_DEFAULT_WORKSPACE, "Default", DOLLARS (90), DOLLARS (120), DOLLARS (100) },
  };
  g_autoptr(GPtrArray) a1 = NULL;
  g_autoptr(GPtrArray) a2 = NULL;
  g_autoptr(GPtrArray) a3 = NULL;
  g_autoptr(GPtrArray) a4 = NULL;
  g_autoptr(GPtrArray) a5 = NULL;

  /* 81.9 % of the organization's budget, 90 % of the default workspace's. */
  a1 = run_budgets (sent, nov, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (a1->len, ==, 2);
  g_assert_cmpstr (nth (a1, 0)->key, ==, "budget:organization:2025-11:80");
  g_assert_cmpstr (nth (a1, 0)->title, ==, "Acme's spend at 81.9 % of its budget");
  g_assert_cmpstr (nth (a1, 0)->body, ==, "$818.66 of $1,000.00 this month · projected $1,482.79");
  g_assert_cmpint (nth (a1, 0)->urgency, ==, GAUGE_ALERT_URGENCY_NORMAL);
  g_assert_cmpstr (nth (a1, 1)->key, ==, "budget:default:2025-11:80");
  g_assert_cmpstr (nth (a1, 1)->title, ==, "Workspace “Default” at 90 % of its budget");

  /* Same month, same figures: nothing (the projection went along with the 80 %). */
  a2 = run_budgets (sent, nov, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (a2->len, ==, 0);

  /* A budget below 80 % whose projection goes over: told once that month. */
  items[1].id = "wrkspc_c";
  items[1].name = "Ops";
  items[1].spent = DOLLARS (50);
  items[1].budget = DOLLARS (200);
  items[1].projection = DOLLARS (150);
  a3 = run_budgets (sent, nov, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (a3->len, ==, 0);
  items[1].projection = DOLLARS (250);
  g_clear_pointer (&a3, g_ptr_array_unref);
  a3 = run_budgets (sent, nov, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (a3->len, ==, 1);
  g_assert_cmpint (nth (a3, 0)->rule, ==, GAUGE_ALERT_BUDGET_PROJECTION);
  g_assert_cmpstr (nth (a3, 0)->key, ==, "budget-projection:wrkspc_c:2025-11");
  g_assert_cmpstr (nth (a3, 0)->title, ==, "Workspace “Ops” is on course to exceed its budget");
  g_assert_cmpstr (nth (a3, 0)->body, ==,
                   "Projected $250.00 by the end of the month, against a budget of $200.00 "
                   "($50.00 so far)");
  g_clear_pointer (&a3, g_ptr_array_unref);
  a3 = run_budgets (sent, nov, items, G_N_ELEMENTS (items));
  g_assert_cmpuint (a3->len, ==, 0);

  /* Over budget later that month: 100 % once, critical; the projection says no more. */
  items[0].spent = DOLLARS (1001);
  a4 = run_budgets (sent, nov_later, items, 1);
  g_assert_cmpuint (a4->len, ==, 1);
  g_assert_cmpstr (nth (a4, 0)->key, ==, "budget:organization:2025-11:100");
  g_assert_cmpint (nth (a4, 0)->urgency, ==, GAUGE_ALERT_URGENCY_CRITICAL);
  g_clear_pointer (&a4, g_ptr_array_unref);
  a4 = run_budgets (sent, nov_later, items, 1);
  g_assert_cmpuint (a4->len, ==, 0);

  /* A new month: told again. */
  a5 = run_budgets (sent, dec, items, 1);
  g_assert_cmpuint (a5->len, ==, 1);
  g_assert_cmpstr (nth (a5, 0)->key, ==, "budget:organization:2025-12:100");
  g_assert_true (g_strv_contains ((const char * const *) nth (a5, 0)->covered_keys,
                                  "budget:organization:2025-12:80"));
}

static void
test_budget_mute_and_thresholds (void)
{
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 11, 10, 9, 0, 0);
  static const double custom[] = { 50, 75.5 };
  GaugeBudgetItem item = { "wrkspc_b", NULL, DOLLARS (80), DOLLARS (100), DOLLARS (100) };
  GaugeBudgetInput input = {
    .now = now, .items = &item, .n_items = 1, .thresholds = custom,
    .n_thresholds = G_N_ELEMENTS (custom), .mute_until_unix = g_date_time_to_unix (now) + 60,
    .is_sent = lookup_sent, .is_sent_data = sent,
  };
  g_autoptr(GPtrArray) alerts = gauge_alert_rules_evaluate_budgets (&input);

  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (nth (alerts, 0)->key, ==, "budget:wrkspc_b:2025-11:75.5");
  g_assert_cmpstr (nth (alerts, 0)->title, ==, "Workspace “wrkspc_b” at 80 % of its budget");
  g_assert_true (nth (alerts, 0)->muted);
}

/* Evaluates with the local block's facts, and remembers, as the notifier does. */
static GPtrArray *
run_local (Rules                      *rules,
           GDateTime                  *now,
           GaugeLimitsSnapshot        *snapshot,
           const GaugeLocalAlertFacts *local)
{
  GaugeAlertInput input = {
    .now = now, .snapshot = snapshot, .state = GAUGE_LIMITS_MONITOR_STATE_OK,
    .settings = &rules->settings, .local = local,
    .is_sent = lookup_sent, .is_sent_data = rules->sent,
  };
  GPtrArray *alerts = gauge_alert_rules_evaluate (&input);

  for (guint i = 0; i < alerts->len; i++)
    g_hash_table_add (rules->sent, g_strdup (nth (alerts, i)->key));
  return alerts;
}

static void
local_rules_init (Rules *rules)
{
  rules_init (rules);
  rules->settings.pace = FALSE;
  rules->settings.session_ending = TRUE;
  rules->settings.session_ending_minutes = 30;
  rules->settings.inactivity = TRUE;
  rules->settings.inactivity_minutes = 10;
  rules->settings.plan_switch = TRUE;
}

/* The 5-hour window's end: the official reset when known, else the local block's; once
 * per window, minutes as set, nothing when the switch is off. */
static void
test_session_ending (void)
{
  Rules rules;
  g_autoptr(GDateTime) resets = at (15, 0);
  g_autoptr(GDateTime) t1 = at (14, 25);
  g_autoptr(GDateTime) t2 = at (14, 35);
  g_autoptr(GDateTime) t3 = at (14, 50);
  g_autoptr(GDateTime) t4 = at (17, 40);
  g_autoptr(GaugeLimitsSnapshot) official = snapshot_new (t2, "five_hour", 40.0, resets, NULL);
  /* A local block from 13:00 to 18:00, last used at 17:35. */
  GaugeLocalAlertFacts local = { 0 };
  g_autoptr(GDateTime) block_start = at (13, 0);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL, a5 = NULL;

  local_rules_init (&rules);
  rules.settings.inactivity = FALSE;
  local.block_start_unix = g_date_time_to_unix (block_start);
  local.block_end_unix = local.block_start_unix + 5 * 3600;
  local.last_entry_unix = local.block_end_unix - 25 * 60;

  a1 = run_local (&rules, t1, official, &local);
  g_assert_cmpuint (a1->len, ==, 0);

  /* The official window is the truth, even with a local block beside it. */
  a2 = run_local (&rules, t2, official, &local);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_SESSION_ENDING);
  g_assert_cmpstr (nth (a2, 0)->title, ==, "5-hour window ends in 25 minutes");
  g_assert_cmpstr (nth (a2, 0)->body, ==, "Your 5-hour limit resets at 15:00.");

  a3 = run_local (&rules, t3, official, &local);
  g_assert_cmpuint (a3->len, ==, 0);

  /* No official reading: the local block's end. */
  a4 = run_local (&rules, t4, NULL, &local);
  g_assert_cmpuint (a4->len, ==, 1);
  g_assert_cmpstr (nth (a4, 0)->title, ==, "5-hour window ends in 20 minutes");
  g_assert_cmpstr (nth (a4, 0)->body, ==,
                   "The local 5-hour block ends at 18:00 (an estimate from your transcripts).");

  /* A restart: the same keys, remembered, are not told again; a shorter setting or the
   * switch off says nothing new either. */
  rules.settings.session_ending_minutes = 5;
  a5 = run_local (&rules, t4, NULL, &local);
  g_assert_cmpuint (a5->len, ==, 0);
  g_hash_table_remove_all (rules.sent);
  rules.settings.session_ending_minutes = 30;
  rules.settings.session_ending = FALSE;
  g_clear_pointer (&a5, g_ptr_array_unref);
  a5 = run_local (&rules, t4, NULL, &local);
  g_assert_cmpuint (a5->len, ==, 0);

  g_hash_table_unref (rules.sent);
}

/* Idle minutes in the active block: once per idle stretch. */
static void
test_inactivity (void)
{
  Rules rules;
  g_autoptr(GDateTime) t9 = at (14, 9);
  g_autoptr(GDateTime) t10 = at (14, 10);
  g_autoptr(GDateTime) t20 = at (14, 20);
  g_autoptr(GDateTime) t41 = at (14, 41);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL;
  GaugeLocalAlertFacts local = {
    g_date_time_to_unix (t10) - 70 * 60, g_date_time_to_unix (t10) + 230 * 60,
    g_date_time_to_unix (t10) - 10 * 60, FALSE, NULL,
  };

  local_rules_init (&rules);
  rules.settings.session_ending = FALSE;

  a1 = run_local (&rules, t9, NULL, &local);
  g_assert_cmpuint (a1->len, ==, 0);
  a2 = run_local (&rules, t10, NULL, &local);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_INACTIVITY);
  g_assert_cmpstr (nth (a2, 0)->title, ==, "No Claude Code usage for 10 minutes");
  g_assert_cmpstr (nth (a2, 0)->body, ==, "The 5-hour block stays open until 18:00.");
  a3 = run_local (&rules, t20, NULL, &local);
  g_assert_cmpuint (a3->len, ==, 0);

  /* Used again at 14:30, idle again by 14:41: a new occasion. */
  local.last_entry_unix = g_date_time_to_unix (t41) - 11 * 60;
  a4 = run_local (&rules, t41, NULL, &local);
  g_assert_cmpuint (a4->len, ==, 1);
  g_assert_cmpstr (nth (a4, 0)->title, ==, "No Claude Code usage for 11 minutes");

  g_hash_table_unref (rules.sent);
}

/* The plan's limit exceeded: told once per block, with the limit now used. */
static void
test_plan_switch (void)
{
  Rules rules;
  g_autoptr(GDateTime) now = at (14, 0);
  g_autoptr(GPtrArray) a1 = NULL, a2 = NULL, a3 = NULL, a4 = NULL;
  GaugeLocalAlertFacts local = {
    g_date_time_to_unix (now) - 3600, g_date_time_to_unix (now) + 4 * 3600,
    g_date_time_to_unix (now) - 60, FALSE,
    "120k input + output tokens (largest past block: Pro’s limit was exceeded)",
  };

  local_rules_init (&rules);
  rules.settings.session_ending = FALSE;

  a1 = run_local (&rules, now, NULL, &local);
  g_assert_cmpuint (a1->len, ==, 0);
  local.limit_switched = TRUE;
  a2 = run_local (&rules, now, NULL, &local);
  g_assert_cmpuint (a2->len, ==, 1);
  g_assert_cmpint (nth (a2, 0)->rule, ==, GAUGE_ALERT_PLAN_SWITCH);
  g_assert_cmpstr (nth (a2, 0)->title, ==, "Plan’s block limit exceeded");
  g_assert_cmpstr (nth (a2, 0)->body, ==,
                   "Claude Gauge now measures blocks against 120k input + output tokens "
                   "(largest past block: Pro’s limit was exceeded).");
  a3 = run_local (&rules, now, NULL, &local);
  g_assert_cmpuint (a3->len, ==, 0);

  /* The next block: told again, unless the switch is off. */
  local.block_start_unix += 5 * 3600;
  rules.settings.plan_switch = FALSE;
  a4 = run_local (&rules, now, NULL, &local);
  g_assert_cmpuint (a4->len, ==, 0);
  rules.settings.plan_switch = TRUE;
  g_clear_pointer (&a4, g_ptr_array_unref);
  a4 = run_local (&rules, now, NULL, &local);
  g_assert_cmpuint (a4->len, ==, 1);

  g_hash_table_unref (rules.sent);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/alerts/rules/thresholds-per-group", test_thresholds_per_group);
  g_test_add_func ("/alerts/rules/extra-usage", test_extra_usage_money);
  g_test_add_func ("/alerts/rules/several-at-once", test_several_at_once);
  g_test_add_func ("/alerts/rules/restart-dedup", test_restart_dedup);
  g_test_add_func ("/alerts/rules/server-critical", test_server_critical);
  g_test_add_func ("/alerts/rules/mute", test_mute);
  g_test_add_func ("/alerts/rules/pace-arithmetic", test_pace_arithmetic);
  g_test_add_func ("/alerts/rules/pace-previous-window", test_pace_previous_window);
  g_test_add_func ("/alerts/rules/pace-in-the-past", test_pace_in_the_past);
  g_test_add_func ("/alerts/rules/pace-not-extra-usage", test_pace_not_extra_usage);
  g_test_add_func ("/alerts/rules/pace-after-threshold", test_pace_after_threshold);
  g_test_add_func ("/alerts/rules/pace-once", test_pace_once_per_window);
  g_test_add_func ("/alerts/rules/reset", test_reset);
  g_test_add_func ("/alerts/rules/reset-by-new-reading", test_reset_by_new_reading);
  g_test_add_func ("/alerts/rules/expired-once", test_expired_once);
  g_test_add_func ("/alerts/rules/cooldown-once", test_cooldown_once);
  g_test_add_func ("/alerts/rules/budget-table", test_budget_table);
  g_test_add_func ("/alerts/rules/budget-once-per-month", test_budget_once_per_month);
  g_test_add_func ("/alerts/rules/budget-mute-and-thresholds", test_budget_mute_and_thresholds);
  g_test_add_func ("/alerts/rules/session-ending", test_session_ending);
  g_test_add_func ("/alerts/rules/inactivity", test_inactivity);
  g_test_add_func ("/alerts/rules/plan-switch", test_plan_switch);

  return g_test_run ();
}
