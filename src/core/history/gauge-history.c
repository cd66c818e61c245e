/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-history"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-format.h"
#include "gauge-history.h"

/* resets_at is read to the second; the API's value wobbles by a little. */
#define RESET_TOLERANCE 60
/* Utilization never falls within one window; a drop this big is a reset. */
#define DROP_TOLERANCE 0.5

/**
 * gauge_history_point_starts_period:
 * @previous: (nullable): the reading before @point
 *
 * Returns: whether @point is the first reading after a reset: its reset
 *   time moved on, or its utilization dropped
 */
gboolean
gauge_history_point_starts_period (const GaugeHistoryPoint *previous,
                                   const GaugeHistoryPoint *point)
{
  g_return_val_if_fail (point != NULL, FALSE);

  if (previous == NULL)
    return FALSE;

  if (previous->resets_at != 0 && point->resets_at != 0 &&
      point->resets_at > previous->resets_at + RESET_TOLERANCE)
    return TRUE;

  return point->value < previous->value - DROP_TOLERANCE;
}

static void
projection_init (GaugeProjection *projection)
{
  projection->kind = GAUGE_PROJECTION_UNKNOWN;
  projection->reaches_at = 0;
  projection->ends_near = -1;
  projection->minutes_before_reset = -1;
  projection->rate_per_hour = 0;
  projection->span = 0;
}

/* The first reading at or above 100 % of the period that ends at @last. */
static gint64
first_at_limit (const GaugeHistoryPoint *readings,
                guint                    start,
                guint                    last)
{
  gint64 ret = readings[last].t;

  for (guint i = last + 1; i-- > start;)
    {
      if (readings[i].value < 100)
        break;
      ret = readings[i].t;
    }

  return ret;
}

/**
 * gauge_history_project:
 * @readings: (array length=n_readings): one window's readings, oldest first
 * @now: the current time; a window whose reset has passed gets no projection
 * @projection: (out caller-allocates): the result
 *
 * At the rate of the current period's last 30 minutes of readings (60 minutes,
 * then 2 hours when those hold fewer than two readings over at least half the
 * span), where does the window stand when it resets?
 */
void
gauge_history_project (const GaugeHistoryPoint *readings,
                       guint                    n_readings,
                       gint64                   now,
                       GaugeProjection         *projection)
{
  static const gint64 spans[] = GAUGE_PROJECTION_SPANS;
  const GaugeHistoryPoint *latest;
  gint64 resets_at;
  guint start = 0;
  guint last;
  double rate = NAN;

  g_return_if_fail (readings != NULL || n_readings == 0);
  g_return_if_fail (projection != NULL);

  projection_init (projection);

  if (n_readings == 0)
    return;

  last = n_readings - 1;
  latest = &readings[last];
  resets_at = latest->resets_at;

  /* Only the current period counts: a reset restarts the rate. */
  for (guint i = last; i > 0; i--)
    if (gauge_history_point_starts_period (&readings[i - 1], &readings[i]))
      {
        start = i;
        break;
      }

  if (resets_at != 0 && resets_at <= now)
    return;

  if (latest->value >= 100)
    {
      projection->kind = GAUGE_PROJECTION_AT_LIMIT;
      projection->reaches_at = first_at_limit (readings, start, last);
      if (resets_at != 0)
        projection->minutes_before_reset = (resets_at - projection->reaches_at + 30) / 60;  /* to the nearest minute */
      return;
    }

  for (guint s = 0; s < G_N_ELEMENTS (spans) && isnan (rate); s++)
    {
      guint first = last;

      while (first > start && readings[first - 1].t >= latest->t - spans[s])
        first--;

      if (first == last || latest->t - readings[first].t < spans[s] / 2)
        continue;

      projection->span = latest->t - readings[first].t;
      rate = (latest->value - readings[first].value) / (double) projection->span;
    }

  if (isnan (rate))
    return;

  projection->rate_per_hour = rate * 3600;

  if (rate > 0)
    {
      gint64 reaches_at = latest->t + (gint64) ceil ((100 - latest->value) / rate);

      if (resets_at == 0 || reaches_at < resets_at)
        {
          projection->kind = GAUGE_PROJECTION_REACHES_LIMIT;
          projection->reaches_at = reaches_at;
          if (resets_at != 0)
            projection->minutes_before_reset = (resets_at - reaches_at + 30) / 60;  /* to the nearest minute */
          return;
        }
    }

  if (resets_at == 0)
    return;

  projection->kind = GAUGE_PROJECTION_ENDS_NEAR;
  projection->ends_near = latest->value + MAX (rate, 0) * (double) (resets_at - latest->t);
}

