/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli-report"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gauge-account.h"
#include "gauge-blocks.h"
#include "gauge-cli.h"
#include "gauge-cli-report.h"
#include "gauge-local-summary.h"
#include "gauge-clock.h"
#include "gauge-credentials.h"
#include "gauge-format.h"
#include "gauge-json.h"
#include "gauge-pricing.h"
#include "gauge-report-format.h"
#include "gauge-settings.h"
#include "gauge-store.h"
#include "gauge-store-entries.h"
#include "gauge-store-index.h"
#include "gauge-store-readings.h"
#include "gauge-transcript-index.h"

/* The account --account names: by its folder, as it is shown ("~/.claude-work"), or by its
 * name (e-mail and plan, as the app learned them). Says on stderr when none is.
 * Returns: (transfer full) (nullable): its local usage's scope */
static GaugeEntryScope *
find_account (GaugeStore *store,
              const char *wanted)
{
  g_auto(GStrv) folders = gauge_cli_account_folders ();
  guint n = g_strv_length (folders);
  g_autofree char *folder = gauge_account_normalize_folder (wanted);
  g_autofree char **emails = g_new0 (char *, n + 1);
  g_autofree char **plans = g_new0 (char *, n + 1);
  g_auto(GStrv) names = NULL;
  g_autoptr(GString) known = g_string_new (NULL);
  g_autofree char *clean = NULL;
  GaugeEntryScope *scope = NULL;

  for (guint i = 0; i < n && scope == NULL; i++)
    if (g_strcmp0 (folders[i], folder) == 0)
      scope = gauge_entry_scope_new_account ((const char * const *) folders, folders[i]);

  for (guint i = 0; i < n && scope == NULL; i++)
    gauge_store_load_account_profile (store, folders[i], &emails[i], &plans[i], NULL);
  names = gauge_account_make_names (n, (const char * const *) emails,
                                    (const char * const *) plans,
                                    (const char * const *) folders);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *shown = gauge_account_display_folder (folders[i]);

      if (scope == NULL && (g_strcmp0 (names[i], wanted) == 0 ||
                            g_strcmp0 (shown, wanted) == 0))
        scope = gauge_entry_scope_new_account ((const char * const *) folders, folders[i]);
      g_string_append_printf (known, "\n  %s (%s)", names[i], shown);
      g_free (emails[i]);
      g_free (plans[i]);
    }
  if (scope != NULL)
    return scope;

  clean = gauge_format_clean_text (wanted, FALSE);
  /* Translators: followed by the accounts, one a line */
  g_printerr (_("No account “%s”. The accounts are:%s\n"), clean, known->str);
  return NULL;
}

/* An empty report from an empty index: say where transcripts were looked for. */
static void
explain_no_transcripts (GaugeStore *store)
{
  g_autoptr(GHashTable) files = gauge_store_load_transcript_files (store, NULL, NULL);
  g_auto(GStrv) dirs = NULL;
  g_autofree char *where = NULL;

  if (files == NULL || g_hash_table_size (files) > 0)
    return;

  dirs = gauge_transcript_index_find_project_dirs ();
  /* Translators: joins two folders, "~/.claude/projects and ~/.config/claude/projects" */
  where = g_strjoinv (_(" and "), dirs);
  g_printerr (_("No Claude Code transcripts were found: Claude Gauge looked in %s. Set "
                "CLAUDE_CONFIG_DIR if Claude Code keeps them elsewhere.\n"), where);
}

static gboolean
parse_kind (const char      *report,
            GaugeReportKind *kind,
            gboolean        *blocks)
{
  static const struct { const char *name; GaugeReportKind kind; } kinds[] = {
    { "daily", GAUGE_REPORT_DAILY }, { "weekly", GAUGE_REPORT_WEEKLY },
    { "monthly", GAUGE_REPORT_MONTHLY }, { "session", GAUGE_REPORT_SESSION },
  };

  *blocks = g_strcmp0 (report, "blocks") == 0;
  if (*blocks)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (report, kinds[i].name) == 0)
      {
        *kind = kinds[i].kind;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
  gboolean   tty;
  gboolean   recalculate;
} IndexRun;

