/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-model-name"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "gauge-model-name.h"

/**
 * gauge_model_name_get_family:
 * @model: (nullable): a model id as Claude Code, the Admin API or a legend names it
 *
 * The family the id names anywhere in it ("claude-opus-4-1", "opus-4-1", "anthropic/…").
 */
GaugeModelFamily
gauge_model_name_get_family (const char *model)
{
  if (model == NULL)
    return GAUGE_MODEL_FAMILY_OTHER;
  if (strstr (model, "opus") != NULL)
    return GAUGE_MODEL_FAMILY_OPUS;
  if (strstr (model, "sonnet") != NULL)
    return GAUGE_MODEL_FAMILY_SONNET;
  if (strstr (model, "haiku") != NULL)
    return GAUGE_MODEL_FAMILY_HAIKU;
  return GAUGE_MODEL_FAMILY_OTHER;
}

/**
 * gauge_model_name_abbreviate:
 * @model: (nullable): a model id
 *
 * "claude-opus-4-1-20250805" → "opus-4-1": the id without the vendor and the date, what
 * fits in a legend; "Unknown" for no model.
 *
 * Returns: (transfer full): the short id
 */
char *
gauge_model_name_abbreviate (const char *model)
{
  const char *start;
  const char *end;

  if (model == NULL || *model == '\0')
    return g_strdup (_("Unknown"));

  start = g_str_has_prefix (model, "claude-") ? model + strlen ("claude-") : model;
  end = start + strlen (start);
  /* Drop a trailing -YYYYMMDD. */
  if (end - start > 9 && end[-9] == '-' &&
      strspn (end - 8, "0123456789") == 8)
    end -= 9;
  return g_strndup (start, end - start);
}
