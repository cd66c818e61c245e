/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Words and numbers as the window, the tray and the CLI show them (local time). */
char *gauge_format_duration (GTimeSpan  span);
char *gauge_format_time_of_day (GDateTime *time);
char *gauge_format_clock    (GDateTime *time,
                             GDateTime *now);
char *gauge_format_reset    (GDateTime *resets_at,
                             GDateTime *now);
char *gauge_format_expiry   (GDateTime *expires_at,
                             GDateTime *now);
char *gauge_format_age      (GDateTime *then,
                             GDateTime *now);
char *gauge_format_percent  (double     percent);
char *gauge_format_tokens   (double     tokens);
char *gauge_format_usd      (double     amount);
char *gauge_format_count    (gint64     count);

char *gauge_format_group_digits (const char *number);

/* Numbers as the C locale writes them for a while, in this thread (reports). */
gpointer gauge_format_plain_numbers_begin (void);
void     gauge_format_plain_numbers_end   (gpointer token);

/* The n for gettext's plural lookup, for a count of any size. */
gulong gauge_plural_n (gint64 count);

/* Times for machines: ISO 8601 in UTC. */
char *gauge_format_iso8601      (GDateTime *time);
char *gauge_format_iso8601_unix (gint64     unix_seconds);
char *gauge_format_iso8601_ms   (gint64     unix_ms);

/* Text from outside, safe to print to a terminal: no control characters, no escapes. */
char *gauge_format_clean_text (const char *text,
                               gboolean    multiline);

/* Days as the CLI takes them: YYYY-MM-DD, or YYYYMMDD as ccusage does. */
gboolean gauge_parse_day     (const char  *text,
                              GDate       *date);
gint64   gauge_day_start_ms  (const GDate *date,
                              GTimeZone   *zone,
                              int          add_days);

/* Unix milliseconds, before 1970 too: the time in @zone (%NULL for UTC), the day it falls on,
 * and ISO 8601 in UTC with milliseconds ("2026-01-02T03:04:05.678Z", as ccusage writes). */
GDateTime *gauge_date_time_from_ms (gint64        unix_ms,
                                    GTimeZone    *zone);
void       gauge_day_of_ms         (gint64        unix_ms,
                                    GTimeZone    *zone,
                                    GDate        *date);

/* Weeks: the first day's name as the settings and the CLI take it ("monday" … "sunday"), and
 * the first day of @date's week (%G_DATE_BAD_WEEKDAY for Sunday, as ccusage). */
gboolean   gauge_weekday_from_string (const char   *str,
                                      GDateWeekday *weekday);
void       gauge_week_start          (GDate        *date,
                                      GDateWeekday  start_of_week);

G_END_DECLS
