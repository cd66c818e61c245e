/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-alert-rules"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-admin-report.h"
#include "gauge-alert-rules.h"
#include "gauge-format.h"
#include "gauge-history.h"

/*
 * Pure: everything comes in through GaugeAlertInput (the time included) and
 * the only way out is the returned list. The notifier remembers keys and
 * shows notifications; these functions only decide.
 */

static const char * const rule_names[] = {
  [GAUGE_ALERT_THRESHOLD] = "threshold",
  [GAUGE_ALERT_PACE] = "pace",
  [GAUGE_ALERT_RESET] = "reset",
  [GAUGE_ALERT_EXPIRED] = "expired",
  [GAUGE_ALERT_COOLDOWN] = "cooldown",
  [GAUGE_ALERT_BUDGET] = "budget",
  [GAUGE_ALERT_BUDGET_PROJECTION] = "budget-projection",
  [GAUGE_ALERT_SESSION_ENDING] = "ending",
};

void
gauge_alert_free (GaugeAlert *alert)
{
  if (alert == NULL)
    return;

  g_free (alert->key);
  g_strfreev (alert->covered_keys);
  g_free (alert->window_id);
  g_clear_pointer (&alert->resets_at, g_date_time_unref);
  g_free (alert->title);
  g_free (alert->body);
  g_free (alert);
}

/* The API's resets_at wobbles by a second or so between readings
 * (14:59:59.94, then 15:00:00.13). Two instances of one window are at least
 * five hours apart, so rounding to ten minutes names an instance safely. */
static gint64
instance_stamp (GDateTime *resets_at)
{
  gint64 unix_time = g_date_time_to_unix (resets_at);

  return ((unix_time + 300) / 600) * 600;
}

/**
 * gauge_alert_instance_key:
 * @resets_at: (nullable): the window instance's reset
 * @threshold: the threshold, or a negative number for rules without one
 *
 * Returns: (transfer full): "rule:window:instance[:threshold]"; the key an
 *   alert is remembered under
 */
char *
gauge_alert_instance_key (GaugeAlertRule  rule,
                          const char     *window_id,
                          GDateTime      *resets_at,
                          double          threshold)
{
  g_autofree char *instance = NULL;

  g_return_val_if_fail (rule < G_N_ELEMENTS (rule_names) && rule_names[rule] != NULL, NULL);
  g_return_val_if_fail (window_id != NULL, NULL);

  instance = resets_at != NULL
             ? g_strdup_printf ("%" G_GINT64_FORMAT, instance_stamp (resets_at))
             : g_strdup ("none");

  if (threshold < 0)
    return g_strdup_printf ("%s:%s:%s", rule_names[rule], window_id, instance);

  return g_strdup_printf ("%s:%s:%s:%g", rule_names[rule], window_id, instance, threshold);
}

/* Extra usage without a reset date is a monthly allowance: the month names the instance. */
static GDateTime *
dup_instance_resets_at (GaugeLimitWindow *window,
                        GDateTime        *now)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (window);

  if (resets_at != NULL)
    return g_date_time_ref (resets_at);

  if (gauge_limit_group_for_id (gauge_limit_window_get_id (window)) ==
      GAUGE_LIMIT_GROUP_EXTRA_USAGE)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
      g_autoptr(GDateTime) month = g_date_time_new_utc (g_date_time_get_year (utc),
                                                        g_date_time_get_month (utc), 1, 0, 0, 0);

      return g_date_time_add_months (month, 1);
    }

  return NULL;
}

/* For bodies: 14:59:59.6 reads as 15:00, as the user will see it happen. */
static GDateTime *
dup_display_time (GDateTime *time)
{
  gint64 unix_time = g_date_time_to_unix (time);

  if (g_date_time_get_microsecond (time) >= G_USEC_PER_SEC / 2)
    unix_time++;

  return g_date_time_new_from_unix_utc (((unix_time + 30) / 60) * 60);
}

static gboolean
was_sent (GaugeAlertSentFunc  sent_func,
          gpointer            sent_data,
          const char         *key)
{
  return sent_func != NULL && sent_func (key, sent_data);
}

static gboolean
is_sent (const GaugeAlertInput *input,
         const char            *key)
{
  return was_sent (input->is_sent, input->is_sent_data, key);
}

/* "5-hour limit", "weekly limit", "Opus weekly limit", "extra usage": for sentences. */
static char *
dup_limit_name (GaugeLimitWindow *window)
{
  const char *id = gauge_limit_window_get_id (window);
  const char *display = gauge_limit_window_get_display_name (window);
  GaugeLimitGroup group = gauge_limit_group_for_id (id);
  const char *sentence_name;
  const char *scope;

  if (group == GAUGE_LIMIT_GROUP_N)
    return g_strdup (display != NULL ? display : id);

  if ((sentence_name = gauge_limit_group_get_sentence_name (group)) != NULL)
    return g_strdup (sentence_name);

  g_assert (group == GAUGE_LIMIT_GROUP_MODEL_WEEKLY);

  /* The display name is "Weekly · Opus": keep the part after the dot. */
  scope = display != NULL ? g_strrstr (display, "· ") : NULL;
  /* Translators: %s is a model or scope, "Opus weekly limit" */
  return g_strdup_printf (_("%s weekly limit"),
                          scope != NULL ? scope + strlen ("· ")
                                        : id + strlen (gauge_limit_group_get_id_prefix (group)));
}

