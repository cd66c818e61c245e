/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

#include "gauge-local-summary.h"

G_BEGIN_DECLS

/*
 * The local estimate in words, one phrase a figure: the window's rows and
 * `--status` print the same text. Each returns %NULL when its figure is
 * unknown.
 */
char *gauge_local_text_limit   (const GaugeBlockLimit *limit);
char *gauge_local_text_block   (GaugeLocalSummary     *summary);
char *gauge_local_text_burn    (GaugeLocalSummary     *summary);
char *gauge_local_text_ends    (GaugeLocalSummary     *summary);
char *gauge_local_text_week    (GaugeLocalSummary     *summary);
char *gauge_local_text_billing (GaugeLocalSummary     *summary);
char *gauge_local_text_billing_title (GaugeLocalSummary *summary);

G_END_DECLS
