/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-admin-money"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gauge-admin-money.h"
#include "gauge-format.h"

/* Whole cents that still fit once scaled, with room for the fraction and its rounding. */
#define MAX_WHOLE_CENTS ((G_MAXINT64 - GAUGE_MICROCENTS_PER_CENT) / GAUGE_MICROCENTS_PER_CENT)
#define FRACTION_DIGITS 6

/* @a + @b, stopping at the largest (or smallest) gint64 rather than wrapping: for sums of
 * amounts and of token counts that come from outside. */
gint64
gauge_admin_add (gint64 a,
                 gint64 b)
{
  if (b > 0 && a > G_MAXINT64 - b)
    return G_MAXINT64;
  if (b < 0 && a < G_MININT64 + 1 - b)
    return G_MININT64 + 1;
  return a + b;
}

/**
 * gauge_admin_parse_cents:
 * @text: a decimal number of cents: "123.45", "-0.5", "7"
 *
 * Reads digits, never a double. Digits past the sixth decimal round half away
 * from zero. No exponent, sign other than '-', spaces or empty parts.
 */
gboolean
gauge_admin_parse_cents (const char      *text,
                         GaugeMicrocents *out)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 whole = 0;
  guint64 fraction = 0;
  guint n_digits = 0;
  guint n_fraction = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      whole = whole * 10 + (guint64) (*p - '0');
      if (whole > (guint64) MAX_WHOLE_CENTS)
        return FALSE;
    }

  if (*p == '.')
    {
      gboolean round_up = FALSE;

      p++;
      for (; g_ascii_isdigit (*p); p++, n_digits++)
        {
          if (n_fraction < FRACTION_DIGITS)
            fraction = fraction * 10 + (guint64) (*p - '0');
          else if (n_fraction == FRACTION_DIGITS)
            round_up = *p >= '5';
          n_fraction++;
        }
      if (n_fraction == 0)
        return FALSE;
      for (guint i = n_fraction; i < FRACTION_DIGITS; i++)
        fraction *= 10;
      if (round_up)
        fraction++;
    }

  if (*p != '\0' || n_digits == 0)
    return FALSE;

  *out = (gint64) (whole * (guint64) GAUGE_MICROCENTS_PER_CENT + fraction);
  if (negative)
    *out = -*out;

  return TRUE;
}

/* A whole number of cents from a JSON number: exact below 2^53, refused where it would
 * overflow once scaled. */
gboolean
gauge_admin_whole_cents (double           value,
                         GaugeMicrocents *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (value != floor (value) || fabs (value) > (double) MAX_WHOLE_CENTS)
    return FALSE;

  *out = (gint64) value * GAUGE_MICROCENTS_PER_CENT;
  return TRUE;
}

/* |@amount|, also for the smallest gint64. */
static guint64
magnitude (GaugeMicrocents amount)
{
  return amount < 0 ? (guint64) -(amount + 1) + 1 : (guint64) amount;
}

/* "123.450000": cents with every digit we hold, as cost_report writes them; exact. */
char *
gauge_admin_format_cents (GaugeMicrocents amount)
{
  guint64 value = magnitude (amount);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%06u", amount < 0 ? "-" : "",
                          value / (guint64) GAUGE_MICROCENTS_PER_CENT,
                          (guint) (value % (guint64) GAUGE_MICROCENTS_PER_CENT));
}

/* "$1.23", rounded to the cent, half away from zero. */
char *
gauge_admin_format_dollars (GaugeMicrocents amount)
{
  guint64 cents = (magnitude (amount) + (guint64) GAUGE_MICROCENTS_PER_CENT / 2) /
                  (guint64) GAUGE_MICROCENTS_PER_CENT;

  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT ".%02u", cents / 100,
                                             (guint) (cents % 100));
  g_autofree char *grouped = gauge_format_group_digits (digits);

  return g_strdup_printf ("%s$%s", amount < 0 && cents > 0 ? "-" : "", grouped);
}

/* "1.2345": dollars with every digit we hold, at least two decimals; for JSON. */
char *
gauge_admin_format_exact_dollars (GaugeMicrocents amount)
{
  guint64 value = magnitude (amount);
  char decimals[9];
  int len;

  g_snprintf (decimals, sizeof decimals, "%08" G_GUINT64_FORMAT,
              value % (guint64) GAUGE_MICROCENTS_PER_DOLLAR);
  for (len = 8; len > 2 && decimals[len - 1] == '0'; len--)
    decimals[len - 1] = '\0';

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", amount < 0 ? "-" : "",
                          value / (guint64) GAUGE_MICROCENTS_PER_DOLLAR, decimals);
}

/* Returns: (transfer full): midnight of the 1st of @now's month (pass @now in UTC) */
GDateTime *
gauge_admin_month_start (GDateTime *now)
{
  g_return_val_if_fail (now != NULL, NULL);

  return g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                              1, 0, 0, 0);
}

guint
gauge_admin_days_in_month (GDateTime *month_start)
{
  g_return_val_if_fail (month_start != NULL, 0);

  return g_date_get_days_in_month (g_date_time_get_month (month_start),
                                   g_date_time_get_year (month_start));
}

/**
 * gauge_admin_project_month:
 * @total: month-to-date spend, today included
 * @before_today: the part of @total spent on the days before today
 *
 * A linear projection to the end of the UTC month from the average of the
 * finished days. Today is left out of the average: its bucket is partial
 * (the API lags about 5 minutes, and the hours still to come are usually the
 * busy ones), so counting it as a whole day would pull the projection down.
 * On the 1st there is no finished day: today's spend is scaled by the time
 * elapsed (at least one hour). The projection is never below @total.
 */
GaugeMicrocents
gauge_admin_project_month (GaugeMicrocents  total,
                           GaugeMicrocents  before_today,
                           GDateTime       *now)
{
  g_autoptr(GDateTime) month_start = NULL;
  gint64 finished_days;
  guint n_days;
  gint64 projection;

  g_return_val_if_fail (now != NULL, total);

  month_start = gauge_admin_month_start (now);
  n_days = gauge_admin_days_in_month (month_start);
  finished_days = g_date_time_get_day_of_month (now) - 1;

  if (finished_days > 0)
    {
      before_today = MAX (before_today, 0);
      if (before_today <= G_MAXINT64 / 31)
        projection = before_today * n_days / finished_days;
      else if (before_today / finished_days <= G_MAXINT64 / n_days)
        projection = before_today / finished_days * n_days;
      else
        projection = G_MAXINT64;
    }
  else
    {
      gint64 month_seconds = (gint64) n_days * 86400;
      gint64 elapsed = MAX (g_date_time_to_unix (now) - g_date_time_to_unix (month_start), 3600);
      gint64 today = MAX (total, 0);

      if (today <= G_MAXINT64 / month_seconds)
        projection = today * month_seconds / elapsed;
      else if (today / elapsed <= G_MAXINT64 / month_seconds)
        projection = today / elapsed * month_seconds;
      else
        projection = G_MAXINT64;
    }

  return MAX (projection, total);
}