static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[6];
  int len = g_unichar_to_utf8 (g_unichar_totitle (first), buf);

  return g_strdup_printf ("%.*s%s", len, buf, g_utf8_next_char (text));
}

static GaugeAlert *
alert_new (GaugeAlertRule     rule,
           char              *key,
           GaugeLimitWindow  *window,
           GDateTime         *resets_at,
           double             percent,
           char              *title,
           char              *body,
           GaugeAlertUrgency  urgency)
{
  GaugeAlert *alert = g_new0 (GaugeAlert, 1);

  alert->rule = rule;
  alert->key = key;
  alert->window_id = window != NULL ? g_strdup (gauge_limit_window_get_id (window)) : NULL;
  alert->resets_at = resets_at != NULL ? g_date_time_ref (resets_at) : NULL;
  alert->percent = percent;
  alert->title = title;
  alert->body = body;
  alert->urgency = urgency;

  return alert;
}

/* The lower thresholds crossed with @alert's: remembered with it, never shown. */
static void
alert_take_covered (GaugeAlert *alert,
                    GPtrArray  *covered)
{
  g_ptr_array_add (covered, NULL);
  alert->covered_keys = (GStrv) g_ptr_array_steal (covered, NULL);
}

/* Muted alerts are returned, marked, to be remembered without being shown. */
static void
mark_muted (GPtrArray *alerts,
            GDateTime *now,
            gint64     mute_until_unix)
{
  if (g_date_time_to_unix (now) >= mute_until_unix)
    return;

  for (guint i = 0; i < alerts->len; i++)
    ((GaugeAlert *) g_ptr_array_index (alerts, i))->muted = TRUE;
}

/* --- Thresholds ----------------------------------------------------------- */

static int
compare_desc (gconstpointer a,
              gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da < db) - (da > db);
}

/* The key a threshold's alert is remembered under, for one limit or budget. */
typedef char *(*ThresholdKeyFunc) (double        threshold,
                                   gconstpointer user_data);

/*
 * Only the highest threshold crossed since the last look is told: a jump from 70 % to 97 %
 * is one event, and "80 %" followed at once by "95 %" would be noise whose first half is
 * already false. The lower ones crossed with it are added to @covered, to be remembered
 * so they do not fire later. Below a threshold already told all was said; the highest
 * untold one above it still counts (95 % after 80 %).
 *
 * Returns: the threshold to tell, with its key in @key; -1 when there is none
 */
static double
find_crossed (const double        *thresholds,
              gsize                n_thresholds,
              double               percent,
              ThresholdKeyFunc     make_key,
              gconstpointer        key_data,
              GaugeAlertSentFunc   sent_func,
              gpointer             sent_data,
              char               **key,
              GPtrArray           *covered)
{
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (double), n_thresholds);
  double crossed = -1;

  g_array_append_vals (sorted, thresholds, n_thresholds);
  g_array_sort (sorted, compare_desc);

  for (guint i = 0; i < sorted->len; i++)
    {
      double threshold = g_array_index (sorted, double, i);
      char *threshold_key;

      if (threshold <= 0 || percent < threshold)
        continue;

      threshold_key = make_key (threshold, key_data);
      if (was_sent (sent_func, sent_data, threshold_key))
        {
          g_free (threshold_key);
          break;
        }

      if (crossed < 0)
        {
          crossed = threshold;
          *key = threshold_key;
        }
      else
        g_ptr_array_add (covered, threshold_key);
    }

  return crossed;
}

static char *
dup_threshold_body (GaugeLimitWindow *window,
                    GDateTime        *now)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (window);
  g_autoptr(GDateTime) shown = resets_at != NULL ? dup_display_time (resets_at) : NULL;
  g_autofree char *reset = gauge_format_reset (shown, now);
  g_autofree char *money = NULL;

  if (gauge_limit_window_is_money (window))
    money = gauge_limit_window_format_money (window);

  if (money != NULL && reset != NULL)
    /* Translators: "$41.00 of $50.00 used. Resets in 2 h 11 min (14:00)." */
    return g_strdup_printf (_("%s used. %s."), money, reset);
  if (money != NULL)
    /* Translators: an amount of money used, "$41.00 of $50.00 used." */
    return g_strdup_printf (_("%s used."), money);
  if (reset != NULL)
    return g_strdup_printf ("%s.", reset);

  return g_strdup (_("No reset time is known."));
}

typedef struct
{
  const char *id;
  GDateTime  *resets_at;
} WindowInstance;

static char *
window_threshold_key (double        threshold,
                      gconstpointer user_data)
{
  const WindowInstance *instance = user_data;

  return gauge_alert_instance_key (GAUGE_ALERT_THRESHOLD, instance->id, instance->resets_at,
                                   threshold);
}

