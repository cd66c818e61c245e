/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <adwaita.h>

#include "gauge-account-folders-group.h"
#include "gauge-test-server.h"

/*
 * Preferences › Claude Accounts as a user meets it: a ~/.claude-work folder that holds a
 * sign-in is offered; one click adds it to `account-folders`; its row then says it is signed
 * in and removes it again; the tray row chooses among the accounts.
 */

/* The first button below @widget whose folder is @folder. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *folder)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "folder"), folder) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, folder);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_combo (GtkWidget *widget)
{
  if (ADW_IS_COMBO_ROW (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_combo (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The subtitle of the row that holds @button. */
static const char *
row_subtitle (GtkWidget *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
test_add_and_remove (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *personal_dir = g_build_filename (g_get_home_dir (), ".claude", NULL);
  g_autofree char *work_dir = g_build_filename (g_get_home_dir (), ".claude-work", NULL);
  g_autofree char *personal = gauge_test_write_credentials (personal_dir, "sk-ant-oat01-a",
                                                            g_get_real_time () / 1000 + 3600000,
                                                            "default_claude_max_5x");
  g_autofree char *work = gauge_test_write_credentials (work_dir, "sk-ant-oat01-b",
                                                        g_get_real_time () / 1000 + 3600000,
                                                        "default_claude_max_20x");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = gauge_account_folders_group_new (settings);
  GtkWidget *button;
  GtkWidget *combo;
  g_auto(GStrv) folders = NULL;
  g_autofree char *tray = NULL;

  g_unsetenv ("CLAUDE_CONFIG_DIR");
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* Offered, not yet read; ~/.claude, read anyway, is not offered. */
  button = find_button (group, work_dir);
  g_assert_nonnull (button);
  g_assert_cmpstr (row_subtitle (button), ==, "Holds a Claude Code sign-in: add it as an account");
  g_assert_null (find_button (group, personal_dir));

  /* One click adds it; its row then says it is signed in. */
  g_signal_emit_by_name (button, "clicked");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  folders = g_settings_get_strv (settings, "account-folders");
  g_assert_cmpuint (g_strv_length (folders), ==, 1);
  g_assert_cmpstr (folders[0], ==, work_dir);
  button = find_button (group, work_dir);
  g_assert_nonnull (button);
  g_assert_cmpstr (row_subtitle (button), ==, "Signed in");

  /* Two accounts: the tray row offers "nearest", then each; choosing the work one says so. */
  combo = find_combo (group);
  g_assert_true (gtk_widget_get_visible (combo));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (combo))),
                    ==, 3);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  tray = g_settings_get_string (settings, "tray-account");
  g_assert_cmpstr (tray, ==, work_dir);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  g_clear_pointer (&tray, g_free);
  tray = g_settings_get_string (settings, "tray-account");
  g_assert_cmpstr (tray, ==, "");

  /* And removes it again: offered once more. */
  g_signal_emit_by_name (button, "clicked");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&folders, g_strfreev);
  folders = g_settings_get_strv (settings, "account-folders");
  g_assert_cmpuint (g_strv_length (folders), ==, 0);
  button = find_button (group, work_dir);
  g_assert_nonnull (button);
  g_assert_cmpstr (row_subtitle (button), ==, "Holds a Claude Code sign-in: add it as an account");
  g_assert_false (gtk_widget_get_visible (find_combo (group)));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/preferences/account-folders", test_add_and_remove);

  return g_test_run ();
}
