/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What a model id such as "claude-sonnet-4-5-20250929" says about the model, in one place:
 * its family, and the name people know it by.
 */

typedef enum
{
  GAUGE_MODEL_FAMILY_OTHER,   /* not one we know, or no model at all */
  GAUGE_MODEL_FAMILY_OPUS,
  GAUGE_MODEL_FAMILY_SONNET,
  GAUGE_MODEL_FAMILY_HAIKU,
} GaugeModelFamily;

GaugeModelFamily  gauge_model_name_get_family (const char *model);
char             *gauge_model_name_display    (const char *model);

G_END_DECLS
