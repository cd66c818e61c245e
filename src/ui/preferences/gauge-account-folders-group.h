/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_ACCOUNT_FOLDERS_GROUP (gauge_account_folders_group_get_type ())

G_DECLARE_FINAL_TYPE (GaugeAccountFoldersGroup, gauge_account_folders_group, GAUGE,
                      ACCOUNT_FOLDERS_GROUP, AdwPreferencesGroup)

GtkWidget *gauge_account_folders_group_new (GSettings *settings);

G_END_DECLS
