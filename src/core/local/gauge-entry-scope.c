/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-entry-scope"

#include "config.h"

#include "gauge-account.h"
#include "gauge-entry-scope.h"
#include "gauge-transcript-index.h"

/**
 * gauge_entry_scope_new:
 * @folders: config folders, normalized
 * @except: %TRUE for every folder but @folders
 *
 * Returns: (transfer full): the scope
 */
GaugeEntryScope *
gauge_entry_scope_new (const char * const *folders,
                       gboolean            except)
{
  GaugeEntryScope *scope = g_new0 (GaugeEntryScope, 1);

  g_return_val_if_fail (folders != NULL, NULL);

  scope->folders = g_strdupv ((char **) folders);
  scope->except = except;
  return scope;
}

/**
 * gauge_entry_scope_new_account:
 * @accounts: every account's folder, the first account's first
 * @folder: the account's folder, one of @accounts
 *
 * One account's local usage: its folder's transcripts; for the first account, every folder's
 * but the other accounts'.
 *
 * Returns: (transfer full): the scope
 */
GaugeEntryScope *
gauge_entry_scope_new_account (const char * const *accounts,
                               const char         *folder)
{
  g_return_val_if_fail (accounts != NULL && accounts[0] != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  if (g_strcmp0 (accounts[0], folder) == 0)
    return gauge_entry_scope_new (accounts + 1, TRUE);
  else
    {
      const char *only[] = { folder, NULL };

      return gauge_entry_scope_new (only, FALSE);
    }
}

/**
 * gauge_entry_scope_new_environment:
 *
 * The folders this process's Claude Code reads (CLAUDE_CONFIG_DIR's, else ~/.claude and
 * ~/.config/claude): the usage ccusage counts when run beside it, and the account whose
 * folder Claude Code runs in.
 *
 * Returns: (transfer full): the scope
 */
GaugeEntryScope *
gauge_entry_scope_new_environment (void)
{
  g_auto(GStrv) roots = gauge_transcript_index_find_project_dirs ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) folders = NULL;

  for (guint i = 0; roots[i] != NULL; i++)
    {
      g_autofree char *parent = g_path_get_dirname (roots[i]);
      g_autofree char *folder = gauge_account_normalize_folder (parent);

      if (folder != NULL)
        g_strv_builder_add (builder, folder);
    }
  folders = g_strv_builder_end (builder);

  return gauge_entry_scope_new ((const char * const *) folders, FALSE);
}

GaugeEntryScope *
gauge_entry_scope_copy (const GaugeEntryScope *scope)
{
  if (scope == NULL)
    return NULL;
  return gauge_entry_scope_new ((const char * const *) scope->folders, scope->except);
}

void
gauge_entry_scope_free (GaugeEntryScope *scope)
{
  if (scope == NULL)
    return;
  g_strfreev (scope->folders);
  g_free (scope);
}

/* Whether two scopes take the same transcripts (%NULL: every folder's). */
gboolean
gauge_entry_scope_equal (const GaugeEntryScope *a,
                         const GaugeEntryScope *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->except == b->except &&
         g_strv_equal ((const char * const *) a->folders, (const char * const *) b->folders);
}

/**
 * gauge_entry_scope_includes:
 * @scope: (nullable): the scope, %NULL for every folder
 * @folder: (nullable): a transcript's folder, %NULL when its path shows none
 *
 * Returns: whether the transcripts of @folder are in @scope
 */
gboolean
gauge_entry_scope_includes (const GaugeEntryScope *scope,
                            const char            *folder)
{
  gboolean listed;

  if (scope == NULL)
    return TRUE;

  listed = folder != NULL && g_strv_contains ((const char * const *) scope->folders, folder);
  return listed != scope->except;
}