/* The percentage the thresholds are measured against: the window's, raised to its group's
 * highest threshold when Anthropic says the limit is critical (and to the lowest when it
 * warns), since the server knows the limit better than a local threshold does. */
static double
effective_percent (GaugeLimitWindow *window,
                   const double     *thresholds,
                   gsize             n_thresholds)
{
  double percent = gauge_limit_window_get_utilization (window);
  GaugeSeverity severity = gauge_limit_window_get_server_severity (window);
  double lowest = G_MAXDOUBLE, highest = 0;

  if (severity == GAUGE_SEVERITY_NORMAL)
    return percent;

  for (gsize i = 0; i < n_thresholds; i++)
    if (thresholds[i] > 0)
      {
        lowest = MIN (lowest, thresholds[i]);
        highest = MAX (highest, thresholds[i]);
      }

  if (highest <= 0)
    return percent;

  return MAX (percent, severity == GAUGE_SEVERITY_CRITICAL ? highest : lowest);
}

static void
check_thresholds (const GaugeAlertInput *input,
                  GaugeLimitWindow      *window,
                  GPtrArray             *alerts)
{
  const GaugeAlertSettings *settings = input->settings;
  const char *id = gauge_limit_window_get_id (window);
  GaugeLimitGroup group = gauge_limit_group_for_id (id);
  double utilization = gauge_limit_window_get_utilization (window);
  g_autoptr(GDateTime) resets_at = NULL;
  g_autoptr(GPtrArray) covered = NULL;
  g_autofree char *key = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *name = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *body = NULL;
  WindowInstance instance;
  GaugeAlert *alert;

  if (group == GAUGE_LIMIT_GROUP_N || settings->n_thresholds[group] == 0)
    return;

  /* A reading of a window that has already reset says nothing about now. */
  resets_at = dup_instance_resets_at (window, input->now);
  if (resets_at != NULL && g_date_time_compare (resets_at, input->now) <= 0)
    return;

  covered = g_ptr_array_new_with_free_func (g_free);
  instance = (WindowInstance) { id, resets_at };
  if (find_crossed (settings->thresholds[group], settings->n_thresholds[group],
                    effective_percent (window, settings->thresholds[group],
                                       settings->n_thresholds[group]),
                    window_threshold_key, &instance, input->is_sent, input->is_sent_data,
                    &key, covered) < 0)
    return;

  limit = dup_limit_name (window);
  name = capitalize (limit);
  percent = gauge_format_percent (utilization);

  body = dup_threshold_body (window, input->now);
  if (gauge_limit_window_get_server_severity (window) == GAUGE_SEVERITY_CRITICAL)
    {
      char *flagged = g_strdup_printf ("%s %s", _("Anthropic marks this limit critical."), body);

      g_free (body);
      body = flagged;
    }

  alert = alert_new (GAUGE_ALERT_THRESHOLD, g_steal_pointer (&key), window, resets_at, utilization,
                     /* Translators: "5-hour limit at 82 %" */
                     g_strdup_printf (_("%s at %s"), name, percent),
                     g_steal_pointer (&body),
                     utilization >= settings->critical ||
                     gauge_limit_window_get_server_severity (window) == GAUGE_SEVERITY_CRITICAL
                     ? GAUGE_ALERT_URGENCY_CRITICAL : GAUGE_ALERT_URGENCY_NORMAL);
  alert_take_covered (alert, covered);
  g_ptr_array_add (alerts, alert);
}

/* --- Pace ----------------------------------------------------------------- */

/*
 * The pace is the projection the window and --status --json show
 * (gauge_history_project(): the rate over the current period's last 30
 * minutes, else 60 minutes, else 2 hours). It warns when that projection
 * reaches 100 % before the window resets, and not in the past: a rate > 0 is
 * what REACHES_LIMIT means, so a flat or falling limit never warns.
 */
static void
check_pace (const GaugeAlertInput *input,
            GaugeLimitWindow      *window,
            GPtrArray             *alerts)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (window);
  const char *id = gauge_limit_window_get_id (window);
  const GaugeProjection *projection;
  g_autoptr(GDateTime) runs_out = NULL;
  g_autoptr(GDateTime) shown = NULL;
  g_autofree char *key = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *title = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *ahead = NULL;

  if (resets_at == NULL || input->projections == NULL ||
      g_date_time_compare (resets_at, input->now) <= 0)
    return;

  projection = g_hash_table_lookup (input->projections, id);
  if (projection == NULL || projection->kind != GAUGE_PROJECTION_REACHES_LIMIT ||
      projection->reaches_at >= g_date_time_to_unix (resets_at) ||
      projection->reaches_at <= g_date_time_to_unix (input->now))
    return;

  key = gauge_alert_instance_key (GAUGE_ALERT_PACE, id, resets_at, -1);
  if (is_sent (input, key))
    return;

  runs_out = g_date_time_new_from_unix_utc (projection->reaches_at);
  shown = dup_display_time (resets_at);
  limit = dup_limit_name (window);
  clock = gauge_format_clock (runs_out, input->now);
  ahead = gauge_format_duration (g_date_time_difference (shown, runs_out));
  title = capitalize (limit);

  g_ptr_array_add (alerts,
                   alert_new (GAUGE_ALERT_PACE, g_steal_pointer (&key), window, resets_at,
                              gauge_limit_window_get_utilization (window),
                              /* Translators: "5-hour limit running out" */
                              g_strdup_printf (_("%s running out"), title),
                              /* Translators: "At this pace your 5-hour limit runs out at
                               * 13:20, 40 min before it resets." */
                              g_strdup_printf (_("At this pace your %s runs out at %s, "
                                                 "%s before it resets."),
                                               limit, clock, ahead),
                              GAUGE_ALERT_URGENCY_NORMAL));
}

