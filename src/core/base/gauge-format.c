/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-format"

#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gauge-format.h"

/* "3 days 4 h", "2 h 11 min", "12 min", rounded up to the minute. */
char *
gauge_format_duration (GTimeSpan span)
{
  gint64 minutes = (MAX (span, 0) + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE;
  gint64 days = minutes / (24 * 60);
  gint64 hours = (minutes / 60) % 24;
  gint64 mins = minutes % 60;

  if (days > 0 && hours > 0)
    /* Translators: a duration, e.g. "3 days 4 h" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day %d h", "%d days %d h", days),
                            (int) days, (int) hours);
  if (days > 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", days), (int) days);
  if (hours > 0 && mins > 0)
    /* Translators: a duration, e.g. "2 h 11 min" */
    return g_strdup_printf (_("%d h %d min"), (int) hours, (int) mins);
  if (hours > 0)
    return g_strdup_printf (_("%d h"), (int) hours);

  return g_strdup_printf (_("%d min"), (int) MAX (mins, 1));
}

/* "14:00" today, "Mon 09:00" within the week, "24 Nov 09:00" beyond. */
char *
gauge_format_clock (GDateTime *time,
                    GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  GTimeSpan ahead;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  if (now == NULL)
    return gauge_format_time_of_day (local);

  local_now = g_date_time_to_local (now);
  ahead = g_date_time_difference (local, local_now);

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    return gauge_format_time_of_day (local);

  if (ahead > -6 * G_TIME_SPAN_DAY && ahead < 6 * G_TIME_SPAN_DAY)
    /* Translators: a weekday and a time, see strftime */
    return g_date_time_format (local, _("%a %H:%M"));

  /* Translators: a date and a time, see strftime */
  return g_date_time_format (local, _("%d %b %H:%M"));
}

/* "14:00": a time of day as the language writes it (its own clock, not the desktop's). */
char *
gauge_format_time_of_day (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, NULL);

  /* Translators: a time of day, see strftime; "%l:%M %p" for a 12-hour clock */
  return g_date_time_format (time, _("%H:%M"));
}

/* "Resets in 2 h 11 min (14:00)", or with @expiry "Expires in …". */
static char *
format_countdown (GDateTime *time,
                  GDateTime *now,
                  gboolean   expiry)
{
  g_autofree char *duration = NULL;
  g_autofree char *clock = NULL;
  GTimeSpan left;

  g_return_val_if_fail (now != NULL, NULL);

  if (time == NULL)
    return NULL;

  left = g_date_time_difference (time, now);
  if (left <= 0)
    return g_strdup (expiry ? _("Expired") : _("Resetting now"));

  duration = gauge_format_duration (left);
  clock = gauge_format_clock (time, now);

  if (expiry)
    /* Translators: the first %s is a duration, the second a time, "Expires in 24 days (31 Dec)" */
    return g_strdup_printf (_("Expires in %s (%s)"), duration, clock);

  /* Translators: the first %s is a duration, the second a time, "Resets in 2 h 11 min (14:00)" */
  return g_strdup_printf (_("Resets in %s (%s)"), duration, clock);
}

char *
gauge_format_reset (GDateTime *resets_at,
                    GDateTime *now)
{
  return format_countdown (resets_at, now, FALSE);
}

/* A credit grant's end: "Expires in 24 days (31 Dec 00:00)". */
char *
gauge_format_expiry (GDateTime *expires_at,
                     GDateTime *now)
{
  return format_countdown (expires_at, now, TRUE);
}

/**
 * gauge_format_iso8601:
 * @time: (nullable): a time
 *
 * Returns: (transfer full) (nullable): @time in UTC to the second, "2026-11-24T14:00:00Z",
 *   as --status --json, the exports and the Admin API write times; %NULL for %NULL
 */
char *
gauge_format_iso8601 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;

  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Returns: (transfer full) (nullable): a unix time as gauge_format_iso8601(); %NULL for 0, none */
char *
gauge_format_iso8601_unix (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds == 0)
    return NULL;

  time = g_date_time_new_from_unix_utc (unix_seconds);
  return gauge_format_iso8601 (time);
}

