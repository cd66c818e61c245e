/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-account"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-account.h"
#include "gauge-credentials.h"

#define CREDENTIALS_NAME ".credentials.json"
#define MAX_SUGGESTIONS  32   /* a home with more ~/.claude-* folders is not read further */

/**
 * gauge_account_normalize_folder:
 *
 * The folder as the database keys it: absolute, without `.`, `..` or a trailing slash,
 * so that `~/.claude/` and `~/.claude` are one account.
 *
 * Returns: (transfer full) (nullable): the folder, or %NULL for an empty one
 */
char *
gauge_account_normalize_folder (const char *folder)
{
  g_autofree char *stripped = NULL;

  if (folder == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (folder));
  if (*stripped == '\0')
    return NULL;

  /* "~/.claude-work" as typed in Preferences means the home's. */
  if (stripped[0] == '~' && (stripped[1] == '/' || stripped[1] == '\0'))
    return g_canonicalize_filename (stripped[1] == '/' ? stripped + 2 : "", g_get_home_dir ());

  return g_canonicalize_filename (stripped, NULL);
}

/* The folders Claude Code may keep a sign-in in: each of CLAUDE_CONFIG_DIR's, and ~/.claude
 * when the variable is unset or a list (Claude Code then signs in there). */
static void
add_environment_folders (GPtrArray *folders)
{
  const char *config_dir = g_getenv ("CLAUDE_CONFIG_DIR");

  if (config_dir != NULL && *config_dir != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (config_dir, ",", -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        {
          char *folder = gauge_account_normalize_folder (dirs[i]);

          if (folder != NULL)
            g_ptr_array_add (folders, folder);
        }
    }

  if (config_dir == NULL || *config_dir == '\0' || strchr (config_dir, ',') != NULL)
    g_ptr_array_add (folders, g_build_filename (g_get_home_dir (), ".claude", NULL));
}

/**
 * gauge_account_default_folder:
 *
 * The first account's folder: the one of gauge_credentials_get_default_path(), which is
 * what Claude Gauge read before it knew several accounts; their history belongs to it.
 *
 * Returns: (transfer full): the folder
 */
char *
gauge_account_default_folder (void)
{
  g_autofree char *path = gauge_credentials_get_default_path ();
  g_autofree char *folder = g_path_get_dirname (path);

  return gauge_account_normalize_folder (folder);
}

static gboolean
holds_sign_in (const char *folder)
{
  g_autofree char *path = gauge_account_credentials_path (folder);

  /* Only a regular file: a FIFO there must not block whoever reads it later. */
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
contains (GPtrArray  *folders,
          const char *folder)
{
  for (guint i = 0; i < folders->len; i++)
    if (g_strcmp0 (g_ptr_array_index (folders, i), folder) == 0)
      return TRUE;

  return FALSE;
}

/**
 * gauge_account_list_folders:
 * @extra_folders: (nullable): the folders added in Preferences
 *
 * The accounts' folders, in order, each once: the first account's, the environment's, then
 * @extra_folders, keeping those that hold a sign-in. When none does, the first account's
 * folder stays, so that a single account says "signed out" as it always did.
 *
 * Returns: (transfer full): at least one folder
 */
GStrv
gauge_account_list_folders (const char * const *extra_folders)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  /* The first account first: the top-level fields of --status --json are its. */
  g_ptr_array_add (candidates, gauge_account_default_folder ());
  add_environment_folders (candidates);
  for (guint i = 0; extra_folders != NULL && extra_folders[i] != NULL; i++)
    {
      char *folder = gauge_account_normalize_folder (extra_folders[i]);

      if (folder != NULL)
        g_ptr_array_add (candidates, folder);
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *folder = g_ptr_array_index (candidates, i);

      if (!contains (kept, folder) && holds_sign_in (folder))
        g_ptr_array_add (kept, (gpointer) folder);
    }

  if (kept->len == 0)
    g_ptr_array_add (kept, g_ptr_array_index (candidates, 0));

  for (guint i = 0; i < kept->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (kept, i));

  return g_strv_builder_end (builder);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/**
 * gauge_account_find_suggestions:
 * @known_folders: (nullable): folders that are accounts already
 *
 * The `~/.claude-*` folders that hold a sign-in and are not in @known_folders (as
 * claude-swap and `CLAUDE_CONFIG_DIR=~/.claude-work claude` leave them), sorted:
 * offered in Preferences with one click.
 *
 * Returns: (transfer full): the folders, maybe none
 */
GStrv
gauge_account_find_suggestions (const char * const *known_folders)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDir) dir = g_dir_open (g_get_home_dir (), 0, NULL);
  const char *name;

  while (dir != NULL && found->len < MAX_SUGGESTIONS && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = NULL;

      if (!g_str_has_prefix (name, ".claude-"))
        continue;

      folder = g_build_filename (g_get_home_dir (), name, NULL);
      if (known_folders != NULL && g_strv_contains (known_folders, folder))
        continue;
      if (g_file_test (folder, G_FILE_TEST_IS_DIR) && holds_sign_in (folder))
        g_ptr_array_add (found, g_steal_pointer (&folder));
    }

  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (found, i));

  return g_strv_builder_end (builder);
}

