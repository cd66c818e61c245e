/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-cli.h"
#include "gauge-cli-export.h"
#include "gauge-cli-net.h"
#include "gauge-cli-options.h"
#include "gauge-cli-report.h"
#include "gauge-cli-statusline.h"
#include "gauge-module.h"

/*
 * The command line of claude-gauge. The terminal modes run without GTK: the
 * executable handles them before it loads the app (gauge-ui-module.c), and
 * the app handles them the same way when it is started another way.
 */

/* The value lists after an option ("csv|json") are what the option takes, so they stay
 * untranslated; a placeholder such as "N" or "YYYY-MM-DD" is translated. */
static const GOptionEntry entries[] = {
  { "status", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the state of every limit, or the local estimate without a sign-in, and exit (0 healthy, 1 warning, 2 critical, 3 error)"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --status or --report: print JSON"), NULL },
  { "check-tokens", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Classify N tokens against the 5-hour block limit, and N plus the week's tokens against the weekly budget; exit 0 ok, 1 warning, 2 critical, 3 bad input"),
    /* Translators: the placeholder for a number in --help, "--check-tokens=N" */
    N_("N") },
  { "start-day", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --status or --check-tokens: the day of the month the billing period starts, for this run"),
    /* Translators: the placeholder in --help for a day of the month, "--start-day=1…28" */
    N_("1…28") },
  { "plan", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --status, --check-tokens or --report=blocks: the 5-hour block limit, for this run"),
    "pro|max5|max20|custom|custom_max|p90" },
  { "report", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print a usage report from local transcripts and exit"), "daily|weekly|monthly|session|blocks" },
  { "since", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report or --export: from this day"),
    /* Translators: the placeholder in --help for a day: year, month, day; keep the dashes */
    N_("YYYY-MM-DD") },
  { "until", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report or --export: up to this day"),
    /* Translators: the placeholder in --help for a day: year, month, day; keep the dashes */
    N_("YYYY-MM-DD") },
  { "timezone", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With any mode that prints times or counts days (--status, --check-tokens, --report, --statusline): the time zone"),
    /* Translators: the placeholder in --help for a time zone, "--timezone=TZ" */
    N_("TZ") },
  { "breakdown", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --report: per-model breakdown"), NULL },
  { "start-of-week", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report=weekly: the first day of a week"),
    "monday|…|sunday" },
  { "mode", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report: how costs are computed"),
    "auto|calculate|display" },
  { "account", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With --report: only this account’s local usage, its own folder’s transcripts"),
    /* Translators: the placeholder in --help for an account, "--account=FOLDER|NAME" */
    N_("FOLDER|NAME") },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Write history to standard output and exit"), "readings|entries|daily" },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --export: the format"), "csv|json" },
  { "statusline", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Claude Code statusline command: read its JSON on standard input, print one line"), NULL },
  { "waybar", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print one line of waybar’s JSON (text, tooltip, class, percentage, alt) and exit"), NULL },
  { "follow", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --waybar: keep running and print a new line whenever the reading changes"), NULL },
  { "recalculate", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Rebuild the transcript index from scratch and exit"),
    NULL },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in the tray without opening the window (as at login)"), NULL },
  { "test-alert", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Send a sample notification and exit"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* Gives @app every option claude-gauge takes, the app's included (--background,
 * --test-alert), and the summary --help prints. */
void
gauge_cli_add_options (GApplication *app)
{
  g_application_add_main_option_entries (app, entries);
  g_application_set_option_context_summary (app,
                                            _("How much of your Claude plan is left, and when it comes back."));
}

/*
 * Which mode each option that shapes a mode goes with; anything else is refused with a
 * message rather than ignored. A new mode adds itself to the rows of the options it takes.
 */
static const struct
{
  const char *option;
  const char *modes[6];
} modifiers[] = {
  { "json", { "status", "report", NULL } },
  { "start-day", { "status", "check-tokens", NULL } },
  { "plan", { "status", "check-tokens", "report", NULL } },
  { "timezone", { "status", "check-tokens", "report", "statusline", NULL } },
  { "since", { "report", "export", NULL } },
  { "until", { "report", "export", NULL } },
  { "breakdown", { "report", NULL } },
  { "start-of-week", { "report", NULL } },
  { "mode", { "report", NULL } },
  { "account", { "report", NULL } },
  { "format", { "export", NULL } },
  { "follow", { "waybar", NULL } },
};

/* The terminal modes, in the order run_mode() picks them. */
static const char * const modes[] = {
  "version", "status", "check-tokens", "statusline", "waybar", "export", "recalculate", "report",
};

/* Says on stderr which option does not go with the mode given, if one does not. */
static gboolean
check_combinations (GVariantDict *options)
{
  const char *mode = NULL;

  for (guint i = 0; mode == NULL && i < G_N_ELEMENTS (modes); i++)
    if (g_variant_dict_contains (options, modes[i]))
      mode = modes[i];

  for (guint i = 0; i < G_N_ELEMENTS (modifiers); i++)
    {
      g_autofree char *allowed = NULL;

      if (!g_variant_dict_contains (options, modifiers[i].option) ||
          (mode != NULL && g_strv_contains (modifiers[i].modes, mode)))
        continue;

      allowed = g_strjoinv (", --", (char **) modifiers[i].modes);
      if (mode != NULL)
        /* Translators: "--plan does not go with --export: it goes with --status, --report" */
        g_printerr (_("--%s does not go with --%s: it goes with --%s.\n"),
                    modifiers[i].option, mode, allowed);
      else
        g_printerr (_("--%s goes with --%s.\n"), modifiers[i].option, allowed);
      return FALSE;
    }

  if (g_strcmp0 (mode, "report") == 0 && g_variant_dict_contains (options, "plan"))
    {
      const char *report = NULL;

      g_variant_dict_lookup (options, "report", "&s", &report);
      if (g_strcmp0 (report, "blocks") != 0)
        {
          g_printerr ("%s\n", _("--plan goes with --report=blocks, not with other reports."));
          return FALSE;
        }
    }

  return TRUE;
}

/* --timezone for this run: every time printed and every day counted follows it. */
static gboolean
apply_timezone (GVariantDict *options)
{
  g_autoptr(GTimeZone) zone = NULL;
  const char *name = NULL;

  if (!g_variant_dict_lookup (options, "timezone", "&s", &name))
    return TRUE;

  zone = g_time_zone_new_identifier (name);
  if (zone == NULL)
    {
      g_printerr (_("Unknown time zone “%s”: use a name such as UTC or Europe/Berlin.\n"), name);
      return FALSE;
    }
  g_setenv ("TZ", name, TRUE);
  return TRUE;
}

/* The modes that ask Anthropic, from the net library: loaded only for them. */
static const GaugeCliNetModes *
net_modes (void)
{
  GaugeCliNetEntry entry = gauge_module_load_entry (GAUGE_NET_MODULE_NAME, GAUGE_CLI_NET_ENTRY);

  return entry != NULL ? entry () : NULL;
}

static int
run_mode (GVariantDict *options)
{
  gboolean json = g_variant_dict_contains (options, "json");
  GaugeCliLocalOptions local = { NULL };
  const GaugeCliNetModes *net;

  g_variant_dict_lookup (options, "start-day", "&s", &local.start_day);
  g_variant_dict_lookup (options, "plan", "&s", &local.plan);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("claude-gauge %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!check_combinations (options) || !apply_timezone (options))
    return GAUGE_CLI_EXIT_ERROR;

  if (g_variant_dict_contains (options, "status"))
    return (net = net_modes ()) != NULL ? net->status (json, &local) : GAUGE_CLI_EXIT_ERROR;

  if (g_variant_dict_contains (options, "check-tokens"))
    {
      const char *tokens = NULL;

      g_variant_dict_lookup (options, "check-tokens", "&s", &tokens);
      return gauge_cli_check_tokens (tokens, &local);
    }

  if (g_variant_dict_contains (options, "statusline"))
    return gauge_cli_statusline ();

  if (g_variant_dict_contains (options, "waybar"))
    return (net = net_modes ()) != NULL ? net->waybar (g_variant_dict_contains (options, "follow"))
                                        : GAUGE_CLI_EXIT_ERROR;

  if (g_variant_dict_contains (options, "export"))
    {
      const char *what = NULL, *since = NULL, *until = NULL, *format = NULL;

      g_variant_dict_lookup (options, "export", "&s", &what);
      g_variant_dict_lookup (options, "since", "&s", &since);
      g_variant_dict_lookup (options, "until", "&s", &until);
      g_variant_dict_lookup (options, "format", "&s", &format);

      return gauge_cli_export (what, since, until, format);
    }

  if (g_variant_dict_contains (options, "recalculate"))
    return gauge_cli_recalculate ();

  if (g_variant_dict_contains (options, "report"))
    {
      GaugeReportOptions report = { 0 };

      g_variant_dict_lookup (options, "report", "&s", &report.report);
      g_variant_dict_lookup (options, "since", "&s", &report.since);
      g_variant_dict_lookup (options, "until", "&s", &report.until);
      g_variant_dict_lookup (options, "timezone", "&s", &report.timezone);
      g_variant_dict_lookup (options, "start-of-week", "&s", &report.start_of_week);
      g_variant_dict_lookup (options, "mode", "&s", &report.mode);
      g_variant_dict_lookup (options, "account", "&s", &report.account);
      report.plan = local.plan;
      report.json = json;
      report.breakdown = g_variant_dict_contains (options, "breakdown");

      if (g_strcmp0 (report.report, "console") == 0)
        return (net = net_modes ()) != NULL ? net->report_console (json) : GAUGE_CLI_EXIT_ERROR;

      return gauge_cli_report (&report);
    }

  return GAUGE_CLI_RUN_APP;
}

/**
 * gauge_cli_handle_options:
 *
 * Runs the terminal mode @options ask for, its output cleaned of control characters.
 *
 * Returns: its exit status, or %GAUGE_CLI_RUN_APP when the options are the
 *   app's (none, --background, --test-alert)
 */
int
gauge_cli_handle_options (GVariantDict *options)
{
  int status;

  gauge_cli_clean_output (TRUE);
  status = run_mode (options);
  if (status == GAUGE_CLI_RUN_APP)
    gauge_cli_clean_output (FALSE);

  return status;
}
