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
 * The family the id names anywhere in it ("claude-opus-4-1", "Opus 4.1", "anthropic/…").
 */
GaugeModelFamily
gauge_model_name_get_family (const char *model)
{
  g_autofree char *lower = NULL;

  if (model == NULL)
    return GAUGE_MODEL_FAMILY_OTHER;

  lower = g_ascii_strdown (model, -1);
  if (strstr (lower, "opus") != NULL)
    return GAUGE_MODEL_FAMILY_OPUS;
  if (strstr (lower, "sonnet") != NULL)
    return GAUGE_MODEL_FAMILY_SONNET;
  if (strstr (lower, "haiku") != NULL)
    return GAUGE_MODEL_FAMILY_HAIKU;
  return GAUGE_MODEL_FAMILY_OTHER;
}

static gboolean
is_version_part (const char *part)
{
  gsize len = strlen (part);

  /* "4", "5", "45": a date ("20250929") is not a version */
  return len > 0 && len <= 2 && strspn (part, "0123456789") == len;
}

static gboolean
is_date (const char *part)
{
  return strlen (part) == 8 && strspn (part, "0123456789") == 8;
}

/**
 * gauge_model_name_display:
 * @model: (nullable): a model id
 *
 * The name people know a Claude model by: "claude-sonnet-4-5-20250929" → "Sonnet 4.5",
 * "claude-3-5-haiku-20241022" → "Haiku 3.5", "claude-opus-4-1" → "Opus 4.1". An id that is not
 * a Claude model's ("gpt-4o", "<synthetic>") is shown as it is; "Unknown" for no model.
 * Reports' JSON, exports and the database keep the ids.
 *
 * Returns: (transfer full): the name to show
 */
char *
gauge_model_name_display (const char *model)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) version = NULL;
  g_autoptr(GString) rest = NULL;
  const char *name = NULL;

  if (model == NULL || *model == '\0')
    return g_strdup (_("Unknown"));
  if (!g_str_has_prefix (model, "claude-"))
    return g_strdup (model);

  parts = g_strsplit (model + strlen ("claude-"), "-", -1);
  version = g_string_new (NULL);
  rest = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];

      if (is_version_part (part))
        g_string_append_printf (version, "%s%s", version->len > 0 ? "." : "", part);
      else if (is_date (part))
        continue;
      else if (name == NULL && g_ascii_isalpha (part[0]))
        name = part;
      else
        g_string_append_printf (rest, " %s", part);
    }

  if (name == NULL || version->len == 0)
    return g_strdup (model);

  return g_strdup_printf ("%c%s %s%s", g_ascii_toupper (name[0]), name + 1, version->str,
                          rest->str);
}
