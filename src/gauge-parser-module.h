/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include "gauge-transcript-parser.h"

G_BEGIN_DECLS

/*
 * The transcript parser as a module (simdjson and the C++ runtime behind it): the executable
 * loads it the first time the index has lines to parse (gauge-parser-loader.c), so that a
 * --statusline or a --report with nothing new to read maps neither. What the index uses of it,
 * typed as the parser's own functions.
 */
typedef struct
{
  __typeof__ (gauge_transcript_parser_new)         *parser_new;
  __typeof__ (gauge_transcript_parser_free)        *parser_free;
  __typeof__ (gauge_transcript_parser_parse_lines) *parse_lines;
} GaugeParserModule;

#define GAUGE_PARSER_MODULE_ENTRY "gauge_parser_module"

typedef const GaugeParserModule *(*GaugeParserModuleEntry) (void);

G_END_DECLS
