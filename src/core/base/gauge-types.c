/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-types"

#include "config.h"

#include "gauge-types.h"

const char *
gauge_source_to_string (GaugeSource source)
{
  switch (source)
    {
    case GAUGE_SOURCE_STATUSLINE:
      return "statusline";
    case GAUGE_SOURCE_OFFICIAL:
    default:
      return "official";
    }
}

gboolean
gauge_source_from_string (const char  *str,
                          GaugeSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);

  if (g_strcmp0 (str, "official") == 0)
    *source = GAUGE_SOURCE_OFFICIAL;
  else if (g_strcmp0 (str, "statusline") == 0)
    *source = GAUGE_SOURCE_STATUSLINE;
  else
    return FALSE;

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
