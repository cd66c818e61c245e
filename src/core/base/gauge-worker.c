/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-worker"

#include "config.h"

#include "gauge-worker.h"

static GMutex lock;
static GCond  idle;
static guint  running;

static GQuark worker_func_quark (void);
G_DEFINE_QUARK (gauge-worker-func, worker_func)

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GTaskThreadFunc func = (GTaskThreadFunc) g_object_get_qdata (G_OBJECT (task), worker_func_quark ());

  func (task, source_object, task_data, cancellable);

  g_mutex_lock (&lock);
  if (--running == 0)
    g_cond_broadcast (&idle);
  g_mutex_unlock (&lock);
}

/* Counted from the moment it is queued: a task still waiting for a free
 * thread has been given work the program must not drop. */
void
gauge_worker_run_in_thread (GTask           *task,
                            GTaskThreadFunc  func)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  g_mutex_lock (&lock);
  running++;
  g_mutex_unlock (&lock);

  g_object_set_qdata (G_OBJECT (task), worker_func_quark (), (gpointer) func);
  g_task_run_in_thread (task, worker_thread);
}

/* TRUE when no worker runs any more; FALSE when @timeout_us passed first. */
gboolean
gauge_worker_wait_idle (gint64 timeout_us)
{
  gint64 end_time = g_get_monotonic_time () + timeout_us;
  gboolean done = TRUE;

  g_mutex_lock (&lock);
  while (running > 0 && done)
    done = g_cond_wait_until (&idle, &lock, end_time) || running == 0;
  g_mutex_unlock (&lock);

  return done;
}

guint
gauge_worker_get_running (void)
{
  guint count;

  g_mutex_lock (&lock);
  count = running;
  g_mutex_unlock (&lock);

  return count;
}
