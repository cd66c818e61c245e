/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-local-text"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-local-text.h"

static const char *
plan_title (GaugePlanLimit plan)
{
  switch (plan)
    {
    case GAUGE_PLAN_LIMIT_PRO:
      return _("Pro");
    case GAUGE_PLAN_LIMIT_MAX5:
      return _("Max 5x");
    case GAUGE_PLAN_LIMIT_MAX20:
      return _("Max 20x");
    case GAUGE_PLAN_LIMIT_CUSTOM:
      /* Translators: the plan's 5-hour block limit, set by hand */
      return _("custom");
    case GAUGE_PLAN_LIMIT_CUSTOM_MAX:
      return _("largest past block");
    case GAUGE_PLAN_LIMIT_P90:
      return _("90th percentile of past blocks");
    case GAUGE_PLAN_LIMIT_AUTO:
    default:
      /* Translators: the plan's 5-hour block limit, taken from the largest past block */
      return _("automatic");
    }
}

/* What a limit counts, said next to every figure set against it. */
static const char *
measure_title (GaugeLimitMeasure measure)
{
  return measure == GAUGE_LIMIT_MEASURE_TOTAL ? _("tokens, cache included")
                                              : _("input + output tokens");
}

/* "88k input + output tokens (Max 5x)", or after the switch "120k input + output tokens
 * (largest past block: Pro’s limit was exceeded)". */
char *
gauge_local_text_limit (const GaugeBlockLimit *limit)
{
  g_autofree char *tokens = NULL;

  g_return_val_if_fail (limit != NULL, NULL);

  tokens = gauge_format_tokens (limit->tokens);
  if (limit->switched)
    /* Translators: "120k input + output tokens (largest past block: Pro’s limit was exceeded)" */
    return g_strdup_printf (_("%s %s (largest past block: %s’s limit was exceeded)"), tokens,
                            measure_title (limit->measure), plan_title (limit->switched_from));

  /* Translators: "88k input + output tokens (Max 5x)" */
  return g_strdup_printf (_("%s %s (%s)"), tokens, measure_title (limit->measure),
                          plan_title (limit->plan));
}

/* "46 % of the limit: 102k of 220k input + output tokens (Max 20x)" */
char *
gauge_local_text_block (GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  g_autofree char *limit_text = NULL;
  g_autofree char *used = NULL;
  GaugeBlockLimit limit;
  double percent;

  if (block == NULL || !gauge_local_summary_get_block_limit (summary, &limit) ||
      !gauge_local_summary_get_block_percent (summary, &percent))
    return NULL;

  used = gauge_format_tokens (gauge_block_limit_count (&limit, block));
  limit_text = gauge_local_text_limit (&limit);
  /* Translators: "46 % of the limit: 102k of 220k input + output tokens (Max 20x)" */
  return g_strdup_printf (_("%.0f %% of the limit: %s of %s"), percent, used, limit_text);
}

