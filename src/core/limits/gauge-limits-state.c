/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-limits-state"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-format.h"
#include "gauge-limits-monitor.h"
#include "gauge-limits-state.h"

/*
 * What the window, the tray and --status say about the monitor's state, in one place.
 * They say it at different lengths (a line in the tray, sentences elsewhere), and
 * --status names what it knows that the window shows apart (the error, the path), but the
 * sentences the window and the terminal share are one string each.
 */

/* A command to type (or a scope to look for) as @form shows it: bare, quoted, in <tt>. */
static char *
code (const char           *text,
      GaugeLimitsStateForm  form)
{
  switch (form)
    {
    case GAUGE_LIMITS_STATE_MARKUP:
      return g_markup_printf_escaped ("<tt>%s</tt>", text);
    case GAUGE_LIMITS_STATE_TERMINAL:
      /* Translators: a command (or an OAuth scope) inside a sentence printed in a terminal */
      return g_strdup_printf (_("“%s”"), text);
    case GAUGE_LIMITS_STATE_LINE:
    default:
      return g_strdup (text);
    }
}

static char *
describe_no_credentials (GaugeLimitsMonitor   *monitor,
                         GaugeLimitsStateForm  form)
{
  const char *error = gauge_limits_monitor_get_error_message (monitor);
  g_autofree char *claude = code ("claude", form);

  switch (form)
    {
    case GAUGE_LIMITS_STATE_LINE:
      /* Translators: %s is the command claude */
      return g_strdup_printf (_("Not signed in: run %s to sign in"), claude);
    case GAUGE_LIMITS_STATE_MARKUP:
      /* Translators: %s is the command claude */
      return g_strdup_printf (_("Claude Gauge reads the sign-in that Claude Code keeps on this "
                                "computer. Run %s in a terminal and sign in — this page updates "
                                "by itself."), claude);
    case GAUGE_LIMITS_STATE_TERMINAL:
    default:
      if (error != NULL)
        /* Translators: the first %s says what is wrong with the credentials file, the second
         * is the command claude */
        return g_strdup_printf (_("%s. Run %s and sign in again."), error, claude);
      /* Translators: the first %s is a file's path, the second the command claude */
      return g_strdup_printf (_("No Claude Code sign-in found at %s. Run %s and sign in."),
                              gauge_limits_monitor_get_credentials_path (monitor), claude);
    }
}

static char *
describe_forbidden (GaugeLimitsStateForm form)
{
  g_autofree char *scope = NULL;
  g_autofree char *setup_token = NULL;
  g_autofree char *claude = NULL;

  if (form == GAUGE_LIMITS_STATE_LINE)
    return g_strdup (_("This sign-in cannot read plan limits"));

  scope = code ("user:profile", form);
  setup_token = code ("claude setup-token", form);
  claude = code ("claude", form);
  /* Translators: the %s are user:profile (an OAuth scope), then the commands
   * claude setup-token and claude */
  return g_strdup_printf (_("This sign-in can’t read usage: its token lacks the %s scope. "
                            "Tokens made with %s are for inference only — sign in with %s "
                            "instead."), scope, setup_token, claude);
}

/**
 * gauge_limits_state_describe:
 * @now: the time the times said are relative to
 * @title: (out) (optional) (transfer full): a heading for the state (the window's status
 *   page), plain text; %NULL in state OK
 *
 * In %GAUGE_LIMITS_STATE_MARKUP form the text is Pango markup; in the others plain text,
 * which may carry the error message the monitor got (clean it before a terminal sees it).
 *
 * Returns: (transfer full) (nullable): what to tell about @monitor's state; %NULL in state
 *   OK, which needs no words
 */
