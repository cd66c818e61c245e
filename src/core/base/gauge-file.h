/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Reading a file a user or another program controls: only a regular file, never more than a
 * cap, and never blocking (a FIFO or a device in its place is refused, not waited on).
 */
gboolean gauge_file_read_bounded (const char  *path,
                                  gsize        max_size,
                                  char       **contents,
                                  gsize       *length,
                                  GError     **error);

G_END_DECLS
