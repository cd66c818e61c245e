/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-store.h"

G_BEGIN_DECLS

/* `claude-gauge --export=readings|entries|daily [--since=…] [--until=…] [--format=csv|json]`:
 * the option values as given, NULL when absent. Prints to stdout; returns 0, or 1 with a
 * message on stderr. */
int      gauge_cli_export       (const char  *what,
                                 const char  *since,
                                 const char  *until,
                                 const char  *format);

/* The same into @out, from @store as it is (no transcript index update); for tests. */
gboolean gauge_cli_export_write (GaugeStore  *store,
                                 const char  *what,
                                 const char  *since,
                                 const char  *until,
                                 const char  *format,
                                 GString     *out,
                                 GError     **error);

G_END_DECLS
