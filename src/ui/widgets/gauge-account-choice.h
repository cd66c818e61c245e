/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "gauge-account-list.h"

G_BEGIN_DECLS

/*
 * A drop-down that picks an account (History, Local Usage): the accounts' names, after an
 * entry for all of them when the page has one; shown with two accounts or more.
 */
typedef struct
{
  GtkDropDown *drop_down;
  const char  *all;       /* the first entry's label, or NULL for none */
  GStrv        folders;   /* the accounts', in the drop-down's order (after "all") */
  GStrv        names;
} GaugeAccountChoice;

gboolean    gauge_account_choice_sync  (GaugeAccountChoice *choice,
                                        GaugeAccountList   *accounts,
                                        GCallback           on_selected,
                                        gpointer            user_data);
int         gauge_account_choice_index (GaugeAccountChoice *choice);
const char *gauge_account_choice_get   (GaugeAccountChoice *choice);
void        gauge_account_choice_clear (GaugeAccountChoice *choice);

G_END_DECLS
