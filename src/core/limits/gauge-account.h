/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Accounts are Claude Code config folders: each folder of the comma-separated
 * CLAUDE_CONFIG_DIR (or ~/.claude when it is unset), then the folders added in
 * Preferences (the `account-folders` key), is an account when it holds a sign-in
 * (`.credentials.json`). A folder is the account's key in the history database.
 */
char  *gauge_account_normalize_folder   (const char         *folder);
char  *gauge_account_default_folder     (void);
GStrv  gauge_account_list_folders       (const char * const *extra_folders);
GStrv  gauge_account_find_suggestions   (const char * const *known_folders);
char  *gauge_account_credentials_path   (const char         *folder);
char  *gauge_account_display_folder     (const char         *folder);
GStrv  gauge_account_make_names         (guint               n_accounts,
                                         const char * const *emails,
                                         const char * const *plans,
                                         const char * const *folders);

G_END_DECLS
