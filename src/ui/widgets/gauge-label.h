/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @text in @label, or hides the label when there is no text (no empty line's room). */
void gauge_label_set_or_hide (GtkLabel   *label,
                              const char *text);

G_END_DECLS
