/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The base URL policy shared by the API clients (GaugeUsageClient, GaugeAdminClient). */
gboolean  gauge_http_is_loopback_host (const char *host);
char     *gauge_http_choose_base_url  (const char *env_var,
                                       const char *default_url);

G_END_DECLS
