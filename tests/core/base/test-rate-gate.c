/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "gauge-http.h"
#include "gauge-rate-gate.h"

#define NONE G_MININT64

/* 2026-10-21 07:00:00 UTC */
static GDateTime *
make_now (void)
{
  return g_date_time_new_utc (2026, 10, 21, 7, 0, 0);
}

static GDateTime *
at_offset (gint64 offset)
{
  g_autoptr(GDateTime) now = make_now ();

  return offset == NONE ? NULL : g_date_time_add_seconds (now, offset);
}

static void
test_cooldown_doubles (void)
{
  static const gint64 waits[] = { 300, 600, 1200, 2400, 3600, 3600, 3600 };
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) now = make_now ();

  g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_OPEN);
  g_assert_true (gauge_rate_gate_allows (gate, now));

  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autoptr(GDateTime) just_before = NULL;
      gint64 until;

      gauge_rate_gate_record_rate_limited (gate, now, -1);
      until = gauge_rate_gate_get_until_unix (gate);

      g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_RATE_LIMITED);
      g_assert_cmpint (until - g_date_time_to_unix (now), ==, waits[i]);
      g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, i + 1);

      just_before = g_date_time_add_seconds (now, waits[i] - 1);
      g_assert_false (gauge_rate_gate_allows (gate, now));
      g_assert_false (gauge_rate_gate_allows (gate, just_before));

      g_date_time_unref (now);
      now = g_date_time_new_from_unix_utc (until);
      g_assert_true (gauge_rate_gate_allows (gate, now));
    }
}

static void
test_retry_after_wins (void)
{
  static const struct {
    guint  level;
    gint64 retry_after;
    gint64 expected;
  } cases[] = {
    { 0, -1, 300 },
    { 0, 200, 300 },            /* shorter than the base: the base */
    { 0, 900, 900 },            /* longer: Retry-After */
    { 2, 900, 1200 },
    { 2, 5000, 5000 },
    { 4, 5000, 5000 },
    { 9, 100, 3600 },
    { 0, 100000, 24 * 3600 },   /* clamped to a day */
    { 0, G_MAXINT32, 24 * 3600 },
  };
  g_autoptr(GDateTime) now = make_now ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();

      if (cases[i].level > 0)
        gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, 0, cases[i].level);

      gauge_rate_gate_record_rate_limited (gate, now, cases[i].retry_after);
      g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - g_date_time_to_unix (now),
                       ==, cases[i].expected);
      g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, cases[i].level + 1);
    }
}

static void
test_success_resets (void)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) now = make_now ();

  gauge_rate_gate_record_rate_limited (gate, now, -1);
  gauge_rate_gate_record_rate_limited (gate, now, -1);
  g_assert_false (gauge_rate_gate_allows (gate, now));

  gauge_rate_gate_record_success (gate);
  g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_OPEN);
  g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, 0);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate), ==, 0);
  g_assert_true (gauge_rate_gate_allows (gate, now));

  /* The next 429 starts again at 5 minutes. */
  gauge_rate_gate_record_rate_limited (gate, now, -1);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - g_date_time_to_unix (now), ==, 300);
}

static void
test_transient_backoff (void)
{
  static const struct {
    guint  poll_interval;
    gint64 waits[6];
  } cases[] = {
    { 300, { 60, 120, 240, 300, 300, 300 } },
    { 3600, { 60, 120, 240, 480, 960, 1920 } },
    { 60, { 60, 60, 60, 60, 60, 60 } },
    { 10, { 60, 60, 60, 60, 60, 60 } },       /* at least a minute */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
      g_autoptr(GDateTime) now = make_now ();

      for (guint j = 0; j < G_N_ELEMENTS (cases[i].waits); j++)
        {
          gauge_rate_gate_record_transient_failure (gate, now, cases[i].poll_interval);
          g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_BACKOFF);
          g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - g_date_time_to_unix (now),
                           ==, cases[i].waits[j]);
        }
    }
}

