/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-types"

#include "config.h"

#include <glib/gi18n.h>

#include "gauge-enums.h"
#include "gauge-types.h"

/**
 * gauge_enum_to_nick:
 * @enum_type: a GEnum type, such as %GAUGE_TYPE_SOURCE
 *
 * Returns: (nullable): the nick of @value ("official"), or %NULL when @enum_type has no such value
 */
const char *
gauge_enum_to_nick (GType enum_type,
                    int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* The nicks are static strings of the registered type: they outlive the class reference. */
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

/**
 * gauge_enum_from_nick:
 * @nick: (nullable): a nick of @enum_type
 * @value: (out): its value, unchanged when @nick is not one
 *
 * Returns: whether @nick names a value of @enum_type
 */
gboolean
gauge_enum_from_nick (GType       enum_type,
                      const char *nick,
                      int        *value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *enum_value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  g_return_val_if_fail (value != NULL, FALSE);

  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

/* "official" or "statusline": stored with every reading and shown in --status. */
const char *
gauge_source_to_string (GaugeSource source)
{
  const char *nick = gauge_enum_to_nick (GAUGE_TYPE_SOURCE, source);

  return nick != NULL ? nick : gauge_enum_to_nick (GAUGE_TYPE_SOURCE, GAUGE_SOURCE_OFFICIAL);
}

/* The same word for people, in their language, for text lines (--status, --waybar's
 * tooltip); the stored and JSON form stays gauge_source_to_string(). */
const char *
gauge_source_to_label (GaugeSource source)
{
  if (source == GAUGE_SOURCE_STATUSLINE)
    /* Translators: a reading's source, Claude Code's statusline: "updated 19:45 · statusline" */
    return C_("source", "statusline");

  /* Translators: a reading's source, Anthropic's usage endpoint: "updated 19:45 · official" */
  return C_("source", "official");
}

gboolean
gauge_source_from_string (const char  *str,
                          GaugeSource *source)
{
  int value;

  g_return_val_if_fail (source != NULL, FALSE);

  if (!gauge_enum_from_nick (GAUGE_TYPE_SOURCE, str, &value))
    return FALSE;

  *source = value;
  return TRUE;
}

GaugeSeverity
gauge_severity_for (double percent,
                    double warning,
                    double critical)
{
  if (percent >= critical)
    return GAUGE_SEVERITY_CRITICAL;
  if (percent >= warning)
    return GAUGE_SEVERITY_WARNING;
  return GAUGE_SEVERITY_NORMAL;
}
