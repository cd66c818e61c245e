/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-poll"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-clock.h"
#include "gauge-poll.h"

/**
 * gauge_poll_timeout_add_at:
 * @unix_time: when, by gauge_clock_now_unix(); a time already past means "in a second"
 *
 * Returns: the id of a timeout source that calls @function once, at least a second from now
 */
guint
gauge_poll_timeout_add_at (gint64      unix_time,
                           GSourceFunc function,
                           gpointer    data)
{
  gint64 delay = CLAMP (unix_time - gauge_clock_now_unix (), 1, G_MAXINT32);

  g_debug ("Next in %" G_GINT64_FORMAT " s", delay);
  return g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, (guint) delay, function, data, NULL);
}

/**
 * gauge_poll_return_waiters:
 * @waiters: (element-type GTask): the callers of a round, taken from the monitor before
 *   anything else of its end runs (one that joins meanwhile waits for the next round)
 * @error: (nullable): how the round failed
 *
 * Hands each waiter the round's outcome: a copy of @error, or %TRUE.
 */
void
gauge_poll_return_waiters (GPtrArray    *waiters,
                           const GError *error)
{
  g_return_if_fail (waiters != NULL);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}
