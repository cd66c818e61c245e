/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Money from the Admin API, exactly: an integer count of millionths of a
 * cent. cost_report sends decimal strings in cents ("123.45" is $1.2345) and
 * the cheapest token costs a few hundred-thousandths of a cent, so six
 * decimals of a cent keep every real amount exact; a gint64 still holds
 * $92 billion. Parsed digit by digit, never through a double; sums are
 * integer sums that stop at the largest amount rather than wrap.
 */
typedef gint64 GaugeMicrocents;

#define GAUGE_MICROCENTS_PER_CENT   G_GINT64_CONSTANT (1000000)
#define GAUGE_MICROCENTS_PER_DOLLAR G_GINT64_CONSTANT (100000000)

gboolean        gauge_admin_parse_cents          (const char      *text,
                                                  GaugeMicrocents *out);
gboolean        gauge_admin_whole_cents          (double           value,
                                                  GaugeMicrocents *out);
char           *gauge_admin_format_cents         (GaugeMicrocents  amount);
char           *gauge_admin_format_dollars       (GaugeMicrocents  amount);
char           *gauge_admin_format_exact_dollars (GaugeMicrocents  amount);
gint64          gauge_admin_add                  (gint64           a,
                                                  gint64           b);

/* The month the API's daily buckets make: a UTC month. */
GDateTime      *gauge_admin_month_start          (GDateTime       *now);
guint           gauge_admin_days_in_month        (GDateTime       *month_start);
GaugeMicrocents gauge_admin_project_month        (GaugeMicrocents  total,
                                                  GaugeMicrocents  before_today,
                                                  GDateTime       *now);

G_END_DECLS
