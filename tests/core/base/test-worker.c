/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "gauge-worker.h"

static void
sleep_then_count (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  gint *done = task_data;

  g_usleep (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "sleep-us")));
  g_atomic_int_inc (done);
  g_task_return_boolean (task, TRUE);
}

static void
start (gint  *done,
       guint  sleep_us)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, done, NULL);
  g_object_set_data (G_OBJECT (task), "sleep-us", GUINT_TO_POINTER (sleep_us));
  gauge_worker_run_in_thread (task, sleep_then_count);
}

/* What Quit relies on: every task handed over, including those still queued
 * behind a full thread pool, has run when the wait returns. */
static void
test_wait_covers_queued (void)
{
  gint done = 0;

  for (guint i = 0; i < 40; i++)
    start (&done, 20 * 1000);

  g_assert_true (gauge_worker_wait_idle (20 * G_USEC_PER_SEC));
  g_assert_cmpint (g_atomic_int_get (&done), ==, 40);
  g_assert_cmpuint (gauge_worker_get_running (), ==, 0);
}

static void
test_wait_gives_up (void)
{
  gint done = 0;

  start (&done, 600 * 1000);

  g_assert_false (gauge_worker_wait_idle (20 * 1000));
  g_assert_cmpuint (gauge_worker_get_running (), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&done), ==, 0);

  g_assert_true (gauge_worker_wait_idle (20 * G_USEC_PER_SEC));
  g_assert_cmpint (g_atomic_int_get (&done), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/worker/wait-covers-queued", test_wait_covers_queued);
  g_test_add_func ("/worker/wait-gives-up", test_wait_gives_up);

  return g_test_run ();
}
