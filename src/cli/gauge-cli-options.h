/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Returned by gauge_cli_handle_options() when the options ask for the app itself. */
#define GAUGE_CLI_RUN_APP (-1)

void gauge_cli_add_options    (GApplication *app);
int  gauge_cli_handle_options (GVariantDict *options);

G_END_DECLS