static void
index_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GaugeTranscriptIndex *index = GAUGE_TRANSCRIPT_INDEX (object);
  IndexRun *run = user_data;

  if (run->recalculate)
    gauge_transcript_index_recalculate_finish (index, result, &run->error);
  else
    gauge_transcript_index_update_finish (index, result, &run->error);

  g_main_loop_quit (run->loop);
}

/* On a terminal, the first indexing of a big history shows how far it got. */
static void
index_progress_cb (GaugeTranscriptIndex *index,
                   guint                 files_done,
                   guint                 files_total,
                   guint64               bytes_done,
                   guint64               bytes_total,
                   IndexRun             *run)
{
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;

  if (!run->tty || bytes_total < 16 * 1024 * 1024)
    return;

  done = g_format_size (bytes_done);
  total = g_format_size (bytes_total);
  gauge_cli_clear_line ();
  /* Translators: "Reading transcripts… 120 of 400 files (1.2 GB of 2.0 GB)"; the plural
   * follows the number of files in all (the second number) */
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Reading transcripts… %u of %u file (%s of %s)",
                           "Reading transcripts… %u of %u files (%s of %s)", files_total),
              files_done, files_total, done, total);
}

/**
 * gauge_cli_update_index:
 * @recalculate: rebuild the index from scratch
 * @malformed: (out) (optional): lines the transcripts hold that could not be read
 *
 * Brings the transcript index up to date (reading only what changed).
 */
gboolean
gauge_cli_update_index (GaugeStore  *store,
                        gboolean     recalculate,
                        guint64     *malformed,
                        GError     **error)
{
  g_autoptr(GaugeTranscriptIndex) index = NULL;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  g_auto(GStrv) folders = gauge_cli_account_folders ();
  IndexRun run = { loop, NULL, isatty (STDERR_FILENO), recalculate };

  /* The wait runs the index's own sources only. On the caller's context it would also run
   * the caller's: `--waybar --follow` printed the app's newer reading from inside this wait,
   * then the older one it was working on, which stayed on the bar. */
  g_main_context_push_thread_default (context);
  index = gauge_transcript_index_new (store);
  /* As the app: the accounts added in Preferences have their transcripts read too. */
  gauge_transcript_index_set_account_folders (index, (const char * const *) folders);

  g_signal_connect (index, "progress", G_CALLBACK (index_progress_cb), &run);
  if (recalculate)
    gauge_transcript_index_recalculate_async (index, NULL, index_done_cb, &run);
  else
    gauge_transcript_index_update_async (index, NULL, index_done_cb, &run);
  g_main_loop_run (loop);

  if (malformed != NULL)
    *malformed = (guint64) MAX (gauge_transcript_index_get_n_malformed (index), 0);
  /* Gone while its context is the thread's: what it leaves there goes with it. */
  g_clear_object (&index);
  g_main_context_pop_thread_default (context);

  if (run.tty)
    gauge_cli_clear_line ();

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }

  return TRUE;
}

/* `claude-gauge --recalculate`: drops the transcript index and reads everything again. */
int
gauge_cli_recalculate (void)
{
  g_autoptr(GaugeStore) store = gauge_store_new (NULL);
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *indexed = NULL;
  g_autofree char *unread = NULL;
  guint64 malformed = 0;
  guint n_malformed;

  /* The way out of a damaged database, however it is damaged: every page is read first. */
  if (!gauge_store_check (store, &error))
    {
      gauge_cli_print_recovery (store);
      g_printerr (_("Could not rebuild the transcript index: %s\n"), error->message);
      return 1;
    }

  for (guint attempts = 0;;)
    {
      if ((gauge_cli_update_index (store, TRUE, &malformed, &error) &&
           (entries = gauge_store_load_entries (store, 0, 0, &error)) != NULL) ||
          !gauge_cli_retry_on_new_store (&error, &attempts))
        break;
    }

  gauge_cli_print_recovery (store);
  if (entries == NULL)
    {
      g_printerr (_("Could not rebuild the transcript index: %s\n"), error->message);
      return 1;
    }

  n_malformed = (guint) MIN (malformed, G_MAXUINT);
  /* Translators: the first half of "Indexed 120 entries; 3 lines could not be read." */
  indexed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Indexed %u entry", "Indexed %u entries",
                                          entries->len),
                             entries->len);
  /* Translators: the second half of "Indexed 120 entries; 3 lines could not be read." */
  unread = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line could not be read.",
                                         "%u lines could not be read.", n_malformed),
                            n_malformed);
  /* Translators: "Indexed 120 entries; 3 lines could not be read." from its two halves */
  g_print (_("%s; %s\n"), indexed, unread);
  return 0;
}