/* When @projection reaches 100 %, as a clock, and how long before the reset (%NULL and
 * %FALSE when that is unknown). */
static gboolean
describe_when (const GaugeProjection  *projection,
               GDateTime              *now,
               char                  **clock,
               char                  **before)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (projection->reaches_at);

  *clock = gauge_format_clock (when, now);
  *before = projection->minutes_before_reset >= 0
            ? gauge_format_duration (projection->minutes_before_reset * G_TIME_SPAN_MINUTE)
            : NULL;
  return *before != NULL;
}

/* The two wordings side by side: a sentence of its own (@pace FALSE) or the short pace line
 * under a limit's bar (@pace TRUE). */
static char *
describe (const GaugeProjection *projection,
          GDateTime             *now,
          gboolean               pace)
{
  g_autofree char *clock = NULL;
  g_autofree char *before = NULL;

  switch (projection->kind)
    {
    case GAUGE_PROJECTION_REACHES_LIMIT:
      if (!describe_when (projection, now, &clock, &before))
        {
          if (pace)
            /* Translators: "At this pace: runs out Wed 17:54" */
            return g_strdup_printf (_("At this pace: runs out %s"), clock);
          return g_strdup_printf (_("At this pace 100 %% at %s"), clock);
        }
      if (pace)
        /* Translators: "At this pace: runs out Wed 17:54 (3 h before reset)" */
        return g_strdup_printf (_("At this pace: runs out %s (%s before reset)"), clock, before);
      /* Translators: "At this pace 100 % at 13:20, 40 min before the reset" */
      return g_strdup_printf (_("At this pace 100 %% at %s, %s before the reset"), clock, before);

    case GAUGE_PROJECTION_ENDS_NEAR:
      /* The window resets before the limit is reached. */
      if (pace)
        return g_strdup (_("On pace"));
      /* Translators: "At this pace it ends near 72 %" (when the window resets) */
      return g_strdup_printf (_("At this pace it ends near %.0f %%"),
                              MIN (projection->ends_near, 100.0));

    case GAUGE_PROJECTION_AT_LIMIT:
      describe_when (projection, now, &clock, &before);
      return g_strdup_printf (_("At 100 %% since %s"), clock);

    case GAUGE_PROJECTION_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * gauge_projection_describe:
 *
 * Returns: (transfer full) (nullable): "At this pace 100 % at 13:20, 40 min
 *   before the reset", "At this pace it ends near 72 %", or %NULL when unknown
 */
char *
gauge_projection_describe (const GaugeProjection *projection,
                           GDateTime             *now)
{
  g_return_val_if_fail (projection != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  return describe (projection, now, FALSE);
}

/**
 * gauge_projection_describe_pace:
 *
 * The pace line under a limit's bar.
 *
 * Returns: (transfer full) (nullable): "At this pace: runs out Wed 17:54 (3 h before
 *   reset)", "On pace", "At 100 % since 13:20", or %NULL when unknown
 */
char *
gauge_projection_describe_pace (const GaugeProjection *projection,
                                GDateTime             *now)
{
  g_return_val_if_fail (projection != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  return describe (projection, now, TRUE);
}

static void
limit_event_clear (gpointer data)
{
  GaugeLimitEvent *event = data;

  g_clear_pointer (&event->window, g_free);
  g_clear_pointer (&event->name, g_free);
}

/* Returns: (transfer full): an empty GArray of GaugeLimitEvent that frees their strings */
GArray *
gauge_limit_event_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (GaugeLimitEvent));

  g_array_set_clear_func (array, limit_event_clear);
  return array;
}

/**
 * gauge_limit_events_count:
 * @window: (nullable): a window id, or %NULL for all windows
 * @since: count the events reached at or after this time
 *
 * Returns: how many times @window reached its limit since @since ("3 times this week")
 */
guint
gauge_limit_events_count (GArray     *events,
                          const char *window,
                          gint64      since)
{
  guint ret = 0;

  g_return_val_if_fail (events != NULL, 0);

  for (guint i = 0; i < events->len; i++)
    {
      const GaugeLimitEvent *event = &g_array_index (events, GaugeLimitEvent, i);

      if (event->reached_at >= since && (window == NULL || g_strcmp0 (event->window, window) == 0))
        ret++;
    }

  return ret;
}

static void
history_window_free (gpointer data)
{
  GaugeHistoryWindow *window = data;

  g_free (window->id);
  g_free (window->name);
  g_free (window);
}

/* Returns: (transfer full): an empty GPtrArray of GaugeHistoryWindow */
GPtrArray *
gauge_history_window_array_new (void)
{
  return g_ptr_array_new_with_free_func (history_window_free);
}