char *
gauge_limits_state_describe (GaugeLimitsMonitor  *monitor,
                             GaugeLimitsStateForm form,
                             GDateTime           *now,
                             char               **title)
{
  GDateTime *next_check;
  g_autofree char *when = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *claude = NULL;
  char *message = NULL;

  g_return_val_if_fail (GAUGE_IS_LIMITS_MONITOR (monitor), NULL);

  next_check = gauge_limits_monitor_get_next_check (monitor);
  when = next_check != NULL ? gauge_format_clock (next_check, now) : NULL;
  claude = code ("claude", form);

  switch (gauge_limits_monitor_get_state (monitor))
    {
    case GAUGE_LIMITS_MONITOR_STATE_LOADING:
      heading = g_strdup (_("Checking your limits…"));
      /* --status asks once and is done: nothing read then is no reading. */
      message = form == GAUGE_LIMITS_STATE_TERMINAL ? g_strdup (_("No reading yet."))
                                                    : g_strdup (heading);
      break;

    case GAUGE_LIMITS_MONITOR_STATE_NO_CREDENTIALS:
      heading = g_strdup (_("Sign in with Claude Code"));
      message = describe_no_credentials (monitor, form);
      break;

    case GAUGE_LIMITS_MONITOR_STATE_EXPIRED:
      heading = g_strdup (_("Sign-In Expired"));
      message = form == GAUGE_LIMITS_STATE_LINE
                /* Translators: %s is the command claude */
                ? g_strdup_printf (_("Sign-in expired: run %s to sign in again"), claude)
                /* Translators: %s is the command claude */
                : g_strdup_printf (_("Your Claude Code sign-in has expired. Run %s to sign in "
                                     "again."), claude);
      break;

    case GAUGE_LIMITS_MONITOR_STATE_FORBIDDEN:
      heading = g_strdup (_("Usage Can’t Be Read"));
      message = describe_forbidden (form);
      break;

    case GAUGE_LIMITS_MONITOR_STATE_OFFLINE:
      heading = g_strdup (_("Offline"));
      if (form == GAUGE_LIMITS_STATE_LINE)
        message = g_strdup (heading);
      else if (form == GAUGE_LIMITS_STATE_MARKUP)
        /* The window shows the error and the retry apart. */
        message = g_strdup (_("Can’t reach Anthropic right now."));
      else
        /* Translators: "Could not reach Anthropic. Retrying at 19:52." */
        message = g_strdup_printf (_("%s. Retrying at %s."),
                                   gauge_limits_monitor_get_error_message (monitor) != NULL
                                   ? gauge_limits_monitor_get_error_message (monitor)
                                   : _("The last check failed"),
                                   when != NULL ? when : "?");
      break;

    case GAUGE_LIMITS_MONITOR_STATE_RATE_LIMITED:
      heading = g_strdup (_("Waiting for Anthropic"));
      if (form == GAUGE_LIMITS_STATE_LINE)
        message = g_strdup (_("Anthropic asked to wait before the next check"));
      else if (when != NULL)
        /* Translators: the argument is a time of day, e.g. "20:40" */
        message = g_strdup_printf (_("The API asked us to wait until %s."), when);
      else
        message = g_strdup (_("The API asked us to wait a while."));
      break;

    case GAUGE_LIMITS_MONITOR_STATE_OK:
    default:
      break;
    }

  if (title != NULL)
    *title = g_steal_pointer (&heading);

  return message;
}

static const char *
source_to_label (GaugeSource source)
{
  switch (source)
    {
    case GAUGE_SOURCE_OFFICIAL:
      /* Translators: where the numbers come from: Anthropic's usage endpoint */
      return _("Official");

    case GAUGE_SOURCE_STATUSLINE:
      /* Translators: where the numbers come from: Claude Code's statusline */
      return _("Statusline");

    default:
      return gauge_source_to_string (source);
    }
}

/**
 * gauge_limits_state_describe_updated:
 *
 * When the monitor's reading was taken, when the next is due and where it came from
 * ("Updated 19:45 · next check 19:50 · Official"), or "Checking…" while it is being taken:
 * the window's footer, or an account's among several.
 *
 * Returns: (transfer full) (nullable): the line, or %NULL before the first reading
 */
char *
gauge_limits_state_describe_updated (GaugeLimitsMonitor *monitor,
                                     GDateTime          *now)
{
  GaugeLimitsSnapshot *snapshot = gauge_limits_monitor_get_snapshot (monitor);
  g_autofree char *updated = NULL;
  g_autofree char *next = NULL;
  GDateTime *next_check;
  const char *source;

  if (gauge_monitor_get_busy (GAUGE_MONITOR (monitor)))
    /* Translators: the window title's subtitle while the first reading is fetched */
    return g_strdup (_("Checking…"));

  if (snapshot == NULL)
    return NULL;

  updated = gauge_format_clock (gauge_limits_snapshot_get_fetched_at (snapshot), now);
  next_check = gauge_limits_monitor_get_next_check (monitor);
  next = next_check != NULL ? gauge_format_clock (next_check, now) : NULL;
  source = source_to_label (gauge_limits_snapshot_get_source (snapshot));

  if (next != NULL)
    /* Translators: "Updated 19:45 · next check 19:50 · Official" */
    return g_strdup_printf (_("Updated %s · next check %s · %s"), updated, next, source);

  /* Translators: "Updated 19:45 · Official" */
  return g_strdup_printf (_("Updated %s · %s"), updated, source);
}