static void
test_levels_per_reason (void)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) now = make_now ();
  gint64 t = g_date_time_to_unix (now);

  /* Network trouble does not lengthen a later 429 cooldown … */
  gauge_rate_gate_record_transient_failure (gate, now, 300);
  gauge_rate_gate_record_transient_failure (gate, now, 300);
  gauge_rate_gate_record_transient_failure (gate, now, 300);
  gauge_rate_gate_record_rate_limited (gate, now, -1);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - t, ==, 300);
  g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, 1);

  /* … and a 429 does not lengthen the next network retry. */
  gauge_rate_gate_record_transient_failure (gate, now, 300);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - t, ==, 60);
}

static void
test_restore (void)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) now = make_now ();
  gint64 t = g_date_time_to_unix (now);

  gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, t + 500, 3);
  g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_RATE_LIMITED);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate), ==, t + 500);
  g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, 3);
  g_assert_false (gauge_rate_gate_allows (gate, now));

  /* A restart after three 429s continues the doubling. */
  gauge_rate_gate_record_rate_limited (gate, now, -1);
  g_assert_cmpint (gauge_rate_gate_get_until_unix (gate) - t, ==, 2400);

  gauge_rate_gate_restore (gate, GAUGE_GATE_OPEN, t + 500, 3);
  g_assert_true (gauge_rate_gate_allows (gate, now));
  g_assert_cmpuint (gauge_rate_gate_get_level (gate), ==, 0);

  /* A value from a damaged row is read as "open". */
  gauge_rate_gate_restore (gate, (GaugeGateReason) 42, t + 500, 3);
  g_assert_cmpint (gauge_rate_gate_get_reason (gate), ==, GAUGE_GATE_OPEN);
  g_assert_true (gauge_rate_gate_allows (gate, now));
}

static void
test_next_poll (void)
{
  /* Offsets in seconds from "now"; NONE for NULL. */
  static const struct {
    const char *what;
    gint64      last_fetch;
    guint       interval;
    gint64      next_reset;
    gint64      until;
    gint64      expected;
  } cases[] = {
    { "never fetched", NONE, 300, NONE, 0, 0 },
    { "never fetched, reset soon", NONE, 300, 100, 0, 0 },
    { "regular", -100, 300, NONE, 0, 200 },
    { "interval below the floor", -100, 30, NONE, 0, -40 },
    { "interval zero", -100, 0, NONE, 0, -40 },
    { "reset before the next poll", -100, 300, 50, 0, 80 },
    { "reset after the next poll", -100, 300, 1000, 0, 200 },
    { "reset passed since the fetch", -100, 300, -90, 0, -40 },
    { "reset passed since the fetch, grace too", -200, 300, -150, 0, -120 },
    { "reset seen by the last fetch", -100, 300, -200, 0, 200 },
    { "reset grace inside the 60 s floor", 0, 300, -20, 0, 60 },
    { "reset exactly at the fetch minus grace", -100, 300, -130, 0, 200 },
    { "cooldown later", -100, 300, NONE, 1000, 1000 },
    { "cooldown later than the reset", -100, 300, 50, 500, 500 },
    { "cooldown earlier", -100, 300, NONE, 10, 200 },
    { "cooldown, never fetched", NONE, 300, NONE, 700, 700 },
  };
  g_autoptr(GDateTime) now = make_now ();
  gint64 t = g_date_time_to_unix (now);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
      g_autoptr(GDateTime) last_fetch = at_offset (cases[i].last_fetch);
      g_autoptr(GDateTime) next_reset = at_offset (cases[i].next_reset);
      gint64 next;

      g_test_message ("next poll: %s", cases[i].what);

      if (cases[i].until != 0)
        gauge_rate_gate_restore (gate, GAUGE_GATE_RATE_LIMITED, t + cases[i].until, 1);

      next = gauge_rate_gate_next_poll_unix (gate, now, last_fetch, cases[i].interval,
                                             next_reset);
      g_assert_cmpint (next - t, ==, cases[i].expected);
    }
}

