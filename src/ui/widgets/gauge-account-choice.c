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
  guint first = choice->all != NULL && !choice->all_last ? 1 : 0;

  if (n < 2 || selected < first)
    return -1;
  /* The entry for all after the accounts, or nothing chosen yet (GTK_INVALID_LIST_POSITION):
   * the first entry's. */
  if (selected - first >= n)
    return choice->all != NULL && (choice->all_last ? selected == n : TRUE) ? -1 : 0;
  return (int) (selected - first);
}

/* Returns: (nullable): the chosen account's folder, as gauge_account_choice_index() */
const char *
gauge_account_choice_get (GaugeAccountChoice *choice)
{
  int index = gauge_account_choice_index (choice);

  return index >= 0 ? choice->folders[index] : NULL;
}

/* Returns: whether the entry for all of them is chosen, among two accounts or more */
gboolean
gauge_account_choice_is_all (GaugeAccountChoice *choice)
{
  return choice->all != NULL && choice->folders != NULL && g_strv_length (choice->folders) >= 2 &&
         gauge_account_choice_index (choice) < 0;
}

static void
selected_cb (GaugeAccountChoice *choice)
{
  choice->chosen (choice->page);
}

/* The drop-down follows the accounts, keeping the chosen one (or the entry for all). */
static void
sync_accounts (GaugeAccountChoice *choice)
{
  guint n = choice->accounts != NULL ? gauge_account_list_get_n_accounts (choice->accounts) : 0;
  guint first = choice->all != NULL && !choice->all_last ? 1 : 0;
  g_autofree char *chosen = g_strdup (gauge_account_choice_get (choice));
  gboolean all_chosen = gauge_account_choice_is_all (choice);
  g_auto(GStrv) folders = g_new0 (char *, n + 1);
  g_auto(GStrv) names = g_new0 (char *, n + 1);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  guint selected = all_chosen && choice->all_last ? n : 0;

  for (guint i = 0; i < n; i++)
    {
      GaugeLimitsMonitor *monitor = gauge_account_list_get_monitor (choice->accounts, i);

      folders[i] = g_strdup (gauge_limits_monitor_get_folder (monitor));
      names[i] = gauge_account_list_dup_name (choice->accounts, i);
      if (g_strcmp0 (folders[i], chosen) == 0)
        selected = i + first;
    }

  if (choice->folders != NULL && g_strv_equal ((const char * const *) folders,
                                               (const char * const *) choice->folders) &&
      g_strv_equal ((const char * const *) names, (const char * const *) choice->names))
    return;

  g_strfreev (choice->folders);
  choice->folders = g_steal_pointer (&folders);
  g_strfreev (choice->names);
  choice->names = g_steal_pointer (&names);

  if (first > 0)
    gtk_string_list_append (model, choice->all);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (model, choice->names[i]);
  if (choice->all != NULL && choice->all_last)
    gtk_string_list_append (model, choice->all);
  g_signal_handlers_block_by_func (choice->drop_down, selected_cb, choice);
  gtk_drop_down_set_model (choice->drop_down, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (choice->drop_down, selected);
  g_signal_handlers_unblock_by_func (choice->drop_down, selected_cb, choice);
  gtk_widget_set_visible (GTK_WIDGET (choice->drop_down), n >= 2);

  /* The account chosen went away, or there are fewer than two now; or all of them were
   * chosen, and they changed. */
  if (all_chosen || g_strcmp0 (chosen, gauge_account_choice_get (choice)) != 0)
    choice->chosen (choice->page);
}

/**
 * gauge_account_choice_init:
 * @drop_down: the page's, hidden until there are two accounts
 * @all: (nullable): the label of an entry for every account
 * @all_last: whether that entry comes after the accounts (the first account is chosen at
 *   first) rather than before them (and chosen at first)
 * @chosen: called with @page when the account chosen changes
 */
void
gauge_account_choice_init (GaugeAccountChoice *choice,
                           GtkDropDown        *drop_down,
                           const char         *all,
                           gboolean            all_last,
                           GaugeAccountChosen  chosen,
                           gpointer            page)
{
  *choice = (GaugeAccountChoice) { drop_down, all, all_last, chosen, page, NULL, NULL, NULL };
  g_signal_connect_swapped (drop_down, "notify::selected", G_CALLBACK (selected_cb), choice);
}

/* The accounts the drop-down offers. */
void
gauge_account_choice_set_accounts (GaugeAccountChoice *choice,
                                   GaugeAccountList   *accounts)
{
  if (choice->accounts != NULL)
    g_signal_handlers_disconnect_by_func (choice->accounts, sync_accounts, choice);
  g_set_object (&choice->accounts, accounts);
  if (accounts != NULL)
    g_signal_connect_swapped (accounts, "changed", G_CALLBACK (sync_accounts), choice);
  sync_accounts (choice);
}

/* Before the page lets its template go. */
void
gauge_account_choice_clear (GaugeAccountChoice *choice)
{
  if (choice->drop_down != NULL)
    g_signal_handlers_disconnect_by_func (choice->drop_down, selected_cb, choice);
  if (choice->accounts != NULL)
    g_signal_handlers_disconnect_by_func (choice->accounts, sync_accounts, choice);
  g_clear_object (&choice->accounts);
  choice->drop_down = NULL;
  g_clear_pointer (&choice->folders, g_strfreev);
  g_clear_pointer (&choice->names, g_strfreev);
}
