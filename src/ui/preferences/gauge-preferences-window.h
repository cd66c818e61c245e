/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "gauge-store.h"

G_BEGIN_DECLS

#define GAUGE_TYPE_PREFERENCES_WINDOW (gauge_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GaugePreferencesWindow, gauge_preferences_window, GAUGE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GaugePreferencesWindow *gauge_preferences_window_new (GtkWindow *parent,
                                                      GSettings *settings);
void                    gauge_preferences_window_add_group (GaugePreferencesWindow *self,
                                                            AdwPreferencesGroup    *group);
void                    gauge_preferences_window_set_store (GaugePreferencesWindow *self,
                                                            GaugeStore             *store);

G_END_DECLS