/* The first 5-hour boundary (counted from @epoch) strictly after @t. */
static gint64
window_reset_after (gint64 epoch,
                    gint64 t)
{
  const gint64 period = 5 * 3600;

  return epoch + ((t - epoch) / period + 1) * period;
}

static void
test_polite_day (void)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) start = make_now ();
  g_autoptr(GDateTime) last_fetch = NULL;
  g_autoptr(GDateTime) next_reset = NULL;
  gint64 t0 = g_date_time_to_unix (start);
  gint64 epoch = t0 - 4321;  /* the window started a while before the app */
  gint64 t = t0;
  gint64 prev = G_MININT64;
  guint requests = 0;
  guint reset_polls = 0;

  while (t < t0 + 24 * 3600)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (t);
      gint64 next = gauge_rate_gate_next_poll_unix (gate, now, last_fetch,
                                                    GAUGE_POLL_INTERVAL_DEFAULT, next_reset);
      gint64 reset;

      t = MAX (t, next);
      if (t >= t0 + 24 * 3600)
        break;

      /* The request goes out at t and succeeds. */
      if (prev != G_MININT64)
        g_assert_cmpint (t - prev, >=, GAUGE_POLL_INTERVAL_MIN);
      if ((t - epoch) % (5 * 3600) == GAUGE_RESET_GRACE)
        reset_polls++;

      requests++;
      prev = t;
      gauge_rate_gate_record_success (gate);
      g_clear_pointer (&last_fetch, g_date_time_unref);
      last_fetch = g_date_time_new_from_unix_utc (t);
      reset = window_reset_after (epoch, t);
      g_clear_pointer (&next_reset, g_date_time_unref);
      next_reset = g_date_time_new_from_unix_utc (reset);
    }

  g_test_message ("%u requests in a day, %u just after a reset", requests, reset_polls);
  g_assert_cmpuint (requests, <=, 300);
  g_assert_cmpuint (requests, >=, 288);
  /* Every reset in the day got its poll 30 s after (4 or 5 of them). */
  g_assert_cmpuint (reset_polls, >=, 4);
}

static void
test_rate_limited_day (void)
{
  g_autoptr(GaugeRateGate) gate = gauge_rate_gate_new ();
  g_autoptr(GDateTime) start = make_now ();
  g_autoptr(GDateTime) last_fetch = NULL;
  gint64 t0 = g_date_time_to_unix (start);
  gint64 t = t0;
  guint requests = 0;

  /* A server that answers 429 with "retry-after: 0" all day long. */
  for (;;)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (t);

      t = MAX (t, gauge_rate_gate_next_poll_unix (gate, now, last_fetch,
                                                  GAUGE_POLL_INTERVAL_DEFAULT, NULL));
      if (t >= t0 + 24 * 3600)
        break;

      g_date_time_unref (now);
      now = g_date_time_new_from_unix_utc (t);
      requests++;
      gauge_rate_gate_record_rate_limited (gate, now, gauge_http_parse_retry_after ("0", now));
      g_clear_pointer (&last_fetch, g_date_time_unref);
      last_fetch = g_date_time_ref (now);
    }

  /* 5 + 10 + 20 + 40 minutes, then one an hour: 4 + 22 = 26 requests. */
  g_test_message ("%u requests in a rate-limited day", requests);
  g_assert_cmpuint (requests, <=, 28);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/rate-gate/cooldown-doubles", test_cooldown_doubles);
  g_test_add_func ("/rate-gate/retry-after-wins", test_retry_after_wins);
  g_test_add_func ("/rate-gate/success-resets", test_success_resets);
  g_test_add_func ("/rate-gate/transient-backoff", test_transient_backoff);
  g_test_add_func ("/rate-gate/levels-per-reason", test_levels_per_reason);
  g_test_add_func ("/rate-gate/restore", test_restore);
  g_test_add_func ("/rate-gate/next-poll", test_next_poll);
  g_test_add_func ("/rate-gate/polite-day", test_polite_day);
  g_test_add_func ("/rate-gate/rate-limited-day", test_rate_limited_day);

  return g_test_run ();
}
