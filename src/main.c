/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-main"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gauge-cli.h"
#include "gauge-cli-net.h"
#include "gauge-cli-options.h"
#include "gauge-module.h"
#include "gauge-worker.h"

/*
 * claude-gauge answers in the terminal (--status, --statusline, --report, …)
 * without GTK: loading GTK and libadwaita costs about 9 ms of every start, a
 * statusline runs every few seconds. Only the app itself loads them, from
 * its module (gauge-ui-module.c); likewise libsoup and libsecret, in the
 * net library, only for the modes that ask Anthropic (gauge-net-module.c).
 */

typedef int (*UiMain) (int argc, char **argv);

static int
handle_local_options_cb (GApplication *app,
                         GVariantDict *options,
                         gboolean     *run_app)
{
  g_autofree const char **words = NULL;
  int status;

  /* Words that are not options: GApplication would take them for files to open, which
   * Claude Gauge does not do ("claude-gauge 32000"). */
  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &words) && words[0] != NULL)
    {
      g_autofree char *word = g_filename_display_name (words[0]);

      gauge_cli_clean_output (TRUE);
      g_printerr (_("claude-gauge takes no word such as “%s”: every option starts with --. "
                    "See claude-gauge --help.\n"), word);
      return 1;
    }

  status = gauge_cli_handle_options (options);
  if (status != GAUGE_CLI_RUN_APP)
    return status;

  *run_app = TRUE;
  return 0;
}

static int
run_app (int   argc,
         char *argv[])
{
  UiMain ui_main;

  /* The net library first: the app's module uses what it exports, as it uses the executable. */
  if (gauge_module_load_entry (GAUGE_NET_MODULE_NAME, GAUGE_CLI_NET_ENTRY) == NULL)
    return 1;

  ui_main = gauge_module_load_entry (GAUGE_UI_MODULE_NAME, "gauge_ui_main");

  return ui_main != NULL ? ui_main (argc, argv) : 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) cli = NULL;
  gboolean wants_app = FALSE;
  int status;

  /* First of all: GLib accepts this only before any thread exists, and reading a setting
   * through dconf starts one. Debug output then never mixes with what scripts read on stdout. */
  g_log_writer_default_set_use_stderr (TRUE);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The same options as the app's; a terminal mode runs here and the process ends. */
  cli = g_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  gauge_cli_add_options (cli);
  g_application_add_main_option (cli, G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY,
                                 "", NULL);
  g_signal_connect (cli, "handle-local-options", G_CALLBACK (handle_local_options_cb), &wants_app);
  status = g_application_run (cli, argc, argv);
  g_clear_object (&cli);

  if (!wants_app)
    {
      /* A reading handed to a thread is saved before the process ends. */
      gauge_worker_wait_idle (5 * G_USEC_PER_SEC);
      return status;
    }

  return run_app (argc, argv);
}
