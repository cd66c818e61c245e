/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-cli"

#include "config.h"

#include <stdio.h>

#include "gauge-account.h"
#include "gauge-cli.h"
#include "gauge-format.h"
#include "gauge-settings.h"

/* What every terminal mode shares: clean output, the settings, the database's retry and
 * recovery message. In the executable; --status (gauge-cli.c) is in the net library. */

/* For a terminal whose charset is not UTF-8 (no LANG set: ASCII): the typography our own
 * strings use, in the ASCII it stands for, rather than "?claude?". */
static char *
ascii_punctuation (const char *text)
{
  static const char * const pairs[][2] = {
    { "“", "\"" }, { "”", "\"" }, { "‘", "'" }, { "’", "'" }, { "…", "..." },
    { "–", "-" }, { "—", "-" }, { "·", "-" }, { "×", "x" }, { "↻", "reset " },
  };
  g_autoptr(GString) out = g_string_new (text);

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_string_replace (out, pairs[i][0], pairs[i][1], 0);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What g_print() and g_printerr() do in a terminal mode: what GLib's own handler does (the
 * locale's charset, then flush), with control characters removed first. */
static void
write_clean (FILE       *stream,
             const char *text)
{
  g_autofree char *clean = gauge_format_clean_text (text, TRUE);
  g_autofree char *converted = NULL;
  const char *charset;

  if (!g_get_console_charset (&charset))
    {
      g_autofree char *plain = ascii_punctuation (clean);

      converted = g_convert_with_fallback (plain, -1, charset, "UTF-8", "?", NULL, NULL, NULL);
    }

  fputs (converted != NULL ? converted : clean, stream);
  fflush (stream);
}

static void
print_clean (const char *text)
{
  write_clean (stdout, text);
}

static void
printerr_clean (const char *text)
{
  write_clean (stderr, text);
}

/**
 * gauge_cli_clean_output:
 * @clean: %TRUE for a terminal mode, %FALSE to give GLib its own handlers back
 *
 * Names, currencies, messages and models come from the network and from transcripts; every
 * line a terminal mode prints goes through gauge_format_clean_text() here, so none of them
 * can move the cursor, retitle the terminal or write to its clipboard.
 */
void
gauge_cli_clean_output (gboolean clean)
{
  g_set_print_handler (clean ? print_clean : NULL);
  g_set_printerr_handler (clean ? printerr_clean : NULL);
}

/**
 * gauge_cli_print_json:
 * @json: a JSON document
 *
 * JSON is UTF-8 whatever the locale: it is cleaned like every line, but never converted to
 * the console's charset, where typographic quotes inside strings would become bare ones
 * and end the string early.
 */
void
gauge_cli_print_json (const char *json)
{
  g_autofree char *clean = gauge_format_clean_text (json, TRUE);

  fputs (clean, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

/* The one escape sequence we print on purpose: back to the start of a progress line, blanked. */
void
gauge_cli_clear_line (void)
{
  fputs ("\r\033[K", stderr);
  fflush (stderr);
}

/**
 * gauge_cli_retry_on_new_store:
 * @attempts: (inout): how often the caller tried already, 0 at first
 *
 * Whether to do again what failed with @error: once, when the database turned out to be
 * damaged (moved aside meanwhile, and a new one started) or moved aside by another process.
 * Clears @error then.
 */
gboolean
gauge_cli_retry_on_new_store (GError **error,
                              guint   *attempts)
{
  if ((*attempts)++ > 0 ||
      !g_error_matches (*error, GAUGE_STORE_ERROR, GAUGE_STORE_ERROR_REPLACED))
    return FALSE;

  g_debug ("Again on a new database: %s", (*error)->message);
  g_clear_error (error);
  return TRUE;
}

/* Where a damaged database went and what it held, once, on stderr. */
void
gauge_cli_print_recovery (GaugeStore *store)
{
  g_autofree char *message = gauge_store_take_recovery_message (store);

  if (message != NULL)
    g_printerr ("%s\n", message);
}

/**
 * gauge_cli_account_folders:
 *
 * The accounts' folders as the app has them: the first account's first, then those added
 * in Preferences that hold a sign-in (gauge_account_list_folders()).
 *
 * Returns: (transfer full): at least one folder
 */
GStrv
gauge_cli_account_folders (void)
{
  g_autoptr(GSettings) settings = gauge_settings_new_if_installed ();
  g_auto(GStrv) extra = settings != NULL ? g_settings_get_strv (settings, "account-folders")
                                         : NULL;

  return gauge_account_list_folders ((const char * const *) extra);
}
