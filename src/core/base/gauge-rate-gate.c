/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-rate-gate"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-rate-gate.h"

/* A server asking for more than a day is wrong; we still come back tomorrow. */
#define RETRY_AFTER_MAX     (24 * 60 * 60)
#define BACKOFF_MIN         60
#define LEVEL_MAX           32

struct _GaugeRateGate
{
  GObject         parent_instance;

  GaugeGateReason reason;
  gint64          until_unix;
  guint           level;
};

G_DEFINE_FINAL_TYPE (GaugeRateGate, gauge_rate_gate, G_TYPE_OBJECT)

static void
gauge_rate_gate_class_init (GaugeRateGateClass *klass)
{
}

static void
gauge_rate_gate_init (GaugeRateGate *self)
{
  self->reason = GAUGE_GATE_OPEN;
}

GaugeRateGate *
gauge_rate_gate_new (void)
{
  return g_object_new (GAUGE_TYPE_RATE_GATE, NULL);
}

/* Returns: (transfer full): a gate in the same state, for a worker thread to save. */
GaugeRateGate *
gauge_rate_gate_copy (GaugeRateGate *self)
{
  GaugeRateGate *copy;

  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), NULL);

  copy = gauge_rate_gate_new ();
  copy->reason = self->reason;
  copy->until_unix = self->until_unix;
  copy->level = self->level;

  return copy;
}

/* @base << @level without overflow, capped at @cap. */
static gint64
shift_capped (gint64 base,
              guint  level,
              gint64 cap)
{
  gint64 value = base;

  for (guint i = 0; i < level && value < cap; i++)
    value *= 2;

  return MIN (value, cap);
}

/**
 * gauge_rate_gate_restore:
 *
 * Sets the state read back from the database.
 */
void
gauge_rate_gate_restore (GaugeRateGate   *self,
                         GaugeGateReason  reason,
                         gint64           until_unix,
                         guint            level)
{
  g_return_if_fail (GAUGE_IS_RATE_GATE (self));

  if (reason != GAUGE_GATE_RATE_LIMITED && reason != GAUGE_GATE_BACKOFF)
    reason = GAUGE_GATE_OPEN;

  self->reason = reason;
  self->until_unix = reason == GAUGE_GATE_OPEN ? 0 : MAX (until_unix, 0);
  self->level = reason == GAUGE_GATE_OPEN ? 0 : MIN (level, LEVEL_MAX);
}

GaugeGateReason
gauge_rate_gate_get_reason (GaugeRateGate *self)
{
  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), GAUGE_GATE_OPEN);

  return self->reason;
}

gint64
gauge_rate_gate_get_until_unix (GaugeRateGate *self)
{
  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), 0);

  return self->until_unix;
}

guint
gauge_rate_gate_get_level (GaugeRateGate *self)
{
  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), 0);

  return self->level;
}

gboolean
gauge_rate_gate_allows (GaugeRateGate *self,
                        GDateTime     *now)
{
  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return g_date_time_to_unix (now) >= self->until_unix;
}

void
gauge_rate_gate_record_success (GaugeRateGate *self)
{
  g_return_if_fail (GAUGE_IS_RATE_GATE (self));

  self->reason = GAUGE_GATE_OPEN;
  self->until_unix = 0;
  self->level = 0;
}

/* The level counts consecutive failures of one kind: a network error must not
 * make the next 429 cooldown longer, nor a 429 the next network retry. */
static guint
take_level (GaugeRateGate   *self,
            GaugeGateReason  reason)
{
  guint level = self->reason == reason ? self->level : 0;

  self->reason = reason;
  self->level = MIN (level + 1, LEVEL_MAX);

  return level;
}

/**
 * gauge_rate_gate_record_rate_limited:
 * @retry_after_seconds: from gauge_http_parse_retry_after(), -1 if none
 *
 * After a 429: waits max(Retry-After, 5 min << level), the doubling capped at
 * 1 h and Retry-After capped at 24 h.
 */
void
gauge_rate_gate_record_rate_limited (GaugeRateGate *self,
                                     GDateTime     *now,
                                     gint64         retry_after_seconds)
{
  guint level;
  gint64 wait;

  g_return_if_fail (GAUGE_IS_RATE_GATE (self));
  g_return_if_fail (now != NULL);

  level = take_level (self, GAUGE_GATE_RATE_LIMITED);
  wait = shift_capped (GAUGE_COOLDOWN_MIN, level, GAUGE_COOLDOWN_MAX);
  wait = MAX (wait, MIN (retry_after_seconds, RETRY_AFTER_MAX));

  self->until_unix = g_date_time_to_unix (now) + wait;

  g_debug ("Rate limited (level %u): waiting %" G_GINT64_FORMAT " s", level, wait);
}

/**
 * gauge_rate_gate_record_transient_failure:
 *
 * After a network error, timeout or 5xx: waits 60 s << level, never longer
 * than the poll interval and never less than 60 s.
 */
void
gauge_rate_gate_record_transient_failure (GaugeRateGate *self,
                                          GDateTime     *now,
                                          guint          poll_interval)
{
  guint level;
  gint64 wait;

  g_return_if_fail (GAUGE_IS_RATE_GATE (self));
  g_return_if_fail (now != NULL);

  level = take_level (self, GAUGE_GATE_BACKOFF);
  wait = shift_capped (BACKOFF_MIN, level, MAX (poll_interval, BACKOFF_MIN));

  self->until_unix = g_date_time_to_unix (now) + wait;

  g_debug ("Transient failure (level %u): waiting %" G_GINT64_FORMAT " s", level, wait);
}

/**
 * gauge_rate_gate_next_poll_unix:
 * @now: the current time
 * @last_fetch: (nullable): when the last request went out, %NULL if never
 * @poll_interval: seconds between polls; raised to %GAUGE_POLL_INTERVAL_MIN
 * @next_reset: (nullable): the earliest resets_at of the last reading
 *
 * Returns: when the next request should go out, in unix seconds. It may be
 *   in the past, which means "now".
 *
 * A reset pulls the poll forward to %GAUGE_RESET_GRACE after it, once: a
 * reset that had already passed (with its grace) at @last_fetch is ignored,
 * so a stale resets_at cannot turn into a poll every minute.
 */
gint64
gauge_rate_gate_next_poll_unix (GaugeRateGate *self,
                                GDateTime     *now,
                                GDateTime     *last_fetch,
                                guint          poll_interval,
                                GDateTime     *next_reset)
{
  gint64 next;

  g_return_val_if_fail (GAUGE_IS_RATE_GATE (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  poll_interval = MAX (poll_interval, GAUGE_POLL_INTERVAL_MIN);

  if (last_fetch == NULL)
    {
      next = g_date_time_to_unix (now);
    }
  else
    {
      gint64 last = g_date_time_to_unix (last_fetch);

      next = last + poll_interval;

      if (next_reset != NULL)
        {
          gint64 after_reset = g_date_time_to_unix (next_reset) + GAUGE_RESET_GRACE;

          if (after_reset > last && after_reset < next)
            next = after_reset;
        }

      next = MAX (next, last + GAUGE_POLL_INTERVAL_MIN);
    }

  return MAX (next, self->until_unix);
}
