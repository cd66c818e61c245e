/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int gauge_cli_waybar (gboolean follow);

G_END_DECLS
