/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-account-choice"

#include "config.h"

#include "gauge-account-choice.h"

/**
 * gauge_account_choice_index:
 *
 * Returns: the chosen account's place among the accounts, or -1 with fewer than two
 *   accounts or when the entry for all of them is chosen
 */
int
gauge_account_choice_index (GaugeAccountChoice *choice)
{
  guint n = choice->folders != NULL ? g_strv_length (choice->folders) : 0;
  guint selected = gtk_drop_down_get_selected (choice->drop_down);
  guint first = choice->all != NULL ? 1 : 0;

  if (n < 2 || selected < first)
    return -1;
  /* Nothing chosen yet (GTK_INVALID_LIST_POSITION): the first entry. */
  if (selected - first >= n)
    return choice->all != NULL ? -1 : 0;
  return (int) (selected - first);
}

/* Returns: (nullable): the chosen account's folder, as gauge_account_choice_index() */
const char *
gauge_account_choice_get (GaugeAccountChoice *choice)
{
  int index = gauge_account_choice_index (choice);

  return index >= 0 ? choice->folders[index] : NULL;
}

/**
 * gauge_account_choice_sync:
 * @on_selected: the drop-down's handler of notify::selected, blocked meanwhile
 *
 * Follows the accounts (their names too, once a profile is read), keeping the chosen one.
 *
 * Returns: whether the chosen account changed (it went away, or there are fewer than two)
 */
gboolean
gauge_account_choice_sync (GaugeAccountChoice *choice,
                           GaugeAccountList   *accounts,
                           GCallback           on_selected,
                           gpointer            user_data)
{
  guint n = accounts != NULL ? gauge_account_list_get_n_accounts (accounts) : 0;
  guint first = choice->all != NULL ? 1 : 0;
  g_autofree char *chosen = g_strdup (gauge_account_choice_get (choice));
  g_auto(GStrv) folders = g_new0 (char *, n + 1);
  g_auto(GStrv) names = g_new0 (char *, n + first + 1);
  g_autoptr(GtkStringList) model = NULL;
  guint selected = 0;

  if (choice->all != NULL)
    names[0] = g_strdup (choice->all);
  for (guint i = 0; i < n; i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (accounts, i);

      folders[i] = g_strdup (gauge_limits_monitor_get_folder (monitor));
      names[i + first] = gauge_account_list_dup_name (accounts, i);
      if (g_strcmp0 (folders[i], chosen) == 0)
        selected = i + first;
    }

  if (choice->folders != NULL && g_strv_equal ((const char * const *) folders,
                                               (const char * const *) choice->folders) &&
      g_strv_equal ((const char * const *) names, (const char * const *) choice->names))
    return FALSE;

  g_strfreev (choice->folders);
  choice->folders = g_steal_pointer (&folders);
  g_strfreev (choice->names);
  choice->names = g_steal_pointer (&names);

  model = gtk_string_list_new ((const char * const *) choice->names);
  g_signal_handlers_block_by_func (choice->drop_down, on_selected, user_data);
  gtk_drop_down_set_model (choice->drop_down, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (choice->drop_down, selected);
  g_signal_handlers_unblock_by_func (choice->drop_down, on_selected, user_data);
  gtk_widget_set_visible (GTK_WIDGET (choice->drop_down), n >= 2);

  return g_strcmp0 (chosen, gauge_account_choice_get (choice)) != 0;
}

void
gauge_account_choice_clear (GaugeAccountChoice *choice)
{
  g_clear_pointer (&choice->folders, g_strfreev);
  g_clear_pointer (&choice->names, g_strfreev);
}