/* --- Reset ---------------------------------------------------------------- */

static gboolean
had_threshold_alert (const GaugeAlertInput *input,
                     const char            *id,
                     GDateTime             *resets_at)
{
  GaugeLimitGroup group = gauge_limit_group_for_id (id);

  if (group == GAUGE_LIMIT_GROUP_N)
    return FALSE;

  for (gsize i = 0; i < input->settings->n_thresholds[group]; i++)
    {
      g_autofree char *key = gauge_alert_instance_key (GAUGE_ALERT_THRESHOLD, id, resets_at,
                                                       input->settings->thresholds[group][i]);

      if (is_sent (input, key))
        return TRUE;
    }

  return FALSE;
}

/* @old is a reading of a window instance: has that instance ended? Either its
 * reset time passed, or the current reading names another instance. */
static gboolean
instance_ended (const GaugeAlertInput *input,
                GaugeLimitWindow      *old)
{
  GDateTime *resets_at = gauge_limit_window_get_resets_at (old);
  GaugeLimitWindow *current = NULL;
  GDateTime *current_resets_at;

  if (resets_at == NULL)
    return FALSE;

  if (g_date_time_compare (resets_at, input->now) <= 0)
    return TRUE;

  if (input->snapshot != NULL)
    current = gauge_limits_snapshot_lookup (input->snapshot, gauge_limit_window_get_id (old));
  if (current == NULL || current == old)
    return FALSE;

  current_resets_at = gauge_limit_window_get_resets_at (current);
  return current_resets_at != NULL &&
         instance_stamp (current_resets_at) != instance_stamp (resets_at);
}

static gboolean
has_alert_for (GPtrArray  *alerts,
               const char *key)
{
  for (guint i = 0; i < alerts->len; i++)
    if (g_str_equal (((GaugeAlert *) g_ptr_array_index (alerts, i))->key, key))
      return TRUE;

  return FALSE;
}

static void
check_reset (const GaugeAlertInput *input,
             GaugeLimitWindow      *old,
             GPtrArray             *alerts)
{
  const char *id = gauge_limit_window_get_id (old);
  GDateTime *resets_at = gauge_limit_window_get_resets_at (old);
  GaugeLimitWindow *current = NULL;
  g_autoptr(GDateTime) shown = NULL;
  g_autofree char *key = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *body = NULL;

  if (!instance_ended (input, old) || !had_threshold_alert (input, id, resets_at))
    return;

  key = gauge_alert_instance_key (GAUGE_ALERT_RESET, id, resets_at, -1);
  if (is_sent (input, key) || has_alert_for (alerts, key))
    return;

  if (input->snapshot != NULL)
    current = gauge_limits_snapshot_lookup (input->snapshot, id);
  if (current != NULL && gauge_limit_window_get_resets_at (current) != NULL &&
      instance_stamp (gauge_limit_window_get_resets_at (current)) == instance_stamp (resets_at))
    current = NULL;  /* still the old reading: its percent is the old one */

  shown = dup_display_time (resets_at);
  limit = dup_limit_name (old);
  clock = gauge_format_clock (shown, input->now);
  if (current != NULL)
    {
      g_autofree char *percent = gauge_format_percent (gauge_limit_window_get_utilization (current));

      /* Translators: "It reset at 15:00 and is at 3 % now." */
      body = g_strdup_printf (_("It reset at %s and is at %s now."), clock, percent);
    }
  else
    body = g_strdup_printf (_("It reset at %s."), clock);

  g_ptr_array_add (alerts,
                   alert_new (GAUGE_ALERT_RESET, g_steal_pointer (&key), old, resets_at,
                              current != NULL ? gauge_limit_window_get_utilization (current) : -1,
                              /* Translators: "Your 5-hour limit is back" */
                              g_strdup_printf (_("Your %s is back"), limit),
                              g_steal_pointer (&body), GAUGE_ALERT_URGENCY_LOW));
}

/* --- Account -------------------------------------------------------------- */

