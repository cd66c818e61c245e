/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gpointer gauge_module_load_entry (const char *file_name,
                                  const char *entry);

G_END_DECLS
