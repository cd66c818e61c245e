/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "gauge-account-list.h"

G_BEGIN_DECLS

/*
 * A drop-down that picks an account (History, Local Usage): the accounts' names, and an
 * entry for all of them when the page has one, first (chosen at first) or last (the first
 * account chosen at first); shown with two accounts or more. It follows
 * the accounts (their names too, once a profile is read), keeping the chosen one, and tells
 * its page when the account chosen changes. Part of its page's instance; cleared at dispose.
 */
typedef void (*GaugeAccountChosen) (gpointer page);

typedef struct
{
  GtkDropDown        *drop_down;
  const char         *all;       /* the label of the entry for all, or NULL for none */
  gboolean            all_last;  /* that entry after the accounts, not before */
  GaugeAccountChosen  chosen;
  gpointer            page;
  GaugeAccountList   *accounts;
  GStrv               folders;   /* the accounts', in the drop-down's order */
  GStrv               names;     /* the accounts' names, as folders */
} GaugeAccountChoice;

void        gauge_account_choice_init         (GaugeAccountChoice *choice,
                                               GtkDropDown        *drop_down,
                                               const char         *all,
                                               gboolean            all_last,
                                               GaugeAccountChosen  chosen,
                                               gpointer            page);
void        gauge_account_choice_set_accounts (GaugeAccountChoice *choice,
                                               GaugeAccountList   *accounts);
int         gauge_account_choice_index        (GaugeAccountChoice *choice);
const char *gauge_account_choice_get          (GaugeAccountChoice *choice);
gboolean    gauge_account_choice_is_all       (GaugeAccountChoice *choice);
void        gauge_account_choice_clear        (GaugeAccountChoice *choice);

G_END_DECLS