static void
check_account (const GaugeAlertInput *input,
               GPtrArray             *alerts)
{
  g_autofree char *key = NULL;

  if (input->state == GAUGE_LIMITS_MONITOR_STATE_EXPIRED)
    {
      key = g_strdup_printf ("expired:%s", input->token_id != NULL ? input->token_id : "unknown");
      if (is_sent (input, key))
        return;

      g_ptr_array_add (alerts,
                       alert_new (GAUGE_ALERT_EXPIRED, g_steal_pointer (&key), NULL, NULL, -1,
                                  g_strdup (_("Claude sign-in expired")),
                                  g_strdup (_("Claude Gauge cannot read your limits until you "
                                              "sign in again in Claude Code.")),
                                  GAUGE_ALERT_URGENCY_NORMAL));
    }
  else if (input->state == GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED && input->cooldown_until != NULL &&
           g_date_time_difference (input->cooldown_until, input->now) >
             GAUGE_ALERT_COOLDOWN_MIN * G_TIME_SPAN_SECOND)
    {
      g_autofree char *clock = NULL;

      key = g_strdup_printf ("cooldown:%" G_GINT64_FORMAT,
                             g_date_time_to_unix (input->cooldown_until));
      if (is_sent (input, key))
        return;

      clock = gauge_format_clock (input->cooldown_until, input->now);
      g_ptr_array_add (alerts,
                       alert_new (GAUGE_ALERT_COOLDOWN, g_steal_pointer (&key), NULL, NULL, -1,
                                  g_strdup (_("Limits are not updating")),
                                  /* Translators: %s is a time, "14:40" */
                                  g_strdup_printf (_("Anthropic asked Claude Gauge to wait. "
                                                     "Limits will update again at %s."), clock),
                                  GAUGE_ALERT_URGENCY_NORMAL));
    }
}

/* --- The local block -------------------------------------------------------- */

/* Where the 5-hour window ends: the official reset is the truth; the local block's end is
 * the estimate when there is none. */
static GDateTime *
dup_window_end (const GaugeAlertInput *input,
                const char           **source)
{
  GaugeLimitWindow *official = NULL;

  for (guint i = 0; input->snapshot != NULL &&
                    i < gauge_limits_snapshot_get_n_windows (input->snapshot); i++)
    {
      GaugeLimitWindow *window = gauge_limits_snapshot_get_window (input->snapshot, i);

      if (g_strcmp0 (gauge_limit_window_get_id (window), "five_hour") == 0)
        official = window;
    }

  if (official != NULL && gauge_limit_window_get_resets_at (official) != NULL)
    {
      *source = "five_hour";
      return g_date_time_ref (gauge_limit_window_get_resets_at (official));
    }
  if (input->local != NULL && input->local->block_start_unix > 0)
    {
      *source = "block";
      return g_date_time_new_from_unix_utc (input->local->block_end_unix);
    }
  return NULL;
}

static void
check_session_ending (const GaugeAlertInput *input,
                      GPtrArray             *alerts)
{
  const char *source = NULL;
  g_autoptr(GDateTime) ends = dup_window_end (input, &source);
  g_autoptr(GDateTime) shown = NULL;
  g_autofree char *key = NULL;
  g_autofree char *clock = NULL;
  GTimeSpan left;
  gint64 minutes;

  if (ends == NULL)
    return;
  left = g_date_time_difference (ends, input->now);
  if (left <= 0 || left > (GTimeSpan) input->settings->session_ending_minutes * G_TIME_SPAN_MINUTE)
    return;

  key = gauge_alert_instance_key (GAUGE_ALERT_SESSION_ENDING, source, ends, -1);
  if (is_sent (input, key))
    return;

  shown = dup_display_time (ends);
  clock = gauge_format_clock (shown, input->now);
  minutes = (left + G_TIME_SPAN_MINUTE / 2) / G_TIME_SPAN_MINUTE;
  g_ptr_array_add (alerts,
                   alert_new (GAUGE_ALERT_SESSION_ENDING, g_steal_pointer (&key), NULL, ends, -1,
                              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "5-hour window ends in %d minute",
                                                            "5-hour window ends in %d minutes",
                                                            minutes),
                                               (int) minutes),
                              g_str_equal (source, "five_hour")
                                /* Translators: %s is a time, "15:00" */
                                ? g_strdup_printf (_("Your 5-hour limit resets at %s."), clock)
                                /* Translators: %s is a time, "15:00" */
                                : g_strdup_printf (_("The local 5-hour block ends at %s "
                                                     "(an estimate from your transcripts)."),
                                                   clock),
                              GAUGE_ALERT_URGENCY_LOW));
}

static void
check_inactivity (const GaugeAlertInput *input,
                  GPtrArray             *alerts)
{
  const GaugeLocalAlertFacts *local = input->local;
  gint64 now = g_date_time_to_unix (input->now);
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) ends = NULL;
  g_autofree char *clock = NULL;
  gint64 idle;

  if (local == NULL || local->block_start_unix <= 0 || now >= local->block_end_unix)
    return;
  idle = (now - local->last_entry_unix) / 60;
  if (idle < input->settings->inactivity_minutes)
    return;

  /* One idle stretch is one occasion: the last usage names it. */
  key = g_strdup_printf ("inactivity:block:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                         local->block_start_unix, local->last_entry_unix);
  if (is_sent (input, key))
    return;

  ends = g_date_time_new_from_unix_utc (local->block_end_unix);
  clock = gauge_format_clock (ends, input->now);
  g_ptr_array_add (alerts,
                   alert_new (GAUGE_ALERT_INACTIVITY, g_steal_pointer (&key), NULL, NULL, -1,
                              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "No Claude Code usage for %d minute",
                                                            "No Claude Code usage for %d minutes",
                                                            idle),
                                               (int) idle),
                              /* Translators: %s is a time, "15:00" */
                              g_strdup_printf (_("The 5-hour block stays open until %s."), clock),
                              GAUGE_ALERT_URGENCY_LOW));
}