/* Returns: (transfer full) (nullable): milliseconds since the epoch, "2026-11-24T14:00:00.250Z";
 *   %NULL beyond the year 9999 */
char *
gauge_format_iso8601_ms (gint64 unix_ms)
{
  gint64 seconds = unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
  g_autofree char *whole = NULL;

  if (utc == NULL)
    return NULL;

  whole = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", whole, (int) (unix_ms - seconds * 1000));
}

/* "just now", "12 min ago", "2 h ago", "3 days ago". */
char *
gauge_format_age (GDateTime *then,
                  GDateTime *now)
{
  GTimeSpan age;
  gint64 minutes, hours, days;

  g_return_val_if_fail (then != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  age = g_date_time_difference (now, then);
  minutes = age / G_TIME_SPAN_MINUTE;
  hours = age / G_TIME_SPAN_HOUR;
  days = age / G_TIME_SPAN_DAY;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (hours < 1)
    return g_strdup_printf (_("%d min ago"), (int) minutes);
  if (days < 1)
    return g_strdup_printf (_("%d h ago"), (int) hours);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                          (int) days);
}

/* "48 %", "12.5 %": a decimal only when it says something. */
char *
gauge_format_percent (double percent)
{
  double rounded = round (percent * 10.0) / 10.0;

  if (fabs (rounded - round (rounded)) < 0.05)
    /* Translators: a percentage, e.g. "48 %" */
    return g_strdup_printf (_("%.0f %%"), rounded);

  return g_strdup_printf (_("%.1f %%"), rounded);
}