/* Returns: (transfer full): @folder's `.credentials.json` */
char *
gauge_account_credentials_path (const char *folder)
{
  g_return_val_if_fail (folder != NULL, NULL);

  return g_build_filename (folder, CREDENTIALS_NAME, NULL);
}

/**
 * gauge_account_display_folder:
 *
 * @folder as a user writes it: `~/.claude-work` for a folder in the home.
 *
 * Returns: (transfer full): the text
 */
char *
gauge_account_display_folder (const char *folder)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  g_return_val_if_fail (folder != NULL, NULL);

  if (len > 1 && strncmp (folder, home, len) == 0 && folder[len] == '/')
    return g_strconcat ("~", folder + len, NULL);

  return g_strdup (folder);
}

/* "someone@example.com · Max 5x", what is known of it, or its folder when nothing is. */
static char *
name_from_profile (const char *email,
                   const char *plan,
                   const char *folder)
{
  if (email != NULL && *email != '\0' && plan != NULL && *plan != '\0')
    return g_strdup_printf ("%s · %s", email, plan);
  if (email != NULL && *email != '\0')
    return g_strdup (email);

  return gauge_account_display_folder (folder);
}

/**
 * gauge_account_make_names:
 * @emails: (array length=n_accounts) (element-type utf8 nullable): profiles' e-mails
 * @plans: (array length=n_accounts) (element-type utf8 nullable): plans' names
 * @folders: (array length=n_accounts): the accounts' folders
 *
 * What each account is called: its profile's e-mail and plan; when two would read the
 * same (one sign-in copied into two folders), each of those by its folder instead.
 *
 * Returns: (transfer full): @n_accounts names
 */
GStrv
gauge_account_make_names (guint               n_accounts,
                          const char * const *emails,
                          const char * const *plans,
                          const char * const *folders)
{
  g_auto(GStrv) names = g_new0 (char *, n_accounts + 1);
  g_autofree gboolean *alike = g_new0 (gboolean, n_accounts + 1);

  for (guint i = 0; i < n_accounts; i++)
    names[i] = name_from_profile (emails[i], plans[i], folders[i]);

  for (guint i = 0; i < n_accounts; i++)
    for (guint j = i + 1; j < n_accounts; j++)
      if (g_strcmp0 (names[i], names[j]) == 0)
        alike[i] = alike[j] = TRUE;

  for (guint i = 0; i < n_accounts; i++)
    if (alike[i])
      {
        g_free (names[i]);
        names[i] = gauge_account_display_folder (folders[i]);
      }

  return g_steal_pointer (&names);
}
