/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-clock"

#include "config.h"

#include "gauge-clock.h"

static GDateTime *fake_now;
G_LOCK_DEFINE_STATIC (fake_now);

/**
 * gauge_clock_set_fake:
 * @fake_now: (nullable): the time to report, or %NULL for the real clock
 *
 * Tests only: pins the clock.
 */
void
gauge_clock_set_fake (GDateTime *now)
{
  G_LOCK (fake_now);
  g_clear_pointer (&fake_now, g_date_time_unref);
  if (now != NULL)
    fake_now = g_date_time_to_utc (now);
  G_UNLOCK (fake_now);
}

GDateTime *
gauge_clock_now_utc (void)
{
  GDateTime *ret = NULL;

  G_LOCK (fake_now);
  if (fake_now != NULL)
    ret = g_date_time_ref (fake_now);
  G_UNLOCK (fake_now);

  return ret != NULL ? ret : g_date_time_new_now_utc ();
}

gint64
gauge_clock_now_unix (void)
{
  g_autoptr(GDateTime) now = gauge_clock_now_utc ();

  return g_date_time_to_unix (now);
}