static void
check_plan_switch (const GaugeAlertInput *input,
                   GPtrArray             *alerts)
{
  const GaugeLocalAlertFacts *local = input->local;
  g_autofree char *key = NULL;

  if (local == NULL || local->block_start_unix <= 0 || !local->limit_switched)
    return;

  key = g_strdup_printf ("plan-switch:block:%" G_GINT64_FORMAT, local->block_start_unix);
  if (is_sent (input, key))
    return;

  g_ptr_array_add (alerts,
                   alert_new (GAUGE_ALERT_PLAN_SWITCH, g_steal_pointer (&key), NULL, NULL, -1,
                              g_strdup (_("Plan’s block limit exceeded")),
                              /* Translators: %s is a limit, "120k input + output tokens
                               * (largest past block: Pro’s limit was exceeded)" */
                              g_strdup_printf (_("Claude Gauge now measures blocks against "
                                                 "%s."),
                                               local->limit_text != NULL ? local->limit_text
                                                                         : _("your largest past block")),
                              GAUGE_ALERT_URGENCY_NORMAL));
}

/**
 * gauge_alert_rules_evaluate:
 *
 * Decides what to tell the user now. Every alert returned must be
 * remembered (its key and covered keys) whether or not it is shown.
 *
 * Returns: (transfer full) (element-type GaugeAlert): the alerts, in the order to show them
 */
GPtrArray *
gauge_alert_rules_evaluate (const GaugeAlertInput *input)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_alert_free);
  GaugeLimitsSnapshot *snapshot;

  g_return_val_if_fail (input != NULL, alerts);
  g_return_val_if_fail (input->now != NULL, alerts);
  g_return_val_if_fail (input->settings != NULL, alerts);

  snapshot = input->snapshot;

  /* Good news first: a limit that is back may be why another one is not. */
  if (input->settings->reset)
    {
      if (input->previous != NULL)
        for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (input->previous); i++)
          check_reset (input, gauge_limits_snapshot_get_window (input->previous, i), alerts);
      if (snapshot != NULL)
        for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
          check_reset (input, gauge_limits_snapshot_get_window (snapshot, i), alerts);
    }

  if (snapshot != NULL)
    {
      for (guint i = 0; i < gauge_limits_snapshot_get_n_windows (snapshot); i++)
        {
          GaugeLimitWindow *window = gauge_limits_snapshot_get_window (snapshot, i);
          guint before = alerts->len;

          check_thresholds (input, window, alerts);
          /* A threshold alert already says how close it is. */
          if (input->settings->pace && alerts->len == before &&
              !gauge_limit_window_is_money (window))
            check_pace (input, window, alerts);
        }
    }

  check_account (input, alerts);

  if (input->settings->session_ending)
    check_session_ending (input, alerts);
  if (input->settings->inactivity)
    check_inactivity (input, alerts);
  if (input->settings->plan_switch)
    check_plan_switch (input, alerts);

  /* When the mute ends the user hears about what happens next, not a burst of what
   * happened while they asked for quiet. */
  mark_muted (alerts, input->now, input->settings->mute_until_unix);

  return alerts;
}

/* --- Console budgets ------------------------------------------------------- */

static const double default_budget_thresholds[] = { 80, 100 };

static char *
month_of (GDateTime *now)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (now);

  return g_date_time_format (utc, "%Y-%m");
}

/* "budget:<workspace>:<YYYY-MM>:<threshold>": once per budget, month and threshold. */
char *
gauge_alert_budget_key (const char *id,
                        GDateTime  *now,
                        double      threshold)
{
  g_autofree char *month = month_of (now);
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (number, sizeof number, "%g", threshold);
  return g_strdup_printf ("budget:%s:%s:%s", id, month, number);
}

/* "budget-projection:<workspace>:<YYYY-MM>": once per budget and month. */
char *
gauge_alert_budget_projection_key (const char *id,
                                   GDateTime  *now)
{
  g_autofree char *month = month_of (now);

  return g_strdup_printf ("budget-projection:%s:%s", id, month);
}

static gboolean
budget_is_sent (const GaugeBudgetInput *input,
                const char             *key)
{
  return was_sent (input->is_sent, input->is_sent_data, key);
}

typedef struct
{
  const char *id;
  GDateTime  *now;
} BudgetMonth;

static char *
budget_threshold_key (double        threshold,
                      gconstpointer user_data)
{
  const BudgetMonth *month = user_data;

  return gauge_alert_budget_key (month->id, month->now, threshold);
}