/* "2.1k tokens/min · $1.20/h · last hour 1.7k tokens/min · projected 1.9M tokens at the end" */
char *
gauge_local_text_burn (GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  GString *text = g_string_new (NULL);
  GaugeBurnRate rate;
  GaugeBlockProjection projection;

  if (gauge_local_summary_get_burn_rate (summary, &rate))
    {
      g_autofree char *per_minute = gauge_format_tokens (rate.tokens_per_minute);
      g_autofree char *per_hour = gauge_format_usd (rate.cost_per_hour);

      /* Translators: a burn rate, "2.1k tokens/min · $1.20/h" */
      g_string_append_printf (text, _("%s tokens/min · %s/h"), per_minute, per_hour);
    }
  if (gauge_local_summary_get_active_block (summary) != NULL &&
      figures->last_hour_tokens_per_minute > 0)
    {
      g_autofree char *last_hour = gauge_format_tokens (figures->last_hour_tokens_per_minute);

      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: the burn rate over the last 60 minutes, across blocks */
      g_string_append_printf (text, _("last hour %s tokens/min"), last_hour);
    }
  if (gauge_local_summary_get_projection (summary, &projection))
    {
      GaugeBlockLimit limit;
      gboolean has_limit = gauge_local_summary_get_block_limit (summary, &limit);
      /* Counted as the limit counts, so that it reads against the limit beside it. */
      gboolean io = has_limit && limit.measure == GAUGE_LIMIT_MEASURE_INPUT_OUTPUT;
      g_autofree char *projected =
        gauge_format_tokens (io ? projection.input_output_tokens : projection.total_tokens);

      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: "projected 143k input + output tokens at the block’s end" */
      g_string_append_printf (text, _("projected %s %s at the block’s end"), projected,
                              io ? measure_title (limit.measure) : _("tokens"));
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

/* "Ends 19:00 (in 3 h 30 min) · idle 20 min" */
char *
gauge_local_text_ends (GaugeLocalSummary *summary)
{
  const GaugeBlock *block = gauge_local_summary_get_active_block (summary);
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  gint64 now_ms = gauge_local_summary_get_now_ms (summary);
  g_autoptr(GDateTime) ends = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *left = NULL;

  if (block == NULL)
    return NULL;

  ends = g_date_time_new_from_unix_utc (block->end_ms / 1000);
  now = g_date_time_new_from_unix_utc (now_ms / 1000);
  clock = gauge_format_clock (ends, now);
  left = gauge_format_duration ((block->end_ms - now_ms) * G_TIME_SPAN_MILLISECOND);

  if (figures->minutes_since_last_entry >= 5)
    {
      g_autofree char *idle =
        gauge_format_duration (figures->minutes_since_last_entry * G_TIME_SPAN_MINUTE);

      /* Translators: "Ends 19:00 (in 3 h 30 min) · idle 20 min" */
      return g_strdup_printf (_("Ends %s (in %s) · idle %s"), clock, left, idle);
    }
  /* Translators: "Ends 19:00 (in 3 h 30 min)" */
  return g_strdup_printf (_("Ends %s (in %s)"), clock, left);
}

/* "228k tokens · 2 sessions, 114k each · 23 % of a 1M budget, about 6.8 sessions left ·
 * 4 days left" */
char *
gauge_local_text_week (GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  guint64 budget = gauge_local_summary_get_weekly_budget (summary);
  g_autofree char *tokens = gauge_format_tokens (figures->week_tokens);
  GString *text = g_string_new (NULL);
  double percent;

  /* Translators: the week's tokens, "228k tokens"; %s is a count, shortened */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens",
                                             gauge_plural_n (figures->week_tokens)),
                          tokens);
  if (figures->week_sessions > 0)
    {
      g_autofree char *average = gauge_format_tokens (figures->week_tokens_per_session);

      g_string_append (text, " · ");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u session, %s each",
                                           "%u sessions, %s each", figures->week_sessions),
                              figures->week_sessions, average);
    }
  if (gauge_local_summary_get_week_percent (summary, &percent))
    {
      g_autofree char *budget_text = gauge_format_tokens (budget);

      g_string_append (text, " · ");
      /* Translators: "23 % of a 1M budget" */
      g_string_append_printf (text, _("%.0f %% of a %s budget"), percent, budget_text);
      if (figures->sessions_left >= 0)
        /* Translators: follows "23 % of a 1M budget" */
        g_string_append_printf (text, _(", about %.1f sessions left"), figures->sessions_left);
    }
  g_string_append (text, " · ");
  g_string_append_printf (text,
                          g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left",
                                       figures->days_left_in_week),
                          figures->days_left_in_week);

  return g_string_free (text, FALSE);
}

/* "Since 1 Dec": the billing period's name */
char *
gauge_local_text_billing_title (GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc (figures->billing_start_ms / 1000);
  g_autoptr(GDateTime) start = g_date_time_to_local (start_utc);
  /* Translators: a day and a month, see strftime; "-" drops the padding */
  g_autofree char *start_text = g_date_time_format (start, _("%-d %b"));

  /* Translators: the billing period, "Since 1 Dec" */
  return g_strdup_printf (_("Since %s"), start_text);
}

/* "233k tokens · $1.23 · 3 of 50 sessions (6 %) · largest block 122k" */
char *
gauge_local_text_billing (GaugeLocalSummary *summary)
{
  const GaugePeriodFigures *figures = gauge_local_summary_get_figures (summary);
  guint budget = gauge_local_summary_get_session_budget (summary);
  g_autofree char *tokens = gauge_format_tokens (figures->billing_tokens);
  g_autofree char *cost = gauge_format_usd (figures->billing_cost);
  g_autofree char *largest = gauge_format_tokens (figures->largest_block_tokens);
  GString *text = g_string_new (NULL);

  /* Translators: "1.2M tokens · $3.40"; the first %s is a count of tokens, shortened */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s token · %s", "%s tokens · %s",
                                             gauge_plural_n (figures->billing_tokens)),
                          tokens, cost);
  g_string_append (text, " · ");
  if (budget > 0)
    /* Translators: 5-hour sessions used of the monthly budget, "3 of 50 5-hour sessions (6 %)";
     * the plural follows the budget (the second number) */
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%u of %u 5-hour session (%.0f %%)",
                                         "%u of %u 5-hour sessions (%.0f %%)", budget),
                            figures->billing_blocks, budget,
                            figures->billing_blocks * 100.0 / budget);
  else
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%u 5-hour session",
                                         "%u 5-hour sessions", figures->billing_blocks),
                            figures->billing_blocks);
  g_string_append (text, " · ");
  /* Translators: the billing period's largest 5-hour block, "largest block 122k" */
  g_string_append_printf (text, _("largest block %s"), largest);

  return g_string_free (text, FALSE);
}
