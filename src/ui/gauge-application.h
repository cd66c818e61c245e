/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GAUGE_TYPE_APPLICATION (gauge_application_get_type ())

G_DECLARE_FINAL_TYPE (GaugeApplication, gauge_application, GAUGE, APPLICATION, AdwApplication)

GaugeApplication *gauge_application_new (void);

G_END_DECLS
