/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one place core code asks for the time, so tests can move it. */
GDateTime *gauge_clock_now_utc  (void);
gint64     gauge_clock_now_unix (void);
void       gauge_clock_set_fake (GDateTime *fake_now);

G_END_DECLS
