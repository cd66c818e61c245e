/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "gauge-label.h"

void
gauge_label_set_or_hide (GtkLabel   *label,
                         const char *text)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, text);
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}