/* "950", "2.1k", "1.2M", "340M": token counts at a glance. */
char *
gauge_format_tokens (double tokens)
{
  static const struct { double scale; const char *suffix; } units[] = {
    { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      double value = tokens / units[i].scale;

      /* One decimal below 100 when it says something: "2.1k", "88k", "340M". */
      if (fabs (value) >= 1.0)
        return g_strdup_printf (fabs (value) < 100 && fabs (value - round (value)) >= 0.05
                                  ? "%.1f%s" : "%.0f%s",
                                value, units[i].suffix);
    }

  return g_strdup_printf ("%.0f", tokens);
}

/**
 * gauge_format_group_digits:
 * @number: a decimal number as the C locale writes it: "11942.95", "-4000"
 *
 * The same number with its whole part in groups of three and the decimal mark of the
 * locale's numbers (LC_NUMERIC of this thread): "11,942.95" in English and in the C locale,
 * "11.942,95" in German. One rule everywhere counts and money are shown (the window, the
 * terminal); reports run under gauge_format_plain_numbers_begin(), so they write numbers as
 * ccusage does in every locale.
 *
 * Returns: (transfer full): the grouped number
 */
char *
gauge_format_group_digits (const char *number)
{
  GString *out = g_string_new (NULL);
  const char *digits = number + (number[0] == '-' || number[0] == '+');
  gsize n_whole = strspn (digits, "0123456789");
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *separator = nl_langinfo (THOUSEP);

  /* The C locale groups nothing; we group as ccusage does. A locale with its own decimal
   * mark and no grouping keeps it that way. */
  if (radix == NULL || radix[0] == '\0')
    radix = ".";
  if (separator == NULL || (separator[0] == '\0' && strcmp (radix, ".") == 0))
    separator = ",";

  g_string_append_len (out, number, digits - number);
  for (gsize i = 0; i < n_whole; i++)
    {
      if (i > 0 && (n_whole - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  if (digits[n_whole] == '.')
    {
      g_string_append (out, radix);
      g_string_append (out, digits + n_whole + 1);
    }
  else
    g_string_append (out, digits + n_whole);

  return g_string_free (out, FALSE);
}

/* "1,104,266" */
char *
gauge_format_count (gint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  return gauge_format_group_digits (digits);
}

/**
 * gauge_format_plain_numbers_begin:
 *
 * Until gauge_format_plain_numbers_end(), this thread writes numbers as the C locale does
 * ("1,234.50" through gauge_format_group_digits(), "2.5" through printf), whatever the
 * user's locale; words and dates still follow it. Reports need this: they match ccusage's.
 *
 * Returns: what to give gauge_format_plain_numbers_end()
 */
gpointer
gauge_format_plain_numbers_begin (void)
{
  /* The thread's own locale when it has one, the process's otherwise. */
  locale_t base = duplocale (uselocale ((locale_t) 0));
  locale_t plain = base != (locale_t) 0 ? newlocale (LC_NUMERIC_MASK, "C", base) : (locale_t) 0;

  if (plain == (locale_t) 0)
    {
      /* Out of memory: the locale's numbers are better than none. */
      if (base != (locale_t) 0)
        freelocale (base);
      return NULL;
    }

  /* The thread's locale before (a locale_t is a pointer; uselocale never returns 0 here). */
  return (gpointer) uselocale (plain);
}

void
gauge_format_plain_numbers_end (gpointer token)
{
  if (token == NULL)
    return;

  freelocale (uselocale ((locale_t) token));
}

/* ngettext takes an unsigned long: a negative count reads as its size, and one past that range
 * keeps its last six digits (which decide the plural form in every language), as gettext's
 * manual recommends. */
gulong
gauge_plural_n (gint64 count)
{
  guint64 n = count < 0 ? (guint64) -(count + 1) + 1 : (guint64) count;

  return n <= G_MAXULONG ? (gulong) n : (gulong) (n % 1000000 + 1000000);
}

/* "$11,942.95": what local usage would cost at API prices. */
char *
gauge_format_usd (double amount)
{
  char digits[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *grouped = NULL;

  g_ascii_formatd (digits, sizeof digits, "%.2f", fabs (amount));
  grouped = gauge_format_group_digits (digits);

  return g_strdup_printf ("%s$%s", amount < 0 && g_strcmp0 (digits, "0.00") != 0 ? "-" : "",
                          grouped);
}

/* The end of a control sequence (after ESC [ or CSI): parameter and intermediate bytes up
 * to a final byte. Anything else ends it early and is left to the caller. */
static const char *
skip_control_sequence (const char *p)
{
  for (; *p != '\0'; p++)
    {
      if (*p >= 0x40 && *p <= 0x7e)
        return p + 1;
      if (*p < 0x20 || *p > 0x7e)
        return p;
    }

  return p;
}

/* The end of a string (after ESC ] P X ^ _ or their C1 forms, as in a title or a clipboard
 * write): BEL or ST, or an ESC that starts something else. */
static const char *
skip_string (const char *p)
{
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x07 || c == 0x9c)
        return g_utf8_next_char (p);
      if (c == 0x1b)
        return p[1] == '\\' ? p + 2 : p;
      p = g_utf8_next_char (p);
    }

  return p;
}

/* The end of what follows a lone ESC: intermediate bytes, then one final byte. */
static const char *
skip_escape (const char *p)
{
  while (*p >= 0x20 && *p <= 0x2f)
    p++;

  return *p >= 0x30 && *p <= 0x7e ? p + 1 : p;
}

/* The usual case, decided in one pass over the bytes: valid UTF-8 with nothing to remove. */
static gboolean
is_clean (const char *text,
          gboolean    multiline)
{
  const guchar *p = (const guchar *) text;

  if (!multiline && (*p == ' ' || (*p != '\0' && p[strlen (text) - 1] == ' ')))
    return FALSE;

  for (; *p != '\0'; p++)
    {
      if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t')))
        return FALSE;
      if (*p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
        return FALSE;
    }

  return g_utf8_validate (text, -1, NULL);
}

/**
 * gauge_format_clean_text:
 * @text: (nullable): text from outside: the network, a file, a transcript
 * @multiline: keep line feeds and tabs (output made of lines); otherwise they become spaces
 *
 * What can reach a terminal from text Claude Gauge did not write itself: escape sequences
 * (ESC [ … and the strings ESC ] … BEL that set titles or write to the clipboard) are
 * removed whole, every other C0 control, DEL and C1 control (U+0080–U+009F, which some
 * terminals obey as escapes) is removed, invalid UTF-8 is replaced.
 *
 * Returns: (transfer full) (nullable): the clean text, %NULL for %NULL
 */
char *
gauge_format_clean_text (const char *text,
                         gboolean    multiline)
{
  g_autofree char *valid = NULL;
  GString *clean;
  const char *p;

  if (text == NULL)
    return NULL;

  if (is_clean (text, multiline))
    return g_strdup (text);

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  clean = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (c == 0x1b && *next == '[')
        next = skip_control_sequence (next + 1);
      else if (c == 0x1b && *next != '\0' && strchr ("]PX^_", *next) != NULL)
        next = skip_string (next + 1);
      else if (c == 0x1b)
        next = skip_escape (next);
      else if (c == 0x9b)
        next = skip_control_sequence (next);
      else if (c == 0x90 || c == 0x98 || c == 0x9d || c == 0x9e || c == 0x9f)
        next = skip_string (next);
      else if (c == '\n' || c == '\t')
        g_string_append_c (clean, multiline ? c : ' ');
      else if (c == '\r')
        {
          if (!multiline)
            g_string_append_c (clean, ' ');
        }
      else if (c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f))
        g_string_append_len (clean, p, next - p);

      p = next;
    }

  /* A name that was "Weekly ESC[2J" is "Weekly", not "Weekly ". */
  if (!multiline)
    {
      g_strstrip (clean->str);
      g_string_set_size (clean, strlen (clean->str));
    }

  return g_string_free (clean, FALSE);
}

gboolean
gauge_parse_day (const char *text,
                 GDate      *date)
{
  guint year, month, day;
  char end;

  g_date_clear (date, 1);
  if (text == NULL)
    return FALSE;
  if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3 &&
      (strlen (text) != 8 || sscanf (text, "%4u%2u%2u%c", &year, &month, &day, &end) != 3))
    return FALSE;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

/* Midnight of @date in @zone, @add_days later, in milliseconds. */
gint64
gauge_day_start_ms (const GDate *date,
                    GTimeZone   *zone,
                    int          add_days)
{
  g_autoptr(GDateTime) day = g_date_time_new (zone, g_date_get_year (date),
                                              g_date_get_month (date), g_date_get_day (date),
                                              0, 0, 0);
  g_autoptr(GDateTime) shifted = g_date_time_add_days (day, add_days);

  return g_date_time_to_unix (shifted) * 1000;
}

/**
 * gauge_date_time_from_ms:
 * @zone: (nullable): %NULL for UTC
 *
 * Returns: (transfer full): the second that holds @unix_ms, in @zone
 */
GDateTime *
gauge_date_time_from_ms (gint64     unix_ms,
                         GTimeZone *zone)
{
  /* Rounded down, not towards zero: 1 ms before 1970 is in 1969's last second. */
  GDateTime *utc = g_date_time_new_from_unix_utc (unix_ms >= 0 ? unix_ms / 1000
                                                               : (unix_ms - 999) / 1000);
  GDateTime *time;

  if (zone == NULL)
    return utc;

  time = g_date_time_to_timezone (utc, zone);
  g_date_time_unref (utc);
  return time;
}

/* The day in @zone that holds @unix_ms. */
void
gauge_day_of_ms (gint64     unix_ms,
                 GTimeZone *zone,
                 GDate     *date)
{
  g_autoptr(GDateTime) time = gauge_date_time_from_ms (unix_ms, zone);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (time), g_date_time_get_month (time),
                  g_date_time_get_year (time));
}

gboolean
gauge_weekday_from_string (const char   *str,
                           GDateWeekday *weekday)
{
  static const char * const names[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };

  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (str, names[i]) == 0)
      {
        *weekday = (GDateWeekday) (G_DATE_MONDAY + i);
        return TRUE;
      }
  return FALSE;
}

/* Moves @date back to the first day of its week. */
void
gauge_week_start (GDate        *date,
                  GDateWeekday  start_of_week)
{
  GDateWeekday first = g_date_valid_weekday (start_of_week) ? start_of_week : G_DATE_SUNDAY;

  g_date_subtract_days (date, (g_date_get_weekday (date) - first + 7) % 7);
}
