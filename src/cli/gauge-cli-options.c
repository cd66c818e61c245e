/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-cli.h"
#include "gauge-cli-console.h"
#include "gauge-cli-export.h"
#include "gauge-cli-options.h"
#include "gauge-cli-report.h"
#include "gauge-cli-statusline.h"
#include "gauge-cli-waybar.h"

/*
 * The command line of claude-gauge. The terminal modes run without GTK: the
 * executable handles them before it loads the app (gauge-ui-module.c), and
 * the app handles them the same way when it is started another way.
 */

static const GOptionEntry entries[] = {
  { "status", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the state of every limit and exit (0 healthy, 1 warning, 2 critical, 3 error)"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --status: print JSON"), NULL },
  { "report", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Print a usage report from local transcripts and exit"), N_("daily|weekly|monthly|session|blocks") },
  { "since", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report: from this day"), N_("YYYY-MM-DD") },
  { "until", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report: up to this day"), N_("YYYY-MM-DD") },
  { "timezone", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report: the time zone days are counted in"),
    N_("TZ") },
  { "breakdown", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --report: per-model breakdown"), NULL },
  { "start-of-week", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report=weekly: the first day of a week"),
    N_("monday|…|sunday") },
  { "mode", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --report: how costs are computed"),
    N_("auto|calculate|display") },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Write history to standard output and exit"), N_("readings|entries|daily") },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --export: the format"), N_("csv|json") },
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

static int
run_mode (GVariantDict *options)
{
  gboolean json = g_variant_dict_contains (options, "json");

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("claude-gauge %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "status"))
    return gauge_cli_status (json);

  if (g_variant_dict_contains (options, "statusline"))
    return gauge_cli_statusline ();

  if (g_variant_dict_contains (options, "waybar"))
    return gauge_cli_waybar (g_variant_dict_contains (options, "follow"));

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
      report.json = json;
      report.breakdown = g_variant_dict_contains (options, "breakdown");

      if (g_strcmp0 (report.report, "console") == 0)
        return gauge_cli_report_console (json);

      return gauge_cli_report (&report);
    }

  if (json)
    {
      g_printerr ("%s\n", _("--json only goes with --status or --report"));
      return GAUGE_CLI_EXIT_ERROR;
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
