/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "gauge-parser-module"

#include "config.h"

#include <gmodule.h>

#include "gauge-parser-module.h"

/*
 * The parser module's entry point. Its parser functions are hidden (built with hidden
 * visibility), so that they never resolve to the executable's forwarders of the same names
 * (gauge-parser-loader.c).
 */

G_MODULE_EXPORT const GaugeParserModule *gauge_parser_module (void);

G_MODULE_EXPORT const GaugeParserModule *
gauge_parser_module (void)
{
  static const GaugeParserModule module = {
    gauge_transcript_parser_new,
    gauge_transcript_parser_free,
    gauge_transcript_parser_parse_lines,
  };

  return &module;
}