static char *
budget_subject (const GaugeBudgetItem *item)
{
  if (g_strcmp0 (item->id, GAUGE_BUDGET_ORGANIZATION) == 0)
    return item->name != NULL && *item->name != '\0'
      /* Translators: the subject of a budget notification, "Acme's spend" */
      ? g_strdup_printf (_("%s's spend"), item->name)
      : g_strdup (_("The organization's spend"));

  /* Translators: the subject of a budget notification, "Workspace “Research”" */
  return g_strdup_printf (_("Workspace “%s”"), item->name != NULL ? item->name : item->id);
}

static void
check_budget (const GaugeBudgetInput *input,
              const GaugeBudgetItem  *item,
              const double           *thresholds,
              gsize                   n_thresholds,
              GPtrArray              *alerts)
{
  g_autoptr(GPtrArray) covered = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  g_autofree char *projection_key = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *spent = NULL;
  g_autofree char *budget = NULL;
  g_autofree char *projected = NULL;
  BudgetMonth month = { item->id, input->now };
  double percent;
  double crossed;
  GaugeAlert *alert;

  if (item->budget <= 0 || item->id == NULL)
    return;

  percent = 100.0 * (double) item->spent / (double) item->budget;
  crossed = find_crossed (thresholds, n_thresholds, percent, budget_threshold_key, &month,
                          input->is_sent, input->is_sent_data, &key, covered);

  subject = budget_subject (item);
  spent = gauge_admin_format_dollars (item->spent);
  budget = gauge_admin_format_dollars (item->budget);
  projected = gauge_admin_format_dollars (item->projection);
  projection_key = gauge_alert_budget_projection_key (item->id, input->now);

  if (crossed >= 0)
    {
      g_autofree char *shown = gauge_format_percent (percent);

      /* The body tells the projection; over budget already, it has nothing to add. */
      if ((item->spent >= item->budget || item->projection > item->budget) &&
          !budget_is_sent (input, projection_key))
        g_ptr_array_add (covered, g_steal_pointer (&projection_key));

      alert = alert_new (GAUGE_ALERT_BUDGET, g_steal_pointer (&key), NULL, NULL, percent,
                         /* Translators: "Workspace “Research” at 82 % of its budget" */
                         g_strdup_printf (_("%s at %s of its budget"), subject, shown),
                         /* Translators: "$818.66 of $1,000.00 this month · projected
                          * $1,482.79" */
                         g_strdup_printf (_("%s of %s this month · projected %s"),
                                          spent, budget, projected),
                         crossed >= 100 ? GAUGE_ALERT_URGENCY_CRITICAL
                                        : GAUGE_ALERT_URGENCY_NORMAL);
      alert_take_covered (alert, covered);
      g_ptr_array_add (alerts, alert);
      return;
    }

  if (item->projection > item->budget && item->spent < item->budget &&
      !budget_is_sent (input, projection_key))
    g_ptr_array_add (alerts,
                     alert_new (GAUGE_ALERT_BUDGET_PROJECTION, g_steal_pointer (&projection_key),
                                NULL, NULL, percent,
                                /* Translators: "Workspace “Research” is on course to exceed
                                 * its budget" */
                                g_strdup_printf (_("%s is on course to exceed its budget"),
                                                 subject),
                                /* Translators: "Projected $1,482.79 by the end of the month,
                                 * against a budget of $1,000.00 ($818.66 so far)" */
                                g_strdup_printf (_("Projected %s by the end of the month, "
                                                   "against a budget of %s (%s so far)"),
                                                 projected, budget, spent),
                                GAUGE_ALERT_URGENCY_NORMAL));
}

/**
 * gauge_alert_rules_evaluate_budgets:
 *
 * Console mode's budgets: for each budget, the highest threshold (percent of
 * the budget, default 80 and 100) its month-to-date spend has crossed and not
 * yet told, else a warning when the end-of-month projection exceeds it;
 * each once per UTC month. Muted ones are returned marked, as by
 * gauge_alert_rules_evaluate().
 *
 * Returns: (transfer full) (element-type GaugeAlert): what to send or remember
 */
GPtrArray *
gauge_alert_rules_evaluate_budgets (const GaugeBudgetInput *input)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_alert_free);
  const double *thresholds;
  gsize n_thresholds;

  g_return_val_if_fail (input != NULL, alerts);
  g_return_val_if_fail (input->now != NULL, alerts);

  thresholds = input->thresholds != NULL ? input->thresholds : default_budget_thresholds;
  n_thresholds = input->thresholds != NULL ? input->n_thresholds
                                           : G_N_ELEMENTS (default_budget_thresholds);

  for (gsize i = 0; i < input->n_items; i++)
    check_budget (input, &input->items[i], thresholds, n_thresholds, alerts);

  mark_muted (alerts, input->now, input->mute_until_unix);

  return alerts;
}

/* --- Prompt caches -------------------------------------------------------- */

/**
 * gauge_alert_prompt_cache_key:
 * @expires_at: unix seconds
 *
 * Returns: (transfer full): "prompt-cache:SESSION:EXPIRY": one warning per expiry of a
 *   session's cache (a new message moves the expiry, and earns a warning of its own)
 */