/**
 * gauge_cli_report:
 *
 * `claude-gauge --report=daily|weekly|monthly|session|blocks`. Returns 0, or
 * 1 for bad options or an unreadable history (with a message on stderr).
 */
int
gauge_cli_report (const GaugeReportOptions *options)
{
  g_autoptr(GaugeStore) store = NULL;
  g_autoptr(GaugePricing) pricing = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GaugeEntryScope) scope = NULL;  /* --account's, once found */
  g_autoptr(GStringChunk) strings = NULL;   /* freed after entries, which point into it */
  g_autoptr(GArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GaugeReportParams params = { 0 };
  GaugeReportKind kind = GAUGE_REPORT_DAILY;
  gboolean blocks = FALSE;
  GDate since, until;
  g_autoptr(GSettings) gsettings = gauge_settings_new_if_installed ();
  GaugeLocalSummaryParams settings;
  gint64 now_ms;

  g_return_val_if_fail (options != NULL, 1);

  gauge_local_summary_params_init (&settings, gsettings);

  if (!parse_kind (options->report, &kind, &blocks))
    {
      g_printerr (_("Unknown report “%s”: use daily, weekly, monthly, session or blocks.\n"),
                  options->report != NULL ? options->report : "");
      return 1;
    }
  if (options->since != NULL && !gauge_parse_day (options->since, &since))
    {
      g_printerr (_("--since needs a date as YYYY-MM-DD, not “%s”.\n"), options->since);
      return 1;
    }
  if (options->until != NULL && !gauge_parse_day (options->until, &until))
    {
      g_printerr (_("--until needs a date as YYYY-MM-DD, not “%s”.\n"), options->until);
      return 1;
    }
  if (options->since != NULL && options->until != NULL && g_date_compare (&since, &until) > 0)
    {
      g_printerr (_("--since is after --until.\n"));
      return 1;
    }
  if (options->timezone != NULL)
    {
      zone = g_time_zone_new_identifier (options->timezone);
      if (zone == NULL)
        {
          g_printerr (_("Unknown time zone “%s”: use a name such as UTC or Europe/Berlin.\n"),
                      options->timezone);
          return 1;
        }
    }
  else
    zone = g_time_zone_new_local ();
  if (options->start_of_week != NULL &&
      !gauge_weekday_from_string (options->start_of_week, &settings.start_of_week))
    {
      g_printerr (_("Unknown day “%s” for --start-of-week: use monday … sunday.\n"),
                  options->start_of_week);
      return 1;
    }
  if (options->plan != NULL && !gauge_plan_limit_from_string (options->plan, &settings.plan))
    {
      g_printerr (_("Unknown plan “%s”: use pro, max5, max20, custom, custom_max or p90.\n"),
                  options->plan);
      return 1;
    }
  if (options->mode != NULL && !gauge_cost_mode_from_string (options->mode, &settings.mode))
    {
      g_printerr (_("Unknown cost mode “%s”: use auto, calculate or display.\n"), options->mode);
      return 1;
    }

  pricing = gauge_pricing_new_default (&error);
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      g_clear_error (&error);
    }

  store = gauge_store_new (NULL);
  for (guint attempts = 0;;)
    {
      /* A day of margin each side: days are cut in the report's time zone. */
      gint64 since_ms = options->since != NULL && !blocks ? gauge_day_start_ms (&since, zone, -1) : 0;
      gint64 until_ms = options->until != NULL && !blocks ? gauge_day_start_ms (&until, zone, 2) : 0;

      if (!gauge_store_open (store, &error))
        {
          gauge_cli_print_recovery (store);
          g_printerr (_("Cannot open the history: %s\n"), error->message);
          return 1;
        }
      if (!gauge_cli_update_index (store, FALSE, &params.malformed_lines, &error))
        {
          if (gauge_cli_retry_on_new_store (&error, &attempts))
            continue;
          gauge_cli_print_recovery (store);
          g_printerr (_("Could not read the transcripts: %s\n"), error->message);
          return 1;
        }

      if (options->account != NULL && scope == NULL &&
          (scope = find_account (store, options->account)) == NULL)
        return 1;

      /* Days, weeks and months add up sums kept per quarter hour (of every folder: one
       * account's reads its entries); sessions and blocks need the entries, without message
       * or request ids, and only sessions their session and project. */
      if (!blocks && kind != GAUGE_REPORT_SESSION && scope == NULL)
        entries = gauge_store_load_entry_sums (store, since_ms, until_ms, &strings, &error);
      else
        entries = gauge_store_load_scoped_entries (store, scope, since_ms, until_ms,
                                                   kind == GAUGE_REPORT_SESSION && !blocks
                                                     ? GAUGE_STORE_LOAD_SESSIONS
                                                     : GAUGE_STORE_LOAD_NONE,
                                                   &strings, &error);
      if (entries != NULL)
        break;
      if (gauge_cli_retry_on_new_store (&error, &attempts))
        continue;
      gauge_cli_print_recovery (store);
      g_printerr (_("Cannot read the history: %s\n"), error->message);
      return 1;
    }
  gauge_cli_print_recovery (store);

  now_ms = gauge_clock_now_unix () * 1000;
  params.time_zone = zone;
  params.start_of_week = settings.start_of_week;
  params.since = options->since != NULL ? &since : NULL;
  params.until = options->until != NULL ? &until : NULL;
  params.mode = settings.mode;

  if (blocks)
    {
      g_autoptr(GPtrArray) list = gauge_blocks_compute (entries, pricing, settings.mode, now_ms);
      g_autoptr(GaugeCredentials) credentials = NULL;

      if (list->len == 0)
        explain_no_transcripts (store);
      g_autofree char *path = gauge_credentials_get_default_path ();
      GaugeBlockLimit limit;
      gboolean has_limit;

      credentials = gauge_credentials_new_from_file (path, NULL);
      has_limit = gauge_blocks_get_limit (list, settings.plan, settings.custom_limit_tokens,
                                          credentials != NULL
                                            ? gauge_credentials_get_rate_limit_tier (credentials)
                                            : NULL,
                                          &limit);
      if (options->json)
        {
          g_autoptr(JsonNode) root = gauge_blocks_to_json (list, now_ms,
                                                           has_limit ? &limit : NULL);
          g_autofree char *text = gauge_json_to_string (root);

          gauge_cli_print_json (text);
        }
      else
        {
          g_autofree char *text = gauge_blocks_to_text (list, now_ms,
                                                        has_limit ? &limit : NULL, zone);
          g_print ("%s", text);
        }
    }
  else
    {
      g_autoptr(GaugeReport) report = gauge_report_new (kind, entries, pricing, &params);

      if (report->rows->len == 0)
        explain_no_transcripts (store);

      if (options->json)
        {
          g_autoptr(JsonNode) root = gauge_report_to_json (report);
          g_autofree char *text = gauge_json_to_string (root);

          gauge_cli_print_json (text);
        }
      else
        {
          g_autofree char *text = gauge_report_to_text (report, options->breakdown);
          g_print ("%s", text);
        }
    }

  return 0;
}