char *
gauge_alert_prompt_cache_key (const char *session_id,
                              gint64      expires_at)
{
  g_return_val_if_fail (session_id != NULL, NULL);

  return g_strdup_printf ("prompt-cache:%s:%" G_GINT64_FORMAT, session_id, expires_at);
}

static char *
dup_prompt_cache_body (const GaugePromptCache *cache,
                       GDateTime              *now)
{
  g_autoptr(GDateTime) expires_at = g_date_time_new_from_unix_utc (cache->expires_at);
  g_autofree char *clock = gauge_format_clock (expires_at, now);
  g_autofree char *tokens = gauge_format_tokens ((double) cache->recache_tokens);
  g_autofree char *short_id = g_utf8_substring (cache->session_id, 0,
                                                MIN (g_utf8_strlen (cache->session_id, -1), 8));
  const char *session = cache->name != NULL && *cache->name != '\0' ? cache->name : short_id;

  if (cache->ttl == 3600)
    /* Translators: "Session shop: the 1-hour cache expires at 15:42; the next message then
     * re-writes ~590k tokens." */
    return g_strdup_printf (_("Session %s: the 1-hour cache expires at %s; the next message "
                              "then re-writes ~%s tokens."), session, clock, tokens);
  if (cache->ttl == 300)
    return g_strdup_printf (_("Session %s: the 5-minute cache expires at %s; the next message "
                              "then re-writes ~%s tokens."), session, clock, tokens);

  return g_strdup_printf (_("Session %s: the prompt cache expires at %s; the next message "
                            "then re-writes ~%s tokens."), session, clock, tokens);
}

/**
 * gauge_alert_rules_evaluate_prompt_caches:
 *
 * A warm cache whose re-write would cost at least %GAUGE_PROMPT_CACHE_BUSY_TOKENS, going cold
 * within @input->minutes: one warning per session and expiry. A cache whose warmth, expiry or
 * re-write cost is unknown is never warned about.
 *
 * Returns: (transfer full) (element-type GaugeAlert): the alerts to send
 */
GPtrArray *
gauge_alert_rules_evaluate_prompt_caches (const GaugePromptCacheInput *input)
{
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) gauge_alert_free);
  gint64 now;

  g_return_val_if_fail (input != NULL && input->now != NULL, alerts);

  if (input->minutes == 0 || input->caches == NULL)
    return alerts;

  now = g_date_time_to_unix (input->now);
  for (guint i = 0; i < input->caches->len; i++)
    {
      const GaugePromptCache *cache = g_ptr_array_index (input->caches, i);
      g_autoptr(GDateTime) expires_at = NULL;
      g_autofree char *key = NULL;

      if (cache->warm != GAUGE_PROMPT_CACHE_WARM || cache->expires_at <= now ||
          cache->expires_at - now > (gint64) input->minutes * 60 ||
          cache->recache_tokens < GAUGE_PROMPT_CACHE_BUSY_TOKENS)
        continue;

      key = gauge_alert_prompt_cache_key (cache->session_id, cache->expires_at);
      if (was_sent (input->is_sent, input->is_sent_data, key))
        continue;

      expires_at = g_date_time_new_from_unix_utc (cache->expires_at);
      g_ptr_array_add (alerts,
                       alert_new (GAUGE_ALERT_PROMPT_CACHE, g_steal_pointer (&key), NULL,
                                  expires_at, -1,
                                  g_strdup (_("Prompt cache about to go cold")),
                                  dup_prompt_cache_body (cache, input->now),
                                  GAUGE_ALERT_URGENCY_NORMAL));
    }

  if (input->mute_until_unix > 0)
    mark_muted (alerts, input->now, input->mute_until_unix);

  return alerts;
}

/**
 * gauge_alert_thresholds_from_settings:
 * @settings: the application's settings
 * @group: a limit group
 *
 * The percentages at which @group's limits are notified. Its `thresholds-*` key when set to
 * a list (an override made with gsettings before Preferences had thresholds, kept so nobody
 * loses it); when empty, its default, the warning and critical thresholds of Preferences,
 * which also colour the bars: one pair of numbers for what is shown and what is told.
 *
 * Returns: (transfer full) (element-type double): percentages, in no particular order
 */
GArray *
gauge_alert_thresholds_from_settings (GSettings       *settings,
                                      GaugeLimitGroup  group)
{
  g_autoptr(GVariant) value = NULL;
  const double *values;
  gsize n = 0;
  GArray *ret;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (group < GAUGE_LIMIT_GROUP_N, NULL);

  value = g_settings_get_value (settings, gauge_limit_group_get_thresholds_key (group));
  values = g_variant_get_fixed_array (value, &n, sizeof (double));
  ret = g_array_sized_new (FALSE, FALSE, sizeof (double), MAX (n, 2));
  if (n > 0)
    g_array_append_vals (ret, values, n);
  else
    {
      double pair[] = {
        g_settings_get_double (settings, "warning-threshold"),
        g_settings_get_double (settings, "critical-threshold"),
      };

      g_array_append_vals (ret, pair, G_N_ELEMENTS (pair));
    }

  return ret;
}
